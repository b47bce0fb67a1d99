/*
 * wip_stubs.c — TEMPORARY weak stand-ins for readers being written; the
 * real definitions override them. To be deleted once all readers exist.
 */
#include <string.h>

#include "ingest.h"

#define WEAK __attribute__((weak))
WEAK rasd_err ingest_to_utf8(const char *b, size_t n, const char *o, char **out, size_t *ol,
                             rasd_error *e)
{
    *out = xstrndup(b, n);
    *ol = n;
    (void)o;
    (void)e;
    return *out ? RASD_OK : RASD_ENOMEM;
}
WEAK IngestFormat ingest_detect(const char *b, size_t n, const char *name)
{
    (void)b; (void)n; (void)name;
    return FMT_TEXT;
}
WEAK rasd_err ingest_text(const char *b, size_t n, const char *o, Batch *out, rasd_error *e)
{
    Article *a = batch_add(out);
    if (!a)
        return RASD_ENOMEM;
    a->body = xstrndup(b, n);
    a->origin = xstrndup(o, strlen(o));
    (void)e;
    return RASD_OK;
}
WEAK rasd_err ingest_html(const char *b, size_t n, const char *o, Batch *out, rasd_error *e)
{
    return ingest_text(b, n, o, out, e);
}
WEAK rasd_err ingest_feed(const char *b, size_t n, const char *o, Batch *out, rasd_error *e)
{
    return ingest_text(b, n, o, out, e);
}
WEAK rasd_err ingest_json(const char *b, size_t n, const char *o, Batch *out, rasd_error *e)
{
    return ingest_text(b, n, o, out, e);
}
