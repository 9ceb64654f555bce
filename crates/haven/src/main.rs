//! `haven`: one binary for serving, the demo, and the operator's tasks.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use haven::{database_url, ensure_keys, key_path, open};
use haven_core::crypto::Keyring;
use haven_core::users::{self, NewUser};
use haven_core::{orgs, Actor};
use haven_web::{AppState, WebConfig};
use std::io::BufRead;
use std::path::PathBuf;

mod linkage;

#[derive(Parser)]
#[command(
    name = "haven",
    version,
    about = "Haven: casework, shelter, outreach and referrals for people regardless of residence status."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DataArgs {
    /// The directory holding the key file and, by default, the SQLite database.
    #[arg(long, env = "HAVEN_DATA", default_value = "haven-data")]
    data: PathBuf,
    /// A PostgreSQL URL (postgres://user:pass@host/db). Without it, SQLite in the data directory.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "HAVEN_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Set when Haven is reached through HTTPS (a reverse proxy): secure cookies and HSTS.
    #[arg(long, env = "HAVEN_BEHIND_TLS", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
    behind_tls: bool,
}

/// E-mail about new notifications: off unless an SMTP server is given. Not offered by
/// `haven demo`, so the demo never sends e-mail.
#[derive(Args, Clone)]
struct MailArgs {
    /// The SMTP server: smtps://user:password@host:465, smtp://user:password@host:587?tls=required,
    /// or smtp://host:25 (no password, no TLS, for a relay on the same machine).
    #[arg(long, env = "HAVEN_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of those messages, e.g. "Haven <haven@example.org>".
    #[arg(long, env = "HAVEN_SMTP_FROM")]
    smtp_from: Option<String>,
    /// Haven's address as staff reach it (https://haven.example.org), for the link in a
    /// message. Without it, the message asks the reader to sign in.
    #[arg(long, env = "HAVEN_PUBLIC_URL")]
    public_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server on the configured database. Migrations run first.
    Serve {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        serve: ServeArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Run the whole product with invented data: SQLite and keys in ./haven-demo, demo
    /// sign-in without a second factor. Prints the demo logins.
    Demo {
        /// The demo's own directory, kept apart from a real installation's.
        #[arg(long, default_value = "haven-demo")]
        data: PathBuf,
        /// Use this database instead of SQLite (for benchmarks on PostgreSQL). Never
        /// taken from DATABASE_URL, so a demo cannot land in a real database by accident.
        #[arg(long)]
        database_url: Option<String>,
        /// How many invented persons to create on first start.
        #[arg(long, default_value_t = 300)]
        persons: usize,
        /// For benchmarks: on first start, also fill the demo case manager's caseload to the
        /// cap, add 60 case managers, closed cases and 500 shelter places, taken, until the
        /// database holds this many cases. 0 (the default): the demo's own 48 cases.
        #[arg(long, default_value_t = 0)]
        cases: usize,
        /// For benchmarks: on first start, fill the services directory up to this many
        /// services. 0 (the default): the demo's own directory.
        #[arg(long, default_value_t = 0)]
        services: usize,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Bring the database schema up to date and exit.
    Migrate {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import or export the services directory (Open Referral HSDS 3.0).
    Directory {
        #[command(subcommand)]
        command: DirectoryCommand,
    },
    /// Create or rotate the key-encryption key.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Erase the persons whose retention time is up (a running server does this every hour).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Record linkage: clkhash-compatible CLKs, CLK matching, duplicates and links in records.
    Linkage {
        #[command(subcommand)]
        command: linkage::LinkageCommand,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Erase now every person whose organisation's retention period has passed since
    /// anything last happened with them and who has no open case, stay or referral.
    /// Prints how many per organisation.
    Run {
        #[command(flatten)]
        data: DataArgs,
        /// Only count who is due; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account with a second factor; prints its TOTP secret. Creates the
    /// organisation if it does not exist yet (for the first administrator).
    Add {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// The organisation's name.
        #[arg(long)]
        org: String,
        /// The organisation's kind, if it must be created.
        #[arg(long, default_value = "municipal_department")]
        org_kind: String,
        /// A role; repeat for several (administrator, case_manager, legal_counsellor,
        /// outreach_worker, shelter_coordinator, hub_officer, partner_staff, analyst,
        /// police_liaison, team_lead, editor).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        /// An e-mail address for messages about new notifications (used only when
        /// `haven serve` has HAVEN_SMTP_URL).
        #[arg(long)]
        email: Option<String>,
    },
    /// Disable an account and end its sessions.
    Disable {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
    },
    /// Remove an account's second factor; they set up a new one at next sign-in.
    #[command(name = "reset-2fa")]
    Reset2fa {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand)]
enum DirectoryCommand {
    /// Import and publish an HSDS dataset: a JSON file (an organization, service or
    /// service_at_location, a list or a Page of them, or tabular.json) or a CSV data
    /// package (its directory or its datapackage.json). Prints a report of what was
    /// imported and of every record that was not.
    Import {
        #[command(flatten)]
        data: DataArgs,
        path: PathBuf,
    },
    /// Export every published entry: `json` (a list of fully nested organizations, to a
    /// file) or `csv` (a CSV data package, into a directory).
    Export {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long, value_parser = ["json", "csv"])]
        format: String,
        dest: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the audit chain and report any event that was changed, removed or reordered.
    /// Exits with status 1 if the chain is broken.
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Create a new key file in the data directory (refuses to overwrite one).
    Create {
        #[arg(long, env = "HAVEN_DATA", default_value = "haven-data")]
        data: PathBuf,
    },
    /// Make a new key-encryption key, rewrap every data key and second-factor secret with
    /// it, and retire the old one.
    Rotate {
        #[command(flatten)]
        data: DataArgs,
    },
}

fn init_tracing() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HAVEN_LOG")
                .unwrap_or_else(|_| "haven=info,haven_web=info,haven_core=info,warn".into()),
        )
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

async fn serve(ctx: haven_core::Ctx, cfg: WebConfig, bind: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!("Haven listening on http://{}", listener.local_addr()?);
    haven::start_retention(ctx.clone(), haven::RETENTION_EVERY);
    haven_web::serve(listener, AppState::new(ctx, cfg)?, shutdown_signal()).await
}

fn actor() -> Actor {
    Actor::system()
}

fn core(e: haven_core::Error) -> anyhow::Error {
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
    use std::process::ExitCode;
    match cli.command {
        Command::Serve {
            data,
            serve: s,
            mail,
        } => {
            // Checked before anything else, so a wrong setting stops the start at once.
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
                },
                &s.bind,
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
                },
                &s.bind,
            )
            .await?;
        }
        Command::Migrate { data } => {
            let url = database_url(&data.data, data.database_url.as_deref());
            let db = haven_core::db::Db::connect(&url).await.map_err(core)?;
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
            command: AuditCommand::Verify { data },
        } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            let report = haven_core::audit::verify(&ctx).await.map_err(core)?;
            if report.problems.is_empty() {
                println!(
                    "The audit chain is intact: {} events verified.",
                    report.events
                );
            } else {
                println!(
                    "The audit chain is BROKEN ({} events read, {} problems):",
                    report.events,
                    report.problems.len()
                );
                for p in &report.problems {
                    println!("  - {p}");
                }
                return Ok(ExitCode::from(1));
            }
        }
        Command::Retention {
            command: RetentionCommand::Run { data, dry_run },
        } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            let report = haven_core::retention::sweep(&ctx, dry_run)
                .await
                .map_err(core)?;
            let names: std::collections::HashMap<String, String> =
                sqlx::query_as("SELECT id, name FROM organisations")
                    .fetch_all(&ctx.db.pool)
                    .await?
                    .into_iter()
                    .collect();
            let verb = if dry_run { "due" } else { "erased" };
            for (org, n) in &report.erased {
                let id = org.to_string();
                let name = names.get(&id).map_or(id.as_str(), String::as_str);
                println!("{name}: {n} persons {verb}");
            }
            println!("{} persons {verb} in all.", report.total());
        }
        Command::Keys { command } => match command {
            KeysCommand::Create { data } => {
                if ensure_keys(&data)? {
                    println!(
                        "Created {}. Back it up apart from the database: without it, the data cannot be read.",
                        key_path(&data).display()
                    );
                } else {
                    anyhow::bail!(
                        "{} exists already; use `haven keys rotate` to change the key",
                        key_path(&data).display()
                    );
                }
            }
            KeysCommand::Rotate { data } => {
                rotate_keys(&data).await?;
            }
        },
    }
    Ok(std::process::ExitCode::SUCCESS)
}

async fn rotate_keys(data: &DataArgs) -> anyhow::Result<()> {
    let path = key_path(&data.data);
    if std::env::var("HAVEN_KEYS").is_ok() {
        anyhow::bail!("the keys come from HAVEN_KEYS; rotate them where that variable is managed");
    }
    let mut ring = Keyring::load(&path).map_err(core)?;
    let new_id = ring.add_kek();
    // First save the ring with both keys, so that a crash half-way leaves everything readable.
    ring.save(&path).map_err(core)?;
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let mut tx = ctx.db.pool.begin().await?;
    let persons = haven_core::people::rewrap_data_keys(&ctx, &mut tx)
        .await
        .map_err(core)?;
    let secrets = users::rewrap_totp_secrets(&ctx, &mut tx)
        .await
        .map_err(core)?;
    tx.commit().await?;
    let mut ring = Keyring::load(&path).map_err(core)?;
    ring.drop_inactive_keks();
    ring.save(&path).map_err(core)?;
    println!("Rotated to {new_id}: rewrapped {persons} data keys and {secrets} second-factor secrets; the old key is gone.");
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
