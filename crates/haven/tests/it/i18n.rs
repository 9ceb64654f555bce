//! Translations: every language has every message; pages say their language and direction.

use crate::helpers::*;
use std::collections::BTreeSet;

#[test]
fn every_language_file_has_exactly_the_source_messages() {
    let i18n = haven_web::i18n::I18n::load().unwrap();
    let source: BTreeSet<String> = i18n.message_ids("en").into_iter().collect();
    assert!(source.len() > 100);
    for code in i18n.codes() {
        let ids: BTreeSet<String> = i18n.message_ids(code).into_iter().collect();
        let missing: Vec<_> = source.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&source).collect();
        // A partial language: see `the_partial_tigrinya_covers_the_hub_and_the_chrome`.
        let partial = haven_web::i18n::PARTIAL.contains(&code);
        assert!(
            partial || missing.is_empty(),
            "{code}.ftl lacks {missing:?}"
        );
        assert!(
            extra.is_empty(),
            "{code}.ftl has ids English lacks: {extra:?}"
        );
    }
}

#[test]
fn every_message_id_used_in_code_and_templates_exists() {
    let i18n = haven_web::i18n::I18n::load().unwrap();
    let ids: BTreeSet<String> = i18n.message_ids("en").into_iter().collect();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../haven-web");
    let mut files = Vec::new();
    for dir in ["templates", "src", "src/pages", "src/api"] {
        for e in std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .flatten()
        {
            if e.path().is_file() {
                files.push(e.path());
            }
        }
    }
    let mut missing = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // t.t("id") and t.t1("id", …) with a literal id.
        for pat in [".t(\"", ".t1(\""] {
            for (i, _) in text.match_indices(pat) {
                let rest = &text[i + pat.len()..];
                let id = &rest[..rest.find('"').unwrap_or(0)];
                if !id.is_empty() && !id.contains('{') && !ids.contains(id) {
                    missing.push(format!("{}: {id}", f.display()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "messages used but not defined: {missing:?}"
    );
}

#[tokio::test]
async fn pages_declare_language_and_direction() {
    let app = TestApp::spawn().await;
    let c = TestApp::client();
    let r = app
        .visit_with(&c, "/", &[("accept-language", "nl-BE,nl;q=0.9,en;q=0.5")])
        .await;
    assert_eq!(location(&r), "/nl/");
    assert!(r.headers().get("set-cookie").is_none());
    for code in haven_web::i18n::I18n::load().unwrap().codes() {
        let page = app.page(&c, &format!("/{code}/")).await;
        let dir = if code == "ar" || code == "fa" {
            "rtl"
        } else {
            "ltr"
        };
        assert!(
            page.contains(&format!("<html lang=\"{code}\" dir=\"{dir}\">")),
            "{code}"
        );
    }
    assert_eq!(app.visit(&c, "/xx/").await.status(), 404);
}

#[tokio::test]
async fn a_staff_member_chooses_their_language() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let (c, csrf) = app.browser(&u).await;
    let choose = |lang, back| {
        let (app, c, csrf) = (&app, &c, &csrf);
        async move {
            let fields = [("lang", lang), ("back", back)];
            let r = app
                .submit(c, csrf, "/staff/account/language", &fields)
                .await;
            location(&r)
        }
    };
    assert_eq!(choose("nl", "/staff/persons").await, "/staff/persons");
    let page = app.page(&c, "/staff/persons").await;
    assert!(page.contains("<html lang=\"nl\""));
    assert!(page.contains("Zoeken op naam"));
    // Only back to a staff page of this site.
    assert_eq!(choose("en", "https://evil.example/").await, "/staff/");
}

#[test]
fn counts_choose_their_plural_form() {
    let i18n = std::sync::Arc::new(haven_web::i18n::I18n::load().unwrap());
    let en = i18n.tr("en");
    assert_eq!(en.t1("duration-days", "count", 1), "1 day");
    assert_eq!(en.t1("duration-days", "count", 12), "12 days");
    let ar = i18n.tr("ar");
    assert_eq!(ar.t1("duration-days", "count", 2), "يومان");
    assert_eq!(ar.t1("duration-days", "count", 3), "3 أيام");
    assert_eq!(ar.t1("duration-days", "count", 11), "11 يوماً");
    let nl = i18n.tr("nl");
    assert_eq!(nl.t1("programme-months", "count", 1), "1 maand");
    assert_eq!(
        en.t1("birth-about", "year", 1994),
        "about 1994",
        "years are not grouped"
    );
}

/// The message ids that the reporting hub's pages and the staff chrome (navigation,
/// sign-in, second factor, account, start page, forms and errors) use: every literal
/// `t.t("…")` id in their templates and handlers, the field labels of their forms
/// (`Field::…(t, "name", …)` → `field-name`, and the `label_…` fields of the categories),
/// every id of a family their code composes (`hub-…`, `nav-…`, `role-…`), and every
/// error id the hub's and the accounts' use cases return.
fn hub_and_chrome_ids(source: &BTreeSet<String>) -> BTreeSet<String> {
    let web = concat!(env!("CARGO_MANIFEST_DIR"), "/../haven-web");
    let core = concat!(env!("CARGO_MANIFEST_DIR"), "/../haven-core/src");
    let mut files: Vec<String> = [
        "base.html",
        "login.html",
        "code_form.html",
        "enrol.html",
        "account.html",
        "error.html",
        "errors.html",
        "form.html",
        "case_form.html",
        "macros.html",
        "home.html",
        "hub_index.html",
        "hub_show.html",
        "hub_recorded.html",
        "hub_casework.html",
        "hub_figures.html",
        "hub_categories.html",
    ]
    .iter()
    .map(|f| format!("{web}/templates/{f}"))
    .collect();
    for f in [
        "pages/hub.rs",
        "pages/hub_work.rs",
        "pages/hub_categories.rs",
        "pages/home.rs",
        "pages/login.rs",
        "pages/account.rs",
        "pages/forms.rs",
        "views.rs",
        "error.rs",
        "auth.rs",
        "api/handler.rs",
    ] {
        files.push(format!("{web}/src/{f}"));
    }
    for dir in ["hub", "users"] {
        for e in std::fs::read_dir(format!("{core}/{dir}"))
            .unwrap()
            .flatten()
        {
            files.push(e.path().display().to_string());
        }
    }
    files.push(format!("{core}/input.rs"));
    files.push(format!("{core}/error.rs"));
    let mut ids = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        for (i, _) in text.match_indices('"') {
            let rest = &text[i + 1..];
            let word = &rest[..rest.find('"').unwrap_or(0)];
            if source.contains(word) {
                ids.insert(word.to_owned());
            }
            // A form field drawn by `Field::…(t, "name", …)` is labelled `field-name`.
            let field = format!("field-{word}");
            if text[..i].ends_with("(t, ") && source.contains(&field) {
                ids.insert(field);
            }
        }
    }
    for id in source {
        let family = ["hub-", "nav-", "role-", "field-label_"];
        if family.iter().any(|p| id.starts_with(p)) || id == "language-name" {
            ids.insert(id.clone());
        }
    }
    ids
}

#[test]
fn the_partial_tigrinya_covers_the_hub_and_the_chrome() {
    let i18n = haven_web::i18n::I18n::load().unwrap();
    assert!(i18n.has("ti"), "Tigrinya is a staff language");
    let source: BTreeSet<String> = i18n.message_ids("en").into_iter().collect();
    let ti: BTreeSet<String> = i18n.message_ids("ti").into_iter().collect();
    let needed = hub_and_chrome_ids(&source);
    assert!(needed.len() > 250, "{}", needed.len());
    let missing: Vec<_> = needed.difference(&ti).collect();
    assert!(missing.is_empty(), "ti.ftl lacks {missing:?}");
    // What it lacks falls back to English, message by message.
    let tr = std::sync::Arc::new(i18n).tr("ti");
    assert_eq!(tr.t("nav-hub-reports"), "ጸብጻባት");
    let outside = source
        .difference(&ti)
        .next()
        .expect("a message ti leaves to English");
    let en = haven_web::i18n::I18n::load().unwrap();
    assert_eq!(tr.t(outside), std::sync::Arc::new(en).tr("en").t(outside));
    assert_ne!(tr.t(outside), *outside, "not the id");
}
