//! Reading the passport's facts from the running core, now.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use super::{Fact, Msg, Passport, Section, m, text};
use crate::auth::Role;
use crate::config::RecordMode;
use crate::core::{Core, Error};
use crate::sample::now_ms;
use crate::store::retention::Class;
use crate::sync::SyncState;

/// Growth is measured over this many days of what is stored.
pub const GROWTH_WINDOW_DAYS: i64 = 7;
/// What one recent sample takes on disk in the hot rows, about (packed per commit:
/// time, tag, value and quality in a few bytes, and the row's and page's share).
pub const HOT_ROW_BYTES: u64 = 8;

const DAY_MS: i64 = 86_400_000;

/// The counts the passport reads from the database itself (no page shows them).
struct Counts {
    stop_reasons: i64,
    scrap: i64,
    counter_reviews: i64,
    audit: i64,
    logins: i64,
    sessions: i64,
    /// The newest full export: when, by whom, where, what (the audit record).
    last_export: Option<(i64, String, String, String)>,
    /// Bytes of samples stored in the growth window, and the oldest sample in it.
    window_bytes: u64,
    window_oldest: Option<i64>,
}

fn counts(c: &Connection, since: i64) -> rusqlite::Result<Counts> {
    let one = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0));
    let (block_bytes, block_oldest): (i64, Option<i64>) = c.query_row(
        "SELECT coalesce(sum(b), 0), min(f) FROM (
            SELECT sum(length(data)) AS b, min(first) AS f FROM blocks WHERE last >= ?1
            UNION ALL
            SELECT sum(length(data)), min(first) FROM blocks_fresh WHERE last >= ?1)",
        [since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let hot = crate::store::hot::since(c, since)?;
    let (hot_rows, hot_oldest) = (hot.len() as i64, hot.first().map(|s| s.ts));
    let window_oldest = match (block_oldest, hot_oldest) {
        (Some(a), Some(b)) => Some(a.min(b).max(since)),
        (a, b) => a.or(b).map(|t| t.max(since)),
    };
    Ok(Counts {
        stop_reasons: one("SELECT count(*) FROM stop_reasons")?,
        scrap: one("SELECT count(*) FROM scrap")?,
        counter_reviews: one("SELECT count(*) FROM counter_reviews")?,
        audit: one("SELECT count(*) FROM audit")?,
        logins: one("SELECT count(*) FROM audit WHERE action = 'login'")?,
        sessions: one("SELECT count(*) FROM sessions")?,
        last_export: c
            .query_row(
                "SELECT ts, actor, target, detail FROM audit WHERE action = 'export.all' ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?,
        window_bytes: block_bytes.max(0) as u64 + hot_rows.max(0) as u64 * HOT_ROW_BYTES,
        window_oldest,
    })
}

/// The code of a recording policy's words.
fn record_msg(r: RecordMode) -> Msg {
    m(match r {
        RecordMode::EveryPoll => "record_every_poll",
        RecordMode::OnChange => "record_on_change",
        RecordMode::Deadband => "record_deadband",
        RecordMode::SwingingDoor => "record_swinging_door",
    })
}

/// A retention class kept `d` days, or until removed by hand.
fn days_msg(d: Option<u32>) -> Msg {
    match d {
        Some(d) => m("days").count("n", d),
        None => m("kept_by_hand"),
    }
}

/// A count, or "not configured" when there is none.
fn count_or_not_configured(n: usize) -> Msg {
    if n == 0 {
        m("not_configured")
    } else {
        m("count").count("n", n)
    }
}

/// A role's name.
fn role_msg(r: Role) -> Msg {
    m(&format!("role_{}", r.name()))
}

/// "yes" or "no", for a select argument.
fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The passport of the running core, read now.
pub async fn gather(core: &Core) -> Result<Passport, Error> {
    let now = now_ms();
    let since = now - GROWTH_WINDOW_DAYS * DAY_MS;
    let counts = core
        .db()
        .run(move |c| counts(c, since).map_err(Error::from))
        .await?;
    let plant = core.plant();
    let storage = core.storage().await?;
    let review = core.access_review().await?;
    let displays = core.displays().await?;
    let backups = core.backups().await?;
    let sync = core.sync_status().await?;
    let mail = core.mail().await?;

    // ---------------------------------------------------------------- collected
    let cfg = &plant.config;
    let tags: Vec<_> = plant.tags().collect();
    let mut polls: BTreeMap<u64, usize> = BTreeMap::new();
    let mut policies: BTreeMap<&str, (Msg, usize)> = BTreeMap::new();
    for t in &tags {
        *polls
            .entry(t.tag.poll_ms.unwrap_or(t.device.poll_ms))
            .or_default() += 1;
        let p = record_msg(t.tag.record);
        policies
            .entry(match t.tag.record {
                RecordMode::Deadband => "deadband",
                RecordMode::EveryPoll => "every poll",
                RecordMode::OnChange => "on change",
                RecordMode::SwingingDoor => "swinging door",
            })
            .or_insert((p, 0))
            .1 += 1;
    }
    let collected = Section {
        key: "collected".into(),
        title: "What is collected".into(),
        facts: vec![
            Fact::new(
                "devices",
                "Devices",
                count_or_not_configured(cfg.devices.len()),
                "#/configuration",
            )
            .with_items(
                cfg.devices
                    .iter()
                    .map(|d| {
                        m("device_item")
                            .text("name", &d.name)
                            .text("key", &d.key)
                            .count("tags", d.tags.len())
                            .count("ms", d.poll_ms)
                    })
                    .collect(),
            ),
            Fact::new(
                "tags",
                "Tags",
                m("count").count("n", tags.len()),
                "#/configuration",
            )
            .with_items(
                tags.iter()
                    .map(|t| {
                        m("tag_item")
                            .text("device", &t.device.key)
                            .text("tag", &t.tag.name)
                            .msg(
                                "unit",
                                if t.tag.unit.is_empty() {
                                    m("no_unit")
                                } else {
                                    text(&t.tag.unit)
                                },
                            )
                            .count("ms", t.tag.poll_ms.unwrap_or(t.device.poll_ms))
                            .msg("policy", record_msg(t.tag.record))
                    })
                    .collect(),
            ),
            Fact::new(
                "poll_rates",
                "Poll rates",
                if polls.is_empty() {
                    m("not_configured")
                } else {
                    m("list").list(
                        "items",
                        polls
                            .iter()
                            .map(|(ms, n)| m("poll_rate").count("n", *n).count("ms", *ms))
                            .collect(),
                    )
                },
                "#/configuration",
            ),
            Fact::new(
                "recording",
                "Recording policies",
                if policies.is_empty() {
                    m("not_configured")
                } else {
                    m("list").list(
                        "items",
                        policies
                            .values()
                            .map(|(p, n)| {
                                m("recording_item").count("n", *n).msg("policy", p.clone())
                            })
                            .collect(),
                    )
                },
                "#/configuration",
            ),
            Fact::new(
                "stop_reasons",
                "Stop reasons given by people",
                m("count").count("n", counts.stop_reasons),
                "#/production-setup",
            ),
            Fact::new(
                "scrap",
                "Scrap entries",
                m("count").count("n", counts.scrap),
                "#/production-setup",
            ),
            Fact::new(
                "counter_reviews",
                "Counter reviews",
                m("count").count("n", counts.counter_reviews),
                "#/production",
            ),
            Fact::new("quality", "Quality check entries", m("not_configured"), ""),
            Fact::new(
                "logins",
                "Logins recorded",
                m("count").count("n", counts.logins),
                "#/audit",
            ),
            Fact::new(
                "audit",
                "Audit log entries",
                m("count").count("n", counts.audit),
                "#/audit",
            ),
        ],
    };

    // ------------------------------------------------------------------- stored
    let per_day = counts.window_oldest.map(|oldest| {
        // At least an hour of history, so a fresh start does not read as a flood.
        let covered = (now - oldest).max(3_600_000);
        (
            (counts.window_bytes as f64 * DAY_MS as f64 / covered as f64) as u64,
            now - oldest,
        )
    });
    let free = storage.disk.free_bytes;
    let stored = Section {
        key: "stored".into(),
        title: "Where it is stored".into(),
        facts: vec![
            Fact::new(
                "database",
                "Database file",
                text(&storage.database_path),
                "#/storage",
            ),
            Fact::new(
                "data_dir",
                "Data folder",
                text(&storage.data_dir),
                "#/storage",
            ),
            Fact::new(
                "size",
                "Size (file and write-ahead log)",
                m("size").bytes("size", storage.database_bytes),
                "#/storage",
            ),
            Fact::new(
                "free",
                "Free space on its drive",
                match (free, storage.disk.total_bytes) {
                    (Some(f), Some(t)) => m("free_of").bytes("free", f).bytes("total", t),
                    (Some(f), None) => m("size").bytes("size", f),
                    _ => match storage.disk.error.clone() {
                        Some(e) => text(e),
                        None => m("not_measured"),
                    },
                },
                "#/storage",
            ),
            Fact::new(
                "growth",
                "Growth per day",
                match per_day {
                    Some((b, covered)) => m("growth")
                        .bytes("size", b)
                        .span("covered", covered)
                        .count("days", GROWTH_WINDOW_DAYS),
                    None => m("growth_none").count("days", GROWTH_WINDOW_DAYS),
                },
                "#/storage",
            ),
            Fact::new(
                "days_left",
                "Days left at that rate",
                match (per_day, free) {
                    (Some((b, _)), Some(f)) if b > 0 => m("days").count("n", f / b),
                    _ => m("not_measurable"),
                },
                "#/storage",
            ),
            Fact::new("memory_only", "In memory only", m("memory_only"), ""),
        ],
    };

    // ------------------------------------------------------------------- access
    let mut by_role: BTreeMap<usize, Vec<Msg>> = BTreeMap::new();
    let mut vendors = Vec::new();
    for a in &review.review.accounts {
        let u = &a.user;
        let mfa = if u.mfa_enabled {
            "on"
        } else if a.mfa_required {
            "required"
        } else {
            "off"
        };
        let line = |code: &str| {
            m(code)
                .text("name", &u.display_name)
                .text("username", &u.username)
                .time("last", u.last_login_ms)
                .pick("mfa", mfa)
                .pick("disabled", yes(u.disabled))
        };
        if let Some(company) = &u.vendor_company {
            vendors.push(
                line("vendor_item")
                    .text("company", company)
                    .time("expires", u.expires_ms),
            );
        } else {
            let rank = Role::ALL.iter().position(|r| *r == u.role).unwrap_or(0);
            by_role
                .entry(rank)
                .or_default()
                .push(line("user_item").msg("role", role_msg(u.role)));
        }
    }
    let users: Vec<Msg> = by_role.values().flatten().cloned().collect();
    let role_counts: Vec<Msg> = by_role
        .iter()
        .map(|(rank, l)| {
            m("role_count")
                .count("n", l.len())
                .msg("role", role_msg(Role::ALL[*rank]))
        })
        .collect();
    let live_displays: Vec<_> = displays.iter().filter(|d| d.revoked_ms.is_none()).collect();
    let lan = &review.lan;
    let access = Section {
        key: "access".into(),
        title: "Who can access it".into(),
        facts: vec![
            Fact::new(
                "users",
                "Users by role",
                if role_counts.is_empty() {
                    m("none")
                } else {
                    m("list").list("items", role_counts)
                },
                "#/users",
            )
            .with_items(users),
            Fact::new(
                "vendors",
                "Vendor accounts",
                if vendors.is_empty() {
                    m("none")
                } else {
                    m("count").count("n", vendors.len())
                },
                "#/vendors",
            )
            .with_items(vendors),
            Fact::new(
                "displays",
                "Display tokens (read-only boards)",
                m("displays").count("n", live_displays.len()),
                "#/production-setup",
            )
            .with_items(
                live_displays
                    .iter()
                    .map(|d| {
                        m("display_item")
                            .text("name", &d.name)
                            .time("last", d.last_used_ms)
                    })
                    .collect(),
            ),
            Fact::new(
                "lan",
                "LAN access",
                m(if lan.lan { "lan_on" } else { "lan_off" }).text("listen", &lan.listen),
                "#/security",
            )
            .with_items(lan.urls.iter().map(text).collect()),
            Fact::new(
                "sessions",
                "Sessions open",
                m("count").count("n", counts.sessions),
                "#/security",
            ),
            Fact::new(
                "permissions",
                "Permission matrix",
                m("permissions"),
                "#/access-review",
            ),
        ],
    };

    // --------------------------------------------------------------- protection
    let s = &review.review.settings;
    let lock = &review.review.lockout;
    let chain = &review.review.audit_chain;
    let tls = match (&lan.certificate, lan.lan) {
        (_, false) => m("tls_off"),
        (Some(c), true) => m("tls_on")
            .pick(
                "kind",
                if c.self_signed {
                    "self_signed"
                } else {
                    "uploaded"
                },
            )
            .time("until", Some(c.not_after_ms))
            .text("fingerprint", &c.fingerprint_sha256),
        (None, true) => m("tls_no_cert"),
    };
    let protection = Section {
        key: "protection".into(),
        title: "How it is protected".into(),
        facts: vec![
            Fact::new(
                "password",
                "Password rule",
                m("password")
                    .count("min", s.password_min_chars)
                    .count("common", review.review.common_passwords),
                "#/security",
            ),
            Fact::new(
                "lockout",
                "Lockout",
                m("lockout")
                    .count("name", lock.name_failures)
                    .count("address", lock.address_failures)
                    .count("minutes", lock.window_minutes),
                "",
            ),
            Fact::new(
                "mfa",
                "Second factor required for",
                {
                    let mut who: Vec<Msg> = s.mfa_roles.iter().map(|r| role_msg(*r)).collect();
                    if s.mfa_vendors {
                        who.push(m("vendor_accounts"));
                    }
                    if who.is_empty() {
                        m("none")
                    } else {
                        m("list").list("items", who)
                    }
                },
                "#/security",
            ),
            Fact::new(
                "sessions",
                "Session timeouts",
                m("session_timeouts")
                    .span("idle", s.idle_timeout_s * 1000)
                    .span("max", s.session_max_age_s * 1000),
                "#/security",
            ),
            Fact::new("tls", "TLS", tls, "#/security"),
            Fact::new(
                "audit_chain",
                "Audit log integrity (verified now)",
                match &chain.broken {
                    None => m("audit_intact")
                        .count("records", chain.records)
                        .text("head", &chain.head),
                    Some(b) => m("audit_broken")
                        .count("id", b.id)
                        .text("reason", &b.reason),
                },
                "#/audit",
            ),
            Fact::new(
                "backup_encryption",
                "Encryption of backups",
                {
                    let e = &backups.encryption;
                    match (&e.recipient, e.key_here, &e.key_in_memory_only) {
                        (None, _, _) => m("encryption_off"),
                        (Some(r), false, _) => m("encryption_key_away").text("recipient", r),
                        (Some(r), true, Some(why)) => m("encryption_key_in_memory")
                            .text("recipient", r)
                            .text("why", why),
                        (Some(r), true, None) => {
                            m("encryption_key_in_keyring").text("recipient", r)
                        }
                    }
                },
                "#/backups",
            ),
        ],
    };

    // ----------------------------------------------------------- internet outage
    let waiting: Vec<_> = mail
        .queue
        .iter()
        .filter(|m| m.sent_at.is_none() && m.failed_at.is_none())
        .collect();
    let oldest_mail = waiting.iter().map(|m| m.created_at).min();
    let outage = Section {
        key: "outage".into(),
        title: "When the internet fails".into(),
        facts: vec![
            Fact::new(
                "keeps_working",
                "What keeps working",
                m("keeps_working"),
                "",
            ),
            Fact::new(
                "sync_queue",
                "Sync queue",
                if !sync.enabled {
                    m("not_configured")
                } else if !sync.classes.iter().any(|c| c == "raw") {
                    m("sync_no_raw").list(
                        "streams",
                        sync.streams
                            .iter()
                            .filter(|s| s.chosen)
                            .map(|s| {
                                m("stream_item")
                                    .text("stream", &s.stream)
                                    .count("rows", s.rows_sent)
                                    .pick("waiting", yes(s.pending_seq.is_some()))
                            })
                            .collect(),
                    )
                } else {
                    let q = m(if sync.acked_to_ts > 0 {
                        "sync_backlog_behind"
                    } else {
                        "sync_backlog"
                    })
                    .count("n", sync.backlog_samples)
                    .bytes("size", sync.backlog_bytes.max(0) as u64)
                    .time("acked", Some(sync.acked_to_ts));
                    if sync.acked_to_ts > 0 {
                        q.span("behind", now - sync.acked_to_ts)
                    } else {
                        q
                    }
                },
                "plantlog sync",
            ),
            Fact::new(
                "mail_queue",
                "E-mail queue",
                if mail.settings.is_none() {
                    m("not_configured")
                } else {
                    let q = match oldest_mail {
                        Some(t) => m("mail_queue_oldest").span("oldest", now - t),
                        None => m("mail_queue"),
                    };
                    q.count("waiting", mail.counts.waiting)
                        .count("failed", mail.counts.failed)
                },
                "#/alarms",
            ),
        ],
    };

    // ---------------------------------------------------------------- retention
    let r = &storage.retention;
    let retention = Section {
        key: "retention".into(),
        title: "How long it is kept".into(),
        facts: vec![
            Fact::new(
                "raw",
                "Raw samples",
                days_msg(r.days(Class::Raw)),
                "#/storage",
            ),
            Fact::new(
                "minute",
                "Minute rollups",
                days_msg(r.days(Class::Minute)),
                "#/storage",
            ),
            Fact::new(
                "hour",
                "Hour rollups",
                days_msg(r.days(Class::Hour)),
                "#/storage",
            ),
            Fact::new(
                "audit",
                "Audit log",
                days_msg(r.days(Class::Audit)),
                "#/storage",
            ),
            Fact::new(
                "archive",
                "Archive before removing",
                if r.archive {
                    m("archive_on").text("dir", &storage.archive_dir)
                } else {
                    m("off")
                },
                "#/storage",
            ),
            Fact::new(
                "purges",
                "Purge history",
                if storage.purges.is_empty() {
                    m("purges_none")
                } else {
                    m("purges")
                        .count("n", storage.purges.len())
                        .time("last", storage.purges.first().map(|p| p.ts))
                },
                "#/storage",
            )
            .with_items(
                storage
                    .purges
                    .iter()
                    .map(|p| {
                        let i = if p.archive.is_empty() {
                            m("purge_item")
                        } else {
                            m("purge_item_archived").text("archive", &p.archive)
                        };
                        i.time("ts", Some(p.ts))
                            .pick("class", p.class.name())
                            .time("before", Some(p.before_ms))
                            .count("rows", p.rows)
                            .count("samples", p.samples)
                    })
                    .collect(),
            ),
        ],
    };

    // ------------------------------------------------------------------ backups
    let last_good = backups
        .targets
        .iter()
        .filter_map(|t| t.last_good.as_ref().map(|r| (t, r)))
        .max_by_key(|(_, r)| r.started_at);
    let backups_section = Section {
        key: "backups".into(),
        title: "Backups".into(),
        facts: vec![
            Fact::new(
                "targets",
                "Targets",
                count_or_not_configured(backups.targets.len()),
                "#/backups",
            )
            .with_items(
                backups
                    .targets
                    .iter()
                    .map(|t| {
                        m("target_item")
                            .text("name", &t.target.name)
                            .text("path", &t.target.path)
                            .text("schedule", &t.target.schedule)
                            .pick("enabled", yes(t.target.enabled))
                            .pick("overdue", yes(t.overdue))
                    })
                    .collect(),
            ),
            Fact::new(
                "last_good",
                "Last good verified backup",
                match last_good {
                    Some((t, r)) => m("last_good")
                        .time("time", Some(r.started_at))
                        .text("target", &t.target.name)
                        .text("name", &r.name)
                        .bytes("size", r.bytes.max(0) as u64),
                    None if backups.targets.is_empty() => m("not_configured"),
                    None => m("none_yet"),
                },
                "#/backups",
            ),
            Fact::new(
                "drill",
                "Last restore drill",
                match &backups.drill.last {
                    Some(d) => m("drill")
                        .time("time", Some(d.started_at))
                        .pick("passed", yes(d.passed))
                        .text("backup", &d.backup)
                        .text("target", &d.target)
                        .pick("overdue", yes(backups.drill.overdue)),
                    None if backups.targets.is_empty() => m("not_configured"),
                    None => m("none_yet"),
                },
                "#/backups",
            ),
        ],
    };

    // ------------------------------------------------------- what leaves the plant
    let leaves = Section {
        key: "leaves".into(),
        title: "What leaves the plant".into(),
        facts: vec![
            Fact::new(
                "sync",
                "Sync to a central server",
                if sync.enabled {
                    m("sync_on")
                        .text("url", &sync.url)
                        .text("site", &sync.site)
                        .pick(
                            "state",
                            match sync.state {
                                SyncState::Off => "off",
                                SyncState::Connected => "connected",
                                SyncState::Behind => "behind",
                                SyncState::Offline => "offline",
                                SyncState::Parked => "parked",
                            },
                        )
                } else {
                    m("off_not_configured")
                },
                "plantlog sync",
            ),
            Fact::new(
                "sync_data",
                "Which data",
                if sync.enabled {
                    sync_data(&sync.classes, &sync.lost)
                } else {
                    m("none")
                },
                "plantlog sync",
            ),
            Fact::new(
                "last_sent",
                "Last sent",
                if sync.enabled {
                    m("last_sent")
                        .time("time", sync.last_ack_ts)
                        .count("n", sync.last_samples)
                        .bytes("size", sync.last_bytes.max(0) as u64)
                } else {
                    m("never")
                },
                "plantlog sync",
            ),
            Fact::new(
                "mail",
                "Alarm e-mail",
                match &mail.settings {
                    Some(s) => m("mail_on")
                        .text("host", &s.host)
                        .text("port", s.port.to_string()),
                    None => m("off_not_configured"),
                },
                "#/alarms",
            ),
            Fact::new("nothing_else", "Nothing else", m("nothing_else"), ""),
        ],
    };

    // ---------------------------------------------------------------- ownership
    let ownership = Section {
        key: "ownership".into(),
        title: "Who owns it, and taking it out".into(),
        facts: vec![
            Fact::new("owner", "Owner", m("owner"), ""),
            Fact::new("formats", "Full export", m("formats"), "#/passport"),
            Fact::new(
                "last_export",
                "Last full export",
                match &counts.last_export {
                    Some((ts, who, to, what)) => m("last_export")
                        .time("time", Some(*ts))
                        .text("who", who)
                        .text("to", to)
                        .text("what", what),
                    None => m("none_yet"),
                },
                "plantlog export all --to DIR",
            ),
            Fact::new(
                "deletion",
                "Deletion on request",
                m("deletion"),
                "#/passport",
            ),
        ],
    };

    Ok(Passport {
        plant: cfg.site.name.clone(),
        generated_ms: now,
        sections: vec![
            collected,
            stored,
            ownership,
            access,
            protection,
            outage,
            retention,
            backups_section,
            leaves,
        ],
    })
}

/// The data classes chosen to leave the plant, exactly as `sync_state` holds them (the
/// sync sends these and nothing else), and what retention removed before sync sent it.
fn sync_data(classes: &[String], lost: &[crate::sync::lost::LostStatus]) -> Msg {
    if classes.is_empty() {
        return m("sync_no_class");
    }
    let words: Vec<Msg> = classes
        .iter()
        .map(|c| match c.as_str() {
            "raw" | "rollups" | "production" | "audit" | "config" => m(&format!("sync_class_{c}")),
            other => text(other),
        })
        .collect();
    let sum = |class: &str| -> (i64, usize) {
        let l: Vec<_> = lost.iter().filter(|l| l.class == class).collect();
        (l.iter().map(|l| l.count).sum(), l.len())
    };
    let (raw, tags) = sum("raw");
    let (rollups, rollup_tags) = sum("rollups");
    let (audit, _) = sum("audit");
    let mut parts = Vec::new();
    if raw > 0 {
        parts.push(m("lost_raw").count("n", raw).count("tags", tags));
    }
    if rollups > 0 {
        parts.push(
            m("lost_rollups")
                .count("n", rollups)
                .count("tags", rollup_tags),
        );
    }
    if audit > 0 {
        parts.push(m("lost_audit").count("n", audit));
    }
    if parts.is_empty() {
        m("sync_data").list("classes", words)
    } else {
        m("sync_data_lost")
            .list("classes", words)
            .msg("lost", m("list").list("items", parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::sync::lost::LostStatus;

    fn lost(class: &str, tag: &str, count: i64) -> LostStatus {
        LostStatus {
            class: class.into(),
            tag: tag.into(),
            from_ts: 0,
            to_ts: 3_600_000,
            count,
        }
    }

    #[test]
    fn what_left_too_late_is_said_per_class() {
        let classes = vec![
            "raw".to_string(),
            "rollups".to_string(),
            "audit".to_string(),
        ];
        let said = sync_data(&classes, &[]).say(Lang::En);
        assert!(!said.contains("lost"), "{said}");
        let l = [
            lost("raw", "press-1/count", 600),
            lost("rollups", "press-1/count", 40),
            lost("rollups", "meter/kwh", 8),
            lost("audit", "", 3),
        ];
        let said = sync_data(&classes, &l).say(Lang::En);
        assert!(said.contains("600 raw samples of 1 tag"), "{said}");
        assert!(said.contains("48 tag-hours of rollups of 2 tags"), "{said}");
        assert!(said.contains("3 audit entries"), "{said}");
        let de = sync_data(&classes, &l).say(Lang::De);
        assert!(de.contains("48 Tag-Stunden"), "{de}");
    }
}
