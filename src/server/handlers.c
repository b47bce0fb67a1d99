/*
 * handlers.c — one handler per API resource (docs/api.md): checks the query
 * parameters and the write token, calls the data adapter, and turns its
 * reply into a JSON body. Errors are {"error": one sentence, "status": N}.
 * Writes (ingest, corrections, outlet names) need the token given at
 * start; a server started without one refuses them with 403.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/handlers.h"
#include "server/cache.h"

#define PAGE_MAX 200 /* largest page of stories, entities or hits */

void api_error(ApiResponse *rs, int status, const char *msg)
{
    json_t *j = json_pack("{s:s, s:i}", "error", msg, "status", status);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    buf_reset(&rs->body);
    buf_puts(&rs->body, s ? s : "{\"error\":\"out of memory\"}");
    buf_putc(&rs->body, '\n');
    free(s);
    json_decref(j);
    rs->status = status;
    rs->type = "application/json; charset=utf-8";
}

void api_response_free(ApiResponse *rs)
{
    buf_free(&rs->body);
    data_export_free(rs->stream);
    rs->stream = NULL;
}

/* Moves a data reply into the response. */
static void reply(ApiResponse *rs, DataReply *r)
{
    if (r->status < 300 && !r->json && r->body.len) { /* written by the data layer */
        buf_free(&rs->body);
        rs->body = r->body;
        buf_putc(&rs->body, '\n');
        rs->status = r->status;
        rs->type = "application/json; charset=utf-8";
        return;
    }
    buf_free(&r->body);
    if (r->status >= 300 || !r->json) {
        api_error(rs, r->status >= 300 ? r->status : 500, r->msg[0] ? r->msg : "internal error");
        json_decref(r->json);
        return;
    }
    char *s = json_dumps(r->json, JSON_COMPACT);
    json_decref(r->json);
    if (!s) {
        api_error(rs, 500, "out of memory");
        return;
    }
    buf_reset(&rs->body);
    buf_puts(&rs->body, s);
    buf_putc(&rs->body, '\n');
    free(s);
    rs->status = r->status;
    rs->type = "application/json; charset=utf-8";
}

static int page(const ApiRequest *rq, ApiResponse *rs, long def, long *limit, long *offset)
{
    if (query_int(rq->query, "limit", def, PAGE_MAX, limit) < 0 || *limit < 1) {
        api_error(rs, 400, "limit must be a whole number from 1 to 200");
        return -1;
    }
    if (query_int(rq->query, "offset", 0, 100000000L, offset) < 0) {
        api_error(rs, 400, "offset must be a whole number from 0 to 100000000");
        return -1;
    }
    return 0;
}

/* Search parameters shared by /api/search and its export. */
static int search_query(const ApiRequest *rq, ApiResponse *rs, DataSearchQuery *sq)
{
    memset(sq, 0, sizeof *sq);
    sq->q = query_get(rq->query, "q");
    if (!sq->q || !*sq->q) {
        api_error(rs, 400, "q (the search words) is required");
        return -1;
    }
    if (query_date(rq->query, "since", &sq->since) < 0 ||
        query_date(rq->query, "until", &sq->until) < 0) {
        api_error(rs, 400, "since and until must be dates YYYY-MM-DD");
        return -1;
    }
    sq->outlet = query_get(rq->query, "outlet");
    if (sq->outlet && !*sq->outlet)
        sq->outlet = NULL;
    sq->entity = query_get(rq->query, "entity");
    if (sq->entity && !*sq->entity)
        sq->entity = NULL;
    long story;
    if (query_int(rq->query, "story", 0, 999999999L, &story) < 0) {
        api_error(rs, 400, "story must be a story number");
        return -1;
    }
    sq->story = story;
    return page(rq, rs, 20, &sq->limit, &sq->offset);
}

static int export_format(const ApiRequest *rq, ApiResponse *rs, int *fmt)
{
    const char *f = query_get(rq->query, "format");
    if (!f || strcmp(f, "jsonl") == 0) {
        *fmt = EXPORT_JSONL;
    } else if (strcmp(f, "csv") == 0) {
        *fmt = EXPORT_CSV;
    } else {
        api_error(rs, 400, "format must be csv or jsonl");
        return -1;
    }
    return 0;
}

static void start_export(ApiResponse *rs, DataExport *x, DataReply *r, int fmt, const char *name)
{
    if (!x) {
        reply(rs, r);
        return;
    }
    rs->stream = x;
    rs->status = 200;
    rs->type = fmt == EXPORT_CSV ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
    snprintf(rs->filename, sizeof rs->filename, "%s.%s", name, fmt == EXPORT_CSV ? "csv" : "jsonl");
}

static void api_answer(Data *d, const ApiRequest *rq, ApiResponse *rs);

static int is_write(const ApiRequest *rq)
{
    return strcmp(rq->method, "POST") == 0 || strcmp(rq->method, "PUT") == 0 ||
           strcmp(rq->method, "DELETE") == 0;
}

/* The cache key of a GET whose answer depends only on the store: the
   resource, its argument and the query pairs in order; "" when the answer
   is not cached (status polls, exports, writes, static files). */
static void cache_key(const ApiRequest *rq, Buf *key)
{
    const Route *rt = rq->route;
    switch (rt->kind) {
    case R_STORIES: case R_STORY: case R_BRIEF: case R_EVENT_BRIEF: case R_CONFLICTS:
    case R_ARTICLE: case R_SEARCH: case R_ENTITIES: case R_ENTITY: case R_OUTLETS:
        break;
    default:
        return;
    }
    if (is_write(rq))
        return;
    char head[64];
    snprintf(head, sizeof head, "%d\x1f%lld\x1f", (int)rt->kind, (long long)rt->num);
    buf_puts(key, head);
    buf_puts(key, rt->arg);
    for (size_t i = 0; rq->query && i < rq->query->n; i++) {
        buf_putc(key, '\x1f');
        buf_puts(key, rq->query->key[i]);
        buf_putc(key, '=');
        buf_puts(key, rq->query->val[i]);
    }
}

/* The cached answer into rs: 1, or 0 (rs untouched) with *gen and key set
   when the answer may be cached once made (key.len 0 when it may not). */
static int from_cache(Data *d, const ApiRequest *rq, ApiResponse *rs, Buf *key, uint64_t *gen)
{
    cache_key(rq, key);
    if (!key->len || key->oom || !data_generation(d, gen)) {
        key->len = 0;
        return 0;
    }
    buf_putc(key, '\0');
    Buf body = {0};
    if (!cache_get(data_cache(d), key->data, *gen, &body)) {
        buf_free(&body);
        return 0;
    }
    buf_free(&rs->body);
    rs->body = body;
    rs->status = 200;
    rs->type = "application/json; charset=utf-8";
    return 1;
}

int api_cached(Data *d, const ApiRequest *rq, ApiResponse *rs)
{
    Buf key = {0};
    uint64_t gen = 0;
    int hit = from_cache(d, rq, rs, &key, &gen);
    buf_free(&key);
    return hit;
}

void api_handle(Data *d, const ApiRequest *rq, ApiResponse *rs)
{
    Buf key = {0};
    uint64_t gen = 0; /* read before the answer is made: a write meanwhile makes it stale */
    if (from_cache(d, rq, rs, &key, &gen)) {
        buf_free(&key);
        return;
    }
    int cacheable = key.len > 0;
    api_answer(d, rq, rs);
    if (cacheable && rs->status == 200 && !rs->stream && !rs->body.oom)
        cache_put(data_cache(d), key.data, gen, rs->body.data, rs->body.len);
    buf_free(&key);
}

/* The answer itself (api_handle adds the cache around it). */
static void api_answer(Data *d, const ApiRequest *rq, ApiResponse *rs)
{
    DataReply r = {0};
    const Route *rt = rq->route;
    if (is_write(rq)) {
        if (!rq->write_enabled) {
            api_error(rs, 403, "this server is read-only: start rasd serve with --token-file "
                               "(or RASD_TOKEN) to allow writes");
            return;
        }
        if (!rq->authorized) {
            api_error(rs, 401, "writes need the header Authorization: Bearer TOKEN with the "
                               "server's token");
            rs->unauthorized = 1;
            return;
        }
    }
    switch (rt->kind) {
    case R_STATUS:
        data_status(d, &r);
        break;
    case R_STORIES: {
        DataStoriesQuery sq = {0};
        if (page(rq, rs, 20, &sq.limit, &sq.offset) < 0)
            return;
        if (query_date(rq->query, "since", &sq.since) < 0) {
            api_error(rs, 400, "since must be a date YYYY-MM-DD");
            return;
        }
        sq.outlet = query_get(rq->query, "outlet");
        if (sq.outlet && !*sq.outlet)
            sq.outlet = NULL;
        const char *sort = query_get(rq->query, "sort");
        if (sort && strcmp(sort, "largest") != 0 && strcmp(sort, "newest") != 0) {
            api_error(rs, 400, "sort must be newest or largest");
            return;
        }
        sq.largest = sort && strcmp(sort, "largest") == 0;
        data_stories(d, &sq, &r);
        break;
    }
    case R_STORY: data_story(d, rt->num, &r); break;
    case R_BRIEF: data_brief(d, rt->num, 0, &r); break;
    case R_EVENT_BRIEF: data_brief(d, 0, rt->num, &r); break;
    case R_CONFLICTS: data_conflicts(d, rt->num, &r); break;
    case R_STORY_EXPORT: {
        int fmt;
        if (export_format(rq, rs, &fmt) < 0)
            return;
        char name[48];
        snprintf(name, sizeof name, "story-%lld", (long long)rt->num);
        start_export(rs, data_export_story(d, rt->num, fmt, &r), &r, fmt, name);
        return;
    }
    case R_ARTICLE: data_article(d, rt->arg, &r); break;
    case R_INGEST: data_ingest(d, rq->body ? rq->body : "", rq->body_len, &r); break;
    case R_SEARCH: {
        DataSearchQuery sq;
        if (search_query(rq, rs, &sq) < 0)
            return;
        data_search(d, &sq, &r);
        break;
    }
    case R_SEARCH_EXPORT: {
        DataSearchQuery sq;
        int fmt;
        if (search_query(rq, rs, &sq) < 0 || export_format(rq, rs, &fmt) < 0)
            return;
        start_export(rs, data_export_search(d, &sq, fmt, &r), &r, fmt, "search");
        return;
    }
    case R_ENTITIES: {
        long limit, offset;
        if (page(rq, rs, 50, &limit, &offset) < 0)
            return;
        const char *type = query_get(rq->query, "type");
        if (type && strcmp(type, "PER") && strcmp(type, "LOC") && strcmp(type, "ORG") &&
            strcmp(type, "MISC")) {
            api_error(rs, 400, "type must be PER, LOC, ORG or MISC");
            return;
        }
        data_entities(d, query_get(rq->query, "q"), type, limit, offset, &r);
        break;
    }
    case R_ENTITY: data_entity(d, rt->arg, &r); break;
    case R_OUTLETS: data_outlets(d, &r); break;
    case R_OUTLET:
        data_set_outlet(d, rt->arg, rq->body ? rq->body : "", rq->body_len, &r);
        break;
    case R_OVERRIDES:
        if (strcmp(rq->method, "POST") == 0)
            data_add_override(d, rq->body ? rq->body : "", rq->body_len, &r);
        else
            data_overrides(d, &r);
        break;
    case R_OVERRIDE: data_delete_override(d, rt->num, &r); break;
    default:
        api_error(rs, 404, "no such API resource (see docs/api.md)");
        return;
    }
    reply(rs, &r);
}
