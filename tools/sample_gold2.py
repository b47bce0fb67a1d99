#!/usr/bin/python3
"""Draw the articles for the second, fresh quotation gold set
(tests/data/quotes-gold2.tsv) from SaudiNewsNet days that no quotation work
had looked at (2015-08-07 and 2015-08-08; the first gold set uses
2015-07-21..31 and the speaker tuning of issue #5 read 2015-08-02).

Same rules as tools/sample_gold_articles.py (which it imports): eligible =
content of 400-3500 characters, first occurrence of a content or url;
phase A = a few articles drawn from all eligible ones (false positives),
phase B = articles drawn from those with a speech cue word, annotated in the
printed order until the set has >= 100 quotations.  Deterministic (seed).

usage: tools/sample_gold2.py [DAYS_DIR] [N_A] [N_B]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sample_gold_articles import draw, eligible, print_draw  # noqa: E402

SEED = 20150807
DAYS = sys.argv[1] if len(sys.argv) > 1 else 'build/bench/snn-days'
N_A = int(sys.argv[2]) if len(sys.argv) > 2 else 8
N_B = int(sys.argv[3]) if len(sys.argv) > 3 else 60


def main():
    arts = eligible([os.path.join(DAYS, d + '.json') for d in ('2015-08-07', '2015-08-08')])
    phase_a, phase_b, _ = draw(arts, SEED, N_A, N_B)
    print('# eligible %d, seed %d' % (len(arts), SEED))
    print_draw(phase_a, phase_b)


if __name__ == '__main__':
    main()
