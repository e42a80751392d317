//! Building, printing and running child commands.
//!
//! Every command runs from the workspace root with inherited stdio, so its
//! output streams straight to the terminal (or the CI log).

use std::ffi::OsStr;
use std::fmt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Environment variables that would pin the child to the toolchain running
/// the xtask (normally stable), and so must not reach a `cargo +nightly` or
/// `rustup` child.
const TOOLCHAIN_PINNING_VARS: &[&str] = &["RUSTUP_TOOLCHAIN", "RUSTC", "RUSTDOC", "CARGO"];

/// Why a step (or part of one) did not succeed.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong, in one sentence.
    pub message: String,
    /// What a person should run: the command to reproduce the failure, or to
    /// fix a missing tool. Printed verbatim under the message.
    pub hint: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}", self.message, self.hint)
    }
}

/// A `cargo` command for the toolchain that runs the xtask: the `CARGO`
/// environment variable when set (cargo sets it for `cargo xtask`), else
/// `cargo` from `PATH`.
pub fn cargo(root: &Path) -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(program);
    cmd.current_dir(root);
    cmd
}

/// A `cargo +nightly` command: the rustup proxy `cargo` from `PATH`, with the
/// variables that would pin the current (stable) toolchain removed.
pub fn nightly_cargo(root: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.arg("+nightly").current_dir(root);
    unpin_toolchain(&mut cmd);
    cmd
}

/// A `rustup` command, with the variables that would pin the current
/// toolchain removed.
pub fn rustup(root: &Path) -> Command {
    let mut cmd = Command::new("rustup");
    cmd.current_dir(root);
    unpin_toolchain(&mut cmd);
    cmd
}

/// Removes [`TOOLCHAIN_PINNING_VARS`] from the child's environment.
fn unpin_toolchain(cmd: &mut Command) {
    for var in TOOLCHAIN_PINNING_VARS {
        cmd.env_remove(var);
    }
}

/// Sets `var` for the child to `extra`, appended (space-separated) to the
/// value the xtask itself inherited, so flags a person or CI set still apply.
pub fn append_env(cmd: &mut Command, var: &str, extra: &str) {
    let value = match std::env::var(var) {
        Ok(existing) if !existing.trim().is_empty() => format!("{} {extra}", existing.trim()),
        _ => extra.to_owned(),
    };
    cmd.env(var, value);
}

/// Prints the command line, runs it with inherited stdio and waits for it.
/// A spawn error or a non-zero exit becomes a [`Failure`] that names the
/// command and how to reproduce it.
pub fn run(cmd: &mut Command) -> Result<(), Failure> {
    let shown = render(cmd);
    println!("$ {shown}");
    let status = cmd.status().map_err(|err| Failure {
        message: format!("could not start `{shown}`: {err}"),
        hint: reproduce_hint(cmd),
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure {
            message: format!("`{shown}` failed ({status})"),
            hint: reproduce_hint(cmd),
        })
    }
}

/// Runs a quiet probe (e.g. `rustc --version`) with captured output.
/// Returns the output on a successful exit, else `None`.
pub fn probe(cmd: &mut Command) -> Option<Output> {
    cmd.stdin(Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())
}

/// The first line of a probe's stdout, trimmed.
pub fn first_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// The "reproduce with" text for a command: `cd <root> && <command line>`.
pub fn reproduce_hint(cmd: &Command) -> String {
    let dir = cmd
        .get_current_dir()
        .map(|dir| format!("cd {} && ", quote(dir.as_os_str())))
        .unwrap_or_default();
    format!("reproduce with:\n  {dir}{}", render(cmd))
}

/// The command as a shell line: variables it sets, program, arguments.
/// Removed variables are not shown; they only matter inside the xtask.
pub fn render(cmd: &Command) -> String {
    let mut parts = Vec::new();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            parts.push(format!("{}={}", key.to_string_lossy(), quote(value)));
        }
    }
    parts.push(program_name(cmd.get_program()));
    parts.extend(cmd.get_args().map(quote));
    parts.join(" ")
}

/// The program as a person would type it: a `cargo` given by full path (the
/// `CARGO` variable) is shown as plain `cargo`.
fn program_name(program: &OsStr) -> String {
    if Path::new(program).file_name() == Some(OsStr::new("cargo")) {
        "cargo".to_owned()
    } else {
        quote(program)
    }
}

/// Quotes one word for a POSIX shell, leaving plain words as they are.
fn quote(word: &OsStr) -> String {
    let word = word.to_string_lossy();
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-+=/.,:@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.into_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_env_and_quotes_words_with_spaces() {
        let mut cmd = Command::new("/opt/rust/bin/cargo");
        cmd.env("RUSTFLAGS", "--cfg loom")
            .env_remove("RUSTC")
            .args(["test", "-p", "masstree-node"]);
        assert_eq!(
            render(&cmd),
            "RUSTFLAGS='--cfg loom' cargo test -p masstree-node"
        );
    }

    #[test]
    fn quotes_single_quotes() {
        assert_eq!(quote(OsStr::new("it's")), r"'it'\''s'");
        assert_eq!(quote(OsStr::new("")), "''");
        assert_eq!(quote(OsStr::new("+nightly")), "+nightly");
    }
}
