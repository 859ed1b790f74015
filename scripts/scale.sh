#!/usr/bin/env bash
# Whole-process scale figures for dubao on a generated archive (ten years of a daily:
# 3,650 issues x 4 pages). Prints medians of REPS runs as a Markdown table.
#
#   scripts/scale.sh                 # everything that can run now
#   REPS=5 OUT=/tmp/dubao-scale scripts/scale.sh
#   NEXT=']' scripts/scale.sh        # the reader's next-issue key, if it differs
#
# Measures:
#   1. scan (in-process, names only): `gen_archive --scan-only`, wall ms and peak RSS
#   2. CLI start: `dubao --version`, `dubao parse PAGE` wall ms and peak RSS (/usr/bin/time)
#   3. the reader (once it is built): start to first frame and peak RSS, then peak RSS and
#      per-key time over 500 next-issue keys, with /work/shared/tools/termprobe (pyte 0.8.2)
# Needs: /usr/bin/time (apt-get install time), python3 + pyte==0.8.2 for part 3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/dubao-scale}
ARCHIVE=$OUT/archive
REPS=${REPS:-5}
NEXT=${NEXT:-]}
ISSUES=${ISSUES:-3650}
PAGES=${PAGES:-4}
TERMPROBE=${TERMPROBE:-/work/shared/tools/termprobe/termprobe.py}
DUBAO=$ROOT/target/release/dubao
GEN=$ROOT/target/release/examples/gen_archive
NEWEST=2026-11-28

[ -x /usr/bin/time ] || { echo "need /usr/bin/time: apt-get install -y time" >&2; exit 2; }
mkdir -p "$OUT"
(cd "$ROOT" && cargo build --release --quiet --bin dubao --example gen_archive)

if [ ! -f "$ARCHIVE/.done-$ISSUES-$PAGES" ]; then
    rm -rf "$ARCHIVE"
    "$GEN" "$ARCHIVE" --issues "$ISSUES" --pages "$PAGES"
    touch "$ARCHIVE/.done-$ISSUES-$PAGES"
fi
du -sh --apparent-size "$ARCHIVE" | awk '{print "archive size: " $1}'

median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
minmax() { sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "–" hi}'; }

# run_timed LABEL CMD...: REPS runs; wall ms and peak RSS (kB) via /usr/bin/time.
run_timed() {
    local label=$1; shift
    local walls=() rss=()
    for _ in $(seq "$REPS"); do
        local t0 t1
        t0=$EPOCHREALTIME
        /usr/bin/time -o "$OUT/time.txt" -f "%M" "$@" >/dev/null 2>&1 || true
        t1=$EPOCHREALTIME
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b-a)*1000}')")
        rss+=("$(tail -1 "$OUT/time.txt")")
    done
    printf '| %s | %s ms (%s) | %s kB (%s) |\n' "$label" \
        "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${walls[@]}" | minmax)" \
        "$(printf '%s\n' "${rss[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | minmax)"
}

echo
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $REPS runs, median (min–max)"
echo
echo "| what | wall | peak RSS |"
echo "|---|---|---|"
run_timed "scan $ISSUES×$PAGES (gen_archive --scan-only, whole process)" "$GEN" "$ARCHIVE" --scan-only
run_timed "dubao --version" "$DUBAO" --version
run_timed "dubao parse one page" "$DUBAO" parse "$ARCHIVE/dubao-daily/$NEWEST/01.txt"

scans=()
for _ in $(seq "$REPS"); do
    scans+=("$("$GEN" "$ARCHIVE" --scan-only | awk '{print $(NF-1)}')")
done
echo
echo "scan alone, in-process: $(printf '%s\n' "${scans[@]}" | median) ms ($(printf '%s\n' "${scans[@]}" | minmax))"

# Two more layouts: year/month/day folders (deferred like dated names) and undated
# numbered folders (第0001期), every one of which is opened at start-up: the slow case.
for layout in nested numbered; do
    TREE=$OUT/$layout
    if [ ! -f "$TREE/.done-$ISSUES-$PAGES" ]; then
        rm -rf "$TREE"
        "$GEN" "$TREE" --issues "$ISSUES" --pages "$PAGES" "--$layout" >/dev/null
        touch "$TREE/.done-$ISSUES-$PAGES"
    fi
    scans=()
    for _ in $(seq "$REPS"); do
        scans+=("$("$GEN" "$TREE" --scan-only | awk '{print $(NF-1)}')")
    done
    echo "scan alone, in-process, $layout layout: $(printf '%s\n' "${scans[@]}" | median) ms ($(printf '%s\n' "${scans[@]}" | minmax))"
done

# The library layer of "memory after visiting 500 issues": loader + LRU, no UI.
echo
"$GEN" "$ARCHIVE" --scan-only --visit 500 | sed 's/^/library layer: /'

# Part 3: the reader. The skeleton's reader says it is not built; skip then.
reader_says=$(timeout 3 "$DUBAO" "$ARCHIVE" </dev/null 2>&1 || true)
if grep -q "not built yet" <<<"$reader_says"; then
    echo
    echo "reader not built yet: skipping start-to-first-frame and 500-issue figures"
    exit 0
fi
if ! python3 -c 'import pyte' 2>/dev/null; then
    echo "need pyte for the reader figures: pip install pyte==0.8.2" >&2
    exit 2
fi
probe() {
    python3 "$TERMPROBE" --script "$ROOT/scripts/termprobe/$1.json" --repeat "$REPS" \
        --var DUBAO="$DUBAO" --var ARCHIVE="$ARCHIVE" --var NEWEST="$NEWEST" --var NEXT="$NEXT" \
        --out "$OUT/$1.json" >/dev/null || echo "termprobe $1: some runs failed (see $OUT/$1.json)" >&2
    python3 - "$OUT/$1.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s = r.get("summary") or {}
def fig(key, unit):
    v = s.get(key)
    return f"{v['median']:g} {unit} ({v['min']:g}–{v['max']:g})" if v else "n/a"
print(f"| {sys.argv[1].rsplit('/', 1)[-1][:-5]} | first frame {fig('first-screen.at_ms', 'ms')} "
      f"| peak RSS {fig('peak_rss_kb', 'kB')} "
      f"| per key {fig('next-issue.median_last_byte_ms', 'ms')} |")
PY
}
echo
echo "| reader run | start to first frame | peak RSS | next-issue key, last byte |"
echo "|---|---|---|---|"
probe dubao-archive-start
probe dubao-archive-visit
