/*
 * fingerprint.c — identity hash, MinHash and LSH keys (see fingerprint.h).
 *
 * Shingles are FP_SHINGLE consecutive word keys (punctuation skipped, keys
 * already normalised, so spelling variants of hamza or ة do not break a
 * copy). Each shingle is hashed once with XXH3; the FP_MINHASH "permutations"
 * are h*a_i + b_i over 64 bits keeping the high 32 bits, with a_i, b_i from
 * a fixed splitmix64 stream, so signatures are the same on every machine.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "fingerprint.h"
#include "text/text.h"

static uint64_t perm_a[FP_MINHASH], perm_b[FP_MINHASH];
static pthread_once_t perm_once = PTHREAD_ONCE_INIT;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void perm_init(void)
{
    /* run once (pthread_once): annotation workers call fp_minhash at once */
    uint64_t x = 0x72617364; /* "rasd" */
    for (int i = 0; i < FP_MINHASH; i++) {
        perm_a[i] = splitmix64(&x) | 1;
        perm_b[i] = splitmix64(&x);
    }
}

static int is_word(const rasd_token *t)
{
    return t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN ||
           t->type == RASD_TOK_NUMBER || t->type == RASD_TOK_HASHTAG;
}

uint64_t fp_identity(const rasd_doc *d, char hex[17])
{
    XXH3_state_t state, *st = &state;
    XXH3_64bits_reset(st);
    size_t n = rasd_doc_ntokens(d);
    const rasd_token *t = rasd_doc_tokens(d);
    for (size_t i = 0; i < n; i++) {
        XXH3_64bits_update(st, t[i].key, t[i].key_len);
        XXH3_64bits_update(st, " ", 1);
    }
    uint64_t h = XXH3_64bits_digest(st);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        hex[i] = digits[(h >> (60 - 4 * i)) & 15];
    hex[16] = '\0';
    return h;
}

/* Calls fn(ctx, shingle hash) for each shingle of the doc's words. */
static size_t each_shingle(const rasd_doc *d, void (*fn)(void *, uint64_t), void *ctx)
{
    size_t n = rasd_doc_ntokens(d), count = 0, have = 0;
    const rasd_token *t = rasd_doc_tokens(d);
    uint64_t win[FP_SHINGLE];
    for (size_t i = 0; i < n; i++) {
        if (!is_word(&t[i]))
            continue;
        win[have % FP_SHINGLE] = XXH3_64bits(t[i].key, t[i].key_len);
        have++;
        if (have >= FP_SHINGLE) {
            uint64_t h = 0;
            for (size_t k = 0; k < FP_SHINGLE; k++) { /* oldest first: order matters */
                uint64_t w = win[(have + k) % FP_SHINGLE];
                h = (h ^ w) * 0x9E3779B97F4A7C15ull + (h >> 29);
            }
            fn(ctx, h);
            count++;
        }
    }
    if (have > 0 && have < FP_SHINGLE) { /* a very short text is one shingle */
        uint64_t h = 0;
        for (size_t k = 0; k < have; k++)
            h = (h ^ win[k]) * 0x9E3779B97F4A7C15ull + (h >> 29);
        fn(ctx, h);
        count++;
    }
    return count;
}

static void mh_update(void *ctx, uint64_t h)
{
    uint32_t *sig = ctx;
    for (int i = 0; i < FP_MINHASH; i++) {
        uint32_t v = (uint32_t)((h * perm_a[i] + perm_b[i]) >> 32);
        if (v < sig[i])
            sig[i] = v;
    }
}

size_t fp_minhash(const rasd_doc *d, uint32_t sig[FP_MINHASH])
{
    pthread_once(&perm_once, perm_init);
    for (int i = 0; i < FP_MINHASH; i++)
        sig[i] = UINT32_MAX;
    return each_shingle(d, mh_update, sig);
}

void fp_lsh_keys(const uint32_t sig[FP_MINHASH], uint64_t keys[FP_BANDS])
{
    for (int b = 0; b < FP_BANDS; b++) {
        uint64_t h = XXH3_64bits_withSeed(sig + b * FP_ROWS, FP_ROWS * sizeof *sig, (uint64_t)b);
        keys[b] = h >> 1; /* fits a signed SQL integer */
    }
}

double fp_similarity(const uint32_t *a, const uint32_t *b, size_t n)
{
    if (n == 0)
        return 0;
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        same += a[i] == b[i];
    return (double)same / (double)n;
}

typedef struct ShingleVec {
    uint64_t *v;   /* hashes */
    size_t n, cap; /* used, allocated */
    int oom;
} ShingleVec;

static void sv_add(void *ctx, uint64_t h)
{
    ShingleVec *s = ctx;
    if (s->oom)
        return;
    if (s->n == s->cap) {
        size_t c = s->cap ? s->cap * 2 : 256;
        uint64_t *p = realloc(s->v, c * sizeof *p);
        if (!p) {
            s->oom = 1;
            return;
        }
        s->v = p;
        s->cap = c;
    }
    s->v[s->n++] = h;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t *fp_shingles(const rasd_doc *d, size_t *n)
{
    ShingleVec s = {0};
    each_shingle(d, sv_add, &s);
    if (s.oom) {
        free(s.v);
        *n = 0;
        return NULL;
    }
    if (s.n) /* an empty text has no array: qsort must not get NULL */
        qsort(s.v, s.n, sizeof *s.v, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++)
        if (k == 0 || s.v[i] != s.v[k - 1])
            s.v[k++] = s.v[i];
    *n = k;
    return s.v;
}
