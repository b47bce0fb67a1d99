/*
 * cmd_tag.c — `rasd tag --conll FILE|-`: named-entity tags for a file in
 * CoNLL layout (word in the first column, other columns ignored, blank line
 * between sentences), written back as "word TAG" lines in the same layout.
 * Each sentence is analysed by the text core and tagged as one sequence,
 * exactly as the tagger was trained, so `rasd tag` on the dev split gives
 * the figures tools/eval_ner.c reports. Through the public API (rasd_conll_tag).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd tag --conll FILE|-\n"
          "  --conll FILE   CoNLL layout: one word per line (first column; other\n"
          "                 columns are ignored), a blank line between sentences.\n"
          "                 Prints \"word TAG\" lines (O, B-PERS, I-LOC, B-ORG, B-MISC ...)\n"
          "                 with the blank lines kept.\n",
          to);
}

int cmd_tag(int argc, char **argv)
{
    static const struct option opts[] = {
        {"conll", required_argument, 0, 'c'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *path = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': path = optarg; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (!path || optind != argc) {
        help(stderr);
        return 2;
    }
    rasd_buf in = {0};
    if (cli_read_file(path, &in) < 0) {
        rasd_buf_free(&in);
        return 1;
    }
    rasd_error err;
    char *out = NULL;
    size_t len = 0;
    rasd_err e = rasd_conll_tag(in.data, in.len, strcmp(path, "-") ? path : "stdin", &out, &len,
                                &err);
    rasd_buf_free(&in);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    int rc = 0;
    if (fwrite(out, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("writing the output failed");
        rc = 1;
    }
    rasd_free(out);
    return rc;
}
