//! Haven's CLKs against clkhash's, bit for bit: `testdata/linkage/clks-*.json` were written
//! by clkhash (`scripts/linkage-fixtures`) from `records.csv` and `secret.txt` under each
//! `schema-*.json` beside them.

use super::{Encoder, NoProgress, Schema, Table};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/linkage");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn records() -> Table {
    let text = read("records.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let columns = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    Table { columns, rows }
}

fn check(schema_name: &str) {
    let schema = Schema::from_json(&read(&format!("schema-{schema_name}.json"))).unwrap();
    let secret = read("secret.txt");
    let encoder = Encoder::new(schema, secret.trim()).unwrap();
    let ours: Vec<String> = encoder
        .encode_table(&records(), 2, &NoProgress)
        .unwrap()
        .iter()
        .map(|b| b.to_base64())
        .collect();
    let theirs: serde_json::Value =
        serde_json::from_str(&read(&format!("clks-{schema_name}.json"))).unwrap();
    let theirs: Vec<String> = serde_json::from_value(theirs["clks"].clone()).unwrap();
    assert_eq!(ours.len(), theirs.len());
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(a, b, "schema {schema_name}, record {}", i + 1);
    }
}

#[test]
fn blake_hash_with_every_field_type_matches_clkhash() {
    check("blake");
}

#[test]
fn blake_hash_with_several_digests_and_folds_matches_clkhash() {
    check("blake-small");
}

#[test]
fn double_hash_with_utf16_utf32_and_folding_matches_clkhash() {
    check("double");
}

#[test]
fn double_hash_preventing_singularity_matches_clkhash() {
    check("singular");
}
