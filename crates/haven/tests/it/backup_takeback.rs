//! What was taken back after a backup stays taken back after restoring it: a public story
//! withdrawn by its speaker, a hub report purged by retention and a referral consent
//! withdrawn go on the erasure list, and the restore writes them as the withdrawal and the
//! purge left them.

use crate::backup::{identity, open, restore_cli, scratch, target};
use crate::helpers::*;
use crate::hub::{code_on, hub_officer, submit};
use crate::public_site::{editor, text};
use haven_core::backup::Erased;
use haven_core::content::{self, ItemInput};
use haven_core::people::PersonInput;
use haven_core::Clock;
use serde_json::json;

async fn count(ctx: &haven_core::Ctx, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&ctx.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_story_withdrawn_and_a_report_purged_after_the_backup_stay_gone_after_a_restore() {
    let app = TestApp::spawn().await;
    let dir = scratch();
    let (id_file, recipient) = identity(&dir);
    // A published story, and one that stays.
    let ed = editor();
    let today = app.clock.now().date();
    let story = |slug: &str| ItemInput {
        kind: "story".into(),
        slug: slug.into(),
        speaker: Some(format!("Speaker zqx-{slug}")),
        consent_on: Some(today.to_string()),
        expires_on: Some((today + time::Duration::days(400)).to_string()),
        ..Default::default()
    };
    let gone = content::create(&app.ctx, &ed, &story("gone"))
        .await
        .unwrap();
    let kept = content::create(&app.ctx, &ed, &story("kept"))
        .await
        .unwrap();
    for (id, title) in [(gone, "Zqx withdrawn words"), (kept, "Zqx kept words")] {
        content::save(&app.ctx, &ed, id, "en", &text(title))
            .await
            .unwrap();
        content::review(&app.ctx, &ed, id, "en").await.unwrap();
        content::publish(&app.ctx, &ed, id, "en").await.unwrap();
    }
    // A hub report, closed, to be purged after a month.
    let (u, officer) = hub_officer(&app).await;
    app.keep_persons_for(u.org, 1).await;
    let (_, page) = submit(&app, &app.addr, "zqx-purged-report", &[]).await;
    assert!(!code_on(&page).is_empty());
    let (_, list) = app.get(&officer, "/api/v1/hub/reports").await;
    let report = list[0]["id"].as_str().unwrap().to_owned();
    let (s, e) = app
        .post(
            &officer,
            &format!("/api/v1/hub/reports/{report}/close"),
            json!({"version": 1}),
        )
        .await;
    assert_eq!(s, 204, "{e}");

    let file = dir.join("before.backup");
    haven::backup::backup(&app.ctx, &file, &[recipient])
        .await
        .unwrap();
    // After the backup: the speaker withdraws; the report's time is up.
    content::withdraw(&app.ctx, &ed, gone).await.unwrap();
    app.clock.advance(40 * 86_400);
    assert_eq!(app.sweep().await.reports, vec![(u.org, 1)]);
    let listed = Erased::read(&app.data.join("erased.log")).unwrap();
    assert!(listed.stories.contains_key(&gone.to_string()));
    assert!(listed.reports.contains_key(&report));

    let (data, url) = target(&app.data).await;
    std::fs::copy(app.data.join("erased.log"), data.join("erased.log")).unwrap();
    let (ok, out) = restore_cli(&data, &url, &file, &id_file, &[]).await;
    assert!(ok, "{out}");
    assert!(
        out.contains("1 stories withdrawn again, 1 hub reports purged again, 0 consents"),
        "{out}"
    );
    let ctx = open(&data, &url).await;
    let gone = gone.to_string();
    let words = "SELECT COUNT(*) FROM content_translations WHERE item_id = $1 \
         AND (title <> '' OR body <> '' OR pub_body IS NOT NULL)";
    assert_eq!(count(&ctx, words, &gone).await, 0, "the words stay erased");
    assert_eq!(
        count(&ctx, words, &kept.to_string()).await,
        1,
        "the other stays"
    );
    let withdrawn = "SELECT COUNT(*) FROM content_items WHERE id = $1 \
         AND speaker IS NULL AND withdrawn_at IS NOT NULL";
    assert_eq!(count(&ctx, withdrawn, &gone).await, 1);
    let purged = "SELECT COUNT(*) FROM hub_reports WHERE id = $1 AND data_key IS NULL \
         AND sealed IS NULL AND receipt_bidx IS NULL AND purged_at IS NOT NULL";
    assert_eq!(
        count(&ctx, purged, &report).await,
        1,
        "the report stays purged"
    );
    let messages = "SELECT COUNT(*) FROM hub_report_messages WHERE report_id = $1";
    assert_eq!(count(&ctx, messages, &report).await, 0);
    for (action, id) in [
        ("content.withdraw_reapplied", &gone),
        ("hub.report.purge_reapplied", &report),
    ] {
        let logged: String =
            sqlx::query_scalar("SELECT object_ids FROM audit_events WHERE action = $1")
                .bind(action)
                .fetch_one(&ctx.db.pool)
                .await
                .unwrap();
        assert_eq!(&logged, id, "{action}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}

#[tokio::test]
async fn a_consent_or_referral_withdrawn_after_the_backup_stays_withdrawn_and_gives_no_access() {
    let app = TestApp::spawn().await;
    let dir = scratch();
    let (id_file, recipient) = identity(&dir);
    let sender = app.user("Sending Org", &["case_manager"]).await;
    let receiver = app.user("Receiving Org", &["partner_staff"]).await;
    let service = app.dir_service(receiver.org, "Walk-in clinic").await;
    let person = app
        .person(
            &sender,
            PersonInput {
                name: Some("Consent Canary".into()),
                ..Default::default()
            },
        )
        .await;
    let s_token = app.token(&sender).await;
    let (status, v) = app
        .post(
            &s_token,
            &format!("/api/v1/persons/{person}/consents"),
            json!({"to_org": receiver.org.to_string(), "purpose": "health_care",
                   "valid_until": app.in_days(30), "person_agreed": true}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let consent = v["id"].as_str().unwrap().to_owned();
    let (status, v) = app
        .post(
            &s_token,
            "/api/v1/referrals",
            json!({"consent_id": consent, "service_id": service, "reason": "A doctor"}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let referral = v["id"].as_str().unwrap().to_owned();
    // A second consent, whose referral its sender withdraws.
    let (status, v) = app
        .post(
            &s_token,
            &format!("/api/v1/persons/{person}/consents"),
            json!({"to_org": receiver.org.to_string(), "purpose": "health_care",
                   "valid_until": app.in_days(60), "person_agreed": true}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let (status, v) = app
        .post(
            &s_token,
            "/api/v1/referrals",
            json!({"consent_id": v["id"], "service_id": service, "reason": "Later"}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    let second = v["id"].as_str().unwrap().to_owned();
    let access = "SELECT COUNT(*) FROM person_access WHERE person_id = $1 AND basis = 'referral'";
    assert_eq!(count(&app.ctx, access, &person).await, 1);

    let file = dir.join("before.backup");
    haven::backup::backup(&app.ctx, &file, &[recipient])
        .await
        .unwrap();
    let path = format!("/api/v1/consents/{consent}/withdraw");
    assert_eq!(app.post(&s_token, &path, json!({})).await.0, 204);
    assert_eq!(
        count(&app.ctx, access, &person).await,
        1,
        "the second still gives access"
    );
    let path = format!("/api/v1/referrals/{second}/withdraw");
    assert_eq!(app.post(&s_token, &path, json!({})).await.0, 204);
    assert_eq!(count(&app.ctx, access, &person).await, 0);

    let (data, url) = target(&app.data).await;
    std::fs::copy(app.data.join("erased.log"), data.join("erased.log")).unwrap();
    let (ok, out) = restore_cli(&data, &url, &file, &id_file, &[]).await;
    assert!(ok, "{out}");
    assert!(
        out.contains("1 consents and 1 referrals withdrawn again"),
        "{out}"
    );
    let ctx = open(&data, &url).await;
    let withdrawn = "SELECT COUNT(*) FROM referral_consents WHERE id = $1 \
         AND withdrawn_at IS NOT NULL";
    assert_eq!(count(&ctx, withdrawn, &consent).await, 1);
    let open_referral = "SELECT COUNT(*) FROM referrals WHERE id = $1 AND status = 'withdrawn'";
    assert_eq!(count(&ctx, open_referral, &referral).await, 1);
    assert_eq!(count(&ctx, open_referral, &second).await, 1);
    assert_eq!(
        count(&ctx, access, &person).await,
        0,
        "no access comes back"
    );
    let logged: String = sqlx::query_scalar(
        "SELECT object_ids FROM audit_events \
         WHERE action = 'referral.consent_withdraw_reapplied'",
    )
    .fetch_one(&ctx.db.pool)
    .await
    .unwrap();
    assert_eq!(logged, consent);
    let logged: String = sqlx::query_scalar(
        "SELECT object_ids FROM audit_events WHERE action = 'referral.withdraw_reapplied'",
    )
    .fetch_one(&ctx.db.pool)
    .await
    .unwrap();
    assert_eq!(logged, second);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}
