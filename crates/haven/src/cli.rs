//! The command line: what `haven` accepts, and the help it prints for each command.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "haven",
    version,
    about = "Haven: casework, shelter, outreach and referrals for people regardless of residence status."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Args, Clone)]
pub(crate) struct DataArgs {
    /// The directory holding the key file and, by default, the SQLite database.
    #[arg(long, env = "HAVEN_DATA", default_value = "haven-data")]
    pub(crate) data: PathBuf,
    /// A PostgreSQL URL (postgres://user:pass@host/db). Without it, SQLite in the data directory.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub(crate) database_url: Option<String>,
}

#[derive(Args, Clone)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "HAVEN_BIND", default_value = "127.0.0.1:8080")]
    pub(crate) bind: String,
    /// Set when Haven is reached through HTTPS (a reverse proxy): secure cookies and HSTS.
    /// In the environment: `true`/`false`, `1`/`0` or `yes`/`no`, nothing else.
    #[arg(long, env = "HAVEN_BEHIND_TLS", action = clap::ArgAction::SetTrue,
          value_parser = yes_or_no())]
    pub(crate) behind_tls: bool,
}

/// The audit log's legal period, for the retention sweep: both or neither.
#[derive(Args, Clone)]
pub(crate) struct AuditRetentionArgs {
    /// Keep audit events in the database this many months; the retention sweep moves older
    /// ones into signed, sealed files in `--audit-archive-dir`. Unset: audit events stay.
    #[arg(long, env = "HAVEN_AUDIT_KEEP_MONTHS", requires = "audit_archive_dir",
          value_parser = clap::value_parser!(i64).range(1..=1200))]
    pub(crate) audit_keep_months: Option<i64>,
    /// Where the sweep writes the audit archive files (created readable by the owner only;
    /// keep it backed up, away from the database).
    #[arg(long, env = "HAVEN_AUDIT_ARCHIVE_DIR", requires = "audit_keep_months")]
    pub(crate) audit_archive_dir: Option<PathBuf>,
}

impl AuditRetentionArgs {
    pub(crate) fn archival(&self) -> Option<haven_core::audit_archive::Archival> {
        Some(haven_core::audit_archive::Archival {
            keep_months: self.audit_keep_months?,
            dir: self.audit_archive_dir.clone()?,
            batch: haven_core::audit_archive::BATCH,
        })
    }
}

/// Exactly the spellings the README gives for a yes/no setting.
fn yes_or_no() -> impl clap::builder::TypedValueParser<Value = bool> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["true", "false", "1", "0", "yes", "no"])
        .map(|s| matches!(s.as_str(), "true" | "1" | "yes"))
}

/// E-mail about new notifications: off unless an SMTP server is given. Not offered by
/// `haven demo`, so the demo never sends e-mail.
#[derive(Args, Clone)]
pub(crate) struct MailArgs {
    /// The SMTP server: smtps://user:password@host:465, smtp://user:password@host:587?tls=required,
    /// or smtp://host:25 (no password, no TLS, for a relay on the same machine).
    #[arg(long, env = "HAVEN_SMTP_URL", hide_env_values = true)]
    pub(crate) smtp_url: Option<String>,
    /// The sender of those messages, e.g. "Haven <haven@example.org>".
    #[arg(long, env = "HAVEN_SMTP_FROM")]
    pub(crate) smtp_from: Option<String>,
    /// Haven's address as staff and the public reach it (https://haven.example.org): the
    /// link in a message, the address and QR code on leaflets, the HSDS API's root. Without
    /// it, a message asks the reader to sign in and a leaflet prints no QR code.
    #[arg(long, env = "HAVEN_PUBLIC_URL")]
    pub(crate) public_url: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Run the server on the configured database. Migrations run first.
    Serve {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        serve: ServeArgs,
        #[command(flatten)]
        mail: MailArgs,
        #[command(flatten)]
        audit: AuditRetentionArgs,
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
        /// Only say which migrations would run, and change nothing; exits with 1 when any
        /// would (for an upgrade script to check first).
        #[arg(long)]
        check: bool,
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
        command: crate::linkage::LinkageCommand,
    },
    /// Write a consistent, encrypted backup of the database while the server runs. The key
    /// file is not in it: keep the key file and the age identity apart from the backups.
    Backup {
        #[command(flatten)]
        data: DataArgs,
        /// The file to write (refuses to overwrite one).
        #[arg(long)]
        to: PathBuf,
        /// An age public key (age1…) to encrypt to; repeat for several.
        #[arg(long = "recipient")]
        recipients: Vec<String>,
        /// A file of age public keys, one a line (as `age -R` reads).
        #[arg(long = "recipients-file")]
        recipients_files: Vec<PathBuf>,
    },
    /// Restore a backup into an empty database (a new data directory holding only the
    /// installation's key file and erasure list), verify the audit chain and erase again
    /// everyone on the erasure list.
    Restore {
        #[command(flatten)]
        data: DataArgs,
        /// The backup written by `haven backup`.
        #[arg(long)]
        from: PathBuf,
        /// The age identity file (secret key) the backup was encrypted to.
        #[arg(long)]
        identity: PathBuf,
        /// The erasure list; by default where the server keeps it (HAVEN_ERASED_LOG, or
        /// erased.log in the data directory).
        #[arg(long)]
        erased: Option<PathBuf>,
        /// Restore without an erasure list: only for an installation that never kept one.
        #[arg(long, conflicts_with = "erased")]
        no_erasure_list: bool,
    },
    /// Make an age identity to encrypt backups to (as `age-keygen` does): writes the secret
    /// to FILE, readable by its owner only, and prints the public key for `--recipient`.
    /// Keep FILE off the server.
    BackupIdentity {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum RetentionCommand {
    /// Erase now every person whose organisation's retention period has passed since
    /// anything last happened with them and who has no open case, stay or referral.
    /// Prints how many per organisation.
    Run {
        #[command(flatten)]
        data: DataArgs,
        /// Only count who is due; change nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        audit: AuditRetentionArgs,
    },
}

#[derive(Subcommand)]
pub(crate) enum UserCommand {
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
pub(crate) enum DirectoryCommand {
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
pub(crate) enum AuditCommand {
    /// Walk the audit chain and report any event that was changed, removed or reordered.
    /// Exits with status 1 if the chain is broken.
    Verify {
        #[command(flatten)]
        data: DataArgs,
        /// A file of anchors written by `haven audit anchor`: the chain must still hold each
        /// anchored event, which reveals events removed from the end with the head.
        #[arg(long)]
        anchor: Option<PathBuf>,
        /// Check the anchors' signatures with this public key (`ed25519:…`, as printed by
        /// `haven audit public-key`) instead of the one derived from the key file.
        #[arg(long, requires = "anchor")]
        public_key: Option<String>,
    },
    /// Print the public key that checks anchors and archive files (`ed25519:…`). Publish it
    /// where auditors find it: with it alone they check signatures, but cannot make one.
    PublicKey {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print a checkpoint of the chain's head (sequence number and MAC, signed with the
    /// audit signing key, Ed25519), or append it to a file. Keep anchors away from the database's machine,
    /// e.g. daily from cron, and check them with `haven audit verify --anchor`.
    Anchor {
        #[command(flatten)]
        data: DataArgs,
        /// Append the anchor, one JSON line, to this file (created readable by its owner only).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also POST the anchor (JSON) to this http(s) URL, e.g. a notary service on another
        /// machine; any answer but 2xx is an error (exit status 2).
        #[arg(long, env = "HAVEN_ANCHOR_URL")]
        to: Option<String>,
    },
    /// Move the events older than the legal period into a sealed, signed file in `--out`
    /// and remove them from the database; the chain continues from a checkpoint.
    Archive {
        #[command(flatten)]
        data: DataArgs,
        /// The legal period to keep audit events in the database, in months.
        #[arg(long, env = "HAVEN_AUDIT_KEEP_MONTHS",
              value_parser = clap::value_parser!(i64).range(0..=1200))]
        keep_months: i64,
        /// The directory for the archive files (keep it backed up, away from the database).
        #[arg(long)]
        out: PathBuf,
    },
    /// Check archive files: signature, the chain inside, that they follow one another and
    /// that the newest ends at the database's checkpoint. Exit status 1 on a problem.
    /// With `--public-key`: the signatures and the order only, from the files alone.
    VerifyArchive {
        #[command(flatten)]
        data: DataArgs,
        /// Check only the signatures and the order of the files, with this public key
        /// (`ed25519:…`), without the key file or the database; the events stay sealed.
        #[arg(long)]
        public_key: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
pub(crate) enum KeysCommand {
    /// Create a new key file in the data directory (refuses to overwrite one).
    Create {
        #[arg(long, env = "HAVEN_DATA", default_value = "haven-data")]
        data: PathBuf,
    },
    /// Add a new key-encryption key to the key file and make it the active one; the old
    /// one stays until retired. Servers read the changed key file by themselves; with
    /// several machines, copy the file to each before `haven keys rotate`.
    Add {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Re-wrap every wrapped key and secret with the active key-encryption key, in short
    /// batches, while servers run. Adds a new key first if the key file holds only one.
    /// Safe to interrupt: run it again to finish. Then `haven keys retire`.
    Rotate {
        #[command(flatten)]
        data: DataArgs,
        /// Values re-wrapped per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(i64).range(1..=100_000))]
        batch: i64,
        /// Milliseconds to wait after each batch, to leave the database to the servers.
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
    },
    /// Count the wrapped values per key-encryption key and say which keys can be retired.
    Status {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Remove from the key file the old keys no value names any more. Refuses (exit
    /// status 1) while any value still names one.
    Retire {
        #[command(flatten)]
        data: DataArgs,
    },
}
