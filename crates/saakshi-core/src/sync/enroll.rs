//! Enrolment: an Ed25519 key made on the device, an invite code redeemed for a token.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use saakshi_domain::wire::{EnrollRequest, EnrollResponse};

use super::client::Client;
use super::error::SyncError;
use crate::home::Home;

/// Setting keys kept in the device store (the app reads and writes the policy ones).
pub mod keys {
    pub const SERVER: &str = "server_url";
    pub const TOKEN: &str = "device_token";
    pub const DEVICE_ID: &str = "device_id";
    pub const AREA_CODE: &str = "area_code";
    pub const AREA: &str = "area";
    pub const PULL_CURSOR: &str = "pull_cursor";
    pub const WIFI_ONLY: &str = "wifi_only";
    pub const BANDWIDTH_CAP: &str = "bandwidth_cap_bytes_per_sec";
    pub const REVOKED: &str = "revoked";
    /// How many pulled changes were skipped because this version cannot read them.
    pub const UNKNOWN_CHANGES: &str = "unknown_changes";
}

/// Splits what a person pasted into a server URL and an invite code: either
/// `URL CODE`, or an invite link `http(s)://host[:port]/join/CODE`.
pub fn parse_invite(
    server_or_link: &str,
    code: Option<&str>,
) -> Result<(String, String), SyncError> {
    let s = server_or_link.trim();
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return Err(SyncError::Permanent(format!(
            "{s:?} is not a server address (it starts with http:// or https://)"
        )));
    }
    if let Some(code) = code {
        return Ok((s.trim_end_matches('/').to_string(), code.trim().to_string()));
    }
    let (base, code) = s
        .trim_end_matches('/')
        .rsplit_once("/join/")
        .ok_or_else(|| {
            SyncError::Permanent(
                "give the server address and the invite code, or the invite link".into(),
            )
        })?;
    if code.is_empty() || code.contains('/') {
        return Err(SyncError::Permanent(
            "the invite link has no code at its end".into(),
        ));
    }
    Ok((base.to_string(), code.to_string()))
}

/// Enrols this device: keeps the server, token, device id and area in the store.
pub async fn enroll(
    home: &Home,
    server_or_link: &str,
    code: Option<&str>,
    device_name: &str,
    platform: &str,
) -> Result<EnrollResponse, SyncError> {
    let (server, code) = parse_invite(server_or_link, code)?;
    if let Some(existing) = home.setting(keys::SERVER)?
        && home.setting(keys::TOKEN)?.is_some()
    {
        return Err(SyncError::Permanent(format!(
            "this device is already enrolled with {existing}; use a new home folder for another server"
        )));
    }
    let key = crate::keys::signing_key(home)?;
    let client = Client::new(&server, None)?;
    let resp = client
        .enroll(&EnrollRequest {
            invite_code: code,
            device_name: device_name.to_string(),
            platform: platform.to_string(),
            public_key: STANDARD.encode(key.verifying_key().to_bytes()),
        })
        .await?;
    home.set_setting(keys::SERVER, &server)?;
    home.set_setting(keys::TOKEN, &resp.token)?;
    home.set_setting(keys::DEVICE_ID, &resp.device_id.to_string())?;
    home.set_setting(keys::AREA_CODE, &resp.area.code)?;
    home.set_setting(
        keys::AREA,
        &serde_json::to_string(&resp.area).map_err(|e| SyncError::Permanent(e.to_string()))?,
    )?;
    home.set_setting(keys::PULL_CURSOR, "0")?;
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invites_as_people_paste_them() {
        assert_eq!(
            parse_invite("http://10.0.0.5:8470/join/ABCDE-FGHJK", None).unwrap(),
            ("http://10.0.0.5:8470".into(), "ABCDE-FGHJK".into())
        );
        assert_eq!(
            parse_invite("https://saakshi.example/", Some(" abcde-fghjk ")).unwrap(),
            ("https://saakshi.example".into(), "abcde-fghjk".into())
        );
        assert!(parse_invite("saakshi.example", Some("X")).is_err());
        assert!(parse_invite("http://host/", None).is_err());
        assert!(parse_invite("http://host/join/", None).is_err());
    }
}
