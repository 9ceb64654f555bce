//! The SQL of the public lists: conditions and their arguments, one page of ids with the
//! total, and reading rows by a list of ids.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Arguments, FromRow};

use super::{Paging, ServiceFilter};
use crate::db::placeholders;
use crate::{Ctx, Result};

#[derive(Debug, Clone)]
pub(super) enum Arg {
    S(String),
    I(i64),
}

/// The conditions of a list query and the arguments they name, in order.
pub(super) struct Sql {
    pub where_: Vec<String>,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new() -> Self {
        Self {
            where_: Vec::new(),
            args: Vec::new(),
        }
    }

    /// Adds an argument and returns its placeholder.
    pub fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    /// Adds the condition that `cond` makes of `value`'s placeholder, when there is a value.
    pub fn push_if(&mut self, value: &Option<String>, cond: impl FnOnce(&str) -> String) {
        if let Some(v) = value {
            let a = self.arg(Arg::S(v.clone()));
            self.where_.push(cond(&a));
        }
    }

    fn clause(&self) -> String {
        if self.where_.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.where_.join(" AND "))
        }
    }

    /// The arguments, followed by `extra` (a page's size and offset).
    fn arguments(&self, extra: &[i64]) -> Result<AnyArguments<'static>> {
        let mut out = AnyArguments::default();
        for a in &self.args {
            match a {
                Arg::S(s) => out.add(s.clone()),
                Arg::I(i) => out.add(*i),
            }
            .map_err(|e| anyhow::anyhow!(e))?;
        }
        for i in extra {
            out.add(*i).map_err(|e| anyhow::anyhow!(e))?;
        }
        Ok(out)
    }
}

/// An id of a page, with the number of rows matching in all (a window count).
#[derive(sqlx::FromRow)]
struct IdAndTotal {
    id: String,
    total: i64,
}

/// Runs a paged id query: `SELECT <alias>.id FROM <from> <where> ORDER BY <order>`, and
/// the total.
pub(super) async fn page_ids(
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
        let ids_sql =
            format!("SELECT {alias}.id, COUNT(*) OVER () AS total FROM {from}{clause} {limit}");
        let rows: Vec<IdAndTotal> =
            sqlx::query_as_with(&ids_sql, sql.arguments(&[p.per_page, offset])?)
                .fetch_all(&ctx.db.pool)
                .await?;
        if let Some(total) = rows.first().map(|r| r.total) {
            return Ok((total, rows.into_iter().map(|r| r.id).collect()));
        }
        // No row: nothing matches, or the page is past the end; count to tell which.
    }
    let count_sql = format!("SELECT COUNT(*) FROM {from}{clause}");
    let total: i64 = sqlx::query_scalar_with(&count_sql, sql.arguments(&[])?)
        .fetch_one(&ctx.db.pool)
        .await?;
    if total == 0 {
        return Ok((0, Vec::new()));
    }
    let ids_sql = format!("SELECT {alias}.id FROM {from}{clause} {limit}");
    let ids: Vec<String> = sqlx::query_scalar_with(&ids_sql, sql.arguments(&[p.per_page, offset])?)
        .fetch_all(&ctx.db.pool)
        .await?;
    Ok((total, ids))
}

/// Rows for a list of ids, at most 500 to a statement: `sql` makes the statement from the
/// list of placeholders, which start after the `before` arguments.
pub(super) async fn fetch_by_ids<T>(
    ctx: &Ctx,
    ids: &[String],
    before: &[&str],
    sql: impl Fn(&str) -> String,
) -> Result<Vec<T>>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let text = sql(&placeholders(before.len() + 1, chunk.len()));
        let mut q = sqlx::query_as::<_, T>(&text);
        for b in before {
            q = q.bind(*b);
        }
        for id in chunk {
            q = q.bind(id.as_str());
        }
        out.extend(q.fetch_all(&ctx.db.pool).await?);
    }
    Ok(out)
}

/// One column for a list of ids, as [`fetch_by_ids`].
pub(super) async fn column_by_ids(
    ctx: &Ctx,
    ids: &[String],
    sql: impl Fn(&str) -> String,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = fetch_by_ids(ctx, ids, &[], sql).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The services matching `f` as conditions on `s`; `d` is the driving search word, when
/// there is one (see [`service_from`]).
///
/// Every other condition is an `EXISTS` probe of a primary-key index. `IN (SELECT …)`
/// made SQLite build a temporary B-tree of each list (every service offered in Arabic,
/// say) for every query, and scan all published services against them: most of a
/// search's cost before this was written.
pub(super) fn service_where(f: &ServiceFilter, sql: &mut Sql) {
    sql.where_.push("s.published = 1".into());
    sql.where_
        .push(crate::firewall::listed_sql("s.organization_id"));
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
    sql.push_if(&f.language, |a| {
        format!(
            "EXISTS (SELECT 1 FROM dir_service_languages l WHERE l.code = {a} \
             AND l.service_id = s.id)"
        )
    });
    sql.push_if(&f.taxonomy_term_id, |a| {
        format!(
            "EXISTS (SELECT 1 FROM dir_entity_terms e WHERE e.term_id = {a} \
             AND e.entity_type = 'service' AND e.entity_id = s.id)"
        )
    });
    sql.push_if(&f.taxonomy_id, |a| {
        format!(
            "EXISTS (SELECT 1 FROM dir_entity_terms e WHERE e.taxonomy_id = {a} \
             AND e.entity_type = 'service' AND e.entity_id = s.id)"
        )
    });
    sql.push_if(&f.organization_id, |a| format!("s.organization_id = {a}"));
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
pub(super) fn service_from(f: &ServiceFilter) -> &'static str {
    if f.words.is_empty() {
        "dir_services s"
    } else {
        "dir_search_terms d CROSS JOIN dir_services s"
    }
}
