//! The hub's types: a report's plain codes and sealed text, its input and parsing, the
//! receipt code, and what officers and reporters are shown.

use rand::Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use subtle::ConstantTimeEq;

use crate::codes::code_enum;
use crate::error::Errors;
use crate::ids::{ReportId, UserId};
use crate::input::{given, required_text, text};
use crate::{FieldError, Result};

code_enum!(
    /// Who makes the report.
    ReporterRole { Victim = "victim", Witness = "witness" }
);

code_enum!(
    /// How the report reached the hub.
    Channel { Online = "online", InPerson = "in_person", Phone = "phone" }
);

code_enum!(
    /// Whether the hub is still working on a report.
    ReportStatus { Open = "open", Closed = "closed" }
);

/// The most characters of the account of what happened, and of a message.
pub const MAX_TEXT: usize = 5000;
/// The most characters of "roughly where", "when, more exactly" and "how to reach you".
pub const MAX_SHORT: usize = 300;

/// What a report says, sealed with the report's own data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportData {
    /// What happened, in the reporter's words.
    pub what: String,
    /// Roughly where.
    pub place: Option<String>,
    /// When, more exactly than the month, if the reporter said.
    pub when_detail: Option<String>,
    /// Whether the hub may contact the reporter.
    pub may_contact: bool,
    /// How the hub may reach them (a phone number, an e-mail, "through the day centre").
    pub contact: Option<String>,
}

/// A category as configured: built-in ones are translated by their code, added ones carry
/// their own labels by language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Category {
    pub code: String,
    /// Labels by language code, for a category the hub added; empty for the built-in ones.
    pub labels: BTreeMap<String, String>,
}

/// A new report as a form or the API sends it: every field as text.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ReportInput {
    /// A category code (see the categories list).
    pub category: Option<String>,
    /// When it happened: `YYYY-MM`.
    pub occurred: Option<String>,
    /// When, more exactly, in the reporter's words.
    pub when_detail: Option<String>,
    /// Roughly where.
    pub place: Option<String>,
    /// What happened.
    pub what: Option<String>,
    /// `victim` or `witness`.
    pub reporter_role: Option<String>,
    /// `yes` or `no`: may the hub contact the reporter.
    pub may_contact: Option<String>,
    /// How the hub may reach them; needed when `may_contact` is `yes`.
    pub contact: Option<String>,
    /// The language to answer in: a public-site language code.
    pub language: Option<String>,
}

/// A parsed report, ready to be sealed and stored.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub category: String,
    pub occurred: String,
    pub language: String,
    pub reporter_role: ReporterRole,
    pub data: ReportData,
}

/// `YYYY-MM`, a real month not after `now`'s.
pub fn parse_month(v: &Option<String>, now: i64) -> std::result::Result<String, FieldError> {
    let s = given(v).ok_or(FieldError::new("occurred", "err-required"))?;
    let bad = || FieldError::new("occurred", "err-report-month");
    let (y, m) = s.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || !(1..=2).contains(&m.len()) {
        return Err(bad());
    }
    let (y, m) = match (y.parse::<i32>(), m.parse::<u8>()) {
        (Ok(y), Ok(m)) => (y, m),
        _ => return Err(bad()),
    };
    let Ok(month) = time::Month::try_from(m) else {
        return Err(bad());
    };
    let today = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| t.date())
        .map_err(|_| bad())?;
    if y < 1950 || (y, month as u8) > (today.year(), today.month() as u8) {
        return Err(bad());
    }
    Ok(format!("{y:04}-{:02}", month as u8))
}

impl ReportInput {
    /// Checks every field; `categories` are the active codes, `languages` the codes the
    /// public site speaks. Residence status is not a field: it is never asked.
    pub fn parse(&self, now: i64, categories: &[String], languages: &[&str]) -> Result<NewReport> {
        let mut e = Errors::default();
        let category = match given(&self.category) {
            None => e.take::<String>(Err(FieldError::new("category", "err-required"))),
            Some(c) if categories.iter().any(|k| k == c) => Some(c.to_owned()),
            Some(_) => e.take::<String>(Err(FieldError::new("category", "err-report-choice"))),
        };
        let occurred = e.take(parse_month(&self.occurred, now));
        let when_detail = e.take(text(&self.when_detail, "when_detail", MAX_SHORT));
        let place = e.take(text(&self.place, "place", MAX_SHORT));
        let what = e.take(required_text(&self.what, "what", MAX_TEXT));
        let reporter_role = e.take(
            crate::input::choice::<ReporterRole>(&self.reporter_role, "reporter_role", None)
                .map_err(|f| choice_error(f, "reporter_role")),
        );
        let may_contact = e.take(match given(&self.may_contact) {
            Some("yes") => Ok(true),
            Some("no") => Ok(false),
            None => Err(FieldError::new("may_contact", "err-required")),
            Some(_) => Err(FieldError::new("may_contact", "err-report-choice")),
        });
        let contact = e.take(text(&self.contact, "contact", MAX_SHORT));
        if may_contact == Some(true) && matches!(contact, Some(None)) {
            e.push("contact", "err-report-contact");
        }
        let language = match given(&self.language) {
            Some(l) if languages.contains(&l) => Some(l.to_owned()),
            None => e.take::<String>(Err(FieldError::new("language", "err-required"))),
            Some(_) => e.take::<String>(Err(FieldError::new("language", "err-report-choice"))),
        };
        e.finish()?;
        let (
            Some(category),
            Some(occurred),
            Some(when_detail),
            Some(place),
            Some(what),
            Some(reporter_role),
            Some(may_contact),
            Some(contact),
            Some(language),
        ) = (
            category,
            occurred,
            when_detail,
            place,
            what,
            reporter_role,
            may_contact,
            contact,
            language,
        )
        else {
            return Err(anyhow::anyhow!("a parsed report field is missing").into());
        };
        Ok(NewReport {
            category,
            occurred,
            language,
            reporter_role,
            data: ReportData {
                what,
                place,
                when_detail,
                // Contact details are kept only when the reporter allows contact.
                contact: if may_contact { contact } else { None },
                may_contact,
            },
        })
    }
}

fn choice_error(f: FieldError, field: &'static str) -> FieldError {
    if f.code == "err-required" {
        f
    } else {
        FieldError::new(field, "err-report-choice")
    }
}

/// A message as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct MessageInput {
    pub text: Option<String>,
}

impl MessageInput {
    pub fn parse(&self) -> Result<String> {
        let mut e = Errors::default();
        let t = e.take(required_text(&self.text, "text", MAX_TEXT));
        e.finish()?;
        t.ok_or_else(|| anyhow::anyhow!("a parsed message is missing").into())
    }
}

/// The sealed part of a message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageData {
    pub text: String,
}

/// Digits in a receipt code.
pub const RECEIPT_DIGITS: usize = 25;
/// Digits per group when a code is shown.
const GROUP: usize = 5;

/// The bits of a receipt code: each digit is drawn uniformly from ten, so
/// `RECEIPT_DIGITS × log2(10)` (83.0 for 25 digits).
pub fn receipt_bits() -> f64 {
    RECEIPT_DIGITS as f64 * 10f64.log2()
}

/// A receipt code: the only key to a report from outside the hub. Shown once, in groups
/// of five digits; stored only as a keyed blind index ([`ReceiptCode::index`]).
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptCode(<redacted>)")
    }
}

impl ReceiptCode {
    /// A fresh code from the operating system's random source, each digit uniform.
    pub fn generate() -> Self {
        let mut rng = rand::rngs::OsRng;
        Self(
            (0..RECEIPT_DIGITS)
                .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
                .collect(),
        )
    }

    /// A code as typed: spaces, dashes and dots are ignored, and Arabic-Indic and Persian
    /// digits read as the digits they are. Exactly [`RECEIPT_DIGITS`] digits.
    pub fn parse(v: &Option<String>) -> std::result::Result<Self, FieldError> {
        let s = given(v).ok_or(FieldError::new("code", "err-required"))?;
        let mut digits = String::with_capacity(RECEIPT_DIGITS);
        for c in s.chars() {
            let d = match c {
                '0'..='9' => c,
                '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
                '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
                ' ' | '-' | '.' | '\u{00A0}' | '\u{2009}' | '\u{202F}' => continue,
                _ => return Err(FieldError::new("code", "err-receipt-code")),
            };
            digits.push(d);
        }
        if digits.len() == RECEIPT_DIGITS {
            Ok(Self(digits))
        } else {
            Err(FieldError::new("code", "err-receipt-code"))
        }
    }

    /// The code as shown: five groups of five digits.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(GROUP)
            .map(|g| String::from_utf8_lossy(g).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The keyed blind index that is stored instead of the code.
    pub fn index(&self, keys: &crate::crypto::Keyring) -> Vec<u8> {
        keys.blind_index("hub-receipt", &self.0)
    }
}

/// Whether a stored receipt index is the one computed from a code, in time that does not
/// depend on where they differ.
pub fn same_index(stored: &[u8], computed: &[u8]) -> bool {
    stored.ct_eq(computed).into()
}

/// A report as the list shows it: plain codes only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: ReportId,
    pub category: String,
    pub occurred: String,
    pub language: String,
    pub reporter_role: ReporterRole,
    pub channel: Channel,
    pub status: ReportStatus,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    /// Messages in the conversation.
    pub messages: i64,
    /// Whether the last message is the reporter's (waiting for the hub's answer).
    pub awaiting_hub: bool,
}

/// One message of a report's conversation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Message {
    pub from_hub: bool,
    pub text: String,
    /// Unix seconds; for the reporter's messages only the day (00:00 UTC), so that no
    /// proxy's log can be matched to them. The list is in the conversation's order.
    pub created_at: i64,
}

/// A report as a hub officer reads it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = HubReport)]
pub struct Report {
    pub summary: ReportSummary,
    pub data: ReportData,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub recorded_by: Option<UserId>,
    pub version: i64,
    pub messages: Vec<Message>,
}

/// What a reporter sees when they come back with their code: the state and the
/// conversation, not the report itself or their contact details (whoever holds the code
/// reads this page, and that may not be the reporter).
#[derive(Debug, Clone, Serialize)]
pub struct ReporterView {
    pub category: String,
    pub occurred: String,
    pub status: ReportStatus,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub messages: Vec<Message>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_code_has_at_least_80_bits_from_uniform_digits() {
        assert!(receipt_bits() >= 80.0, "{} bits", receipt_bits());
        // Each digit uniform: over 4,000 codes (100,000 digits) every digit's share is
        // within 5 % of a tenth, and no two codes are the same.
        let mut counts = [0u32; 10];
        let mut seen = std::collections::HashSet::new();
        for _ in 0..4000 {
            let c = ReceiptCode::generate();
            assert_eq!(c.0.len(), RECEIPT_DIGITS);
            for b in c.0.bytes() {
                counts[usize::from(b - b'0')] += 1;
            }
            assert!(seen.insert(c.0));
        }
        for n in counts {
            assert!((9_500..=10_500).contains(&n), "{counts:?}");
        }
    }

    #[test]
    fn a_receipt_code_reads_back_as_typed_in_any_digits_and_groups() {
        let c = ReceiptCode::generate();
        let shown = c.grouped();
        assert_eq!(shown.split(' ').count(), 5);
        assert_eq!(ReceiptCode::parse(&Some(shown.clone())).unwrap(), c);
        assert_eq!(
            ReceiptCode::parse(&Some(shown.replace(' ', "-"))).unwrap(),
            c
        );
        let arabic: String = shown
            .chars()
            .map(|ch| match ch.to_digit(10) {
                Some(d) => char::from_u32(0x0660 + d).unwrap(),
                None => ch,
            })
            .collect();
        assert_eq!(ReceiptCode::parse(&Some(arabic)).unwrap(), c);
        for bad in [
            "",
            "123",
            "1234567890123456789012345x",
            &format!("{}1", c.0),
        ] {
            assert!(ReceiptCode::parse(&Some(bad.to_owned())).is_err(), "{bad}");
        }
        assert!(!format!("{c:?}").contains(&c.0));
    }

    #[test]
    fn the_receipt_index_comparison_is_exact() {
        let a = [7u8; 16];
        let mut b = a;
        assert!(same_index(&a, &b));
        b[15] ^= 1;
        assert!(!same_index(&a, &b));
        b = a;
        b[0] ^= 0x80;
        assert!(!same_index(&a, &b));
        assert!(!same_index(&a, &a[..15]));
        assert!(!same_index(&[], &a));
    }

    #[test]
    fn months_are_real_and_not_in_the_future() {
        let now = time::macros::datetime!(2026-12-06 12:00 UTC).unix_timestamp();
        let m = |s: &str| parse_month(&Some(s.to_owned()), now);
        assert_eq!(m("2026-12").unwrap(), "2026-12");
        assert_eq!(m("2025-3").unwrap(), "2025-03");
        for bad in ["2027-01", "2026-13", "2026-00", "26-01", "abc", "1900-01"] {
            assert_eq!(m(bad).unwrap_err().code, "err-report-month", "{bad}");
        }
    }

    #[test]
    fn a_report_names_every_bad_field_and_keeps_contact_only_when_allowed() {
        let cats = vec!["fraud".to_owned()];
        let now = time::macros::datetime!(2026-12-06 12:00 UTC).unix_timestamp();
        let e = ReportInput {
            category: Some("deportation".into()),
            may_contact: Some("yes".into()),
            ..Default::default()
        }
        .parse(now, &cats, &["en"])
        .unwrap_err();
        let crate::Error::Invalid(fields) = e else {
            panic!("{e:?}")
        };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        for f in [
            "category",
            "occurred",
            "what",
            "reporter_role",
            "contact",
            "language",
        ] {
            assert!(names.contains(&f), "{f}: {names:?}");
        }
        let ok = ReportInput {
            category: Some("fraud".into()),
            occurred: Some("2026-11".into()),
            what: Some("My employer kept my wages.".into()),
            reporter_role: Some("victim".into()),
            may_contact: Some("no".into()),
            contact: Some("0612345678".into()),
            language: Some("en".into()),
            ..Default::default()
        }
        .parse(now, &cats, &["en"])
        .unwrap();
        assert_eq!(ok.data.contact, None);
        assert!(!ok.data.may_contact);
    }
}

/// The form fields of a category's labels, one per public language (`label_<code>`), in
/// the order of [`crate::content::LANGUAGES`].
pub const LABEL_FIELDS: [(&str, &str); 12] = [
    ("en", "label_en"),
    ("nl", "label_nl"),
    ("fr", "label_fr"),
    ("de", "label_de"),
    ("es", "label_es"),
    ("ar", "label_ar"),
    ("fa", "label_fa"),
    ("ps", "label_ps"),
    ("ti", "label_ti"),
    ("so", "label_so"),
    ("uk", "label_uk"),
    ("ru", "label_ru"),
];

/// The longest label of a category.
pub const MAX_LABEL: usize = 80;

/// A category as its administrator sees it: whether it is built in (translated by its
/// code until renamed), its own labels (every public language once added or renamed),
/// whether the public form offers it, and its version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = HubCategoryConfig)]
pub struct CategoryConfig {
    pub code: String,
    pub builtin: bool,
    pub labels: BTreeMap<String, String>,
    pub active: bool,
    pub version: i64,
}

/// A category's labels as a form or the API sends them: every public language required.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = HubCategoryInput)]
pub struct CategoryInput {
    pub label_en: Option<String>,
    pub label_nl: Option<String>,
    pub label_fr: Option<String>,
    pub label_de: Option<String>,
    pub label_es: Option<String>,
    pub label_ar: Option<String>,
    pub label_fa: Option<String>,
    pub label_ps: Option<String>,
    pub label_ti: Option<String>,
    pub label_so: Option<String>,
    pub label_uk: Option<String>,
    pub label_ru: Option<String>,
    /// For a rename: the version last read (a newer one is a conflict).
    pub version: Option<i64>,
}

impl CategoryInput {
    /// The labels `label` gives for each public language (a typed form, seed data), and the
    /// version a rename was based on.
    pub fn from_labels(label: impl Fn(&str) -> Option<String>, version: Option<i64>) -> Self {
        Self {
            label_en: label("en"),
            label_nl: label("nl"),
            label_fr: label("fr"),
            label_de: label("de"),
            label_es: label("es"),
            label_ar: label("ar"),
            label_fa: label("fa"),
            label_ps: label("ps"),
            label_ti: label("ti"),
            label_so: label("so"),
            label_uk: label("uk"),
            label_ru: label("ru"),
            version,
        }
    }

    fn label(&self, lang: &str) -> &Option<String> {
        match lang {
            "en" => &self.label_en,
            "nl" => &self.label_nl,
            "fr" => &self.label_fr,
            "de" => &self.label_de,
            "es" => &self.label_es,
            "ar" => &self.label_ar,
            "fa" => &self.label_fa,
            "ps" => &self.label_ps,
            "ti" => &self.label_ti,
            "so" => &self.label_so,
            "uk" => &self.label_uk,
            _ => &self.label_ru,
        }
    }

    /// The labels by language; every missing or bad one named by its field.
    pub fn parse(&self) -> Result<BTreeMap<String, String>> {
        let mut errors = Errors::default();
        let mut out = BTreeMap::new();
        for (lang, field) in LABEL_FIELDS {
            let label = self.label(lang);
            if let Some(v) = errors.take(required_text(label, field, MAX_LABEL)) {
                if v.contains('\n') || v.contains('\r') || v.contains('\t') {
                    errors.push(field, "err-control-chars");
                } else {
                    out.insert(lang.to_owned(), v);
                }
            }
        }
        errors.finish()?;
        Ok(out)
    }
}

/// A new category's code, from its English label: lower-case letters and digits joined by
/// `_` (at most 40 characters); `None` when nothing of it is a Latin letter or digit.
pub fn category_code(english: &str) -> Option<String> {
    let mut code = String::new();
    for c in english.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            code.push(c);
        } else if !code.is_empty() && !code.ends_with('_') {
            code.push('_');
        }
    }
    let code: String = code.trim_end_matches('_').chars().take(40).collect();
    let code = code.trim_end_matches('_').to_owned();
    (!code.is_empty()).then_some(code)
}
