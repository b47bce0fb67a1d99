/*
 * quotes_names.c — speaker span repair after the scan (quotes.c, pass 5):
 * a speaker is shown and keyed by the fullest name the article gives that
 * person, even where the tagger cut or glued the mention.
 *
 * Main idea: collect the article's person names once (at most NAMES_MAX
 * distinct keys), each repaired on the token level:
 *   - a leading word that is a preposition with the article (بالهلال فهد:
 *     "at al-Hilal", then the name) is not part of a name;
 *   - a name the tagger cut before the family name is completed with the
 *     next word when the article names the person by that word alone after
 *     a cue (اندرياس | لوتش ... وقال لوتش → اندرياس لوتش).
 * Then every quote whose person speaker's key is the first or the last
 * words of exactly one fuller name takes that name and its key (لوتش →
 * اندرياس لوتش، دي ماريا → آنخيل دي ماريا); two fuller candidates (محمد
 * for محمد صلاح and محمد الشهري) leave the speaker as it is. Work is
 * linear: one pass over the entities, NAMES_MAX comparisons per quote.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

#define NAMES_MAX 64 /* distinct person names compared per article */

typedef struct FullName {
    uint32_t ns, ne;           /* bytes of the name as written, conjunction off */
    uint32_t key_off, key_len; /* names_key of those bytes, in QuoteList.keys */
} FullName;

/* Does the written word w (n bytes) begin with a preposition and the
   article (بالهلال، للنادي، كالعادة)? Such a word opens a phrase, never a
   name. */
static int prep_article_word(const char *w, size_t n)
{
    return n >= 10 && (memcmp(w, "بال", 6) == 0 || memcmp(w, "كال", 6) == 0 ||
                       memcmp(w, "لل", 4) == 0);
}

/* Where a name written at byte a begins once a conjunction the tagger
   left on it is dropped (وأسامة النجيفي), as name_start_conj. */
static uint32_t conj_off(const char *text, uint32_t a, uint32_t b)
{
    const char *w = text + a;
    if (b - a > 6 && memcmp(w, "و", 2) == 0 &&
        (memcmp(w + 2, "أ", 2) == 0 || memcmp(w + 2, "إ", 2) == 0 || memcmp(w + 2, "آ", 2) == 0 ||
         memcmp(w + 2, "ال", 4) == 0))
        return a + 2;
    return a;
}

/* A word after a cut name that may be its family name: an Arabic word
   outside any entity (or a one-word person mention of its own), with no
   conjunction, preposition, pronoun or cue on it. */
static int family_word(const QCtx *x, size_t i)
{
    if (i >= x->n || !is_word(x, i) || breaks_before(x, i) ||
        x->tok[i].type != RASD_TOK_ARABIC || x->tok[i - 1].end == x->tok[i].start)
        return 0;
    if (has(x, i, T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL | T_PRON | T_WAW | T_VERB) ||
        is_cue(x, i) || cat(x, i, C_ROLE | C_INST | C_ANON | C_CHANNEL | C_VIA | C_VENUE | C_ADV) ||
        time_word(x, i) || nationality_adj(x, i))
        return 0;
    if (x->tok[i].pre_len > 2 && !(has(x, i, T_DEF) && x->tok[i].pre_len == 4))
        return 0; /* (a splitter's ل in لوتش may be the name's own letter) */
    int32_t e = x->ent_of[i];
    return e < 0 || (x->ents->items[e].type == NER_PERS && x->ent_first[e] == i &&
                     x->ent_last[e] == i);
}

/* Is the word at token i, as written, a one-word person mention right
   after a cue elsewhere in the article (وقال لوتش; a leading و off)? */
static int surname_elsewhere(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    size_t tn = t->end - t->start;
    for (size_t e = 0; e < x->ents->n; e++) {
        x->out->work++;
        if (x->ents->items[e].type != NER_PERS || x->ent_first[e] != x->ent_last[e] ||
            x->ent_first[e] == i)
            continue;
        const rasd_token *m = &x->tok[x->ent_first[e]];
        const char *w = x->text + m->start;
        size_t n = m->end - m->start;
        if (n == tn + 2 && memcmp(w, "و", 2) == 0) {
            w += 2;
            n -= 2;
        }
        if (n == tn && memcmp(w, x->text + t->start, n) == 0 &&
            x->ent_first[e] > 0 && is_cue(x, x->ent_first[e] - 1))
            return 1; /* (after a cue: a tagger's one-word "person" ألبوم is no surname) */
    }
    return 0;
}

/* Does a name at token a begin with the word الله, the second half of a
   compound given name the tagger cut (ولي | الله سيف، عبد | الله)? A name
   never begins with it; the plain word before it is the first half. */
static int allah_cut(const QCtx *x, size_t a)
{
    const rasd_token *t = &x->tok[a];
    if (a == 0 || t->end - t->start != strlen("الله") ||
        memcmp(x->text + t->start, "الله", strlen("الله")) != 0 || breaks_before(x, a))
        return 0;
    size_t p = a - 1;
    return is_word(x, p) && x->ent_of[p] < 0 && x->tok[p].type == RASD_TOK_ARABIC &&
           x->tok[p].end < t->start && !has(x, p, T_DEF | T_PRON | T_PREPW | T_COMP | T_COMPF |
                                                       T_COMPW | T_REL | T_VERB) &&
           !is_cue(x, p) && !cat(x, p, C_ROLE | C_INST | C_ANON | C_CHANNEL | C_VIA | C_VENUE) &&
           !time_word(x, p);
}

/* Adds the name of tokens [a,b) to names unless its key is there. An
   entity's own span keeps the entity's key (ent >= 0). */
static void add_name(QCtx *x, FullName *names, size_t *nn, size_t a, size_t b, int32_t ent)
{
    Buf *k = &x->out->keys;
    size_t off = k->len;
    if (ent >= 0) {
        const Entity *e = &x->ents->items[ent];
        buf_append(k, x->ents->keys.data + e->key_off, e->key_len);
    } else {
        tokens_key(x, a, b, 1, k);
    }
    size_t len = k->len - off;
    if (!len || k->oom)
        return;
    for (size_t j = 0; j < *nn; j++)
        if (names[j].key_len == len && memcmp(k->data + names[j].key_off, k->data + off, len) == 0) {
            k->len = off; /* known: drop the copy */
            return;
        }
    if (*nn == NAMES_MAX) {
        k->len = off;
        return;
    }
    uint32_t ns = conj_off(x->text, x->tok[a].start, x->tok[a].end);
    names[(*nn)++] = (FullName){ns, x->tok[b - 1].end, (uint32_t)off, (uint32_t)len};
}

/* The article's person names, repaired (see the top of the file). */
static size_t collect_names(QCtx *x, FullName *names)
{
    size_t nn = 0;
    for (size_t k = 0; k < x->ents->n && nn < NAMES_MAX; k++) {
        x->out->work++;
        if (x->ents->items[k].type != NER_PERS)
            continue;
        size_t a = x->ent_first[k], b = x->ent_last[k] + 1, a0 = a;
        while (b - a > 1 && has(x, a, T_DEF) &&
               prep_article_word(x->text + x->tok[a].start, x->tok[a].end - x->tok[a].start))
            a++;
        if (b - a > 2 && glued_title(x, a))
            a++; /* وكيله رامي عباس */
        if (a == a0 && allah_cut(x, a))
            a--; /* ولي | الله سيف */
        /* a name that begins with a particle (دي ماريا، فان غال، دا سيلفا) is a
           family name: an untagged plain word right before it is the first
           name the tagger left out (الدولي آنخيل | دي ماريا) */
        static const char *const particle[] = {"دي", "دا", "دو", "ديل", "فان", "فون"};
        if (a == a0 && b - a >= 2 && a > 0 && x->sb[a] < a &&
            bare_in(x, a, particle, sizeof particle / sizeof particle[0]) &&
            is_word(x, a - 1) && x->ent_of[a - 1] < 0 && !has(x, a - 1, T_DEF) &&
            x->tok[a - 1].pre_len == 0 && !x->ti[a - 1].cats && name_word(x, a - 1, 1) &&
            !nationality_adj(x, a - 1) && !nisba_ending(x, a - 1) && !ends_ta_marbuta(x, a - 1))
            a--;
        /* a cut name: the next word is a surname used alone elsewhere, or
           the tagger's next one-word person mention, or (the tagger's span
           was shifted by a word: بالهلال فهد | المفرج) a family name in ال */
        if (b - a <= 2 && family_word(x, b) &&
            (surname_elsewhere(x, b) ||
             (a > a0 && b - a == 1 && has(x, b, T_DEF) && x->tok[b].pre_len == 4 &&
              name_word(x, b, 0) && !ends_ta_marbuta(x, b) && !nisba_ending(x, b))))
            b++;
        /* a first name the tagger split from its family name in أبو
           (عبدالوهاب | أبو زيد): the next person mention right after it
           (not a full name and a kunya: محمود عباس | أبو مازن) */
        static const char *const abu[] = {"ابو"};
        if (b - a == 1 && k + 1 < x->ents->n && x->ents->items[k + 1].type == NER_PERS &&
            x->ent_first[k + 1] == b && !breaks_before(x, b) && x->ent_last[k + 1] == b + 1 &&
            x->tok[b].pre_len == 0 && bare_in(x, b, abu, 1))
            b = x->ent_last[k + 1] + 1;
        int same = a == x->ent_first[k] && b == x->ent_last[k] + 1;
        add_name(x, names, &nn, a, b, same ? (int32_t)k : -1);
    }
    return nn;
}


/* Does key text k (n bytes) begin with a nasab word: بن، ابن، بنت، آل (keyed)? */
static int nasab_next(const char *k, size_t n)
{
    static const char *const w[] = {"بن", "ابن", "بنت", "ال", "ا"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        size_t l = strlen(w[i]);
        if (n > l && memcmp(k, w[i], l) == 0 && k[l] == ' ')
            return 1;
    }
    return 0;
}

/* Which of names the quote's speaker is: the one fuller name that begins
   or ends with its key, else (a leading prepositional word off its words:
   بالهلال فهد) the same name; -1 if none or more than one. */
static int64_t which_name(QCtx *x, const FullName *names, size_t nn, const Quote *q, Buf *tmp)
{
    const char *keys = x->out->keys.data;
    const char *w = keys + q->key_off;
    size_t wn = q->key_len;
    int trimmed = 0;
    size_t ta = token_ending_after(x->tok, x->n, q->spk_start), tb = ta;
    while (tb < x->n && x->tok[tb].start < q->spk_end)
        tb++;
    if (ta + 1 < tb && has(x, ta, T_DEF) &&
        prep_article_word(x->text + x->tok[ta].start, x->tok[ta].end - x->tok[ta].start)) {
        buf_reset(tmp);
        tokens_key(x, ta + 1, tb, 1, tmp);
        w = tmp->data;
        wn = tmp->len;
        trimmed = 1;
    }
    if (!wn)
        return -1;
    int64_t hit = -1, same = -1;
    for (size_t j = 0; j < nn; j++) {
        x->out->work++;
        const char *fk = keys + names[j].key_off;
        if (names[j].key_len == wn && memcmp(fk, w, wn) == 0) {
            same = (int64_t)j;
            continue;
        }
        if (!key_part(w, wn, fk, names[j].key_len))
            continue;
        /* a name of two words or more is extended at its end only by a
           nasab (عبدالله بن مساعد + بن عبدالعزيز، + آل نهيان): other words
           there are the tagger running on (ماجدة الرومي ألبوم) */
        if (memchr(w, ' ', wn) && memcmp(fk, w, wn) == 0 && fk[wn] == ' ' &&
            !nasab_next(fk + wn + 1, names[j].key_len - wn - 1))
            continue;
        if (hit != -1)
            return -1; /* two fuller names fit: leave it */
        hit = (int64_t)j;
    }
    return hit >= 0 ? hit : trimmed ? same : -1;
}

/* A family name said alone at the cue that no list or tagger resolved
   (وقال الزامل، يقول القحطاني): the earlier untagged "first name + that
   word" (نجيب الزامل، المذيع سلطان القحطاني), as [*na, *nb); 0 if none. */
static int surname_said_before(QCtx *x, size_t i, size_t *na, size_t *nb)
{
    const rasd_token *t = &x->tok[i];
    if (!has(x, i, T_DEF) || x->tok[i].pre_len != 4 || x->ti[i].cats || ends_ta_marbuta(x, i) ||
        nationality_adj(x, i))
        return 0;
    const char *w = x->text + t->start;
    size_t n = t->end - t->start;
    size_t from = i > NAME_LOOKBACK ? i - NAME_LOOKBACK : 1;
    for (size_t j = i; j-- > from;) {
        x->out->work++;
        const rasd_token *o = &x->tok[j];
        if (o->end - o->start != n || memcmp(x->text + o->start, w, n) != 0)
            continue;
        size_t f = j - 1;
        if (!is_word(x, f) || breaks_before(x, j) || has(x, f, T_DEF | T_PRON | T_PREPW) ||
            x->ti[f].cats || x->tok[f].pre_len || x->tok[f].type != RASD_TOK_ARABIC ||
            ends_ta_marbuta(x, f) || !name_word(x, f, 1))
            continue; /* (نجيب looks like a verb to the lexicon: no T_VERB test) */
        *na = f;
        *nb = j + 1;
        return 1;
    }
    return 0;
}

void complete_names(QCtx *x)
{
    if (!x->ents || !x->out->n)
        return;
    FullName names[NAMES_MAX];
    size_t nn = collect_names(x, names);
    QuoteList *l = x->out;
    Buf tmp = {0};
    for (size_t i = 0; i < l->n && !l->keys.oom; i++) {
        Quote *q = &l->items[i];
        if (q->kind == QS_INSTITUTION || q->kind == QS_ANONYMOUS || q->kind == QS_UNKNOWN ||
            q->spk_start >= q->spk_end)
            continue;
        size_t si = token_ending_after(x->tok, x->n, q->said_start), na, nb;
        if (q->kind == QS_ROLE && !q->resolved && si < x->n && x->tok[si].start == q->said_start &&
            x->tok[si].end == q->said_end &&
            surname_said_before(x, si, &na, &nb)) {
            Buf *k = &l->keys;
            q->key_off = (uint32_t)k->len;
            tokens_key(x, na, nb, 1, k);
            q->key_len = (uint32_t)(k->len - q->key_off);
            q->spk_start = x->tok[na].start;
            q->spk_end = x->tok[nb - 1].end;
            q->kind = QS_PERSON;
            q->resolved = 1;
        }
        if (q->kind == QS_ROLE && !q->resolved)
            continue;
        if (!q->key_len)
            continue;
        int64_t hit = which_name(x, names, nn, q, &tmp);
        if (hit < 0)
            continue;
        const FullName *f = &names[hit];
        quote_take_name(q, f->key_off, f->key_len, f->ns, f->ne);
    }
    buf_free(&tmp);
}
