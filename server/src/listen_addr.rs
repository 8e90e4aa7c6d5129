//! Listening addresses as users type them: `IP:PORT` (port 0 picks a free one) or
//! `off`, and the rule that anything but loopback must be asked for with
//! `--allow-remote`, so nothing is exposed to the network by accident.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

/// A listener's address, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenAddr(pub Option<SocketAddr>);

impl FromStr for ListenAddr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("none") {
            return Ok(Self(None));
        }
        text.parse().map(|addr| Self(Some(addr))).map_err(|_| {
            format!("`{text}` is not an address: expected IP:PORT such as 127.0.0.1:1883 or [::1]:1883 (port 0 picks a free port), or `off`")
        })
    }
}

impl fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(addr) => addr.fmt(f),
            None => f.write_str("off"),
        }
    }
}

/// Refuses a non-loopback `addr` unless `allow_remote`; `flag` names the option in
/// the message.
pub fn check_reachability(flag: &str, addr: SocketAddr, allow_remote: bool) -> Result<(), String> {
    if allow_remote || addr.ip().is_loopback() {
        return Ok(());
    }
    Err(format!(
        "refusing to listen on {addr} (--{flag}): it is not a loopback address, so other machines \
         could connect. Pass --allow-remote (or set MQTTDECK_ALLOW_REMOTE=1) if that is what you want, \
         ideally with --passwords"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses_and_off() {
        assert_eq!("off".parse::<ListenAddr>(), Ok(ListenAddr(None)));
        let addr: ListenAddr = "127.0.0.1:0".parse().expect("addr");
        assert_eq!(addr.to_string(), "127.0.0.1:0");
        let error = "localhost:1883"
            .parse::<ListenAddr>()
            .expect_err("host name");
        assert!(error.contains("expected IP:PORT"), "{error}");
    }

    #[test]
    fn only_loopback_without_allow_remote() {
        let any: SocketAddr = "0.0.0.0:1883".parse().expect("addr");
        let local: SocketAddr = "[::1]:1883".parse().expect("addr");
        assert!(check_reachability("mqtt", local, false).is_ok());
        let error = check_reachability("mqtt", any, false).expect_err("remote");
        assert!(
            error.contains("--allow-remote") && error.contains("0.0.0.0:1883"),
            "{error}"
        );
        assert!(check_reachability("mqtt", any, true).is_ok());
    }
}
