//! Haven's HTTP layer: the only crate that knows about HTTP.
//!
//! * [`routes`] holds the route table: every route with its method, path and the [`Access`]
//!   it needs. The router is built from it, the authorization middleware (`auth`) enforces
//!   it, and the authorization-matrix test walks it.
//! * [`extract`] opens every handler: typed path values, a staff page's session, language
//!   and chrome.
//! * `pages` render HTML (askama templates in `templates/`), `api` speaks JSON under
//!   `/api/v1/` and describes itself in an OpenAPI 3.1 document.
//! * [`i18n`] reads interface text from `locales/*.ftl`.

pub mod access;
pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod pages;
pub mod routes;
pub mod security;
pub mod site;
pub mod throttle;
pub mod views;

use axum::Router;
use haven_core::Ctx;
use std::net::SocketAddr;
use std::sync::Arc;

pub use access::{Access, RouteSpec};
pub use routes::route_table;

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Demo mode: users without a second factor may sign in, and every page says so.
    pub demo: bool,
    /// Served behind TLS: secure cookies and HSTS.
    pub tls: bool,
    /// The site's public address (`HAVEN_PUBLIC_URL`, e.g. `https://haven.example.org`, as
    /// checked by [`WebConfig::public_origin`]): printed on leaflets and in the HSDS API's
    /// root. Never taken from a request's `Host` header, which anyone can forge. Without
    /// it, a leaflet prints the page's path and no QR code.
    pub public_url: Option<String>,
    /// The reporting hub's global budgets (`site::budget`).
    pub report_limits: site::budget::ReportLimits,
}

impl WebConfig {
    /// Checks a public address and gives its origin without a trailing slash: `http://` or
    /// `https://`, a host name of letters, digits, dots, dashes (and a port), nothing after.
    pub fn public_origin(url: &str) -> anyhow::Result<String> {
        let url = url.trim().trim_end_matches('/');
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| {
                anyhow::anyhow!("HAVEN_PUBLIC_URL must start with https:// or http://")
            })?;
        let ok = !host.is_empty()
            && host.len() <= 255
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
        if !ok {
            anyhow::bail!(
                "HAVEN_PUBLIC_URL must be the site's address only, such as https://haven.example.org"
            );
        }
        Ok(url.to_owned())
    }
}

#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
    pub i18n: Arc<i18n::I18n>,
    pub cfg: Arc<WebConfig>,
    pub throttle: Arc<throttle::Throttle>,
    pub access: Arc<access::AccessMap>,
    /// The public site's interface text (twelve languages).
    pub site_i18n: Arc<i18n::I18n>,
    /// Rendered public pages (see `site::cache`).
    pub site_cache: Arc<site::cache::Cache>,
    /// The public HSDS API's answers (see `api::hsds`), within a byte budget.
    pub hsds_cache: Arc<site::cache::Cache>,
    /// The reporting hub's flood protection, which identifies nobody (`site::budget`).
    pub report_budget: Arc<site::budget::ReportBudget>,
}

impl AppState {
    pub fn new(ctx: Ctx, cfg: WebConfig) -> anyhow::Result<Self> {
        Ok(Self {
            report_budget: Arc::new(site::budget::ReportBudget::new(cfg.report_limits)),
            ctx,
            i18n: Arc::new(i18n::I18n::load()?),
            cfg: Arc::new(cfg),
            throttle: Arc::new(throttle::Throttle::default()),
            access: Arc::new(routes::access_map()),
            site_i18n: Arc::new(i18n::I18n::load_public()?),
            site_cache: Arc::default(),
            hsds_cache: Arc::new(site::cache::Cache::with_budget(api::hsds::CACHE_BYTES)),
        })
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}

/// Serves until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Other servers on the same PostgreSQL database tell this one what they publish.
    haven_core::generation::follow(&state.ctx);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::WebConfig;

    #[test]
    fn a_public_address_is_an_origin_and_nothing_else() {
        let ok = WebConfig::public_origin(" https://haven.example.org/ ").unwrap();
        assert_eq!(ok, "https://haven.example.org");
        assert_eq!(
            WebConfig::public_origin("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "haven.example.org",
            "ftp://haven.example.org",
            "https://",
            "https://haven.example.org/path",
            "https://haven.example.org?x=1",
            "https://evil\".example",
        ] {
            assert!(WebConfig::public_origin(bad).is_err(), "{bad}");
        }
    }
}
