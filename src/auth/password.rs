//! Password hashing (argon2id with the library's recommended parameters and a random
//! salt per password) and the password rule.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

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

/// Checks the password rule; the error says what a good password needs.
pub fn check_rule(username: &str, password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password is too short; use at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err("the password must not be the username".to_string());
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        return Err("the password must not be one character repeated".to_string());
    }
    Ok(())
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
}
