/*
 * pipeline.c — the ingest job (see pipeline.h).
 *
 * Order of work per file: size check before reading (a 100 MB file is
 * refused without being loaded), decode to UTF-8, detect the format, read
 * into a Batch, fill metadata, then in one transaction: for each article
 * analyse the body with the text core, hash it (identity), skip it if the
 * hash is stored, else compute its MinHash, look for near-copies through
 * the LSH buckets, insert it, its named-entity mentions (with identity
 * keys), its buckets and its copy relation.
 * Folders are walked in sorted order so runs are reproducible; a file named
 * manifest.jsonl inside a folder is that folder's manifest, not an input.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"
#include "story/vector.h"
#include "annotate/analyze.h"
#include "store/fts.h"
#include "story/fingerprint.h"
#include "text/text.h"

#define DEFAULT_MAX_BYTES (64u << 20)
#define MAX_ITEM_MESSAGES 10 /* item errors listed per file; the rest are counted */

typedef struct ManifestEntry {
    char *file;      /* base name as written in the manifest */
    char *published; /* or NULL */
    char *outlet;    /* or NULL */
    char *url;       /* or NULL */
} ManifestEntry;

typedef struct Job {
    Store *st;              /* where articles go */
    const IngestOptions *opt;
    IngestStats *stats;
    rasd_text *text;        /* text core context */
    ManifestEntry *man;     /* manifest entries (all manifests seen) */
    size_t nman, capman;
    char **files;           /* expanded input paths */
    size_t nfiles, capfiles;
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

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- manifest ---- */

static char *json_str_dup(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static rasd_err load_manifest(Job *j, const char *path, rasd_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rasd_fail(err, RASD_EIO, "manifest %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0;
    rasd_err e = RASD_OK;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)len)
            continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)len, 0, &je);
        if (!json_is_object(o) || !json_is_string(json_object_get(o, "file"))) {
            msg(j, "%s:%d: manifest line is not a JSON object with a \"file\" field%s%s", path,
                lineno, o ? "" : ": ", o ? "" : je.text);
            json_decref(o);
            continue;
        }
        if (j->nman == j->capman) {
            size_t c = j->capman ? j->capman * 2 : 16;
            ManifestEntry *m = realloc(j->man, c * sizeof *m);
            if (!m) {
                json_decref(o);
                e = rasd_fail(err, RASD_ENOMEM, "out of memory");
                break;
            }
            j->man = m;
            j->capman = c;
        }
        ManifestEntry *m = &j->man[j->nman++];
        m->file = strdup(base_name(json_string_value(json_object_get(o, "file"))));
        m->published = json_str_dup(o, "published");
        m->outlet = json_str_dup(o, "outlet");
        m->url = json_str_dup(o, "url");
        json_decref(o);
    }
    free(line);
    fclose(f);
    return e;
}

static const ManifestEntry *manifest_for(Job *j, const char *path)
{
    const char *b = base_name(path);
    for (size_t i = j->nman; i-- > 0;) /* later manifests win */
        if (j->man[i].file && strcmp(j->man[i].file, b) == 0)
            return &j->man[i];
    return NULL;
}

/* ---- expanding paths ---- */

static int add_file(Job *j, const char *path)
{
    if (j->nfiles == j->capfiles) {
        size_t c = j->capfiles ? j->capfiles * 2 : 64;
        char **p = realloc(j->files, c * sizeof *p);
        if (!p)
            return -1;
        j->files = p;
        j->capfiles = c;
    }
    char *d = strdup(path);
    if (!d)
        return -1;
    j->files[j->nfiles++] = d;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int expand(Job *j, const char *path, int depth, rasd_error *err)
{
    struct stat sb;
    if (strcmp(path, "-") == 0)
        return add_file(j, path);
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return add_file(j, path); /* errors are reported when the file is read */
    if (depth > 64) {
        msg(j, "%s: folders nested too deep, skipped", path);
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        msg(j, "%s: %s", path, strerror(errno));
        j->stats->files_failed++;
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ., .., hidden files */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *p);
            if (!p)
                break;
            names = p;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = malloc(len);
        if (full) {
            snprintf(full, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
            if (strcmp(names[i], "manifest.jsonl") == 0) {
                rasd_error me;
                if (load_manifest(j, full, &me) != RASD_OK)
                    msg(j, "%s", me.msg);
            } else if (rc == 0) {
                rc = expand(j, full, depth + 1, err);
            }
        }
        free(full);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- reading one file ---- */

rasd_err ingest_read_file(const char *path, size_t max_bytes, Batch *out, rasd_error *err)
{
    if (!max_bytes)
        max_bytes = DEFAULT_MAX_BYTES;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return rasd_fail(err, RASD_EIO, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (!is_stdin && fstat(fileno(f), &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            fclose(f);
            return rasd_fail(err, RASD_EIO, "%s: is a folder", path);
        }
        if (S_ISREG(sb.st_mode) && (size_t)sb.st_size > max_bytes) {
            fclose(f);
            return rasd_fail(err, RASD_ETOOBIG,
                             "%s: %lld bytes is over the limit of %zu bytes (--max-size)", path,
                             (long long)sb.st_size, max_bytes);
        }
    }
    Buf raw = {0};
    char chunk[65536];
    size_t n;
    int too_big = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (raw.len + n > max_bytes) {
            too_big = 1;
            break;
        }
        buf_append(&raw, chunk, n);
    }
    int rd_err = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (too_big || rd_err || raw.oom) {
        buf_free(&raw);
        if (too_big)
            return rasd_fail(err, RASD_ETOOBIG, "%s: over the limit of %zu bytes (--max-size)",
                             path, max_bytes);
        return rasd_fail(err, raw.oom ? RASD_ENOMEM : RASD_EIO, "%s: %s", path,
                         raw.oom ? "out of memory" : "read error");
    }
    if (raw.len == 0) {
        buf_free(&raw);
        return rasd_fail(err, RASD_EFORMAT, "%s: empty file", path);
    }
    char *text = NULL;
    size_t tlen = 0;
    rasd_err e = ingest_to_utf8(raw.data, raw.len, path, &text, &tlen, err);
    buf_free(&raw);
    if (e != RASD_OK)
        return e;
    IngestFormat fmt = ingest_detect(text, tlen, path);
    size_t before = out->n;
    switch (fmt) {
    case FMT_HTML: e = ingest_html(text, tlen, path, out, err); break;
    case FMT_FEED: e = ingest_feed(text, tlen, path, out, err); break;
    case FMT_JSON: e = ingest_json(text, tlen, path, out, err); break;
    default: e = ingest_text(text, tlen, path, out, err); break;
    }
    free(text);
    if (e == RASD_OK && out->n == before && out->nerrors == 0)
        e = rasd_fail(err, RASD_EFORMAT, "%s: no article found", path);
    return e;
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

/* Replaces a field that is not valid UTF-8 by its cleaned copy. */
static void clean_field(char **f)
{
    if (!*f)
        return;
    size_t n = strlen(*f);
    Buf b = {0};
    if (utf8_clean(*f, n, &b) == 0 && b.len == n) {
        buf_free(&b);
        return;
    }
    buf_append(&b, "", 0);
    if (b.oom) {
        buf_free(&b);
        return;
    }
    free(*f);
    *f = buf_steal(&b);
}

static void fill_metadata(Job *j, Article *a, const char *path)
{
    const ManifestEntry *m = manifest_for(j, path);
    if (m) {
        if (!a->published && m->published)
            a->published = strdup(m->published);
        if (!a->outlet && m->outlet)
            a->outlet = strdup(m->outlet);
        if (!a->url && m->url)
            a->url = strdup(m->url);
    }
    if (!a->published && j->opt->date)
        a->published = strdup(j->opt->date);
    if (!a->outlet && j->opt->outlet)
        a->outlet = strdup(j->opt->outlet);
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
            fill_metadata(j, a, path);
        else if ((size_t)a->parent < i) {
            Article *p = &b->items[a->parent];
            if (!a->outlet && p->outlet)
                a->outlet = strdup(p->outlet);
        }
        char **fields[] = {&a->title, &a->outlet, &a->agency, &a->published, &a->url,
                           &a->author};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            clean_field(fields[k]);
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
        if (e == RASD_OK) /* search index (store/fts.h); the engine will own this call */
            e = fts_index_stored(j->st, rowid[i], err);
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

rasd_err ingest_run(Store *st, const IngestOptions *opt, char *const *paths, size_t npaths,
                    IngestStats *stats, rasd_error *err)
{
    memset(stats, 0, sizeof *stats);
    Job j = {st, opt, stats, NULL, NULL, 0, 0, NULL, 0, 0};
    rasd_err e = rasd_text_new(&j.text, err);
    if (e == RASD_OK && opt->manifest)
        e = load_manifest(&j, opt->manifest, err);
    for (size_t i = 0; e == RASD_OK && i < npaths; i++)
        if (expand(&j, paths[i], 0, err) < 0)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory listing %s", paths[i]);
    for (size_t i = 0; e == RASD_OK && i < j.nfiles; i++) {
        const char *path = j.files[i];
        if (opt->on_progress)
            opt->on_progress(opt->ctx, i, j.nfiles, path);
        stats->files++;
        Batch b = {0};
        rasd_error fe;
        rasd_err re = ingest_read_file(path, opt->max_bytes, &b, &fe);
        /* a daily export with hundreds of empty items should not bury the
           rest of the output: the first few, then a count */
        for (size_t k = 0; k < b.nerrors && k < MAX_ITEM_MESSAGES; k++)
            msg(&j, "%s", b.errors[k]);
        if (b.nerrors > MAX_ITEM_MESSAGES)
            msg(&j, "%s: %zu more items failed (not listed)", path,
                b.nerrors - MAX_ITEM_MESSAGES);
        stats->item_errors += b.nerrors;
        stats->articles += b.n;
        if (re != RASD_OK) {
            msg(&j, "%s", fe.msg);
            stats->files_failed++;
            store_log_file(st, path, "failed", fe.msg, 0, NULL);
            batch_free(&b);
            continue;
        }
        size_t added = 0;
        rasd_err se = store_batch(&j, path, &b, &added, &fe);
        if (se == RASD_OK) {
            stats->added += added;
        } else if (se == RASD_EDB || se == RASD_ENOMEM) {
            /* the store itself is failing: stop rather than fail every file */
            e = rasd_fail(err, se, "%s: %s", path, fe.msg);
        } else {
            msg(&j, "%s: %s", path, fe.msg);
            stats->files_failed++;
        }
        batch_free(&b);
    }
    if (opt->on_progress && e == RASD_OK)
        opt->on_progress(opt->ctx, j.nfiles, j.nfiles, NULL);
    for (size_t i = 0; i < j.nfiles; i++)
        free(j.files[i]);
    free(j.files);
    for (size_t i = 0; i < j.nman; i++) {
        free(j.man[i].file);
        free(j.man[i].published);
        free(j.man[i].outlet);
        free(j.man[i].url);
    }
    free(j.man);
    rasd_text_free(j.text);
    return e;
}
