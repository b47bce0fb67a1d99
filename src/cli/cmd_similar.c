/*
 * cmd_similar.c — `rasd similar A B`: how likely two articles report the
 * same event, from 0 to 1, with each component of the score. A and B are
 * article files (the first article of each) or ids of stored articles.
 * Weights use the embedded IDF prior plus the two articles, so a pair scores
 * the same whatever else is in the store. With --db, the words the store's
 * archive links between the two are shown too (rasd_engine_similarity_render,
 * src/views/similar_view.c).
 */
#include <errno.h>
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
          "  give), and the time gap; with --db, the words the store's archive links\n"
          "  between the two (co-occurrence over stored articles up to the later day)\n",
          to);
}

typedef struct Side {
    char *title, *body, *published, *label; /* owned */
    char *error;  /* the file's first item error, when no article was read */
    size_t n;     /* articles read */
} Side;

static void side_free(Side *s)
{
    free(s->title);
    free(s->body);
    free(s->published);
    free(s->label);
    free(s->error);
}

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

static int on_first(void *ctx, const rasd_article *a)
{
    Side *s = ctx;
    s->n++;
    s->title = dup0(a->title);
    s->body = dup0(a->text);
    s->published = dup0(a->published);
    return 1; /* the first article only */
}

static void on_item_error(void *ctx, const char *msg)
{
    Side *s = ctx;
    if (!s->error)
        s->error = strdup(msg);
}

/* The engine on --db, opened read-only on first use; NULL after printing why. */
static rasd_engine *engine(rasd_engine **en, const char *db)
{
    if (!*en)
        *en = cli_open_engine(db, 1);
    return *en;
}

static int load_side(const char *arg, rasd_engine **en, const char *db, const char *date,
                     Side *out)
{
    memset(out, 0, sizeof *out);
    rasd_error err;
    struct stat sb;
    if (!strcmp(arg, "-") || stat(arg, &sb) == 0) {
        if (rasd_read_file(arg, 0, on_first, on_item_error, out, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            return -1;
        }
        if (out->n == 0) {
            if (out->error)
                cli_error("%s", out->error);
            else
                cli_error("%s: no article in the input", arg);
            return -1;
        }
        if (!out->published)
            out->published = dup0(date);
        out->label = strdup(arg);
        return out->body ? 0 : -1;
    }
    if (strchr(arg, '/') || strchr(arg, '.')) { /* a path, not an article id */
        cli_error("%s: %s", arg, strerror(errno));
        return -1;
    }
    if (!engine(en, db))
        return -1;
    rasd_article *a = NULL;
    if (rasd_engine_article(*en, arg, &a, &err) != RASD_OK) {
        cli_error("%s: not a file, and %s", arg, err.msg);
        return -1;
    }
    out->title = dup0(a->title);
    out->body = dup0(a->text);
    out->published = dup0(a->published ? a->published : date);
    out->label = strdup(a->id);
    rasd_article_free(a);
    return 0;
}

static rasd_article side_article(const Side *s)
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
    rasd_engine *en = NULL;
    Side A, B;
    if (load_side(argv[optind], &en, db, da, &A) < 0) {
        side_free(&A);
        rasd_engine_close(en);
        return 1;
    }
    if (load_side(argv[optind + 1], &en, db, dbd, &B) < 0) {
        side_free(&A);
        side_free(&B);
        rasd_engine_close(en);
        return 1;
    }
    rasd_text *t = NULL;
    rasd_error err;
    char *out = NULL;
    size_t len = 0;
    int rc = 1;
    rasd_article a = side_article(&A), b = side_article(&B);
    int fmt = json ? RASD_FMT_JSON : RASD_FMT_TEXT;
    if (rasd_text_new(&t, &err) != RASD_OK)
        cli_error("%s", err.msg);
    else if (db && !engine(&en, db))
        ; /* said why */
    else if ((db ? rasd_engine_similarity_render(en, t, &a, &b, fmt, &out, &len, &err)
                 : rasd_similarity_render(t, &a, &b, fmt, &out, &len, &err)) != RASD_OK)
        cli_error("%s", err.msg);
    else {
        fwrite(out, 1, len, stdout);
        rc = 0;
    }
    rasd_free(out);
    rasd_text_free(t);
    rasd_engine_close(en);
    side_free(&A);
    side_free(&B);
    return rc;
}
