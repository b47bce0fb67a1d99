/*
 * compare.c — discrepancies between aligned sentences and incompatible
 * quantities (see compare.h).
 *
 * A diff (story/align.c) is cut into hunks: maximal runs of non-common
 * words between two common ones. Most hunks of two rewrites of one wire
 * sentence are noise: a clitic or a spelling, a reporting verb swapped
 * (قال / أكد), a word moved, a word added. A hunk is a discrepancy only if
 * something of substance was replaced, so each side is filtered down to
 * its content words (not stopwords, not light words, not found anywhere in
 * the other sentence) and the two sides are then matched against each
 * other by stem and name key, word by word and as whole phrases (the key of
 * "بيونغ يانغ" equals that of "بيونغيانغ"). What is left on both sides is
 * a wording discrepancy; what is left on one side only is elaboration and
 * is not reported. Figures in a hunk are compared by value and, when they
 * belong to quantities, with quant_compat(): a rounding, a bound or a
 * marked update is not reported.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_lex.h"
#include "annotate/dates.h"
#include "annotate/names.h"
#include "text/text.h"

#define HUNK_MAX 64   /* words kept per side of a hunk */
#define WORDING_MAX 3 /* content words per side of a reported replacement */

typedef struct Side {
    uint32_t tok[HUNK_MAX]; /* word tokens of this side of the hunk */
    size_t n;               /* entries in tok */
} Side;

static int push_disc(Discrepancy **out, size_t *n, size_t *cap, const Discrepancy *d)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        Discrepancy *p = realloc(*out, nc * sizeof *p);
        if (!p)
            return -1;
        *out = p;
        *cap = nc;
    }
    (*out)[(*n)++] = *d;
    return 0;
}

/*
 * Name key of the words of s, joined by spaces or glued (glue), with the
 * proclitics of every word removed (strip 0), of the first word only (1),
 * or of none (2): عبد العزيز / عبدالعزيز, الولايات المتحدة / أمريكا.
 */
static void side_key(const rasd_doc *d, const Side *s, int glue, int strip, Buf *words, Buf *key)
{
    const rasd_token *t = rasd_doc_tokens(d);
    buf_reset(words);
    buf_reset(key);
    for (size_t i = 0; i < s->n; i++) {
        const rasd_token *w = &t[s->tok[i]];
        int cut = strip == 0 || (strip == 1 && i == 0);
        uint32_t pre = cut && w->pre_len < w->key_len ? w->pre_len : 0;
        if (i && !glue)
            buf_putc(words, ' ');
        buf_append(words, w->key + pre, w->key_len - pre);
    }
    names_key(words->data ? words->data : "", words->len, key);
}

#define KEY_FORMS 6 /* glue × strip */

static int same_key(const rasd_doc *a, const Side *sa, const rasd_doc *b, const Side *sb,
                    Buf *w, Buf *ka, Buf *kb)
{
    size_t off[KEY_FORMS + 1];
    buf_reset(ka);
    off[0] = 0;
    for (int m = 0; m < KEY_FORMS; m++) { /* A's forms back to back in ka */
        side_key(a, sa, m & 1, m >> 1, w, kb);
        buf_append(ka, kb->data ? kb->data : "", kb->len);
        off[m + 1] = ka->len;
    }
    for (int m = 0; m < KEY_FORMS; m++) {
        side_key(b, sb, m & 1, m >> 1, w, kb);
        for (int k = 0; k < KEY_FORMS; k++)
            if (kb->len > 0 && off[k + 1] - off[k] == kb->len &&
                memcmp(ka->data + off[k], kb->data, kb->len) == 0)
                return 1;
    }
    return 0;
}

/* The key of t without its clitics (the whole key if that would leave nothing). */
static const char *bare_key(const rasd_token *t, size_t *n)
{
    uint32_t pre = t->pre_len, suf = t->suf_len;
    if (pre + suf >= t->key_len)
        pre = suf = 0;
    *n = t->key_len - pre - suf;
    return t->key + pre;
}

/* Code points of UTF-8 s[0..n) into cp (at most max); returns how many. */
static size_t decode(const char *s, size_t n, uint32_t *cp, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max;)
        cp[k++] = utf8_next(s, n, &i);
    return k;
}

static int is_weak_letter(uint32_t c)
{
    return c == 0x0627 || c == 0x0648 || c == 0x064A || c == 0x0621; /* ا و ي ء (keys fold hamzas) */
}

/*
 * Typing slips that leave a word recognisable: a final ت for ة (عدت / عدة)
 * and a doubled letter (وررد / ورد). Keys are compared with both undone.
 */
static size_t typo_form(const uint32_t *in, size_t n, uint32_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = in[i] == 0x062A && i + 1 == n ? 0x0647 : in[i];
        if (k == 0 || out[k - 1] != c)
            out[k++] = c;
    }
    return k;
}

/*
 * The consonants of a word: weak letters (but the first letter) and a final
 * ه dropped. Derived forms of one root differ by one added letter inside or
 * at the end (صحافي / صحفي, موضوعات / مواضيع, يترأس / يرأس); an added first
 * letter is not accepted, because names differ that way (محمد / أحمد).
 */
static size_t consonants(const uint32_t *in, size_t n, uint32_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || (!is_weak_letter(in[i]) && !(in[i] == 0x0647 && i + 1 == n)))
            out[k++] = in[i];
    return k;
}

/*
 * Is short s[0..ns) long l[0..nl) with one letter removed? Not the first
 * letter, except the ت of a verbal noun (تقديم / قدم، تكلفة / كلفة).
 */
static int one_inside(const uint32_t *s, size_t ns, const uint32_t *l, size_t nl)
{
    if (nl != ns + 1 || ns < 3)
        return 0;
    if (s[0] != l[0])
        return l[0] == 0x062A && memcmp(s, l + 1, ns * sizeof *s) == 0;
    size_t i = 0, j = 0, skipped = 0;
    while (i < ns && j < nl) {
        if (s[i] == l[j]) {
            i++, j++;
        } else if (!skipped++) {
            j++;
        } else {
            return 0;
        }
    }
    return i == ns;
}

#define WORD_MAX 32 /* code points compared of a word */

static int is_person_prefix(uint32_t c)
{
    return c == 0x062A || c == 0x064A || c == 0x0646 || c == 0x0627; /* ت ي ن ا */
}

/* The dotless shape of a letter: letters told apart only by dots share one. */
static uint32_t rasm(uint32_t c)
{
    switch (c) {
    case 0x0628: case 0x062A: case 0x062B: case 0x0646: case 0x064A: return 0x0628; /* ب ت ث ن ي */
    case 0x062C: case 0x062D: case 0x062E: return 0x062D;                         /* ج ح خ */
    case 0x062F: case 0x0630: return 0x062F;                                       /* د ذ */
    case 0x0631: case 0x0632: return 0x0631;                                       /* ر ز */
    case 0x0633: case 0x0634: return 0x0633;                                       /* س ش */
    case 0x0635: case 0x0636: return 0x0635;                                       /* ص ض */
    case 0x0637: case 0x0638: return 0x0637;                                       /* ط ظ */
    case 0x0639: case 0x063A: return 0x0639;                                       /* ع غ */
    case 0x0641: case 0x0642: return 0x0641;                                       /* ف ق */
    default: return c;
    }
}

/*
 * A misplaced dot in a long word (تشخيض / تشخيص): one letter differs and
 * only by its dots. Five letters at least: short words differ that way
 * with meaning (حرب / حزب).
 */
static int one_dot(const uint32_t *x, const uint32_t *y, size_t n)
{
    size_t diff = 0;
    if (n < 5)
        return 0;
    for (size_t i = 0; i < n && diff < 2; i++)
        if (x[i] != y[i])
            diff += rasm(x[i]) == rasm(y[i]) ? 1 : 2;
    return diff == 1;
}

/* Do keys x and y differ by one swap of adjacent letters (يحرص / يحصر)? */
static int one_swap(const uint32_t *x, const uint32_t *y, size_t n)
{
    size_t i = 0;
    while (i < n && x[i] == y[i])
        i++;
    if (n < 4 || i + 1 >= n || x[i] != y[i + 1] || x[i + 1] != y[i])
        return 0;
    return memcmp(x + i + 2, y + i + 2, (n - i - 2) * sizeof *x) == 0;
}

/* The spelling and derivation checks of equivalent() on two keys. */
static int keys_equivalent(const char *kx, size_t nx, const char *ky, size_t ny)
{
    size_t lx = key_light(kx, nx), ly = key_light(ky, ny);
    if (lx >= 6 && lx == ly && memcmp(kx, ky, lx) == 0)
        return 1; /* inflection endings: صاروخا / صاروخ */
    uint32_t cx[WORD_MAX], cy[WORD_MAX], fx[WORD_MAX], fy[WORD_MAX];
    /* a verb's person prefix and ending changed with its subject: يألوا / تألو */
    size_t px = decode(kx, lx, cx, WORD_MAX), py = decode(ky, ly, cy, WORD_MAX);
    if (px >= 3 && px == py && is_person_prefix(cx[0]) && is_person_prefix(cy[0]) &&
        memcmp(cx + 1, cy + 1, (px - 1) * sizeof *cx) == 0)
        return 1;
    lx = decode(kx, nx, cx, WORD_MAX);
    ly = decode(ky, ny, cy, WORD_MAX);
    if (lx == ly && (one_swap(cx, cy, lx) || one_dot(cx, cy, lx)))
        return 1;
    size_t ax = typo_form(cx, lx, fx), ay = typo_form(cy, ly, fy);
    if (ax >= 3 && ax == ay && memcmp(fx, fy, ax * sizeof *fx) == 0)
        return 1;
    /* a verb's person prefix changed with its subject's gender: تدور / يدور */
    if (ax >= 3 && ax == ay && is_person_prefix(fx[0]) && is_person_prefix(fy[0]) &&
        memcmp(fx + 1, fy + 1, (ax - 1) * sizeof *fx) == 0)
        return 1;
    ax = consonants(cx, lx, fx);
    ay = consonants(cy, ly, fy);
    return (ax >= 3 && ax == ay && memcmp(fx, fy, ax * sizeof *fx) == 0) ||
           one_inside(fx, ax, fy, ay) || one_inside(fy, ay, fx, ax);
}

/*
 * Are words x (of a) and y (of b) the same for a reader comparing two
 * rewrites: the aligner's same word (stem, name key, endings), synonyms,
 * a typing slip, a derived form of the same consonants (checked on the
 * clitic-free and on the whole keys, as the clitic splitter may see a
 * clitic on one side only), or one glued to a neighbour with the space lost
 * (أوالنعرات / النعرات, الحريقتمكنت / تمكنت)?
 */
static int equivalent(const rasd_doc *a, uint32_t x, const rasd_doc *b, uint32_t y)
{
    if (align_same_word(a, x, b, y))
        return 1;
    const rasd_token *tx = &rasd_doc_tokens(a)[x], *ty = &rasd_doc_tokens(b)[y];
    if (tx->type != RASD_TOK_ARABIC || ty->type != RASD_TOK_ARABIC)
        return 0;
    int sx = cmplex_synonym(tx);
    if (sx && sx == cmplex_synonym(ty))
        return 1;
    size_t nx, ny;
    const char *kx = bare_key(tx, &nx), *ky = bare_key(ty, &ny);
    if (keys_equivalent(kx, nx, ky, ny) || keys_equivalent(tx->key, tx->key_len, ty->key, ty->key_len))
        return 1;
    /* transliterations with different endings: الانكليزية / الإنجليزي */
    size_t lx = key_light(kx, nx), ly = key_light(ky, ny);
    if (lx >= 8 && ly >= 8) { /* 4+ letters: ماريا / ماريو stay apart */
        Buf bx = {0}, by = {0};
        names_key(kx, lx, &bx);
        names_key(ky, ly, &by);
        int same = bx.len >= 3 && bx.len == by.len && memcmp(bx.data, by.data, bx.len) == 0;
        buf_free(&bx);
        buf_free(&by);
        if (same)
            return 1;
    }
    /* glued: the longer whole key ends or starts with the shorter bare key */
    const rasd_token *lo = tx->key_len >= ty->key_len ? tx : ty;
    const char *sk = lo == tx ? ky : kx;
    size_t sn = lo == tx ? ny : nx;
    if (sn < 6 || lo->key_len <= sn)
        return 0;
    size_t rest = lo->key_len - sn;
    if (memcmp(lo->key + rest, sk, sn) == 0)
        return rasd_is_stopword(lo->key, rest) || rest >= 6;
    if (memcmp(lo->key, sk, sn) == 0)
        return rasd_is_stopword(lo->key + sn, rest) || rest >= 6;
    return 0;
}

/* Has word x of doc d an equivalent anywhere in [from,to) of the other doc o? */
static int found_in(const rasd_doc *d, uint32_t x, const rasd_doc *o, uint32_t from, uint32_t to)
{
    const rasd_token *t = rasd_doc_tokens(o);
    for (uint32_t k = from; k < to; k++)
        if (align_is_word(&t[k]) && equivalent(d, x, o, k))
            return 1;
    return 0;
}

/*
 * A word whose change can be a discrepancy: not a function, light or
 * number word, and not one of the two words after a credit head (وكالة
 * الأنباء الألمانية، صحيفة الوطن) within the sentence [from, k).
 */
static int is_content(const rasd_doc *d, uint32_t k, uint32_t from)
{
    const rasd_token *t = &rasd_doc_tokens(d)[k];
    size_t n;
    bare_key(t, &n);
    if (!(t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN ||
          t->type == RASD_TOK_HASHTAG) ||
        (t->flags & RASD_TF_STOP) || (cmplex_flags(t) & CLX_LIGHT) || quant_is_number_word(t) ||
        (t->type == RASD_TOK_ARABIC && n <= 4)) /* 3+ letters */
        return 0;
    for (uint32_t b = k > from + 2 ? k - 2 : from; b < k; b++)
        if (cmplex_flags(&rasd_doc_tokens(d)[b]) & CLX_CREDIT)
            return 0;
    return 1;
}

/*
 * End of a dateline or credit opening sentence s ("واس- مكة المكرمة:",
 * "الرياض -"): up to five words then ":" or a dash. Returns the first
 * token after the last such mark, or tok_begin when there is none.
 */
static uint32_t dateline_end(const rasd_doc *d, uint32_t tok_begin, uint32_t tok_end)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t words = 0;
    uint32_t end = tok_begin; /* after the last mark seen ("واس- مكة المكرمة:") */
    for (uint32_t k = tok_begin; k < tok_end && words <= 5; k++) {
        if (t[k].type == RASD_TOK_PUNCT) {
            if (words && ((t[k].key_len == 1 && (t[k].key[0] == ':' || t[k].key[0] == '-')) ||
                          (t[k].key_len == 3 && memcmp(t[k].key, "\xe2\x80\x93", 3) == 0)))
                end = k + 1;
            continue;
        }
        words++;
    }
    return end;
}

static const Quantity *quantity_at(const Quantity *q, size_t n, uint32_t tok)
{
    for (size_t i = 0; i < n; i++)
        if (tok >= q[i].num_begin && tok < q[i].num_end)
            return &q[i];
    return NULL;
}

static void set_span(const rasd_doc *d, const Side *s, uint32_t *start, uint32_t *end,
                     uint32_t *tb, uint32_t *te)
{
    const rasd_token *t = rasd_doc_tokens(d);
    *tb = s->tok[0];
    *te = s->tok[s->n - 1] + 1;
    *start = t[*tb].start;
    *end = t[*te - 1].end;
}

typedef struct Work {
    const rasd_doc *a, *b;
    const Quantity *qa, *qb; /* quantities of each text */
    size_t nqa, nqb;
    uint8_t *date_a, *date_b; /* per token: inside a date expression */
    Buf w, ka, kb;           /* scratch for name keys */
} Work;

/* The quantity of q[0..n) whose figure covers one of the tokens of s, or NULL. */
static const Quantity *quantity_in(const Quantity *q, size_t n, const Side *s)
{
    for (size_t i = 0; i < s->n; i++) {
        const Quantity *x = quantity_at(q, n, s->tok[i]);
        if (x)
            return x;
    }
    return NULL;
}

/* Judges one hunk (all words of each side, in ha and hb) of pair p. */
static int judge_hunk(Work *wk, const AlignPair *p, uint32_t pair, const Side *ha, const Side *hb,
                      Discrepancy **out, size_t *n, size_t *cap)
{
    const rasd_doc *a = wk->a, *b = wk->b;
    if (ha->n == 0 || hb->n == 0)
        return 0; /* added or dropped words: elaboration */
    /* figures: compared as quantities (numbers in dates, times and identifiers are not) */
    const Quantity *qa = quantity_in(wk->qa, wk->nqa, ha), *qb = quantity_in(wk->qb, wk->nqb, hb);
    if (qa && qb && quant_compat(qa, qb) == QC_INCOMPATIBLE) {
        Discrepancy d = {CMP_NUMBER,   pair,          qa->start,     qa->end,
                         qb->start,    qb->end,       qa->tok_begin, qa->tok_end,
                         qb->tok_begin, qb->tok_end,  QC_INCOMPATIBLE};
        if (push_disc(out, n, cap, &d))
            return -1;
    }
    /* the whole hunk as one phrase: a word split or joined (بيونغ يانغ / بيونغيانغ) */
    if (same_key(a, ha, b, hb, &wk->w, &wk->ka, &wk->kb))
        return 0;
    /* content words: figures were judged above, moved words are not changes */
    Side ca = {{0}, 0}, cb = {{0}, 0};
    uint32_t da = dateline_end(a, p->a_begin, p->a_end), db = dateline_end(b, p->b_begin, p->b_end);
    for (size_t i = 0; i < ha->n; i++) {
        uint32_t x = ha->tok[i];
        if (x >= da && !wk->date_a[x] && is_content(a, x, p->a_begin) &&
            !quantity_at(wk->qa, wk->nqa, x) &&
            !found_in(a, x, b, p->b_begin, p->b_end))
            ca.tok[ca.n++] = x;
    }
    for (size_t i = 0; i < hb->n; i++) {
        uint32_t y = hb->tok[i];
        if (y >= db && !wk->date_b[y] && is_content(b, y, p->b_begin) &&
            !quantity_at(wk->qb, wk->nqb, y) &&
            !found_in(b, y, a, p->a_begin, p->a_end))
            cb.tok[cb.n++] = y;
    }
    /* nothing replaced, or more than a phrase: a rewritten passage, not a changed word */
    if (ca.n == 0 || cb.n == 0 || ca.n > WORDING_MAX || cb.n > WORDING_MAX ||
        same_key(a, &ca, b, &cb, &wk->w, &wk->ka, &wk->kb))
        return 0;
    Discrepancy d = {CMP_WORDING, pair, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    set_span(a, &ca, &d.a_start, &d.a_end, &d.a_tok, &d.a_tok_end);
    set_span(b, &cb, &d.b_start, &d.b_end, &d.b_tok, &d.b_tok_end);
    return push_disc(out, n, cap, &d);
}

/*
 * *out: one byte per token of d, 1 inside a date expression (the date
 * recogniser compares dates by value; their words are not wording).
 */
static rasd_err date_mask(const rasd_doc *d, uint8_t **out, rasd_error *err)
{
    size_t nt = rasd_doc_ntokens(d), nd = 0;
    const rasd_token *t = rasd_doc_tokens(d);
    DateSpan *ds = NULL;
    *out = calloc(nt + 1, 1);
    if (!*out)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err e = dates_find(d, NULL, 0, &ds, &nd, err);
    for (size_t k = 0, j = 0; e == RASD_OK && k < nt && j < nd; k++) {
        while (j < nd && ds[j].end <= t[k].start)
            j++;
        if (j < nd && t[k].start >= ds[j].start && t[k].end <= ds[j].end)
            (*out)[k] = 1;
    }
    free(ds);
    return e;
}

rasd_err compare_discrepancies(const rasd_doc *a, const rasd_doc *b, const Alignment *al,
                               Discrepancy **out, size_t *n, rasd_error *err)
{
    *out = NULL;
    *n = 0;
    if (cmplex_init() != 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    Work wk = {a, b, NULL, NULL, 0, 0, NULL, NULL, {0}, {0}, {0}};
    Quantity *qa = NULL, *qb = NULL;
    rasd_err e = quantities_find(a, &qa, &wk.nqa, err);
    if (e == RASD_OK)
        e = quantities_find(b, &qb, &wk.nqb, err);
    if (e == RASD_OK)
        e = date_mask(a, &wk.date_a, err);
    if (e == RASD_OK)
        e = date_mask(b, &wk.date_b, err);
    if (e != RASD_OK) {
        free(qa);
        free(qb);
        free(wk.date_a);
        return e;
    }
    wk.qa = qa;
    wk.qb = qb;
    size_t cap = 0;
    Side ha, hb;
    for (size_t k = 0; k < al->n && e == RASD_OK; k++) {
        const AlignPair *p = &al->pairs[k];
        ha.n = hb.n = 0;
        for (size_t o = p->op_begin; o <= p->op_end && e == RASD_OK; o++) {
            const AlignOp *op = o < p->op_end ? &al->ops[o] : NULL;
            if (!op || op->kind == ALIGN_SAME) {
                if (judge_hunk(&wk, p, (uint32_t)k, &ha, &hb, out, n, &cap))
                    e = rasd_fail(err, RASD_ENOMEM, "out of memory");
                ha.n = hb.n = 0;
                continue;
            }
            if (op->a != ALIGN_NONE && ha.n < HUNK_MAX)
                ha.tok[ha.n++] = op->a;
            if (op->b != ALIGN_NONE && hb.n < HUNK_MAX)
                hb.tok[hb.n++] = op->b;
        }
    }
    if (wk.w.oom || wk.ka.oom || wk.kb.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    buf_free(&wk.w);
    buf_free(&wk.ka);
    buf_free(&wk.kb);
    free(qa);
    free(qb);
    free(wk.date_a);
    free(wk.date_b);
    if (e != RASD_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}

/* ---- quantities of the same thing -------------------------------------- */

/* Index of the sentence of d holding token t, or ALIGN_NONE. */
static uint32_t sentence_of(const rasd_doc *d, uint32_t t)
{
    const rasd_sentence *s = rasd_doc_sentences(d);
    size_t lo = 0, hi = rasd_doc_nsentences(d);
    while (lo < hi) { /* first sentence ending after t */
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].tok_end <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < rasd_doc_nsentences(d) && s[lo].tok_begin <= t ? (uint32_t)lo : ALIGN_NONE;
}

/*
 * The aligned pair each quantity stands in (ALIGN_NONE if none), through
 * a sentence → pair table: linear, whatever the number of pairs.
 */
static uint32_t *pairs_of(const rasd_doc *d, const Quantity *q, size_t nq, const Alignment *al,
                          int side_b)
{
    size_t ns = rasd_doc_nsentences(d);
    uint32_t *pair = malloc((ns + 1) * sizeof *pair), *out = malloc((nq + 1) * sizeof *out);
    if (!pair || !out) {
        free(pair);
        free(out);
        return NULL;
    }
    for (size_t k = 0; k < ns; k++)
        pair[k] = ALIGN_NONE;
    for (size_t k = 0; k < al->n; k++) {
        uint32_t sn = side_b ? al->pairs[k].sb : al->pairs[k].sa;
        if (sn < ns)
            pair[sn] = (uint32_t)k;
    }
    for (size_t i = 0; i < nq; i++) {
        uint32_t sn = sentence_of(d, q[i].num_begin);
        out[i] = sn == ALIGN_NONE ? ALIGN_NONE : pair[sn];
    }
    free(pair);
    return out;
}

rasd_err compare_quantities(const rasd_doc *a, const rasd_doc *b, const Alignment *al,
                            QuantityMismatch **out, size_t *n, rasd_error *err)
{
    *out = NULL;
    *n = 0;
    Quantity *qa = NULL, *qb = NULL;
    size_t nqa = 0, nqb = 0;
    rasd_err e = quantities_find(a, &qa, &nqa, err);
    if (e == RASD_OK)
        e = quantities_find(b, &qb, &nqb, err);
    if (e == RASD_OK)
        e = compare_quantities_of(a, qa, nqa, b, qb, nqb, al, out, n, err);
    free(qa);
    free(qb);
    return e;
}

rasd_err compare_quantities_of(const rasd_doc *a, const Quantity *qa, size_t nqa,
                               const rasd_doc *b, const Quantity *qb, size_t nqb,
                               const Alignment *al, QuantityMismatch **out, size_t *n,
                               rasd_error *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    uint32_t *pa = NULL, *pb = NULL; /* each quantity's aligned pair */
    rasd_err e = RASD_OK;
    if (al && (!(pa = pairs_of(a, qa, nqa, al, 0)) || !(pb = pairs_of(b, qb, nqb, al, 1))))
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t i = 0; i < nqa && e == RASD_OK; i++) {
        if (al && pa[i] == ALIGN_NONE)
            continue;
        for (size_t j = 0; j < nqb && e == RASD_OK; j++) {
            uint32_t pair = al ? pa[i] : ALIGN_NONE;
            if ((al && pb[j] != pair) || !quant_same_thing(a, &qa[i], b, &qb[j]))
                continue;
            int qc = quant_compat(&qa[i], &qb[j]);
            if (qc != QC_INCOMPATIBLE)
                continue;
            if (*n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                QuantityMismatch *p = realloc(*out, nc * sizeof *p);
                if (!p) {
                    e = rasd_fail(err, RASD_ENOMEM, "out of memory");
                    break;
                }
                *out = p;
                cap = nc;
            }
            (*out)[(*n)++] = (QuantityMismatch){qa[i], qb[j], qc, pair};
        }
    }
    free(pa);
    free(pb);
    if (e != RASD_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}
