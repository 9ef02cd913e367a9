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
}
