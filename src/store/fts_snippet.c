/*
 * fts_snippet.c — rasd's own search snippets: the part of an article's body
 * where the query's words are, with each matching word between markers.
 *
 * FTS5's snippet() re-tokenises the whole body with the rasd tokenizer (the
 * text core's full analysis of every word) for every hit; on the 25k-article
 * store that was most of an uncached search's CPU. Here the body is only
 * folded (fold(): the key normalisation's letter folding for the common
 * cases, one pass, with a map back to the original bytes) and searched for
 * each query term's letters (a plain substring test, allowed to over-match;
 * a rarer form the fold leaves alone only costs a candidate); the densest
 * place (most distinct terms within
 * SNIP_SPAN_BYTES) is then tokenised alone — a few hundred bytes — and its
 * tokens are matched against the terms exactly as the index would (light
 * stem or "=" key). A candidate whose tokens do not match after all (the
 * substring was inside another word) gives way to the next one; with no
 * match in the body (title-only or entity-key hits) the snippet is the
 * body's start, as FTS5 gives it.
 *
 * The terms are read from the match expression the search ran (every
 * quoted string before a NOT, except the keys column's), tokenised in query
 * mode, so names' other spellings are highlighted too.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "fts_int.h"
#include "text/text.h"

#define SNIP_TOKENS 24       /* words in a snippet, as snippet(..., 24) */
#define SNIP_BEFORE 5        /* words kept before the first match */
#define SNIP_REGION 340      /* bytes tokenised around a candidate: about 30 words */
#define SNIP_LEAD 80         /* of them before the candidate: a few more than SNIP_BEFORE */
#define SNIP_SPAN_BYTES 220  /* normalised bytes in which distinct terms are counted */
#define SNIP_TRIES 4         /* candidates verified before falling back */
#define SNIP_MAX_CAND 256    /* candidate occurrences kept per body */
#define SNIP_MAX_TOKENS 160  /* tokens read from one region */

void fts_terms_free(FtsTerms *t)
{
    if (!t)
        return;
    buf_free(&t->buf);
    memset(t, 0, sizeof *t);
}

static int add_term(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b, int coloc)
{
    (void)a, (void)b, (void)coloc;
    FtsTerms *t = ctx;
    for (size_t i = 0; i < t->n; i++)
        if (t->len[i] == len && !memcmp(t->buf.data + t->off[i], tok, len))
            return 0;
    if (t->n == FTS_MAX_TERMS || !len)
        return 0;
    t->len[t->n] = len;
    t->off[t->n++] = t->buf.len;
    buf_append(&t->buf, tok, len);
    return t->buf.oom ? -1 : 0;
}

int fts_terms(rasd_text *tx, const char *expr, FtsTerms *t)
{
    memset(t, 0, sizeof *t);
    Buf s = {0}, scratch = {0};
    int rc = 0;
    size_t n = expr ? strlen(expr) : 0;
    for (size_t i = 0; i < n && !rc;) {
        if (expr[i] != '"') {
            if (!strncmp(expr + i, " NOT ", 5))
                break; /* negated units follow: nothing of theirs is in a hit */
            i++;
            continue;
        }
        buf_reset(&s);
        for (i++; i < n; i++) {
            if (expr[i] == '"') {
                if (i + 1 < n && expr[i + 1] == '"') {
                    buf_putc(&s, '"');
                    i++;
                    continue;
                }
                i++;
                break;
            }
            buf_putc(&s, expr[i]);
        }
        if (s.oom) {
            rc = -1;
            break;
        }
        if (!s.len || s.data[0] == FTS_KEYS_MARK)
            continue;
        int flags = FTS_TOK_QUERY | (s.data[0] == '=' ? FTS_TOK_EXACT : 0);
        rc = fts_tokens(tx, s.data, s.len, flags, &scratch, add_term, t) < 0 ? -1 : 0;
    }
    buf_free(&s);
    buf_free(&scratch);
    if (rc)
        fts_terms_free(t);
    return rc;
}

/* The letters a term's surface form surely contains, in key form: the stem
   without a final ه or ي (ات and ة, يين and ي end a stem differently from
   the surface), the key after "=". */
static void needle(const FtsTerms *t, size_t i, const char **s, size_t *n)
{
    const char *p = t->buf.data + t->off[i];
    size_t len = t->len[i];
    if (len && p[0] == '=') {
        *s = p + 1, *n = len - 1;
        return;
    }
    if (len >= 6 && (!memcmp(p + len - 2, "ه", 2) || !memcmp(p + len - 2, "ي", 2)))
        len -= 2;
    *s = p, *n = len;
}

typedef struct Cand {
    uint32_t at;     /* byte offset in the normalised body */
    uint16_t term;   /* index in FtsTerms */
} Cand;

static int cmp_cand(const void *a, const void *b)
{
    const Cand *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Tokens of one region, and which of them match a term. */
typedef struct Region {
    const FtsTerms *t;
    uint32_t base;                 /* region's offset in the body */
    uint32_t s[SNIP_MAX_TOKENS], e[SNIP_MAX_TOKENS]; /* token spans in the body, bytes */
    uint8_t hit[SNIP_MAX_TOKENS];  /* token matches a term */
    size_t n;                      /* tokens */
} Region;

static int region_tok(void *ctx, const char *tok, size_t len, uint32_t a, uint32_t b, int coloc)
{
    Region *r = ctx;
    if (!coloc) {
        if (r->n == SNIP_MAX_TOKENS)
            return 1;
        r->s[r->n] = r->base + a;
        r->e[r->n] = r->base + b;
        r->hit[r->n++] = 0;
    }
    if (!r->n)
        return 0;
    for (size_t i = 0; i < r->t->n; i++)
        if (r->t->len[i] == len && !memcmp(r->t->buf.data + r->t->off[i], tok, len))
            r->hit[r->n - 1] = 1;
    return 0;
}

/* What fold() does with a two-byte letter, by lead byte (ؠ-ؿ: D8, ـ-ٿ:
   D9, ۀ-ۿ: DB) and the low six bits of the second byte. */
enum { F_COPY, F_DROP, F_ALEF, F_YA, F_HA, F_WAW, F_DIGIT0 /* ... F_DIGIT0 + 9 */ };
static uint8_t fold_tab[3][64];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_init(void)
{
    static const unsigned char lead[3] = {0xD8, 0xD9, 0xDB};
    for (int l = 0; l < 3; l++)
        for (uint32_t k = 0; k < 64; k++) {
            uint32_t cp = ((uint32_t)(lead[l] & 0x1F) << 6) | k;
            uint8_t f = F_COPY;
            if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640)
                f = F_DROP; /* tashkeel, superscript alef, tatweel */
            else if (cp >= 0x0660 && cp <= 0x0669)
                f = (uint8_t)(F_DIGIT0 + (cp - 0x0660));
            else if (cp >= 0x06F0 && cp <= 0x06F9)
                f = (uint8_t)(F_DIGIT0 + (cp - 0x06F0));
            else if (cp == 0x0622 || cp == 0x0623 || cp == 0x0625 || cp == 0x0671)
                f = F_ALEF;
            else if (cp == 0x0649 || cp == 0x0626)
                f = F_YA;
            else if (cp == 0x0629)
                f = F_HA;
            else if (cp == 0x0624)
                f = F_WAW;
            fold_tab[l][k] = f;
        }
}

/*
 * The body folded as name and search keys fold letters, for finding
 * candidates only: diacritics and tatweel dropped, أ إ آ ٱ → ا, ى ئ → ي,
 * ة → ه, ؤ → و, Arabic-Indic digits → ASCII, ASCII letters lower-cased;
 * everything else copied. map[i] is the body offset output byte i came
 * from. out and map hold at least len bytes / entries. One table look-up
 * per Arabic letter (fold_tab): this runs over every kept hit's whole body.
 */
static size_t fold(const char *body, size_t len, char *out, uint32_t *map)
{
    static const char *const repl[4] = {"ا", "ي", "ه", "و"}; /* F_ALEF .. F_WAW, 2 bytes each */
    pthread_once(&fold_once, fold_init);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)body[i];
        if (c < 0x80) {
            map[o] = (uint32_t)i;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        int l = c == 0xD8 ? 0 : c == 0xD9 ? 1 : c == 0xDB ? 2 : -1;
        uint8_t f = l < 0 || i + 1 >= len ? F_COPY : fold_tab[l][(unsigned char)body[i + 1] & 0x3F];
        if (f == F_COPY) { /* the byte as it is (a letter's second byte comes next) */
            map[o] = (uint32_t)i;
            out[o++] = body[i++];
        } else if (f == F_DROP) {
            i += 2;
        } else if (f >= F_DIGIT0) {
            map[o] = (uint32_t)i;
            out[o++] = (char)('0' + (f - F_DIGIT0));
            i += 2;
        } else {
            map[o] = map[o + 1] = (uint32_t)i;
            out[o++] = repl[f - F_ALEF][0];
            out[o++] = repl[f - F_ALEF][1];
            i += 2;
        }
    }
    return o;
}

/* The first occurrence of s[0..sn) in h[0..hn), or NULL. Anchored on the
   needle's last byte: Arabic letters in UTF-8 share two lead bytes, so a
   scan for the first byte stopped at nearly every letter; the last byte
   (a letter's own continuation byte) is rarer. */
static const char *find(const char *h, size_t hn, const char *s, size_t sn)
{
    if (!sn || sn > hn)
        return NULL;
    unsigned char last = (unsigned char)s[sn - 1];
    for (size_t i = sn - 1; i < hn;) {
        const char *p = memchr(h + i, last, hn - i);
        if (!p)
            return NULL;
        size_t at = (size_t)(p - h);
        if (!memcmp(h + at - (sn - 1), s, sn - 1))
            return h + at - (sn - 1);
        i = at + 1;
    }
    return NULL;
}

static int is_boundary(const char *s, size_t i) { return ((unsigned char)s[i] & 0xC0) != 0x80; }

/* Tokenises body[a, b) (moved to character boundaries) into r. */
static int tokenise_region(rasd_text *tx, const char *body, size_t len, size_t a, size_t b,
                           Region *r, Buf *scratch)
{
    while (a > 0 && !is_boundary(body, a))
        a--;
    if (b > len)
        b = len;
    while (b < len && !is_boundary(body, b))
        b++;
    /* end on a space so the last word is whole */
    while (b < len && b - a < SNIP_REGION * 2 && body[b] != ' ' && body[b] != '\n')
        b++;
    r->n = 0;
    r->base = (uint32_t)a;
    int rc = fts_tokens(tx, body + a, b - a, 0, scratch, region_tok, r);
    return rc < 0 ? -1 : 0;
}

/* Appends body[a, b) to out, the matching tokens of r inside markers. */
static void put_window(const char *body, size_t len, const Region *r, size_t first, size_t last,
                       const char *mo, const char *mc, Buf *out)
{
    size_t a = r->s[first], b = r->e[last];
    if (first > 0 || r->base > 0)
        buf_puts(out, "…");
    size_t at = a;
    for (size_t i = first; i <= last; i++) {
        if (!r->hit[i])
            continue;
        buf_append(out, body + at, r->s[i] - at);
        buf_puts(out, mo);
        buf_append(out, body + r->s[i], r->e[i] - r->s[i]);
        buf_puts(out, mc);
        at = r->e[i];
    }
    buf_append(out, body + at, b - at);
    size_t tail = b;
    while (tail < len && (body[tail] == ' ' || body[tail] == '\n' || body[tail] == '\r' ||
                          body[tail] == '\t'))
        tail++;
    if (tail < len)
        buf_puts(out, "…");
}

/* The window of region r around its first match (or its start). */
static void window_of(const Region *r, size_t *first, size_t *last)
{
    size_t m = 0;
    while (m < r->n && !r->hit[m])
        m++;
    if (m == r->n)
        m = 0;
    size_t f = m > SNIP_BEFORE ? m - SNIP_BEFORE : 0;
    /* more matches just after the first: move the window no further back */
    size_t l = f + SNIP_TOKENS - 1 < r->n ? f + SNIP_TOKENS - 1 : r->n - 1;
    /* a short tail: take more words before */
    while (l - f + 1 < SNIP_TOKENS && f > 0)
        f--;
    *first = f, *last = l;
}

char *fts_snippet(rasd_text *tx, const FtsTerms *t, const char *body, size_t len, const char *mo,
                  const char *mc)
{
    Buf out = {0}, scratch = {0};
    Region *r = calloc(1, sizeof *r);
    char *norm = NULL;
    uint32_t *map = NULL;
    size_t nlen = 0;
    Cand *cand = NULL;
    size_t nc = 0;
    int found = 0;
    if (!r)
        goto done;
    r->t = t;
    if (t->n && len && (norm = malloc(len)) && (map = malloc(len * sizeof *map)) &&
        (cand = malloc(SNIP_MAX_CAND * sizeof *cand))) {
        nlen = fold(body, len, norm, map);
        /* every occurrence of every term's letters, in body order */
        for (size_t i = 0; i < t->n; i++) {
            const char *s;
            size_t sn;
            needle(t, i, &s, &sn);
            if (!sn)
                continue;
            for (const char *p = norm;
                 nc < SNIP_MAX_CAND && (p = find(p, nlen - (size_t)(p - norm), s, sn)); p += sn)
                cand[nc++] = (Cand){(uint32_t)(p - norm), (uint16_t)i};
        }
        qsort(cand, nc, sizeof *cand, cmp_cand);
        /* the densest places first: distinct terms within SNIP_SPAN_BYTES */
        size_t *score = calloc(nc ? nc : 1, sizeof *score);
        for (size_t i = 0; score && i < nc; i++) {
            uint64_t seen = 0;
            for (size_t j = i; j < nc && cand[j].at - cand[i].at < SNIP_SPAN_BYTES; j++)
                seen |= 1ull << (cand[j].term % 64);
            score[i] = (size_t)__builtin_popcountll(seen);
        }
        for (int tries = 0; score && tries < SNIP_TRIES && !found; tries++) {
            size_t best = nc;
            for (size_t i = 0; i < nc; i++)
                if (score[i] && (best == nc || score[i] > score[best]))
                    best = i;
            if (best == nc)
                break;
            score[best] = 0;
            size_t at = map[cand[best].at];
            /* a few words of context before the candidate */
            size_t a = at > SNIP_LEAD ? at - SNIP_LEAD : 0;
            while (a > 0 && a < at && body[a - 1] != ' ' && body[a - 1] != '\n')
                a++;
            if (tokenise_region(tx, body, len, a, a + SNIP_REGION, r, &scratch) != 0)
                break;
            for (size_t i = 0; i < r->n && !found; i++)
                found = r->hit[i];
        }
        free(score);
    }
    if (!found && r && tokenise_region(tx, body, len, 0, SNIP_REGION, r, &scratch) != 0)
        r->n = 0;
    if (r && r->n) {
        size_t first, last;
        window_of(r, &first, &last);
        put_window(body, len, r, first, last, mo, mc, &out);
    }
done:
    free(cand);
    free(norm);
    free(map);
    free(r);
    buf_free(&scratch);
    buf_putc(&out, 0);
    if (out.oom) {
        buf_free(&out);
        return NULL;
    }
    return buf_steal(&out);
}
