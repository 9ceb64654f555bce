//! The `persons` row, its sealing with the person's own data key, its blind indexes, and
//! the queries the use cases share.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use sqlx::AnyConnection;

use super::model::{Person, PersonData};
use super::{names, VISIBLE};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::ids::{OrgId, PersonId};
use crate::{Ctx, Error, Result};

#[derive(sqlx::FromRow)]
pub(super) struct PersonRow {
    pub id: PersonId,
    pub owner_org: OrgId,
    pub data_key: Option<String>,
    pub sealed: Option<Vec<u8>>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(super) const PERSON_COLS: &str =
    "p.id, p.owner_org, p.data_key, p.sealed, p.version, p.created_at, p.updated_at";

fn aad(id: PersonId) -> Vec<u8> {
    format!("person:{id}").into_bytes()
}

pub(super) fn seal(id: PersonId, dek: &Key, data: &PersonData) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(data).map_err(anyhow::Error::from)?;
    Ok(dek.seal(&json, &aad(id)))
}

/// Opens a stored sealed record as `T`, which may be all of [`PersonData`] or only the
/// fields a caller needs; [`Error::Erased`] when the key or the record was destroyed.
fn open<T: DeserializeOwned>(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Result<T> {
    let (Some(wrapped), Some(sealed)) = (wrapped, sealed) else {
        return Err(Error::Erased);
    };
    let dek = ctx.keys.data_key(wrapped, &id.to_string())?;
    let json = dek.open(sealed, &aad(id))?;
    Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
}

/// The two fields of the sealed record a list shows; the others are skipped unparsed.
#[derive(Deserialize)]
struct Label {
    name: Option<String>,
    alias: Option<String>,
}

/// What to call a person on screen (name, else alias), read from their stored row; for
/// lists such as a caseload, whose caller has already checked visibility and audits.
pub(crate) fn label_from_stored(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Result<Option<String>> {
    let d: Label = open(ctx, id, wrapped, sealed)?;
    Ok(d.name.or(d.alias))
}

/// A person's sealed fields, read from their stored row; for the referral view, whose
/// caller has already checked the referral grant and audits the read.
pub(crate) fn data_from_stored(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Result<PersonData> {
    open(ctx, id, wrapped, sealed)
}

pub(super) fn from_row(ctx: &Ctx, r: PersonRow) -> Result<Person> {
    Ok(Person {
        data: open(ctx, r.id, r.data_key.as_deref(), r.sealed.as_deref())?,
        id: r.id,
        owner_org: r.owner_org,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// The blind-index tokens of a person's names.
pub(super) fn name_tokens(ctx: &Ctx, data: &PersonData) -> Vec<Vec<u8>> {
    let mut keys: Vec<String> = Vec::new();
    for n in [&data.name, &data.alias].into_iter().flatten() {
        keys.extend(names::index_keys(n));
    }
    keys.sort();
    keys.dedup();
    keys.iter()
        .map(|k| ctx.keys.blind_index("name", k))
        .collect()
}

pub(super) fn phone_index(ctx: &Ctx, phone: &Option<String>) -> Option<Vec<u8>> {
    phone.as_ref().map(|p| {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        ctx.keys.blind_index("phone", &digits)
    })
}

pub(super) async fn write_tokens(
    tx: &mut AuditTx<'_>,
    id: PersonId,
    tokens: &[Vec<u8>],
) -> Result<()> {
    sqlx::query("DELETE FROM person_name_tokens WHERE person_id = $1")
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    for t in tokens {
        sqlx::query("INSERT INTO person_name_tokens (person_id, token) VALUES ($1, $2)")
            .bind(id)
            .bind(t.clone())
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(())
}

/// One person, if organisation `org` may see the whole record now.
pub(super) async fn visible_person(
    ctx: &Ctx,
    conn: &mut AnyConnection,
    org: OrgId,
    id: PersonId,
) -> Result<Option<PersonRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PERSON_COLS} FROM persons p WHERE {VISIBLE} AND p.id = $3"
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The data key of a person whose organisation-level visibility the caller has already
/// checked; for sealing case texts with the person's own key, so that erasing the person
/// erases those texts too. Fails with [`Error::Erased`] when the key was destroyed.
pub async fn data_key(ctx: &Ctx, conn: &mut AnyConnection, person: PersonId) -> Result<Key> {
    let row: Option<Option<String>> =
        sqlx::query_scalar("SELECT data_key FROM persons WHERE id = $1")
            .bind(person)
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        None => Err(Error::NotFound),
        Some(None) => Err(Error::Erased),
        Some(Some(w)) => ctx.keys.unwrap_data_key(&w, &person.to_string()),
    }
}

/// Whether the organisation may see the whole person record now (not through a referral).
pub async fn visible_to(
    ctx: &Ctx,
    conn: &mut AnyConnection,
    org: OrgId,
    person: PersonId,
) -> Result<bool> {
    let found: Option<PersonId> = sqlx::query_scalar(&format!(
        "SELECT p.id FROM persons p WHERE {VISIBLE} AND p.id = $3"
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(person)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Rewraps every data key with the active KEK (key rotation): the persons', the outreach
/// contacts' and the hub's reports' (each sealed with its own key, bound to its id). The sealed data itself does
/// not change. A table that holds data keys must be listed here, or a rotation that then
/// drops the old KEK leaves its rows unreadable.
pub async fn rewrap_data_keys(ctx: &Ctx, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<u64> {
    let mut n = 0;
    for table in ["persons", "outreach_contacts", "hub_reports"] {
        let rows: Vec<OwnedKey> = sqlx::query_as(&format!(
            "SELECT id, data_key FROM {table} WHERE data_key IS NOT NULL"
        ))
        .fetch_all(&mut **tx)
        .await?;
        let update = format!("UPDATE {table} SET data_key = $1 WHERE id = $2");
        for r in rows {
            let dek = ctx.keys.unwrap_data_key(&r.data_key, &r.id)?;
            sqlx::query(&update)
                .bind(ctx.keys.wrap_data_key(&dek, &r.id))
                .bind(&r.id)
                .execute(&mut **tx)
                .await?;
            n += 1;
        }
    }
    Ok(n)
}

/// A data key and the id of what it seals, which is also the key's binding.
#[derive(sqlx::FromRow)]
struct OwnedKey {
    id: String,
    data_key: String,
}
