//! Migrations are immutable once landed: a database that ran a migration never runs it
//! again, so an edit to a landed file would reach new installations only, and old and new
//! databases would silently differ. `crates/haven-core/migrations/CHECKSUMS` holds the
//! SHA-256 of every landed migration in `sha256sum` form; this test fails, naming the file,
//! when a listed migration is edited or deleted, or when a migration is not listed yet.
//! A change to the schema is a new migration; list it with
//! `cd crates/haven-core/migrations && sha256sum NNNN_name.sql >> CHECKSUMS`.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn migrations() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../haven-core/migrations")
}

/// The committed list: file name to its SHA-256 in lower-case hex.
fn checksums() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(migrations().join("CHECKSUMS")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (sum, file) = l
                .split_once("  ")
                .unwrap_or_else(|| panic!("CHECKSUMS: `{l}` is not `sha256  file`"));
            (file.trim().to_owned(), sum.trim().to_owned())
        })
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

#[test]
fn landed_migrations_are_never_edited_or_deleted_and_new_ones_are_listed() {
    let listed = checksums();
    let mut problems = Vec::new();
    for (file, want) in &listed {
        match std::fs::read(migrations().join(file)) {
            Ok(bytes) if sha256(&bytes) == *want => {}
            Ok(_) => problems.push(format!(
                "{file} was edited after it landed: restore it and put the change in a new \
                 migration"
            )),
            Err(_) => problems.push(format!(
                "{file} was deleted after it landed: restore it (a landed migration stays)"
            )),
        }
    }
    for entry in std::fs::read_dir(migrations()).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if file.ends_with(".sql") && !listed.contains_key(&file) {
            problems.push(format!(
                "{file} is not in CHECKSUMS: add it with `sha256sum {file} >> CHECKSUMS`"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
