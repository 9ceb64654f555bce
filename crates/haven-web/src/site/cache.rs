//! Rendered public pages, kept in memory already compressed.
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

/// One page, as sent: plain, gzip and brotli, with its ETag.
pub struct Rendered {
    generation: u64,
    valid_until: i64,
    etag: HeaderValue,
    plain: Bytes,
    gzip: Bytes,
    br: Bytes,
}

impl Rendered {
    pub fn new(html: String, generation: u64, valid_until: i64) -> Arc<Self> {
        let plain = Bytes::from(html);
        let digest = Sha256::digest(&plain);
        let etag = format!("\"{}\"", hex::encode(&digest[..12]));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let gzip = gz
            .write_all(&plain)
            .and_then(|_| gz.finish())
            .unwrap_or_default();
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 20);
            let _ = w.write_all(&plain);
        }
        Arc::new(Self {
            generation,
            valid_until,
            etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
            plain,
            gzip: Bytes::from(gzip),
            br: Bytes::from(br),
        })
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
        let html = HeaderValue::from_static("text/html; charset=utf-8");
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
    /// Renders of a missing page wait for each other, so that when a page expires under
    /// load one request renders it and the others are served what it rendered. A fixed
    /// set of locks, chosen by the key's hash: memory stays bounded whatever is asked.
    renders: [tokio::sync::Mutex<()>; 16],
}

impl Cache {
    /// The lock a render of `key` holds.
    pub fn render_lock(&self, key: &str) -> &tokio::sync::Mutex<()> {
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

    pub fn put(&self, key: String, page: Arc<Rendered>) {
        if let Ok(mut pages) = self.pages.write() {
            let generation = generation();
            // Drop what an earlier generation left behind.
            pages.retain(|_, p| p.generation == generation);
            pages.insert(key, page);
        }
    }
}
