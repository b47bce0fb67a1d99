/*
 * overrides.h — the analyst's corrections to story assignment: merge two
 * stories, move an article out of an event, dismiss a conflict. They are
 * stored (store.h, schema version 9) with anchor articles and applied after
 * every assignment, so they survive later ingests and `stories --rebuild`.
 */
#ifndef RASD_STORY_OVERRIDES_H
#define RASD_STORY_OVERRIDES_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "store/store.h"

/* Records one correction and applies it at once. kind is "merge" (a: story
   merged, b: story kept), "move" (a: article id, b: the event it leaves) or
   "dismiss" (a: story, b: conflict id); note may be NULL. Fills *out (its
   strings valid until the next call with the same out; free with
   overrides_free_one). RASD_ENOTFOUND when a story, article or event named
   does not exist, RASD_EINVAL when a move names an article alone in its
   event. */
rasd_err overrides_add(Store *st, const char *kind, const char *a, const char *b,
                       const char *note, StoredOverride *out, rasd_error *err);
void overrides_free_one(StoredOverride *o);

/* Applies every stored merge and move to the current assignment (in its own
   transaction, or joining the caller's): a merge moves the events of the
   story holding anchor_a into the story holding anchor_b; a move takes the
   article out of the event it shares with anchor_b into an event and story
   of its own. Corrections already true change nothing, so running it after
   every assignment is cheap and idempotent. *applied (may be NULL): how
   many changed something. */
rasd_err overrides_apply(Store *st, size_t *applied, rasd_error *err);

/* Deletes correction id (*found 0: there is none) and undoes what it did
   where that can be known: a move's article goes back into the event it was
   taken from while it still stands alone (*undone 1). A merge stays until
   `stories --rebuild` (which events came from which story is not kept); a
   dismissal simply ends. One transaction. */
rasd_err overrides_remove(Store *st, int64_t id, int *found, int *undone, rasd_error *err);

/* Each stored correction with the stories its anchors stand in now, 0 when
   gone: story_a is the merged or dismissing story's (a move: the moved
   article's), story_b the kept story's (a move: the one it left). */
rasd_err overrides_each_placed(Store *st,
                               int (*fn)(void *ctx, const StoredOverride *o, int64_t story_a,
                                         int64_t story_b),
                               void *ctx, rasd_error *err);

#endif
