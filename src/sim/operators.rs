//! The demo plant's people: its reason tree, ideal cycle times and operators' machines,
//! and simulated operators who explain stops (most of them, a while after the machine
//! runs again; some never) and quality inspectors who enter scrap at the end of each
//! shift. The simulated past gets the same treatment, so the production pages have
//! meaningful data on first start, and `--history-days 30` gives a month of Pareto.

use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rusqlite::Connection;

use crate::auth::User;
use crate::auth::audit::Actor;
use crate::config::{Plant, StateKind};
use crate::core::Core;
use crate::core::production::{NewScrap, ReportRequest, StopReasonBody};
use crate::production::calendar::{By, Calendar};
use crate::production::compute::{self, StopInfo};
use crate::production::records::{self, ReasonKind, Reasons};
use crate::production::timeline::{Recipe, StateSource};
use crate::production::{query, views};
use crate::sample::now_ms;
use crate::store::{Db, StoreError};

/// The demo's reason tree: (category, reason, planned).
pub const DOWNTIME_REASONS: &[(&str, &str, bool)] = &[
    ("Mechanical", "Jam", false),
    ("Mechanical", "Tool breakage", false),
    ("Electrical", "Sensor fault", false),
    ("Electrical", "Drive fault", false),
    ("Material", "Waiting for material", false),
    ("Material", "Wrong material", false),
    ("Quality", "Adjustment", false),
    ("People", "Operator away", false),
    ("Setup", "Changeover", false),
    ("Setup", "Tool change", false),
    ("Planned", "Maintenance", true),
    ("Planned", "No orders", true),
];

pub const SCRAP_REASONS: &[(&str, &str)] = &[
    ("Scrap", "Burr"),
    ("Scrap", "Dimension"),
    ("Scrap", "Surface"),
    ("Scrap", "Start-up"),
];

/// Which reasons operators give to a stop, by its longest down state: (category,
/// reason, weight).
fn choices(kind: StateKind) -> &'static [(&'static str, &'static str, f64)] {
    match kind {
        StateKind::Fault => &[
            ("Mechanical", "Jam", 0.35),
            ("Mechanical", "Tool breakage", 0.2),
            ("Electrical", "Sensor fault", 0.3),
            ("Electrical", "Drive fault", 0.15),
        ],
        StateKind::Setup => &[("Setup", "Changeover", 0.8), ("Setup", "Tool change", 0.2)],
        StateKind::Idle => &[
            ("Material", "Waiting for material", 0.5),
            ("Planned", "No orders", 0.3),
            ("People", "Operator away", 0.2),
        ],
        _ => &[
            ("Material", "Waiting for material", 0.3),
            ("People", "Operator away", 0.2),
            ("Mechanical", "Jam", 0.3),
            ("Quality", "Adjustment", 0.15),
            ("Material", "Wrong material", 0.05),
        ],
    }
}

/// Share of stops people explain; the rest stay unexplained.
const EXPLAINED: f64 = 0.85;

fn pick(rng: &mut StdRng, kind: StateKind, tree: &Reasons) -> Option<i64> {
    let list = choices(kind);
    let total: f64 = list.iter().map(|c| c.2).sum();
    let mut x = rng.random_range(0.0..total);
    for (c, n, w) in list {
        if x < *w {
            return tree
                .find(ReasonKind::Downtime, &format!("{c}/{n}"))
                .map(|r| r.id);
        }
        x -= w;
    }
    None
}

fn dominant(s: &StopInfo) -> StateKind {
    let k = (0..4).max_by_key(|&i| s.down_by_state[i]).unwrap_or(0);
    compute::DOWN_STATES[k]
}

/// The reason tree, ideal cycle times (from `from` on) and the demo operator's
/// machines, unless they are there already.
pub fn setup(db: &Db, cycles: &[(&str, f64)], from: i64) -> Result<(), StoreError> {
    db.sql(|c| {
        let tx = crate::store::write_tx(c)?;
        let tree = records::reasons(&tx)?;
        for (cat, name, planned) in DOWNTIME_REASONS {
            if tree
                .find(ReasonKind::Downtime, &format!("{cat}/{name}"))
                .is_none()
            {
                records::add_reason(
                    &tx,
                    ReasonKind::Downtime,
                    cat,
                    name,
                    *planned,
                    "plantlog demo",
                    from,
                )?;
            }
        }
        for (cat, name) in SCRAP_REASONS {
            if tree
                .find(ReasonKind::Scrap, &format!("{cat}/{name}"))
                .is_none()
            {
                records::add_reason(
                    &tx,
                    ReasonKind::Scrap,
                    cat,
                    name,
                    false,
                    "plantlog demo",
                    from,
                )?;
            }
        }
        let ids = records::machine_ids(&tx)?;
        for (key, cycle_s) in cycles {
            if let Some(&id) = ids.get(*key)
                && records::ideal_cycles(&tx, id, key)?.is_empty()
            {
                let ms = (cycle_s * 1000.0).round() as i64;
                records::set_ideal_cycle(
                    &tx,
                    id,
                    from,
                    ms,
                    "the machine's rated cycle",
                    "plantlog demo",
                    from,
                )?;
            }
        }
        tx.commit()
    })
}

/// Gives the demo operator their machines, unless they have some.
pub fn assign_operator(db: &Db, username: &str, machines: &[&str]) -> Result<(), StoreError> {
    db.sql(|c| {
        let Some((user, _)) = crate::auth::users::by_username(c, username).ok().flatten() else {
            return Ok(());
        };
        if !records::assigned(c, user.id)?.is_empty() {
            return Ok(());
        }
        let ids = records::machine_ids(c)?;
        let m: Vec<i64> = machines
            .iter()
            .filter_map(|k| ids.get(*k).copied())
            .collect();
        records::set_assigned(c, user.id, &m)
    })
}

fn machines_with_state(plant: &Plant) -> Vec<(String, Recipe)> {
    plant
        .config
        .machines
        .iter()
        .map(|m| (m.key.clone(), Recipe::of(plant, m)))
        .filter(|(_, r)| r.state != StateSource::None)
        .collect()
}

/// Explains the stops of the simulated past [from, to) as operators would have (all
/// but the last stop of each machine, which waits for a real operator, and a share
/// left unexplained), and enters scrap at the end of each shift.
pub fn explain_history(
    db: &Db,
    plant: &Plant,
    from: i64,
    to: i64,
    seed: u64,
) -> Result<(), StoreError> {
    let calendar = Calendar::new(&plant.config);
    let now = now_ms().max(to);
    db.sql(|c| {
        let tree = records::reasons(c)?;
        let ids = records::machine_ids(c)?;
        for (key, recipe) in machines_with_state(plant) {
            let Some(&id) = ids.get(&key) else { continue };
            let periods = calendar.periods(By::Shift, from, to);
            if periods.is_empty() {
                continue;
            }
            let (data, recs) = query::machine_history(c, id, &recipe, &periods, from, to, now)?;
            let computed = compute::compute(&calendar, &tree, &recipe, &data, &recs, &periods);
            explain(c, id, &computed.stops, &tree, seed)?;
            scrap(c, id, &periods, &computed.periods, &tree, seed, to)?;
        }
        Ok(())
    })
}

fn explain(
    c: &mut Connection,
    id: i64,
    stops: &[StopInfo],
    tree: &Reasons,
    seed: u64,
) -> rusqlite::Result<()> {
    let needing: Vec<&StopInfo> = stops
        .iter()
        .filter(|s| s.parts > 0 && s.end.is_some())
        .collect();
    let tx = crate::store::write_tx(c)?;
    for s in needing.iter().take(needing.len().saturating_sub(1)) {
        let mut rng = StdRng::seed_from_u64(seed ^ (s.start as u64) ^ ((id as u64) << 48));
        if rng.random::<f64>() >= EXPLAINED {
            continue;
        }
        let end = s.end.unwrap_or(s.start);
        let by = if rng.random::<f64>() < 0.8 {
            "operator"
        } else {
            "supervisor"
        };
        let at = end + rng.random_range(120_000..1_500_000);
        let reason = pick(&mut rng, dominant(s), tree);
        records::set_stop_reason(&tx, id, s.start, reason, "", by, at)?;
        // A long stop is now and then split: the second half had another cause.
        if end - s.start > 20 * 60_000 && rng.random::<f64>() < 0.15 {
            let mid = s.start + (end - s.start) / 2;
            let other = pick(&mut rng, StateKind::Stopped, tree);
            records::set_stop_reason(&tx, id, mid, other, "then waited for the fitter", by, at)?;
        }
    }
    tx.commit()
}

#[allow(clippy::too_many_arguments)]
fn scrap(
    c: &mut Connection,
    id: i64,
    periods: &[crate::production::Period],
    tallies: &[compute::Tally],
    tree: &Reasons,
    seed: u64,
    to: i64,
) -> rusqlite::Result<()> {
    let tx = crate::store::write_tx(c)?;
    for (p, t) in periods.iter().zip(tallies) {
        if p.shift.is_none() || t.parts == 0 || p.end_ms > to - 60_000 {
            continue;
        }
        let mut rng = StdRng::seed_from_u64(seed ^ (p.start_ms as u64) ^ ((id as u64) << 40));
        let n = (t.parts as f64 * rng.random_range(0.002..0.02)).round() as i64;
        if n == 0 {
            continue;
        }
        let (cat, name) = SCRAP_REASONS[rng.random_range(0..SCRAP_REASONS.len())];
        let reason = tree
            .find(ReasonKind::Scrap, &format!("{cat}/{name}"))
            .map(|r| r.id);
        let at = p.end_ms - rng.random_range(60_000..900_000);
        records::add_scrap(
            &tx,
            id,
            at,
            n,
            reason,
            "counted at the shift's end",
            "quality",
            p.end_ms,
        )?;
    }
    tx.commit()
}

/// The demo's people at work while it runs: stops that began after `since` are
/// explained by the operators a few minutes after the machine runs again (most of
/// them), and at each shift's end the inspector enters its scrap.
pub async fn run_live(core: Arc<Core>, since: i64, seed: u64) {
    let users = match core.users().await {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!("simulated operators cannot start: {e}");
            return;
        }
    };
    let find = |name: &str| users.iter().find(|u| u.username == name).cloned();
    let (Some(operator), Some(supervisor), Some(quality)) =
        (find("operator"), find("supervisor"), find("quality"))
    else {
        return;
    };
    let actor = |u: &User| Actor {
        id: Some(u.id),
        name: u.username.clone(),
        client: "simulated".to_string(),
    };
    let mut last_shift: Option<(i64, i64)> = None;
    loop {
        tokio::select! {
            _ = core.stopping() => return,
            _ = tokio::time::sleep(Duration::from_secs(20)) => {}
        }
        let Ok(view) = core.shift_view(&supervisor).await else {
            continue;
        };
        let Ok(tree) = core.reasons().await else {
            continue;
        };
        let tree = Reasons {
            by_id: tree.into_iter().map(|r| (r.id, r)).collect(),
        };
        let mine = core.visible_machines(&operator).await.unwrap_or_default();
        let now = view.now_ms;
        for m in &view.machines {
            for s in &m.to_explain {
                let Some(end) = s.end_ms else { continue };
                if s.start_ms < since {
                    continue;
                }
                let mut rng = StdRng::seed_from_u64(seed ^ s.start_ms as u64);
                let explain = rng.random::<f64>() < EXPLAINED;
                let delay = rng.random_range(240_000..1_500_000);
                if !explain || now - end < delay {
                    continue;
                }
                let kind = dominant_view(s);
                let reason = pick(&mut rng, kind, &tree);
                let who = if mine.contains(&m.key) {
                    &operator
                } else {
                    &supervisor
                };
                let body = StopReasonBody {
                    machine: m.key.clone(),
                    at_ms: s.start_ms,
                    reason_id: reason,
                    comment: None,
                };
                if let Err(e) = core.set_stop_reason(who, actor(who), body).await {
                    tracing::debug!("simulated operator: {e}");
                }
            }
        }
        // Checks that fell due on the running lots are entered.
        let plant = core.plant();
        let (op, insp, my) = (actor(&operator), actor(&quality), mine.clone());
        let entered = crate::quality::service::db(&core, move |c| {
            Ok(super::quality::enter_due_checks(
                c,
                &plant,
                (&op, &my),
                &insp,
                seed,
                now,
            )?)
        })
        .await;
        match entered {
            Ok(0) => {}
            Ok(_) => {
                if let Err(e) = crate::quality::service::watch_overdue(&core).await {
                    tracing::debug!("simulated inspector: {e}");
                }
            }
            Err(e) => tracing::debug!("simulated inspector: {e}"),
        }
        // At a shift's end, the inspector enters its scrap.
        let shift = (view.shift.start_ms, view.shift.end_ms);
        if let Some(prev) = last_shift
            && prev != shift
            && view.shift.start_ms >= since
        {
            let req = ReportRequest {
                from: Some(prev.0),
                to: Some(prev.1.min(now)),
                machine: None,
                by: Some(By::Shift),
                last: None,
            };
            if let Ok(r) = core.production_report(&quality, req).await {
                for row in r.rows.iter().filter(|r| r.period.shift.is_some()) {
                    let mut rng = StdRng::seed_from_u64(seed ^ row.period.start_ms as u64);
                    let n = (row.figures.parts_total as f64 * rng.random_range(0.002..0.02)).round()
                        as i64;
                    let (cat, name) = SCRAP_REASONS[rng.random_range(0..SCRAP_REASONS.len())];
                    if n > 0 {
                        let s = NewScrap {
                            machine: row.machine.clone(),
                            at_ms: Some(row.period.end_ms - 60_000),
                            parts: n,
                            reason_id: tree
                                .find(ReasonKind::Scrap, &format!("{cat}/{name}"))
                                .map(|r| r.id),
                            comment: Some("counted at the shift's end".into()),
                        };
                        if let Err(e) = core.add_scrap(&quality, actor(&quality), s).await {
                            tracing::debug!("simulated inspector: {e}");
                        }
                    }
                }
            }
        }
        last_shift = Some(shift);
    }
}

fn dominant_view(s: &views::StopView) -> StateKind {
    let d = &s.down_by_state;
    let list = [
        (d.stopped_s, StateKind::Stopped),
        (d.idle_s, StateKind::Idle),
        (d.setup_s, StateKind::Setup),
        (d.fault_s, StateKind::Fault),
    ];
    list.iter()
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(StateKind::Stopped, |x| x.1)
}
