//! E-mail about new notifications, through an SMTP server the operator configures. Off
//! unless `HAVEN_SMTP_URL` is set; never on in the demo.
//!
//! The core hands committed [`Mailing`]s to [`Mailer::post`] (its [`Outbox`]), which only
//! puts them in a bounded queue: a request never waits for SMTP, and a slow or failing
//! server never fails or slows a referral. One background task sends them one by one. A
//! full queue drops a mailing, and a failed send is given up; both are logged without the
//! address or the server's reply (which may quote the address), only the notification's
//! kind and the kind of failure.
//!
//! A message says only that a notification of some kind is waiting, in the recipient's
//! interface language, with a link to the notifications page when `HAVEN_PUBLIC_URL` is
//! set. It never carries a person's name, a referral's text or even its id: e-mail leaves
//! the network Haven protects.

use haven_core::referrals::{Mailing, NotificationKind, Outbox};
use haven_web::i18n::I18n;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How many mailings may wait; beyond that they are dropped (and logged).
pub const QUEUE: usize = 1000;
/// How long one SMTP conversation may take before it is given up.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// The checked e-mail configuration. Its `Debug` shows no credentials.
#[derive(Clone)]
pub struct MailConfig {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The notifications page, when Haven's public address is known.
    link: Option<String>,
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("from", &self.from.email.to_string())
            .field("link", &self.link)
            .finish_non_exhaustive()
    }
}

impl MailConfig {
    /// Checks the settings: `None` when e-mail is off (no SMTP URL), an error naming the
    /// setting when any of them is wrong. Called at start-up, so a mistake stops the server
    /// rather than failing later, unseen.
    pub fn new(
        smtp_url: Option<&str>,
        from: Option<&str>,
        public_url: Option<&str>,
    ) -> anyhow::Result<Option<Self>> {
        let smtp_url = smtp_url.map(str::trim).filter(|s| !s.is_empty());
        let from = from.map(str::trim).filter(|s| !s.is_empty());
        let Some(url) = smtp_url else {
            if from.is_some() {
                anyhow::bail!("HAVEN_SMTP_FROM is set but HAVEN_SMTP_URL is not: set both to send e-mail, or neither");
            }
            return Ok(None);
        };
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            anyhow::bail!("HAVEN_SMTP_URL must start with smtp:// or smtps://");
        }
        if url.starts_with("smtp://") && !url.contains("tls=") && has_credentials(url) {
            anyhow::bail!(
                "HAVEN_SMTP_URL has a password but no TLS: use smtps://… or add ?tls=required"
            );
        }
        // The error is lettre's or the URL parser's; neither repeats the URL.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("HAVEN_SMTP_URL is not a usable SMTP URL: {e}"))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let Some(from) = from else {
            anyhow::bail!("HAVEN_SMTP_URL is set, so HAVEN_SMTP_FROM must say the sender, for example \"Haven <haven@example.org>\"");
        };
        let from: Mailbox = from.parse().map_err(|_| {
            anyhow::anyhow!(
                "HAVEN_SMTP_FROM is not an e-mail address such as \"Haven <haven@example.org>\""
            )
        })?;
        let link = public_url
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(notifications_link)
            .transpose()?;
        Ok(Some(Self {
            transport,
            from,
            link,
        }))
    }
}

/// Whether an SMTP URL names a user or password (`scheme://user:pass@host…`).
fn has_credentials(url: &str) -> bool {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    authority.contains('@')
}

/// The notifications page under Haven's public address (`HAVEN_PUBLIC_URL`).
fn notifications_link(base: &str) -> anyhow::Result<String> {
    let ok = (base.starts_with("https://") || base.starts_with("http://"))
        && base.len() > "https://".len()
        && !base.contains(|c: char| c.is_whitespace() || c.is_control())
        && !base.contains(['?', '#']);
    if !ok {
        anyhow::bail!(
            "HAVEN_PUBLIC_URL must be Haven's address as staff reach it, for example https://haven.example.org"
        );
    }
    Ok(format!(
        "{}/staff/notifications",
        base.trim_end_matches('/')
    ))
}

/// What became of the mailings posted so far (for tests and the log).
#[derive(Debug, Default)]
pub struct MailStats {
    pub queued: AtomicU64,
    pub dropped: AtomicU64,
    pub sent: AtomicU64,
    pub failed: AtomicU64,
}

impl MailStats {
    pub fn get(n: &AtomicU64) -> u64 {
        n.load(Ordering::SeqCst)
    }
}

/// The outbox the core posts to, and the statistics of its sender.
pub struct Mailer {
    queue: mpsc::Sender<Mailing>,
    pub stats: Arc<MailStats>,
}

impl Outbox for Mailer {
    fn post(&self, mailings: Vec<Mailing>) {
        for m in mailings {
            let kind = m.kind.as_str();
            match self.queue.try_send(m) {
                Ok(()) => {
                    self.stats.queued.fetch_add(1, Ordering::SeqCst);
                }
                Err(_) => {
                    self.stats.dropped.fetch_add(1, Ordering::SeqCst);
                    tracing::warn!(
                        kind,
                        "the e-mail queue is full or closed; a notification e-mail was dropped"
                    );
                }
            }
        }
    }
}

/// Starts the background sender (on the current Tokio runtime) and returns its outbox.
pub fn start(cfg: MailConfig) -> anyhow::Result<Arc<Mailer>> {
    let i18n = Arc::new(I18n::load()?);
    let (queue, mut rx) = mpsc::channel::<Mailing>(QUEUE);
    let stats = Arc::new(MailStats::default());
    let counted = stats.clone();
    tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            match send(&cfg, &i18n, &m).await {
                Ok(()) => {
                    counted.sent.fetch_add(1, Ordering::SeqCst);
                }
                Err(why) => {
                    counted.failed.fetch_add(1, Ordering::SeqCst);
                    tracing::warn!(
                        kind = m.kind.as_str(),
                        "a notification e-mail was not sent: {why}"
                    );
                }
            }
        }
    });
    Ok(Arc::new(Mailer { queue, stats }))
}

/// The subject and body of a mailing, in the recipient's language (English if none).
pub fn compose(i18n: &Arc<I18n>, link: Option<&str>, m: &Mailing) -> (String, String) {
    let t = i18n.tr(m.locale.as_deref().unwrap_or(haven_web::i18n::SOURCE));
    let kind = t.t(haven_web::pages::referrals::notification_message(m.kind));
    let subject = t.t1("mail-subject", "kind", &kind);
    // A role notice waits on the accounts page, which administrators read.
    let link = link.map(|l| match m.kind {
        NotificationKind::RoleGranted => l.replace("/staff/notifications", "/staff/admin/users"),
        NotificationKind::SignInSlowed => l.replace("/staff/notifications", "/staff/account"),
        _ => l.to_owned(),
    });
    let call = match link.as_deref() {
        Some(url) => t.t1("mail-link", "url", url),
        None => t.t("mail-sign-in"),
    };
    let body = format!(
        "{}\n\n{}\n\n-- \n{}\n",
        t.t1("mail-body", "kind", &kind),
        call,
        t.t("mail-footer")
    );
    (subject, body)
}

/// Sends one mailing. The error says what kind of failure it was, never the address or
/// the server's text.
async fn send(cfg: &MailConfig, i18n: &Arc<I18n>, m: &Mailing) -> Result<(), &'static str> {
    let to: Mailbox = m.to.parse().map_err(|_| "the address was not accepted")?;
    let (subject, body) = compose(i18n, cfg.link.as_deref(), m);
    let msg = Message::builder()
        .message_id(None)
        .from(cfg.from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|_| "the message could not be built")?;
    cfg.transport.send(msg).await.map(|_| ()).map_err(|e| {
        if e.is_timeout() {
            "the SMTP server did not answer in time"
        } else if e.is_permanent() {
            "the SMTP server refused it (permanent error)"
        } else if e.is_transient() {
            "the SMTP server refused it for now (transient error)"
        } else if e.is_tls() {
            "the TLS connection to the SMTP server failed"
        } else {
            "the SMTP server could not be reached or the conversation failed"
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use haven_core::referrals::NotificationKind;

    #[test]
    fn settings_are_checked() {
        assert!(MailConfig::new(None, None, None).unwrap().is_none());
        assert!(MailConfig::new(None, Some("a@b.org"), None).is_err());
        assert!(MailConfig::new(Some("http://x"), Some("a@b.org"), None).is_err());
        assert!(MailConfig::new(Some("smtp://u:p@host:25"), Some("a@b.org"), None).is_err());
        assert!(MailConfig::new(Some("smtp://host:25"), None, None).is_err());
        assert!(MailConfig::new(Some("smtp://host:25"), Some("not an address"), None).is_err());
        assert!(MailConfig::new(Some("smtp://host:25"), Some("a@b.org"), Some("ftp://x")).is_err());
        let ok = MailConfig::new(
            Some("smtp://host:25"),
            Some("Haven <a@b.org>"),
            Some("https://haven.example.org/"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            ok.link.as_deref(),
            Some("https://haven.example.org/staff/notifications")
        );
        assert!(
            MailConfig::new(Some("smtps://u:p@host"), Some("a@b.org"), None)
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn the_message_names_the_kind_in_the_reader_language() {
        let i18n = Arc::new(I18n::load().unwrap());
        let m = Mailing {
            to: "a@b.org".into(),
            locale: Some("nl".into()),
            kind: NotificationKind::Accepted,
        };
        let (subject, body) = compose(&i18n, Some("https://h.example/staff/notifications"), &m);
        assert_eq!(subject, "Haven: Verwijzing aangenomen");
        assert!(body.contains("https://h.example/staff/notifications"));
        let en = Mailing {
            locale: None,
            ..m.clone()
        };
        let (subject, body) = compose(&i18n, None, &en);
        assert_eq!(subject, "Haven: Referral accepted");
        assert!(body.contains("Sign in to Haven"));
    }
}
