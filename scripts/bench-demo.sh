#!/usr/bin/env bash
# Time and database size of `qobe demo --size S` on a fresh SQLite data folder.
# Usage: scripts/bench-demo.sh s|m|l [path-to-qobe-binary]   (default: target/release/qobe)
set -euo pipefail
size=${1:-m}
bin=${2:-target/release/qobe}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
start=$(date +%s.%N)
QOBE_DATA_DIR="$dir" QOBE_LOG=warn "$bin" demo --size "$size"
end=$(date +%s.%N)
# Fold the WAL into the main file so the size is the database's own.
QOBE_DATA_DIR="$dir" "$bin" migrate >/dev/null
python3 - "$dir/qobe.db" <<'PY' 2>/dev/null || true
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()
PY
printf 'demo --size %s: %.1f s wall, database %s\n' "$size" "$(echo "$end - $start" | bc)" "$(du -sh "$dir"/qobe.db* | awk '{print $1" "$2}' | tr '\n' ' ')"
