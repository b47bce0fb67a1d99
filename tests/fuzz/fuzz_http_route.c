/*
 * fuzz_http_route.c — libFuzzer target for the request path parser of
 * `rasd serve` (src/server/route.c, compiled into this file for its
 * static helpers): the first byte picks a method, the
 * rest is the raw request target. A route that parses must hold a valid
 * UTF-8 argument without NUL, and a static path must never climb out of
 * web/ (no ".." segment, no leading '/', no hidden file).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/route.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};
    if (size < 1 || size > 8192)
        return 0;
    char *path = malloc(size);
    if (!path)
        return 0;
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';
    Route r;
    const char *why;
    int st = route_parse(methods[data[0] % 6], path, &r, &why);
    if (st != 200 && st != 400 && st != 404 && st != 405)
        abort();
    if (!why)
        abort();
    if (st == 200) {
        size_t n = strnlen(r.arg, sizeof r.arg);
        if (n == sizeof r.arg || !text_ok(r.arg, n))
            abort();
        if (r.kind == R_STATIC &&
            (r.arg[0] == '/' || r.arg[0] == '.' || strstr(r.arg, "/.") || strstr(r.arg, "//")))
            abort();
    }
    free(path);
    return 0;
}
