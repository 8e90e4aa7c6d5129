//! One pass over an MQTT string (spec 1.5.4) that finds everything the codec checks:
//! U+0000, bytes outside ASCII (only those need full UTF-8 validation) and, for topic
//! names, the wildcards `+` and `#`. Short strings are read as one or two words,
//! longer ones sixteen bytes at a time, because every string of every packet
//! received is scanned (and every `ByteStr` made from text), where a byte-at-a-time
//! loop per check cost more than the rest of the packet.

const HIGH_BITS: u64 = repeat(0x80);
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
    // Almost every string is clean ASCII: one word-at-a-time pass proves it, and only
    // a string that is not gets the byte-at-a-time look at what it holds.
    if is_clean_ascii::<WILDCARDS>(bytes) {
        TextScan {
            null: false,
            non_ascii: false,
            wildcard: false,
        }
    } else {
        classify::<WILDCARDS>(bytes)
    }
}

#[cold]
fn classify<const WILDCARDS: bool>(bytes: &[u8]) -> TextScan {
    TextScan {
        null: bytes.contains(&0),
        non_ascii: !bytes.is_ascii(),
        wildcard: WILDCARDS && bytes.iter().any(|byte| matches!(byte, b'+' | b'#')),
    }
}

/// True when every byte is ASCII and none is NUL, nor `+` or `#` with `WILDCARDS`.
/// Short strings are read as one or two words that may overlap: no loops.
#[inline]
fn is_clean_ascii<const WILDCARDS: bool>(bytes: &[u8]) -> bool {
    let len = bytes.len();
    let flagged = if len >= BLOCK {
        return blocks_clean::<WILDCARDS>(bytes);
    } else if len >= 8 {
        flag::<WILDCARDS>(word_at(bytes, 0)) | flag::<WILDCARDS>(word_at(bytes, len - 8))
    } else if len >= 4 {
        let low = u64::from(half_word_at(bytes, 0));
        let high = u64::from(half_word_at(bytes, len - 4));
        flag::<WILDCARDS>(low | high << 32)
    } else if let (Some(&first), Some(&middle), Some(&last)) =
        (bytes.first(), bytes.get(len / 2), bytes.last())
    {
        // One to three bytes: first, middle and last cover them all.
        let word = u32::from_le_bytes([first, middle, last, PADDING]);
        flag::<WILDCARDS>(u64::from(word) | u64::from(u32::from_le_bytes([PADDING; 4])) << 32)
    } else {
        0
    };
    flagged & HIGH_BITS == 0
}

/// Long strings are read sixteen bytes at a time.
const BLOCK: usize = 16;

/// [`is_clean_ascii`] for strings of at least one block.
#[inline]
fn blocks_clean<const WILDCARDS: bool>(bytes: &[u8]) -> bool {
    let mut flagged = Flagged::default();
    let mut blocks = bytes.chunks_exact(BLOCK);
    for block in &mut blocks {
        flagged.add::<WILDCARDS>(block);
    }
    if !blocks.remainder().is_empty() {
        // The last block again, overlapping: cheaper than a byte loop.
        if let Some(last) = bytes
            .len()
            .checked_sub(BLOCK)
            .and_then(|start| bytes.get(start..))
        {
            flagged.add::<WILDCARDS>(last);
        }
    }
    flagged.is_clean()
}

/// The bytes flagged so far, one block at a time. On x86-64 each block is a few
/// SSE2 instructions (always available there); elsewhere two words as above.
#[derive(Default)]
struct Flagged {
    #[cfg(target_arch = "x86_64")]
    lanes: Lanes,
    #[cfg(not(target_arch = "x86_64"))]
    bits: u64,
}

#[cfg(target_arch = "x86_64")]
struct Lanes(std::arch::x86_64::__m128i);

#[cfg(target_arch = "x86_64")]
impl Default for Lanes {
    fn default() -> Self {
        // SAFETY: SSE2 is part of the x86-64 baseline, so always available.
        Self(unsafe { std::arch::x86_64::_mm_setzero_si128() })
    }
}

impl Flagged {
    /// Flags the bytes of `block`, which is [`BLOCK`] bytes long.
    #[inline(always)]
    #[cfg(target_arch = "x86_64")]
    fn add<const WILDCARDS: bool>(&mut self, block: &[u8]) {
        use std::arch::x86_64::*;
        let Ok(block) = <&[u8; BLOCK]>::try_from(block) else {
            return;
        };
        // SAFETY: SSE2 is part of the x86-64 baseline, so always available, and
        // `block` is 16 readable bytes (the load has no alignment requirement).
        unsafe {
            let bytes = _mm_loadu_si128(block.as_ptr().cast());
            // A non-ASCII byte has its high bit set already; a special one becomes 0xFF.
            let mut flagged = _mm_or_si128(bytes, _mm_cmpeq_epi8(bytes, _mm_setzero_si128()));
            if WILDCARDS {
                let plus = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'+' as i8));
                let hash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'#' as i8));
                flagged = _mm_or_si128(flagged, _mm_or_si128(plus, hash));
            }
            self.lanes.0 = _mm_or_si128(self.lanes.0, flagged);
        }
    }

    #[inline(always)]
    #[cfg(target_arch = "x86_64")]
    fn is_clean(&self) -> bool {
        // SAFETY: SSE2 is part of the x86-64 baseline, so always available.
        unsafe { std::arch::x86_64::_mm_movemask_epi8(self.lanes.0) == 0 }
    }

    #[inline(always)]
    #[cfg(not(target_arch = "x86_64"))]
    fn add<const WILDCARDS: bool>(&mut self, block: &[u8]) {
        self.bits |= portable_block_flags::<WILDCARDS>(block);
    }

    #[inline(always)]
    #[cfg(not(target_arch = "x86_64"))]
    fn is_clean(&self) -> bool {
        self.bits & HIGH_BITS == 0
    }
}

/// [`Flagged::add`] without SIMD: the block as two words.
#[inline(always)]
#[cfg(any(test, not(target_arch = "x86_64")))]
fn portable_block_flags<const WILDCARDS: bool>(block: &[u8]) -> u64 {
    flag::<WILDCARDS>(word_at(block, 0)) | flag::<WILDCARDS>(word_at(block, 8))
}

/// The high bit of each byte of the result is set when that byte of `word` is not
/// ASCII, is NUL, or (with `WILDCARDS`) is `+` or `#`. For an ASCII byte `b`,
/// `(b & 0x7F) + 0x7F` carries into the high bit exactly when `b` is not zero, and no
/// byte overflows into the next; XOR with a character first makes it a test for that
/// character.
#[inline(always)]
fn flag<const WILDCARDS: bool>(word: u64) -> u64 {
    let low = word & !HIGH_BITS;
    let mut kept = low.wrapping_add(!HIGH_BITS);
    if WILDCARDS {
        kept &= (low ^ repeat(b'+')).wrapping_add(!HIGH_BITS);
        kept &= (low ^ repeat(b'#')).wrapping_add(!HIGH_BITS);
    }
    word | !kept
}

/// The eight bytes at `start`; the caller checked they exist.
#[inline(always)]
fn word_at(bytes: &[u8], start: usize) -> u64 {
    let word = bytes
        .get(start..start + 8)
        .and_then(|word| word.try_into().ok());
    u64::from_le_bytes(word.unwrap_or([PADDING; 8]))
}

/// The four bytes at `start`; the caller checked they exist.
#[inline(always)]
fn half_word_at(bytes: &[u8], start: usize) -> u32 {
    let word = bytes
        .get(start..start + 4)
        .and_then(|word| word.try_into().ok());
    u32::from_le_bytes(word.unwrap_or([PADDING; 4]))
}

const fn repeat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
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
                    assert_eq!(
                        scan::<true>(&bytes),
                        expected,
                        "{special:#x} at {position}/{len}"
                    );
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
    fn the_portable_block_check_agrees_with_the_reference() {
        for position in 0..BLOCK {
            for special in [0u8, 0x80, 0xFF, b'+', b'#', 0x7F, 0x01, b'*'] {
                let mut block = [b'a'; BLOCK];
                block[position] = special;
                let found = reference(&block);
                let flagged = portable_block_flags::<true>(&block) & HIGH_BITS != 0;
                assert_eq!(flagged, found.null || found.non_ascii || found.wildcard);
                let flagged = portable_block_flags::<false>(&block) & HIGH_BITS != 0;
                assert_eq!(flagged, found.null || found.non_ascii);
            }
        }
    }

    #[test]
    fn long_strings_are_checked_block_by_block_to_the_end() {
        let mut topic = b"sensors/building-7/floor-3/room-12/temperature".repeat(40);
        assert_eq!(scan::<true>(&topic), reference(&topic));
        topic.push(b'#');
        assert!(scan::<true>(&topic).wildcard);
        let accented = "températures/cuisine/".repeat(10);
        assert!(scan::<true>(accented.as_bytes()).non_ascii);
    }
}
