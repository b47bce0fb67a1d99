/*
 * train_similarity.c — learns the story similarity model
 * (models/similarity.txt) and measures it.
 *
 *   train-similarity [--cv] [-o MODEL] SEMEVAL.csv [SNN_DAY.json ...]
 *
 * Data: the SemEval-2022 Task 8 Arabic pairs (Overall 1 = same story ...
 * 4 = unrelated; target y = (4 - Overall) / 3) and, when day files are
 * given, silver pairs from SaudiNewsNet: positives are articles of two
 * different outlets within a day of each other with the same normalised
 * headline (wire copies), or with near-copy bodies under different
 * headlines (rewrites); negatives are random pairs of
 * different outlets on the same day with unrelated headlines (headline
 * cosine below 0.2), half of them the textually closest such article (a
 * related but different event); a few are the same story: that is the noise.
 *
 * Model: logistic regression over the similarity components
 * (similarity.h), full-batch gradient descent from zero with a fixed
 * number of steps, L2 1e-3, weights kept non-negative: the same data give the same model, byte for
 * byte. SemEval pairs weigh as much in total as the silver pairs.
 *
 * --cv: 5-fold cross-validation over the SemEval pairs (silver pairs are
 * always in training): Pearson correlation of the predicted score with
 * 4 - Overall, beside the plain stem cosine and a model trained on silver
 * pairs alone (no SemEval labels).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
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
        }
    }
    memset(m, 0, sizeof *m);
    for (int f = 0; f < SIM_NFEAT; f++)
        m->w[f] = w[f];
    m->bias = w[SIM_NFEAT];
    /* Joining an event takes more than "probably the same story": single
     * link chains, so a loose threshold glues template news (receptions,
     * greetings) together. 0.7 was chosen by reading the events of two
     * SaudiNewsNet days (2015-07-21/22) at 0.6, 0.7 and 0.8; the purity
     * check in BENCHMARKS.md uses other days. */
    m->event_threshold = 0.7;
}

static double predict(const SimModel *m, const double *f)
{
    SimParts sp = { 0 };
    memcpy(sp.f, f, sizeof sp.f);
    sp.gap = -1;
    return sim_score(m, &sp);
}

static double pearson(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

/* SemEval pairs: two passes so IDF counts every text of the file. */
static size_t load_semeval(rasd_text *t, const char *path, Pair **out)
{
    Buf b = { 0 };
    rasd_error err;
    if (buf_read_file(&b, path, &err) != RASD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    const char *p = b.data, *end = b.data + b.len;
    CsvRow row;
    char **t1 = NULL, **t2 = NULL;
    double *overall = NULL;
    size_t n = 0, cap = 0;
    int header = 1, i1 = -1, i2 = -1, io = -1;
    while (csv_next(&p, end, &row) > 0) {
        if (header) {
            for (size_t i = 0; i < row.n; i++) {
                if (!strcmp(row.f[i], "text1")) i1 = (int)i;
                if (!strcmp(row.f[i], "text2")) i2 = (int)i;
                if (!strcmp(row.f[i], "Overall")) io = (int)i;
            }
            header = 0;
            csv_free(&row);
            if (i1 < 0 || i2 < 0 || io < 0) {
                fprintf(stderr, "%s: no text1/text2/Overall columns\n", path);
                exit(1);
            }
            continue;
        }
        if ((int)row.n <= i2 || (int)row.n <= io) {
            csv_free(&row);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            t1 = realloc(t1, cap * sizeof *t1);
            t2 = realloc(t2, cap * sizeof *t2);
            overall = realloc(overall, cap * sizeof *overall);
        }
        t1[n] = strdup(row.f[i1]);
        t2[n] = strdup(row.f[i2]);
        overall[n] = atof(row.f[io]);
        n++;
        csv_free(&row);
    }
    buf_free(&b);
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

/* Silver pairs from SaudiNewsNet days (see the file comment). */
static size_t load_silver(rasd_text *t, char **files, int nfiles, Pair **out)
{
    SnnArticle *arr = NULL;
    size_t n = 0;
    for (int i = 0; i < nfiles; i++)
        if (snn_load(files[i], &arr, &n) < 0)
            exit(1);
    qsort(arr, n, sizeof *arr, snn_by_date);
    SvDf *df = sv_df_new();
    StoryVec *v = calloc(n ? n : 1, sizeof *v);
    uint64_t *head = calloc(n ? n : 1, sizeof *head);
    for (size_t i = 0; i < n; i++) {
        if (snn_vector(t, arr[i].title, arr[i].content, arr[i].date, 1, &v[i]))
            exit(1);
        sv_df_add(df, &v[i]);
        sv_weigh(&v[i], df);
        char *key = NULL;
        size_t kl = 0;
        rasd_error err;
        if (rasd_normalise(arr[i].title, strlen(arr[i].title), RASD_NORM_KEY, &key, &kl, NULL, &err) ==
                RASD_OK && kl > 12)
            head[i] = rasd_hash(key, kl);
        free(key);
    }
    size_t cap = 1024, np = 0, npos = 0;
    Pair *p = malloc(cap * sizeof *p);
    /* positives: same headline hash, different outlet, within a day; and
     * rewrites: a different headline over a body that is a near-copy
     * (MinHash estimate 0.5 or more), so the model does not learn that only
     * headlines matter */
    size_t nrew = 0;
    for (size_t i = 0; i < n; i++) {
        int got_same = !head[i], got_rew = 0;
        for (size_t j = i + 1; j < n && j < i + 4000 && !(got_same && got_rew); j++) {
            if (v[j].day - v[i].day > 1)
                break;
            if (!strcmp(arr[i].source, arr[j].source))
                continue;
            SimParts sp;
            int same = head[i] && head[j] == head[i];
            if (same && got_same)
                continue;
            if (!same) {
                if (got_rew || !v[i].has_sig || !v[j].has_sig)
                    continue;
                sim_features(&v[i], &v[j], &sp);
                if (sp.f[SIM_NEAR] < 0.5)
                    continue;
            } else {
                sim_features(&v[i], &v[j], &sp);
            }
            if (np == cap)
                p = realloc(p, (cap *= 2) * sizeof *p);
            memcpy(p[np].f, sp.f, sizeof sp.f);
            p[np].y = 1;
            p[np].w = 1;
            p[np].gold = -1;
            np++;
            npos++;
            if (same)
                got_same = 1; /* one partner per article keeps copy groups from dominating */
            else {
                got_rew = 1;
                nrew++;
            }
        }
    }
    fprintf(stderr, "silver: %zu of the positives are rewrites under another headline\n", nrew);
    /* negatives: three per positive, same-day pairs of different outlets with
     * unrelated headlines; half random, half the closest such article by text
     * (related but different events: the ones that chain stories together) */
    size_t want = 3 * npos, tries = 0;
    while (np - npos < want && tries++ < want * 50 && n > 1) {
        size_t i = next_rand() % n, j = next_rand() % n;
        if ((np - npos) % 2) {
            double best = 0.2;
            j = i;
            for (size_t k = 0; k < n; k++) {
                if (k == i || v[k].day != v[i].day || !strcmp(arr[i].source, arr[k].source) ||
                    sv_cosine(v[i].title, v[i].ntitle, v[k].title, v[k].ntitle) >= 0.1)
                    continue;
                double c = sv_cosine(v[i].terms, v[i].nterms, v[k].terms, v[k].nterms);
                if (c > best) {
                    best = c;
                    j = k;
                }
            }
        }
        if (i == j || v[i].day != v[j].day || !strcmp(arr[i].source, arr[j].source))
            continue;
        if (sv_cosine(v[i].title, v[i].ntitle, v[j].title, v[j].ntitle) >= 0.2)
            continue;
        if (np == cap)
            p = realloc(p, (cap *= 2) * sizeof *p);
        SimParts sp;
        sim_features(&v[i], &v[j], &sp);
        memcpy(p[np].f, sp.f, sizeof sp.f);
        p[np].y = 0;
        p[np].w = 1;
        p[np].gold = -1;
        np++;
    }
    fprintf(stderr, "silver: %zu articles, %zu positive and %zu negative pairs\n", n, npos,
            np - npos);
    for (size_t i = 0; i < n; i++)
        sv_free(&v[i]);
    free(v);
    free(head);
    sv_df_free(df);
    snn_free(arr, n);
    *out = p;
    return np;
}

int main(int argc, char **argv)
{
    int cv = 0;
    const char *outp = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--cv"))
            cv = 1;
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            outp = argv[++i];
        else {
            fprintf(stderr, "usage: train-similarity [--cv] [-o MODEL] SEMEVAL.csv [DAY.json ...]\n");
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: train-similarity [--cv] [-o MODEL] SEMEVAL.csv [DAY.json ...]\n");
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
    /* SemEval pairs weigh as much in total as the silver ones */
    double sw = nsv && nse ? (double)nsv / nse : 1;
    Pair *all = malloc((nse + nsv + 1) * sizeof *all);

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
        printf("  stem TF-IDF cosine alone       %.3f\n", pearson(cosv, gold, nse));
        for (int f = 1; f < SIM_NFEAT; f++) {
            for (size_t j = 0; j < nse; j++)
                cosv[j] = se[j].f[f];
            printf("  %-6s component alone        %.3f\n", sim_feature_name(f),
                   pearson(cosv, gold, nse));
        }
        if (nsv)
            printf("  model, silver pairs only       %.3f\n", pearson(silv, gold, nse));
        printf("  model, 5-fold CV (+silver)     %.3f\n", pearson(pred, gold, nse));
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
        free(pred);
        free(silv);
        free(gold);
        free(cosv);
    }
    if (outp) {
        size_t k = 0;
        for (size_t j = 0; j < nsv; j++)
            all[k++] = sv[j];
        for (size_t j = 0; j < nse; j++) {
            all[k] = se[j];
            all[k++].w = sw;
        }
        SimModel m;
        train(all, k, &m);
        Buf b = { 0 };
        buf_printf(&b, "# story similarity model: logistic regression over the components of\n"
                       "# src/story/similarity.h, trained by tools/train_similarity.c (`make\n"
                       "# similarity-model`) on %zu SemEval-2022 Task 8 Arabic pairs and %zu silver\n"
                       "# SaudiNewsNet pairs. Deterministic: same data, same file.\n",
                   nse, nsv);
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
    rasd_text_free(t);
    return 0;
}
