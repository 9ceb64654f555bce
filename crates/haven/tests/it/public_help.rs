//! The public site's "Get help now" page: services from the directory filtered by need and
//! language, texts in the visitor's language with fallback, access attributes in words,
//! opening hours, and a confidential location shown only as "call to arrange"; paging,
//! an empty result, unknown filters, and a change to the directory seen at once.

use crate::directory::{get_valid, page_schema, schema};
use crate::helpers::*;
use haven_core::directory::{self, hsds, Entry, Kind};
use haven_core::Actor;
use serde_json::{json, Value};

fn id(seed: &str) -> String {
    hsds::derived_uuid(&format!("help-test:{seed}"))
}

struct Svc<'a> {
    key: &'a str,
    name: &'a str,
    needs: &'a [&'a str],
    langs: &'a [&'a str],
    location: Option<String>,
    status: &'a str,
    /// lang → (name, description); a description of `""` is not translated.
    translations: &'a [(&'a str, &'a str, &'a str)],
}

fn service(org: &str, s: &Svc) -> Entry {
    let sid = id(&format!("service:{}", s.key));
    let mut attributes: Vec<Value> = ["no-documents-needed", "no-data-to-immigration"]
        .iter()
        .chain(s.needs)
        .map(|c| hsds::haven_attribute(&sid, "service", c).unwrap())
        .collect();
    if s.key == "legal" {
        attributes.push(hsds::haven_attribute(&sid, "service", "free-of-charge").unwrap());
    }
    let mut v = json!({
        "id": sid,
        "organization_id": org,
        "name": s.name,
        "description": format!("{} in English.", s.name),
        "status": s.status,
        "languages": s.langs.iter().map(|c| json!({"id": id(&format!("lang:{}:{c}", s.key)), "code": c})).collect::<Vec<_>>(),
        "phones": [{"id": id(&format!("phone:{}", s.key)), "number": "+31 10 555 0101"}],
        "schedules": [{"id": id(&format!("schedule:{}", s.key)), "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
            "opens_at": "09:00:00", "closes_at": "17:00:00"}],
        "attributes": attributes,
    });
    if let Some(l) = &s.location {
        v["service_at_locations"] =
            json!([{"id": id(&format!("sal:{}", s.key)), "location_id": l}]);
    }
    let mut e = Entry::new(v, "en");
    for (lang, name, desc) in s.translations {
        let m = e.translations.entry((*lang).to_owned()).or_default();
        m.insert("name".into(), (*name).to_owned());
        if !desc.is_empty() {
            m.insert("description".into(), (*desc).to_owned());
        }
    }
    e
}

fn location(key: &str, org: &str, street: &str, confidential: bool) -> Entry {
    let lid = id(&format!("location:{key}"));
    let mut v = json!({"id": lid, "organization_id": org, "location_type": "physical", "name": key,
        "addresses": [{"id": id(&format!("address:{key}")), "address_1": street, "city": "Rivierstad",
            "postal_code": "3011 AB", "country": "NL", "address_type": "physical"}]});
    if confidential {
        v["attributes"] =
            json!([hsds::haven_attribute(&lid, "location", "confidential-location").unwrap()]);
    }
    Entry::new(v, "en")
}

async fn publish(app: &TestApp, entries: Vec<(Kind, Entry)>) {
    directory::publish_entries(&app.ctx, &Actor::system(), entries)
        .await
        .unwrap();
}

async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let r = app.fetch(path).await;
    let status = r.status().as_u16();
    assert!(
        r.headers().get("set-cookie").is_none(),
        "{path} sets a cookie"
    );
    (status, r.text().await.unwrap())
}

/// The services' names on a page, in order.
fn names(html: &str) -> Vec<String> {
    html.split("<article class=\"svc\">")
        .skip(1)
        .map(|a| {
            let h = &a[a.find("<h2").unwrap()..];
            let start = h.find('>').unwrap() + 1;
            h[start..h.find("</h2>").unwrap()].to_owned()
        })
        .collect()
}

async fn seed(app: &TestApp) -> String {
    let org = id("org");
    let open = location("open", &org, "Havenstraat 12", false);
    let open_id = open.id().unwrap().to_owned();
    let secret = location("secret", &org, "Geheimelaan 7", true);
    let secret_id = secret.id().unwrap().to_owned();
    publish(
        app,
        vec![
            (
                Kind::Organization,
                Entry::new(
                    json!({"id": org, "name": "Rivierstad Help Network", "description": "Help."}),
                    "en",
                ),
            ),
            (Kind::Location, open),
            (Kind::Location, secret),
            (
                Kind::Service,
                service(
                    &org,
                    &Svc {
                        key: "legal",
                        name: "Legal desk",
                        needs: &["legal-advice", "report-a-crime"],
                        langs: &["en", "ar"],
                        location: Some(open_id.clone()),
                        status: "active",
                        translations: &[("ar", "مكتب قانوني", "مساعدة قانونية بالعربية.")],
                    },
                ),
            ),
            (
                Kind::Service,
                service(
                    &org,
                    &Svc {
                        key: "food",
                        name: "Soup kitchen",
                        needs: &["food"],
                        langs: &["en", "ti"],
                        location: Some(open_id.clone()),
                        status: "active",
                        translations: &[("ti", "ኩሽና መግቢ", "")],
                    },
                ),
            ),
            (
                Kind::Service,
                service(
                    &org,
                    &Svc {
                        key: "shelter",
                        name: "Safe house",
                        needs: &["shelter"],
                        langs: &["en"],
                        location: Some(secret_id),
                        status: "active",
                        translations: &[],
                    },
                ),
            ),
            (
                Kind::Service,
                service(
                    &org,
                    &Svc {
                        key: "closed",
                        name: "Closed clinic",
                        needs: &["health"],
                        langs: &["en"],
                        location: Some(open_id),
                        status: "inactive",
                        translations: &[],
                    },
                ),
            ),
        ],
    )
    .await;
    org
}

#[tokio::test]
async fn help_lists_services_by_need_and_language_in_the_visitors_language() {
    let app = TestApp::spawn().await;
    let org = seed(&app).await;

    // Everything active, with attributes, hours and phone in words.
    let (status, all) = get(&app, "/en/help").await;
    assert_eq!(status, 200);
    assert_eq!(names(&all), ["Legal desk", "Safe house", "Soup kitchen"]);
    assert!(all.contains("3 services"));
    assert!(
        !all.contains("Closed clinic"),
        "inactive services are not listed"
    );
    assert!(all.contains("No documents needed"));
    assert!(all.contains("No data shared with immigration authorities"));
    assert!(all.contains("Monday – Friday 09:00–17:00"));
    assert!(all.contains("href=\"tel:+31105550101\""));
    assert!(all.contains("Havenstraat 12, 3011 AB, Rivierstad"));
    assert!(all.contains("Rivierstad Help Network"));

    // By need.
    let (_, legal) = get(&app, "/en/help?need=legal-advice").await;
    assert_eq!(names(&legal), ["Legal desk"]);
    assert!(legal.contains("One service"));
    assert!(legal.contains("<option value=\"legal-advice\" selected>"));
    assert!(legal.contains("Free"));
    // The same listing in another language keeps the filter (askama writes `&` as `&#38;`).
    assert!(
        legal.contains("href=\"/ar/help?need=legal-advice\" lang=\"ar\""),
        "{legal}"
    );
    let (_, both) = get(&app, "/en/help?need=legal-advice&language=ar").await;
    assert!(
        both.contains("href=\"/nl/help?need=legal-advice&#38;language=ar\" lang=\"nl\""),
        "{both}"
    );
    let (_, crime) = get(&app, "/en/help?need=report-a-crime").await;
    assert_eq!(names(&crime), ["Legal desk"]);
    // A page past the end says so and leads back, instead of "No service matches".
    let (status, past) = get(&app, "/en/help?need=legal-advice&page=999").await;
    assert_eq!(status, 200);
    assert!(
        past.contains("This page is past the end of the list."),
        "{past}"
    );
    assert!(past.contains("href=\"/en/help?need=legal-advice\">Go to the first page"));
    assert!(!past.contains("No service matches"));
    let (_, past_ar) = get(&app, "/ar/help?page=999").await;
    assert!(past_ar.contains("هذه الصفحة بعد نهاية القائمة."));

    // By language the service is offered in.
    let (_, ti) = get(&app, "/en/help?language=ti").await;
    assert_eq!(names(&ti), ["Soup kitchen"]);

    // In the visitor's language; where a text is not translated, the source language,
    // marked up as such.
    let (_, ar) = get(&app, "/ar/help?need=legal-advice").await;
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert_eq!(names(&ar), ["مكتب قانوني"]);
    assert!(ar.contains("مساعدة قانونية بالعربية."));
    assert!(ar.contains("لا حاجة لأي وثائق"), "attributes in Arabic words");
    assert!(
        ar.contains("الاثنين – الجمعة 09:00–17:00"),
        "hours in Arabic"
    );
    let (_, fr) = get(&app, "/fr/help?need=legal-advice").await;
    assert!(fr.contains("<h2 lang=\"en\" dir=\"ltr\">Legal desk</h2>"));
    assert!(fr.contains("Aucun document demandé"));
    let (_, ti_page) = get(&app, "/ti/help?need=food").await;
    assert!(ti_page.contains("<h2>ኩሽና መግቢ</h2>"));
    assert!(ti_page.contains("<p lang=\"en\" dir=\"ltr\">Soup kitchen in English.</p>"));

    // A confidential location: "call to arrange", never its street.
    let (_, shelter) = get(&app, "/en/help?need=shelter").await;
    assert_eq!(names(&shelter), ["Safe house"]);
    assert!(shelter.contains("Confidential address: call to arrange a meeting"));
    assert!(!shelter.contains("Geheimelaan"));
    assert!(!shelter.contains("Havenstraat"));
    let (_, shelter_ar) = get(&app, "/ar/help?need=shelter").await;
    assert!(shelter_ar.contains("عنوان سري: اتصل لترتيب موعد"));
    // Even if an address reached the stored location (it never does: it is stripped on
    // the way in), the page would not show it.
    let secret_id = id("location:secret");
    let stored: String = app
        .scalar("SELECT hsds FROM dir_locations WHERE id = $1", &secret_id)
        .await;
    assert!(
        !stored.contains("Geheimelaan"),
        "the address is never stored"
    );
    let mut forced: Value = serde_json::from_str(&stored).unwrap();
    forced["addresses"] = json!([{"id": id("forced"), "address_1": "Geheimelaan 7",
        "city": "Rivierstad", "country": "NL", "address_type": "physical"}]);
    app.exec(
        "UPDATE dir_locations SET hsds = $1 WHERE id = $2",
        &[&forced.to_string(), &secret_id],
    )
    .await;
    let (_, shelter_nl) = get(&app, "/nl/help?need=shelter").await;
    assert!(shelter_nl.contains("Geheim adres: bel om een afspraak te maken"));
    assert!(!shelter_nl.contains("Geheimelaan"));

    // Nothing matches: said so, with a way out that drops a filter.
    let (status, none) = get(&app, "/en/help?need=health&language=ti").await;
    assert_eq!(status, 200);
    assert!(none.contains("No service matches your choice."));
    assert!(none.contains("href=\"/en/help?language=ti\""));
    assert!(none.contains("href=\"/en/help?need=health\""));
    assert!(names(&none).is_empty());

    // An unknown need is ignored, and the page says so.
    let (status, unknown) = get(&app, "/en/help?need=jobs&language=tlh").await;
    assert_eq!(status, 200);
    assert!(unknown.contains("Part of your choice was not recognised, so it is not applied."));
    assert_eq!(names(&unknown).len(), 3);
    assert!(!all.contains("not recognised"));

    // Publishing a service shows it at once on a page already cached; making it inactive
    // takes it away at once.
    let (_, before) = get(&app, "/en/help?need=food").await;
    assert_eq!(names(&before), ["Soup kitchen"]);
    let new = |status| Svc {
        key: "bakery",
        name: "Bread for all",
        needs: &["food"],
        langs: &["en"],
        location: None,
        status,
        translations: &[],
    };
    publish(&app, vec![(Kind::Service, service(&org, &new("active")))]).await;
    let (_, after) = get(&app, "/en/help?need=food").await;
    assert_eq!(names(&after), ["Bread for all", "Soup kitchen"]);
    publish(&app, vec![(Kind::Service, service(&org, &new("inactive")))]).await;
    let (_, gone) = get(&app, "/en/help?need=food").await;
    assert_eq!(names(&gone), ["Soup kitchen"]);

    // Unknown languages of the site are a 404.
    let (status, _) = get(&app, "/xx/help").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn help_pages_through_many_services_with_previous_and_next() {
    let app = TestApp::spawn().await;
    let org = id("org");
    let mut entries = vec![(
        Kind::Organization,
        Entry::new(
            json!({"id": org, "name": "Food Bank", "description": "Food."}),
            "en",
        ),
    )];
    for i in 0..23 {
        let key = format!("food{i:02}");
        let name = format!("Food point {i:02}");
        entries.push((
            Kind::Service,
            service(
                &org,
                &Svc {
                    key: &key,
                    name: &name,
                    needs: &["food"],
                    langs: &["en"],
                    location: None,
                    status: "active",
                    translations: &[],
                },
            ),
        ));
    }
    publish(&app, entries).await;
    let (_, first) = get(&app, "/en/help?need=food").await;
    assert!(first.contains("23 services"));
    assert_eq!(names(&first).len(), 20);
    assert_eq!(names(&first)[0], "Food point 00");
    assert!(
        first.contains("href=\"/en/help?need=food&#38;page=2\" rel=\"next\""),
        "{}",
        &first[first.find("class=\"pages\"").unwrap_or(0)..]
    );
    assert!(!first.contains("rel=\"prev\""));
    let (_, second) = get(&app, "/en/help?need=food&page=2").await;
    assert_eq!(
        names(&second),
        ["Food point 20", "Food point 21", "Food point 22"]
    );
    assert!(second.contains("href=\"/en/help?need=food\" rel=\"prev\""));
    assert!(!second.contains("rel=\"next\""));
    // Past the last page: nothing, said so, with the way back; a bad page number is page 1
    // with a notice.
    let (status, past) = get(&app, "/en/help?need=food&page=9").await;
    assert_eq!(status, 200);
    assert!(names(&past).is_empty());
    assert!(past.contains("This page is past the end of the list."));
    assert!(!past.contains("No service matches your choice."));
    let (_, bad) = get(&app, "/en/help?page=-1").await;
    assert_eq!(names(&bad).len(), 20);
    assert!(bad.contains("not recognised"));
    // The cached page answers If-None-Match.
    let c = TestApp::client();
    let r = app.visit(&c, "/en/help?need=food").await;
    let etag = r.headers()["etag"].clone();
    let again = app
        .visit_with(
            &c,
            "/en/help?need=food",
            &[("if-none-match", etag.to_str().unwrap())],
        )
        .await;
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn the_needs_taxonomy_is_served_as_hsds_and_the_demo_uses_it() {
    let app = TestApp::spawn().await;
    haven::demo::seed_if_empty(&app.ctx, 0, 0, 0).await.unwrap();
    let c = TestApp::client();
    let taxonomies = get_valid(&app, "/api/hsds/taxonomies", &page_schema("taxonomy")).await;
    let ids = texts(&taxonomies["contents"], "id");
    assert!(ids.contains(&hsds::NEEDS_TAXONOMY_ID), "{ids:?}");
    assert!(ids.contains(&hsds::HAVEN_TAXONOMY_ID), "{ids:?}");
    let terms = get_valid(
        &app,
        &format!(
            "/api/hsds/taxonomy_terms?taxonomy_id={}",
            hsds::NEEDS_TAXONOMY_ID
        ),
        &page_schema("taxonomy_term"),
    )
    .await;
    let one = hsds::need_term_id("return-counselling").unwrap();
    let term = get_valid(
        &app,
        &format!("/api/hsds/taxonomy_terms/{one}"),
        &schema("taxonomy_term"),
    )
    .await;
    assert_eq!(term["taxonomy_detail"]["name"], "Haven needs");
    get_valid(
        &app,
        &format!("/api/hsds/taxonomies/{}", hsds::NEEDS_TAXONOMY_ID),
        &schema("taxonomy"),
    )
    .await;
    // Services filter on a need like on any HSDS term, and carry it as an attribute.
    let legal = get_valid(
        &app,
        &format!(
            "/api/hsds/services?taxonomy_term_id={}&full=true&per_page=200",
            hsds::need_term_id("legal-advice").unwrap()
        ),
        &page_schema("service"),
    )
    .await;
    assert!(legal["total_items"].as_i64().unwrap() >= 2);
    for s in legal["contents"].as_array().unwrap() {
        assert!(s["attributes"].to_string().contains("legal-advice"));
    }
    let mut codes = texts(&terms["contents"], "code");
    codes.sort();
    let mut want: Vec<&str> = hsds::NEED_TERMS.iter().map(|t| t.1).collect();
    want.sort();
    assert_eq!(codes, want, "every need is used by a demo service");
    // Every need finds demo services on the public page, in Arabic too.
    for (_, code, _, _) in hsds::NEED_TERMS {
        let (status, page) = get(&app, &format!("/ar/help?need={code}")).await;
        assert_eq!(status, 200);
        assert!(!names(&page).is_empty(), "{code}");
    }
    // The demo's confidential shelter is listed as "call to arrange".
    let (_, shelters) = get(&app, "/en/help?need=shelter").await;
    assert!(shelters.contains("call to arrange"));
    // A full page in Arabic: twenty services, within the budget with the stylesheet.
    let (_, ar) = get(&app, "/ar/help").await;
    assert_eq!(names(&ar).len(), 20);
    let mut size = 0;
    for path in ["/ar/help", "/static/public.css"] {
        let r = app
            .visit_with(&c, path, &[("accept-encoding", "gzip")])
            .await;
        assert_eq!(r.headers()["content-encoding"], "gzip");
        size += r.bytes().await.unwrap().len();
    }
    eprintln!("/ar/help with CSS, gzip: {size} bytes");
    assert!(size <= 14 * 1024, "{size}");
}
