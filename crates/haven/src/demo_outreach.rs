//! Demo outreach: the Crossroads Outreach Team's areas and half a year of street contacts,
//! with recurring people (known by an alias) whose migration project and decision move
//! over time, information given, referrals and follow-ups. Everything goes through
//! `outreach::sync` with the clock set to the time of each contact, like a device would.

use haven_core::outreach::{self, Choice, ContactInput, PersonInput, ReferralTarget, SyncRecord};
use haven_core::{orgs, users, Actor, Ctx, Error, FixedClock, Role};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::sync::Arc;

const TEAM: &str = "Crossroads Outreach Team";

const AREAS: &[(&str, &str)] = &[
    ("centraal_station", "Centraal Station and the bus square"),
    ("wilhelminapark", "Wilhelminapark"),
    ("de_brug", "Day centre De Brug"),
    ("spoorzone", "Spoorzone underpass"),
    ("harbour_camp", "Harbour camp"),
];

/// Someone the team meets again and again, known by an alias.
struct Regular {
    alias: &'static str,
    age_band: &'static str,
    gender: &'static str,
    origin: &'static str,
    language: &'static str,
    situations: &'static [&'static str],
    /// Their migration project, in their words.
    project: &'static str,
}

const REGULARS: &[Regular] = &[
    Regular {
        alias: "Yonas",
        age_band: "18_25",
        gender: "male",
        origin: "Eritrea",
        language: "Tigrinya",
        situations: &["transit_uk", "sleeping_rough"],
        project: "Reach his cousin in Birmingham",
    },
    Regular {
        alias: "Abdi",
        age_band: "26_35",
        gender: "male",
        origin: "Somalia",
        language: "Somali",
        situations: &["dublin_case"],
        project: "Stay here; fingerprinted in Italy",
    },
    Regular {
        alias: "Mariam",
        age_band: "26_35",
        gender: "female",
        origin: "Sudan",
        language: "Arabic",
        situations: &["staying_with_others", "working_informally"],
        project: "Bring her daughter over",
    },
    Regular {
        alias: "Kofi",
        age_band: "36_50",
        gender: "male",
        origin: "Ghana",
        language: "English",
        situations: &["working_informally", "rejected_asylum"],
        project: "Work legally, send money home",
    },
    Regular {
        alias: "Ionut",
        age_band: "36_50",
        gender: "male",
        origin: "Romania",
        language: "Romanian",
        situations: &["eu_citizen", "sleeping_rough"],
        project: "Find work or go back to Iasi",
    },
    Regular {
        alias: "Samir",
        age_band: "18_25",
        gender: "male",
        origin: "Morocco",
        language: "Arabic",
        situations: &["sleeping_rough"],
        project: "Unsure; Spain or here",
    },
    Regular {
        alias: "Hawa",
        age_band: "under_18",
        gender: "female",
        origin: "Guinea",
        language: "French",
        situations: &["transit_uk"],
        project: "Join her aunt in London",
    },
    Regular {
        alias: "Tesfay",
        age_band: "26_35",
        gender: "male",
        origin: "Ethiopia",
        language: "Amharic",
        situations: &["rejected_asylum", "sleeping_rough"],
        project: "A new asylum application",
    },
    Regular {
        alias: "Nadia",
        age_band: "36_50",
        gender: "female",
        origin: "Algeria",
        language: "Arabic",
        situations: &["working_informally"],
        project: "Regularise her stay",
    },
    Regular {
        alias: "Bilal",
        age_band: "18_25",
        gender: "male",
        origin: "Afghanistan",
        language: "Pashto",
        situations: &["dublin_case", "sleeping_rough"],
        project: "Stay; brother lives here",
    },
    Regular {
        alias: "Grigore",
        age_band: "over_50",
        gender: "male",
        origin: "Moldova",
        language: "Romanian",
        situations: &["sleeping_rough"],
        project: "Go home before winter",
    },
    Regular {
        alias: "Amina",
        age_band: "26_35",
        gender: "female",
        origin: "Nigeria",
        language: "English",
        situations: &["staying_with_others"],
        project: "Safety first, then a permit",
    },
];

const TOPICS: &[&str] = &[
    "asylum",
    "regularisation",
    "voluntary_return",
    "dublin",
    "shelter",
    "health_care",
    "reporting_crime",
    "labour_rights",
];
const NEEDS: &[&str] = &[
    "shelter", "food", "health", "legal", "hygiene", "safety", "phone",
];
const REFERRAL_ORGS: &[&str] = &[
    "Open Door Legal Aid",
    "Harbour Street Clinic",
    "St. Martin Day Centre",
    "New Horizons Return Counselling",
];
const PLACES: &[&str] = &[
    "At the kiosk",
    "Day centre De Brug",
    "Bus square, 10:00",
    "Under the bridge",
];

pub async fn seed(ctx: &Ctx) -> anyhow::Result<usize> {
    let e = |e: Error| anyhow::anyhow!("seeding outreach failed: {e:?}");
    let system = Actor::system();
    let team = orgs::find_by_name(ctx, TEAM)
        .await
        .map_err(e)?
        .ok_or_else(|| anyhow::anyhow!("the demo organisation {TEAM} is missing"))?
        .id;
    let worker = users::find_by_username(ctx, &system, "outreach")
        .await
        .map_err(e)?;
    let lead = users::find_by_username(ctx, &system, "outreachlead")
        .await
        .map_err(e)?;
    let lead_actor = Actor::staff(lead.id, team, vec![Role::TeamLead]);
    outreach::set_areas(
        ctx,
        &lead_actor,
        &AREAS
            .iter()
            .map(|(code, label)| Choice {
                code: (*code).to_owned(),
                label: (*label).to_owned(),
            })
            .collect::<Vec<_>>(),
    )
    .await
    .map_err(e)?;
    let mut targets = Vec::new();
    for name in REFERRAL_ORGS {
        if let Some(o) = orgs::find_by_name(ctx, name).await.map_err(e)? {
            targets.push(o.id.to_string());
        }
    }
    let actors = [
        Actor::staff(worker.id, team, vec![Role::OutreachWorker]),
        lead_actor.clone(),
    ];
    let mut rng = StdRng::seed_from_u64(4);
    let now = ctx.clock.now_ts();
    let mut n = 0;
    // About a contact a day over the past 26 weeks, more often in the evening.
    for day in (0..182).rev() {
        let contacts = rng.gen_range(0..3);
        for _ in 0..contacts {
            let at = now - day * 86_400 - rng.gen_range(3_600..40_000);
            let progress = 182 - day;
            let people = rng.gen_range(1..=2usize);
            let mut persons = Vec::new();
            for _ in 0..people {
                let anonymous = rng.gen_bool(0.3);
                let r = &REGULARS[rng.gen_range(0..REGULARS.len())];
                let informed = rng.gen_bool(0.6);
                let decision = match (informed, progress * rng.gen_range(1..4) / 182) {
                    (false, _) => None,
                    (true, 0) => Some("not_considering"),
                    (true, 1) => Some("exploring"),
                    (true, _) => Some("decided"),
                };
                let decided_on = (decision == Some("decided")).then(|| {
                    if r.situations.contains(&"eu_citizen") || r.alias == "Grigore" {
                        "voluntary_return"
                    } else if r.situations.contains(&"transit_uk") {
                        "onward_migration"
                    } else {
                        "regularisation"
                    }
                });
                let referrals = if rng.gen_bool(0.25) && !targets.is_empty() {
                    vec![ReferralTarget {
                        kind: "organisation".to_owned(),
                        id: targets[rng.gen_range(0..targets.len())].clone(),
                    }]
                } else {
                    Vec::new()
                };
                let n_needs = rng.gen_range(0..3);
                let n_topics = rng.gen_range(1..3);
                persons.push(PersonInput {
                    alias: (!anonymous).then(|| r.alias.to_owned()),
                    age_band: Some(r.age_band.to_owned()),
                    gender: Some(r.gender.to_owned()),
                    origin: Some(r.origin.to_owned()),
                    language: Some(r.language.to_owned()),
                    situations: r.situations.iter().map(|s| (*s).to_owned()).collect(),
                    needs: NEEDS
                        .choose_multiple(&mut rng, n_needs)
                        .map(|s| (*s).to_owned())
                        .collect(),
                    topics: if informed {
                        TOPICS
                            .choose_multiple(&mut rng, n_topics)
                            .map(|s| (*s).to_owned())
                            .collect()
                    } else {
                        Vec::new()
                    },
                    project: (!anonymous && informed).then(|| r.project.to_owned()),
                    decision: decision.map(str::to_owned),
                    decided_on: decided_on.map(str::to_owned),
                    referrals,
                });
            }
            let mut activities = vec!["contacted".to_owned()];
            if persons.iter().any(|p| !p.topics.is_empty()) {
                activities.push("informed".to_owned());
            }
            if persons.iter().any(|p| !p.referrals.is_empty()) {
                activities.push("referred".to_owned());
            }
            let followup = rng.gen_bool(0.2);
            let actor = &actors[usize::from(rng.gen_bool(0.2))];
            let seeded = Ctx {
                clock: Arc::new(FixedClock::at(at)),
                ..ctx.clone()
            };
            let mut workers = vec![worker.id.to_string()];
            if rng.gen_bool(0.5) {
                workers.push(lead.id.to_string());
            }
            let record = SyncRecord {
                id: uuid_v7_at(&mut rng, at),
                base_version: 0,
                contact: ContactInput {
                    contact_at: Some(at),
                    area: Some(AREAS[rng.gen_range(0..AREAS.len())].0.to_owned()),
                    workers,
                    people_count: Some(people as i64 + rng.gen_range(0..3)),
                    activities,
                    persons,
                    followup_at: followup.then(|| at + rng.gen_range(2..10) * 86_400),
                    followup_place: followup
                        .then(|| PLACES[rng.gen_range(0..PLACES.len())].to_owned()),
                    notes: None,
                },
            };
            let r = outreach::sync(&seeded, actor, &[record]).await.map_err(e)?;
            if r.first().map(|r| r.status) != Some(outreach::SyncStatus::Stored) {
                anyhow::bail!("a demo contact was not stored: {r:?}");
            }
            n += 1;
        }
    }
    Ok(n)
}

/// A UUIDv7 for a past moment, from the seeded generator (the demo looks the same each time).
fn uuid_v7_at(rng: &mut StdRng, at: i64) -> String {
    let ms = u64::try_from(at).unwrap_or(0) * 1000;
    let mut b: [u8; 10] = [0; 10];
    rng.fill(&mut b);
    uuid::Builder::from_unix_timestamp_millis(ms, &b)
        .into_uuid()
        .to_string()
}
