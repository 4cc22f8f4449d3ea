#![no_main]
//! Fuzz target: plantlog::fuzz::json_body (see src/fuzz.rs for what it checks).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plantlog::fuzz::json_body(data);
});
