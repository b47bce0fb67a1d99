/*
 * api_outlets.c — the names outlets are shown by (include/rasd.h:
 * rasd_outlet_name): the analyst's name stored with the engine's store
 * (the web UI's outlets page, `rasd serve`), else the one rasd knows
 * (data/lexicon/outlets.txt: الشرق الأوسط for aawsat; text/outlets.c), else
 * the outlet as stored. The CLI's renderers and the web UI show the same
 * names this way.
 *
 * The analyst's names are read once per engine, on the first call, into a
 * sorted table (one engine is used by one thread at a time); a store that
 * cannot list them gives the lexicon's names alone, as the server does.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/api_int.h"
#include "text/text.h"
#include "views/views.h"

typedef struct Named {
    char *outlet, *name; /* the stored outlet and the analyst's name for it (owned) */
} Named;

struct ApiOutlets {
    Buf names;           /* Named records back to back, sorted by outlet once read */
    Named *v;            /* names.data as records */
    size_t n;
};

static int by_outlet(const void *a, const void *b)
{
    return strcmp(((const Named *)a)->outlet, ((const Named *)b)->outlet);
}

static int on_name(void *ctx, const char *outlet, const char *name)
{
    ApiOutlets *o = ctx;
    if (!outlet || !name)
        return 0;
    Named x = {strdup(outlet), strdup(name)};
    if (x.outlet && x.name)
        buf_append(&o->names, &x, sizeof x);
    if (!x.outlet || !x.name || o->names.oom) {
        free(x.outlet);
        free(x.name);
        return 1;
    }
    o->v = (Named *)(void *)o->names.data;
    o->n = o->names.len / sizeof x;
    return 0;
}

void api_outlets_free(ApiOutlets *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].outlet);
        free(o->v[i].name);
    }
    buf_free(&o->names);
    free(o);
}

/* The analyst's names of e's store, read on first use; NULL when none could be read. */
static const ApiOutlets *analyst_names(rasd_engine *e)
{
    if (!e->outlets_read) {
        e->outlets_read = 1;
        e->outlets = calloc(1, sizeof *e->outlets);
        rasd_error err;
        if (e->outlets && store_each_outlet_name(e->st, on_name, e->outlets, &err) != RASD_OK) {
            api_outlets_free(e->outlets); /* none on failure, as the server */
            e->outlets = NULL;
        }
        if (e->outlets && e->outlets->n)
            qsort(e->outlets->v, e->outlets->n, sizeof *e->outlets->v, by_outlet);
    }
    return e->outlets;
}

RASD_API const char *rasd_outlet_name(rasd_engine *e, const char *outlet)
{
    if (!outlet || !*outlet)
        return outlet;
    const ApiOutlets *o = e ? analyst_names(e) : NULL;
    if (o && o->n) {
        Named key = {(char *)outlet, NULL};
        const Named *x = bsearch(&key, o->v, o->n, sizeof *o->v, by_outlet);
        if (x)
            return x->name;
    }
    const char *known = outlet_known_name(outlet);
    return known ? known : outlet;
}

static const char *shown(void *ctx, const char *outlet) { return rasd_outlet_name(ctx, outlet); }

static rasd_err named(Arena *a, rasd_error *err)
{
    return a->oom ? rasd_fail(err, RASD_ENOMEM, "out of memory naming the outlets") : RASD_OK;
}

RASD_API rasd_err rasd_brief_name_outlets(rasd_brief *b, rasd_engine *e, rasd_error *err)
{
    if (!b)
        return rasd_fail(err, RASD_EINVAL, "rasd_brief_name_outlets: no brief");
    views_brief_name_outlets(b, shown, e);
    return named(views_brief_arena(b), err);
}

RASD_API rasd_err rasd_conflict_set_name_outlets(rasd_conflict_set *c, rasd_engine *e,
                                                 rasd_error *err)
{
    if (!c)
        return rasd_fail(err, RASD_EINVAL, "rasd_conflict_set_name_outlets: no conflict set");
    views_conflicts_name_outlets(c, shown, e);
    return named(views_conflicts_arena(c), err);
}
