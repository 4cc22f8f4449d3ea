#![no_main]
//! Fuzz target: plantlog::fuzz::config_json (see src/fuzz.rs for what it checks).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plantlog::fuzz::config_json(data);
});
