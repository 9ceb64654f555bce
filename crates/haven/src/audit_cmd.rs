//! `haven audit archive`, `haven audit verify-archive` and sending an anchor to a URL
//! (`haven audit anchor --to`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use haven::open;
use haven_core::audit_archive::{self, ArchiveFile};

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

pub(crate) async fn verify_archive(data: &DataArgs, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let mut files = Vec::new();
    for p in paths {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        let f: ArchiveFile = serde_json::from_str(&text)
            .with_context(|| format!("{} is not an audit archive", p.display()))?;
        files.push((p.clone(), f));
    }
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
