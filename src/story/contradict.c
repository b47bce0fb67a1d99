/*
 * contradict.c — do two headlines (or two short texts) contradict each
 * other? (compare_contradicts in compare.h).
 *
 * The two texts are diffed as one span each (story/align.c) and described
 * by a few features an analyst would name as evidence: one side negated or
 * denied and the other not (لم، لا، ليس، غير، عدم، ينفي، يرفض …, from
 * data/lexicon/compare-words.txt), antonyms facing each other in the diff or
 * anywhere (data/lexicon/antonyms.txt: ارتفاع / انخفاض، أعلى / أدنى، تأجيل /
 * يباشر …), incompatible quantities of the same counted thing
 * (annotate/quantities.h), figures with no value in common, content words
 * replaced (compare.c's wording discrepancies) and whether a replaced word
 * is a name (a different person in the same role, a different place for the
 * same event, by the NER tagger), how much each side says that the other
 * does not, the overall similarity, and a question facing a statement.
 *
 * A logistic model combines them: score = σ(bias + Σ wᵢ·fᵢ). The weights in
 * stance_model.h are trained by tools/train_stance.c on the ANS training
 * split (`make stance-model`, deterministic); the reason given is the
 * feature that added most to the score, with the words that fired it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_lex.h"
#include "annotate/ner.h"
#include "text/text.h"

#include "stance_model.h" /* static const StanceModel stance_model = {...} */

const StanceModel *compare_default_model(void)
{
    return &stance_model;
}

double compare_model_score(const StanceModel *m, const double f[CF_COUNT])
{
    double z = m->bias;
    for (int i = 0; i < CF_COUNT; i++)
        z += m->w[i] * f[i];
    return 1.0 / (1.0 + exp(-z));
}

void compare_fit_model(const double *X, const unsigned char *y, size_t n, double l2,
                       StanceModel *m)
{
    enum { STEPS = 3000 };
    const double rate = 0.5;
    memset(m->w, 0, sizeof m->w);
    m->bias = 0;
    if (n == 0)
        return;
    for (int step = 0; step < STEPS; step++) {
        double gw[CF_COUNT] = {0}, gb = 0;
        for (size_t i = 0; i < n; i++) {
            const double *x = X + i * CF_COUNT;
            double err = compare_model_score(m, x) - (y[i] ? 1.0 : 0.0);
            for (int k = 0; k < CF_COUNT; k++)
                gw[k] += err * x[k];
            gb += err;
        }
        for (int k = 0; k < CF_COUNT; k++)
            m->w[k] -= rate * (gw[k] / (double)n + l2 * m->w[k]);
        m->bias -= rate * gb / (double)n;
    }
}

int compare_rules_contradict(const double f[CF_COUNT])
{
    return f[CF_NEGATION] > 0 || f[CF_ANTONYM] > 0 || f[CF_ANTONYM_ANY] > 0 || f[CF_QUANTITY] > 0;
}

/*
 * Tokens of each text the features look at: headlines are far shorter, and
 * a bound keeps a long text (the CLI may pass first sentences) linear.
 */
#define CONTRA_MAX_TOKENS 400

static size_t ntok(const rasd_doc *d)
{
    size_t n = rasd_doc_ntokens(d);
    return n < CONTRA_MAX_TOKENS ? n : CONTRA_MAX_TOKENS;
}

/* Evidence kept for the reason: the token(s) that fired a feature. */
typedef struct Evidence {
    uint32_t a, b; /* token in A and in B, or ALIGN_NONE */
} Evidence;

typedef struct Feat {
    double f[CF_COUNT];       /* feature values */
    Evidence ev[CF_COUNT];    /* what fired each one */
    Quantity qa, qb;          /* CF_QUANTITY: the two quantities */
} Feat;

static int stem_eq(const rasd_token *x, const rasd_token *y)
{
    return x->stem_len == y->stem_len && memcmp(x->stem, y->stem, x->stem_len) == 0;
}

/* A negation of d (tokens [0,n)) with no negation of the same stem in o; its index or ALIGN_NONE. */
static uint32_t lone_negation(const rasd_doc *d, const rasd_doc *o)
{
    const rasd_token *t = rasd_doc_tokens(d), *u = rasd_doc_tokens(o);
    size_t n = ntok(d), m = ntok(o);
    for (size_t i = 0; i < n; i++) {
        if (!(cmplex_flags(&t[i]) & CLX_NEG))
            continue;
        int matched = 0;
        for (size_t j = 0; j < m && !matched; j++)
            matched = (cmplex_flags(&u[j]) & CLX_NEG) && stem_eq(&t[i], &u[j]);
        if (!matched)
            return (uint32_t)i;
    }
    return ALIGN_NONE;
}

static int is_question(const rasd_doc *d)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t n = ntok(d);
    for (size_t i = 0; i < n; i++) {
        if (t[i].key_len == 1 && t[i].key[0] == '?')
            return 1;
        if (t[i].key_len == 2 && memcmp(t[i].key, "؟", 2) == 0)
            return 1;
    }
    return n > 0 && t[0].key_len == 4 && memcmp(t[0].key, "هل", 4) == 0;
}

/* Sides (bit 0: side 0, bit 1: side 1) of antonym group g present in d. */
static int sides_of(const rasd_doc *d, int g, uint32_t *where)
{
    const rasd_token *t = rasd_doc_tokens(d);
    int bits = 0, side;
    for (size_t i = 0; i < ntok(d); i++)
        if (cmplex_antonym(&t[i], &side) == g) {
            bits |= 1 << side;
            *where = (uint32_t)i;
        }
    return bits;
}

static int content_word(const rasd_token *t)
{
    return (t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN) &&
           !(t->flags & RASD_TF_STOP);
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return p < q ? -1 : p > q;
}

static int has_sig(const uint64_t *set, size_t n, uint64_t v)
{
    return v && bsearch(&v, set, n, sizeof v, u64_cmp) != NULL;
}

/*
 * Share of d's content words that have no same word (align_same_word) in
 * o: o's word signatures are sorted once, each of d's words looks up its
 * own. -1 if memory ran out.
 */
static double only_share(const rasd_doc *d, const rasd_doc *o)
{
    const rasd_token *t = rasd_doc_tokens(d), *u = rasd_doc_tokens(o);
    size_t n = ntok(d), m = ntok(o), total = 0, only = 0;
    uint64_t *set[3], sig[3];
    for (int k = 0; k < 3; k++)
        set[k] = malloc((m ? m : 1) * sizeof **set);
    if (!set[0] || !set[1] || !set[2]) {
        for (int k = 0; k < 3; k++)
            free(set[k]);
        return -1;
    }
    size_t ns = 0;
    for (size_t j = 0; j < m; j++) {
        if (!content_word(&u[j]))
            continue;
        align_word_sigs(&u[j], sig);
        for (int k = 0; k < 3; k++)
            set[k][ns] = sig[k];
        ns++;
    }
    for (int k = 0; k < 3; k++)
        qsort(set[k], ns, sizeof **set, u64_cmp);
    for (size_t i = 0; i < n; i++) {
        if (!content_word(&t[i]))
            continue;
        total++;
        align_word_sigs(&t[i], sig);
        only += !(has_sig(set[0], ns, sig[0]) || has_sig(set[1], ns, sig[1]) ||
                  has_sig(set[2], ns, sig[2]));
    }
    for (int k = 0; k < 3; k++)
        free(set[k]);
    return total ? (double)only / (double)total : 0;
}

static rasd_err features(const rasd_doc *a, const rasd_doc *b, Feat *ft, rasd_error *err)
{
    memset(ft, 0, sizeof *ft);
    for (int i = 0; i < CF_COUNT; i++)
        ft->ev[i] = (Evidence){ALIGN_NONE, ALIGN_NONE};
    if (cmplex_init() != 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    const rasd_token *ta = rasd_doc_tokens(a), *tb = rasd_doc_tokens(b);
    size_t na = ntok(a), nb = ntok(b);
    Alignment al = {0};
    Discrepancy *disc = NULL;
    uint8_t *tags_a = NULL, *tags_b = NULL;
    size_t nd = 0;
    rasd_err e = align_span(a, 0, (uint32_t)na, b, 0, (uint32_t)nb, &al, err);
    if (e != RASD_OK)
        goto done;

    /* negation on one side only */
    uint32_t xa = lone_negation(a, b), xb = lone_negation(b, a);
    if ((xa != ALIGN_NONE) != (xb != ALIGN_NONE)) {
        ft->f[CF_NEGATION] = 1;
        ft->ev[CF_NEGATION] = (Evidence){xa, xb};
    }
    /* antonyms facing each other in one hunk of the diff */
    const AlignPair *p = &al.pairs[0];
    size_t hunk = p->op_begin;
    for (size_t o = p->op_begin; o < p->op_end && !ft->f[CF_ANTONYM]; o++) {
        if (al.ops[o].kind == ALIGN_SAME) {
            hunk = o + 1;
            continue;
        }
        for (size_t q = hunk; q <= o; q++) { /* every earlier op of this hunk */
            uint32_t x[2] = {al.ops[o].a, al.ops[q].a}, y[2] = {al.ops[q].b, al.ops[o].b};
            for (int k = 0; k < 2; k++) {
                int sx, sy, gx, gy;
                if (x[k] == ALIGN_NONE || y[k] == ALIGN_NONE)
                    continue;
                gx = cmplex_antonym(&ta[x[k]], &sx);
                gy = cmplex_antonym(&tb[y[k]], &sy);
                if (gx && gx == gy && sx != sy) {
                    ft->f[CF_ANTONYM] = 1;
                    ft->ev[CF_ANTONYM] = (Evidence){x[k], y[k]};
                }
            }
        }
    }
    /* antonym groups present with opposite sides only */
    for (size_t i = 0; i < na && !ft->f[CF_ANTONYM_ANY]; i++) {
        int side, g = cmplex_antonym(&ta[i], &side);
        if (!g)
            continue;
        uint32_t wa = ALIGN_NONE, wb = ALIGN_NONE;
        int sa = sides_of(a, g, &wa), sb = sides_of(b, g, &wb);
        if ((sa == 1 && sb == 2) || (sa == 2 && sb == 1)) {
            ft->f[CF_ANTONYM_ANY] = 1;
            ft->ev[CF_ANTONYM_ANY] = (Evidence){wa, wb};
        }
    }
    {   /* quantities: the same thing incompatible; figures: none of A's fits one of B's */
        Quantity *qa = NULL, *qb = NULL;
        size_t nqa = 0, nqb = 0;
        e = quantities_find(a, &qa, &nqa, err);
        if (e == RASD_OK)
            e = quantities_find(b, &qb, &nqb, err);
        while (nqa && qa[nqa - 1].tok_end > na)
            nqa--;
        while (nqb && qb[nqb - 1].tok_end > nb)
            nqb--;
        int any_fits = 0;
        for (size_t i = 0; i < nqa; i++)
            for (size_t j = 0; j < nqb; j++) {
                int qc = quant_compat(&qa[i], &qb[j]);
                any_fits |= qc != QC_INCOMPATIBLE;
                if (qc == QC_INCOMPATIBLE && !ft->f[CF_QUANTITY] &&
                    quant_same_thing(a, &qa[i], b, &qb[j])) {
                    ft->f[CF_QUANTITY] = 1;
                    ft->qa = qa[i];
                    ft->qb = qb[j];
                }
            }
        ft->f[CF_NUMBER] = nqa && nqb && !any_fits;
        free(qa);
        free(qb);
        if (e != RASD_OK)
            goto done;
    }
    /* replaced words, and whether a replaced word is a name */
    e = compare_discrepancies(a, b, &al, &disc, &nd, err);
    if (e != RASD_OK)
        goto done;
    tags_a = calloc(rasd_doc_ntokens(a) + 1, 1); /* ner_tag fills every token */
    tags_b = calloc(rasd_doc_ntokens(b) + 1, 1);
    if (!tags_a || !tags_b) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    size_t words = 0;
    for (size_t i = 0; i < nd; i++)
        if (disc[i].kind == CMP_WORDING) {
            words++;
            if (ft->ev[CF_SUBST].a == ALIGN_NONE)
                ft->ev[CF_SUBST] = (Evidence){disc[i].a_tok, disc[i].b_tok};
        }
    ft->f[CF_SUBST] = words > 3 ? 3 : (double)words;
    if (words) {
        e = ner_tag(a, tags_a, err);
        if (e == RASD_OK)
            e = ner_tag(b, tags_b, err);
        if (e != RASD_OK)
            goto done;
        for (size_t i = 0; i < nd && !ft->f[CF_SUBST_NAME]; i++) {
            if (disc[i].kind != CMP_WORDING)
                continue;
            int name_a = 0, name_b = 0;
            for (uint32_t k = disc[i].a_tok; k < disc[i].a_tok_end; k++)
                name_a |= tags_a[k] != NER_O;
            for (uint32_t k = disc[i].b_tok; k < disc[i].b_tok_end; k++)
                name_b |= tags_b[k] != NER_O;
            if (name_a && name_b) {
                ft->f[CF_SUBST_NAME] = 1;
                ft->ev[CF_SUBST_NAME] = (Evidence){disc[i].a_tok, disc[i].b_tok};
            }
        }
    }
    double oa = only_share(a, b), ob = only_share(b, a);
    if (oa < 0 || ob < 0) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    ft->f[CF_ONLY] = oa > ob ? oa : ob;
    ft->f[CF_OVERLAP] = al.n ? al.pairs[0].sim : 0;
    ft->f[CF_QUESTION] = is_question(a) != is_question(b);
    ft->f[CF_SUBST_CLOSE] = words && ft->f[CF_OVERLAP] >= 0.5;
done:
    align_free(&al);
    free(disc);
    free(tags_a);
    free(tags_b);
    return e;
}

rasd_err compare_features(const rasd_doc *a, const rasd_doc *b, double f[CF_COUNT],
                          rasd_error *err)
{
    Feat ft;
    rasd_err e = features(a, b, &ft, err);
    memcpy(f, ft.f, sizeof ft.f);
    return e;
}

/* Appends the text of token t of d, or of [start,end) bytes, to out. */
static void put_tok(const rasd_doc *d, uint32_t t, Buf *out)
{
    size_t len;
    const char *text = rasd_doc_text(d, &len);
    if (t == ALIGN_NONE || t >= rasd_doc_ntokens(d))
        return;
    const rasd_token *k = &rasd_doc_tokens(d)[t];
    buf_append(out, text + k->start, k->end - k->start);
}

static void put_span(const rasd_doc *d, uint32_t start, uint32_t end, Buf *out)
{
    size_t len;
    const char *text = rasd_doc_text(d, &len);
    if (start <= end && end <= len)
        buf_append(out, text + start, end - start);
}

rasd_err compare_contradicts(const rasd_doc *a, const rasd_doc *b, Contradiction *out,
                             rasd_error *err)
{
    memset(out, 0, sizeof *out);
    Feat ft;
    rasd_err e = features(a, b, &ft, err);
    if (e != RASD_OK)
        return e;
    const StanceModel *m = compare_default_model();
    out->score = compare_model_score(m, ft.f);
    out->contradicts = out->score >= m->threshold;
    /* the reason: the feature that added most to the score */
    int best = -1;
    double top = 0;
    for (int i = 0; i < CF_COUNT; i++) {
        double c = m->w[i] * ft.f[i];
        if (i != CF_OVERLAP && i != CF_ONLY && c > top) {
            top = c;
            best = i;
        }
    }
    Buf r = {0};
    const Evidence *ev = best >= 0 ? &ft.ev[best] : NULL;
    switch (best) {
    case CF_NEGATION:
        buf_puts(&r, "negation: ");
        if (ev->a != ALIGN_NONE) {
            put_tok(a, ev->a, &r);
            buf_puts(&r, " only in A");
        } else {
            put_tok(b, ev->b, &r);
            buf_puts(&r, " only in B");
        }
        break;
    case CF_ANTONYM:
    case CF_ANTONYM_ANY:
        buf_puts(&r, "antonyms: ");
        put_tok(a, ev->a, &r);
        buf_puts(&r, " / ");
        put_tok(b, ev->b, &r);
        break;
    case CF_QUANTITY:
        buf_puts(&r, "quantities: ");
        put_span(a, ft.qa.start, ft.qa.end, &r);
        buf_puts(&r, " / ");
        put_span(b, ft.qb.start, ft.qb.end, &r);
        break;
    case CF_NUMBER:
        buf_puts(&r, "different figures");
        break;
    case CF_SUBST:
    case CF_SUBST_CLOSE:
    case CF_SUBST_NAME:
        buf_puts(&r, best == CF_SUBST_NAME ? "different name: " : "replaced: ");
        put_tok(a, ev->a, &r);
        buf_puts(&r, " / ");
        put_tok(b, ev->b, &r);
        break;
    case CF_QUESTION:
        buf_puts(&r, "a question against a statement");
        break;
    default:
        break;
    }
    if (r.oom) {
        buf_free(&r);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (r.data) {
        size_t n = r.len < sizeof out->reason - 1 ? r.len : sizeof out->reason - 1;
        while (n > 0 && n < r.len && ((unsigned char)r.data[n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
        memcpy(out->reason, r.data, n);
        out->reason[n] = '\0';
    }
    buf_free(&r);
    return RASD_OK;
}
