/*
 * cmd_dates.c — `rasd dates`: the date expressions of a text and their
 * values, for debugging the date recogniser (src/annotate/dates.c) and for
 * checking a case before adding it to tests/golden/dates*.txt; through the
 * public API (rasd_text_analyse, rasd_dates_render).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd dates [--date YYYY-MM-DD] [--timex] [--json] FILE|-\n"
          "  --date D   publication date that relative expressions are resolved\n"
          "             against (أمس، الشهر الماضي); without it their value is \"?\"\n"
          "  --timex    also durations (P3D), repeated periods (P1W) and vague\n"
          "             references (PAST_REF)\n"
          "  --json     a JSON array [{text,value,start,end}] instead of\n"
          "             \"text => value\" lines\n",
          to);
}

int cmd_dates(int argc, char **argv)
{
    static const struct option opts[] = {{"date", required_argument, 0, 'd'},
                                         {"timex", no_argument, 0, 't'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *date = NULL;
    int json = 0, c;
    unsigned flags = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': date = optarg; break;
        case 't': flags |= RASD_DATES_TIMEX; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        help(stderr);
        return 2;
    }
    if (date && !rasd_valid_date(date)) {
        cli_error("--date %s: expected YYYY-MM-DD", date);
        return 2;
    }
    const char *path = argv[optind];
    rasd_buf in = {0};
    if (cli_read_file(path, &in) < 0) {
        rasd_buf_free(&in);
        return 1;
    }
    rasd_error err;
    rasd_text *t = NULL;
    rasd_doc *d = NULL;
    char *out = NULL;
    size_t len = 0;
    int rc = 0;
    if (rasd_text_new(&t, &err) != RASD_OK ||
        rasd_text_analyse(t, in.data ? in.data : "", in.len, &d, &err) != RASD_OK ||
        rasd_dates_render(d, date, flags, json ? RASD_FMT_JSON : RASD_FMT_TEXT, &out, &len,
                          &err) != RASD_OK) {
        cli_error("%s: %s", path, err.msg);
        rc = 1;
    } else if (len) {
        printf("%s\n", out);
    }
    rasd_free(out);
    rasd_doc_free(d);
    rasd_text_free(t);
    rasd_buf_free(&in);
    return rc;
}
