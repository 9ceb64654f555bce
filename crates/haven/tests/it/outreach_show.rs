//! The outreach app's show mode: `/api/v1/outreach/cards` gives the languages with
//! published cards and each language's cards, with their direction, to outreach staff
//! only, and never a draft.

use crate::helpers::*;
use haven_core::content::{self, ItemInput, TextInput};
use haven_core::{Actor, Role};
use serde_json::Value;

fn editor() -> Actor {
    Actor {
        roles: vec![Role::Editor],
        ..Actor::system()
    }
}

fn text(title: &str) -> TextInput {
    TextInput {
        title: title.into(),
        summary: format!("{title} in short"),
        body: format!("{title}, in full."),
    }
}

async fn get(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let r = TestApp::client()
        .get(app.url(&format!("/api/v1/outreach/cards{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

fn codes(v: &Value) -> Vec<&str> {
    texts(&v["languages"], "code")
}

fn titles(v: &Value) -> Vec<&str> {
    texts(&v["cards"], "title")
}

#[tokio::test]
async fn show_cards_are_for_outreach_staff_in_the_persons_language_and_direction() {
    let app = TestApp::spawn().await;
    haven::demo_content::seed(&app.ctx).await.unwrap();
    let (worker, token) = app.staff("Crossroads", &["outreach_worker"]).await;

    // A role without OutreachRecord is refused, with or without a language.
    let (_, cm_token) = app.staff("Crossroads", &["case_manager"]).await;
    assert_eq!(get(&app, &cm_token, "").await.0, 403);
    assert_eq!(get(&app, &cm_token, "?lang=ar").await.0, 403);
    let anonymous = app.fetch("/api/v1/outreach/cards?lang=en").await;
    assert_eq!(anonymous.status(), 401);

    // The demo's languages, each named in its own script with its direction.
    let (status, list) = get(&app, &token, "").await;
    assert_eq!(status, 200);
    assert_eq!(codes(&list), ["en", "fr", "ar", "ti"]);
    let ar = &list["languages"][2];
    assert_eq!(ar["name"], "العربية");
    assert_eq!(ar["dir"], "rtl");
    assert_eq!(list["languages"][3]["name"], "ትግርኛ");
    assert_eq!(list["languages"][0]["dir"], "ltr");
    assert!(list["language"].is_null());
    assert_eq!(list["cards"].as_array().unwrap().len(), 0);

    let (status, en) = get(&app, &token, "?lang=en").await;
    assert_eq!(status, 200);
    assert_eq!(en["language"]["dir"], "ltr");
    assert_eq!(titles(&en)[0], "Asylum");

    let (status, arabic) = get(&app, &token, "?lang=ar").await;
    assert_eq!(status, 200);
    assert_eq!(arabic["language"]["code"], "ar");
    assert_eq!(arabic["language"]["dir"], "rtl");
    let cards = arabic["cards"].as_array().unwrap();
    assert_eq!(cards.len(), en["cards"].as_array().unwrap().len());
    assert_eq!(cards[0]["title"], "اللجوء");
    for c in cards {
        assert_eq!(
            (c["lang"].as_str(), c["dir"].as_str()),
            (Some("ar"), Some("rtl"))
        );
        assert!(!c["summary"].as_str().unwrap().is_empty());
    }

    // An unknown code, and a site language with nothing published in it: a clear 422.
    for lang in ["xx", "nl", "", "ar%27"] {
        let (status, body) = get(&app, &token, &format!("?lang={lang}")).await;
        assert_eq!(status, 422, "{lang}");
        assert_eq!(body["fields"][0]["field"], "lang", "{lang}");
        let message = first_message(&body);
        assert!(
            message.ends_with("No information cards are published in this language."),
            "{message}"
        );
    }

    // The app reads them with its session cookie, like the rest of its API.
    let c = app.login(&worker).await;
    let r = app.visit(&c, "/api/v1/outreach/cards?lang=ti").await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["language"]["name"], "ትግርኛ");
    assert_eq!(v["cards"][0]["lang"], "ti");
}

#[tokio::test]
async fn only_published_cards_are_shown_never_a_draft() {
    let app = TestApp::spawn().await;
    let (_, token) = app.staff("Crossroads", &["outreach_worker"]).await;
    let ed = editor();

    // Nothing published yet: no languages, and English is refused too.
    let (status, list) = get(&app, &token, "").await;
    assert_eq!(status, 200);
    assert!(codes(&list).is_empty());
    assert_eq!(get(&app, &token, "?lang=en").await.0, 422);

    // An item with its first English text, a draft.
    let draft = |input: ItemInput, title: &'static str| {
        let (ctx, ed) = (&app.ctx, &ed);
        async move {
            let id = content::create(ctx, ed, &input).await.unwrap();
            content::save(ctx, ed, id, "en", &text(title))
                .await
                .unwrap();
            id
        }
    };
    let page = ItemInput {
        kind: "page".into(),
        slug: "night-shelter".into(),
        section: "rights".into(),
        ..Default::default()
    };
    // A draft, then a reviewed text: still nothing to show.
    let id = draft(page, "Night shelter").await;
    assert!(codes(&get(&app, &token, "").await.1).is_empty());
    content::review(&app.ctx, &ed, id, "en").await.unwrap();
    assert!(codes(&get(&app, &token, "").await.1).is_empty());
    assert_eq!(get(&app, &token, "?lang=en").await.0, 422);

    content::publish(&app.ctx, &ed, id, "en").await.unwrap();
    let (status, en) = get(&app, &token, "?lang=en").await;
    assert_eq!(status, 200);
    assert_eq!(codes(&en), ["en"]);
    assert_eq!(titles(&en), ["Night shelter"]);
    assert_eq!(en["cards"][0]["summary"], "Night shelter in short");

    // A new English draft and an unpublished Arabic translation change nothing shown.
    content::save(&app.ctx, &ed, id, "en", &text("Night shelter (draft)"))
        .await
        .unwrap();
    content::save(&app.ctx, &ed, id, "ar", &text("مأوى ليلي"))
        .await
        .unwrap();
    content::review(&app.ctx, &ed, id, "ar").await.unwrap();
    let (_, en) = get(&app, &token, "?lang=en").await;
    assert_eq!(codes(&en), ["en"]);
    assert_eq!(titles(&en), ["Night shelter"]);
    assert_eq!(get(&app, &token, "?lang=ar").await.0, 422);

    // Published in Arabic: offered, right to left.
    content::publish(&app.ctx, &ed, id, "ar").await.unwrap();
    let (status, ar) = get(&app, &token, "?lang=ar").await;
    assert_eq!(status, 200);
    assert_eq!(codes(&ar), ["en", "ar"]);
    assert_eq!(titles(&ar), ["مأوى ليلي"]);
    assert_eq!(ar["cards"][0]["dir"], "rtl");

    // A published story is not a card.
    let story = ItemInput {
        kind: "story".into(),
        slug: "amal".into(),
        section: String::new(),
        speaker: Some("Amal".into()),
        consent_on: Some("2026-01-01".into()),
        expires_on: Some("2099-01-01".into()),
        ..Default::default()
    };
    let story = draft(story, "My first winter").await;
    content::review(&app.ctx, &ed, story, "en").await.unwrap();
    content::publish(&app.ctx, &ed, story, "en").await.unwrap();
    let (_, en) = get(&app, &token, "?lang=en").await;
    assert_eq!(titles(&en), ["Night shelter"]);
}
