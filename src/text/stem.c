/*
 * stem.c — clitic segmentation and stemming of Arabic words.
 *
 * Snowball's Arabic stemmer alone keeps و/ف before ال and stems المفاوضات
 * and مفاوضات differently, and it strips the first letter of names such as
 * بوتين. So rasd peels the clitics itself, in layers, checking a lexicon of
 * words that merely start with clitic letters after each layer:
 *
 *   conjunction  و ف
 *   preposition  ب ك ل   or future س before an imperfect verb (سيقول)
 *   article      ال      (ل + ال is written لل)
 *   enclitic     هما هم هن ها كم كما نا ه, and ي only after ت (حكومتي)
 *
 * Guards: a proclitic leaves at least 3 letters (2 after a lone article, 3
 * after ال that follows another proclitic), an enclitic at least 3; ه is
 * never a pronoun where the word ended in ة; future س only when a known
 * verb form remains (سيقول, not سيارة); لل is ل + ال unless ل + a known
 * word starting with ل (للبنان). Each layer stops when what is left — with
 * or without the enclitic — is a known word (وزيرها = وزير + ها).
 *
 * The remainder then goes to Snowball behind a synthetic article ("ال" +
 * remainder), which makes Snowball take the article as the prefix and leave
 * the stem's own first letter alone; words in the lexicon are their own stem.
 * Stems are a pure function of the remainder, so they are cached per
 * Stemmer (one per thread: Snowball keeps state).
 */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define AR_WAW 0x0648
#define AR_FA 0x0641
#define AR_BA 0x0628
#define AR_KAF 0x0643
#define AR_LAM 0x0644
#define AR_SIN 0x0633
#define AR_ALIF 0x0627
#define AR_YA 0x064A
#define AR_TA 0x062A
#define AR_NUN 0x0646
#define AR_HA 0x0647
#define AR_MIM 0x0645

#define MAX_SEG_LETTERS 48 /* longer "words" are not segmented */
#define CACHE_SLOTS (1u << 16)
#define CACHE_MAX 40000u    /* entries before the cache is cleared */
#define MAX_STEM_INPUT 240  /* bytes: longer remainders are their own stem */

/*
 * One cache line per entry, with the remainder and its stem stored in the
 * entry itself when they fit (almost always): a lookup then touches one
 * line instead of the slot plus an arena string, and those memory stalls
 * were most of stem_key's time on an 80 MB news corpus.
 */
#define CACHE_INL 44
typedef struct CacheEnt {
    uint64_t h;          /* hash of the remainder; 0 = empty slot */
    const char *ext;     /* remainder + stem in the arena when too long for inl, else NULL */
    uint16_t kn, vn;     /* bytes of the remainder and of the stem */
    char inl[CACHE_INL]; /* remainder, then the stem NUL-terminated */
} CacheEnt;
_Static_assert(sizeof(CacheEnt) == 64, "a cache entry is one cache line");

/*
 * The word cache: the whole analysis of an Arabic key (clitics, stem,
 * flags), so a word seen before costs one probe instead of the layered
 * lexicon lookups of seg_clitics and the stem cache. News text is Zipfian:
 * most words of an article were seen in the articles before it.
 */
#define WORD_SLOTS (1u << 17)
#define WORD_MAX 90000u
#define WORD_INL 41
typedef struct WordEnt {
    uint64_t h;           /* hash of the key (| 1, low bit 2 = ends in ة); 0 = empty */
    const char *ext;      /* key + stem in warena when too long for inl, else NULL */
    uint16_t kn, vn;      /* bytes of the key and of the stem */
    uint8_t pre, suf;     /* clitic bytes at the start and end of the key */
    uint8_t flags;        /* WF_* */
    char inl[WORD_INL];   /* key, then the stem NUL-terminated */
} WordEnt;
_Static_assert(sizeof(WordEnt) == 64, "a word entry is one cache line");
enum { WF_STOP = 1, WF_LEX = 2 };

struct Stemmer {
    struct sb_stemmer *sb; /* Snowball Arabic, UTF-8 */
    CacheEnt *slots;       /* CACHE_SLOTS entries */
    uint32_t used;         /* entries in slots */
    Arena arena;           /* cache strings too long for an entry */
    WordEnt *words;        /* WORD_SLOTS entries */
    uint32_t wused;        /* entries in words */
    Arena warena;          /* word cache strings too long for an entry */
    char in[MAX_STEM_INPUT + 8]; /* Snowball input: "ال" + remainder */
    char out[MAX_STEM_INPUT + 16]; /* folded stem of a miss, NUL-terminated */
};

Stemmer *stemmer_new(void)
{
    Stemmer *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->sb = sb_stemmer_new("arabic", "UTF_8");
    s->slots = aligned_alloc(64, CACHE_SLOTS * sizeof *s->slots);
    s->words = aligned_alloc(64, WORD_SLOTS * sizeof *s->words);
    arena_init(&s->arena, 64 * 1024);
    arena_init(&s->warena, 64 * 1024);
    if (!s->sb || !s->slots || !s->words) {
        stemmer_free(s);
        return NULL;
    }
    memset(s->slots, 0, CACHE_SLOTS * sizeof *s->slots);
    memset(s->words, 0, WORD_SLOTS * sizeof *s->words);
    return s;
}

void stemmer_free(Stemmer *s)
{
    if (!s)
        return;
    if (s->sb)
        sb_stemmer_delete(s->sb);
    free(s->slots);
    free(s->words);
    arena_free(&s->arena);
    arena_free(&s->warena);
    free(s);
}

/* Letters of key as code points, with the byte offset of each (offs[m] = n). */
static int decode(const char *key, size_t n, uint32_t *cps, size_t *offs)
{
    const unsigned char *p = (const unsigned char *)key;
    size_t i = 0;
    int m = 0;
    while (i < n) {
        if (m >= MAX_SEG_LETTERS)
            return -1;
        offs[m] = i;
        /* Arabic letters are two bytes: decoded here, not by a call per
           letter; the rest as utf8_next does */
        if (p[i] >= 0xC0 && p[i] < 0xE0 && i + 1 < n) {
            cps[m++] = ((uint32_t)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F);
            i += 2;
        } else {
            cps[m++] = utf8_next(key, n, &i);
        }
    }
    offs[m] = n;
    return m;
}

/* Is key[offs[from] .. offs[to]) a protected word? */
static int prot(const char *key, const size_t *offs, int from, int to, int tm)
{
    return lex_is_protected(key + offs[from], offs[to] - offs[from], tm);
}

/*
 * Same, for a remainder that had an enclitic: a ta marbuta before a pronoun
 * is written ت (حكومته), so a final ت is also tried as ة (key ه).
 */
static int prot_rem(const char *key, const size_t *offs, const uint32_t *c, int from, int to)
{
    if (prot(key, offs, from, to, 0))
        return 1;
    size_t n = offs[to] - offs[from];
    if (to - from < 3 || c[to - 1] != AR_TA || n > 240)
        return 0;
    char tmp[248];
    memcpy(tmp, key + offs[from], n);
    tmp[n - 2] = (char)0xD9; /* ه, the key form of ة */
    tmp[n - 1] = (char)0x87;
    return lex_is_protected(tmp, n, 1);
}

/* Letters of an enclitic pronoun at the end of c[0..m), or 0. */
static int enclitic_len(const uint32_t *c, int m, int tm)
{
    uint32_t l1 = c[m - 1], l2 = m >= 2 ? c[m - 2] : 0, l3 = m >= 3 ? c[m - 3] : 0;
    if (l2 == AR_MIM && l1 == AR_ALIF && (l3 == AR_HA || l3 == AR_KAF))
        return 3; /* هما كما */
    if (l2 == AR_HA && (l1 == AR_MIM || l1 == AR_NUN || l1 == AR_ALIF))
        return 2; /* هم هن ها */
    if ((l2 == AR_KAF && l1 == AR_MIM) || (l2 == AR_NUN && l1 == AR_ALIF))
        return 2; /* كم نا */
    if (l1 == AR_HA && !tm)
        return 1; /* ه, unless the word was written with ة */
    if (l1 == AR_YA && l2 == AR_TA)
        return 1; /* ي after ت only: حكومتي, not the nisba of روسي */
    return 0;
}

Seg seg_clitics(const char *key, size_t n, int ends_ta_marbuta)
{
    Seg seg = {0, 0, 0};
    uint32_t c[MAX_SEG_LETTERS + 1];
    size_t offs[MAX_SEG_LETTERS + 1];
    int m = decode(key, n, c, offs);
    if (m < 3)
        return seg;
    int tm = ends_ta_marbuta;
    if (prot(key, offs, 0, m, tm)) {
        seg.protected_word = 1;
        return seg;
    }
    /* The enclitic candidate is found once, on the whole word, so each layer
       below can ask both "is the rest a word?" and "is the rest without the
       pronoun a word?" (وزيرها is وزير + ها, not و + زيرها). */
    int s0 = enclitic_len(c, m, tm);
    int p = 0, s = 0, done = 0;
#define STOP_IF_WORD(at)                                                   \
    do {                                                                   \
        if (prot(key, offs, (at), m, tm)) {                                \
            seg.protected_word = 1, done = 1;                              \
        } else if (s0 && m - s0 - (at) >= 2 && prot_rem(key, offs, c, (at), m - s0)) { \
            seg.protected_word = 1, done = 1, s = s0;                      \
        }                                                                  \
    } while (0)
    STOP_IF_WORD(0);
    /* conjunction */
    if (!done && (c[0] == AR_WAW || c[0] == AR_FA) && m - 1 >= 3) {
        p = 1;
        STOP_IF_WORD(p);
    }
    /* preposition, or future س before a verb */
    if (!done && m - p >= 3) {
        uint32_t a = c[p], b = c[p + 1];
        if (a == AR_LAM && b == AR_LAM) {
            /* ل + a word starting with ل (للبنان), else ل + ال (للمفاوضات) */
            int q = p + 1;
            if (prot(key, offs, q, m, tm) ||
                (s0 && m - s0 - q >= 2 && prot_rem(key, offs, c, q, m - s0))) {
                p = q;
                STOP_IF_WORD(p);
                done = 1;
            } else if (m - p - 2 >= 2) {
                p += 2;
                STOP_IF_WORD(p);
                done = 1;
            }
        } else if ((a == AR_BA || a == AR_KAF || a == AR_LAM) && m - p - 1 >= 3) {
            p += 1;
            STOP_IF_WORD(p);
        } else if (a == AR_SIN && (b == AR_YA || b == AR_TA || b == AR_NUN || b == AR_ALIF) &&
                   m - p - 1 >= 3 &&
                   (lex_is_verb(key + offs[p + 1], n - offs[p + 1]) ||
                    (s0 && m - s0 - p - 1 >= 3 &&
                     lex_is_verb(key + offs[p + 1], offs[m - s0] - offs[p + 1])))) {
            p += 1; /* سيقول، ستكون: a verb takes no article */
            done = 1;
        }
    }
    /* article: after another proclitic it must leave 3 letters (وكالات is
       not و + ك + ال + ات) */
    if (!done && c[p] == AR_ALIF && m - p >= 3 && c[p + 1] == AR_LAM &&
        m - p - 2 >= (p ? 3 : 2)) {
        p += 2;
        STOP_IF_WORD(p);
    }
#undef STOP_IF_WORD
    if (!seg.protected_word && s0 && m - p - s0 >= 3)
        s = s0;
    seg.pre_len = (uint8_t)(offs[p] > 255 ? 0 : offs[p]);
    seg.suf_len = (uint8_t)(n - offs[m - s] > 255 ? 0 : n - offs[m - s]);
    return seg;
}

static void cache_clear(Stemmer *s)
{
    memset(s->slots, 0, CACHE_SLOTS * sizeof *s->slots);
    s->used = 0;
    arena_reset(&s->arena);
}

const char *stem_key(Stemmer *s, const char *rem, size_t n, int protected_word,
                     size_t *out_len)
{
    if (n == 0 || n > MAX_STEM_INPUT) {
        *out_len = n;
        return rem;
    }
    /* the protected flag is part of the cache key: a different flag is a different entry */
    uint64_t h = (rasd_hash(rem, n) & ~(uint64_t)3) | (protected_word ? 3 : 1);
    uint32_t i = (uint32_t)h & (CACHE_SLOTS - 1);
    for (;;) {
        CacheEnt *e = &s->slots[i];
        if (!e->h)
            break;
        if (e->h == h && e->kn == n) {
            const char *kv = e->ext ? e->ext : e->inl;
            if (memcmp(kv, rem, n) == 0) {
                *out_len = e->vn;
                return kv + n;
            }
        }
        i = (i + 1) & (CACHE_SLOTS - 1);
    }
    /* miss: compute */
    const char *res = rem;
    size_t rn = n;
    size_t letters = 0;
    for (size_t i2 = 0; i2 < n; i2++)
        letters += ((unsigned char)rem[i2] & 0xC0) != 0x80;
    if (letters >= 3 && !protected_word) {
        size_t k = 0;
        int lam = (unsigned char)rem[0] == 0xD9 && (unsigned char)rem[1] == 0x84;
        if (!lam) {
            memcpy(s->in, "\xD8\xA7\xD9\x84", 4); /* "ال" */
            k = 4;
        }
        memcpy(s->in + k, rem, n);
        /* Keys fold ة to ه; Snowball only knows ة as a suffix. Restoring it
           for every final ه keeps the stem a function of the key alone. */
        if (s->in[k + n - 2] == '\xD9' && s->in[k + n - 1] == '\x87')
            memcpy(s->in + k + n - 2, "\xD8\xA9", 2);
        const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)s->in, (int)(n + k));
        if (r) {
            res = (const char *)r;
            rn = (size_t)sb_stemmer_length(s->sb);
            if (k && rn > 4 && memcmp(res, "\xD8\xA7\xD9\x84", 4) == 0) {
                res += 4; /* Snowball kept our article on a short word */
                rn -= 4;
            }
        }
        if (rn == 0 || rn > MAX_STEM_INPUT + 8) { /* never an empty stem */
            res = rem;
            rn = n;
        }
    }
    /* Snowball's output, folded back to key letters */
    char *v = s->out;
    memcpy(v, res, rn);
    v[rn] = '\0';
    for (size_t j = 0; j + 1 < rn; j++) {
        unsigned char a = (unsigned char)v[j], b = (unsigned char)v[j + 1];
        if (a == 0xD8 && b == 0xA9) /* ة → ه */
            v[j] = (char)0xD9, v[j + 1] = (char)0x87;
        else if (a == 0xD9 && b == 0x89) /* ى → ي */
            v[j + 1] = (char)0x8A;
    }
    *out_len = rn;
    if (s->used >= CACHE_MAX) {
        cache_clear(s);
        i = (uint32_t)h & (CACHE_SLOTS - 1);
    }
    CacheEnt *e = &s->slots[i];
    char *kv = e->inl;
    if (n + rn + 1 > CACHE_INL) {
        kv = arena_alloc(&s->arena, n + rn + 1);
        if (!kv) /* out of memory: answer without caching */
            return v;
    }
    memcpy(kv, rem, n);
    memcpy(kv + n, v, rn + 1);
    e->h = h;
    e->ext = kv == e->inl ? NULL : kv;
    e->kn = (uint16_t)n;
    e->vn = (uint16_t)rn;
    s->used++;
    return kv + n;
}

/* The analysis of an Arabic key, uncached: clitics, stem, stop flag. */
static void analyse_uncached(Stemmer *s, const char *k, size_t n, int tm, WordInfo *w)
{
    Seg seg = seg_clitics(k, n, tm);
    w->pre_len = seg.pre_len;
    w->suf_len = seg.suf_len;
    w->flags = seg.protected_word ? RASD_TF_LEX : 0;
    const char *rem = k + seg.pre_len;
    size_t rn = n - seg.pre_len - seg.suf_len;
    /* حكومته: a ta marbuta before a pronoun is written ت; stem it as ة
       (key ه) so it meets حكومة. Not after ا (سياراته is a plural) and not
       in short words (بيتي is بيت + ي). */
    if (seg.suf_len && rn >= 8 && rn < 250 && (unsigned char)rem[rn - 2] == 0xD8 &&
        (unsigned char)rem[rn - 1] == 0xAA &&
        !((unsigned char)rem[rn - 4] == 0xD8 && (unsigned char)rem[rn - 3] == 0xA7)) {
        char tmp[256];
        memcpy(tmp, rem, rn);
        tmp[rn - 2] = (char)0xD9;
        tmp[rn - 1] = (char)0x87;
        w->stem = stem_key(s, tmp, rn, seg.protected_word, &w->stem_len);
    } else {
        w->stem = stem_key(s, rem, rn, seg.protected_word, &w->stem_len);
    }
    if (lex_is_stop(k, n) || ((seg.pre_len || seg.suf_len) && lex_is_stop(rem, rn)))
        w->flags |= RASD_TF_STOP;
}

void analyse_word(Stemmer *s, const char *key, size_t n, int tm, WordInfo *out)
{
    if (n == 0 || n > 240) {
        analyse_uncached(s, key, n, tm, out);
        return;
    }
    uint64_t h = (rasd_hash(key, n) & ~(uint64_t)3) | (tm ? 3 : 1);
    uint32_t i = (uint32_t)h & (WORD_SLOTS - 1);
    for (;;) {
        WordEnt *e = &s->words[i];
        if (!e->h)
            break;
        if (e->h == h && e->kn == n) {
            const char *kv = e->ext ? e->ext : e->inl;
            if (memcmp(kv, key, n) == 0) {
                out->pre_len = e->pre;
                out->suf_len = e->suf;
                out->flags = (uint16_t)((e->flags & WF_STOP ? RASD_TF_STOP : 0) |
                                        (e->flags & WF_LEX ? RASD_TF_LEX : 0));
                out->stem = kv + n;
                out->stem_len = e->vn;
                return;
            }
        }
        i = (i + 1) & (WORD_SLOTS - 1);
    }
    analyse_uncached(s, key, n, tm, out);
    if (s->wused >= WORD_MAX) {
        memset(s->words, 0, WORD_SLOTS * sizeof *s->words);
        s->wused = 0;
        arena_reset(&s->warena);
        i = (uint32_t)h & (WORD_SLOTS - 1);
    }
    WordEnt *e = &s->words[i];
    size_t vn = out->stem_len;
    char *kv = e->inl;
    if (n + vn + 1 > WORD_INL) {
        kv = arena_alloc(&s->warena, n + vn + 1);
        if (!kv) /* out of memory: answer without caching */
            return;
    }
    memcpy(kv, key, n);
    memcpy(kv + n, out->stem, vn);
    kv[n + vn] = '\0';
    e->h = h;
    e->ext = kv == e->inl ? NULL : kv;
    e->kn = (uint16_t)n;
    e->vn = (uint16_t)vn;
    e->pre = out->pre_len;
    e->suf = out->suf_len;
    e->flags = (uint8_t)((out->flags & RASD_TF_STOP ? WF_STOP : 0) |
                         (out->flags & RASD_TF_LEX ? WF_LEX : 0));
    s->wused++;
    out->stem = kv + n;
}
