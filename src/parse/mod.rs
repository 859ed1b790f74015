//! Page text → [`Page`]: decode bytes, classify lines, group headlines, build blocks,
//! rejoin column breaks. Parsing is total: odd input becomes a warning, never an `Err`;
//! errors are only for I/O and undecodable bytes.
//!
//! SKELETON: replaced by the parser work (issue 2). Signatures are the contract.

use std::path::Path;

use crate::model::{Article, Block, BlockKind, Page};

/// Options a user can set (config `section_labels`).
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Extra section-label endings or whole labels, beside the built-in list.
    pub extra_section_labels: Vec<String>,
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
}

/// Decode page bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 detected.
/// Returns the text (CRLF folded to LF, BOM stripped) and the encoding's standard name.
pub fn decode(path: &str, bytes: &[u8]) -> Result<(String, &'static str), ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((
            s.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
            "UTF-8",
        )),
        Err(e) => Err(ParseError::Undecodable {
            path: path.to_string(),
            reason: e.to_string(),
        }),
    }
}

/// Parse decoded page text.
pub fn parse_text(source: &str, encoding: &str, text: &str, _opts: &ParseOptions) -> Page {
    let mut article = Article::default();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        article.blocks.push(Block::new(BlockKind::Paragraph, para));
    }
    Page {
        source: source.to_string(),
        encoding: encoding.to_string(),
        articles: vec![article],
        furniture: vec![],
        warnings: vec![],
    }
}

/// Decode and parse page bytes; `source` names the page in errors and in the model.
pub fn parse_bytes(source: &str, bytes: &[u8], opts: &ParseOptions) -> Result<Page, ParseError> {
    let (text, encoding) = decode(source, bytes)?;
    Ok(parse_text(source, encoding, &text, opts))
}

/// Read, decode and parse a page file. `source` is the name recorded in the model
/// (library-relative path inside a library, else the path as given).
pub fn read_page(path: &Path, source: &str, opts: &ParseOptions) -> Result<Page, ParseError> {
    let bytes = std::fs::read(path).map_err(|e| ParseError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    parse_bytes(source, &bytes, opts)
}
