//! Builds the web UI (ui/, with npm and Vite) into OUT_DIR so the binary can embed it.
//! Runs again only when the UI's sources change. Set PLANTLOG_SKIP_UI=1 to build a
//! binary without the UI (the API still works; the UI paths say why they are empty).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let ui = root.join("ui");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("ui");
    println!("cargo:rustc-env=PLANTLOG_UI_DIST={}", out.display());
    println!("cargo:rerun-if-env-changed=PLANTLOG_SKIP_UI");
    for p in [
        "src",
        "public",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
        "svelte.config.js",
    ] {
        println!("cargo:rerun-if-changed=ui/{p}");
    }

    if std::env::var_os("PLANTLOG_SKIP_UI").is_some_and(|v| v != "0") {
        std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
        for entry in std::fs::read_dir(&out)
            .expect("OUT_DIR is readable")
            .flatten()
        {
            let _ = std::fs::remove_file(entry.path());
        }
        return;
    }

    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    if !ui.join("node_modules").exists() {
        run(
            Command::new(npm)
                .arg("ci")
                .arg("--no-audit")
                .arg("--no-fund")
                .current_dir(&ui),
            "npm ci",
            &ui,
        );
    }
    run(
        Command::new(npm)
            .args(["run", "build", "--", "--outDir"])
            .arg(&out)
            .arg("--emptyOutDir")
            .current_dir(&ui),
        "npm run build",
        &ui,
    );
}

fn run(cmd: &mut Command, what: &str, ui: &Path) {
    match cmd.status() {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`{what}` in {} failed ({s}); see its output above. Node.js 20 or newer and npm are needed to build the UI, or set PLANTLOG_SKIP_UI=1 to build without it.",
            ui.display()
        ),
        Err(e) => panic!(
            "cannot run `{what}` in {}: {e}. Install Node.js 20 or newer (with npm), or set PLANTLOG_SKIP_UI=1 to build without the UI.",
            ui.display()
        ),
    }
}
