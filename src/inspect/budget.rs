//! The time one file's inspection may take, shared between the worker that
//! inspects and the watchdog that waits for it. A thread cannot be killed, so
//! the long loops (image decoding, upscaling, the OCR child's wait) ask
//! [`Budget::stopped`] as they go: once the watchdog has given up on the file
//! (or the time is simply over) they stop within a row, and the memory they
//! hold is freed instead of piling up under the files that come next.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A file's time budget and the watchdog's word to stop. Clones share the word.
#[derive(Debug, Clone)]
pub struct Budget {
    started: Instant,
    limit: Duration,
    cancelled: Arc<AtomicBool>,
}

/// The work stopped because the file's budget ended: true of this run only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file's time budget ran out")]
pub struct Stopped;

impl Budget {
    /// A budget of `limit` from now.
    pub fn new(limit: Duration) -> Budget {
        Budget {
            started: Instant::now(),
            limit,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The budget set in `limits.time_budget_ms`, from now.
    pub fn from_limits(limits: &crate::config::Limits) -> Budget {
        Budget::new(Duration::from_millis(limits.time_budget_ms.max(1)))
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Time left before the budget ends (zero once cancelled).
    pub fn left(&self) -> Duration {
        if self.cancelled.load(Ordering::Relaxed) {
            return Duration::ZERO;
        }
        self.limit.saturating_sub(self.started.elapsed())
    }

    /// The watchdog gave up on the file: every loop that asks stops.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once cancelled or out of time. Cheap enough for every row of an image.
    pub fn is_over(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed) || self.started.elapsed() >= self.limit
    }

    /// `Err(Stopped)` once the budget is over: for `?` in loops.
    pub fn stopped(&self) -> Result<(), Stopped> {
        if self.is_over() {
            Err(Stopped)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_budget_is_over_in_every_clone() {
        let b = Budget::new(Duration::from_secs(60));
        let worker = b.clone();
        assert!(!worker.is_over());
        assert!(worker.left() > Duration::from_secs(50));
        b.cancel();
        assert!(worker.is_over());
        assert_eq!(worker.left(), Duration::ZERO);
        assert_eq!(worker.stopped(), Err(Stopped));
    }

    #[test]
    fn a_spent_budget_is_over() {
        let b = Budget::new(Duration::ZERO);
        assert!(b.is_over());
        assert_eq!(b.left(), Duration::ZERO);
    }
}
