//! Migrations are immutable once landed: a database that ran a migration never runs it
//! again, so an edit to a landed file would reach new installations only, and old and new
//! databases would silently differ. `crates/haven-core/migrations/CHECKSUMS` holds the
//! SHA-256 of every landed migration in `sha256sum` form; this test fails, naming the file,
//! when a listed migration is edited or deleted, or when a migration is not listed yet.
//! A change to the schema is a new migration; list it with
//! `cd crates/haven-core/migrations && sha256sum NNNN_name.sql >> CHECKSUMS`.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn migrations() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../haven-core/migrations")
}

/// The committed list: file name to its SHA-256 in lower-case hex.
fn checksums() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(migrations().join("CHECKSUMS")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (sum, file) = l
                .split_once("  ")
                .unwrap_or_else(|| panic!("CHECKSUMS: `{l}` is not `sha256  file`"));
            (file.trim().to_owned(), sum.trim().to_owned())
        })
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

#[test]
fn landed_migrations_are_never_edited_or_deleted_and_new_ones_are_listed() {
    let listed = checksums();
    let mut problems = Vec::new();
    for (file, want) in &listed {
        match std::fs::read(migrations().join(file)) {
            Ok(bytes) if sha256(&bytes) == *want => {}
            Ok(_) => problems.push(format!(
                "{file} was edited after it landed: restore it and put the change in a new \
                 migration"
            )),
            Err(_) => problems.push(format!(
                "{file} was deleted after it landed: restore it (a landed migration stays)"
            )),
        }
    }
    for entry in std::fs::read_dir(migrations()).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if file.ends_with(".sql") && !listed.contains_key(&file) {
            problems.push(format!(
                "{file} is not in CHECKSUMS: add it with `sha256sum {file} >> CHECKSUMS`"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn servers_starting_together_migrate_once_and_check_says_what_would_run() {
    let dir = std::env::temp_dir().join(format!("haven-migrate-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = crate::helpers::database(&dir).await;
    let db = |url: String| async move { haven_core::db::Db::connect(&url).await.unwrap() };
    let (a, b, c) = tokio::join!(db(url.clone()), db(url.clone()), db(url.clone()));
    let all = a.pending_migrations().await.unwrap();
    assert!(all.len() > 10, "a new database has every migration to run");
    // `haven migrate --check` says so and exits with 1, changing nothing.
    let check = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(["migrate", "--check", "--data"])
            .arg(&dir)
            .arg("--database-url")
            .arg(&url)
            .env("HAVEN_LOG", "error")
            .output()
            .unwrap()
    };
    let out = check();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("0001 foundation"), "{said}");
    assert_eq!(a.pending_migrations().await.unwrap().len(), all.len());
    // Three servers at once on PostgreSQL (one process owns an SQLite file, so there one
    // after the other): each migration runs once, none fails half-way.
    let (ra, rb, rc) = if a.backend == haven_core::db::Backend::Postgres {
        tokio::join!(a.migrate(), b.migrate(), c.migrate())
    } else {
        (a.migrate().await, b.migrate().await, c.migrate().await)
    };
    let mut ran: Vec<i64> = [ra.unwrap(), rb.unwrap(), rc.unwrap()].concat();
    ran.sort();
    let want: Vec<i64> = all.iter().map(|(v, _)| *v).collect();
    assert_eq!(ran, want);
    assert!(a.pending_migrations().await.unwrap().is_empty());
    let out = check();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
    let _ = std::fs::remove_dir_all(&dir);
}
