/*
 * quotes_content.c — where the reported words start and end (quotes.c,
 * pass 3): the content a cue governs (a complementiser, a colon, a quote
 * mark or an introducing word: find_content), the end of a reported clause
 * (clause_end: the next report, a contrast's main clause, a trailing
 * channel) and of a sentence. Moved out of quotes.c unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

/* ======================================================================
 * Content: where the reported words start and end
 * ==================================================================== */

int blocked(const QCtx *x, size_t j)
{
    if (j == 0)
        return 0;
    if (cat(x, j - 1, C_BLOCK))
        return 1;
    return j >= 2 && cat(x, j - 1, C_PREP) && cat(x, j - 2, C_BLOCK);
}

/* Does the quote opened at j open speech rather than a name or a title? */
static int opens_speech(const QCtx *x, size_t j, size_t from)
{
    size_t after = quote_after(x, j);
    if (after < x->n && (has(x, after, T_COLON | T_COMP) || is_opener(x, after)))
        return 0; /* part of the speaker's description */
    size_t words = 0;
    for (size_t k = j + 1; k < (size_t)x->qend[j] && words < 4; k++)
        words += is_word(x, k);
    if (words < 4) {
        /* a short quote with the reported clause still to come is a name:
           وقال "الكرملين" ردا على سؤال، إن ... */
        for (size_t k = after; k < after + QUOTE_WINDOW && k < x->n && !breaks_before(x, k); k++)
            if ((has(x, k, T_COMP | T_COLON) && !blocked(x, k)) || is_opener(x, k))
                return 0;
            else if (is_strong_cue(x, k))
                break;
    }
    if (j == from || has(x, j - 1, T_COMMA | T_COLON))
        return 1;
    /* a name after لـ or after a channel word (لـ«الحياة»، صحيفة «الحياة»);
       but a word of its own after ل (قال لمحادثه «...») or a definite noun
       (مقدم البرنامج «...») is the addressee or the speaker, not a name's head */
    if ((has(x, j - 1, T_LPREP) && x->tok[j - 1].key_len == 2) ||
        (cat(x, j - 1, C_CHANNEL | C_VENUE) && !has(x, j - 1, T_DEF)) || cat(x, j - 1, C_VIA) ||
        words < 4)
        return 0;
    return 1;
}

Content find_content(QCtx *x, size_t from, size_t limit)
{
    Content c = {CT_NONE, 0, from};
    size_t j = from;
    while (j < limit && j < x->n) {
        x->out->work++;
        if (j > from && breaks_before(x, j))
            break;
        const TInfo *t = &x->ti[j];
        if ((t->bits & T_COMP) && !blocked(x, j))
            return (Content){CT_COMP, j, j};
        if (t->bits & T_COLON)
            return (Content){CT_COLON, j, j};
        if (is_opener(x, j)) {
            if (opens_speech(x, j, from))
                return (Content){CT_QUOTE, j, j};
            j = quote_after(x, j);
            continue;
        }
        if ((t->cats & C_CUE) && (t->cue & F_INTRO) && !(t->cue & F_PART))
            return (Content){CT_INTRO, j, j}; /* بقوله، قوله */
        if (j > from && is_strong_cue(x, j))
            break;
        j++;
    }
    c.end = j;
    return c;
}

/* Does the sentence of token i open with a contrast (وفيما، بينما، في حين)
   before i? Its first clause ends at "، فإن". */
int contrast_clause(const QCtx *x, size_t i)
{
    static const char *const w[] = {"فيما", "بينما", "حين"};
    for (size_t k = x->sb[i]; k < i && k < x->sb[i] + 3; k++) {
        const char *b;
        size_t bn = bare(x, k, &b);
        for (size_t j = 0; j < sizeof w / sizeof w[0]; j++)
            if ((bn == strlen(w[j]) && memcmp(b, w[j], bn) == 0) ||
                (x->tok[k].key_len == strlen(w[j]) + 2 && memcmp(x->tok[k].key, "و", 2) == 0 &&
                 memcmp(x->tok[k].key + 2, w[j], strlen(w[j])) == 0))
                return 1;
    }
    return 0;
}

/* Is the word at i the last word of a person of two words or more named
   before it (خضر after الدكتور عبدالله خضر), untagged or tagged a person alone? */
static int surname_before(const QCtx *x, size_t i)
{
    int32_t own = x->ents ? x->ent_of[i] : -1;
    if (!x->ents || (own >= 0 && (x->ents->items[own].type != NER_PERS ||
                                  x->ent_first[own] != x->ent_last[own])))
        return 0;
    size_t seen = 0;
    for (size_t e = x->ents->n; e-- > 0 && seen < ROLE_LOOKBACK;) {
        if (x->ent_last[e] >= i)
            continue;
        seen++;
        if (x->ents->items[e].type == NER_PERS && x->ent_last[e] > x->ent_first[e] &&
            bare_eq(x, x->ent_last[e], i))
            return 1;
    }
    return 0;
}

/* Do person names joined by و start at k, right before a cue that is no
   everyday word (محمد بن مسفر حفيان وبخيت بن شوردي أوضحوا)? */
static int names_then_cue(const QCtx *x, size_t k)
{
    size_t j = k;
    int32_t e;
    while (j < x->n && j - k < 16 && (e = x->ent_of[j]) >= 0 && x->ent_first[e] == j &&
           x->ents->items[e].type == NER_PERS &&
           (j == k || memcmp(x->text + x->tok[j].start, "و", strlen("و")) == 0))
        j = x->ent_last[e] + 1;
    return j > k && j < x->n && !breaks_before(x, j) && is_strong_cue(x, j) &&
           !(x->ti[j].cue & F_PART);
}

/* End (exclusive) of the reported clause starting at from; a trailing channel goes to va, vb. */
size_t clause_end(QCtx *x, size_t from, uint32_t *va, uint32_t *vb)
{
    size_t k = from;
    while (k < x->n) {
        x->out->work++;
        if (k > from && breaks_before(x, k))
            break;
        if (is_opener(x, k) && (x->qst[k] & Q_CLOSED)) {
            size_t after = quote_after(x, k);
            if (after > k + 1 && after <= x->n) {
                k = after;
                continue;
            }
        }
        if (k > from && is_cue(x, k) &&
            (has(x, k - 1, T_COMMA | T_SEMI) || has(x, k, T_WAW) || (x->ti[k].cue & F_PART) ||
             keq(&x->tok[k - 1], "حيث")) && /* (...، حيث قال البرقان «...») */
            (!(x->ti[k].cue & F_AMBIG) || has(x, k + 1, T_COMP) ||
             (has(x, k + 2, T_COMP) && !breaks_before(x, k + 1) && surname_before(x, k + 1)))) {
            if (keq(&x->tok[k - 1], "حيث") && k - 1 > from)
                k--; /* (حيث is the next clause's) */
            break; /* (وبين خضر أن: the surname of a person named before) */
        }
        if (k > from && has(x, k - 1, T_COMMA) && names_then_cue(x, k))
            break; /* ...، محمد حفيان وبخيت شوردي أوضحوا أن: a new report */
        if (k > from && has(x, k, T_COMPW) && is_opener(x, k + 1) && (x->qst[k + 1] & Q_CLOSED) &&
            !(x->qst[k + 1] & Q_USED))
            break; /* ...، وإنه «...»: a second, marked report (emit_content) */
        if (k > from && has(x, k, T_COMPF) && has(x, k - 1, T_COMMA) && contrast_clause(x, from))
            break; /* وفيما يوضح X أن ...، فإن Y يؤيد: the main clause is another's */
        if (k > from && cat(x, k, C_VIA) && has(x, k - 1, T_COMMA)) {
            size_t v = via_phrase(x, k, x->n);
            if (*va == *vb && v > k) {
                *va = (uint32_t)k;
                *vb = (uint32_t)v;
            }
            break;
        }
        k++;
    }
    return k;
}

/* End (exclusive) of the sentence that starts at from. */
size_t sentence_end(QCtx *x, size_t from)
{
    size_t k = from;
    while (k < x->n && !(k > from && breaks_before(x, k))) {
        x->out->work++;
        k++;
    }
    return k;
}
