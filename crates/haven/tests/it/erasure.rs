//! An erased person cannot be brought back from the live database's files: neither their
//! wrapped data key nor their sealed record is left in SQLite's database file or its
//! write-ahead log, nor in PostgreSQL's pages of the persons table.

use crate::helpers::*;
use serde_json::json;

/// The person's wrapped data key and sealed record as stored.
#[derive(sqlx::FromRow)]
struct Stored {
    data_key: Option<String>,
    sealed: Option<Vec<u8>>,
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The bytes an attacker with the files would look for: the wrapped key, and a stretch of
/// the sealed record (long enough to be unique, short enough to survive in a page).
fn secrets(s: &Stored) -> Vec<Vec<u8>> {
    let key = s.data_key.clone().expect("a data key").into_bytes();
    let sealed = s.sealed.clone().expect("a sealed record");
    vec![key, sealed[..32.min(sealed.len())].to_vec()]
}

/// Every byte of the persons table's pages as PostgreSQL holds them (pageinspect).
async fn pg_pages(app: &TestApp) -> Vec<u8> {
    app.exec(
        "CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public",
        &[],
    )
    .await;
    let pages: i64 = app
        .scalar(
            "SELECT (pg_relation_size($1::regclass) / 8192)::BIGINT",
            "persons",
        )
        .await;
    let mut all = Vec::new();
    for n in 0..pages {
        let page: Vec<u8> =
            sqlx::query_scalar(&format!("SELECT public.get_raw_page('persons', {n}::INT)"))
                .fetch_one(&app.ctx.db.pool)
                .await
                .unwrap();
        all.extend(page);
    }
    all
}

/// The SQLite database file and its write-ahead log, as they are on disk.
fn sqlite_files(app: &TestApp) -> Vec<u8> {
    let mut all = std::fs::read(app.data.join("haven.db")).unwrap();
    if let Ok(wal) = std::fs::read(app.data.join("haven.db-wal")) {
        all.extend(wal);
    }
    all
}

#[tokio::test]
async fn an_erased_person_leaves_nothing_recoverable_in_the_database_files() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let t = app.token(&u).await;
    let p = app
        .register(
            &t,
            json!({"name": "Canary Erasure", "phone": "+31 6 9999 0000",
                   "residence_status": "undocumented", "notes": "to be erased"}),
        )
        .await;
    let id = p["id"].as_str().unwrap().to_owned();
    // More persons around the canary, as in a real database.
    for i in 0..20 {
        app.register(&t, json!({"name": format!("Neighbour {i}")}))
            .await;
    }
    let stored: Stored = sqlx::query_as("SELECT data_key, sealed FROM persons WHERE id = $1")
        .bind(id.as_str())
        .fetch_one(&app.ctx.db.pool)
        .await
        .unwrap();
    let secrets = secrets(&stored);
    let files = || async {
        if app.is_postgres() {
            pg_pages(&app).await
        } else {
            sqlite_files(&app)
        }
    };
    let before = files().await;
    assert!(
        secrets.iter().all(|s| contains(&before, s)),
        "the test must find the secrets before the erasure"
    );
    assert_eq!(
        app.delete(&t, &format!("/api/v1/persons/{id}")).await.0,
        204
    );
    // SQLite: at once. PostgreSQL: a vacuum cannot remove a row version that another
    // transaction (here: the other tests') may still see, so the erasure vacuums again
    // moments later; give it that long.
    let mut left = Vec::new();
    for _ in 0..if app.is_postgres() { 40 } else { 1 } {
        let after = files().await;
        left = ["wrapped data key", "sealed record"]
            .iter()
            .zip(&secrets)
            .filter(|(_, s)| contains(&after, s))
            .map(|(what, _)| *what)
            .collect();
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(
        left.is_empty(),
        "the erased person's {left:?} still in the files"
    );
}
