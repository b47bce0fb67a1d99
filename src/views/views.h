/*
 * views.h — results as C structs (include/rasd.h: rasd_brief,
 * rasd_conflict_set) and the renderers that turn them into JSON, text,
 * Markdown and HTML. The CLI, the HTTP server and an embedding program
 * render through these; none formats a brief itself.
 *
 * The stored brief cache keeps a brief's stored JSON form
 * (views_brief_json_stored: the output form without the claims' cites);
 * views_brief_decode reads either form back into the struct.
 */
#ifndef RASD_VIEWS_VIEWS_H
#define RASD_VIEWS_VIEWS_H

#include "rasd.h"
#include "util/util.h"

/* A new, zeroed result and the arena everything it points to is allocated
   in (freed with it: rasd_brief_free, rasd_conflict_set_free). NULL when
   out of memory. Allocation failures later set (*arena)->oom. */
rasd_brief *views_brief_new(Arena **arena);
rasd_conflict_set *views_conflicts_new(Arena **arena);
void *views_calloc(Arena *a, size_t n, size_t size); /* zeroed; NULL on failure */
const char *views_str(Arena *a, const char *s);       /* a copy; NULL for NULL */
/* text[start,end) without surrounding spaces and newlines, copied */
const char *views_trimmed(Arena *a, const char *text, uint32_t start, uint32_t end);
/* The same bounds moved in past those spaces and newlines (what views_trimmed copies). */
void views_trim_span(const char *text, uint32_t *start, uint32_t *end);

/* JSON form -> struct. *out is owned by the caller: rasd_brief_free /
   rasd_conflict_set_free. RASD_EFORMAT names the line when it is not JSON;
   fields of the wrong type read as absent (NULL, 0). */
rasd_err views_brief_decode(const char *json, size_t n, rasd_brief **out, rasd_error *err);
/* A JSON array of conflicts (conflicts.h) for story or event. */
rasd_err views_conflicts_decode(const char *json, size_t n, int64_t story, int64_t event,
                                rasd_conflict_set **out, rasd_error *err);

/* Every claim's citation (summary sentences, timeline dates, quotes, the
   conflicts' cites) completed from the brief's document list: the article,
   the name a reader is shown for it (outlet, agency, site or title, never
   its id) and its URL; a field already set stays. The decoder and the
   brief builder call it. */
void views_brief_cite(rasd_brief *b);
/* 1 + the index of article in b's document list (what the text and
   Markdown briefs cite it by), or 0 when it is not listed. */
size_t views_brief_doc_number(const rasd_brief *b, const char *article);

/* Struct -> JSON, appended to out: the output form (every claim's "cite"). */
void views_brief_json(const rasd_brief *b, Buf *out);
/* The stored form: the output form without the summary sentences', timeline
   dates' and quotes' "cite" (views_brief_cite fills them back when read). */
void views_brief_json_stored(const rasd_brief *b, Buf *out);
void views_conflicts_json(const rasd_conflict_set *c, Buf *out); /* the array */
void views_timeline_json(const rasd_brief *b, Buf *out);         /* the array */

/* What a caller (the HTTP server) adds to the JSON form: conflict may
   replace the id written for c (*id) and append fields to tail, each
   starting with a comma (",\"dismissed\":true"); brief appends fields
   after the brief's own the same way. Either may be NULL. */
typedef struct ViewsJsonHooks {
    void (*conflict)(void *ctx, const rasd_conflict *c, const char **id, Buf *tail);
    void (*brief)(void *ctx, const rasd_brief *b, Buf *out);
    void *ctx;
} ViewsJsonHooks;
void views_brief_json_with(const rasd_brief *b, const ViewsJsonHooks *h, Buf *out);
void views_conflicts_json_with(const rasd_conflict_set *c, const ViewsJsonHooks *h, Buf *out);

/* Struct -> text, Markdown or one self-contained right-to-left HTML page
   (RASD_FMT_TEXT, _MD, _HTML); RASD_EINVAL for another format. */
rasd_err views_brief_render(const rasd_brief *b, int fmt, Buf *out, rasd_error *err);
/* A brief's JSON form decoded and rendered (fuzz targets, older callers). */
rasd_err brief_render(const char *json, size_t n, int format, Buf *out, rasd_error *err);
/* `rasd conflicts` lines: "story N  kind: subject", values, sentences. */
void views_conflicts_text(const rasd_conflict_set *c, Buf *out);
/* `rasd timeline` lines: value, sentence, [outlets]. */
void views_timeline_text(const rasd_brief *b, Buf *out);

/* The arena a result's strings live in (decode.c's box behind the struct). */
Arena *views_brief_arena(rasd_brief *b);
Arena *views_conflicts_arena(rasd_conflict_set *c);

/* The display name of an outlet (rasd_outlet_name), NULL or outlet itself:
   shown as stored. */
typedef const char *(*ViewsOutletName)(void *ctx, const char *outlet);
/* Every outlet name a result cites replaced by its display name, copied
   into the result's arena; a list keeps one entry per shown name
   (outlet_names.c). Ids, URLs, counts and offsets unchanged. */
void views_brief_name_outlets(rasd_brief *b, ViewsOutletName name, void *ctx);
void views_conflicts_name_outlets(rasd_conflict_set *c, ViewsOutletName name, void *ctx);

#endif
