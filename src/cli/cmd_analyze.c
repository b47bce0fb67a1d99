/*
 * cmd_analyze.c — `rasd analyze`: files in, JSON Lines out, one object per
 * article, no database (the stateless map stage). A file that cannot be
 * read is reported on stderr and the others are still analysed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "annotate/analyze.h"
#include "ingest/walk.h"

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
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    int failed = 0;
    Buf line = {0};
    for (int i = optind; i < argc; i++) {
        Batch b = {0};
        if (ingest_read_file(argv[i], max, &b, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            failed = 1;
        }
        for (size_t k = 0; k < b.nerrors; k++) {
            cli_error("%s", b.errors[k]);
            failed = 1;
        }
        for (size_t k = 0; k < b.n; k++) {
            Article *a = &b.items[k];
            /* an article split from a page is not dated by the page's date */
            if (!a->published && date && a->parent < 0)
                a->published = strdup(date);
            if (!a->outlet && outlet)
                a->outlet = strdup(outlet);
            buf_reset(&line);
            if (analyze_article(t, a, &line, &err) != RASD_OK) {
                cli_error("%s: %s", a->origin ? a->origin : argv[i], err.msg);
                failed = 1;
                continue;
            }
            buf_putc(&line, '\n');
            fwrite(line.data, 1, line.len, stdout);
        }
        batch_free(&b);
    }
    buf_free(&line);
    rasd_text_free(t);
    return failed;
}
