//! Area scope in SQL, the same rule as [`crate::store::covers`]. An area path looks like `/UP/LKO/B-104/` (always
//! ending in `/`), and an area is in the subtree of a prefix exactly when the prefix is a
//! byte prefix of its path: case-sensitive, no wildcards. Both the Rust check
//! ([`crate::store::covers`], behind `auth::Scope::covers`) and every SQL query ([`sql_under`]) use
//! this rule, and a test holds them to the same answers.
//!
//! Why not `LIKE prefix || '%'`: `LIKE` ignores ASCII case and reads `_` as any
//! character, and area codes may hold `_`, so `/UP/M_9/` matched `/UP/MX9/` and `/UP/LKO/`
//! matched `/UP/lko/`.

/// An SQL condition true exactly when the text `path` lies under the text `prefix`
/// (two SQL expressions: columns, numbered parameters or subqueries; `prefix` appears
/// twice). Both sides are cast to BLOB so that `substr`, `length` and `=` work on bytes
/// with no collation: a NULL on either side is never in scope.
pub fn sql_under(path: &str, prefix: &str) -> String {
    format!(
        "(substr(CAST({path} AS BLOB), 1, length(CAST({prefix} AS BLOB))) = CAST({prefix} AS BLOB))"
    )
}

/// [`sql_under`] for an optional prefix parameter: no prefix (an admin) covers every row.
pub fn sql_under_or_all(path: &str, prefix_param: &str) -> String {
    format!(
        "({prefix_param} IS NULL OR {})",
        sql_under(path, prefix_param)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::covers;
    use proptest::prelude::*;
    use rusqlite::Connection;

    fn sql_says(c: &Connection, prefix: &str, path: &str) -> bool {
        c.query_row(
            &format!("SELECT {}", sql_under("?1", "?2")),
            [path, prefix],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// Paths a neighbouring coordinator would choose: other case, `_` and `%` against a
    /// letter, a shared beginning, non-ASCII.
    const PATHS: &[&str] = &[
        "/UP/",
        "/UP/LKO/",
        "/UP/lko/",
        "/UP/Lko/",
        "/UP/LKO/B-104/",
        "/UP/lko/B-104/",
        "/UP/LKOX/",
        "/UP/LK/",
        "/UP/M_9/",
        "/UP/MX9/",
        "/UP/M_9/B_1/",
        "/UP/MX9/BX1/",
        "/UP/M%9/",
        "/UP/M.9/",
        "/UP/M-9/",
        "/up/LKO/",
        "/UP/ЛКО/",
        "/",
    ];

    #[test]
    fn sql_and_rust_agree_on_look_alike_paths() {
        let c = Connection::open_in_memory().unwrap();
        for prefix in PATHS {
            for path in PATHS {
                let rust = covers(prefix, path);
                assert_eq!(sql_says(&c, prefix, path), rust, "{prefix} over {path}");
            }
        }
        // The cases the LIKE queries got wrong.
        for (prefix, path) in [
            ("/UP/LKO/", "/UP/lko/B-104/"),
            ("/UP/lko/", "/UP/LKO/"),
            ("/UP/M_9/", "/UP/MX9/"),
            ("/UP/M_9/", "/UP/MX9/BX1/"),
            ("/UP/M%9/", "/UP/M-9/"),
        ] {
            assert!(!covers(prefix, path), "{prefix} over {path}");
            assert!(!sql_says(&c, prefix, path), "{prefix} over {path}");
            let like: bool = c
                .query_row("SELECT ?1 LIKE ?2 || '%'", [path, prefix], |r| r.get(0))
                .unwrap();
            assert!(
                like,
                "LIKE let {prefix} over {path}: the case is a real one"
            );
        }
        assert!(covers("/UP/M_9/", "/UP/M_9/B_1/"));
        assert!(covers("/UP/", "/UP/lko/"));
    }

    #[test]
    fn no_prefix_covers_everything_and_null_nothing() {
        let c = Connection::open_in_memory().unwrap();
        let all = |prefix: Option<&str>, path: Option<&str>| -> bool {
            c.query_row(
                &format!("SELECT coalesce({}, 0)", sql_under_or_all("?1", "?2")),
                rusqlite::params![path, prefix],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert!(all(None, Some("/UP/LKO/")));
        assert!(all(Some("/UP/"), Some("/UP/LKO/")));
        assert!(!all(Some("/UP/LKO/"), Some("/UP/lko/")));
        assert!(!all(Some("/UP/"), None));
    }

    proptest! {
        /// Paths built from the characters area codes may hold, in both cases, plus the
        /// LIKE wildcards: whatever the pair, SQL and Rust give one answer.
        #[test]
        fn sql_and_rust_agree(
            a in "(/[a-cA-C_%.\\-]{1,3}){0,3}/",
            b in "(/[a-cA-C_%.\\-]{1,3}){0,3}/",
        ) {
            let c = Connection::open_in_memory().unwrap();
            prop_assert_eq!(sql_says(&c, &a, &b), covers(&a, &b));
            let joined = format!("{}{}", a, &b[1..]);
            prop_assert!(covers(&a, &joined));
            prop_assert!(sql_says(&c, &a, &joined));
        }
    }
}
