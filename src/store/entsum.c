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
 * Stored lists are text, one item a line, "text TAB mentions" (spellings
 * and outlets: "text TAB mentions TAB articles", schema 13), most used first
 * and ties in byte order: readable with plain SQL, the same order a GROUP
 * BY ... ORDER BY gives (the migrations build them that way from the
 * mentions table). Tabs and line breaks inside a spelling or outlet become
 * spaces. A spelling is stored in the form the names list shows
 * (text_spelling_form: السعوديَّة and السعودية are one row), so the list
 * holds one row per shown spelling.
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/names.h"
#include "store/entsum.h"
#include "text/text.h"

typedef struct SumItem {
    char *text;          /* spelling, outlet or office (arena) */
    int64_t mentions;
    int64_t articles;    /* spellings and outlets: distinct articles */
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

/*
 * A person key's last word, in SQL: rtrim drops from the right every
 * character the key has outside its spaces, so it stops at the last space;
 * what follows is the last word (سرك شكو → شكو). Deterministic built-ins
 * only, so it can be indexed. Only keys of two words or more are indexed.
 */
#define SURNAME_OF_KEY "substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1)"
#define SURNAME_ROWS "type = 'PER' AND instr(key, ' ') > 0"

const char entsum_surname_migration_sql[] =
    "CREATE INDEX IF NOT EXISTS entities_surname ON entities(" SURNAME_OF_KEY ") WHERE " SURNAME_ROWS ";";
const char entsum_surname_sql[] = "SELECT key, mentions FROM entities WHERE " SURNAME_ROWS
                                  " AND " SURNAME_OF_KEY " = ?1 ORDER BY mentions DESC, key LIMIT ?2";

/* The form a spelling is stored and shown in (text_spelling_form), with tabs
   and line breaks as spaces (they separate the stored lists' fields and
   items); into out, NUL-terminated. -1 when out of memory. */
static int shown_form(const char *text, size_t n, Buf *out)
{
    buf_reset(out);
    int rc = text_spelling_form(text, n, out);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        buf_append(out, text, n);
        buf_putc(out, '\0');
    }
    if (out->oom)
        return -1;
    for (char *q = out->data; *q; q++)
        if (*q == '\t' || *q == '\n' || *q == '\r')
            *q = ' ';
    out->len = strlen(out->data);
    return 0;
}

/* SQL rasd_spelling(text): the stored form of a spelling (shown_form). */
static void sql_spelling(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    if (!t) {
        sqlite3_result_null(cx);
        return;
    }
    Buf b = {0};
    if (shown_form(t, (size_t)sqlite3_value_bytes(argv[0]), &b) < 0)
        sqlite3_result_error_nomem(cx);
    else
        sqlite3_result_text(cx, b.data, (int)b.len, SQLITE_TRANSIENT);
    buf_free(&b);
}

int entsum_register(sqlite3 *db)
{
    return sqlite3_create_function(db, "rasd_spelling", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   sql_spelling, NULL, NULL);
}

/* Migration 12 → 13: each name's spellings again, one row per shown form,
   with the articles that write it (as the outlets list has). */
const char entsum_spellings_migration_sql[] =
    "UPDATE entities SET spellings = coalesce((SELECT group_concat(t || char(9) || n || char(9)"
    "  || d, char(10)) FROM (SELECT rasd_spelling(text) AS t, count(*) AS n,"
    "  count(DISTINCT article) AS d FROM mentions m WHERE m.key = entities.key"
    "  AND m.type = entities.type GROUP BY t ORDER BY n DESC, t)), '');";

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
    buf_free(&s->form);
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
    if (shown_form(text, text_len, &s->form) < 0) {
        s->oom = 1;
        return;
    }
    SumItem *sp = find_item(s, &e->spell, s->form.data, s->form.len);
    if (sp) {
        sp->mentions++;
        if (sp->last != article) {
            sp->last = article;
            sp->articles++;
        }
    }
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

void entsum_move_outlet(EntSum *s, const char *type, const char *key, size_t key_len,
                        int64_t mentions, const char *from, const char *to)
{
    const char *a = from ? from : "", *b = to ? to : "";
    SumEnt *e = strcmp(a, b) ? find_ent(s, type, key, key_len) : NULL;
    SumItem *x = e ? find_item(s, &e->outl, a, strlen(a)) : NULL;
    if (x)
        x->mentions -= mentions, x->articles--;
    SumItem *y = x ? find_item(s, &e->outl, b, strlen(b)) : NULL;
    if (y)
        y->mentions += mentions, y->articles++;
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

/* Adds x to the item of counts (an EntityCount array) with its text, or
   appends it; x->text must outlive counts. */
static void count_add(Buf *counts, const EntityCount *x)
{
    EntityCount *c = (EntityCount *)counts->data;
    size_t n = counts->len / sizeof(EntityCount), k = 0;
    while (k < n && strcmp(c[k].text, x->text) != 0)
        k++;
    if (k < n) {
        c[k].mentions += x->mentions;
        c[k].articles += x->articles;
    } else {
        buf_append(counts, x, sizeof *x);
    }
}

/* counts (an EntityCount array, sorted here) as a stored list in out. */
static void list_write(Buf *counts, int with_articles, Buf *out)
{
    EntityCount *c = (EntityCount *)counts->data;
    size_t n = counts->len / sizeof(EntityCount);
    if (n > 1)
        qsort(c, n, sizeof *c, by_use);
    buf_reset(out);
    buf_puts(out, "");
    for (size_t k = 0, w = 0; k < n; k++) {
        if (c[k].mentions <= 0)
            continue; /* an outlet whose article a copy took over (entsum_move_outlet) */
        if (with_articles)
            buf_printf(out, "%s%s\t%lld\t%lld", w++ ? "\n" : "", c[k].text,
                       (long long)c[k].mentions, (long long)c[k].articles);
        else
            buf_printf(out, "%s%s\t%lld", w++ ? "\n" : "", c[k].text, (long long)c[k].mentions);
    }
}

/* stored (a stored list, modified) plus the pending items, as a stored list in out. */
static void list_merge(char *stored, const Buf *add, int with_articles, Buf *tmp, Buf *out)
{
    list_parse(stored, tmp);
    const SumItem *it = (const SumItem *)add->data;
    for (size_t i = 0; it && i < add->len / sizeof *it; i++) {
        EntityCount x = {it[i].text, it[i].mentions, it[i].articles};
        count_add(tmp, &x);
    }
    list_write(tmp, with_articles, out);
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
        list_merge(old[i], add[i], i < 2, tmp, &lists[i]);
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
    Buf clean;           /* spellings' clean forms (store_fold_spellings) */
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

/*
 * Spellings that are another listed spelling of the same name with a
 * proclitic the text core left on (وفيتنام، لروسيا; للصين for الصين, whose
 * alef ل + ال does not write) are counted under that spelling: an analyst
 * is shown clitic-free spellings. Both are already one key, so this only
 * tidies the list; a name that really starts with و or ل keeps its spelling
 * unless the rest of it is itself a spelling of the same name.
 */
static const EntityCount *find_spelling(const EntityCount *c, size_t n, const char *pre,
                                        const char *rest)
{
    size_t pl = strlen(pre), rl = strlen(rest);
    for (size_t i = 0; i < n; i++)
        if (c[i].mentions >= 0 && strlen(c[i].text) == pl + rl &&
            memcmp(c[i].text, pre, pl) == 0 && memcmp(c[i].text + pl, rest, rl) == 0)
            return &c[i];
    return NULL;
}

/* Spellings a reader cannot tell apart — السعوديَّة, اليمــن, ﺍﻟﻴﻤﻦ, a name with
   a zero-width space or a Persian ی — are one spelling, shown in its clean
   form (text_spelling_form), their counts summed. The clean forms' bytes
   go to arena. */
static void fold_forms(EntityCount *c, size_t n, Buf *arena)
{
    size_t *at = n ? calloc(n, sizeof *at) : NULL;
    if (!at)
        return;
    buf_reset(arena);
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start = arena->len;
        if (text_spelling_form(c[i].text, strlen(c[i].text), arena) == 1 &&
            arena->data[start]) {
            at[i] = start + 1;
            changed = 1;
        }
    }
    if (changed && !arena->oom) {
        for (size_t i = 0; i < n; i++)
            if (at[i])
                c[i].text = arena->data + at[i] - 1;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; c[i].mentions >= 0 && j < n; j++) {
                if (c[j].mentions < 0 || strcmp(c[i].text, c[j].text) != 0)
                    continue;
                EntityCount *to = c[j].mentions > c[i].mentions ? &c[j] : &c[i];
                EntityCount *from = to == &c[i] ? &c[j] : &c[i];
                to->mentions += from->mentions;
                to->articles += from->articles;
                from->mentions = -1;
            }
    }
    free(at);
}

size_t store_fold_spellings(EntityCount *c, size_t n, Buf *arena)
{
    if (arena)
        fold_forms(c, n, arena);
    /* proclitics, longest first; "لل" also stands for ل + ال */
    static const char *const pre[] = {"وبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل",
                                      "وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل",
                                      "ك", NULL};
    size_t kept = 0;
    for (size_t i = 0; n > 1 && i < n; i++) {
        for (int k = 0; c[i].mentions >= 0 && pre[k]; k++) {
            size_t pl = strlen(pre[k]);
            const char *t = c[i].text;
            if (strncmp(t, pre[k], pl) != 0 || strlen(t + pl) < 4)
                continue;
            int article = strstr(pre[k], "ال") != NULL; /* وال, بال: the article kept */
            int lil = !article && pl >= 4 && strcmp(pre[k] + pl - 4, "لل") == 0;
            const char *rest = article ? t + pl - strlen("ال") : t + pl;
            const EntityCount *to = find_spelling(c, n, lil ? "ال" : "", rest);
            if (!to && lil) /* للبنان: ل + لبنان */
                to = find_spelling(c, n, "", t + pl - strlen("ل"));
            if (to && to != &c[i]) {
                ((EntityCount *)to)->mentions += c[i].mentions;
                ((EntityCount *)to)->articles += c[i].articles;
                c[i].mentions = -1;
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        if (c[i].mentions >= 0)
            c[kept++] = c[i];
    if (kept > 1)
        qsort(c, kept, sizeof *c, by_use);
    return kept;
}

static void fold_clitics(Buf *counts, Buf *arena)
{
    size_t n = counts->len / sizeof(EntityCount);
    counts->len = store_fold_spellings((EntityCount *)counts->data, n, arena) * sizeof(EntityCount);
}

/* Words of a spelling; عبد written apart (عبد الغفار) is one word with the
   next, as عبدالغفار is. */
static size_t words_in(const char *s)
{
    size_t n = 1;
    for (const char *w = s; *s; s++)
        if (*s == ' ') {
            n += !(s - w == (ptrdiff_t)strlen("عبد") && memcmp(w, "عبد", strlen("عبد")) == 0);
            w = s + 1;
        }
    return n;
}

size_t store_display_spelling(const EntityCount *c, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (4 * c[i].mentions >= c[0].mentions && words_in(c[i].text) > words_in(c[best].text))
            best = i;
    return best;
}

int store_nisba_adjective(const char *type, const char *spelling)
{
    if (!type || !spelling || strcmp(type, "MISC") != 0)
        return 0;
    size_t n = strlen(spelling);
    static const char *const ends[] = {"ي", "ية", "يون", "يين"};
    if (n < 8 || strncmp(spelling, "ال", 4) != 0 || strchr(spelling, ' '))
        return 0;
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t k = strlen(ends[i]);
        if (n > 4 + k && memcmp(spelling + n - k, ends[i], k) == 0)
            return 1;
    }
    return 0;
}

/*
 * ---- one key, two names: the skeleton fold parted when read ----
 *
 * The key folds letters a transliteration writes several ways (ك ق غ ج,
 * the long vowels), so two different names can share it: السودان and
 * سيدني, سيناء and سان, جون and جان. Within a row, each spelling (most used
 * first) is compared with the more used spellings of the same skeleton
 * (names_skeleton, no alias: spellings an alias, a person's title or a
 * chain joined are not this rule's). It joins the first one the matcher
 * (names_form_distance, stricter than the key on vowel letters) calls the
 * same name; if it matches none of them it is a name of its own, listed
 * right after the row as "KEY|spelling" with the spellings that match it
 * — unless it is rare beside them: written in fewer than 1/SPLIT_RARE of
 * the articles of the most written spelling of its skeleton (جيزان in 2
 * articles beside جازان in 66), it stays with the name it folds into. For
 * places and "other" names, a spelling ending in ي and one without never
 * match (الإسلام and الإسلامي, القرآن and قرآني: a nisba is another name).
 * Chosen on the identity pairs' tune half (BENCHMARKS.md, names session 10).
 */
#define SPLIT_RARE 20

/* Does spelling t end in ي or ى (a nisba: الإسلامي, قرآني, سيدني)? */
static int ends_in_ya(const char *t)
{
    size_t n = strlen(t);
    return n >= 2 && (memcmp(t + n - 2, "ي", 2) == 0 || memcmp(t + n - 2, "ى", 2) == 0);
}

/* The form (names_form) of spelling i, made the first time it is asked. */
typedef struct SplitForms {
    const EntityCount *c;
    size_t *at;          /* 1 + offset of each form in buf; 0: not made yet */
    Buf buf;
} SplitForms;

static const char *split_form(SplitForms *F, size_t i)
{
    if (!F->at[i]) {
        size_t o = F->buf.len;
        if (names_form(F->c[i].text, strlen(F->c[i].text), &F->buf) < 0)
            return NULL;
        buf_putc(&F->buf, '\0');
        if (F->buf.oom)
            return NULL;
        F->at[i] = o + 1;
    }
    return F->buf.data + F->at[i] - 1;
}

/* Do forms a and b name the same name? Forms that differ only by a leading
   article are (names_form_distance says 0 for them) and are told apart
   without it. */
static int split_same(const char *a, const char *b)
{
    const char *al = strncmp(a, "ال", 4) == 0 ? a + 4 : a;
    const char *bl = strncmp(b, "ال", 4) == 0 ? b + 4 : b;
    if (strcmp(al, bl) == 0)
        return 1;
    return names_form_distance(a, strlen(a), b, strlen(b)) <= 1.0;
}

/* The names of row (type, key)'s spellings c[0..n) (folded, most used
   first): group[i] = 0 when c[i] is the row's own name's, g > 0 when it is
   the name split off whose first spelling is c[g - 1]. Returns how many
   names are split off; -1 when out of memory. */
static int split_groups(const char *type, const char *key, const EntityCount *c, size_t n,
                        size_t *group)
{
    /* a place or an "other" name and the nisba made of it (الإسلام, الإسلامي)
       are two names however close their letters */
    int ya = (strcmp(type, "LOC") == 0 || strcmp(type, "MISC") == 0) &&
             strncmp(key, "adj:", 4) != 0;
    for (size_t i = 0; i < n; i++)
        group[i] = 0;
    if (n < 2)
        return 0;
    Buf skel = {0};
    size_t *sk = calloc(2 * n, sizeof *sk); /* skeleton offsets; 1 + form offsets */
    SplitForms F = {c, sk ? sk + n : NULL, {0}};
    int groups = 0, oom = !sk;
    for (size_t i = 0; i < n && !oom; i++) {
        /* a leading article off: the skeleton of الإسلام is سلم, of إسلام اسلم */
        const char *t = c[i].text;
        size_t len = strlen(t);
        if (len > 4 && strncmp(t, "ال", 4) == 0)
            t += 4, len -= 4;
        sk[i] = skel.len;
        oom = names_skeleton(t, len, &skel) < 0;
        buf_putc(&skel, '\0');
        oom |= skel.oom;
    }
    for (size_t i = 1; i < n && !oom; i++) {
        const char *si = skel.data + sk[i];
        int64_t most = -1; /* articles of the most written spelling of that skeleton */
        for (size_t j = 0; j < i; j++)
            if (c[j].articles > most && strcmp(si, skel.data + sk[j]) == 0)
                most = c[j].articles;
        int may_split = most >= 0 && c[i].articles * SPLIT_RARE >= most;
        if (!may_split && !groups)
            continue; /* no other name to join: it stays with the row's */
        const char *fi = split_form(&F, i);
        int matched = 0;
        for (size_t j = 0; j < i && fi && !matched; j++) {
            if (strcmp(si, skel.data + sk[j]) != 0 ||
                (ya && ends_in_ya(c[i].text) != ends_in_ya(c[j].text)))
                continue;
            const char *fj = split_form(&F, j);
            if (!fj)
                break;
            fi = F.buf.data + F.at[i] - 1; /* the buffer may have moved */
            if (split_same(fi, fj)) {
                group[i] = group[j];
                matched = 1;
            }
        }
        oom = !fi || F.buf.oom;
        if (!matched && may_split)
            group[i] = i + 1, groups++;
    }
    free(sk);
    buf_free(&skel);
    buf_free(&F.buf);
    return oom ? -1 : groups;
}

static int emit_one(const StoredEntity *x0, const EntityFilter *f, size_t *kept,
                    int (*fn)(void *ctx, const StoredEntity *x), void *ctx);

static int emit(Parsed *p, const EntRow *r, const EntityFilter *f, size_t *kept,
                int (*fn)(void *ctx, const StoredEntity *x), void *ctx)
{
    /* a split name's key is its row's, "|" and its first spelling */
    size_t base = f && f->key ? strcspn(f->key, "|") : 0;
    if (!store_entity_listed(f, r->key, r->type, r->mentions) ||
        (f && f->key && (strlen(r->key) != base || strncmp(f->key, r->key, base) != 0)))
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
    fold_clitics(&p->counts[0], &p->clean);
    StoredEntity x = {r->key, r->type, "", r->mentions, r->articles,
                      (const EntityCount *)p->counts[0].data,
                      p->counts[0].len / sizeof(EntityCount),
                      (const EntityCount *)p->counts[1].data,
                      p->counts[1].len / sizeof(EntityCount),
                      (const EntityCount *)p->counts[2].data,
                      p->counts[2].len / sizeof(EntityCount)};
    x.name = r->name;
    size_t n = x.nspellings;
    size_t *group = n > 1 ? malloc(n * sizeof *group) : NULL;
    int groups = group ? split_groups(r->type, r->key, x.spellings, n, group) : 0;
    if (groups < 0 || (n > 1 && !group)) {
        free(group);
        return -1;
    }
    if (groups == 0) {
        free(group);
        return f && f->key && f->key[base] ? 0 : emit_one(&x, f, kept, fn, ctx);
    }
    /* the row's own name first, then each name split off (spellings in
       their order of use; outlets and roles stay with the row's own name) */
    EntityCount *sp = malloc(n * sizeof *sp);
    Buf key = {0};
    int stop = sp ? 0 : -1;
    for (size_t g = 0; g <= n && !stop; g++) {
        if (g && group[g - 1] != g)
            continue; /* c[g - 1] starts no name */
        size_t k = 0;
        int64_t mentions = 0, articles = 0;
        for (size_t i = 0; i < n; i++)
            if (group[i] == g) {
                sp[k++] = x.spellings[i];
                mentions += x.spellings[i].mentions;
                articles += x.spellings[i].articles;
            }
        StoredEntity y = x;
        y.spellings = sp, y.nspellings = k;
        y.mentions = mentions;
        y.articles = articles < r->articles ? articles : r->articles;
        if (g) {
            buf_reset(&key);
            buf_printf(&key, "%s|%s", r->key, sp[0].text);
            if (key.oom) {
                stop = -1;
                break;
            }
            y.key = key.data, y.name = NULL;
            y.outlets = NULL, y.noutlets = 0, y.roles = NULL, y.nroles = 0;
        } else {
            y.articles = r->articles; /* less what the split names hold, at most */
            for (size_t i = 0; i < n; i++)
                if (group[i])
                    y.articles -= x.spellings[i].articles;
            if (y.articles < sp[0].articles)
                y.articles = sp[0].articles;
        }
        if ((!f || !f->key || strcmp(f->key, y.key) == 0) &&
            store_entity_listed(f, r->key, r->type, y.mentions))
            stop = emit_one(&y, f, kept, fn, ctx);
    }
    free(sp);
    free(group);
    buf_free(&key);
    return stop;
}

/* Lists x (a row, or a name split off it) if f keeps it. */
static int emit_one(const StoredEntity *x0, const EntityFilter *f, size_t *kept,
                    int (*fn)(void *ctx, const StoredEntity *x), void *ctx)
{
    StoredEntity x = *x0;
    if (!(f && (f->adjectives || f->type)) && x.nspellings &&
        store_nisba_adjective(x.type, x.spellings[0].text))
        return 0; /* like the nationality adjectives: only when asked for */
    if (f && f->text && *f->text && !has_spelling(&x, f->text))
        return 0;
    if (f && (*kept)++ < f->offset)
        return 0;
    /* the name shown: store_display_spelling ("فلاديمير بوتين" rather than
       "بوتين"), or the joined full name's */
    if (!x.name && x.nspellings)
        x.name = x.spellings[store_display_spelling(x.spellings, x.nspellings)].text;
    else if (!x.name)
        x.name = "";
    int stop = fn(ctx, &x);
    if (!stop && f && f->limit && *kept >= f->offset + f->limit)
        stop = 1;
    return stop;
}

static void parsed_free(Parsed *p)
{
    buf_free(&p->text);
    buf_free(&p->clean);
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


/* ---- one identity across the store: a name alone joins its full name ---- */

/*
 * Within an article the tagger already gives "بوتين" the key of "فلاديمير
 * بوتين" when both appear; an article that only says "بوتين" keeps the
 * one-word key (بتن) and the list showed two people. Here, when read, a
 * one-word person key joins the full-name key whose last word it is, or
 * failing any such key, whose first word it is (فلاديمير, كيم), when that
 * full name is frequent (min_full mentions) and no other full name with
 * that word is more than a tenth as frequent (two people sharing a surname
 * stay apart: neither gets the surname), and when the full name's own
 * articles call it by that word alone (join_evidence). A listed Arabic
 * given name alone (صلاح، رفيق، معاذ) joins nothing: on the 15 days most of
 * their mentions were other people than the one full name that fits. A
 * full name with بن has a father's name, not a surname, as its last word
 * (سلمان in محمد بن سلمان), so it is joined only by its first word. Full
 * names never join each other. The same machinery lists a place the
 * tagger also called "other" (MISC) as the place (entsum.h).
 */
/* "frequent": a full name has one mention per JOIN_FULL_SHARE person
   mentions of the store, within these bounds (3 on the seeds, 10 on the 15
   days: below 10 seven of the nine joins left were wrong there) */
#define JOIN_MIN_FULL 3
#define JOIN_MAX_FULL 10
#define JOIN_FULL_SHARE 5000 /* person mentions per mention asked */
#define JOIN_RIVAL 10    /* a rival full name this many times rarer is noise */
#define JOIN_EVIDENCE 2  /* mentions of the word alone under the full name */

typedef struct JoinKey {
    const char *key;     /* (arena) */
    const char *type;    /* PER, LOC or MISC (static) */
    int64_t mentions;    /* its own */
    int64_t handle;      /* the caller's, for get */
    int64_t merged;      /* a full name: its own and those of the keys joining it */
    int32_t target;      /* index of the full name it joins; -1: none */
    int32_t first_src;   /* a full name: the first key joining it; -1: none */
    int32_t next_src;    /* a joining key: the next one joining the same; -1: none */
    int32_t nwords;
} JoinKey;

/* The best and second full names having one word at one end. */
typedef struct JoinCand {
    int32_t top;         /* index in keys */
    int64_t top_m, second_m;
} JoinCand;

void entsum_join_init(EntJoin *j)
{
    memset(j, 0, sizeof *j);
    arena_init(&j->arena, 64 * 1024);
}

void entsum_join_free(EntJoin *j)
{
    arena_free(&j->arena);
    buf_free(&j->keys);
    idmap_free(&j->map);
    buf_free(&j->order);
}

static uint64_t join_hash(const char *p, size_t n, char end)
{
    return rasd_hash(p, n) * 0x9E3779B97F4A7C15ull + (uint64_t)end;
}

/* The static copy of a type the join reads, or NULL. */
static const char *join_type(const char *type)
{
    static const char *const types[] = {"PER", "LOC", "MISC", NULL};
    for (int i = 0; types[i]; i++)
        if (strcmp(type, types[i]) == 0)
            return types[i];
    return NULL;
}

void entsum_join_add(EntJoin *j, const char *key, const char *type, int64_t mentions,
                 int64_t handle)
{
    size_t n = strlen(key);
    const char *t = join_type(type);
    if (!n || !t || strncmp(key, "adj:", 4) == 0)
        return;
    uint32_t *slot = idmap_slot(&j->map, join_hash(key, n, t[0]));
    char *k = arena_strndup(&j->arena, key, n);
    if (!slot || !k) {
        j->oom = 1;
        return;
    }
    if (*slot)
        return; /* a hash collision: that key simply never joins */
    JoinKey x = {k, t, mentions, handle, mentions, -1, -1, -1, 1};
    for (const char *q = k; *q; q++)
        x.nwords += *q == ' ';
    buf_append(&j->keys, &x, sizeof x);
    *slot = (uint32_t)(j->keys.len / sizeof x);
    j->oom |= j->keys.oom;
}

static const JoinKey *join_find(const EntJoin *j, const char *key, const char *type)
{
    const char *t = join_type(type);
    uint32_t i = t ? idmap_get(&j->map, join_hash(key, strlen(key), t[0])) : 0;
    const JoinKey *k = i ? &((const JoinKey *)j->keys.data)[i - 1] : NULL;
    return k && k->type == t && strcmp(k->key, key) == 0 ? k : NULL;
}

const char *entsum_join_target(const EntJoin *j, const char *key)
{
    const JoinKey *k = join_find(j, key, "PER");
    return k && k->target >= 0 ? ((const JoinKey *)j->keys.data)[k->target].key : NULL;
}

/* Counts full name i under word w[0..n) at end ('L' last, 'F' first). */
static void join_cand(EntJoin *j, Buf *cands, IdMap *cmap, const char *w, size_t n, char end,
                      int32_t i, int64_t m)
{
    uint32_t *slot = idmap_slot(cmap, join_hash(w, n, end));
    if (!slot) {
        j->oom = 1;
        return;
    }
    if (!*slot) {
        JoinCand c = {i, m, 0};
        buf_append(cands, &c, sizeof c);
        *slot = (uint32_t)(cands->len / sizeof c);
        j->oom |= cands->oom;
        return;
    }
    JoinCand *c = &((JoinCand *)cands->data)[*slot - 1];
    if (m > c->top_m) {
        c->second_m = c->top_m;
        c->top = i, c->top_m = m;
    } else if (m > c->second_m) {
        c->second_m = m;
    }
}

/* The full name word w is an end of, or -1 (none, rare or ambiguous). */
static int32_t join_pick(const Buf *cands, const IdMap *cmap, const char *w, char end,
                         int64_t min_full, int *seen)
{
    uint32_t i = idmap_get(cmap, join_hash(w, strlen(w), end));
    if (!i)
        return -1;
    *seen = 1;
    const JoinCand *c = &((const JoinCand *)cands->data)[i - 1];
    if (c->top_m < min_full || c->second_m * JOIN_RIVAL > c->top_m)
        return -1;
    return c->top;
}

/* A full name others join, in listing order (mentions with theirs, key). */
typedef struct JoinOrder {
    int64_t merged;
    const char *key, *type;
    uint32_t index;      /* in keys */
} JoinOrder;

static int join_order(const void *a, const void *b)
{
    const JoinOrder *x = a, *y = b;
    if (x->merged != y->merged)
        return x->merged < y->merged ? 1 : -1;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->type, y->type);
}

/* Mentions of spelling sp[0..n) in the stored spellings list list. */
static int64_t spelling_count(const char *list, const char *sp, size_t n)
{
    for (const char *p = list; p && *p;) {
        const char *tab = strchr(p, '\t'), *end = strchr(p, '\n');
        if (tab && (!end || tab < end) && (size_t)(tab - p) == n && memcmp(p, sp, n) == 0)
            return strtoll(tab + 1, NULL, 10);
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/*
 * Does the full name keys[t] show that its articles call it by keys[i]'s
 * word alone? Within an article the tagger gives the surname alone the
 * full name's key, so the full name's spellings then hold the joining
 * key's most used spelling (أوباما under باراك أوباما). A full name that
 * the tagger made by running two names together (سلمان عبير) or a title
 * into a name (كامب ديفيد) seldom has it.
 */
static int join_evidence(const EntJoin *j, int32_t i, int32_t t, EntGet get, void *gctx)
{
    const JoinKey *k = (const JoinKey *)j->keys.data;
    EntRow r = {0};
    if (get(gctx, k[i].key, k[i].type, k[i].handle, &r) != 0 || !r.spellings)
        return 0;
    const char *tab = strchr(r.spellings, '\t');
    size_t n = tab ? (size_t)(tab - r.spellings) : strlen(r.spellings);
    char *top = strndup(r.spellings, n); /* r's strings last until the next get */
    int ok = top && get(gctx, k[t].key, k[t].type, k[t].handle, &r) == 0 &&
             spelling_count(r.spellings, top, n) >=
                 (k[t].type == k[i].type ? JOIN_EVIDENCE : (r.mentions + 9) / 10);
    free(top);
    return ok;
}

int entsum_join_build(EntJoin *j, EntGet get, void *gctx)
{
    JoinKey *k = (JoinKey *)j->keys.data;
    size_t n = j->keys.len / sizeof *k;
    Buf cands = {0};
    IdMap cmap = {0};
    for (size_t i = 0; i < n && !j->oom; i++) {
        if (k[i].type[0] != 'P' || k[i].nwords < 2 || k[i].mentions < 2)
            continue;
        const char *key = k[i].key, *sp = strchr(key, ' '), *last = strrchr(key, ' ') + 1;
        int chain = strstr(key, " بن ") != NULL;
        join_cand(j, &cands, &cmap, key, (size_t)(sp - key), 'F', (int32_t)i, k[i].mentions);
        if (!chain)
            join_cand(j, &cands, &cmap, last, strlen(last), 'L', (int32_t)i, k[i].mentions);
    }
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += k[i].mentions;
    int64_t min_full = total / JOIN_FULL_SHARE;
    min_full = min_full < JOIN_MIN_FULL ? JOIN_MIN_FULL
             : min_full > JOIN_MAX_FULL ? JOIN_MAX_FULL : min_full;
    int any = 0;
    for (size_t i = 0; i < n && !j->oom; i++) {
        int32_t t = -1;
        if (k[i].type[0] == 'M') { /* a place the tagger once called "other" */
            const JoinKey *loc = join_find(j, k[i].key, "LOC");
            t = loc && loc->mentions >= k[i].mentions ? (int32_t)(loc - k) : -1;
        } else if (k[i].type[0] == 'P' && k[i].nwords == 1 &&
                   !names_given_name(k[i].key, strlen(k[i].key))) {
            int seen = 0;
            t = join_pick(&cands, &cmap, k[i].key, 'L', min_full, &seen);
            if (t < 0 && !seen) /* a surname of several people never falls back */
                t = join_pick(&cands, &cmap, k[i].key, 'F', min_full, &seen);
        }
        if (t < 0 || !join_evidence(j, (int32_t)i, t, get, gctx))
            continue;
        k[i].target = t;
        k[i].next_src = k[t].first_src;
        k[t].first_src = (int32_t)i;
        k[t].merged += k[i].mentions;
        any = 1;
    }
    buf_free(&cands);
    idmap_free(&cmap);
    for (size_t i = 0; i < n && any && !j->oom; i++)
        if (k[i].first_src >= 0) {
            JoinOrder x = {k[i].merged, k[i].key, k[i].type, (uint32_t)i};
            buf_append(&j->order, &x, sizeof x);
        }
    if (j->order.oom)
        j->oom = 1;
    if (j->oom)
        return -1;
    if (j->order.len)
        qsort(j->order.data, j->order.len / sizeof(JoinOrder), sizeof(JoinOrder), join_order);
    return any;
}

/* List l of each of the nrows rows held in text (three stored lists a row,
   at the offsets offs), summed into one stored list in out; cuts them up. */
static void lists_sum(char *text, const size_t *offs, size_t nrows, int l, Buf *tmp, Buf *out)
{
    Buf all = {0};
    for (size_t r = 0; r < nrows; r++) {
        list_parse(text + offs[3 * r + l], tmp);
        const EntityCount *c = (const EntityCount *)tmp->data;
        for (size_t x = 0; c && x < tmp->len / sizeof *c; x++)
            count_add(&all, &c[x]);
    }
    list_write(&all, l < 2, out);
    out->oom |= all.oom || tmp->oom;
    buf_free(&all);
}

/* The name shown of the stored spellings list sp (modified), chosen as emit
   chooses one, copied to out: a joined name is shown by its full name's. */
static void join_name(char *sp, Buf *tmp, Buf *out)
{
    list_parse(sp, tmp);
    Buf clean = {0};
    fold_clitics(tmp, &clean);
    const EntityCount *c = (const EntityCount *)tmp->data;
    size_t n = tmp->len / sizeof *c;
    buf_reset(out);
    buf_puts(out, n ? c[store_display_spelling(c, n)].text : "");
    out->oom |= clean.oom;
    buf_free(&clean);
}

/* Lists the full name keys[i] with every key joining it. */
static int join_emit(EntJoin *j, uint32_t i, const EntityFilter *f, size_t *kept,
                     int (*fn)(void *ctx, const StoredEntity *x), void *ctx, EntGet get,
                     void *gctx)
{
    const JoinKey *k = (const JoinKey *)j->keys.data;
    Buf text = {0}, offs = {0}, tmp = {0}, lists[3] = {{0}}, name = {0};
    size_t nrows = 0;
    int64_t mentions = 0, articles = 0;
    for (int32_t x = (int32_t)i; x >= 0; x = x == (int32_t)i ? k[i].first_src : k[x].next_src) {
        EntRow r = {0};
        if (get(gctx, k[x].key, k[x].type, k[x].handle, &r) != 0)
            continue; /* gone since the counts were read */
        mentions += r.mentions;
        articles += r.articles;
        const char *src[3] = {r.spellings, r.outlets, r.roles};
        for (int l = 0; l < 3; l++) {
            size_t o = text.len;
            buf_append(&offs, &o, sizeof o);
            buf_puts(&text, src[l] ? src[l] : "");
            buf_putc(&text, '\0');
        }
        nrows++;
    }
    int rc = -1;
    if (!nrows && !text.oom && !offs.oom) {
        rc = 0;
    } else if (!text.oom && !offs.oom) {
        char *own = strdup(text.data); /* the first row's spellings: its name */
        if (own)
            join_name(own, &tmp, &name);
        free(own);
        int oom = !own || name.oom;
        for (int l = 0; l < 3 && !oom; l++) {
            lists_sum(text.data, (const size_t *)offs.data, nrows, l, &tmp, &lists[l]);
            oom |= lists[l].oom;
        }
        if (!oom) {
            EntRow row = {k[i].key, k[i].type, mentions, articles, lists[0].data,
                          lists[1].data, lists[2].data, name.data};
            rc = entsum_emit(&row, f, kept, fn, ctx);
        }
    }
    buf_free(&text);
    buf_free(&offs);
    buf_free(&tmp);
    buf_free(&name);
    for (int l = 0; l < 3; l++)
        buf_free(&lists[l]);
    return rc;
}

int entsum_join_row(EntJoin *j, const EntRow *r, const EntityFilter *f, size_t *kept,
                int (*fn)(void *ctx, const StoredEntity *x), void *ctx, EntGet get, void *gctx)
{
    const JoinOrder *o = (const JoinOrder *)j->order.data;
    size_t n = j->order.len / sizeof *o;
    /* the joined full names listed before this row */
    while (j->next < n && (o[j->next].merged > r->mentions ||
                           (o[j->next].merged == r->mentions &&
                            (strcmp(o[j->next].key, r->key) < 0 ||
                             (strcmp(o[j->next].key, r->key) == 0 &&
                              strcmp(o[j->next].type, r->type) < 0))))) {
        int stop = join_emit(j, o[j->next++].index, f, kept, fn, ctx, get, gctx);
        if (stop)
            return stop;
    }
    const JoinKey *k = join_find(j, r->key, r->type);
    if (k && (k->target >= 0 || k->first_src >= 0))
        return 0; /* listed with the name it joins */
    return entsum_emit(r, f, kept, fn, ctx);
}

int entsum_join_finish(EntJoin *j, const EntityFilter *f, size_t *kept,
                   int (*fn)(void *ctx, const StoredEntity *x), void *ctx, EntGet get,
                   void *gctx)
{
    const JoinOrder *o = (const JoinOrder *)j->order.data;
    size_t n = j->order.len / sizeof *o;
    int stop = 0;
    while (!stop && j->next < n)
        stop = join_emit(j, o[j->next++].index, f, kept, fn, ctx, get, gctx);
    return stop;
}

/* EntGet over table entities: *gctx is the prepared read of one row. */
static int sq_get(void *gctx, const char *key, const char *type, int64_t handle, EntRow *out)
{
    sqlite3_stmt *q = gctx;
    (void)handle;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, type, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW)
        return -1;
    EntRow r = {key, type, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
                (const char *)sqlite3_column_text(q, 4), NULL};
    *out = r;
    return 0;
}

/* The person, place and "other" keys and their counts (entsum_join_add); 1 if
   some key joins another. */
static int sq_join(sqlite3 *db, EntJoin *j, sqlite3_stmt **get)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "SELECT key, type, mentions FROM entities"
                           " WHERE type IN ('PER', 'LOC', 'MISC')",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(q, 0);
        const char *t = (const char *)sqlite3_column_text(q, 1);
        if (k && t)
            entsum_join_add(j, k, t, sqlite3_column_int64(q, 2), 0);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT mentions, articles, spellings, outlets, roles FROM entities"
                           " WHERE key = ?1 AND type = ?2",
                           -1, get, NULL) != SQLITE_OK)
        return -1;
    return entsum_join_build(j, sq_get, *get);
}

rasd_err entsum_each_sqlite(sqlite3 *db, const EntityFilter *f,
                            int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                            rasd_error *err)
{
    EntJoin j;
    entsum_join_init(&j);
    sqlite3_stmt *get = NULL;
    int join = !f || !f->type || join_type(f->type) ? sq_join(db, &j, &get) : 0;
    sqlite3_stmt *q;
    /* one key: its rows by the primary key (the OR form would walk the rank index) */
    if (join < 0 ||
        sqlite3_prepare_v2(db,
                           f && f->key
                               ? "SELECT key, type, mentions, articles, spellings, outlets, roles"
                                 " FROM entities WHERE key = ?3 AND (?1 IS NULL OR type = ?1)"
                                 " AND mentions >= ?2 ORDER BY mentions DESC, key, type"
                               : "SELECT key, type, mentions, articles, spellings, outlets, roles"
                                 " FROM entities WHERE (?1 IS NULL OR type = ?1) AND mentions >= ?2"
                                 " ORDER BY mentions DESC, key, type",
                           -1, &q, NULL) != SQLITE_OK) {
        sqlite3_finalize(get);
        entsum_join_free(&j);
        return join < 0 && j.oom ? rasd_fail(err, RASD_ENOMEM, "out of memory")
                                 : sq_fail(db, err, "list names");
    }
    if (f && f->type)
        sqlite3_bind_text(q, 1, f->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, f ? f->min : 0);
    if (f && f->key)
        sqlite3_bind_text(q, 3, f->key, (int)strcspn(f->key, "|"), SQLITE_STATIC); /* a split name's row */
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
                    (const char *)sqlite3_column_text(q, 6),
                    NULL};
        if (!r.key || !r.type)
            continue;
        stop = join ? entsum_join_row(&j, &r, f, &kept, fn, ctx, sq_get, get)
                    : emit(&p, &r, f, &kept, fn, ctx);
    }
    if (join && !stop && rc == SQLITE_DONE)
        stop = entsum_join_finish(&j, f, &kept, fn, ctx, sq_get, get);
    rasd_err e = RASD_OK;
    if (stop < 0)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    else if (!stop && rc != SQLITE_DONE)
        e = sq_fail(db, err, "list names");
    sqlite3_finalize(q);
    sqlite3_finalize(get);
    entsum_join_free(&j);
    parsed_free(&p);
    return e;
}
