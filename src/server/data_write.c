/*
 * data_write.c — the server's writes (data.h): ingest through the engine,
 * outlet display names, and the analyst's corrections. One lock (Data.write)
 * serialises them.
 */
#include "engine/api_int.h"
#include "server/data_impl.h"
#include "text/text.h"

/* ---- ingest ------------------------------------------------------------------- */

static int utf8_ok(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

long data_ingest_check(const char *body, size_t n, char *msg, size_t cap)
{
    if (n == 0) {
        snprintf(msg, cap, "the request body is empty: send a JSON object, an array of objects "
                           "or JSON Lines");
        return -1;
    }
    if (!utf8_ok(body, n) || memchr(body, '\0', n)) {
        snprintf(msg, cap, "the request body is not valid UTF-8 text");
        return -1;
    }
    Batch b = {0};
    rasd_error err;
    long count = -1;
    if (ingest_json(body, n, "request body", &b, &err) != RASD_OK)
        snprintf(msg, cap, "%s", err.msg);
    else if (b.n == 0)
        snprintf(msg, cap, "%s", b.nerrors ? b.errors[0]
                                           : "the request body holds no article (each needs a "
                                             "\"body\" or \"text\")");
    else
        count = (long)b.n;
    batch_free(&b);
    return count;
}

static void on_ingest_message(void *ctx, const char *m)
{
    json_t *arr = ctx;
    if (json_array_size(arr) < 100)
        json_array_append_new(arr, jstr(m));
}

void data_ingest(Data *d, const char *body, size_t n, DataReply *r)
{
    if (data_ingest_check(body, n, r->msg, sizeof r->msg) < 0) {
        r->status = 400;
        return;
    }
    /* the body is read like a JSON Lines file and stored by the engine */
    Batch batch = {0};
    rasd_error err;
    if (ingest_json(body, n, "request body", &batch, &err) != RASD_OK) {
        batch_free(&batch);
        fail(r, 400, "%s", err.msg);
        return;
    }
    json_t *messages = json_array();
    IngestOptions io = {0};
    io.max_bytes = n + 1;
    io.on_message = on_ingest_message;
    io.ctx = messages;
    IngestStats s = {0};
    StoriesStats ss = {0};
    pthread_mutex_lock(&d->write);
    rasd_err e = d->writer ? RASD_OK : store_open(d->path, 0, &d->writer, &err);
    if (e == RASD_OK)
        e = engine_ingest_batch(d->writer, &io, &batch, "POST /api/articles", &s, &err);
    int ran = 0;
    if (e == RASD_OK && s.added) {
        AssignOpts ao;
        assign_opts_default(&ao);
        e = engine_assign(d->writer, &ao, &ss, &ran, &err);
    }
    size_t refreshed = 0;
    if (e == RASD_OK && ran) /* the changed stories' briefs, so readers only read */
        e = engine_refresh_from(d->writer, s.first_new, NULL, NULL, NULL, &refreshed, &err);
    pthread_mutex_unlock(&d->write);
    batch_free(&batch);
    if (e != RASD_OK) {
        json_decref(messages);
        fail(r, status_of(e), "%s", err.msg);
        return;
    }
    done(r,
         json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "articles", (json_int_t)s.articles,
                   "added", (json_int_t)s.added, "duplicates", (json_int_t)s.duplicates,
                   "near_copies", (json_int_t)s.near_copies, "split_off",
                   (json_int_t)s.split_off, "failed", (json_int_t)s.item_errors, "messages",
                   messages),
         s.added ? 201 : 200);
}

/* ---- outlets ------------------------------------------------------------------- */

static int on_outlet(void *ctx, const char *name, int64_t n)
{
    json_t *names = json_array_get(ctx, 0), *arr = json_array_get(ctx, 1);
    json_t *o = outlet_obj(names, name, n);
    json_object_set_new(o, "renamed", json_boolean(name && json_object_get(names, name)));
    json_array_append_new(arr, o);
    return 0;
}

void data_outlets(Data *d, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    json_t *pair = json_pack("[o, []]", data_outlet_names(c));
    rasd_error err;
    if (!pair)
        fail(r, 500, "out of memory");
    else if (store_each_outlet_count(c->st, 0, on_outlet, pair, &err) != RASD_OK)
        fail(r, 500, "listing outlets failed: %s", err.msg);
    else
        done(r, json_pack("{s:O}", "outlets", json_array_get(pair, 1)), 200);
    json_decref(pair);
    conn_put(d, c);
}

void data_set_outlet(Data *d, const char *name, const char *body, size_t n, DataReply *r)
{
    json_error_t je;
    json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    json_t *disp = json_object_get(j, "display");
    if (!j || !json_is_string(disp) || json_string_length(disp) > 200 ||
        memchr(json_string_value(disp), '\0', json_string_length(disp))) {
        fail(r, 400, "the body must be {\"display\": NAME} with a name of at most 200 bytes%s%s",
             j ? "" : ": ", j ? "" : je.text);
        json_decref(j);
        return;
    }
    const char *v = json_string_value(disp);
    rasd_error err;
    pthread_mutex_lock(&d->write);
    Store *w = data_writer(d, r);
    if (w && store_set_outlet_name(w, name, *v ? v : NULL, &err) != RASD_OK)
        fail(r, 500, "saving the outlet name failed: %s", err.msg);
    else if (w)
        done(r, json_pack("{s:s, s:o}", "name", name, "display",
                          jstr(*v ? v : outlet_known_name(name) ? outlet_known_name(name) : name)),
             200);
    pthread_mutex_unlock(&d->write);
    json_decref(j);
}

/* ---- overrides ------------------------------------------------------------------ */

static json_t *override_json(const rasd_override *o)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)o->id, "kind",
                     jstr(o->kind), "a", jstr(o->a), "b", jstr(o->b), "note", jstr(o->note), "at",
                     jstr(o->at));
}

static int on_override_row(void *ctx, const rasd_override *o)
{
    json_array_append_new(ctx, override_json(o));
    return 0;
}

void data_overrides(Data *d, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    json_t *arr = json_array();
    rasd_error err;
    struct rasd_engine on = {.st = c->st, .readonly = 1}; /* the public call on this connection */
    if (rasd_engine_each_override(&on, on_override_row, arr, &err) != RASD_OK) {
        json_decref(arr);
        fail(r, 500, "reading the corrections failed: %s", err.msg);
    } else {
        done(r, json_pack("{s:o}", "overrides", arr), 200);
    }
    conn_put(d, c);
}

/* A positive integer member of o as text into out. */
static int num_field(json_t *o, const char *k, char *out, size_t cap)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return -1;
    snprintf(out, cap, "%lld", (long long)json_integer_value(v));
    return 0;
}

/* A string member of o made of 4-16 hex digits (or a row number) into out. */
static int id_field(json_t *o, const char *k, char *out, size_t cap)
{
    const char *s = json_string_value(json_object_get(o, k));
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 16 || n >= cap || strspn(s, "0123456789abcdef") != n)
        return -1;
    memcpy(out, s, n + 1);
    return 0;
}

int data_override_check(const char *body, size_t n, const char **kind, char *a, char *b,
                        size_t cap, const char **note, char *msg, size_t msgcap)
{
    json_error_t je;
    json_t *j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
    *note = NULL;
    if (!json_is_object(j)) {
        snprintf(msg, msgcap, "the body is not a JSON object%s%s", j ? "" : ": ",
                 j ? "" : je.text);
        json_decref(j);
        return -1;
    }
    const char *k = json_string_value(json_object_get(j, "kind"));
    int bad = 0;
    if (k && strcmp(k, "merge") == 0) {
        *kind = "merge";
        bad = num_field(j, "story", a, cap) < 0 || num_field(j, "into", b, cap) < 0 ||
              strcmp(a, b) == 0;
        if (bad)
            snprintf(msg, msgcap, "a merge needs two different story numbers: "
                                  "{\"kind\":\"merge\",\"story\":A,\"into\":B}");
    } else if (k && strcmp(k, "move") == 0) {
        *kind = "move";
        bad = id_field(j, "article", a, cap) < 0 || num_field(j, "event", b, cap) < 0;
        if (bad)
            snprintf(msg, msgcap, "a move needs an article id and the event it leaves: "
                                  "{\"kind\":\"move\",\"article\":ID,\"event\":E}");
    } else if (k && strcmp(k, "dismiss") == 0) {
        *kind = "dismiss";
        bad = num_field(j, "story", a, cap) < 0 || id_field(j, "conflict", b, cap) < 0 ||
              strlen(b) != 16;
        if (bad)
            snprintf(msg, msgcap, "a dismissal needs a story number and a conflict id: "
                                  "{\"kind\":\"dismiss\",\"story\":S,\"conflict\":ID}");
    } else {
        snprintf(msg, msgcap, "\"kind\" must be \"merge\", \"move\" or \"dismiss\"");
        bad = 1;
    }
    json_t *nt = json_object_get(j, "note");
    if (!bad && nt && (!json_is_string(nt) || json_string_length(nt) > 2000 ||
                       memchr(json_string_value(nt), '\0', json_string_length(nt)))) {
        snprintf(msg, msgcap, "\"note\" must be text of at most 2000 bytes");
        bad = 1;
    }
    if (!bad && nt)
        *note = strdup(json_string_value(nt)); /* freed by the caller */
    json_decref(j);
    return bad ? -1 : 0;
}

static int on_added(void *ctx, const rasd_override *o)
{
    done(ctx, override_json(o), 201);
    return 0;
}

/* Both writes go through the public calls (engine/api_overrides.c), as
   `rasd overrides` does, on the server's writer connection. */
void data_add_override(Data *d, const char *body, size_t n, DataReply *r)
{
    rasd_error err;
    pthread_mutex_lock(&d->write);
    Store *w = data_writer(d, r);
    struct rasd_engine on = {.st = w};
    if (w && rasd_engine_add_override(&on, body, n, on_added, r, &err) != RASD_OK)
        fail(r, status_of(err.code), "%s", err.msg);
    pthread_mutex_unlock(&d->write);
}

void data_delete_override(Data *d, int64_t id, DataReply *r)
{
    rasd_error err;
    int undone = 0;
    pthread_mutex_lock(&d->write);
    Store *w = data_writer(d, r);
    struct rasd_engine on = {.st = w};
    if (w && rasd_engine_remove_override(&on, id, &undone, &err) != RASD_OK)
        fail(r, status_of(err.code), "%s", err.msg);
    else if (w) /* a move is undone; a merge stays until the next rebuild */
        done(r, json_pack("{s:I, s:b, s:b}", "id", (json_int_t)id, "deleted", 1, "undone", undone),
             200);
    pthread_mutex_unlock(&d->write);
}
