/*
 * conflicts_pairs.c — the conflicts found in aligned sentence pairs of two
 * articles: figures (aligned-figures), dates (aligned-dates) and wording
 * (definite-frame); the rules are described at the top of conflicts.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "story/conflicts_impl.h"
#include "annotate/dates.h"
#include "annotate/ner.h"
#include "story/align.h"
#include "story/compare.h"
#include "story/compare_lex.h"
#include "story/namelike.h"
#include "story/vector.h"

/* ---- aligned pairs: number, date, wording ---- */

int conflicts_content_word(const rasd_token *t)
{
    return (t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN) &&
           !(t->flags & RASD_TF_STOP) && t->stem_len >= 2;
}

/* Explicit dates of [s,e) in a doc's date list: relative ones (أمس،
   اليوم، الأربعاء) follow each outlet's publication time and one outlet
   often drops them, so they are neither compared nor counted. */
static size_t dates_in(const DateSpan *d, size_t n, uint32_t s, uint32_t e, const DateSpan **first)
{
    size_t k = 0;
    *first = NULL;
    for (size_t i = 0; i < n; i++)
        if (d[i].start >= s && d[i].end <= e && d[i].kind == DATE_KIND_DATE && d[i].value[0] != '?' &&
            !d[i].dateline && !d[i].relative) {
            if (!k)
                *first = &d[i];
            k++;
        }
    return k;
}

/* The k-th date of [s,e) counted by dates_in, or NULL. */
static const DateSpan *nth_date(const DateSpan *d, size_t n, uint32_t s, uint32_t e, size_t k)
{
    for (size_t i = 0; i < n; i++)
        if (d[i].start >= s && d[i].end <= e && d[i].kind == DATE_KIND_DATE && d[i].value[0] != '?' &&
            !d[i].dateline && !d[i].relative && k-- == 0) /* a dateline dates the article */
            return &d[i];
    return NULL;
}

/* [lo, hi] day range of a date value (YYYY, YYYY-MM, YYYY-MM-DD, A/B). */
static int date_range(const char *v, long *lo, long *hi)
{
    int y1 = 0, m1 = 0, d1 = 0, y2, m2, d2;
    const char *slash = strchr(v, '/');
    int n1 = sscanf(v, "%d-%d-%d", &y1, &m1, &d1);
    if (n1 < 1)
        return -1;
    if (slash) {
        int n2 = sscanf(slash + 1, "%d-%d-%d", &y2, &m2, &d2);
        if (n2 < 1)
            return -1;
        *hi = dates_days_from_civil(y2, n2 > 1 ? m2 : 12, n2 > 2 ? d2 : 31);
    } else {
        *hi = dates_days_from_civil(y1, n1 > 1 ? m1 : 12, n1 > 2 ? d1 : 31);
    }
    *lo = dates_days_from_civil(y1, n1 > 1 ? m1 : 1, n1 > 2 ? d1 : 1);
    return 0;
}

/*
 * Do two date expressions write the same figures (عام 1430 / عام 1430هـ)?
 * Then they differ in how the date parser read them (a calendar, a
 * century), not in what the outlets say.
 */
static int same_digits(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0, nd = 0;
    for (;;) {
        while (i < an && !(a[i] >= '0' && a[i] <= '9'))
            i++;
        while (j < bn && !(b[j] >= '0' && b[j] <= '9'))
            j++;
        if (i == an || j == bn)
            return i == an && j == bn && nd > 0;
        if (a[i++] != b[j++])
            return 0;
        nd++;
    }
}

/* A year a report means (not 201 for a mistyped 2012). */
static int plausible_year(const char *v)
{
    return atoi(v) >= 1000;
}

/*
 * Does the word diff of pair p replace a word of A's span [as,ae) by a
 * word of B's [bs,be)? Two dates that face nothing in the other sentence
 * date two different things the sentences only partly share.
 */
static int spans_face(const Alignment *al, const AlignPair *p, const rasd_doc *a, uint32_t as,
                      uint32_t ae, const rasd_doc *b, uint32_t bs, uint32_t be)
{
    const rasd_token *ta = rasd_doc_tokens(a), *tb = rasd_doc_tokens(b);
    for (size_t k = p->op_begin; k < p->op_end; k++) {
        const AlignOp *op = &al->ops[k];
        if (op->kind == ALIGN_SUB && op->a != ALIGN_NONE && op->b != ALIGN_NONE &&
            ta[op->a].start >= as && ta[op->a].end <= ae && tb[op->b].start >= bs &&
            tb[op->b].end <= be)
            return 1;
    }
    return 0;
}

/*
 * Is the date at `at` the cut-off of a running count (حتى مساء الاثنين
 * الموافق ...: the figures up to that day)? Two outlets citing two
 * updates of one count give two cut-offs, not two dates of one happening.
 */
static int cut_off(const char *t, uint32_t sentence_start, uint32_t at)
{
    uint32_t from = at > sentence_start + 60 ? at - 60 : sentence_start;
    for (uint32_t i = from; i + 6 <= at; i++)
        if (!memcmp(t + i, "حتى", 6))
            return 1;
    return 0;
}

static int dates_overlap(const char *a, const char *b)
{
    long al, ah, bl, bh;
    if (date_range(a, &al, &ah) < 0 || date_range(b, &bl, &bh) < 0)
        return 1; /* unreadable: never a conflict */
    return al <= bh && bl <= ah;
}

/*
 * Same consonants in the same order once long vowels, hamza seats and a
 * final ta marbuta are dropped: the singular and broken plural of one word
 * (ذخيرة / ذخائر) and other inflections the stemmer keeps apart.
 */
static size_t consonants(const char *k, size_t n, uint32_t *out, size_t max)
{
    size_t m = 0;
    utf8proc_ssize_t used;
    utf8proc_int32_t c;
    for (size_t i = 0; i < n && m < max; i += (size_t)used) {
        used = utf8proc_iterate((const utf8proc_uint8_t *)k + i, (utf8proc_ssize_t)(n - i), &c);
        if (used <= 0)
            break; /* keys are valid UTF-8; stop rather than guess */
        /* ء آ أ ؤ إ ئ ا ة و ى ي */
        if (c == 0x621 || c == 0x622 || c == 0x623 || c == 0x624 || c == 0x625 || c == 0x626 ||
            c == 0x627 || c == 0x629 || c == 0x648 || c == 0x649 || c == 0x64a)
            continue;
        out[m++] = (uint32_t)c;
    }
    return m;
}

static int same_consonants(const rasd_token *a, const rasd_token *b)
{
    uint32_t ca[32], cb[32];
    /* the key without its clitics (pre_len / suf_len bytes) */
    size_t na = consonants(a->key + a->pre_len, a->key_len - a->pre_len - a->suf_len, ca, 32);
    size_t nb = consonants(b->key + b->pre_len, b->key_len - b->pre_len - b->suf_len, cb, 32);
    /* matching keys write the ta marbuta as ه: a final ه is not a consonant here */
    if (na && ca[na - 1] == 0x647)
        na--;
    if (nb && cb[nb - 1] == 0x647)
        nb--;
    if (na >= 2 && na == nb && !memcmp(ca, cb, na * sizeof *ca))
        return 1;
    /* one root in two patterns: a verbal noun and its verb (تزويد / زودت), a
       participle (مستخدم / استخدم): drop a pattern prefix ت م ن س and a
       suffix ت ن from both and compare what is left */
    size_t pa = 0, pb = 0;
    while (pa < na && pa < 2 && (ca[pa] == 0x62a || ca[pa] == 0x645 || ca[pa] == 0x646 || ca[pa] == 0x633))
        pa++;
    while (pb < nb && pb < 2 && (cb[pb] == 0x62a || cb[pb] == 0x645 || cb[pb] == 0x646 || cb[pb] == 0x633))
        pb++;
    if (na > pa && (ca[na - 1] == 0x62a || ca[na - 1] == 0x646))
        na--;
    if (nb > pb && (cb[nb - 1] == 0x62a || cb[nb - 1] == 0x646))
        nb--;
    return na - pa >= 2 && na - pa == nb - pb && !memcmp(ca + pa, cb + pb, (na - pa) * sizeof *ca);
}

/* Is token i of d inside a person's name or a role phrase? Those differ for
   other reasons (another person, another office) and have their own check. */
static int in_name_or_role(const ConflictDoc *d, uint32_t i)
{
    const rasd_token *t = &rasd_doc_tokens(d->doc)[i];
    if (!d->ents)
        return 0;
    for (size_t k = 0; k < d->ents->n; k++)
        if (d->ents->items[k].type == NER_PERS && t->start >= d->ents->items[k].start &&
            t->end <= d->ents->items[k].end)
            return 1;
    for (size_t k = 0; k < d->ents->roles.n; k++)
        if (i >= d->ents->roles.items[k].first && i <= d->ents->roles.items[k].last)
            return 1;
    return 0;
}

/* Definite, with no other proclitic: القاعدة, not وللقوات or بالرياض. */
static int definite(const rasd_token *t)
{
    return t->pre_len == 4 && t->key_len > 4 && !memcmp(t->key, "\xd8\xa7\xd9\x84", 4);
}

/* A filler word: a definite content word, not light, not a negation, not a name or office. */
static int filler_ok(const ConflictDoc *d, uint32_t i)
{
    const rasd_token *t = &rasd_doc_tokens(d->doc)[i];
    return t->type == RASD_TOK_ARABIC && conflicts_content_word(t) && definite(t) &&
           !(cmplex_flags(t) & (CLX_LIGHT | CLX_NEG)) && !in_name_or_role(d, i);
}


/* align_same_word on precomputed signatures. */
static int sigs_same(const uint64_t *a, const uint64_t *b)
{
    return (a[0] && a[0] == b[0]) || (a[1] && a[1] == b[1]) || (a[2] && a[2] == b[2]);
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

int conflicts_sent_words_build(const rasd_doc *d, SentWords *sw)
{
    const rasd_sentence *ss = rasd_doc_sentences(d);
    const rasd_token *t = rasd_doc_tokens(d);
    size_t ns = rasd_doc_nsentences(d), total = 0;
    memset(sw, 0, sizeof *sw);
    for (size_t k = 0; k < ns; k++)
        for (uint32_t i = ss[k].tok_begin; i < ss[k].tok_end; i++)
            total += conflicts_content_word(&t[i]);
    sw->first = malloc((ns + 1) * sizeof *sw->first);
    sw->w = malloc((total ? total : 1) * sizeof *sw->w);
    sw->hash = malloc((total ? total : 1) * sizeof *sw->hash);
    sw->sorted = malloc((total ? total : 1) * sizeof *sw->sorted);
    sw->sig = malloc((total ? total : 1) * sizeof *sw->sig);
    sw->mask = calloc(ns ? ns : 1, sizeof *sw->mask);
    sw->frame = malloc(total ? total : 1);
    sw->ap = align_prep(d);
    if (!sw->first || !sw->w || !sw->hash || !sw->sorted || !sw->sig || !sw->mask || !sw->frame || !sw->ap)
        return -1;
    size_t m = 0;
    for (size_t k = 0; k < ns; k++) {
        sw->first[k] = m;
        for (uint32_t i = ss[k].tok_begin; i < ss[k].tok_end && m - sw->first[k] < WORDS_MAX; i++)
            if (conflicts_content_word(&t[i])) {
                sw->w[m] = i;
                sw->hash[m] = sw->sorted[m] = rasd_hash(t[i].stem, t[i].stem_len);
                sw->mask[k][(sw->hash[m] >> 6) & 3] |= (uint64_t)1 << (sw->hash[m] & 63);
                sw->frame[m] = definite(&t[i]);
                if (sw->frame[m] && !(cmplex_flags(&t[i]) & CLX_LIGHT))
                    sw->frame[m] |= 2;
                align_word_sigs_cached(&t[i], sw->sig[m]);
                m++;
            }
        qsort(sw->sorted + sw->first[k], m - sw->first[k], sizeof *sw->sorted, u64_cmp);
    }
    sw->first[ns] = m;
    sw->ns = ns;
    return 0;
}

void conflicts_sent_words_free(SentWords *sw)
{
    free(sw->first);
    free(sw->w);
    free(sw->hash);
    free(sw->sorted);
    free(sw->sig);
    free(sw->mask);
    free(sw->frame);
    align_prep_free(sw->ap);
}

/* Words of sentence x of A (in order) that B's sentence y also has, counted up to max. */
static size_t shared_words(const SentWords *A, size_t x, const SentWords *B, size_t y, size_t max)
{
    const uint64_t *bs = B->sorted + B->first[y];
    size_t nb = B->first[y + 1] - B->first[y], shared = 0;
    for (size_t i = A->first[x]; i < A->first[x + 1] && shared < max; i++) {
        size_t lo = 0, hi = nb;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (bs[mid] < A->hash[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        shared += lo < nb && bs[lo] == A->hash[i];
    }
    return shared;
}

/*
 * Wording frames (see the file comment) between sentences of A and B that
 * share at least six content words: X f1..fg Y in A and X h1..hg Y in B
 * over content words (g = 1 or 2), where no f is the same word as any h.
 */
/* Is y the sentence of B aligned with sentence x of A, at similarity >= min? */
/* A relative adjective (العسكرية، الروسي): ends in ي or ية before its
   enclitics. */
static int nisba(const rasd_token *t)
{
    size_t n = t->key_len - t->suf_len;
    const char *k = t->key;
    return (n >= 2 && !memcmp(k + n - 2, "ي", 2)) ||
           (n >= 4 && (!memcmp(k + n - 4, "يه", 4) || !memcmp(k + n - 4, "ية", 4)));
}

static int aligned_with(const Alignment *al, size_t x, size_t y, double min)
{
    for (size_t k = 0; al && k < al->n; k++)
        if (al->pairs[k].sa == x)
            return al->pairs[k].sb == y && al->pairs[k].sim >= min;
    return 0;
}

/*
 * One word misspelt as the other: one edit in words of four or more
 * letters (القليلة / القلية), or, in a word of any length, ض written for ظ
 * or the reverse, the commonest slip of Arabic spelling (الفكر الظال /
 * الضال).
 */
static int typo_of(const rasd_token *a, const rasd_token *b)
{
    int32_t ca[32], cb[32];
    size_t na = namelike_code_points(a->key + a->pre_len, a->key_len - a->pre_len - a->suf_len, ca, 32);
    size_t nb = namelike_code_points(b->key + b->pre_len, b->key_len - b->pre_len - b->suf_len, cb, 32);
    if (na >= 4 && nb >= 4 && namelike_edit_distance(ca, na, cb, nb) <= 1)
        return 1;
    if (na != nb || na < 2 || na > 32)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (ca[i] == 0x638) /* ظ */
            ca[i] = 0x636;  /* ض */
    for (size_t i = 0; i < nb; i++)
        if (cb[i] == 0x638)
            cb[i] = 0x636;
    return !memcmp(ca, cb, na * sizeof *ca);
}

static void wording_frames(const ConflictDoc *A, size_t ai, const SentWords *swa,
                           const ConflictDoc *B, size_t bi, const SentWords *swb,
                           const Alignment *al, Out *out)
{
    const rasd_token *ta = rasd_doc_tokens(A->doc), *tb = rasd_doc_tokens(B->doc);
    size_t nsa = swa->ns, nsb = swb->ns;
    if (nsa * nsb > 40000) /* very long articles: aligned wire copy is what matters */
        return;
    for (size_t x = 0; x < nsa; x++) {
        const uint32_t *wa = swa->w + swa->first[x];
        uint64_t(*ga)[3] = swa->sig + swa->first[x];
        size_t na = swa->first[x + 1] - swa->first[x];
        if (na < 5)
            continue;
        /* A's words per bit of the sentence masks: an upper bound of what
           shared_words can count, so most sentence pairs skip its searches */
        uint8_t per_bit[256] = {0};
        for (size_t i = swa->first[x]; i < swa->first[x + 1]; i++) {
            uint8_t *c = &per_bit[swa->hash[i] & 255];
            *c += *c < 255;
        }
        for (size_t y = 0; y < nsb; y++) {
            const uint32_t *wb = swb->w + swb->first[y];
            uint64_t(*gb)[3] = swb->sig + swb->first[y];
            size_t nb = swb->first[y + 1] - swb->first[y];
            if (nb < 5)
                continue;
            size_t bound = 0;
            for (int q = 0; q < 4 && bound < 6; q++)
                for (uint64_t both = swa->mask[x][q] & swb->mask[y][q]; both && bound < 6;
                     both &= both - 1)
                    bound += per_bit[q * 64 + __builtin_ctzll(both)];
            if (bound < 6)
                continue;
            size_t shared = shared_words(swa, x, swb, y, 6);
            if (shared < 6)
                continue;
            const uint8_t *fa = swa->frame + swa->first[x], *fb = swb->frame + swb->first[y];
            for (size_t i = 0; i + 2 < na; i++)
                for (size_t j = 0; j + 2 < nb && (fa[i] & 2); j++) {
                    if (!(fb[j] & 1) || !sigs_same(ga[i], gb[j]))
                        continue; /* a light word (بشأن، قال) does not hold a frame */
                    for (size_t g = 1; g <= 2; g++) {
                        /* one word swapped between sentences that are not one
                           sentence rewritten is mostly another referent (القوات
                           الجوية / البرية التركية) or a synonym: in sentences
                           that are not aligned (similarity 0.7) a frame must
                           swap two words */
                        if (g == 1 && !aligned_with(al, x, y, 0.7))
                            continue;
                        if (i + g + 1 >= na || j + g + 1 >= nb ||
                            !sigs_same(ga[i + g + 1], gb[j + g + 1]) ||
                            !(fa[i + g + 1] & 1) || !(fb[j + g + 1] & 1))
                            continue;
                        /* the words of the frame are adjacent in the text (no skipped stopwords) */
                        if (wa[i + g + 1] - wa[i] != g + 1 || wb[j + g + 1] - wb[j] != g + 1)
                            continue;
                        int bad = 0;
                        for (size_t f = 1; f <= g && !bad; f++)
                            bad = !filler_ok(A, wa[i + f]) || !filler_ok(B, wb[j + f]);
                        for (size_t f = 1; f <= g && !bad; f++)
                            for (size_t h = 1; h <= g && !bad; h++)
                                bad = sigs_same(ga[i + f], gb[j + h]) ||
                                      same_consonants(&ta[wa[i + f]], &tb[wb[j + h]]) ||
                                      typo_of(&ta[wa[i + f]], &tb[wb[j + h]]) ||
                                      (cmplex_synonym(&ta[wa[i + f]]) &&
                                       cmplex_synonym(&ta[wa[i + f]]) == cmplex_synonym(&tb[wb[j + h]]));
                        /* one word swapped for a nationality (النظام الإسلامي
                           المحافظ / النظام التركي المحافظ) names what the thing is
                           instead of describing it: a paraphrase */
                        /* two words swapped between sentences that are not one
                           sentence rewritten hold a frame only as a row of
                           adjectives (القاعدة الصينية العسكرية الروسية); "الفريق
                           العاصمي الرد النرويجي" against "الفريق المغربي الأصل
                           النرويجي" runs across two phrases of unrelated sentences */
                        for (size_t f = 1; f <= g && !bad && g == 2 && !aligned_with(al, x, y, 0.5); f++)
                            bad = !nisba(&ta[wa[i + f]]) || !nisba(&tb[wb[j + f]]);
                        if (!bad && g == 1) {
                            Buf k1 = {0}, k2 = {0};
                            int na_ = roles_adjective_key(A->doc, wa[i + 1], wa[i + 1], &k1);
                            int nb_ = roles_adjective_key(B->doc, wb[j + 1], wb[j + 1], &k2);
                            buf_free(&k1);
                            buf_free(&k2);
                            bad = na_ != nb_;
                        }
                        if (bad)
                            continue;
                        const char *txa = rasd_doc_text(A->doc, NULL);
                        const char *txb = rasd_doc_text(B->doc, NULL);
                        uint32_t as = ta[wa[i]].start, ae = ta[wa[i + g + 1]].end;
                        uint32_t bs = tb[wb[j]].start, be = tb[wb[j + g + 1]].end;
                        Buf key = {0}, ka = {0}, kb = {0};
                        buf_append(&key, ta[wa[i]].stem, ta[wa[i]].stem_len);
                        buf_putc(&key, '|');
                        buf_append(&key, ta[wa[i + g + 1]].stem, ta[wa[i + g + 1]].stem_len);
                        conflicts_stem_key(A->doc, as, ae, 8, &ka);
                        conflicts_stem_key(B->doc, bs, be, 8, &kb);
                        Conflict *c = key.oom || ka.oom || kb.oom ? NULL
                                      : conflicts_new_conflict(out, K_WORDING, txa + as, ae - as,
                                                     key.data, key.len);
                        size_t va = c ? conflicts_value_of(out, c, ka.data ? ka.data : "", ka.len, txa + as,
                                                 ae - as) : NO_VALUE;
                        size_t vb = c ? conflicts_value_of(out, c, kb.data ? kb.data : "", kb.len, txb + bs,
                                                 be - bs) : NO_VALUE;
                        buf_free(&key);
                        buf_free(&ka);
                        buf_free(&kb);
                        if (!c)
                            return;
                        const rasd_sentence *sa = &rasd_doc_sentences(A->doc)[x];
                        const rasd_sentence *sb = &rasd_doc_sentences(B->doc)[y];
                        conflicts_add_evidence(out, c, va, ai, sa->start, sa->end);
                        conflicts_add_evidence(out, c, vb, bi, sb->start, sb->end);
                        i += g; /* one report per frame */
                        break;
                    }
                }
        }
    }
}

/*
 * Do the two sentences name people, none of them common to both? Then
 * template sentences (one ministry statement per execution, per
 * appointment) are about different happenings, whatever their dates.
 */
static int different_people(const ConflictDoc *A, uint32_t as, uint32_t ae, const ConflictDoc *B,
                            uint32_t bs, uint32_t be)
{
    int na = 0, nb = 0;
    for (size_t i = 0; A->ents && i < A->ents->n; i++) {
        const Entity *x = &A->ents->items[i];
        if (x->type != NER_PERS || x->start < as || x->end > ae || !x->key_len)
            continue;
        na++;
        for (size_t j = 0; B->ents && j < B->ents->n; j++) {
            const Entity *y = &B->ents->items[j];
            if (y->type != NER_PERS || y->start < bs || y->end > be || !y->key_len)
                continue;
            nb++;
            size_t xl, yl;
            const char *xk = conflicts_ekey(A->ents, x, &xl), *yk = conflicts_ekey(B->ents, y, &yl);
            if (namelike_same_person(xk, xl, yk, yl) ||
                names_match(rasd_doc_text(A->doc, NULL) + x->start, x->end - x->start,
                            rasd_doc_text(B->doc, NULL) + y->start, y->end - y->start) == 1)
                return 0;
        }
    }
    return na && nb;
}

/* Is token i inside one of the mismatched quantities of this side? */
static int in_quantity(uint32_t i, const QuantityMismatch *qm, size_t nq, int side_b)
{
    for (size_t k = 0; k < nq; k++) {
        const Quantity *q = side_b ? &qm[k].b : &qm[k].a;
        if (i >= q->tok_begin && i < q->tok_end)
            return 1;
    }
    return 0;
}

/* Does the aligned pair replace a content word outside the figures? */
static int pair_has_other_change(const ConflictDoc *A, const ConflictDoc *B, const Alignment *al,
                                 const AlignPair *p, const QuantityMismatch *qm, size_t nq,
                                 uint32_t xa0, uint32_t xa1, uint32_t xb0, uint32_t xb1)
{
    const rasd_token *ta = rasd_doc_tokens(A->doc), *tb = rasd_doc_tokens(B->doc);
    for (size_t k = p->op_begin; k < p->op_end; k++) {
        const AlignOp *op = &al->ops[k];
        if (op->kind == ALIGN_ONLY_A || op->kind == ALIGN_ONLY_B) {
            /* a figure only one side gives (عشرة ... إضافة إلى ثلاثة / 13):
               the two sentences count different sets */
            int side_b = op->kind == ALIGN_ONLY_B;
            uint32_t ti = side_b ? op->b : op->a;
            const rasd_token *z = side_b ? &tb[ti] : &ta[ti];
            if (ti != ALIGN_NONE && !in_quantity(ti, qm, nq, side_b) &&
                !(side_b ? (z->start >= xb0 && z->end <= xb1) : (z->start >= xa0 && z->end <= xa1)) &&
                (z->type == RASD_TOK_NUMBER || quant_is_number_word(z)))
                return 1;
            continue;
        }
        if (op->kind != ALIGN_SUB || op->a == ALIGN_NONE || op->b == ALIGN_NONE)
            continue;
        const rasd_token *x = &ta[op->a], *y = &tb[op->b];
        if (in_quantity(op->a, qm, nq, 0) || in_quantity(op->b, qm, nq, 1) ||
            (x->start >= xa0 && x->end <= xa1) || (y->start >= xb0 && y->end <= xb1))
            continue;
        /* another figure changed too (34 سنتا إلى 46.08 / 32 سنتا إلى 46.06):
           two readings at two times, not one figure in dispute */
        if (x->type == RASD_TOK_NUMBER && y->type == RASD_TOK_NUMBER)
            return 1;
        if (!conflicts_content_word(x) || !conflicts_content_word(y) || same_consonants(x, y) ||
            (cmplex_flags(x) & CLX_LIGHT) || (cmplex_flags(y) & CLX_LIGHT) ||
            (cmplex_synonym(x) && cmplex_synonym(x) == cmplex_synonym(y)))
            continue;
        return 1;
    }
    return 0;
}

/*
 * Is the figure one part of a number written in pieces: a number token
 * right before it (17 966 بلاغا, read as 966), or a multiplier word it
 * lost (341 ألف حالة read as ألف حالة)? Then the reader, not the outlet,
 * changed the figure.
 */
static int split_figure(const char *t, const Quantity *q, const rasd_doc *d)
{
    const rasd_token *tk = rasd_doc_tokens(d);
    if (q->num_begin > 0) {
        const rasd_token *p = &tk[q->num_begin - 1];
        if (p->type == RASD_TOK_NUMBER && q->num_begin > 0)
            return 1;
        /* "( 100 ) ألف": a bracketed figure before the multiplier */
        if (q->num_begin >= 2 && tk[q->num_begin - 2].type == RASD_TOK_NUMBER &&
            (t[p->start] == ')' || t[p->start] == '('))
            return 1;
    }
    return 0;
}

/* Do the digits of one figure end the other's (270 of 47270): a lost thousands part. */
static int digits_suffix(const char *a, size_t an, const char *b, size_t bn)
{
    char da[32], db[32];
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < an && na < sizeof da; i++)
        if (a[i] >= '0' && a[i] <= '9')
            da[na++] = a[i];
    for (size_t i = 0; i < bn && nb < sizeof db; i++)
        if (b[i] >= '0' && b[i] <= '9')
            db[nb++] = b[i];
    if (!na || !nb || na == nb)
        return 0;
    return na < nb ? !memcmp(da, db + nb - na, na) : !memcmp(db, da + na - nb, nb);
}

/* Does the token range [b,e) of d say that something moved (ارتفع، انخفض، تراجع ...)? */
static int tells_movement(const char *t, uint32_t b, uint32_t e, const rasd_doc *d)
{
    static const char *const verbs[] = { "ارتف", "انخف", "تراجع", "صعد", "هبط", "نزل", "خسر",
                                         "ربح", "زاد", "زيادة", "قفز", "تقدم", "ارتفا" };
    const rasd_token *tk = rasd_doc_tokens(d);
    if (b >= e || e > rasd_doc_ntokens(d))
        return 0;
    uint32_t s0 = tk[b].start, s1 = tk[e - 1].end;
    for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++) {
        size_t vl = strlen(verbs[v]);
        for (uint32_t i = s0; i + vl <= s1; i++)
            if (!memcmp(t + i, verbs[v], vl))
                return 1;
    }
    return 0;
}

/*
 * Do the two figures stand in one place of the sentence: does the word
 * diff replace a word of A's figure with a word of B's? A figure that
 * faces nothing (an age only A gives: بلاتر، 79 عاما) was matched with
 * another figure of the same noun (39 عاما) only by the noun.
 */
static int figures_face(const Alignment *al, const AlignPair *p, const Quantity *qa,
                        const Quantity *qb)
{
    for (size_t k = p->op_begin; k < p->op_end; k++) {
        const AlignOp *op = &al->ops[k];
        if (op->kind == ALIGN_SUB && op->a >= qa->num_begin && op->a < qa->num_end &&
            op->b >= qb->num_begin && op->b < qb->num_end)
            return 1;
    }
    return 0;
}

void conflicts_pair_conflicts(const ConflictDoc *docs, size_t ai, size_t bi, DateSpan *const *dates,
                           const size_t *ndates, Quantity *const *qs, const size_t *nqs,
                           const SentWords *sw, const ConflictOpts *o, Out *out)
{
    const ConflictDoc *A = &docs[ai], *B = &docs[bi];
    Alignment al = { 0 };
    rasd_error err;
    if (align_docs_prep(sw[ai].ap, sw[bi].ap, 0, &al, &err) != RASD_OK) {
        align_free(&al);
        return;
    }
    const char *txa = rasd_doc_text(A->doc, NULL), *txb = rasd_doc_text(B->doc, NULL);
    /* numbers: only between reports at most FIGURE_GAP_DAYS apart; counts
       and amounts are restated as they change, and one office's weekly
       release repeats its template with new figures ("غرمت الرئاسة ... 30
       منشأة" on 07-27, "... 23 منشأة" on 08-03) */
    QuantityMismatch *qm = NULL;
    size_t nq = 0;
    int32_t dya = sv_day(A->published), dyb = sv_day(B->published);
    if ((dya > dyb ? dya - dyb : dyb - dya) <= FIGURE_GAP_DAYS &&
        compare_quantities_of(A->doc, qs[ai], nqs[ai], B->doc, qs[bi], nqs[bi], &al, &qm, &nq,
                              &err) == RASD_OK) {
        for (size_t i = 0; i < nq; i++) {
            const rasd_token *ta = rasd_doc_tokens(A->doc);
            const Quantity *qa = &qm[i].a, *qb = &qm[i].b;
            /* a figure without a counted noun, or a percentage, says what it
               counts only in a sentence that is nearly the same on both sides */
            double psim = qm[i].pair != ALIGN_NONE ? al.pairs[qm[i].pair].sim : 0;
            if (psim < 0.6 ||
                ((qa->noun == QUANT_NO_NOUN || qa->percent || qb->percent) && psim < 0.8))
                continue;
            /* a price or an index that moved, or the percentage it moved
               by, is a reading at an hour (الدولار انخفض 0.5 / 0.1 في
               المئة؛ زادت الفضة إلى 14.80 / 14.82 دولار): outlets that
               quote it at different times do not disagree */
            if ((qa->percent || qb->percent || qa->noun != QUANT_NO_NOUN) &&
                (tells_movement(txa, al.pairs[qm[i].pair].a_begin, al.pairs[qm[i].pair].a_end, A->doc) ||
                 tells_movement(txb, al.pairs[qm[i].pair].b_begin, al.pairs[qm[i].pair].b_end, B->doc)))
                continue;
            /* the two sentences must agree on everything but this figure:
               one other mismatch in the pair, or a content word replaced
               outside the figures (الدفعة الثانية / الثالثة), means two
               reports of two things (two batches, two hours of trading) */
            int others = 0;
            for (size_t k = 0; k < nq; k++)
                others += k != i && qm[k].pair == qm[i].pair;
            if (others || split_figure(txa, qa, A->doc) || split_figure(txb, qb, B->doc) ||
                digits_suffix(txa + qa->start, qa->end - qa->start, txb + qb->start, qb->end - qb->start) ||
                pair_has_other_change(A, B, &al, &al.pairs[qm[i].pair], qm, nq, 0, 0, 0, 0) ||
                !figures_face(&al, &al.pairs[qm[i].pair], qa, qb))
                continue;
            const char *subj = qa->noun != QUANT_NO_NOUN ? txa + ta[qa->noun].start : txa + qa->start;
            size_t sl = qa->noun != QUANT_NO_NOUN ? ta[qa->noun].end - ta[qa->noun].start
                                                  : qa->end - qa->start;
            char key[128] = "%";
            if (qa->noun != QUANT_NO_NOUN)
                conflicts_noun_key(&ta[qa->noun], key, sizeof key);
            char va_key[64], vb_key[64];
            snprintf(va_key, sizeof va_key, "%.6g-%.6g", qa->lo, qa->hi);
            snprintf(vb_key, sizeof vb_key, "%.6g-%.6g", qb->lo, qb->hi);
            Conflict *c = conflicts_new_conflict(out, K_NUMBER, subj, sl, key, strlen(key));
            if (!c)
                break;
            if (c->nv == 0) {
                c->ref_doc = ai;
                c->ref = *qa;
            }
            size_t va = conflicts_value_of(out, c, va_key, strlen(va_key), txa + qa->start,
                                 qa->end - qa->start);
            size_t vb = conflicts_value_of(out, c, vb_key, strlen(vb_key), txb + qb->start,
                                 qb->end - qb->start);
            uint32_t s, e;
            conflicts_sentence_at(A->doc, qa->start, &s, &e);
            conflicts_add_evidence(out, c, va, ai, s, e);
            conflicts_sentence_at(B->doc, qb->start, &s, &e);
            conflicts_add_evidence(out, c, vb, bi, s, e);
        }
    }
    free(qm);
    const rasd_sentence *sa = rasd_doc_sentences(A->doc), *sb = rasd_doc_sentences(B->doc);
    for (size_t i = 0; i < al.n; i++) {
        const AlignPair *p = &al.pairs[i];
        /* dates: one happening, dated differently, in near-identical sentences */
        if (p->sim >= 0.5 && p->sa != ALIGN_NONE && p->sb != ALIGN_NONE) {
            const DateSpan *da0, *db0;
            size_t ka = dates_in(dates[ai], ndates[ai], sa[p->sa].start, sa[p->sa].end, &da0);
            size_t kb = dates_in(dates[bi], ndates[bi], sb[p->sb].start, sb[p->sb].end, &db0);
            /* as many dates on both sides, paired in order: exactly one pair
               may disagree, the others must agree (else the sentences date
               different things, or the order changed) */
            const DateSpan *da = NULL, *db = NULL;
            int differing = 0;
            for (size_t k = 0; ka == kb && ka > 0 && k < ka; k++) {
                const DateSpan *x = nth_date(dates[ai], ndates[ai], sa[p->sa].start, sa[p->sa].end, k);
                const DateSpan *y = nth_date(dates[bi], ndates[bi], sb[p->sb].start, sb[p->sb].end, k);
                if (!x || !y || dates_overlap(x->value, y->value))
                    continue;
                differing++;
                da = x;
                db = y;
            }
            /* relative dates (أمس، اليوم) depend on each outlet's publication
               time, which feeds often get wrong by a day: explicit dates only */
            if (differing == 1 && !da->relative && !db->relative &&
                !same_digits(txa + da->start, da->end - da->start, txb + db->start,
                             db->end - db->start) &&
                !cut_off(txa, sa[p->sa].start, da->start) && !cut_off(txb, sb[p->sb].start, db->start) &&
                spans_face(&al, p, A->doc, da->start, da->end, B->doc, db->start, db->end) &&
                plausible_year(da->value) && plausible_year(db->value) &&
                !pair_has_other_change(A, B, &al, p, NULL, 0, da->start, da->end, db->start, db->end) &&
                !different_people(A, sa[p->sa].start, sa[p->sa].end, B, sb[p->sb].start,
                                  sb[p->sb].end)) {
                char key[112];
                snprintf(key, sizeof key, "%s|%s", strcmp(da->value, db->value) < 0 ? da->value : db->value,
                         strcmp(da->value, db->value) < 0 ? db->value : da->value);
                Conflict *c = conflicts_new_conflict(out, K_DATE, txa + sa[p->sa].start,
                                           sa[p->sa].end - sa[p->sa].start, key, strlen(key));
                if (c) {
                    size_t va = conflicts_value_of(out, c, da->value, strlen(da->value), txa + da->start,
                                         da->end - da->start);
                    size_t vb = conflicts_value_of(out, c, db->value, strlen(db->value), txb + db->start,
                                         db->end - db->start);
                    conflicts_add_evidence(out, c, va, ai, sa[p->sa].start, sa[p->sa].end);
                    conflicts_add_evidence(out, c, vb, bi, sb[p->sb].start, sb[p->sb].end);
                }
            }
        }
    }
    wording_frames(A, ai, &sw[ai], B, bi, &sw[bi], &al, out);
    align_free(&al);
}

