//! Erasures, withdrawals and purges applied again as a restore's rows go in: what
//! `people::destroy`, the retention sweep's contact erasure, `content::withdraw` and
//! `hub::purge_due` leave of a record is what the restore writes, so that a data key,
//! sealed record or withdrawn text of anything on the erasure list never reaches the
//! target's files. Keep the rules in step with those four. Consents withdrawn after the
//! backup are withdrawn again once the rows are in ([`withdraw_consents_again`]), and so are
//! referrals their senders withdrew ([`withdraw_referrals_again`]): they hold
//! no secret, and their effect reaches other tables.

use sqlx::AnyConnection;

use super::erased::Erased;
use super::format::Cell;
use super::schema::Column;
use crate::ids::{OrgId, PersonId};

/// The lists of the erasure list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    Persons,
    Contacts,
    Stories,
    Reports,
}

/// What a rule writes into a column.
#[derive(Clone, Copy)]
enum Fill {
    Null,
    /// An empty text (columns that may not be NULL).
    Empty,
    /// The text `draft`.
    Draft,
    /// The time the list gives, unless the row holds one already.
    Time,
}

/// A table's rule: the list, the column holding the record's id, and the columns to fill;
/// no columns: the row is left out.
type Rule = (Which, &'static str, &'static [(&'static str, Fill)]);

const SEALED: &[(&str, Fill)] = &[("sealed", Fill::Null)];

fn rule(table: &str) -> Option<Rule> {
    use Fill::*;
    use Which::*;
    Some(match table {
        "persons" => (
            Persons,
            "id",
            &[("data_key", Null), ("sealed", Null), ("phone_bidx", Null)],
        ),
        "person_name_tokens" => (Persons, "person_id", &[]),
        "outreach_contacts" => (Contacts, "id", &[("data_key", Null), ("sealed", Null)]),
        "outreach_alias_tokens" => (Contacts, "contact_id", &[]),
        "content_items" => (Stories, "id", &[("speaker", Null), ("withdrawn_at", Time)]),
        "content_translations" => (
            Stories,
            "item_id",
            &[
                ("title", Empty),
                ("summary", Empty),
                ("body", Empty),
                ("pub_title", Null),
                ("pub_summary", Null),
                ("pub_body", Null),
                ("pub_version", Null),
                ("status", Draft),
            ],
        ),
        "hub_reports" => (
            Reports,
            "id",
            &[
                ("data_key", Null),
                ("sealed", Null),
                ("receipt_bidx", Null),
                ("purged_at", Time),
            ],
        ),
        "hub_report_messages" | "hub_perpetrator_index" => (Reports, "report_id", &[]),
        "hub_triage" | "hub_actions" | "hub_handovers" | "hub_perpetrators" => {
            (Reports, "report_id", SEALED)
        }
        _ => return None,
    })
}

pub(crate) struct Scrub<'a> {
    erased: &'a Erased,
    /// The records (by the rule on their own table, keyed by `id`) the restore changed:
    /// those the backup still held as they were before being taken back.
    found: Vec<(Which, String)>,
}

impl<'a> Scrub<'a> {
    pub(crate) fn new(erased: &'a Erased) -> Self {
        Self {
            erased,
            found: Vec::new(),
        }
    }

    /// The ids of one list the restore took back again.
    pub(crate) fn found(&self, which: Which) -> Vec<String> {
        self.found
            .iter()
            .filter(|(w, _)| *w == which)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// The time the list gives for `id`, if it is on `which`.
    fn listed(&self, which: Which, id: &str) -> Option<i64> {
        match which {
            Which::Persons => self.erased.persons.contains(id).then_some(0),
            Which::Contacts => self.erased.contacts.contains(id).then_some(0),
            Which::Stories => self.erased.stories.get(id).copied(),
            Which::Reports => self.erased.reports.get(id).copied(),
        }
    }

    /// The row as the restore writes it; `None`: left out.
    pub(crate) fn row(
        &mut self,
        table: &str,
        columns: &[Column],
        mut row: Vec<Cell>,
    ) -> Option<Vec<Cell>> {
        let Some((which, key, fills)) = rule(table) else {
            return Some(row);
        };
        let at = |name: &str| columns.iter().position(|c| c.name == name);
        let id = at(key).and_then(|i| row[i].text()).unwrap_or_default();
        let Some(time) = self.listed(which, id) else {
            return Some(row);
        };
        if fills.is_empty() {
            return None; // an index row or message of a record taken back: left out
        }
        let (id, before) = (id.to_owned(), row.clone());
        for (name, fill) in fills {
            let Some(i) = at(name) else { continue };
            row[i] = match (fill, &row[i]) {
                (Fill::Null, _) => Cell::null(columns[i].ty),
                (Fill::Empty, _) => Cell::Text(Some(String::new())),
                (Fill::Draft, _) => Cell::Text(Some("draft".into())),
                (Fill::Time, Cell::Int(Some(t))) => Cell::Int(Some(*t)),
                (Fill::Time, _) => Cell::Int(Some(time)),
            };
        }
        if key == "id" && row != before {
            self.found.push((which, id));
        }
        Some(row)
    }
}

/// Whose access a consent or referral gave, and to which organisation.
#[derive(sqlx::FromRow)]
struct ConsentRow {
    person_id: PersonId,
    to_org: OrgId,
}

/// Withdraws again, on the restore's connection before it commits, the consents the list
/// names that the backup still held as given: as `referrals::withdraw_consent` does, the
/// open referrals made under them are withdrawn and the receiving organisation's access
/// ends. (The referral's history step and the receiver's notification of the withdrawal
/// are not written again.) Returns the consents withdrawn again.
pub(crate) async fn withdraw_consents_again(
    conn: &mut AnyConnection,
    erased: &Erased,
    now: i64,
) -> crate::Result<Vec<String>> {
    let mut again = Vec::new();
    let mut ids: Vec<(&String, &i64)> = erased.consents.iter().collect();
    ids.sort();
    for (id, at) in ids {
        let changed = sqlx::query(
            "UPDATE referral_consents SET withdrawn_at = $1 WHERE id = $2 AND withdrawn_at IS NULL",
        )
        .bind(*at)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 0 {
            continue; // withdrawn in the backup already, or not in it
        }
        sqlx::query(
            "UPDATE referrals SET status = 'withdrawn', closed_at = $1, updated_at = $1 \
             WHERE consent_id = $2 AND status IN ('sent', 'accepted')",
        )
        .bind(*at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        let c: ConsentRow =
            sqlx::query_as("SELECT person_id, to_org FROM referral_consents WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        crate::referrals::sync_access(conn, c.person_id, c.to_org, now).await?;
        again.push(id.clone());
    }
    Ok(again)
}

/// Withdraws again the referrals the list names that the backup still held open, as
/// `referrals::withdraw` does: the status, and the receiving organisation's access. (The
/// history step and the receiver's notification are not written again.)
pub(crate) async fn withdraw_referrals_again(
    conn: &mut AnyConnection,
    erased: &Erased,
    now: i64,
) -> crate::Result<Vec<String>> {
    let mut again = Vec::new();
    let mut ids: Vec<(&String, &i64)> = erased.referrals.iter().collect();
    ids.sort();
    for (id, at) in ids {
        let changed = sqlx::query(
            "UPDATE referrals SET status = 'withdrawn', closed_at = $1, updated_at = $1 \
             WHERE id = $2 AND status IN ('sent', 'accepted')",
        )
        .bind(*at)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 0 {
            continue;
        }
        let c: ConsentRow = sqlx::query_as("SELECT person_id, to_org FROM referrals WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        crate::referrals::sync_access(conn, c.person_id, c.to_org, now).await?;
        again.push(id.clone());
    }
    Ok(again)
}
