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

/* How to serve: the public options (include/rasd.h), field for field. */
typedef rasd_serve_opts ServeConfig;

typedef struct Server Server;

/* Starts serving in background threads. */
rasd_err server_start(const ServeConfig *cfg, Data *d, Server **out, rasd_error *err);
unsigned server_port(const Server *s); /* the port actually bound */
void server_stop(Server *s);

#endif
