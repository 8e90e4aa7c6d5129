//! `Properties`: what a packet holds its MQTT 5 properties through. All 27 properties
//! take close to 400 bytes, and most packets have none, so a packet holds one pointer
//! that is null when no property was ever set. Decoding, moving and dropping a packet
//! without properties (every 3.1.1 packet, most acknowledgements) then costs nothing
//! for them. Reads and writes go through `Deref` / `DerefMut` to [`PropertyValues`],
//! so `packet.properties.topic_alias` reads and assigns as a plain field would.
//!
//! The handle also remembers, from when the set was made or decoded, whether it can
//! hold a property that a PUBLISH may not carry. Encoding a PUBLISH otherwise looks
//! at 19 fields spread over the whole set, about ten cache lines, on every message.
//! Any write through `DerefMut` forgets it, so it is never stale.

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
pub struct Properties(Option<Box<Stored>>);

/// The values and what is known about them.
#[derive(Clone)]
/// The flag first (`repr(C)`), in the cache line of the PUBLISH properties.
#[repr(C)]
struct Stored {
    /// False only when no property a PUBLISH may not carry is set; true whenever
    /// that is unknown, i.e. after any write through `DerefMut`.
    maybe_not_publish: bool,
    values: PropertyValues,
}

impl Stored {
    fn new(values: PropertyValues) -> Box<Self> {
        let maybe_not_publish = values.has_non_publish();
        Box::new(Self {
            values,
            maybe_not_publish,
        })
    }
}

impl Properties {
    /// No properties at all, without allocating.
    pub const fn new() -> Self {
        Self(None)
    }

    /// True when no property is set.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.allocated().is_none_or(PropertyValues::is_empty)
    }

    /// The values, if storage was ever allocated (they may all be unset).
    #[inline]
    pub(crate) fn allocated(&self) -> Option<&PropertyValues> {
        self.0.as_deref().map(|stored| &stored.values)
    }

    /// The values, if storage was allocated and no property a PUBLISH may not carry
    /// can be set in them; `Err` with the values when that is not known.
    #[inline]
    pub(crate) fn allocated_for_publish(&self) -> Option<Result<&PropertyValues, &PropertyValues>> {
        self.0
            .as_deref()
            .map(|stored| match stored.maybe_not_publish {
                false => Ok(&stored.values),
                true => Err(&stored.values),
            })
    }

    /// Records that only properties a PUBLISH may carry are set, which the caller
    /// has just checked (a PUBLISH decoder refuses all others).
    #[inline]
    pub(crate) fn mark_publish_only(&mut self) {
        if let Some(stored) = self.0.as_deref_mut() {
            stored.maybe_not_publish = false;
        }
    }

    /// Unsets property `id` (every occurrence, for the repeatable ones); allocates
    /// nothing when no property is set.
    pub fn remove(&mut self, id: PropertyId) {
        if self.0.is_some() {
            self.deref_mut().remove(id);
        }
    }

    /// Unsets every property the spec does not allow in `context`, e.g. before
    /// forwarding a message's properties on another packet.
    pub fn retain_allowed_in(&mut self, context: PropertyContext) {
        if self.0.is_some() {
            self.deref_mut().retain_allowed_in(context);
        }
    }

    /// Gives up the values, an empty set if none was ever written.
    pub fn into_values(self) -> PropertyValues {
        self.0.map(|stored| stored.values).unwrap_or_default()
    }
}

impl Deref for Properties {
    type Target = PropertyValues;

    #[inline]
    fn deref(&self) -> &PropertyValues {
        self.allocated().unwrap_or(&NONE_SET)
    }
}

impl DerefMut for Properties {
    #[inline]
    fn deref_mut(&mut self) -> &mut PropertyValues {
        let stored = self
            .0
            .get_or_insert_with(|| Stored::new(PropertyValues::EMPTY));
        // The caller may set anything: forget what was known.
        stored.maybe_not_publish = true;
        &mut stored.values
    }
}

impl From<PropertyValues> for Properties {
    fn from(values: PropertyValues) -> Self {
        if values.is_empty() {
            Self(None)
        } else {
            Self(Some(Stored::new(values)))
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
    fn knows_a_set_holds_only_publish_properties_until_written() {
        let publish_only =
            |properties: &Properties| matches!(properties.allocated_for_publish(), Some(Ok(_)));
        let mut properties = Properties::from(PropertyValues {
            content_type: Some("text/plain".into()),
            ..PropertyValues::default()
        });
        assert!(publish_only(&properties));
        properties.reason_string = Some("not on PUBLISH".into());
        assert!(!publish_only(&properties));
        properties.reason_string = None;
        assert!(!publish_only(&properties), "forgotten, not recomputed");
        let mixed = Properties::from(PropertyValues {
            content_type: Some("text/plain".into()),
            session_expiry_interval: Some(1),
            ..PropertyValues::default()
        });
        assert!(!publish_only(&mixed));
        assert!(!publish_only(&mixed.clone()));
    }

    #[test]
    fn removing_from_an_empty_set_allocates_nothing() {
        let mut properties = Properties::new();
        properties.remove(PropertyId::TopicAlias);
        properties.retain_allowed_in(PropertyContext::Will);
        assert!(properties.allocated().is_none());
    }
}
