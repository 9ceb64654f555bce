//! The one error type of the core.
//!
//! Use [`Error::Invalid`] for input a person can fix (each [`FieldError`] names the field and
//! a message id from the translation files), [`Error::Forbidden`] when the actor lacks a
//! permission or may not see the object, [`Error::NotFound`] when it does not exist *or* is
//! not visible to the actor and saying so would leak its existence, [`Error::Conflict`] for a
//! state clash, and [`Error::Internal`] for everything else. Only `haven-web` maps these to
//! HTTP; an internal error's detail is logged there and never shown.

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem with one input field. `code` is a Fluent message id, e.g. `err-required`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A clash with the current state; the string is a Fluent message id.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The person's data key was destroyed: the record exists but can never be read again.
    #[error("erased")]
    Erased,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        Self::Invalid(vec![FieldError::new(field, code)])
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

/// Collects field errors so a form reports every problem at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }

    /// Records the error of a parse result and returns its value, if any.
    pub fn take<T>(&mut self, r: std::result::Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}
