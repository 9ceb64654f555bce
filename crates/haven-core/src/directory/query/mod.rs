//! The public, read-only view of the directory: what `/api/hsds/` serves.
//!
//! These functions take no `Actor`: they return only published entries, which are public
//! by definition, and no personal data. Every list pages in SQL first (ids of one page,
//! ordered by an index) and then loads that page's objects, translations, organisations
//! and locations with one query each — never one query per row.

use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

use super::hsds::{self, str_field};
use super::Kind;
use crate::db::placeholders;
use crate::{Ctx, Error, Result};

pub const ORG_SCALARS: &[&str] = &[
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "logo",
    "uri",
    "parent_organization_id",
];
pub const SERVICE_SCALARS: &[&str] = &[
    "id",
    "organization_id",
    "program_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "interpretation_services",
    "application_process",
    "fees_description",
    "wait_time",
    "fees",
    "accreditations",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "licenses",
    "alert",
    "last_modified",
];
pub const LOCATION_SCALARS: &[&str] = &[
    "id",
    "location_type",
    "url",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
];
pub const SAL_SCALARS: &[&str] = &["id", "service_id", "location_id", "description"];
pub const PROGRAM_SCALARS: &[&str] = &[
    "id",
    "organization_id",
    "name",
    "alternate_name",
    "description",
];

/// The most a client may ask for in one page.
pub const MAX_PER_PAGE: i64 = 200;

#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: 50,
        }
    }
}

/// An HSDS Page.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub total_items: i64,
    pub total_pages: i64,
    pub page_number: i64,
    pub size: i64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<Value>,
}

impl Page {
    fn new(total: i64, p: Paging, contents: Vec<Value>) -> Self {
        let total_pages = if total == 0 {
            0
        } else {
            (total + p.per_page - 1) / p.per_page
        };
        Self {
            total_items: total,
            total_pages,
            page_number: p.page,
            size: contents.len() as i64,
            first_page: p.page == 1,
            last_page: p.page >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

/// Filters on services (also used by `/service_at_locations`).
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    /// Folded words of the text search; every word must match.
    pub words: Vec<String>,
    pub taxonomy_term_id: Option<String>,
    pub taxonomy_id: Option<String>,
    pub organization_id: Option<String>,
    pub modified_after: Option<i64>,
    /// A language the service is offered in (HSDS service.languages[].code).
    pub language: Option<String>,
    /// Only services whose HSDS status is `active` (the public site's listing).
    pub active_only: bool,
}

/// How to render: in which language, and whether fully nested.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub lang: Option<String>,
    pub full: bool,
}

#[derive(Debug, Clone)]
enum Arg {
    S(String),
    I(i64),
}

struct Sql {
    where_: Vec<String>,
    args: Vec<Arg>,
}

impl Sql {
    fn new() -> Self {
        Self {
            where_: Vec::new(),
            args: Vec::new(),
        }
    }
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }
    fn clause(&self) -> String {
        if self.where_.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.where_.join(" AND "))
        }
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, (String,), sqlx::any::AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::QueryAs<'q, sqlx::Any, (String,), sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::S(s) => q.bind(s.as_str()),
            Arg::I(i) => q.bind(*i),
        };
    }
    q
}

fn bind_count<'q>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, (i64,), sqlx::any::AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::QueryAs<'q, sqlx::Any, (i64,), sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::S(s) => q.bind(s.as_str()),
            Arg::I(i) => q.bind(*i),
        };
    }
    q
}

/// Runs a paged id query: `SELECT <alias>.id FROM <from> <where> ORDER BY <order>`, and
/// the total.
async fn page_ids(
    ctx: &Ctx,
    from: &str,
    alias: &str,
    order: &str,
    sql: Sql,
    p: Paging,
) -> Result<(i64, Vec<String>)> {
    let clause = sql.clause();
    let n = sql.args.len();
    let limit = format!("ORDER BY {order} LIMIT ${} OFFSET ${}", n + 1, n + 2);
    let offset = (p.page - 1).saturating_mul(p.per_page);
    if from.contains(" CROSS JOIN ") {
        // A driven query reads few rows: one statement gives the page and the total.
        // (Counting separately would read them twice; for an undriven query, the window
        // would instead read every matching row where the page stops at its LIMIT.)
        let ids_sql = format!("SELECT {alias}.id, COUNT(*) OVER () FROM {from}{clause} {limit}");
        let mut q = sqlx::query_as::<_, (String, i64)>(&ids_sql);
        for a in &sql.args {
            q = match a {
                Arg::S(s) => q.bind(s.as_str()),
                Arg::I(i) => q.bind(*i),
            };
        }
        let rows = q
            .bind(p.per_page)
            .bind(offset)
            .fetch_all(&ctx.db.pool)
            .await?;
        if let Some((_, total)) = rows.first() {
            let total = *total;
            return Ok((total, rows.into_iter().map(|r| r.0).collect()));
        }
        // No row: nothing matches, or the page is past the end; count to tell which.
    }
    let count_sql = format!("SELECT COUNT(*) FROM {from}{clause}");
    let (total,): (i64,) = bind_count(sqlx::query_as(&count_sql), &sql.args)
        .fetch_one(&ctx.db.pool)
        .await?;
    if total == 0 {
        return Ok((0, Vec::new()));
    }
    let ids_sql = format!("SELECT {alias}.id FROM {from}{clause} {limit}");
    let rows: Vec<(String,)> = bind_all(sqlx::query_as(&ids_sql), &sql.args)
        .bind(p.per_page)
        .bind(offset)
        .fetch_all(&ctx.db.pool)
        .await?;
    Ok((total, rows.into_iter().map(|r| r.0).collect()))
}

/// The services matching `f` as conditions on `s`; `d` is the driving search word, when
/// there is one (see [`service_from`]).
///
/// Every other condition is an `EXISTS` probe of a primary-key index. `IN (SELECT …)`
/// made SQLite build a temporary B-tree of each list (every service offered in Arabic,
/// say) for every query, and scan all published services against them: most of a
/// search's cost before this was written.
fn service_where(f: &ServiceFilter, sql: &mut Sql) {
    sql.where_.push("s.published = 1".into());
    for (i, w) in f.words.iter().enumerate() {
        let a = sql.arg(Arg::S(w.clone()));
        if i == 0 {
            sql.where_.push(format!(
                "d.term = {a} AND d.entity_type = 'service' AND s.id = d.entity_id"
            ));
        } else {
            sql.where_.push(format!(
                "EXISTS (SELECT 1 FROM dir_search_terms t WHERE t.term = {a} \
                 AND t.entity_type = 'service' AND t.entity_id = s.id)"
            ));
        }
    }
    if let Some(code) = &f.language {
        let a = sql.arg(Arg::S(code.clone()));
        sql.where_.push(format!(
            "EXISTS (SELECT 1 FROM dir_service_languages l WHERE l.code = {a} \
             AND l.service_id = s.id)"
        ));
    }
    if let Some(t) = &f.taxonomy_term_id {
        let a = sql.arg(Arg::S(t.clone()));
        sql.where_.push(format!(
            "EXISTS (SELECT 1 FROM dir_entity_terms e WHERE e.term_id = {a} \
             AND e.entity_type = 'service' AND e.entity_id = s.id)"
        ));
    }
    if let Some(t) = &f.taxonomy_id {
        let a = sql.arg(Arg::S(t.clone()));
        sql.where_.push(format!(
            "EXISTS (SELECT 1 FROM dir_entity_terms e WHERE e.taxonomy_id = {a} \
             AND e.entity_type = 'service' AND e.entity_id = s.id)"
        ));
    }
    if let Some(o) = &f.organization_id {
        let a = sql.arg(Arg::S(o.clone()));
        sql.where_.push(format!("s.organization_id = {a}"));
    }
    if f.active_only {
        sql.where_.push("s.status = 'active'".into());
    }
    if let Some(t) = f.modified_after {
        let a = sql.arg(Arg::I(t));
        sql.where_.push(format!("s.updated_at >= {a}"));
    }
}

/// The tables a service query reads, for [`service_where`]. A text search starts from the
/// first word's rows in `dir_search_terms` (a few hundred at most, where scanning every
/// published service in name order would read thousands); `CROSS JOIN` is SQLite's way of
/// fixing that join order, as it has no statistics to find it, and plain SQL on
/// PostgreSQL, whose planner does.
fn service_from(f: &ServiceFilter) -> &'static str {
    if f.words.is_empty() {
        "dir_services s"
    } else {
        "dir_search_terms d CROSS JOIN dir_services s"
    }
}

struct Row {
    hsds: Value,
    source_lang: String,
    last_checked_at: Option<i64>,
    link: Option<String>,
}

/// Loads published rows of `table` by id: (hsds, source_lang, last_checked_at, link column).
async fn load(
    ctx: &Ctx,
    table: &str,
    link: &str,
    ids: &[String],
    keep: Keep,
) -> Result<HashMap<String, Row>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT id, hsds, source_lang, last_checked_at, {link} FROM {table} \
             WHERE published = 1 AND hsds IS NOT NULL AND id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut q =
            sqlx::query_as::<_, (String, String, String, Option<i64>, Option<String>)>(&sql);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        for (id, hsds, source_lang, last_checked_at, link) in q.fetch_all(&ctx.db.pool).await? {
            let hsds = match keep {
                None => serde_json::from_str(&hsds),
                Some(keys) => serde::de::DeserializeSeed::deserialize(
                    Picked(keys),
                    &mut serde_json::Deserializer::from_str(&hsds),
                ),
            }
            .map_err(anyhow::Error::from)?;
            out.insert(
                id,
                Row {
                    hsds,
                    source_lang,
                    last_checked_at,
                    link,
                },
            );
        }
    }
    Ok(out)
}

/// Which top-level fields of an entry to parse: all, or only the listed ones (a list
/// shows only scalars; most of a stored service is its nested attributes and phones).
type Keep = Option<fn(&str) -> bool>;

/// Parses a JSON object keeping only some of its fields; the others are skipped without
/// being built (`IgnoredAny`), which is most of the cost saved.
struct Picked(fn(&str) -> bool);

impl<'de> serde::de::DeserializeSeed<'de> for Picked {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Picked {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an HSDS object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = m.next_key::<String>()? {
            if (self.0)(&k) {
                out.insert(k, m.next_value()?);
            } else {
                m.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(Value::Object(out))
    }
}

/// The fields a service list item is made of (see [`service_list_item`]).
fn service_list_field(k: &str) -> bool {
    SERVICE_SCALARS.contains(&k) || k == "program"
}

fn org_scalar(k: &str) -> bool {
    ORG_SCALARS.contains(&k)
}

/// Translations into `lang` of the given entries: id → [(field, text)].
async fn translations(
    ctx: &Ctx,
    kind: Kind,
    lang: Option<&str>,
    ids: &[String],
) -> Result<HashMap<String, Vec<(String, String)>>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let Some(lang) = lang else {
        return Ok(out);
    };
    for chunk in ids.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT entity_id, field, value FROM dir_translations WHERE entity_type = $1 \
             AND lang = $2 AND entity_id IN ({})",
            placeholders(3, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (String, String, String)>(&sql)
            .bind(kind.as_str())
            .bind(lang);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        for (id, field, value) in q.fetch_all(&ctx.db.pool).await? {
            out.entry(id).or_default().push((field, value));
        }
    }
    Ok(out)
}

/// Entries of one kind, rendered in `lang` (with fallback to their source language).
async fn load_rendered(
    ctx: &Ctx,
    kind: Kind,
    lang: Option<&str>,
    ids: &[String],
    keep: Keep,
) -> Result<HashMap<String, Row>> {
    let (table, link) = match kind {
        Kind::Organization => ("dir_organizations", "haven_org_id"),
        Kind::Service => ("dir_services", "organization_id"),
        Kind::Location => ("dir_locations", "organization_id"),
    };
    let mut rows = load(ctx, table, link, ids, keep).await?;
    let tr = translations(ctx, kind, lang, ids).await?;
    for (id, row) in rows.iter_mut() {
        if lang != Some(row.source_lang.as_str()) {
            if let Some(t) = tr.get(id) {
                hsds::overlay(&mut row.hsds, t);
            }
        }
        if kind == Kind::Location {
            hsds::redact_location(&mut row.hsds);
        }
    }
    Ok(rows)
}

/// Only the listed keys of an object.
pub fn pick(v: &Value, keys: &[&str]) -> Value {
    let mut m = Map::new();
    if let Some(o) = v.as_object() {
        for k in keys {
            if let Some(x) = o.get(*k) {
                m.insert((*k).to_owned(), x.clone());
            }
        }
    }
    Value::Object(m)
}

/// Adds "last checked" as an HSDS metadata record (`last_action_type: verified`).
fn with_checked(v: &mut Value, kind: Kind, checked: Option<i64>) {
    let (Some(ts), Some(o)) = (checked, v.as_object_mut()) else {
        return;
    };
    let id = o.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let m = json!({
        "id": hsds::derived_uuid(&format!("checked:{id}")),
        "resource_id": id,
        "resource_type": kind.as_str(),
        "last_action_date": hsds::date(ts),
        "last_action_type": "verified",
        "field_name": "",
        "previous_value": "",
        "replacement_value": "",
        "updated_by": "Haven",
    });
    match o.get_mut("metadata").and_then(Value::as_array_mut) {
        Some(a) => a.push(m),
        None => {
            o.insert("metadata".into(), Value::Array(vec![m]));
        }
    }
}

/// Renders services: list shape (scalars, organization, program) or fully nested.
async fn render_services(ctx: &Ctx, ids: &[String], view: &View) -> Result<Vec<Value>> {
    let lang = view.lang.as_deref();
    let (service_keep, org_keep): (Keep, Keep) = if view.full {
        (None, None)
    } else {
        (Some(service_list_field), Some(org_scalar))
    };
    let services = load_rendered(ctx, Kind::Service, lang, ids, service_keep).await?;
    let mut org_ids: Vec<String> = services.values().filter_map(|r| r.link.clone()).collect();
    org_ids.sort();
    org_ids.dedup();
    let orgs = load_rendered(ctx, Kind::Organization, lang, &org_ids, org_keep).await?;
    let mut sals: HashMap<String, Vec<Value>> = HashMap::new();
    if view.full {
        for (sid, sal) in sals_of_services(ctx, ids, lang).await? {
            sals.entry(sid).or_default().push(sal);
        }
    }
    let mut out = Vec::new();
    for id in ids {
        let Some(row) = services.get(id) else {
            continue;
        };
        let org = row.link.as_ref().and_then(|o| orgs.get(o));
        let mut v = if view.full {
            let mut v = row.hsds.clone();
            with_checked(&mut v, Kind::Service, row.last_checked_at);
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "service_at_locations".into(),
                    Value::Array(sals.remove(id).unwrap_or_default()),
                );
                if let Some(org) = org {
                    o.insert("organization".into(), org.hsds.clone());
                }
            }
            v
        } else {
            service_list_item(&row.hsds, org.map(|r| &r.hsds))
        };
        hsds::drop_nulls(&mut v);
        out.push(v);
    }
    Ok(out)
}

fn service_list_item(service: &Value, org: Option<&Value>) -> Value {
    let mut v = pick(service, SERVICE_SCALARS);
    if let Some(o) = v.as_object_mut() {
        if let Some(org) = org {
            o.insert("organization".into(), pick(org, ORG_SCALARS));
        }
        if let Some(p) = service.get("program").filter(|p| p.is_object()) {
            o.insert("program".into(), pick(p, PROGRAM_SCALARS));
        }
    }
    v
}

/// The service_at_locations of these services, each with its full location.
async fn sals_of_services(
    ctx: &Ctx,
    service_ids: &[String],
    lang: Option<&str>,
) -> Result<Vec<(String, Value)>> {
    let mut rows: Vec<(String, String, Option<String>, String)> = Vec::new();
    for chunk in service_ids.chunks(500) {
        if chunk.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT id, service_id, location_id, hsds FROM dir_service_at_locations \
             WHERE service_id IN ({}) ORDER BY id",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as(&sql);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        rows.extend(q.fetch_all(&ctx.db.pool).await?);
    }
    let mut loc_ids: Vec<String> = rows.iter().filter_map(|r| r.2.clone()).collect();
    loc_ids.sort();
    loc_ids.dedup();
    let locs = load_rendered(ctx, Kind::Location, lang, &loc_ids, None).await?;
    let mut out = Vec::new();
    for (_, service_id, loc, body) in rows {
        let mut v: Value = serde_json::from_str(&body).map_err(anyhow::Error::from)?;
        if let (Some(l), Some(o)) = (loc.and_then(|l| locs.get(&l)), v.as_object_mut()) {
            let mut lv = l.hsds.clone();
            with_checked(&mut lv, Kind::Location, l.last_checked_at);
            o.insert("location".into(), lv);
        }
        out.push((service_id, v));
    }
    Ok(out)
}

/// `/services`.
pub async fn list_services(ctx: &Ctx, f: &ServiceFilter, view: &View, p: Paging) -> Result<Page> {
    let mut sql = Sql::new();
    service_where(f, &mut sql);
    let (total, ids) = page_ids(ctx, service_from(f), "s", "s.name, s.id", sql, p).await?;
    let contents = render_services(ctx, &ids, view).await?;
    Ok(Page::new(total, p, contents))
}

/// `/services/{id}`: fully nested.
pub async fn get_service(ctx: &Ctx, id: &str, lang: Option<&str>) -> Result<Value> {
    let view = View {
        lang: lang.map(str::to_owned),
        full: true,
    };
    render_services(ctx, &[id.to_owned()], &view)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// `/organizations`: list shape, `full` (organisation with its own nested objects and
/// locations) or `full_service` (and its services fully nested).
pub async fn list_organizations(
    ctx: &Ctx,
    words: &[String],
    view: &View,
    full_service: bool,
    p: Paging,
) -> Result<Page> {
    let mut sql = Sql::new();
    sql.where_.push("o.published = 1".into());
    for w in words {
        let a = sql.arg(Arg::S(w.clone()));
        sql.where_.push(format!(
            "o.id IN (SELECT entity_id FROM dir_search_terms WHERE term = {a} \
             AND entity_type = 'organization')"
        ));
    }
    let (total, ids) = page_ids(ctx, "dir_organizations o", "o", "o.name, o.id", sql, p).await?;
    let contents = render_orgs(ctx, &ids, view, full_service).await?;
    Ok(Page::new(total, p, contents))
}

pub async fn get_organization(
    ctx: &Ctx,
    id: &str,
    lang: Option<&str>,
    full_service: bool,
) -> Result<Value> {
    let view = View {
        lang: lang.map(str::to_owned),
        full: true,
    };
    render_orgs(ctx, &[id.to_owned()], &view, full_service)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

pub(crate) async fn render_orgs(
    ctx: &Ctx,
    ids: &[String],
    view: &View,
    full_service: bool,
) -> Result<Vec<Value>> {
    let lang = view.lang.as_deref();
    let full = view.full || full_service;
    let keep: Keep = if full { None } else { Some(org_scalar) };
    let orgs = load_rendered(ctx, Kind::Organization, lang, ids, keep).await?;
    let mut locations: HashMap<String, Vec<Value>> = HashMap::new();
    let mut services: HashMap<String, Vec<Value>> = HashMap::new();
    if full && !ids.is_empty() {
        let sql = format!(
            "SELECT id FROM dir_locations WHERE published = 1 AND organization_id IN ({}) \
             ORDER BY name, id",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query_as::<_, (String,)>(&sql);
        for id in ids {
            q = q.bind(id.as_str());
        }
        let loc_ids: Vec<String> = q
            .fetch_all(&ctx.db.pool)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        let locs = load_rendered(ctx, Kind::Location, lang, &loc_ids, None).await?;
        for lid in &loc_ids {
            if let Some(l) = locs.get(lid) {
                let mut lv = l.hsds.clone();
                with_checked(&mut lv, Kind::Location, l.last_checked_at);
                locations
                    .entry(l.link.clone().unwrap_or_default())
                    .or_default()
                    .push(lv);
            }
        }
        let sql = format!(
            "SELECT id FROM dir_services WHERE published = 1 AND organization_id IN ({}) \
             ORDER BY name, id",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query_as::<_, (String,)>(&sql);
        for id in ids {
            q = q.bind(id.as_str());
        }
        let sids: Vec<String> = q
            .fetch_all(&ctx.db.pool)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        let sview = View {
            lang: view.lang.clone(),
            full: full_service,
        };
        for mut s in render_services(ctx, &sids, &sview).await? {
            if let Some(o) = s.as_object_mut() {
                o.remove("organization");
            }
            let org = str_field(&s, "organization_id").unwrap_or("").to_owned();
            services.entry(org).or_default().push(s);
        }
    }
    let mut out = Vec::new();
    for id in ids {
        let Some(row) = orgs.get(id) else {
            continue;
        };
        let mut v = if full {
            let mut v = row.hsds.clone();
            with_checked(&mut v, Kind::Organization, row.last_checked_at);
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "locations".into(),
                    Value::Array(locations.remove(id).unwrap_or_default()),
                );
                o.insert(
                    "services".into(),
                    Value::Array(services.remove(id).unwrap_or_default()),
                );
            }
            v
        } else {
            pick(&row.hsds, ORG_SCALARS)
        };
        hsds::drop_nulls(&mut v);
        out.push(v);
    }
    Ok(out)
}

/// `/service_at_locations`: filtered by the service's attributes.
pub async fn list_service_at_locations(
    ctx: &Ctx,
    f: &ServiceFilter,
    view: &View,
    p: Paging,
) -> Result<Page> {
    let mut sql = Sql::new();
    service_where(f, &mut sql);
    sql.where_
        .push("(x.location_id IS NULL OR x.location_id IN (SELECT id FROM dir_locations WHERE published = 1))".into());
    let from = format!(
        "{} JOIN dir_service_at_locations x ON x.service_id = s.id",
        service_from(f)
    );
    let (total, ids) = page_ids(ctx, &from, "x", "s.name, x.id", sql, p).await?;
    let contents = render_sals(ctx, &ids, view).await?;
    Ok(Page::new(total, p, contents))
}

pub async fn get_service_at_location(ctx: &Ctx, id: &str, lang: Option<&str>) -> Result<Value> {
    let view = View {
        lang: lang.map(str::to_owned),
        full: true,
    };
    render_sals(ctx, &[id.to_owned()], &view)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

async fn render_sals(ctx: &Ctx, ids: &[String], view: &View) -> Result<Vec<Value>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let lang = view.lang.as_deref();
    let sql = format!(
        "SELECT x.id, x.service_id, x.location_id, x.hsds FROM dir_service_at_locations x \
         JOIN dir_services s ON s.id = x.service_id WHERE s.published = 1 AND x.id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, String, Option<String>, String)>(&sql);
    for id in ids {
        q = q.bind(id.as_str());
    }
    let rows: HashMap<String, (String, Option<String>, String)> = q
        .fetch_all(&ctx.db.pool)
        .await?
        .into_iter()
        .map(|(id, s, l, h)| (id, (s, l, h)))
        .collect();
    let mut sids: Vec<String> = rows.values().map(|r| r.0.clone()).collect();
    sids.sort();
    sids.dedup();
    let mut lids: Vec<String> = rows.values().filter_map(|r| r.1.clone()).collect();
    lids.sort();
    lids.dedup();
    let sview = View {
        lang: view.lang.clone(),
        full: view.full,
    };
    let services: HashMap<String, Value> = render_services(ctx, &sids, &sview)
        .await?
        .into_iter()
        .map(|s| (str_field(&s, "id").unwrap_or("").to_owned(), s))
        .collect();
    let locs = load_rendered(ctx, Kind::Location, lang, &lids, None).await?;
    let mut out = Vec::new();
    for id in ids {
        let Some((sid, lid, body)) = rows.get(id) else {
            continue;
        };
        if let Some(l) = lid {
            if !locs.contains_key(l) {
                continue;
            }
        }
        let body: Value = serde_json::from_str(body).map_err(anyhow::Error::from)?;
        let mut v = if view.full {
            body
        } else {
            pick(&body, SAL_SCALARS)
        };
        if let Some(o) = v.as_object_mut() {
            if let Some(s) = services.get(sid) {
                let mut s = s.clone();
                if let Some(so) = s.as_object_mut() {
                    so.remove("service_at_locations");
                }
                o.insert("service".into(), s);
            }
            if let Some(l) = lid.as_ref().and_then(|l| locs.get(l)) {
                let lv = if view.full {
                    let mut lv = l.hsds.clone();
                    with_checked(&mut lv, Kind::Location, l.last_checked_at);
                    lv
                } else {
                    pick(&l.hsds, LOCATION_SCALARS)
                };
                o.insert("location".into(), lv);
            }
        }
        hsds::drop_nulls(&mut v);
        out.push(v);
    }
    Ok(out)
}

/// `/taxonomies`.
pub async fn list_taxonomies(ctx: &Ctx, words: &[String], p: Paging) -> Result<Page> {
    let mut sql = Sql::new();
    for w in words {
        let a = sql.arg(Arg::S(format!("%{w}%")));
        sql.where_.push(format!("LOWER(t.name) LIKE {a}"));
    }
    let (total, ids) = page_ids(ctx, "dir_taxonomies t", "t", "t.name, t.id", sql, p).await?;
    let contents = load_simple(ctx, "dir_taxonomies", &ids).await?;
    Ok(Page::new(total, p, contents))
}

pub async fn get_taxonomy(ctx: &Ctx, id: &str) -> Result<Value> {
    load_simple(ctx, "dir_taxonomies", &[id.to_owned()])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Filters for `/taxonomy_terms`.
#[derive(Debug, Clone, Default)]
pub struct TermFilter {
    pub words: Vec<String>,
    pub taxonomy_id: Option<String>,
    pub parent_id: Option<String>,
    pub top_only: bool,
}

pub async fn list_taxonomy_terms(ctx: &Ctx, f: &TermFilter, p: Paging) -> Result<Page> {
    let mut sql = Sql::new();
    for w in &f.words {
        let a = sql.arg(Arg::S(format!("%{w}%")));
        sql.where_.push(format!("LOWER(t.name) LIKE {a}"));
    }
    if let Some(t) = &f.taxonomy_id {
        let a = sql.arg(Arg::S(t.clone()));
        sql.where_.push(format!("t.taxonomy_id = {a}"));
    }
    if let Some(t) = &f.parent_id {
        let a = sql.arg(Arg::S(t.clone()));
        sql.where_.push(format!("t.parent_id = {a}"));
    }
    if f.top_only {
        sql.where_.push("t.parent_id IS NULL".into());
    }
    let (total, ids) = page_ids(ctx, "dir_taxonomy_terms t", "t", "t.name, t.id", sql, p).await?;
    let contents = render_terms(ctx, &ids).await?;
    Ok(Page::new(total, p, contents))
}

pub async fn get_taxonomy_term(ctx: &Ctx, id: &str) -> Result<Value> {
    render_terms(ctx, &[id.to_owned()])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

async fn render_terms(ctx: &Ctx, ids: &[String]) -> Result<Vec<Value>> {
    let mut terms = load_simple(ctx, "dir_taxonomy_terms", ids).await?;
    let mut tax_ids: Vec<String> = terms
        .iter()
        .filter_map(|t| str_field(t, "taxonomy_id").map(str::to_owned))
        .collect();
    tax_ids.sort();
    tax_ids.dedup();
    let taxonomies: HashMap<String, Value> = load_simple(ctx, "dir_taxonomies", &tax_ids)
        .await?
        .into_iter()
        .map(|t| (str_field(&t, "id").unwrap_or("").to_owned(), t))
        .collect();
    for t in terms.iter_mut() {
        let detail = str_field(t, "taxonomy_id")
            .and_then(|id| taxonomies.get(id))
            .cloned();
        if let (Some(d), Some(o)) = (detail, t.as_object_mut()) {
            o.insert("taxonomy_detail".into(), d);
        }
    }
    Ok(terms)
}

/// Objects of a table with `(id, hsds)`, in the order of `ids`.
async fn load_simple(ctx: &Ctx, table: &str, ids: &[String]) -> Result<Vec<Value>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, hsds FROM {table} WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql);
    for id in ids {
        q = q.bind(id.as_str());
    }
    let rows: HashMap<String, String> = q.fetch_all(&ctx.db.pool).await?.into_iter().collect();
    let mut out = Vec::new();
    for id in ids {
        if let Some(h) = rows.get(id) {
            let mut v: Value = serde_json::from_str(h).map_err(anyhow::Error::from)?;
            hsds::drop_nulls(&mut v);
            out.push(v);
        }
    }
    Ok(out)
}
