//! Applying a batch of records from a device. See the module documentation of `outreach`
//! for the rules; this file keeps them.

use std::collections::HashMap;

use super::model::*;
use super::store::*;
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::db::placeholders;
use crate::ids::{OrgId, PersonId};
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};

/// Applies a batch of records from a device. See the module documentation for the rules.
pub async fn sync(ctx: &Ctx, actor: &Actor, records: &[SyncRecord]) -> Result<Vec<SyncResult>> {
    actor.require(Permission::OutreachRecord)?;
    let org = actor.require_org()?;
    if records.len() > MAX_BATCH {
        return Err(Error::invalid("records", "err-list-long"));
    }
    let now = ctx.clock.now_ts();
    let cfg = check_config(ctx, org).await?;
    // Parse everything first; an answer per record, in the order sent.
    let (mut results, parsed) = parse_all(ctx, &cfg, records, now)?;

    let w = Writer {
        ctx,
        actor: actor.audit_id(),
        org,
        now,
    };
    let mut tx = AuditTx::begin(ctx).await?;
    let mut held = Held::load(&mut tx, &parsed).await?;
    let mut written: Vec<String> = Vec::new();
    let mut new: Vec<&Parsed> = Vec::new();
    for (i, p) in &parsed {
        let answer = match held.plan(p, org) {
            Plan::Answer(a) => a,
            Plan::Create => {
                new.push(p);
                held.stored(p, org, 1);
                written.push(p.id.clone());
                SyncResult::stored(&p.id, 1)
            }
            Plan::Edit(v) => {
                // An edit of a contact created earlier in this batch needs its row.
                w.insert_many(&mut tx, &new).await?;
                new.clear();
                w.update(&mut tx, p, v).await?;
                held.stored(p, org, v + 1);
                written.push(p.id.clone());
                SyncResult::stored(&p.id, v + 1)
            }
        };
        results[*i] = Some(answer);
    }
    w.insert_many(&mut tx, &new).await?;
    if !written.is_empty() {
        written.sort();
        written.dedup();
        tx.log(
            ctx,
            actor,
            "outreach.contact.sync",
            "outreach_contact",
            &written,
        )
        .await?;
    }
    tx.commit().await?;
    results
        .into_iter()
        .map(|r| r.ok_or_else(|| Error::Internal(anyhow::anyhow!("record without an answer"))))
        .collect()
}

/// A record that passed parsing, ready to be applied.
struct Parsed {
    id: String,
    base_version: i64,
    data: ContactData,
    mac: String,
}

/// Parses every record: the invalid ones get their answer now, the others wait (with their
/// position in the batch) to be applied.
#[allow(clippy::type_complexity)]
fn parse_all(
    ctx: &Ctx,
    cfg: &Config,
    records: &[SyncRecord],
    now: i64,
) -> Result<(Vec<Option<SyncResult>>, Vec<(usize, Parsed)>)> {
    let mut results: Vec<Option<SyncResult>> = vec![None; records.len()];
    let mut parsed: Vec<(usize, Parsed)> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let Some(id) = parse_id(&r.id) else {
            let f = FieldError::new("id", "err-outreach-id");
            results[i] = Some(SyncResult::invalid(&r.id, vec![f]));
            continue;
        };
        if r.base_version < 0 {
            let f = FieldError::new("base_version", "err-choice");
            results[i] = Some(SyncResult::invalid(&id, vec![f]));
            continue;
        }
        match r.contact.parse(cfg, now) {
            Ok(data) => {
                let mac = payload_mac(ctx, &data)?;
                let base_version = r.base_version;
                parsed.push((
                    i,
                    Parsed {
                        id,
                        base_version,
                        data,
                        mac,
                    },
                ));
            }
            Err(Error::Invalid(f)) => results[i] = Some(SyncResult::invalid(&id, f)),
            Err(e) => return Err(e),
        }
    }
    Ok((results, parsed))
}

/// What the server holds for the batch's ids: each contact's organisation and version, and
/// the MAC of every version it has had. Kept up to date as the batch is applied.
struct Held {
    current: HashMap<String, (OrgId, i64)>,
    history: HashMap<(String, i64), String>,
    /// Contacts whose sealed part retention erased: no edit brings it back.
    erased: std::collections::HashSet<String>,
}

#[derive(sqlx::FromRow)]
struct CurrentRow {
    id: String,
    org_id: OrgId,
    version: i64,
    data_key: Option<String>,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    contact_id: String,
    version: i64,
    payload_mac: String,
}

/// What to do with one parsed record.
enum Plan {
    /// Nothing to write: this is the answer.
    Answer(SyncResult),
    /// A new contact.
    Create,
    /// An edit of the current version, this one.
    Edit(i64),
}

impl Held {
    async fn load(tx: &mut AuditTx<'_>, parsed: &[(usize, Parsed)]) -> Result<Self> {
        let mut held = Held {
            current: HashMap::new(),
            history: HashMap::new(),
            erased: Default::default(),
        };
        let mut ids: Vec<&str> = parsed.iter().map(|(_, p)| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(500) {
            let ph = placeholders(1, chunk.len());
            let sql = format!(
                "SELECT id, org_id, version, data_key FROM outreach_contacts WHERE id IN ({ph})"
            );
            let mut q = sqlx::query_as::<_, CurrentRow>(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&mut *tx.tx).await? {
                if r.data_key.is_none() {
                    held.erased.insert(r.id.clone());
                }
                held.current.insert(r.id, (r.org_id, r.version));
            }
            let sql = format!(
                "SELECT contact_id, version, payload_mac FROM outreach_contact_versions \
                 WHERE contact_id IN ({ph})"
            );
            let mut q = sqlx::query_as::<_, VersionRow>(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&mut *tx.tx).await? {
                held.history
                    .insert((r.contact_id, r.version), r.payload_mac);
            }
        }
        Ok(held)
    }

    fn plan(&self, p: &Parsed, org: OrgId) -> Plan {
        let target = p.base_version + 1;
        Plan::Answer(match self.current.get(&p.id).copied() {
            Some((owner, _)) if owner != org => {
                SyncResult::conflict(&p.id, "err-outreach-id-taken", None)
            }
            _ if self.history.get(&(p.id.clone(), target)) == Some(&p.mac) => {
                // Applied before: the same answer again.
                SyncResult::stored(&p.id, target)
            }
            Some(_) if self.erased.contains(&p.id) => {
                SyncResult::conflict(&p.id, "err-outreach-erased", None)
            }
            None if p.base_version == 0 => return Plan::Create,
            None => SyncResult::conflict(&p.id, "err-outreach-missing", None),
            Some((_, v)) if p.base_version == 0 => {
                SyncResult::conflict(&p.id, "err-outreach-different-payload", Some(v))
            }
            Some((_, v)) if v == p.base_version => return Plan::Edit(v),
            Some((_, v)) => SyncResult::conflict(&p.id, "err-outreach-stale", Some(v)),
        })
    }

    /// Records that the batch wrote `version` of the record.
    fn stored(&mut self, p: &Parsed, org: OrgId, version: i64) {
        self.current.insert(p.id.clone(), (org, version));
        self.history.insert((p.id.clone(), version), p.mac.clone());
    }
}

/// The unsealed rows derived from contacts, written on create and rewritten on edit: each
/// person's position (with the registered person, when they consented), the alias tokens
/// and the referral lines.
#[derive(Default)]
struct Derived {
    persons: Vec<Vec<Arg>>,
    tokens: Vec<Vec<Arg>>,
    referrals: Vec<Vec<Arg>>,
}

impl Derived {
    fn add(
        &mut self,
        ctx: &Ctx,
        org: OrgId,
        id: &str,
        data: &ContactData,
        links: &HashMap<i64, (PersonId, i64, String)>,
    ) {
        use Arg::*;
        let at = data.contact_at;
        for (i, person) in data.persons.iter().enumerate() {
            let ordinal = i as i64;
            let link = links.get(&ordinal);
            self.persons.push(vec![
                Text(id.to_owned()),
                Int(ordinal),
                Org(org),
                Int(at),
                Person(link.map(|l| l.0)),
                OptInt(link.map(|l| l.1)),
                OptText(link.map(|l| l.2.clone())),
            ]);
            for t in person.alias.iter().flat_map(|a| alias_tokens(ctx, a)) {
                let row = vec![
                    Bytes(t),
                    Org(org),
                    Text(id.to_owned()),
                    Int(ordinal),
                    Int(at),
                ];
                self.tokens.push(row);
            }
            for r in &person.referrals {
                self.referrals.push(vec![
                    Text(id.to_owned()),
                    Int(ordinal),
                    Text(r.kind.clone()),
                    Text(r.id.clone()),
                    Org(org),
                    Int(at),
                ]);
            }
        }
    }

    async fn insert(self, tx: &mut AuditTx<'_>) -> Result<()> {
        let persons = &[
            "contact_id",
            "ordinal",
            "org_id",
            "contact_at",
            "person_id",
            "consent_at",
            "consent_by",
        ];
        insert_rows(tx, "outreach_contact_persons", persons, self.persons).await?;
        let tokens = &["token", "org_id", "contact_id", "ordinal", "contact_at"];
        insert_rows(tx, "outreach_alias_tokens", tokens, self.tokens).await?;
        let referrals = &[
            "contact_id",
            "ordinal",
            "target_kind",
            "target_id",
            "org_id",
            "contact_at",
        ];
        insert_rows(tx, "outreach_referrals", referrals, self.referrals).await
    }
}

/// The columns of `outreach_contacts` that [`Writer::insert_many`] fills, in its order.
const CONTACT_COLS: &[&str] = &[
    "id",
    "org_id",
    "version",
    "payload_mac",
    "data_key",
    "sealed",
    "contact_at",
    "area",
    "people",
    "contacted",
    "informed",
    "referred",
    "counselling",
    "followup_at",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// The unsealed figures of a contact: contacted, informed, referred, counselling.
fn flags(data: &ContactData) -> [i64; 4] {
    [
        i64::from(data.has("contacted")),
        i64::from(data.has("informed")),
        i64::from(data.has("referred")),
        i64::from(data.counselling()),
    ]
}

/// Who writes, for which team, and when.
struct Writer<'a> {
    ctx: &'a Ctx,
    actor: String,
    org: OrgId,
    now: i64,
}

impl Writer<'_> {
    /// Inserts new contacts (version 1) and their derived rows, all of a batch at once.
    async fn insert_many(&self, tx: &mut AuditTx<'_>, new: &[&Parsed]) -> Result<()> {
        use Arg::*;
        let (mut contacts, mut versions) = (Vec::new(), Vec::new());
        let mut derived = Derived::default();
        for p in new {
            let dek = Key::generate();
            let sealed = seal(&dek, &p.id, &p.data)?;
            let wrapped = self.ctx.keys.wrap_data_key(&dek, &p.id);
            let mut row = vec![
                Text(p.id.clone()),
                Org(self.org),
                Int(1),
                Text(p.mac.clone()),
                Text(wrapped),
                Bytes(sealed),
                Int(p.data.contact_at),
                Text(p.data.area.clone()),
                Int(p.data.people_count),
            ];
            row.extend(flags(&p.data).map(Int));
            row.extend([
                OptInt(p.data.followup_at),
                Int(self.now),
                Text(self.actor.clone()),
                Int(self.now),
                Text(self.actor.clone()),
            ]);
            contacts.push(row);
            versions.push(vec![Text(p.id.clone()), Int(1), Text(p.mac.clone())]);
            derived.add(self.ctx, self.org, &p.id, &p.data, &HashMap::new());
        }
        insert_rows(tx, "outreach_contacts", CONTACT_COLS, contacts).await?;
        let version_cols = &["contact_id", "version", "payload_mac"];
        insert_rows(tx, "outreach_contact_versions", version_cols, versions).await?;
        derived.insert(tx).await
    }

    /// Writes an edit of `version`: the contact, its new version and its derived rows, with
    /// the consent links and the referrals made from its lines kept.
    async fn update(&self, tx: &mut AuditTx<'_>, p: &Parsed, version: i64) -> Result<()> {
        let wrapped: Option<String> =
            sqlx::query_scalar("SELECT data_key FROM outreach_contacts WHERE id = $1")
                .bind(&p.id)
                .fetch_one(&mut *tx.tx)
                .await?;
        let dek = match wrapped {
            Some(w) => self.ctx.keys.unwrap_data_key(&w, &p.id)?,
            None => return Err(Error::Erased),
        };
        let sealed = seal(&dek, &p.id, &p.data)?;
        let [contacted, informed, referred, counselling] = flags(&p.data);
        // Optimistic: the version checked before is required again here.
        let done = sqlx::query(
            "UPDATE outreach_contacts SET version = $1, payload_mac = $2, sealed = $3, \
             contact_at = $4, area = $5, people = $6, contacted = $7, informed = $8, \
             referred = $9, counselling = $10, followup_at = $11, updated_at = $12, \
             updated_by = $13 WHERE id = $14 AND version = $15",
        )
        .bind(version + 1)
        .bind(&p.mac)
        .bind(sealed)
        .bind(p.data.contact_at)
        .bind(&p.data.area)
        .bind(p.data.people_count)
        .bind(contacted)
        .bind(informed)
        .bind(referred)
        .bind(counselling)
        .bind(p.data.followup_at)
        .bind(self.now)
        .bind(&self.actor)
        .bind(&p.id)
        .bind(version)
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(Error::Conflict("err-outreach-stale"));
        }
        sqlx::query(
            "INSERT INTO outreach_contact_versions (contact_id, version, payload_mac) \
             VALUES ($1, $2, $3)",
        )
        .bind(&p.id)
        .bind(version + 1)
        .bind(&p.mac)
        .execute(&mut *tx.tx)
        .await?;
        self.rewrite_derived(tx, p).await
    }

    /// Replaces a contact's derived rows. Consent links survive an edit, by position, and
    /// so do the consented referrals made from its lines.
    async fn rewrite_derived(&self, tx: &mut AuditTx<'_>, p: &Parsed) -> Result<()> {
        let links: HashMap<i64, (PersonId, i64, String)> = consent_links(&mut tx.tx, &p.id)
            .await?
            .into_iter()
            .filter_map(|l| Some((l.ordinal, (l.person_id?, l.consent_at?, l.consent_by?))))
            .collect();
        let referred = keep_links(tx, &p.id).await?;
        for table in [
            "outreach_alias_tokens",
            "outreach_referrals",
            "outreach_contact_persons",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE contact_id = $1"))
                .bind(&p.id)
                .execute(&mut *tx.tx)
                .await?;
        }
        let mut derived = Derived::default();
        derived.add(self.ctx, self.org, &p.id, &p.data, &links);
        derived.insert(tx).await?;
        restore_links(tx, &p.id, referred).await
    }
}
