//! The limits that keep one client from taking the server: sessions in all and per address
//! (checked when a connection is accepted, before any key exchange costs CPU), login
//! attempts, idle time, the window size a client may claim, and the environment it may set.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// What a server allows; from the command line and the `[serve]` config section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections at once, all addresses together.
    pub max_sessions: usize,
    /// Connections at once from one address (IPv6: one /64).
    pub max_per_ip: usize,
    /// Authentication attempts per connection.
    pub max_auth_attempts: usize,
    /// A session with no input for this long is saved and closed; `None`: never.
    pub idle_timeout: Option<Duration>,
    /// A connection not logged in by then is dropped (russh has no LoginGraceTime).
    pub login_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_sessions: 64,
            max_per_ip: 4,
            max_auth_attempts: 6,
            idle_timeout: Some(Duration::from_secs(30 * 60)),
            login_grace: Duration::from_secs(30),
        }
    }
}

/// The largest window drawn for a client: a claimed 65535×65535 would need gigabytes of
/// cells.
pub const MAX_WINDOW: (u16, u16) = (500, 200);
/// The size taken when a client says 0 (some do before their window exists).
pub const DEFAULT_WINDOW: (u16, u16) = (80, 24);

/// A client's claimed window size, in the range the server draws.
pub fn clamp_window(cols: u32, rows: u32) -> (u16, u16) {
    let one = |v: u32, default: u16, max: u16| match v {
        0 => default,
        v => u16::try_from(v).unwrap_or(max).min(max),
    };
    (
        one(cols, DEFAULT_WINDOW.0, MAX_WINDOW.0),
        one(rows, DEFAULT_WINDOW.1, MAX_WINDOW.1),
    )
}

/// The environment a client may set: its locale (LANG, LC_*), short and printable; nothing
/// else reaches the session.
pub fn env_allowed(name: &str, value: &str) -> bool {
    (name == "LANG" || (name.starts_with("LC_") && name.len() <= 20))
        && value.len() <= 64
        && value.bytes().all(|b| b.is_ascii_graphic())
}

/// Why a connection was turned away at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Full,
    TooManyFromAddress,
}

/// Counts of live connections; a [`Ticket`] is one of them until it is dropped.
#[derive(Debug, Clone, Default)]
pub struct Admission {
    counts: Arc<Mutex<Counts>>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

/// One admitted connection; dropping it frees its place.
#[derive(Debug)]
pub struct Ticket {
    counts: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

impl Admission {
    /// Let a connection from `ip` in, if both limits allow.
    pub fn admit(&self, ip: IpAddr, limits: &Limits) -> Result<Ticket, Refusal> {
        let ip = address_group(ip);
        let mut c = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if c.total >= limits.max_sessions {
            return Err(Refusal::Full);
        }
        let here = c.per_ip.entry(ip).or_insert(0);
        if *here >= limits.max_per_ip {
            return Err(Refusal::TooManyFromAddress);
        }
        *here += 1;
        c.total += 1;
        Ok(Ticket {
            counts: Arc::clone(&self.counts),
            ip,
        })
    }

    /// Connections live now.
    pub fn live(&self) -> usize {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                c.per_ip.remove(&self.ip);
            }
        }
    }
}

/// The unit an address limit counts: one IPv4 address, or one IPv6 /64 (a single client
/// usually has a whole /64 to pick from).
fn address_group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_sizes_are_clamped_and_zero_is_the_default() {
        assert_eq!(clamp_window(0, 0), (80, 24));
        assert_eq!(clamp_window(120, 40), (120, 40));
        assert_eq!(clamp_window(65535, 65535), (500, 200));
        assert_eq!(clamp_window(u32::MAX, 0), (500, 24));
    }

    #[test]
    fn only_the_locale_may_be_set() {
        assert!(env_allowed("LANG", "zh_CN.UTF-8"));
        assert!(env_allowed("LC_CTYPE", "C.UTF-8"));
        assert!(!env_allowed("PATH", "/tmp"));
        assert!(!env_allowed("LD_PRELOAD", "/tmp/x.so"));
        assert!(!env_allowed("LANG", "\u{1b}]0;x"));
        assert!(!env_allowed("LANG", &"x".repeat(100)));
    }

    #[test]
    fn places_are_counted_per_address_and_freed_on_drop() {
        let limits = Limits {
            max_sessions: 3,
            max_per_ip: 2,
            ..Limits::default()
        };
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let adm = Admission::default();
        let t1 = adm.admit(a, &limits).unwrap();
        let _t2 = adm.admit(a, &limits).unwrap();
        assert_eq!(
            adm.admit(a, &limits).unwrap_err(),
            Refusal::TooManyFromAddress
        );
        let _t3 = adm.admit(b, &limits).unwrap();
        assert_eq!(adm.admit(b, &limits).unwrap_err(), Refusal::Full);
        drop(t1);
        assert!(adm.admit(a, &limits).is_ok());
        let v6a: IpAddr = "2001:db8::1".parse().unwrap();
        let v6b: IpAddr = "2001:db8::2".parse().unwrap();
        assert_eq!(address_group(v6a), address_group(v6b));
    }
}
