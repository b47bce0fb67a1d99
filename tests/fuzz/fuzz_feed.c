/*
 * fuzz_feed.c — libFuzzer target for the RSS/Atom reader: any bytes into
 * ingest_feed, every Article checked for a body and an origin, then freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Batch b = {0};
    rasd_error err;
    ingest_feed((const char *)data, size, "fuzz.xml", &b, &err);
    for (size_t i = 0; i < b.n; i++)
        if (!b.items[i].body || !b.items[i].origin)
            abort();
    batch_free(&b);
    return 0;
}
