//! Casework pages: the caseload and the team lead's overview ([`caseload`]), the case page
//! ([`file`]), opening and assigning a case ([`intake`]), the person's perspective, legal
//! procedures and goals ([`plan`]), and appointments, notes, employment and closing the
//! case ([`record`]).
//!
//! Every form about a case is the shared form template (`forms::FormView`) with the case
//! named above it; a refused form comes back with what was typed.

mod caseload;
mod file;
mod intake;
mod plan;
mod record;

pub use caseload::{caseload, team, CaseloadPage, LineView, LoadRow, TeamPage};
pub use file::{
    show, CasePage, GoalView, ItemView, NoteView, PerspectiveView, PlacementView, ProcedureView,
};
pub use intake::{assign, assign_form, create, new};
pub use plan::{
    goal_create, goal_edit, goal_new, goal_update, perspective, perspective_form, procedure_create,
    procedure_edit, procedure_new, procedure_update,
};
pub use record::{
    appointment_create, appointment_done, appointment_new, close, close_form, episode_create,
    episode_new, note_create, note_new,
};

use haven_core::cases::{self, Attention, CaseFile, StaffRef};
use haven_core::ids::CaseId;

use super::forms::{Field, FormView};
use crate::error::{ErrExt, PageErr};
use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::views::Chrome;
use crate::AppState;

fn case_url(id: CaseId) -> String {
    format!("/staff/cases/{id}")
}

/// "3 days" or "5 hours".
pub fn duration_text(t: &Tr, seconds: i64) -> String {
    let seconds = seconds.max(0);
    if seconds < 86_400 {
        t.t1("duration-hours", "count", seconds / 3600)
    } else {
        t.t1("duration-days", "count", seconds / 86_400)
    }
}

/// "in 3 days", "2 days ago", "today".
pub fn relative_days(t: &Tr, days: i64) -> String {
    match days {
        0 => t.t("days-today"),
        d if d > 0 => t.t1("days-ahead", "count", d),
        d => t.t1("days-ago", "count", -d),
    }
}

fn attention_text(t: &Tr, a: &Attention) -> String {
    let id = format!("attention-{}", a.kind.as_str());
    format!("{}: {} ({})", t.t(&id), a.date, relative_days(t, a.days))
}

fn label_or_unnamed(t: &Tr, l: &Option<String>) -> String {
    l.clone().unwrap_or_else(|| t.t("person-unnamed"))
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// Today's date by the clock, `YYYY-MM-DD`: a form's default.
fn today(app: &AppState) -> String {
    time::OffsetDateTime::from_unix_timestamp(app.ctx.clock.now_ts())
        .map(|d| d.date().to_string())
        .unwrap_or_default()
}

fn staff_choices(list: &[StaffRef]) -> Vec<(String, String)> {
    list.iter()
        .map(|m| (m.id.to_string(), m.name.clone()))
        .collect()
}

/// The case a form belongs to: read (audited) for the heading and current values.
async fn load_case(p: &StaffPage, id: CaseId) -> Result<CaseFile, PageErr> {
    cases::get(&p.app.ctx, &p.s.actor, id)
        .await
        .map_err(p.t.page())
}

/// The person and programme above a form about their case.
fn case_context(t: &Tr, f: &CaseFile) -> Vec<(String, String)> {
    vec![
        (
            t.t("case-person"),
            label_or_unnamed(t, &f.case.person_label),
        ),
        (t.t("field-programme_id"), f.case.programme_name.clone()),
    ]
}

/// A form about case `cid` titled by message `title`, posting to `{case}/{what}`;
/// "cancel" goes back to the case.
fn case_form(
    t: &Tr,
    chrome: Chrome,
    cid: CaseId,
    title: &str,
    what: &str,
    fields: Vec<Field>,
) -> FormView {
    let back = case_url(cid);
    FormView::new(
        t,
        chrome,
        t.t(title),
        format!("{back}/{what}"),
        fields,
        back,
    )
}

#[cfg(test)]
mod tests {
    use super::relative_days;
    use std::sync::Arc;

    #[test]
    fn relative_days_agree_with_their_number() {
        let i18n = Arc::new(crate::i18n::I18n::load().unwrap());
        let plain = |lang: &str, d: i64| {
            relative_days(&i18n.tr(lang), d).replace(['\u{2068}', '\u{2069}'], "")
        };
        assert_eq!(plain("en", -1), "yesterday");
        assert_eq!(plain("en", -3), "3 days ago");
        assert_eq!(plain("en", 1), "tomorrow");
        assert_eq!(plain("en", 0), "today");
        assert_eq!(plain("nl", -1), "gisteren");
        assert_eq!(plain("ar", -2), "قبل يومين");
        assert_eq!(plain("ar", -3), "قبل 3 أيام");
        assert_eq!(plain("ar", -11), "قبل 11 يوماً");
    }
}
