/*
 * quotes_group.c — the quotations of a story, grouped for a reader: one
 * group per speaker, and within it one entry per statement however many
 * outlets carried it (quotes.h, quotes_group).
 *
 * Main idea:
 *   - speakers: quotes with the same speaker key are one speaker; across
 *     the story a one-word key that is the last (or first) word of exactly
 *     one longer key is that person too (المالكي → نوري المالكي: each
 *     article keys its own mentions, so one article may only have the
 *     surname);
 *   - statements: two quotes of one speaker are the same statement when
 *     most words of the shorter one are in the longer one (word keys,
 *     containment ≥ SAME_SHARE over at most SIG_WORDS words each): outlets
 *     trim, reorder the opening words and respell hamzas, so a byte prefix
 *     misses most copies.
 * Work: one pass to key the words, then pairs within a speaker only, each
 * pair a merge of two sorted arrays of at most SIG_WORDS hashes.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

#define SIG_WORDS 48     /* word hashes kept per quote */
#define SAME_SHARE 0.6   /* share of the shorter quote's words in the longer one */
#define SAME_MIN 3       /* words a quote needs to be compared at all */

typedef struct Sig {
    uint64_t h[SIG_WORDS]; /* sorted distinct word-key hashes */
    uint32_t n;            /* how many */
} Sig;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The word signature of the quoted bytes [a,b) of d. */
static void quote_sig(const rasd_doc *d, uint32_t a, uint32_t b, Sig *s)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t n = rasd_doc_ntokens(d), lo = token_ending_after(t, n, a);
    s->n = 0;
    for (size_t i = lo; i < n && t[i].start < b && s->n < SIG_WORDS; i++) {
        if (t[i].type == RASD_TOK_PUNCT || t[i].key_len == 0)
            continue;
        size_t skip = t[i].pre_len < t[i].key_len ? t[i].pre_len : 0; /* وقال ~ قال */
        s->h[s->n++] = rasd_hash(t[i].key + skip, t[i].key_len - skip);
    }
    qsort(s->h, s->n, sizeof s->h[0], cmp_u64);
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->n; i++)
        if (!k || s->h[k - 1] != s->h[i])
            s->h[k++] = s->h[i];
    s->n = k;
}

/* Are a and b the same statement? */
static int same_statement(const Sig *a, const Sig *b)
{
    uint32_t m = a->n < b->n ? a->n : b->n;
    if (m < SAME_MIN)
        return 0;
    uint32_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        if (a->h[i] == b->h[j]) {
            common++;
            i++;
            j++;
        } else if (a->h[i] < b->h[j]) {
            i++;
        } else {
            j++;
        }
    }
    return common >= SAME_SHARE * m;
}

static const char *ref_key(const QuoteDoc *docs, const QuoteRef *r, uint32_t *len)
{
    const QuoteList *l = docs[r->doc].quotes;
    const Quote *q = &l->items[r->q];
    *len = q->key_len;
    return q->key_len ? l->keys.data + q->key_off : NULL;
}


/* Speaker groups: same key, then one-word keys onto their one fuller key. */
static void group_speakers(const QuoteDoc *docs, QuoteRef *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t li, lj;
        const char *ki = ref_key(docs, &r[i], &li);
        r[i].speaker = (uint32_t)i;
        if (!ki)
            continue;
        for (size_t j = 0; j < i; j++) {
            const char *kj = ref_key(docs, &r[j], &lj);
            if (r[j].speaker == j && kj && li == lj && !memcmp(ki, kj, li)) {
                r[i].speaker = (uint32_t)j;
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t li, lj;
        const char *ki = ref_key(docs, &r[i], &li);
        if (r[i].speaker != i || !ki || memchr(ki, ' ', li))
            continue;
        int64_t hit = -1;
        for (size_t j = 0; j < n; j++) {
            const char *kj = ref_key(docs, &r[j], &lj);
            if (r[j].speaker != j || j == i || !kj || !key_part(ki, li, kj, lj))
                continue;
            if (hit >= 0) {
                hit = -2; /* two people of that name in the story: leave it */
                break;
            }
            hit = (int64_t)j;
        }
        if (hit < 0)
            continue;
        for (size_t k = 0; k < n; k++)
            if (r[k].speaker == i)
                r[k].speaker = (uint32_t)hit;
    }
}

rasd_err quotes_group(const QuoteDoc *docs, size_t ndocs, QuoteGroups *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = 0;
    for (size_t d = 0; d < ndocs; d++)
        n += docs[d].quotes ? docs[d].quotes->n : 0;
    out->refs = malloc((n ? n : 1) * sizeof *out->refs);
    Sig *sig = malloc((n ? n : 1) * sizeof *sig);
    if (!out->refs || !sig) {
        free(sig);
        quotes_groups_free(out);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t d = 0; d < ndocs; d++)
        for (size_t q = 0; docs[d].quotes && q < docs[d].quotes->n; q++) {
            const Quote *qu = &docs[d].quotes->items[q];
            out->refs[k] = (QuoteRef){(uint32_t)d, (uint32_t)q, 0, (uint32_t)k};
            quote_sig(docs[d].doc, qu->start, qu->end, &sig[k]);
            k++;
        }
    out->n = n;
    group_speakers(docs, out->refs, n);
    for (size_t i = 0; i < n; i++) {
        QuoteRef *ri = &out->refs[i];
        for (size_t j = 0; j < i; j++) {
            const QuoteRef *rj = &out->refs[j];
            if (rj->entry == j && rj->speaker == ri->speaker && same_statement(&sig[i], &sig[j])) {
                ri->entry = (uint32_t)j;
                break;
            }
        }
    }
    free(sig);
    return RASD_OK;
}

void quotes_groups_free(QuoteGroups *g)
{
    free(g->refs);
    memset(g, 0, sizeof *g);
}
