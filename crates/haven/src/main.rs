//! `haven`: one binary for serving, the demo, and the operator's tasks.

mod audit_cmd;
mod cli;
mod keys;
mod linkage;

use anyhow::Context;
use clap::Parser;
use cli::{AuditCommand, Cli, Command, DataArgs, DirectoryCommand, RetentionCommand, UserCommand};
use haven::{database_url, ensure_keys, key_path, open};
use haven_core::users::{self, NewUser};
use haven_core::{orgs, Actor};
use haven_web::{AppState, WebConfig};
use std::io::BufRead;

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HAVEN_LOG")
        .unwrap_or_else(|_| "haven=info,haven_web=info,haven_core=info,warn".into());
    // Nothing logs a client's address, whatever `HAVEN_LOG` asks for: axum's server loop
    // names each connection's peer address at trace level, so it stays at warnings.
    let filter = match "axum::serve=warn".parse() {
        Ok(quiet) => filter.add_directive(quiet),
        Err(_) => filter,
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    init_tracing();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// The reporting hub's global budgets: `HAVEN_REPORT_LIMITS=submissions,attempts,free_failures`
/// per ten minutes when set, else the defaults (see `haven_web::site::budget`).
fn report_limits() -> anyhow::Result<haven_web::site::budget::ReportLimits> {
    use haven_web::site::budget::ReportLimits;
    match std::env::var("HAVEN_REPORT_LIMITS") {
        Err(_) => Ok(ReportLimits::default()),
        Ok(v) => ReportLimits::parse(&v).ok_or_else(|| {
            anyhow::anyhow!(
                "HAVEN_REPORT_LIMITS must be three whole numbers from 1, \
                 `submissions,attempts,free_failures`, not {v:?}"
            )
        }),
    }
}

async fn serve(
    ctx: haven_core::Ctx,
    cfg: WebConfig,
    bind: &str,
    audit: Option<haven_core::audit_archive::Archival>,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!("Haven listening on http://{}", listener.local_addr()?);
    haven::start_retention(ctx.clone(), haven::RETENTION_EVERY, audit);
    haven_web::serve(listener, AppState::new(ctx, cfg)?, shutdown_signal()).await
}

fn actor() -> Actor {
    Actor::system()
}

pub(crate) fn core(e: haven_core::Error) -> anyhow::Error {
    match e {
        haven_core::Error::Invalid(fields) => anyhow::anyhow!(
            "invalid input: {}",
            fields
                .iter()
                .map(|f| format!("{} ({})", f.field, f.code))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        haven_core::Error::NotFound => anyhow::anyhow!("not found"),
        other => anyhow::anyhow!("{other:#}"),
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    match cli.command {
        Command::Serve {
            data,
            serve: s,
            mail,
            audit,
        } => {
            // Checked before anything else, so a wrong setting stops the start at once.
            let public_url = mail
                .public_url
                .as_deref()
                .filter(|u| !u.trim().is_empty())
                .map(WebConfig::public_origin)
                .transpose()?;
            if public_url.is_none() {
                tracing::warn!(
                    "HAVEN_PUBLIC_URL is not set: leaflets print no QR code and e-mails no link"
                );
            }
            let mail = haven::mail::MailConfig::new(
                mail.smtp_url.as_deref(),
                mail.smtp_from.as_deref(),
                mail.public_url.as_deref(),
            )?;
            let mut ctx = open(&data.data, data.database_url.as_deref()).await?;
            if let Some(cfg) = mail {
                let outbox: std::sync::Arc<dyn haven_core::referrals::Outbox> =
                    haven::mail::start(cfg)?;
                ctx.outbox = Some(outbox);
                tracing::info!("e-mail about new notifications is on");
            }
            serve(
                ctx,
                WebConfig {
                    demo: false,
                    tls: s.behind_tls,
                    public_url,
                    report_limits: report_limits()?,
                },
                &s.bind,
                audit.archival(),
            )
            .await?;
        }
        Command::Demo {
            data,
            database_url,
            persons,
            cases,
            services,
            serve: s,
        } => {
            if ensure_keys(&data)? {
                println!("Created demo keys in {}", key_path(&data).display());
            }
            let ctx = open(&data, database_url.as_deref()).await?;
            let seeded = haven::demo::seed_if_empty(&ctx, persons, cases, services).await?;
            if seeded {
                println!("Filled the demo database with invented data.");
            }
            println!("{}", haven::demo::logins_text(&s.bind));
            serve(
                ctx,
                WebConfig {
                    demo: true,
                    tls: s.behind_tls,
                    // The demo runs where it is started: its leaflets point there.
                    public_url: WebConfig::public_origin(&format!("http://{}", s.bind)).ok(),
                    report_limits: report_limits()?,
                },
                &s.bind,
                None,
            )
            .await?;
        }
        Command::Migrate { data, check } => {
            let url = database_url(&data.data, data.database_url.as_deref());
            let db = haven_core::db::Db::connect(&url).await.map_err(core)?;
            if check {
                let pending = db.pending_migrations().await.map_err(core)?;
                if pending.is_empty() {
                    println!("The schema is up to date.");
                    return Ok(std::process::ExitCode::SUCCESS);
                }
                println!("These migrations would run:");
                for (version, name) in pending {
                    println!("  {version:04} {name}");
                }
                return Ok(std::process::ExitCode::from(1));
            }
            let applied = db.migrate().await.map_err(core)?;
            if applied.is_empty() {
                println!("The schema is up to date.");
            } else {
                println!("Applied migrations: {applied:?}");
            }
        }
        Command::User { command } => return user_command(command).await,
        Command::Directory { command } => return directory_command(command).await,
        Command::Linkage { command } => return linkage::run(command),
        Command::Audit {
            command:
                AuditCommand::Verify {
                    data,
                    anchor,
                    public_key,
                },
        } => return audit_verify(&data, anchor.as_deref(), public_key.as_deref()).await,
        Command::Audit {
            command: AuditCommand::PublicKey { data },
        } => audit_cmd::public_key(&data)?,
        Command::Audit {
            command: AuditCommand::Anchor { data, out, to },
        } => {
            let line = audit_anchor(&data, out.as_deref()).await?;
            if let Some(url) = to {
                audit_cmd::post_anchor(&url, &line).await?;
            }
        }
        Command::Audit {
            command:
                AuditCommand::Archive {
                    data,
                    keep_months,
                    out,
                },
        } => audit_cmd::archive(&data, keep_months, &out).await?,
        Command::Audit {
            command:
                AuditCommand::VerifyArchive {
                    public_key: Some(key),
                    files,
                    ..
                },
        } => return audit_cmd::check_archive_signatures(&key, &files),
        Command::Audit {
            command: AuditCommand::VerifyArchive { data, files, .. },
        } => return audit_cmd::verify_archive(&data, &files).await,
        Command::Retention {
            command:
                RetentionCommand::Run {
                    data,
                    dry_run,
                    audit,
                },
        } => retention_run(&data, dry_run, audit.archival()).await?,
        Command::Keys { command } => return keys::run(command).await,
        Command::Backup {
            data,
            to,
            recipients,
            recipients_files,
        } => backup_command(&data, &to, &recipients, &recipients_files).await?,
        Command::Restore {
            data,
            from,
            identity,
            erased,
            no_erasure_list,
        } => restore_command(&data, &from, &identity, erased, no_erasure_list).await?,
        Command::BackupIdentity { out } => {
            let public = haven::backup::new_identity(&out)?;
            println!(
                "Wrote the identity to {}; keep it off the server.",
                out.display()
            );
            println!("Public key: {public}");
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// `haven audit verify`: exit code 1 when the chain is broken.
async fn audit_verify(
    data: &DataArgs,
    anchors: Option<&std::path::Path>,
    public_key: Option<&str>,
) -> anyhow::Result<std::process::ExitCode> {
    let public = public_key.map(audit_cmd::parse_public_key).transpose()?;
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let report = haven_core::audit::verify(&ctx).await.map_err(core)?;
    let mut anchor_problems = Vec::new();
    if let Some(path) = anchors {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the anchors in {}", path.display()))?;
        let mut list = Vec::new();
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            list.push(serde_json::from_str(line).with_context(|| {
                format!("line {} of {} is not an anchor", n + 1, path.display())
            })?);
        }
        anchor_problems = haven_core::audit::check_anchors(&ctx, &list, public.as_ref())
            .await
            .map_err(core)?;
        println!("{} anchors checked.", list.len());
    }
    if let Some(seq) = report.checkpoint {
        println!("Events up to {seq} were archived; the chain is verified from there.");
    }
    if report.problems.is_empty() && anchor_problems.is_empty() {
        println!(
            "The audit chain is intact: {} events verified.",
            report.events
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    println!(
        "The audit chain is BROKEN ({} events read, {} problems):",
        report.events,
        report.problems.len() + anchor_problems.len()
    );
    for p in &report.problems {
        println!("  - {p}");
    }
    for p in &anchor_problems {
        println!("  - {p}");
    }
    Ok(std::process::ExitCode::from(1))
}

/// `haven audit anchor`: prints the anchor, or appends it to `out`.
async fn audit_anchor(data: &DataArgs, out: Option<&std::path::Path>) -> anyhow::Result<String> {
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let anchor = haven_core::audit::anchor(&ctx).await.map_err(core)?;
    let line = serde_json::to_string(&anchor)?;
    match out {
        None => println!("{line}"),
        Some(path) => {
            use std::io::Write;
            let mut opts = std::fs::OpenOptions::new();
            opts.create(true).append(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            writeln!(f, "{line}")?;
            f.sync_all()?;
            println!("Anchored event {} in {}.", anchor.seq, path.display());
        }
    }
    Ok(line)
}

#[derive(sqlx::FromRow)]
struct OrgName {
    id: haven_core::ids::OrgId,
    name: String,
}

/// `haven retention run`: erases (or with `dry_run` counts) the persons whose time is up.
async fn retention_run(
    data: &DataArgs,
    dry_run: bool,
    audit: Option<haven_core::audit_archive::Archival>,
) -> anyhow::Result<()> {
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let report = haven_core::retention::sweep_with_audit(&ctx, dry_run, audit.as_ref())
        .await
        .map_err(core)?;
    if report.audit_events > 0 {
        println!(
            "{} audit events archived and removed from the database.",
            report.audit_events
        );
    }
    let orgs: Vec<OrgName> = sqlx::query_as("SELECT id, name FROM organisations")
        .fetch_all(&ctx.db.pool)
        .await?;
    let names: std::collections::HashMap<_, _> = orgs.into_iter().map(|o| (o.id, o.name)).collect();
    let verb = if dry_run { "due" } else { "erased" };
    for (list, what) in [
        (&report.erased, "persons"),
        (&report.contacts, "outreach contacts"),
        (&report.reports, "closed reports (purged)"),
    ] {
        for (org, n) in list {
            let id = org.to_string();
            let name = names.get(org).map_or(id.as_str(), String::as_str);
            println!("{name}: {n} {what} {verb}");
        }
    }
    let persons: i64 = report.erased.iter().map(|(_, n)| n).sum();
    let reports: i64 = report.reports.iter().map(|(_, n)| n).sum();
    let contacts = report.total() - persons - reports;
    println!(
        "{persons} persons, {contacts} outreach contacts and {reports} closed reports {verb} in all."
    );
    Ok(())
}

async fn user_command(cmd: UserCommand) -> anyhow::Result<std::process::ExitCode> {
    match cmd {
        UserCommand::Add {
            data,
            username,
            display_name,
            org,
            org_kind,
            roles,
            password_stdin,
            email,
        } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            let actor = actor();
            let org = match orgs::find_by_name(&ctx, org.trim()).await.map_err(core)? {
                Some(o) => o,
                None => orgs::create(
                    &ctx,
                    &actor,
                    &orgs::OrgInput {
                        name: org,
                        kind: org_kind,
                        active: true,
                        retention_months: None,
                    },
                )
                .await
                .map_err(core)?,
            };
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                (line.trim_end_matches(['\n', '\r']).to_owned(), false)
            } else {
                (haven::demo::random_password(), true)
            };
            let secret = users::totp::generate_secret();
            let user = users::create(
                &ctx,
                &actor,
                &NewUser {
                    username,
                    display_name,
                    org_id: org.id.to_string(),
                    roles,
                    password: password.clone(),
                    email,
                    ..Default::default()
                },
                Some(&secret),
            )
            .await
            .map_err(core)?;
            println!("Created user {} in {}.", user.username, user.org_name);
            if generated {
                println!("Password: {password}");
            }
            println!("TOTP secret: {}", users::totp::base32(&secret));
            println!(
                "TOTP URL: {}",
                users::totp::otpauth_url(&secret, &user.username)
            );
        }
        UserCommand::Disable { data, username } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            let u = users::find_by_username(&ctx, &actor(), &username)
                .await
                .map_err(core)?;
            users::set_disabled(&ctx, &actor(), u.id, true)
                .await
                .map_err(core)?;
            println!("Disabled {} and ended their sessions.", u.username);
        }
        UserCommand::Reset2fa { data, username } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            let u = users::find_by_username(&ctx, &actor(), &username)
                .await
                .map_err(core)?;
            users::reset_totp(&ctx, &actor(), u.id)
                .await
                .map_err(core)?;
            println!(
                "Removed the second factor of {}; they set up a new one at their next sign-in.",
                u.username
            );
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

async fn directory_command(command: DirectoryCommand) -> anyhow::Result<std::process::ExitCode> {
    use haven_core::directory::{export, import};
    match command {
        DirectoryCommand::Import { data, path } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            let dataset = import::read_path(&path).map_err(anyhow::Error::msg)?;
            let report = import::import(&ctx, &haven_core::Actor::system(), dataset)
                .await
                .map_err(core)?;
            println!("Imported:");
            for (what, n) in &report.imported {
                println!("  {what}: {n}");
            }
            let line = |i: &import::Issue| {
                format!(
                    "  {}{}{}: {}",
                    i.file,
                    i.row.map(|r| format!(" row {r}")).unwrap_or_default(),
                    i.field
                        .as_ref()
                        .map(|f| format!(", field {f}"))
                        .unwrap_or_default(),
                    i.message
                )
            };
            if !report.warnings.is_empty() {
                println!("Imported with a link left out:");
                report.warnings.iter().for_each(|i| println!("{}", line(i)));
            }
            if !report.rejected.is_empty() {
                println!("Not imported:");
                report.rejected.iter().for_each(|i| println!("{}", line(i)));
            }
        }
        DirectoryCommand::Export { data, format, dest } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            if format == "json" {
                let v = export::to_json(&ctx).await.map_err(core)?;
                std::fs::write(&dest, serde_json::to_string_pretty(&v)?)?;
            } else {
                let t = export::to_tables(&ctx).await.map_err(core)?;
                export::write_csv_package(&t, &dest)?;
            }
            println!("Exported the directory to {}.", dest.display());
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// `haven backup`.
async fn backup_command(
    data: &DataArgs,
    to: &std::path::Path,
    keys: &[String],
    files: &[std::path::PathBuf],
) -> anyhow::Result<()> {
    let recipients = haven::backup::recipients(keys, files)?;
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let started = std::time::Instant::now();
    let dumped = haven::backup::backup(&ctx, to, &recipients).await?;
    println!(
        "Backed up {} rows of {} tables (audit chain at event {}) to {} in {:.1} s.",
        dumped.rows(),
        dumped.tables.len(),
        dumped.header.audit_seq,
        to.display(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "The key file is not in the backup: keep {} and the age identity safe, apart from it.",
        key_path(&data.data).display()
    );
    Ok(())
}

/// `haven restore`: refuses anything but an empty target, before writing anything.
async fn restore_command(
    data: &DataArgs,
    from: &std::path::Path,
    identity: &std::path::Path,
    erased: Option<std::path::PathBuf>,
    no_list: bool,
) -> anyhow::Result<()> {
    use haven_core::backup::Erased;
    let kept = haven::erased_log_path(&data.data);
    let list_path = erased.unwrap_or_else(|| kept.clone());
    let list = if no_list {
        Erased::default()
    } else if list_path.exists() {
        Erased::read(&list_path)?
    } else {
        anyhow::bail!(
            "there is no erasure list at {}: copy the installation's erasure list there or              name it with --erased FILE, so that persons erased since the backup stay erased              (only an installation that never kept one may use --no-erasure-list)",
            list_path.display()
        );
    };
    if std::env::var_os("HAVEN_KEYS").is_none() && !key_path(&data.data).exists() {
        anyhow::bail!(
            "a restore needs the installation's key file (it is not in the backup): copy it              to {}",
            key_path(&data.data).display()
        );
    }
    let mut input = haven::backup::open_backup(from, identity)?;
    let url = database_url(&data.data, data.database_url.as_deref());
    haven::create_data_dir(&data.data)?;
    let db = haven_core::db::Db::connect(&url).await.map_err(core)?;
    haven_core::backup::check_empty(&db).await?;
    db.pool.close().await;
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let started = std::time::Instant::now();
    let r = haven::backup::restore(&ctx, &mut input, &list).await?;
    if list_path != kept {
        // The list given goes on in this installation's own list, for the next restore.
        let now = haven_core::Clock::now_ts(ctx.clock.as_ref());
        let persons: Vec<&String> = list.persons.iter().collect();
        let contacts: Vec<&String> = list.contacts.iter().collect();
        ctx.db
            .note_erased(haven_core::backup::Kind::Person, &persons, now)
            .map_err(core)?;
        ctx.db
            .note_erased(haven_core::backup::Kind::OutreachContact, &contacts, now)
            .map_err(core)?;
    }
    let made = time::OffsetDateTime::from_unix_timestamp(r.header.made_at)
        .map(|t| t.to_string())
        .unwrap_or_default();
    println!(
        "Restored {} rows of {} tables from the {} backup made at {made} in {:.1} s.",
        r.rows(),
        r.tables.len(),
        r.header.source,
        started.elapsed().as_secs_f64()
    );
    println!(
        "The audit chain is intact: {} events verified.",
        r.audit_events
    );
    println!(
        "{} persons, every data key opens with the key file; {} persons and {} outreach \
         contacts erased again, {} stories withdrawn again, {} hub reports purged again, {} \
         consents and {} referrals withdrawn again from the erasure list ({} entries).",
        r.persons,
        r.persons_erased_again.len(),
        r.contacts_erased_again.len(),
        r.stories_withdrawn_again.len(),
        r.reports_purged_again.len(),
        r.consents_withdrawn_again.len(),
        r.referrals_withdrawn_again.len(),
        list.len()
    );
    for (table, n) in &r.tables {
        println!("  {table}: {n}");
    }
    Ok(())
}
