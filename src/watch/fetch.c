/*
 * fetch.c — many HTTP GETs at once, each unable to hurt the others.
 *
 * Main idea: one libcurl multi handle runs the requests of a poll round
 * together. A small scheduler in front of it starts a request only while
 * its host has fewer than per_host in flight and host_delay_ms has passed
 * since the last start there, so one slow outlet costs its own slots, not
 * everyone's.
 *
 * The fences, in the order a hostile server meets them:
 *   - protocols: http and https only, for the first URL and every redirect
 *     (CURLOPT_PROTOCOLS_STR / REDIR_PROTOCOLS_STR): no file://, no gopher;
 *   - redirects: at most max_redirs (a loop ends as FETCH_REDIRECTS);
 *   - time: connect timeout, a total timeout and a low-speed limit (under
 *     64 bytes/s for low_speed_s seconds), so a stalled body is cut;
 *   - size: CURLOPT_MAXFILESIZE refuses a declared Content-Length over the
 *     limit before the body comes; the write callback counts the DECODED
 *     bytes (curl inflates gzip/br before calling it) and aborts past the
 *     limit, which stops an endless body and a gzip bomb alike.
 * Every failure becomes a FetchFail and one sentence naming the URL.
 *
 * Response headers are read by a header callback that forgets what it saw
 * when a new status line starts (each redirect hop sends its own), so the
 * ETag, Last-Modified, Content-Type and Retry-After kept are the final one's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "ingest/ingest.h"
#include "watch/fetch.h"

#define DEFAULT_UA "rasd/" RASD_VERSION " (Arabic news monitor; +https://github.com/rasd/rasd)"

static void limits_fill(const FetchLimits *in, FetchLimits *o)
{
    *o = *in;
    if (!o->max_bytes)
        o->max_bytes = 8u << 20;
    if (o->timeout_s <= 0)
        o->timeout_s = 30;
    if (o->connect_timeout_s <= 0)
        o->connect_timeout_s = 10;
    if (o->low_speed_s <= 0)
        o->low_speed_s = 10;
    if (o->max_redirs <= 0)
        o->max_redirs = 5;
    if (o->per_host <= 0)
        o->per_host = 2;
    if (o->total <= 0)
        o->total = 16;
    if (!o->user_agent)
        o->user_agent = DEFAULT_UA;
}

rasd_err fetch_global_init(rasd_error *err)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return rasd_fail(err, RASD_EIO, "libcurl could not be initialised");
    return RASD_OK;
}

int fetch_origin(const char *url, char *out, size_t size)
{
    size_t skip;
    if (!strncasecmp(url, "http://", 7))
        skip = 7;
    else if (!strncasecmp(url, "https://", 8))
        skip = 8;
    else
        return -1;
    size_t end = skip;
    while (url[end] && url[end] != '/' && url[end] != '?' && url[end] != '#')
        end++;
    if (end == skip || end + 1 > size)
        return -1;
    for (size_t i = 0; i < end; i++)
        out[i] = (char)tolower((unsigned char)url[i]);
    out[end] = '\0';
    return 0;
}

/* ---- one transfer ---- */

typedef struct Xfer {
    FetchReq *req;       /* the request this transfer answers */
    CURL *h;             /* easy handle */
    struct curl_slist *hdrs; /* conditional-GET request headers */
    size_t limit;        /* decoded body limit */
    int too_big;         /* the write callback aborted on size */
    char host[256];      /* origin, for the per-host limit */
    char errbuf[CURL_ERROR_SIZE]; /* curl's own message */
    struct timespec t0;  /* start */
} Xfer;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
    Xfer *x = ctx;
    size_t n = size * nmemb;
    if (x->req->body.len + n > x->limit) {
        x->too_big = 1;
        return 0; /* CURLE_WRITE_ERROR */
    }
    buf_append(&x->req->body, p, n);
    return x->req->body.oom ? 0 : n;
}

static char *header_value(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(p, name, k) || p[k] != ':')
        return NULL;
    p += k + 1;
    n -= k + 1;
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' '))
        n--;
    if (n > 1024)
        return NULL;
    return xstrndup(p, n);
}

static void set_str(char **dst, char *v)
{
    if (v) {
        free(*dst);
        *dst = v;
    }
}

static long parse_retry_after(const char *v)
{
    char *end;
    long s = strtol(v, &end, 10);
    if (end != v && !*end)
        return s < 0 ? 0 : s;
    time_t when = curl_getdate(v, NULL);
    if (when < 0)
        return -1;
    long d = (long)(when - time(NULL));
    return d < 0 ? 0 : d;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ctx)
{
    Xfer *x = ctx;
    FetchReq *r = x->req;
    size_t n = size * nmemb;
    if (n >= 5 && !strncmp(p, "HTTP/", 5)) { /* a new response (redirect hop) */
        free(r->etag_out);
        free(r->last_modified_out);
        free(r->content_type);
        r->etag_out = r->last_modified_out = r->content_type = NULL;
        r->retry_after = -1;
        return n;
    }
    set_str(&r->etag_out, header_value(p, n, "etag"));
    set_str(&r->last_modified_out, header_value(p, n, "last-modified"));
    set_str(&r->content_type, header_value(p, n, "content-type"));
    char *ra = header_value(p, n, "retry-after");
    if (ra) {
        r->retry_after = parse_retry_after(ra);
        free(ra);
    }
    return n;
}

static void add_header(struct curl_slist **l, const char *name, const char *v)
{
    char line[1100];
    if (!v || strlen(v) > 1024 || strpbrk(v, "\r\n"))
        return;
    snprintf(line, sizeof line, "%s: %s", name, v);
    struct curl_slist *nl = curl_slist_append(*l, line);
    if (nl)
        *l = nl;
}

static int xfer_setup(Xfer *x, const FetchLimits *lim)
{
    FetchReq *r = x->req;
    x->h = curl_easy_init();
    if (!x->h)
        return -1;
    x->limit = lim->max_bytes;
    add_header(&x->hdrs, "If-None-Match", r->etag);
    add_header(&x->hdrs, "If-Modified-Since", r->last_modified);
    CURL *h = x->h;
    curl_easy_setopt(h, CURLOPT_URL, r->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, lim->max_redirs);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding curl decodes */
    curl_easy_setopt(h, CURLOPT_USERAGENT, lim->user_agent);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, lim->timeout_s);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, lim->connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 64L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, lim->low_speed_s);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lim->max_bytes);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(h, CURLOPT_PRIVATE, x);
    if (x->hdrs)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
    return 0;
}

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void xfer_finish(Xfer *x, CURLcode rc, const FetchLimits *lim)
{
    FetchReq *r = x->req;
    r->seconds = since(&x->t0);
    long status = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
    r->status = status;
    char *eff = NULL;
    if (curl_easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
        r->final_url = xstrndup(eff, strlen(eff));
    const char *why = NULL;
    switch (rc) {
    case CURLE_OK: r->fail = FETCH_OK; return;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        r->fail = FETCH_TOO_BIG;
        snprintf(r->error, sizeof r->error, "%s: response larger than %zu bytes%s; cut off",
                 r->url, lim->max_bytes,
                 rc == CURLE_FILESIZE_EXCEEDED ? " (declared Content-Length)" : " after decoding");
        if (r->body.oom)
            snprintf(r->error, sizeof r->error, "%s: out of memory reading the response", r->url);
        buf_free(&r->body);
        return;
    case CURLE_OPERATION_TIMEDOUT:
        r->fail = FETCH_TIMEOUT;
        snprintf(r->error, sizeof r->error,
                 "%s: timed out after %.1f s (stalled, too slow or over %ld s); cut off", r->url,
                 r->seconds, lim->timeout_s);
        buf_free(&r->body);
        return;
    case CURLE_TOO_MANY_REDIRECTS:
        r->fail = FETCH_REDIRECTS;
        snprintf(r->error, sizeof r->error, "%s: more than %ld redirects (a redirect loop?)",
                 r->url, lim->max_redirs);
        return;
    case CURLE_UNSUPPORTED_PROTOCOL:
        r->fail = FETCH_PROTOCOL;
        snprintf(r->error, sizeof r->error, "%s: only http and https are fetched (%.150s)", r->url,
                 x->errbuf[0] ? x->errbuf : "protocol refused");
        return;
    case CURLE_BAD_CONTENT_ENCODING:
        r->fail = FETCH_ENCODING;
        why = "bad content encoding (gzip/br)";
        break;
    default:
        r->fail = FETCH_NETWORK;
        why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
        break;
    }
    snprintf(r->error, sizeof r->error, "%s: %.150s", r->url, why);
    buf_free(&r->body);
}

/* ---- the scheduler: a queue of requests over one multi handle ---- */

typedef struct Host {
    char name[256];        /* origin */
    int inflight;          /* requests running */
    struct timespec last;  /* start of the latest request */
    int started;           /* last is set */
} Host;

struct FetchQueue {
    FetchLimits lim;       /* limits, defaults filled */
    CURLM *m;              /* the multi handle */
    Xfer **wait;           /* added, not started, in order */
    size_t nwait, capwait;
    Xfer **done;           /* finished, not yet returned */
    size_t ndone, capdone;
    Xfer **run;            /* transfers in the multi handle */
    size_t running, caprun;
    Host *hosts;           /* every origin seen */
    size_t nhosts, caphosts;
};

static Host *host_of(FetchQueue *q, const char *name)
{
    for (size_t i = 0; i < q->nhosts; i++)
        if (!strcmp(q->hosts[i].name, name))
            return &q->hosts[i];
    if (q->nhosts == q->caphosts) {
        size_t nc = q->caphosts ? q->caphosts * 2 : 16;
        Host *nv = realloc(q->hosts, nc * sizeof *nv);
        if (!nv)
            return NULL;
        q->hosts = nv;
        q->caphosts = nc;
    }
    Host *h = &q->hosts[q->nhosts++];
    memset(h, 0, sizeof *h);
    snprintf(h->name, sizeof h->name, "%s", name);
    return h;
}

static int push(Xfer ***v, size_t *n, size_t *cap, Xfer *x)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        Xfer **nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return 0;
}

rasd_err fetch_queue_new(const FetchLimits *lim, FetchQueue **out, rasd_error *err)
{
    FetchQueue *q = calloc(1, sizeof *q);
    if (!q || !(q->m = curl_multi_init())) {
        free(q);
        return rasd_fail(err, RASD_ENOMEM, "out of memory starting the HTTP client");
    }
    limits_fill(lim, &q->lim);
    *out = q;
    return RASD_OK;
}

static void finish_now(FetchQueue *q, Xfer *x, FetchFail f, const char *why)
{
    x->req->fail = f;
    snprintf(x->req->error, sizeof x->req->error, "%s: %s", x->req->url, why);
    if (push(&q->done, &q->ndone, &q->capdone, x) < 0)
        free(x); /* out of memory: the request is dropped, its caller sees no answer */
}

rasd_err fetch_queue_add(FetchQueue *q, FetchReq *r, void *tag, rasd_error *err)
{
    Xfer *x = calloc(1, sizeof *x);
    if (!x)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    memset(&r->body, 0, sizeof r->body);
    r->etag_out = r->last_modified_out = r->content_type = r->final_url = NULL;
    r->retry_after = -1;
    r->status = 0;
    r->error[0] = '\0';
    r->fail = FETCH_OK;
    r->tag = tag;
    x->req = r;
    if (fetch_origin(r->url, x->host, sizeof x->host) < 0) {
        finish_now(q, x, FETCH_PROTOCOL, "not an http:// or https:// URL");
        return RASD_OK;
    }
    if (push(&q->wait, &q->nwait, &q->capwait, x) < 0) {
        free(x);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    return RASD_OK;
}

size_t fetch_queue_pending(const FetchQueue *q)
{
    return q->nwait + q->running + q->ndone;
}

/* Starts what the limits allow, in the order added. */
static void start_eligible(FetchQueue *q)
{
    size_t keep = 0;
    for (size_t i = 0; i < q->nwait; i++) {
        Xfer *x = q->wait[i];
        Host *h = host_of(q, x->host);
        int ok = h && (int)q->running < q->lim.total && h->inflight < q->lim.per_host &&
                 !(h->started && since(&h->last) * 1000.0 < (double)q->lim.host_delay_ms);
        if (!ok) {
            q->wait[keep++] = x;
            continue;
        }
        if (xfer_setup(x, &q->lim) < 0 || curl_multi_add_handle(q->m, x->h) != CURLM_OK) {
            if (x->h)
                curl_easy_cleanup(x->h);
            x->h = NULL;
            curl_slist_free_all(x->hdrs);
            x->hdrs = NULL;
            finish_now(q, x, FETCH_NETWORK, "could not start the request");
            continue;
        }
        if (push(&q->run, &q->running, &q->caprun, x) < 0) {
            curl_multi_remove_handle(q->m, x->h);
            curl_easy_cleanup(x->h);
            x->h = NULL;
            curl_slist_free_all(x->hdrs);
            x->hdrs = NULL;
            finish_now(q, x, FETCH_NETWORK, "out of memory starting the request");
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &x->t0);
        h->last = x->t0;
        h->started = 1;
        h->inflight++;
    }
    q->nwait = keep;
}

static void collect(FetchQueue *q)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(q->m, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        Xfer *x = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        xfer_finish(x, msg->data.result, &q->lim);
        curl_multi_remove_handle(q->m, x->h);
        curl_easy_cleanup(x->h);
        x->h = NULL;
        curl_slist_free_all(x->hdrs);
        x->hdrs = NULL;
        Host *h = host_of(q, x->host);
        if (h)
            h->inflight--;
        for (size_t i = 0; i < q->running; i++)
            if (q->run[i] == x) {
                q->run[i] = q->run[--q->running];
                break;
            }
        if (push(&q->done, &q->ndone, &q->capdone, x) < 0)
            free(x);
    }
}

FetchReq *fetch_queue_next(FetchQueue *q, long timeout_ms)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (q->ndone) {
            Xfer *x = q->done[0];
            memmove(q->done, q->done + 1, (q->ndone - 1) * sizeof *q->done);
            q->ndone--;
            FetchReq *r = x->req;
            free(x);
            return r;
        }
        if (!q->nwait && !q->running)
            return NULL;
        start_eligible(q);
        int still = 0;
        curl_multi_perform(q->m, &still);
        collect(q);
        if (q->ndone)
            continue;
        if (timeout_ms >= 0 && since(&t0) * 1000.0 >= (double)timeout_ms)
            return NULL;
        curl_multi_poll(q->m, NULL, 0, q->running ? 50 : 10, NULL);
    }
}

void fetch_queue_free(FetchQueue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->nwait; i++)
        free(q->wait[i]);
    for (size_t i = 0; i < q->ndone; i++)
        free(q->done[i]);
    for (size_t i = 0; i < q->running; i++) { /* the caller gave up on these */
        Xfer *x = q->run[i];
        curl_multi_remove_handle(q->m, x->h);
        curl_easy_cleanup(x->h);
        curl_slist_free_all(x->hdrs);
        free(x);
    }
    free(q->run);
    free(q->wait);
    free(q->done);
    free(q->hosts);
    curl_multi_cleanup(q->m);
    free(q);
}

rasd_err fetch_run(FetchReq *reqs, size_t n, const FetchLimits *lim, rasd_error *err)
{
    FetchQueue *q;
    rasd_err e = fetch_queue_new(lim, &q, err);
    if (e != RASD_OK)
        return e;
    for (size_t i = 0; i < n && e == RASD_OK; i++)
        e = fetch_queue_add(q, &reqs[i], NULL, err);
    while (e == RASD_OK && fetch_queue_next(q, -1))
        ;
    fetch_queue_free(q);
    return e;
}

void fetch_req_free(FetchReq *r)
{
    buf_free(&r->body);
    free(r->etag_out);
    free(r->last_modified_out);
    free(r->content_type);
    free(r->final_url);
    r->etag_out = r->last_modified_out = r->content_type = r->final_url = NULL;
}

static size_t discard(char *p, size_t size, size_t nmemb, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * nmemb;
}

rasd_err fetch_post_json(const char *url, const char *body, size_t n, const FetchLimits *lim_in,
                         long *status, rasd_error *err)
{
    FetchLimits lim;
    limits_fill(lim_in, &lim);
    char origin[256];
    if (fetch_origin(url, origin, sizeof origin) < 0)
        return rasd_fail(err, RASD_EINVAL, "webhook %s: not an http:// or https:// URL", url);
    CURL *h = curl_easy_init();
    if (!h)
        return rasd_fail(err, RASD_ENOMEM, "webhook %s: out of memory", url);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_USERAGENT, lim.user_agent);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, lim.timeout_s);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, lim.connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    CURLcode rc = curl_easy_perform(h);
    *status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK)
        return rasd_fail(err, RASD_EIO, "webhook %s: %s", url,
                         ebuf[0] ? ebuf : curl_easy_strerror(rc));
    return RASD_OK;
}
