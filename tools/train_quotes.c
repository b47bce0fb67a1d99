/*
 * train_quotes.c — trains the quote speaker chooser (src/annotate/quotes_choose.c)
 * from candidate files written by `eval-quotes --rules --cands FILE` on the
 * annotated tuning halves, and writes models/quote-speakers.txt.
 *
 * Input: "Q" lines opening a quote, then "C LABEL RULE feature ..." lines,
 * one per candidate (LABEL 1: the gold speaker; RULE 1: the rules' choice);
 * '#' lines (the gold speaker, each candidate's name) are for a reader.
 * Model: a log-linear ranker over each quote's candidates (softmax; the
 * probability mass of the gold candidates is maximised), L2-regularised,
 * trained by full-batch gradient descent from zero weights in file order:
 * the same files give the same model, byte for byte. Quotes with no gold
 * candidate teach nothing and are skipped.
 *
 * usage: train_quotes [-o MODEL.txt] [--cv K] [--iters N] [--l2 L] CANDS.txt...
 *   --cv K  also report K-fold accuracy over contiguous blocks of quotes
 *           (rules' choice vs the model's), trained on the other folds
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/quotes.h"

typedef struct Cand {
    int label, rule;
    unsigned nf;
    unsigned short f[QC_MAXF];
} Cand;

typedef struct Group {
    size_t first, n; /* candidates [first, first+n) */
    int any_gold, rule_gold;
} Group;

static Cand *cands;
static size_t ncands, cap_cands;
static Group *groups;
static size_t ngroups, cap_groups;
static char names[QC_NFEAT][64];

static int feature_of(const char *s)
{
    for (unsigned f = 0; f < QC_NFEAT; f++)
        if (names[f][0] && strcmp(names[f], s) == 0)
            return (int)f;
    return -1;
}

static int load(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        perror(path);
        return -1;
    }
    char line[4096];
    size_t ln = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        if (line[0] == '#')
            continue; /* the names, for a reader */
        if (line[0] == 'Q') {
            if (ngroups == cap_groups) {
                cap_groups = cap_groups ? cap_groups * 2 : 256;
                groups = realloc(groups, cap_groups * sizeof *groups);
                if (!groups)
                    goto oom;
            }
            groups[ngroups++] = (Group){ncands, 0, 0, 0};
            continue;
        }
        if (line[0] != 'C' || !ngroups) {
            fprintf(stderr, "%s:%zu: expected a Q or C line\n", path, ln);
            fclose(fp);
            return -1;
        }
        if (ncands == cap_cands) {
            cap_cands = cap_cands ? cap_cands * 2 : 1024;
            cands = realloc(cands, cap_cands * sizeof *cands);
            if (!cands)
                goto oom;
        }
        Cand *c = &cands[ncands];
        memset(c, 0, sizeof *c);
        int field = 0;
        for (char *tok = line + 1; *tok;) {
            while (*tok == ' ' || *tok == '\n')
                tok++;
            if (!*tok)
                break;
            char *end = tok;
            while (*end && *end != ' ' && *end != '\n')
                end++;
            char keep = *end;
            *end = 0;
            if (field == 0)
                c->label = atoi(tok);
            else if (field == 1)
                c->rule = atoi(tok);
            else {
                int f = feature_of(tok);
                if (f < 0) {
                    fprintf(stderr, "%s:%zu: unknown feature '%s'\n", path, ln, tok);
                    fclose(fp);
                    return -1;
                }
                if (c->nf < QC_MAXF)
                    c->f[c->nf++] = (unsigned short)f;
            }
            field++;
            *end = keep;
            tok = end;
        }
        if (field < 2) {
            fprintf(stderr, "%s:%zu: a C line needs LABEL and RULE\n", path, ln);
            fclose(fp);
            return -1;
        }
        Group *g = &groups[ngroups - 1];
        g->n++;
        g->any_gold |= c->label;
        g->rule_gold |= c->label && c->rule;
        ncands++;
    }
    fclose(fp);
    return 0;
oom:
    fprintf(stderr, "out of memory\n");
    fclose(fp);
    return -1;
}

static double cand_score(const double *w, const Cand *c)
{
    double s = 0;
    for (unsigned k = 0; k < c->nf; k++)
        s += w[c->f[k]];
    return s;
}

/* The candidate the chooser keeps: the best score; the rules' one (it comes
   first) unless another beats it by more than margin (as quotes_choose.c). */
static size_t pick(const double *w, const Group *g, double margin)
{
    size_t best = g->first;
    double bs = cand_score(w, &cands[g->first]);
    for (size_t k = g->first + 1; k < g->first + g->n; k++) {
        double s = cand_score(w, &cands[k]);
        if (s > bs + (best == g->first ? margin : 0) + 1e-9) {
            bs = s;
            best = k;
        }
    }
    return best;
}

/* Trains on the groups with use[g] != 0. */
static void train(double *w, const char *use, int iters, double l2, double lr)
{
    static double grad[QC_NFEAT];
    double p[64];
    memset(w, 0, QC_NFEAT * sizeof *w);
    for (int it = 0; it < iters; it++) {
        memset(grad, 0, sizeof grad);
        size_t used = 0;
        for (size_t gi = 0; gi < ngroups; gi++) {
            const Group *g = &groups[gi];
            if (!use[gi] || !g->any_gold || g->n < 2 || g->n > 64)
                continue;
            used++;
            double mx = -1e300, z = 0, zg = 0;
            for (size_t k = 0; k < g->n; k++) {
                p[k] = cand_score(w, &cands[g->first + k]);
                if (p[k] > mx)
                    mx = p[k];
            }
            for (size_t k = 0; k < g->n; k++) {
                p[k] = exp(p[k] - mx);
                z += p[k];
                if (cands[g->first + k].label)
                    zg += p[k];
            }
            /* d(-log zg/z)/dw = E_all[f] - E_gold[f] */
            for (size_t k = 0; k < g->n; k++) {
                const Cand *c = &cands[g->first + k];
                double coef = p[k] / z - (c->label ? p[k] / zg : 0);
                for (unsigned j = 0; j < c->nf; j++)
                    grad[c->f[j]] += coef;
            }
        }
        if (!used)
            return;
        for (unsigned f = 0; f < QC_NFEAT; f++)
            w[f] -= lr * (grad[f] / (double)used + l2 * w[f]);
    }
}

static void counts(const double *w, const char *use, double margin, size_t *n, size_t *rule_ok,
                   size_t *model_ok)
{
    for (size_t gi = 0; gi < ngroups; gi++) {
        if (!use[gi])
            continue;
        const Group *g = &groups[gi];
        (*n)++;
        *rule_ok += (size_t)g->rule_gold;
        *model_ok += (size_t)cands[pick(w, g, margin)].label;
    }
}

/* The margin: the one with the most right speakers over cv folds of
   contiguous blocks; on a tie the larger (fewer changes to the rules' speakers). */
static double choose_margin(double *w, char *use, int cv, int iters, double l2, double lr)
{
    static const double margins[] = {0, 0.25, 0.5, 1, 2, 4};
    enum { NM = sizeof margins / sizeof margins[0] };
    double margin = margins[NM - 1];
    size_t n[NM] = {0}, rok[NM] = {0}, mok[NM] = {0};
    for (int k = 0; k < cv; k++) {
        size_t lo = ngroups * (size_t)k / (size_t)cv, hi = ngroups * (size_t)(k + 1) / (size_t)cv;
        for (size_t gi = 0; gi < ngroups; gi++)
            use[gi] = gi < lo || gi >= hi;
        train(w, use, iters, l2, lr);
        for (size_t gi = 0; gi < ngroups; gi++)
            use[gi] = !use[gi];
        for (int mi = 0; mi < NM; mi++)
            counts(w, use, margins[mi], &n[mi], &rok[mi], &mok[mi]);
    }
    size_t best_ok = 0;
    for (int mi = 0; mi < NM; mi++) {
        printf("  %d-fold (contiguous blocks), margin %.2f: right speaker among the found "
               "quotes: rules %zu/%zu (%.3f), chooser %zu/%zu (%.3f)\n",
               cv, margins[mi], rok[mi], n[mi], n[mi] ? (double)rok[mi] / n[mi] : 0, mok[mi],
               n[mi], n[mi] ? (double)mok[mi] / n[mi] : 0);
        if (mok[mi] >= best_ok) {
            best_ok = mok[mi];
            margin = margins[mi];
        }
    }
    printf("  margin chosen: %.2f\n", margin);
    return margin;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    int cv = 0, iters = 400, c;
    double l2 = 0.01, lr = 0.5;
    static const struct option longopts[] = {{"cv", required_argument, NULL, 'k'},
                                              {"iters", required_argument, NULL, 'i'},
                                              {"l2", required_argument, NULL, 'l'},
                                              {NULL, 0, NULL, 0}};
    const char *usage =
        "usage: train_quotes [-o MODEL.txt] [--cv K] [--iters N] [--l2 L] CANDS.txt...\n";
    while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'k')
            cv = atoi(optarg);
        else if (c == 'i')
            iters = atoi(optarg);
        else if (c == 'l')
            l2 = atof(optarg);
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs(usage, stderr);
        return 2;
    }
    for (unsigned f = 0; f < QC_NFEAT; f++)
        if (!quotes_feature_name(f, names[f], sizeof names[f]))
            names[f][0] = 0;
    for (int i = optind; i < argc; i++)
        if (load(argv[i]) < 0)
            return 1;
    char *use = malloc(ngroups + 1);
    static double w[QC_NFEAT];
    if (!use)
        return 1;
    size_t fixable = 0, nogold = 0;
    for (size_t gi = 0; gi < ngroups; gi++) {
        fixable += groups[gi].any_gold && !groups[gi].rule_gold;
        nogold += !groups[gi].any_gold;
    }
    printf("quote speaker chooser: %zu quotes, %zu candidates; the rules right on %zu, "
           "another candidate right on %zu, no candidate right on %zu\n",
           ngroups, ncands, ngroups - fixable - nogold, fixable, nogold);
    double margin = cv > 1 ? choose_margin(w, use, cv, iters, l2, lr) : 4;
    memset(use, 1, ngroups);
    train(w, use, iters, l2, lr);
    size_t n = 0, rok = 0, mok = 0;
    counts(w, use, margin, &n, &rok, &mok);
    printf("  on the training quotes: rules %zu/%zu, chooser %zu/%zu\n", rok, n, mok, n);
    free(use);
    if (out) {
        FILE *fp = fopen(out, "w");
        if (!fp) {
            perror(out);
            return 1;
        }
        fprintf(fp,
                "# quote speaker chooser (src/annotate/quotes_choose.c): log-linear weights per\n"
                "# feature, trained by tools/train_quotes.c (`make quotes-model`: %d iterations,\n"
                "# L2 %g) on %zu found quotes of the tuning halves (gold 1 dev, gold 2, gold 4 dev)\n"
                "# with the rules' speakers as candidates. Deterministic: same data, same file.\n",
                iters, l2, ngroups);
        fprintf(fp, "margin %.2f\n", margin);
        for (unsigned f = 0; f < QC_NFEAT; f++)
            if (names[f][0] && fabs(w[f]) >= 5e-7)
                fprintf(fp, "%s %.6f\n", names[f], w[f]);
        fclose(fp);
    }
    free(cands);
    free(groups);
    return 0;
}
