//! Key rotation keeps everything readable and retires the old key.

use crate::helpers::*;
use haven_core::Clock;
use serde_json::json;

#[tokio::test]
async fn rotating_the_key_encryption_key_rewraps_everything() {
    let app = TestApp::spawn().await;
    let (u, t) = app.staff("Org A", &["case_manager"]).await;
    let p = app.register(&t, json!({"name": "Filmon Berhane"})).await;
    let id: haven_core::ids::PersonId = p["id"].as_str().unwrap().parse().unwrap();
    // An outreach contact is sealed with its own data key, which must be rewrapped too.
    let worker = app.user("Org A", &["outreach_worker"]).await;
    let wt = app.token(&worker).await;
    let contact = uuid::Uuid::now_v7().to_string();
    let (status, v) = app
        .post(
            &wt,
            "/api/v1/outreach/sync",
            json!({"records": [{"id": contact, "contact": {
                "contact_at": app.clock.now_ts() - 600, "area": "city_park", "people_count": 1,
                "activities": ["contacted"], "persons": [{"alias": "Yonas"}]}}]}),
        )
        .await;
    assert_eq!(
        (status, v["results"][0]["status"].as_str()),
        (200, Some("stored")),
        "{v}"
    );
    let old = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    let out = app.haven(&["keys", "rotate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    assert_eq!(new.kek_ids().len(), 1);
    assert_ne!(new.kek_ids(), old.kek_ids());
    // A server started with the new key file reads the person and accepts the user's codes.
    let ctx = haven::open_with_clock(&app.data, Some(&app.db_url), app.clock.clone())
        .await
        .unwrap();
    let actor = haven_core::Actor::staff(u.id, u.org, vec![haven_core::Role::CaseManager]);
    let p = haven_core::people::get(&ctx, &actor, id).await.unwrap();
    assert_eq!(p.data.name.as_deref(), Some("Filmon Berhane"));
    let code = app.code(&u);
    assert!(haven_core::users::check_totp(&ctx, u.id, &code)
        .await
        .unwrap());
    let wrapped: String = app
        .scalar("SELECT data_key FROM persons WHERE id = $1", id)
        .await;
    assert_eq!(
        haven_core::crypto::Keyring::wrapped_by(&wrapped),
        Some(new.active_kek_id())
    );
    // The old key file alone no longer opens anything.
    assert!(old.unwrap_data_key(&wrapped, &id.to_string()).is_err());
    let wrapped: String = app
        .scalar(
            "SELECT data_key FROM outreach_contacts WHERE id = $1",
            &contact,
        )
        .await;
    assert!(
        new.unwrap_data_key(&wrapped, &contact).is_ok(),
        "the contact's key was not rewrapped"
    );
}

#[tokio::test]
async fn keys_create_refuses_to_overwrite() {
    let app = TestApp::spawn().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["keys", "create", "--data"])
        .arg(&app.data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_key_file_are_the_owners_only_and_a_readable_key_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let data = std::env::temp_dir()
        .join(format!("haven-perms-{}", uuid::Uuid::new_v4()))
        .join("data");
    assert!(haven::ensure_keys(&data).unwrap());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    let keys = haven::key_path(&data);
    assert_eq!(mode(&keys), 0o600);
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o644)).unwrap();
    let url = format!("sqlite://{}?mode=rwc", data.join("haven.db").display());
    let err = haven::open(&data, Some(&url)).await.err().expect("refused");
    let msg = format!("{err:#}");
    assert!(msg.contains("chmod 600") && msg.contains("644"), "{msg}");
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(haven::open(&data, Some(&url)).await.is_ok());
}

#[test]
fn haven_behind_tls_accepts_exactly_what_the_readme_says() {
    let run = |value: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(["serve", "--database-url", "postgres://127.0.0.1:1/none"])
            .arg("--data")
            .arg(std::env::temp_dir().join(format!("haven-tls-{}", uuid::Uuid::new_v4())))
            .env("HAVEN_BEHIND_TLS", value)
            .env("HAVEN_LOG", "error")
            .output()
            .expect("run haven")
    };
    let readme = include_str!("../../../../README.md");
    for value in ["true", "false", "1", "0", "yes", "no"] {
        assert!(
            readme.contains(&format!("`{value}`")),
            "the README names {value}"
        );
        let out = run(value);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("invalid value"), "{value} refused: {err}");
    }
    for value in ["on", "y", "TRUE ", "maybe", ""] {
        let out = run(value);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{value:?} accepted: {err}");
        assert!(
            err.contains("HAVEN_BEHIND_TLS") || err.contains("behind-tls"),
            "{err}"
        );
    }
}
