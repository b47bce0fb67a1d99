/*
 * cmd_analyze.c — `rasd analyze`: files in, JSON Lines out, one object per
 * article, no database (the stateless map stage). A file that cannot be
 * read is reported on stderr and the others are still analysed. Through
 * the public API (rasd_read_file, rasd_analyze_json).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd analyze [--date D] [--outlet O] [--max-size N] FILE...|-\n"
          "  one JSON object per article on stdout: id, file, title, outlet, published,\n"
          "  text, entities [{text,type,key,start,end,role?}], roles (role-only mentions\n"
          "  [{text,office,start,end,entity}]), quotes [{speaker,speaker_key,kind,cue,\n"
          "  text,direct,via,start,end}], dates [{text,value,start,end}];\n"
          "  offsets are UTF-8 byte offsets into text. No database is used.\n"
          "  --date D      publication date for articles that have none (YYYY-MM-DD),\n"
          "                except articles split off a page (\"اقرأ أيضا\");\n"
          "                relative dates (أمس، الشهر الماضي) are resolved against it\n"
          "  --outlet O    outlet for articles that have none\n",
          to);
}

typedef struct Run {
    rasd_text *t;
    const char *date, *outlet; /* --date, --outlet: for articles without one */
    const char *file;          /* the file being read */
    int failed;
} Run;

static void on_item_error(void *ctx, const char *msg)
{
    Run *r = ctx;
    cli_error("%s", msg);
    r->failed = 1;
}

static int on_article(void *ctx, const rasd_article *a)
{
    Run *r = ctx;
    rasd_article x = *a;
    /* an article split from a page is not dated by the page's date */
    if (!x.published && r->date && !x.split_from)
        x.published = r->date;
    if (!x.outlet && r->outlet)
        x.outlet = r->outlet;
    char *json = NULL;
    size_t n = 0;
    rasd_error err;
    if (rasd_analyze_json(r->t, &x, &json, &n, &err) != RASD_OK) {
        cli_error("%s: %s", a->origin ? a->origin : r->file, err.msg);
        r->failed = 1;
        return 0;
    }
    fwrite(json, 1, n, stdout);
    putchar('\n');
    rasd_free(json);
    return 0;
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {{"date", required_argument, 0, 'D'},
                                         {"outlet", required_argument, 0, 'o'},
                                         {"max-size", required_argument, 0, 's'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *date = NULL, *outlet = NULL;
    size_t max = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': date = optarg; break;
        case 'o': outlet = optarg; break;
        case 's': max = (size_t)strtoull(optarg, NULL, 10); break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind >= argc) {
        help(stderr);
        return 2;
    }
    Run r = {NULL, date, outlet, NULL, 0};
    rasd_error err;
    if (rasd_text_new(&r.t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    for (int i = optind; i < argc; i++) {
        r.file = argv[i];
        if (rasd_read_file(argv[i], max, on_article, on_item_error, &r, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            r.failed = 1;
        }
    }
    rasd_text_free(r.t);
    return r.failed;
}
