//! `haven keys`: create the key file, and rotate the key-encryption key while servers run
//! (`haven_core::rotation` has the steps and why they are safe).

use std::process::ExitCode;
use std::time::Duration;

use haven::{ensure_keys, key_path, open};
use haven_core::crypto::Keyring;
use haven_core::rotation;

use crate::cli::{DataArgs, KeysCommand};
use crate::core;

pub(crate) async fn run(command: KeysCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeysCommand::Create { data } => {
            if !ensure_keys(&data)? {
                anyhow::bail!(
                    "{} exists already; use `haven keys rotate` to change the key",
                    key_path(&data).display()
                );
            }
            println!(
                "Created {}. Back it up apart from the database: without it, the data cannot be read.",
                key_path(&data).display()
            );
        }
        KeysCommand::Add { data } => {
            let id = add(&data.data)?;
            println!(
                "Added {id} to {} as the active key; the old one stays until retired. Running \
                 servers read the changed file by themselves. With several machines, copy the \
                 file to each, then run `haven keys rotate`.",
                key_path(&data.data).display()
            );
        }
        KeysCommand::Rotate {
            data,
            batch,
            pause_ms,
        } => return rotate(&data, batch, pause_ms).await,
        KeysCommand::Status { data } => {
            let ctx = open(&data.data, data.database_url.as_deref()).await?;
            print_status(&ctx).await?;
        }
        KeysCommand::Retire { data } => return retire(&data).await,
    }
    Ok(ExitCode::SUCCESS)
}

fn from_file(data: &std::path::Path) -> anyhow::Result<Keyring> {
    if std::env::var("HAVEN_KEYS").is_ok() {
        anyhow::bail!("the keys come from HAVEN_KEYS; rotate them where that variable is managed");
    }
    Keyring::load(&key_path(data)).map_err(core)
}

/// Adds a KEK, makes it active and saves the key file; returns its id.
fn add(data: &std::path::Path) -> anyhow::Result<String> {
    let mut ring = from_file(data)?;
    let id = ring.add_kek();
    ring.save(&key_path(data)).map_err(core)?;
    Ok(id)
}

async fn rotate(data: &DataArgs, batch: i64, pause_ms: u64) -> anyhow::Result<ExitCode> {
    if from_file(&data.data)?.kek_ids().len() == 1 {
        let id = add(&data.data)?;
        println!("Added {id} to the key file as the active key.");
    }
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    println!("Re-wrapping with {}.", ctx.keys.active_kek_id());
    let opts = rotation::Options {
        batch,
        pause: Duration::from_millis(pause_ms),
    };
    let done = rotation::rewrap(&ctx, &opts, &mut |p| {
        println!("{}: {} values re-wrapped so far", p.table, p.rewrapped);
    })
    .await
    .map_err(core)?;
    println!("Re-wrapped {} values.", done.rewrapped);
    let code = if done.unreadable.is_empty() {
        ExitCode::SUCCESS
    } else {
        println!(
            "{} values did not open with the key file's keys and were left as they are:",
            done.unreadable.len()
        );
        for (table, id) in &done.unreadable {
            println!("  - {table} {id}");
        }
        ExitCode::from(1)
    };
    print_status(&ctx).await?;
    Ok(code)
}

/// Prints the counts per KEK; returns the KEKs that can be retired.
async fn print_status(ctx: &haven_core::Ctx) -> anyhow::Result<Vec<String>> {
    let status = rotation::status(ctx).await.map_err(core)?;
    let active = ctx.keys.active_kek_id();
    for c in &status {
        let counts: Vec<String> = c
            .by_kek
            .iter()
            .map(|(k, n)| {
                let mark = if *k == active { " (active)" } else { "" };
                format!("{k}{mark}: {n}")
            })
            .collect();
        println!("{} ({}): {}", c.what, c.table, counts.join(", "));
        if c.unknown > 0 {
            println!(
                "  {} of them name a key the key file does not hold and cannot be read",
                c.unknown
            );
        }
    }
    let old = ctx.keys.kek_ids().len() - 1;
    let retirable = rotation::retirable(&status, &active);
    if old == 0 {
        println!("The key file holds only the active key.");
    } else if retirable.len() == old {
        println!(
            "No value names {} any more: run `haven keys retire` once every server has read \
             the key file (servers log \"key file reloaded\").",
            retirable.join(", ")
        );
    } else {
        println!("Values still name an old key: run `haven keys rotate` (again).");
    }
    Ok(retirable)
}

async fn retire(data: &DataArgs) -> anyhow::Result<ExitCode> {
    let mut ring = from_file(&data.data)?;
    let ctx = open(&data.data, data.database_url.as_deref()).await?;
    let retirable = print_status(&ctx).await?;
    let old = ring.kek_ids().len() - 1;
    if old == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    if retirable.len() < old {
        println!("Nothing retired.");
        return Ok(ExitCode::from(1));
    }
    ring.drop_inactive_keks();
    ring.save(&key_path(&data.data)).map_err(core)?;
    rotation::log_retired(&ctx, &retirable)
        .await
        .map_err(core)?;
    println!(
        "Retired {}; the key file holds {} only. Copy it to every machine.",
        retirable.join(", "),
        ring.active_kek_id()
    );
    Ok(ExitCode::SUCCESS)
}
