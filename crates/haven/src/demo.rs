//! Invented data for `haven demo`: a city network with departments, partner organisations,
//! one account per role, and a few hundred persons. Every name is made up; the generator
//! is seeded, so each demo looks the same.

use haven_core::ids::{OrgId, UserId};
use haven_core::orgs::{self, OrgInput};
use haven_core::people::{self, PersonInput};
use haven_core::users::{self, NewUser};
use haven_core::{Actor, Ctx, FixedClock, Role};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use std::sync::Arc;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "haven-demo-2026";

/// The demo's safe-reporting hub, which keeps personal data for 12 months, not 24.
pub const HUB: &str = "Rivierstad Safe Reporting Hub";

const ORGS: &[(&str, &str)] = &[
    (
        "Rivierstad Social Support Department",
        "municipal_department",
    ),
    ("Rivierstad Public Health Service", "municipal_department"),
    (HUB, "reporting_hub"),
    ("Rivierstad Policy and Research", "policy_unit"),
    ("Open Door Legal Aid", "legal_aid"),
    ("Harbour Street Clinic", "health"),
    ("St. Martin Day Centre", "ngo"),
    ("Crossroads Outreach Team", "ngo"),
    ("New Horizons Return Counselling", "ngo"),
    ("Noorderhuis Shelter Foundation", "shelter_operator"),
    ("Safe Harbour Women's Shelter", "shelter_operator"),
    ("Labour Rights Desk", "legal_aid"),
    ("Bridge Interpreters Collective", "other"),
    ("Rivierstad Police Liaison Unit", "police_liaison"),
];

/// (username, display name, organisation, role)
pub const USERS: &[(&str, &str, &str, Role)] = &[
    (
        "admin",
        "Ada Administrator",
        "Rivierstad Social Support Department",
        Role::Administrator,
    ),
    (
        "casemanager",
        "Chris Casemanager",
        "Rivierstad Social Support Department",
        Role::CaseManager,
    ),
    (
        "casemanager2",
        "Femke de Vries",
        "Rivierstad Social Support Department",
        Role::CaseManager,
    ),
    (
        "casemanager3",
        "Yusuf Demir",
        "Rivierstad Social Support Department",
        Role::CaseManager,
    ),
    (
        "legal",
        "Lina Legal",
        "Open Door Legal Aid",
        Role::LegalCounsellor,
    ),
    (
        "outreach",
        "Omar Outreach",
        "Crossroads Outreach Team",
        Role::OutreachWorker,
    ),
    (
        "outreachlead",
        "Olga Outreachlead",
        "Crossroads Outreach Team",
        Role::TeamLead,
    ),
    (
        "teamlead",
        "Tamar Teamlead",
        "Rivierstad Social Support Department",
        Role::TeamLead,
    ),
    (
        "shelter",
        "Sanne Shelter",
        "Rivierstad Social Support Department",
        Role::ShelterCoordinator,
    ),
    (
        "hub",
        "Hana Hub",
        "Rivierstad Safe Reporting Hub",
        Role::HubOfficer,
    ),
    (
        "hubadmin",
        "Hugo Hubadmin",
        "Rivierstad Safe Reporting Hub",
        Role::Administrator,
    ),
    (
        "partner",
        "Pieter Partner",
        "Harbour Street Clinic",
        Role::PartnerStaff,
    ),
    (
        "analyst",
        "Anouk Analyst",
        "Rivierstad Policy and Research",
        Role::Analyst,
    ),
    (
        "police",
        "Pim Police",
        "Rivierstad Police Liaison Unit",
        Role::PoliceLiaison,
    ),
    (
        "editor",
        "Eva Editor",
        "Rivierstad Social Support Department",
        Role::Editor,
    ),
];

const GIVEN: &[&str] = &[
    "Mohammed",
    "Muhammad",
    "Mohamed",
    "Ahmed",
    "Abdelrahman",
    "Abd al-Rahman",
    "Youssef",
    "Yusuf",
    "Omar",
    "Ali",
    "Hassan",
    "Ibrahim",
    "Mustafa",
    "Khaled",
    "Tesfay",
    "Yonas",
    "Semhar",
    "Filmon",
    "Aster",
    "Selam",
    "Mehari",
    "Fatima",
    "Fatimah",
    "Amina",
    "Aisha",
    "Mariam",
    "Zainab",
    "Hawa",
    "Ahmad Shah",
    "Farid",
    "Zahra",
    "Parwana",
    "Nasrin",
    "Mamadou",
    "Ousmane",
    "Aminata",
    "Fatoumata",
    "Ibrahima",
    "Kofi",
    "Ama",
    "Chinedu",
    "Ngozi",
    "Bogdan",
    "Ionut",
    "Mihaela",
    "Florin",
    "Andrei",
    "Oksana",
    "Olena",
    "Dmytro",
    "Maria José",
    "Luis",
    "Camila",
    "Jhon",
    "Yesenia",
    "محمد",
    "فاطمة",
    "ሰላም",
    "Abdullahi",
    "Hodan",
    "Faduma",
];

const FAMILY: &[&str] = &[
    "Haddad",
    "El Amrani",
    "Benali",
    "Mansour",
    "Osman",
    "Abdi",
    "Hussein",
    "Tekle",
    "Gebremedhin",
    "Haile",
    "Kidane",
    "Berhane",
    "Mehretab",
    "Rahimi",
    "Ahmadzai",
    "Karimi",
    "Hosseini",
    "Diallo",
    "Barry",
    "Traoré",
    "Koné",
    "Mensah",
    "Okafor",
    "Popescu",
    "Ionescu",
    "Dumitru",
    "Kovalenko",
    "Shevchenko",
    "García",
    "Rodríguez",
    "Quispe",
    "Castro",
    "Warsame",
    "Farah",
    "Jama",
    "Al-Sayed",
    "Abd al-Rahman",
    "Abdelrahman",
    "Nasser",
    "حداد",
];

const ALIASES: &[&str] = &[
    "Papa",
    "Tiger",
    "Doctor",
    "Teacher",
    "Blue",
    "the tall one",
    "Ras",
    "Mama Africa",
    "Capitán",
    "Habibi",
    "Shorty",
    "Professor",
];

const NATIONALITIES: &[&str] = &[
    "Eritrea",
    "Sudan",
    "Afghanistan",
    "Syria",
    "Morocco",
    "Algeria",
    "Guinea",
    "Nigeria",
    "Ghana",
    "Romania",
    "Ukraine",
    "Colombia",
    "Somalia",
    "Ethiopia",
    "Iraq",
    "stateless",
];

const LANGUAGES: &[&str] = &[
    "Arabic",
    "Tigrinya",
    "Dari",
    "Pashto",
    "French",
    "English",
    "Fula",
    "Romanian",
    "Ukrainian",
    "Spanish",
    "Somali",
    "Amharic",
    "Russian",
];

const STATUSES: &[(&str, u32)] = &[
    ("undocumented", 30),
    ("rejected_asylum_seeker", 25),
    ("dublin_claimant", 10),
    ("asylum_seeker", 8),
    ("recognised_refugee", 12),
    ("eu_citizen_without_rights", 7),
    ("transit", 6),
    ("unknown", 2),
];

const NOTES: &[&str] = &[
    "Sleeps at the central station most nights. Asked about a doctor for a foot injury.",
    "Wants to explore a repeat asylum application; appointment with legal aid requested.",
    "Considering voluntary return; would like to talk to return counselling first.",
    "Works informally in construction; was not paid for three weeks. Labour rights desk informed.",
    "Dublin case: fingerprints taken in Italy. Afraid of transfer. Explained the procedure.",
    "Recently recognised; looking for a language course and work experience placement.",
    "Came through the day centre. Needs a place to sleep; on the waiting list.",
    "",
];

pub fn random_password() -> String {
    let mut b = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut b);
    data_encoding_base32(&b)
}

fn data_encoding_base32(b: &[u8]) -> String {
    const ALPHA: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    b.iter()
        .map(|x| ALPHA[*x as usize % ALPHA.len()] as char)
        .collect()
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

fn weighted(rng: &mut StdRng) -> &'static str {
    let total: u32 = STATUSES.iter().map(|s| s.1).sum();
    let mut n = rng.gen_range(0..total);
    for (s, w) in STATUSES {
        if n < *w {
            return s;
        }
        n -= w;
    }
    "unknown"
}

/// One invented person.
pub fn invented_person(rng: &mut StdRng, this_year: i32) -> PersonInput {
    let name = match rng.gen_range(0..10) {
        0 => None,
        1 => Some(pick(rng, GIVEN).to_owned()),
        _ => Some(format!("{} {}", pick(rng, GIVEN), pick(rng, FAMILY))),
    };
    let alias = (name.is_none() || rng.gen_bool(0.2)).then(|| pick(rng, ALIASES).to_owned());
    let age = rng.gen_range(17..62);
    let (birth_date, birth_year) = if rng.gen_bool(0.4) {
        let y = this_year - age;
        (
            Some(format!(
                "{y:04}-{:02}-{:02}",
                rng.gen_range(1..=12),
                rng.gen_range(1..=28)
            )),
            None,
        )
    } else {
        (None, Some((this_year - age).to_string()))
    };
    let gender = ["female", "male", "male", "female", "non_binary", "unknown"][rng.gen_range(0..6)];
    let phone = rng.gen_bool(0.5).then(|| {
        format!(
            "+31 6 {:04} {:04}",
            rng.gen_range(1000..9999),
            rng.gen_range(1000..9999)
        )
    });
    let n_lang = rng.gen_range(1..=3);
    let mut langs: Vec<&str> = LANGUAGES.choose_multiple(rng, n_lang).copied().collect();
    langs.sort();
    PersonInput {
        name,
        alias,
        birth_date,
        birth_year,
        gender: Some(gender.to_owned()),
        nationalities: vec![pick(rng, NATIONALITIES).to_owned()],
        languages: vec![langs.join(", ")],
        phone,
        residence_status: Some(weighted(rng).to_owned()),
        notes: Some(pick(rng, NOTES).to_owned()),
        version: None,
    }
}

/// A demo account with one role and the demo password, signing in without a second
/// factor: its id.
pub(crate) async fn create_account(
    ctx: &Ctx,
    username: &str,
    display_name: &str,
    org: OrgId,
    role: Role,
) -> Result<UserId, haven_core::Error> {
    let account = NewUser {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        org_id: org.to_string(),
        roles: vec![role.as_str().to_owned()],
        password: DEMO_PASSWORD.to_owned(),
        ..Default::default()
    };
    Ok(users::create(ctx, &Actor::system(), &account, None)
        .await?
        .id)
}

/// The id of a demo account, if it exists.
pub(crate) async fn user_id(ctx: &Ctx, username: &str) -> anyhow::Result<Option<UserId>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&ctx.db.pool)
            .await?,
    )
}

/// The id of a demo account that the seeding before this step made.
pub(crate) async fn existing_user(ctx: &Ctx, username: &str) -> anyhow::Result<UserId> {
    user_id(ctx, username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo account {username} is missing"))
}

/// The first `limit` persons an organisation registered that are not erased, oldest first:
/// the ones the later seeding steps give cases and referrals.
pub(crate) async fn registered_persons(
    ctx: &Ctx,
    org: OrgId,
    limit: i64,
) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM persons WHERE owner_org = $1 AND data_key IS NOT NULL \
         ORDER BY created_at, id LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(&ctx.db.pool)
    .await?)
}

/// Fills an empty database; does nothing when organisations exist already. `cases` above
/// zero adds bulk casework for benchmarks (see [`crate::demo_bench`]).
pub async fn seed_if_empty(
    ctx: &Ctx,
    persons: usize,
    cases: usize,
    services: usize,
) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&ctx.db.pool)
        .await?;
    if n > 0 {
        return Ok(false);
    }
    let e = |e: haven_core::Error| anyhow::anyhow!("seeding failed: {e:?}");
    let system = Actor::system();
    let mut org_ids = std::collections::HashMap::new();
    for (name, kind) in ORGS {
        let o = orgs::create(
            ctx,
            &system,
            &OrgInput {
                name: (*name).to_owned(),
                kind: (*kind).to_owned(),
                active: true,
                // The reporting hub keeps what it learns for a year only ("free in, free
                // out"), so the demo's first retention sweep has persons to erase.
                retention_months: (*name == HUB).then(|| "12".to_owned()),
            },
        )
        .await
        .map_err(e)?;
        org_ids.insert(*name, o.id);
    }
    let mut actors = Vec::new();
    for (username, display, org, role) in USERS {
        let org_id = org_ids[org];
        let id = create_account(ctx, username, display, org_id, *role)
            .await
            .map_err(e)?;
        if role
            .permissions()
            .contains(&haven_core::Permission::PersonRegister)
        {
            actors.push(Actor::staff(id, org_id, vec![*role]));
        }
    }
    // Persons registered over the past two years, mostly by the city's case managers.
    let mut rng = StdRng::seed_from_u64(2026);
    let now = ctx.clock.now_ts();
    let this_year = ctx.clock.now().year();
    for i in 0..persons {
        let when = now - rng.gen_range(0..730 * 86_400);
        let seeded = Ctx {
            clock: Arc::new(FixedClock::at(when)),
            ..ctx.clone()
        };
        let actor = if i % 3 == 0 {
            &actors[rng.gen_range(0..actors.len())]
        } else {
            &actors[0]
        };
        people::register(&seeded, actor, &invented_person(&mut rng, this_year))
            .await
            .map_err(e)?;
    }
    crate::demo_cases::seed(ctx).await?;
    if cases > 0 {
        // The demo case manager's caseload first, so that the demo's shelter history
        // (placements through the use cases) covers it.
        // The benchmark's caseload is the largest a programme allows (50 per manager).
        sqlx::query("UPDATE programmes SET caseload_cap = 50")
            .execute(&ctx.db.pool)
            .await?;
        crate::demo_cases::fill_caseload(ctx, 50).await?;
    }
    crate::demo_shelters::seed(ctx).await?;
    crate::demo_directory::seed(ctx, &org_ids, services).await?;
    crate::demo_referrals::seed(ctx).await?;
    crate::demo_content::seed(ctx).await?;
    crate::demo_outreach::seed(ctx).await?;
    crate::demo_hub::seed(ctx).await?;
    crate::demo_hub_work::seed(ctx).await?;
    if cases > 0 {
        crate::demo_bench::seed(ctx, cases).await?;
    }
    Ok(true)
}

pub fn logins_text(bind: &str) -> String {
    let mut s = format!(
        "\nHaven demo: http://{bind}/staff/login\nEvery account's password is {DEMO_PASSWORD}; demo accounts sign in without a second factor.\n"
    );
    for (u, d, org, role) in USERS {
        s.push_str(&format!("  {u:<12} {:<20} {d} ({org})\n", role.as_str()));
    }
    s
}
