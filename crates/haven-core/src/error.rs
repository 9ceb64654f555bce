//! The one error type of the core.
//!
//! Use [`Error::Invalid`] for input a person can fix (each [`FieldError`] names the field and
//! a message id from the translation files), [`Error::Forbidden`] when the actor lacks a
//! permission or may not see the object, [`Error::NotFound`] when it does not exist *or* is
//! not visible to the actor and saying so would leak its existence, [`Error::Conflict`] for a
//! state clash, [`Error::Unavailable`] when the storage could not take or give the data (a
//! full disk, an I/O error, a lost or busy database: nothing was saved, try again later), and
//! [`Error::Internal`] for everything else. Only `haven-web` maps these to HTTP; the detail of
//! an internal or storage error is logged there and never shown.

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
    /// The storage failed (disk full, I/O error, database unreachable or busy, or a commit
    /// that did not happen). Nothing of the work was saved; the same request may succeed
    /// later without anything being fixed by the user.
    #[error("storage unavailable: {0}")]
    Unavailable(anyhow::Error),
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
        if is_storage_failure(&e) {
            Self::Unavailable(e.into())
        } else {
            Self::Internal(e.into())
        }
    }
}

/// Whether a database error says the storage, not the statement, failed: the same
/// statement may succeed later. SQLite: busy, locked, out of memory, read-only, I/O error,
/// disk full, cannot open (primary result codes 5, 6, 7, 8, 10, 13, 14). PostgreSQL: the
/// SQLSTATE classes for a lost connection (08), a rolled-back transaction (40),
/// insufficient resources such as a full disk (53), operator intervention (57) and system
/// errors (58).
fn is_storage_failure(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                matches!(pg.code().get(..2), Some("08" | "40" | "53" | "57" | "58"))
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                let code = db.code().and_then(|c| c.parse::<i32>().ok()).unwrap_or(0);
                matches!(code & 0xff, 5 | 6 | 7 | 8 | 10 | 13 | 14)
            } else {
                false
            }
        }
        _ => false,
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
