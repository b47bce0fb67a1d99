/*
 * outlet_names.c — a brief's or a conflict set's outlets replaced by the
 * names a reader is shown (rasd_outlet_name: an analyst's name, else the one
 * rasd knows from data/lexicon/outlets.txt, else the outlet as stored), for
 * the text, Markdown and HTML renderers: `rasd brief` shows الشرق الأوسط
 * where the stored brief says aawsat, as the web UI does.
 *
 * Only names change: article ids, URLs, counts and offsets stay. A list of
 * outlet names (a sentence's sources, the story's outlets) keeps one entry
 * per shown name, so two ids of one outlet (aawsat, aawsat.com) are cited
 * once. The new strings are copied into the result's own arena, so it does
 * not depend on whatever answered the names.
 */
#include <string.h>

#include "views/views.h"

typedef struct Namer {
    Arena *a;              /* the result's arena: the names are copied there */
    ViewsOutletName name;  /* the display name of an outlet, or NULL: as it is */
    void *ctx;
} Namer;

/* s as shown: its display name copied, or s itself. */
static const char *one(const Namer *n, const char *s)
{
    if (!s || !*s)
        return s;
    const char *d = n->name(n->ctx, s);
    if (!d || d == s || !strcmp(d, s))
        return s;
    const char *c = views_str(n->a, d);
    return c ? c : s;
}

/* Every name of v[0,*count) shown, later repeats of a shown name dropped. */
static void list(const Namer *n, const char **v, size_t *count)
{
    size_t k = 0;
    for (size_t i = 0; v && i < *count; i++) {
        const char *s = one(n, v[i]);
        int seen = 0;
        for (size_t j = 0; s && j < k && !seen; j++)
            seen = v[j] && !strcmp(v[j], s);
        if (!seen)
            v[k++] = s;
    }
    *count = k;
}

static void conflicts(const Namer *n, rasd_conflict_set *c)
{
    for (size_t i = 0; i < c->n; i++) {
        rasd_conflict *x = (rasd_conflict *)&c->items[i];
        for (size_t k = 0; k < x->nvalues; k++) {
            rasd_conflict_value *v = (rasd_conflict_value *)&x->values[k];
            list(n, v->sources, &v->nsources);
            for (size_t q = 0; q < v->ncites; q++) {
                rasd_citation *ct = (rasd_citation *)&v->cites[q];
                ct->outlet = one(n, ct->outlet);
            }
        }
    }
}

void views_brief_name_outlets(rasd_brief *b, ViewsOutletName name, void *ctx)
{
    if (!b || !name)
        return;
    Namer n = {views_brief_arena(b), name, ctx};
    list(&n, b->outlets, &b->noutlets);
    for (size_t i = 0; i < b->nsummary; i++) {
        rasd_brief_sentence *s = (rasd_brief_sentence *)&b->summary[i];
        list(&n, s->sources, &s->nsources);
        s->cite.outlet = one(&n, s->cite.outlet);
        for (size_t k = 0; k < s->nsupport; k++) {
            rasd_brief_support *sp = (rasd_brief_support *)&s->support[k];
            sp->outlet = one(&n, sp->outlet);
        }
    }
    for (size_t i = 0; i < b->ntimeline; i++) {
        rasd_brief_date *t = (rasd_brief_date *)&b->timeline[i];
        list(&n, t->sources, &t->nsources);
        t->cite.outlet = one(&n, t->cite.outlet);
    }
    for (size_t i = 0; i < b->nentities; i++) {
        rasd_brief_name *x = (rasd_brief_name *)&b->entities[i];
        list(&n, x->outlets, &x->noutlets);
    }
    for (size_t i = 0; i < b->nspeakers; i++)
        for (size_t k = 0; k < b->speakers[i].nquotes; k++) {
            rasd_brief_quote *q = (rasd_brief_quote *)&b->speakers[i].quotes[k];
            list(&n, q->sources, &q->nsources);
            q->cite.outlet = one(&n, q->cite.outlet);
        }
    conflicts(&n, &b->conflicts);
    for (size_t i = 0; i < b->ndocuments; i++) {
        rasd_brief_document *d = (rasd_brief_document *)&b->documents[i];
        d->name = one(&n, d->name);
        d->outlet = one(&n, d->outlet);
    }
}

void views_conflicts_name_outlets(rasd_conflict_set *c, ViewsOutletName name, void *ctx)
{
    if (!c || !name)
        return;
    Namer n = {views_conflicts_arena(c), name, ctx};
    conflicts(&n, c);
}
