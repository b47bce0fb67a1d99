/*
 * copies.c — near-copy originals by the canonical order (copies.h).
 *
 * The first-stored rule this replaces made an article the copy of whichever
 * similar article happened to be stored first: two workers, or the same
 * files in another order, stored different relations (349 vs 353
 * near-copies on PostgreSQL). Here the original of X is, among the
 * candidates C with sim(X, C) >= thr and canon(C) < canon(X), the one with
 * the highest similarity, ties broken by canon; pages and the articles split
 * from them are never each other's copies. With the articles' canonical
 * keys fixed, that is a function of the set; when X arrives, only X's own
 * original and those of its neighbours after it can change, and for those a
 * comparison with their present original is enough (their candidate sets
 * only grew by X).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/copies.h"
#include "story/fingerprint.h"

typedef struct Cand {
    int64_t id;
    double sim;
} Cand;

typedef struct Cands {
    const uint32_t *sig;
    double thr;
    Cand *v;
    size_t n, cap;
    int oom;
} Cands;

static int on_cand(void *ctx, int64_t id, const uint32_t *sig, size_t nsig)
{
    Cands *c = ctx;
    if (nsig != FP_MINHASH)
        return 0;
    double s = fp_similarity(c->sig, sig, nsig);
    if (s < c->thr)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        Cand *p = realloc(c->v, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return 1;
        }
        c->v = p;
        c->cap = cap;
    }
    c->v[c->n++] = (Cand){id, s};
    return 0;
}

/* canon(a) < canon(b) */
static int before(const CopyFacts *a, const CopyFacts *b)
{
    return store_canon_cmp(a->published, a->outlet, a->url, a->title, a->hash, b) < 0;
}

/* Does x (similarity sim) beat f's present original for f? */
static rasd_err beats(Store *st, const CopyFacts *x, double sim, const CopyFacts *f, int *yes,
                      rasd_error *err)
{
    *yes = 0;
    if (!f->copy_of || sim > f->copy_sim) {
        *yes = 1;
        return RASD_OK;
    }
    if (sim < f->copy_sim)
        return RASD_OK;
    CopyFacts g;
    rasd_err e = store_copy_facts(st, f->copy_of, &g, err);
    if (e == RASD_OK)
        *yes = before(x, &g);
    store_copy_facts_free(&g);
    return e;
}

rasd_err copies_link(Store *st, int64_t id, const uint32_t *sig, const uint64_t *keys,
                     double thr, int *is_copy, rasd_error *err)
{
    *is_copy = 0;
    Cands c = {sig, thr, NULL, 0, 0, 0};
    CopyFacts x, best;
    memset(&best, 0, sizeof best);
    rasd_err e = store_copy_facts(st, id, &x, err);
    if (e != RASD_OK)
        return e;
    e = store_lsh_candidates(st, keys, FP_BANDS, id, on_cand, &c, err);
    if (e == RASD_OK && c.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    int64_t best_id = 0;
    double best_sim = 0;
    for (size_t i = 0; e == RASD_OK && i < c.n; i++) {
        CopyFacts f;
        e = store_copy_facts(st, c.v[i].id, &f, err);
        if (e != RASD_OK)
            break;
        if (c.v[i].id == x.parent || f.parent == id) {
            /* a page and an article split from it */
        } else if (before(&f, &x)) {
            if (!best_id || c.v[i].sim > best_sim || (c.v[i].sim == best_sim && before(&f, &best))) {
                store_copy_facts_free(&best);
                best = f;
                memset(&f, 0, sizeof f);
                best_id = c.v[i].id;
                best_sim = c.v[i].sim;
            }
        } else if (f.copy_of != id || f.copy_sim != c.v[i].sim) {
            int yes = 0;
            e = beats(st, &x, c.v[i].sim, &f, &yes, err);
            if (e == RASD_OK && yes)
                e = store_set_copy(st, c.v[i].id, id, c.v[i].sim, err);
        }
        store_copy_facts_free(&f);
    }
    if (e == RASD_OK && (best_id != x.copy_of || (best_id && best_sim != x.copy_sim)))
        e = store_set_copy(st, id, best_id, best_sim, err);
    *is_copy = best_id != 0;
    store_copy_facts_free(&best);
    store_copy_facts_free(&x);
    free(c.v);
    return e;
}
