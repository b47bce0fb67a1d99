/*
 * http.c — libmicrohttpd setup and the request life cycle of `rasd serve`.
 *
 * The daemon runs a pool of threads, each polling its share of the
 * connections with epoll, so a slow or half-open client costs a socket and
 * a little memory, never a thread: only handler work occupies one. Limits:
 * the request line and headers must fit the per-connection memory pool
 * (larger ones get 431 from the library), a connection idle for `timeout`
 * seconds is closed, a body over max_body is refused with 413 (before it is
 * read when Content-Length says so), and the number of open connections is
 * capped.
 *
 * The request target is not unescaped by the library (our unescape callback
 * leaves it as is): route.c decodes and checks paths and query pairs, so
 * one piece of code decides what a request means. Static files are served
 * only by names made of [A-Za-z0-9._-/] with no segment starting with a dot,
 * opened below the web folder without following symbolic links at the last
 * step, and checked to resolve inside it.
 *
 * Handlers that can take long (a brief, conflicts, the names, a name's
 * page, an ingest) do not run on the polling threads: the connection is suspended,
 * the request goes to a small pool of worker threads, and the connection is
 * resumed with the finished response. So a list or a status poll is never
 * queued behind a brief that takes seconds.
 *
 * Every response carries a Content-Security-Policy that allows scripts,
 * styles, fonts and fetches from this origin only (no inline scripts),
 * X-Content-Type-Options: nosniff and no CORS header unless an origin was
 * given at start. API responses carry an ETag (a hash of the body) and
 * answer a matching If-None-Match with 304.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/handlers.h"
#include "server/http.h"
#include "server/route.h"

typedef struct ReqState ReqState;

struct Server {
    struct MHD_Daemon *mhd;
    ServeConfig cfg;          /* copy; strings borrowed from the caller */
    Data *data;
    char web_real[PATH_MAX];  /* realpath of web_root, or "" */
    unsigned port;            /* bound port */
    /* the slow-request workers */
    pthread_t *workers;       /* cfg.workers threads */
    unsigned nworkers;        /* started */
    pthread_mutex_t lock;     /* guards the queue and stopping */
    pthread_cond_t more;      /* signalled when a job is queued or on stop */
    ReqState *head, *tail;    /* queued requests, oldest first */
    int stopping;             /* workers drain the queue and exit */
};

/* Per-request state, from the first call of the handler to completion. */
struct ReqState {
    Route route;              /* parsed path */
    int route_status;         /* route_parse's status */
    const char *route_why;    /* and its sentence */
    Buf body;                 /* request body so far */
    int too_big;              /* the body went over max_body */
    enum { REQ_NEW, REQ_QUEUED, REQ_DONE } phase; /* of a request handed to a worker */
    struct MHD_Connection *conn; /* suspended while a worker handles it */
    Query *query;             /* decoded query pairs (owned) */
    ApiRequest ar;            /* the request as api_handle sees it */
    ApiResponse rs;           /* its response, filled by a worker */
    ReqState *next;           /* in the worker queue */
};

static const char CSP[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

static void logf_(Server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(Server *s, const char *fmt, ...)
{
    if (!s->cfg.log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->cfg.log(s->cfg.log_ctx, line);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    Server *s = cls;
    if (!s->cfg.log)
        return;
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    s->cfg.log(s->cfg.log_ctx, line);
}

static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static void common_headers(Server *s, struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy", CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    if (s->cfg.cors_origin) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", s->cfg.cors_origin);
        MHD_add_response_header(r, "Vary", "Origin");
    }
}

static enum MHD_Result send_buf(Server *s, struct MHD_Connection *c, int status,
                                const char *type, const char *data, size_t n, const char *etag)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(n, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    common_headers(s, r);
    if (type)
        MHD_add_response_header(r, "Content-Type", type);
    if (etag) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", "no-cache");
    } else {
        MHD_add_response_header(r, "Cache-Control", "no-store");
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(Server *s, struct MHD_Connection *c, int status,
                                  const char *msg)
{
    ApiResponse rs = {0};
    api_error(&rs, status, msg);
    enum MHD_Result ok = send_buf(s, c, status, rs.type, rs.body.data, rs.body.len, NULL);
    api_response_free(&rs);
    return ok;
}

/* ---- static files ---- */

static const char *mime_of(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".woff2", "font/woff2"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".md", "text/plain; charset=utf-8"},
    };
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && strcmp(name + n - e, types[i].ext) == 0)
            return types[i].type;
    }
    return NULL;
}

static enum MHD_Result send_file(Server *s, struct MHD_Connection *c, const char *rel)
{
    const char *type = mime_of(rel);
    if (!s->web_real[0] || !type)
        return send_error(s, c, 404, "no such file");
    char path[PATH_MAX], real[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", s->web_real, rel);
    if (n < 0 || (size_t)n >= sizeof path || !realpath(path, real))
        return send_error(s, c, 404, "no such file");
    size_t wl = strlen(s->web_real);
    if (strncmp(real, s->web_real, wl) != 0 || real[wl] != '/')
        return send_error(s, c, 404, "no such file");
    int fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return send_error(s, c, 404, "no such file");
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)sb.st_mtime,
             (unsigned long long)sb.st_size);
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        return send_buf(s, c, 304, NULL, "", 0, etag);
    }
    struct MHD_Response *r = MHD_create_response_from_fd((size_t)sb.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    common_headers(s, r);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- exports: streamed with chunked encoding ---- */

typedef struct Stream {
    DataExport *x;  /* cursor (owned) */
    Buf pending;    /* bytes produced, not yet sent */
    size_t off;     /* sent of pending */
    int finished;   /* the cursor is exhausted */
} Stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    Stream *st = cls;
    while (st->off == st->pending.len && !st->finished) {
        buf_reset(&st->pending);
        st->off = 0;
        while (st->pending.len < 32768) {
            int k = data_export_next(st->x, &st->pending);
            if (k < 0)
                return MHD_CONTENT_READER_END_WITH_ERROR;
            if (k == 0) {
                st->finished = 1;
                break;
            }
        }
    }
    if (st->off == st->pending.len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = st->pending.len - st->off;
    if (n > max)
        n = max;
    memcpy(buf, st->pending.data + st->off, n);
    st->off += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    Stream *st = cls;
    data_export_free(st->x);
    buf_free(&st->pending);
    free(st);
}

static enum MHD_Result send_stream(Server *s, struct MHD_Connection *c, ApiResponse *rs)
{
    Stream *st = calloc(1, sizeof *st);
    if (!st)
        return send_error(s, c, 500, "out of memory");
    st->x = rs->stream;
    rs->stream = NULL;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 65536, stream_read, st, stream_free);
    if (!r) {
        stream_free(st);
        return MHD_NO;
    }
    common_headers(s, r);
    MHD_add_response_header(r, "Content-Type", rs->type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    char disp[160];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", rs->filename);
    MHD_add_response_header(r, "Content-Disposition", disp);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- requests ---- */

typedef struct QueryCollect {
    Query *q;
    int bad;      /* a pair was malformed or there were too many */
} QueryCollect;

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    (void)kind;
    QueryCollect *qc = cls;
    if (query_add(qc->q, key, value) < 0) {
        qc->bad = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

/* Constant-time comparison of the Authorization header with "Bearer TOKEN". */
static int authorized(Server *s, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!s->cfg.token || !h || strncmp(h, "Bearer ", 7) != 0)
        return 0;
    const char *given = h + 7, *want = s->cfg.token;
    size_t gl = strlen(given), wl = strlen(want);
    unsigned char diff = (unsigned char)(gl != wl);
    for (size_t i = 0; i < wl; i++)
        diff |= (unsigned char)(want[i] ^ (i < gl ? given[i] : 0));
    return diff == 0;
}

/* The response of an API request (ETag and 304, 401 with WWW-Authenticate, streams). */
static enum MHD_Result respond(Server *s, struct MHD_Connection *c, const char *method,
                               ApiResponse *rs)
{
    enum MHD_Result ok;
    if (rs->stream) {
        ok = send_stream(s, c, rs);
    } else {
        char etag[24] = "";
        if (rs->status == 200 && (!strcmp(method, "GET") || !strcmp(method, "HEAD"))) {
            snprintf(etag, sizeof etag, "\"%016llx\"",
                     (unsigned long long)rasd_hash(rs->body.data ? rs->body.data : "", rs->body.len));
            const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
            if (inm && strcmp(inm, etag) == 0) {
                api_response_free(rs);
                return send_buf(s, c, 304, NULL, "", 0, etag);
            }
        }
        if (rs->unauthorized) {
            struct MHD_Response *r = MHD_create_response_from_buffer(
                rs->body.len, rs->body.data, MHD_RESPMEM_MUST_COPY);
            if (!r) {
                api_response_free(rs);
                return MHD_NO;
            }
            common_headers(s, r);
            MHD_add_response_header(r, "Content-Type", rs->type);
            MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
            ok = MHD_queue_response(c, 401, r);
            MHD_destroy_response(r);
        } else {
            ok = send_buf(s, c, rs->status, rs->type, rs->body.data ? rs->body.data : "",
                          rs->body.len, etag[0] ? etag : NULL);
        }
    }
    api_response_free(rs);
    return ok;
}

/* Routes whose handler may take long: they go to the workers. */
static int slow_route(RouteKind k)
{
    return k == R_BRIEF || k == R_EVENT_BRIEF || k == R_CONFLICTS || k == R_ENTITY ||
           k == R_ENTITIES || k == R_INGEST;
}

static void *worker_main(void *arg)
{
    Server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->more, &s->lock);
        ReqState *rq = s->head;
        if (rq) {
            s->head = rq->next;
            if (!s->head)
                s->tail = NULL;
        }
        pthread_mutex_unlock(&s->lock);
        if (!rq)
            return NULL; /* stopping and nothing left */
        api_handle(s->data, &rq->ar, &rq->rs);
        rq->phase = REQ_DONE;
        MHD_resume_connection(rq->conn);
    }
}

/* tells the workers to finish what is queued and exit, and joins them */
static void stop_workers(Server *s)
{
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_broadcast(&s->more);
    pthread_mutex_unlock(&s->lock);
    for (unsigned i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i], NULL);
    free(s->workers);
    s->workers = NULL;
    s->nworkers = 0;
}

static enum MHD_Result dispatch(Server *s, struct MHD_Connection *c, const char *method,
                                ReqState *rq)
{
    if (rq->phase == REQ_DONE)
        return respond(s, c, method, &rq->rs);
    if (rq->phase == REQ_QUEUED)
        return MHD_YES; /* a spurious call while suspended */
    Query *q = rq->query = calloc(1, sizeof *q);
    if (!q)
        return send_error(s, c, 500, "out of memory");
    QueryCollect qc = {q, 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_arg, &qc);
    if (qc.bad)
        return send_error(s, c, 400,
                          "the query string is not valid percent-encoded UTF-8 (or has more "
                          "than 32 parameters or a value over 1024 bytes)");
    ApiRequest *ar = &rq->ar;
    ar->method = method;
    ar->route = &rq->route;
    ar->query = q;
    ar->body = rq->body.data;
    ar->body_len = rq->body.len;
    ar->write_enabled = s->cfg.token != NULL;
    ar->authorized = authorized(s, c);
    if (slow_route(rq->route.kind) && s->nworkers && !api_cached(s->data, ar, &rq->rs)) {
        rq->phase = REQ_QUEUED;
        rq->conn = c;
        MHD_suspend_connection(c);
        pthread_mutex_lock(&s->lock);
        rq->next = NULL;
        if (s->tail)
            s->tail->next = rq;
        else
            s->head = rq;
        s->tail = rq;
        pthread_cond_signal(&s->more);
        pthread_mutex_unlock(&s->lock);
        return MHD_YES;
    }
    if (rq->rs.status == 0) /* not answered from the cache above */
        api_handle(s->data, ar, &rq->rs);
    return respond(s, c, method, &rq->rs);
}

static int has_body_method(const char *m)
{
    return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)version;
    Server *s = cls;
    ReqState *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"};
        int ok_method = 0;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            ok_method |= strcmp(method, known[i]) == 0;
        if (!ok_method)
            return send_error(s, c, 405, "this method is not supported");
        if (strcmp(method, "OPTIONS") == 0) {
            if (!s->cfg.cors_origin)
                return send_error(s, c, 405, "cross-origin requests are not enabled");
            struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
                                                                     MHD_RESPMEM_PERSISTENT);
            if (!r)
                return MHD_NO;
            common_headers(s, r);
            MHD_add_response_header(r, "Access-Control-Allow-Methods",
                                    "GET, HEAD, POST, PUT, DELETE");
            MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                    "Authorization, Content-Type");
            MHD_add_response_header(r, "Access-Control-Max-Age", "600");
            enum MHD_Result ok = MHD_queue_response(c, 204, r);
            MHD_destroy_response(r);
            return ok;
        }
        rq->route_status = route_parse(method, url, &rq->route, &rq->route_why);
        if (rq->route_status != 200)
            return send_error(s, c, rq->route_status, rq->route_why);
        if (has_body_method(method)) {
            const char *cl =
                MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body)
                return send_error(s, c, 413, "the request body is larger than this server "
                                             "accepts (--max-body)");
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (rq->too_big || rq->body.len + *upload_size > s->cfg.max_body) {
            rq->too_big = 1;
        } else {
            buf_append(&rq->body, upload, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_big)
        return send_error(s, c, 413, "the request body is larger than this server accepts "
                                     "(--max-body)");
    if (rq->body.oom)
        return send_error(s, c, 500, "out of memory");
    if (rq->route.kind == R_STATIC)
        return send_file(s, c, rq->route.arg);
    return dispatch(s, c, method, rq);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)c;
    Server *s = cls;
    ReqState *rq = *con_cls;
    if (!rq)
        return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && s->cfg.log) {
        static const char *const why[] = {"completed", "error", "timeout", "shutdown",
                                          "read error", "client abort"};
        logf_(s, "request ended early: %s", (unsigned)toe < 6 ? why[toe] : "unknown");
    }
    buf_free(&rq->body);
    api_response_free(&rq->rs);
    free(rq->query);
    free(rq);
    *con_cls = NULL;
}

rasd_err server_start(const ServeConfig *cfg, Data *d, Server **out, rasd_error *err)
{
    Server *s = calloc(1, sizeof *s);
    if (!s)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    s->cfg = *cfg;
    s->data = d;
    if (!s->cfg.bind)
        s->cfg.bind = "127.0.0.1";
    if (!s->cfg.threads)
        s->cfg.threads = 8;
    if (!s->cfg.timeout)
        s->cfg.timeout = 15;
    if (!s->cfg.max_connections)
        s->cfg.max_connections = 512;
    if (!s->cfg.max_body)
        s->cfg.max_body = 16u << 20;
    if (!s->cfg.max_header)
        s->cfg.max_header = 32u << 10;
    if (!s->cfg.workers)
        s->cfg.workers = 4;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->more, NULL);
    if (s->cfg.web_root && !realpath(s->cfg.web_root, s->web_real)) {
        rasd_err e = rasd_fail(err, RASD_EIO, "%s: %s", s->cfg.web_root, strerror(errno));
        free(s);
        return e;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)s->cfg.port);
    if (inet_pton(AF_INET, s->cfg.bind, &sa.sin_addr) != 1) {
        rasd_err e = rasd_fail(err, RASD_EINVAL, "--bind: '%s' is not an IPv4 address",
                               s->cfg.bind);
        free(s);
        return e;
    }
    /* the workers exist before the daemon's threads can dispatch to them
       (dispatch reads nworkers) */
    s->workers = calloc(s->cfg.workers, sizeof *s->workers);
    for (unsigned i = 0; s->workers && i < s->cfg.workers; i++) {
        if (pthread_create(&s->workers[i], NULL, worker_main, s) != 0)
            break;
        s->nworkers++;
    }
    /* the library's memory pool per connection holds the request line and
       headers; twice max_header leaves room for its own bookkeeping */
    s->mhd = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, (uint16_t)s->cfg.port, NULL, NULL,
        handler, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        s->cfg.threads, MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout,
        MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(2 * s->cfg.max_header), MHD_OPTION_NOTIFY_COMPLETED, completed, s,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, s, MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_END);
    if (!s->mhd) {
        rasd_err e = rasd_fail(err, RASD_EIO, "cannot listen on %s:%u (in use, or not allowed)",
                               s->cfg.bind, s->cfg.port);
        stop_workers(s);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->more);
        free(s);
        return e;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_in bound;
    socklen_t bl = sizeof bound;
    s->port = s->cfg.port;
    if (info && getsockname(info->listen_fd, (struct sockaddr *)&bound, &bl) == 0)
        s->port = ntohs(bound.sin_port);
    *out = s;
    return RASD_OK;
}

unsigned server_port(const Server *s)
{
    return s->port;
}

void server_stop(Server *s)
{
    if (!s)
        return;
    /* the workers finish what is queued (resuming those connections) and
       exit; only then may the daemon stop */
    stop_workers(s);
    MHD_stop_daemon(s->mhd);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->more);
    free(s);
}
