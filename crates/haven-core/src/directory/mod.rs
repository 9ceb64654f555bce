//! The services directory, in the data model of Open Referral HSDS 3.0.
//!
//! Storage (migration 0006): every entry — organization, service, location — is kept as
//! its HSDS JSON object, so every HSDS field survives import and export. What the public
//! API filters and searches on is copied into indexed columns and link tables
//! (`dir_entity_terms`, `dir_service_languages`, `dir_search_terms`) when the entry is
//! published. Translations of text fields live in `dir_translations`.
//!
//! Published and pending: the public only ever sees `published = 1` rows and their
//! `hsds` column. A change is first saved as a draft ([`save_draft`]) into the `draft`
//! column, and becomes public when someone holding `DirectoryPublish` calls [`publish`].
//! Importing a dataset publishes directly (only `DirectoryPublish` may import).
//!
//! The directory holds no personal data: organisations' public offers only. Changes are
//! still audited as administrative changes.

pub mod export;
pub mod form;
pub mod help;
pub mod hsds;
pub mod import;
pub mod query;
pub mod review;
pub mod tables;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

use crate::audit::AuditTx;
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};
use hsds::{str_field, without};
use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(1);

/// Moves on whenever published directory entries change in this process (after the
/// change commits), so that caches of rendered public pages know to drop what they hold.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

pub(crate) fn bump() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// The kinds of directory entry that are kept, drafted and published on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Organization,
    Service,
    Location,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::Service => "service",
            Kind::Location => "location",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Kind::Organization => "dir_organizations",
            Kind::Service => "dir_services",
            Kind::Location => "dir_locations",
        }
    }
}

/// One directory entry as it is drafted, reviewed and published: the HSDS object in its
/// source language plus translations of its text fields (`lang → field → text`, fields
/// from [`hsds::TRANSLATABLE`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub hsds: Value,
    pub source_lang: String,
    #[serde(default)]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
}

impl Entry {
    pub fn new(hsds: Value, source_lang: &str) -> Self {
        Self {
            hsds,
            source_lang: source_lang.to_owned(),
            translations: BTreeMap::new(),
        }
    }

    pub fn id(&self) -> Option<&str> {
        str_field(&self.hsds, "id")
    }
}

const STATUSES: &[&str] = &["active", "inactive", "defunct", "temporarily closed"];

/// Checks what storage relies on: an object with a UUID id and a name (and, for a
/// service, a valid status and its organisation; for a location, a valid type). Every
/// problem is reported at once.
pub fn check(kind: Kind, e: &Entry) -> Result<()> {
    let mut errs = Vec::new();
    let v = &e.hsds;
    if !v.is_object() {
        return Err(Error::invalid("hsds", "err-directory-not-object"));
    }
    match str_field(v, "id") {
        None => errs.push(FieldError::new("id", "err-required")),
        Some(id) if uuid::Uuid::parse_str(id).is_err() => {
            errs.push(FieldError::new("id", "err-directory-uuid"))
        }
        _ => {}
    }
    if kind != Kind::Location && str_field(v, "name").is_none() {
        errs.push(FieldError::new("name", "err-required"));
    }
    if kind == Kind::Organization && v.get("description").and_then(Value::as_str).is_none() {
        errs.push(FieldError::new("description", "err-required"));
    }
    if kind == Kind::Service {
        match str_field(v, "status") {
            Some(s) if STATUSES.contains(&s) => {}
            _ => errs.push(FieldError::new("status", "err-choice")),
        }
        if service_org_id(v).is_none() {
            errs.push(FieldError::new("organization_id", "err-required"));
        }
    }
    if kind == Kind::Location {
        match str_field(v, "location_type") {
            Some("physical" | "postal" | "virtual") => {}
            _ => errs.push(FieldError::new("location_type", "err-choice")),
        }
    }
    if hsds::parse_lang(&e.source_lang).is_none() {
        errs.push(FieldError::new("source_lang", "err-choice"));
    }
    for (lang, fields) in &e.translations {
        if hsds::parse_lang(lang).is_none()
            || fields
                .keys()
                .any(|f| !hsds::TRANSLATABLE.contains(&f.as_str()))
        {
            errs.push(FieldError::new("translations", "err-choice"));
            break;
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errs))
    }
}

fn service_org_id(v: &Value) -> Option<String> {
    str_field(v, "organization_id")
        .or_else(|| v.get("organization").and_then(|o| str_field(o, "id")))
        .map(str::to_owned)
}

/// Splits an entry into the entries storage keeps separately, in the order they must be
/// stored: an organization's nested locations and services; a service's nested locations
/// (in its service_at_locations) and, with `with_parents`, its nested organization.
pub fn normalize(kind: Kind, e: Entry, with_parents: bool) -> Vec<(Kind, Entry)> {
    let lang = e.source_lang.clone();
    match kind {
        Kind::Organization => {
            let org_id = e.id().unwrap_or_default().to_owned();
            let locations = e.hsds.get("locations").and_then(Value::as_array).cloned();
            let services = e.hsds.get("services").and_then(Value::as_array).cloned();
            let mut out = vec![(
                Kind::Organization,
                Entry {
                    hsds: without(&e.hsds, &["services", "locations"]),
                    ..e
                },
            )];
            for mut l in locations.into_iter().flatten() {
                if let Some(o) = l.as_object_mut() {
                    o.entry("organization_id")
                        .or_insert_with(|| Value::String(org_id.clone()));
                }
                out.push((Kind::Location, Entry::new(l, &lang)));
            }
            for mut s in services.into_iter().flatten() {
                if service_org_id(&s).is_none() {
                    if let Some(o) = s.as_object_mut() {
                        o.insert("organization_id".into(), Value::String(org_id.clone()));
                    }
                }
                out.extend(normalize(Kind::Service, Entry::new(s, &lang), false));
            }
            out
        }
        Kind::Service => {
            let mut out = Vec::new();
            if with_parents {
                if let Some(o) = e.hsds.get("organization").filter(|o| o.is_object()) {
                    out.extend(normalize(
                        Kind::Organization,
                        Entry::new(o.clone(), &lang),
                        false,
                    ));
                }
            }
            for sal in e
                .hsds
                .get("service_at_locations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(l) = sal.get("location").filter(|l| l.is_object()) {
                    out.push((Kind::Location, Entry::new(l.clone(), &lang)));
                }
            }
            out.push((Kind::Service, e));
            out
        }
        Kind::Location => vec![(Kind::Location, e)],
    }
}

/// Writes a published entry and its indexes, replacing what was there. The caller holds
/// the transaction (and its audit event). `checked_at` sets "last checked" when given.
pub(crate) async fn store(
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
        Kind::Location => {
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
            .bind(&id)
            .bind(org)
            .bind(&name)
            .bind(i64::from(confidential))
            .bind(&e.source_lang)
            .bind(hsds.to_string())
            .bind(checked_at)
            .bind(now)
            .execute(&mut *tx.tx)
            .await?;
        }
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

async fn exists(tx: &mut AuditTx<'_>, table: &str, id: &str) -> Result<bool> {
    let row: Option<(String,)> = sqlx::query_as(&format!("SELECT id FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx.tx)
        .await?;
    Ok(row.is_some())
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

/// Whether `actor` may draft changes to entries of directory organisation `org_id`:
/// publishers may edit any entry, partner staff only their own organisation's.
async fn may_edit(ctx: &Ctx, actor: &Actor, org_id: Option<&str>) -> Result<()> {
    actor.require(Permission::DirectoryEdit)?;
    if actor.can(Permission::DirectoryPublish) {
        return Ok(());
    }
    let mine = actor.require_org()?.to_string();
    let Some(org_id) = org_id else {
        return Err(Error::Forbidden);
    };
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT haven_org_id FROM dir_organizations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&ctx.db.pool)
            .await?;
    match row {
        Some((Some(h),)) if h == mine => Ok(()),
        _ => Err(Error::Forbidden),
    }
}

/// The directory organisation an entry belongs to, for the edit check.
fn owning_org(kind: Kind, v: &Value) -> Option<String> {
    match kind {
        Kind::Organization => str_field(v, "id").map(str::to_owned),
        Kind::Service => service_org_id(v),
        Kind::Location => str_field(v, "organization_id").map(str::to_owned),
    }
}

/// Saves a draft of entry X (new or changed); the public sees nothing of it until it is
/// published. Returns the entry's id. A new entry is created unpublished.
pub async fn save_draft(ctx: &Ctx, actor: &Actor, kind: Kind, e: &Entry) -> Result<String> {
    actor.require(Permission::DirectoryEdit)?;
    check(kind, e)?;
    let org = owning_org(kind, &e.hsds);
    may_edit(ctx, actor, org.as_deref()).await?;
    let id = e.id().unwrap_or_default().to_owned();
    let now = ctx.clock.now_ts();
    let name = str_field(&e.hsds, "name").unwrap_or("").to_owned();
    // A confidential location's address is never stored, not even in a draft.
    let mut e = e.clone();
    if kind == Kind::Location {
        hsds::strip_revealing(&mut e.hsds);
    }
    let draft = serde_json::to_string(&e).map_err(anyhow::Error::from)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let existing: Option<(String,)> =
        sqlx::query_as(&format!("SELECT id FROM {} WHERE id = $1", kind.table()))
            .bind(&id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    if existing.is_some() {
        sqlx::query(&format!(
            "UPDATE {} SET draft = $1, draft_at = $2 WHERE id = $3",
            kind.table()
        ))
        .bind(&draft)
        .bind(now)
        .bind(&id)
        .execute(&mut *tx.tx)
        .await?;
    } else {
        match kind {
            Kind::Organization => {
                sqlx::query(
                    "INSERT INTO dir_organizations (id, name, source_lang, draft, draft_at, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, $5)",
                )
                .bind(&id)
                .bind(&name)
                .bind(&e.source_lang)
                .bind(&draft)
                .bind(now)
                .execute(&mut *tx.tx)
                .await?;
            }
            Kind::Service => {
                let org = org.clone().unwrap_or_default();
                if !exists(&mut tx, "dir_organizations", &org).await? {
                    return Err(Error::invalid(
                        "organization_id",
                        "err-directory-unknown-link",
                    ));
                }
                sqlx::query(
                    "INSERT INTO dir_services (id, organization_id, name, source_lang, draft, \
                     draft_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $6)",
                )
                .bind(&id)
                .bind(&org)
                .bind(&name)
                .bind(&e.source_lang)
                .bind(&draft)
                .bind(now)
                .execute(&mut *tx.tx)
                .await?;
            }
            Kind::Location => {
                if let Some(o) = &org {
                    if !exists(&mut tx, "dir_organizations", o).await? {
                        return Err(Error::invalid(
                            "organization_id",
                            "err-directory-unknown-link",
                        ));
                    }
                }
                sqlx::query(
                    "INSERT INTO dir_locations (id, organization_id, name, source_lang, draft, \
                     draft_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $6)",
                )
                .bind(&id)
                .bind(&org)
                .bind(&name)
                .bind(&e.source_lang)
                .bind(&draft)
                .bind(now)
                .execute(&mut *tx.tx)
                .await?;
            }
        }
    }
    tx.log(
        ctx,
        actor,
        "directory.draft",
        kind.as_str(),
        std::slice::from_ref(&id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The pending draft of an entry, if any, for editing or review.
pub async fn get_draft(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<Option<Entry>> {
    actor.require(Permission::DirectoryEdit)?;
    let row: Option<(Option<String>,)> =
        sqlx::query_as(&format!("SELECT draft FROM {} WHERE id = $1", kind.table()))
            .bind(id)
            .fetch_optional(&ctx.db.pool)
            .await?;
    let Some((draft,)) = row else {
        return Err(Error::NotFound);
    };
    let entry = draft
        .map(|d| serde_json::from_str::<Entry>(&d).map_err(anyhow::Error::from))
        .transpose()?;
    if let Some(e) = &entry {
        may_edit(ctx, actor, owning_org(kind, &e.hsds).as_deref()).await?;
    }
    Ok(entry)
}

/// A draft waiting for review.
#[derive(Debug, Clone, Serialize)]
pub struct Pending {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub draft_at: i64,
    pub published_before: bool,
}

/// Every draft waiting for review, oldest first.
pub async fn pending(ctx: &Ctx, actor: &Actor) -> Result<Vec<Pending>> {
    actor.require(Permission::DirectoryPublish)?;
    let mut out = Vec::new();
    for kind in [Kind::Organization, Kind::Location, Kind::Service] {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT id, name, COALESCE(draft_at, 0), published FROM {} \
             WHERE draft IS NOT NULL ORDER BY draft_at, id",
            kind.table()
        ))
        .fetch_all(&ctx.db.pool)
        .await?;
        out.extend(rows.into_iter().map(|(id, name, draft_at, p)| Pending {
            kind,
            id,
            name,
            draft_at,
            published_before: p != 0,
        }));
    }
    out.sort_by_key(|p| p.draft_at);
    Ok(out)
}

/// Publishes the draft of entry X: it replaces the public text and indexes in one
/// transaction, and counts as checked now.
pub async fn publish(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<()> {
    actor.require(Permission::DirectoryPublish)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<(Option<String>,)> =
        sqlx::query_as(&format!("SELECT draft FROM {} WHERE id = $1", kind.table()))
            .bind(id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    let Some((Some(draft),)) = row else {
        return Err(Error::NotFound);
    };
    let entry: Entry = serde_json::from_str(&draft).map_err(anyhow::Error::from)?;
    let mut ids = Vec::new();
    for (k, e) in normalize(kind, entry, false) {
        store(&mut tx, k, &e, now, Some(now)).await?;
        ids.push(format!("{}:{}", k.as_str(), e.id().unwrap_or_default()));
    }
    tx.log(ctx, actor, "directory.publish", kind.as_str(), &ids)
        .await?;
    tx.commit().await?;
    bump();
    Ok(())
}

/// Throws a draft away; the published entry (if any) stays as it was.
pub async fn discard_draft(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<()> {
    actor.require(Permission::DirectoryEdit)?;
    if let Some(e) = get_draft(ctx, actor, kind, id).await? {
        may_edit(ctx, actor, owning_org(kind, &e.hsds).as_deref()).await?;
    }
    let mut tx = AuditTx::begin(ctx).await?;
    sqlx::query(&format!(
        "UPDATE {} SET draft = NULL, draft_at = NULL WHERE id = $1",
        kind.table()
    ))
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "directory.discard",
        kind.as_str(),
        &[id.to_owned()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records that someone confirmed a published entry is still true ("last checked").
pub async fn mark_checked(ctx: &Ctx, actor: &Actor, kind: Kind, id: &str) -> Result<()> {
    actor.require(Permission::DirectoryEdit)?;
    let row: Option<(Option<String>,)> = sqlx::query_as(&format!(
        "SELECT {} FROM {} WHERE id = $1",
        match kind {
            Kind::Organization => "id",
            Kind::Service | Kind::Location => "organization_id",
        },
        kind.table()
    ))
    .bind(id)
    .fetch_optional(&ctx.db.pool)
    .await?;
    let Some((org,)) = row else {
        return Err(Error::NotFound);
    };
    may_edit(ctx, actor, org.as_deref()).await?;
    let mut tx = AuditTx::begin(ctx).await?;
    sqlx::query(&format!(
        "UPDATE {} SET last_checked_at = $1 WHERE id = $2",
        kind.table()
    ))
    .bind(ctx.clock.now_ts())
    .bind(id)
    .execute(&mut *tx.tx)
    .await?;
    tx.log(
        ctx,
        actor,
        "directory.check",
        kind.as_str(),
        &[id.to_owned()],
    )
    .await?;
    tx.commit().await?;
    // "Last checked" is part of the published entry (HSDS metadata).
    bump();
    Ok(())
}

/// Links a directory organisation to the network member whose staff keep it and who
/// receive referrals to its services.
pub async fn link_network_org(
    ctx: &Ctx,
    actor: &Actor,
    dir_org_id: &str,
    haven_org_id: Option<crate::ids::OrgId>,
) -> Result<()> {
    actor.require(Permission::DirectoryPublish)?;
    let mut tx = AuditTx::begin(ctx).await?;
    let done = sqlx::query("UPDATE dir_organizations SET haven_org_id = $1 WHERE id = $2")
        .bind(haven_org_id.map(|o| o.to_string()))
        .bind(dir_org_id)
        .execute(&mut *tx.tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tx.log(
        ctx,
        actor,
        "directory.link",
        "organization",
        &[dir_org_id.to_owned()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes several entries at once, as checked now, in one transaction with one audit
/// event (the demo, and a reviewer approving a batch).
pub async fn publish_entries(
    ctx: &Ctx,
    actor: &Actor,
    entries: Vec<(Kind, Entry)>,
) -> Result<usize> {
    actor.require(Permission::DirectoryPublish)?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let mut ids = Vec::new();
    for (kind, e) in entries {
        for (k, part) in normalize(kind, e, false) {
            store(&mut tx, k, &part, now, Some(now)).await?;
            ids.push(format!("{}:{}", k.as_str(), part.id().unwrap_or_default()));
        }
    }
    tx.log(ctx, actor, "directory.publish", "directory", &ids)
        .await?;
    tx.commit().await?;
    bump();
    Ok(ids.len())
}
