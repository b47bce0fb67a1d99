#!/usr/bin/python3
"""Sorts the matcher's missed positives by kind of difference.

usage: eval_names_misses.py DUMP/pos.tsv [HALF]

DUMP/pos.tsv comes from `build/eval-names --dump DUMP FILE` (English name,
two Arabic spellings, their keys, key hit, matcher hit, half 0 = A, 1 = B).
HALF: A, B or all (default A, the half rules may be fitted on). A miss is
a positive the matcher refuses. Kinds, from the two keys (consonant
skeletons): the same key (the spellings differ only in vowel letters the
matcher weighs: the matcher is stricter than the key there); one edit
apart in the key (a consonant substituted, added or dropped, or a final
-a/-o mark), named by the letters; two edits; three or more.
"""
import collections
import sys


def edits(a, b):
    """Levenshtein distance of a and b and, when it is 1, the edit."""
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    dist = d[n][m]
    what = None
    if dist == 1:
        if n == m:
            k = next(i for i in range(n) if a[i] != b[i])
            what = 'substituted ' + '/'.join(sorted((a[k], b[k])))
        else:
            s, l = (a, b) if n < m else (b, a)
            k = next((i for i in range(len(s)) if s[i] != l[i]), len(s))
            where = 'final' if k == len(l) - 1 else 'first' if k == 0 else 'inner'
            what = f'{where} {l[k]} written in one only'
    return dist, what


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    half = sys.argv[2] if len(sys.argv) > 2 else 'A'
    kinds = collections.Counter()
    detail = collections.Counter()
    total = misses = 0
    for line in open(sys.argv[1], encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if len(f) < 8 or (half == 'A' and f[7] != '0') or (half == 'B' and f[7] != '1'):
            continue
        total += 1
        if f[6] == '1':
            continue
        misses += 1
        ka, kb = f[3].replace(' ', ''), f[4].replace(' ', '')
        if ka == kb:
            kinds['same key: vowel letters differ'] += 1
            continue
        dist, what = edits(ka, kb)
        if dist == 1:
            kind = 'key one edit: ' + ('final -a/-o mark' if what.startswith('final') and
                                       what.split()[1] in 'او' else what.split()[0])
            kinds[kind] += 1
            detail[what] += 1
        else:
            kinds['key two edits' if dist == 2 else 'key three edits or more'] += 1
    print(f'half {half}: {total} positives, {misses} missed by the matcher '
          f'(recall {1 - misses / total:.4f})')
    for k, c in kinds.most_common():
        print(f'  {c:5d}  {c / total:.4f} of positives  {k}')
    print('  one-edit differences, most frequent:')
    for k, c in detail.most_common(12):
        print(f'  {c:5d}  {k}')


if __name__ == '__main__':
    main()
