/*
 * text.h — the text core: raw bytes to normalised tokens, stems and
 * sentences. Every later stage reads text through this header.
 *
 * Pipeline inside rasd_text_analyse():
 *   utf8_clean   validate, replace bad sequences by U+FFFD, NUL by space
 *   tokenise     one pass over code points using the character table
 *                (class + matching fold of every BMP code point)
 *   seg_stem     clitic segmentation guarded by a lexicon, then Snowball
 *   sentences    split on . ! ? ؟ … and line breaks, quote-aware
 */
#ifndef RASD_TEXT_H
#define RASD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "../util/util.h"

typedef rasd_token Token;
typedef rasd_sentence Sentence;

/* ---- character table (chars.c) ---- */
enum CharClass {
    CL_OTHER = 0, /* unassigned / private use: a one-character token */
    CL_SPACE,     /* white space and control characters */
    CL_NEWLINE,   /* \n, U+2028, U+2029 */
    CL_IGNORE,    /* tashkeel, tatweel, bidi marks, ZWJ/ZWNJ, soft hyphen: dropped */
    CL_MARK,      /* other combining marks: kept in display, dropped in keys */
    CL_AR,        /* Arabic-script letter */
    CL_LETTER,    /* letter of any other script */
    CL_DIGIT,     /* decimal digit of any script */
    CL_DECSEP,    /* ٫ ٬ (Arabic decimal and thousands separators) */
    CL_HYPHEN,    /* - U+2010 U+2011 */
    CL_QUOTE,     /* quote marks */
    CL_SENT,      /* . ! ? ؟ … */
    CL_PUNCT,     /* other punctuation */
    CL_SYMBOL     /* symbols, emoji */
};

/* Decodes one code point of valid UTF-8 at s[*i], advancing *i (never past n). */
uint32_t utf8_next(const char *s, size_t n, size_t *i);
/* Encodes cp into out (4 bytes room); returns bytes written. */
int utf8_put(uint32_t cp, char *out);

/*
 * Copies untrusted bytes into out as valid UTF-8: a BOM at the start is
 * dropped, invalid or overlong sequences and encoded surrogates become
 * U+FFFD (one per maximal bad subpart, as Unicode recommends), NUL becomes
 * a space. Returns the number of replacements.
 */
size_t utf8_clean(const char *s, size_t n, Buf *out);

void chars_init(void); /* idempotent and thread-safe; called by rasd_text_new */
int char_class(uint32_t cp);
/* Matching fold of cp: *len bytes of UTF-8 (may be 0: the character is dropped). */
const char *char_fold(uint32_t cp, size_t *len, char tmp[64]);

/* ---- lexicons (lexicon.c) ---- */
int lex_is_stop(const char *key, size_t n);     /* stopword (key form) */
/* A whole word that only looks like clitic + word; ta_marbuta: the word's
   final ه was written ة (protects كتابة but not كتابه). */
int lex_is_protected(const char *key, size_t n, int ta_marbuta);
int lex_is_verb(const char *key, size_t n);     /* imperfect verb form (يقول) */
int lex_init(void); /* 0 ok, -1 out of memory; thread-safe, idempotent */

/* ---- outlets (outlets.c) ---- */
/* The display name rasd knows for an outlet identifier or web host
   ("aawsat", "www.aawsat.com" → الشرق الأوسط), or NULL. */
const char *outlet_known_name(const char *outlet);
/* Calls fn for every known identifier and its name until fn returns
   non-zero (then returns 1). */
int outlet_each_known(int (*fn)(void *ctx, const char *outlet, const char *name), void *ctx);

/* ---- clitics + stemming (stem.c) ---- */
typedef struct Stemmer Stemmer;
Stemmer *stemmer_new(void);
void stemmer_free(Stemmer *s);
typedef struct Seg {
    uint8_t pre_len;  /* bytes of proclitics at the start of the key */
    uint8_t suf_len;  /* bytes of enclitics at the end */
    uint8_t protected_word; /* the word (or its remainder) is in the lexicon */
} Seg;
/*
 * Segments an Arabic key (matching form); ends_ta_marbuta says the last
 * letter was ة before folding (so a final ه is not a pronoun).
 */
Seg seg_clitics(const char *key, size_t n, int ends_ta_marbuta);
/*
 * Stem of the remainder key[pre_len .. n-suf_len) (a protected word is its
 * own stem); pointer valid until the next call.
 */
const char *stem_key(Stemmer *s, const char *rem, size_t n, int protected_word,
                     size_t *out_len);
/* Everything the tokeniser needs of an Arabic word, cached per Stemmer. */
typedef struct WordInfo {
    uint8_t pre_len, suf_len; /* clitic bytes at the start / end of the key */
    uint16_t flags;           /* RASD_TF_STOP, RASD_TF_LEX */
    const char *stem;         /* stem key; valid until the next call */
    size_t stem_len;          /* bytes in stem */
} WordInfo;
void analyse_word(Stemmer *s, const char *key, size_t n, int ends_ta_marbuta, WordInfo *out);

/* ---- tokens and sentences ---- */
struct rasd_text {
    Stemmer *stemmer; /* Snowball + stem cache */
};

struct rasd_doc {
    char *text;          /* cleaned UTF-8, NUL-terminated, owned */
    size_t text_len;     /* bytes in text */
    size_t invalid;      /* replacements made by utf8_clean */
    Token *tokens;       /* owned array */
    size_t ntokens, cap_tokens;
    Sentence *sentences; /* owned array */
    size_t nsentences, cap_sentences;
    Arena arena;         /* keys and stems of the tokens */
};

/* How many times rasd_text_analyse ran in this process (the view tests
   check that reading a brief does not move it). */
uint64_t text_analyse_calls(void);

int tokenise(rasd_text *t, rasd_doc *d);  /* 0 ok, -1 out of memory */
int split_sentences(rasd_doc *d);         /* 0 ok, -1 out of memory */

/*
 * Is the ب or ك the clitic rule split off token i part of the word, by the
 * article's evidence? 1 when i's proclitics end in ب or ك (ب, وب, فك …),
 * what is left (three letters or more, not itself starting with that
 * letter) is not a lexicon word, and no token of d writes that rest without
 * the same letter before it: a transliterated name whose first letter the
 * rule took for a preposition (بولوني, not ب + ولوني; بدرو, بيكاسو; كيربي,
 * not ك + يربي). "التقى بكيري" in an article that also says كيري keeps its
 * split. Callers that know the word is a name (a person's span) use it; the
 * token itself is not changed.
 */
int text_clitic_in_word(const rasd_doc *d, size_t i);
/* The spelling a reader is shown of a name written s (n bytes): the display
   normalisation (NFKC; no tashkeel, tatweel or invisible marks) with the
   Persian letter forms ی ک as Arabic ي ك. When that differs from s, appends
   it with its NUL to out and returns 1; 0 when s is already in that form
   (out untouched); -1 out of memory. */
int text_spelling_form(const char *s, size_t n, Buf *out);

/* Debug rendering used by `rasd tokens` and the golden tests. */
void text_format_tokens(const rasd_doc *d, Buf *out);       /* one line: key/TYPE ... */
void text_format_segments(const rasd_doc *d, Buf *out);     /* pre+rem+suf=stem ... */
void text_format_sentences(const rasd_doc *d, Buf *out);    /* one sentence a line */
void text_format_json(const rasd_doc *d, Buf *out);         /* tokens + sentences */
const char *text_type_name(int type);

#endif
