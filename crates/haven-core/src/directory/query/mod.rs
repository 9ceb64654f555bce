//! The public, read-only view of the directory: what `/api/hsds/` serves.
//!
//! These functions take no `Actor`: they return only published entries, which are public
//! by definition, and no personal data. Every list pages in SQL first (ids of one page,
//! ordered by an index) and then loads that page's objects, translations, organisations
//! and locations with one query each — never one query per row.

mod load;
mod sql;
mod taxonomies;

pub use load::pick;
pub use taxonomies::{
    get_taxonomy, get_taxonomy_term, list_taxonomies, list_taxonomy_terms, TermFilter,
};

use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

use super::hsds::{self, str_field};
use super::tables;
use super::Kind;
use crate::{Ctx, Error, Result};
use load::{load_rendered, org_scalar, service_list_field, with_checked, Keep};
use sql::{column_by_ids, fetch_by_ids, page_ids, service_from, service_where, Arg, Sql};

pub const ORG_SCALARS: &[&str] = tables::ORGANIZATIONS;
pub const SERVICE_SCALARS: &[&str] = tables::SERVICES;
pub const LOCATION_SCALARS: &[&str] = tables::LOCATIONS;
pub const SAL_SCALARS: &[&str] = tables::SERVICE_AT_LOCATION;
pub const PROGRAM_SCALARS: &[&str] = tables::PROGRAMS;

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

/// A service_at_location as stored.
#[derive(sqlx::FromRow)]
struct SalRow {
    id: String,
    service_id: String,
    location_id: Option<String>,
    hsds: String,
}

/// The distinct values, sorted.
fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = values.collect();
    v.sort();
    v.dedup();
    v
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
    let org_ids = distinct(services.values().filter_map(|r| r.link.clone()));
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
    let rows: Vec<SalRow> = fetch_by_ids(ctx, service_ids, &[], |list| {
        format!(
            "SELECT id, service_id, location_id, hsds FROM dir_service_at_locations \
             WHERE service_id IN ({list}) ORDER BY id"
        )
    })
    .await?;
    let loc_ids = distinct(rows.iter().filter_map(|r| r.location_id.clone()));
    let locs = load_rendered(ctx, Kind::Location, lang, &loc_ids, None).await?;
    let mut out = Vec::new();
    for r in rows {
        let mut v: Value = serde_json::from_str(&r.hsds).map_err(anyhow::Error::from)?;
        if let (Some(l), Some(o)) = (r.location_id.and_then(|l| locs.get(&l)), v.as_object_mut()) {
            let mut lv = l.hsds.clone();
            with_checked(&mut lv, Kind::Location, l.last_checked_at);
            o.insert("location".into(), lv);
        }
        out.push((r.service_id, v));
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
    sql.where_.push(crate::firewall::listed_sql("o.id"));
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
        let loc_ids = column_by_ids(ctx, ids, |list| {
            format!(
                "SELECT id FROM dir_locations WHERE published = 1 AND organization_id IN ({list}) \
                 ORDER BY name, id"
            )
        })
        .await?;
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
        let sids = column_by_ids(ctx, ids, |list| {
            format!(
                "SELECT id FROM dir_services WHERE published = 1 AND organization_id IN ({list}) \
                 ORDER BY name, id"
            )
        })
        .await?;
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
    let rows: Vec<SalRow> = fetch_by_ids(ctx, ids, &[], |list| {
        format!(
            "SELECT x.id, x.service_id, x.location_id, x.hsds FROM dir_service_at_locations x \
             JOIN dir_services s ON s.id = x.service_id WHERE s.published = 1 AND {} \
             AND x.id IN ({list})",
            crate::firewall::listed_sql("s.organization_id")
        )
    })
    .await?;
    let rows: HashMap<String, SalRow> = rows.into_iter().map(|r| (r.id.clone(), r)).collect();
    let sids = distinct(rows.values().map(|r| r.service_id.clone()));
    let lids = distinct(rows.values().filter_map(|r| r.location_id.clone()));
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
        let Some(SalRow {
            service_id: sid,
            location_id: lid,
            hsds: body,
            ..
        }) = rows.get(id)
        else {
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
