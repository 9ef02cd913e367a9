//! Embedded, append-only schema migrations.
//!
//! File order is run order. Each applied migration's SHA-256 is recorded, and a store
//! whose record disagrees with the code (an edited migration) or that has migrations the
//! code does not know (a newer Saakshi wrote it) is refused rather than guessed at.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::Digest;

/// `(version, name, sql)`, in order. Versions start at 1 and have no gaps.
pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_initial",
        include_str!("../../migrations/0001_initial.sql"),
    ),
    (
        2,
        "0002_sync",
        include_str!("../../migrations/0002_sync.sql"),
    ),
    (
        3,
        "0003_kits",
        include_str!("../../migrations/0003_kits.sql"),
    ),
    (
        4,
        "0004_signatures",
        include_str!("../../migrations/0004_signatures.sql"),
    ),
    (
        5,
        "0005_answers",
        include_str!("../../migrations/0005_answers.sql"),
    ),
];

/// What the database says about itself compared with this build.
#[derive(Debug)]
pub(crate) enum MigrationError {
    TooNew { found: i64, known: i64 },
    Changed(i64),
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrationError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sql(e)
    }
}

fn digest(sql: &str) -> String {
    hex::encode(sha2::Sha256::digest(sql.as_bytes()))
}

/// Brings the database up to the newest schema, each migration in its own transaction.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), MigrationError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS saakshi_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             sha256     TEXT NOT NULL,
             applied_at INTEGER NOT NULL
         ) STRICT;",
    )?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    let found: i64 = conn.query_row(
        "SELECT coalesce(max(version), 0) FROM saakshi_migrations",
        [],
        |r| r.get(0),
    )?;
    if found > known {
        return Err(MigrationError::TooNew { found, known });
    }
    for &(version, name, sql) in MIGRATIONS {
        let applied: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM saakshi_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        match applied {
            Some(hash) if hash == digest(sql) => continue,
            Some(_) => return Err(MigrationError::Changed(version)),
            None => {
                let tx = conn.transaction()?;
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO saakshi_migrations (version, name, sha256, applied_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![
                        version,
                        name,
                        digest(sql),
                        chrono::Utc::now().timestamp_millis()
                    ],
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
    fn versions_are_contiguous_and_every_file_is_listed() {
        for (i, (version, name, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1, "gap or disorder at {name}");
            assert!(name.starts_with(&format!("{version:04}_")), "{name}");
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|m| format!("{}.sql", m.1)).collect();
        assert_eq!(
            files, listed,
            "every migration file must be embedded, in order"
        );
    }

    #[test]
    fn applies_once_and_is_idempotent() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        migrate(&mut c).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM saakshi_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, MIGRATIONS.len() as i64);
        for table in ["blobs", "captures", "thumbnails", "settings"] {
            let exists: i64 = c
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(exists, 1, "{table}");
        }
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        c.execute(
            "INSERT INTO saakshi_migrations VALUES (999, '0999_future', 'x', 0)",
            [],
        )
        .unwrap();
        let known = MIGRATIONS.len() as i64;
        assert!(matches!(
            migrate(&mut c),
            Err(MigrationError::TooNew { found: 999, known: k }) if k == known
        ));
    }

    #[test]
    fn an_edited_migration_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        c.execute(
            "UPDATE saakshi_migrations SET sha256 = 'edited' WHERE version = 1",
            [],
        )
        .unwrap();
        assert!(matches!(migrate(&mut c), Err(MigrationError::Changed(1))));
    }
}
