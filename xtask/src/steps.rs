//! The verification steps: what each one runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harden;
use crate::process::{self, Failure};
use crate::toolchain;

/// Crates with a `tests/loom.rs` model-checking suite, run under `--cfg loom`.
pub const LOOM_CRATES: &[&str] = &["masstree-node", "masstree-core", "olc-btree"];

/// Crates whose tests run under miri.
pub const MIRI_CRATES: &[&str] = &["masstree-key", "masstree-node", "masstree", "olc-btree"];

/// Workspace members with `publish = false`, left out of the `package` step (`cargo package`
/// refuses a path dependency without a version, which these have and need not lose).
pub const UNPUBLISHED: &[&str] = &[
    "masstree-harden",
    "olc-btree",
    "masstree-testkit",
    "masstree-benches",
    "xtask",
];

/// The `package` step's own target directory under `target/`, emptied before every run (see
/// [`package`]).
const PACKAGE_TARGET_DIR: &str = "package-check";

/// Preemption bound for loom: deep enough to catch ordering bugs, small
/// enough to finish in CI.
const LOOM_MAX_PREEMPTIONS: &str = "2";

/// The facade's examples, with their arguments, run by the `examples` step (each must exit 0;
/// they assert their own results). Sizes are cut so the step takes seconds.
pub const EXAMPLES: &[(&str, &[&str])] = &[
    ("quick_start", &[]),
    ("concurrent_cache", &[]),
    ("secondary_index", &[]),
    ("parallel_load", &["200000"]),
    ("batch_lookup", &["200000"]),
];

/// Proptest cases per property under miri, which is slow.
const MIRI_PROPTEST_CASES: &str = "2";

/// Miri flags: strict provenance catches integer-to-pointer casts.
const MIRI_FLAGS: &str = "-Zmiri-strict-provenance";

/// One step of `cargo xtask verify`, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `cargo fmt --all --check`.
    Fmt,
    /// `cargo clippy --workspace --all-targets -- -D warnings`.
    Clippy,
    /// `cargo package` of every published crate: each packages, and its packaged sources build
    /// against the packages of the others (path dependencies replaced by versions, unpublished
    /// dev-dependencies stripped), as `cargo publish` would build them.
    Package,
    /// `cargo test --workspace --release` (release: the concurrent tests need the speed, and
    /// the stress step reuses the build).
    Test,
    /// The `#[ignore]`d long stress tests, in release.
    Stress,
    /// Every example of the facade, run to completion.
    Examples,
    /// A short linearizability run ([`harden::VERIFY_LINCHECK`]).
    Lincheck,
    /// A short soak run ([`harden::VERIFY_SOAK`]).
    Soak,
    /// The differential fuzz target for [`harden::VERIFY_FUZZ_SECONDS`].
    Fuzz,
    /// AddressSanitizer over the facade's concurrent, drop and reclamation suites (nightly).
    Asan,
    /// Loom model checking of [`LOOM_CRATES`].
    Loom,
    /// Miri on [`MIRI_CRATES`].
    Miri,
}

impl Step {
    /// Every step, in run order.
    pub const ALL: [Step; 12] = [
        Step::Fmt,
        Step::Clippy,
        Step::Package,
        Step::Test,
        Step::Stress,
        Step::Examples,
        Step::Lincheck,
        Step::Soak,
        Step::Fuzz,
        Step::Asan,
        Step::Loom,
        Step::Miri,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Step::Fmt => "fmt",
            Step::Clippy => "clippy",
            Step::Package => "package",
            Step::Test => "test",
            Step::Stress => "stress",
            Step::Examples => "examples",
            Step::Lincheck => "lincheck",
            Step::Soak => "soak",
            Step::Fuzz => "fuzz",
            Step::Asan => "asan",
            Step::Loom => "loom",
            Step::Miri => "miri",
        }
    }

    /// The step with this name, if any.
    pub fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.name() == name)
    }

    /// A one-line description for the step header.
    pub fn description(self) -> &'static str {
        match self {
            Step::Fmt => "formatting (cargo fmt --all --check)",
            Step::Clippy => {
                "lints (cargo clippy --workspace --all-targets --all-features -- -D warnings)"
            }
            Step::Package => {
                "packaging of the published crates, from scratch (cargo package --workspace --exclude <unpublished> --locked --allow-dirty)"
            }
            Step::Test => "tests, release (cargo test --workspace --release --all-features)",
            Step::Stress => {
                "ignored stress tests, release (cargo test --release --workspace --all-features -- --ignored)"
            }
            Step::Examples => "examples, release (cargo run --release --example <name>)",
            Step::Lincheck => {
                "linearizability of short concurrent histories (lincheck --histories 50000)"
            }
            Step::Soak => {
                "mixed workload with structural checks and a memory ceiling (soak --seconds 40)"
            }
            Step::Fuzz => {
                "differential fuzzing against BTreeMap, 60 s (cargo +nightly fuzz run differential)"
            }
            Step::Asan => {
                "AddressSanitizer over the concurrent, drop and reclamation tests (cargo xtask sanitize address)"
            }
            Step::Loom => "loom model checking (cargo test --release -p <crate> --test loom)",
            Step::Miri => "miri (cargo +nightly miri test -p <crate>)",
        }
    }

    /// Runs the step from the workspace root.
    pub fn run(self, root: &Path) -> Result<(), Failure> {
        match self {
            Step::Fmt => cargo(root, &["fmt", "--all", "--check"]),
            Step::Clippy => cargo(
                root,
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--all-features",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            Step::Package => package(root),
            Step::Test => cargo(
                root,
                &["test", "--workspace", "--release", "--all-features"],
            ),
            Step::Stress => cargo(
                root,
                &[
                    "test",
                    "--release",
                    "--workspace",
                    "--all-features",
                    "--",
                    "--ignored",
                ],
            ),
            Step::Examples => examples(root),
            Step::Lincheck => harden::harness(root, "lincheck", harden::VERIFY_LINCHECK),
            Step::Soak => harden::harness(root, "soak", harden::VERIFY_SOAK),
            Step::Fuzz => harden::fuzz(root, harden::VERIFY_FUZZ_SECONDS),
            Step::Asan => harden::sanitize(root, &[harden::Sanitizer::Address]),
            Step::Loom => loom(root),
            Step::Miri => miri(root),
        }
    }
}

/// Runs `cargo <args>` with the xtask's own toolchain.
fn cargo(root: &Path, args: &[&str]) -> Result<(), Failure> {
    process::run(process::cargo(root).args(args))
}

/// Packages and verifies every workspace member but [`UNPUBLISHED`]. `--allow-dirty`: the step
/// checks what would be published from the working tree, committed or not (CI's clone is clean
/// anyway); the release itself runs `cargo publish` from a clean checkout.
///
/// Cargo verifies a crate against its siblings' new `.crate` files through a local registry,
/// but treats registry crates as immutable: it unpacks one under
/// `$CARGO_HOME/registry/src/<registry>/<name>-<version>` once and reuses that copy, and reuses
/// its build while the version is unchanged. A second run would then build the facade against
/// the first run's sources of the core crates. So each run starts from an empty target
/// directory of its own (about 15 s of building from scratch) and removes the unpacked copies
/// of this workspace's crates first.
fn package(root: &Path) -> Result<(), Failure> {
    let target = root.join("target").join(PACKAGE_TARGET_DIR);
    remove_dir(&target)?;
    forget_unpacked_packages()?;
    let mut cmd = process::cargo(root);
    cmd.args(["package", "--workspace", "--locked", "--allow-dirty"])
        .env("CARGO_TARGET_DIR", &target);
    for krate in UNPUBLISHED {
        cmd.args(["--exclude", krate]);
    }
    process::run(&mut cmd)
}

/// Removes this workspace's crates (`masstree*`) as unpacked from local registries, which are
/// the ones whose directory under `$CARGO_HOME/registry/src` has no host part (`-<hash>`);
/// cargo unpacks them again from the `.crate` files when it needs them.
fn forget_unpacked_packages() -> Result<(), Failure> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    let Some(home) = home else {
        return Ok(());
    };
    let Ok(registries) = std::fs::read_dir(home.join("registry").join("src")) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        let Ok(crates) = std::fs::read_dir(registry.path()) else {
            continue;
        };
        for krate in crates.flatten() {
            if krate.file_name().to_string_lossy().starts_with("masstree") {
                remove_dir(&krate.path())?;
            }
        }
    }
    Ok(())
}

/// Removes a directory and everything in it; one that does not exist is fine.
fn remove_dir(dir: &Path) -> Result<(), Failure> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(Failure {
            message: format!("could not remove {}: {err}", dir.display()),
            hint: format!("remove it by hand:\n  rm -rf {}", dir.display()),
        }),
    }
}

/// Runs every example in [`EXAMPLES`] in release, with every feature of the facade.
fn examples(root: &Path) -> Result<(), Failure> {
    for (name, args) in EXAMPLES {
        println!("example {name} {}", args.join(" "));
        let mut cmd = process::cargo(root);
        cmd.args([
            "run",
            "--quiet",
            "--release",
            "--manifest-path",
            "crates/masstree/Cargo.toml",
            "--all-features",
            "--example",
            name,
            "--",
        ])
        .args(*args);
        process::run(&mut cmd)?;
    }
    Ok(())
}

/// Runs each loom crate's `tests/loom.rs` under `--cfg loom`, in its own
/// target directory so the cfg change leaves the normal build cache alone.
fn loom(root: &Path) -> Result<(), Failure> {
    for krate in LOOM_CRATES {
        let suite = root
            .join("crates")
            .join(krate)
            .join("tests")
            .join("loom.rs");
        if !suite.is_file() {
            println!("loom: skipping {krate}: it has no tests/loom.rs");
            continue;
        }
        let mut cmd = process::cargo(root);
        cmd.args(["test", "--release", "-p", krate, "--test", "loom"])
            .env("LOOM_MAX_PREEMPTIONS", LOOM_MAX_PREEMPTIONS)
            .env("CARGO_TARGET_DIR", root.join("target").join("loom"));
        process::append_env(&mut cmd, "RUSTFLAGS", "--cfg loom");
        process::run(&mut cmd)?;
    }
    Ok(())
}

/// Sets up nightly and miri, then runs each miri crate's tests under miri.
fn miri(root: &Path) -> Result<(), Failure> {
    toolchain::ensure_miri(root)?;
    for krate in MIRI_CRATES {
        let mut cmd: Command = process::nightly_cargo(root);
        cmd.args(["miri", "test", "-p", krate])
            .env("PROPTEST_CASES", MIRI_PROPTEST_CASES)
            .env("CARGO_TARGET_DIR", root.join("target").join("miri"));
        process::append_env(&mut cmd, "MIRIFLAGS", MIRI_FLAGS);
        process::run(&mut cmd)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for step in Step::ALL {
            assert_eq!(Step::from_name(step.name()), Some(step));
        }
        assert_eq!(Step::from_name("bench"), None);
    }

    /// [`UNPUBLISHED`] names exactly the members whose manifest says `publish = false`, so the
    /// `package` step neither trips over an unpublished crate nor skips a published one.
    #[test]
    fn unpublished_matches_the_manifests() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives one level below the workspace root");
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
        };
        let workspace = read(&root.join("Cargo.toml"));
        let members = workspace
            .split("members = [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("the root manifest lists its members");
        let mut unpublished = Vec::new();
        for member in members.lines() {
            let member = member.split('#').next().unwrap_or("");
            let member = member.trim().trim_end_matches(',').trim_matches('"');
            if member.is_empty() {
                continue;
            }
            let manifest = read(&root.join(member).join("Cargo.toml"));
            let lines: Vec<&str> = manifest.lines().map(str::trim).collect();
            let name = lines
                .iter()
                .find_map(|line| line.strip_prefix("name = "))
                .map(|name| name.trim_matches('"'))
                .unwrap_or_else(|| panic!("{member}/Cargo.toml has no name"));
            if lines.contains(&"publish = false") {
                unpublished.push(name.to_owned());
            }
        }
        let mut listed: Vec<String> = UNPUBLISHED.iter().map(|&name| name.to_owned()).collect();
        listed.sort();
        unpublished.sort();
        assert_eq!(
            listed, unpublished,
            "UNPUBLISHED vs `publish = false` manifests"
        );
    }
}
