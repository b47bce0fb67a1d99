/*
 * roles.c — roles and titles of the people in a news text (see roles.h for
 * the office keys): which office a phrase names, whose it is, and the one
 * holder a role-only mention ("الوزير") stands for.
 *
 * Main idea: an office phrase is a small grammar over the text core's
 * tokens, read with the vocabulary of data/lexicon/offices.txt (compiled
 * in). Lexicon forms are analysed by the text core itself when the table is
 * built, so a form and a token are compared the same way: the token's key
 * without its proclitics (ووزير، للأمم، والكرملين). The grammar:
 *
 *   ROLE    = OFFICE { OFFICE }            a chain: ولي العهد نائب رئيس مجلس
 *                                          الوزراء وزير الدفاع (one person)
 *   OFFICE  = [PRE] HEAD { COMPLEMENT }
 *   COMPLEMENT = genitive NP               while the phrase is still in the
 *                                          construct state: وزير خارجية فرنسا
 *            | nationality adjective       الروسي → روسيا
 *            | "باسم" NP | "لدى" NP | ل-NP  (ل only before a body noun or a
 *            | في-NP | ب+place            known body: للأمم المتحدة, not
 *                                          للصحفيين, the verb's object)
 *            | modifier                    السابق، الرسمي
 *            | definite nisba adjective    التنفيذي، الاستراتيجية
 *
 * Definiteness does most of the work of telling where the phrase ends:
 * an indefinite head (وزير) must take a genitive, and the genitive chain
 * ends at its first definite word or proper name; after that only
 * adjectives and prepositional complements may follow, so the name after
 * the phrase (سيرغي شويغو, indefinite) or the verb's object are never
 * swallowed.
 *
 * A nationality adjective is the office's only where it can be: not after
 * a coach (المدرب الألماني is German, not his team) or, in its own gender,
 * after a named or international body (الأمين العام للفيفا الفرنسي).
 *
 * A phrase then attaches to a person: the PERS entity right after it (one
 * comma and honorifics — الأمير، الدكتور، اللواء — may stand between, but
 * not "، ومعالي Y", the next item of a list) or, when it is definite and
 * carries no preposition, the PERS entity before it, set off by a comma or
 * in the construct state (لافروف، وزير الخارجية الروسي، — الأمير فيصل أمير
 * منطقة الرياض). A bare title right before a name (الأمير محمد) is an
 * honorific, not an office. Everything else is a role-only mention; a
 * definite one links to the one person (by entity key) whose attached role
 * has at least its portfolio and body, a fitting jurisdiction, the same
 * status (السابق) and gender where it can — and to no one when another
 * unnamed holder of a fitting office is mentioned, or when a bare word
 * follows it that may be a name the tagger missed (الرئيس سلام).
 *
 * Cost: a token where no head or prefix starts is rejected by one hash
 * lookup; the grammar runs only at the few that remain.
 *
 * Files: the lexicon and token tests are in roles_lexicon.c, finding,
 * attaching, linking and the JSON in roles_link.c; this file holds the
 * grammar and the comparison of office keys.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <stdlib.h>
#include <string.h>

#include "roles_impl.h"
#include "names.h"
#include "ner.h"

/* ======================================================================
 * The grammar
 * ==================================================================== */

static void str_add(Str *x, const char *p, size_t n)
{
    if (!n)
        return;
    if (x->n && x->n < STR_CAP)
        x->s[x->n++] = ' ';
    size_t room = STR_CAP - x->n;
    if (n > room)
        n = room;
    memcpy(x->s + x->n, p, n);
    x->n = (uint16_t)(x->n + n);
}

static void str_set(Str *x, const char *p, size_t n)
{
    x->n = 0;
    str_add(x, p, n);
}


/* The entity at token k, -1 if none (or the ignored one). */
int roles_ent_at(const Ctx *c, uint32_t k)
{
    int e = k < c->ntok ? c->tok_ent[k] : -1;
    return e == c->self ? -1 : e;
}

/* The entity that starts at token k, or -1. */
int roles_ent_starts(const Ctx *c, uint32_t k)
{
    int e = roles_ent_at(c, k);
    return e >= 0 && (k == 0 || c->tok_ent[k - 1] != e) ? e : -1;
}

uint32_t roles_ent_last_tok(const Ctx *c, int e, uint32_t k)
{
    while (k + 1 < c->ntok && c->tok_ent[k + 1] == e)
        k++;
    return k;
}

/*
 * The longest lexicon entry of category cat at tokens k .. lim-1; *ntok
 * gets its words. Only word tokens (and numbers) take part.
 */
const RLex *roles_match(const Ctx *c, int cat, uint32_t k, uint32_t lim, int *ntok)
{
    char buf[512];
    size_t n = 0;
    const RLex *best = NULL;
    for (uint32_t j = k; j < lim && j - k < PHRASE_MAX; j++) {
        const rasd_token *t = &c->tok[j];
        if (!roles_word_tok(t) && t->type != RASD_TOK_NUMBER)
            break;
        if (j > k && roles_has_other_clitic(t) && cat != RC_POLITY && cat != RC_DEPT)
            break; /* و or ل inside: a new phrase, not this one's word */
        size_t fn;
        const char *f = roles_tform(t, &fn);
        /* adjectives are listed masculine: روسيه (روسية) reads روسي */
        if (cat == RC_ADJ && fn >= 4 && memcmp(f + fn - 4, "\xD9\x8A\xD9\x87", 4) == 0)
            fn -= 2;
        if (n + fn + 1 > sizeof buf)
            break;
        if (j > k)
            buf[n++] = ' ';
        memcpy(buf + n, f, fn);
        n += fn;
        if (!strset_has(&roles_lex.prefixes, buf, n))
            break;
        const RLex *e = roles_lex_get(cat, buf, n);
        if (e) {
            best = e;
            *ntok = (int)(j - k + 1);
        }
    }
    return best;
}

/* بن، بنت، ابن: the word before it is a person's name the tagger missed. */
static int is_name_particle(const rasd_token *t)
{
    return roles_form_is(t, "\xD8\xA8\xD9\x86") || roles_form_is(t, "\xD8\xA8\xD9\x86\xD8\xAA") ||
           roles_form_is(t, "\xD8\xA7\xD8\xA8\xD9\x86");
}

/* A token that can be a free word of a complement: a content word. */
static int content_word(const Ctx *c, uint32_t k, uint32_t lim)
{
    const rasd_token *t = &c->tok[k];
    int n;
    if (t->type != RASD_TOK_ARABIC || (t->flags & RASD_TF_STOP))
        return 0;
    size_t fn;
    const char *f = roles_tform(t, &fn);
    if (fn < 4 || lex_is_verb(t->key, t->key_len) || lex_is_verb(f, fn) || is_name_particle(t))
        return 0; /* one letter, a verb, بن */
    return !roles_match(c, RC_STOP, k, lim, &n) && !roles_match(c, RC_MOD, k, lim, &n) &&
           !roles_match(c, RC_HEAD, k, lim, &n);
}

/*
 * Does a name start at token k, or a person's name go on there? Words of
 * an ORG or MISC entity the phrase is already inside (رئيس هيئة الأركان
 * | المشتركة, tagged هيئة الأركان المشتركة) are not a new name.
 */
static int new_name(const Ctx *c, uint32_t k)
{
    int e = roles_ent_at(c, k);
    if (e < 0)
        return 0;
    return c->ents[e].type == NER_PERS || k == 0 || c->tok_ent[k - 1] != e;
}

/* A definite nisba adjective (التنفيذي، الاستراتيجية، القومي) that is no nationality. */
static int free_nisba(const Ctx *c, uint32_t k, uint32_t lim)
{
    const rasd_token *t = &c->tok[k];
    int n;
    if (!roles_has_article(t) || roles_has_other_clitic(t) || !content_word(c, k, lim) ||
        roles_match(c, RC_ADJ, k, lim, &n) || new_name(c, k))
        return 0;
    size_t fn;
    const char *f = roles_tform(t, &fn);
    /* ends in ي, or يه (ية folded) */
    return (fn >= 2 && memcmp(f + fn - 2, "\xD9\x8A", 2) == 0) ||
           (fn >= 4 && memcmp(f + fn - 4, "\xD9\x8A\xD9\x87", 4) == 0);
}

/* The key of entity e's words: names_key of its tokens, the article kept,
   other proclitics dropped (وروسيا → روسيا, للأمم → الأمم). */
static void place_key(const Ctx *c, uint32_t first, uint32_t last, Str *out)
{
    Buf w = {0}, k = {0};
    for (uint32_t j = first; j <= last && j < c->ntok; j++) {
        const rasd_token *t = &c->tok[j];
        if (j > first)
            buf_putc(&w, ' ');
        if (roles_has_article(t))
            buf_append(&w, AR_ALEF_LAM, 4);
        buf_append(&w, t->key + t->pre_len, t->key_len - t->pre_len);
    }
    if (names_key(w.data ? w.data : "", w.len, &k) == 0)
        str_set(out, k.data ? k.data : "", k.len);
    if ((w.oom || k.oom) && c->oom) /* a key cut short would name another place */
        *c->oom = 1;
    buf_free(&w);
    buf_free(&k);
}

/* The longest international body, department or place at k (ties in that order). */
static const RLex *longest_body(const Ctx *c, uint32_t k, uint32_t lim, int *n)
{
    static const int cats[] = {RC_POLITY, RC_DEPT, RC_PLACE};
    const RLex *best = NULL;
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++) {
        int len = 0;
        const RLex *m = roles_match(c, cats[i], k, lim, &len);
        if (m && (!best || len > *n)) {
            best = m;
            *n = len;
        }
    }
    return best;
}

enum { NP_GEN = 1, NP_NAMED, NP_L, NP_HOST, NP_IN, NP_AT };

/* A complement noun phrase. */
typedef struct Np {
    uint32_t end;  /* first token after it */
    Str words;     /* words for the office (department, body, free words, a person's key) */
    Str jur;       /* a country or international body it names */
    int closed;    /* it ended definite (a definite word or a name) */
    int org;       /* its last unit was an ORG entity (a named body: الفيفا) */
    int place;     /* jur came from a place (not an international body) */
    int named;     /* its last unit was a name (place, body, person): no adjectives follow
                      but a nationality (الإمارات | العربية is not an office's word) */
} Np;

/*
 * Reads a noun phrase at k: a chain of units (department, international
 * body, place, ORG or LOC entity, person (genitive only), content word),
 * continued while the chain is in the construct state, then up to two
 * definite nisba adjectives. Returns 1 if it read at least one unit.
 */
static int parse_np(const Ctx *c, uint32_t k, uint32_t lim, int mode, Np *np)
{
    memset(np, 0, sizeof *np);
    np->end = k;
    int units = 0, nfree = 0;
    while (k < lim && units < 5 && !np->closed) {
        const rasd_token *t = &c->tok[k];
        if (!roles_word_tok(t))
            break;
        int n = 0, e = roles_ent_starts(c, k);
        if (units == 0 && mode == NP_AT) { /* ب + a place: رئيس النادي الأدبي بجدة */
            if (!roles_has_prep_b(t) || !((e >= 0 && c->ents[e].type == NER_LOC) ||
                                    roles_match(c, RC_PLACE, k, lim, &n)))
                break;
        } else if (units == 0 &&
                   (mode == NP_L ? !roles_has_prep_l(t) || roles_has_conj(t) : roles_has_other_clitic(t))) {
            break; /* a genitive takes no و or preposition; a ل-phrase needs its ل */
        }
        if (units == 0 && mode == NP_IN && !roles_match(c, RC_BODY, k, lim, &n) &&
            !(e >= 0 && c->ents[e].type == NER_ORG) && !roles_match(c, RC_POLITY, k, lim, &n))
            break; /* في مجلس الأمن القومي, not في مؤتمر صحفي */
        if (units > 0 && roles_has_other_clitic(t))
            break;
        const RLex *m;
        int hn = 0, he = -1;
        const RLex *title = mode == NP_GEN && e < 0 && !roles_has_other_clitic(t)
                                ? roles_match(c, RC_HEAD, k, lim, &hn) : NULL;
        if (title && (title->flags & RF_TITLE) &&
            (he = roles_ent_starts(c, k + (uint32_t)hn)) >= 0 && c->ents[he].type == NER_PERS) {
            /* a body named after someone: رئيس مدينة الملك عبدالله, مستشار الأمير فيصل
               (titles only: قائد الفريق محمد نور is the team's captain) */
            e = he;
            k += (uint32_t)hn;
        }
        if (e >= 0 && c->ents[e].type == NER_PERS) {
            if (mode != NP_GEN)
                break;
            str_add(&np->words, c->ekeys + c->ents[e].key_off, c->ents[e].key_len);
            k = roles_ent_last_tok(c, e, k) + 1;
            np->closed = 1;
            np->named = 1;
        } else if ((m = longest_body(c, k, lim, &n)) != NULL && m->cat == RC_POLITY) {
            if (np->jur.n)
                str_add(&np->words, roles_lex.pool + m->jur_off, m->jur_len);
            else
                str_set(&np->jur, roles_lex.pool + m->jur_off, m->jur_len);
            k += (uint32_t)n;
            np->closed = 1;
            np->named = 1;
        } else if (m && m->cat == RC_PLACE) {
            if (!np->jur.n) {
                str_set(&np->jur, roles_lex.pool + m->jur_off, m->jur_len);
                np->place = 1;
            }
            else
                str_add(&np->words, roles_lex.pool + m->jur_off, m->jur_len);
            k += (uint32_t)n;
            np->closed = 1;
            np->named = 1;
        } else if (m) { /* a department */
            str_add(&np->words, roles_lex.pool + m->canon_off, m->canon_len);
            if (m->jur_len && !np->jur.n)
                str_set(&np->jur, roles_lex.pool + m->jur_off, m->jur_len);
            for (int j = 0; j < n; j++)
                np->closed |= roles_has_article(&c->tok[k + (uint32_t)j]);
            np->closed |= m->jur_len > 0;
            k += (uint32_t)n;
        } else if (e >= 0 && (c->ents[e].type == NER_LOC || c->ents[e].type == NER_ORG)) {
            uint32_t last = roles_ent_last_tok(c, e, k), whole = last;
            for (uint32_t j = k + 1; j <= last; j++)
                if (roles_match(c, RC_ADJ, j, lim, &n)) { /* الحرس الثوري | الإيراني: the
                                                       adjective is the office's country */
                    last = j - 1;
                    break;
                }
            /* an honorific the tagger took into the body before a name:
               عضو المجلس | الدكتورة دلال الحربي */
            int named_after = -1; /* قاعدة الملك | فهد: a body named after a titled person */
            for (uint32_t j = k + 1; j <= last; j++) {
                int tn = 0, pe = roles_ent_starts(c, last + 1);
                if (roles_match(c, RC_HON, j, lim, &tn) && j + (uint32_t)tn == last + 1 && pe >= 0 &&
                    c->ents[pe].type == NER_PERS) {
                    const RLex *ti = roles_match(c, RC_HEAD, j, lim, &tn);
                    if (ti && (ti->flags & RF_TITLE) && mode == NP_GEN)
                        named_after = pe;
                    else
                        last = j - 1;
                    break;
                }
            }
            Str key = {{0}, 0};
            if (c->ents[e].type == NER_LOC) {
                place_key(c, k, last, &key);
                if (!np->jur.n) {
                    np->jur = key;
                    np->place = 1;
                }
                else
                    str_add(&np->words, key.s, key.n);
            } else {
                for (uint32_t j = k; j <= last; j++) {
                    size_t fn;
                    const char *f = roles_tform(&c->tok[j], &fn);
                    str_add(&np->words, f, fn);
                }
            }
            /* a named body (الفيفا), unless the tagger read the adjective into
               its name: وكالة المخابرات المركزية الأمريكية is American */
            np->org = c->ents[e].type == NER_ORG && last == whole;
            k = last + 1;
            if (named_after >= 0) {
                str_add(&np->words, c->ekeys + c->ents[named_after].key_off,
                        c->ents[named_after].key_len);
                k = roles_ent_last_tok(c, named_after, k) + 1;
            }
            np->closed = 1;
            np->named = 1;
            units++;
            continue;
        } else if ((content_word(c, k, lim) || (t->type == RASD_TOK_ARABIC &&
                                                 roles_match(c, RC_BODY, k, lim, &n))) &&
                   !roles_match(c, RC_ADJ, k, lim, &n) &&
                   !(k + 1 < lim && is_name_particle(&c->tok[k + 1])) &&
                   (e < 0 || c->ents[e].type == NER_MISC) && nfree < 4 &&
                   (units > 0 || mode != NP_L || roles_match(c, RC_BODY, k, lim, &n))) {
            size_t fn;
            const char *f = roles_tform(t, &fn);
            str_add(&np->words, f, fn);
            np->closed = roles_has_article(t);
            nfree++;
            k++;
        } else {
            break;
        }
        units++;
    }
    if (!units || ((mode == NP_IN || mode == NP_L) && !np->closed))
        return 0; /* في مكتب، لكافة: not the name of a body */
    for (int a = 0; np->closed && !np->named && a < 2 && k < lim && free_nisba(c, k, lim); a++) {
        size_t fn;
        const char *f = roles_tform(&c->tok[k], &fn);
        str_add(&np->words, f, fn);
        k++;
    }
    np->end = k;
    return 1;
}

/* Adds what a complement named to the office. */
static void apply_np(Office *o, const Np *np)
{
    str_add(&o->comp, np->words.s, np->words.n);
    if (np->jur.n) {
        if (!o->jur.n)
            o->jur = np->jur;
        else if (o->jur.n != np->jur.n || memcmp(o->jur.s, np->jur.s, np->jur.n) != 0)
            str_add(&o->comp, np->jur.s, np->jur.n);
    }
}

/* Does the office's complement name an international body (الاتحاد الدولي)? */
static int international(const Str *comp)
{
    static const char *const words[] = {"\xD8\xAF\xD9\x88\xD9\x84\xD9\x8A",   /* دولي */
                                        "\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85\xD9\x8A", /* عالمي */
                                        "\xD8\xA7\xD9\x85\xD9\x85\xD9\x8A"};  /* اممي */
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t wl = strlen(words[i]);
        for (size_t p = 0; p + wl <= comp->n; p++)
            if (memcmp(comp->s + p, words[i], wl) == 0 && (p == 0 || comp->s[p - 1] == ' '))
                return 1; /* دولي، دوليه at a word start */
    }
    return 0;
}

/*
 * Reads one office at k (prefixes, head, complements). Returns 1 and fills
 * o, *end (first token after it), *definite and *flags (ROLE_FEM of the head,
 * ROLE_FORMER/ELECT of its modifiers); 0 if no head starts at k.
 */
static int parse_office(const Ctx *c, uint32_t k, uint32_t lim, Office *o, uint32_t *end,
                        int *definite, uint8_t *flags)
{
    memset(o, 0, sizeof *o);
    o->first = k;
    int n = 0;
    const RLex *h = NULL;
    uint32_t j = k;
    /* rank prefixes: نائب الرئيس, مساعد وزير الخارجية, and the definite form
       with ل: النائب الثاني لرئيس مجلس الوزراء (the ordinal is part of the rank) */
    for (int p = 0; p < 2 && j < lim; p++) {
        int pn = 0, hn = 0, mn = 0, dummy;
        const RLex *pre = roles_match(c, RC_PRE, j, lim, &pn);
        if (!pre || c->tok[j].suf_len || (j > k && roles_has_other_clitic(&c->tok[j])))
            break;
        if (roles_match(c, RC_HEAD, j, lim, &hn) && hn > pn)
            break; /* a longer head starts here: النائب العام is not نائب + عام */
        uint32_t nxt = j + (uint32_t)pn, q = nxt;
        int def = roles_has_article(&c->tok[j]);
        if (def && q < lim && roles_match(c, RC_MOD, q, lim, &mn) && !roles_has_other_clitic(&c->tok[q]))
            q += (uint32_t)mn;
        if (q >= lim || !(roles_match(c, RC_HEAD, q, lim, &dummy) || roles_match(c, RC_PRE, q, lim, &dummy)))
            break; /* no head after it: the word is a head itself (نائب: an MP) */
        const rasd_token *ht = &c->tok[q];
        if (roles_has_other_clitic(ht) && !(def && roles_has_prep_l(ht) && !roles_has_conj(ht)))
            break;
        if (!roles_has_other_clitic(ht) && q != nxt)
            break; /* النائب الأول + a bare head: not the ل form */
        str_add(&o->pre, roles_lex.pool + pre->canon_off, pre->canon_len);
        for (uint32_t i = nxt; i < q; i++) {
            size_t fn;
            const char *f = roles_tform(&c->tok[i], &fn);
            str_add(&o->pre, f, fn);
        }
        if (j == k && pre->fem)
            *flags |= ROLE_FEM;
        j = q;
    }
    if (j >= lim || (roles_ent_at(c, j) >= 0 && c->ents[roles_ent_at(c, j)].type != NER_MISC))
        return 0;
    h = roles_match(c, RC_HEAD, j, lim, &n);
    if (!h || c->tok[j].suf_len)
        return 0; /* وزيره "his minister" is no office phrase */
    if (j == k)
        *flags |= h->fem ? ROLE_FEM : 0;
    int head_fem = j == k ? h->fem : (*flags & ROLE_FEM) != 0;
    str_set(&o->head, roles_lex.pool + h->canon_off, h->canon_len);
    o->hflags = h->flags;
    if (h->jur_len)
        str_set(&o->jur, roles_lex.pool + h->jur_off, h->jur_len);
    int head_def = 0;
    for (int i = 0; i < n; i++)
        head_def |= roles_has_article(&c->tok[j + (uint32_t)i]);
    j += (uint32_t)n;
    int open = !head_def, after_adj = 0, nfree = 0, named_org = 0, after_name = 0;
    *definite = head_def;
    Np np;
    while (j < lim && roles_word_tok(&c->tok[j])) {
        const rasd_token *t = &c->tok[j];
        const RLex *m;
        if (!open && (m = roles_match(c, RC_MOD, j, lim, &n)) != NULL && !roles_has_other_clitic(t) &&
            !(j + (uint32_t)n < lim && roles_form_is(&c->tok[j + (uint32_t)n], "عن"))) {
            /* نيابة عن is "on behalf of", the next phrase's, not "acting" */
            *flags |= (m->flags & RF_FORMER ? ROLE_FORMER : 0) | (m->flags & RF_ELECT ? ROLE_ELECT : 0);
            j += (uint32_t)n;
            continue;
        }
        if (!open && !roles_has_other_clitic(t) && roles_has_article(t) == (*definite != 0) &&
            (m = roles_match(c, RC_ADJ, j, lim, &n)) != NULL) { /* agreeing in definiteness:
                                                             الرئيس كيني is a name */
            /* the holder's nationality, not the office's: المدرب الألماني، رئيس
               الاتحاد الدولي السويسري، الأمين العام للفيفا الفرنسي (a coach's
               adjective is always his: مدرب الفريق اليوناني is Greek); an
               adjective of the other gender agrees with the body instead
               (مدير وكالة المخابرات المركزية الأمريكية) */
            size_t fn;
            const char *f = roles_tform(t, &fn);
            int adj_fem = fn >= 4 && memcmp(f + fn - 4, "\xD9\x8A\xD9\x87", 4) == 0;
            int holders = (o->hflags & RF_NATPERSON) ||
                          ((named_org || international(&o->comp)) && adj_fem == head_fem);
            if (!holders && !o->jur.n)
                str_set(&o->jur, roles_lex.pool + m->jur_off, m->jur_len);
            j += (uint32_t)n;
            after_adj = 1;
            continue;
        }
        if ((o->hflags & RF_NAMED) && !roles_has_other_clitic(t) &&
            roles_form_is(t, "\xD8\xA8\xD8\xA7\xD8\xB3\xD9\x85")) { /* باسم: a spokesman's body */
            if (!parse_np(c, j + 1, lim, NP_NAMED, &np))
                break;
            apply_np(o, &np);
            j = np.end;
            open = 0;
            after_adj = 0;
            named_org = np.org;
            after_name = np.named;
            continue;
        }
        int envoy = (o->hflags & RF_HOST) && !roles_has_other_clitic(t) &&
                    (roles_form_is(t, "\xD8\xA7\xD9\x84\xD9\x8A") /* الي */ || roles_form_is(t, "\xD9\x81\xD9\x8A") /* في */);
        if (!roles_has_other_clitic(t) && (roles_form_is(t, "\xD9\x84\xD8\xAF\xD9\x8A") /* لدي */ || envoy)) {
            if (!parse_np(c, j + 1, lim, NP_HOST, &np))
                break;
            if (envoy && !np.jur.n)
                break; /* في + a non-place: not where the envoy serves */
            o->host = np.jur.n ? np.jur : np.words;
            if (np.jur.n && np.words.n)
                str_add(&o->comp, np.words.s, np.words.n);
            j = np.end;
            open = 0;
            continue;
        }
        if (!open && !after_adj && j + 1 < lim && roles_has_article(t) && !roles_has_other_clitic(t) &&
            content_word(c, j, lim) && !new_name(c, j) && roles_match(c, RC_ADJ, j + 1, lim, &n)) {
            size_t fn; /* an adjective before the nationality: الأركان المشتركة الأمريكية */
            const char *f = roles_tform(t, &fn);
            str_add(&o->comp, f, fn);
            j++;
            continue;
        }
        if (open) {
            if (!parse_np(c, j, lim, NP_GEN, &np))
                break;
            apply_np(o, &np);
            j = np.end;
            open = !np.closed;
            *definite |= np.closed;
            named_org = np.org;
            after_name = np.named;
            continue;
        }
        if (roles_form_is(t, "\xD9\x81\xD9\x8A") && !roles_has_other_clitic(t) && /* في + a body */
            parse_np(c, j + 1, lim, NP_IN, &np)) {
            apply_np(o, &np);
            j = np.end;
            continue;
        }
        if (roles_has_prep_b(t) && parse_np(c, j, lim, NP_AT, &np)) {
            apply_np(o, &np);
            j = np.end;
            after_name = 1;
            continue;
        }
        if (roles_has_prep_l(t) && parse_np(c, j, lim, NP_L, &np)) {
            if (np.place) { /* مساعد وزير الدفاع للشرق الأوسط: a portfolio, not where
                               the office is (unlike للأمم المتحدة, a body) */
                str_add(&np.words, np.jur.s, np.jur.n);
                np.jur.n = 0;
            }
            apply_np(o, &np);
            j = np.end;
            named_org = np.org;
            after_name = np.named;
            continue;
        }
        if (after_adj)
            break; /* after the nationality only a prepositional complement:
                      المبعوث الأمريكي لشؤون إيران، المدرب الألماني لنادي ليفربول */
        if (!after_name && nfree < 2 && free_nisba(c, j, lim)) {
            size_t fn;
            const char *f = roles_tform(t, &fn);
            str_add(&o->comp, f, fn);
            nfree++;
            j++;
            continue;
        }
        break;
    }
    *end = j;
    o->last = j - 1;
    o->definite = (uint8_t)*definite;
    return 1;
}

/*
 * Reads a role phrase at k: one office or a chain of them. Returns 1 and
 * fills p, 0 if no office starts at k.
 */
int roles_parse_phrase(const Ctx *c, uint32_t k, uint32_t lim, Phrase *p)
{
    p->n = 0;
    if (k >= lim || !roles_word_tok(&c->tok[k]))
        return 0;
    size_t fn;
    const char *f = roles_tform(&c->tok[k], &fn);
    if (!strset_has(&roles_lex.starts, f, fn))
        return 0; /* most tokens: no office starts here */
    memset(p, 0, sizeof *p);
    uint32_t j = k;
    int definite = 0;
    while (p->n < ROLES_MAX_OFFICES && j < lim) {
        int def = 0;
        uint8_t fl = 0;
        uint32_t end;
        if (p->n > 0) { /* a chained office: an indefinite head, و allowed */
            const rasd_token *t = &c->tok[j];
            int dummy;
            if ((roles_has_article(t) && !roles_match(c, RC_PRE, j, lim, &dummy)) ||
                (roles_has_other_clitic(t) && !roles_has_conj(t)))
                break; /* الرئيس السفير is two people; النائب الثاني لرئيس ... is a title */
        }
        if (!parse_office(c, j, lim, &p->off[p->n], &end, &def, &fl))
            break;
        if (p->n == 0) {
            p->flags = fl;
            definite = def;
        } else {
            p->flags |= fl & (ROLE_FORMER | ROLE_ELECT);
        }
        p->n++;
        j = end;
    }
    if (!p->n)
        return 0;
    /* a country said once covers the chain: نائب رئيس الوزراء وزير الخارجية الإماراتي */
    const Str *jur = NULL;
    for (int i = 0; i < p->n; i++)
        if (p->off[i].jur.n && !jur)
            jur = &p->off[i].jur;
    for (int i = 0; jur && i < p->n; i++)
        if (!p->off[i].jur.n)
            p->off[i].jur = *jur;
    p->first = k;
    p->last = j - 1;
    p->conj = roles_has_conj(&c->tok[k]);
    if (definite)
        p->flags |= ROLE_DEFINITE;
    return 1;
}

/* Writes the key of o ("OFFICE|JURISDICTION") to out. */
void roles_office_key(const Office *o, Buf *out)
{
    if (o->pre.n) {
        buf_append(out, o->pre.s, o->pre.n);
        buf_putc(out, ' ');
    }
    buf_append(out, o->head.s, o->head.n);
    if (o->comp.n) {
        buf_putc(out, ' ');
        buf_append(out, o->comp.s, o->comp.n);
    }
    if (o->host.n) {
        buf_puts(out, " \xD9\x84\xD8\xAF\xD9\x8A "); /* لدي */
        buf_append(out, o->host.s, o->host.n);
    }
    buf_putc(out, '|');
    buf_append(out, o->jur.s, o->jur.n);
}

/* ======================================================================
 * Same office, compatible offices
 * ==================================================================== */

/* An office key taken apart. */
typedef struct KeyParts {
    const char *pre, *head, *comp, *host, *jur; /* parts (not NUL-terminated) */
    size_t pre_n, head_n, comp_n, host_n, jur_n; /* bytes of each; 0 = missing */
    int hflags;                                  /* the head's RF_* flags (0 if unknown) */
    int known;                                   /* the head is one of the lexicon's */
} KeyParts;

int roles_span_eq(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* Splits key k: the longest head CANON after any prefix CANONs. */
static void key_parts(const char *k, size_t n, KeyParts *p)
{
    memset(p, 0, sizeof *p);
    const char *bar = memchr(k, '|', n);
    size_t on = bar ? (size_t)(bar - k) : n;
    if (bar) {
        p->jur = bar + 1;
        p->jur_n = n - on - 1;
    }
    static const char host_mark[] = " \xD9\x84\xD8\xAF\xD9\x8A "; /* " لدي " */
    size_t hm = sizeof host_mark - 1;
    for (size_t i = 0; i + hm <= on; i++)
        if (memcmp(k + i, host_mark, hm) == 0) {
            p->host = k + i + hm;
            p->host_n = on - i - hm;
            on = i;
            break;
        }
    /* words of the office part */
    size_t pos = 0;
    p->pre = k;
    for (;;) { /* prefixes: a word that is a pre CANON and not the whole rest */
        size_t e = pos;
        while (e < on && k[e] != ' ')
            e++;
        int is_pre = 0;
        for (size_t i = 0; i < roles_lex.npres && e < on; i++) {
            const RLex *pe = &roles_lex.e[roles_lex.pres[i]];
            if (roles_span_eq(roles_lex.pool + pe->canon_off, pe->canon_len, k + pos, e - pos)) {
                is_pre = 1;
                break;
            }
        }
        if (!is_pre)
            break;
        pos = e + 1;
    }
    p->pre_n = pos ? pos - 1 : 0;
    /* the longest head CANON that is a word prefix of the rest */
    const RLex *best = NULL;
    size_t best_i = 0;
    for (size_t i = 0; i < roles_lex.nheads; i++) {
        const RLex *e = &roles_lex.e[roles_lex.heads[i]];
        if (e->canon_len > on - pos ||
            memcmp(roles_lex.pool + e->canon_off, k + pos, e->canon_len) != 0 ||
            (pos + e->canon_len < on && k[pos + e->canon_len] != ' '))
            continue;
        if (!best || e->canon_len > best->canon_len) {
            best = e;
            best_i = i;
        }
    }
    size_t hl = best ? best->canon_len : 0;
    if (!best) { /* not a key this lexicon wrote: the first word is the head */
        while (pos + hl < on && k[pos + hl] != ' ')
            hl++;
    } else {
        p->known = 1;
        p->hflags = roles_lex.head_flags[best_i]; /* any line of that CANON may carry them */
    }
    p->head = k + pos;
    p->head_n = hl;
    if (pos + hl < on) {
        p->comp = k + pos + hl + 1;
        p->comp_n = on - pos - hl - 1;
    }
}

static int heads_compatible(const KeyParts *a, const KeyParts *b)
{
    if (roles_span_eq(a->head, a->head_n, b->head, b->head_n))
        return 1;
    if ((a->hflags | b->hflags) & RF_GENERIC)
        return 1;
    for (size_t i = 0; i < roles_lex.ncompat; i++) {
        const CompatPair *c = &roles_lex.compat[i];
        const char *x = roles_lex.pool + c->a_off, *y = roles_lex.pool + c->b_off;
        if ((roles_span_eq(x, c->a_len, a->head, a->head_n) && roles_span_eq(y, c->b_len, b->head, b->head_n)) ||
            (roles_span_eq(y, c->b_len, a->head, a->head_n) && roles_span_eq(x, c->a_len, b->head, b->head_n)))
            return 1;
    }
    return 0;
}

static int part_fits(const char *a, size_t an, const char *b, size_t bn)
{
    return an == 0 || bn == 0 || roles_span_eq(a, an, b, bn);
}

int roles_compatible(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b || !roles_lex_ready())
        return 0;
    KeyParts x, y;
    key_parts(a, an, &x);
    key_parts(b, bn, &y);
    return x.head_n && y.head_n && roles_span_eq(x.pre, x.pre_n, y.pre, y.pre_n) &&
           heads_compatible(&x, &y) && part_fits(x.comp, x.comp_n, y.comp, y.comp_n) &&
           part_fits(x.host, x.host_n, y.host, y.host_n) && part_fits(x.jur, x.jur_n, y.jur, y.jur_n);
}

/*
 * Is office a (a role-only mention) within office b (a holder's role): no
 * portfolio, body or host in a that b lacks? الوزير is within وزير الدفاع
 * الروسي, but رئيس منظمة الطاقة is not within the bare الرئيس of someone else:
 * the text never said that he heads it. The jurisdiction only has to fit:
 * الرئيس الروسي is الرئيس بوتين.
 */
int roles_key_within(const char *a, size_t an, const char *b, size_t bn)
{
    if (!roles_lex_ready())
        return 0;
    KeyParts x, y;
    key_parts(a, an, &x);
    key_parts(b, bn, &y);
    return x.head_n && y.head_n && roles_span_eq(x.pre, x.pre_n, y.pre, y.pre_n) &&
           heads_compatible(&x, &y) && (!x.comp_n || roles_span_eq(x.comp, x.comp_n, y.comp, y.comp_n)) &&
           (!x.host_n || roles_span_eq(x.host, x.host_n, y.host, y.host_n)) &&
           part_fits(x.jur, x.jur_n, y.jur, y.jur_n);
}

int roles_same_office(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b || !roles_lex_ready() || !roles_span_eq(a, an, b, bn))
        return 0;
    KeyParts x;
    key_parts(a, an, &x);
    if (!x.known || !x.jur_n || (x.hflags & (RF_MANY | RF_GENERIC)))
        return 0; /* a key this lexicon did not write is no office it can vouch for */
    if ((x.hflags & RF_HOST) && !x.host_n)
        return 0; /* السفير الروسي: Russia has one in every capital */
    if ((x.hflags & RF_COMP) && !x.comp_n)
        return 0; /* الوزير الروسي: which ministry? */
    if (x.pre_n && (x.comp_n || !roles_span_eq(x.head, x.head_n, "رييس", strlen("رييس"))))
        return 0; /* deputies and assistants come several to an office (نائب وزير الخارجية,
                     نائب رئيس الوزراء), but the vice-president is one */
    return 1;
}
