/*
 * cmd_similar.c — `rasd similar A B`: how likely two articles report the
 * same event, from 0 to 1, with each component of the score (story/
 * similarity.h). A and B are article files (the first article of each) or
 * ids of stored articles. Weights use the embedded IDF prior plus the two
 * articles, so a pair scores the same whatever else is in the store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "annotate/analyze.h"
#include "ingest/walk.h"
#include "store/store.h"
#include "story/similarity.h"

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

static int load_side(const char *arg, const char *db, const char *date, Side *out)
{
    memset(out, 0, sizeof *out);
    rasd_error err;
    struct stat sb;
    if (!strcmp(arg, "-") || stat(arg, &sb) == 0) {
        Batch b = {0};
        if (ingest_read_file(arg, 0, &b, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            batch_free(&b);
            return -1;
        }
        if (b.n == 0) {
            if (b.nerrors)
                cli_error("%s", b.errors[0]);
            else
                cli_error("%s: no article in the input", arg);
            batch_free(&b);
            return -1;
        }
        Article *a = &b.items[0];
        out->title = dup0(a->title);
        out->body = dup0(a->body);
        out->published = dup0(a->published ? a->published : date);
        out->label = strdup(arg);
        batch_free(&b);
        return out->body ? 0 : -1;
    }
    Store *st = cli_open_store(db, 1);
    if (!st)
        return -1;
    StoredArticle sa;
    if (store_get_article(st, arg, &sa, &err) != RASD_OK) {
        cli_error("%s: not a file, and %s", arg, err.msg);
        store_close(st);
        return -1;
    }
    out->title = dup0(sa.title);
    out->body = dup0(sa.body);
    out->published = dup0(sa.published ? sa.published : date);
    out->label = strdup(sa.hash);
    store_article_free(&sa);
    store_close(st);
    return 0;
}

static int vector_of(rasd_text *t, const Side *s, StoryVec *v)
{
    rasd_error err;
    rasd_doc *d = NULL, *td = NULL;
    EntityList ents = {0};
    int rc = -1;
    if (rasd_text_analyse(t, s->body, strlen(s->body), &d, &err) == RASD_OK &&
        (!s->title || rasd_text_analyse(t, s->title, strlen(s->title), &td, &err) == RASD_OK) &&
        analyze_entities(d, &ents, &err) == RASD_OK &&
        sv_build(v, d, td, &ents, s->published, &err) == RASD_OK)
        rc = 0;
    else
        cli_error("%s: %s", s->label, err.msg);
    entities_free(&ents);
    rasd_doc_free(d);
    rasd_doc_free(td);
    return rc;
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
    StoryVec va = {0}, vb = {0};
    int rc = 1;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        goto out;
    }
    if (vector_of(t, &A, &va) < 0 || vector_of(t, &B, &vb) < 0)
        goto out;
    SvDf *df = sv_df_new();
    if (!df) {
        cli_error("out of memory");
        goto out;
    }
    sv_df_add(df, &va);
    sv_df_add(df, &vb);
    sv_weigh(&va, df);
    sv_weigh(&vb, df);
    sv_df_free(df);
    SimParts p;
    sim_features(&va, &vb, &p);
    const SimModel *m = sim_default();
    sim_score(m, &p);
    if (json) {
        printf("{\"score\":%.4f,\"content\":%.4f,\"time\":%.4f,\"gap_days\":", p.score, p.content,
               p.time);
        if (p.gap < 0)
            printf("null");
        else
            printf("%d", p.gap);
        printf(",\"same_event\":%s,\"components\":{", p.score >= m->event_threshold ? "true" : "false");
        for (int f = 0; f < SIM_NFEAT; f++)
            printf("%s\"%s\":%.4f", f ? "," : "", sim_feature_name(f), p.f[f]);
        printf("}}\n");
    } else {
        printf("similarity %.3f (%s the event threshold %.2f)\n", p.score,
               p.score >= m->event_threshold ? "at or above" : "below", m->event_threshold);
        for (int f = 0; f < SIM_NFEAT; f++)
            printf("  %-6s %.3f  (weight %+.2f)\n", sim_feature_name(f), p.f[f], m->w[f]);
        if (p.gap < 0)
            printf("  gap    unknown (a date is missing): time factor 1\n");
        else
            printf("  gap    %d days: time factor %.3f\n", p.gap, p.time);
    }
    rc = 0;
out:
    sv_free(&va);
    sv_free(&vb);
    rasd_text_free(t);
    side_free(&A);
    side_free(&B);
    return rc;
}
