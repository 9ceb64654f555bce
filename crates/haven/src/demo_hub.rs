//! The demo's safe-reporting hub: reports made online and by phone, in several
//! languages, some answered, some waiting for an answer, some closed. Made through the
//! hub's own use cases, so they are sealed and audited like real ones.

use haven_core::hub::{self, MessageInput, ReportInput};
use haven_core::ids::{OrgId, UserId};
use haven_core::{Actor, Ctx, FixedClock, Role};
use std::sync::Arc;

/// (days ago, category, language, victim?, what happened, the hub's answer, the
/// reporter's reply, closed?)
type Demo = (
    i64,
    &'static str,
    &'static str,
    bool,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    bool,
);

const REPORTS: &[Demo] = &[
    (
        95,
        "labour_exploitation",
        "ar",
        true,
        "أعمل في مزرعة بيوت زجاجية منذ ستة أشهر. صاحب العمل لم يدفع أجري منذ ثلاثة أشهر ويحتفظ بجواز سفري.",
        Some("شكراً لأنك أخبرتنا. يمكن لمستشارة تتحدث العربية أن تقابلك يوم الثلاثاء في المركز دون موعد. أجرك حق لك مهما كانت أوراقك."),
        Some("شكراً. سآتي يوم الثلاثاء مع زميل لي حدث له نفس الشيء."),
        true,
    ),
    (
        40,
        "domestic_violence",
        "ti",
        true,
        "ሰብኣየይ ይወቕዓኒ እዩ። ወረቐተይ ሒዝዎ ኣሎ፡ ናብ ፖሊስ እንተ ኸድኩ ከም ዝስጎግ ይብለኒ።",
        Some("በይንኺ ኣይኮንኪን። ፖሊስ ናይዛ ከተማ ወረቐት ናይቶም ዝሕብሩ ግዳያት ኣይፍትሽን። ሎሚ ምሸት ውሑስ ቦታ ክንረኽበልኪ ንኽእል ኢና፡ ናብ ማእከል ምጺ። ሓሙስ ተርጓሚ ትግርኛ ኣሎና።"),
        None,
        false,
    ),
    (
        21,
        "theft_robbery",
        "en",
        false,
        "I saw two men take a phone from a woman at the tram stop near the market, around 10 at night. She was scared to call anyone.",
        None,
        None,
        false,
    ),
    (
        12,
        "fraud",
        "uk",
        true,
        "Людина, яка знайшла мені житло, взяла депозит 900 євро за кімнату, якої не існує.",
        Some("Дякуємо. Це шахрайство, і ви можете повернути гроші через юридичну консультацію. Записати вас на прийом? Напишіть тут, який день вам зручний."),
        Some("Четвер після обіду підходить."),
        false,
    ),
    (
        6,
        "hate_crime",
        "fa",
        false,
        "یک مرد در اتوبوس به یک زن محجبه فحش داد و او را هل داد. راننده کاری نکرد.",
        None,
        None,
        false,
    ),
    (
        2,
        "trafficking",
        "es",
        true,
        "Me trajeron con promesa de trabajo en un restaurante. Ahora debo dinero y no me dejan salir sola.",
        None,
        None,
        false,
    ),
];

/// The hub's officer, as the demo created them.
async fn officer(ctx: &Ctx) -> anyhow::Result<Actor> {
    #[derive(sqlx::FromRow)]
    struct Officer {
        id: UserId,
        org_id: OrgId,
    }
    let o: Officer = sqlx::query_as("SELECT id, org_id FROM users WHERE username = 'hub'")
        .fetch_one(&ctx.db.pool)
        .await?;
    Ok(Actor::staff(o.id, o.org_id, vec![Role::HubOfficer]))
}

fn at(ctx: &Ctx, ts: i64) -> Ctx {
    Ctx {
        clock: Arc::new(FixedClock::at(ts)),
        ..ctx.clone()
    }
}

/// The city's own category beside the ten defaults, added by the hub's administrator
/// with its label in every public language.
const CITY_CATEGORY: [(&str, &str); 12] = [
    ("en", "Exploitation in domestic work"),
    ("nl", "Uitbuiting in huishoudelijk werk"),
    ("fr", "Exploitation dans le travail domestique"),
    ("de", "Ausbeutung in der Hausarbeit"),
    ("es", "Explotación en el trabajo doméstico"),
    ("ar", "الاستغلال في العمل المنزلي"),
    ("fa", "بهره‌کشی در کار خانگی"),
    ("ps", "په کورني کار کې استثمار"),
    ("ti", "ምዝማዝ ኣብ ናይ ገዛ ስራሕ"),
    ("so", "Ka faa'iidaysiga shaqaalaha guryaha"),
    ("uk", "Експлуатація в домашній праці"),
    ("ru", "Эксплуатация в домашнем труде"),
];

async fn city_category(ctx: &Ctx) -> anyhow::Result<()> {
    #[derive(sqlx::FromRow)]
    struct Admin {
        id: UserId,
        org_id: OrgId,
    }
    let a: Admin = sqlx::query_as("SELECT id, org_id FROM users WHERE username = 'hubadmin'")
        .fetch_one(&ctx.db.pool)
        .await?;
    let admin = Actor::staff(a.id, a.org_id, vec![Role::Administrator]);
    let label = |lang: &str| {
        CITY_CATEGORY
            .iter()
            .find(|(c, _)| *c == lang)
            .map(|(_, label)| (*label).to_owned())
    };
    let input = hub::CategoryInput::from_labels(label, None);
    hub::add_category(ctx, &admin, &input)
        .await
        .map_err(|e| anyhow::anyhow!("adding the city's category failed: {e:?}"))?;
    Ok(())
}

pub async fn seed(ctx: &Ctx) -> anyhow::Result<()> {
    let e = |e: haven_core::Error| anyhow::anyhow!("seeding the hub failed: {e:?}");
    city_category(ctx).await?;
    let hub_officer = officer(ctx).await?;
    let now = ctx.clock.now_ts();
    for &(days, category, language, victim, what, answer, reply, closed) in REPORTS {
        let when = now - days * 86_400;
        let month = time::OffsetDateTime::from_unix_timestamp(when - 7 * 86_400)?;
        let input = ReportInput {
            category: Some(category.into()),
            occurred: Some(format!(
                "{:04}-{:02}",
                month.year(),
                u8::from(month.month())
            )),
            what: Some(what.into()),
            reporter_role: Some(if victim { "victim" } else { "witness" }.into()),
            may_contact: Some(if answer.is_some() { "no" } else { "yes" }.into()),
            contact: answer
                .is_none()
                .then(|| "Through the day centre, ask for Mira".into()),
            language: Some(language.into()),
            ..Default::default()
        };
        let c = at(ctx, when);
        let (id, code) = if days == 21 {
            hub::record(&c, &hub_officer, &input, &Some("phone".into()))
                .await
                .map_err(e)?
        } else {
            hub::submit(&c, &input).await.map_err(e)?
        };
        if let Some(text) = answer {
            let c = at(ctx, when + 86_400);
            let m = MessageInput {
                text: Some(text.into()),
            };
            hub::answer(&c, &hub_officer, id, &m).await.map_err(e)?;
        }
        if let Some(text) = reply {
            let c = at(ctx, when + 2 * 86_400);
            let m = MessageInput {
                text: Some(text.into()),
            };
            let typed = Some(code.grouped());
            hub::reporter_add(&c, &typed, &m).await.map_err(e)?;
        }
        if closed {
            let c = at(ctx, when + 30 * 86_400);
            let version = hub::get(&c, &hub_officer, id).await.map_err(e)?.version;
            hub::close(&c, &hub_officer, id, Some(version))
                .await
                .map_err(e)?;
        }
    }
    Ok(())
}
