/*
 * route.c — the path and query parsers of the HTTP API. The server hands
 * them the raw request target (libmicrohttpd is told not to unescape it),
 * so one decoder decides what a "%2F" or a "+" means and every byte that
 * reaches a handler has been checked here: escapes are well formed, the
 * result is valid UTF-8 (utf8proc), and holds no NUL or control character.
 *
 * Paths are matched segment by segment against the fixed API shapes; an
 * entity key is the one argument that may contain an encoded '/', so it is
 * taken whole from the rest of the path before decoding.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "server/route.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Valid UTF-8 and no C0 control characters (tab allowed) or DEL. */
static int text_ok(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        if ((cp < 0x20 && cp != '\t') || cp == 0x7F)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

long route_pct_decode(const char *in, size_t n, int form, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)in[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int h = hexval((unsigned char)in[i + 1]), l = hexval((unsigned char)in[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            c = h * 16 + l;
            i += 2;
        } else if (c == '+' && form) {
            c = ' ';
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    if (!text_ok(out, o))
        return -1;
    return (long)o;
}

/* A positive decimal number of at most 15 digits in s[0,n). */
static int parse_num(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 15)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v <= 0)
        return -1;
    *out = v;
    return 0;
}

/* Splits p (after "/api/") into up to 3 segments at '/'. Returns the count,
   or -1 for more, an empty segment or a trailing slash. */
static int split3(const char *p, const char *seg[3], size_t len[3])
{
    int k = 0;
    const char *s = p;
    for (;;) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n == 0 || k == 3)
            return -1;
        seg[k] = s;
        len[k] = n;
        k++;
        if (!slash)
            return k;
        s = slash + 1;
    }
}

static int is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

#define FAIL(status, msg)                                                                      \
    do {                                                                                       \
        *why = (msg);                                                                          \
        return (status);                                                                       \
    } while (0)

/* Method check: 200 if method is one of the allowed (space separated) ones. */
static int allow(const char *method, const char *allowed, const char **why)
{
    size_t m = strlen(method);
    const char *p = allowed;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        if (n == m && memcmp(p, method, n) == 0)
            return 200;
        if (!sp)
            break;
        p = sp + 1;
    }
    *why = "this method is not allowed on this resource";
    return 405;
}

static int static_path(const char *method, const char *path, Route *out, const char **why)
{
    int st = allow(method, "GET HEAD", why);
    if (st != 200)
        return st;
    const char *rel = path + 1;
    if (!*rel)
        rel = "index.html";
    size_t n = strlen(rel);
    if (n >= ROUTE_ARG_MAX - 1)
        FAIL(404, "no such file");
    /* only plain names: letters, digits, '-', '_', '.', and '/' between them;
       no segment may start with a dot (no "..", no hidden files) */
    for (size_t i = 0; i < n; i++) {
        char c = rel[i];
        int okc = isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '/';
        if (!okc || (c == '.' && (i == 0 || rel[i - 1] == '/')) ||
            (c == '/' && (i == 0 || rel[i - 1] == '/' || i + 1 == n)))
            FAIL(404, "no such file");
    }
    out->kind = R_STATIC;
    memcpy(out->arg, rel, n + 1);
    return 200;
}

int route_parse(const char *method, const char *path, Route *out, const char **why)
{
    static const char api[] = "/api/";
    memset(out, 0, sizeof *out);
    out->arg[0] = '\0';
    *why = "";
    if (!method || !path || path[0] != '/')
        FAIL(400, "the request target is not an absolute path");
    if (strncmp(path, api, sizeof api - 1) != 0) {
        if (strcmp(path, "/api") == 0)
            FAIL(404, "no such API resource (see docs/api.md)");
        return static_path(method, path, out, why);
    }
    const char *p = path + sizeof api - 1;
    /* entity keys: everything after /api/entities/ is the (encoded) key */
    if (strncmp(p, "entities/", 9) == 0 && p[9]) {
        int st = allow(method, "GET HEAD", why);
        if (st != 200)
            return st;
        if (route_pct_decode(p + 9, strlen(p + 9), 0, out->arg, sizeof out->arg) <= 0)
            FAIL(400, "the entity key is not valid percent-encoded UTF-8");
        out->kind = R_ENTITY;
        return 200;
    }
    if (strncmp(p, "outlets/", 8) == 0 && p[8]) {
        int st = allow(method, "PUT", why);
        if (st != 200)
            return st;
        if (route_pct_decode(p + 8, strlen(p + 8), 0, out->arg, sizeof out->arg) <= 0)
            FAIL(400, "the outlet name is not valid percent-encoded UTF-8");
        out->kind = R_OUTLET;
        return 200;
    }
    const char *seg[3];
    size_t len[3];
    int k = split3(p, seg, len);
    if (k < 0)
        FAIL(404, "no such API resource (see docs/api.md)");
    const char *get = "GET HEAD";
    if (k == 1) {
        static const struct { const char *name; RouteKind kind; const char *methods; } one[] = {
            {"status", R_STATUS, "GET HEAD"},     {"stories", R_STORIES, "GET HEAD"},
            {"articles", R_INGEST, "POST"},       {"search", R_SEARCH, "GET HEAD"},
            {"entities", R_ENTITIES, "GET HEAD"}, {"outlets", R_OUTLETS, "GET HEAD"},
            {"overrides", R_OVERRIDES, "GET HEAD POST"},
        };
        for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
            if (is(seg[0], len[0], one[i].name)) {
                int st = allow(method, one[i].methods, why);
                if (st != 200)
                    return st;
                out->kind = one[i].kind;
                return 200;
            }
        FAIL(404, "no such API resource (see docs/api.md)");
    }
    if (is(seg[0], len[0], "search") && k == 2 && is(seg[1], len[1], "export")) {
        int st = allow(method, get, why);
        if (st != 200)
            return st;
        out->kind = R_SEARCH_EXPORT;
        return 200;
    }
    if (is(seg[0], len[0], "articles") && k == 2) {
        int st = allow(method, get, why);
        if (st != 200)
            return st;
        if (len[1] >= 32 || route_pct_decode(seg[1], len[1], 0, out->arg, 32) <= 0)
            FAIL(400, "the article id is not valid");
        out->kind = R_ARTICLE;
        return 200;
    }
    int stories = is(seg[0], len[0], "stories"), events = is(seg[0], len[0], "events"),
        overrides = is(seg[0], len[0], "overrides");
    if (!stories && !events && !overrides)
        FAIL(404, "no such API resource (see docs/api.md)");
    if (parse_num(seg[1], len[1], &out->num) < 0)
        FAIL(404, "a story, event or override is named by a positive number");
    if (overrides) {
        if (k != 2)
            FAIL(404, "no such API resource (see docs/api.md)");
        int st = allow(method, "DELETE", why);
        if (st != 200)
            return st;
        out->kind = R_OVERRIDE;
        return 200;
    }
    RouteKind kind = R_NONE;
    if (stories && k == 2)
        kind = R_STORY;
    else if (stories && is(seg[2], len[2], "brief"))
        kind = R_BRIEF;
    else if (stories && is(seg[2], len[2], "conflicts"))
        kind = R_CONFLICTS;
    else if (stories && is(seg[2], len[2], "export"))
        kind = R_STORY_EXPORT;
    else if (events && k == 3 && is(seg[2], len[2], "brief"))
        kind = R_EVENT_BRIEF;
    if (kind == R_NONE)
        FAIL(404, "no such API resource (see docs/api.md)");
    int st = allow(method, get, why);
    if (st != 200)
        return st;
    out->kind = kind;
    return 200;
}

int query_add(Query *q, const char *key, const char *val)
{
    if (q->n == QUERY_MAX_PAIRS)
        return -1;
    if (route_pct_decode(key, strlen(key), 1, q->key[q->n], sizeof q->key[0]) < 0)
        return -1;
    if (route_pct_decode(val ? val : "", val ? strlen(val) : 0, 1, q->val[q->n],
                         sizeof q->val[0]) < 0)
        return -1;
    q->n++;
    return 0;
}

int query_parse(Query *q, const char *qs, size_t n)
{
    char key[96], val[3 * QUERY_VALUE_MAX];
    size_t i = 0;
    q->n = 0;
    while (i < n) {
        size_t amp = i;
        while (amp < n && qs[amp] != '&')
            amp++;
        if (amp > i) {
            size_t eq = i;
            while (eq < amp && qs[eq] != '=')
                eq++;
            size_t kl = eq - i, vl = eq < amp ? amp - eq - 1 : 0;
            if (kl >= sizeof key || vl >= sizeof val)
                return -1;
            memcpy(key, qs + i, kl);
            key[kl] = '\0';
            if (vl)
                memcpy(val, qs + eq + 1, vl);
            val[vl] = '\0';
            if (memchr(key, '\0', kl) || memchr(val, '\0', vl) || query_add(q, key, val) < 0)
                return -1;
        }
        i = amp + 1;
    }
    return 0;
}

const char *query_get(const Query *q, const char *key)
{
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->key[i], key) == 0)
            return q->val[i];
    return NULL;
}

int query_int(const Query *q, const char *key, long def, long max, long *out)
{
    const char *v = query_get(q, key);
    if (!v) {
        *out = def;
        return 0;
    }
    size_t n = strlen(v);
    if (n == 0 || n > 9 || strspn(v, "0123456789") != n)
        return -1;
    long x = strtol(v, NULL, 10);
    if (x > max)
        return -1;
    *out = x;
    return 0;
}

int query_date(const Query *q, const char *key, const char **out)
{
    const char *v = query_get(q, key);
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)v[i]))
            return -1;
    int m = atoi(v + 5), d = atoi(v + 8);
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *out = v;
    return 0;
}
