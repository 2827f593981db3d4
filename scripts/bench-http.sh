#!/usr/bin/env bash
# End-to-end HTTP figures for docs/performance.md: idle RSS of `qobe serve` and requests per
# second for an authenticated page on SQLite, measured with wrk from a second process.
# Usage: scripts/bench-http.sh [path-to-qobe-binary]   (default: target/release/qobe)
set -euo pipefail
bin=${1:-target/release/qobe}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
dir=$(mktemp -d)
port=18181
base="http://127.0.0.1:$port"
QOBE_DATA_DIR="$dir" QOBE_BIND="127.0.0.1:$port" QOBE_LOG=warn "$bin" >"$dir/out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
sleep 2
echo "idle RSS: $(ps -o rss= -p $pid | tr -d ' ') KiB"

# First-run setup through the real form: creates the operator and a session.
link=$(grep -o "$base/setup?token=[0-9a-f]*" "$dir/out.log")
jar="$dir/cookies"
page=$(curl -fs -c "$jar" -b "$jar" "$link")
csrf=$(printf '%s' "$page" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -n1 | sed 's/.*value="//; s/"//')
token=${link##*token=}
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" --data-urlencode "token=$token" \
  --data-urlencode "name=Bench Operator" --data-urlencode "email=bench@qobe.test" \
  --data-urlencode "password=correct horse battery" --data-urlencode "password_confirm=correct horse battery" \
  --data-urlencode "accept_terms=on" "$base/setup"
session=$(awk '$6 == "qobe_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "no session"; exit 1; }
curl -fs -o /dev/null -H "Cookie: qobe_session=$session" "$base/profile"

echo "authenticated GET /profile (session lookup, account load, template) on SQLite:"
wrk -t2 -c32 -d15s -H "Cookie: qobe_session=$session" "$base/profile"
echo "unauthenticated GET /login:"
wrk -t2 -c32 -d10s "$base/login"
echo "RSS after load: $(ps -o rss= -p $pid | tr -d ' ') KiB"
