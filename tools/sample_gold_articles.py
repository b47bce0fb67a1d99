#!/usr/bin/python3
"""Draw the articles for the hand-annotated quotation gold set
(tests/data/quotes-gold.tsv) from the SaudiNewsNet day files.

Deterministic: a fixed seed, day files read in sorted order, articles in file
order.  Two lists are printed:

  phase A  articles drawn at random from ALL eligible articles (no look at
           their text beyond the length filter), so the gold set also holds
           articles with few or no quotations;
  phase B  a top-up list drawn at random from the eligible articles that
           contain at least one speech cue word; the annotator takes them in
           the printed order until the gold set has >= 130 quotations in
           >= 45 articles.

Eligible: content of 400-3500 characters (exhaustive annotation must stay
feasible), first occurrence only of an exactly repeated content or url.

usage: tools/sample_gold_articles.py [DAYS_DIR] [N_A] [N_B]
"""
import glob
import json
import os
import random
import re
import sys

SEED = 20150721
DAYS = sys.argv[1] if len(sys.argv) > 1 else '/work/snn-days'
N_A = int(sys.argv[2]) if len(sys.argv) > 2 else 32
N_B = int(sys.argv[3]) if len(sys.argv) > 3 else 40

# Speech cue words for the top-up list only: a whole word, optionally with
# the conjunction و/ف before it and the feminine/plural ending after it.
CUE_STEMS = ('قال', 'أضاف', 'أكد', 'أعلن', 'كشف', 'صرح', 'أوضح', 'أشار',
             'تابع', 'شدد', 'اعتبر', 'نفى', 'نفت', 'حذر', 'دعا', 'دعت', 'ذكر',
             'رأى', 'لفت', 'بيّن', 'مشيرا', 'مؤكدا', 'مبينا', 'لافتا',
             'معتبرا', 'موضحا', 'قائلا', 'قائلة', 'بقوله')
CUES = re.compile(r'(?<![\w])[وف]?(%s)(ت|وا|ة|ً)?(?![\w])' % '|'.join(CUE_STEMS))


def eligible(paths, skip_urls=()):
    """(day, index, article) of the eligible articles of the day files at
    paths, in order; urls in skip_urls (an earlier gold set) are left out
    after the first-occurrence test."""
    seen_text, seen_url, out = set(), set(), []
    for path in paths:
        day = os.path.basename(path)[:-5]
        with open(path, encoding='utf-8') as f:
            arts = json.load(f)
        for i, a in enumerate(arts):
            c = a.get('content') or ''
            if not 400 <= len(c) <= 3500:
                continue
            if c in seen_text or a['url'] in seen_url:
                continue
            seen_text.add(c)
            seen_url.add(a['url'])
            if a['url'] not in skip_urls:
                out.append((day, i, a))
    return out


def draw(arts, seed, n_a, n_b):
    """Phase A (n_a of all), phase B (n_b of the rest with a cue word), and
    the cue-bearing rest, drawn with one generator seeded with seed."""
    rng = random.Random(seed)
    phase_a = rng.sample(arts, n_a)
    taken = {a['url'] for _, _, a in phase_a}
    cued = [x for x in arts if x[2]['url'] not in taken and CUES.search(x[2]['content'])]
    return phase_a, rng.sample(cued, n_b), cued


def print_draw(phase_a, phase_b):
    for name, lst in (('A', phase_a), ('B', phase_b)):
        for k, (day, i, a) in enumerate(lst):
            print('%s%02d\t%s\t%d\t%s\t%d\t%s' % (name, k, day, i, a['source'],
                                               len(a['content']), a['url']))


def draw_fresh_day(day, seed, n_a, n_b):
    """The draw of a fresh gold set from one day (gold 3, 4, 5): the articles
    gold set 1 already holds are left out; argv: [DAYS_DIR] [N_A] [N_B]."""
    days = sys.argv[1] if len(sys.argv) > 1 else 'build/bench/snn-days'
    n_a = int(sys.argv[2]) if len(sys.argv) > 2 else n_a
    n_b = int(sys.argv[3]) if len(sys.argv) > 3 else n_b
    gold1 = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'data',
                         'quotes-gold.tsv')
    used = set()
    with open(gold1, encoding='utf-8') as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if p[0] == 'A':
                used.add(p[2])
    arts = eligible([os.path.join(days, day + '.json')], used)
    phase_a, phase_b, _ = draw(arts, seed, n_a, n_b)
    print('# eligible %d, seed %d' % (len(arts), seed))
    print_draw(phase_a, phase_b)


def main():
    arts = eligible(sorted(glob.glob(os.path.join(DAYS, '2015-07-*.json'))))
    phase_a, phase_b, cued = draw(arts, SEED, N_A, N_B)
    print('# eligible %d, with cue word %d, seed %d' % (len(arts), len(cued) + sum(
        1 for _, _, a in phase_a if CUES.search(a['content'])), SEED))
    print_draw(phase_a, phase_b)


if __name__ == '__main__':
    main()
