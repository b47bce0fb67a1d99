/*
 * cmd_entities.c — `rasd entities`: every identity found in the stored
 * articles, with its spellings, mention counts per outlet and type.
 * Mentions come ordered by key, so one pass groups them; the groups are
 * printed most mentioned first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"

typedef struct Group {
    Buf key, type;      /* identity key and type of the group being built */
    Buf variants;       /* distinct spellings, NUL-separated (in key order) */
    size_t nvariants;
    Buf outlets;        /* outlet names, NUL-separated, parallel to counts */
    size_t *counts;     /* mentions per outlet */
    size_t noutlets, cap;
    size_t mentions;    /* all mentions */
    int json;           /* JSON Lines output */
    int adjectives;     /* list nationality adjectives (key "adj:...") too */
    size_t min;         /* groups with fewer mentions are not printed */
    Buf line;           /* output line being built */
    Buf out;            /* all finished lines, NUL-separated */
    struct Row { size_t mentions, off; } *rows; /* finished lines: count, offset in out */
    size_t nrows, caprows;
    const int64_t *only; /* --story: the story's article row ids, sorted, or NULL */
    size_t nonly;
} Group;

/* Index of s in a NUL-separated list of n strings, or -1. */
static long find(const Buf *list, size_t n, const char *s)
{
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = list->data + off;
        if (strcmp(p, s) == 0)
            return (long)i;
        off += strlen(p) + 1;
    }
    return -1;
}

static void flush(Group *g)
{
    if (!g->mentions || g->mentions < g->min ||
        (!g->adjectives && strncmp(g->key.data ? g->key.data : "", "adj:", 4) == 0)) {
        g->mentions = 0;
        return;
    }
    Buf *o = &g->line;
    buf_reset(o);
    if (g->json) {
        buf_puts(o, "{\"key\":");
        buf_put_json_string(o, g->key.data, g->key.len);
        buf_printf(o, ",\"type\":\"%s\",\"mentions\":%zu,\"variants\":[", g->type.data,
                   g->mentions);
    } else {
        buf_printf(o, "%-4s %5zu  ", g->type.data, g->mentions); /* spellings, not the key */
    }
    size_t off = 0;
    for (size_t i = 0; i < g->nvariants; i++) {
        const char *v = g->variants.data + off;
        if (g->json) {
            if (i)
                buf_putc(o, ',');
            buf_put_json_string(o, v, strlen(v));
        } else {
            buf_puts(o, i ? " / " : "");
            buf_puts(o, v);
        }
        off += strlen(v) + 1;
    }
    buf_puts(o, g->json ? "],\"outlets\":{" : "   [");
    off = 0;
    for (size_t i = 0; i < g->noutlets; i++) {
        const char *v = g->outlets.data + off;
        if (g->json) {
            if (i)
                buf_putc(o, ',');
            buf_put_json_string(o, v, strlen(v));
            buf_printf(o, ":%zu", g->counts[i]);
        } else {
            buf_printf(o, "%s%s: %zu", i ? ", " : "", v, g->counts[i]);
        }
        off += strlen(v) + 1;
    }
    buf_puts(o, g->json ? "}}\n" : "]\n");
    if (g->nrows == g->caprows) {
        size_t c = g->caprows ? g->caprows * 2 : 256;
        struct Row *r = realloc(g->rows, c * sizeof *r);
        if (!r) {
            g->mentions = 0;
            return;
        }
        g->rows = r;
        g->caprows = c;
    }
    g->rows[g->nrows++] = (struct Row){g->mentions, g->out.len};
    buf_append(&g->out, o->data, o->len + 1);
    g->mentions = 0;
}

/* Most mentioned first; equal counts keep key order (rows were made in it). */
static int by_mentions(const void *a, const void *b)
{
    const struct Row *x = a, *y = b;
    if (x->mentions != y->mentions)
        return x->mentions < y->mentions ? 1 : -1;
    return x->off < y->off ? -1 : 1;
}

static int on_mention(void *ctx, const StoredMention *m)
{
    Group *g = ctx;
    if (g->only && !cli_has_id(g->only, g->nonly, m->article))
        return 0;
    if (!g->mentions || strcmp(g->key.data, m->key) != 0 || strcmp(g->type.data, m->type) != 0) {
        flush(g);
        buf_reset(&g->key);
        buf_puts(&g->key, m->key);
        buf_reset(&g->type);
        buf_puts(&g->type, m->type);
        buf_reset(&g->variants);
        buf_reset(&g->outlets);
        g->nvariants = g->noutlets = 0;
    }
    g->mentions++;
    if (find(&g->variants, g->nvariants, m->text) < 0) {
        buf_append(&g->variants, m->text, strlen(m->text) + 1);
        g->nvariants++;
    }
    const char *outlet = m->outlet ? m->outlet : "-";
    long k = find(&g->outlets, g->noutlets, outlet);
    if (k < 0) {
        if (g->noutlets == g->cap) {
            size_t c = g->cap ? g->cap * 2 : 16;
            size_t *p = realloc(g->counts, c * sizeof *p);
            if (!p)
                return 1;
            g->counts = p;
            g->cap = c;
        }
        buf_append(&g->outlets, outlet, strlen(outlet) + 1);
        k = (long)g->noutlets;
        g->counts[g->noutlets++] = 0;
    }
    g->counts[k]++;
    return 0;
}

int cmd_entities(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"min", required_argument, 0, 'm'},
                                         {"adjectives", no_argument, 0, 'a'},
                                         {"story", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *story = NULL;
    Group g = {0};
    g.min = 1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': g.json = 1; break;
        case 'a': g.adjectives = 1; break;
        case 'm': g.min = (size_t)strtoul(optarg, NULL, 10); break;
        case 's': story = optarg; break;
        case 'h':
            fputs("usage: rasd entities [--db PATH] [--story N] [--json] [--min N] [--adjectives]\n"
                  "  every identity in the stored articles: type, mentions, the spellings\n"
                  "  that share its key (--json: and the key), and mentions per outlet\n"
                  "  --min N   only identities mentioned at least N times\n"
                  "  --adjectives  nationality adjectives (الروسي) too, listed apart\n"
                  "  --story N only the articles of story N (see rasd stories)\n",
                  stdout);
            return 0;
        default: return 2;
        }
    }
    if (optind != argc) {
        cli_error("entities takes no arguments (see rasd entities --help)");
        return 2;
    }
    rasd_error err;
    Store *st = cli_open_store(db, 1);
    if (!st)
        return 1;
    int64_t *ids = NULL;
    if (story) {
        if (cli_story_articles(st, story, &ids, &g.nonly) < 0) {
            store_close(st);
            return 1;
        }
        g.only = ids;
    }
    rasd_err e = store_each_mention(st, on_mention, &g, &err);
    free(ids);
    flush(&g);
    store_close(st);
    if (g.nrows)
        qsort(g.rows, g.nrows, sizeof *g.rows, by_mentions);
    for (size_t i = 0; i < g.nrows; i++)
        fputs(g.out.data + g.rows[i].off, stdout);
    buf_free(&g.out);
    free(g.rows);
    buf_free(&g.key);
    buf_free(&g.type);
    buf_free(&g.variants);
    buf_free(&g.outlets);
    buf_free(&g.line);
    free(g.counts);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}
