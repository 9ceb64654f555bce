//! Archiving old audit events into sealed, signed files, verifying from the checkpoint,
//! and sending an anchor to a URL.

use crate::helpers::*;
use haven_core::audit::Problem;
use haven_core::audit_archive::{self, ArchiveFile};
use haven_core::Clock;
use serde_json::json;

/// An app with events 100 days old and newer ones; returns it and the last old event.
pub(crate) async fn app_with_old_events() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    for name in ["Amina", "Farid", "Olena"] {
        let p = app.register(&t, json!({"name": name})).await;
        app.get(
            &t,
            &format!("/api/v1/persons/{}", p["id"].as_str().unwrap()),
        )
        .await;
    }
    let old: i64 = app.value("SELECT MAX(seq) FROM audit_events").await;
    app.clock.advance(100 * 86_400);
    // The first session has expired meanwhile.
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    for name in ["Semhar", "Yonas"] {
        app.register(&t, json!({"name": name})).await;
    }
    (app, old)
}

fn archive_dir(app: &TestApp) -> std::path::PathBuf {
    let dir = app.data.join("archive");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Archives what is older than two months; returns the file.
pub(crate) async fn archive(app: &TestApp) -> (std::path::PathBuf, i64) {
    let before = audit_archive::cutoff(app.clock.now_ts(), 2);
    let a = audit_archive::archive(&app.ctx, before, &archive_dir(app))
        .await
        .unwrap()
        .expect("something to archive");
    assert_eq!(a.first_seq, 1);
    (a.path, a.last_seq)
}

pub(crate) fn out(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn old_events_move_to_an_archive_and_the_chain_verifies_from_the_checkpoint() {
    let (app, old) = app_with_old_events().await;
    let anchor = haven_core::audit::anchor(&app.ctx).await.unwrap();
    let total = app.count("audit_events").await;
    let (file, last) = archive(&app).await;
    assert_eq!(last, old, "exactly the events older than the period");
    // The old events left; the archival itself is an event.
    assert_eq!(app.count("audit_events").await, total - old + 1);
    assert_eq!(app.audit_count("audit.archive").await, 1);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains("person.read") && !text.contains("case_manager"),
        "sealed"
    );
    let report = haven_core::audit::verify(&app.ctx).await.unwrap();
    assert_eq!((report.problems, report.checkpoint), (vec![], Some(old)));
    let o = app.haven(&["audit", "verify"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains(&format!("Events up to {old} were archived")));
    let o = app.haven(&["audit", "verify-archive", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("intact"), "{}", out(&o));
    // An anchor taken before still checks; nothing more is old enough.
    assert!(haven_core::audit::check_anchors(&app.ctx, &[anchor], None)
        .await
        .unwrap()
        .is_empty());
    let before = audit_archive::cutoff(app.clock.now_ts(), 2);
    assert!(audit_archive::archive(&app.ctx, before, &archive_dir(&app))
        .await
        .unwrap()
        .is_none());

    // A second archive continues the first; both check together.
    app.clock.advance(100 * 86_400);
    let (_, t) = app.staff("Org B", &["case_manager"]).await;
    app.register(&t, json!({"name": "Dawit"})).await;
    let before = audit_archive::cutoff(app.clock.now_ts(), 2);
    let second = audit_archive::archive(&app.ctx, before, &archive_dir(&app))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.first_seq, old + 1);
    let files = [file.to_str().unwrap(), second.path.to_str().unwrap()];
    let o = app.haven(&["audit", "verify-archive", files[0], files[1]]);
    assert!(o.status.success(), "{}", out(&o));
    // The older file alone does not end at the checkpoint any more, which is no fault.
    let o = app.haven(&["audit", "verify-archive", files[0]]);
    assert!(o.status.success(), "{}", out(&o));
    // The newer alone, without the older: fine too; but the chain holds in the database.
    assert!(app.haven(&["audit", "verify"]).status.success());
}

#[tokio::test]
async fn a_tampered_archive_is_named() {
    let (app, _) = app_with_old_events().await;
    let (file, _) = archive(&app).await;
    let path = file.to_str().unwrap();
    let original: ArchiveFile =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let verify = || app.haven(&["audit", "verify-archive", path]);

    // The public part edited: the signature no longer matches.
    let mut f = original.clone();
    f.last_seq -= 1;
    std::fs::write(&file, serde_json::to_string(&f).unwrap()).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("signature does not match"), "{}", out(&o));

    // A byte of the sealed events changed.
    let mut f = original.clone();
    // (Flip the character at that place itself: comparing another one left it unchanged
    // one time in 64.)
    let at = f.sealed.len() - 8;
    let flip = if &f.sealed[at..at + 1] == "A" {
        "B"
    } else {
        "A"
    };
    f.sealed.replace_range(at..at + 1, flip);
    std::fs::write(&file, serde_json::to_string(&f).unwrap()).unwrap();
    assert!(out(&verify()).contains("signature does not match"));

    // Re-sealed and re-signed with the key file but one event edited: the chain inside
    // names it.
    let mut events = original.open(&app.ctx).unwrap();
    events[2].event.action = "person.list".into();
    let f = ArchiveFile::seal(&app.ctx, "", &events).unwrap();
    std::fs::write(&file, serde_json::to_string(&f).unwrap()).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("event 3 was altered"), "{}", out(&o));

    // One event left out: named as missing.
    let mut events = original.open(&app.ctx).unwrap();
    events.remove(1);
    let f = ArchiveFile::seal(&app.ctx, "", &events).unwrap();
    std::fs::write(&file, serde_json::to_string(&f).unwrap()).unwrap();
    assert!(out(&verify()).contains("events 2 to 2 are missing"));

    // The genuine file checks again.
    std::fs::write(&file, serde_json::to_string(&original).unwrap()).unwrap();
    assert!(verify().status.success());
}

#[tokio::test]
async fn events_deleted_after_the_checkpoint_or_a_moved_checkpoint_are_named() {
    let (app, _) = app_with_old_events().await;
    let (file, cut) = archive(&app).await;
    app.exec(
        "DELETE FROM audit_events WHERE seq IN (CAST($1 AS BIGINT), CAST($2 AS BIGINT))",
        &[&(cut + 1).to_string(), &(cut + 2).to_string()],
    )
    .await;
    let problems = haven_core::audit::verify(&app.ctx).await.unwrap().problems;
    assert!(
        problems.contains(&Problem::Missing {
            from: cut + 1,
            to: cut + 2
        }),
        "{problems:?}"
    );
    let o = app.haven(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains(&format!("events {} to {} are missing", cut + 1, cut + 2)));

    // Moving the checkpoint over the gap would hide it, but the row is signed.
    app.exec(
        "UPDATE audit_checkpoint SET seq = CAST($1 AS BIGINT)",
        &[&(cut + 2).to_string()],
    )
    .await;
    let problems = haven_core::audit::verify(&app.ctx).await.unwrap().problems;
    assert!(
        problems.contains(&Problem::CheckpointForged { seq: cut + 2 }),
        "{problems:?}"
    );
    // The archive check sees it too.
    let o = app.haven(&["audit", "verify-archive", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("checkpoint (at event"), "{}", out(&o));
    // Put back, with the archive's end: the archive ends at the checkpoint again, while the
    // events deleted after it stay named.
    app.exec(
        "UPDATE audit_checkpoint SET seq = CAST($1 AS BIGINT)",
        &[&cut.to_string()],
    )
    .await;
    assert!(app
        .haven(&["audit", "verify-archive", file.to_str().unwrap()])
        .status
        .success());
    assert!(!app.haven(&["audit", "verify"]).status.success());
}

#[tokio::test]
async fn haven_audit_archive_archives_what_is_past_the_legal_period() {
    let (app, _) = app_with_old_events().await;
    let dir = archive_dir(&app);
    let d = dir.to_str().unwrap();
    // The command runs on the system clock; the test's clock is 100 days ahead of it.
    let o = app.haven(&["audit", "archive", "--keep-months", "1", "--out", d]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("No audit events older than 1 months"),
        "{}",
        out(&o)
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let o = app.haven(&["audit", "archive", "--keep-months", "0", "--out", d]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("Archived events 1 to"), "{}", out(&o));
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(app
        .haven(&["audit", "verify-archive", file.to_str().unwrap()])
        .status
        .success());
    assert!(app.haven(&["audit", "verify"]).status.success());
}

/// A listener on 127.0.0.1 that answers one request with `status` and hands over its body.
async fn listener(status: u16) -> (String, tokio::task::JoinHandle<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/anchors", l.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).await.unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= len || n == 0 {
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    s.write_all(answer.as_bytes()).await.unwrap();
                    return format!("{}\n{body}", head.lines().next().unwrap());
                }
            }
        }
    });
    (url, task)
}

/// Runs `haven` off the test's runtime, so the listener keeps answering.
async fn haven(app: &TestApp, args: &[&str]) -> std::process::Output {
    let (data, url) = (app.data.clone(), app.db_url.clone());
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(&args)
            .arg("--data")
            .arg(&data)
            .arg("--database-url")
            .arg(&url)
            .env_remove("HAVEN_KEYS")
            .env_remove("HAVEN_ANCHOR_URL")
            .env("HAVEN_LOG", "error")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn an_anchor_is_posted_to_a_url_and_a_refusal_is_an_error() {
    let (app, _) = app_with_old_events().await;
    let (url, got) = listener(201).await;
    let o = haven(&app, &["audit", "anchor", "--to", &url]).await;
    assert!(o.status.success(), "{}", out(&o));
    let request = got.await.unwrap();
    let (line, body) = request.split_once('\n').unwrap();
    assert_eq!(line, "POST /anchors HTTP/1.1");
    let anchor: haven_core::audit::Anchor = serde_json::from_str(body).unwrap();
    let head: i64 = app.value("SELECT seq FROM audit_head").await;
    assert_eq!(anchor.seq, head);
    assert!(
        haven_core::audit::check_anchors(&app.ctx, &[anchor], None)
            .await
            .unwrap()
            .is_empty(),
        "the posted anchor is genuine"
    );

    let (url, got) = listener(500).await;
    let o = haven(&app, &["audit", "anchor", "--to", &url]).await;
    got.await.unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).contains("refused the anchor: HTTP 500"),
        "{}",
        out(&o)
    );

    let o = haven(
        &app,
        &["audit", "anchor", "--to", "ftp://127.0.0.1/anchors"],
    )
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("http:// or https://"), "{}", out(&o));

    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", free.local_addr().unwrap());
    drop(free);
    let o = haven(&app, &["audit", "anchor", "--to", &url]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("could not be sent"), "{}", out(&o));
}
