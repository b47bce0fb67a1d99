#!/usr/bin/python3
"""Draw the articles for the third, fresh quotation gold set
(tests/data/quotes-gold3.tsv) from SaudiNewsNet 2015-07-23, a day no
quotation work had read beyond the 4 articles of gold set 1 (which are left
out here; gold 2 uses 2015-08-07/08, the speaker tuning read 08-01..04 and
08-06).

Same rules as tools/sample_gold2.py: eligible = content of 400-3500
characters, first occurrence of a content or url; phase A = a few articles
drawn from all eligible ones (false positives), phase B = articles drawn from
those with a speech cue word, annotated in the printed order until the set
has >= 100 quotations.  Deterministic (seed).

usage: tools/sample_gold3.py [DAYS_DIR] [N_A] [N_B]
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sample_gold_articles import CUES  # noqa: E402

SEED = 20150723
DAY = '2015-07-23'
DAYS = sys.argv[1] if len(sys.argv) > 1 else 'build/bench/snn-days'
N_A = int(sys.argv[2]) if len(sys.argv) > 2 else 8
N_B = int(sys.argv[3]) if len(sys.argv) > 3 else 60
GOLD1 = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'data',
                     'quotes-gold.tsv')


def main():
    used = set()
    with open(GOLD1, encoding='utf-8') as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if p[0] == 'A':
                used.add(p[2])
    seen_text, seen_url, arts = set(), set(), []
    with open(os.path.join(DAYS, DAY + '.json'), encoding='utf-8') as f:
        for i, a in enumerate(json.load(f)):
            c = a.get('content') or ''
            if not 400 <= len(c) <= 3500 or c in seen_text or a['url'] in seen_url:
                continue
            seen_text.add(c)
            seen_url.add(a['url'])
            if a['url'] not in used:
                arts.append((DAY, i, a))
    rng = random.Random(SEED)
    phase_a = rng.sample(arts, N_A)
    taken = {a['url'] for _, _, a in phase_a}
    cued = [x for x in arts if x[2]['url'] not in taken and CUES.search(x[2]['content'])]
    phase_b = rng.sample(cued, N_B)
    print('# eligible %d, seed %d' % (len(arts), SEED))
    for name, lst in (('A', phase_a), ('B', phase_b)):
        for k, (day, i, a) in enumerate(lst):
            print('%s%02d\t%s\t%d\t%s\t%d\t%s' % (name, k, day, i, a['source'],
                                               len(a['content']), a['url']))


if __name__ == '__main__':
    main()
