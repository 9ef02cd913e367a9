//! Answering a coordinator: when a verdict asks for information, the volunteer changes the
//! caption, tags or place, and the capture travels up again as its next revision (same id,
//! same media), signed by this device's key like the first. The server takes a higher
//! revision of the same media and shows it to the coordinator (DESIGN.md: "an edit makes a
//! new revision of the same id, never a new record").

use saakshi_domain::{CaptureId, CaptureRecord, CaptureState, Location, ValidationError};

use crate::error::Result;
use crate::home::Home;
use crate::store::{LocalCapture, Store};

/// What the volunteer may change in an answer. The media, its time and kind never change.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The new caption (any language).
    pub caption: String,
    /// The new tags.
    pub tags: Vec<String>,
    /// The new place; `None` keeps the one the capture has.
    pub location: Option<Location>,
}

impl Home {
    /// Makes the next revision of capture `id` with `answer`, signs it, and queues it to be
    /// sent. Refused unless a coordinator asked for information about it (`needs_info`):
    /// other captures are evidence as taken. Refused too while the capture (or an earlier
    /// answer) is still on its way to the server: the push under way would mark this
    /// revision sent as well (see [`Store::replace_record`]).
    pub fn answer(&self, id: &CaptureId, answer: &Answer) -> Result<LocalCapture> {
        let _guard = self.write_guard()?;
        let current = self.capture(id)?;
        if current.review != "needs_info" {
            return Err(ValidationError::new(
                "review",
                "only a capture a coordinator asked about (needs information) can be answered",
            )
            .into());
        }
        if current.state != CaptureState::Synced {
            return Err(ValidationError::new(
                "state",
                "this capture, or your last answer, has not reached the server yet; answer again once it has synced",
            )
            .into());
        }
        let mut record = CaptureRecord {
            revision: current.record.revision + 1,
            caption: answer.caption.trim().to_string(),
            tags: answer
                .tags
                .iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            location: answer.location.clone().or(current.record.location.clone()),
            signature: None,
            ..current.record.clone()
        };
        let unchanged = CaptureRecord {
            revision: record.revision,
            signature: None,
            ..current.record.clone()
        };
        if record == unchanged {
            return Err(ValidationError::new(
                "answer",
                "the answer changes nothing: add what the coordinator asked for",
            )
            .into());
        }
        record.validate()?;
        let key = crate::keys::signing_key(self)?;
        record.signature = Some(saakshi_domain::manifest::sign(&key, &record));
        let now = chrono::Utc::now().timestamp_millis();
        let replaced = self.db(|s| {
            s.transaction(|tx| match Store::replace_record(tx, &record, now) {
                Err(rusqlite::Error::QueryReturnedNoRows) => Ok(false),
                other => other.map(|()| true),
            })
        })?;
        if !replaced {
            // Between the checks above and the write, another answer or the sync moved it.
            return Err(ValidationError::new(
                "state",
                "this capture changed while the answer was saved; open it again and answer once it has synced",
            )
            .into());
        }
        drop(_guard);
        self.capture(id)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use saakshi_domain::LocationSource;
    use saakshi_domain::manifest::{self, Verdict};

    use super::*;
    use crate::ImportRequest;

    const PHOTO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gps.jpg");

    /// A home with one photo a coordinator asked about.
    fn asked() -> (tempfile::TempDir, Home, CaptureId) {
        let d = tempfile::tempdir().unwrap();
        let (home, _) = Home::create(&d.path().join("home")).unwrap();
        let c = home
            .import_file(Path::new(PHOTO), &ImportRequest::default(), &mut |_| {})
            .unwrap();
        let id = c.capture().record.id;
        synced(&home, &id);
        home.db(|s| s.set_review(&id, "needs_info", Some("which booth?")))
            .unwrap();
        (d, home, id)
    }

    /// What a sync pass does once the server holds the record and its media.
    fn synced(home: &Home, id: &CaptureId) {
        let sha = home.capture(id).unwrap().record.sha256;
        home.db(|s| s.synced_by_sha(&sha)).unwrap();
    }

    fn answer(caption: &str) -> Answer {
        Answer {
            caption: caption.into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_answer_is_the_next_revision_signed_and_queued() {
        let (_d, home, id) = asked();
        let before = home.capture(&id).unwrap();
        let place = Location {
            lat: 26.8501,
            lon: 80.9499,
            accuracy_m: Some(10.0),
            altitude_m: None,
            source: LocationSource::Manual,
            fix_time: None,
        };
        let after = home
            .answer(
                &id,
                &Answer {
                    caption: " Booth 104 ".into(),
                    tags: vec!["booth-104".into(), "  ".into()],
                    location: Some(place.clone()),
                },
            )
            .unwrap();
        let r = &after.record;
        assert_eq!(r.revision, 2);
        assert_eq!(
            (r.caption.as_str(), r.tags.clone()),
            ("Booth 104", vec!["booth-104".to_string()])
        );
        assert_eq!(r.location, Some(place));
        // What never changes did not.
        assert_eq!(
            (r.sha256, r.size, r.kind, &r.captured_at, &r.mime),
            (
                before.record.sha256,
                before.record.size,
                before.record.kind,
                &before.record.captured_at,
                &before.record.mime
            )
        );
        assert_eq!(after.state, CaptureState::Captured, "queued to be sent");
        assert!(
            after.answered_at.is_some(),
            "the screens know it was answered"
        );
        assert_eq!(
            (after.review.as_str(), after.review_note.as_deref()),
            ("needs_info", Some("which booth?")),
            "the verdict is the server's until a coordinator looks again"
        );
        let key = crate::keys::signing_key(&home).unwrap().verifying_key();
        assert_eq!(manifest::verify(key.as_bytes(), r), Verdict::Verified);
        assert_ne!(r.signature, before.record.signature);

        // A second answer waits until the first has reached the server.
        let err = home.answer(&id, &answer("Booth 104, gate 2")).unwrap_err();
        assert!(err.to_string().contains("not reached the server"), "{err}");
        assert_eq!(home.capture(&id).unwrap(), after);
        // Then it builds on the first.
        synced(&home, &id);
        let third = home.answer(&id, &answer("Booth 104, gate 2")).unwrap();
        assert_eq!(third.record.revision, 3);
        assert!(
            third.record.tags.is_empty(),
            "an answer gives the whole set of tags, as the form shows them"
        );
        assert_eq!(third.record.location, r.location, "no place given: kept");
        assert_eq!(
            manifest::verify(key.as_bytes(), &third.record),
            Verdict::Verified
        );

        // A new verdict is unanswered again; the same one pulled twice is not news.
        synced(&home, &id);
        assert!(
            !home
                .db(|s| s.set_review(&id, "needs_info", Some("which booth?")))
                .unwrap()
        );
        assert!(home.capture(&id).unwrap().answered_at.is_some());
        assert!(
            home.db(|s| s.set_review(&id, "needs_info", Some("and which gate?")))
                .unwrap()
        );
        assert_eq!(home.capture(&id).unwrap().answered_at, None);
    }

    #[test]
    fn a_capture_not_yet_on_the_server_cannot_be_revised() {
        let d = tempfile::tempdir().unwrap();
        let (home, _) = Home::create(&d.path().join("home")).unwrap();
        let c = home
            .import_file(Path::new(PHOTO), &ImportRequest::default(), &mut |_| {})
            .unwrap();
        let id = c.capture().record.id;
        // A verdict cannot normally come before the record reached the server; if the
        // device's state says otherwise (a retry under way), the answer waits.
        home.db(|s| s.set_review(&id, "needs_info", Some("which booth?")))
            .unwrap();
        let before = home.capture(&id).unwrap();
        let err = home.answer(&id, &answer("Booth 104")).unwrap_err();
        assert!(err.to_string().contains("not reached the server"), "{err}");
        assert_eq!(home.capture(&id).unwrap(), before);
        // The store's own guard holds even past that check (a push moved it meanwhile).
        let mut next = before.record.clone();
        next.revision = 2;
        next.caption = "Booth 104".into();
        let raced = home.db(|s| s.transaction(|tx| Store::replace_record(tx, &next, 0)));
        assert!(raced.is_err());
        assert_eq!(home.capture(&id).unwrap(), before);
    }

    #[test]
    fn refusals_change_nothing() {
        let (_d, home, id) = asked();
        let before = home.capture(&id).unwrap();
        // Nothing new.
        let same = Answer {
            caption: before.record.caption.clone(),
            tags: before.record.tags.clone(),
            location: None,
        };
        assert!(
            home.answer(&id, &same)
                .unwrap_err()
                .to_string()
                .contains("changes nothing")
        );
        // Too long a caption.
        assert!(home.answer(&id, &answer(&"x".repeat(5000))).is_err());
        assert_eq!(home.capture(&id).unwrap(), before);
        // Not asked about.
        home.db(|s| s.set_review(&id, "approved", None)).unwrap();
        let err = home.answer(&id, &answer("new")).unwrap_err();
        assert!(err.to_string().contains("can be answered"), "{err}");
        assert_eq!(home.capture(&id).unwrap().record, before.record);
        // No such capture.
        assert!(home.answer(&CaptureId::new(), &answer("new")).is_err());
    }
}
