//! The character classes of the Chinese line-breaking rules (W3C clreq "strict" level,
//! JIS X 4051 kinsoku), as used on top of UAX #14: what may not start a line, what may not
//! end one, which break opportunities the tailorings remove (T1, T3) and which marks may
//! hang into the right margin. Tables follow research/cjk-layout.md §1.2–1.5.

/// Characters that must not start a line: pause/stop marks, closing quotes and brackets,
/// connectors, interpuncts, ellipses, dashes, postfix units, iteration marks.
pub fn is_no_start(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '．'
            | '：'
            | '；'
            | '！'
            | '？'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
            | '”'
            | '’'
            | '」'
            | '』'
            | '〞'
            | '）'
            | ')'
            | '］'
            | ']'
            | '｝'
            | '}'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '】'
            | '》'
            | '〉'
            | '›'
            | '»'
            | '–'
            | '〜'
            | '—'
            | '～'
            | '―'
            | '⸺'
            | '⸻'
            | '・'
            | '‧'
            | '·'
            | '…'
            | '‥'
            | '⋯'
            | '%'
            | '％'
            | '‰'
            | '℃'
            | '°'
            | '々'
    )
}

/// Characters that must not end a line: opening quotes and brackets, currency prefixes.
pub fn is_no_end(c: char) -> bool {
    matches!(
        c,
        '“' | '‘'
            | '「'
            | '『'
            | '〝'
            | '（'
            | '('
            | '［'
            | '['
            | '｛'
            | '{'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '【'
            | '《'
            | '〈'
            | '‹'
            | '«'
            | '￥'
            | '$'
            | '¥'
            | '£'
            | '€'
            | '＄'
    )
}

/// T1: no break opportunity before these (UAX #14 allows one; clreq forbids it).
pub fn no_break_before(c: char) -> bool {
    matches!(c, '·' | '～' | '〜' | '—' | '―' | '⸺' | '⸻')
}

/// T3 (house rule): a run of printable ASCII (a Latin word, a number, a URL) is one unit;
/// UAX #14 would break a URL after `/` and a compound after `-`.
pub fn is_ascii_token(c: char) -> bool {
    c.is_ascii_graphic()
}

/// Marks that may hang into the 2-cell margin (simplified Chinese: all pause/stop marks).
pub fn is_hangable(c: char) -> bool {
    matches!(c, '，' | '。' | '、' | '．' | '；' | '：' | '！' | '？')
}

/// Characters of a number or Latin word that a break must not split (`123.5`, `COVID19`,
/// `www.dtnews.cn`) unless the run is wider than the line.
pub fn is_alnum_run(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.'
}

/// Spaces dropped at a line break (ASCII only: U+3000 is text, kept where it stands).
pub fn is_break_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_disjoint_where_they_must_be() {
        for c in "，。、；：！？”）》…—·%".chars() {
            assert!(is_no_start(c) && !is_no_end(c), "{c}");
        }
        for c in "“（《【「￥".chars() {
            assert!(is_no_end(c) && !is_no_start(c), "{c}");
        }
        assert!("，。、．；：！？".chars().all(is_hangable));
        assert!(!is_hangable('”') && !is_hangable(','));
    }
}
