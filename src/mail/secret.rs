//! The SMTP password in the OS keyring (the keyring crate: Windows Credential Manager on
//! Windows, the Secret Service over D-Bus on Linux), never in SQLite, files, logs or
//! exports.
//!
//! Where the OS keyring cannot be reached (a Linux service with no Secret Service
//! running, as in the test machines here), the password is kept in this process's
//! memory instead: a fallback, shown as such to the admin ("kept in memory until
//! Plantlog stops"), so it must be given again after a restart. The keyring is always
//! tried first, on every read and write.

use std::collections::HashMap;
use std::sync::Mutex;

/// The keyring's service name for Plantlog's secrets.
pub const SERVICE: &str = "plantlog";

/// Where a password is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// In the OS keyring.
    Os,
    /// In this process's memory (the fallback), with why the keyring was not usable.
    Memory(String),
}

#[derive(Debug, thiserror::Error)]
#[error("the OS keyring refused the password: {0}")]
pub struct SecretError(String);

/// The passwords: the OS keyring, with the in-memory fallback beside it.
#[derive(Default)]
pub struct Secrets {
    memory: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(..)")
    }
}

/// Whether a keyring error means "no keyring here" (rather than "no such entry" or a
/// refused value).
fn unreachable(e: &keyring::Error) -> bool {
    matches!(
        e,
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)
    )
}

impl Secrets {
    fn memory(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps `password` for `account`: in the OS keyring, or, where none can be
    /// reached, in memory.
    pub fn set(&self, account: &str, password: &str) -> Result<Kept, SecretError> {
        match keyring::Entry::new(SERVICE, account).and_then(|e| e.set_password(password)) {
            Ok(()) => {
                self.memory().remove(account);
                Ok(Kept::Os)
            }
            Err(e) if unreachable(&e) => {
                self.memory()
                    .insert(account.to_string(), password.to_string());
                Ok(Kept::Memory(e.to_string()))
            }
            Err(e) => Err(SecretError(e.to_string())),
        }
    }

    /// The password of `account`, and where it was found; `None` if there is none.
    pub fn get(&self, account: &str) -> Option<(String, Kept)> {
        match keyring::Entry::new(SERVICE, account).and_then(|e| e.get_password()) {
            Ok(p) => Some((p, Kept::Os)),
            Err(e) => {
                let why = e.to_string();
                self.memory()
                    .get(account)
                    .map(|p| (p.clone(), Kept::Memory(why)))
            }
        }
    }

    /// Forgets the password of `account` (both places).
    pub fn delete(&self, account: &str) {
        self.memory().remove(account);
        if let Ok(e) = keyring::Entry::new(SERVICE, account) {
            let _ = e.delete_credential();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Here no Secret Service runs: the password is kept in memory, says so, and is
    /// found again; deleting forgets it. (With a keyring, `Kept::Os` instead; see
    /// docs/ALARMS.md for the check with gnome-keyring.)
    #[test]
    fn the_keyring_first_then_memory_as_a_visible_fallback() {
        let s = Secrets::default();
        let account = format!("smtp:test-{}@localhost:25", std::process::id());
        let kept = s.set(&account, "s3cret pass").unwrap();
        let (pw, found) = s.get(&account).unwrap();
        assert_eq!(pw, "s3cret pass");
        assert_eq!(kept == Kept::Os, found == Kept::Os);
        if std::env::var_os("PLANTLOG_EXPECT_KEYRING").is_some() {
            assert_eq!(kept, Kept::Os);
            // another Secrets (a restarted Plantlog) reads it from the keyring
            assert_eq!(
                Secrets::default().get(&account),
                Some(("s3cret pass".into(), Kept::Os))
            );
        } else {
            assert!(matches!(kept, Kept::Memory(_)), "{kept:?}");
            // a restarted Plantlog has lost it
            assert_eq!(Secrets::default().get(&account), None);
        }
        s.delete(&account);
        assert_eq!(s.get(&account), None);
    }
}
