//! Reading the passport's facts from the running core, now.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use super::{CONNECTIONS, Fact, NOT_CONFIGURED, Passport, Section, size, span, when};
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

fn record_words(m: RecordMode) -> &'static str {
    match m {
        RecordMode::EveryPoll => "every poll",
        RecordMode::OnChange => "on change",
        RecordMode::Deadband => "deadband",
        RecordMode::SwingingDoor => "swinging door",
    }
}

fn tags_words(n: usize) -> String {
    if n == 1 {
        "1 tag".into()
    } else {
        format!("{n} tags")
    }
}

fn days_words(d: Option<u32>) -> String {
    match d {
        Some(d) => format!("{d} days"),
        None => "kept until removed by hand".into(),
    }
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
    let mut policies: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &tags {
        *polls
            .entry(t.tag.poll_ms.unwrap_or(t.device.poll_ms))
            .or_default() += 1;
        *policies.entry(record_words(t.tag.record)).or_default() += 1;
    }
    let collected = Section {
        key: "collected".into(),
        title: "What is collected".into(),
        facts: vec![
            Fact::new(
                "devices",
                "Devices",
                if cfg.devices.is_empty() {
                    NOT_CONFIGURED.to_string()
                } else {
                    cfg.devices.len().to_string()
                },
                "#/configuration",
            )
            .with_items(
                cfg.devices
                    .iter()
                    .map(|d| {
                        format!(
                            "{} ({}): {} tags, polled every {} ms",
                            d.name,
                            d.key,
                            d.tags.len(),
                            d.poll_ms
                        )
                    })
                    .collect(),
            ),
            Fact::new("tags", "Tags", tags.len().to_string(), "#/configuration").with_items(
                tags.iter()
                    .map(|t| {
                        let unit = if t.tag.unit.is_empty() {
                            "no unit".to_string()
                        } else {
                            t.tag.unit.clone()
                        };
                        format!(
                            "{}/{}: {unit}, every {} ms, stored {}",
                            t.device.key,
                            t.tag.name,
                            t.tag.poll_ms.unwrap_or(t.device.poll_ms),
                            record_words(t.tag.record)
                        )
                    })
                    .collect(),
            ),
            Fact::new(
                "poll_rates",
                "Poll rates",
                if polls.is_empty() {
                    NOT_CONFIGURED.to_string()
                } else {
                    polls
                        .iter()
                        .map(|(ms, n)| format!("{} every {ms} ms", tags_words(*n)))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                "#/configuration",
            ),
            Fact::new(
                "recording",
                "Recording policies",
                if policies.is_empty() {
                    NOT_CONFIGURED.to_string()
                } else {
                    policies
                        .iter()
                        .map(|(p, n)| format!("{} {p}", tags_words(*n)))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                "#/configuration",
            ),
            Fact::new(
                "stop_reasons",
                "Stop reasons given by people",
                counts.stop_reasons.to_string(),
                "#/production-setup",
            ),
            Fact::new(
                "scrap",
                "Scrap entries",
                counts.scrap.to_string(),
                "#/production-setup",
            ),
            Fact::new(
                "counter_reviews",
                "Counter reviews",
                counts.counter_reviews.to_string(),
                "#/production",
            ),
            Fact::new("quality", "Quality check entries", NOT_CONFIGURED, ""),
            Fact::new(
                "logins",
                "Logins recorded",
                counts.logins.to_string(),
                "#/audit",
            ),
            Fact::new(
                "audit",
                "Audit log entries",
                counts.audit.to_string(),
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
                storage.database_path.clone(),
                "#/storage",
            ),
            Fact::new(
                "data_dir",
                "Data folder",
                storage.data_dir.clone(),
                "#/storage",
            ),
            Fact::new(
                "size",
                "Size (file and write-ahead log)",
                size(storage.database_bytes),
                "#/storage",
            ),
            Fact::new(
                "free",
                "Free space on its drive",
                match (free, storage.disk.total_bytes) {
                    (Some(f), Some(t)) => format!("{} of {}", size(f), size(t)),
                    (Some(f), None) => size(f),
                    _ => storage
                        .disk
                        .error
                        .clone()
                        .unwrap_or_else(|| "not measured yet".into()),
                },
                "#/storage",
            ),
            Fact::new(
                "growth",
                "Growth per day",
                match per_day {
                    Some((b, covered)) => format!(
                        "{} per day (from the samples stored over the last {}; measured over \
                         at most {GROWTH_WINDOW_DAYS} days, at least an hour)",
                        size(b),
                        span(covered)
                    ),
                    None => format!("no samples stored in the last {GROWTH_WINDOW_DAYS} days"),
                },
                "#/storage",
            ),
            Fact::new(
                "days_left",
                "Days left at that rate",
                match (per_day, free) {
                    (Some((b, _)), Some(f)) if b > 0 => format!("{} days", f / b),
                    _ => "not measurable yet".into(),
                },
                "#/storage",
            ),
            Fact::new(
                "memory_only",
                "In memory only",
                "the latest value of each tag and the live stream (every reading is \
                 shown live; what is stored follows each tag's recording policy)",
                "",
            ),
        ],
    };

    // ------------------------------------------------------------------- access
    let mut by_role: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut vendors = Vec::new();
    for a in &review.review.accounts {
        let u = &a.user;
        let mfa = if u.mfa_enabled {
            "MFA on"
        } else if a.mfa_required {
            "MFA required, not set up"
        } else {
            "no MFA"
        };
        let state = if u.disabled { ", disabled" } else { "" };
        let line = format!(
            "{} ({}): last login {}, {mfa}{state}",
            u.display_name,
            u.username,
            when(u.last_login_ms)
        );
        if let Some(company) = &u.vendor_company {
            vendors.push(format!(
                "{line}; vendor {company}, expires {}",
                when(u.expires_ms)
            ));
        } else {
            let rank = Role::ALL.iter().position(|r| *r == u.role).unwrap_or(0);
            by_role.entry(rank).or_default().push(line);
        }
    }
    let mut users = Vec::new();
    for (rank, lines) in &by_role {
        for l in lines {
            users.push(format!("{}: {l}", Role::ALL[*rank].label()));
        }
    }
    let role_counts: Vec<String> = by_role
        .iter()
        .map(|(rank, l)| format!("{} {}", l.len(), Role::ALL[*rank].label()))
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
                    "none".to_string()
                } else {
                    role_counts.join(", ")
                },
                "#/users",
            )
            .with_items(users),
            Fact::new(
                "vendors",
                "Vendor accounts",
                if vendors.is_empty() {
                    "none".to_string()
                } else {
                    vendors.len().to_string()
                },
                "#/vendors",
            )
            .with_items(vendors),
            Fact::new(
                "displays",
                "Display tokens (read-only boards)",
                format!("{} active", live_displays.len()),
                "#/production-setup",
            )
            .with_items(
                live_displays
                    .iter()
                    .map(|d| format!("{}: last used {}", d.name, when(d.last_used_ms)))
                    .collect(),
            ),
            Fact::new(
                "lan",
                "LAN access",
                if lan.lan {
                    format!("on, listening on {}", lan.listen)
                } else {
                    format!("off (this PC only, {})", lan.listen)
                },
                "#/security",
            )
            .with_items(lan.urls.clone()),
            Fact::new(
                "sessions",
                "Sessions open",
                counts.sessions.to_string(),
                "#/security",
            ),
            Fact::new(
                "permissions",
                "Permission matrix",
                "each role's permissions, as enforced by the server",
                "#/access-review",
            ),
        ],
    };

    // --------------------------------------------------------------- protection
    let s = &review.review.settings;
    let lock = &review.review.lockout;
    let chain = &review.review.audit_chain;
    let tls = match (&lan.certificate, lan.lan) {
        (_, false) => "not in use: LAN access is off (this PC only)".to_string(),
        (Some(c), true) => format!(
            "HTTPS on the LAN, {} certificate valid until {}, SHA-256 {}",
            if c.self_signed {
                "self-signed"
            } else {
                "uploaded"
            },
            when(Some(c.not_after_ms)),
            c.fingerprint_sha256
        ),
        (None, true) => "LAN access on, no certificate yet".into(),
    };
    let protection = Section {
        key: "protection".into(),
        title: "How it is protected".into(),
        facts: vec![
            Fact::new(
                "password",
                "Password rule",
                format!(
                    "at least {} characters, not among {} common passwords",
                    s.password_min_chars, review.review.common_passwords
                ),
                "#/security",
            ),
            Fact::new(
                "lockout",
                "Lockout",
                format!(
                    "after {} failed logins for a name or {} from one address within {} minutes",
                    lock.name_failures, lock.address_failures, lock.window_minutes
                ),
                "",
            ),
            Fact::new(
                "mfa",
                "Second factor required for",
                {
                    let mut who: Vec<&str> = s.mfa_roles.iter().map(|r| r.label()).collect();
                    if s.mfa_vendors {
                        who.push("vendor accounts");
                    }
                    who.join(", ")
                },
                "#/security",
            ),
            Fact::new(
                "sessions",
                "Session timeouts",
                format!(
                    "ends after {} without activity, and {} after login",
                    span(s.idle_timeout_s * 1000),
                    span(s.session_max_age_s * 1000)
                ),
                "#/security",
            ),
            Fact::new("tls", "TLS", tls, "#/security"),
            Fact::new(
                "audit_chain",
                "Audit log integrity (verified now)",
                match &chain.broken {
                    None => format!("intact: {} records, head {}", chain.records, chain.head),
                    Some(b) => format!("BROKEN at record {}: {}", b.id, b.reason),
                },
                "#/audit",
            ),
            Fact::new(
                "backup_encryption",
                "Encryption of backups",
                {
                    let e = &backups.encryption;
                    match (&e.recipient, e.key_here, &e.key_in_memory_only) {
                        (None, _, _) => format!(
                            "{NOT_CONFIGURED}: backups are plain copies; protect the target folder"
                        ),
                        (Some(r), false, _) => format!(
                            "on (age, to {r}); the key is NOT on this PC: enter the recovery key to verify, restore or drill"
                        ),
                        (Some(r), true, Some(why)) => format!(
                            "on (age, to {r}); the key is kept in memory only until Plantlog stops ({why})"
                        ),
                        (Some(r), true, None) => {
                            format!("on (age, to {r}); the key is in the OS keyring")
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
                "everything: collection, storage, the pages, alarms, reports, backups to \
                 local targets run on this PC and need no internet",
                "",
            ),
            Fact::new(
                "sync_queue",
                "Sync queue",
                if !sync.enabled {
                    NOT_CONFIGURED.to_string()
                } else if !sync.classes.iter().any(|c| c == "raw") {
                    format!(
                        "raw samples are not sent; {}",
                        sync.streams
                            .iter()
                            .filter(|s| s.chosen)
                            .map(|s| format!(
                                "{}: {} rows sent{}",
                                s.stream,
                                s.rows_sent,
                                if s.pending_seq.is_some() {
                                    ", a batch waiting"
                                } else {
                                    ""
                                }
                            ))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                } else {
                    format!(
                        "{} samples waiting ({}), acknowledged up to {}{}",
                        sync.backlog_samples,
                        size(sync.backlog_bytes.max(0) as u64),
                        when(Some(sync.acked_to_ts)),
                        if sync.acked_to_ts > 0 {
                            format!(", {} behind", span(now - sync.acked_to_ts))
                        } else {
                            String::new()
                        }
                    )
                },
                "plantlog sync",
            ),
            Fact::new(
                "mail_queue",
                "E-mail queue",
                if mail.settings.is_none() {
                    NOT_CONFIGURED.to_string()
                } else {
                    format!(
                        "{} waiting{}, {} failed",
                        mail.counts.waiting,
                        match oldest_mail {
                            Some(t) => format!(", the oldest {} behind", span(now - t)),
                            None => String::new(),
                        },
                        mail.counts.failed
                    )
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
                days_words(r.days(Class::Raw)),
                "#/storage",
            ),
            Fact::new(
                "minute",
                "Minute rollups",
                days_words(r.days(Class::Minute)),
                "#/storage",
            ),
            Fact::new(
                "hour",
                "Hour rollups",
                days_words(r.days(Class::Hour)),
                "#/storage",
            ),
            Fact::new(
                "audit",
                "Audit log",
                days_words(r.days(Class::Audit)),
                "#/storage",
            ),
            Fact::new(
                "archive",
                "Archive before removing",
                if r.archive {
                    format!("on, to {}", storage.archive_dir)
                } else {
                    "off".into()
                },
                "#/storage",
            ),
            Fact::new(
                "purges",
                "Purge history",
                if storage.purges.is_empty() {
                    "nothing removed yet".to_string()
                } else {
                    format!(
                        "{} purges, the last {}",
                        storage.purges.len(),
                        when(storage.purges.first().map(|p| p.ts))
                    )
                },
                "#/storage",
            )
            .with_items(
                storage
                    .purges
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {} before {}, {} rows ({} samples) by the retention job{}",
                            when(Some(p.ts)),
                            p.class.name(),
                            when(Some(p.before_ms)),
                            p.rows,
                            p.samples,
                            if p.archive.is_empty() {
                                String::new()
                            } else {
                                format!(", archived to {}", p.archive)
                            }
                        )
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
                if backups.targets.is_empty() {
                    NOT_CONFIGURED.to_string()
                } else {
                    backups.targets.len().to_string()
                },
                "#/backups",
            )
            .with_items(
                backups
                    .targets
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: {} ({}{}){}",
                            t.target.name,
                            t.target.path,
                            t.target.schedule,
                            if t.target.enabled { "" } else { ", off" },
                            if t.overdue { ", OVERDUE" } else { "" }
                        )
                    })
                    .collect(),
            ),
            Fact::new(
                "last_good",
                "Last good verified backup",
                match last_good {
                    Some((t, r)) => format!(
                        "{} on {}, {} ({})",
                        when(Some(r.started_at)),
                        t.target.name,
                        r.name,
                        size(r.bytes.max(0) as u64)
                    ),
                    None if backups.targets.is_empty() => NOT_CONFIGURED.to_string(),
                    None => "none yet".to_string(),
                },
                "#/backups",
            ),
            Fact::new(
                "drill",
                "Last restore drill",
                match &backups.drill.last {
                    Some(d) => format!(
                        "{}: {} ({} on {}){}",
                        when(Some(d.started_at)),
                        if d.passed { "passed" } else { "FAILED" },
                        d.backup,
                        d.target,
                        if backups.drill.overdue {
                            ", overdue"
                        } else {
                            ""
                        }
                    ),
                    None if backups.targets.is_empty() => NOT_CONFIGURED.to_string(),
                    None => "none yet".to_string(),
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
                    format!(
                        "on, to {} as site {} ({})",
                        sync.url,
                        sync.site,
                        match sync.state {
                            SyncState::Off => "off",
                            SyncState::Connected => "connected",
                            SyncState::Behind => "catching up",
                            SyncState::Offline => "offline",
                            SyncState::Parked => "a batch refused, waiting for the admin",
                        }
                    )
                } else {
                    format!("off ({NOT_CONFIGURED})")
                },
                "plantlog sync",
            ),
            Fact::new(
                "sync_data",
                "Which data",
                if sync.enabled {
                    format!("{}{}", sync_classes(&sync.classes), sync_lost(&sync.lost))
                } else {
                    "none".to_string()
                },
                "plantlog sync",
            ),
            Fact::new(
                "last_sent",
                "Last sent",
                if sync.enabled {
                    format!(
                        "{} ({} samples, {})",
                        when(sync.last_ack_ts),
                        sync.last_samples,
                        size(sync.last_bytes.max(0) as u64)
                    )
                } else {
                    "never".to_string()
                },
                "plantlog sync",
            ),
            Fact::new(
                "mail",
                "Alarm e-mail",
                match &mail.settings {
                    Some(m) => format!("to the SMTP server {}:{}", m.host, m.port),
                    None => format!("off ({NOT_CONFIGURED})"),
                },
                "#/alarms",
            ),
            Fact::new("nothing_else", "Nothing else", CONNECTIONS, ""),
        ],
    };

    // ---------------------------------------------------------------- ownership
    let ownership = Section {
        key: "ownership".into(),
        title: "Who owns it, and taking it out".into(),
        facts: vec![
            Fact::new(
                "owner",
                "Owner",
                "the plant: everything is in its own database file on this PC, in open formats on request",
                "",
            ),
            Fact::new(
                "formats",
                "Full export",
                "every table as CSV; every sample and rollup as Parquet and CSV; the configuration as TOML; schema.md and schema.json; SHA256SUMS. Loads in Excel, pandas or DuckDB without Plantlog; resumable",
                "#/passport",
            ),
            Fact::new(
                "last_export",
                "Last full export",
                match &counts.last_export {
                    Some((ts, who, to, what)) => {
                        format!("{} by {who} to {to} ({what})", when(Some(*ts)))
                    }
                    None => "none yet".to_string(),
                },
                "plantlog export all --to DIR",
            ),
            Fact::new(
                "deletion",
                "Deletion on request",
                "a person's name (replaced by a pseudonym everywhere; their actions stay), a tag's history; planned, confirmed, audited, then the database compacted",
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

/// What retention removed before sync sent it, in words ("" when nothing).
fn sync_lost(lost: &[crate::sync::lost::LostStatus]) -> String {
    let sum = |class: &str| -> (i64, usize) {
        let l: Vec<_> = lost.iter().filter(|l| l.class == class).collect();
        (l.iter().map(|l| l.count).sum(), l.len())
    };
    let (raw, tags) = sum("raw");
    let (audit, _) = sum("audit");
    let mut parts = Vec::new();
    if raw > 0 {
        parts.push(format!(
            "{raw} raw samples of {tags} tag{}",
            if tags == 1 { "" } else { "s" }
        ));
    }
    if audit > 0 {
        parts.push(format!("{audit} audit entries"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(
            ". Lost before they were sent (removed by retention while sync was behind): {}",
            parts.join(", ")
        )
    }
}

/// The data classes chosen to leave the plant, in words, exactly as `sync_state` holds
/// them (the sync sends these and nothing else).
fn sync_classes(classes: &[String]) -> String {
    let words: Vec<&str> = classes
        .iter()
        .map(|c| match c.as_str() {
            "raw" => "raw samples (every tag reading)",
            "rollups" => "minute and hour rollups",
            "production" => "production entries (stop reasons, planned stops, scrap, ideal cycles)",
            "audit" => "the audit log",
            "config" => "configuration versions",
            other => other,
        })
        .collect();
    if words.is_empty() {
        "none (no data class chosen)".to_string()
    } else {
        format!("{}, oldest first", words.join("; "))
    }
}
