/*
 * cmd_search.c — `rasd search QUERY`: full-text search of the stored
 * articles (store/fts.h) with filters, BM25 ranking and highlighted
 * snippets; --group lists the hits story by story (a story's place is its
 * best hit's); --reindex rebuilds the index of an existing store.
 * Output: a readable list (matches in bold on a terminal, in [ ] otherwise)
 * or, with --json, one object per hit per line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd search [--db PATH] QUERY [--json] [--limit N] [--since D] [--until D]\n"
          "                   [--outlet O] [--story N] [--entity NAME] [--group] [--all]\n"
          "       rasd search [--db PATH] --reindex\n"
          "  QUERY         words (all must occur; if fewer hits than --limit, articles with\n"
          "                some of them follow), \"a phrase\", -word to exclude, =word for\n"
          "                exact forms (no stemming), a OR b. Diacritics, tatweel, hamza\n"
          "                forms and Arabic-Indic digits do not matter; a name also\n"
          "                finds its other spellings.\n"
          "  --limit N     hits (default 20)\n"
          "  --since D, --until D   publication dates YYYY[-MM[-DD]], inclusive\n"
          "  --outlet O    one outlet        --story N   one story (`rasd stories`)\n"
          "  --entity NAME articles naming this entity (any spelling)\n"
          "  --group       hits grouped by story\n"
          "  --all         only articles with every word (no fallback)\n"
          "  --json        one object per line: id, url, outlet, published, title,\n"
          "                snippet (matches in <mark></mark>), story, score, all_terms\n"
          "  --reindex     rebuild the search index from the stored articles\n"
          "  Each hit: rank, id, outlet (an article without one by its site or title),\n"
          "  date (\"(no date)\" when unknown), then title, snippet and URL.\n",
          to);
}

/* YYYY, YYYY-MM or YYYY-MM-DD */
static int date_ok(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    if (n >= 7) {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return 0;
    }
    if (n == 10) {
        int d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d < 1 || d > 31)
            return 0;
    }
    return 1;
}

static void put_opt(rasd_buf *b, const char *s)
{
    if (s)
        rasd_buf_put_json_string(b, s, strlen(s));
    else
        rasd_buf_puts(b, "null");
}

static void print_json(const rasd_hit *h, rasd_buf *b)
{
    rasd_buf_reset(b);
    rasd_buf_puts(b, "{\"id\":");
    rasd_buf_put_json_string(b, h->id, strlen(h->id));
    rasd_buf_puts(b, ",\"url\":");
    put_opt(b, h->url);
    rasd_buf_puts(b, ",\"outlet\":");
    put_opt(b, h->outlet);
    rasd_buf_puts(b, ",\"published\":");
    put_opt(b, h->published);
    rasd_buf_puts(b, ",\"title\":");
    put_opt(b, h->title);
    rasd_buf_puts(b, ",\"snippet\":");
    put_opt(b, h->snippet);
    if (h->story)
        rasd_buf_printf(b, ",\"story\":%lld", (long long)h->story);
    else
        rasd_buf_puts(b, ",\"story\":null");
    rasd_buf_printf(b, ",\"score\":%.4f,\"all_terms\":%s}\n", h->score, h->all_terms ? "true" : "false");
    fwrite(b->data, 1, b->len, stdout);
}

static rasd_engine *names_from; /* rasd_outlet_name's store (api helper's hook) */

/*
 * Where a hit comes from, named as a brief's citation names an article: its
 * outlet (by the name rasd_outlet_name shows), else the site of its URL,
 * else the start of its title (about 40 characters) — a hit carries no
 * agency. Into b (reset).
 */
static const char *hit_source(const rasd_hit *h, rasd_buf *b)
{
    if (h->outlet && *h->outlet)
        return rasd_outlet_name(names_from, h->outlet);
    rasd_buf_reset(b);
    if (rasd_cite_name(b, NULL, NULL, h->url, h->title) && b->data && !b->oom)
        return b->data;
    return "(no outlet)";
}

static void print_text(const rasd_hit *h, size_t rank, int indent)
{
    const char *pad = indent ? "  " : "";
    rasd_buf src = {0};
    printf("%s%zu. %s  %s  %s%s\n", pad, rank, h->id, hit_source(h, &src),
           h->published && *h->published ? h->published : "(no date)",
           h->all_terms ? "" : "  (some words)");
    rasd_buf_free(&src);
    if (h->title && *h->title)
        printf("%s   %s\n", pad, h->title);
    if (h->snippet && *h->snippet) {
        /* one line: the snippet's line breaks become spaces */
        printf("%s   ", pad);
        for (const char *p = h->snippet; *p; p++)
            putchar(*p == '\n' || *p == '\r' ? ' ' : *p);
        putchar('\n');
    }
    if (h->url && *h->url)
        printf("%s   %s\n", pad, h->url);
}

/* Hit order for --group: story of the best hit first; unassigned hits last, each alone. */
static void print_grouped(const rasd_hits *hits, int json, rasd_buf *b)
{
    char *done = calloc(hits->n ? hits->n : 1, 1);
    if (!done)
        return;
    size_t rank = 0;
    for (size_t i = 0; i < hits->n; i++) {
        if (done[i])
            continue;
        int64_t story = hits->v[i].story;
        if (!json) {
            if (story)
                printf("%sstory %lld\n", rank ? "\n" : "", (long long)story);
            else
                printf("%s(no story yet)\n", rank ? "\n" : "");
        }
        for (size_t k = i; k < hits->n; k++) {
            if (done[k] || (k != i && (!story || hits->v[k].story != story)))
                continue;
            done[k] = 1;
            if (json)
                print_json(&hits->v[k], b);
            else
                print_text(&hits->v[k], ++rank, 1);
        }
    }
    free(done);
}

static int parse_count(const char *opt, const char *v, long long *out)
{
    char *end;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n <= 0 || n > 1000000) {
        cli_error("%s: '%s' is not a number from 1 to 1000000", opt, v);
        return -1;
    }
    *out = n;
    return 0;
}

int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"limit", required_argument, 0, 'n'},
                                         {"since", required_argument, 0, 's'},
                                         {"until", required_argument, 0, 'u'},
                                         {"outlet", required_argument, 0, 'o'},
                                         {"story", required_argument, 0, 't'},
                                         {"entity", required_argument, 0, 'e'},
                                         {"group", no_argument, 0, 'g'},
                                         {"all", no_argument, 0, 'a'},
                                         {"reindex", no_argument, 0, 'r'},
                                         {"expr", no_argument, 0, 'x'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL;
    rasd_search_opts o = {0};
    int c, json = 0, group = 0, reindex = 0, show_expr = 0;
    long long n;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'n':
            if (parse_count("--limit", optarg, &n) != 0)
                return 2;
            o.limit = (size_t)n;
            break;
        case 's':
        case 'u':
            if (!date_ok(optarg)) {
                cli_error("--%s: '%s' is not a date YYYY[-MM[-DD]]", c == 's' ? "since" : "until",
                          optarg);
                return 2;
            }
            if (c == 's')
                o.since = optarg;
            else
                o.until = optarg;
            break;
        case 'o': o.outlet = optarg; break;
        case 't':
            if (parse_count("--story", optarg, &n) != 0)
                return 2;
            o.story = n;
            break;
        case 'e': o.entity = optarg; break;
        case 'g': group = 1; break;
        case 'a': o.all_terms = 1; break;
        case 'r': reindex = 1; break;
        case 'x': show_expr = 1; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (reindex ? optind != argc : optind + 1 != argc) {
        if (!reindex)
            cli_error("search needs one QUERY (quote it if it has several words)");
        help(stderr);
        return 2;
    }
    rasd_error err;
    if (!reindex && rasd_query_check(argv[optind], &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return 2;
    }
    rasd_engine *st = names_from = cli_open_engine(db, !reindex);
    if (!st)
        return 1;
    int rc = 0;
    if (reindex) {
        size_t n_art = 0;
        if (rasd_engine_reindex(st, &n_art, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
        } else {
            printf("search index rebuilt: %zu articles\n", n_art);
        }
        rasd_engine_close(st);
        return rc;
    }
    int tty = isatty(1);
    o.mark_open = json ? "<mark>" : tty ? "\033[1m" : "[";
    o.mark_close = json ? "</mark>" : tty ? "\033[0m" : "]";
    rasd_hits *hits = NULL;
    rasd_err e = rasd_engine_search(st, argv[optind], &o, &hits, &err);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        rc = e == RASD_EINVAL ? 2 : 1;
    } else {
        rasd_buf b = {0};
        if (show_expr)
            fprintf(stderr, "expression: %s\n", hits->expr);
        if (group)
            print_grouped(hits, json, &b);
        else
            for (size_t i = 0; i < hits->n; i++) {
                if (json)
                    print_json(&hits->v[i], &b);
                else
                    print_text(&hits->v[i], i + 1, 0);
            }
        if (!json && !hits->n)
            printf("no articles match\n");
        rasd_buf_free(&b);
    }
    rasd_hits_free(hits);
    rasd_engine_close(st);
    return rc;
}
