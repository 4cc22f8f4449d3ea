#![no_main]
//! Fuzz target: plantlog::fuzz::config_toml (see src/fuzz.rs for what it checks).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plantlog::fuzz::config_toml(data);
});
