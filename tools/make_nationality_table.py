#!/usr/bin/python3
"""make_nationality_table.py — writes the nationality adjective → country
table of data/lexicon/offices.txt and its list of places (the lines between
the "BEGIN adj" and "END adj" markers), which the role finder
(src/annotate/roles.c) uses to read "وزير الدفاع الروسي" and "وزير خارجية
فرنسا" as offices of روسيا and فرنسا.

Run once from the project root (deterministic; the output is committed):
    /usr/bin/python3 tools/make_nationality_table.py [/usr/share/hunspell/ar.dic]

Sources:
  - hunspell-ar (Ayaspell, GPL/LGPL/MPL), /usr/share/hunspell/ar.dic: its
    "#البلدان" section lists countries, each followed by its nisba adjective
    when that is irregular (روسيا/57 then روسي/58); flags 59/60/62 mark
    countries whose adjective is the regular nisba (59: written with ال).
  - data/gazetteer/countries.txt and nationalities.txt (hand-written by the
    rasd authors): country spellings used in news and attested adjectives.
  - The HAND table below: adjectives no rule derives (أمريكي → الولايات
    المتحدة, نمساوي → النمسا) and the two-word ones (كوري شمالي).
A regular nisba is accepted only when it is attested (in nationalities.txt
or as a hunspell word), so the rules never invent an adjective. Adjectives
that are also everyday words are left out (EXCLUDE): مالي is "financial"
far more often than "Malian" (وزير المالية).
"""
import re
import sys

DIC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/hunspell/ar.dic"
OUT = "data/lexicon/offices.txt"
GAZ = "data/gazetteer/"

# adjective (masculine, no article) -> country, as written in news
HAND = {
    "أمريكي": "الولايات المتحدة", "أميركي": "الولايات المتحدة",
    "بريطاني": "بريطانيا", "إنجليزي": "بريطانيا", "إنكليزي": "بريطانيا",
    "نمساوي": "النمسا", "إماراتي": "الإمارات", "سعودي": "السعودية",
    "فلسطيني": "فلسطين", "إسرائيلي": "إسرائيل", "أوروبي": "الاتحاد الأوروبي",
    "كوري شمالي": "كوريا الشمالية", "كوري جنوبي": "كوريا الجنوبية",
    "جنوب أفريقي": "جنوب أفريقيا", "جنوب سوداني": "جنوب السودان",
    "سوري": "سوريا", "تشيكي": "التشيك", "هولندي": "هولندا", "مجري": "المجر",
    "هنغاري": "المجر", "بيلاروسي": "بيلاروسيا", "كازاخي": "كازاخستان",
    "أوزبكي": "أوزبكستان", "أذربيجاني": "أذربيجان", "يمني": "اليمن",
    "سوفيتي": "الاتحاد السوفيتي", "سوفياتي": "الاتحاد السوفيتي",
    "نيوزيلندي": "نيوزيلندا", "فلبيني": "الفلبين", "بحريني": "البحرين",
    "أفغاني": "أفغانستان", "باكستاني": "باكستان", "بنغالي": "بنغلاديش",
    "تايواني": "تايوان", "أرجنتيني": "الأرجنتين", "تشيلي": "تشيلي",
    "إيرلندي": "أيرلندا", "إسكتلندي": "اسكتلندا", "اسكتلندي": "اسكتلندا",
    "كونغولي": "الكونغو", "دنماركي": "الدنمارك", "عماني": "عمان",
    "قطري": "قطر", "كويتي": "الكويت", "أردني": "الأردن", "مغربي": "المغرب",
    "جزائري": "الجزائر", "سوداني": "السودان", "صومالي": "الصومال",
    "عراقي": "العراق", "لبناني": "لبنان", "مصري": "مصر", "ليبي": "ليبيا",
    "تونسي": "تونس", "موريتاني": "موريتانيا", "إيراني": "إيران",
    "تركي": "تركيا", "روسي": "روسيا", "صيني": "الصين", "ياباني": "اليابان",
    "هندي": "الهند", "فرنسي": "فرنسا", "ألماني": "ألمانيا",
    "أوكراني": "أوكرانيا", "شيشاني": "الشيشان", "كردستاني": "كردستان",
}
# nisbas that are also common words or name no single polity
EXCLUDE = {"مالي", "عربي", "غربي", "شرقي", "خليجي", "أفريقي", "إفريقي",
           "آسيوي", "أسيوي", "أوربي", "دولي", "عالمي", "إسلامي", "غيني",
           "روماني", "ملغاشي", "آسي", "ضفي", "غزي", "متوسطي",
           "بلقاني", "قوقازي", "ساوتومي", "قمري"}
# (غيني: Guinea and Equatorial Guinea; روماني is also Roman; قمري is "lunar";
#  the rest name regions, not polities. جورجي and كيني are also first names,
#  but the matcher wants an adjective to agree in definiteness with its office)

FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def fold(s):
    return s.translate(FOLD)


def lines(path):
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.strip()
            if ln and not ln.startswith("#"):
                yield ln


def hunspell_section():
    """(word, flag) of the #البلدان section, in order."""
    out, on = [], False
    with open(DIC, encoding="utf-8") as f:
        for ln in f:
            ln = ln.strip()
            if ln.startswith("#البلدان"):
                on = True
                continue
            if on and ln.startswith("#"):
                break
            if on and "/" in ln:
                w, fl = ln.split("/", 1)
                out.append((w.replace("\u200e", ""), fl))
    return out


def hunspell_words():
    """Every word stem of the dictionary (folded), to attest a nisba."""
    ws = set()
    with open(DIC, encoding="utf-8") as f:
        for ln in f:
            w = ln.split("/", 1)[0].strip()
            if w and not w.startswith("#") and " " not in w:
                ws.add(fold(w))
    return ws


def nisba_candidates(w):
    """Regular nisba forms of one country word without its article."""
    c = [w + "ي"]
    if w.endswith("يا"):
        c.append(w[:-2] + "ي")
    if w.endswith(("ا", "ة", "ه")):
        c.append(w[:-1] + "ي")
    if w.endswith("ستان"):
        c.append(w[:-4] + "ي")
    return c


def bare(w):
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


def main():
    attested = {fold(bare(w)) for w in lines(GAZ + "nationalities.txt")
                if " " not in w and not w.endswith("ة") and w.endswith("ي")}
    hun = hunspell_words()
    table = {}  # adjective -> country
    for a, c in HAND.items():
        table[a] = c
    sec = hunspell_section()
    # explicit pairs: a country/57 followed by its adjective/58
    for i in range(1, len(sec)):
        if sec[i][1] == "58" and sec[i - 1][1] == "57":
            table.setdefault(sec[i][0], sec[i - 1][0])
    countries = list(lines(GAZ + "countries.txt"))
    for w, fl in sec:
        if fl in ("59", "62"):
            countries.append("ال" + w)
        elif fl in ("60", "57"):
            countries.append(w)
    # one spelling per country (ألمانيا, not also المانيا read as ال + مانيا)
    seen_c, uniq = set(), []
    for c in countries:
        if fold(c) not in seen_c:
            seen_c.add(fold(c))
            uniq.append(c)
    for c in uniq:
        if " " in c:
            continue
        cands = nisba_candidates(bare(c))
        # attested in the news gazetteer first, then any hunspell word
        pick = [x for x in cands if fold(x) in attested] or \
               [x for x in cands if fold(x) in hun and fold(bare(c)) != fold(x)]
        if pick:
            table.setdefault(pick[0], c)
    # a country spelled several ways: keep the spelling countries.txt uses
    gaz = {}
    for c in lines(GAZ + "countries.txt"):
        gaz.setdefault(fold(bare(c)), c)
    by_country = {}
    seen = set()
    for a in sorted(table):
        if a in EXCLUDE or fold(a) in {fold(x) for x in EXCLUDE}:
            continue
        if fold(a) in seen:
            continue
        seen.add(fold(a))
        c = table[a]
        c = gaz.get(fold(bare(c)), c)
        by_country.setdefault(c, []).append(a)
    body = ["# ---- BEGIN adj (generated by tools/make_nationality_table.py: do not edit by hand)"]
    for c in sorted(by_country):
        body.append("adj %s = %s" % (c, " | ".join(sorted(by_country[c]))))
    # every place of the gazetteer, so "وزير خارجية فرنسا" finds its country
    # when the tagger missed it; each place is its own jurisdiction
    places = list(lines(GAZ + "countries.txt"))
    for i in range(0, len(places), 12):
        body.append("place - = %s" % " | ".join(places[i:i + 12]))
    body.append("# ---- END adj")
    with open(OUT, encoding="utf-8") as f:
        text = f.read()
    new, n = re.subn(r"# ---- BEGIN adj.*?# ---- END adj", "\n".join(body), text, flags=re.S)
    if n != 1:
        sys.exit("%s: no BEGIN adj / END adj markers" % OUT)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(new)
    print("%s: %d adjectives for %d countries, %d places" % (OUT, len(seen), len(by_country),
                                                            len(places)))


if __name__ == "__main__":
    main()
