/*
 * fuzz_watch_web.c — libFuzzer target for what `rasd watch` reads from web
 * servers besides feeds: robots.txt rules, section-page links and JSON
 * Feed. The first byte picks the parser; links must stay on the page's
 * origin.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "watch/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    rasd_error err;
    switch (data[0] % 3) {
    case 0:
        robots_allowed(p, n, "rasd", "/news/2026/a.html?x=1");
        robots_allowed(p, n, "rasd", "/");
        break;
    case 1: {
        LinkList l = {0};
        links_extract(p, n, "https://site.example/news/", 50, &l, &err);
        for (size_t i = 0; i < l.n; i++)
            if (strncmp(l.v[i], "https://site.example/", 21))
                abort();
        links_free(&l);
        break;
    }
    default: {
        Batch b = {0};
        if (jsonfeed_detect(p, n))
            jsonfeed_read(p, n, "fuzz.json", &b, &err);
        for (size_t i = 0; i < b.n; i++)
            if (!b.items[i].body)
                abort();
        batch_free(&b);
        break;
    }
    }
    return 0;
}
