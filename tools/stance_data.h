/*
 * stance_data.h — reading ANS stance files (s1,s2,stance; ../shared/data/
 * stance) into contradiction features, shared by tools/train_stance.c and
 * tools/eval_stance.c. Header-only: each tool is one program.
 *
 * "contradicts" is the ANS label disagree; agree and other are not.
 */
#ifndef RASD_STANCE_DATA_H
#define RASD_STANCE_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "story/compare.h"
#include "util/util.h"

typedef struct StanceSet {
    double *X;         /* n rows of CF_COUNT features */
    unsigned char *y;  /* 1 = disagree */
    size_t n;          /* pairs read */
    size_t skipped;    /* lines that were not s1,s2,stance */
} StanceSet;

/* Reads path and computes the features of every pair; 0 ok, -1 (message printed). */
static int stance_load(const char *path, StanceSet *s)
{
    memset(s, 0, sizeof *s);
    Buf b = {0};
    rasd_error err;
    if (buf_read_file(&b, path, &err) != RASD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    rasd_text *t = NULL;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        buf_free(&b);
        return -1;
    }
    size_t cap = 0, lineno = 0;
    char *p = b.data ? b.data : (char *)"", *end = p + b.len;
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        lineno++;
        size_t len = (size_t)(eol - p);
        if (len && p[len - 1] == '\r')
            len--;
        char *c1 = memchr(p, ',', len);
        char *c2 = c1 ? memchr(c1 + 1, ',', len - (size_t)(c1 + 1 - p)) : NULL;
        const char *lab = c2 ? c2 + 1 : NULL;
        size_t lab_len = c2 ? len - (size_t)(c2 + 1 - p) : 0;
        int label = -1;
        if (lab && lab_len == 8 && memcmp(lab, "disagree", 8) == 0)
            label = 1;
        else if (lab && ((lab_len == 5 && memcmp(lab, "agree", 5) == 0) ||
                         (lab_len == 5 && memcmp(lab, "other", 5) == 0)))
            label = 0;
        if (label < 0) {
            if (lineno > 1) /* the header */
                s->skipped++;
            p = eol + 1;
            continue;
        }
        if (s->n == cap) {
            cap = cap ? cap * 2 : 1024;
            double *nx = realloc(s->X, cap * CF_COUNT * sizeof *nx);
            unsigned char *ny = realloc(s->y, cap);
            if (!nx || !ny) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
            s->X = nx;
            s->y = ny;
        }
        rasd_doc *da = NULL, *db = NULL;
        if (rasd_text_analyse(t, p, (size_t)(c1 - p), &da, &err) != RASD_OK ||
            rasd_text_analyse(t, c1 + 1, (size_t)(c2 - c1 - 1), &db, &err) != RASD_OK ||
            compare_features(da, db, s->X + s->n * CF_COUNT, &err) != RASD_OK) {
            fprintf(stderr, "%s:%zu: %s\n", path, lineno, err.msg);
            s->skipped++;
        } else {
            s->y[s->n++] = (unsigned char)label;
        }
        rasd_doc_free(da);
        rasd_doc_free(db);
        p = eol + 1;
    }
    rasd_text_free(t);
    buf_free(&b);
    return 0;
}

static void stance_free(StanceSet *s)
{
    free(s->X);
    free(s->y);
    memset(s, 0, sizeof *s);
}

/* Precision, recall and F1 of "contradicts" for predictions pred against s. */
static void stance_report(const char *name, const StanceSet *s, const unsigned char *pred)
{
    size_t tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < s->n; i++) {
        tp += pred[i] && s->y[i];
        fp += pred[i] && !s->y[i];
        fn += !pred[i] && s->y[i];
    }
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    double r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    printf("  %-34s precision %.3f  recall %.3f  F1 %.3f  (%zu flagged, %zu correct)\n", name, p,
           r, p + r > 0 ? 2 * p * r / (p + r) : 0, tp + fp, tp);
}

#endif
