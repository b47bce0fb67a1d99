#!/bin/sh
# gen_corpus.sh OUT_DIR FILES PER_FILE — writes FILES JSON Lines files of
# PER_FILE synthetic articles, each a deterministic mix of sentences from
# the bundled seed articles plus a unique number, for crash and scale tests.
set -eu
out=$1; files=$2; per=$3
mkdir -p "$out"
cat examples/seeds/*.txt | tr '\n' ' ' | awk -v files="$files" -v per="$per" -v out="$out" '
{ n = split($0, raw, /[.!?؟] /); m = 0
  for (i = 1; i <= n; i++) if (length(raw[i]) > 40) { s[++m] = raw[i]; gsub(/\\/, "", s[m]); gsub(/"/, "\\\"", s[m]) } }
END { srand(42)
  for (f = 1; f <= files; f++) {
    path = sprintf("%s/part-%04d.jsonl", out, f)
    for (k = 1; k <= per; k++) {
      id = (f - 1) * per + k; body = ""
      for (j = 0; j < 6; j++) body = body s[int(rand() * m) + 1] ". "
      printf "{\"title\":\"خبر رقم %d\",\"source\":\"مصدر %d\",\"date\":\"2023-09-%02d\",\"content\":\"%s الرقم المرجعي %d.\"}\n", id, f % 7, (id % 28) + 1, body, id > path
    }
    close(path)
  } }'
