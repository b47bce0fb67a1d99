/*
 * load.c — an article's stored annotations, decoded (load.h).
 */
#include "views/load.h"

#include <stdio.h>
#include <string.h>

typedef struct LoadCtx {
    Annotated *out;      /* where the decoded result goes */
    rasd_err e;          /* annot_decode's verdict */
    rasd_error *err;
} LoadCtx;

static int on_row(void *p, const char *body, size_t len, const void *blob, size_t n)
{
    LoadCtx *c = p;
    c->e = annot_decode(body, len, blob, n, c->out, c->err);
    return 0;
}

rasd_err annot_load(Store *st, int64_t article, Annotated *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    LoadCtx c = {out, RASD_OK, err};
    rasd_err e = store_get_annotated(st, article, on_row, &c, err);
    if (e == RASD_OK && c.e != RASD_OK) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err ? err->msg : "");
        e = rasd_fail(err, c.e, "article %lld: %s", (long long)article, why);
    }
    return e;
}
