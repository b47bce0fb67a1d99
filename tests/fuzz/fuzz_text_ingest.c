/*
 * fuzz_text_ingest.c — libFuzzer target for the way a plain file comes in:
 * any bytes through ingest_to_utf8 (encoding detection and conversion),
 * ingest_detect, and the plain-text reader with its credit-line parsing
 * and appended-article splitting. Checks that conversion output is
 * NUL-terminated at its length, that every Article has a non-empty body
 * and an origin, and that parents precede the articles split from them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *u = NULL;
    size_t ul = 0;
    rasd_error err;
    /* the detector also runs on raw bytes (before conversion) */
    (void)ingest_detect((const char *)data, size, "fuzz.txt");
    if (ingest_to_utf8((const char *)data, size, "fuzz.txt", &u, &ul, &err) != RASD_OK)
        return 0;
    if (!u || u[ul] != '\0')
        abort();
    (void)ingest_detect(u, ul, NULL);
    Batch b = {0};
    if (ingest_text(u, ul, "fuzz.txt", &b, &err) == RASD_OK && b.n == 0)
        abort(); /* success means at least the page */
    for (size_t i = 0; i < b.n; i++) {
        const Article *a = &b.items[i];
        if (!a->body || !a->body[0] || !a->origin)
            abort();
        if (a->parent >= (int)i)
            abort();
    }
    batch_free(&b);
    free(u);
    return 0;
}
