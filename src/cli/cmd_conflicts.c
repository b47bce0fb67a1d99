/*
 * cmd_conflicts.c — `rasd conflicts`: where the outlets of a story
 * contradict each other (story/conflicts.h), for one story or every story
 * with articles from two or more outlets.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "story/brief.h"

static void help(FILE *to)
{
    fputs("usage: rasd conflicts [--db PATH] [--story N | --event N] [--json]\n"
          "  contradictions between outlets within a story: one office with different\n"
          "  holders (role), incompatible figures for one counted thing (number), one\n"
          "  happening at different dates (date), one quotation given to different\n"
          "  speakers (attribution), and one phrase with a different content word\n"
          "  (wording) — each value with its outlets and the exact sentences.\n"
          "  Without --story, every story with two or more articles.\n"
          "  --json  one object per story per line: {story, headline, conflicts:[...]}\n",
          to);
}

typedef struct Ids {
    long long *v;
    size_t n, cap;
    long long last;
} Ids;

static int on_row(void *ctx, const StoryArticle *r)
{
    Ids *ids = ctx;
    if (r->thread.id == ids->last || r->thread.articles < 2)
        return 0;
    ids->last = r->thread.id;
    if (ids->n == ids->cap) {
        ids->cap = ids->cap ? ids->cap * 2 : 64;
        long long *nv = realloc(ids->v, ids->cap * sizeof *nv);
        if (!nv)
            return 1;
        ids->v = nv;
    }
    ids->v[ids->n++] = r->thread.id;
    return 0;
}

static void print_text(long long story, json_t *arr)
{
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *c = json_array_get(arr, i);
        printf("story %lld  %s: %s\n", story, json_string_value(json_object_get(c, "kind")),
               json_string_value(json_object_get(c, "subject")));
        json_t *vals = json_object_get(c, "values");
        for (size_t k = 0; k < json_array_size(vals); k++) {
            json_t *v = json_array_get(vals, k);
            printf("   %s  [", json_string_value(json_object_get(v, "value")));
            json_t *src = json_object_get(v, "sources");
            for (size_t q = 0; q < json_array_size(src); q++)
                printf("%s%s", q ? "، " : "", json_string_value(json_array_get(src, q)));
            printf("]\n");
            json_t *sents = json_object_get(v, "sentences");
            for (size_t q = 0; q < json_array_size(sents); q++)
                printf("      «%s»\n", json_string_value(json_array_get(sents, q)));
        }
    }
}

int cmd_conflicts(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"story", required_argument, 0, 's'},
                                         {"event", required_argument, 0, 'e'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL;
    long long story = 0, event = 0;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': {
            char *end;
            story = strtoll(optarg, &end, 10);
            if (*end || story <= 0) {
                cli_error("--story: '%s' is not a story number (see `rasd stories`)", optarg);
                return 2;
            }
            break;
        }
        case 'e': {
            char *end;
            event = strtoll(optarg, &end, 10);
            if (*end || event <= 0) {
                cli_error("--event: '%s' is not an event number (see `rasd stories`)", optarg);
                return 2;
            }
            break;
        }
        case 'j': json = 1; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind != argc) {
        help(stderr);
        return 2;
    }
    Store *st = cli_open_store(db, 1);
    if (!st)
        return 1;
    rasd_error err;
    Ids ids = {0};
    ids.last = -1;
    if (story || event) {
        ids.v = malloc(sizeof *ids.v);
        if (ids.v) {
            ids.v[0] = story ? story : event;
            ids.n = 1;
        }
    } else if (store_each_story_article(st, NULL, 0, on_row, &ids, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        store_close(st);
        return 1;
    }
    int rc = 0;
    size_t total = 0;
    for (size_t i = 0; i < ids.n; i++) {
        Buf b = {0};
        size_t n = 0;
        if (story_conflicts(st, event ? 0 : ids.v[i], event, &b, &n, &err) != RASD_OK) {
            cli_error("%s %lld: %s", event ? "event" : "story", ids.v[i], err.msg);
            rc = 1;
            buf_free(&b);
            continue;
        }
        total += n;
        if (n || story || event) {
            if (json) {
                printf("{\"%s\":%lld,\"conflicts\":%.*s}\n", event ? "event" : "story", ids.v[i],
                       (int)b.len, b.data);
            } else {
                json_t *arr = json_loadb(b.data, b.len, 0, NULL);
                print_text(ids.v[i], arr);
                json_decref(arr);
            }
        }
        buf_free(&b);
    }
    if (!json)
        fprintf(stderr, "%zu conflicts in %zu stories\n", total, ids.n);
    free(ids.v);
    store_close(st);
    return rc;
}
