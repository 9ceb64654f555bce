//! Aggregate figures. Counts below the threshold arrive withheld from the core and are
//! shown as words ("fewer than 5"), never as a number.

use askama::Template;
use haven_core::stats::{self, Count, Disclosure};

use crate::error::ErrExt;
use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, Cell, Chrome, Report};

pub fn count_text(t: &Tr, c: Count) -> String {
    match c {
        Count::Exact(n) => n.to_string(),
        Count::FewerThan(n) => t.t1("stats-fewer-than", "count", n),
        Count::Withheld => t.t("stats-withheld"),
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub persons: String,
    pub organisations: i64,
    pub staff: String,
    pub by_org: Report,
    pub by_month: Report,
}

pub async fn overview(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let o = stats::overview(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let by_org = Report::new(
        "h-by-org",
        t.t("stats-by-org"),
        t.t("orgs-none"),
        vec![
            "field-org_id",
            "field-kind",
            "stats-col-persons",
            "stats-col-staff",
        ],
    )
    .rows(o.by_organisation.into_iter().map(|r| {
        vec![
            Cell::name(r.organisation),
            Cell::figure(super::orgs::kind_label(&t, &r.kind)),
            Cell::figure(count_text(&t, r.persons)),
            Cell::figure(count_text(&t, r.staff)),
        ]
    }));
    let by_month = Report::new(
        "h-by-month",
        t.t("stats-by-month"),
        t.t("stats-no-months"),
        vec!["stats-month", "stats-registrations"],
    )
    .rows(
        o.registrations_by_month
            .into_iter()
            .map(|(m, c)| vec![Cell::figure(m), Cell::figure(count_text(&t, c))]),
    );
    let page = StatsPage {
        persons: count_text(&t, o.persons),
        organisations: o.organisations,
        staff: count_text(&t, o.staff),
        by_org,
        by_month,
        chrome,
        t,
    };
    Ok(render(&page))
}

/// One definition as the page shows it, in the reader's language.
pub struct IndicatorView {
    pub anchor: String,
    pub title: String,
    pub version: u32,
    pub numerator: String,
    pub denominator: Option<String>,
    pub breakdown: String,
    pub shown_on: String,
    pub computation: String,
}

#[derive(Template)]
#[template(path = "stats_indicators.html")]
pub struct IndicatorsPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub threshold: String,
    pub indicators: Vec<IndicatorView>,
}

/// "How each figure is computed": every definition, every version.
pub async fn indicators(StaffPage { t, chrome, .. }: StaffPage) -> PageResult {
    let list = stats::indicators().map_err(t.page())?;
    let lang = t.lang();
    let indicators = list
        .iter()
        .map(|i| IndicatorView {
            anchor: format!("{}-v{}", i.id, i.version),
            title: i.title.get(lang).to_owned(),
            version: i.version,
            numerator: i.numerator.get(lang).to_owned(),
            denominator: i.denominator.as_ref().map(|d| d.get(lang).to_owned()),
            breakdown: i
                .disaggregations
                .iter()
                .map(|d| t.t(&format!("stats-dim-{d}")))
                .collect::<Vec<_>>()
                .join(", "),
            shown_on: i.shown_on.clone(),
            computation: i.computation.get(lang).to_owned(),
        })
        .collect();
    let page = IndicatorsPage {
        threshold: t.t1("stats-how-threshold", "k", Disclosure::configured().k()),
        indicators,
        chrome,
        t,
    };
    Ok(render(&page))
}
