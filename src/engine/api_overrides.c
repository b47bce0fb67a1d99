/*
 * api_overrides.c — the analyst's corrections (include/rasd.h:
 * rasd_engine_each_override, rasd_engine_add_override,
 * rasd_engine_remove_override): merge two stories, move an article out of
 * an event, dismiss a conflict. The HTTP API (server/data_write.c), the web
 * UI and `rasd overrides` all come here, so every path checks a correction
 * with the same rule (data_override_check: the API's JSON body), stores it
 * through story/overrides.c and rebuilds the briefs of the stories it
 * changed, so readers only read.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/api_int.h"
#include "engine/engine.h"
#include "server/data.h"
#include "story/overrides.h"

/* err's message after prefix ("...: inner"), as code. */
static rasd_err wrap(rasd_error *err, rasd_err code, const char *prefix)
{
    if (!err)
        return code;
    rasd_error inner = *err;
    return rasd_fail(err, code, "%s: %s", prefix, inner.msg);
}

static void public_of(const StoredOverride *o, rasd_override *x)
{
    *x = (rasd_override){o->id, o->kind, o->a, o->b, o->note, o->at};
}

typedef struct Each {
    int (*fn)(void *ctx, const rasd_override *o);
    void *ctx;
} Each;

static int on_stored(void *ctx, const StoredOverride *o)
{
    Each *x = ctx;
    rasd_override p;
    public_of(o, &p);
    return x->fn(x->ctx, &p);
}

RASD_API rasd_err rasd_engine_each_override(rasd_engine *e,
                                            int (*fn)(void *ctx, const rasd_override *o),
                                            void *ctx, rasd_error *err)
{
    if (!e || !fn)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_each_override: bad argument");
    Each x = {fn, ctx};
    return store_each_override(e->st, on_stored, &x, err);
}

RASD_API rasd_err rasd_engine_add_override(rasd_engine *e, const char *json, size_t n,
                                           int (*fn)(void *ctx, const rasd_override *o),
                                           void *ctx, rasd_error *err)
{
    rasd_err rc = api_writable(e, "rasd_engine_add_override", err);
    if (rc != RASD_OK)
        return rc;
    const char *kind = NULL, *note = NULL;
    char a[32], b[32], msg[sizeof err->msg];
    if (!json || data_override_check(json, n, &kind, a, b, sizeof a, &note, msg, sizeof msg) < 0)
        return rasd_fail(err, RASD_EINVAL, "%s", json ? msg : "rasd_engine_add_override: no body");
    StoredOverride o;
    rc = overrides_add(e->st, kind, a, b, note, &o, err);
    free((char *)note);
    if (rc != RASD_OK)
        return rc;
    if (fn) {
        rasd_override p;
        public_of(&o, &p);
        fn(ctx, &p);
    }
    overrides_free_one(&o);
    size_t refreshed = 0;
    if (strcmp(kind, "dismiss") != 0 && engine_refresh(e->st, NULL, NULL, &refreshed, err) != RASD_OK)
        return wrap(err, RASD_EDB, "the correction is saved but the briefs were not refreshed");
    return RASD_OK;
}

RASD_API rasd_err rasd_engine_remove_override(rasd_engine *e, int64_t id, int *undone,
                                              rasd_error *err)
{
    rasd_err rc = api_writable(e, "rasd_engine_remove_override", err);
    if (rc != RASD_OK)
        return rc;
    int found = 0, u = 0;
    size_t refreshed = 0;
    if (overrides_remove(e->st, id, &found, &u, err) != RASD_OK)
        return wrap(err, RASD_EDB, "removing the correction failed");
    if (!found)
        return rasd_fail(err, RASD_ENOTFOUND, "there is no correction %lld", (long long)id);
    if (undone)
        *undone = u;
    if (u && engine_refresh(e->st, NULL, NULL, &refreshed, err) != RASD_OK)
        return wrap(err, RASD_EDB, "the correction is removed but the briefs were not refreshed");
    return RASD_OK;
}
