//! Encrypted backups (for a stick that can be lost): when the admin turns encryption on,
//! every file of a backup is written to the target encrypted with age (X25519, ChaCha20-
//! Poly1305: authenticated, a changed byte is found) as `<file>.age`; only the manifest
//! stays readable, and it holds table row counts and tag numbers, never a name or a
//! value.
//!
//! The key: an age X25519 identity made when encryption is turned on, shown to the
//! admin once as the recovery key (`AGE-SECRET-KEY-1…`) to write down or print, and
//! kept in the OS keyring (account [`KEY_ACCOUNT`]; the same store as the SMTP password,
//! with its visible in-memory fallback where no keyring runs). Never in SQLite, the
//! configuration, logs or exports. Only its public half (the recipient, `age1…`) is a
//! setting ([`SETTING`]): writing a backup needs only that, so backups go on being
//! written while the key is not at hand; reading one (verify, restore, drill, and the
//! page list an incremental builds on) needs the key, and is refused without it with
//! what to do. A lost key means lost backups: nothing can read them.
//!
//! How: the backup is made and verified as an unencrypted one in a stage folder in the
//! data folder ([`super::incremental::make_next_with`]), then each file is encrypted
//! onto the target ([`seal`]), read back and compared with the SHA-256 taken while it
//! was written. Reading decrypts the backup (and the chain it builds on) into a
//! temporary folder ([`open`]) where the unencrypted checks run as for any backup.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use age::secrecy::ExposeSecret;
use age::x25519::{Identity, Recipient};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::engine::Made;
use super::manifest::{self, FileSum, Manifest, PARTIAL};
use super::{BackupError, FOLDER};

/// The setting holding the recipient (the key's public half) backups are encrypted to;
/// none: backups are not encrypted.
pub const SETTING: &str = "backup.encrypt_to";
/// The keyring account of the key.
pub const KEY_ACCOUNT: &str = "backup-key";
/// An encrypted file's name ends in this.
pub const SUFFIX: &str = ".age";

/// What the manifest of an encrypted backup says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "BackupEncryption"))]
pub struct Encryption {
    /// The recipient (`age1…`) the files are encrypted to.
    pub recipient: String,
    /// The files as they are once decrypted (their names without `.age`).
    pub files: Vec<FileSum>,
}

/// A new key: the identity, and its recovery key text to show once.
pub fn generate() -> (Identity, String) {
    let id = Identity::generate();
    let text = id.to_string().expose_secret().to_string();
    (id, text)
}

/// The key from a recovery key as the admin types it (spaces and line breaks around
/// it, lower case, are forgiven).
pub fn parse_key(text: &str) -> Result<Identity, BackupError> {
    let t: String = text.split_whitespace().collect::<String>().to_uppercase();
    Identity::from_str(&t).map_err(|_| {
        BackupError::Invalid(
            "this is not a backup recovery key: it starts with AGE-SECRET-KEY-1 and is one line of 74 letters and digits".into(),
        )
    })
}

pub fn parse_recipient(text: &str) -> Result<Recipient, BackupError> {
    Recipient::from_str(text.trim()).map_err(|e| {
        BackupError::Invalid(format!(
            "the backup encryption setting holds no valid recipient: {e}"
        ))
    })
}

/// The recipient of a key (what the setting holds).
pub fn recipient_of(id: &Identity) -> String {
    id.to_public().to_string()
}

/// The recipient backups are encrypted to, when encryption is on.
pub fn setting(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT value FROM settings WHERE key = ?1",
        [SETTING],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map(|v| v.filter(|s| !s.trim().is_empty()))
}

/// Turns encryption on (to `recipient`) or off (None).
pub fn set_setting(conn: &Connection, recipient: Option<&str>) -> rusqlite::Result<()> {
    match recipient {
        Some(r) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [SETTING, r],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [SETTING])?,
    };
    Ok(())
}

/// How backups are written and read: the recipient to encrypt to (None: not
/// encrypted), and the key to read encrypted ones (None: not at hand).
#[derive(Clone, Default)]
pub struct Keys {
    pub encrypt_to: Option<Recipient>,
    pub key: Option<Identity>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field(
                "encrypt_to",
                &self.encrypt_to.as_ref().map(|r| r.to_string()),
            )
            .field("key", &self.key.as_ref().map(|_| "(at hand)"))
            .finish()
    }
}

impl Keys {
    /// No encryption, no key.
    pub fn none() -> Keys {
        Keys::default()
    }
}

/// Encrypts `from` into `to` (synced); the size and SHA-256 of what was written.
pub fn encrypt_file(from: &Path, to: &Path, r: &Recipient) -> Result<(u64, String), BackupError> {
    let mut input = BufReader::with_capacity(
        1 << 20,
        std::fs::File::open(from).map_err(|source| BackupError::Read {
            path: from.to_path_buf(),
            source,
        })?,
    );
    let mut write = || -> std::io::Result<(u64, String)> {
        let f = std::fs::File::create(to)?;
        let hashing = Hashing {
            inner: BufWriter::with_capacity(1 << 20, f),
            hash: Sha256::new(),
            bytes: 0,
        };
        let enc = age::Encryptor::with_recipients(std::iter::once(r as &dyn age::Recipient))
            .map_err(std::io::Error::other)?;
        let mut w = enc.wrap_output(hashing)?;
        std::io::copy(&mut input, &mut w)?;
        let mut h = w.finish()?;
        h.inner.flush()?;
        let f = h.inner.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        Ok((h.bytes, hex::encode(h.hash.finalize())))
    };
    write().map_err(|e| BackupError::target(to, e))
}

/// A writer that hashes what passes through it.
struct Hashing<W: Write> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn key_error(name: &str, e: age::DecryptError) -> BackupError {
    match e {
        age::DecryptError::NoMatchingKeys => BackupError::KeyWrong {
            name: name.to_string(),
        },
        e => BackupError::Verification(format!("{name} cannot be decrypted: {e}")),
    }
}

/// A reader of the decrypted content of `path` (a file of the backup `name`).
pub fn decrypt_reader(
    path: &Path,
    key: &Identity,
    name: &str,
) -> Result<impl Read + use<>, BackupError> {
    let f = std::fs::File::open(path).map_err(|source| BackupError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let d = age::Decryptor::new_buffered(BufReader::with_capacity(1 << 20, f))
        .map_err(|e| key_error(name, e))?;
    d.decrypt(std::iter::once(key as &dyn age::Identity))
        .map_err(|e| key_error(name, e))
}

/// Decrypts `from` into `to` (synced).
fn decrypt_file(from: &Path, to: &Path, key: &Identity, name: &str) -> Result<(), BackupError> {
    let mut r = decrypt_reader(from, key, name)?;
    let mut f = std::fs::File::create(to).map_err(|source| BackupError::Read {
        path: to.to_path_buf(),
        source,
    })?;
    std::io::copy(&mut r, &mut f)
        .and_then(|_| f.sync_all())
        .map_err(|e| {
            BackupError::Verification(format!(
                "{} of the backup {name} cannot be decrypted (damaged or changed): {e}",
                from.display()
            ))
        })
}

/// Writes the backup made (unencrypted, verified) in `made` into the target's backup
/// folder `root`, each file encrypted to `r`, read back and checked; the manifest names
/// the encrypted files and keeps the decrypted ones' sums. The folder is `.partial`
/// while written and gets its final name as [`super::engine::finish`] gives it.
pub fn seal(
    made: &Made,
    root: &Path,
    r: &Recipient,
    started: Instant,
) -> Result<Made, BackupError> {
    let plain = made.manifest.clone();
    let dir = root.join(format!("{}{PARTIAL}", plain.name));
    std::fs::create_dir_all(root).map_err(|e| BackupError::target(root, e))?;
    std::fs::create_dir(&dir).map_err(|e| BackupError::target(&dir, e))?;
    let mut files = Vec::new();
    for f in &plain.files {
        let name = format!("{}{SUFFIX}", f.name);
        let to = dir.join(&name);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| BackupError::target(parent, e))?;
        }
        let (bytes, sha256) = encrypt_file(&made.dir.join(&f.name), &to, r)?;
        files.push(FileSum {
            name,
            bytes,
            sha256,
        });
    }
    for d in dirs_of(&files) {
        manifest::sync_dir(&dir.join(d)).map_err(|e| BackupError::target(&dir, e))?;
    }
    manifest::sync_dir(&dir).map_err(|e| BackupError::target(&dir, e))?;
    let mut v = plain.verification.clone();
    let before = v.problems.len();
    super::verify::check_files(&dir, &files, &mut v);
    if v.problems.len() > before {
        v.files_match = false;
        v.passed = false;
    }
    let m = Manifest {
        files,
        verification: v,
        encryption: Some(Encryption {
            recipient: r.to_string(),
            files: plain.files.clone(),
        }),
        ..plain
    };
    super::engine::finish(root, &dir, m, started)
}

/// The folders inside a backup its files are in (`tls`).
fn dirs_of(files: &[FileSum]) -> Vec<String> {
    let mut out: Vec<String> = files
        .iter()
        .filter_map(|f| f.name.rsplit_once('/').map(|(d, _)| d.to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A backup as it can be read: its own folder when it is not encrypted; otherwise the
/// folder it was decrypted into (with the chain it builds on), removed when dropped.
#[derive(Debug)]
pub struct Opened {
    pub dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

/// Whether the backup in `dir` (or one it builds on) is encrypted.
pub fn is_encrypted(m: &Manifest) -> bool {
    m.encryption.is_some()
}

/// The backup in `dir` ready to be read: when it (or the chain it builds on) is
/// encrypted, each encrypted file's SHA-256 is checked and the files decrypted with
/// `key` into a temporary folder made in `scratch`. Refused without the key or with
/// another key, saying what to do.
pub fn open(dir: &Path, key: Option<&Identity>, scratch: &Path) -> Result<Opened, BackupError> {
    let m = Manifest::read(dir)?;
    let links = if m.chain.as_ref().is_some_and(|c| c.parent.is_some()) {
        match super::verify::chain_of(dir, &m) {
            Ok(l) => l,
            // A broken chain: an encrypted backup cannot be read without it; an
            // unencrypted one is reported by its verification, as any broken chain.
            Err(e) if is_encrypted(&m) => return Err(e),
            Err(_) => {
                return Ok(Opened {
                    dir: dir.to_path_buf(),
                    _tmp: None,
                });
            }
        }
    } else {
        vec![(dir.to_path_buf(), m.clone())]
    };
    if !links.iter().any(|(_, lm)| is_encrypted(lm)) {
        return Ok(Opened {
            dir: dir.to_path_buf(),
            _tmp: None,
        });
    }
    let Some(key) = key else {
        return Err(BackupError::KeyMissing { name: m.name });
    };
    std::fs::create_dir_all(scratch).map_err(|source| BackupError::Read {
        path: scratch.to_path_buf(),
        source,
    })?;
    let tmp = tempfile::Builder::new()
        .prefix("backup-decrypted-")
        .tempdir_in(scratch)
        .map_err(|source| BackupError::Read {
            path: scratch.to_path_buf(),
            source,
        })?;
    let root = tmp.path().join(FOLDER);
    for (ldir, lm) in &links {
        let to = root.join(&lm.name);
        std::fs::create_dir_all(&to).map_err(|source| BackupError::Read {
            path: to.clone(),
            source,
        })?;
        let plain = match &lm.encryption {
            None => {
                for f in &lm.files {
                    let dst = to.join(&f.name);
                    if let Some(p) = dst.parent() {
                        std::fs::create_dir_all(p).ok();
                    }
                    std::fs::copy(ldir.join(&f.name), &dst).map_err(|source| {
                        BackupError::Read {
                            path: ldir.join(&f.name),
                            source,
                        }
                    })?;
                }
                lm.clone()
            }
            Some(enc) => {
                let mut v = super::Verification::default();
                super::verify::check_files(ldir, &lm.files, &mut v);
                if !v.problems.is_empty() {
                    return Err(BackupError::Verification(format!(
                        "the backup {}: {}",
                        lm.name,
                        v.problems.join("; ")
                    )));
                }
                for f in &enc.files {
                    let dst = to.join(&f.name);
                    if let Some(p) = dst.parent() {
                        std::fs::create_dir_all(p).ok();
                    }
                    decrypt_file(
                        &ldir.join(format!("{}{SUFFIX}", f.name)),
                        &dst,
                        key,
                        &lm.name,
                    )?;
                }
                Manifest {
                    files: enc.files.clone(),
                    encryption: None,
                    ..lm.clone()
                }
            }
        };
        plain.write(&to)?;
    }
    Ok(Opened {
        dir: root.join(&m.name),
        _tmp: Some(tmp),
    })
}

/// The page hashes of the backup `parent` (what an incremental compares with),
/// decrypted when it is encrypted.
pub fn parent_hashes(
    parent: &manifest::Listed,
    key: Option<&Identity>,
) -> Result<Vec<super::pages::PageHash>, BackupError> {
    let path = parent.dir.join(super::pages::HASHES);
    match parent.manifest.as_ref().and_then(|m| m.encryption.as_ref()) {
        None => super::pages::read_hashes(&path),
        Some(_) => {
            let key = key.ok_or_else(|| BackupError::KeyMissing {
                name: parent.name.clone(),
            })?;
            let enc = parent.dir.join(format!("{}{SUFFIX}", super::pages::HASHES));
            let mut raw = Vec::new();
            decrypt_reader(&enc, key, &parent.name)?
                .read_to_end(&mut raw)
                .map_err(|source| BackupError::Read { path: enc, source })?;
            super::pages::hashes_from(&raw, &path)
        }
    }
}
