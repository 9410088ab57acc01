//! Who is asking from where: the client's address, behind trusted proxies or not.

use app::core::ctx::ClientIp;
use app::core::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

/// Determines the client address (see [`client_address`]).
pub async fn client_ip(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded: Vec<&str> = if state.config.trust_proxy_headers {
        req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect()
    } else {
        Vec::new()
    };
    let ip = client_address(peer, &forwarded, &state.config.trusted_proxies).map(|a| a.to_string()).unwrap_or_else(|| "unbekannt".to_string());
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// The client's address: without trusted proxies the direct peer. Behind them, the entries of
/// `X-Forwarded-For` are read from the right (the end the proxies appended) and the first
/// address that is not one of the trusted proxies is the client — never the left-most entry,
/// which the client writes itself. With an empty list only the direct peer is trusted.
pub fn client_address(peer: Option<std::net::IpAddr>, forwarded: &[&str], trusted: &[ipnet::IpNet]) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if forwarded.is_empty() {
        return Some(peer);
    }
    let is_trusted = |a: &std::net::IpAddr| if trusted.is_empty() { *a == peer } else { trusted.iter().any(|n| n.contains(a)) };
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let chain: Vec<&str> = forwarded.iter().flat_map(|h| h.split(',')).map(str::trim).filter(|e| !e.is_empty()).collect();
    let mut client = peer;
    for entry in chain.iter().rev() {
        // Something that is no address ends the trusted part of the chain.
        let Ok(addr) = entry.parse::<std::net::IpAddr>() else { return Some(client) };
        client = addr;
        if !(trusted.iter().any(|n| n.contains(&addr))) {
            return Some(addr);
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn without_trusted_proxies_only_the_peer_counts_for_its_own_entry() {
        // The peer (a proxy) appended the client's address; what the client wrote left of it is ignored.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["6.6.6.6, 192.0.2.7"], &[]), Some(ip("192.0.2.7")));
        assert_eq!(client_address(Some(ip("10.0.0.1")), &[], &[]), Some(ip("10.0.0.1")));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        // Client forged "1.1.1.1"; the outer proxy 10.0.0.2 appended the real 192.0.2.7.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["1.1.1.1, 192.0.2.7, 10.0.0.2"], &trusted), Some(ip("192.0.2.7")));
        // Several headers count as one list.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["1.1.1.1", "192.0.2.7"], &trusted), Some(ip("192.0.2.7")));
        // A peer that is not a trusted proxy is the client, whatever it claims.
        assert_eq!(client_address(Some(ip("203.0.113.9")), &["1.1.1.1"], &trusted), Some(ip("203.0.113.9")));
        // Garbage in the chain stops at the last good address.
        assert_eq!(client_address(Some(ip("10.0.0.1")), &["unsinn"], &trusted), Some(ip("10.0.0.1")));
    }
}
