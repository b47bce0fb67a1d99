/*
 * sq_col.h — a text column of the current SQLite row, copied: what the
 * SQLite store (sqlite.c), its search index (fts.c) and the watcher's tables
 * (watch/watch_store.c) read strings with. Store-internal; not part of store.h.
 */
#ifndef RASD_STORE_SQ_COL_H
#define RASD_STORE_SQ_COL_H

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Column i as a malloc'd string, or NULL for SQL NULL or out of memory. */
static inline char *sq_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

#endif
