/*
 * quotes_int.h — what the parts of the quotation finder share (quotes.c,
 * quotes_content.c, quotes_lex.c, quotes_speakers.c, quotes_phrases.c, quotes_segment.c,
 * quotes_format.c): the lexicon categories, the token classes, the
 * per-document context and its small accessors. Private to src/annotate/quotes*.c; the public interface is
 * quotes.h.
 */
#ifndef RASD_QUOTES_INT_H
#define RASD_QUOTES_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "quotes.h"
#include "names.h"
#include "ner.h"
#include "../text/text.h"

#define QUOTE_WINDOW 40 /* tokens a cue looks ahead for its content */
#define NP_MAX 8        /* tokens in a speaker or channel phrase */
#define STACK_MAX 8     /* nested open quote marks */
#define CHAIN_MAX 16    /* paragraphs one continued quote may span */
#define EVENTS 16       /* recent speakers kept for implicit subjects */
#define ROLE_LOOKBACK 64/* person entities role_resolve looks back over */
#define NAME_LOOKBACK 512 /* tokens looked at either side for the same name written again */
#define HEADS 64        /* slots of the table of recent institution mentions */

/* ======================================================================
 * Lexicon
 * ==================================================================== */

enum {
    C_CUE = 1 << 0, C_RELAY = 1 << 1, C_COMP = 1 << 2, C_PREP = 1 << 3, C_BLOCK = 1 << 4,
    C_ROLE = 1 << 5, C_INST = 1 << 6, C_ANON = 1 << 7, C_CHANNEL = 1 << 8, C_VIA = 1 << 9,
    C_VENUE = 1 << 10, C_VPREP = 1 << 11, C_ADV = 1 << 12, C_LEARN = 1 << 13,
    C_GIVEN = 1 << 14 /* a given name (its gender in F_NAME_FEM); never in TInfo.cats */
};

/* Cue form tags (the letters after "/" in the lexicon). */
enum { F_FEM = 1, F_PLUR = 2, F_IMPF = 4, F_PART = 8, F_INTRO = 16, F_AMBIG = 32,
       F_NAME_FEM = 64 /* a woman's given name ("given" lines, /f) */ };

typedef struct QEntry {
    uint32_t off, len; /* key in qlex.pool, bytes */
    uint16_t cats;     /* C_* */
    uint8_t flags;     /* F_* of the cue form */
} QEntry;

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

static inline int keq(const rasd_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->key_len == n && memcmp(t->key, s, n) == 0;
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
    uint8_t relative;         /* the subject of a relative clause (indefinite_relative):
                                 not what later cues with no subject fall back on */
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

static inline int is_word(const QCtx *x, size_t i) { return i < x->n && (x->ti[i].bits & T_WORD); }
static inline int has(const QCtx *x, size_t i, uint16_t bits) { return i < x->n && (x->ti[i].bits & bits); }
static inline int cat(const QCtx *x, size_t i, uint16_t cats) { return i < x->n && (x->ti[i].cats & cats); }
static inline int is_opener(const QCtx *x, size_t i) { return i < x->n && (x->qst[i] & Q_OPEN); }
static inline int newline_before(const QCtx *x, size_t i)
{
    return i < x->n && (x->tok[i].flags & (RASD_TF_NEWLINE | RASD_TF_PARAGRAPH));
}
/* Does a sentence boundary fall between tokens i-1 and i? */
static inline int breaks_before(const QCtx *x, size_t i)
{
    return i == 0 || i >= x->n || newline_before(x, i) || has(x, i - 1, T_SENT);
}
/* A cue that can head a reported clause here (ambiguous ones need their frame). */
static inline int is_cue(const QCtx *x, size_t i) { return cat(x, i, C_CUE | C_RELAY | C_LEARN); }
static inline int is_strong_cue(const QCtx *x, size_t i)
{
    return is_cue(x, i) && !(x->ti[i].cue & F_AMBIG);
}
/* Token after the words of the quote opened at o, and after its closing mark. */
static inline size_t quote_after(const QCtx *x, size_t o)
{
    size_t e = (size_t)x->qend[o];
    return (x->qst[o] & Q_CLOSED) ? e + 1 : e;
}


/* Is key w (n bytes) the first or the last words of the longer key f (fn
   bytes)? (نوري المالكي for المالكي، جوش إرنست for جوش) */
static inline int key_part(const char *w, size_t n, const char *f, size_t fn)
{
    if (fn <= n + 1)
        return 0;
    return (memcmp(f, w, n) == 0 && f[n] == ' ') ||
           (memcmp(f + fn - n, w, n) == 0 && f[fn - n - 1] == ' ');
}

/* The first of the n tokens t that ends after byte a (n if none). */
static inline size_t token_ending_after(const rasd_token *t, size_t n, uint32_t a)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].end <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Gives q the speaker named at bytes [ns,ne) with the key at key_off. */
static inline void quote_take_name(Quote *q, uint32_t key_off, uint32_t key_len, uint32_t ns,
                                   uint32_t ne)
{
    q->key_off = key_off;
    q->key_len = key_len;
    q->spk_start = ns;
    q->spk_end = ne;
    q->resolved = 1;
}

/* Where a cue's content starts (quotes_content.c find_content). */
enum { CT_NONE = 0, CT_COMP, CT_COLON, CT_QUOTE, CT_INTRO };

typedef struct Content {
    int type;   /* CT_* */
    size_t at;  /* the complementiser, colon, opening mark or intro word */
    size_t end; /* where the cue's segment scan stopped (CT_NONE) */
} Content;

/* Shared between the files of the finder (defined in the file named). */
/* quotes_lex.c */
int qlex_ready(void);
/* quotes_lex.c */
QEntry *qlex_find(const char *k, size_t n);
/* The gender a listed given name at token i tells: G_M, G_F, else G_ANY. */
int given_gender(const QCtx *x, size_t i);
/* The gender the first name of a speaker tells (past up to three titles at
   the start of tokens [a,b)): G_M, G_F, else G_ANY. */
int name_gender(const QCtx *x, size_t a, size_t b);
/* The gender the listed first name of person entity e tells (its fullest
   mention, widened as quotes_speakers.c widens names), else G_ANY. */
int ent_name_gender(QCtx *x, int32_t e);
/* The gender speaker s's listed first name tells (name_gender), else G_ANY. */
int spk_name_gender(QCtx *x, const Spk *s);
/* Would a feminine cue (g) go to a man (ng, name_gender)? The other way
   round is left to quotes_choose, which knows whether the cue marks its
   gender at all (بالقول does not). */
int fem_to_man(int g, int ng);
int is_pronoun(const char *s, size_t n);
void classify_token(const rasd_token *t, TInfo *ti);
/* quotes_speakers.c */
void spk_key(QCtx *x, Spk *s, size_t a, size_t b);
void tokens_key(const QCtx *x, size_t a, size_t b, int person, Buf *out);
uint32_t name_start(const QCtx *x, size_t i, int kind);
void spk_name(QCtx *x, Spk *s);
size_t bare(const QCtx *x, size_t i, const char **out);
int bare_eq(const QCtx *x, size_t i, size_t j);
int bare_in(const QCtx *x, size_t i, const char *const *w, size_t n);
int time_word(const QCtx *x, size_t i);
int byline(const QCtx *x, int32_t e);
int glued_title(const QCtx *x, size_t i);
int honorific_pronoun(const QCtx *x, size_t i);
int32_t honorific_holder(QCtx *x, int h, size_t at);
int named_after(const QCtx *x, int32_t e);
int is_kana(const QCtx *x, size_t i);
int ends_ta_marbuta(const QCtx *x, size_t i);
int32_t role_holder(QCtx *x, size_t h, size_t e);
void push_event(QCtx *x, const Spk *s, size_t cue, size_t end);
const Event *recent(const QCtx *x, int g, size_t min_tok);
int first_name_before(const QCtx *x, size_t i);
void spk_from_entity(QCtx *x, Spk *s, int32_t e, int kind);
int sentence_subject_of(QCtx *x, size_t at, const Event *e, int g, Spk *s);
void spk_as_implicit(Spk *s, const Spk *from);
void implicit_speaker(QCtx *x, int g, size_t at, Spk *s);
/* quotes_phrases.c */
int nationality_adj(const QCtx *x, size_t i);
size_t via_phrase(QCtx *x, size_t k, size_t limit);
int nisba_ending(const QCtx *x, size_t i);
int sound_plural(const QCtx *x, size_t i);
int entity_kind(const QCtx *x, int32_t e);
void note_head(QCtx *x, size_t i);
void spk_from_np(QCtx *x, Spk *s, size_t h, size_t e, int gender);
int name_word(const QCtx *x, size_t i, int first);
void spk_from_name(QCtx *x, Spk *s, size_t a, size_t b, int gender);
size_t np_extent(QCtx *x, size_t h, size_t limit);
int32_t surname_resolve(QCtx *x, size_t h);
int speaker_head(const QCtx *x, size_t i);
int pron_first_name(const QCtx *x, size_t i);
int name_after_title(QCtx *x, size_t k, size_t e, size_t b, size_t *na, size_t *nb);
size_t mention_end(QCtx *x, size_t j);
size_t given_name_in(const QCtx *x, size_t a, size_t e);
/* quotes_segment.c */
int read_segment(QCtx *x, size_t a, size_t b, int gender, Spk *s, uint32_t *va,
                 uint32_t *vb, size_t *stray);
/* quotes_subjects.c */
int opener_particle(const QCtx *x, size_t i);
int topic_before(const QCtx *x, size_t i);
int subject_before(QCtx *x, size_t c, int gender, Spk *s);
void sentence_subject(QCtx *x, size_t sb);
int misread_verb(const QCtx *x, size_t k);
/* quotes_content.c */
int blocked(const QCtx *x, size_t j);
Content find_content(QCtx *x, size_t from, size_t limit);
int contrast_clause(const QCtx *x, size_t i);
size_t clause_end(QCtx *x, size_t from, uint32_t *va, uint32_t *vb);
size_t sentence_end(QCtx *x, size_t from);
/* quotes_marks.c */
void pair_quotes(QCtx *x);
/* quotes_names.c */
void complete_names(QCtx *x);
/* quotes_choose.c */
void quotes_choose(QCtx *x, const QuoteChooser *m, QuoteCands *out);

#endif
