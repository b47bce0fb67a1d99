/*
 * eval_nearcopy.c — precision and recall of near-copy detection (MinHash +
 * LSH, as the ingest pipeline does it) against exact Jaccard similarity of
 * the same word shingles, on the first N articles of the given files.
 *   eval_nearcopy [-n 5000] [-t 0.6] FILE...
 * Truth: every pair with exact Jaccard >= t, found through an inverted
 * index of shingles (no pair is skipped). Detected: pairs that share an LSH
 * bucket and whose MinHash estimate is >= t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/walk.h"
#include "story/fingerprint.h"
#include "text/text.h"

typedef struct Doc {
    uint64_t *sh;            /* sorted distinct shingle hashes */
    size_t nsh;              /* count */
    uint32_t sig[FP_MINHASH];/* MinHash */
    uint64_t keys[FP_BANDS]; /* LSH band keys */
} Doc;

typedef struct Posting { uint64_t h; uint32_t doc; } Posting;

static int cmp_post(const void *a, const void *b)
{
    const Posting *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static size_t inter(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) { k++; i++; j++; }
        else if (a[i] < b[j]) i++;
        else j++;
    }
    return k;
}

int main(int argc, char **argv)
{
    size_t limit = 5000;
    double thr = 0.6;
    int c;
    while ((c = getopt(argc, argv, "n:t:")) != -1) {
        if (c == 'n') limit = (size_t)atol(optarg);
        else if (c == 't') thr = atof(optarg);
        else { fprintf(stderr, "usage: eval_nearcopy [-n N] [-t T] FILE...\n"); return 2; }
    }
    rasd_text *t;
    if (rasd_text_new(&t, NULL) != RASD_OK)
        return 1;
    Doc *docs = calloc(limit, sizeof *docs);
    size_t n = 0;
    for (int a = optind; a < argc && n < limit; a++) {
        Batch b = {0};
        rasd_error err;
        if (ingest_read_file(argv[a], 0, &b, &err) != RASD_OK)
            fprintf(stderr, "%s\n", err.msg);
        for (size_t i = 0; i < b.n && n < limit; i++) {
            rasd_doc *d;
            if (rasd_text_analyse(t, b.items[i].body, strlen(b.items[i].body), &d, NULL) != RASD_OK)
                continue;
            Doc *x = &docs[n];
            x->sh = fp_shingles(d, &x->nsh);
            if (fp_minhash(d, x->sig) && x->nsh) {
                fp_lsh_keys(x->sig, x->keys);
                n++;
            } else {
                free(x->sh);
            }
            rasd_doc_free(d);
        }
        batch_free(&b);
    }
    /* truth: candidate pairs through shared shingles, then exact Jaccard */
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        np += docs[i].nsh;
    Posting *post = malloc(np * sizeof *post);
    np = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < docs[i].nsh; k++)
            post[np++] = (Posting){docs[i].sh[k], (uint32_t)i};
    qsort(post, np, sizeof *post, cmp_post);
    /* pair flags: 1 = shares a shingle (checked), 2 = truth, 4 = detected */
    unsigned char *pair = calloc(n * n, 1);
    for (size_t s = 0; s < np;) {
        size_t e = s;
        while (e < np && post[e].h == post[s].h)
            e++;
        if (e - s <= 200) /* boilerplate shingles are in hundreds of docs: pairs found via others */
            for (size_t x = s; x < e; x++)
                for (size_t y = x + 1; y < e; y++)
                    pair[post[x].doc * n + post[y].doc] |= 1;
        s = e;
    }
    size_t truth = 0, det = 0, both = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            unsigned char f = pair[i * n + j];
            int lsh = 0;
            for (int b = 0; b < FP_BANDS && !lsh; b++)
                lsh = docs[i].keys[b] == docs[j].keys[b];
            int d = lsh && fp_similarity(docs[i].sig, docs[j].sig, FP_MINHASH) >= thr;
            int tr = 0;
            if (f || d) {
                size_t k = inter(docs[i].sh, docs[i].nsh, docs[j].sh, docs[j].nsh);
                double jac = (double)k / (double)(docs[i].nsh + docs[j].nsh - k);
                tr = jac >= thr;
            }
            truth += tr;
            det += d;
            both += tr && d;
        }
    printf("near-copy detection on %zu articles, threshold %.2f: %zu true pairs, %zu detected, "
           "%zu correct; precision %.3f, recall %.3f\n",
           n, thr, truth, det, both, det ? (double)both / det : 1.0,
           truth ? (double)both / truth : 1.0);
    for (size_t i = 0; i < n; i++)
        free(docs[i].sh);
    free(docs);
    free(post);
    free(pair);
    rasd_text_free(t);
    return 0;
}
