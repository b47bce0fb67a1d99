/*
 * views.h — results as C structs (include/rasd.h: rasd_brief,
 * rasd_conflict_set) and the renderers that turn them into JSON, text,
 * Markdown and HTML. The CLI, the HTTP server and an embedding program
 * render through these; none formats a brief itself.
 *
 * The stored brief cache keeps a brief's JSON form (views_brief_json):
 * views_brief_decode reads it back into the struct.
 */
#ifndef RASD_VIEWS_VIEWS_H
#define RASD_VIEWS_VIEWS_H

#include "rasd.h"
#include "util/util.h"

/* JSON form -> struct. *out is owned by the caller: rasd_brief_free /
   rasd_conflict_set_free. RASD_EFORMAT names the line when it is not JSON;
   fields of the wrong type read as absent (NULL, 0). */
rasd_err views_brief_decode(const char *json, size_t n, rasd_brief **out, rasd_error *err);
/* A JSON array of conflicts (conflicts.h) for story or event. */
rasd_err views_conflicts_decode(const char *json, size_t n, int64_t story, int64_t event,
                                rasd_conflict_set **out, rasd_error *err);

/* Struct -> JSON, appended to out (the brief's JSON is its stored form). */
void views_brief_json(const rasd_brief *b, Buf *out);
void views_conflicts_json(const rasd_conflict_set *c, Buf *out); /* the array */
void views_timeline_json(const rasd_brief *b, Buf *out);         /* the array */

/* Struct -> text, Markdown or one self-contained right-to-left HTML page
   (RASD_FMT_TEXT, _MD, _HTML); RASD_EINVAL for another format. */
rasd_err views_brief_render(const rasd_brief *b, int fmt, Buf *out, rasd_error *err);
/* A brief's JSON form decoded and rendered (fuzz targets, older callers). */
rasd_err brief_render(const char *json, size_t n, int format, Buf *out, rasd_error *err);
/* `rasd conflicts` lines: "story N  kind: subject", values, sentences. */
void views_conflicts_text(const rasd_conflict_set *c, Buf *out);
/* `rasd timeline` lines: value, sentence, [outlets]. */
void views_timeline_text(const rasd_brief *b, Buf *out);

#endif
