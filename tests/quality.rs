//! Quality checks and material traceability (issue 15) through the API of the demo
//! plant: stores receives a material lot and issues it to a machine, the operator starts
//! a lot and enters checks (one out of spec), quality gives it a disposition, and the
//! lot's story and the reverse trace from the supplier lot show all of it; negative
//! stock is refused until the admin allows it; each role may do only its part; every
//! entry is in the audit log; the demo's data fills the due checks and the SPC chart.

use plantlog::auth::Role;
use reqwest::Client;
use serde_json::{Value, json};

use crate::util::TestPlant;

async fn post(plant: &TestPlant, c: &Client, path: &str, body: Value) -> (u16, Value) {
    let r = c.post(plant.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lot_from_material_receipt_to_disposition_and_its_story() {
    let plant = TestPlant::start().await;
    let stores = plant.client(Role::Stores).await;
    let operator = plant.client(Role::Operator).await;
    let quality = plant.client(Role::Quality).await;
    let management = plant.client(Role::Management).await;

    // The demo has products, lots, checks (some out of spec waiting) and material.
    let due = plant.get_json(&quality, "/api/quality/due").await;
    let press1 = due["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["machine"] == "press-1")
        .unwrap_or_else(|| panic!("press-1 in {due}"));
    assert!(press1["lot"]["code"].is_string(), "{press1}");
    let states: Vec<&str> = press1["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.len(), 2, "the bracket plan has two characteristics");
    // The lot-start check was made at the start: satisfied.
    assert!(states.contains(&"satisfied"), "{states:?}");
    let stock = plant.get_json(&stores, "/api/quality/stock").await;
    assert!(stock["lots"].as_array().unwrap().len() >= 4, "{stock}");
    assert_eq!(stock["allow_negative"], false);

    // Stores receives a lot of steel and issues some of it to the packing line, after
    // the operator started a lot there.
    let (s, received) = post(
        &plant,
        &stores,
        "/api/quality/receipts",
        json!({"code": "ML-T1", "material": "ST-2MM", "supplier": "Nordstahl GmbH",
               "supplier_lot": "NS-T-0001", "quantity": 250.0, "certificate": "3.1-T1"}),
    )
    .await;
    assert_eq!(s, 201, "{received}");
    assert_eq!(received["on_hand"], 250.0);
    // Stores may not start lots; the operator may not on a machine not theirs.
    let (s, _) = post(
        &plant,
        &stores,
        "/api/quality/lots",
        json!({"code": "T-1", "product": "BRK-100", "machine": "pack-1"}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, e) = post(
        &plant,
        &operator,
        "/api/quality/lots",
        json!({"code": "T-1", "product": "BRK-100", "machine": "cnc-2"}),
    )
    .await;
    assert_eq!(s, 403, "{e}");
    assert_eq!(e["code"], "not_assigned");
    let (s, lot) = post(
        &plant,
        &operator,
        "/api/quality/lots",
        json!({"code": "T-1", "product": "BRK-100", "machine": "pack-1"}),
    )
    .await;
    assert_eq!(s, 201, "{lot}");
    let (s, e) = post(
        &plant,
        &operator,
        "/api/quality/lots",
        json!({"code": "T-2", "product": "BRK-100", "machine": "pack-1"}),
    )
    .await;
    assert_eq!(s, 400, "one lot runs on a machine at a time");
    assert!(e["message"].as_str().unwrap().contains("T-1"), "{e}");

    let (s, issued) = post(
        &plant,
        &stores,
        "/api/quality/moves",
        json!({"material_lot": "ML-T1", "kind": "issue", "quantity": 200.0, "machine": "pack-1"}),
    )
    .await;
    assert_eq!(s, 201, "{issued}");
    assert_eq!(
        issued["lot"], "T-1",
        "the move names the lot running on the machine"
    );
    // More than is on hand is refused, with what is on hand, until the admin allows it.
    let (s, e) = post(
        &plant,
        &stores,
        "/api/quality/moves",
        json!({"material_lot": "ML-T1", "kind": "issue", "quantity": 80.0, "machine": "pack-1"}),
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(e["code"], "negative_stock");
    assert!(
        e["message"].as_str().unwrap().contains("has 50 kg on hand"),
        "{e}"
    );
    // The values the message names, for the UI's words in the user's language.
    assert_eq!(e["params"]["lot"], "ML-T1", "{e}");
    assert_eq!(e["params"]["on_hand"], 50.0, "{e}");
    assert_eq!(e["params"]["unit"], "kg", "{e}");
    assert_eq!(e["params"]["move"], "issue", "{e}");
    assert_eq!(e["params"]["left"], -30.0, "{e}");
    let admin = plant.client(Role::Admin).await;
    let r = admin
        .put(plant.url("/api/quality/negative-stock"))
        .json(&json!({"allow": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (s, _) = post(
        &plant,
        &stores,
        "/api/quality/moves",
        json!({"material_lot": "ML-T1", "kind": "issue", "quantity": 80.0, "machine": "pack-1"}),
    )
    .await;
    assert_eq!(s, 201);
    let ml = plant
        .get_json(&stores, "/api/quality/material-lots/ML-T1")
        .await;
    assert_eq!(ml["on_hand"], -30.0);

    // The operator enters the checks of the plan: one value out of spec.
    let products = plant.get_json(&operator, "/api/quality/products").await;
    let bracket = products
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "BRK-100")
        .unwrap();
    let id_of = |name: &str| {
        bracket["characteristics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let hole = id_of("Hole diameter");
    let burr = id_of("Burr free");
    // The wrong kind of answer is refused with what to give.
    let (s, e) = post(
        &plant,
        &operator,
        "/api/quality/checks",
        json!({"lot": "T-1", "characteristic_id": hole, "passed": true}),
    )
    .await;
    assert_eq!(s, 400, "{e}");
    assert!(e["message"].as_str().unwrap().contains("in mm"), "{e}");
    let (s, ok) = post(
        &plant,
        &operator,
        "/api/quality/checks",
        json!({"lot": "T-1", "characteristic_id": burr, "passed": true}),
    )
    .await;
    assert_eq!(s, 201, "{ok}");
    assert_eq!(ok["in_spec"], true);
    // On the upper limit is in spec; past it is not.
    let (_, edge) = post(
        &plant,
        &operator,
        "/api/quality/checks",
        json!({"lot": "T-1", "characteristic_id": hole, "value": 10.05}),
    )
    .await;
    assert_eq!(edge["in_spec"], true, "{edge}");
    let (s, bad) = post(
        &plant,
        &operator,
        "/api/quality/checks",
        json!({"lot": "T-1", "characteristic_id": hole, "value": 10.08}),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(bad["in_spec"], false);
    assert_eq!(bad["needs_disposition"], true);
    let bad_id = bad["id"].as_i64().unwrap();
    // It is flagged at once among the open results.
    let due = plant.get_json(&quality, "/api/quality/due").await;
    assert!(
        due["open"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == bad_id),
        "{}",
        due["open"]
    );

    // Only quality gives dispositions; accepting under deviation needs a comment.
    let path = format!("/api/quality/checks/{bad_id}/disposition");
    let (s, _) = post(
        &plant,
        &operator,
        &path,
        json!({"disposition": "rework", "comment": ""}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, e) = post(
        &plant,
        &quality,
        &path,
        json!({"disposition": "accept_deviation", "comment": " "}),
    )
    .await;
    assert_eq!(s, 400, "{e}");
    assert_eq!(e["field"], "comment");
    let (s, done) = post(
        &plant,
        &quality,
        &path,
        json!({"disposition": "accept_deviation", "comment": "customer deviation D-7"}),
    )
    .await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(done["needs_disposition"], false);
    assert_eq!(done["disposition"]["by"], "quality");

    // A typing mistake is corrected by a new check naming the old; the old one stays.
    let (s, fixed) = post(
        &plant,
        &operator,
        "/api/quality/checks",
        json!({"lot": "T-1", "characteristic_id": hole, "value": 10.01,
               "corrects": edge["id"], "comment": "typed 10.05 for 10.01"}),
    )
    .await;
    assert_eq!(s, 201, "{fixed}");
    let (s, _) = post(
        &plant,
        &operator,
        "/api/quality/lots/T-1/scrap",
        json!({"parts": 4, "reason": "Burrs"}),
    )
    .await;
    assert_eq!(s, 201);

    // The lot's story: material and its supplier lot, checks and their disposition,
    // correction, scrap, the people, the machine's figures and tags.
    let story = plant.get_json(&management, "/api/quality/lots/T-1").await;
    let materials = story["materials"].as_array().unwrap();
    assert_eq!(materials.len(), 2, "{story}");
    assert_eq!(materials[0]["supplier_lot"], "NS-T-0001");
    let checks = story["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 4);
    let old = checks.iter().find(|c| c["id"] == edge["id"]).unwrap();
    assert_eq!(old["corrected_by"], fixed["id"]);
    let out = checks.iter().find(|c| c["id"] == bad_id).unwrap();
    assert_eq!(out["disposition"]["disposition"], "accept_deviation");
    assert_eq!(story["scrap"][0]["parts"], 4);
    let people: Vec<&str> = story["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        people.contains(&"operator") && people.contains(&"quality"),
        "{people:?}"
    );
    assert!(story["run"]["figures"].is_object(), "{}", story["run"]);
    assert!(!story["tags"].as_array().unwrap().is_empty());
    // The shifts it ran in, also as start and name for the page to write in its language.
    let starts = story["shift_starts"].as_array().unwrap();
    assert!(!starts.is_empty(), "{story}");
    assert_eq!(
        starts.len(),
        story["shifts"].as_array().unwrap().len(),
        "{story}"
    );
    assert!(
        starts[0]["start_ms"].as_i64().unwrap() <= story["lot"]["started_at"].as_i64().unwrap(),
        "{story}"
    );

    // The reverse: from the supplier lot to the production lots.
    let rev = plant
        .get_json(&management, "/api/quality/trace/NS-T-0001")
        .await;
    assert_eq!(rev["lots"][0]["code"], "T-1", "{rev}");
    let r = management
        .get(plant.url("/api/quality/trace/NOPE-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Ending the lot; the command line's text has the same story.
    let (s, ended) = post(&plant, &operator, "/api/quality/lots/T-1/end", json!({})).await;
    assert_eq!(s, 200, "{ended}");
    let core = plant.demo.running.core.clone();
    let cfg = core.plant();
    let text = core
        .db()
        .with(|c| {
            Ok::<_, plantlog::store::StoreError>(plantlog::quality::trace::story(
                c,
                &cfg,
                "T-1",
                plantlog::sample::now_ms(),
            ))
        })
        .unwrap()
        .map(|s| plantlog::quality::trace::story_text(&s, &cfg))
        .unwrap();
    assert!(
        text.contains("NS-T-0001") && text.contains("OUT OF SPEC"),
        "{text}"
    );
    assert!(text.contains("accept_deviation by quality"), "{text}");

    // The same story as a PDF for a customer: the lot, its material with the supplier
    // lot and certificate, the checks with the disposition, scrap, the machine's states
    // and trends, and SPC of the measured characteristic.
    let r = management
        .get(plant.url("/api/quality/lots/T-1/story.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("lot-T-1.pdf")
    );
    let pdf = r.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = crate::report::pdftotext(&file);
    for want in [
        "Lot story T-1",
        "BRK-100",
        "Materials used",
        "ML-T1",
        "NS-T-0001",
        "3.1-T1",
        "Nordstahl GmbH",
        "10.08 mm",
        "OUT OF SPEC",
        "accept deviation by quality: customer deviation D-7",
        "corrected by #",
        "Burrs",
        "Machine states during the lot",
        "Trends of",
        "SPC: Hole diameter",
        "Cpk",
        "Generated by management",
    ] {
        assert!(text.contains(want), "{want} in the lot's PDF:\n{text}");
    }
    // The bundle: the PDF, a CSV per table, a PNG per chart.
    let zip = management
        .get(plant.url("/api/quality/lots/T-1/story.zip"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let names: Vec<String> = z.file_names().map(|n| n.unwrap().to_string()).collect();
    for want in ["lot-T-1.pdf", "lot-T-1-materials.csv", "lot-T-1-checks.csv"] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    assert!(names.iter().any(|n| n.ends_with(".png")), "{names:?}");
    let mut checks_csv = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("lot-T-1-checks.csv").unwrap(),
        &mut checks_csv,
    )
    .unwrap();
    assert!(
        checks_csv.contains("10.08") && checks_csv.contains("OUT OF SPEC"),
        "{checks_csv}"
    );
    // An unknown lot is not found.
    let r = operator
        .get(plant.url("/api/quality/lots/NOPE/story.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Every entry is audited with who.
    let audit = plant.get_json(&admin, "/api/audit?limit=1000").await;
    let actions: Vec<(String, String)> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target"] == "T-1" || e["target"] == "ML-T1")
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (action, who) in [
        ("stores.receive", "stores"),
        ("lot.start", "operator"),
        ("stores.issue", "stores"),
        ("check.enter", "operator"),
        ("check.disposition", "quality"),
        ("lot.scrap", "operator"),
        ("lot.end", "operator"),
    ] {
        assert!(
            actions.iter().any(|(a, w)| a == action && w == who),
            "{action} by {who} in {actions:?}"
        );
    }
    plant.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spc_of_the_demo_and_plans_imported_with_every_mistake_listed() {
    let plant = TestPlant::start().await;
    let quality = plant.client(Role::Quality).await;
    let management = plant.client(Role::Management).await;
    let products = plant.get_json(&quality, "/api/quality/products").await;
    let hole = products
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["characteristics"].as_array().unwrap().iter())
        .find(|c| c["name"] == "Hole diameter")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let spc = plant
        .get_json(&management, &format!("/api/quality/spc/{hole}"))
        .await;
    let points = spc["points"].as_array().unwrap();
    assert!(points.len() > 20, "{}", points.len());
    // The limits are those of the values, computed by the SPC module.
    let values: Vec<f64> = points
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    let want = plantlog::quality::spc::individuals_limits(&values).unwrap();
    assert!(
        (spc["limits"]["individuals"]["upper"].as_f64().unwrap() - want.individuals.upper).abs()
            < 1e-9
    );
    assert!(
        spc["capability"]["cpk"].is_number(),
        "{}",
        spc["capability"]
    );
    // The same chart as a report: the PDF has the charts' titles, the limits as the page
    // has them and every measurement; the XLSX is a spreadsheet; a bad format is refused.
    let from = spc["from_ms"].as_i64().unwrap();
    let to = spc["to_ms"].as_i64().unwrap();
    let r = management
        .get(plant.url(&format!(
            "/api/quality/spc/{hole}/report?format=pdf&from={from}&to={to}&subgroup=3"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spc.pdf");
    std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
    let text = crate::report::pdftotext(&file);
    let ucl = format!(
        "{:.4}",
        spc["limits"]["individuals"]["upper"].as_f64().unwrap()
    );
    for want in [
        "SPC report: Hole diameter",
        "Hole diameter: individuals",
        "Hole diameter: moving range",
        "X-bar, subgroups of 3",
        "Cpk",
        ucl.as_str(),
        "Measurements",
    ] {
        assert!(text.contains(want), "{want} in the SPC report:\n{text}");
    }
    let r = management
        .get(plant.url(&format!("/api/quality/spc/{hole}/report?format=xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    let r = management
        .get(plant.url(&format!("/api/quality/spc/{hole}/report?format=doc")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // Plans: exported as TOML, imported back unchanged; a file with mistakes lists them
    // all and changes nothing; management reads but may not import.
    let toml = quality
        .get(plant.url("/api/quality/master.toml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(toml.contains("Hole diameter"), "{toml}");
    let r = quality
        .put(plant.url("/api/quality/master"))
        .body(toml.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let same: Value = r.json().await.unwrap();
    assert_eq!(same["characteristics_added"], 0, "{same}");
    assert_eq!(same["characteristics_retired"], 0, "{same}");
    let bad = toml
        .replace("upper = 10.05", "upper = 9.0")
        .replace("name = \"Steel sheet 2 mm\"", "name = \"\"");
    let r = quality
        .put(plant.url("/api/quality/master"))
        .body(bad)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 422, "{body}");
    let msg = body["message"].as_str().unwrap();
    // The limits out of order, the nominal outside them, the material without a name.
    assert!(msg.contains("3 mistakes"), "{msg}");
    assert!(msg.contains("is not below the upper limit 9"), "{msg}");
    assert!(msg.contains("the name is empty"), "{msg}");
    let r = management
        .put(plant.url("/api/quality/master"))
        .body(toml.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A changed limit retires the old characteristic (its checks keep it) and adds one.
    let r = quality
        .put(plant.url("/api/quality/master"))
        .body(toml.replace("upper = 10.05", "upper = 10.06"))
        .send()
        .await
        .unwrap();
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["characteristics_added"], 1, "{changed}");
    assert_eq!(changed["characteristics_retired"], 1, "{changed}");
    let spc = plant
        .get_json(&management, &format!("/api/quality/spc/{hole}"))
        .await;
    assert_eq!(spc["characteristic"]["active"], false);
    assert_eq!(spc["points"].as_array().unwrap().len(), points.len());
    plant.stop().await;
}

/// A check past its grace raises one alarm for the machine, seen by the machine's
/// operator and by quality; entering the check clears it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_check_raises_an_alarm_until_it_is_entered() {
    let plant = TestPlant::start().await;
    let quality = plant.client(Role::Quality).await;
    let operator = plant.client(Role::Operator).await;
    let key = "system/check_overdue/pack-1";
    let alarm_of = |v: &Value| {
        v["alarms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["key"] == key)
            .cloned()
    };
    assert!(
        alarm_of(&plant.get_json(&quality, "/api/alarms").await).is_none(),
        "no lot runs on pack-1 yet"
    );
    // A product whose one check is due at lot start with no grace.
    let mut toml = quality
        .get(plant.url("/api/quality/master.toml"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    toml.push_str(
        "\n[[products]]\ncode = \"ALM-1\"\nname = \"Alarm test part\"\n\n[[plans]]\nproduct = \"ALM-1\"\n\n\
         [[plans.characteristics]]\nname = \"Flatness\"\nkind = \"attribute\"\nevery = \"lot start\"\ngrace_minutes = 0\n",
    );
    let r = quality
        .put(plant.url("/api/quality/master"))
        .body(toml)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let products = plant.get_json(&quality, "/api/quality/products").await;
    let flatness = products
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "ALM-1")
        .unwrap_or_else(|| panic!("ALM-1 in {products}"))["characteristics"][0]["id"]
        .as_i64()
        .unwrap();
    let (s, lot) = post(
        &plant,
        &operator,
        "/api/quality/lots",
        json!({"code": "A-1", "product": "ALM-1", "machine": "pack-1"}),
    )
    .await;
    assert_eq!(s, 201, "{lot}");

    // The quality job looks every 15 s; the alarm comes with the machine and the check.
    let raised = crate::util::wait_for(
        std::time::Duration::from_secs(40),
        "the overdue alarm of pack-1",
        || async { alarm_of(&plant.get_json(&quality, "/api/alarms").await) },
    )
    .await;
    assert_eq!(raised["state"], "active_unacked", "{raised}");
    assert_eq!(raised["machine"], "pack-1", "{raised}");
    assert_eq!(raised["priority"], "medium", "{raised}");
    let action = raised["action"].as_str().unwrap();
    assert!(
        action.contains("lot A-1") && action.contains("Flatness (lot start)"),
        "{action}"
    );
    assert!(
        raised["name"].as_str().unwrap().contains("Packing"),
        "{raised}"
    );
    // The machine's operator receives it too.
    let seen = plant.get_json(&operator, "/api/alarms").await;
    assert!(alarm_of(&seen).is_some(), "{seen}");

    // Entering the check clears it at once (not at the job's next look).
    let (s, check) = post(
        &plant,
        &operator,
        "/api/quality/checks",
        json!({"lot": "A-1", "characteristic_id": flatness, "passed": true}),
    )
    .await;
    assert_eq!(s, 201, "{check}");
    let cleared = crate::util::wait_for(
        std::time::Duration::from_secs(5),
        "the overdue alarm to clear",
        || async {
            alarm_of(&plant.get_json(&quality, "/api/alarms").await)
                .filter(|a| a["state"] == "cleared_unacked")
        },
    )
    .await;
    assert!(cleared["cleared_at"].as_i64().unwrap() >= raised["raised_at"].as_i64().unwrap());
    // And it stays cleared when the job looks again.
    tokio::time::sleep(std::time::Duration::from_secs(16)).await;
    let later = alarm_of(&plant.get_json(&quality, "/api/alarms").await).unwrap();
    assert_eq!(later["state"], "cleared_unacked", "{later}");
    assert_eq!(later["id"], raised["id"]);
    plant.stop().await;
}

/// `plantlog quality` with the data folder of a running plant, and its output.
fn plantlog(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plantlog"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Master data as CSV: the command line exports it, a spreadsheet's edit comes back in
/// (through the command line and the API alike), and a file with mistakes lists every
/// one with its row and column and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn master_data_as_csv_through_the_command_line_and_the_api() {
    let plant = TestPlant::start().await;
    let quality = plant.client(Role::Quality).await;
    let dir = plant._dir.path().to_path_buf();
    let (ok, csv) = plantlog(&dir, &["quality", "export", "--format", "csv"]);
    assert!(ok, "{csv}");
    assert!(
        csv.starts_with("record,code,name,unit,cycle_s,product,kind"),
        "{csv}"
    );
    assert!(
        csv.contains("characteristic,,Hole diameter,mm,,BRK-100,measured"),
        "{csv}"
    );
    // The API gives the same file.
    let api_csv = quality
        .get(plant.url("/api/quality/master.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(api_csv, csv);
    let (ok, toml) = plantlog(&dir, &["quality", "export", "--format", "toml"]);
    assert!(ok && toml.contains("[[plans.characteristics]]"), "{toml}");

    // Unchanged back in: nothing added or retired.
    let file = dir.join("master.csv");
    std::fs::write(&file, &csv).unwrap();
    let (ok, out) = plantlog(&dir, &["quality", "import", file.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.contains("characteristics 0 added, 0 retired"), "{out}");

    // A new material and a product with its plan, added in a spreadsheet.
    let added = format!(
        "{csv}product,CLP-5,\"Clip 5, zinc\",,press-1=4.5,,,,,,,,,\n\
         characteristic,,Width,mm,,CLP-5,measured,5,4.9,5.1,20 parts,,2,\n\
         material,ZN-1,Zinc wire,kg,,,,,,,,,,\n"
    );
    std::fs::write(&file, &added).unwrap();
    let (ok, out) = plantlog(&dir, &["quality", "import", file.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(out.contains("products 1 added"), "{out}");
    assert!(out.contains("materials 1 added"), "{out}");
    let products = plant.get_json(&quality, "/api/quality/products").await;
    let clip = products
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "CLP-5")
        .unwrap_or_else(|| panic!("CLP-5 in {products}"));
    assert_eq!(clip["name"], "Clip 5, zinc");
    assert_eq!(clip["characteristics"][0]["every"], "20 parts");
    assert_eq!(clip["characteristics"][0]["grace_parts"], 2);

    // Mistakes: each with its row and column; nothing changes.
    let lines = added.lines().count();
    let bad = format!(
        "{added}characteristic,,Depth,mm,,CLP-5,measured,2.5,2,x,20 parts,,,\n\
         material,ZN-2,,kg,,,,,,,,,,\n\
         characteristic,,Bend,,,CLP-9,attribute,,,,lot start,,,\n"
    );
    std::fs::write(&file, &bad).unwrap();
    let (ok, out) = plantlog(&dir, &["quality", "import", file.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "row {}, column \"upper\": \"x\" is not a number",
            lines + 1
        )),
        "{out}"
    );
    // A cell that cannot be read is reported first; with it fixed, the whole is checked.
    let bad = bad.replace(",2.5,2,x,", ",2.5,2,3,");
    std::fs::write(&file, &bad).unwrap();
    let (ok, out) = plantlog(&dir, &["quality", "import", file.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(out.contains("2 mistakes"), "{out}");
    assert!(
        out.contains(&format!(
            "row {} (material \"ZN-2\"): the name is empty",
            lines + 2
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "row {} (plan \"CLP-9\"): there is no product \"CLP-9\"",
            lines + 3
        )),
        "{out}"
    );
    // The API says the same, as a 422 with the list.
    let r = quality
        .put(plant.url("/api/quality/master"))
        .header("content-type", "text/csv")
        .body(bad.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let msg = body["message"].as_str().unwrap();
    assert!(
        msg.contains("(material \"ZN-2\"): the name is empty"),
        "{msg}"
    );
    let products = plant.get_json(&quality, "/api/quality/products").await;
    assert!(
        !products
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "CLP-9"),
        "nothing taken"
    );
    // Fixed, the API takes it.
    let good = bad
        .replace("material,ZN-2,,kg", "material,ZN-2,Zinc strip,kg")
        .replace(",CLP-9,", ",CLP-5,");
    let r = quality
        .put(plant.url("/api/quality/master"))
        .header("content-type", "text/csv")
        .body(good)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let done: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["characteristics_added"], 2, "{done}");
    assert_eq!(done["materials_added"], 1, "{done}");
    plant.stop().await;
}

/// X-bar/R of the demo's hole diameter in subgroups of 3 consecutive checks of a lot,
/// limits from a baseline period.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x_bar_r_of_subgroups_with_limits_from_the_baseline() {
    let plant = TestPlant::start().await;
    let quality = plant.client(Role::Quality).await;
    let products = plant.get_json(&quality, "/api/quality/products").await;
    let hole = products
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["characteristics"].as_array().unwrap().iter())
        .find(|c| c["name"] == "Hole diameter")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let all = plant
        .get_json(&quality, &format!("/api/quality/spc/{hole}?subgroup=3"))
        .await;
    let xr = &all["xbar_r"];
    assert_eq!(xr["size"], 3, "{xr}");
    let groups = xr["subgroups"].as_array().unwrap();
    assert!(groups.len() >= 5, "{xr}");
    // Each subgroup: three checks of one lot, its mean and range from the points.
    let points = all["points"].as_array().unwrap();
    let value = |id: &Value| {
        points.iter().find(|p| p["check_id"] == *id).unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    for g in groups {
        let v: Vec<f64> = g["check_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(value)
            .collect();
        assert_eq!(v.len(), 3);
        let mean = v.iter().sum::<f64>() / 3.0;
        assert!((g["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
        let range =
            v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min);
        assert!((g["range"].as_f64().unwrap() - range).abs() < 1e-9);
    }
    let sub: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| {
            g["check_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(value)
                .collect()
        })
        .collect();
    let want = plantlog::quality::spc::xbar_r_limits(&sub).unwrap();
    let upper = xr["limits"]["xbar"]["upper"].as_f64().unwrap();
    assert!((upper - want.xbar.upper).abs() < 1e-9, "{xr}");
    // A baseline of the first subgroups' time only gives other limits.
    let cut = groups[groups.len() / 2]["at"].as_i64().unwrap();
    let from = all["from_ms"].as_i64().unwrap();
    let to = all["to_ms"].as_i64().unwrap();
    let part = plant
        .get_json(
            &quality,
            &format!(
                "/api/quality/spc/{hole}?subgroup=3&from={from}&to={to}&baseline_from={from}&baseline_to={cut}"
            ),
        )
        .await;
    assert_eq!(part["baseline_to_ms"], cut);
    let n = part["xbar_r"]["limits"]["baseline_subgroups"]
        .as_u64()
        .unwrap() as usize;
    assert!(n < groups.len() && n >= 2, "{}", part["xbar_r"]);
    // The baseline's subgroups: those whose three checks all fall before the cut.
    let at = |id: &Value| {
        points.iter().find(|p| p["check_id"] == *id).unwrap()["at"]
            .as_i64()
            .unwrap()
    };
    let before: Vec<Vec<f64>> = groups
        .iter()
        .zip(&sub)
        .filter(|(g, _)| {
            g["check_ids"]
                .as_array()
                .unwrap()
                .iter()
                .all(|id| at(id) < cut)
        })
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(n, before.len(), "{}", part["xbar_r"]);
    let want = plantlog::quality::spc::xbar_r_limits(&before).unwrap();
    let upper = part["xbar_r"]["limits"]["xbar"]["upper"].as_f64().unwrap();
    assert!((upper - want.xbar.upper).abs() < 1e-9, "{}", part["xbar_r"]);
    // Sizes outside 2-10 are refused with the range.
    let r = quality
        .get(plant.url(&format!("/api/quality/spc/{hole}?subgroup=1")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert!(e["message"].as_str().unwrap().contains("2 to 10"), "{e}");
    plant.stop().await;
}

/// A plant with `machines` (TOML) and one serial-line device on a pty pair (`device`:
/// the TOML after `[[devices]]`'s bus and framing lines), the admin logged in, and the
/// quality master data `master` imported (refused is a failure). Returns the pair (write
/// to its `a` end), the plant, the admin's client and the base address.
#[cfg(unix)]
async fn serial_plant(
    machines: &str,
    device: &str,
    master: &str,
) -> (crate::peer::PtyPair, crate::peer::Plant, Client, String) {
    use crate::peer::{Plant, PtyPair, SITE, bus};
    let pty = PtyPair::new();
    let config = format!(
        "{SITE}{machines}{}[[devices]]\nprotocol = \"serial-line\"\nbus = \"line\"\n\
         terminator = \"\\r\\n\"\n{device}",
        bus("line", &pty.b)
    );
    let plant = Plant::start(&config).await;
    let admin = plant.admin().await;
    let base = plant.base();
    let r = admin
        .put(format!("{base}/api/quality/master"))
        .body(master.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    (pty, plant, admin, base)
}

/// A gauge on a serial line (a pty pair joined by socat) prints a reading: the due check
/// of the characteristic read from it is filled with that value, judged against its
/// spec, and marked as read from the gauge.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gauge_on_a_serial_line_fills_a_due_check() {
    use std::io::Write;
    use std::time::Duration;

    let master = "[[products]]\ncode = \"SHF-8\"\nname = \"Shaft\"\n\n[[plans]]\nproduct = \"SHF-8\"\n\n\
        [[plans.characteristics]]\nname = \"Outer diameter\"\nkind = \"measured\"\nnominal = 8.0\n\
        lower = 7.98\nupper = 8.02\nunit = \"mm\"\nevery = \"lot start\"\ngauge = \"gauge-1\"\n";
    let (pty, plant, admin, base) = serial_plant(
        "[[machines]]\nkey = \"lathe\"\nname = \"Lathe\"\n\n",
        "key = \"gauge-1\"\npattern = '^D=(?P<d>[+-]?[0-9.]+)$'\n\
         [[devices.tags]]\nname = \"diameter\"\nfield = \"d\"\nunit = \"mm\"\n",
        master,
    )
    .await;
    // A gauge the plant does not have is refused with the ones it has.
    let r = admin
        .put(format!("{base}/api/quality/master"))
        .body(master.replace("gauge = \"gauge-1\"", "gauge = \"gauge-9\""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("serial-line devices are: gauge-1")
    );
    let r = admin
        .post(format!("{base}/api/quality/lots"))
        .json(&json!({"code": "G-1", "product": "SHF-8", "machine": "lathe"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let due: Value = admin
        .get(format!("{base}/api/quality/due"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let check = &due["machines"][0]["checks"][0];
    assert_eq!(check["state"], "due", "{due}");
    let id = check["characteristic"]["id"].as_i64().unwrap();

    // The operator presses "read gauge", then the gauge's print button.
    let ask = {
        let admin = admin.clone();
        let base = base.clone();
        tokio::spawn(async move {
            admin
                .post(format!("{base}/api/quality/checks/gauge"))
                .json(&json!({"lot": "G-1", "characteristic_id": id}))
                .send()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mut port = std::fs::OpenOptions::new()
        .write(true)
        .open(&pty.a)
        .unwrap();
    port.write_all(b"D=8.031\r\n").unwrap();
    let r = ask.await.unwrap();
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["value"], 8.031);
    assert_eq!(c["source"], "gauge");
    assert_eq!(c["in_spec"], false, "8.031 is above 8.02");
    let due: Value = admin
        .get(format!("{base}/api/quality/due"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(due["machines"][0]["checks"][0]["state"], "satisfied");
    assert_eq!(due["open"][0]["id"], c["id"]);
    plant.stop().await;
}

/// Lots started from a tag holding the order number: a PLC simulated by a serial line
/// on a pty pair prints `ORDER=n` whenever its order changes. The machine's setting names
/// the tag; the first order starts a lot with the machine's default product, the next
/// ends it and starts one with the product from the order master, the same order again
/// changes nothing, and 0 ends the running lot. Mistakes in the settings are all listed.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plc_tag_holding_the_order_number_starts_and_ends_lots() {
    use std::io::Write;
    use std::time::Duration;

    let (pty, plant, admin, base) = serial_plant(
        "[[machines]]\nkey = \"lathe\"\nname = \"Lathe\"\n\n",
        "key = \"plc-1\"\nmachine = \"lathe\"\npattern = '^ORDER=(?P<o>[0-9]+)$'\n\
         [[devices.tags]]\nname = \"order\"\nfield = \"o\"\n",
        "[[products]]\ncode = \"SHF-8\"\nname = \"Shaft\"\n\n\
         [[products]]\ncode = \"SHF-9\"\nname = \"Long shaft\"\n",
    )
    .await;
    // Every mistake is listed, nothing taken.
    let r = admin
        .put(format!("{base}/api/quality/lot-sources"))
        .json(&json!({
            "lot_tags": [{"machine": "mill", "tag": "order"},
                         {"machine": "lathe", "tag": "nope", "default_product": "XX-1"}],
            "orders": [{"code": "5002", "product": "NOPE"}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    let m = e["message"].as_str().unwrap();
    for want in [
        "no machine \"mill\"",
        "\"nope\" is not a tag of lathe",
        "no product \"XX-1\"",
        "order 1: there is no product \"NOPE\"",
    ] {
        assert!(m.contains(want), "{want} in {m}");
    }
    let r = admin
        .put(format!("{base}/api/quality/lot-sources"))
        .json(&json!({
            "lot_tags": [{"machine": "lathe", "tag": "plc-1/order", "default_product": "SHF-8"}],
            "orders": [{"code": "5002", "product": "SHF-9"}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let lots = || async {
        let v: Value = admin
            .get(format!("{base}/api/quality/lots?machine=lathe"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v.as_array().unwrap().clone()
    };
    let mut port = std::fs::OpenOptions::new()
        .write(true)
        .open(&pty.a)
        .unwrap();
    // Waits until the lathe's lots are `want` (code, product, running).
    let wait = |want: Vec<(&'static str, &'static str, bool)>| {
        let lots = &lots;
        async move {
            let mut got = Vec::new();
            for _ in 0..100 {
                got = lots()
                    .await
                    .iter()
                    .map(|l| {
                        (
                            l["code"].as_str().unwrap().to_string(),
                            l["product"].as_str().unwrap().to_string(),
                            l["ended_at"].is_null(),
                        )
                    })
                    .collect::<Vec<_>>();
                got.sort();
                let mut w: Vec<_> = want
                    .iter()
                    .map(|(c, p, r)| (c.to_string(), p.to_string(), *r))
                    .collect();
                w.sort();
                if got == w {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            panic!("lots {got:?}, wanted {want:?}");
        }
    };
    // The settings are read within 5 s; the PLC prints its order.
    tokio::time::sleep(Duration::from_secs(6)).await;
    port.write_all(b"ORDER=5001\r\n").unwrap();
    wait(vec![("5001", "SHF-8", true)]).await;
    // The same order again (a PLC that repeats it) changes nothing.
    port.write_all(b"ORDER=5001\r\n").unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    port.write_all(b"ORDER=5002\r\n").unwrap();
    wait(vec![("5001", "SHF-8", false), ("5002", "SHF-9", true)]).await;
    let all = lots().await;
    let first = all.iter().find(|l| l["code"] == "5001").unwrap();
    let second = all.iter().find(|l| l["code"] == "5002").unwrap();
    assert_eq!(
        first["ended_at"], second["started_at"],
        "one lot ends when the next starts"
    );
    assert_eq!(second["started_by"], "PLC tag plc-1/order");
    // No order: the running lot ends.
    port.write_all(b"ORDER=0\r\n").unwrap();
    wait(vec![("5001", "SHF-8", false), ("5002", "SHF-9", false)]).await;
    let sources: Value = admin
        .get(format!("{base}/api/quality/lot-sources"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sources["lot_tags"][0]["tag"], "plc-1/order", "{sources}");
    plant.stop().await;
}

/// A barcode reader on a serial line (a pty pair) prints the label it scans: the Stores
/// page's request for the next scan gets the code, recognised as the material lot it
/// labels (or whose supplier lot it is); a device that is no reader is not found.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_barcode_reader_on_a_serial_line_recognises_a_material_lot() {
    use std::io::Write;
    use std::time::Duration;

    let (pty, plant, admin, base) = serial_plant(
        "",
        "key = \"reader-1\"\npattern = '^(?P<code>\\S+)$'\n\
         [[devices.tags]]\nname = \"code\"\nfield = \"code\"\ntype = \"string\"\n",
        "[[materials]]\ncode = \"PA6\"\nname = \"Nylon granulate\"\nunit = \"kg\"\n",
    )
    .await;
    let r = admin
        .post(format!("{base}/api/quality/receipts"))
        .json(
            &json!({"code": "ML-S1", "material": "PA6", "supplier": "Polymerwerk",
                      "supplier_lot": "PW-77", "quantity": 25.0}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    let since = plantlog::sample::now_ms();
    let ask = {
        let admin = admin.clone();
        let base = base.clone();
        tokio::spawn(async move {
            admin
                .get(format!("{base}/api/quality/scan?since={since}"))
                .send()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mut port = std::fs::OpenOptions::new()
        .write(true)
        .open(&pty.a)
        .unwrap();
    port.write_all(b"ML-S1\r\n").unwrap();
    let r = ask.await.unwrap();
    assert_eq!(r.status(), 200);
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["code"], "ML-S1", "{s}");
    assert_eq!(s["device"], "reader-1");
    assert_eq!(s["material_lot"]["supplier_lot"], "PW-77", "{s}");
    // A code read before the page asked (since then) is given at once: the supplier's
    // lot is recognised too; an unknown code comes without a lot.
    let scan_after = |after: i64| {
        let admin = admin.clone();
        let base = base.clone();
        async move {
            let r = admin
                .get(format!("{base}/api/quality/scan?since={after}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        }
    };
    let after = s["at"].as_i64().unwrap() + 1;
    port.write_all(b"PW-77\r\n").unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let s = scan_after(after).await;
    assert_eq!(s["code"], "PW-77", "{s}");
    assert_eq!(s["material_lot"]["code"], "ML-S1", "{s}");
    let after = s["at"].as_i64().unwrap() + 1;
    port.write_all(b"XX-1\r\n").unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let s = scan_after(after).await;
    assert_eq!(s["code"], "XX-1", "{s}");
    assert!(s["material_lot"].is_null(), "{s}");
    // A device that is no barcode reader is not found.
    let r = admin
        .get(format!("{base}/api/quality/scan?device=gauge-9"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    plant.stop().await;
}
