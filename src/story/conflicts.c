/*
 * conflicts.c — contradictions between the outlets of one story
 * (conflicts.h).
 *
 * Only articles of different independent sources, published at most
 * max_gap_days apart, are compared: a copy cannot contradict its original,
 * and an office may change hands between two reports months apart.
 *
 * Every conflict names its rule and the slot that differs (conflicts.h).
 * Each rule below reports only what an outlet says differently, not what
 * an annotator read differently: most false reports on SaudiNewsNet were
 * the latter (a name cut short, a role given to the wrong name, a figure
 * read in pieces), so each rule first asks whether the two values can be
 * one thing read two ways (BENCHMARKS.md, "Conflicts precision").
 *
 * role (one-office-two-holders). Every person named with an office
 * (annotate/roles.h), the role phrase next to the name (at most 60 bytes
 * apart, no other person between), gives (office key, holder key).
 * Mentions whose office is single-holder and located (roles_same_office;
 * deputies, advisers and members are many) are grouped; a group with two
 * holders is a conflict unless they may be one person: equal keys, one
 * inside the other, names_match, like words (one edit: هلند / الند, عبد
 * before a name), one name once every عبد is dropped (نجيب عبد الرزاق /
 * نجيب رزاق), one fuller name in the story holding both, the mention
 * read on by one word naming the other (خالد محفوظ [بحاح]), or one name
 * the other's surname with the next word read into it (أوباما فغالب).
 * A succession includes a holder who moved on (منذ أن انتقلت ...).
 * Neither a one-word holder that no longer name of the story holds, nor a
 * sentence telling of a succession or a late holder, a year two or more
 * from the article's, a proxy (نيابة عن، مستشار) or a prospect (a verb of
 * becoming or a condition before it: وإذا أصبحت ... الرئيسة) opens a
 * conflict, nor an article naming the other holder in the same sentence. A vaguer
 * mention (وزير الدفاع without a country) never makes a conflict by
 * itself but joins as evidence when it names one of the holders.
 *
 * number (aligned-figures), wording (definite-frame). Sentences of the two
 * articles are aligned (story/align.h). Numbers: quantities of one counted
 * thing in one aligned pair that cannot both hold (compare_quantities:
 * roundings, bounds and marked updates are not conflicts), where the word
 * diff replaces one figure by the other, nothing else in the pair changed
 * (no other content word, no other figure), neither figure is a piece of
 * a number written in parts, and no percentage a price moved by (a
 * reading at an hour). Wording: in two sentences sharing at least six
 * content words, a frame — the same content word on both sides of a one-
 * or two-word gap, adjacent in the text — filled with as many different
 * content words on each side (no shared stem or consonant skeleton, not a
 * one-letter typo or ض for ظ, spelling variant, synonym, reporting verb or other
 * light word, not part of a name or office phrase). Every word of the
 * frame must be definite with no other proclitic: a definite noun and the
 * definite adjectives that agree with it ("القاعدة [الصينية العسكرية]
 * الروسية" / "القاعدة [الصناعية الدفاعية] الروسية"). A one-word swap
 * counts only between aligned sentences (similarity >= 0.7): between
 * other sentences of a story it is mostly another referent (القوات
 * الجوية / البرية), and a description swapped for a nationality (النظام
 * الإسلامي / التركي المحافظ) is a paraphrase. An article writing both
 * phrases settles it.
 *
 * date (aligned-dates). Aligned sentences (similarity >= 0.5) with as many
 * explicit dates each, paired in order, exactly one pair not overlapping
 * (2023-07 and 2023-07-15 overlap; 2023-07 and 2023-08 do not), written
 * with other figures (عام 1430 / 1430هـ is the parser's calendar), not a
 * count's cut-off (حتى ...), and nothing else in the pair changed (two
 * executions in one template sentence).
 *
 * attribution (same-quote-two-speakers). Direct quotations whose words
 * agree (Dice >= 0.8 over content stems), each given to a person named at
 * its cue, where the two names share no word and are not alike, and
 * neither outlet names the other speaker around the quote (the person
 * addressed), and neither speaker is an honorific pronoun (فضيلته، سموه:
 * the person it stands for is the one the other outlet names): the
 * extractor's inferences (a role or an implicit speaker resolved) are never
 * the evidence of a conflict.
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

void conflict_opts_default(ConflictOpts *o)
{
    o->max_gap_days = 7;
    o->wording_min_sim = 0.25;
}

/* ---- output: values with their evidence ---- */

const char K_ROLE[] = "role", K_NUMBER[] = "number", K_DATE[] = "date",
                  K_WORDING[] = "wording", K_ATTRIB[] = "attribution";

/* The rules, named in the JSON so a reader knows why rasd thinks it is a
   conflict, and the slot each one compares. */
static const char R_ROLE[] = "one-office-two-holders", R_NUMBER[] = "aligned-figures",
                  R_DATE[] = "aligned-dates", R_WORDING[] = "definite-frame",
                  R_ATTRIB[] = "same-quote-two-speakers";

/* The rule and slot of each kind (kinds have one rule each). */
static void rule_of(const char *kind, const char **rule, const char **slot)
{
    if (kind == K_ROLE) {
        *rule = R_ROLE;
        *slot = "holder";
    } else if (kind == K_NUMBER) {
        *rule = R_NUMBER;
        *slot = "figure";
    } else if (kind == K_DATE) {
        *rule = R_DATE;
        *slot = "date";
    } else if (kind == K_ATTRIB) {
        *rule = R_ATTRIB;
        *slot = "speaker";
    } else {
        *rule = R_WORDING;
        *slot = "words";
    }
}


static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

/*
 * The conflict of this kind and key, created with subject if new: every
 * pair of articles reports what it sees, and one disagreement seen by many
 * pairs must be told once, with all its sources.
 */
Conflict *conflicts_new_conflict(Out *o, const char *kind, const char *subj, size_t subj_len,
                              const char *key, size_t key_len)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->c[i].kind == kind && strlen(o->c[i].key) == key_len &&
            !memcmp(o->c[i].key, key, key_len))
            return &o->c[i];
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 8;
        Conflict *x = realloc(o->c, nc * sizeof *x);
        if (!x) {
            o->oom = 1;
            return NULL;
        }
        o->c = x;
        o->cap = nc;
    }
    Conflict *c = &o->c[o->n];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    rule_of(kind, &c->rule, &c->slot);
    c->subject = dupn(subj, subj_len);
    c->key = dupn(key, key_len);
    if (!c->subject || !c->key) {
        o->oom = 1;
        return NULL;
    }
    o->n++;
    return c;
}

/* The index of the value with key (creating it with text); NO_VALUE on OOM.
   An index, not a pointer: adding a value moves the others. */
size_t conflicts_value_of(Out *o, Conflict *c, const char *key, size_t kl, const char *text,
                       size_t tl)
{
    for (size_t i = 0; i < c->nv; i++)
        if (strlen(c->v[i].key) == kl && !memcmp(c->v[i].key, key, kl))
            return i;
    Value *nv = realloc(c->v, (c->nv + 1) * sizeof *nv);
    if (!nv) {
        o->oom = 1;
        return NO_VALUE;
    }
    c->v = nv;
    Value *v = &c->v[c->nv++];
    memset(v, 0, sizeof *v);
    v->key = dupn(key, kl);
    v->text = dupn(text, tl);
    if (!v->key || !v->text)
        o->oom = 1;
    return c->nv - 1;
}

void conflicts_add_evidence(Out *o, Conflict *c, size_t vi, size_t doc, uint32_t s, uint32_t e)
{
    if (vi == NO_VALUE)
        return;
    Value *v = &c->v[vi];
    for (size_t i = 0; i < v->nev; i++)
        if (v->ev[i].doc == doc && v->ev[i].s_start == s)
            return;
    if (v->nev == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 4;
        Evidence *ne = realloc(v->ev, nc * sizeof *ne);
        if (!ne) {
            o->oom = 1;
            return;
        }
        v->ev = ne;
        v->cap = nc;
    }
    v->ev[v->nev++] = (Evidence){ doc, s, e };
}

static void out_free(Out *o)
{
    for (size_t i = 0; i < o->n; i++) {
        for (size_t k = 0; k < o->c[i].nv; k++) {
            free(o->c[i].v[k].text);
            free(o->c[i].v[k].key);
            free(o->c[i].v[k].ev);
        }
        free(o->c[i].v);
        free(o->c[i].subject);
        free(o->c[i].key);
    }
    free(o->c);
}

/* Stems of the content words of [s,e), space-separated, into b: a key. */
void conflicts_stem_key(const rasd_doc *d, uint32_t s, uint32_t e, size_t max, Buf *b)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t k = 0;
    for (size_t i = 0; i < rasd_doc_ntokens(d) && k < max; i++) {
        if (t[i].start < s || t[i].end > e || t[i].stem_len < 1 ||
            (t[i].type != RASD_TOK_ARABIC && t[i].type != RASD_TOK_LATIN &&
             t[i].type != RASD_TOK_NUMBER))
            continue;
        if (k++)
            buf_putc(b, ' ');
        buf_append(b, t[i].stem, t[i].stem_len);
    }
}

/* A counted noun's key without inflection endings (متر / متراً), in buf. */
const char *conflicts_noun_key(const rasd_token *t, char *buf, size_t size)
{
    size_t n;
    const char *k = word_light_key(t, &n);
    if (!k) {
        k = t->stem;
        n = t->stem_len;
    }
    if (n >= size)
        n = size - 1;
    memcpy(buf, k, n);
    buf[n] = 0;
    return buf;
}

/* ---- helpers ---- */

/* The sentence containing byte offset at. */
void conflicts_sentence_at(const rasd_doc *d, uint32_t at, uint32_t *s, uint32_t *e)
{
    const rasd_sentence *ss = rasd_doc_sentences(d);
    size_t n = rasd_doc_nsentences(d), lo = 0, hi = n;
    while (lo < hi) { /* last sentence starting at or before at */
        size_t mid = (lo + hi) / 2;
        if (ss[mid].start <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) {
        *s = at;
        *e = at;
        return;
    }
    *s = ss[lo - 1].start;
    *e = ss[lo - 1].end;
}

int conflicts_comparable(const ConflictDoc *a, const ConflictDoc *b, int max_gap)
{
    /* one source, or one outlet (which may correct itself), never conflicts */
    if (a->source == b->source || (a->outlet && b->outlet && !strcmp(a->outlet, b->outlet)))
        return 0;
    int32_t da = sv_day(a->published), db = sv_day(b->published);
    if (da == SV_NO_DAY || db == SV_NO_DAY)
        return 0;
    return (da > db ? da - db : db - da) <= max_gap;
}

const char *conflicts_ekey(const EntityList *l, const Entity *e, size_t *n)
{
    *n = e->key_len;
    return l->keys.data ? l->keys.data + e->key_off : "";
}

/*
 * Does some article of the story name one person whose fuller name holds
 * both a and b (خالد محفوظ بحاح for خالد محفوظ and خالد بحاح)? Then a
 * and b are two shortenings of that name.
 */
int conflicts_fuller_name_joins(const ConflictDoc *docs, size_t n, const char *a, size_t an,
                             const char *b, size_t bn)
{
    for (size_t d = 0; d < n; d++)
        for (size_t i = 0; docs[d].ents && i < docs[d].ents->n; i++) {
            const Entity *x = &docs[d].ents->items[i];
            if (x->type != NER_PERS || !x->key_len || x->key_len <= an || x->key_len <= bn)
                continue;
            size_t xl;
            const char *xk = conflicts_ekey(docs[d].ents, x, &xl);
            if (namelike_same_person(xk, xl, a, an) && namelike_same_person(xk, xl, b, bn))
                return 1;
        }
    return 0;
}

/*
 * Does doc d name, in [s,e), a person who may be the one with key k? Then
 * the article knows both people of a disagreement in that very sentence
 * (a list of ministers, a quote addressed to someone), and the
 * disagreement is more likely the extractor's than the outlets'.
 */
int conflicts_names_person_in(const ConflictDoc *d, uint32_t s, uint32_t e, const char *k, size_t kl)
{
    for (size_t i = 0; d->ents && i < d->ents->n; i++) {
        const Entity *x = &d->ents->items[i];
        if (x->type != NER_PERS || x->start < s || x->end > e || !x->key_len)
            continue;
        size_t xl;
        const char *xk = conflicts_ekey(d->ents, x, &xl);
        if (namelike_same_person(xk, xl, k, kl) || namelike_alike(xk, xl, k, kl))
            return 1;
    }
    return 0;
}

/*
 * Does the mention e of doc d, read on by one word, name the person of key
 * k too (خالد محفوظ tagged in "خالد محفوظ بحاح", against خالد بحاح)? The
 * tagger often stops a long name short, and the word after it shows the
 * two holders are one man.
 */
int conflicts_name_reads_on(const ConflictDoc *d, const Entity *e, const char *k, size_t kl)
{
    const rasd_token *t = rasd_doc_tokens(d->doc);
    size_t nt = rasd_doc_ntokens(d->doc);
    const char *txt = rasd_doc_text(d->doc, NULL);
    size_t i = 0;
    while (i < nt && t[i].start < e->end)
        i++;
    Buf b = {0};
    int r = i < nt && t[i].type == RASD_TOK_ARABIC && t[i].start <= e->end + 1 &&
            names_key(txt + e->start, t[i].end - e->start, &b) == 0 && b.data &&
            namelike_same_person(b.data, b.len, k, kl);
    /* the name as written, before the tagger gave a one-word mention the
       key of a fuller name in its article (سلمان → محمد بن سلمان) */
    b.len = 0;
    r = r || (names_key(txt + e->start, e->end - e->start, &b) == 0 && b.data &&
              (namelike_same_person(b.data, b.len, k, kl) || namelike_alike(b.data, b.len, k, kl)));
    buf_free(&b);
    return r;
}

/*
 * Is key k (of a holder) a name the story knows: two or more words, or a
 * word of a longer person's name in some article (شويغو of سيرغي شويغو)?
 * A one-word "holder" found nowhere else is mostly a word the tagger
 * took for the name after an office (رئيس الوزراء التركي وطالب).
 */
int conflicts_known_name(const ConflictDoc *docs, size_t n, const char *k, size_t kl)
{
    if (memchr(k, ' ', kl))
        return 1;
    for (size_t d = 0; d < n; d++)
        for (size_t i = 0; docs[d].ents && i < docs[d].ents->n; i++) {
            const Entity *x = &docs[d].ents->items[i];
            size_t xl;
            const char *xk = conflicts_ekey(docs[d].ents, x, &xl);
            if (x->type == NER_PERS && xl > kl && memchr(xk, ' ', xl) && namelike_same_person(xk, xl, k, kl))
                return 1;
        }
    return 0;
}

/*
 * One name with and without عبد before a word (نجيب عبد الرزاق / نجيب
 * رزاق: Malay, Afghan and other names drop the Abdul of a transcription).
 * The keys cannot tell: the word after عبد is read as an Arabic name and
 * the bare word as a foreign one, so each text is keyed again with every
 * عبد (and the ال after it) dropped.
 */
static void drop_abd(const char *t, size_t n, Buf *out)
{
    static const char ABD[] = "عبد", AL[] = "ال";
    const size_t al = sizeof ABD - 1, ll = sizeof AL - 1;
    for (size_t i = 0; i < n;) {
        int word_start = i == 0 || t[i - 1] == ' ';
        if (word_start && i + al < n && !memcmp(t + i, ABD, al)) {
            size_t j = i + al;
            if (j < n && t[j] == ' ')
                j++;
            if (j + ll < n && !memcmp(t + j, AL, ll))
                j += ll;
            if (j < n && t[j] != ' ' && j > i + al) { /* عبدالـ or عبد الـ: a name follows */
                i = j;
                continue;
            }
        }
        buf_putc(out, t[i++]);
    }
}

int conflicts_one_name_but_abd(const char *a, size_t an, const char *b, size_t bn)
{
    Buf ta = {0}, tb = {0}, ka = {0}, kb = {0};
    drop_abd(a, an, &ta);
    drop_abd(b, bn, &tb);
    int r = !ta.oom && !tb.oom && ta.len && tb.len && (ta.len != an || tb.len != bn) &&
            names_key(ta.data, ta.len, &ka) == 0 && names_key(tb.data, tb.len, &kb) == 0 &&
            ka.data && kb.data && namelike_same_person(ka.data, ka.len, kb.data, kb.len);
    buf_free(&ta);
    buf_free(&tb);
    buf_free(&ka);
    buf_free(&kb);
    return r;
}

/* The i-th space-separated word of [p, p+n): its start and length; 0 when
   there are fewer words. */
static int word_at(const char *p, size_t n, size_t i, const char **w, size_t *wl)
{
    size_t k = 0, a = 0;
    while (a < n) {
        while (a < n && p[a] == ' ')
            a++;
        size_t b = a;
        while (b < n && p[b] != ' ')
            b++;
        if (b > a && k++ == i) {
            *w = p + a;
            *wl = b - a;
            return 1;
        }
        a = b;
    }
    return 0;
}

static size_t count_words(const char *p, size_t n)
{
    const char *w;
    size_t wl, k = 0;
    while (word_at(p, n, k, &w, &wl))
        k++;
    return k;
}

int conflicts_name_glued(const char *a, size_t an, const char *b, size_t bn)
{
    for (int pass = 0; pass < 2; pass++) {
        const char *x = pass ? b : a, *y = pass ? a : b;
        size_t xn = pass ? bn : an, yn = pass ? an : bn;
        size_t xw = count_words(x, xn), yw = count_words(y, yn);
        const char *w1, *w2;
        size_t l1, l2;
        /* x = y's surname and one word more (أوباما فغالب / باراك أوباما) */
        if (xw == 2 && yw >= 2 && word_at(x, xn, 0, &w1, &l1) && word_at(y, yn, yw - 1, &w2, &l2) &&
            l1 == l2 && !memcmp(w1, w2, l1))
            return 1;
    }
    return 0;
}

/*
 * Is the speaker an honorific pronoun (وتساءل فضيلته، وقال سموه، وأكد
 * معاليه)? It stands for a person the article titled, whom another outlet
 * names: no second speaker.
 */
int conflicts_honorific_speaker(const char *t, size_t n)
{
    static const char *const prons[] = { "فضيلته", "سموه", "سموها", "معاليه", "معاليها",
                                         "فخامته", "سماحته", "دولته", "سعادته", "سعادتها",
                                         "جلالته" };
    /* as written, or after a proclitic و / ف (فضيلته itself begins with ف) */
    for (int clitic = 0; clitic < 2; clitic++) {
        if (clitic && !(n > 2 && (!memcmp(t, "و", 2) || !memcmp(t, "ف", 2))))
            break;
        const char *w = t + (clitic ? 2 : 0);
        size_t wn = n - (clitic ? 2 : 0);
        for (size_t k = 0; k < sizeof prons / sizeof *prons; k++)
            if (strlen(prons[k]) == wn && !memcmp(w, prons[k], wn))
                return 1;
    }
    return 0;
}

/*
 * Is the office a prospect, not a holding: the name or the office comes
 * right after a verb of becoming or a condition (وإذا أصبحت هيلاري كلينتون
 * الرئيسة الأميركية، لو فاز ... برئاسة، المرشح لمنصب)? Within the 40 bytes
 * (three or four words) before whichever comes first.
 */
int conflicts_prospective(const char *t, uint32_t s, uint32_t at)
{
    /* word beginnings; a trailing space asks for the whole word */
    static const char *const words[] = { "أصبح", "اصبح", "يصبح", "تصبح", "صار ", "صارت ",
                                          "يصير", "تصير", "إذا ", "اذا ", "لو ", "فاز", "يفوز",
                                          "تفوز", "مرشح", "المرشح", "ترشح", "سيكون", "ستكون" };
    uint32_t from = at > s + 40 ? at - 40 : s;
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t wl = strlen(words[w]);
        for (uint32_t i = from; i + wl <= at; i++) {
            if (memcmp(t + i, words[w], wl))
                continue;
            /* at a word's start, or after one proclitic و or ف */
            int start = i == 0 || t[i - 1] == ' ' ||
                        (i >= 3 && t[i - 3] == ' ' && (!memcmp(t + i - 2, "و", 2) || !memcmp(t + i - 2, "ف", 2)));
            if (start)
                return 1;
        }
    }
    return 0;
}

/*
 * Does the sentence [s,e) tell of the office changing hands (استقالة،
 * إقالة، خلفا لـ، تعيين), of a late holder (رحمه الله، الراحل) or of a
 * former one (السابق: a retrospective sentence, الرئيس الأميركي السابق جون
 * كيندي ... وزير الخارجية الأميركي هنري كيسنجر؛ منذ أن انتقلت ...
 * المتحدثة باسم الخارجية، إلى البيت الأبيض)? Then two holders are a before
 * and an after.
 */
int conflicts_tells_succession(const char *t, uint32_t s, uint32_t e)
{
    static const char *const words[] = { "استقال", "إقالة", "اقالة", "أقيل", "اقيل", "خلفا ل",
                                         "خلفاً ل", "خلفًا ل", "تعيين", "المستقيل",
                                         "المنتهية ولايت", "سلفه", "خليفته", "رحمه الله",
                                         "الراحل", "الفقيد", "المغفور له", "السابق", "الأسبق",
                                         "الاسبق", "انتقل", "ترك منصب", "غادر منصب" };
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t wl = strlen(words[w]);
        for (uint32_t i = s; i + wl <= e; i++)
            if (!memcmp(t + i, words[w], wl))
                return 1;
    }
    return 0;
}

/*
 * Does the role phrase name an office held by several people at once
 * (نائب المتحدث، مساعد الوزير، مستشار، عضو)? Two of them are colleagues,
 * not a contradiction. (roles_same_office calls these single-holder.)
 */
int conflicts_many_holders(const char *p, size_t n)
{
    static const char *const heads[] = { "نائب", "مساعد", "مستشار", "عضو", "أحد", "وكيل" };
    for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
        size_t hl = strlen(heads[h]);
        if (n >= hl && !memcmp(p, heads[h], hl))
            return 1;
    }
    return 0;
}

/*
 * Is this mention of an office about another time or another person: a
 * sentence dated two or more years from the article (في عام 1964 ... رئيس
 * الوزراء التركي عصمت إينونو), or an office named as the one someone acts
 * for or attends (نيابة عن خادم الحرمين، مستشار خادم الحرمين، مبعوث الرئيس، في
 * استقبال خادم الحرمين الأمير ...، في معية خادم الحرمين)?
 */
int conflicts_past_or_proxy(const ConflictDoc *d, uint32_t r_start, uint32_t r_end, uint32_t s,
                         uint32_t e)
{
    const char *t = rasd_doc_text(d->doc, NULL);
    int pub = d->published ? atoi(d->published) : 0;
    int hijri = pub ? (pub - 622) * 33 / 32 : 0;
    for (uint32_t i = s; pub && i + 4 <= e; i++) {
        if ((i > s && t[i - 1] >= '0' && t[i - 1] <= '9') || (i + 4 < e && t[i + 4] >= '0' && t[i + 4] <= '9'))
            continue;
        int y = 0, ok = 1;
        for (int k = 0; k < 4 && ok; k++) {
            ok = t[i + k] >= '0' && t[i + k] <= '9';
            y = y * 10 + (t[i + k] - '0');
        }
        if (ok && ((y >= 1900 && y <= 2100 && abs(y - pub) >= 2) ||
                   (y >= 1300 && y < 1500 && abs(y - hijri) >= 2)))
            return 1;
    }
    /* before the role phrase, or inside it (أمير منطقة مكة ومستشار خادم
       الحرمين: the phrase holds several offices, one of them a proxy's) */
    static const char *const proxy[] = { "نيابة", " عن ", "مستشار", "ممثل", "مبعوث", "استقبال",
                                         "معية", "وداع", "برفقة", "مرافق", "يرافق",
                                         /* "عند حسن ظن خادم الحرمين": the office's
                                            trust, with حسن ظن read as a name */
                                         " ظن " };
    uint32_t from = r_start > s + 24 ? r_start - 24 : s;
    for (size_t w = 0; w < sizeof proxy / sizeof *proxy; w++) {
        size_t wl = strlen(proxy[w]);
        for (uint32_t i = from; i + wl <= r_end && i + wl <= e; i++)
            if (!memcmp(t + i, proxy[w], wl))
                return 1;
    }
    return 0;
}

/*
 * People named in [s,e). A sentence naming four or more (كل من: الأمير
 * ...، والأمير ...) is a list, where which name an office belongs to is
 * the role parser's guess.
 */
size_t conflicts_people_in(const ConflictDoc *d, uint32_t s, uint32_t e)
{
    size_t k = 0;
    for (size_t i = 0; d->ents && i < d->ents->n; i++)
        k += d->ents->items[i].type == NER_PERS && d->ents->items[i].start >= s &&
             d->ents->items[i].end <= e;
    return k;
}

/*
 * Does the role phrase join two offices (مدير شرطة منطقة جازان وقائد قوة
 * جازان اللواء ...، الأمين العام للجامعة العربية ورئيس الأركان المصري)?
 * Then the name may hold only the last of them, whichever the parser
 * gave it.
 */
int conflicts_coordinated(const ConflictDoc *d, uint32_t s, uint32_t e)
{
    /* words that begin with و of their own (وزير، وزارة، ولي العهد، ولاية) */
    static const char *const own[] = { "وزير", "وزار", "وكيل", "وكال", "والي", "ولي", "ولاي",
                                       "وطن", "وحد", "وسط", "وثائق" };
    const char *t = rasd_doc_text(d->doc, NULL);
    for (uint32_t i = s + 1; i + 3 <= e; i++) {
        if (t[i - 1] != ' ' || memcmp(t + i, "و", 2) || i + 2 >= e || t[i + 2] == ' ')
            continue;
        int native = 0;
        for (size_t w = 0; w < sizeof own / sizeof *own && !native; w++)
            native = i + strlen(own[w]) <= e && !memcmp(t + i, own[w], strlen(own[w]));
        if (!native)
            return 1;
    }
    return 0;
}

/* ---- updates: a later figure replacing an earlier one ---- */

/*
 * A count that changes as news comes in (the wounded of one landmine are
 * four in the first wire reports and seven in the next, and the same
 * outlets print both) is not outlets contradicting each other. A figure
 * conflict is an update when the value first published (E) came strictly
 * before the other (L) and either
 *   - one outlet gave E in an article published before one of its own
 *     giving L (it revised its figure), or
 *   - L is higher, the sentences tell a casualty toll, and L first
 *     appeared on a later day than E (tolls are revised upwards as the dead
 *     and wounded are counted).
 * The values are then told earliest first. Publication times are what the
 * feed gives (SaudiNewsNet's are crawl times), so the order is read from
 * first appearances, not from every copy: a stale wire copy of E printed
 * after L does not undo the update.
 */

/* Publication order of two dates: by the time when both carry one
   ("YYYY-MM-DDTHH:MM:SS"), else by the day. */
static int pub_cmp(const char *a, const char *b)
{
    size_t n = strlen(a) >= 19 && strlen(b) >= 19 ? 19 : 10;
    return strncmp(a, b, n);
}

/* The first publication of a value's articles; NULL when one is undated. */
static const char *value_published(const ConflictDoc *docs, const Value *v)
{
    const char *best = NULL;
    for (size_t e = 0; e < v->nev; e++) {
        const char *p = docs[v->ev[e].doc].published;
        if (!p || strlen(p) < 10)
            return NULL;
        if (!best || pub_cmp(p, best) < 0)
            best = p;
    }
    return best;
}

/* Does [p, p+n) tell a casualty toll: a word for the dead, wounded or
   victims, with or without its proclitics (وأصيب، للقتلى، والجرحى)? */
static int tells_toll(const char *p, size_t n)
{
    static const char *const stems[] = { "قتل", "قتيل", "مقتل", "جرح", "جريح", "أصيب", "اصيب",
                                         "إصاب", "اصاب", "مصاب", "مصرع", "حصيل", "ضحاي", "ضحية",
                                         "شهيد", "شهداء", "استشهد", "وفاة", "وفيات", "توفي" };
    const char *w;
    size_t wl;
    for (size_t k = 0; word_at(p, n, k, &w, &wl); k++) {
        for (int strip = 0; strip < 4; strip++) {
            /* 0: as written; 1: و/ف off; 2: and ب/ل/ك; 3: and ال */
            if (strip == 1 && wl > 2 && (!memcmp(w, "و", 2) || !memcmp(w, "ف", 2))) {
                w += 2;
                wl -= 2;
            } else if (strip == 2 && wl > 2 &&
                       (!memcmp(w, "ب", 2) || !memcmp(w, "ل", 2) || !memcmp(w, "ك", 2))) {
                w += 2;
                wl -= 2;
            } else if (strip == 3 && wl > 4 && !memcmp(w, "ال", 4)) {
                w += 4;
                wl -= 4;
            } else if (strip) {
                continue;
            }
            for (size_t s = 0; s < sizeof stems / sizeof stems[0]; s++)
                if (wl >= strlen(stems[s]) && !memcmp(w, stems[s], strlen(stems[s])))
                    return 1;
        }
    }
    return 0;
}

/* Does any sentence of value v tell a toll? */
static int value_tells_toll(const ConflictDoc *docs, const Value *v)
{
    for (size_t e = 0; e < v->nev; e++) {
        const char *t = rasd_doc_text(docs[v->ev[e].doc].doc, NULL);
        if (tells_toll(t + v->ev[e].s_start, v->ev[e].s_end - v->ev[e].s_start))
            return 1;
    }
    return 0;
}

static int doc_has_quantity(const ConflictDoc *docs, const Conflict *c, size_t d,
                            const Quantity *q, size_t nq, double lo, double hi);

/* Does doc d state value v of number conflict c, whose values span [lo[v],
   hi[v]]: as evidence, or as a quantity of the counted thing in an article
   published at most FIGURE_GAP_DAYS from the conflict's first evidence
   (day0) — "four others" wounded a week before is another attack. */
static int doc_states(const ConflictDoc *docs, const Conflict *c, size_t d, Quantity *const *qs,
                      const size_t *nq, const double *lo, const double *hi, int v, int32_t day0)
{
    for (size_t e = 0; e < c->v[v].nev; e++)
        if (c->v[v].ev[e].doc == d)
            return 1;
    int32_t dd = sv_day(docs[d].published);
    return dd != SV_NO_DAY && day0 != SV_NO_DAY && (dd > day0 ? dd - day0 : day0 - dd) <= FIGURE_GAP_DAYS &&
           doc_has_quantity(docs, c, d, qs[d], nq[d], lo[v], hi[v]);
}

/* Is number conflict c an update? The index of the later value, or -1;
   first[v]: the first publication of an article stating value v alone.
   Every article of the story is read (as settle reads them), not only the
   aligned pairs: an outlet is never compared with itself, so its own
   earlier figure is found only here. */
static int update_of(const ConflictDoc *docs, size_t n, Quantity *const *qs, const size_t *nq,
                     const Conflict *c, const char **first)
{
    double lo[2], hi[2];
    if (c->dropped || c->kind != K_NUMBER || c->nv != 2 ||
        sscanf(c->v[0].key, "%lf-%lf", &lo[0], &hi[0]) != 2 ||
        sscanf(c->v[1].key, "%lf-%lf", &lo[1], &hi[1]) != 2)
        return -1;
    int revised[2] = { 0, 0 }; /* revised[v]: an outlet gave v alone, later the other alone */
    first[0] = first[1] = NULL;
    int32_t day0 = SV_NO_DAY;
    for (int v = 0; v < 2; v++)
        for (size_t e = 0; e < c->v[v].nev; e++) {
            int32_t dd = sv_day(docs[c->v[v].ev[e].doc].published);
            if (dd != SV_NO_DAY && (day0 == SV_NO_DAY || dd < day0))
                day0 = dd;
        }
    for (size_t d = 0; d < n; d++) {
        int h0 = doc_states(docs, c, d, qs, nq, lo, hi, 0, day0),
            h1 = doc_states(docs, c, d, qs, nq, lo, hi, 1, day0);
        if (h0 == h1)
            continue;
        int v = h1;
        const char *p = docs[d].published;
        if (!p || strlen(p) < 10)
            return -1;
        if (!first[v] || pub_cmp(p, first[v]) < 0)
            first[v] = p;
        for (size_t x = 0; docs[d].outlet && x < n && !revised[v]; x++) {
            const char *q = docs[x].published;
            revised[v] = x != d && docs[x].outlet && !strcmp(docs[x].outlet, docs[d].outlet) &&
                         q && strlen(q) >= 10 && pub_cmp(q, p) > 0 &&
                         doc_states(docs, c, x, qs, nq, lo, hi, !v, day0) &&
                         !doc_states(docs, c, x, qs, nq, lo, hi, v, day0);
        }
    }
    if (!first[0] || !first[1] || !pub_cmp(first[0], first[1]))
        return -1;
    int later = pub_cmp(first[1], first[0]) > 0; /* the value published first is v[!later] */
    int rose = lo[later] > hi[!later];
    int next_day = strncmp(first[later], first[!later], 10) > 0;
    if (revised[!later] || (rose && next_day && (value_tells_toll(docs, &c->v[0]) ||
                                                 value_tells_toll(docs, &c->v[1]))))
        return later;
    return -1;
}

static void mark_updates(const ConflictDoc *docs, size_t n, Quantity *const *qs, const size_t *nq,
                         Out *o)
{
    for (size_t i = 0; i < o->n; i++) {
        Conflict *c = &o->c[i];
        const char *first[2];
        int later = update_of(docs, n, qs, nq, c, first);
        if (later < 0)
            continue;
        c->update = 1;
        c->v[0].first = first[0];
        c->v[1].first = first[1];
        if (!later) { /* earliest first */
            Value t = c->v[0];
            c->v[0] = c->v[1];
            c->v[1] = t;
        }
    }
}

/* ---- JSON ---- */

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * A stable id for dismissing a conflict: a hash of kind, subject and the
 * values, each by its normalised key (the office, counted noun or frame;
 * the holder's name key, the figure's interval, the date value), values in
 * sorted order, so neither spelling nor the order in which article pairs
 * met them changes it; each part ends with a 0 byte so "a|b" and "ab|" differ.
 */
static uint64_t conflict_id(const Conflict *c)
{
    Buf h = {0};
    buf_append(&h, c->kind, strlen(c->kind) + 1);
    buf_append(&h, c->key, strlen(c->key) + 1);
    const char **v = malloc((c->nv ? c->nv : 1) * sizeof *v);
    for (size_t k = 0; v && k < c->nv; k++)
        v[k] = c->v[k].key;
    if (v) {
        qsort(v, c->nv, sizeof *v, str_cmp);
        for (size_t k = 0; k < c->nv; k++)
            buf_append(&h, v[k], strlen(v[k]) + 1);
    }
    uint64_t id = h.oom ? 0 : rasd_hash(h.data, h.len);
    free(v);
    buf_free(&h);
    return id;
}

/* Do two conflicts of one kind oppose the same values (by key, in any order)? */
static int same_values(const Conflict *x, const Conflict *y)
{
    if (x->kind != y->kind || x->nv != y->nv)
        return 0;
    for (size_t i = 0; i < x->nv; i++) {
        int found = 0;
        for (size_t j = 0; j < y->nv && !found; j++)
            found = !strcmp(x->v[i].key, y->v[j].key);
        if (!found)
            return 0;
    }
    return 1;
}

/*
 * One disagreement told twice (two phrasings of one office: رئيس الحكومة
 * اليمنية / نائب الرئيس اليمني, both with the same two holders) is told
 * once: a later conflict opposing the same values as an earlier one is
 * dropped.
 */
static void drop_repeats(Out *o)
{
    for (size_t i = 0; i < o->n; i++)
        for (size_t j = 0; j < i && !o->c[i].dropped; j++)
            if (!o->c[j].dropped && same_values(&o->c[i], &o->c[j]))
                o->c[i].dropped = 1;
}

/* The outlet a value's evidence e names: its outlet, else the article id. */
static const char *ev_outlet(const ConflictDoc *docs, const Value *v, size_t e)
{
    const ConflictDoc *d = &docs[v->ev[e].doc];
    return d->outlet ? d->outlet : d->id;
}

/* One value: distinct outlets, distinct articles, every aligned sentence. */
static void fill_value(const ConflictDoc *docs, const Value *v, Arena *a, rasd_conflict_value *cv)
{
    cv->value = views_str(a, v->text);
    const char *pub = v->first ? v->first : value_published(docs, v);
    cv->published = pub ? arena_strndup(a, pub, strlen(pub) >= 19 ? 19 : 10) : NULL;
    const char **src = views_calloc(a, v->nev, sizeof *src);
    const char **arts = views_calloc(a, v->nev, sizeof *arts);
    const char **sents = views_calloc(a, v->nev, sizeof *sents);
    rasd_citation *cites = views_calloc(a, v->nev, sizeof *cites); /* url: the caller's */
    if (!src || !arts || !sents || !cites)
        return;
    for (size_t e = 0; e < v->nev; e++) {
        const char *ol = ev_outlet(docs, v, e);
        int dup = !ol;
        for (size_t q = 0; q < e && !dup; q++) {
            const char *p = ev_outlet(docs, v, q);
            dup = p && !strcmp(p, ol);
        }
        if (!dup)
            src[cv->nsources++] = views_str(a, ol);
        dup = 0;
        for (size_t q = 0; q < e && !dup; q++)
            dup = v->ev[q].doc == v->ev[e].doc;
        if (!dup) {
            const char *id = docs[v->ev[e].doc].id;
            arts[cv->narticles++] = views_str(a, id ? id : "");
        }
        const char *text = rasd_doc_text(docs[v->ev[e].doc].doc, NULL);
        uint32_t s0 = v->ev[e].s_start, s1 = v->ev[e].s_end;
        views_trim_span(text, &s0, &s1);
        sents[cv->nsentences++] = arena_strndup(a, text + s0, s1 - s0);
        const char *id = docs[v->ev[e].doc].id;
        cites[cv->ncites++] = (rasd_citation){views_str(a, id ? id : ""), views_str(a, ol), NULL,
                                              s0, s1};
    }
    cv->sources = src;
    cv->articles = arts;
    cv->sentences = sents;
    cv->cites = cites;
}

/* The conflicts found, as the result struct (include/rasd.h) in arena a. */
static void fill_set(const ConflictDoc *docs, const Out *o, Arena *a, rasd_conflict_set *set)
{
    rasd_conflict *items = views_calloc(a, o->n, sizeof *items);
    set->items = items;
    set->n = 0;
    for (size_t i = 0; items && i < o->n; i++) {
        const Conflict *c = &o->c[i];
        if (c->dropped)
            continue;
        /* three or more figures for "one" counted thing: different things
           counted with one noun (a report's many percentages), not a conflict */
        if ((c->kind == K_NUMBER && c->nv > 2) || c->nv < 2)
            continue;
        rasd_conflict *x = &items[set->n++];
        char id[17];
        snprintf(id, sizeof id, "%016llx", (unsigned long long)conflict_id(c));
        x->id = views_str(a, id);
        x->kind = views_str(a, c->kind);
        x->rule = views_str(a, c->rule);
        x->slot = views_str(a, c->slot);
        x->subject = views_str(a, c->subject);
        x->update = c->update;
        rasd_conflict_value *vals = views_calloc(a, c->nv, sizeof *vals);
        if (!vals)
            continue;
        for (size_t k = 0; k < c->nv; k++)
            fill_value(docs, &c->v[k], a, &vals[k]);
        x->values = vals;
        x->nvalues = c->nv;
    }
}

/*
 * Does doc d state a quantity with exactly [lo, hi] of the thing c counts
 * (quant_same_thing: same stem or name key, also across broken plurals and
 * inflection: ملاعب / ملعبا)?
 */
static int doc_has_quantity(const ConflictDoc *docs, const Conflict *c, size_t d,
                            const Quantity *q, size_t nq, double lo, double hi)
{
    char k[128], rk[128];
    const rasd_token *t = rasd_doc_tokens(docs[d].doc);
    const rasd_token *rt = rasd_doc_tokens(docs[c->ref_doc].doc);
    for (size_t i = 0; i < nq; i++) {
        if (q[i].lo != lo || q[i].hi != hi)
            continue;
        if (quant_same_thing(docs[c->ref_doc].doc, &c->ref, docs[d].doc, &q[i]))
            return 1;
        if (q[i].noun != QUANT_NO_NOUN && c->ref.noun != QUANT_NO_NOUN &&
            !strcmp(conflicts_noun_key(&t[q[i].noun], k, sizeof k), conflicts_noun_key(&rt[c->ref.noun], rk, sizeof rk)))
            return 1;
    }
    return 0;
}

/*
 * A disagreement needs one article that says A and not B, and another
 * that says B and not A: an article giving both figures (a total and a
 * part, this year and last) is counting two things. Numbers are checked
 * against each article's whole text, other kinds against the evidence.
 */
/* Does doc d give value v of a role conflict: a mention of that holder with the office? */
static int doc_names(size_t d, const Value *v)
{
    for (size_t e = 0; e < v->nev; e++)
        if (v->ev[e].doc == d)
            return 1;
    return 0;
}

/*
 * A role conflict stands when, for some two of its holders, one article
 * gives the office to the first and not the second, and another to the
 * second and not the first: an article that gives it to both (the king,
 * and the prince who received him) has no quarrel over who holds it.
 */
static void settle_role(const ConflictDoc *docs, size_t n, Conflict *c)
{
    for (size_t v = 0; v < c->nv; v++)
        for (size_t w = v + 1; w < c->nv; w++) {
            int v_only = 0, w_only = 0;
            for (size_t d = 0; d < n && !(v_only && w_only); d++) {
                int hv = doc_names(d, &c->v[v]), hw = doc_names(d, &c->v[w]);
                v_only |= hv && !hw;
                w_only |= hw && !hv;
            }
            if (v_only && w_only)
                return;
        }
    c->dropped = 1;
}

static void settle(const ConflictDoc *docs, size_t n, Quantity *const *qs, const size_t *nq,
                   Out *o)
{
    for (size_t i = 0; i < o->n; i++) {
        Conflict *c = &o->c[i];
        if (c->kind == K_ROLE) {
            settle_role(docs, n, c);
            continue;
        }
        if (c->nv != 2)
            continue;
        int a_only = 0, b_only = 0;
        double lo[2], hi[2];
        int numeric = c->kind == K_NUMBER && sscanf(c->v[0].key, "%lf-%lf", &lo[0], &hi[0]) == 2 &&
                      sscanf(c->v[1].key, "%lf-%lf", &lo[1], &hi[1]) == 2;
        for (size_t d = 0; d < n; d++) {
            int has[2] = { 0, 0 };
            for (int v = 0; v < 2; v++) {
                for (size_t e = 0; e < c->v[v].nev && !has[v]; e++)
                    has[v] = c->v[v].ev[e].doc == d;
                if (numeric && !has[v])
                    has[v] = doc_has_quantity(docs, c, d, qs[d], nq[d], lo[v], hi[v]);
            }
            if (c->kind == K_WORDING && (has[0] || has[1])) {
                /* an article that writes both phrases (القوات اليمنية الموالية
                   ... القوات الحوثية الموالية) speaks of two things */
                const char *t = rasd_doc_text(docs[d].doc, NULL);
                for (int v = 0; v < 2; v++)
                    has[v] = has[v] || strstr(t, c->v[v].text) != NULL;
            }
            if (numeric && (has[0] || has[1])) {
                /* the other figure anywhere in this article counts too */
                for (int v = 0; v < 2; v++)
                    has[v] = has[v] || doc_has_quantity(docs, c, d, qs[d], nq[d], lo[v], hi[v]);
            }
            a_only |= has[0] && !has[1];
            b_only |= has[1] && !has[0];
        }
        if (!a_only || !b_only)
            c->dropped = 1;
    }
}

rasd_err conflicts_find(const ConflictDoc *docs, size_t n, const ConflictOpts *opt, Buf *b,
                        size_t *count, rasd_error *err)
{
    Arena *a = NULL;
    rasd_conflict_set *set = views_conflicts_new(&a);
    *count = 0;
    if (!set)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err e = conflicts_collect(docs, n, opt, a, set, err);
    if (e == RASD_OK) {
        views_conflicts_json(set, b);
        *count = set->n;
        if (b->oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    rasd_conflict_set_free(set);
    return e;
}

rasd_err conflicts_collect(const ConflictDoc *docs, size_t n, const ConflictOpts *opt, Arena *a,
                           rasd_conflict_set *set, rasd_error *err)
{
    ConflictOpts def;
    if (!opt) {
        conflict_opts_default(&def);
        opt = &def;
    }
    Out out = { 0 };
    set->n = 0;
    if (cmplex_init() < 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory loading the comparison lexicon");
    DateSpan **dates = calloc(n ? n : 1, sizeof *dates);
    size_t *nd = calloc(n ? n : 1, sizeof *nd);
    if (!dates || !nd) {
        free(dates);
        free(nd);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    Quantity **qs = calloc(n ? n : 1, sizeof *qs);
    size_t *nq = calloc(n ? n : 1, sizeof *nq);
    if (!qs || !nq) {
        free(qs);
        free(nq);
        free(dates);
        free(nd);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        char day[11] = "";
        if (docs[i].published) {
            snprintf(day, sizeof day, "%.10s", docs[i].published);
        }
        /* stored annotations when the caller has them (the engine's views);
           found here otherwise (`rasd compare` on two files) */
        if (docs[i].dates) {
            nd[i] = docs[i].ndates;
            dates[i] = malloc((nd[i] ? nd[i] : 1) * sizeof **dates);
            if (dates[i])
                memcpy(dates[i], docs[i].dates, nd[i] * sizeof **dates);
            else
                nd[i] = 0;
        } else if (dates_find(docs[i].doc, day[0] ? day : NULL, 0, &dates[i], &nd[i], err) !=
                   RASD_OK) {
            nd[i] = 0;
        }
        if (docs[i].quants) {
            nq[i] = docs[i].nquants;
            qs[i] = malloc((nq[i] ? nq[i] : 1) * sizeof **qs);
            if (qs[i])
                memcpy(qs[i], docs[i].quants, nq[i] * sizeof **qs);
            else
                nq[i] = 0;
        } else if (quantities_find(docs[i].doc, &qs[i], &nq[i], err) != RASD_OK) {
            nq[i] = 0;
        }
    }
    SentWords *sw = calloc(n ? n : 1, sizeof *sw);
    if (!sw)
        out.oom = 1;
    for (size_t i = 0; sw && i < n; i++)
        if (conflicts_sent_words_build(docs[i].doc, &sw[i]) < 0)
            out.oom = 1;
    conflicts_role_conflicts(docs, n, opt, &out);
    for (size_t i = 0; i < n && !out.oom; i++)
        for (size_t j = i + 1; j < n && !out.oom; j++)
            if (conflicts_comparable(&docs[i], &docs[j], opt->max_gap_days))
                conflicts_pair_conflicts(docs, i, j, dates, nd, qs, nq, sw, opt, &out);
    for (size_t i = 0; sw && i < n; i++)
        conflicts_sent_words_free(&sw[i]);
    free(sw);
    conflicts_attribution_conflicts(docs, n, opt, &out);
    settle(docs, n, qs, nq, &out);
    drop_repeats(&out);
    mark_updates(docs, n, qs, nq, &out);
    rasd_err e = RASD_OK;
    if (out.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory finding conflicts");
    else {
        fill_set(docs, &out, a, set);
        if (a->oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    out_free(&out);
    for (size_t i = 0; i < n; i++) {
        free(dates[i]);
        free(qs[i]);
    }
    free(dates);
    free(nd);
    free(qs);
    free(nq);
    return e;
}
