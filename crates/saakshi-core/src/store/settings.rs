//! `settings`: small named values (enrolment, policies).

use rusqlite::{OptionalExtension, params};

use super::Store;

impl Store {
    /// The value of `key`, if set.
    pub(crate) fn setting(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
    }

    /// Sets `key` to `value`.
    pub(crate) fn set_setting(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

impl Store {
    /// The value of `key`, storing `value` first if it has none. One statement, so of
    /// two writers racing (the app and the CLI share a home) the first value wins and
    /// both get it back; nothing already stored is ever replaced.
    pub(crate) fn setting_or_insert(&self, key: &str, value: &str) -> rusqlite::Result<String> {
        self.conn.query_row(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = value
             RETURNING value",
            params![key, value],
            |r| r.get(0),
        )
    }

    /// Adds one to the counter `key` (absent counts as 0).
    pub(crate) fn increment_setting(&self, key: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, '1')
             ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            [key],
        )?;
        Ok(())
    }

    /// Removes `key`.
    pub(crate) fn clear_setting(&self, key: &str) -> rusqlite::Result<()> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_overwrite() {
        let s = Store::in_memory();
        assert_eq!(s.setting("area").unwrap(), None);
        s.set_setting("area", "B-1").unwrap();
        s.set_setting("area", "B-2").unwrap();
        assert_eq!(s.setting("area").unwrap().as_deref(), Some("B-2"));
    }

    #[test]
    fn setting_or_insert_never_replaces() {
        let s = Store::in_memory();
        assert_eq!(s.setting_or_insert("k", "first").unwrap(), "first");
        assert_eq!(s.setting_or_insert("k", "second").unwrap(), "first");
        assert_eq!(s.setting("k").unwrap().as_deref(), Some("first"));
    }

    #[test]
    fn counters_count_from_zero() {
        let s = Store::in_memory();
        s.increment_setting("n").unwrap();
        s.increment_setting("n").unwrap();
        assert_eq!(s.setting("n").unwrap().as_deref(), Some("2"));
    }
}
