/*
 * api_serve.c — `rasd serve` as a library call (include/rasd.h,
 * rasd_serve_start): the server's data layer on a store (server/data.h)
 * behind the HTTP server (server/http.h), both built into the library so
 * the tool and an embedding program start the same server.
 */
#include <stdlib.h>

#include "rasd.h"
#include "server/data.h"
#include "server/http.h"

struct rasd_server {
    Data *d;             /* the store's connections and caches */
    Server *srv;         /* the listening server */
};

RASD_API rasd_err rasd_serve_start(const char *location, const rasd_serve_opts *o,
                                   rasd_server **out, rasd_error *err)
{
    if (!location || !o || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_serve_start: bad argument");
    rasd_server *s = calloc(1, sizeof *s);
    if (!s)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err rc = data_open(location, &s->d, err);
    if (rc == RASD_OK)
        rc = server_start(o, s->d, &s->srv, err);
    if (rc != RASD_OK) {
        data_close(s->d);
        free(s);
        return rc;
    }
    *out = s;
    return RASD_OK;
}

RASD_API unsigned rasd_server_port(const rasd_server *s) { return s ? server_port(s->srv) : 0; }

RASD_API void rasd_serve_stop(rasd_server *s)
{
    if (!s)
        return;
    server_stop(s->srv);
    data_close(s->d);
    free(s);
}
