/*
 * walk.c — from the paths a user names to the inputs the readers get:
 * folders are walked in sorted order so runs are reproducible; a file
 * named manifest.jsonl inside a folder is that folder's manifest (dates,
 * outlets, URLs its files lack), not an input; one file is read, decoded
 * to UTF-8 and handed to the reader its content calls for.
 * No store, no analysis: the engine (src/engine/) decides what happens next.
 */
#include <dirent.h>
#include <errno.h>
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

static rasd_err load_manifest(InputSet *j, const char *path, rasd_error *err)
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

static const ManifestEntry *manifest_for(const InputSet *j, const char *path)
{
    const char *b = base_name(path);
    for (size_t i = j->nman; i-- > 0;) /* later manifests win */
        if (j->man[i].file && strcmp(j->man[i].file, b) == 0)
            return &j->man[i];
    return NULL;
}

/* ---- expanding paths ---- */

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

static int expand(InputSet *j, const char *path, int depth, rasd_error *err)
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
        j->failed++;
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
    if (expand(j, path, 0, err) < 0)
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
    memset(j, 0, sizeof *j);
}
