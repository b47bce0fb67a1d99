/*
 * fetch.h — HTTP for `rasd watch`: many GETs at once over libcurl's multi
 * interface, each one fenced so that no response can hurt the others
 * (size, time, redirect and protocol limits), with conditional GET, gzip/br
 * and a per-host concurrency limit and politeness delay.
 */
#ifndef RASD_WATCH_FETCH_H
#define RASD_WATCH_FETCH_H

#include <stddef.h>

#include "rasd.h"
#include "util/util.h"

typedef struct FetchLimits {
    size_t max_bytes;        /* decoded body limit in bytes; 0 = 8 MiB */
    long timeout_s;          /* whole request, seconds; 0 = 30 */
    long connect_timeout_s;  /* seconds; 0 = 10 */
    long low_speed_s;        /* cut when under 64 bytes/s for this many seconds; 0 = 10 */
    long max_redirs;         /* redirects followed; 0 = 5 */
    int per_host;            /* requests in flight to one host; 0 = 2 */
    int total;               /* requests in flight overall; 0 = 16 */
    long host_delay_ms;      /* least time between two request starts to one host */
    const char *user_agent;  /* NULL = "rasd/VERSION (news monitor; +https://github.com/rasd)" */
} FetchLimits;

/* Why a request has no usable response (FetchReq.fail). */
typedef enum FetchFail {
    FETCH_OK = 0,       /* a response arrived (any status) */
    FETCH_TOO_BIG,      /* body over max_bytes (declared or after decoding) */
    FETCH_TIMEOUT,      /* stalled, too slow or over the total time */
    FETCH_REDIRECTS,    /* more than max_redirs redirects */
    FETCH_PROTOCOL,     /* a scheme other than http/https */
    FETCH_ENCODING,     /* bad gzip/br content encoding */
    FETCH_NETWORK       /* could not connect, reset, DNS ... */
} FetchFail;

typedef struct FetchReq {
    /* in */
    const char *url;           /* http:// or https:// */
    const char *etag;          /* validator from the last 200, or NULL */
    const char *last_modified; /* validator from the last 200, or NULL */
    /* out (fetch_req_free releases) */
    FetchFail fail;            /* FETCH_OK when status holds the HTTP status */
    long status;               /* HTTP status of the last response, 0 when none */
    Buf body;                  /* decoded body */
    char *etag_out;            /* ETag of the response, or NULL */
    char *last_modified_out;   /* Last-Modified of the response, or NULL */
    char *content_type;        /* Content-Type of the response, or NULL */
    char *final_url;           /* URL after redirects, or NULL */
    long retry_after;          /* Retry-After in seconds from now, -1 when absent */
    double seconds;            /* wall time of the request */
    char error[512];           /* one sentence naming the URL when fail != FETCH_OK */
    void *tag;                 /* the caller's, given to fetch_queue_add */
} FetchReq;

/* Once per process, before any other call (curl_global_init). */
rasd_err fetch_global_init(rasd_error *err);
/* Runs every request to completion; each gets its own outcome. */
rasd_err fetch_run(FetchReq *reqs, size_t n, const FetchLimits *lim, rasd_error *err);

/* A queue of requests answered as they finish, so a caller can act on the
   fast ones (and add follow-up requests) while a slow one is still running. */
typedef struct FetchQueue FetchQueue;
rasd_err fetch_queue_new(const FetchLimits *lim, FetchQueue **out, rasd_error *err);
/* Adds r (kept alive by the caller until returned); r->tag = tag. */
rasd_err fetch_queue_add(FetchQueue *q, FetchReq *r, void *tag, rasd_error *err);
/* The next finished request; NULL when none is left, or after timeout_ms
   (-1: no timeout) with requests still running. */
FetchReq *fetch_queue_next(FetchQueue *q, long timeout_ms);
/* Requests added and not yet returned by fetch_queue_next. */
size_t fetch_queue_pending(const FetchQueue *q);
/* Frees the queue; requests still running are abandoned (their FetchReq untouched). */
void fetch_queue_free(FetchQueue *q);
void fetch_req_free(FetchReq *r);
/* "scheme://host:port" of url into out (lowercased); 0 ok, -1 not http(s). */
int fetch_origin(const char *url, char *out, size_t size);
/* One POST of a JSON body (webhooks); status out, RASD_EIO on no response. */
rasd_err fetch_post_json(const char *url, const char *body, size_t n, const FetchLimits *lim,
                         long *status, rasd_error *err);

#endif
