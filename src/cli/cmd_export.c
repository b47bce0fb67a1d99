/*
 * cmd_export.c — `rasd export (--story N | --query Q) [--csv | --jsonl]`:
 * streams every article of a story or of a search (full text included),
 * one at a time. CSV follows RFC 4180: a header line, every field quoted,
 * inner quotes doubled, CRLF line ends (line breaks inside a field kept).
 * JSON Lines: one object per line with id, url, outlet, published, title,
 * story, text. Through the public API (rasd_engine_story_rows,
 * rasd_engine_search, rasd_engine_each_article_row).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd export [--db PATH] (--story N | --query Q) [--csv | --jsonl]\n"
          "  --story N   every article of story N (`rasd stories`), in stored order\n"
          "  --query Q   every article that `rasd search Q --all` finds, best first\n"
          "  --jsonl     one JSON object per line (default): id, url, outlet,\n"
          "              published, title, story, text\n"
          "  --csv       RFC 4180 CSV with a header: id,url,outlet,published,title,story,text\n",
          to);
}

typedef struct Exp {
    int csv;
    rasd_buf b;          /* one record */
    size_t n;       /* records written */
    int failed;     /* stdout write failed */
} Exp;

static void csv_field(rasd_buf *b, const char *s, int last)
{
    rasd_buf_putc(b, '"');
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            rasd_buf_putc(b, '"');
        rasd_buf_putc(b, *p);
    }
    rasd_buf_putc(b, '"');
    rasd_buf_puts(b, last ? "\r\n" : ",");
}

static void json_field(rasd_buf *b, const char *name, const char *s)
{
    rasd_buf_printf(b, ",\"%s\":", name);
    if (s)
        rasd_buf_put_json_string(b, s, strlen(s));
    else
        rasd_buf_puts(b, "null");
}

static int on_article(void *ctx, const rasd_article *a, int64_t story_id)
{
    Exp *x = ctx;
    rasd_buf *b = &x->b;
    rasd_buf_reset(b);
    char story[32] = "";
    if (story_id)
        snprintf(story, sizeof story, "%lld", (long long)story_id);
    if (x->csv) {
        csv_field(b, a->id, 0);
        csv_field(b, a->url, 0);
        csv_field(b, a->outlet, 0);
        csv_field(b, a->published, 0);
        csv_field(b, a->title, 0);
        csv_field(b, story, 0);
        csv_field(b, a->text, 1);
    } else {
        rasd_buf_puts(b, "{\"id\":");
        rasd_buf_put_json_string(b, a->id ? a->id : "", a->id ? strlen(a->id) : 0);
        json_field(b, "url", a->url);
        json_field(b, "outlet", a->outlet);
        json_field(b, "published", a->published);
        json_field(b, "title", a->title);
        if (story_id)
            rasd_buf_printf(b, ",\"story\":%s", story);
        else
            rasd_buf_puts(b, ",\"story\":null");
        json_field(b, "text", a->text);
        rasd_buf_puts(b, "}\n");
    }
    if (b->oom || fwrite(b->data, 1, b->len, stdout) != b->len) {
        x->failed = 1;
        return 1;
    }
    x->n++;
    return 0;
}

/* The row ids of every article a search finds (all words required), best first. */
static int query_ids(rasd_engine *st, const char *query, int64_t **ids, size_t *n)
{
    rasd_error err;
    if (rasd_query_check(query, &err) != RASD_OK) {
        cli_error("--query: %s", err.msg);
        return 2;
    }
    rasd_search_opts o = {0};
    o.limit = 1000000;
    o.all_terms = 1;
    rasd_hits *hits = NULL;
    rasd_err e = rasd_engine_search(st, query, &o, &hits, &err);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return e == RASD_EINVAL ? 2 : 1;
    }
    *ids = malloc((hits->n ? hits->n : 1) * sizeof **ids);
    if (!*ids) {
        rasd_hits_free(hits);
        cli_error("out of memory");
        return 1;
    }
    for (size_t i = 0; i < hits->n; i++)
        (*ids)[i] = hits->v[i].row;
    *n = hits->n;
    rasd_hits_free(hits);
    return 0;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"story", required_argument, 0, 's'},
                                         {"query", required_argument, 0, 'q'},
                                         {"csv", no_argument, 0, 'c'},
                                         {"jsonl", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *story = NULL, *query = NULL;
    Exp x = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': story = optarg; break;
        case 'q': query = optarg; break;
        case 'c': x.csv = 1; break;
        case 'j': x.csv = 0; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind != argc || !story == !query) {
        cli_error("export needs exactly one of --story N or --query Q");
        help(stderr);
        return 2;
    }
    rasd_engine *st = cli_open_engine(db, 1);
    if (!st)
        return 1;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = story ? (cli_story_rows(st, story, &ids, &n) ? 1 : 0) : query_ids(st, query, &ids, &n);
    if (rc == 0) {
        if (x.csv)
            fputs("\"id\",\"url\",\"outlet\",\"published\",\"title\",\"story\",\"text\"\r\n",
                  stdout);
        rasd_error err;
        if (rasd_engine_each_article_row(st, ids, n, on_article, &x, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
        } else if (x.failed || fflush(stdout) != 0) {
            cli_error("cannot write the export to standard output");
            rc = 1;
        }
    }
    rasd_free(ids);
    rasd_buf_free(&x.b);
    rasd_engine_close(st);
    return rc;
}
