//! Folding: the one character map applied to the cached text and to every query, so that a
//! search for `covid` finds `ＣＯＶＩＤ`, `Covid` and `COVID`, and 國 finds 国.
//!
//! The map is strictly one character to one character: a folded text has exactly as many
//! characters as the original, so a hit's character offset in the folded text is its offset
//! in the article ([`crate::model::TextPos`]). What it folds:
//!
//! - full-width ASCII (U+FF01–U+FF5E) to ASCII, and the ideographic space U+3000 to a space
//!   (Lucene's `cjk_width`);
//! - case: any letter whose lower case is one character (ASCII, Latin, Greek, Cyrillic);
//! - traditional to simplified Chinese, character by character, from OpenCC's
//!   `TSCharacters` table as the `ferrous-opencc` crate embeds it. Only its single-character
//!   mappings are used (OpenCC's phrase table would change lengths and depends on context,
//!   so a query and the text it should match could fold differently);
//! - C0 controls other than tab and newline to a space: the cache uses NUL and newline as
//!   separators, and a page's own control characters must not be mistaken for them.
//!
//! [`Folder::version`] names the table (rules version + a hash of the 繁→简 pairs), so a
//! cache folded by an older table is rebuilt rather than silently missing hits.

use std::collections::HashMap;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// Bumped whenever a folding rule above changes.
const RULES_VERSION: u32 = 1;

/// Code point ranges where OpenCC's `TSCharacters` has keys (CJK punctuation and ideographs,
/// compatibility ideographs, the supplementary ideograph planes).
const T2S_RANGES: [(u32, u32); 3] = [(0x3000, 0x9FFF), (0xF900, 0xFAFF), (0x2_0000, 0x2_FFFF)];

/// Dense table for the BMP part of [`T2S_RANGES`] (indexed from 0x3000), a map for the rest.
#[derive(Debug, Clone)]
pub struct Folder {
    bmp: Vec<char>,
    other: HashMap<char, char>,
    version: String,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot load the traditional→simplified table: {0}")]
pub struct FoldTableError(String);

impl Folder {
    /// Build the table from the embedded OpenCC dictionary (a few tens of milliseconds:
    /// every candidate character is converted once, one per line).
    pub fn new() -> Result<Folder, FoldTableError> {
        let cc =
            OpenCC::from_config(BuiltinConfig::T2s).map_err(|e| FoldTableError(e.to_string()))?;
        let mut input = String::with_capacity(400_000);
        for &(lo, hi) in &T2S_RANGES {
            for c in (lo..=hi).filter_map(char::from_u32) {
                input.push(c);
                input.push('\n');
            }
        }
        let output = cc.convert(&input);
        let mut pairs: Vec<(char, char)> = Vec::new();
        for (from, to) in input.lines().zip(output.lines()) {
            let mut f = from.chars();
            let mut t = to.chars();
            // Only one character to one other character; anything else stays as it is.
            if let (Some(a), None, Some(b), None) = (f.next(), f.next(), t.next(), t.next())
                && a != b
            {
                pairs.push((a, b));
            }
        }
        Ok(Folder::from_pairs(&pairs))
    }

    /// A folder with this 繁→简 table (tests use a tiny one).
    pub fn from_pairs(pairs: &[(char, char)]) -> Folder {
        let span = (0xA000 - 0x3000) as usize;
        let mut bmp: Vec<char> = (0x3000..0xA000).filter_map(char::from_u32).collect();
        debug_assert_eq!(bmp.len(), span);
        let mut other = HashMap::new();
        // FNV-1a over the pairs: the table's identity in the cache manifest.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &(a, b) in pairs {
            for v in [a as u32, b as u32] {
                for byte in v.to_le_bytes() {
                    h ^= u64::from(byte);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
            }
            match (a as u32).checked_sub(0x3000) {
                Some(i) if (i as usize) < bmp.len() => bmp[i as usize] = b,
                _ => {
                    other.insert(a, b);
                }
            }
        }
        Folder {
            bmp,
            other,
            version: format!("{RULES_VERSION}-{}-{h:016x}", pairs.len()),
        }
    }

    /// Names the rules and the table, for the cache manifest.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The folded form of one character.
    #[inline]
    pub fn fold_char(&self, c: char) -> char {
        let u = c as u32;
        if u < 0x80 {
            return match c {
                'A'..='Z' => c.to_ascii_lowercase(),
                '\t' | '\n' => c,
                '\0'..='\u{1f}' => ' ',
                _ => c,
            };
        }
        match u {
            0x3000 => ' ',
            0x3001..=0x9FFF => self.bmp[(u - 0x3000) as usize],
            0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase()),
            0x80..=0x052F => {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => l,
                    _ => c,
                }
            }
            0x2_0000.. | 0xF900..=0xFAFF => self.other.get(&c).copied().unwrap_or(c),
            _ => c,
        }
    }

    /// Fold `s` into `out` (appended). Same number of characters as `s`.
    pub fn fold_into(&self, s: &str, out: &mut String) {
        out.reserve(s.len());
        out.extend(s.chars().map(|c| self.fold_char(c)));
    }

    pub fn fold(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        self.fold_into(s, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Folder {
        Folder::from_pairs(&[('國', '国'), ('發', '发'), ('𠁞', '𠀾')])
    }

    #[test]
    fn width_case_and_chinese_fold_one_to_one() {
        let f = tiny();
        let s = "ＣＯＶＩＤ－１９　國發Ärger𠁞";
        let folded = f.fold(s);
        assert_eq!(folded, "covid-19 国发ärger𠀾");
        assert_eq!(folded.chars().count(), s.chars().count());
    }

    #[test]
    fn controls_become_spaces_but_tab_and_newline_stay() {
        assert_eq!(tiny().fold("a\0b\u{1b}c\td\ne"), "a b c\td\ne");
    }

    #[test]
    fn the_opencc_table_folds_traditional_characters() {
        let f = Folder::new().unwrap();
        let s = "國際發展與臺灣經濟，中国发展";
        assert_eq!(f.fold(s), "国际发展与台湾经济,中国发展");
        // Simplified text is left as it is.
        assert_eq!(f.fold("中国发展"), "中国发展");
    }

    #[test]
    fn the_version_names_the_table() {
        assert_ne!(tiny().version(), Folder::from_pairs(&[]).version());
    }
}
