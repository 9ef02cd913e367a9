//! The server's secrets: device tokens, session and CSRF tokens, invite codes, all made
//! here. Device tokens, session tokens and invite codes are handed out once and reach a
//! store only as [`hash`]es, so no store (nor a copy of its database) holds one a thief
//! could use. A session's CSRF token is stored as it is: it is worth nothing without the
//! session's cookie.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;

/// Lowercase hex SHA-256 of a secret: what stores keep and look up. Unsalted on purpose:
/// every secret here carries 50 to 256 random bits, and look-up by hash needs it stable.
pub fn hash(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}

/// 256 random bits, URL-safe: a session's cookie token or its CSRF token.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new device token: 256 random bits, with a prefix that names it in a leak scan.
pub fn new_device_token() -> String {
    format!("sd1_{}", random_token())
}

/// The hash under which an invite is stored and looked up, from the code as typed.
pub fn invite_hash(code: &str) -> String {
    hash(&normalise_invite_code(code))
}

/// Crockford's base32: no I, L, O, U, so codes survive being read aloud and retyped.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new random code, `XXXXX-XXXXX` (50 bits).
pub fn new_invite_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The canonical form of a typed code: upper case, no separators, look-alikes mapped.
pub fn normalise_invite_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typeable_and_normalise_invite_code() {
        let c = new_invite_code();
        assert_eq!(c.len(), 11);
        assert_eq!(normalise_invite_code(&c), c.replace('-', ""));
        assert_eq!(normalise_invite_code(" abcd0-efgh1 "), "ABCD0EFGH1");
        assert_eq!(normalise_invite_code("ABCDO-EFGHI"), "ABCD0EFGH1");
    }
}
