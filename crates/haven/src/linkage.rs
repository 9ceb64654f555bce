//! `haven linkage`: record linkage from the command line, on the same engine as the server
//! (`haven_core::linkage`). `encode` turns records into CLKs compatible with clkhash,
//! `match` links two CLK files by Dice similarity, `dedup` and `link` link plain records
//! probabilistically. Progress goes to stderr as a bar, a summary to stdout at the end.

mod io;

use anyhow::{anyhow, bail, Context};
use clap::{Subcommand, ValueEnum};
use haven_core::linkage::{self, Blocking, LinkConfig, Progress, Schema};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum LinkageCommand {
    /// Encode records (CSV with a header row, or Parquet) into CLKs with a clkhash
    /// linkage schema v3; writes clkhash's JSON form, {"clks": [base64, …]}, in input order.
    Encode {
        input: PathBuf,
        /// The linkage schema (clkhash v3 JSON); its identifiers name the columns.
        #[arg(long)]
        schema: PathBuf,
        /// The secret the participants share.
        #[arg(long, env = "HAVEN_LINKAGE_SECRET", hide_env_values = true)]
        secret: String,
        #[arg(long)]
        output: PathBuf,
        #[command(flatten)]
        threads: Threads,
    },
    /// Find duplicates within one file of records; writes DIR/pairs.csv and DIR/clusters.csv.
    Dedup {
        input: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
    },
    /// Find the same persons in two files of records; writes DIR/pairs.csv and DIR/clusters.csv.
    Link {
        left: PathBuf,
        right: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
    },
    /// Match two CLK files (clkhash JSON) by Dice similarity with a one-to-one greedy
    /// solver; writes DIR/pairs.csv and DIR/clusters.csv (ids are positions in the files).
    Match {
        left: PathBuf,
        right: PathBuf,
        /// The Dice similarity a pair needs (0 to 1).
        #[arg(long)]
        threshold: f64,
        #[arg(long)]
        output: PathBuf,
        /// Which pairs are compared: all, bit-sampling LSH, or auto (given blocks if the
        /// files have them, all pairs up to a billion, LSH beyond).
        #[arg(long, value_enum, default_value_t = BlockingArg::Auto)]
        blocking: BlockingArg,
        #[command(flatten)]
        threads: Threads,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BlockingArg {
    Auto,
    All,
    Lsh,
}

#[derive(clap::Args)]
pub struct Threads {
    /// Threads to use (default: every core).
    #[arg(long)]
    threads: Option<usize>,
}

impl Threads {
    fn get(&self) -> usize {
        self.threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1)
    }
}

/// What `dedup` and `link` share: how records are named, where the results go and how
/// records are compared.
#[derive(clap::Args)]
pub struct RecordArgs {
    /// The column that identifies a record (in both files, for `link`; never compared).
    #[arg(long)]
    id: String,
    #[arg(long)]
    output: PathBuf,
    #[command(flatten)]
    tuning: Tuning,
}

#[derive(clap::Args)]
pub struct Tuning {
    /// A JSON or TOML file with comparisons, blocking rules and threshold (see
    /// `haven_core::linkage::LinkConfig`); without it they are chosen from the values.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The match probability a pair needs (overrides the configuration; default 0.9).
    #[arg(long)]
    threshold: Option<f64>,
    #[command(flatten)]
    threads: Threads,
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>10} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        Bar(bar)
    }
}

impl Progress for Bar {
    fn start(&self, step: &str, total: u64) {
        self.0.set_message(step.to_owned());
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.reset_eta();
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

pub fn run(command: LinkageCommand) -> anyhow::Result<ExitCode> {
    match command {
        LinkageCommand::Encode {
            input,
            schema,
            secret,
            output,
            threads,
        } => encode(&input, &schema, &secret, &output, threads.get()),
        LinkageCommand::Dedup { input, records: r } => records(&input, None, &r),
        LinkageCommand::Link {
            left,
            right,
            records: r,
        } => records(&left, Some(&right), &r),
        LinkageCommand::Match {
            left,
            right,
            threshold,
            output,
            blocking,
            threads,
        } => match_clks(&left, &right, threshold, &output, blocking, threads.get()),
    }?;
    Ok(ExitCode::SUCCESS)
}

fn rate(n: usize, secs: f64) -> String {
    let r = n as f64 / secs.max(1e-9);
    if r >= 1e6 {
        format!("{:.1} million/s", r / 1e6)
    } else {
        format!("{r:.0}/s")
    }
}

fn encode(
    input: &Path,
    schema_path: &Path,
    secret: &str,
    output: &Path,
    threads: usize,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(schema_path)
        .with_context(|| format!("cannot read {}", schema_path.display()))?;
    let schema = Schema::from_json(&text).map_err(|e| anyhow!("{}: {e}", schema_path.display()))?;
    if secret.is_empty() {
        bail!("the secret is empty");
    }
    let table = io::read_table(input)?;
    let started = Instant::now();
    let encoder = linkage::Encoder::new(schema, secret)?;
    let clks = {
        let bar = Bar::new();
        encoder
            .encode_table(&table, threads, &bar)
            .map_err(|e| anyhow!("{}: {e}", input.display()))?
    };
    let secs = started.elapsed().as_secs_f64();
    io::write_clks(output, &clks)?;
    let bits = encoder.schema().l;
    let mean =
        clks.iter().map(|c| f64::from(c.count_ones())).sum::<f64>() / clks.len().max(1) as f64;
    println!(
        "Encoded {} records into CLKs of {bits} bits (on average {mean:.1} bits set).",
        clks.len()
    );
    println!(
        "Encoding took {secs:.3} s on {threads} threads ({} records).",
        rate(clks.len(), secs)
    );
    println!("Wrote {}.", output.display());
    Ok(())
}

fn read_config(tuning: &Tuning) -> anyhow::Result<LinkConfig> {
    let mut config = match &tuning.config {
        None => LinkConfig::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let toml = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
            if toml {
                toml::from_str(&text)
                    .map_err(|e| anyhow!("{} is not a valid configuration: {e}", path.display()))?
            } else {
                serde_json::from_str(&text)
                    .map_err(|e| anyhow!("{} is not a valid configuration: {e}", path.display()))?
            }
        }
    };
    if let Some(t) = tuning.threshold {
        config.threshold = Some(t);
    }
    Ok(config)
}

fn ids(table: &linkage::Table, id: &str, path: &Path) -> anyhow::Result<Vec<String>> {
    let col = table
        .column(id)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(table
        .rows
        .iter()
        .map(|r| r.get(col).cloned().unwrap_or_default())
        .collect())
}

fn records(left_path: &Path, right_path: Option<&Path>, args: &RecordArgs) -> anyhow::Result<()> {
    let (id, output, tuning) = (args.id.as_str(), args.output.as_path(), &args.tuning);
    let started = Instant::now();
    let config = read_config(tuning)?;
    let left = io::read_table(left_path)?;
    let left_ids = ids(&left, id, left_path)?;
    let right = right_path.map(io::read_table).transpose()?;
    let right_ids = match (&right, right_path) {
        (Some(t), Some(p)) => ids(t, id, p)?,
        _ => left_ids.clone(),
    };
    let linked = {
        let bar = Bar::new();
        linkage::link_records(
            &left,
            right.as_ref(),
            id,
            &config,
            tuning.threads.get(),
            &bar,
        )?
    };
    io::write_outputs(
        output,
        &linked.pairs,
        &linked.clusters,
        &left_ids,
        &right_ids,
        right.is_some(),
    )?;
    let names: Vec<String> = std::iter::once(left_path)
        .chain(right_path)
        .map(|p| p.display().to_string())
        .collect();
    let estimate = write_estimate(output, &names, &linked.clusters)?;

    let n = left.len() + right.as_ref().map_or(0, linkage::Table::len);
    println!("Records: {n}");
    println!("Compared: {}", linked.comparisons.join(", "));
    for (rule, pairs) in &linked.rules {
        println!("Blocking rule: {rule} ({pairs} pairs)");
    }
    for (rule, pairs) in &linked.skipped_rules {
        println!("Blocking rule left out: {rule} ({pairs} pairs would be too many)");
    }
    println!("Candidate pairs compared: {}", linked.candidates);
    let m = &linked.model;
    let state = if m.converged { "converged" } else { "stopped" };
    println!(
        "EM {state} after {} iterations; share of matches among candidates {:.4}",
        m.iterations, m.lambda
    );
    for ((name, levels), (ms, us)) in linked
        .comparisons
        .iter()
        .zip(&linked.level_names)
        .zip(m.m.iter().zip(&m.u))
    {
        let cells: Vec<String> = levels
            .iter()
            .zip(ms.iter().zip(us))
            .map(|(l, (m, u))| format!("{l} m={m:.3} u={u:.4}"))
            .collect();
        println!("  {name}: {}", cells.join("; "));
    }
    println!(
        "Pairs with match probability ≥ {}: {}",
        linked.threshold,
        linked.pairs.len()
    );
    summary_end(&estimate, output, started);
    Ok(())
}

/// How many distinct persons the clusters stand for, per file and in all: written beside
/// the pairs and clusters.
fn write_estimate(
    output: &Path,
    names: &[String],
    clusters: &linkage::Clusters,
) -> anyhow::Result<linkage::Estimate> {
    let estimate = linkage::estimate(
        names,
        clusters
            .members()
            .map(|(side, _, c)| (usize::from(side == linkage::Side::Right), c)),
    );
    io::write_json(&output.join("estimate.json"), &estimate)?;
    Ok(estimate)
}

/// The last lines of a summary: the estimate and what was written, in how long.
fn summary_end(e: &linkage::Estimate, output: &Path, started: Instant) {
    summary_estimate(e);
    println!(
        "Wrote {0}/pairs.csv, {0}/clusters.csv and {0}/estimate.json in {1:.2} s.",
        output.display(),
        started.elapsed().as_secs_f64()
    );
}

fn summary_estimate(e: &linkage::Estimate) {
    println!(
        "Distinct persons: {} among {} records",
        e.persons, e.records
    );
    if e.sources.len() == 2 {
        println!(
            "In both sources: {} (left {}, right {}); Chapman estimate of the whole population: {:.0}",
            e.overlaps[0].2,
            e.sources[0].persons,
            e.sources[1].persons,
            e.chapman.unwrap_or(f64::NAN)
        );
    }
}

fn match_clks(
    left_path: &Path,
    right_path: &Path,
    threshold: f64,
    output: &Path,
    blocking: BlockingArg,
    threads: usize,
) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&threshold) {
        bail!("--threshold must be between 0 and 1, not {threshold}");
    }
    let started = Instant::now();
    let (left, left_blocks) = io::read_clks(left_path)?;
    let (right, right_blocks) = io::read_clks(right_path)?;
    let all = left.len() * right.len();
    let blocking = match (blocking, left_blocks, right_blocks) {
        (BlockingArg::All, ..) => Blocking::All,
        (BlockingArg::Lsh, ..) => Blocking::default_lsh(),
        (BlockingArg::Auto, Some(l), Some(r)) => Blocking::Keys { left: l, right: r },
        (BlockingArg::Auto, ..) if all > 1_000_000_000 => Blocking::default_lsh(),
        (BlockingArg::Auto, ..) => Blocking::All,
    };
    let compare_started = Instant::now();
    let candidates = {
        let bar = Bar::new();
        linkage::candidates(&left, &right, threshold, &blocking, threads, &bar)?
    };
    let compare_secs = compare_started.elapsed().as_secs_f64();
    let solve_started = Instant::now();
    let pairs = linkage::greedy_solve(&candidates, false);
    let solve_secs = solve_started.elapsed().as_secs_f64();
    let clusters = linkage::clusters(left.len(), right.len(), &pairs);
    let ids = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
    io::write_outputs(
        output,
        &pairs,
        &clusters,
        &ids(left.len()),
        &ids(right.len()),
        true,
    )?;
    let names = [
        left_path.display().to_string(),
        right_path.display().to_string(),
    ];
    let estimate = write_estimate(output, &names, &clusters)?;

    let how = match &blocking {
        Blocking::All => "all pairs".to_owned(),
        Blocking::Lsh { bands, bits } => format!("LSH blocking, {bands} bands of {bits} bits"),
        Blocking::Keys { .. } => "the files' blocks".to_owned(),
    };
    println!(
        "CLKs: {} left, {} right, {} bits",
        left.len(),
        right.len(),
        left.bits().max(right.bits())
    );
    println!(
        "Dice comparisons ({how}): {all} pairs in {compare_secs:.3} s on {threads} threads ({} pairs)",
        rate(all, compare_secs)
    );
    println!("Candidates with Dice ≥ {threshold}: {}", candidates.len());
    println!(
        "Matched one to one (greedy): {} pairs in {solve_secs:.3} s",
        pairs.len()
    );
    summary_end(&estimate, output, started);
    Ok(())
}
