#!/usr/bin/python3
"""Checks that a names list differs from another only by names split off a key.

usage: eval_names_split.py BEFORE.jsonl AFTER.jsonl

Both files are `rasd entities --json` (same store content; e.g. main's binary
and one that lists a key's two names apart, store/entsum.c split_groups).
Every row of BEFORE must be in AFTER byte for byte, or be split: AFTER holds
its key's row and rows "KEY|spelling" whose spellings and mentions add up to
the BEFORE row's. Prints the counts and up to five rows that are neither.
"""
import collections
import json
import sys


def load(p):
    return [json.loads(l) for l in open(p, encoding='utf-8')]
b = load(sys.argv[1]); n = load(sys.argv[2])
nb = {(r['key'], r['type']): r for r in n}
split = collections.defaultdict(list)
for r in n:
    if '|' in r['key']:
        split[(r['key'].split('|')[0], r['type'])].append(r)
same = changed = bad = 0
for r in b:
    k = (r['key'], r['type'])
    m = nb.get(k)
    if m == r:
        same += 1; continue
    parts = [m] + split.get(k, []) if m else split.get(k, [])
    sp = collections.Counter()
    for p in parts:
        sp.update(p['spellings'])
    if split.get(k) and sp == collections.Counter(r['spellings']) and sum(p['mentions'] for p in parts) == r['mentions']:
        changed += 1
    else:
        bad += 1
        if bad <= 5: print('BAD', json.dumps(r, ensure_ascii=False)[:300], '\n   ', json.dumps(m, ensure_ascii=False)[:300])
print(f"rows {len(b)}: identical {same}, split (spellings and mentions conserved) {changed}, other {bad}; split rows added {sum(len(v) for v in split.values())}")
