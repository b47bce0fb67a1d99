/*
 * eval_names.c — precision and recall of "same key" (src/annotate/names.h)
 * on a list of Arabic spellings of names with their English name, such as
 * ../shared/data/names/arabic-english-names.dev.csv:
 *
 *   build/eval-names [--examples N] [--skeleton] FILE
 *
 * FILE is CSV "arabic,english" with a header line and no quoting.
 * Positive pairs: two different Arabic spellings listed under the same
 * English name (case-folded). Hard negative pairs: two Arabic spellings
 * under different English names that look alike — same first letter after
 * KEY normalisation, lengths within 1 code point and Levenshtein distance
 * at most 2 — and that are not listed under each other's English name (the
 * data often gives one Arabic spelling for two English spellings, كين for
 * kane and caine: such pairs are not negatives). The negatives used are
 * as many hard negatives as there are positives, chosen by a hash of
 * the pair, so the run is deterministic; the false-match rate over all
 * hard negatives is reported too.
 *
 * A pair is predicted "same" when both spellings get one key.
 * P = TP / (TP + FP), R = TP / positives. --examples N prints N missed
 * positives and N false matches (the data is noisy: some positives are not
 * variants of one name, see the report).
 */
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
    char *key;       /* names_key of ar, owned */
    uint32_t *cps;   /* KEY-normalised code points of ar, owned */
    size_t ncps;     /* entries in cps */
} Entry;

typedef struct Pair {
    uint32_t a, b; /* entry indexes */
    uint64_t h;    /* hash used for the deterministic sample */
} Pair;

static Entry *E;
static size_t nE;

static int cmp_en(const void *x, const void *y)
{
    const Entry *a = x, *b = y;
    int c = strcmp(a->en, b->en);
    return c ? c : strcmp(a->ar, b->ar);
}

static int cmp_first_len(const void *x, const void *y)
{
    const Entry *a = *(Entry *const *)x, *b = *(Entry *const *)y;
    uint32_t fa = a->ncps ? a->cps[0] : 0, fb = b->ncps ? b->cps[0] : 0;
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

/* Is Arabic spelling ar listed under English name en? (E sorted by en, ar) */
static int listed(const char *ar, const char *en)
{
    Entry probe = {(char *)ar, (char *)en, NULL, NULL, 0};
    return bsearch(&probe, E, nE, sizeof *E, cmp_en) != NULL;
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

int main(int argc, char **argv)
{
    int examples = 0, skeleton = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--examples") == 0 && i + 1 < argc)
            examples = atoi(argv[++i]);
        else if (strcmp(argv[i], "--skeleton") == 0)
            skeleton = 1;
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: eval-names [--examples N] [--skeleton] FILE\n");
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
    nE = w;

    Pair *pos = NULL, *neg = NULL;
    size_t npos = 0, cpos = 0, nneg = 0, cneg = 0;
    for (size_t i = 0; i < nE;) {
        size_t j = i;
        while (j < nE && strcmp(E[j].en, E[i].en) == 0)
            j++;
        for (size_t a = i; a < j; a++)
            for (size_t b = a + 1; b < j; b++)
                if (push(&pos, &npos, &cpos, (Pair){(uint32_t)a, (uint32_t)b, 0}) < 0)
                    return 1;
        i = j;
    }
    Entry **by = malloc(nE * sizeof *by);
    if (!by)
        return 1;
    for (size_t i = 0; i < nE; i++)
        by[i] = &E[i];
    qsort(by, nE, sizeof *by, cmp_first_len);
    for (size_t i = 0; i < nE; i++) {
        Entry *a = by[i];
        for (size_t j = i + 1; j < nE; j++) {
            Entry *b = by[j];
            if (!a->ncps || !b->ncps || b->cps[0] != a->cps[0] || b->ncps > a->ncps + 1)
                break;
            if (strcmp(a->en, b->en) == 0 || strcmp(a->ar, b->ar) == 0)
                continue;
            if (lev(a->cps, a->ncps, b->cps, b->ncps, 2) > 2)
                continue;
            if (listed(a->ar, b->en) || listed(b->ar, a->en))
                continue;
            uint32_t ia = (uint32_t)(a - E), ib = (uint32_t)(b - E);
            char hk[512];
            int hl = snprintf(hk, sizeof hk, "%s\t%s\t%s\t%s", a->ar, a->en, b->ar, b->en);
            uint64_t h = rasd_hash(hk, hl > 0 && (size_t)hl < sizeof hk ? (size_t)hl : sizeof hk - 1);
            if (push(&neg, &nneg, &cneg, (Pair){ia, ib, h}) < 0)
                return 1;
        }
    }
    size_t fp_all = 0;
    for (size_t i = 0; i < nneg; i++)
        fp_all += strcmp(E[neg[i].a].key, E[neg[i].b].key) == 0;
    qsort(neg, nneg, sizeof *neg, cmp_hash);
    size_t nsample = nneg < npos ? nneg : npos, fp = 0, tp = 0;
    for (size_t i = 0; i < nsample; i++)
        fp += strcmp(E[neg[i].a].key, E[neg[i].b].key) == 0;
    size_t nplaus = 0, tplaus = 0; /* positives that look like one name */
    for (size_t i = 0; i < npos; i++) {
        Entry *a = &E[pos[i].a], *b = &E[pos[i].b];
        int same = strcmp(a->key, b->key) == 0;
        size_t mx = a->ncps > b->ncps ? a->ncps : b->ncps, lim = mx / 3 > 1 ? mx / 3 : 1;
        tp += same;
        if (a->ncps && b->ncps && a->cps[0] == b->cps[0] &&
            lev(a->cps, a->ncps, b->cps, b->ncps, lim) <= lim) {
            nplaus++;
            tplaus += same;
        }
    }
    printf("names: %zu distinct (arabic, english) rows from %s\n", nE, path);
    printf("positives %zu (same English name), hard negatives %zu (sampled %zu)\n", npos, nneg,
           nsample);
    printf("same key: TP %zu  FP %zu  FN %zu\n", tp, fp, npos - tp);
    printf("precision %.4f  recall %.4f  (false-match rate over all hard negatives %.4f)\n",
           tp + fp ? (double)tp / (double)(tp + fp) : 1.0, npos ? (double)tp / (double)npos : 1.0,
           nneg ? (double)fp_all / (double)nneg : 0.0);
    printf("recall on the %zu positives that look like one name (same first letter,\n"
           "  Levenshtein <= max(1, length/3)): %.4f; precision against them %.4f\n",
           nplaus, nplaus ? (double)tplaus / (double)nplaus : 1.0,
           tplaus + fp ? (double)tplaus / (double)(tplaus + fp * nplaus / (npos ? npos : 1))
                       : 1.0);
    int shown = 0;
    for (size_t i = 0; i < npos && shown < examples; i++) {
        Entry *a = &E[pos[i].a], *b = &E[pos[i].b];
        uint64_t h = rasd_hash(&i, sizeof i);
        if (strcmp(a->key, b->key) != 0 && h % 7 == 0) {
            printf("  missed  %-12s %s | %s  (%s | %s)\n", a->en, a->ar, b->ar, a->key, b->key);
            shown++;
        }
    }
    shown = 0;
    for (size_t i = 0; i < nsample && shown < examples; i++) {
        Entry *a = &E[neg[i].a], *b = &E[neg[i].b];
        if (strcmp(a->key, b->key) == 0) {
            printf("  false   %s=%s | %s=%s  (%s)\n", a->ar, a->en, b->ar, b->en, a->key);
            shown++;
        }
    }
    for (size_t i = 0; i < nE; i++) {
        free(E[i].ar);
        free(E[i].en);
        free(E[i].key);
        free(E[i].cps);
    }
    free(E);
    free(by);
    free(pos);
    free(neg);
    return 0;
}
