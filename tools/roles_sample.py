#!/usr/bin/python3
"""roles_sample.py — lists the roles `rasd analyze` finds in a random sample
of SaudiNewsNet articles, for checking by hand (BENCHMARKS.md, "Roles").

    /usr/bin/python3 tools/roles_sample.py DAY.json N SEED [SKIP_SEED] > listing.txt

DAY.json is one extracted SaudiNewsNet day (a JSON array; see
bench/extract_days.sh). N articles with text are drawn with random.seed(SEED)
(minus those drawn with SKIP_SEED, to extend a sample without repeating it),
run through build/rasd analyze, and every PERS mention with a role is printed
with its office key and 60 bytes of context either side, numbered for the
checker; then the role-only mentions linked to a person. The first line
gives the counts: PERS mentions, how many carry a role, role-only mentions,
how many are linked. The data is CC BY-NC-SA: the listing stays outside the
repository.
"""
import json
import random
import subprocess
import sys


def sample(path, n, seed, skip_seed=None):
    arts = [a for a in json.load(open(path, encoding="utf-8")) if (a.get("content") or "").strip()]
    random.seed(seed)
    picked = random.sample(arts, min(n, len(arts)))
    if skip_seed is not None:
        random.seed(skip_seed)
        seen = {json.dumps(a, sort_keys=True) for a in random.sample(arts, min(n, len(arts)))}
        random.seed(seed)
        picked = [a for a in random.sample(arts, min(4 * n, len(arts)))
                  if json.dumps(a, sort_keys=True) not in seen][:n]
    return picked


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    arts = sample(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                  int(sys.argv[4]) if len(sys.argv) > 4 else None)
    lines = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts)
    out = subprocess.run(["build/rasd", "analyze", "-"], input=lines.encode(),
                         capture_output=True, check=True).stdout.decode()
    per = with_role = only = linked = 0
    rows, links = [], []
    for i, line in enumerate(out.splitlines()):
        o = json.loads(line)
        text = o["text"].encode()
        ents = o["entities"]
        for e in ents:
            if e["type"] != "PER":
                continue
            per += 1
            r = e.get("role")
            if not r:
                continue
            with_role += 1
            a, b = min(r["start"], e["start"]), max(r["end"], e["end"])
            ctx = text[max(0, a - 60):b + 60].decode("utf-8", "ignore").replace("\n", " ")
            offices = " + ".join([r["office"]] + r.get("also", []))
            rows.append("%d\t[%s] => %s%s :: %s\n\t%s" % (
                i, r["text"], offices, " (former)" if r.get("former") else "", e["text"], ctx))
        for r in o["roles"]:
            only += 1
            if r["entity"] is not None:
                linked += 1
                ctx = text[max(0, r["start"] - 60):r["end"] + 40].decode("utf-8", "ignore")
                links.append("%d\t[%s] => %s ~> %s\n\t%s" % (
                    i, r["text"], r["office"], ents[r["entity"]]["text"], ctx.replace("\n", " ")))
    print("articles %d, PERS mentions %d, with a role %d, role-only mentions %d, linked %d" % (
        len(arts), per, with_role, only, linked))
    for k, row in enumerate(rows):
        print("R%d\t%s" % (k, row))
    for k, row in enumerate(links):
        print("L%d\t%s" % (k, row))


if __name__ == "__main__":
    main()
