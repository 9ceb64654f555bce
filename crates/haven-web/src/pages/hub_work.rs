//! The hub's work on a report (the casework page and its forms) and the hub's figures;
//! the police liaison's pages are in `hub_police`.

use askama::Template;
use axum::http::StatusCode;
use axum::Form;
use haven_core::hub::{
    self, ActionInput, ActionKind, Casework, ConsentHow, ConsentInput, HandoverField,
    HandoverInput, Measure, MeasureState, MeasureUpdate, Need, PerpetratorInput, TriageInput,
    Urgency, HANDOVER_FIELDS,
};
use haven_core::ids::{HubActionId, ReportId};
use haven_core::stats::Count;
use haven_core::Error;

use super::forms::{answer, coded, Field, FormView, Typed};
use crate::error::ErrExt;
use crate::extract::{Id, StaffPage};
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, Chrome};

pub(crate) fn day(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

fn codes<T: Copy>(all: &[T], s: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| s(*x)).collect()
}

fn casework_path(id: ReportId) -> String {
    format!("/staff/hub/reports/{id}/casework")
}

/// One line of the casework's work list.
pub struct ActionLine {
    pub id: String,
    pub kind: String,
    pub day: String,
    pub what: String,
    pub details: Vec<(String, String)>,
    /// A measure: its state, version and the states it may move to.
    pub measure_state: Option<(String, i64)>,
}

pub struct PerpLine {
    pub name: String,
    pub also_in: Vec<String>,
}

#[derive(Template)]
#[template(path = "hub_casework.html")]
pub struct CaseworkPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub id: String,
    pub open: bool,
    pub facts: Vec<(String, String)>,
    pub triage: Vec<(String, String)>,
    pub actions: Vec<ActionLine>,
    pub perps: Vec<PerpLine>,
    pub consents: Vec<(String, String)>,
    pub handovers: Vec<(String, String)>,
    pub states: Vec<(String, String)>,
}

fn page(t: Tr, chrome: Chrome, c: Casework, cats: &[hub::Category]) -> CaseworkPage {
    let facts = vec![
        (
            t.t("hub-category"),
            crate::site::report::category_label(&t, cats, &c.category),
        ),
        (t.t("hub-occurred"), c.occurred.clone()),
        (
            t.t("hub-state"),
            t.t(if c.open { "hub-open" } else { "hub-closed" }),
        ),
    ];
    let triage = match &c.triage {
        None => Vec::new(),
        Some(tr) => vec![
            (
                t.t("field-urgency"),
                t.t(&format!("hub-urgency-{}", tr.urgency.as_str())),
            ),
            (
                t.t("field-needed"),
                tr.needs
                    .iter()
                    .map(|n| t.t(&format!("hub-need-{}", n.as_str())))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (
                t.t("field-follow_up"),
                tr.follow_up.map(day).unwrap_or_default(),
            ),
            (t.t("field-notes"), tr.notes.clone().unwrap_or_default()),
        ],
    };
    let actions = c
        .actions
        .iter()
        .map(|a| {
            let d = &a.data;
            let mut details = Vec::new();
            for (k, v) in [
                ("field-topic", &d.topic),
                ("field-station", &d.station),
                ("field-outcome", &d.outcome),
                ("field-police_reference", &d.police_reference),
                ("field-note", &d.note),
            ] {
                if let Some(v) = v {
                    details.push((t.t(k), v.clone()));
                }
            }
            ActionLine {
                id: a.id.to_string(),
                kind: t.t(&format!("hub-action-{}", a.kind.as_str())),
                day: day(a.day),
                what: a
                    .measure
                    .map(|m| t.t(&format!("hub-measure-{}", m.as_str())))
                    .unwrap_or_default(),
                details,
                measure_state: a.state.map(|s| (s.as_str().to_owned(), a.version)),
            }
        })
        .collect();
    let perps = c
        .perpetrators
        .iter()
        .map(|p| PerpLine {
            name: p.name.clone(),
            also_in: p.also_in.iter().map(|r| r.to_string()).collect(),
        })
        .collect();
    let consents = c
        .consents
        .iter()
        .map(|x| {
            let mut with = Vec::new();
            for (b, k) in [
                (x.with_status, "field-residence_status"),
                (x.with_nationality, "field-nationality"),
                (x.with_address, "field-address"),
            ] {
                if b {
                    with.push(t.t(k));
                }
            }
            let with = if with.is_empty() {
                t.t("hub-consent-nothing-sensitive")
            } else {
                with.join(", ")
            };
            (
                x.police_name.clone(),
                format!(
                    "{} · {} · {}",
                    t.t(&format!("hub-how-{}", x.given_how.as_str())),
                    day(x.given_at),
                    with
                ),
            )
        })
        .collect();
    let handovers = c
        .handovers
        .iter()
        .map(|h| {
            (
                format!("{} · {}", h.police_name, day(h.created_at)),
                field_list(&t, &h.fields),
            )
        })
        .collect();
    let states = coded(
        &t,
        "hub-state",
        codes(MeasureState::ALL, MeasureState::as_str),
    );
    CaseworkPage {
        id: c.report.to_string(),
        open: c.open,
        facts,
        triage,
        actions,
        perps,
        consents,
        handovers,
        states,
        chrome,
        t,
    }
}

pub(crate) fn field_list(t: &Tr, fields: &[HandoverField]) -> String {
    fields
        .iter()
        .map(|f| t.t(&format!("hub-field-{}", f.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn casework(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<ReportId>,
) -> PageResult {
    let c = hub::casework(&app.ctx, &s.actor, id)
        .await
        .map_err(t.page())?;
    let cats = hub::all_categories(&app.ctx).await.map_err(t.page())?;
    Ok(render(&page(t, chrome, c, &cats)))
}

/// The forms of the casework page: which one, by its path's last segment.
#[derive(Clone, Copy)]
enum Which {
    Triage,
    Counselling,
    Measure,
    Accompaniment,
    Perpetrator,
    Consent,
    Handover,
}

impl Which {
    fn segment(self) -> &'static str {
        match self {
            Which::Triage => "triage",
            Which::Counselling => "counselling",
            Which::Measure => "measures",
            Which::Accompaniment => "accompaniments",
            Which::Perpetrator => "perpetrators",
            Which::Consent => "handover-consent",
            Which::Handover => "handover",
        }
    }
}

fn form(
    t: &Tr,
    chrome: Chrome,
    id: ReportId,
    which: Which,
    v: &Typed,
    units: Vec<(String, String)>,
) -> FormView {
    let fields = match which {
        Which::Triage => vec![
            Field::select(
                t,
                "urgency",
                v,
                coded(t, "hub-urgency", codes(Urgency::ALL, Urgency::as_str)),
                true,
            ),
            Field::checks(
                t,
                "needed",
                v,
                coded(t, "hub-need", codes(Need::ALL, Need::as_str)),
            ),
            Field::date(t, "follow_up", v),
            Field::area(t, "notes", v).hint(t.t("hint-hub-sealed")),
            Field::hidden("version", v.value("version")),
        ],
        Which::Counselling => vec![
            Field::date(t, "day", v),
            Field::text(t, "topic", v),
            Field::area(t, "note", v).hint(t.t("hint-hub-sealed")),
        ],
        Which::Measure => vec![
            Field::select(
                t,
                "measure",
                v,
                coded(t, "hub-measure", codes(Measure::ALL, Measure::as_str)),
                true,
            ),
            Field::select(
                t,
                "state",
                v,
                coded(
                    t,
                    "hub-state",
                    codes(MeasureState::ALL, MeasureState::as_str),
                ),
                true,
            ),
            Field::date(t, "day", v),
            Field::area(t, "note", v).hint(t.t("hint-hub-sealed")),
        ],
        Which::Accompaniment => vec![
            Field::date(t, "day", v),
            Field::text(t, "station", v),
            Field::text(t, "outcome", v),
            Field::text(t, "police_reference", v),
            Field::area(t, "note", v).hint(t.t("hint-hub-sealed")),
        ],
        Which::Perpetrator => vec![Field::text(t, "name", v).hint(t.t("hint-hub-perpetrator"))],
        Which::Consent => vec![
            Field::select(t, "police_org", v, units, true),
            Field::select(
                t,
                "given_how",
                v,
                coded(t, "hub-how", codes(ConsentHow::ALL, ConsentHow::as_str)),
                true,
            ),
            Field::date(t, "given_on", v),
            Field::checkbox(t, "with_status", v),
            Field::checkbox(t, "with_nationality", v),
            Field::checkbox(t, "with_address", v),
        ],
        Which::Handover => {
            let choices = HANDOVER_FIELDS
                .iter()
                .map(|(f, _, _)| {
                    (
                        f.as_str().to_owned(),
                        t.t(&format!("hub-field-{}", f.as_str())),
                    )
                })
                .collect();
            let statuses = coded(
                t,
                "status",
                haven_core::people::ResidenceStatus::ALL
                    .iter()
                    .map(|s| s.as_str()),
            );
            vec![
                Field::checks(t, "fields", v, choices).hint(t.t("hint-hub-handover-fields")),
                Field::text(t, "reporter_name", v),
                Field::select(t, "residence_status", v, statuses, true)
                    .hint(t.t("hint-hub-handover-sensitive")),
                Field::text(t, "nationality", v).hint(t.t("hint-hub-handover-sensitive")),
                Field::text(t, "address", v).hint(t.t("hint-hub-handover-sensitive")),
            ]
        }
    };
    let seg = which.segment();
    FormView::new(
        t,
        chrome,
        t.t(&format!("hub-form-{seg}")),
        format!("/staff/hub/reports/{id}/{seg}"),
        fields,
        casework_path(id),
    )
    .intro(t.t(&format!("hub-form-{seg}-intro")))
}

async fn units(
    ctx: &haven_core::Ctx,
    actor: &haven_core::Actor,
    which: Which,
) -> Result<Vec<(String, String)>, Error> {
    if !matches!(which, Which::Consent) {
        return Ok(Vec::new());
    }
    Ok(hub::police_units(ctx, actor)
        .await?
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect())
}

async fn show_form(p: StaffPage, id: ReportId, which: Which) -> PageResult {
    // The report must be the hub's own and open: the casework read checks both.
    let c = hub::casework(&p.app.ctx, &p.s.actor, id)
        .await
        .map_err(p.t.page())?;
    if !c.open {
        return Err(p.t.page()(Error::Conflict("err-report-closed")));
    }
    let mut v = Typed::default();
    if let (Which::Triage, Some(tr)) = (which, &c.triage) {
        v = v
            .with("urgency", tr.urgency.as_str())
            .with("notes", tr.notes.clone().unwrap_or_default())
            .with("follow_up", tr.follow_up.map(day).unwrap_or_default());
        for n in &tr.needs {
            v.push("needed", n.as_str());
        }
    }
    let version = c.triage.as_ref().map_or(0, |tr| tr.version);
    v.set("version", version.to_string());
    let units = units(&p.app.ctx, &p.s.actor, which)
        .await
        .map_err(p.t.page())?;
    Ok(form(&p.t, p.chrome, id, which, &v, units).respond(StatusCode::OK))
}

async fn submit(p: StaffPage, id: ReportId, which: Which, v: Typed) -> PageResult {
    let StaffPage { app, s, t, chrome } = p;
    let (ctx, actor) = (&app.ctx, &s.actor);
    let res = match which {
        Which::Triage => {
            let mut input: TriageInput = v.without("version").input().map_err(t.page())?;
            input.version = Some(v.value("version").trim().parse().unwrap_or(0));
            hub::triage(ctx, actor, id, &input).await
        }
        Which::Counselling | Which::Measure | Which::Accompaniment => {
            let kind = match which {
                Which::Counselling => ActionKind::Counselling,
                Which::Measure => ActionKind::Measure,
                _ => ActionKind::Accompaniment,
            };
            let input: ActionInput = v.input().map_err(t.page())?;
            hub::add_action(ctx, actor, id, kind, &input).await
        }
        Which::Perpetrator => {
            let input: PerpetratorInput = v.input().map_err(t.page())?;
            hub::add_perpetrator(ctx, actor, id, &input).await
        }
        Which::Consent => {
            let input: ConsentInput = v.input().map_err(t.page())?;
            hub::record_consent(ctx, actor, id, &input).await
        }
        Which::Handover => {
            let input: HandoverInput = v.input().map_err(t.page())?;
            hub::hand_over(ctx, actor, id, &input).await
        }
    };
    let res = res.map(|_| casework_path(id));
    let units = match res {
        Err(Error::Invalid(_) | Error::Conflict(_)) => {
            units(ctx, actor, which).await.unwrap_or_default()
        }
        _ => Vec::new(),
    };
    answer(&t, res, || form(&t, chrome, id, which, &v, units))
}

macro_rules! form_pair {
    ($get:ident, $post:ident, $which:expr) => {
        pub async fn $get(p: StaffPage, Id(id): Id<ReportId>) -> PageResult {
            show_form(p, id, $which).await
        }
        pub async fn $post(p: StaffPage, Id(id): Id<ReportId>, Form(v): Form<Typed>) -> PageResult {
            submit(p, id, $which, v).await
        }
    };
}

form_pair!(triage_form, triage_save, Which::Triage);
form_pair!(counselling_form, counselling_save, Which::Counselling);
form_pair!(measure_form, measure_save, Which::Measure);
form_pair!(accompaniment_form, accompaniment_save, Which::Accompaniment);
form_pair!(perpetrator_form, perpetrator_save, Which::Perpetrator);
form_pair!(consent_form, consent_save, Which::Consent);
form_pair!(handover_form, handover_save, Which::Handover);

/// A measure's new state, posted from the casework page.
pub async fn measure_state(
    StaffPage { app, s, t, chrome }: StaffPage,
    Id(id): Id<HubActionId>,
    Form(v): Form<Typed>,
) -> PageResult {
    let input = MeasureUpdate {
        state: v.get("state"),
        day: v.get("day"),
        version: v.value("version").trim().parse().ok(),
    };
    let res = hub::update_measure(&app.ctx, &s.actor, id, &input)
        .await
        .map(|c| casework_path(c.report));
    answer(&t, res, || {
        let fields = vec![
            Field::select(
                &t,
                "state",
                &v,
                coded(
                    &t,
                    "hub-state",
                    codes(MeasureState::ALL, MeasureState::as_str),
                ),
                true,
            ),
            Field::date(&t, "day", &v),
            Field::hidden("version", v.value("version")),
        ];
        FormView::new(
            &t,
            chrome,
            t.t("hub-form-measure-state"),
            format!("/staff/hub/measures/{id}"),
            fields,
            "/staff/".to_owned(),
        )
    })
}

fn figure(t: &Tr, f: Count) -> String {
    match f {
        Count::Exact(n) => n.to_string(),
        Count::FewerThan(n) => t.t1("stats-fewer-than", "count", n),
        Count::Withheld => t.t("hub-withheld"),
    }
}

#[derive(Template)]
#[template(path = "hub_figures.html")]
pub struct FiguresPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub categories: Vec<String>,
    pub months: Vec<(String, Vec<String>, String)>,
    pub totals: Vec<String>,
    pub reports: String,
    pub facts: Vec<(String, String)>,
    pub measures: Vec<(String, String, String)>,
}

pub async fn figures(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let f = hub::figures(&app.ctx, &s.actor).await.map_err(t.page())?;
    // Added and retired categories too, by the names the hub gave them.
    let cats = hub::all_categories(&app.ctx).await.map_err(t.page())?;
    let share = match f.handed_share {
        Some(p) => t.t1("hub-share", "percent", p),
        None => t.t("hub-withheld"),
    };
    let page = FiguresPage {
        categories: f
            .categories
            .iter()
            .map(|c| crate::site::report::category_label(&t, &cats, c))
            .collect(),
        months: f
            .months
            .iter()
            .map(|m| {
                (
                    m.month.clone(),
                    m.counts.iter().map(|c| figure(&t, *c)).collect(),
                    figure(&t, m.total),
                )
            })
            .collect(),
        totals: f.category_totals.iter().map(|c| figure(&t, *c)).collect(),
        reports: figure(&t, f.reports),
        facts: vec![
            (t.t("hub-fig-reports"), figure(&t, f.reports)),
            (t.t("hub-fig-handed"), figure(&t, f.handed_over)),
            (t.t("hub-fig-share"), share),
            (t.t("hub-fig-accompaniments"), figure(&t, f.accompaniments)),
        ],
        measures: f
            .measures
            .iter()
            .map(|m| {
                (
                    t.t(&format!("hub-measure-{}", m.measure.as_str())),
                    figure(&t, m.applied),
                    figure(&t, m.granted),
                )
            })
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}
