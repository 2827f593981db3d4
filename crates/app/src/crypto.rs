//! Random tokens, their stored hashes, and password hashing.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{AppError, AppResult};

/// A fresh 256-bit random token, hex-encoded: what goes in a cookie or an emailed link.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Random bytes for secrets (TOTP seeds, keys).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// What the database keeps of a token: its SHA-256. A leaked table yields no usable token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn argon2(memory_kib: u32) -> AppResult<Argon2<'static>> {
    let params = Params::new(memory_kib, 2, 1, None).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Argon2id hash in PHC string form (carries its own parameters and salt).
pub fn hash_password(password: &str, memory_kib: u32) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(memory_kib)?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Checks a password against a stored PHC hash using the parameters recorded in it.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash to verify against when no account matched, so that a wrong email costs as much
/// time as a wrong password and response times do not reveal which accounts exist. Made once
/// per memory setting: hashing it on every request would make unknown addresses the slow ones.
pub fn dummy_hash(memory_kib: u32) -> &'static str {
    static HASHES: std::sync::Mutex<Vec<(u32, &'static str)>> = std::sync::Mutex::new(Vec::new());
    let mut hashes = HASHES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, hash)) = hashes.iter().find(|(memory, _)| *memory == memory_kib) {
        return hash;
    }
    let hash: &'static str = hash_password("qobe-no-such-account", memory_kib).unwrap_or_default().leak();
    hashes.push((memory_kib, hash));
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_when_equal() {
        let hash = hash_password("correct horse battery", 1024).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1), in lower-case hex.
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_ne!(token_hash(&a), a);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &random_token()));
        assert!(!constant_time_eq(&a, &a[..63]), "a prefix is not equal");
    }
}
