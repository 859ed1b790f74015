//! The reader's command line and config → a resolved [`Setup`]: the library to show, the
//! state folder, keys, colours and display options. The reader itself (`ui`) never sees
//! clap or the config file.

use std::io::{self, IsTerminal};

use anyhow::Context;

use super::{AmbArg, GlobalArgs, ReaderArgs};
use crate::config::{Config, ConfigError, ConfigFile, Problem};
use crate::library;
use crate::state::Store;
use crate::text::AmbiguousWidth;
use crate::ui::app::{DEFAULT_MEASURE, Options};
use crate::ui::keymap::Keymap;
use crate::ui::view::theme::Theme;
use crate::ui::{Setup, term, tty};

/// The keys and colours of a config, and what is wrong with them. The one check both the
/// reader (which goes on with warnings) and `dubao config` (which reports them) use.
pub fn settings(cfg: &Config, color: bool) -> (Keymap, Theme, Vec<Problem>) {
    let (keymap, mut problems) = Keymap::new(&cfg.keys);
    let (theme, tw) = Theme::new(color, &cfg.colors);
    problems.extend(tw);
    (keymap, theme, problems)
}

/// Every problem of a config file, one line each, in file order: what `dubao config`
/// prints and what the reader warns of (or stops on).
pub fn config_report(file: &ConfigFile) -> Vec<String> {
    file.report(settings(&file.config, true).2)
}

/// Resolve everything the reader needs from a config already read (its problems with keys
/// and colours are warnings naming their key, without a line); `env` reads an environment
/// variable.
pub fn setup(
    args: &ReaderArgs,
    global: &GlobalArgs,
    cfg: &Config,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Setup> {
    setup_with_file(args, global, &ConfigFile::from_config(cfg.clone()), env)
}

/// [`setup`] from the config file as read. A file with problems of its own (syntax,
/// unknown keys, wrong kinds) stops the reader with all of them; problems with keys and
/// colours are start-up warnings, each at its line, the lines `dubao config` prints.
pub fn setup_with_file(
    args: &ReaderArgs,
    global: &GlobalArgs,
    file: &ConfigFile,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Setup> {
    if !file.problems.is_empty() {
        let lines = config_report(file);
        return Err(ConfigError::Problems { lines }.into());
    }
    let cfg = &file.config;
    let index = if !args.paths.is_empty() {
        library::scan(&args.paths)
    } else if !cfg.library.is_empty() {
        library::scan(&cfg.library_paths())
    } else {
        library::bundled()
    };
    let state_dir = global
        .state_dir
        .clone()
        .or_else(Store::default_dir)
        .context("no state directory: pass --state-dir")?;
    let mut warnings: Vec<String> = index
        .errors
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    let color = env("NO_COLOR").is_none_or(|v| v.is_empty());
    let (keymap, theme, problems) = settings(cfg, color);
    warnings.extend(file.report(problems));
    let utf8 = term::locale_is_utf8(&env);
    let amb = match args.ambiguous_width {
        Some(AmbArg::One) => Some(AmbiguousWidth::Narrow),
        Some(AmbArg::Two) => Some(AmbiguousWidth::Wide),
        Some(AmbArg::Auto) => None,
        None => cfg.amb(),
    };
    let opts = Options {
        amb: amb.unwrap_or(AmbiguousWidth::Narrow),
        indent: args.indent || cfg.indent,
        hang: cfg.hang.unwrap_or(true),
        mouse: !args.no_mouse && cfg.mouse.unwrap_or(true),
        ascii: args.ascii || cfg.ascii.unwrap_or(false) || !utf8,
        color,
        measure: cfg.measure.unwrap_or(DEFAULT_MEASURE),
        date: args.date,
    };
    Ok(Setup {
        index,
        state_dir,
        keymap,
        theme,
        opts,
        amb,
        parse: cfg.parse_options(),
        library: library::library_key(&args.paths, &cfg.library_paths()),
        local_terminal: true,
        warnings,
        search_cache: search_cache(&args.paths, cfg),
    })
}

/// The archive search cache of the library the reader shows (the one `dubao search` and
/// `dubao index` use); none for pages opened on their own.
fn search_cache(paths: &[std::path::PathBuf], cfg: &Config) -> Option<std::path::PathBuf> {
    let roots = if paths.is_empty() {
        cfg.library_paths()
    } else {
        paths.to_vec()
    };
    if !roots.is_empty() && roots.iter().all(|r| r.is_file()) {
        return None;
    }
    crate::search::manifest::cache_dir(None, &roots)
}

/// `dubao [PATH...]`: the reader on this terminal.
pub fn run(args: &ReaderArgs, global: &GlobalArgs, cfg: &ConfigFile) -> anyhow::Result<i32> {
    // Before the library scan: a terminal that cannot show the reader is refused at once.
    let tty = io::stdout().is_terminal() && io::stdin().is_terminal();
    tty::check_terminal(std::env::var("TERM").ok().as_deref(), tty)?;
    let setup = setup_with_file(args, global, cfg, |k| std::env::var(k).ok())?;
    tty::run(setup)
}
