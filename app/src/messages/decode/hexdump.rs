//! Hex views of a payload: the `hexdump -C` layout for the detail view (offset, 16
//! bytes in two groups of 8, the printable-ASCII column), one line at a time so the
//! UI can virtualise a dump of megabytes, and a run of hex pairs for previews.

use std::fmt::Write;

use super::output::Output;

/// Bytes shown per hex-dump line.
pub const HEX_BYTES_PER_LINE: usize = 16;

/// How many data lines the hex dump of `len` bytes has (the closing offset line
/// that [`hex_dump`] appends is not counted).
pub fn hex_dump_line_count(len: usize) -> usize {
    len.div_ceil(HEX_BYTES_PER_LINE)
}

/// Line `line` (from 0) of the hex dump of `payload`, as `hexdump -C` prints it:
/// `00000010  0a 30 31 32 33 34 35 36  37 38 39 61 62 63 64 65  |.0123456789abcde|`.
pub fn hex_dump_line(payload: &[u8], line: usize) -> Option<String> {
    let start = line.checked_mul(HEX_BYTES_PER_LINE)?;
    let rest = payload.get(start..).filter(|rest| !rest.is_empty())?;
    let bytes = rest.get(..HEX_BYTES_PER_LINE).unwrap_or(rest);
    let mut text = String::with_capacity(80);
    write_line(&mut text, start, bytes);
    Some(text)
}

fn write_line(text: &mut String, offset: usize, bytes: &[u8]) {
    let _ = write!(text, "{offset:08x} ");
    for slot in 0..HEX_BYTES_PER_LINE {
        if slot % 8 == 0 {
            text.push(' ');
        }
        match bytes.get(slot) {
            Some(byte) => {
                let _ = write!(text, "{byte:02x} ");
            }
            None => text.push_str("   "),
        }
    }
    text.push_str(" |");
    text.extend(bytes.iter().map(|&byte| {
        if (0x20..=0x7e).contains(&byte) {
            char::from(byte)
        } else {
            '.'
        }
    }));
    text.push('|');
}

/// The whole hex dump: one line per 16 bytes, then the length as a last offset
/// line, exactly as `hexdump -C` (which is empty for an empty payload), except that
/// repeated lines are all shown rather than folded into `*`.
pub fn hex_dump(payload: &[u8]) -> String {
    if payload.is_empty() {
        return String::new();
    }
    let lines = hex_dump_line_count(payload.len());
    let mut text = String::with_capacity(lines.saturating_add(1).saturating_mul(79));
    for (line, bytes) in payload.chunks(HEX_BYTES_PER_LINE).enumerate() {
        write_line(&mut text, line * HEX_BYTES_PER_LINE, bytes);
        text.push('\n');
    }
    let _ = write!(text, "{:08x}", payload.len());
    text
}

/// Space-separated hex pairs from the start of `payload`, as much as `out` takes.
pub(crate) fn write_hex_pairs(out: &mut Output, payload: &[u8]) {
    for (index, byte) in payload.iter().enumerate() {
        if out.is_full() {
            return;
        }
        if index > 0 {
            out.push_char(' ');
        }
        out.push_hex(std::slice::from_ref(byte));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `printf 'Hello, MQTT!\x00\x01\xff\x7f\n0123456789abcdefXYZ' | hexdump -C`
    /// prints.
    const HEXDUMP_C: &str = "\
00000000  48 65 6c 6c 6f 2c 20 4d  51 54 54 21 00 01 ff 7f  |Hello, MQTT!....|
00000010  0a 30 31 32 33 34 35 36  37 38 39 61 62 63 64 65  |.0123456789abcde|
00000020  66 58 59 5a                                       |fXYZ|
00000024";

    const SAMPLE: &[u8] = b"Hello, MQTT!\x00\x01\xff\x7f\n0123456789abcdefXYZ";

    #[test]
    fn matches_hexdump_c() {
        assert_eq!(hex_dump(SAMPLE), HEXDUMP_C);
    }

    #[test]
    fn lines_can_be_fetched_one_by_one() {
        assert_eq!(hex_dump_line_count(SAMPLE.len()), 3);
        let lines: Vec<String> = (0..3)
            .filter_map(|line| hex_dump_line(SAMPLE, line))
            .collect();
        let expected: Vec<&str> = HEXDUMP_C.lines().take(3).collect();
        assert_eq!(lines, expected);
        assert_eq!(hex_dump_line(SAMPLE, 3), None);
        assert_eq!(hex_dump_line(SAMPLE, usize::MAX), None);
    }

    #[test]
    fn exact_lines_and_empty_payloads() {
        assert_eq!(
            hex_dump(b"0123456789abcdef"),
            "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n00000010"
        );
        assert_eq!(hex_dump(b""), "");
        assert_eq!(hex_dump_line_count(0), 0);
        assert_eq!(hex_dump_line(b"", 0), None);
    }
}
