//! CBOR and MessagePack payloads typed as JSON: the text is parsed into a tree that keeps
//! object members in the order typed (a sorted map would reorder them), then written with
//! the same crates the message log decodes with (`ciborium-ll`, `rmp`). Integers take the
//! shortest encoding; other numbers are 64-bit floats in MessagePack and the shortest
//! lossless float in CBOR.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value with object members in input order.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderedJson {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    List(Vec<OrderedJson>),
    Object(Vec<(String, OrderedJson)>),
}

impl<'de> Deserialize<'de> for OrderedJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = OrderedJson;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Null)
    }
    fn visit_bool<E>(self, value: bool) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Bool(value))
    }
    fn visit_u64<E>(self, value: u64) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Unsigned(value))
    }
    fn visit_i64<E>(self, value: i64) -> Result<OrderedJson, E> {
        Ok(if value >= 0 {
            OrderedJson::Unsigned(value as u64)
        } else {
            OrderedJson::Signed(value)
        })
    }
    fn visit_f64<E>(self, value: f64) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Float(value))
    }
    fn visit_str<E>(self, value: &str) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Text(value.to_string()))
    }
    fn visit_string<E>(self, value: String) -> Result<OrderedJson, E> {
        Ok(OrderedJson::Text(value))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OrderedJson, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(OrderedJson::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedJson, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, OrderedJson>()? {
            members.push(member);
        }
        Ok(OrderedJson::Object(members))
    }
}

/// The CBOR encoding of `value`.
pub fn to_cbor(value: &OrderedJson) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_cbor(value, &mut ciborium_ll::Encoder::from(&mut out));
    out
}

fn write_cbor(
    value: &OrderedJson,
    encoder: &mut ciborium_ll::Encoder<&mut Vec<u8>>,
) -> Result<(), std::io::Error> {
    use ciborium_ll::Header;
    match value {
        OrderedJson::Null => encoder.push(Header::Simple(ciborium_ll::simple::NULL)),
        OrderedJson::Bool(false) => encoder.push(Header::Simple(ciborium_ll::simple::FALSE)),
        OrderedJson::Bool(true) => encoder.push(Header::Simple(ciborium_ll::simple::TRUE)),
        OrderedJson::Unsigned(n) => encoder.push(Header::Positive(*n)),
        // CBOR stores a negative n as -1 - n.
        OrderedJson::Signed(n) => encoder.push(Header::Negative((-1 - i128::from(*n)) as u64)),
        OrderedJson::Float(f) => encoder.push(Header::Float(*f)),
        OrderedJson::Text(text) => encoder.text(text, None),
        OrderedJson::List(items) => {
            encoder.push(Header::Array(Some(items.len())))?;
            items.iter().try_for_each(|item| write_cbor(item, encoder))
        }
        OrderedJson::Object(members) => {
            encoder.push(Header::Map(Some(members.len())))?;
            members.iter().try_for_each(|(key, item)| {
                encoder.text(key, None)?;
                write_cbor(item, encoder)
            })
        }
    }
}

/// The MessagePack encoding of `value`.
pub fn to_msgpack(value: &OrderedJson) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_msgpack(value, &mut out);
    out
}

fn write_msgpack(value: &OrderedJson, out: &mut Vec<u8>) -> Result<(), String> {
    use rmp::encode;
    let error = |e: rmp::encode::ValueWriteError<std::io::Error>| e.to_string();
    let length = |n: usize| u32::try_from(n).map_err(|_| "too many items".to_string());
    match value {
        OrderedJson::Null => encode::write_nil(out).map_err(|e| e.to_string()),
        OrderedJson::Bool(b) => encode::write_bool(out, *b).map_err(|e| e.to_string()),
        OrderedJson::Unsigned(n) => encode::write_uint(out, *n).map(drop).map_err(error),
        OrderedJson::Signed(n) => encode::write_sint(out, *n).map(drop).map_err(error),
        OrderedJson::Float(f) => encode::write_f64(out, *f).map_err(error),
        OrderedJson::Text(text) => encode::write_str(out, text).map_err(error),
        OrderedJson::List(items) => {
            encode::write_array_len(out, length(items.len())?).map_err(error)?;
            items.iter().try_for_each(|item| write_msgpack(item, out))
        }
        OrderedJson::Object(members) => {
            encode::write_map_len(out, length(members.len())?).map_err(error)?;
            members.iter().try_for_each(|(key, item)| {
                encode::write_str(out, key).map_err(error)?;
                write_msgpack(item, out)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> OrderedJson {
        serde_json::from_str(text).expect("valid JSON")
    }

    const SAMPLE: &str = r#"{"z":1,"a":[true,null,-2,1.5,"x"],"big":300}"#;

    #[test]
    fn members_keep_the_order_typed() {
        let OrderedJson::Object(members) = parse(SAMPLE) else {
            panic!("an object");
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "big"]);
    }

    #[test]
    fn cbor_bytes_are_the_shortest_form() {
        let expected = "a3 61 7a 01 61 61 85 f5 f6 21 f9 3e 00 61 78 63 62 69 67 19 01 2c";
        assert_eq!(
            hex::encode(to_cbor(&parse(SAMPLE))),
            expected.replace(' ', "")
        );
    }

    #[test]
    fn msgpack_bytes_are_the_shortest_form() {
        let expected =
            "83 a1 7a 01 a1 61 95 c3 c0 fe cb 3f f8 00 00 00 00 00 00 a1 78 a3 62 69 67 cd 01 2c";
        assert_eq!(
            hex::encode(to_msgpack(&parse(SAMPLE))),
            expected.replace(' ', "")
        );
    }

    #[test]
    fn extreme_integers_survive() {
        let value = parse("[18446744073709551615,-9223372036854775808]");
        assert_eq!(
            hex::encode(to_cbor(&value)),
            "821bffffffffffffffff3b7fffffffffffffff"
        );
        assert_eq!(
            hex::encode(to_msgpack(&value)),
            "92cfffffffffffffffffd38000000000000000"
        );
    }
}
