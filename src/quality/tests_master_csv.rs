use super::*;
use crate::quality::master;

fn plant() -> PlantNames {
    PlantNames {
        machines: vec!["press-1".into(), "press-2".into()],
        gauges: vec!["gauge-1".into()],
    }
}

const GOOD: &str = "record,code,name,unit,cycle_s,product,kind,nominal,lower,upper,every,grace_minutes,grace_parts,gauge
product,BRK-100,Bracket 100,,press-1=12.5; press-2=14,,,,,,,,,
product,BRK-200,\"Bracket 200, long\",,,,,,,,,,,
characteristic,,Hole diameter,mm,,BRK-100,measured,10,9.95,10.05,50 parts,10,5,gauge-1
characteristic,,Burr free,,,BRK-100,attribute,,,,lot start,,,
material,ST-2MM,Steel sheet 2 mm,kg,,,,,,,,,,
";

#[test]
fn a_good_csv_reads_whole_and_round_trips_through_csv_and_toml() {
    let data = parse_csv(GOOD, &plant()).unwrap();
    assert_eq!(data.products.len(), 2);
    assert_eq!(data.products[0].cycle_s["press-2"], 14.0);
    assert_eq!(data.products[1].name, "Bracket 200, long");
    let plan = &data.plans[0];
    assert_eq!(plan.product, "BRK-100");
    assert_eq!(plan.characteristics.len(), 2);
    let hole = &plan.characteristics[0];
    assert_eq!(
        (hole.lower, hole.upper, hole.nominal),
        (Some(9.95), Some(10.05), Some(10.0))
    );
    assert_eq!(hole.grace_parts, 5);
    assert_eq!(hole.gauge.as_deref(), Some("gauge-1"));
    // An empty grace is the TOML file's default.
    assert_eq!(plan.characteristics[1].grace_minutes, 10);
    assert_eq!(data.materials[0].unit, "kg");
    // CSV → data → CSV is the same data; so is the TOML of it.
    let again = parse_csv(&to_csv(&data), &plant()).unwrap();
    assert_eq!(again, data);
    let toml = master::parse(&master::to_toml(&data), &plant()).unwrap();
    assert_eq!(toml, data);
    assert!(to_csv(&data).starts_with(&COLUMNS.join(",")));
}

fn mistakes(text: &str) -> Vec<String> {
    match parse_csv(text, &plant()) {
        Ok(d) => panic!("accepted: {d:?}"),
        Err(MasterError::Invalid(p)) => p.iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn every_unreadable_cell_is_listed_with_its_row_and_column() {
    let text = "record,code,name,unit,cycle_s,product,kind,nominal,lower,upper,every,colour
product,BRK-100,Bracket 100,,press-1=fast,,,,,,,
characteristic,,Hole diameter,mm,,BRK-100,measured,10,abc,10.05,50 parts,
characteristic,,Flat,,,BRK-100,shiny,,,,lot start,
material,ST-2MM,Steel,kg,,,,,1,,,
machine,X,,,,,,,,,,
";
    let m = mistakes(text);
    let want = [
        "row 1, column 12 \"colour\": there is no column \"colour\"",
        "row 2, column \"cycle_s\": \"press-1=fast\" is not a cycle time",
        "row 3, column \"lower\": \"abc\" is not a number",
        "row 4, column \"kind\": \"shiny\" is not a kind of check",
        "row 5, column \"lower\": a material row has no lower",
        "row 6, column \"record\": \"machine\" is not a kind of row",
    ];
    assert_eq!(m.len(), want.len(), "{m:#?}");
    for (got, want) in m.iter().zip(want) {
        assert!(got.starts_with(want), "{got}\n  wanted {want}");
    }
}

#[test]
fn mistakes_of_the_whole_name_their_rows_and_columns() {
    let text = "record,code,name,unit,cycle_s,product,kind,nominal,lower,upper,every,grace_minutes,grace_parts,gauge
product,BRK-100,Bracket 100,,cnc-9=12,,,,,,,,,
product,brk-100,Again,,,,,,,,,,,
characteristic,,Hole diameter,mm,,BRK-100,measured,10,10.05,9.95,50 potatoes,,,
characteristic,,Burr,,,NOPE,attribute,,,,lot start,,,gauge-9
material,ST-2MM,,kg,,,,,,,,,,
characteristic,,hole diameter,mm,,BRK-100,measured,,,1,lot start,,,
";
    let m = mistakes(text);
    let has = |needle: &str| {
        assert!(
            m.iter().any(|x| x.starts_with(needle)),
            "no mistake starting with {needle:?} in {m:#?}"
        )
    };
    has(
        "row 2, column \"cycle_s\" (product \"BRK-100\", cycle time on \"cnc-9\"): there is no machine \"cnc-9\"",
    );
    has("row 3 (product \"brk-100\"): another product has this code");
    has(
        "row 7 (plan \"BRK-100\", characteristic \"hole diameter\"): the plan has another characteristic of this name",
    );
    has(
        "row 4 (plan \"BRK-100\", characteristic \"Hole diameter\"): the lower limit 10.05 is not below the upper limit 9.95",
    );
    has(
        "row 4, column \"every\" (plan \"BRK-100\", characteristic \"Hole diameter\"): \"potatoes\" in \"50 potatoes\" is not a unit",
    );
    has("row 5 (plan \"NOPE\"): there is no product \"NOPE\"");
    has(
        "row 5, column \"gauge\" (plan \"NOPE\", characteristic \"Burr\"): there is no serial-line device \"gauge-9\"",
    );
    has("row 6 (material \"ST-2MM\"): the name is empty");
}

#[test]
fn a_file_without_a_record_column_says_so() {
    let m = mistakes("code,name\nBRK-100,Bracket\n");
    assert!(
        m.iter().any(|x| x.contains("no \"record\" column")),
        "{m:?}"
    );
}
