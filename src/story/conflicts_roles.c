/*
 * conflicts_roles.c — the role and attribution rules of the conflict
 * detector (split from conflicts.c, where the file comment explains every
 * rule): one office given to two different people across outlets, and one
 * statement given to two different speakers.
 */
#include "story/conflicts_impl.h"

#include <stdio.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/dates.h"
#include "annotate/names.h"
#include "annotate/ner.h"
#include "annotate/roles.h"
#include "story/align.h"
#include "story/compare.h"
#include "story/compare_lex.h"
#include "story/namelike.h"
#include "story/vector.h"

/* ---- role ---- */

/* Is a person named right after byte at (a space or two away)? */
static int person_after(const EntityList *l, uint32_t at)
{
    for (size_t k = 0; k < l->n; k++)
        if (l->items[k].type == NER_PERS && l->items[k].start >= at && l->items[k].start <= at + 2)
            return 1;
    return 0;
}

/*
 * Is the role phrase next to the name it was given to: at most 60 bytes
 * apart (a comma, الأمير، صاحب السمو الملكي), with no other person named
 * between? Farther, the parser guessed across a clause (أمر خادم الحرمين
 * الشريفين ... بتعيين فلان), and a conflict would rest on the guess.
 */
static int role_next_to_name(const char *t, const EntityList *l, const Entity *e, const Role *r)
{
    uint32_t gap_s = r->end <= e->start ? r->end : e->end;
    uint32_t gap_e = r->end <= e->start ? e->start : r->start;
    if (gap_e < gap_s || gap_e - gap_s > 60)
        return 0;
    /* a name before the office needs the comma of an apposition (جون كيري،
       وزير الخارجية): without it the office is mostly the object of the
       clause (محمد بن زايد يستقبل وزير الخارجية، ووعد بارزاني وزير الدفاع) */
    if (e->end <= r->start) {
        int comma = 0, blank = 1;
        for (uint32_t i = gap_s; i + 1 < gap_e + 1 && !comma; i++)
            comma = t[i] == ',' || (i + 2 <= gap_e && !memcmp(t + i, "،", 2));
        for (uint32_t i = gap_s; i < gap_e && blank; i++)
            blank = t[i] == ' ';
        /* ... except a full name right before the office, no word between,
           and no name after it that the office could open (قال جيوفاني
           مالاجو رئيس اللجنة الأولمبية؛ not استقبل محمد بن سلمان وزير الدفاع
           الأمريكي آشتون كارتر, nor ووعد بارزاني وزير الدفاع) */
        if (!comma && !(blank && memchr(t + e->start, ' ', e->end - e->start) &&
                        !person_after(l, r->end)))
            return 0;
    }
    for (size_t k = 0; k < l->n; k++) {
        const Entity *x = &l->items[k];
        if (x != e && x->type == NER_PERS && x->start >= gap_s && x->end <= gap_e)
            return 0;
    }
    return 1;
}

/* Does the word at t+i (i at a word start) equal w, with or without ال? */
static int word_is(const char *t, uint32_t i, uint32_t end, const char *w)
{
    size_t wl = strlen(w);
    if (i + 4 <= end && !memcmp(t + i, "ال", 4))
        i += 4;
    return i + wl <= end && !memcmp(t + i, w, wl) &&
           (i + wl == end || t[i + wl] == ' ' || t[i + wl] == ',');
}

/* Where e's name begins: name_start, which a stored annotation leaves 0. */
static uint32_t name_from(const Entity *e)
{
    return e->name_start > e->start && e->name_start < e->end ? e->name_start : e->start;
}

/*
 * Is the office's country left unsaid: its jurisdiction a bare state noun
 * (ملك المملكة الأردنية، ملك مملكة البحرين، رئيس الجمهورية اليمنية) whose
 * name or adjective follows it? The role finder keys such an office by
 * the noun alone (ملك|مملكة), so Jordan's and Bahrain's kings would share
 * it. Mentions of it hold no office a conflict can rest on.
 */
static int state_noun_unsaid(const char *t, const EntityList *l, const Role *r)
{
    static const char *const noun[] = { "مملكة", "جمهورية", "دولة", "إمارة", "امارة", "سلطنة" };
    for (size_t k = 0; k < l->n; k++) {
        const Entity *x = &l->items[k];
        if (x->start < r->start || x->start > r->end || x->type != NER_LOC)
            continue;
        int bare = 0;
        for (size_t w = 0; w < sizeof noun / sizeof *noun && !bare; w++)
            bare = word_is(t, name_from(x), x->end, noun[w]);
        if (!bare)
            continue;
        for (size_t j = k + 1; j < l->n; j++)
            if ((l->items[j].type == NER_LOC || l->items[j].type == NER_MISC) &&
                l->items[j].start > x->end && l->items[j].start <= x->end + 2)
                return 1;
    }
    return 0;
}

/*
 * Is the holder's name a piece of another: a nasab link opening it right
 * after a person's name (عبدالله الثاني ابن الحسين: the tagger's second
 * name "ابن الحسين"), or one word that is a title of a place named right
 * after it (هنأ خادم الحرمين الشريفين سلطان بروناي: the Sultan of Brunei
 * is congratulated; his title read as a given name)?
 */
static int holder_fragment(const char *t, const EntityList *l, const Entity *e)
{
    static const char *const link[] = { "ابن ", "بن ", "بنت ", "آل " };
    uint32_t from = name_from(e);
    for (size_t w = 0; w < sizeof link / sizeof *link; w++)
        if (e->end - from > strlen(link[w]) && !memcmp(t + from, link[w], strlen(link[w])))
            for (size_t k = 0; k < l->n; k++)
                if (l->items[k].type == NER_PERS && l->items[k].end <= e->start &&
                    l->items[k].end + 2 >= e->start)
                    return 1;
    if (memchr(t + from, ' ', e->end - from))
        return 0;
    static const char *const title[] = { "سلطان", "أمير", "امير", "ملك", "شيخ", "حاكم" };
    int is_title = 0;
    for (size_t w = 0; w < sizeof title / sizeof *title && !is_title; w++)
        is_title = word_is(t, from, e->end, title[w]);
    if (!is_title)
        return 0;
    for (size_t k = 0; k < l->n; k++)
        if (l->items[k].type == NER_LOC && l->items[k].start > e->end && l->items[k].start <= e->end + 2)
            return 1;
    return 0;
}

typedef struct RoleMention {
    size_t doc;
    const Entity *e;
    const char *office;
    size_t olen;
    uint32_t r_start, r_end; /* role phrase (for the subject) */
} RoleMention;

/*
 * Can mention x hold its office for a conflict at all? Not when its
 * sentence tells of a succession, another time or a proxy (مستشار خادم
 * الحرمين، في معية خادم الحرمين), a prospect, a list of four or more people,
 * offices joined by و, or the name is a stray word no other mention
 * carries. The same test admits a pair that opens a conflict and each
 * holder shown in it: a found conflict once listed every mention of the
 * office, the king's advisers and entourage with it.
 */
static int mention_holds(const ConflictDoc *docs, size_t n, const RoleMention *x)
{
    size_t kl;
    const char *k = conflicts_ekey(docs[x->doc].ents, x->e, &kl);
    const char *t = rasd_doc_text(docs[x->doc].doc, NULL);
    uint32_t s, e;
    conflicts_sentence_at(docs[x->doc].doc, x->e->start, &s, &e);
    return conflicts_known_name(docs, n, k, kl) && !conflicts_tells_succession(t, s, e) &&
           !conflicts_past_or_proxy(&docs[x->doc], x->r_start, x->r_end, s, e) &&
           !conflicts_prospective(t, s, x->e->start < x->r_start ? x->e->start : x->r_start) &&
           conflicts_people_in(&docs[x->doc], s, e) < 4 &&
           !conflicts_coordinated(&docs[x->doc], x->r_start, x->r_end);
}

void conflicts_role_conflicts(const ConflictDoc *docs, size_t n, const ConflictOpts *o, Out *out)
{
    RoleMention *m = NULL;
    size_t nm = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const EntityList *l = docs[i].ents;
        if (!l)
            continue;
        for (size_t k = 0; k < l->n; k++) {
            const Entity *e = &l->items[k];
            if (!e->role || e->type != NER_PERS || !e->key_len)
                continue;
            const Role *r = &l->roles.items[e->role - 1];
            if (r->flags & (ROLE_FORMER | ROLE_ELECT))
                continue;
            for (size_t q = 0; q < r->noffices; q++) {
                if (nm == cap) {
                    cap = cap ? cap * 2 : 32;
                    RoleMention *x = realloc(m, cap * sizeof *x);
                    if (!x) {
                        free(m);
                        out->oom = 1;
                        return;
                    }
                    m = x;
                }
                size_t ol;
                const char *ok = roles_key(&l->roles, r, q, &ol);
                const char *dt = rasd_doc_text(docs[i].doc, NULL);
                if (!role_next_to_name(dt, l, e, r) || state_noun_unsaid(dt, l, r) ||
                    holder_fragment(dt, l, e))
                    continue;
                m[nm++] = (RoleMention){ i, e, ok, ol, r->start, r->end };
            }
        }
    }
    uint8_t *done = calloc(nm ? nm : 1, 1);
    for (size_t i = 0; done && i < nm; i++) {
        if (done[i] || !roles_same_office(m[i].office, m[i].olen, m[i].office, m[i].olen) ||
            conflicts_many_holders(rasd_doc_text(docs[m[i].doc].doc, NULL) + m[i].r_start,
                         m[i].r_end - m[i].r_start))
            continue;
        /* the group of specific mentions of this office */
        size_t *grp = malloc(nm * sizeof *grp), ng = 0;
        if (!grp)
            break;
        for (size_t j = i; j < nm; j++)
            if (!done[j] && roles_same_office(m[i].office, m[i].olen, m[j].office, m[j].olen)) {
                grp[ng++] = j;
                done[j] = 1;
            }
        /* two holders, not one person, in comparable articles */
        int found = 0;
        for (size_t a = 0; a < ng && !found; a++)
            for (size_t b = a + 1; b < ng && !found; b++) {
                const RoleMention *x = &m[grp[a]], *y = &m[grp[b]];
                size_t xl, yl;
                const char *xk = conflicts_ekey(docs[x->doc].ents, x->e, &xl);
                const char *yk = conflicts_ekey(docs[y->doc].ents, y->e, &yl);
                const char *xt = rasd_doc_text(docs[x->doc].doc, NULL) + x->e->start;
                const char *yt = rasd_doc_text(docs[y->doc].doc, NULL) + y->e->start;
                if (x->doc == y->doc || namelike_same_person(xk, xl, yk, yl) || namelike_alike(xk, xl, yk, yl) ||
                    conflicts_fuller_name_joins(docs, n, xk, xl, yk, yl) ||
                    conflicts_name_reads_on(&docs[x->doc], x->e, yk, yl) ||
                    conflicts_name_reads_on(&docs[y->doc], y->e, xk, xl) ||
                    names_match(xt, x->e->end - x->e->start, yt, y->e->end - y->e->start) == 1 ||
                    conflicts_one_name_but_abd(xt, x->e->end - x->e->start, yt, y->e->end - y->e->start) ||
                    conflicts_name_glued(xt, x->e->end - x->e->start, yt, y->e->end - y->e->start) ||
                    !conflicts_comparable(&docs[x->doc], &docs[y->doc], o->max_gap_days))
                    continue;
                /* an article naming the other holder in the same sentence
                   (وزير الطاقة الروسي ... وعبدالله البدري) gives two people,
                   and which of them holds the office is the role parser's guess */
                uint32_t xs, xe, ys, ye;
                conflicts_sentence_at(docs[x->doc].doc, x->e->start, &xs, &xe);
                conflicts_sentence_at(docs[y->doc].doc, y->e->start, &ys, &ye);
                if (conflicts_names_person_in(&docs[x->doc], xs, xe, yk, yl) ||
                    conflicts_names_person_in(&docs[y->doc], ys, ye, xk, xl) ||
                    !mention_holds(docs, n, x) || !mention_holds(docs, n, y))
                    continue;
                found = 1;
            }
        if (found) {
            const RoleMention *f = &m[grp[0]];
            const char *txt = rasd_doc_text(docs[f->doc].doc, NULL);
            Conflict *c = conflicts_new_conflict(out, K_ROLE, txt + f->r_start, f->r_end - f->r_start,
                                       f->office, f->olen);
            /* values: specific mentions, then compatible vaguer ones naming a holder */
            for (size_t pass = 0; c && pass < 2; pass++)
                for (size_t j = 0; j < (pass ? nm : ng); j++) {
                    const RoleMention *x = pass ? &m[j] : &m[grp[j]];
                    if (pass && (roles_same_office(x->office, x->olen, x->office, x->olen) ||
                                 !roles_compatible(f->office, f->olen, x->office, x->olen)))
                        continue;
                    size_t kl;
                    const char *k = conflicts_ekey(docs[x->doc].ents, x->e, &kl);
                    size_t v = NO_VALUE;
                    const char *xt = rasd_doc_text(docs[x->doc].doc, NULL) + x->e->start;
                    size_t xtl = x->e->end - x->e->start;
                    for (size_t q = 0; q < c->nv && v == NO_VALUE; q++)
                        if (namelike_same_person(c->v[q].key, strlen(c->v[q].key), k, kl) ||
                            namelike_alike(c->v[q].key, strlen(c->v[q].key), k, kl) ||
                            conflicts_fuller_name_joins(docs, n, c->v[q].key, strlen(c->v[q].key), k, kl) ||
                            names_match(c->v[q].text, strlen(c->v[q].text), xt, xtl) == 1 ||
                            conflicts_one_name_but_abd(c->v[q].text, strlen(c->v[q].text), xt, xtl) ||
                            conflicts_name_glued(c->v[q].text, strlen(c->v[q].text), xt, xtl))
                            v = q;
                    if (v == NO_VALUE && (pass || !mention_holds(docs, n, x)))
                        continue; /* a vaguer mention never adds a holder, nor does a stray
                                     word, a proxy or a name in a list */
                    const char *t = rasd_doc_text(docs[x->doc].doc, NULL);
                    if (v == NO_VALUE)
                        v = conflicts_value_of(out, c, k, kl, t + x->e->start, x->e->end - x->e->start);
                    uint32_t s, e;
                    conflicts_sentence_at(docs[x->doc].doc, x->e->start, &s, &e);
                    conflicts_add_evidence(out, c, v, x->doc, s, e);
                }
        }
        free(grp);
    }
    free(done);
    free(m);
}

/* ---- attribution ---- */

/* Content stems of [s,e) as sorted hashes. */
static size_t stems_of(const rasd_doc *d, uint32_t s, uint32_t e, uint64_t *out, size_t max)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t n = 0;
    for (size_t i = 0; i < rasd_doc_ntokens(d) && n < max; i++)
        if (t[i].start >= s && t[i].end <= e && conflicts_content_word(&t[i]))
            out[n++] = rasd_hash(t[i].stem, t[i].stem_len);
    return n;
}

static double dice(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t common = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (a[i] == b[j]) {
                common++;
                break;
            }
    return na + nb ? 2.0 * common / (double)(na + nb) : 0;
}

/*
 * Is the name at `at` the person spoken with or to (محادثاته مع الرئيس
 * الكيني أوهورو كينياتا، قال لنظيره)? The quote extractor sometimes
 * takes the addressee for the speaker; such a speaker is no evidence.
 */
static int addressed(const char *t, uint32_t at)
{
    static const char *const cues[] = { "مع ", "لنظير", "إلى ", "الى " };
    uint32_t from = at > 40 ? at - 40 : 0;
    /* within the speaker's sentence: "… يتطور إلى مرض السكري.\nوقالت X"
       names no addressee */
    for (uint32_t i = at; i > from; i--)
        if (t[i - 1] == '\n' || t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?' ||
            (i >= 2 && (unsigned char)t[i - 2] == 0xD8 && (unsigned char)t[i - 1] == 0x9F)) {
            from = i; /* after . ! ? ؟ or a line break */
            break;
        }
    for (size_t c = 0; c < sizeof cues / sizeof *cues; c++) {
        size_t cl = strlen(cues[c]);
        for (uint32_t i = from; i + cl <= at; i++)
            if (!memcmp(t + i, cues[c], cl) && (i == 0 || t[i - 1] == ' '))
                return 1;
    }
    return 0;
}

void conflicts_attribution_conflicts(const ConflictDoc *docs, size_t n, const ConflictOpts *o,
                                  Out *out)
{
    enum { MAXW = 64 };
    uint64_t wa[MAXW], wb[MAXW];
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            if (!docs[i].quotes || !docs[j].quotes || !conflicts_comparable(&docs[i], &docs[j], o->max_gap_days))
                continue;
            const QuoteList *qa = docs[i].quotes, *qb = docs[j].quotes;
            for (size_t x = 0; x < qa->n; x++) {
                const Quote *a = &qa->items[x];
                /* people named at the cue only: an institution "says" through
                   people, and a resolved role or implicit speaker is the
                   extractor's inference, not the outlet's claim */
                if (!a->key_len || a->kind != QS_PERSON || !a->direct)
                    continue;
                size_t na = stems_of(docs[i].doc, a->start, a->end, wa, MAXW);
                if (na < 4)
                    continue;
                for (size_t y = 0; y < qb->n; y++) {
                    const Quote *b = &qb->items[y];
                    if (!b->key_len || b->kind != QS_PERSON || !b->direct)
                        continue;
                    const char *ka = qa->keys.data + a->key_off, *kb = qb->keys.data + b->key_off;
                    if (namelike_same_person(ka, a->key_len, kb, b->key_len) ||
                        namelike_share_word(ka, a->key_len, kb, b->key_len) ||
                        namelike_alike(ka, a->key_len, kb, b->key_len))
                        continue;
                    size_t nb = stems_of(docs[j].doc, b->start, b->end, wb, MAXW);
                    if (nb < 4 || dice(wa, na, wb, nb) < 0.8)
                        continue;
                    const char *ta_ = rasd_doc_text(docs[i].doc, NULL);
                    const char *tb_ = rasd_doc_text(docs[j].doc, NULL);
                    /* an outlet that names the other speaker around the quote
                       (the person addressed, a second speaker) gives both
                       people: which one spoke is the extractor's reading */
                    uint32_t as0, ae0, bs0, be0, s1, e1;
                    conflicts_sentence_at(docs[i].doc, a->cue_start < a->cue_end ? a->cue_start : a->start,
                                &as0, &ae0);
                    conflicts_sentence_at(docs[i].doc, a->end, &s1, &e1);
                    ae0 = e1 > ae0 ? e1 : ae0;
                    as0 = a->start < as0 ? a->start : as0;
                    conflicts_sentence_at(docs[j].doc, b->cue_start < b->cue_end ? b->cue_start : b->start,
                                &bs0, &be0);
                    conflicts_sentence_at(docs[j].doc, b->end, &s1, &e1);
                    be0 = e1 > be0 ? e1 : be0;
                    bs0 = b->start < bs0 ? b->start : bs0;
                    uint32_t sa = a->spk_start < a->spk_end ? a->spk_start : a->said_start;
                    uint32_t sb = b->spk_start < b->spk_end ? b->spk_start : b->said_start;
                    uint32_t sae = a->spk_start < a->spk_end ? a->spk_end : a->said_end;
                    uint32_t sbe = b->spk_start < b->spk_end ? b->spk_end : b->said_end;
                    if (conflicts_honorific_speaker(ta_ + sa, sae - sa) ||
                        conflicts_honorific_speaker(tb_ + sb, sbe - sb) ||
                        conflicts_honorific_speaker(ta_ + a->said_start, a->said_end - a->said_start) ||
                        conflicts_honorific_speaker(tb_ + b->said_start, b->said_end - b->said_start) ||
                        conflicts_names_person_in(&docs[i], as0, ae0, kb, b->key_len) ||
                        conflicts_names_person_in(&docs[j], bs0, be0, ka, a->key_len) ||
                        addressed(ta_, a->said_start) || addressed(tb_, b->said_start))
                        continue;
                    const char *ta = rasd_doc_text(docs[i].doc, NULL);
                    const char *tb = rasd_doc_text(docs[j].doc, NULL);
                    Buf key = {0};
                    conflicts_stem_key(docs[i].doc, a->start, a->end, 6, &key);
                    Conflict *c = key.oom ? NULL
                                          : conflicts_new_conflict(out, K_ATTRIB, ta + a->start, a->end - a->start,
                                                         key.data ? key.data : "", key.len);
                    buf_free(&key);
                    if (!c)
                        return;
                    uint32_t as = a->spk_start < a->spk_end ? a->spk_start : a->said_start;
                    uint32_t ae = a->spk_start < a->spk_end ? a->spk_end : a->said_end;
                    uint32_t bs = b->spk_start < b->spk_end ? b->spk_start : b->said_start;
                    uint32_t be = b->spk_start < b->spk_end ? b->spk_end : b->said_end;
                    size_t va = conflicts_value_of(out, c, ka, a->key_len, ta + as, ae - as);
                    size_t vb = conflicts_value_of(out, c, kb, b->key_len, tb + bs, be - bs);
                    uint32_t s, e;
                    conflicts_sentence_at(docs[i].doc, a->start, &s, &e);
                    conflicts_add_evidence(out, c, va, i, s, e);
                    conflicts_sentence_at(docs[j].doc, b->start, &s, &e);
                    conflicts_add_evidence(out, c, vb, j, s, e);
                }
            }
        }
}
