/*
 * cmd_quotes.c — `rasd quotes`: who said what in articles read from files
 * (plain text, HTML, feeds, JSON Lines: whatever `rasd analyze` reads), one
 * quotation a line: "speaker — cue — «text» [via]", or JSON Lines with
 * --json. --speaker keeps the quotes of one speaker, matched by identity
 * key (any spelling of the name) or by a part of the speaker's words.
 * --story N groups a story's quotations as its brief does: one group per
 * speaker (most statements first), one entry per statement with every
 * article that carried it. Through the public API (rasd_read_file,
 * rasd_text_quotes, rasd_engine_quotes, rasd_quotes_group).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd quotes [--speaker NAME] [--json] [--max-size N] FILE...|-\n"
          "       rasd quotes [--db PATH] --story N [--speaker NAME] [--json]\n"
          "  the quotations of each article: speaker, cue, quoted words, channel.\n"
          "  --speaker NAME  only quotes whose speaker has NAME's identity key, or\n"
          "                  whose speaker's words contain NAME\n"
          "  --json          JSON Lines, one quote a line: file, speaker, speaker_key,\n"
          "                  kind, cue, text, direct, via, start, end (UTF-8 byte\n"
          "                  offsets into the article's text, as in rasd analyze)\n"
          "  --story N       the quotations of story N (see rasd stories), grouped:\n"
          "                  one group per speaker, the most statements first; one\n"
          "                  entry per statement with every article (outlet) that\n"
          "                  carried it (--json: one line per statement, with\n"
          "                  \"group\" and \"sources\")\n"
          "  --lines         the format of tests/golden/quotes*.txt, one article\n"
          "                  after another (\"(none)\" when it has no quotes);\n"
          "                  with --story, each article's stored quotes ungrouped\n",
          to);
}

static int contains(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || m > n)
        return m == 0;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

static void put_plain(rasd_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rasd_buf_putc(b, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
}

/* What one run prints: the options and the state shared by every article. */
typedef struct Run {
    const char *speaker;  /* --speaker, or NULL */
    char *key;            /* its identity key */
    size_t key_len;
    char *norm;           /* its words, normalised */
    size_t norm_len;
    int json, lines;
    rasd_text *t;         /* for files: the text core */
    const char *file;     /* the file being read (a file's articles) */
    rasd_buf line;             /* one output line */
    int failed;
} Run;

/* Does quotation x's speaker match --speaker (key, or normalised words)? */
static int speaker_matches(const Run *r, const char *text, const rasd_quote *x)
{
    if (r->key_len && x->key && x->key_len == r->key_len &&
        memcmp(x->key, r->key, r->key_len) == 0)
        return 1;
    uint32_t spans[2][2] = {{x->spk_start, x->spk_end}, {x->said_start, x->said_end}};
    for (int i = 0; i < 2; i++) {
        if (spans[i][0] >= spans[i][1])
            continue;
        char *o = NULL;
        size_t ol = 0;
        if (rasd_normalise(text + spans[i][0], spans[i][1] - spans[i][0], RASD_NORM_KEY, &o, &ol,
                           NULL, NULL) != RASD_OK)
            continue;
        int hit = contains(o, ol, r->norm, r->norm_len);
        free(o);
        if (hit)
            return 1;
    }
    return 0;
}

/* "speaker — cue — «text» [via]" */
static void put_line(rasd_buf *line, const char *text, const rasd_quote *x)
{
    if (x->spk_start < x->spk_end)
        put_plain(line, text + x->spk_start, x->spk_end - x->spk_start);
    else
        rasd_buf_putc(line, '?');
    rasd_buf_puts(line, " — ");
    if (x->cue_start < x->cue_end)
        put_plain(line, text + x->cue_start, x->cue_end - x->cue_start);
    else
        rasd_buf_putc(line, '-');
    rasd_buf_puts(line, x->direct ? " — «" : " — ");
    put_plain(line, text + x->start, x->end - x->start);
    if (x->direct)
        rasd_buf_puts(line, "»");
    if (x->via_start < x->via_end) {
        rasd_buf_puts(line, " [");
        put_plain(line, text + x->via_start, x->via_end - x->via_start);
        rasd_buf_putc(line, ']');
    }
}

/* Prints the quotations of one article (origin names it). */
static void print_quotes(Run *r, const rasd_quotes *q, const char *origin)
{
    char *s = NULL;
    size_t n = 0;
    if (r->lines) {
        if (rasd_quotes_render(q, RASD_FMT_TEXT, 0, &s, &n, NULL) == RASD_OK) {
            fwrite(s, 1, n, stdout);
            putchar('\n');
        }
        rasd_free(s);
        return;
    }
    const char *text = rasd_quotes_text(q, NULL);
    for (size_t i = 0; i < rasd_quotes_count(q); i++) {
        rasd_quote x;
        rasd_quotes_get(q, i, &x);
        if (r->speaker && !speaker_matches(r, text, &x))
            continue;
        rasd_buf_reset(&r->line);
        if (r->json) {
            if (rasd_quotes_render(q, RASD_FMT_JSON, i, &s, &n, NULL) != RASD_OK) {
                r->line.oom = 1;
            } else { /* {"file":…, then the object without its own opening brace */
                rasd_buf_puts(&r->line, "{\"file\":");
                rasd_buf_put_json_string(&r->line, origin, strlen(origin));
                rasd_buf_putc(&r->line, ',');
                rasd_buf_append(&r->line, s + 1, n - 1);
            }
            rasd_free(s);
            s = NULL;
        } else {
            put_line(&r->line, text, &x);
        }
        rasd_buf_putc(&r->line, '\n');
        if (r->line.oom) {
            cli_error("out of memory");
            r->failed = 1;
            break;
        }
        fwrite(r->line.data, 1, r->line.len, stdout);
    }
}

static void on_item_error(void *ctx, const char *msg)
{
    Run *r = ctx;
    cli_error("%s", msg);
    r->failed = 1;
}

/* A file's article: analysed here. */
static int on_file_article(void *ctx, const rasd_article *a)
{
    Run *r = ctx;
    const char *origin = a->origin ? a->origin : r->file;
    const char *body = a->text ? a->text : "";
    rasd_quotes *q = NULL;
    rasd_error err;
    if (rasd_text_quotes(r->t, body, strlen(body), &q, &err) != RASD_OK) {
        cli_error("%s: %s", origin, err.msg);
        r->failed = 1;
    } else {
        print_quotes(r, q, origin);
    }
    rasd_quotes_free(q);
    return 0;
}

/* A story's quotations, grouped (rasd_quotes_group): one group per
   speaker, one entry per statement with every article that carried it. */
typedef struct Story {
    rasd_article **arts;   /* the story's articles (NULL: not readable) */
    rasd_quotes **qs;      /* their stored quotations (NULL: none) */
    size_t n;
    rasd_quote_ref *refs;  /* every quotation */
    size_t nrefs;
    size_t *group;         /* per ref: index of its group's first ref */
    size_t *order;         /* group heads, the most statements first */
    size_t ngroups;
} Story;

static rasd_quote ref_quote(const Story *st, size_t i, const char **text)
{
    rasd_quote x;
    const rasd_quotes *q = st->qs[st->refs[i].doc];
    rasd_quotes_get(q, st->refs[i].q, &x);
    *text = rasd_quotes_text(q, NULL);
    return x;
}

/* The speaker's words of ref i (as best named, else as said), or empty. */
static void ref_speaker(const Story *st, size_t i, const char **s, size_t *n)
{
    const char *text;
    rasd_quote x = ref_quote(st, i, &text);
    uint32_t a = x.spk_start < x.spk_end ? x.spk_start : x.said_start;
    uint32_t b = x.spk_start < x.spk_end ? x.spk_end : x.said_end;
    *s = text + a;
    *n = b - a;
}

/* Groups: a keyed speaker's group is rasd_quotes_group's; quotes with no
   key share a group when their speaker's words are the same (مصادر). */
static void story_groups(Story *st)
{
    for (size_t i = 0; i < st->nrefs; i++) {
        const char *text, *si, *sj;
        size_t ni, nj;
        rasd_quote x = ref_quote(st, i, &text);
        st->group[i] = x.key ? st->refs[i].speaker : i;
        if (x.key)
            continue;
        ref_speaker(st, i, &si, &ni);
        for (size_t j = 0; j < i && ni; j++) {
            rasd_quote y = ref_quote(st, j, &text);
            ref_speaker(st, j, &sj, &nj);
            if (!y.key && st->group[j] == j && ni == nj && memcmp(si, sj, ni) == 0) {
                st->group[i] = j;
                break;
            }
        }
    }
}

/* Distinct statements of group g. */
static size_t statements(const Story *st, size_t g)
{
    size_t k = 0;
    for (size_t i = 0; i < st->nrefs; i++)
        k += st->group[i] == g && st->refs[i].entry == i;
    return k;
}

static const Story *sort_story; /* for cmp_groups (qsort has no context) */

/* Named speakers first, then the most statements, then the first quoted. */
static int cmp_groups(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const char *t;
    int ka = ref_quote(sort_story, a, &t).key != NULL, kb = ref_quote(sort_story, b, &t).key != NULL;
    if (ka != kb)
        return kb - ka;
    size_t sa = statements(sort_story, a), sb = statements(sort_story, b);
    if (sa != sb)
        return sa < sb ? 1 : -1;
    return a < b ? -1 : a > b;
}

/* Prints group g: its speaker (the longest naming among its quotes), then
   each statement with its sources; as JSON one line per statement. */
static void print_group(Run *r, const Story *st, size_t g)
{
    size_t best = g, bestn = 0;
    int any = !r->speaker;
    for (size_t i = 0; i < st->nrefs; i++) {
        if (st->group[i] != g)
            continue;
        const char *s, *text;
        size_t n;
        ref_speaker(st, i, &s, &n);
        if (n > bestn) {
            bestn = n;
            best = i;
        }
        rasd_quote x = ref_quote(st, i, &text);
        any = any || speaker_matches(r, text, &x);
    }
    if (!any)
        return;
    const char *name;
    size_t namen;
    ref_speaker(st, best, &name, &namen);
    if (!r->json) {
        rasd_buf_reset(&r->line);
        if (namen)
            put_plain(&r->line, name, namen);
        else
            rasd_buf_putc(&r->line, '?');
        size_t k = statements(st, g);
        rasd_buf_printf(&r->line, " (%zu statement%s)\n", k, k == 1 ? "" : "s");
        fwrite(r->line.data, 1, r->line.len, stdout);
    }
    for (size_t e = 0; e < st->nrefs; e++) {
        if (st->group[e] != g || st->refs[e].entry != e)
            continue;
        const char *text;
        rasd_quote x = ref_quote(st, e, &text);
        const rasd_article *fa = st->arts[st->refs[e].doc];
        rasd_buf_reset(&r->line);
        if (r->json) {
            char *o = NULL;
            size_t on = 0;
            if (rasd_quotes_render(st->qs[st->refs[e].doc], RASD_FMT_JSON, st->refs[e].q, &o, &on,
                                   NULL) != RASD_OK || on < 2) {
                r->line.oom = 1;
            } else { /* {"file":…,"group":…, the object's fields, "sources":[…]} */
                rasd_buf_puts(&r->line, "{\"file\":");
                rasd_buf_put_json_string(&r->line, fa->id, strlen(fa->id));
                rasd_buf_puts(&r->line, ",\"group\":");
                rasd_buf_put_json_string(&r->line, name, namen);
                rasd_buf_putc(&r->line, ',');
                rasd_buf_append(&r->line, o + 1, on - 2);
                rasd_buf_puts(&r->line, ",\"sources\":[");
            }
            rasd_free(o);
        } else {
            rasd_buf_puts(&r->line, "  ");
            put_line(&r->line, text, &x);
            rasd_buf_puts(&r->line, "\n    ");
        }
        int first = 1;
        for (size_t i = e; i < st->nrefs; i++) {
            if (st->refs[i].entry != e)
                continue;
            size_t d = st->refs[i].doc, j = e;
            while (j < i && !(st->refs[j].entry == e && st->refs[j].doc == d))
                j++;
            if (j < i)
                continue; /* the article was listed already */
            const rasd_article *a = st->arts[d];
            const char *outlet = a->outlet ? a->outlet : "";
            if (r->json) {
                rasd_quote y = ref_quote(st, i, &text);
                rasd_buf_puts(&r->line, first ? "{\"article\":" : ",{\"article\":");
                rasd_buf_put_json_string(&r->line, a->id, strlen(a->id));
                rasd_buf_puts(&r->line, ",\"outlet\":");
                rasd_buf_put_json_string(&r->line, outlet, strlen(outlet));
                rasd_buf_printf(&r->line, ",\"start\":%u,\"end\":%u}", (unsigned)y.start,
                                (unsigned)y.end);
            } else {
                rasd_buf_printf(&r->line, "%s%s%s%s%s", first ? "sources: " : ", ", a->id,
                                *outlet ? " (" : "", outlet, *outlet ? ")" : "");
            }
            first = 0;
        }
        rasd_buf_puts(&r->line, r->json ? "]}\n" : "\n");
        if (r->line.oom) {
            cli_error("out of memory");
            r->failed = 1;
            return;
        }
        fwrite(r->line.data, 1, r->line.len, stdout);
    }
}

static void story_free(Story *st)
{
    for (size_t i = 0; i < st->n; i++) {
        rasd_quotes_free(st->qs ? st->qs[i] : NULL);
        rasd_article_free(st->arts ? st->arts[i] : NULL);
    }
    free(st->arts);
    free(st->qs);
    rasd_free(st->refs);
    free(st->group);
    free(st->order);
}

/* A story's articles: read with their stored annotations, never
   re-analysed; --lines prints each article's quotes as they are stored. */
static void story_quotes(Run *r, const char *db, const char *story)
{
    rasd_engine *e = cli_open_engine(db, 1);
    int64_t *rows = NULL;
    size_t n = 0;
    Story st = {0};
    rasd_error err;
    if (!e || cli_story_rows(e, story, &rows, &n) < 0) {
        r->failed = 1;
        goto out;
    }
    st.arts = calloc(n ? n : 1, sizeof *st.arts);
    st.qs = calloc(n ? n : 1, sizeof *st.qs);
    if (!st.arts || !st.qs) {
        cli_error("out of memory");
        r->failed = 1;
        goto out;
    }
    st.n = n;
    for (size_t i = 0; i < n; i++) {
        char row[32];
        snprintf(row, sizeof row, "%lld", (long long)rows[i]);
        if (rasd_engine_article(e, row, &st.arts[i], &err) != RASD_OK)
            continue;
        if (rasd_engine_quotes(e, rows[i], &st.qs[i], &err) != RASD_OK) {
            cli_error("%s: %s", st.arts[i]->id, err.msg);
            r->failed = 1;
            st.qs[i] = NULL;
        } else if (r->lines) {
            print_quotes(r, st.qs[i], st.arts[i]->id);
        }
    }
    if (r->lines)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (!st.arts[i]) { /* (no article, no quotes: nothing refers to it) */
            rasd_quotes_free(st.qs[i]);
            st.qs[i] = NULL;
        }
    if (rasd_quotes_group((const rasd_quotes *const *)st.qs, n, &st.refs, &st.nrefs, &err) !=
        RASD_OK) {
        cli_error("%s", err.msg);
        r->failed = 1;
        goto out;
    }
    st.group = malloc((st.nrefs ? st.nrefs : 1) * sizeof *st.group);
    st.order = malloc((st.nrefs ? st.nrefs : 1) * sizeof *st.order);
    if (!st.group || !st.order) {
        cli_error("out of memory");
        r->failed = 1;
        goto out;
    }
    story_groups(&st);
    for (size_t i = 0; i < st.nrefs; i++)
        if (st.group[i] == i)
            st.order[st.ngroups++] = i;
    sort_story = &st;
    qsort(st.order, st.ngroups, sizeof *st.order, cmp_groups);
    for (size_t k = 0; k < st.ngroups && !r->failed; k++)
        print_group(r, &st, st.order[k]);
out:
    story_free(&st);
    rasd_free(rows);
    rasd_engine_close(e);
}

int cmd_quotes(int argc, char **argv)
{
    static const struct option opts[] = {{"speaker", required_argument, 0, 's'},
                                         {"json", no_argument, 0, 'j'},
                                         {"lines", no_argument, 0, 'l'},
                                         {"max-size", required_argument, 0, 'm'},
                                         {"story", required_argument, 0, 'S'},
                                         {"db", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *story = NULL, *db = NULL;
    Run r = {0};
    int c;
    size_t max = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's': r.speaker = optarg; break;
        case 'j': r.json = 1; break;
        case 'l': r.lines = 1; break;
        case 'm': max = (size_t)strtoull(optarg, NULL, 10); break;
        case 'S': story = optarg; break;
        case 'd': db = optarg; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if ((optind >= argc) == !story) {
        help(stderr);
        return 2;
    }
    if (r.speaker &&
        (rasd_name_key(r.speaker, strlen(r.speaker), RASD_NAME_KEY, &r.key, &r.key_len, NULL) !=
             RASD_OK ||
         rasd_normalise(r.speaker, strlen(r.speaker), RASD_NORM_KEY, &r.norm, &r.norm_len, NULL,
                        NULL) != RASD_OK)) {
        cli_error("--speaker %s: not valid text", r.speaker);
        rasd_free(r.key);
        return 2;
    }
    rasd_error err;
    if (story) {
        story_quotes(&r, db, story);
    } else if (rasd_text_new(&r.t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        r.failed = 1;
    } else {
        for (int i = optind; i < argc; i++) {
            r.file = argv[i];
            if (rasd_read_file(argv[i], max, on_file_article, on_item_error, &r, &err) !=
                RASD_OK) {
                cli_error("%s", err.msg);
                r.failed = 1;
            }
        }
    }
    rasd_buf_free(&r.line);
    rasd_free(r.key);
    free(r.norm);
    rasd_text_free(r.t);
    return r.failed;
}
