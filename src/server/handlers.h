/*
 * handlers.h — the API handlers of `rasd serve`: a parsed request in, a response
 * out (status, JSON body or an export stream). No HTTP library here; http.c
 * does the sockets, limits and headers, data.c the data.
 */
#ifndef RASD_SERVER_HANDLERS_H
#define RASD_SERVER_HANDLERS_H

#include <stddef.h>

#include "server/data.h"
#include "server/route.h"
#include "util/util.h"

typedef struct ApiRequest {
    const char *method;   /* GET, HEAD, POST, PUT, DELETE */
    const Route *route;   /* parsed path (route_parse returned 200) */
    const Query *query;   /* decoded query pairs */
    const char *body;     /* request body (NUL-terminated), or NULL */
    size_t body_len;      /* bytes */
    int write_enabled;    /* the server was started with a write token */
    int authorized;       /* the request carried that token */
} ApiRequest;

typedef struct ApiResponse {
    int status;              /* HTTP status */
    Buf body;                /* JSON body (owned) unless stream is set */
    const char *type;        /* Content-Type */
    DataExport *stream;      /* export cursor (owned) whose lines are the body */
    char filename[96];       /* for Content-Disposition of an export, or "" */
    int unauthorized;        /* 401: send WWW-Authenticate */
} ApiResponse;

void api_handle(Data *d, const ApiRequest *rq, ApiResponse *rs);
/* 1 with rs filled when the answer is in the cache of GET answers (cheap:
   the server answers such requests without handing them to a worker). */
int api_cached(Data *d, const ApiRequest *rq, ApiResponse *rs);
/* Fills rs with {"error": msg, "status": status}. */
void api_error(ApiResponse *rs, int status, const char *msg);
void api_response_free(ApiResponse *rs);

#endif
