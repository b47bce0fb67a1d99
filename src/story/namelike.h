/*
 * namelike.h — could two name keys (annotate/names.h) be one person? The
 * tests conflicts.c asks before it calls two holders of an office, or two
 * speakers of one quotation, a disagreement. Private to src/story.
 */
#ifndef RASD_STORY_NAMELIKE_H
#define RASD_STORY_NAMELIKE_H

#include <stddef.h>
#include <stdint.h>

/* Equal keys, or every word of the shorter in the longer, in order. */
int namelike_same_person(const char *a, size_t an, const char *b, size_t bn);
/* A word of three or more letters in common, kinship words (بن، ابن، ال) aside. */
int namelike_share_word(const char *a, size_t an, const char *b, size_t bn);
/* One name spelled two ways: like words (one edit), a split word, titles aside. */
int namelike_alike(const char *a, size_t an, const char *b, size_t bn);
/* Code points of UTF-8 s[0..n) into out (at most max); returns how many. */
size_t namelike_code_points(const char *s, size_t n, int32_t *out, size_t max);
/* Edit distance with adjacent transpositions, capped at 3. */
int namelike_edit_distance(const int32_t *a, size_t n, const int32_t *b, size_t m);

#endif
