use super::*;

fn plant() -> PlantNames {
    PlantNames {
        machines: vec!["press-1".into(), "press-2".into()],
        gauges: vec!["gauge-1".into()],
    }
}

const GOOD: &str = r#"
[[products]]
code = "BRK-100"
name = "Bracket 100"
cycle_s = { press-1 = 12.5, press-2 = 14 }

[[products]]
code = "BRK-200"
name = "Bracket 200"

[[plans]]
product = "BRK-100"

[[plans.characteristics]]
name = "Hole diameter"
kind = "measured"
nominal = 10.0
lower = 9.95
upper = 10.05
unit = "mm"
every = "50 parts"
gauge = "gauge-1"

[[plans.characteristics]]
name = "Burr free"
kind = "attribute"
every = "lot start"

[[plans.characteristics]]
name = "Flatness"
kind = "measured"
upper = 0.2
unit = "mm"
every = "30 minutes"
grace_minutes = 5

[[materials]]
code = "ST-2MM"
name = "Steel sheet 2 mm"
unit = "kg"
"#;

#[test]
fn a_good_file_reads_whole_and_round_trips_through_toml() {
    let data = parse(GOOD, &plant()).unwrap();
    assert_eq!(data.products.len(), 2);
    assert_eq!(data.products[0].cycle_s["press-2"], 14.0);
    let plan = &data.plans[0];
    assert_eq!(plan.characteristics.len(), 3);
    assert_eq!(
        plan.characteristics[0].frequency(),
        Frequency::Parts { parts: 50 }
    );
    assert_eq!(plan.characteristics[1].frequency(), Frequency::LotStart);
    assert_eq!(
        plan.characteristics[2].grace(),
        Grace {
            minutes: 5,
            parts: 0
        }
    );
    assert_eq!(plan.characteristics[0].grace_minutes, 10, "the default");
    let again = parse(&to_toml(&data), &plant()).unwrap();
    assert_eq!(again, data);
}

#[test]
fn every_mistake_is_listed_with_its_place() {
    let text = r#"
[[products]]
code = "BRK-100"
name = "Bracket 100"
cycle_s = { press-9 = 0 }

[[products]]
code = "brk-100"
name = ""
colour = "red"

[[plans]]
product = "BRK-999"

[[plans.characteristics]]
name = "Hole"
kind = "measured"
lower = 10.05
upper = 9.95
nominal = 11
every = "fifty parts"
gauge = "gauge-7"

[[plans.characteristics]]
name = "hole"
kind = "attribute"
upper = 1
every = "0 minutes"

[[plans.characteristics]]
name = "Depth"
kind = "measured"
every = "2 hours"
grace_parts = -1

[[materials]]
code = " ST "
name = "Steel"
unit = ""

[[stock]]
"#;
    let Err(MasterError::Invalid(problems)) = parse(text, &plant()) else {
        panic!("a file with mistakes is refused");
    };
    let has = |place: &str, words: &str| {
        problems
            .iter()
            .any(|p| p.place.contains(place) && p.message.contains(words))
    };
    let expected = [
        (
            "product \"BRK-100\", cycle time on \"press-9\"",
            "no machine \"press-9\"",
        ),
        (
            "product \"BRK-100\", cycle time on \"press-9\"",
            "more than 0",
        ),
        ("product \"brk-100\"", "another product has this code"),
        ("product \"brk-100\"", "name is empty"),
        ("product \"brk-100\", field \"colour\"", "unknown key"),
        ("plan \"BRK-999\"", "no product \"BRK-999\""),
        ("characteristic \"Hole\"", "lower limit 10.05 is not below"),
        (
            "characteristic \"Hole\", field \"nominal\"",
            "outside the limits",
        ),
        ("characteristic \"Hole\"", "needs its unit"),
        (
            "characteristic \"Hole\", field \"every\"",
            "not a whole number",
        ),
        ("characteristic \"Hole\", field \"gauge\"", "gauge-1"),
        (
            "characteristic \"hole\"",
            "another characteristic of this name",
        ),
        ("characteristic \"hole\", field \"upper\"", "pass or fail"),
        ("characteristic \"hole\", field \"every\"", "1 or more"),
        (
            "characteristic \"Depth\", field \"grace_parts\"",
            "not a whole number of 0 or more",
        ),
        ("material \" ST \"", "begins or ends with a space"),
        ("material \" ST \"", "unit is empty"),
        ("file, field \"stock\"", "unknown key"),
    ];
    for (place, words) in expected {
        assert!(
            has(place, words),
            "missing {place}: {words} in {problems:#?}"
        );
    }
    // Depth could not be read whole: like an item of the plant configuration, it is
    // reported for its unreadable field and not checked further until that is fixed.
    assert!(!has("characteristic \"Depth\"", "lower or an upper limit"));
    let message = MasterError::Invalid(problems.clone()).to_string();
    assert!(message.starts_with(&format!(
        "the products, plans and materials were not imported; {} mistakes to fix",
        problems.len()
    )));
}

#[test]
fn a_file_that_is_not_toml_says_where() {
    let Err(MasterError::Invalid(problems)) = parse("[[products]\ncode = 1", &plant()) else {
        panic!("refused");
    };
    assert_eq!(problems.len(), 1);
    assert!(problems[0].place.starts_with("line 1"), "{problems:?}");
}

#[test]
fn frequencies_in_words() {
    assert_eq!(parse_every("1 part"), Ok(Frequency::Parts { parts: 1 }));
    assert_eq!(
        parse_every(" 30 Minutes "),
        Ok(Frequency::Minutes { minutes: 30 })
    );
    assert_eq!(parse_every("shift start"), Ok(Frequency::ShiftStart));
    assert!(parse_every("10081 minutes").unwrap_err().contains("a week"));
    assert!(parse_every("every shift").is_err());
}
