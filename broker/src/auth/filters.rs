//! Comparing two topic filters, which ACLs need and topic matching does not answer:
//! whether one filter covers every topic another can match (a subscription within
//! what a user may read), and whether two filters can match a common topic (a
//! subscription touching a denied topic). Both follow MQTT's matching rules,
//! including that a first-level wildcard does not match `$`-topics.

/// Whether every topic `inner` can match is also matched by `outer`.
pub fn filter_covers(outer: &str, inner: &str) -> bool {
    if starts_with_dollar(inner) && starts_with_wildcard(outer) {
        return false;
    }
    let mut outer_levels = outer.split('/');
    let mut inner_levels = inner.split('/');
    loop {
        match (outer_levels.next(), inner_levels.next()) {
            // `#` (always last) matches the parent level and everything below.
            (Some("#"), _) => return true,
            (Some("+"), Some(level)) if level != "#" => {}
            (Some(outer_level), Some(inner_level))
                if outer_level == inner_level && !is_wildcard(inner_level) => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// Whether some topic is matched by both `a` and `b`.
pub fn filters_overlap(a: &str, b: &str) -> bool {
    if (starts_with_dollar(a) && starts_with_wildcard(b))
        || (starts_with_dollar(b) && starts_with_wildcard(a))
    {
        return false;
    }
    let mut a_levels = a.split('/');
    let mut b_levels = b.split('/');
    loop {
        match (a_levels.next(), b_levels.next()) {
            (Some("#"), _) | (_, Some("#")) => return true,
            (Some("+"), Some(_)) | (Some(_), Some("+")) => {}
            (Some(a_level), Some(b_level)) if a_level == b_level => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

fn is_wildcard(level: &str) -> bool {
    level == "+" || level == "#"
}

fn starts_with_wildcard(filter: &str) -> bool {
    filter.split('/').next().is_some_and(is_wildcard)
}

fn starts_with_dollar(filter: &str) -> bool {
    filter.starts_with('$')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covering() {
        let cases = [
            ("#", "a/b", true),
            ("#", "#", true),
            ("a/#", "a", true),
            ("a/#", "a/+/c", true),
            ("a/+", "a/b", true),
            ("a/+", "a/+", true),
            ("a/+", "a/#", false),
            ("a/+", "a/b/c", false),
            ("a/b", "a/+", false),
            ("a/b", "a/b", true),
            ("a/b", "a/b/c", false),
            ("a/b/c", "a/b", false),
            ("#", "$SYS/x", false),
            ("+/x", "$SYS/x", false),
            ("$SYS/#", "$SYS/broker/uptime", true),
        ];
        for (outer, inner, expected) in cases {
            assert_eq!(
                filter_covers(outer, inner),
                expected,
                "{outer} covers {inner}"
            );
        }
    }

    #[test]
    fn overlapping() {
        let cases = [
            ("a/#", "#", true),
            ("a/b", "+/b", true),
            ("a/b", "a/c", false),
            ("a/+/c", "a/b/+", true),
            ("a/b", "a/b/c", false),
            ("a/b/#", "a", false),
            ("a/#", "a", true),
            ("#", "$SYS/#", false),
            ("$SYS/#", "$SYS/broker", true),
        ];
        for (a, b, expected) in cases {
            assert_eq!(filters_overlap(a, b), expected, "{a} ~ {b}");
            assert_eq!(filters_overlap(b, a), expected, "{b} ~ {a}");
        }
    }
}
