//! Flood protection for the reporting hub that identifies nobody.
//!
//! The reporting pages must not know who is asking (no address, no cookie), so they cannot
//! slow down one sender. Instead one **global budget per window** is kept in memory:
//!
//! | what | budget per 10-minute window | then |
//! |---|---|---|
//! | reports submitted | `submissions` (300) | 429 until the window ends |
//! | receipt-code attempts (right or wrong) | `attempts` (600) | 429 until the window ends |
//! | wrong receipt codes | `free_failures` (60) | each further attempt waits twice as long as the last (1 s, 2 s, 4 s … at most 10 min) |
//!
//! A flood therefore delays everybody for at most one window, and stores nothing about
//! anyone. It does not protect the codes: their 83 bits do (SECURITY.md has the
//! arithmetic); it bounds the rate of guessing and the load. Per process, reset by a
//! restart. The numbers come from [`ReportLimits`] (`HAVEN_REPORT_LIMITS`).

use std::sync::Mutex;

/// The length of a window, in seconds.
pub const WINDOW: i64 = 600;

/// The budgets per window (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportLimits {
    pub submissions: u32,
    pub attempts: u32,
    pub free_failures: u32,
}

impl Default for ReportLimits {
    fn default() -> Self {
        Self {
            submissions: 300,
            attempts: 600,
            free_failures: 60,
        }
    }
}

impl ReportLimits {
    /// `submissions,attempts,free_failures` (whole numbers from 1), as
    /// `HAVEN_REPORT_LIMITS` gives them; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let n: Vec<u32> = s
            .split(',')
            .map(|p| p.trim().parse::<u32>().ok().filter(|n| *n > 0))
            .collect::<Option<_>>()?;
        match n.as_slice() {
            [submissions, attempts, free_failures] => Some(Self {
                submissions: *submissions,
                attempts: *attempts,
                free_failures: *free_failures,
            }),
            _ => None,
        }
    }
}

#[derive(Default)]
struct Window {
    start: i64,
    submissions: u32,
    attempts: u32,
    failures: u32,
    last_failure: i64,
}

/// The global budgets; see the module's description.
#[derive(Default)]
pub struct ReportBudget {
    limits: ReportLimits,
    window: Mutex<Window>,
}

impl ReportBudget {
    pub fn new(limits: ReportLimits) -> Self {
        Self {
            limits,
            window: Mutex::default(),
        }
    }

    fn current(&self, now: i64) -> std::sync::MutexGuard<'_, Window> {
        // The counters hold no invariant a panic elsewhere could break.
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if w.start == 0 || now - w.start >= WINDOW || now < w.start {
            *w = Window {
                start: now,
                ..Window::default()
            };
        }
        w
    }

    /// Takes one report submission from the budget, or says how many seconds to wait.
    pub fn submission(&self, now: i64) -> Result<(), i64> {
        let mut w = self.current(now);
        if w.submissions >= self.limits.submissions {
            return Err(w.start + WINDOW - now);
        }
        w.submissions += 1;
        Ok(())
    }

    /// Takes one receipt-code attempt from the budget, or says how many seconds to wait:
    /// until the window ends when the budget is spent, or the growing delay after too
    /// many wrong codes.
    pub fn attempt(&self, now: i64) -> Result<(), i64> {
        let mut w = self.current(now);
        if w.attempts >= self.limits.attempts {
            return Err(w.start + WINDOW - now);
        }
        if w.failures >= self.limits.free_failures {
            let doublings = (w.failures - self.limits.free_failures).min(20);
            let from = w.last_failure + (1i64 << doublings).min(WINDOW);
            if now < from {
                return Err(from - now);
            }
        }
        w.attempts += 1;
        Ok(())
    }

    /// A wrong code was entered.
    pub fn failed(&self, now: i64) {
        let mut w = self.current(now);
        w.failures += 1;
        w.last_failure = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submissions_stop_at_the_budget_until_the_window_ends() {
        let b = ReportBudget::new(ReportLimits {
            submissions: 2,
            attempts: 10,
            free_failures: 3,
        });
        assert_eq!(b.submission(1000), Ok(()));
        assert_eq!(b.submission(1001), Ok(()));
        assert_eq!(b.submission(1100), Err(500));
        assert_eq!(b.submission(1600), Ok(()));
    }

    #[test]
    fn wrong_codes_make_everyone_wait_longer_and_attempts_have_a_budget() {
        let b = ReportBudget::new(ReportLimits {
            submissions: 2,
            attempts: 8,
            free_failures: 3,
        });
        for _ in 0..3 {
            assert_eq!(b.attempt(100), Ok(()));
            b.failed(100);
        }
        assert_eq!(b.attempt(100), Err(1));
        assert_eq!(b.attempt(101), Ok(()));
        b.failed(101);
        assert_eq!(b.attempt(101), Err(2));
        assert_eq!(b.attempt(103), Ok(()));
        for _ in 0..3 {
            assert_eq!(b.attempt(200), Ok(()));
        }
        assert_eq!(b.attempt(200), Err(500), "the attempts' budget is spent");
        assert_eq!(b.attempt(700), Ok(()), "a new window");
    }

    #[test]
    fn limits_parse_from_three_whole_numbers() {
        assert_eq!(
            ReportLimits::parse("5, 10,2"),
            Some(ReportLimits {
                submissions: 5,
                attempts: 10,
                free_failures: 2
            })
        );
        for bad in ["", "1,2", "0,1,1", "a,b,c", "1,2,3,4"] {
            assert_eq!(ReportLimits::parse(bad), None, "{bad}");
        }
    }
}
