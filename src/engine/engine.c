/*
 * engine.c — the pipeline (engine.h).
 *
 * Per file: the readers (src/ingest/walk.h) give a Batch; metadata is
 * filled from the manifest or the caller; then in one transaction, for each
 * article: analyse the body with the text core, hash it (identity), skip it
 * if the hash is stored, else compute its MinHash, look for near-copies
 * through the LSH buckets, insert it, its annotations and story vector,
 * its buckets and its copy relation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "ingest/walk.h"
#include "story/vector.h"
#include "annotate/analyze.h"
#include "story/fingerprint.h"
#include "text/text.h"

#define MAX_ITEM_MESSAGES 10 /* item errors listed per file; the rest are counted */

typedef struct Job {
    Store *st;              /* where articles go */
    const IngestOptions *opt;
    IngestStats *stats;
    rasd_text *text;        /* text core context */
    InputSet in;            /* expanded paths and manifests */
} Job;

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

/* ---- storing ---- */

typedef struct CopySearch {
    const uint32_t *sig;  /* the new article's signature */
    int64_t best;         /* best candidate so far */
    double best_sim;      /* its estimated Jaccard */
} CopySearch;

static int on_candidate(void *ctx, int64_t id, const uint32_t *sig, size_t nsig)
{
    CopySearch *c = ctx;
    if (nsig != FP_MINHASH)
        return 0;
    double s = fp_similarity(c->sig, sig, nsig);
    if (s > c->best_sim || (s == c->best_sim && id < c->best)) {
        c->best_sim = s;
        c->best = id;
    }
    return 0;
}

/*
 * Tags the article's names (unless no_entities) and stores each mention
 * with its identity key, then its raw story vector (story/vector.h).
 */
static rasd_err store_annotations(Job *j, int64_t article, const Article *a, const rasd_doc *d,
                                  const uint32_t *sig, rasd_error *err)
{
    EntityList ents = {0};
    rasd_err e = RASD_OK;
    if (!j->opt->no_entities) {
        e = analyze_entities(d, &ents, err);
        const char *text = rasd_doc_text(d, NULL);
        for (size_t k = 0; e == RASD_OK && k < ents.n; k++) {
            const Entity *x = &ents.items[k];
            e = store_put_mention(j->st, article, entity_type_name(x->type),
                                  ents.keys.data ? ents.keys.data + x->key_off : "", x->key_len,
                                  text + x->start, x->end - x->start, x->start, x->end, err);
        }
    }
    rasd_doc *td = NULL;
    if (e == RASD_OK && a->title)
        e = rasd_text_analyse(j->text, a->title, strlen(a->title), &td, err);
    StoryVec v;
    if (e == RASD_OK)
        e = sv_build_sig(&v, d, td, j->opt->no_entities ? NULL : &ents, a->published, sig, err);
    if (e == RASD_OK) {
        Buf b = {0};
        sv_encode(&v, &b);
        e = b.oom ? rasd_fail(err, RASD_ENOMEM, "out of memory")
                  : store_put_vec(j->st, article, b.data, b.len, err);
        buf_free(&b);
        sv_free(&v);
    }
    rasd_doc_free(td);
    entities_free(&ents);
    return e;
}

static rasd_err store_batch(Job *j, const char *path, Batch *b, size_t *added, rasd_error *err)
{
    int64_t *rowid = calloc(b->n ? b->n : 1, sizeof *rowid);
    if (!rowid)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err e = store_begin(j->st, err);
    double thr = j->opt->copy_threshold > 0 ? j->opt->copy_threshold : 0.6;
    for (size_t i = 0; e == RASD_OK && i < b->n; i++) {
        Article *a = &b->items[i];
        if (a->parent < 0) /* split-off articles inherit the page's metadata first */
            input_set_fill(&j->in, a, path, j->opt->date, j->opt->outlet);
        else if ((size_t)a->parent < i) {
            Article *p = &b->items[a->parent];
            if (!a->outlet && p->outlet)
                a->outlet = strdup(p->outlet);
        }
        char **fields[] = {&a->title, &a->outlet, &a->agency, &a->published, &a->url,
                           &a->author};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            article_clean_field(fields[k]);
        rasd_doc *d = NULL;
        e = rasd_text_analyse(j->text, a->body, strlen(a->body), &d, err);
        if (e != RASD_OK)
            break;
        /* store the validated text: later offsets refer to it */
        const char *body = rasd_doc_text(d, NULL);
        char hex[17];
        fp_identity(d, hex);
        int64_t existing = store_find_hash(j->st, hex);
        if (existing) {
            rowid[i] = existing;
            j->stats->duplicates++;
            msg(j, "%s: already stored as %s%s%s", a->origin ? a->origin : path, hex,
                a->title ? ": " : "", a->title ? a->title : "");
            rasd_doc_free(d);
            continue;
        }
        uint32_t sig[FP_MINHASH];
        size_t nsh = fp_minhash(d, sig);
        NewArticle na = {hex, a->title, a->outlet, a->agency, a->published, a->url, a->author,
                         body, a->origin ? a->origin : path,
                         a->parent >= 0 && (size_t)a->parent < i ? rowid[a->parent] : 0,
                         nsh ? sig : NULL, nsh ? FP_MINHASH : 0};
        e = store_put_article(j->st, &na, &rowid[i], err);
        if (e == RASD_OK)
            e = store_annotations(j, rowid[i], a, d, nsh ? sig : NULL, err);
        rasd_doc_free(d);
        if (e != RASD_OK)
            break;
        (*added)++;
        if (a->parent >= 0)
            j->stats->split_off++;
        if (!nsh)
            continue;
        uint64_t keys[FP_BANDS];
        fp_lsh_keys(sig, keys);
        CopySearch cs = {sig, 0, 0};
        e = store_lsh_candidates(j->st, keys, FP_BANDS, rowid[i], on_candidate, &cs, err);
        if (e == RASD_OK && cs.best && cs.best_sim >= thr && cs.best != na.parent) {
            e = store_set_copy(j->st, rowid[i], cs.best, cs.best_sim, err);
            j->stats->near_copies++;
        }
        if (e == RASD_OK)
            e = store_put_lsh(j->st, rowid[i], keys, FP_BANDS, err);
    }
    if (e == RASD_OK)
        e = store_log_file(j->st, path, b->nerrors ? "partial" : "ok",
                           b->nerrors ? b->errors[0] : NULL, *added, err);
    if (e == RASD_OK)
        e = store_commit(j->st, err);
    else
        store_rollback(j->st);
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
    j->stats->articles += b->n;
}

/* Stores one batch; RASD_EDB/ENOMEM mean the store itself is failing. */
static rasd_err store_one(Job *j, const char *origin, Batch *b, rasd_error *err)
{
    size_t added = 0;
    rasd_error fe;
    rasd_err se = store_batch(j, origin, b, &added, &fe);
    if (se == RASD_OK) {
        j->stats->added += added;
        return RASD_OK;
    }
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
    Job j = {st, opt, stats, NULL, {0}};
    j.in.on_message = opt->on_message;
    j.in.ctx = opt->ctx;
    rasd_err e = rasd_text_new(&j.text, err);
    if (e == RASD_OK && opt->manifest)
        e = input_set_add_manifest(&j.in, opt->manifest, err);
    for (size_t i = 0; e == RASD_OK && i < npaths; i++)
        e = input_set_add_path(&j.in, paths[i], err);
    stats->files_failed += j.in.failed;
    for (size_t i = 0; e == RASD_OK && i < j.in.nfiles; i++) {
        const char *path = j.in.files[i];
        if (opt->on_progress)
            opt->on_progress(opt->ctx, i, j.in.nfiles, path);
        stats->files++;
        Batch b = {0};
        rasd_error fe;
        rasd_err re = ingest_read_file(path, opt->max_bytes, &b, &fe);
        report_items(&j, &b, path);
        if (re != RASD_OK) {
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
    rasd_text_free(j.text);
    return e;
}

rasd_err engine_ingest_batch(Store *st, const IngestOptions *opt, Batch *b, const char *origin,
                             IngestStats *stats, rasd_error *err)
{
    memset(stats, 0, sizeof *stats);
    Job j = {st, opt, stats, NULL, {0}};
    rasd_err e = rasd_text_new(&j.text, err);
    if (e == RASD_OK) {
        stats->files = 1;
        report_items(&j, b, origin);
        e = store_one(&j, origin, b, err);
    }
    rasd_text_free(j.text);
    return e;
}

rasd_err engine_assign(Store *st, const AssignOpts *o, StoriesStats *stats, int *ran,
                       rasd_error *err)
{
    char from[32];
    int pending = 0;
    *ran = 0;
    memset(stats, 0, sizeof *stats);
    rasd_err e = store_unassigned_from(st, from, sizeof from, &pending, err);
    if (e != RASD_OK || !pending)
        return e;
    *ran = 1;
    return stories_assign(st, o, stats, err);
}
