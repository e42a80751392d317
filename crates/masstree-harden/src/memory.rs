//! The process's resident memory, from `/proc/self/status` (Linux).

/// Resident set size now and at its peak, in KiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rss {
    /// `VmRSS`: resident now.
    pub current_kib: u64,
    /// `VmHWM`: the peak so far.
    pub peak_kib: u64,
}

/// Reads `VmRSS` and `VmHWM`; `None` where `/proc/self/status` is missing (not Linux).
pub fn rss() -> Option<Rss> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse(&status)
}

/// Parses the two fields out of a `/proc/<pid>/status` text.
fn parse(status: &str) -> Option<Rss> {
    let field = |name: &str| {
        status.lines().find_map(|line| {
            let rest = line.strip_prefix(name)?.strip_prefix(':')?;
            rest.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()
        })
    };
    Some(Rss {
        current_kib: field("VmRSS")?,
        peak_kib: field("VmHWM")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_fields() {
        let text = "Name:\tsoak\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n";
        assert_eq!(
            parse(text),
            Some(Rss {
                current_kib: 10240,
                peak_kib: 20480
            })
        );
        assert_eq!(parse("Name: x\n"), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn reads_this_process() {
        let rss = rss().expect("linux has /proc/self/status");
        assert!(rss.peak_kib >= rss.current_kib && rss.current_kib > 0);
    }
}
