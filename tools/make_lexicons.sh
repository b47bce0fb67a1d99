#!/bin/sh
# make_lexicons.sh — rebuilds data/lexicon/stopwords.txt and
# data/lexicon/clitic-protected.txt from their sources. Deterministic
# (LC_ALL=C sort). Run from the project root:
#   sh tools/make_lexicons.sh [/usr/share/hunspell/ar.dic] [../shared/data/ner/anercorp-clean.train.txt]
# Sources:
#   - hunspell-ar (Ayaspell, GPL/LGPL/MPL): its stopwords.dic section (forms
#     with clitics) and its noun/verb sections (words that start with clitic
#     letters but are words in their own right: وزير، كتاب، بريطانيا).
#   - CLEANANERCorp training split (GPL-3.0): entity tokens that start with a
#     clitic letter more often than the same token without that letter occurs
#     (بوتين، واشنطن), i.e. proper nouns a clitic splitter would damage.
#     Also words that end in pronoun-like letters but are whole words
#     (توجه، اتجاه، ذهبنا) and function words that start with clitic letters
#     when the rest is not itself a function word (بينما، فيها، إليه).
#   - hunspell-ar's verb section: imperfect verb forms (يقول، تكون) — the
#     future prefix س is only split from a word when a verb remains.
#   - data/gazetteer/*.txt (the NER gazetteers): names that start with clitic letters.
#   - data/lexicon/stopwords-extra.txt and clitic-protected-extra.txt: hand lists;
#     clitic-protected-exclude.txt removes source entries that do harm.
set -eu
DIC=${1:-/usr/share/hunspell/ar.dic}
NER=${2:-../shared/data/ner/anercorp-clean.train.txt}
export LC_ALL=C
out=data/lexicon
# Section markers in ar.dic are lines of colons followed by a file name.
# (marker, name, marker, content...)
sec() { awk -v name="$1" '/^::::/ {m++; if (m % 2 == 1) {getline t; cur=t}; next} cur==name' "$DIC"; }
{ sec stopwords.dic; cat $out/stopwords-extra.txt; } | cut -d/ -f1 | awk 'NF {print $1}' \
  | grep -v '^#' | sort -u > $out/stopwords.txt
{
  { sec names.dic; sec verb.huns.dic; } | cut -d/ -f1 | awk 'NF {print $1}' | grep -v '^#' \
    | grep -E '^(و|ف|ب|ك|ل|س)'
  sec tools.dic | cut -d/ -f1 | awk 'NF {print $1}' | grep -v '^#' | grep -E '^(ال|أل|إل)'
  awk 'NF>=2 {all[$1]++; if ($2 ~ /^[BI]-/) ent[$1]++}
       END {for (t in ent) if (ent[t]>=2 && length(t)>=6 && t ~ /^(و|ف|ب|ك|ل|س)/ &&
                               t !~ /^(ال|لل|وال|فال|بال|كال)/) {
              r=substr(t,3); if ((all[r]+0) < all[t]) print t } }' "$NER"
  { sec names.dic; sec verb.huns.dic; } | cut -d/ -f1 | awk 'NF {print $1}' | grep -v '^#' \
    | grep -E '(ه|ها|هم|هما|نا|كم)$'
  # function words whose tail is not itself a function word: بينما (not ب + ينما)
  awk 'NR==FNR {stop[$1]=1; next}
       /^(و|ف|ب|ك|ل|س)/ && !(substr($1,3) in stop) {print $1}
       /^(ال|أل|إل)/ && !(substr($1,5) in stop) {print $1}' \
      $out/stopwords.txt $out/stopwords.txt
  # names from the NER gazetteers: every word of a person's name, the first
  # word of a place, one-word organisations (not inner words of organisation
  # names, which do carry clitics: للأنباء)
  G=data/gazetteer
  { cat $G/leaders.txt $G/public-figures.txt $G/first-names.txt | grep -v '^#' | tr ' \t' '\n\n'
    cat $G/countries.txt $G/cities.txt $G/nationalities.txt | grep -v '^#' | awk 'NF {print $1}'
    cat $G/org-*.txt | grep -v '^#' | awk 'NF == 1 {print $1}'
  } | grep -E '^(و|ف|ب|ك|ل|س)'
  grep -v '^#' $out/clitic-protected-extra.txt
} | awk 'NF {print $1}' | grep -vxFf $out/clitic-protected-exclude.txt | sort -u \
  > $out/clitic-protected.txt
sec verb.huns.dic | cut -d/ -f1 | awk 'NF {print $1}' | grep -v '^#' | grep -E '^(ي|ت|ن|ا|أ)' \
  | sort -u > $out/imperfect-verbs.txt
wc -l $out/stopwords.txt $out/clitic-protected.txt $out/imperfect-verbs.txt
