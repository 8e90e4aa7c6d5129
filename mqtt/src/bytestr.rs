//! `ByteStr`: an immutable UTF-8 string backed by `Bytes`, so strings decoded from a
//! packet (topics above all) share the received buffer instead of being copied.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use bytes::Bytes;

/// A UTF-8 string that shares its storage with a `Bytes` buffer.
///
/// The invariant is that the bytes are always valid UTF-8: every constructor checks it
/// or starts from a `str`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByteStr(Bytes);

impl ByteStr {
    /// An empty string.
    pub const fn new() -> Self {
        Self(Bytes::new())
    }

    /// A string borrowing static text, without allocating.
    pub const fn from_static(text: &'static str) -> Self {
        Self(Bytes::from_static(text.as_bytes()))
    }

    /// Wraps `bytes` after checking it is UTF-8; hands the bytes back otherwise.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, (Bytes, std::str::Utf8Error)> {
        match std::str::from_utf8(&bytes) {
            Ok(_) => Ok(Self(bytes)),
            Err(error) => Err((bytes, error)),
        }
    }

    /// Wraps bytes the caller found to be ASCII, without checking them again. The
    /// `as_str` invariant rests on that check: only the codec's scan calls this.
    pub(crate) fn from_ascii(bytes: Bytes) -> Self {
        debug_assert!(bytes.is_ascii());
        Self(bytes)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor either validated these bytes as UTF-8 or copied them
        // from a `str`, and `Bytes` is immutable.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }

    /// The UTF-8 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The shared buffer holding the UTF-8 bytes.
    pub fn as_shared_bytes(&self) -> &Bytes {
        &self.0
    }

    /// Gives up the string, keeping the shared buffer.
    pub fn into_bytes(self) -> Bytes {
        self.0
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
        &self.0
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
        Self(Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl From<String> for ByteStr {
    fn from(text: String) -> Self {
        Self(Bytes::from(text))
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
        let bytes = Bytes::from_static("é/x".as_bytes());
        let text = ByteStr::try_from(bytes.clone()).expect("valid UTF-8");
        assert_eq!(text, "é/x");
        assert_eq!(text.as_bytes().as_ptr(), bytes.as_ptr());
    }
}
