//! Alarm e-mail (issue 13): the plant's SMTP server settings (in SQLite, without the
//! password), the password in the OS keyring ([`secret`]), people's e-mail addresses,
//! the durable queue of mails ([`queue`]) and sending one through lettre ([`send`]).
//!
//! It decides nothing about alarms: the core queues what to tell whom (in the same
//! transaction as the alarm transition) and the mail job sends the queue in order.
//! Imports nothing of Plantlog but `sample`; never alerts, core, api or app.

pub mod queue;
pub mod secret;
pub mod send;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// STARTTLS on a plain connection (port 587 usually): refused if the server cannot.
    Starttls,
    /// TLS from the first byte (port 465 usually).
    Tls,
    /// No encryption: only for a relay on the plant's own LAN (port 25).
    None,
}

impl Security {
    pub fn name(self) -> &'static str {
        match self {
            Security::Starttls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Security> {
        match s {
            "starttls" => Some(Security::Starttls),
            "tls" => Some(Security::Tls),
            "none" => Some(Security::None),
            _ => None,
        }
    }
}

/// The plant's SMTP server. The password is not part of it: it is in the OS keyring
/// under [`SmtpSettings::account`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The account to log in with; empty when the server takes mail without logging in.
    pub username: String,
    /// The sender address ("Plantlog <plantlog@plant.example>" or a bare address).
    pub sender: String,
}

impl SmtpSettings {
    /// The keyring entry of this server's password.
    pub fn account(&self) -> String {
        format!("smtp:{}@{}:{}", self.username, self.host, self.port)
    }
}

/// The SMTP server, if the admin set one.
pub fn settings(conn: &Connection) -> rusqlite::Result<Option<SmtpSettings>> {
    conn.query_row(
        "SELECT host, port, security, username, sender FROM mail_settings WHERE id = 1",
        [],
        |r| {
            let security: String = r.get(2)?;
            Ok(SmtpSettings {
                host: r.get(0)?,
                port: r.get(1)?,
                security: Security::parse(&security).unwrap_or(Security::Starttls),
                username: r.get(3)?,
                sender: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Stores the SMTP server.
pub fn set_settings(
    conn: &Connection,
    s: &SmtpSettings,
    by: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO mail_settings (id, host, port, security, username, sender, updated_at, updated_by)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET host = ?1, port = ?2, security = ?3, username = ?4,
             sender = ?5, updated_at = ?6, updated_by = ?7",
        params![s.host, s.port, s.security.name(), s.username, s.sender, now, by],
    )?;
    Ok(())
}

/// A person who can receive alarm mail.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Recipient {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub disabled: bool,
    pub email: Option<String>,
}

/// Every user with their e-mail address (if any), by role and name.
pub fn recipients(conn: &Connection) -> rusqlite::Result<Vec<Recipient>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.username, u.display_name, u.role, u.disabled, e.email
         FROM users u LEFT JOIN user_emails e ON e.user_id = u.id
         ORDER BY u.role, u.username",
    )?;
    stmt.query_map([], |r| {
        Ok(Recipient {
            user_id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            role: r.get(3)?,
            disabled: r.get(4)?,
            email: r.get(5)?,
        })
    })?
    .collect()
}

/// Sets (or, with `None`, removes) a person's address. False if there is no such user.
pub fn set_email(conn: &Connection, user_id: i64, email: Option<&str>) -> rusqlite::Result<bool> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
        [user_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(false);
    }
    match email {
        Some(e) => conn.execute(
            "INSERT INTO user_emails (user_id, email) VALUES (?1, ?2)
             ON CONFLICT (user_id) DO UPDATE SET email = ?2",
            params![user_id, e],
        )?,
        None => conn.execute("DELETE FROM user_emails WHERE user_id = ?1", [user_id])?,
    };
    Ok(true)
}

/// Whether `addr` is an address lettre accepts ("name@domain").
pub fn valid_address(addr: &str) -> bool {
    addr.parse::<lettre::Address>().is_ok()
}

/// Whether `sender` is a usable sender: an address, or "Name <address>".
pub fn valid_sender(sender: &str) -> bool {
    sender.parse::<lettre::message::Mailbox>().is_ok()
}
