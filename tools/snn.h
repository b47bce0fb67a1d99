/*
 * snn.h — shared by the story tools and benchmarks (header-only, static):
 * loads SaudiNewsNet day files (a JSON array of {source, url,
 * date_extracted, title, author, content}) and turns articles into story
 * vectors the way ingest does (text core, NER keys, sv_build).
 * The corpus is never copied into the repository; paths come from the caller.
 */
#ifndef RASD_TOOLS_SNN_H
#define RASD_TOOLS_SNN_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "annotate/analyze.h"
#include "story/vector.h"

typedef struct SnnArticle {
    char *source, *url, *date, *title, *content; /* malloc'd */
    size_t order;        /* position in the files as read */
} SnnArticle;

static inline char *snn_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return strdup(s ? s : "");
}

/* Appends the articles of one day file; returns the number read, -1 on error. */
static inline long snn_load(const char *path, SnnArticle **arr, size_t *n)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root || !json_is_array(root)) {
        fprintf(stderr, "%s:%d: %s\n", path, je.line, root ? "not a JSON array" : je.text);
        json_decref(root);
        return -1;
    }
    size_t k = json_array_size(root);
    SnnArticle *na = realloc(*arr, (*n + k) * sizeof *na);
    if (!na) {
        json_decref(root);
        return -1;
    }
    *arr = na;
    for (size_t i = 0; i < k; i++) {
        json_t *o = json_array_get(root, i);
        SnnArticle *a = &na[*n];
        a->source = snn_str(o, "source");
        a->url = snn_str(o, "url");
        a->date = snn_str(o, "date_extracted");
        a->title = snn_str(o, "title");
        a->content = snn_str(o, "content");
        a->order = *n;
        (*n)++;
    }
    json_decref(root);
    return (long)k;
}

static inline int snn_by_date(const void *x, const void *y)
{
    const SnnArticle *a = x, *b = y;
    int c = strcmp(a->date, b->date);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* The articles of every day file, in publication order; -1 when a file
   cannot be read (snn_load said why). */
static inline int snn_load_days(char **files, int nfiles, SnnArticle **arr, size_t *n)
{
    for (int i = 0; i < nfiles; i++)
        if (snn_load(files[i], arr, n) < 0)
            return -1;
    qsort(*arr, *n, sizeof **arr, snn_by_date);
    return 0;
}

static inline void snn_free(SnnArticle *arr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(arr[i].source);
        free(arr[i].url);
        free(arr[i].date);
        free(arr[i].title);
        free(arr[i].content);
    }
    free(arr);
}

/* Analyses title and body and builds the raw v (entities from the body, as
   ingest); when body_only is not NULL, also the vector the same article
   would have without its headline. */
static inline int snn_vector2(rasd_text *t, const char *title, const char *body, const char *date,
                       int entities, StoryVec *v, StoryVec *body_only)
{
    rasd_error err;
    rasd_doc *db = NULL, *dt = NULL;
    EntityList ents = { 0 };
    int rc = -1;
    if (rasd_text_analyse(t, body, strlen(body), &db, &err) != RASD_OK)
        goto out;
    if (title && *title && rasd_text_analyse(t, title, strlen(title), &dt, &err) != RASD_OK)
        goto out;
    if (entities && analyze_entities(db, &ents, &err) != RASD_OK)
        goto out;
    if (sv_build(v, db, dt, entities ? &ents : NULL, date, &err) != RASD_OK)
        goto out;
    if (body_only && sv_build(body_only, db, NULL, entities ? &ents : NULL, date, &err) != RASD_OK) {
        sv_free(v);
        goto out;
    }
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "vector: %s\n", err.msg);
    entities_free(&ents);
    rasd_doc_free(db);
    rasd_doc_free(dt);
    return rc;
}

static inline int snn_vector(rasd_text *t, const char *title, const char *body, const char *date,
                      int entities, StoryVec *v)
{
    return snn_vector2(t, title, body, date, entities, v, NULL);
}

/* One line of a hand-labelled pair file ("url_a<TAB>url_b<TAB>label", label
   1 same event, 0 not; other lines skipped): 1 with the two articles'
   indices in arr and *gold, 0 when the line is no pair, -1 when a URL is not
   among arr. line is cut in place. */
static inline int snn_pair_line(char *line, const SnnArticle *arr, size_t n, size_t *ia,
                                size_t *ib, int *gold)
{
    char *a = line, *b = strchr(a, '\t'), *l = b ? strchr(b + 1, '\t') : NULL;
    if (!l || (l[1] != '0' && l[1] != '1'))
        return 0;
    *b++ = 0;
    *l++ = 0;
    *ia = *ib = n;
    for (size_t k = 0; k < n; k++) {
        if (!strcmp(arr[k].url, a))
            *ia = k;
        if (!strcmp(arr[k].url, b))
            *ib = k;
    }
    if (*ia == n || *ib == n)
        return -1;
    *gold = *l == '1';
    return 1;
}

#endif
