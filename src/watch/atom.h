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

/* What to write: the public options (include/rasd.h), field for field. */
typedef rasd_feed_opts AtomOpts;

/* Writes the feed to out. RASD_ENOTFOUND when o->story names no story.
   name (may be NULL) gives the name a reader is shown for an outlet in the
   summaries and contents (rasd_outlet_name); categories keep the ids. */
rasd_err atom_write(Store *st, const AtomOpts *o,
                    const char *(*name)(void *ctx, const char *outlet), void *name_ctx,
                    Buf *out, rasd_error *err);

#endif
