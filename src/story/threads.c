/*
 * threads.c — linking closed events to threads (cluster.h), split from
 * cluster.c.
 *
 * An event closes when its last article leaves the window. Its profile
 * (pruned to the strongest entries) is compared with the threads active in
 * the last thread_days through an index over their entity keys; it joins
 * the best when both the entities and the terms agree enough, else opens a
 * thread. Events that close together are linked in a canonical order (last
 * day, then content), so the threads do not depend on the order articles
 * were placed in.
 */
#include "story/cluster_int.h"

/* Normalised top max entries of the sum of two sorted profiles, sorted by id. */
static size_t blend(const SvTerm *x, size_t nx, const SvTerm *y, size_t ny, size_t max,
                    SvTerm *out)
{
    Acc c = { 0 };
    SvTerm *tmp = malloc((nx + ny + 1) * sizeof *tmp);
    size_t n = 0;
    if (tmp && cl_acc_add(&c, x, nx) == 0 && cl_acc_add(&c, y, ny) == 0)
        n = cl_acc_top(&c, max, tmp);
    COPY(out, tmp ? tmp : out, n);
    free(tmp);
    cl_acc_free(&c);
    return n;
}

/*
 * Links a closed event to a thread: the best-matching thread active in
 * the last thread_days, or a new one. Thread profiles are small (TH_TERMS +
 * TH_ENTS entries), so thread memory is about 1 KB per thread of the
 * thread window.
 */
static void close_event(Assigner *a, uint32_t e)
{
    Event *ev = &a->ev[e];
    SvTerm tt[64], te[32], key[8];
    SvTerm *tmp = malloc((ACC_MAX + 1) * sizeof *tmp);
    if (!tmp) {
        a->oom = 1;
        return;
    }
    size_t nt = cl_acc_top(&ev->terms, 64, tmp);
    COPY(tt, tmp, nt);
    size_t ne = cl_acc_top(&ev->ents, 32, tmp);
    COPY(te, tmp, ne);
    free(tmp);
    cl_event_free_profile(ev);
    /* candidate threads through the event's strongest entity keys */
    SvTerm sorted[32];
    size_t nk = cl_strongest(te, ne, 8, sorted);
    COPY(key, sorted, nk);
    uint32_t best = UINT32_MAX;
    double best_s = 0;
    /* candidates: threads sharing the event's strongest keys, by how many */
    a->close_gen++;
    uint32_t cand[8 * THREAD_WALK], hits[8 * THREAD_WALK];
    size_t nc = 0;
    for (size_t k = 0; k < nk; k++) {
        Posting *p = cl_posting(a, &a->tindex, &a->tpost, &a->ntpost, &a->cap_tpost, key[k].id, 0);
        if (!p)
            continue;
        size_t walked = 0;
        for (uint32_t i = p->n; i > p->lo && walked < THREAD_WALK; i--, walked++) {
            uint32_t t = p->v[i - 1];
            Thread *th = &a->th[t];
            if (!th->prof)
                continue;
            if (th->seen == a->close_gen) {
                hits[th->slot]++;
                continue;
            }
            if (ev->first != SV_NO_DAY && th->last != SV_NO_DAY &&
                (int64_t)ev->first - th->last > a->o.thread_days)
                continue;
            th->seen = a->close_gen;
            th->slot = (uint32_t)nc;
            cand[nc] = t;
            hits[nc++] = 1;
        }
    }
    /* score the most-shared THREAD_EVAL; ties go to the newer thread */
    for (size_t done = 0; done < THREAD_EVAL && done < nc; done++) {
        size_t bi = done;
        for (size_t i = done + 1; i < nc; i++)
            if (hits[i] > hits[bi] || (hits[i] == hits[bi] && cand[i] > cand[bi]))
                bi = i;
        uint32_t t = cand[bi], h = hits[bi];
        cand[bi] = cand[done];
        hits[bi] = hits[done];
        cand[done] = t;
        hits[done] = h;
        Thread *th = &a->th[t];
        double ct = sv_cosine(tt, nt, th->prof, th->nt);
        double ce = sv_cosine(te, ne, th->prof + th->nt, th->ne);
        /* both the actors and the topic must carry over */
        if (ct < 0.15 || ce < 0.2)
            continue;
        double sc = 0.5 * ct + 0.5 * ce;
        if (sc > best_s || (sc == best_s && t < best)) {
            best_s = sc;
            best = t;
        }
    }
    int found = best != UINT32_MAX && best_s >= a->o.thread_threshold;
    if (!found) {
        if (cl_grow((void **)&a->th, &a->cap_th, a->nth + 1, sizeof *a->th) < 0) {
            a->oom = 1;
            return;
        }
        best = (uint32_t)a->nth++;
        memset(&a->th[best], 0, sizeof a->th[best]);
        a->th[best].last = ev->last;
    }
    Thread *th = &a->th[best];
    th->nevents++;
    if (ev->last != SV_NO_DAY && (th->last == SV_NO_DAY || ev->last > th->last))
        th->last = ev->last;
    ev->thread = best;
    SvTerm *np = malloc((TH_TERMS + TH_ENTS) * sizeof *np);
    if (!np) {
        a->oom = 1;
        return;
    }
    size_t nnt = blend(th->prof, th->nt, tt, nt, TH_TERMS, np);
    size_t nne = blend(th->prof ? th->prof + th->nt : NULL, th->ne, te, ne, TH_ENTS, np + nnt);
    free(th->prof);
    th->prof = np;
    th->nt = (uint8_t)nnt;
    th->ne = (uint8_t)nne;
    for (size_t k = 0; k < nk; k++) {
        Posting *p = cl_posting(a, &a->tindex, &a->tpost, &a->ntpost, &a->cap_tpost, key[k].id, 1);
        if (p && (p->n == 0 || p->v[p->n - 1] != best))
            cl_posting_push(a, p, best);
    }
}

/* Events closing together sort by last day, then content (close_pending). */
static int close_cmp(const void *x, const void *y)
{
    const CloseKey *p = x, *q = y;
    if (p->last != q->last)
        return p->last < q->last ? -1 : 1;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return p->ev < q->ev ? -1 : p->ev > q->ev;
}

void cl_to_close(Assigner *a, uint32_t e)
{
    if (cl_grow((void **)&a->closing, &a->cap_cl, a->ncl + 1, sizeof *a->closing) < 0) {
        close_event(a, e); /* no room to sort: close it now */
        return;
    }
    a->closing[a->ncl++] = (CloseKey){ a->ev[e].last, a->ev[e].key, e };
}

/*
 * Closes the events one expiry (or assign_finish) left empty, in an order
 * that depends on the events alone, not on the order their articles were
 * placed in: which event links to a thread first shapes the thread's
 * profile for the next, so this keeps threads the same whatever order the
 * articles came in (a day at a time, or all at once).
 */
void cl_close_pending(Assigner *a)
{
    SORT(a->closing, a->ncl, close_cmp);
    for (size_t i = 0; i < a->ncl; i++)
        close_event(a, a->closing[i].ev);
    a->ncl = 0;
}

size_t assign_nthreads(const Assigner *a) { return a->nth; }

int assign_thread_profile(const Assigner *a, uint32_t t, const SvTerm **terms, size_t *nt,
                          const SvTerm **ents, size_t *ne, int32_t *last)
{
    if (t >= a->nth)
        return -1;
    const Thread *th = &a->th[t];
    const SvTerm *p = th->prof;
    if (!p)
        return -1;
    *nt = th->nt;
    *ne = th->ne;
    *terms = p;
    *ents = p + *nt;
    *last = th->last;
    return 0;
}

