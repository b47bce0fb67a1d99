/*
 * eval_wording.c — how often do wording discrepancies fire on real
 * near-copies, and what do they look like? For the false-alarm check of
 * the comparison (story/compare.h) on SaudiNewsNet days.
 *   eval_wording [-t 0.3] [-k 30] [-o SAMPLE.tsv] DAY.json...
 * Within each file (one day), articles of different outlets whose MinHash
 * similarity is at least t (found through the LSH bands, as ingest finds
 * near-copies) are aligned and compared. Prints counts per kind; with -o,
 * writes an evenly spaced sample of k discrepancies (pair, kind, the two
 * phrases, the two sentences) for checking by hand. Deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/walk.h"
#include "story/compare.h"
#include "story/fingerprint.h"
#include "text/text.h"

typedef struct Doc {
    rasd_doc *d;              /* analysed body */
    char *outlet;             /* source */
    uint32_t sig[FP_MINHASH]; /* MinHash */
    uint64_t keys[FP_BANDS];  /* LSH band keys */
} Doc;

typedef struct Row {
    char *line; /* one TSV line, malloc'd */
} Row;

static void tsv_text(Buf *b, const rasd_doc *d, uint32_t start, uint32_t end)
{
    size_t len;
    const char *t = rasd_doc_text(d, &len);
    for (uint32_t i = start; i < end && i < len; i++)
        buf_putc(b, t[i] == '\t' || t[i] == '\n' || t[i] == '\r' ? ' ' : t[i]);
}

int main(int argc, char **argv)
{
    double thr = 0.3;
    size_t want = 30;
    const char *sample = NULL;
    int c;
    while ((c = getopt(argc, argv, "t:k:o:")) != -1) {
        if (c == 't') thr = atof(optarg);
        else if (c == 'k') want = (size_t)atol(optarg);
        else if (c == 'o') sample = optarg;
        else {
            fprintf(stderr, "usage: eval_wording [-t T] [-k K] [-o SAMPLE.tsv] DAY.json...\n");
            return 2;
        }
    }
    rasd_text *t;
    if (rasd_text_new(&t, NULL) != RASD_OK)
        return 1;
    size_t pairs = 0, aligned = 0, nwording = 0, nnumber = 0, pairs_with = 0, articles = 0;
    Row *rows = NULL;
    size_t nrows = 0, caprows = 0;
    clock_t t0 = clock();
    double align_secs = 0;
    for (int a = optind; a < argc; a++) {
        Batch b = {0};
        rasd_error err;
        if (ingest_read_file(argv[a], 0, &b, &err) != RASD_OK) {
            fprintf(stderr, "%s\n", err.msg);
            continue;
        }
        Doc *docs = calloc(b.n ? b.n : 1, sizeof *docs);
        size_t n = 0;
        for (size_t i = 0; i < b.n; i++) {
            Doc *x = &docs[n];
            if (!b.items[i].outlet ||
                rasd_text_analyse(t, b.items[i].body, strlen(b.items[i].body), &x->d, NULL) !=
                    RASD_OK)
                continue;
            if (!fp_minhash(x->d, x->sig)) {
                rasd_doc_free(x->d);
                continue;
            }
            fp_lsh_keys(x->sig, x->keys);
            x->outlet = b.items[i].outlet;
            n++;
        }
        articles += n;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                if (strcmp(docs[i].outlet, docs[j].outlet) == 0)
                    continue;
                int lsh = 0;
                for (int k = 0; k < FP_BANDS && !lsh; k++)
                    lsh = docs[i].keys[k] == docs[j].keys[k];
                if (!lsh || fp_similarity(docs[i].sig, docs[j].sig, FP_MINHASH) < thr)
                    continue;
                pairs++;
                Alignment al = {0};
                Discrepancy *ds = NULL;
                size_t nd = 0;
                clock_t ta = clock();
                if (align_docs(docs[i].d, docs[j].d, 0, &al, NULL) != RASD_OK ||
                    compare_discrepancies(docs[i].d, docs[j].d, &al, &ds, &nd, NULL) != RASD_OK) {
                    align_free(&al);
                    continue;
                }
                align_secs += (double)(clock() - ta) / CLOCKS_PER_SEC;
                aligned += al.n;
                pairs_with += nd > 0;
                for (size_t k = 0; k < nd; k++) {
                    const Discrepancy *x = &ds[k];
                    const AlignPair *p = &al.pairs[x->pair];
                    nwording += x->kind == CMP_WORDING;
                    nnumber += x->kind == CMP_NUMBER;
                    Buf line = {0};
                    buf_printf(&line, "%s#%zu~%s#%zu\t%s\t", docs[i].outlet, i, docs[j].outlet, j,
                               x->kind == CMP_WORDING ? "wording" : "number");
                    tsv_text(&line, docs[i].d, x->a_start, x->a_end);
                    buf_puts(&line, "\t");
                    tsv_text(&line, docs[j].d, x->b_start, x->b_end);
                    buf_puts(&line, "\t");
                    const rasd_sentence *sa = rasd_doc_sentences(docs[i].d);
                    const rasd_sentence *sb = rasd_doc_sentences(docs[j].d);
                    tsv_text(&line, docs[i].d, sa[p->sa].start, sa[p->sa].end);
                    buf_puts(&line, "\t");
                    tsv_text(&line, docs[j].d, sb[p->sb].start, sb[p->sb].end);
                    if (nrows == caprows) {
                        caprows = caprows ? caprows * 2 : 256;
                        rows = realloc(rows, caprows * sizeof *rows);
                        if (!rows)
                            return 1;
                    }
                    rows[nrows++].line = buf_steal(&line);
                }
                free(ds);
                align_free(&al);
            }
        for (size_t i = 0; i < n; i++)
            rasd_doc_free(docs[i].d);
        free(docs);
        batch_free(&b);
    }
    printf("wording on SaudiNewsNet near-copies (MinHash >= %.2f, different outlets): "
           "%zu articles, %zu pairs, %zu aligned sentence pairs, %zu pairs with a discrepancy; "
           "%zu wording, %zu number discrepancies; align+compare %.2f s (%.2f ms a pair), "
           "total %.1f s\n",
           thr, articles, pairs, aligned, pairs_with, nwording, nnumber, align_secs,
           pairs ? 1000 * align_secs / (double)pairs : 0,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    if (sample) {
        FILE *f = fopen(sample, "w");
        if (!f) {
            perror(sample);
            return 1;
        }
        fputs("pair\tkind\tA phrase\tB phrase\tA sentence\tB sentence\n", f);
        size_t k = want < nrows ? want : nrows;
        for (size_t i = 0; i < k; i++)
            fprintf(f, "%s\n", rows[i * nrows / k].line);
        fclose(f);
    }
    for (size_t i = 0; i < nrows; i++)
        free(rows[i].line);
    free(rows);
    rasd_text_free(t);
    return 0;
}
