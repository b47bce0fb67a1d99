#!/usr/bin/python3
"""brief_check.py — the brief hand check of issue #15: 20 briefs of events
with articles from 3+ outlets whose first article is on or after FIRST (days
not used to tune the brief), drawn with random.seed(SEED), events of the
earlier brief check (hand_check.py brief, seed 51) left out. Prints every
summary sentence numbered, for a reader to label, and scores labels:

  brief_check.py list DB SEED FIRST          > listing
  brief_check.py score DB SEED FIRST LABELS  (LABELS: "event<TAB>n<TAB>label<TAB>
                                              sha1<TAB>first words" per line,
                                              sha1 of the sentence with spaces
                                              collapsed, 16 hex digits; label
                                              ok, R (repeats a
                                              fact an earlier sentence gave),
                                              B (dateline, agency or site
                                              boilerplate), O (off the event's
                                              topic), X (other defect))
Sentences are matched by their text's hash, so a rerun after a change scores
only sentences labelled before and lists the new ones as unlabelled."""
import hashlib, json, random, subprocess, sys

RASD = 'build/rasd'


def pick(db, seed, first):
    out = subprocess.run([RASD, 'stories', '--db', db, '--json'], capture_output=True,
                         text=True, check=True).stdout
    ev_all, ev_first = [], {}
    for line in out.splitlines():
        for e in json.loads(line)['events']:
            if e['outlet_count'] >= 3:
                ev_all.append(e['id'])
                ev_first[e['id']] = e['first']
    random.seed(51)
    used = set(random.sample(ev_all, min(20, len(ev_all))))
    pool = [e for e in ev_all if e not in used and ev_first[e] >= first]
    random.seed(seed)
    return sorted(random.sample(pool, min(20, len(pool))))


def brief(db, e):
    return json.loads(subprocess.run([RASD, 'brief', '--db', db, '--json', '--event', str(e)],
                                     capture_output=True, text=True, check=True).stdout)


def main(argv):
    mode, db, seed, first = argv[1], argv[2], int(argv[3]), argv[4]
    labels = {}
    if mode == 'score':
        for line in open(argv[5], encoding='utf-8'):
            f = line.rstrip('\n').split('\t')
            if len(f) >= 4 and not line.startswith('#'):
                labels[(int(f[0]), f[3])] = f[2]  # (event, sha1) -> label
    counts, unl, n = {}, 0, 0
    for e in pick(db, seed, first):
        b = brief(db, e)
        if mode == 'list':
            print(f"## event {e}: {b.get('headline', '')}")
        for i, s in enumerate(b.get('summary', []), 1):
            t = ' '.join(s['text'].split())
            n += 1
            if mode == 'list':
                print(f"{e}\t{i}\t\t{t}")
            else:
                l = labels.get((e, hashlib.sha1(t.encode('utf-8')).hexdigest()[:16]))
                if l is None:
                    unl += 1
                    print(f"unlabelled\t{e}\t{i}\t{t}")
                else:
                    counts[l] = counts.get(l, 0) + 1
    if mode == 'score':
        print(f"{n} summary sentences in 20 briefs; labelled: " +
              ', '.join(f"{k} {v}" for k, v in sorted(counts.items())) + f"; unlabelled {unl}")


if __name__ == '__main__':
    main(sys.argv)
