//! Checking a form: every problem at once, in the order the form shows its fields.

use super::{is_phone, is_time, is_uuid, too_long, tr_field, EntryInput, DAYS, NAME_MAX, TEXT_MAX};
use crate::directory::hsds;
use crate::directory::model::STATUSES;
use crate::directory::Kind;
use crate::{Error, FieldError, Result};

/// Collects the field errors of one check.
struct Problems(Vec<FieldError>);

impl Problems {
    fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }
}

impl EntryInput {
    /// Checks every field for `kind` and reports every problem at once.
    pub fn validate(&self, kind: Kind) -> Result<()> {
        let mut p = Problems(Vec::new());
        self.check_texts(kind, &mut p);
        self.check_contact(&mut p);
        self.check_hours(&mut p);
        self.check_access(&mut p);
        if kind == Kind::Location {
            self.check_address(&mut p);
        }
        self.check_links(&mut p);
        if p.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(p.0))
        }
    }

    /// The organisation, the language, the name and description and their translations,
    /// and a service's status.
    fn check_texts(&self, kind: Kind, p: &mut Problems) {
        let mut push = |f, c| p.push(f, c);
        if kind != Kind::Organization {
            if self.organization_id.trim().is_empty() {
                push("organization_id", "err-required");
            } else if !is_uuid(self.organization_id.trim()) {
                push("organization_id", "err-choice");
            }
        }
        let src = hsds::parse_lang(&self.source_lang);
        if src.is_none() {
            push("source_lang", "err-choice");
        }
        if self.name.trim().is_empty() {
            push("name", "err-required");
        } else if too_long(&self.name, NAME_MAX) {
            push("name", "err-too-long");
        }
        if kind == Kind::Organization && self.description.trim().is_empty() {
            push("description", "err-required");
        }
        if too_long(&self.description, TEXT_MAX) {
            push("description", "err-too-long");
        }
        for (lang, pair) in &self.translations {
            let Some(code) = hsds::parse_lang(lang) else {
                push("translations", "err-choice");
                continue;
            };
            if Some(&code) == src.as_ref()
                && !(pair.name.trim().is_empty() && pair.description.trim().is_empty())
            {
                push(tr_field(&code, true), "err-directory-translation-source");
            }
            if too_long(&pair.name, NAME_MAX) {
                push(tr_field(&code, true), "err-too-long");
            }
            if too_long(&pair.description, TEXT_MAX) {
                push(tr_field(&code, false), "err-too-long");
            }
        }
        if kind == Kind::Service && !STATUSES.contains(&self.status.trim()) {
            push("status", "err-choice");
        }
    }

    /// Phones, e-mail and web address.
    fn check_contact(&self, p: &mut Problems) {
        let mut push = |f, c| p.push(f, c);
        if self
            .phones
            .iter()
            .any(|p| !p.trim().is_empty() && !is_phone(p.trim()))
        {
            push("phones", "err-phone");
        }
        let email = self.email.trim();
        if !email.is_empty()
            && (email.len() > 254
                || email.contains(char::is_whitespace)
                || !email
                    .split_once('@')
                    .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')))
        {
            push("email", "err-directory-email");
        }
        let url = self.url.trim();
        if !url.is_empty()
            && (url.len() > 500
                || url.contains(char::is_whitespace)
                || !(url.starts_with("https://") || url.starts_with("http://")))
        {
            push("url", "err-directory-url");
        }
    }

    /// Opening hours: a known day and two times, the second after the first.
    fn check_hours(&self, p: &mut Problems) {
        let mut push = |f, c| p.push(f, c);
        let mut bad_time = false;
        let mut bad_order = false;
        for h in &self.hours {
            let (o, c) = (h.opens.trim(), h.closes.trim());
            if o.is_empty() && c.is_empty() {
                continue;
            }
            if !DAYS.contains(&h.day.trim().to_ascii_uppercase().as_str())
                || !is_time(o)
                || !is_time(c)
            {
                bad_time = true;
            } else if c <= o {
                bad_order = true;
            }
        }
        if bad_time {
            push("hours", "err-time");
        } else if bad_order {
            push("hours", "err-end-before-start");
        }
    }

    /// What the service asks of the people it serves: languages, fees, eligibility,
    /// area and documents.
    fn check_access(&self, p: &mut Problems) {
        let mut push = |f, c| p.push(f, c);
        if self
            .languages
            .iter()
            .any(|l| !l.trim().is_empty() && hsds::parse_lang(l).is_none())
        {
            push("languages", "err-list-item");
        }
        if too_long(&self.fees, TEXT_MAX) {
            push("fees", "err-too-long");
        }
        if too_long(&self.eligibility, TEXT_MAX) {
            push("eligibility", "err-too-long");
        }
        if too_long(&self.service_area, NAME_MAX) {
            push("service_area", "err-too-long");
        }
        let documents: Vec<&str> = self
            .documents
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
            .collect();
        if self.no_documents && !documents.is_empty() {
            push("documents", "err-directory-documents-conflict");
        } else if documents.iter().any(|d| too_long(d, NAME_MAX)) {
            push("documents", "err-too-long");
        }
    }

    /// A location's address, or none for a confidential location.
    fn check_address(&self, p: &mut Problems) {
        let mut push = |f, c| p.push(f, c);
        if self.confidential {
            if !self.address.is_empty() {
                push("address_street", "err-directory-confidential-address");
            }
        } else {
            if self.address.street.trim().is_empty() {
                push("address_street", "err-required");
            }
            if self.address.city.trim().is_empty() {
                push("address_city", "err-required");
            }
        }
        for (f, v) in [
            ("address_street", &self.address.street),
            ("address_postal_code", &self.address.postal_code),
            ("address_city", &self.address.city),
            ("address_country", &self.address.country),
        ] {
            if too_long(v, NAME_MAX) {
                push(f, "err-too-long");
            }
        }
    }

    /// A service's locations and needs.
    fn check_links(&self, p: &mut Problems) {
        let mut push = |f, c| p.push(f, c);
        if self.location_ids.iter().any(|l| !is_uuid(l.trim())) {
            push("location_ids", "err-choice");
        }
        if self
            .needs
            .iter()
            .any(|n| hsds::need_term_id(n.trim()).is_none())
        {
            push("needs", "err-choice");
        }
    }
}
