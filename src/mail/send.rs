//! Sending one mail through the SMTP server with lettre (blocking: the caller runs it
//! on a blocking thread). Says whether a failure is for good (a permanent 5xx answer, an
//! address the server refuses) or worth trying again (no connection, a timeout, a 4xx).

use std::time::{Duration, UNIX_EPOCH};

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{SmtpTransport, Transport};

use super::{Security, SmtpSettings};

/// How long one conversation with the server may take.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A mail ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub message_id: &'a str,
    pub created_at: i64,
    pub to: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
}

/// Why a mail was not sent.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// Trying again will not help (the server refused it for good, or the mail's
    /// addresses are not usable).
    pub permanent: bool,
}

fn permanent(message: String) -> SendError {
    SendError {
        message,
        permanent: true,
    }
}

/// Builds the message: plain text, its fixed Message-ID, dated when it was queued.
pub fn message(s: &SmtpSettings, m: &Outgoing<'_>) -> Result<Message, SendError> {
    let from: Mailbox = s.sender.parse().map_err(|e| {
        permanent(format!(
            "the sender \"{}\" is not an address: {e}",
            s.sender
        ))
    })?;
    let mut b = Message::builder()
        .from(from)
        .subject(m.subject)
        .message_id(Some(m.message_id.to_string()))
        .date(UNIX_EPOCH + Duration::from_millis(m.created_at.max(0) as u64))
        .header(ContentType::TEXT_PLAIN);
    for to in m.to {
        let mbox: Mailbox = to
            .parse()
            .map_err(|e| permanent(format!("\"{to}\" is not an address: {e}")))?;
        b = b.to(mbox);
    }
    b.body(m.body.to_string())
        .map_err(|e| permanent(format!("the mail cannot be built: {e}")))
}

/// The transport to the server.
fn transport(s: &SmtpSettings, password: Option<&str>) -> Result<SmtpTransport, SendError> {
    let builder = match s.security {
        Security::Tls => SmtpTransport::relay(&s.host),
        Security::Starttls => SmtpTransport::starttls_relay(&s.host),
        Security::None => Ok(SmtpTransport::builder_dangerous(&s.host)),
    }
    .map_err(|e| SendError {
        message: format!("cannot set up TLS to {}: {e}", s.host),
        permanent: false,
    })?;
    let mut builder = builder.port(s.port).timeout(Some(TIMEOUT));
    if !s.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            s.username.clone(),
            password.unwrap_or_default().to_string(),
        ));
    }
    Ok(builder.build())
}

/// Sends `m` through the server: Ok once the server accepted it ("250" after DATA).
pub fn send(s: &SmtpSettings, password: Option<&str>, m: &Outgoing<'_>) -> Result<(), SendError> {
    let msg = message(s, m)?;
    let t = transport(s, password)?;
    match t.send(&msg) {
        Ok(_) => Ok(()),
        Err(e) => {
            // lettre's message often ends with its source's already: not twice.
            let text = e.to_string();
            let message = match std::error::Error::source(&e).map(|s| s.to_string()) {
                Some(src) if !text.contains(&src) => format!("{text}: {src}"),
                _ => text,
            };
            Err(SendError {
                message: format!("{}:{}: {message}", s.host, s.port),
                permanent: e.is_permanent(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".into(),
            port: 1,
            security: Security::None,
            username: String::new(),
            sender: "Plantlog <plantlog@plant.example>".into(),
        }
    }

    #[test]
    fn the_message_carries_its_message_id_date_and_addresses() {
        let to = vec![
            "ann@plant.example".to_string(),
            "bob@plant.example".to_string(),
        ];
        let m = Outgoing {
            message_id: "<1.abc@plant.example>",
            created_at: 1_767_225_600_000,
            to: &to,
            subject: "[Plantlog HIGH] Oil too hot",
            body: "Oil 61 °C (limit 60)",
        };
        let text = String::from_utf8(message(&settings(), &m).unwrap().formatted()).unwrap();
        assert!(
            text.contains("Message-ID: <1.abc@plant.example>\r\n"),
            "{text}"
        );
        assert!(
            text.contains("Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"),
            "{text}"
        );
        assert!(
            text.contains("To: ann@plant.example, bob@plant.example\r\n"),
            "{text}"
        );
        assert!(
            text.contains("From: Plantlog <plantlog@plant.example>\r\n"),
            "{text}"
        );
        let bad = vec!["not an address".to_string()];
        let e = message(&settings(), &Outgoing { to: &bad, ..m }).unwrap_err();
        assert!(e.permanent, "{e:?}");
    }

    #[test]
    fn no_server_is_worth_trying_again() {
        // port 1 on this PC: nothing listens; connection refused is not permanent
        let to = vec!["ann@plant.example".to_string()];
        let m = Outgoing {
            message_id: "<2.abc@plant.example>",
            created_at: 0,
            to: &to,
            subject: "s",
            body: "b",
        };
        let e = send(&settings(), None, &m).unwrap_err();
        assert!(!e.permanent, "{e:?}");
        assert!(e.message.starts_with("127.0.0.1:1: "), "{}", e.message);
        // the cause once, not twice
        assert_eq!(e.message.matches("refused").count(), 1, "{}", e.message);
    }
}
