/*
 * quotes_segment.c — reading the words between a cue and its content
 * (quotes.c, pass 3; read_segment): the speaker among them, the channel
 * and venue phrases, a title's holder named after it. The phrases it
 * reads are in quotes_phrases.c.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

/*
 * Is the word at k, right after a cue and right before the content, a
 * foreign name ending in ه that only looks like a noun with a pronoun
 * (وأكد رومينيغه: «...»، وصرح غوتزه)? It is when it carries no proclitic,
 * no list knows it, it is no honorific (سموه) and the article wrote the
 * same word before (كارل هاينز رومينيغه، إلى رومينيغه): a noun with a
 * pronoun (زوجته) names no one by itself. Looks back NAME_LOOKBACK tokens.
 */
static int foreign_name_in_h(QCtx *x, size_t k, size_t b)
{
    const rasd_token *t = &x->tok[k];
    if (!has(x, k, T_PRON) || t->pre_len != 0 || x->ti[k].cats || t->type != RASD_TOK_ARABIC ||
        has(x, k, T_PREPW | T_VERB) || (x->ti[k].more & M_PREPPRON) || honorific_pronoun(x, k))
        return 0;
    if (k + 1 < b && !has(x, k + 1, T_COMMA | T_COLON) && !is_opener(x, k + 1) &&
        !time_word(x, k + 1) && !cat(x, k + 1, C_ADV) && !has(x, k + 1, T_PREPW))
        return 0; /* (but وصرح غوتزه الثلاثاء، بعد ...: «...»، وقال غوتزه في) */
    const char *w = x->text + t->start;
    size_t n = t->end - t->start;
    if (n < 8) /* four letters at least */
        return 0;
    size_t from = k > NAME_LOOKBACK ? k - NAME_LOOKBACK : 0;
    for (size_t i = from; i < k; i++) {
        x->out->work++;
        const rasd_token *o = &x->tok[i];
        size_t on = o->end - o->start;
        const char *ow = x->text + o->start;
        if (on == n + 2 && (memcmp(ow, "ل", 2) == 0 || memcmp(ow, "و", 2) == 0))
            ow += 2, on -= 2;
        if (on == n && memcmp(ow, w, n) == 0)
            return 1;
    }
    return 0;
}

/*
 * A title's complement the tagger took for a person, then the holder
 * (مدرب توتنهام هوتسبير السابق هاري ريدناب): the person right after
 * person entity pe (past at most two definite adjectives, before b), else pe;
 * k is the title word.
 */
static int32_t holder_after(const QCtx *x, size_t k, int32_t pe, size_t b)
{
    /* (only when the complement is a proper name right after the title
       word k: not وزير الخارجية التركي مولود | جاوش اوغلو, one name the
       tagger split) */
    for (size_t t = k + 1; t < x->ent_first[pe]; t++)
        if (x->ent_of[t] < 0)
            return pe;
    size_t m = x->ent_last[pe] + 1;
    while (m < b && m - x->ent_last[pe] <= 2 && is_word(x, m) && has(x, m, T_DEF) &&
           x->tok[m].pre_len == 4 && x->ent_of[m] < 0 && !x->ti[m].cats)
        m++;
    if (m < b && x->ent_of[m] >= 0 && x->ent_first[x->ent_of[m]] == m &&
        x->ents->items[x->ent_of[m]].type == NER_PERS && x->ent_last[x->ent_of[m]] < b &&
        !named_after(x, x->ent_of[m]))
        return x->ent_of[m];
    return pe;
}

/*
 * Reads the words between a cue and its content [a,b): the first named
 * entity or noun phrase is the speaker; channel and venue phrases are
 * the via (the first one, extended by the ones right after it).
 * Returns 1 if a speaker was found; *stray (if not NULL) counts the words
 * that are none of these (a long tail of them means the complementiser
 * found belongs to another clause).
 */
int read_segment(QCtx *x, size_t a, size_t b, int gender, Spk *s, uint32_t *va,
                        uint32_t *vb, size_t *stray)
{
    size_t strays = 0;
    int state = 0; /* 0: looking for the subject; 1: found; 2: none (something else came first) */
    size_t k = a;
    while (k < b) {
        x->out->work++;
        if (!is_word(x, k)) {
            if (is_opener(x, k) && quote_after(x, k) > k + 1) {
                size_t qe = (size_t)x->qend[k];
                size_t qa = quote_after(x, k);
                if (state == 0 && qe > k + 1 && qe - (k + 1) <= 4 && is_word(x, k + 1) &&
                    qa < b && speaker_head(x, qa) && !has(x, qa, T_LPREP)) {
                    /* أبلغ "الاقتصادية" مسؤول في وزارة العدل: the quoted
                       paper before the speaker is the one spoken to */
                    if (*va == *vb) {
                        *va = (uint32_t)k;
                        *vb = (uint32_t)qa;
                    }
                    k = qa;
                    continue;
                }
                if (state == 0 && qe > k + 1 && qe - (k + 1) <= 4 && is_word(x, k + 1) &&
                    !has(x, k - 1, T_LPREP) && !cat(x, k - 1, C_CHANNEL)) {
                    /* وقال "الكرملين" ...: the speaker's name in quotes */
                    int32_t en = x->ent_of[k + 1];
                    if (en >= 0 && entity_kind(x, en) != QS_UNKNOWN)
                        spk_from_np(x, s, k + 1, x->ent_last[en] + 1, gender);
                    else
                        spk_from_np(x, s, k + 1, qe, gender);
                    state = 1;
                }
                k = quote_after(x, k); /* a name in quotes inside the segment */
                continue;
            }
            k++;
            continue;
        }
        size_t v = via_phrase(x, k, b);
        if (v > k) {
            if (*va == *vb) {
                *va = (uint32_t)k;
                *vb = (uint32_t)v;
            } else if (*vb == k) {
                *vb = (uint32_t)v;
            }
            k = v;
            continue;
        }
        if (state == 0 && k > a && keq(&x->tok[k - 1], "(")) {
            /* وأبلغت (عكاظ) مصادر مطلعة: a bracketed name before another
               speaker is the one spoken to */
            size_t cl = k;
            while (cl < b && cl - k < 5 && is_word(x, cl))
                cl++;
            if (cl < b && keq(&x->tok[cl], ")") && cl + 1 < b && speaker_head(x, cl + 1)) {
                if (*va == *vb) {
                    *va = (uint32_t)k - 1;
                    *vb = (uint32_t)cl + 1;
                }
                k = cl + 1;
                continue;
            }
        }
        if (k >= a + 2 && !is_word(x, k - 1) && !is_opener(x, k - 1) && has(x, k - 2, T_LPREP) &&
            x->tok[k - 2].key_len == 2) {
            /* لـ(عكاظ): the paper spoken to is a channel, never the speaker */
            int32_t oe = x->ent_of[k];
            size_t e2 = oe >= 0 ? x->ent_last[oe] + 1 : np_extent(x, k, b);
            if (e2 > b)
                e2 = b;
            if (e2 < b && !is_word(x, e2) && !is_opener(x, e2) && !has(x, e2, T_COMMA | T_COLON))
                e2++; /* the closing bracket */
            if (*va == *vb || *vb == k - 1 || *vb == k - 2) {
                if (*va == *vb)
                    *va = (uint32_t)k - 2;
                *vb = (uint32_t)e2;
            }
            k = e2;
            continue;
        }
        if (state || cat(x, k, C_ADV)) {
            /* names and titles in apposition are not strays (علي، المقدم) */
            strays += state && !cat(x, k, C_ADV | C_PREP | C_ROLE) && x->ent_of[k] < 0 &&
                      x->role_of[k] < 0; /* nor the words of a role the roles module found */
            k++;
            continue;
        }
        int32_t en = x->ent_of[k];
        if (has(x, k, T_LPREP) && en < 0) {
            k = np_extent(x, k, b); /* ل + addressee: للصحفيين الأجانب */
            continue;
        }
        /* Arabic puts the subject right after the verb: a preposition, a
           pronoun-bearing word (سماحته) or a conjunction there means the
           verb has no subject of its own (a name can look like a verb: نيل) */
        if (has(x, k, T_PREPW) && (x->ti[k].more & M_PREPPRON) && state == 0 && k == a) {
            k++; /* أكدت فيه الجهات الأمنية: a resumptive pronoun before the subject */
            continue;
        }
        /* فان غال: after the cue and before the content, ف + ان cannot be فإن
           (the content is further on), so it starts a name the tagger missed */
        int fan = has(x, k, T_COMPF) && state == 0 && k == a && is_word(x, k + 1) && k + 1 < b &&
                  !(x->tok[k + 1].flags & RASD_TF_STOP) && !x->ti[k + 1].cats &&
                  !has(x, k + 1, T_PREPW | T_COMP | T_COMPF | T_COMPW | T_WAW | T_REL);
        if (state == 0 && k == a && (en < 0 || entity_kind(x, en) == QS_UNKNOWN) &&
            foreign_name_in_h(x, k, b)) {
            spk_from_np(x, s, k, k + 1, gender); /* وأكد رومينيغه: «...» */
            state = 1;
            k++;
            continue;
        }
        /* قال كل من X وY وZ: "each of" a list of names, who all speak */
        if (state == 0 && k == a && k + 3 < b && keq(&x->tok[k], "كل") && keq(&x->tok[k + 1], "من")) {
            size_t j = k + 2, pers = 0;
            while (j < b && j - k < 2 + 3 * 4 && is_word(x, j)) {
                int32_t pe = x->ent_of[j];
                if (pe >= 0 && x->ent_first[pe] == j && x->ents->items[pe].type == NER_PERS) {
                    pers++;
                    j = x->ent_last[pe] + 1;
                } else if (name_word(x, j, 0) || (pe >= 0 && x->ents->items[pe].type == NER_MISC &&
                                                  !has(x, j, T_WAW))) {
                    j++;
                } else {
                    break;
                }
            }
            if (pers >= 2 && (j == b || !is_word(x, j) || has(x, j, T_COMP))) {
                memset(s, 0, sizeof *s);
                s->ent = -1;
                s->kind = QS_PERSON;
                s->gender = G_P;
                s->sa = (uint32_t)k + 2;
                s->sb = (uint32_t)j;
                spk_key(x, s, k + 2, j);
                spk_name(x, s);
                state = 1;
                k = j;
                continue;
            }
        }
        /* أحدهم، أحد المسؤولين: one of a group, unnamed */
        static const char *const one_of[] = {"احد", "احدي"};
        if (state == 0 && x->tok[k].pre_len == 0 && bare_in(x, k, one_of, 2) &&
            (has(x, k, T_PRON) || (k + 1 < b && has(x, k + 1, T_DEF) && is_word(x, k + 1)))) {
            size_t e1 = has(x, k, T_PRON) ? k + 1 : np_extent(x, k, b);
            spk_from_np(x, s, k, e1, gender);
            s->kind = QS_ANONYMOUS;
            s->ent = -1;
            state = 1;
            k = e1;
            continue;
        }
        /* واعتبر علي النزلي رئيس النادي أن: علي written with ي and followed by
           a name word and a title or the content is the name, not على */
        if (state == 0 && k == a && en < 0 && x->tok[k].end - x->tok[k].start == 6 &&
            memcmp(x->text + x->tok[k].start, "علي", 6) == 0 && k + 2 < b &&
            name_word(x, k + 1, 0) && has(x, k + 1, T_DEF) && x->tok[k + 1].pre_len == 4 &&
            (cat(x, k + 2, C_ROLE) || has(x, k + 2, T_COMMA | T_COMP))) {
            spk_from_name(x, s, k, k + 2, gender);
            state = 1;
            k += 2;
            continue;
        }
        /* زعيمهم عبد الملك الحوثي، رئيسها فلان: a title with a pronoun, then
           the name: the name speaks */
        if (state == 0 && has(x, k, T_PRON) && cat(x, k, C_ROLE) && !has(x, k, T_PREPW) &&
            x->tok[k].pre_len == 0 && k + 1 < b && x->ent_of[k + 1] >= 0 &&
            x->ent_first[x->ent_of[k + 1]] == k + 1 &&
            entity_kind(x, x->ent_of[k + 1]) == QS_PERSON) {
            int32_t pe = x->ent_of[k + 1];
            spk_from_np(x, s, k + 1, x->ent_last[pe] + 1, gender);
            state = 1;
            k = x->ent_last[pe] + 1;
            continue;
        }
        /* (a tagged name ending in ه is no noun with a pronoun: غوتزه) */
        uint16_t pron = en >= 0 && entity_kind(x, en) == QS_PERSON && x->tok[k].pre_len == 0
                            ? 0 : T_PRON;
        if (!fan && (has(x, k, T_PREPW | pron | T_COMP | T_COMPF | T_COMPW | T_WAW | T_REL) ||
                     is_cue(x, k) || x->tok[k].type == RASD_TOK_NUMBER ||
                     ((x->tok[k].flags & RASD_TF_STOP) && !x->ti[k].cats && en < 0))) {
            state = 2;
            k++;
            continue;
        }
        if (en >= 0 && entity_kind(x, en) != QS_UNKNOWN) {
            spk_from_np(x, s, k, x->ent_last[en] + 1, gender);
            state = 1;
            k = x->ent_last[en] + 1;
            continue;
        }
        if (gender == G_F && cat(x, k, C_ROLE) && !ends_ta_marbuta(x, k)) {
            /* (but a woman's listed name after the title makes it hers:
               وأكدت نائب الأمين العام هناء الزهير أن) */
            size_t na, nb;
            if (state == 0 && name_after_title(x, k, np_extent(x, k, b), b, &na, &nb) &&
                name_gender(x, na, nb) == G_F) {
                spk_from_name(x, s, na, nb, gender);
                state = 1;
                k = nb;
                continue;
            }
            state = 2; /* واتهمت وزير الدفاع: a masculine title after a feminine verb is its object */
            k++;
            continue;
        }
        if (gender == G_M && !x->ti[k].cats && !has(x, k, T_DEF) && ends_ta_marbuta(x, k) &&
            x->tok[k].type == RASD_TOK_ARABIC) {
            state = 2; /* وأكد أهمية أن: a bare word in ة after a masculine verb is its object */
            k++;
            continue;
        }
        size_t e = np_extent(x, k, b);
        if (e == k + 1 && is_opener(x, e) && cat(x, k, C_INST | C_CHANNEL) && !has(x, k, T_DEF) &&
            quote_after(x, e) <= b)
            e = mention_end(x, k) < b ? mention_end(x, k) : b; /* صحيفة «الغد» الأردنية */
        if (e == k + 1 && e < b && keq(&x->tok[e], "(") && cat(x, k, C_INST | C_CHANNEL) &&
            !has(x, k, T_DEF)) {
            /* دورية (ساينس) الطبية: the name in brackets, then its adjectives */
            size_t cl = e + 1;
            while (cl < b && cl - e <= 4 && is_word(x, cl))
                cl++;
            if (cl > e + 1 && cl < b && keq(&x->tok[cl], ")")) {
                e = cl + 1;
                while (e < b && e - k < NP_MAX && nationality_adj(x, e))
                    e++;
            }
        }
        while (e > k + 1 && has(x, e - 1, T_PREPW) && !(x->ti[e - 1].more & M_PREPPRON))
            e--; /* (but عدد منهم stays whole) */
        /* a title before a name: the name is the speaker (وزير الخارجية جون
           كيري، مفتي عام المملكة رئيس هيئة كبار العلماء الشيخ عبدالعزيز) */
        int32_t pe = -1;
        /* (not after unnamed sources in the plural: a name cannot stand for
           مراجع عراقية عليا، مصادر مطلعة) */
        static const char *const plur[] = {"مصادر", "مراجع", "اوساط", "جهات", "شهود", "خبراء"};
        size_t j0 = cat(x, k, C_ANON) && !has(x, k, T_DEF) &&
                            (sound_plural(x, k) || bare_in(x, k, plur, sizeof plur / sizeof plur[0]))
                        ? b
                        : e;
        /* the holder the roles module attached to this title, right after
           it (مدرب باريس سان جرمان لوران بلان: not the club the tagger took
           for a person) */
        if (x->role_of[k] >= 0 && x->ents) {
            const Role *ro = &x->ents->roles.items[x->role_of[k]];
            if (ro->first <= k && ro->entity >= 0 && (size_t)ro->entity < x->ents->n &&
                x->ents->items[ro->entity].type == NER_PERS &&
                x->ent_first[ro->entity] == (size_t)ro->last + 1 && x->ent_last[ro->entity] < b &&
                !named_after(x, ro->entity))
                pe = cat(x, k, C_ROLE) && !has(x, k, T_DEF) ? holder_after(x, k, ro->entity, b)
                                                             : ro->entity;
        }
        /* (through up to two commas after a title: رئيس النادي، بطل الدوري
           في المواسم الأخيرة، كارل رومينيغه — the name right after a comma) */
        int commas = 0, role_seen = 0;
        size_t named_end = 0; /* end of an institution named after a person */
        int inst_head = cat(x, k, C_INST) && !cat(x, k, C_ROLE | C_ANON);
        for (size_t j = j0; j < b && j < k + (commas ? 3 : 2) * NP_MAX && pe < 0; j++) {
            x->out->work++;
            if (has(x, j, T_COMMA) && cat(x, k, C_ROLE) && !has(x, k, T_LPREP) && commas < 2 &&
                (x->role_of[k] < 0 || x->ents->roles.items[x->role_of[k]].entity < 0)) {
                /* (a title the roles module linked keeps its holder) */
                commas++;
                continue;
            }
            if (is_opener(x, j) && quote_after(x, j) <= b && quote_after(x, j) - j <= NP_MAX) {
                /* a name in quotes after the title (مدير الكرة «فهد المفرج») is
                   the speaker; other quoted words are the title's (عضو تكتله
                   «التغيير والإصلاح» النائب آلان عون) */
                for (size_t m = j + 1; m < (size_t)x->qend[j] && pe < 0; m++)
                    if (x->ent_of[m] >= 0 && x->ents->items[x->ent_of[m]].type == NER_PERS)
                        pe = x->ent_of[m];
                j = quote_after(x, j) - 1;
                continue;
            }
            if (keq(&x->tok[j], "(") && j - e <= 2 && !commas && cat(x, k, C_ROLE)) {
                /* the title's body in brackets (مدير مكتب (الحملة الوطنية
                   ...) في لبنان وليد الجلال): the name may follow it */
                size_t cl = j + 1;
                while (cl < b && cl - j <= 12 && is_word(x, cl))
                    cl++;
                if (cl > j + 1 && cl < b && keq(&x->tok[cl], ")")) {
                    j = cl;
                    continue;
                }
            }
            if (!is_word(x, j) && !keq(&x->tok[j], "-") &&
                !(keq(&x->tok[j], ".") && !has(x, j, T_SENT)))
                break; /* but through "-" and the dot of م. عادل */
            /* (not at a verb-like word: place and people names look like
               verbs to the lexicon — بغرفة نجران عبدالله الصقري) */
            if (has(x, j, T_COMP | T_COMPF | T_REL) || is_cue(x, j))
                break;
            size_t vend = via_phrase(x, j, b);
            if (vend > j) {
                /* a title's body after it (or after its adjectives) that
                   reads like an outlet spoken to: the name may follow it
                   (الأمين العام لـ«أوبك» عبد الله البدري، المتحدث الرسمي
                   للهلال الأحمر بالمنطقة، عبدالله المريبض); an outlet with
                   no name after it stays the channel (the scan finds none) */
                if (j - e <= 2 && !commas && cat(x, k, C_ROLE) && has(x, j, T_LPREP) && vend < b) {
                    j = vend - 1;
                    continue;
                }
                break;
            }
            role_seen |= j >= e && (cat(x, j, C_ROLE) || has(x, j, T_WAW));
            if (x->ent_of[j] >= 0 && x->ents->items[x->ent_of[j]].type == NER_PERS &&
                !named_after(x, x->ent_of[j])) {
                /* an institution, then a name with no title of its own before
                   it: the body is named after the person (مجموعة الدكتور
                   سليمان الحبيب الطبية), the body speaks */
                if (inst_head && !role_seen) {
                    if (j - e <= 3 && !commas) {
                        /* the name is part of the body's name: take it and
                           its adjectives (موقع فورزا إيطاليان فوتبول) */
                        named_end = x->ent_last[x->ent_of[j]] + 1;
                        while (named_end < b && named_end - k < 2 * NP_MAX &&
                               (nationality_adj(x, named_end) || nisba_ending(x, named_end)) &&
                               has(x, named_end, T_DEF) && x->ent_of[named_end] < 0)
                            named_end++;
                    }
                    break;
                }
                size_t t = j;
                while (t > j0 + 1 && j - t < 2 && is_word(x, t - 1) && x->ent_of[t - 1] < 0 &&
                       has(x, t - 1, T_DEF) && x->tok[t - 1].pre_len == 4)
                    t--; /* (، الرائد يحيى القحطاني،: a title word before the name) */
                /* (a first name the tagger left out may stand between the
                   comma and the name: النائب العام لمدينة ديار بكر، رمضان
                   صولماز، أن) */
                if (commas && !has(x, t - 1, T_COMMA) &&
                    !(t == j && t >= 2 && has(x, t - 2, T_COMMA) && is_word(x, t - 1) &&
                      x->ent_of[t - 1] < 0 && x->tok[t - 1].pre_len == 0 &&
                      !has(x, t - 1, T_DEF | T_PRON | T_VERB | T_PREPW) && !x->ti[t - 1].cats &&
                      x->tok[t - 1].type == RASD_TOK_ARABIC))
                    break; /* a name inside the apposition is someone else */
                pe = x->ent_of[j]; /* (not جامعة الملك عبدالعزيز ... الدكتور فلان) */
                if (j == e && cat(x, k, C_ROLE) && !has(x, k, T_DEF))
                    pe = holder_after(x, k, pe, b);
            }
        }
        if (named_end) {
            spk_from_np(x, s, k, named_end, gender);
            state = 1;
            k = named_end;
            continue;
        }
        if (pe >= 0) {
            spk_from_np(x, s, x->ent_first[pe], x->ent_last[pe] + 1, gender);
            state = 1;
            k = x->ent_last[pe] + 1;
            continue;
        }
        /* a listed given name inside the title's phrase, the rest of it name
           words: the name the tagger missed (المسؤولة المحلية آنا كانيدا أن) */
        size_t gn = cat(x, k, C_ROLE) && e >= k + 3 ? given_name_in(x, k + 1, e) : 0;
        if (gn) {
            spk_from_name(x, s, gn, e, gender);
            state = 1;
            k = e;
            continue;
        }
        /* a title, then words the tagger did not take for a name (خبير الطب
           النفسي نعيم العراقي أن): the words are the speaker's name */
        size_t na, nb;
        /* (also after a definite noun no list knows: المدرب، المهندس) */
        if ((cat(x, k, C_ROLE) || (cat(x, k, C_ANON) && has(x, k, T_DEF)) ||
             (has(x, k, T_DEF) && !x->ti[k].cats && x->ent_of[k] < 0 && !nisba_ending(x, k))) &&
            name_after_title(x, k, e, b, &na, &nb)) {
            spk_from_name(x, s, na, nb, gender); /* also المواطن منيع الحارثي */
            state = 1;
            k = nb;
            continue;
        }
        /* مذكرة بحثية صادرة عن مجموعة «سيتي بنك»: a paper speaks for its issuer */
        const char *bw;
        size_t bn = e > k + 1 && e + 1 < b ? bare(x, e - 1, &bw) : 0;
        if (bn == 8 && memcmp(bw, "\xD8\xB5\xD8\xA7\xD8\xAF\xD8\xB1", 8) == 0 && /* صادر */
            keq(&x->tok[e], "\xD8\xB9\xD9\x86") && speaker_head(x, e + 1)) {
            size_t h = e + 1, he = np_extent(x, h, b);
            int32_t he_ent = x->ent_of[h];
            if (he_ent >= 0)
                he = x->ent_last[he_ent] + 1;
            else if (he == h + 1 && is_opener(x, he) && quote_after(x, he) < b)
                he = mention_end(x, h) < b ? mention_end(x, h) : b;
            spk_from_np(x, s, h, he, gender);
            state = 1;
            k = he;
            continue;
        }
        spk_from_np(x, s, k, e, gender);
        state = 1;
        k = e;
    }
    if (stray)
        *stray = strays;
    return state == 1;
}
