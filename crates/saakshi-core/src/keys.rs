//! The device's Ed25519 key: made on first use, kept in the store. It signs every
//! capture's manifest at capture (before the device may ever have been enrolled), and
//! its public half is sent at enrolment so the server can check those signatures.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;

use crate::error::{CoreError, Result};
use crate::home::Home;

/// Where the secret key is kept (settings table).
pub const SIGNING_KEY: &str = "device_signing_key";

/// The device's key, made and stored on first use.
///
/// Race-free across processes: a fresh key is offered to the store, which keeps it only
/// if no key is there yet, and the key returned is always the one stored. Two first
/// captures at once (the app and the CLI share a home) thus sign with the same key; a
/// key that signed something is never replaced.
pub fn signing_key(home: &Home) -> Result<ed25519_dalek::SigningKey> {
    let stored = match home.setting(SIGNING_KEY)? {
        Some(b64) => b64,
        None => {
            let secret: [u8; 32] = rand::rng().random();
            home.db(|s| s.setting_or_insert(SIGNING_KEY, &STANDARD.encode(secret)))?
        }
    };
    let bytes: [u8; 32] = STANDARD
        .decode(stored)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(CoreError::DamagedKey)?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&bytes))
}
