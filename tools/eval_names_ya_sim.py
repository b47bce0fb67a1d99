#!/usr/bin/python3
"""Simulates a key rule on a store's mentions against the labelled identity pairs.

usage: eval_names_ya_sim.py STORE.db PAIRS.tsv

Regroups the store's mentions by (type, key), and again with the rule "a
non-person name keeps a final ي" (key + "|ي" when a spelling that is no
nationality adjective ends in ي or ى), for every non-person type and for LOC
and MISC only; prints S pairs together and D pairs apart per half (tune: source
day 2015-07-31; held: the others) and the pairs each rule changes. The rule is
not in names_key: this measures what it would do (BENCHMARKS.md, names session 9).
The store's entity summary joins (surnames, a place once typed "other") are
left out; without the rule the counts equal eval_names_identities.py's.
"""
import collections
import sqlite3
import sys


def groups(rows, types):
    g = collections.defaultdict(set)
    for t, k, x in rows:
        if t in types and not k.startswith("adj:") and x.rstrip()[-1:] in ("ي", "ى"):
            k = k + "|ي"
        g[(t, x)].add(k)
    return g


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = sqlite3.connect(sys.argv[1]).execute("SELECT type, key, text FROM mentions").fetchall()
    pairs = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")
             if l.strip() and not l.startswith("#")]
    base = groups(rows, ())
    for name, types in (("none", ()), ("non-person", ("LOC", "MISC", "ORG")),
                        ("LOC and MISC", ("LOC", "MISC"))):
        g = groups(rows, types)
        out = []
        for half in ("tune", "held"):
            ps = [p for p in pairs if (p[4] == "2015-07-31") == (half == "tune")]
            s = sum(1 for p in ps if p[3] == "S" and g[(p[0], p[1])] & g[(p[0], p[2])])
            d = sum(1 for p in ps if p[3] == "D" and not g[(p[0], p[1])] & g[(p[0], p[2])])
            out.append(f"{half} S {s}/{sum(p[3] == 'S' for p in ps)}"
                       f" D {d}/{sum(p[3] == 'D' for p in ps)}")
        print(f"rule {name}: " + ", ".join(out))
        for p in pairs:
            if bool(base[(p[0], p[1])] & base[(p[0], p[2])]) != bool(g[(p[0], p[1])] & g[(p[0], p[2])]):
                print("  changed", p[4], p[3], p[0], p[1], p[2], sep="\t")


if __name__ == "__main__":
    main()
