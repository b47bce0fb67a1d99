/*
 * compare_lex.c — stem tables of the comparison's word lists (see
 * compare_lex.h).
 *
 * The lists are written as ordinary words; each is run through the text
 * core once (pthread_once) and stored by the hash of its key without
 * clitics, so a token matches whatever clitics it carries (وارتفاع →
 * ارتفاع) without listing them. Not by stem: Snowball stems of different
 * words meet too often (يدين "condemns" and الأديان "religions" share one),
 * so the lists name each inflected form they mean. One open-addressing
 * table holds every form with its flags, its synonym group and, for
 * antonyms, its group (line) and side (before or after the "|").
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "compare_lex.h"
#include "util/util.h"

extern const unsigned char lex_compare_words[];
extern const unsigned long lex_compare_words_len;
extern const unsigned char lex_antonyms[];
extern const unsigned long lex_antonyms_len;

typedef struct LexEntry {
    uint64_t hash;  /* hash of the stem; 0 = empty slot */
    uint16_t flags; /* CLX_* */
    uint16_t group; /* antonym line, from 1; 0 = none */
    uint8_t side;   /* antonym side: 0 before "|", 1 after */
    uint16_t syn;   /* synonym line, from 1; 0 = none */
} LexEntry;

static LexEntry *table;
static size_t mask;
static int ready; /* 1 after a successful build */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint64_t form_hash(const char *s, size_t n)
{
    uint64_t h = rasd_hash(s, n);
    return h ? h : 1;
}

/* The key of t without its clitics (the whole key if that would leave nothing). */
static uint64_t bare_hash(const rasd_token *t)
{
    uint32_t pre = t->pre_len, suf = t->suf_len;
    if (pre + suf >= t->key_len)
        pre = suf = 0;
    return form_hash(t->key + pre, t->key_len - pre - suf);
}

static LexEntry *slot(uint64_t h)
{
    size_t i = (size_t)h & mask;
    while (table[i].hash && table[i].hash != h)
        i = (i + 1) & mask;
    return &table[i];
}

/* Adds every form of s[0..n) with flags (or antonym group/side). */
static void add_forms(rasd_text *tx, const char *s, size_t n, int flags, int group, int side,
                      int syn, size_t *used)
{
    rasd_doc *d = NULL;
    if (rasd_text_analyse(tx, s, n, &d, NULL) != RASD_OK)
        return;
    const rasd_token *t = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++) {
        if (t[i].type != RASD_TOK_ARABIC || *used * 2 >= mask)
            continue;
        uint64_t h = bare_hash(&t[i]);
        LexEntry *e = slot(h);
        if (!e->hash) {
            e->hash = h;
            (*used)++;
        }
        e->flags |= (uint16_t)flags;
        if (group && !e->group) {
            e->group = (uint16_t)group;
            e->side = (uint8_t)side;
        }
        if (syn && !e->syn)
            e->syn = (uint16_t)syn;
    }
    rasd_doc_free(d);
}

static void build(void)
{
    mask = 4096 - 1; /* room for twice the forms the two lists hold */
    table = calloc(mask + 1, sizeof *table);
    rasd_text *tx = NULL;
    if (!table || rasd_text_new(&tx, NULL) != RASD_OK) {
        free(table);
        table = NULL;
        return;
    }
    size_t used = 0;
    /* compare-words.txt: [section] lines */
    const char *p = (const char *)lex_compare_words, *end = p + lex_compare_words_len;
    int flags = 0, synonyms = 0, syn = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (eol > p && *p == '[') {
            flags = strncmp(p, "[light]", 7) == 0      ? CLX_LIGHT
                    : strncmp(p, "[negation]", 10) == 0 ? CLX_NEG
                    : strncmp(p, "[credit]", 8) == 0    ? CLX_CREDIT | CLX_LIGHT
                                                         : 0;
            synonyms = strncmp(p, "[synonyms]", 10) == 0;
        } else if (eol > p && *p != '#' && (flags || (synonyms && syn < 65535))) {
            add_forms(tx, p, (size_t)(eol - p), flags, 0, 0, synonyms ? ++syn : 0, &used);
        }
        p = eol + 1;
    }
    /* antonyms.txt: "side 0 forms | side 1 forms", one group a line */
    p = (const char *)lex_antonyms, end = p + lex_antonyms_len;
    int group = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *bar = memchr(p, '|', (size_t)(eol - p));
        if (eol > p && *p != '#' && bar && group < 65535) {
            group++;
            add_forms(tx, p, (size_t)(bar - p), 0, group, 0, 0, &used);
            add_forms(tx, bar + 1, (size_t)(eol - bar - 1), 0, group, 1, 0, &used);
        }
        p = eol + 1;
    }
    rasd_text_free(tx);
    ready = 1;
}

int cmplex_init(void)
{
    pthread_once(&once, build);
    return ready ? 0 : -1;
}

static const LexEntry *lookup(const rasd_token *t)
{
    if (!ready || t->type != RASD_TOK_ARABIC)
        return NULL;
    const LexEntry *e = slot(bare_hash(t));
    if (!e->hash) /* the splitter may cut a clitic the form does not have */
        e = slot(form_hash(t->key, t->key_len));
    return e->hash ? e : NULL;
}

int cmplex_flags(const rasd_token *t)
{
    const LexEntry *e = lookup(t);
    return e ? e->flags : 0;
}

int cmplex_synonym(const rasd_token *t)
{
    const LexEntry *e = lookup(t);
    return e ? e->syn : 0;
}

int cmplex_antonym(const rasd_token *t, int *side)
{
    const LexEntry *e = lookup(t);
    if (!e || !e->group)
        return 0;
    *side = e->side;
    return e->group;
}
