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
 * before a name), one fuller name in the story holding both, or the
 * mention read on by one word naming the other (خالد محفوظ [بحاح]).
 * Neither a one-word holder that no longer name of the story holds, nor a
 * sentence telling of a succession or a late holder, a year two or more
 * from the article's, or a proxy (نيابة عن، مستشار) opens a conflict, nor
 * an article naming the other holder in the same sentence. A vaguer
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
 * one-letter typo, spelling variant, synonym, reporting verb or other
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
 * addressed): the extractor's inferences (a role or an implicit speaker
 * resolved) are never the evidence of a conflict.
 */
#include "story/conflicts.h"

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

static const char K_ROLE[] = "role", K_NUMBER[] = "number", K_DATE[] = "date",
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

typedef struct Evidence {
    size_t doc;
    uint32_t s_start, s_end; /* the sentence, bytes in the doc's text */
} Evidence;

typedef struct Value {
    char *text;          /* owned */
    char *key;           /* owned: what makes two values one (may equal text) */
    Evidence *ev;
    size_t nev, cap;
} Value;

typedef struct Conflict {
    const char *kind;    /* K_*: role, number, date, attribution, wording */
    const char *rule;    /* R_*: the rule that found it (one per detector) */
    const char *slot;    /* what differs between the values: holder, figure, date,
                            speaker, words */
    char *subject;       /* owned */
    char *key;           /* owned: conflicts of one kind and key are one conflict */
    int dropped;         /* found not to be a disagreement (see settle) */
    size_t ref_doc;      /* number: the article of the first figure ... */
    Quantity ref;        /* ... and that figure (what is counted) */
    Value *v;
    size_t nv;
} Conflict;

typedef struct Out {
    Conflict *c;
    size_t n, cap;
    int oom;
} Out;

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
static Conflict *conflicts_new_conflict(Out *o, const char *kind, const char *subj, size_t subj_len,
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
#define NO_VALUE ((size_t)-1)
static size_t conflicts_value_of(Out *o, Conflict *c, const char *key, size_t kl, const char *text,
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

static void conflicts_add_evidence(Out *o, Conflict *c, size_t vi, size_t doc, uint32_t s, uint32_t e)
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
static void conflicts_stem_key(const rasd_doc *d, uint32_t s, uint32_t e, size_t max, Buf *b)
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
static const char *conflicts_noun_key(const rasd_token *t, char *buf, size_t size)
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
static void conflicts_sentence_at(const rasd_doc *d, uint32_t at, uint32_t *s, uint32_t *e)
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

static int conflicts_comparable(const ConflictDoc *a, const ConflictDoc *b, int max_gap)
{
    /* one source, or one outlet (which may correct itself), never conflicts */
    if (a->source == b->source || (a->outlet && b->outlet && !strcmp(a->outlet, b->outlet)))
        return 0;
    int32_t da = sv_day(a->published), db = sv_day(b->published);
    if (da == SV_NO_DAY || db == SV_NO_DAY)
        return 0;
    return (da > db ? da - db : db - da) <= max_gap;
}

static const char *conflicts_ekey(const EntityList *l, const Entity *e, size_t *n)
{
    *n = e->key_len;
    return l->keys.data ? l->keys.data + e->key_off : "";
}

/*
 * Does some article of the story name one person whose fuller name holds
 * both a and b (خالد محفوظ بحاح for خالد محفوظ and خالد بحاح)? Then a
 * and b are two shortenings of that name.
 */
static int fuller_name_joins(const ConflictDoc *docs, size_t n, const char *a, size_t an,
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
static int names_person_in(const ConflictDoc *d, uint32_t s, uint32_t e, const char *k, size_t kl)
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
static int name_reads_on(const ConflictDoc *d, const Entity *e, const char *k, size_t kl)
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
static int known_name(const ConflictDoc *docs, size_t n, const char *k, size_t kl)
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
 * Does the sentence [s,e) tell of the office changing hands (استقالة،
 * إقالة، خلفا لـ، تعيين), of a late holder (رحمه الله، الراحل) or of a
 * former one (السابق: a retrospective sentence, الرئيس الأميركي السابق جون
 * كيندي ... وزير الخارجية الأميركي هنري كيسنجر)? Then two holders are a
 * before and an after.
 */
static int tells_succession(const char *t, uint32_t s, uint32_t e)
{
    static const char *const words[] = { "استقال", "إقالة", "اقالة", "أقيل", "اقيل", "خلفا ل",
                                         "خلفاً ل", "خلفًا ل", "تعيين", "المستقيل",
                                         "المنتهية ولايت", "سلفه", "خليفته", "رحمه الله",
                                         "الراحل", "الفقيد", "المغفور له", "السابق", "الأسبق",
                                         "الاسبق" };
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
static int many_holders(const char *p, size_t n)
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
static int past_or_proxy(const ConflictDoc *d, uint32_t r_start, uint32_t r_end, uint32_t s,
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
                                         "معية", "وداع", "برفقة", "مرافق", "يرافق" };
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
static size_t people_in(const ConflictDoc *d, uint32_t s, uint32_t e)
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
static int coordinated(const ConflictDoc *d, uint32_t s, uint32_t e)
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

/* ---- role ---- */

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
        int comma = 0;
        for (uint32_t i = gap_s; i + 1 < gap_e + 1 && !comma; i++)
            comma = t[i] == ',' || (i + 2 <= gap_e && !memcmp(t + i, "،", 2));
        if (!comma)
            return 0;
    }
    for (size_t k = 0; k < l->n; k++) {
        const Entity *x = &l->items[k];
        if (x != e && x->type == NER_PERS && x->start >= gap_s && x->end <= gap_e)
            return 0;
    }
    return 1;
}

typedef struct RoleMention {
    size_t doc;
    const Entity *e;
    const char *office;
    size_t olen;
    uint32_t r_start, r_end; /* role phrase (for the subject) */
} RoleMention;

static void role_conflicts(const ConflictDoc *docs, size_t n, const ConflictOpts *o, Out *out)
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
                if (!role_next_to_name(rasd_doc_text(docs[i].doc, NULL), l, e, r))
                    continue;
                m[nm++] = (RoleMention){ i, e, ok, ol, r->start, r->end };
            }
        }
    }
    uint8_t *done = calloc(nm ? nm : 1, 1);
    for (size_t i = 0; done && i < nm; i++) {
        if (done[i] || !roles_same_office(m[i].office, m[i].olen, m[i].office, m[i].olen) ||
            many_holders(rasd_doc_text(docs[m[i].doc].doc, NULL) + m[i].r_start,
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
                    fuller_name_joins(docs, n, xk, xl, yk, yl) ||
                    name_reads_on(&docs[x->doc], x->e, yk, yl) ||
                    name_reads_on(&docs[y->doc], y->e, xk, xl) ||
                    names_match(xt, x->e->end - x->e->start, yt, y->e->end - y->e->start) == 1 ||
                    !conflicts_comparable(&docs[x->doc], &docs[y->doc], o->max_gap_days))
                    continue;
                /* an article naming the other holder in the same sentence
                   (وزير الطاقة الروسي ... وعبدالله البدري) gives two people,
                   and which of them holds the office is the role parser's guess */
                uint32_t xs, xe, ys, ye;
                conflicts_sentence_at(docs[x->doc].doc, x->e->start, &xs, &xe);
                conflicts_sentence_at(docs[y->doc].doc, y->e->start, &ys, &ye);
                if (names_person_in(&docs[x->doc], xs, xe, yk, yl) ||
                    names_person_in(&docs[y->doc], ys, ye, xk, xl) ||
                    !known_name(docs, n, xk, xl) || !known_name(docs, n, yk, yl) ||
                    tells_succession(rasd_doc_text(docs[x->doc].doc, NULL), xs, xe) ||
                    tells_succession(rasd_doc_text(docs[y->doc].doc, NULL), ys, ye) ||
                    past_or_proxy(&docs[x->doc], x->r_start, x->r_end, xs, xe) ||
                    past_or_proxy(&docs[y->doc], y->r_start, y->r_end, ys, ye) ||
                    people_in(&docs[x->doc], xs, xe) >= 4 || people_in(&docs[y->doc], ys, ye) >= 4 ||
                    coordinated(&docs[x->doc], x->r_start, x->r_end) ||
                    coordinated(&docs[y->doc], y->r_start, y->r_end))
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
                            fuller_name_joins(docs, n, c->v[q].key, strlen(c->v[q].key), k, kl) ||
                            names_match(c->v[q].text, strlen(c->v[q].text), xt, xtl) == 1)
                            v = q;
                    if (v == NO_VALUE && (pass || !known_name(docs, n, k, kl)))
                        continue; /* a vaguer mention never adds a holder, nor does a stray word */
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

/* ---- aligned pairs: number, date, wording ---- */

static int conflicts_content_word(const rasd_token *t)
{
    return (t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN) &&
           !(t->flags & RASD_TF_STOP) && t->stem_len >= 2;
}

/* Dates of [s,e) in a doc's date list. */
static size_t dates_in(const DateSpan *d, size_t n, uint32_t s, uint32_t e, const DateSpan **first)
{
    size_t k = 0;
    *first = NULL;
    for (size_t i = 0; i < n; i++)
        if (d[i].start >= s && d[i].end <= e && d[i].kind == DATE_KIND_DATE && d[i].value[0] != '?' &&
            !d[i].dateline) {
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
            !d[i].dateline && k-- == 0) /* a dateline dates the article, not the happening */
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

/*
 * The content words of every sentence of one article, built once per
 * article (not once per article pair): token indexes in text order, and
 * the stems' hashes sorted, so "do two sentences share six content words"
 * is a binary search per word instead of comparing every word with every
 * word. At most WORDS_MAX words a sentence are kept.
 */
enum { WORDS_MAX = 160 };
typedef struct SentWords {
    size_t *first;   /* sentence k's words are w[first[k] .. first[k+1]) */
    uint32_t *w;     /* token indexes */
    uint64_t *hash;  /* stem hash of each word, in text order */
    uint64_t *sorted; /* the same hashes, sorted within each sentence */
    uint64_t (*sig)[3]; /* align_word_sigs of each word, in text order */
    size_t ns;       /* sentences */
} SentWords;

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

static int conflicts_sent_words_build(const rasd_doc *d, SentWords *sw)
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
    if (!sw->first || !sw->w || !sw->hash || !sw->sorted || !sw->sig)
        return -1;
    size_t m = 0;
    for (size_t k = 0; k < ns; k++) {
        sw->first[k] = m;
        for (uint32_t i = ss[k].tok_begin; i < ss[k].tok_end && m - sw->first[k] < WORDS_MAX; i++)
            if (conflicts_content_word(&t[i])) {
                sw->w[m] = i;
                sw->hash[m] = sw->sorted[m] = rasd_hash(t[i].stem, t[i].stem_len);
                align_word_sigs(&t[i], sw->sig[m]);
                m++;
            }
        qsort(sw->sorted + sw->first[k], m - sw->first[k], sizeof *sw->sorted, u64_cmp);
    }
    sw->first[ns] = m;
    sw->ns = ns;
    return 0;
}

static void conflicts_sent_words_free(SentWords *sw)
{
    free(sw->first);
    free(sw->w);
    free(sw->hash);
    free(sw->sorted);
    free(sw->sig);
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
static int aligned_with(const Alignment *al, size_t x, size_t y, double min)
{
    for (size_t k = 0; al && k < al->n; k++)
        if (al->pairs[k].sa == x)
            return al->pairs[k].sb == y && al->pairs[k].sim >= min;
    return 0;
}

/* One word misspelt as the other (القليلة / القلية): one edit, four or more letters. */
static int typo_of(const rasd_token *a, const rasd_token *b)
{
    int32_t ca[32], cb[32];
    size_t na = namelike_code_points(a->key + a->pre_len, a->key_len - a->pre_len - a->suf_len, ca, 32);
    size_t nb = namelike_code_points(b->key + b->pre_len, b->key_len - b->pre_len - b->suf_len, cb, 32);
    return na >= 4 && nb >= 4 && namelike_edit_distance(ca, na, cb, nb) <= 1;
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
        for (size_t y = 0; y < nsb; y++) {
            const uint32_t *wb = swb->w + swb->first[y];
            uint64_t(*gb)[3] = swb->sig + swb->first[y];
            size_t nb = swb->first[y + 1] - swb->first[y];
            if (nb < 5)
                continue;
            size_t shared = shared_words(swa, x, swb, y, 6);
            if (shared < 6)
                continue;
            for (size_t i = 0; i + 2 < na; i++)
                for (size_t j = 0; j + 2 < nb; j++) {
                    if (!sigs_same(ga[i], gb[j]) ||
                        (cmplex_flags(&ta[wa[i]]) & CLX_LIGHT) || !definite(&ta[wa[i]]) ||
                        !definite(&tb[wb[j]]))
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
                            !definite(&ta[wa[i + g + 1]]) || !definite(&tb[wb[j + g + 1]]))
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

static void conflicts_pair_conflicts(const ConflictDoc *docs, size_t ai, size_t bi, DateSpan *const *dates,
                           const size_t *ndates, Quantity *const *qs, const size_t *nqs,
                           const SentWords *sw, const ConflictOpts *o, Out *out)
{
    const ConflictDoc *A = &docs[ai], *B = &docs[bi];
    Alignment al = { 0 };
    rasd_error err;
    if (align_docs(A->doc, B->doc, 0, &al, &err) != RASD_OK) {
        align_free(&al);
        return;
    }
    const char *txa = rasd_doc_text(A->doc, NULL), *txb = rasd_doc_text(B->doc, NULL);
    /* numbers */
    QuantityMismatch *qm = NULL;
    size_t nq = 0;
    if (compare_quantities_of(A->doc, qs[ai], nqs[ai], B->doc, qs[bi], nqs[bi], &al, &qm, &nq,
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
    for (size_t c = 0; c < sizeof cues / sizeof *cues; c++) {
        size_t cl = strlen(cues[c]);
        for (uint32_t i = from; i + cl <= at; i++)
            if (!memcmp(t + i, cues[c], cl) && (i == 0 || t[i - 1] == ' '))
                return 1;
    }
    return 0;
}

static void attribution_conflicts(const ConflictDoc *docs, size_t n, const ConflictOpts *o,
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
                    if (names_person_in(&docs[i], as0, ae0, kb, b->key_len) ||
                        names_person_in(&docs[j], bs0, be0, ka, a->key_len) ||
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

static size_t write_json(const ConflictDoc *docs, const Out *o, Buf *b)
{
    size_t written = 0;
    buf_putc(b, '[');
    int first_c = 1;
    for (size_t i = 0; i < o->n; i++) {
        const Conflict *c = &o->c[i];
        if (c->dropped)
            continue;
        /* three or more figures for "one" counted thing: different things
           counted with one noun (a report's many percentages), not a conflict */
        if ((c->kind == K_NUMBER && c->nv > 2) || c->nv < 2)
            continue;
        buf_printf(b, "%s{\"id\":\"%016llx\",\"kind\":\"%s\",\"rule\":\"%s\",\"slot\":\"%s\","
                      "\"subject\":",
                   first_c ? "" : ",", (unsigned long long)conflict_id(c), c->kind, c->rule, c->slot);
        first_c = 0;
        written++;
        buf_put_json_string(b, c->subject, strlen(c->subject));
        buf_puts(b, ",\"values\":[");
        for (size_t k = 0; k < c->nv; k++) {
            const Value *v = &c->v[k];
            buf_puts(b, k ? ",{\"value\":" : "{\"value\":");
            buf_put_json_string(b, v->text, strlen(v->text));
            buf_puts(b, ",\"sources\":[");
            int first = 1;
            for (size_t e = 0; e < v->nev; e++) {
                const char *ol = docs[v->ev[e].doc].outlet ? docs[v->ev[e].doc].outlet
                                                            : docs[v->ev[e].doc].id;
                int dup = !ol;
                for (size_t q = 0; q < e && !dup; q++) {
                    const char *p = docs[v->ev[q].doc].outlet ? docs[v->ev[q].doc].outlet
                                                               : docs[v->ev[q].doc].id;
                    dup = p && !strcmp(p, ol);
                }
                if (dup)
                    continue;
                if (!first)
                    buf_putc(b, ',');
                buf_put_json_string(b, ol, strlen(ol));
                first = 0;
            }
            buf_puts(b, "],\"articles\":[");
            first = 1;
            for (size_t e = 0; e < v->nev; e++) {
                int dup = 0;
                for (size_t q = 0; q < e && !dup; q++)
                    dup = v->ev[q].doc == v->ev[e].doc;
                if (dup)
                    continue;
                const char *id = docs[v->ev[e].doc].id ? docs[v->ev[e].doc].id : "";
                if (!first)
                    buf_putc(b, ',');
                buf_put_json_string(b, id, strlen(id));
                first = 0;
            }
            buf_puts(b, "],\"sentences\":[");
            for (size_t e = 0; e < v->nev; e++) {
                if (e)
                    buf_putc(b, ',');
                buf_put_json_trimmed(b, rasd_doc_text(docs[v->ev[e].doc].doc, NULL), v->ev[e].s_start,
                            v->ev[e].s_end);
            }
            buf_puts(b, "]}");
        }
        buf_puts(b, "]}");
    }
    buf_putc(b, ']');
    return written;
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
    ConflictOpts def;
    if (!opt) {
        conflict_opts_default(&def);
        opt = &def;
    }
    Out out = { 0 };
    *count = 0;
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
    role_conflicts(docs, n, opt, &out);
    for (size_t i = 0; i < n && !out.oom; i++)
        for (size_t j = i + 1; j < n && !out.oom; j++)
            if (conflicts_comparable(&docs[i], &docs[j], opt->max_gap_days))
                conflicts_pair_conflicts(docs, i, j, dates, nd, qs, nq, sw, opt, &out);
    for (size_t i = 0; sw && i < n; i++)
        conflicts_sent_words_free(&sw[i]);
    free(sw);
    attribution_conflicts(docs, n, opt, &out);
    settle(docs, n, qs, nq, &out);
    drop_repeats(&out);
    rasd_err e = RASD_OK;
    if (out.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory finding conflicts");
    else {
        *count = write_json(docs, &out, b);
        if (b->oom)
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
