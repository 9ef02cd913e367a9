//! Passwords: argon2id hashes with a random salt, and their bounded, memory-reusing
//! check. A rule of the server, not of any store: stores keep only the hash.

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::store::{StoreError, StoreResult};

/// Hashes a password on the blocking pool (one argon2id run takes a core for tens of
/// milliseconds): what a store keeps.
pub async fn hash(password: String) -> StoreResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> StoreResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("hashing a password: {e}")))
}

/// A hash with the default parameters, checked for unknown names so that they cost what
/// a known name costs.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

/// Argon2's working memory (~19 MiB with the default parameters), kept by a caller
/// between checks. Reused rather than allocated per check because glibc, once it has
/// freed one block this large, serves the next from a per-thread arena and keeps it: a
/// flood of checks spread over the blocking pool's threads then held ~19 MiB per thread
/// (373 MiB peak for 20 checks; see BENCHMARKS.md, sign-in flood).
pub type Argon2Memory = Vec<Block>;

/// Whether `password` matches `hash` (blocking: one argon2id run), computed in `memory`,
/// which grows to what the hash's parameters need. Callers on the server go through
/// [`crate::password_check::PasswordChecks`], which bounds how many run and lends them
/// their memory.
/// The algorithm, version, parameters and salt come from the PHC string, as argon2's own
/// `PasswordVerifier` takes them; the comparison is argon2's constant-time one.
pub fn verify_password_in(password: &str, hash: &str, memory: &mut Argon2Memory) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let Some(expected) = parsed.hash else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Some(Ok(salt)) = parsed.salt.map(|s| s.decode_b64(&mut salt_buf)) else {
        return false;
    };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordVerifier;

    use super::*;

    /// argon2's own verifier, the reference the reusing one must agree with.
    fn reference(password: &str, hash: &str) -> bool {
        PasswordHash::new(hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    }

    #[test]
    fn agrees_with_argon2s_verifier_and_reuses_its_memory() {
        let hash = hash_password("correct horse").unwrap();
        let mut memory = Argon2Memory::new();
        for (password, right) in [
            ("correct horse", true),
            ("correct hors", false),
            ("", false),
        ] {
            assert_eq!(
                verify_password_in(password, &hash, &mut memory),
                right,
                "{password:?}"
            );
            assert_eq!(reference(password, &hash), right, "{password:?}");
        }
        let grown = memory.len();
        assert_eq!(grown, Params::default().block_count());
        let before = memory.as_ptr();
        assert!(verify_password_in("correct horse", &hash, &mut memory));
        assert_eq!(
            memory.as_ptr(),
            before,
            "the second check reuses the memory"
        );
    }

    #[test]
    fn other_parameters_and_algorithms_stored_in_the_hash_are_honoured() {
        let params = Params::new(4096, 3, 1, Some(24)).unwrap();
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        for algorithm in [Algorithm::Argon2i, Algorithm::Argon2d, Algorithm::Argon2id] {
            let hash = Argon2::new(algorithm, Version::V0x13, params.clone())
                .hash_password(b"pw", &salt)
                .unwrap()
                .to_string();
            // A larger buffer than needed is fine; a smaller one grows.
            let mut memory = vec![Block::default(); 8192];
            assert!(verify_password_in("pw", &hash, &mut memory), "{hash}");
            assert!(!verify_password_in("pW", &hash, &mut Vec::new()), "{hash}");
            assert!(reference("pw", &hash));
        }
    }

    #[test]
    fn malformed_hashes_never_match() {
        let good = hash_password("pw").unwrap();
        let no_output = good.rsplit_once('$').unwrap().0.to_string();
        for bad in [
            "",
            "plain text",
            no_output.as_str(),
            "$argon2id$v=19$m=19456,t=2,p=1$!!!notbase64$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "$argon2id$v=7$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            "$scrypt$ln=15,r=8,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        ] {
            assert!(!verify_password_in("pw", bad, &mut Vec::new()), "{bad:?}");
        }
        assert!(verify_password_in("pw", &good, &mut Vec::new()));
    }
}
