#![no_main]
//! Fuzz target: plantlog::fuzz::modbus_decode (see src/fuzz.rs for what it checks).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plantlog::fuzz::modbus_decode(data);
});
