//! Rendered public pages, kept in memory already compressed; the public HSDS API keeps
//! its JSON answers in a second cache of the same kind, with a byte budget.
//!
//! A page is keyed by its path (which holds the language) and remembers the content
//! generation it was rendered from ([`haven_core::content::generation`]) and the moment it
//! stops being true (when a story on it expires). Publishing or withdrawing anything moves
//! the generation on, so every page is rendered afresh on its next request; nothing waits
//! for a timer. Only pages that exist are kept, so the cache holds at most one entry per
//! published page and language.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

/// One page, as sent: plain, gzip and brotli (pages only), with its ETag.
pub struct Rendered {
    content_type: HeaderValue,
    generation: u64,
    valid_until: i64,
    etag: HeaderValue,
    plain: Bytes,
    gzip: Bytes,
    br: Bytes,
}

impl Rendered {
    pub fn new(html: String, generation: u64, valid_until: i64) -> Arc<Self> {
        let html_type = HeaderValue::from_static("text/html; charset=utf-8");
        Self::build(html.into_bytes(), html_type, generation, valid_until, true)
    }

    /// A JSON answer: gzip at the default level and no brotli, as it is made on a request
    /// (a page is small and compressed hard once; an API page is larger and varied).
    pub fn json(body: Vec<u8>, generation: u64, valid_until: i64) -> Arc<Self> {
        let json_type = HeaderValue::from_static("application/json");
        Self::build(body, json_type, generation, valid_until, false)
    }

    fn build(
        body: Vec<u8>,
        content_type: HeaderValue,
        generation: u64,
        valid_until: i64,
        page: bool,
    ) -> Arc<Self> {
        let plain = Bytes::from(body);
        let digest = Sha256::digest(&plain);
        let etag = format!("\"{}\"", hex::encode(&digest[..12]));
        let level = if page {
            flate2::Compression::best()
        } else {
            flate2::Compression::default()
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), level);
        let gzip = gz
            .write_all(&plain)
            .and_then(|_| gz.finish())
            .unwrap_or_default();
        let mut br = Vec::new();
        if page {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 20);
            let _ = w.write_all(&plain);
        }
        Arc::new(Self {
            content_type,
            generation,
            valid_until,
            etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
            plain,
            gzip: Bytes::from(gzip),
            br: Bytes::from(br),
        })
    }

    /// The bytes it holds.
    fn size(&self) -> usize {
        self.plain.len() + self.gzip.len() + self.br.len()
    }

    /// 304 when the browser holds this version; else the best encoding it accepts.
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        let fresh = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|tag| tag.trim().trim_start_matches("W/") == self.etag);
        let common = [
            (header::ETAG, self.etag.clone()),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            ),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ];
        if fresh {
            return (StatusCode::NOT_MODIFIED, common).into_response();
        }
        let accepts = |coding: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|part| {
                    let mut it = part.split(';');
                    let name = it.next().unwrap_or("").trim();
                    let refused = it.any(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.trim().parse::<f32>().ok())
                            == Some(0.0)
                    });
                    name.eq_ignore_ascii_case(coding) && !refused
                })
        };
        let html = self.content_type.clone();
        if accepts("br") && !self.br.is_empty() {
            (
                common,
                [
                    (header::CONTENT_TYPE, html),
                    (header::CONTENT_ENCODING, HeaderValue::from_static("br")),
                ],
                self.br.clone(),
            )
                .into_response()
        } else if accepts("gzip") && !self.gzip.is_empty() {
            (
                common,
                [
                    (header::CONTENT_TYPE, html),
                    (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                ],
                self.gzip.clone(),
            )
                .into_response()
        } else {
            (common, [(header::CONTENT_TYPE, html)], self.plain.clone()).into_response()
        }
    }
}

/// The generation pages are rendered from: content and directory together. Both counters
/// only grow, so their sum moves whenever either does.
pub fn generation() -> u64 {
    haven_core::content::generation().wrapping_add(haven_core::directory::generation())
}

#[derive(Default)]
pub struct Cache {
    pages: RwLock<HashMap<String, Arc<Rendered>>>,
    /// The most bytes kept, 0 for no limit. The site's pages need none (one per published
    /// page and language); the HSDS API's keys are whatever query strings arrive.
    budget: usize,
    /// Renders of a missing page wait for each other, so that when a page expires under
    /// load one request renders it and the others are served what it rendered. A fixed
    /// set of locks, chosen by the key's hash: memory stays bounded whatever is asked.
    renders: [tokio::sync::Mutex<()>; 16],
}

impl Cache {
    /// A cache that keeps at most `bytes`; when full, new answers are served but not kept
    /// until older ones expire or the generation moves on.
    pub fn with_budget(bytes: usize) -> Self {
        Self {
            budget: bytes,
            ..Self::default()
        }
    }

    /// The answer under `key`, or the one `make` produces, which is kept. One request at a
    /// time makes a missing answer; whoever waited is served what it made. `make` gets the
    /// generation read before it starts, so a publish while it runs leaves its answer
    /// stale at once. An error is answered as it is, never kept.
    pub async fn get_or_make<E, Fut>(
        &self,
        key: String,
        now: i64,
        headers: &HeaderMap,
        make: impl FnOnce(u64) -> Fut,
    ) -> Result<Response, E>
    where
        Fut: std::future::Future<Output = Result<Arc<Rendered>, E>>,
    {
        if let Some(a) = self.get(&key, now) {
            return Ok(a.respond(headers));
        }
        let _making = self.render_lock(&key).lock().await;
        if let Some(a) = self.get(&key, now) {
            return Ok(a.respond(headers));
        }
        let made = make(generation()).await?;
        let response = made.respond(headers);
        self.put(key, made, now);
        Ok(response)
    }

    /// The lock a render of `key` holds.
    fn render_lock(&self, key: &str) -> &tokio::sync::Mutex<()> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        &self.renders[(h.finish() % self.renders.len() as u64) as usize]
    }

    /// The page under `key`, if it is still current.
    pub fn get(&self, key: &str, now: i64) -> Option<Arc<Rendered>> {
        let generation = generation();
        let pages = self.pages.read().ok()?;
        pages
            .get(key)
            .filter(|p| p.generation == generation && now < p.valid_until)
            .cloned()
    }

    /// Keeps `page` under `key` unless it is stale already or the budget is spent.
    pub fn put(&self, key: String, page: Arc<Rendered>, now: i64) {
        let generation = generation();
        if page.generation != generation || page.valid_until <= now {
            return;
        }
        if let Ok(mut pages) = self.pages.write() {
            // Drop what an earlier generation or time left behind.
            pages.retain(|_, p| p.generation == generation && now < p.valid_until);
            if self.budget > 0 {
                let used: usize = pages.values().map(|p| p.size()).sum();
                if used + page.size() > self.budget {
                    return;
                }
            }
            pages.insert(key, page);
        }
    }

    /// How many answers are kept.
    pub fn entries(&self) -> usize {
        self.pages.read().map(|p| p.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_bounds_what_is_kept_and_stale_answers_are_not_kept() {
        let g = generation();
        let cache = Cache::with_budget(1_500);
        let big = || Rendered::json(vec![b'x'; 1_000], g, 100);
        cache.put("a".into(), big(), 10);
        assert_eq!(cache.entries(), 1);
        // 1,000 plain bytes and a few dozen of gzip: a second one no longer fits.
        cache.put("b".into(), big(), 10);
        assert_eq!(cache.entries(), 1);
        assert!(cache.get("a", 10).is_some());
        assert!(cache.get("b", 10).is_none());
        // Expired answers make room.
        cache.put("c".into(), Rendered::json(vec![b'y'; 1_000], g, 300), 100);
        assert!(cache.get("a", 100).is_none());
        assert!(cache.get("c", 100).is_some());
        // An answer expired already, or from an earlier generation, is not kept.
        cache.put("d".into(), Rendered::json(b"{}".to_vec(), g, 50), 100);
        assert!(cache.get("d", 100).is_none());
        cache.put(
            "e".into(),
            Rendered::json(b"{}".to_vec(), g.wrapping_sub(1), 300),
            100,
        );
        assert!(cache.get("e", 100).is_none());
        // Without a budget, everything current is kept.
        let site = Cache::default();
        for k in ["x", "y", "z"] {
            site.put(k.into(), big(), 10);
        }
        assert_eq!(site.entries(), 3);
    }
}
