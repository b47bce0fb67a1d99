/*
 * ingest.h — bytes in, clean articles out. Every reader turns one input
 * (a file's bytes) into zero or more Articles in a Batch, and records a
 * problem with one item (a bad JSON line, a feed item with no body) as an
 * error in the Batch without losing the other items. A reader returns an
 * error code only when nothing at all could be read.
 *
 * Readers (one file each): plaintext.c (plain text), html.c (web pages),
 * feed.c (RSS 2.0 / Atom), json.c (JSON Lines or a JSON array), and
 * encoding.c (detects UTF-8/UTF-16/windows-1256/ISO-8859-6 and converts).
 * detect.c picks a reader from the content, not only the file name.
 */
#ifndef RASD_INGEST_H
#define RASD_INGEST_H

#include <stddef.h>

#include "rasd.h"
#include "../util/util.h"

typedef struct Article {
    char *title;     /* headline, UTF-8, or NULL */
    char *outlet;    /* publisher as named in the source ("السومرية"), or NULL */
    char *agency;    /* original agency credited ("سي إن إن", "رويترز"), or NULL */
    char *published; /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[Z|±HH:MM]", or NULL */
    char *url;       /* canonical link, or NULL */
    char *author;    /* byline person, or NULL */
    char *body;      /* clean UTF-8 text, paragraphs separated by "\n\n"; never NULL */
    char *origin;    /* where it came from: "path", "path#item3", "path:12" */
    int parent;      /* index in the Batch of the page this was split from, or -1 */
} Article;

typedef struct Batch {
    Article *items;     /* owned; each field malloc'd */
    size_t n, cap;
    char **errors;      /* owned messages, each naming file and line/item */
    size_t nerrors, cap_errors;
    size_t skipped;     /* items with no text at all (an empty "content", a feed item
                           with no body): left out and counted, not errors */
} Batch;

/* Appends a zeroed article (parent = -1) and returns it, or NULL when out of memory. */
Article *batch_add(Batch *b);
/* Records "origin: message" as an item-level error. */
void batch_error(Batch *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void batch_free(Batch *b);
void article_free(Article *a);
char *xstrndup(const char *s, size_t n); /* malloc'd NUL-terminated copy, NULL on OOM */

/* Input formats. */
typedef enum IngestFormat {
    FMT_UNKNOWN = 0,
    FMT_TEXT,
    FMT_HTML,
    FMT_FEED,  /* RSS 2.0 or Atom */
    FMT_JSON   /* JSON Lines or a JSON array of objects */
} IngestFormat;

/* Guesses the format from the first bytes (and the name's extension as a tie-breaker). */
IngestFormat ingest_detect(const char *bytes, size_t n, const char *name);

/*
 * Converts input in any supported encoding to UTF-8 (BOM removed). Returns
 * RASD_EFORMAT with a message naming the encoding when it is not supported.
 * *out is malloc'd, owned by the caller.
 */
rasd_err ingest_to_utf8(const char *bytes, size_t n, const char *origin, char **out,
                        size_t *out_len, rasd_error *err);

/* Readers: bytes are UTF-8 already (see ingest_to_utf8); origin names the input. */
rasd_err ingest_text(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err);
rasd_err ingest_html(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err);
rasd_err ingest_feed(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err);
rasd_err ingest_json(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err);

/* Strips markup from an HTML fragment (feed descriptions) into text. malloc'd. */
char *ingest_html_fragment_text(const char *html, size_t n);

/*
 * Splits articles appended under "اقرأ أيضا" and similar markers into their
 * own Article (parent set), drops related-headline lists with no body.
 * Applied by every reader to every article it makes.
 */
void ingest_split_appended(Batch *b, size_t index);

/*
 * 1 if s is a date rasd stores: YYYY, YYYY-MM, YYYY-MM-DD or
 * YYYY-MM-DDTHH:MM[:SS[.frac]][Z|±HH:MM], fields in range; 0 otherwise
 * (valid_date.c). Every `published` a reader or manifest produces passes it.
 */
int ingest_valid_date(const char *s);

/*
 * Drops each `published` of b->items[from..] that ingest_valid_date refuses,
 * with an item message naming the article's origin and the value. The
 * article is kept. (walk.c; run on every Batch ingest_read_file makes.)
 */
void ingest_check_dates(Batch *b, size_t from);

/* Normalises a date string in any common form to "YYYY-MM-DD[THH:MM:SS...]"; NULL if unknown. */
char *ingest_parse_date(const char *s, size_t n);

#endif
