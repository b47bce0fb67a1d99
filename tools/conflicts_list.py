#!/usr/bin/python3
"""conflicts_list.py — the listing behind the "Conflicts precision" hand check
in BENCHMARKS.md: every conflict `rasd conflicts --json` reports on a store of
the 15 SaudiNewsNet days, with the half it belongs to, for reading.

  conflicts_list.py STORIES.jsonl CONFLICTS.jsonl [JUDGED.tsv]

STORIES.jsonl is `rasd stories --db DB --json`, CONFLICTS.jsonl is `rasd
conflicts --db DB --json`. A story belongs to the tuning half when its first
article is dated before 2015-08-01 (the first 8 days: 07-21..07-27, 07-31),
else to the held-out half (08-01..08-08, 7 days). With JUDGED.tsv (columns
id, half, story, kind, verdict, note; verdict real|false), prints precision
per half and lists reported conflicts that have no judgement yet."""
import json, sys

SPLIT = '2015-08-01'


def main():
    first = {}
    for line in open(sys.argv[1], encoding='utf-8'):
        s = json.loads(line)
        first[s['id']] = s['first']
    rows = []
    for line in open(sys.argv[2], 'rb'):
        try:  # a listing still being written ends in a partial line
            r = json.loads(line.decode('utf-8'))
        except ValueError:
            continue
        half = 'tune' if first.get(r['story'], '9999') < SPLIT else 'held'
        for c in r['conflicts']:
            rows.append((half, r['story'], c))
    judged = {}
    if len(sys.argv) > 3:
        for line in open(sys.argv[3], encoding='utf-8'):
            f = line.rstrip('\n').split('\t')
            if f[0] == "id" or f[0].startswith("#") or len(f) < 5:
                continue
            judged[f[0]] = f[4]
    if not judged:
        for half, story, c in rows:
            print(f"=== {half} story {story} {c['kind']}/{c['rule']} {c['id']}: {c['subject'][:90]}")
            for v in c['values']:
                print(f"  -- {v['value']} [{', '.join(v['sources'][:6])}]")
                for s in v['sentences'][:2]:
                    print(f"       «{s[:320]}»")
        print(f"{len(rows)} conflicts")
        return
    for half in ('tune', 'held'):
        mine = [c for h, _, c in rows if h == half]
        real = sum(1 for c in mine if judged.get(c['id']) == 'real')
        false = sum(1 for c in mine if judged.get(c['id']) == 'false')
        todo = [c['id'] for c in mine if c['id'] not in judged]
        p = real / (real + false) if real + false else float('nan')
        print(f"{half}: {len(mine)} reported, {real} real, {false} false, precision {p:.2f}"
              + (f", {len(todo)} not judged: {' '.join(todo)}" if todo else ''))


main()
