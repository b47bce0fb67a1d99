/*
 * data_view.c — the server's read views of one story, article, search or name
 * (data.h): briefs and conflicts with the analyst's dismissals marked,
 * annotated articles with their sightings, search hits, the name ranking
 * and one name's page.
 */
#include "server/data_impl.h"
#include "story/overrides.h"
#include "views/views.h"

/* ---- briefs and conflicts ---------------------------------------------- */

/*
 * The id the analyst's dismissals name a conflict by: a hash of kind,
 * subject and the values as shown (0x1f between parts). It is not the
 * builder's own id (rasd_conflict.id, from normalised keys): corrections
 * stored before briefs were structs name conflicts this way.
 */
static void dismissal_id(const rasd_conflict *cf, Buf *key, char id[17])
{
    buf_reset(key);
    buf_puts(key, cf->kind ? cf->kind : "");
    buf_putc(key, '\x1f');
    buf_puts(key, cf->subject ? cf->subject : "");
    for (size_t k = 0; k < cf->nvalues; k++) {
        buf_putc(key, '\x1f');
        buf_puts(key, cf->values[k].value ? cf->values[k].value : "");
    }
    snprintf(id, 17, "%016llx", (unsigned long long)rasd_hash(key->data ? key->data : "", key->len));
}

/* The dismissals of one story, and what the JSON writer needs per conflict. */
typedef struct Marks {
    int64_t story;
    json_t *ids;         /* {conflict id: the dismissing correction's id} */
    Buf key;             /* scratch for dismissal_id */
    char id[17];         /* the id being written */
    Conn *c;             /* for the outlet names (a brief) */
} Marks;

static int on_dismissed(void *ctx, const StoredOverride *o, int64_t sa, int64_t sb)
{
    Marks *x = ctx;
    if (strcmp(o->kind, "dismiss") == 0 && sa == x->story)
        json_object_set_new(x->ids, o->b, json_integer(o->id));
    return 0;
}

/* views hook: the dismissal id, whether the analyst dismissed it, and by which correction. */
static void mark_conflict(void *ctx, const rasd_conflict *cf, const char **id, Buf *tail)
{
    Marks *x = ctx;
    dismissal_id(cf, &x->key, x->id);
    *id = x->id;
    json_t *by = json_object_get(x->ids, x->id);
    buf_puts(tail, by ? ",\"dismissed\":true" : ",\"dismissed\":false");
    if (by) /* the correction that dismissed it, to undo it by */
        buf_printf(tail, ",\"dismissal\":%lld", (long long)json_integer_value(by));
}

static void brief_outlet_names(void *ctx, const rasd_brief *b, Buf *out)
{
    Marks *x = ctx;
    put_json_field(out, "outlet_names", data_outlet_names(x->c));
}

static void marks_open(Marks *x, Conn *c, int64_t story)
{
    memset(x, 0, sizeof *x);
    x->story = story;
    x->ids = json_object();
    x->c = c;
    rasd_error err;
    overrides_each_placed(c->st, on_dismissed, x, &err); /* none dismissed on failure */
}

static void marks_close(Marks *x)
{
    json_decref(x->ids);
    buf_free(&x->key);
}

void data_brief(Data *d, int64_t thread, int64_t event, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    rasd_brief *b = NULL;
    rasd_error err;
    rasd_err e = brief_get(c->st, thread, event, NULL, &b, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", e == RASD_ENOTFOUND
                                        ? (event ? "there is no such event" : "there is no such story")
                                        : err.msg);
    } else {
        Marks x;
        marks_open(&x, c, b->story ? b->story : thread);
        ViewsJsonHooks h = {mark_conflict, brief_outlet_names, &x};
        Buf out = {0};
        views_brief_json_with(b, &h, &out);
        done_json(r, &out, 200);
        marks_close(&x);
    }
    rasd_brief_free(b);
    conn_put(d, c);
}

void data_conflicts(Data *d, int64_t thread, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    rasd_conflict_set *set = NULL;
    rasd_error err;
    rasd_err e = story_conflict_set(c->st, thread, 0, &set, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s",
             e == RASD_ENOTFOUND ? "there is no such story" : err.msg);
    } else {
        Marks x;
        marks_open(&x, c, thread);
        ViewsJsonHooks h = {mark_conflict, NULL, &x};
        Buf out = {0};
        buf_printf(&out, "{\"story\":%lld,\"conflicts\":", (long long)thread);
        views_conflicts_json_with(set, &h, &out);
        buf_putc(&out, '}');
        done_json(r, &out, 200);
        marks_close(&x);
    }
    rasd_conflict_set_free(set);
    conn_put(d, c);
}

/* ---- articles ------------------------------------------------------------ */

/*
 * Writes the annotated article (the analyze JSON, from the annotations
 * stored at ingest: annot_load) into out, without its last '}' so the
 * caller can add fields; the "file" member (a path on the server) is left
 * out. -1 with r filled on failure.
 */
static int annotated_json(Conn *c, const StoredArticle *sa, Buf *out, DataReply *r)
{
    Article a = {sa->title, sa->outlet, sa->agency, sa->published, sa->url, sa->author,
                 sa->body, NULL, -1}; /* origin NULL: "file":null, cut below */
    rasd_error err;
    Annotated an;
    if (annot_load(c->st, sa->id, &an, &err) != RASD_OK) { /* stored at ingest */
        fail(r, 500, "%s", err.msg);
        return -1;
    }
    size_t at = out->len;
    analyze_write_json(&a, an.doc, &an.ents, &an.quotes, an.dates, an.ndates, sa->hash, out);
    annotated_free(&an);
    /* {"id":"<hash>","file":null,... : drop ,"file":null */
    static const char file[] = ",\"file\":null";
    size_t head = at + strlen("{\"id\":\"\"") + strlen(sa->hash);
    if (out->oom || out->len < head + sizeof file || out->data[out->len - 1] != '}') {
        fail(r, 500, "out of memory");
        return -1;
    }
    if (memcmp(out->data + head, file, sizeof file - 1) == 0) {
        memmove(out->data + head, out->data + head + sizeof file - 1,
                out->len - head - (sizeof file - 1));
        out->len -= sizeof file - 1;
    }
    out->len--; /* the closing '}' */
    return 0;
}

/* Appends ,"name":"s" (null for NULL). */
static void put_str_field(Buf *b, const char *name, const char *s)
{
    buf_printf(b, ",\"%s\":", name);
    if (s)
        buf_put_json_string(b, s, strlen(s));
    else
        buf_puts(b, "null");
}

static json_t *sighting(const StoredArticle *a, json_t *names, const char *relation)
{
    json_t *disp = a->outlet ? json_object_get(names, a->outlet) : NULL;
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:s}", "id", a->hash, "outlet",
                     jstr(a->outlet), "display", disp ? json_incref(disp) : jstr(a->outlet),
                     "url", jstr(a->url), "published", jstr(a->published), "title",
                     jstr(a->title), "relation", relation);
}

/* Appends the article with row id as a sighting of the given relation. */
static void add_sighting(Conn *c, json_t *arr, json_t *names, int64_t id, const char *relation)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)id);
    StoredArticle a;
    rasd_error err;
    if (store_get_article(c->st, num, &a, &err) != RASD_OK)
        return;
    json_array_append_new(arr, sighting(&a, names, relation));
    store_article_free(&a);
}

static int on_copy(void *ctx, int64_t id)
{
    Buf *b = ctx;
    buf_append(b, &id, sizeof id);
    return b->oom;
}

/* Where this text was seen: the article itself, what it copies, its copies
   (through the store: SQLite and PostgreSQL alike). */
static json_t *sightings(Conn *c, json_t *names, const StoredArticle *sa)
{
    json_t *arr = json_array();
    json_array_append_new(arr, sighting(sa, names, "self"));
    if (sa->copy_of)
        add_sighting(c, arr, names, sa->copy_of, "original");
    Buf cp = {0}; /* the copies' row ids (int64_t) */
    rasd_error err;
    store_each_copy(c->st, sa->id, on_copy, &cp, &err); /* none listed on failure */
    for (size_t i = 0; i + sizeof(int64_t) <= cp.len; i += sizeof(int64_t)) {
        int64_t id;
        memcpy(&id, cp.data + i, sizeof id);
        add_sighting(c, arr, names, id, "copy");
    }
    buf_free(&cp);
    return arr;
}

/* Takes the first row's thread headline. */
static int on_event_row(void *ctx, const StoryArticle *a)
{
    json_t *h = ctx;
    json_array_append_new(h, jstr(a->thread.headline));
    return 1;
}

/* {id, event, headline} of the story an article is in, or null. */
static json_t *article_story(Conn *c, int64_t article)
{
    int64_t ev = 0, th = 0;
    rasd_error err;
    if (store_article_event(c->st, article, &ev, &th, &err) != RASD_OK || !th)
        return json_null();
    json_t *h = json_array();
    store_each_story_article(c->st, NULL, -ev, on_event_row, h, &err);
    json_t *j = json_pack("{s:I, s:I, s:O}", "id", (json_int_t)th, "event", (json_int_t)ev,
                          "headline", json_array_size(h) ? json_array_get(h, 0) : json_null());
    json_decref(h);
    return j ? j : json_null();
}

void data_article(Data *d, const char *id, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    StoredArticle sa;
    rasd_error err;
    rasd_err e = store_get_article(c->st, id, &sa, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        conn_put(d, c);
        return;
    }
    Buf out = {0};
    if (annotated_json(c, &sa, &out, r) == 0) {
        json_t *names = data_outlet_names(c);
        json_t *disp = sa.outlet ? json_object_get(names, sa.outlet) : NULL;
        put_str_field(&out, "display", disp ? json_string_value(disp) : sa.outlet);
        put_str_field(&out, "author", sa.author);
        if (!sa.agency) /* else written by the analyze JSON */
            put_str_field(&out, "agency", NULL);
        put_str_field(&out, "ingested", sa.ingested);
        if (sa.copy_of)
            buf_printf(&out, ",\"copy_similarity\":%.17g", sa.copy_sim);
        put_json_field(&out, "sightings", sightings(c, names, &sa));
        put_json_field(&out, "story", article_story(c, sa.id));
        buf_putc(&out, '}');
        json_decref(names);
        done_json(r, &out, 200);
    }
    buf_free(&out);
    store_article_free(&sa);
    conn_put(d, c);
}

/* ---- search ---------------------------------------------------------------- */

/* Each hit's story headline ("story_headline"), so a result names its story
   rather than a number (SQLite: one indexed lookup per hit). */
static int on_headline(void *ctx, int64_t story, const char *headline)
{
    size_t i;
    json_t *hit;
    json_array_foreach((json_t *)ctx, i, hit) {
        if (json_integer_value(json_object_get(hit, "story")) == story)
            json_object_set_new(hit, "story_headline", jstr(headline));
    }
    return 0;
}

/* Each hit's story headline, from either store (store_story_headlines). */
static void story_headlines(Conn *c, json_t *hits)
{
    size_t i, n = 0;
    json_t *hit;
    int64_t *ids = malloc((json_array_size(hits) + 1) * sizeof *ids);
    if (!ids)
        return;
    json_array_foreach(hits, i, hit) {
        json_int_t story = json_integer_value(json_object_get(hit, "story"));
        if (story > 0)
            ids[n++] = story;
    }
    store_story_headlines(c->st, ids, n, on_headline, hits, NULL);
    free(ids);
}

/* An untitled article's opening words (about 12, "…" when cut) as a JSON
   string, for a search hit to be told apart from the other untitled ones
   (the web UI heads the article page with the same words); NULL when the
   article cannot be read. */
static json_t *opening_words(Conn *c, const char *hash)
{
    StoredArticle a;
    rasd_error err;
    if (store_get_article(c->st, hash, &a, &err) != RASD_OK)
        return NULL;
    const char *p = a.body ? a.body : "";
    size_t words = 0, end = 0, i = 0;
    while (p[i] && words < 12) {
        while (p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '\r')
            i++;
        if (!p[i])
            break;
        while (p[i] && p[i] != ' ' && p[i] != '\n' && p[i] != '\t' && p[i] != '\r')
            i++;
        end = i;
        words++;
    }
    while (p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '\r')
        i++;
    Buf b = {0};
    size_t start = strspn(p, " \n\t\r");
    for (size_t k = start; k < end; k++) { /* the words, one space between */
        int space = p[k] == ' ' || p[k] == '\n' || p[k] == '\t' || p[k] == '\r';
        if (!space)
            buf_putc(&b, p[k]);
        else if (b.len && b.data[b.len - 1] != ' ')
            buf_putc(&b, ' ');
    }
    if (p[i])
        buf_puts(&b, "…");
    buf_putc(&b, '\0');
    store_article_free(&a);
    json_t *v = b.oom || !b.data || !*b.data ? NULL : json_string(b.data);
    buf_free(&b);
    return v;
}

void data_search(Data *d, const DataSearchQuery *sq, DataReply *r)
{
#ifdef DATA_HAVE_FTS
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    FtsQuery fq;
    rasd_error err;
    rasd_err e = fts_parse_query(sq->q, strlen(sq->q), &fq, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        conn_put(d, c);
        return;
    }
    FtsOptions o = {0};
    o.since = sq->since;
    o.until = sq->until;
    o.outlet = sq->outlet;
    o.entity = sq->entity;
    o.story = sq->story;
    o.limit = (size_t)sq->limit;
    o.offset = (size_t)sq->offset;
    o.mark_open = "\x02";
    o.mark_close = "\x03";
    FtsHits h = {0};
    e = fts_search(c->st, &fq, &o, &h, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
    } else {
        json_t *names = data_outlet_names(c), *hits = json_array();
        for (size_t i = 0; i < h.n; i++) {
            const FtsHit *x = &h.v[i];
            json_t *disp = x->outlet ? json_object_get(names, x->outlet) : NULL;
            json_t *hit = json_pack(
                "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:f, s:b}", "id", x->hash, "title",
                jstr(x->title), "outlet", jstr(x->outlet), "display",
                disp ? json_incref(disp) : jstr(x->outlet), "published", jstr(x->published),
                "url", jstr(x->url), "snippet", jstr(x->snippet), "story", (json_int_t)x->story,
                "score", x->score, "all_terms", x->all_terms);
            json_t *w = hit && !(x->title && *x->title) ? opening_words(c, x->hash) : NULL;
            if (w)
                json_object_set_new(hit, "opening", w);
            json_array_append_new(hits, hit);
        }
        story_headlines(c, hits);
        json_decref(names);
        done(r,
             json_pack("{s:s, s:I, s:I, s:o}", "query", sq->q, "offset", (json_int_t)sq->offset,
                       "limit", (json_int_t)sq->limit, "hits", hits),
             200);
    }
    fts_hits_free(&h);
    fts_query_free(&fq);
    conn_put(d, c);
#else
    (void)d;
    (void)sq;
    fail(r, 503, "search is not built yet: this rasd has no search index");
#endif
}

/* ---- entities ---------------------------------------------------------------- */

/* Names by mentions from the store's entity summary (store_each_entity: one
   identity per name, the display spelling, adjectives only with a type), so
   the API lists what `rasd entities` lists. */
static int on_entity(void *ctx, const StoredEntity *x)
{
    json_array_append_new((json_t *)ctx,
                          json_pack("{s:o, s:o, s:o, s:I, s:I}", "key", jstr(x->key), "type",
                                    jstr(x->type), "name", jstr(x->name), "mentions",
                                    (json_int_t)x->mentions, "articles", (json_int_t)x->articles));
    return 0;
}

void data_entities(Data *d, const char *qtext, const char *type, long limit, long offset,
                   DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    EntityFilter f = {.type = type, .text = qtext && *qtext ? qtext : NULL,
                      .offset = (size_t)offset, .limit = (size_t)limit};
    json_t *arr = json_array();
    rasd_error err;
    if (store_each_entity(c->st, &f, on_entity, arr, &err) != RASD_OK) {
        fail(r, 500, "listing names failed: %s", err.msg);
        json_decref(arr);
    } else {
        done(r,
             json_pack("{s:I, s:I, s:o}", "offset", (json_int_t)offset, "limit",
                       (json_int_t)limit, "entities", arr),
             200);
    }
    conn_put(d, c);
}

/* A name's stories (store_key_stories) as objects id, headline, last, articles. */
static int on_key_story(void *ctx, int64_t story, const char *headline, const char *last,
                        int64_t articles)
{
    json_array_append_new(ctx, json_pack("{s:I, s:o, s:o, s:I}", "id", (json_int_t)story,
                                         "headline", headline ? json_string(headline)
                                                              : json_null(),
                                         "last", last ? json_string(last) : json_null(),
                                         "articles", (json_int_t)articles));
    return 0;
}

typedef struct KeyIds {
    int64_t v[20];
    size_t n;
} KeyIds;

static int on_key_article(void *ctx, int64_t id)
{
    KeyIds *k = ctx;
    if (k->n < sizeof k->v / sizeof k->v[0])
        k->v[k->n++] = id;
    return 0;
}

/* Roles and quotes of key in the 20 most recent articles that mention it,
   from their stored annotations, written as the arrays "roles" and "quotes". */
static void entity_annotations(Conn *c, const char *key, Buf *out)
{
    Buf roles = {0}, quotes = {0};
    size_t nroles = 0, nquotes = 0, klen = strlen(key);
    json_t *seen_roles = json_object(); /* role texts already listed */
    KeyIds ids = {{0}, 0};
    rasd_error err;
    if (store_key_articles(c->st, key, sizeof ids.v / sizeof ids.v[0], on_key_article, &ids,
                           &err) != RASD_OK)
        ids.n = 0; /* none listed on failure */
    for (size_t k = 0; k < ids.n; k++) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)ids.v[k]);
        StoredArticle sa;
        Annotated an;
        if (store_get_article(c->st, id, &sa, &err) != RASD_OK)
            continue;
        if (annot_load(c->st, sa.id, &an, &err) != RASD_OK) {
            store_article_free(&sa);
            continue;
        }
        const char *text = rasd_doc_text(an.doc, NULL);
        const EntityList *el = &an.ents;
        for (size_t i = 0; i < el->n; i++) {
            const Entity *x = &el->items[i];
            if (!x->role || x->key_len != klen || !el->keys.data ||
                memcmp(el->keys.data + x->key_off, key, klen) != 0)
                continue;
            const Role *r = &el->roles.items[x->role - 1];
            char *rt = strndup(text + r->start, r->end - r->start);
            if (!rt || json_object_get(seen_roles, rt)) {
                free(rt);
                continue;
            }
            json_object_set_new(seen_roles, rt, json_true());
            size_t on;
            const char *office = roles_key(&el->roles, r, 0, &on);
            buf_puts(&roles, nroles++ ? ",{\"text\":" : "{\"text\":");
            buf_put_json_string(&roles, rt, strlen(rt));
            buf_puts(&roles, ",\"office\":");
            buf_put_json_string(&roles, office ? office : "", office ? on : 0);
            put_str_field(&roles, "article", sa.hash);
            put_str_field(&roles, "outlet", sa.outlet);
            buf_putc(&roles, '}');
            free(rt);
        }
        const QuoteList *ql = &an.quotes;
        for (size_t i = 0; i < ql->n && nquotes < 50; i++) {
            const Quote *x = &ql->items[i];
            if (x->key_len != klen || !ql->keys.data ||
                memcmp(ql->keys.data + x->key_off, key, klen) != 0)
                continue;
            if (nquotes++)
                buf_putc(&quotes, ',');
            quotes_format_json_one(an.doc, ql, x, &quotes);
            quotes.len--; /* its closing '}' */
            put_str_field(&quotes, "article", sa.hash);
            put_str_field(&quotes, "outlet", sa.outlet);
            put_str_field(&quotes, "published", sa.published);
            buf_putc(&quotes, '}');
        }
        annotated_free(&an);
        store_article_free(&sa);
    }
    json_decref(seen_roles);
    buf_puts(out, ",\"roles\":[");
    buf_append(out, roles.data ? roles.data : "", roles.len);
    buf_puts(out, "],\"quotes\":[");
    buf_append(out, quotes.data ? quotes.data : "", quotes.len);
    buf_putc(out, ']');
    if (roles.oom || quotes.oom)
        out->oom = 1;
    buf_free(&roles);
    buf_free(&quotes);
}

/* One spelling, type or outlet of a name, summed over the summary's rows
   of its key (one per type). */
typedef struct Tally {
    char *text;          /* owned */
    int64_t mentions;
    int64_t articles;    /* outlets: articles naming it (summed over types) */
} Tally;

typedef struct Tallies {
    Tally *v;
    size_t n, cap;
    int oom;
} Tallies;

static void tally(Tallies *t, const char *text, int64_t mentions, int64_t articles)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].text, text) == 0) {
            t->v[i].mentions += mentions;
            t->v[i].articles += articles;
            return;
        }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        Tally *v = realloc(t->v, cap * sizeof *v);
        if (!v) {
            t->oom = 1;
            return;
        }
        t->v = v, t->cap = cap;
    }
    char *s = strdup(text);
    if (!s) {
        t->oom = 1;
        return;
    }
    t->v[t->n++] = (Tally){s, mentions, articles};
}

static int tally_cmp(const void *x, const void *y)
{
    const Tally *a = x, *b = y;
    if (a->mentions != b->mentions)
        return a->mentions > b->mentions ? -1 : 1;
    return strcmp(a->text, b->text);
}

static void tallies_free(Tallies *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
}

/* A name over the summary's rows of its key. */
typedef struct EntityPage {
    Tallies types, spellings, outlets;
    int64_t mentions;
} EntityPage;

static int on_entity_row(void *ctx, const StoredEntity *x)
{
    EntityPage *p = ctx;
    p->mentions += x->mentions;
    tally(&p->types, x->type, x->mentions, x->articles);
    for (size_t i = 0; i < x->nspellings; i++)
        tally(&p->spellings, x->spellings[i].text, x->spellings[i].mentions, 0);
    for (size_t i = 0; i < x->noutlets; i++)
        tally(&p->outlets, x->outlets[i].text, x->outlets[i].mentions, x->outlets[i].articles);
    return 0;
}

void data_entity(Data *d, const char *key, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    EntityPage p = {0};
    EntityFilter f = {0};
    f.adjectives = 1;
    f.key = key;
    rasd_error err;
    if (store_each_entity(c->st, &f, on_entity_row, &p, &err) != RASD_OK) {
        fail(r, 500, "reading the name failed: %s", err.msg);
    } else if (p.types.oom || p.spellings.oom || p.outlets.oom) {
        fail(r, 500, "out of memory");
    } else if (!p.spellings.n) {
        fail(r, 404, "no name has the key '%s'", key);
    } else {
        qsort(p.types.v, p.types.n, sizeof *p.types.v, tally_cmp);
        qsort(p.spellings.v, p.spellings.n, sizeof *p.spellings.v, tally_cmp);
        qsort(p.outlets.v, p.outlets.n, sizeof *p.outlets.v, tally_cmp);
        /* the name shown: the longest spelling used at least a quarter as
           often as the most frequent one ("فلاديمير بوتين" rather than "بوتين") */
        const Tally *first = &p.spellings.v[0];
        for (size_t i = 1; i < p.spellings.n; i++)
            if (4 * p.spellings.v[i].mentions >= p.spellings.v[0].mentions &&
                strlen(p.spellings.v[i].text) > strlen(first->text))
                first = &p.spellings.v[i];
        Buf out = {0};
        buf_puts(&out, "{\"key\":");
        buf_put_json_string(&out, key, strlen(key));
        put_str_field(&out, "type", p.types.v[0].text);
        put_str_field(&out, "name", first->text);
        buf_printf(&out, ",\"mentions\":%lld,\"types\":[", (long long)p.mentions);
        for (size_t i = 0; i < p.types.n; i++) {
            buf_puts(&out, i ? ",{\"type\":" : "{\"type\":");
            buf_put_json_string(&out, p.types.v[i].text, strlen(p.types.v[i].text));
            buf_printf(&out, ",\"mentions\":%lld}", (long long)p.types.v[i].mentions);
        }
        buf_puts(&out, "],\"variants\":[");
        for (size_t i = 0; i < p.spellings.n; i++) {
            buf_puts(&out, i ? ",{\"text\":" : "{\"text\":");
            buf_put_json_string(&out, p.spellings.v[i].text, strlen(p.spellings.v[i].text));
            buf_printf(&out, ",\"mentions\":%lld}", (long long)p.spellings.v[i].mentions);
        }
        buf_puts(&out, "],\"outlets\":[");
        json_t *names = data_outlet_names(c);
        for (size_t i = 0; i < p.outlets.n; i++) {
            const Tally *o = &p.outlets.v[i];
            const char *name = *o->text ? o->text : NULL; /* the summary's "": no outlet */
            json_t *disp = name ? json_object_get(names, name) : NULL;
            buf_puts(&out, i ? ",{\"name\":" : "{\"name\":");
            if (name)
                buf_put_json_string(&out, name, strlen(name));
            else
                buf_puts(&out, "null");
            buf_printf(&out, ",\"mentions\":%lld,\"articles\":%lld", (long long)o->mentions,
                       (long long)o->articles);
            put_str_field(&out, "display", disp ? json_string_value(disp) : name);
            buf_putc(&out, '}');
        }
        json_decref(names);
        buf_putc(&out, ']');
        json_t *stories = json_array();
        if (store_key_stories(c->st, key, 50, on_key_story, stories, &err) != RASD_OK)
            json_array_clear(stories); /* none listed on failure */
        put_json_field(&out, "stories", stories);
        entity_annotations(c, key, &out);
        buf_putc(&out, '}');
        done_json(r, &out, 200);
    }
    tallies_free(&p.types);
    tallies_free(&p.spellings);
    tallies_free(&p.outlets);
    conn_put(d, c);
}
