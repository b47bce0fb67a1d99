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
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "roles.h"
#include "analyze.h"
#include "names.h"
#include "ner.h"
#include "../text/text.h"

/* The lexicon compiled in from data/lexicon/offices.txt (build/gen/offices_lexicon.c). */
extern const unsigned char lex_offices[];
extern const unsigned long lex_offices_len;

/* ======================================================================
 * Lexicon
 * ==================================================================== */

enum {
    RC_NONE = 0, RC_HEAD, RC_PRE, RC_DEPT, RC_POLITY, RC_BODY, RC_MOD, RC_HON, RC_STOP,
    RC_COMPAT, RC_ADJ, RC_PLACE, RC_NCATS
};
static const char *const cat_names[RC_NCATS] = {"", "head", "pre", "dept", "polity", "body",
                                                "mod", "hon", "stop", "compat", "adj",
                                                "place"};

/* Entry flags: the [FLAGS] of a line, and what a mod line means. */
enum {
    RF_MANY = 1 << 0, RF_HOST = 1 << 1, RF_GENERIC = 1 << 2, RF_TITLE = 1 << 3,
    RF_COMP = 1 << 4, RF_FORMER = 1 << 5, RF_ELECT = 1 << 6, RF_NAMED = 1 << 7,
    RF_NATPERSON = 1 << 8
};

#define PHRASE_MAX 6 /* words in the longest lexicon form */

typedef struct RLex {
    uint32_t off, len;         /* the form (token forms joined by one space) in pool */
    uint32_t canon_off, canon_len; /* the line's CANON, folded the same way, in pool */
    uint32_t jur_off, jur_len; /* jurisdiction key (names_key) in pool; len 0 = none */
    uint16_t flags;            /* RF_* */
    uint8_t cat;               /* RC_* */
    uint8_t ntok;              /* words in the form */
    uint8_t fem;               /* the form's first word ends in ة */
} RLex;

typedef struct CompatPair {
    uint32_t a_off, a_len, b_off, b_len; /* two head CANONs (in pool) */
} CompatPair;

static struct {
    RLex *e;              /* entries */
    size_t n, cap;
    char *pool;           /* all strings, NUL-separated */
    size_t pool_len, pool_cap;
    uint32_t *slots;      /* open addressing on (cat, form): entry index + 1, 0 = empty */
    size_t mask;
    StrSet prefixes;      /* every form's word-prefixes (first word, first two ...) */
    StrSet starts;        /* first words of head and pre forms: where an office may start */
    uint32_t *heads;      /* one entry index per distinct head CANON (flags ORed in) */
    uint16_t *head_flags; /* RF_* of every line with that CANON */
    size_t nheads;
    uint32_t *pres;       /* one entry index per distinct pre CANON */
    size_t npres;
    CompatPair *compat;   /* heads one person may be named by */
    size_t ncompat, cap_compat;
    int failed;           /* the table could not be built (out of memory) */
} L;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

static int pool_add(const char *s, size_t n, uint32_t *off)
{
    if (L.pool_len + n + 1 > L.pool_cap) {
        size_t nc = L.pool_cap ? L.pool_cap * 2 : 65536;
        while (nc < L.pool_len + n + 1)
            nc *= 2;
        char *np = realloc(L.pool, nc);
        if (!np)
            return -1;
        L.pool = np;
        L.pool_cap = nc;
    }
    *off = (uint32_t)L.pool_len;
    if (n)
        memcpy(L.pool + L.pool_len, s, n);
    L.pool_len += n;
    L.pool[L.pool_len++] = 0;
    return 0;
}

static int is_word_tok(const rasd_token *t)
{
    return t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN;
}

/*
 * The matching form of written text s (n bytes): its word tokens' keys
 * without proclitics, joined by one space, as the matcher reads tokens.
 * Returns the number of words, 0 if none, -1 on failure.
 */
static int form_of(rasd_text *tx, const char *s, size_t n, Buf *out)
{
    rasd_doc *d = NULL;
    if (rasd_text_analyse(tx, s, n, &d, NULL) != RASD_OK)
        return -1;
    int words = 0;
    for (size_t i = 0; i < d->ntokens; i++) {
        const rasd_token *t = &d->tokens[i];
        if (!is_word_tok(t) && t->type != RASD_TOK_NUMBER)
            continue;
        if (words++)
            buf_putc(out, ' ');
        buf_append(out, t->key + t->pre_len, t->key_len - t->pre_len);
    }
    rasd_doc_free(d);
    return out->oom ? -1 : words;
}

static uint64_t slot_hash(int cat, const char *p, size_t n)
{
    return rasd_hash(p, n) ^ ((uint64_t)cat * 0x9E3779B97F4A7C15ULL);
}

static void trim(const char **s, size_t *n)
{
    while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

/* Does written word w (n bytes) end in ة (U+0629)? */
static int ends_ta_marbuta(const char *w, size_t n)
{
    const char *sp = memchr(w, ' ', n);
    size_t wl = sp ? (size_t)(sp - w) : n;
    return wl >= 2 && (unsigned char)w[wl - 2] == 0xD8 && (unsigned char)w[wl - 1] == 0xA9;
}

static int add_entry(rasd_text *tx, int cat, int flags, const char *canon, size_t cn,
                     const char *jur, size_t jn, const char *form, size_t fn)
{
    Buf f = {0}, c = {0}, k = {0};
    int rc = -1;
    int words = form_of(tx, form, fn, &f);
    if (words <= 0 || words > PHRASE_MAX) {
        rc = words < 0 ? -1 : 0; /* a form with no words, or too long: skip it */
        goto out;
    }
    if (form_of(tx, canon, cn, &c) < 0)
        goto out;
    if (jn && names_key(jur, jn, &k) < 0)
        goto out;
    if (L.n == L.cap) {
        size_t nc = L.cap ? L.cap * 2 : 1024;
        RLex *ne = realloc(L.e, nc * sizeof *ne);
        if (!ne)
            goto out;
        L.e = ne;
        L.cap = nc;
    }
    RLex *e = &L.e[L.n];
    memset(e, 0, sizeof *e);
    e->cat = (uint8_t)cat;
    e->flags = (uint16_t)flags;
    e->ntok = (uint8_t)words;
    e->fem = (uint8_t)ends_ta_marbuta(form, fn);
    if (pool_add(f.data, f.len, &e->off) < 0 || pool_add(c.data ? c.data : "", c.len,
                                                         &e->canon_off) < 0 ||
        pool_add(k.data ? k.data : "", k.len, &e->jur_off) < 0)
        goto out;
    e->len = (uint32_t)f.len;
    e->canon_len = (uint32_t)c.len;
    e->jur_len = (uint32_t)k.len;
    L.n++;
    for (size_t i = 0; i <= f.len; i++) /* word prefixes of the form */
        if ((i == f.len || f.data[i] == ' ') && strset_add(&L.prefixes, f.data, i) < 0)
            goto out;
    if (cat == RC_HEAD || cat == RC_PRE) {
        const char *sp = memchr(f.data, ' ', f.len);
        if (strset_add(&L.starts, f.data, sp ? (size_t)(sp - f.data) : f.len) < 0)
            goto out;
    }
    rc = 0;
out:
    buf_free(&f);
    buf_free(&c);
    buf_free(&k);
    return rc;
}

static int add_compat(rasd_text *tx, const char *a, size_t an, const char *b, size_t bn)
{
    Buf fa = {0}, fb = {0};
    int rc = -1;
    if (form_of(tx, a, an, &fa) <= 0 || form_of(tx, b, bn, &fb) <= 0)
        goto out;
    if (L.ncompat == L.cap_compat) {
        size_t nc = L.cap_compat ? L.cap_compat * 2 : 16;
        CompatPair *np = realloc(L.compat, nc * sizeof *np);
        if (!np)
            goto out;
        L.compat = np;
        L.cap_compat = nc;
    }
    CompatPair *p = &L.compat[L.ncompat];
    if (pool_add(fa.data, fa.len, &p->a_off) < 0 || pool_add(fb.data, fb.len, &p->b_off) < 0)
        goto out;
    p->a_len = (uint32_t)fa.len;
    p->b_len = (uint32_t)fb.len;
    L.ncompat++;
    rc = 0;
out:
    buf_free(&fa);
    buf_free(&fb);
    return rc;
}

/* One line: "CATEGORY CANON [FLAGS] = FORM | FORM ...". */
static int parse_line(rasd_text *tx, const char *line, size_t len)
{
    size_t p = 0;
    while (p < len && line[p] != ' ')
        p++;
    int cat = 0;
    for (int c = 1; c < RC_NCATS; c++)
        if (strlen(cat_names[c]) == p && memcmp(cat_names[c], line, p) == 0)
            cat = c;
    const char *eq = memchr(line, '=', len);
    if (!cat || !eq)
        return 0; /* an unknown category or no forms is a lexicon typo: skip the line */
    const char *canon = line + p, *br = memchr(canon, '[', (size_t)(eq - canon));
    size_t cn = (size_t)((br ? br : eq) - canon);
    trim(&canon, &cn);
    int flags = 0;
    const char *jur = NULL;
    size_t jn = 0;
    if (br) { /* [many host generic title comp @COUNTRY] */
        const char *end = memchr(br, ']', (size_t)(eq - br));
        const char *q = br + 1, *qe = end ? end : eq;
        while (q < qe) {
            while (q < qe && *q == ' ')
                q++;
            const char *w = q;
            if (*w == '@') { /* a country: to the closing bracket */
                jur = w + 1;
                jn = (size_t)(qe - jur);
                trim(&jur, &jn);
                break;
            }
            while (q < qe && *q != ' ')
                q++;
            size_t wn = (size_t)(q - w);
            static const struct { const char *name; int flag; } fl[] = {
                {"many", RF_MANY}, {"host", RF_HOST}, {"generic", RF_GENERIC},
                {"title", RF_TITLE}, {"comp", RF_COMP}, {"named", RF_NAMED},
                {"natperson", RF_NATPERSON}};
            for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
                if (strlen(fl[i].name) == wn && memcmp(fl[i].name, w, wn) == 0)
                    flags |= fl[i].flag;
        }
    }
    if (cat == RC_MOD && cn == 6 && memcmp(canon, "former", 6) == 0)
        flags |= RF_FORMER;
    if (cat == RC_MOD && cn == 5 && memcmp(canon, "elect", 5) == 0)
        flags |= RF_ELECT;
    if (cat == RC_ADJ) { /* CANON is the country: it is the jurisdiction, and a place */
        jur = canon;
        jn = cn;
        if (add_entry(tx, RC_PLACE, 0, canon, cn, canon, cn, canon, cn) < 0)
            return -1;
    }
    if (cat == RC_POLITY) {
        jur = canon;
        jn = cn;
    }
    const char *f = eq + 1, *end = line + len;
    while (f < end) {
        const char *bar = memchr(f, '|', (size_t)(end - f));
        const char *fe = bar ? bar : end;
        const char *form = f;
        size_t fn = (size_t)(fe - f);
        trim(&form, &fn);
        if (fn) {
            int r;
            if (cat == RC_ADJ && fn < 200) { /* also with the article: the text core
                                                  reads ألماني as ال + ماني but الألمانية
                                                  as ال + المانية */
                char def[208];
                memcpy(def, "\xD8\xA7\xD9\x84", 4);
                memcpy(def + 4, form, fn);
                if (add_entry(tx, cat, flags, canon, cn, jur, jn, def, fn + 4) < 0)
                    return -1;
            }
            if (cat == RC_COMPAT)
                r = add_compat(tx, canon, cn, form, fn);
            else if (cat == RC_PLACE) /* each place is its own jurisdiction */
                r = add_entry(tx, cat, flags, form, fn, form, fn, form, fn);
            else
                r = add_entry(tx, cat, flags, canon, cn, jur, jn, form, fn);
            if (r < 0)
                return -1;
        }
        f = fe + 1;
    }
    return 0;
}

static void lex_build(void)
{
    rasd_text *tx = NULL;
    if (rasd_text_new(&tx, NULL) != RASD_OK) {
        L.failed = 1;
        return;
    }
    const char *s = (const char *)lex_offices;
    size_t n = lex_offices_len, i = 0;
    while (i < n && !L.failed) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        if (e > i && s[i] != '#' && parse_line(tx, s + i, e - i) < 0)
            L.failed = 1;
        i = e + 1;
    }
    rasd_text_free(tx);
    size_t cap = 1;
    while (cap < L.n * 2 + 2)
        cap *= 2;
    L.slots = L.failed ? NULL : calloc(cap, sizeof *L.slots);
    if (!L.slots) {
        L.failed = 1;
        return;
    }
    L.mask = cap - 1;
    /* distinct head and pre CANONs, for taking office keys apart */
    L.heads = malloc((L.n + 1) * sizeof *L.heads);
    L.head_flags = malloc((L.n + 1) * sizeof *L.head_flags);
    L.pres = malloc((L.n + 1) * sizeof *L.pres);
    if (!L.heads || !L.head_flags || !L.pres) {
        L.failed = 1;
        return;
    }
    for (size_t k = 0; k < L.n; k++) {
        const RLex *e = &L.e[k];
        if (e->cat != RC_HEAD && e->cat != RC_PRE)
            continue;
        uint32_t *list = e->cat == RC_HEAD ? L.heads : L.pres;
        size_t *nl = e->cat == RC_HEAD ? &L.nheads : &L.npres, u;
        for (u = 0; u < *nl; u++) {
            const RLex *o = &L.e[list[u]];
            if (o->canon_len == e->canon_len &&
                memcmp(L.pool + o->canon_off, L.pool + e->canon_off, e->canon_len) == 0)
                break;
        }
        if (u == *nl) {
            list[(*nl)++] = (uint32_t)k;
            if (e->cat == RC_HEAD)
                L.head_flags[u] = 0;
        }
        if (e->cat == RC_HEAD)
            L.head_flags[u] |= e->flags;
    }
    for (size_t k = 0; k < L.n; k++) { /* the first entry of a (cat, form) wins */
        const RLex *e = &L.e[k];
        size_t h = (size_t)slot_hash(e->cat, L.pool + e->off, e->len) & L.mask;
        int dup = 0;
        while (L.slots[h]) {
            const RLex *o = &L.e[L.slots[h] - 1];
            if (o->cat == e->cat && o->len == e->len &&
                memcmp(L.pool + o->off, L.pool + e->off, e->len) == 0)
                dup = 1;
            h = (h + 1) & L.mask;
        }
        if (!dup)
            L.slots[h] = (uint32_t)k + 1;
    }
}

static int lex_ready(void)
{
    pthread_once(&lex_once, lex_build);
    return !L.failed;
}

static const RLex *lex_get(int cat, const char *p, size_t n)
{
    size_t h = (size_t)slot_hash(cat, p, n) & L.mask;
    for (uint32_t s; (s = L.slots[h]) != 0; h = (h + 1) & L.mask) {
        const RLex *e = &L.e[s - 1];
        if (e->cat == cat && e->len == n && memcmp(L.pool + e->off, p, n) == 0)
            return e;
    }
    return NULL;
}

/* ======================================================================
 * Tokens
 * ==================================================================== */

#define AR_ALEF_LAM "\xD8\xA7\xD9\x84" /* ال */
#define AR_LAM_LAM "\xD9\x84\xD9\x84"  /* لل = ل + ال */

/* The token's form: its key without proclitics. */
static const char *tform(const rasd_token *t, size_t *n)
{
    *n = t->key_len - t->pre_len;
    return t->key + t->pre_len;
}

static int form_is(const rasd_token *t, const char *w)
{
    size_t n;
    const char *f = tform(t, &n);
    return n == strlen(w) && memcmp(f, w, n) == 0;
}

/* The proclitics carry the article: ال، وال، بال، لل (ل + ال). */
static int has_article(const rasd_token *t)
{
    if (t->pre_len < 4)
        return 0;
    const char *e = t->key + t->pre_len - 4;
    return memcmp(e, AR_ALEF_LAM, 4) == 0 || memcmp(e, AR_LAM_LAM, 4) == 0;
}

/* The proclitics start with the conjunction و or ف. */
static int has_conj(const rasd_token *t)
{
    return t->pre_len >= 2 && (unsigned char)t->key[0] == 0xD9 &&
           ((unsigned char)t->key[1] == 0x88 || (unsigned char)t->key[1] == 0x81);
}

/* The proclitics hold the preposition ل (ل، لل، ول، ولل). */
static int has_prep_l(const rasd_token *t)
{
    size_t n = t->pre_len;
    const char *k = t->key;
    if (n >= 4 && memcmp(k + n - 4, AR_LAM_LAM, 4) == 0)
        return 1;
    if (n >= 4 && memcmp(k + n - 4, AR_ALEF_LAM, 4) == 0)
        n -= 4;
    return n >= 2 && (unsigned char)k[n - 2] == 0xD9 && (unsigned char)k[n - 1] == 0x84;
}

/* The proclitics are ب or بال (no conjunction): بجدة، بالرياض. */
static int has_prep_b(const rasd_token *t)
{
    return t->pre_len >= 2 && (unsigned char)t->key[0] == 0xD8 &&
           (unsigned char)t->key[1] == 0xA8 &&
           (t->pre_len == 2 || (t->pre_len == 6 && memcmp(t->key + 2, AR_ALEF_LAM, 4) == 0));
}

/* Proclitics other than the bare article: و، ب، ل، لل، وال ... */
static int has_other_clitic(const rasd_token *t)
{
    return t->pre_len > 0 && !(t->pre_len == 4 && memcmp(t->key, AR_ALEF_LAM, 4) == 0);
}

static int is_punct(const rasd_token *t, const char *p)
{
    return t->type == RASD_TOK_PUNCT && t->key_len == strlen(p) && memcmp(t->key, p, t->key_len) == 0;
}

static int is_comma(const rasd_token *t)
{
    return is_punct(t, "\xD8\x8C") || is_punct(t, ",");
}

/* ======================================================================
 * The grammar
 * ==================================================================== */

#define STR_CAP 200 /* bytes of one part of an office key; longer is cut */

typedef struct Str {
    char s[STR_CAP]; /* bytes, not NUL-terminated */
    uint16_t n;      /* bytes used */
} Str;

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

typedef struct Office {
    Str pre;          /* rank prefixes, canonical: نايب */
    Str head;         /* the head's CANON: متحدث */
    Str comp;         /* complements: department, body, free words */
    Str host;         /* host country or body of an envoy (after لدى) */
    Str jur;          /* jurisdiction key: country or international body */
    uint16_t hflags;  /* the head's RF_* flags */
    uint8_t definite; /* names one holder: الوزير, وزير الخارجية (not وزير, مسؤول أمريكي) */
    uint32_t first, last; /* tokens of this office, inclusive */
} Office;

typedef struct Phrase {
    Office off[ROLES_MAX_OFFICES];
    int n;            /* offices */
    uint32_t first, last; /* tokens, inclusive */
    uint8_t flags;    /* ROLE_* */
    uint8_t conj;     /* the first token has و/ف in front: coordination */
} Phrase;

typedef struct Ctx {
    const rasd_doc *d;     /* the document */
    const rasd_token *tok; /* its tokens */
    size_t ntok;
    const Entity *ents;    /* entities, in text order */
    size_t nents;
    const char *ekeys;     /* the entities' keys */
    int32_t *tok_ent;      /* per token: the entity covering it, or -1 */
    int32_t self;          /* an entity to treat as plain words (a role inside a PERS span) */
} Ctx;

/* The entity at token k, -1 if none (or the ignored one). */
static int ent_at(const Ctx *c, uint32_t k)
{
    int e = k < c->ntok ? c->tok_ent[k] : -1;
    return e == c->self ? -1 : e;
}

/* The entity that starts at token k, or -1. */
static int ent_starts(const Ctx *c, uint32_t k)
{
    int e = ent_at(c, k);
    return e >= 0 && (k == 0 || c->tok_ent[k - 1] != e) ? e : -1;
}

static uint32_t ent_last_tok(const Ctx *c, int e, uint32_t k)
{
    while (k + 1 < c->ntok && c->tok_ent[k + 1] == e)
        k++;
    return k;
}

/*
 * The longest lexicon entry of category cat at tokens k .. lim-1; *ntok
 * gets its words. Only word tokens (and numbers) take part.
 */
static const RLex *match(const Ctx *c, int cat, uint32_t k, uint32_t lim, int *ntok)
{
    char buf[512];
    size_t n = 0;
    const RLex *best = NULL;
    for (uint32_t j = k; j < lim && j - k < PHRASE_MAX; j++) {
        const rasd_token *t = &c->tok[j];
        if (!is_word_tok(t) && t->type != RASD_TOK_NUMBER)
            break;
        if (j > k && has_other_clitic(t) && cat != RC_POLITY && cat != RC_DEPT)
            break; /* و or ل inside: a new phrase, not this one's word */
        size_t fn;
        const char *f = tform(t, &fn);
        /* adjectives are listed masculine: روسيه (روسية) reads روسي */
        if (cat == RC_ADJ && fn >= 4 && memcmp(f + fn - 4, "\xD9\x8A\xD9\x87", 4) == 0)
            fn -= 2;
        if (n + fn + 1 > sizeof buf)
            break;
        if (j > k)
            buf[n++] = ' ';
        memcpy(buf + n, f, fn);
        n += fn;
        if (!strset_has(&L.prefixes, buf, n))
            break;
        const RLex *e = lex_get(cat, buf, n);
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
    return form_is(t, "\xD8\xA8\xD9\x86") || form_is(t, "\xD8\xA8\xD9\x86\xD8\xAA") ||
           form_is(t, "\xD8\xA7\xD8\xA8\xD9\x86");
}

/* A token that can be a free word of a complement: a content word. */
static int content_word(const Ctx *c, uint32_t k, uint32_t lim)
{
    const rasd_token *t = &c->tok[k];
    int n;
    if (t->type != RASD_TOK_ARABIC || (t->flags & RASD_TF_STOP))
        return 0;
    size_t fn;
    const char *f = tform(t, &fn);
    if (fn < 4 || lex_is_verb(t->key, t->key_len) || lex_is_verb(f, fn) || is_name_particle(t))
        return 0; /* one letter, a verb, بن */
    return !match(c, RC_STOP, k, lim, &n) && !match(c, RC_MOD, k, lim, &n) &&
           !match(c, RC_HEAD, k, lim, &n);
}

/*
 * Does a name start at token k, or a person's name go on there? Words of
 * an ORG or MISC entity the phrase is already inside (رئيس هيئة الأركان
 * | المشتركة, tagged هيئة الأركان المشتركة) are not a new name.
 */
static int new_name(const Ctx *c, uint32_t k)
{
    int e = ent_at(c, k);
    if (e < 0)
        return 0;
    return c->ents[e].type == NER_PERS || k == 0 || c->tok_ent[k - 1] != e;
}

/* A definite nisba adjective (التنفيذي، الاستراتيجية، القومي) that is no nationality. */
static int free_nisba(const Ctx *c, uint32_t k, uint32_t lim)
{
    const rasd_token *t = &c->tok[k];
    int n;
    if (!has_article(t) || has_other_clitic(t) || !content_word(c, k, lim) ||
        match(c, RC_ADJ, k, lim, &n) || new_name(c, k))
        return 0;
    size_t fn;
    const char *f = tform(t, &fn);
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
        if (has_article(t))
            buf_append(&w, AR_ALEF_LAM, 4);
        buf_append(&w, t->key + t->pre_len, t->key_len - t->pre_len);
    }
    if (names_key(w.data ? w.data : "", w.len, &k) == 0)
        str_set(out, k.data ? k.data : "", k.len);
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
        const RLex *m = match(c, cats[i], k, lim, &len);
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
        if (!is_word_tok(t))
            break;
        int n = 0, e = ent_starts(c, k);
        if (units == 0 && mode == NP_AT) { /* ب + a place: رئيس النادي الأدبي بجدة */
            if (!has_prep_b(t) || !((e >= 0 && c->ents[e].type == NER_LOC) ||
                                    match(c, RC_PLACE, k, lim, &n)))
                break;
        } else if (units == 0 &&
                   (mode == NP_L ? !has_prep_l(t) || has_conj(t) : has_other_clitic(t))) {
            break; /* a genitive takes no و or preposition; a ل-phrase needs its ل */
        }
        if (units == 0 && mode == NP_IN && !match(c, RC_BODY, k, lim, &n) &&
            !(e >= 0 && c->ents[e].type == NER_ORG) && !match(c, RC_POLITY, k, lim, &n))
            break; /* في مجلس الأمن القومي, not في مؤتمر صحفي */
        if (units > 0 && has_other_clitic(t))
            break;
        const RLex *m;
        int hn = 0, he = -1;
        const RLex *title = mode == NP_GEN && e < 0 && !has_other_clitic(t)
                                ? match(c, RC_HEAD, k, lim, &hn) : NULL;
        if (title && (title->flags & RF_TITLE) &&
            (he = ent_starts(c, k + (uint32_t)hn)) >= 0 && c->ents[he].type == NER_PERS) {
            /* a body named after someone: رئيس مدينة الملك عبدالله, مستشار الأمير فيصل
               (titles only: قائد الفريق محمد نور is the team's captain) */
            e = he;
            k += (uint32_t)hn;
        }
        if (e >= 0 && c->ents[e].type == NER_PERS) {
            if (mode != NP_GEN)
                break;
            str_add(&np->words, c->ekeys + c->ents[e].key_off, c->ents[e].key_len);
            k = ent_last_tok(c, e, k) + 1;
            np->closed = 1;
            np->named = 1;
        } else if ((m = longest_body(c, k, lim, &n)) != NULL && m->cat == RC_POLITY) {
            if (np->jur.n)
                str_add(&np->words, L.pool + m->jur_off, m->jur_len);
            else
                str_set(&np->jur, L.pool + m->jur_off, m->jur_len);
            k += (uint32_t)n;
            np->closed = 1;
            np->named = 1;
        } else if (m && m->cat == RC_PLACE) {
            if (!np->jur.n) {
                str_set(&np->jur, L.pool + m->jur_off, m->jur_len);
                np->place = 1;
            }
            else
                str_add(&np->words, L.pool + m->jur_off, m->jur_len);
            k += (uint32_t)n;
            np->closed = 1;
            np->named = 1;
        } else if (m) { /* a department */
            str_add(&np->words, L.pool + m->canon_off, m->canon_len);
            if (m->jur_len && !np->jur.n)
                str_set(&np->jur, L.pool + m->jur_off, m->jur_len);
            for (int j = 0; j < n; j++)
                np->closed |= has_article(&c->tok[k + (uint32_t)j]);
            np->closed |= m->jur_len > 0;
            k += (uint32_t)n;
        } else if (e >= 0 && (c->ents[e].type == NER_LOC || c->ents[e].type == NER_ORG)) {
            uint32_t last = ent_last_tok(c, e, k), whole = last;
            for (uint32_t j = k + 1; j <= last; j++)
                if (match(c, RC_ADJ, j, lim, &n)) { /* الحرس الثوري | الإيراني: the
                                                       adjective is the office's country */
                    last = j - 1;
                    break;
                }
            /* an honorific the tagger took into the body before a name:
               عضو المجلس | الدكتورة دلال الحربي */
            int named_after = -1; /* قاعدة الملك | فهد: a body named after a titled person */
            for (uint32_t j = k + 1; j <= last; j++) {
                int tn = 0, pe = ent_starts(c, last + 1);
                if (match(c, RC_HON, j, lim, &tn) && j + (uint32_t)tn == last + 1 && pe >= 0 &&
                    c->ents[pe].type == NER_PERS) {
                    const RLex *ti = match(c, RC_HEAD, j, lim, &tn);
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
                    const char *f = tform(&c->tok[j], &fn);
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
                k = ent_last_tok(c, named_after, k) + 1;
            }
            np->closed = 1;
            np->named = 1;
            units++;
            continue;
        } else if ((content_word(c, k, lim) || (t->type == RASD_TOK_ARABIC &&
                                                 match(c, RC_BODY, k, lim, &n))) &&
                   !match(c, RC_ADJ, k, lim, &n) &&
                   !(k + 1 < lim && is_name_particle(&c->tok[k + 1])) &&
                   (e < 0 || c->ents[e].type == NER_MISC) && nfree < 4 &&
                   (units > 0 || mode != NP_L || match(c, RC_BODY, k, lim, &n))) {
            size_t fn;
            const char *f = tform(t, &fn);
            str_add(&np->words, f, fn);
            np->closed = has_article(t);
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
        const char *f = tform(&c->tok[k], &fn);
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
        const RLex *pre = match(c, RC_PRE, j, lim, &pn);
        if (!pre || c->tok[j].suf_len || (j > k && has_other_clitic(&c->tok[j])))
            break;
        if (match(c, RC_HEAD, j, lim, &hn) && hn > pn)
            break; /* a longer head starts here: النائب العام is not نائب + عام */
        uint32_t nxt = j + (uint32_t)pn, q = nxt;
        int def = has_article(&c->tok[j]);
        if (def && q < lim && match(c, RC_MOD, q, lim, &mn) && !has_other_clitic(&c->tok[q]))
            q += (uint32_t)mn;
        if (q >= lim || !(match(c, RC_HEAD, q, lim, &dummy) || match(c, RC_PRE, q, lim, &dummy)))
            break; /* no head after it: the word is a head itself (نائب: an MP) */
        const rasd_token *ht = &c->tok[q];
        if (has_other_clitic(ht) && !(def && has_prep_l(ht) && !has_conj(ht)))
            break;
        if (!has_other_clitic(ht) && q != nxt)
            break; /* النائب الأول + a bare head: not the ل form */
        str_add(&o->pre, L.pool + pre->canon_off, pre->canon_len);
        for (uint32_t i = nxt; i < q; i++) {
            size_t fn;
            const char *f = tform(&c->tok[i], &fn);
            str_add(&o->pre, f, fn);
        }
        if (j == k && pre->fem)
            *flags |= ROLE_FEM;
        j = q;
    }
    if (j >= lim || (ent_at(c, j) >= 0 && c->ents[ent_at(c, j)].type != NER_MISC))
        return 0;
    h = match(c, RC_HEAD, j, lim, &n);
    if (!h || c->tok[j].suf_len)
        return 0; /* وزيره "his minister" is no office phrase */
    if (j == k)
        *flags |= h->fem ? ROLE_FEM : 0;
    int head_fem = j == k ? h->fem : (*flags & ROLE_FEM) != 0;
    str_set(&o->head, L.pool + h->canon_off, h->canon_len);
    o->hflags = h->flags;
    if (h->jur_len)
        str_set(&o->jur, L.pool + h->jur_off, h->jur_len);
    int head_def = 0;
    for (int i = 0; i < n; i++)
        head_def |= has_article(&c->tok[j + (uint32_t)i]);
    j += (uint32_t)n;
    int open = !head_def, after_adj = 0, nfree = 0, named_org = 0, after_name = 0;
    *definite = head_def;
    Np np;
    while (j < lim && is_word_tok(&c->tok[j])) {
        const rasd_token *t = &c->tok[j];
        const RLex *m;
        if (!open && (m = match(c, RC_MOD, j, lim, &n)) != NULL && !has_other_clitic(t)) {
            *flags |= (m->flags & RF_FORMER ? ROLE_FORMER : 0) | (m->flags & RF_ELECT ? ROLE_ELECT : 0);
            j += (uint32_t)n;
            continue;
        }
        if (!open && !has_other_clitic(t) && has_article(t) == (*definite != 0) &&
            (m = match(c, RC_ADJ, j, lim, &n)) != NULL) { /* agreeing in definiteness:
                                                             الرئيس كيني is a name */
            /* the holder's nationality, not the office's: المدرب الألماني، رئيس
               الاتحاد الدولي السويسري، الأمين العام للفيفا الفرنسي (a coach's
               adjective is always his: مدرب الفريق اليوناني is Greek); an
               adjective of the other gender agrees with the body instead
               (مدير وكالة المخابرات المركزية الأمريكية) */
            size_t fn;
            const char *f = tform(t, &fn);
            int adj_fem = fn >= 4 && memcmp(f + fn - 4, "\xD9\x8A\xD9\x87", 4) == 0;
            int holders = (o->hflags & RF_NATPERSON) ||
                          ((named_org || international(&o->comp)) && adj_fem == head_fem);
            if (!holders && !o->jur.n)
                str_set(&o->jur, L.pool + m->jur_off, m->jur_len);
            j += (uint32_t)n;
            after_adj = 1;
            continue;
        }
        if ((o->hflags & RF_NAMED) && !has_other_clitic(t) &&
            form_is(t, "\xD8\xA8\xD8\xA7\xD8\xB3\xD9\x85")) { /* باسم: a spokesman's body */
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
        int envoy = (o->hflags & RF_HOST) && !has_other_clitic(t) &&
                    (form_is(t, "\xD8\xA7\xD9\x84\xD9\x8A") /* الي */ || form_is(t, "\xD9\x81\xD9\x8A") /* في */);
        if (!has_other_clitic(t) && (form_is(t, "\xD9\x84\xD8\xAF\xD9\x8A") /* لدي */ || envoy)) {
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
        if (!open && !after_adj && j + 1 < lim && has_article(t) && !has_other_clitic(t) &&
            content_word(c, j, lim) && !new_name(c, j) && match(c, RC_ADJ, j + 1, lim, &n)) {
            size_t fn; /* an adjective before the nationality: الأركان المشتركة الأمريكية */
            const char *f = tform(t, &fn);
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
        if (form_is(t, "\xD9\x81\xD9\x8A") && !has_other_clitic(t) && /* في + a body */
            parse_np(c, j + 1, lim, NP_IN, &np)) {
            apply_np(o, &np);
            j = np.end;
            continue;
        }
        if (has_prep_b(t) && parse_np(c, j, lim, NP_AT, &np)) {
            apply_np(o, &np);
            j = np.end;
            after_name = 1;
            continue;
        }
        if (has_prep_l(t) && parse_np(c, j, lim, NP_L, &np)) {
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
            const char *f = tform(t, &fn);
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
static int parse_phrase(const Ctx *c, uint32_t k, uint32_t lim, Phrase *p)
{
    p->n = 0;
    if (k >= lim || !is_word_tok(&c->tok[k]))
        return 0;
    size_t fn;
    const char *f = tform(&c->tok[k], &fn);
    if (!strset_has(&L.starts, f, fn))
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
            if ((has_article(t) && !match(c, RC_PRE, j, lim, &dummy)) ||
                (has_other_clitic(t) && !has_conj(t)))
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
    p->conj = has_conj(&c->tok[k]);
    if (definite)
        p->flags |= ROLE_DEFINITE;
    return 1;
}

/* Writes the key of o ("OFFICE|JURISDICTION") to out. */
static void office_key(const Office *o, Buf *out)
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

static int span_eq(const char *a, size_t an, const char *b, size_t bn)
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
        for (size_t i = 0; i < L.npres && e < on; i++) {
            const RLex *pe = &L.e[L.pres[i]];
            if (span_eq(L.pool + pe->canon_off, pe->canon_len, k + pos, e - pos)) {
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
    for (size_t i = 0; i < L.nheads; i++) {
        const RLex *e = &L.e[L.heads[i]];
        if (e->canon_len > on - pos ||
            memcmp(L.pool + e->canon_off, k + pos, e->canon_len) != 0 ||
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
        p->hflags = L.head_flags[best_i]; /* any line of that CANON may carry them */
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
    if (span_eq(a->head, a->head_n, b->head, b->head_n))
        return 1;
    if ((a->hflags | b->hflags) & RF_GENERIC)
        return 1;
    for (size_t i = 0; i < L.ncompat; i++) {
        const CompatPair *c = &L.compat[i];
        const char *x = L.pool + c->a_off, *y = L.pool + c->b_off;
        if ((span_eq(x, c->a_len, a->head, a->head_n) && span_eq(y, c->b_len, b->head, b->head_n)) ||
            (span_eq(y, c->b_len, a->head, a->head_n) && span_eq(x, c->a_len, b->head, b->head_n)))
            return 1;
    }
    return 0;
}

static int part_fits(const char *a, size_t an, const char *b, size_t bn)
{
    return an == 0 || bn == 0 || span_eq(a, an, b, bn);
}

int roles_compatible(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b || !lex_ready())
        return 0;
    KeyParts x, y;
    key_parts(a, an, &x);
    key_parts(b, bn, &y);
    return x.head_n && y.head_n && span_eq(x.pre, x.pre_n, y.pre, y.pre_n) &&
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
static int key_within(const char *a, size_t an, const char *b, size_t bn)
{
    if (!lex_ready())
        return 0;
    KeyParts x, y;
    key_parts(a, an, &x);
    key_parts(b, bn, &y);
    return x.head_n && y.head_n && span_eq(x.pre, x.pre_n, y.pre, y.pre_n) &&
           heads_compatible(&x, &y) && (!x.comp_n || span_eq(x.comp, x.comp_n, y.comp, y.comp_n)) &&
           (!x.host_n || span_eq(x.host, x.host_n, y.host, y.host_n)) &&
           part_fits(x.jur, x.jur_n, y.jur, y.jur_n);
}

int roles_same_office(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b || !lex_ready() || !span_eq(a, an, b, bn))
        return 0;
    KeyParts x;
    key_parts(a, an, &x);
    if (!x.known || !x.jur_n || (x.hflags & (RF_MANY | RF_GENERIC)))
        return 0; /* a key this lexicon did not write is no office it can vouch for */
    if ((x.hflags & RF_HOST) && !x.host_n)
        return 0; /* السفير الروسي: Russia has one in every capital */
    if ((x.hflags & RF_COMP) && !x.comp_n)
        return 0; /* الوزير الروسي: which ministry? */
    if (x.pre_n && !x.comp_n && !span_eq(x.head, x.head_n, "\xD8\xB1\xD9\x8A\xD9\x8A\xD8\xB3", 8))
        return 0; /* deputies and assistants come several to an office, but the vice-president is one */
    return 1;
}

/* ======================================================================
 * Finding, attaching, linking
 * ==================================================================== */

void roles_free(RoleList *l)
{
    free(l->items);
    buf_free(&l->keys);
    memset(l, 0, sizeof *l);
}

const char *roles_key(const RoleList *l, const Role *r, size_t i, size_t *len)
{
    if (!l->keys.data || i >= r->noffices) {
        *len = 0;
        return "";
    }
    *len = r->key_len[i];
    return l->keys.data + r->key_off[i];
}

/* Per token, the entity covering it (-1 none). */
static int32_t *map_entities(const rasd_doc *d, const EntityList *el)
{
    size_t n = rasd_doc_ntokens(d);
    const rasd_token *tok = rasd_doc_tokens(d);
    int32_t *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return NULL;
    size_t e = 0;
    for (size_t i = 0; i < n; i++) {
        while (e < el->n && el->items[e].end <= tok[i].start)
            e++;
        m[i] = e < el->n && el->items[e].start <= tok[i].start && tok[i].end <= el->items[e].end
                   ? (int32_t)e : -1;
    }
    return m;
}

/*
 * Bytes of text at the start of token t that are its proclitics other
 * than the article (ووزير → و, لوزير → ل), so a role's span starts at its
 * noun; 0 when the text does not spell them plainly (لل, tashkeel on them).
 */
static uint32_t clitic_bytes(const rasd_doc *d, const rasd_token *t)
{
    size_t n = t->pre_len;
    if (n >= 4 && memcmp(t->key + n - 4, AR_ALEF_LAM, 4) == 0)
        n -= 4; /* the article stays in the span */
    else if (n >= 4 && memcmp(t->key + n - 4, AR_LAM_LAM, 4) == 0)
        return 0; /* للوزير: ل + ال with the alef elided */
    size_t tl;
    const char *text = rasd_doc_text(d, &tl);
    if (!n || t->start + n >= t->end || t->end > tl || memcmp(text + t->start, t->key, n) != 0)
        return 0;
    return (uint32_t)n;
}

static int add_role(RoleList *l, size_t *cap, const Ctx *c, const Phrase *p, int from, int to,
                    int kind, int entity)
{
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        Role *ni = realloc(l->items, nc * sizeof *ni);
        if (!ni)
            return -1;
        l->items = ni;
        *cap = nc;
    }
    Role *r = &l->items[l->n];
    memset(r, 0, sizeof *r);
    r->first = p->off[from].first;
    r->last = p->off[to - 1].last;
    r->start = c->tok[r->first].start + clitic_bytes(c->d, &c->tok[r->first]);
    r->end = c->tok[r->last].end;
    r->kind = (uint8_t)kind;
    r->flags = p->flags;
    r->entity = entity;
    for (int i = from; i < to; i++) {
        size_t at = l->keys.len;
        office_key(&p->off[i], &l->keys);
        size_t len = l->keys.len - at;
        buf_putc(&l->keys, 0);
        r->key_off[r->noffices] = (uint32_t)at;
        r->key_len[r->noffices] = (uint16_t)(len > 65535 ? 65535 : len);
        r->noffices++;
    }
    if (from > 0) /* a split chain: the first office's gender only */
        r->flags &= (uint8_t)~ROLE_FEM;
    r->flags = (uint8_t)((r->flags & ~ROLE_DEFINITE) | (p->off[from].definite ? ROLE_DEFINITE : 0));
    l->n++;
    return l->keys.oom ? -1 : 0;
}

/* Is the role phrase (ending at token last) closed by punctuation or the sentence end? */
static int closed_after(const Ctx *c, uint32_t last, uint32_t lim)
{
    return last + 1 >= lim || c->tok[last + 1].type == RASD_TOK_PUNCT;
}

/* The person a phrase is in apposition with: *kind and the entity, or -1. */
static int attach(const Ctx *c, const Phrase *p, uint32_t sbeg, uint32_t lim, int *kind)
{
    int n;
    uint32_t k = p->last + 1;
    if (k < lim && is_comma(&c->tok[k]))
        k++;
    int comma = k > p->last + 1;
    for (int h = 0; h < 4 && k < lim && ent_starts(c, k) < 0; h++) {
        if (!match(c, RC_HON, k, lim, &n) || has_conj(&c->tok[k]))
            break; /* وسمو الشيخ X: the next person of a list */
        k += (uint32_t)n;
    }
    int e = k < lim ? ent_starts(c, k) : -1;
    if (comma && k < lim && has_conj(&c->tok[k]))
        e = -1; /* X ولي عهد دبي، ومعالي Y: the role was X's */
    const rasd_token *ht = &c->tok[p->first];
    if (e >= 0 && c->ents[e].type == NER_PERS &&
        !(has_conj(&c->tok[k]) && (has_prep_l(ht) || has_prep_b(ht)))) {
        *kind = ROLE_BEFORE; /* not مساعداً للمدرب وعبدالرحمن: "and X" is someone else
                                (a bare و on the name may be its first letter: ويليام) */
        return e;
    }
    /* after a name: a definite role, not coordinated, that ends the clause —
       or is in the construct state, as titles after names are (الأمير فيصل
       أمير منطقة الرياض في ...), where an object would more often be
       definite itself (التقى بايدن الرئيس الصيني); with a preposition on it
       the role is an object (ونقل كارتر لخادم الحرمين الشريفين) */
    if (!(p->flags & ROLE_DEFINITE) || p->conj || has_prep_l(ht) || has_prep_b(ht) ||
        !(closed_after(c, p->last, lim) || !has_article(&c->tok[p->first])))
        return -1;
    uint32_t b = p->first;
    if (b > sbeg && (is_comma(&c->tok[b - 1]) || is_punct(&c->tok[b - 1], "-") ||
                     is_punct(&c->tok[b - 1], "(")))
        b--;
    if (b == sbeg)
        return -1;
    e = ent_at(c, b - 1);
    if (e >= 0 && c->ents[e].type == NER_PERS) {
        *kind = ROLE_AFTER;
        return e;
    }
    return -1;
}

/* Do role r (in list rl) and role h (in hl) have compatible offices and the same status? */
static int roles_fit(const RoleList *rl, const Role *r, const RoleList *hl, const Role *h,
                     int within)
{
    if ((r->flags ^ h->flags) & (ROLE_FORMER | ROLE_ELECT))
        return 0;
    for (size_t i = 0; i < r->noffices; i++)
        for (size_t j = 0; j < h->noffices; j++) {
            size_t an, bn;
            const char *a = roles_key(rl, r, i, &an), *b = roles_key(hl, h, j, &bn);
            if (within ? key_within(a, an, b, bn) : roles_compatible(a, an, b, bn))
                return 1;
        }
    return 0;
}

/*
 * The holder a role-only mention r (in list rl) links to, among the roles
 * attached to people in hl: the one person (by key) with a compatible
 * role. A feminine role noun only fits a feminine role; a masculine one
 * prefers masculine roles (السفير / السفيرة) and takes any when none is
 * masculine, since outlets write الوزير of a woman too. The entity returned
 * is that person's mention with the role nearest before r (or the first).
 */
static int link_holder(const RoleList *rl, const Role *r, const RoleList *hl,
                       const EntityList *el)
{
    if (!(r->flags & ROLE_DEFINITE) || (r->flags & ROLE_NAMEGAP))
        return -1; /* قال مسؤول أمريكي: someone unnamed; الرئيس سلام: someone untagged */
    int found[2] = {-1, -1}, amb[2] = {0, 0}, near[2] = {-1, -1}; /* [0] same gender, [1] any */
    for (size_t i = 0; i < hl->n; i++) {
        const Role *h = &hl->items[i];
        if (h->kind == ROLE_ONLY || h->entity < 0 || (size_t)h->entity >= el->n ||
            !roles_fit(rl, r, hl, h, 1))
            continue;
        int same_g = ((h->flags ^ r->flags) & ROLE_FEM) == 0;
        if ((r->flags & ROLE_FEM) && !same_g)
            continue;
        const Entity *pe = &el->items[h->entity];
        for (int g = same_g ? 0 : 1; g < 2; g++) {
            if (found[g] >= 0) {
                const Entity *fe = &el->items[found[g]];
                if (!span_eq(el->keys.data + fe->key_off, fe->key_len,
                             el->keys.data + pe->key_off, pe->key_len))
                    amb[g] = 1;
            } else {
                found[g] = h->entity;
            }
            if (near[g] < 0 || h->start <= r->start)
                near[g] = h->entity;
        }
    }
    int who = -1;
    for (int g = 0; g < 2 && who < 0; g++)
        if (found[g] >= 0) {
            if (amb[g])
                return -1;
            who = near[g];
        }
    if (who < 0)
        return -1;
    /* another definite role-only mention that fits r but names an office the
       holder does not have is someone else of the same kind: الوزير after
       وزير النقل (unnamed) and وزير الدفاع X is not clearly X */
    const Entity *w = &el->items[who];
    for (size_t i = 0; i < rl->n; i++) {
        const Role *o = &rl->items[i];
        if (o == r || o->kind != ROLE_ONLY || !(o->flags & ROLE_DEFINITE) ||
            !roles_fit(rl, r, rl, o, 0))
            continue;
        int held = 0;
        for (size_t j = 0; j < hl->n && !held; j++) {
            const Role *h = &hl->items[j];
            if (h->kind != ROLE_ONLY && h->entity >= 0 && (size_t)h->entity < el->n &&
                span_eq(el->keys.data + el->items[h->entity].key_off,
                        el->items[h->entity].key_len, el->keys.data + w->key_off, w->key_len))
                held = roles_fit(rl, o, hl, h, 1);
        }
        if (!held)
            return -1;
    }
    return who;
}

/* A bare title before a name (الأمير محمد، الملك سلمان) is an honorific, not an office. */
static int bare_title(const Phrase *p)
{
    const Office *o = &p->off[0];
    return p->n == 1 && (o->hflags & RF_TITLE) && !o->pre.n && !o->comp.n && !o->host.n &&
           !o->jur.n;
}

/*
 * Is the word after a role-only phrase perhaps a name the tagger missed
 * (الرئيس الكيني أوهورو كينياتا with no PERS)? A bare word — no article, no
 * proclitic, no stopword or known verb — right after the phrase.
 */
static int name_gap(const Ctx *c, uint32_t k, uint32_t lim)
{
    if (k >= lim)
        return 0;
    const rasd_token *t = &c->tok[k];
    size_t fn;
    const char *f = tform(t, &fn);
    return t->type == RASD_TOK_ARABIC && t->pre_len == 0 && !(t->flags & RASD_TF_STOP) &&
           !lex_is_verb(f, fn) && ent_at(c, k) < 0;
}

/* Adds a phrase that names no one: each office of a chain on its own, if definite. */
static int add_role_only(RoleList *out, size_t *cap, const Ctx *c, const Phrase *p, uint32_t lim)
{
    for (int o = 0; o < p->n; o++) {
        if (!p->off[o].definite)
            continue;
        if (add_role(out, cap, c, p, o, o + 1, ROLE_ONLY, -1) < 0)
            return -1;
        if (o + 1 == p->n && name_gap(c, p->last + 1, lim))
            out->items[out->n - 1].flags |= ROLE_NAMEGAP;
    }
    return 0;
}

static rasd_err find_in(const rasd_doc *d, const EntityList *el, RoleList *out, Ctx *c)
{
    size_t cap = 0, ns = rasd_doc_nsentences(d);
    const rasd_sentence *sent = rasd_doc_sentences(d);
    Phrase p;
    for (size_t s = 0; s < ns; s++) {
        uint32_t lim = sent[s].tok_end;
        for (uint32_t i = sent[s].tok_begin; i < lim && i < c->ntok;) {
            int e = c->tok_ent[i];
            if (e >= 0 && el->items[e].type == NER_PERS) {
                uint32_t last = ent_last_tok(c, e, i);
                c->self = e;
                /* a role inside the span: الرئيس بوتين tagged as one name */
                if (parse_phrase(c, i, last, &p) && !bare_title(&p) &&
                    add_role(out, &cap, c, &p, 0, p.n, ROLE_BEFORE, e) < 0)
                    return RASD_ENOMEM;
                /* a role that begins with the span's last word: the tagger took
                   ولي of "محمد بن سلمان ولي العهد" into the name */
                if (last > i && parse_phrase(c, last, lim, &p) && p.last > last &&
                    p.off[0].definite && add_role(out, &cap, c, &p, 0, p.n, ROLE_AFTER, e) < 0)
                    return RASD_ENOMEM;
                c->self = -1;
                i = (p.n && p.first == last && p.last > last) ? p.last + 1 : last + 1;
                memset(&p, 0, sizeof p);
                continue;
            }
            if (!parse_phrase(c, i, lim, &p)) {
                i++;
                continue;
            }
            int kind = ROLE_ONLY, who = attach(c, &p, sent[s].tok_begin, lim, &kind);
            if (who >= 0 && !(kind == ROLE_BEFORE && bare_title(&p))) {
                if (add_role(out, &cap, c, &p, 0, p.n, kind, who) < 0)
                    return RASD_ENOMEM;
            } else if (who < 0 && add_role_only(out, &cap, c, &p, lim) < 0) {
                return RASD_ENOMEM;
            }
            i = p.last + 1;
        }
    }
    for (size_t i = 0; i < out->n; i++)
        if (out->items[i].kind == ROLE_ONLY)
            out->items[i].entity = link_holder(out, &out->items[i], out, el);
    return RASD_OK;
}

rasd_err roles_find(const rasd_doc *d, const EntityList *el, RoleList *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    if (!lex_ready())
        return rasd_fail(err, RASD_ENOMEM, "roles: the office lexicon could not be built");
    Ctx c = {d, rasd_doc_tokens(d), rasd_doc_ntokens(d), el->items, el->n,
             el->keys.data ? el->keys.data : "", NULL, -1};
    c.tok_ent = map_entities(d, el);
    if (!c.tok_ent)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err e = find_in(d, el, out, &c);
    free(c.tok_ent);
    if (e != RASD_OK || out->keys.oom) {
        roles_free(out);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    return RASD_OK;
}

int roles_holder(const rasd_doc *d, const EntityList *el, uint32_t first, uint32_t last)
{
    const RoleList *l = &el->roles;
    size_t ntok = rasd_doc_ntokens(d);
    if (first > last || first >= ntok || !lex_ready())
        return -1;
    if (last >= ntok)
        last = (uint32_t)ntok - 1;
    for (size_t i = 0; i < l->n; i++) /* a role found already */
        if (l->items[i].first <= last && l->items[i].last >= first)
            return l->items[i].entity;
    /* the caller's span is no role we found: read it as a role-only mention */
    Ctx c = {d, rasd_doc_tokens(d), ntok, el->items, el->n, el->keys.data ? el->keys.data : "",
             NULL, -1};
    c.tok_ent = map_entities(d, el);
    if (!c.tok_ent)
        return -1;
    int who = -1;
    Phrase p;
    for (uint32_t k = first; k <= last; k++) {
        if (!parse_phrase(&c, k, last + 1, &p))
            continue;
        RoleList tmp = {0};
        size_t cap = 0;
        if (add_role(&tmp, &cap, &c, &p, 0, p.n, ROLE_ONLY, -1) == 0)
            who = link_holder(&tmp, &tmp.items[0], l, el);
        roles_free(&tmp);
        break;
    }
    free(c.tok_ent);
    return who;
}

int roles_adjective_key(const rasd_doc *d, uint32_t first, uint32_t last, Buf *out)
{
    size_t ntok = rasd_doc_ntokens(d);
    if (first > last || last >= ntok || !lex_ready())
        return 0;
    Ctx c = {d, rasd_doc_tokens(d), ntok, NULL, 0, "", NULL, -1};
    int n = 0;
    const RLex *m = match(&c, RC_ADJ, first, last + 1, &n);
    if (!m || (uint32_t)n != last - first + 1)
        return 0;
    int pn = 0; /* السعودية، تشيلي: a country spelled like its adjective is the country */
    if (match(&c, RC_PLACE, first, last + 1, &pn) && (uint32_t)pn == last - first + 1)
        return 0;
    buf_puts(out, "adj:");
    buf_append(out, L.pool + m->jur_off, m->jur_len);
    return out->oom ? 0 : 1;
}

/* ======================================================================
 * JSON
 * ==================================================================== */

static void role_members(const RoleList *l, const Role *r, const char *text, Buf *out)
{
    size_t n;
    const char *k = roles_key(l, r, 0, &n);
    buf_puts(out, "{\"text\":");
    buf_put_json_string(out, text + r->start, r->end - r->start);
    buf_puts(out, ",\"office\":");
    buf_put_json_string(out, k, n);
    buf_printf(out, ",\"start\":%u,\"end\":%u", r->start, r->end);
    if (r->noffices > 1) {
        buf_puts(out, ",\"also\":[");
        for (size_t i = 1; i < r->noffices; i++) {
            k = roles_key(l, r, i, &n);
            if (i > 1)
                buf_putc(out, ',');
            buf_put_json_string(out, k, n);
        }
        buf_putc(out, ']');
    }
    if (r->flags & ROLE_FORMER)
        buf_puts(out, ",\"former\":true");
    if (r->flags & ROLE_ELECT)
        buf_puts(out, ",\"elect\":true");
}

void roles_entity_json(const RoleList *l, const Role *r, const char *text, Buf *out)
{
    buf_puts(out, ",\"role\":");
    role_members(l, r, text, out);
    buf_putc(out, '}');
}

void roles_only_json(const RoleList *l, const char *text, Buf *out)
{
    buf_putc(out, '[');
    int any = 0;
    for (size_t i = 0; i < l->n; i++) {
        const Role *r = &l->items[i];
        if (r->kind != ROLE_ONLY)
            continue;
        if (any++)
            buf_putc(out, ',');
        role_members(l, r, text, out);
        if (r->entity >= 0)
            buf_printf(out, ",\"entity\":%d}", (int)r->entity);
        else
            buf_puts(out, ",\"entity\":null}");
    }
    buf_putc(out, ']');
}
