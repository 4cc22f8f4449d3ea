//! Why the core refuses or fails a request, by kind, with a stable code and a message
//! that says what to do. The API turns a kind into an HTTP status; the command line
//! prints the message.

use crate::auth::users::UserError;
use crate::collector::commission::CommissionError;
use crate::config::{ConfigError, Conflict, ImportError, Problem};
use crate::store::StoreError;
use crate::store::retention::{ChangeError, Class, Step};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not logged in, a wrong password, a session that ended: `code` says which.
    #[error("{message}")]
    Unauthenticated { code: &'static str, message: String },
    /// Not allowed, whoever asks this way (setup without its code, from the network).
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// Too many attempts; try again later.
    #[error("{message}")]
    TooMany { code: &'static str, message: String },
    /// No such machine, device, tag, user...
    #[error("no such {0}")]
    NotFound(&'static str),
    /// Allowed for the role, but not for this thing (an operator and a machine that is
    /// not theirs); the message says why.
    #[error("{0}")]
    NotAssigned(String),
    /// The request cannot be carried out as asked; `field` names what to fix.
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        field: Option<&'static str>,
    },
    /// Like `Invalid`, with the values the message names (`params`), so the UI can say it
    /// in the user's language by `code`.
    #[error("{message}")]
    Refused {
        code: &'static str,
        message: String,
        field: Option<&'static str>,
        params: serde_json::Map<String, serde_json::Value>,
    },
    /// A configuration with mistakes, every one listed.
    #[error("{}", ConfigError::Invalid(.0.clone()))]
    Config(Vec<Problem>),
    /// A file (an import) with mistakes, every one listed with its line; nothing of it
    /// was stored.
    #[error("{}", file_problems(.0))]
    File(Vec<Problem>),
    /// An edit based on a configuration version that is no longer the running one.
    #[error("{}", ImportError::Conflict(.0.clone()))]
    ConfigConflict(Box<Conflict>),
    /// A retention change that removes data and was not confirmed.
    #[error("{}", shortens(.classes))]
    ConfirmRequired {
        classes: Vec<Class>,
        would_remove: Vec<Step>,
    },
    #[error(transparent)]
    User(UserError),
    /// The work was stopped: its client went away, or Plantlog is stopping.
    #[error("stopped: the request was cancelled or Plantlog is stopping")]
    Stopped,
    /// Something that should have worked did not (the database, a task).
    #[error("{0}")]
    Internal(String),
}

fn file_problems(problems: &[Problem]) -> String {
    let n = problems.len();
    format!(
        "the file was not imported; {} to fix:\n{}",
        if n == 1 {
            "1 mistake".to_string()
        } else {
            format!("{n} mistakes")
        },
        problems
            .iter()
            .map(|p| format!("  - {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn shortens(classes: &[Class]) -> String {
    ChangeError::ConfirmRequired {
        classes: classes.to_vec(),
        would_remove: Vec::new(),
    }
    .to_string()
}

impl Error {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Error {
        Error::Invalid {
            code,
            message: message.into(),
            field: None,
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Internal(e.to_string())
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Internal(format!("database error: {e}"))
    }
}

impl From<crate::auth::prefs::PrefsError> for Error {
    fn from(e: crate::auth::prefs::PrefsError) -> Self {
        use crate::auth::prefs::PrefsError;
        let message = e.to_string();
        let (code, field, key, value) = match e {
            PrefsError::UnknownLanguage(l) => ("unknown_language", "language", "language", l),
            PrefsError::UnknownTheme(t) => ("unknown_theme", "theme", "theme", t),
            PrefsError::Sqlite(e) => return e.into(),
        };
        let mut params = serde_json::Map::new();
        params.insert(key.into(), value.into());
        Error::Refused {
            code,
            message,
            field: Some(field),
            params,
        }
    }
}

impl From<UserError> for Error {
    fn from(e: UserError) -> Self {
        match e {
            UserError::NotFound => Error::NotFound("user"),
            UserError::Sqlite(e) => e.into(),
            UserError::Store(e) => e.into(),
            e => Error::User(e),
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        let ConfigError::Invalid(problems) = e;
        Error::Config(problems)
    }
}

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Conflict(c) => Error::ConfigConflict(c),
            ImportError::Sqlite(e) => e.into(),
        }
    }
}

impl From<ChangeError> for Error {
    fn from(e: ChangeError) -> Self {
        match e {
            ChangeError::Days { field } => Error::Invalid {
                code: "bad_retention",
                message: e.to_string(),
                field: Some(field),
            },
            ChangeError::WarnLevel => Error::Invalid {
                code: "bad_retention",
                message: e.to_string(),
                field: Some("disk_warn_mb"),
            },
            ChangeError::ConfirmRequired {
                classes,
                would_remove,
            } => Error::ConfirmRequired {
                classes,
                would_remove,
            },
            ChangeError::Sqlite(e) => e.into(),
        }
    }
}

impl From<CommissionError> for Error {
    fn from(e: CommissionError) -> Self {
        match e {
            CommissionError::NoSuchTag(_) => Error::NotFound("tag"),
            CommissionError::NoLine => Error::NotFound("serial line"),
            e => Error::invalid(e.code(), e.to_string()),
        }
    }
}
