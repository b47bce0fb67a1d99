/*
 * readers.h — what the ingest readers share among themselves and nobody
 * else needs (ingest.h is the stage's face to the rest of rasd): the line
 * tools of plaintext.c, the "اقرأ أيضا" marker test of split.c and the HTML
 * text renderers of html.c.
 */
#ifndef RASD_READERS_H
#define RASD_READERS_H

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

/* batch.c: bytes as valid UTF-8 in out (NUL-terminated): every reader runs on
   this, so libxml2 never switches encoding and jansson never rejects a file
   for one bad byte. -1 when out of memory or over 2 GiB. */
int ingest_clean(const char *bytes, size_t n, Buf *out);

/* batch.c: libxml2's messages captured instead of printed (the library never
   prints): between begin and end every structured and generic libxml2 error
   of this thread is counted here and the first kept, one line. */
typedef struct XmlErrs {
    int count;         /* errors reported */
    int line;          /* line of the first */
    int code;          /* libxml2's code of the first (xmlParserErrors) */
    char first[200];   /* the first message, one line, no trailing newline */
    void *old_sctx, *old_gctx;                /* handlers to restore */
    void (*old_s)(void *, xmlErrorPtr);
    void (*old_g)(void *, const char *, ...);
} XmlErrs;
void xml_errs_begin(XmlErrs *x);
void xml_errs_end(XmlErrs *x);

/* plaintext.c: lines of plain text */
void txt_trim(const char *s, size_t *b, size_t *e); /* shrink [*b,*e) past white space */
size_t txt_chars(const char *s, size_t n);          /* code points */
size_t txt_words(const char *s, size_t n);          /* white-space separated words */
/* Folded matching key of s into key (cap bytes); offs (may be NULL) maps key bytes to s. */
size_t txt_fold(const char *s, size_t n, char *key, size_t cap, uint32_t *offs);
int txt_is_headline(const char *s, size_t n);       /* reads as a headline */
int txt_is_meta_line(const char *s, size_t n);      /* byline, source or date line */
char *txt_date(const char *s, size_t n);            /* date of a date line, malloc'd or NULL */
/* Fills a from plain text s (title, credits, date, body). 0 ok, -1 out of memory. */
int txt_parse(Article *a, const char *s, size_t n, int first_line_is_title);

/* split.c: is this line an "اقرأ أيضا" marker? *rest = where text after it starts */
int split_marker_at(const char *s, size_t n, size_t *rest);

/* html.c: the text of an element subtree / an HTML fragment as paragraphs, malloc'd */
char *html_node_text(xmlNodePtr root, int drop_link_paras);
char *html_fragment_text(const char *html, size_t n, int drop_link_paras);

#endif
