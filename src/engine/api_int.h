/*
 * api_int.h — what the files implementing include/rasd.h's engine API
 * share (api.c: open, ingest, briefs and conflicts; api_read.c: articles,
 * stories, search and export; api_outlets.c: outlet display names).
 */
#ifndef RASD_ENGINE_API_INT_H
#define RASD_ENGINE_API_INT_H

#include "rasd.h"
#include "store/store.h"
#include "story/cluster.h"

typedef struct ApiOutlets ApiOutlets; /* the analyst's outlet names (api_outlets.c) */

struct rasd_engine {
    Store *st;           /* the store this engine works on */
    int readonly;        /* opened read-only: ingest refused */
    ApiOutlets *outlets; /* the analyst's outlet names, read on first use, or NULL */
    int outlets_read;    /* 1 once they were read (or could not be) */
};

void api_outlets_free(ApiOutlets *o);

/* RASD_OK when e may write; else the error naming fn (NULL engine) or the
   read-only open. */
static inline rasd_err api_writable(const rasd_engine *e, const char *fn, rasd_error *err)
{
    if (!e)
        return rasd_fail(err, RASD_EINVAL, "%s: bad argument", fn);
    if (e->readonly)
        return rasd_fail(err, RASD_EINVAL, "the engine was opened read-only");
    return RASD_OK;
}

/* Story assignment's options with the public API's window (0: the default). */
static inline void api_assign_opts(int window_days, AssignOpts *ao)
{
    assign_opts_default(ao);
    if (window_days > 0)
        ao->window_days = window_days;
}

#endif
