//! The verification steps: what each one runs.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::Relaxed;
use std::thread;
use std::time::Instant;

use crate::harden;
use crate::process::{self, Failure};
use crate::toolchain;

/// Crates with a `tests/loom.rs` model-checking suite, run under `--cfg loom`.
pub const LOOM_CRATES: &[&str] = &["masstree-node", "masstree-core", "olc-btree"];

/// What the miri step runs: one `cargo +nightly miri test -p <crate> <targets>` per entry (no
/// targets: every target of the crate, doctests included), [`MIRI_LANES`] entries at a time.
///
/// Miri is here for the unsafe code: node layout, optimistic reads, the value slots (Boxed and
/// Inline), the reclamation adapters, drop accounting, and the olc-btree crate. The list keeps
/// what exercises it and leaves out, with the reason beside each, what does not; everything left
/// out still runs natively in the `test` step. The entries are in decreasing order of their time
/// under miri (seconds measured on a 2-core machine, in the comments), so that the lanes end
/// together: keep them so when adding one.
///
/// Doctests run only where a crate is listed whole (node, olc-btree: seconds there). The
/// facade's ~140 doctests took ~115 s under miri and are API examples over the paths the tests
/// below exercise; the key crate's are safe code. Both run natively in the `test` step.
///
/// Left out of the facade (`crates/masstree/tests`):
/// - `scan_allocations` (~105 s at its 300 keys): counts a closure scan's allocations; its
///   reused key buffer is safe code (the facade and masstree-key `forbid(unsafe_code)`), and the
///   core scan it walks is covered by `api_differential`, `scan_differential` and
///   `scan_concurrent`.
/// - `typed_keys`, `serde`, `ergonomics`, `node_shape` (~35 s together): key types, formats,
///   API shape and node fill: no unsafe path the listed suites miss.
/// - `epoch_reclaim`, `memory_bounds`, `parallel`: compiled out under miri (crossbeam-epoch and
///   rayon's deques are not strict-provenance clean), so they would run nothing.
/// - `stress_*`: every test is `#[ignore]`d; the `stress` step runs them.
///
/// Left out of masstree-key (`#![forbid(unsafe_code)]`: miri can only find UB in std there):
/// the property suites `ordering`, `slice`, `builder` and `cursor` (~255 s together at miri's
/// 2 cases each), which run natively at 256 cases.
pub const MIRI_RUNS: &[(&str, &[&str])] = &[
    // ~120 s. The 0.10 API under concurrency: compute/try_insert races, retain, remove_range,
    // clear and extract_if under churn (bulk removal: unlinking, retirement), owned handles
    // crossing threads with every value dropped once.
    ("masstree", &["--test", "api_concurrent"]),
    // ~65 s. The whole crate: the OLC B+tree's nodes, optimistic reads, splits, destruction, and
    // its doctests.
    ("olc-btree", &[]),
    // ~65 s. Emptied leaves unlinked and layers removed under churn: the retirement paths.
    ("masstree", &["--test", "reclamation"]),
    // ~60 s. The whole crate: node layout, versions, permutations, suffix storage, doctests.
    ("masstree-node", &[]),
    // ~60 s. Inline value slots: atomic word updates, splits and layers moving words.
    ("masstree", &["--test", "inline_values"]),
    // ~50 s. compute, the conditional writes, bulk removal, seeks, cursors, closure scans and
    // the `&mut` paths (get_mut, iter_mut, for_each_mut, take: the exclusive-access unsafe code)
    // against BTreeMap.
    ("masstree", &["--test", "api_differential"]),
    // ~50 s. Scans, both directions, and pop_first/pop_last over a multi-level tree.
    ("masstree", &["--test", "scan_differential"]),
    // ~50 s. Optimistic reads racing splits and inserts (caught the `Internode::as_header`
    // provenance bug).
    ("masstree", &["--test", "concurrent"]),
    // ~35 s. Boxed and inline maps against BTreeMap over adversarial keys (huge keys, layers).
    ("masstree", &["--test", "differential"]),
    // ~25 s. Values dropped exactly once, panicking closures and panicking value destructors
    // inside reclamation and `clear`.
    ("masstree", &["--test", "drop_and_panic"]),
    // ~25 s. Scans racing writers: optimistic scan restarts under splits, unlinks, layer churn.
    ("masstree", &["--test", "scan_concurrent"]),
    // Short suffixes kept as words (the `SlotSuffix` union, its bytes borrowed in place) and
    // long ones around the 8/9-byte boundary, through splits, layers, removal and slot reuse.
    ("masstree", &["--test", "short_suffix"]),
    // ~25 s. The key crate's unit tests and its deterministic codec suites: encoding into and
    // decoding out of reused buffers, boundary lengths, tuple prefixes.
    (
        "masstree-key",
        &[
            "--lib",
            "--test",
            "codec",
            "--test",
            "decode_into",
            "--test",
            "edge_cases",
            "--test",
            "key_prefix",
        ],
    ),
    // ~10 s. The reclaimers' pacing and the node pool's own logic (carving regions from
    // chunks, unit headers found from a block's address, free lists, frees on another thread),
    // called below the heap mode the tree's nodes use under miri.
    ("masstree-alloc", &["--lib"]),
    // ~35 s. The writer finger: rising inserts through a handle while its leaf splits, is
    // unlinked by another handle, or is freed after a refresh (a stale finger is a use after
    // free here).
    ("masstree", &["--test", "finger"]),
    // ~20 s. extend_sorted's leaf-filling fast path, with concurrent writers.
    ("masstree", &["--test", "sorted_load"]),
    // ~5 s. The facade's unit tests, and closures that panic under the leaf lock (the unwind
    // releases it).
    ("masstree", &["--lib", "--test", "reentrant_closure"]),
];

/// How many miri runs go at once, at most (fewer on a machine with fewer cores): miri
/// interprets a program on one thread, so CI's 2 cores run two of [`MIRI_RUNS`] side by side,
/// about halving the step.
const MIRI_LANES: usize = 2;

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
    /// Miri over [`MIRI_RUNS`].
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
            Step::Miri => {
                "miri, two runs at a time (cargo +nightly miri test -p <crate> <targets>)"
            }
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

/// Sets up nightly and miri, then runs [`MIRI_RUNS`], [`MIRI_LANES`] at a time, each run's
/// output streamed line by line behind its label. The first failure stops new runs from
/// starting; the ones under way finish, and the step fails with the first failure.
fn miri(root: &Path) -> Result<(), Failure> {
    toolchain::ensure_miri(root)?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let lanes = MIRI_LANES.min(cores).max(1);
    let next = AtomicUsize::new(0);
    let first_failure: Mutex<Option<Failure>> = Mutex::new(None);
    thread::scope(|s| {
        for _ in 0..lanes {
            s.spawn(|| {
                loop {
                    if first_failure.lock().is_ok_and(|failure| failure.is_some()) {
                        break;
                    }
                    let Some(&(krate, targets)) = MIRI_RUNS.get(next.fetch_add(1, Relaxed)) else {
                        break;
                    };
                    let mut cmd = miri_command(root, krate, targets);
                    if let Err(failure) = run_labelled(&miri_label(krate, targets), &mut cmd) {
                        let mut first = first_failure.lock().unwrap_or_else(|e| e.into_inner());
                        first.get_or_insert(failure);
                    }
                }
            });
        }
    });
    match first_failure
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
    {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

/// `cargo +nightly miri test -p <krate> <targets>` with the miri step's environment. All runs
/// share `target/miri`: cargo holds its build lock only while building, so one run builds while
/// another interprets.
fn miri_command(root: &Path, krate: &str, targets: &[&str]) -> Command {
    let mut cmd: Command = process::nightly_cargo(root);
    cmd.args(["miri", "test", "-p", krate])
        .args(targets)
        .env("PROPTEST_CASES", MIRI_PROPTEST_CASES)
        .env("CARGO_TARGET_DIR", root.join("target").join("miri"));
    process::append_env(&mut cmd, "MIRIFLAGS", MIRI_FLAGS);
    cmd
}

/// A run's label in the log: the crate, and the targets if not all (`masstree:api_concurrent`,
/// `masstree-key:lib,codec`).
fn miri_label(krate: &str, targets: &[&str]) -> String {
    let names: Vec<&str> = targets
        .iter()
        .filter(|&&arg| arg != "--test")
        .map(|&arg| arg.trim_start_matches("--"))
        .collect();
    if names.is_empty() {
        krate.to_owned()
    } else {
        format!("{krate}:{}", names.join(","))
    }
}

/// Like [`process::run`], but with the child's stdout and stderr piped and printed line by line
/// behind `[label]`, so runs going at once stay readable; ends with the run's time.
fn run_labelled(label: &str, cmd: &mut Command) -> Result<(), Failure> {
    let shown = process::render(cmd);
    println!("[{label}] $ {shown}");
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| Failure {
            message: format!("could not start `{shown}`: {err}"),
            hint: process::reproduce_hint(cmd),
        })?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let status = thread::scope(|s| {
        if let Some(out) = stdout {
            s.spawn(move || forward_lines(label, out, false));
        }
        if let Some(err) = stderr {
            s.spawn(move || forward_lines(label, err, true));
        }
        child.wait()
    });
    let took = start.elapsed().as_secs_f64();
    match status {
        Ok(status) if status.success() => {
            println!("[{label}] passed in {took:.1}s");
            Ok(())
        }
        Ok(status) => {
            eprintln!("[{label}] FAILED ({status}) after {took:.1}s");
            Err(Failure {
                message: format!("`{shown}` failed ({status})"),
                hint: process::reproduce_hint(cmd),
            })
        }
        Err(err) => Err(Failure {
            message: format!("could not wait for `{shown}`: {err}"),
            hint: process::reproduce_hint(cmd),
        }),
    }
}

/// Prints each line read from `from` behind `[label]`, to stderr if `to_stderr`, else stdout.
fn forward_lines(label: &str, from: impl Read, to_stderr: bool) {
    let mut from = BufReader::new(from);
    let mut line = Vec::new();
    loop {
        line.clear();
        match from.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let text = String::from_utf8_lossy(&line);
                let text = text.trim_end_matches(['\n', '\r']);
                if to_stderr {
                    eprintln!("[{label}] {text}");
                } else {
                    println!("[{label}] {text}");
                }
            }
        }
    }
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

    /// Every target [`MIRI_RUNS`] names exists, and every suite of the facade and of the key
    /// crate is either run or named (in backquotes) in the comment on [`MIRI_RUNS`] that says
    /// why it is left out, so a new suite is not silently left out of miri.
    #[test]
    fn miri_runs_name_real_targets_and_account_for_every_suite() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives one level below the workspace root");
        let mut listed = Vec::new();
        for (krate, targets) in MIRI_RUNS {
            assert!(root.join("crates").join(krate).is_dir(), "no crate {krate}");
            let mut args = targets.iter();
            while let Some(&arg) = args.next() {
                match arg {
                    "--lib" => {}
                    "--test" => {
                        let name = args.next().expect("--test takes a name");
                        let suite = root.join("crates").join(krate).join("tests");
                        assert!(
                            suite.join(format!("{name}.rs")).is_file()
                                || suite.join(name).join("main.rs").is_file(),
                            "{krate} has no test {name}"
                        );
                        listed.push((*krate, *name));
                    }
                    other => panic!("unexpected argument {other} in MIRI_RUNS"),
                }
            }
        }
        let source = include_str!("steps.rs");
        let comment = source
            .split("pub const MIRI_RUNS")
            .next()
            .and_then(|before| before.rsplit("/// What the miri step runs").next())
            .expect("MIRI_RUNS has its comment");
        for krate in ["masstree", "masstree-key"] {
            let suites = std::fs::read_dir(root.join("crates").join(krate).join("tests"))
                .expect("the crate has tests");
            for entry in suites.flatten() {
                let file = entry.file_name().to_string_lossy().into_owned();
                let Some(name) = file.strip_suffix(".rs") else {
                    continue;
                };
                let run = listed.contains(&(krate, name));
                let explained = comment.contains(&format!("`{name}`"))
                    || (name.starts_with("stress_") && comment.contains("`stress_*`"));
                assert!(
                    run || explained,
                    "{krate}/tests/{name}.rs is neither in MIRI_RUNS nor named as left out"
                );
            }
        }
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
