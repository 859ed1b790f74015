#!/bin/sh
# Run the `parse` criterion bench RUNS times (default 5) and print, per input, each run's
# median and the median of those medians, in ms and MB/s (10^6 bytes). Wall time on a shared
# machine moves by tens of percent from minute to minute: one criterion run is not a figure.
# Usage: scripts/parse_bench.sh [RUNS] [FILTER]
set -eu
runs=${1:-5}
filter=${2:-}
cd "$(dirname "$0")/.."
cargo bench --bench parse --no-run >/dev/null 2>&1
out=target/parse_bench.txt
: >"$out"
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    touch target/parse_bench.stamp
    cargo bench --bench parse -- --warm-up-time 1 --measurement-time 4 $filter >/dev/null 2>&1
    for dir in target/criterion/parse/*/new; do
        # Only the inputs this run measured.
        [ "$dir/estimates.json" -nt target/parse_bench.stamp ] || continue
        name=$(basename "$(dirname "$dir")")
        ns=$(sed 's/.*"median":{"confidence_interval":{[^}]*},"point_estimate":\([0-9.e+]*\).*/\1/' "$dir/estimates.json")
        bytes=$(sed 's/.*"Bytes":\([0-9]*\).*/\1/' "$dir/benchmark.json")
        echo "$name $ns $bytes $(date +%s)" >>"$out"
    done
done
awk -v runs="$runs" '
{ n[$1]++; t[$1, n[$1]] = $2 / 1e6; b[$1] = $3 }
END {
    for (k in n) {
        m = n[k]
        for (i = 1; i <= m; i++) v[i] = t[k, i]
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
        med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
        runs_s = ""
        for (i = 1; i <= m; i++) runs_s = runs_s sprintf(" %.1f", v[i])
        printf "%-28s median of %d medians %8.1f ms = %6.1f MB/s   (runs, sorted:%s ms)\n", k, m, med, b[k] / med / 1e3, runs_s
    }
}' "$out" | sort
