/*
 * brief.h — the cited brief of one story (a thread, or one of its events):
 * headline, a summary of central, corroborated, non-redundant sentences
 * each with the outlets that report it, a timeline of dated happenings,
 * the entities with their spellings, quotes by speaker and the conflicts
 * between outlets. brief_build writes it in its JSON form (design.md §3
 * `rasd brief --json`), the form the store keeps; views/ decodes it into a
 * rasd_brief and renders that as text, Markdown or HTML (views/views.h).
 */
#ifndef RASD_STORY_BRIEF_H
#define RASD_STORY_BRIEF_H

#include <stdint.h>

#include "store/store.h"
#include "util/util.h"
#include "views/views.h"

typedef struct BriefOpts {
    int max_sentences;   /* summary length cap (default 8) */
    int min_sentences;   /* when the story has that many candidates (default 5) */
    double support;      /* sentence cosine at which another article supports it (0.6) */
} BriefOpts;

void brief_opts_default(BriefOpts *o);

/*
 * Appends the brief of thread (event = 0) or of one event of it (thread
 * may then be 0) to json, in its output form (views_brief_json); json NULL
 * only builds and stores it. RASD_ENOTFOUND when there is no such story.
 */
rasd_err brief_build(Store *st, int64_t thread, int64_t event, const BriefOpts *o, Buf *json,
                     rasd_error *err);

/* The same as a struct (views/views.h). *out: rasd_brief_free. */
rasd_err brief_get(Store *st, int64_t thread, int64_t event, const BriefOpts *o,
                   rasd_brief **out, rasd_error *err);

/* Only the conflicts of the story (a JSON array, conflicts.h); *count gets their number. */
rasd_err story_conflicts(Store *st, int64_t thread, int64_t event, Buf *json, size_t *count,
                         rasd_error *err);
/* The same as a struct. *out: rasd_conflict_set_free. */
rasd_err story_conflict_set(Store *st, int64_t thread, int64_t event, rasd_conflict_set **out,
                            rasd_error *err);

/*
 * The engine's refresh stage: builds and stores the brief (and so the
 * conflicts) of every event with 2+ articles and every thread with 2+
 * events whose stored one is missing or was built from other members, so
 * views read them instead of computing. *refreshed gets how many were built.
 */
rasd_err brief_refresh(Store *st, const BriefOpts *o,
                       void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                       size_t *refreshed, rasd_error *err);

enum { BRIEF_TEXT = RASD_FMT_TEXT, BRIEF_MD = RASD_FMT_MD, BRIEF_HTML = RASD_FMT_HTML };

#endif
