/*
 * archive.c — zip, tar and compressed files read as the files they hold
 * (SaudiNewsNet ships one .zip per day), with libarchive, from memory.
 *
 * Each member is read into memory on its own (never more than the file
 * size limit, max_member), decoded and parsed by ingest_read_bytes like a
 * file of its own, and its Batch handed to the caller's function; members
 * are named "archive.zip:member" in messages and origins. A lone
 * compressed file (x.json.gz, x.json.xz) is one member named after the
 * archive without its suffix.
 *
 * Limits against archive bombs, all rasd's own and reported: a member over
 * max_member is skipped with a message; the members' total may not pass
 * ARCHIVE_TOTAL_MULT × max_member, nor ARCHIVE_MAX_RATIO × the archive's
 * own size once past ARCHIVE_RATIO_FLOOR bytes; at most ARCHIVE_MAX_MEMBERS
 * members. Past a total limit the rest of the archive is not read. Nested
 * archives are not opened (one message), folders and macOS resource forks
 * (__MACOSX/, ._name) are passed over silently, links and devices in tars
 * are reported and skipped. Nothing here prints: every problem goes to the
 * caller's function as that member's error.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/walk.h"

#define ARCHIVE_TOTAL_MULT 16              /* total unpacked ≤ 16 × the member limit */
#define ARCHIVE_MAX_RATIO 200              /* unpacked ≤ 200 × packed ... */
#define ARCHIVE_RATIO_FLOOR (16u << 20)    /* ... once past 16 MiB unpacked */
#define ARCHIVE_MAX_MEMBERS 100000

int ingest_is_archive(const char *bytes, size_t n)
{
    const unsigned char *p = (const unsigned char *)bytes;
    if (!p)
        return 0;
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6) || (p[2] == 7 && p[3] == 8)))
        return 1; /* zip: local header, empty archive, spanned */
    if (n >= 3 && p[0] == 0x1F && p[1] == 0x8B && p[2] == 8)
        return 1; /* gzip (deflate) */
    if (n >= 6 && memcmp(p, "\xFD" "7zXZ\0", 6) == 0)
        return 1; /* xz */
    if (n >= 10 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9' &&
        memcmp(p + 4, "1AY&SY", 6) == 0)
        return 1; /* bzip2 (the block magic too: "BZh" alone may start a text) */
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
        return 1; /* tar */
    return 0;
}

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* A lone compressed file's member: the archive's base name without .gz/.xz/.bz2. */
static void raw_member_name(const char *name, Buf *out)
{
    const char *b = base_of(name);
    size_t n = strlen(b);
    static const char *const sfx[] = {".gz", ".gzip", ".xz", ".bz2", ".z"};
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        size_t k = strlen(sfx[i]);
        if (n > k && strcasecmp(b + n - k, sfx[i]) == 0) {
            buf_append(out, b, n - k);
            return;
        }
    }
    buf_append(out, b, n);
    buf_puts(out, ".data");
}

/* Reports a member that was not read through fn. */
static int member_fail(IngestEachFn fn, void *ctx, const char *member, rasd_err code,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int member_fail(IngestEachFn fn, void *ctx, const char *member, rasd_err code,
                       const char *fmt, ...)
{
    rasd_error fe;
    fe.code = code;
    va_list ap;
    va_start(ap, fmt);
    char why[400];
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(fe.msg, sizeof fe.msg, "%s: %s", member, why);
    Batch b = {0};
    int stop = fn(ctx, member, &b, code, &fe);
    batch_free(&b);
    return stop;
}

rasd_err ingest_archive_each(const char *bytes, size_t n, const char *name, size_t max_member,
                             IngestEachFn fn, void *ctx, rasd_error *err)
{
    if (!bytes || !fn)
        return rasd_fail(err, RASD_EINVAL, "ingest_archive_each: bad argument");
    struct archive *a = archive_read_new();
    if (!a)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory opening the archive", name);
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_raw(a); /* a lone .gz: bids lowest, so tars still win */
    if (archive_read_open_memory(a, bytes, n) != ARCHIVE_OK) {
        rasd_err r = rasd_fail(err, RASD_EFORMAT, "%s: not a readable archive: %s", name,
                               archive_error_string(a) ? archive_error_string(a) : "unknown");
        archive_read_free(a);
        return r;
    }
    uint64_t total_cap = (uint64_t)ARCHIVE_TOTAL_MULT * max_member;
    uint64_t total = 0;
    size_t members = 0;
    rasd_err rc = RASD_OK;
    Buf member = {0}, data = {0};
    int stop = 0;
    while (!stop) {
        struct archive_entry *ent;
        int r = archive_read_next_header(a, &ent);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            const char *why = archive_error_string(a) ? archive_error_string(a) : "damaged";
            if (members == 0) {
                rc = rasd_fail(err, RASD_EFORMAT, "%s: not a readable archive: %s", name, why);
            } else {
                buf_reset(&member);
                buf_puts(&member, name);
                member_fail(fn, ctx, member.data ? member.data : name, RASD_EFORMAT,
                            "archive is truncated or damaged after %zu members (%s); the rest "
                            "is not read",
                            members, why);
            }
            break;
        }
        int raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
        const char *path = archive_entry_pathname(ent);
        buf_reset(&member);
        buf_puts(&member, name);
        buf_putc(&member, ':');
        if (raw)
            raw_member_name(name, &member);
        else
            buf_puts(&member, path ? path : "?");
        if (member.oom) {
            rc = rasd_fail(err, RASD_ENOMEM, "%s: out of memory", name);
            break;
        }
        mode_t type = archive_entry_filetype(ent);
        const char *bn = path ? base_of(path) : "";
        if (!raw && (type == AE_IFDIR || (path && strncmp(path, "__MACOSX/", 9) == 0) ||
                     strncmp(bn, "._", 2) == 0 || !*bn))
            continue; /* folders and macOS resource forks */
        members++;
        if (members > ARCHIVE_MAX_MEMBERS) {
            member_fail(fn, ctx, member.data, RASD_ETOOBIG,
                        "more than %d members; the rest of the archive is not read",
                        ARCHIVE_MAX_MEMBERS);
            break;
        }
        if (!raw && type != AE_IFREG) {
            stop = member_fail(fn, ctx, member.data, RASD_EFORMAT,
                               "not a regular file in the archive (a link or device): skipped");
            continue;
        }
        if (!raw && archive_entry_size_is_set(ent) && archive_entry_size(ent) > 0 &&
            (uint64_t)archive_entry_size(ent) > max_member) {
            stop = member_fail(fn, ctx, member.data, RASD_ETOOBIG,
                               "%lld bytes unpacked is over the limit of %zu bytes (--max-size)",
                               (long long)archive_entry_size(ent), max_member);
            continue;
        }
        buf_reset(&data);
        int over = 0, bomb = 0, bad = 0;
        char chunk[65536];
        for (;;) {
            la_ssize_t got = archive_read_data(a, chunk, sizeof chunk);
            if (got == 0)
                break;
            if (got < 0) {
                bad = 1;
                break;
            }
            total += (uint64_t)got;
            if (data.len + (size_t)got > max_member) {
                over = 1;
                break;
            }
            if (total > total_cap ||
                (total > ARCHIVE_RATIO_FLOOR && total / ARCHIVE_MAX_RATIO > (uint64_t)n)) {
                bomb = 1;
                break;
            }
            buf_append(&data, chunk, (size_t)got);
            if (data.oom)
                break;
        }
        if (data.oom) {
            rc = rasd_fail(err, RASD_ENOMEM, "%s: out of memory", member.data);
            break;
        }
        if (bomb) {
            member_fail(fn, ctx, member.data, RASD_ETOOBIG,
                        "the archive unpacks to more than %s (%llu bytes so far from %zu "
                        "packed); the rest is not read",
                        total > total_cap ? "its total limit" : "200 times its size",
                        (unsigned long long)total, n);
            break;
        }
        if (over) {
            stop = member_fail(fn, ctx, member.data, RASD_ETOOBIG,
                               "unpacks to over the limit of %zu bytes (--max-size)", max_member);
            continue;
        }
        if (bad) {
            const char *why = archive_error_string(a) ? archive_error_string(a) : "damaged";
            stop = member_fail(fn, ctx, member.data, RASD_EFORMAT, "could not be unpacked: %s",
                               why);
            continue;
        }
        if (ingest_is_archive(data.data, data.len)) {
            stop = member_fail(fn, ctx, member.data, RASD_EFORMAT,
                               "an archive inside an archive is not opened; unpack it first");
            continue;
        }
        Batch b = {0};
        rasd_error fe = {0};
        rasd_err re = ingest_read_bytes(data.data ? data.data : "", data.len, member.data, &b, &fe);
        stop = fn(ctx, member.data, &b, re, &fe);
        batch_free(&b);
    }
    buf_free(&member);
    buf_free(&data);
    archive_read_free(a);
    return rc;
}
