#![no_main]
//! Fuzz target: plantlog::fuzz::csv_cell (see src/fuzz.rs for what it checks).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plantlog::fuzz::csv_cell(data);
});
