//! Embeds every `locales/*.ftl` file, so adding a language is adding a file.

use std::fmt::Write;

fn main() {
    let dir = std::path::Path::new("locales");
    println!("cargo:rerun-if-changed=locales");
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("locales directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    entries.sort();
    let mut out = String::from("pub static LOCALE_FILES: &[(&str, &str)] = &[\n");
    for p in entries {
        let code = p
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 file name");
        let abs = std::fs::canonicalize(&p).expect("locale path");
        println!("cargo:rerun-if-changed={}", abs.display());
        writeln!(
            out,
            "    ({code:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("write");
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(dest, out).expect("write locales.rs");
}
