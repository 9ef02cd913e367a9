//! Stories every metadata store must tell the same way, written against the
//! [`MetaStore`] traits only: no SQL, no files. They run here on SQLite; the next
//! back-end (PostgreSQL) adds itself to [`backends`] and must pass them unchanged.
//!
//! Each story is one thing a user does, told through the store: a volunteer's device
//! enrols with an invite, pushes a capture and its revisions, a coordinator reviews it
//! and publishes a kit, and the device pulls what concerns it, and nothing else.

use std::sync::Arc;

use chrono::Utc;
use saakshi_domain::wire::{Change, MediaState};
use saakshi_domain::{
    CaptureId, CaptureRecord, DeviceId, DeviceTime, ErrorCode, MediaKind, Sha256,
};
use saakshi_server::store::{
    Audience, AuditQuery, CaptureQuery, DeviceRow, EnrollRefusal, KitRefusal, MetaStore, NewAudit,
    ReviewState, Role, SqliteStore, Store, UploadRow, UpsertOutcome,
};
use saakshi_server::{areas_csv, secrets};

/// Two districts, and look-alike codes that a careless prefix match would merge:
/// `M_9` against `MX9` (`_` is any character to SQL's `LIKE`) and `lko` against `LKO`.
const AREAS: &str = "code,level,name_en,name_hi,parent_code
UP,state,Uttar Pradesh,उत्तर प्रदेश,
LKO,district,Lucknow,लखनऊ,UP
lko,district,Lucknow (lower),लखनऊ (छोटा),UP
M_9,mandal,Mandal 9,मंडल 9,LKO
MX9,mandal,Mandal X9,मंडल X9,LKO
B-104,booth,Booth 104,बूथ 104,M_9
B-105,booth,Booth 105,बूथ 105,MX9
B-201,booth,Booth 201,बूथ 201,lko
";

/// Every back-end the stories run on, each in a fresh, empty store with [`AREAS`].
async fn backends() -> Vec<(&'static str, Store, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Store = Arc::new(SqliteStore::open(&dir.path().join("stories.db")).unwrap());
    let mut all = vec![("sqlite", sqlite, dir)];
    for (_, store, _) in &mut all {
        assert_eq!(areas_csv::import(store.as_ref(), AREAS).await.unwrap(), 8);
    }
    all
}

/// Runs `story` on every back-end, naming the back-end when it fails.
macro_rules! story {
    ($name:ident) => {
        #[tokio::test]
        async fn $name() {
            for (backend, store, _dir) in backends().await {
                eprintln!("story {} on {backend}", stringify!($name));
                stories::$name(store.as_ref()).await;
            }
        }
    };
}

story!(accounts_and_sessions);
story!(an_invite_enrols_as_many_devices_as_it_allows);
story!(scope_is_a_byte_prefix_of_the_area_path);
story!(revisions_of_a_capture);
story!(media_joins_its_captures_whichever_arrives_first);
story!(a_verdict_reaches_the_device_and_the_feed);
story!(only_approved_captures_go_out_in_kits);
story!(a_revoked_device_hears_only_of_its_revocation);
story!(uploads_live_in_the_store);
story!(the_audit_log_is_scoped);

fn sha(n: u8) -> Sha256 {
    Sha256([n; 32])
}

fn record(n: u8, size: u64) -> CaptureRecord {
    CaptureRecord {
        id: CaptureId::new(),
        revision: 1,
        kind: MediaKind::Photo,
        sha256: sha(n),
        size,
        mime: "image/jpeg".into(),
        original_name: None,
        captured_at: DeviceTime {
            utc: Utc::now(),
            offset_minutes: 330,
        },
        location: None,
        caption: format!("सभा {n}"),
        tags: vec!["rally".into()],
        event: None,
        area_code: None,
        signature: None,
    }
}

/// Enrols a device in `area` through a fresh one-use invite; returns it as the auth
/// layer sees it.
async fn enrol(db: &dyn MetaStore, area: &str) -> DeviceRow {
    let code = secrets::new_invite_code();
    let expires = Utc::now().timestamp_millis() + 60_000;
    db.create_invite(secrets::invite_hash(&code), area.into(), 1, expires)
        .await
        .unwrap();
    let token = secrets::new_device_token();
    let (id, got_area) = db
        .enroll_device(
            secrets::invite_hash(&code),
            secrets::hash(&token),
            "phone".into(),
            "android".into(),
            vec![7; 32],
        )
        .await
        .unwrap()
        .expect("a fresh invite enrols");
    assert_eq!(got_area, area);
    let row = db
        .device_by_token(secrets::hash(&token))
        .await
        .unwrap()
        .expect("the new token finds its device");
    assert_eq!(row.id, id);
    row
}

fn accepted(o: &UpsertOutcome) -> (u32, MediaState) {
    match o {
        UpsertOutcome::Accepted { revision, media } => (*revision, media.0),
        other => panic!("expected accepted, got {other:?}"),
    }
}

async fn pull(db: &dyn MetaStore, device: &DeviceRow) -> Vec<Change> {
    let audience = if device.revoked {
        Audience::Revoked
    } else {
        Audience::Active {
            area_path: device.area_path.clone(),
        }
    };
    let (entries, more) = db
        .changes_since(device.id, audience, 0, 1000)
        .await
        .unwrap();
    assert!(!more);
    entries.into_iter().map(|e| e.change).collect()
}

mod stories {
    use super::*;

    pub async fn accounts_and_sessions(db: &dyn MetaStore) {
        assert_eq!(db.user_count().await.unwrap(), 0);
        let id = db
            .create_user(
                "asha".into(),
                Role::Coordinator,
                Some("LKO".into()),
                "h1".into(),
            )
            .await
            .unwrap()
            .expect("a new name");
        let again = db
            .create_user("asha".into(), Role::Admin, None, "h2".into())
            .await
            .unwrap();
        assert_eq!(again, None, "a taken name is refused, not overwritten");
        let (user, hash) = db.user_for_login("asha".into()).await.unwrap().unwrap();
        assert_eq!(
            (user.id, user.role, hash.as_str()),
            (id, Role::Coordinator, "h1")
        );
        assert!(user.must_change_password);
        assert!(db.user_for_login("Asha".into()).await.unwrap().is_none());

        db.create_session(id, secrets::hash("t1"), "c1".into())
            .await
            .unwrap();
        db.create_session(id, secrets::hash("t2"), "c2".into())
            .await
            .unwrap();
        let s = db.session(secrets::hash("t1")).await.unwrap().unwrap();
        assert_eq!((s.user.name.as_str(), s.csrf.as_str()), ("asha", "c1"));
        assert!(db.session(secrets::hash("t3")).await.unwrap().is_none());

        // A new password ends every other session, and keeps the one that changed it.
        db.set_password(id, "h3".into(), secrets::hash("t2"))
            .await
            .unwrap();
        assert!(db.session(secrets::hash("t1")).await.unwrap().is_none());
        assert!(db.session(secrets::hash("t2")).await.unwrap().is_some());
        let (user, hash) = db.user_for_login("asha".into()).await.unwrap().unwrap();
        assert_eq!(hash, "h3");
        assert!(!user.must_change_password);
        db.end_session(secrets::hash("t2")).await.unwrap();
        assert!(db.session(secrets::hash("t2")).await.unwrap().is_none());
        assert_eq!(db.list_users().await.unwrap().len(), 1);
    }

    pub async fn an_invite_enrols_as_many_devices_as_it_allows(db: &dyn MetaStore) {
        let now = Utc::now().timestamp_millis();
        let code = secrets::new_invite_code();
        db.create_invite(secrets::invite_hash(&code), "B-104".into(), 2, now + 60_000)
            .await
            .unwrap();
        let enrol_with = |typed: String| async move {
            db.enroll_device(
                secrets::invite_hash(&typed),
                secrets::hash(&secrets::new_device_token()),
                "p".into(),
                "linux".into(),
                vec![1; 32],
            )
            .await
            .unwrap()
        };
        // Typed as people type it: lower case, no dash.
        let typed = code.replace('-', "").to_lowercase();
        assert!(enrol_with(typed.clone()).await.is_ok());
        assert!(enrol_with(code.clone()).await.is_ok());
        assert_eq!(
            enrol_with(code.clone()).await,
            Err(EnrollRefusal::BadInvite),
            "a used-up invite"
        );
        let expired = secrets::new_invite_code();
        db.create_invite(secrets::invite_hash(&expired), "B-104".into(), 5, now - 1)
            .await
            .unwrap();
        assert_eq!(enrol_with(expired).await, Err(EnrollRefusal::BadInvite));
        assert_eq!(
            enrol_with("NOPE0-NOPE0".into()).await,
            Err(EnrollRefusal::BadInvite)
        );
        let invites = db.list_invites(Some("/UP/LKO/".into())).await.unwrap();
        let used: Vec<_> = invites.iter().map(|i| (i.uses, i.used)).collect();
        assert_eq!(used, [(5, 0), (2, 2)], "newest first");
        assert_eq!(db.list_devices(None).await.unwrap().len(), 2);
        assert!(
            db.device_by_token(secrets::hash("sd1_unknown"))
                .await
                .unwrap()
                .is_none()
        );
    }

    pub async fn scope_is_a_byte_prefix_of_the_area_path(db: &dyn MetaStore) {
        let m9 = enrol(db, "B-104").await;
        let mx9 = enrol(db, "B-105").await;
        let lower = enrol(db, "B-201").await;
        assert_eq!(m9.area_path, "/UP/LKO/M_9/B-104/");
        for d in [&m9, &mx9, &lower] {
            let rec = record(d.area_path.len() as u8, 10);
            db.upsert_captures(d.id, d.area_code.clone(), vec![rec])
                .await
                .unwrap();
        }
        let under = |p: &str| p.to_string();
        let codes = |areas: Vec<saakshi_server::store::AreaRow>| {
            areas.into_iter().map(|a| a.area.code).collect::<Vec<_>>()
        };
        assert_eq!(
            codes(db.list_areas(Some(under("/UP/LKO/M_9/"))).await.unwrap()),
            ["M_9", "B-104"]
        );
        assert_eq!(
            codes(db.list_areas(Some(under("/UP/lko/"))).await.unwrap()),
            ["lko", "B-201"]
        );
        let devices = db.list_devices(Some(under("/UP/LKO/M_9/"))).await.unwrap();
        assert_eq!(devices.len(), 1);
        assert_eq!(devices[0].id, m9.id.to_string());
        let feed = db
            .list_captures(Some(under("/UP/LKO/M_9/")), 50)
            .await
            .unwrap();
        assert_eq!(feed.len(), 1, "MX9's capture stays out of M_9's feed");
        assert_eq!(feed[0].device_id, m9.id);
        let feed = db.list_captures(Some(under("/UP/LKO/")), 50).await.unwrap();
        assert_eq!(feed.len(), 2, "LKO sees both mandals, not lko");
        assert_eq!(db.list_captures(None, 50).await.unwrap().len(), 3);
    }

    pub async fn revisions_of_a_capture(db: &dyn MetaStore) {
        let dev = enrol(db, "B-104").await;
        let other = enrol(db, "B-104").await;
        let push = |d: DeviceId, rec: CaptureRecord| async move {
            let mut out = db
                .upsert_captures(d, "B-104".into(), vec![rec])
                .await
                .unwrap();
            out.pop().unwrap()
        };
        let r1 = record(1, 100);
        assert_eq!(
            accepted(&push(dev.id, r1.clone()).await),
            (1, MediaState::Needed)
        );
        // A retry after a cut changes nothing.
        assert_eq!(accepted(&push(dev.id, r1.clone()).await).0, 1);
        // Another copy of revision 1: the held one wins.
        let mut forked = r1.clone();
        forked.caption = "another".into();
        assert_eq!(
            push(dev.id, forked).await,
            UpsertOutcome::Conflict { revision: 1 }
        );
        // A newer revision replaces it; an older one after that is a conflict.
        let mut r2 = r1.clone();
        r2.revision = 2;
        r2.caption = "उत्तर: मंच के पास".into();
        assert_eq!(accepted(&push(dev.id, r2.clone()).await).0, 2);
        assert_eq!(
            push(dev.id, r1.clone()).await,
            UpsertOutcome::Conflict { revision: 2 }
        );
        let row = db.capture_in_scope(None, r1.id).await.unwrap().unwrap();
        assert_eq!(row.record, r2);
        // Nobody else may write this capture, and no revision may change its media.
        assert!(matches!(
            push(other.id, r2.clone()).await,
            UpsertOutcome::Rejected {
                code: ErrorCode::Forbidden,
                ..
            }
        ));
        let mut moved = r2.clone();
        moved.revision = 3;
        moved.sha256 = sha(2);
        assert!(matches!(
            push(dev.id, moved).await,
            UpsertOutcome::Rejected {
                code: ErrorCode::InvalidInput,
                ..
            }
        ));
        let row = db.capture_in_scope(None, r1.id).await.unwrap().unwrap();
        assert_eq!(row.record.revision, 2, "refusals change nothing");
    }

    pub async fn media_joins_its_captures_whichever_arrives_first(db: &dyn MetaStore) {
        let dev = enrol(db, "B-104").await;
        let other = enrol(db, "B-105").await;
        // Record first, media second.
        let early = record(3, 500);
        db.upsert_captures(dev.id, dev.area_code.clone(), vec![early.clone()])
            .await
            .unwrap();
        assert!(!db.has_media(sha(3)).await.unwrap());
        assert!(
            db.add_media(sha(3), 500, dev.id, "image/jpeg".into())
                .await
                .unwrap(),
            "new bytes"
        );
        assert!(pull(db, &dev).await.contains(&Change::CaptureSynced {
            capture_id: early.id,
            sha256: sha(3),
        }));
        // Media first, record second: present at once.
        db.add_media(sha(4), 700, dev.id, "image/jpeg".into())
            .await
            .unwrap();
        let late = record(4, 700);
        let out = db
            .upsert_captures(dev.id, dev.area_code.clone(), vec![late.clone()])
            .await
            .unwrap();
        assert_eq!(accepted(&out[0]), (1, MediaState::Present));
        // A size that contradicts the bytes this device sent is refused.
        let mut wrong = record(4, 701);
        wrong.id = CaptureId::new();
        let out = db
            .upsert_captures(dev.id, dev.area_code.clone(), vec![wrong])
            .await
            .unwrap();
        assert!(matches!(out[0], UpsertOutcome::Rejected { .. }));
        // Holding is per device: the other device may not read these bytes, and its
        // record of the same hash is told "needed" (it must prove possession).
        assert!(db.device_may_read_media(dev.id, sha(3)).await.unwrap());
        assert!(!db.device_may_read_media(other.id, sha(3)).await.unwrap());
        let theirs = record(3, 500);
        let out = db
            .upsert_captures(other.id, other.area_code.clone(), vec![theirs])
            .await
            .unwrap();
        assert_eq!(accepted(&out[0]).1, MediaState::Needed);
        assert!(db.add_holder(other.id, sha(3)).await.unwrap());
        assert!(db.device_may_read_media(other.id, sha(3)).await.unwrap());
        assert_eq!(db.device_stored_bytes(dev.id).await.unwrap(), 1200);
        assert_eq!(db.media_size(sha(4)).await.unwrap(), Some(700));
        assert_eq!(
            db.media_mime(sha(4)).await.unwrap().as_deref(),
            Some("image/jpeg")
        );
        // Scopes: M_9's coordinator may read dev's media, not MX9's alone.
        assert!(
            db.scope_may_read_media(Some("/UP/LKO/M_9/".into()), sha(4))
                .await
                .unwrap()
        );
        assert!(
            !db.scope_may_read_media(Some("/UP/LKO/MX9/".into()), sha(4))
                .await
                .unwrap()
        );
        // Media nobody's capture holds is an orphan once old enough; held media never.
        db.add_media(sha(9), 10, dev.id, "image/jpeg".into())
            .await
            .unwrap();
        let future = Utc::now().timestamp_millis() + 60_000;
        assert_eq!(db.orphan_media(future).await.unwrap(), [sha(9)]);
        assert!(db.orphan_media(0).await.unwrap().is_empty());
        assert!(db.remove_orphan_media(sha(9)).await.unwrap());
        assert!(!db.remove_orphan_media(sha(3)).await.unwrap());
        assert!(db.has_media(sha(3)).await.unwrap());
        assert!(!db.has_media(sha(9)).await.unwrap());
    }

    pub async fn a_verdict_reaches_the_device_and_the_feed(db: &dyn MetaStore) {
        let dev = enrol(db, "B-104").await;
        let rec = record(5, 10);
        db.upsert_captures(dev.id, dev.area_code.clone(), vec![rec.clone()])
            .await
            .unwrap();
        // Out of scope: refused, nothing changes.
        let done = db
            .review_capture(
                Some("/UP/LKO/MX9/".into()),
                rec.id,
                ReviewState::Approved,
                None,
                "ravi".into(),
            )
            .await
            .unwrap();
        assert!(!done);
        let done = db
            .review_capture(
                Some("/UP/LKO/".into()),
                rec.id,
                ReviewState::NeedsInfo,
                Some("कहाँ की है?".into()),
                "asha".into(),
            )
            .await
            .unwrap();
        assert!(done);
        assert!(pull(db, &dev).await.contains(&Change::Review {
            capture_id: rec.id,
            verdict: "needs_info".into(),
            note: Some("कहाँ की है?".into()),
        }));
        let q = CaptureQuery {
            review: Some(ReviewState::NeedsInfo),
            ..CaptureQuery::default()
        };
        let page = db
            .capture_page(Some("/UP/".into()), q.clone(), None, 10, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((page.items.len(), page.total), (1, 1));
        assert_eq!(page.items[0].review.by.as_deref(), Some("asha"));
        let q = CaptureQuery {
            review: Some(ReviewState::Pending),
            ..CaptureQuery::default()
        };
        let page = db
            .capture_page(None, q, None, 10, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(page.total, 0);
        assert!(
            db.capture_page(
                None,
                CaptureQuery::default(),
                Some("garbage".into()),
                10,
                true
            )
            .await
            .unwrap()
            .is_err(),
            "a bad cursor is refused"
        );
    }

    pub async fn only_approved_captures_go_out_in_kits(db: &dyn MetaStore) {
        let dev = enrol(db, "B-104").await;
        let far = enrol(db, "B-201").await;
        let rec = record(6, 40);
        db.add_media(sha(6), 40, dev.id, "image/jpeg".into())
            .await
            .unwrap();
        db.upsert_captures(dev.id, dev.area_code.clone(), vec![rec.clone()])
            .await
            .unwrap();
        let admin = db
            .create_user("root".into(), Role::Admin, None, "h".into())
            .await
            .unwrap()
            .unwrap();
        let publish = |captures: Vec<CaptureId>, areas: Vec<String>| async move {
            db.publish_kit(
                admin,
                Some("/UP/LKO/".into()),
                ("Rally".into(), "रैली".into()),
                ("Share".into(), "साझा करें".into()),
                captures,
                areas,
            )
            .await
            .unwrap()
        };
        assert!(matches!(
            publish(vec![rec.id], vec!["LKO".into()]).await,
            Err(KitRefusal::NotApproved(_))
        ));
        db.review_capture(None, rec.id, ReviewState::Approved, None, "root".into())
            .await
            .unwrap();
        assert!(
            matches!(
                publish(vec![rec.id], vec!["lko".into()]).await,
                Err(KitRefusal::Area(_))
            ),
            "lko is outside /UP/LKO/"
        );
        let kit = publish(vec![rec.id], vec!["LKO".into()]).await.unwrap();
        assert!(
            pull(db, &dev)
                .await
                .contains(&Change::Kit { kit: kit.clone() })
        );
        assert!(
            !pull(db, &far)
                .await
                .iter()
                .any(|c| matches!(c, Change::Kit { .. }))
        );
        assert!(db.kit_reaches(dev.area_path.clone(), sha(6)).await.unwrap());
        assert!(!db.kit_reaches(far.area_path.clone(), sha(6)).await.unwrap());
        assert_eq!(
            db.list_kits(Some("/UP/LKO/".into())).await.unwrap().len(),
            1
        );
        assert!(
            db.list_kits(Some("/UP/lko/".into()))
                .await
                .unwrap()
                .is_empty()
        );
    }

    pub async fn a_revoked_device_hears_only_of_its_revocation(db: &dyn MetaStore) {
        let dev = enrol(db, "B-104").await;
        assert!(db.revoke_device(dev.id, true).await.unwrap());
        let row = db
            .list_devices(None)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.id == dev.id.to_string())
            .unwrap();
        assert!(row.revoked);
        let revoked = DeviceRow {
            revoked: true,
            ..dev.clone()
        };
        assert_eq!(pull(db, &revoked).await, [Change::Revoked { wipe: true }]);
        assert!(!db.revoke_device(DeviceId::new(), false).await.unwrap());
    }

    pub async fn uploads_live_in_the_store(db: &dyn MetaStore) {
        let dev = enrol(db, "B-104").await;
        let now = Utc::now().timestamp_millis();
        let row = UploadRow {
            id: "0123456789abcdef0123456789abcdef".into(),
            device_id: dev.id,
            length: None,
            offset: 0,
            metadata: "filename aGk=".into(),
            sha256: Some(sha(7)),
            expires_at: now + 60_000,
            done_sha256: None,
        };
        db.create_upload(row.clone(), None).await.unwrap();
        assert_eq!(db.upload(row.id.clone()).await.unwrap(), Some(row.clone()));
        db.set_upload_progress(row.id.clone(), 4096, Some(10_000))
            .await
            .unwrap();
        let got = db.upload(row.id.clone()).await.unwrap().unwrap();
        assert_eq!((got.offset, got.length), (4096, Some(10_000)));
        assert!(db.expired_uploads(now).await.unwrap().is_empty());
        assert_eq!(
            db.expired_uploads(now + 120_000).await.unwrap(),
            [row.id.as_str()]
        );
        // The record's push tells the device where its upload stands.
        let mut rec = record(7, 10_000);
        rec.size = 10_000;
        let out = db
            .upsert_captures(dev.id, dev.area_code.clone(), vec![rec])
            .await
            .unwrap();
        match &out[0] {
            UpsertOutcome::Accepted { media, .. } => {
                assert_eq!(media.0, MediaState::Uploading);
                assert_eq!(media.1, Some((4096, row.id.clone())));
            }
            other => panic!("{other:?}"),
        }
        db.finish_upload(row.id.clone(), sha(7)).await.unwrap();
        let got = db.upload(row.id.clone()).await.unwrap().unwrap();
        assert_eq!(got.done_sha256, Some(sha(7)));
        db.delete_upload(row.id.clone()).await.unwrap();
        assert_eq!(db.upload(row.id).await.unwrap(), None);
    }

    pub async fn the_audit_log_is_scoped(db: &dyn MetaStore) {
        for (actor, path) in [
            ("asha", Some("/UP/LKO/M_9/")),
            ("ravi", Some("/UP/LKO/MX9/")),
            ("root", None),
        ] {
            db.audit(NewAudit {
                actor: actor.into(),
                action: "review",
                target: None,
                detail: None,
                area_path: path.map(Into::into),
            })
            .await
            .unwrap();
        }
        let actors = |entries: Vec<saakshi_server::store::AuditEntry>| {
            entries.into_iter().map(|e| e.actor).collect::<Vec<_>>()
        };
        let q = AuditQuery::default;
        assert_eq!(
            actors(
                db.list_audit(Some("/UP/LKO/M_9/".into()), q(), 10)
                    .await
                    .unwrap()
            ),
            ["asha"]
        );
        assert_eq!(
            actors(
                db.list_audit(Some("/UP/LKO/".into()), q(), 10)
                    .await
                    .unwrap()
            ),
            ["ravi", "asha"],
            "newest first; server-wide entries are for admins"
        );
        assert_eq!(actors(db.list_audit(None, q(), 10).await.unwrap()).len(), 3);
    }
}
