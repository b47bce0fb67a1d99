/*
 * walk.c — from the paths a user names to the inputs the readers get:
 * folders are walked in sorted order so runs are reproducible; a file
 * named manifest.jsonl inside a folder is that folder's manifest (dates,
 * outlets, URLs its files lack), not an input; one file is read, decoded
 * to UTF-8 and handed to the reader its content calls for.
 * No store, no analysis: the engine (src/engine/) decides what happens next.
 *
 * Hostile trees: every folder and file met is remembered by device+inode
 * (an open-addressing table), so a file reached through several links is
 * read once and a link back to a folder being walked (ln -s . d/l) ends
 * with one message instead of walking forever. Inside folders only
 * regular files are taken: a FIFO would block the open forever, a device
 * never ends. Opening itself never blocks (O_NONBLOCK, then fstat); a pipe
 * the user names explicitly is read like stdin. An archive (zip, tar,
 * gzip: archive.c) is read as the files it holds. Every `published` a
 * reader or a manifest gives passes ingest_valid_date or is dropped with a
 * message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/walk.h"
#include "ingest/readers.h"
#include "text/text.h"

#define DEFAULT_MAX_BYTES (64u << 20)

struct ManifestEntry {
    char *file;      /* base name as written in the manifest */
    char *published; /* or NULL */
    char *outlet;    /* or NULL */
    char *url;       /* or NULL */
};

static void msg(InputSet *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void msg(InputSet *j, const char *fmt, ...)
{
    if (!j->on_message)
        return;
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    j->on_message(j->ctx, buf);
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

/* One manifest line (NUL-free, no newline) into j; -1 when out of memory. */
static int manifest_line(InputSet *j, const char *name, size_t lineno, const char *line,
                         size_t len)
{
    json_error_t je;
    json_t *o = json_loadb(line, len, 0, &je);
    json_t *file = json_is_object(o) ? json_object_get(o, "file") : NULL;
    if (!json_is_string(file) || !*json_string_value(file)) {
        msg(j, "%s:%zu: manifest line is not a JSON object with a \"file\" field%s%s", name,
            lineno, o ? "" : ": ", o ? "" : je.text);
        json_decref(o);
        return 0;
    }
    if (j->nman == j->capman) {
        size_t c = j->capman ? j->capman * 2 : 16;
        ManifestEntry *m = realloc(j->man, c * sizeof *m);
        if (!m) {
            json_decref(o);
            return -1;
        }
        j->man = m;
        j->capman = c;
    }
    ManifestEntry *m = &j->man[j->nman++];
    m->file = strdup(base_name(json_string_value(file)));
    m->published = json_str_dup(o, "published");
    m->outlet = json_str_dup(o, "outlet");
    m->url = json_str_dup(o, "url");
    if (m->published && !ingest_valid_date(m->published)) {
        char shown[64];
        size_t k = 0;
        for (const char *p = m->published; *p && k + 1 < sizeof shown; p++)
            shown[k++] = (unsigned char)*p < 0x20 ? '?' : *p;
        shown[k] = '\0';
        msg(j, "%s:%zu: published: \"%s\" is not a date (YYYY-MM-DD or ISO 8601); ignored", name,
            lineno, shown);
        free(m->published);
        m->published = NULL;
    }
    json_decref(o);
    return 0;
}

rasd_err input_set_add_manifest_bytes(InputSet *j, const char *bytes, size_t n,
                                      const char *name, rasd_error *err)
{
    Buf clean = {0}; /* jansson refuses a line for one bad byte: clean them first */
    if (ingest_clean(bytes, n, &clean) < 0)
        return rasd_fail(err, RASD_ENOMEM, "manifest %s: out of memory", name);
    const char *s = clean.data;
    size_t len = clean.len, i = 0, lineno = 0;
    rasd_err e = RASD_OK;
    while (i < len) {
        size_t st = i;
        while (i < len && s[i] != '\n')
            i++;
        size_t end = i;
        if (i < len)
            i++;
        lineno++;
        size_t b = st;
        while (b < end && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
            b++;
        if (b == end)
            continue;
        if (manifest_line(j, name, lineno, s + st, end - st) < 0) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            break;
        }
    }
    buf_free(&clean);
    return e;
}

static rasd_err slurp(const char *path, size_t max_bytes, Buf *raw, rasd_error *err);

static rasd_err load_manifest(InputSet *j, const char *path, rasd_error *err)
{
    Buf raw = {0};
    rasd_error fe;
    rasd_err e = slurp(path, DEFAULT_MAX_BYTES, &raw, &fe);
    if (e != RASD_OK)
        return rasd_fail(err, e, "manifest %s", fe.msg);
    e = input_set_add_manifest_bytes(j, raw.data ? raw.data : "", raw.len, path, err);
    buf_free(&raw);
    return e;
}

static const ManifestEntry *manifest_for(const InputSet *j, const char *path)
{
    const char *b = base_name(path);
    for (size_t i = j->nman; i-- > 0;) /* later manifests win */
        if (j->man[i].file && strcmp(j->man[i].file, b) == 0)
            return &j->man[i];
    return NULL;
}

/* ---- expanding paths ---- */

struct WalkSeen {
    dev_t dev;
    ino_t ino;
    size_t file;   /* index in files of the first path met, or SIZE_MAX for a folder */
};

/* Looks (dev,ino) up in the open-addressing table; inserts it when absent.
   Returns the entry (found or new), *fresh = 1 when new; NULL when out of memory. */
static WalkSeen *seen_get(InputSet *j, dev_t dev, ino_t ino, int *fresh)
{
    if ((j->nseen + 1) * 2 > j->capseen) {
        size_t c = j->capseen ? j->capseen * 2 : 256;
        WalkSeen *t = calloc(c, sizeof *t);
        if (!t)
            return NULL;
        for (size_t i = 0; i < j->capseen; i++) {
            if (!j->seen[i].ino && !j->seen[i].dev)
                continue;
            size_t h = ((size_t)j->seen[i].ino * 0x9E3779B97F4A7C15ull ^ (size_t)j->seen[i].dev) & (c - 1);
            while (t[h].ino || t[h].dev)
                h = (h + 1) & (c - 1);
            t[h] = j->seen[i];
        }
        free(j->seen);
        j->seen = t;
        j->capseen = c;
    }
    /* (0,0) marks an empty slot; no real file has both */
    size_t h = ((size_t)ino * 0x9E3779B97F4A7C15ull ^ (size_t)dev) & (j->capseen - 1);
    while (j->seen[h].ino || j->seen[h].dev) {
        if (j->seen[h].ino == ino && j->seen[h].dev == dev) {
            *fresh = 0;
            return &j->seen[h];
        }
        h = (h + 1) & (j->capseen - 1);
    }
    j->seen[h].dev = dev;
    j->seen[h].ino = ino;
    j->seen[h].file = SIZE_MAX;
    j->nseen++;
    *fresh = 1;
    return &j->seen[h];
}

static int add_file(InputSet *j, const char *path)
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

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m) ? "a named pipe (FIFO)" : S_ISCHR(m) ? "a character device"
           : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* The folders being walked, outermost first (symbolic link loop detection). */
typedef struct Ancestors {
    dev_t dev[66];
    ino_t ino[66];
    int n;
} Ancestors;

static int expand(InputSet *j, const char *path, int depth, int explicit_path, Ancestors *up)
{
    struct stat sb;
    if (strcmp(path, "-") == 0)
        return add_file(j, path);
    if (stat(path, &sb) != 0)
        return add_file(j, path); /* errors (a dangling link) are reported when it is read */
    if (!S_ISDIR(sb.st_mode)) {
        if (!S_ISREG(sb.st_mode) && !explicit_path) {
            /* opening a FIFO would wait for a writer forever; a device never ends */
            msg(j, "%s: %s, not a regular file: skipped", path, kind_of(sb.st_mode));
            return 0;
        }
        if (!S_ISREG(sb.st_mode))
            return add_file(j, path); /* named by the user: ingest_read_file decides */
        int fresh;
        WalkSeen *w = seen_get(j, sb.st_dev, sb.st_ino, &fresh);
        if (!w)
            return -1;
        if (!fresh) {
            if (w->file < j->nfiles)
                msg(j, "%s: same file as %s, read once", path, j->files[w->file]);
            return 0;
        }
        w->file = j->nfiles;
        return add_file(j, path);
    }
    for (int k = 0; k < up->n; k++)
        if (up->dev[k] == sb.st_dev && up->ino[k] == sb.st_ino) {
            msg(j, "%s: symbolic link loop (leads back to a folder being read), skipped", path);
            return 0;
        }
    int fresh;
    WalkSeen *w = seen_get(j, sb.st_dev, sb.st_ino, &fresh);
    if (!w)
        return -1;
    if (!fresh) {
        msg(j, "%s: same folder as one already read, skipped", path);
        return 0;
    }
    if (depth > 64 || up->n >= 64) {
        msg(j, "%s: folders nested too deep, skipped", path);
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        msg(j, "%s: %s", path, strerror(errno));
        j->failed++;
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int oom = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue; /* ., .., hidden files */
        if (n == cap) {
            size_t c = cap ? cap * 2 : 64;
            char **p = realloc(names, c * sizeof *p);
            if (!p) {
                oom = 1;
                break;
            }
            names = p;
            cap = c;
        }
        names[n] = strdup(e->d_name);
        if (!names[n]) {
            oom = 1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    up->dev[up->n] = sb.st_dev;
    up->ino[up->n] = sb.st_ino;
    up->n++;
    int rc = oom ? -1 : 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = malloc(len);
        if (!full)
            rc = -1;
        if (full && rc == 0) {
            snprintf(full, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
            if (strcmp(names[i], "manifest.jsonl") == 0) {
                rasd_error me;
                if (load_manifest(j, full, &me) != RASD_OK)
                    msg(j, "%s", me.msg);
            } else {
                rc = expand(j, full, depth + 1, 0, up);
            }
        }
        free(full);
        free(names[i]);
    }
    up->n--;
    free(names);
    return rc;
}

/* ---- reading one file ---- */

/* "stdin" for "-", else the path: how an input is named in messages. */
static const char *input_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "stdin" : path;
}

/*
 * Opens path for reading without ever blocking: O_NONBLOCK on open (a FIFO
 * with no writer would wait forever), then fstat decides. Regular files and
 * pipes named by the user (process substitution) are read; folders,
 * devices and sockets are refused. Returns the fd or -1 with err set.
 */
static int open_input(const char *path, size_t max_bytes, rasd_error *err, rasd_err *code)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        *code = rasd_fail(err, RASD_EIO, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        *code = rasd_fail(err, RASD_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (S_ISDIR(sb.st_mode)) {
        *code = rasd_fail(err, RASD_EIO, "%s: is a folder", path);
        close(fd);
        return -1;
    }
    if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
        *code = rasd_fail(err, RASD_EIO, "%s: %s, not a regular file: not read", path,
                          kind_of(sb.st_mode));
        close(fd);
        return -1;
    }
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max_bytes) {
        *code = rasd_fail(err, RASD_ETOOBIG,
                          "%s: %lld bytes is over the limit of %zu bytes (--max-size)", path,
                          (long long)sb.st_size, max_bytes);
        close(fd);
        return -1;
    }
    /* a pipe the user named is read like stdin: blocking, until its writer ends
       (no writer at all: end of file at once) */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* Reads all of fd into raw, at most max_bytes. */
static rasd_err read_all(int fd, const char *name, size_t max_bytes, Buf *raw, rasd_error *err)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return rasd_fail(err, RASD_EIO, "%s: read error: %s", name, strerror(errno));
        }
        if (n == 0)
            break;
        if (raw->len + (size_t)n > max_bytes)
            return rasd_fail(err, RASD_ETOOBIG, "%s: over the limit of %zu bytes (--max-size)",
                             name, max_bytes);
        buf_append(raw, chunk, (size_t)n);
        if (raw->oom)
            return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", name);
    }
    return RASD_OK;
}

/* The whole input path ("-": stdin) into raw. */
static rasd_err slurp(const char *path, size_t max_bytes, Buf *raw, rasd_error *err)
{
    const char *name = input_name(path);
    rasd_err e = RASD_OK;
    int fd = strcmp(path, "-") == 0 ? 0 : open_input(path, max_bytes, err, &e);
    if (fd < 0)
        return e;
    e = read_all(fd, name, max_bytes, raw, err);
    if (fd != 0)
        close(fd);
    if (e != RASD_OK)
        buf_free(raw);
    return e;
}

void ingest_check_dates(Batch *b, size_t from)
{
    for (size_t i = from; i < b->n; i++) {
        Article *a = &b->items[i];
        if (!a->published || ingest_valid_date(a->published))
            continue;
        char shown[80];
        size_t k = 0;
        for (const char *p = a->published; *p && k + 1 < sizeof shown; p++)
            shown[k++] = (unsigned char)*p < 0x20 ? '?' : *p;
        shown[k] = '\0';
        batch_error(b, "%s: published: \"%s\" is not a date (YYYY-MM-DD or ISO 8601); "
                       "dropped, the article kept",
                    a->origin ? a->origin : "input", shown);
        free(a->published);
        a->published = NULL;
    }
}

rasd_err ingest_read_bytes(const char *bytes, size_t n, const char *name, Batch *out,
                           rasd_error *err)
{
    if (n == 0)
        return rasd_fail(err, RASD_EFORMAT, "%s: empty file", name);
    char *text = NULL;
    size_t tlen = 0;
    rasd_err e = ingest_to_utf8(bytes, n, name, &text, &tlen, err);
    if (e != RASD_OK)
        return e;
    IngestFormat fmt = ingest_detect(text, tlen, name);
    size_t before = out->n, before_err = out->nerrors, before_skip = out->skipped;
    switch (fmt) {
    case FMT_HTML: e = ingest_html(text, tlen, name, out, err); break;
    case FMT_FEED: e = ingest_feed(text, tlen, name, out, err); break;
    case FMT_JSON: e = ingest_json(text, tlen, name, out, err); break;
    default: e = ingest_text(text, tlen, name, out, err); break;
    }
    free(text);
    ingest_check_dates(out, before);
    if (e == RASD_OK && out->n == before && out->nerrors == before_err) {
        if (out->skipped > before_skip)
            return RASD_OK; /* only empty items: counted, nothing failed */
        e = rasd_fail(err, RASD_EFORMAT, "%s: no article found", name);
    }
    return e;
}

/* Collects every member's batch into one (ingest_read_file on an archive). */
typedef struct Merge {
    Batch *out;
    size_t members, failed;   /* members seen / not readable */
    rasd_error first;         /* the first member failure */
} Merge;

static int merge_member(void *ctx, const char *name, Batch *b, rasd_err e, const rasd_error *err)
{
    Merge *m = ctx;
    m->members++;
    for (size_t i = 0; i < b->n; i++) {
        Article *a = batch_add(m->out);
        if (!a)
            return 1;
        *a = b->items[i];
        if (a->parent >= 0)
            a->parent += (int)(m->out->n - 1 - i);
        memset(&b->items[i], 0, sizeof b->items[i]);
    }
    for (size_t i = 0; i < b->nerrors; i++)
        batch_error(m->out, "%s", b->errors[i]);
    m->out->skipped += b->skipped;
    if (e != RASD_OK) {
        if (!m->failed)
            m->first = *err;
        m->failed++;
        batch_error(m->out, "%s", err->msg);
    }
    return 0;
}

rasd_err ingest_read_file(const char *path, size_t max_bytes, Batch *out, rasd_error *err)
{
    if (!max_bytes)
        max_bytes = DEFAULT_MAX_BYTES;
    const char *name = input_name(path);
    Buf raw = {0};
    rasd_err e = slurp(path, max_bytes, &raw, err);
    if (e != RASD_OK)
        return e;
    if (ingest_is_archive(raw.data, raw.len)) {
        Merge m = {out, 0, 0, {0}};
        size_t before = out->n, before_skip = out->skipped;
        e = ingest_archive_each(raw.data, raw.len, name, max_bytes, merge_member, &m, err);
        buf_free(&raw);
        if (e != RASD_OK)
            return e;
        if (out->n == before && out->skipped == before_skip) {
            if (m.members == 0)
                return rasd_fail(err, RASD_EFORMAT, "%s: an archive with no files in it", name);
            /* nothing stored: the item messages say why; the file fails on the first */
            rasd_error first = m.first;
            if (m.failed)
                return rasd_fail(err, first.code, "%s (and %zu of %zu members could not be read)",
                                 first.msg, m.failed, m.members);
            return rasd_fail(err, RASD_EFORMAT, "%s: no article found in %zu members", name,
                             m.members);
        }
        return RASD_OK;
    }
    e = ingest_read_bytes(raw.data ? raw.data : "", raw.len, name, out, err);
    buf_free(&raw);
    return e;
}

typedef struct EachCtx {
    IngestEachFn fn;
    void *ctx;
} EachCtx;

rasd_err ingest_read_each(const char *path, size_t max_bytes, IngestEachFn fn, void *ctx,
                          rasd_error *err)
{
    if (!max_bytes)
        max_bytes = DEFAULT_MAX_BYTES;
    const char *name = input_name(path);
    Buf raw = {0};
    rasd_err e = slurp(path, max_bytes, &raw, err);
    if (e != RASD_OK)
        return e;
    if (ingest_is_archive(raw.data, raw.len)) {
        e = ingest_archive_each(raw.data, raw.len, name, max_bytes, fn, ctx, err);
        buf_free(&raw);
        return e;
    }
    Batch b = {0};
    rasd_error fe = {0};
    rasd_err re = ingest_read_bytes(raw.data ? raw.data : "", raw.len, name, &b, &fe);
    buf_free(&raw);
    fn(ctx, name, &b, re, &fe);
    batch_free(&b);
    return RASD_OK;
}

/* Replaces a field that is not valid UTF-8 by its cleaned copy. */
void article_clean_field(char **f)
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

void input_set_fill(const InputSet *j, Article *a, const char *path, const char *date,
                    const char *outlet)
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
    if (!a->published && date)
        a->published = strdup(date);
    if (!a->outlet && outlet)
        a->outlet = strdup(outlet);
}


rasd_err input_set_add_manifest(InputSet *j, const char *path, rasd_error *err)
{
    return load_manifest(j, path, err);
}

rasd_err input_set_add_path(InputSet *j, const char *path, rasd_error *err)
{
    Ancestors up;
    up.n = 0;
    if (expand(j, path, 0, 1, &up) < 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory listing %s", path);
    return RASD_OK;
}

void input_set_free(InputSet *j)
{
    for (size_t i = 0; i < j->nfiles; i++)
        free(j->files[i]);
    free(j->files);
    for (size_t i = 0; i < j->nman; i++) {
        free(j->man[i].file);
        free(j->man[i].published);
        free(j->man[i].outlet);
        free(j->man[i].url);
    }
    free(j->man);
    free(j->seen);
    memset(j, 0, sizeof *j);
}
