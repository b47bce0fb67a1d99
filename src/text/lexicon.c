/*
 * lexicon.c — the word lists the text core needs, compiled into the
 * library (data/lexicon/ files, embedded by tools/embed.c at build time):
 *   stopwords          hunspell-ar's stopword forms with clitics + hand list
 *   clitic-protected   words that start with clitic letters but are whole
 *                      words (وزير، بوتين، كتاب): the clitic splitter leaves them
 * Entries are folded to matching keys when the sets are built, so lookups
 * compare keys with keys whatever spelling the list used.
 */
#include <pthread.h>
#include <string.h>

#include "text.h"

extern const unsigned char lex_stopwords[];
extern const unsigned long lex_stopwords_len;
extern const unsigned char lex_protected[];
extern const unsigned long lex_protected_len;

static StrSet stop_set, protect_set;
static int init_failed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Adds each non-comment line of data, folded to its key. */
static int load(StrSet *set, const unsigned char *data, size_t n)
{
    const char *s = (const char *)data;
    Buf key = {0};
    char tmp[64];
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        if (e > i && s[i] != '#') {
            buf_reset(&key);
            size_t k = i;
            while (k < e) {
                uint32_t cp = utf8_next(s, e, &k);
                if (cp == '\r' || cp == ' ' || cp == '\t')
                    continue;
                size_t fl;
                const char *f = char_fold(cp, &fl, tmp);
                buf_append(&key, f, fl);
            }
            if (key.len && strset_add(set, key.data, key.len) < 0) {
                buf_free(&key);
                return -1;
            }
        }
        i = e + 1;
    }
    int oom = key.oom;
    buf_free(&key);
    return oom ? -1 : 0;
}

static void build(void)
{
    chars_init();
    if (load(&stop_set, lex_stopwords, lex_stopwords_len) < 0 ||
        load(&protect_set, lex_protected, lex_protected_len) < 0)
        init_failed = 1;
}

int lex_init(void)
{
    pthread_once(&once, build);
    return init_failed ? -1 : 0;
}

int lex_is_stop(const char *key, size_t n) { return strset_has(&stop_set, key, n); }

int lex_is_protected(const char *key, size_t n) { return strset_has(&protect_set, key, n); }

int rasd_is_stopword(const char *key, size_t len)
{
    if (lex_init() < 0)
        return 0;
    return lex_is_stop(key, len);
}
