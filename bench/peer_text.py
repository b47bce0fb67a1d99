#!/usr/bin/python3
"""peer_text.py — the Python peer of bench/bench_text.c: the same text-core
work written the way a competent data scientist would, with the standard
library and NLTK (Debian python3-nltk; no NLTK data download needed).

    /usr/bin/python3 bench/peer_text.py [-r REPS] [-l LABEL] [--no-cache] CORPUS

--no-cache stems every word afresh (what a hurried script does); it is for
context only: the benchmark's peer keeps the cache.

Per article: NFKC (unicodedata), removal of tashkeel/tatweel/bidi marks and
Arabic letter folding (أإآٱ→ا ى→ي ة→ه ؤ→و ئ→ي, Arabic-Indic digits → ASCII)
with one str.translate, casefold, a regex sentence splitter, a regex
tokeniser (URLs, e-mails, #tags/@mentions, numbers, words, punctuation) and
NLTK's Snowball Arabic stemmer — the algorithm rasd uses — on every word,
behind a dict cache as a careful Python programmer would add.

Same input format (one article a line, \\ \\n \\r escaped) and the same output
as bench_text.c: one JSON line and one human line, best-of-REPS timing of
the analysis only (reading and unescaping the file is not timed), plus the
first repetition, which starts with an empty stem cache.
"""
import json
import re
import sys
import time
import unicodedata

from nltk.stem.snowball import SnowballStemmer

# Dropped characters: tashkeel, superscript alef, tatweel, Quranic marks,
# zero-width and bidi controls, soft hyphen, BOM.
_DROP = ([*range(0x064B, 0x0660), 0x0670, 0x0640, *range(0x0610, 0x061B),
          *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E5), 0x06E7, 0x06E8,
          *range(0x06EA, 0x06EE), *range(0x200B, 0x2010), 0x061C,
          *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x00AD, 0x2060, 0xFEFF])
_FOLD = {c: None for c in _DROP}
_FOLD.update({ord(a): b for a, b in {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ئ": "ي",
    "ة": "ه", "ؤ": "و", "ک": "ك", "،": ",", "؛": ";", "٪": "%", "٫": ".", "٬": ","}.items()})
_FOLD.update({0x0660 + d: str(d) for d in range(10)})
_FOLD.update({0x06F0 + d: str(d) for d in range(10)})

_SENT = re.compile(r"(?<=[.!?؟…])\s+|\s*\n\s*")
_TOKEN = re.compile(r"""
      https?://[^\s"'<>«»]+ | www\.[^\s"'<>«»]+          # URL
    | [\w.%+-]+@[\w-]+(?:\.[\w-]+)+                       # e-mail
    | [#@]\w+                                             # hashtag, mention
    | \d+(?:[.,]\d+)*                                     # number
    | [^\W\d_]+                                           # word (any script)
    | [.!?؟…]+                                            # sentence end
    | [^\w\s]                                             # other punctuation
    """, re.VERBOSE)
_ARABIC = re.compile(r"[\u0600-\u06FF]")

_stemmer = SnowballStemmer("arabic")
_cache = {}
_use_cache = True


def stem(word):
    if not _use_cache:
        return _stemmer.stem(word)
    s = _cache.get(word)
    if s is None:
        s = _cache[word] = _stemmer.stem(word)
    return s


def analyse(text):
    """Returns (tokens, sentences) of one article, like rasd_text_analyse."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    ntok = nsent = 0
    for sent in _SENT.split(text):
        toks = _TOKEN.findall(sent)
        if not toks:
            continue
        nsent += 1
        ntok += len(toks)
        for t in toks:
            if _ARABIC.match(t):
                stem(t)
    return ntok, nsent


def read_corpus(path):
    """One article a line; \\\\ \\n \\r unescaped exactly as bench_text.c does."""
    unesc = re.compile(r"\\(.)")
    table = {"n": "\n", "r": "\r"}
    arts = []
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if not line:
                continue
            s = unesc.sub(lambda m: table.get(m.group(1), m.group(1)), line.decode("utf-8"))
            arts.append(s)
    return arts


def main(argv):
    global _use_cache
    reps, label, path = 3, "peer", None
    i = 1
    while i < len(argv):
        if argv[i] == "--no-cache":
            _use_cache = False
        elif argv[i] == "-r" and i + 1 < len(argv):
            reps = int(argv[i + 1])
            i += 1
        elif argv[i] == "-l" and i + 1 < len(argv):
            label = argv[i + 1]
            i += 1
        else:
            path = argv[i]
        i += 1
    if not path or reps < 1:
        print("usage: peer_text.py [-r REPS] [-l LABEL] [--no-cache] CORPUS", file=sys.stderr)
        return 2
    arts = read_corpus(path)
    nbytes = sum(len(a.encode("utf-8")) for a in arts)
    best, first = float("inf"), None
    tokens = sentences = 0
    for _ in range(reps):
        tk = st = 0
        t0 = time.monotonic()  # CLOCK_MONOTONIC, as bench_text.c
        for a in arts:
            n, s = analyse(a)
            tk += n
            st += s
        el = time.monotonic() - t0
        first = el if first is None else first  # empty stem cache, like new text
        best = min(best, el)
        tokens, sentences = tk, st
    mbs, tps = nbytes / 1e6 / best, tokens / best
    print(json.dumps({"impl": label, "articles": len(arts), "bytes": nbytes, "tokens": tokens,
                      "sentences": sentences, "reps": reps, "best_s": round(best, 4),
                      "mb_per_s": round(mbs, 2), "tokens_per_s": round(tps),
                      "first_s": round(first, 4), "first_mb_per_s": round(nbytes / 1e6 / first, 2)},
                     separators=(",", ":")))
    print("%s: %d articles, %.1f MB, %d tokens, %d sentences; best of %d: %.3f s = "
          "%.1f MB/s, %.2f M tokens/s; first (cold) %.1f MB/s"
          % (label, len(arts), nbytes / 1e6, tokens, sentences, reps, best, mbs, tps / 1e6,
             nbytes / 1e6 / first))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
