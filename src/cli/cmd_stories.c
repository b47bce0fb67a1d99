/*
 * cmd_stories.c — `rasd stories`: the stored threads, their events and
 * articles, largest thread first. On a terminal a readable outline; with
 * --json one JSON object per thread per line (design.md §3). Through the
 * public API (rasd_engine_each_story_row, rasd_engine_regroup).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd stories [--db PATH] [--since D] [--thread N] [--min N] [--json]\n"
          "       rasd stories [--db PATH] --rebuild [--window D]\n"
          "  --rebuild   regroup the whole store from its stored vectors (ingest only\n"
          "              reopens the recent tail; threads then follow a full replay)\n"
          "  --since D   threads with an article on or after D (YYYY-MM-DD)\n"
          "  --thread N  one thread\n"
          "  --min N     threads with at least N articles (default 1)\n"
          "  --json      one object per thread per line: id, first, last, articles,\n"
          "              outlets, headline, events [{id, first, last, article_count,\n"
          "              outlet_count, headline, articles [{id, outlet, title, published,\n"
          "              score}]}]\n",
          to);
}

typedef struct Out {
    int json;
    int64_t min;
    int64_t thread, event; /* current ids, 0 before the first */
    int skip;              /* current thread is below --min */
    size_t threads;
    rasd_buf b;                 /* the current thread's JSON */
    rasd_buf outlets;           /* the current thread's outlets, "\n"-separated, for JSON */
    rasd_engine *en;            /* names the outlets in text (rasd_outlet_name) */
} Out;

/* "article" or "articles" */
static const char *plural(long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* "2022-09-06 … 2022-09-07", one date when both are the same, "undated" */
static const char *dates(char *out, size_t size, const char *first, const char *last)
{
    if (!first && !last)
        snprintf(out, size, "undated");
    else if (first && last && strcmp(first, last) != 0)
        snprintf(out, size, "%s … %s", first, last);
    else
        snprintf(out, size, "%s", first ? first : last);
    return out;
}

static void thread_outlet(Out *o, const char *outlet)
{
    if (!outlet)
        return;
    /* small lists: a linear scan is fine */
    size_t n = strlen(outlet);
    const char *p = o->outlets.data, *end = p ? p + o->outlets.len : NULL;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if ((size_t)(nl - p) == n && !memcmp(p, outlet, n))
            return;
        p = nl + 1;
    }
    rasd_buf_append(&o->outlets, outlet, n);
    rasd_buf_putc(&o->outlets, '\n');
}

static void end_thread(Out *o)
{
    if (!o->thread || o->skip)
        return;
    if (o->json) {
        rasd_buf_puts(&o->b, "]}]");
        rasd_buf_puts(&o->b, ",\"outlets\":[");
        const char *p = o->outlets.data, *end = p + o->outlets.len;
        int first = 1;
        while (p && p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!first)
                rasd_buf_putc(&o->b, ',');
            rasd_buf_put_json_string(&o->b, p, (size_t)(nl - p));
            first = 0;
            p = nl + 1;
        }
        rasd_buf_puts(&o->b, "]}\n");
        fwrite(o->b.data, 1, o->b.len, stdout);
    }
    o->threads++;
}

static int on_row(void *ctx, const rasd_story_row *r)
{
    Out *o = ctx;
    if (r->thread.id != o->thread) {
        end_thread(o);
        o->thread = r->thread.id;
        o->event = 0;
        o->skip = r->thread.articles < o->min;
        rasd_buf_reset(&o->b);
        rasd_buf_reset(&o->outlets);
        if (o->skip)
            return 0;
        if (o->json) {
            rasd_buf_printf(&o->b, "{\"id\":%lld,\"first\":", (long long)r->thread.id);
            cli_put_json_str(&o->b, r->thread.first);
            rasd_buf_puts(&o->b, ",\"last\":");
            cli_put_json_str(&o->b, r->thread.last);
            rasd_buf_printf(&o->b, ",\"articles\":%lld,\"headline\":", (long long)r->thread.articles);
            cli_put_json_str(&o->b, r->thread.headline);
            rasd_buf_puts(&o->b, ",\"events\":[");
        } else {
            rasd_buf t1 = {0}; /* terminal-safe copy (term.c) */
            char span[64];
            printf("%sthread %lld  %s  %lld %s, %lld %s\n  %s\n", o->threads ? "\n" : "",
                   (long long)r->thread.id,
                   dates(span, sizeof span, r->thread.first, r->thread.last),
                   (long long)r->thread.articles, plural(r->thread.articles, "article", "articles"),
                   (long long)r->thread.events, plural(r->thread.events, "event", "events"),
                   r->thread.headline ? cli_term_safe(r->thread.headline, &t1) : "(no headline)");
            rasd_buf_free(&t1);
        }
    }
    if (o->skip)
        return 0;
    thread_outlet(o, r->outlet);
    if (r->event.id != o->event) {
        if (o->json) {
            if (o->event)
                rasd_buf_puts(&o->b, "]},");
            rasd_buf_printf(&o->b, "{\"id\":%lld,\"first\":", (long long)r->event.id);
            cli_put_json_str(&o->b, r->event.first);
            rasd_buf_puts(&o->b, ",\"last\":");
            cli_put_json_str(&o->b, r->event.last);
            rasd_buf_printf(&o->b, ",\"article_count\":%lld,\"outlet_count\":%lld,\"headline\":",
                       (long long)r->event.articles, (long long)r->event.outlets);
            cli_put_json_str(&o->b, r->event.headline);
            rasd_buf_puts(&o->b, ",\"articles\":[");
        } else {
            rasd_buf t1 = {0}; /* terminal-safe copy (term.c) */
            char span[64];
            printf("  event %lld  %s  %lld %s from %lld %s\n    %s\n", (long long)r->event.id,
                   dates(span, sizeof span, r->event.first, r->event.last),
                   (long long)r->event.articles, plural(r->event.articles, "article", "articles"),
                   (long long)r->event.outlets, plural(r->event.outlets, "outlet", "outlets"),
                   r->event.headline ? cli_term_safe(r->event.headline, &t1) : "");
            rasd_buf_free(&t1);
        }
        o->event = r->event.id;
    } else if (o->json) {
        rasd_buf_putc(&o->b, ',');
    }
    if (o->json) {
        rasd_buf_puts(&o->b, "{\"id\":");
        cli_put_json_str(&o->b, r->id);
        rasd_buf_puts(&o->b, ",\"outlet\":");
        cli_put_json_str(&o->b, r->outlet);
        rasd_buf_puts(&o->b, ",\"title\":");
        cli_put_json_str(&o->b, r->title);
        rasd_buf_puts(&o->b, ",\"published\":");
        cli_put_json_str(&o->b, r->published);
        rasd_buf_printf(&o->b, ",\"score\":%.3f}", r->score);
    } else {
        rasd_buf t1 = {0}, t2 = {0}, t3 = {0}; /* terminal-safe copies (term.c) */
        printf("      %.8s  %-10.10s  %s  %s\n", r->id ? r->id : "",
               r->published && *r->published ? cli_term_safe(r->published, &t3) : "(no date)",
               r->title ? cli_term_safe(r->title, &t1) : "(no title)",
               r->outlet ? cli_term_safe(rasd_outlet_name(o->en, r->outlet), &t2) : "");
        rasd_buf_free(&t1);
        rasd_buf_free(&t2);
        rasd_buf_free(&t3);
    }
    return 0;
}

int cmd_stories(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"since", required_argument, 0, 's'},
                                         {"thread", required_argument, 0, 't'},
                                         {"min", required_argument, 0, 'm'},
                                         {"json", no_argument, 0, 'j'},
                                         {"rebuild", no_argument, 0, 'r'},
                                         {"window", required_argument, 0, 'w'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *since = NULL;
    Out o = {0};
    o.min = 1;
    int c, rebuild = 0;
    long long only = 0; /* --thread */
    int window = 0;     /* --window, 0: the default */
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': {
            int y, m, d;
            char tail;
            if (sscanf(optarg, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
                d < 1 || d > 31) {
                cli_error("--since: '%s' is not a date YYYY-MM-DD", optarg);
                return 2;
            }
            since = optarg;
            break;
        }
        case 't': {
            char *end;
            only = strtoll(optarg, &end, 10);
            if (*end || only <= 0) {
                cli_error("--thread: '%s' is not a thread number", optarg);
                return 2;
            }
            break;
        }
        case 'm': o.min = strtoll(optarg, NULL, 10); break;
        case 'j': o.json = 1; break;
        case 'r': rebuild = 1; break;
        case 'w':
            window = atoi(optarg);
            if (window < 1 || window > 365) {
                cli_error("--window: '%s' is not a number of days from 1 to 365", optarg);
                return 2;
            }
            break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind != argc) {
        help(stderr);
        return 2;
    }
    rasd_error err;
    if (rebuild) {
        rasd_engine *w = cli_open_engine(db, 0);
        if (!w)
            return 1;
        rasd_group_stats ss;
        rasd_err re = rasd_engine_regroup(w, window, &ss, &err);
        rasd_engine_close(w);
        if (re != RASD_OK) {
            cli_error("%s", err.msg);
            return 1;
        }
        printf("stories: %zu articles in %zu events (%zu with 2+ articles), %zu thread%s\n",
               ss.articles, ss.events, ss.multi, ss.threads, ss.threads == 1 ? "" : "s");
        return 0;
    }
    rasd_engine *st = cli_open_engine(db, 1);
    if (!st)
        return 1;
    o.en = st;
    rasd_err e = rasd_engine_each_story_row(st, since, only, on_row, &o, &err);
    end_thread(&o);
    rasd_engine_close(st);
    rasd_buf_free(&o.b);
    rasd_buf_free(&o.outlets);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    if (only && !o.threads) {
        cli_error("no thread %lld", (long long)only);
        return 1;
    }
    return 0;
}
