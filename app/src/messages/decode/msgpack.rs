//! MessagePack payloads as JSON-like text: binary as `h'01ff'` and extension types as
//! `ext(type, h'…')`, in the same notation as CBOR. Markers are classified by the
//! `rmp` crate; the values that follow are read straight from the payload slice, so a
//! preview stops as soon as it has enough and no claimed length is ever allocated.

use rmp::Marker;

use super::tree::{format_float, write_string_body, Container, TreeError, TreeWriter};
use super::DecodeError;

/// Writes the single MessagePack value in `payload`. Stops early without error when
/// the writer is full (a preview); otherwise the whole payload must be one value.
pub(crate) fn write_msgpack(payload: &[u8], writer: &mut TreeWriter) -> Result<(), DecodeError> {
    let mut reader = Reader {
        data: payload,
        position: 0,
    };
    while !writer.is_done() {
        if writer.is_full() {
            return Ok(());
        }
        let offset = reader.position;
        write_value(&mut reader, writer).map_err(|error| error.at(offset))?;
    }
    if reader.position < payload.len() {
        return Err(DecodeError::MessagePack {
            offset: reader.position,
            message: format!(
                "{} more byte(s) after the first complete value: a MessagePack payload holds \
                 one value",
                payload.len() - reader.position
            ),
        });
    }
    Ok(())
}

/// A failure and, when it is not where the value started, where it happened.
struct Failure {
    offset: Option<usize>,
    message: String,
}

impl Failure {
    fn at(self, start: usize) -> DecodeError {
        DecodeError::MessagePack {
            offset: self.offset.unwrap_or(start),
            message: self.message,
        }
    }
}

impl From<TreeError> for Failure {
    fn from(error: TreeError) -> Self {
        let message = match error {
            TreeError::TooDeep => format!("nested deeper than {} levels", super::tree::MAX_DEPTH),
            TreeError::UnexpectedClose | TreeError::AfterEnd => "value after the end".into(),
        };
        Self {
            offset: None,
            message,
        }
    }
}

struct Reader<'a> {
    data: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: u64) -> Result<&'a [u8], Failure> {
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| self.position.checked_add(len));
        match end.and_then(|end| self.data.get(self.position..end)) {
            Some(bytes) => {
                self.position += bytes.len();
                Ok(bytes)
            }
            None => Err(Failure {
                offset: Some(self.data.len()),
                message: format!(
                    "the data ends in the middle of a value ({len} byte(s) needed at byte {}; \
                     truncated payload?)",
                    self.position
                ),
            }),
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Failure> {
        let start = self.position;
        <[u8; N]>::try_from(self.take(N as u64)?).map_err(|_| Failure {
            offset: Some(start),
            message: format!("expected {N} bytes"),
        })
    }

    fn uint(&mut self, width: usize) -> Result<u64, Failure> {
        Ok(match width {
            1 => u64::from(u8::from_be_bytes(self.array()?)),
            2 => u64::from(u16::from_be_bytes(self.array()?)),
            4 => u64::from(u32::from_be_bytes(self.array()?)),
            _ => u64::from_be_bytes(self.array()?),
        })
    }

    fn int(&mut self, width: usize) -> Result<i64, Failure> {
        Ok(match width {
            1 => i64::from(i8::from_be_bytes(self.array()?)),
            2 => i64::from(i16::from_be_bytes(self.array()?)),
            4 => i64::from(i32::from_be_bytes(self.array()?)),
            _ => i64::from_be_bytes(self.array()?),
        })
    }
}

fn write_value(reader: &mut Reader<'_>, writer: &mut TreeWriter) -> Result<(), Failure> {
    let marker = Marker::from_u8(reader.uint(1)? as u8);
    if let Some(text) = scalar_text(marker, reader)? {
        writer.scalar(&text)?;
        return Ok(());
    }
    match marker {
        Marker::FixStr(len) => write_str(reader, writer, u64::from(len)),
        Marker::Str8 | Marker::Str16 | Marker::Str32 => {
            let len = reader.uint(length_width(marker))?;
            write_str(reader, writer, len)
        }
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => {
            let len = reader.uint(length_width(marker))?;
            write_bin(reader, writer, len)
        }
        Marker::FixArray(len) => Ok(writer.open(Container::Array, Some(u64::from(len)), "[")?),
        Marker::Array16 | Marker::Array32 => {
            let len = reader.uint(length_width(marker))?;
            Ok(writer.open(Container::Array, Some(len), "[")?)
        }
        Marker::FixMap(len) => Ok(writer.open(Container::Map, Some(u64::from(len) * 2), "{")?),
        Marker::Map16 | Marker::Map32 => {
            let pairs = reader.uint(length_width(marker))?;
            Ok(writer.open(Container::Map, Some(pairs * 2), "{")?)
        }
        Marker::FixExt1 => write_ext(reader, writer, 1),
        Marker::FixExt2 => write_ext(reader, writer, 2),
        Marker::FixExt4 => write_ext(reader, writer, 4),
        Marker::FixExt8 => write_ext(reader, writer, 8),
        Marker::FixExt16 => write_ext(reader, writer, 16),
        Marker::Ext8 | Marker::Ext16 | Marker::Ext32 => {
            let len = reader.uint(length_width(marker))?;
            write_ext(reader, writer, len)
        }
        // Only 0xc1 is left: `scalar_text` took the other markers.
        _ => Err(Failure {
            offset: None,
            message: "byte 0xc1 is reserved and never used in MessagePack".into(),
        }),
    }
}

/// The text of a number, `nil` or boolean; `None` for other markers.
fn scalar_text(marker: Marker, reader: &mut Reader<'_>) -> Result<Option<String>, Failure> {
    Ok(Some(match marker {
        Marker::FixPos(value) => value.to_string(),
        Marker::FixNeg(value) => value.to_string(),
        Marker::Null => "null".into(),
        Marker::True => "true".into(),
        Marker::False => "false".into(),
        Marker::U8 => reader.uint(1)?.to_string(),
        Marker::U16 => reader.uint(2)?.to_string(),
        Marker::U32 => reader.uint(4)?.to_string(),
        Marker::U64 => reader.uint(8)?.to_string(),
        Marker::I8 => reader.int(1)?.to_string(),
        Marker::I16 => reader.int(2)?.to_string(),
        Marker::I32 => reader.int(4)?.to_string(),
        Marker::I64 => reader.int(8)?.to_string(),
        Marker::F32 => format_float(f64::from(f32::from_be_bytes(reader.array()?))),
        Marker::F64 => format_float(f64::from_be_bytes(reader.array()?)),
        _ => return Ok(None),
    }))
}

/// How many bytes the length after a sized marker takes.
fn length_width(marker: Marker) -> usize {
    match marker {
        Marker::Str8 | Marker::Bin8 | Marker::Ext8 => 1,
        Marker::Str16 | Marker::Bin16 | Marker::Ext16 | Marker::Array16 | Marker::Map16 => 2,
        _ => 4,
    }
}

fn write_str(reader: &mut Reader<'_>, writer: &mut TreeWriter, len: u64) -> Result<(), Failure> {
    let start = reader.position;
    let bytes = reader.take(len)?;
    // A preview checks only the part it can show.
    let shown = match writer.out().byte_budget() {
        Some(budget) => bytes.get(..budget).unwrap_or(bytes),
        None => bytes,
    };
    let text = match std::str::from_utf8(shown) {
        Ok(text) => text,
        Err(error) if error.error_len().is_none() && shown.len() < bytes.len() => {
            std::str::from_utf8(shown.get(..error.valid_up_to()).unwrap_or_default())
                .unwrap_or_default()
        }
        Err(error) => {
            return Err(Failure {
                offset: Some(start + error.valid_up_to()),
                message: "invalid UTF-8 in a string".into(),
            })
        }
    };
    writer.begin_item()?;
    writer.out().push_char('"');
    write_string_body(writer.out(), text);
    writer.out().push_char('"');
    writer.end_item();
    Ok(())
}

fn write_bin(reader: &mut Reader<'_>, writer: &mut TreeWriter, len: u64) -> Result<(), Failure> {
    let bytes = reader.take(len)?;
    writer.begin_item()?;
    writer.out().push_str("h'");
    writer.out().push_hex(bytes);
    writer.out().push_char('\'');
    writer.end_item();
    Ok(())
}

fn write_ext(reader: &mut Reader<'_>, writer: &mut TreeWriter, len: u64) -> Result<(), Failure> {
    let kind = reader.int(1)?;
    let bytes = reader.take(len)?;
    writer.begin_item()?;
    writer.out().push_str(&format!("ext({kind}, h'"));
    writer.out().push_hex(bytes);
    writer.out().push_str("')");
    writer.end_item();
    Ok(())
}
