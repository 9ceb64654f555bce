//! The restore drill: a backup taken while the server writes restores whole into an empty
//! database, with its chain verified and every person readable; a person erased after the
//! backup stays erased; a damaged, foreign or misdirected backup is refused and leaves the
//! target empty; and a backup moves between SQLite and PostgreSQL.

use crate::helpers::*;
use haven_core::backup::{Dumped, Erased};
use haven_core::ids::{OrgId, PersonId, UserId};
use haven_core::{Actor, Ctx, Error, Role};
use serde_json::json;
use std::path::{Path, PathBuf};

/// A new age identity, as `haven backup-identity` makes it: its file and its public key.
pub(crate) fn identity(dir: &Path) -> (PathBuf, age::x25519::Recipient) {
    let path = dir.join(format!("identity-{}.txt", uuid::Uuid::new_v4().simple()));
    let public = haven::backup::new_identity(&path).unwrap();
    assert!(
        haven::backup::new_identity(&path).is_err(),
        "never overwrites"
    );
    let mut parsed = haven::backup::recipients(&[public], &[]).unwrap();
    (path, parsed.remove(0))
}

pub(crate) fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("haven-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An empty target: a data directory holding a copy of `keys_from`'s key file (what the
/// operator keeps), and a database of the test's engine.
pub(crate) async fn target(keys_from: &Path) -> (PathBuf, String) {
    let data = scratch().join("restored");
    haven::create_data_dir(&data).unwrap();
    std::fs::copy(haven::key_path(keys_from), haven::key_path(&data)).unwrap();
    let url = database(&data).await;
    (data, url)
}

/// Runs the binary (off the runtime's thread, so the server keeps answering).
async fn run(args: Vec<String>) -> (bool, String) {
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(&args)
            .env_remove("HAVEN_KEYS")
            .env_remove("HAVEN_ERASED_LOG")
            .env("HAVEN_LOG", "error")
            .output()
            .expect("run haven")
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

pub(crate) async fn restore_cli(
    data: &Path,
    url: &str,
    from: &Path,
    identity: &Path,
    extra: &[&str],
) -> (bool, String) {
    let mut args: Vec<String> = vec!["restore".into(), "--data".into()];
    args.push(data.display().to_string());
    args.extend(["--database-url".into(), url.to_owned(), "--from".into()]);
    args.push(from.display().to_string());
    args.push("--identity".into());
    args.push(identity.display().to_string());
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    run(args).await
}

/// The target's database, opened as a server would (migrations are a no-op after a restore).
pub(crate) async fn open(data: &Path, url: &str) -> Ctx {
    haven::open(data, Some(url)).await.expect("open the target")
}

/// Rows per table, every Haven table.
async fn counts(ctx: &Ctx) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in ctx.db.table_names().await.unwrap() {
        if t == "schema_migrations" || t.starts_with("sqlite_") {
            continue;
        }
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&ctx.db.pool)
            .await
            .unwrap();
        out.push((t, n));
    }
    out
}

/// Every table as the backup held it, but for the sessions (everyone signs in again); the
/// restore adds one audit event, its own.
async fn assert_restored(ctx: &Ctx, dumped: &Dumped) {
    for (table, n) in counts(ctx).await {
        let backed_up = dumped.tables.iter().find(|(t, _)| *t == table).unwrap().1 as i64;
        let expected = match table.as_str() {
            "sessions" => 0,
            "audit_events" => backed_up + 1,
            _ => backed_up,
        };
        assert_eq!(n, expected, "{table}");
    }
}

async fn is_empty(ctx: &Ctx) -> bool {
    haven_core::backup::check_empty(&ctx.db).await.is_ok()
}

#[derive(sqlx::FromRow)]
struct Owned {
    id: PersonId,
    owner_org: OrgId,
}

/// Reads every person through the core, as a case manager of their organisation: the
/// number read, and the ids that are erased.
async fn read_everyone(ctx: &Ctx) -> (usize, Vec<PersonId>) {
    let rows: Vec<Owned> = sqlx::query_as("SELECT id, owner_org FROM persons")
        .fetch_all(&ctx.db.pool)
        .await
        .unwrap();
    let (mut read, mut erased) = (0, Vec::new());
    for r in rows {
        let actor = Actor::staff(UserId::new(), r.owner_org, vec![Role::CaseManager]);
        match haven_core::people::get(ctx, &actor, r.id).await {
            Ok(_) => read += 1,
            Err(Error::Erased) => erased.push(r.id),
            Err(e) => panic!("person {} does not read back: {e:#}", r.id),
        }
    }
    (read, erased)
}

/// Demo data (organisations, staff, persons, cases, shelters, referrals, outreach), then
/// a backup taken while a case manager registers persons through the API.
async fn backed_up_while_writing(
    app: &TestApp,
    file: &Path,
    to: &age::x25519::Recipient,
) -> Dumped {
    haven::demo::seed_if_empty(&app.ctx, 40, 0, 0)
        .await
        .unwrap();
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, url, t) = (stop.clone(), app.url("/api/v1/persons"), t.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut acknowledged = 0;
            for i in 0..400 {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let r = client
                    .post(&url)
                    .bearer_auth(&t)
                    .json(&json!({"name": format!("Writer {i}"), "phone": "+31 6 1234 5678"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                acknowledged += 1;
            }
            acknowledged
        })
    };
    // Let the writer get going, then back up beside it.
    while app.count("persons WHERE sealed IS NOT NULL").await < 45 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = app.count("persons").await;
    let dumped = haven::backup::backup(&app.ctx, file, std::slice::from_ref(to))
        .await
        .expect("backup");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.unwrap();
    let persons = dumped
        .tables
        .iter()
        .find(|(t, _)| t == "persons")
        .map(|(_, n)| *n as i64)
        .unwrap();
    assert!(
        written > 0 && persons >= before,
        "the backup holds what was there before it"
    );
    dumped
}

#[tokio::test]
async fn a_backup_taken_while_writing_restores_whole_verified_and_readable() {
    let app = TestApp::spawn().await;
    let dir = scratch();
    let (id_file, recipient) = identity(&dir);
    let file = dir.join("haven.backup");
    let dumped = backed_up_while_writing(&app, &file, &recipient).await;
    // Encrypted: no sign of the database's text in the file, and no partial file left.
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    for plain in [&b"haven-backup"[..], b"organisations", b"audit_events"] {
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain),
            "plaintext in the backup"
        );
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "only the identity and the backup"
    );
    assert_eq!(app.audit_count("backup.make").await, 1);

    let (data, url) = target(&app.data).await;
    std::fs::copy(app.data.join("erased.log"), data.join("erased.log")).unwrap();
    let (ok, out) = restore_cli(&data, &url, &file, &id_file, &[]).await;
    assert!(ok, "{out}");
    assert!(out.contains("The audit chain is intact"), "{out}");
    let ctx = open(&data, &url).await;
    let sessions = dumped
        .tables
        .iter()
        .find(|(t, _)| t == "sessions")
        .unwrap()
        .1;
    assert!(sessions > 0, "the backup held sessions");
    assert_restored(&ctx, &dumped).await;
    let (ok, out) = run(vec![
        "audit".into(),
        "verify".into(),
        "--data".into(),
        data.display().to_string(),
        "--database-url".into(),
        url.clone(),
    ])
    .await;
    assert!(ok && out.contains("intact"), "{out}");
    let (read, erased) = read_everyone(&ctx).await;
    assert!(
        erased.is_empty()
            && read as u64
                == dumped
                    .tables
                    .iter()
                    .find(|(t, _)| t == "persons")
                    .unwrap()
                    .1
    );
    // A second restore into the now full target is refused and changes nothing.
    let before = counts(&ctx).await;
    let (ok, out) = restore_cli(&data, &url, &file, &id_file, &[]).await;
    assert!(!ok && out.contains("not empty"), "{out}");
    assert_eq!(counts(&ctx).await, before);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}

#[tokio::test]
async fn a_person_erased_after_the_backup_stays_erased_after_a_restore() {
    let app = TestApp::spawn().await;
    let dir = scratch();
    let (id_file, recipient) = identity(&dir);
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    let gone = app
        .register(
            &t,
            json!({"name": "Canary Restored", "phone": "+31 6 5555 0101"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let kept = app.register(&t, json!({"name": "Stays Readable"})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrapped: String = app
        .scalar("SELECT data_key FROM persons WHERE id = $1", gone.as_str())
        .await;
    // An outreach contact of a team that keeps contacts for a month.
    let worker = app.user("Crossroads", &["outreach_worker"]).await;
    app.keep_persons_for(worker.org, 1).await;
    let wt = app.token(&worker).await;
    let contact = app.street_contact(&wt).await;
    let file = dir.join("before-erasure.backup");
    haven::backup::backup(&app.ctx, &file, &[recipient])
        .await
        .unwrap();
    // After the backup: the person erased by hand, the contact by retention.
    assert_eq!(
        app.delete(&t, &format!("/api/v1/persons/{gone}")).await.0,
        204
    );
    app.clock.advance(40 * 86_400);
    assert_eq!(app.sweep().await.contacts, vec![(worker.org, 1)]);
    let list = Erased::read(&app.data.join("erased.log")).unwrap();
    assert!(
        list.contacts.contains(&contact),
        "the contact's erasure is on the list"
    );
    assert!(list.persons.contains(&gone), "the erasure is on the list");

    // Without the list, the restore is refused: it would bring the person back.
    let (data, url) = target(&app.data).await;
    let (ok, out) = restore_cli(&data, &url, &file, &id_file, &[]).await;
    assert!(!ok && out.contains("no erasure list"), "{out}");
    // The operator's copy of the list, in its usual place.
    std::fs::copy(app.data.join("erased.log"), data.join("erased.log")).unwrap();
    let (ok, out) = restore_cli(&data, &url, &file, &id_file, &[]).await;
    assert!(ok, "{out}");
    assert!(
        out.contains("1 persons and 1 outreach contacts erased again"),
        "{out}"
    );
    let ctx = open(&data, &url).await;
    let (read, erased) = read_everyone(&ctx).await;
    assert_eq!(erased, vec![gone.parse::<PersonId>().unwrap()]);
    assert!(read >= 1);
    let tokens: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM person_name_tokens WHERE person_id = $1")
            .bind(gone.as_str())
            .fetch_one(&ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(tokens, 0, "no name tokens of the erased person");
    let contact_left: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outreach_contacts WHERE id = $1 AND data_key IS NULL \
         AND sealed IS NULL",
    )
    .bind(contact.as_str())
    .fetch_one(&ctx.db.pool)
    .await
    .unwrap();
    let aliases: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outreach_alias_tokens WHERE contact_id = $1")
            .bind(contact.as_str())
            .fetch_one(&ctx.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (contact_left, aliases),
        (1, 0),
        "the contact erased again, its counts kept"
    );
    let kept_key: Option<String> = sqlx::query_scalar("SELECT data_key FROM persons WHERE id = $1")
        .bind(kept.as_str())
        .fetch_one(&ctx.db.pool)
        .await
        .unwrap();
    assert!(kept_key.is_some(), "the others keep their keys");
    let logged: String = sqlx::query_scalar(
        "SELECT object_ids FROM audit_events WHERE action = 'person.erase_reapplied'",
    )
    .fetch_one(&ctx.db.pool)
    .await
    .unwrap();
    assert_eq!(logged, gone);
    // The wrapped key never reached the target's files.
    if ctx.db.backend == haven_core::db::Backend::Sqlite {
        let mut files = std::fs::read(data.join("haven.db")).unwrap();
        files.extend(std::fs::read(data.join("haven.db-wal")).unwrap_or_default());
        assert!(
            !files
                .windows(wrapped.len())
                .any(|w| w == wrapped.as_bytes()),
            "the erased person's wrapped key is in the restored files"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}

#[tokio::test]
async fn a_damaged_foreign_or_misdirected_backup_is_refused_and_the_target_stays_empty() {
    let app = TestApp::spawn().await;
    haven::demo::seed_if_empty(&app.ctx, 40, 0, 0)
        .await
        .unwrap();
    let dir = scratch();
    let (id_file, recipient) = identity(&dir);
    let (other_id, _) = identity(&dir);
    let file = dir.join("haven.backup");
    haven::backup::backup(&app.ctx, &file, &[recipient])
        .await
        .unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes.len() > 3 * 65536,
        "the backup spans several age chunks ({} bytes)",
        bytes.len()
    );
    let (data, url) = target(&app.data).await;
    std::fs::copy(app.data.join("erased.log"), data.join("erased.log")).unwrap();
    let ctx = open(&data, &url).await;
    let refuse = |path: PathBuf, identity: PathBuf, expect: &'static str| {
        let (data, url) = (data.clone(), url.clone());
        async move {
            let (ok, out) = restore_cli(&data, &url, &path, &identity, &[]).await;
            assert!(!ok, "restored: {out}");
            assert!(out.contains(expect), "expected {expect:?} in: {out}");
        }
    };
    // Another identity.
    refuse(file.clone(), other_id, "not encrypted to the identity").await;
    assert!(is_empty(&ctx).await);
    // One byte changed near the end: the rows before it were loaded, then rolled back.
    let mut changed = bytes.clone();
    let at = changed.len() - 100;
    changed[at] ^= 0x01;
    let tampered = dir.join("tampered.backup");
    std::fs::write(&tampered, &changed).unwrap();
    refuse(tampered, id_file.clone(), "changed, damaged or cut short").await;
    assert!(is_empty(&ctx).await, "nothing half-restored");
    // Cut short.
    let cut = dir.join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    refuse(cut, id_file.clone(), "changed, damaged or cut short").await;
    assert!(is_empty(&ctx).await);
    // Not a backup at all.
    let junk = dir.join("junk.backup");
    std::fs::write(&junk, b"hello").unwrap();
    refuse(junk, id_file.clone(), "not an age-encrypted backup").await;
    // Another installation's key file: the chain does not verify, nothing stays.
    haven_core::crypto::Keyring::generate()
        .save(&haven::key_path(&data))
        .unwrap();
    refuse(
        file.clone(),
        id_file.clone(),
        "does not verify with this key file",
    )
    .await;
    assert!(is_empty(&ctx).await);
    // Into the source itself: not empty.
    let (ok, out) = restore_cli(&app.data, &app.db_url, &file, &id_file, &[]).await;
    assert!(!ok && out.contains("not empty"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}

/// A backup taken on one engine restores into the other, both ways (in the PostgreSQL
/// pass of the suite, which has both engines).
#[tokio::test]
async fn a_backup_moves_between_sqlite_and_postgresql() {
    if backend() != "postgres" {
        return;
    }
    let app = TestApp::spawn().await;
    haven::demo::seed_if_empty(&app.ctx, 40, 0, 0)
        .await
        .unwrap();
    let dir = scratch();
    let (id_file, recipient) = identity(&dir);
    // PostgreSQL → SQLite.
    let file = dir.join("pg.backup");
    let dumped = haven::backup::backup(&app.ctx, &file, std::slice::from_ref(&recipient))
        .await
        .unwrap();
    let sqlite = dir.join("sqlite");
    haven::create_data_dir(&sqlite).unwrap();
    std::fs::copy(haven::key_path(&app.data), haven::key_path(&sqlite)).unwrap();
    let sqlite_url = format!("sqlite://{}?mode=rwc", sqlite.join("haven.db").display());
    let (ok, out) = restore_cli(
        &sqlite,
        &sqlite_url,
        &file,
        &id_file,
        &["--no-erasure-list"],
    )
    .await;
    assert!(ok, "{out}");
    let lite = open(&sqlite, &sqlite_url).await;
    assert_eq!(lite.db.backend, haven_core::db::Backend::Sqlite);
    let (read, _) = read_everyone(&lite).await;
    assert_eq!(
        read as u64,
        dumped
            .tables
            .iter()
            .find(|(t, _)| t == "persons")
            .unwrap()
            .1
    );
    // … and that SQLite database back into PostgreSQL.
    let file2 = dir.join("sqlite.backup");
    let again = haven::backup::backup(&lite, &file2, &[recipient])
        .await
        .unwrap();
    let (data, url) = target(&sqlite).await;
    let (ok, out) = restore_cli(&data, &url, &file2, &id_file, &["--no-erasure-list"]).await;
    assert!(ok, "{out}");
    let pg = open(&data, &url).await;
    assert_eq!(pg.db.backend, haven_core::db::Backend::Postgres);
    assert_restored(&pg, &again).await;
    assert!(haven_core::audit::verify(&pg)
        .await
        .unwrap()
        .problems
        .is_empty());
    let (read, _) = read_everyone(&pg).await;
    assert_eq!(
        read as u64,
        dumped
            .tables
            .iter()
            .find(|(t, _)| t == "persons")
            .unwrap()
            .1
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}
