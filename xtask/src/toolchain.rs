//! Making sure the nightly toolchain and its parts are present before a step
//! needs them (miri, rust-src for `-Zbuild-std`, cargo-fuzz), installing what
//! is missing through rustup or cargo.

use std::path::Path;
use std::thread;
use std::time::Duration;

use crate::process::{self, Failure};

/// How to install the nightly toolchain with what miri needs.
const INSTALL_NIGHTLY: &[&str] = &[
    "toolchain",
    "install",
    "nightly",
    "--profile",
    "minimal",
    "--component",
    "miri,rust-src",
];

/// How to add miri and the standard library sources to an existing nightly.
const ADD_MIRI: &[&str] = &[
    "component",
    "add",
    "miri",
    "rust-src",
    "--toolchain",
    "nightly",
];

/// How many times a rustup install is tried: another rustup (a background
/// install, a second CI job) may hold its lock or be mid-download.
const INSTALL_ATTEMPTS: u32 = 3;

/// Pause between rustup install attempts.
const RETRY_PAUSE: Duration = Duration::from_secs(20);

/// Checks for rustup, a nightly toolchain, miri and rust-src, installs what
/// is missing, then runs `cargo +nightly miri setup`. The error names what
/// is missing and the command a person should run.
pub fn ensure_miri(root: &Path) -> Result<(), Failure> {
    check_rustup(root)?;
    ensure_nightly(root)?;
    ensure_miri_component(root)?;
    let mut setup = process::nightly_cargo(root);
    setup.args(["miri", "setup"]);
    process::run(&mut setup).map_err(|failure| Failure {
        message: format!("miri's sysroot could not be built: {}", failure.message),
        hint: "to fix, make sure rust-src is installed and rerun the setup:\n  \
               rustup component add rust-src --toolchain nightly\n  \
               cargo +nightly miri setup"
            .to_owned(),
    })
}

/// Fails unless `rustup` runs.
fn check_rustup(root: &Path) -> Result<(), Failure> {
    let mut cmd = process::rustup(root);
    cmd.arg("--version");
    match process::probe(&mut cmd) {
        Some(output) => {
            println!("found {}", process::first_line(&output));
            Ok(())
        }
        None => Err(Failure {
            message: "rustup is missing (not on PATH): the miri step needs a rustup-managed \
                      nightly toolchain"
                .to_owned(),
            hint: "to fix, install rustup (https://rustup.rs), then run:\n  \
                   rustup toolchain install nightly --profile minimal --component miri,rust-src"
                .to_owned(),
        }),
    }
}

/// The nightly rustc's version line, if a nightly toolchain is installed.
fn nightly_rustc(root: &Path) -> Option<String> {
    let mut cmd = process::rustup(root);
    cmd.args(["run", "nightly", "rustc", "--version"]);
    process::probe(&mut cmd).map(|output| process::first_line(&output))
}

/// Installs the nightly toolchain unless it is already there.
fn ensure_nightly(root: &Path) -> Result<(), Failure> {
    if let Some(version) = nightly_rustc(root) {
        println!("found nightly {version}");
        return Ok(());
    }
    println!("nightly toolchain missing; installing it");
    rustup_install(root, INSTALL_NIGHTLY);
    match nightly_rustc(root) {
        Some(version) => {
            println!("installed nightly {version}");
            Ok(())
        }
        None => Err(Failure {
            message: "the nightly toolchain is missing and installing it failed".to_owned(),
            hint: format!("to fix, run:\n  rustup {}", INSTALL_NIGHTLY.join(" ")),
        }),
    }
}

/// `cargo +nightly miri --version`, if miri is installed.
fn miri_version(root: &Path) -> Option<String> {
    let mut cmd = process::nightly_cargo(root);
    cmd.args(["miri", "--version"]);
    process::probe(&mut cmd).map(|output| process::first_line(&output))
}

/// Whether nightly has the `rust-src` component, which `miri setup` needs.
fn has_rust_src(root: &Path) -> bool {
    let mut cmd = process::rustup(root);
    cmd.args(["component", "list", "--installed", "--toolchain", "nightly"]);
    process::probe(&mut cmd).is_some_and(|output| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .any(|line| line.trim() == "rust-src" || line.trim().starts_with("rust-src-"))
    })
}

/// Adds miri and rust-src to nightly unless both are already there.
fn ensure_miri_component(root: &Path) -> Result<(), Failure> {
    if let (Some(version), true) = (miri_version(root), has_rust_src(root)) {
        println!("found {version} (with rust-src)");
        return Ok(());
    }
    println!("miri or rust-src missing from nightly; adding them");
    rustup_install(root, ADD_MIRI);
    match (miri_version(root), has_rust_src(root)) {
        (Some(version), true) => {
            println!("installed {version} (with rust-src)");
            Ok(())
        }
        (miri, _) => Err(Failure {
            message: format!(
                "{} missing from the nightly toolchain and adding it failed",
                if miri.is_none() {
                    "miri is"
                } else {
                    "rust-src is"
                }
            ),
            hint: format!("to fix, run:\n  rustup {}", ADD_MIRI.join(" ")),
        }),
    }
}

/// Runs `rustup <args>` up to [`INSTALL_ATTEMPTS`] times until it succeeds.
/// The caller checks the result by probing again, so failures only print.
fn rustup_install(root: &Path, args: &[&str]) {
    for attempt in 1..=INSTALL_ATTEMPTS {
        let mut cmd = process::rustup(root);
        cmd.args(args);
        match process::run(&mut cmd) {
            Ok(()) => return,
            Err(failure) if attempt < INSTALL_ATTEMPTS => {
                eprintln!(
                    "{} (attempt {attempt}/{INSTALL_ATTEMPTS}); another rustup may be \
                     installing, retrying in {}s",
                    failure.message,
                    RETRY_PAUSE.as_secs()
                );
                thread::sleep(RETRY_PAUSE);
            }
            Err(failure) => eprintln!("{} (attempt {attempt}/{INSTALL_ATTEMPTS})", failure.message),
        }
    }
}

/// How to add the standard library sources (`-Zbuild-std` needs them) to nightly.
const ADD_RUST_SRC: &[&str] = &["component", "add", "rust-src", "--toolchain", "nightly"];

/// Makes sure nightly and its `rust-src` are installed, for the sanitizers' `-Zbuild-std`.
pub fn ensure_rust_src(root: &Path) -> Result<(), Failure> {
    check_rustup(root)?;
    ensure_nightly(root)?;
    if has_rust_src(root) {
        return Ok(());
    }
    println!("rust-src missing from nightly; adding it");
    rustup_install(root, ADD_RUST_SRC);
    if has_rust_src(root) {
        Ok(())
    } else {
        Err(Failure {
            message: "rust-src is missing from the nightly toolchain and adding it failed"
                .to_owned(),
            hint: format!("to fix, run:\n  rustup {}", ADD_RUST_SRC.join(" ")),
        })
    }
}

/// The nightly compiler's host triple (the sanitizers need an explicit `--target`).
pub fn nightly_host(root: &Path) -> Result<String, Failure> {
    let mut cmd = process::rustup(root);
    cmd.args(["run", "nightly", "rustc", "-vV"]);
    process::probe(&mut cmd)
        .and_then(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .find_map(|line| line.strip_prefix("host: ").map(str::to_owned))
        })
        .ok_or_else(|| Failure {
            message: "could not read the nightly compiler's host triple".to_owned(),
            hint: "reproduce with:\n  rustup run nightly rustc -vV".to_owned(),
        })
}

/// `cargo +nightly fuzz --version`, if cargo-fuzz is installed.
fn cargo_fuzz_version(root: &Path) -> Option<String> {
    let mut cmd = process::nightly_cargo(root);
    cmd.args(["fuzz", "--version"]);
    process::probe(&mut cmd).map(|output| process::first_line(&output))
}

/// Makes sure nightly and cargo-fuzz are installed (`cargo install cargo-fuzz` if missing).
pub fn ensure_cargo_fuzz(root: &Path) -> Result<(), Failure> {
    check_rustup(root)?;
    ensure_nightly(root)?;
    if let Some(version) = cargo_fuzz_version(root) {
        println!("found {version}");
        return Ok(());
    }
    println!("cargo-fuzz missing; installing it (cargo install cargo-fuzz)");
    let mut install = process::cargo(root);
    install.args(["install", "--locked", "cargo-fuzz"]);
    let installed = process::run(&mut install);
    match (cargo_fuzz_version(root), installed) {
        (Some(version), _) => {
            println!("installed {version}");
            Ok(())
        }
        (None, result) => Err(Failure {
            message: format!(
                "cargo-fuzz is missing and installing it failed{}",
                result.err().map(|f| format!(": {}", f.message)).unwrap_or_default()
            ),
            hint: "to fix, run:\n  cargo install --locked cargo-fuzz\n\
                   (the corpus still runs on stable: cargo test -p masstree-harden --test fuzz_corpus)"
                .to_owned(),
        }),
    }
}
