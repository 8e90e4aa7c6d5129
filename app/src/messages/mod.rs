//! The message log's data side, free of Leptos and browser APIs so it is unit-tested
//! on the host: records that keep every original byte, a budgeted ring-buffer store,
//! filters, payload decoders for display, format detection and streaming export.

mod chunked;
pub mod decode;
pub mod detect;
pub mod diff;
pub mod export;
pub mod filter;
pub mod format_choice;
pub mod record;
pub mod store;
pub mod time;

pub use decode::{
    hex_dump, hex_dump_line, hex_dump_line_count, json_tokens, render, render_preview, DecodeError,
    PayloadFormat, Rendered, TokenKind, HEX_BYTES_PER_LINE,
};
pub use detect::detect;
pub use export::{
    export, parse_jsonl_line, ExportFormat, ExportOptions, Exporter, ImportError, PayloadEncoding,
    EXPORT_CHUNK_BYTES,
};
pub use filter::{
    DirectionFilter, FilterError, FilterSpec, MessageFilter, PayloadQuery, SubscriptionFilter,
};
pub use format_choice::{subscription_format, FormatChoice, FormatLevels, FormatSource};
pub use record::{Direction, MessageRecord};
pub use store::{MessageStore, StoreBudget};
pub use time::{format_utc, parse_utc};
