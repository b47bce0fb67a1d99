#!/usr/bin/python3
"""sample_event_pairs.py -- draws candidate same-event pairs of SaudiNewsNet
articles for hand labelling (tests/data/event-pairs.*.tsv); not part of rasd.

  sample_event_pairs.py OUT.txt SEED PER_BIN DAY.json ...

Independent of rasd on purpose (so the sample does not favour its own
similarity): TF-IDF (sklearn, sublinear tf, ISRI stems of headline + body)
over the days' articles with more than 200 characters; each article's six
nearest neighbours from another outlet at most a day apart are candidates;
PER_BIN/10 times a band's weight are drawn at random per cosine band. OUT
lists each pair with both headlines and leads and a "LABEL" line to fill
in; the labelled pairs file keeps only the URLs, the label and the cosine.

With CROSS_DAY=N in the environment the neighbours are taken from other
days only, one to N days apart (cross-day pairs: one happening reported
again, or the same actors' next happening).
"""
import os
import functools
import json
import random
import re
import sys
import unicodedata

import numpy as np
from nltk.stem.isri import ISRIStemmer
from sklearn.feature_extraction.text import TfidfVectorizer

BANDS = [(0.2, 0.3, 15), (0.3, 0.4, 35), (0.4, 0.5, 35), (0.5, 0.6, 35), (0.6, 0.75, 25),
         (0.75, 1.01, 10)]
DIAC = re.compile('[\u0610-\u061a\u064b-\u065f\u0670\u0640]')
stemmer = ISRIStemmer()


@functools.lru_cache(maxsize=None)
def stem(w):
    return stemmer.stem(w)


def analyse(t):
    t = DIAC.sub('', unicodedata.normalize('NFKC', t))
    return [stem(w) for w in re.findall(r'\w+', t) if len(w) > 1]


def main(out, seed, per_bin, files):
    arts = []
    for f in files:
        arts.extend(json.load(open(f, encoding='utf-8')))
    arts = [a for a in arts if len(a['content']) > 200]
    arts.sort(key=lambda a: a['date_extracted'])
    m = TfidfVectorizer(analyzer=analyse, sublinear_tf=True).fit_transform(
        [a['title'] + ' ' + a['content'] for a in arts]).tocsr()
    day = [int(a['date_extracted'][8:10]) for a in arts]
    sim = (m @ m.T).toarray()
    np.fill_diagonal(sim, 0)
    cross = int(os.environ.get('CROSS_DAY', '0'))
    if cross:
        dd = np.abs(np.subtract.outer(np.array(day), np.array(day)))
        sim[(dd < 1) | (dd > cross)] = 0
    cands = {}
    for i in range(len(arts)):
        for j in np.argsort(-sim[i])[:6]:
            j = int(j)
            if arts[i]['source'] != arts[j]['source'] and abs(day[i] - day[j]) <= max(1, cross) and \
                    (not cross or day[i] != day[j]):
                cands[(min(i, j), max(i, j))] = sim[i, j]
    rnd = random.Random(seed)
    pick = []
    for lo, hi, k in BANDS:
        band = sorted(p for p, s in cands.items() if lo <= s < hi)
        rnd.shuffle(band)
        pick += band[:k * per_bin // 10]
    with open(out, 'w', encoding='utf-8') as f:
        for n, (i, j) in enumerate(pick):
            f.write(f"#{n}\tcos={sim[i, j]:.2f}\t{arts[i]['url']}\t{arts[j]['url']}\n")
            for a in (arts[i], arts[j]):
                lead = re.sub(r'\s+', ' ', a['content'])[:170]
                f.write(f"  {a['date_extracted'][:10]} {a['source']:<12} {a['title']}\n     {lead}\n")
            f.write("LABEL \n\n")
    print(f'{len(cands)} candidate pairs, {len(pick)} drawn')


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
