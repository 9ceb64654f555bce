//! Writing published entries and their indexes: the tables the public API reads.

use serde_json::Value;

use super::hsds::{self, str_field, without};
use super::model::{check, normalize, service_org_id, Entry, Kind};
use crate::audit::AuditTx;
use crate::{Error, Result};
use sqlx::AnyConnection;

/// Moves on whenever published directory entries change (after the change commits), on
/// this server or (PostgreSQL) another, so that caches of rendered public pages know to
/// drop what they hold ([`crate::generation`]).
pub fn generation() -> u64 {
    crate::generation::current(crate::generation::Area::Directory)
}

/// Writes a published entry and its indexes, replacing what was there. The caller holds
/// the transaction (and its audit event). `checked_at` sets "last checked" when given.
pub(crate) async fn publish_entry(
    tx: &mut AuditTx<'_>,
    kind: Kind,
    e: &Entry,
    now: i64,
    checked_at: Option<i64>,
) -> Result<()> {
    check(kind, e)?;
    let id = e.id().unwrap_or_default().to_owned();
    let name = str_field(&e.hsds, "name").unwrap_or("").to_owned();
    let description = str_field(&e.hsds, "description").unwrap_or("").to_owned();
    match kind {
        Kind::Organization => {
            let hsds = without(&e.hsds, &["services", "locations"]);
            sqlx::query(
                "INSERT INTO dir_organizations (id, name, description, source_lang, hsds, \
                 published, last_checked_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) \
                 ON CONFLICT (id) DO UPDATE SET name = $2, description = $3, \
                 source_lang = $4, hsds = $5, published = 1, draft = NULL, draft_at = NULL, \
                 last_checked_at = COALESCE($6, dir_organizations.last_checked_at), \
                 updated_at = $7",
            )
            .bind(&id)
            .bind(&name)
            .bind(&description)
            .bind(&e.source_lang)
            .bind(hsds.to_string())
            .bind(checked_at)
            .bind(now)
            .execute(&mut *tx.tx)
            .await?;
        }
        Kind::Location => put_location(tx, e, &id, &name, now, checked_at).await?,
        Kind::Service => {
            let org = service_org_id(&e.hsds).unwrap_or_default();
            if !exists(tx, "dir_organizations", &org).await? {
                return Err(Error::invalid(
                    "organization_id",
                    "err-directory-unknown-link",
                ));
            }
            let mut hsds = without(&e.hsds, &["organization", "service_at_locations"]);
            if let Some(o) = hsds.as_object_mut() {
                o.entry("organization_id")
                    .or_insert_with(|| Value::String(org.clone()));
            }
            let status = str_field(&hsds, "status").unwrap_or("active").to_owned();
            sqlx::query(
                "INSERT INTO dir_services (id, organization_id, name, status, description, \
                 source_lang, hsds, published, last_checked_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9) \
                 ON CONFLICT (id) DO UPDATE SET organization_id = $2, name = $3, status = $4, \
                 description = $5, source_lang = $6, hsds = $7, published = 1, draft = NULL, \
                 draft_at = NULL, \
                 last_checked_at = COALESCE($8, dir_services.last_checked_at), updated_at = $9",
            )
            .bind(&id)
            .bind(&org)
            .bind(&name)
            .bind(&status)
            .bind(&description)
            .bind(&e.source_lang)
            .bind(hsds.to_string())
            .bind(checked_at)
            .bind(now)
            .execute(&mut *tx.tx)
            .await?;
            store_service_links(tx, &id, &e.hsds, now).await?;
        }
    }
    store_indexes(tx, kind, &id, e, now).await
}

/// Writes a published location; a confidential one without its address.
async fn put_location(
    tx: &mut AuditTx<'_>,
    e: &Entry,
    id: &str,
    name: &str,
    now: i64,
    checked_at: Option<i64>,
) -> Result<()> {
    let mut hsds = e.hsds.clone();
    hsds::redact_location(&mut hsds);
    let confidential = hsds::is_confidential(&hsds);
    let org = str_field(&hsds, "organization_id").map(str::to_owned);
    if let Some(org) = &org {
        if !exists(tx, "dir_organizations", org).await? {
            return Err(Error::invalid(
                "organization_id",
                "err-directory-unknown-link",
            ));
        }
    }
    sqlx::query(
        "INSERT INTO dir_locations (id, organization_id, name, confidential, \
         source_lang, hsds, published, last_checked_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8) \
         ON CONFLICT (id) DO UPDATE SET \
         organization_id = COALESCE($2, dir_locations.organization_id), name = $3, \
         confidential = $4, source_lang = $5, hsds = $6, published = 1, draft = NULL, \
         draft_at = NULL, \
         last_checked_at = COALESCE($7, dir_locations.last_checked_at), updated_at = $8",
    )
    .bind(id)
    .bind(org)
    .bind(name)
    .bind(i64::from(confidential))
    .bind(&e.source_lang)
    .bind(hsds.to_string())
    .bind(checked_at)
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

pub(super) async fn exists(tx: &mut AuditTx<'_>, table: &str, id: &str) -> Result<bool> {
    let found: Option<String> =
        sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    Ok(found.is_some())
}

/// Throws away the pending draft of an entry (discarded or rejected); the published entry,
/// if any, stays as it was.
pub(super) async fn clear_draft(tx: &mut AuditTx<'_>, kind: Kind, id: &str) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE {} SET draft = NULL, draft_at = NULL WHERE id = $1",
        kind.table()
    ))
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

/// The pending draft of an entry: `None` for an unknown entry, `Some(None)` for one
/// without a draft.
pub(super) async fn draft_of(
    conn: &mut AnyConnection,
    kind: Kind,
    id: &str,
) -> Result<Option<Option<Entry>>> {
    let draft: Option<Option<String>> =
        sqlx::query_scalar(&format!("SELECT draft FROM {} WHERE id = $1", kind.table()))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(draft
        .map(|d| {
            d.map(|d| serde_json::from_str::<Entry>(&d).map_err(anyhow::Error::from))
                .transpose()
        })
        .transpose()?)
}

/// Publishes an entry and the entries nested in it (see [`normalize`]) as checked at
/// `now`, adding `kind:id` of each to `ids` for the caller's audit event.
pub(crate) async fn publish_tree(
    tx: &mut AuditTx<'_>,
    kind: Kind,
    entry: Entry,
    now: i64,
    ids: &mut Vec<String>,
) -> Result<()> {
    for (k, e) in normalize(kind, entry, false) {
        publish_entry(tx, k, &e, now, Some(now)).await?;
        ids.push(format!("{}:{}", k.as_str(), e.id().unwrap_or_default()));
    }
    Ok(())
}

/// A service's service_at_locations and languages.
async fn store_service_links(tx: &mut AuditTx<'_>, id: &str, v: &Value, now: i64) -> Result<()> {
    sqlx::query("DELETE FROM dir_service_at_locations WHERE service_id = $1")
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    for sal in v
        .get("service_at_locations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(sal_id) = str_field(sal, "id") else {
            return Err(Error::invalid("service_at_locations", "err-required"));
        };
        let loc = str_field(sal, "location_id")
            .or_else(|| sal.get("location").and_then(|l| str_field(l, "id")))
            .map(str::to_owned);
        if let Some(l) = &loc {
            if !exists(tx, "dir_locations", l).await? {
                return Err(Error::invalid(
                    "service_at_locations",
                    "err-directory-unknown-link",
                ));
            }
        }
        let mut body = without(sal, &["location", "service"]);
        if let Some(o) = body.as_object_mut() {
            o.insert("service_id".into(), Value::String(id.to_owned()));
            if let Some(l) = &loc {
                o.insert("location_id".into(), Value::String(l.clone()));
            }
        }
        sqlx::query(
            "INSERT INTO dir_service_at_locations (id, service_id, location_id, hsds, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET service_id = $2, location_id = $3, hsds = $4, \
             updated_at = $5",
        )
        .bind(sal_id)
        .bind(id)
        .bind(loc)
        .bind(body.to_string())
        .bind(now)
        .execute(&mut *tx.tx)
        .await?;
    }
    sqlx::query("DELETE FROM dir_service_languages WHERE service_id = $1")
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    let mut codes: Vec<String> = v
        .get("languages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| str_field(l, "code"))
        .filter_map(hsds::parse_lang)
        .collect();
    codes.sort();
    codes.dedup();
    for code in codes {
        sqlx::query("INSERT INTO dir_service_languages (code, service_id) VALUES ($1, $2)")
            .bind(code)
            .bind(id)
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(())
}

/// Taxonomy terms (and the taxonomies they name), words for the search, translations.
async fn store_indexes(
    tx: &mut AuditTx<'_>,
    kind: Kind,
    id: &str,
    e: &Entry,
    now: i64,
) -> Result<()> {
    let et = kind.as_str();
    for table in ["dir_entity_terms", "dir_search_terms"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE entity_type = $1 AND entity_id = $2"
        ))
        .bind(et)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    }
    sqlx::query("DELETE FROM dir_translations WHERE entity_type = $1 AND entity_id = $2")
        .bind(et)
        .bind(id)
        .execute(&mut *tx.tx)
        .await?;
    for a in e
        .hsds
        .get("attributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(t) = a.get("taxonomy_term").filter(|t| t.is_object()) {
            store_term(tx, t, now).await?;
        }
    }
    for (term, taxonomy) in hsds::attribute_terms(&e.hsds) {
        sqlx::query(
            "INSERT INTO dir_entity_terms (term_id, entity_type, entity_id, taxonomy_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(term)
        .bind(et)
        .bind(id)
        .bind(taxonomy)
        .execute(&mut *tx.tx)
        .await?;
    }
    let mut text = String::new();
    for f in ["name", "alternate_name", "description"] {
        if let Some(s) = str_field(&e.hsds, f) {
            text.push_str(s);
            text.push(' ');
        }
    }
    for (lang, fields) in &e.translations {
        for (field, value) in fields {
            if ["name", "alternate_name", "description"].contains(&field.as_str()) {
                text.push_str(value);
                text.push(' ');
            }
            sqlx::query(
                "INSERT INTO dir_translations (entity_type, entity_id, lang, field, value) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(et)
            .bind(id)
            .bind(lang)
            .bind(field)
            .bind(value)
            .execute(&mut *tx.tx)
            .await?;
        }
    }
    let words = hsds::words(&text);
    for chunk in words.chunks(200) {
        let mut sql =
            String::from("INSERT INTO dir_search_terms (term, entity_type, entity_id) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, $1, $2)", i + 3));
        }
        let mut q = sqlx::query(&sql).bind(et).bind(id);
        for w in chunk {
            q = q.bind(w);
        }
        q.execute(&mut *tx.tx).await?;
    }
    Ok(())
}

/// Keeps a taxonomy term (and its taxonomy, when nested) for `/taxonomy_terms`.
pub(crate) async fn store_term(tx: &mut AuditTx<'_>, t: &Value, now: i64) -> Result<()> {
    let Some(id) = str_field(t, "id") else {
        return Ok(());
    };
    let mut taxonomy_id = str_field(t, "taxonomy_id").map(str::to_owned);
    if let Some(d) = t.get("taxonomy_detail").filter(|d| d.is_object()) {
        store_taxonomy(tx, d, now).await?;
        if taxonomy_id.is_none() {
            taxonomy_id = str_field(d, "id").map(str::to_owned);
        }
    }
    let body = without(t, &["taxonomy_detail"]);
    sqlx::query(
        "INSERT INTO dir_taxonomy_terms (id, taxonomy_id, parent_id, code, name, hsds, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET taxonomy_id = $2, parent_id = $3, code = $4, name = $5, \
         hsds = $6, updated_at = $7",
    )
    .bind(id)
    .bind(taxonomy_id)
    .bind(str_field(t, "parent_id"))
    .bind(str_field(t, "code"))
    .bind(str_field(t, "name").unwrap_or(""))
    .bind(body.to_string())
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}

pub(crate) async fn store_taxonomy(tx: &mut AuditTx<'_>, d: &Value, now: i64) -> Result<()> {
    let Some(id) = str_field(d, "id") else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO dir_taxonomies (id, name, hsds, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET name = $2, hsds = $3, updated_at = $4",
    )
    .bind(id)
    .bind(str_field(d, "name").unwrap_or(""))
    .bind(d.to_string())
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    Ok(())
}
