//! Notes in a case file, sealed with the person's data key. A note records a contact.

use super::input::NoteInput;
use super::model::Note;
use super::store::{case_org, finish_change, load_open, seal, FileReader, NoteRow};
use crate::audit::AuditTx;
use crate::crypto::Key;
use crate::ids::{CaseId, NoteId};
use crate::{people, Actor, Ctx, Permission, Result};

/// Writes a note by the actor, sealed with `key`, the data key of the case's person.
pub(super) async fn insert(
    tx: &mut AuditTx<'_>,
    ctx: &Ctx,
    actor: &Actor,
    key: &Key,
    case: CaseId,
    text: &str,
) -> Result<NoteId> {
    let nid = NoteId::new();
    sqlx::query(
        "INSERT INTO case_notes (id, case_id, at, written_by, sealed) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(nid)
    .bind(case)
    .bind(ctx.clock.now_ts())
    .bind(actor.audit_id())
    .bind(seal(key, &text, &format!("note:{nid}"))?)
    .execute(&mut *tx.tx)
    .await?;
    Ok(nid)
}

/// Adds a note (sealed). A note records a contact.
pub async fn add_note(ctx: &Ctx, actor: &Actor, id: CaseId, input: &NoteInput) -> Result<NoteId> {
    actor.require(Permission::CaseWrite)?;
    let org = case_org(ctx, actor, id).await?;
    let text = input.parse()?;
    let mut tx = AuditTx::begin(ctx).await?;
    let c = load_open(&mut tx, ctx, org, id).await?;
    let key = people::data_key(ctx, &mut tx.tx, c.person_id).await?;
    let nid = insert(&mut tx, ctx, actor, &key, id, &text).await?;
    finish_change(tx, ctx, actor, id, "case.note.add", &nid, true).await?;
    Ok(nid)
}

const NOTES: &str =
    "SELECT n.id, n.at, COALESCE(u.display_name, n.written_by) AS written_by, n.sealed \
     FROM case_notes n LEFT JOIN users u ON u.id = n.written_by \
     WHERE n.case_id = $1 ORDER BY n.at DESC, n.id DESC";

/// The notes of a case, newest first, each also a line of the case's history.
pub(super) async fn read(f: &mut FileReader<'_>) -> Result<Vec<Note>> {
    let rows: Vec<NoteRow> = f.rows(NOTES).await?;
    let mut notes = Vec::with_capacity(rows.len());
    for r in rows {
        let text: String = f.open(&r.sealed, &format!("note:{}", r.id))?;
        f.record(r.at, "note", Some(r.written_by.clone()));
        notes.push(Note {
            id: r.id,
            at: r.at,
            written_by: r.written_by,
            text,
        });
    }
    Ok(notes)
}
