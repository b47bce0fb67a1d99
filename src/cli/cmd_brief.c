/*
 * cmd_brief.c — `rasd brief STORY`: the cited brief of a stored story
 * as text, JSON, Markdown or a self-contained HTML page, through the public
 * API alone (rasd_engine_brief, rasd_brief_render).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd brief [--db PATH] [--json|--md|--html] [-o FILE] STORY\n"
          "       rasd brief [--db PATH] [--json|--md|--html] [-o FILE] --event N\n"
          "  STORY is a thread number from `rasd stories`; --event N briefs one event.\n"
          "  The brief: headline, 5-8 summary sentences each with the outlets that\n"
          "  report them, quotes by speaker, a timeline, conflicts between outlets,\n"
          "  and the names with their spellings. --html writes one self-contained\n"
          "  right-to-left page (its font included).\n",
          to);
}

static int parse_id(const char *s, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s == 0 || *end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int cmd_brief(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"md", no_argument, 0, 'm'},
                                         {"html", no_argument, 0, 'H'},
                                         {"event", required_argument, 0, 'e'},
                                         {"output", required_argument, 0, 'o'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *outp = NULL;
    int fmt = RASD_FMT_TEXT, c;
    long long thread = 0, event = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': fmt = RASD_FMT_JSON; break;
        case 'm': fmt = RASD_FMT_MD; break;
        case 'H': fmt = RASD_FMT_HTML; break;
        case 'o': outp = optarg; break;
        case 'e':
            if (parse_id(optarg, &event) < 0) {
                cli_error("--event: '%s' is not an event number", optarg);
                return 2;
            }
            break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind < argc && parse_id(argv[optind], &thread) < 0) {
        cli_error("'%s' is not a story number (see `rasd stories`)", argv[optind]);
        return 2;
    }
    if ((!thread && !event) || argc - optind > 1) {
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
    rasd_err e;
    if (fmt == RASD_FMT_JSON) { /* the stored JSON form as it is: no struct round trip */
        e = rasd_engine_brief_json(en, thread, event, &out, &len, &err);
    } else {
        e = rasd_engine_brief(en, thread, event, &b, &err);
        if (e == RASD_OK) /* outlets by the names the web UI shows */
            e = rasd_brief_name_outlets(b, en, &err);
        if (e == RASD_OK)
            e = rasd_brief_render(b, fmt, &out, &len, &err);
        rasd_brief_free(b);
    }
    rasd_engine_close(en);
    int rc = 0;
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        rc = 1;
    } else if (cli_write_out(outp, out, len, fmt == RASD_FMT_JSON) < 0) {
        rc = 1;
    }
    rasd_free(out);
    return rc;
}
