//! Interface text from Fluent files (`locales/<code>.ftl`), one file per language.
//!
//! English is the source language: every other file must carry the same message ids (a
//! test checks it), except the partial ones ([`PARTIAL`]), which carry a listed part of
//! them (also tested). A message missing at run time falls back to English rather than
//! showing an id. Direction (`ltr`/`rtl`) comes from the language's script, so a
//! right-to-left language needs nothing but its file.

use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeMap;
use std::sync::Arc;
use unic_langid::LanguageIdentifier;

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

pub const SOURCE: &str = "en";

/// Staff languages translated in part: Tigrinya covers the chrome and the reporting hub's
/// pages (what a hub officer and the hub's administrator see); every other message falls
/// back to English, message by message ([`Tr::t`]). Every other file carries every id.
pub const PARTIAL: &[&str] = &["ti"];

type Bundle = fluent_bundle::concurrent::FluentBundle<FluentResource>;

pub struct Locale {
    pub code: &'static str,
    pub rtl: bool,
    bundle: Bundle,
}

pub struct I18n {
    locales: BTreeMap<&'static str, Locale>,
    files: &'static [(&'static str, &'static str)],
}

impl I18n {
    /// The staff interface's languages (`locales/*.ftl`).
    pub fn load() -> anyhow::Result<Self> {
        Self::load_files(LOCALE_FILES)
    }

    /// The public site's languages (`locales/public/*.ftl`).
    pub fn load_public() -> anyhow::Result<Self> {
        Self::load_files(PUBLIC_LOCALE_FILES)
    }

    fn load_files(files: &'static [(&'static str, &'static str)]) -> anyhow::Result<Self> {
        let mut locales = BTreeMap::new();
        for (code, src) in files {
            let langid: LanguageIdentifier = code.parse()?;
            let rtl = matches!(
                langid.character_direction(),
                unic_langid::CharacterDirection::RTL
            );
            let res = FluentResource::try_new((*src).to_owned())
                .map_err(|(_, e)| anyhow::anyhow!("{code}.ftl does not parse: {e:?}"))?;
            let mut bundle = Bundle::new_concurrent(vec![langid]);
            // Names and other user content are wrapped in <bdi> by the templates instead.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(res)
                .map_err(|e| anyhow::anyhow!("{code}.ftl has duplicate messages: {e:?}"))?;
            locales.insert(*code, Locale { code, rtl, bundle });
        }
        if !locales.contains_key(SOURCE) {
            anyhow::bail!("the source language file {SOURCE}.ftl is missing");
        }
        Ok(Self { locales, files })
    }

    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.locales.keys().copied()
    }

    pub fn has(&self, code: &str) -> bool {
        self.locales.contains_key(code)
    }

    /// The message ids of one language file.
    pub fn message_ids(&self, code: &str) -> Vec<String> {
        self.files
            .iter()
            .find(|(c, _)| *c == code)
            .and_then(|(_, src)| FluentResource::try_new((*src).to_owned()).ok())
            .map(|res| {
                res.entries()
                    .filter_map(|e| match e {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A translator for `code`, or for English when the language is unknown.
    pub fn tr(self: &Arc<Self>, code: &str) -> Tr {
        let code = self
            .locales
            .get_key_value(code)
            .map(|(k, _)| *k)
            .unwrap_or(SOURCE);
        Tr {
            i18n: Arc::clone(self),
            code,
        }
    }

    /// The best language for an `Accept-Language` header.
    pub fn negotiate(&self, accept: Option<&str>) -> &'static str {
        let Some(accept) = accept else {
            return SOURCE;
        };
        let mut prefs: Vec<(f32, String)> = accept
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim().to_lowercase();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse().ok()))
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        for (_, tag) in prefs {
            let primary = tag.split('-').next().unwrap_or("");
            if let Some((k, _)) = self.locales.get_key_value(primary) {
                return k;
            }
        }
        SOURCE
    }
}

/// A language chosen for one response. Cheap to clone.
#[derive(Clone)]
pub struct Tr {
    i18n: Arc<I18n>,
    pub code: &'static str,
}

impl Tr {
    pub fn lang(&self) -> &'static str {
        self.code
    }

    pub fn dir(&self) -> &'static str {
        if self.i18n.locales.get(self.code).is_some_and(|l| l.rtl) {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The text of a message, in this language or else in English, or else its id.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The text of a message with one argument. A whole number is passed as a number, so
    /// that a message can choose its plural form (`{ $count -> [one] … *[other] … }`).
    pub fn t1(&self, id: &str, name: &str, value: impl ToString) -> String {
        let text = value.to_string();
        let mut args = FluentArgs::new();
        match text.parse::<i64>() {
            Ok(n) => args.set(name, FluentValue::from(n)),
            Err(_) => args.set(name, FluentValue::from(text)),
        }
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        for code in [self.code, SOURCE] {
            if let Some(loc) = self.i18n.locales.get(code) {
                if let Some(pattern) = loc.bundle.get_message(id).and_then(|m| m.value()) {
                    let mut errors = Vec::new();
                    return loc
                        .bundle
                        .format_pattern(pattern, args, &mut errors)
                        .into_owned();
                }
            }
        }
        id.to_owned()
    }

    /// The languages on offer, each named in its own language, for a switcher.
    pub fn languages(&self) -> Vec<(&'static str, String)> {
        self.i18n
            .codes()
            .map(|c| (c, self.i18n.tr(c).t("language-name")))
            .collect()
    }
}
