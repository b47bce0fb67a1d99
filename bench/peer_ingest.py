#!/usr/bin/python3
"""peer_ingest.py DB FILE... — the ingest job as a data scientist would write
it in Python, for bench/ingest.sh: load each JSON array, normalise the body
(NFKC, diacritics, alef/ya/ta-marbuta folding), identity hash (hashlib), skip
duplicates, MinHash over 5-word shingles (numpy, 128 permutations, 32x4 LSH
bands in dicts), link near-copies (estimated Jaccard >= 0.6), store in
SQLite with one transaction per file."""
import hashlib, json, re, sqlite3, sys, unicodedata
import numpy as np

DIAC = re.compile('[\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c-\u200f\u061c]')
FOLD = str.maketrans({'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ؤ': 'و', 'ئ': 'ي'})
WORD = re.compile(r'\w+')
rng = np.random.RandomState(1)
A = rng.randint(1, 2**61 - 1, 128, dtype=np.uint64) | np.uint64(1)
B = rng.randint(0, 2**61 - 1, 128, dtype=np.uint64)

def norm(t):
    return DIAC.sub('', unicodedata.normalize('NFKC', t)).translate(FOLD).lower()

def minhash(words):
    if not words:
        return None
    sh = [' '.join(words[i:i + 5]) for i in range(max(1, len(words) - 4))]
    h = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), 'little')
                  for s in set(sh)], dtype=np.uint64)
    with np.errstate(over='ignore'):
        v = (h[:, None] * A[None, :] + B[None, :]) >> np.uint64(32)
    return v.min(axis=0)

def main():
    db = sqlite3.connect(sys.argv[1])
    db.execute('PRAGMA journal_mode=WAL')
    db.execute('CREATE TABLE articles(id INTEGER PRIMARY KEY, hash TEXT UNIQUE, title TEXT,'
               ' outlet TEXT, published TEXT, url TEXT, body TEXT, copy_of INTEGER, sim REAL)')
    bands = [dict() for _ in range(32)]
    sigs = {}
    for path in sys.argv[2:]:
        with open(path, encoding='utf-8') as f:
            items = json.load(f)
        with db:
            for a in items:
                body = a.get('content') or ''
                if not body.strip():
                    continue
                words = WORD.findall(norm(body))
                h = hashlib.blake2b(' '.join(words).encode(), digest_size=8).hexdigest()
                if db.execute('SELECT 1 FROM articles WHERE hash=?', (h,)).fetchone():
                    continue
                sig = minhash(words)
                cur = db.execute('INSERT INTO articles(hash,title,outlet,published,url,body)'
                                 ' VALUES (?,?,?,?,?,?)', (h, a.get('title'), a.get('source'),
                                 a.get('date_extracted'), a.get('url'), body))
                rid = cur.lastrowid
                if sig is None:
                    continue
                best, best_sim = None, 0.0
                keys = [hash(sig[b * 4:b * 4 + 4].tobytes()) for b in range(32)]
                for b, k in enumerate(keys):
                    for other in bands[b].get(k, ()):
                        s = float(np.mean(sigs[other] == sig))
                        if s > best_sim:
                            best, best_sim = other, s
                if best is not None and best_sim >= 0.6:
                    db.execute('UPDATE articles SET copy_of=?, sim=? WHERE id=?', (best, best_sim, rid))
                for b, k in enumerate(keys):
                    bands[b].setdefault(k, []).append(rid)
                sigs[rid] = sig
    db.close()

main()
