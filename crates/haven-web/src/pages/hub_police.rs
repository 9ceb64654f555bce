//! The police liaison's pages: the hand-overs to its own unit, each exactly as handed
//! over, and nothing else of the report. The core checks role and kind and audits views.

use askama::Template;
use haven_core::hub::{self, HandoverField};
use haven_core::ids::HandoverId;

use super::hub_work::{day, field_list};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, Chrome};

#[derive(Template)]
#[template(path = "police_handovers.html")]
pub struct PoliceListPage {
    pub t: Tr,
    pub chrome: Chrome,
    /// id, day, hub, fields
    pub items: Vec<(String, String, String, String)>,
}

pub async fn police_list(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let items = hub::police_list(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?
        .into_iter()
        .map(|h| {
            (
                h.id.to_string(),
                day(h.created_at),
                h.hub_name,
                field_list(&t, &h.fields),
            )
        })
        .collect();
    Ok(render(&PoliceListPage { items, chrome, t }))
}

#[derive(Template)]
#[template(path = "police_handover.html")]
pub struct PoliceShowPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub facts: Vec<(String, String)>,
    pub fields: Vec<(String, String)>,
}

pub async fn police_show(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<HandoverId>,
) -> PageResult {
    let h = hub::police_get(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let cats = hub::all_categories(&app.ctx).await.map_err(t.page())?;
    let facts = vec![
        (t.t("hub-handover-from"), h.hub_name.clone()),
        (t.t("hub-handover-on"), day(h.created_at)),
        (
            t.t("hub-handover-consent"),
            format!(
                "{} · {}",
                t.t(&format!("hub-how-{}", h.consent_how.as_str())),
                day(h.consent_at)
            ),
        ),
    ];
    let fields = h
        .fields
        .iter()
        .map(|f| {
            let value = match f.field {
                HandoverField::Category => crate::site::report::category_label(&t, &cats, &f.value),
                HandoverField::ResidenceStatus => t.t(&format!("status-{}", f.value)),
                HandoverField::ReporterRole => t.t(&format!("hub-role-{}", f.value)),
                _ => f.value.clone(),
            };
            (t.t(&format!("hub-field-{}", f.field.as_str())), value)
        })
        .collect();
    Ok(render(&PoliceShowPage {
        facts,
        fields,
        chrome,
        t,
    }))
}
