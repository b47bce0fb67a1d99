#!/usr/bin/python3
"""peer_stories.py — story grouping as a data scientist would write it in
Python, for bench/stories.sh (Debian's python3-sklearn and python3-nltk):

  peer_stories.py snn DAY.json ...      time and group SaudiNewsNet
  peer_stories.py semeval FILE.csv      Pearson of cosine with 4 - Overall
  peer_stories.py seeds DIR             grouping of the seed articles

Text: NFKC, diacritics removed, ISRI stems (cached per word), TfidfVectorizer
(sublinear tf, fitted on all texts of the run). Grouping: articles in time
order; each is compared (cosine) with the articles of the last WINDOW days and
joins the event of its nearest neighbour when the cosine reaches THRESHOLD,
else opens a new event. THRESHOLD (0.5) and WINDOW (3 days) are the peer's
own choices, not tuned to rasd's output."""
import csv, functools, json, re, sys, time, unicodedata
import numpy as np
from nltk.stem.isri import ISRIStemmer
from sklearn.feature_extraction.text import TfidfVectorizer

THRESHOLD = 0.5
WINDOW = 3
DIAC = re.compile('[\u0610-\u061a\u064b-\u065f\u0670\u0640]')
WORD = re.compile(r'\w+')
st = ISRIStemmer()


@functools.lru_cache(maxsize=None)
def stem(w):
    return st.stem(w)


def analyse(text):
    t = DIAC.sub('', unicodedata.normalize('NFKC', text))
    return [stem(w) for w in WORD.findall(t) if len(w) > 1]


def day_number(date):
    y, m, d = (int(x) for x in date[:10].split('-'))
    return np.datetime64(f'{y:04d}-{m:02d}-{d:02d}').astype(int)


def group(matrix, days):
    """Nearest-neighbour threshold clustering in time order."""
    n = matrix.shape[0]
    event = np.full(n, -1)
    lo = 0
    nev = 0
    for i in range(n):
        while days[lo] < days[i] - WINDOW:
            lo += 1
        if lo < i:
            sims = (matrix[lo:i] @ matrix[i].T).toarray().ravel()
            j = int(sims.argmax())
            if sims[j] >= THRESHOLD:
                event[i] = event[lo + j]
                continue
        event[i] = nev
        nev += 1
    return event


def snn(files):
    arts = []
    for f in files:
        arts.extend(json.load(open(f, encoding='utf-8')))
    arts.sort(key=lambda a: a['date_extracted'])
    t0 = time.time()
    texts = [a['title'] + ' ' + a['title'] + ' ' + a['content'] for a in arts]
    vec = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=1)
    m = vec.fit_transform(texts).tocsr()
    t1 = time.time()
    days = [day_number(a['date_extracted']) for a in arts]
    ev = group(m, days)
    t2 = time.time()
    sizes = np.bincount(ev)
    print(f'peer: {len(arts)} articles; TF-IDF with ISRI stems {t1 - t0:.1f} s; '
          f'grouping {t2 - t1:.1f} s = {len(arts) / (t2 - t1):.0f} articles/s; '
          f'{len(sizes)} events, {int((sizes >= 3).sum())} with 3+ articles')


def semeval(path):
    rows = list(csv.DictReader(open(path, encoding='utf-8')))
    texts = [r['text1'] for r in rows] + [r['text2'] for r in rows]
    m = TfidfVectorizer(analyzer=analyse, sublinear_tf=True).fit_transform(texts).tocsr()
    n = len(rows)
    cos = np.array([(m[i] @ m[n + i].T).toarray()[0, 0] for i in range(n)])
    gold = np.array([4 - float(r['Overall']) for r in rows])
    print(f'peer: SemEval pairs {n}, Pearson(cosine, 4 - Overall) = {np.corrcoef(cos, gold)[0, 1]:.3f}')


def seeds(d):
    import os
    man = {}
    for line in open(os.path.join(d, 'manifest.jsonl'), encoding='utf-8'):
        o = json.loads(line)
        man[o['file']] = o.get('published', '')
    names = sorted(f for f in os.listdir(d) if f.endswith('.txt'))
    texts = [open(os.path.join(d, f), encoding='utf-8').read() for f in names]
    m = TfidfVectorizer(analyzer=analyse, sublinear_tf=True).fit_transform(texts).tocsr()
    order = sorted(range(len(names)), key=lambda i: man.get(names[i], ''))
    days = [day_number(man[names[i]]) for i in order]
    ev = group(m[order], days)
    groups = {}
    for k, i in enumerate(order):
        groups.setdefault(int(ev[k]), []).append(names[i][:3])
    print('peer: seed events', sorted(groups.values()))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'snn': snn, 'semeval': lambda a: semeval(a[0]), 'seeds': lambda a: seeds(a[0])}[cmd](args)
