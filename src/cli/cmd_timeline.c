/*
 * cmd_timeline.c — `rasd timeline --story N`: the dated happenings of a
 * story in calendar order, each with the sentence that dates it and the
 * outlets that give the date: the brief's timeline, through the public API
 * (rasd_engine_brief, rasd_timeline_render).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
    rasd_engine *en = cli_open_engine(db, 1);
    if (!en)
        return 1;
    rasd_brief *b = NULL;
    char *out = NULL;
    size_t len = 0;
    rasd_error err;
    rasd_err e = rasd_engine_brief(en, t, 0, &b, &err);
    if (e == RASD_OK && !json) /* outlets by the names the web UI shows */
        e = rasd_brief_name_outlets(b, en, &err);
    rasd_engine_close(en);
    if (e == RASD_OK)
        e = rasd_timeline_render(b, json ? RASD_FMT_JSON : RASD_FMT_TEXT, &out, &len, &err);
    rasd_brief_free(b);
    int rc = 0;
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        rc = 1;
    } else if (cli_write_out(NULL, out, len, json) < 0) {
        rc = 1;
    }
    rasd_free(out);
    return rc;
}
