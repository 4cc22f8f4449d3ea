//! Password hashing (argon2id with the library's recommended parameters and a random
//! salt per password) and the password rule of NIST SP 800-63B: long enough (12
//! characters by default, the admin may set 8 to 64), at most 256, not on a list of
//! common and breached passwords (shipped compressed in the binary), not the username,
//! not one character repeated or a run like "123456789012"; no rules about kinds of
//! characters and no expiry. Each refusal says why, so a person knows what to change.

use std::collections::HashSet;
use std::io::Read;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Shortest password accepted unless the admin sets another length.
pub const DEFAULT_MIN_CHARS: usize = 12;
/// The range the admin may set the shortest length in.
pub const MIN_CHARS_RANGE: std::ops::RangeInclusive<usize> = 8..=64;
/// Longest password accepted (hashing a megabyte is no password, but work).
pub const MAX_CHARS: usize = 256;

/// The common and breached passwords, lower case, one a line, gzip: the password list of
/// @zxcvbn-ts/language-common 4.1.3 (MIT; `scripts/update-common-passwords` rebuilds it).
static COMMON_GZ: &[u8] = include_bytes!("common-passwords.txt.gz");

fn common() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(COMMON_GZ)
            .read_to_string(&mut text)
            .expect("the shipped password list is valid gzip and UTF-8");
        text.lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    })
}

/// How many passwords the shipped list holds (for the access review).
pub fn common_list_len() -> usize {
    common().len()
}

/// The PHC string (`$argon2id$v=19$...`) of `password`.
pub fn hash(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 hashes any password with its default parameters")
        .to_string()
}

/// True when `password` matches `phc`. A malformed stored hash never matches.
pub fn verify(phc: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Characters of a run: each one more (or less) than the one before, as in "12345678"
/// or "abcdefgh" or "987654".
fn is_run(chars: &[char]) -> bool {
    let step = |a: char, b: char| b as i64 - a as i64;
    chars.len() >= 3 && {
        let s = step(chars[0], chars[1]);
        s.abs() == 1 && chars.windows(2).all(|w| step(w[0], w[1]) == s)
    }
}

/// Why a password was refused: `reason` is a stable word (too_short, too_long,
/// username, repeated, run, common, common_core, place), with the length or word it
/// names, so the UI can say it in the user's language; Display says it in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weak {
    pub reason: &'static str,
    /// The length the rule asks for (too_short, too_long).
    pub chars: Option<usize>,
    /// The word it is made of (common_core, place).
    pub word: Option<String>,
    message: String,
}

impl Weak {
    fn new(reason: &'static str, message: String) -> Weak {
        Weak {
            reason,
            chars: None,
            word: None,
            message,
        }
    }
}

impl std::fmt::Display for Weak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Checks the password rule with the shortest length `min_chars`; the error says what
/// to change. `context` holds words of this installation (the site's name) that make
/// poor passwords.
pub fn check(
    min_chars: usize,
    username: &str,
    password: &str,
    context: &[&str],
) -> Result<(), Weak> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < min_chars {
        return Err(Weak {
            chars: Some(min_chars),
            ..Weak::new(
                "too_short",
                format!(
                    "the password is too short; use at least {min_chars} characters (a few words make a good one)"
                ),
            )
        });
    }
    if chars.len() > MAX_CHARS {
        return Err(Weak {
            chars: Some(MAX_CHARS),
            ..Weak::new(
                "too_long",
                format!("the password is too long; use at most {MAX_CHARS} characters"),
            )
        });
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if !user.is_empty() && (lower == user || (user.chars().count() >= 4 && lower.contains(&user))) {
        return Err(Weak::new(
            "username",
            "the password must not contain the username".to_string(),
        ));
    }
    if chars.iter().all(|c| *c == chars[0]) {
        return Err(Weak::new(
            "repeated",
            "the password must not be one character repeated".to_string(),
        ));
    }
    if is_run(&chars) {
        return Err(Weak::new(
            "run",
            "the password must not be a run of characters like abcdefghijkl".to_string(),
        ));
    }
    if common().contains(&lower) {
        return Err(Weak::new(
            "common",
            "this password is on a list of common or breached passwords; choose another"
                .to_string(),
        ));
    }
    // A common password with digits or marks around it ("dragon2024!") is no better.
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    if core.chars().count() >= 4 && core != lower && common().contains(core) {
        return Err(Weak {
            word: Some(core.to_string()),
            ..Weak::new(
                "common_core",
                format!(
                    "this password is the common password \"{core}\" with a few characters added; choose another"
                ),
            )
        });
    }
    for word in context.iter().chain(["plantlog"].iter()) {
        let w = word.trim().to_lowercase();
        if w.chars().count() >= 4 && (lower == w || core == w) {
            return Err(Weak {
                word: Some(word.to_string()),
                ..Weak::new(
                    "place",
                    format!(
                        "the password must not be \"{word}\": it is the first guess for this place"
                    ),
                )
            });
        }
    }
    Ok(())
}

/// Checks the password rule at the default length (and with no context).
pub fn check_rule(username: &str, password: &str) -> Result<(), Weak> {
    check(DEFAULT_MIN_CHARS, username, password, &[])
}

/// A random password for generated accounts: 16 characters without look-alikes.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..16)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "correct horse battery"));
        assert!(!verify(&h, "correct horse batterY"));
        assert!(!verify("not a hash", "x"));
    }

    #[test]
    fn rule() {
        assert!(check_rule("sam", "short").is_err());
        assert!(check_rule("samsamsamsam", "SAMSAMSAMSAM").is_err());
        assert!(check_rule("sam", "aaaaaaaaaaaa").is_err());
        assert!(check_rule("sam", "a good long one").is_ok());
        assert!(check_rule("sam", &generate()).is_ok());
    }

    #[test]
    fn nist_rule_says_why() {
        assert!(common_list_len() > 40_000);
        let why = |pw: &str| {
            check(12, "operator", pw, &["Main Street Plant"])
                .unwrap_err()
                .to_string()
        };
        assert!(why("password").contains("at least 12"));
        assert!(why("QAZWSXEDCRFV").contains("common or breached"));
        assert!(why("Password1234").contains("common or breached"));
        assert!(
            why("!!monkey2024!!").contains("\"monkey\""),
            "{}",
            why("!!monkey2024!!")
        );
        assert!(why("dragon2024!!").contains("\"dragon\""));
        assert!(why("abcdefghijklmn").contains("run"));
        assert!(why("zyxwvutsrqponm").contains("run"));
        assert!(why("my operator pw!").contains("username"));
        assert!(why("main street plant").contains("first guess"));
        assert!(why(&"x".repeat(300)).contains("at most 256"));
        // The reason and what it names, for the UI's translation.
        let e = check(12, "operator", "!!monkey2024!!", &[]).unwrap_err();
        assert_eq!(
            (e.reason, e.word.as_deref()),
            ("common_core", Some("monkey"))
        );
        let e = check(14, "operator", "short", &[]).unwrap_err();
        assert_eq!((e.reason, e.chars), ("too_short", Some(14)));
        // No composition rules: a long phrase of lower-case words is fine.
        assert!(check(12, "operator", "staple battery horse correct", &[]).is_ok());
        assert!(check(8, "operator", "tulip-42-harbour", &[]).is_ok());
        assert!(check(16, "operator", "tulip-42-harbour", &[]).is_ok());
        assert!(check(17, "operator", "tulip-42-harbour", &[]).is_err());
    }
}
