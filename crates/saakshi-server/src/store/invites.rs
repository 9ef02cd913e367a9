//! `invites`: codes a coordinator hands out; a device redeems one to enrol.

use rand::Rng;
use rusqlite::params;

use super::{Db, StoreResult, now_ms, secret_hash};

/// Crockford's base32: no I, L, O, U, so codes survive being read aloud and retyped.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new random code, `XXXXX-XXXXX` (50 bits).
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..10)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The canonical form of a typed code: upper case, no separators, look-alikes mapped.
pub fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

impl Db {
    /// Creates an invite for `area_code`, usable `uses` times until `expires_at_ms`.
    /// Returns the code (only its hash is stored).
    pub async fn create_invite(
        &self,
        area_code: String,
        uses: u32,
        expires_at_ms: i64,
    ) -> StoreResult<String> {
        let code = new_code();
        let hash = secret_hash(&normalise(&code));
        self.call(move |c| {
            c.execute(
                "INSERT INTO invites (code_hash, area_code, uses_left, expires_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![hash, area_code, uses, expires_at_ms, now_ms()],
            )?;
            Ok(())
        })
        .await?;
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typeable_and_normalise() {
        let c = new_code();
        assert_eq!(c.len(), 11);
        assert_eq!(normalise(&c), c.replace('-', ""));
        assert_eq!(normalise(" abcd0-efgh1 "), "ABCD0EFGH1");
        assert_eq!(normalise("ABCDO-EFGHI"), "ABCD0EFGH1");
    }
}
