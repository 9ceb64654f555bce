//! Registering a person met in outreach: with the person's recorded consent, an alias
//! contact thread becomes a registered person, and a case may be opened at once.

use super::model::{parse_id, RegisterInput, Registered};
use super::store::AnyId;
use crate::audit::AuditTx;
use crate::error::Errors;
use crate::ids::{OrgId, PersonId};
use crate::input::given;
use crate::{cases, people, Actor, Ctx, Error, Permission, Result};

/// Turns an alias contact thread into a registered person, with the person's recorded
/// consent, and opens a case when a programme is given. Without consent nothing is kept.
pub async fn register(ctx: &Ctx, actor: &Actor, input: &RegisterInput) -> Result<Registered> {
    actor.require(Permission::OutreachRecord)?;
    actor.require(Permission::PersonRegister)?;
    let org = actor.require_org()?;
    let mut e = Errors::default();
    if !input.consent {
        e.push("consent", "err-outreach-consent");
    }
    if input.links.is_empty() || input.links.len() > 200 {
        e.push("links", "err-required");
    }
    let programme = given(&input.programme_id);
    if programme.is_some() && !actor.can(Permission::CaseWrite) {
        return Err(Error::Forbidden);
    }
    let mut links: Vec<(String, i64)> = Vec::new();
    for l in &input.links {
        match parse_id(&l.contact_id) {
            Some(id) => links.push((id, l.ordinal)),
            None => e.push("links", "err-choice"),
        }
    }
    e.finish()?;
    require_unlinked(ctx, org, &links).await?;
    // Check the person's fields before anything is written.
    input.person.parse(ctx.clock.now().date())?;
    let person = people::register(ctx, actor, &input.person).await?;
    link(ctx, actor, org, person.id, &links).await?;
    let case_id = match programme {
        Some(p) => {
            let open = cases::OpenInput {
                person_id: Some(person.id.to_string()),
                programme_id: Some(p.to_owned()),
                ..Default::default()
            };
            Some(cases::open_case(ctx, actor, &open).await?.id.to_string())
        }
        None => None,
    };
    Ok(Registered {
        person_id: person.id.to_string(),
        case_id,
    })
}

/// The linked positions must exist, belong to the team and not be linked yet.
async fn require_unlinked(ctx: &Ctx, org: OrgId, links: &[(String, i64)]) -> Result<()> {
    for (id, ordinal) in links {
        let row: Option<Option<PersonId>> = sqlx::query_scalar(
            "SELECT person_id FROM outreach_contact_persons WHERE contact_id = $1 AND ordinal = $2 \
             AND org_id = $3",
        )
        .bind(id)
        .bind(ordinal)
        .bind(org)
        .fetch_optional(&ctx.db.pool)
        .await?;
        match row {
            None => return Err(Error::invalid("links", "err-choice")),
            Some(Some(_)) => return Err(Error::Conflict("err-outreach-already-registered")),
            Some(None) => {}
        }
    }
    Ok(())
}

/// Links the registered person to the positions, with the consent's time and recorder.
async fn link(
    ctx: &Ctx,
    actor: &Actor,
    org: OrgId,
    person: PersonId,
    links: &[(String, i64)],
) -> Result<()> {
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let mut ids: Vec<AnyId> = vec![&person];
    for (id, ordinal) in links {
        sqlx::query(
            "UPDATE outreach_contact_persons SET person_id = $1, consent_at = $2, consent_by = $3 \
             WHERE contact_id = $4 AND ordinal = $5 AND org_id = $6 AND person_id IS NULL",
        )
        .bind(person)
        .bind(now)
        .bind(actor.audit_id())
        .bind(id)
        .bind(ordinal)
        .bind(org)
        .execute(&mut *tx.tx)
        .await?;
        ids.push(id);
    }
    tx.log(
        ctx,
        actor,
        "outreach.contact.register",
        "outreach_contact",
        &ids,
    )
    .await?;
    tx.commit().await
}
