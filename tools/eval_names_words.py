#!/usr/bin/python3
"""False merges of a name-key change on ordinary words.

usage: eval_names_words.py OLD_RASD NEW_RASD N DAY.json...

Takes the N most frequent Arabic words of the SaudiNewsNet day files (title
and content), and also every word of them whose key the change alters, keys
each with both binaries (`rasd key`), and prints the words whose key
changed, every pair of words the change parts, and every pair of different words that share a key under NEW_RASD
but not under OLD_RASD (a new merge), with their counts. Two-word forms
"X اي" (X of four letters or more ending in ه, as in خامنه اي) are keyed
too, since names_key glues them.
"""
import collections, json, re, subprocess, sys

old, new, n, days = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
word = re.compile('[\u0621-\u064a\u0671-\u06d3]+')
counts = collections.Counter()
bigrams = collections.Counter()
for d in days:
    for a in json.load(open(d, encoding='utf-8')):
        ws = word.findall((a.get('title') or '') + ' ' + (a.get('content') or ''))
        counts.update(ws)
        for x, y in zip(ws, ws[1:]):
            if y in ('اي', 'أي', 'ای') and len(x) >= 4 and x.endswith('ه'):
                bigrams[x + ' ' + y] += 1


def keys(binary, items):
    out = subprocess.run([binary, 'key'], input='\n'.join(items) + '\n',
                         capture_output=True, text=True, check=True).stdout.split('\n')
    return dict(zip(items, out))


top = [w for w, _ in counts.most_common(n)]
# every word the change could touch: the endings it reads
touched = [w for w in counts if re.search('(ه[اأإآ][يىی]|[نل]هو)$', w)]
items = sorted(set(top) | set(touched) | set(bigrams))
ko, kn = keys(old, items), keys(new, items)
freq = lambda w: bigrams[w] if ' ' in w else counts[w]
changed = [w for w in items if ko[w] != kn[w]]
print(f'{len(days)} day files, {sum(counts.values())} words, {len(counts)} distinct')
print(f'words keyed: top {n} + {len(touched)} with the endings + {len(bigrams)} "X اي" pairs'
      f' = {len(items)}')
print(f'keys changed: {len(changed)}')
for w in sorted(changed, key=lambda w: -freq(w)):
    print(f'  {w}\t{freq(w)}\t{ko[w]} -> {kn[w]}')
groups = collections.defaultdict(list)
for w in items:
    groups[kn[w]].append(w)
merges = []
for k, ws in groups.items():
    for i in range(len(ws)):
        for j in range(i + 1, len(ws)):
            a, b = ws[i], ws[j]
            if ko[a] != ko[b] and (a in changed or b in changed):
                merges.append((a, b, k))
splits = [(a, b) for a in changed for b in items
          if a < b and ko[a] == ko[b] and kn[a] != kn[b]]
print(f'new splits (pairs of different words one key before, not now): {len(splits)}')
for a, b in splits:
    print(f'  {a} ({freq(a)}) / {b} ({freq(b)})')
print(f'new merges (pairs of different words now one key): {len(merges)}')
for a, b, k in sorted(merges, key=lambda m: -(freq(m[0]) + freq(m[1]))):
    print(f'  {a} ({freq(a)}) = {b} ({freq(b)})\t{k}')
