//! When a thread hands its retired objects to reclamation early: by bytes and by age, not
//! only when its batch is full.
//!
//! A count alone bounds memory held back only for small objects: a thousand retired 256 KiB
//! values are 256 MiB. The bytes a retirement frees are visible only for the allocation itself
//! ([`crate::Free::size`]), not for buffers a value owns, so a batch is also handed over once
//! its oldest entry has waited [`RETIRE_TIME_BUDGET`]: what a thread can allocate and retire
//! in that time is bounded by how fast it can fill memory, whatever the values own. Small,
//! fast churn fills its batch long before either budget, so it pays no extra hand-offs.

use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};
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
///
/// Atomics, though only one thread uses an entry at a time in the normal course:
/// `thread_local` can hand a thread's entry to a new thread while the old one still runs
/// thread-local destructors (it frees the id in its own destructor). Relaxed loads and stores
/// (no read-modify-write: the same code as plain ones on x86) make such an overlap a
/// miscount, never a data race.
#[derive(Debug, Default)]
struct Pending {
    count: AtomicU32,
    bytes: AtomicUsize,
    /// Nanoseconds after the pacer's `epoch` when the oldest pending retirement happened.
    since: AtomicU64,
}

impl Pending {
    fn reset(&self) {
        self.count.store(0, Relaxed);
        self.bytes.store(0, Relaxed);
    }
}

/// Per-thread accounting of one reclaimer's retirements.
#[derive(Debug)]
pub(crate) struct RetirePacer {
    threads: ThreadLocal<Pending>,
    /// The origin of the `since` timestamps.
    epoch: Instant,
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
            epoch: Instant::now(),
            batch,
            min: u32::try_from(min).unwrap_or(u32::MAX).clamp(1, batch),
        }
    }

    /// Nanoseconds since the pacer's epoch.
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Records that this thread retired an object of `bytes`; true if it should hand its batch
    /// over now (the caller then does, and the count starts again).
    #[inline]
    pub(crate) fn retired(&self, bytes: usize) -> bool {
        let p = self.threads.get_or_default();
        let count = p.count.load(Relaxed) + 1;
        if count >= self.batch {
            // The reclaimer's batch is full and it hands it over by itself.
            p.reset();
            return false;
        }
        let total = p.bytes.load(Relaxed).saturating_add(bytes);
        if count == 1 {
            p.since.store(self.now(), Relaxed);
        }
        let due = count >= self.min
            && (total >= RETIRE_BYTE_BUDGET
                || (count.is_multiple_of(CLOCK_EVERY)
                    && self.now().saturating_sub(p.since.load(Relaxed))
                        >= RETIRE_TIME_BUDGET.as_nanos() as u64));
        if due {
            p.reset();
        } else {
            p.count.store(count, Relaxed);
            p.bytes.store(total, Relaxed);
        }
        due
    }

    /// This thread handed its batch over (an explicit flush): the count starts again.
    pub(crate) fn handed_over(&self) {
        if let Some(p) = self.threads.get() {
            p.reset();
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
    #[cfg_attr(
        miri,
        ignore = "timing: under miri 63 retirements outlast the time budget"
    )]
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
