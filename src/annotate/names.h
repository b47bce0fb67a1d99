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

#endif
