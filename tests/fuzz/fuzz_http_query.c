/*
 * fuzz_http_query.c — libFuzzer target for the query-string parser of
 * `rasd serve` (src/server/route.c): any bytes as a raw query string.
 * Every pair that is accepted must decode to valid UTF-8 without control
 * characters, and the integer and date readers must never accept
 * anything out of range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/route.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    Query *q = malloc(sizeof *q);
    if (!q)
        return 0;
    if (query_parse(q, (const char *)data, size) == 0) {
        for (size_t i = 0; i < q->n; i++)
            if (!text_ok(q->key[i], strlen(q->key[i])) || !text_ok(q->val[i], strlen(q->val[i])))
                abort();
        long v;
        if (query_int(q, "limit", 20, 200, &v) == 0 && (v < 0 || v > 200))
            abort();
        const char *d;
        if (query_date(q, "since", &d) == 0 && d && strlen(d) != 10)
            abort();
    }
    free(q);
    return 0;
}
