/*
 * analyze.h — one article to its annotations as one line of JSON (the
 * `rasd analyze` map stage of design.md §2–3): no database, so the same
 * bytes always give the same JSON, on any machine.
 */
#ifndef RASD_ANALYZE_H
#define RASD_ANALYZE_H

#include "rasd.h"
#include "ingest/ingest.h"
#include "util/util.h"

/*
 * Appends {"id","file","title","outlet","published","text","entities",
 * "dates"} for a, without a trailing newline. Offsets are UTF-8 byte
 * offsets into "text" (the validated body).
 */
rasd_err analyze_article(rasd_text *t, const Article *a, Buf *out, rasd_error *err);

#endif
