#![no_main]
//! Fuzz target: plantlog::fuzz::modbus_rtu_answer (see src/fuzz.rs for what it checks).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = plantlog::fuzz::modbus_rtu_answer(data);
});
