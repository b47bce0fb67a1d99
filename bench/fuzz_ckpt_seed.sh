#!/bin/sh
# fuzz_ckpt_seed.sh — writes the assigner state (src/story/cluster_state.c)
# that this rasd saves after grouping the seed articles, as the seed of
# fuzz_ckpt's corpus: OUT (default build/fuzz/corpus-fuzz_ckpt/seed-state).
# The state is the tail of the store's grouping checkpoint (stories.c,
# "checkpoints": ..., state length as a little-endian u64, state bytes).
# Made again by `make fuzz` whenever rasd changes, so the seed is always of
# the loader's own version (a kept seed of an older CL_STATE_VERSION would
# only ever be refused).
#   sh bench/fuzz_ckpt_seed.sh RASD [OUT]
set -eu
RASD=${1:-build/rasd}
OUT=${2:-build/fuzz/corpus-fuzz_ckpt/seed-state}
work=$(mktemp -d /tmp/rasd-ckpt-seed.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$RASD" ingest -q --db "$work/s.db" --manifest examples/seeds/manifest.jsonl examples/seeds > "$work/log" 2>&1
mkdir -p "$(dirname "$OUT")"
/usr/bin/python3 - "$work/s.db" "$OUT" <<'PY'
import sqlite3, struct, sys
row = sqlite3.connect(sys.argv[1]).execute("SELECT data FROM story_checkpoint").fetchone()
if not row or not row[0]:
    sys.exit("fuzz_ckpt_seed: the store has no grouping checkpoint")
b = bytes(row[0])
for off in range(16, len(b) - 8):  # the u64 that gives the length of the rest
    n = struct.unpack_from("<Q", b, off)[0]
    if n and off + 8 + n == len(b):
        open(sys.argv[2], "wb").write(b[off + 8:])
        break
else:
    sys.exit("fuzz_ckpt_seed: no state found in the checkpoint")
PY
