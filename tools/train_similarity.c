/*
 * train_similarity.c — learns the story similarity model
 * (models/similarity.txt) and measures it.
 *
 *   train-similarity [--cv] [-o MODEL] [--dump PREFIX] [--silver-list FILE]
 *                    [--pairs TSV --pairs-day DAY.json ...]
 *                    [--train-pairs TSV --train-pairs-day DAY.json ...]
 *                    [--without COMPONENT,...]
 *                    SEMEVAL.csv [DAY.json ...]
 *
 * Data: the SemEval-2022 Task 8 Arabic pairs (Overall 1 = same story ...
 * 4 = unrelated; target y = (4 - Overall) / 3) and, when day files are
 * given, silver pairs from SaudiNewsNet (load_silver below: labelled by
 * the headlines, described by the bodies alone, so that the model learns
 * what two independently written reports of one event share).
 *
 * Model: logistic regression over the similarity components
 * (similarity.h), full-batch gradient descent from zero with a fixed
 * number of steps, L2 1e-3, weights kept non-negative: the same data give
 * the same model, byte for byte. SemEval pairs weigh as much in total as
 * the silver pairs.
 *
 * --cv: 5-fold cross-validation over the SemEval pairs (silver pairs are
 * always in training): Pearson correlation of the predicted score with
 * 4 - Overall, beside each component alone and a model trained on silver
 * pairs alone (no SemEval labels). --pairs: hand-labelled SaudiNewsNet
 * pairs (url_a, url_b, 1/0) found in the --pairs-day files: AUC of each
 * component and of the model, and precision/recall at the event
 * threshold. --train-pairs: hand-labelled SaudiNewsNet pairs of the tuning
 * days (found in the --train-pairs-day files) that join the training set,
 * weighing as much in total as the silver pairs: the only pairs whose
 * headlines are real, so the only ones from which the headline event
 * words (SIM_WHAT) can be learned; with --cv they are also scored by
 * 5-fold cross-validation (each fold's model trained without it).
 * --without A,B: those components keep weight 0 (computed and shown, not
 * weighted).
 * --dump PREFIX writes every pair's components to
 * PREFIX-{semeval,silver,labelled}.tsv; --silver-list the silver pairs
 * with their headlines, for checking their labels by hand.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simeval.h"
#include "snn.h"
#include "story/similarity.h"

typedef struct Pair {
    double f[SIM_NFEAT];
    double y;            /* target 0..1 */
    double w;            /* example weight */
    double gold;         /* SemEval: 4 - Overall; silver: -1 */
} Pair;

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* --without: components held at weight 0 (kept in the vectors and shown by
   rasd similar, not weighted) */
static unsigned without;

static void train(const Pair *p, size_t n, SimModel *m)
{
    double w[SIM_NFEAT + 1] = { 0 };
    double tw = 0;
    for (size_t i = 0; i < n; i++)
        tw += p[i].w;
    for (int it = 0; it < 4000; it++) {
        double g[SIM_NFEAT + 1] = { 0 };
        for (size_t i = 0; i < n; i++) {
            double z = w[SIM_NFEAT];
            for (int f = 0; f < SIM_NFEAT; f++)
                z += w[f] * p[i].f[f];
            double q = 1 / (1 + exp(-z));
            double d = (q - p[i].y) * p[i].w;
            for (int f = 0; f < SIM_NFEAT; f++)
                g[f] += d * p[i].f[f];
            g[SIM_NFEAT] += d;
        }
        for (int f = 0; f <= SIM_NFEAT; f++) {
            w[f] -= 2.0 * (g[f] / tw + (f < SIM_NFEAT ? 1e-3 * w[f] : 0));
            /* more overlap never means less likely the same story: a
             * negative weight would only fit the silver sampling */
            if (f < SIM_NFEAT && w[f] < 0)
                w[f] = 0;
            /* the headline cosine is shown but not weighted: the silver
             * labels come from the headlines, so silver features see the
             * lead's first words in its place and its weight would not
             * carry over to real headlines (they still count, twice, in
             * the terms and in the cross component) */
            if (f == SIM_TITLE || (f < SIM_NFEAT && (without >> f & 1)))
                w[f] = 0;
        }
    }
    memset(m, 0, sizeof *m);
    for (int f = 0; f < SIM_NFEAT; f++)
        m->w[f] = w[f];
    m->bias = w[SIM_NFEAT];
    /* Joining an event takes more than "probably the same story": a loose
     * threshold glues template news (receptions, greetings) together.
     * 0.6 was chosen on SaudiNewsNet 2015-07-21..27 by the grouping of 144
     * hand-labelled pairs from 07-26/27 (0.5: same-event pairs together
     * 0.87, different-event pairs apart 0.89 of those put together; 0.6:
     * 0.71 and 0.95; 0.7: 0.56 and 0.93) and by order sensitivity (best
     * from 0.6 up); the purity check in BENCHMARKS.md uses other days.
     * Session 7 (the model with days, places and event words, trained
     * with those 144 pairs too): 0.6 R 0.879 P 0.926, 0.65 R 0.838 P 0.943,
     * 0.7 R 0.828 P 0.943 on the tuning days' grouping, but from 0.65 up
     * the seeds' 2023 negotiations (reports without headlines) split:
     * 0.6 kept. */
    m->event_threshold = 0.6;
}

static double predict(const SimModel *m, const double *f)
{
    SimParts sp = { 0 };
    memcpy(sp.f, f, sizeof sp.f);
    sp.gap = -1;
    return sim_score(m, &sp);
}

/* SemEval pairs: two passes so IDF counts every text of the file. */
static size_t load_semeval(rasd_text *t, const char *path, Pair **out)
{
    char **t1, **t2;
    double *overall;
    size_t n = simeval_read(path, &t1, &t2, &overall);
    SvDf *df = sv_df_new();
    for (size_t i = 0; i < n; i++) {
        StoryVec v;
        if (snn_vector(t, NULL, t1[i], NULL, 1, &v) == 0) {
            sv_df_add(df, &v);
            sv_free(&v);
        }
        if (snn_vector(t, NULL, t2[i], NULL, 1, &v) == 0) {
            sv_df_add(df, &v);
            sv_free(&v);
        }
    }
    *out = calloc(n ? n : 1, sizeof **out);
    for (size_t i = 0; i < n; i++) {
        StoryVec a, c;
        SimParts sp;
        if (snn_vector(t, NULL, t1[i], NULL, 1, &a) || snn_vector(t, NULL, t2[i], NULL, 1, &c))
            exit(1);
        sv_weigh(&a, df);
        sv_weigh(&c, df);
        sim_features(&a, &c, &sp);
        memcpy((*out)[i].f, sp.f, sizeof sp.f);
        (*out)[i].gold = 4 - overall[i];
        (*out)[i].y = (4 - overall[i]) / 3;
        (*out)[i].w = 1;
        sv_free(&a);
        sv_free(&c);
        free(t1[i]);
        free(t2[i]);
    }
    free(t1);
    free(t2);
    free(overall);
    sv_df_free(df);
    return n;
}

/*
 * Silver pairs from SaudiNewsNet days. The label comes from the headlines
 * and the features from the bodies alone (each article's vector rebuilt
 * without its headline), so the labels are not circular: the model
 * learns what the texts of two reports of one event have in common, not
 * that similar headlines make similar headlines.
 *
 * Positives: two outlets, at most a day apart, whose headlines agree
 * (headline cosine SILVER_POS or more, at least two shared headline
 * stems that few headlines of those days carry): one best partner per
 * article. Copies (MinHash estimate 0.5 or
 * more) are kept to at most a third of them, so that independently
 * written reports, which are what grouping has to find, make the rest.
 * Negatives: three per positive, same day, two outlets, headlines with
 * nothing much in common (cosine below SILVER_NEG); half at random, half
 * the article whose body is closest (same topic or same actors, another
 * event: the pairs that chain events together). Both kinds are noisy (a
 * report can carry a headline unlike every other report of its event);
 * BENCHMARKS.md gives the noise estimated by hand.
 */
#define SILVER_POS 0.5
#define SILVER_NEG 0.1

static const char *silver_list; /* --silver-list FILE: pairs written out for hand checking */

/* Headline stems a and b share that few headlines carry (hdf: stem ->
   headlines with it): template words (receives, greets, Eid party) are
   in many headlines of a day and do not make two headlines one event. */
static size_t shared_stems(const StoryVec *a, const StoryVec *b, const IdMap *hdf, uint32_t rare)
{
    size_t i = 0, j = 0, k = 0;
    while (i < a->ntitle && j < b->ntitle) {
        if (a->title[i].id == b->title[j].id) {
            k += idmap_get(hdf, a->title[i].id) <= rare;
            i++;
            j++;
        } else if (a->title[i].id < b->title[j].id)
            i++;
        else
            j++;
    }
    return k;
}

static size_t load_silver(rasd_text *t, char **files, int nfiles, Pair **out)
{
    SnnArticle *arr = NULL;
    size_t n = 0;
    if (snn_load_days(files, nfiles, &arr, &n) < 0)
        exit(1);
    SvDf *df = sv_df_new();
    StoryVec *v = calloc(n ? n : 1, sizeof *v), *b = calloc(n ? n : 1, sizeof *b);
    uint8_t *headed = calloc(n ? n : 1, 1);
    for (size_t i = 0; i < n; i++) {
        if (snn_vector2(t, arr[i].title, arr[i].content, arr[i].date, 1, &v[i], &b[i]))
            exit(1);
        sv_df_add(df, &v[i]);
        sv_weigh(&v[i], df);
        sv_weigh(&b[i], df);
        headed[i] = strlen(arr[i].title) >= 12 && v[i].ntitle >= 3;
    }
    /* rare headline stems: in at most one headline in 500 (and at least 5) */
    IdMap hdf = { 0 };
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; headed[i] && k < v[i].ntitle; k++) {
            uint32_t *c = idmap_slot(&hdf, v[i].title[k].id);
            if (c)
                (*c)++;
        }
    uint32_t rare = n / 500 > 5 ? (uint32_t)(n / 500) : 5;
    FILE *list = silver_list ? fopen(silver_list, "w") : NULL;
    size_t cap = 1024, np = 0;
    Pair *p = malloc(cap * sizeof *p);
    size_t *pa = malloc(cap * sizeof *pa), *pb = malloc(cap * sizeof *pb);
    uint8_t *copy = malloc(cap);
    /* positives: each article's best headline partner among the later ones */
    size_t ncopy = 0, nind = 0;
    for (size_t i = 0; i < n; i++) {
        if (!headed[i])
            continue;
        size_t best = n;
        double bs = SILVER_POS;
        for (size_t j = i + 1; j < n && j < i + 4000; j++) {
            if (v[j].day - v[i].day > 1)
                break;
            if (!headed[j] || !strcmp(arr[i].source, arr[j].source))
                continue;
            double c = sv_cosine(v[i].title, v[i].ntitle, v[j].title, v[j].ntitle);
            if (c >= bs && shared_stems(&v[i], &v[j], &hdf, rare) >= 2) {
                bs = c;
                best = j;
            }
        }
        if (best == n)
            continue;
        if (np == cap) {
            cap *= 2;
            p = realloc(p, cap * sizeof *p);
            pa = realloc(pa, cap * sizeof *pa);
            pb = realloc(pb, cap * sizeof *pb);
            copy = realloc(copy, cap);
        }
        SimParts sp;
        sim_features(&v[i], &v[best], &sp);
        copy[np] = sp.f[SIM_NEAR] >= 0.5;
        ncopy += copy[np];
        nind += !copy[np];
        pa[np] = i;
        pb[np++] = best;
    }
    /* copies: at most half as many as independent reports, every k-th kept */
    size_t keep_copy = nind / 2, kept = 0, npos = 0, seen = 0;
    for (size_t q = 0; q < np; q++) {
        if (copy[q]) {
            seen++;
            if (kept >= keep_copy || seen * keep_copy < (kept + 1) * ncopy)
                continue;
            kept++;
        }
        pa[npos] = pa[q];
        pb[npos++] = pb[q];
    }
    np = npos;
    fprintf(stderr, "silver: %zu positives (%zu independent reports, %zu of %zu copies kept)\n", npos,
            nind, kept, ncopy);
    /* negatives */
    size_t want = 3 * npos, tries = 0;
    while (np - npos < want && tries++ < want * 50 && n > 1) {
        size_t i = next_rand() % n, j = next_rand() % n;
        if (!headed[i])
            continue;
        if ((np - npos) % 2) {
            double best = -1;
            j = i;
            for (size_t k = 0; k < n; k++) {
                if (k == i || v[k].day != v[i].day || !headed[k] ||
                    !strcmp(arr[i].source, arr[k].source) ||
                    sv_cosine(v[i].title, v[i].ntitle, v[k].title, v[k].ntitle) >= SILVER_NEG)
                    continue;
                double c = sv_cosine(b[i].terms, b[i].nterms, b[k].terms, b[k].nterms);
                if (c > best) {
                    best = c;
                    j = k;
                }
            }
        }
        if (i == j || !headed[j] || v[i].day != v[j].day || !strcmp(arr[i].source, arr[j].source))
            continue;
        if (sv_cosine(v[i].title, v[i].ntitle, v[j].title, v[j].ntitle) >= SILVER_NEG)
            continue;
        if (np == cap) {
            cap *= 2;
            p = realloc(p, cap * sizeof *p);
            pa = realloc(pa, cap * sizeof *pa);
            pb = realloc(pb, cap * sizeof *pb);
        }
        pa[np] = i;
        pb[np++] = j;
    }
    for (size_t q = 0; q < np; q++) {
        SimParts sp;
        sim_features(&b[pa[q]], &b[pb[q]], &sp);
        memcpy(p[q].f, sp.f, sizeof sp.f);
        p[q].y = q < npos;
        p[q].w = 1;
        p[q].gold = -1;
        if (list)
            fprintf(list, "%s\t%s\t%d\t%s\t%s\n", arr[pa[q]].url, arr[pb[q]].url, q < npos,
                    arr[pa[q]].title, arr[pb[q]].title);
    }
    if (list)
        fclose(list);
    fprintf(stderr, "silver: %zu articles, %zu positive and %zu negative pairs\n", n, npos,
            np - npos);
    for (size_t i = 0; i < n; i++) {
        sv_free(&v[i]);
        sv_free(&b[i]);
    }
    free(v);
    free(b);
    free(headed);
    idmap_free(&hdf);
    free(pa);
    free(pb);
    free(copy);
    sv_df_free(df);
    snn_free(arr, n);
    *out = p;
    return np;
}

/*
 * Hand-labelled SaudiNewsNet pairs: lines "url_a<TAB>url_b<TAB>label..."
 * (label 1 same event, 0 not, anything else skipped), looked up in the
 * given day files; vectors weighted with document frequencies counted in
 * date order, as the assigner sees them.
 */
static size_t load_labelled(rasd_text *t, const char *tsv, char **days, int ndays, Pair **out)
{
    SnnArticle *arr = NULL;
    size_t n = 0;
    if (snn_load_days(days, ndays, &arr, &n) < 0)
        exit(1);
    SvDf *df = sv_df_new();
    StoryVec *v = calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        if (snn_vector(t, arr[i].title, arr[i].content, arr[i].date, 1, &v[i]))
            exit(1);
        sv_df_add(df, &v[i]);
        sv_weigh(&v[i], df);
    }
    Buf b = { 0 };
    rasd_error err;
    if (buf_read_file(&b, tsv, &err) != RASD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    buf_append(&b, "", 1);
    size_t np = 0, cap = 64;
    Pair *p = malloc(cap * sizeof *p);
    for (char *line = b.data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char *f[3] = { line, NULL, NULL };
        for (int k = 1; k < 3 && f[k - 1]; k++) {
            char *tab = strchr(f[k - 1], '\t');
            if (tab) {
                *tab = 0;
                f[k] = tab + 1;
            }
        }
        if (f[2] && (f[2][0] == '0' || f[2][0] == '1')) {
            size_t ia = n, ib = n;
            for (size_t i = 0; i < n; i++) {
                if (!strcmp(arr[i].url, f[0]))
                    ia = i;
                if (!strcmp(arr[i].url, f[1]))
                    ib = i;
            }
            if (ia == n || ib == n) {
                fprintf(stderr, "%s: pair not in the day files: %s %s\n", tsv, f[0], f[1]);
            } else {
                SimParts sp;
                sim_features(&v[ia], &v[ib], &sp);
                if (np == cap)
                    p = realloc(p, (cap *= 2) * sizeof *p);
                memcpy(p[np].f, sp.f, sizeof sp.f);
                p[np].y = f[2][0] == '1';
                p[np].w = 1;
                p[np].gold = p[np].y;
                np++;
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    buf_free(&b);
    for (size_t i = 0; i < n; i++)
        sv_free(&v[i]);
    free(v);
    sv_df_free(df);
    snn_free(arr, n);
    *out = p;
    return np;
}

static void dump_pairs(const char *path, const Pair *p, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    for (int k = 0; k < SIM_NFEAT; k++)
        fprintf(f, "%s\t", sim_feature_name(k));
    fprintf(f, "y\tgold\n");
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < SIM_NFEAT; k++)
            fprintf(f, "%.5f\t", p[i].f[k]);
        fprintf(f, "%.4f\t%.4f\n", p[i].y, p[i].gold);
    }
    fclose(f);
}

/* Every training pair into all: silver, SemEval (weight sw each), tuning pairs. */
static size_t gather(Pair *all, const Pair *se, size_t nse, double sw, const Pair *sv, size_t nsv,
                     const Pair *tl, size_t ntl)
{
    size_t k = 0;
    for (size_t j = 0; j < nsv; j++)
        all[k++] = sv[j];
    for (size_t j = 0; j < nse; j++) {
        all[k] = se[j];
        all[k++].w = sw;
    }
    for (size_t j = 0; j < ntl; j++)
        all[k++] = tl[j];
    return k;
}

/* 5-fold CV over the tuning pairs: each fold scored by a model trained on
   everything else (silver, SemEval, the other folds); AUC and P/R at the
   event threshold, beside the model trained without any tuning pair. */
static void cv_train_pairs(const Pair *se, size_t nse, double sw, const Pair *sv, size_t nsv,
                           const Pair *tl, size_t ntl, Pair *all)
{
    double *sc = calloc(ntl, sizeof *sc), *base = calloc(ntl, sizeof *base);
    double *y = calloc(ntl, sizeof *y);
    SimModel m0;
    train(all, gather(all, se, nse, sw, sv, nsv, NULL, 0), &m0);
    for (int fold = 0; fold < 5; fold++) {
        size_t k = gather(all, se, nse, sw, sv, nsv, NULL, 0);
        for (size_t j = 0; j < ntl; j++)
            if ((int)(j % 5) != fold)
                all[k++] = tl[j];
        SimModel m;
        train(all, k, &m);
        for (size_t j = 0; j < ntl; j++)
            if ((int)(j % 5) == fold)
                sc[j] = predict(&m, tl[j].f);
    }
    size_t tp[2] = { 0 }, fp[2] = { 0 }, fn[2] = { 0 };
    for (size_t j = 0; j < ntl; j++) {
        y[j] = tl[j].y;
        base[j] = predict(&m0, tl[j].f);
        for (int w = 0; w < 2; w++) {
            int says = (w ? sc[j] : base[j]) >= m0.event_threshold, same = y[j] > 0.5;
            tp[w] += same && says;
            fp[w] += !same && says;
            fn[w] += same && !says;
        }
    }
    printf("tuning pairs in training: %zu; scored by 5-fold CV\n", ntl);
    for (int w = 0; w < 2; w++)
        printf("  %-28s AUC %.3f, at %.2f P %.3f R %.3f\n",
               w ? "model with the other folds" : "model without tuning pairs",
               simeval_auc(w ? sc : base, y, ntl), m0.event_threshold,
               tp[w] + fp[w] ? (double)tp[w] / (tp[w] + fp[w]) : 0,
               tp[w] + fn[w] ? (double)tp[w] / (tp[w] + fn[w]) : 0);
    free(sc);
    free(base);
    free(y);
}

int main(int argc, char **argv)
{
    int cv = 0, nlab_days = 0, ntrain_days = 0;
    double train_weight = 1;
    const char *outp = NULL, *labelled = NULL, *dump = NULL, *train_lab = NULL;
    char *lab_days[64], *train_days[64];
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--cv"))
            cv = 1;
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            outp = argv[++i];
        else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
            labelled = argv[++i];
        else if (!strcmp(argv[i], "--pairs-day") && i + 1 < argc && nlab_days < 64)
            lab_days[nlab_days++] = argv[++i];
        else if (!strcmp(argv[i], "--train-pairs") && i + 1 < argc)
            train_lab = argv[++i];
        else if (!strcmp(argv[i], "--train-weight") && i + 1 < argc)
            train_weight = atof(argv[++i]);
        else if (!strcmp(argv[i], "--train-pairs-day") && i + 1 < argc && ntrain_days < 64)
            train_days[ntrain_days++] = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(argv[i], "--without") && i + 1 < argc) {
            char *list = argv[++i];
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
                int f = 0;
                while (f < SIM_NFEAT && strcmp(sim_feature_name(f), tok))
                    f++;
                if (f == SIM_NFEAT) {
                    fprintf(stderr, "train-similarity: --without: no component '%s'\n", tok);
                    return 2;
                }
                without |= 1u << f;
            }
        }
        else if (!strcmp(argv[i], "--silver-list") && i + 1 < argc)
            silver_list = argv[++i];
        else {
            fprintf(stderr, "usage: train-similarity [--cv] [-o MODEL] [--dump PREFIX] [--pairs TSV --pairs-day DAY.json ...] [--train-pairs TSV --train-pairs-day DAY.json ...] SEMEVAL.csv [DAY.json ...]\n");
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: train-similarity [--cv] [-o MODEL] [--dump PREFIX] [--pairs TSV --pairs-day DAY.json ...] [--train-pairs TSV --train-pairs-day DAY.json ...] SEMEVAL.csv [DAY.json ...]\n");
        return 2;
    }
    rasd_text *t;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    Pair *se = NULL, *sv = NULL;
    size_t nse = load_semeval(t, argv[i], &se);
    size_t nsv = argc - i - 1 > 0 ? load_silver(t, argv + i + 1, argc - i - 1, &sv) : 0;
    fprintf(stderr, "semeval: %zu pairs\n", nse);
    Pair *lab = NULL;
    size_t nlab = labelled ? load_labelled(t, labelled, lab_days, nlab_days, &lab) : 0;
    Pair *tl = NULL;
    size_t ntl = train_lab ? load_labelled(t, train_lab, train_days, ntrain_days, &tl) : 0;
    /* tuning pairs weigh as much in total as the silver ones (× --train-weight) */
    for (size_t j = 0; j < ntl; j++)
        tl[j].w = train_weight * (nsv ? (double)nsv / ntl : 1);
    if (dump) {
        char path[1024];
        snprintf(path, sizeof path, "%s-semeval.tsv", dump);
        dump_pairs(path, se, nse);
        snprintf(path, sizeof path, "%s-silver.tsv", dump);
        dump_pairs(path, sv, nsv);
        snprintf(path, sizeof path, "%s-labelled.tsv", dump);
        dump_pairs(path, lab, nlab);
    }
    /* SemEval pairs weigh as much in total as the silver ones */
    double sw = nsv && nse ? (double)nsv / nse : 1;
    Pair *all = malloc((nse + nsv + ntl + 1) * sizeof *all);

    if (cv) {
        double *pred = calloc(nse, sizeof *pred), *silv = calloc(nse, sizeof *silv);
        double *gold = calloc(nse, sizeof *gold), *cosv = calloc(nse, sizeof *cosv);
        for (int fold = 0; fold < 5; fold++) {
            size_t k = 0;
            for (size_t j = 0; j < nsv; j++)
                all[k++] = sv[j];
            for (size_t j = 0; j < nse; j++)
                if ((int)(j % 5) != fold) {
                    all[k] = se[j];
                    all[k++].w = sw;
                }
            for (size_t j = 0; j < ntl; j++)
                all[k++] = tl[j];
            SimModel m;
            train(all, k, &m);
            for (size_t j = 0; j < nse; j++)
                if ((int)(j % 5) == fold)
                    pred[j] = predict(&m, se[j].f);
        }
        SimModel ms;
        if (nsv) {
            train(sv, nsv, &ms);
            for (size_t j = 0; j < nse; j++)
                silv[j] = predict(&ms, se[j].f);
        }
        for (size_t j = 0; j < nse; j++) {
            gold[j] = se[j].gold;
            cosv[j] = se[j].f[SIM_TERMS];
        }
        printf("SemEval-2022 Task 8 Arabic pairs: %zu (Pearson with 4 - Overall)\n", nse);
        printf("  stem TF-IDF cosine alone       %.3f\n", simeval_pearson(cosv, gold, nse));
        for (int f = 1; f < SIM_NFEAT; f++) {
            for (size_t j = 0; j < nse; j++)
                cosv[j] = se[j].f[f];
            printf("  %-6s component alone        %.3f\n", sim_feature_name(f),
                   simeval_pearson(cosv, gold, nse));
        }
        if (nsv)
            printf("  model, silver pairs only       %.3f\n", simeval_pearson(silv, gold, nse));
        printf("  model, 5-fold CV (+silver)     %.3f\n", simeval_pearson(pred, gold, nse));
        /* as a classifier: Overall <= 2 means the same story */
        size_t tp = 0, fp = 0, fn = 0;
        for (size_t j = 0; j < nse; j++) {
            int same = gold[j] >= 2, says = pred[j] >= 0.5;
            tp += same && says;
            fp += !same && says;
            fn += same && !says;
        }
        printf("  same story (Overall <= 2) at 0.5: P %.3f R %.3f\n",
               tp + fp ? (double)tp / (tp + fp) : 0, tp + fn ? (double)tp / (tp + fn) : 0);
        if (ntl)
            cv_train_pairs(se, nse, sw, sv, nsv, tl, ntl, all);
        if (nlab) {
            /* the model trained on everything, on hand-labelled pairs of other days */
            size_t k = gather(all, se, nse, sw, sv, nsv, tl, ntl);
            SimModel m;
            train(all, k, &m);
            double *sc = calloc(nlab, sizeof *sc), *y = calloc(nlab, sizeof *y);
            size_t npos = 0;
            for (size_t j = 0; j < nlab; j++) {
                y[j] = lab[j].y;
                npos += lab[j].y > 0.5;
            }
            printf("hand-labelled SaudiNewsNet pairs: %zu (%zu same event); AUC\n", nlab, npos);
            for (int f = 0; f < SIM_NFEAT; f++) {
                for (size_t j = 0; j < nlab; j++)
                    sc[j] = lab[j].f[f];
                printf("  %-6s component alone        %.3f\n", sim_feature_name(f), simeval_auc(sc, y, nlab));
            }
            size_t tp2 = 0, fp2 = 0, fn2 = 0;
            for (size_t j = 0; j < nlab; j++) {
                sc[j] = predict(&m, lab[j].f);
                int says = sc[j] >= m.event_threshold, same = y[j] > 0.5;
                tp2 += same && says;
                fp2 += !same && says;
                fn2 += same && !says;
            }
            printf("  model                          %.3f\n", simeval_auc(sc, y, nlab));
            printf("  same event at the threshold %.2f: P %.3f R %.3f\n", m.event_threshold,
                   tp2 + fp2 ? (double)tp2 / (tp2 + fp2) : 0,
                   tp2 + fn2 ? (double)tp2 / (tp2 + fn2) : 0);
            free(sc);
            free(y);
        }
        free(pred);
        free(silv);
        free(gold);
        free(cosv);
    }
    if (outp) {
        size_t k = gather(all, se, nse, sw, sv, nsv, tl, ntl);
        SimModel m;
        train(all, k, &m);
        Buf b = { 0 };
        buf_printf(&b, "# story similarity model: logistic regression over the components of\n"
                       "# src/story/similarity.h, trained by tools/train_similarity.c (`make\n"
                       "# similarity-model`) on %zu SemEval-2022 Task 8 Arabic pairs and %zu silver\n"
                       "# SaudiNewsNet pairs",
                   nse, nsv);
        if (ntl)
            buf_printf(&b, ", with %zu hand-labelled pairs of the tuning days", ntl);
        buf_printf(&b, ".\n");
        if (without) {
            buf_printf(&b, "# Held at weight 0 (--without):");
            for (int f = 0; f < SIM_NFEAT; f++)
                if (without >> f & 1)
                    buf_printf(&b, " %s", sim_feature_name(f));
            buf_printf(&b, ".\n");
        }
        buf_printf(&b, "# Deterministic: same data, same file.\n");
        sim_model_format(&m, &b);
        FILE *f = fopen(outp, "w");
        if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
            perror(outp);
            return 1;
        }
        buf_free(&b);
        fprintf(stderr, "wrote %s\n", outp);
    }
    free(all);
    free(se);
    free(sv);
    free(lab);
    free(tl);
    rasd_text_free(t);
    return 0;
}
