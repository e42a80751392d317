//! When a thread hands its retired objects to reclamation early: by bytes and by age, not
//! only when its batch is full.
//!
//! A count alone bounds memory held back only for small objects: a thousand retired 256 KiB
//! values are 256 MiB. The bytes a retirement frees are visible only for the allocation itself
//! ([`crate::Free::size`]), not for buffers a value owns, so a batch is also handed over once
//! its oldest entry has waited [`RETIRE_TIME_BUDGET`]: what a thread can allocate and retire
//! in that time is bounded by how fast it can fill memory, whatever the values own. Small,
//! fast churn fills its batch long before either budget, so it pays no extra hand-offs.

use std::cell::Cell;
use std::time::{Duration, Instant};
use thread_local::ThreadLocal;

/// Retired bytes (as [`crate::Free::size`] reports them) after which a thread hands its batch
/// over early.
pub const RETIRE_BYTE_BUDGET: usize = 1 << 20;

/// Age of a thread's oldest pending retirement after which the thread hands its batch over
/// early (checked every [`CLOCK_EVERY`] retirements, so a batch may run that many past it).
pub const RETIRE_TIME_BUDGET: Duration = Duration::from_micros(200);

/// Retirements between two looks at the clock (a clock read costs tens of nanoseconds).
const CLOCK_EVERY: u32 = 8;

/// One thread's retirements since its last hand-off.
#[derive(Clone, Copy, Debug, Default)]
struct Pending {
    count: u32,
    bytes: usize,
    since: Option<Instant>,
}

/// Per-thread accounting of one reclaimer's retirements.
#[derive(Debug)]
pub(crate) struct RetirePacer {
    threads: ThreadLocal<Cell<Pending>>,
    /// The reclaimer's own batch size: at that count it hands over by itself.
    batch: u32,
    /// Fewest entries worth an early hand-off (seize needs one per active thread).
    min: u32,
}

impl RetirePacer {
    /// A pacer for a reclaimer that hands over on its own every `batch` retirements and can
    /// use an early hand-off of at least `min` entries.
    pub(crate) fn new(batch: usize, min: usize) -> Self {
        let batch = u32::try_from(batch).unwrap_or(u32::MAX).max(1);
        Self {
            threads: ThreadLocal::new(),
            batch,
            min: u32::try_from(min).unwrap_or(u32::MAX).clamp(1, batch),
        }
    }

    /// Records that this thread retired an object of `bytes`; true if it should hand its batch
    /// over now (the caller then does, and the count starts again).
    #[inline]
    pub(crate) fn retired(&self, bytes: usize) -> bool {
        let cell = self.threads.get_or_default();
        let mut p = cell.get();
        p.count += 1;
        p.bytes = p.bytes.saturating_add(bytes);
        if p.count >= self.batch {
            // The reclaimer's batch is full and it hands it over by itself.
            cell.set(Pending::default());
            return false;
        }
        if p.count == 1 {
            p.since = Some(Instant::now());
        }
        let due = p.count >= self.min
            && (p.bytes >= RETIRE_BYTE_BUDGET
                || (p.count.is_multiple_of(CLOCK_EVERY)
                    && p.since.is_some_and(|t| t.elapsed() >= RETIRE_TIME_BUDGET)));
        cell.set(if due { Pending::default() } else { p });
        due
    }

    /// This thread handed its batch over (an explicit flush): the count starts again.
    pub(crate) fn handed_over(&self) {
        if let Some(cell) = self.threads.get() {
            cell.set(Pending::default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_retirements_are_due_at_the_byte_budget() {
        let pacer = RetirePacer::new(1024, 2);
        let big = RETIRE_BYTE_BUDGET / 4;
        let due: Vec<bool> = (0..8).map(|_| pacer.retired(big)).collect();
        assert_eq!(due, [false, false, false, true, false, false, false, true]);
    }

    #[test]
    fn small_retirements_wait_for_the_batch_or_the_clock() {
        let pacer = RetirePacer::new(64, 2);
        assert!(
            (0..63).all(|_| !pacer.retired(8)),
            "fast small retirements are not due"
        );
        assert!(
            !pacer.retired(8),
            "the 64th fills the reclaimer's own batch"
        );
        for _ in 0..7 {
            assert!(!pacer.retired(8));
        }
        std::thread::sleep(RETIRE_TIME_BUDGET * 2);
        assert!(
            pacer.retired(8),
            "an old batch is due at the next clock look"
        );
    }

    #[test]
    fn each_thread_counts_its_own() {
        let pacer = RetirePacer::new(1024, 1);
        assert!(!pacer.retired(RETIRE_BYTE_BUDGET - 1));
        std::thread::scope(|s| {
            s.spawn(|| assert!(!pacer.retired(RETIRE_BYTE_BUDGET - 1)));
        });
        assert!(pacer.retired(1));
    }
}
