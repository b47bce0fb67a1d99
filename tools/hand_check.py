#!/usr/bin/python3
"""hand_check.py — listings for the hand checks in BENCHMARKS.md (conflicts,
brief). Reads a store made by `rasd ingest` of the SaudiNewsNet days and
prints what a person then reads and judges; the judgements are in
BENCHMARKS.md. Deterministic: the same store and seed give the same sample.

  hand_check.py conflicts DB SEED [--exclude SEED...]   50 events of 3+ outlets
  hand_check.py brief DB SEED                           20 briefs, 30 citations

The samples of 50 events are drawn with random.seed(SEED) from the events
with articles from 3+ outlets; --exclude draws those samples first and
leaves their events out (so a held-out sample never repeats one read
before)."""
import json, random, re, subprocess, sys

RASD = 'build/rasd'


def events(db):
    out = subprocess.run([RASD, 'stories', '--db', db, '--json'], capture_output=True,
                         text=True, check=True).stdout
    ev = []
    for line in out.splitlines():
        for e in json.loads(line)['events']:
            if e['outlet_count'] >= 3:
                ev.append(e['id'])
    return ev


def sample(pool, seed, k):
    random.seed(seed)
    return sorted(random.sample(pool, min(k, len(pool))))


def conflicts(db, seed, exclude):
    pool = events(db)
    for x in exclude:
        used = set(sample(pool, x, 50))
        pool = [e for e in pool if e not in used]
    pick = sample(pool, seed, 50)
    total = 0
    for e in pick:
        r = json.loads(subprocess.run([RASD, 'conflicts', '--db', db, '--event', str(e), '--json'],
                                      capture_output=True, text=True, check=True).stdout)
        for c in r['conflicts']:
            total += 1
            print(f"=== event {e}: {c['kind']}: {c['subject'][:80]}")
            for v in c['values']:
                print(f"  -- {v['value']} [{', '.join(v['sources'])}]")
                for s in v['sentences'][:2]:
                    print(f"       «{s[:300]}»")
    print(f"{total} conflicts in {len(pick)} events of 3+ outlets (of {len(pool)})")


def brief(db, seed):
    pick = sample(events(db), seed, 20)
    word = re.compile(r'\w+')
    n = cited = 0
    pairs, red = [], []
    for e in pick:
        b = json.loads(subprocess.run([RASD, 'brief', '--db', db, '--json', '--event', str(e)],
                                      capture_output=True, text=True, check=True).stdout)
        for s in b['summary']:
            n += 1
            cited += len(s['sources'])
            for x in s['support']:
                pairs.append((e, s['text'], x['outlet'], x['similarity'], x['text']))
        ws = [set(word.findall(s['text'])) for s in b['summary']]
        red += [len(a & c) / max(1, len(a | c)) for i, a in enumerate(ws) for c in ws[i + 1:]]
    print(f"{len(pick)} briefs: {n} summary sentences ({n / len(pick):.1f} a brief), "
          f"{cited / max(1, n):.2f} cited outlets a sentence, {len(pairs)} supporting sentences")
    if red:
        print(f"redundancy: word Jaccard between summary sentences of a brief: mean "
              f"{sum(red) / len(red):.3f}, max {max(red):.3f}")
    random.seed(seed + 1)
    for e, text, outlet, sim, sup in random.sample(pairs, min(30, len(pairs))):
        print(f"== event {e}, {outlet}, cosine {sim:.2f}\n  sentence: {text[:260]}\n"
              f"  support:  {sup[:260]}")


if __name__ == '__main__':
    if len(sys.argv) < 4 or sys.argv[1] not in ('conflicts', 'brief'):
        sys.exit(__doc__)
    db, seed = sys.argv[2], int(sys.argv[3])
    if sys.argv[1] == 'conflicts':
        ex = [int(x) for x in sys.argv[5:]] if len(sys.argv) > 4 and sys.argv[4] == '--exclude' else []
        conflicts(db, seed, ex)
    else:
        brief(db, seed)
