/*
 * fuzz_cooc.c — libFuzzer target for a stored co-occurrence model
 * (src/story/cooc.c cooc_decode): damaged bytes give an error, never a
 * crash. A model that decodes is used on two vectors decoded from the
 * rest of the input, updated with them and encoded again; its scores
 * must stay in range.
 */
#include <stdlib.h>

#include "story/cooc.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    size_t cut = size / 2;
    Cooc *c = NULL;
    rasd_error err;
    if (cooc_decode(&c, data, cut, &err) != RASD_OK)
        c = cooc_new(64);
    if (!c)
        return 0;
    StoryVec a, b;
    size_t half = (size - cut) / 2;
    int okA = sv_decode(&a, data + cut, half, &err) == RASD_OK;
    int okB = sv_decode(&b, data + cut + half, size - cut - half, &err) == RASD_OK;
    if (okA && okB) {
        double s = cooc_soft(c, &a, &b, NULL);
        if (!(s >= 0 && s <= 1.000001))
            abort();
    }
    if (okA)
        cooc_update(c, &a);
    if (okB)
        cooc_update(c, &b);
    Buf out = {0};
    cooc_encode(c, &out);
    Cooc *d = NULL;
    if (!out.oom && cooc_decode(&d, out.data, out.len, &err) != RASD_OK)
        abort();
    cooc_free(d);
    buf_free(&out);
    if (okA)
        sv_free(&a);
    if (okB)
        sv_free(&b);
    cooc_free(c);
    return 0;
}
