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
    ("outreach", "Street outreach", "Our team walks the city's streets, parks and stations: a hot drink, information and a way to a bed or a doctor.", "Maraudes dans la rue", "Notre équipe parcourt les rues, les parcs et les gares : une boisson chaude, des informations et un chemin vers un lit ou un médecin.", "فريق التواصل في الشارع", "يجوب فريقنا شوارع المدينة وحدائقها ومحطاتها: مشروب ساخن ومعلومات وطريق إلى سرير أو طبيب.", Some("ስራሕ ኣብ ጎደና"), false, true, true),
    ("municipal", "Shelter and counselling intake", "The city's intake for a shelter place with counselling towards your future: ask at the desk, with or without papers.", "Accueil pour un hébergement et un accompagnement", "L'accueil de la ville pour une place d'hébergement avec un accompagnement vers votre avenir : demandez au guichet, avec ou sans papiers.", "استقبال طلبات المأوى والإرشاد", "مكتب المدينة لطلب مكان في مأوى مع إرشاد نحو مستقبلك: اسأل في المكتب، بأوراق أو بدونها.", None, false, true, false),
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
    } else if n.contains("outreach") {
        "outreach"
    } else if n.contains("social support") {
        "municipal"
    } else if n.contains("day centre") {
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
        "Night shelter" | "Shelter and counselling intake" => &["shelter"],
        "Women's shelter" => &["shelter", "report-a-crime"],
        "Return counselling" => &["return-counselling"],
        _ => &[],
    }
}

/// When a demo service is open: (days, opens, closes, and what people call that time).
/// Each kind of service draws from the times such a service keeps in a real city (a night
/// shelter opens its doors in the evening, a community meal is one day a week), and
/// services that recur across the city are named by their time.
/// The last four are that time's name in English, French, Arabic and Tigrinya.
type Hours = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The times a kind of service keeps, one to a line.
#[rustfmt::skip]
mod times {
    use super::Hours;
    pub const WEEKDAYS: &str = "MO,TU,WE,TH,FR";
    pub const EVERY_DAY: &str = "MO,TU,WE,TH,FR,SA,SU";
    pub const MORNINGS: Hours = (WEEKDAYS, "09:00", "12:30", "weekday mornings", "matins en semaine", "صباح أيام الأسبوع", "ንግሆ ኣብ መዓልትታት ስራሕ");
    pub const AFTERNOONS: Hours = (WEEKDAYS, "13:00", "17:00", "weekday afternoons", "après-midi en semaine", "بعد الظهر أيام الأسبوع", "ድሕሪ ቐትሪ ኣብ መዓልትታት ስራሕ");
    pub const MON_WED_FRI: Hours = ("MO,WE,FR", "10:00", "16:00", "Monday, Wednesday and Friday", "lundi, mercredi et vendredi", "الاثنين والأربعاء والجمعة", "ሰኑይ፡ ረቡዕን ዓርብን");
    pub const TUE_THU_EVENINGS: Hours = ("TU,TH", "18:30", "21:00", "Tuesday and Thursday evenings", "mardi et jeudi soir", "مساء الثلاثاء والخميس", "ሰሉስን ሓሙስን ምሸት");
    pub const DAYTIME: Hours = (EVERY_DAY, "09:00", "17:00", "every day", "tous les jours", "كل يوم", "ኩሉ መዓልቲ");
    pub const WEEKDAY_DAYS: Hours = (WEEKDAYS, "08:30", "16:30", "weekdays", "en semaine", "أيام الأسبوع", "መዓልትታት ስራሕ");
    pub const LATE_DAYS: Hours = ("MO,TU,WE,TH,FR,SA", "11:00", "19:00", "Monday to Saturday", "du lundi au samedi", "من الاثنين إلى السبت", "ካብ ሰኑይ ክሳብ ቀዳም");
    pub const NIGHTS: Hours = (EVERY_DAY, "19:00", "23:00", "doors open every evening", "ouverture chaque soir", "الأبواب مفتوحة كل مساء", "ኩሉ ምሸት");
    pub const ANY_TIME: Hours = (EVERY_DAY, "00:00", "23:59", "day and night", "jour et nuit", "ليلاً ونهاراً", "ለይትን መዓልትን");
    pub const SATURDAY: Hours = ("SA", "10:00", "13:00", "Saturday morning", "samedi matin", "صباح السبت", "ቀዳም ንግሆ");
    pub const SUNDAY_LUNCH: Hours = ("SU", "12:30", "14:30", "Sunday lunch", "déjeuner du dimanche", "غداء يوم الأحد", "ምሳሕ ሰንበት");
    pub const WEDNESDAY_SUPPER: Hours = ("WE", "18:00", "20:00", "Wednesday supper", "dîner du mercredi", "عشاء يوم الأربعاء", "ድራር ረቡዕ");
    pub const FRIDAY_AFTERNOON: Hours = ("FR", "14:00", "17:00", "Friday afternoon", "vendredi après-midi", "بعد ظهر الجمعة", "ዓርቢ ድሕሪ ቐትሪ");
    pub const THURSDAY_MORNING: Hours = ("TH", "09:30", "12:00", "Thursday morning", "jeudi matin", "صباح الخميس", "ሓሙስ ንግሆ");
}
use times::*;

/// The times a kind of service keeps, by its English name, and whether its name says
/// when (a meal, a food parcel or a class is known by its day).
fn hours_of(offer: &str) -> (&'static [Hours], bool) {
    match offer {
        "Free legal advice on residence" => (&[AFTERNOONS, MON_WED_FRI, MORNINGS], false),
        "Labour rights help" => (&[TUE_THU_EVENINGS, SATURDAY, MON_WED_FRI], false),
        "Walk-in clinic" => (&[MORNINGS, AFTERNOONS, MON_WED_FRI], false),
        "Mental health support" => (&[AFTERNOONS, MON_WED_FRI, MORNINGS], false),
        "Night shelter" => (&[NIGHTS], false),
        "Women's shelter" => (&[ANY_TIME], false),
        "Church community meal" => (
            &[SUNDAY_LUNCH, WEDNESDAY_SUPPER, SATURDAY, TUE_THU_EVENINGS],
            true,
        ),
        "Food parcels" => (&[FRIDAY_AFTERNOON, THURSDAY_MORNING, SATURDAY], true),
        "Dutch lessons" => (&[TUE_THU_EVENINGS, MORNINGS], true),
        "Women's drop-in" => (&[MON_WED_FRI, THURSDAY_MORNING], true),
        "Return counselling" => (&[MON_WED_FRI, AFTERNOONS], false),
        "Street outreach" => (&[TUE_THU_EVENINGS, NIGHTS], false),
        "Shelter and counselling intake" => (&[MORNINGS], false),
        _ => (&[DAYTIME, WEEKDAY_DAYS, LATE_DAYS], false),
    }
}

fn service(
    rng: &mut StdRng,
    key: &str,
    org_id: &str,
    offer: &Offer,
    loc_id: &str,
    confidential: bool,
    turn: usize,
) -> Entry {
    let (_, base, en_d, fr, fr_d, ar, ar_d, ti, docs, free, anon) = *offer;
    let (times, named_by_time) = hours_of(base);
    let (days, opens, closes, when_en, when_fr, when_ar, when_ti) = times[turn % times.len()];
    let named = |name: &str, when: &str| {
        if named_by_time {
            format!("{name}: {when}")
        } else {
            name.to_owned()
        }
    };
    let (en, fr, ar) = (named(base, when_en), named(fr, when_fr), named(ar, when_ar));
    let ti = ti.map(|t| named(t, when_ti));
    let sid = id(&format!("service:{key}"));
    let mut langs = vec![LANGS[0], LANGS[2]];
    for _ in 0..rng.gen_range(1..4) {
        let l = LANGS[rng.gen_range(1..LANGS.len())];
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
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
    for need in needs_of(base) {
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
    tr("fr", &fr, fr_d);
    tr("ar", &ar, ar_d);
    if let Some(t) = ti {
        e.translations
            .entry("ti".into())
            .or_default()
            .insert("name".into(), t);
    }
    e
}

fn location(
    rng: &mut StdRng,
    key: &str,
    org_id: &str,
    name: &str,
    district: &str,
    confidential: bool,
) -> Entry {
    let lid = id(&format!("location:{key}"));
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
    // (HSDS id, name, category, district, the Haven organisation it is)
    let mut orgs: Vec<(String, String, &str, &str, Option<OrgId>)> = Vec::new();
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
            DISTRICTS[orgs.len() % DISTRICTS.len()],
            Some(network[*name]),
        ));
    }
    let mut n = 0;
    while orgs.len() < 52 {
        let (cat, kind) = CATEGORY_ORGS[n % CATEGORY_ORGS.len()];
        let district = DISTRICTS[(n / CATEGORY_ORGS.len()) % DISTRICTS.len()];
        let name = format!("{kind} {district}");
        orgs.push((id(&format!("org:{name}")), name, cat, district, None));
        n += 1;
    }
    let mut entries = Vec::new();
    let mut confidential_done = false;
    let mut service_count = 0;
    let mut turns: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, (oid, name, cat, district, _)) in orgs.iter().enumerate() {
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
        let loc = location(&mut rng, &key, oid, name, district, confidential);
        let loc_id = loc.id().unwrap_or_default().to_owned();
        entries.push((Kind::Location, loc));
        let offers: Vec<&Offer> = OFFERS.iter().filter(|o| o.0 == *cat).collect();
        for (j, offer) in offers.iter().enumerate() {
            // Services of one kind in one district keep different hours.
            let turn = turns.entry((offer.1, district)).or_insert(0usize);
            *turn += 1;
            let turn = *turn - 1;
            entries.push((
                Kind::Service,
                service(
                    &mut rng,
                    &format!("{i}:{j}"),
                    oid,
                    offer,
                    &loc_id,
                    confidential,
                    turn,
                ),
            ));
            service_count += 1;
        }
    }
    // Benchmark directories: more services, spread over the organisations.
    for k in 0..extra_services.saturating_sub(service_count) {
        let (i, (oid, _, _, _, _)) = {
            let i = k % orgs.len();
            (i, &orgs[i])
        };
        let offer = &OFFERS[rng.gen_range(0..OFFERS.len())];
        let loc_id = id(&format!("location:{i}"));
        entries.push((
            Kind::Service,
            service(
                &mut rng,
                &format!("extra:{k}"),
                oid,
                offer,
                &loc_id,
                false,
                k,
            ),
        ));
    }
    for chunk in entries.chunks(500) {
        directory::publish_entries(ctx, &system, chunk.to_vec())
            .await
            .map_err(e)?;
    }
    for (oid, _, _, _, haven) in &orgs {
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
        for offer in OFFERS {
            for (days, opens, closes, ..) in hours_of(offer.1).0 {
                assert!(closes > opens, "{}: {days} {opens}–{closes}", offer.1);
            }
        }
    }
}
