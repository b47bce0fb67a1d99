/*
 * names.h — the context-free identity key of a name (design.md §3 `key`):
 * every spelling of one person, place or organisation should get the same
 * key, different names different keys, without looking at the article.
 *
 * The key is a phonetic skeleton of the name's Arabic-script words (letter
 * classes folded, inner long vowels dropped, see names.c), Latin words
 * casefolded without diacritics, words separated by one space; a small
 * embedded alias table (data/lexicon/aliases.txt) then joins names that no
 * spelling rule can (سي إن إن = CNN, كوريا الديمقراطية = كوريا الشمالية).
 * Known limit: spellings that differ only in what Arabic script does not
 * write stay together (عمان Oman / عمّان Amman share a key).
 */
#ifndef RASD_NAMES_H
#define RASD_NAMES_H

#include <stddef.h>

#include "../util/util.h"

/*
 * Appends the key of the n bytes of name (untrusted: invalid UTF-8 is
 * replaced) to out. A name with no letters or digits has the empty key.
 * Returns 0, or -1 if memory ran out (out->oom is then set too).
 * Thread-safe: the alias table is built once, on first use.
 */
int names_key(const char *name, size_t n, Buf *out);

/* The same, without the alias table: the spelling skeleton alone. */
int names_skeleton(const char *name, size_t n, Buf *out);

/*
 * The key of a person's name: names_key of the name after titles it opens
 * with are dropped (الأمير، خادم الحرمين الشريفين، ولي العهد), words that
 * end no name are dropped from its end (names_trailing_word), and a nasab
 * chain is cut after the father's name (سلمان بن عبد العزيز آل سعود =
 * سلمان بن عبدالعزيز; ابن inside a chain is بن) unless a family name follows
 * it (حمد بن محمد العوهلي ≠ حمد بن محمد الحارثي), so that the chains and
 * titles one person is written with give one identity. Returns 0 or -1 (oom).
 */
int names_person_key(const char *name, size_t n, Buf *out);

/*
 * Is the KEY-normalised word w (n bytes) one that ends no person's name:
 * the title of the next phrase (ولي of ولي العهد, وزير), or a nasab or
 * family link with nothing after it (بن، آل)? 1 or 0.
 */
int names_trailing_word(const char *w, size_t n);

/*
 * Is the KEY-normalised word w (n bytes) a link that a name goes on after
 * (آل، بن، ابن، بنت، أبو، عبد)? A name cut there is cut short. 1 or 0.
 */
int names_link_word(const char *w, size_t n);
/* Is w[0..n) (a word or a one-word key) an Arabic given name listed in
   data/lexicon/arabic-names.txt (صلاح، هاني، سلام)? Such a word alone may be
   anyone's: the entity summary joins no full name by it (store/entsum.c). */
int names_given_name(const char *w, size_t n);

/* Is w[0..n) (one KEY-normalised word) written as an Arabic word: a letter
   only Arabic words have (ح ع ص ض ظ) or a listed Arabic given name? Such
   a word after ب is a preposition's object (بمحمد, بحسن), never a
   transliteration that starts with P/B. 1 or 0. */
int names_arabic_word(const char *w, size_t n);

/*
 * Would the key keep the article of w (n bytes, KEY-normalised, the word
 * after its article ال)? It does when w is short (fewer than four code
 * points: الجدة is not جدة, الخبر is not خيبر, الكوت is not الكويت), so a
 * caller that strips the text core's proclitics must give such a word back
 * its ال before asking for the key. 1 or 0.
 */
int names_article_kept(const char *w, size_t n);

/*
 * The matcher: a second, more lenient judgement than key equality, for
 * linking mentions that a story already brings together (names_match.c).
 * It forgives what the key cannot express — w/v, s/sh, ch, silent h and
 * final consonants, a missing middle name, a surname alone — but is
 * stricter than the key on vowels written differently in one place
 * (بيتر/بوتر). So it is not a superset of key equality: callers that want
 * both join pairs with equal keys or a match.
 */

/*
 * Appends the form of name (untrusted bytes) to out: its words, letters
 * folded as in the key but vowel letters kept, with "*" before a word taken
 * for an Arabic name and "!" before a generation word (الابن، جونيور).
 * Readable, and the input of names_form_distance. Returns 0 or -1 (oom).
 */
int names_form(const char *name, size_t n, Buf *out);

/*
 * How far apart two forms (from names_form; any bytes are safe) are, as a
 * multiple of what their length allows: <= 1 means the same name, a large
 * value (1e9) names whose words cannot be aligned. Symmetric; thread-safe;
 * allocates nothing.
 */
double names_form_distance(const char *a, size_t na, const char *b, size_t nb);

/*
 * Same name? 1 when names_form_distance <= 1 or both names hit one alias
 * (CNN = سي إن إن), 0 if not, -1 if memory ran out. Thread-safe.
 */
int names_match(const char *a, size_t na, const char *b, size_t nb);

#endif
