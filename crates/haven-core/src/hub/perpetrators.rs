//! Repeat perpetrators: an employer or a person named in two reports of the same hub is
//! flagged to that hub ("also named in report X").
//!
//! The name is sealed with the report's key in `hub_perpetrators`; apart from it,
//! `hub_perpetrator_index` holds a keyed blind index (HMAC under the key file's index key,
//! domain `hub-perpetrator`) of the normalised name ([`normalise`]): case, diacritics and
//! other scripts (transliterated), punctuation, spacing and legal-form suffixes ("BV",
//! "B.V.", "Ltd", "GmbH", …) do not count. Only hub officers of the hub see a match; no
//! route, list or hand-over shows it to anyone else (the police, the reporter).

use sqlx::AnyConnection;

use super::work_model::{Casework, Perpetrator, PerpetratorInput, MAX_LINE};
use super::work_store::{open, seal, OnReport};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::error::Errors;
use crate::ids::{OrgId, PerpetratorId, ReportId};
use crate::input::{got, required_text};
use crate::{Actor, Ctx, Error, Result};

/// Legal-form words dropped at the end of a name (after normalising), longest first.
const LEGAL_FORMS: &[&str] = &[
    "b v",
    "bv",
    "n v",
    "nv",
    "v o f",
    "vof",
    "ltd",
    "limited",
    "llc",
    "inc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "sarl",
    "srl",
    "spa",
    "cv",
    "c v",
    "co",
    "company",
    "corp",
    "kg",
    "ohg",
    "eenmanszaak",
    "holding",
];

/// The form of a name that the blind index is taken of: transliterated to Latin letters,
/// lower case, every run of non-letters and non-digits one space, legal-form words at the
/// end removed. "Kwekerij De Groot B.V." and "kwekerij  de gróót bv" give the same.
pub fn normalise(name: &str) -> String {
    let latin = deunicode::deunicode(name).to_lowercase();
    let mut words: Vec<&str> = latin
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    loop {
        let joined = words.join(" ");
        let Some(form) = LEGAL_FORMS
            .iter()
            .find(|f| words.len() > f.split(' ').count() && joined.ends_with(&format!(" {f}")))
        else {
            return joined;
        };
        let n = form.split(' ').count();
        words.truncate(words.len() - n);
    }
}

fn index(ctx: &Ctx, name: &str) -> Vec<u8> {
    ctx.keys.blind_index("hub-perpetrator", &normalise(name))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct NameData {
    name: String,
}

fn aad(report: ReportId, id: PerpetratorId) -> String {
    format!("report:{report}:perpetrator:{id}")
}

#[derive(sqlx::FromRow)]
struct Row {
    id: PerpetratorId,
    sealed: Option<Vec<u8>>,
}

#[derive(sqlx::FromRow)]
struct Match {
    perpetrator_id: PerpetratorId,
    report_id: ReportId,
}

/// The perpetrators a report names, each with the hub's other reports naming the same
/// one (matched by blind index, within the hub only).
pub(crate) async fn of_report(
    _ctx: &Ctx,
    conn: &mut AnyConnection,
    hub: OrgId,
    report: ReportId,
    dek: &Key,
) -> Result<Vec<Perpetrator>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, sealed FROM hub_perpetrators WHERE report_id = $1 ORDER BY created_at, id",
    )
    .bind(report)
    .fetch_all(&mut *conn)
    .await?;
    let matches: Vec<Match> = sqlx::query_as(
        "SELECT a.perpetrator_id, b.report_id FROM hub_perpetrator_index a \
         JOIN hub_perpetrator_index b ON b.bidx = a.bidx AND b.hub_org = a.hub_org \
         WHERE a.report_id = $1 AND a.hub_org = $2 AND b.report_id <> $1 \
         ORDER BY b.report_id",
    )
    .bind(report)
    .bind(hub)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let d: NameData = open(dek, r.sealed.as_deref(), &aad(report, r.id))?;
            let mut also_in: Vec<ReportId> = matches
                .iter()
                .filter(|m| m.perpetrator_id == r.id)
                .map(|m| m.report_id)
                .collect();
            also_in.dedup();
            Ok(Perpetrator {
                id: r.id,
                name: d.name,
                also_in,
            })
        })
        .collect()
}

/// Records an employer or a person the report names; the casework then shows any other
/// report of the hub that names the same one.
pub async fn add(
    ctx: &Ctx,
    actor: &Actor,
    id: ReportId,
    input: &PerpetratorInput,
) -> Result<Casework> {
    let mut tx = AuditTx::begin(ctx).await?;
    let r = OnReport::open(ctx, &mut tx, actor, id, true).await?;
    let mut e = Errors::default();
    let name = e.take(required_text(&input.name, "name", MAX_LINE));
    e.finish()?;
    let name = got(name)?;
    if normalise(&name).is_empty() {
        return Err(Error::invalid("name", "err-perpetrator-name"));
    }
    let p = PerpetratorId::new();
    let now = ctx.clock.now_ts();
    let bidx = index(ctx, &name);
    let sealed = seal(&r.dek, &NameData { name }, &aad(id, p))?;
    sqlx::query(
        "INSERT INTO hub_perpetrators (id, report_id, sealed, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(p)
    .bind(id)
    .bind(sealed)
    .bind(actor.user_id)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query(
        "INSERT INTO hub_perpetrator_index (perpetrator_id, report_id, hub_org, bidx) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(p)
    .bind(id)
    .bind(r.hub)
    .bind(bidx)
    .execute(&mut *tx.tx)
    .await?;
    r.answer(ctx, tx, actor, "hub.casework.perpetrator", "report", &[id])
        .await
}

/// The perpetrators' names of a report, for a hand-over (already opened by the caller).
pub(crate) async fn names(
    conn: &mut AnyConnection,
    report: ReportId,
    dek: &Key,
) -> Result<Vec<String>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, sealed FROM hub_perpetrators WHERE report_id = $1 ORDER BY created_at, id",
    )
    .bind(report)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| open::<NameData>(dek, r.sealed.as_deref(), &aad(report, r.id)).map(|d| d.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn spelling_variants_of_one_name_normalise_alike() {
        let a = normalise("Kwekerij De Groot B.V.");
        for v in [
            "kwekerij de groot bv",
            "KWEKERIJ  DE GROOT BV",
            "Kwekerij de Gróót, B.V.",
            " kwekerij-de-groot  ",
            "Kwekerij De Groot Ltd",
        ] {
            assert_eq!(normalise(v), a, "{v}");
        }
        assert_ne!(normalise("Kwekerij De Vries BV"), a);
        // A name that is only a legal form keeps it.
        assert_eq!(normalise("B.V."), "b v");
    }
}
