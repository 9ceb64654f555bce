//! The audit log's retention as part of the retention sweep: old events move into signed,
//! sealed files in batches, on an injected clock; an interrupted archival leaves either
//! nothing or the whole file and the checkpoint, and the chain verifies after either.

use crate::audit_archive::{app_with_old_events, out};
use crate::helpers::*;
use haven_core::audit_archive::Archival;
use haven_core::retention;
use haven_core::Clock;
use serde_json::json;
use std::path::{Path, PathBuf};

/// The files in `dir` with names ending in `ext`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.to_string_lossy().ends_with(ext));
    out.sort();
    out
}

/// Makes every write of the checkpoint fail, as a crash before the commit would.
async fn break_checkpoint(app: &TestApp, on: bool) {
    let sql: &[&str] = match (app.is_postgres(), on) {
        (false, true) => &["CREATE TRIGGER no_cp BEFORE INSERT ON audit_checkpoint \
             BEGIN SELECT RAISE(ABORT, 'injected'); END"],
        (false, false) => &["DROP TRIGGER no_cp"],
        (true, true) => &[
            "CREATE FUNCTION no_cp() RETURNS trigger AS $$ BEGIN \
             RAISE EXCEPTION 'injected'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER no_cp BEFORE INSERT ON audit_checkpoint \
             FOR EACH ROW EXECUTE FUNCTION no_cp()",
        ],
        (true, false) => &["DROP TRIGGER no_cp ON audit_checkpoint"],
    };
    for s in sql {
        app.exec(s, &[]).await;
    }
}

async fn verified(app: &TestApp) -> Option<i64> {
    let report = haven_core::audit::verify(&app.ctx).await.unwrap();
    assert_eq!(report.problems, vec![], "the chain verifies");
    report.checkpoint
}

fn verify_archive(app: &TestApp, dir: &Path) {
    let list = files(dir, ".json");
    let mut args = vec!["audit", "verify-archive"];
    args.extend(list.iter().map(|p| p.to_str().unwrap()));
    let o = app.haven(&args);
    let heads: Vec<String> = list
        .iter()
        .map(|p| {
            let f: haven_core::audit_archive::ArchiveFile =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            format!("{}: {}-{}", p.display(), f.first_seq, f.last_seq)
        })
        .collect();
    assert!(o.status.success(), "{}{heads:#?}", out(&o));
}

#[tokio::test]
async fn the_sweep_archives_old_audit_events_in_batches_and_a_crash_leaves_all_or_nothing() {
    let (app, old) = app_with_old_events().await;
    let dir = app.data.join("audit-archive");
    let a = Archival {
        keep_months: 2,
        dir: dir.clone(),
        batch: 4,
    };
    let sweep = || retention::sweep_with_audit(&app.ctx, false, Some(&a));
    let events = app.count("audit_events").await;

    // Interrupted before the commit: no file, no checkpoint, every event still there.
    break_checkpoint(&app, true).await;
    assert!(sweep().await.is_err());
    assert_eq!(
        files(&dir, ""),
        Vec::<PathBuf>::new(),
        "nothing left behind"
    );
    assert_eq!(app.count("audit_events").await, events);
    assert_eq!(verified(&app).await, None);
    break_checkpoint(&app, false).await;

    // A dry run archives nothing.
    let r = retention::sweep_with_audit(&app.ctx, true, Some(&a))
        .await
        .unwrap();
    assert_eq!((r.audit_events, files(&dir, "").len()), (0, 0));

    // The sweep: batches of four, one file and one audited transaction each.
    let r = sweep().await.unwrap();
    assert_eq!(r.audit_events, old);
    let written = files(&dir, ".json");
    assert_eq!(written.len() as i64, (old + 3) / 4, "{written:?}");
    assert_eq!(app.audit_count("audit.archive").await, written.len() as i64);
    assert_eq!(verified(&app).await, Some(old));
    verify_archive(&app, &dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    // Interrupted after the commit, before the file got its name: the next sweep names
    // it. A pending file the checkpoint does not cover (never committed) is removed.
    let last = written.last().unwrap();
    let pending = PathBuf::from(format!("{}.pending", last.display()));
    std::fs::rename(last, &pending).unwrap();
    let mut f: haven_core::audit_archive::ArchiveFile =
        serde_json::from_str(&std::fs::read_to_string(&pending).unwrap()).unwrap();
    (f.first_seq, f.last_seq) = (old + 1, old + 9);
    let stale = dir.join(format!("{}.pending", f.file_name()));
    std::fs::write(&stale, serde_json::to_string(&f).unwrap()).unwrap();
    assert_eq!(sweep().await.unwrap().audit_events, 0);
    assert!(last.exists() && !pending.exists() && !stale.exists());
    verify_archive(&app, &dir);

    // Later, through the server's own sweep task, on the injected clock.
    app.clock.advance(100 * 86_400);
    let (_, t) = app.staff("Org B", &["case_manager"]).await;
    app.register(&t, json!({"name": "Dawit"})).await;
    let head: i64 = app.value("SELECT seq FROM audit_head").await;
    app.clock.advance(100 * 86_400);
    let task = haven::start_retention(
        app.ctx.clone(),
        std::time::Duration::from_millis(50),
        Some(a.clone()),
    );
    let mut at = 0;
    for _ in 0..100 {
        at = app
            .value("SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoint")
            .await;
        if at >= head {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    task.abort();
    assert!(at >= head, "archived up to {at}, head was {head}");
    assert!(verified(&app).await >= Some(head));
    assert!(files(&dir, ".pending").is_empty());
    verify_archive(&app, &dir);
    let cutoff = haven_core::audit_archive::cutoff(app.clock.now_ts(), 2);
    let left: i64 = app
        .value(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE at < {cutoff}"
        ))
        .await;
    assert_eq!(left, 0, "nothing older than the period stays");
}

#[test]
fn the_server_takes_the_period_and_the_directory_together_or_not_at_all() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
            .args(args)
            .env_remove("HAVEN_AUDIT_KEEP_MONTHS")
            .env_remove("HAVEN_AUDIT_ARCHIVE_DIR")
            .output()
            .unwrap()
    };
    let o = run(&["serve", "--audit-keep-months", "84"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("--audit-archive-dir"), "{}", out(&o));
    let o = run(&["retention", "run", "--audit-archive-dir", "/tmp/x"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("--audit-keep-months"), "{}", out(&o));
}
