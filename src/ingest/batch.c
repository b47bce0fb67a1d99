/*
 * batch.c — the Batch of Articles every reader fills, and its errors.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>

#include "ingest.h"
#include "readers.h"
#include "text/text.h"

char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

Article *batch_add(Batch *b)
{
    if (b->n == b->cap) {
        size_t c = b->cap ? b->cap * 2 : 16;
        Article *p = realloc(b->items, c * sizeof *p);
        if (!p)
            return NULL;
        b->items = p;
        b->cap = c;
    }
    Article *a = &b->items[b->n++];
    memset(a, 0, sizeof *a);
    a->parent = -1;
    return a;
}

void batch_error(Batch *b, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->nerrors == b->cap_errors) {
        size_t c = b->cap_errors ? b->cap_errors * 2 : 8;
        char **p = realloc(b->errors, c * sizeof *p);
        if (!p)
            return;
        b->errors = p;
        b->cap_errors = c;
    }
    char *m = xstrndup(msg, strlen(msg));
    if (m)
        b->errors[b->nerrors++] = m;
}

void article_free(Article *a)
{
    free(a->title);
    free(a->outlet);
    free(a->agency);
    free(a->published);
    free(a->url);
    free(a->author);
    free(a->body);
    free(a->origin);
    memset(a, 0, sizeof *a);
    a->parent = -1;
}

void batch_free(Batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        article_free(&b->items[i]);
    for (size_t i = 0; i < b->nerrors; i++)
        free(b->errors[i]);
    free(b->items);
    free(b->errors);
    memset(b, 0, sizeof *b);
}

int ingest_clean(const char *bytes, size_t n, Buf *out)
{
    utf8_clean(bytes ? bytes : "", n, out);
    buf_append(out, "", 0);
    if (out->oom || out->len > INT32_MAX) {
        buf_free(out);
        return -1;
    }
    return 0;
}

/* ---- libxml2's messages (readers.h) ---- */

static void xml_keep(XmlErrs *x, const char *m, int line, int code)
{
    if (x->count++ || !m)
        return;
    x->line = line;
    x->code = code;
    size_t k = 0;
    for (; m[k] && k + 1 < sizeof x->first; k++)
        x->first[k] = m[k] == '\n' || m[k] == '\r' ? ' ' : m[k];
    while (k && x->first[k - 1] == ' ')
        k--;
    x->first[k] = '\0';
}

static void xml_structured(void *ctx, xmlErrorPtr e)
{
    if (ctx && e && e->level >= XML_ERR_ERROR)
        xml_keep(ctx, e->message, e->line, e->code);
}

static void xml_generic(void *ctx, const char *fmt, ...)
{
    /* printf-style fragments (xmlSAX2Characters: huge text node ...): kept
       unformatted, only when nothing better came first */
    if (ctx)
        xml_keep(ctx, fmt, 0, 0);
}

void xml_errs_begin(XmlErrs *x)
{
    memset(x, 0, sizeof *x);
    x->old_s = xmlStructuredError;
    x->old_sctx = xmlStructuredErrorContext;
    x->old_g = xmlGenericError;
    x->old_gctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(x, xml_structured);
    xmlSetGenericErrorFunc(x, xml_generic);
}

void xml_errs_end(XmlErrs *x)
{
    xmlSetStructuredErrorFunc(x->old_sctx, x->old_s);
    xmlSetGenericErrorFunc(x->old_gctx, x->old_g);
}
