//! The public information site: every page in every language within its size budget,
//! declaring its language and direction, without cookies or other hosts; the editorial
//! workflow; stories that expire or are withdrawn leave at once.

use crate::helpers::*;
use haven_core::content::{self, ItemInput, TextInput, LANGUAGES};
use haven_core::{Actor, Clock, Role};
use std::collections::BTreeSet;

/// HTML plus CSS, compressed: what fits in the first round trip of a new connection.
const BUDGET: usize = 14 * 1024;

pub(crate) fn editor() -> Actor {
    Actor {
        roles: vec![Role::Editor],
        ..Actor::system()
    }
}

const TOPICS: [&str; 9] = [
    "asylum",
    "regularisation",
    "onward-migration",
    "voluntary-return",
    "dublin",
    "health-care",
    "reporting-crime",
    "schooling",
    "labour-rights",
];

/// Every `href="…"`/`src="…"`/`action="…"` value of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\"", "srcset=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap_or(0)].to_owned());
        }
    }
    out
}

#[tokio::test]
async fn every_public_page_in_every_language_is_small_declared_and_self_contained() {
    let app = TestApp::spawn().await;
    // The whole demo: its content and its services directory (for the help pages).
    haven::demo::seed_if_empty(&app.ctx, 0, 0, 0).await.unwrap();
    let c = TestApp::client();
    let css = app
        .visit_with(&c, "/static/public.css", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(css.headers()["content-encoding"], "gzip");
    let css_size = css.bytes().await.unwrap().len();
    let mut failures = Vec::new();
    let mut largest = (0, String::new());
    for (lang, rtl) in LANGUAGES {
        let dir = if rtl { "rtl" } else { "ltr" };
        let mut paths = vec![
            format!("/{lang}/"),
            format!("/{lang}/languages"),
            format!("/{lang}/questions"),
            format!("/{lang}/stories"),
            format!("/{lang}/help"),
            format!("/{lang}/help?need=legal-advice&language=ar"),
            format!("/{lang}/help?need=food"),
            format!("/{lang}/report"),
            format!("/{lang}/report/safety"),
            format!("/{lang}/report/return"),
        ];
        for t in TOPICS {
            paths.push(format!("/{lang}/topics/{t}"));
            paths.push(format!("/{lang}/topics/{t}/leaflet"));
        }
        for path in paths {
            let plain = app.visit(&c, &path).await;
            if plain.status() != 200 {
                failures.push(format!("{path}: {}", plain.status()));
                continue;
            }
            let h = plain.headers().clone();
            if h.contains_key("set-cookie") {
                failures.push(format!("{path} sets a cookie"));
            }
            if h.get("referrer-policy").map(|v| v.to_str().unwrap()) != Some("no-referrer") {
                failures.push(format!("{path}: no Referrer-Policy: no-referrer"));
            }
            let Some(etag) = h.get("etag").cloned() else {
                failures.push(format!("{path}: no ETag"));
                continue;
            };
            let html = plain.text().await.unwrap();
            if !html.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")) {
                failures.push(format!("{path}: lang/dir not declared as {lang}/{dir}"));
            }
            if html.contains("<script") || html.contains("style=\"") || html.contains("@import") {
                failures.push(format!("{path}: script or inline style"));
            }
            for l in links(&html) {
                // `tel:` (a service's phone) names no host.
                let local = (l.starts_with('/') && !l.starts_with("//"))
                    || l.starts_with('#')
                    || l.starts_with("tel:+");
                if !local {
                    failures.push(format!("{path}: refers to {l}"));
                }
            }
            // Any absolute address on the page (the leaflet prints one) is this site's.
            for (i, _) in html.match_indices("http") {
                let rest = &html[i..];
                if (rest.starts_with("http://") || rest.starts_with("https://"))
                    && !rest.starts_with(&app.addr)
                    && !rest.starts_with("http://www.w3.org/2000/svg")
                {
                    failures.push(format!(
                        "{path}: another host in {}",
                        &rest[..40.min(rest.len())]
                    ));
                }
            }
            let gz = app
                .visit_with(&c, &path, &[("accept-encoding", "gzip")])
                .await;
            assert_eq!(gz.headers()["content-encoding"], "gzip", "{path}");
            let size = gz.bytes().await.unwrap().len() + css_size;
            if size > BUDGET {
                failures.push(format!("{path}: {size} bytes compressed with CSS"));
            }
            if size > largest.0 {
                largest = (size, path.clone());
            }
            let again = app
                .visit_with(&c, &path, &[("if-none-match", etag.to_str().unwrap())])
                .await;
            if again.status() != 304 {
                failures.push(format!("{path}: If-None-Match answered {}", again.status()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("largest page with CSS: {} bytes ({})", largest.0, largest.1);
    // Unknown languages and topics are 404s, still without cookies.
    for path in [
        "/xx/",
        "/xx/help",
        "/en/topics/nothing-here",
        "/xx/topics/asylum/leaflet",
    ] {
        let r = app.visit(&c, path).await;
        assert_eq!(r.status(), 404, "{path}");
        assert!(r.headers().get("set-cookie").is_none());
    }
    // A path no route serves: the public site's own page, in the language the path names,
    // with the site's links; under /staff, the staff one.
    for (path, html_lang) in [
        ("/fa/no-such-page", "<html lang=\"fa\" dir=\"rtl\">"),
        ("/ti/topics/asylum/nothing/deeper", "<html lang=\"ti\""),
        ("/no-such-page", "<html lang=\"en\""),
    ] {
        let r = app.visit(&c, path).await;
        assert_eq!(r.status(), 404, "{path}");
        let page = r.text().await.unwrap();
        assert!(page.contains(html_lang), "{path}: {page}");
        assert!(
            page.contains("/public.css"),
            "{path}: not the public site's look"
        );
    }
    let staff = app.visit(&c, "/staff/no-such-page").await;
    assert_eq!(staff.status(), 404);
    assert!(!staff.text().await.unwrap().contains("/public.css"));
}

#[tokio::test]
async fn the_root_negotiates_a_language_and_pages_show_untranslated_text_in_english() {
    let app = TestApp::spawn().await;
    haven::demo_content::seed(&app.ctx).await.unwrap();
    let c = TestApp::client();
    for (accept, to) in [("ti-ER,ti;q=0.9", "/ti/"), ("ps", "/ps/"), ("zz", "/en/")] {
        let r = app
            .visit_with(&c, "/", &[("accept-language", accept)])
            .await;
        assert_eq!(location(&r), to, "{accept}");
        assert!(r.headers().get("set-cookie").is_none());
    }
    // German has interface text but no demo content: the topic is shown in English, marked
    // up as English inside a German page.
    let page = app.page(&c, "/de/topics/dublin").await;
    assert!(page.contains("<html lang=\"de\" dir=\"ltr\">"));
    assert!(page.contains("<article lang=\"en\" dir=\"ltr\">"));
    assert!(page.contains("What a Dublin case means"));
    let page = app.page(&c, "/ps/topics/dublin").await;
    assert!(page.contains("<html lang=\"ps\" dir=\"rtl\">"));
    assert!(page.contains("<article lang=\"en\" dir=\"ltr\">"));
    // Tigrinya has its own text.
    let page = app.page(&c, "/ti/topics/dublin").await;
    assert!(page.contains("ጉዳይ ደብሊን"));
    assert!(!page.contains("<article lang="));
    // The leaflet's QR code is an inline SVG pointing at the topic's page.
    let leaflet = app.page(&c, "/ar/topics/asylum/leaflet").await;
    assert!(leaflet.contains("<svg"));
    assert!(leaflet.contains(&format!("{}/ar/topics/asylum", app.addr)));
    // It is the configured address, whatever `Host` a request names.
    let forged = c
        .get(app.url("/ar/topics/asylum/leaflet"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(forged.contains(&format!("{}/ar/topics/asylum", app.addr)));
    assert!(
        !forged.contains("evil.example"),
        "the forged host is printed"
    );
    let hsds: serde_json::Value = c
        .get(app.url("/api/hsds/"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(hsds["profile"], format!("{}/api/hsds/profile", app.addr));
    // Cards for the outreach app's show mode.
    let cards = content::cards(&app.ctx, "ar").await.unwrap();
    assert_eq!(cards.len(), TOPICS.len());
    assert!(cards.iter().all(|c| c.lang == "ar" && c.dir == "rtl"));
    let cards = content::cards(&app.ctx, "so").await.unwrap();
    assert!(cards.iter().all(|c| c.lang == "en" && c.dir == "ltr"));
}

async fn page_item(app: &TestApp, slug: &str) -> haven_core::ids::ContentId {
    let ed = editor();
    let id = content::create(
        &app.ctx,
        &ed,
        &ItemInput {
            kind: "page".into(),
            slug: slug.into(),
            section: "rights".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    id
}

pub(crate) fn text(title: &str) -> TextInput {
    TextInput {
        title: title.into(),
        summary: format!("{title} in short"),
        body: format!("{title}, first paragraph.\n\nSecond paragraph."),
    }
}

/// An editorial step on one language of an item (`en/review`, `ar/confirm`): the status.
async fn act(app: &TestApp, token: &str, id: haven_core::ids::ContentId, step: &str) -> u16 {
    let path = format!("/api/v1/content/{id}/{step}");
    app.api(token, reqwest::Method::POST, &path, None).await.0
}

#[tokio::test]
async fn editing_the_english_source_marks_every_translation_out_of_date() {
    let app = TestApp::spawn().await;
    let (u, token) = app.staff("Editors", &["editor"]).await;
    let c = TestApp::client();
    let ed = editor();
    let id = page_item(&app, "housing").await;
    // A translation needs its source first.
    let r = content::save(&app.ctx, &ed, id, "fr", &text("Logement")).await;
    assert!(matches!(
        r,
        Err(haven_core::Error::Conflict("content-source-first"))
    ));
    content::save(&app.ctx, &ed, id, "en", &text("Housing"))
        .await
        .unwrap();
    for lang in ["fr", "ar", "ti"] {
        content::save(&app.ctx, &ed, id, lang, &text(&format!("Housing {lang}")))
            .await
            .unwrap();
    }
    let states = |item: &serde_json::Value| -> Vec<(String, bool, String)> {
        item["translations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["lang"].as_str().unwrap().to_owned(),
                    t["out_of_date"].as_bool().unwrap(),
                    t["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let get = || async {
        let (status, v) = app.get(&token, &format!("/api/v1/content/{id}")).await;
        assert_eq!(status, 200, "{v}");
        v
    };
    assert!(states(&get().await).iter().all(|(_, old, _)| !old));
    // The editor changes the English text through the API: every translation is flagged.
    let (status, v) = app
        .put(
            &token,
            &format!("/api/v1/content/{id}/en"),
            serde_json::json!({"title": "Housing", "summary": "New short text", "body": "Changed."}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let s = states(&v);
    assert_eq!(
        s.iter()
            .filter(|(_, old, _)| *old)
            .map(|(l, _, _)| l.as_str())
            .collect::<Vec<_>>(),
        ["fr", "ar", "ti"]
    );
    // Updating one and re-approving another clears their flags; the third stays flagged.
    content::save(&app.ctx, &ed, id, "fr", &text("Logement"))
        .await
        .unwrap();
    assert_eq!(act(&app, &token, id, "ar/confirm").await, 200);
    let s = states(&get().await);
    assert_eq!(
        s.iter()
            .filter(|(_, old, _)| *old)
            .map(|(l, _, _)| l.as_str())
            .collect::<Vec<_>>(),
        ["ti"]
    );
    // A second confirm has nothing to confirm.
    assert_eq!(act(&app, &token, id, "ar/confirm").await, 409);
    // Publishing needs a review first, and records who reviewed.
    assert_eq!(act(&app, &token, id, "en/publish").await, 409);
    for step in ["en/review", "en/publish"] {
        assert_eq!(act(&app, &token, id, step).await, 200, "{step}");
    }
    let item = get().await;
    let en = &item["translations"][0];
    assert_eq!(en["status"], "published");
    assert_eq!(en["reviewed_by"], format!("Test {}", u.username));
    let page = app.page(&c, "/en/topics/housing").await;
    assert!(page.contains("New short text"));
    // A new draft does not take the published text offline.
    content::save(&app.ctx, &ed, id, "en", &text("Housing draft"))
        .await
        .unwrap();
    let page = app.page(&c, "/en/topics/housing").await;
    assert!(page.contains("New short text") && !page.contains("Housing draft"));
    // Editorial actions are audited, without text.
    let n: i64 = app.scalar("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'content.%' AND object_ids LIKE $1", &format!("{id}%")).await;
    assert!(n >= 9, "{n}");
    assert_eq!(
        app.count("audit_events WHERE object_ids LIKE '%Housing%'")
            .await,
        0
    );
    // Nobody else may edit.
    let (_, cm_token) = app.staff("Editors", &["case_manager"]).await;
    assert_eq!(app.get(&cm_token, "/api/v1/content").await.0, 403);
}

#[tokio::test]
async fn an_expired_or_withdrawn_story_disappears_at_once() {
    let app = TestApp::spawn().await;
    let ed = editor();
    let today = app.clock.now().date();
    let story = |slug: &'static str, days: i64| ItemInput {
        kind: "story".into(),
        slug: slug.into(),
        speaker: Some(format!("Speaker {slug}")),
        consent_on: Some(today.to_string()),
        expires_on: Some((today + time::Duration::days(days)).to_string()),
        ..Default::default()
    };
    let soon = content::create(&app.ctx, &ed, &story("soon", 2))
        .await
        .unwrap();
    let later = content::create(&app.ctx, &ed, &story("later", 30))
        .await
        .unwrap();
    for (id, title) in [(soon, "Soon story"), (later, "Later story")] {
        for lang in ["en", "ar"] {
            content::save(&app.ctx, &ed, id, lang, &text(title))
                .await
                .unwrap();
            content::review(&app.ctx, &ed, id, lang).await.unwrap();
            content::publish(&app.ctx, &ed, id, lang).await.unwrap();
        }
    }
    let c = TestApp::client();
    let page = |lang: &'static str| {
        let c = c.clone();
        let url = app.url(&format!("/{lang}/stories"));
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    for lang in ["en", "ar"] {
        let p = page(lang).await;
        assert!(
            p.contains("Soon story") && p.contains("Later story"),
            "{lang}"
        );
        assert!(p.contains("Speaker soon"));
    }
    // The pages are now cached; time passes beyond the first story's consent.
    app.clock.advance(3 * 86_400);
    for lang in ["en", "ar"] {
        let p = page(lang).await;
        assert!(
            !p.contains("Soon story") && !p.contains("Speaker soon"),
            "{lang}"
        );
        assert!(p.contains("Later story"));
    }
    // The speaker of the other story asks to take it down: one step, gone at once, erased.
    content::withdraw(&app.ctx, &ed, later).await.unwrap();
    for lang in ["en", "ar"] {
        let p = page(lang).await;
        assert!(
            !p.contains("Later story") && !p.contains("Speaker later"),
            "{lang}"
        );
    }
    let n: i64 = app
        .scalar(
            "SELECT COUNT(*) FROM content_translations WHERE item_id = $1 \
         AND (title <> '' OR body <> '' OR pub_body IS NOT NULL)",
            later,
        )
        .await;
    assert_eq!(n, 0, "the words are erased");
    let speaker: Option<String> = app
        .scalar("SELECT speaker FROM content_items WHERE id = $1", later)
        .await;
    assert_eq!(speaker, None);
    // A withdrawn story cannot come back by publishing.
    assert!(content::save(&app.ctx, &ed, later, "en", &text("Again"))
        .await
        .is_err());
    // A story without consent dates is refused, every missing field named.
    let r = content::create(
        &app.ctx,
        &ed,
        &ItemInput {
            kind: "story".into(),
            slug: "no-consent".into(),
            ..Default::default()
        },
    )
    .await;
    match r {
        Err(haven_core::Error::Invalid(f)) => {
            let fields: BTreeSet<&str> = f.iter().map(|e| e.field).collect();
            assert_eq!(
                fields,
                BTreeSet::from(["speaker", "consent_on", "expires_on"])
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_public_language_has_every_message_and_its_direction() {
    let i18n = std::sync::Arc::new(haven_web::i18n::I18n::load_public().unwrap());
    let source: BTreeSet<String> = i18n.message_ids("en").into_iter().collect();
    assert!(source.len() > 25);
    let codes: BTreeSet<&str> = i18n.codes().collect();
    let wanted: BTreeSet<&str> = LANGUAGES.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, wanted, "one public file per language, no more");
    for (code, rtl) in LANGUAGES {
        let ids: BTreeSet<String> = i18n.message_ids(code).into_iter().collect();
        let missing: Vec<_> = source.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&source).collect();
        assert!(missing.is_empty(), "public/{code}.ftl lacks {missing:?}");
        assert!(extra.is_empty(), "public/{code}.ftl has extra {extra:?}");
        let tr = i18n.tr(code);
        assert_eq!(tr.dir(), if rtl { "rtl" } else { "ltr" }, "{code}");
        assert_eq!(tr.dir(), content::dir(code));
        assert_ne!(tr.t("language-name"), "language-name");
    }
    // Every id the public templates and handlers use exists.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../haven-web");
    let mut missing = Vec::new();
    for dir in ["templates/site", "src/site"] {
        for e in std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .flatten()
        {
            let text = std::fs::read_to_string(e.path()).unwrap();
            for pat in [".t(\"", ".t1(\""] {
                for (i, _) in text.match_indices(pat) {
                    let rest = &text[i + pat.len()..];
                    let id = &rest[..rest.find('"').unwrap_or(0)];
                    if !id.is_empty() && !source.contains(id) {
                        missing.push(format!("{}: {id}", e.path().display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}
