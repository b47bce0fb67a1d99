#!/usr/bin/python3
"""Count quotation speakers of the kinds issue #15 calls wrong, in the JSON
Lines of `rasd quotes --json` (one quote a line), on articles nobody
annotated: a check that needs no gold, for the symptoms only.

  outlet      the speaker is a newspaper or agency the words were given to
              (its name appears in the quote's channel, or it is one of the
              Saudi outlets of SaudiNewsNet and the big agencies)
  conjunction the name starts with و before أ/إ/آ/ال (وأسامة النجيفي)
  cut         a name cut at بن (عبدالله بن, بن سعود)
  time        the speaker is a word of time (يوم، أمس، الخميس)
  clitic      an institution or source written with ب/ل on it (بجامعة)

usage: tools/audit_quote_speakers.py QUOTES.jsonl [-v]
       tools/audit_quote_speakers.py --sample DAYS_DIR OUT_DIR
         writes the sample used in BENCHMARKS.md: 300 articles (seed 7) of
         400-3500 characters with a speech cue word from 2015-08-03, 08-04
         and 08-01 (days no gold set uses), one text file each
"""
import json
import re
import sys

OUTLETS = {'عكاظ', 'الشرق الأوسط', 'الوطن', 'الرياض', 'الجزيرة', 'المدينة', 'سبق', 'الحياة',
           'الاقتصادية', 'الوئام', 'اليوم', 'عين اليوم', 'رويترز', 'فرانس برس', 'واس',
           'الأناضول', 'سكاي نيوز', 'العربية', 'بي بي سي', 'سي إن إن'}
TIME = {'يوم', 'اليوم', 'أمس', 'امس', 'غدا', 'الأحد', 'الاثنين', 'الثلاثاء', 'الأربعاء',
        'الخميس', 'الجمعة', 'السبت', 'صباح', 'مساء'}


def strip(s):
    return re.sub(r'[«»"“”()\u0640]', '', s).strip()


def sample(days, out):
    import os
    import random
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    argv, sys.argv = sys.argv, sys.argv[:1]  # that module reads its own arguments
    from sample_gold_articles import CUES
    sys.argv = argv
    arts = []
    for d in ('2015-08-03', '2015-08-04', '2015-08-01'):
        with open(os.path.join(days, d + '.json'), encoding='utf-8') as f:
            for a in json.load(f):
                c = a.get('content') or ''
                if 400 <= len(c) <= 3500 and CUES.search(c):
                    arts.append(a)
    os.makedirs(out, exist_ok=True)
    for i, a in enumerate(random.Random(7).sample(arts, 300)):
        with open(os.path.join(out, '%03d.txt' % i), 'w', encoding='utf-8') as f:
            f.write(a['content'])


def main():
    if sys.argv[1] == '--sample':
        sample(sys.argv[2], sys.argv[3])
        return
    verbose = '-v' in sys.argv
    n = 0
    counts = dict.fromkeys(('outlet', 'conjunction', 'cut', 'time', 'clitic'), 0)
    for line in open(sys.argv[1], encoding='utf-8'):
        q = json.loads(line)
        n += 1
        spk = strip(q.get('speaker') or '')
        if not spk:
            continue
        via = strip(q.get('via') or '')
        words = spk.split()
        bad = []
        if spk in OUTLETS or (len(spk) > 2 and via and spk in via):
            bad.append('outlet')
        if re.match(r'^و(أ|إ|آ|ال)', spk):
            bad.append('conjunction')
        if words and (words[-1] == 'بن' or words[0] == 'بن'):
            bad.append('cut')
        if spk in TIME:
            bad.append('time')
        if len(words) >= 1 and re.match(r'^[بل](جامعة|وزارة|هيئة|شركة|مركز|مجلس)', words[0]):
            bad.append('clitic')
        for b in bad:
            counts[b] += 1
            if verbose:
                print(b, '|', spk, '|', q.get('cue'), '|', via, '|', q.get('file'))
    print('quotes %d  ' % n + '  '.join('%s %d' % kv for kv in counts.items()))


if __name__ == '__main__':
    main()
