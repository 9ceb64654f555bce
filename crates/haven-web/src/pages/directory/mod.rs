//! The services directory's editing and review pages: partner staff keep their own
//! organisation's entries ([`edit`]), a municipal editor reviews each draft next to the
//! published text and approves or rejects it ([`review`]).

mod edit;
mod review;

pub use edit::{
    checked, create, edit, index, new, update, ExistingInfo, FormPage, FormValues, IndexPage,
    ListRow,
};
pub use review::{approve, queue, reject, show_review, ChangeRow, QueuePage, QueueRow, ReviewPage};

use haven_core::directory::review::Status;
use haven_core::directory::Kind;

use crate::i18n::Tr;
use crate::views::fmt_ts;

const INDEX: &str = "/staff/directory";
const QUEUE: &str = "/staff/directory/review";

fn status_label(t: &Tr, s: Status) -> String {
    t.t(match s {
        Status::Published => "dir-status-published",
        Status::Pending => "dir-status-pending",
        Status::Rejected => "dir-status-rejected",
    })
}

fn kind_label(t: &Tr, k: Kind) -> String {
    t.t(&format!("dir-kind-{}", k.as_str()))
}

/// A time as its date, `YYYY-MM-DD`.
fn date(ts: Option<i64>) -> String {
    ts.map(|t| fmt_ts(t).chars().take(10).collect())
        .unwrap_or_default()
}
