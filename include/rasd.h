/*
 * rasd.h — the public C API of rasd (رصد), an engine for monitoring Arabic
 * news across outlets.
 *
 * The library never prints, never exits and never reads the environment.
 * Every fallible call returns a rasd_err; when it is not RASD_OK and the
 * caller passed a rasd_error, that holds one sentence saying what failed.
 *
 * Threads: a rasd_text holds a stemmer and caches and must be used by one
 * thread at a time; create one per thread. Everything else is re-entrant.
 */
#ifndef RASD_H
#define RASD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RASD_VERSION "0.2.0"

/* Exported from librasd.so; everything else in the library is hidden. */
#if defined(__GNUC__)
#define RASD_API __attribute__((visibility("default")))
#else
#define RASD_API
#endif

typedef enum rasd_err {
    RASD_OK = 0,
    RASD_ENOMEM,   /* out of memory */
    RASD_EINVAL,   /* bad argument from the caller */
    RASD_EIO,      /* a file or stream could not be read or written */
    RASD_EFORMAT,  /* input is not in a format rasd understands */
    RASD_ETOOBIG,  /* input is larger than the configured limit */
    RASD_EDB,      /* the store failed */
    RASD_ENOTFOUND /* the thing asked for does not exist */
} rasd_err;

/* What went wrong, in one sentence naming the file, line or field. */
typedef struct rasd_error {
    rasd_err code;  /* same as the returned code */
    char msg[512];  /* NUL-terminated English sentence */
} rasd_error;

RASD_API const char *rasd_strerror(rasd_err code); /* static string, never NULL */

/* ---- text core -------------------------------------------------------- */

typedef struct rasd_text rasd_text; /* stemmer, caches: one per thread */
typedef struct rasd_doc rasd_doc;   /* one analysed text: tokens, sentences */

/* Token types. */
enum {
    RASD_TOK_ARABIC = 1, /* Arabic-script word */
    RASD_TOK_LATIN,      /* word in any other script (Latin, Cyrillic ...) */
    RASD_TOK_NUMBER,     /* 3, 3.5, ٣٫٥, 1,000, 31st */
    RASD_TOK_PUNCT,      /* punctuation, quote marks, symbols */
    RASD_TOK_URL,
    RASD_TOK_EMAIL,
    RASD_TOK_HASHTAG,    /* #word */
    RASD_TOK_MENTION     /* @user */
};

/* Token flags (bit set). */
enum {
    RASD_TF_STOP = 1 << 0,        /* stopword */
    RASD_TF_HYPHEN_NEXT = 1 << 1, /* joined to the next token by a hyphen */
    RASD_TF_QUOTE_OPEN = 1 << 2,  /* « “ „ ‹ ‘ */
    RASD_TF_QUOTE_CLOSE = 1 << 3, /* » ” › ’ */
    RASD_TF_QUOTE_AMBIG = 1 << 4, /* " ' : opens or closes by position */
    RASD_TF_SENT_END = 1 << 5,    /* . ! ? ؟ … (may still not end a sentence) */
    RASD_TF_NEWLINE = 1 << 6,     /* a line break comes before this token */
    RASD_TF_PARAGRAPH = 1 << 7,   /* a blank line comes before this token */
    RASD_TF_ORDINAL = 1 << 8,     /* number with st/nd/rd/th */
    RASD_TF_LEX = 1 << 9          /* word found in the protected lexicon */
};

typedef struct rasd_token {
    uint32_t start, end;  /* byte offsets into rasd_doc_text(), [start,end) */
    const char *key;      /* matching form (full normalisation), NUL-terminated */
    const char *stem;     /* stem key: clitics stripped, then Snowball; NUL-terminated */
    uint32_t key_len;     /* bytes in key */
    uint32_t stem_len;    /* bytes in stem */
    uint16_t type;        /* RASD_TOK_* */
    uint16_t flags;       /* RASD_TF_* */
    uint8_t pre_len;      /* bytes at the start of key that are proclitics */
    uint8_t suf_len;      /* bytes at the end of key that are enclitics */
} rasd_token;

typedef struct rasd_sentence {
    uint32_t start, end;         /* byte offsets into rasd_doc_text(), [start,end) */
    uint32_t tok_begin, tok_end; /* token indexes, [tok_begin,tok_end) */
} rasd_sentence;

/* Creates a text context. *out is owned by the caller: rasd_text_free. */
RASD_API rasd_err rasd_text_new(rasd_text **out, rasd_error *err);
RASD_API void rasd_text_free(rasd_text *t);

/*
 * Analyses len bytes of untrusted input: validates UTF-8 (invalid sequences
 * become U+FFFD, NUL becomes a space), tokenises, segments clitics, stems
 * and splits sentences. *out is owned by the caller: rasd_doc_free.
 */
RASD_API rasd_err rasd_text_analyse(rasd_text *t, const char *bytes, size_t len,
                           rasd_doc **out, rasd_error *err);
RASD_API void rasd_doc_free(rasd_doc *d);

RASD_API const char *rasd_doc_text(const rasd_doc *d, size_t *len); /* cleaned UTF-8 */
RASD_API size_t rasd_doc_invalid(const rasd_doc *d);  /* bytes sequences replaced by U+FFFD */
RASD_API size_t rasd_doc_ntokens(const rasd_doc *d);
RASD_API const rasd_token *rasd_doc_tokens(const rasd_doc *d);
RASD_API size_t rasd_doc_nsentences(const rasd_doc *d);
RASD_API const rasd_sentence *rasd_doc_sentences(const rasd_doc *d);

/* Normalisation levels. */
enum {
    RASD_NORM_DISPLAY = 1, /* NFKC; tashkeel, tatweel, bidi marks, ZWJ/ZWNJ removed */
    RASD_NORM_KEY = 2      /* DISPLAY + casefold, marks stripped, Arabic letter
                              folding (أإآٱ→ا ى→ي ة→ه ؤ→و ئ→ي), digits → ASCII */
};

/*
 * Normalises valid UTF-8 text. *out (NUL-terminated, *out_len bytes) and,
 * if map is not NULL, *map (*out_len + 1 entries: for each output byte the
 * byte offset in s of the character it came from; the last entry is len)
 * are malloc'd and owned by the caller.
 */
RASD_API rasd_err rasd_normalise(const char *s, size_t len, int level, char **out,
                        size_t *out_len, uint32_t **map, rasd_error *err);

/* Is this (normalised key) word a stopword? */
RASD_API int rasd_is_stopword(const char *key, size_t len);


/* ---- the engine: a store, and everything rasd does with it ------------- */

/*
 * An engine works on one store: "rasd.db" (an SQLite file, created when
 * missing) or "postgresql://…" (when built with PostgreSQL). Ingesting runs
 * every stage in order: read, annotate (on every core), store, group into
 * stories, refresh the stored briefs. Views are reads of what ingest
 * stored. One engine is used by one thread at a time; open one per thread.
 */
typedef struct rasd_engine rasd_engine;

typedef struct rasd_ingest_stats {
    size_t files;         /* inputs seen */
    size_t files_failed;  /* inputs that could not be read at all */
    size_t articles;      /* articles the readers produced */
    size_t added;         /* new articles stored */
    size_t duplicates;    /* exact copies of stored articles (kept as sightings) */
    size_t near_copies;   /* stored, linked to the article they copy */
    size_t skipped;       /* items without text */
    size_t item_errors;   /* items that could not be read */
} rasd_ingest_stats;

/* A story as listed: a thread of events. Strings are valid during the callback. */
typedef struct rasd_story {
    int64_t id;           /* thread number (`rasd brief ID`) */
    const char *headline; /* its most representative headline, or NULL */
    const char *first, *last; /* publication dates of its first and last article */
    int64_t events, articles;
} rasd_story;

/* Opens (creating and migrating if needed). readonly: never writes. */
RASD_API rasd_err rasd_engine_open(const char *location, int readonly, rasd_engine **out,
                                   rasd_error *err);
RASD_API void rasd_engine_close(rasd_engine *e);

/* Ingests files, folders (recursively), archives or "-" (stdin); then groups
   and refreshes. An error only when the job could not run; see stats. */
RASD_API rasd_err rasd_engine_ingest_paths(rasd_engine *e, const char *const *paths, size_t n,
                                           rasd_ingest_stats *stats, rasd_error *err);
/* The same for articles in memory: a JSON object, an array of objects or JSON
   Lines ({"title","body"|"text"|"content","outlet","published","url"}). */
RASD_API rasd_err rasd_engine_ingest_json(rasd_engine *e, const char *bytes, size_t len,
                                          const char *origin, rasd_ingest_stats *stats,
                                          rasd_error *err);

/* Calls fn for each story active on or after since (NULL: all), largest first. */
RASD_API rasd_err rasd_engine_each_story(rasd_engine *e, const char *since,
                                         int (*fn)(void *ctx, const rasd_story *s), void *ctx,
                                         rasd_error *err);

/* A name (identity key and type) over the whole store, as the entity
   summary keeps it at ingest. Strings and arrays are valid during the callback. */
typedef struct rasd_count {
    const char *text;     /* a spelling, an outlet ("" for none) or an office key */
    int64_t mentions;     /* mentions with it */
    int64_t articles;     /* articles with it (outlets only; else 0) */
} rasd_count;
typedef struct rasd_entity {
    const char *key;      /* identity key (`rasd key`) */
    const char *type;     /* PER LOC ORG MISC */
    const char *name;     /* the spelling to show: the longest used at least a
                             quarter as often as the most used one */
    int64_t mentions, articles;
    const rasd_count *spellings; /* most used first */
    size_t nspellings;
    const rasd_count *outlets;   /* most mentions first */
    size_t noutlets;
    const rasd_count *roles;     /* offices the name was given, most often first */
    size_t nroles;
} rasd_entity;

/* Calls fn for each name, most mentioned first: of type (NULL: any), with a
   spelling containing text (NULL: any), mentioned at least min times,
   skipping offset of them, at most limit (0: all). Nationality adjectives
   (الروسي; keys starting "adj:") are included. */
RASD_API rasd_err rasd_engine_each_entity(rasd_engine *e, const char *type, const char *text,
                                          int64_t min, size_t offset, size_t limit,
                                          int (*fn)(void *ctx, const rasd_entity *x), void *ctx,
                                          rasd_error *err);

/* A story's (event 0) or one event's brief / conflicts / an article with its
   annotations, as JSON (design.md §3). *json is malloc'd: rasd_free. */
RASD_API rasd_err rasd_engine_brief_json(rasd_engine *e, int64_t story, int64_t event,
                                         char **json, size_t *len, rasd_error *err);
RASD_API rasd_err rasd_engine_conflicts_json(rasd_engine *e, int64_t story, int64_t event,
                                             char **json, size_t *len, rasd_error *err);
RASD_API rasd_err rasd_engine_article_json(rasd_engine *e, const char *id, char **json,
                                           size_t *len, rasd_error *err);
RASD_API void rasd_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
