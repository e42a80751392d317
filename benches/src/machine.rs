//! Where and when a run happened: date, machine, toolchain, commit; and its peak memory.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// The UTC date and time, `YYYY-MM-DD HH:MM UTC`.
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// CPU model (from `/proc/cpuinfo`), logical CPUs this process may use, and total memory.
pub fn describe() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|r| r.trim_start_matches([' ', '\t', ':']))
        })
        .unwrap_or("unknown CPU")
        .to_owned();
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|r| r.trim().trim_end_matches(" kB").parse::<u64>().ok())
        .map_or_else(String::new, |kb| {
            format!(", {:.0} GiB memory", kb as f64 / 1_048_576.0)
        });
    format!("{model}, {cpus} logical CPUs (nproc){mem_gib}")
}

/// This process's peak resident memory so far (`VmHWM` in `/proc/self/status`), in bytes.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    Some(
        kb.trim()
            .trim_end_matches(" kB")
            .trim()
            .parse::<u64>()
            .ok()?
            * 1024,
    )
}

/// The first line of a command's output, if it ran.
fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_owned()
    })
}

/// `rustc --version`.
pub fn rustc() -> String {
    first_line("rustc", &["--version"]).unwrap_or_else(|| "rustc (unknown)".to_owned())
}

/// The commit checked out, with a note when the work tree has uncommitted changes (other than
/// in the report files a run writes, `docs/benchmarks.md` and `.svg`: a rerun before the last
/// report is committed measures the commit all the same).
pub fn commit() -> String {
    let Some(hash) = first_line("git", &["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown (not a git checkout)".to_owned();
    };
    let dirty = Command::new("git")
        .args([
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ":/",
            ":(top,exclude)docs/benchmarks.md",
            ":(top,exclude)docs/benchmarks.svg",
        ])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if dirty {
        format!("{hash} (with uncommitted changes)")
    } else {
        hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn peak_rss_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss().is_some_and(|b| b > 0));
        }
    }
}
