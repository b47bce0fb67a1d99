#!/usr/bin/python3
"""sample_dates_blind.py — a sample of date expressions drawn WITHOUT rasd,
for labelling by hand before the recogniser's output is seen.

  /usr/bin/python3 tools/sample_dates_blind.py [-n 130] [--seed S] [--exclude CHECKED.tsv ...] DAY.json... > blind.tsv

A candidate is every match of a small, independent cue pattern (a year
number 13xx/14xx/19xx/20xx, a Gregorian, Levantine or Hijri month name, a
weekday with its article, أمس/اليوم/غدا, a numeric d/m/y date) in an
article body; articles holding the context of a row of an --exclude file (the
earlier hand-checked samples) are skipped. The sample is the n candidates with the
smallest sha1 of (url, offset) — of (seed, url, offset) with --seed, which draws
another sample from the same candidates — one per article and per repeated context.
Output, tab-separated: key, crawl day, source, url, byte offset of the cue
in the body (UTF-8), cue, context with the cue in ⟦ ⟧; then three columns
for the labeller: the expression as read, its value (rasd's value
conventions, see src/annotate/dates.h; "none" when the cue names no
calendar date), and a note. tools/sample_dates.c --blind scores it.
"""
import hashlib, json, re, sys

MONTHS = ("يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر "
          "كانون شباط آذار اذار نيسان أيار ايار حزيران تموز آب أيلول ايلول تشرين "
          "محرم صفر ربيع جمادى جمادي رجب شعبان رمضان شوال القعدة الحجة").split()
WEEKDAYS = "الأحد الاحد الإثنين الاثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت".split()
REL = "أمس امس اليوم غدا غداً".split()
CP = re.compile(r'(?<![\w/])(?:1[34]\d\d|19\d\d|20\d\d)(?![\w/])|\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{2,4}|'
                r'(?<!\w)[وفبلك]?(?:' + '|'.join(map(re.escape, MONTHS + WEEKDAYS + REL)) + r')(?!\w)')

def main(argv):
    n, excl, days, seed = 130, set(), [], ''
    i = 0
    while i < len(argv):
        if argv[i] == '-n': n = int(argv[i + 1]); i += 2
        elif argv[i] == '--seed': seed = argv[i + 1] + '\t'; i += 2
        elif argv[i] == '--exclude':
            # the checked files hold no URL: an article is excluded when it
            # contains the middle of a checked row's context
            for line in open(argv[i + 1], encoding='utf-8'):
                f = line.rstrip('\n').split('\t')
                if not line.startswith('#') and len(f) > 6:
                    c = f[6].replace('⟦', '').replace('⟧', '')
                    mid = len(c) // 2
                    excl.add(c[max(0, mid - 25):mid + 25])
            i += 2
        else: days.append(argv[i]); i += 1
    cands = []
    for path in days:
        for a in json.load(open(path, encoding='utf-8')):
            url, body = a.get('url', ''), a.get('content') or ''
            flat = body.replace('\t', ' ').replace('\n', ' ')
            if any(x in flat for x in excl):
                continue
            for m in CP.finditer(body):
                off = len(body[:m.start()].encode('utf-8'))
                key = hashlib.sha1((seed + '%s\t%d' % (url, off)).encode('utf-8')).hexdigest()[:16]
                cands.append((key, a.get('date_extracted', '')[:10], a.get('source', ''), url, off, m.group(0), body, m.start(), m.end()))
    cands.sort()
    seen_url, seen_ctx, out = set(), set(), 0
    for key, day, src, url, off, cue, body, s, e in cands:
        if out >= n: break
        if url in seen_url: continue
        ctx = body[max(0, s - 40):e + 40]
        if ctx in seen_ctx: continue
        seen_url.add(url); seen_ctx.add(ctx)
        left = body[max(0, s - 120):s].replace('\t', ' ').replace('\n', ' ')
        right = body[e:e + 120].replace('\t', ' ').replace('\n', ' ')
        print('\t'.join([key, day, src, url, str(off), cue, left + '⟦' + cue + '⟧' + right, '', '', '']))
        out += 1

if __name__ == '__main__':
    main(sys.argv[1:])
