#!/usr/bin/python3
"""Scores a store's identities against labelled spelling pairs.

usage: eval_names_identities.py [--half tune|held|all] PAIRS.tsv ENTITIES.jsonl [...]

PAIRS.tsv: type, spelling A, spelling B, label (S same referent, D two,
U unsure; # comments), source day. --half: tune is the pairs of source day
2015-07-31, held the others (08-01, 08-02, none); all (default) every pair. ENTITIES.jsonl: `rasd entities --json --min 1` of
the store. A pair is together when one listed identity of that type holds
both spellings. Prints, per file: S pairs together, D pairs apart, and the
pairs whose state disagrees with the label.
"""
import json
import re
import sys
import unicodedata

# The form the names list shows a spelling in (text_spelling_form): marks,
# tatweel, invisible characters and presentation forms off, Persian ی/ک as
# Arabic; since session 9 the list shows only that form, so a pair's spelling
# is looked up by it (الهلال اﻷحمر is listed as الهلال الأحمر).
_INVISIBLE = re.compile("[\u064b-\u065f\u0670\u0640\u00ad\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2069\ufeff\u0610-\u061c]")


def shown(s):
    s = unicodedata.normalize("NFKC", s)
    return _INVISIBLE.sub("", s).replace("\u06cc", "\u064a").replace("\u06a9", "\u0643")


def load_pairs(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        out.append((f[0], f[1], f[2], f[3], f[4] if len(f) > 4 else ""))
    return out


TUNE_DAYS = {"2015-07-31"}


def in_half(p, half):
    return half == "all" or (p[4] in TUNE_DAYS) == (half == "tune")


def together_fn(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        for sp in r.get("spellings", {}):
            rows.setdefault((r["type"], shown(sp)), set()).add(r["key"])
    def together(t, a, b):
        return bool(rows.get((t, shown(a)), set()) & rows.get((t, shown(b)), set()))
    return together


def main():
    args = sys.argv[1:]
    half = "all"
    if args[:1] == ["--half"] and len(args) > 1:
        half, args = args[1], args[2:]
    if len(args) < 2 or half not in ("tune", "held", "all"):
        sys.exit(__doc__)
    pairs = [p for p in load_pairs(args[0]) if in_half(p, half)]
    print(f"half {half}: {len(pairs)} pairs")
    for path in args[1:]:
        together = together_fn(path)
        s_tot = sum(1 for p in pairs if p[3] == "S")
        d_tot = sum(1 for p in pairs if p[3] == "D")
        s_ok = d_ok = 0
        wrong = []
        for t, a, b, lab, _ in pairs:
            tog = together(t, a, b)
            if lab == "S":
                s_ok += tog
            elif lab == "D":
                d_ok += not tog
            if lab in "SD" and tog != (lab == "S"):
                wrong.append((lab, t, a, b))
        print(f"{path}: same together {s_ok}/{s_tot}, different apart {d_ok}/{d_tot}, "
              f"right {s_ok + d_ok}/{s_tot + d_tot}")
        for w in wrong:
            print("  wrong", *w, sep="\t")


if __name__ == "__main__":
    main()
