//! Slows down guessing at sign-in without letting a stranger lock anyone out.
//!
//! Failures are counted under four keys, each with a number of free tries after which
//! every further attempt waits twice as long as the one before (one second, two, four …,
//! at most fifteen minutes); a key is forgotten fifteen minutes after its last failure.
//!
//! | key | counts | free tries | reset by |
//! |---|---|---|---|
//! | account and address | wrong passwords for one account from one address | 3 | the right password from there |
//! | account | wrong passwords for one account from anywhere | 20 | the right password |
//! | address | every failure from one address | 30 | time only |
//! | second factor | wrong codes for one account from anywhere | 3 | a right code |
//!
//! So a stranger guessing someone's password from their own address slows down only
//! themselves until they spread over many addresses, and the owner signs in meanwhile; a
//! guesser who has the password gets three codes and then waits, however often they enter
//! the password again and from wherever. When an account's own count (with or without the
//! address) first makes it wait, its holder is told, at most once a window
//! ([`tell_holder`]: an audit event and, if the account has an address, an e-mail). In memory: per process, reset by a restart, and it
//! stores nothing about anyone beyond the window.

use std::collections::HashMap;
use std::sync::Mutex;

/// Seconds after the last failure when a key is forgotten; also the longest wait.
const WINDOW: i64 = 15 * 60;
/// Keys kept before old ones are swept (a flood of addresses cannot grow the map for ever).
const SWEEP_ABOVE: usize = 50_000;

/// The free tries of each key; see the module's table.
pub const FREE_PER_ACCOUNT_AND_ADDRESS: u32 = 3;
const FREE_PER_ACCOUNT: u32 = 20;
const FREE_PER_ADDRESS: u32 = 30;
pub const FREE_CODES: u32 = 3;

#[derive(Clone, Copy)]
struct Tally {
    failures: u32,
    last: i64,
}

impl Tally {
    /// The second from which the next attempt is allowed.
    fn allowed_from(&self, free: u32) -> i64 {
        if self.failures < free {
            return self.last;
        }
        let doublings = (self.failures - free).min(20);
        self.last + (1i64 << doublings).min(WINDOW)
    }
}

#[derive(Default)]
pub struct Throttle {
    tallies: Mutex<HashMap<String, Tally>>,
}

fn account(username: &str) -> String {
    username.trim().to_lowercase()
}

impl Throttle {
    /// Seconds to wait before a password may be tried for this account from this address
    /// (0: now). A second factor's failures do not count here.
    pub fn password_wait(&self, username: &str, ip: &str, now: i64) -> i64 {
        let u = account(username);
        self.wait(
            now,
            &[
                (format!("p:{u}|{ip}"), FREE_PER_ACCOUNT_AND_ADDRESS),
                (format!("u:{u}"), FREE_PER_ACCOUNT),
                (format!("a:{ip}"), FREE_PER_ADDRESS),
            ],
        )
    }

    /// Seconds to wait before a second-factor code may be tried for this account.
    pub fn code_wait(&self, username: &str, ip: &str, now: i64) -> i64 {
        let u = account(username);
        self.wait(
            now,
            &[
                (format!("t:{u}"), FREE_CODES),
                (format!("a:{ip}"), FREE_PER_ADDRESS),
            ],
        )
    }

    /// Counts a wrong password. `true` when this failure started slowing the account down
    /// (from one address or from all) and its holder has not been told in this window: the
    /// caller tells them (`users::sign_in_slowed`).
    pub fn password_failed(&self, username: &str, ip: &str, now: i64) -> bool {
        let u = account(username);
        self.count(
            now,
            &u,
            &[
                (format!("p:{u}|{ip}"), Some(FREE_PER_ACCOUNT_AND_ADDRESS)),
                (format!("u:{u}"), Some(FREE_PER_ACCOUNT)),
                (format!("a:{ip}"), None),
            ],
        )
    }

    /// Counts a wrong second-factor code; `true` as for [`Self::password_failed`].
    pub fn code_failed(&self, username: &str, ip: &str, now: i64) -> bool {
        let u = account(username);
        self.count(
            now,
            &u,
            &[
                (format!("t:{u}"), Some(FREE_CODES)),
                (format!("a:{ip}"), None),
            ],
        )
    }

    /// The right password: its counts for the account end; the second factor's do not.
    pub fn password_ok(&self, username: &str, ip: &str) {
        let u = account(username);
        self.forget(&[format!("p:{u}|{ip}"), format!("u:{u}")]);
    }

    /// The right code: the second factor's count ends.
    pub fn code_ok(&self, username: &str) {
        self.forget(&[format!("t:{}", account(username))]);
    }

    fn wait(&self, now: i64, keys: &[(String, u32)]) -> i64 {
        let Ok(map) = self.tallies.lock() else {
            return 0;
        };
        keys.iter()
            .filter_map(|(k, free)| map.get(k).map(|t| (t, *free)))
            .filter(|(t, _)| now - t.last < WINDOW)
            .map(|(t, free)| t.allowed_from(free) - now)
            .max()
            .unwrap_or(0)
            .max(0)
    }

    /// Counts one failure under each key. A key with `Some(free)` is the account's: once
    /// its failures reach `free`, the account is slowed down, and the holder is to be told
    /// unless they were in this window (remembered under `n:{account}`).
    fn count(&self, now: i64, account: &str, keys: &[(String, Option<u32>)]) -> bool {
        let Ok(mut map) = self.tallies.lock() else {
            return false;
        };
        if map.len() > SWEEP_ABOVE {
            map.retain(|_, t| now - t.last < WINDOW);
        }
        let mut slowed = false;
        for (k, free) in keys {
            let t = map.entry(k.clone()).or_insert(Tally {
                failures: 0,
                last: now,
            });
            if now - t.last >= WINDOW {
                t.failures = 0;
            }
            t.failures += 1;
            t.last = now;
            slowed |= free.is_some_and(|f| t.failures >= f);
        }
        if !slowed {
            return false;
        }
        let told = map.entry(format!("n:{account}")).or_insert(Tally {
            failures: 0,
            last: now,
        });
        let tell = told.failures == 0 || now - told.last >= WINDOW;
        told.failures = 1;
        if tell {
            told.last = now;
        }
        tell
    }

    fn forget(&self, keys: &[String]) {
        if let Ok(mut map) = self.tallies.lock() {
            for k in keys {
                map.remove(k);
            }
        }
    }
}

/// Tells an account's holder that sign-in to it is slowed down (when a `…_failed` call said
/// so). The answer to the wrong password does not depend on it, so a failure here is only
/// logged: the request fails either way, and a guesser learns nothing.
pub async fn tell_holder(ctx: &haven_core::Ctx, username: &str) {
    if let Err(e) = haven_core::users::sign_in_slowed(ctx, username).await {
        tracing::warn!(error = %e, "the holder of a slowed-down account was not told");
    }
}

#[cfg(test)]
impl Throttle {
    /// Failures counted under an address alone, as many usernames from one place give.
    fn address_failed_for_test(&self, ip: &str, now: i64) {
        self.count(now, "", &[(format!("a:{ip}"), None)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_tries_and_end_with_the_window() {
        let t = Throttle::default();
        for _ in 0..FREE_PER_ACCOUNT_AND_ADDRESS {
            assert_eq!(t.password_wait("Ana", "10.0.0.1", 100), 0);
            t.password_failed("Ana", "10.0.0.1", 100);
        }
        assert_eq!(t.password_wait("ana ", "10.0.0.1", 100), 1);
        t.password_failed("Ana", "10.0.0.1", 101);
        assert_eq!(t.password_wait("Ana", "10.0.0.1", 101), 2);
        for _ in 0..30 {
            t.password_failed("Ana", "10.0.0.1", 200);
        }
        assert_eq!(t.password_wait("Ana", "10.0.0.1", 200), WINDOW);
        assert_eq!(t.password_wait("Ana", "10.0.0.1", 200 + WINDOW), 0);
    }

    #[test]
    fn the_holder_is_told_once_a_window_when_the_account_slows_down() {
        let t = Throttle::default();
        let told: Vec<bool> = (0..FREE_PER_ACCOUNT_AND_ADDRESS + 3)
            .map(|_| t.password_failed("Ana", "203.0.113.9", 100))
            .collect();
        // Told at the failure that starts the waiting, and not again in the window ...
        assert_eq!(told.iter().filter(|x| **x).count(), 1);
        assert!(told[FREE_PER_ACCOUNT_AND_ADDRESS as usize - 1]);
        assert!(!t.password_failed("ana", "198.51.100.1", 200));
        for _ in 0..FREE_CODES - 1 {
            assert!(!t.code_failed("ana", "198.51.100.1", 300));
        }
        assert!(!t.code_failed("ana", "198.51.100.1", 300));
        // ... but again in the next one; failures from one address alone tell nobody.
        let later: Vec<bool> = (0..FREE_CODES)
            .map(|_| t.code_failed("ana", "198.51.100.1", 300 + WINDOW))
            .collect();
        assert_eq!(later, [false, false, true]);
        for _ in 0..FREE_PER_ADDRESS + 5 {
            t.address_failed_for_test("198.51.100.7", 100);
        }
        assert!(!t.password_failed("bo", "198.51.100.7", 100));
    }

    #[test]
    fn a_stranger_slows_only_their_own_address() {
        let t = Throttle::default();
        for _ in 0..10 {
            t.password_failed("ana", "203.0.113.9", 100);
        }
        assert!(t.password_wait("ana", "203.0.113.9", 100) > 0);
        assert_eq!(t.password_wait("ana", "10.0.0.1", 100), 0);
    }

    #[test]
    fn the_right_password_does_not_reset_the_second_factor_count() {
        let t = Throttle::default();
        for round in 0..3 {
            t.password_ok("ana", &format!("10.0.0.{round}"));
            t.code_failed("ana", &format!("10.0.0.{round}"), 100);
        }
        t.password_ok("ana", "10.0.0.9");
        assert_eq!(t.code_wait("ana", "10.0.0.9", 100), 1);
        t.code_ok("ana");
        assert_eq!(t.code_wait("ana", "10.0.0.9", 100), 0);
    }
}
