/*
 * cmd_timeline.c — `rasd timeline --story N`: the dated happenings of a
 * story in calendar order, each with the sentence that dates it and the
 * outlets that give the date (the brief's timeline, story/brief.h).
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
    fputs("usage: rasd timeline [--db PATH] --story N [--json]\n"
          "  the dates of story N (see rasd stories) in calendar order: value\n"
          "  (YYYY, YYYY-MM, YYYY-MM-DD or A/B), the sentence, the outlets\n"
          "  --json  a JSON array [{value, text, sentence, article, sources}]\n",
          to);
}

int cmd_timeline(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"story", required_argument, 0, 's'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *story = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': story = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    char *end = NULL;
    long long t = story ? strtoll(story, &end, 10) : 0;
    if (optind != argc || !story || *end || t <= 0) {
        if (story && (*end || t <= 0))
            cli_error("--story: '%s' is not a story number (see `rasd stories`)", story);
        help(stderr);
        return 2;
    }
    Store *st = cli_open_store(db, 1);
    if (!st)
        return 1;
    Buf b = {0};
    rasd_error err;
    rasd_err e = brief_build(st, t, 0, NULL, &b, &err);
    store_close(st);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        buf_free(&b);
        return 1;
    }
    json_t *r = json_loadb(b.data, b.len, 0, NULL);
    json_t *tl = json_object_get(r, "timeline");
    if (json) {
        char *s = json_dumps(tl, JSON_COMPACT);
        if (s)
            puts(s);
        free(s);
    } else {
        for (size_t i = 0; i < json_array_size(tl); i++) {
            json_t *x = json_array_get(tl, i);
            printf("%-23s %s  [", json_string_value(json_object_get(x, "value")),
                   json_string_value(json_object_get(x, "sentence")));
            json_t *src = json_object_get(x, "sources");
            for (size_t k = 0; k < json_array_size(src); k++)
                printf("%s%s", k ? "، " : "", json_string_value(json_array_get(src, k)));
            printf("]\n");
        }
    }
    json_decref(r);
    buf_free(&b);
    return 0;
}
