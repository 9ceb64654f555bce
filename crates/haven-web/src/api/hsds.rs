//! The public HSDS 3.0 API under `/api/hsds/`: read-only, no sign-in, published entries
//! only. Paging and filters follow the HSDS OpenAPI description; `lang` chooses the
//! language of the text (falling back to each entry's source language) and `language`
//! filters services by a language they are offered in (see docs/hsds-profile.md).
//!
//! Responses carry an ETag (a hash of the body) and may be cached for a minute. The lists
//! are also kept here, compressed, per query string, for at most a minute and only until
//! the next publish (`directory::generation`), within [`CACHE_BYTES`]: a directory's
//! visitors ask the same few questions (a need, a language), and an answer costs about
//! 5 ms of CPU to compute and 0.1 ms to resend.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use haven_core::directory::{hsds, import, query};
use haven_core::{Ctx, Error, FieldError};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::sync::Arc;

use crate::api::{Forbidden, Invalid, StaffApi, Unauthorized};
use crate::error::{ApiErr, ErrExt};
use crate::extract::Id;
use crate::i18n::Tr;
use crate::site::cache::{Cache, Rendered};
use crate::AppState;

/// The profile document, served at `/api/hsds/profile`.
const PROFILE: &str = include_str!("../../../../docs/hsds-profile.md");

/// Query parameters, checked. Unknown parameters are ignored, as HSDS clients may send
/// parameters of other profiles.
#[derive(Default)]
struct Params {
    page: query::Paging,
    words: Vec<String>,
    filter: query::ServiceFilter,
    view: query::View,
    full_service: bool,
    taxonomy_id: Option<String>,
    parent_id: Option<String>,
    top_only: bool,
}

fn parse_params(raw: Option<&str>) -> Result<Params, Error> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| Error::invalid("query", "err-hsds-query"))?;
    let mut p = Params::default();
    let mut errs = Vec::new();
    let flag = |v: &str| match v {
        "true" | "1" => Some(true),
        "false" | "0" | "" => Some(false),
        _ => None,
    };
    let id_like = |v: &str| plausible_id(v);
    for (k, v) in &pairs {
        match k.as_str() {
            "page" => match v.parse::<i64>() {
                Ok(n) if (1..=1_000_000).contains(&n) => p.page.page = n,
                _ => errs.push(FieldError::new("page", "err-hsds-page")),
            },
            "per_page" => match v.parse::<i64>() {
                Ok(n) if (1..=query::MAX_PER_PAGE).contains(&n) => p.page.per_page = n,
                _ => errs.push(FieldError::new("per_page", "err-hsds-per-page")),
            },
            "search" => {
                if v.chars().count() > 200 {
                    errs.push(FieldError::new("search", "err-hsds-search"));
                } else {
                    p.words = hsds::words(v).into_iter().take(8).collect();
                    if p.words.is_empty() && !v.trim().is_empty() {
                        // Text with no word of two letters (`a`, `أ`, `.`): it matches
                        // nothing. The empty word is never indexed, so no entry has it.
                        p.words = vec![String::new()];
                    }
                }
            }
            "full" => match flag(v) {
                Some(b) => p.view.full = b,
                None => errs.push(FieldError::new("full", "err-hsds-boolean")),
            },
            "full_service" => match flag(v) {
                Some(b) => p.full_service = b,
                None => errs.push(FieldError::new("full_service", "err-hsds-boolean")),
            },
            "top_only" => match flag(v) {
                Some(b) => p.top_only = b,
                None => errs.push(FieldError::new("top_only", "err-hsds-boolean")),
            },
            "minimal" if flag(v).is_none() => {
                errs.push(FieldError::new("minimal", "err-hsds-boolean"))
            }
            "format" if v != "json" => errs.push(FieldError::new("format", "err-hsds-format")),
            "modified_after" => match hsds::parse_time(v) {
                Some(t) => p.filter.modified_after = Some(t),
                None => errs.push(FieldError::new("modified_after", "err-hsds-datetime")),
            },
            "lang" => match hsds::parse_lang(v) {
                Some(l) => p.view.lang = Some(l),
                None => errs.push(FieldError::new("lang", "err-hsds-lang")),
            },
            "language" => match hsds::parse_lang(v) {
                Some(l) => p.filter.language = Some(l),
                None => errs.push(FieldError::new("language", "err-hsds-lang")),
            },
            "taxonomy_term_id" if id_like(v) => p.filter.taxonomy_term_id = Some(v.clone()),
            "taxonomy_id" if id_like(v) => {
                p.filter.taxonomy_id = Some(v.clone());
                p.taxonomy_id = Some(v.clone());
            }
            "organization_id" if id_like(v) => p.filter.organization_id = Some(v.clone()),
            "parent_id" if id_like(v) => p.parent_id = Some(v.clone()),
            "taxonomy_term_id" | "taxonomy_id" | "organization_id" | "parent_id" => {
                errs.push(FieldError::new("id", "err-hsds-id"))
            }
            "postcode" | "proximity" => {
                errs.push(FieldError::new("postcode", "err-hsds-proximity"))
            }
            _ => {}
        }
    }
    p.filter.words = p.words.clone();
    if errs.is_empty() {
        Ok(p)
    } else {
        Err(Error::Invalid(errs))
    }
}

/// Ids are at most 100 characters without control characters (PostgreSQL refuses a NUL
/// in text); anything else cannot name an entry.
fn plausible_id(v: &str) -> bool {
    v.len() <= 100 && !v.trim().is_empty() && !v.chars().any(char::is_control)
}

/// A JSON response with an ETag; answers `304 Not Modified` when the client has it.
fn cached(headers: &HeaderMap, v: &impl serde::Serialize) -> Response {
    let body = match serde_json::to_vec(v) {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let cache = HeaderValue::from_static("public, max-age=60");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, "public, max-age=60".into()),
            ],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, cache),
            (
                header::ETAG,
                HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
            ),
        ],
        body,
    )
        .into_response()
}

type Res = Result<Response, ApiErr>;

/// The most bytes of list answers kept in memory (plain and gzip).
pub const CACHE_BYTES: usize = 32 << 20;

/// How long a kept list answer is served at most, in seconds: another server process on
/// the same database publishes without this one's generation moving.
const MAX_AGE: i64 = 60;

/// A public request's opening: what an answer depends on, none of which can fail. The
/// query string is checked by [`Hsds::params`] in the handlers that read it, so that those
/// that do not (one taxonomy, one term) answer whatever it says.
pub struct Hsds {
    ctx: Ctx,
    cache: Arc<Cache>,
    t: Tr,
    headers: HeaderMap,
    uri: Uri,
}

impl FromRequestParts<AppState> for Hsds {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let Ok(t) = Tr::from_request_parts(parts, state).await;
        Ok(Hsds {
            ctx: state.ctx.clone(),
            cache: state.hsds_cache.clone(),
            t,
            headers: parts.headers.clone(),
            uri: parts.uri.clone(),
        })
    }
}

impl Hsds {
    /// The query's parameters, checked (422 naming each bad one).
    fn params(&self) -> Result<Params, ApiErr> {
        parse_params(self.uri.query()).map_err(self.t.api())
    }

    /// 404 for an id that cannot name an entry, before it reaches a query.
    fn known(&self, id: &str) -> Result<(), ApiErr> {
        if plausible_id(id) {
            Ok(())
        } else {
            Err(self.t.api()(Error::NotFound))
        }
    }

    /// The answer with one entry (or page), with its ETag.
    fn one<T: serde::Serialize>(&self, v: Result<T, Error>) -> Res {
        Ok(cached(&self.headers, &v.map_err(self.t.api())?))
    }

    /// A list answer from the cache, or made by `make` and kept, keyed by path and query
    /// string as sent (see [`crate::site::cache::Cache::get_or_make`]).
    async fn listed<T: serde::Serialize>(
        &self,
        make: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Res {
        let key = self
            .uri
            .path_and_query()
            .map_or("", |p| p.as_str())
            .to_owned();
        let now = self.ctx.clock.now_ts();
        let t = &self.t;
        self.cache
            .get_or_make(key, now, &self.headers, |generation| async move {
                let v = make.await.map_err(t.api())?;
                let body = serde_json::to_vec(&v)
                    .map_err(|e| t.api()(Error::Internal(anyhow::Error::from(e))))?;
                let expires = now.saturating_add(MAX_AGE);
                Ok(Rendered::json(body, generation, expires))
            })
            .await
    }
}

/// `/api/hsds/`: the HSDS version and Haven's profile, at the configured public address
/// (`WebConfig::public_url`; relative without one), never at a forgeable `Host` header's.
pub async fn root(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    headers: HeaderMap,
) -> Response {
    let origin = state.cfg.public_url.as_deref().unwrap_or("");
    let v = serde_json::json!({
        "version": hsds::HSDS_VERSION,
        "profile": format!("{origin}/api/hsds/profile"),
        "openapi_url": format!("{origin}/api/hsds/openapi.json"),
    });
    cached(&headers, &v)
}

/// The profile: Haven's extensions to HSDS, as Markdown.
pub async fn profile() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        PROFILE,
    )
        .into_response()
}

/// The OpenAPI document of this API.
pub async fn openapi(headers: HeaderMap) -> Response {
    cached(&headers, &openapi_document())
}

pub async fn services(h: Hsds) -> Res {
    let p = h.params()?;
    let list = query::list_services(&h.ctx, &p.filter, &p.view, p.page);
    h.listed(list).await
}

pub async fn service(h: Hsds, Id(id): Id<String>) -> Res {
    h.known(&id)?;
    let p = h.params()?;
    h.one(query::get_service(&h.ctx, &id, p.view.lang.as_deref()).await)
}

pub async fn organizations(h: Hsds) -> Res {
    let p = h.params()?;
    let list = query::list_organizations(&h.ctx, &p.words, &p.view, p.full_service, p.page);
    h.listed(list).await
}

pub async fn organization(h: Hsds, Id(id): Id<String>) -> Res {
    h.known(&id)?;
    let p = h.params()?;
    let lang = p.view.lang.as_deref();
    h.one(query::get_organization(&h.ctx, &id, lang, p.full_service).await)
}

pub async fn service_at_locations(h: Hsds) -> Res {
    let p = h.params()?;
    let list = query::list_service_at_locations(&h.ctx, &p.filter, &p.view, p.page);
    h.listed(list).await
}

pub async fn service_at_location(h: Hsds, Id(id): Id<String>) -> Res {
    h.known(&id)?;
    let p = h.params()?;
    h.one(query::get_service_at_location(&h.ctx, &id, p.view.lang.as_deref()).await)
}

pub async fn taxonomies(h: Hsds) -> Res {
    let p = h.params()?;
    h.one(query::list_taxonomies(&h.ctx, &p.words, p.page).await)
}

pub async fn taxonomy(h: Hsds, Id(id): Id<String>) -> Res {
    h.known(&id)?;
    h.one(query::get_taxonomy(&h.ctx, &id).await)
}

pub async fn taxonomy_terms(h: Hsds) -> Res {
    let p = h.params()?;
    let f = query::TermFilter {
        words: p.words,
        taxonomy_id: p.taxonomy_id,
        parent_id: p.parent_id,
        top_only: p.top_only,
    };
    h.one(query::list_taxonomy_terms(&h.ctx, &f, p.page).await)
}

pub async fn taxonomy_term(h: Hsds, Id(id): Id<String>) -> Res {
    h.known(&id)?;
    h.one(query::get_taxonomy_term(&h.ctx, &id).await)
}

/// Import an HSDS dataset in one of the JSON forms (an organization, service or
/// service_at_location; a list or a Page of them; `tabular.json`). Everything importable
/// is published; the report lists every record that was not, with the reason. Audited.
#[utoipa::path(post, path = "/api/v1/directory/import", tag = "directory",
    request_body(content = Object, description = "An HSDS JSON document", content_type = "application/json"),
    responses((status = 200, body = import::Report), Unauthorized, Forbidden, Invalid))]
pub async fn import_json(a: StaffApi, body: String) -> Result<axum::Json<import::Report>, ApiErr> {
    a.s.actor
        .require(haven_core::Permission::DirectoryPublish)
        .map_err(|e| a.err(e))?;
    let data = import::read_json("request", &body)
        .map_err(|_| a.err(Error::invalid("body", "err-json")))?;
    a.json(import::import(&a.ctx, &a.s.actor, data).await)
}

fn page_schema(item: &str) -> Value {
    serde_json::json!({
        "allOf": [{"$ref": "#/components/schemas/Page"}],
        "type": "object",
        "properties": {"contents": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}},
        "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]
    })
}

/// The OpenAPI 3.1 description of `/api/hsds/`, with the HSDS parameters Haven accepts.
/// Item schemas are kept open (`type: object` with the HSDS required fields); the
/// compiled HSDS schemas are the authority and the test suite validates against them.
pub fn openapi_document() -> Value {
    use serde_json::json;
    let p = |name: &str, desc: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema});
    let params = json!({
        "search": p("search", "Full-text search: every word must occur in the name, alternate name or description in any language (case and accents ignored).", json!({"type": "string", "maxLength": 200})),
        "page": p("page", "Page number, from 1.", json!({"type": "integer", "minimum": 1, "maximum": 1000000})),
        "per_page": p("per_page", "Items per page (1–200, default 50).", json!({"type": "integer", "minimum": 1, "maximum": 200})),
        "format": p("format", "Only `json` is offered.", json!({"type": "string", "enum": ["json"]})),
        "full": p("full", "Fully nested objects.", json!({"type": "boolean"})),
        "minimal": p("minimal", "Accepted for compatibility; has no effect.", json!({"type": "boolean"})),
        "full_service": p("full_service", "Organizations with their services fully nested.", json!({"type": "boolean"})),
        "taxonomy_term_id": p("taxonomy_term_id", "Only entries with this taxonomy term among their attributes.", json!({"type": "string", "minLength": 1, "maxLength": 100})),
        "taxonomy_id": p("taxonomy_id", "Only entries with a term of this taxonomy.", json!({"type": "string", "minLength": 1, "maxLength": 100})),
        "organization_id": p("organization_id", "Only services of this organization.", json!({"type": "string", "minLength": 1, "maxLength": 100})),
        "modified_after": p("modified_after", "Only entries changed on or after this time (RFC 3339 date-time or a date).", json!({"type": "string", "format": "date-time"})),
        "lang": p("lang", "Haven extension: the language of the text (BCP 47, e.g. `fr`, `ar`, `ti`). Entries without a translation fall back to their source language.", json!({"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", "maxLength": 12})),
        "language": p("language", "Haven extension: only services offered in this language (HSDS `languages[].code`).", json!({"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", "maxLength": 12})),
        "parent_id": p("parent_id", "Only terms with this parent.", json!({"type": "string", "minLength": 1, "maxLength": 100})),
        "top_only": p("top_only", "Only terms without a parent.", json!({"type": "boolean"})),
    });
    let r = |n: &str| json!({"$ref": format!("#/components/parameters/{n}")});
    let err = json!({"description": "A parameter is not valid; `fields` names each one.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let not_found = json!({"description": "No published entry has this id.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let ok = |schema: Value, d: &str| json!({"description": d, "content": {"application/json": {"schema": schema}}});
    let list = |item: &str, params: Vec<Value>, d: &str| json!({"get": {"summary": d, "parameters": params, "responses": {"200": ok(page_schema(item), d), "304": {"description": "Not modified (ETag)."}, "422": err.clone()}}});
    let one = |item: &str, d: &str, params: Vec<Value>| {
        let mut all = vec![
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        ];
        all.extend(params);
        json!({"get": {"summary": d, "parameters": all, "responses": {"200": ok(json!({"$ref": format!("#/components/schemas/{item}")}), d), "304": {"description": "Not modified (ETag)."}, "404": not_found.clone(), "422": err.clone()}}})
    };
    let obj = |req: &[&str]| json!({"type": "object", "required": req, "properties": {"id": {"type": "string"}}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Haven services directory (HSDS 3.0)",
            "version": hsds::HSDS_VERSION,
            "description": "The public, read-only Open Referral HSDS 3.0 API of Haven's services directory. Only reviewed (published) entries are served. Haven's extensions are described in the profile at /api/hsds/profile.",
            "license": {"name": "AGPL-3.0-or-later"}
        },
        "paths": {
            "/api/hsds/": {"get": {"summary": "The HSDS version and Haven's profile.", "responses": {"200": ok(json!({"type": "object", "required": ["version", "profile"], "properties": {"version": {"type": "string"}, "profile": {"type": "string", "format": "uri"}, "openapi_url": {"type": "string", "format": "uri"}}}), "About this API"), "304": {"description": "Not modified (ETag)."}}}},
            "/api/hsds/services": list("Service", vec![r("search"), r("page"), r("per_page"), r("format"), r("taxonomy_term_id"), r("taxonomy_id"), r("organization_id"), r("modified_after"), r("minimal"), r("full"), r("lang"), r("language")], "Services"),
            "/api/hsds/services/{id}": one("Service", "A service, fully nested", vec![r("lang")]),
            "/api/hsds/organizations": list("Organization", vec![r("search"), r("full_service"), r("full"), r("page"), r("per_page"), r("format"), r("lang")], "Organizations"),
            "/api/hsds/organizations/{id}": one("Organization", "An organization, fully nested", vec![r("full_service"), r("lang")]),
            "/api/hsds/service_at_locations": list("ServiceAtLocation", vec![r("search"), r("taxonomy_term_id"), r("taxonomy_id"), r("organization_id"), r("modified_after"), r("full"), r("page"), r("per_page"), r("format"), r("lang"), r("language")], "Services at locations"),
            "/api/hsds/service_at_locations/{id}": one("ServiceAtLocation", "A service at a location, fully nested", vec![r("lang")]),
            "/api/hsds/taxonomies": list("Taxonomy", vec![r("search"), r("page"), r("per_page"), r("format")], "Taxonomies"),
            "/api/hsds/taxonomies/{id}": one("Taxonomy", "A taxonomy", vec![]),
            "/api/hsds/taxonomy_terms": list("TaxonomyTerm", vec![r("search"), r("page"), r("per_page"), r("format"), r("taxonomy_id"), r("top_only"), r("parent_id")], "Taxonomy terms"),
            "/api/hsds/taxonomy_terms/{id}": one("TaxonomyTerm", "A taxonomy term", vec![]),
        },
        "components": {
            "parameters": params,
            "schemas": {
                "Page": {"type": "object", "properties": {
                    "total_items": {"type": "integer"}, "total_pages": {"type": "integer"},
                    "page_number": {"type": "integer"}, "size": {"type": "integer"},
                    "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"},
                    "empty": {"type": "boolean"}}},
                "Service": obj(&["id", "name", "status"]),
                "Organization": obj(&["id", "name", "description"]),
                "ServiceAtLocation": obj(&["id"]),
                "Taxonomy": obj(&["id", "name", "description"]),
                "TaxonomyTerm": obj(&["id", "name", "description"]),
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string"}, "message": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "object", "properties": {
                        "field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}}
            }
        }
    })
}
