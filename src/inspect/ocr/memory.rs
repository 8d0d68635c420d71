//! One memory budget for decoded images across every worker of the run.
//!
//! A few kilobytes of CCITT or JPEG can declare a 20,000 × 20,000 image: 400 MB
//! of gray, more while it is turned upright or enlarged. Each worker reserves
//! the bytes a buffer will take, computed from the image's declared size,
//! BEFORE allocating it, and gives them back when the buffer is dropped. An
//! image that needs more than the whole budget is never read ("too large",
//! a fact about the file); one that must wait for others waits only as long as
//! its file's time budget lasts.
//!
//! [`IMAGES`] is process-wide state on purpose (the one static of inspection):
//! the memory it stands for is the process's, shared by every worker and by
//! every unit a `--units` run checks, which a pool carried in the options of
//! one run could not bound.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::inspect::budget::Budget;

/// Bytes in use by reservations, and the signal that some were given back.
pub struct Pool {
    in_use: Mutex<u64>,
    freed: Condvar,
}

/// The run's pool: every worker's image buffers.
pub static IMAGES: Pool = Pool::new();

/// How often a waiting worker looks at its file's budget (the watchdog's cancel).
const POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReserveError {
    /// Larger than the whole budget: it would never fit. A fact about the file.
    #[error("page image too large to read: it needs {} MiB, over the {} MiB of limits.max_image_bytes", mib(*.need), mib(*.limit))]
    TooLarge { need: u64, limit: u64 },
    /// Waited for other images to be released until the file's time ran out.
    #[error("no memory for the page image was free before the file's time budget ran out")]
    Stopped,
}

fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

/// Bytes held from a pool; given back on drop.
pub struct Reservation {
    pool: &'static Pool,
    bytes: u64,
}

impl std::fmt::Debug for Reservation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Reservation({} bytes)", self.bytes)
    }
}

impl Reservation {
    #[cfg(test)]
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Give back all but `bytes` (a buffer cropped or replaced by a smaller one).
    pub fn shrink_to(&mut self, bytes: u64) {
        if bytes < self.bytes {
            let mut in_use = self.pool.lock();
            *in_use = in_use.saturating_sub(self.bytes - bytes);
            drop(in_use);
            self.bytes = bytes;
            self.pool.freed.notify_all();
        }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut in_use = self.pool.lock();
        *in_use = in_use.saturating_sub(self.bytes);
        drop(in_use);
        self.pool.freed.notify_all();
    }
}

impl Pool {
    pub const fn new() -> Pool {
        Pool {
            in_use: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, u64> {
        // The counter is a plain number: a panic elsewhere cannot leave it half-written.
        self.in_use.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reserve `need` bytes of the `limit` shared by all workers, waiting
    /// while others hold too much, for as long as `budget` lasts.
    pub fn reserve(
        &'static self,
        need: u64,
        limit: u64,
        budget: &Budget,
    ) -> Result<Reservation, ReserveError> {
        if need > limit {
            return Err(ReserveError::TooLarge { need, limit });
        }
        let mut in_use = self.lock();
        loop {
            if in_use.saturating_add(need) <= limit {
                *in_use += need;
                return Ok(Reservation {
                    pool: self,
                    bytes: need,
                });
            }
            if budget.is_over() {
                return Err(ReserveError::Stopped);
            }
            let wait = budget.left().clamp(Duration::from_millis(1), POLL);
            in_use = self
                .freed
                .wait_timeout(in_use, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Bytes reserved right now.
    #[cfg(test)]
    pub fn in_use(&self) -> u64 {
        *self.lock()
    }
}

impl Default for Pool {
    fn default() -> Self {
        Pool::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each test has its own pool: the run's one is shared by the whole test binary.

    #[test]
    fn more_than_the_budget_is_too_large_at_once() {
        static POOL: Pool = Pool::new();
        let b = Budget::new(Duration::from_secs(10));
        assert_eq!(
            POOL.reserve(11, 10, &b).unwrap_err(),
            ReserveError::TooLarge {
                need: 11,
                limit: 10
            }
        );
    }

    #[test]
    fn a_waiting_reservation_gets_the_released_bytes() {
        static POOL: Pool = Pool::new();
        let b = Budget::new(Duration::from_secs(20));
        let first = POOL.reserve(900, 1000, &b).expect("fits");
        let waiter = {
            let b = b.clone();
            std::thread::spawn(move || POOL.reserve(200, 1000, &b).map(|r| r.bytes()))
        };
        std::thread::sleep(Duration::from_millis(150));
        assert!(!waiter.is_finished(), "must wait while the bytes are held");
        drop(first);
        assert_eq!(waiter.join().unwrap(), Ok(200));
        assert_eq!(POOL.in_use(), 0, "every byte given back");
    }

    #[test]
    fn a_wait_ends_with_the_files_budget() {
        static POOL: Pool = Pool::new();
        let held = POOL
            .reserve(10, 10, &Budget::new(Duration::from_secs(20)))
            .expect("fits");
        let b = Budget::new(Duration::from_secs(20));
        let waiter = {
            let b = b.clone();
            std::thread::spawn(move || POOL.reserve(1, 10, &b).map(|r| r.bytes()))
        };
        std::thread::sleep(Duration::from_millis(100));
        b.cancel();
        assert_eq!(waiter.join().unwrap(), Err(ReserveError::Stopped));
        drop(held);
    }
}
