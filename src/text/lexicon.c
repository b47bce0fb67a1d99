/*
 * lexicon.c — the word lists the text core needs, compiled into the
 * library (data/lexicon/ files, embedded by tools/embed.c at build time):
 *   stopwords          hunspell-ar's stopword forms with clitics + hand list
 *   clitic-protected   words that start with clitic letters, or end in
 *                      pronoun-like letters, but are whole words (وزير،
 *                      بوتين، كتاب، توجه): the clitic splitter leaves them
 *   imperfect-verbs    verb forms (يقول، تكون): future س is split only
 *                      when one of these remains
 * Entries are folded to matching keys when the sets are built, so lookups
 * compare keys with keys whatever spelling the list used. Protected words
 * written with a final ة go to a set of their own: the key folds ة to ه,
 * and كتابة (writing) must protect only the word spelled with ة, not
 * كتابه (his book), which is كتاب + ه.
 */
#include <pthread.h>
#include <string.h>

#include "text.h"

extern const unsigned char lex_stopwords[];
extern const unsigned long lex_stopwords_len;
extern const unsigned char lex_protected[];
extern const unsigned long lex_protected_len;
extern const unsigned char lex_verbs[];
extern const unsigned long lex_verbs_len;

static StrSet stop_set, protect_set, protect_tm_set, verb_set;
static int init_failed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/*
 * Adds each non-comment line of data, folded to its key; lines whose last
 * letter is ة go to tm_set instead when it is not NULL.
 */
static int load(StrSet *set, StrSet *tm_set, const unsigned char *data, size_t n)
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
            uint32_t last = 0;
            while (k < e) {
                uint32_t cp = utf8_next(s, e, &k);
                if (cp == '\r' || cp == ' ' || cp == '\t')
                    continue;
                size_t fl;
                const char *f = char_fold(cp, &fl, tmp);
                buf_append(&key, f, fl);
                if (fl)
                    last = cp;
            }
            StrSet *to = tm_set && last == 0x0629 ? tm_set : set;
            if (key.len && strset_add(to, key.data, key.len) < 0) {
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
    if (load(&stop_set, NULL, lex_stopwords, lex_stopwords_len) < 0 ||
        load(&protect_set, &protect_tm_set, lex_protected, lex_protected_len) < 0 ||
        load(&verb_set, NULL, lex_verbs, lex_verbs_len) < 0)
        init_failed = 1;
}

int lex_init(void)
{
    pthread_once(&once, build);
    return init_failed ? -1 : 0;
}

int lex_is_stop(const char *key, size_t n) { return strset_has(&stop_set, key, n); }

int lex_is_protected(const char *key, size_t n, int ta_marbuta)
{
    return strset_has(&protect_set, key, n) ||
           (ta_marbuta && strset_has(&protect_tm_set, key, n));
}

int lex_is_verb(const char *key, size_t n) { return strset_has(&verb_set, key, n); }

int rasd_is_stopword(const char *key, size_t len)
{
    if (lex_init() < 0)
        return 0;
    return lex_is_stop(key, len);
}
