/*
 * quotes.c — quotations in Arabic news text: direct quotes, indirect
 * speech, their cues, speakers and channels (see quotes.h for the output).
 *
 * Main idea: reported speech in news copy follows a few fixed frames, so
 * this is a hand-written matcher over the text core's tokens, not a model:
 *
 *   CUE  [SPEAKER] [CHANNEL / VENUE]  CONTENT
 *   وقال  وزير الخارجية جون كيري  في مؤتمر صحفي  إن ...      (indirect)
 *   وأضاف                     لوكالة رويترز  : «...»         (direct)
 *   «...»، قال مسؤول أمريكي                                  (inverted)
 *   ونقلت وكالة تاس عن بيسكوف قوله: «...»                     (relayed)
 *   وبحسب المصدر، فإن ...                                    (attributed)
 *
 * Four passes and a last one over the quotes, each linear in the tokens:
 *   1. Every token is looked up once in the cue lexicon
 *      (data/lexicon/quote-cues.txt, compiled in) as written and with its
 *      clitics stripped (وقال → قال، والوزير → وزير), and tagged with its
 *      categories: cue (with gender, number and participle flags),
 *      complementiser, role, institution, anonymous source, channel ...
 *   2. Quote marks are paired with a stack of bounded depth. Whether a mark
 *      opens or closes comes from the spaces around it first and its glyph
 *      second, because real copy uses » as an opener, “ as a closer, and
 *      leaves quotes unclosed. An unclosed quote ends at the last sentence
 *      end before the next opener or the end of its paragraph; a quote may
 *      run on into the next paragraph (closed there), and a paragraph that
 *      reopens a quote left open continues it.
 *   3. Left to right, every cue looks at most QUOTE_WINDOW tokens ahead,
 *      inside its sentence, for its content: a complementiser (إن / أن /
 *      بأن, not after قبل / بعد / يجب ...), a colon, or a quote mark that
 *      opens speech rather than a name (صحيفة «الحياة» is a name: it is
 *      short, follows a channel word or ل, or is followed by the colon or
 *      complementiser). The words between cue and content hold the speaker
 *      (a named entity, else a noun phrase whose head says role,
 *      institution or anonymous source) and the channel phrases (ل + a
 *      channel word or an outlet, في مؤتمر صحفي، عبر البريد الإلكتروني).
 *      An indirect clause ends at its sentence end, or before a new cue
 *      (، مضيفا / وأضاف) or a trailing attribution (، بحسب ...).
 *   4. Speakers are named as the article best names them (the fullest
 *      mention of the same entity):
 *      - a role noun: the person the roles module (roles.h) attached it
 *        to or linked it with, else the nearest earlier person whose
 *        apposition holds that role (role_holder, role_resolve);
 *      - a title followed by words the tagger did not take for a name
 *        (خبير الطب النفسي نعيم العراقي، الشيخ تركي الشليل): those words,
 *        up to the content and ending at their ال-word (name_after_title);
 *      - a bare definite institution or source noun (الصحيفة، الشركة،
 *        المصادر): the phrase it last headed without ال (صحيفة «الغد»
 *        الأردنية، مصادر مطلعة) — a small table by head word filled as
 *        the scan passes — else the last speaker if that one was an
 *        institution called by a proper name (generic_antecedent);
 *      - a verb with no subject (وأضاف، وتابعت) or a participle (مشيرا،
 *        مؤكدة): the subject of the sentence's own verb when no one has
 *        spoken since (وألقى المدير سعد الحربي كلمة، أوضح فيها أن; read
 *        once per sentence, sentence_subject), else the latest speaker of
 *        the same gender and number;
 *      - frames with the speaker elsewhere: علمت «الوطن» من مصادر أن
 *        (after من), سبق لـX أن ذكر، «X» تكهنت، X الذي غادر ... أكد،
 *        دراسة صادرة عن X.
 *      - an honorific pronoun (وقال سموه، معاليه، فخامته): the latest person
 *        whose mention carries that title (صاحب السمو الأمير ...);
 *      - وكان X (قد) قال: X, tagged or not;
 *      - never the paper spoken to (لـ«عكاظ»، لـ(عكاظ)، وأبلغت (عكاظ) مصادر),
 *        a time word (يوم أمس), a name inside a place name (جامعة الملك
 *        عبدالعزيز) or a name after a topic phrase (وعن ...، وحول ...).
 *      A speaker phrase ends where Arabic grammar says a new phrase
 *      begins: an indefinite word after a definite one, a definite word
 *      after a sound plural, another word after a nisba adjective.
 *   5. Names as the article gives them (issue #15): a mention the tagger
 *      cut is widened (تركي + بن سعود، عبدالله بن + مساعد، a lone first name
 *      or a بن chain + the family name before the content); a و or ب left on
 *      a name is not shown; finally one key per speaker in an article: a
 *      one-word name at the cue takes the one fuller speaker it ends or
 *      begins (المالكي → نوري المالكي), unify_surnames.
 * Quote marks that open no speech (titles, names, slogans) make no quote
 * unless a cue frames them or they stand as a long sentence of their own
 * right after someone has spoken.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "quotes.h"
#include "names.h"
#include "ner.h"
#include "../text/text.h"

/* The lexicon compiled in from data/lexicon/quote-cues.txt (build/gen/quotes_lexicon.c). */
extern const unsigned char lex_quote_cues[];
extern const unsigned long lex_quote_cues_len;

#define QUOTE_WINDOW 40 /* tokens a cue looks ahead for its content */
#define NP_MAX 8        /* tokens in a speaker or channel phrase */
#define STACK_MAX 8     /* nested open quote marks */
#define CHAIN_MAX 16    /* paragraphs one continued quote may span */
#define EVENTS 16       /* recent speakers kept for implicit subjects */
#define ROLE_LOOKBACK 64/* person entities role_resolve looks back over */
#define HEADS 64        /* slots of the table of recent institution mentions */

/* ======================================================================
 * Lexicon
 * ==================================================================== */

enum {
    C_CUE = 1 << 0, C_RELAY = 1 << 1, C_COMP = 1 << 2, C_PREP = 1 << 3, C_BLOCK = 1 << 4,
    C_ROLE = 1 << 5, C_INST = 1 << 6, C_ANON = 1 << 7, C_CHANNEL = 1 << 8, C_VIA = 1 << 9,
    C_VENUE = 1 << 10, C_VPREP = 1 << 11, C_ADV = 1 << 12, C_LEARN = 1 << 13
};
static const struct { const char *name; uint16_t cat; } cat_names[] = {
    {"cue", C_CUE},         {"relay", C_RELAY}, {"comp", C_COMP},   {"prep", C_PREP},
    {"block", C_BLOCK},     {"role", C_ROLE},   {"inst", C_INST},   {"anon", C_ANON},
    {"channel", C_CHANNEL}, {"via", C_VIA},     {"venue", C_VENUE}, {"vprep", C_VPREP},
    {"adverb", C_ADV},      {"learn", C_LEARN}};

/* Cue form tags (the letters after "/" in the lexicon). */
enum { F_FEM = 1, F_PLUR = 2, F_IMPF = 4, F_PART = 8, F_INTRO = 16, F_AMBIG = 32 };

typedef struct QEntry {
    uint32_t off, len; /* key in qlex.pool, bytes */
    uint16_t cats;     /* C_* */
    uint8_t flags;     /* F_* of the cue form */
} QEntry;

static struct {
    QEntry *e;       /* entries, one per distinct key */
    size_t n, cap;
    Buf pool;        /* keys back to back */
    uint32_t *slots; /* open addressing: index+1 into e, 0 empty */
    size_t mask;     /* slots - 1 */
} qlex;
static int qlex_failed;
static pthread_once_t qlex_once = PTHREAD_ONCE_INIT;

static QEntry *qlex_find(const char *k, size_t n)
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
            case 'f': flags |= F_FEM; break;
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

/* ======================================================================
 * Token classes
 * ==================================================================== */

/* TInfo.bits */
enum {
    T_WORD = 1 << 0,    /* a word (Arabic, Latin, number ...) */
    T_QMARK = 1 << 1,   /* a double quote mark of any glyph: « » “ ” „ " */
    T_COMMA = 1 << 2,   /* ، , */
    T_COLON = 1 << 3,   /* : */
    T_SEMI = 1 << 4,    /* ؛ ; */
    T_DEF = 1 << 5,     /* carries the article ال */
    T_WAW = 1 << 6,     /* begins with the conjunction و or ف */
    T_COMP = 1 << 7,    /* إن / أن / بأن, with or without a pronoun ending */
    T_COMPF = 1 << 8,   /* فإن (after بحسب X) */
    T_COMPW = 1 << 9,   /* وأن / وإن: continues a clause, opens none */
    T_LPREP = 1 << 10,  /* the preposition ل (alone, لـ, or as the only proclitic) */
    T_PRON = 1 << 11,   /* carries an enclitic pronoun */
    T_SENT = 1 << 12,   /* . ! ? ؟ … */
    T_REL = 1 << 13,    /* الذي التي الذين اللذان اللتان اللواتي */
    T_VERB = 1 << 14,   /* an imperfect verb form (يقوم) */
    T_PREPW = 1 << 15   /* a bare preposition word: في من على إلى عن مع */
};

/* TInfo.more */
enum {
    M_PREPPRON = 1 << 0 /* a preposition carrying a pronoun: فيه، عليها (not في، على) */
};

typedef struct TInfo {
    uint16_t cats; /* C_* of the word */
    uint16_t bits; /* T_* */
    uint8_t cue;   /* F_* when cats has C_CUE or C_RELAY */
    uint8_t more;  /* M_* */
} TInfo;

#define AR_ALIF "\xD8\xA7"
#define AR_LAM "\xD9\x84"
#define AR_WAW "\xD9\x88"
#define AR_FA "\xD9\x81"
#define AR_BA "\xD8\xA8"
#define AR_NUN "\xD9\x86"

static int keq(const rasd_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->key_len == n && memcmp(t->key, s, n) == 0;
}

/* Is s (n bytes) an enclitic pronoun key: ه ها هم هما هن نا ني ي ك كم كما? */
static int is_pronoun(const char *s, size_t n)
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
    ti->cats |= x->cats;
    if ((x->cats & (C_CUE | C_RELAY | C_LEARN)) && !*cue_set) {
        ti->cue = x->flags;
        *cue_set = 1;
    }
}

static void classify_token(const rasd_token *t, TInfo *ti)
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

/* ======================================================================
 * The per-document context
 * ==================================================================== */

/* Quote mark states (QCtx.qst). */
enum {
    Q_OPEN = 1,   /* opens a quote; qend holds where its words end */
    Q_CLOSED = 2, /* ... and a closing mark was found at qend */
    Q_CLOSER = 4, /* closes a quote */
    Q_USED = 8    /* already part of an emitted quote */
};

/* Grammatical gender and number of a cue, hence of its speaker. */
enum { G_ANY = 0, G_M, G_F, G_P };

typedef struct Spk {
    uint8_t kind;             /* QS_* */
    uint8_t gender;           /* G_* of the cue that named the speaker */
    uint8_t resolved;         /* role or implicit speaker resolved to an entity */
    int32_t ent;              /* entity index (EntityList) of the speaker, or -1 */
    uint32_t sa, sb;          /* tokens [sa,sb) naming the speaker at the cue; sa == sb if none */
    uint32_t ns, ne;          /* bytes of the speaker's best name; ns == ne if unknown */
    uint32_t key_off, key_len;/* key in QuoteList.keys, key_len 0 if none */
} Spk;

typedef struct Event {
    Spk s;        /* who spoke */
    uint32_t tok; /* the cue token */
    uint32_t end; /* the token after the quote (or the cue when nothing was quoted) */
} Event;

typedef struct QCtx {
    const rasd_doc *d;
    const char *text;        /* rasd_doc_text */
    const rasd_token *tok;   /* tokens */
    size_t n;                /* tokens */
    const EntityList *ents;  /* may be NULL */
    TInfo *ti;               /* per token */
    int32_t *ent_of;         /* per token: entity covering it, or -1 */
    uint32_t *ent_first;     /* per entity: first token */
    uint32_t *ent_last;      /* per entity: last token */
    int32_t *best;           /* per entity: the fullest mention with the same key */
    int32_t *role_of;        /* per token: the role phrase (EntityList.roles) covering it, or -1 */
    uint8_t *qst;            /* per token: Q_* */
    int32_t *qend;           /* per opener: token after its words (the closer when closed) */
    int32_t *chain;          /* per opener: the opener that continues it next paragraph, or -1 */
    uint32_t *sb;            /* per token: first token of its sentence */
    Event ev[EVENTS];        /* ring of recent speakers */
    size_t nev;              /* events recorded in all (ev[nev % EVENTS] is next) */
    int32_t last_pers;       /* latest person entity passed by the scan, or -1 */
    int32_t last_subj;       /* latest person opening a sentence (its subject), or -1 */
    uint32_t last_subj_tok;  /* where that person starts */
    Spk subj;                /* the subject of the sentence the scan is in, if subj_ok */
    uint8_t subj_ok;         /* subj holds a subject of the sentence starting at subj_sb */
    uint8_t subj_g;          /* G_F when its verb or head is marked feminine (اعتمدت اللجنة),
                                G_M when neither is and the subject is a person, else G_ANY */
    uint32_t subj_sb;        /* first token of that sentence */
    uint32_t subj_tok;       /* first token of its subject */
    uint8_t loose_names;     /* reading a sentence's subject: a name after a title may be
                                followed by the verb's object, not only by the content */
    uint32_t heads[HEADS];   /* 1 + the latest token heading an indefinite institution or
                                source phrase (صحيفة ديلي ميل، مصادر مطلعة), by hash of its
                                bare key; 0 empty. A collision forgets the older one. */
    uint32_t last_qend;      /* token after the latest emitted quote */
    uint32_t pv_a, pv_b;     /* a sentence-level channel (وبحسب رويترز، ...) waiting for its quote */
    uint32_t pv_sent;        /* sentence start it belongs to */
    QuoteList *out;
} QCtx;

static int is_word(const QCtx *x, size_t i) { return i < x->n && (x->ti[i].bits & T_WORD); }
static int has(const QCtx *x, size_t i, uint16_t bits) { return i < x->n && (x->ti[i].bits & bits); }
static int cat(const QCtx *x, size_t i, uint16_t cats) { return i < x->n && (x->ti[i].cats & cats); }
static int is_opener(const QCtx *x, size_t i) { return i < x->n && (x->qst[i] & Q_OPEN); }
static int newline_before(const QCtx *x, size_t i)
{
    return i < x->n && (x->tok[i].flags & (RASD_TF_NEWLINE | RASD_TF_PARAGRAPH));
}
/* Does a sentence boundary fall between tokens i-1 and i? */
static int breaks_before(const QCtx *x, size_t i)
{
    return i == 0 || i >= x->n || newline_before(x, i) || has(x, i - 1, T_SENT);
}
/* A cue that can head a reported clause here (ambiguous ones need their frame). */
static int is_cue(const QCtx *x, size_t i) { return cat(x, i, C_CUE | C_RELAY | C_LEARN); }
static int is_strong_cue(const QCtx *x, size_t i)
{
    return is_cue(x, i) && !(x->ti[i].cue & F_AMBIG);
}
/* Token after the words of the quote opened at o, and after its closing mark. */
static size_t quote_after(const QCtx *x, size_t o)
{
    size_t e = (size_t)x->qend[o];
    return (x->qst[o] & Q_CLOSED) ? e + 1 : e;
}

/* ======================================================================
 * Pass 2: quote marks
 * ==================================================================== */

typedef struct Open {
    uint32_t tok;     /* the opening mark */
    uint8_t straight; /* written " (no direction of its own) */
    uint8_t nl;       /* line breaks crossed while open */
    uint32_t end1;    /* where its words end if it turns out unclosed at the first line break */
} Open;

static int is_straight(const QCtx *x, size_t i) { return x->text[x->tok[i].start] == '"'; }

/* 1 if the mark at i opens a quote, 0 if it closes one. */
static int mark_opens(const QCtx *x, size_t i, int top_straight_open)
{
    const rasd_token *t = x->tok;
    int prev_att = i > 0 && t[i - 1].end == t[i].start;
    int next_att = i + 1 < x->n && t[i + 1].start == t[i].end;
    int prev_word = prev_att && (is_word(x, i - 1) || has(x, i - 1, T_SENT | T_COMMA) ||
                                 keq(&t[i - 1], ")") || keq(&t[i - 1], "]"));
    int next_word = next_att && (is_word(x, i + 1) || has(x, i + 1, T_QMARK) ||
                                 keq(&t[i + 1], "("));
    if (next_word && !prev_word)
        return 1;
    if (prev_word && !next_word)
        return 0;
    if (i > 0 && has(x, i - 1, T_COLON) && !top_straight_open)
        return 1; /* وقال :” إنه ...: after a colon a mark opens, whatever its glyph */
    if (t[i].flags & RASD_TF_QUOTE_OPEN)
        return 1;
    if (t[i].flags & RASD_TF_QUOTE_CLOSE)
        return 0;
    return !top_straight_open;
}

static void finish_open(QCtx *x, const Open *o, uint32_t end)
{
    x->qst[o->tok] |= Q_OPEN;
    x->qend[o->tok] = (int32_t)(end > o->tok + 1 ? end : o->tok + 1);
}

static void pair_quotes(QCtx *x)
{
    Open st[STACK_MAX];
    size_t depth = 0;
    int64_t last_sent = -1; /* the latest sentence-final mark */
    for (size_t i = 0; i < x->n; i++) {
        x->out->work++;
        if (depth && i > 0 && newline_before(x, i)) {
            for (size_t s = 0; s < depth; s++)
                if (++st[s].nl == 1)
                    st[s].end1 = last_sent > (int64_t)st[s].tok ? (uint32_t)last_sent + 1
                                                                : (uint32_t)i;
            /* a quote still open at its second line break was never closed */
            size_t keep = 0;
            for (size_t s = 0; s < depth; s++) {
                if (st[s].nl >= 2)
                    finish_open(x, &st[s], st[s].end1);
                else
                    st[keep++] = st[s];
            }
            depth = keep;
            /* a paragraph that reopens a quote left open continues it */
            if (depth && has(x, i, T_QMARK) &&
                mark_opens(x, i, st[depth - 1].straight)) {
                Open *top = &st[--depth];
                finish_open(x, top, top->end1);
                x->chain[top->tok] = (int32_t)i;
            }
        }
        if (has(x, i, T_SENT))
            last_sent = (int64_t)i;
        if (!has(x, i, T_QMARK))
            continue;
        int top_straight = depth && st[depth - 1].straight;
        if (mark_opens(x, i, top_straight)) {
            if (depth && top_straight && is_straight(x, i)) {
                /* straight quotes do not nest: the open one was left unclosed */
                Open *top = &st[--depth];
                finish_open(x, top, last_sent > (int64_t)top->tok ? (uint32_t)last_sent + 1
                                                                 : (uint32_t)i);
            }
            if (depth == STACK_MAX) {
                finish_open(x, &st[0], (uint32_t)i);
                memmove(st, st + 1, (STACK_MAX - 1) * sizeof st[0]);
                depth--;
            }
            st[depth++] = (Open){(uint32_t)i, (uint8_t)is_straight(x, i), 0, 0};
        } else if (depth) {
            Open *top = &st[--depth];
            x->qst[top->tok] |= Q_OPEN | Q_CLOSED;
            x->qend[top->tok] = (int32_t)i;
            x->qst[i] |= Q_CLOSER;
        }
    }
    while (depth) {
        Open *o = &st[--depth];
        finish_open(x, o, o->nl ? o->end1
                                : last_sent > (int64_t)o->tok ? (uint32_t)last_sent + 1
                                                              : (uint32_t)x->n);
    }
}

/* ======================================================================
 * Speakers
 * ==================================================================== */

/* Appends the key of entity e (or of tokens [a,b), first proclitics off) to out->keys. */
static void spk_key(QCtx *x, Spk *s, size_t a, size_t b)
{
    Buf *k = &x->out->keys;
    s->key_off = (uint32_t)k->len;
    s->key_len = 0;
    if (s->ent >= 0 && x->ents) {
        const Entity *e = &x->ents->items[s->ent];
        if (e->key_len && x->ents->keys.data)
            buf_append(k, x->ents->keys.data + e->key_off, e->key_len);
    } else if (a < b) {
        Buf w = {0};
        for (size_t i = a; i < b; i++) {
            const rasd_token *t = &x->tok[i];
            if (!(x->ti[i].bits & T_WORD))
                continue;
            size_t skip = i == a && t->pre_len <= t->key_len ? t->pre_len : 0;
            if (w.len)
                buf_putc(&w, ' ');
            buf_append(&w, t->key + skip, t->key_len - skip);
        }
        if (w.len)
            names_key(w.data, w.len, k);
        buf_free(&w);
    }
    s->key_len = (uint32_t)(k->len - s->key_off);
}

/* Where the words of a description starting at token i begin: after a ل
   written on its first word (لوسائل إعلام → وسائل إعلام). Not for names of
   people: لطيفة is a name, not ل + طيفة. */
static uint32_t name_start(const QCtx *x, size_t i, int kind)
{
    const rasd_token *t = &x->tok[i];
    if (kind != QS_PERSON && t->pre_len == 2 && t->end - t->start > 4 &&
        memcmp(t->key, AR_LAM, 2) == 0 && memcmp(x->text + t->start, t->key, 2) == 0)
        return t->start + 2;
    /* بجامعة نجران → جامعة نجران: a ب the lexicon needed stripping to know
       the word (but بنك is a word of its own) */
    if (kind != QS_PERSON && (t->pre_len == 2 || t->pre_len == 0) && t->end - t->start > 6 &&
        t->key_len > 6 && memcmp(t->key, AR_BA, 2) == 0 &&
        memcmp(x->text + t->start, t->key, 2) == 0 &&
        cat(x, i, C_INST | C_CHANNEL | C_ANON | C_ROLE) && !qlex_find(t->key, t->key_len) &&
        (t->pre_len == 2 || qlex_find(t->key + 2, t->key_len - 2)))
        return t->start + 2;
    return t->start;
}

/* Where a name written at token i begins once a conjunction the tagger
   left on it is dropped (وأسامة النجيفي → أسامة النجيفي): و before a
   hamza-carrying alif or before ال; names that begin with و (وليد، وائل)
   go on with another letter. */
static uint32_t name_start_conj(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    const char *w = x->text + t->start;
    size_t n = t->end - t->start;
    if (n > 6 && memcmp(w, "و", 2) == 0 &&
        (memcmp(w + 2, "أ", 2) == 0 || memcmp(w + 2, "إ", 2) == 0 || memcmp(w + 2, "آ", 2) == 0 ||
         memcmp(w + 2, "ال", 4) == 0))
        return t->start + 2;
    return t->start;
}

static int name_widen(QCtx *x, int32_t e, size_t *a, size_t *b);
static int entity_kind(const QCtx *x, int32_t e);
static void spk_from_name(QCtx *x, Spk *s, size_t a, size_t b, int gender);

/* Fills the best name of s: the fullest mention of its entity (widened
   where the tagger cut it, name_widen, and then keyed by those words),
   else its words. */
static void spk_name(QCtx *x, Spk *s)
{
    if (s->ent >= 0 && x->ents) {
        int32_t b = x->best[s->ent];
        const Entity *e = &x->ents->items[b];
        s->ns = name_start_conj(x, x->ent_first[b]) > e->start &&
                        name_start_conj(x, x->ent_first[b]) < e->end
                    ? name_start_conj(x, x->ent_first[b])
                    : e->start;
        s->ne = e->end;
        if (e->type != NER_PERS && name_start(x, x->ent_first[b], QS_INSTITUTION) > e->start &&
            name_start(x, x->ent_first[b], QS_INSTITUTION) < e->end)
            s->ns = name_start(x, x->ent_first[b], QS_INSTITUTION); /* بجامعة نجران */
        size_t wa, wb;
        if (e->type == NER_PERS && name_widen(x, b, &wa, &wb)) {
            int32_t ent = s->ent;
            s->ent = -1;
            spk_key(x, s, wa, wb); /* appended: the entity's key stays unused */
            s->ent = ent;
            s->ns = name_start_conj(x, wa);
            s->ne = x->tok[wb - 1].end;
        }
    } else if (s->sa < s->sb) {
        s->ns = name_start(x, s->sa, s->kind);
        if (s->ns == x->tok[s->sa].start)
            s->ns = name_start_conj(x, s->sa);
        s->ne = x->tok[s->sb - 1].end;
    } else {
        s->ns = s->ne = 0;
    }
}

/* The key of token i without clitics and without a final ة (وزيرة ~ وزير). */
static size_t bare(const QCtx *x, size_t i, const char **out)
{
    const rasd_token *t = &x->tok[i];
    size_t p = t->pre_len, s = t->suf_len, n = t->key_len;
    if (p > n || s > n - p)
        p = s = 0;
    *out = t->key + p;
    n = n - p - s;
    if (n >= 4 && t->end - t->start >= 2 &&
        memcmp(x->text + t->end - 2, "\xD8\xA9", 2) == 0) /* ends in ة */
        n -= 2;
    return n;
}

static int bare_eq(const QCtx *x, size_t i, size_t j)
{
    const char *a, *b;
    size_t na = bare(x, i, &a), nb = bare(x, j, &b);
    return na && na == nb && memcmp(a, b, na) == 0;
}

/* Is the bare key of token i (bare: clitics and a final ة off) one of w[0..n)? */
static int bare_in(const QCtx *x, size_t i, const char *const *w, size_t n)
{
    const char *b;
    size_t bn = bare(x, i, &b);
    for (size_t j = 0; j < n; j++)
        if (strlen(w[j]) == bn && memcmp(w[j], b, bn) == 0)
            return 1;
    return 0;
}

/* A word of time (يوم، أمس، الخميس، صباح): never part of a speaker's name
   (وقال رئيس الوزراء يوم أمس إن). */
static int time_word(const QCtx *x, size_t i)
{
    static const char *const w[] = {"يوم", "ايام", "امس", "غدا", "صباح", "مساء", "ظهر", "عصر",
                                    "ليل", "ليله", "احد", "اثنين", "ثلاثاء", "اربعاء", "خميس",
                                    "جمع", "جمعه", "سبت", "اسبوع", "شهر", "عام", "سنه", "وقت",
                                    "حين", "امسيه", "ثلاثا", "اربعا"};
    return is_word(x, i) && bare_in(x, i, w, sizeof w / sizeof w[0]);
}

/*
 * Honorific pronouns: وقال سموه، وأكد معاليه، وأوضح فخامته stand for the
 * person the article gave that title (صاحب السمو الملكي الأمير ...، معالي
 * الوزير ...، فخامة الرئيس ...), not for whoever was named last (the King
 * named after the Crown Prince chairing the cabinet is not سموه).
 * honorifics[k]: the pronoun forms (folded keys), then the bare title words.
 */
static const struct {
    const char *pron[3];
    const char *title[4];
} honorifics[] = {
    {{"سموه", "سموها", NULL}, {"سمو", "امير", "صاحب", NULL}},
    {{"معاليه", "معاليها", NULL}, {"معالي", "وزير", NULL, NULL}},
    {{"فخامته", NULL, NULL}, {"فخام", "رئيس", "رييس", NULL}},
    {{"سماحته", NULL, NULL}, {"سماح", "شيخ", "مفتي", NULL}},
    {{"دولته", NULL, NULL}, {"دول", NULL, NULL, NULL}},
    {{"سعادته", "سعادتها", NULL}, {"سعاد", NULL, NULL, NULL}},
    {{"جلالته", NULL, NULL}, {"جلال", "ملك", NULL, NULL}}};

/* Which honorific pronoun token i is: 1 + its index in honorifics, or 0. */
static int honorific_pronoun(const QCtx *x, size_t i)
{
    if (!is_word(x, i))
        return 0;
    const rasd_token *t = &x->tok[i];
    size_t p = t->pre_len <= t->key_len ? t->pre_len : 0;
    for (size_t k = 0; k < sizeof honorifics / sizeof honorifics[0]; k++)
        for (size_t j = 0; j < 3 && honorifics[k].pron[j]; j++) {
            size_t n = strlen(honorifics[k].pron[j]);
            if ((t->key_len == n && memcmp(t->key, honorifics[k].pron[j], n) == 0) ||
                (t->key_len - p == n && memcmp(t->key + p, honorifics[k].pron[j], n) == 0))
                return (int)k + 1;
        }
    return 0;
}

/* The latest person before token at whose mention follows, within 8 words
   of its sentence, a title of honorific class h (1-based); -1 if none. */
static int32_t honorific_holder(QCtx *x, int h, size_t at)
{
    if (!x->ents || h <= 0)
        return -1;
    const char *const *tw = honorifics[h - 1].title;
    size_t nt = 0;
    while (nt < 4 && tw[nt])
        nt++;
    size_t seen = 0;
    for (int32_t e = x->last_pers; e >= 0 && seen < ROLE_LOOKBACK; e--, seen++) {
        x->out->work++;
        if (x->ents->items[e].type != NER_PERS || x->ent_first[e] >= at)
            continue;
        size_t f = x->ent_first[e];
        for (size_t j = f, steps = 0; j > 0 && steps < 8; steps++) {
            j--;
            x->out->work++;
            if (has(x, j, T_SENT) || breaks_before(x, j + 1))
                break;
            if (x->ent_of[j] >= 0 && x->ents->items[x->ent_of[j]].type == NER_PERS)
                break; /* another person's name: its titles are not this one's */
            if (is_word(x, j) && bare_in(x, j, tw, nt))
                return e;
        }
    }
    return -1;
}

/* Is person entity e part of a place or institution name: جامعة الملك
   عبدالعزيز، مدينة الأمير سلطان (a bare noun, then الملك / الأمير, then
   the name)? */
static int named_after(const QCtx *x, int32_t e)
{
    static const char *const t[] = {"ملك", "امير", "شيخ", "امام", "خادم"};
    size_t f = x->ent_first[e];
    if (f < 2 || !is_word(x, f - 1) || !is_word(x, f - 2) || !bare_in(x, f - 1, t, 5) ||
        !has(x, f - 1, T_DEF))
        return 0;
    /* the nouns such names are given to (bare keys: no ال, no final ة) */
    static const char *const place[] = {"جامع", "مدين", "مستشفي", "مركز", "مطار", "شارع", "طريق",
                                        "كلي", "مجمع", "قاعد", "ميناء", "جسر", "حي", "معهد",
                                        "مؤسس", "جائز", "جايز", "برنامج", "مكتب", "ملعب", "استاد",
                                        "صندوق", "كرسي", "دار", "مشروع", "قصر", "مسجد", "مدرس",
                                        "قاع", "واح", "منح"};
    return !has(x, f - 2, T_DEF) && bare_in(x, f - 2, place, sizeof place / sizeof place[0]);
}

/* Is token i the auxiliary كان (وكان، فكان، كانت)? */
static int is_kana(const QCtx *x, size_t i)
{
    static const char *const w[] = {"كان", "كانت"};
    return is_word(x, i) && bare_in(x, i, w, 2);
}

static int ends_ta_marbuta(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    return t->end - t->start >= 2 && memcmp(x->text + t->end - 2, "\xD8\xA9", 2) == 0;
}

/* Tokens within 10 before entity e (Gulf copy stacks long titles before a
   name) and 4 after it, not across a sentence end or line break. */
static void appos_window(const QCtx *x, int32_t e, size_t *a0, size_t *a1, size_t *b0, size_t *b1)
{
    size_t f = x->ent_first[e], l = x->ent_last[e];
    size_t a = f;
    while (a > 0 && f - a < 10 && !newline_before(x, a) && !has(x, a - 1, T_SENT))
        a--;
    size_t b = l + 1;
    while (b < x->n && b - l <= 4 && !newline_before(x, b) && !has(x, b, T_SENT))
        b++;
    *a0 = a;
    *a1 = f;
    *b0 = l + 1;
    *b1 = b;
}

/*
 * The person a role noun (الوزير، الناطقة، السفيرة) stands for: the nearest
 * earlier person entity whose apposition (appos_window) holds the
 * role's word — preferring the one that also holds the words that follow it
 * (وزير الخارجية) — else, for a feminine role, the nearest earlier person
 * the text has marked feminine (a feminine title beside the name, or a
 * feminine cue verb). -1 when none: the role stays the speaker.
 * The fallback of role_holder when the roles module links nothing.
 */
static size_t via_phrase(QCtx *x, size_t k, size_t limit);
static int nationality_adj(const QCtx *x, size_t i);
static int nisba_ending(const QCtx *x, size_t i);

static int32_t role_resolve(QCtx *x, size_t head, size_t np_end)
{
    if (!x->ents || x->ents->n == 0)
        return -1;
    int32_t best = -1;
    int best_score = 0;
    size_t seen = 0;
    int fem = ends_ta_marbuta(x, head);
    int32_t fem_pick = -1;
    /* the entities are in text order: start from the last one before head */
    size_t lo = 0, hi = x->ents->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->ent_first[mid] < head)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t e = lo, steps = 0; e-- > 0 && seen < ROLE_LOOKBACK && steps < 4 * ROLE_LOOKBACK;
         steps++) {
        x->out->work++;
        if (x->ents->items[e].type != NER_PERS)
            continue;
        seen++;
        size_t a0, a1, b0, b1;
        appos_window(x, (int32_t)e, &a0, &a1, &b0, &b1);
        int score = 0, fem_title = 0;
        for (int side = 0; side < 2; side++) {
            size_t from = side ? b0 : a0, to = side ? b1 : a1;
            for (size_t j = from; j < to; j++) {
                if (j == head)
                    continue;
                /* not a deputy's title (نائب الرئيس is no رئيس), nor one
                   with another complement (رئيس الجمهورية for رئيس الوزراء) */
                static const char *const deputy[] = {"نائب", "نايب", "مساعد", "وكيل"};
                if (bare_eq(x, j, head) &&
                    !(j > from && is_word(x, j - 1) && bare_in(x, j - 1, deputy, 4)) &&
                    !(head + 1 < np_end && j + 1 < to && is_word(x, j + 1) && has(x, j + 1, T_DEF) &&
                      has(x, head + 1, T_DEF) && !bare_eq(x, j + 1, head + 1) &&
                      !nisba_ending(x, j + 1) && !nisba_ending(x, head + 1))) {
                    score = score ? score : 1;
                    /* the role's next words next to it too: وزير الخارجية */
                    for (size_t k = 1; head + k < np_end && j + k < to && k < 3; k++)
                        if (bare_eq(x, j + k, head + k))
                            score++;
                }
                if (cat(x, j, C_ROLE) && ends_ta_marbuta(x, j))
                    fem_title = 1;
            }
        }
        if (score > best_score) {
            best_score = score;
            best = (int32_t)e;
        }
        if (fem && fem_pick < 0) {
            int fem_cue = 0;
            for (size_t k = 0; k < EVENTS && k < x->nev; k++) {
                const Event *ev = &x->ev[(x->nev - 1 - k) % EVENTS];
                if (ev->s.gender == G_F && ev->s.ent >= 0 && x->ents->items[ev->s.ent].key_len &&
                    ev->s.ent == (int32_t)e)
                    fem_cue = 1;
            }
            if (fem_title || fem_cue)
                fem_pick = (int32_t)e;
        }
    }
    return best >= 0 ? best : fem_pick;
}

/*
 * The person the role phrase [h,e) stands for: the one the roles module
 * (roles.h) attached it to — a name in apposition (رئيس الحكومة، أحمد
 * داود أوغلو،) or, for a role-only mention, the one holder of a compatible
 * office in the article — else role_resolve's guess from the words around
 * earlier names, which also finds holders the roles module could not
 * attach (a title and a name with "د." or a tatweel between them).
 */
static int32_t role_holder(QCtx *x, size_t h, size_t e)
{
    const RoleList *rl = x->ents ? &x->ents->roles : NULL;
    for (size_t k = h; rl && k < e && k < x->n; k++) {
        int32_t r = x->role_of[k];
        if (r < 0)
            continue;
        const Role *ro = &rl->items[r];
        if (ro->entity >= 0 && (size_t)ro->entity < x->ents->n &&
            x->ents->items[ro->entity].type == NER_PERS)
            return ro->entity;
        break;
    }
    return role_resolve(x, h, e);
}

static void push_event(QCtx *x, const Spk *s, size_t cue, size_t end)
{
    if (s->kind == QS_UNKNOWN)
        return;
    Event *e = &x->ev[x->nev % EVENTS];
    e->s = *s;
    e->tok = (uint32_t)cue;
    e->end = (uint32_t)end;
    x->nev++;
}

/* The latest speaker of gender g (G_ANY: any), newest first; NULL if none. */
static const Event *recent(const QCtx *x, int g, size_t min_tok)
{
    for (size_t k = 0; k < EVENTS && k < x->nev; k++) {
        const Event *e = &x->ev[(x->nev - 1 - k) % EVENTS];
        if (e->tok < min_tok)
            break;
        if (g == G_ANY || e->s.gender == G_ANY || e->s.gender == g)
            return e;
    }
    return NULL;
}

static int name_word(const QCtx *x, size_t i, int first);

/* Can token i be a first name the tagger left out before "بن" (تركي بن
   سعود): a bare Arabic word with no article, clitic or listed sense? */
static int first_name_before(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    return is_word(x, i) && t->type == RASD_TOK_ARABIC && t->pre_len == 0 &&
           !has(x, i, T_DEF | T_PRON | T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL | T_VERB) &&
           !x->ti[i].cats && !(t->flags & RASD_TF_STOP) && !time_word(x, i) &&
           !is_cue(x, i) && !breaks_before(x, i + 1);
}

/* Does the name end before token j: the content, a comma, a channel or a
   title in apposition follows (سلمان الصوينع أن، سعد العفالق؛ نائب)? */
static int name_ends_before(QCtx *x, size_t j)
{
    return j >= x->n || !is_word(x, j) || has(x, j, T_COMP | T_COMPF) || is_cue(x, j) ||
           cat(x, j, C_ADV | C_VENUE) || via_phrase(x, j, x->n < j + 8 ? x->n : j + 8) > j ||
           (has(x, j, T_PREPW) && !keq(&x->tok[j], "بن"));
}

/*
 * The tagger sometimes cuts a name: بن سعود for تركي بن سعود, عبدالله بن
 * for عبدالله بن مساعد, a first name alone for عبدالرحمن المحنا أن. The
 * mention [f,l) of entity e is widened by one first name before بن, the
 * word after a final بن / ابن / أبو / عبد, and, for a lone first name, one
 * family name with ال right before the content. Returns the new bounds
 * in *a,*b and 1 when they differ.
 */
static int name_widen(QCtx *x, int32_t e, size_t *a, size_t *b)
{
    static const char *const link[] = {"بن", "ابن", "بنت", "ابو", "عبد", "ال"};
    size_t f = x->ent_first[e], l = x->ent_last[e] + 1;
    size_t na = f, nb = l;
    /* (a first name that is also a nisba, تركي، may be tagged as one) */
    if (na > 0 && keq(&x->tok[na], "بن") && x->sb[na] < na &&
        (x->ent_of[na - 1] < 0 ? first_name_before(x, na - 1)
                               : x->ents->items[x->ent_of[na - 1]].type == NER_MISC &&
                                     x->ent_first[x->ent_of[na - 1]] == na - 1 &&
                                     x->ent_last[x->ent_of[na - 1]] == na - 1 &&
                                     x->tok[na - 1].pre_len == 0 && !has(x, na - 1, T_DEF)))
        na--;
    for (int steps = 0; steps < 2 && nb < x->n; steps++) {
        /* after بن any plain word is a name (بن مساعد: not the title مساعد) */
        if (bare_in(x, nb - 1, link, sizeof link / sizeof link[0]) && is_word(x, nb) &&
            !breaks_before(x, nb) && x->ent_of[nb] < 0 && x->tok[nb].type == RASD_TOK_ARABIC &&
            (x->tok[nb].pre_len == 0 || has(x, nb, T_DEF)) && !time_word(x, nb) &&
            !has(x, nb, T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL | T_PRON | T_WAW) &&
            !is_cue(x, nb)) {
            nb++;
            continue;
        }
        break;
    }
    if (nb - na == 1 && nb < x->n && is_word(x, nb) && has(x, nb, T_DEF) && x->ent_of[nb] < 0 &&
        !ends_ta_marbuta(x, nb) && !named_after(x, e) &&
        !breaks_before(x, nb) && name_word(x, nb, 0) && !nationality_adj(x, nb) &&
        x->tok[nb].pre_len == 4 && name_ends_before(x, nb + 1))
        nb++;
    /* a chain of names with بن takes the family name after it (ممدوح بن
       فالح الثقيل) */
    int chain = 0;
    for (size_t k = na; k < nb; k++)
        chain |= keq(&x->tok[k], "بن");
    if (chain && nb - na >= 3 && nb < x->n && is_word(x, nb) && x->ent_of[nb] < 0 &&
        !breaks_before(x, nb) && !nationality_adj(x, nb) && !ends_ta_marbuta(x, nb) &&
        !bare_in(x, nb - 1, link, sizeof link / sizeof link[0]) &&
        ((has(x, nb, T_DEF) && x->tok[nb].pre_len == 4 && name_word(x, nb, 0)) ||
         (!has(x, nb, T_DEF) && name_word(x, nb, 1) && nb + 1 < x->n &&
          has(x, nb + 1, T_COMP | T_COMPF | T_COMMA | T_COLON)))) /* ... قطان أن */
        nb++;
    /* ... or a family name without ال when the content follows at once and
       a title stands before the name (المهندس صالح قدح أن) */
    if (nb - na == 1 && nb + 1 < x->n && na > 0 && is_word(x, nb) && !has(x, nb, T_DEF) &&
        x->ent_of[nb] < 0 && !breaks_before(x, nb) && name_word(x, nb, 1) &&
        !ends_ta_marbuta(x, nb) && !named_after(x, e) && !nationality_adj(x, nb) &&
        (has(x, nb + 1, T_COMP | T_COMPF | T_COMMA | T_COLON) || keq(&x->tok[nb + 1], "وهو") ||
         keq(&x->tok[nb + 1], "وهي")) &&
        (cat(x, na - 1, C_ROLE) || (has(x, na - 1, T_DEF) && !x->ti[na - 1].cats)))
        nb++;
    *a = na;
    *b = nb;
    return na != f || nb != l;
}

static void spk_from_entity(QCtx *x, Spk *s, int32_t e, int kind)
{
    s->ent = e;
    s->kind = (uint8_t)kind;
    s->sa = x->ent_first[e];
    s->sb = x->ent_last[e] + 1;
    spk_key(x, s, 0, 0);
    spk_name(x, s);
}

/*
 * The subject of at's sentence (sentence_subject) when it comes before at
 * and no one has spoken since: وألقى المدير ناصر الغامدي كلمة، أوضح فيها أن.
 */
static int sentence_subject_of(QCtx *x, size_t at, const Event *e, int g, Spk *s)
{
    if (!x->subj_ok || x->subj_sb != x->sb[at] || x->subj_tok >= at ||
        (e && e->end > x->subj_tok))
        return 0;
    /* كما اعتمدت اللجنة ...، مشيرا: a masculine participle is not the committee's */
    if ((g == G_M && x->subj_g == G_F) || (g == G_F && x->subj_g == G_M))
        return 0;
    *s = x->subj;
    s->kind = QS_IMPLICIT;
    s->resolved = s->ent >= 0;
    s->sa = s->sb = 0;
    s->gender = (uint8_t)g;
    return 1;
}

/* The speaker of a cue with no subject: the latest one of its gender. */
static void implicit_speaker(QCtx *x, int g, size_t at, Spk *s)
{
    const Event *e = recent(x, g, 0);
    if (!e && g != G_P)
        e = recent(x, G_ANY, 0); /* (a plural verb never falls back on one person) */
    if (sentence_subject_of(x, at, e, g, s))
        return;
    /* a person who became the subject in this or the previous sentence,
       after the last speaker: وتمكن نيل أروسميث من تصويرها. وأشار إلى أن */
    size_t prev_sent = x->sb[at] > 0 ? x->sb[x->sb[at] - 1] : 0;
    if (x->last_subj >= 0 && g != G_P && x->last_subj_tok < at && x->last_subj_tok >= prev_sent &&
        (!e || e->end <= x->last_subj_tok)) {
        memset(s, 0, sizeof *s);
        spk_from_entity(x, s, x->last_subj, QS_IMPLICIT);
        s->resolved = 1;
        s->sa = s->sb = 0;
        s->gender = (uint8_t)g;
        return;
    }
    /* وأفادت after a man spoke: an institution named since then in this
       sentence (تواصلت مع وزارة الخدمة المدنية، وأفادت أنه) is the subject */
    if (g == G_F && (!e || e->s.gender != G_F)) {
        size_t from = x->sb[at];
        if (at > 64 && from < at - 64)
            from = at - 64;
        for (size_t k = at; k-- > from;) {
            x->out->work++;
            int32_t en = x->ent_of[k];
            if (en >= 0 && x->ent_first[en] == k && x->ents->items[en].type == NER_ORG &&
                entity_kind(x, en) == QS_INSTITUTION && cat(x, k, C_INST) &&
                !has(x, k, T_LPREP | T_DEF)) {
                memset(s, 0, sizeof *s);
                spk_from_entity(x, s, en, QS_IMPLICIT);
                s->resolved = 1;
                s->sa = s->sb = 0;
                s->gender = G_F;
                return;
            }
        }
    }
    if (e) {
        *s = e->s;
        s->kind = QS_IMPLICIT;
        s->resolved = s->ent >= 0;
        s->sa = s->sb = 0;
        return;
    }
    memset(s, 0, sizeof *s);
    s->ent = -1;
    if (x->last_pers >= 0 && x->ent_first[x->last_pers] < at && g != G_P) {
        spk_from_entity(x, s, x->last_pers, QS_IMPLICIT);
        s->resolved = 1;
        s->sa = s->sb = 0;
        s->gender = (uint8_t)g;
    }
}

/* ======================================================================
 * Phrases: channels, venues, speakers
 * ==================================================================== */

/* Is token i part of a nationality adjective (الكويتية، الروسي)? */
static int nationality_adj(const QCtx *x, size_t i)
{
    int32_t en = x->ent_of[i];
    if (en < 0 || x->ents->items[en].type != NER_MISC || !x->ents->keys.data)
        return 0;
    const Entity *e = &x->ents->items[en];
    return e->key_len >= 4 && memcmp(x->ents->keys.data + e->key_off, "adj:", 4) == 0;
}

/* If a channel or venue phrase starts at k (before limit), the token after it; else k. */
static size_t via_phrase(QCtx *x, size_t k, size_t limit)
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
        if (!is_word(x, j) || has(x, j, T_COMP | T_COMPF | T_COMPW | T_REL | T_VERB) ||
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
static int nisba_ending(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    if (t->end - t->start < 6 || t->type != RASD_TOK_ARABIC)
        return 0;
    const char *e = x->text + t->end;
    return memcmp(e - 2, "\xD9\x8A", 2) == 0 || memcmp(e - 4, "\xD9\x8A\xD8\xA9", 4) == 0;
}

/* Does token i, as written, end in the sound plural ون / ين (اقتصاديون)? */
static int sound_plural(const QCtx *x, size_t i)
{
    const rasd_token *t = &x->tok[i];
    if (t->end - t->start < 8 || t->suf_len)
        return 0;
    const char *e = x->text + t->end - 4;
    return memcmp(e, AR_WAW AR_NUN, 4) == 0 || memcmp(e, "\xD9\x8A" AR_NUN, 4) == 0;
}

static size_t np_extent(QCtx *x, size_t h, size_t limit)
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
        if (!is_word(x, j) || has(x, j, T_COMP | T_COMPF | T_COMPW | T_REL | T_VERB) ||
            is_strong_cue(x, j) || cat(x, j, C_ADV) || via_phrase(x, j, limit) > j)
            break;
        if (x->ent_of[j] >= 0 && x->ent_first[x->ent_of[j]] == j &&
            x->ents->items[x->ent_of[j]].type == NER_PERS && !named_after(x, x->ent_of[j]))
            break; /* a name after a title: the caller takes the name */
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

static int entity_kind(const QCtx *x, int32_t e)
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
static int32_t surname_resolve(QCtx *x, size_t h)
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
static void note_head(QCtx *x, size_t i)
{
    if (!is_word(x, i) || !cat(x, i, C_INST | C_CHANNEL | C_ANON) || has(x, i, T_DEF) ||
        i + 1 >= x->n)
        return;
    if (!is_opener(x, i + 1) &&
        (!is_word(x, i + 1) || has(x, i + 1, T_PREPW | T_COMP | T_COMPF | T_COMPW | T_REL) ||
         is_cue(x, i + 1) || (x->tok[i + 1].flags & RASD_TF_STOP)))
        return;
    x->heads[head_slot(x, i)] = (uint32_t)i + 1;
}

/* End of the phrase a recorded head j opens: its quoted name if any
   (صحيفة «ديلي ستار» البريطانية), then its complements. */
static size_t mention_end(QCtx *x, size_t j)
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

/* Builds the speaker of the noun phrase [h, e). */
static void spk_from_np(QCtx *x, Spk *s, size_t h, size_t e, int gender)
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
    int32_t sur = e == h + 1 ? surname_resolve(x, h) : -1;
    if (sur >= 0) {
        s->kind = QS_PERSON;
        s->ent = sur;
        s->resolved = 1;
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
static int speaker_head(const QCtx *x, size_t i)
{
    if (!is_word(x, i) || has(x, i, T_LPREP | T_PREPW | T_PRON | T_COMP | T_COMPF | T_COMPW))
        return 0;
    int32_t en = x->ent_of[i];
    if (en >= 0)
        return x->ent_first[en] == i && entity_kind(x, en) != QS_UNKNOWN;
    return cat(x, i, C_ROLE | C_INST | C_ANON | C_CHANNEL) != 0;
}

/* Can token i be a word of a name the tagger missed (نعيم، العراقي)? */
static int name_word(const QCtx *x, size_t i, int first)
{
    const rasd_token *t = &x->tok[i];
    if (!is_word(x, i) || (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN))
        return 0;
    if (x->ent_of[i] >= 0)
        return !first && nationality_adj(x, i); /* نعيم العراقي: a nisba as a surname */
    if (has(x, i, T_PREPW | T_LPREP | T_WAW | T_COMP | T_COMPF | T_COMPW | T_REL | T_PRON) ||
        x->ti[i].cats || (t->flags & RASD_TF_STOP) || (first && has(x, i, T_DEF)) ||
        time_word(x, i))
        return 0;
    return t->pre_len == 0 || has(x, i, T_DEF); /* no ب، ل، ك before a name */
}

/*
 * A title whose noun phrase (k .. e) is followed, or ended, by one to four
 * words that can only be a name the tagger missed: they run up to the
 * reported content at b (or to a comma, an adverb or a channel before it).
 * The title ends where the roles module says, else at e; a rank right
 * after it (العقيد) is part of it. Sets [*na,*nb) and returns 1.
 */
static int name_after_title(QCtx *x, size_t k, size_t e, size_t b, size_t *na, size_t *nb)
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
    if (a == t_end && !name_word(x, a, 1)) {
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
    if (m < b && m > t_end && nationality_adj(x, m) && !has(x, m, T_DEF))
        m++;
    while (m < b && m - a < 4 && name_word(x, m, m == a)) {
        x->out->work++;
        if (has(x, m++, T_DEF))
            break; /* a family name with ال ends a name (سعد الحربي) */
    }
    if (m == a || (m == a + 1 && has(x, a, T_DEF)))
        return 0;
    /* (a channel spoken to may follow: وأبلغ المدرب آرسين فينجر موقع النادي) */
    if (m < b && !has(x, m, T_COMMA) && !cat(x, m, C_ADV) && via_phrase(x, m, b) == m &&
        !(x->loose_names && m >= a + 2) &&
        !(m >= a + 2 && cat(x, m, C_CHANNEL) && !has(x, m, T_DEF) && x->tok[m].pre_len == 0))
        return 0;
    *na = a;
    *nb = m;
    return 1;
}

/* The speaker named by the words [a,b) that the tagger did not take for a name. */
static void spk_from_name(QCtx *x, Spk *s, size_t a, size_t b, int gender)
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

/*
 * Reads the words between a cue and its content [a,b): the first named
 * entity or noun phrase is the speaker; channel and venue phrases are
 * the via (the first one, extended by the ones right after it).
 * Returns 1 if a speaker was found; *stray (if not NULL) counts the words
 * that are none of these (a long tail of them means the complementiser
 * found belongs to another clause).
 */
static int read_segment(QCtx *x, size_t a, size_t b, int gender, Spk *s, uint32_t *va,
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
        if (!fan && (has(x, k, T_PREPW | T_PRON | T_COMP | T_COMPF | T_COMPW | T_WAW | T_REL) ||
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
        while (e > k + 1 && has(x, e - 1, T_PREPW))
            e--;
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
        for (size_t j = j0; j < b && j < k + 2 * NP_MAX && pe < 0; j++) {
            x->out->work++;
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
            if (!is_word(x, j) && !keq(&x->tok[j], "-") &&
                !(keq(&x->tok[j], ".") && !has(x, j, T_SENT)))
                break; /* but through "-" and the dot of م. عادل */
            /* (not at a verb-like word: place and people names look like
               verbs to the lexicon — بغرفة نجران عبدالله الصقري) */
            if (has(x, j, T_COMP | T_COMPF | T_REL) || is_cue(x, j) || via_phrase(x, j, b) > j)
                break;
            if (x->ent_of[j] >= 0 && x->ents->items[x->ent_of[j]].type == NER_PERS &&
                !named_after(x, x->ent_of[j]))
                pe = x->ent_of[j]; /* (not جامعة الملك عبدالعزيز ... الدكتور فلان) */
        }
        if (pe >= 0) {
            spk_from_np(x, s, x->ent_first[pe], x->ent_last[pe] + 1, gender);
            state = 1;
            k = x->ent_last[pe] + 1;
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

/* Is token i an auxiliary or particle that may open a sentence before its
   verb: كان، قد، كما، ثم، فيما، بينما، لقد، عندما، حينما، بعدما (with or
   without و / ف)? */
static int opener_particle(const QCtx *x, size_t i)
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
static int topic_before(const QCtx *x, size_t i)
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

/* A subject before the cue (الوزير قال، وكان المتحدث قد أكد). */
static int subject_before(QCtx *x, size_t c, int gender, Spk *s)
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
    /* a role, institution or source noun opening the clause, at most 6 words back */
    for (size_t k = p + 1, steps = 0; k-- > 0 && steps < 6; steps++) {
        if (!is_word(x, k) || is_cue(x, k) || has(x, k, T_COMP | T_COMPF | T_VERB | T_REL))
            return 0;
        int opens = breaks_before(x, k) || has(x, k - 1, T_COMMA) || has(x, k, T_WAW) ||
                    (k > 0 && keq(&x->tok[k - 1], "\xD9\x83\xD8\xA7\xD9\x86")) ||
                    (k > 0 && keq(&x->tok[k - 1], "\xD9\x88\xD9\x83\xD8\xA7\xD9\x86"));
        if (opens && cat(x, k, C_ROLE | C_INST | C_ANON) && !has(x, k, T_PRON)) {
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
 * The subject of the sentence starting at sb, kept in x->subj for the
 * cues and participles of that sentence that name no speaker. Two frames:
 * verb first (وألقى مدير المكتب ناصر الغامدي كلمة، هدد عدد من المؤسسات
 * ...) and subject first (الوزارة أعلنت، X الذي غادر ... أكد). Adverbial
 * openers (من جانبه،) and auxiliaries (وكان، وقد) are skipped. Only a named
 * entity or a noun phrase with a known speaker head counts: a bare word
 * after a verb is as often its object. Bounded: 3 * NP_MAX tokens.
 */
static void sentence_subject(QCtx *x, size_t sb)
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
    if (!speaker_head(x, k)) {
        /* verb first: a plain word, then the subject */
        if (!is_word(x, k) || has(x, k, T_DEF | T_PREPW | T_LPREP | T_COMP | T_COMPF | T_COMPW) ||
            x->ent_of[k] >= 0 || x->tok[k].type == RASD_TOK_NUMBER ||
            (x->tok[k].flags & RASD_TF_STOP) || x->ti[k].cats || !speaker_head(x, k + 1))
            return;
        h = k + 1;
    }
    Spk s = {.ent = -1};
    uint32_t va = 0, vb = 0;
    x->subj_tok = (uint32_t)h;
    x->loose_names = 1;
    int found = read_segment(x, h, limit, G_ANY, &s, &va, &vb, NULL);
    x->loose_names = 0;
    if (!found || s.sa < h ||
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

/* ======================================================================
 * Content: where the reported words start and end
 * ==================================================================== */

enum { CT_NONE = 0, CT_COMP, CT_COLON, CT_QUOTE, CT_INTRO };

typedef struct Content {
    int type;   /* CT_* */
    size_t at;  /* the complementiser, colon, opening mark or intro word */
    size_t end; /* where the cue's segment scan stopped (CT_NONE) */
} Content;

static int blocked(const QCtx *x, size_t j)
{
    if (j == 0)
        return 0;
    if (cat(x, j - 1, C_BLOCK))
        return 1;
    return j >= 2 && cat(x, j - 1, C_PREP) && cat(x, j - 2, C_BLOCK);
}

/* Does the quote opened at j open speech rather than a name or a title? */
static int opens_speech(const QCtx *x, size_t j, size_t from)
{
    size_t after = quote_after(x, j);
    if (after < x->n && (has(x, after, T_COLON | T_COMP) || is_opener(x, after)))
        return 0; /* part of the speaker's description */
    size_t words = 0;
    for (size_t k = j + 1; k < (size_t)x->qend[j] && words < 4; k++)
        words += is_word(x, k);
    if (words < 4) {
        /* a short quote with the reported clause still to come is a name:
           وقال "الكرملين" ردا على سؤال، إن ... */
        for (size_t k = after; k < after + QUOTE_WINDOW && k < x->n && !breaks_before(x, k); k++)
            if ((has(x, k, T_COMP | T_COLON) && !blocked(x, k)) || is_opener(x, k))
                return 0;
            else if (is_strong_cue(x, k))
                break;
    }
    if (j == from || has(x, j - 1, T_COMMA | T_COLON))
        return 1;
    /* a name after لـ or after a channel word (لـ«الحياة»، صحيفة «الحياة»);
       but a word of its own after ل (قال لمحادثه «...») or a definite noun
       (مقدم البرنامج «...») is the addressee or the speaker, not a name's head */
    if ((has(x, j - 1, T_LPREP) && x->tok[j - 1].key_len == 2) ||
        (cat(x, j - 1, C_CHANNEL | C_VENUE) && !has(x, j - 1, T_DEF)) || cat(x, j - 1, C_VIA) ||
        words < 4)
        return 0;
    return 1;
}

static Content find_content(QCtx *x, size_t from, size_t limit)
{
    Content c = {CT_NONE, 0, from};
    size_t j = from;
    while (j < limit && j < x->n) {
        x->out->work++;
        if (j > from && breaks_before(x, j))
            break;
        const TInfo *t = &x->ti[j];
        if ((t->bits & T_COMP) && !blocked(x, j))
            return (Content){CT_COMP, j, j};
        if (t->bits & T_COLON)
            return (Content){CT_COLON, j, j};
        if (is_opener(x, j)) {
            if (opens_speech(x, j, from))
                return (Content){CT_QUOTE, j, j};
            j = quote_after(x, j);
            continue;
        }
        if ((t->cats & C_CUE) && (t->cue & F_INTRO) && !(t->cue & F_PART))
            return (Content){CT_INTRO, j, j}; /* بقوله، قوله */
        if (j > from && is_strong_cue(x, j))
            break;
        j++;
    }
    c.end = j;
    return c;
}

/* End (exclusive) of the reported clause starting at from; a trailing channel goes to va, vb. */
static size_t clause_end(QCtx *x, size_t from, uint32_t *va, uint32_t *vb)
{
    size_t k = from;
    while (k < x->n) {
        x->out->work++;
        if (k > from && breaks_before(x, k))
            break;
        if (is_opener(x, k) && (x->qst[k] & Q_CLOSED)) {
            size_t after = quote_after(x, k);
            if (after > k + 1 && after <= x->n) {
                k = after;
                continue;
            }
        }
        if (k > from && is_cue(x, k) &&
            (has(x, k - 1, T_COMMA | T_SEMI) || has(x, k, T_WAW) || (x->ti[k].cue & F_PART)) &&
            (!(x->ti[k].cue & F_AMBIG) || has(x, k + 1, T_COMP)))
            break;
        if (k > from && has(x, k, T_COMPW) && is_opener(x, k + 1) && (x->qst[k + 1] & Q_CLOSED) &&
            !(x->qst[k + 1] & Q_USED))
            break; /* ...، وإنه «...»: a second, marked report (emit_content) */
        if (k > from && cat(x, k, C_VIA) && has(x, k - 1, T_COMMA)) {
            size_t v = via_phrase(x, k, x->n);
            if (*va == *vb && v > k) {
                *va = (uint32_t)k;
                *vb = (uint32_t)v;
            }
            break;
        }
        k++;
    }
    return k;
}

/* End (exclusive) of the sentence that starts at from. */
static size_t sentence_end(QCtx *x, size_t from)
{
    size_t k = from;
    while (k < x->n && !(k > from && breaks_before(x, k))) {
        x->out->work++;
        k++;
    }
    return k;
}

/* ======================================================================
 * Emitting
 * ==================================================================== */

static int emit(QCtx *x, size_t a, size_t b, int direct, int64_t cue, const Spk *s,
                uint32_t va, uint32_t vb, int marked)
{
    /* trim: spaces for marked quotes, trailing punctuation for the others */
    while (b > a && !marked && has(x, b - 1, T_COMMA | T_SEMI | T_COLON | T_SENT))
        b--;
    while (a < b && !marked && has(x, a, T_COMMA | T_COLON))
        a++;
    if (a >= b)
        return 0;
    QuoteList *l = x->out;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        Quote *ni = realloc(l->items, nc * sizeof *ni);
        if (!ni)
            return -1;
        l->items = ni;
        l->cap = nc;
    }
    Quote *q = &l->items[l->n++];
    memset(q, 0, sizeof *q);
    q->start = x->tok[a].start;
    q->end = x->tok[b - 1].end;
    if (marked) { /* the words between the marks, exactly */
        q->start = a > 0 ? x->tok[a - 1].end : 0;
        q->end = b < x->n ? x->tok[b].start : (uint32_t)x->d->text_len;
        if (!(x->qst[a - 1] & Q_OPEN) || b >= x->n || !(x->qst[b] & Q_CLOSER))
            q->end = x->tok[b - 1].end; /* unclosed: the last word */
        while (q->start < q->end && (x->text[q->start] == ' ' || x->text[q->start] == '\n' ||
                                     x->text[q->start] == '\t' || x->text[q->start] == '\r'))
            q->start++;
        while (q->end > q->start && (x->text[q->end - 1] == ' ' || x->text[q->end - 1] == '\n' ||
                                     x->text[q->end - 1] == '\t' || x->text[q->end - 1] == '\r'))
            q->end--;
        if (q->start >= q->end) {
            l->n--;
            return 0;
        }
    }
    if (cue >= 0) {
        q->cue_start = x->tok[cue].start;
        q->cue_end = x->tok[cue].end;
    }
    if (s->sa < s->sb) {
        q->said_start = x->tok[s->sa].start;
        q->said_end = x->tok[s->sb - 1].end;
    }
    q->spk_start = s->ns;
    q->spk_end = s->ne;
    q->key_off = s->key_off;
    q->key_len = s->key_len;
    q->kind = s->kind;
    q->resolved = s->resolved;
    q->direct = (uint8_t)direct;
    if (va == vb && x->pv_a < x->pv_b && x->pv_sent == x->sb[a])
        va = x->pv_a, vb = x->pv_b; /* "وبحسب رويترز، ..." earlier in the sentence */
    if (va < vb) {
        q->via_start = x->tok[va].start;
        q->via_end = x->tok[vb - 1].end;
    }
    x->last_qend = (uint32_t)b;
    return 1;
}

/* Emits the marked quote opened at o (following its continuations); returns the token after it. */
static size_t emit_marked(QCtx *x, size_t o, int64_t cue, const Spk *s, uint32_t va, uint32_t vb,
                          int *rc)
{
    size_t last = o;
    x->qst[o] |= Q_USED;
    for (int hops = 0; x->chain[last] >= 0 && hops < CHAIN_MAX; hops++) {
        last = (size_t)x->chain[last];
        x->qst[last] |= Q_USED;
    }
    size_t end = (size_t)x->qend[last];
    size_t after = quote_after(x, last);
    /* a channel right after the closing mark: «...»، بحسب وكالة رويترز */
    size_t t = after + (has(x, after, T_COMMA) ? 1 : 0);
    if (va == vb && t < x->n && cat(x, t, C_VIA) && (cue < 0 || (size_t)cue != t)) {
        size_t v = via_phrase(x, t, x->n);
        if (v > t) {
            va = (uint32_t)t;
            vb = (uint32_t)v;
        }
    }
    if (emit(x, o + 1, end, 1, cue, s, va, vb, 1) < 0)
        *rc = -1;
    return after;
}

/* ======================================================================
 * Pass 3: the scan
 * ==================================================================== */

static int cue_gender(uint8_t f) { return (f & F_PLUR) ? G_P : (f & F_FEM) ? G_F : G_M; }

/*
 * The speaker of a participle or intro word: the subject of the clause it
 * hangs on — a person named in the sentence after the latest speaker (وفجرت
 * الوكيلة ويندي شيرمان مفاجأة ... بتأكيدها أن), else the latest speaker of
 * this sentence or of the quote just before, else the implicit speaker.
 */
static void governing_speaker(QCtx *x, size_t c, int g, Spk *s)
{
    size_t sent = x->sb[c];
    const Event *ev = NULL;
    for (size_t k = 0; k < EVENTS && k < x->nev; k++) {
        const Event *e = &x->ev[(x->nev - 1 - k) % EVENTS];
        if (e->tok < sent && e->end + 3 < c)
            break;
        if (g == G_ANY || g == G_P || e->s.gender == g || e->s.gender == G_ANY) {
            ev = e;
            break;
        }
    }
    /* no one spoke in this sentence: the subject of its verb (هدد عدد من
       المؤسسات الوزارة بالانسحاب، مؤكدين أن) */
    if ((!ev || ev->tok < sent) && sentence_subject_of(x, c, NULL, g, s))
        return;
    /* a named subject later in the sentence than that speaker, outside any quote */
    size_t from = sent > x->last_qend ? sent : x->last_qend;
    if (ev && ev->end > from)
        from = ev->end;
    if (c > 64 && from < c - 64)
        from = c - 64; /* bounded: a sentence can be a whole document */
    for (size_t k = from; k < c; k++) {
        x->out->work++;
        int32_t en = x->ent_of[k];
        if (en >= 0 && x->ent_first[en] == k && entity_kind(x, en) == QS_PERSON &&
            !(ev && ev->s.ent == en)) {
            memset(s, 0, sizeof *s);
            s->gender = (uint8_t)g;
            spk_from_entity(x, s, en, QS_IMPLICIT);
            s->resolved = 1;
            s->sa = s->sb = 0;
            return;
        }
    }
    if (ev) {
        *s = ev->s;
        s->kind = QS_IMPLICIT;
        s->resolved = s->ent >= 0;
        s->sa = s->sb = 0;
        return;
    }
    implicit_speaker(x, g, c, s);
}

/* Content after a colon, an intro word or a complementiser at j; returns the token after it. */
static size_t emit_content(QCtx *x, Content ct, int64_t cue, const Spk *s, uint32_t va,
                           uint32_t vb, int *rc)
{
    size_t j = ct.at;
    if (ct.type == CT_QUOTE)
        return emit_marked(x, j, cue, s, va, vb, rc);
    size_t k = j + 1;
    int direct = ct.type != CT_COMP;
    if (ct.type == CT_INTRO && has(x, k, T_COLON))
        k++;
    if (ct.type != CT_COMP && has(x, k, T_COMP) && !blocked(x, k)) {
        k++; /* وقال: إن ... */
        direct = 0;
    }
    if (is_opener(x, k) && !(x->qst[k] & Q_USED) && quote_after(x, k) > k + 1 &&
        !is_word(x, quote_after(x, k)))
        return emit_marked(x, k, cue, s, va, vb, rc); /* أن «...». : the words themselves */
    /* أن "وحدات فرعية" من ... شاركت: a quoted phrase inside a reported clause */
    size_t end = direct ? sentence_end(x, k) : clause_end(x, k, &va, &vb);
    if (direct) {
        /* unmarked words after a colon run to the sentence end or the next cue */
        for (size_t m = k + 1; m < end; m++)
            if (is_strong_cue(x, m) && (has(x, m - 1, T_COMMA) || (x->ti[m].cue & F_PART))) {
                end = m;
                break;
            }
    }
    if (emit(x, k, end, direct, cue, s, va, vb, 0) < 0)
        *rc = -1;
    /* قال إن ...، وإنه «...»: the same speaker's own words follow */
    if (!direct && end + 1 < x->n && has(x, end, T_COMPW) && is_opener(x, end + 1) &&
        (x->qst[end + 1] & Q_CLOSED) && !(x->qst[end + 1] & Q_USED))
        return emit_marked(x, end + 1, cue, s, va, vb, rc);
    return end;
}

/*
 * نقلت وكالة X عن Y قوله ... / ونقلت عنه وكالة X ... — and, for a verb of
 * learning, علمت «الوطن» من مصادر مطلعة أن ...: the subject is the
 * channel, the speaker comes after عن (من for learning).
 */
static size_t handle_relay(QCtx *x, size_t c, int *rc)
{
    size_t limit = c + 1 + QUOTE_WINDOW < x->n ? c + 1 + QUOTE_WINDOW : x->n;
    int learn = cat(x, c, C_LEARN) && !cat(x, c, C_RELAY);
    /* عن، or من (bare) after a verb of learning */
    const char *prep = learn ? "\xD9\x85\xD9\x86" : "\xD8\xB9\xD9\x86";
    size_t an = c + 1; /* the عن / من token */
    while (an < limit && !breaks_before(x, an) && an - c < NP_MAX + 2) {
        const rasd_token *w = &x->tok[an];
        if (w->key_len >= 4 && memcmp(w->key, prep, 4) == 0 &&
            (w->key_len == 4 || (!learn && is_pronoun(w->key + 4, w->key_len - 4))))
            break;
        if (is_opener(x, an) && quote_after(x, an) - an <= NP_MAX) {
            an = quote_after(x, an); /* علمت «الوطن» */
            continue;
        }
        an++;
    }
    if (an >= limit || breaks_before(x, an) || an - c >= NP_MAX + 2)
        return c + 1;
    Content ct = find_content(x, an + 1, limit);
    if (ct.type == CT_NONE)
        return c + 1;
    Spk s = {.ent = -1};
    uint32_t va = 0, vb = 0;
    if (x->tok[an].suf_len || x->tok[an].key_len > 4) {
        /* عنه: the speaker is the one just quoted; the channel follows */
        implicit_speaker(x, G_ANY, c, &s);
        size_t e = an + 1;
        while (e < ct.at && is_word(x, e) && e - an <= NP_MAX)
            e++;
        if (e > an + 1) {
            va = (uint32_t)an + 1;
            vb = (uint32_t)e;
        }
    } else {
        if (an > c + 1) {
            va = (uint32_t)c + 1;
            vb = (uint32_t)an;
        }
        uint32_t va2 = 0, vb2 = 0;
        int named = read_segment(x, an + 1, ct.at, G_ANY, &s, &va2, &vb2, NULL);
        /* learning needs a source after من (علم من أجل ... is no report) */
        if (learn && (!named || (s.ent < 0 && !cat(x, s.sa, C_ROLE | C_INST | C_ANON | C_CHANNEL))))
            return c + 1;
        if (!named)
            implicit_speaker(x, G_ANY, c, &s);
        s.gender = G_ANY;
    }
    size_t end = emit_content(x, ct, (int64_t)c, &s, va, vb, rc);
    push_event(x, &s, c, end);
    return end;
}

/* One cue at c; returns the token the scan resumes at. */
static size_t handle_cue(QCtx *x, size_t c, int *rc)
{
    const TInfo *t = &x->ti[c];
    if ((t->cats & (C_RELAY | C_LEARN)) && !(t->cats & C_CUE))
        return handle_relay(x, c, rc);
    uint8_t f = t->cue;
    int g = cue_gender(f);
    if ((f & F_INTRO) && c > 0 && keq(&x->tok[c - 1], "\xD8\xAD\xD8\xAF"))
        return c + 1; /* على حد قوله: an aside, not an introduction */
    size_t limit = c + 1 + QUOTE_WINDOW < x->n ? c + 1 + QUOTE_WINDOW : x->n;
    Content ct = find_content(x, c + 1, limit);
    int governed = (f & (F_PART | F_INTRO)) != 0;
    if (ct.type == CT_NONE && (f & F_INTRO) && is_word(x, c + 1) &&
        !has(x, c + 1, T_PREPW))
        ct = (Content){CT_INTRO, c, c + 1}; /* قائلا الوضع خطير ... */
    if (ct.type == CT_NONE) {
        /* no content: still a speaker for the participles and verbs after it */
        if (!(f & (F_PART | F_INTRO))) {
            Spk s = {.ent = -1};
            uint32_t va = 0, vb = 0;
            size_t e = ct.end < c + 1 + 2 * NP_MAX ? ct.end : c + 1 + 2 * NP_MAX;
            int named = read_segment(x, c + 1, e, g, &s, &va, &vb, NULL);
            /* with nothing quoted, only a known kind of speaker is kept for the
               cues after it: a bare noun there is as often the object or a
               time (ذكرها في مؤتمره يوم الجمعة) as an untagged name */
            if (named && s.ent < 0 && !cat(x, s.sa, C_ROLE | C_INST | C_ANON | C_CHANNEL))
                named = 0;
            if (named || (!(f & F_AMBIG) && subject_before(x, c, g, &s)))
                push_event(x, &s, c, c);
        }
        return c + 1;
    }
    if ((f & F_IMPF) && ct.type == CT_COMP && ct.at == c + 1)
        return c + 1; /* يذكر أن، يبدو أن: impersonal */
    if ((f & F_IMPF) && c > 0) {
        /* ما يشير إلى أن، مما يؤكد أن: a fact, not a speaker (but وهو ما أكده الوزير is one) */
        const rasd_token *p = &x->tok[c - 1];
        size_t pn = p->key_len;
        if (pn >= 4 && pn <= 8 && memcmp(p->key + pn - 4, "\xD9\x85\xD8\xA7", 4) == 0 &&
            !keq(p, "\xD9\x83\xD9\x85\xD8\xA7") && !keq(p, "\xD9\x81\xD9\x8A\xD9\x85\xD8\xA7"))
            return c + 1;
    }
    /* على طريق سريع بين مدينتي، من بين القتلى: an everyday word in the
       middle of a clause is no verb (a verb opens its clause: وبين، كما بين) */
    if ((f & F_AMBIG) && !(f & (F_PART | F_INTRO)) && !has(x, c, T_WAW) && c > x->sb[c] &&
        !breaks_before(x, c) && !has(x, c - 1, T_COMMA | T_COLON | T_SEMI) &&
        !opener_particle(x, c - 1) && is_word(x, c - 1) && !keq(&x->tok[c - 1], "حيث") &&
        !keq(&x->tok[c - 1], "وحيث") && !cat(x, c - 1, C_ROLE | C_INST | C_ANON) &&
        !(x->ent_of[c - 1] >= 0 && entity_kind(x, x->ent_of[c - 1]) != QS_UNKNOWN))
        return c + 1;
    if (f & F_AMBIG)
        for (size_t k = c + 1; k < ct.at; k++)
            if (x->tok[k].type == RASD_TOK_NUMBER || has(x, k, T_WAW | T_COMMA))
                return c + 1; /* بين 45 و73، بين إيران والدول الست: "between" */
    if ((f & F_AMBIG) && ct.at > c + NP_MAX)
        return c + 1;
    Spk s = {.ent = -1};
    uint32_t va = 0, vb = 0;
    size_t stray = 0;
    int named = 0;
    int hon = c + 1 < ct.at ? honorific_pronoun(x, c + 1) : 0;
    int32_t holder = hon ? honorific_holder(x, hon, c) : -1;
    if (holder >= 0) {
        /* وقال سموه: the holder of the title */
        Spk ignore = {.ent = -1};
        read_segment(x, c + 2, ct.at, g, &ignore, &va, &vb, &stray);
        spk_from_entity(x, &s, holder, QS_ROLE);
        s.sa = (uint32_t)c + 1;
        s.sb = (uint32_t)c + 2;
        s.resolved = 1;
        named = 1;
    } else if (governed) {
        Spk ignore = {.ent = -1};
        read_segment(x, c + 1, ct.at, g, &ignore, &va, &vb, &stray);
        governing_speaker(x, c, g, &s);
    } else {
        named = read_segment(x, c + 1, ct.at, g, &s, &va, &vb, &stray);
        if (!named && !subject_before(x, c, g, &s))
            implicit_speaker(x, g, c, &s);
    }
    /* كشفت مصادر عن موافقة الصندوق على ... أو أن: too many other words
       between the speaker and this أن for it to be the cue's */
    if (stray > 5 && ct.type == CT_COMP) {
        if (named && !(f & F_AMBIG))
            push_event(x, &s, c, c);
        return c + 1;
    }
    /* an everyday word (بين، أوصى) is a cue only with a plain subject */
    if ((f & F_AMBIG) && named && s.ent < 0 && !cat(x, s.sa, C_ROLE | C_INST | C_ANON | C_CHANNEL))
        return c + 1;
    /* ... and with no subject, not when someone it was made clear to follows:
       تبين للمستشفى أن is "it became clear to the hospital" */
    if ((f & F_AMBIG) && !named && has(x, c + 1, T_LPREP))
        return c + 1;
    s.gender = (uint8_t)g;
    size_t end = emit_content(x, ct, (int64_t)c, &s, va, vb, rc);
    push_event(x, &s, c, end);
    return end > c ? end : c + 1;
}

/* A quote mark no cue has claimed: inverted attribution, or a continuation. */
static size_t handle_free_quote(QCtx *x, size_t o, int *rc)
{
    size_t e = (size_t)x->qend[o], after = quote_after(x, o);
    size_t words = 0;
    for (size_t k = o + 1; k < e && words < 6; k++)
        words += is_word(x, k);
    size_t t = after + (has(x, after, T_COMMA) ? 1 : 0);
    /* a quote that opens its clause; one inside a noun phrase is a name
       (هيئة الإذاعة البريطانية "بي بي سي"، قال ...) */
    int opens_clause = o == 0 || breaks_before(x, o) || has(x, o - 1, T_COLON | T_COMMA | T_SEMI);
    if (words >= 3 && opens_clause && t < x->n && is_strong_cue(x, t) &&
        !(x->ti[t].cue & (F_PART | F_INTRO)) && !(x->ti[t].cats & (C_RELAY | C_LEARN))) {
        /* «...»، قال الوزير */
        int g = cue_gender(x->ti[t].cue);
        size_t lim = t + 1 + NP_MAX < x->n ? t + 1 + NP_MAX : x->n;
        size_t stop = t + 1;
        while (stop < lim && !breaks_before(x, stop) && !has(x, stop, T_COMP | T_COLON) &&
               !is_opener(x, stop))
            stop++;
        Spk s = {.ent = -1};
        uint32_t va = 0, vb = 0;
        if (!read_segment(x, t + 1, stop, g, &s, &va, &vb, NULL))
            implicit_speaker(x, g, t, &s);
        s.gender = (uint8_t)g;
        emit_marked(x, o, (int64_t)t, &s, va, vb, rc);
        push_event(x, &s, t, after);
        return stop;
    }
    if (words >= 3 && opens_clause && t < x->n && cat(x, t, C_VIA) && !has(x, t, T_LPREP)) {
        /* «...»، بحسب المصدر */
        size_t v = via_phrase(x, t, x->n);
        Spk s = {.ent = -1};
        uint32_t va = 0, vb = 0;
        size_t h = t + 1 + (has(x, t + 1, T_LPREP) && x->tok[t + 1].key_len == 2);
        if (h < v && !cat(x, h, C_CHANNEL) &&
            !(x->ent_of[h] >= 0 && x->ents->items[x->ent_of[h]].type == NER_ORG)) {
            read_segment(x, h, v, G_ANY, &s, &va, &vb, NULL);
            if (s.kind == QS_UNKNOWN)
                implicit_speaker(x, G_ANY, t, &s);
            va = vb = 0; /* the attribution named the speaker, not a channel */
        } else {
            implicit_speaker(x, G_ANY, t, &s);
            va = (uint32_t)t;
            vb = (uint32_t)v;
        }
        emit_marked(x, o, (int64_t)t, &s, va, vb, rc);
        push_event(x, &s, t, after);
        return v;
    }
    /* a long quote standing as a sentence of its own, right after someone spoke */
    const Event *ev = recent(x, G_ANY, 0);
    if (words >= 6 && ev && ev->end + 200 > o &&
        (o == 0 || breaks_before(x, o) || has(x, o - 1, T_COLON))) {
        Spk s = ev->s;
        s.kind = QS_IMPLICIT;
        s.resolved = s.ent >= 0;
        s.sa = s.sb = 0;
        size_t end = emit_marked(x, o, -1, &s, 0, 0, rc);
        push_event(x, &s, o, end);
        return end;
    }
    return o + 1;
}

/* بحسب X، فإن ... (X is the speaker); else a channel for the sentence's quote. */
static size_t handle_via_intro(QCtx *x, size_t k, int *rc)
{
    size_t limit = k + 1 + NP_MAX + 2 < x->n ? k + 1 + NP_MAX + 2 : x->n;
    size_t j = k + 1;
    while (j < limit && !breaks_before(x, j) && !has(x, j, T_COMPF | T_COMP) &&
           !is_strong_cue(x, j))
        j++;
    size_t v = via_phrase(x, k, x->n);
    if (j < limit && has(x, j, T_COMPF | T_COMP) && j > k + 1) {
        Spk s = {.ent = -1};
        uint32_t va = 0, vb = 0;
        size_t h = k + 1 + (has(x, k + 1, T_LPREP) && x->tok[k + 1].key_len == 2);
        size_t e = j;
        while (e > h && has(x, e - 1, T_COMMA))
            e--;
        memset(&s, 0, sizeof s);
        s.ent = -1;
        if (h < e) {
            if (!read_segment(x, h, e, G_ANY, &s, &va, &vb, NULL) && va < vb) {
                /* بحسب وكالة رويترز: the outlet itself is the source */
                spk_from_np(x, &s, va, vb, G_ANY);
                va = vb = 0;
            }
        }
        if (s.kind == QS_UNKNOWN)
            return k + 1;
        Content ct = {CT_COMP, j, j};
        size_t end = emit_content(x, ct, (int64_t)k, &s, 0, 0, rc);
        push_event(x, &s, k, end);
        return end;
    }
    if (v > k + 1) {
        x->pv_a = (uint32_t)k;
        x->pv_b = (uint32_t)v;
        x->pv_sent = x->sb[k];
    }
    return k + 1;
}

/* ======================================================================
 * Entry point
 * ==================================================================== */

static int cmp_quote(const void *a, const void *b)
{
    const Quote *p = a, *q = b;
    if (p->start != q->start)
        return p->start < q->start ? -1 : 1;
    return p->end < q->end ? -1 : p->end > q->end;
}

/*
 * Punctuation that only looks like a boundary: the full stop of an
 * abbreviation (د. م. أ.) or inside a word (بي.بي.سي), and the colon of a
 * time (23:59). Called on token i once i-1 is classified; looks at i+1's
 * offsets only.
 */
static void fix_punct(QCtx *x, size_t i)
{
    TInfo *t = &x->ti[i];
    const rasd_token *tk = x->tok;
    int next_att = i + 1 < x->n && tk[i + 1].start == tk[i].end &&
                   tk[i + 1].type != RASD_TOK_PUNCT;
    /* a full stop glued between two short pieces (بي.بي.سي، U.S.) is inside
       a word; glued between long words (الحالية.وأنفق) it still ends one */
    if ((t->bits & T_SENT) && keq(&tk[i], ".") && i > 0 && tk[i - 1].end == tk[i].start &&
        ((tk[i - 1].type == RASD_TOK_ARABIC && tk[i - 1].key_len == 2) ||
         (next_att && tk[i - 1].key_len <= 6 && tk[i + 1].key_len <= 6)))
        t->bits &= (uint16_t)~T_SENT;
    if ((t->bits & T_COLON) && i > 0 && next_att && tk[i - 1].type == RASD_TOK_NUMBER &&
        tk[i + 1].type == RASD_TOK_NUMBER)
        t->bits &= (uint16_t)~T_COLON;
}

/* Is mention a a fuller name than mention b: more words, then no proclitic
   (روسيا, not لروسيا), then more bytes? */
static int mention_better(const QCtx *x, size_t a, size_t b)
{
    size_t wa = x->ent_last[a] - x->ent_first[a], wb = x->ent_last[b] - x->ent_first[b];
    if (wa != wb)
        return wa > wb;
    int pa = x->tok[x->ent_first[a]].pre_len != 0, pb = x->tok[x->ent_first[b]].pre_len != 0;
    if (pa != pb)
        return pa < pb;
    const Entity *ea = &x->ents->items[a], *eb = &x->ents->items[b];
    return ea->end - ea->start > eb->end - eb->start;
}

/*
 * Is the person starting at i the subject of its sentence's first verb?
 * Only a title between them may say no: a feminine verb with a masculine
 * title (واتهمت وزير الدفاع سيرغي لافروف) or the reverse is an object.
 */
static int opens_as_subject(const QCtx *x, size_t i)
{
    size_t v = x->sb[i];
    if (v >= i)
        return 1;
    const rasd_token *t = &x->tok[v];
    const char *r = t->key + (t->pre_len <= t->key_len ? t->pre_len : 0);
    size_t rn = t->key_len - (t->pre_len <= t->key_len ? t->pre_len : 0);
    int verb_fem = rn >= 6 && memcmp(r + rn - 2, "\xD8\xAA", 2) == 0; /* ends in ت */
    for (size_t k = v + 1; k < i; k++)
        if (cat(x, k, C_ROLE) && ends_ta_marbuta(x, k) != verb_fem)
            return 0;
    return 1;
}

/* For each entity, the index of the fullest mention with the same key. */
static int fullest_mentions(QCtx *x)
{
    const EntityList *l = x->ents;
    size_t cap = 16;
    while (cap < l->n * 2)
        cap *= 2;
    int32_t *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < cap; i++)
        slot[i] = -1;
    const char *keys = l->keys.data ? l->keys.data : "";
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < l->n; i++) {
            const Entity *e = &l->items[i];
            size_t h = (size_t)rasd_hash(keys + e->key_off, e->key_len) & (cap - 1);
            for (;; h = (h + 1) & (cap - 1)) {
                x->out->work++;
                int32_t s = slot[h];
                if (s < 0) {
                    slot[h] = (int32_t)i;
                    x->best[i] = (int32_t)i;
                    break;
                }
                const Entity *o = &l->items[s];
                if (o->key_len == e->key_len && o->type == e->type &&
                    memcmp(keys + o->key_off, keys + e->key_off, e->key_len) == 0) {
                    if (pass == 0 && mention_better(x, i, (size_t)s))
                        slot[h] = (int32_t)i;
                    x->best[i] = slot[h];
                    break;
                }
            }
        }
    }
    free(slot);
    return 0;
}

/*
 * One identity per speaker within an article: a person named by one word
 * (المالكي، الصوينع، جوش) whose key is the last or the first word of
 * exactly one fuller speaker's key (نوري المالكي، جوش إرنست) is that
 * speaker: same key, same name. At
 * most 64 distinct fuller keys are compared, so the work stays linear.
 */
static void unify_surnames(const char *text, QuoteList *l)
{
    enum { FULL_MAX = 64 };
    size_t full[FULL_MAX], nf = 0;
    const char *keys = l->keys.data;
    if (!keys)
        return;
    for (size_t i = 0; i < l->n && nf < FULL_MAX; i++) {
        const Quote *q = &l->items[i];
        l->work++;
        if (!q->key_len || q->kind == QS_INSTITUTION || q->kind == QS_ANONYMOUS ||
            !memchr(keys + q->key_off, ' ', q->key_len))
            continue;
        size_t j = 0;
        while (j < nf && !(l->items[full[j]].key_len == q->key_len &&
                           memcmp(keys + l->items[full[j]].key_off, keys + q->key_off, q->key_len) == 0))
            j++;
        if (j == nf)
            full[nf++] = i;
    }
    Buf said = {0};
    for (size_t i = 0; i < l->n; i++) {
        Quote *q = &l->items[i];
        if (q->kind == QS_INSTITUTION || q->kind == QS_ANONYMOUS)
            continue;
        /* the one word at the cue (وأضاف الصوينع), else the one-word key */
        const char *w = NULL;
        size_t wn = 0;
        said.len = 0;
        if (q->said_start < q->said_end && q->kind != QS_IMPLICIT &&
            !memchr(text + q->said_start, ' ', q->said_end - q->said_start) &&
            names_key(text + q->said_start, q->said_end - q->said_start, &said) == 0 && said.len &&
            !memchr(said.data, ' ', said.len)) {
            w = said.data;
            wn = said.len;
        } else if (q->key_len && !memchr(keys + q->key_off, ' ', q->key_len)) {
            w = keys + q->key_off;
            wn = q->key_len;
        }
        if (!wn)
            continue;
        int64_t hit = -1;
        for (size_t j = 0; j < nf; j++) {
            l->work++;
            const Quote *f = &l->items[full[j]];
            const char *fk = keys + f->key_off;
            if (full[j] == i || f->key_len <= wn + 1)
                continue;
            /* the family name (المالكي), or a first name alone (جوش for جوش إرنست) */
            int last = fk[f->key_len - wn - 1] == ' ' && memcmp(fk + f->key_len - wn, w, wn) == 0;
            int first = fk[wn] == ' ' && memcmp(fk, w, wn) == 0;
            if (!last && !first)
                continue;
            if (hit >= 0) {
                hit = -2; /* two people of that surname: leave it */
                break;
            }
            hit = (int64_t)full[j];
        }
        if (hit < 0)
            continue;
        const Quote *f = &l->items[hit];
        q->key_off = f->key_off;
        q->key_len = f->key_len;
        q->spk_start = f->spk_start;
        q->spk_end = f->spk_end;
        q->resolved = 1;
    }
    buf_free(&said);
}

void quotes_free(QuoteList *l)
{
    free(l->items);
    buf_free(&l->keys);
    memset(l, 0, sizeof *l);
}

rasd_err quotes_find(const rasd_doc *d, const EntityList *ents, QuoteList *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    pthread_once(&qlex_once, qlex_build);
    if (qlex_failed)
        return rasd_fail(err, RASD_ENOMEM, "quotes: the cue lexicon could not be built");
    if (lex_init() < 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    QCtx x = {0};
    x.d = d;
    x.text = rasd_doc_text(d, NULL);
    x.tok = rasd_doc_tokens(d);
    x.n = rasd_doc_ntokens(d);
    x.ents = ents && ents->n ? ents : NULL;
    x.out = out;
    x.last_pers = -1;
    x.last_subj = -1;
    size_t n = x.n ? x.n : 1, ne = x.ents ? x.ents->n : 1;
    x.ti = calloc(n, sizeof *x.ti);
    x.ent_of = malloc(n * sizeof *x.ent_of);
    x.qst = calloc(n, 1);
    x.qend = malloc(n * sizeof *x.qend);
    x.chain = malloc(n * sizeof *x.chain);
    x.sb = malloc(n * sizeof *x.sb);
    x.ent_first = malloc(ne * sizeof *x.ent_first);
    x.ent_last = malloc(ne * sizeof *x.ent_last);
    x.best = malloc(ne * sizeof *x.best);
    x.role_of = malloc(n * sizeof *x.role_of);
    rasd_err e = RASD_OK;
    if (!x.ti || !x.ent_of || !x.qst || !x.qend || !x.chain || !x.sb || !x.ent_first ||
        !x.ent_last || !x.best || !x.role_of) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    /* pass 1: token classes, sentence starts, the tokens of each entity */
    for (size_t i = 0; i < x.n; i++) {
        out->work++;
        classify_token(&x.tok[i], &x.ti[i]);
        fix_punct(&x, i);
        x.qend[i] = -1;
        x.chain[i] = -1;
        x.sb[i] = (uint32_t)(breaks_before(&x, i) ? i : x.sb[i - 1]);
        x.ent_of[i] = -1;
        x.role_of[i] = -1;
    }
    if (x.ents) /* roles are in text order and do not overlap much: linear */
        for (size_t r = 0; r < x.ents->roles.n; r++) {
            const Role *ro = &x.ents->roles.items[r];
            for (size_t k = ro->first; k <= ro->last && k < x.n; k++) {
                out->work++;
                if (x.role_of[k] < 0)
                    x.role_of[k] = (int32_t)r;
            }
        }
    if (x.ents) {
        /* entities and tokens are both in text order: one merge */
        size_t i = 0;
        for (size_t k = 0; k < x.ents->n; k++) {
            const Entity *en = &x.ents->items[k];
            while (i < x.n && x.tok[i].start < en->start) {
                out->work++;
                i++;
            }
            size_t first = i < x.n ? i : (x.n ? x.n - 1 : 0), last = first;
            for (size_t j = i; j < x.n && x.tok[j].end <= en->end; j++) {
                out->work++;
                if (x.ent_of[j] < 0)
                    x.ent_of[j] = (int32_t)k;
                x.ti[j].bits &= (uint16_t)~T_VERB; /* نجران is a place, not a verb */
                if (x.ents->items[k].type == NER_PERS) /* فان جال is a name, not فإن */
                    x.ti[j].bits &= (uint16_t)~(T_COMP | T_COMPF | T_COMPW | T_PREPW | T_WAW);
                last = j;
            }
            x.ent_first[k] = (uint32_t)first;
            x.ent_last[k] = (uint32_t)last;
        }
        if (fullest_mentions(&x) < 0) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            goto done;
        }
    }
    /* سي إن إن (CNN) is a name: its إن are no complementisers */
    for (size_t i = 0; i + 1 < x.n; i++)
        if (keq(&x.tok[i], "\xD8\xB3\xD9\x8A") && has(&x, i + 1, T_COMP) &&
            x.tok[i + 1].key_len == 4) {
            x.ti[i + 1].bits &= (uint16_t)~T_COMP;
            if (has(&x, i + 2, T_COMP) && x.tok[i + 2].key_len == 4)
                x.ti[i + 2].bits &= (uint16_t)~T_COMP;
        }
    /* pass 2: quote marks */
    pair_quotes(&x);
    /* pass 3: cues, free quotes and attributions, left to right */
    int rc = 0;
    size_t resume = 0;
    for (size_t i = 0; i < x.n && rc == 0; i++) {
        out->work++;
        if (x.ent_of[i] >= 0 && x.ents->items[x.ent_of[i]].type == NER_PERS &&
            !named_after(&x, x.ent_of[i]))
            x.last_pers = x.ent_of[i];
        note_head(&x, i);
        if (i < resume)
            continue;
        if (i == x.sb[i])
            sentence_subject(&x, i);
        if (x.last_pers >= 0 && x.ent_first[x.last_pers] == i && i - x.sb[i] <= 4 &&
            opens_as_subject(&x, i) && !topic_before(&x, i)) {
            x.last_subj = x.last_pers;
            x.last_subj_tok = (uint32_t)i;
        }
        size_t r = i;
        if (is_opener(&x, i) && !(x.qst[i] & Q_USED))
            r = handle_free_quote(&x, i, &rc);
        else if (cat(&x, i, C_VIA) && !has(&x, i, T_LPREP) &&
                 (breaks_before(&x, i) || has(&x, i - 1, T_COMMA) || has(&x, i, T_WAW)))
            r = handle_via_intro(&x, i, &rc);
        else if (is_cue(&x, i))
            r = handle_cue(&x, i, &rc);
        if (r > i + 1)
            resume = r;
    }
    if (rc < 0 || out->keys.oom) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    unify_surnames(x.text, out);
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, cmp_quote);
done:
    if (e != RASD_OK)
        quotes_free(out);
    free(x.ti);
    free(x.ent_of);
    free(x.qst);
    free(x.qend);
    free(x.chain);
    free(x.sb);
    free(x.ent_first);
    free(x.ent_last);
    free(x.best);
    free(x.role_of);
    return e;
}

/* ======================================================================
 * Output
 * ==================================================================== */

const char *quotes_kind_name(int kind)
{
    static const char *const names[] = {"unknown", "person", "role", "institution", "anonymous",
                                        "implicit"};
    return kind >= 0 && kind <= QS_IMPLICIT ? names[kind] : "unknown";
}

/* A span's bytes, or an empty span when it is not a proper one. */
static void json_span(Buf *out, const rasd_doc *d, uint32_t a, uint32_t b)
{
    size_t n;
    const char *text = rasd_doc_text(d, &n);
    if (a > b || b > n)
        a = b = 0;
    buf_put_json_string(out, text + a, b - a);
}

static void put_span(Buf *out, const char *text, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++) /* one line: breaks inside a quote become spaces */
        buf_putc(out, text[i] == '\n' || text[i] == '\r' ? ' ' : text[i]);
}

void quotes_format_lines(const rasd_doc *d, const QuoteList *l, Buf *out)
{
    const char *text = rasd_doc_text(d, NULL);
    if (l->n == 0) {
        buf_puts(out, "(none)");
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        const Quote *q = &l->items[i];
        if (i)
            buf_putc(out, '\n');
        buf_puts(out, q->direct ? "direct | " : "indirect | ");
        int said = q->said_start < q->said_end;
        int name = q->spk_start < q->spk_end;
        if (said)
            put_span(out, text, q->said_start, q->said_end);
        if (name && (!said || q->spk_start != q->said_start || q->spk_end != q->said_end)) {
            buf_puts(out, said ? " → " : "→ ");
            put_span(out, text, q->spk_start, q->spk_end);
        }
        if (!said && !name)
            buf_puts(out, "?");
        buf_printf(out, " (%s) | ", quotes_kind_name(q->kind));
        if (q->cue_start < q->cue_end)
            put_span(out, text, q->cue_start, q->cue_end);
        else
            buf_putc(out, '-');
        buf_puts(out, " | ");
        put_span(out, text, q->start, q->end);
        buf_puts(out, " | ");
        if (q->via_start < q->via_end)
            put_span(out, text, q->via_start, q->via_end);
        else
            buf_putc(out, '-');
    }
}

void quotes_format_json_one(const rasd_doc *d, const QuoteList *l, const Quote *q, Buf *out)
{
    buf_puts(out, "{\"speaker\":");
    json_span(out, d, q->spk_start, q->spk_end);
    if (q->key_len && l->keys.data) {
        buf_puts(out, ",\"speaker_key\":");
        buf_put_json_string(out, l->keys.data + q->key_off, q->key_len);
    }
    buf_printf(out, ",\"kind\":\"%s\"", quotes_kind_name(q->kind));
    if (q->said_start < q->said_end &&
        (q->said_start != q->spk_start || q->said_end != q->spk_end)) {
        buf_puts(out, ",\"said\":");
        json_span(out, d, q->said_start, q->said_end);
    }
    buf_puts(out, ",\"cue\":");
    if (q->cue_start < q->cue_end)
        json_span(out, d, q->cue_start, q->cue_end);
    else
        buf_puts(out, "null");
    buf_puts(out, ",\"text\":");
    json_span(out, d, q->start, q->end);
    buf_printf(out, ",\"direct\":%s", q->direct ? "true" : "false");
    if (q->via_start < q->via_end) {
        buf_puts(out, ",\"via\":");
        json_span(out, d, q->via_start, q->via_end);
    }
    buf_printf(out, ",\"start\":%u,\"end\":%u}", q->start, q->end);
}

void quotes_format_json(const rasd_doc *d, const QuoteList *l, Buf *out)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            buf_putc(out, ',');
        quotes_format_json_one(d, l, &l->items[i], out);
    }
    buf_putc(out, ']');
}
