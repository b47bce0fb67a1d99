/*
 * eval_names.c — precision and recall of "same name" (src/annotate/names.h)
 * on a list of Arabic spellings of names with their English name, such as
 * ../shared/data/names/arabic-english-names.dev.csv:
 *
 *   build/eval-names [--examples N] [--skeleton] [--sample N] [--dump DIR] FILE
 *
 * FILE is CSV "arabic,english" with a header line and no quoting. Two
 * predictions are measured: "same key" (names_key equal) and "same name"
 * (the lenient matcher names_match).
 *
 * Positive pairs: two different Arabic spellings listed under one English
 * name (case-folded). The data is noisy (some such pairs are a translation,
 * a nickname or an alignment error, not two spellings), so recall is also
 * given on the positives that look like one name (same first letter,
 * Levenshtein <= max(1, length/3)).
 *
 * Hard negative pairs: two Arabic spellings under different English names
 * that look alike — Levenshtein distance at most 2 after KEY normalisation,
 * lengths within 1 code point, and the same first or the same last letter
 * (the blocking that keeps the search fast; either letter may differ, so
 * folds of initial letters such as و/ف are tested too) — where the two
 * English names are not linked through a shared Arabic spelling (the data
 * often gives one Arabic spelling for two English spellings, كين for kane
 * and caine; the link is followed transitively, so kane, caine and every
 * English name sharing a spelling with them form one group that gives no
 * negatives). Every hard negative is scored; the false-match rate over all
 * of them is reported, and precision is computed, as before, against as
 * many negatives as there are positives (or --sample N), the ones with the
 * smallest hash of the pair (deterministic).
 *
 * Halves: the English names are split by a hash of the name into half A
 * (where any parameter may be fitted) and half B (held out); a pair belongs
 * to a half when its English name(s) do. Figures are given for all pairs
 * and for each half, with 95 % Wilson intervals.
 *
 * --examples N prints N missed positives and N false matches, picked by a
 * hash; --dump DIR writes every positive (DIR/pos.tsv) and the sampled
 * negatives of both kinds (DIR/neg.tsv: ..., 1 when the first letters
 * differ, the half: 0 = mixed, 1 = A, 2 = B) with their keys, for reading.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "annotate/names.h"
#include "text/text.h"
#include "util/util.h"

typedef struct Entry {
    char *ar;        /* Arabic spelling as in the file, NUL-terminated, owned */
    char *en;        /* English name, lower case, NUL-terminated, owned */
    char *key;       /* names_key (or names_skeleton) of ar, owned */
    char *form;      /* names_form of ar, owned */
    uint32_t *cps;   /* KEY-normalised code points of ar, owned */
    size_t ncps;     /* entries in cps */
    uint32_t group;  /* union-find parent: English names linked by a spelling */
    int half;        /* 0 = half A (fit), 1 = half B (held out), by hash of en */
} Entry;

typedef struct Pair {
    uint32_t a, b; /* entry indexes */
    uint64_t h;    /* hash used for the deterministic sample */
} Pair;

/* Counts of one predictor on one slice of the pairs. */
typedef struct Score {
    size_t pos, tp;        /* positives, and those predicted same */
    size_t plaus, tplaus;  /* positives that look like one name, and found */
    size_t neg, fp;        /* all hard negatives, and those predicted same */
    size_t neg1, fp1;      /* the extra negatives whose first letters differ */
    size_t sneg, sfp;      /* the sampled negatives (as many as pos), false */
} Score;

static Entry *E;
static size_t nE;

static int cmp_en(const void *x, const void *y)
{
    const Entry *a = x, *b = y;
    int c = strcmp(a->en, b->en);
    return c ? c : strcmp(a->ar, b->ar);
}

static int cmp_ar(const void *x, const void *y)
{
    const Entry *a = *(Entry *const *)x, *b = *(Entry *const *)y;
    return strcmp(a->ar, b->ar);
}

/* The letter negatives are blocked on: the first (pass 0) or the last. */
static int block_pass;

static uint32_t block_letter(const Entry *e)
{
    return e->ncps == 0 ? 0 : block_pass == 0 ? e->cps[0] : e->cps[e->ncps - 1];
}

static int cmp_block_len(const void *x, const void *y)
{
    const Entry *a = *(Entry *const *)x, *b = *(Entry *const *)y;
    uint32_t fa = block_letter(a), fb = block_letter(b);
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->ncps != b->ncps)
        return a->ncps < b->ncps ? -1 : 1;
    return strcmp(a->ar, b->ar);
}

static int cmp_hash(const void *x, const void *y)
{
    const Pair *a = x, *b = y;
    return a->h < b->h ? -1 : a->h > b->h;
}

/* Levenshtein distance of two code point strings, or max+1 once above max. */
static size_t lev(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t max)
{
    size_t row[65], prev[65];
    if (n > 64 || m > 64)
        return max + 1;
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        row[0] = i;
        size_t best = row[0];
        for (size_t j = 1; j <= m; j++) {
            size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (row[j - 1] + 1 < d)
                d = row[j - 1] + 1;
            row[j] = d;
            if (d < best)
                best = d;
        }
        if (best > max)
            return max + 1;
        memcpy(prev, row, (m + 1) * sizeof row[0]);
    }
    return prev[m];
}

static uint32_t find(uint32_t i)
{
    while (E[i].group != i) {
        E[i].group = E[E[i].group].group;
        i = E[i].group;
    }
    return i;
}

static int push(Pair **v, size_t *n, size_t *cap, Pair p)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4096;
        Pair *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = p;
    return 0;
}

/*
 * Bounded max-heap on h: keeps the cap pairs with the smallest hashes seen,
 * so the negative sample needs no list of all 7 million negatives.
 */
typedef struct Heap {
    Pair *v;    /* heap array, largest h at v[0], owned */
    size_t n;   /* pairs held */
    size_t cap; /* most pairs held */
} Heap;

static void heap_offer(Heap *hp, Pair p)
{
    if (hp->cap == 0)
        return;
    size_t i;
    if (hp->n < hp->cap) {
        i = hp->n++;
        while (i > 0 && hp->v[(i - 1) / 2].h < p.h) { /* sift up */
            hp->v[i] = hp->v[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        hp->v[i] = p;
        return;
    }
    if (p.h >= hp->v[0].h)
        return;
    i = 0; /* replace the largest and sift down */
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= hp->n)
            break;
        if (c + 1 < hp->n && hp->v[c + 1].h > hp->v[c].h)
            c++;
        if (hp->v[c].h <= p.h)
            break;
        hp->v[i] = hp->v[c];
        i = c;
    }
    hp->v[i] = p;
}

/* Wilson score interval of k successes in n trials, 95 %. */
static void wilson(size_t k, size_t n, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double z = 1.96, p = (double)k / (double)n, nn = (double)n;
    double den = 1 + z * z / nn, mid = (p + z * z / (2 * nn)) / den;
    double half = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / den;
    *lo = mid - half;
    *hi = mid + half;
}

static void report(const char *what, const char *slice, const Score *s)
{
    double lo, hi, rate = s->neg ? (double)s->fp / (double)s->neg : 0.0;
    printf("  %-8s %-3s TP %4zu FN %4zu", what, slice, s->tp, s->pos - s->tp);
    wilson(s->tp, s->pos, &lo, &hi);
    printf("  R %.4f [%.3f,%.3f]", s->pos ? (double)s->tp / (double)s->pos : 1.0, lo, hi);
    wilson(s->tp, s->tp + s->sfp, &lo, &hi);
    printf("  P %.4f [%.3f,%.3f] (FP %zu/%zu sampled)\n",
           s->tp + s->sfp ? (double)s->tp / (double)(s->tp + s->sfp) : 1.0, lo, hi, s->sfp,
           s->sneg);
    wilson(s->fp, s->neg, &lo, &hi);
    printf("      false-match %.4f [%.4f,%.4f]", rate, lo, hi);
    double efp = rate * (double)s->pos;
    printf(" -> P %.4f at that rate;", s->tp ? (double)s->tp / ((double)s->tp + efp) : 1.0);
    printf(" first letters differ %.4f;", s->neg1 ? (double)s->fp1 / (double)s->neg1 : 0.0);
    printf(" R(look-alike) %.4f\n", s->plaus ? (double)s->tplaus / (double)s->plaus : 1.0);
}

#define NPRED 3 /* predictors: same key, matcher, either */
#define NCUT 6  /* matcher cut-offs of the curve */
static const double cuts[NCUT] = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

/* The predictors' verdicts on pair (a, b): 0 same key, 1 matcher, 2 either. */
static void predict(const Entry *a, const Entry *b, int same[NPRED], double *dist)
{
    double d = names_form_distance(a->form, strlen(a->form), b->form, strlen(b->form));
    same[0] = strcmp(a->key, b->key) == 0;
    same[1] = d <= 1.0 + 1e-9;
    same[2] = same[0] || same[1];
    if (dist)
        *dist = d;
}

int main(int argc, char **argv)
{
    int examples = 0, skeleton = 0;
    size_t sample = 0; /* negatives to sample; 0 = as many as positives */
    const char *path = NULL, *dump = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--examples") == 0 && i + 1 < argc)
            examples = atoi(argv[++i]);
        else if (strcmp(argv[i], "--skeleton") == 0)
            skeleton = 1;
        else if (strcmp(argv[i], "--sample") == 0 && i + 1 < argc)
            sample = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump = argv[++i];
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: eval-names [--examples N] [--skeleton] [--sample N] [--dump DIR] FILE\n");
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 0;
    char line[4096];
    unsigned long lineno = 0;
    Buf kb = {0};
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strcspn(line, "\r\n");
        line[len] = 0;
        char *comma = strchr(line, ',');
        if (lineno == 1 || !comma || comma == line || !comma[1])
            continue;
        *comma = 0;
        if (nE == cap) {
            cap = cap ? cap * 2 : 65536;
            Entry *ne = realloc(E, cap * sizeof *E);
            if (!ne) {
                fprintf(stderr, "eval-names: out of memory\n");
                return 1;
            }
            E = ne;
        }
        Entry *e = &E[nE];
        memset(e, 0, sizeof *e);
        e->ar = strdup(line);
        e->en = strdup(comma + 1);
        for (char *p = e->en; p && *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        buf_reset(&kb);
        if (!e->ar || !e->en ||
            (skeleton ? names_skeleton(e->ar, strlen(e->ar), &kb)
                      : names_key(e->ar, strlen(e->ar), &kb)) < 0) {
            fprintf(stderr, "eval-names: out of memory\n");
            return 1;
        }
        e->key = strdup(kb.data ? kb.data : "");
        buf_reset(&kb);
        if (names_form(e->ar, strlen(e->ar), &kb) < 0) {
            fprintf(stderr, "eval-names: out of memory\n");
            return 1;
        }
        e->form = strdup(kb.data ? kb.data : "");
        e->half = (int)(rasd_hash(e->en, strlen(e->en)) & 1);
        char *norm = NULL;
        size_t nl = 0;
        if (rasd_normalise(e->ar, strlen(e->ar), RASD_NORM_KEY, &norm, &nl, NULL, NULL) ==
            RASD_OK) {
            e->cps = malloc((nl + 1) * sizeof *e->cps);
            for (size_t i = 0; e->cps && i < nl;)
                e->cps[e->ncps++] = utf8_next(norm, nl, &i);
        }
        free(norm);
        nE++;
    }
    fclose(f);
    buf_free(&kb);
    qsort(E, nE, sizeof *E, cmp_en);
    /* drop exact duplicate (arabic, english) rows */
    size_t w = 0;
    for (size_t i = 0; i < nE; i++)
        if (w == 0 || strcmp(E[w - 1].en, E[i].en) || strcmp(E[w - 1].ar, E[i].ar))
            E[w++] = E[i];
        else {
            free(E[i].ar);
            free(E[i].en);
            free(E[i].key);
            free(E[i].form);
            free(E[i].cps);
        }
    nE = w;

    /* groups: one per English name, then joined through shared spellings */
    size_t nnames = 0;
    for (size_t i = 0; i < nE; i++) {
        int first = i == 0 || strcmp(E[i - 1].en, E[i].en) != 0;
        E[i].group = first ? (uint32_t)i : E[i - 1].group;
        nnames += first;
    }
    Entry **by = malloc(nE * sizeof *by);
    if (!by)
        return 1;
    for (size_t i = 0; i < nE; i++)
        by[i] = &E[i];
    qsort(by, nE, sizeof *by, cmp_ar);
    for (size_t i = 1; i < nE; i++)
        if (strcmp(by[i - 1]->ar, by[i]->ar) == 0) {
            uint32_t ra = find((uint32_t)(by[i - 1] - E)), rb = find((uint32_t)(by[i] - E));
            if (ra != rb)
                E[ra > rb ? ra : rb].group = ra < rb ? ra : rb;
        }

    Pair *pos = NULL;
    size_t npos = 0, cpos = 0;
    for (size_t i = 0; i < nE;) {
        size_t j = i;
        while (j < nE && strcmp(E[j].en, E[i].en) == 0)
            j++;
        for (size_t a = i; a < j; a++)
            for (size_t b = a + 1; b < j; b++) {
                uint64_t h = rasd_hash(&a, sizeof a) ^ rasd_hash(&b, sizeof b);
                if (push(&pos, &npos, &cpos, (Pair){(uint32_t)a, (uint32_t)b, h}) < 0)
                    return 1;
            }
        i = j;
    }
    size_t npos_half[2] = {0, 0};
    for (size_t i = 0; i < npos; i++)
        npos_half[E[pos[i].a].half]++;

    Score sc[NPRED][3];          /* [predictor][all, half A, half B] */
    size_t cut_tp[NCUT] = {0}, cut_fp[NCUT] = {0}; /* the matcher's curve */
    memset(sc, 0, sizeof sc);
    /* samples: all, half A, half B; [3]: first letters differ, for --dump */
    Heap heap[4] = {{NULL, 0, sample ? sample : npos}, {NULL, 0, npos_half[0]},
                    {NULL, 0, npos_half[1]}, {NULL, 0, dump ? (sample ? sample : npos) : 0}};
    for (int s = 0; s < 4; s++)
        if (!(heap[s].v = malloc((heap[s].cap + 1) * sizeof *heap[s].v)))
            return 1;
    size_t nneg = 0, nneg1 = 0, linked = 0;
    for (block_pass = 0; block_pass < 2; block_pass++) {
        qsort(by, nE, sizeof *by, cmp_block_len);
        for (size_t i = 0; i < nE; i++) {
            Entry *a = by[i];
            for (size_t j = i + 1; j < nE; j++) {
                Entry *b = by[j];
                if (!a->ncps || !b->ncps || block_letter(b) != block_letter(a) ||
                    b->ncps > a->ncps + 1)
                    break;
                if (block_pass == 1 && a->cps[0] == b->cps[0])
                    continue; /* met in the first pass */
                if (strcmp(a->en, b->en) == 0 || strcmp(a->ar, b->ar) == 0)
                    continue;
                if (lev(a->cps, a->ncps, b->cps, b->ncps, 2) > 2)
                    continue;
                if (find((uint32_t)(a - E)) == find((uint32_t)(b - E))) {
                    linked++;
                    continue;
                }
                uint32_t ia = (uint32_t)(a - E), ib = (uint32_t)(b - E);
                char hk[512];
                int hl = snprintf(hk, sizeof hk, "%s\t%s\t%s\t%s", a->ar, a->en, b->ar, b->en);
                uint64_t h =
                    rasd_hash(hk, hl > 0 && (size_t)hl < sizeof hk ? (size_t)hl : sizeof hk - 1);
                Pair p = {ia, ib, h};
                int slice = a->half == b->half ? 1 + a->half : 0;
                int verdict[NPRED];
                double dist;
                predict(a, b, verdict, &dist);
                for (int c = 0; block_pass == 0 && c < NCUT; c++)
                    cut_fp[c] += dist <= cuts[c] + 1e-9;
                for (int pr = 0; pr < NPRED; pr++) {
                    int same = verdict[pr];
                    for (int k = 0; k < 2; k++) {
                        Score *sp = &sc[pr][k ? slice : 0];
                        if (k && !slice)
                            break;
                        if (block_pass == 0) {
                            sp->neg++;
                            sp->fp += same;
                        } else {
                            sp->neg1++;
                            sp->fp1 += same;
                        }
                    }
                }
                if (block_pass == 1) {
                    nneg1++;
                    heap_offer(&heap[3], p);
                    continue; /* the sample keeps the first-letter definition */
                }
                nneg++;
                heap_offer(&heap[0], p);
                if (slice)
                    heap_offer(&heap[slice], p);
            }
        }
    }
    qsort(heap[3].v, heap[3].n, sizeof *heap[3].v, cmp_hash);
    for (int s = 0; s < 3; s++) {
        qsort(heap[s].v, heap[s].n, sizeof *heap[s].v, cmp_hash);
        for (size_t i = 0; i < heap[s].n; i++) {
            int verdict[NPRED];
            predict(&E[heap[s].v[i].a], &E[heap[s].v[i].b], verdict, NULL);
            for (int pr = 0; pr < NPRED; pr++) {
                sc[pr][s].sneg++;
                sc[pr][s].sfp += verdict[pr];
            }
        }
    }
    unsigned char *hit[NPRED];
    for (int pr = 0; pr < NPRED; pr++)
        if (!(hit[pr] = calloc(npos + 1, 1)))
            return 1;
    for (size_t i = 0; i < npos; i++) {
        Entry *a = &E[pos[i].a], *b = &E[pos[i].b];
        size_t mx = a->ncps > b->ncps ? a->ncps : b->ncps, lim = mx / 3 > 1 ? mx / 3 : 1;
        int plaus = a->ncps && b->ncps && a->cps[0] == b->cps[0] &&
                    lev(a->cps, a->ncps, b->cps, b->ncps, lim) <= lim;
        int verdict[NPRED];
        double dist;
        predict(a, b, verdict, &dist);
        for (int c = 0; c < NCUT; c++)
            cut_tp[c] += dist <= cuts[c] + 1e-9;
        for (int pr = 0; pr < NPRED; pr++) {
            int same = verdict[pr];
            hit[pr][i] = (unsigned char)same;
            int slices[2] = {0, 1 + a->half};
            for (int k = 0; k < 2; k++) {
                Score *s = &sc[pr][slices[k]];
                s->pos++;
                s->tp += same;
                s->plaus += plaus;
                s->tplaus += plaus && same;
            }
        }
    }

    printf("names: %zu distinct (arabic, english) rows, %zu English names, from %s\n", nE, nnames,
           path);
    printf("positives %zu (A %zu, B %zu); hard negatives, same first letter, %zu (A %zu, B %zu),\n"
           "  sampled %zu; first letters differ, last the same %zu; %zu look-alike pairs skipped\n"
           "  because their English names share a spelling\n",
           npos, npos_half[0], npos_half[1], nneg, sc[0][1].neg, sc[0][2].neg, heap[0].n, nneg1,
           linked);
    printf("look-alike positives (same first letter, Levenshtein <= max(1, length/3)): %zu\n",
           sc[0][0].plaus);
    static const char *slices[3] = {"all", "A", "B"};
    const char *what[NPRED] = {skeleton ? "skeleton" : "same key", "matcher", "either"};
    for (int pr = 0; pr < NPRED; pr++)
        for (int s = 0; s < 3; s++)
            report(what[pr], slices[s], &sc[pr][s]);
    printf("matcher curve (distance cut-off: R, false-match rate, P at that rate):\n ");
    for (int c = 0; c < NCUT; c++) {
        double r = npos ? (double)cut_tp[c] / (double)npos : 0,
               fr = nneg ? (double)cut_fp[c] / (double)nneg : 0;
        printf(" %.2f: %.3f %.4f %.3f%s", cuts[c], r, fr, r + fr > 0 ? r / (r + fr) : 1.0,
               c + 1 < NCUT ? ";" : "\n");
    }

    for (int pr = 0; pr < 2 && examples > 0; pr++) {
        int shown = 0;
        for (size_t i = 0; i < npos && shown < examples; i++) {
            Entry *a = &E[pos[i].a], *b = &E[pos[i].b];
            if (!hit[pr][i] && pos[i].h % 13 == 0) {
                printf("  %s missed  %-12s %s | %s  (%s | %s)\n", what[pr], a->en, a->ar, b->ar,
                       pr ? a->form : a->key, pr ? b->form : b->key);
                shown++;
            }
        }
        shown = 0;
        for (size_t i = 0; i < heap[0].n && shown < examples; i++) {
            Entry *a = &E[heap[0].v[i].a], *b = &E[heap[0].v[i].b];
            int verdict[NPRED];
            predict(a, b, verdict, NULL);
            if (verdict[pr]) {
                printf("  %s false   %s=%s | %s=%s  (%s | %s)\n", what[pr], a->ar, a->en, b->ar,
                       b->en, pr ? a->form : a->key, pr ? b->form : b->key);
                shown++;
            }
        }
    }
    if (dump) {
        char p1[4096], p2[4096];
        snprintf(p1, sizeof p1, "%s/pos.tsv", dump);
        snprintf(p2, sizeof p2, "%s/neg.tsv", dump);
        FILE *fp = fopen(p1, "w"), *fn = fopen(p2, "w");
        if (!fp || !fn) {
            perror(dump);
            return 1;
        }
        for (size_t i = 0; i < npos; i++) {
            Entry *a = &E[pos[i].a], *b = &E[pos[i].b];
            fprintf(fp, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", a->en, a->ar, b->ar, a->key, b->key,
                    hit[0][i], hit[1][i], a->half);
        }
        for (int k = 0; k < 4; k += 3) /* first letter the same (0), differs (3) */
            for (size_t i = 0; i < heap[k].n; i++) {
                Entry *a = &E[heap[k].v[i].a], *b = &E[heap[k].v[i].b];
                int verdict[NPRED];
                predict(a, b, verdict, NULL);
                fprintf(fn, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", a->en, b->en, a->ar,
                        b->ar, a->key, b->key, verdict[0], verdict[1], k == 3,
                        a->half == b->half ? 1 + a->half : 0);
            }
        fclose(fp);
        fclose(fn);
    }
    for (size_t i = 0; i < nE; i++) {
        free(E[i].ar);
        free(E[i].en);
        free(E[i].key);
        free(E[i].form);
        free(E[i].cps);
    }
    for (int s = 0; s < 4; s++)
        free(heap[s].v);
    for (int pr = 0; pr < NPRED; pr++)
        free(hit[pr]);
    free(E);
    free(by);
    free(pos);
    return 0;
}
