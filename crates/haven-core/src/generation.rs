//! Generations of what the public caches are built from: published content and published
//! directory entries. A change that commits moves its area on in this process and, on
//! PostgreSQL, tells every other Haven server on the same database (`NOTIFY
//! haven_generation`); their [`follow`] task moves the same area on there, so a publish
//! on one server is seen on all of them at once rather than when their caches expire.
//! SQLite is one server per file, so the counter in this process is all there is.
//!
//! Counters only grow. A server that loses its listening connection moves both areas on
//! when it is back, since it cannot know what it missed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::db::Backend;
use crate::Ctx;

/// The channel Haven servers listen on.
const CHANNEL: &str = "haven_generation";

static CONTENT: AtomicU64 = AtomicU64::new(1);
static DIRECTORY: AtomicU64 = AtomicU64::new(1);

/// What a cache may be built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Content,
    Directory,
}

impl Area {
    fn counter(self) -> &'static AtomicU64 {
        match self {
            Area::Content => &CONTENT,
            Area::Directory => &DIRECTORY,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Area::Content => "content",
            Area::Directory => "directory",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Area::Content, Area::Directory]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// The area's generation in this process.
pub fn current(area: Area) -> u64 {
    area.counter().load(Ordering::SeqCst)
}

fn bump(area: Area) {
    area.counter().fetch_add(1, Ordering::SeqCst);
}

/// Called after a change to `area` has committed: moves it on here and tells the other
/// servers. The change is already durable, so a failure to tell them is logged, not
/// returned (their caches expire on their own; the change must not be reported as failed).
pub async fn moved(ctx: &Ctx, area: Area) {
    bump(area);
    if ctx.db.backend != Backend::Postgres {
        return;
    }
    let told = sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(area.as_str())
        .execute(&ctx.db.pool)
        .await;
    if let Err(e) = told {
        tracing::warn!(
            "could not tell other servers that {} changed: {e}",
            area.as_str()
        );
    }
}

/// On PostgreSQL, starts the task that follows the other servers' changes; nothing on
/// SQLite. The task reconnects by itself and ends with the runtime.
pub fn follow(ctx: &Ctx) {
    if ctx.db.backend != Backend::Postgres {
        return;
    }
    let url = ctx.db.pool.connect_options().database_url.to_string();
    tokio::spawn(async move {
        loop {
            if let Err(e) = listen(&url).await {
                tracing::warn!("following other servers' changes: {e}; retrying in a second");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn listen(url: &str) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    // Whatever changed while this server was not listening.
    bump(Area::Content);
    bump(Area::Directory);
    loop {
        let n = listener.recv().await?;
        if let Some(area) = Area::parse(n.payload()) {
            bump(area);
        }
    }
}
