/*
 * parse.h — the small parsers of `rasd watch`, one file each, all fed
 * untrusted bytes (each has a fuzz target under tests/fuzz/):
 *   sources.c  a sources list (URL [outlet] a line) or an OPML export;
 *   robots.c   robots.txt (RFC 9309 groups, Allow/Disallow, * and $);
 *   links.c    the article links of an HTML section page;
 *   jsonfeed.c JSON Feed 1.x (https://jsonfeed.org/version/1.1) to Articles.
 */
#ifndef RASD_WATCH_PARSE_H
#define RASD_WATCH_PARSE_H

#include <stddef.h>

#include "rasd.h"
#include "ingest/ingest.h"

typedef struct SourceSpec {
    char *url;     /* http(s) URL, malloc'd */
    char *outlet;  /* outlet name, malloc'd, or NULL */
} SourceSpec;

typedef struct SourceList {
    SourceSpec *v; /* owned */
    size_t n, cap;
    char **errors; /* owned messages naming origin and line */
    size_t nerrors, caperrors;
} SourceList;

/* Reads a sources list or (when the bytes are XML with <opml>) an OPML
   file. Bad lines are recorded in out->errors; RASD_EFORMAT only when
   nothing at all could be read from an OPML file. */
rasd_err sources_parse(const char *bytes, size_t n, const char *origin, SourceList *out,
                       rasd_error *err);
void sources_free(SourceList *l);

/* 1 when robots.txt (n bytes) lets agent (product token, e.g. "rasd")
   fetch path ("/a/b?q"), 0 when it does not. */
int robots_allowed(const char *txt, size_t n, const char *agent, const char *path);

typedef struct LinkList {
    char **v;      /* absolute http(s) URLs, malloc'd, first-seen order, no duplicates */
    size_t n, cap;
} LinkList;
/* The links of an HTML page (base = its URL) that look like articles on
   the same host: not the page itself, not feeds, images or the site root;
   at most max of them. */
rasd_err links_extract(const char *html, size_t n, const char *base, size_t max, LinkList *out,
                       rasd_error *err);
void links_free(LinkList *l);

/* 1 when the bytes are a JSON Feed (an object whose "version" names jsonfeed.org). */
int jsonfeed_detect(const char *bytes, size_t n);
/* Items of a JSON Feed as Articles (origin "origin#itemN"); item errors in out. */
rasd_err jsonfeed_read(const char *bytes, size_t n, const char *origin, Batch *out,
                       rasd_error *err);

#endif
