//! `haven linkage` end to end: CLKs identical to clkhash's (CSV and Parquet input),
//! dedup, link and match on small files, and a message naming the problem for each kind
//! of bad input. No database is involved, so these run the same on SQLite and PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::Output;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../haven-core/testdata/linkage"
);

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("haven-linkage-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `haven linkage <command> <inputs…> [--name value…] --output <output>`.
fn linkage(command: &str, inputs: &[&Path], options: &[(&str, &str)], output: &Path) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_haven"));
    cmd.args(["linkage", command]).args(inputs);
    for (name, value) in options {
        cmd.arg(format!("--{name}")).arg(value);
    }
    cmd.arg("--output")
        .arg(output)
        .env_remove("HAVEN_LINKAGE_SECRET")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Fails with a message that contains `needle`, no panic.
fn fails_with(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "expected a failure mentioning {needle:?}"
    );
    assert!(
        err.contains(needle),
        "stderr {err:?} does not mention {needle:?}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

fn secret() -> String {
    std::fs::read_to_string(fixture("secret.txt"))
        .unwrap()
        .trim()
        .to_owned()
}

fn clks(path: &Path) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::from_value(v["clks"].clone()).unwrap()
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut rows = vec![r.headers().unwrap().iter().map(str::to_owned).collect()];
    rows.extend(
        r.records()
            .map(|rec| rec.unwrap().iter().map(str::to_owned).collect()),
    );
    rows
}

/// Encodes with a schema of the fixtures and the fixtures' secret.
fn encode(input: &Path, schema: &str, out: &Path) -> Output {
    let schema = fixture(schema);
    let options = [("schema", schema.to_str().unwrap()), ("secret", &secret())];
    linkage("encode", &[input], &options, out)
}

#[test]
fn encode_gives_clkhash_clks_for_both_hashing_strategies() {
    let dir = temp_dir();
    for schema in ["blake", "double", "blake-small", "singular"] {
        let out = dir.join(format!("{schema}.json"));
        let summary = ok(&encode(
            &fixture("records.csv"),
            &format!("schema-{schema}.json"),
            &out,
        ));
        assert!(summary.contains("Encoded 15 records"), "{summary}");
        assert_eq!(
            clks(&out),
            clks(&fixture(&format!("clks-{schema}.json"))),
            "{schema}"
        );
    }
}

/// The fixture records as a Parquet file (Snappy pages, every column text).
fn write_parquet(path: &Path) {
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let rows = csv_rows(&fixture("records.csv"));
    let fields: Vec<String> = rows[0]
        .iter()
        .map(|c| format!("REQUIRED BYTE_ARRAY {c} (UTF8);"))
        .collect();
    let schema = Arc::new(
        parquet::schema::parser::parse_message_type(&format!(
            "message records {{ {} }}",
            fields.join(" ")
        ))
        .unwrap(),
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let mut writer =
        SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, props).unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut col = 0;
    while let Some(mut column) = group.next_column().unwrap() {
        let values: Vec<ByteArray> = rows[1..]
            .iter()
            .map(|r| ByteArray::from(r[col].as_str()))
            .collect();
        column
            .typed::<ByteArrayType>()
            .write_batch(&values, None, None)
            .unwrap();
        column.close().unwrap();
        col += 1;
    }
    group.close().unwrap();
    writer.close().unwrap();
}

#[test]
fn encode_reads_parquet_too() {
    let dir = temp_dir();
    let input = dir.join("records.parquet");
    write_parquet(&input);
    let out = dir.join("clks.json");
    ok(&encode(&input, "schema-blake.json", &out));
    assert_eq!(clks(&out), clks(&fixture("clks-blake.json")));
}

#[test]
fn match_links_clks_one_to_one() {
    let dir = temp_dir();
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    ok(&encode(&fixture("records.csv"), "schema-blake.json", &a));
    // The right file: the same records, reversed.
    let mut right = clks(&a);
    right.reverse();
    std::fs::write(&b, serde_json::json!({ "clks": right }).to_string()).unwrap();
    let out_dir = dir.join("out");
    let summary = ok(&linkage(
        "match",
        &[&a, &b],
        &[("threshold", "0.95")],
        &out_dir,
    ));
    assert!(
        summary.contains("Matched one to one (greedy): 15 pairs"),
        "{summary}"
    );
    let pairs = csv_rows(&out_dir.join("pairs.csv"));
    assert_eq!(pairs[0], ["id_l", "id_r", "score"]);
    let mut got: Vec<(usize, usize, String)> = pairs[1..]
        .iter()
        .map(|p| (p[0].parse().unwrap(), p[1].parse().unwrap(), p[2].clone()))
        .collect();
    got.sort();
    let want: Vec<(usize, usize, String)> = (0..15)
        .map(|i| (i, 14 - i, "1.000000".to_owned()))
        .collect();
    assert_eq!(got, want);
    let clusters = csv_rows(&out_dir.join("clusters.csv"));
    assert_eq!(clusters[0], ["id", "cluster", "source"]);
    assert_eq!(clusters.len(), 31);
    assert!(
        summary.contains("Distinct persons: 15 among 30 records"),
        "{summary}"
    );
}

/// A synthetic population of `n` persons drawn with a fixed seed.
fn people(n: usize) -> Vec<[String; 5]> {
    let given = [
        "amina", "jose", "olena", "li", "fatima", "ahmed", "maria", "ivan", "sara", "yusuf",
        "nadia", "omar", "elena", "karim", "lucia", "tariq", "hana", "milan", "rosa", "samir",
    ];
    let family = [
        "yusuf",
        "garcia",
        "kovalenko",
        "wu",
        "haddad",
        "rahimi",
        "rossi",
        "petrov",
        "nilsen",
        "demir",
        "farah",
        "moreau",
        "bauer",
        "okafor",
        "silva",
        "novak",
        "costa",
        "weber",
        "lindqvist",
        "mensah",
        "tanaka",
        "oliveira",
        "schmidt",
        "kaya",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut draw = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..n)
        .map(|i| {
            let g = given[draw(given.len())].to_owned();
            let f = format!(
                "{}{}",
                family[draw(family.len())],
                ["", "son", "er", "i", "ov"][draw(5)]
            );
            let dob = format!(
                "{}-{:02}-{:02}",
                1940 + draw(70),
                1 + draw(12),
                1 + draw(28)
            );
            let city = ["oslo", "lyon", "graz", "turku", "porto", "gent"][draw(6)].to_owned();
            [format!("p{i}"), g, f, dob, city]
        })
        .collect()
}

fn typo(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() > 3 {
        c.swap(1, 2);
    } else {
        c.push('e');
    }
    c.into_iter().collect()
}

fn write_people(path: &Path, rows: &[[String; 5]]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["id", "given_name", "surname", "date_of_birth", "city"])
        .unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn dedup_finds_the_duplicates_with_automatic_comparisons() {
    let dir = temp_dir();
    let mut rows = people(400);
    let originals: Vec<[String; 5]> = rows.iter().step_by(5).cloned().collect();
    for (k, o) in originals.iter().enumerate() {
        let mut d = o.clone();
        d[0] = format!("{}-dup", o[0]);
        d[1 + k % 3] = if k % 3 == 2 {
            format!(
                "{}{}",
                &o[3][..8],
                if &o[3][8..] == "01" { "02" } else { "01" }
            )
        } else {
            typo(&o[1 + k % 3])
        };
        rows.push(d);
    }
    let input = dir.join("people.csv");
    write_people(&input, &rows);
    let out = dir.join("out");
    let summary = ok(&linkage("dedup", &[&input], &[("id", "id")], &out));
    assert!(
        summary.contains("surname (name)")
            && summary.contains("date_of_birth (date, %Y-%m-%d)")
            && summary.contains("city (exact)"),
        "{summary}"
    );
    let pairs = csv_rows(&out.join("pairs.csv"));
    let found: std::collections::HashSet<(String, String)> = pairs[1..]
        .iter()
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    let true_pairs: Vec<(String, String)> = originals
        .iter()
        .map(|o| (o[0].clone(), format!("{}-dup", o[0])))
        .collect();
    let hits = true_pairs.iter().filter(|p| found.contains(p)).count();
    assert!(
        hits * 10 >= true_pairs.len() * 9,
        "found {hits} of {}: {summary}",
        true_pairs.len()
    );
    assert!(
        found.len() <= hits + hits / 10,
        "{} pairs for {hits} true ones: {summary}",
        found.len()
    );
    let clusters = csv_rows(&out.join("clusters.csv"));
    assert_eq!(clusters[0], ["id", "cluster"]);
    assert_eq!(clusters.len(), rows.len() + 1);
}

#[test]
fn link_finds_the_same_persons_in_two_files_with_a_configuration() {
    let dir = temp_dir();
    let all = people(300);
    let left: Vec<[String; 5]> = all[..200].to_vec();
    // The right file: persons 100..300, the shared ones with a typo in the surname.
    let right: Vec<[String; 5]> = all[100..]
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r[0] = format!("r{}", r[0]);
            r[2] = typo(&r[2]);
            r
        })
        .collect();
    let (l, r) = (dir.join("left.csv"), dir.join("right.csv"));
    write_people(&l, &left);
    write_people(&r, &right);
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        r#"
threshold = 0.8
one_to_one = true
blocking = ["date_of_birth", "initial(given_name) & initial(surname)"]

[[comparisons]]
column = "given_name"
kind = "name"

[[comparisons]]
column = "surname"
kind = "name"
levels = [0.9, 0.8]

[[comparisons]]
column = "date_of_birth"
kind = "date"
format = "%Y-%m-%d"

[[comparisons]]
column = "city"
kind = "exact"
"#,
    )
    .unwrap();
    let out = dir.join("out");
    let options = [("id", "id"), ("config", config.to_str().unwrap())];
    let summary = ok(&linkage("link", &[&l, &r], &options, &out));
    assert!(
        summary.contains("Blocking rule: initial(given_name) & initial(surname)"),
        "{summary}"
    );
    let pairs = csv_rows(&out.join("pairs.csv"));
    let correct = pairs[1..]
        .iter()
        .filter(|p| p[1] == format!("r{}", p[0]))
        .count();
    assert!(
        correct >= 95 && pairs.len() - 1 <= 105,
        "{correct} correct of {} pairs: {summary}",
        pairs.len() - 1
    );
    let clusters = csv_rows(&out.join("clusters.csv"));
    assert_eq!(clusters[0], ["id", "cluster", "source"]);
    assert!(summary.contains("In both sources: "), "{summary}");
    let estimate: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("estimate.json")).unwrap()).unwrap();
    assert_eq!(estimate["records"], 400);
}

#[test]
fn bad_input_stops_with_a_message_that_names_the_problem() {
    let dir = temp_dir();
    let records = fixture("records.csv");
    let out = dir.join("out.json");
    // Unreadable files.
    fails_with(
        &encode(&dir.join("missing.csv"), "schema-blake.json", &out),
        "cannot read",
    );
    let fake = dir.join("fake.parquet");
    std::fs::write(&fake, b"PAR1 this is not parquet").unwrap();
    fails_with(
        &encode(&fake, "schema-blake.json", &out),
        "not a readable Parquet file",
    );
    // A column the schema names is missing.
    let short = dir.join("short.csv");
    std::fs::write(&short, "id,given_name\n1,Amina\n").unwrap();
    fails_with(
        &encode(&short, "schema-blake.json", &out),
        "there is no column 'surname'",
    );
    // A value that does not fit its format: row and column named.
    let bad_date = dir.join("bad-date.csv");
    let text = std::fs::read_to_string(&records)
        .unwrap()
        .replacen("31/12/1980", "31/13/1980", 1);
    std::fs::write(&bad_date, text).unwrap();
    fails_with(
        &encode(&bad_date, "schema-blake.json", &out),
        "row 3, column 'dob'",
    );
    // Wrong schemas.
    let schema = dir.join("schema.json");
    let options = [("schema", schema.to_str().unwrap()), ("secret", "s")];
    for (text, needle) in [
        (
            r#"{"version": 2, "clkConfig": {"l": 1024, "kdf": {"type": "HKDF"}}, "features": []}"#,
            "version 2 is not supported",
        ),
        ("not json", "invalid linkage schema: not JSON"),
        (
            r#"{"version": 3, "clkConfig": {"l": 1000, "kdf": {"type": "HKDF"}}, "features": [{"identifier": "given_name", "format": {"type": "string"}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}}}]}"#,
            "power of two",
        ),
    ] {
        std::fs::write(&schema, text).unwrap();
        fails_with(&linkage("encode", &[&records], &options, &out), needle);
    }
    // The identifier column is missing.
    let d = dir.join("d");
    fails_with(
        &linkage("dedup", &[&records], &[("id", "nope")], &d),
        "there is no column 'nope'",
    );
    // A bad configuration.
    let cfg = dir.join("c.json");
    let options = [("id", "id"), ("config", cfg.to_str().unwrap())];
    for (text, needle) in [
        (
            r#"{"blocking": ["soundex(surname)"]}"#,
            "blocking rule 'soundex(surname)'",
        ),
        (
            r#"{"comparisons": [{"column": "nickname", "kind": "name"}]}"#,
            "there is no column 'nickname'",
        ),
    ] {
        std::fs::write(&cfg, text).unwrap();
        fails_with(&linkage("dedup", &[&records], &options, &d), needle);
    }
    // CLK files that are not clkhash's JSON form, or CLKs of different lengths.
    let x = dir.join("x.json");
    for (text, needle) in [
        (r#"{"foo": 1}"#, "neither \"clks\" nor \"clknblocks\""),
        (
            r#"{"clks": ["AAAA", "AAAAAAAA"]}"#,
            "CLK 1 has 48 bits where the first has 24",
        ),
        (r#"{"clks": ["not base64!"]}"#, "CLK 0 is not base64"),
    ] {
        std::fs::write(&x, text).unwrap();
        fails_with(
            &linkage("match", &[&x, &x], &[("threshold", "0.8")], &d),
            needle,
        );
    }
}
