#!/usr/bin/env bash
# `dubao serve` with the real OpenSSH client: log in with a key, read (next article,
# bookmark), resize, kill the client with SIGKILL -> the bookmark must be on disk at once;
# then SIGTERM the server -> exit 0. Prints what it saw; exit 1 on any failure.
#
#   scripts/serve_openssh.sh            # uses target/release/dubao (builds it if missing)
#   DUBAO=target/debug/dubao scripts/serve_openssh.sh
# Needs: ssh, ssh-keygen, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUBAO=${DUBAO:-$ROOT/target/release/dubao}
PORT=${PORT:-22$((RANDOM % 90 + 10))}
WORK=$(mktemp -d /tmp/dubao-serve-ssh.XXXXXX)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# `dubao serve` runs the dubao-serve beside it: both must be there.
[ -x "$DUBAO" ] && [ -x "$(dirname "$DUBAO")/dubao-serve" ] || (cd "$ROOT" && cargo build --release --quiet --bins)
ssh-keygen -q -t ed25519 -N '' -C reader -f "$WORK/key"
cp "$WORK/key.pub" "$WORK/authorized_keys"

"$DUBAO" serve --listen "127.0.0.1:$PORT" --authorized-keys "$WORK/authorized_keys" \
    --state-dir "$WORK/data" --log "$WORK/serve.log" 2>"$WORK/serve.err" &
SERVER=$!
for _ in $(seq 50); do grep -q "listening" "$WORK/serve.err" 2>/dev/null && break; sleep 0.1; done
cat "$WORK/serve.err"

FP=$(ssh-keygen -lf "$WORK/key.pub" | awk '{print $2}')
DIR="$WORK/data/serve/sha256-$(echo "${FP#SHA256:}" | tr '/+' '_-')"
set +e
python3 "$ROOT/scripts/serve/ssh_client.py" openssh "$PORT" "$WORK/key" "$SERVER" "$DIR"
saved=$?
set -e
echo "bookmarks of the key:"
"$DUBAO" bookmarks --state-dir "$DIR" | sed 's/^/  /'

kill -TERM "$SERVER"
set +e
wait "$SERVER"
code=$?
set -e
echo "server after SIGTERM: exit $code"
echo "connection log:"
sed 's/^/  /' "$WORK/serve.log"
[ "$saved" = 0 ] && [ "$code" = 0 ]
