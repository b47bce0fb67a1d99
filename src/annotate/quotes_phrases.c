/*
 * quotes_phrases.c — the phrases between a cue and its content (quotes.c,
 * pass 3): channels and venues (لوكالة رويترز، في مؤتمر صحفي), speaker noun
 * phrases and where they end, untagged names after titles. Reading the
 * words between a cue and its content is in quotes_segment.c; subjects
 * written before the cue and a sentence's own subject are in
 * quotes_subjects.c.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

/* ======================================================================
 * Phrases: channels, venues, speakers
 * ==================================================================== */

/* Is token i part of a nationality adjective (الكويتية، الروسي)? */
int nationality_adj(const QCtx *x, size_t i)
{
    int32_t en = x->ent_of[i];
    if (en < 0 || x->ents->items[en].type != NER_MISC || !x->ents->keys.data)
        return 0;
    const Entity *e = &x->ents->items[en];
    return e->key_len >= 4 && memcmp(x->ents->keys.data + e->key_off, "adj:", 4) == 0;
}

/* If a channel or venue phrase starts at k (before limit), the token after it; else k. */
size_t via_phrase(QCtx *x, size_t k, size_t limit)
{
    if (k >= limit || !is_word(x, k))
        return k;
    const TInfo *t = &x->ti[k];
    int starts = 0;
    if (t->cats & C_VIA)
        starts = 1; /* بحسب، وفقا، نقلا ... */
    else if ((t->bits & T_LPREP) && (t->cats & C_CHANNEL))
        starts = 1; /* لوكالة، لصحيفة */
    else if ((t->bits & T_LPREP) && k + 1 < limit &&
             (has(x, k + 1, T_QMARK) || (x->tok[k + 1].type == RASD_TOK_LATIN) ||
              cat(x, k + 1, C_CHANNEL)) && x->tok[k].key_len == 2)
        starts = 1; /* لـ«الحياة»، لـ CNN */
    else if ((t->bits & T_LPREP) && !(t->cats & C_INST) && x->ent_of[k] >= 0 &&
             x->ent_first[x->ent_of[k]] == k && x->ents->items[x->ent_of[k]].type == NER_ORG)
        starts = 1; /* لرويترز: an organisation spoken to is an outlet (not لوزارة) */
    else if ((t->cats & C_VPREP) && k + 1 < limit && cat(x, k + 1, C_VENUE))
        starts = 1; /* في مؤتمر صحفي، عبر البريد */
    else if ((t->cats & C_VENUE) && x->tok[k].pre_len == 2 &&
             memcmp(x->tok[k].key, AR_BA, 2) == 0)
        starts = 1; /* ببيان */
    if (!starts)
        return k;
    size_t j = k + 1;
    while (j < limit && j - k < NP_MAX) {
        x->out->work++;
        if (j == k + 1 && has(x, j, T_QMARK) && !is_opener(x, j) && x->tok[k].key_len == 2) {
            /* لـ”الوئام”: marks the pairing could not read as a pair */
            size_t m = j + 1;
            while (m < limit && m - j <= 4 && is_word(x, m))
                m++;
            j = m < limit && has(x, m, T_QMARK) ? m + 1 : m;
            break;
        }
        if (has(x, j, T_QMARK) && is_opener(x, j) && (j == k + 1 || has(x, j - 1, T_LPREP))) {
            size_t after = quote_after(x, j); /* a quoted outlet name ends the phrase */
            if (after <= limit && after - j <= NP_MAX) {
                j = after;
                while (j < limit && j - k < 2 * NP_MAX && nationality_adj(x, j))
                    j++; /* ... with its nationality: لصحيفة «ديلي تليجراف» البريطانية */
            }
            break;
        }
        if (keq(&x->tok[j], ".") && !has(x, j, T_SENT) && is_word(x, j + 1)) {
            j++; /* بي.بي.سي */
            continue;
        }
        /* (a word the tagger took for a place or a body is no verb: أهالي سياتل) */
        if (!is_word(x, j) || has(x, j, T_COMP | T_COMPF | T_COMPW | T_REL) ||
            (has(x, j, T_VERB) && x->ent_of[j] < 0) ||
            is_strong_cue(x, j) || cat(x, j, C_ADV))
            break;
        if (x->ent_of[j] >= 0 && x->ent_first[x->ent_of[j]] == j &&
            x->ents->items[x->ent_of[j]].type == NER_PERS && !has(x, j, T_LPREP) &&
            !(j > k && has(x, j - 1, T_PREPW)))
            break; /* the speaker's name after the channel: لـ"الاقتصادية" جمال الشمايلة */
        j++;
    }
    return j;
}

/*
 * End of the speaker noun phrase headed at h: adjectives, annexed nouns
 * and names; "في / من + noun" and "ل + noun" only after a role, institution
 * or anonymous head (مسؤول في الوزارة، المتحدث الأمني لوزارة الداخلية).
 */
/* Does token i, as written, end like a nisba adjective: ي or ية (اقتصادي، أمنية)? */
int nisba_ending(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    if (t->end - t->start < 6 || t->type != RASD_TOK_ARABIC)
        return 0;
    const char *e = x->text + t->end;
    return memcmp(e - 2, "\xD9\x8A", 2) == 0 || memcmp(e - 4, "\xD9\x8A\xD8\xA9", 4) == 0;
}

/* Does token i, as written, end in the sound plural ون / ين (اقتصاديون)? */
int sound_plural(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    if (t->end - t->start < 8 || t->suf_len)
        return 0;
    const char *e = x->text + t->end - 4;
    return memcmp(e, AR_WAW AR_NUN, 4) == 0 || memcmp(e, "\xD9\x8A" AR_NUN, 4) == 0;
}

/* Is word j, read as the future سـ on an imperfect verb, rather a name that
   the indefinite construct head h annexes (أهالي سياتل، سكان سيدني)? A
   plural in construct written with its final ي (أهالي، مواطني، ممثلي) is
   followed by the noun it annexes, never by a verb. */
static int annexed_future(const QCtx *x, size_t h, size_t j)
{
    const rasd_token *t = &x->tok[j], *ht = &x->tok[h];
    return j == h + 1 && t->pre_len == 2 && t->key_len > 2 && memcmp(t->key, "\xD8\xB3", 2) == 0 &&
           !t->suf_len && !has(x, h, T_DEF | T_PRON) && ht->end - ht->start >= 8 &&
           memcmp(x->text + ht->end - 2, "\xD9\x8A", 2) == 0 && cat(x, h, C_ANON | C_INST | C_ROLE);
}

size_t np_extent(QCtx *x, size_t h, size_t limit)
{
    int complements = cat(x, h, C_ROLE | C_INST | C_ANON);
    int def = has(x, h, T_DEF) != 0; /* a definite word seen in the phrase */
    int nisba = 0;                   /* an indefinite nisba adjective seen (اقتصادي) */
    size_t j = h + 1;
    while (j < limit && j - h < NP_MAX) {
        x->out->work++;
        /* after an indefinite nisba, another bare indefinite word that is no
           nisba is no part of the phrase: تقرير اقتصادي حديث | ارتفاع ... */
        int nis = is_word(x, j) && !has(x, j, T_DEF) && x->tok[j].pre_len == 0 && nisba_ending(x, j);
        if (nisba && !nis && is_word(x, j) && !has(x, j, T_DEF | T_PREPW) && x->tok[j].pre_len == 0 &&
            x->ent_of[j] < 0 && !x->ti[j].cats && x->tok[j].type == RASD_TOK_ARABIC)
            break;
        nisba |= nis;
        /* after a definite word, a bare indefinite one is no adjective of
           it (adjectives agree in definiteness): a verb, an object or an
           untagged name begins (نادي الاتحاد رفض، اللجنة عمل، المدير محمد) */
        if (def && is_word(x, j) && !has(x, j, T_DEF) && x->tok[j].pre_len == 0 &&
            x->ent_of[j] < 0 && !x->ti[j].cats && x->tok[j].type == RASD_TOK_ARABIC &&
            !has(x, j, T_PREPW) && !(x->tok[j].flags & RASD_TF_STOP) &&
            !keq(&x->tok[j], "\xD8\xA8\xD8\xA7\xD8\xB3\xD9\x85") && /* باسم */
            !keq(&x->tok[j], "\xD8\xB4\xD8\xA8\xD9\x87"))                /* شبه العسكرية */
            break;
        /* a definite word after an indefinite sound plural (خبراء اقتصاديون
           الخطة، مسؤولين الحكومة): the plural's ن shows it annexes nothing,
           and an adjective would be indefinite, so a new phrase begins */
        if (!def && j > h && has(x, j, T_DEF) && !has(x, j - 1, T_DEF) && x->tok[j].pre_len <= 4 &&
            x->ent_of[j] < 0 && sound_plural(x, j - 1))
            break;
        /* a preposition (في، بـ) opens a phrase of its own: مسؤول في حملة قباء */
        def = has(x, j, T_DEF) || (def && !has(x, j, T_PREPW) &&
                                   !(x->tok[j].pre_len && !has(x, j, T_DEF)));
        if (!is_word(x, j) || has(x, j, T_COMP | T_COMPF | T_COMPW | T_REL) ||
            (has(x, j, T_VERB) && !annexed_future(x, h, j)) || is_strong_cue(x, j) ||
            cat(x, j, C_ADV) || via_phrase(x, j, limit) > j)
            break;
        /* a verb of publishing after a paper or a study opens a relative
           clause without الذي: دراسة (حديثة) | نشرت في دورية ...; with an
           object pronoun its subject, the publisher, follows and stays in
           the phrase (تقرير أصدرته رابطة طاقة الرياح الأوروبية) */
        static const char *const published[] = {"نشرت", "نشر", "صدرت", "صدر", "اعدت", "اعد",
                                                "اجرت", "اجري", "اصدرت", "اصدر"};
        if (!has(x, j, T_DEF | T_PRON) && x->tok[j].pre_len == 0 && x->ent_of[j] < 0 &&
            bare_in(x, j, published, sizeof published / sizeof published[0]))
            break;
        if (x->ent_of[j] >= 0 && x->ent_first[x->ent_of[j]] == j &&
            x->ents->items[x->ent_of[j]].type == NER_PERS && !named_after(x, x->ent_of[j]))
            break; /* a name after a title: the caller takes the name */
        if (j == h + 1 && is_word(x, j) && x->tok[j].key_len > 4 && x->tok[j].key_len <= 8 &&
            memcmp(x->tok[j].key, "من", 4) == 0 && has(x, j, T_PRON | T_PREPW)) {
            static const char *const some[] = {"عدد", "بعض", "احد", "احدي", "كثير"};
            if (bare_in(x, h, some, sizeof some / sizeof some[0])) {
                j++; /* عدد منهم، بعضهم: "some of them" is the whole speaker */
                break;
            }
        }
        if (has(x, j, T_PREPW)) {
            /* لدى right after a title completes it (محللة لدى باركليز), and so
               do على / عن after the nouns that govern them (المشرف على
               الفعالية، المسؤول عن الملف; not اللاعب على الفوز), when a
               definite noun or a name follows (not أكد على ضرورة / أن) */
            const char *hb;
            size_t hn = bare(x, h, &hb);
            int takes = (hn == 8 && memcmp(hb, "\xD9\x85\xD8\xB4\xD8\xB1\xD9\x81", 8) == 0) ||
                        (hn == 10 && memcmp(hb, "\xD9\x85\xD8\xB3\xD9\x88\xD9\x88\xD9\x84", 10) == 0) ||
                        (hn == 8 && memcmp(hb, "\xD9\x82\xD8\xA7\xD9\x8A\xD9\x85", 8) == 0);
            int governs = j == h + 1 && j + 1 < limit &&
                          (cat(x, h, C_ROLE | C_ANON) || (has(x, h, T_DEF) && !x->ti[h].cats)) &&
                          ((takes && (keq(&x->tok[j], "\xD8\xB9\xD9\x84\xD9\x8A") ||
                                      keq(&x->tok[j], "\xD8\xB9\xD9\x86"))) ||
                           keq(&x->tok[j], "\xD9\x84\xD8\xAF\xD9\x8A")) &&
                          is_word(x, j + 1) && !has(x, j + 1, T_COMP | T_COMPF | T_PRON) &&
                          (has(x, j + 1, T_DEF) ||
                           (x->ent_of[j + 1] >= 0 && x->ents->items[x->ent_of[j + 1]].type != NER_PERS));
            if (!governs &&
                (!complements || j + 1 >= limit || cat(x, j + 1, C_VENUE) ||
                 !(keq(&x->tok[j], "\xD9\x81\xD9\x8A") || keq(&x->tok[j], "\xD9\x85\xD9\x86"))))
                break;
            j++;
            continue;
        }
        if (has(x, j, T_LPREP) && !complements)
            break;
        if (has(x, j, T_WAW))
            break; /* و starts the next clause */
        if (has(x, j, T_PRON) && has(x, h, T_DEF))
            break; /* الرئيس كلمته: an object, not the subject's name */
        j++;
    }
    return j;
}

int entity_kind(const QCtx *x, int32_t e)
{
    switch (x->ents->items[e].type) {
    case NER_PERS: return named_after(x, e) ? QS_UNKNOWN : QS_PERSON; /* not جامعة الملك سعود */
    case NER_ORG:
    case NER_LOC:
        /* "البطريرك الماروني" tagged as an organisation is a role */
        return cat(x, x->ent_first[e], C_ROLE) && !cat(x, x->ent_first[e], C_INST)
                   ? QS_UNKNOWN : QS_INSTITUTION;
    }
    return QS_UNKNOWN;
}

/* Kind of a speaker noun phrase from its head word. */
static int np_kind(const QCtx *x, size_t h)
{
    const TInfo *t = &x->ti[h];
    if ((t->cats & C_ANON) && !(t->bits & T_DEF))
        return QS_ANONYMOUS;
    if (t->cats & C_ROLE)
        return QS_ROLE;
    if (t->cats & C_ANON)
        return QS_ANONYMOUS;
    if (t->cats & (C_INST | C_CHANNEL))
        return QS_INSTITUTION;
    /* a definite noun no list knows (الطالب، النادل، المهندس) describes a
       person by what they do; an indefinite one is most often a name the
       tagger missed */
    return (t->bits & T_DEF) ? QS_ROLE : QS_PERSON;
}

/* The earlier person whose last name is the word at h (العمير → علي العمير), or -1. */
int32_t surname_resolve(QCtx *x, size_t h)
{
    if (!x->ents || cat(x, h, C_ROLE | C_INST | C_ANON | C_CHANNEL))
        return -1;
    size_t seen = 0;
    for (int32_t e = x->last_pers; e >= 0 && seen < 4 * ROLE_LOOKBACK; e--, seen++) {
        x->out->work++;
        if (x->ents->items[e].type != NER_PERS || x->ent_last[e] >= h ||
            x->ent_last[e] == x->ent_first[e])
            continue;
        if (bare_eq(x, x->ent_last[e], h))
            return e;
    }
    return -1;
}

static size_t head_slot(const QCtx *x, size_t i)
{
    const char *b;
    size_t n = bare(x, i, &b);
    return (size_t)rasd_hash(b, n) & (HEADS - 1);
}

/* Records token i in x->heads if it heads an indefinite institution or
   source phrase: a listed noun without ال followed by its complement. */
void note_head(QCtx *x, size_t i)
{
    if (!is_word(x, i) || !cat(x, i, C_INST | C_CHANNEL | C_ANON) || has(x, i, T_DEF) ||
        i + 1 >= x->n)
        return;
    if (!is_opener(x, i + 1) &&
        (!is_word(x, i + 1) || has(x, i + 1, T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL) ||
         is_cue(x, i + 1) ||
         ((x->tok[i + 1].flags & RASD_TF_STOP) && !nisba_ending(x, i + 1)))) /* (مصدر أمني) */
        return;
    x->heads[head_slot(x, i)] = (uint32_t)i + 1;
}

/* End of the phrase a recorded head j opens: its quoted name if any
   (صحيفة «ديلي ستار» البريطانية), then its complements. */
size_t mention_end(QCtx *x, size_t j)
{
    size_t e = j + 1;
    if (is_opener(x, e) && quote_after(x, e) - e <= NP_MAX) {
        e = quote_after(x, e);
        while (e < x->n && e - j < NP_MAX && nationality_adj(x, e))
            e++;
        return e;
    }
    return np_extent(x, j, x->n);
}

/*
 * The institution or source a bare definite noun (الصحيفة، الشركة،
 * المصادر، البنك) stands for: the latest earlier phrase it headed without
 * the article (صحيفة ديلي ستار، مصادر مطلعة، بنك إنجلترا); else, for an
 * institution, the latest speaker when that was an institution called by a
 * proper name (الخطوط الجوية الكويتية ... وأوضحت الشركة) — not one called
 * by another common noun (وزارة الداخلية ... الشركة is someone else).
 * Fills s's name and key and returns 1, or returns 0.
 */
static int generic_antecedent(QCtx *x, Spk *s, size_t h)
{
    uint32_t slot = x->heads[head_slot(x, h)];
    if (slot && slot - 1 < h && bare_eq(x, slot - 1, h)) {
        size_t j = slot - 1;
        int32_t en = x->ent_of[j];
        if (en >= 0 && x->ent_first[en] == j && entity_kind(x, en) == QS_INSTITUTION) {
            s->ent = en;
            spk_key(x, s, 0, 0);
            spk_name(x, s);
        } else {
            size_t e = mention_end(x, j);
            s->ent = -1;
            spk_key(x, s, j, e);
            s->ns = name_start(x, j, s->kind);
            s->ne = x->tok[e - 1].end;
        }
        s->resolved = 1;
        return 1;
    }
    if (!cat(x, h, C_INST | C_CHANNEL))
        return 0;
    const Event *ev = recent(x, G_ANY, 0);
    if (!ev || ev->s.kind != QS_INSTITUTION || ev->s.sa >= ev->s.sb ||
        cat(x, ev->s.sa, C_INST | C_CHANNEL | C_ANON | C_ROLE) || ev->s.ns >= ev->s.ne)
        return 0;
    s->ent = ev->s.ent;
    s->ns = ev->s.ns;
    s->ne = ev->s.ne;
    s->key_off = ev->s.key_off;
    s->key_len = ev->s.key_len;
    s->resolved = 1;
    return 1;
}


/*
 * A definite noun no list knows, alone at the cue (وأضاف الخطباء), stands
 * for the group the article introduced with the same noun without ال
 * heading a phrase (ندد خطباء الجوامع والمساجد بمحافظة أملج): the latest
 * such mention within NAME_LOOKBACK tokens before h, or none. Fills s with
 * that phrase and returns 1, or returns 0.
 */
static int indefinite_antecedent(QCtx *x, Spk *s, size_t h)
{
    if (x->ti[h].cats || !has(x, h, T_DEF) || x->tok[h].pre_len != 4 || x->ent_of[h] >= 0)
        return 0;
    size_t from = h > NAME_LOOKBACK ? h - NAME_LOOKBACK : 0;
    for (size_t j = h; j-- > from;) {
        x->out->work++;
        if (x->tok[j].pre_len || has(x, j, T_DEF) || x->ent_of[j] >= 0 || !bare_eq(x, j, h) ||
            j + 1 >= x->n || !is_word(x, j + 1) || !has(x, j + 1, T_DEF))
            continue;
        size_t e = np_extent(x, j, x->n), preps = 0;
        /* one prepositional complement (بمحافظة أملج), not the verb's object
           after it (بالهجوم) */
        for (size_t m = j + 1; m < e; m++)
            if ((has(x, m, T_PREPW | T_LPREP) || (x->tok[m].pre_len && !has(x, m, T_DEF)) ||
                 x->tok[m].pre_len > 4) && ++preps == 2) {
                e = m;
                break;
            }
        if (e < j + 2)
            continue;
        s->ent = -1;
        s->kind = QS_ANONYMOUS;
        spk_key(x, s, j, e);
        s->ns = x->tok[j].start;
        s->ne = x->tok[e - 1].end;
        s->resolved = 1;
        return 1;
    }
    return 0;
}

/* Could token i be a word of a name the tagger missed at the end of a
   title phrase: an Arabic word no list knows, with no pronoun, verb or
   preposition on it, and no adjective ending? */
static int bare_name_word(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    return is_word(x, i) && t->type == RASD_TOK_ARABIC && !x->ti[i].cats &&
           !has(x, i, T_VERB | T_PRON | T_PREPW | T_WAW | T_COMP | T_COMPF | T_COMPW | T_REL) &&
           (t->pre_len == 0 || (has(x, i, T_DEF) && t->pre_len == 4)) &&
           !(t->flags & RASD_TF_STOP) && !nationality_adj(x, i) && !ends_ta_marbuta(x, i) &&
           !time_word(x, i) && (x->ent_of[i] < 0 || x->ents->items[x->ent_of[i]].type == NER_PERS);
}

/* Did the article write the word at token i elsewhere as a name (as
   written, or with a و، ل or ب before it): a person mention, or the word
   right after a cue (وأضافت السمري)? Within NAME_LOOKBACK tokens either side. */
static int word_again(QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    const char *w = x->text + t->start;
    size_t n = t->end - t->start;
    size_t from = i > NAME_LOOKBACK ? i - NAME_LOOKBACK : 0;
    size_t to = i + NAME_LOOKBACK < x->n ? i + NAME_LOOKBACK : x->n;
    for (size_t k = from; k < to; k++) {
        x->out->work++;
        if (k == i)
            continue;
        const rasd_token *o = &x->tok[k];
        const char *ow = x->text + o->start;
        size_t on = o->end - o->start;
        if (on == n + 2 && (memcmp(ow, "و", 2) == 0 || memcmp(ow, "ل", 2) == 0 ||
                            memcmp(ow, "ب", 2) == 0)) {
            ow += 2;
            on -= 2;
        }
        if (on == n && memcmp(ow, w, n) == 0 &&
            ((x->ent_of[k] >= 0 && x->ents->items[x->ent_of[k]].type == NER_PERS) ||
             (k > 0 && is_cue(x, k - 1))))
            return 1;
    }
    return 0;
}

/* Where the name at the end of the title phrase [h,e) begins: the last
   word, if the article names the person by it again, and the indefinite
   name word before it; e if there is none. */
static size_t name_at_end(QCtx *x, size_t h, size_t e)
{
    size_t j = e - 1;
    if (j <= h + 1 || !bare_name_word(x, j) || !word_again(x, j))
        return e;
    if (j - 1 > h + 1 && bare_name_word(x, j - 1) && !has(x, j - 1, T_DEF) &&
        !nisba_ending(x, j - 1))
        j--; /* the first name: لوبا السمري */
    return j;
}

/* Can token i be a family name after a title (القحطاني): a word with ال
   and no other clitic, in no list, no nationality, not the tagger's person
   or place? */
static int title_surname(const QCtx *x, size_t i)
{
    if (!is_word(x, i) || !has(x, i, T_DEF) || x->tok[i].pre_len != 4 || x->ti[i].cats ||
        x->tok[i].type != RASD_TOK_ARABIC || nationality_adj(x, i) || time_word(x, i) ||
        (x->tok[i].flags & RASD_TF_STOP) || ends_ta_marbuta(x, i))
        return 0;
    int32_t en = x->ent_of[i];
    return en < 0 || (x->ents->items[en].type == NER_MISC && x->ent_first[en] == i &&
                      x->ent_last[en] == i);
}

/* The latest of the recent speakers named in two words or more whose
   last word is the word at i (شايع القحطاني for القحطاني), or NULL. */
static const Spk *speaker_by_surname(const QCtx *x, size_t i)
{
    for (size_t k = 0; k < EVENTS && k < x->nev; k++) {
        const Spk *p = &x->ev[(x->nev - 1 - k) % EVENTS].s;
        if (p->kind == QS_PERSON && p->sb >= p->sa + 2 && p->sb <= i && p->key_len &&
            bare_eq(x, p->sb - 1, i))
            return p;
    }
    return NULL;
}

/* Builds the speaker of the noun phrase [h, e). */
void spk_from_np(QCtx *x, Spk *s, size_t h, size_t e, int gender)
{
    memset(s, 0, sizeof *s);
    s->ent = -1;
    s->gender = (uint8_t)gender;
    if (x->ent_of[h] >= 0) {
        int32_t en = x->ent_of[h];
        int k = entity_kind(x, en);
        if (k != QS_UNKNOWN) {
            spk_from_entity(x, s, en, k);
            return;
        }
    }
    s->kind = (uint8_t)np_kind(x, h);
    if (s->kind == QS_PERSON)
        for (size_t k = h + 1; k < e; k++) {
            if (x->tok[k - 1].pre_len || has(x, k - 1, T_DEF))
                break; /* not a name before it: كلية الهندسة بجامعة الملك عبدالعزيز */
            if (cat(x, k, C_ROLE) && k >= h + 2 &&
                !(k + 1 < x->n && x->ent_of[k + 1] >= 0 &&
                  x->ents->items[x->ent_of[k + 1]].type == NER_PERS)) {
                /* تشارلا لورد | المتحدثة باسم مونسانتو: the name ends at its
                   title (not a title inside a name: ولد الشيخ أحمد) */
                e = k;
                break;
            }
        }
    s->sa = (uint32_t)h;
    s->sb = (uint32_t)e;
    if (s->kind == QS_ROLE && !cat(x, h, C_ROLE))
        for (size_t k = h + 1; k < e; k++)
            if (nationality_adj(x, k)) {
                s->kind = QS_INSTITUTION; /* الخطوط الجوية الكويتية: a body, not a job */
                break;
            }
    if (e == h + 1 && has(x, h, T_DEF) && (s->kind == QS_INSTITUTION || s->kind == QS_ANONYMOUS) &&
        generic_antecedent(x, s, h))
        return;
    if (e == h + 1 && s->kind == QS_ROLE && indefinite_antecedent(x, s, h))
        return;
    int32_t sur = e == h + 1 ? surname_resolve(x, h) : -1;
    if (sur < 0 && s->kind == QS_ROLE && e == h + 2 && cat(x, h, C_ROLE) && has(x, h, T_DEF) &&
        title_surname(x, h + 1)) {
        /* المقدم القحطاني after المقدم شايع القحطاني: a title and a family
           name are the one named before with that family name */
        sur = surname_resolve(x, h + 1);
        if (sur < 0) {
            const Spk *p = speaker_by_surname(x, h + 1);
            if (p) {
                uint8_t g = s->gender;
                *s = *p;
                s->gender = g;
                s->sa = (uint32_t)h;
                s->sb = (uint32_t)e;
                s->resolved = 1;
                return;
            }
        }
    }
    if (sur >= 0) {
        s->kind = QS_PERSON;
        s->ent = sur;
        s->resolved = 1;
    } else if (s->kind == QS_ROLE && e >= h + 3 && name_at_end(x, h, e) < e) {
        /* المتحدثة باسم الشرطة الإسرائيلية لوبا السمري ... وأضافت السمري:
           the words after the title are the name the article uses again */
        spk_from_name(x, s, name_at_end(x, h, e), e, gender);
        return;
    } else if (s->kind == QS_ROLE) {
        int32_t en = role_holder(x, h, e);
        if (en >= 0) {
            s->ent = en;
            s->resolved = 1;
        } else if (e >= h + 4 && first_name_before(x, e - 2) && has(x, e - 1, T_DEF) &&
                   x->tok[e - 1].pre_len == 4 && x->tok[e - 1].type == RASD_TOK_ARABIC &&
                   !x->ti[e - 1].cats && !(x->tok[e - 1].flags & RASD_TF_STOP) &&
                   !time_word(x, e - 1) && !nationality_adj(x, e - 1) &&
                   !ends_ta_marbuta(x, e - 1) && !ends_ta_marbuta(x, e - 2) &&
                   has(x, e - 3, T_DEF)) {
            /* نائب مدير كرة القدم بنادي النصر طلال النجار: a title phrase
               ending in a name the tagger missed names that person */
            spk_from_name(x, s, e - 2, e, gender);
            return;
        }
    }
    if (s->ent >= 0 || s->kind == QS_PERSON || s->kind == QS_INSTITUTION)
        spk_key(x, s, h, e);
    spk_name(x, s);
}

/* Can token i head a speaker: a person or organisation, or a role,
   institution or source noun (not the object of a preposition)? */
int speaker_head(const QCtx *x, size_t i)
{
    if (!is_word(x, i) || has(x, i, T_LPREP | T_PREPW | T_PRON | T_COMP | T_COMPF | T_COMPW))
        return 0;
    int32_t en = x->ent_of[i];
    if (en >= 0)
        return x->ent_first[en] == i && entity_kind(x, en) != QS_UNKNOWN;
    return cat(x, i, C_ROLE | C_INST | C_ANON | C_CHANNEL) != 0;
}

/* Can token i be a word of a name the tagger missed (نعيم، العراقي)? */
int name_word(const QCtx *x, size_t i, int first)
{
    const rasd_token *t = &x->tok[i];
    if (!is_word(x, i) || (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN))
        return 0;
    if (x->ent_of[i] >= 0) {
        /* نعيم العراقي: a nisba as a surname; شايع القحطاني: a one-word
           family name with ال the tagger took for something else */
        int32_t en = x->ent_of[i];
        return !first && (nationality_adj(x, i) ||
                          (x->ents->items[en].type == NER_MISC && x->ent_first[en] == i &&
                           x->ent_last[en] == i && has(x, i, T_DEF) && x->tok[i].pre_len == 4));
    }
    /* (after a first name, ف may begin the family name itself: آرسين فينجر) */
    int fa_name = !first && has(x, i, T_WAW) && t->type == RASD_TOK_ARABIC && !is_cue(x, i) &&
                  t->end - t->start >= 8 && memcmp(x->text + t->start, AR_FA, 2) == 0 &&
                  !has(x, i, T_DEF);
    /* علي written with ي right after a title or a definite noun is the name
       Ali (الشاعر علي الدميني), not the stop word على that it is keyed as */
    if (first && i > 0 && (cat(x, i - 1, C_ROLE) || has(x, i - 1, T_DEF)) &&
        x->ent_of[i - 1] < 0 && t->end - t->start == strlen("علي") &&
        memcmp(x->text + t->start, "علي", strlen("علي")) == 0)
        return 1;
    /* ... and after a bare first name, the father's name (ابوبكر علي،) */
    if (!first && i > 0 && is_word(x, i - 1) && x->tok[i - 1].type == RASD_TOK_ARABIC &&
        !has(x, i - 1, T_DEF | T_PRON | T_PREPW) && !x->ti[i - 1].cats &&
        !(x->tok[i - 1].flags & RASD_TF_STOP) && !(x->ti[i].bits & T_WAW) &&
        t->end - t->start == strlen("علي") && memcmp(x->text + t->start, "علي", strlen("علي")) == 0 &&
        (i + 1 >= x->n || !is_word(x, i + 1) || has(x, i + 1, T_COMP | T_COMPF)))
        return 1;
    /* a listed given name written as it is listed (هناء, keyed as the stop
       word هنا) is a name */
    if (first && t->pre_len == 0 && !has(x, i, T_WAW | T_DEF) && given_gender(x, i) != G_ANY &&
        (!(t->flags & RASD_TF_STOP) ||
         (t->end - t->start >= 4 && memcmp(x->text + t->end - 2, "\xD8\xA1", 2) == 0)))
        return 1; /* (the stop word هنا "here" is no name: its ء tells) */
    if (has(x, i, T_PREPW | T_LPREP | T_COMP | T_COMPF | T_COMPW | T_REL | T_PRON) ||
        (has(x, i, T_WAW) && !fa_name) || x->ti[i].cats || (t->flags & RASD_TF_STOP) ||
        (first && has(x, i, T_DEF)) || time_word(x, i))
        return 0;
    if (fa_name)
        return 1;
    return t->pre_len == 0 || has(x, i, T_DEF); /* no ب، ل، ك before a name */
}

/*
 * The start of a name that ends the phrase [a,e): a listed given name
 * (given_gender) with no article, tagged as nothing, then one to three name
 * words up to e; 0 if there is none.
 */
size_t given_name_in(const QCtx *x, size_t a, size_t e)
{
    for (size_t j = e >= 4 && e - 4 > a ? e - 4 : a; j + 1 < e; j++) {
        if (given_gender(x, j) == G_ANY || has(x, j, T_DEF) || x->ent_of[j] >= 0 ||
            cat(x, j, C_ROLE | C_INST))
            continue;
        size_t m = j + 1;
        while (m < e && name_word(x, m, 0) && x->ent_of[m] < 0)
            m++;
        if (m == e)
            return j;
    }
    return 0;
}

/*
 * Is token i a first name that only looks like a noun with a pronoun (جمعه،
 * صديقي، عبده): a bare word of four letters or more ending in ه or ي that
 * no list knows, followed by a family name with ال that is no nationality
 * (callers look for it right after a title, where a noun with a pronoun
 * and its adjective, مكتبه الإعلامي, does not stand before the content).
 */
int pron_first_name(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    if (!is_word(x, i) || i + 1 >= x->n || t->type != RASD_TOK_ARABIC || t->pre_len ||
        t->suf_len != 2 || t->key_len < 8 || x->ti[i].cats || x->ent_of[i] >= 0 ||
        (t->flags & RASD_TF_STOP) || (x->ti[i].more & M_PREPPRON) ||
        has(x, i, T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL | T_VERB | T_DEF) ||
        honorific_pronoun(x, i) || time_word(x, i))
        return 0;
    return has(x, i + 1, T_DEF) && x->tok[i + 1].pre_len == 4 && name_word(x, i + 1, 0) &&
           !nationality_adj(x, i + 1);
}

/*
 * A title whose noun phrase (k .. e) is followed, or ended, by one to four
 * words that can only be a name the tagger missed: they run up to the
 * reported content at b (or to a comma, an adverb or a channel before it).
 * The title ends where the roles module says, else at e; a rank right
 * after it (العقيد) is part of it. Sets [*na,*nb) and returns 1.
 */
int name_after_title(QCtx *x, size_t k, size_t e, size_t b, size_t *na, size_t *nb)
{
    size_t t_end = e;
    int32_t r = x->role_of[k];
    if (r >= 0) {
        const Role *ro = &x->ents->roles.items[r];
        if (ro->first <= k && ro->last >= k && ro->last + 1 < t_end)
            t_end = ro->last + 1;
    }
    size_t a = t_end;
    while (a < b && a - t_end < 2 && cat(x, a, C_ROLE) && has(x, a, T_DEF))
        a++;
    /* (and the title's adjectives before a listed given name: نائب الأمين
       العام هناء الزهير) */
    size_t adj = a;
    while (adj < b && adj - a < 2 && is_word(x, adj) && has(x, adj, T_DEF) && x->ent_of[adj] < 0 &&
           !has(x, adj, T_PRON | T_COMP | T_COMPF | T_REL | T_VERB))
        adj++;
    if (adj > a && adj < b && given_gender(x, adj) != G_ANY && name_word(x, adj, 1) &&
        !(x->tok[adj].end - x->tok[adj].start == strlen("علي") &&
          memcmp(x->text + x->tok[adj].start, "علي", strlen("علي")) == 0))
        a = adj; /* (not علي: المشرف العام علي كرة القدم is على misspelt) */
    /* (and the branch of a rank: المقدم بحري، العميد ركن، اللواء طيار) */
    static const char *const branch[] = {"بحري", "بحر", "جوي", "جو", "ركن", "طيار"}; /* (بحري may be keyed as بحر + ي) */
    if (a < b && a > k && cat(x, a - 1, C_ROLE) && has(x, a - 1, T_DEF) && is_word(x, a) &&
        x->tok[a].pre_len == 0 && bare_in(x, a, branch, 6))
        a++;
    /* the name in apposition after a comma (الناطق الإعلامي لأمانة منطقة
       الباحة، صديقي الشيخي أنه), when it runs up to the content, a comma or
       a channel */
    int comma = a == t_end && a + 1 < b && has(x, a, T_COMMA) && cat(x, k, C_ROLE) &&
                (name_word(x, a + 1, 1) || pron_first_name(x, a + 1));
    if (comma)
        a++;
    if (a == t_end && !name_word(x, a, 1) && pron_first_name(x, a)) {
        /* (a first name that looks like a noun with a pronoun: جمعه الخياط) */
    } else if (a == t_end && !name_word(x, a, 1)) {
        /* a long title the phrase reader stopped inside (والنهي عن المنكر):
           the name after the last honorific or rank before the content
           (الشيخ تركي الشليل، أن) */
        size_t lim = b < k + 3 * NP_MAX ? b : k + 3 * NP_MAX;
        size_t hon = 0;
        for (size_t j = t_end; j < lim; j++) {
            x->out->work++;
            if (!is_word(x, j) || has(x, j, T_COMP | T_COMPF | T_VERB | T_REL) || is_cue(x, j))
                break;
            /* after an honorific even a nisba is a first name (الشيخ تركي) */
            if (cat(x, j, C_ROLE) && has(x, j, T_DEF) && j + 1 < lim &&
                (name_word(x, j + 1, 1) || (nationality_adj(x, j + 1) && !has(x, j + 1, T_DEF))))
                hon = j + 1;
        }
        if (!hon)
            return 0;
        a = hon;
    }
    size_t m = a;
    if (m < b && m > t_end && !comma && nationality_adj(x, m) && !has(x, m, T_DEF))
        m++;
    if (m < b && pron_first_name(x, m) && !name_word(x, m, 1))
        m++;
    while (m < b && m - a < 4 && name_word(x, m, m == a)) {
        x->out->work++;
        if (has(x, m++, T_DEF))
            break; /* a family name with ال ends a name (سعد الحربي) */
    }
    if (m == a || (m == a + 1 && has(x, a, T_DEF)) || (comma && m < a + 2))
        return 0;
    /* (a channel spoken to may follow: وأبلغ المدرب آرسين فينجر موقع النادي;
       or, after a rank, a second title: اللواء رفعت قمصان مستشار رئيس
       الوزراء) */
    int second_title = m >= a + 2 && m < b && cat(x, m, C_ROLE) && !has(x, m, T_DEF) &&
                       x->tok[m].pre_len == 0 && cat(x, k, C_ROLE) && has(x, k, T_DEF) &&
                       a <= k + 2;
    if (m < b && !has(x, m, T_COMMA) && !cat(x, m, C_ADV) && via_phrase(x, m, b) == m &&
        !second_title &&
        !(x->loose_names && m >= a + 2) &&
        !(m >= a + 2 && cat(x, m, C_CHANNEL) && !has(x, m, T_DEF) && x->tok[m].pre_len == 0))
        return 0;
    *na = a;
    *nb = m;
    return 1;
}

/* The speaker named by the words [a,b) that the tagger did not take for a name. */
void spk_from_name(QCtx *x, Spk *s, size_t a, size_t b, int gender)
{
    memset(s, 0, sizeof *s);
    s->ent = -1;
    s->gender = (uint8_t)gender;
    s->kind = QS_PERSON;
    s->sa = (uint32_t)a;
    s->sb = (uint32_t)b;
    spk_key(x, s, a, b);
    spk_name(x, s);
}
