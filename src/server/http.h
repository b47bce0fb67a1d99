/*
 * http.h — the HTTP side of `rasd serve` (libmicrohttpd): a thread pool on
 * epoll bound to one address, the limits that keep slow or hostile clients
 * from hurting others, the security headers, static files from web/, and
 * dispatch of /api/ requests to handlers.c.
 */
#ifndef RASD_SERVER_HTTP_H
#define RASD_SERVER_HTTP_H

#include <stddef.h>

#include "rasd.h"
#include "server/data.h"

typedef struct ServeConfig {
    const char *bind;        /* IPv4 address to listen on ("127.0.0.1") */
    unsigned port;           /* 0: any free port (see server_port) */
    const char *token;       /* write token, or NULL: the API is read-only */
    const char *web_root;    /* folder of the web UI, or NULL: API only */
    const char *cors_origin; /* an origin allowed to call the API, or NULL: no CORS */
    unsigned threads;        /* polling threads (default 8) */
    unsigned workers;        /* threads for slow handlers: briefs, ingest (default 4) */
    unsigned timeout;        /* seconds a connection may stay idle or slow (default 15) */
    unsigned max_connections;/* open connections at once (default 512) */
    size_t max_body;         /* request body bytes (default 16 MiB) */
    size_t max_header;       /* bytes of request line and headers (default 32 KiB) */
    /* One line per request and per problem; NULL: silent. */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
} ServeConfig;

typedef struct Server Server;

/* Starts serving in background threads. */
rasd_err server_start(const ServeConfig *cfg, Data *d, Server **out, rasd_error *err);
unsigned server_port(const Server *s); /* the port actually bound */
void server_stop(Server *s);

#endif
