//! Referral pages: recording a consent and referring ([`consent`]), the lists of sent and
//! received referrals and one referral with its steps on either side, with the receiving
//! side's decisions ([`show`]), and notifications and the network view ([`notify`]).

mod consent;
mod notify;
mod show;

pub use consent::{
    consent_create, consent_new, consent_withdraw, refer_create, refer_new, SourceQuery,
};
pub use notify::{
    network, notifications, notifications_read, NetworkPage, NoteView, NotificationsPage,
};
pub use show::{
    accept, decline, decline_form, received_index, received_show, result, result_form, sent_index,
    sent_show, withdraw, IndexPage, ShowPage, StepView,
};

use haven_core::referrals::{
    Consent, NotificationKind, ReferralLine, ReferralResult, ReferralStatus, SourceType,
};
use haven_core::users::Session;
use haven_core::Permission;

use crate::i18n::Tr;
use crate::views::fmt_ts;

/// A referral type's name: its translation, else its code.
pub fn type_label(t: &Tr, code: &str) -> String {
    let id = format!("referral-type-{code}");
    let s = t.t(&id);
    if s == id {
        code.to_owned()
    } else {
        s
    }
}

fn source_label(t: &Tr, s: SourceType) -> String {
    t.t(&format!("referral-source-{}", s.as_str()))
}

pub(crate) fn status_label(t: &Tr, s: ReferralStatus) -> String {
    t.t(&format!("referral-status-{}", s.as_str()))
}

pub(crate) fn result_label(t: &Tr, r: ReferralResult) -> String {
    t.t(&format!("referral-result-{}", r.as_str()))
}

/// The message id naming a notification's kind (the notifications page and the e-mail
/// about it say the same words).
pub fn notification_message(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Received => "notification-received",
        NotificationKind::Accepted => "notification-accepted",
        NotificationKind::Declined => "notification-declined",
        NotificationKind::Completed => "notification-completed",
        NotificationKind::Withdrawn => "notification-withdrawn",
        NotificationKind::RoleGranted => "notification-role-granted",
        NotificationKind::SignInSlowed => "notification-sign-in-slowed",
    }
}

/// A referral in a list (also on the person page).
pub struct LineView {
    pub href: String,
    pub person: String,
    pub org: String,
    pub service: String,
    pub kind: String,
    pub status: String,
    pub when: String,
}

pub fn line_view(t: &Tr, l: ReferralLine, sent: bool) -> LineView {
    let status = match l.result {
        Some(r) => format!("{} · {}", status_label(t, l.status), result_label(t, r)),
        None => status_label(t, l.status),
    };
    LineView {
        href: if sent {
            format!("/staff/referrals/{}", l.id)
        } else {
            format!("/staff/referrals/received/{}", l.id)
        },
        person: l.person_label.unwrap_or_else(|| t.t("person-unnamed")),
        org: if sent { l.to_org_name } else { l.from_org_name },
        service: l.service_name,
        kind: type_label(t, &l.type_code),
        status,
        when: fmt_ts(l.updated_at),
    }
}

/// A consent on the person page.
pub struct ConsentView {
    pub id: String,
    pub text: String,
    pub valid: bool,
    pub withdrawn: bool,
}

pub fn consent_view(t: &Tr, c: Consent) -> ConsentView {
    let state = if c.withdrawn_at.is_some() {
        t.t("consent-withdrawn")
    } else if c.valid {
        t.t1("consent-valid-until", "when", fmt_ts(c.expires_at))
    } else {
        t.t("consent-expired")
    };
    ConsentView {
        id: c.id.to_string(),
        text: format!(
            "{} · {} · {}",
            c.to_org_name,
            type_label(t, &c.purpose),
            state
        ),
        valid: c.valid,
        withdrawn: c.withdrawn_at.is_some(),
    }
}

/// Whether to offer "Refer" for a person (used by the person and case pages).
pub fn can_refer(s: &Session) -> bool {
    s.actor.can(Permission::ReferralSend)
}
