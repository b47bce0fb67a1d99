/*
 * entsum.c — the entity summary (entsum.h): table entities, one row per
 * name, kept at ingest so that listing names is one read of one table
 * (grouping every mention at read time took 1.35 s on 26k articles).
 *
 * Writes: store_put_mention/store_put_role add to an in-memory EntSum
 * during the store transaction; just before COMMIT each name touched is
 * read, merged and written back once (a day file of 1,700 articles names
 * the same countries thousands of times). A rollback drops the EntSum, so
 * the summary always matches the committed mentions.
 *
 * Stored lists are text, one item a line, "text TAB mentions" (outlets:
 * "outlet TAB mentions TAB articles"), most used first and ties in byte
 * order: readable with plain SQL, the same order a GROUP BY ... ORDER BY
 * gives (the migration builds them that way from the mentions table).
 * Tabs and line breaks inside a spelling or outlet become spaces.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/entsum.h"

typedef struct SumItem {
    char *text;          /* spelling, outlet or office (arena) */
    int64_t mentions;
    int64_t articles;    /* outlets: distinct articles */
    int64_t last;        /* last article counted in articles */
} SumItem;

typedef struct SumEnt {
    char *key, *type;    /* the name (arena) */
    int64_t mentions, articles;
    int64_t last;        /* last article counted in articles */
    Buf spell, outl, roles; /* SumItem arrays */
} SumEnt;

const char entsum_migration_sql[] =
    "CREATE TABLE entities (key TEXT NOT NULL, type TEXT NOT NULL,"
    "  mentions INTEGER NOT NULL, articles INTEGER NOT NULL,"
    "  spellings TEXT NOT NULL, outlets TEXT NOT NULL, roles TEXT NOT NULL,"
    "  PRIMARY KEY (key, type)) WITHOUT ROWID;"
    "CREATE INDEX entities_rank ON entities(mentions DESC, key, type);"
    /* raw-body hashes (store_find_body_hash): stored from now on */
    "CREATE TABLE body_hash (h INTEGER PRIMARY KEY, article INTEGER NOT NULL"
    "  REFERENCES articles(id));"
    "INSERT INTO entities SELECT key, type, count(*), count(DISTINCT article), '', '', ''"
    "  FROM mentions GROUP BY key, type;"
    "UPDATE entities SET spellings = coalesce((SELECT group_concat(t || char(9) || n, char(10))"
    "  FROM (SELECT replace(replace(replace(text, char(9), ' '), char(10), ' '), char(13), ' ')"
    "  AS t, count(*) AS n FROM mentions m WHERE m.key = entities.key AND m.type = entities.type"
    "  GROUP BY t ORDER BY n DESC, t)), '');"
    "UPDATE entities SET outlets = coalesce((SELECT group_concat(o || char(9) || n || char(9) || d,"
    "  char(10)) FROM (SELECT replace(replace(replace(coalesce(a.outlet, ''), char(9), ' '),"
    "  char(10), ' '), char(13), ' ') AS o, count(*) AS n, count(DISTINCT a.id) AS d"
    "  FROM mentions m JOIN articles a ON a.id = m.article"
    "  WHERE m.key = entities.key AND m.type = entities.type GROUP BY o ORDER BY n DESC, o)), '');";

void entsum_init(EntSum *s)
{
    memset(s, 0, sizeof *s);
    arena_init(&s->arena, 64 * 1024);
}

static void free_ents(EntSum *s)
{
    SumEnt *e = (SumEnt *)s->ents.data;
    for (size_t i = 0; e && i < s->ents.len / sizeof *e; i++) {
        buf_free(&e[i].spell);
        buf_free(&e[i].outl);
        buf_free(&e[i].roles);
    }
}

void entsum_free(EntSum *s)
{
    free_ents(s);
    buf_free(&s->ents);
    idmap_free(&s->map);
    arena_free(&s->arena);
}

void entsum_reset(EntSum *s)
{
    free_ents(s);
    buf_reset(&s->ents);
    idmap_free(&s->map);
    arena_reset(&s->arena);
    s->oom = 0;
}

int entsum_pending(const EntSum *s) { return s->ents.len > 0 || s->oom; }

/* A copy in the arena with tabs and line breaks as spaces (they separate
   the stored lists' fields and items). */
static char *clean_copy(EntSum *s, const char *p, size_t n)
{
    char *c = arena_strndup(&s->arena, p, n);
    if (!c) {
        s->oom = 1;
        return NULL;
    }
    for (char *q = c; *q; q++)
        if (*q == '\t' || *q == '\n' || *q == '\r')
            *q = ' ';
    return c;
}

/* The pending entry of (type, key), made if new; NULL when out of memory. */
static SumEnt *find_ent(EntSum *s, const char *type, const char *key, size_t key_len)
{
    size_t tl = strlen(type);
    uint64_t h = rasd_hash(key, key_len) ^ (rasd_hash(type, tl) * 0x9E3779B97F4A7C15ull);
    for (;;) { /* a 64-bit hash collision moves on to the next id */
        uint32_t *slot = idmap_slot(&s->map, h);
        if (!slot) {
            s->oom = 1;
            return NULL;
        }
        SumEnt *all = (SumEnt *)s->ents.data;
        if (*slot) {
            SumEnt *e = &all[*slot - 1];
            if (strcmp(e->type, type) == 0 && strlen(e->key) == key_len &&
                memcmp(e->key, key, key_len) == 0)
                return e;
            h = h * 31 + 1;
            continue;
        }
        SumEnt e = {0};
        e.key = clean_copy(s, key, key_len);
        e.type = clean_copy(s, type, tl);
        if (!e.key || !e.type)
            return NULL;
        size_t at = s->ents.len / sizeof e;
        buf_append(&s->ents, &e, sizeof e);
        if (s->ents.oom) {
            s->oom = 1;
            return NULL;
        }
        *slot = (uint32_t)at + 1;
        return &((SumEnt *)s->ents.data)[at];
    }
}

/* Is clean (a clean_copy) the copy of text's n bytes? */
static int same_clean(const char *clean, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = text[i] == '\t' || text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
        if (clean[i] != c || !c)
            return 0;
    }
    return clean[n] == '\0';
}

/* The item of list with this text, appended if new; NULL when out of memory. */
static SumItem *find_item(EntSum *s, Buf *list, const char *text, size_t n)
{
    SumItem *it = (SumItem *)list->data;
    size_t k = list->len / sizeof *it;
    for (size_t i = 0; i < k; i++)
        if (same_clean(it[i].text, text, n))
            return &it[i];
    SumItem x = {clean_copy(s, text, n), 0, 0, 0};
    if (!x.text)
        return NULL;
    buf_append(list, &x, sizeof x);
    if (list->oom) {
        s->oom = 1;
        return NULL;
    }
    return &((SumItem *)list->data)[k];
}

void entsum_mention(EntSum *s, int64_t article, const char *type, const char *key,
                    size_t key_len, const char *text, size_t text_len, const char *outlet)
{
    SumEnt *e = find_ent(s, type, key, key_len);
    if (!e)
        return;
    e->mentions++;
    if (e->last != article) {
        e->last = article;
        e->articles++;
    }
    SumItem *sp = find_item(s, &e->spell, text, text_len);
    if (sp)
        sp->mentions++;
    const char *o = outlet ? outlet : "";
    SumItem *ou = find_item(s, &e->outl, o, strlen(o));
    if (ou) {
        ou->mentions++;
        if (ou->last != article) {
            ou->last = article;
            ou->articles++;
        }
    }
}

void entsum_role(EntSum *s, const char *type, const char *key, size_t key_len,
                 const char *office, size_t office_len)
{
    SumEnt *e = find_ent(s, type, key, key_len);
    SumItem *r = e ? find_item(s, &e->roles, office, office_len) : NULL;
    if (r)
        r->mentions++;
}

/* ---- stored lists ---- */

/* Parses a stored list (modified in place) into counts (EntityCount array). */
static void list_parse(char *p, Buf *counts)
{
    buf_reset(counts);
    while (p && *p) {
        char *end = strchr(p, '\n');
        if (end)
            *end = '\0';
        EntityCount c = {p, 0, 0};
        char *t = strchr(p, '\t');
        if (t) {
            *t = '\0';
            c.mentions = strtoll(t + 1, &t, 10);
            if (*t == '\t')
                c.articles = strtoll(t + 1, NULL, 10);
        }
        buf_append(counts, &c, sizeof c);
        p = end ? end + 1 : NULL;
    }
}

static int by_use(const void *a, const void *b)
{
    const EntityCount *x = a, *y = b;
    if (x->mentions != y->mentions)
        return x->mentions < y->mentions ? 1 : -1;
    return strcmp(x->text, y->text);
}

/* stored (a stored list, modified) plus the pending items, as a stored list in out. */
static void list_merge(char *stored, const Buf *add, int with_articles, Buf *tmp, Buf *out)
{
    list_parse(stored, tmp);
    const SumItem *it = (const SumItem *)add->data;
    for (size_t i = 0; it && i < add->len / sizeof *it; i++) {
        EntityCount *c = (EntityCount *)tmp->data;
        size_t n = tmp->len / sizeof *c, k = 0;
        while (k < n && strcmp(c[k].text, it[i].text) != 0)
            k++;
        if (k < n) {
            c[k].mentions += it[i].mentions;
            c[k].articles += it[i].articles;
        } else {
            EntityCount x = {it[i].text, it[i].mentions, it[i].articles};
            buf_append(tmp, &x, sizeof x);
        }
    }
    EntityCount *c = (EntityCount *)tmp->data;
    size_t n = tmp->len / sizeof *c;
    if (n > 1)
        qsort(c, n, sizeof *c, by_use);
    buf_reset(out);
    buf_puts(out, "");
    for (size_t k = 0; k < n; k++) {
        if (with_articles)
            buf_printf(out, "%s%s\t%lld\t%lld", k ? "\n" : "", c[k].text,
                       (long long)c[k].mentions, (long long)c[k].articles);
        else
            buf_printf(out, "%s%s\t%lld", k ? "\n" : "", c[k].text, (long long)c[k].mentions);
    }
}

/* ---- SQLite ---- */

static rasd_err sq_fail(sqlite3 *db, rasd_error *err, const char *what)
{
    return rasd_fail(err, RASD_EDB, "%s: %s", what, sqlite3_errmsg(db));
}

static char *col_dup(sqlite3_stmt *q, int i)
{
    const char *t = (const char *)sqlite3_column_text(q, i);
    return strdup(t ? t : "");
}

/* Merges one pending name into its stored row. */
static rasd_err flush_one(sqlite3 *db, sqlite3_stmt *get, sqlite3_stmt *put, const SumEnt *e,
                          Buf *tmp, Buf *lists, rasd_error *err)
{
    sqlite3_reset(get);
    sqlite3_bind_text(get, 1, e->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(get, 2, e->type, -1, SQLITE_STATIC);
    int64_t mentions = e->mentions, articles = e->articles;
    char *old[3] = {NULL, NULL, NULL};
    int rc = sqlite3_step(get);
    if (rc == SQLITE_ROW) {
        mentions += sqlite3_column_int64(get, 0);
        articles += sqlite3_column_int64(get, 1);
        for (int i = 0; i < 3; i++)
            old[i] = col_dup(get, 2 + i);
    } else if (rc != SQLITE_DONE) {
        return sq_fail(db, err, "read entity summary");
    }
    sqlite3_reset(get);
    const Buf *add[3] = {&e->spell, &e->outl, &e->roles};
    int oom = 0;
    for (int i = 0; i < 3; i++) {
        list_merge(old[i], add[i], i == 1, tmp, &lists[i]);
        oom |= lists[i].oom || tmp->oom || (rc == SQLITE_ROW && !old[i]);
    }
    for (int i = 0; i < 3; i++)
        free(old[i]);
    if (oom)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    sqlite3_reset(put);
    sqlite3_bind_text(put, 1, e->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(put, 2, e->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(put, 3, mentions);
    sqlite3_bind_int64(put, 4, articles);
    for (int i = 0; i < 3; i++)
        sqlite3_bind_text(put, 5 + i, lists[i].data, (int)lists[i].len, SQLITE_STATIC);
    rc = sqlite3_step(put);
    sqlite3_reset(put);
    return rc == SQLITE_DONE ? RASD_OK : sq_fail(db, err, "write entity summary");
}

rasd_err entsum_flush_sqlite(EntSum *s, sqlite3 *db, rasd_error *err)
{
    if (s->oom) {
        entsum_reset(s);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (!s->ents.len)
        return RASD_OK;
    sqlite3_stmt *get = NULL, *put = NULL;
    rasd_err e = RASD_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT mentions, articles, spellings, outlets, roles FROM entities"
                           " WHERE key = ?1 AND type = ?2",
                           -1, &get, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT OR REPLACE INTO entities(key, type, mentions, articles,"
                           " spellings, outlets, roles) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &put, NULL) != SQLITE_OK)
        e = sq_fail(db, err, "prepare entity summary");
    Buf tmp = {0}, lists[3] = {{0}};
    const SumEnt *all = (const SumEnt *)s->ents.data;
    for (size_t i = 0; e == RASD_OK && i < s->ents.len / sizeof *all; i++)
        e = flush_one(db, get, put, &all[i], &tmp, lists, err);
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    buf_free(&tmp);
    for (int i = 0; i < 3; i++)
        buf_free(&lists[i]);
    entsum_reset(s);
    return e;
}

/* ---- reading ---- */

typedef struct Parsed {
    Buf text;            /* the row's lists, copied and cut up */
    Buf counts[3];       /* EntityCount arrays: spellings, outlets, roles */
} Parsed;

static int has_spelling(const StoredEntity *x, const char *text)
{
    for (size_t i = 0; i < x->nspellings; i++)
        if (strstr(x->spellings[i].text, text))
            return 1;
    return 0;
}

int store_entity_listed(const EntityFilter *f, const char *key, const char *type,
                        int64_t mentions)
{
    if (f && f->type && strcmp(f->type, type) != 0)
        return 0;
    if (f && mentions < f->min)
        return 0;
    /* nationality adjectives (الروسي, key "adj:…") only when asked for */
    return (f && (f->adjectives || f->type)) || strncmp(key, "adj:", 4) != 0;
}

static int emit(Parsed *p, const EntRow *r, const EntityFilter *f, size_t *kept,
                int (*fn)(void *ctx, const StoredEntity *x), void *ctx)
{
    if (!store_entity_listed(f, r->key, r->type, r->mentions) ||
        (f && f->key && strcmp(f->key, r->key) != 0))
        return 0;
    const char *src[3] = {r->spellings, r->outlets, r->roles};
    size_t off[3];
    buf_reset(&p->text);
    for (int i = 0; i < 3; i++) {
        off[i] = p->text.len;
        buf_puts(&p->text, src[i] ? src[i] : "");
        buf_putc(&p->text, '\0');
    }
    if (p->text.oom)
        return -1;
    for (int i = 0; i < 3; i++) {
        list_parse(p->text.data + off[i], &p->counts[i]);
        if (p->counts[i].oom)
            return -1;
    }
    StoredEntity x = {r->key, r->type, "", r->mentions, r->articles,
                      (const EntityCount *)p->counts[0].data,
                      p->counts[0].len / sizeof(EntityCount),
                      (const EntityCount *)p->counts[1].data,
                      p->counts[1].len / sizeof(EntityCount),
                      (const EntityCount *)p->counts[2].data,
                      p->counts[2].len / sizeof(EntityCount)};
    if (f && f->text && *f->text && !has_spelling(&x, f->text))
        return 0;
    if (f && (*kept)++ < f->offset)
        return 0;
    /* the name shown: the longest spelling used at least a quarter as often
       as the most used one ("فلاديمير بوتين" rather than "بوتين") */
    if (x.nspellings) {
        const EntityCount *best = &x.spellings[0];
        for (size_t i = 1; i < x.nspellings; i++)
            if (4 * x.spellings[i].mentions >= x.spellings[0].mentions &&
                strlen(x.spellings[i].text) > strlen(best->text))
                best = &x.spellings[i];
        x.name = best->text;
    }
    int stop = fn(ctx, &x);
    if (!stop && f && f->limit && *kept >= f->offset + f->limit)
        stop = 1;
    return stop;
}

static void parsed_free(Parsed *p)
{
    buf_free(&p->text);
    for (int i = 0; i < 3; i++)
        buf_free(&p->counts[i]);
}

int entsum_emit(const EntRow *r, const EntityFilter *f, size_t *kept,
                int (*fn)(void *ctx, const StoredEntity *x), void *ctx)
{
    Parsed p = {0};
    int rc = emit(&p, r, f, kept, fn, ctx);
    parsed_free(&p);
    return rc;
}

rasd_err entsum_each_sqlite(sqlite3 *db, const EntityFilter *f,
                            int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                            rasd_error *err)
{
    sqlite3_stmt *q;
    /* one key: its rows by the primary key (the OR form would walk the rank index) */
    if (sqlite3_prepare_v2(db,
                           f && f->key
                               ? "SELECT key, type, mentions, articles, spellings, outlets, roles"
                                 " FROM entities WHERE key = ?3 AND (?1 IS NULL OR type = ?1)"
                                 " AND mentions >= ?2 ORDER BY mentions DESC, key, type"
                               : "SELECT key, type, mentions, articles, spellings, outlets, roles"
                                 " FROM entities WHERE (?1 IS NULL OR type = ?1) AND mentions >= ?2"
                                 " ORDER BY mentions DESC, key, type",
                           -1, &q, NULL) != SQLITE_OK)
        return sq_fail(db, err, "list names");
    if (f && f->type)
        sqlite3_bind_text(q, 1, f->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, f ? f->min : 0);
    if (f && f->key)
        sqlite3_bind_text(q, 3, f->key, -1, SQLITE_STATIC);
    Parsed p = {0};
    size_t kept = 0;
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        EntRow r = {(const char *)sqlite3_column_text(q, 0),
                    (const char *)sqlite3_column_text(q, 1),
                    sqlite3_column_int64(q, 2),
                    sqlite3_column_int64(q, 3),
                    (const char *)sqlite3_column_text(q, 4),
                    (const char *)sqlite3_column_text(q, 5),
                    (const char *)sqlite3_column_text(q, 6)};
        if (!r.key || !r.type)
            continue;
        stop = emit(&p, &r, f, &kept, fn, ctx);
    }
    rasd_err e = RASD_OK;
    if (stop < 0)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    else if (!stop && rc != SQLITE_DONE)
        e = sq_fail(db, err, "list names");
    sqlite3_finalize(q);
    parsed_free(&p);
    return e;
}
