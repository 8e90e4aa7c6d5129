//! The text of SCRAM messages: comma-separated `name=value` attributes, and the
//! escaping of `=` and `,` in user names (RFC 5802 §5.1).

/// `=` and `,` in the user name become `=3D` and `=2C`.
pub(crate) fn escape_username(username: &str) -> String {
    username.replace('=', "=3D").replace(',', "=2C")
}

/// Undoes [`escape_username`]; any other `=` sequence is invalid (`None`).
pub(crate) fn unescape_username(escaped: &str) -> Option<String> {
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped;
    while let Some(at) = rest.find('=') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 3)?;
        out.push(match code {
            "2C" => ',',
            "3D" => '=',
            _ => return None,
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    Some(out)
}

/// The value of `name=` in a comma-separated SCRAM message.
pub(crate) fn attribute(message: &str, name: char) -> Option<&str> {
    message.split(',').find_map(|part| value_of(part, name))
}

/// The value of one `name=value` part, if it has that name.
pub(crate) fn value_of(part: &str, name: char) -> Option<&str> {
    let mut chars = part.chars();
    (chars.next() == Some(name) && chars.next() == Some('=')).then(|| &part[2..])
}

/// RFC 5802 `printable`: visible ASCII except `,`, the characters a nonce may hold.
pub(crate) fn is_printable(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_round_trip_through_escaping() {
        for name in ["user", "a=b,c", "==,,", ""] {
            assert_eq!(
                unescape_username(&escape_username(name)).as_deref(),
                Some(name)
            );
        }
        assert_eq!(escape_username("a=b,c"), "a=3Db=2Cc");
    }

    #[test]
    fn stray_equals_signs_are_invalid() {
        for bad in ["a=b", "a=2", "a=", "=3d", "x=41"] {
            assert_eq!(unescape_username(bad), None, "{bad}");
        }
    }

    #[test]
    fn nonces_are_visible_ascii_without_commas() {
        assert!(is_printable("fyko+d2lbbFgONRv9qkxdawL%$)"));
        assert!(!is_printable(""));
        assert!(!is_printable("a,b"));
        assert!(!is_printable("a b"));
        assert!(!is_printable("é"));
    }
}
