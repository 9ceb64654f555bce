//! Types and input parsing for the public site's content.

use serde::{Deserialize, Serialize};

use crate::error::Errors;
use crate::ids::ContentId;
use crate::{FieldError, Result};

/// The languages of the public site, with their direction. English is the source: every
/// translation records the English version it was made from.
pub const LANGUAGES: [(&str, bool); 12] = [
    ("en", false),
    ("nl", false),
    ("fr", false),
    ("de", false),
    ("es", false),
    ("ar", true),
    ("fa", true),
    ("ps", true),
    ("ti", false),
    ("so", false),
    ("uk", false),
    ("ru", false),
];

pub const SOURCE: &str = "en";

pub fn is_language(code: &str) -> bool {
    LANGUAGES.iter().any(|(c, _)| *c == code)
}

/// `rtl` or `ltr` for one of [`LANGUAGES`].
pub fn dir(code: &str) -> &'static str {
    if LANGUAGES.iter().any(|(c, rtl)| *c == code && *rtl) {
        "rtl"
    } else {
        "ltr"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A topic page: a legal option or a right.
    Page,
    /// A question and its answer.
    Qa,
    /// A testimonial in the speaker's own words.
    Story,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Page, Kind::Qa, Kind::Story];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Qa => "qa",
            Kind::Story => "story",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a topic page is listed.
pub const SECTIONS: [&str; 2] = ["options", "rights"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ContentStatus)]
pub enum Status {
    Draft,
    Reviewed,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Reviewed => "reviewed",
            Status::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Status {
        match s {
            "reviewed" => Status::Reviewed,
            "published" => Status::Published,
            _ => Status::Draft,
        }
    }
}

/// A new item, as typed. A story needs the speaker's consent: the name they agreed to have
/// published, the day consent was given and the day it ends.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemInput {
    pub kind: String,
    pub slug: String,
    /// For a page: `options` or `rights`. For a question: the slug of its topic, or empty.
    pub section: String,
    pub position: Option<i64>,
    pub speaker: Option<String>,
    /// `YYYY-MM-DD`
    pub consent_on: Option<String>,
    /// `YYYY-MM-DD`: the story leaves the site at the start of this day (UTC).
    pub expires_on: Option<String>,
}

/// One language's text of an item, as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TextInput {
    pub title: String,
    pub summary: String,
    /// Plain text; a blank line starts a new paragraph.
    pub body: String,
}

pub(crate) struct NewItem {
    pub kind: Kind,
    pub slug: String,
    pub section: String,
    pub position: i64,
    pub story: Option<(String, i64, i64)>,
}

pub(crate) fn parse_slug(s: &str) -> std::result::Result<String, FieldError> {
    let s = s.trim();
    let ok = (2..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if s.is_empty() {
        Err(FieldError::new("slug", "err-required"))
    } else if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::new("slug", "err-slug"))
    }
}

fn text(s: &str, field: &'static str, max: usize, errs: &mut Errors) -> Option<String> {
    let s = s.trim().replace("\r\n", "\n");
    let n = s.chars().count();
    if n == 0 {
        errs.push(field, "err-required");
        None
    } else if n > max {
        errs.push(field, "err-too-long");
        None
    } else {
        Some(s)
    }
}

fn day_start(d: time::Date) -> i64 {
    d.midnight().assume_utc().unix_timestamp()
}

pub(crate) fn parse_item(input: &ItemInput, now: i64) -> Result<NewItem> {
    let mut errs = Errors::default();
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        errs.push("kind", "err-choice");
    }
    let slug = errs.take(parse_slug(&input.slug));
    let section = input.section.trim().to_owned();
    match kind {
        Some(Kind::Page) if !SECTIONS.contains(&section.as_str()) => {
            errs.push("section", "err-choice")
        }
        Some(Kind::Qa) if !section.is_empty() => {
            errs.take(parse_slug(&section).map_err(|_| FieldError::new("section", "err-slug")));
        }
        _ => {}
    }
    let mut story = None;
    if kind == Some(Kind::Story) {
        let speaker = text(
            input.speaker.as_deref().unwrap_or(""),
            "speaker",
            80,
            &mut errs,
        );
        let consent = input
            .consent_on
            .as_deref()
            .map(|s| crate::dates::parse_input(s, "consent_on"))
            .unwrap_or_else(|| Err(FieldError::new("consent_on", "err-required")));
        let consent = errs.take(consent).map(day_start);
        let expires = input
            .expires_on
            .as_deref()
            .map(|s| crate::dates::parse_input(s, "expires_on"))
            .unwrap_or_else(|| Err(FieldError::new("expires_on", "err-required")));
        let expires = errs.take(expires).map(day_start);
        if let Some(c) = consent {
            if c > now {
                errs.push("consent_on", "err-date-future");
            }
        }
        if let Some(e) = expires {
            if e <= now {
                errs.push("expires_on", "err-date-past");
            }
        }
        if let (Some(s), Some(c), Some(e)) = (speaker, consent, expires) {
            story = Some((s, c, e));
        }
    }
    errs.finish()?;
    match (kind, slug) {
        (Some(kind), Some(slug)) => Ok(NewItem {
            kind,
            slug,
            section: if kind == Kind::Story {
                String::new()
            } else {
                section
            },
            position: input.position.unwrap_or(0),
            story,
        }),
        _ => Err(crate::Error::Internal(anyhow::anyhow!(
            "validation inconsistency"
        ))),
    }
}

pub(crate) struct Text {
    pub title: String,
    pub summary: String,
    pub body: String,
}

pub(crate) fn parse_text(input: &TextInput) -> Result<Text> {
    let mut errs = Errors::default();
    let title = text(&input.title, "title", 200, &mut errs);
    let summary = text(&input.summary, "summary", 400, &mut errs);
    let body = text(&input.body, "body", 20_000, &mut errs);
    errs.finish()?;
    match (title, summary, body) {
        (Some(title), Some(summary), Some(body)) => Ok(Text {
            title,
            summary,
            body,
        }),
        _ => Err(crate::Error::Internal(anyhow::anyhow!(
            "validation inconsistency"
        ))),
    }
}

/// Splits plain text into paragraphs at blank lines.
pub fn paragraphs(body: &str) -> Vec<String> {
    body.split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// One language of an item, for editors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Translation {
    pub lang: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub status: Status,
    /// Counts edits of this language's text.
    pub version: i64,
    /// The English version this text was made from.
    pub source_version: i64,
    /// The English text changed since this translation was made or re-approved.
    pub out_of_date: bool,
    /// A published copy is online (it may be older than the text above).
    pub online: bool,
    pub edited_at: i64,
    /// The reviewer's display name.
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
    pub published_at: Option<i64>,
}

/// An item with all its languages, for editors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    #[schema(value_type = String, format = Uuid)]
    pub id: ContentId,
    pub kind: Kind,
    pub slug: String,
    pub section: String,
    pub position: i64,
    /// Stories only: the name the speaker agreed to have published.
    pub speaker: Option<String>,
    pub consent_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub expired: bool,
    pub withdrawn: bool,
    pub translations: Vec<Translation>,
}

/// A published text in one language: the visitor's language if it has been published in
/// it, else English. `lang` and `dir` say which, so a page can mark it up.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Card {
    pub slug: String,
    /// For a page: options | rights. For a question: its topic's slug, or empty.
    pub section: String,
    pub title: String,
    pub summary: String,
    pub lang: &'static str,
    pub dir: &'static str,
}

/// A published item with its full text.
#[derive(Debug, Clone)]
pub struct PublicText {
    pub card: Card,
    pub paragraphs: Vec<String>,
    /// Stories only: the name the speaker agreed to have published.
    pub speaker: Option<String>,
}

/// Published items of one kind in one language, and until when that answer holds (the
/// moment the next shown story expires; `i64::MAX` when none does).
pub struct Published {
    pub items: Vec<PublicText>,
    pub valid_until: i64,
}
