/*
 * cmd_compare.c — `rasd compare A B`: what two articles say differently,
 * with no database. Each file is read the way `rasd analyze` reads it (any
 * supported format; the first article of a file is used), the bodies are
 * aligned sentence by sentence (story/align.h), and the command prints the
 * aligned pairs with their similarity, the wording discrepancies and
 * differing figures in them, the quantities of the same thing that cannot
 * both hold, and whether the two headlines contradict each other (the
 * first sentences when an article has no headline). Through the public API
 * (rasd_read_file, rasd_compare_render).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd compare [--json] [--threshold T] A B\n"
          "  compares two articles (files in any format rasd reads; the first article of\n"
          "  each file): sentences aligned across the two with their similarity, wording\n"
          "  discrepancies and differing figures in aligned sentences, quantities of the\n"
          "  same thing that cannot both hold, and whether the headlines contradict.\n"
          "  --json          one JSON object; offsets are UTF-8 byte offsets into each\n"
          "                  article's body text\n"
          "  --threshold T   minimum similarity of an aligned pair (0..1, default 0.5)\n",
          to);
}

/* The first article of a file (title and body copied) and how many it holds. */
typedef struct Side {
    char *title, *body;  /* owned; title may be NULL */
    size_t n;            /* articles in the file */
} Side;

static void side_free(Side *s)
{
    free(s->title);
    free(s->body);
}

static int on_article(void *ctx, const rasd_article *a)
{
    Side *s = ctx;
    if (s->n++ == 0) {
        s->title = a->title ? strdup(a->title) : NULL;
        s->body = strdup(a->text ? a->text : "");
    }
    return 0;
}

static int load(const char *path, Side *s)
{
    rasd_error err;
    if (rasd_read_file(path, 0, on_article, NULL, s, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return -1;
    }
    if (s->n == 0) {
        cli_error("%s: no article found", path);
        return -1;
    }
    if (s->n > 1)
        cli_error("%s: %zu articles, comparing the first", path, s->n);
    if (!s->body) {
        cli_error("out of memory");
        return -1;
    }
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, 0, 'j'},
                                         {"threshold", required_argument, 0, 't'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int json = 0, c;
    double threshold = 0; /* 0: the aligner's default */
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 't': {
            char *end = NULL;
            threshold = strtod(optarg, &end);
            if (!end || *end || !(threshold > 0 && threshold <= 1)) {
                cli_error("--threshold must be a number above 0 and at most 1, not '%s'", optarg);
                return 2;
            }
            break;
        }
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (argc - optind != 2) {
        help(stderr);
        return 2;
    }
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    Side A = {0}, B = {0};
    char *out = NULL;
    size_t len = 0;
    int rc = 1;
    if (load(argv[optind], &A) == 0 && load(argv[optind + 1], &B) == 0) {
        rasd_article a = {0}, b = {0};
        a.title = A.title;
        a.text = A.body;
        a.origin = argv[optind];
        b.title = B.title;
        b.text = B.body;
        b.origin = argv[optind + 1];
        if (rasd_compare_render(t, &a, &b, threshold, json ? RASD_FMT_JSON : RASD_FMT_TEXT, &out,
                                &len, &err) != RASD_OK) {
            cli_error("%s", err.msg);
        } else {
            fwrite(out, 1, len, stdout);
            rc = 0;
        }
    }
    rasd_free(out);
    side_free(&A);
    side_free(&B);
    rasd_text_free(t);
    return rc;
}
