//! Finding persons: by name or phone number, and the ones changed most recently.

use super::model::{parse_phone, PersonSummary};
use super::store::{self, phone_index, PersonRow, PERSON_COLS};
use super::{names, VISIBLE};
use crate::audit::AuditTx;
use crate::ids::{OrgId, PersonId};
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};

fn summaries(ctx: &Ctx, rows: Vec<PersonRow>) -> Result<Vec<PersonSummary>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        match store::from_row(ctx, r) {
            Ok(p) => out.push(PersonSummary {
                id: p.id,
                name: p.data.name,
                alias: p.data.alias,
                birth_date: p.data.birth_date,
                birth_year: p.data.birth_year,
                residence_status: p.data.residence_status,
                updated_at: p.updated_at,
            }),
            // An erased person has nothing left to show in a list.
            Err(Error::Erased) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Finds persons by name or alias (see [`names`]), or by phone number when the query is
/// one. Only persons the actor's organisation may see; at most `limit`, the most recently
/// registered first.
pub async fn search(
    ctx: &Ctx,
    actor: &Actor,
    query: &str,
    limit: i64,
) -> Result<Vec<PersonSummary>> {
    actor.require(Permission::PersonSearch)?;
    let org = actor.require_org()?;
    let limit = limit.clamp(1, 200);
    let query = query.trim();
    if query.chars().count() > 200 {
        return Err(Error::invalid("q", "err-too-long"));
    }
    let looks_like_phone = query.chars().filter(char::is_ascii_digit).count() >= 6
        && !query.chars().any(char::is_alphabetic);
    // The matching runs before the audit transaction, so a slow search does not hold the
    // chain head; nothing is returned unless the event naming every result committed.
    let rows: Vec<PersonRow> = if looks_like_phone {
        let phone = parse_phone(&Some(query.to_owned()))
            .map_err(|e| Error::Invalid(vec![FieldError::new("q", e.code)]))?;
        sqlx::query_as(&format!(
            "SELECT {PERSON_COLS} FROM persons p WHERE {VISIBLE} AND p.phone_bidx = $3 \
             ORDER BY p.updated_at DESC LIMIT $4"
        ))
        .bind(org)
        .bind(ctx.clock.now_ts())
        .bind(phone_index(ctx, &phone))
        .bind(limit)
        .fetch_all(&ctx.db.pool)
        .await?
    } else {
        let Some((each, joined)) = names::query_keys(query) else {
            return Err(Error::invalid("q", "err-search-empty"));
        };
        // Two index walks, each newest first (ids are time-ordered) and stopping at the
        // limit: persons holding every token of the query, and persons holding the query's
        // joined form. Each walks the (token, person_id) key backwards and probes the other
        // tokens by key, so a common name among 100,000 persons costs no sort.
        let mut all = match_tokens(ctx, org, &each, limit).await?;
        if each.len() > 1 || each.first() != Some(&joined) {
            all.extend(match_tokens(ctx, org, std::slice::from_ref(&joined), limit).await?);
        }
        all.sort_by_key(|r| std::cmp::Reverse(r.id));
        all.dedup_by(|a, b| a.id == b.id);
        all.truncate(usize::try_from(limit).unwrap_or(50));
        all
    };
    let ids: Vec<PersonId> = rows.iter().map(|r| r.id).collect();
    let mut tx = AuditTx::begin(ctx).await?;
    tx.log(ctx, actor, "person.search", "person", &ids).await?;
    tx.commit().await?;
    summaries(ctx, rows)
}

/// Persons visible to `org` whose name index holds every one of `keys`, newest first.
async fn match_tokens(
    ctx: &Ctx,
    org: OrgId,
    keys: &[String],
    limit: i64,
) -> Result<Vec<PersonRow>> {
    let Some((first, rest)) = keys.split_first() else {
        return Ok(Vec::new());
    };
    let mut joins = String::new();
    for i in 1..keys.len() {
        joins.push_str(&format!(
            " JOIN person_name_tokens t{i} ON t{i}.person_id = t0.person_id AND t{i}.token = ${}",
            i + 4
        ));
    }
    let sql = format!(
        "SELECT {PERSON_COLS} FROM person_name_tokens t0{joins} \
         JOIN persons p ON p.id = t0.person_id \
         WHERE t0.token = $3 AND {VISIBLE} ORDER BY t0.person_id DESC LIMIT $4"
    );
    let mut q = sqlx::query_as::<_, PersonRow>(&sql)
        .bind(org)
        .bind(ctx.clock.now_ts())
        .bind(ctx.keys.blind_index("name", first))
        .bind(limit);
    for k in rest {
        q = q.bind(ctx.keys.blind_index("name", k));
    }
    Ok(q.fetch_all(&ctx.db.pool).await?)
}

/// The persons the actor's organisation changed most recently.
pub async fn recent(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<PersonSummary>> {
    actor.require(Permission::PersonSearch)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let rows: Vec<PersonRow> = sqlx::query_as(&format!(
        "SELECT {PERSON_COLS} FROM persons p WHERE {VISIBLE} AND p.data_key IS NOT NULL \
         ORDER BY p.updated_at DESC LIMIT $3"
    ))
    .bind(org)
    .bind(ctx.clock.now_ts())
    .bind(limit.clamp(1, 200))
    .fetch_all(&mut *tx.tx)
    .await?;
    let ids: Vec<PersonId> = rows.iter().map(|r| r.id).collect();
    tx.log(ctx, actor, "person.list", "person", &ids).await?;
    tx.commit().await?;
    summaries(ctx, rows)
}
