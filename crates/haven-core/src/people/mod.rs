//! Persons: the people Haven serves.
//!
//! Only what is needed is asked, and everything that could identify or endanger a person is
//! sealed with their own data key (see `crypto`): names, alias, birth date, gender,
//! nationalities, languages, phone, residence status and notes. The database sees ids,
//! times, the owning organisation and blind indexes only.

pub mod names;

use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::Date;

use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::error::Errors;
use crate::ids::{parse_db, OrgId, PersonId};
use crate::{Actor, Ctx, Error, FieldError, Permission, Result};

macro_rules! choice_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

choice_enum!(
    /// As the person describes themself; `unknown` when not asked or not told.
    Gender {
        Female = "female",
        Male = "male",
        NonBinary = "non_binary",
        Unknown = "unknown",
    }
);

choice_enum!(
    /// A broad category, not a legal finding. The same in every country; the legal
    /// procedures that differ by country are configuration (casework).
    ResidenceStatus {
        Undocumented = "undocumented",
        RejectedAsylumSeeker = "rejected_asylum_seeker",
        DublinClaimant = "dublin_claimant",
        AsylumSeeker = "asylum_seeker",
        RecognisedRefugee = "recognised_refugee",
        EuCitizenWithoutRights = "eu_citizen_without_rights",
        Transit = "transit",
        Unknown = "unknown",
    }
);

/// The sealed part of a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PersonData {
    pub name: Option<String>,
    pub alias: Option<String>,
    /// Exact date of birth, `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Approximate year of birth, when the exact date is not known.
    pub birth_year: Option<i32>,
    pub gender: Gender,
    pub nationalities: Vec<String>,
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub residence_status: ResidenceStatus,
    pub notes: Option<String>,
}

/// A person as a use case returns them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Person {
    #[schema(value_type = String, format = Uuid)]
    pub id: PersonId,
    #[schema(value_type = String, format = Uuid)]
    pub owner_org: OrgId,
    /// Increases with every change; send it back with an update to detect a lost update.
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(flatten)]
    pub data: PersonData,
}

impl Person {
    /// What to call the person on screen: name, else alias, else nothing.
    pub fn label(&self) -> Option<&str> {
        self.data.name.as_deref().or(self.data.alias.as_deref())
    }
}

/// Input for registering or changing a person, as text from a form or JSON. Every field is
/// optional; nothing is required to serve someone.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonInput {
    pub name: Option<String>,
    pub alias: Option<String>,
    pub birth_date: Option<String>,
    pub birth_year: Option<String>,
    pub gender: Option<String>,
    pub nationalities: Vec<String>,
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub residence_status: Option<String>,
    pub notes: Option<String>,
    /// For updates: the version the change was based on.
    pub version: Option<i64>,
}

fn opt_text(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> std::result::Result<Option<String>, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max
        || s.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err(FieldError::new(
            field,
            if s.chars().count() > max {
                "err-too-long"
            } else {
                "err-control-chars"
            },
        ))
    } else {
        Ok(Some(s.to_owned()))
    }
}

fn list(items: &[String], field: &'static str) -> std::result::Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for it in items.iter().flat_map(|s| s.split(',')) {
        let t = it.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 60 || t.chars().any(char::is_control) {
            return Err(FieldError::new(field, "err-list-item"));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_owned());
        }
    }
    if out.len() > 10 {
        return Err(FieldError::new(field, "err-list-long"));
    }
    Ok(out)
}

/// Digits with an optional leading `+`; spaces, dashes, dots and brackets are dropped.
pub fn parse_phone(v: &Option<String>) -> std::result::Result<Option<String>, FieldError> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        return Ok(None);
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        match c {
            '+' if i == 0 => out.push('+'),
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' => {}
            _ => return Err(FieldError::new("phone", "err-phone")),
        }
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if (6..=20).contains(&digits) {
        Ok(Some(out))
    } else {
        Err(FieldError::new("phone", "err-phone"))
    }
}

fn parse_birth(
    date: &Option<String>,
    year: &Option<String>,
    today: Date,
) -> std::result::Result<(Option<String>, Option<i32>), FieldError> {
    let date = date.as_deref().map(str::trim).unwrap_or("");
    let year = year.as_deref().map(str::trim).unwrap_or("");
    if !date.is_empty() && !year.is_empty() {
        return Err(FieldError::new("birth_year", "err-birth-both"));
    }
    if !date.is_empty() {
        let d = Date::parse(date, format_description!("[year]-[month]-[day]"))
            .map_err(|_| FieldError::new("birth_date", crate::dates::date_error_code(date)))?;
        if d > today || d.year() < 1900 {
            return Err(FieldError::new("birth_date", "err-date-range"));
        }
        return Ok((Some(d.to_string()), None));
    }
    if !year.is_empty() {
        let y: i32 = year
            .parse()
            .map_err(|_| FieldError::new("birth_year", "err-year"))?;
        if !(1900..=today.year()).contains(&y) {
            return Err(FieldError::new("birth_year", "err-year"));
        }
        return Ok((None, Some(y)));
    }
    Ok((None, None))
}

impl PersonInput {
    /// Checks every field and reports all problems at once.
    pub fn parse(&self, today: Date) -> Result<PersonData> {
        let mut e = Errors::default();
        let name = e.take(opt_text(&self.name, "name", 200));
        let alias = e.take(opt_text(&self.alias, "alias", 100));
        let birth = e.take(parse_birth(&self.birth_date, &self.birth_year, today));
        let gender = e.take(match self.gender.as_deref().map(str::trim) {
            None | Some("") => Ok(Gender::Unknown),
            Some(s) => Gender::parse(s).ok_or(FieldError::new("gender", "err-choice")),
        });
        let nationalities = e.take(list(&self.nationalities, "nationalities"));
        let languages = e.take(list(&self.languages, "languages"));
        let phone = e.take(parse_phone(&self.phone));
        let residence_status = e.take(match self.residence_status.as_deref().map(str::trim) {
            None | Some("") => Ok(ResidenceStatus::Unknown),
            Some(s) => {
                ResidenceStatus::parse(s).ok_or(FieldError::new("residence_status", "err-choice"))
            }
        });
        let notes = e.take(opt_text(&self.notes, "notes", 5000));
        e.finish()?;
        match (
            name,
            alias,
            birth,
            gender,
            nationalities,
            languages,
            phone,
            residence_status,
            notes,
        ) {
            (
                Some(name),
                Some(alias),
                Some((birth_date, birth_year)),
                Some(gender),
                Some(nationalities),
                Some(languages),
                Some(phone),
                Some(residence_status),
                Some(notes),
            ) => Ok(PersonData {
                name,
                alias,
                birth_date,
                birth_year,
                gender,
                nationalities,
                languages,
                phone,
                residence_status,
                notes,
            }),
            _ => Err(Error::Internal(anyhow::anyhow!("validation inconsistency"))),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Storage helpers

fn aad(id: PersonId) -> Vec<u8> {
    format!("person:{id}").into_bytes()
}

fn seal(id: PersonId, dek: &Key, data: &PersonData) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(data).map_err(anyhow::Error::from)?;
    Ok(dek.seal(&json, &aad(id)))
}

fn open(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Result<PersonData> {
    let (Some(wrapped), Some(sealed)) = (wrapped, sealed) else {
        return Err(Error::Erased);
    };
    let dek = ctx.keys.data_key(wrapped, &id.to_string())?;
    let json = dek.open(sealed, &aad(id))?;
    Ok(serde_json::from_slice(&json).map_err(anyhow::Error::from)?)
}

/// The two fields of the sealed record a list shows; the others are skipped unparsed.
#[derive(Deserialize)]
struct Label {
    name: Option<String>,
    alias: Option<String>,
}

/// What to call a person on screen (name, else alias), read from their stored row; for
/// lists such as a caseload, whose caller has already checked visibility and audits.
pub(crate) fn label_from_stored(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Result<Option<String>> {
    let (Some(wrapped), Some(sealed)) = (wrapped, sealed) else {
        return Err(Error::Erased);
    };
    let dek = ctx.keys.data_key(wrapped, &id.to_string())?;
    let json = dek.open(sealed, &aad(id))?;
    let d: Label = serde_json::from_slice(&json).map_err(anyhow::Error::from)?;
    Ok(d.name.or(d.alias))
}

/// A person's sealed fields, read from their stored row; for the referral view, whose
/// caller has already checked the referral grant and audits the read.
pub(crate) fn data_from_stored(
    ctx: &Ctx,
    id: PersonId,
    wrapped: Option<&str>,
    sealed: Option<&[u8]>,
) -> Result<PersonData> {
    open(ctx, id, wrapped, sealed)
}

fn today(ctx: &Ctx) -> Date {
    ctx.clock.now().date()
}

/// The blind-index tokens of a person's names.
fn name_tokens(ctx: &Ctx, data: &PersonData) -> Vec<Vec<u8>> {
    let mut keys: Vec<String> = Vec::new();
    for n in [&data.name, &data.alias].into_iter().flatten() {
        keys.extend(names::index_keys(n));
    }
    keys.sort();
    keys.dedup();
    keys.iter()
        .map(|k| ctx.keys.blind_index("name", k))
        .collect()
}

fn phone_index(ctx: &Ctx, phone: &Option<String>) -> Option<Vec<u8>> {
    phone.as_ref().map(|p| {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        ctx.keys.blind_index("phone", &digits)
    })
}

async fn write_tokens(tx: &mut AuditTx<'_>, id: PersonId, tokens: &[Vec<u8>]) -> Result<()> {
    sqlx::query("DELETE FROM person_name_tokens WHERE person_id = $1")
        .bind(id.to_string())
        .execute(&mut *tx.tx)
        .await?;
    for t in tokens {
        sqlx::query("INSERT INTO person_name_tokens (person_id, token) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(t.clone())
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(())
}

/// The one visibility condition, for the person whose id is in column `$col`: organisation
/// `$1` may see the whole record at time `$2` through an access row that has not expired.
/// Rows with basis `referral` do not count here: a referral opens only the minimum its type
/// allows, through `referrals::referred_person`. Cases and shelters use the same macro, so
/// the rule has one text.
macro_rules! visible_sql {
    ($col:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM person_access a WHERE a.person_id = ",
            $col,
            " AND a.org_id = $1 AND a.basis <> 'referral' \
             AND (a.expires_at IS NULL OR a.expires_at > $2))"
        )
    };
}
pub(crate) use visible_sql;

/// [`visible_sql`] for persons read as `p`.
const VISIBLE: &str = visible_sql!("p.id");

type PersonRow = (
    String,
    String,
    Option<String>,
    Option<Vec<u8>>,
    i64,
    i64,
    i64,
);
const PERSON_COLS: &str =
    "p.id, p.owner_org, p.data_key, p.sealed, p.version, p.created_at, p.updated_at";

fn from_row(ctx: &Ctx, r: PersonRow) -> Result<Person> {
    let id: PersonId = parse_db(&r.0)?;
    Ok(Person {
        data: open(ctx, id, r.2.as_deref(), r.3.as_deref())?,
        id,
        owner_org: parse_db(&r.1)?,
        version: r.4,
        created_at: r.5,
        updated_at: r.6,
    })
}

// ---------------------------------------------------------------------------------------
// Use cases

/// Registers a person for the actor's organisation.
pub async fn register(ctx: &Ctx, actor: &Actor, input: &PersonInput) -> Result<Person> {
    actor.require(Permission::PersonRegister)?;
    let org = actor.require_org()?;
    let data = input.parse(today(ctx))?;
    let id = PersonId::new();
    let dek = Key::generate();
    let sealed = seal(id, &dek, &data)?;
    let wrapped = ctx.keys.wrap_data_key(&dek, &id.to_string());
    let tokens = name_tokens(ctx, &data);
    let now = ctx.clock.now_ts();
    let actor_id = actor.audit_id();

    let mut tx = AuditTx::begin(ctx).await?;
    sqlx::query(
        "INSERT INTO persons (id, owner_org, data_key, sealed, phone_bidx, version, created_at, \
         created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(wrapped)
    .bind(sealed)
    .bind(phone_index(ctx, &data.phone))
    .bind(now)
    .bind(&actor_id)
    .execute(&mut *tx.tx)
    .await?;
    sqlx::query(
        "INSERT INTO person_access (person_id, org_id, basis, granted_at) VALUES ($1, $2, 'owner', $3)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(now)
    .execute(&mut *tx.tx)
    .await?;
    write_tokens(&mut tx, id, &tokens).await?;
    tx.log(ctx, actor, "person.register", "person", &[id.to_string()])
        .await?;
    tx.commit().await?;
    Ok(Person {
        id,
        owner_org: org,
        version: 1,
        created_at: now,
        updated_at: now,
        data,
    })
}

/// Reads one person the actor's organisation may see. A person it may not see is
/// "not found", so that an id reveals nothing.
pub async fn get(ctx: &Ctx, actor: &Actor, id: PersonId) -> Result<Person> {
    actor.require(Permission::PersonRead)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<PersonRow> = sqlx::query_as(&format!(
        "SELECT {PERSON_COLS} FROM persons p WHERE {VISIBLE} AND p.id = $3"
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    tx.log(ctx, actor, "person.read", "person", &[id.to_string()])
        .await?;
    tx.commit().await?;
    from_row(ctx, row)
}

/// Changes a person. With `input.version`, a change based on an older version is refused
/// instead of silently overwriting someone else's.
pub async fn update(ctx: &Ctx, actor: &Actor, id: PersonId, input: &PersonInput) -> Result<Person> {
    actor.require(Permission::PersonUpdate)?;
    let org = actor.require_org()?;
    let data = input.parse(today(ctx))?;
    let now = ctx.clock.now_ts();
    let mut tx = AuditTx::begin(ctx).await?;
    let row: Option<PersonRow> = sqlx::query_as(&format!(
        "SELECT {PERSON_COLS} FROM persons p WHERE {VISIBLE} AND p.id = $3"
    ))
    .bind(org.to_string())
    .bind(now)
    .bind(id.to_string())
    .fetch_optional(&mut *tx.tx)
    .await?;
    let row = row.ok_or(Error::NotFound)?;
    let (wrapped, version, created_at) = (row.2.clone(), row.4, row.5);
    let owner_org: OrgId = parse_db(&row.1)?;
    if let Some(v) = input.version {
        if v != version {
            return Err(Error::Conflict("err-stale"));
        }
    }
    let wrapped = wrapped.ok_or(Error::Erased)?;
    let dek = ctx.keys.unwrap_data_key(&wrapped, &id.to_string())?;
    let sealed = seal(id, &dek, &data)?;
    sqlx::query(
        "UPDATE persons SET sealed = $1, phone_bidx = $2, version = version + 1, updated_at = $3, \
         updated_by = $4 WHERE id = $5 AND version = $6",
    )
    .bind(sealed)
    .bind(phone_index(ctx, &data.phone))
    .bind(now)
    .bind(actor.audit_id())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut *tx.tx)
    .await?;
    write_tokens(&mut tx, id, &name_tokens(ctx, &data)).await?;
    tx.log(ctx, actor, "person.update", "person", &[id.to_string()])
        .await?;
    tx.commit().await?;
    Ok(Person {
        id,
        owner_org,
        version: version + 1,
        created_at,
        updated_at: now,
        data,
    })
}

/// Whether the actor may erase this person: the permission, and a person its organisation
/// registered (else not found). Reads no personal data, so writes no audit event; lets a
/// page ask for confirmation only of someone it may erase.
pub async fn erasable(ctx: &Ctx, actor: &Actor, id: PersonId) -> Result<()> {
    actor.require(Permission::PersonErase)?;
    let org = actor.require_org()?;
    let mut conn = ctx.db.pool.acquire().await?;
    registered_by(&mut conn, id, org).await
}

/// The person exists and `org` registered them; else not found.
async fn registered_by(conn: &mut sqlx::AnyConnection, id: PersonId, org: OrgId) -> Result<()> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM persons WHERE id = $1 AND owner_org = $2")
            .bind(id.to_string())
            .bind(org.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|_| ()).ok_or(Error::NotFound)
}

/// Destroys a person's data key: everything sealed with it becomes unreadable for good,
/// and their blind indexes go too. The row stays so that references do not dangle.
pub async fn erase(ctx: &Ctx, actor: &Actor, id: PersonId) -> Result<()> {
    actor.require(Permission::PersonErase)?;
    let org = actor.require_org()?;
    let mut tx = AuditTx::begin(ctx).await?;
    registered_by(&mut tx.tx, id, org).await?;
    let ids = [id.to_string()];
    destroy(&mut tx, ctx, actor, &ids).await?;
    tx.log(ctx, actor, "person.erase", "person", &ids).await?;
    tx.commit().await?;
    // Again after the commit: a read that fetched the row just before may have cached it.
    ctx.keys.forget_data_key(&id.to_string());
    Ok(())
}

/// Destroys these persons' data keys, sealed records and blind indexes inside `tx`, and
/// forgets their unwrapped keys; the caller checked who may, and logs the event. Shared by
/// an erasure by hand and the retention sweep.
pub(crate) async fn destroy(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    ids: &[String],
) -> Result<()> {
    let list = crate::db::placeholders(3, ids.len());
    let sql = format!(
        "UPDATE persons SET data_key = NULL, sealed = NULL, phone_bidx = NULL, updated_at = $1, \
         updated_by = $2, version = version + 1 WHERE id IN ({list})"
    );
    let mut q = sqlx::query(&sql)
        .bind(ctx.clock.now_ts())
        .bind(actor.audit_id());
    for id in ids {
        q = q.bind(id.clone());
    }
    q.execute(&mut *tx.tx).await?;
    // The destroyed keys must not outlive their rows in memory either.
    for id in ids {
        ctx.keys.forget_data_key(id);
    }
    let sql = format!(
        "DELETE FROM person_name_tokens WHERE person_id IN ({})",
        crate::db::placeholders(1, ids.len())
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id.clone());
    }
    q.execute(&mut *tx.tx).await?;
    Ok(())
}

/// One line of a result list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: PersonId,
    pub name: Option<String>,
    pub alias: Option<String>,
    pub birth_date: Option<String>,
    pub birth_year: Option<i32>,
    pub residence_status: ResidenceStatus,
    pub updated_at: i64,
}

fn summaries(ctx: &Ctx, rows: Vec<PersonRow>) -> Result<Vec<PersonSummary>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        match from_row(ctx, r) {
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
        .bind(org.to_string())
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
        all.sort_by(|a, b| b.0.cmp(&a.0));
        all.dedup_by(|a, b| a.0 == b.0);
        all.truncate(usize::try_from(limit).unwrap_or(50));
        all
    };
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
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
        .bind(org.to_string())
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
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(limit.clamp(1, 200))
    .fetch_all(&mut *tx.tx)
    .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    tx.log(ctx, actor, "person.list", "person", &ids).await?;
    tx.commit().await?;
    summaries(ctx, rows)
}

/// The data key of a person whose organisation-level visibility the caller has already
/// checked; for sealing case texts with the person's own key, so that erasing the person
/// erases those texts too. Fails with [`Error::Erased`] when the key was destroyed.
pub async fn data_key(ctx: &Ctx, conn: &mut sqlx::AnyConnection, person: PersonId) -> Result<Key> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT data_key FROM persons WHERE id = $1")
            .bind(person.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        None => Err(Error::NotFound),
        Some((None,)) => Err(Error::Erased),
        Some((Some(w),)) => ctx.keys.unwrap_data_key(&w, &person.to_string()),
    }
}

/// Whether the organisation may see the whole person record now (not through a referral).
pub async fn visible_to(
    ctx: &Ctx,
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    person: PersonId,
) -> Result<bool> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT p.id FROM persons p WHERE {VISIBLE} AND p.id = $3"
    ))
    .bind(org.to_string())
    .bind(ctx.clock.now_ts())
    .bind(person.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// Rewraps every person's data key with the active KEK (key rotation). The sealed data
/// itself does not change.
pub async fn rewrap_data_keys(ctx: &Ctx, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<u64> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, data_key FROM persons WHERE data_key IS NOT NULL")
            .fetch_all(&mut **tx)
            .await?;
    let mut n = 0;
    for (id, wrapped) in rows {
        let dek = ctx.keys.unwrap_data_key(&wrapped, &id)?;
        sqlx::query("UPDATE persons SET data_key = $1 WHERE id = $2")
            .bind(ctx.keys.wrap_data_key(&dek, &id))
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Date {
        time::macros::date!(2026 - 11 - 24)
    }

    #[test]
    fn every_field_is_optional() {
        let d = PersonInput::default().parse(today()).unwrap();
        assert_eq!(d.residence_status, ResidenceStatus::Unknown);
        assert_eq!(d.gender, Gender::Unknown);
        assert!(d.name.is_none() && d.phone.is_none());
    }

    #[test]
    fn all_problems_are_reported_at_once_with_their_fields() {
        let input = PersonInput {
            birth_date: Some("1994-02-30".into()),
            phone: Some("call me".into()),
            residence_status: Some("illegal".into()),
            ..Default::default()
        };
        let Err(Error::Invalid(fields)) = input.parse(today()) else {
            panic!("expected invalid");
        };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["birth_date", "phone", "residence_status"]);
    }

    #[test]
    fn dates_and_years_are_checked() {
        let p = |d: &str, y: &str| {
            PersonInput {
                birth_date: Some(d.into()),
                birth_year: Some(y.into()),
                ..Default::default()
            }
            .parse(today())
        };
        assert!(p("2024-02-29", "").is_ok(), "a leap day");
        assert!(p("2023-02-29", "").is_err());
        assert!(p("2026-11-25", "").is_err(), "not in the future");
        assert!(p("", "1899").is_err());
        assert!(p("", "1990").is_ok());
        assert!(p("1990-01-01", "1990").is_err(), "not both");
    }

    proptest! {
        #[test]
        fn parsing_any_input_never_panics(
            name in ".{0,300}", alias in ".*", date in ".{0,12}", year in ".{0,6}",
            gender in ".{0,12}", list in ".{0,200}", phone in ".{0,30}", status in ".{0,30}",
            notes in ".{0,100}",
        ) {
            let input = PersonInput {
                name: Some(name), alias: Some(alias), birth_date: Some(date), birth_year: Some(year),
                gender: Some(gender), nationalities: vec![list.clone()], languages: vec![list],
                phone: Some(phone), residence_status: Some(status), notes: Some(notes), version: None,
            };
            match input.parse(today()) {
                Ok(_) | Err(Error::Invalid(_)) => {}
                Err(e) => prop_assert!(false, "unexpected error {e:?}"),
            }
        }

        #[test]
        fn name_keys_never_panic_and_a_name_finds_itself(name in "\\PC{1,60}") {
            let keys = names::index_keys(&name);
            if let Some((each, joined)) = names::query_keys(&name) {
                prop_assert!(each.iter().all(|k| keys.contains(k)) || keys.contains(&joined));
            }
        }
    }
}
