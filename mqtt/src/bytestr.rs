//! `ByteStr`: an immutable UTF-8 string. Long strings are backed by `Bytes` and share
//! the received buffer instead of being copied. Short ones, which is most topic names,
//! property values and user property keys, are held inline: copying up to 61 bytes
//! is cheaper than the two atomic reference count updates that sharing costs on
//! every decode (clone, then drop), which were a fifth of decoding a small PUBLISH.
//!
//! A `ByteStr` also knows, from when it was made, whether it holds U+0000 or a
//! topic wildcard: encoding checks both for every topic name and property string,
//! and a string decoded from a packet or sent many times is then only scanned once.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use bytes::Bytes;

use crate::codec::text::scan;

/// The longest string held inline: with the tag, the length and the scan result it
/// makes a `ByteStr` one cache line (64 bytes). Typical topic names fit.
pub(crate) const INLINE_CAPACITY: usize = 61;

/// A UTF-8 string that is either short and inline or shares a `Bytes` buffer.
///
/// The invariant is that the bytes are always valid UTF-8: every constructor checks it
/// or starts from a `str`.
#[derive(Clone)]
pub struct ByteStr {
    repr: Repr,
}

/// What a scan found in the text; an enum rather than flags so that `Option<ByteStr>`
/// can use its spare values.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Content {
    Plain,
    Wildcard,
    Null,
    NullAndWildcard,
}

impl Content {
    const fn of(null: bool, wildcard: bool) -> Self {
        match (null, wildcard) {
            (false, false) => Self::Plain,
            (false, true) => Self::Wildcard,
            (true, false) => Self::Null,
            (true, true) => Self::NullAndWildcard,
        }
    }

    /// Scans `text` at run time.
    #[inline]
    fn scan(text: &[u8]) -> Self {
        let found = scan::<true>(text);
        Self::of(found.null, found.wildcard)
    }

    /// Scans `text` byte by byte, for constants.
    const fn scan_const(text: &[u8]) -> Self {
        let (mut null, mut wildcard, mut index) = (false, false, 0);
        while index < text.len() {
            null |= text[index] == 0;
            wildcard |= text[index] == b'+' || text[index] == b'#';
            index += 1;
        }
        Self::of(null, wildcard)
    }
}

/// The scan result sits in both variants, next to the tag, so that the inline bytes
/// get all of the rest of the cache line. `repr(u8)` keeps it there: left to
/// itself the compiler put it in the last byte, so that checking a string before
/// writing it read both ends of the 64 bytes, two cache lines unless aligned. It
/// comes first in both variants, so that it is read at the same place whatever
/// the representation, without a branch on the tag.
#[derive(Clone)]
#[repr(u8)]
enum Repr {
    Inline {
        content: Content,
        len: u8,
        bytes: [u8; INLINE_CAPACITY],
    },
    Shared {
        content: Content,
        bytes: Bytes,
    },
}

impl Default for ByteStr {
    fn default() -> Self {
        Self::new()
    }
}

impl ByteStr {
    /// An empty string.
    pub const fn new() -> Self {
        Self {
            repr: Repr::Inline {
                len: 0,
                content: Content::Plain,
                bytes: [0; INLINE_CAPACITY],
            },
        }
    }

    /// A string borrowing static text, without allocating.
    pub const fn from_static(text: &'static str) -> Self {
        Self {
            repr: Repr::Shared {
                content: Content::scan_const(text.as_bytes()),
                bytes: Bytes::from_static(text.as_bytes()),
            },
        }
    }

    /// Wraps `bytes` after checking it is UTF-8; hands the bytes back otherwise.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, (Bytes, std::str::Utf8Error)> {
        match std::str::from_utf8(&bytes) {
            Ok(_) => Ok(Self::from_valid_bytes(bytes)),
            Err(error) => Err((bytes, error)),
        }
    }

    /// The `len` bytes at `start` of `buffer`, which the caller checked are UTF-8 and
    /// scanned for U+0000 (`null`) and wildcards (`wildcard`, false if not looked
    /// for): copied when short, shared otherwise. The `as_str` invariant rests on
    /// that check: only the codec's reader calls this.
    #[inline(always)]
    pub(crate) fn from_checked_slice(
        buffer: &Bytes,
        start: usize,
        len: usize,
        null: bool,
        wildcard: Option<bool>,
    ) -> Self {
        let content = match wildcard {
            Some(wildcard) => Content::of(null, wildcard),
            None => Content::scan(buffer.get(start..start + len).unwrap_or_default()),
        };
        if len > INLINE_CAPACITY {
            return Self::shared(buffer.slice(start..start + len), content);
        }
        // Built in place in the result: a copy assembled on the stack and moved
        // out in pieces stalled store forwarding.
        let mut string = Self {
            repr: Repr::Inline {
                len: len as u8,
                content,
                bytes: [0; INLINE_CAPACITY],
            },
        };
        if let Repr::Inline { bytes, .. } = &mut string.repr {
            copy_short(bytes, buffer.get(start..).unwrap_or_default(), len);
        }
        string
    }

    /// [`ByteStr::from_checked_slice`] written over `self` in place: the bytes go
    /// straight to their final place, where a string built and then moved would be
    /// stored and reloaded in pieces of different sizes, which stalls the CPU.
    #[inline]
    pub(crate) fn set_checked_slice(
        &mut self,
        buffer: &Bytes,
        start: usize,
        len: usize,
        wildcard: bool,
    ) {
        if len <= INLINE_CAPACITY {
            if let Repr::Inline {
                len: old_len,
                content,
                bytes,
            } = &mut self.repr
            {
                *old_len = len as u8;
                *content = Content::of(false, wildcard);
                copy_short(bytes, buffer.get(start..).unwrap_or_default(), len);
                return;
            }
        }
        *self = Self::from_checked_slice(buffer, start, len, false, Some(wildcard));
    }

    fn shared(bytes: Bytes, content: Content) -> Self {
        Self {
            repr: Repr::Shared { content, bytes },
        }
    }

    /// `bytes`, known to be UTF-8, copied inline when short.
    fn from_valid_bytes(bytes: Bytes) -> Self {
        let content = Content::scan(&bytes);
        match inline(&bytes, content) {
            Some(repr) => Self { repr },
            None => Self::shared(bytes, content),
        }
    }

    /// For a short string: its whole inline buffer, of which the text is the first
    /// `len` bytes. Writers copy the fixed-size buffer and drop the excess, which
    /// is a few moves where copying `len` bytes is a call to `memcpy`.
    #[inline]
    pub(crate) fn inline_buffer(&self) -> Option<(&[u8; INLINE_CAPACITY], usize)> {
        match &self.repr {
            Repr::Inline { len, bytes, .. } => Some((bytes, usize::from(*len))),
            Repr::Shared { .. } => None,
        }
    }

    #[inline]
    fn content(&self) -> Content {
        match &self.repr {
            Repr::Inline { content, .. } | Repr::Shared { content, .. } => *content,
        }
    }

    /// The encoded size of the string, its two-byte length prefix included, if it
    /// can be sent as an MQTT string: no U+0000 and at most 65,535 bytes. Reads
    /// the recorded scan; a short string needs no length check.
    #[inline(always)]
    pub(crate) fn sendable_len(&self) -> Option<usize> {
        if self.has_null() {
            return None;
        }
        match &self.repr {
            Repr::Inline { len, .. } => Some(2 + usize::from(*len)),
            Repr::Shared { bytes, .. } => {
                (bytes.len() <= usize::from(u16::MAX)).then_some(2 + bytes.len())
            }
        }
    }

    /// Whether the text holds U+0000, which no MQTT string may.
    #[inline]
    pub(crate) fn has_null(&self) -> bool {
        matches!(self.content(), Content::Null | Content::NullAndWildcard)
    }

    /// Whether the text holds `+` or `#`, which no topic name may.
    #[inline]
    pub(crate) fn has_wildcard(&self) -> bool {
        matches!(self.content(), Content::Wildcard | Content::NullAndWildcard)
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor either validated these bytes as UTF-8 or copied them
        // from a `str`, and neither representation is ever mutated.
        unsafe { std::str::from_utf8_unchecked(self.as_bytes()) }
    }

    /// The UTF-8 bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.repr {
            Repr::Inline { len, bytes, .. } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Shared { bytes, .. } => bytes,
        }
    }

    /// The UTF-8 bytes as `Bytes`: shared for long strings, copied for short ones.
    pub fn to_bytes(&self) -> Bytes {
        match &self.repr {
            Repr::Inline { .. } => Bytes::copy_from_slice(self.as_bytes()),
            Repr::Shared { bytes, .. } => bytes.clone(),
        }
    }

    /// Gives up the string for its bytes.
    pub fn into_bytes(self) -> Bytes {
        match self.repr {
            Repr::Inline { .. } => Bytes::copy_from_slice(self.as_bytes()),
            Repr::Shared { bytes, .. } => bytes,
        }
    }
}

/// Copies the first `len` bytes of `source` (at most [`INLINE_CAPACITY`], and
/// `source` holds at least that many) to the start of `out`. A whole window is a
/// few vector moves when `source` has it (what follows the text is never read);
/// otherwise two overlapping copies of a fixed size cover the text, as `memcpy`
/// does for short lengths, but without the call.
#[inline(always)]
fn copy_short(out: &mut [u8; INLINE_CAPACITY], source: &[u8], len: usize) {
    if let Some(window) = source.first_chunk::<INLINE_CAPACITY>() {
        *out = *window;
        return;
    }
    #[inline(always)]
    fn overlapping<const N: usize>(out: &mut [u8], source: &[u8], len: usize) {
        let (Some(head), Some(tail)) = (source.first_chunk::<N>(), source.get(len - N..len)) else {
            return;
        };
        if let Some(out_head) = out.first_chunk_mut::<N>() {
            *out_head = *head;
        }
        if let Some(out_tail) = out.get_mut(len - N..len) {
            out_tail.copy_from_slice(tail);
        }
    }
    match len {
        32.. => overlapping::<32>(out, source, len),
        16..32 => overlapping::<16>(out, source, len),
        8..16 => overlapping::<8>(out, source, len),
        4..8 => overlapping::<4>(out, source, len),
        _ => {
            for (to, from) in out.iter_mut().zip(source).take(len) {
                *to = *from;
            }
        }
    }
}

/// `text` held inline, if it is short enough.
#[inline]
fn inline(text: &[u8], content: Content) -> Option<Repr> {
    let mut bytes = [0; INLINE_CAPACITY];
    bytes.get_mut(..text.len())?.copy_from_slice(text);
    Some(Repr::Inline {
        len: text.len() as u8,
        content,
        bytes,
    })
}

// Compared, ordered and hashed as the text, whatever the representation.
impl PartialEq for ByteStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ByteStr {}

impl PartialOrd for ByteStr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ByteStr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl Deref for ByteStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ByteStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for ByteStr {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<str> for ByteStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

// Hash as `str` does, so `Borrow<str>` lookups in hash maps agree with the owned key.
impl Hash for ByteStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&str> for ByteStr {
    fn from(text: &str) -> Self {
        let bytes = text.as_bytes();
        let content = Content::scan(bytes);
        match inline(bytes, content) {
            Some(repr) => Self { repr },
            None => Self::shared(Bytes::copy_from_slice(bytes), content),
        }
    }
}

impl From<String> for ByteStr {
    fn from(text: String) -> Self {
        Self::from_valid_bytes(Bytes::from(text))
    }
}

impl From<&String> for ByteStr {
    fn from(text: &String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<ByteStr> for String {
    fn from(text: ByteStr) -> Self {
        text.as_str().to_owned()
    }
}

impl TryFrom<Bytes> for ByteStr {
    type Error = std::str::Utf8Error;

    fn try_from(bytes: Bytes) -> Result<Self, Self::Error> {
        Self::from_utf8(bytes).map_err(|(_, error)| error)
    }
}

impl PartialEq<str> for ByteStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ByteStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ByteStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<ByteStr> for str {
    fn eq(&self, other: &ByteStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<ByteStr> for &str {
    fn eq(&self, other: &ByteStr) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Display for ByteStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for ByteStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn looks_up_by_str_in_hash_maps() {
        let mut map = HashMap::new();
        map.insert(ByteStr::from("a/b"), 1);
        assert_eq!(map.get("a/b"), Some(&1));
    }

    #[test]
    fn refuses_invalid_utf8_and_shares_valid_bytes() {
        assert!(ByteStr::try_from(Bytes::from_static(&[0xFF])).is_err());
        let long = "é/".repeat(INLINE_CAPACITY);
        let bytes = Bytes::from(long.clone());
        let text = ByteStr::try_from(bytes.clone()).expect("valid UTF-8");
        assert_eq!(text, long.as_str());
        assert_eq!(text.as_bytes().as_ptr(), bytes.as_ptr());
    }

    #[test]
    fn short_and_long_strings_compare_and_hash_as_their_text() {
        use std::collections::hash_map::DefaultHasher;
        let hash = |text: &ByteStr| {
            let mut hasher = DefaultHasher::new();
            text.hash(&mut hasher);
            hasher.finish()
        };
        for len in [
            0,
            1,
            INLINE_CAPACITY - 1,
            INLINE_CAPACITY,
            INLINE_CAPACITY + 1,
            100,
        ] {
            let text = "ab".repeat(len).get(..len).unwrap_or_default().to_owned();
            let copied = ByteStr::from(text.as_str());
            let from_string = ByteStr::from(text.clone());
            let shared = ByteStr::from_utf8(Bytes::from(text.clone())).expect("ASCII");
            assert_eq!(copied, text.as_str());
            assert_eq!(copied, from_string);
            assert_eq!(copied, shared);
            assert_eq!(hash(&copied), hash(&shared));
            assert_eq!(copied.to_bytes(), text.as_bytes());
            assert_eq!(shared.clone().into_bytes(), text.as_bytes());
            let buffer = Bytes::from(format!("xx{text}"));
            let sliced = ByteStr::from_checked_slice(&buffer, 2, len, false, None);
            assert_eq!(sliced, copied);
        }
        let (short, long) = (ByteStr::from("a"), ByteStr::from("b".repeat(40)));
        assert!(short < long);
        assert_eq!(ByteStr::new(), ByteStr::default());
        assert_eq!(ByteStr::from_static("static"), "static");
    }

    #[test]
    fn short_strings_are_copied_exactly_whatever_follows_them() {
        assert_eq!(std::mem::size_of::<ByteStr>(), 64);
        let text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for len in 0..=INLINE_CAPACITY {
            // Followed by nothing (copied piecewise) or by a whole window (copied at once).
            for following in [0, INLINE_CAPACITY] {
                let buffer = Bytes::from(format!("x{}{}", &text[..len], "#".repeat(following)));
                let sliced = ByteStr::from_checked_slice(&buffer, 1, len, false, Some(false));
                assert_eq!(sliced, &text[..len], "{len} followed by {following}");
                assert!(sliced.inline_buffer().is_some());
                for mut written in [ByteStr::new(), ByteStr::from("x".repeat(80))] {
                    written.set_checked_slice(&buffer, 1, len, false);
                    assert_eq!(written, sliced);
                }
            }
        }
    }

    #[test]
    fn knows_whether_it_holds_nul_or_wildcards_however_made() {
        let made = |text: &'static str| {
            [
                ByteStr::from(text),
                ByteStr::from(text.repeat(20)),
                ByteStr::from_static(text),
                ByteStr::from_utf8(Bytes::from_static(text.as_bytes())).expect("UTF-8"),
                ByteStr::from_checked_slice(
                    &Bytes::from_static(text.as_bytes()),
                    0,
                    text.len(),
                    false,
                    None,
                ),
            ]
        };
        for (text, null, wildcard) in [
            ("a/b", false, false),
            ("a/+", false, true),
            ("#", false, true),
            ("a\0b", true, false),
            ("\0#", true, true),
            ("", false, false),
        ] {
            for string in made(text) {
                assert_eq!(string.has_null(), null, "{text:?}");
                assert_eq!(string.has_wildcard(), wildcard, "{text:?}");
            }
        }
    }
}
