//! Bytes → text. A page file is UTF-8 (with or without BOM), UTF-16 with a BOM, or a legacy
//! CJK encoding (GB18030/GBK in older archives) that chardetng guesses and encoding_rs decodes.
//! CRLF is folded to LF; lone CRs are control characters and stay. Bytes that make no sensible
//! text (a binary file) are an [`ParseError::Undecodable`] naming the file — never a panic.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use super::ParseError;

/// A decoded page: its text, the encoding's standard name, and anything odd worth a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

/// Decode page bytes; see the module documentation for the rules.
pub fn decode_page(path: &str, bytes: &[u8]) -> Result<Decoded, ParseError> {
    let borrowed = decode_borrowed(path, bytes)?;
    Ok(Decoded {
        text: borrowed.text.into_owned(),
        encoding: borrowed.encoding,
        warnings: borrowed.warnings,
    })
}

/// [`decode_page`] without copying when the bytes are already the text (UTF-8, no BOM, LF).
pub struct DecodedRef<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

pub fn decode_borrowed<'a>(path: &str, bytes: &'a [u8]) -> Result<DecodedRef<'a>, ParseError> {
    // simdutf8 gives the same answer as `std::str::from_utf8` (the valid-or-not verdict is
    // all we use), several times faster on Chinese text, which std checks char by char.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes)
        && !s.starts_with('\u{FEFF}')
        && memchr::memchr(b'\r', bytes).is_none()
    {
        if looks_binary(s, true) {
            // Valid UTF-8 full of NULs: ASCII text in UTF-16 without a byte-order mark, or
            // binary data. The slow path tells them apart.
            return decode_owned(path, bytes).map(|owned| DecodedRef {
                text: std::borrow::Cow::Owned(owned.text),
                encoding: owned.encoding,
                warnings: owned.warnings,
            });
        }
        return Ok(DecodedRef {
            text: std::borrow::Cow::Borrowed(s),
            encoding: "UTF-8",
            warnings: Vec::new(),
        });
    }
    let owned = decode_owned(path, bytes)?;
    Ok(DecodedRef {
        text: std::borrow::Cow::Owned(owned.text),
        encoding: owned.encoding,
        warnings: owned.warnings,
    })
}

fn decode_owned(path: &str, bytes: &[u8]) -> Result<Decoded, ParseError> {
    let undecodable = |reason: &str| ParseError::Undecodable {
        path: path.to_string(),
        reason: reason.to_string(),
    };
    let mut warnings = Vec::new();
    let (text, encoding): (String, &'static Encoding) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (
                strict(UTF_8, rest).ok_or_else(|| undecodable("invalid UTF-8 after BOM"))?,
                UTF_8,
            )
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (
                strict(UTF_16LE, rest).ok_or_else(|| undecodable("invalid UTF-16LE"))?,
                UTF_16LE,
            )
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (
                strict(UTF_16BE, rest).ok_or_else(|| undecodable("invalid UTF-16BE"))?,
                UTF_16BE,
            )
        } else if let Some((text, encoding)) = utf16_without_bom(bytes) {
            warnings.push(format!(
                "no byte-order mark: read as {} from its NUL bytes",
                encoding.name()
            ));
            (text, encoding)
        } else if let Ok(s) = std::str::from_utf8(bytes) {
            (s.to_string(), UTF_8)
        } else {
            let (text, encoding, errors) = detect_and_decode(bytes);
            // A few bad bytes in a long legacy page are damage, not a binary file.
            if errors > 0 {
                if errors * 1000 > bytes.len().max(1000) {
                    return Err(undecodable(&format!(
                        "{errors} undecodable byte sequences as {}",
                        encoding.name()
                    )));
                }
                warnings.push(format!(
                    "{errors} undecodable byte sequence(s) replaced with U+FFFD"
                ));
            }
            (text, encoding)
        };
    if looks_binary(&text, encoding == UTF_8) {
        return Err(undecodable("binary data"));
    }
    Ok(Decoded {
        text: fold_crlf(text),
        encoding: standard_name(encoding),
        warnings,
    })
}

/// UTF-16 without a byte-order mark (old Windows exports), recognised by where its NUL
/// bytes fall: every ASCII character (newlines, digits, spaces) puts one in the high half
/// of its code unit, so text has many NULs at one parity and few at the other (a Han
/// character like U+4E00 has a NUL low half; binary data has NULs everywhere). The bytes
/// must then decode strictly (no lone surrogates). UTF-8 text has no NUL bytes at all.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static Encoding)> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) || memchr::memchr(0, bytes).is_none() {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let units = sample.len() / 2;
    // At least one ASCII character in 200, and four times as many NULs at that parity.
    let encoding = if odd * 200 >= units && odd >= 4 * even {
        UTF_16LE
    } else if even * 200 >= units && even >= 4 * odd {
        UTF_16BE
    } else {
        return None;
    };
    Some((strict(encoding, bytes)?, encoding))
}

/// Decode with no replacement; `None` when the bytes are malformed.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

/// Guess a legacy encoding with chardetng and decode with replacement; returns the number of
/// malformed sequences (U+FFFD in the output that the input did not spell out).
fn detect_and_decode(bytes: &[u8]) -> (String, &'static Encoding, usize) {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let mut encoding = detector.guess(None, true);
    if encoding == GBK {
        // encoding_rs decodes GBK with the GB18030 decoder; report the superset's name.
        encoding = GB18030;
    }
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let mut errors = text.matches('\u{FFFD}').count();
    if encoding == UTF_8 {
        errors -= bytes.windows(3).filter(|w| w == b"\xEF\xBF\xBD").count();
    }
    (text.into_owned(), encoding, errors)
}

/// True when decoded text cannot be a page: NULs or other control characters make up a large
/// share of it. Valid UTF-8 gets more latitude than a guessed legacy encoding, since a page may
/// legitimately carry a few stray control characters (they are kept and shown as placeholders).
fn looks_binary(text: &str, was_utf8: bool) -> bool {
    // Byte-level counts over the UTF-8 text: fast, and exact for the control characters
    // (C0 and DEL are single bytes; C1 is 0xC2 0x80..=0x9F).
    let bytes = text.as_bytes();
    // Bitwise, not short-circuit: no branch per byte, so the fold below vectorises.
    let suspicious = |&b: &u8| {
        let allowed = (b == b'\n') | (b == b'\r') | (b == b'\t') | (b == 0x0C);
        ((b < 0x20) & !allowed) | (b == 0x7F) | (b == 0xC2)
    };
    // Chunked, branch-free folds vectorise; most pages have no control character at all.
    // A coarser first look (any C0 but `\n`, DEL, `C2`) costs a third of the exact one; a
    // chunk it flags (a tab, a `·`) gets the exact look.
    let coarse = |&b: &u8| ((b < 0x20) & (b != b'\n')) | (b == 0x7F) | (b == 0xC2);
    let any_suspicious = bytes.chunks(4096).any(|c| {
        c.iter().fold(0u8, |acc, b| acc | u8::from(coarse(b))) != 0
            && c.iter().fold(0u8, |acc, b| acc | u8::from(suspicious(b))) != 0
    });
    if !any_suspicious {
        return false;
    }
    let mut total = 0usize;
    let mut nul = 0usize;
    let mut control = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b & 0xC0 != 0x80 {
            total += 1;
        }
        match b {
            0 => {
                nul += 1;
                control += 1;
            }
            b'\n' | b'\r' | b'\t' | 0x0C => {}
            0x01..=0x1F | 0x7F => control += 1,
            0xC2 if bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)) => control += 1,
            _ => {}
        }
    }
    if total == 0 {
        return false;
    }
    let control_limit = if was_utf8 { 3 } else { 20 }; // 1/3 or 1/20 of all characters
    nul * 100 > total || control * control_limit > total
}

fn fold_crlf(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

fn standard_name(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "UTF-8"
    } else if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else if encoding == GB18030 || encoding == GBK {
        "GB18030"
    } else {
        encoding.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Decoded {
        decode_page("t.txt", bytes).expect("decodes")
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(dec("甲乙".as_bytes()).text, "甲乙");
        let d = dec(b"\xEF\xBB\xBF\xE7\x94\xB2");
        assert_eq!((d.text.as_str(), d.encoding), ("甲", "UTF-8"));
    }

    #[test]
    fn utf16_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE, 0x32, 0x75, 0x0A, 0x00].to_vec();
        assert_eq!(dec(&le).text, "甲\n");
        assert_eq!(dec(&le).encoding, "UTF-16LE");
        let be: Vec<u8> = [0xFE, 0xFF, 0x75, 0x32].to_vec();
        assert_eq!(
            (dec(&be).text.as_str(), dec(&be).encoding),
            ("甲", "UTF-16BE")
        );
    }

    #[test]
    fn gb18030_detected() {
        let (bytes, _, _) = GB18030.encode("## 平城区教育局确保双减工作落地落实\n\n本报讯（记者 丁亚琴）今年以来，平城区教育局把落实双减作为重点工作。");
        let d = dec(&bytes);
        assert_eq!(d.encoding, "GB18030");
        assert!(d.text.starts_with("## 平城区教育局"));
    }

    #[test]
    fn crlf_folded_lone_cr_kept() {
        assert_eq!(dec(b"a\r\nb\rc").text, "a\nb\rc");
    }

    #[test]
    fn binary_is_an_error_naming_the_file() {
        let err = decode_page("pic.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("pic.png") && !msg.contains('\n'), "{msg}");
        assert!(decode_page("z", b"abc\0def").is_err());
    }

    #[test]
    fn a_few_control_characters_are_text() {
        let d = dec("## 标题\n\n正文\u{1b}[31m红色\u{7}内容。".as_bytes());
        assert!(d.text.contains('\u{1b}'));
    }

    #[test]
    fn empty_is_empty_utf8() {
        assert_eq!(dec(b"").text, "");
    }
}
