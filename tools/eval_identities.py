#!/usr/bin/python3
"""eval_identities.py — how many identities the people of issue #15 get, and
how many stored spellings carry a clitic, from `rasd entities --json` output.

    rasd ingest -q --no-stories --db X.db DAY.json
    rasd entities --db X.db --json > X.jsonl
    /usr/bin/python3 tools/eval_identities.py X.jsonl [Y.jsonl ...]

Per file: identities, PER identities, adjective groups listed; for each
person pattern, the identities whose spellings match it (one is right);
spellings that are another spelling of the same identity plus a proclitic
(و ب ل ف وب ول بال وال لل); and whether pairs of different words that the
old key joined (مصر/ميزوري ...) share an identity.
"""
import json
import re
import sys

PEOPLE = ['سلمان بن عبد', 'محمد بن سلمان', 'محمد بن نايف', 'علي عبد ?الله صالح',
          'عبد ?ربه منصور هادي']
PROCLITICS = ['و', 'ب', 'ل', 'ف', 'وب', 'ول', 'بال', 'وال', 'لل']
APART = [('مصر', 'ميزوري'), ('اليمن', 'فيمن'), ('جدة', 'الجدة'), ('الأسد', 'زويد')]


def main(paths):
    for path in paths:
        groups = [json.loads(line) for line in open(path, encoding='utf-8')]
        per = [g for g in groups if g['type'] == 'PER']
        adj = sum(1 for g in groups if g['key'].startswith('adj:'))
        print('== %s: identities %d, PER %d, adjective groups %d' % (path, len(groups), len(per), adj))
        for pat in PEOPLE:
            ks = [(g['key'], g['mentions']) for g in per
                  if any(re.match(pat, v) for v in g['variants'])]
            print('  %-22s %d identities %s' % (pat, len(ks), ks[:6]))
        clitic = []
        for g in groups:
            vs = set(g['variants'])
            for v in vs:
                for p in PROCLITICS:
                    rest = v[len(p):]
                    if v.startswith(p) and (rest in vs or 'ال' + rest in vs):
                        clitic.append(v)
                        break
        print('  spellings that are another spelling plus a proclitic: %d %s' % (len(clitic), clitic[:8]))
        for a, b in APART:
            joined = any(a in g['variants'] and b in g['variants'] for g in groups)
            print('  %s + %s in one identity: %s' % (a, b, joined))


if __name__ == '__main__':
    main(sys.argv[1:])
