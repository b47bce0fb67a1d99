#!/usr/bin/python3
"""Validate the hand-annotated quotation gold set (tests/data/quotes-gold.tsv)
against the SaudiNewsNet day files it points into.

The gold file keeps only byte offsets and short anchors (the corpus may not be
redistributed), so the anchors are the one way to notice that offsets went
wrong.  Checked:
  - every line is a comment, an A line or a Q line, with the right field count;
  - every A line's DAY file exists and holds exactly one article with that URL,
    and no article appears twice;
  - every Q line follows an A line; 0 <= START < END <= len(content in UTF-8),
    both offsets on UTF-8 character boundaries; DIRECT is 0 or 1; SPEAKER and
    CUE are not empty; ANCHOR has at most five words and equals the first
    words of content[START:END] (whitespace runs collapsed to one space);
  - Q lines of one article are sorted by START, and no two are identical;
  - a '# counts:' header line, if present, matches the counts of the body.
Prints the counts and exits 0 when all is well, 1 on errors, 2 when the day
files are not there (the check cannot run).

usage: tools/check_gold_quotes.py [GOLD_TSV] [DAYS_DIR]
       (defaults: tests/data/quotes-gold.tsv, $SNN_DAYS or /work/snn-days)
"""
import collections
import json
import os
import re
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    gold = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'tests', 'data', 'quotes-gold.tsv')
    days_dir = sys.argv[2] if len(sys.argv) > 2 else os.environ.get('SNN_DAYS', '/work/snn-days')
    if not os.path.isdir(days_dir):
        print('check_gold_quotes: no day files at %s (set SNN_DAYS)' % days_dir)
        return 2

    errors = []
    days = {}
    seen_urls = set()
    cur = None          # (url, content bytes, source) of the current A line
    cur_q = []          # (start, end) of the current article's Q lines
    stats = collections.Counter()
    per_article = []    # quote count per article, in file order
    outlets = collections.Counter()
    day_set = set()
    counts_line = None

    def err(ln, msg):
        errors.append('line %d: %s' % (ln, msg))

    with open(gold, encoding='utf-8') as f:
        lines = f.read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    for ln, line in enumerate(lines, 1):
        if line.startswith('#'):
            m = re.match(r'#\s*counts:\s*(.*)', line)
            if m:
                counts_line = (ln, dict(kv.split('=') for kv in m.group(1).split()))
            continue
        if not line.strip():
            continue
        f = line.split('\t')
        if f[0] == 'A':
            if len(f) != 3:
                err(ln, 'A line needs 3 fields, has %d' % len(f))
                cur = None
                continue
            day, url = f[1], f[2]
            path = os.path.join(days_dir, day + '.json')
            if day not in days:
                if not os.path.exists(path):
                    err(ln, 'no day file %s' % path)
                    cur = None
                    continue
                with open(path, encoding='utf-8') as df:
                    days[day] = json.load(df)
            hits = [a for a in days[day] if a.get('url') == url]
            if len(hits) != 1:
                err(ln, '%d articles with url %s in %s' % (len(hits), url, day))
                cur = None
                continue
            if url in seen_urls:
                err(ln, 'article listed twice: %s' % url)
            seen_urls.add(url)
            cur = (url, hits[0]['content'].encode('utf-8'), hits[0]['source'])
            cur_q = []
            per_article.append(0)
            outlets[cur[2]] += 1
            day_set.add(day)
            stats['articles'] += 1
        elif f[0] == 'Q':
            if len(f) != 7:
                err(ln, 'Q line needs 7 fields, has %d' % len(f))
                continue
            if cur is None:
                err(ln, 'Q line without a valid A line before it')
                continue
            try:
                start, end = int(f[1]), int(f[2])
            except ValueError:
                err(ln, 'START/END not integers')
                continue
            direct, speaker, cue, anchor = f[3], f[4], f[5], f[6]
            content = cur[1]
            if not 0 <= start < end <= len(content):
                err(ln, 'bad span [%d,%d) for content of %d bytes' % (start, end, len(content)))
                continue
            try:
                text = content[start:end].decode('utf-8')
            except UnicodeDecodeError:
                err(ln, 'span [%d,%d) not on UTF-8 character boundaries' % (start, end))
                continue
            if direct not in ('0', '1'):
                err(ln, 'DIRECT must be 0 or 1, is %r' % direct)
            if not speaker.strip() or not cue.strip():
                err(ln, 'empty SPEAKER or CUE')
            words = anchor.split()
            if len(words) > 5 or not words:
                err(ln, 'ANCHOR must have 1-5 words, has %d' % len(words))
            want = ' '.join(text.split()[:len(words)])
            if ' '.join(words) != want or (len(words) < 5 and len(text.split()) > len(words)):
                err(ln, 'ANCHOR %r != start of span %r' % (anchor, ' '.join(text.split()[:5])))
            if (start, end) in cur_q:
                err(ln, 'duplicate span [%d,%d)' % (start, end))
            if cur_q and start < cur_q[-1][0]:
                err(ln, 'Q lines not sorted by START')
            cur_q.append((start, end))
            per_article[-1] += 1
            stats['quotes'] += 1
            stats['direct' if direct == '1' else 'indirect'] += 1
        else:
            err(ln, 'unknown line type %r' % f[0])

    stats['zero'] = sum(1 for n in per_article if n == 0)
    stats['outlets'] = len(outlets)
    stats['days'] = len(day_set)
    if counts_line:
        ln, claimed = counts_line
        for k, v in claimed.items():
            if str(stats.get(k)) != v:
                err(ln, 'header says %s=%s, body has %s' % (k, v, stats.get(k)))

    print('articles %d  outlets %d  days %d  quotes %d (direct %d, indirect %d)  articles without quotes %d'
          % (stats['articles'], stats['outlets'], stats['days'], stats['quotes'],
             stats['direct'], stats['indirect'], stats['zero']))
    print('per outlet: ' + ', '.join('%s %d' % kv for kv in sorted(outlets.items())))
    for e in errors:
        print('ERROR ' + e)
    print('%d errors' % len(errors))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
