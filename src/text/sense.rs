//! Where a heading may break, by the cheap signals there are without a segmentation
//! dictionary: spaces, punctuation, script changes, quotation marks, a few function words that
//! open a phrase, particles and word-final suffixes that close a word, and two-ideograph runs
//! standing between marks. `heading`'s balancing adds [`break_penalty`] to the squared slack
//! of its lines, so a word is parted only when every break between words is further from even.

/// A break where nothing says it is good or bad (between two ideographs). Setting two lines
/// one character (2 cells) further from even costs 8 more squared slack when they were even,
/// 16 when they were a character apart: this is more, so a free break within a character of
/// the best one wins.
const ORDINARY_BREAK: u64 = 20;
/// A break that splits what is surely one word (`患|者`, `背后|的` before the particle, a
/// two-ideograph run standing between marks): avoided for an ordinary break about a
/// character further from even, or a free one about two.
const BAD_BREAK: u64 = 40;
/// A break inside quotation marks (`“银|发读者”`, `“一|站式”`): a quoted phrase is a name or a
/// slogan, worth about three characters off even.
const QUOTED_BREAK: u64 = 100;

/// Particles bound to the word before them (`背后的`, `开展了`): a break before one, or before
/// the last ideograph ahead of one (most words before a particle have two), splits a word.
fn is_particle(c: char) -> bool {
    matches!(c, '的' | '地' | '得' | '了' | '着' | '过')
}

/// Word-final suffixes of two-character words: a break before one splits a word (`患|者`,
/// `我|们`). Not 性 化 率 式 型, which end three-character words as often (`整改|率`,
/// `现代|化`), where the break before them is the right one.
fn is_suffix(c: char) -> bool {
    matches!(c, '们' | '者')
}

/// Function words that open a phrase (prepositions, conjunctions, negation, adverbs) and
/// seldom end a word: a break before one falls between words (`患者|不出县城`, `|让山区`).
/// Not 为 与 及 以 于 对 向 都, which end common words (成为, 参与, 以及, 可以, 关于, 针对,
/// 面向, 首都).
fn opens_phrase(c: char) -> bool {
    matches!(
        c,
        '和' | '并' | '在' | '让' | '把' | '被' | '从' | '不' | '再' | '又' | '也' | '已'
    )
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Net opening quotation marks and brackets in `s` (`“一站式”` is +1 then −1).
pub(super) fn quote_depth_change(s: &str) -> i32 {
    s.chars()
        .map(|c| match c {
            '“' | '‘' | '「' | '『' | '《' | '〈' => 1,
            '”' | '’' | '」' | '』' | '》' | '〉' => -1,
            _ => 0,
        })
        .sum()
}

/// What a line break costs between `t[..end]` and `t[next..]` in a heading, by the cheap
/// signals there are without a dictionary: free at a space, after punctuation, before an
/// opening mark and where the script changes (`“双减”|工作`, `5G|网络`); inside quotation
/// marks it costs [`QUOTED_BREAK`]; before a particle or suffix (or one ideograph before a
/// particle), or through a two-ideograph run standing between marks, [`BAD_BREAK`]; before a phrase-opening function word or after a particle
/// it is free; anywhere else between two ideographs [`ORDINARY_BREAK`].
pub(super) fn break_penalty(t: &str, end: usize, next: usize, spaced: bool, quoted: bool) -> u64 {
    let (Some(a), Some(b)) = (t[..end].chars().next_back(), t[next..].chars().next()) else {
        return 0;
    };
    if quoted {
        return QUOTED_BREAK;
    }
    if spaced || !is_han(a) || !is_han(b) {
        return 0;
    }
    let before_a = t[..end - a.len_utf8()].chars().next_back();
    let after_b = t[next + b.len_utf8()..].chars().next();
    let lone_pair = !before_a.is_some_and(is_han) && !after_b.is_some_and(is_han);
    let splits_word = is_particle(b) || is_suffix(b) || after_b.is_some_and(is_particle);
    if splits_word || lone_pair {
        BAD_BREAK
    } else if opens_phrase(b) || is_particle(a) {
        0
    } else {
        ORDINARY_BREAK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cost of a break at `|` in `s`.
    fn cost(s: &str) -> u64 {
        let at = s.find('|').unwrap_or(0);
        let t = s.replace('|', "");
        let quoted = quote_depth_change(&t[..at]) > 0;
        break_penalty(&t, at, at, false, quoted)
    }

    #[test]
    fn breaks_between_words_are_cheaper_than_inside_one() {
        assert_eq!(cost("山区患者|不出县城"), 0, "before a function word");
        assert_eq!(cost("背后的|安全"), 0, "after a particle");
        assert_eq!(cost("“双减”|工作"), 0, "after a mark");
        assert_eq!(cost("5G|网络"), 0, "a change of script");
        assert_eq!(cost("冬季长跑|健身"), ORDINARY_BREAK);
        assert_eq!(cost("山区患|者"), BAD_BREAK, "before a suffix");
        assert_eq!(cost("背后|的"), BAD_BREAK, "before a particle");
        assert_eq!(
            cost("背|后的"),
            BAD_BREAK,
            "inside the word before a particle"
        );
        assert_eq!(cost("，服|务。"), BAD_BREAK, "a lone pair between marks");
        assert_eq!(cost("“银|发读者”"), QUOTED_BREAK);
    }
}
