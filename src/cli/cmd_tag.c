/*
 * cmd_tag.c — `rasd tag --conll FILE|-`: named-entity tags for a file in
 * CoNLL layout (word in the first column, other columns ignored, blank line
 * between sentences), written back as "word TAG" lines in the same layout.
 * Each sentence is analysed by the text core and tagged as one sequence,
 * exactly as the tagger was trained, so `rasd tag` on the dev split gives
 * the figures tools/eval_ner.c reports.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../annotate/ner.h"

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
    rasd_error err;
    const NerModel *m = ner_default(&err);
    if (!m) {
        cli_error("%s", err.msg);
        return 1;
    }
    Buf in = {0};
    if (cli_read_file(path, &in) < 0) {
        buf_free(&in);
        return 1;
    }
    NerConll c;
    if (ner_conll_parse(in.data, in.len, 0, strcmp(path, "-") ? path : "stdin", &c, &err) !=
        RASD_OK) {
        cli_error("%s", err.msg);
        buf_free(&in);
        return 1;
    }
    buf_free(&in);
    rasd_text *t = NULL;
    uint8_t *tags = NULL;
    size_t longest = 1;
    for (size_t s = 0; s < c.nsent; s++)
        if (c.sent[s].word_end - c.sent[s].word_begin > longest)
            longest = c.sent[s].word_end - c.sent[s].word_begin;
    int rc = 0;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        rc = 1;
    } else if (!(tags = malloc(longest))) {
        cli_error("out of memory");
        rc = 1;
    }
    for (size_t s = 0; !rc && s < c.nsent; s++) {
        if (ner_conll_tag(m, t, &c, s, tags, &err) != RASD_OK) {
            cli_error("sentence %zu: %s", s + 1, err.msg);
            rc = 1;
            break;
        }
        for (uint32_t w = c.sent[s].word_begin; w < c.sent[s].word_end; w++) {
            fwrite(c.pool + c.woff[w], 1, c.wlen[w], stdout);
            putchar(' ');
            fputs(ner_tag_name(tags[w - c.sent[s].word_begin]), stdout);
            putchar('\n');
        }
        putchar('\n');
    }
    if (fflush(stdout) != 0 && !rc) {
        cli_error("writing the output failed");
        rc = 1;
    }
    free(tags);
    rasd_text_free(t);
    ner_conll_free(&c);
    return rc;
}
