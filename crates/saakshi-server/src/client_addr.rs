//! The address a request comes from, for limits per address.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::state::Shared;

/// Where a request comes from, as limits count it: an IPv4 address, or the /64 of an
/// IPv6 address (one subscriber usually holds a whole /64, so counting single IPv6
/// addresses would let them start afresh 2^64 times). `Unknown` when the server was
/// not served with connection info (in-process tests): those requests share one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientAddr {
    /// An IPv4 address (IPv4-mapped IPv6 addresses included).
    V4([u8; 4]),
    /// The first 64 bits of an IPv6 address.
    V6Net(u64),
    /// No address known.
    Unknown,
}

impl ClientAddr {
    /// The key for `ip`.
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::V4(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(v4.octets()),
                None => Self::V6Net((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::V4(o) => write!(f, "{}", std::net::Ipv4Addr::from(*o)),
            Self::V6Net(n) => write!(f, "{}/64", Ipv6Addr::from(u128::from(*n) << 64)),
            Self::Unknown => f.write_str("unknown"),
        }
    }
}

/// The last address in `X-Forwarded-For`: the one our own proxy appended. Addresses left
/// of it were sent by the client and prove nothing.
pub fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last_line = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .next_back()?;
    let last = last_line.rsplit(',').next()?.trim();
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

impl FromRequestParts<Shared> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> Result<Self, Self::Rejection> {
        if state.settings.behind_proxy
            && let Some(ip) = forwarded_for(&parts.headers)
        {
            return Ok(Self::of(ip));
        }
        Ok(parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(Self::Unknown, |c| Self::of(c.0.ip())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
        let a = ClientAddr::of("2001:db8:1:2::1".parse().unwrap());
        let b = ClientAddr::of("2001:db8:1:2:ffff::9".parse().unwrap());
        let c = ClientAddr::of("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        assert_eq!(
            ClientAddr::of("::ffff:10.0.0.7".parse().unwrap()),
            ClientAddr::of("10.0.0.7".parse().unwrap())
        );
    }

    #[test]
    fn forwarded_for_trusts_only_the_last_hop() {
        let mut h = HeaderMap::new();
        assert_eq!(forwarded_for(&h), None);
        h.append("x-forwarded-for", "1.1.1.1, 2.2.2.2".parse().unwrap());
        assert_eq!(forwarded_for(&h), Some("2.2.2.2".parse().unwrap()));
        h.append("x-forwarded-for", "3.3.3.3".parse().unwrap());
        assert_eq!(forwarded_for(&h), Some("3.3.3.3".parse().unwrap()));
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", "[2001:db8::1]:443".parse().unwrap());
        assert_eq!(forwarded_for(&h), Some("2001:db8::1".parse().unwrap()));
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", "1.1.1.1, junk".parse().unwrap());
        assert_eq!(
            forwarded_for(&h),
            None,
            "a garbled last hop is not guessed at"
        );
    }
}
