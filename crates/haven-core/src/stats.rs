//! Aggregate figures for analysts and administrators. No person, no id: counts only, and
//! any count below [`MIN_COUNT`] is withheld so that nobody can be singled out.

use serde::Serialize;

use crate::{Actor, Ctx, Permission, Result};

pub const MIN_COUNT: i64 = 5;

/// A count that is shown only when it is at least [`MIN_COUNT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Count {
    Exact(i64),
    FewerThan(i64),
}

impl Count {
    pub fn of(n: i64) -> Self {
        if n < MIN_COUNT && n > 0 {
            Count::FewerThan(MIN_COUNT)
        } else {
            Count::Exact(n)
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgCount {
    pub organisation: String,
    pub kind: String,
    pub persons: Count,
    pub staff: Count,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub persons: Count,
    pub organisations: i64,
    pub staff: i64,
    pub by_organisation: Vec<OrgCount>,
    /// Persons registered per calendar month, oldest first (`YYYY-MM`).
    pub registrations_by_month: Vec<(String, Count)>,
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    name: String,
    kind: String,
    persons: i64,
    staff: i64,
}

async fn count(ctx: &Ctx, sql: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(sql).fetch_one(&ctx.db.pool).await?)
}

pub async fn overview(ctx: &Ctx, actor: &Actor) -> Result<Overview> {
    actor.require(Permission::StatsRead)?;
    let persons = count(
        ctx,
        "SELECT COUNT(*) FROM persons WHERE data_key IS NOT NULL",
    )
    .await?;
    let orgs = count(ctx, "SELECT COUNT(*) FROM organisations").await?;
    let staff = count(ctx, "SELECT COUNT(*) FROM users WHERE disabled = 0").await?;
    let rows: Vec<OrgRow> = sqlx::query_as(
        "SELECT o.name, o.kind, \
           (SELECT COUNT(*) FROM persons p WHERE p.owner_org = o.id AND p.data_key IS NOT NULL) \
             AS persons, \
           (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id AND u.disabled = 0) AS staff \
         FROM organisations o ORDER BY o.name",
    )
    .fetch_all(&ctx.db.pool)
    .await?;
    // Months are computed here, not in SQL, to stay portable across both backends.
    let times: Vec<i64> = sqlx::query_scalar(
        "SELECT created_at FROM persons WHERE data_key IS NOT NULL AND created_at >= $1",
    )
    .bind(ctx.clock.now_ts() - 366 * 86_400)
    .fetch_all(&ctx.db.pool)
    .await?;
    let mut months: std::collections::BTreeMap<String, i64> = Default::default();
    for t in times {
        if let Ok(d) = time::OffsetDateTime::from_unix_timestamp(t) {
            *months
                .entry(format!("{:04}-{:02}", d.year(), u8::from(d.month())))
                .or_default() += 1;
        }
    }
    Ok(Overview {
        persons: Count::of(persons),
        organisations: orgs,
        staff,
        by_organisation: rows
            .into_iter()
            .map(|r| OrgCount {
                organisation: r.name,
                kind: r.kind,
                persons: Count::of(r.persons),
                staff: Count::of(r.staff),
            })
            .collect(),
        registrations_by_month: months.into_iter().map(|(m, n)| (m, Count::of(n))).collect(),
    })
}
