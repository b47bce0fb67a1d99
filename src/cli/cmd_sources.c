/*
 * cmd_sources.c — `rasd sources`: the sources `rasd watch` polls, with
 * their state (kind, articles stored, errors in a row and in all, last
 * success, next poll, last error); `add`, `rm` and `import` manage them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"


static void help(FILE *to)
{
    fputs("usage: rasd sources [--db PATH] [--json]          list sources and their state\n"
          "       rasd sources [--db PATH] add URL [OUTLET]  add one source\n"
          "       rasd sources [--db PATH] import FILE       add a list or an OPML file\n"
          "       rasd sources [--db PATH] rm URL|ID         remove a source\n",
          to);
}

static void fmt_time(int64_t t, char *out, size_t n)
{
    if (!t) {
        snprintf(out, n, "never");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void json_str(rasd_buf *b, const char *k, const char *v)
{
    rasd_buf_printf(b, ",\"%s\":", k);
    if (v)
        rasd_buf_put_json_string(b, v, strlen(v));
    else
        rasd_buf_puts(b, "null");
}

typedef struct Lister {
    rasd_buf b;               /* one line */
    int json;
} Lister;

static int on_source(void *ctx, const rasd_source *s)
{
    Lister *l = ctx;
    rasd_buf *b = &l->b;
    char ok[32], next[32];
    fmt_time(s->last_success, ok, sizeof ok);
    fmt_time(s->next_poll, next, sizeof next);
    rasd_buf_reset(b);
    if (l->json) {
        rasd_buf_printf(b, "{\"id\":%lld", (long long)s->id);
        json_str(b, "url", s->url);
        json_str(b, "outlet", s->outlet);
        json_str(b, "kind", s->kind);
        rasd_buf_printf(b, ",\"articles\":%lld,\"errors\":%lld,\"errors_total\":%lld",
                   (long long)s->items, (long long)s->errors, (long long)s->errors_total);
        json_str(b, "last_success", s->last_success ? ok : NULL);
        json_str(b, "next_poll", next);
        rasd_buf_printf(b, ",\"interval_s\":%lld", (long long)s->interval_s);
        json_str(b, "etag", s->etag);
        json_str(b, "last_modified", s->last_modified);
        json_str(b, "last_error", s->last_error);
        rasd_buf_puts(b, "}\n");
    } else {
        rasd_buf_printf(b, "%lld\t%s\t%s\t%s\t%lld articles\t%lld errors (%lld in all)\t"
                       "last success %s\tnext %s%s%s\n",
                   (long long)s->id, s->url, s->outlet ? s->outlet : "-",
                   s->kind ? s->kind : "-", (long long)s->items, (long long)s->errors,
                   (long long)s->errors_total, ok, next, s->last_error ? "\t" : "",
                   s->last_error ? s->last_error : "");
    }
    fwrite(b->data, 1, b->len, stdout);
    return 0;
}

static int list(rasd_engine *en, int json)
{
    rasd_error err;
    Lister l = {{0}, json};
    rasd_err e = rasd_engine_each_source(en, on_source, &l, &err);
    rasd_buf_free(&l.b);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}

static void on_skip(void *ctx, const char *msg)
{
    (*(size_t *)ctx)++;
    cli_error("%s", msg);
}

int cli_add_sources(rasd_engine *en, const char *path, int64_t interval)
{
    rasd_buf b = {0};
    if (cli_read_file(path, &b) < 0)
        return -1;
    rasd_error err;
    size_t n = 0, added = 0, skipped = 0;
    rasd_err e = rasd_engine_import_sources(en, b.data ? b.data : "", b.len, path, interval,
                                            on_skip, &skipped, &n, &added, &err);
    rasd_buf_free(&b);
    if (e != RASD_OK)
        cli_error("%s", err.msg);
    else
        fprintf(stderr, "rasd: %s: %zu sources (%zu new)%s\n", path, n, added,
                skipped ? ", some lines skipped" : "");
    return e != RASD_OK || (n == 0 && skipped) ? -1 : 0;
}

int cmd_sources(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    const char *verb = optind < argc ? argv[optind] : NULL;
    if (verb && strcmp(verb, "add") && strcmp(verb, "rm") && strcmp(verb, "import")) {
        cli_error("sources: unknown action '%s' (add, rm, import)", verb);
        return 2;
    }
    if (verb && optind + 1 >= argc) {
        help(stderr);
        return 2;
    }
    rasd_engine *en = cli_open_engine(db, 0);
    if (!en)
        return 1;
    rasd_error err;
    int rc = 0;
    if (!verb) {
        rc = list(en, json);
    } else if (!strcmp(verb, "import")) {
        rc = cli_add_sources(en, argv[optind + 1], 0) < 0;
    } else if (!strcmp(verb, "add")) {
        const char *url = argv[optind + 1];
        const char *outlet = optind + 2 < argc ? argv[optind + 2] : NULL;
        int added = 0;
        if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
            cli_error("sources add: '%s' is not an http:// or https:// URL", url);
            rc = 2;
        } else if (rasd_engine_add_source(en, url, outlet, 0, &added, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
        } else {
            printf("%s %s\n", added ? "added" : "already there:", url);
        }
    } else {
        int removed = 0;
        if (rasd_engine_remove_source(en, argv[optind + 1], &removed, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
        } else if (!removed) {
            cli_error("sources rm: no source '%s' (see `rasd sources`)", argv[optind + 1]);
            rc = 1;
        } else {
            printf("removed %s\n", argv[optind + 1]);
        }
    }
    rasd_engine_close(en);
    return rc;
}
