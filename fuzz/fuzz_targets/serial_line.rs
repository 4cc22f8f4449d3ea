#![no_main]
//! Fuzz target: plantlog::fuzz::serial_line (see src/fuzz.rs for what it checks).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plantlog::fuzz::serial_line(data);
});
