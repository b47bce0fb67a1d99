/*
 * fuzz_html.c — libFuzzer target for the HTML reader: any bytes into
 * ingest_html (metadata, boilerplate removal, scoring), the fragment
 * stripper used by feeds, and the date parser; everything is freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Batch b = {0};
    rasd_error err;
    ingest_html((const char *)data, size, "fuzz.html", &b, &err);
    for (size_t i = 0; i < b.n; i++)
        if (!b.items[i].body)
            abort(); /* body is never NULL */
    batch_free(&b);
    char *t = ingest_html_fragment_text((const char *)data, size);
    free(t);
    char *d = ingest_parse_date((const char *)data, size < 300 ? size : 300);
    free(d);
    return 0;
}
