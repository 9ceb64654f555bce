//! Files of `haven linkage`: records from CSV (with a header row) or Parquet, CLKs in
//! clkhash's JSON form, and the CSV outputs. Every failure names the file and what is
//! wrong with it.

use anyhow::{anyhow, bail, Context};
use haven_core::linkage::{Bits, ClkSet, Clusters, ScoredPair, Side, Table};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

/// Reads a table: Parquet when the file starts with Parquet's magic bytes, CSV otherwise.
pub fn read_table(path: &Path) -> anyhow::Result<Table> {
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut magic = [0u8; 4];
    let is_parquet = file
        .read(&mut magic)
        .map(|n| n == 4 && &magic == b"PAR1")
        .unwrap_or(false);
    let table = if is_parquet {
        read_parquet(path)?
    } else {
        read_csv(path)?
    };
    if table.columns.is_empty() {
        bail!("{} has no header row", path.display());
    }
    Ok(table)
}

fn read_csv(path: &Path) -> anyhow::Result<Table> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let columns: Vec<String> = reader
        .headers()
        .with_context(|| format!("{} is not a CSV file with a header row", path.display()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => anyhow!(
                "{}: row {} has {len} fields where the header has {expected_len}",
                path.display(),
                i + 1
            ),
            csv::ErrorKind::Utf8 { .. } => {
                anyhow!("{}: row {} is not UTF-8 text", path.display(), i + 1)
            }
            _ => anyhow!("{}: row {}: {e}", path.display(), i + 1),
        })?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(Table { columns, rows })
}

fn read_parquet(path: &Path) -> anyhow::Result<Table> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let bad = |e: parquet::errors::ParquetError| {
        anyhow!("{} is not a readable Parquet file: {e}", path.display())
    };
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let reader = SerializedFileReader::new(file).map_err(bad)?;
    let columns: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let mut rows = Vec::new();
    for row in reader.get_row_iter(None).map_err(bad)? {
        let row = row.map_err(bad)?;
        rows.push(
            row.get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => String::new(),
                    Field::Str(s) => s.clone(),
                    Field::Bytes(b) => String::from_utf8_lossy(b.data()).into_owned(),
                    Field::Date(days) => date_from_days(*days),
                    other => other.to_string().trim_matches('"').to_owned(),
                })
                .collect(),
        );
    }
    Ok(Table { columns, rows })
}

/// A Parquet DATE (days since 1970-01-01) as YYYY-MM-DD.
fn date_from_days(days: i32) -> String {
    let epoch =
        time::Date::from_calendar_date(1970, time::Month::January, 1).unwrap_or(time::Date::MIN);
    epoch
        .checked_add(time::Duration::days(i64::from(days)))
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
        .unwrap_or_default()
}

/// CLKs from clkhash's JSON form: `{"clks": [base64, …]}`, or blocklib's
/// `{"clknblocks": [[base64, block, …], …]}` (then with the blocks of each CLK).
pub fn read_clks(path: &Path) -> anyhow::Result<(ClkSet, Option<Vec<Vec<String>>>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let in_file = |e: haven_core::linkage::LinkageError| anyhow!("{}: {e}", path.display());
    if let Some(list) = value.get("clks") {
        let clks: Vec<String> = serde_json::from_value(list.clone()).map_err(|_| {
            anyhow!(
                "{}: \"clks\" must be a list of base64 strings",
                path.display()
            )
        })?;
        return Ok((ClkSet::from_base64(&clks).map_err(in_file)?, None));
    }
    if let Some(list) = value.get("clknblocks") {
        let rows: Vec<Vec<String>> = serde_json::from_value(list.clone()).map_err(|_| {
            anyhow!(
                "{}: \"clknblocks\" must be a list of lists of strings",
                path.display()
            )
        })?;
        let clks: Vec<&str> = rows
            .iter()
            .map(|r| r.first().map_or("", String::as_str))
            .collect();
        let blocks = rows
            .iter()
            .map(|r| r.iter().skip(1).cloned().collect())
            .collect();
        return Ok((ClkSet::from_base64(&clks).map_err(in_file)?, Some(blocks)));
    }
    bail!(
        "{} has neither \"clks\" nor \"clknblocks\" (clkhash's JSON form)",
        path.display()
    )
}

pub fn write_clks(path: &Path, clks: &[Bits]) -> anyhow::Result<()> {
    let list: Vec<String> = clks.iter().map(Bits::to_base64).collect();
    let text = serde_json::to_string(&serde_json::json!({ "clks": list }))?;
    std::fs::write(path, text + "\n").with_context(|| format!("cannot write {}", path.display()))
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    Ok(BufWriter::new(File::create(path).with_context(|| {
        format!("cannot write {}", path.display())
    })?))
}

/// Writes `DIR/pairs.csv` (`id_l,id_r,score`) and `DIR/clusters.csv` (`id,cluster`, with
/// a `source` column, left or right, when two sets were linked).
pub fn write_outputs(
    dir: &Path,
    pairs: &[ScoredPair],
    clusters: &Clusters,
    left_ids: &[String],
    right_ids: &[String],
    linked: bool,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut w = csv::Writer::from_writer(create(&dir.join("pairs.csv"))?);
    w.write_record(["id_l", "id_r", "score"])?;
    for p in pairs {
        w.write_record([
            &left_ids[p.left as usize],
            &right_ids[p.right as usize],
            &format!("{:.6}", p.score),
        ])?;
    }
    w.flush()?;
    let mut w = csv::Writer::from_writer(create(&dir.join("clusters.csv"))?);
    if linked {
        w.write_record(["id", "cluster", "source"])?;
    } else {
        w.write_record(["id", "cluster"])?;
    }
    for (side, i, cluster) in clusters.members() {
        let id = if side == Side::Left {
            &left_ids[i]
        } else {
            &right_ids[i]
        };
        if linked {
            w.write_record([id.as_str(), &cluster.to_string(), side.as_str()])?;
        } else {
            w.write_record([id.as_str(), &cluster.to_string()])?;
        }
    }
    w.flush()?;
    Ok(())
}

pub fn write_json(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut w = create(path)?;
    serde_json::to_writer_pretty(&mut w, value)?;
    writeln!(w)?;
    Ok(w.flush()?)
}
