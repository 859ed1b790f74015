//! Any text as `config.toml`: a config or an error naming the file, never a panic; the
//! keymap and colours built from an accepted config never panic either.
#![no_main]

use std::path::Path;

use dubao::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::from_toml(text, Path::new("fuzz.toml")) {
        Ok(cfg) => {
            let _ = dubao::ui::keymap::Keymap::new(&cfg.keys);
            let _ = cfg.parse_options();
        }
        Err(e) => assert!(e.to_string().contains("fuzz.toml")),
    }
});
