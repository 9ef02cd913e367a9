//! Settings layer as documented: defaults, then the TOML file, then SAAKSHI_* variables,
//! then flags. (One test in this binary: it sets process environment variables.)

use std::time::Duration;

use saakshi_server::config::{Overrides, Settings};

#[test]
fn defaults_then_file_then_environment_then_flags() {
    let d = tempfile::tempdir().unwrap();
    let defaults = Settings::load(&Overrides {
        data_dir: Some(d.path().into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(defaults.listen.to_string(), "127.0.0.1:8470");
    assert_eq!(defaults.limits.max_media_bytes, 4 << 30);
    assert_eq!(defaults.upload_expiry, Duration::from_secs(7 * 24 * 3600));
    assert!(
        !defaults.behind_proxy,
        "X-Forwarded-For is not trusted by default"
    );

    let file = d.path().join("saakshi.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9000\"\nmax_media_bytes = 1000\nupload_expiry_hours = 2\nmax_batch = 10\nupload_buffer_bytes = 4096\nupload_writers = 3\nbehind_proxy = true\n",
    )
    .unwrap();
    let o = Overrides {
        config: Some(file.clone()),
        data_dir: Some(d.path().into()),
        ..Default::default()
    };
    let s = Settings::load(&o).unwrap();
    assert_eq!(s.listen.to_string(), "127.0.0.1:9000");
    assert_eq!(s.limits.max_media_bytes, 1000);
    assert_eq!(s.limits.max_batch, 10);
    assert_eq!(s.limits.upload_buffer_bytes, 4096);
    assert_eq!(s.limits.upload_writers, 3);
    assert_eq!(s.upload_expiry, Duration::from_secs(7200));
    assert!(s.behind_proxy);

    unsafe_env("SAAKSHI_MAX_MEDIA_BYTES", Some("2000"));
    unsafe_env("SAAKSHI_LISTEN", Some("127.0.0.1:9100"));
    unsafe_env("SAAKSHI_BEHIND_PROXY", Some("false"));
    let s = Settings::load(&o).unwrap();
    assert!(!s.behind_proxy, "the environment beats the file");
    assert_eq!(
        (s.listen.to_string().as_str(), s.limits.max_media_bytes),
        ("127.0.0.1:9100", 2000)
    );
    let s = Settings::load(&Overrides {
        listen: Some("127.0.0.1:9200".parse().unwrap()),
        ..o.clone()
    })
    .unwrap();
    assert_eq!(
        s.listen.to_string(),
        "127.0.0.1:9200",
        "a flag beats the environment"
    );

    unsafe_env("SAAKSHI_MAX_MEDIA_BYTES", Some("lots"));
    let err = Settings::load(&o).unwrap_err().to_string();
    assert!(err.contains("SAAKSHI_MAX_MEDIA_BYTES"), "{err}");
    unsafe_env("SAAKSHI_MAX_MEDIA_BYTES", None);
    unsafe_env("SAAKSHI_LISTEN", None);
    unsafe_env("SAAKSHI_BEHIND_PROXY", None);

    std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ntypo_key = 1\n").unwrap();
    let err = Settings::load(&o).unwrap_err().to_string();
    assert!(err.contains("typo_key"), "{err}");
}

fn unsafe_env(key: &str, value: Option<&str>) {
    #[allow(unsafe_code)]
    // SAFETY: setting the environment races with threads reading it; this test binary
    // holds a single test, so there are none.
    unsafe {
        match value {
            Some(v) => std::env::set_var(key, v),
            None => std::env::remove_var(key),
        }
    }
}
