//! The device's settings as the Settings screen edits them. Sync policy lives in the
//! core's settings table (the CLI reads the same keys); sync starts over with the new
//! values at once.

use saakshi_core::Home;
use saakshi_core::sync::keys;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// The UI's language, a setting only the app uses.
const UI_LANG: &str = "ui_lang";

/// Highest upload cap the UI accepts, in KiB/s (about 8 Gbit/s: "no limit" in practice).
const MAX_KIB: u64 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    wifi_only: bool,
    /// KiB a second; `None` for no cap.
    bandwidth_kib: Option<u64>,
    lang: Option<String>,
}

fn read(home: &Home) -> Result<Settings, AppError> {
    Ok(Settings {
        wifi_only: home.setting(keys::WIFI_ONLY)?.as_deref() == Some("true"),
        bandwidth_kib: home
            .setting(keys::BANDWIDTH_CAP)?
            .and_then(|b| b.parse::<u64>().ok())
            .filter(|&b| b > 0)
            .map(|b| b.div_ceil(1024)),
        lang: home.setting(UI_LANG)?,
    })
}

/// Checks everything before writing anything.
fn check(s: &Settings) -> Result<(), AppError> {
    if let Some(kib) = s.bandwidth_kib
        && !(1..=MAX_KIB).contains(&kib)
    {
        return Err(AppError::invalid(
            "bandwidth",
            format!("a cap of {kib} KiB/s is not between 1 and {MAX_KIB}"),
        ));
    }
    if let Some(lang) = &s.lang
        && lang != "hi"
        && lang != "en"
    {
        return Err(AppError::invalid(
            "lang",
            format!("{lang:?} is not hi or en"),
        ));
    }
    Ok(())
}

fn write(home: &Home, s: &Settings) -> Result<(), AppError> {
    home.set_setting(keys::WIFI_ONLY, if s.wifi_only { "true" } else { "false" })?;
    match s.bandwidth_kib {
        Some(kib) => home.set_setting(keys::BANDWIDTH_CAP, &(kib * 1024).to_string())?,
        None => home.clear_setting(keys::BANDWIDTH_CAP)?,
    }
    match &s.lang {
        Some(lang) => home.set_setting(UI_LANG, lang)?,
        None => home.clear_setting(UI_LANG)?,
    }
    Ok(())
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Result<Settings, AppError> {
    state.blocking(read).await
}

#[tauri::command]
pub async fn set_settings(
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, AppError> {
    check(&settings)?;
    let saved = state
        .blocking(move |home| {
            write(home, &settings)?;
            read(home)
        })
        .await?;
    state.sync.wake();
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_core_keys_the_cli_reads() {
        let dir = tempfile::tempdir().unwrap();
        let (home, _) = Home::create(dir.path()).unwrap();
        assert_eq!(read(&home).unwrap().bandwidth_kib, None);
        let s = Settings {
            wifi_only: true,
            bandwidth_kib: Some(512),
            lang: Some("hi".into()),
        };
        check(&s).unwrap();
        write(&home, &s).unwrap();
        assert_eq!(read(&home).unwrap(), s);
        let policy = saakshi_core::sync::SyncPolicy::from_settings(&home).unwrap();
        assert!(policy.wifi_only);
        assert_eq!(policy.bandwidth_cap, Some(512 * 1024));
    }

    #[test]
    fn refuses_a_cap_out_of_range_and_an_unknown_language() {
        let base = Settings {
            wifi_only: false,
            bandwidth_kib: Some(0),
            lang: None,
        };
        assert!(
            matches!(check(&base), Err(AppError::Invalid { ref field, .. }) if field == "bandwidth")
        );
        let fr = Settings {
            bandwidth_kib: None,
            lang: Some("fr".into()),
            ..base
        };
        assert!(matches!(check(&fr), Err(AppError::Invalid { ref field, .. }) if field == "lang"));
    }
}
