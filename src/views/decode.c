/*
 * decode.c — a brief's or a conflict list's JSON form read back into the
 * structs of include/rasd.h (views.h), and the allocation of those structs
 * for the code that builds them (views_brief_new, views_str ...). The stored brief cache keeps the
 * JSON form; a view decodes it once and renders from the struct.
 *
 * Everything a decoded result points to lives in one arena, allocated
 * behind the public struct (Box), so rasd_brief_free frees it in one call.
 * Input may be hostile (the fuzz targets feed it bytes): a field of the
 * wrong type reads as absent, never as a crash.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "views/views.h"

typedef struct BriefBox {
    rasd_brief b;        /* first: the public struct's address is the box's */
    Arena a;             /* every string and array the brief points to */
} BriefBox;

typedef struct SetBox {
    rasd_conflict_set c; /* first, as above */
    Arena a;
} SetBox;

static void *zalloc(Arena *a, size_t n, size_t size)
{
    if (n && size > SIZE_MAX / n) {
        a->oom = 1;
        return NULL;
    }
    void *p = arena_alloc(a, n * size > 0 ? n * size : 1);
    if (p)
        memset(p, 0, n * size);
    return p;
}

rasd_brief *views_brief_new(Arena **arena)
{
    BriefBox *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    arena_init(&x->a, 16 * 1024);
    *arena = &x->a;
    return &x->b;
}

rasd_conflict_set *views_conflicts_new(Arena **arena)
{
    SetBox *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    arena_init(&x->a, 16 * 1024);
    *arena = &x->a;
    return &x->c;
}

Arena *views_brief_arena(rasd_brief *b) { return &((BriefBox *)b)->a; }

Arena *views_conflicts_arena(rasd_conflict_set *c) { return &((SetBox *)c)->a; }

void *views_calloc(Arena *a, size_t n, size_t size) { return zalloc(a, n, size); }

const char *views_str(Arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void views_trim_span(const char *text, uint32_t *start, uint32_t *end)
{
    while (*start < *end && (text[*start] == ' ' || text[*start] == '\n'))
        (*start)++;
    while (*end > *start && (text[*end - 1] == ' ' || text[*end - 1] == '\n'))
        (*end)--;
}

const char *views_trimmed(Arena *a, const char *text, uint32_t start, uint32_t end)
{
    views_trim_span(text, &start, &end);
    return arena_strndup(a, text + start, end - start);
}

/* The string o[k], copied; NULL when absent, null or not a string. */
static const char *str(Arena *a, json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    const char *s = json_string_value(v);
    return s ? arena_strndup(a, s, json_string_length(v)) : NULL;
}

static int64_t num(json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static uint32_t offset(json_t *o, const char *k)
{
    json_int_t v = json_integer_value(json_object_get(o, k));
    return v < 0 ? 0 : v > (json_int_t)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* o[k] as an array of strings (an element that is not a string is NULL). */
static const char **strs(Arena *a, json_t *o, const char *k, size_t *n)
{
    json_t *arr = json_object_get(o, k);
    *n = json_array_size(arr);
    if (!*n)
        return NULL;
    const char **v = zalloc(a, *n, sizeof *v);
    if (!v) {
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < *n; i++) {
        json_t *x = json_array_get(arr, i);
        const char *s = json_string_value(x);
        v[i] = s ? arena_strndup(a, s, json_string_length(x)) : NULL;
    }
    return v;
}

/* Allocates the array o[k] of elements of size bytes; *n its length. */
static void *items(Arena *a, json_t *o, const char *k, size_t size, size_t *n, json_t **arr)
{
    *arr = json_object_get(o, k);
    *n = json_array_size(*arr);
    if (!*n)
        return NULL;
    void *p = zalloc(a, *n, size);
    if (!p)
        *n = 0;
    return p;
}

/* o["cite"] when it is an object (briefs since BRIEF_VERSION 12); else left zero. */
static void decode_cite(Arena *a, json_t *o, rasd_citation *c)
{
    json_t *z = json_object_get(o, "cite");
    if (!json_is_object(z))
        return;
    c->article = str(a, z, "article");
    c->outlet = str(a, z, "outlet");
    c->url = str(a, z, "url");
    c->start = offset(z, "start");
    c->end = offset(z, "end");
}

static void decode_summary(Arena *a, json_t *r, rasd_brief *b)
{
    json_t *arr, *sub;
    rasd_brief_sentence *v = items(a, r, "summary", sizeof *v, &b->nsummary, &arr);
    for (size_t i = 0; i < b->nsummary; i++) {
        json_t *s = json_array_get(arr, i);
        v[i].text = str(a, s, "text");
        v[i].article = str(a, s, "article");
        v[i].start = offset(s, "start");
        v[i].end = offset(s, "end");
        v[i].sources = strs(a, s, "sources", &v[i].nsources);
        decode_cite(a, s, &v[i].cite);
        v[i].corroboration = num(s, "corroboration");
        v[i].score = json_number_value(json_object_get(s, "score"));
        rasd_brief_support *sp = items(a, s, "support", sizeof *sp, &v[i].nsupport, &sub);
        for (size_t k = 0; k < v[i].nsupport; k++) {
            json_t *x = json_array_get(sub, k);
            sp[k].article = str(a, x, "article");
            sp[k].outlet = str(a, x, "outlet");
            sp[k].similarity = json_number_value(json_object_get(x, "similarity"));
            sp[k].text = str(a, x, "text");
        }
        v[i].support = sp;
    }
    b->summary = v;
}

static void decode_timeline(Arena *a, json_t *r, rasd_brief *b)
{
    json_t *arr;
    rasd_brief_date *v = items(a, r, "timeline", sizeof *v, &b->ntimeline, &arr);
    for (size_t i = 0; i < b->ntimeline; i++) {
        json_t *t = json_array_get(arr, i);
        v[i].value = str(a, t, "value");
        v[i].text = str(a, t, "text");
        v[i].sentence = str(a, t, "sentence");
        v[i].article = str(a, t, "article");
        v[i].start = offset(t, "start");
        v[i].end = offset(t, "end");
        v[i].sources = strs(a, t, "sources", &v[i].nsources);
        decode_cite(a, t, &v[i].cite);
    }
    b->timeline = v;
}

static void decode_entities(Arena *a, json_t *r, rasd_brief *b)
{
    json_t *arr;
    rasd_brief_name *v = items(a, r, "entities", sizeof *v, &b->nentities, &arr);
    for (size_t i = 0; i < b->nentities; i++) {
        json_t *e = json_array_get(arr, i);
        v[i].name = str(a, e, "name");
        v[i].key = str(a, e, "key");
        v[i].type = str(a, e, "type");
        v[i].variants = strs(a, e, "variants", &v[i].nvariants);
        v[i].mentions = num(e, "mentions");
        v[i].outlets = strs(a, e, "outlets", &v[i].noutlets);
    }
    b->entities = v;
}

static void decode_quotes(Arena *a, json_t *r, rasd_brief *b)
{
    json_t *arr, *sub;
    rasd_brief_speaker *v = items(a, r, "quotes", sizeof *v, &b->nspeakers, &arr);
    for (size_t i = 0; i < b->nspeakers; i++) {
        json_t *s = json_array_get(arr, i);
        v[i].speaker = str(a, s, "speaker");
        v[i].key = str(a, s, "key");
        rasd_brief_quote *q = items(a, s, "quotes", sizeof *q, &v[i].nquotes, &sub);
        for (size_t k = 0; k < v[i].nquotes; k++) {
            json_t *x = json_array_get(sub, k);
            q[k].text = str(a, x, "text");
            q[k].cue = str(a, x, "cue");
            q[k].via = str(a, x, "via");
            q[k].direct = json_is_true(json_object_get(x, "direct"));
            q[k].article = str(a, x, "article");
            q[k].start = offset(x, "start");
            q[k].end = offset(x, "end");
            q[k].sources = strs(a, x, "sources", &q[k].nsources);
            decode_cite(a, x, &q[k].cite);
        }
        v[i].quotes = q;
        v[i].statements = num(s, "statements");
        v[i].more = num(s, "more");
    }
    b->speakers = v;
    b->quote_speakers = num(r, "quote_speakers");
    b->more_speakers = num(r, "more_speakers");
}

static void decode_conflicts(Arena *a, json_t *arr, rasd_conflict_set *c)
{
    c->n = json_array_size(arr);
    rasd_conflict *v = c->n ? zalloc(a, c->n, sizeof *v) : NULL;
    if (!v)
        c->n = 0;
    for (size_t i = 0; i < c->n; i++) {
        json_t *x = json_array_get(arr, i), *vals;
        v[i].id = str(a, x, "id");
        v[i].kind = str(a, x, "kind");
        v[i].rule = str(a, x, "rule");
        v[i].slot = str(a, x, "slot");
        v[i].subject = str(a, x, "subject");
        v[i].update = json_is_true(json_object_get(x, "update"));
        rasd_conflict_value *cv = items(a, x, "values", sizeof *cv, &v[i].nvalues, &vals);
        for (size_t k = 0; k < v[i].nvalues; k++) {
            json_t *y = json_array_get(vals, k);
            cv[k].value = str(a, y, "value");
            cv[k].sources = strs(a, y, "sources", &cv[k].nsources);
            cv[k].articles = strs(a, y, "articles", &cv[k].narticles);
            cv[k].sentences = strs(a, y, "sentences", &cv[k].nsentences);
            cv[k].published = str(a, y, "published");
            json_t *cites;
            rasd_citation *ct = items(a, y, "cites", sizeof *ct, &cv[k].ncites, &cites);
            for (size_t j = 0; j < cv[k].ncites; j++) {
                json_t *z = json_array_get(cites, j);
                ct[j].article = str(a, z, "article");
                ct[j].outlet = str(a, z, "outlet");
                ct[j].url = str(a, z, "url");
                ct[j].start = (uint32_t)num(z, "start");
                ct[j].end = (uint32_t)num(z, "end");
            }
            cv[k].cites = ct;
        }
        v[i].values = cv;
    }
    c->items = v;
}

static void decode_documents(Arena *a, json_t *r, rasd_brief *b)
{
    json_t *arr;
    rasd_brief_document *v = items(a, r, "documents", sizeof *v, &b->ndocuments, &arr);
    for (size_t i = 0; i < b->ndocuments; i++) {
        json_t *d = json_array_get(arr, i);
        v[i].id = str(a, d, "id");
        v[i].outlet = str(a, d, "outlet");
        v[i].name = str(a, d, "name");
        v[i].url = str(a, d, "url");
        v[i].title = str(a, d, "title");
        v[i].published = str(a, d, "published");
        v[i].event = num(d, "event");
        v[i].source = num(d, "source");
    }
    b->documents = v;
}

/* The document listed for article id, or NULL. */
static const rasd_brief_document *doc_of(const rasd_brief *b, const char *id)
{
    for (size_t i = 0; id && i < b->ndocuments; i++)
        if (b->documents[i].id && !strcmp(b->documents[i].id, id))
            return &b->documents[i];
    return NULL;
}

/* What a reader is shown for a document: its name (outlet, agency, site or
   title), else its outlet, else its title; never its id. */
static const char *doc_name(const rasd_brief_document *d)
{
    return d->name && *d->name ? d->name : d->outlet && *d->outlet ? d->outlet : d->title;
}

/* c completed from the document listed for its article (or for article,
   with the bytes [start,end) when c has none yet). */
static void cite_fill(const rasd_brief *b, rasd_citation *c, const char *article,
                      uint32_t start, uint32_t end)
{
    if (!c->article && article)
        *c = (rasd_citation){article, NULL, NULL, start, end};
    const rasd_brief_document *d = doc_of(b, c->article);
    if (!d)
        return;
    if (!c->outlet)
        c->outlet = doc_name(d);
    if (!c->url)
        c->url = d->url;
}

void views_brief_cite(rasd_brief *b)
{
    for (size_t i = 0; i < b->nsummary; i++) {
        rasd_brief_sentence *s = (rasd_brief_sentence *)&b->summary[i];
        cite_fill(b, &s->cite, s->article, s->start, s->end);
    }
    for (size_t i = 0; i < b->ntimeline; i++) {
        rasd_brief_date *t = (rasd_brief_date *)&b->timeline[i];
        cite_fill(b, &t->cite, t->article, t->start, t->end);
    }
    for (size_t i = 0; i < b->nspeakers; i++)
        for (size_t k = 0; k < b->speakers[i].nquotes; k++) {
            rasd_brief_quote *q = (rasd_brief_quote *)&b->speakers[i].quotes[k];
            cite_fill(b, &q->cite, q->article, q->start, q->end);
        }
    for (size_t i = 0; i < b->conflicts.n; i++)
        for (size_t k = 0; k < b->conflicts.items[i].nvalues; k++) {
            const rasd_conflict_value *v = &b->conflicts.items[i].values[k];
            for (size_t j = 0; j < v->ncites; j++)
                cite_fill(b, (rasd_citation *)&v->cites[j], NULL, 0, 0);
        }
}

/* The distinct outlets b's documents name: "named_outlets" of a brief
   written before BRIEF_VERSION 13 (or by hand), which lacks it. */
static int64_t documents_named_outlets(const rasd_brief *b)
{
    int64_t n = 0;
    for (size_t i = 0; i < b->ndocuments; i++) {
        const char *o = b->documents[i].outlet;
        int dup = !o || !*o;
        for (size_t k = 0; k < i && !dup; k++)
            dup = b->documents[k].outlet && !strcmp(b->documents[k].outlet, o);
        n += !dup;
    }
    return n;
}

size_t views_brief_doc_number(const rasd_brief *b, const char *article)
{
    const rasd_brief_document *d = doc_of(b, article);
    return d ? (size_t)(d - b->documents) + 1 : 0;
}

rasd_err views_brief_decode(const char *json, size_t n, rasd_brief **out, rasd_error *err)
{
    json_error_t je;
    json_t *r = json_loadb(json, n, 0, &je);
    if (!r || !json_is_object(r)) {
        json_decref(r);
        return rasd_fail(err, RASD_EFORMAT, "brief JSON, line %d: %s", r ? 1 : je.line,
                         r ? "not an object" : je.text);
    }
    Arena *a = NULL;
    rasd_brief *b = views_brief_new(&a);
    if (!b) {
        json_decref(r);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    b->story = num(r, "story");
    b->event = num(r, "event");
    b->headline = str(a, r, "headline");
    b->first = str(a, r, "first");
    b->last = str(a, r, "last");
    b->articles = num(r, "articles");
    b->read = num(r, "read");
    b->sources = num(r, "sources");
    b->outlets = strs(a, r, "outlets", &b->noutlets);
    decode_summary(a, r, b);
    decode_timeline(a, r, b);
    decode_entities(a, r, b);
    decode_quotes(a, r, b);
    b->conflicts.story = b->event ? 0 : b->story;
    b->conflicts.event = b->event;
    decode_conflicts(a, json_object_get(r, "conflicts"), &b->conflicts);
    decode_documents(a, r, b);
    json_t *named = json_object_get(r, "named_outlets");
    b->named_outlets = json_is_integer(named) ? num(r, "named_outlets") : documents_named_outlets(b);
    json_decref(r);
    views_brief_cite(b); /* briefs stored before BRIEF_VERSION 12 have no "cite" */
    if (a->oom) {
        rasd_brief_free(b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    *out = b;
    return RASD_OK;
}

rasd_err views_conflicts_decode(const char *json, size_t n, int64_t story, int64_t event,
                                rasd_conflict_set **out, rasd_error *err)
{
    json_error_t je;
    json_t *r = json_loadb(json, n, 0, &je);
    if (!r || !json_is_array(r)) {
        json_decref(r);
        return rasd_fail(err, RASD_EFORMAT, "conflicts JSON, line %d: %s", r ? 1 : je.line,
                         r ? "not an array" : je.text);
    }
    Arena *a = NULL;
    rasd_conflict_set *c = views_conflicts_new(&a);
    if (!c) {
        json_decref(r);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    c->story = story;
    c->event = event;
    decode_conflicts(a, r, c);
    json_decref(r);
    if (a->oom) {
        rasd_conflict_set_free(c);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    *out = c;
    return RASD_OK;
}

RASD_API void rasd_brief_free(rasd_brief *b)
{
    if (!b)
        return;
    BriefBox *x = (BriefBox *)b;
    arena_free(&x->a);
    free(x);
}

RASD_API void rasd_conflict_set_free(rasd_conflict_set *c)
{
    if (!c)
        return;
    SetBox *x = (SetBox *)c;
    arena_free(&x->a);
    free(x);
}

RASD_API rasd_err rasd_brief_parse(const char *json, size_t len, rasd_brief **out,
                                   rasd_error *err)
{
    if (!json || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_brief_parse: bad argument");
    return views_brief_decode(json, len, out, err);
}
