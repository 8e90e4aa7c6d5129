//! `Properties`: what a packet holds its MQTT 5 properties through. All 27 properties
//! take close to 400 bytes, and most packets have none, so a packet holds one pointer
//! that is null when no property was ever set. Decoding, moving and dropping a packet
//! without properties (every 3.1.1 packet, most acknowledgements) then costs nothing
//! for them. Reads and writes go through `Deref` / `DerefMut` to [`PropertyValues`],
//! so `packet.properties.topic_alias` reads and assigns as a plain field would.

use std::fmt;
use std::ops::{Deref, DerefMut};

use super::{PropertyContext, PropertyId, PropertyValues};

/// What every unset `Properties` reads as.
static NONE_SET: PropertyValues = PropertyValues::EMPTY;

/// A packet's MQTT 5 properties, read and written field by field like
/// [`PropertyValues`] (`properties.reason_string = Some(..)`), but one pointer in
/// size. Storage is allocated on the first write through `DerefMut`.
///
/// Build a set of several at once with
/// `Properties::from(PropertyValues { .., ..PropertyValues::default() })`.
#[derive(Clone, Default)]
pub struct Properties(Option<Box<PropertyValues>>);

impl Properties {
    /// No properties at all, without allocating.
    pub const fn new() -> Self {
        Self(None)
    }

    /// True when no property is set.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.as_deref().is_none_or(PropertyValues::is_empty)
    }

    /// The values, if storage was ever allocated (they may all be unset).
    #[inline]
    pub(crate) fn allocated(&self) -> Option<&PropertyValues> {
        self.0.as_deref()
    }

    /// Unsets property `id` (every occurrence, for the repeatable ones); allocates
    /// nothing when no property is set.
    pub fn remove(&mut self, id: PropertyId) {
        if let Some(values) = self.0.as_deref_mut() {
            values.remove(id);
        }
    }

    /// Unsets every property the spec does not allow in `context`, e.g. before
    /// forwarding a message's properties on another packet.
    pub fn retain_allowed_in(&mut self, context: PropertyContext) {
        if let Some(values) = self.0.as_deref_mut() {
            values.retain_allowed_in(context);
        }
    }

    /// Gives up the values, an empty set if none was ever written.
    pub fn into_values(self) -> PropertyValues {
        self.0.map(|values| *values).unwrap_or_default()
    }
}

impl Deref for Properties {
    type Target = PropertyValues;

    #[inline]
    fn deref(&self) -> &PropertyValues {
        self.0.as_deref().unwrap_or(&NONE_SET)
    }
}

impl DerefMut for Properties {
    #[inline]
    fn deref_mut(&mut self) -> &mut PropertyValues {
        self.0
            .get_or_insert_with(|| Box::new(PropertyValues::EMPTY))
    }
}

impl From<PropertyValues> for Properties {
    fn from(values: PropertyValues) -> Self {
        if values.is_empty() {
            Self(None)
        } else {
            Self(Some(Box::new(values)))
        }
    }
}

impl From<Properties> for PropertyValues {
    fn from(properties: Properties) -> Self {
        properties.into_values()
    }
}

// Equal when the same properties are set, whether or not storage was allocated.
impl PartialEq for Properties {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            _ => **self == **other,
        }
    }
}

impl Eq for Properties {}

impl fmt::Debug for Properties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_as_empty_until_written_and_compares_by_content() {
        let mut properties = Properties::new();
        assert!(properties.is_empty());
        assert_eq!(properties.topic_alias, None);
        properties.topic_alias = Some(3);
        assert_eq!(properties.topic_alias, Some(3));
        assert!(!properties.is_empty());
        properties.topic_alias = None;
        // Allocated but empty is the same as never written.
        assert_eq!(properties, Properties::new());
        assert!(properties.is_empty());
    }

    #[test]
    fn converts_from_and_to_values() {
        let values = PropertyValues {
            reason_string: Some("why".into()),
            ..PropertyValues::default()
        };
        let properties = Properties::from(values.clone());
        assert_eq!(properties.reason_string.as_deref(), Some("why"));
        assert_eq!(properties.into_values(), values);
        assert!(Properties::from(PropertyValues::new())
            .allocated()
            .is_none());
    }

    #[test]
    fn removing_from_an_empty_set_allocates_nothing() {
        let mut properties = Properties::new();
        properties.remove(PropertyId::TopicAlias);
        properties.retain_allowed_in(PropertyContext::Will);
        assert!(properties.allocated().is_none());
    }
}
