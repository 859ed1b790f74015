#!/bin/sh
# The search figures on the varied generated archive: generate it once (kept in
# target/search_archive, or $SEARCH_ARCHIVE_DIR; delete it to start again), then run
# benches/search.rs in bench mode, which builds the cache, times the queries, checks recall
# against a brute-force pass over the parsed model, measures memory and a new issue, and
# times rg on the same files.
# Usage: scripts/search_bench.sh [ISSUES] [PAGES]   (default 3650 12: ~400 MB; expensive)
set -eu
issues=${1:-3650}
pages=${2:-12}
cd "$(dirname "$0")/.."
archive=${SEARCH_ARCHIVE_DIR:-target/search_archive}
cargo build --release --quiet --example gen_archive
cargo bench --bench search --no-run >/dev/null 2>&1
if [ ! -d "$archive/dubao-daily" ]; then
    nice -n 5 target/release/examples/gen_archive "$archive" --issues "$issues" --pages "$pages" --varied
fi
SEARCH_ARCHIVE=$archive nice -n 5 cargo bench --bench search
