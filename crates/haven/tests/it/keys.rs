//! Key rotation keeps everything readable and retires the old key.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn rotating_the_key_encryption_key_rewraps_everything() {
    let app = TestApp::spawn().await;
    let (u, t) = app.staff("Org A", &["case_manager"]).await;
    let p = app.register(&t, json!({"name": "Filmon Berhane"})).await;
    let id: haven_core::ids::PersonId = p["id"].as_str().unwrap().parse().unwrap();
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
