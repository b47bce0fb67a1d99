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
 * Speed (the conflict detector aligns every pair of a story's articles):
 * what depends on one document only — signatures, sentence words, the stem
 * index, each sentence's table of which words carry a signature — is made
 * once per document (align_prep), and a candidate's LCS length is computed
 * bit-parallel from that table (lcs_length); the quadratic table is filled
 * only for the pairs kept, whose diff is traced back. Each sentence's table
 * has a 512-bit bloom filter beside it: most words of A match nothing in a
 * B sentence, and the filter answers that without probing the table.
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

void align_word_sigs_cached(const rasd_token *t, uint64_t sig[3])
{
    word_sigs_memo(t, sig);
}

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

enum { LCS_WORDS = (ALIGN_MAX_WORDS + 63) / 64 }; /* machine words of one row of B */
enum { LCS_BLOOM_BITS = 9, LCS_BLOOM = (1 << LCS_BLOOM_BITS) / 64 }; /* a sentence's bloom
                                                   filter: 512 bits, one cache line */

/* Which of a sentence's words (a bit each) have one signature. */
typedef struct LcsSlot {
    uint64_t sig;  /* the signature */
    uint32_t kind; /* 1 stem, 2 variant, 3 loose; 0 = empty slot */
    uint32_t mask; /* its bits: the sentence's masks from mask·W, W = machine words of the sentence */
} LcsSlot;

/*
 * What align_docs needs of one document, whichever side it is on: the word
 * signatures, each sentence's words (their signatures side by side, for the
 * bit-parallel LCS), its distinct non-stopword stems, and the inverted index
 * of those stems used when the document is B. A story's conflict detector
 * compares every pair of its articles: preparing each article once instead
 * of once per pair was a tenth of the refresh.
 */
struct AlignPrep {
    const rasd_doc *doc;
    Sigs sg;           /* per token */
    size_t ns;         /* sentences */
    uint32_t *wc;      /* per sentence: words (count_words) */
    size_t *wfirst;    /* sentence s's words are w[wfirst[s] .. wfirst[s+1]) (alignable ones only) */
    uint32_t *w;       /* word token indexes */
    uint64_t *ws, *wv, *wl; /* per listed word: its stem, variant and loose signature */
    size_t *sfirst;    /* sentence s's distinct stems are stems[sfirst[s] .. sfirst[s+1]) */
    uint64_t *stems;   /* sorted within each sentence */
    Posting *post;     /* (stem, sentence), sorted: the index when this document is B */
    size_t npost;
    size_t *tfirst;    /* sentence s's signature table: slots[tfirst[s] .. tfirst[s+1]), a power of 2 */
    LcsSlot *slots;
    size_t *mfirst;    /* sentence s's word masks start at masks[mfirst[s]] */
    uint64_t *masks;
    uint64_t (*bloom)[LCS_BLOOM]; /* per sentence: a bit for each signature its table holds
                          (sig_hash's top bits): most words of A have no slot in B's table,
                          and the bit says so without probing it */
};

/* The hash of (sig, kind) that places it in a sentence's table (low bits
   after the shift) and its bloom filter (top bits). */
static uint64_t sig_hash(uint64_t sig, uint32_t kind)
{
    return (sig ^ kind) * 0x9E3779B97F4A7C15ull;
}

static int bloom_has(const uint64_t *bloom, uint64_t h)
{
    unsigned bit = (unsigned)(h >> (64 - LCS_BLOOM_BITS));
    return (bloom[bit >> 6] >> (bit & 63)) & 1;
}

/* The slot of (sig, kind) in sentence s's table: its own, or the empty one where it would go. */
static const LcsSlot *lcs_slot(const AlignPrep *p, size_t s, uint64_t sig, uint32_t kind)
{
    const LcsSlot *t = p->slots + p->tfirst[s];
    size_t size = p->tfirst[s + 1] - p->tfirst[s];
    size_t i = (size_t)(sig_hash(sig, kind) >> 40) & (size - 1);
    while (t[i].kind && (t[i].sig != sig || t[i].kind != kind))
        i = (i + 1) & (size - 1);
    return &t[i];
}

/* Table sizes: a power of 2 at least twice the 3 signatures of each word. */
static size_t lcs_table_size(size_t nb)
{
    size_t size = 16;
    while (size < 6 * nb)
        size *= 2;
    return size;
}

/* Fills sentence s's table and masks (its slots zeroed, its masks room for 3·nb·W). */
static void lcs_table(AlignPrep *p, size_t s)
{
    size_t nb = p->wfirst[s + 1] - p->wfirst[s], W = (nb + 63) / 64;
    const uint64_t *sig3[3] = {p->ws + p->wfirst[s], p->wv + p->wfirst[s], p->wl + p->wfirst[s]};
    uint32_t used = 0;
    for (size_t j = 0; j < nb; j++)
        for (uint32_t k = 0; k < 3; k++) {
            uint64_t sig = sig3[k][j];
            if (k && !sig) /* no variant or loose signature: matches nothing */
                continue;
            LcsSlot *e = (LcsSlot *)lcs_slot(p, s, sig, k + 1);
            if (!e->kind) {
                *e = (LcsSlot){sig, k + 1, used++};
                unsigned bit = (unsigned)(sig_hash(sig, k + 1) >> (64 - LCS_BLOOM_BITS));
                p->bloom[s][bit >> 6] |= (uint64_t)1 << (bit & 63);
            }
            p->masks[p->mfirst[s] + (size_t)e->mask * W + (j >> 6)] |= (uint64_t)1 << (j & 63);
        }
}

static int alignable(size_t wc)
{
    return wc >= ALIGN_MIN_WORDS && wc <= ALIGN_MAX_WORDS;
}

void align_prep_free(AlignPrep *p)
{
    if (!p)
        return;
    sigs_free(&p->sg);
    free(p->wc);
    free(p->wfirst);
    free(p->w);
    free(p->ws);
    free(p->wv);
    free(p->wl);
    free(p->sfirst);
    free(p->stems);
    free(p->post);
    free(p->tfirst);
    free(p->slots);
    free(p->mfirst);
    free(p->masks);
    free(p->bloom);
    free(p);
}

AlignPrep *align_prep(const rasd_doc *d)
{
    AlignPrep *p = calloc(1, sizeof *p);
    if (!p || sigs_init(d, &p->sg)) {
        free(p);
        return NULL;
    }
    p->doc = d;
    size_t ns = p->ns = rasd_doc_nsentences(d);
    const rasd_sentence *S = rasd_doc_sentences(d);
    p->wc = malloc((ns ? ns : 1) * sizeof *p->wc);
    p->wfirst = malloc((ns + 1) * sizeof *p->wfirst);
    p->sfirst = malloc((ns + 1) * sizeof *p->sfirst);
    if (!p->wc || !p->wfirst || !p->sfirst)
        goto oom;
    size_t words = 0;
    for (size_t s = 0; s < ns; s++) {
        p->wc[s] = (uint32_t)count_words(d, &S[s]);
        if (alignable(p->wc[s]))
            words += p->wc[s];
    }
    p->w = malloc((words ? words : 1) * sizeof *p->w);
    p->ws = malloc((words ? words : 1) * sizeof *p->ws);
    p->wv = malloc((words ? words : 1) * sizeof *p->wv);
    p->wl = malloc((words ? words : 1) * sizeof *p->wl);
    p->stems = malloc((words ? words : 1) * sizeof *p->stems);
    p->post = malloc((words ? words : 1) * sizeof *p->post);
    if (!p->w || !p->ws || !p->wv || !p->wl || !p->stems || !p->post)
        goto oom;
    size_t nw = 0, nst = 0;
    for (size_t s = 0; s < ns; s++) {
        p->wfirst[s] = nw;
        p->sfirst[s] = nst;
        if (!alignable(p->wc[s]))
            continue;
        size_t k = words_of(d, S[s].tok_begin, S[s].tok_end, p->w + nw);
        for (size_t i = nw; i < nw + k; i++) {
            p->ws[i] = p->sg.stem[p->w[i]];
            p->wv[i] = p->sg.variant[p->w[i]];
            p->wl[i] = p->sg.loose[p->w[i]];
        }
        nw += k;
        size_t m = sentence_stems(d, &p->sg, &S[s], p->stems + nst);
        for (size_t i = 0; i < m; i++)
            p->post[p->npost++] = (Posting){p->stems[nst + i], (uint32_t)s};
        nst += m;
    }
    p->wfirst[ns] = nw;
    p->sfirst[ns] = nst;
    if (p->npost)
        qsort(p->post, p->npost, sizeof *p->post, posting_cmp);
    /* each sentence's table of signatures, for lcs_length when this document is B */
    p->tfirst = malloc((ns + 1) * sizeof *p->tfirst);
    p->mfirst = malloc((ns + 1) * sizeof *p->mfirst);
    if (!p->tfirst || !p->mfirst)
        goto oom;
    size_t nslots = 0, nmasks = 0;
    for (size_t s = 0; s < ns; s++) {
        size_t nb = p->wfirst[s + 1] - p->wfirst[s];
        p->tfirst[s] = nslots;
        p->mfirst[s] = nmasks;
        if (nb) {
            nslots += lcs_table_size(nb);
            nmasks += 3 * nb * ((nb + 63) / 64);
        }
    }
    p->tfirst[ns] = nslots;
    p->mfirst[ns] = nmasks;
    p->slots = calloc(nslots ? nslots : 1, sizeof *p->slots);
    p->masks = calloc(nmasks ? nmasks : 1, sizeof *p->masks);
    p->bloom = calloc(ns ? ns : 1, sizeof *p->bloom);
    if (!p->slots || !p->masks || !p->bloom)
        goto oom;
    for (size_t s = 0; s < ns; s++)
        if (p->wfirst[s + 1] > p->wfirst[s])
            lcs_table(p, s);
    return p;
oom:
    align_prep_free(p);
    return NULL;
}

/*
 * The LCS length of A's sentence sa and B's sentence sb, bit-parallel
 * (Hyyrö 2004): one machine word of B's positions at a time instead of a
 * table cell per word pair, with each A word's row of matches read from
 * B's table of signatures (align_prep) instead of comparing it with every
 * B word. The recurrence holds for any match relation, so it gives
 * lcs_fill's number exactly; the table is still filled for the pairs that
 * are kept, whose diff is traced back.
 *
 * need: the length the caller's threshold asks for. Each row of A adds at
 * most one to the length, so once the length so far plus the rows left is
 * under need the pair cannot reach it: the function stops and returns that
 * bound (still under need, and at least the true length), which the
 * caller rejects as it would the exact length. Most candidate pairs fail
 * the threshold, and most of them are known to early.
 */
static long lcs_live(const uint64_t *V, size_t W, size_t nb)
{
    long common = 0;
    for (size_t k = 0; k < W; k++) {
        uint64_t live = k + 1 < W || nb % 64 == 0 ? ~(uint64_t)0 : ((uint64_t)1 << (nb % 64)) - 1;
        common += __builtin_popcountll(~V[k] & live);
    }
    return common;
}

static long lcs_length(const AlignPrep *A, size_t sa, const AlignPrep *B, size_t sb, long need)
{
    const uint64_t *as = A->ws + A->wfirst[sa], *av = A->wv + A->wfirst[sa],
                   *al = A->wl + A->wfirst[sa];
    size_t na = A->wfirst[sa + 1] - A->wfirst[sa], nb = B->wfirst[sb + 1] - B->wfirst[sb];
    size_t W = (nb + 63) / 64;
    uint64_t V[LCS_WORDS], M[LCS_WORDS];
    for (size_t k = 0; k < W; k++)
        V[k] = ~(uint64_t)0;
    for (size_t i = 0; i < na; i++) {
        uint64_t asig[3] = {as[i], av[i], al[i]};
        for (size_t k = 0; k < W; k++)
            M[k] = 0;
        for (uint32_t k = 0; k < 3; k++) {
            if ((k && !asig[k]) || !bloom_has(B->bloom[sb], sig_hash(asig[k], k + 1)))
                continue; /* matches nothing in B's sentence */
            const LcsSlot *e = lcs_slot(B, sb, asig[k], k + 1);
            const uint64_t *m = B->masks + B->mfirst[sb] + (size_t)e->mask * W;
            for (size_t q = 0; e->kind && q < W; q++)
                M[q] |= m[q];
        }
        uint64_t carry = 0;
        for (size_t k = 0; k < W; k++) {
            uint64_t u = V[k] & M[k];
            uint64_t t = V[k] + carry;
            uint64_t c1 = t < carry;
            uint64_t sum = t + u;
            carry = c1 | (sum < u);
            V[k] = sum | (V[k] & ~u);
        }
        if ((i & 3) == 3) { /* every fourth row: can the rows left still reach need? */
            long bound = lcs_live(V, W, nb) + (long)(na - i - 1);
            if (bound < need)
                return bound;
        }
    }
    return lcs_live(V, W, nb);
}

rasd_err align_docs(const rasd_doc *a, const rasd_doc *b, double threshold, Alignment *out,
                    rasd_error *err)
{
    memset(out, 0, sizeof *out);
    AlignPrep *pa = align_prep(a), *pb = pa ? align_prep(b) : NULL;
    rasd_err e = pa && pb ? align_docs_prep(pa, pb, threshold, out, err)
                          : rasd_fail(err, RASD_ENOMEM, "out of memory");
    align_prep_free(pa);
    align_prep_free(pb);
    return e;
}

rasd_err align_docs_prep(const AlignPrep *pa, const AlignPrep *pb, double threshold,
                         Alignment *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    if (threshold <= 0)
        threshold = ALIGN_THRESHOLD;
    const rasd_doc *a = pa->doc, *b = pb->doc;
    size_t nsa = pa->ns, nsb = pb->ns;
    const rasd_sentence *SA = rasd_doc_sentences(a), *SB = rasd_doc_sentences(b);
    const Sigs *sa = &pa->sg, *sb = &pb->sg;
    const Posting *post = pb->post;
    size_t npost = pb->npost;
    const uint32_t *wb = pb->wc;
    uint32_t *count = NULL, *touched = NULL;
    Cand *cands = NULL;
    size_t ncand = 0, capcand = 0;
    uint8_t *used_a = NULL, *used_b = NULL;
    Lcs *l = calloc(1, sizeof *l);
    rasd_err e = RASD_OK;
    if (!l)
        goto oom;
    count = calloc(nsb ? nsb : 1, sizeof *count);
    touched = malloc((nsb ? nsb : 1) * sizeof *touched);
    if (!count || !touched)
        goto oom;
    /* a stem in more B sentences than this is too common to propose pairs */
    size_t common_limit = 16 + nsb / 20;

    for (size_t s = 0; s < nsa; s++) {
        size_t wa = pa->wc[s];
        if (!alignable(wa))
            continue;
        const uint64_t *stems = pa->stems + pa->sfirst[s];
        size_t m = pa->sfirst[s + 1] - pa->sfirst[s], nt = 0;
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
            /* the least common length whose similarity reaches the threshold */
            long need = (long)(threshold * (double)(wa + wb[t]) / 2.0);
            while (need > 0 && 2.0 * (double)(need - 1) / (double)(wa + wb[t]) >= threshold)
                need--;
            while (2.0 * (double)need / (double)(wa + wb[t]) < threshold)
                need++;
            long common = lcs_length(pa, s, pb, t, need);
#ifdef ALIGN_CHECK_LCS /* every bit-parallel length against the table (a bound when cut short) */
            l->na = words_of(a, SA[s].tok_begin, SA[s].tok_end, l->wa);
            l->nb = words_of(b, SB[t].tok_begin, SB[t].tok_end, l->wb);
            long exact = lcs_fill(l, sa, sb);
            if (common < need ? exact > common : exact != common)
                abort();
#endif
            double sim = 2.0 * (double)common / (double)(wa + wb[t]);
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
        if (add_pair(out, l, sa, sb, c->sa, c->sb, SA[c->sa].tok_begin, SA[c->sa].tok_end,
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
    free(count);
    free(touched);
    free(cands);
    free(used_a);
    free(used_b);
    return e;
}
