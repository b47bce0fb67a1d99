/*
 * fuzz_archive.c — libFuzzer target for archives: any bytes through
 * ingest_is_archive and ingest_archive_each (libarchive with zip, tar,
 * gzip, bzip2, xz and raw), each member through ingest_read_bytes (decoding,
 * detection, every reader, date checks). The member limit is 1 MiB so a
 * bomb is cut early. Checks every member Batch: articles have a body and an
 * origin naming the archive, parents precede, a failed member says why,
 * and every kept `published` passes ingest_valid_date.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/walk.h"

static int on_member(void *ctx, const char *name, Batch *b, rasd_err e, const rasd_error *err)
{
    (void)ctx;
    if (!name || strncmp(name, "fuzz.zip", 8) != 0)
        abort();
    if (e != RASD_OK && (!err || !err->msg[0]))
        abort();
    for (size_t i = 0; i < b->n; i++) {
        const Article *a = &b->items[i];
        if (!a->body || !a->origin || strncmp(a->origin, "fuzz.zip", 8) != 0)
            abort();
        if (a->parent >= (int)i)
            abort();
        if (a->published && !ingest_valid_date(a->published))
            abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)ingest_is_archive((const char *)data, size);
    rasd_error err;
    rasd_err r = ingest_archive_each((const char *)data, size, "fuzz.zip", 1u << 20, on_member,
                                     NULL, &err);
    if (r != RASD_OK && r != RASD_EFORMAT && r != RASD_ENOMEM)
        abort();
    return 0;
}
