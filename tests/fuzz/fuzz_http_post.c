/*
 * fuzz_http_post.c — libFuzzer target for the bodies `rasd serve` reads
 * (src/server/data_write.c, linked from the library like the rest of the
 * server; rasd_engine_add_override checks with the same function): the first byte chooses
 * POST /api/articles (data_ingest_check: UTF-8 check, then the JSON
 * reader) or POST /api/overrides (data_override_check). Neither touches
 * the store; an accepted correction must carry short numeric or hex
 * arguments.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char msg[512];
    const char *body = (const char *)data + 1;
    size_t n = size - 1;
    if (data[0] & 1) {
        long k = data_ingest_check(body, n, msg, sizeof msg);
        if (k == 0 || (k < 0 && !msg[0]))
            abort();
    } else {
        const char *kind = NULL, *note = NULL;
        char a[32], b[32];
        if (data_override_check(body, n, &kind, a, b, sizeof a, &note, msg, sizeof msg) == 0) {
            if (!kind || strspn(a, "0123456789abcdef") != strlen(a) ||
                strspn(b, "0123456789abcdef") != strlen(b))
                abort();
        }
        free((char *)note);
    }
    return 0;
}
