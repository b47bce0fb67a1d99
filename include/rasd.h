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

#include <stdarg.h>
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

/* ---- a growable buffer: the one the library uses inside (its Buf) ---- */

/* Bytes, always NUL-terminated when data != NULL. Zero-initialise
   (rasd_buf b = {0}); free with rasd_buf_free. An allocation failure sets
   oom, after which appends do nothing. */
typedef struct rasd_buf {
    char *data; /* heap bytes, owned by the buffer; NULL until the first append */
    size_t len; /* bytes in use, not counting the terminating NUL */
    size_t cap; /* bytes allocated */
    int oom;    /* set once an allocation failed; further appends are no-ops */
} rasd_buf;

RASD_API void rasd_buf_append(rasd_buf *b, const void *p, size_t n);
RASD_API void rasd_buf_puts(rasd_buf *b, const char *s);
RASD_API void rasd_buf_putc(rasd_buf *b, char c);
RASD_API void rasd_buf_printf(rasd_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
RASD_API void rasd_buf_vprintf(rasd_buf *b, const char *fmt, va_list ap);
/* s[0, n) as a quoted, escaped JSON string */
RASD_API void rasd_buf_put_json_string(rasd_buf *b, const char *s, size_t n);
RASD_API void rasd_buf_reset(rasd_buf *b); /* len = 0, keeps the memory */
RASD_API void rasd_buf_free(rasd_buf *b);
/* Its bytes (the caller frees them; NULL when empty), leaving b empty. */
RASD_API char *rasd_buf_steal(rasd_buf *b);
/* Appends a whole file ("-" = stdin); on failure err says "PATH: reason". */
RASD_API rasd_err rasd_buf_read_file(rasd_buf *b, const char *path, rasd_error *err);

/* Output formats of the renderers. */
enum {
    RASD_FMT_TEXT = 0, /* a terminal */
    RASD_FMT_MD = 1,   /* Markdown */
    RASD_FMT_HTML = 2, /* one self-contained right-to-left page (a brief) */
    RASD_FMT_JSON = 3  /* design.md §3 */
};

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


/* ---- what the annotators see: debugging views (`rasd tokens`, `dates`, `key`) */

/* What rasd_doc_render shows. */
enum {
    RASD_VIEW_TOKENS = 1,   /* one line: key/TYPE ... */
    RASD_VIEW_SEGMENTS,     /* one line: pre+rem+suf=stem ... */
    RASD_VIEW_SENTENCES,    /* one sentence a line (the whole document) */
    RASD_VIEW_JSON          /* tokens and sentences as JSON (the whole document) */
};
/* Renders d; TOKENS and SEGMENTS only the tokens [tok_begin, tok_end) (a
   sentence's rasd_sentence.tok_begin/tok_end; tok_end 0: every token).
   *out (malloc'd, NUL-terminated, *len bytes): rasd_free. */
RASD_API rasd_err rasd_doc_render(const rasd_doc *d, int view, size_t tok_begin, size_t tok_end,
                                  char **out, size_t *len, rasd_error *err);

#define RASD_DATES_TIMEX 1u /* also durations (P3D), sets (P1W), vague references */
/* The date expressions of d and their values, resolved against pubdate
   ("YYYY-MM-DD"; NULL: relative ones are "?"), as RASD_FMT_TEXT lines
   ("text => value") or RASD_FMT_JSON ([{text,value,start,end}]). */
RASD_API rasd_err rasd_dates_render(const rasd_doc *d, const char *pubdate, unsigned flags,
                                    int fmt, char **out, size_t *len, rasd_error *err);

/* Named-entity tags of a file in CoNLL layout (word in the first column,
   blank line between sentences; name says which file in errors): "word TAG"
   lines in the same layout, each sentence tagged as one sequence. */
RASD_API rasd_err rasd_conll_tag(const char *bytes, size_t len, const char *name, char **out,
                                 size_t *out_len, rasd_error *err);

/* What rasd_name_key gives for a name. */
enum {
    RASD_NAME_KEY = 0,      /* the identity key spellings of one name share */
    RASD_NAME_SKELETON = 1, /* the spelling skeleton, without the alias table */
    RASD_NAME_FORM = 2      /* the matcher's form (vowels kept; * Arabic name) */
};
RASD_API rasd_err rasd_name_key(const char *name, size_t len, int kind, char **out,
                                size_t *out_len, rasd_error *err);
/* One name to the matcher? 1 same, 0 different, -1 out of memory. *distance
   (may be NULL) gets the distance of their forms, >= 1e8 when the words do
   not align. */
RASD_API int rasd_name_same(const char *a, size_t na, const char *b, size_t nb,
                            double *distance);

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

/* ---- ingest stage by stage (`rasd ingest`) ---- */

/* How to read and store files. Zero-initialise, then set. */
typedef struct rasd_ingest_opts {
    const char *manifest;   /* JSON Lines {file, published, outlet, url} for files lacking
                               them, or NULL */
    const char *date;       /* published date for articles lacking one, or NULL */
    const char *outlet;     /* outlet for articles lacking one, or NULL */
    size_t max_bytes;       /* larger files are refused; 0 = 64 MiB */
    int no_entities;        /* 1: do not tag and store names */
    int jobs;               /* annotation threads; 0 = every core (the result is the same) */
    volatile int *cancel;   /* set (a signal handler) to stop after the file being stored:
                               what was committed stays, nothing is half-stored; or NULL */
    /* Problems and notes for the user, one sentence naming file and line. */
    void (*on_message)(void *ctx, const char *msg);
    /* Before each file (done files of total; path NULL: finished). May be NULL. */
    void (*on_progress)(void *ctx, size_t done, size_t total, const char *path);
    /* As each stage of a file starts: "read", "annotate", "store"; where names
       the file. May be NULL. */
    void (*on_stage)(void *ctx, const char *stage, const char *where);
    void *ctx;              /* passed to the callbacks */
} rasd_ingest_opts;

/* What one ingest did, with the time of each stage (wall and CPU seconds;
   CPU: every thread of the process, user + system). */
typedef struct rasd_ingest_report {
    size_t files, files_failed, articles, added, duplicates, near_copies;
    size_t split_off;       /* appended articles split from their page */
    size_t item_errors, skipped;
    size_t bytes;           /* input bytes read */
    double read_s, annotate_s, store_s;
    double read_cpu, annotate_cpu, store_cpu;
} rasd_ingest_report;

/* Reads, annotates and stores (no grouping: rasd_engine_assign). An error
   only when the job could not run; see r for files and items that failed. */
RASD_API rasd_err rasd_engine_ingest(rasd_engine *e, const rasd_ingest_opts *o,
                                     const char *const *paths, size_t n, rasd_ingest_report *r,
                                     rasd_error *err);
/* Annotates the stored articles an older rasd kept without annotations or in
   an older format, rewrites story vectors kept in an older format (*done:
   articles redone), then rebuilds every story's stored brief. The stories keep
   their membership: rasd_engine_regroup regroups on the new vectors. */
RASD_API rasd_err rasd_engine_reannotate(rasd_engine *e, const rasd_ingest_opts *o, size_t *done,
                                         size_t *refreshed, rasd_error *err);

/* One writer of stories at a time when several processes share a store:
   hold the lock around rasd_engine_assign and the refresh. */
RASD_API rasd_err rasd_engine_lock_stories(rasd_engine *e, rasd_error *err);
RASD_API void rasd_engine_unlock_stories(rasd_engine *e);

typedef struct rasd_assign_report {
    size_t articles;        /* articles replayed */
    size_t events, multi;   /* events, and of them with 2+ articles */
    size_t threads;
    size_t bad_vectors;     /* stored story vectors that could not be read (left out) */
    int ran;                /* 0: nothing was waiting, nothing done */
    int from_checkpoint;    /* the days before the newest came from the saved checkpoint */
    size_t restored;        /* articles restored from it rather than placed again */
} rasd_assign_report;
/* Places the articles that have no event yet into stories (completing a
   grouping an earlier run left unfinished). window_days 0: the default (7). */
RASD_API rasd_err rasd_engine_assign(rasd_engine *e, int window_days, rasd_assign_report *r,
                                     rasd_error *err);
/* 1 when a grouping changed stories whose stored briefs are not rebuilt yet. */
RASD_API int rasd_engine_refresh_pending(rasd_engine *e);
/* Rebuilds the stored briefs and conflicts of the stories that changed, on
   jobs threads (0: every core); progress (may be NULL) gets stories done of total. */
RASD_API rasd_err rasd_engine_refresh_changed(rasd_engine *e, int jobs,
                                              void (*progress)(void *ctx, size_t done,
                                                               size_t total),
                                              void *ctx, size_t *refreshed, rasd_error *err);

/* CPU seconds used so far by every thread of the process (user + system). */
RASD_API double rasd_cpu_seconds(void);
/* 1 when s is a date rasd accepts as a publication date (YYYY-MM-DD, or an ISO 8601 time). */
RASD_API int rasd_valid_date(const char *s);

/* ---- copying a whole archive (`rasd migrate`) ---- */

/* What rasd_engine_migrate copied. */
typedef struct rasd_migrate_report {
    size_t articles;      /* articles copied */
    size_t mentions;      /* their names, rebuilt from the stored annotations */
    size_t unannotated;   /* articles stored without annotations (copied as they are) */
    size_t links;         /* near-copy links */
    size_t vecs;          /* story vectors */
    size_t threads, events;
    size_t dfs;           /* document frequencies */
    size_t sightings;     /* exact copies seen under another outlet or URL */
} rasd_migrate_report;
/* Copies every article of src with its annotations, names, near-copy
   signature and links, story vectors, stories, document frequencies and
   sightings into dst (SQLite to PostgreSQL or back; row ids are dst's own),
   in one transaction: on any failure dst is left as it was. dst must hold no
   articles (RASD_EINVAL). The file log and the view cache are not copied. */
RASD_API rasd_err rasd_engine_migrate(rasd_engine *src, rasd_engine *dst, rasd_migrate_report *r,
                                      rasd_error *err);
/* How many articles e holds (0 for NULL or a store that cannot say). */
RASD_API size_t rasd_engine_article_count(rasd_engine *e);
/* The stored articles' count and XXH3 of their sorted hashes: two stores
   hold the same articles when both are equal (what `rasd migrate` checks). */
RASD_API rasd_err rasd_engine_checksum(rasd_engine *e, size_t *articles, uint64_t *sum,
                                       rasd_error *err);

/* Calls fn for each story active on or after since (NULL: all), largest first. */
RASD_API rasd_err rasd_engine_each_story(rasd_engine *e, const char *since,
                                         int (*fn)(void *ctx, const rasd_story *s), void *ctx,
                                         rasd_error *err);

/* A thread or an event as stored. Strings are valid during the callback. */
typedef struct rasd_group {
    int64_t id;           /* thread or event number */
    int64_t thread;       /* an event's thread (a thread: itself) */
    const char *first, *last; /* publication dates of its first and last article, or NULL */
    int64_t events;       /* a thread's events (an event: 1) */
    int64_t articles;
    int64_t outlets;      /* distinct outlets (events; 0 for threads) */
    const char *headline; /* or NULL */
} rasd_group;

/* One article of a story, with its event and thread. */
typedef struct rasd_story_row {
    rasd_group thread, event;
    int64_t row;          /* the article's row number */
    const char *id;       /* its public id */
    const char *outlet, *title, *published, *agency, *url; /* or NULL */
    int64_t copy_of;      /* row of the article it nearly copies, or 0 */
    double score;         /* similarity that brought it into its event (0: the first) */
} rasd_story_row;

/* Calls fn for each article of each story active on or after since (NULL:
   all), largest thread first, grouped by thread then event. which: one
   thread (> 0), one event (< 0: minus its number) or all (0). */
RASD_API rasd_err rasd_engine_each_story_row(rasd_engine *e, const char *since, int64_t which,
                                             int (*fn)(void *ctx, const rasd_story_row *r),
                                             void *ctx, rasd_error *err);

typedef struct rasd_group_stats {
    size_t articles;      /* articles grouped */
    size_t events;        /* events, and of them */
    size_t multi;         /* events with 2+ articles */
    size_t threads;
} rasd_group_stats;

/* Groups every stored article into stories again from scratch (one writer
   at a time), then applies the analyst's corrections. window_days: how long
   an event stays open after its last article (0: the default, 7). */
RASD_API rasd_err rasd_engine_regroup(rasd_engine *e, int window_days, rasd_group_stats *stats,
                                      rasd_error *err);

/* A name (identity key and type) over the whole store, as the entity
   summary keeps it at ingest. Strings and arrays are valid during the callback. */
typedef struct rasd_count {
    const char *text;     /* a spelling, an outlet ("" for none) or an office key */
    int64_t mentions;     /* mentions with it */
    int64_t articles;     /* articles with it (spellings, outlets; roles: 0) */
} rasd_count;
typedef struct rasd_entity {
    const char *key;      /* identity key (`rasd key`) */
    const char *type;     /* PER LOC ORG MISC */
    const char *name;     /* the spelling to show: the most used, or a fuller one
                             (more words) used at least a quarter as often */
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

/* Which names rasd_engine_entities gives. Zero-initialise, then set. */
typedef struct rasd_entity_filter {
    const char *type;     /* PER LOC ORG MISC, or NULL: any */
    const char *text;     /* a substring of one of its spellings, or NULL */
    int64_t min;          /* at least this many mentions */
    size_t offset;        /* skip this many of the names selected */
    size_t limit;         /* at most this many; 0: all */
    int adjectives;       /* 1: nationality adjectives (الروسي, keys "adj:…") too; a
                             type filter lists them anyway */
    const char *key;      /* only this identity key (its names of every type), or NULL */
    int64_t story;        /* only the articles of this story (thread number; its
                             names grouped from their mentions, without roles), or 0 */
} rasd_entity_filter;
/* Calls fn for each name f selects, most mentioned first (ties in key order). */
RASD_API rasd_err rasd_engine_entities(rasd_engine *e, const rasd_entity_filter *f,
                                       int (*fn)(void *ctx, const rasd_entity *x), void *ctx,
                                       rasd_error *err);

/* A stored article. Strings are NUL-terminated UTF-8, NULL when unknown. */
typedef struct rasd_article {
    int64_t row;             /* row number in the store */
    const char *id;          /* public id: 16 hex digits */
    const char *title, *outlet, *agency, *published, *url, *author;
    const char *origin;      /* the file or feed it was read from */
    const char *text;        /* its cleaned text (NULL when listing) */
    int64_t split_from;      /* row of the page it was split from, or 0 (rasd_read_file:
                                1 + the page's index among the file's articles) */
    int64_t copy_of;         /* row of the article it nearly copies, or 0 */
    double copy_similarity;  /* estimated Jaccard with copy_of */
} rasd_article;

/* Calls fn for each stored article, in publication order, without its text;
   the article is valid during the callback. fn returning non-zero stops. */
RASD_API rasd_err rasd_engine_each_article(rasd_engine *e,
                                           int (*fn)(void *ctx, const rasd_article *a),
                                           void *ctx, rasd_error *err);
/* One article by public id, a unique prefix of it, or row number (RASD_ENOTFOUND,
   RASD_EINVAL for an ambiguous prefix). *out: rasd_article_free. */
RASD_API rasd_err rasd_engine_article(rasd_engine *e, const char *id, rasd_article **out,
                                      rasd_error *err);
RASD_API void rasd_article_free(rasd_article *a);

/* A story's (event 0) or one event's brief / conflicts / an article with its
   annotations, as JSON (design.md §3). *json is malloc'd: rasd_free. */
RASD_API rasd_err rasd_engine_brief_json(rasd_engine *e, int64_t story, int64_t event,
                                         char **json, size_t *len, rasd_error *err);
RASD_API rasd_err rasd_engine_conflicts_json(rasd_engine *e, int64_t story, int64_t event,
                                             char **json, size_t *len, rasd_error *err);
RASD_API rasd_err rasd_engine_article_json(rasd_engine *e, const char *id, char **json,
                                           size_t *len, rasd_error *err);
RASD_API void rasd_free(void *p);

/* An Atom feed of the stories (`rasd feed`). */
typedef struct rasd_feed_opts {
    int64_t story;          /* one story (thread number), or 0 */
    const char *entity_key; /* stories with an article naming this identity key
                               (rasd_name_key), or NULL */
    const char *base_url;   /* links: BASE/stories/N/brief ...; NULL: urn: ids only */
    const char *db_path;    /* named in brief commands when there is no base_url */
    int64_t now;            /* Unix time: <updated> of a story seen growing now */
    size_t max_entries;     /* newest first; 0 = 50 */
} rasd_feed_opts;
/* Appends the feed's XML to out. RASD_ENOTFOUND when o->story names no story. */
RASD_API rasd_err rasd_engine_feed(rasd_engine *e, const rasd_feed_opts *o, rasd_buf *out,
                                   rasd_error *err);

/* ---- what `rasd watch` polls and alerts on (SQLite stores only for now) ---- */

/* A source: a feed or a section page, with its polling state. Strings are
   valid during the callback; NULL when unknown. Times are Unix seconds, 0: never. */
typedef struct rasd_source {
    int64_t id;               /* row number */
    const char *url;          /* feed or section page URL */
    const char *outlet;       /* outlet name */
    const char *kind;         /* "feed" or "page" (NULL until the first good answer) */
    const char *etag, *last_modified; /* validators of the last 200 */
    const char *last_error;   /* the latest error sentence */
    int64_t interval_s;       /* current polling interval, seconds (0: not adapted yet) */
    int64_t next_poll;
    int64_t errors;           /* consecutive failed polls (0 after a success) */
    int64_t errors_total;     /* failed polls ever */
    int64_t last_poll, last_success, last_new;
    int64_t items;            /* articles stored from it */
} rasd_source;
/* Adds a source (an http:// or https:// URL; outlet may be NULL; interval_s
   0: adapted), or renames it when it exists and outlet is given; *added
   (may be NULL) 1 when it is new. */
RASD_API rasd_err rasd_engine_add_source(rasd_engine *e, const char *url, const char *outlet,
                                         int64_t interval_s, int *added, rasd_error *err);
/* Removes a source by URL or row number; *removed 0 when there was none. */
RASD_API rasd_err rasd_engine_remove_source(rasd_engine *e, const char *url_or_id, int *removed,
                                            rasd_error *err);
/* Adds every source of a list (one URL [outlet] a line) or an OPML file
   (name names it in messages); on_skip gets each line that is not a source;
   *n sources read, *added of them new. RASD_EFORMAT when the file cannot be read as either. */
RASD_API rasd_err rasd_engine_import_sources(rasd_engine *e, const char *bytes, size_t len,
                                             const char *name, int64_t interval_s,
                                             void (*on_skip)(void *ctx, const char *msg),
                                             void *ctx, size_t *n, size_t *added,
                                             rasd_error *err);
/* Calls fn for each source, next to poll first. */
RASD_API rasd_err rasd_engine_each_source(rasd_engine *e,
                                          int (*fn)(void *ctx, const rasd_source *s), void *ctx,
                                          rasd_error *err);

/* An alert rule. Strings are valid during the callback. */
typedef struct rasd_alert_rule {
    int64_t id;               /* row number */
    const char *kind;         /* "query", "entity", "sources" or "conflict" */
    const char *arg;          /* query text, identity key, outlet count or story number */
    int64_t n;                /* sources: the number of outlets; else 0 */
    int64_t since_article;    /* articles with a larger row number are still to be checked */
} rasd_alert_rule;
RASD_API rasd_err rasd_engine_add_alert(rasd_engine *e, const char *kind, const char *arg,
                                        int64_t n, int64_t *id, rasd_error *err);
RASD_API rasd_err rasd_engine_remove_alert(rasd_engine *e, int64_t id, int *removed,
                                           rasd_error *err);
RASD_API rasd_err rasd_engine_each_alert(rasd_engine *e,
                                         int (*fn)(void *ctx, const rasd_alert_rule *r),
                                         void *ctx, rasd_error *err);

/* ---- the watcher (`rasd watch`): poll the sources, store what is new ---- */

typedef struct rasd_watch rasd_watch;

/* How to poll. Zero-initialise, then set (0: the default named). */
typedef struct rasd_watch_opts {
    int64_t min_interval;    /* shortest polling interval, seconds; 0 = 300 */
    int64_t max_interval;    /* longest polling interval and backoff, seconds; 0 = 21600 */
    size_t max_links;        /* article links followed per section page; 0 = 20 */
    int no_pages;            /* 1: never fetch article pages (feeds' own text only) */
    int force;               /* 1: poll every source now, due or not */
    size_t max_bytes;        /* a response's decoded body limit in bytes; 0 = 8 MiB */
    long timeout_s;          /* one whole request, seconds; 0 = 30 */
    long low_speed_s;        /* cut when under 64 bytes/s for this long, seconds; 0 = 10 */
    int per_host;            /* requests in flight to one host; 0 = 2 */
    long host_delay_ms;      /* least time between two request starts to one host */
    /* One line for the user about one source ("URL: 3 new articles"), errors too. May be NULL. */
    void (*on_message)(void *ctx, int is_error, const char *msg);
    /* The engine's notes on what it stored (one sentence naming the item). May be NULL. */
    void (*on_ingest_message)(void *ctx, const char *msg);
    void *ctx;               /* passed to both */
} rasd_watch_opts;

/* What one round did. */
typedef struct rasd_watch_round {
    size_t sources;          /* sources polled */
    size_t unchanged;        /* answered 304 Not Modified */
    size_t failed;           /* polls that failed (network, limits, HTTP, robots, format) */
    size_t items;            /* items in the feeds and section pages read */
    size_t fresh;            /* items not seen before */
    size_t pages;            /* article pages fetched */
    size_t pages_failed;     /* article pages that could not be fetched */
    size_t added;            /* new articles stored */
    size_t duplicates;       /* items already stored (same content) */
    size_t near_copies;      /* stored as a near-copy of an earlier article */
    int assigned;            /* stories were updated */
    double fetch_s;          /* wall time until the last answer (feeds and pages) */
    double store_s;          /* wall time storing through the engine (summed) */
    double assign_s;         /* wall time placing new articles into stories (summed) */
    double total_s;          /* the whole round, slowest source included */
    double latency_s;        /* from the round's start to the last grouping that placed
                                new articles (slow sources do not hold it back) */
    int64_t first_article;   /* row ids of the articles added: (first_article, last_article] */
    int64_t last_article;
} rasd_watch_round;

/* A watcher on e's sources (rasd_engine_add_source; SQLite stores only).
   The first call in a process sets up the HTTP client: make it before
   starting other threads. e must stay open while w is. *out: rasd_watch_close. */
RASD_API rasd_err rasd_watch_open(rasd_engine *e, const rasd_watch_opts *o, rasd_watch **out,
                                  rasd_error *err);
RASD_API void rasd_watch_close(rasd_watch *w);
/* Polls the sources due at now (Unix seconds), stores and groups what is
   new; a failing source is reported (on_message) and rescheduled, never an
   error of the round. */
RASD_API rasd_err rasd_watch_poll(rasd_watch *w, int64_t now, rasd_watch_round *r,
                                  rasd_error *err);
/* The earliest next poll of any source; *found 0 when there are no sources. */
RASD_API rasd_err rasd_watch_next_due(rasd_watch *w, int64_t *when, int *found, rasd_error *err);
/* Checks every alert rule (rasd_engine_add_alert) against the articles
   stored since it last looked; emit gets each new alert once, as one JSON
   object (no newline). Links: base_url/stories/N/brief, or a rasd command
   naming db_path when base_url is NULL. *sent (may be NULL): alerts emitted. */
RASD_API rasd_err rasd_watch_alerts(rasd_watch *w, int64_t now, const char *base_url,
                                    const char *db_path,
                                    void (*emit)(void *ctx, const char *json, size_t n),
                                    void *ctx, size_t *sent, rasd_error *err);
/* POSTs a JSON body to url (http/https: a webhook) within w's limits;
   *status the HTTP status; RASD_EIO when no answer came. */
RASD_API rasd_err rasd_watch_post_json(rasd_watch *w, const char *url, const char *json, size_t n,
                                       long *status, rasd_error *err);

/* ---- the analyst's corrections (`rasd overrides`, the web UI) ---- */

/* One correction. Strings are valid during the callback. */
typedef struct rasd_override {
    int64_t id;           /* row number (rasd_engine_remove_override) */
    const char *kind;     /* "merge", "move" or "dismiss" */
    const char *a, *b;    /* merge: story, into; move: article, event; dismiss: story,
                             conflict id */
    const char *note;     /* the analyst's words, or NULL */
    const char *at;       /* when, UTC ISO 8601 */
} rasd_override;
/* Calls fn for each stored correction, oldest first. */
RASD_API rasd_err rasd_engine_each_override(rasd_engine *e,
                                            int (*fn)(void *ctx, const rasd_override *o),
                                            void *ctx, rasd_error *err);
/* Stores a correction given as the API's JSON body ({"kind":"merge","story":A,
   "into":B}, {"kind":"move","article":ID,"event":E} or {"kind":"dismiss",
   "story":S,"conflict":ID}, each with an optional "note"; RASD_EINVAL saying
   what is wrong), calls fn (may be NULL) with it as stored, then rebuilds the
   briefs of the stories it changed. It survives later ingests and regrouping. */
RASD_API rasd_err rasd_engine_add_override(rasd_engine *e, const char *json, size_t n,
                                           int (*fn)(void *ctx, const rasd_override *o),
                                           void *ctx, rasd_error *err);
/* Removes correction id (RASD_ENOTFOUND when there is none); *undone (may be
   NULL) 1 when a move was undone now (a merge stays until the next regrouping). */
RASD_API rasd_err rasd_engine_remove_override(rasd_engine *e, int64_t id, int *undone,
                                              rasd_error *err);

/* ---- the JSON API and the web UI (`rasd serve`) ---- */

/* Where and how to serve. Zero-initialise, then set. */
typedef struct rasd_serve_opts {
    const char *bind;        /* IPv4 address to listen on ("127.0.0.1") */
    unsigned port;           /* 0: any free port (see rasd_server_port) */
    const char *token;       /* write token, or NULL: the API is read-only */
    const char *web_root;    /* folder of the web UI, or NULL: API only */
    const char *cors_origin; /* an origin allowed to call the API, or NULL: no CORS */
    unsigned threads;        /* polling threads (0: 8) */
    unsigned workers;        /* threads for slow handlers: briefs, ingest (0: 4) */
    unsigned timeout;        /* seconds a connection may stay idle or slow (0: 15) */
    unsigned max_connections;/* open connections at once (0: 512) */
    size_t max_body;         /* request body bytes (0: 16 MiB) */
    size_t max_header;       /* bytes of request line and headers (0: 32 KiB) */
    /* One line per request and per problem; NULL: silent. */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
} rasd_serve_opts;

typedef struct rasd_server rasd_server;
/* Serves the store at location (docs/api.md) in background threads until
   rasd_serve_stop. *out: rasd_serve_stop. */
RASD_API rasd_err rasd_serve_start(const char *location, const rasd_serve_opts *o,
                                   rasd_server **out, rasd_error *err);
RASD_API unsigned rasd_server_port(const rasd_server *s); /* the port actually bound */
RASD_API void rasd_serve_stop(rasd_server *s);

/* ---- search and export ---- */

typedef struct rasd_search_opts {
    const char *since, *until; /* publication dates YYYY[-MM[-DD]], inclusive, or NULL */
    const char *outlet;        /* exact outlet name, or NULL */
    const char *entity;        /* a name: articles naming it in any spelling, or NULL */
    int64_t story;             /* thread number, 0 = any */
    size_t limit;              /* hits wanted (0 = 20) */
    size_t offset;             /* hits skipped first */
    const char *mark_open, *mark_close; /* snippet highlight markers (NULL: "[" and "]") */
    int all_terms;             /* 1: only articles with every word (no OR fallback) */
} rasd_search_opts;

typedef struct rasd_hit {
    int64_t row;               /* the article's row number */
    const char *id;            /* its public id */
    const char *url, *outlet, *published, *title; /* or NULL */
    const char *snippet;       /* text excerpt, matches between the markers */
    int64_t story;             /* thread number, 0 if not grouped yet */
    double score;              /* BM25, higher is better */
    int all_terms;             /* 1: matched every word; 0: found by the OR fallback */
} rasd_hit;

typedef struct rasd_hits {
    const rasd_hit *v;         /* best first */
    size_t n;
    const char *expr;          /* the FTS5 expression that was run (all terms) */
} rasd_hits;

/* Is query a search rasd can run? RASD_EINVAL saying why when it is not. */
RASD_API rasd_err rasd_query_check(const char *query, rasd_error *err);
/* Full-text search: any spelling of a name, ranked, with snippets. A bad
   query or option is RASD_EINVAL. *out: rasd_hits_free. */
RASD_API rasd_err rasd_engine_search(rasd_engine *e, const char *query,
                                     const rasd_search_opts *o, rasd_hits **out,
                                     rasd_error *err);
RASD_API void rasd_hits_free(rasd_hits *h);
/* Rebuilds the search index; *articles (may be NULL) gets how many it holds. */
RASD_API rasd_err rasd_engine_reindex(rasd_engine *e, size_t *articles, rasd_error *err);

/* The row numbers of a thread's articles, sorted (*rows malloc'd: rasd_free);
   RASD_ENOTFOUND when there is no such thread. */
RASD_API rasd_err rasd_engine_story_rows(rasd_engine *e, int64_t story, int64_t **rows,
                                         size_t *n, rasd_error *err);
/* Calls fn for each of the n articles rows, in that order (missing ones are
   skipped), with its text and its thread (0 if none yet); fn returning
   non-zero stops. For exports. */
RASD_API rasd_err rasd_engine_each_article_row(rasd_engine *e, const int64_t *rows, size_t n,
                                               int (*fn)(void *ctx, const rasd_article *a,
                                                         int64_t story),
                                               void *ctx, rasd_error *err);

/* ---- quotations (`rasd quotes`) --------------------------------------- */

/* An article's quotations and its text. */
typedef struct rasd_quotes rasd_quotes;

/* One quotation: byte offsets into rasd_quotes_text(), [start,end); a part
   the article does not give is empty (start == end). */
typedef struct rasd_quote {
    uint32_t start, end;           /* the quoted or reported words */
    uint32_t cue_start, cue_end;   /* the verb of saying (وأضاف، مشيرا) */
    uint32_t said_start, said_end; /* the speaker as named at the cue */
    uint32_t spk_start, spk_end;   /* the speaker as best named in the article */
    uint32_t via_start, via_end;   /* the channel (لوكالة رويترز) */
    const char *key;               /* speaker identity key (key_len bytes, not
                                      NUL-terminated), or NULL when unknown */
    size_t key_len;
    int direct;                    /* 1: the speaker's own words; 0: reported */
} rasd_quote;

/* The quotations of a text analysed now. *out: rasd_quotes_free. */
RASD_API rasd_err rasd_text_quotes(rasd_text *t, const char *bytes, size_t len,
                                   rasd_quotes **out, rasd_error *err);
/* The quotations of a stored article (row number), as stored at ingest. */
RASD_API rasd_err rasd_engine_quotes(rasd_engine *e, int64_t row, rasd_quotes **out,
                                     rasd_error *err);
RASD_API void rasd_quotes_free(rasd_quotes *q);
RASD_API const char *rasd_quotes_text(const rasd_quotes *q, size_t *len);
RASD_API size_t rasd_quotes_count(const rasd_quotes *q);
/* Quotation i (RASD_EINVAL past the end). */
RASD_API rasd_err rasd_quotes_get(const rasd_quotes *q, size_t i, rasd_quote *out);
/* RASD_FMT_TEXT: every quotation as the golden tests' lines; RASD_FMT_JSON:
   quotation i as one JSON object (speaker, key, kind, cue, text, direct,
   via, start, end). *out: rasd_free. */
RASD_API rasd_err rasd_quotes_render(const rasd_quotes *q, int fmt, size_t i, char **out,
                                     size_t *len, rasd_error *err);

/* A story's quotations grouped as its brief groups them: quotes[i] is the
   i-th article's (NULL: none). *refs (rasd_free) holds *n references, every
   quotation once, in article then text order; a quotation's speaker group
   is named by the index of its head (one identity per speaker across the
   story: a surname alone joins the one fuller name), its statement by the
   index of the first copy of the same words carried by another article
   (itself when new). */
typedef struct rasd_quote_ref {
    uint32_t doc, q;   /* index into quotes, and rasd_quotes_get's i */
    uint32_t speaker;  /* index (into *refs) of its speaker group's head; itself
                          when the speaker has no identity key */
    uint32_t entry;    /* index of the first quotation of the same statement */
} rasd_quote_ref;
RASD_API rasd_err rasd_quotes_group(const rasd_quotes *const *quotes, size_t nquotes,
                                    rasd_quote_ref **refs, size_t *n, rasd_error *err);

/* The article analysed as `rasd analyze` prints it: one JSON object
   {"id","file","title","outlet","published","text","entities","quotes",
   "dates"} (no newline). *json: rasd_free. */
RASD_API rasd_err rasd_analyze_json(rasd_text *t, const rasd_article *a, char **json,
                                    size_t *len, rasd_error *err);

/* How likely a and b (title, text, published; origin names each in errors)
   report the same event, 0 to 1, with each part of the score: RASD_FMT_TEXT
   lines (`rasd similar`) or one JSON object. *out: rasd_free. */
RASD_API rasd_err rasd_similarity_render(rasd_text *t, const rasd_article *a,
                                         const rasd_article *b, int fmt, char **out, size_t *len,
                                         rasd_error *err);

/* The same, and the words e's archive links between a and b without both
   having them (co-occurrence over the stored story vectors published up to
   the later of the two days; not part of the score): `rasd similar --db`. */
RASD_API rasd_err rasd_engine_similarity_render(rasd_engine *e, rasd_text *t,
                                                const rasd_article *a, const rasd_article *b,
                                                int fmt, char **out, size_t *len,
                                                rasd_error *err);

/* What a and b (title, text; origin names each) say differently: aligned
   sentence pairs (threshold: their least similarity, 0 for the default),
   wording and figure discrepancies, quantities that cannot both hold,
   whether the headlines contradict: RASD_FMT_TEXT (`rasd compare`) or JSON. */
RASD_API rasd_err rasd_compare_render(rasd_text *t, const rasd_article *a, const rasd_article *b,
                                      double threshold, int fmt, char **out, size_t *len,
                                      rasd_error *err);

/* Reads the articles of a file without storing them (any format `rasd
   ingest` reads; "-" is stdin; max_bytes 0: the default limit): fn for
   each article (text set; row 0), on_error for each item that could not be
   read. An error only when the file itself cannot be read. */
RASD_API rasd_err rasd_read_file(const char *path, size_t max_bytes,
                                 int (*fn)(void *ctx, const rasd_article *a),
                                 void (*on_error)(void *ctx, const char *msg), void *ctx,
                                 rasd_error *err);

/* ---- results as structs, and their renderers ---------------------------- */

/*
 * A brief and a conflict set are plain structs: every string is UTF-8 and
 * NUL-terminated, every count and offset a number. A string field that the
 * store has no value for is NULL. Byte offsets (start, end) are into the
 * cited article's cleaned text (`rasd show ID`), [start,end). Everything a
 * result points to is owned by it and freed with it.
 */

/* Where a claim comes from: one sentence of one article. */
typedef struct rasd_citation {
    const char *article;     /* the article's public id (16 hex digits) */
    const char *outlet;      /* what a reader is shown for it: its outlet, agency,
                                site or title (never a bare id), or NULL */
    const char *url;         /* or NULL */
    uint32_t start, end;     /* the sentence's bytes in that article's text, [start,end) */
} rasd_citation;

/* Another article's sentence that says the same as a summary sentence. */
typedef struct rasd_brief_support {
    const char *article;     /* its public id (16 hex digits) */
    const char *outlet;      /* its outlet, or NULL */
    double similarity;       /* cosine of the two sentences, 0..1 */
    const char *text;        /* its sentence */
} rasd_brief_support;

/* One summary sentence with the outlets that report it. */
typedef struct rasd_brief_sentence {
    const char *text;        /* the sentence, trimmed */
    const char *article;     /* the article it is taken from (public id) */
    uint32_t start, end;     /* its bytes in that article */
    const char **sources;    /* names of the outlets that report it */
    size_t nsources;
    int64_t corroboration;   /* independent sources among them */
    double score;            /* centrality plus lead bonus */
    const rasd_brief_support *support; /* the supporting sentences, one per article */
    size_t nsupport;
    rasd_citation cite;      /* article, outlet name, URL and bytes of the sentence */
} rasd_brief_sentence;

/* One dated happening. */
typedef struct rasd_brief_date {
    const char *value;       /* YYYY, YYYY-MM, YYYY-MM-DD or A/B */
    const char *text;        /* the date expression as written */
    const char *sentence;    /* the sentence that gives it */
    const char *article;     /* the first article giving it (public id) */
    uint32_t start, end;     /* the sentence's bytes in that article */
    const char **sources;    /* every outlet giving it */
    size_t nsources;
    rasd_citation cite;      /* article, outlet name, URL and bytes of the sentence */
} rasd_brief_date;

/* A name of the story and its spellings. */
typedef struct rasd_brief_name {
    const char *name;        /* the spelling most used */
    const char *key;         /* identity key (`rasd key`) */
    const char *type;        /* PER LOC ORG MISC */
    const char **variants;   /* spellings, in order of first use */
    size_t nvariants;
    int64_t mentions;
    const char **outlets;    /* outlets naming it */
    size_t noutlets;
} rasd_brief_name;

/* One statement of a speaker, with every outlet that carried it. */
typedef struct rasd_brief_quote {
    const char *text;        /* the quoted or reported words */
    const char *cue;         /* the verb of saying */
    const char *via;         /* the channel (a statement, an interview ...), or NULL */
    int direct;              /* 1: quoted words; 0: reported speech */
    const char *article;     /* the article it is taken from (public id) */
    uint32_t start, end;     /* its bytes in that article */
    const char **sources;
    size_t nsources;
    rasd_citation cite;      /* article, outlet name, URL and bytes of the quoted words */
} rasd_brief_quote;

typedef struct rasd_brief_speaker {
    const char *speaker;     /* the speaker as the fullest quote names them */
    const char *key;         /* identity key */
    const rasd_brief_quote *quotes; /* the first statements shown */
    size_t nquotes;
    int64_t statements;      /* distinct statements in the story */
    int64_t more;            /* statements not shown */
} rasd_brief_speaker;

/* One value of a conflict, with the articles and sentences giving it. */
typedef struct rasd_conflict_value {
    const char *value;
    const char **sources;    /* outlet names */
    size_t nsources;
    const char **articles;   /* public ids */
    size_t narticles;
    const char **sentences;  /* the aligned sentences the rule compared */
    size_t nsentences;
    const rasd_citation *cites; /* where each sentence is: one per sentence, same order
                                   (briefs stored before BRIEF_VERSION 8: none) */
    size_t ncites;
    const char *published;   /* the first publication of its articles ("YYYY-MM-DD", with
                                "THH:MM:SS" when known), or NULL (stored before BRIEF_VERSION 11) */
} rasd_conflict_value;

/* Outlets that contradict each other on one thing — or, when update is set, a
   figure that changed as the news came in (a toll revised the next day). */
typedef struct rasd_conflict {
    const char *id;          /* 16 hex digits, stable across runs (for dismissing it) */
    const char *kind;        /* role number date attribution wording */
    const char *rule;        /* the rule that found it */
    const char *slot;        /* what differs: holder figure date speaker words */
    const char *subject;     /* what the values are about */
    const rasd_conflict_value *values;
    size_t nvalues;
    int update;              /* 1: an update, not a contradiction (kind number): a later
                                figure replacing an earlier one, the values in publication
                                order (earliest first); 0: outlets contradicting each other */
} rasd_conflict;

/* The conflicts of one story (story) or one event (event; story then 0). */
typedef struct rasd_conflict_set {
    int64_t story, event;
    const rasd_conflict *items;
    size_t n;
} rasd_conflict_set;

/* An article of the story, as the brief's citations name it. */
typedef struct rasd_brief_document {
    const char *id;          /* public id */
    const char *outlet;      /* or NULL */
    const char *name;        /* what a reader is shown: outlet, agency, site or title */
    const char *url, *title, *published; /* or NULL */
    int64_t event;           /* the event it belongs to */
    int64_t source;          /* its independent source (articles of one source share it) */
} rasd_brief_document;

typedef struct rasd_brief {
    int64_t story;           /* thread number */
    int64_t event;           /* the event briefed, or 0 for the whole story */
    const char *headline;    /* or NULL */
    const char *first, *last; /* publication dates of its first and last article */
    int64_t articles;        /* articles in the story */
    int64_t read;            /* articles the brief was built from (a sample of a large story) */
    int64_t sources;         /* independent sources */
    const char **outlets;    /* every outlet, by name */
    size_t noutlets;
    const rasd_brief_sentence *summary;
    size_t nsummary;
    const rasd_brief_date *timeline; /* in calendar order */
    size_t ntimeline;
    const rasd_brief_name *entities; /* most mentioned first */
    size_t nentities;
    const rasd_brief_speaker *speakers; /* most quoted first */
    size_t nspeakers;
    int64_t quote_speakers;  /* speakers with a known name */
    int64_t more_speakers;   /* of them, not listed */
    rasd_conflict_set conflicts;
    const rasd_brief_document *documents;
    size_t ndocuments;
    int64_t named_outlets;   /* distinct outlets the story's articles name: outlets
                                lists an article without one by its agency, site or
                                title, which this does not count (the stories list's
                                outlet_count); 0: none named */
} rasd_brief;


/* The brief of a story (event 0) or of one event (story may then be 0),
   as stored at ingest (built now when missing). *out: rasd_brief_free. */
RASD_API rasd_err rasd_engine_brief(rasd_engine *e, int64_t story, int64_t event,
                                    rasd_brief **out, rasd_error *err);
/* The conflicts of a story or one event. *out: rasd_conflict_set_free. */
RASD_API rasd_err rasd_engine_conflicts(rasd_engine *e, int64_t story, int64_t event,
                                        rasd_conflict_set **out, rasd_error *err);
/* A brief from its JSON form (RASD_EFORMAT naming the line when it is not
   JSON; fields of the wrong type read as absent). *out: rasd_brief_free. */
RASD_API rasd_err rasd_brief_parse(const char *json, size_t len, rasd_brief **out,
                                   rasd_error *err);
RASD_API void rasd_brief_free(rasd_brief *b);
RASD_API void rasd_conflict_set_free(rasd_conflict_set *c);

/* Renders into *out (malloc'd, NUL-terminated, *len bytes: rasd_free).
   Every string from the articles is escaped for the format. */
RASD_API rasd_err rasd_brief_render(const rasd_brief *b, int fmt, char **out, size_t *len,
                                    rasd_error *err);
/* RASD_FMT_TEXT or RASD_FMT_JSON (a JSON array). */
RASD_API rasd_err rasd_conflicts_render(const rasd_conflict_set *c, int fmt, char **out,
                                        size_t *len, rasd_error *err);
/* The brief's timeline alone: RASD_FMT_TEXT or RASD_FMT_JSON (a JSON array). */
RASD_API rasd_err rasd_timeline_render(const rasd_brief *b, int fmt, char **out, size_t *len,
                                       rasd_error *err);

/* ---- outlet names ------------------------------------------------------ */

/* The name an outlet is shown by: the analyst's (stored with e's store: the
   web UI's outlets page), else the one rasd knows (data/lexicon/outlets.txt:
   الشرق الأوسط for aawsat or aawsat.com), else outlet itself. e may be NULL:
   rasd's names only. The analyst's names are read on e's first call. The
   result is valid until e is closed; NULL for NULL. */
RASD_API const char *rasd_outlet_name(rasd_engine *e, const char *outlet);
/* The name a reader is shown for an article (a brief's citations and
   documents, `rasd search`): its outlet, else the agency credited, else the
   site of its URL (without "www."), else the start of its title (about 40
   characters, "…" when cut) — never its hex id. Appended to out; 1 when a
   name was appended, 0 when the article has none of the four (out->oom
   says whether memory ran out). Any argument may be NULL. */
RASD_API int rasd_cite_name(rasd_buf *out, const char *outlet, const char *agency,
                            const char *url, const char *title);
/* Every outlet a brief or conflict set cites (sources, the story's outlets,
   citations, documents) replaced by rasd_outlet_name(e, ·), for the text,
   Markdown and HTML renderers; a list keeps one entry per name shown. Ids,
   URLs, counts and offsets do not change. The names are copied: the result
   does not depend on e afterwards. */
RASD_API rasd_err rasd_brief_name_outlets(rasd_brief *b, rasd_engine *e, rasd_error *err);
RASD_API rasd_err rasd_conflict_set_name_outlets(rasd_conflict_set *c, rasd_engine *e,
                                                 rasd_error *err);

#ifdef __cplusplus
}
#endif
#endif
