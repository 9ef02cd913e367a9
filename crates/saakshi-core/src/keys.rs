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
pub fn signing_key(home: &Home) -> Result<ed25519_dalek::SigningKey> {
    if let Some(b64) = home.setting(SIGNING_KEY)? {
        let bytes: [u8; 32] = STANDARD
            .decode(b64)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(CoreError::DamagedKey)?;
        return Ok(ed25519_dalek::SigningKey::from_bytes(&bytes));
    }
    let secret: [u8; 32] = rand::rng().random();
    home.set_setting(SIGNING_KEY, &STANDARD.encode(secret))?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&secret))
}
