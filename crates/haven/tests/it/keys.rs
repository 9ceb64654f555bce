//! Key rotation keeps everything readable and retires the old key.

use crate::helpers::*;
use serde_json::json;

/// Persons registered through the API, with what a read of each answers.
async fn persons(app: &TestApp, token: &str, n: usize) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for i in 0..n {
        let p = app
            .register(
                token,
                json!({"name": format!("Filmon Berhane {i}"), "phone": "+31 6 1234 5678"}),
            )
            .await;
        let path = format!("/api/v1/persons/{}", p["id"].as_str().unwrap());
        let (status, v) = app.get(token, &path).await;
        assert_eq!(status, 200, "{v}");
        out.push((path, v));
    }
    out
}

/// Reads every person again and again until `done`; every answer must be the first one.
async fn read_until(
    app: &TestApp,
    token: &str,
    persons: &[(String, serde_json::Value)],
    done: &std::sync::atomic::AtomicBool,
) -> usize {
    let mut reads = 0;
    while !done.load(std::sync::atomic::Ordering::SeqCst) {
        for (path, want) in persons {
            let (status, got) = app.get(token, path).await;
            assert_eq!((status, &got), (200, want), "a read during rotation");
            reads += 1;
        }
    }
    reads
}

fn ok(out: &std::process::Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// Every wrapped value in the database names `kek`.
async fn all_wrapped_by(app: &TestApp, kek: &str) -> bool {
    haven_core::rotation::status(&app.ctx)
        .await
        .unwrap()
        .iter()
        .all(|c| c.unknown == 0 && c.by_kek.iter().all(|(k, n)| k == kek || *n == 0))
}

#[tokio::test]
async fn rotation_runs_while_the_server_serves_reads_and_rewraps_everything() {
    let app = TestApp::spawn().await;
    let (u, t) = app.staff("Org A", &["case_manager"]).await;
    let list = persons(&app, &t, 30).await;
    // An outreach contact is sealed with its own data key, which must be rewrapped too.
    let worker = app.user("Org A", &["outreach_worker"]).await;
    let wt = app.token(&worker).await;
    let contact = app.street_contact(&wt).await;
    // A copy of the key file as it was (not following the file, as a loaded keyring does).
    let old = haven_core::crypto::Keyring::from_json(
        &std::fs::read_to_string(haven::key_path(&app.data)).unwrap(),
    )
    .unwrap();

    // The server reads persons all through the rotation, in small batches with pauses.
    let done = std::sync::atomic::AtomicBool::new(false);
    let rotate = async {
        let (data, url) = (app.data.clone(), app.db_url.clone());
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
                .args([
                    "keys",
                    "rotate",
                    "--batch",
                    "4",
                    "--pause-ms",
                    "30",
                    "--data",
                ])
                .arg(&data)
                .arg("--database-url")
                .arg(&url)
                .env_remove("HAVEN_KEYS")
                .env("HAVEN_LOG", "error")
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        out
    };
    let (out, reads) = tokio::join!(rotate, read_until(&app, &t, &list, &done));
    let text = ok(&out);
    assert!(text.contains("Re-wrapped"), "{text}");
    assert!(
        reads >= list.len(),
        "only {reads} reads during the rotation"
    );

    let new = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    assert_eq!(new.kek_ids().len(), 2, "the old key stays until retired");
    assert!(all_wrapped_by(&app, &new.active_kek_id()).await);
    assert!(ok(&app.haven(&["keys", "status"])).contains("haven keys retire"));
    let text = ok(&app.haven(&["keys", "retire"]));
    assert!(text.contains("Retired"), "{text}");
    let new = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    assert_eq!(new.kek_ids(), vec![new.active_kek_id()]);
    assert!(!old.kek_ids().contains(&new.active_kek_id()));
    assert_eq!(app.audit_count("keys.rotate").await, 1);
    assert_eq!(app.audit_count("keys.retire").await, 1);

    // The running server, after the old key left its file, and a fresh one read everything.
    for (path, want) in &list {
        assert_eq!(&app.get(&t, path).await, &(200, want.clone()));
    }
    let ctx = haven::open_with_clock(&app.data, Some(&app.db_url), app.clock.clone())
        .await
        .unwrap();
    let code = app.code(&u);
    assert!(haven_core::users::check_totp(&ctx, u.id, &code)
        .await
        .unwrap());
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
    // The old key file alone no longer opens anything.
    assert!(old.unwrap_data_key(&wrapped, &contact).is_err());
    assert!(ok(&app.haven(&["audit", "verify"])).contains("intact"));
}

#[tokio::test]
async fn an_interrupted_rotation_resumes_and_retiring_waits_for_it() {
    use std::io::BufRead;
    let app = TestApp::spawn().await;
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    let list = persons(&app, &t, 24).await;
    let first = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    // Killed after its first batch of three.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args([
            "keys",
            "rotate",
            "--batch",
            "3",
            "--pause-ms",
            "2000",
            "--data",
        ])
        .arg(&app.data)
        .arg("--database-url")
        .arg(&app.db_url)
        .env_remove("HAVEN_KEYS")
        .env("HAVEN_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines
        .find(|l| l.as_ref().unwrap().contains("re-wrapped so far"))
        .unwrap()
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(line.contains("persons: 3"), "{line}");

    let ring = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    assert_eq!(ring.kek_ids().len(), 2);
    let status = haven_core::rotation::status(&app.ctx).await.unwrap();
    let persons = &status[0].by_kek;
    assert_eq!(persons[&ring.active_kek_id()], 3, "{persons:?}");
    assert_eq!(persons[&first.active_kek_id()], 21, "{persons:?}");
    // Half-way, everything reads, and the old key cannot be retired yet.
    for (path, want) in &list {
        assert_eq!(&app.get(&t, path).await, &(200, want.clone()));
    }
    let out = app.haven(&["keys", "retire"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Nothing retired"));

    // Running it again finishes with the same new key.
    ok(&app.haven(&["keys", "rotate"]));
    let again = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    assert_eq!(again.kek_ids(), ring.kek_ids());
    assert!(all_wrapped_by(&app, &ring.active_kek_id()).await);
    ok(&app.haven(&["keys", "retire"]));
    for (path, want) in &list {
        assert_eq!(&app.get(&t, path).await, &(200, want.clone()));
    }
}

#[tokio::test]
async fn a_server_wraps_new_keys_with_the_key_added_while_it_runs() {
    let app = TestApp::spawn().await;
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    let before = app.register(&t, json!({"name": "Amina"})).await;
    ok(&app.haven(&["keys", "add"]));
    let ring = haven_core::crypto::Keyring::load(&haven::key_path(&app.data)).unwrap();
    let after = app.register(&t, json!({"name": "Farid"})).await;
    assert_ne!(kek_of(&app, &before).await, ring.active_kek_id());
    assert_eq!(kek_of(&app, &after).await, ring.active_kek_id());
}

async fn kek_of(app: &TestApp, p: &serde_json::Value) -> String {
    let w: String = app
        .scalar(
            "SELECT data_key FROM persons WHERE id = $1",
            p["id"].as_str().unwrap(),
        )
        .await;
    haven_core::crypto::Keyring::wrapped_by(&w)
        .unwrap()
        .to_owned()
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
