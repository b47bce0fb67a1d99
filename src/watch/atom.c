/*
 * atom.c — stories as an Atom feed (RFC 4287).
 *
 * One <entry> per story (thread): id urn:rasd:story:N, the story's headline
 * as title, a summary naming how many articles and which outlets, an HTML
 * content listing the articles (outlet, title, date), and the brief link.
 * <updated> is the time the story last grew: watch_story_state remembers
 * each story's article count and the time it changed (wstore_story_updated),
 * so a reader sees an entry again exactly when articles join it. Entries
 * are newest first and capped at max_entries; the feed's own <updated> is
 * the newest entry's. Every text is XML-escaped; control characters that
 * XML 1.0 forbids are dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "watch/alerts.h"
#include "watch/atom.h"
#include "watch/watch_store.h"

static void xml_text(Buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default:
            if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
                break;
            buf_putc(b, (char)*p);
        }
    }
}

static void iso(int64_t t, char *out, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

typedef struct Entry {
    int64_t thread;     /* story number */
    int64_t updated;    /* Unix time it last grew */
    size_t first;       /* index of its first row in the sorted rows */
    size_t n;           /* rows */
} Entry;

static int cmp_thread(const void *a, const void *b)
{
    const StoryRow *x = a, *y = b;
    if (x->thread != y->thread)
        return x->thread < y->thread ? -1 : 1;
    return x->article < y->article ? -1 : x->article > y->article;
}

static int cmp_entry(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->updated != y->updated)
        return x->updated > y->updated ? -1 : 1;
    return x->thread > y->thread ? -1 : x->thread < y->thread;
}

typedef struct KeyHits {
    const char *key;  /* identity key wanted */
    int64_t *ids;     /* articles naming it */
    size_t n, cap;
    int oom;
} KeyHits;

static int on_mention(void *ctx, const StoredMention *m)
{
    KeyHits *k = ctx;
    if (!alerts_mention_is(m, k->key))
        return 0;
    if (k->n == k->cap) {
        size_t nc = k->cap ? k->cap * 2 : 64;
        int64_t *nv = realloc(k->ids, nc * sizeof *nv);
        if (!nv) {
            k->oom = 1;
            return 1;
        }
        k->ids = nv;
        k->cap = nc;
    }
    k->ids[k->n++] = m->article;
    return 0;
}

static int has_id(const KeyHits *k, int64_t id)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->ids[i] == id)
            return 1;
    return 0;
}

/* How outlets are named for a reader (atom_write's name, or as stored). */
typedef struct Namer {
    const char *(*name)(void *ctx, const char *outlet);
    void *ctx;
} Namer;

static const char *shown(const Namer *n, const char *outlet)
{
    const char *s = n->name && outlet ? n->name(n->ctx, outlet) : NULL;
    return s ? s : outlet;
}

static void write_entry(Buf *b, const AtomOpts *o, const Namer *nm, const Entry *e,
                        const StoryRow *rows)
{
    char when[32];
    iso(e->updated, when, sizeof when);
    const StoryRow *r0 = &rows[e->first];
    buf_printf(b, "  <entry>\n    <id>urn:rasd:story:%lld</id>\n    <title type=\"text\">",
               (long long)e->thread);
    xml_text(b, r0->headline ? r0->headline : r0->title ? r0->title : "(untitled story)");
    buf_printf(b, "</title>\n    <updated>%s</updated>\n", when);
    Buf link = {0};
    alerts_brief_link(&link, o->base_url, o->db_path, e->thread);
    if (o->base_url) {
        buf_puts(b, "    <link rel=\"alternate\" type=\"text/html\" href=\"");
        xml_text(b, link.data);
        buf_puts(b, "\"/>\n");
    }
    /* outlets, each once, as categories and in the summary */
    Buf outlets = {0};
    size_t nout = 0;
    for (size_t i = e->first; i < e->first + e->n; i++) {
        const char *ol = rows[i].outlet;
        int dup = 0;
        for (size_t k = e->first; k < i && !dup; k++)
            dup = ol && rows[k].outlet && !strcmp(ol, rows[k].outlet);
        if (!ol || dup)
            continue;
        buf_puts(b, "    <category term=\"");
        xml_text(b, ol);
        buf_puts(b, "\" scheme=\"urn:rasd:outlet\"/>\n");
        if (nout++)
            buf_puts(&outlets, "، ");
        buf_puts(&outlets, shown(nm, ol));
    }
    buf_printf(b, "    <summary type=\"text\">%zu articles from %zu outlets: ", e->n, nout);
    xml_text(b, outlets.data);
    buf_puts(b, "</summary>\n    <content type=\"html\">");
    Buf html = {0};
    buf_puts(&html, "<ul>");
    for (size_t i = e->first; i < e->first + e->n; i++) {
        const StoryRow *r = &rows[i];
        buf_puts(&html, "<li>");
        xml_text(&html, r->outlet ? shown(nm, r->outlet) : "?");
        buf_puts(&html, ": ");
        xml_text(&html, r->title ? r->title : "(untitled)");
        if (r->published) {
            buf_puts(&html, " (");
            xml_text(&html, r->published);
            buf_puts(&html, ")");
        }
        buf_puts(&html, "</li>");
    }
    buf_puts(&html, "</ul><p>Brief: ");
    xml_text(&html, link.data);
    buf_puts(&html, "</p>");
    xml_text(b, html.data); /* type="html": the markup itself is escaped once more */
    buf_puts(b, "</content>\n  </entry>\n");
    buf_free(&html);
    buf_free(&outlets);
    buf_free(&link);
}

rasd_err atom_write(Store *st, const AtomOpts *o,
                    const char *(*name)(void *ctx, const char *outlet), void *name_ctx,
                    Buf *out, rasd_error *err)
{
    Namer nm = {name, name_ctx};
    sqlite3 *db = store_sqlite_handle(st);
    StoryIndex ix;
    KeyHits kh = {o->entity_key, NULL, 0, 0, 0};
    Entry *ents = NULL;
    size_t ne = 0, max = o->max_entries ? o->max_entries : 50;
    rasd_err e = wstore_init(db, err);
    if (e != RASD_OK)
        return e;
    if ((e = story_index_load(st, &ix, err)) != RASD_OK)
        return e;
    if (o->entity_key) {
        e = store_each_mention(st, on_mention, &kh, err);
        if (e == RASD_OK && kh.oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory reading mentions");
        if (e != RASD_OK)
            goto out;
    }
    if (ix.n)
        qsort(ix.v, ix.n, sizeof *ix.v, cmp_thread); /* rows of a story together */
    ents = calloc(ix.n ? ix.n : 1, sizeof *ents);
    if (!ents) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ix.n;) {
        size_t j = i;
        int keep = !o->story || ix.v[i].thread == o->story;
        int named = !o->entity_key;
        while (j < ix.n && ix.v[j].thread == ix.v[i].thread) {
            if (!named && has_id(&kh, ix.v[j].article))
                named = 1;
            j++;
        }
        if (keep && named) {
            Entry *en = &ents[ne++];
            en->thread = ix.v[i].thread;
            en->first = i;
            en->n = j - i;
            if ((e = wstore_story_updated(db, en->thread, (int64_t)en->n, o->now, &en->updated,
                                          err)) != RASD_OK)
                goto out;
        }
        i = j;
    }
    if (o->story && !ne) {
        e = rasd_fail(err, RASD_ENOTFOUND, "no story %lld (see `rasd stories`)",
                      (long long)o->story);
        goto out;
    }
    qsort(ents, ne, sizeof *ents, cmp_entry);
    if (ne > max)
        ne = max;
    char when[32];
    iso(ne ? ents[0].updated : o->now, when, sizeof when);
    buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">\n");
    if (o->story)
        buf_printf(out, "  <id>urn:rasd:feed:story:%lld</id>\n  <title>rasd: story %lld</title>\n",
                   (long long)o->story, (long long)o->story);
    else if (o->entity_key) {
        buf_puts(out, "  <id>urn:rasd:feed:entity:");
        for (const unsigned char *p = (const unsigned char *)o->entity_key; *p; p++)
            buf_printf(out, "%02x", *p); /* the key may hold any letters: hex keeps a valid URN */
        buf_puts(out, "</id>\n  <title>rasd: stories naming ");
        xml_text(out, o->entity_key);
        buf_puts(out, "</title>\n");
    } else
        buf_puts(out, "  <id>urn:rasd:feed:stories</id>\n  <title>rasd: stories</title>\n");
    buf_printf(out, "  <updated>%s</updated>\n  <author><name>rasd</name></author>\n"
                    "  <generator version=\"%s\">rasd</generator>\n",
               when, RASD_VERSION);
    for (size_t i = 0; i < ne; i++)
        write_entry(out, o, &nm, &ents[i], ix.v);
    buf_puts(out, "</feed>\n");
    if (out->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory writing the feed");
out:
    free(ents);
    free(kh.ids);
    story_index_free(&ix);
    return e;
}
