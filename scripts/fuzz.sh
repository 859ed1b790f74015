#!/usr/bin/env bash
# Run every cargo-fuzz target for a bounded time (FUZZ_SECONDS, default 60 s each) when a
# nightly toolchain and cargo-fuzz are available; otherwise say why and skip (exit 0).
# A crash fails the script; its input is kept in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: skipped (no nightly toolchain; cargo-fuzz needs one)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: skipped (cargo-fuzz is not installed: cargo install cargo-fuzz)"
  exit 0
fi
mkdir -p fuzz/logs
for target in $(cargo +nightly fuzz list); do
  echo "fuzz: $target for ${seconds}s"
  log="fuzz/logs/$target.log"
  # -rss_limit_mb: a page or state file that costs a gigabyte is a finding too.
  if ! cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=1024 \
    -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "$log" | sed "s/^/fuzz: $target /"
done
