//! The JSON API: tokens, errors, and the committed OpenAPI document.

use crate::helpers::*;

#[tokio::test]
async fn the_openapi_document_is_3_1_and_matches_the_committed_copy() {
    let app = TestApp::spawn().await;
    let served: serde_json::Value = app
        .fetch("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../haven-web/openapi.json");
    let current = haven_web::api::openapi_document();
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(path, &current).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == current,
        "openapi.json is out of date: run `UPDATE_SNAPSHOTS=1 cargo test` and commit it"
    );
    // Every API route in the route table is described.
    for (spec, _) in haven_web::route_table() {
        if spec.path.starts_with("/api/v1/") && spec.path != "/api/v1/openapi.json" {
            let method = spec.method.as_str().to_lowercase();
            assert!(
                served["paths"][spec.path][&method].is_object(),
                "{} {} is missing from the OpenAPI document",
                spec.method,
                spec.path
            );
        }
    }
}

#[tokio::test]
async fn tokens_need_the_second_factor_and_end_on_delete() {
    let app = TestApp::spawn().await;
    let u = app.user("Org A", &["case_manager"]).await;
    let r = TestApp::client()
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": u.username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "err-unauthenticated");
    let token = app.token(&u).await;
    let (status, me) = app.get(&token, "/api/v1/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["user"]["username"], u.username.as_str());
    assert!(me["user"].get("password_hash").is_none());
    let delete = reqwest::Method::DELETE;
    let (status, _) = app.api(&token, delete, "/api/v1/auth/token", None).await;
    assert_eq!(status, 204);
    assert_eq!(app.get(&token, "/api/v1/me").await.0, 401);
    // A cookie session does not open the API: only a bearer token does.
    let browser = app.login(&u).await;
    assert_eq!(app.visit(&browser, "/api/v1/me").await.status(), 401);
}

#[tokio::test]
async fn malformed_json_gets_a_json_error_that_says_what_is_wrong() {
    let app = TestApp::spawn().await;
    let (_, token) = app.staff("Org A", &["case_manager"]).await;
    let (status, body) = app
        .post_raw(&token, "/api/v1/persons", "{\"name\": 42}", &[])
        .await;
    assert!((400..500).contains(&status), "{status}");
    assert_eq!(body["error"], "err-json");
    assert!(body["message"].as_str().unwrap().contains("name"));
    assert_eq!(fields_of(&body), ["name"]);
    // The answer names the field and the rule, never the value sent (it may be personal
    // data, and error answers end up in logs).
    for sent in [
        r#"{"name": 4242424242}"#,
        r#"{"name": ["Secret Person"]}"#,
        r#"{"name": "A", "residence_status": "Secret Status Value"}"#,
        r#"{"name": "A", "languages": "Secret Language Value"}"#,
    ] {
        let (status, body) = app.post_raw(&token, "/api/v1/persons", sent, &[]).await;
        assert!((400..500).contains(&status), "{status}");
        let text = body.to_string();
        for secret in ["4242424242", "Secret"] {
            assert!(!text.contains(secret), "{sent} came back: {text}");
        }
        assert!(text.contains("expected") || text.contains("err-"), "{text}");
    }
    let (status, body) = app
        .post_raw(
            &token,
            "/api/v1/persons",
            "{\"birth_date\": \"21-03-1994\", \"phone\": \"abc\"}",
            &[("accept-language", "nl")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields_of(&body), ["birth_date", "phone"]);
    assert!(first_message(&body).contains("jaar-maand-dag"));
}

#[tokio::test]
async fn unknown_methods_get_405_with_allow_never_a_server_error() {
    let app = TestApp::spawn().await;
    let (_, token) = app.staff("Org A", &["case_manager"]).await;
    let c = TestApp::client();
    let id = "00000000-0000-0000-0000-000000000000";
    let mut paths: Vec<String> = haven_web::route_table()
        .into_iter()
        .map(|(spec, _)| {
            spec.path
                .split('/')
                .map(|seg| if seg.starts_with('{') { id } else { seg })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    paths.sort();
    paths.dedup();
    for path in &paths {
        for m in ["TRACE", "PATCH", "OPTIONS"] {
            let method = reqwest::Method::from_bytes(m.as_bytes()).unwrap();
            for auth in [false, true] {
                let mut req = c.request(method.clone(), app.url(path));
                if auth {
                    req = req.bearer_auth(&token);
                }
                let r = req.send().await.unwrap();
                let status = r.status();
                assert!(!status.is_server_error(), "{m} {path}: {status}");
                if status == 405 {
                    assert!(r.headers().contains_key("allow"), "{m} {path}: no Allow");
                }
            }
        }
    }
    // Known paths answer 405, unknown ones 404.
    let trace = |path: &str| c.request(reqwest::Method::TRACE, app.url(path)).send();
    let r = trace("/api/v1/me").await.unwrap();
    assert_eq!(r.status(), 405);
    let allow = r.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET"), "{allow}");
    let r = trace("/no/such/page").await.unwrap();
    assert_eq!(r.status(), 404);
}

/// Every property name reachable from a schema, following `$ref`, `allOf`, `oneOf`,
/// `anyOf`, `items` and nested properties.
fn reachable_properties(doc: &serde_json::Value, schema: &serde_json::Value) -> Vec<String> {
    let mut seen_refs = std::collections::BTreeSet::new();
    let mut names = Vec::new();
    let mut todo = vec![schema.clone()];
    while let Some(s) = todo.pop() {
        if let Some(r) = s["$ref"].as_str() {
            if seen_refs.insert(r.to_owned()) {
                let name = r.trim_start_matches("#/components/schemas/");
                todo.push(doc["components"]["schemas"][name].clone());
            }
            continue;
        }
        if let Some(props) = s["properties"].as_object() {
            for (k, v) in props {
                names.push(k.clone());
                todo.push(v.clone());
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(parts) = s[key].as_array() {
                todo.extend(parts.iter().cloned());
            }
        }
        if s["items"].is_object() {
            todo.push(s["items"].clone());
        }
    }
    names
}

#[test]
fn each_schema_name_names_one_type() {
    // utoipa keeps the last of two schemas with one name, so a clash documents one type as
    // another (the person record once read as an outreach contact's person). Every type
    // deriving `ToSchema` must have its own name (`#[schema(as = …)]` gives one).
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut names: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("tests") && !path.ends_with("target") {
                    dirs.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !(line.trim_start().starts_with("#[derive(") && line.contains("ToSchema")) {
                    continue;
                }
                let mut alias = None;
                for next in &lines[i + 1..] {
                    let t = next.trim_start();
                    if let Some(rest) = t.strip_prefix("#[schema(as = ") {
                        alias = rest.split(')').next().map(str::to_owned);
                    }
                    let decl = t
                        .strip_prefix("pub struct ")
                        .or_else(|| t.strip_prefix("pub enum "))
                        .or_else(|| t.strip_prefix("struct "))
                        .or_else(|| t.strip_prefix("enum "));
                    if let Some(decl) = decl {
                        let ident: String = decl
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        let name = alias.clone().unwrap_or(ident);
                        names
                            .entry(name)
                            .or_default()
                            .push(path.display().to_string());
                        break;
                    }
                }
            }
        }
    }
    assert!(
        names.len() > 50,
        "the scan found too few schemas: {names:?}"
    );
    let clashes: Vec<_> = names.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(clashes.is_empty(), "schema names used twice: {clashes:?}");
}

#[test]
fn the_document_says_what_each_body_carries() {
    let doc: serde_json::Value = serde_json::from_str(&haven_web::api::openapi_document()).unwrap();
    let body = |path: &str, method: &str| {
        doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone()
    };
    // The anonymous outreach sync takes no name, phone, nationality or residence status.
    let sync = reachable_properties(&doc, &body("/api/v1/outreach/sync", "post"));
    assert!(sync.iter().any(|p| p == "alias"), "{sync:?}");
    for field in [
        "name",
        "phone",
        "residence_status",
        "nationalities",
        "birth_date",
    ] {
        assert!(!sync.iter().any(|p| p == field), "sync documents `{field}`");
    }
    // The person record is documented as what it is.
    let person = reachable_properties(
        &doc,
        &serde_json::json!({"$ref": "#/components/schemas/Person"}),
    );
    for field in ["name", "residence_status", "version"] {
        assert!(person.iter().any(|p| p == field), "Person lacks `{field}`");
    }
    // Every operation documents the 503 that any storage failure answers.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["responses"]["503"].is_object(),
                "{method} {path} does not document 503"
            );
        }
    }
}

#[tokio::test]
async fn a_database_error_logs_no_value_of_the_row() {
    // A unique violation on PostgreSQL carries the clashing value in its DETAIL. What the
    // web layer logs for a 500 or 503 is the error's `Debug` (anyhow's chain of messages),
    // which must not carry it.
    let app = TestApp::spawn().await;
    let canary = "Valuecanary7731";
    let insert = "INSERT INTO programmes (id, name, target_group, max_months, caseload_cap, \
         includes_shelter, outcomes, alert_days, active, created_at, updated_at) \
         VALUES ($1, $2, 'x', 12, 10, 0, 'x', '30', 1, 0, 0)";
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(insert)
        .bind(&id)
        .bind(canary)
        .execute(&app.ctx.db.pool)
        .await
        .unwrap();
    let e = sqlx::query(insert)
        .bind(&id)
        .bind(canary)
        .execute(&app.ctx.db.pool)
        .await
        .unwrap_err();
    if app.is_postgres() {
        // The driver's own detail names the value: the test below would see a leak.
        assert!(format!("{e:?}").contains(&id), "{e:?}");
    }
    let logged = match haven_core::Error::from(e) {
        haven_core::Error::Internal(inner) | haven_core::Error::Unavailable(inner) => {
            format!("{inner:?} {inner:#}")
        }
        other => panic!("a unique violation became {other:?}"),
    };
    assert!(!logged.contains(canary), "{logged}");
    assert!(!logged.contains(&id), "{logged}");
}
