#!/usr/bin/env bash
# Load: N (50) concurrent OpenSSH sessions against one `dubao serve`, each holding `j`
# (a key every 33 ms, `k` back after every 8 so the view keeps changing) for S (10) seconds.
# Prints the server's memory per session, its CPU, the key -> next output time (median,
# p99, slowest) and the errors. Run it on a quiet machine; figures go into the README.
#
#   scripts/serve_load.sh               # N=50 S=10, target/release/dubao
#   N=10 S=5 scripts/serve_load.sh
# Needs: ssh, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUBAO=${DUBAO:-$ROOT/target/release/dubao}
N=${N:-50}
S=${S:-10}
PORT=${PORT:-23$((RANDOM % 90 + 10))}
WORK=$(mktemp -d /tmp/dubao-serve-load.XXXXXX)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# `dubao serve` runs the dubao-serve beside it: both must be there.
[ -x "$DUBAO" ] && [ -x "$(dirname "$DUBAO")/dubao-serve" ] || (cd "$ROOT" && cargo build --release --quiet --bins)
"$DUBAO" serve --listen "127.0.0.1:$PORT" --anonymous --max-sessions $((N + 5)) \
    --max-per-ip $((N + 5)) --state-dir "$WORK/data" --log "$WORK/serve.log" 2>"$WORK/serve.err" &
SERVER=$!
for _ in $(seq 50); do grep -q "listening" "$WORK/serve.err" 2>/dev/null && break; sleep 0.1; done
echo "$(nproc) cores, $(uname -sr), $("$DUBAO" --version)"
set +e
python3 "$ROOT/scripts/serve/ssh_client.py" load "$PORT" "$N" "$S" "$SERVER"
code=$?
set -e
kill -TERM "$SERVER"
wait "$SERVER" || code=1
echo "connections logged: $(wc -l <"$WORK/serve.log"), ended by quit: $(grep -c ' quit$' "$WORK/serve.log")"
[ "$code" = 0 ] || { echo "server's standard error:"; tail -20 "$WORK/serve.err"; }
exit $code
