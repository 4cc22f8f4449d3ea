//! Alarm e-mail (issue 13) as the alarm job, the mail job and the admin ask for it:
//! which mails a raised alarm queues (in the alarm job's transaction), sending the queue
//! in order, the SMTP settings with the password in the OS keyring, people's addresses,
//! and a test mail.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::{Core, Error};
use crate::alerts::notify;
use crate::alerts::store::{self, AlarmView};
use crate::alerts::{AlarmDef, Transition};
use crate::auth::audit::{self, Actor, AuditEntry};
use crate::config::Plant;
use crate::i18n::{self, Lang};
use crate::mail::queue::{self, NewMail, QueueCounts, QueuedMail};
use crate::mail::secret::{Kept, Secrets};
use crate::mail::send::{self, Outgoing};
use crate::mail::{self, Recipient, Security, SmtpSettings};
use crate::production::records;
use crate::sample::now_ms;
use crate::tr;

/// The mail section of the Alarms page (admin): the server, where its password is
/// kept, the queue, and who receives mail.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MailView {
    /// None until the admin sets the server; no mail is queued before.
    pub settings: Option<SmtpSettings>,
    /// Where the password is: "keyring" (the OS keyring), "memory" (the fallback, lost
    /// when Plantlog stops) or "none".
    pub password: String,
    /// Why the keyring could not be used, when the password is in memory.
    pub password_note: String,
    /// Waiting, failed, sent in the last 24 hours.
    pub counts: QueueCounts,
    /// Waiting mails oldest first, then the last 50 sent or failed.
    pub queue: Vec<QueuedMail>,
    pub recipients: Vec<Recipient>,
}

/// The SMTP server as the admin sets it. `password`: absent keeps the one stored, ""
/// removes it.
#[derive(Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SmtpBody {
    pub host: String,
    pub port: u16,
    pub security: Security,
    #[serde(default)]
    pub username: String,
    pub sender: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpBody")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("sender", &self.sender)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .finish()
    }
}

/// A person's e-mail address ("" removes it).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EmailBody {
    pub email: String,
}

/// Where to send a test mail.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TestMailBody {
    pub to: String,
}

/// What the server said to the test mail.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TestMailResult {
    pub sent: bool,
    pub message: String,
}

/// The domain of the sender's address, for Message-IDs.
fn domain(s: &SmtpSettings) -> String {
    s.sender
        .parse::<lettre::message::Mailbox>()
        .map(|m| m.email.domain().to_string())
        .unwrap_or_else(|_| "plantlog.local".into())
}

/// The addresses that receive an alarm for `roles` on `machine`, each with its
/// person's id: enabled people of those roles with an address; operators only for
/// their machines.
fn addresses(
    people: &[Recipient],
    assigned: &HashMap<i64, Vec<String>>,
    roles: &[String],
    machine: Option<&str>,
) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for p in people {
        let Some(email) = &p.email else { continue };
        if p.disabled || !roles.contains(&p.role) {
            continue;
        }
        if p.role == "operator"
            && let Some(m) = machine
            && !assigned
                .get(&p.user_id)
                .is_some_and(|a| a.iter().any(|x| x == m))
        {
            continue;
        }
        if !out.iter().any(|(e, _)| e == email) {
            out.push((email.clone(), p.user_id));
        }
    }
    out
}

/// The addresses grouped by their person's language (their preference, else the
/// plant's default), in the order the languages first appear: one mail per language.
fn by_language(conn: &Connection, to: Vec<(String, i64)>) -> Vec<(Lang, Vec<String>)> {
    let mut out: Vec<(Lang, Vec<String>)> = Vec::new();
    for (email, user) in to {
        let lang = i18n::of_user(conn, user);
        match out.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, list)) => list.push(email),
            None => out.push((lang, vec![email])),
        }
    }
    out
}

/// A word the catalogue has as `mail-<group>-<word>` (a priority, a role), in `lang`;
/// the word itself when the catalogue lacks it.
fn word(lang: Lang, group: &str, w: &str) -> String {
    let id = format!("mail-{group}-{w}");
    match i18n::t(lang, &id) {
        s if s == id => w.to_string(),
        s => s,
    }
}

/// A number as Rust writes it ("61.5", "60"), with the locale's decimal separator.
fn number(lang: Lang, v: f64) -> String {
    let s = v.to_string();
    match lang.num(1.5, 1).contains(',') {
        true => s.replace('.', ","),
        false => s,
    }
}

/// A time as the mail says it: "2026-11-28 11:00:00 CET" in English, else the
/// locale's date and clock with the zone ("28.11.2026 11:00 CET").
fn when(plant: &Plant, lang: Lang, ms: i64) -> String {
    if lang == Lang::En {
        return local(plant, ms);
    }
    let zone = jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(plant.timezone())
                .strftime("%Z")
                .to_string()
        })
        .unwrap_or_default();
    format!("{} {zone}", lang.datetime(ms, &plant.timezone()))
}

/// A day "2026-11-27" as the locale writes dates ("27.11.2026", "27/11/2026").
fn day(lang: Lang, d: &str) -> String {
    match (lang, d.parse::<jiff::civil::Date>()) {
        (Lang::De, Ok(d)) => d.strftime("%d.%m.%Y").to_string(),
        (Lang::Es, Ok(d)) => d.strftime("%d/%m/%Y").to_string(),
        _ => d.to_string(),
    }
}

/// The plant's local time of `ms`, "2026-11-28 19:05:03 CET".
fn local(plant: &Plant, ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(plant.timezone())
                .strftime("%Y-%m-%d %H:%M:%S %Z")
                .to_string()
        })
        .unwrap_or_else(|_| ms.to_string())
}

fn machine_name(plant: &Plant, key: &str) -> String {
    plant
        .config
        .machines
        .iter()
        .find(|m| m.key == key)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| key.to_string())
}

/// What a mail tells of an alarm.
pub(super) struct Facts<'a> {
    pub alarm_id: i64,
    pub name: &'a str,
    pub priority: &'a str,
    pub machine: Option<&'a str>,
    pub action: &'a str,
    pub value: Option<f64>,
    pub raised_at: i64,
}

/// Why an alarm is mailed again: not acknowledged for `minutes`, escalated to `role`
/// at `step`.
pub(super) struct Escalation<'a> {
    pub minutes: i64,
    pub role: &'a str,
    pub step: i64,
}

/// The mail telling of a raised alarm (`kind` "alarm"), or of one not acknowledged in
/// time ("escalation"), in `lang`.
pub(super) fn alarm_mail(
    plant: &Plant,
    lang: Lang,
    a: &Facts<'_>,
    escalation: Option<&Escalation<'_>>,
    to: Vec<String>,
) -> NewMail {
    let l = lang;
    let machine = a.machine.map(|m| machine_name(plant, m));
    let priority = word(l, "priority", a.priority);
    let upper = priority.to_uppercase();
    let mut subject = match &machine {
        Some(m) => tr!(
            l,
            "mail-alarm-subject-machine",
            priority = upper.as_str(),
            name = a.name,
            machine = m.as_str()
        ),
        None => tr!(
            l,
            "mail-alarm-subject",
            priority = upper.as_str(),
            name = a.name
        ),
    };
    let mut body = String::new();
    if let Some(e) = escalation {
        subject = tr!(l, "mail-escalation-subject", subject = subject);
        body.push_str(&tr!(
            l,
            "mail-escalation-note",
            minutes = e.minutes,
            role = word(l, "role", e.role),
            step = e.step
        ));
        body.push_str("\n\n");
    }
    let mut line = |s: String| {
        body.push_str(&s);
        body.push('\n');
    };
    line(tr!(
        l,
        "mail-alarm-at",
        site = plant.config.site.name.as_str(),
        name = a.name
    ));
    line(tr!(l, "mail-priority", priority = priority.as_str()));
    if let Some(m) = &machine {
        line(tr!(l, "mail-machine", machine = m.as_str()));
    }
    if let Some(v) = a.value {
        line(tr!(l, "mail-value", value = number(l, v)));
    }
    line(tr!(l, "mail-raised", time = when(plant, l, a.raised_at)));
    if !a.action.is_empty() {
        line(format!("\n{}", tr!(l, "mail-action", action = a.action)));
    }
    line(format!("\n{}", tr!(l, "mail-acknowledge")));
    NewMail {
        kind: if escalation.is_some() {
            "escalation"
        } else {
            "alarm"
        },
        alarm_id: Some(a.alarm_id),
        to,
        subject,
        body,
    }
}

/// Queues the mails of the alarms the job just raised (new occurrences, not suppressed),
/// in the job's transaction. Nothing is queued before the admin set a server. Returns
/// how many were queued.
pub(super) fn queue_raised(
    tx: &Connection,
    plant: &Plant,
    raised: &[(AlarmDef, Transition, i64)],
    now: i64,
) -> rusqlite::Result<usize> {
    if raised.is_empty() {
        return Ok(0);
    }
    let Some(settings) = mail::settings(tx)? else {
        return Ok(0);
    };
    let people = mail::recipients(tx)?;
    let assigned = records::assignments(tx)?;
    let domain = domain(&settings);
    let mut n = 0;
    for (def, t, id) in raised {
        let to = addresses(&people, &assigned, &def.roles, def.machine.as_deref());
        if to.is_empty() {
            continue;
        }
        let facts = Facts {
            alarm_id: *id,
            name: &def.name,
            priority: def.priority.name(),
            machine: def.machine.as_deref(),
            action: &def.action,
            value: t.value,
            raised_at: t.at,
        };
        for (lang, to) in by_language(tx, to) {
            let m = alarm_mail(plant, lang, &facts, None, to);
            queue::enqueue(tx, &m, now, &domain)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Carries out the escalation steps due at `now` (see `alerts::notify`): each is
/// recorded (journal: "escalated") and mailed to the people of its role. Returns how
/// many mails were queued.
pub(super) fn escalate(tx: &Connection, plant: &Plant, now: i64) -> rusqlite::Result<usize> {
    let open = store::list_open(tx)?;
    if open.is_empty() {
        return Ok(0);
    }
    let done = store::escalation_steps(tx)?;
    let steps = notify::escalations(&open, &done, |a| notify::policy(plant, a), now);
    if steps.is_empty() {
        return Ok(0);
    }
    let settings = mail::settings(tx)?;
    let people = mail::recipients(tx)?;
    let assigned = records::assignments(tx)?;
    let mut n = 0;
    for s in steps {
        store::escalated(tx, s.alarm_id, now, &s.role, s.step)?;
        let (Some(settings), Some(a)) = (&settings, open.iter().find(|a| a.id == s.alarm_id))
        else {
            continue;
        };
        let to = addresses(
            &people,
            &assigned,
            std::slice::from_ref(&s.role),
            a.machine.as_deref(),
        );
        if to.is_empty() {
            continue;
        }
        let esc = Escalation {
            minutes: (s.at - a.raised_at) / 60_000,
            role: &s.role,
            step: s.step as i64,
        };
        let facts = Facts {
            alarm_id: a.id,
            name: &a.name,
            priority: &a.priority,
            machine: a.machine.as_deref(),
            action: &a.action,
            value: a.value,
            raised_at: a.raised_at,
        };
        for (lang, to) in by_language(tx, to) {
            queue::enqueue(
                tx,
                &alarm_mail(plant, lang, &facts, Some(&esc), to),
                now,
                &domain(settings),
            )?;
            n += 1;
        }
    }
    Ok(n)
}

/// Sends the daily digests due at `now` (see `alerts::notify`): for each digest role,
/// one mail with the alarms of that role raised the day before (none when there were
/// none). Returns how many mails were queued.
pub(super) fn digest(tx: &Connection, plant: &Plant, now: i64) -> rusqlite::Result<usize> {
    let s = &plant.config.alarm_settings;
    if s.digest_roles.is_empty() {
        return Ok(0);
    }
    let Some(at) = crate::config::alarm_rules::parse_hhmm(&s.digest_at) else {
        return Ok(0);
    };
    let done: HashSet<(String, String)> = tx
        .prepare_cached("SELECT role, day FROM mail_digests WHERE at >= ?1")?
        .query_map([now - 3 * 86_400_000], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let due = notify::digests(now, &plant.timezone(), at, &s.digest_roles, &done);
    if due.is_empty() {
        return Ok(0);
    }
    let settings = mail::settings(tx)?;
    let people = mail::recipients(tx)?;
    let assigned = records::assignments(tx)?;
    let mut n = 0;
    for d in due {
        tx.execute(
            "INSERT INTO mail_digests (role, day, at) VALUES (?1, ?2, ?3)",
            rusqlite::params![d.role, d.day, now],
        )?;
        let alarms: Vec<AlarmView> = store::raised_between(tx, d.from, d.to)?
            .into_iter()
            .filter(|a| a.roles.contains(&d.role))
            .collect();
        let Some(settings) = &settings else { continue };
        let to = addresses(&people, &assigned, std::slice::from_ref(&d.role), None);
        if alarms.is_empty() || to.is_empty() {
            continue;
        }
        for (lang, to) in by_language(tx, to) {
            queue::enqueue(
                tx,
                &digest_mail(plant, lang, &d, &alarms, to),
                now,
                &domain(settings),
            )?;
            n += 1;
        }
    }
    Ok(n)
}

/// The digest's mail in `lang`: one line per alarm, oldest first.
fn digest_mail(
    plant: &Plant,
    lang: Lang,
    d: &notify::Digest,
    alarms: &[AlarmView],
    to: Vec<String>,
) -> NewMail {
    let l = lang;
    let role = word(l, "role", &d.role);
    let date = day(l, &d.day);
    let mut body = tr!(
        l,
        "mail-digest-head",
        role = role.as_str(),
        site = plant.config.site.name.as_str(),
        day = date.as_str(),
        count = alarms.len()
    );
    body.push_str("\n\n");
    for a in alarms {
        let time = local(plant, a.raised_at);
        let time = time.get(11..16).unwrap_or(&time);
        let machine = a
            .machine
            .as_deref()
            .map(|m| format!(" ({})", machine_name(plant, m)))
            .unwrap_or_default();
        let ack = match (&a.acked_by, a.acked_at) {
            (Some(by), Some(_)) => tr!(l, "mail-digest-acked", by = by.as_str()),
            _ => tr!(l, "mail-digest-not-acked"),
        };
        body.push_str(&format!(
            "{time}  {:<8}  {}{machine}: {ack}\n",
            word(l, "priority", &a.priority),
            a.name
        ));
    }
    NewMail {
        kind: "digest",
        alarm_id: None,
        to,
        subject: tr!(
            l,
            "mail-digest-subject",
            day = date.as_str(),
            count = alarms.len(),
            role = role.as_str()
        ),
        body,
    }
}

/// Sends the oldest due mail of the queue, if any: returns the id and whether it was
/// sent, or None when nothing was due.
fn send_one(c: &mut Connection, secrets: &Secrets, now: i64) -> Result<Option<(i64, bool)>, Error> {
    let Some(settings) = mail::settings(c)? else {
        return Ok(None);
    };
    let Some(m) = queue::next_due(c, now)? else {
        return Ok(None);
    };
    let password = if settings.username.is_empty() {
        None
    } else {
        secrets.get(&settings.account()).map(|(p, _)| p)
    };
    let out = send::send(
        &settings,
        password.as_deref(),
        &Outgoing {
            message_id: &m.message_id,
            created_at: m.created_at,
            to: &m.to,
            subject: &m.subject,
            body: &m.body,
        },
    );
    // Marked at once, in its own transaction: a crash between the server's "250" and
    // this line is the only way a mail goes twice, and then with the same Message-ID.
    let at = now_ms();
    match out {
        Ok(()) => {
            queue::mark_sent(c, m.id, at)?;
            Ok(Some((m.id, true)))
        }
        Err(e) => {
            if e.permanent {
                tracing::warn!("mail {} refused for good: {}", m.id, e.message);
            } else {
                tracing::info!("mail {} waits: {}", m.id, e.message);
            }
            queue::mark_failed_try(c, m.id, at, &e.message, e.permanent)?;
            Ok(Some((m.id, false)))
        }
    }
}

impl Core {
    /// The mail job's work: sends the due mails of the queue one after the other, in
    /// order, until one fails or none is due. Returns how many were sent.
    pub async fn send_mail_queue(&self) -> Result<usize, Error> {
        let secrets = self.secrets.clone();
        self.db()
            .run(move |c| {
                let mut sent = 0;
                while let Some((_, ok)) = send_one(c, &secrets, now_ms())? {
                    if !ok {
                        break;
                    }
                    sent += 1;
                }
                Ok::<_, Error>(sent)
            })
            .await
    }

    /// Wakes the mail job (a mail was queued, the server changed).
    pub async fn mail_queued(&self) {
        self.mail_wake.notified().await
    }

    /// The mail section for the admin.
    pub async fn mail(&self) -> Result<MailView, Error> {
        let secrets = self.secrets.clone();
        self.db()
            .run(move |c| {
                let settings = mail::settings(c)?;
                let (password, password_note) = match settings
                    .as_ref()
                    .filter(|s| !s.username.is_empty())
                    .and_then(|s| secrets.get(&s.account()))
                {
                    Some((_, Kept::Os)) => ("keyring", String::new()),
                    Some((_, Kept::Memory(why))) => ("memory", why),
                    None => ("none", String::new()),
                };
                Ok::<_, Error>(MailView {
                    settings,
                    password: password.into(),
                    password_note,
                    counts: queue::counts(c, now_ms() - 86_400_000)?,
                    queue: queue::list(c, 50)?,
                    recipients: mail::recipients(c)?,
                })
            })
            .await
    }

    /// Sets the SMTP server; the password goes to the OS keyring (or, where none is
    /// reachable, the memory fallback); audited without it. Waiting mails are tried
    /// again at once.
    pub async fn set_mail_settings(&self, actor: Actor, b: SmtpBody) -> Result<MailView, Error> {
        let host = b.host.trim().to_string();
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(Error::Invalid {
                code: "bad_host",
                message: "give the SMTP server's name or address, e.g. mail.plant.example".into(),
                field: Some("host"),
            });
        }
        if b.port == 0 {
            return Err(Error::Invalid {
                code: "bad_port",
                message: "give the SMTP server's port: 587 (STARTTLS), 465 (TLS) or 25".into(),
                field: Some("port"),
            });
        }
        let sender = b.sender.trim().to_string();
        if !mail::valid_sender(&sender) {
            return Err(Error::Invalid {
                code: "bad_sender",
                message: format!(
                    "\"{sender}\" is not a sender address; write plantlog@plant.example or Plantlog <plantlog@plant.example>"
                ),
                field: Some("sender"),
            });
        }
        let username = b.username.trim().to_string();
        if username.is_empty() && b.password.as_deref().is_some_and(|p| !p.is_empty()) {
            return Err(Error::Invalid {
                code: "password_without_user",
                message: "a password needs the account (user name) it belongs to".into(),
                field: Some("username"),
            });
        }
        let s = SmtpSettings {
            host,
            port: b.port,
            security: b.security,
            username,
            sender,
        };
        let secrets = self.secrets.clone();
        let account = s.account();
        let password = b.password.clone();
        let key = account.clone();
        let changed = tokio::task::spawn_blocking(move || match password {
            None => Ok(false),
            Some(p) if p.is_empty() => {
                secrets.delete(&key);
                Ok(true)
            }
            Some(p) => secrets.set(&key, &p).map(|_| true),
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::invalid("keyring_refused", e.to_string()))?;
        let now = now_ms();
        let before = self
            .db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let detail = format!(
                    "{}:{} ({}), account \"{}\", sender {}{}",
                    s.host,
                    s.port,
                    s.security.name(),
                    s.username,
                    s.sender,
                    if changed { "; password changed" } else { "" }
                );
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "mail.settings", "smtp", &detail),
                )?;
                let before = mail::settings(&tx)?.map(|b| b.account());
                mail::set_settings(&tx, &s, &actor.name, now)?;
                queue::retry_now(&tx, now)?;
                tx.commit()?;
                Ok::<_, Error>(before)
            })
            .await?;
        // Another server or account: the old one's password is forgotten (the keyring
        // keeps no password Plantlog no longer uses).
        if let Some(old) = before.filter(|old| *old != account) {
            let secrets = self.secrets.clone();
            let _ = tokio::task::spawn_blocking(move || secrets.delete(&old)).await;
        }
        self.mail_wake.notify_one();
        self.mail().await
    }

    /// Sets or removes a person's e-mail address; audited.
    pub async fn set_user_email(
        &self,
        actor: Actor,
        user_id: i64,
        b: EmailBody,
    ) -> Result<MailView, Error> {
        let email = b.email.trim().to_string();
        if !email.is_empty() && !mail::valid_address(&email) {
            return Err(Error::Invalid {
                code: "bad_email",
                message: format!("\"{email}\" is not an e-mail address (name@domain)"),
                field: Some("email"),
            });
        }
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let e = (!email.is_empty()).then_some(email.as_str());
                if !mail::set_email(&tx, user_id, e)? {
                    return Err(Error::NotFound("user"));
                }
                let detail = if email.is_empty() {
                    "removed".to_string()
                } else {
                    email.clone()
                };
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "user.email", &format!("user {user_id}"), &detail),
                )?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.mail().await
    }

    /// Sends a test mail at once (not through the queue) and says what the server
    /// answered; audited.
    pub async fn send_test_mail(
        &self,
        actor: Actor,
        b: TestMailBody,
    ) -> Result<TestMailResult, Error> {
        let to = b.to.trim().to_string();
        if !mail::valid_address(&to) {
            return Err(Error::Invalid {
                code: "bad_email",
                message: format!("\"{to}\" is not an e-mail address (name@domain)"),
                field: Some("to"),
            });
        }
        let who = actor.id;
        let (settings, lang) = self
            .db()
            .run(move |c| Ok::<_, Error>((mail::settings(c)?, i18n::for_actor(c, who))))
            .await?;
        let settings =
            settings.ok_or_else(|| Error::invalid("no_smtp", "set the SMTP server first"))?;
        let secrets = self.secrets.clone();
        let site = self.plant().config.site.name.clone();
        let now = now_ms();
        let (to2, settings2) = (to.clone(), settings.clone());
        let out = tokio::task::spawn_blocking(move || {
            let password = (!settings2.username.is_empty())
                .then(|| secrets.get(&settings2.account()).map(|(p, _)| p))
                .flatten();
            let nonce: u64 = rand::random();
            let mid = format!("<{now}.{nonce:016x}@{}>", domain(&settings2));
            let recipients = [to2];
            send::send(
                &settings2,
                password.as_deref(),
                &Outgoing {
                    message_id: &mid,
                    created_at: now,
                    to: &recipients,
                    subject: &i18n::t(lang, "mail-test-subject"),
                    body: &format!("{}\n", tr!(lang, "mail-test-body", site = site)),
                },
            )
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        let result = match out {
            Ok(()) => TestMailResult {
                sent: true,
                message: format!(
                    "the server {}:{} accepted the mail to {to}",
                    settings.host, settings.port
                ),
            },
            Err(e) => TestMailResult {
                sent: false,
                message: e.message,
            },
        };
        let detail = format!("to {to}: {}", result.message);
        self.db()
            .run(move |c| {
                audit::record(c, &AuditEntry::new(&actor, "mail.test", "smtp", &detail))
                    .map_err(Error::from)
            })
            .await?;
        Ok(result)
    }

    /// Tries every waiting mail again now; audited.
    pub async fn retry_mail(&self, actor: Actor) -> Result<MailView, Error> {
        let now = now_ms();
        self.db()
            .run(move |c| {
                let tx = crate::store::write_tx(c)?;
                let n = queue::retry_now(&tx, now)?;
                audit::record(
                    &tx,
                    &AuditEntry::new(&actor, "mail.retry", "queue", &format!("{n} waiting")),
                )?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.mail_wake.notify_one();
        self.mail().await
    }
}

/// Keeps the secrets store shareable with blocking tasks.
pub(super) fn secrets() -> Arc<Secrets> {
    Arc::new(Secrets::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::store;
    use crate::config::{Priority, parse};

    const TOML: &str = r#"
[site]
name = "Plant A"
timezone = "Europe/Berlin"

[[machines]]
key = "press-1"
name = "Press 1"

[alarm_settings]
escalation = [{ priority = "high", after_min = 15, roles = ["supervisor", "admin"] }]
digest_roles = ["supervisor"]
digest_at = "07:00"
"#;

    fn setup() -> (Connection, Plant) {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations().to_latest(&mut c).unwrap();
        for (id, name, role) in [
            (1, "sue", "supervisor"),
            (2, "adam", "admin"),
            (3, "otto", "operator"),
        ] {
            c.execute(
                "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
                 VALUES (?1, ?2, ?2, ?3, 'x', 0, 0)",
                rusqlite::params![id, name, role],
            )
            .unwrap();
            mail::set_email(&c, id, Some(&format!("{name}@plant.example"))).unwrap();
        }
        mail::set_settings(
            &c,
            &SmtpSettings {
                host: "127.0.0.1".into(),
                port: 25,
                security: Security::None,
                username: String::new(),
                sender: "plantlog@plant.example".into(),
            },
            "test",
            0,
        )
        .unwrap();
        let plant = Plant::new(1, parse(TOML).unwrap(), HashMap::new());
        (c, plant)
    }

    fn raise(c: &Connection, key: &str, at: i64) -> i64 {
        let def = AlarmDef {
            key: key.into(),
            rule: key.into(),
            kind: "high",
            name: "Oil too hot".into(),
            priority: Priority::High,
            roles: vec!["operator".into()],
            action: "Check the cooler".into(),
            machine: Some("press-1".into()),
        };
        let t = Transition {
            key: key.into(),
            active: true,
            at,
            value: Some(61.5),
        };
        store::apply(c, &def, &t, false).unwrap().unwrap()
    }

    fn mails(c: &Connection) -> Vec<(String, Vec<String>, String)> {
        queue::list(c, 100)
            .unwrap()
            .into_iter()
            .map(|m| (m.kind, m.to, m.subject))
            .collect()
    }

    const MIN: i64 = 60_000;

    #[test]
    fn escalation_mails_the_next_role_at_its_minute_once_and_is_in_the_journal() {
        let (c, plant) = setup();
        // 2026-11-28 10:00 UTC
        let t0 = 1_795_860_000_000;
        let id = raise(&c, "oil", t0);
        assert_eq!(escalate(&c, &plant, t0 + 15 * MIN - 1).unwrap(), 0);
        assert_eq!(escalate(&c, &plant, t0 + 15 * MIN).unwrap(), 1);
        assert_eq!(escalate(&c, &plant, t0 + 15 * MIN + 250).unwrap(), 0);
        let m = queue::next_due(&c, i64::MAX).unwrap().unwrap();
        assert_eq!(m.to, ["sue@plant.example"]);
        assert_eq!(
            m.subject,
            "Not acknowledged: [Plantlog HIGH] Oil too hot (Press 1)"
        );
        assert!(m.body.starts_with("This alarm has not been acknowledged for 15 minutes: it is escalated to supervisor (step 1).\n\nAlarm at Plant A: Oil too hot\nPriority: high\nMachine: Press 1\nValue: 61.5\nRaised: 2026-11-28 11:00:00 CET\n"), "{}", m.body);
        // acknowledged before the second step: no more
        store::acknowledge(&c, id, "sue", "cooler fan replaced", t0 + 20 * MIN)
            .unwrap()
            .unwrap();
        assert_eq!(escalate(&c, &plant, t0 + 30 * MIN).unwrap(), 0);
        let j = store::journal(&c, &store::JournalQuery::default()).unwrap();
        let what: Vec<(&str, &str)> = j
            .iter()
            .map(|e| (e.what.as_str(), e.comment.as_str()))
            .collect();
        assert!(what.contains(&("escalated", "to supervisor")), "{what:?}");
        // an alarm never acknowledged: both steps, the admin at 30 minutes
        raise(&c, "oil2", t0);
        assert_eq!(escalate(&c, &plant, t0 + 31 * MIN).unwrap(), 2);
        let to: Vec<Vec<String>> = mails(&c)
            .into_iter()
            .filter(|m| m.0 == "escalation")
            .map(|m| m.1)
            .collect();
        assert_eq!(to.len(), 3);
        assert!(
            to.contains(&vec!["adam@plant.example".to_string()]),
            "{to:?}"
        );
    }

    #[test]
    fn the_daily_digest_goes_once_per_role_with_the_day_before() {
        let (c, plant) = setup();
        // two alarms on 2026-11-27 (Berlin), one on the 28th
        let day27 = 1_795_734_000_000; // 2026-11-26T23:00Z = 27th 00:00 in Berlin
        let a = raise(&c, "a", day27 + 8 * 60 * MIN);
        store::acknowledge(&c, a, "sue", "", day27 + 9 * 60 * MIN)
            .unwrap()
            .unwrap();
        // a supervisor alarm: the digest lists the supervisor role's alarms
        c.execute("UPDATE alarms SET roles = 'supervisor,operator'", [])
            .unwrap();
        raise(&c, "b", day27 + 23 * 60 * MIN);
        c.execute("UPDATE alarms SET roles = 'supervisor,operator'", [])
            .unwrap();
        raise(&c, "c", day27 + 24 * 60 * MIN + MIN);
        c.execute("UPDATE alarms SET roles = 'supervisor,operator'", [])
            .unwrap();
        // 28th 06:59:59.999 Berlin: not yet
        let seven = day27 + 24 * 60 * MIN + 7 * 60 * MIN;
        assert_eq!(digest(&c, &plant, seven - 1).unwrap(), 0);
        assert_eq!(digest(&c, &plant, seven).unwrap(), 1);
        assert_eq!(digest(&c, &plant, seven + 3_600_000).unwrap(), 0);
        let m = queue::next_due(&c, i64::MAX).unwrap().unwrap();
        assert_eq!(m.kind, "digest");
        assert_eq!(m.to, ["sue@plant.example"]);
        assert_eq!(
            m.subject,
            "[Plantlog] Alarms of 2026-11-27: 2 for supervisor"
        );
        assert_eq!(
            m.body,
            "Alarms for supervisor at Plant A on 2026-11-27: 2\n\n08:00  high      Oil too hot (Press 1): acknowledged by sue\n23:00  high      Oil too hot (Press 1): not acknowledged\n"
        );
    }

    #[test]
    fn each_person_reads_the_mail_in_their_language() {
        let (c, plant) = setup();
        let german = crate::auth::prefs::Preferences {
            language: Some("de".into()),
            theme: None,
        };
        crate::auth::prefs::store(&c, 1, &german).unwrap();
        let t0 = 1_795_860_000_000; // 2026-11-28 10:00 UTC
        raise(&c, "oil", t0);
        // step 2 goes to the admin (the plant's default, English), step 1 to Sue (German)
        assert_eq!(escalate(&c, &plant, t0 + 31 * MIN).unwrap(), 2);
        let all = queue::list(&c, 10).unwrap();
        let de = all.iter().find(|m| m.to == ["sue@plant.example"]).unwrap();
        assert_eq!(
            de.subject,
            "Nicht quittiert: [Plantlog HOCH] Oil too hot (Press 1)"
        );
        assert!(de.body.starts_with("Dieser Alarm ist seit 15 Minuten nicht quittiert: er wird an die Rolle Schichtleiter eskaliert (Stufe 1).\n\nAlarm bei Plant A: Oil too hot\nPriorität: hoch\nMaschine: Press 1\nWert: 61,5\nAusgelöst: 28.11.2026 11:00 CET\n"), "{}", de.body);
        let en = all.iter().find(|m| m.to == ["adam@plant.example"]).unwrap();
        assert!(en.subject.starts_with("Not acknowledged: [Plantlog HIGH]"));
        // the plant's default is Spanish: Adam, who chose nothing, reads Spanish
        crate::auth::prefs::set_default_language(&c, "es").unwrap();
        let day = "2026-11-27".parse::<jiff::civil::Date>().unwrap();
        let d = notify::Digest {
            role: "admin".into(),
            day: day.to_string(),
            from: t0 - 86_400_000,
            to: t0 + 86_400_000,
        };
        let alarms = store::raised_between(&c, d.from, d.to).unwrap();
        let people = mail::recipients(&c).unwrap();
        let to = addresses(&people, &HashMap::new(), &["admin".to_string()], None);
        let groups = by_language(&c, to);
        assert_eq!(groups.len(), 1);
        let m = digest_mail(&plant, groups[0].0, &d, &alarms, groups[0].1.clone());
        assert_eq!(
            m.subject,
            "[Plantlog] Alarmas del 27/11/2026: 1 para Administrador"
        );
        assert!(m.body.contains("alta"), "{}", m.body);
    }
}
