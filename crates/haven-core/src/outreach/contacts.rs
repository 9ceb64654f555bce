//! Reading contacts back: one contact to show or edit, and the thread of earlier contacts
//! with a returning person, found by alias.

use std::collections::HashMap;

use super::model::{parse_id, Contact, ContactData, ThreadEntry, RECENT_DAYS};
use super::store::{commit_read, person_links, sealed_contacts};
use crate::audit::AuditTx;
use crate::db::placeholders;
use crate::ids::OrgId;
use crate::people::names;
use crate::{Actor, Ctx, Error, Permission, Result};

/// Reads one contact of the actor's organisation, to show or edit it.
pub async fn get(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Contact> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?;
    let id = parse_id(id).ok_or(Error::NotFound)?;
    let ids = [id];
    let mut tx = AuditTx::begin(ctx).await?;
    let row = sealed_contacts(&mut tx.tx, org, &ids)
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    let links = person_links(&mut tx.tx, &ids).await?;
    commit_read(tx, ctx, actor, &ids).await?;
    let data = row.open(ctx)?;
    let mut registered = vec![None; data.persons.len()];
    for ((_, o), p) in links {
        if let Some(slot) = usize::try_from(o).ok().and_then(|o| registered.get_mut(o)) {
            *slot = p.map(|p| p.to_string());
        }
    }
    Ok(Contact {
        id: row.id,
        version: row.version,
        data,
        registered,
    })
}

/// A person's position in a contact whose alias matched.
#[derive(sqlx::FromRow)]
struct Hit {
    contact_id: String,
    ordinal: i64,
}

/// The positions in the team's contacts since `since` whose alias has every token.
async fn alias_hits(ctx: &Ctx, org: OrgId, since: i64, tokens: &[Vec<u8>]) -> Result<Vec<Hit>> {
    let sql = format!(
        "SELECT t.contact_id, t.ordinal FROM outreach_alias_tokens t \
         WHERE t.org_id = $1 AND t.contact_at >= $2 AND t.token IN ({}) \
         GROUP BY t.contact_id, t.ordinal HAVING COUNT(DISTINCT t.token) = {} \
         ORDER BY MAX(t.contact_at) DESC LIMIT 100",
        placeholders(3, tokens.len()),
        tokens.len()
    );
    let mut q = sqlx::query_as::<_, Hit>(&sql).bind(org).bind(since);
    for t in tokens {
        q = q.bind(t.clone());
    }
    Ok(q.fetch_all(&ctx.db.pool).await?)
}

/// Finds a returning person by alias among the team's contacts of the last
/// [`RECENT_DAYS`], spelling-tolerantly, and returns the thread of earlier contacts with
/// them, newest first.
pub async fn thread(ctx: &Ctx, actor: &Actor, alias: &str) -> Result<Vec<ThreadEntry>> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?;
    let Some((each, _)) = names::query_keys(alias) else {
        return Err(Error::invalid("alias", "err-required"));
    };
    let tokens: Vec<Vec<u8>> = each
        .iter()
        .map(|k| ctx.keys.blind_index("outreach-alias", k))
        .collect();
    let since = ctx.clock.now_ts() - RECENT_DAYS * 86_400;
    let hits = alias_hits(ctx, org, since, &tokens).await?;
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<String> = hits.iter().map(|h| h.contact_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut tx = AuditTx::begin(ctx).await?;
    let rows = sealed_contacts(&mut tx.tx, org, &ids).await?;
    let links = person_links(&mut tx.tx, &ids).await?;
    commit_read(tx, ctx, actor, &ids).await?;
    let mut by_id: HashMap<String, (i64, ContactData)> = HashMap::new();
    for r in rows {
        if let Ok(d) = r.open(ctx) {
            by_id.insert(r.id, (r.version, d));
        }
    }
    let mut out = Vec::new();
    for Hit {
        contact_id,
        ordinal,
    } in hits
    {
        let Some((version, d)) = by_id.get(&contact_id) else {
            continue;
        };
        let Some(person) = usize::try_from(ordinal).ok().and_then(|o| d.persons.get(o)) else {
            continue;
        };
        let person_id = links.get(&(contact_id.clone(), ordinal)).copied().flatten();
        out.push(ThreadEntry {
            contact_id,
            version: *version,
            ordinal,
            contact_at: d.contact_at,
            area: d.area.clone(),
            activities: d.activities.clone(),
            person: person.clone(),
            person_id: person_id.map(|p| p.to_string()),
            followup_at: d.followup_at,
        });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.contact_at));
    Ok(out)
}
