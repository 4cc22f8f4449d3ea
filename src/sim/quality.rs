//! The demo plant's quality and stores data, seeded once into a new data folder (or one
//! without any products): products with inspection plans, materials, material lots
//! received from suppliers and issued to the lots, production lots on four machines
//! (a finished one and a running one each, and an older one for the SPC charts),
//! checks with a few out of spec (some dispositioned, some waiting), and scrap. Entered
//! through `quality::store` like the API does, so every entry is audited.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::auth::audit::Actor;
use crate::config::Plant;
use crate::quality::master::{self, PlantNames};
use crate::quality::store::{
    self, CharacteristicView, NewCheck, NewDisposition, NewLot, NewLotScrap, NewMove, NewReceipt,
    QualityError,
};
use crate::quality::trace;
use crate::store::{Db, StoreError};

/// Products, plans and materials of the demo plant.
pub const MASTER: &str = r#"
[[products]]
code = "BRK-100"
name = "Bracket 100"
cycle_s = { press-1 = 2.4, press-2 = 3.1 }

[[products]]
code = "CAP-20"
name = "Cap 20 mm"
cycle_s = { molder-1 = 22.0 }

[[products]]
code = "SHF-8"
name = "Shaft 8 mm"
cycle_s = { cnc-1 = 95.0 }

[[plans]]
product = "BRK-100"

[[plans.characteristics]]
name = "Hole diameter"
kind = "measured"
nominal = 10.0
lower = 9.95
upper = 10.05
unit = "mm"
every = "30 minutes"

[[plans.characteristics]]
name = "Burr free"
kind = "attribute"
every = "lot start"

[[plans]]
product = "CAP-20"

[[plans.characteristics]]
name = "Weight"
kind = "measured"
nominal = 4.2
lower = 4.1
upper = 4.3
unit = "g"
every = "20 minutes"

[[plans.characteristics]]
name = "Short shot"
kind = "attribute"
every = "shift start"

[[plans]]
product = "SHF-8"

[[plans.characteristics]]
name = "Outer diameter"
kind = "measured"
nominal = 8.0
lower = 7.98
upper = 8.02
unit = "mm"
every = "10 parts"

[[materials]]
code = "ST-2MM"
name = "Steel sheet 2 mm"
unit = "kg"

[[materials]]
code = "PP-NAT"
name = "Polypropylene granulate, natural"
unit = "kg"

[[materials]]
code = "AL-BAR-10"
name = "Aluminium bar 10 mm"
unit = "m"
"#;

/// (machine, product, characteristic sigma as a fraction of the tolerance, material
/// label, quantity issued per lot)
const RUNS: &[(&str, &str, f64, &str, f64)] = &[
    ("press-1", "BRK-100", 0.14, "ML-2401", 180.0),
    ("press-2", "BRK-100", 0.17, "ML-2402", 160.0),
    ("molder-1", "CAP-20", 0.15, "ML-2403", 45.0),
    ("cnc-1", "SHF-8", 0.12, "ML-2404", 12.0),
];

/// A reading of a characteristic: a measured value around the nominal (Box-Muller:
/// normal with `spread` of the tolerance as its deviation; with probability `beyond` one
/// past the upper limit), or an attribute's pass (fail at 3 %).
fn reading(
    rng: &mut StdRng,
    ch: &CharacteristicView,
    spread: f64,
    beyond: f64,
) -> (Option<f64>, Option<bool>) {
    if ch.kind != "measured" {
        return (None, Some(rng.random::<f64>() > 0.03));
    }
    let (l, u) = (ch.lower.unwrap_or(0.0), ch.upper.unwrap_or(1.0));
    let nominal = ch.nominal.unwrap_or((l + u) / 2.0);
    let (a, b): (f64, f64) = (rng.random(), rng.random());
    let z = (-2.0 * a.max(1e-12).ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos();
    let mut v = nominal + z * spread * (u - l);
    if rng.random::<f64>() < beyond {
        v = u + (u - l) * 0.08;
    }
    let digits = if (u - l) < 0.1 { 1000.0 } else { 100.0 };
    (Some((v * digits).round() / digits), None)
}

/// The live demo's people enter the checks that fall due on the running lots, as a
/// plant's operators do: each a few minutes after it falls due (within its grace, so
/// the overdue alarm stays for the checks nobody makes), one in twenty late enough to
/// be flagged overdue for a while first. The operator enters the checks of the machines
/// in `mine`, the inspector the others. Returns how many checks were entered.
pub fn enter_due_checks(
    conn: &mut rusqlite::Connection,
    plant: &Plant,
    (operator, mine): (&Actor, &[String]),
    inspector: &Actor,
    seed: u64,
    now: i64,
) -> Result<usize, QualityError> {
    const MIN: i64 = 60_000;
    let mut entered = 0;
    for machine in store::running_machines(conn)? {
        let Some((lot, checks)) = trace::due_on(conn, plant, &machine, now)? else {
            continue;
        };
        let spread = RUNS.iter().find(|r| r.0 == machine).map_or(0.15, |r| r.2);
        for d in checks {
            if d.state != "due" && d.state != "overdue" {
                continue;
            }
            let ch = &d.characteristic;
            let point = d.time.unwrap_or(0) ^ d.part.unwrap_or(0).rotate_left(32);
            let mut rng = StdRng::seed_from_u64(
                seed ^ (lot.id as u64).rotate_left(48)
                    ^ (ch.id as u64).rotate_left(40)
                    ^ point as u64,
            );
            let grace = ch.grace_minutes.max(1) * MIN;
            let wait = if rng.random::<f64>() < 0.05 {
                grace + rng.random_range(3 * MIN..12 * MIN)
            } else {
                rng.random_range(MIN..(grace * 7 / 10).max(2 * MIN))
            };
            // Checks due by time wait from their due time; checks due by parts are
            // made at the next look.
            if let Some(since) = d.time
                && now - since < wait
            {
                continue;
            }
            let (value, passed) = reading(&mut rng, ch, spread, 0.02);
            let parts = d.parts;
            store::add_check(
                conn,
                &NewCheck {
                    lot: lot.code.clone(),
                    characteristic_id: ch.id,
                    value,
                    passed,
                    comment: None,
                    corrects: None,
                },
                "typed",
                parts,
                if mine.contains(&machine) {
                    operator
                } else {
                    inspector
                },
                now,
            )?;
            entered += 1;
        }
    }
    Ok(entered)
}

fn q(e: QualityError) -> StoreError {
    StoreError::from(match e {
        QualityError::Db(e) => e,
        other => rusqlite::Error::InvalidParameterName(other.to_string()),
    })
}

/// Seeds the demo's quality data if there is none; `now` is the end of the simulated
/// past, `history_ms` its length.
pub fn seed(db: &Db, plant: &Plant, now: i64, seed: u64) -> Result<(), StoreError> {
    db.with(|c| {
        if !store::is_empty(c).map_err(q)? {
            return Ok(());
        }
        let names = PlantNames {
            machines: plant
                .config
                .machines
                .iter()
                .map(|m| m.key.clone())
                .collect(),
            gauges: Vec::new(),
        };
        let data =
            master::parse(MASTER, &names).map_err(|e| q(QualityError::NotFound(e.to_string())))?;
        let who = |name: &str| Actor {
            id: None,
            name: name.to_string(),
            client: "plantlog demo".to_string(),
        };
        let demo = who("plantlog demo");
        let quality = who("quality");
        let stores = who("stores");
        let operator = who("operator");
        let supervisor = who("supervisor");
        store::import_master(c, &data, &demo, now - 30 * 3_600_000).map_err(q)?;
        let mut rng = StdRng::seed_from_u64(seed);
        const H: i64 = 3_600_000;
        const MIN: i64 = 60_000;

        // Stores: material received yesterday.
        let receipts = [
            (
                "ML-2401",
                "ST-2MM",
                "Nordstahl GmbH",
                "NS-24-7781",
                1200.0,
                "3.1-7781",
            ),
            (
                "ML-2402",
                "ST-2MM",
                "Nordstahl GmbH",
                "NS-24-7790",
                1000.0,
                "3.1-7790",
            ),
            (
                "ML-2403",
                "PP-NAT",
                "PolyChem SA",
                "PC-B-55120",
                500.0,
                "COA-55120",
            ),
            (
                "ML-2404",
                "AL-BAR-10",
                "Alu Profil AG",
                "AP-10-3342",
                120.0,
                "3.1B-3342",
            ),
            ("ML-2405", "PP-NAT", "PolyChem SA", "PC-B-55187", 750.0, ""),
        ];
        for (i, (code, material, supplier, slot, qty, cert)) in receipts.iter().enumerate() {
            let at = now - 28 * H + i as i64 * 20 * MIN;
            store::receive(
                c,
                &NewReceipt {
                    code: (*code).into(),
                    material: (*material).into(),
                    supplier: (*supplier).into(),
                    supplier_lot: (*slot).into(),
                    quantity: *qty,
                    received_at: Some(at),
                    certificate: Some((*cert).into()),
                },
                &stores,
                at,
            )
            .map_err(q)?;
        }

        let mut lot_no = 2600;
        for (machine, product, spread, material, qty) in RUNS {
            if plant.machine(machine).is_none() {
                continue;
            }
            let plan = store::plan_of(c, product).map_err(q)?;
            let cycle = data
                .products
                .iter()
                .find(|p| p.code == *product)
                .and_then(|p| p.cycle_s.get(*machine).copied())
                .unwrap_or(10.0);
            // An older lot (for the SPC chart), the last finished one, the running one.
            let spans = [
                (now - 26 * H, Some(now - 14 * H)),
                (now - 2 * H + 5 * MIN, Some(now - 50 * MIN)),
                (now - 50 * MIN + 2 * MIN, None),
            ];
            for (k, (start, end)) in spans.iter().enumerate() {
                lot_no += 1;
                let code = format!("L{lot_no}");
                let starter = if k == 1 { &supervisor } else { &operator };
                store::start_lot(
                    c,
                    &NewLot {
                        code: code.clone(),
                        product: (*product).into(),
                        machine: (*machine).into(),
                        at: Some(*start),
                    },
                    starter,
                    *start,
                )
                .map_err(q)?;
                // Material issued to the machine as the lot starts.
                store::move_material(
                    c,
                    &NewMove {
                        material_lot: (*material).into(),
                        kind: "issue".into(),
                        quantity: *qty,
                        machine: Some((*machine).into()),
                        comment: None,
                    },
                    &stores,
                    start + 3 * MIN,
                )
                .map_err(q)?;
                let stop = end.unwrap_or(now - 12 * MIN);
                let mut at = start + 4 * MIN;
                let mut first = true;
                while at < stop {
                    let parts = ((at - start) as f64 / (cycle * 1000.0) * 0.85) as i64;
                    for ch in &plan {
                        if ch.kind != "measured" && !first {
                            continue;
                        }
                        let (value, passed) = reading(&mut rng, ch, *spread, 0.04);
                        let by = if rng.random::<f64>() < 0.7 {
                            &operator
                        } else {
                            &quality
                        };
                        let check = store::add_check(
                            c,
                            &NewCheck {
                                lot: code.clone(),
                                characteristic_id: ch.id,
                                value,
                                passed,
                                comment: None,
                                corrects: None,
                            },
                            "demo",
                            parts,
                            by,
                            at,
                        )
                        .map_err(q)?;
                        // Quality gives most out-of-spec results a disposition; the
                        // running lots keep one or two waiting.
                        if !check.in_spec && (end.is_some() || rng.random::<f64>() < 0.3) {
                            let (d, note) = match rng.random_range(0..3) {
                                0 => (
                                    "rework",
                                    "parts since the last good check sorted and reworked",
                                ),
                                1 => ("scrap", "parts since the last good check scrapped"),
                                _ => ("accept_deviation", "within the customer's deviation D-114"),
                            };
                            store::dispose(
                                c,
                                check.id,
                                &NewDisposition {
                                    disposition: d.into(),
                                    comment: note.into(),
                                },
                                &quality,
                                at + 6 * MIN,
                            )
                            .map_err(q)?;
                        }
                    }
                    first = false;
                    at += if *machine == "cnc-1" {
                        45 * MIN
                    } else {
                        20 * MIN
                    };
                }
                if rng.random::<f64>() < 0.8 {
                    let reasons = [
                        "Burrs",
                        "Dimension out of tolerance",
                        "Surface marks",
                        "Setup parts",
                    ];
                    store::add_lot_scrap(
                        c,
                        &code,
                        &NewLotScrap {
                            parts: rng.random_range(2..25),
                            reason: reasons[rng.random_range(0..reasons.len())].into(),
                            comment: None,
                        },
                        &operator,
                        stop - 5 * MIN,
                    )
                    .map_err(q)?;
                }
                if let Some(end) = end {
                    store::end_lot(c, &code, Some(*end), starter, *end).map_err(q)?;
                    store::move_material(
                        c,
                        &NewMove {
                            material_lot: (*material).into(),
                            kind: "return".into(),
                            quantity: (qty * 0.1).round(),
                            machine: None,
                            comment: Some("left over at the lot's end".into()),
                        },
                        &stores,
                        end + 10 * MIN,
                    )
                    .map_err(q)?;
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    /// Over eight hours of the live demo (looked at each minute), the simulated people keep up with the running
    /// lots' checks: every due check is entered, none stays overdue longer than its
    /// grace plus the few late ones' twelve minutes, and the overdue flag is seen now
    /// and then (the late ones).
    #[test]
    fn the_simulated_people_enter_the_checks_that_fall_due() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("plantlog.db")).unwrap();
        let cfg = super::super::demo::plant_config(
            |_| std::net::SocketAddr::from(([127, 0, 0, 1], 1)),
            "UTC",
        );
        let actor = Actor {
            id: None,
            name: "test".into(),
            client: "test".into(),
        };
        let text = config::export(&cfg);
        db.with(|c| {
            config::import(c, &cfg, &text, config::Base::Any, &actor)
                .map(|_| ())
                .map_err(|e| StoreError::from(rusqlite::Error::InvalidParameterName(e.to_string())))
        })
        .unwrap();
        let plant = db
            .with(|c| Ok::<_, StoreError>(config::load_plant(c)))
            .unwrap()
            .unwrap();
        let start = 1_790_000_000_000;
        seed(&db, &plant, start, 7).unwrap();
        let operator = Actor {
            id: None,
            name: "operator".into(),
            client: "simulated".into(),
        };
        let inspector = Actor {
            name: "quality".into(),
            ..operator.clone()
        };
        let mine = vec!["press-1".to_string()];
        let (mut entered, mut overdue_seen, mut worst_late) = (0, 0, 0i64);
        let mut now = start;
        while now < start + 8 * 3_600_000 {
            now += 60_000;
            entered += db
                .with(|c| {
                    enter_due_checks(c, &plant, (&operator, &mine), &inspector, 7, now).map_err(q)
                })
                .unwrap();
            let due = db
                .with(|c| {
                    let mut all = Vec::new();
                    for m in store::running_machines(c).map_err(q)? {
                        if let Some((_, d)) = trace::due_on(c, &plant, &m, now).map_err(q)? {
                            all.extend(d);
                        }
                    }
                    Ok::<_, StoreError>(all)
                })
                .unwrap();
            for d in due.iter().filter(|d| d.state == "overdue") {
                overdue_seen += 1;
                worst_late = worst_late
                    .max(now - d.time.unwrap_or(now) - d.characteristic.grace_minutes * 60_000);
            }
        }
        // Four running lots with checks every 20 or 30 minutes (cnc-1: its own plan).
        assert!(
            entered >= 40,
            "only {entered} checks entered in eight hours"
        );
        assert!(
            worst_late <= 12 * 60_000 + 60_000,
            "a check stayed overdue {worst_late} ms past its grace"
        );
        assert!(
            overdue_seen > 0,
            "no check was ever late: the overdue flag is never shown"
        );
        let by_operator = db
            .with(|c| {
                c.query_row(
                    "SELECT count(*) FROM quality_checks WHERE source = 'typed'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(StoreError::from)
            })
            .unwrap();
        assert_eq!(by_operator as usize, entered);
    }
}
