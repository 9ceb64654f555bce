//! Indicator definitions: listed on one page in each staff language and in the API, for any
//! signed-in staff member, with nobody's data in them.

use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_indicator_is_defined_on_one_page_and_in_the_api() {
    let app = TestApp::spawn().await;
    // Definitions are not figures: a worker without the figures may read them.
    let (worker, token) = app.staff("Definitions Org", &["outreach_worker"]).await;
    assert_eq!(app.get(&token, "/api/v1/stats/overview").await.0, 403);
    let (status, v) = app.get(&token, "/api/v1/stats/indicators").await;
    assert_eq!(status, 200, "{v}");
    let list = v.as_array().unwrap();
    let ids: Vec<&str> = list.iter().filter_map(|i| i["id"].as_str()).collect();
    for id in [
        "persons_by_organisation",
        "referrals_by_link",
        "referral_acceptance_rate",
        "outreach_referral_outcomes",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let rate = list
        .iter()
        .find(|i| i["id"] == "referral_acceptance_rate")
        .unwrap();
    assert_eq!(rate["version"], 1);
    assert_eq!(rate["unit"], "percent");
    assert!(rate["denominator"]["ar"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert!(list.iter().all(|i| i["title"]["nl"].is_string()));
    // Nobody signed in: nothing.
    let anon = TestApp::client()
        .get(app.url("/api/v1/stats/indicators"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);
    // The page, in each staff language, with every breakdown named in that language.
    let (c, csrf) = app.browser(&worker).await;
    for (lang, title, breakdown) in [
        ("en", "How each figure is computed", "sending organisation"),
        (
            "nl",
            "Hoe elk cijfer wordt berekend",
            "verwijzende organisatie",
        ),
        ("ar", "كيف يُحسب كل رقم", "المنظمة المُحيلة"),
    ] {
        let fields = [("lang", lang), ("back", "/staff/stats/indicators")];
        app.submit(&c, &csrf, "/staff/account/language", &fields)
            .await;
        let page = app.page(&c, "/staff/stats/indicators").await;
        assert!(page.contains(title), "{lang}");
        assert!(page.contains(breakdown), "{lang}");
        assert!(
            !page.contains("stats-dim-"),
            "an untranslated breakdown in {lang}"
        );
        let shown = list.iter().filter(|i| {
            let t: &Value = &i["title"][lang];
            page.contains(t.as_str().unwrap())
        });
        assert_eq!(shown.count(), list.len(), "every definition in {lang}");
    }
}
