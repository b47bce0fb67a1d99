/*
 * align.c — sentence alignment of two analysed texts and the word diff of
 * each aligned pair (see align.h).
 *
 * Idea: every word gets two 64-bit signatures, its stem (a number: its
 * value) and the name key of its clitic-free form (annotate/names.c), and
 * two words are the same when either signature matches. Candidate pairs
 * come from an inverted index over B's non-stopword stems: each sentence
 * of A looks up its stems and counts, per B sentence, how many it shares;
 * stems found in very many B sentences are skipped as uninformative, so a
 * long article costs about (words × rare postings), not sentences². Only
 * the few best candidates of each A sentence are scored, with the longest
 * common subsequence (LCS) of words: sim = 2·LCS / (words A + words B),
 * the Dice form of ROUGE-L, which is 1 for identical word sequences and
 * forgives a clitic or a spelling variant. Pairs at or above the threshold
 * are kept one-to-one, best similarity first.
 *
 * The diff is the LCS traceback; between two common words the words left
 * on both sides are paired in order as substitutions (A's k-th with B's
 * k-th), the rest are only-A or only-B words. That is what a reader does
 * with "القاعدة الصينية العسكرية" / "القاعدة الصناعية الدفاعية".
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "annotate/names.h"
#include "annotate/quantities.h"
#include "text/text.h"

#define ALIGN_CANDIDATES 8 /* B sentences scored per A sentence */

/* Word signatures of one document. */
typedef struct Sigs {
    uint64_t *stem;    /* per token: stem (or number value) hash; 0 = not a word */
    uint64_t *variant; /* per token: name-key hash; 0 = none (stopword, number, short) */
    uint64_t *loose;   /* per token: light-stem hash; 0 = none */
} Sigs;

int align_is_word(const rasd_token *t)
{
    return t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN ||
           t->type == RASD_TOK_NUMBER || t->type == RASD_TOK_HASHTAG;
}

static uint64_t nonzero(uint64_t h)
{
    return h ? h : 1;
}

static uint64_t stem_sig(const rasd_token *t)
{
    if (t->type == RASD_TOK_NUMBER) {
        double v;
        if (quant_number_value(t->key, t->key_len, &v) == 0) {
            char tmp[sizeof v + 1] = "#";
            memcpy(tmp + 1, &v, sizeof v);
            return nonzero(rasd_hash(tmp, sizeof tmp));
        }
    }
    return nonzero(rasd_hash(t->stem, t->stem_len));
}

/* Name key of the word without its proclitics (a name keeps its suffix letters). */
static uint64_t variant_sig(const rasd_token *t, Buf *tmp)
{
    if ((t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN) || (t->flags & RASD_TF_STOP))
        return 0;
    uint32_t pre = t->pre_len < t->key_len ? t->pre_len : 0;
    buf_reset(tmp);
    if (names_key(t->key + pre, t->key_len - pre, tmp) != 0 || tmp->len < 2)
        return 0; /* one letter of skeleton says nothing about identity */
    return nonzero(rasd_hash(tmp->data, tmp->len));
}

/* Light-stem signature (annotate/quantities.h word_light_key); 0 = none. */
static uint64_t loose_sig(const rasd_token *t)
{
    size_t n;
    const char *k = word_light_key(t, &n);
    return k ? nonzero(rasd_hash(k, n) ^ 0x6c6f6f7365ull) : 0;
}

static void word_sigs_memo(const rasd_token *t, uint64_t sig[3]);

static void sigs_free(Sigs *s)
{
    free(s->stem);
    free(s->variant);
    free(s->loose);
    s->stem = s->variant = s->loose = NULL;
}

/* Signatures of tokens [from,to); the arrays cover the whole document. */
static int sigs_init(const rasd_doc *d, Sigs *s)
{
    size_t n = rasd_doc_ntokens(d);
    const rasd_token *t = rasd_doc_tokens(d);
    s->stem = calloc(n ? n : 1, sizeof *s->stem);
    s->variant = calloc(n ? n : 1, sizeof *s->variant);
    s->loose = calloc(n ? n : 1, sizeof *s->loose);
    if (!s->stem || !s->variant || !s->loose) {
        sigs_free(s);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (align_is_word(&t[i])) { /* through the memo: each pair of a story's
                                       articles analysed every word again */
            uint64_t sig[3];
            word_sigs_memo(&t[i], sig);
            s->stem[i] = sig[0];
            s->variant[i] = sig[1];
            s->loose[i] = sig[2];
        }
    return 0;
}

static int same(const Sigs *sa, uint32_t x, const Sigs *sb, uint32_t y)
{
    return sa->stem[x] == sb->stem[y] || (sa->variant[x] && sa->variant[x] == sb->variant[y]) ||
           (sa->loose[x] && sa->loose[x] == sb->loose[y]);
}

void align_word_sigs(const rasd_token *t, uint64_t sig[3])
{
    sig[0] = sig[1] = sig[2] = 0;
    if (!align_is_word(t))
        return;
    Buf tmp = {0};
    sig[0] = stem_sig(t);
    sig[1] = variant_sig(t, &tmp);
    sig[2] = loose_sig(t);
    buf_free(&tmp);
}

/*
 * align_word_sigs through a per-thread memo keyed by the token's key, stem
 * and flags: the conflict detector compares the same words across every
 * pair of a story's articles, and computing a word's name key and light
 * stem each time was most of its cost.
 */
#define SIG_MEMO_SLOTS 65536 /* 2 MB a thread: a story of 60 articles has more distinct words than 8192 */
typedef struct SigMemo {
    uint64_t id;         /* hash of key, stem, type and flags; 0 = empty */
    uint64_t sig[3];     /* align_word_sigs of that word */
} SigMemo;
static pthread_key_t sig_memo_key;
static pthread_once_t sig_memo_once = PTHREAD_ONCE_INIT;
static void sig_memo_make_key(void) { pthread_key_create(&sig_memo_key, free); }

static void word_sigs_memo(const rasd_token *t, uint64_t sig[3])
{
    pthread_once(&sig_memo_once, sig_memo_make_key);
    SigMemo *m = pthread_getspecific(sig_memo_key);
    if (!m) {
        m = calloc(SIG_MEMO_SLOTS, sizeof *m);
        if (m && pthread_setspecific(sig_memo_key, m) != 0) {
            free(m);
            m = NULL;
        }
    }
    uint64_t id = rasd_hash(t->key, t->key_len) * 31 + rasd_hash(t->stem, t->stem_len) +
                  ((uint64_t)t->type << 32 | t->flags | (uint64_t)t->pre_len << 48 |
                   (uint64_t)t->suf_len << 56);
    id |= 1;
    SigMemo *e = m ? &m[id & (SIG_MEMO_SLOTS - 1)] : NULL;
    if (e && e->id == id) {
        memcpy(sig, e->sig, sizeof e->sig);
        return;
    }
    align_word_sigs(t, sig);
    if (e) {
        e->id = id;
        memcpy(e->sig, sig, sizeof e->sig);
    }
}

int align_same_word(const rasd_doc *a, uint32_t x, const rasd_doc *b, uint32_t y)
{
    if (x >= rasd_doc_ntokens(a) || y >= rasd_doc_ntokens(b))
        return 0;
    const rasd_token *tx = &rasd_doc_tokens(a)[x], *ty = &rasd_doc_tokens(b)[y];
    if (!align_is_word(tx) || !align_is_word(ty))
        return 0;
    uint64_t sx[3], sy[3];
    word_sigs_memo(tx, sx);
    word_sigs_memo(ty, sy);
    return sx[0] == sy[0] || (sx[2] && sx[2] == sy[2]) || (sx[1] && sx[1] == sy[1]);
}

void align_free(Alignment *al)
{
    free(al->pairs);
    free(al->ops);
    memset(al, 0, sizeof *al);
}

static int push_op(Alignment *al, uint32_t kind, uint32_t a, uint32_t b)
{
    if (al->nops == al->cap_ops) {
        size_t nc = al->cap_ops ? al->cap_ops * 2 : 256;
        AlignOp *p = realloc(al->ops, nc * sizeof *p);
        if (!p)
            return -1;
        al->ops = p;
        al->cap_ops = nc;
    }
    al->ops[al->nops++] = (AlignOp){kind, a, b};
    return 0;
}

static AlignPair *push_pair(Alignment *al)
{
    if (al->n == al->cap_pairs) {
        size_t nc = al->cap_pairs ? al->cap_pairs * 2 : 16;
        AlignPair *p = realloc(al->pairs, nc * sizeof *p);
        if (!p)
            return NULL;
        al->pairs = p;
        al->cap_pairs = nc;
    }
    AlignPair *p = &al->pairs[al->n++];
    memset(p, 0, sizeof *p);
    return p;
}

/* Word token indexes of [from,to), at most ALIGN_MAX_WORDS of them. */
static size_t words_of(const rasd_doc *d, uint32_t from, uint32_t to, uint32_t *out)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t n = 0;
    for (uint32_t i = from; i < to && n < ALIGN_MAX_WORDS; i++)
        if (align_is_word(&t[i]))
            out[n++] = i;
    return n;
}

/*
 * Reusable work space of the LCS: the suffix table L[i][j] = LCS of
 * wa[i..] and wb[j..], (ALIGN_MAX_WORDS+1)² cells at most.
 */
typedef struct Lcs {
    uint16_t *tab;  /* (na+1)·(nb+1) cells, row-major */
    size_t cap;     /* cells allocated */
    uint32_t wa[ALIGN_MAX_WORDS], wb[ALIGN_MAX_WORDS]; /* word token indexes */
    size_t na, nb;  /* words in wa, wb */
} Lcs;

/* Fills the table for the words in l->wa, l->wb; returns the LCS length, or -1 (oom). */
static long lcs_fill(Lcs *l, const Sigs *sa, const Sigs *sb)
{
    size_t w = l->nb + 1, cells = (l->na + 1) * w;
    if (cells > l->cap) {
        uint16_t *p = realloc(l->tab, cells * sizeof *p);
        if (!p)
            return -1;
        l->tab = p;
        l->cap = cells;
    }
    uint16_t *L = l->tab;
    for (size_t j = 0; j <= l->nb; j++)
        L[l->na * w + j] = 0;
    for (size_t i = l->na; i-- > 0;) {
        L[i * w + l->nb] = 0;
        for (size_t j = l->nb; j-- > 0;) {
            uint16_t v;
            if (same(sa, l->wa[i], sb, l->wb[j]))
                v = (uint16_t)(L[(i + 1) * w + j + 1] + 1);
            else {
                uint16_t down = L[(i + 1) * w + j], right = L[i * w + j + 1];
                v = down > right ? down : right;
            }
            L[i * w + j] = v;
        }
    }
    return L[0];
}

/* Emits the ops of a gap: A words ga[0..na) against B words gb[0..nb). */
static int emit_gap(Alignment *al, const uint32_t *ga, size_t na, const uint32_t *gb, size_t nb)
{
    size_t k = 0;
    for (; k < na && k < nb; k++)
        if (push_op(al, ALIGN_SUB, ga[k], gb[k]))
            return -1;
    for (size_t i = k; i < na; i++)
        if (push_op(al, ALIGN_ONLY_A, ga[i], ALIGN_NONE))
            return -1;
    for (size_t j = k; j < nb; j++)
        if (push_op(al, ALIGN_ONLY_B, ALIGN_NONE, gb[j]))
            return -1;
    return 0;
}

/* Traceback of a filled table into al->ops. */
static int lcs_ops(const Lcs *l, const Sigs *sa, const Sigs *sb, Alignment *al)
{
    size_t w = l->nb + 1, i = 0, j = 0, gi = 0, gj = 0;
    const uint16_t *L = l->tab;
    while (i < l->na && j < l->nb) {
        if (same(sa, l->wa[i], sb, l->wb[j]) && L[i * w + j] == L[(i + 1) * w + j + 1] + 1) {
            if (emit_gap(al, l->wa + gi, i - gi, l->wb + gj, j - gj) ||
                push_op(al, ALIGN_SAME, l->wa[i], l->wb[j]))
                return -1;
            gi = ++i;
            gj = ++j;
        } else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
            i++;
        } else {
            j++;
        }
    }
    return emit_gap(al, l->wa + gi, l->na - gi, l->wb + gj, l->nb - gj);
}

/* Scores and diffs the words in l (already loaded) into a new pair. */
static int add_pair(Alignment *al, Lcs *l, const Sigs *sa, const Sigs *sb, uint32_t sia,
                    uint32_t sib, uint32_t ab, uint32_t ae, uint32_t bb, uint32_t be)
{
    long common = lcs_fill(l, sa, sb);
    if (common < 0)
        return -1;
    AlignPair *p = push_pair(al);
    if (!p)
        return -1;
    *p = (AlignPair){sia, sib, ab, ae, bb, be, (uint32_t)l->na, (uint32_t)l->nb,
                     (uint32_t)common, 0, al->nops, 0};
    p->sim = l->na + l->nb ? 2.0 * (double)common / (double)(l->na + l->nb) : 0;
    if (lcs_ops(l, sa, sb, al))
        return -1;
    p->op_end = al->nops; /* lcs_ops grows ops, never pairs: p is still valid */
    return 0;
}

rasd_err align_span(const rasd_doc *a, uint32_t ab, uint32_t ae, const rasd_doc *b,
                    uint32_t bb, uint32_t be, Alignment *out, rasd_error *err)
{
    if (ae > rasd_doc_ntokens(a) || be > rasd_doc_ntokens(b) || ab > ae || bb > be)
        return rasd_fail(err, RASD_EINVAL, "align_span: token range outside the text");
    Sigs sa = {0}, sb = {0};
    Lcs *l = calloc(1, sizeof *l);
    rasd_err e = RASD_OK;
    if (!l || sigs_init(a, &sa) || sigs_init(b, &sb)) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    l->na = words_of(a, ab, ae, l->wa);
    l->nb = words_of(b, bb, be, l->wb);
    if (add_pair(out, l, &sa, &sb, ALIGN_NONE, ALIGN_NONE, ab, ae, bb, be))
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
done:
    if (l)
        free(l->tab);
    free(l);
    sigs_free(&sa);
    sigs_free(&sb);
    return e;
}

/* ---- sentence pairing ------------------------------------------------- */

typedef struct Posting {
    uint64_t stem;     /* stem signature */
    uint32_t sentence; /* B sentence that has it */
} Posting;

static int posting_cmp(const void *x, const void *y)
{
    const Posting *p = x, *q = y;
    if (p->stem != q->stem)
        return p->stem < q->stem ? -1 : 1;
    return p->sentence < q->sentence ? -1 : p->sentence > q->sentence;
}

typedef struct Cand {
    double sim;     /* similarity of the scored pair */
    uint32_t sa, sb; /* sentences */
} Cand;

static int cand_cmp(const void *x, const void *y)
{
    const Cand *p = x, *q = y;
    if (p->sim != q->sim)
        return p->sim > q->sim ? -1 : 1;
    if (p->sa != q->sa)
        return p->sa < q->sa ? -1 : 1;
    return p->sb < q->sb ? -1 : p->sb > q->sb;
}

static int pair_cmp(const void *x, const void *y)
{
    const AlignPair *p = x, *q = y;
    return p->sa < q->sa ? -1 : p->sa > q->sa;
}

/* Distinct non-stopword stems of sentence s, into out (sorted); returns how many. */
static size_t sentence_stems(const rasd_doc *d, const Sigs *sg, const rasd_sentence *s,
                             uint64_t *out)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t n = 0;
    for (uint32_t i = s->tok_begin; i < s->tok_end && n < ALIGN_MAX_WORDS; i++)
        if (sg->stem[i] && !(t[i].flags & RASD_TF_STOP))
            out[n++] = sg->stem[i];
    /* insertion sort: sentences are short, and n is bounded */
    for (size_t i = 1; i < n; i++) {
        uint64_t v = out[i];
        size_t j = i;
        for (; j > 0 && out[j - 1] > v; j--)
            out[j] = out[j - 1];
        out[j] = v;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || out[m - 1] != out[i])
            out[m++] = out[i];
    return m;
}

static size_t count_words(const rasd_doc *d, const rasd_sentence *s)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t n = 0;
    for (uint32_t i = s->tok_begin; i < s->tok_end; i++)
        n += align_is_word(&t[i]) != 0;
    return n;
}

rasd_err align_docs(const rasd_doc *a, const rasd_doc *b, double threshold, Alignment *out,
                    rasd_error *err)
{
    memset(out, 0, sizeof *out);
    if (threshold <= 0)
        threshold = ALIGN_THRESHOLD;
    size_t nsa = rasd_doc_nsentences(a), nsb = rasd_doc_nsentences(b);
    const rasd_sentence *SA = rasd_doc_sentences(a), *SB = rasd_doc_sentences(b);
    Sigs sa = {0}, sb = {0};
    Posting *post = NULL;
    uint32_t *count = NULL, *touched = NULL, *wb = NULL;
    uint64_t *stems = NULL;
    Cand *cands = NULL;
    size_t ncand = 0, capcand = 0, npost = 0;
    uint8_t *used_a = NULL, *used_b = NULL;
    Lcs *l = calloc(1, sizeof *l);
    rasd_err e = RASD_OK;
    if (!l || sigs_init(a, &sa) || sigs_init(b, &sb))
        goto oom;
    count = calloc(nsb ? nsb : 1, sizeof *count);
    touched = malloc((nsb ? nsb : 1) * sizeof *touched);
    wb = malloc((nsb ? nsb : 1) * sizeof *wb);
    stems = malloc(ALIGN_MAX_WORDS * sizeof *stems);
    if (!count || !touched || !wb || !stems)
        goto oom;

    /* inverted index of B: (stem, sentence) for alignable sentences */
    size_t cap = 0;
    for (size_t s = 0; s < nsb; s++) {
        wb[s] = (uint32_t)count_words(b, &SB[s]);
        if (wb[s] < ALIGN_MIN_WORDS || wb[s] > ALIGN_MAX_WORDS)
            continue;
        size_t m = sentence_stems(b, &sb, &SB[s], stems);
        if (npost + m > cap) {
            size_t nc = cap ? cap * 2 : 1024;
            while (nc < npost + m)
                nc *= 2;
            Posting *p = realloc(post, nc * sizeof *p);
            if (!p)
                goto oom;
            post = p;
            cap = nc;
        }
        for (size_t k = 0; k < m; k++)
            post[npost++] = (Posting){stems[k], (uint32_t)s};
    }
    if (npost)
        qsort(post, npost, sizeof *post, posting_cmp);
    /* a stem in more B sentences than this is too common to propose pairs */
    size_t common_limit = 16 + nsb / 20;

    for (size_t s = 0; s < nsa; s++) {
        size_t wa = count_words(a, &SA[s]);
        if (wa < ALIGN_MIN_WORDS || wa > ALIGN_MAX_WORDS)
            continue;
        size_t m = sentence_stems(a, &sa, &SA[s], stems), nt = 0;
        for (size_t k = 0; k < m; k++) {
            size_t lo = 0, hi = npost;
            while (lo < hi) { /* first posting with stem >= stems[k] */
                size_t mid = lo + (hi - lo) / 2;
                if (post[mid].stem < stems[k])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            size_t end = lo;
            while (end < npost && post[end].stem == stems[k])
                end++;
            if (end - lo > common_limit)
                continue;
            for (size_t p = lo; p < end; p++) {
                uint32_t t = post[p].sentence;
                if (count[t]++ == 0)
                    touched[nt++] = t;
            }
        }
        /* the best-sharing candidates, whose similarity could reach the threshold */
        for (int round = 0; round < ALIGN_CANDIDATES; round++) {
            size_t best = SIZE_MAX;
            for (size_t k = 0; k < nt; k++) {
                uint32_t t = touched[k];
                if (count[t] == 0)
                    continue;
                if (best == SIZE_MAX || count[t] > count[touched[best]] ||
                    (count[t] == count[touched[best]] && t < touched[best]))
                    best = k;
            }
            if (best == SIZE_MAX)
                break;
            uint32_t t = touched[best];
            uint32_t shared = count[t];
            count[t] = 0;
            /* needs two shared stems unless the sentences are tiny */
            if (shared < 2 && (wa > 4 || wb[t] > 4))
                break;
            double bound = 2.0 * (double)(wa < wb[t] ? wa : wb[t]) / (double)(wa + wb[t]);
            if (bound < threshold)
                continue;
            l->na = words_of(a, SA[s].tok_begin, SA[s].tok_end, l->wa);
            l->nb = words_of(b, SB[t].tok_begin, SB[t].tok_end, l->wb);
            long common = lcs_fill(l, &sa, &sb);
            if (common < 0)
                goto oom;
            double sim = 2.0 * (double)common / (double)(l->na + l->nb);
            if (sim < threshold)
                continue;
            if (ncand == capcand) {
                size_t nc = capcand ? capcand * 2 : 64;
                Cand *p = realloc(cands, nc * sizeof *p);
                if (!p)
                    goto oom;
                cands = p;
                capcand = nc;
            }
            cands[ncand++] = (Cand){sim, (uint32_t)s, t};
        }
        for (size_t k = 0; k < nt; k++)
            count[touched[k]] = 0;
    }

    /* one-to-one, best first */
    if (ncand)
        qsort(cands, ncand, sizeof *cands, cand_cmp);
    used_a = calloc(nsa ? nsa : 1, 1);
    used_b = calloc(nsb ? nsb : 1, 1);
    if (!used_a || !used_b)
        goto oom;
    for (size_t k = 0; k < ncand; k++) {
        const Cand *c = &cands[k];
        if (used_a[c->sa] || used_b[c->sb])
            continue;
        used_a[c->sa] = used_b[c->sb] = 1;
        l->na = words_of(a, SA[c->sa].tok_begin, SA[c->sa].tok_end, l->wa);
        l->nb = words_of(b, SB[c->sb].tok_begin, SB[c->sb].tok_end, l->wb);
        if (add_pair(out, l, &sa, &sb, c->sa, c->sb, SA[c->sa].tok_begin, SA[c->sa].tok_end,
                     SB[c->sb].tok_begin, SB[c->sb].tok_end))
            goto oom;
    }
    /* A's order for the reader; each pair keeps its own op range */
    if (out->n)
        qsort(out->pairs, out->n, sizeof *out->pairs, pair_cmp);
    goto done;
oom:
    e = rasd_fail(err, RASD_ENOMEM, "out of memory");
done:
    if (l)
        free(l->tab);
    free(l);
    sigs_free(&sa);
    sigs_free(&sb);
    free(post);
    free(count);
    free(touched);
    free(wb);
    free(stems);
    free(cands);
    free(used_a);
    free(used_b);
    return e;
}
