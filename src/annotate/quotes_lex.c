/*
 * quotes_lex.c — pass 1 of the quotation finder (quotes.c): the cue lexicon
 * (data/lexicon/quote-cues.txt, compiled in and loaded once into an open-
 * addressing table) and the classification of every token by it, as written
 * and with its clitics stripped.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

/* The lexicon compiled in from data/lexicon/quote-cues.txt (build/gen/quotes_lexicon.c). */
extern const unsigned char lex_quote_cues[];
extern const unsigned long lex_quote_cues_len;

static const struct { const char *name; uint16_t cat; } cat_names[] = {
    {"cue", C_CUE},         {"relay", C_RELAY}, {"comp", C_COMP},   {"prep", C_PREP},
    {"block", C_BLOCK},     {"role", C_ROLE},   {"inst", C_INST},   {"anon", C_ANON},
    {"channel", C_CHANNEL}, {"via", C_VIA},     {"venue", C_VENUE}, {"vprep", C_VPREP},
    {"adverb", C_ADV},      {"learn", C_LEARN}, {"given", C_GIVEN}};



static struct {
    QEntry *e;       /* entries, one per distinct key */
    size_t n, cap;
    Buf pool;        /* keys back to back */
    uint32_t *slots; /* open addressing: index+1 into e, 0 empty */
    size_t mask;     /* slots - 1 */
} qlex;
static int qlex_failed;
static pthread_once_t qlex_once = PTHREAD_ONCE_INIT;

QEntry *qlex_find(const char *k, size_t n)
{
    if (!qlex.slots)
        return NULL;
    for (size_t h = (size_t)rasd_hash(k, n) & qlex.mask;; h = (h + 1) & qlex.mask) {
        uint32_t s = qlex.slots[h];
        if (!s)
            return NULL;
        QEntry *x = &qlex.e[s - 1];
        if (x->len == n && memcmp(qlex.pool.data + x->off, k, n) == 0)
            return x;
    }
}

static int qlex_grow(void)
{
    size_t cap = qlex.mask ? (qlex.mask + 1) * 2 : 1024;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < qlex.n; i++) {
        size_t h = (size_t)rasd_hash(qlex.pool.data + qlex.e[i].off, qlex.e[i].len) & (cap - 1);
        while (slots[h])
            h = (h + 1) & (cap - 1);
        slots[h] = (uint32_t)i + 1;
    }
    free(qlex.slots);
    qlex.slots = slots;
    qlex.mask = cap - 1;
    return 0;
}

/* Adds one written form (n bytes) with its category and cue flags. */
static int qlex_add(const char *w, size_t n, uint16_t cat, uint8_t flags)
{
    char *k = NULL;
    size_t kl = 0;
    if (rasd_normalise(w, n, RASD_NORM_KEY, &k, &kl, NULL, NULL) != RASD_OK)
        return -1;
    int rc = 0;
    QEntry *x = kl ? qlex_find(k, kl) : NULL;
    if (!kl) {
        /* a form with no letters: nothing to match */
    } else if (x) {
        x->cats |= cat;
        x->flags |= flags;
    } else {
        if ((qlex.n + 1) * 2 > qlex.mask + 1 && qlex_grow() < 0) {
            rc = -1;
        } else if (qlex.n == qlex.cap) {
            size_t nc = qlex.cap ? qlex.cap * 2 : 512;
            QEntry *ne = realloc(qlex.e, nc * sizeof *ne);
            if (!ne)
                rc = -1;
            else {
                qlex.e = ne;
                qlex.cap = nc;
            }
        }
        if (rc == 0) {
            QEntry *ne = &qlex.e[qlex.n];
            ne->off = (uint32_t)qlex.pool.len;
            ne->len = (uint32_t)kl;
            ne->cats = cat;
            ne->flags = flags;
            buf_append(&qlex.pool, k, kl);
            if (qlex.pool.oom)
                rc = -1;
            else {
                size_t h = (size_t)rasd_hash(k, kl) & qlex.mask;
                while (qlex.slots[h])
                    h = (h + 1) & qlex.mask;
                qlex.slots[h] = (uint32_t)++qlex.n;
            }
        }
    }
    free(k);
    return rc;
}

/* One line: "CATEGORY [LEMMA]: FORM[/TAGS] ...". */
static int qlex_line(const char *s, size_t n)
{
    size_t p = 0;
    while (p < n && s[p] != ' ' && s[p] != ':')
        p++;
    uint16_t cat = 0;
    for (size_t c = 0; c < sizeof cat_names / sizeof cat_names[0]; c++)
        if (strlen(cat_names[c].name) == p && memcmp(cat_names[c].name, s, p) == 0)
            cat = cat_names[c].cat;
    const char *colon = memchr(s, ':', n);
    if (!cat || !colon)
        return 0; /* not an entry: a typo in the lexicon is skipped, not fatal */
    size_t i = (size_t)(colon - s) + 1;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        size_t b = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            i++;
        if (i == b)
            break;
        size_t wl = i - b;
        uint8_t flags = 0;
        const char *slash = memchr(s + b, '/', wl);
        const char *tags_end = s + i;
        if (slash)
            wl = (size_t)(slash - (s + b));
        else if (wl && s[b + wl - 1] == '*') {
            flags |= F_AMBIG;
            wl--;
        }
        for (const char *t = slash ? slash + 1 : tags_end; t < tags_end; t++) {
            switch (*t) {
            case 'f': flags |= cat == C_GIVEN ? F_NAME_FEM : F_FEM; break;
            case 'p': flags |= F_PLUR; break;
            case 'i': flags |= F_IMPF; break;
            case 'a': flags |= F_PART; break;
            case 'n': flags |= F_INTRO; break;
            case '*': flags |= F_AMBIG; break;
            }
        }
        if (wl && qlex_add(s + b, wl, cat, flags) < 0)
            return -1;
    }
    return 0;
}

static void qlex_build(void)
{
    const char *s = (const char *)lex_quote_cues;
    size_t n = lex_quote_cues_len, i = 0;
    if (qlex_grow() < 0) {
        qlex_failed = 1;
        return;
    }
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        if (e > i && s[i] != '#' && qlex_line(s + i, e - i) < 0) {
            qlex_failed = 1;
            return;
        }
        i = e + 1;
    }
    if (qlex.n == 0)
        qlex_failed = 1;
}


int given_gender(const QCtx *x, size_t i)
{
    if (!is_word(x, i))
        return G_ANY;
    const rasd_token *t = &x->tok[i];
    if (t->type != RASD_TOK_ARABIC || t->pre_len)
        return G_ANY;
    const QEntry *e = qlex_find(t->key, t->key_len);
    if (!e || !(e->cats & C_GIVEN))
        return G_ANY;
    /* (the stop word على is keyed as the name علي: written with ى it is
       the preposition) */
    if ((t->flags & RASD_TF_STOP) && t->end - t->start >= 2 &&
        memcmp(x->text + t->end - 2, "\xD9\x89", 2) == 0)
        return G_ANY;
    return (e->flags & F_NAME_FEM) ? G_F : G_M;
}

int name_gender(const QCtx *x, size_t a, size_t b)
{
    size_t i = a;
    while (i < b && i - a < 3 && is_word(x, i) && cat(x, i, C_ROLE) && given_gender(x, i) == G_ANY)
        i++;
    if (i + 1 >= b || !is_word(x, i + 1))
        return G_ANY; /* a given name alone may be an ordinary word (أمل، سيف) */
    return given_gender(x, i);
}

/* Is s (n bytes) an enclitic pronoun key: ه ها هم هما هن نا ني ي ك كم كما? */
int is_pronoun(const char *s, size_t n)
{
    static const char *const p[] = {"\xD9\x87", "\xD9\x87\xD8\xA7", "\xD9\x87\xD9\x85",
                                    "\xD9\x87\xD9\x85\xD8\xA7", "\xD9\x87\xD9\x86",
                                    "\xD9\x86\xD8\xA7", "\xD9\x86\xD9\x8A", "\xD9\x8A",
                                    "\xD9\x83", "\xD9\x83\xD9\x85", "\xD9\x83\xD9\x85\xD8\xA7"};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (strlen(p[i]) == n && memcmp(p[i], s, n) == 0)
            return 1;
    return 0;
}

/* Complementiser test on a whole key: [ب|ف|و] ان [pronoun]. Returns T_COMP, T_COMPF, T_COMPW or 0. */
static uint16_t comp_kind(const char *k, size_t n)
{
    uint16_t kind = T_COMP;
    if (n >= 2 && memcmp(k, AR_BA, 2) == 0) {
        k += 2;
        n -= 2;
    } else if (n >= 2 && memcmp(k, AR_FA, 2) == 0) {
        k += 2;
        n -= 2;
        kind = T_COMPF;
    } else if (n >= 2 && memcmp(k, AR_WAW, 2) == 0) {
        k += 2;
        n -= 2;
        kind = T_COMPW;
    }
    if (n < 4 || memcmp(k, AR_ALIF AR_NUN, 4) != 0)
        return 0;
    return n == 4 || is_pronoun(k + 4, n - 4) ? kind : 0;
}

static void lookup_into(TInfo *ti, const char *k, size_t n, int *cue_set)
{
    if (!n)
        return;
    const QEntry *x = qlex_find(k, n);
    if (!x)
        return;
    ti->cats |= x->cats & ~C_GIVEN; /* (a given name is no word class) */
    if ((x->cats & (C_CUE | C_RELAY | C_LEARN)) && !*cue_set) {
        ti->cue = x->flags & ~F_NAME_FEM;
        *cue_set = 1;
    }
}

void classify_token(const rasd_token *t, TInfo *ti)
{
    memset(ti, 0, sizeof *ti);
    if (t->type == RASD_TOK_PUNCT) {
        if (t->key_len == 1 && t->key[0] == '"')
            ti->bits |= T_QMARK;
        else if (keq(t, "\xD8\x8C") || keq(t, ","))
            ti->bits |= T_COMMA;
        else if (keq(t, ":"))
            ti->bits |= T_COLON;
        else if (keq(t, "\xD8\x9B") || keq(t, ";"))
            ti->bits |= T_SEMI;
        if (t->flags & RASD_TF_SENT_END)
            ti->bits |= T_SENT;
        return;
    }
    ti->bits |= T_WORD;
    const char *k = t->key;
    size_t n = t->key_len, p = t->pre_len, s = t->suf_len;
    if (p > n || s > n - p)
        p = s = 0; /* never trust lengths blindly */
    if (p >= 4 && memcmp(k + p - 4, AR_ALIF AR_LAM, 4) == 0)
        ti->bits |= T_DEF;
    if (p >= 4 && memcmp(k, AR_LAM AR_LAM, 4) == 0)
        ti->bits |= T_DEF; /* لل = ل + ال */
    if (p >= 2 && (memcmp(k, AR_WAW, 2) == 0 || memcmp(k, AR_FA, 2) == 0))
        ti->bits |= T_WAW;
    if ((p == 2 && memcmp(k, AR_LAM, 2) == 0) || keq(t, AR_LAM) ||
        (p == 4 && memcmp(k, AR_LAM AR_LAM, 4) == 0))
        ti->bits |= T_LPREP; /* ل، لـ، لوكالة، and لل = ل + ال (للصحفيين) */
    if (s)
        ti->bits |= T_PRON;
    ti->bits |= comp_kind(k, n);
    if (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN)
        return;
    int cue_set = 0;
    lookup_into(ti, k, n, &cue_set);
    int full_cue = cue_set;
    if (p || s)
        lookup_into(ti, k + p, n - p - s, &cue_set);
    if (p)
        lookup_into(ti, k + p, n - p, &cue_set);
    if (s)
        lookup_into(ti, k, n - s, &cue_set);
    /* the splitter leaves some clitics on (وبين، بقوله): strip one letter by
       hand when three or more letters remain */
    if (n >= 8 && (memcmp(k, AR_WAW, 2) == 0 || memcmp(k, AR_FA, 2) == 0 ||
                   memcmp(k, AR_BA, 2) == 0 || memcmp(k, AR_LAM, 2) == 0)) {
        uint16_t before = ti->cats;
        lookup_into(ti, k + 2, n - 2, &cue_set);
        if (ti->cats != before && (memcmp(k, AR_WAW, 2) == 0 || memcmp(k, AR_FA, 2) == 0))
            ti->bits |= T_WAW;
    }
    /* وقد، وهو، ولا: the conjunction on a function word starts a clause too */
    if (!(ti->bits & T_WAW) && n >= 6 && (memcmp(k, AR_WAW, 2) == 0 || memcmp(k, AR_FA, 2) == 0) &&
        lex_is_stop(k + 2, n - 2))
        ti->bits |= T_WAW;
    /* a complementiser only counts as one; a cue needs a verb form, and a
       verb takes no article (الكشف is a noun; بالقول is listed whole) */
    if ((ti->bits & (T_COMP | T_COMPF | T_COMPW)) || ((ti->bits & T_DEF) && !full_cue))
        ti->cats &= (uint16_t) ~(C_CUE | C_RELAY | C_LEARN);
    static const char *const rel[] = {
        AR_ALIF AR_LAM "\xD8\xB0\xD9\x8A", AR_ALIF AR_LAM "\xD8\xAA\xD9\x8A",
        AR_ALIF AR_LAM "\xD8\xB0\xD9\x8A\xD9\x86", AR_ALIF AR_LAM AR_LAM "\xD8\xB0\xD8\xA7\xD9\x86",
        AR_ALIF AR_LAM AR_LAM "\xD8\xAA\xD8\xA7\xD9\x86",
        AR_ALIF AR_LAM AR_LAM "\xD9\x88\xD8\xA7\xD8\xAA\xD9\x8A"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
        if (keq(t, rel[i]))
            ti->bits |= T_REL;
    /* في من على إلى عن مع أمام لدى عند حول خلال أثناء بعد قبل ضد نحو عقب إثر وسط تجاه */
    static const char *const preps[] = {
        "\xD9\x81\xD9\x8A", "\xD9\x85\xD9\x86", "\xD8\xB9\xD9\x84\xD9\x8A",
        AR_ALIF AR_LAM "\xD9\x8A", "\xD8\xB9\xD9\x86", "\xD9\x85\xD8\xB9",
        AR_ALIF "\xD9\x85\xD8\xA7\xD9\x85", AR_LAM "\xD8\xAF\xD9\x8A",
        "\xD8\xB9\xD9\x86\xD8\xAF", "\xD8\xAD\xD9\x88\xD9\x84",
        "\xD8\xAE\xD9\x84\xD8\xA7\xD9\x84", AR_ALIF "\xD8\xAB\xD9\x86\xD8\xA7\xD8\xA1",
        "\xD8\xA8\xD8\xB9\xD8\xAF", "\xD9\x82\xD8\xA8\xD9\x84", "\xD8\xB6\xD8\xAF",
        AR_NUN "\xD8\xAD\xD9\x88", "\xD8\xB9\xD9\x82\xD8\xA8", AR_ALIF "\xD8\xAB\xD8\xB1",
        "\xD9\x88\xD8\xB3\xD8\xB7", "\xD8\xAA\xD8\xAC\xD8\xA7\xD9\x87"};
    for (size_t i = 0; i < sizeof preps / sizeof preps[0]; i++) {
        size_t pl = strlen(preps[i]);
        if (keq(t, preps[i]))
            ti->bits |= T_PREPW; /* في، على */
        else if (n > pl && memcmp(k, preps[i], pl) == 0 && is_pronoun(k + pl, n - pl)) {
            ti->bits |= T_PREPW; /* فيه، عليها */
            ti->more |= M_PREPPRON;
        }
    }
    /* an imperfect verb (يقوم، تعمل); the list also holds words that are
       nouns and adjectives more often (أمني، تركي), so only forms with a
       verb's prefix and no article or nisba ending count */
    const char *r = k + p;
    size_t rn = n - p;
    if (!ti->cats && !(ti->bits & T_DEF) && rn >= 4 &&
        (memcmp(r, "\xD9\x8A", 2) == 0 || memcmp(r, "\xD8\xAA", 2) == 0 ||
         memcmp(r, AR_NUN, 2) == 0) &&
        memcmp(r + rn - 2, "\xD9\x8A", 2) != 0 && lex_is_verb(r, rn))
        ti->bits |= T_VERB;
}

/* Builds the lexicon once per process; 0 if it could not be built. */
int qlex_ready(void)
{
    pthread_once(&qlex_once, qlex_build);
    return !qlex_failed;
}
