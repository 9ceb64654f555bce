//! Aggregate figures. Counts below the threshold arrive withheld from the core and are
//! shown as words ("fewer than 5"), never as a number.

use askama::Template;
use haven_core::stats::{self, Count};

use crate::error::ErrExt;
use crate::extract::StaffPage;
use crate::i18n::Tr;
use crate::pages::PageResult;
use crate::views::{render, Chrome};

pub fn count_text(t: &Tr, c: Count) -> String {
    match c {
        Count::Exact(n) => n.to_string(),
        Count::FewerThan(n) => t.t1("stats-fewer-than", "count", n),
    }
}

pub struct OrgRow {
    pub name: String,
    pub kind: String,
    pub persons: String,
    pub staff: String,
}

#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub persons: String,
    pub organisations: i64,
    pub staff: i64,
    pub by_org: Vec<OrgRow>,
    pub by_month: Vec<(String, String)>,
}

pub async fn overview(StaffPage { app, s, t, chrome }: StaffPage) -> PageResult {
    let o = stats::overview(&app.ctx, &s.actor)
        .await
        .map_err(t.page())?;
    let page = StatsPage {
        persons: count_text(&t, o.persons),
        organisations: o.organisations,
        staff: o.staff,
        by_org: o
            .by_organisation
            .into_iter()
            .map(|r| OrgRow {
                kind: super::orgs::kind_label(&t, &r.kind),
                persons: count_text(&t, r.persons),
                staff: count_text(&t, r.staff),
                name: r.organisation,
            })
            .collect(),
        by_month: o
            .registrations_by_month
            .into_iter()
            .map(|(m, c)| (m, count_text(&t, c)))
            .collect(),
        chrome,
        t,
    };
    Ok(render(&page))
}
