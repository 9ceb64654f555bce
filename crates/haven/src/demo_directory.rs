//! The demo's services directory: every organisation of the demo network plus invented
//! partners (legal aid, clinics, day centres, shelters — one at a confidential address —
//! churches, return counselling, food, women's services), 50+ organisations in all, with
//! services in English, French and Arabic (Tigrinya for some). Seeded, so every demo is
//! the same. `extra_services` adds generated services for the benchmark. Services carry
//! their access attributes and the needs they meet (Haven's two taxonomies).

use haven_core::directory::{self, hsds, Entry, Kind};
use haven_core::firewall;
use haven_core::ids::OrgId;
use haven_core::{Actor, Ctx};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::HashMap;

/// (category, English service name, English description, French name, French
/// description, Arabic name, Arabic description, Tigrinya name if any, documents needed,
/// free, anonymous)
type Offer = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    bool,
    bool,
    bool,
);

const OFFERS: &[Offer] = &[
    ("legal", "Free legal advice on residence", "Lawyers explain your options for residence, asylum and appeals. Confidential.", "Conseil juridique gratuit sur le séjour", "Des avocats expliquent vos possibilités de séjour, d'asile et de recours. Confidentiel.", "استشارة قانونية مجانية بشأن الإقامة", "محامون يشرحون خياراتك للإقامة واللجوء والطعن. سري.", Some("ነጻ ሕጋዊ ምኽሪ"), false, true, true),
    ("legal", "Labour rights help", "Unpaid wages, unsafe work or a boss who keeps your passport: we help, whatever your papers.", "Aide pour les droits du travail", "Salaire impayé, travail dangereux ou passeport confisqué : nous aidons, quels que soient vos papiers.", "مساعدة في حقوق العمل", "أجور غير مدفوعة أو عمل خطير أو صاحب عمل يحتفظ بجواز سفرك: نساعدك مهما كانت أوراقك.", None, false, true, true),
    ("health", "Walk-in clinic", "A doctor and a nurse see anyone without an appointment or insurance.", "Consultation sans rendez-vous", "Un médecin et une infirmière reçoivent toute personne sans rendez-vous ni assurance.", "عيادة بدون موعد", "طبيب وممرضة يستقبلون أي شخص بدون موعد أو تأمين.", Some("ክሊኒክ ብዘይ ቆጸራ"), false, true, false),
    ("health", "Mental health support", "Talk to a psychologist about stress, trauma or sleep, in your language with an interpreter.", "Soutien en santé mentale", "Parlez à un psychologue du stress, d'un traumatisme ou du sommeil, dans votre langue avec un interprète.", "دعم الصحة النفسية", "تحدث مع أخصائي نفسي عن التوتر أو الصدمة أو النوم بلغتك مع مترجم.", None, false, true, false),
    ("day", "Day centre: meals, showers and laundry", "A warm place during the day with lunch, showers, laundry and lockers.", "Accueil de jour : repas, douches et lessive", "Un lieu chaud en journée avec déjeuner, douches, lessive et casiers.", "مركز نهاري: وجبات واستحمام وغسيل", "مكان دافئ خلال النهار مع غداء واستحمام وغسيل وخزائن.", Some("ማእከል መዓልቲ"), false, true, true),
    ("shelter", "Night shelter", "A bed for the night, breakfast and a safe place to store belongings.", "Hébergement de nuit", "Un lit pour la nuit, un petit-déjeuner et un endroit sûr pour vos affaires.", "مأوى ليلي", "سرير لليلة وفطور ومكان آمن لحفظ الأغراض.", Some("መዕቆቢ ለይቲ"), false, true, false),
    ("women", "Women's shelter", "Safe housing for women and their children escaping violence. Call to arrange.", "Refuge pour femmes", "Hébergement sûr pour les femmes et leurs enfants fuyant la violence. Appelez pour convenir d'un rendez-vous.", "مأوى للنساء", "سكن آمن للنساء وأطفالهن الهاربات من العنف. اتصلي للترتيب.", Some("መዕቆቢ ደቂ ኣንስትዮ"), false, true, true),
    ("church", "Church community meal", "Every week a shared meal and a place to meet people. Everyone is welcome.", "Repas communautaire de l'église", "Chaque semaine un repas partagé et un lieu de rencontre. Tout le monde est bienvenu.", "وجبة مجتمعية في الكنيسة", "كل أسبوع وجبة مشتركة ومكان للقاء الناس. الجميع مرحب بهم.", None, false, true, true),
    ("return", "Return counselling", "Thinking about going back? We talk through your options, without pressure.", "Conseil au retour", "Vous pensez rentrer ? Nous discutons de vos options, sans pression.", "استشارة العودة", "تفكر في العودة؟ نناقش خياراتك دون ضغط.", Some("ምኽሪ ምምላስ"), true, true, false),
    ("food", "Food parcels", "A parcel of food and hygiene products every week.", "Colis alimentaires", "Un colis de nourriture et de produits d'hygiène chaque semaine.", "طرود غذائية", "طرد من الطعام ومنتجات النظافة كل أسبوع.", Some("ናይ መግቢ ፓኬት"), false, true, true),
    ("women", "Women's drop-in", "Advice, a listening ear and activities for women, with childcare.", "Accueil pour femmes", "Conseils, écoute et activités pour les femmes, avec garde d'enfants.", "استقبال للنساء", "نصائح وإصغاء وأنشطة للنساء مع رعاية الأطفال.", None, false, true, true),
    ("language", "Dutch lessons", "Free language lessons for beginners, twice a week.", "Cours de néerlandais", "Cours de langue gratuits pour débutants, deux fois par semaine.", "دروس اللغة الهولندية", "دروس لغة مجانية للمبتدئين مرتين في الأسبوع.", None, false, true, false),
];

const CATEGORY_ORGS: &[(&str, &str)] = &[
    ("legal", "Law Clinic"),
    ("legal", "Migrant Law Office"),
    ("health", "Community Health Post"),
    ("health", "Doctors of the World Outpost"),
    ("day", "Day Centre"),
    ("day", "Living Room"),
    ("shelter", "Night Shelter"),
    ("women", "Women's House"),
    ("church", "Parish"),
    ("church", "Evangelical Church"),
    ("return", "Return Desk"),
    ("food", "Food Bank"),
    ("food", "Community Kitchen"),
    ("language", "Language Café"),
];

const DISTRICTS: &[&str] = &[
    "Centrum",
    "Noord",
    "Oost",
    "Havenkwartier",
    "Zuid",
    "West",
    "Oude Stad",
    "Rivierzijde",
];
const LANGS: &[(&str, &str)] = &[
    ("en", "English"),
    ("fr", "French"),
    ("ar", "Arabic"),
    ("ti", "Tigrinya"),
    ("fa", "Persian"),
    ("so", "Somali"),
    ("es", "Spanish"),
    ("nl", "Dutch"),
];

fn id(seed: &str) -> String {
    hsds::derived_uuid(&format!("demo-directory:{seed}"))
}

/// Which offers a network organisation makes.
fn category_of(name: &str) -> &'static str {
    let n = name.to_lowercase();
    if n.contains("legal") || n.contains("labour") {
        "legal"
    } else if n.contains("clinic") || n.contains("health") {
        "health"
    } else if n.contains("women") {
        "women"
    } else if n.contains("shelter") {
        "shelter"
    } else if n.contains("return") {
        "return"
    } else if n.contains("day centre") || n.contains("outreach") {
        "day"
    } else if n.contains("interpreter") {
        "language"
    } else {
        "day"
    }
}

/// The needs (Haven's needs taxonomy) an offer meets, by its English name.
fn needs_of(offer: &str) -> &'static [&'static str] {
    match offer {
        "Free legal advice on residence" => &["legal-advice"],
        "Labour rights help" => &["legal-advice", "report-a-crime"],
        "Walk-in clinic" | "Mental health support" => &["health"],
        "Day centre: meals, showers and laundry" | "Church community meal" | "Food parcels" => {
            &["food"]
        }
        "Night shelter" => &["shelter"],
        "Women's shelter" => &["shelter", "report-a-crime"],
        "Return counselling" => &["return-counselling"],
        _ => &[],
    }
}

/// When the demo's services open, each with the times they may close: always later the
/// same day, and never past 23:00.
const HOURS: [(&str, [&str; 4]); 4] = [
    ("09:00", ["12:30", "17:00", "16:00", "13:00"]),
    ("10:00", ["12:30", "17:00", "16:00", "14:00"]),
    ("13:00", ["17:00", "21:00", "16:00", "18:00"]),
    ("18:00", ["21:00", "23:00", "22:00", "20:00"]),
];

/// A believable opening and closing time, from two draws (0–3 each).
fn opening_hours(open: usize, close: usize) -> (&'static str, &'static str) {
    let (opens, closes) = HOURS[open % 4];
    (opens, closes[close % 4])
}

fn service(
    rng: &mut StdRng,
    key: &str,
    org_id: &str,
    offer: &Offer,
    loc_id: &str,
    confidential: bool,
) -> Entry {
    let (_, en, en_d, fr, fr_d, ar, ar_d, ti, docs, free, anon) = *offer;
    let sid = id(&format!("service:{key}"));
    let mut langs = vec![LANGS[0], LANGS[2]];
    for _ in 0..rng.gen_range(1..4) {
        let l = LANGS[rng.gen_range(1..LANGS.len())];
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
    let days = [
        "MO,TU,WE,TH,FR",
        "MO,WE,FR",
        "TU,TH",
        "MO,TU,WE,TH,FR,SA,SU",
    ][rng.gen_range(0..4)];
    let (opens, closes) = opening_hours(rng.gen_range(0..4), rng.gen_range(0..4));
    let phone = format!(
        "+31 10 {} {}",
        rng.gen_range(100..999),
        rng.gen_range(1000..9999)
    );
    let mut attributes = vec![hsds::haven_attribute(
        &sid,
        "service",
        "no-data-to-immigration",
    )];
    if !docs {
        attributes.push(hsds::haven_attribute(
            &sid,
            "service",
            "no-documents-needed",
        ));
    }
    if free {
        attributes.push(hsds::haven_attribute(&sid, "service", "free-of-charge"));
    }
    if anon {
        attributes.push(hsds::haven_attribute(&sid, "service", "anonymous-possible"));
    }
    for need in needs_of(en) {
        attributes.push(hsds::haven_attribute(&sid, "service", need));
    }
    let required_documents: Vec<Value> = if docs {
        vec![
            json!({"id": id(&format!("doc:{key}")), "document": "Any identity document, from any country (an expired one will do)"}),
        ]
    } else {
        Vec::new()
    };
    let hsds = json!({
        "id": sid,
        "organization_id": org_id,
        "name": en,
        "description": en_d,
        "status": "active",
        "eligibility_description": "Anyone in Rivierstad, whatever their residence status.",
        "application_process": if confidential { "Call us; we arrange where to meet." } else { "Walk in during opening hours or call ahead." },
        "fees_description": if free { "Free of charge." } else { "A small contribution if you can; nobody is turned away." },
        "interpretation_services": "Interpreters by phone for any language.",
        "last_modified": "2026-11-01T09:00:00.000Z",
        "phones": [{"id": id(&format!("phone:{key}")), "number": phone, "type": "voice",
            "languages": langs.iter().map(|(c, n)| json!({"id": id(&format!("plang:{key}:{c}")), "code": c, "name": n})).collect::<Vec<_>>()}],
        "languages": langs.iter().map(|(c, n)| json!({"id": id(&format!("lang:{key}:{c}")), "code": c, "name": n})).collect::<Vec<_>>(),
        "schedules": [{"id": id(&format!("schedule:{key}")), "freq": "WEEKLY", "byday": days,
            "opens_at": format!("{opens}:00"), "closes_at": format!("{closes}:00"),
            "description": format!("{days} from {opens} to {closes}")}],
        "service_areas": [{"id": id(&format!("area:{key}")), "name": "Rivierstad", "description": "The whole city of Rivierstad and its surroundings."}],
        "cost_options": if free { json!([{"id": id(&format!("cost:{key}")), "option": "Free", "amount": 0, "currency": "EUR"}]) } else { json!([]) },
        "required_documents": required_documents,
        "attributes": attributes,
        "service_at_locations": [{"id": id(&format!("sal:{key}")), "location_id": loc_id}],
    });
    let mut e = Entry::new(hsds, "en");
    let mut tr = |lang: &str, name: &str, desc: &str| {
        let m = e.translations.entry(lang.to_owned()).or_default();
        m.insert("name".into(), name.to_owned());
        m.insert("description".into(), desc.to_owned());
    };
    tr("fr", fr, fr_d);
    tr("ar", ar, ar_d);
    if let Some(t) = ti {
        e.translations
            .entry("ti".into())
            .or_default()
            .insert("name".into(), t.to_owned());
    }
    e
}

fn location(rng: &mut StdRng, key: &str, org_id: &str, name: &str, confidential: bool) -> Entry {
    let lid = id(&format!("location:{key}"));
    let district = DISTRICTS[rng.gen_range(0..DISTRICTS.len())];
    let mut v = json!({
        "id": lid,
        "organization_id": org_id,
        "location_type": "physical",
        "name": name,
        "description": format!("{name}, {district}"),
        "latitude": 51.9 + rng.gen_range(0..1000) as f64 / 10_000.0,
        "longitude": 4.4 + rng.gen_range(0..1000) as f64 / 10_000.0,
        "transportation": format!("Tram {} to {district}", rng.gen_range(1..25)),
        "addresses": [{"id": id(&format!("address:{key}")), "address_1": format!("{} {}", ["Havenstraat", "Kerkplein", "Rivierkade", "Molenweg", "Lindelaan"][rng.gen_range(0..5)], rng.gen_range(1..200)),
            "city": "Rivierstad", "state_province": "Zuid-Holland", "postal_code": format!("30{} AB", rng.gen_range(10..99)), "country": "NL", "address_type": "physical"}],
    });
    if confidential {
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "attributes".into(),
                json!([hsds::haven_attribute(
                    &lid,
                    "location",
                    "confidential-location"
                )]),
            );
        }
    }
    Entry::new(v, "en")
}

/// Seeds the directory. `network` maps the demo network's organisation names to ids.
pub async fn seed(
    ctx: &Ctx,
    network: &HashMap<&str, OrgId>,
    extra_services: usize,
) -> anyhow::Result<()> {
    let e = |e: haven_core::Error| anyhow::anyhow!("seeding the directory failed: {e:?}");
    let system = Actor::system();
    let mut rng = StdRng::seed_from_u64(5);
    let mut orgs: Vec<(String, String, &str, Option<OrgId>)> = Vec::new();
    let mut names: Vec<&&str> = network.keys().collect();
    names.sort();
    for name in names {
        // Only organisations that take people in offer services: never the police liaison
        // unit, the policy unit or the reporting hub (the firewall by kind refuses the
        // first two anyway; the hub's reporting page is the way in to it).
        if !takes_referrals(ctx, network[*name]).await? {
            continue;
        }
        orgs.push((
            id(&format!("org:{name}")),
            (*name).to_owned(),
            category_of(name),
            Some(network[*name]),
        ));
    }
    let mut n = 0;
    while orgs.len() < 52 {
        let (cat, kind) = CATEGORY_ORGS[n % CATEGORY_ORGS.len()];
        let district = DISTRICTS[(n / CATEGORY_ORGS.len()) % DISTRICTS.len()];
        let name = format!("{kind} {district}");
        orgs.push((id(&format!("org:{name}")), name, cat, None));
        n += 1;
    }
    let mut entries = Vec::new();
    let mut confidential_done = false;
    let mut service_count = 0;
    for (i, (oid, name, cat, _)) in orgs.iter().enumerate() {
        let mut org = Entry::new(
            json!({"id": oid, "name": name, "description": format!("{name} is part of the Rivierstad network for people without papers."),
            "website": format!("https://example.org/{}", i)}),
            "en",
        );
        org.translations.entry("fr".into()).or_default().insert(
            "description".into(),
            format!("{name} fait partie du réseau de Rivierstad pour les personnes sans papiers."),
        );
        org.translations.entry("ar".into()).or_default().insert(
            "description".into(),
            format!("{name} جزء من شبكة ريفيرستاد للأشخاص بدون أوراق."),
        );
        entries.push((Kind::Organization, org));
        let confidential = *cat == "women" && !confidential_done;
        confidential_done |= confidential;
        let key = format!("{i}");
        let loc = location(&mut rng, &key, oid, name, confidential);
        let loc_id = loc.id().unwrap_or_default().to_owned();
        entries.push((Kind::Location, loc));
        let offers: Vec<&Offer> = OFFERS.iter().filter(|o| o.0 == *cat).collect();
        for (j, offer) in offers.iter().enumerate() {
            entries.push((
                Kind::Service,
                service(
                    &mut rng,
                    &format!("{i}:{j}"),
                    oid,
                    offer,
                    &loc_id,
                    confidential,
                ),
            ));
            service_count += 1;
        }
    }
    // Benchmark directories: more services, spread over the organisations.
    for k in 0..extra_services.saturating_sub(service_count) {
        let (i, (oid, _, _, _)) = {
            let i = k % orgs.len();
            (i, &orgs[i])
        };
        let offer = &OFFERS[rng.gen_range(0..OFFERS.len())];
        let loc_id = id(&format!("location:{i}"));
        entries.push((
            Kind::Service,
            service(&mut rng, &format!("extra:{k}"), oid, offer, &loc_id, false),
        ));
    }
    for chunk in entries.chunks(500) {
        directory::publish_entries(ctx, &system, chunk.to_vec())
            .await
            .map_err(e)?;
    }
    for (oid, _, _, haven) in &orgs {
        if let Some(h) = haven {
            directory::link_network_org(ctx, &system, oid, Some(*h))
                .await
                .map_err(e)?;
        }
    }
    Ok(())
}

/// Whether a network organisation's kind receives referrals (`haven_core::firewall`).
async fn takes_referrals(ctx: &Ctx, org: OrgId) -> anyhow::Result<bool> {
    let kind: String = sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_one(&ctx.db.pool)
        .await?;
    let kind = kind.parse().unwrap_or(haven_core::orgs::OrgKind::Other);
    Ok(firewall::rules(kind).referral_recipient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_schedule_closes_after_it_opens() {
        for open in 0..4 {
            for close in 0..4 {
                let (o, c) = opening_hours(open, close);
                assert!(c > o, "{o}–{c}");
            }
        }
    }
}
