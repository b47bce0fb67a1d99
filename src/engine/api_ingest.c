/*
 * api_ingest.c — `rasd ingest`'s stages for the public API (include/rasd.h):
 * reading, annotating and storing files with progress and stage callbacks
 * and per-stage times; placing new articles into stories under the store's
 * one-writer lock; rebuilding the stored briefs of the stories that changed;
 * re-annotating articles an older rasd stored. Thin: the work is the
 * engine's (engine/engine.h); this file only maps the public types.
 */
#include <string.h>

#include "engine/api_int.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "story/cluster.h"
#include "story/stories.h"

static void ingest_options(const rasd_ingest_opts *o, IngestOptions *io)
{
    memset(io, 0, sizeof *io);
    if (!o)
        return;
    io->max_bytes = o->max_bytes;
    io->date = o->date;
    io->outlet = o->outlet;
    io->manifest = o->manifest;
    io->no_entities = o->no_entities;
    io->jobs = o->jobs;
    io->on_message = o->on_message;
    io->on_progress = o->on_progress;
    io->on_stage = o->on_stage;
    io->ctx = o->ctx;
    io->cancel = o->cancel;
}

RASD_API rasd_err rasd_engine_ingest(rasd_engine *e, const rasd_ingest_opts *o,
                                     const char *const *paths, size_t n, rasd_ingest_report *r,
                                     rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_ingest", err);
    if (w != RASD_OK)
        return w;
    if (!paths && n)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_ingest: bad argument");
    IngestOptions io;
    ingest_options(o, &io);
    IngestStats s;
    memset(&s, 0, sizeof s);
    rasd_err rc = engine_ingest_paths(e->st, &io, (char *const *)paths, n, &s, err);
    if (r)
        *r = (rasd_ingest_report){s.files,      s.files_failed, s.articles,   s.added,
                                  s.duplicates, s.near_copies,  s.split_off,  s.item_errors,
                                  s.skipped,    s.bytes,        s.read_s,     s.annotate_s,
                                  s.store_s,    s.read_cpu,     s.annotate_cpu, s.store_cpu};
    return rc;
}

RASD_API rasd_err rasd_engine_reannotate(rasd_engine *e, const rasd_ingest_opts *o, size_t *done,
                                         size_t *refreshed, rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_reannotate", err);
    if (w != RASD_OK)
        return w;
    IngestOptions io;
    ingest_options(o, &io);
    size_t d = 0, nref = 0;
    rasd_err rc = engine_reannotate(e->st, &io, &d, err);
    if (rc == RASD_OK)
        rc = engine_refresh_jobs(e->st, io.jobs, NULL, NULL, &nref, err);
    if (done)
        *done = d;
    if (refreshed)
        *refreshed = nref;
    return rc;
}

RASD_API rasd_err rasd_engine_lock_stories(rasd_engine *e, rasd_error *err)
{
    if (!e)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_lock_stories: bad argument");
    return store_lock_assign(e->st, err);
}

RASD_API void rasd_engine_unlock_stories(rasd_engine *e)
{
    if (e)
        store_unlock_assign(e->st);
}

RASD_API rasd_err rasd_engine_assign(rasd_engine *e, int window_days, rasd_assign_report *r,
                                     rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_assign", err);
    if (w != RASD_OK)
        return w;
    AssignOpts ao;
    api_assign_opts(window_days, &ao);
    StoriesStats ss;
    memset(&ss, 0, sizeof ss);
    int ran = 0;
    rasd_err rc = engine_assign(e->st, &ao, &ss, &ran, err);
    if (r)
        *r = (rasd_assign_report){ss.articles,    ss.events, ss.multi,
                                  ss.threads,     ss.bad_vectors, ran,
                                  ss.from_checkpoint, ss.restored};
    return rc;
}

RASD_API int rasd_engine_refresh_pending(rasd_engine *e)
{
    return e ? engine_refresh_pending(e->st) : 0;
}

RASD_API rasd_err rasd_engine_refresh_changed(rasd_engine *e, int jobs,
                                              void (*progress)(void *ctx, size_t done,
                                                               size_t total),
                                              void *ctx, size_t *refreshed, rasd_error *err)
{
    rasd_err w = api_writable(e, "rasd_engine_refresh_changed", err);
    if (w != RASD_OK)
        return w;
    size_t n = 0;
    rasd_err rc = engine_refresh_changed(e->st, jobs, progress, ctx, &n, err);
    if (refreshed)
        *refreshed = n;
    return rc;
}

RASD_API double rasd_cpu_seconds(void) { return engine_cpu_s(); }

RASD_API int rasd_valid_date(const char *s) { return s && ingest_valid_date(s); }
