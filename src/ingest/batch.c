/*
 * batch.c — the Batch of Articles every reader fills, and its errors.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
