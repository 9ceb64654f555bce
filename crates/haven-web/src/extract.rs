//! Extractors that open every handler, so that a handler is the core call and its view.
//!
//! * [`Id`]: the typed ids in the path (`Id(site): Id<SiteId>`, or a tuple
//!   `Id((id, lang)): Id<(ContentId, String)>`). A malformed id is "not found", as a page
//!   or a JSON error in the reader's language, the same answer as an id that does not
//!   exist, so a probe learns nothing from the shape of what it sends.
//! * [`StaffPage`]: a staff page's opening: the application, the signed-in session, the
//!   reader's language and the page chrome (header, navigation, footer) for the requested
//!   path.
//! * [`DirKind`]: a directory entry's kind in the path (`organization`, `service`,
//!   `location`), for the directory's pages and API alike.
//!
//! The public site's language (`/{lang}/…`) has its own extractor, `site::SiteLang`, since
//! a language the site does not speak is the public site's own not-found page.

use axum::extract::{FromRequestParts, OriginalUri, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use haven_core::directory::Kind;
use haven_core::users::Session;
use haven_core::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::auth::Staff;
use crate::error::{ApiErr, PageErr};
use crate::i18n::Tr;
use crate::views::Chrome;
use crate::AppState;

/// Whether a request is for the JSON API, whose errors are JSON bodies.
pub fn is_api(parts: &Parts) -> bool {
    parts.uri.path().starts_with("/api/")
}

/// The error response for a request, as JSON under `/api/` and as a page elsewhere.
pub async fn error_response(parts: &mut Parts, state: &AppState, err: Error) -> Response {
    let Ok(tr) = Tr::from_request_parts(parts, state).await;
    if is_api(parts) {
        ApiErr { err, tr }.into_response()
    } else {
        PageErr { err, tr }.into_response()
    }
}

/// Typed values of the path: ids (any of `haven_core::ids`) and other segments.
pub struct Id<T>(pub T);

impl<T> FromRequestParts<AppState> for Id<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(Id(v)),
            Err(_) => Err(error_response(parts, state, Error::NotFound).await),
        }
    }
}

/// A staff page's opening: the application, who is asking, in which language, and the
/// page's chrome.
pub struct StaffPage {
    pub app: AppState,
    pub s: Session,
    pub t: Tr,
    pub chrome: Chrome,
}

impl StaffPage {
    /// The chrome of the page at `path`, for an answer that shows another page than the
    /// one asked for (a refused action shown on the page it was sent from).
    pub fn chrome_at(&self, path: &str) -> Chrome {
        Chrome::staff(&self.s, &self.t, path, self.chrome.demo)
    }
}

impl FromRequestParts<AppState> for StaffPage {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Staff(s) = Staff::from_request_parts(parts, state).await?;
        let Ok(t) = Tr::from_request_parts(parts, state).await;
        let path = match parts.extensions.get::<OriginalUri>() {
            Some(OriginalUri(uri)) => uri.path().to_owned(),
            None => parts.uri.path().to_owned(),
        };
        let chrome = Chrome::staff(&s, &t, &path, state.cfg.demo);
        let app = state.clone();
        Ok(StaffPage { app, s, t, chrome })
    }
}

/// A directory entry's kind as the path names it; any other word is "not found".
#[derive(Debug, Clone, Copy)]
pub struct DirKind(pub Kind);

impl DirKind {
    pub fn parse(s: &str) -> Result<Kind, Error> {
        match s {
            "organization" => Ok(Kind::Organization),
            "service" => Ok(Kind::Service),
            "location" => Ok(Kind::Location),
            _ => Err(Error::NotFound),
        }
    }
}

impl<'de> Deserialize<'de> for DirKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s)
            .map(DirKind)
            .map_err(|_| serde::de::Error::custom("not a directory kind"))
    }
}
