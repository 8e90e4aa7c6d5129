//! The WebSocket opening handshake of the `/mqtt` endpoint (RFC 6455 §4.2), decided
//! from the request head alone: no I/O here. A request that is not a WebSocket
//! upgrade to `/mqtt`, or that offers only subprotocols other than MQTT's, gets an
//! HTTP error whose body says what is wrong, rather than a silently closed socket.

use std::fmt::Write as _;

use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// The path MQTT over WebSocket is served at, as Mosquitto, EMQX and HiveMQ do.
pub const MQTT_PATH: &str = "/mqtt";

/// The subprotocols spoken, preferred first: `mqtt` (MQTT 3.1.1 and 5.0) and
/// `mqttv3.1` (MQTT 3.1, still offered by older clients).
pub const SUBPROTOCOLS: [&str; 2] = ["mqtt", "mqttv3.1"];

/// Request heads longer than this are refused (431).
pub const MAX_HEAD_BYTES: usize = 8 * 1024;

/// Headers in one request head, at most.
pub const MAX_HEADERS: usize = 64;

/// A request accepted: what the 101 response must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    /// `Sec-WebSocket-Accept`, derived from the client's key.
    pub accept_key: String,
    /// The subprotocol chosen, if the client offered any.
    pub subprotocol: Option<&'static str>,
}

/// A request refused: the HTTP status and why, in words for the person reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: String,
}

impl Refusal {
    fn new(status: u16, reason: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.into(),
        }
    }
}

/// What reading so far tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadOutcome {
    /// The head is not complete yet: read more.
    Incomplete,
    /// A valid upgrade; `head_len` bytes of the buffer were the request head.
    Upgrade {
        upgrade: Upgrade,
        head_len: usize,
    },
    Refused(Refusal),
}

/// Examines the bytes received so far on a new WebSocket connection.
pub fn examine_head(buffer: &[u8]) -> HeadOutcome {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(buffer) {
        Ok(httparse::Status::Partial) if buffer.len() >= MAX_HEAD_BYTES => {
            HeadOutcome::Refused(Refusal::new(431, "request head too large"))
        }
        Ok(httparse::Status::Partial) => HeadOutcome::Incomplete,
        Ok(httparse::Status::Complete(head_len)) => match check_request(&request) {
            Ok(upgrade) => HeadOutcome::Upgrade { upgrade, head_len },
            Err(refusal) => HeadOutcome::Refused(refusal),
        },
        Err(httparse::Error::TooManyHeaders) => {
            HeadOutcome::Refused(Refusal::new(431, "too many request headers"))
        }
        Err(error) => HeadOutcome::Refused(Refusal::new(
            400,
            format!("not an HTTP request ({error}): this port speaks MQTT over WebSocket at {MQTT_PATH}"),
        )),
    }
}

fn check_request(request: &httparse::Request<'_, '_>) -> Result<Upgrade, Refusal> {
    if request.method != Some("GET") {
        return Err(Refusal::new(
            405,
            "only GET can open a WebSocket (MQTT over WebSocket)",
        ));
    }
    let path = request.path.unwrap_or("");
    let path = path.split('?').next().unwrap_or(path);
    if path != MQTT_PATH {
        return Err(Refusal::new(
            404,
            format!("not found: MQTT over WebSocket is served at {MQTT_PATH}"),
        ));
    }
    let headers: &[httparse::Header<'_>] = request.headers;
    let header = |name| header_values(headers, name);
    let lists = |name, token: &str| {
        header_values(headers, name)
            .flat_map(|value| value.split(','))
            .any(|item| item.trim().eq_ignore_ascii_case(token))
    };
    if !lists("Upgrade", "websocket") || !lists("Connection", "upgrade") {
        return Err(Refusal::new(
            426,
            format!("this endpoint speaks MQTT over WebSocket: connect with a WebSocket client (Upgrade: websocket) to {MQTT_PATH}"),
        ));
    }
    if !header("Sec-WebSocket-Version").any(|version| version.trim() == "13") {
        return Err(Refusal::new(426, "only WebSocket version 13 is supported"));
    }
    let Some(key) = header("Sec-WebSocket-Key").next() else {
        return Err(Refusal::new(400, "missing Sec-WebSocket-Key"));
    };
    let subprotocol = choose_subprotocol(header("Sec-WebSocket-Protocol"))?;
    Ok(Upgrade {
        accept_key: derive_accept_key(key.trim().as_bytes()),
        subprotocol,
    })
}

/// The values of every header called `name` (case-insensitive) that are text.
fn header_values<'a>(
    headers: &'a [httparse::Header<'a>],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .iter()
        .filter(move |header| header.name.eq_ignore_ascii_case(name))
        .filter_map(|header| std::str::from_utf8(header.value).ok())
}

/// Picks the subprotocol from the client's `Sec-WebSocket-Protocol` header values, in
/// the client's order of preference. No header at all is accepted (no subprotocol is
/// then named in the answer); offering only other subprotocols is refused (400), since
/// the client could not accept an answer without one of its own.
pub fn choose_subprotocol<'a>(
    header_values: impl IntoIterator<Item = &'a str>,
) -> Result<Option<&'static str>, Refusal> {
    let mut offered = Vec::new();
    for value in header_values {
        for item in value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            if let Some(known) = SUBPROTOCOLS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(item))
            {
                return Ok(Some(known));
            }
            offered.push(item.to_owned());
        }
    }
    if offered.is_empty() {
        return Ok(None);
    }
    Err(Refusal::new(
        400,
        format!(
            "unsupported WebSocket subprotocol {}: offer \"mqtt\" (or \"mqttv3.1\")",
            offered.join(", ")
        ),
    ))
}

/// The `101 Switching Protocols` answer.
pub fn switching_protocols(upgrade: &Upgrade) -> String {
    let mut response = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n",
        upgrade.accept_key
    );
    if let Some(subprotocol) = upgrade.subprotocol {
        let _ = write!(response, "Sec-WebSocket-Protocol: {subprotocol}\r\n");
    }
    response.push_str("\r\n");
    response
}

/// The HTTP error answer for a refused request; the connection is closed after it.
pub fn error_response(refusal: &Refusal) -> String {
    let body = format!("{}\n", refusal.reason);
    let mut response = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n",
        refusal.status,
        status_text(refusal.status),
        body.len()
    );
    if refusal.status == 426 {
        response.push_str("Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
    }
    response.push_str("\r\n");
    response.push_str(&body);
    response
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

    fn request(path: &str, extra: &str) -> String {
        format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {KEY}\r\n{extra}\r\n"
        )
    }

    fn refused_status(head: &str) -> u16 {
        match examine_head(head.as_bytes()) {
            HeadOutcome::Refused(refusal) => refusal.status,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn accepts_the_rfc_example_and_picks_mqtt() {
        let head = request("/mqtt", "Sec-WebSocket-Protocol: foo, mqtt\r\n");
        let HeadOutcome::Upgrade { upgrade, head_len } = examine_head(head.as_bytes()) else {
            panic!("not accepted");
        };
        assert_eq!(head_len, head.len());
        assert_eq!(upgrade.accept_key, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assert_eq!(upgrade.subprotocol, Some("mqtt"));
        let answer = switching_protocols(&upgrade);
        assert!(
            answer.contains("Sec-WebSocket-Protocol: mqtt\r\n"),
            "{answer}"
        );
    }

    #[test]
    fn accepts_mqtt_3_1_and_no_subprotocol() {
        let head = request("/mqtt?x=1", "Sec-WebSocket-Protocol: mqttv3.1\r\n");
        assert!(matches!(
            examine_head(head.as_bytes()),
            HeadOutcome::Upgrade {
                upgrade: Upgrade {
                    subprotocol: Some("mqttv3.1"),
                    ..
                },
                ..
            }
        ));
        let head = request("/mqtt", "");
        assert!(matches!(
            examine_head(head.as_bytes()),
            HeadOutcome::Upgrade {
                upgrade: Upgrade {
                    subprotocol: None,
                    ..
                },
                ..
            }
        ));
    }

    #[test]
    fn waits_for_the_rest_of_the_head() {
        let head = request("/mqtt", "");
        assert_eq!(
            examine_head(&head.as_bytes()[..20]),
            HeadOutcome::Incomplete
        );
    }

    #[test]
    fn refuses_what_is_not_an_mqtt_websocket() {
        assert_eq!(refused_status(&request("/", "")), 404);
        assert_eq!(refused_status("GET /mqtt HTTP/1.1\r\nHost: x\r\n\r\n"), 426);
        assert_eq!(
            refused_status(&request("/mqtt", "Sec-WebSocket-Protocol: chat\r\n")),
            400
        );
        assert_eq!(refused_status("POST /mqtt HTTP/1.1\r\n\r\n"), 405);
        assert_eq!(
            refused_status("\x10\x0c\x00\x04MQTT\x04\x02\x00\x3c\x00\x00"),
            400
        );
        let huge = format!("GET /mqtt HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEAD_BYTES));
        assert_eq!(refused_status(&huge), 431);
    }

    #[test]
    fn error_answers_carry_the_reason() {
        let answer = error_response(&Refusal::new(404, "not here"));
        assert!(answer.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(answer.ends_with("\r\n\r\nnot here\n"));
    }
}
