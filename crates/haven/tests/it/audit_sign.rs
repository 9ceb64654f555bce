//! Anchors and archive files are signed (Ed25519): the public key alone checks them, and
//! fails on a changed byte and on another installation's key. Files and anchors of the
//! first format (a MAC under the audit key) are still read with the key file.

use crate::audit_archive::{app_with_old_events, archive, out};
use crate::helpers::*;
use haven_core::audit::Anchor;
use haven_core::audit_archive::{ArchiveFile, FORMAT_V1};
use haven_core::audit_sign::PublicKey;
use haven_core::crypto::Keyring;

/// Runs `haven` with no data directory, key file or database: only what is given.
fn bare(args: &[&str]) -> std::process::Output {
    let empty = std::env::temp_dir().join(format!("haven-nothing-{}", uuid::Uuid::now_v7()));
    std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env("HAVEN_DATA", &empty)
        .env_remove("HAVEN_KEYS")
        .env_remove("DATABASE_URL")
        .env("HAVEN_LOG", "error")
        .output()
        .unwrap()
}

fn public_key(app: &TestApp) -> String {
    let o = app.haven(&["audit", "public-key"]);
    assert!(o.status.success(), "{}", out(&o));
    let key = String::from_utf8(o.stdout).unwrap().trim().to_owned();
    assert_eq!(PublicKey::parse(&key), Some(PublicKey::of(&app.ctx.keys)));
    key
}

#[tokio::test]
async fn an_archive_checks_with_the_public_key_alone_and_fails_on_a_byte_or_another_key() {
    let (app, _) = app_with_old_events().await;
    let key = public_key(&app);
    let (file, _) = archive(&app).await;
    let path = file.to_str().unwrap();
    let o = bare(&["audit", "verify-archive", "--public-key", &key, path]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("signatures hold"), "{}", out(&o));

    let other = PublicKey::of(&Keyring::generate()).to_string();
    let o = bare(&["audit", "verify-archive", "--public-key", &other, path]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("signature does not match"), "{}", out(&o));

    let original = std::fs::read_to_string(&file).unwrap();
    let f: ArchiveFile = serde_json::from_str(&original).unwrap();
    let mut changed = f.clone();
    let at = changed.sealed.len() / 2;
    let flip = if &changed.sealed[at..=at] == "A" {
        "B"
    } else {
        "A"
    };
    changed.sealed.replace_range(at..=at, flip);
    std::fs::write(&file, serde_json::to_string(&changed).unwrap()).unwrap();
    let o = bare(&["audit", "verify-archive", "--public-key", &key, path]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let public = PublicKey::parse(&key).unwrap();
    assert!(f.signed_by(&public) && !changed.signed_by(&public));

    // A key that is not one.
    let o = bare(&["audit", "verify-archive", "--public-key", "age1xyz", path]);
    assert!(!o.status.success());
    assert!(out(&o).contains("is not a public key"), "{}", out(&o));
}

#[tokio::test]
async fn an_anchor_checks_with_the_public_key_alone_and_fails_on_a_byte_or_another_key() {
    let app = TestApp::spawn().await;
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    app.register(&t, serde_json::json!({"name": "Amina"})).await;
    let key = public_key(&app);
    let public = PublicKey::parse(&key).unwrap();
    let a = haven_core::audit::anchor(&app.ctx).await.unwrap();
    assert!(a.signed_by(&public));
    assert_eq!(a.key.as_deref(), Some(public.id().as_str()));
    let mut moved = a.clone();
    moved.at += 1;
    assert!(!moved.signed_by(&public));
    let mut mac = a.clone();
    mac.mac
        .replace_range(0..1, if mac.mac.starts_with('A') { "B" } else { "A" });
    assert!(!mac.signed_by(&public));
    assert!(!a.signed_by(&PublicKey::of(&Keyring::generate())));

    // Through the command, with a public key given.
    let anchors = app.data.join("anchors.jsonl");
    std::fs::write(&anchors, serde_json::to_string(&a).unwrap() + "\n").unwrap();
    let path = anchors.to_str().unwrap();
    let o = app.haven(&["audit", "verify", "--anchor", path, "--public-key", &key]);
    assert!(o.status.success(), "{}", out(&o));
    let other = PublicKey::of(&Keyring::generate()).to_string();
    let o = app.haven(&["audit", "verify", "--anchor", path, "--public-key", &other]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("not genuine"), "{}", out(&o));
    std::fs::write(&anchors, serde_json::to_string(&moved).unwrap()).unwrap();
    let o = app.haven(&["audit", "verify", "--anchor", path, "--public-key", &key]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
}

/// The first format's MAC under the audit key, as it was made.
fn v1_mac(app: &TestApp, parts: &[&[u8]]) -> String {
    data_encoding::BASE64.encode(&app.ctx.keys.audit_mac(parts))
}

#[tokio::test]
async fn anchors_and_archives_of_the_first_format_are_still_read_with_the_key_file() {
    let (app, _) = app_with_old_events().await;
    let a = haven_core::audit::anchor(&app.ctx).await.unwrap();
    let (seq, at) = (a.seq.to_be_bytes(), a.at.to_be_bytes());
    let sig = v1_mac(&app, &[b"haven audit anchor", &seq, a.mac.as_bytes(), &at]);
    let old = Anchor {
        key: None,
        sig,
        ..a.clone()
    };
    let text = serde_json::to_string(&old).unwrap();
    assert!(
        !text.contains("\"key\""),
        "the first format had no key: {text}"
    );
    let old: Anchor = serde_json::from_str(&text).unwrap();
    let check = haven_core::audit::check_anchors;
    assert!(check(&app.ctx, std::slice::from_ref(&old), None)
        .await
        .unwrap()
        .is_empty());
    let mut edited = old.clone();
    edited.at += 1;
    assert_eq!(check(&app.ctx, &[edited], None).await.unwrap().len(), 1);

    let (file, _) = archive(&app).await;
    let f: ArchiveFile = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut v1 = ArchiveFile {
        format: FORMAT_V1.to_owned(),
        key: None,
        ..f.clone()
    };
    let (first, last) = (v1.first_seq.to_be_bytes(), v1.last_seq.to_be_bytes());
    let (count, created) = (v1.count.to_be_bytes(), v1.created_at.to_be_bytes());
    v1.sig = v1_mac(
        &app,
        &[
            b"haven audit archive",
            v1.format.as_bytes(),
            &first,
            &last,
            v1.prev_mac.as_bytes(),
            v1.last_mac.as_bytes(),
            &count,
            &created,
            v1.sealed.as_bytes(),
        ],
    );
    assert!(v1.genuine(&app.ctx) && v1.open(&app.ctx).is_ok());
    std::fs::write(&file, serde_json::to_string(&v1).unwrap()).unwrap();
    let o = app.haven(&["audit", "verify-archive", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    // The public key alone cannot vouch for a MAC: it says so.
    let key = PublicKey::of(&app.ctx.keys).to_string();
    let o = bare(&[
        "audit",
        "verify-archive",
        "--public-key",
        &key,
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
}
