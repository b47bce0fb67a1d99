/*
 * cmd_entities.c — `rasd entities`: every identity found in the stored
 * articles, most mentioned first, with its spellings, outlets and roles.
 *
 * The whole store is one read of the entity summary that ingest keeps
 * (store_each_entity). --story N groups the mentions of that story's
 * articles here instead: they come ordered by key, so one pass makes each
 * name, and the names are sorted by mentions at the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"

/* One name as JSON Lines or a text line, appended to o. */
static void print_entity(Buf *o, const StoredEntity *x, int json)
{
    if (json) {
        buf_puts(o, "{\"key\":");
        buf_put_json_string(o, x->key, strlen(x->key));
        buf_printf(o, ",\"type\":\"%s\",\"name\":", x->type);
        buf_put_json_string(o, x->name, strlen(x->name));
        buf_printf(o, ",\"mentions\":%lld,\"articles\":%lld,\"variants\":[",
                   (long long)x->mentions, (long long)x->articles);
        for (size_t i = 0; i < x->nspellings; i++) {
            buf_puts(o, i ? "," : "");
            buf_put_json_string(o, x->spellings[i].text, strlen(x->spellings[i].text));
        }
        buf_puts(o, "],\"spellings\":{");
        for (size_t i = 0; i < x->nspellings; i++) {
            buf_puts(o, i ? "," : "");
            buf_put_json_string(o, x->spellings[i].text, strlen(x->spellings[i].text));
            buf_printf(o, ":%lld", (long long)x->spellings[i].mentions);
        }
        buf_puts(o, "},\"outlets\":{");
        for (size_t i = 0; i < x->noutlets; i++) {
            const char *n = *x->outlets[i].text ? x->outlets[i].text : "-";
            buf_puts(o, i ? "," : "");
            buf_put_json_string(o, n, strlen(n));
            buf_printf(o, ":%lld", (long long)x->outlets[i].mentions);
        }
        buf_puts(o, "},\"roles\":{");
        for (size_t i = 0; i < x->nroles; i++) {
            buf_puts(o, i ? "," : "");
            buf_put_json_string(o, x->roles[i].text, strlen(x->roles[i].text));
            buf_printf(o, ":%lld", (long long)x->roles[i].mentions);
        }
        buf_puts(o, "}}\n");
        return;
    }
    buf_printf(o, "%-4s %5lld  ", x->type, (long long)x->mentions); /* spellings, not the key */
    for (size_t i = 0; i < x->nspellings; i++)
        buf_printf(o, "%s%s", i ? " / " : "", x->spellings[i].text);
    buf_puts(o, "   [");
    for (size_t i = 0; i < x->noutlets; i++)
        buf_printf(o, "%s%s: %lld", i ? ", " : "",
                   *x->outlets[i].text ? x->outlets[i].text : "-",
                   (long long)x->outlets[i].mentions);
    buf_puts(o, "]");
    for (size_t i = 0; i < x->nroles; i++)
        buf_printf(o, "%s%s (%lld)", i ? ", " : "   roles: ", x->roles[i].text,
                   (long long)x->roles[i].mentions);
    buf_puts(o, "\n");
}

typedef struct Out {
    Buf line;            /* output being built, flushed to stdout in blocks */
    int json;
} Out;

static int on_entity(void *ctx, const StoredEntity *x)
{
    Out *o = ctx;
    print_entity(&o->line, x, o->json);
    if (o->line.len > 1 << 16) {
        fwrite(o->line.data, 1, o->line.len, stdout);
        buf_reset(&o->line);
    }
    return 0;
}

/* ---- --story: grouping the story's mentions ---- */

typedef struct Group {
    Buf key, type;       /* the name being built */
    Buf text;            /* spellings and outlets, NUL-terminated, back to back */
    Buf spell, outl;     /* EntityCount arrays whose text is an offset into text */
    int64_t mentions, articles, last;
    Buf lasts;           /* int64_t per outlet: the last article counted */
    const int64_t *only; /* the story's article row ids, sorted */
    size_t nonly;
    Buf out;             /* finished lines, NUL-separated */
    struct Row { int64_t mentions; size_t off; } *rows; /* count and offset in out */
    size_t nrows, caprows;
    int json, oom;
    const EntityFilter *f; /* --type, --min, --limit */
} Group;

/* The index of s in list (EntityCount with offsets), added if new. */
static size_t slot(Group *g, Buf *list, const char *s)
{
    EntityCount *c = (EntityCount *)list->data;
    size_t n = list->len / sizeof *c;
    for (size_t i = 0; i < n; i++)
        if (strcmp(g->text.data + (size_t)c[i].text, s) == 0)
            return i;
    EntityCount x = {(const char *)(uintptr_t)g->text.len, 0, 0};
    buf_append(&g->text, s, strlen(s) + 1);
    buf_append(list, &x, sizeof x);
    if (list == &g->outl) {
        int64_t none = 0;
        buf_append(&g->lasts, &none, sizeof none);
    }
    return n;
}

static int by_use(const void *a, const void *b)
{
    const EntityCount *x = a, *y = b;
    if (x->mentions != y->mentions)
        return x->mentions < y->mentions ? 1 : -1;
    return strcmp(x->text, y->text);
}

static void flush(Group *g)
{
    if (!g->mentions || !store_entity_listed(g->f, g->key.data, g->type.data,
                                             (int64_t)g->mentions)) {
        g->mentions = 0;
        return;
    }
    /* offsets become pointers now that text no longer grows */
    Buf *lists[2] = {&g->spell, &g->outl};
    for (int l = 0; l < 2; l++) {
        EntityCount *c = (EntityCount *)lists[l]->data;
        size_t n = lists[l]->len / sizeof *c;
        for (size_t i = 0; i < n; i++)
            c[i].text = g->text.data + (size_t)(uintptr_t)c[i].text;
        if (n > 1)
            qsort(c, n, sizeof *c, by_use);
    }
    const EntityCount *sp = (const EntityCount *)g->spell.data;
    size_t nsp = g->spell.len / sizeof *sp;
    StoredEntity x = {g->key.data, g->type.data, nsp ? sp[0].text : "", g->mentions,
                      g->articles, sp, nsp, (const EntityCount *)g->outl.data,
                      g->outl.len / sizeof(EntityCount), NULL, 0};
    for (size_t i = 1; i < nsp; i++)
        if (4 * sp[i].mentions >= sp[0].mentions && strlen(sp[i].text) > strlen(x.name))
            x.name = sp[i].text;
    if (g->nrows == g->caprows) {
        size_t c = g->caprows ? g->caprows * 2 : 256;
        struct Row *r = realloc(g->rows, c * sizeof *r);
        if (!r) {
            g->oom = 1;
            g->mentions = 0;
            return;
        }
        g->rows = r;
        g->caprows = c;
    }
    g->rows[g->nrows++] = (struct Row){g->mentions, g->out.len};
    print_entity(&g->out, &x, g->json);
    buf_putc(&g->out, '\0');
    g->mentions = 0;
}

static int on_mention(void *ctx, const StoredMention *m)
{
    Group *g = ctx;
    if (!cli_has_id(g->only, g->nonly, m->article) || (g->f->type && strcmp(g->f->type, m->type)))
        return 0;
    if (!g->mentions || strcmp(g->key.data, m->key) != 0 || strcmp(g->type.data, m->type) != 0) {
        flush(g);
        buf_reset(&g->key);
        buf_puts(&g->key, m->key);
        buf_reset(&g->type);
        buf_puts(&g->type, m->type);
        buf_reset(&g->text);
        buf_reset(&g->spell);
        buf_reset(&g->outl);
        buf_reset(&g->lasts);
        g->articles = g->last = 0;
    }
    g->mentions++;
    if (g->last != m->article) {
        g->last = m->article;
        g->articles++;
    }
    size_t k = slot(g, &g->spell, m->text);
    ((EntityCount *)g->spell.data)[k].mentions++;
    k = slot(g, &g->outl, m->outlet ? m->outlet : "");
    ((EntityCount *)g->outl.data)[k].mentions++;
    int64_t *last = &((int64_t *)g->lasts.data)[k];
    if (*last != m->article) {
        *last = m->article;
        ((EntityCount *)g->outl.data)[k].articles++;
    }
    if (g->text.oom || g->spell.oom || g->outl.oom || g->lasts.oom)
        g->oom = 1;
    return g->oom;
}

/* Most mentioned first; equal counts keep key order (rows were made in it). */
static int by_mentions(const void *a, const void *b)
{
    const struct Row *x = a, *y = b;
    if (x->mentions != y->mentions)
        return x->mentions < y->mentions ? 1 : -1;
    return x->off < y->off ? -1 : 1;
}

static rasd_err story_entities(Store *st, Group *g, rasd_error *err)
{
    rasd_err e = store_each_mention(st, on_mention, g, err);
    flush(g);
    if (e == RASD_OK && g->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (g->nrows)
        qsort(g->rows, g->nrows, sizeof *g->rows, by_mentions);
    for (size_t i = 0; e == RASD_OK && i < g->nrows && (!g->f->limit || i < g->f->limit); i++)
        fputs(g->out.data + g->rows[i].off, stdout);
    Buf *bufs[] = {&g->key, &g->type, &g->text, &g->spell, &g->outl, &g->lasts, &g->out};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        buf_free(bufs[i]);
    free(g->rows);
    return e;
}

int cmd_entities(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"min", required_argument, 0, 'm'},
                                         {"story", required_argument, 0, 's'},
                                         {"type", required_argument, 0, 't'},
                                         {"limit", required_argument, 0, 'l'},
                                         {"adjectives", no_argument, 0, 'a'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *story = NULL;
    EntityFilter f = {0};
    f.min = 1;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'a': f.adjectives = 1; break;
        case 'm':
        case 'l': {
            long long v = strtoll(optarg, &end, 10);
            if (end == optarg || *end || v < 0) {
                cli_error("--%s takes a whole number >= 0, not '%s'", c == 'm' ? "min" : "limit",
                          optarg);
                return 2;
            }
            if (c == 'm')
                f.min = v;
            else
                f.limit = (size_t)v;
            break;
        }
        case 's': story = optarg; break;
        case 't':
            if (strcmp(optarg, "PER") && strcmp(optarg, "LOC") && strcmp(optarg, "ORG") &&
                strcmp(optarg, "MISC")) {
                cli_error("--type takes PER, LOC, ORG or MISC, not '%s'", optarg);
                return 2;
            }
            f.type = optarg;
            break;
        case 'h':
            fputs("usage: rasd entities [--db PATH] [--story N] [--type T] [--min N] [--limit N]"
                  " [--adjectives] [--json]\n"
                  "  every identity in the stored articles, most mentioned first: type,\n"
                  "  mentions, the spellings that share its key (most used first; --json:\n"
                  "  and the key), mentions per outlet and the offices the articles give it\n"
                  "  --adjectives  nationality adjectives (الروسي) too (also with --type)\n"
                  "  --min N   only identities mentioned at least N times\n"
                  "  --type T  only PER, LOC, ORG or MISC\n"
                  "  --limit N at most N identities\n"
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
    rasd_err e;
    if (story) {
        Group g = {0};
        g.json = json;
        g.f = &f;
        int64_t *ids = NULL;
        if (cli_story_articles(st, story, &ids, &g.nonly) < 0) {
            store_close(st);
            return 1;
        }
        g.only = ids;
        e = story_entities(st, &g, &err);
        free(ids);
    } else {
        Out o = {{0}, json};
        e = store_each_entity(st, &f, on_entity, &o, &err);
        if (o.line.len)
            fwrite(o.line.data, 1, o.line.len, stdout);
        buf_free(&o.line);
    }
    store_close(st);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}
