//! Bytes → text. A page file is UTF-8 (with or without BOM), UTF-16 (with a BOM, or told by
//! its NUL bytes), or GB18030/GBK (older archives); no other encoding is ever chosen.
//! CRLF is folded to LF; lone CRs are control characters and stay.
//!
//! Decoding keeps going: a damaged page (one bad byte, a file cut in the middle of a
//! character) decodes with each malformed sequence as U+FFFD and one warning naming how many
//! and where the first is. Only bytes that make no sensible text (a binary file: NULs and
//! controls, or more than a quarter of replacements) are an [`ParseError::Undecodable`]
//! naming the file — never a panic. Valid UTF-8 is checked with simdutf8 and borrowed; the
//! careful path runs only when that check fails.

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

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
    let mut warnings = Vec::new();
    let lossy = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Lossy::decode(UTF_8, rest, 3)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Lossy::decode(UTF_16LE, rest, 2)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Lossy::decode(UTF_16BE, rest, 2)
    } else if let Some(lossy) = utf16_without_bom(bytes) {
        warnings.push(format!(
            "no byte-order mark: read as {} from its NUL bytes",
            standard_name(lossy.encoding)
        ));
        lossy
    } else {
        utf8_or_gb18030(bytes)
    };
    let encoding = standard_name(lossy.encoding);
    if let Some(first) = lossy.first_error {
        // Damage, not a binary file, while most of the page decodes: past a quarter of
        // replacement characters nothing readable is left to show.
        if lossy.errors * 4 > lossy.chars.max(1) {
            return Err(ParseError::Undecodable {
                path: path.to_string(),
                reason: format!(
                    "{} undecodable byte sequences as {encoding}, the first at byte {first}",
                    lossy.errors
                ),
            });
        }
        let s = if lossy.errors == 1 { "" } else { "s" };
        warnings.push(format!(
            "{} invalid {encoding} byte sequence{s} shown as \u{FFFD} (the first at byte {first})",
            lossy.errors
        ));
    }
    if looks_binary(&lossy.text, lossy.encoding == UTF_8) {
        return Err(ParseError::Undecodable {
            path: path.to_string(),
            reason: "binary data".to_string(),
        });
    }
    Ok(Decoded {
        text: fold_crlf(lossy.text),
        encoding,
        warnings,
    })
}

/// Text decoded with every malformed sequence replaced by U+FFFD, and what was replaced.
struct Lossy {
    text: String,
    encoding: &'static Encoding,
    /// Malformed sequences (a U+FFFD spelled out in the input is not one).
    errors: usize,
    /// Byte offset in the file of the first malformed sequence.
    first_error: Option<usize>,
    /// Characters decoded, replacements included.
    chars: usize,
    /// Characters outside ASCII decoded as themselves (not replacements).
    non_ascii: usize,
}

impl Lossy {
    /// Decode `bytes` (which start `skipped` bytes into the file, after a BOM).
    fn decode(encoding: &'static Encoding, bytes: &[u8], skipped: usize) -> Lossy {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let cap = decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len());
        let mut text = String::with_capacity(cap);
        let (mut errors, mut first_error, mut pos) = (0, None, 0);
        loop {
            let (result, read) =
                decoder.decode_to_string_without_replacement(&bytes[pos..], &mut text, true);
            pos += read;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => text.reserve(bytes.len() - pos + 16),
                DecoderResult::Malformed(bad, after) => {
                    let at = pos.saturating_sub(usize::from(bad) + usize::from(after));
                    first_error.get_or_insert(at + skipped);
                    errors += 1;
                    text.push('\u{FFFD}');
                }
            }
        }
        // Counted on bytes: one lead byte per character.
        let chars = text.bytes().filter(|b| b & 0xC0 != 0x80).count();
        let non_ascii = text.bytes().filter(|&b| b >= 0xC0).count() - errors;
        Lossy {
            text,
            encoding,
            errors,
            first_error,
            chars,
            non_ascii,
        }
    }
}

/// Bytes that are neither valid UTF-8 nor UTF-16: a damaged UTF-8 page or a GB18030 one (the
/// only legacy encoding the format knows). UTF-8 wins while at least nine in ten of its
/// non-ASCII sequences decode, since GB18030 and GBK text almost never does (and a GB18030
/// reading of UTF-8 would be mojibake without a single error); otherwise the reading with
/// fewer errors wins. Never a Latin code page: a damaged Chinese page stays Chinese.
fn utf8_or_gb18030(bytes: &[u8]) -> Lossy {
    let utf8 = Lossy::decode(UTF_8, bytes, 0);
    if utf8.errors * 9 <= utf8.non_ascii {
        return utf8;
    }
    let gb = Lossy::decode(GB18030, bytes, 0);
    if gb.errors < utf8.errors { gb } else { utf8 }
}

/// UTF-16 without a byte-order mark (old Windows exports), recognised by where its NUL
/// bytes fall: every ASCII character (newlines, digits, spaces) puts one in the high half
/// of its code unit, so text has many NULs at one parity and few at the other (a Han
/// character like U+4E00 has a NUL low half; binary data has NULs everywhere). At most one
/// code unit in a hundred may then be malformed (a lone surrogate). UTF-8 text has no NUL
/// bytes at all.
fn utf16_without_bom(bytes: &[u8]) -> Option<Lossy> {
    if bytes.len() < 4 || memchr::memchr(0, bytes).is_none() {
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
    let lossy = Lossy::decode(encoding, bytes, 0);
    (lossy.errors * 100 <= lossy.chars).then_some(lossy)
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

/// The format's name for one of the encodings [`decode_page`] reads (no other is ever
/// chosen, so no other name can reach the model).
fn standard_name(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else if encoding == GB18030 {
        "GB18030"
    } else {
        "UTF-8"
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

    const PAGE: &str = "## 平城区教育局确保双减工作落地落实\n\n本报讯（记者 丁亚琴）今年以来，平城区教育局把落实双减作为重点工作。\n";

    #[test]
    fn a_bad_byte_in_utf8_is_replaced_with_one_warning() {
        let mut bytes = PAGE.as_bytes().to_vec();
        let at = PAGE.find("教育").expect("in the page");
        bytes[at] = 0xFF;
        let d = dec(&bytes);
        assert_eq!(d.encoding, "UTF-8");
        // The lead byte of 教 is gone: it and its two orphaned continuation bytes are three
        // malformed sequences (as every WHATWG decoder counts them); 育 follows intact.
        assert!(
            d.text.starts_with("## 平城区\u{FFFD}\u{FFFD}\u{FFFD}育"),
            "{}",
            d.text
        );
        assert!(d.text.ends_with("重点工作。\n"));
        assert_eq!(
            d.warnings,
            [format!(
                "3 invalid UTF-8 byte sequences shown as \u{FFFD} (the first at byte {at})"
            )]
        );
    }

    #[test]
    fn a_page_cut_mid_character_is_text() {
        let bytes = &PAGE.as_bytes()[..PAGE.len() - 3]; // `。` loses its last byte
        let d = dec(bytes);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.ends_with("重点工作\u{FFFD}"), "{}", d.text);
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn gb18030_with_a_bad_sequence_stays_gb18030() {
        let (bytes, _, _) = GB18030.encode(PAGE);
        let mut bytes = bytes.into_owned();
        let at = bytes.len() / 2;
        bytes.insert(at, 0xFF);
        let d = dec(&bytes);
        assert_eq!(d.encoding, "GB18030");
        assert!(d.text.starts_with("## 平城区教育局"), "{}", d.text);
        assert!(d.text.contains('\u{FFFD}'));
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].contains("GB18030"), "{:?}", d.warnings);
    }

    #[test]
    fn damaged_utf8_with_bom_and_crlf_is_text() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(PAGE.replace('\n', "\r\n").as_bytes());
        bytes[9] = 0xFF; // the lead byte of 城: file offset 9, after the BOM and `## 平`
        let d = dec(&bytes);
        assert_eq!(d.encoding, "UTF-8");
        assert!(!d.text.contains('\r'));
        assert!(
            d.warnings[0].contains("the first at byte 9"),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn only_documented_encodings_are_named() {
        // Latin-1 prose, Big5, Shift_JIS: none is documented, none is named.
        let samples: [&[u8]; 3] = [
            b"Caf\xE9 cr\xE8me br\xFBl\xE9e, na\xEFve fa\xE7ade.",
            b"\xA5\xBB\xB3\xF8\xB0T \xA4\xB5\xA6~\xA5H\xA8\xD3",
            b"\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x83\x65\x83\x4c\x83\x58\x83\x67",
        ];
        for bytes in samples {
            if let Ok(d) = decode_page("x.txt", bytes) {
                assert!(
                    ["UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"].contains(&d.encoding),
                    "{}",
                    d.encoding
                );
            }
        }
    }

    #[test]
    fn empty_is_empty_utf8() {
        assert_eq!(dec(b"").text, "");
    }
}
