/*
 * eval_cooc.c — builds the archive co-occurrence model (story/cooc.h) from
 * SaudiNewsNet days and measures what it adds to pair similarity.
 *
 *   eval-cooc [-o MODEL] [--semeval CSV] [--pairs TSV]... [--show N] DAY.json ...
 *
 * The days are the archive: every article's weighted story vector (document
 * frequencies counted in date order, as the assigner sees them) is added
 * to the model, a day at a time. Then:
 *   --pairs TSV   hand-labelled pairs (url_a, url_b, 1/0; both articles in
 *                 the days): AUC of the pair model's score, of the context
 *                 overlap alone and of the soft overlap (cooc_soft), and of
 *                 the score with the soft links' evidence added (sim_boost
 *                 below, weight --mix);
 *   --semeval CSV the SemEval-2022 Task 8 Arabic pairs (no dates, their own
 *                 document frequencies): Pearson with 4 - Overall of the
 *                 same four;
 *   --show N      the soft links of the first N labelled same-event pairs,
 *                 as stems (headline words), for reading;
 *   -o MODEL      the model, encoded (cooc_encode).
 * Deterministic: the same days give the same model and figures.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simeval.h"
#include "snn.h"
#include "story/cooc.h"
#include "story/similarity.h"

/* Stem strings of headline words, for showing links: id -> index + 1 into names. */
static IdMap name_of;
static char **names;
static size_t nnames, cap_names;

static void learn_names(rasd_text *t, const char *title)
{
    rasd_doc *d = NULL;
    rasd_error err;
    if (!title || rasd_text_analyse(t, title, strlen(title), &d, &err) != RASD_OK)
        return;
    const rasd_token *tk = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++) {
        if (tk[i].stem_len < 2)
            continue;
        uint64_t id = rasd_hash(tk[i].stem, tk[i].stem_len);
        uint32_t *s = idmap_slot(&name_of, id);
        if (!s || *s)
            continue;
        if (nnames == cap_names) {
            cap_names = cap_names ? cap_names * 2 : 1024;
            names = realloc(names, cap_names * sizeof *names);
        }
        names[nnames] = strndup(tk[i].stem, tk[i].stem_len);
        *s = (uint32_t)++nnames;
    }
    rasd_doc_free(d);
}

static const char *name(uint64_t id)
{
    uint32_t k = idmap_get(&name_of, id);
    return k ? names[k - 1] : "(name or body stem)";
}

static double mix = 1.0; /* --mix: weight of the soft evidence in the logit */

/* The pair model's score with the soft links' evidence (soft - exact
   overlap: what the archive adds beyond shared words) in its logit. */
static double boosted(const SimModel *m, SimParts *sp, double soft, double exact)
{
    double s = sim_score(m, sp);
    double c = sp->content;
    if (c <= 0 || c >= 1)
        return s;
    double z = log(c / (1 - c)) + mix * 4 * (soft - exact);
    return 1 / (1 + exp(-z)) * sp->time;
}

typedef struct Row {
    double score, exact, soft, boost;
} Row;

static void measure(const Cooc *c, const StoryVec *a, const StoryVec *b, Row *r, CoocWhy *why)
{
    SimParts sp;
    sim_features(a, b, &sp);
    r->score = sim_score(sim_default(), &sp);
    r->soft = cooc_soft(c, a, b, why);
    CoocWhy w;
    cooc_soft(c, a, b, &w);
    r->exact = w.exact;
    r->boost = boosted(sim_default(), &sp, r->soft, r->exact);
}

static void report(const char *what, Row *rows, size_t n, double (*stat)(const double *, const void *, size_t),
                   const void *gold)
{
    double *x = malloc((n ? n : 1) * sizeof *x);
    const char *lab[4] = { "pair model score", "context overlap (exact)", "soft overlap (cooc)",
                           "score + soft links" };
    printf("%s\n", what);
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < n; i++)
            x[i] = k == 0 ? rows[i].score : k == 1 ? rows[i].exact : k == 2 ? rows[i].soft : rows[i].boost;
        printf("  %-26s %.3f\n", lab[k], stat(x, gold, n));
    }
    free(x);
}

static double stat_auc(const double *x, const void *g, size_t n) { return simeval_auc(x, g, n); }
static double stat_pearson(const double *x, const void *g, size_t n) { return simeval_pearson(x, g, n); }

static void semeval(rasd_text *t, const Cooc *c, const char *path)
{
    char **t1, **t2;
    double *gold;
    size_t n = simeval_read(path, &t1, &t2, &gold);
    for (size_t i = 0; i < n; i++)
        gold[i] = 4 - gold[i];
    /* as train_similarity: document frequencies over every text of the file */
    SvDf *df = sv_df_new();
    StoryVec *va = calloc(n ? n : 1, sizeof *va), *vb = calloc(n ? n : 1, sizeof *vb);
    for (size_t i = 0; i < n; i++) {
        if (snn_vector(t, NULL, t1[i], NULL, 1, &va[i]) || snn_vector(t, NULL, t2[i], NULL, 1, &vb[i]))
            exit(1);
        sv_df_add(df, &va[i]);
        sv_df_add(df, &vb[i]);
    }
    Row *rows = calloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        sv_weigh(&va[i], df);
        sv_weigh(&vb[i], df);
        measure(c, &va[i], &vb[i], &rows[i], NULL);
        sv_free(&va[i]);
        sv_free(&vb[i]);
        free(t1[i]);
        free(t2[i]);
    }
    char what[128];
    snprintf(what, sizeof what, "SemEval-2022 Task 8 Arabic, %zu pairs: Pearson with 4 - Overall", n);
    report(what, rows, n, stat_pearson, gold);
    free(rows);
    free(va);
    free(vb);
    free(t1);
    free(t2);
    free(gold);
    sv_df_free(df);
}

static void pairs(const char *tsv, const Cooc *c, const SnnArticle *arr, const StoryVec *v, size_t n,
                  int show)
{
    FILE *f = fopen(tsv, "r");
    if (!f) {
        perror(tsv);
        exit(1);
    }
    char line[8192];
    size_t np = 0, cap = 64, missing = 0;
    Row *rows = malloc(cap * sizeof *rows);
    double *y = malloc(cap * sizeof *y);
    while (fgets(line, sizeof line, f)) {
        size_t ia, ib;
        int gold, got = snn_pair_line(line, arr, n, &ia, &ib, &gold);
        missing += got < 0;
        if (got <= 0)
            continue;
        if (np == cap) {
            cap *= 2;
            rows = realloc(rows, cap * sizeof *rows);
            y = realloc(y, cap * sizeof *y);
        }
        CoocWhy why;
        measure(c, &v[ia], &v[ib], &rows[np], &why);
        y[np] = gold;
        if (show > 0 && y[np] > 0.5 && why.n) {
            show--;
            printf("  %.2f -> %.2f  %s | %s\n", rows[np].score, rows[np].boost, arr[ia].title,
                   arr[ib].title);
            for (size_t k = 0; k < why.n; k++)
                printf("      %s ~ %s  (npmi %.2f)\n", name(why.link[k].x), name(why.link[k].y),
                       why.link[k].npmi);
        }
        np++;
    }
    fclose(f);
    size_t pos = 0;
    for (size_t i = 0; i < np; i++)
        pos += y[i] > 0.5;
    char what[256];
    snprintf(what, sizeof what, "%s: %zu pairs (%zu same event, %zu not in the days): AUC", tsv, np,
             pos, missing);
    report(what, rows, np, stat_auc, y);
    /* at the event threshold, as a pair classifier */
    double th = sim_default()->event_threshold;
    for (int k = 0; k < 2; k++) {
        size_t tp = 0, fp = 0, fn = 0;
        for (size_t i = 0; i < np; i++) {
            int says = (k ? rows[i].boost : rows[i].score) >= th;
            int same = y[i] > 0.5;
            tp += says && same;
            fp += says && !same;
            fn += !says && same;
        }
        printf("  %s at %.2f: P %.3f R %.3f\n", k ? "score + soft links" : "pair model score", th,
               tp + fp ? (double)tp / (tp + fp) : 0, tp + fn ? (double)tp / (tp + fn) : 0);
    }
    free(rows);
    free(y);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *se = NULL, *tsv[8];
    int ntsv = 0, show = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--semeval") && i + 1 < argc)
            se = argv[++i];
        else if (!strcmp(argv[i], "--pairs") && i + 1 < argc && ntsv < 8)
            tsv[ntsv++] = argv[++i];
        else if (!strcmp(argv[i], "--show") && i + 1 < argc)
            show = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--mix") && i + 1 < argc)
            mix = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: eval-cooc [-o MODEL] [--semeval CSV] [--pairs TSV]... [--show N] "
                            "[--mix W] DAY.json ...\n");
            return 2;
        }
    }
    SnnArticle *arr = NULL;
    size_t n = 0;
    if (snn_load_days(argv + i, argc - i, &arr, &n) < 0)
        return 1;
    rasd_text *t;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK)
        return 1;
    SvDf *df = sv_df_new();
    Cooc *c = cooc_new(0);
    StoryVec *v = calloc(n ? n : 1, sizeof *v);
    size_t day0 = 0;
    for (size_t k = 0; k <= n; k++) {
        /* a day is added once it is complete, as stories would */
        if (k == n || (k > day0 && strncmp(arr[k].date, arr[day0].date, 10))) {
            for (size_t q = day0; q < k; q++)
                if (cooc_update(c, &v[q]) < 0) {
                    fprintf(stderr, "out of memory\n");
                    return 1;
                }
            day0 = k;
        }
        if (k == n)
            break;
        if (snn_vector(t, arr[k].title, arr[k].content, arr[k].date, 1, &v[k]))
            return 1;
        sv_df_add(df, &v[k]);
        sv_weigh(&v[k], df);
        if (show)
            learn_names(t, arr[k].title);
    }
    printf("archive: %zu articles, model of %u articles, %zu pairs\n", n, cooc_docs(c), cooc_pairs(c));
    for (int p = 0; p < ntsv; p++)
        pairs(tsv[p], c, arr, v, n, show);
    if (se)
        semeval(t, c, se);
    if (out) {
        Buf b = { 0 };
        cooc_encode(c, &b);
        FILE *f = fopen(out, "wb");
        if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
            perror(out);
            return 1;
        }
        printf("wrote %s (%zu bytes)\n", out, b.len);
        buf_free(&b);
    }
    for (size_t k = 0; k < n; k++)
        sv_free(&v[k]);
    free(v);
    cooc_free(c);
    sv_df_free(df);
    snn_free(arr, n);
    rasd_text_free(t);
    return 0;
}
