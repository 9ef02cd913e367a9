//! The `saakshi-server admin …` command lines. They work on the same database as a
//! running server (SQLite allows it), so an admin can invite while the server serves.

use rand::Rng;
use serde_json::json;

use crate::store::{MetaStore, Role};

/// A random password of 16 characters from an unambiguous alphabet.
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// `admin import-areas FILE.csv`.
pub async fn import_areas(db: &dyn MetaStore, csv: String) -> anyhow::Result<String> {
    let n = crate::areas_csv::import(db, &csv).await?;
    Ok(format!("imported {n} areas"))
}

/// How many devices one invite may enrol.
pub const INVITE_USES: std::ops::RangeInclusive<u32> = 1..=10_000;
/// How many days an invite may stay open.
pub const INVITE_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

/// The terms of a new invite, the same for the dashboard and the command line: its
/// expiry, or why the terms are refused (`--days 0` would make an invite already expired).
pub fn invite_expiry(uses: u32, days: u32) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if !INVITE_USES.contains(&uses) || !INVITE_DAYS.contains(&days) {
        return Err(format!(
            "uses is {} to {} and days {} to {}",
            INVITE_USES.start(),
            INVITE_USES.end(),
            INVITE_DAYS.start(),
            INVITE_DAYS.end()
        ));
    }
    Ok(chrono::Utc::now() + chrono::Duration::days(i64::from(days)))
}

/// Makes an invite code for `area`, stores its hash, and returns the code: the only
/// time it exists in clear. Bounds are the caller's (see [`invite_expiry`]).
pub async fn new_invite(
    db: &dyn MetaStore,
    area: String,
    uses: u32,
    expires_at_ms: i64,
) -> crate::store::StoreResult<String> {
    let code = crate::secrets::new_invite_code();
    db.create_invite(
        crate::secrets::invite_hash(&code),
        area,
        uses,
        expires_at_ms,
    )
    .await?;
    Ok(code)
}

/// `admin invite --area CODE [--uses N] [--days D] [--json]`.
pub async fn invite(
    db: &dyn MetaStore,
    base_url: &str,
    area: String,
    uses: u32,
    days: u32,
    as_json: bool,
) -> anyhow::Result<String> {
    if db.area(area.clone()).await?.is_none() {
        anyhow::bail!("no area with code {area:?}; import areas first");
    }
    let expires =
        invite_expiry(uses, days).map_err(|why| anyhow::anyhow!("invite refused: {why}"))?;
    let code = new_invite(db, area, uses, expires.timestamp_millis()).await?;
    let link = format!("{}/join/{code}", base_url.trim_end_matches('/'));
    Ok(if as_json {
        json!({ "code": code, "link": link }).to_string()
    } else {
        format!("{code}\n{link}")
    })
}

/// `admin create-user NAME --role admin|coordinator [--area CODE]` and
/// `POST /api/v1/admin/users`: creates the user and returns the generated first password.
pub async fn create_user(
    db: &dyn MetaStore,
    name: String,
    role: &str,
    area: Option<String>,
) -> anyhow::Result<String> {
    let role =
        Role::parse(role).ok_or_else(|| anyhow::anyhow!("--role is admin or coordinator"))?;
    match (role, &area) {
        (Role::Coordinator, None) => anyhow::bail!("a coordinator needs --area"),
        (_, Some(a)) if db.area(a.clone()).await?.is_none() => {
            anyhow::bail!("no area with code {a:?}")
        }
        _ => {}
    }
    if name.trim().is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
        anyhow::bail!("a user name is 1 to 64 printable characters");
    }
    let password = new_password();
    let hash = crate::passwords::hash(password.clone()).await?;
    db.create_user(name.clone(), role, area, hash)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a user named {name:?} already exists"))?;
    Ok(password)
}

/// `admin captures [--area CODE] [--json]`.
pub async fn captures(
    db: &dyn MetaStore,
    area: Option<String>,
    as_json: bool,
) -> anyhow::Result<String> {
    let path = match area {
        Some(code) => Some(
            db.area(code.clone())
                .await?
                .ok_or_else(|| anyhow::anyhow!("no area with code {code:?}"))?
                .1,
        ),
        None => None,
    };
    let rows = db.list_captures(path, 100_000).await?;
    if as_json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| json!({"id": r.record.id, "sha256": r.record.sha256, "media": r.media, "area": r.scope_area, "device_id": r.device_id}))
            .collect();
        return Ok(serde_json::to_string_pretty(&items)?);
    }
    let mut out = format!("{} captures\n", rows.len());
    for r in rows {
        out.push_str(&format!(
            "{}  {}  {:<7}  {}\n",
            r.record.id, r.record.sha256, r.media, r.scope_area
        ));
    }
    Ok(out.trim_end().to_string())
}
