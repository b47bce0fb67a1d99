/*
 * roles_lexicon.c — the role finder's vocabulary (data/lexicon/offices.txt,
 * compiled in) as a hash table of token forms, and the tests of a token
 * against it: its form without proclitics, its article, conjunction and
 * prepositions. Split out of roles.c; see there for the grammar.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "roles_impl.h"
#include "names.h"
#include "ner.h"

/* The lexicon compiled in from data/lexicon/offices.txt (build/gen/offices_lexicon.c). */
extern const unsigned char lex_offices[];
extern const unsigned long lex_offices_len;

static const char *const cat_names[RC_NCATS] = {"", "head", "pre", "dept", "polity", "body",
                                                "mod", "hon", "stop", "compat", "adj",
                                                "place"};

/* ======================================================================
 * Lexicon
 * ==================================================================== */

RolesLex roles_lex;
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

/* Makes room for item n of an array *p of *cap items of size bytes (first: the
   capacity to start with); 0, or -1 if memory ran out (*p is then unchanged). */
static int grow(void **p, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : first;
    void *np = realloc(*p, nc * size);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

static int pool_add(const char *s, size_t n, uint32_t *off)
{
    if (roles_lex.pool_len + n + 1 > roles_lex.pool_cap) {
        size_t nc = roles_lex.pool_cap ? roles_lex.pool_cap * 2 : 65536;
        while (nc < roles_lex.pool_len + n + 1)
            nc *= 2;
        char *np = realloc(roles_lex.pool, nc);
        if (!np)
            return -1;
        roles_lex.pool = np;
        roles_lex.pool_cap = nc;
    }
    *off = (uint32_t)roles_lex.pool_len;
    if (n)
        memcpy(roles_lex.pool + roles_lex.pool_len, s, n);
    roles_lex.pool_len += n;
    roles_lex.pool[roles_lex.pool_len++] = 0;
    return 0;
}

int roles_word_tok(const rasd_token *t)
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
        if (!roles_word_tok(t) && t->type != RASD_TOK_NUMBER)
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
    if (grow((void **)&roles_lex.e, &roles_lex.cap, roles_lex.n, sizeof *roles_lex.e, 1024) < 0)
        goto out;
    RLex *e = &roles_lex.e[roles_lex.n];
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
    roles_lex.n++;
    for (size_t i = 0; i <= f.len; i++) /* word prefixes of the form */
        if ((i == f.len || f.data[i] == ' ') && strset_add(&roles_lex.prefixes, f.data, i) < 0)
            goto out;
    if (cat == RC_HEAD || cat == RC_PRE) {
        const char *sp = memchr(f.data, ' ', f.len);
        if (strset_add(&roles_lex.starts, f.data, sp ? (size_t)(sp - f.data) : f.len) < 0)
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
    if (grow((void **)&roles_lex.compat, &roles_lex.cap_compat, roles_lex.ncompat,
             sizeof *roles_lex.compat, 16) < 0)
        goto out;
    CompatPair *p = &roles_lex.compat[roles_lex.ncompat];
    if (pool_add(fa.data, fa.len, &p->a_off) < 0 || pool_add(fb.data, fb.len, &p->b_off) < 0)
        goto out;
    p->a_len = (uint32_t)fa.len;
    p->b_len = (uint32_t)fb.len;
    roles_lex.ncompat++;
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
        roles_lex.failed = 1;
        return;
    }
    const char *s = (const char *)lex_offices;
    size_t n = lex_offices_len, i = 0;
    while (i < n && !roles_lex.failed) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        if (e > i && s[i] != '#' && parse_line(tx, s + i, e - i) < 0)
            roles_lex.failed = 1;
        i = e + 1;
    }
    rasd_text_free(tx);
    size_t cap = 1;
    while (cap < roles_lex.n * 2 + 2)
        cap *= 2;
    roles_lex.slots = roles_lex.failed ? NULL : calloc(cap, sizeof *roles_lex.slots);
    if (!roles_lex.slots) {
        roles_lex.failed = 1;
        return;
    }
    roles_lex.mask = cap - 1;
    /* distinct head and pre CANONs, for taking office keys apart */
    roles_lex.heads = malloc((roles_lex.n + 1) * sizeof *roles_lex.heads);
    roles_lex.head_flags = malloc((roles_lex.n + 1) * sizeof *roles_lex.head_flags);
    roles_lex.pres = malloc((roles_lex.n + 1) * sizeof *roles_lex.pres);
    if (!roles_lex.heads || !roles_lex.head_flags || !roles_lex.pres) {
        roles_lex.failed = 1;
        return;
    }
    for (size_t k = 0; k < roles_lex.n; k++) {
        const RLex *e = &roles_lex.e[k];
        if (e->cat != RC_HEAD && e->cat != RC_PRE)
            continue;
        uint32_t *list = e->cat == RC_HEAD ? roles_lex.heads : roles_lex.pres;
        size_t *nl = e->cat == RC_HEAD ? &roles_lex.nheads : &roles_lex.npres, u;
        for (u = 0; u < *nl; u++) {
            const RLex *o = &roles_lex.e[list[u]];
            if (o->canon_len == e->canon_len &&
                memcmp(roles_lex.pool + o->canon_off, roles_lex.pool + e->canon_off, e->canon_len) == 0)
                break;
        }
        if (u == *nl) {
            list[(*nl)++] = (uint32_t)k;
            if (e->cat == RC_HEAD)
                roles_lex.head_flags[u] = 0;
        }
        if (e->cat == RC_HEAD)
            roles_lex.head_flags[u] |= e->flags;
    }
    for (size_t k = 0; k < roles_lex.n; k++) { /* the first entry of a (cat, form) wins */
        const RLex *e = &roles_lex.e[k];
        size_t h = (size_t)slot_hash(e->cat, roles_lex.pool + e->off, e->len) & roles_lex.mask;
        int dup = 0;
        while (roles_lex.slots[h]) {
            const RLex *o = &roles_lex.e[roles_lex.slots[h] - 1];
            if (o->cat == e->cat && o->len == e->len &&
                memcmp(roles_lex.pool + o->off, roles_lex.pool + e->off, e->len) == 0)
                dup = 1;
            h = (h + 1) & roles_lex.mask;
        }
        if (!dup)
            roles_lex.slots[h] = (uint32_t)k + 1;
    }
}

int roles_lex_ready(void)
{
    pthread_once(&lex_once, lex_build);
    return !roles_lex.failed;
}

const RLex *roles_lex_get(int cat, const char *p, size_t n)
{
    size_t h = (size_t)slot_hash(cat, p, n) & roles_lex.mask;
    for (uint32_t s; (s = roles_lex.slots[h]) != 0; h = (h + 1) & roles_lex.mask) {
        const RLex *e = &roles_lex.e[s - 1];
        if (e->cat == cat && e->len == n && memcmp(roles_lex.pool + e->off, p, n) == 0)
            return e;
    }
    return NULL;
}

/* ======================================================================
 * Tokens
 * ==================================================================== */

/* The token's form: its key without proclitics. */
const char *roles_tform(const rasd_token *t, size_t *n)
{
    *n = t->key_len - t->pre_len;
    return t->key + t->pre_len;
}

int roles_form_is(const rasd_token *t, const char *w)
{
    size_t n;
    const char *f = roles_tform(t, &n);
    return n == strlen(w) && memcmp(f, w, n) == 0;
}

/* The proclitics carry the article: ال، وال، بال، لل (ل + ال). */
int roles_has_article(const rasd_token *t)
{
    if (t->pre_len < 4)
        return 0;
    const char *e = t->key + t->pre_len - 4;
    return memcmp(e, AR_ALEF_LAM, 4) == 0 || memcmp(e, AR_LAM_LAM, 4) == 0;
}

/* The proclitics start with the conjunction و or ف. */
int roles_has_conj(const rasd_token *t)
{
    return t->pre_len >= 2 && (unsigned char)t->key[0] == 0xD9 &&
           ((unsigned char)t->key[1] == 0x88 || (unsigned char)t->key[1] == 0x81);
}

/* The proclitics hold the preposition ل (ل، لل، ول، ولل). */
int roles_has_prep_l(const rasd_token *t)
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
int roles_has_prep_b(const rasd_token *t)
{
    return t->pre_len >= 2 && (unsigned char)t->key[0] == 0xD8 &&
           (unsigned char)t->key[1] == 0xA8 &&
           (t->pre_len == 2 || (t->pre_len == 6 && memcmp(t->key + 2, AR_ALEF_LAM, 4) == 0));
}

/* Proclitics other than the bare article: و، ب، ل، لل، وال ... */
int roles_has_other_clitic(const rasd_token *t)
{
    return t->pre_len > 0 && !(t->pre_len == 4 && memcmp(t->key, AR_ALEF_LAM, 4) == 0);
}

int roles_is_punct(const rasd_token *t, const char *p)
{
    return t->type == RASD_TOK_PUNCT && t->key_len == strlen(p) && memcmp(t->key, p, t->key_len) == 0;
}

int roles_is_comma(const rasd_token *t)
{
    return roles_is_punct(t, "\xD8\x8C") || roles_is_punct(t, ",");
}
