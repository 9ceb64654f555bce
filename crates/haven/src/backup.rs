//! `haven backup` and `haven restore`: the core's portable snapshot
//! (`haven_core::backup`), compressed (zstd) and encrypted to age recipients as it is
//! written, and read back the same way.
//!
//! Nothing unencrypted is written anywhere: the rows go from the database through the
//! compressor and age's encryption into a temporary file beside the destination, which
//! is renamed into place once complete and synced (and removed on any error). The key
//! file is not in the backup; see `docs/it-operations.md`.

use anyhow::{bail, Context};
use haven_core::backup::{self, Dumped, Erased, Restored};
use haven_core::Ctx;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The recipients to encrypt to: age public keys given directly, and files of them (one a
/// line, `#` comments), as `age -r` and `age -R` take them.
pub fn recipients(
    keys: &[String],
    files: &[PathBuf],
) -> anyhow::Result<Vec<age::x25519::Recipient>> {
    let mut out = Vec::new();
    let parse = |key: &str, from: &str| {
        age::x25519::Recipient::from_str(key.trim())
            .map_err(|e| anyhow::anyhow!("{from}: {key:?} is not an age public key (age1…): {e}"))
    };
    for k in keys {
        out.push(parse(k, "--recipient")?);
    }
    for f in files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("cannot read the recipients file {}", f.display()))?;
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with('#') {
                out.push(parse(line, &f.display().to_string())?);
            }
        }
    }
    if out.is_empty() {
        bail!("give the age public key to encrypt to: --recipient age1… or --recipients-file FILE");
    }
    Ok(out)
}

/// Writes a new age identity to `out` (which must not exist), readable by its owner only,
/// in age-keygen's form; returns its public key.
pub fn new_identity(out: &Path) -> anyhow::Result<String> {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let public = identity.to_public().to_string();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(out)
        .with_context(|| format!("cannot create {} (it must not exist yet)", out.display()))?;
    writeln!(
        f,
        "# public key: {public}\n{}",
        identity.to_string().expose_secret()
    )?;
    f.sync_all()?;
    Ok(public)
}

/// A progress bar on stderr when it is a terminal; quiet otherwise.
fn bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(0),
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

/// Writes an encrypted backup of the database of `ctx` to `to` (which must not exist) and
/// records it in the audit chain.
pub async fn backup(
    ctx: &Ctx,
    to: &Path,
    recipients: &[age::x25519::Recipient],
) -> anyhow::Result<Dumped> {
    if to.exists() {
        bail!("{} exists already; choose a new file name", to.display());
    }
    let dir = match to.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.partial", uuid::Uuid::new_v4().simple()));
    let written = write_backup(ctx, &tmp, recipients).await;
    let done = written.and_then(|d| {
        std::fs::rename(&tmp, to)
            .with_context(|| format!("cannot move the backup into place at {}", to.display()))?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(d)
    });
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let dumped = done?;
    backup::record(ctx, &dumped).await.map_err(|e| {
        anyhow::anyhow!("the backup is complete, but recording it in the audit log failed: {e:#}")
    })?;
    Ok(dumped)
}

async fn write_backup(
    ctx: &Ctx,
    tmp: &Path,
    recipients: &[age::x25519::Recipient],
) -> anyhow::Result<Dumped> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts
        .open(tmp)
        .with_context(|| format!("cannot create {}", tmp.display()))?;
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| anyhow::anyhow!("cannot encrypt to these recipients: {e}"))?;
    let sealed = encryptor.wrap_output(BufWriter::with_capacity(1 << 20, file))?;
    let mut out = zstd::stream::write::Encoder::new(sealed, 3)?;
    let bar = bar("backup");
    let dumped = backup::dump(&ctx.db, ctx.clock.now_ts(), &mut out, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await;
    bar.finish_and_clear();
    let dumped = dumped?;
    let sealed = out.finish().context("cannot write the backup")?;
    let mut buffered = sealed.finish().context("cannot write the backup")?;
    buffered.flush().context("cannot write the backup")?;
    let file = buffered
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write the backup: {}", e.error()))?;
    file.sync_all().context("cannot write the backup to disk")?;
    Ok(dumped)
}

/// Opens an encrypted backup with the identities in `identity`: the plaintext stream.
/// Fails at once, before anything is written anywhere, when the file is not an age file
/// or not encrypted to these identities.
pub fn open_backup(from: &Path, identity: &Path) -> anyhow::Result<impl std::io::BufRead> {
    let identities = age::IdentityFile::from_file(identity.display().to_string())
        .with_context(|| format!("cannot read the age identity {}", identity.display()))?
        .into_identities()
        .map_err(|e| anyhow::anyhow!("{}: not an age identity: {e}", identity.display()))?;
    let file = std::fs::File::open(from)
        .with_context(|| format!("cannot open the backup {}", from.display()))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| anyhow::anyhow!("{} is not an age-encrypted backup: {e}", from.display()))?;
    let plain = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => anyhow::anyhow!(
                "{} is not encrypted to the identity in {}: use the identity whose public \
                 key the backup was made for",
                from.display(),
                identity.display()
            ),
            other => anyhow::anyhow!("{} cannot be decrypted: {other}", from.display()),
        })?;
    let unpacked = zstd::stream::read::Decoder::new(plain).context("the backup cannot be read")?;
    Ok(BufReader::with_capacity(1 << 20, unpacked))
}

/// Restores a backup opened with [`open_backup`] into the empty database of `ctx`.
pub async fn restore(
    ctx: &Ctx,
    input: &mut dyn std::io::BufRead,
    erased: &Erased,
) -> anyhow::Result<Restored> {
    let bar = bar("restore");
    let restored = backup::restore(ctx, input, erased, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await;
    bar.finish_and_clear();
    restored
}
