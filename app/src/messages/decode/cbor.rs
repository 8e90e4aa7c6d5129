//! CBOR payloads (RFC 8949) as JSON-like text in the RFC's diagnostic notation where
//! JSON has no word for it: byte strings `h'01ff'`, tags `1(1363896240)`,
//! `undefined`, `simple(16)`, `NaN`, `Infinity`, and keys of any type. Items are
//! pulled one header at a time with `ciborium-ll`, so a preview stops reading as soon
//! as it has enough, and nothing is allocated from lengths the payload claims.

use ciborium_ll::{Decoder, Header};

use super::tree::{format_float, write_string_body, Container, TreeError, TreeWriter};
use super::DecodeError;

/// Bytes read at a time from a byte or text string.
const SEGMENT_BUFFER: usize = 4096;

/// Writes the single CBOR item in `payload`. Stops early without error when the
/// writer is full (a preview); otherwise the whole payload must be one item.
pub(crate) fn write_cbor(payload: &[u8], writer: &mut TreeWriter) -> Result<(), DecodeError> {
    let mut decoder = Decoder::from(payload);
    let mut buffer = [0u8; SEGMENT_BUFFER];
    while !writer.is_done() {
        if writer.is_full() {
            return Ok(());
        }
        let offset = decoder.offset();
        let header = decoder
            .pull()
            .map_err(|error| pull_error(error, offset, payload.len()))?;
        let written = match header {
            Header::Positive(value) => writer.scalar(&value.to_string()),
            Header::Negative(value) => writer.scalar(&(-1 - i128::from(value)).to_string()),
            Header::Float(value) => writer.scalar(&format_float(value)),
            Header::Simple(20) => writer.scalar("false"),
            Header::Simple(21) => writer.scalar("true"),
            Header::Simple(22) => writer.scalar("null"),
            Header::Simple(23) => writer.scalar("undefined"),
            Header::Simple(value) => writer.scalar(&format!("simple({value})")),
            Header::Tag(tag) => writer.open(Container::Tag, Some(1), &format!("{tag}(")),
            Header::Break => writer.close(),
            Header::Array(len) => writer.open(Container::Array, len.map(count), "["),
            Header::Map(len) => writer.open(
                Container::Map,
                len.map(|pairs| count(pairs).saturating_mul(2)),
                "{",
            ),
            Header::Bytes(len) => {
                writer
                    .begin_item()
                    .map_err(|error| tree_error(error, offset))?;
                if !write_byte_string(&mut decoder, writer, len, offset, &mut buffer)? {
                    return Ok(());
                }
                Ok(())
            }
            Header::Text(len) => {
                writer
                    .begin_item()
                    .map_err(|error| tree_error(error, offset))?;
                if !write_text_string(&mut decoder, writer, len, offset, &mut buffer)? {
                    return Ok(());
                }
                Ok(())
            }
        };
        written.map_err(|error| tree_error(error, offset))?;
    }
    let end = decoder.offset();
    if end < payload.len() {
        return Err(cbor_error(
            end,
            format!(
                "{} more byte(s) after the first complete item: a CBOR payload holds one item",
                payload.len() - end
            ),
        ));
    }
    Ok(())
}

/// Writes a (possibly chunked) byte string as `h'…'`; `false` when the preview
/// budget ran out first.
fn write_byte_string(
    decoder: &mut Decoder<&[u8]>,
    writer: &mut TreeWriter,
    len: Option<usize>,
    offset: usize,
    buffer: &mut [u8],
) -> Result<bool, DecodeError> {
    writer.out().push_str("h'");
    let mut segments = decoder.bytes(len);
    while let Some(mut segment) = segments.pull().map_err(|_| string_error(offset))? {
        while let Some(chunk) = segment.pull(buffer).map_err(|_| string_error(offset))? {
            writer.out().push_hex(chunk);
            if writer.is_full() {
                return Ok(false);
            }
        }
    }
    writer.out().push_char('\'');
    writer.end_item();
    Ok(true)
}

/// Writes a (possibly chunked) text string, quoted; `false` when the preview budget
/// ran out first.
fn write_text_string(
    decoder: &mut Decoder<&[u8]>,
    writer: &mut TreeWriter,
    len: Option<usize>,
    offset: usize,
    buffer: &mut [u8],
) -> Result<bool, DecodeError> {
    writer.out().push_char('"');
    let mut segments = decoder.text(len);
    while let Some(mut segment) = segments.pull().map_err(|_| string_error(offset))? {
        while let Some(chunk) = segment.pull(buffer).map_err(|_| string_error(offset))? {
            write_string_body(writer.out(), chunk);
            if writer.is_full() {
                return Ok(false);
            }
        }
    }
    writer.out().push_char('"');
    writer.end_item();
    Ok(true)
}

/// A length from the header as an item count (lengths are `usize`, at most 64 bits).
fn count(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

fn cbor_error(offset: usize, message: String) -> DecodeError {
    DecodeError::Cbor { offset, message }
}

fn pull_error<E>(error: ciborium_ll::Error<E>, offset: usize, len: usize) -> DecodeError {
    match error {
        ciborium_ll::Error::Io(_) => cbor_error(
            len,
            "the data ends in the middle of an item (truncated payload?)".into(),
        ),
        ciborium_ll::Error::Syntax(_) => cbor_error(
            offset,
            "malformed item header (reserved additional information, or a length too \
             large for this platform)"
                .into(),
        ),
    }
}

/// Strings fail when the data runs out, when a text string is not UTF-8, or when an
/// indefinite-length string holds a chunk of another type.
fn string_error(offset: usize) -> DecodeError {
    cbor_error(
        offset,
        "invalid string: truncated, not UTF-8 (text), or with chunks of the wrong type".into(),
    )
}

fn tree_error(error: TreeError, offset: usize) -> DecodeError {
    let message = match error {
        TreeError::TooDeep => format!("nested deeper than {} levels", super::tree::MAX_DEPTH),
        TreeError::UnexpectedClose => {
            "unexpected \"break\" (0xff): no indefinite-length item is open here".into()
        }
        TreeError::AfterEnd => "item after the end".into(),
    };
    cbor_error(offset, message)
}
