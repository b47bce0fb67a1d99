/*
 * cooc.c — co-occurrence similarity learned from the archive (cooc.h).
 *
 * Each article contributes its context: its headline stems, then its
 * strongest body stems and entity keys by TF-IDF weight, at most COOC_CTX
 * items. The model counts, over the articles added, how many contain each
 * item and each unordered pair of items. Two items are related by their
 * normalised PMI, log(p(xy) / p(x)p(y)) / -log p(xy), once they share
 * COOC_MIN articles: items of one story (ذخيرة and أسلحة in the reports
 * of one arms deal, a minister and his ministry) score high, items that
 * merely are frequent score near 0.
 *
 * cooc_soft turns that into a soft overlap of two articles' contexts:
 * each item counts by its weight, fully when the other side has it, else
 * by its best relation to an item of the other side. Exact overlap is the
 * plain context cosine's evidence; the soft links are what the archive
 * adds, and cooc_soft reports them so `rasd similar` can say why.
 *
 * Determinism: counts are sums, so the same set of articles gives the
 * same model in any order, as long as the pair table stays under
 * max_pairs. Past it, pairs seen in one article only are dropped (then
 * two, ...), which depends on how many articles came before; the caller
 * keeps that order canonical (stories add a day's articles once the day
 * is complete, so a model used for day D decisions holds days <= D).
 */
#include "story/cooc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COOC_TITLE 8      /* headline stems in the context */
#define COOC_TERMS 5      /* strongest body stems not in the headline */
#define COOC_ENTS 3       /* strongest entity keys */
#define COOC_DEFAULT_PAIRS (2u << 20)

struct Cooc {
    IdMap items;         /* item id -> articles containing it */
    IdMap pairs;         /* pair key -> articles containing both */
    uint32_t docs;       /* articles added */
    size_t max_pairs;    /* pair table bound */
    uint32_t floor;      /* pairs seen in fewer articles were dropped (0: none) */
};

Cooc *cooc_new(size_t max_pairs)
{
    Cooc *c = calloc(1, sizeof *c);
    if (c)
        c->max_pairs = max_pairs ? max_pairs : COOC_DEFAULT_PAIRS;
    return c;
}

void cooc_free(Cooc *c)
{
    if (!c)
        return;
    idmap_free(&c->items);
    idmap_free(&c->pairs);
    free(c);
}

uint32_t cooc_docs(const Cooc *c) { return c->docs; }
size_t cooc_pairs(const Cooc *c) { return c->pairs.n; }

/* The key of an unordered pair (a 64-bit mix: collisions are negligible). */
static uint64_t pair_key(uint64_t x, uint64_t y)
{
    if (x > y) {
        uint64_t t = x;
        x = y;
        y = t;
    }
    uint64_t h = x * 0x9E3779B97F4A7C15ull ^ (y + 0x632BE59BD9B4E019ull);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 29);
}

typedef struct Item {
    uint64_t id;
    double w;
} Item;

static int item_by_weight(const void *a, const void *b)
{
    const Item *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static double weight_in(const SvTerm *t, size_t n, uint64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t[mid].id == id)
            return t[mid].w;
        if (t[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int has(const Item *it, size_t n, uint64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (it[i].id == id)
            return 1;
    return 0;
}

/* Picks the strongest k of t[0..n) not yet in out, by weight. */
static size_t take(Item *out, size_t have, const SvTerm *t, size_t n, size_t k, double scale)
{
    Item best[COOC_CTX];
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        if (has(out, have, t[i].id))
            continue;
        Item x = { t[i].id, t[i].w * scale };
        if (nb < k) {
            best[nb++] = x;
        } else if (item_by_weight(&x, &best[nb - 1]) < 0) {
            best[nb - 1] = x;
        } else {
            continue;
        }
        for (size_t j = nb - 1; j > 0 && item_by_weight(&best[j], &best[j - 1]) < 0; j--) {
            Item s = best[j];
            best[j] = best[j - 1];
            best[j - 1] = s;
        }
    }
    memcpy(out + have, best, nb * sizeof *best);
    return have + nb;
}

/* An article's context: headline stems (weighted as in the whole text),
   its strongest other stems, its strongest entity keys; sorted by weight. */
static size_t context(const StoryVec *v, Item *out)
{
    Item head[SV_MAX_TITLE];
    size_t nh = 0;
    for (size_t i = 0; i < v->ntitle && nh < SV_MAX_TITLE; i++) {
        double w = weight_in(v->terms, v->nterms, v->title[i].id);
        head[nh++] = (Item){ v->title[i].id, w > 0 ? w : v->title[i].w };
    }
    qsort(head, nh, sizeof *head, item_by_weight);
    size_t n = nh < COOC_TITLE ? nh : COOC_TITLE;
    memcpy(out, head, n * sizeof *out);
    n = take(out, n, v->terms, v->nterms, COOC_TERMS, 1);
    n = take(out, n, v->ents, v->nents, COOC_ENTS, 1);
    qsort(out, n, sizeof *out, item_by_weight);
    return n;
}

/* Drops the rarest pairs until the table is under three quarters of its bound. */
static int prune(Cooc *c)
{
    while (c->pairs.n > c->max_pairs / 4 * 3) {
        c->floor++;
        IdMap kept = { 0 };
        for (size_t s = 0; s < c->pairs.cap; s++) {
            if (!c->pairs.ids[s] || c->pairs.vals[s] <= c->floor)
                continue;
            uint32_t *v = idmap_slot(&kept, c->pairs.ids[s]);
            if (!v) {
                idmap_free(&kept);
                return -1;
            }
            *v = c->pairs.vals[s];
        }
        idmap_free(&c->pairs);
        c->pairs = kept;
    }
    return 0;
}

int cooc_update(Cooc *c, const StoryVec *v)
{
    Item ctx[COOC_CTX];
    size_t n = context(v, ctx);
    /* reserve first: a failure leaves the counts as they were */
    for (size_t i = 0; i < n; i++)
        if (!idmap_slot(&c->items, ctx[i].id))
            return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!idmap_slot(&c->pairs, pair_key(ctx[i].id, ctx[j].id)))
                return -1;
    for (size_t i = 0; i < n; i++)
        (*idmap_slot(&c->items, ctx[i].id))++;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            (*idmap_slot(&c->pairs, pair_key(ctx[i].id, ctx[j].id)))++;
    c->docs++;
    return c->pairs.n > c->max_pairs ? prune(c) : 0;
}

double cooc_npmi(const Cooc *c, uint64_t x, uint64_t y)
{
    if (x == y)
        return 1;
    uint32_t nxy = idmap_get(&c->pairs, pair_key(x, y));
    if (nxy < COOC_MIN || !c->docs)
        return 0;
    double n = c->docs, px = idmap_get(&c->items, x) / n, py = idmap_get(&c->items, y) / n;
    double pxy = nxy / n;
    if (px <= 0 || py <= 0 || pxy >= 1)
        return 0;
    double v = log(pxy / (px * py)) / -log(pxy);
    return v > 1 ? 1 : v < -1 ? -1 : v;
}

/* One direction: a's items matched in b. Adds soft links to why. */
static double one_way(const Cooc *c, const Item *a, size_t na, const Item *b, size_t nb,
                      CoocWhy *why, int flip, double *exact)
{
    double tw = 0, got = 0, ex = 0;
    for (size_t i = 0; i < na; i++)
        tw += a[i].w;
    if (tw <= 0)
        return 0;
    for (size_t i = 0; i < na; i++) {
        double best = 0;
        size_t bj = nb;
        int same = has(b, nb, a[i].id);
        for (size_t j = 0; j < nb && !same; j++) {
            double r = cooc_npmi(c, a[i].id, b[j].id);
            if (r > best) {
                best = r;
                bj = j;
            }
        }
        if (same)
            best = 1;
        got += a[i].w * best;
        if (same)
            ex += a[i].w;
        else if (best > 0 && why) {
            CoocLink l = { flip ? b[bj].id : a[i].id, flip ? a[i].id : b[bj].id, best,
                           a[i].w * best / tw / 2 };
            size_t k = why->n;
            int dup = 0;
            for (size_t q = 0; q < why->n; q++)
                dup |= why->link[q].x == l.x && why->link[q].y == l.y;
            if (dup)
                continue;
            if (k == COOC_WHY) {
                if (why->link[k - 1].w >= l.w)
                    continue;
                k--;
            } else {
                why->n++;
            }
            while (k > 0 && why->link[k - 1].w < l.w) {
                why->link[k] = why->link[k - 1];
                k--;
            }
            why->link[k] = l;
        }
    }
    *exact += ex / tw / 2;
    return got / tw;
}

double cooc_soft(const Cooc *c, const StoryVec *a, const StoryVec *b, CoocWhy *why)
{
    Item ca[COOC_CTX], cb[COOC_CTX];
    size_t na = context(a, ca), nb = context(b, cb);
    double exact = 0;
    if (why)
        memset(why, 0, sizeof *why);
    double s = (one_way(c, ca, na, cb, nb, why, 0, &exact) +
                one_way(c, cb, nb, ca, na, why, 1, &exact)) / 2;
    if (why)
        why->exact = exact;
    return s;
}

/* ---- serialisation ---- */

#define COOC_MAGIC 0x314F4352u /* "RCO1" */

static void put_map(Buf *b, const IdMap *m)
{
    sv_put_u32(b, (uint32_t)m->n);
    for (size_t s = 0; s < m->cap; s++)
        if (m->ids[s]) {
            sv_put_u32(b, (uint32_t)m->ids[s]);
            sv_put_u32(b, (uint32_t)(m->ids[s] >> 32));
            sv_put_u32(b, m->vals[s]);
        }
}

/*
 * Layout: magic, articles, floor, max pairs / 1024, then the item and the
 * pair tables, each a count and (id low, id high, count) triples. Tables
 * are written in slot order, so equal models encode alike only when built
 * alike; decoding does not depend on it.
 */
void cooc_encode(const Cooc *c, Buf *out)
{
    sv_put_u32(out, COOC_MAGIC);
    sv_put_u32(out, c->docs);
    sv_put_u32(out, c->floor);
    sv_put_u32(out, (uint32_t)(c->max_pairs >> 10));
    put_map(out, &c->items);
    put_map(out, &c->pairs);
}

static int get_map(IdMap *m, const unsigned char **p, const unsigned char *end)
{
    if (end - *p < 4)
        return -1;
    uint32_t n = sv_get_u32(*p);
    *p += 4;
    if ((size_t)(end - *p) / 12 < n)
        return -1;
    for (uint32_t i = 0; i < n; i++, *p += 12) {
        uint64_t id = (uint64_t)sv_get_u32(*p) | (uint64_t)sv_get_u32(*p + 4) << 32;
        uint32_t *v = idmap_slot(m, id);
        if (!v)
            return -2;
        *v = sv_get_u32(*p + 8);
    }
    return 0;
}

rasd_err cooc_decode(Cooc **out, const void *data, size_t n, rasd_error *err)
{
    *out = NULL;
    const unsigned char *p = data, *end = p + n;
    if (n < 16 || sv_get_u32(p) != COOC_MAGIC)
        return rasd_fail(err, RASD_EFORMAT, "co-occurrence model: bad header");
    Cooc *c = cooc_new((size_t)sv_get_u32(p + 12) << 10);
    if (!c)
        return rasd_fail(err, RASD_ENOMEM, "out of memory reading a co-occurrence model");
    c->docs = sv_get_u32(p + 4);
    c->floor = sv_get_u32(p + 8);
    p += 16;
    int r = get_map(&c->items, &p, end);
    if (!r)
        r = get_map(&c->pairs, &p, end);
    if (!r && p != end)
        r = -1;
    if (r) {
        cooc_free(c);
        return r == -2 ? rasd_fail(err, RASD_ENOMEM, "out of memory reading a co-occurrence model")
                       : rasd_fail(err, RASD_EFORMAT, "co-occurrence model: %zu bytes, truncated or "
                                                      "with trailing bytes", n);
    }
    *out = c;
    return RASD_OK;
}
