//! Broker WebSocket URLs: parsing a pasted URL into protocol / host / port / path (and
//! back), and the hints a beginner needs before connecting: browsers speak MQTT only over
//! WebSocket, an https page may only open wss, well-known ports imply a scheme, and many
//! brokers serve MQTT on `/mqtt`.

use std::fmt;

/// `ws` or `wss`: the only schemes a browser can open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WsScheme {
    #[default]
    Ws,
    Wss,
}

impl WsScheme {
    pub fn as_str(self) -> &'static str {
        match self {
            WsScheme::Ws => "ws",
            WsScheme::Wss => "wss",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            WsScheme::Ws => 80,
            WsScheme::Wss => 443,
        }
    }
}

/// A broker address split into the fields the connection form shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BrokerUrl {
    pub scheme: WsScheme,
    pub host: String,
    pub port: u16,
    /// Starts with `/` or is empty.
    pub path: String,
}

impl Default for BrokerUrl {
    fn default() -> Self {
        BrokerUrl {
            scheme: WsScheme::Ws,
            host: "127.0.0.1".into(),
            port: 3000,
            path: "/mqtt".into(),
        }
    }
}

/// Why a URL cannot be used, in words that say how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("enter the broker's address, e.g. ws://127.0.0.1:8083/mqtt")]
    Empty,
    #[error("add a scheme: browsers reach brokers over WebSocket, e.g. ws://{0}")]
    NoScheme(String),
    #[error("browsers cannot open {scheme}:// connections; use the broker's WebSocket listener instead, e.g. {suggestion}")]
    NotWebSocket { scheme: String, suggestion: String },
    #[error("unknown scheme '{0}': use ws:// or wss://")]
    UnknownScheme(String),
    #[error(
        "the host is missing: write it after the scheme, e.g. ws://broker.example.com:8083/mqtt"
    )]
    NoHost,
    #[error("'{0}' is not a valid host name")]
    BadHost(String),
    #[error("port '{0}' is not a number from 1 to 65535")]
    BadPort(String),
}

impl BrokerUrl {
    /// Parses `ws://host:port/path` or `wss://…`; the port defaults to the scheme's.
    pub fn parse(input: &str) -> Result<BrokerUrl, UrlError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(UrlError::Empty);
        }
        let Some((scheme, rest)) = input.split_once("://") else {
            return Err(UrlError::NoScheme(input.to_string()));
        };
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "ws" => WsScheme::Ws,
            "wss" => WsScheme::Wss,
            other @ ("mqtt" | "tcp" | "mqtts" | "ssl" | "tls" | "http" | "https") => {
                return Err(not_websocket(other, rest))
            }
            other => return Err(UrlError::UnknownScheme(other.to_string())),
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        };
        // Credentials in the URL are not supported by browsers' WebSocket: drop them.
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let (host, port) = split_host_port(authority, scheme)?;
        Ok(BrokerUrl {
            scheme,
            host,
            port,
            path: path.to_string(),
        })
    }

    /// Hints about a URL that parses but is likely wrong, given the page's own scheme.
    pub fn hints(&self, page_is_https: bool) -> Vec<String> {
        let mut hints = Vec::new();
        if page_is_https && self.scheme == WsScheme::Ws {
            hints.push(
                "this page is served over https, so the browser blocks ws:// (mixed content): use wss://"
                    .to_string(),
            );
        }
        match (self.scheme, self.port) {
            (WsScheme::Ws, 443 | 8084 | 8884 | 8883) => hints.push(format!(
                "port {} is usually a TLS port: did you mean wss://?",
                self.port
            )),
            (WsScheme::Wss, 80 | 8083 | 8080 | 8000 | 1883) => hints.push(format!(
                "port {} is usually a plain (non-TLS) port: did you mean ws://?",
                self.port
            )),
            _ => {}
        }
        if matches!(self.port, 1883 | 8883) {
            hints.push(format!(
                "port {} is the usual raw MQTT port; browsers need the broker's WebSocket listener (often 8083/8084 or 8080/8081, or 9001)",
                self.port
            ));
        }
        if self.path.is_empty() || self.path == "/" {
            hints.push(
                "no path: most brokers (EMQX, HiveMQ, MQTT Deck) serve MQTT on /mqtt; Mosquitto accepts any path"
                    .to_string(),
            );
        }
        if self.scheme == WsScheme::Wss {
            hints.push(
                "wss:// needs a certificate the browser trusts; for a self-signed one, open https://host:port once and accept it"
                    .to_string(),
            );
        }
        hints
    }
}

impl fmt::Display for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(
            f,
            "{}://{}:{}{}",
            self.scheme.as_str(),
            host,
            self.port,
            self.path
        )
    }
}

fn not_websocket(scheme: &str, rest: &str) -> UrlError {
    let tls = matches!(scheme, "mqtts" | "ssl" | "tls" | "https");
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    let suggestion = if tls {
        format!("wss://{host}:8084/mqtt")
    } else {
        format!("ws://{host}:8083/mqtt")
    };
    UrlError::NotWebSocket {
        scheme: scheme.to_string(),
        suggestion,
    }
}

fn split_host_port(authority: &str, scheme: WsScheme) -> Result<(String, u16), UrlError> {
    if authority.is_empty() {
        return Err(UrlError::NoHost);
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        // IPv6 literal: [::1]:8083
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| UrlError::BadHost(authority.to_string()))?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    validate_host(host)?;
    let port = match port {
        None => scheme.default_port(),
        Some(text) => parse_port(text)?,
    };
    Ok((host.to_string(), port))
}

/// A host is a DNS name, IPv4 or IPv6 literal: no spaces or URL punctuation.
pub fn validate_host(host: &str) -> Result<(), UrlError> {
    if host.is_empty() {
        return Err(UrlError::NoHost);
    }
    let bad = host
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@' | '\\' | '"' | '<' | '>'));
    if bad {
        return Err(UrlError::BadHost(host.to_string()));
    }
    Ok(())
}

/// A port number from 1 to 65535.
pub fn parse_port(text: &str) -> Result<u16, UrlError> {
    match text.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(UrlError::BadPort(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_url() {
        let url = BrokerUrl::parse("wss://broker.example.com:8084/mqtt").expect("valid");
        assert_eq!(url.scheme, WsScheme::Wss);
        assert_eq!(url.host, "broker.example.com");
        assert_eq!(url.port, 8084);
        assert_eq!(url.path, "/mqtt");
        assert_eq!(url.to_string(), "wss://broker.example.com:8084/mqtt");
    }

    #[test]
    fn default_ports_and_empty_path() {
        let url = BrokerUrl::parse("ws://localhost").expect("valid");
        assert_eq!((url.port, url.path.as_str()), (80, ""));
        assert_eq!(BrokerUrl::parse("wss://h").expect("valid").port, 443);
    }

    #[test]
    fn ipv6_literal_round_trips() {
        let url = BrokerUrl::parse("ws://[::1]:9001/").expect("valid");
        assert_eq!(url.host, "::1");
        assert_eq!(url.to_string(), "ws://[::1]:9001/");
    }

    #[test]
    fn missing_scheme_is_explained() {
        let error = BrokerUrl::parse("broker.example.com:8083/mqtt").unwrap_err();
        assert_eq!(
            error,
            UrlError::NoScheme("broker.example.com:8083/mqtt".into())
        );
        assert!(error
            .to_string()
            .contains("ws://broker.example.com:8083/mqtt"));
    }

    #[test]
    fn mqtt_scheme_suggests_the_websocket_listener() {
        let error = BrokerUrl::parse("mqtt://test.mosquitto.org:1883").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("ws://test.mosquitto.org:8083/mqtt"),
            "{error}"
        );
        let error = BrokerUrl::parse("mqtts://h:8883").unwrap_err();
        assert!(error.to_string().contains("wss://h:8084/mqtt"), "{error}");
    }

    #[test]
    fn bad_ports_and_hosts_are_rejected() {
        assert_eq!(
            BrokerUrl::parse("ws://h:0/mqtt").unwrap_err(),
            UrlError::BadPort("0".into())
        );
        assert_eq!(
            BrokerUrl::parse("ws://h:70000").unwrap_err(),
            UrlError::BadPort("70000".into())
        );
        assert_eq!(
            BrokerUrl::parse("ws://:8083").unwrap_err(),
            UrlError::NoHost
        );
        assert_eq!(
            BrokerUrl::parse("ws://a b:1").unwrap_err(),
            UrlError::BadHost("a b".into())
        );
        assert_eq!(
            BrokerUrl::parse("ftp://h").unwrap_err(),
            UrlError::UnknownScheme("ftp".into())
        );
    }

    #[test]
    fn mixed_content_hint_only_for_ws_on_https() {
        let ws = BrokerUrl::parse("ws://h:8083/mqtt").expect("valid");
        assert!(ws.hints(true).iter().any(|h| h.contains("mixed content")));
        assert!(!ws.hints(false).iter().any(|h| h.contains("mixed content")));
    }

    #[test]
    fn scheme_port_mismatch_hints() {
        let ws_on_tls = BrokerUrl::parse("ws://h:8084/mqtt").expect("valid");
        assert!(ws_on_tls
            .hints(false)
            .iter()
            .any(|h| h.contains("did you mean wss://")));
        let wss_on_plain = BrokerUrl::parse("wss://h:8083/mqtt").expect("valid");
        assert!(wss_on_plain
            .hints(false)
            .iter()
            .any(|h| h.contains("did you mean ws://")));
        let fine = BrokerUrl::parse("ws://h:8083/mqtt").expect("valid");
        assert!(fine.hints(false).is_empty(), "{:?}", fine.hints(false));
    }

    #[test]
    fn missing_path_hint() {
        let url = BrokerUrl::parse("ws://h:8083").expect("valid");
        assert!(url.hints(false).iter().any(|h| h.contains("/mqtt")));
    }
}
