/*
 * data_view.c — the server's read views of one story, article, search or name
 * (data.h): briefs and conflicts with the analyst's dismissals marked,
 * annotated articles with their sightings, search hits, the name ranking
 * and one name's page.
 */
#include "server/data_impl.h"
#include "story/overrides.h"

/* ---- briefs and conflicts ---------------------------------------------- */

/* Gives every conflict of arr a stable id (hash of kind, subject, values)
   and marks those the analyst dismissed in story. */
typedef struct Dismissed {
    int64_t story;
    json_t *ids;         /* {conflict id: the dismissing correction's id} */
} Dismissed;

static int on_dismissed(void *ctx, const StoredOverride *o, int64_t sa, int64_t sb)
{
    Dismissed *x = ctx;
    if (strcmp(o->kind, "dismiss") == 0 && sa == x->story)
        json_object_set_new(x->ids, o->b, json_integer(o->id));
    return 0;
}

static void mark_conflicts(Conn *c, int64_t story, json_t *arr)
{
    Dismissed x = {story, json_object()}; /* {conflict id: correction id} */
    json_t *dismissed = x.ids;
    rasd_error err;
    overrides_each_placed(c->st, on_dismissed, &x, &err); /* none dismissed on failure */
    size_t i;
    json_t *cf;
    Buf key = {0};
    json_array_foreach(arr, i, cf) {
        buf_reset(&key);
        const char *kind = json_string_value(json_object_get(cf, "kind"));
        const char *subject = json_string_value(json_object_get(cf, "subject"));
        buf_puts(&key, kind ? kind : "");
        buf_putc(&key, '\x1f');
        buf_puts(&key, subject ? subject : "");
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(cf, "values"), k, v) {
            const char *val = json_string_value(json_object_get(v, "value"));
            buf_putc(&key, '\x1f');
            buf_puts(&key, val ? val : "");
        }
        char id[17];
        snprintf(id, sizeof id, "%016llx",
                 (unsigned long long)rasd_hash(key.data ? key.data : "", key.len));
        json_object_set_new(cf, "id", json_string(id));
        json_t *by = json_object_get(dismissed, id);
        json_object_set_new(cf, "dismissed", json_boolean(by));
        if (by) /* the correction that dismissed it, to undo it by */
            json_object_set(cf, "dismissal", by);
    }
    buf_free(&key);
    json_decref(dismissed);
}

void data_brief(Data *d, int64_t thread, int64_t event, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    Buf b = {0};
    rasd_error err;
    rasd_err e = brief_build(c->st, thread, event, NULL, &b, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", e == RASD_ENOTFOUND
                                        ? (event ? "there is no such event" : "there is no such story")
                                        : err.msg);
    } else {
        json_error_t je;
        json_t *j = json_loadb(b.data, b.len, 0, &je);
        if (!j) {
            fail(r, 500, "the brief could not be read back: %s", je.text);
        } else {
            json_t *s = json_object_get(j, "story");
            int64_t story = json_is_integer(s) ? (int64_t)json_integer_value(s) : thread;
            mark_conflicts(c, story, json_object_get(j, "conflicts"));
            json_object_set_new(j, "outlet_names", data_outlet_names(c));
            done(r, j, 200);
        }
    }
    buf_free(&b);
    conn_put(d, c);
}

void data_conflicts(Data *d, int64_t thread, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    Buf b = {0};
    size_t n = 0;
    rasd_error err;
    rasd_err e = story_conflicts(c->st, thread, 0, &b, &n, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s",
             e == RASD_ENOTFOUND ? "there is no such story" : err.msg);
    } else {
        json_t *arr = json_loadb(b.data ? b.data : "[]", b.data ? b.len : 2, 0, NULL);
        if (!arr) {
            fail(r, 500, "the conflicts could not be read back");
        } else {
            mark_conflicts(c, thread, arr);
            done(r, json_pack("{s:I, s:o}", "story", (json_int_t)thread, "conflicts", arr), 200);
        }
    }
    buf_free(&b);
    conn_put(d, c);
}

/* ---- articles ------------------------------------------------------------ */

/* Fills a (borrowing sa's strings) for analyze_article. */
static void as_article(const StoredArticle *sa, Article *a)
{
    memset(a, 0, sizeof *a);
    a->title = sa->title;
    a->outlet = sa->outlet;
    a->agency = sa->agency;
    a->published = sa->published;
    a->url = sa->url;
    a->author = sa->author;
    a->body = sa->body;
    a->origin = sa->origin;
    a->parent = -1;
}

/* The annotated article (analyze JSON) of a stored one; NULL with r filled. */
static json_t *annotate(Conn *c, const StoredArticle *sa, DataReply *r)
{
    Article a;
    as_article(sa, &a);
    Buf b = {0};
    rasd_error err;
    json_t *j = NULL;
    Annotated an;
    if (annot_load(c->st, sa->id, &an, &err) != RASD_OK) { /* stored at ingest */
        fail(r, 500, "%s", err.msg);
        return NULL;
    }
    analyze_write_json(&a, an.doc, &an.ents, &an.quotes, an.dates, an.ndates, an.id, &b);
    annotated_free(&an);
    if (b.oom)
        fail(r, 500, "out of memory");
    else if (!(j = json_loadb(b.data, b.len, 0, NULL)))
        fail(r, 500, "the annotations of article %s could not be read back", sa->hash);
    buf_free(&b);
    return j;
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
    json_t *j = annotate(c, &sa, r);
    if (j) {
        json_t *names = data_outlet_names(c);
        json_object_del(j, "file"); /* a path on the server */
        json_object_set_new(j, "id", json_string(sa.hash));
        json_t *disp = sa.outlet ? json_object_get(names, sa.outlet) : NULL;
        json_object_set_new(j, "display", disp ? json_incref(disp) : jstr(sa.outlet));
        json_object_set_new(j, "url", jstr(sa.url));
        json_object_set_new(j, "author", jstr(sa.author));
        json_object_set_new(j, "agency", jstr(sa.agency));
        json_object_set_new(j, "ingested", jstr(sa.ingested));
        if (sa.copy_of)
            json_object_set_new(j, "copy_similarity", json_real(sa.copy_sim));
        json_object_set_new(j, "sightings", sightings(c, names, &sa));
        json_t *story = article_story(c, sa.id);
        json_object_set_new(j, "story", story);
        json_decref(names);
        done(r, j, 200);
    }
    store_article_free(&sa);
    conn_put(d, c);
}

/* ---- search ---------------------------------------------------------------- */

/* Each hit's story headline ("story_headline"), so a result names its story
   rather than a number (SQLite: one indexed lookup per hit). */
static void story_headlines(Conn *c, json_t *hits)
{
    sqlite3_stmt *q = NULL;
    if (!c->db ||
        sqlite3_prepare_v2(c->db, "SELECT headline FROM threads WHERE id = ?1", -1, &q, NULL) !=
            SQLITE_OK)
        return;
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit) {
        json_int_t story = json_integer_value(json_object_get(hit, "story"));
        if (story <= 0)
            continue;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, story);
        if (sqlite3_step(q) == SQLITE_ROW)
            json_object_set_new(hit, "story_headline", jcol(q, 0));
    }
    sqlite3_finalize(q);
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
            json_array_append_new(
                hits, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:f, s:b}", "id",
                                x->hash, "title", jstr(x->title), "outlet", jstr(x->outlet),
                                "display", disp ? json_incref(disp) : jstr(x->outlet),
                                "published", jstr(x->published), "url", jstr(x->url),
                                "snippet", jstr(x->snippet), "story", (json_int_t)x->story,
                                "score", x->score, "all_terms", x->all_terms));
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
    EntityFilter f = {type, qtext && *qtext ? qtext : NULL, 0, (size_t)offset, (size_t)limit, 0};
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

/* Rows of a one-parameter (key) query as objects with the given field names
   (a column per name; "I" suffix on a name: integer). */
static json_t *rows(Conn *c, const char *sql, const char *key, const char *const *fields,
                    int nfields)
{
    json_t *arr = json_array();
    sqlite3_stmt *q = NULL;
    if (!c->db || sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK)
        return arr;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(q) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < nfields; i++) {
            if (sqlite3_column_type(q, i) == SQLITE_INTEGER)
                json_object_set_new(o, fields[i], json_integer(sqlite3_column_int64(q, i)));
            else
                json_object_set_new(o, fields[i], jcol(q, i));
        }
        json_array_append_new(arr, o);
    }
    sqlite3_finalize(q);
    return arr;
}

/* Roles and quotes of key in the most recent articles that mention it. */
static void entity_annotations(Conn *c, const char *key, json_t *roles, json_t *quotes)
{
    sqlite3_stmt *q = NULL;
    if (!c->db || sqlite3_prepare_v2(c->db,
                           "SELECT DISTINCT m.article, a.published FROM mentions m JOIN articles a"
                           " ON a.id = m.article WHERE m.key = ?1 ORDER BY a.published DESC,"
                           " m.article DESC LIMIT 20",
                           -1, &q, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    json_t *seen_roles = json_object();
    while (sqlite3_step(q) == SQLITE_ROW) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(q, 0));
        StoredArticle sa;
        rasd_error err;
        if (store_get_article(c->st, id, &sa, &err) != RASD_OK)
            continue;
        DataReply ignore = {0};
        json_t *j = annotate(c, &sa, &ignore);
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(j, "entities"), i, x) {
            json_t *role = json_object_get(x, "role");
            const char *k = json_string_value(json_object_get(x, "key"));
            const char *text = json_string_value(json_object_get(role, "text"));
            if (!k || strcmp(k, key) != 0 || !text || json_object_get(seen_roles, text))
                continue;
            json_object_set_new(seen_roles, text, json_true());
            json_array_append_new(roles, json_pack("{s:s, s:o, s:s, s:o}", "text", text,
                                                   "office", json_incref(json_object_get(role, "office")
                                                                             ? json_object_get(role, "office")
                                                                             : json_null()),
                                                   "article", sa.hash, "outlet", jstr(sa.outlet)));
        }
        json_array_foreach(json_object_get(j, "quotes"), i, x) {
            const char *k = json_string_value(json_object_get(x, "speaker_key"));
            if (!k || strcmp(k, key) != 0 || json_array_size(quotes) >= 50)
                continue;
            json_t *qq = json_deep_copy(x);
            json_object_set_new(qq, "article", json_string(sa.hash));
            json_object_set_new(qq, "outlet", jstr(sa.outlet));
            json_object_set_new(qq, "published", jstr(sa.published));
            json_array_append_new(quotes, qq);
        }
        json_decref(j);
        store_article_free(&sa);
    }
    json_decref(seen_roles);
    sqlite3_finalize(q);
}

void data_entity(Data *d, const char *key, DataReply *r)
{
    Conn *c = conn_get(d, r);
    if (!c)
        return;
    static const char *const vf[] = {"text", "mentions", "articles"};
    json_t *variants = rows(c,
                            "SELECT text, count(*), count(DISTINCT article) FROM mentions WHERE"
                            " key = ?1 GROUP BY text ORDER BY 2 DESC, 1",
                            key, vf, 3);
    if (!json_array_size(variants)) {
        json_decref(variants);
        fail(r, 404, "no name has the key '%s'", key);
        conn_put(d, c);
        return;
    }
    static const char *const tf[] = {"type", "mentions"};
    json_t *types = rows(c,
                         "SELECT type, count(*) FROM mentions WHERE key = ?1 GROUP BY type"
                         " ORDER BY 2 DESC",
                         key, tf, 2);
    static const char *const of[] = {"name", "mentions", "articles"};
    json_t *outlets = rows(c,
                           "SELECT a.outlet, count(*), count(DISTINCT a.id) FROM mentions m JOIN"
                           " articles a ON a.id = m.article WHERE m.key = ?1 GROUP BY a.outlet"
                           " ORDER BY 2 DESC, 1",
                           key, of, 3);
    json_t *names = data_outlet_names(c);
    size_t i;
    json_t *o;
    json_array_foreach(outlets, i, o) {
        json_t *disp = json_object_get(names, json_string_value(json_object_get(o, "name")) ?
                                                  json_string_value(json_object_get(o, "name")) : "");
        json_object_set(o, "display", disp ? disp : json_object_get(o, "name"));
    }
    json_decref(names);
    static const char *const sf[] = {"id", "headline", "last", "articles"};
    json_t *stories = rows(c,
                           "SELECT t.id, t.headline, t.last, count(DISTINCT m.article) FROM"
                           " mentions m JOIN article_event ae ON ae.article = m.article JOIN"
                           " events e ON e.id = ae.event JOIN threads t ON t.id = e.thread"
                           " WHERE m.key = ?1 GROUP BY t.id ORDER BY 4 DESC, t.last DESC LIMIT 50",
                           key, sf, 4);
    int64_t mentions = 0;
    json_array_foreach(variants, i, o) mentions += json_integer_value(json_object_get(o, "mentions"));
    json_t *roles = json_array(), *quotes = json_array();
    entity_annotations(c, key, roles, quotes);
    /* the name shown: the longest spelling used at least a quarter as often
       as the most frequent one ("فلاديمير بوتين" rather than "بوتين") */
    json_t *first = json_array_get(variants, 0);
    json_int_t top = json_integer_value(json_object_get(first, "mentions"));
    json_array_foreach(variants, i, o) {
        const char *t = json_string_value(json_object_get(o, "text"));
        const char *best = json_string_value(json_object_get(first, "text"));
        if (t && best && 4 * json_integer_value(json_object_get(o, "mentions")) >= top &&
            strlen(t) > strlen(best))
            first = o;
    }
    done(r,
         json_pack("{s:s, s:O, s:O, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "key", key, "type",
                   json_object_get(json_array_get(types, 0), "type"), "name",
                   json_object_get(first, "text"), "mentions", (json_int_t)mentions, "types",
                   types, "variants", variants, "outlets", outlets, "stories", stories, "roles",
                   roles, "quotes", quotes),
         200);
    conn_put(d, c);
}
