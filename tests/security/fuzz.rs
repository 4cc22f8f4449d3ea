//! The fuzz targets of issue 8 (src/fuzz.rs) as property tests: a few hundred random
//! inputs each on every `cargo test`, many more in the extended stage, and the way to
//! fuzz where cargo-fuzz cannot run (Windows). cargo-fuzz's coverage-guided runs (fuzz/,
//! `scripts/security-extended --cargo-fuzz`) drive the same entry points.

use proptest::prelude::*;

/// 256 cases each in the everyday run; `PLANTLOG_FUZZ_CASES` asks for more (the
/// extended stage, scripts/security-extended).
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PLANTLOG_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that looks like the configuration file more often than random bytes do.
fn tomlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[site]\nname = \"P\"\ntimezone = \"UTC\"\n".to_string()),
        Just("[[machines]]\nkey = \"m1\"\nname = \"M\"\n".to_string()),
        Just(
            "[[devices]]\nkey = \"d\"\nprotocol = \"modbus-tcp\"\nhost = \"10.0.0.2\"\n"
                .to_string()
        ),
        Just("[[devices.tags]]\nname = \"t\"\nregister = 40001\ntype = \"f32\"\n".to_string()),
        Just("[[buses]]\nkey = \"l\"\nport = \"COM3\"\nbaud = 9600\n".to_string()),
        "[a-z_]{1,8} = (\"[^\"\\n]{0,12}\"|-?[0-9]{1,6}|true|\\[\\])\n",
        "[\\[\\]a-z.=\"0-9 \\n]{0,40}",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn config_toml(text in tomlish()) {
        plantlog::fuzz::config_toml(text.as_bytes());
    }

    #[test]
    fn config_json(data in proptest::collection::vec(any::<u8>(), 0..256)) {
        plantlog::fuzz::config_json(&data);
    }

    #[test]
    fn config_json_shaped(site in "[ -~]{0,20}", key in "[a-z0-9-]{0,12}", port in any::<i64>()) {
        let v = serde_json::json!({"site": {"name": site, "timezone": "UTC"},
            "devices": [{"key": key, "protocol": "modbus-tcp", "host": "h", "port": port}]});
        plantlog::fuzz::config_json(v.to_string().as_bytes());
    }

    #[test]
    fn serial_line(line in "(ST,GS,)?[-+0-9.,eE ;a-z]{0,40}(kg)?") {
        plantlog::fuzz::serial_line(line.as_bytes());
    }

    #[test]
    fn modbus_decode(data in proptest::collection::vec(any::<u8>(), 0..40)) {
        plantlog::fuzz::modbus_decode(&data);
    }

    #[test]
    fn modbus_rtu_answer(pick in any::<u8>(), answer in proptest::collection::vec(any::<u8>(), 0..40)) {
        let mut data = vec![pick];
        data.extend(answer);
        let _ = plantlog::fuzz::modbus_rtu_answer(&data);
    }

    #[test]
    fn csv_cell(text in "\\PC{0,30}") {
        plantlog::fuzz::csv_cell(text.as_bytes());
    }

    #[test]
    fn json_body(pick in any::<u8>(), body in "\\{(\"[a-z_]{1,12}\": ?(\"[^\"]{0,10}\"|-?[0-9]{1,20}|true|null|\\[\\]|\\{\\}), ?){0,6}\\}") {
        let mut data = vec![pick];
        data.extend(body.as_bytes());
        plantlog::fuzz::json_body(&data);
    }
}

/// The RTU target reaches real decoding: a valid answer (unit 1, function 03, one
/// register) is taken, the same with one bit of its checksum wrong is not.
#[test]
fn a_valid_rtu_answer_decodes_and_a_damaged_one_does_not() {
    // pick 0: holding registers, one register.
    let frame = [0x01, 0x03, 0x02, 0x00, 0x2A];
    let crc = crc16(&frame);
    let mut data = vec![0u8];
    data.extend(frame);
    data.extend(crc.to_le_bytes());
    assert!(plantlog::fuzz::modbus_rtu_answer(&data));
    *data.last_mut().unwrap() ^= 1;
    assert!(!plantlog::fuzz::modbus_rtu_answer(&data));
}

fn crc16(bytes: &[u8]) -> u16 {
    let mut crc = 0xFFFFu16;
    for b in bytes {
        crc ^= u16::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xA001
            } else {
                crc >> 1
            };
        }
    }
    crc
}
