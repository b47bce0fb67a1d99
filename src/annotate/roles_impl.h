/*
 * roles_impl.h — what the three parts of the role finder share and nobody
 * else needs: the office lexicon's table and the token tests
 * (roles_lexicon.c), the phrase grammar's types and entry points (roles.c),
 * and their user, the finding, attaching and linking of roles_link.c.
 */
#ifndef RASD_ROLES_IMPL_H
#define RASD_ROLES_IMPL_H

#include "roles.h"
#include "analyze.h"
#include "../text/text.h"

enum {
    RC_NONE = 0, RC_HEAD, RC_PRE, RC_DEPT, RC_POLITY, RC_BODY, RC_MOD, RC_HON, RC_STOP,
    RC_COMPAT, RC_ADJ, RC_PLACE, RC_NCATS
};

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

typedef struct RolesLex {
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
} RolesLex;
extern RolesLex roles_lex; /* the table, built once (roles_lex_ready) */

#define AR_ALEF_LAM "\xD8\xA7\xD9\x84" /* ال */
#define AR_LAM_LAM "\xD9\x84\xD9\x84"  /* لل = ل + ال */

#define STR_CAP 200 /* bytes of one part of an office key; longer is cut */

typedef struct Str {
    char s[STR_CAP]; /* bytes, not NUL-terminated */
    uint16_t n;      /* bytes used */
} Str;

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
    int *oom;              /* set to 1 when a key could not be built whole, or NULL */
} Ctx;

/* roles_lexicon.c: the table (built once; 0 if it could not be) and the token tests */
int roles_word_tok(const rasd_token *t);
int roles_lex_ready(void);
const RLex *roles_lex_get(int cat, const char *p, size_t n);
const char *roles_tform(const rasd_token *t, size_t *n);
int roles_form_is(const rasd_token *t, const char *w);
int roles_has_article(const rasd_token *t);
int roles_has_conj(const rasd_token *t);
int roles_has_prep_l(const rasd_token *t);
int roles_has_prep_b(const rasd_token *t);
int roles_has_other_clitic(const rasd_token *t);
int roles_is_punct(const rasd_token *t, const char *p);
int roles_is_comma(const rasd_token *t);

/* roles.c: the phrase grammar */
int roles_ent_at(const Ctx *c, uint32_t k);
int roles_ent_starts(const Ctx *c, uint32_t k);
uint32_t roles_ent_last_tok(const Ctx *c, int e, uint32_t k);
const RLex *roles_match(const Ctx *c, int cat, uint32_t k, uint32_t lim, int *ntok);
int roles_parse_phrase(const Ctx *c, uint32_t k, uint32_t lim, Phrase *p);
void roles_office_key(const Office *o, Buf *out);
int roles_span_eq(const char *a, size_t an, const char *b, size_t bn);
int roles_key_within(const char *a, size_t an, const char *b, size_t bn);

#endif
