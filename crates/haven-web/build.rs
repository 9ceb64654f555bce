//! Embeds every `locales/*.ftl` file, so adding a language is adding a file.

use std::fmt::Write;

fn main() {
    let mut out = embed("locales", "LOCALE_FILES");
    // The public site's own bundle: twelve languages, separate from the staff interface.
    out.push_str(&embed("locales/public", "PUBLIC_LOCALE_FILES"));
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(dest, out).expect("write locales.rs");
}

fn embed(dir: &str, name: &str) -> String {
    println!("cargo:rerun-if-changed={dir}");
    let dir = std::path::Path::new(dir);
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("locales directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    entries.sort();
    let mut out = format!("pub static {name}: &[(&str, &str)] = &[\n");
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
    out
}
