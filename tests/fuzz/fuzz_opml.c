/*
 * fuzz_opml.c — libFuzzer target for the sources reader (plain lists and
 * OPML): every source must be an http(s) URL with no spaces.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "watch/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SourceList l = {0};
    rasd_error err;
    sources_parse((const char *)data, size, "fuzz.opml", &l, &err);
    for (size_t i = 0; i < l.n; i++)
        if (strncasecmp(l.v[i].url, "http", 4) || strpbrk(l.v[i].url, " \t\r\n"))
            abort();
    sources_free(&l);
    return 0;
}
