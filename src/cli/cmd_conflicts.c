/*
 * cmd_conflicts.c — `rasd conflicts`: where the outlets of a story
 * contradict each other, for one story or every story with two or more
 * articles, through the public API (rasd_engine_conflicts,
 * rasd_conflicts_render).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
} Ids;

static int on_story(void *ctx, const rasd_story *s)
{
    Ids *ids = ctx;
    if (s->articles < 2)
        return 0;
    if (ids->n == ids->cap) {
        ids->cap = ids->cap ? ids->cap * 2 : 64;
        long long *nv = realloc(ids->v, ids->cap * sizeof *nv);
        if (!nv)
            return 1;
        ids->v = nv;
    }
    ids->v[ids->n++] = s->id;
    return 0;
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
    rasd_engine *en = cli_open_engine(db, 1);
    if (!en)
        return 1;
    rasd_error err;
    Ids ids = {0};
    if (story || event) {
        ids.v = malloc(sizeof *ids.v);
        if (ids.v) {
            ids.v[0] = story ? story : event;
            ids.n = 1;
        }
    } else if (rasd_engine_each_story(en, NULL, on_story, &ids, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        rasd_engine_close(en);
        return 1;
    }
    int rc = 0;
    size_t total = 0;
    for (size_t i = 0; i < ids.n; i++) {
        rasd_conflict_set *cs = NULL;
        char *out = NULL;
        size_t len = 0;
        if (rasd_engine_conflicts(en, event ? 0 : ids.v[i], event, &cs, &err) != RASD_OK ||
            (!json && rasd_conflict_set_name_outlets(cs, en, &err) != RASD_OK) ||
            rasd_conflicts_render(cs, json ? RASD_FMT_JSON : RASD_FMT_TEXT, &out, &len,
                                  &err) != RASD_OK) {
            cli_error("%s %lld: %s", event ? "event" : "story", ids.v[i], err.msg);
            rc = 1;
            rasd_conflict_set_free(cs);
            continue;
        }
        total += cs->n;
        if (cs->n || story || event) {
            if (json)
                printf("{\"%s\":%lld,\"conflicts\":%.*s}\n", event ? "event" : "story",
                       ids.v[i], (int)len, out);
            else
                fwrite(out, 1, len, stdout);
        }
        rasd_free(out);
        rasd_conflict_set_free(cs);
    }
    if (!json)
        fprintf(stderr, "%zu conflict%s in %zu stor%s\n", total, total == 1 ? "" : "s", ids.n,
                ids.n == 1 ? "y" : "ies");
    free(ids.v);
    rasd_engine_close(en);
    return rc;
}
