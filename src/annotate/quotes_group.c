/*
 * quotes_group.c — the quotations of a story, grouped for a reader: one
 * group per speaker, and within it one entry per statement however many
 * outlets carried it (quotes.h, quotes_group).
 *
 * Main idea:
 *   - speakers: quotes with the same speaker key are one speaker; across
 *     the story a one-word key that is the last (or first) word of exactly
 *     one longer key is that person too (المالكي → نوري المالكي: each
 *     article keys its own mentions, so one article may only have the
 *     surname);
 *   - statements: two quotes of one speaker are the same statement when
 *     most words of the shorter one are in the longer one (word keys,
 *     containment ≥ SAME_SHARE over at most SIG_WORDS words each): outlets
 *     trim, reorder the opening words and respell hamzas, so a byte prefix
 *     misses most copies.
 * Work: near-linear in the story's quotes (a story may carry thousands):
 * speakers through a hash on the key and one on the first and last words
 * of the fuller keys; statements through postings (speaker, word) → the
 * speaker's entries holding that word, so a quote visits only the entries
 * that share a word with it and counts the common words there. The result
 * is the pairwise definition's:
 * common ≥ SAME_SHARE × the shorter one's words, both ≥ SAME_MIN words,
 * the earliest such entry of the same speaker. QuoteGroups.work counts the
 * probes and postings visited.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

#define SIG_WORDS 48     /* word hashes kept per quote */
#define SAME_SHARE 0.6   /* share of the shorter quote's words in the longer one */
#define SAME_MIN 3       /* words a quote needs to be compared at all */

typedef struct Sig {
    uint64_t h[SIG_WORDS]; /* sorted distinct word-key hashes */
    uint32_t n;            /* how many */
} Sig;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The word signature of the quoted bytes [a,b) of d. */
static void quote_sig(const rasd_doc *d, uint32_t a, uint32_t b, Sig *s)
{
    const rasd_token *t = rasd_doc_tokens(d);
    size_t n = rasd_doc_ntokens(d), lo = token_ending_after(t, n, a);
    s->n = 0;
    for (size_t i = lo; i < n && t[i].start < b && s->n < SIG_WORDS; i++) {
        if (t[i].type == RASD_TOK_PUNCT || t[i].key_len == 0)
            continue;
        size_t skip = t[i].pre_len < t[i].key_len ? t[i].pre_len : 0; /* وقال ~ قال */
        s->h[s->n++] = rasd_hash(t[i].key + skip, t[i].key_len - skip);
    }
    qsort(s->h, s->n, sizeof s->h[0], cmp_u64);
    uint32_t k = 0;
    for (uint32_t i = 0; i < s->n; i++)
        if (!k || s->h[k - 1] != s->h[i])
            s->h[k++] = s->h[i];
    s->n = k;
}

static const char *ref_key(const QuoteDoc *docs, const QuoteRef *r, uint32_t *len)
{
    const QuoteList *l = docs[r->doc].quotes;
    const Quote *q = &l->items[r->q];
    *len = q->key_len;
    return q->key_len ? l->keys.data + q->key_off : NULL;
}

#define NONE UINT32_MAX

static size_t pow2_at_least(size_t n)
{
    size_t s = 16;
    while (s < n)
        s <<= 1;
    return s;
}

/* A word or key met while grouping speakers: where its bytes are, and the
   speaker head it leads to (same key), or how many fuller keys it begins or
   ends and the last of them (a one-word key). */
typedef struct KeySlot {
    const char *w;   /* the bytes (in a QuoteList's keys); NULL: empty slot */
    uint32_t len;    /* bytes */
    uint32_t head;   /* ref index of the speaker head */
    uint32_t count;  /* fuller keys this word begins or ends (distinct heads) */
} KeySlot;

/* The slot of bytes w (n) in tab (cap a power of two): its own or the empty
   one where it belongs. */
static KeySlot *key_slot(KeySlot *tab, size_t cap, const char *w, uint32_t n, uint64_t *work)
{
    size_t i = (size_t)rasd_hash(w, n) & (cap - 1);
    for (;; i = (i + 1) & (cap - 1)) {
        (*work)++;
        if (!tab[i].w || (tab[i].len == n && !memcmp(tab[i].w, w, n)))
            return &tab[i];
    }
}

/* Counts one fuller key (head j) for the word w (n bytes). */
static void count_part(KeySlot *tab, size_t cap, const char *w, uint32_t n, uint32_t j,
                       uint64_t *work)
{
    KeySlot *s = key_slot(tab, cap, w, n, work);
    if (!s->w)
        *s = (KeySlot){w, n, j, 0};
    if (s->count == 0 || s->head != j)
        s->count++;
    s->head = j;
}

int quotes_key_nasab_before(const char *key, const char *lsp)
{
    const char *w = lsp;
    while (w > key && w[-1] != ' ')
        w--;
    size_t n = (size_t)(lsp - w);
    return (n == 4 && !memcmp(w, "بن", 4)) || (n == 6 && !memcmp(w, "ابن", 6)) ||
           (n == 6 && !memcmp(w, "بنت", 6));
}

/* The hash of a first and a last word together. */
static uint64_t pair_hash(const char *f, uint32_t fn, const char *l, uint32_t ln)
{
    return rasd_hash(f, fn) * 0x9E3779B97F4A7C15ull ^ rasd_hash(l, ln);
}

/* Speaker groups: same key (a hash on the key), then one-word keys onto
   their one fuller key (a hash on the first and the family name of each
   fuller key: never a father's name after بن), and two-word keys (عادل
   الجبير) onto the one longer key with the same first and last words (عادل
   بن أحمد الجبير). Linear in the quotes. tab has cap ≥ 2n slots. */
static void group_speakers(const QuoteDoc *docs, QuoteRef *r, size_t n, KeySlot *tab,
                           size_t cap, uint64_t *work)
{
    memset(tab, 0, cap * sizeof *tab);
    for (size_t i = 0; i < n; i++) {
        uint32_t li;
        const char *ki = ref_key(docs, &r[i], &li);
        r[i].speaker = (uint32_t)i;
        if (!ki)
            continue;
        KeySlot *s = key_slot(tab, cap, ki, li, work);
        if (s->w)
            r[i].speaker = s->head;
        else
            *s = (KeySlot){ki, li, (uint32_t)i, 0};
    }
    /* the fuller keys' first and last words; one-word keys are never fuller
       (key_part needs a space), so merging them changes no count; and the
       first and last words together of keys of three words or more, for a
       two-word key (pairs: their hash → 1 + the head, NONE: several) */
    memset(tab, 0, cap * sizeof *tab);
    IdMap pairs = {0};
    for (size_t j = 0; j < n; j++) {
        uint32_t lj;
        const char *kj = ref_key(docs, &r[j], &lj);
        if (r[j].speaker != j || !kj)
            continue;
        const char *sp = memchr(kj, ' ', lj);
        if (!sp || sp == kj || kj[lj - 1] == ' ')
            continue;
        const char *lsp = kj + lj - 1;
        while (*lsp != ' ')
            lsp--;
        uint32_t fn = (uint32_t)(sp - kj), ln = (uint32_t)(kj + lj - lsp - 1);
        count_part(tab, cap, kj, fn, (uint32_t)j, work);
        if (!quotes_key_nasab_before(kj, lsp)) /* after بن the last word is the father's name */
            count_part(tab, cap, lsp + 1, ln, (uint32_t)j, work);
        if (lsp != sp) { /* three words or more: its first and last words together */
            uint32_t *v = idmap_slot(&pairs, pair_hash(kj, fn, lsp + 1, ln));
            if (v)
                *v = (*v == 0 || *v == j + 1) ? (uint32_t)j + 1 : NONE;
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t li;
        const char *ki = ref_key(docs, &r[i], &li);
        if (r[i].speaker != i || !ki)
            continue;
        const char *sp = memchr(ki, ' ', li);
        if (sp) { /* عادل الجبير onto the one عادل بن أحمد الجبير */
            uint32_t fn = (uint32_t)(sp - ki);
            if (fn && fn + 1 < li && !memchr(sp + 1, ' ', li - fn - 1)) {
                uint32_t v = idmap_get(&pairs, pair_hash(ki, fn, sp + 1, li - fn - 1));
                if (v && v != NONE && v - 1 != i)
                    r[i].speaker = (v - 1) | 0x80000000u;
            }
            continue;
        }
        KeySlot *s = key_slot(tab, cap, ki, li, work);
        if (s->w && s->count == 1) /* two people of that name in the story: leave it */
            r[i].speaker = s->head | 0x80000000u; /* marked: resolved below */
    }
    idmap_free(&pairs);
    for (size_t k = 0; k < n; k++) {
        uint32_t h = r[k].speaker;
        if (!(h & 0x80000000u) && (r[h].speaker & 0x80000000u))
            r[k].speaker = r[h].speaker;
    }
    for (size_t k = 0; k < n; k++)
        r[k].speaker &= 0x7fffffffu;
}

/* Statement postings: for a speaker and a word hash, the entries (first
   quotes of a statement) holding that word. */
typedef struct PostSlot {
    uint64_t h;      /* word hash */
    uint32_t spk;    /* speaker head; NONE: empty slot */
    uint32_t first;  /* first node in the posting pool */
} PostSlot;

typedef struct PostNode {
    uint32_t ref;    /* entry's ref index */
    uint32_t next;   /* next node, NONE at the end */
} PostNode;

/* Entries: quote i is the same statement as the first earlier entry of its
   speaker that holds ≥ SAME_SHARE of the shorter one's words; the entries sharing a word with it are
   found through the postings and their common words counted there (the
   signatures are sets, so the count is the merge's), so only entries that
   share a word are visited, never every earlier quote. */
static rasd_err group_entries(QuoteRef *r, size_t n, const Sig *sig, size_t words,
                              uint64_t *work)
{
    size_t cap = pow2_at_least(2 * words + 2);
    PostSlot *tab = malloc(cap * sizeof *tab);
    PostNode *pool = malloc((words ? words : 1) * sizeof *pool);
    uint32_t *cnt = calloc(n ? n : 1, sizeof *cnt), *touched = malloc((n ? n : 1) * sizeof *touched);
    if (!tab || !pool || !cnt || !touched) {
        free(tab);
        free(pool);
        free(cnt);
        free(touched);
        return RASD_ENOMEM;
    }
    for (size_t i = 0; i < cap; i++)
        tab[i].spk = NONE;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const Sig *si = &sig[i];
        uint32_t spk = r[i].speaker;
        r[i].entry = (uint32_t)i;
        if (si->n < SAME_MIN)
            continue; /* too short to be compared: its own entry, never matched */
        size_t nt = 0;
        PostSlot *slot[SIG_WORDS];
        for (uint32_t w = 0; w < si->n; w++) {
            size_t p = (size_t)(si->h[w] ^ (spk * 0x9e3779b97f4a7c15ull)) & (cap - 1);
            while (tab[p].spk != NONE && (tab[p].spk != spk || tab[p].h != si->h[w])) {
                p = (p + 1) & (cap - 1);
                (*work)++;
            }
            slot[w] = &tab[p];
            if (tab[p].spk == NONE)
                continue;
            for (uint32_t x = tab[p].first; x != NONE; x = pool[x].next) {
                (*work)++;
                if (cnt[pool[x].ref]++ == 0)
                    touched[nt++] = pool[x].ref;
            }
        }
        uint32_t best = NONE;
        for (size_t t = 0; t < nt; t++) {
            uint32_t j = touched[t], m = si->n < sig[j].n ? si->n : sig[j].n;
            if (j < best && cnt[j] >= SAME_SHARE * m)
                best = j;
            cnt[j] = 0;
        }
        if (best != NONE) {
            r[i].entry = best;
            continue;
        }
        for (uint32_t w = 0; w < si->n && used < words; w++) { /* a new entry: index it */
            PostSlot *s = slot[w];
            if (s->spk == NONE)
                *s = (PostSlot){si->h[w], spk, NONE};
            pool[used] = (PostNode){(uint32_t)i, s->first};
            s->first = (uint32_t)used++;
        }
    }
    free(tab);
    free(pool);
    free(cnt);
    free(touched);
    return RASD_OK;
}

rasd_err quotes_group(const QuoteDoc *docs, size_t ndocs, QuoteGroups *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = 0;
    for (size_t d = 0; d < ndocs; d++)
        n += docs[d].quotes ? docs[d].quotes->n : 0;
    if (n >= 0x7fffffffu)
        return rasd_fail(err, RASD_EINVAL, "quotes_group: too many quotes (%zu)", n);
    size_t kcap = pow2_at_least(2 * n + 2);
    out->refs = malloc((n ? n : 1) * sizeof *out->refs);
    Sig *sig = malloc((n ? n : 1) * sizeof *sig);
    KeySlot *keys = malloc(kcap * sizeof *keys);
    if (!out->refs || !sig || !keys) {
        free(sig);
        free(keys);
        quotes_groups_free(out);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    size_t k = 0, words = 0;
    for (size_t d = 0; d < ndocs; d++)
        for (size_t q = 0; docs[d].quotes && q < docs[d].quotes->n; q++) {
            const Quote *qu = &docs[d].quotes->items[q];
            out->refs[k] = (QuoteRef){(uint32_t)d, (uint32_t)q, 0, (uint32_t)k};
            quote_sig(docs[d].doc, qu->start, qu->end, &sig[k]);
            words += sig[k].n;
            k++;
        }
    out->n = n;
    group_speakers(docs, out->refs, n, keys, kcap, &out->work);
    free(keys);
    rasd_err rc = group_entries(out->refs, n, sig, words, &out->work);
    free(sig);
    if (rc != RASD_OK) {
        quotes_groups_free(out);
        return rasd_fail(err, rc, "out of memory");
    }
    return RASD_OK;
}

void quotes_groups_free(QuoteGroups *g)
{
    free(g->refs);
    memset(g, 0, sizeof *g);
}
