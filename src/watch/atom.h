/*
 * atom.h — Atom (RFC 4287) feeds of stories for `rasd feed`: one entry per
 * story, updated when the story grows, naming its outlets and linking its
 * brief.
 */
#ifndef RASD_WATCH_ATOM_H
#define RASD_WATCH_ATOM_H

#include <stdint.h>

#include "rasd.h"
#include "store/store.h"

typedef struct AtomOpts {
    int64_t story;          /* one story (thread number), or 0 */
    const char *entity_key; /* stories with an article naming this identity key, or NULL */
    const char *base_url;   /* links: BASE/stories/N/brief, BASE/feed...; NULL: urn: ids only */
    const char *db_path;    /* named in brief commands when there is no base_url */
    int64_t now;            /* Unix time: <updated> of a story seen growing now */
    size_t max_entries;     /* newest first; 0 = 50 */
} AtomOpts;

/* Writes the feed to out. RASD_ENOTFOUND when o->story names no story. */
rasd_err atom_write(Store *st, const AtomOpts *o, Buf *out, rasd_error *err);

#endif
