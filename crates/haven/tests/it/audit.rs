//! The audit chain: written with the work, and tampering is detected.

use crate::helpers::*;
use serde_json::json;

async fn app_with_events() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    let mut last = String::new();
    for name in ["Amina", "Farid", "Olena"] {
        let p = app.register(&t, json!({"name": name})).await;
        last = p["id"].as_str().unwrap().to_owned();
        app.get(&t, &format!("/api/v1/persons/{last}")).await;
    }
    (app, last)
}

/// An audit event as stored, less its sequence number.
#[derive(sqlx::FromRow)]
struct Event {
    at: i64,
    actor_id: String,
    action: String,
    object_ids: String,
    actor_roles: String,
    mac: String,
}

const EVENT: &str = "SELECT at, actor_id, action, object_ids, actor_roles, mac FROM audit_events";

#[tokio::test]
async fn reading_a_person_writes_an_event_without_personal_data() {
    let (app, id) = app_with_events().await;
    let rows: Vec<Event> = app
        .rows(&format!(
            "{EVENT} WHERE action = 'person.read' ORDER BY seq"
        ))
        .await;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2].object_ids, id);
    assert_eq!(rows[2].actor_roles, "case_manager");
    let all: Vec<String> = sqlx::query_scalar(
        "SELECT actor_id || action || object_type || object_ids || actor_roles FROM audit_events",
    )
    .fetch_all(&app.ctx.db.pool)
    .await
    .unwrap();
    for row in all {
        for name in ["Amina", "Farid", "Olena"] {
            assert!(!row.contains(name));
        }
    }
    let out = app.haven(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn verify(app: &TestApp) -> Vec<haven_core::audit::Problem> {
    haven_core::audit::verify(&app.ctx).await.unwrap().problems
}

#[tokio::test]
async fn an_edited_event_is_detected_and_named() {
    let (app, _) = app_with_events().await;
    assert!(verify(&app).await.is_empty());
    app.exec(
        "UPDATE audit_events SET action = 'person.list' WHERE seq = 4",
        &[],
    )
    .await;
    assert_eq!(
        verify(&app).await,
        vec![haven_core::audit::Problem::Altered { seq: 4 }]
    );
    let out = app.haven(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("event 4 was altered"), "{text}");
}

#[tokio::test]
async fn a_deleted_event_is_detected() {
    let (app, _) = app_with_events().await;
    app.exec("DELETE FROM audit_events WHERE seq = 3", &[])
        .await;
    let problems = verify(&app).await;
    assert!(
        problems.contains(&haven_core::audit::Problem::Missing { from: 3, to: 3 }),
        "{problems:?}"
    );
    // Deleting the newest events is caught by the head.
    let max: i64 = app.value("SELECT MAX(seq) FROM audit_events").await;
    sqlx::query("DELETE FROM audit_events WHERE seq = $1")
        .bind(max)
        .execute(&app.ctx.db.pool)
        .await
        .unwrap();
    assert!(verify(&app)
        .await
        .iter()
        .any(|p| matches!(p, haven_core::audit::Problem::Truncated { .. })));
}

#[tokio::test]
async fn reordered_events_are_detected() {
    let (app, _) = app_with_events().await;
    // Swap the contents of events 2 and 3 (keeping their sequence numbers).
    let rows: Vec<Event> = app
        .rows(&format!("{EVENT} WHERE seq IN (2, 3) ORDER BY seq"))
        .await;
    for (target, src) in [(2i64, &rows[1]), (3, &rows[0])] {
        sqlx::query("UPDATE audit_events SET at = $1, actor_id = $2, action = $3, object_ids = $4, mac = $5 WHERE seq = $6")
            .bind(src.at)
            .bind(&src.actor_id)
            .bind(&src.action)
            .bind(&src.object_ids)
            .bind(&src.mac)
            .bind(target)
            .execute(&app.ctx.db.pool)
            .await
            .unwrap();
    }
    let problems = verify(&app).await;
    assert!(
        problems.contains(&haven_core::audit::Problem::Altered { seq: 2 }),
        "{problems:?}"
    );
}

#[tokio::test]
async fn work_rolled_back_leaves_no_event() {
    let (app, _) = app_with_events().await;
    let before = app.count("audit_events").await;
    let u = app.user("Org A", &["case_manager"]).await;
    let after_user = app.count("audit_events").await;
    assert_eq!(after_user, before + 1, "creating a user is audited");
    let t = app.token(&u).await;
    // Invalid input fails before anything is written; an id that is not visible fails
    // inside the transaction, which is rolled back with its event.
    let r = TestApp::client()
        .get(app.url(&format!("/api/v1/persons/{}", uuid::Uuid::now_v7())))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(app.count("audit_events").await, after_user);
    assert!(verify(&app).await.is_empty());
}

#[tokio::test]
async fn an_anchor_reveals_events_removed_from_the_end_with_the_head() {
    let (app, _) = app_with_events().await;
    let anchors = app.data.join("anchors.jsonl");
    let path = anchors.to_str().unwrap();
    let out = app.haven(&["audit", "anchor", "--out", path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let anchored: i64 = app
        .scalar("SELECT MAX(seq) FROM audit_events WHERE $1 = $1", "x")
        .await;
    let verify = |app: &TestApp| app.haven(&["audit", "verify", "--anchor", path]);
    assert!(verify(&app).status.success());

    // Remove the last two events and roll the head back to the one before: the chain alone
    // is consistent again, but the anchor saw more.
    let keep = anchored - 2;
    let mac: String = app
        .scalar(
            "SELECT mac FROM audit_events WHERE seq = CAST($1 AS BIGINT)",
            &keep.to_string(),
        )
        .await;
    app.exec(
        "DELETE FROM audit_events WHERE seq > CAST($1 AS BIGINT)",
        &[&keep.to_string()],
    )
    .await;
    app.exec(
        "UPDATE audit_head SET seq = CAST($1 AS BIGINT), mac = $2 WHERE id = 1",
        &[&keep.to_string(), &mac],
    )
    .await;
    assert!(
        app.haven(&["audit", "verify"]).status.success(),
        "without the anchor it looks whole"
    );
    let out = verify(&app);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("removed from the end"), "{text}");

    // An anchor edited to hide that fails its own check.
    let edited = std::fs::read_to_string(&anchors)
        .unwrap()
        .replace(&format!("\"seq\":{anchored}"), &format!("\"seq\":{keep}"));
    std::fs::write(&anchors, edited).unwrap();
    let out = verify(&app);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("not genuine"));
}
