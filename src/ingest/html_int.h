/*
 * html_int.h — what the HTML reader's files share (html.c: walking, text,
 * parsing, boilerplate removal; html_meta.c: the metadata of a page from
 * JSON-LD, <meta>, <link>, <time>, <title> and title suffixes).
 */
#ifndef RASD_INGEST_HTML_INT_H
#define RASD_INGEST_HTML_INT_H

#include <stddef.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "util/util.h"

typedef struct Field {
    char *v;  /* malloc'd value or NULL */
    int prio; /* trust of the source it came from; higher wins */
} Field;

typedef struct Meta {
    Field title;      /* headline */
    Field outlet;     /* publisher name */
    Field published;  /* normalised date */
    Field url;        /* canonical link */
    Field author;     /* byline */
    char *title_tag;  /* raw <title> text, for suffix handling */
    char *ld_body;    /* JSON-LD articleBody, the fallback body */
    int ld_objects;   /* JSON-LD objects looked at so far (capped: hostile pages) */
} Meta;

typedef struct Walk {
    xmlNodePtr root;  /* subtree being walked */
    xmlNodePtr cur;   /* node of the last event */
    int leaving;      /* the last event was leaving cur (elements only) */
    int skip;         /* set by the caller after an enter: do not descend */
} Walk;

typedef struct TextOut {
    Buf out;          /* finished paragraphs joined by "\n\n" */
    Buf para;         /* the paragraph being built */
    size_t para_text; /* non-space bytes in para */
    size_t para_link; /* of which inside links */
    int space;        /* white space seen since the last character */
    int drop_links;   /* drop paragraphs that are (almost) all link text */
} TextOut;

void html_meta_free(Meta *m);
void html_collect_meta(htmlDocPtr doc, Meta *m);
size_t html_count_words(const char *s, size_t n);
void html_finish_title(Meta *m);
xmlNodePtr html_walk_start(Walk *w, xmlNodePtr root);
xmlNodePtr html_walk_next(Walk *w);
int html_name_is(xmlNodePtr n, const char *name);
char *html_attr(xmlNodePtr n, const char *name);
int html_attr_eq(xmlNodePtr n, const char *name, const char *value);
void html_render(TextOut *t, xmlNodePtr root, int skip_h1);
char *html_node_line(xmlNodePtr root);
char *html_plain_paragraphs(const char *s);
char *html_clean_meta_value(const char *s);

#endif
