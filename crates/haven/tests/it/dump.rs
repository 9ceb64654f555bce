//! A raw copy of the database holds no name, phone number or status in readable form.

use crate::helpers::*;
use serde_json::json;

const CANARIES: &[&str] = &[
    "Qwyzzle",
    "Canarynaam",
    "Zorbix",
    "Canarystan",
    "canary-note",
    "55501234",
    "5550 1234",
    "dublin_claimant",
    // Not the bare word "Dublin": the outreach lists' default labels (configuration, no
    // personal data) name the Dublin Regulation as a situation and a topic.
    "Dublin claimant",
    "1987-06-05",
];

fn contains(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[tokio::test]
async fn the_raw_database_contains_no_canary() {
    let app = TestApp::spawn().await;
    let (_, t) = app.staff("Org A", &["case_manager"]).await;
    let p = app
        .register(
            &t,
            json!({
                "name": "Qwyzzle Canarynaam",
                "alias": "Zorbix",
                "birth_date": "1987-06-05",
                "nationalities": ["Canarystan"],
                "phone": "+31 6 5550 1234",
                "residence_status": "dublin_claimant",
                "notes": "canary-note: met at the station"
            }),
        )
        .await;
    let id = p["id"].as_str().unwrap().to_owned();
    // Read and change it too, so that every code path has written what it writes.
    app.get(&t, &format!("/api/v1/persons/{id}")).await;
    app.get(&t, "/api/v1/persons?q=Qwyzzle").await;
    let dump = app.stored_bytes().await;
    assert!(dump.len() > 1000, "the dump is not empty");
    assert!(
        contains(&dump, &id),
        "the dump does hold the person's id (sanity check)"
    );
    for canary in CANARIES {
        assert!(
            !contains(&dump, canary),
            "the raw database contains {canary:?}"
        );
    }
}
