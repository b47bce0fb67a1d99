/*
 * quotes_speakers.c — who a cue's speaker is (quotes.c, pass 4): keys and
 * best names of speakers, honorific pronouns, roles resolved to their holders,
 * widened names, and the implicit speaker of a cue with no subject.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

/* ======================================================================
 * Speakers
 * ==================================================================== */

/* Appends the key of entity e (or of tokens [a,b), first proclitics off) to out->keys. */
void spk_key(QCtx *x, Spk *s, size_t a, size_t b)
{
    Buf *k = &x->out->keys;
    s->key_off = (uint32_t)k->len;
    s->key_len = 0;
    if (s->ent >= 0 && x->ents) {
        const Entity *e = &x->ents->items[s->ent];
        if (e->key_len && x->ents->keys.data)
            buf_append(k, x->ents->keys.data + e->key_off, e->key_len);
    } else if (a < b) {
        tokens_key(x, a, b, 0, k);
    }
    s->key_len = (uint32_t)(k->len - s->key_off);
}

/* Appends to out the key of the words [a,b) as analyze.c keys a tagged
   entity (analyze_name_key; person: as a person's). */
void tokens_key(const QCtx *x, size_t a, size_t b, int person, Buf *out)
{
    analyze_name_key(x->d, a, b, person, -1, out);
}

/* Where the words of a description starting at token i begin: after a ل
   written on its first word (لوسائل إعلام → وسائل إعلام). Not for names of
   people: لطيفة is a name, not ل + طيفة. */
uint32_t name_start(const QCtx *x, size_t i, int kind)
{
    const rasd_token *t = &x->tok[i];
    if (kind != QS_PERSON && t->pre_len == 2 && t->end - t->start > 4 &&
        memcmp(t->key, AR_LAM, 2) == 0 && memcmp(x->text + t->start, t->key, 2) == 0)
        return t->start + 2;
    /* بجامعة نجران → جامعة نجران: a ب the lexicon needed stripping to know
       the word (but بنك is a word of its own) */
    if (kind != QS_PERSON && (t->pre_len == 2 || t->pre_len == 0) && t->end - t->start > 6 &&
        t->key_len > 6 && memcmp(t->key, AR_BA, 2) == 0 &&
        memcmp(x->text + t->start, t->key, 2) == 0 &&
        cat(x, i, C_INST | C_CHANNEL | C_ANON | C_ROLE) && !qlex_find(t->key, t->key_len) &&
        (t->pre_len == 2 || qlex_find(t->key + 2, t->key_len - 2)))
        return t->start + 2;
    return t->start;
}

/* Where a name written at token i begins once a conjunction the tagger
   left on it is dropped (وأسامة النجيفي → أسامة النجيفي): و before a
   hamza-carrying alif or before ال; names that begin with و (وليد، وائل)
   go on with another letter. */
static uint32_t name_start_conj(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    const char *w = x->text + t->start;
    size_t n = t->end - t->start;
    if (n > 6 && memcmp(w, "و", 2) == 0 &&
        (memcmp(w + 2, "أ", 2) == 0 || memcmp(w + 2, "إ", 2) == 0 || memcmp(w + 2, "آ", 2) == 0 ||
         memcmp(w + 2, "ال", 4) == 0))
        return t->start + 2;
    return t->start;
}

static int name_widen(QCtx *x, int32_t e, size_t *a, size_t *b);

/* Is token i a title or kin word with a pronoun on it (وكيله، زوجته،
   رئيسها) that the tagger may have glued to the name after it? */
int glued_title(const QCtx *x, size_t i)
{
    static const char *const kin[] = {"زوج", "ابن", "شقيق", "والد", "نجل"};
    return is_word(x, i) && has(x, i, T_PRON) && !has(x, i, T_PREPW) &&
           (cat(x, i, C_ROLE) || bare_in(x, i, kin, sizeof kin / sizeof kin[0]));
}

/* Fills the best name of s: the fullest mention of its entity (widened
   where the tagger cut it, name_widen, and then keyed by those words),
   else its words. */
void spk_name(QCtx *x, Spk *s)
{
    if (s->ent >= 0 && x->ents) {
        int32_t b = x->best[s->ent];
        const Entity *e = &x->ents->items[b];
        s->ns = name_start_conj(x, x->ent_first[b]) > e->start &&
                        name_start_conj(x, x->ent_first[b]) < e->end
                    ? name_start_conj(x, x->ent_first[b])
                    : e->start;
        s->ne = e->end;
        if (e->type != NER_PERS && name_start(x, x->ent_first[b], QS_INSTITUTION) > e->start &&
            name_start(x, x->ent_first[b], QS_INSTITUTION) < e->end)
            s->ns = name_start(x, x->ent_first[b], QS_INSTITUTION); /* بجامعة نجران */
        size_t wa, wb;
        size_t f0 = x->ent_first[b];
        if (e->type == NER_PERS && x->ent_last[b] >= f0 + 2 && glued_title(x, f0)) {
            /* وكيله رامي عباس، زوجته فلانة: the title with its pronoun is
               not part of the name the tagger glued it to */
            int32_t ent = s->ent;
            s->ent = -1;
            spk_key(x, s, f0 + 1, x->ent_last[b] + 1);
            s->ent = ent;
            s->ns = x->tok[f0 + 1].start;
            s->ne = e->end;
        } else if (e->type == NER_PERS && name_widen(x, b, &wa, &wb)) {
            int32_t ent = s->ent;
            s->ent = -1;
            spk_key(x, s, wa, wb); /* appended: the entity's key stays unused */
            s->ent = ent;
            s->ns = name_start_conj(x, wa);
            s->ne = x->tok[wb - 1].end;
        }
    } else if (s->sa < s->sb) {
        s->ns = name_start(x, s->sa, s->kind);
        if (s->ns == x->tok[s->sa].start)
            s->ns = name_start_conj(x, s->sa);
        s->ne = x->tok[s->sb - 1].end;
    } else {
        s->ns = s->ne = 0;
    }
}

/* The key of token i without clitics and without a final ة (وزيرة ~ وزير). */
size_t bare(const QCtx *x, size_t i, const char **out)
{
    const rasd_token *t = &x->tok[i];
    size_t p = t->pre_len, s = t->suf_len, n = t->key_len;
    if (p > n || s > n - p)
        p = s = 0;
    *out = t->key + p;
    n = n - p - s;
    if (n >= 4 && t->end - t->start >= 2 &&
        memcmp(x->text + t->end - 2, "\xD8\xA9", 2) == 0) /* ends in ة */
        n -= 2;
    return n;
}

int bare_eq(const QCtx *x, size_t i, size_t j)
{
    const char *a, *b;
    size_t na = bare(x, i, &a), nb = bare(x, j, &b);
    return na && na == nb && memcmp(a, b, na) == 0;
}

/* Is the bare key of token i (bare: clitics and a final ة off) one of w[0..n)? */
int bare_in(const QCtx *x, size_t i, const char *const *w, size_t n)
{
    const char *b;
    size_t bn = bare(x, i, &b);
    for (size_t j = 0; j < n; j++)
        if (strlen(w[j]) == bn && memcmp(w[j], b, bn) == 0)
            return 1;
    return 0;
}

/* A word of time (يوم، أمس، الخميس، صباح): never part of a speaker's name
   (وقال رئيس الوزراء يوم أمس إن). */
int time_word(const QCtx *x, size_t i)
{
    static const char *const w[] = {"يوم", "ايام", "امس", "غدا", "صباح", "مساء", "ظهر", "عصر",
                                    "ليل", "ليله", "احد", "اثنين", "ثلاثاء", "اربعاء", "خميس",
                                    "جمع", "جمعه", "سبت", "اسبوع", "شهر", "عام", "سنه", "وقت",
                                    "حين", "امسيه", "ثلاثا", "اربعا"};
    return is_word(x, i) && bare_in(x, i, w, sizeof w / sizeof w[0]);
}

/*
 * Honorific pronouns: وقال سموه، وأكد معاليه، وأوضح فخامته stand for the
 * person the article gave that title (صاحب السمو الملكي الأمير ...، معالي
 * الوزير ...، فخامة الرئيس ...), not for whoever was named last (the King
 * named after the Crown Prince chairing the cabinet is not سموه).
 * honorifics[k]: the pronoun forms (folded keys), then the bare title words.
 */
static const struct {
    const char *pron[3];
    const char *title[4];
} honorifics[] = {
    {{"سموه", "سموها", NULL}, {"سمو", "امير", "صاحب", NULL}},
    {{"معاليه", "معاليها", NULL}, {"معالي", "وزير", NULL, NULL}},
    {{"فخامته", NULL, NULL}, {"فخام", "رئيس", "رييس", NULL}},
    {{"سماحته", NULL, NULL}, {"سماح", "شيخ", "مفتي", NULL}},
    {{"دولته", NULL, NULL}, {"دول", NULL, NULL, NULL}},
    {{"سعادته", "سعادتها", NULL}, {"سعاد", NULL, NULL, NULL}},
    {{"جلالته", NULL, NULL}, {"جلال", "ملك", NULL, NULL}}};

/* Which honorific pronoun token i is: 1 + its index in honorifics, or 0. */
int honorific_pronoun(const QCtx *x, size_t i)
{
    if (!is_word(x, i))
        return 0;
    const rasd_token *t = &x->tok[i];
    size_t p = t->pre_len <= t->key_len ? t->pre_len : 0;
    for (size_t k = 0; k < sizeof honorifics / sizeof honorifics[0]; k++)
        for (size_t j = 0; j < 3 && honorifics[k].pron[j]; j++) {
            size_t n = strlen(honorifics[k].pron[j]);
            if ((t->key_len == n && memcmp(t->key, honorifics[k].pron[j], n) == 0) ||
                (t->key_len - p == n && memcmp(t->key + p, honorifics[k].pron[j], n) == 0))
                return (int)k + 1;
        }
    return 0;
}

/* The latest person before token at whose mention follows, within 8 words
   of its sentence and not across a comma, a title of honorific class h
   (1-based); -1 if none. */
int32_t honorific_holder(QCtx *x, int h, size_t at)
{
    if (!x->ents || h <= 0)
        return -1;
    const char *const *tw = honorifics[h - 1].title;
    size_t nt = 0;
    while (nt < 4 && tw[nt])
        nt++;
    size_t seen = 0;
    for (int32_t e = x->last_pers; e >= 0 && seen < ROLE_LOOKBACK; e--, seen++) {
        x->out->work++;
        if (x->ents->items[e].type != NER_PERS || x->ent_first[e] >= at)
            continue;
        size_t f = x->ent_first[e];
        for (size_t j = f, steps = 0; j > 0 && steps < 8; steps++) {
            j--;
            x->out->work++;
            if (has(x, j, T_SENT) || breaks_before(x, j + 1))
                break;
            if (x->ent_of[j] >= 0 && x->ents->items[x->ent_of[j]].type == NER_PERS)
                break; /* another person's name: its titles are not this one's */
            if (has(x, j, T_COMMA))
                break; /* (nor the title of the one before a comma: كرّم الأمير
                          جلوي أمير منطقة نجران، العريف عبدالله مبارك) */
            if (is_word(x, j) && bare_in(x, j, tw, nt))
                return e;
        }
    }
    return -1;
}

/* Is person entity e part of a place or institution name: جامعة الملك
   عبدالعزيز، مدينة الأمير سلطان (a bare noun, then الملك / الأمير, then
   the name)? */
int named_after(const QCtx *x, int32_t e)
{
    static const char *const t[] = {"ملك", "امير", "شيخ", "امام", "خادم"};
    size_t f = x->ent_first[e];
    if (f < 2 || !is_word(x, f - 1) || !is_word(x, f - 2) || !bare_in(x, f - 1, t, 5) ||
        !has(x, f - 1, T_DEF))
        return 0;
    /* the nouns such names are given to (bare keys: no ال, no final ة) */
    static const char *const place[] = {"جامع", "مدين", "مستشفي", "مركز", "مطار", "شارع", "طريق",
                                        "كلي", "مجمع", "قاعد", "ميناء", "جسر", "حي", "معهد",
                                        "مؤسس", "جائز", "جايز", "برنامج", "مكتب", "ملعب", "استاد",
                                        "صندوق", "كرسي", "دار", "مشروع", "قصر", "مسجد", "مدرس",
                                        "قاع", "واح", "منح"};
    return !has(x, f - 2, T_DEF) && bare_in(x, f - 2, place, sizeof place / sizeof place[0]);
}

/* Is person entity e a byline: at the start of the text or of a line and
   followed by a dash (ياسر العتيبي- سبق- الرياض:)? The writer of the
   article is never a speaker in it. */
int byline(const QCtx *x, int32_t e)
{
    size_t f = x->ent_first[e], l = x->ent_last[e] + 1;
    if (l >= x->n || (f > 0 && !newline_before(x, f)))
        return 0;
    const rasd_token *t = &x->tok[l];
    size_t n = t->end - t->start;
    const char *w = x->text + t->start;
    return (n == 1 && w[0] == '-') || (n == 3 && memcmp(w, "–", 3) == 0) ||
           (n == 3 && memcmp(w, "—", 3) == 0);
}

/* Is token i the auxiliary كان (وكان، فكان، كانت)? */
int is_kana(const QCtx *x, size_t i)
{
    static const char *const w[] = {"كان", "كانت"};
    return is_word(x, i) && bare_in(x, i, w, 2);
}

int ends_ta_marbuta(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    return t->end - t->start >= 2 && memcmp(x->text + t->end - 2, "\xD8\xA9", 2) == 0;
}

/* Tokens within 10 before entity e (Gulf copy stacks long titles before a
   name) and 4 after it, not across a sentence end or line break. */
static void appos_window(const QCtx *x, int32_t e, size_t *a0, size_t *a1, size_t *b0, size_t *b1)
{
    size_t f = x->ent_first[e], l = x->ent_last[e];
    size_t a = f;
    /* (not past a word no title holds — a noun with a pronoun, a verb, a
       complementiser or a relative: وزير الخارجية القطري مواصلة إيران دعمها
       لنظام بشار الأسد; but نظيره المصري and other titles are titles) */
    static const char *const peer[] = {"نظير"};
    while (a > 0 && f - a < 10 && !newline_before(x, a) && !has(x, a - 1, T_SENT) &&
           (!has(x, a - 1, T_PRON | T_VERB | T_COMP | T_COMPF | T_REL) ||
            (has(x, a - 1, T_PRON) && (cat(x, a - 1, C_ROLE) || bare_in(x, a - 1, peer, 1)))))
        a--;
    size_t b = l + 1;
    while (b < x->n && b - l <= 4 && !newline_before(x, b) && !has(x, b, T_SENT))
        b++;
    *a0 = a;
    *a1 = f;
    *b0 = l + 1;
    *b1 = b;
}

/*
 * The person a role noun (الوزير، الناطقة، السفيرة) stands for: the nearest
 * earlier person entity whose apposition (appos_window) holds the
 * role's word — preferring the one that also holds the words that follow it
 * (وزير الخارجية) — else, for a feminine role, the nearest earlier person
 * the text has marked feminine (a feminine title beside the name, or a
 * feminine cue verb). -1 when none: the role stays the speaker.
 * The fallback of role_holder when the roles module links nothing.
 */

/* Does the role phrase at head (up to np_end) name a country (الإيرانية)
   that the words [from,to) around a person do not, while they name
   another (السوري)? Then that person holds another country's office. */
static int other_country(const QCtx *x, size_t head, size_t np_end, size_t from, size_t to)
{
    size_t a = 0;
    for (size_t k = 1; k < 4 && head + k < np_end && !a; k++)
        if (nationality_adj(x, head + k))
            a = head + k;
    if (!a)
        return 0;
    int other = 0;
    for (size_t j = from; j < to; j++)
        if (j != a && is_word(x, j) && nationality_adj(x, j)) {
            if (bare_eq(x, j, a))
                return 0;
            other = 1;
        }
    return other;
}

/* Is there a title word in [a,b)? */
static int role_between(const QCtx *x, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++)
        if (cat(x, k, C_ROLE))
            return 1;
    return 0;
}

/*
 * A role no earlier name holds, introduced in full later (وأضاف رئيس البنك
 * المركزي أن ... رئيس البنك المركزي الإيراني ولي الله سيف أكد): the first
 * person after head, within NAME_LOOKBACK tokens, with the role phrase's
 * first words (two or three) in the title before it — at most 8 words
 * back, not across a verb, a complementiser, a relative, a cue or another
 * person, and not a deputy's title (نائب رئيس البنك). A one-word role
 * (الشاعر، الوزير) is never resolved forward: many people hold it. The
 * entities from index lo on start at or after head. -1 if none.
 */
static int32_t role_named_later(QCtx *x, size_t head, size_t np_end, size_t lo)
{
    static const char *const deputy[] = {"نائب", "نايب", "مساعد", "وكيل"};
    size_t m = np_end - head < 3 ? np_end - head : 3, seen = 0;
    if (m < 2)
        return -1;
    for (size_t e = lo; e < x->ents->n && seen < ROLE_LOOKBACK; e++) {
        x->out->work++;
        size_t f = x->ent_first[e];
        if (f > head + NAME_LOOKBACK)
            break;
        if (x->ents->items[e].type != NER_PERS || f < np_end + m)
            continue;
        seen++;
        for (size_t j = f; j-- > np_end && f - j <= 8;) {
            x->out->work++;
            if (!is_word(x, j) || breaks_before(x, j + 1) || is_cue(x, j) ||
                has(x, j, T_VERB | T_COMP | T_COMPF | T_REL) ||
                (x->ent_of[j] >= 0 && x->ents->items[x->ent_of[j]].type == NER_PERS))
                break;
            size_t k = 0;
            while (k < m && j + k < f && bare_eq(x, j + k, head + k))
                k++;
            if (k == m && !(j > 0 && is_word(x, j - 1) && bare_in(x, j - 1, deputy, 4)))
                return (int32_t)e;
        }
    }
    return -1;
}

static int32_t role_resolve(QCtx *x, size_t head, size_t np_end)
{
    if (!x->ents || x->ents->n == 0)
        return -1;
    int32_t best = -1;
    int best_score = 0;
    size_t seen = 0;
    int fem = ends_ta_marbuta(x, head);
    int32_t fem_pick = -1;
    /* the entities are in text order: start from the last one before head */
    size_t lo = 0, hi = x->ents->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->ent_first[mid] < head)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t e = lo, steps = 0; e-- > 0 && seen < ROLE_LOOKBACK && steps < 4 * ROLE_LOOKBACK;
         steps++) {
        x->out->work++;
        if (x->ents->items[e].type != NER_PERS || named_after(x, (int32_t)e))
            continue;
        seen++;
        size_t a0, a1, b0, b1;
        appos_window(x, (int32_t)e, &a0, &a1, &b0, &b1);
        int score = 0, fem_title = 0;
        for (int side = 0; side < 2; side++) {
            size_t from = side ? b0 : a0, to = side ? b1 : a1;
            for (size_t j = from; j < to; j++) {
                if (j == head)
                    continue;
                /* not a deputy's title (نائب الرئيس is no رئيس), nor one
                   with another complement (رئيس الجمهورية for رئيس الوزراء) */
                static const char *const deputy[] = {"نائب", "نايب", "مساعد", "وكيل"};
                /* (nor a title with ل or ب on it when another title stands
                   between it and the name: المبعوث الخاص للرئيس الروسي ووزير
                   الخارجية السوري وليد المعلم is no رئيس; nor one of
                   another country: رئيس الدبلوماسية الإيرانية is not the
                   holder called السوري) */
                if (bare_eq(x, j, head) &&
                    (x->tok[j].pre_len == 0 || (has(x, j, T_DEF) && x->tok[j].pre_len == 4) ||
                     !role_between(x, j + 1, to)) &&
                    !other_country(x, head, np_end, from, to) &&
                    !(j > from && is_word(x, j - 1) && bare_in(x, j - 1, deputy, 4)) &&
                    !(head + 1 < np_end && j + 1 < to && is_word(x, j + 1) && has(x, j + 1, T_DEF) &&
                      has(x, head + 1, T_DEF) && !bare_eq(x, j + 1, head + 1) &&
                      !nisba_ending(x, j + 1) && !nisba_ending(x, head + 1))) {
                    score = score ? score : 1;
                    /* the role's next words next to it too: وزير الخارجية */
                    for (size_t k = 1; head + k < np_end && j + k < to && k < 3; k++)
                        if (bare_eq(x, j + k, head + k))
                            score++;
                }
                if (cat(x, j, C_ROLE) && ends_ta_marbuta(x, j))
                    fem_title = 1;
            }
        }
        if (score > best_score) {
            best_score = score;
            best = (int32_t)e;
        }
        if (fem && fem_pick < 0) {
            int fem_cue = 0;
            for (size_t k = 0; k < EVENTS && k < x->nev; k++) {
                const Event *ev = &x->ev[(x->nev - 1 - k) % EVENTS];
                if (ev->s.gender == G_F && ev->s.ent >= 0 && x->ents->items[ev->s.ent].key_len &&
                    ev->s.ent == (int32_t)e)
                    fem_cue = 1;
            }
            if (fem_title || fem_cue)
                fem_pick = (int32_t)e;
        }
    }
    if (best >= 0 || fem_pick >= 0)
        return best >= 0 ? best : fem_pick;
    return role_named_later(x, head, np_end, lo);
}

/*
 * The person the role phrase [h,e) stands for: the one the roles module
 * (roles.h) attached it to — a name in apposition (رئيس الحكومة، أحمد
 * داود أوغلو،) or, for a role-only mention, the one holder of a compatible
 * office in the article — else role_resolve's guess from the words around
 * earlier names, which also finds holders the roles module could not
 * attach (a title and a name with "د." or a tatweel between them).
 */
int32_t role_holder(QCtx *x, size_t h, size_t e)
{
    const RoleList *rl = x->ents ? &x->ents->roles : NULL;
    for (size_t k = h; rl && k < e && k < x->n; k++) {
        int32_t r = x->role_of[k];
        if (r < 0)
            continue;
        const Role *ro = &rl->items[r];
        /* (not the namesake in a body's name the title's complement holds,
           the body's name going on after it: المدير التنفيذي لمركز الملك
           عبدالله للدراسات is not King Abdullah; but المدير العام لمركز
           الشيخ عماد النامي: ان — the name ends the title — is the director) */
        if (ro->entity >= 0 && (size_t)ro->entity < x->ents->n &&
            x->ents->items[ro->entity].type == NER_PERS &&
            !(named_after(x, ro->entity) && is_word(x, x->ent_last[ro->entity] + 1) &&
              !has(x, x->ent_last[ro->entity] + 1, T_COMP | T_COMPF) &&
              !is_cue(x, x->ent_last[ro->entity] + 1)))
            return ro->entity;
        break;
    }
    return role_resolve(x, h, e);
}

int ent_name_gender(QCtx *x, int32_t e)
{
    if (e < 0 || !x->ents || (size_t)e >= x->ents->n)
        return G_ANY;
    int32_t b = x->best[e] >= 0 ? x->best[e] : e;
    if (x->ents->items[b].type != NER_PERS)
        return G_ANY;
    size_t wa = x->ent_first[b], wb = x->ent_last[b] + 1;
    name_widen(x, b, &wa, &wb); /* (نورة بنت عبدالله: her name, not her father's) */
    return name_gender(x, wa, wb);
}

int spk_name_gender(QCtx *x, const Spk *s)
{
    if (s->ent >= 0)
        return ent_name_gender(x, s->ent);
    return s->kind == QS_PERSON && s->sa < s->sb ? name_gender(x, s->sa, s->sb) : G_ANY;
}

int fem_to_man(int g, int ng) { return g == G_F && ng == G_M; }

void push_event(QCtx *x, const Spk *s, size_t cue, size_t end)
{
    if (s->kind == QS_UNKNOWN || s->relative)
        return;
    Event *e = &x->ev[x->nev % EVENTS];
    e->s = *s;
    /* a listed first name tells the speaker's gender better than the cue
       that named them (وقالت محمد ...: the tagger cut a woman's name, or
       the cue was someone else's): later cues agree with the name */
    int ng = spk_name_gender(x, s);
    if (ng != G_ANY && s->gender != G_P)
        e->s.gender = (uint8_t)ng;
    e->tok = (uint32_t)cue;
    e->end = (uint32_t)end;
    x->nev++;
}

/* The latest speaker of gender g (G_ANY: any), newest first; NULL if none. */
const Event *recent(const QCtx *x, int g, size_t min_tok)
{
    for (size_t k = 0; k < EVENTS && k < x->nev; k++) {
        const Event *e = &x->ev[(x->nev - 1 - k) % EVENTS];
        if (e->tok < min_tok)
            break;
        if (g == G_ANY || e->s.gender == G_ANY || e->s.gender == g)
            return e;
    }
    return NULL;
}


/* Can token i be a first name the tagger left out before "بن" (تركي بن
   سعود): a bare Arabic word with no article, clitic or listed sense? */
int first_name_before(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    return is_word(x, i) && t->type == RASD_TOK_ARABIC && t->pre_len == 0 &&
           !has(x, i, T_DEF | T_PRON | T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL | T_VERB) &&
           !x->ti[i].cats && !(t->flags & RASD_TF_STOP) && !time_word(x, i) &&
           !is_cue(x, i) && !breaks_before(x, i + 1);
}

/* Does the name end before token j: the content, a comma, a channel or a
   title in apposition follows (سلمان الصوينع أن، سعد العفالق؛ نائب)? */
static int name_ends_before(QCtx *x, size_t j)
{
    return j >= x->n || !is_word(x, j) || has(x, j, T_COMP | T_COMPF) || is_cue(x, j) ||
           cat(x, j, C_ADV | C_VENUE) || via_phrase(x, j, x->n < j + 8 ? x->n : j + 8) > j ||
           (has(x, j, T_PREPW) && !keq(&x->tok[j], "بن"));
}

/*
 * The tagger sometimes cuts a name: بن سعود for تركي بن سعود, عبدالله بن
 * for عبدالله بن مساعد, a first name alone for عبدالرحمن المحنا أن. The
 * mention [f,l) of entity e is widened by one first name before بن, the
 * word after a final بن / ابن / أبو / عبد, and, for a lone first name, one
 * family name with ال right before the content. Returns the new bounds
 * in *a,*b and 1 when they differ.
 */
static int name_widen(QCtx *x, int32_t e, size_t *a, size_t *b)
{
    static const char *const link[] = {"بن", "ابن", "بنت", "ابو", "عبد", "ال"};
    size_t f = x->ent_first[e], l = x->ent_last[e] + 1;
    size_t na = f, nb = l;
    /* (a first name that is also a nisba, تركي، may be tagged as one) */
    if (na > 0 && keq(&x->tok[na], "بن") && x->sb[na] < na &&
        (x->ent_of[na - 1] < 0 ? first_name_before(x, na - 1)
                               : x->ents->items[x->ent_of[na - 1]].type == NER_MISC &&
                                     x->ent_first[x->ent_of[na - 1]] == na - 1 &&
                                     x->ent_last[x->ent_of[na - 1]] == na - 1 &&
                                     x->tok[na - 1].pre_len == 0 && !has(x, na - 1, T_DEF)))
        na--;
    /* a woman's name the tagger cut to her father's or her son's: a listed
       woman's given name (and بنت) or أم right before it (نورة بنت عبدالله
       الحزيمي، أم ناصر) */
    if (na > x->sb[na]) {
        static const char *const bint[] = {"بنت", "ابنه"};
        size_t w = na - 1;
        if (w > x->sb[na] && x->ent_of[w] < 0 && bare_in(x, w, bint, 2))
            w--;
        if (x->ent_of[w] < 0 &&
            (given_gender(x, w) == G_F || (w + 1 == na && keq(&x->tok[w], "ام"))))
            na = w;
    }
    for (int steps = 0; steps < 2 && nb < x->n; steps++) {
        /* after بن any plain word is a name (بن مساعد: not the title مساعد) */
        if (bare_in(x, nb - 1, link, sizeof link / sizeof link[0]) && is_word(x, nb) &&
            !breaks_before(x, nb) && x->ent_of[nb] < 0 && x->tok[nb].type == RASD_TOK_ARABIC &&
            (x->tok[nb].pre_len == 0 || has(x, nb, T_DEF)) && !time_word(x, nb) &&
            !has(x, nb, T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL | T_PRON | T_WAW) &&
            !is_cue(x, nb)) {
            nb++;
            continue;
        }
        break;
    }
    if (nb - na == 1 && nb < x->n && is_word(x, nb) && has(x, nb, T_DEF) && x->ent_of[nb] < 0 &&
        !ends_ta_marbuta(x, nb) && !named_after(x, e) &&
        !breaks_before(x, nb) && name_word(x, nb, 0) && !nationality_adj(x, nb) &&
        x->tok[nb].pre_len == 4 && name_ends_before(x, nb + 1))
        nb++;
    /* a chain of names with بن takes the family name after it (ممدوح بن
       فالح الثقيل) */
    int chain = 0;
    for (size_t k = na; k < nb; k++)
        chain |= keq(&x->tok[k], "بن");
    if (chain && nb - na >= 3 && nb < x->n && is_word(x, nb) && x->ent_of[nb] < 0 &&
        !breaks_before(x, nb) && !nationality_adj(x, nb) && !ends_ta_marbuta(x, nb) &&
        !bare_in(x, nb - 1, link, sizeof link / sizeof link[0]) &&
        ((has(x, nb, T_DEF) && x->tok[nb].pre_len == 4 && name_word(x, nb, 0)) ||
         (!has(x, nb, T_DEF) && name_word(x, nb, 1) && nb + 1 < x->n &&
          has(x, nb + 1, T_COMP | T_COMPF | T_COMMA | T_COLON)))) /* ... قطان أن */
        nb++;
    /* ... or a family name without ال when the content follows at once and
       a title stands before the name (المهندس صالح قدح أن); after a title
       and its complement and a listed given name, also one in ة (رئيس الحزب
       ياسر قورة إنه) */
    int given_titled = nb - na == 1 && na > 1 && cat(x, na - 2, C_ROLE) && has(x, na - 1, T_DEF) &&
                       x->tok[na - 1].pre_len == 4 &&
                       names_given_name(x->tok[na].key, x->tok[na].key_len);
    if (nb - na == 1 && nb + 1 < x->n && na > 0 && is_word(x, nb) && !has(x, nb, T_DEF) &&
        x->ent_of[nb] < 0 && !breaks_before(x, nb) && name_word(x, nb, 1) &&
        (!ends_ta_marbuta(x, nb) || given_titled) && !named_after(x, e) &&
        !nationality_adj(x, nb) &&
        (has(x, nb + 1, T_COMP | T_COMPF | T_COMMA | T_COLON) || keq(&x->tok[nb + 1], "وهو") ||
         keq(&x->tok[nb + 1], "وهي") || is_opener(x, nb + 1)) &&
        (cat(x, na - 1, C_ROLE) || (has(x, na - 1, T_DEF) && !x->ti[na - 1].cats) ||
         x->role_of[na - 1] >= 0 || given_titled)) /* (مدرب باريس سان جرمان لوران بلان «...») */
        nb++;
    *a = na;
    *b = nb;
    return na != f || nb != l;
}

void spk_from_entity(QCtx *x, Spk *s, int32_t e, int kind)
{
    s->ent = e;
    s->kind = (uint8_t)kind;
    s->sa = x->ent_first[e];
    s->sb = x->ent_last[e] + 1;
    spk_key(x, s, 0, 0);
    spk_name(x, s);
}

/*
 * The subject of at's sentence (sentence_subject) when it comes before at
 * and no one has spoken since: وألقى المدير ناصر الغامدي كلمة، أوضح فيها أن.
 */
int sentence_subject_of(QCtx *x, size_t at, const Event *e, int g, Spk *s)
{
    if (!x->subj_ok || x->subj_sb != x->sb[at] || x->subj_tok >= at ||
        (e && e->end > x->subj_tok))
        return 0;
    /* كما اعتمدت اللجنة ...، مشيرا: a masculine participle is not the committee's */
    if ((g == G_M && x->subj_g == G_F) || (g == G_F && x->subj_g == G_M) ||
        fem_to_man(g, spk_name_gender(x, &x->subj)))
        return 0; /* (nor a feminine cue a man's named subject) */
    /* ووصفوا، مؤكدين: a plural cue is never one person's (a byline name
       opening the sentence: ياسر العتيبي- سبق- الرياض: هم ...، ووصفوا) */
    if (g == G_P && x->subj.ent >= 0 && x->ents->items[x->subj.ent].type == NER_PERS)
        return 0;
    *s = x->subj;
    s->kind = QS_IMPLICIT;
    s->resolved = s->ent >= 0;
    s->sa = s->sb = 0;
    s->gender = (uint8_t)g;
    return 1;
}

/* The speaker of a cue with no subject: the latest one of its gender. */
/* s becomes from as an implicit speaker (no words of its own at the cue). */
void spk_as_implicit(Spk *s, const Spk *from)
{
    *s = *from;
    s->kind = QS_IMPLICIT;
    s->resolved = s->ent >= 0;
    s->sa = s->sb = 0;
}

void implicit_speaker(QCtx *x, int g, size_t at, Spk *s)
{
    const Event *e = recent(x, g, 0);
    if (!e && g != G_P)
        e = recent(x, G_ANY, 0); /* (a plural verb never falls back on one person) */
    if (e && fem_to_man(g, spk_name_gender(x, &e->s)))
        e = NULL; /* (nor a feminine one on a man the article names: وقالت after محمد) */
    if (sentence_subject_of(x, at, e, g, s))
        return;
    /* a person who became the subject in this or the previous sentence,
       after the last speaker: وتمكن نيل أروسميث من تصويرها. وأشار إلى أن */
    size_t prev_sent = x->sb[at] > 0 ? x->sb[x->sb[at] - 1] : 0;
    if (x->last_subj >= 0 && g != G_P && x->last_subj_tok < at && x->last_subj_tok >= prev_sent &&
        (!e || e->end <= x->last_subj_tok) &&
        !fem_to_man(g, ent_name_gender(x, x->last_subj))) {
        memset(s, 0, sizeof *s);
        spk_from_entity(x, s, x->last_subj, QS_IMPLICIT);
        s->resolved = 1;
        s->sa = s->sb = 0;
        s->gender = (uint8_t)g;
        return;
    }
    /* وأفادت after a man spoke: an institution named since then in this
       sentence (تواصلت مع وزارة الخدمة المدنية، وأفادت أنه) is the subject */
    if (g == G_F && (!e || e->s.gender != G_F)) {
        size_t from = x->sb[at];
        if (at > 64 && from < at - 64)
            from = at - 64;
        for (size_t k = at; k-- > from;) {
            x->out->work++;
            int32_t en = x->ent_of[k];
            if (en >= 0 && x->ent_first[en] == k && x->ents->items[en].type == NER_ORG &&
                entity_kind(x, en) == QS_INSTITUTION && cat(x, k, C_INST) &&
                !has(x, k, T_LPREP | T_DEF)) {
                memset(s, 0, sizeof *s);
                spk_from_entity(x, s, en, QS_IMPLICIT);
                s->resolved = 1;
                s->sa = s->sb = 0;
                s->gender = G_F;
                return;
            }
        }
    }
    if (e) {
        spk_as_implicit(s, &e->s);
        return;
    }
    memset(s, 0, sizeof *s);
    s->ent = -1;
    if (x->last_pers >= 0 && x->ent_first[x->last_pers] < at && g != G_P &&
        !fem_to_man(g, ent_name_gender(x, x->last_pers))) {
        spk_from_entity(x, s, x->last_pers, QS_IMPLICIT);
        s->resolved = 1;
        s->sa = s->sb = 0;
        s->gender = (uint8_t)g;
    }
}
