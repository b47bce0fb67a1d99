/*
 * cmd_similar.c — `rasd similar A B`: how likely two articles report the
 * same event, from 0 to 1, with each component of the score (story/
 * similarity.h). A and B are article files (the first article of each) or
 * ids of stored articles. Weights use the embedded IDF prior plus the two
 * articles, so a pair scores the same whatever else is in the store.
 * Through the public API (rasd_read_file, rasd_engine_article,
 * rasd_similarity_render).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd similar [--db PATH] [--date-a D] [--date-b D] [--json] A B\n"
          "  A, B: article files (their first article) or stored article ids\n"
          "  prints the probability that A and B report the same event and its parts:\n"
          "  terms (stem TF-IDF cosine), title, ents (entity keys), cross (each headline\n"
          "  against the other's text), near (MinHash copy estimate), nums (numbers both\n"
          "  give), and the time gap\n",
          to);
}

typedef struct Side {
    char *title, *body, *published, *label; /* owned */
} Side;

static void side_free(Side *s)
{
    free(s->title);
    free(s->body);
    free(s->published);
    free(s->label);
}

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

/* The first article of a file (stops the reading after it). */
typedef struct First {
    Side *out;
    const char *date;
    const char *error;   /* the first item error, copied */
    int found;
} First;

static int on_first(void *ctx, const rasd_article *a)
{
    First *f = ctx;
    f->out->title = dup0(a->title);
    f->out->body = dup0(a->text);
    f->out->published = dup0(a->published ? a->published : f->date);
    f->found = 1;
    return 1;
}

static void on_first_error(void *ctx, const char *msg)
{
    First *f = ctx;
    if (!f->error)
        f->error = strdup(msg);
}

static int load_side(const char *arg, const char *db, const char *date, Side *out)
{
    memset(out, 0, sizeof *out);
    rasd_error err;
    struct stat sb;
    if (!strcmp(arg, "-") || stat(arg, &sb) == 0) {
        First f = {out, date, NULL, 0};
        rasd_err e = rasd_read_file(arg, 0, on_first, on_first_error, &f, &err);
        int rc = 0;
        if (e != RASD_OK) {
            cli_error("%s", err.msg);
            rc = -1;
        } else if (!f.found) {
            if (f.error)
                cli_error("%s", f.error);
            else
                cli_error("%s: no article in the input", arg);
            rc = -1;
        }
        free((char *)f.error);
        if (rc < 0)
            return -1;
        out->label = strdup(arg);
        return out->body ? 0 : -1;
    }
    rasd_engine *st = cli_open_engine(db, 1);
    if (!st)
        return -1;
    rasd_article *sa = NULL;
    if (rasd_engine_article(st, arg, &sa, &err) != RASD_OK) {
        cli_error("%s: not a file, and %s", arg, err.msg);
        rasd_engine_close(st);
        return -1;
    }
    out->title = dup0(sa->title);
    out->body = dup0(sa->text);
    out->published = dup0(sa->published ? sa->published : date);
    out->label = strdup(sa->id);
    rasd_article_free(sa);
    rasd_engine_close(st);
    return 0;
}

/* The side as the API's article: strings borrowed from s. */
static rasd_article article_of(const Side *s)
{
    rasd_article a = {0};
    a.title = s->title;
    a.text = s->body;
    a.published = s->published;
    a.origin = s->label;
    return a;
}

int cmd_similar(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"date-a", required_argument, 0, 'a'},
                                         {"date-b", required_argument, 0, 'b'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *da = NULL, *dbd = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'a': da = optarg; break;
        case 'b': dbd = optarg; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (argc - optind != 2) {
        help(stderr);
        return 2;
    }
    Side A, B;
    if (load_side(argv[optind], db, da, &A) < 0)
        return 1;
    if (load_side(argv[optind + 1], db, dbd, &B) < 0) {
        side_free(&A);
        return 1;
    }
    rasd_text *t = NULL;
    rasd_error err;
    char *out = NULL;
    size_t len = 0;
    int rc = 1;
    rasd_article a = article_of(&A), b = article_of(&B);
    if (rasd_text_new(&t, &err) != RASD_OK ||
        rasd_similarity_render(t, &a, &b, json ? RASD_FMT_JSON : RASD_FMT_TEXT, &out, &len,
                               &err) != RASD_OK) {
        cli_error("%s", err.msg);
    } else {
        fwrite(out, 1, len, stdout);
        rc = 0;
    }
    rasd_free(out);
    rasd_text_free(t);
    side_free(&A);
    side_free(&B);
    return rc;
}
