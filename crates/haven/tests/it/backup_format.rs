//! A backup made by an earlier build still opens: `tests/fixtures/backup-age-0.12/` holds
//! a backup written by `haven backup` when Haven used `age` 0.12 (a three-person demo),
//! with its age identity and key file (test keys, nothing else uses them). It is read here
//! whole, through the same code `haven restore` uses: age's authentication covers every
//! byte, the stream parses to its trailer, and every person's data key opens with the key
//! file. (A full restore needs the migrations the backup names, which grow after it.)

use haven_core::backup::format::{Header, TableHead, Trailer};
use haven_core::crypto::Keyring;
use std::io::BufRead;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/backup-age-0.12")
        .join(name)
}

#[test]
fn a_backup_made_with_age_0_12_opens_whole_and_its_persons_read() {
    let input = haven::backup::open_backup(&fixture("backup.age"), &fixture("identity.txt"))
        .expect("opens");
    let mut lines = input
        .lines()
        .map(|l| l.expect("age authenticates every chunk"));
    let header: Header = serde_json::from_str(&lines.next().unwrap()).unwrap();
    assert_eq!(
        (header.format.as_str(), header.version),
        ("haven-backup", 1)
    );
    let keys =
        Keyring::from_json(&std::fs::read_to_string(fixture("haven.keys")).unwrap()).unwrap();
    let (mut rows, mut tables, mut persons) = (0u64, 0usize, 0);
    while let Some(line) = lines.next() {
        if let Ok(t) = serde_json::from_str::<Trailer>(&line) {
            assert!(t.end && lines.next().is_none());
            assert_eq!((t.tables, t.rows), (tables, rows));
            assert_eq!((header.tables, header.rows), (tables, rows));
            break;
        }
        let head: TableHead = serde_json::from_str(&line).unwrap();
        tables += 1;
        let at = |name: &str| head.columns.iter().position(|c| c.name == name);
        for _ in 0..head.rows {
            let row: Vec<serde_json::Value> = serde_json::from_str(&lines.next().unwrap()).unwrap();
            rows += 1;
            if head.table == "persons" {
                let id = row[at("id").unwrap()].as_str().unwrap();
                let wrapped = row[at("data_key").unwrap()].as_str().unwrap();
                keys.unwrap_data_key(wrapped, id)
                    .expect("the data key opens");
                persons += 1;
            }
        }
    }
    assert_eq!(persons, 3);
    assert_eq!(rows, 9697);
}
