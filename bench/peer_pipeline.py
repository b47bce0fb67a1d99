#!/usr/bin/python3
"""peer_pipeline.py — the whole ingest job as a data scientist would write it
in Python, for bench/engine.sh (Debian's python3-sklearn and python3-nltk):
read SaudiNewsNet days, regex tokens with ISRI stems (cached per word,
peer_stories.analyse), regex quotes (a cue verb then a quoted or إن/أن
clause), regex dates (day month year, Arabic and Levantine month names),
store articles, quotes and dates in SQLite, then TF-IDF (sublinear) and
nearest-neighbour threshold clustering in time order (peer_stories.group).

  peer_pipeline.py DB DAY.json ...
Prints the article count, the time of each stage and the events formed."""
import json, re, sqlite3, sys, time, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_stories import analyse, day_number, group  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
import numpy as np  # noqa: E402

CUES = 'قال|قالت|أكد|أكدت|أضاف|أضافت|أوضح|أوضحت|صرح|صرحت|أشار|أشارت|كشف|كشفت|تابع|ذكر|ذكرت'
QUOTE = re.compile(r'(?:و|ف)?(?:' + CUES + r')\s+([^\s،.]+(?:\s+[^\s،.«"]+){0,3})?\s*[،:]?\s*'
                   r'(?:[«"“]([^»"”]{5,400})[»"”]|(?:إن|أن|بأن)\s+([^.]{5,300}))')
MONTHS = ('يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|'
          'ديسمبر|كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|'
          'كانون الأول|محرم|صفر|ربيع الأول|ربيع الآخر|جمادى الأولى|جمادى الآخرة|رجب|شعبان|رمضان|'
          'شوال|ذو القعدة|ذو الحجة')
DATE = re.compile(r'(\d{1,2})\s+(?:من\s+)?(' + MONTHS + r')(?:\s+(\d{4}))?')


def main(db, files):
    t0 = time.time()
    arts = []
    for f in files:
        arts.extend(a for a in json.load(open(f, encoding='utf-8')) if a.get('content'))
    arts.sort(key=lambda a: a['date_extracted'])
    t1 = time.time()
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.executescript('CREATE TABLE articles(id INTEGER PRIMARY KEY, url, title, body, published);'
                      'CREATE TABLE quotes(article, speaker, text);'
                      'CREATE TABLE dates(article, text, day, month, year);')
    nq = nd = 0
    with con:
        for i, a in enumerate(arts):
            con.execute('INSERT INTO articles VALUES (?,?,?,?,?)',
                        (i, a.get('url'), a['title'], a['content'], a['date_extracted']))
            for m in QUOTE.finditer(a['content']):
                con.execute('INSERT INTO quotes VALUES (?,?,?)', (i, m.group(1), m.group(2) or m.group(3)))
                nq += 1
            for m in DATE.finditer(a['content']):
                con.execute('INSERT INTO dates VALUES (?,?,?,?,?)', (i, m.group(0), m.group(1), m.group(2), m.group(3)))
                nd += 1
    t2 = time.time()
    texts = [a['title'] + ' ' + a['title'] + ' ' + a['content'] for a in arts]
    m = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=1).fit_transform(texts).tocsr()
    t3 = time.time()
    ev = group(m, [day_number(a['date_extracted']) for a in arts])
    t4 = time.time()
    with con:
        con.execute('CREATE TABLE events(article, event)')
        con.executemany('INSERT INTO events VALUES (?,?)', [(i, int(e)) for i, e in enumerate(ev)])
    t5 = time.time()
    sizes = np.bincount(ev)
    print(f'peer: {len(arts)} articles in {t5 - t0:.1f} s = {len(arts) / (t5 - t0):.0f} articles/s; '
          f'read {t1 - t0:.1f} s, regex quotes+dates+store {t2 - t1:.1f} s ({nq} quotes, {nd} dates), '
          f'TF-IDF+ISRI {t3 - t2:.1f} s, grouping {t4 - t3:.1f} s; {len(sizes)} events')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:])
