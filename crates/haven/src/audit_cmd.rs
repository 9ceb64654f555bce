//! `haven audit archive`, `haven audit verify-archive`, `haven audit public-key` and sending
//! an anchor to a URL (`haven audit anchor --to`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use haven::open;
use haven_core::audit_archive::{self, ArchiveFile};
use haven_core::audit_sign::PublicKey;

use crate::cli::DataArgs;
use crate::core;

/// POSTs the anchor's JSON line to `url` (http or https only); anything but a 2xx answer
/// within 20 seconds is an error.
pub(crate) async fn post_anchor(url: &str, line: &str) -> anyhow::Result<()> {
    let parsed =
        reqwest::Url::parse(url).with_context(|| format!("the anchor URL {url:?} is not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        anyhow::bail!(
            "the anchor URL must begin with http:// or https://, not {}://",
            parsed.scheme()
        );
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let answer = client
        .post(parsed)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(line.to_owned())
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("the anchor could not be sent to {url}: {e}"))?;
    let status = answer.status();
    if !status.is_success() {
        anyhow::bail!("{url} refused the anchor: HTTP {status}");
    }
    println!("Sent the anchor to {url} (HTTP {}).", status.as_u16());
    Ok(())
}

pub(crate) async fn archive(data: &DataArgs, keep_months: i64, out: &Path) -> anyhow::Result<()> {
    haven::create_data_dir(out)?;
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let before = audit_archive::cutoff(ctx.clock.now_ts(), keep_months);
    match audit_archive::archive(&ctx, before, out)
        .await
        .map_err(core)?
    {
        None => println!("No audit events older than {keep_months} months to archive."),
        Some(a) => println!(
            "Archived events {} to {} into {} and removed them from the database.",
            a.first_seq,
            a.last_seq,
            a.path.display()
        ),
    }
    Ok(())
}

/// `haven audit public-key`: reads the key file only.
pub(crate) fn public_key(data: &DataArgs) -> anyhow::Result<()> {
    let keys = haven_core::crypto::Keyring::load(&haven::key_path(&data.data))?;
    let public = PublicKey::of(&keys);
    println!("{public}");
    eprintln!(
        "Key id {}. With this key, `haven audit verify --anchor FILE --public-key KEY` and \
         `haven audit verify-archive --public-key KEY FILES` check signatures.",
        public.id()
    );
    Ok(())
}

pub(crate) fn parse_public_key(text: &str) -> anyhow::Result<PublicKey> {
    PublicKey::parse(text).ok_or_else(|| {
        anyhow::anyhow!(
            "{text:?} is not a public key: give it as `haven audit public-key` prints it, \
             `ed25519:` and 44 characters of base64"
        )
    })
}

fn read_archives(paths: &[PathBuf]) -> anyhow::Result<Vec<(PathBuf, ArchiveFile)>> {
    let mut files = Vec::new();
    for p in paths {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        let f: ArchiveFile = serde_json::from_str(&text)
            .with_context(|| format!("{} is not an audit archive", p.display()))?;
        files.push((p.clone(), f));
    }
    Ok(files)
}

/// `haven audit verify-archive --public-key`: the files alone, no key file, no database.
pub(crate) fn check_archive_signatures(key: &str, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let public = parse_public_key(key)?;
    let files = read_archives(paths)?;
    let problems = audit_archive::check_signatures(&files, &public);
    if problems.is_empty() {
        let events: i64 = files.iter().map(|(_, f)| f.count).sum();
        println!(
            "The archive's signatures hold: {} files, {events} events, one after another, \
             signed by key {}. The events inside were not opened (that needs the key file).",
            files.len(),
            public.id()
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("The archive is BROKEN ({} problems):", problems.len());
    for (path, p) in &problems {
        println!("  - {}: {p}", path.display());
    }
    Ok(ExitCode::from(1))
}

pub(crate) async fn verify_archive(data: &DataArgs, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let files = read_archives(paths)?;
    let problems = audit_archive::verify_files(&ctx, &files)
        .await
        .map_err(core)?;
    if problems.is_empty() {
        let events: i64 = files.iter().map(|(_, f)| f.count).sum();
        println!(
            "The archive is intact: {} files, {events} events, ending at the checkpoint.",
            files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("The archive is BROKEN ({} problems):", problems.len());
    for (path, p) in &problems {
        println!("  - {}: {p}", path.display());
    }
    Ok(ExitCode::from(1))
}
