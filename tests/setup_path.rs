//! The setup path (issue 9) against an independent Modbus device (pymodbus): a part
//! counter configured in the wrong word order is called out by the test read (which
//! names the order that reads right) and by the device page; correcting it from the
//! forms keeps the file's comments, and the device page then finds nothing wrong.

use std::time::Duration;

use serde_json::{Value, json};

use crate::peer::{Peer, Plant, SITE};
use crate::util::wait_for;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counter_in_the_wrong_word_order_is_called_out_and_corrected_from_the_forms() {
    // A u32 counter at holding 0 and 1, high word first, +1 every 100 ms.
    let peer = Peer::start(&["--tcp", "127.0.0.1:0", "--unit", "1", "--counter", "0"]);
    let config = format!(
        "{SITE}[[machines]]\nkey = \"press-1\"\nname = \"Press 1\"\n\n\
         # The press PLC, in the cabinet by the door.\n\
         [[devices]]\nkey = \"plc\"\nprotocol = \"modbus-tcp\"\nhost = \"127.0.0.1\"\nport = {}\n\
         machine = \"press-1\"\npoll_ms = 500\n\n\
         # Copied from an old file: low word first.\n\
         [[devices.tags]]\nname = \"count\"\nrole = \"count\"\nregister = 40001\ntype = \"u32\"\norder = \"CDAB\"\n",
        peer.port()
    );
    let plant = Plant::start(&config).await;
    let admin = plant.admin().await;
    let url = |p: &str| format!("{}{p}", plant.base());

    // Three test reads a second apart, each with the ones before, as the tag editor
    // makes them.
    let mut previous: Vec<Value> = Vec::new();
    let mut last = Value::Null;
    for _ in 0..3 {
        let r = admin
            .post(url("/api/commissioning/read"))
            .json(
                &json!({"device": "plc", "register": 40001, "type": "u32", "order": "CDAB",
                          "role": "count", "previous": previous}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        last = r.json().await.unwrap();
        assert_eq!(last["quality"], "good", "{last}");
        previous.push(json!({"ms": plantlog::sample::now_ms(), "raw": last["raw"]}));
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }
    let orders: Vec<&str> = last["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order"].as_str().unwrap())
        .collect();
    assert_eq!(orders, ["ABCD", "CDAB", "BADC", "DCBA"]);
    let abcd = last["orders"][0]["value"].as_f64().unwrap();
    let raw: Vec<u64> = serde_json::from_value(last["raw"].clone()).unwrap();
    assert_eq!(
        abcd,
        (raw[0] * 65536 + raw[1]) as f64,
        "ABCD is high word first"
    );
    let finding = &last["findings"][0];
    assert_eq!(finding["code"], "counter_jump", "{last}");
    assert_eq!(finding["order"], "ABCD", "{last}");

    // The device page says the same from what the tag stored.
    let findings: Value = wait_for(Duration::from_secs(20), "the device page's finding", || {
        let admin = admin.clone();
        let u = url("/api/devices/plc/findings");
        async move {
            let f: Value = admin.get(u).send().await.ok()?.json().await.ok()?;
            (f.as_array()?.len() == 1).then_some(f)
        }
    })
    .await;
    assert_eq!(findings[0]["tag"], "count");
    assert_eq!(findings[0]["findings"][0]["code"], "counter_jump");

    // Corrected in the forms: the model with ABCD, saved on the version it was read at.
    let r = admin.get(url("/api/config/model")).send().await.unwrap();
    let base: i64 = r.headers()["x-config-version"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut model: Value = r.json().await.unwrap();
    model["devices"][0]["tags"][0]["order"] = json!("ABCD");
    let r = admin
        .put(url(&format!("/api/config/model?base={base}")))
        .json(&model)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["version"].as_i64(), Some(base + 1));

    // The TOML editor shows the file with its comments, the order corrected.
    let text = admin
        .get(url("/api/config"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("# The press PLC, in the cabinet by the door."),
        "{text}"
    );
    assert!(
        text.contains("# Copied from an old file: low word first."),
        "{text}"
    );
    assert!(!text.contains("CDAB"), "{text}");
    let versions: Value = admin
        .get(url("/api/config/versions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(versions[0]["version"].as_i64(), Some(base + 1));
    assert_eq!(versions[0]["actor"], "admin");

    // Values stored since the change (past two polls of margin) look right: once three
    // are stored, the device page finds nothing wrong.
    let changed = versions[0]["ts"].as_i64().unwrap();
    let id = plant.tag_id("plc", "count");
    wait_for(
        Duration::from_secs(20),
        "three values after the correction",
        || {
            let n = plant
                .stored(id)
                .iter()
                .filter(|s| s.ts > changed + 2000 && s.value().is_some())
                .count();
            async move { (n >= 3).then_some(()) }
        },
    )
    .await;
    let f: Value = admin
        .get(url("/api/devices/plc/findings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(f, json!([]));
    let r = admin
        .post(url("/api/commissioning/read"))
        .json(&json!({"device": "plc", "tag": "count"}))
        .send()
        .await
        .unwrap();
    let now: Value = r.json().await.unwrap();
    assert_eq!(now["findings"], json!([]), "{now}");
    plant.stop().await;
}
