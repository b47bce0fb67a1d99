#!/usr/bin/python3
"""Draw the articles for the fifth quotation gold set
(tests/data/quotes-gold5.tsv) from SaudiNewsNet 2015-07-25, a day no
quotation work had read beyond the 3 articles of gold set 1 (which are left
out here; gold 2 uses 2015-08-07/08, gold 3 2015-07-23, gold 4 2015-07-27, the speaker tuning
read 08-01..04 and 08-06).  Its articles are split by document: those whose
URL hash puts them in the 'test' half (tools/eval_quotes.c url_half) are held
out for the trained speaker chooser, the rest train it.

Same rules as tools/sample_gold2.py: eligible = content of 400-3500
characters, first occurrence of a content or url; phase A = a few articles
drawn from all eligible ones (false positives), phase B = articles drawn from
those with a speech cue word, annotated in the printed order until the set
has >= 100 quotations.  Deterministic (seed).

usage: tools/sample_gold5.py [DAYS_DIR] [N_A] [N_B]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sample_gold_articles import draw_fresh_day  # noqa: E402

if __name__ == '__main__':
    draw_fresh_day('2015-07-25', 20150725, 8, 60)
