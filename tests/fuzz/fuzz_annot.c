/*
 * fuzz_annot.c — libFuzzer target for stored annotations
 * (src/annotate/annotate.c annot_decode): the store hands these bytes back
 * with the article's text, and a damaged row must give an error, never a
 * crash. The input is split into a text and a blob; a blob that decodes is
 * walked (every token key and stem read, every span sliced from the text)
 * and encoded again, which must decode to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "annotate/annotate.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t tlen = data[0] | (size_t)data[1] << 8;
    if (tlen > size - 2)
        tlen = size - 2;
    const char *text = (const char *)data + 2;
    const unsigned char *blob = data + 2 + tlen;
    size_t n = size - 2 - tlen;
    Annotated a;
    rasd_error err;
    if (annot_decode(text, tlen, blob, n, &a, &err) != RASD_OK)
        return 0;
    size_t sum = 0;
    for (size_t i = 0; i < a.doc->ntokens; i++) {
        const rasd_token *t = &a.doc->tokens[i];
        sum += strlen(t->key) + strlen(t->stem) + (size_t)(text[t->start] != 0) + t->end;
    }
    for (size_t i = 0; i < a.ents.n; i++)
        sum += a.ents.keys.data ? (unsigned char)a.ents.keys.data[a.ents.items[i].key_off] : 0;
    Buf again = {0};
    annot_encode(&a, &again);
    Annotated b;
    if (!again.oom && annot_decode(text, tlen, again.data, again.len, &b, &err) != RASD_OK)
        abort();
    if (!again.oom)
        annotated_free(&b);
    buf_free(&again);
    annotated_free(&a);
    return sum == 1 ? 1 : 0;
}
