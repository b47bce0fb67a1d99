#!/usr/bin/python3
"""replay_gen.py ROUND OUT_DIR DAY.json... -- one replay round of the
SaudiNewsNet days for bench/pg_replay.sh: every article again, its date
(date_extracted) shifted by ROUND * 20 days (the 15 days span 19), its URL
given a ?replay=ROUND query, and its text perturbed so it is a new article
(a near-copy of its original, not an exact one): the word at a position drawn
from a hash of (ROUND, outlet, URL) is dropped and the two words after it
swapped. Deterministic: the same round always gives the same files. Round 0
is the corpus unchanged. One output file per input day, named by the shifted
day."""
import datetime
import hashlib
import json
import os
import sys


def perturb(text, seed):
    words = text.split(" ")
    if len(words) < 4:
        return text + " " + seed[:6]
    h = int(hashlib.sha1(seed.encode()).hexdigest()[:8], 16)
    i = h % (len(words) - 3)
    del words[i]
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def main():
    rnd = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    shift = datetime.timedelta(days=20 * rnd)
    for path in sys.argv[3:]:
        items = json.load(open(path, encoding="utf-8"))
        day = os.path.basename(path)[:10]
        if rnd:
            day = (datetime.date.fromisoformat(day) + shift).isoformat()
            for a in items:
                seed = "%d|%s|%s" % (rnd, a.get("source", ""), a.get("url", ""))
                d = a.get("date_extracted")
                if d:
                    try:
                        t = datetime.datetime.strptime(d, "%Y-%m-%d %H:%M:%S") + shift
                        a["date_extracted"] = t.strftime("%Y-%m-%d %H:%M:%S")
                    except ValueError:
                        pass
                if a.get("url"):
                    a["url"] = a["url"] + "?replay=%d" % rnd
                if a.get("content"):
                    a["content"] = perturb(a["content"], seed)
        with open(os.path.join(out, day + ".json"), "w", encoding="utf-8") as f:
            json.dump(items, f, ensure_ascii=False)


main()
