/*
 * simeval.h — what the story similarity tools (train_similarity.c,
 * eval_cooc.c) share: Pearson correlation, AUC, and reading the SemEval-2022
 * Task 8 pairs (text1, text2, Overall). Header-only, like csv.h and snn.h.
 */
#ifndef RASD_TOOLS_SIMEVAL_H
#define RASD_TOOLS_SIMEVAL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util/util.h"

static inline double simeval_pearson(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n ? n : 1;
    my /= n ? n : 1;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

/* AUC of scores sc against labels y (y >= 0.5 positive; ties count half). */
static inline double simeval_auc(const double *sc, const double *y, size_t n)
{
    double pos = 0, neg = 0, win = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0.5)
            continue;
        pos++;
        for (size_t j = 0; j < n; j++)
            if (y[j] < 0.5)
                win += sc[i] > sc[j] ? 1 : sc[i] == sc[j] ? 0.5 : 0;
    }
    for (size_t j = 0; j < n; j++)
        neg += y[j] < 0.5;
    return pos && neg ? win / (pos * neg) : 0;
}

/* The SemEval pairs of path: texts (malloc'd, caller frees each and the
   arrays) and Overall (1 same story ... 4 unrelated). Exits on a file it
   cannot read or without the three columns. Returns the number of pairs. */
static inline size_t simeval_read(const char *path, char ***t1, char ***t2, double **overall)
{
    Buf b = { 0 };
    rasd_error err;
    if (buf_read_file(&b, path, &err) != RASD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
    const char *p = b.data, *end = b.data + b.len;
    CsvRow row;
    int header = 1, i1 = -1, i2 = -1, io = -1;
    size_t n = 0, cap = 0;
    *t1 = *t2 = NULL;
    *overall = NULL;
    while (csv_next(&p, end, &row) > 0) {
        if (header) {
            for (size_t i = 0; i < row.n; i++) {
                if (!strcmp(row.f[i], "text1")) i1 = (int)i;
                if (!strcmp(row.f[i], "text2")) i2 = (int)i;
                if (!strcmp(row.f[i], "Overall")) io = (int)i;
            }
            header = 0;
            if (i1 < 0 || i2 < 0 || io < 0) {
                fprintf(stderr, "%s: no text1/text2/Overall columns\n", path);
                exit(1);
            }
        } else if ((int)row.n > i1 && (int)row.n > i2 && (int)row.n > io) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                *t1 = realloc(*t1, cap * sizeof **t1);
                *t2 = realloc(*t2, cap * sizeof **t2);
                *overall = realloc(*overall, cap * sizeof **overall);
                if (!*t1 || !*t2 || !*overall) {
                    fprintf(stderr, "out of memory\n");
                    exit(1);
                }
            }
            (*t1)[n] = strdup(row.f[i1]);
            (*t2)[n] = strdup(row.f[i2]);
            (*overall)[n++] = atof(row.f[io]);
        }
        csv_free(&row);
    }
    buf_free(&b);
    return n;
}

#endif
