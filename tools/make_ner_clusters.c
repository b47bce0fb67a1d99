/*
 * make_ner_clusters.c — build tool: word clusters for the NER tagger's
 * cluster features (data/lexicon/ner-clusters.txt, `make ner-clusters`).
 *
 *   make-ner-clusters [-k FINE] [-c COARSE] [--min N] [--vocab V]
 *                     [-o OUT] FILE...
 *
 * Each FILE is plain text (CSV is fine: commas are punctuation); a file
 * ending in .conll, or a .txt whose lines are "token TAG...", is read as
 * CoNLL (first column, a blank line between sentences). Only openly
 * licensed text belongs here, since the list ships inside models/ner.bin
 * (the Makefile passes the Apache-2.0 and MIT sets of ../shared/data).
 *
 * Algorithm: every line is analysed by the text core; a word is its
 * clitic-free remainder, as the tagger sees it. The V most frequent words
 * seen at least N times get a context vector: counts of the C most
 * frequent words (and of punctuation and numbers as two classes) one place
 * to the left and one to the right, weighted by positive PMI, projected to
 * D dimensions by a fixed ±1 matrix and normalised. Spherical k-means
 * (K = FINE, 12 rounds, seeded by k-means++ from a fixed xorshift state)
 * gives the fine clusters; k-means over their centroids gives the coarse
 * ones. Ties are broken by index, so the output is byte-identical run to
 * run. Output: "word fine coarse" lines, most frequent word first.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "util/util.h"
#include "rng.h"

#define NCTX 300 /* context words (plus 2 classes) per side */
#define DIM 64   /* projected dimensions */

typedef struct Word {
    char *s;        /* remainder, NUL-terminated, owned */
    uint64_t h;     /* rasd_hash of s */
    size_t count;   /* occurrences */
} Word;

static Word *W;          /* distinct words */
static size_t nW, capW;
static uint32_t *slots;  /* open addressing on hash: word index + 1 */
static size_t smask;
static uint32_t *seq;    /* the corpus as word indexes; UINT32_MAX-1 punct, -2 number, -3 break */
static size_t nseq, capseq;

enum { T_PUNCT = UINT32_MAX - 1, T_NUM = UINT32_MAX - 2, T_BREAK = UINT32_MAX - 3 };

static void die(const char *m)
{
    fprintf(stderr, "make-ner-clusters: %s\n", m);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

static void push(uint32_t v)
{
    if (nseq == capseq) {
        capseq = capseq ? capseq * 2 : 1 << 20;
        seq = xrealloc(seq, capseq * sizeof *seq);
    }
    seq[nseq++] = v;
}

static uint32_t intern(const char *s, size_t n)
{
    if ((nW + 1) * 2 > smask + 1) {
        size_t cap = smask ? (smask + 1) * 2 : 1 << 16;
        uint32_t *ns = calloc(cap, sizeof *ns);
        if (!ns)
            die("out of memory");
        for (size_t i = 0; i < nW; i++) {
            size_t j = W[i].h & (cap - 1);
            while (ns[j])
                j = (j + 1) & (cap - 1);
            ns[j] = (uint32_t)i + 1;
        }
        free(slots);
        slots = ns;
        smask = cap - 1;
    }
    uint64_t h = rasd_hash(s, n);
    size_t j = h & smask;
    while (slots[j]) {
        Word *w = &W[slots[j] - 1];
        if (w->h == h && strlen(w->s) == n && memcmp(w->s, s, n) == 0)
            return slots[j] - 1;
        j = (j + 1) & smask;
    }
    if (nW == capW) {
        capW = capW ? capW * 2 : 4096;
        W = xrealloc(W, capW * sizeof *W);
    }
    W[nW] = (Word){malloc(n + 1), h, 0};
    if (!W[nW].s)
        die("out of memory");
    memcpy(W[nW].s, s, n);
    W[nW].s[n] = 0;
    slots[j] = (uint32_t)nW + 1;
    return (uint32_t)nW++;
}

/* Analyses n bytes of text and appends its tokens to the corpus. */
static void add_text(rasd_text *t, const char *s, size_t n)
{
    rasd_doc *d = NULL;
    if (n == 0 || rasd_text_analyse(t, s, n, &d, NULL) != RASD_OK)
        return;
    size_t nt = rasd_doc_ntokens(d);
    const rasd_token *tok = rasd_doc_tokens(d);
    for (size_t i = 0; i < nt; i++) {
        const rasd_token *k = &tok[i];
        if (k->type == RASD_TOK_PUNCT) {
            push(T_PUNCT);
        } else if (k->type == RASD_TOK_NUMBER) {
            push(T_NUM);
        } else {
            size_t cut = (size_t)k->pre_len + k->suf_len;
            const char *r = cut > k->key_len ? k->key : k->key + k->pre_len;
            size_t rn = cut > k->key_len ? k->key_len : k->key_len - cut;
            uint32_t w = intern(r, rn);
            W[w].count++;
            push(w);
        }
    }
    push(T_BREAK);
    rasd_doc_free(d);
}

/* Is the file CoNLL ("token TAG" lines)? By name, or by its first line. */
static int is_conll(const char *path, const char *s, size_t n)
{
    size_t l = strlen(path);
    if (l > 6 && strcmp(path + l - 6, ".conll") == 0)
        return 1;
    if (l < 4 || strcmp(path + l - 4, ".txt") != 0)
        return 0;
    const char *eol = memchr(s, '\n', n);
    size_t ln = eol ? (size_t)(eol - s) : n;
    const char *sp = memchr(s, ' ', ln);
    return sp && (memchr(sp, 'O', ln - (size_t)(sp - s)) || memchr(sp, '-', ln - (size_t)(sp - s)));
}

static void add_file(rasd_text *t, const char *path)
{
    Buf b = {0}, sent = {0};
    rasd_error err;
    if (buf_read_file(&b, path, &err) != RASD_OK)
        die(err.msg);
    int conll = is_conll(path, b.data ? b.data : "", b.len);
    size_t pos = 0;
    while (pos < b.len) {
        const char *line = b.data + pos, *eol = memchr(line, '\n', b.len - pos);
        size_t n = eol ? (size_t)(eol - line) : b.len - pos;
        pos += n + 1;
        if (!conll) {
            add_text(t, line, n);
            continue;
        }
        size_t w = 0;
        while (w < n && line[w] != ' ' && line[w] != '\t' && line[w] != '\r')
            w++;
        if (w == 0) {
            add_text(t, sent.data, sent.len);
            buf_reset(&sent);
            continue;
        }
        if (sent.len)
            buf_putc(&sent, ' ');
        buf_append(&sent, line, w);
    }
    add_text(t, sent.data, sent.len);
    buf_free(&sent);
    buf_free(&b);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL; /* the one random state, fixed seed */
static uint64_t next_rand(void)
{
    return rng_next(&rng);
}

/* Spherical k-means of n unit vectors x[n][DIM] into k clusters; writes assign[n]. */
static void kmeans(const float *x, const double *weight, size_t n, size_t k, uint32_t *assign)
{
    float *cent = xrealloc(NULL, k * DIM * sizeof *cent);
    double *dist = xrealloc(NULL, n * sizeof *dist);
    /* k-means++: the first centre is the heaviest point, then by distance² × weight */
    size_t first = 0;
    for (size_t i = 1; i < n; i++)
        if (weight[i] > weight[first])
            first = i;
    memcpy(cent, x + first * DIM, DIM * sizeof *cent);
    for (size_t i = 0; i < n; i++)
        dist[i] = 1e30;
    for (size_t c = 1; c < k; c++) {
        double total = 0;
        for (size_t i = 0; i < n; i++) {
            double dot = 0;
            for (int d = 0; d < DIM; d++)
                dot += (double)x[i * DIM + d] * cent[(c - 1) * DIM + d];
            double d2 = 2 - 2 * dot;
            if (d2 < dist[i])
                dist[i] = d2 < 0 ? 0 : d2;
            total += dist[i] * weight[i];
        }
        double r = (double)(next_rand() >> 11) / 9007199254740992.0 * total;
        size_t pick = n - 1;
        for (size_t i = 0; i < n; i++) {
            r -= dist[i] * weight[i];
            if (r <= 0) {
                pick = i;
                break;
            }
        }
        memcpy(cent + c * DIM, x + pick * DIM, DIM * sizeof *cent);
    }
    double *sum = xrealloc(NULL, k * DIM * sizeof *sum);
    for (int round = 0; round < 12; round++) {
        for (size_t i = 0; i < n; i++) {
            float best = -2;
            uint32_t arg = 0;
            for (size_t c = 0; c < k; c++) {
                float dot = 0;
                for (int d = 0; d < DIM; d++)
                    dot += x[i * DIM + d] * cent[c * DIM + d];
                if (dot > best) {
                    best = dot;
                    arg = (uint32_t)c;
                }
            }
            assign[i] = arg;
        }
        memset(sum, 0, k * DIM * sizeof *sum);
        for (size_t i = 0; i < n; i++)
            for (int d = 0; d < DIM; d++)
                sum[assign[i] * DIM + d] += x[i * DIM + d] * weight[i];
        for (size_t c = 0; c < k; c++) {
            double norm = 0;
            for (int d = 0; d < DIM; d++)
                norm += sum[c * DIM + d] * sum[c * DIM + d];
            if (norm <= 0)
                continue; /* an empty cluster keeps its centre */
            norm = sqrt(norm);
            for (int d = 0; d < DIM; d++)
                cent[c * DIM + d] = (float)(sum[c * DIM + d] / norm);
        }
    }
    free(sum);
    free(dist);
    free(cent);
}

static int by_count(const void *a, const void *b)
{
    const Word *x = &W[*(const uint32_t *)a], *y = &W[*(const uint32_t *)b];
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->s, y->s);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"min", required_argument, 0, 'm'},
                                         {"vocab", required_argument, 0, 'v'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    size_t k = 256, kc = 32, minc = 3, vocab = 40000;
    const char *out_path = "data/lexicon/ner-clusters.txt";
    int ch;
    while ((ch = getopt_long(argc, argv, "k:c:o:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'k': k = (size_t)strtoul(optarg, NULL, 10); break;
        case 'c': kc = (size_t)strtoul(optarg, NULL, 10); break;
        case 'm': minc = (size_t)strtoul(optarg, NULL, 10); break;
        case 'v': vocab = (size_t)strtoul(optarg, NULL, 10); break;
        case 'o': out_path = optarg; break;
        case 'h':
            puts("usage: make-ner-clusters [-k FINE] [-c COARSE] [--min N] [--vocab V] [-o OUT] FILE...");
            return 0;
        default: return 2;
        }
    }
    if (optind >= argc || k < 2 || k > 4096 || kc < 2 || kc > k) {
        fputs("usage: make-ner-clusters [-k FINE] [-c COARSE] [--min N] [--vocab V] [-o OUT] FILE...\n",
              stderr);
        return 2;
    }
    rasd_text *t = NULL;
    if (rasd_text_new(&t, NULL) != RASD_OK)
        die("cannot create a text context");
    for (int i = optind; i < argc; i++)
        add_file(t, argv[i]);
    rasd_text_free(t);

    uint32_t *order = xrealloc(NULL, nW * sizeof *order);
    for (size_t i = 0; i < nW; i++)
        order[i] = (uint32_t)i;
    qsort(order, nW, sizeof *order, by_count);
    size_t nv = 0;
    while (nv < nW && nv < vocab && W[order[nv]].count >= minc)
        nv++;
    if (nv < k)
        die("too few words for that many clusters");
    /* rank of each word: < nv clustered; < NCTX a context word */
    uint32_t *rank = xrealloc(NULL, nW * sizeof *rank);
    for (size_t i = 0; i < nW; i++)
        rank[i] = UINT32_MAX;
    for (size_t i = 0; i < nv; i++)
        rank[order[i]] = (uint32_t)i;
    const size_t nctx = NCTX + 2, cols = 2 * nctx;
    float *cnt = calloc(nv * cols, sizeof *cnt);
    double *colsum = calloc(cols, sizeof *colsum), *rowsum = calloc(nv, sizeof *rowsum);
    if (!cnt || !colsum || !rowsum)
        die("out of memory");
    for (size_t i = 0; i < nseq; i++) {
        uint32_t w = seq[i];
        if (w >= T_BREAK || rank[w] >= nv)
            continue;
        for (int side = 0; side < 2; side++) {
            size_t j = side ? i + 1 : i - 1;
            if ((side == 0 && i == 0) || j >= nseq || seq[j] == T_BREAK)
                continue;
            uint32_t c = seq[j];
            size_t col = c == T_PUNCT ? NCTX : c == T_NUM ? NCTX + 1
                       : rank[c] < NCTX ? rank[c] : SIZE_MAX;
            if (col == SIZE_MAX)
                continue;
            col += side * nctx;
            cnt[rank[w] * cols + col] += 1;
            colsum[col] += 1;
            rowsum[rank[w]] += 1;
        }
    }
    double total = 0;
    for (size_t c = 0; c < cols; c++)
        total += colsum[c];
    /* PPMI, projected by a fixed ±1 matrix, normalised */
    float *x = xrealloc(NULL, nv * DIM * sizeof *x);
    double *weight = xrealloc(NULL, nv * sizeof *weight);
    int8_t *proj = xrealloc(NULL, cols * DIM);
    for (size_t i = 0; i < cols * DIM; i++)
        proj[i] = (next_rand() >> 40) & 1 ? 1 : -1;
    for (size_t i = 0; i < nv; i++) {
        double v[DIM] = {0}, norm = 0;
        for (size_t c = 0; c < cols; c++) {
            float n = cnt[i * cols + c];
            if (n <= 0)
                continue;
            double pmi = log(n * total / (rowsum[i] * colsum[c]));
            if (pmi <= 0)
                continue;
            for (int d = 0; d < DIM; d++)
                v[d] += pmi * proj[c * DIM + d];
        }
        for (int d = 0; d < DIM; d++)
            norm += v[d] * v[d];
        norm = norm > 0 ? sqrt(norm) : 1;
        for (int d = 0; d < DIM; d++)
            x[i * DIM + d] = (float)(v[d] / norm);
        weight[i] = log(1.0 + (double)W[order[i]].count);
    }
    uint32_t *fine = xrealloc(NULL, nv * sizeof *fine), *coarse = xrealloc(NULL, k * sizeof *coarse);
    kmeans(x, weight, nv, k, fine);
    /* coarse: k-means over the fine clusters' mean vectors */
    float *cx = calloc(k * DIM, sizeof *cx);
    double *cw = calloc(k, sizeof *cw);
    if (!cx || !cw)
        die("out of memory");
    for (size_t i = 0; i < nv; i++) {
        for (int d = 0; d < DIM; d++)
            cx[fine[i] * DIM + d] += x[i * DIM + d];
        cw[fine[i]] += weight[i];
    }
    for (size_t c = 0; c < k; c++) {
        double norm = 0;
        for (int d = 0; d < DIM; d++)
            norm += (double)cx[c * DIM + d] * cx[c * DIM + d];
        norm = norm > 0 ? sqrt(norm) : 1;
        for (int d = 0; d < DIM; d++)
            cx[c * DIM + d] = (float)(cx[c * DIM + d] / norm);
        if (cw[c] <= 0)
            cw[c] = 1e-9;
    }
    kmeans(cx, cw, k, kc, coarse);
    FILE *f = fopen(out_path, "w");
    if (!f)
        die("cannot write the output file");
    fprintf(f, "# word clusters for the NER tagger: \"word fine coarse\" (tools/make_ner_clusters.c,\n"
               "# make ner-clusters); %zu words, %zu fine and %zu coarse clusters\n",
            nv, k, kc);
    for (size_t i = 0; i < nv; i++)
        fprintf(f, "%s %u %u\n", W[order[i]].s, fine[i], coarse[fine[i]]);
    if (fclose(f) != 0)
        die("cannot write the output file");
    fprintf(stderr, "make-ner-clusters: %zu tokens, %zu distinct words, %zu clustered -> %s\n",
            nseq, nW, nv, out_path);
    return 0;
}
