//! One pass over an MQTT string (spec 1.5.4) that finds everything the codec checks:
//! U+0000, bytes outside ASCII (only those need full UTF-8 validation) and, for topic
//! names, the wildcards `+` and `#`. It reads eight bytes at a time, because topics
//! are short and decoded for every PUBLISH, where a byte-at-a-time loop per check
//! cost more than the rest of the packet.

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);
/// Pads a short tail to a whole word; a space is neither NUL, non-ASCII nor a wildcard.
const PADDING: u8 = b' ';

/// What [`scan`] found in a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextScan {
    /// A U+0000, which the spec forbids in every string.
    pub null: bool,
    /// A byte of 0x80 or above: the string must still be checked as UTF-8.
    pub non_ascii: bool,
    /// A `+` or `#`; only looked for when asked, false otherwise.
    pub wildcard: bool,
}

/// Scans `bytes` once; `WILDCARDS` adds the look for `+` and `#`.
#[inline]
pub(crate) fn scan<const WILDCARDS: bool>(bytes: &[u8]) -> TextScan {
    let mut high = 0u64;
    let mut null = 0u64;
    let mut wildcard = 0u64;
    let mut visit = |word: u64| {
        high |= word & HIGH_BITS;
        null |= zero_bytes(word);
        if WILDCARDS {
            wildcard |= bytes_equal(word, b'+') | bytes_equal(word, b'#');
        }
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        visit(word(chunk));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        match bytes.len().checked_sub(8).and_then(|start| bytes.get(start..)) {
            // Re-reading a few bytes is cheaper than a byte loop.
            Some(last_word) => visit(word(last_word)),
            None => {
                let mut padded = [PADDING; 8];
                padded.iter_mut().zip(tail).for_each(|(to, from)| *to = *from);
                visit(u64::from_le_bytes(padded));
            }
        }
    }
    TextScan {
        null: null != 0,
        non_ascii: high != 0,
        wildcard: wildcard != 0,
    }
}

/// True when `text` is a valid MQTT string: UTF-8 without U+0000.
#[inline]
pub(crate) fn is_valid_text(bytes: &[u8]) -> bool {
    let found = scan::<false>(bytes);
    !found.null && (!found.non_ascii || std::str::from_utf8(bytes).is_ok())
}

#[inline]
fn word(chunk: &[u8]) -> u64 {
    // `chunk` is always eight bytes long; the fallback is never taken.
    u64::from_le_bytes(chunk.try_into().unwrap_or([PADDING; 8]))
}

/// Non-zero exactly when some byte of `word` is zero.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGH_BITS
}

/// Non-zero exactly when some byte of `word` is `byte`.
#[inline]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ (ONES * u64::from(byte)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time answer the word-at-a-time scan must agree with.
    fn reference(bytes: &[u8]) -> TextScan {
        TextScan {
            null: bytes.contains(&0),
            non_ascii: bytes.iter().any(|byte| *byte >= 0x80),
            wildcard: bytes.iter().any(|byte| *byte == b'+' || *byte == b'#'),
        }
    }

    #[test]
    fn finds_each_kind_of_byte_at_every_position_and_length() {
        for len in 0..=33 {
            let clean = vec![b'a'; len];
            assert_eq!(scan::<true>(&clean), reference(&clean), "clean, len {len}");
            for position in 0..len {
                for special in [0u8, 0x80, 0xC3, 0xFF, b'+', b'#', 0x7F, 0x01, b'*'] {
                    let mut bytes = clean.clone();
                    bytes[position] = special;
                    let expected = reference(&bytes);
                    assert_eq!(scan::<true>(&bytes), expected, "{special:#x} at {position}/{len}");
                    let without = TextScan {
                        wildcard: false,
                        ..expected
                    };
                    assert_eq!(scan::<false>(&bytes), without, "{special:#x} at {position}");
                }
            }
        }
    }

    #[test]
    fn neighbours_of_special_bytes_do_not_trigger() {
        // Borrows in the zero-byte test must not turn 0x01 or 0x2A..0x2C into matches.
        let bytes = [0x01, 0x22, 0x24, 0x2A, 0x2C, 0x7F, 0x01, 0x01, 0x01];
        assert_eq!(scan::<true>(&bytes), reference(&bytes));
    }

    #[test]
    fn validates_utf8_only_when_needed() {
        assert!(is_valid_text("sensors/kitchen".as_bytes()));
        assert!(is_valid_text("températures/cuisine".as_bytes()));
        assert!(!is_valid_text(b"caf\xC3"));
        assert!(!is_valid_text(b"a\0b"));
        assert!(is_valid_text(b""));
    }
}
