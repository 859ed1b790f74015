//! A small library written to a temp folder, the search cache built for it, and a way to
//! run a query and get the hits back.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dubao::library;
use dubao::search::build::build;
use dubao::search::{
    BuildOptions, CancelToken, Flow, Folder, Hit, LocalScan, Progress, Query, SearchBackend,
    SearchEvent,
};

pub struct Lib {
    pub root: tempfile::TempDir,
    pub cache: tempfile::TempDir,
    pub folder: Arc<Folder>,
}

impl Lib {
    pub fn new() -> Lib {
        Lib {
            root: tempfile::tempdir().expect("tempdir"),
            cache: tempfile::tempdir().expect("tempdir"),
            folder: Arc::new(Folder::new().expect("fold table")),
        }
    }

    /// `lib/<publication>/<date>/<name>` with these bytes.
    pub fn page(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root.path().join("lib").join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write page");
        path
    }

    pub fn dir(&self) -> PathBuf {
        self.cache.path().join("search")
    }

    /// Bring the cache up to date with the library as it is on disk now.
    pub fn build(&self) -> Progress {
        let index = library::scan(&[self.root.path().join("lib")]);
        build(
            &self.dir(),
            &index.issues,
            &self.folder,
            &BuildOptions::default(),
            &CancelToken::default(),
            &mut |_| {},
        )
        .expect("build")
    }

    pub fn scan(&self) -> LocalScan {
        LocalScan::open(self.dir(), Arc::clone(&self.folder))
    }

    pub fn search(&self, q: &str) -> Vec<Hit> {
        let query = Query::parse(q, &self.folder).expect("query");
        let mut hits = Vec::new();
        self.scan()
            .search(&query, &CancelToken::default(), &mut |h| {
                hits.push(h);
                Flow::Continue
            })
            .expect("search");
        hits
    }

    /// `date  title` of each hit, in order.
    pub fn titles(&self, q: &str) -> Vec<String> {
        self.search(q)
            .iter()
            .map(|h| {
                format!(
                    "{} {}",
                    h.date.map(|d| d.to_string()).unwrap_or_default(),
                    h.title
                )
            })
            .collect()
    }
}

pub fn article(title: &str, paras: &[&str]) -> String {
    let mut s = format!("## {title}\n\n");
    for p in paras {
        s.push_str(p);
        s.push_str("\n\n");
    }
    s
}

/// Ten daily issues (2026-11-01 … 10), each one page of `per_day` articles saying it snows,
/// titled by `title(day, k)`; built in one pass, or one pass per day (then each issue is its
/// own run in the scan).
pub fn snowy_days(per_day: usize, pass_per_day: bool, title: fn(u32, usize) -> String) -> Lib {
    let lib = Lib::new();
    for day in 1..=10 {
        let mut page = String::new();
        for k in 0..per_day {
            page.push_str(&article(&title(day, k), &["今天下雪。"]));
        }
        lib.page(&format!("日报/2026-11-{day:02}/01.txt"), page);
        if pass_per_day {
            lib.build();
        }
    }
    lib.build();
    lib
}

/// The hits a search's receiver got before its last event, and whether it was cancelled.
pub fn drain(rx: std::sync::mpsc::Receiver<SearchEvent>) -> (usize, bool) {
    let mut hits = 0;
    for event in rx {
        match event {
            SearchEvent::Hit(_) => hits += 1,
            SearchEvent::Done(s) => return (hits, s.cancelled),
            SearchEvent::Failed(e) => panic!("{e}"),
        }
    }
    panic!("no Done event");
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
