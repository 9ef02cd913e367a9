//! Embedded, append-only migrations for the SQLite back-end, checked at every start: an
//! edited migration or a database from a newer server is refused, never guessed at.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::Digest;

use super::{StoreError, StoreResult, now_ms};

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_initial",
        include_str!("../../../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "0002_kits",
        include_str!("../../../migrations/sqlite/0002_kits.sql"),
    ),
    (
        3,
        "0003_review_audit",
        include_str!("../../../migrations/sqlite/0003_review_audit.sql"),
    ),
    (
        4,
        "0004_possession",
        include_str!("../../../migrations/sqlite/0004_possession.sql"),
    ),
    (
        5,
        "0005_media_type",
        include_str!("../../../migrations/sqlite/0005_media_type.sql"),
    ),
];

pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS saakshi_migrations (
             version INTEGER PRIMARY KEY, name TEXT NOT NULL,
             sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT;",
    )?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    let found: i64 = conn.query_row(
        "SELECT coalesce(max(version), 0) FROM saakshi_migrations",
        [],
        |r| r.get(0),
    )?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for &(version, name, sql) in MIGRATIONS {
        let digest = hex::encode(sha2::Sha256::digest(sql.as_bytes()));
        let applied: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM saakshi_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        match applied {
            Some(h) if h == digest => {}
            Some(_) => return Err(StoreError::Changed(version)),
            None => {
                let tx = conn.transaction()?;
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO saakshi_migrations VALUES (?1, ?2, ?3, ?4)",
                    params![version, name, digest, now_ms()],
                )?;
                tx.commit()?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_embedded_in_order_and_newer_databases_are_refused() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|m| format!("{}.sql", m.1)).collect();
        assert_eq!(files, listed);
        // Versions are the files' numbers, in increasing order. A number may be missing
        // on a branch (one reserved for another branch), never repeated or reordered.
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0, m.1[..4].parse::<i64>().unwrap());
            assert!(i == 0 || MIGRATIONS[i - 1].0 < m.0);
        }

        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        migrate(&mut c).unwrap();
        c.execute(
            "INSERT INTO saakshi_migrations VALUES (99, 'x', 'x', 0)",
            [],
        )
        .unwrap();
        assert!(matches!(
            migrate(&mut c),
            Err(StoreError::TooNew { found: 99, .. })
        ));
        c.execute("DELETE FROM saakshi_migrations WHERE version = 99", [])
            .unwrap();
        c.execute(
            "UPDATE saakshi_migrations SET sha256 = 'x' WHERE version = 1",
            [],
        )
        .unwrap();
        assert!(matches!(migrate(&mut c), Err(StoreError::Changed(1))));
    }
}
