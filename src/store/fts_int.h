/*
 * fts_int.h — what fts.c (queries, search) and fts_index.c (stem, tokenizer,
 * index) share inside the library; not part of the store/fts.h interface.
 */
#ifndef RASD_FTS_INT_H
#define RASD_FTS_INT_H

#include <stddef.h>

#include "rasd.h"

struct sqlite3;
struct Store;

#define KEYS_MARK FTS_KEYS_MARK

/* Code points in n bytes of UTF-8. */
size_t fts_nchars(const char *s, size_t n);
/* RASD_EDB "search index: what: <SQLite's message>". */
rasd_err fts_fail(struct sqlite3 *db, rasd_error *err, const char *what);
/* The store's SQLite connection, or NULL and *e set: search needs SQLite. */
struct sqlite3 *fts_need_db(struct Store *s, rasd_error *err, rasd_err *e);

#endif
