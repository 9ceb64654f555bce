//! What the public sees: published texts, in the visitor's language or else in English.

use super::model::{dir, paragraphs, Card, Kind, PublicText, Published, SOURCE};
use super::store::{self, lang_of};
use crate::ids::ContentId;
use crate::{Ctx, Result};

/// The published items of `kind` in `lang`, each in `lang` or else in English.
pub async fn published(ctx: &Ctx, kind: Kind, lang: &str) -> Result<Published> {
    let lang = lang_of(lang)?;
    let now = ctx.clock.now_ts();
    let rows = store::published_rows(ctx, kind, lang, now).await?;
    let mut items: Vec<PublicText> = Vec::new();
    let mut ids: Vec<ContentId> = Vec::new();
    let mut valid_until = i64::MAX;
    for r in rows {
        let row_lang = if r.lang == lang { lang } else { SOURCE };
        let text = PublicText {
            card: Card {
                slug: r.slug,
                section: r.section,
                title: r.pub_title.unwrap_or_default(),
                summary: r.pub_summary.unwrap_or_default(),
                lang: row_lang,
                dir: dir(row_lang),
            },
            paragraphs: paragraphs(&r.pub_body.unwrap_or_default()),
            speaker: r.speaker,
        };
        if let Some(e) = r.expires_at {
            valid_until = valid_until.min(e);
        }
        match ids.iter().position(|i| *i == r.id) {
            // The visitor's language wins over English.
            Some(i) if row_lang == lang => items[i] = text,
            Some(_) => {}
            None => {
                ids.push(r.id);
                items.push(text);
            }
        }
    }
    Ok(Published { items, valid_until })
}

/// The published topic pages in `lang`, in order, as cards (title and short text).
///
/// This is also the outreach app's "show" mode: a worker shows a card on a tablet in the
/// person's language; the card's `lang` and `dir` say which language it really is in.
pub async fn cards(ctx: &Ctx, lang: &str) -> Result<Vec<Card>> {
    Ok(published(ctx, Kind::Page, lang)
        .await?
        .items
        .into_iter()
        .map(|t| t.card)
        .collect())
}
