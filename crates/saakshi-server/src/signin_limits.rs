//! How many password guesses are checked: every attempt reserves its place in the limits
//! *before* the password is verified, so a burst of parallel guesses cannot all slip
//! past a count that is only updated afterwards.
//!
//! Three counts of failures per minute, all reserved at once:
//! - per address, over all names (stops one address spraying many accounts);
//! - per (account, address) (one address guessing one account);
//! - per account, over all addresses (many addresses guessing one account).
//!
//! The account-wide count is what a flood from many addresses fills, and a plain
//! account lockout would then refuse the real owner too: anyone could keep `admin` out
//! by guessing badly. So an address that signed into this account successfully within
//! [`TRUSTED_FOR`] may keep trying past the account-wide count, bounded by its own
//! (account, address) count. The attacker cannot earn that without the password; the
//! price is that the owner on a *new* address waits out the minute like everyone else.
//! Trust lives in memory: a restart forgets it (the owner then waits at most a minute
//! during a flood).
//!
//! Successful attempts give their reservation back: a coordinator opening tabs is not
//! guessing. Names are counted whether or not they exist, so the answers do not tell
//! which accounts exist.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::client_addr::ClientAddr;
use crate::rate_limit::Windows;

/// Failed attempts per account per minute, over all addresses.
pub const ACCOUNT_FAILURES_PER_MINUTE: u32 = 10;
/// Failed attempts per (account, address) per minute.
pub const PAIR_FAILURES_PER_MINUTE: u32 = 5;
/// Failed attempts per address per minute, over all names.
pub const ADDRESS_FAILURES_PER_MINUTE: u32 = 20;
/// How long a successful sign-in lets its address past the account-wide count.
pub const TRUSTED_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

/// Why an attempt was refused before its password was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Seconds until the count that refused it starts afresh.
    pub retry_after_s: u64,
}

/// A reserved attempt: keep it as a failure, or give it back. Dropped unended (the client
/// went away during the check), it stays counted: cancelling must not dodge the limit.
#[derive(Debug)]
#[must_use = "an attempt must end in `succeeded`, `failed` or `give_back`"]
pub struct Attempt {
    account: String,
    addr: ClientAddr,
}

#[derive(Debug, Default)]
struct Counts {
    account: Windows<String>,
    pair: Windows<(String, ClientAddr)>,
    address: Windows<ClientAddr>,
    /// Last successful sign-in per (account, address).
    trusted: HashMap<(String, ClientAddr), Instant>,
}

/// The sign-in limits of one server.
#[derive(Debug, Default)]
pub struct SigninLimits {
    counts: Mutex<Counts>,
}

/// The key of an account name: names are unique without regard to case.
fn account_key(name: &str) -> String {
    name.chars().take(100).collect::<String>().to_lowercase()
}

impl SigninLimits {
    /// Reserves an attempt on `name` from `addr`, or refuses it.
    pub fn reserve(&self, name: &str, addr: ClientAddr) -> Result<Attempt, Refused> {
        self.reserve_at(name, addr, Instant::now())
    }

    /// [`SigninLimits::reserve`] at a given time.
    pub fn reserve_at(
        &self,
        name: &str,
        addr: ClientAddr,
        now: Instant,
    ) -> Result<Attempt, Refused> {
        let account = account_key(name);
        let pair = (account.clone(), addr);
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let trusted = c
            .trusted
            .get(&pair)
            .is_some_and(|t| now.saturating_duration_since(*t) < TRUSTED_FOR);
        let refused_by = if c.address.used(&addr, now) >= ADDRESS_FAILURES_PER_MINUTE {
            Some(c.address.retry_after(&addr, now))
        } else if c.pair.used(&pair, now) >= PAIR_FAILURES_PER_MINUTE {
            Some(c.pair.retry_after(&pair, now))
        } else if !trusted && c.account.used(&account, now) >= ACCOUNT_FAILURES_PER_MINUTE {
            Some(c.account.retry_after(&account, now))
        } else {
            None
        };
        if let Some(retry_after_s) = refused_by {
            return Err(Refused { retry_after_s });
        }
        c.address.add(addr, now);
        c.pair.add(pair, now);
        c.account.add(account.clone(), now);
        Ok(Attempt { account, addr })
    }

    /// The password was wrong: the reservation stays counted.
    pub fn failed(&self, attempt: Attempt) {
        drop(attempt);
    }

    /// The password was right: the reservation is given back and the address is
    /// trusted for this account.
    pub fn succeeded(&self, attempt: Attempt) {
        self.succeeded_at(attempt, Instant::now());
    }

    /// [`SigninLimits::succeeded`] at a given time.
    pub fn succeeded_at(&self, attempt: Attempt, now: Instant) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        Self::release(&mut c, &attempt, now);
        if c.trusted.len() > 100_000 {
            c.trusted
                .retain(|_, t| now.saturating_duration_since(*t) < TRUSTED_FOR);
        }
        c.trusted.insert((attempt.account, attempt.addr), now);
    }

    /// The password was never checked (the server was busy): the reservation is given
    /// back.
    pub fn give_back(&self, attempt: Attempt) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        Self::release(&mut c, &attempt, Instant::now());
    }

    fn release(c: &mut Counts, a: &Attempt, now: Instant) {
        c.address.give_back(&a.addr, now);
        c.pair.give_back(&(a.account.clone(), a.addr), now);
        c.account.give_back(&a.account, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate_limit::WINDOW;

    fn addr(n: u8) -> ClientAddr {
        ClientAddr::V4([10, 0, 0, n])
    }

    /// Reserves and fails `n` attempts; answers how many were let through.
    fn fail(l: &SigninLimits, name: &str, a: ClientAddr, n: u32, now: Instant) -> u32 {
        (0..n)
            .filter(|_| match l.reserve_at(name, a, now) {
                Ok(at) => {
                    l.failed(at);
                    true
                }
                Err(_) => false,
            })
            .count() as u32
    }

    #[test]
    fn reservations_held_at_once_never_exceed_the_limit() {
        // Parallel attempts all reserve before any of them is verified.
        let l = SigninLimits::default();
        let now = Instant::now();
        let held: Vec<Attempt> = (0..60)
            .filter_map(|i| l.reserve_at("admin", addr(i), now).ok())
            .collect();
        assert_eq!(held.len() as u32, ACCOUNT_FAILURES_PER_MINUTE);
        let one = (0..60)
            .filter_map(|_| l.reserve_at("Bob", addr(200), now).ok())
            .count() as u32;
        assert_eq!(one, PAIR_FAILURES_PER_MINUTE, "one address, one account");
        for a in held {
            l.failed(a);
        }
    }

    #[test]
    fn one_address_cannot_spray_many_names() {
        let l = SigninLimits::default();
        let now = Instant::now();
        let through: u32 = (0..100)
            .map(|i| fail(&l, &format!("user{i}"), addr(1), 1, now))
            .sum();
        assert_eq!(through, ADDRESS_FAILURES_PER_MINUTE);
        assert_eq!(
            fail(&l, "other", addr(2), 1, now),
            1,
            "other addresses go on"
        );
    }

    #[test]
    fn a_flood_does_not_lock_out_an_address_that_signed_in_before() {
        let l = SigninLimits::default();
        let now = Instant::now();
        let home = addr(1);
        let ok = l.reserve_at("admin", home, now).unwrap();
        l.succeeded_at(ok, now);
        // The flood fills the account-wide count from many addresses.
        let flood: u32 = (10..100).map(|i| fail(&l, "admin", addr(i), 1, now)).sum();
        assert_eq!(flood, ACCOUNT_FAILURES_PER_MINUTE);
        assert!(
            l.reserve_at("admin", addr(200), now).is_err(),
            "a new address waits"
        );
        // The owner's address still gets its own (bounded) attempts.
        let at = l
            .reserve_at("ADMIN", home, now)
            .expect("the owner's address is not locked out");
        l.succeeded_at(at, now);
        assert_eq!(fail(&l, "admin", home, 100, now), PAIR_FAILURES_PER_MINUTE);
        // A minute later everyone may try again.
        assert_eq!(fail(&l, "admin", addr(200), 1, now + WINDOW), 1);
    }

    #[test]
    fn successes_and_unchecked_attempts_are_given_back() {
        let l = SigninLimits::default();
        let now = Instant::now();
        for _ in 0..50 {
            let a = l.reserve_at("carol", addr(1), now).unwrap();
            l.succeeded_at(a, now);
            let b = l.reserve_at("carol", addr(1), now).unwrap();
            l.give_back(b);
        }
        assert_eq!(
            fail(&l, "carol", addr(1), 100, now),
            PAIR_FAILURES_PER_MINUTE
        );
    }

    #[test]
    fn trust_expires() {
        let l = SigninLimits::default();
        let t0 = Instant::now();
        let a = l.reserve_at("admin", addr(1), t0).unwrap();
        l.succeeded_at(a, t0);
        let later = t0 + TRUSTED_FOR;
        assert_eq!(
            (10..100)
                .map(|i| fail(&l, "admin", addr(i), 1, later))
                .sum::<u32>(),
            ACCOUNT_FAILURES_PER_MINUTE
        );
        assert!(l.reserve_at("admin", addr(1), later).is_err());
    }
}
