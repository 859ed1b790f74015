//! What a build pass must know of the cache before it reads anything — per listed issue, the
//! stamp and signature of its record; whether the manifest keeps issues the library no
//! longer lists; how many bytes of text are live — read from the manifest log line by line
//! without holding its records.
//!
//! Ten years of records are most of a megabyte in memory ([`super::journal`]). A reader's
//! pass that finds nothing to read (every later start without a new issue) now never holds
//! them: the journal is loaded to commit, or by the first search ([`super::LocalScan`]).
//!
//! The log is read twice, both times as a stream and from the one file opened (a rewrite
//! renamed into place meanwhile is not mixed in): first for where its last commit ends
//! (operations after it do not count), then for the operations up to there, each line
//! parsed as the journal parses it and dropped at once. Anything unusual — a header of
//! another format or table, a line that does not parse, a live record whose bytes are not
//! all in its segment (torn by a crash) — is not judged here: the survey gives up and the
//! pass loads the journal, whose rules decide ([`super::store::open_or_reset`]).

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use crate::library::IssueEntry;

use super::journal::{Header, Journal, Line, id_hash, stamp};
use super::manifest::{FORMAT_VERSION, MANIFEST, Manifest, segment_path};

/// What the manifest knows of an issue, for telling whether it must be read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Known {
    pub stamp: u64,
    pub signature: u64,
}

pub(super) struct Survey<'e> {
    issues: &'e [IssueEntry],
    /// Indexes into `issues`, ordered by id (of equal ids, the first listed first).
    order: Vec<u32>,
    /// By position in `order`: the live record's stamp and signature, and its text bytes.
    known: Vec<Option<(Known, u64)>>,
    /// Live records of issues the library does not list, with their text bytes.
    unlisted: HashMap<Box<str>, u64>,
    /// What the log read says a thin journal needs, to append without reading it again.
    journal: Option<Journal>,
}

/// Why the survey gave up: the pass loads the journal instead.
#[derive(Debug)]
pub(super) struct GaveUp;

impl From<io::Error> for GaveUp {
    fn from(_: io::Error) -> GaveUp {
        GaveUp
    }
}

impl<'e> Survey<'e> {
    fn empty(issues: &'e [IssueEntry]) -> Survey<'e> {
        let mut order: Vec<u32> = (0..issues.len() as u32).collect();
        // Stable: of equal ids, the first listed stays first.
        order.sort_by(|&a, &b| issues[a as usize].id.cmp(&issues[b as usize].id));
        Survey {
            issues,
            known: vec![None; order.len()],
            order,
            unlisted: HashMap::new(),
            journal: None,
        }
    }

    /// From a manifest already in memory (a journal loaded before the pass).
    pub fn of(manifest: &Manifest, issues: &'e [IssueEntry]) -> Survey<'e> {
        let mut s = Survey::empty(issues);
        for r in &manifest.issues {
            let bytes = r.text[1].saturating_sub(r.text[0]);
            s.put(
                &r.id,
                Known {
                    stamp: r.stamp,
                    signature: r.signature,
                },
                bytes,
            );
        }
        s
    }

    /// Read the manifest log of `dir` (written for format and fold table `fold`).
    pub fn read(dir: &Path, fold: &str, issues: &'e [IssueEntry]) -> Result<Survey<'e>, GaveUp> {
        let file = File::open(dir.join(MANIFEST))?;
        // Before reading (as `Journal::load`): a commit appended meanwhile changes it.
        let before = stamp(dir);
        let mut reader = BufReader::with_capacity(16 << 10, file);
        let mut line = Vec::new();
        // First: where the last commit ends, and that the header is this cache's.
        if reader.read_until(b'\n', &mut line)? == 0 || line.last() != Some(&b'\n') {
            return Err(GaveUp);
        }
        let header: Header = serde_json::from_slice(&line).map_err(|_| GaveUp)?;
        if header.format != FORMAT_VERSION || header.fold != fold {
            return Err(GaveUp);
        }
        let body = line.len() as u64;
        let (mut at, mut end) = (body, body);
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line)?;
            if n == 0 || line.last() != Some(&b'\n') {
                break;
            }
            at += n as u64;
            if line.starts_with(b"{\"commit\"") {
                end = at;
            }
        }
        // Then the operations up to there, applied as they come, from the same file: the
        // log only grows past `end` (a rewrite is a new file renamed into place).
        reader.seek(SeekFrom::Start(body))?;
        let mut s = Survey::empty(issues);
        let mut lens: HashMap<(u32, &str), u64> = HashMap::new();
        // Live records whose bytes are not all in their segment: what `open_or_reset`
        // drops. One replaced or dropped since does not count.
        let mut torn: HashSet<String> = HashSet::new();
        let (mut ops, mut live, mut next_segment) = (0, HashSet::new(), 1);
        let mut at = body;
        while at < end {
            line.clear();
            let n = reader.read_until(b'\n', &mut line)?;
            if n == 0 {
                return Err(GaveUp);
            }
            at += n as u64;
            ops += 1;
            let op = serde_json::from_slice::<Line>(&line).map_err(|_| GaveUp)?;
            match &op {
                Line::Put(r) => live.insert(id_hash(&r.id)),
                Line::Drop(id) => live.remove(&id_hash(id)),
                Line::Commit { next_segment: n } => {
                    next_segment = next_segment.max(*n);
                    true
                }
            };
            match op {
                Line::Put(r) => {
                    let mut len = |ext: &'static str| {
                        *lens.entry((r.segment, ext)).or_insert_with(|| {
                            fs::metadata(segment_path(dir, r.segment, ext)).map_or(0, |m| m.len())
                        })
                    };
                    if r.text[1] > len("txt") || r.idx[1] > len("idx") {
                        torn.insert(r.id.clone());
                    } else {
                        torn.remove(&r.id);
                    }
                    let known = Known {
                        stamp: r.stamp,
                        signature: r.signature,
                    };
                    s.put(&r.id, known, r.text[1].saturating_sub(r.text[0]));
                }
                Line::Drop(id) => {
                    torn.remove(&id);
                    s.drop(&id);
                }
                Line::Commit { .. } => {}
            }
        }
        if !torn.is_empty() {
            return Err(GaveUp);
        }
        s.journal = Some(Journal::thin_from(
            header,
            end,
            ops,
            live,
            next_segment,
            before,
        ));
        Ok(s)
    }

    /// A thin journal of the log as read ([`Journal::thin_from`]: no third read to append);
    /// none for a survey of a manifest in memory.
    pub fn take_journal(&mut self) -> Option<Journal> {
        self.journal.take()
    }

    fn position(&self, id: &str) -> Option<usize> {
        let at = self
            .order
            .partition_point(|&i| self.issues[i as usize].id.as_str() < id);
        let &i = self.order.get(at)?;
        (self.issues[i as usize].id == id).then_some(at)
    }

    fn put(&mut self, id: &str, known: Known, bytes: u64) {
        match self.position(id) {
            Some(at) => self.known[at] = Some((known, bytes)),
            None => {
                self.unlisted.insert(id.into(), bytes);
            }
        }
    }

    fn drop(&mut self, id: &str) {
        match self.position(id) {
            Some(at) => self.known[at] = None,
            None => {
                self.unlisted.remove(id);
            }
        }
    }

    /// What the manifest knows of issue `id`.
    pub fn known(&self, id: &str) -> Option<Known> {
        Some(self.known[self.position(id)?]?.0)
    }

    /// Bytes of text of issue `id`'s record (0: none).
    pub fn bytes(&self, id: &str) -> u64 {
        self.position(id)
            .and_then(|at| self.known[at])
            .map_or(0, |(_, b)| b)
    }

    /// Ids of the records the library does not list.
    pub fn unlisted_ids(&self) -> Vec<String> {
        self.unlisted.keys().map(ToString::to_string).collect()
    }

    /// Bytes of text of the records the library does not list.
    pub fn unlisted_bytes(&self) -> u64 {
        self.unlisted.values().sum()
    }

    /// Bytes of text the manifest refers to ([`Manifest::live_bytes`]).
    pub fn live_bytes(&self) -> u64 {
        let listed: u64 = self.known.iter().flatten().map(|&(_, b)| b).sum();
        listed + self.unlisted_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::build::{BuildOptions, build};
    use crate::search::journal::Journal;
    use crate::search::{CancelToken, Folder};

    /// Write the one page of issue 2026-11-`day` of the paper 日报 under `lib`.
    fn write_day(lib: &Path, day: u32, text: &str) {
        let dir = lib.join(format!("日报/2026-11-{day:02}"));
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("01.txt"), format!("# 第{day}日\n\n{text}\n")).expect("write");
    }

    /// One build pass of the library `lib` into the cache `dir`: its issues, and the
    /// options it ran with (its journal).
    fn pass(dir: &Path, lib: &Path, folder: &Folder) -> (Vec<IssueEntry>, BuildOptions) {
        let issues = crate::library::scan(&[lib.to_path_buf()]).issues;
        let opts = BuildOptions::default();
        build(
            dir,
            &issues,
            folder,
            &opts,
            &CancelToken::default(),
            &mut |_| {},
        )
        .expect("build");
        (issues, opts)
    }

    /// Three issues, built in two passes (two commits), the third changed and read again.
    fn cache() -> (tempfile::TempDir, Vec<IssueEntry>, String) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let lib = tmp.path().join("lib");
        let folder = Folder::from_pairs(&[]);
        write_day(&lib, 1, "今天下雪。");
        write_day(&lib, 2, "明天放晴。");
        pass(&tmp.path().join("c"), &lib, &folder);
        write_day(&lib, 3, "后天刮风。");
        write_day(&lib, 2, "明天放晴，气温回升。");
        let (issues, _) = pass(&tmp.path().join("c"), &lib, &folder);
        (tmp, issues, folder.version().to_string())
    }

    fn agrees(survey: &Survey, journal: &Journal) {
        let m = journal.manifest();
        for r in &m.issues {
            let known = Known {
                stamp: r.stamp,
                signature: r.signature,
            };
            assert_eq!(survey.known(&r.id), Some(known), "{}", r.id);
        }
        assert_eq!(survey.live_bytes(), m.live_bytes());
    }

    #[test]
    fn the_survey_knows_what_the_loaded_journal_knows() {
        let (tmp, issues, fold) = cache();
        let dir = tmp.path().join("c");
        let survey = Survey::read(&dir, &fold, &issues).expect("survey");
        let journal = Journal::load(&dir, &fold).expect("journal");
        assert_eq!(journal.manifest().issues.len(), 3);
        agrees(&survey, &journal);
        assert!(survey.unlisted_ids().is_empty());
        agrees(&Survey::of(journal.manifest(), &issues), &journal);
        // Listed without the newest issue: its record is one the library no longer lists.
        let fewer: Vec<IssueEntry> = issues
            .iter()
            .filter(|e| !e.id.ends_with("03"))
            .cloned()
            .collect();
        let survey = Survey::read(&dir, &fold, &fewer).expect("survey");
        assert_eq!(survey.unlisted_ids(), [issues[0].id.clone()]);
        assert_eq!(survey.live_bytes(), journal.manifest().live_bytes());
        assert_eq!(survey.known(&issues[0].id), None);
        assert!(survey.known(&issues[1].id).is_some());
    }

    #[test]
    fn the_surveys_thin_journal_stands_where_reading_the_log_thin_would() {
        let (tmp, issues, fold) = cache();
        let dir = tmp.path().join("c");
        // An uncommitted tail, as a crashed writer leaves it.
        let log = dir.join(MANIFEST);
        let text = fs::read_to_string(&log).expect("log");
        fs::write(&log, format!("{text}{{\"drop\":\"x\"}}\n")).expect("write");
        let mut survey = Survey::read(&dir, &fold, &issues).expect("survey");
        let thin = survey.take_journal().expect("a thin journal");
        let mut full = Journal::load(&dir, &fold).expect("journal");
        let (offset, ops, live, next, _) = full.position();
        assert_eq!(thin.position(), (offset, ops, live, next, true));
        full.fill(&dir).expect("fill");
        assert!(
            Survey::of(full.manifest(), &issues)
                .take_journal()
                .is_none()
        );
    }

    #[test]
    fn a_new_cache_is_filled_through_a_thin_journal_that_stands_where_the_log_does() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let lib = tmp.path().join("lib");
        for day in 1..=3 {
            write_day(&lib, day, "下雪。");
        }
        let folder = Folder::from_pairs(&[]);
        let dir = tmp.path().join("c");
        let (_, opts) = pass(&dir, &lib, &folder);
        // No records held for the three issues it appended…
        assert!(!opts.journal.holds_records());
        let mut slot = opts.journal.lock();
        let thin = slot.as_mut().expect("the build's journal");
        let full = Journal::load(&dir, folder.version()).expect("journal");
        assert_eq!(full.manifest().issues.len(), 3);
        let (offset, ops, live, next, _) = full.position();
        assert_eq!(thin.position(), (offset, ops, live, next, true));
        // …and they are there when asked for.
        thin.fill(&dir).expect("fill");
        assert_eq!(thin.manifest().issues.len(), 3);
    }

    #[test]
    fn operations_after_the_last_commit_do_not_count() {
        let (tmp, issues, fold) = cache();
        let dir = tmp.path().join("c");
        let log = dir.join(MANIFEST);
        let mut text = fs::read_to_string(&log).expect("log");
        let id = &issues[0].id;
        text.push_str(&format!("{{\"drop\":\"{id}\"}}\n{{\"put\":{{\"id\":\"x"));
        fs::write(&log, &text).expect("write");
        let survey = Survey::read(&dir, &fold, &issues).expect("survey");
        assert!(survey.known(id).is_some());
        agrees(&survey, &Journal::load(&dir, &fold).expect("journal"));
        // Committed, the drop counts.
        let committed = text.rsplit_once('\n').expect("line").0.to_string()
            + "\n{\"commit\":{\"next_segment\":2}}\n";
        fs::write(&log, committed).expect("write");
        let survey = Survey::read(&dir, &fold, &issues).expect("survey");
        assert_eq!(survey.known(id), None);
        agrees(&survey, &Journal::load(&dir, &fold).expect("journal"));
    }

    #[test]
    fn what_the_survey_cannot_judge_is_left_to_the_journal() {
        let (tmp, issues, fold) = cache();
        let dir = tmp.path().join("c");
        assert!(Survey::read(&dir, "another table", &issues).is_err());
        assert!(Survey::read(&tmp.path().join("none"), &fold, &issues).is_err());
        // A record whose bytes are not all in its segment (a crash after the commit).
        let seg = segment_path(&dir, 1, "txt");
        let len = fs::metadata(&seg).expect("segment").len();
        fs::OpenOptions::new()
            .write(true)
            .open(&seg)
            .and_then(|f| f.set_len(len - 1))
            .expect("truncate");
        assert!(Survey::read(&dir, &fold, &issues).is_err());
        // A line that does not parse, before the last commit.
        let log = dir.join(MANIFEST);
        let text = fs::read_to_string(&log).expect("log");
        let (head, rest) = text.split_once('\n').expect("header");
        fs::write(&log, format!("{head}\n{{\"put\":1}}\n{rest}")).expect("write");
        fs::write(&seg, vec![b' '; len as usize]).expect("segment");
        assert!(Survey::read(&dir, &fold, &issues).is_err());
    }

    #[test]
    fn a_torn_record_replaced_since_does_not_send_the_pass_to_the_journal() {
        let (tmp, issues, fold) = cache();
        let dir = tmp.path().join("c");
        let log = dir.join(MANIFEST);
        let text = fs::read_to_string(&log).expect("log");
        // The newest put of the first issue, as written.
        let id = &issues[0].id;
        let put = text
            .lines()
            .rfind(|l| l.contains(&format!("\"id\":\"{id}\"")))
            .expect("put")
            .to_string();
        let mut record: serde_json::Value = serde_json::from_str(&put).expect("json");
        record["put"]["text"] = serde_json::json!([0, 999_999_999]);
        let torn = record.to_string();
        let commit = "{\"commit\":{\"next_segment\":2}}";
        let with_torn = format!("{text}{torn}\n{commit}\n");
        fs::write(&log, &with_torn).expect("write");
        assert!(
            Survey::read(&dir, &fold, &issues).is_err(),
            "a live torn record"
        );
        // Written again whole since (as the pass that dropped it and read it again does).
        fs::write(&log, format!("{with_torn}{put}\n{commit}\n")).expect("write");
        let survey = Survey::read(&dir, &fold, &issues).expect("survey");
        agrees(&survey, &Journal::load(&dir, &fold).expect("journal"));
    }

    #[test]
    fn a_first_search_while_a_builder_holds_the_journal_reads_the_log_aside() {
        let (tmp, _, _) = cache();
        let folder = std::sync::Arc::new(Folder::from_pairs(&[]));
        let scan = crate::search::LocalScan::open(tmp.path().join("c"), folder);
        let journal = scan.journal();
        let held = journal.lock();
        let query = crate::search::Query::parse("晴", scan.folder()).expect("query");
        let summary = crate::search::SearchBackend::count(&scan, &query, &CancelToken::default())
            .expect("count");
        assert_eq!(summary.articles, 1);
        assert!(held.is_none(), "the held journal was not filled");
        drop(held);
        assert_eq!(scan.coverage_if_read().map(|c| c.issues), Some(3));
    }
}
