//! `/taxonomies` and `/taxonomy_terms`.

use serde_json::Value;
use std::collections::HashMap;

use super::sql::{fetch_by_ids, page_ids, Arg, Sql};
use super::{distinct, Page, Paging};
use crate::directory::hsds::{self, str_field};
use crate::{Ctx, Error, Result};

#[derive(sqlx::FromRow)]
struct IdHsds {
    id: String,
    hsds: String,
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
    sql.push_if(&f.taxonomy_id, |a| format!("t.taxonomy_id = {a}"));
    sql.push_if(&f.parent_id, |a| format!("t.parent_id = {a}"));
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
    let tax_ids = distinct(
        terms
            .iter()
            .filter_map(|t| str_field(t, "taxonomy_id").map(str::to_owned)),
    );
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
    let rows: Vec<IdHsds> = fetch_by_ids(ctx, ids, &[], |list| {
        format!("SELECT id, hsds FROM {table} WHERE id IN ({list})")
    })
    .await?;
    let rows: HashMap<String, String> = rows.into_iter().map(|r| (r.id, r.hsds)).collect();
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
