/*
 * fuzz_conflicts.c — libFuzzer target for the conflict detector
 * (src/story/conflicts.c) and the brief renderer (src/story/render.c):
 * the input is cut at its first NUL (or in half) into two articles of two
 * sources published the same day; both are analysed (text core, names,
 * roles, quotes) and compared. The conflicts must be valid JSON, and any
 * bytes given to brief_render must give output or an error, never a crash.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "story/brief.h"
#include "story/conflicts.h"

static rasd_text *tx;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    rasd_error err;
    if (!tx && rasd_text_new(&tx, &err) != RASD_OK)
        abort();
    const char *p = (const char *)data;
    const char *nul = memchr(p, 0, size);
    size_t na = nul ? (size_t)(nul - p) : size / 2;
    size_t nb = size - na - (nul ? 1 : 0);
    const char *pb = p + size - nb;
    rasd_doc *d[2] = { NULL, NULL };
    EntityList e[2] = { { 0 }, { 0 } };
    QuoteList q[2] = { { 0 }, { 0 } };
    if (rasd_text_analyse(tx, p, na, &d[0], &err) != RASD_OK ||
        rasd_text_analyse(tx, pb, nb, &d[1], &err) != RASD_OK)
        goto out;
    for (int i = 0; i < 2; i++) {
        if (analyze_entities(d[i], &e[i], &err) != RASD_OK ||
            quotes_find(d[i], &e[i], &q[i], &err) != RASD_OK)
            goto out;
    }
    ConflictDoc docs[2] = { { d[0], &e[0], &q[0], "2020-01-01", "a", "a", 0 },
                            { d[1], &e[1], &q[1], "2020-01-01", "b", "b", 1 } };
    Buf b = { 0 };
    size_t n;
    if (conflicts_find(docs, 2, NULL, &b, &n, &err) == RASD_OK) {
        json_t *j = json_loadb(b.data, b.len, 0, NULL);
        if (!j || !json_is_array(j) || json_array_size(j) != n)
            abort();
        json_decref(j);
    }
    buf_free(&b);
out:
    for (int i = 0; i < 2; i++) {
        quotes_free(&q[i]);
        entities_free(&e[i]);
        rasd_doc_free(d[i]);
    }
    /* the renderer on the raw bytes */
    Buf r = { 0 };
    for (int f = BRIEF_TEXT; f <= BRIEF_HTML; f++) {
        buf_reset(&r);
        brief_render(p, size, f, &r, &err);
    }
    buf_free(&r);
    return 0;
}
