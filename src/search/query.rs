//! The query language: what a reader types into the search line.
//!
//! - a term is a substring of any length (one character finds every article with it);
//! - terms separated by whitespace must all occur in the article (AND);
//! - `"…"` (or `“…”`) keeps a phrase with spaces as one term;
//! - `-term` / `-"…"` excludes articles that contain it;
//! - filters: `date:2021`, `date:2021-05`, `date:2021-05-03`, `date:2020-03..2020-06` (either
//!   end may be left open), `pub:NAME` (publication contains NAME), `page:N` (the N-th page
//!   of its issue), `in:title` (terms must occur in the headline), `by:NAME` (a byline or
//!   dateline author contains NAME).
//!
//! Terms and names are folded with the same [`Folder`] as the cached text. A word such as
//! `12:30` whose prefix is not a filter name is an ordinary term. Anything else that cannot be
//! understood is a [`QueryError`] whose message says what to type instead.

use crate::model::Date;

use super::fold::Folder;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Folded terms that must all occur.
    pub terms: Vec<String>,
    /// Folded terms that must not occur.
    pub exclude: Vec<String>,
    /// Inclusive date range (either end open).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Folded publication names; the publication must contain one of each.
    pub publications: Vec<String>,
    /// 1-based page number within the issue.
    pub page: Option<usize>,
    /// The terms must occur in the headline (section, kicker, title, subtitle).
    pub in_title: bool,
    /// Folded author names that must all occur among the article's authors.
    pub authors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("nothing to search for: type a word, a “phrase”, or by:NAME")]
    Empty,
    #[error("a quote is not closed: {0}")]
    Unclosed(String),
    #[error("“-” needs a word after it (-word excludes articles with that word)")]
    BareMinus,
    #[error("{0}: needs a value ({1})")]
    NoValue(&'static str, &'static str),
    #[error("date:{0}: not a date (use 2021, 2021-05, 2021-05-03, or a range 2020-03..2020-06)")]
    BadDate(String),
    #[error("page:{0}: not a page number (use page:1 for the first page of an issue)")]
    BadPage(String),
    #[error("in:{0}: unknown (only in:title is understood)")]
    BadIn(String),
    #[error("{0} given twice")]
    Twice(&'static str),
}

/// How each filter is written, for [`QueryError::NoValue`].
const FILTERS: [(&str, &str); 5] = [
    ("date", "date:2021, date:2021-05 or date:2020-03..2020-06"),
    ("pub", "pub:NAME"),
    ("page", "page:1"),
    ("in", "in:title"),
    ("by", "by:NAME"),
];

impl Query {
    /// Parse `input`, folding terms with `folder`.
    pub fn parse(input: &str, folder: &Folder) -> Result<Query, QueryError> {
        let mut q = Query {
            terms: vec![],
            exclude: vec![],
            from: None,
            to: None,
            publications: vec![],
            page: None,
            in_title: false,
            authors: vec![],
        };
        let mut seen_date = false;
        for token in tokens(input)? {
            let Token {
                text,
                negated,
                quoted,
            } = token;
            if !quoted
                && !negated
                && let Some((key, value)) = filter(&text)
            {
                q.filter(key, value, folder, &mut seen_date)?;
                continue;
            }
            if text.is_empty() {
                if negated {
                    return Err(QueryError::BareMinus);
                }
                continue;
            }
            let folded = folder.fold(&text);
            if negated {
                q.exclude.push(folded);
            } else {
                q.terms.push(folded);
            }
        }
        if q.terms.is_empty() && q.authors.is_empty() {
            return Err(QueryError::Empty);
        }
        Ok(q)
    }

    fn filter(
        &mut self,
        key: &'static str,
        value: &str,
        folder: &Folder,
        seen_date: &mut bool,
    ) -> Result<(), QueryError> {
        if value.is_empty() {
            let how = FILTERS.iter().find(|(k, _)| *k == key).map_or("", |f| f.1);
            return Err(QueryError::NoValue(key, how));
        }
        match key {
            "date" => {
                if std::mem::replace(seen_date, true) {
                    return Err(QueryError::Twice("date:"));
                }
                let (from, to) = date_range(value)?;
                self.from = from;
                self.to = to;
            }
            "pub" => self.publications.push(folder.fold(value)),
            "page" => {
                if self.page.is_some() {
                    return Err(QueryError::Twice("page:"));
                }
                match value.parse::<usize>() {
                    Ok(n) if n > 0 => self.page = Some(n),
                    _ => return Err(QueryError::BadPage(value.into())),
                }
            }
            "in" => {
                if !value.eq_ignore_ascii_case("title") {
                    return Err(QueryError::BadIn(value.into()));
                }
                self.in_title = true;
            }
            _ => self.authors.push(folder.fold(value)),
        }
        Ok(())
    }

    /// True when `date` passes the date filter (an undated issue passes only without one).
    pub fn date_matches(&self, date: Option<Date>) -> bool {
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        date.is_some_and(|d| self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t))
    }

    /// True when the (folded) publication passes every `pub:` filter.
    pub fn publication_matches(&self, folded: Option<&str>) -> bool {
        self.publications
            .iter()
            .all(|p| folded.is_some_and(|name| name.contains(p.as_str())))
    }
}

struct Token {
    text: String,
    negated: bool,
    quoted: bool,
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Split on whitespace, keeping quoted phrases (`"…"` or `“…”`) whole.
fn tokens(input: &str) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| is_space(*c)).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(out);
        };
        let negated = first == '-';
        if negated {
            chars.next();
        }
        let mut text = String::new();
        let mut quoted = false;
        if let Some(close) = chars.peek().and_then(|c| closing_quote(*c)) {
            chars.next();
            quoted = true;
            let mut closed = false;
            for c in chars.by_ref() {
                if c == close {
                    closed = true;
                    break;
                }
                // A phrase is matched against text where whitespace is one space.
                if is_space(c) {
                    if !text.ends_with(' ') {
                        text.push(' ');
                    }
                } else {
                    text.push(c);
                }
            }
            if !closed {
                return Err(QueryError::Unclosed(text));
            }
            text = text.trim().to_string();
            if text.is_empty() && !negated {
                continue;
            }
        } else {
            while let Some(c) = chars.next_if(|c| !is_space(*c)) {
                text.push(c);
            }
        }
        out.push(Token {
            text,
            negated,
            quoted,
        });
    }
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        _ => None,
    }
}

/// `date:…` → `("date", "…")` for the known filter names; anything else is a term.
fn filter(word: &str) -> Option<(&'static str, &str)> {
    let (key, value) = word.split_once(':').or_else(|| word.split_once('：'))?;
    FILTERS
        .iter()
        .find(|(k, _)| key.eq_ignore_ascii_case(k))
        .map(|(k, _)| (*k, value))
}

/// `2021` → the whole year, `2021-05` → the month, `A..B` → from the start of A to the end
/// of B.
fn date_range(value: &str) -> Result<(Option<Date>, Option<Date>), QueryError> {
    let bad = || QueryError::BadDate(value.into());
    if let Some((a, b)) = value.split_once("..") {
        let from = if a.is_empty() {
            None
        } else {
            Some(period(a).ok_or_else(bad)?.0)
        };
        let to = if b.is_empty() {
            None
        } else {
            Some(period(b).ok_or_else(bad)?.1)
        };
        if from.is_none() && to.is_none() {
            return Err(bad());
        }
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(bad());
        }
        return Ok((from, to));
    }
    let (from, to) = period(value).ok_or_else(bad)?;
    Ok((Some(from), Some(to)))
}

/// First and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (`/` and `.` also separate).
fn period(s: &str) -> Option<(Date, Date)> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    if parts[0].len() != 4 {
        return None;
    }
    let year = num(parts[0])?;
    let date = |m: u32, d: u32| crate::library::valid_date(year, m, d);
    match parts.len() {
        1 => Some((date(1, 1)?, date(12, 31)?)),
        2 => {
            let m = num(parts[1])?;
            let last = (28..=31).rev().find_map(|d| date(m, d))?;
            Some((date(m, 1)?, last))
        }
        3 => {
            let d = date(num(parts[1])?, num(parts[2])?)?;
            Some((d, d))
        }
        _ => None,
    }
}
