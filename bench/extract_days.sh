#!/bin/sh
# extract_days.sh CORPUS_DIR OUT_DIR — unzips each SaudiNewsNet day into
# OUT_DIR/DAY.json once (the corpus is never copied into the repository).
set -eu
mkdir -p "$2"
ls "$1"/*.zip > /dev/null 2>&1 || { echo "extract_days.sh: no zips in $1" >&2; exit 1; }
for z in "$1"/*.zip; do
  d=$2/$(basename "$z" .zip).json
  [ -s "$d" ] || unzip -p "$z" > "$d"
done
