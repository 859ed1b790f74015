//! Page text → [`Page`]. The pipeline, one module per step:
//!
//! 1. [`decode`]: bytes → text (UTF-8, UTF-16, GB18030; damaged bytes become U+FFFD with a
//!    warning), CRLF folded. `read` opens page files without blocking, regular files only.
//! 2. `lines`: text → heading lines and text blocks.
//! 3. `headline`: consecutive heading lines → kicker, title lines, subtitle, section label.
//! 4. `blocks`: a text block → furniture, paragraphs, images, tables, bylines, credits,
//!    continuation markers (soft wraps joined, indentation and markup removed).
//! 5. `assemble`: articles from both, with the context rules (lone-name bylines, captions),
//!    `rejoin` (column breaks), authors, continuation pages and truncation.
//!
//! Parsing is total: odd input becomes a warning in [`Page::warnings`], never an `Err`;
//! errors are only for I/O and undecodable bytes. Nothing of the page's text is lost: every
//! Han character and CJK punctuation mark of the input is somewhere in the model.

use std::path::Path;

use crate::model::Page;

mod assemble;
mod blocks;
mod classify;
pub mod decode;
mod furniture;
mod headline;
mod html;
mod labels;
mod lines;
mod markup;
mod names;
mod read;
mod rejoin;
mod text;

pub use decode::{Decoded, decode_page};
pub use labels::LABEL_ENDINGS;
pub use read::{DEFAULT_MAX_PAGE_BYTES, read_page_bytes};

/// Options a user can set (config `section_labels`, `max_page_mb`).
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Extra section-label endings or whole labels, beside the built-in [`LABEL_ENDINGS`].
    pub extra_section_labels: Vec<String>,
    /// A page file larger than this is refused unread (see [`read_page_bytes`]).
    pub max_page_bytes: u64,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            extra_section_labels: Vec::new(),
            max_page_bytes: DEFAULT_MAX_PAGE_BYTES,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a text page ({reason})")]
    Undecodable { path: String, reason: String },
    /// A FIFO, a device, a folder: never opened for reading (it could block or never end).
    #[error("{path}: not a page file ({kind}); pages are read from regular files only")]
    NotRegular { path: String, kind: &'static str },
    #[error("{path}: {size} is over the page size limit of {limit} (config `max_page_mb`)")]
    TooLarge {
        path: String,
        size: String,
        limit: String,
    },
}

/// Decode page bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 detected.
/// Returns the text (CRLF folded to LF, BOM stripped) and the encoding's standard name.
pub fn decode(path: &str, bytes: &[u8]) -> Result<(String, &'static str), ParseError> {
    let d = decode_page(path, bytes)?;
    Ok((d.text, d.encoding))
}

/// Parse decoded page text.
pub fn parse_text(source: &str, encoding: &str, text: &str, opts: &ParseOptions) -> Page {
    let labels = labels::Labels::new(&opts.extra_section_labels);
    assemble::assemble(source, encoding, text, &labels)
}

/// Decode and parse page bytes; `source` names the page in errors and in the model.
pub fn parse_bytes(source: &str, bytes: &[u8], opts: &ParseOptions) -> Result<Page, ParseError> {
    let decoded = decode::decode_borrowed(source, bytes)?;
    let mut page = parse_text(source, decoded.encoding, &decoded.text, opts);
    page.warnings.splice(0..0, decoded.warnings);
    Ok(page)
}

/// Read, decode and parse a page file. `source` is the name recorded in the model
/// (library-relative path inside a library, else the path as given). Only a regular file
/// of at most `opts.max_page_bytes` is read, and opening it never blocks.
pub fn read_page(path: &Path, source: &str, opts: &ParseOptions) -> Result<Page, ParseError> {
    let bytes = read_page_bytes(path, opts.max_page_bytes)?;
    parse_bytes(source, &bytes, opts)
}
