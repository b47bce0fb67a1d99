/*
 * fuzz_walk_manifest.c — libFuzzer target for the manifest parser of
 * walk.c (JSON Lines {file, published, outlet, url}) and for
 * ingest_valid_date: any bytes as a manifest, then the entries applied to
 * an article through input_set_fill. Checks that a filled `published` is
 * always a valid date (invalid ones are reported and ignored), that
 * messages are single sentences, and that the set frees cleanly. The same
 * bytes, NUL-terminated, go to ingest_valid_date, which must agree with a
 * second call (no hidden state).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/walk.h"

static void on_message(void *ctx, const char *m)
{
    (void)ctx;
    if (!m || !m[0] || strchr(m, '\n'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    InputSet s = {0};
    s.on_message = on_message;
    rasd_error err;
    rasd_err r = input_set_add_manifest_bytes(&s, (const char *)data, size, "manifest.jsonl", &err);
    if (r != RASD_OK && r != RASD_ENOMEM)
        abort();
    static const char *const files[] = {"a.txt", "x.json", "", "manifest.jsonl"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        Article a = {0};
        a.parent = -1;
        input_set_fill(&s, &a, files[k], NULL, NULL);
        if (a.published && !ingest_valid_date(a.published))
            abort();
        article_free(&a);
    }
    input_set_free(&s);
    char *z = malloc(size + 1);
    if (!z)
        return 0;
    memcpy(z, data, size);
    z[size] = '\0';
    if (ingest_valid_date(z) != ingest_valid_date(z))
        abort();
    free(z);
    return 0;
}
