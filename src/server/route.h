/*
 * route.h — the request parsers of `rasd serve`, kept apart from the HTTP
 * library so they can be fuzzed and unit-tested alone: the API path to a
 * route with its argument, the query string to decoded pairs, and the
 * percent-decoding both share. Every decoded string is checked to be valid
 * UTF-8 without NUL bytes or control characters before any handler sees it.
 */
#ifndef RASD_SERVER_ROUTE_H
#define RASD_SERVER_ROUTE_H

#include <stddef.h>
#include <stdint.h>

/* The API resources. R_STATIC: not under /api/, a file of web/. */
typedef enum RouteKind {
    R_NONE = 0,
    R_STATUS,          /* GET /api/status */
    R_STORIES,         /* GET /api/stories */
    R_STORY,           /* GET /api/stories/{n} */
    R_BRIEF,           /* GET /api/stories/{n}/brief */
    R_CONFLICTS,       /* GET /api/stories/{n}/conflicts */
    R_STORY_EXPORT,    /* GET /api/stories/{n}/export */
    R_EVENT_BRIEF,     /* GET /api/events/{n}/brief */
    R_ARTICLE,         /* GET /api/articles/{id} */
    R_INGEST,          /* POST /api/articles */
    R_SEARCH,          /* GET /api/search */
    R_SEARCH_EXPORT,   /* GET /api/search/export */
    R_ENTITIES,        /* GET /api/entities */
    R_ENTITY,          /* GET /api/entities/{key} */
    R_OUTLETS,         /* GET /api/outlets */
    R_OUTLET,          /* PUT /api/outlets/{name} */
    R_OVERRIDES,       /* GET, POST /api/overrides */
    R_OVERRIDE,        /* DELETE /api/overrides/{n} */
    R_STATIC           /* GET, HEAD anything else: a file under web/ */
} RouteKind;

#define ROUTE_ARG_MAX 512 /* bytes of a decoded path argument, NUL included */

typedef struct Route {
    RouteKind kind;
    int64_t num;              /* story, event or override number (R_STORY ...) */
    char arg[ROUTE_ARG_MAX];  /* decoded argument: article id, entity key, outlet
                                 name; for R_STATIC the relative file path */
} Route;

/*
 * Parses method and raw (still percent-encoded) path. Returns an HTTP
 * status: 200 when out is filled, 404 no such resource, 405 the resource
 * exists but not with this method, 400 a malformed path (bad escape,
 * invalid UTF-8, a number out of range). *why gets one sentence.
 */
int route_parse(const char *method, const char *path, Route *out, const char **why);

/* Percent-decodes in[0,n) into out (cap bytes, NUL-terminated); form: '+'
   is a space. -1 on a bad escape, invalid UTF-8, a NUL or control
   character, or when it does not fit; else the decoded length. */
long route_pct_decode(const char *in, size_t n, int form, char *out, size_t cap);

/* Decoded query pairs; keys and values are NUL-terminated and valid UTF-8. */
#define QUERY_MAX_PAIRS 32
#define QUERY_VALUE_MAX 1024
typedef struct Query {
    char key[QUERY_MAX_PAIRS][32];
    char val[QUERY_MAX_PAIRS][QUERY_VALUE_MAX];
    size_t n;
} Query;

/* Adds one raw (encoded) pair. 0 ok, -1 malformed or too many/too long. */
int query_add(Query *q, const char *key, const char *val);
/* Parses a raw query string "a=1&b=%D8%A7" (no leading '?'). 0 ok, -1 malformed. */
int query_parse(Query *q, const char *qs, size_t n);
/* The value of key, or NULL. */
const char *query_get(const Query *q, const char *key);
/* A non-negative integer parameter in [0, max]: *out (default def when
   absent). 0 ok, -1 present but not such a number. */
int query_int(const Query *q, const char *key, long def, long max, long *out);
/* A date YYYY-MM-DD (or absent: NULL). 0 ok, -1 present but not a date. */
int query_date(const Query *q, const char *key, const char **out);

#endif
