//! One form template for the many small casework forms: a form is a list of field
//! descriptions, filled from what was typed (or from the record being changed), and
//! rendered again with 422 and an error summary when the core refuses the input.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use haven_core::FieldError;

use crate::i18n::Tr;
use crate::views::{render, Chrome, FormErrors};

/// A submitted form as name/value pairs; repeated names (checkboxes) keep every value.
#[derive(Default, Clone)]
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
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Field {
    pub name: &'static str,
    pub label: String,
    /// text, date, time, number, select, textarea, checkbox, checks, hidden
    pub kind: &'static str,
    pub value: String,
    pub hint: String,
    pub options: Vec<Opt>,
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
            f.options.push(Opt {
                value: String::new(),
                label: t.t("choose-one"),
                selected: current.is_empty(),
            });
        }
        for (value, label) in choices {
            f.options.push(Opt {
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
            .map(|(value, label)| Opt {
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
    pub fn respond(self, status: StatusCode) -> Response {
        (status, render(&self)).into_response()
    }

    /// The form again, with the core's field errors (422) or a conflict's reason (409).
    pub fn refused(mut self, err: haven_core::Error) -> Result<Response, haven_core::Error> {
        match err {
            haven_core::Error::Invalid(fields) => {
                self.errors = FormErrors::from_fields(&self.t, &fields);
                Ok(self.respond(StatusCode::UNPROCESSABLE_ENTITY))
            }
            haven_core::Error::Conflict(code) => {
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
