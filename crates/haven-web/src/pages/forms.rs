//! One form template for the many small forms: a form is a list of field descriptions,
//! filled from what was typed (or from the record being changed), and rendered again with
//! 422 and an error summary when the core refuses the input.
//!
//! **Reading a form.** Every handler reads its form with serde, never field by field:
//! `Form<T>` with `T` the page's own form struct (a page with its own template), or
//! `Form<Typed>` for the forms drawn here, which show again what was typed;
//! [`Typed::input`] then deserialises the core's `…Input` from the same values.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_core::{Error, FieldError};
use serde::de::value::{Error as DeError, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde::Deserialize;

use super::see_other;
use crate::error::{ErrExt, PageErr};
use crate::i18n::Tr;
use crate::views::{render, Choice, Chrome, FormErrors};

/// A submitted form as name/value pairs; repeated names (checkboxes) keep every value.
#[derive(Default, Clone, Deserialize)]
#[serde(transparent)]
pub struct Typed(pub Vec<(String, String)>);

impl Typed {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn value(&self, name: &str) -> String {
        self.get(name).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_owned(), value.into()));
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    /// The form without the values sent under `name`.
    pub fn without(&self, name: &str) -> Typed {
        Typed(self.0.iter().filter(|(k, _)| k != name).cloned().collect())
    }

    /// One more value under a name that may repeat (a ticked box of several).
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_owned(), value.into()));
    }

    /// The form as a typed value, by its field names: a single field takes the first value
    /// sent under its name (a missing one is `None`), a list takes every value, and a
    /// checkbox (`bool`) is on when it sent `on`, `true` or `1`. A value of the wrong
    /// shape is refused as invalid input.
    pub fn input<I: DeserializeOwned>(&self) -> Result<I, Error> {
        let mut names: Vec<(&str, Vec<&str>)> = Vec::new();
        for (k, v) in &self.0 {
            match names.iter_mut().find(|(n, _)| n == k) {
                Some((_, values)) => values.push(v.as_str()),
                None => names.push((k.as_str(), vec![v.as_str()])),
            }
        }
        let map = MapDeserializer::new(names.into_iter().map(|(k, v)| (k, Values(v))));
        I::deserialize(map).map_err(|_: DeError| Error::Invalid(Vec::new()))
    }
}

/// For a form struct's checkbox whose any value means "ticked" (`#[serde(default,
/// deserialize_with = "ticked")]`); an unticked box sends nothing.
pub fn ticked<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    String::deserialize(d).map(|_| true)
}

/// The values sent under one name (never none), as serde reads them.
struct Values<'de>(Vec<&'de str>);

impl<'de> IntoDeserializer<'de, DeError> for Values<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for Values<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.0.first().copied().unwrap_or_default())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(SeqDeserializer::new(self.0.into_iter()))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let on = matches!(self.0.first().copied(), Some("on" | "true" | "1"));
        visitor.visit_bool(on)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct map struct enum identifier ignored_any
    }
}

pub struct Field {
    pub name: &'static str,
    pub label: String,
    /// text, date, time, number, select, textarea, checkbox, checks, hidden
    pub kind: &'static str,
    pub value: String,
    pub hint: String,
    pub options: Vec<Choice>,
}

impl Field {
    fn new(t: &Tr, name: &'static str, kind: &'static str, v: &Typed) -> Self {
        Self {
            name,
            label: t.t(&format!("field-{name}")),
            kind,
            value: v.value(name),
            hint: String::new(),
            options: Vec::new(),
        }
    }

    pub fn text(t: &Tr, name: &'static str, v: &Typed) -> Self {
        Self::new(t, name, "text", v)
    }

    pub fn date(t: &Tr, name: &'static str, v: &Typed) -> Self {
        Self::new(t, name, "date", v).hint(t.t("hint-date"))
    }

    pub fn time(t: &Tr, name: &'static str, v: &Typed) -> Self {
        Self::new(t, name, "time", v)
    }

    pub fn number(t: &Tr, name: &'static str, v: &Typed) -> Self {
        Self::new(t, name, "number", v)
    }

    pub fn area(t: &Tr, name: &'static str, v: &Typed) -> Self {
        Self::new(t, name, "textarea", v)
    }

    pub fn hidden(name: &'static str, value: String) -> Self {
        Self {
            name,
            label: String::new(),
            kind: "hidden",
            value,
            hint: String::new(),
            options: Vec::new(),
        }
    }

    pub fn checkbox(t: &Tr, name: &'static str, v: &Typed) -> Self {
        let on = matches!(v.value(name).as_str(), "on" | "true" | "1");
        let mut f = Self::new(t, name, "checkbox", v);
        f.value = if on { "on".into() } else { String::new() };
        f
    }

    /// A select; `blank` offers an empty first choice.
    pub fn select(
        t: &Tr,
        name: &'static str,
        v: &Typed,
        choices: Vec<(String, String)>,
        blank: bool,
    ) -> Self {
        let mut f = Self::new(t, name, "select", v);
        let current = v.value(name);
        if blank {
            f.options.push(Choice {
                value: String::new(),
                label: t.t("choose-one"),
                selected: current.is_empty(),
            });
        }
        for (value, label) in choices {
            f.options.push(Choice {
                selected: value == current,
                value,
                label,
            });
        }
        f
    }

    /// Several checkboxes under one name.
    pub fn checks(t: &Tr, name: &'static str, v: &Typed, choices: Vec<(String, String)>) -> Self {
        let mut f = Self::new(t, name, "checks", v);
        let current = v.all(name);
        f.options = choices
            .into_iter()
            .map(|(value, label)| Choice {
                selected: current.contains(&value),
                value,
                label,
            })
            .collect();
        f
    }

    pub fn hint(mut self, hint: String) -> Self {
        self.hint = hint;
        self
    }

    pub fn label(mut self, label: String) -> Self {
        self.label = label;
        self
    }
}

/// Codes with their translated labels: `prefix-code`.
pub fn coded(
    t: &Tr,
    prefix: &str,
    codes: impl IntoIterator<Item = &'static str>,
) -> Vec<(String, String)> {
    codes
        .into_iter()
        .map(|c| (c.to_owned(), t.t(&format!("{prefix}-{c}"))))
        .collect()
}

#[derive(Template)]
#[template(path = "case_form.html")]
pub struct FormView {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub intro: String,
    /// Facts about what the form is for (the case, the person).
    pub context: Vec<(String, String)>,
    pub action: String,
    pub fields: Vec<Field>,
    pub submit: String,
    pub cancel: String,
    pub errors: FormErrors,
}

impl FormView {
    /// A form titled `title` that posts to `action` and whose "cancel" goes to `cancel`;
    /// no intro, no context, and "Save" on its button until set otherwise.
    pub fn new(
        t: &Tr,
        chrome: Chrome,
        title: String,
        action: String,
        fields: Vec<Field>,
        cancel: String,
    ) -> Self {
        Self {
            submit: t.t("save"),
            title,
            intro: String::new(),
            context: Vec::new(),
            action,
            fields,
            cancel,
            errors: FormErrors::default(),
            chrome,
            t: t.clone(),
        }
    }

    pub fn intro(mut self, intro: String) -> Self {
        self.intro = intro;
        self
    }

    pub fn context(mut self, context: Vec<(String, String)>) -> Self {
        self.context = context;
        self
    }

    pub fn submit(mut self, submit: String) -> Self {
        self.submit = submit;
        self
    }

    /// Answers a post whose form is built already: see [`answer`].
    pub fn answer(self, res: Result<String, Error>) -> Result<Response, PageErr> {
        let t = self.t.clone();
        answer(&t, res, || self)
    }

    pub fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }

    /// The form again, with the core's field errors (422) or a conflict's reason (409).
    pub fn refused(mut self, err: Error) -> Result<Response, Error> {
        match err {
            Error::Invalid(fields) => {
                self.errors = FormErrors::from_fields(&self.t, &fields);
                Ok(self.respond(StatusCode::UNPROCESSABLE_ENTITY))
            }
            Error::Conflict(code) => {
                let field = self
                    .fields
                    .iter()
                    .find(|f| f.kind != "hidden")
                    .map(|f| f.name);
                let msg = self.t.t(code);
                self.errors = match field {
                    Some(f) => FormErrors::one(&self.t, f, msg),
                    None => FormErrors::from_fields(&self.t, &[FieldError::new("version", code)]),
                };
                Ok(self.respond(StatusCode::CONFLICT))
            }
            e => Err(e),
        }
    }
}

/// Answers a form post: to `Ok`'s address when done, the form again when the input was
/// refused (invalid, or in conflict with the record), the error page otherwise.
pub fn answer(
    t: &Tr,
    res: Result<String, Error>,
    form: impl FnOnce() -> FormView,
) -> Result<Response, PageErr> {
    match res {
        Ok(to) => Ok(see_other(&to)),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => form().refused(e).map_err(t.page()),
        Err(e) => Err(t.page()(e)),
    }
}
