/*
 * quotes_subjects.c — subjects written before the cue (الوزير قال، وكان
 * المتحدث قد أكد، X الذي غادر ... أكد) and the subject of a sentence's own
 * verb, which the cues and participles of that sentence fall back on
 * (quotes.c, pass 3). Split from quotes_phrases.c, whose phrase readers
 * (read_segment, np_extent) these use.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

/* Is token i an auxiliary or particle that may open a sentence before its
   verb: كان، قد، كما، ثم، فيما، بينما، لقد، عندما، حينما، بعدما (with or
   without و / ف)? */
int opener_particle(const QCtx *x, size_t i)
{
    static const char *const w[] = {
        "\xD9\x83\xD8\xA7\xD9\x86", "\xD9\x83\xD8\xA7\xD9\x86\xD8\xAA",
        "\xD9\x82\xD8\xAF", "\xD9\x84\xD9\x82\xD8\xAF", "\xD9\x83\xD9\x85\xD8\xA7",
        "\xD8\xAB\xD9\x85", "\xD9\x81\xD9\x8A\xD9\x85\xD8\xA7",
        "\xD8\xA8\xD9\x8A\xD9\x86\xD9\x85\xD8\xA7",
        "\xD8\xB9\xD9\x86\xD8\xAF\xD9\x85\xD8\xA7",
        "\xD8\xAD\xD9\x8A\xD9\x86\xD9\x85\xD8\xA7",
        "\xD8\xA8\xD8\xB9\xD8\xAF\xD9\x85\xD8\xA7"};
    const rasd_token *t = &x->tok[i];
    const char *k = t->key;
    size_t n = t->key_len;
    if (n > 2 && (memcmp(k, AR_WAW, 2) == 0 || memcmp(k, AR_FA, 2) == 0)) {
        for (size_t j = 0; j < sizeof w / sizeof w[0]; j++)
            if (strlen(w[j]) == n - 2 && memcmp(w[j], k + 2, n - 2) == 0)
                return 1;
    }
    for (size_t j = 0; j < sizeof w / sizeof w[0]; j++)
        if (keq(t, w[j]))
            return 1;
    return 0;
}

/* Does the clause holding token i open with a topic phrase (وعن إصابة
   اللاعب ... قال، وحول مباراة السوبر قال): then a name before the cue is
   the topic's, not the subject? Looks back at most 32 words. */
int topic_before(const QCtx *x, size_t i)
{
    static const char *const w[] = {"عن", "حول", "بشان", "بخصوص", "فيما"};
    for (size_t k = i, steps = 0; k-- > 0 && steps < 32; steps++) {
        if (!is_word(x, k))
            return 0;
        if (k == x->sb[i] || breaks_before(x, k) || has(x, k - 1, T_COMMA | T_COLON | T_SEMI)) {
            const rasd_token *t = &x->tok[k];
            size_t p = t->pre_len <= t->key_len ? t->pre_len : 0;
            for (size_t j = 0; j < sizeof w / sizeof w[0]; j++) {
                size_t n = strlen(w[j]);
                if ((t->key_len == n && memcmp(t->key, w[j], n) == 0) ||
                    (t->key_len - p == n && memcmp(t->key + p, w[j], n) == 0) ||
                    (t->key_len == n + 2 && memcmp(t->key, AR_WAW, 2) == 0 &&
                     memcmp(t->key + 2, w[j], n) == 0))
                    return 1;
            }
            return 0;
        }
    }
    return 0;
}

/* Can token i be a word of an indefinite noun phrase no list knows (وافد،
   عربي، نصاب)? An adjective after the head may look like an imperfect verb
   (نصاب = ن + صاب): verb_ok. */
static int plain_indefinite(const QCtx *x, size_t i, int verb_ok)
{
    const rasd_token *t = &x->tok[i];
    int32_t en = x->ent_of[i];
    if (verb_ok && t->pre_len == 0 && !has(x, i, T_DEF) &&
        (nationality_adj(x, i) || (en >= 0 && x->ents->items[en].type == NER_MISC &&
                                   x->ent_first[en] == i && x->ent_last[en] == i && nisba_ending(x, i))))
        return 1; /* عربي، أمريكي: an adjective the tagger may have tagged */
    return is_word(x, i) && t->type == RASD_TOK_ARABIC && !x->ti[i].cats && x->ent_of[i] < 0 &&
           !has(x, i, T_DEF | T_PRON | T_PREPW | T_LPREP | T_COMP | T_COMPF | T_COMPW | T_REL |
                          T_WAW) && (verb_ok || !has(x, i, T_VERB)) &&
           !(t->flags & RASD_TF_STOP) && !time_word(x, i) && !(x->ti[i].more & M_PREPPRON);
}

/*
 * A cue verb with no conjunction right after an indefinite noun phrase in
 * the middle of a sentence is a relative clause without الذي describing
 * that noun, which is its subject (أطاحت الهيئة بوافد عربي نصاب زعم أنه):
 * up to three plain indefinite words, the first of which may carry ب or ل,
 * after a verb or a preposition. Not when a pronoun on a preposition or
 * an object pronoun follows the cue (كلمة قال فيها، وفدا أكد له: the
 * noun is what it was said in or to), not after a title, body or source
 * word (the clause-opening rule below), and not for participles.
 */
static int indefinite_relative(QCtx *x, size_t c, size_t p, int gender, Spk *s)
{
    if (x->tok[c].pre_len || x->tok[c].suf_len || (x->ti[c].cue & (F_PART | F_INTRO | F_AMBIG)) ||
        !plain_indefinite(x, p, 1) ||
        (c + 1 < x->n && is_word(x, c + 1) &&
         (has(x, c + 1, T_PRON | T_PREPW) || (x->ti[c + 1].more & M_PREPPRON) || cat(x, c + 1, C_ADV))))
        return 0;
    size_t h = p;
    while (h > x->sb[c] + 1 && p - h < 2 && plain_indefinite(x, h - 1, 1) && x->tok[h].pre_len == 0)
        h--;
    if (has(x, h, T_VERB) || x->ent_of[h] >= 0 || nisba_ending(x, h) || has(x, h - 1, T_PRON) ||
        (h > 0 && time_word(x, h - 1)))
        return 0; /* the head is a noun, not an adjective of a word before it (عنوانا رئيسيا) */
    /* the head follows a verb or carries its preposition: it cannot open
       the clause itself */
    const rasd_token *ht = &x->tok[h];
    if (h <= x->sb[c] || has(x, h - 1, T_COMMA | T_SENT | T_COLON) || !is_word(x, h - 1))
        return 0;
    if (ht->pre_len) {
        if (!(ht->pre_len == 2 && (memcmp(ht->key, AR_BA, 2) == 0 || memcmp(ht->key, AR_LAM, 2) == 0)))
            return 0;
    } else if (x->ti[h - 1].cats || x->ent_of[h - 1] >= 0 || has(x, h - 1, T_DEF | T_PREPW | T_WAW) ||
               x->tok[h - 1].pre_len || (x->tok[h - 1].flags & RASD_TF_STOP)) {
        /* (nor a fronted prepositional phrase: وفي قصيدة أخرى قال) */
        return 0; /* (a bare noun after a title or a name is in apposition to it) */
    }
    /* (not the main verb after a relative clause: المليحان الذي أصدر أربع
       مجموعات قصصية أكد أن) */
    for (size_t k = h; k-- > x->sb[c] && h - k <= 2 * NP_MAX;)
        if (has(x, k, T_REL))
            return 0;
    spk_from_np(x, s, h, p + 1, gender);
    s->kind = QS_ANONYMOUS;
    s->ent = -1;
    s->relative = 1;
    if (ht->pre_len && s->ns == ht->start && ht->end - ht->start > 2 &&
        (memcmp(x->text + ht->start, AR_BA, 2) == 0 || memcmp(x->text + ht->start, AR_LAM, 2) == 0))
        s->ns += 2; /* the name without its preposition (وافد، not بوافد) */
    return 1;
}

/* A subject before the cue (الوزير قال، وكان المتحدث قد أكد). */
int subject_before(QCtx *x, size_t c, int gender, Spk *s)
{
    if (c == 0 || breaks_before(x, c) || has(x, c, T_WAW))
        return 0; /* وقال: the conjunction closes what came before */
    size_t p = c - 1;
    if (keq(&x->tok[p], "\xD9\x82\xD8\xAF") && p > 0 && !breaks_before(x, p)) /* قد */
        p--;
    if (has(x, p, T_COMP) && p > 1 && !breaks_before(x, p)) {
        /* وسبق لوسائل إعلام إسبانية أن ذكرت: "it happened to X that X said" */
        for (size_t k = p, steps = 0; k-- > 1 && steps < NP_MAX && !breaks_before(x, k + 1);
             steps++) {
            const char *b;
            size_t bn = bare(x, k - 1, &b);
            if (bn == 6 && memcmp(b, "\xD8\xB3\xD8\xA8\xD9\x82", 6) == 0 && /* سبق */
                has(x, k, T_LPREP)) {
                size_t h = k + (x->tok[k].key_len == 2); /* لـ X */
                if (h >= p || !is_word(x, h))
                    return 0;
                spk_from_np(x, s, h, p, gender);
                return s->kind != QS_UNKNOWN;
            }
            if (!is_word(x, k) || is_cue(x, k))
                break;
        }
        return 0;
    }
    if (has(x, p, T_QMARK) && (x->qst[p] & Q_CLOSER)) {
        /* «باركليز كابيتال» تكهنت: a quoted name right before the verb */
        for (size_t o = p, steps = 0; o-- > 0 && steps < 6; steps++)
            if (is_opener(x, o) && (size_t)x->qend[o] == p) {
                /* the quote opens the clause (حتى إن «X» تكهنت); after a noun it
                   is that noun's (تغريدات «تويترية» أكدت فيها) */
                if (o + 1 >= p || p - o - 1 > 4 ||
                    !(o == x->sb[c] || has(x, o - 1, T_COMP | T_COMMA) || opener_particle(x, o - 1)))
                    return 0;
                int32_t en = x->ent_of[o + 1];
                if (en >= 0 && entity_kind(x, en) != QS_UNKNOWN)
                    spk_from_np(x, s, o + 1, x->ent_last[en] + 1, gender);
                else
                    spk_from_np(x, s, o + 1, p, gender);
                return s->kind != QS_UNKNOWN;
            }
        return 0;
    }
    /* بينات الذي غادر الاتحاد أكد: a sentence opening with a name (or a
       title) and a relative clause; the cue is its verb */
    for (size_t r = p, steps = 0; r > x->sb[c] && steps < 8; r--, steps++) {
        if (!is_word(x, r) || is_cue(x, r) || has(x, r, T_COMP | T_COMPF))
            break;
        if (!has(x, r, T_REL) || r == p)
            continue;
        size_t sb = x->sb[c];
        int32_t en = x->ent_of[r - 1];
        if (en >= 0 && entity_kind(x, en) != QS_UNKNOWN)
            break; /* the rule below */
        size_t m = sb;
        /* the first word may look like it carries ب or ل (بينات = ب + ينات):
           a phrase with a preposition cannot be what الذي describes here */
        if (is_word(x, sb) && x->tok[sb].type == RASD_TOK_ARABIC && x->tok[sb].pre_len == 2 &&
            !has(x, sb, T_DEF | T_WAW | T_PREPW) && !x->ti[sb].cats &&
            !(x->tok[sb].flags & RASD_TF_STOP) && x->ent_of[sb] < 0)
            m++;
        while (m < r && name_word(x, m, m == sb))
            m++;
        if (m == r && r - sb <= 3) {
            spk_from_name(x, s, sb, r, gender);
            return 1;
        }
        if (speaker_head(x, sb)) {
            spk_from_np(x, s, sb, r, gender);
            return s->kind != QS_UNKNOWN;
        }
        break;
    }
    if (has(x, p, T_REL)) {
        /* ... أوغلو الذي أعلن أن: the relative clause's antecedent speaks */
        for (size_t k = p, steps = 0; k-- > 0 && steps < 6 && !breaks_before(x, k + 1); steps++) {
            int32_t en = x->ent_of[k];
            if (en >= 0 && entity_kind(x, en) != QS_UNKNOWN) {
                memset(s, 0, sizeof *s);
                s->gender = (uint8_t)gender;
                spk_from_entity(x, s, en, entity_kind(x, en));
                return 1;
            }
        }
        return 0;
    }
    /* وكان العبادي (قد) قال: one to three words between كان and the cue name
       its subject, also when the tagger missed them (a surname alone is the
       earlier person of that surname) */
    for (size_t k = p + 1, steps = 0; k-- > 1 && steps < 3; steps++) {
        if (!is_word(x, k) || breaks_before(x, k + 1) || x->ti[k].cats ||
            has(x, k, T_PREPW | T_LPREP | T_COMP | T_COMPF | T_COMPW | T_REL | T_PRON | T_VERB) ||
            time_word(x, k) || (x->tok[k].flags & RASD_TF_STOP))
            break;
        if (!is_kana(x, k - 1))
            continue;
        int32_t ek = x->ent_of[k];
        if (ek >= 0 && x->ent_first[ek] == k && x->ent_last[ek] == p &&
            entity_kind(x, ek) != QS_UNKNOWN) {
            memset(s, 0, sizeof *s);
            s->gender = (uint8_t)gender;
            spk_from_entity(x, s, ek, entity_kind(x, ek));
            return 1;
        }
        int32_t sur = k == p ? surname_resolve(x, k) : -1;
        if (sur >= 0) {
            memset(s, 0, sizeof *s);
            s->gender = (uint8_t)gender;
            spk_from_entity(x, s, sur, QS_PERSON);
            s->resolved = 1;
            return 1;
        }
        if (ek < 0 || entity_kind(x, ek) == QS_PERSON) {
            spk_from_name(x, s, k, p + 1, gender);
            return 1;
        }
        break;
    }
    int32_t en = x->ent_of[p];
    if (en >= 0 && x->ent_last[en] == p && entity_kind(x, en) != QS_UNKNOWN &&
        !topic_before(x, x->ent_first[en]) &&
        !has(x, x->ent_first[en] - (x->ent_first[en] > 0), T_PREPW) &&
        !(x->tok[x->ent_first[en]].pre_len && !has(x, x->ent_first[en], T_DEF | T_WAW))) {
        /* not after a preposition: في الولايات المتحدة اتهم is no subject */
        memset(s, 0, sizeof *s);
        s->gender = (uint8_t)gender;
        spk_from_entity(x, s, en, entity_kind(x, en));
        return 1;
    }
    if (indefinite_relative(x, c, p, gender, s))
        return 1;
    /* a role, institution or source noun opening the clause, at most NP_MAX
       words back (مساعدة الشؤون التعليمية بمكة المكرمة آمنة الغامدي أكدت) */
    for (size_t k = p + 1, steps = 0; k-- > 0 && steps < NP_MAX; steps++) {
        if (!is_word(x, k) || is_cue(x, k) || has(x, k, T_COMP | T_COMPF | T_VERB | T_REL))
            return 0;
        /* (also after إن / أن: إذ إن الاستطلاع يشير إلى) */
        int opens = breaks_before(x, k) || has(x, k - 1, T_COMMA | T_COMP) || has(x, k, T_WAW) ||
                    (k > 0 && keq(&x->tok[k - 1], "\xD9\x83\xD8\xA7\xD9\x86")) ||
                    (k > 0 && keq(&x->tok[k - 1], "\xD9\x88\xD9\x83\xD8\xA7\xD9\x86"));
        if (opens && cat(x, k, C_ROLE | C_INST | C_ANON) && !has(x, k, T_PRON)) {
            /* a name inside the phrase is the speaker (وكان العميد أحمد عسيري
               الناطق باسم التحالف ذكر) */
            for (size_t m = k; m <= p; m++) {
                int32_t pe = x->ent_of[m];
                if (pe >= 0 && x->ent_first[pe] == m && x->ents->items[pe].type == NER_PERS &&
                    !named_after(x, pe) && !byline(x, pe)) {
                    memset(s, 0, sizeof *s);
                    s->gender = (uint8_t)gender;
                    spk_from_entity(x, s, pe, QS_PERSON);
                    return 1;
                }
            }
            size_t na, nb;
            if (cat(x, k, C_ROLE) && name_after_title(x, k, np_extent(x, k, p + 1), p + 1, &na, &nb))
                spk_from_name(x, s, na, nb, gender); /* وكان المتحدث باسم الحكومة راجح بادي قد قال */
            else
                spk_from_np(x, s, k, p + 1, gender);
            return 1;
        }
        if (opens)
            return 0;
    }
    return 0;
}


/*
 * Is the person the tagger found at token k a verb it misread (دان مفتي
 * الجمهورية ... الشيخ عبد اللطيف دريان: "condemned")? A one-word name with
 * no proclitic, opening its sentence, right before a title in the
 * construct state (مفتي، وزير، رئيس without ال): a name stands after its
 * title, not before it.
 */
int misread_verb(const QCtx *x, size_t k)
{
    int32_t e = k < x->n ? x->ent_of[k] : -1;
    return e >= 0 && x->ents->items[e].type == NER_PERS && x->ent_first[e] == k &&
           x->ent_last[e] == k && x->tok[k].pre_len == 0 && k + 1 < x->n &&
           !breaks_before(x, k + 1) && cat(x, k + 1, C_ROLE) && !has(x, k + 1, T_DEF) &&
           k - x->sb[k] <= 1;
}

/*
 * The subject of the sentence starting at sb, kept in x->subj for the
 * cues and participles of that sentence that name no speaker. Two frames:
 * verb first (وألقى مدير المكتب ناصر الغامدي كلمة، هدد عدد من المؤسسات
 * ...) and subject first (الوزارة أعلنت، X الذي غادر ... أكد). Adverbial
 * openers (من جانبه،) and auxiliaries (وكان، وقد) are skipped. Only a named
 * entity or a noun phrase with a known speaker head counts: a bare word
 * after a verb is as often its object. Bounded: 3 * NP_MAX tokens.
 */
void sentence_subject(QCtx *x, size_t sb)
{
    x->subj_ok = 0;
    size_t limit = sb;
    while (limit < x->n && limit - sb < 3 * NP_MAX && !(limit > sb && breaks_before(x, limit)))
        limit++;
    size_t k = sb;
    /* من جانبه، / وفي سياق متصل، */
    for (size_t j = sb; j < limit && j < sb + 5; j++)
        if (has(x, j, T_COMMA)) {
            if (has(x, sb, T_PREPW) || (x->tok[sb].pre_len && !has(x, sb, T_DEF)))
                k = j + 1;
            break;
        } else if (speaker_head(x, j) || is_cue(x, j)) {
            break;
        }
    while (k < limit && k < sb + 8 && opener_particle(x, k))
        k++;
    if (k >= limit || is_cue(x, k))
        return; /* the cue finds its own subject */
    size_t h = k;
    if (misread_verb(x, k)) {
        h = k + 1; /* the title phrase after it is the subject */
    } else if (!speaker_head(x, k)) {
        /* verb first: a plain word, then the subject — also a subject in
           quote marks (وتبنت «جبهة النصرة» أمس ...، واصفة) */
        int marked = is_opener(x, k + 1) && x->qend[k + 1] > (int32_t)(k + 2) &&
                     x->qend[k + 1] - (int32_t)(k + 2) <= 4 && speaker_head(x, k + 2);
        if (!is_word(x, k) || has(x, k, T_DEF | T_PREPW | T_LPREP | T_COMP | T_COMPF | T_COMPW) ||
            x->ent_of[k] >= 0 || x->tok[k].type == RASD_TOK_NUMBER ||
            (x->tok[k].flags & RASD_TF_STOP) || x->ti[k].cats || (!speaker_head(x, k + 1) && !marked))
            return;
        h = k + 1;
    }
    Spk s = {.ent = -1};
    uint32_t va = 0, vb = 0;
    x->subj_tok = (uint32_t)h;
    x->loose_names = 1;
    int found = read_segment(x, h, limit, G_ANY, &s, &va, &vb, NULL);
    x->loose_names = 0;
    if (!found || s.sa < h || (s.ent >= 0 && byline(x, s.ent)) ||
        (s.ent < 0 && !cat(x, s.sa, C_ROLE | C_INST | C_ANON | C_CHANNEL) &&
         !(s.kind == QS_PERSON && s.sa > h && cat(x, h, C_ROLE | C_ANON)))) /* title + name */
        return;
    x->subj = s;
    x->subj_sb = (uint32_t)sb;
    x->subj_ok = 1;
    const rasd_token *v = &x->tok[k];
    int verb_fem = h > k && v->key_len >= 6 && memcmp(v->key + v->key_len - 2, "\xD8\xAA", 2) == 0;
    if (verb_fem || ends_ta_marbuta(x, h))
        x->subj_g = G_F;
    else
        x->subj_g = s.ent >= 0 && x->ents->items[s.ent].type == NER_PERS ? G_M : G_ANY;
}
