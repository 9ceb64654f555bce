//! The app's "show" mode: the worker hands the device to the person, who reads short
//! information cards in their own language. The cards are the public site's published
//! topic pages (`content::cards`), so staff write them once, through the same
//! draft → reviewed → published workflow, for the site and for the street.
//!
//! Nothing here touches person data: the cards are public content and the request names
//! only a language. That is why these use cases write no audit event, unlike every other
//! read in `outreach`.

use serde::Serialize;

use crate::content::{self, Card, LANGUAGES};
use crate::{Actor, Ctx, Error, Permission, Result};

/// Each public language named in its own script (a name, not interface text, so it lives
/// here rather than in the translation files, and never changes with the reader's language).
const NAMES: [(&str, &str); 12] = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("ps", "پښتو"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("uk", "Українська"),
    ("ru", "Русский"),
];

/// A language the person may pick: its code (for `lang`), its own name, and its direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ShowLanguage {
    pub code: &'static str,
    /// The language's name in its own script, e.g. "العربية".
    pub name: &'static str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
}

/// The languages that have published cards, and the cards of one of them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShowCards {
    /// Every language with at least one card published in it, in the site's order.
    pub languages: Vec<ShowLanguage>,
    /// The language asked for, when one was.
    pub language: Option<ShowLanguage>,
    /// The published topic pages in order, each in `language` or else in English; each
    /// card's own `lang` and `dir` say which. Empty when no language was asked for.
    pub cards: Vec<Card>,
}

fn language(code: &str) -> Option<ShowLanguage> {
    let (code, name) = NAMES.iter().find(|(c, _)| *c == code)?;
    Some(ShowLanguage {
        code,
        name,
        dir: content::dir(code),
    })
}

/// The languages in which at least one topic page is published (English fallbacks do not
/// count: a language is offered only when staff have published something in it).
async fn languages(ctx: &Ctx) -> Result<Vec<ShowLanguage>> {
    let published: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT t.lang FROM content_translations t \
         JOIN content_items i ON i.id = t.item_id \
         WHERE i.kind = $1 AND t.pub_version IS NOT NULL AND i.withdrawn_at IS NULL \
         AND (i.expires_at IS NULL OR i.expires_at > $2)",
    )
    .bind(content::Kind::Page.as_str())
    .bind(ctx.clock.now_ts())
    .fetch_all(&ctx.db.pool)
    .await?;
    Ok(LANGUAGES
        .iter()
        .filter(|(c, _)| published.iter().any(|p| p.as_str() == *c))
        .filter_map(|(c, _)| language(c))
        .collect())
}

/// What show mode needs: the languages with published cards and, with `lang`, that
/// language's cards. A language that is not one of them (unknown, or with nothing
/// published in it) is `Invalid` on the field `lang`, so the app never shows English
/// cards under another language's name.
pub async fn cards(ctx: &Ctx, actor: &Actor, lang: Option<&str>) -> Result<ShowCards> {
    actor.require(Permission::OutreachRecord)?;
    let languages = languages(ctx).await?;
    let Some(lang) = lang else {
        return Ok(ShowCards {
            languages,
            language: None,
            cards: Vec::new(),
        });
    };
    let Some(language) = languages.iter().find(|l| l.code == lang).cloned() else {
        return Err(Error::invalid("lang", "outreach-show-lang-unknown"));
    };
    let cards = content::cards(ctx, language.code).await?;
    Ok(ShowCards {
        languages,
        language: Some(language),
        cards,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_public_language_has_its_own_name_and_direction() {
        for (code, rtl) in LANGUAGES {
            let l = language(code).expect(code);
            assert!(!l.name.is_empty());
            assert_eq!(l.dir == "rtl", rtl, "{code}");
        }
        assert_eq!(language("ar").map(|l| l.dir), Some("rtl"));
        assert_eq!(language("xx"), None);
    }
}
