/*
 * engine.c — the pipeline (engine.h).
 *
 * Per file: the readers (src/ingest/walk.h) give a Batch; metadata is
 * filled from the manifest or the caller; then in one transaction, for each
 * article: analyse the body with the text core, hash it (identity), skip it
 * if the hash is stored, else compute its MinHash, look for near-copies
 * through the LSH buckets, insert it, its annotations and story vector,
 * its buckets and its copy relation.
 *
 * Articles go in chunks of PREPARE_CHUNK: the worker threads annotate chunk k+1
 * while the calling thread stores chunk k (store_batch), so the two stages
 * overlap on a machine's cores; what is stored, and in which order, is the
 * same as annotating and storing one chunk after the other.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__ /* malloc_trim */
#include <malloc.h>
#endif

#include "engine/engine.h"
#include "engine/copies.h"
#include "ingest/walk.h"
#include "story/brief.h"
#include "story/overrides.h"
#include "story/vector.h"
#include "annotate/annotate.h"
#include "story/fingerprint.h"
#include "store/fts.h"
#include "text/text.h"

#define MAX_ITEM_MESSAGES 10

/* story_cache row (id 0) marking a grouping whose briefs are not all rebuilt */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of every thread of the process so far */
double engine_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
} /* item errors listed per file; the rest are counted */

typedef struct Job {
    Store *st;              /* where articles go */
    const IngestOptions *opt;
    IngestStats *stats;
    rasd_text *texts[64];   /* one text context per annotation thread, kept across
                               chunks and files (its stem cache warms up); lazily made */
    rasd_text *storing;     /* the storing thread's own (make_canonical): the workers
                               use texts[] meanwhile, on the next chunk */
    InputSet in;            /* expanded paths and manifests */
} Job;

static void job_free_texts(Job *j)
{
    for (size_t k = 0; k < sizeof j->texts / sizeof j->texts[0]; k++)
        rasd_text_free(j->texts[k]);
    rasd_text_free(j->storing);
}

static void msg(Job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg(Job *j, const char *fmt, ...)
{
    if (!j->opt->on_message)
        return;
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    j->opt->on_message(j->opt->ctx, buf);
}

/* ---- preparing: the pure work, on every core ---- */

/* One article made ready to store: everything but the rows. */
typedef struct Prepared {
    Annotated an;        /* annotate_article's result */
    rasd_doc *title;     /* the title analysed (story vector; search index), or NULL */
    Buf blob;            /* an, encoded for the store */
    Buf vec;             /* raw story vector, encoded */
    rasd_err e;          /* RASD_OK, or why this article could not be prepared */
    rasd_error err;
    uint64_t body_hash;  /* XXH3-64 of the body bytes as read */
    int64_t known;       /* row id of the stored article with these exact bytes: not
                            annotated (the identity pre-pass), or 0 */
    char known_id[17];   /* its public hash id */
    int deferred;        /* same bytes as an article of the chunk being stored while this
                            one was prepared: not annotated, known looked up after it */
} Prepared;

typedef struct Work {
    Job *j;
    Batch *b;
    size_t from, n;      /* articles [from, from+n) of b */
    Prepared *out;       /* n results */
    atomic_size_t next;  /* next index to take */
} Work;

/* CPU seconds of the calling thread so far */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void prepare_one(rasd_text *t, const IngestOptions *opt, const Article *a, Prepared *p)
{
    unsigned flags = opt->no_entities ? ANNOT_NO_ENTITIES : 0;
    p->e = annotate_article(t, a, flags, &p->an, &p->err);
    if (p->e != RASD_OK)
        return;
    if (a->title)
        p->e = rasd_text_analyse(t, a->title, strlen(a->title), &p->title, &p->err);
    StoryVec v;
    if (p->e == RASD_OK)
        p->e = sv_build_sig(&v, p->an.doc, p->title, opt->no_entities ? NULL : &p->an.ents,
                            p->an.dates, p->an.ndates, a->published,
                            p->an.nminhash ? p->an.minhash : NULL, &p->err);
    if (p->e == RASD_OK) {
        sv_encode(&v, &p->vec);
        sv_free(&v);
        annot_encode(&p->an, &p->blob);
        if (p->vec.oom || p->blob.oom)
            p->e = rasd_fail(&p->err, RASD_ENOMEM, "out of memory");
    }
}

typedef struct Worker {
    Work *w;             /* the shared queue */
    int slot;            /* its text context: Job.texts[slot] */
    double cpu;          /* CPU seconds the worker's thread spent */
} Worker;

static void *prepare_worker(void *arg)
{
    Worker *k = arg;
    Work *w = k->w;
    double c0 = thread_cpu_s();
    rasd_text **t = &w->j->texts[k->slot];
    rasd_error err;
    int ok = *t || rasd_text_new(t, &err) == RASD_OK;
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->n)
            break;
        Prepared *p = &w->out[i];
        if (p->known || p->deferred)
            continue;
        if (!ok) {
            p->e = rasd_fail(&p->err, RASD_ENOMEM, "out of memory");
            continue;
        }
        prepare_one(*t, w->j->opt, &w->b->items[w->from + i], p);
    }
    k->cpu = thread_cpu_s() - c0;
    return NULL;
}

void engine_release_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0); /* ≈ 40 ms CPU on a heap of 200,000 free pieces */
#endif
}

int engine_jobs_wanted(const IngestOptions *opt)
{
    if (opt->jobs > 0)
        return opt->jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/*
 * Prepares articles [from, from+n) of b into out, on up to opt->jobs
 * threads, in the background: the calling thread stores the previous chunk
 * meanwhile (prepare_wait joins them). Results do not depend on the number
 * of threads or on the overlap: each article is prepared alone, and storing
 * stays in batch order.
 */
typedef struct Preparing {
    Work w;
    pthread_t th[64];
    Worker wk[64];
    int nt, started;     /* workers wanted, threads running */
    double t0;           /* wall clock at the start */
} Preparing;

static void prepare_start(Job *j, Batch *b, size_t from, size_t n, Prepared *out, Preparing *pp)
{
    memset(pp, 0, sizeof *pp);
    pp->w = (Work){j, b, from, n, out, 0};
    pp->t0 = now_s();
    int nt = engine_jobs_wanted(j->opt);
    if ((size_t)nt > n)
        nt = n ? (int)n : 1;
    pp->nt = nt;
    for (int k = 0; k < nt; k++) {
        pp->wk[k] = (Worker){&pp->w, k, 0};
        if (pthread_create(&pp->th[pp->started], NULL, prepare_worker, &pp->wk[k]) != 0)
            break;
        pp->started++;
    }
}

/* Waits for prepare_start's work (doing it here if no thread started);
   adds its wall and CPU time to the annotation stage. */
static void prepare_wait(Job *j, Preparing *pp)
{
    double c0 = thread_cpu_s(), cpu = 0;
    if (!pp->started)
        prepare_worker(&pp->wk[0]);
    for (int k = 0; k < pp->started; k++) {
        pthread_join(pp->th[k], NULL);
        cpu += pp->wk[k].cpu;
    }
    j->stats->annotate_s += now_s() - pp->t0;
    j->stats->annotate_cpu += cpu + (thread_cpu_s() - c0);
}

static void prepared_free(Prepared *p)
{
    annotated_free(&p->an);
    rasd_doc_free(p->title);
    buf_free(&p->blob);
    buf_free(&p->vec);
}

/* ---- storing: in batch order, one transaction per batch ---- */

/* What one batch did, applied to the run's stats only once it is committed
   (a rolled-back batch must not count or report rows that are gone). */
typedef struct BatchOutcome {
    size_t added, duplicates, near_copies, split_off, sightings;
    int64_t first_new;   /* row id of the batch's first new article (later ones are larger) */
    Buf notes;           /* messages, NUL-separated, shown after the commit */
} BatchOutcome;

/* The offices the article gives its people, for the entity summary: roles
   in apposition with a name, current (not former, not elect). */
static rasd_err put_roles(Store *st, int64_t article, const Annotated *an, rasd_error *err)
{
    const RoleList *rl = &an->ents.roles;
    for (size_t k = 0; k < rl->n; k++) {
        const Role *r = &rl->items[k];
        if (r->kind == ROLE_ONLY || r->entity < 0 || (size_t)r->entity >= an->ents.n ||
            (r->flags & (ROLE_FORMER | ROLE_ELECT)))
            continue;
        const Entity *x = &an->ents.items[r->entity];
        for (size_t i = 0; i < r->noffices; i++) {
            size_t len = 0;
            const char *office = roles_key(rl, r, i, &len);
            if (!len)
                continue;
            rasd_err e = store_put_role(st, article, entity_type_name(x->type),
                                        an->ents.keys.data ? an->ents.keys.data + x->key_off : "",
                                        x->key_len, office, len, err);
            if (e != RASD_OK)
                return e;
        }
    }
    return RASD_OK;
}

/* Makes article `existing` (stored from another copy) take copy a's metadata:
   a is canonically before the copy stored (store.h). The copy it replaces
   becomes a sighting; annotations and story vector are rebuilt from the
   stored body with a's metadata (the date annotator resolves against the
   publication date; the vector holds the title and day), and its near-copy
   links follow its new place in the canonical order. */
static rasd_err make_canonical(Job *j, const char *path, const Article *a, int64_t existing,
                               rasd_error *err)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)existing);
    StoredArticle sa;
    rasd_err e = store_get_article(j->st, key, &sa, err);
    if (e != RASD_OK)
        return e;
    NewArticle m = {sa.hash, a->title, a->outlet, a->agency, a->published, a->url, a->author,
                    sa.body, a->origin ? a->origin : path, 0, NULL, 0};
    e = store_set_canonical(j->st, existing, &m, err);
    if (e == RASD_OK)
        e = store_add_sighting(j->st, existing, sa.outlet, sa.url, sa.published, sa.origin, NULL,
                               err);
    if (e == RASD_OK && !j->storing) /* not texts[0]: a worker may be using it */
        e = rasd_text_new(&j->storing, err);
    Prepared q;
    memset(&q, 0, sizeof q);
    if (e == RASD_OK) {
        Article b = {a->title, a->outlet, a->agency, a->published, a->url, a->author, sa.body,
                     a->origin ? a->origin : (char *)path, -1};
        prepare_one(j->storing, j->opt, &b, &q);
        e = q.e;
        if (e != RASD_OK)
            *err = q.err;
    }
    if (e == RASD_OK)
        e = store_put_annotations(j->st, existing, q.blob.data, q.blob.len, err);
    if (e == RASD_OK)
        e = store_put_vec(j->st, existing, q.vec.data, q.vec.len, err);
    if (e == RASD_OK && q.an.nminhash == FP_MINHASH) {
        uint64_t keys[FP_BANDS];
        fp_lsh_keys(q.an.minhash, keys);
        double thr = j->opt->copy_threshold > 0 ? j->opt->copy_threshold : 0.6;
        int is_copy = 0;
        e = copies_link(j->st, existing, q.an.minhash, keys, thr, &is_copy, err);
    }
    prepared_free(&q);
    store_article_free(&sa);
    return e;
}

static rasd_err store_prepared(Job *j, const char *path, Article *a, size_t i, Prepared *p,
                               int64_t *rowid, BatchOutcome *o, rasd_error *err)
{
    const Annotated *an = &p->an;
    const char *id = p->known ? p->known_id : an->id;
    /* looked up even when the bytes are known: on PostgreSQL the lookup takes
       the locks that make the canonical-copy decision below race-free */
    int64_t existing = store_find_hash(j->st, id);
    if (!existing)
        existing = p->known;
    if (existing) {
        rowid[i] = existing;
        if (!p->known) { /* these bytes lead to it from now on */
            rasd_err e = store_put_body_hash(j->st, p->body_hash, existing, err);
            if (e != RASD_OK)
                return e;
        }
        CopyFacts f;
        rasd_err e = store_copy_facts(j->st, existing, &f, err);
        int first = e == RASD_OK &&
                    store_canon_cmp(a->published, a->outlet, a->url, a->title, f.hash, &f) < 0;
        store_copy_facts_free(&f);
        int added = 0;
        if (e == RASD_OK && first) { /* this copy holds the metadata from now on */
            e = make_canonical(j, path, a, existing, err);
            added = 1;
        } else if (e == RASD_OK) {
            e = store_add_sighting(j->st, existing, a->outlet, a->url, a->published,
                                   a->origin ? a->origin : path, &added, err);
        }
        if (e != RASD_OK)
            return e;
        o->duplicates++;
        o->sightings += (size_t)added;
        buf_printf(&o->notes, "%s: already stored as %s%s%s%s", a->origin ? a->origin : path,
                   id, a->title ? ": " : "", a->title ? a->title : "",
                   added ? " (another sighting recorded)" : "");
        buf_putc(&o->notes, '\0');
        return RASD_OK;
    }
    /* store the validated text: every stored offset refers to it */
    const char *body = rasd_doc_text(an->doc, NULL);
    NewArticle na = {an->id, a->title, a->outlet, a->agency, a->published, a->url, a->author,
                     body, a->origin ? a->origin : path,
                     a->parent >= 0 && (size_t)a->parent < i ? rowid[a->parent] : 0,
                     an->nminhash ? an->minhash : NULL, an->nminhash};
    rasd_err e = store_put_article(j->st, &na, &rowid[i], err);
    if (e == RASD_OK)
        e = store_put_body_hash(j->st, p->body_hash, rowid[i], err);
    const char *text = body;
    for (size_t k = 0; e == RASD_OK && k < an->ents.n; k++) {
        const Entity *x = &an->ents.items[k];
        e = store_put_mention(j->st, rowid[i], entity_type_name(x->type),
                              an->ents.keys.data ? an->ents.keys.data + x->key_off : "",
                              x->key_len, text + x->name_start, x->end - x->name_start, x->start, x->end,
                              err);
    }
    if (e == RASD_OK)
        e = put_roles(j->st, rowid[i], an, err);
    if (e == RASD_OK)
        e = store_put_annotations(j->st, rowid[i], p->blob.data, p->blob.len, err);
    if (e == RASD_OK)
        e = store_put_vec(j->st, rowid[i], p->vec.data, p->vec.len, err);
    if (e != RASD_OK)
        return e;
    if (!o->first_new)
        o->first_new = rowid[i];
    o->added++;
    if (a->parent >= 0)
        o->split_off++;
    if (!an->nminhash)
        return RASD_OK;
    uint64_t keys[FP_BANDS];
    fp_lsh_keys(an->minhash, keys);
    double thr = j->opt->copy_threshold > 0 ? j->opt->copy_threshold : 0.6;
    int is_copy = 0;
    e = copies_link(j->st, rowid[i], an->minhash, keys, thr, &is_copy, err);
    o->near_copies += (size_t)is_copy;
    if (e == RASD_OK)
        e = store_put_lsh(j->st, rowid[i], keys, FP_BANDS, err);
    return e;
}

/* The identity pre-pass: an article whose exact bytes are stored already
   (a file read again, a feed item seen before) is a duplicate without being
   annotated. Serial and in batch order, so results do not depend on -j. */
static void identity_prepass(Job *j, Batch *b, size_t from, size_t n, Prepared *prep,
                             const Prepared *storing, size_t nstoring)
{
    for (size_t k = 0; k < n; k++) {
        const char *body = b->items[from + k].body ? b->items[from + k].body : "";
        prep[k].body_hash = rasd_hash(body, strlen(body));
        prep[k].known = store_find_body_hash(j->st, prep[k].body_hash, prep[k].known_id);
        /* the chunk being stored meanwhile: once it is, these bytes are
           known there (every stored chunk records each article's bytes) */
        for (size_t m = 0; !prep[k].known && m < nstoring && !prep[k].deferred; m++)
            prep[k].deferred = storing[m].body_hash == prep[k].body_hash;
    }
}

/* After the chunk before it is stored: the deferred articles' rows, and
   any not found prepared now (no stored chunk left them out so far). */
static void identity_resolve(Job *j, Batch *b, size_t from, size_t n, Prepared *prep)
{
    for (size_t k = 0; k < n; k++) {
        if (!prep[k].deferred)
            continue;
        prep[k].deferred = 0;
        prep[k].known = store_find_body_hash(j->st, prep[k].body_hash, prep[k].known_id);
        if (!prep[k].known) {
            double c0 = thread_cpu_s();
            rasd_error err;
            if (!j->texts[0] && rasd_text_new(&j->texts[0], &err) != RASD_OK)
                prep[k].e = rasd_fail(&prep[k].err, RASD_ENOMEM, "out of memory");
            else
                prepare_one(j->texts[0], j->opt, &b->items[from + k], &prep[k]);
            j->stats->annotate_cpu += thread_cpu_s() - c0;
        }
    }
}

/* Articles prepared at once. Two chunks' annotations are alive while one is
   stored and the next annotated: the ingest stage of 4 days peaked at 209 MB
   with 2 × 256 and at 188 MB with 2 × 128, for 5 % more store CPU (FTS5
   merges twice as many segments; BENCHMARKS.md, session 7). */
#define PREPARE_CHUNK 128

/* Indexes a stored chunk for search, the tokenizer handed the texts the
   annotation analysed (bodies and titles) so it does not analyse them again. */
static rasd_err index_chunk(Job *j, const Prepared *prep, size_t n, int64_t first,
                            rasd_error *err)
{
    const rasd_doc **docs = malloc(2 * n * sizeof *docs);
    size_t nd = 0;
    for (size_t k = 0; docs && k < n; k++) {
        if (prep[k].an.doc)
            docs[nd++] = prep[k].an.doc;
        if (prep[k].title)
            docs[nd++] = prep[k].title;
    }
    if (docs)
        fts_feed(j->st, docs, nd);
    rasd_err e = fts_index_stored_from(j->st, first, err);
    fts_feed(j->st, NULL, 0);
    free(docs);
    return e;
}

static rasd_err store_batch(Job *j, const char *path, Batch *b, size_t *added, rasd_error *err)
{
    int64_t *rowid = calloc(b->n ? b->n : 1, sizeof *rowid);
    size_t chunk = b->n < PREPARE_CHUNK ? (b->n ? b->n : 1) : PREPARE_CHUNK;
    Prepared *prep = calloc(chunk, sizeof *prep), *next = calloc(chunk, sizeof *next);
    Preparing *pp = malloc(sizeof *pp);
    if (!rowid || !prep || !next || !pp) {
        free(rowid);
        free(prep);
        free(next);
        free(pp);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    /* metadata first: the date annotator resolves against the publication date */
    for (size_t i = 0; i < b->n; i++) {
        Article *a = &b->items[i];
        if (a->parent < 0) /* split-off articles inherit the page's metadata first */
            input_set_fill(&j->in, a, path, j->opt->date, j->opt->outlet);
        else if ((size_t)a->parent < i) {
            Article *pa = &b->items[a->parent];
            if (!a->outlet && pa->outlet)
                a->outlet = strdup(pa->outlet);
        }
        char **fields[] = {&a->title, &a->outlet, &a->agency, &a->published, &a->url,
                           &a->author};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            article_clean_field(fields[k]);
    }
    /* Annotation runs outside any transaction; each chunk of articles is
       then stored in one short write transaction. Other writers (a second
       ingest, a worker, the server) wait for a chunk's writes, not for its
       annotation: holding the write lock while annotating a day's file made
       a concurrent writer give up after SQLite's busy timeout and stop. A
       kill loses at most the chunk being stored; a re-run finds the others
       by their hash without annotating them again. */
    /* Chunk k+1 is annotated on the worker threads while this thread
       stores chunk k: the two stages overlap, and stored rows are the
       same as one after the other (storing stays in batch order; an
       article with the bytes of one in chunk k waits for k's rows). */
    BatchOutcome o = {0}; /* what committed chunks stored */
    rasd_err e = RASD_OK;
    size_t from = 0, n = b->n < PREPARE_CHUNK ? b->n : PREPARE_CHUNK;
    if (n && j->opt->on_stage)
        j->opt->on_stage(j->opt->ctx, "annotate", path);
    if (n) {
        double c0 = thread_cpu_s();
        identity_prepass(j, b, 0, n, prep, NULL, 0);
        j->stats->annotate_cpu += thread_cpu_s() - c0;
        prepare_start(j, b, 0, n, prep, pp);
        prepare_wait(j, pp);
    }
    do {
        int last = from + n >= b->n;
        size_t nfrom = from + n, nn = last ? 0 : b->n - nfrom < PREPARE_CHUNK ? b->n - nfrom : PREPARE_CHUNK;
        if (nn) {
            memset(next, 0, nn * sizeof *next);
            double c0 = thread_cpu_s();
            identity_prepass(j, b, nfrom, nn, next, prep, n);
            j->stats->annotate_cpu += thread_cpu_s() - c0;
            prepare_start(j, b, nfrom, nn, next, pp);
        }
        double t1 = now_s(), c1 = thread_cpu_s();
        if (j->opt->on_stage)
            j->opt->on_stage(j->opt->ctx, "store", path);
        for (size_t k = 0; e == RASD_OK && k < n; k++)
            if (prep[k].e != RASD_OK) {
                e = prep[k].e;
                *err = prep[k].err;
            }
        /* a deadlock victim (two PostgreSQL workers storing the same
           articles) stores its chunk again: the annotations are kept */
        for (int tries = 0; e == RASD_OK; tries++) {
            BatchOutcome c = {0};
            e = store_begin(j->st, err);
            for (size_t k = 0; e == RASD_OK && k < n; k++)
                e = store_prepared(j, path, &b->items[from + k], from + k, &prep[k], rowid, &c,
                                   err);
            if (e == RASD_OK && c.first_new) /* the search index (store/fts.h), once per chunk */
                e = index_chunk(j, prep, n, c.first_new, err);
            if (e == RASD_OK && last)
                e = store_log_file(j->st, path, b->nerrors ? "partial" : "ok",
                                   b->nerrors ? b->errors[0] : NULL, o.added + c.added, err);
            if (e == RASD_OK)
                e = store_commit(j->st, err);
            else
                store_rollback(j->st);
            if (e == RASD_OK) {
                o.added += c.added;
                o.duplicates += c.duplicates;
                o.near_copies += c.near_copies;
                o.split_off += c.split_off;
                o.sightings += c.sightings;
                if (!o.first_new)
                    o.first_new = c.first_new;
                if (c.notes.len)
                    buf_append(&o.notes, c.notes.data, c.notes.len);
            }
            buf_free(&c.notes);
            if (e == RASD_OK || e != RASD_EDB || tries >= 5 || !store_retryable(j->st))
                break;
            e = RASD_OK;
        }
        for (size_t k = 0; k < n; k++)
            prepared_free(&prep[k]);
        j->stats->store_s += now_s() - t1;
        j->stats->store_cpu += thread_cpu_s() - c1;
        if (nn) { /* the next chunk: its annotation done, its deferred copies found */
            prepare_wait(j, pp);
            if (e == RASD_OK) {
                double c0 = thread_cpu_s();
                identity_resolve(j, b, nfrom, nn, next);
                j->stats->store_cpu += thread_cpu_s() - c0;
            } else {
                for (size_t k = 0; k < nn; k++)
                    prepared_free(&next[k]);
            }
        }
        Prepared *t = prep;
        prep = next;
        next = t;
        from = nfrom;
        n = nn;
    } while (e == RASD_OK && from < b->n);
    /* what committed is counted, whether or not a later chunk failed */
    *added = o.added;
    if (o.first_new && !j->stats->first_new)
        j->stats->first_new = o.first_new;
    j->stats->duplicates += o.duplicates;
    j->stats->near_copies += o.near_copies;
    j->stats->split_off += o.split_off;
    j->stats->sightings += o.sightings;
    for (size_t at = 0; o.notes.data && at < o.notes.len;) {
        msg(j, "%s", o.notes.data + at);
        at += strlen(o.notes.data + at) + 1;
    }
    buf_free(&o.notes);
    free(prep);
    free(next);
    free(pp);
    free(rowid);
    return e;
}

/* Reports a batch's item errors: the first few, then a count, so a daily
   export with hundreds of empty items does not bury the rest. */
static void report_items(Job *j, const Batch *b, const char *origin)
{
    for (size_t k = 0; k < b->nerrors && k < MAX_ITEM_MESSAGES; k++)
        msg(j, "%s", b->errors[k]);
    if (b->nerrors > MAX_ITEM_MESSAGES)
        msg(j, "%s: %zu more items failed (not listed)", origin, b->nerrors - MAX_ITEM_MESSAGES);
    j->stats->item_errors += b->nerrors;
    j->stats->skipped += b->skipped;
    j->stats->articles += b->n;
}

/* Stores one batch; RASD_EDB/ENOMEM mean the store itself is failing. */
static rasd_err store_one(Job *j, const char *origin, Batch *b, rasd_error *err)
{
    size_t added = 0;
    rasd_error fe;
    rasd_err se = store_batch(j, origin, b, &added, &fe);
    j->stats->added += added; /* committed chunks, even when a later one failed */
    if (se == RASD_OK)
        return RASD_OK;
    if (se == RASD_EDB || se == RASD_ENOMEM)
        return rasd_fail(err, se, "%s: %s", origin, fe.msg);
    msg(j, "%s: %s", origin, fe.msg);
    j->stats->files_failed++;
    return RASD_OK;
}

rasd_err engine_ingest_paths(Store *st, const IngestOptions *opt, char *const *paths,
                             size_t npaths, IngestStats *stats, rasd_error *err)
{
    memset(stats, 0, sizeof *stats);
    Job j = {st, opt, stats, {0}, NULL, {0}};
    j.in.on_message = opt->on_message;
    j.in.ctx = opt->ctx;
    rasd_err e = RASD_OK;
    if (opt->manifest)
        e = input_set_add_manifest(&j.in, opt->manifest, err);
    for (size_t i = 0; e == RASD_OK && i < npaths; i++)
        e = input_set_add_path(&j.in, paths[i], err);
    stats->files_failed += j.in.failed;
    for (size_t i = 0; e == RASD_OK && i < j.in.nfiles; i++) {
        if (opt->cancel && *opt->cancel)
            break;
        const char *path = j.in.files[i];
        if (opt->on_progress)
            opt->on_progress(opt->ctx, i, j.in.nfiles, path);
        stats->files++;
        Batch b = {0};
        rasd_error fe;
        if (opt->on_stage)
            opt->on_stage(opt->ctx, "read", path);
        double t0 = now_s(), c0 = engine_cpu_s();
        rasd_err re = ingest_read_file(path, opt->max_bytes, &b, &fe);
        stats->read_s += now_s() - t0;
        stats->read_cpu += engine_cpu_s() - c0;
        for (size_t k = 0; k < b.n; k++)
            stats->bytes += strlen(b.items[k].body ? b.items[k].body : "");
        report_items(&j, &b, path);
        if (re == RASD_ENOMEM) { /* not the file's fault: the run stops, as when storing */
            e = rasd_fail(err, re, "%s", fe.msg);
        } else if (re != RASD_OK) {
            msg(&j, "%s", fe.msg);
            stats->files_failed++;
            store_log_file(st, path, "failed", fe.msg, 0, NULL);
        } else {
            e = store_one(&j, path, &b, err);
        }
        batch_free(&b);
    }
    if (opt->on_progress && e == RASD_OK)
        opt->on_progress(opt->ctx, j.in.nfiles, j.in.nfiles, NULL);
    input_set_free(&j.in);
    job_free_texts(&j);
    if (stats->articles >= PREPARE_CHUNK)
        engine_release_memory();
    return e;
}

rasd_err engine_ingest_batch(Store *st, const IngestOptions *opt, Batch *b, const char *origin,
                             IngestStats *stats, rasd_error *err)
{
    memset(stats, 0, sizeof *stats);
    Job j = {st, opt, stats, {0}, NULL, {0}};
    stats->files = 1;
    report_items(&j, b, origin);
    rasd_err e = store_one(&j, origin, b, err);
    job_free_texts(&j);
    if (b->n >= PREPARE_CHUNK)
        engine_release_memory();
    return e;
}

/* ---- re-annotating articles stored by an older rasd ---- */

typedef struct IdList {
    int64_t *ids;        /* row ids */
    size_t n, cap;
    int oom;
} IdList;

static int on_unannotated(void *ctx, int64_t id)
{
    IdList *l = ctx;
    if (l->n == l->cap) {
        size_t c = l->cap ? l->cap * 2 : 256;
        int64_t *p = realloc(l->ids, c * sizeof *p);
        if (!p) {
            l->oom = 1;
            return 1;
        }
        l->ids = p;
        l->cap = c;
    }
    l->ids[l->n++] = id;
    return 0;
}

/* The first bytes of every blob this rasd writes (magic and ANNOT_VERSION),
   taken from the encoding of an empty article. */
static rasd_err blob_header(rasd_text *t, Buf *out, rasd_error *err)
{
    Annotated an;
    memset(&an, 0, sizeof an);
    rasd_err e = rasd_text_analyse(t, "", 0, &an.doc, err);
    if (e != RASD_OK)
        return e;
    Buf b = {0};
    annot_encode(&an, &b);
    annotated_free(&an);
    if (b.oom || b.len < 4) {
        buf_free(&b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    buf_append(out, b.data, 4);
    buf_free(&b);
    return RASD_OK;
}

/* The articles whose stored story vector is not in this rasd's format (its
   magic: the first 4 bytes of an empty vector encoded), added to an IdList. */
typedef struct VecScan {
    Buf head;
    IdList *l;
} VecScan;

static int on_vec(void *ctx, const StoredVec *v)
{
    VecScan *x = ctx;
    if (v->n >= x->head.len && !memcmp(v->vec, x->head.data, x->head.len))
        return 0;
    return on_unannotated(x->l, v->article);
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static rasd_err stale_vectors(Store *st, IdList *l, rasd_error *err)
{
    VecScan x = {{0}, l};
    StoryVec v;
    memset(&v, 0, sizeof v);
    sv_encode(&v, &x.head);
    if (x.head.oom || x.head.len < 4) {
        buf_free(&x.head);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    x.head.len = 4;
    size_t had = l->n;
    rasd_err e = store_each_vec_from(st, NULL, on_vec, &x, err);
    buf_free(&x.head);
    if (e == RASD_OK && l->n > had) { /* one list in row order, each article once */
        qsort(l->ids, l->n, sizeof *l->ids, id_cmp);
        size_t k = 0;
        for (size_t i = 0; i < l->n; i++)
            if (!k || l->ids[i] != l->ids[k - 1])
                l->ids[k++] = l->ids[i];
        l->n = k;
    }
    return e;
}

rasd_err engine_reannotate(Store *st, const IngestOptions *opt, size_t *done, rasd_error *err)
{
    IdList l = {0};
    *done = 0;
    rasd_text *t = NULL;
    rasd_err e = rasd_text_new(&t, err);
    Buf head = {0};
    if (e == RASD_OK)
        e = blob_header(t, &head, err);
    if (e == RASD_OK)
        e = store_each_stale_annotation(st, head.data, head.len, on_unannotated, &l, err);
    buf_free(&head);
    /* and the articles an older rasd gave an older story vector (RSV2) */
    if (e == RASD_OK && !l.oom)
        e = stale_vectors(st, &l, err);
    if (e == RASD_OK && l.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t from = 0; e == RASD_OK && from < l.n; from += PREPARE_CHUNK) {
        size_t to = from + PREPARE_CHUNK < l.n ? from + PREPARE_CHUNK : l.n;
        e = store_begin(st, err);
        for (size_t i = from; e == RASD_OK && i < to; i++) {
            char id[32];
            snprintf(id, sizeof id, "%lld", (long long)l.ids[i]);
            StoredArticle sa;
            e = store_get_article(st, id, &sa, err);
            if (e != RASD_OK)
                break;
            Article a = {sa.title, sa.outlet, sa.agency, sa.published, sa.url, sa.author,
                         sa.body, sa.origin, -1};
            Prepared p;
            memset(&p, 0, sizeof p);
            prepare_one(t, opt, &a, &p);
            e = p.e;
            if (e != RASD_OK)
                *err = p.err;
            if (e == RASD_OK)
                e = store_put_annotations(st, l.ids[i], p.blob.data, p.blob.len, err);
            if (e == RASD_OK) /* its story vector in the current format too */
                e = store_put_vec(st, l.ids[i], p.vec.data, p.vec.len, err);
            prepared_free(&p);
            store_article_free(&sa);
            if (e == RASD_OK)
                (*done)++;
        }
        if (e == RASD_OK)
            e = store_commit(st, err);
        else
            store_rollback(st);
    }
    rasd_text_free(t);
    free(l.ids);
    if (l.n >= PREPARE_CHUNK)
        engine_release_memory();
    return e;
}
