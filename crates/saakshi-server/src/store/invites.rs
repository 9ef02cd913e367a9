//! `invites`: codes a coordinator hands out; a device redeems one to enrol.

use rand::Rng;
use rusqlite::params;

use super::{Db, StoreResult, now_ms, scope, secret_hash};

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
        self.write(move |c| {
            c.execute(
                "INSERT INTO invites (code_hash, area_code, uses_left, uses, expires_at, created_at)
                 VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
                params![hash, area_code, uses, expires_at_ms, now_ms()],
            )?;
            Ok(())
        })
        .await?;
        Ok(code)
    }

    /// Invites for areas under `prefix` (all when `None`), newest first. The codes
    /// themselves are not kept; `id` is a short prefix of the code's hash.
    pub async fn list_invites(&self, prefix: Option<String>) -> StoreResult<Vec<InviteInfo>> {
        self.read(move |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT substr(i.code_hash, 1, 12), i.area_code, coalesce(i.uses, i.uses_left),
                        i.uses_left, i.expires_at, i.created_at
                 FROM invites i JOIN areas a ON a.code = i.area_code
                 WHERE {}
                 ORDER BY i.created_at DESC",
                scope::sql_under_or_all("a.path", "?1")
            ))?;
            let rows = stmt
                .query_map([prefix], |r| {
                    let uses: i64 = r.get(2)?;
                    let left: i64 = r.get(3)?;
                    Ok(InviteInfo {
                        id: r.get(0)?,
                        area_code: r.get(1)?,
                        uses,
                        used: uses - left,
                        expires_at: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
    }
}

/// An invite as the dashboard lists it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InviteInfo {
    /// A short prefix of the code's hash (the code is not kept).
    pub id: String,
    /// Where it enrols.
    pub area_code: String,
    /// Uses it was created with.
    pub uses: i64,
    /// Uses spent.
    pub used: i64,
    /// Unix ms.
    pub expires_at: i64,
    /// Unix ms.
    pub created_at: i64,
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
