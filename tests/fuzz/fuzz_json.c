/*
 * fuzz_json.c — libFuzzer target for the JSON reader: any bytes into
 * ingest_json (JSON Lines, arrays, wrapped lists, field variants, markup
 * in bodies, the appended-article splitter). Every Article must have a
 * body and an origin, and a split-off article must point at an earlier
 * one; the Batch is freed so leaks show.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Batch b = {0};
    rasd_error err;
    rasd_err r = ingest_json((const char *)data, size, "fuzz.jsonl", &b, &err);
    if (r != RASD_OK && r != RASD_EFORMAT && r != RASD_ENOMEM)
        abort();
    for (size_t i = 0; i < b.n; i++) {
        const Article *a = &b.items[i];
        if (!a->body || !a->origin)
            abort();
        if (a->parent >= (int)i)
            abort(); /* a parent comes before what was split from it */
    }
    batch_free(&b);
    return 0;
}
