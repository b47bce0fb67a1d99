/*
 * entsum.h — the entity summary (schema version 8): one row per name
 * (identity key, type) with its mention and article counts, spellings,
 * outlets and roles, kept up to date at ingest so that `rasd entities`,
 * the public API and /api/entities read one table instead of grouping
 * every stored mention. Only store implementations include this file;
 * callers use store_each_entity (store.h).
 */
#ifndef RASD_ENTSUM_H
#define RASD_ENTSUM_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/util.h"

struct sqlite3;

/* What one store transaction added, merged into the stored rows at commit. */
typedef struct EntSum {
    IdMap map;           /* hash of (type, key) → 1 + index in ents */
    Buf ents;            /* SumEnt array (entsum.c), in first-seen order */
    Arena arena;         /* every string the pending entries hold */
    Buf form;            /* scratch: a spelling's stored form */
    int oom;             /* an allocation failed: the flush fails */
} EntSum;

void entsum_init(EntSum *s);
void entsum_free(EntSum *s);
/* Drops what is pending (a rollback). */
void entsum_reset(EntSum *s);
int entsum_pending(const EntSum *s);

/* One stored mention of (type, key) written as text in article (of outlet,
   NULL: none). Mentions of one article come together: its article counts
   once per name and outlet. */
void entsum_mention(EntSum *s, int64_t article, const char *type, const char *key,
                    size_t key_len, const char *text, size_t text_len, const char *outlet);
/* An article's mentions of (type, key) counted under outlet from now
   count under outlet to (a copy took the article over: store_set_canonical). */
void entsum_move_outlet(EntSum *s, const char *type, const char *key, size_t key_len,
                        int64_t mentions, const char *from, const char *to);
/* One role (office key) given to a mention of (type, key). */
void entsum_role(EntSum *s, const char *type, const char *key, size_t key_len,
                 const char *office, size_t office_len);

/* SQLite: merges what is pending into table entities, inside the caller's
   transaction, and empties s. */
rasd_err entsum_flush_sqlite(EntSum *s, struct sqlite3 *db, rasd_error *err);
/* SQLite: the rows of table entities that f selects, most mentioned first. */
rasd_err entsum_each_sqlite(struct sqlite3 *db, const EntityFilter *f,
                            int (*fn)(void *ctx, const StoredEntity *x), void *ctx,
                            rasd_error *err);

/*
 * A summary row given as text (the stored form: lists one item a line,
 * "text TAB mentions [TAB articles]", most used first), parsed and handed
 * to fn if f keeps it. *kept counts rows f kept (for offset/limit); returns
 * what fn returned, or -1 when out of memory. For implementations that
 * build the row themselves (pg.c aggregates at read time).
 */
typedef struct EntRow {
    const char *key, *type;
    int64_t mentions, articles;
    const char *spellings, *outlets, *roles; /* stored lists; NULL = empty */
    const char *name;    /* the name to show; NULL: chosen from the spellings */
} EntRow;
int entsum_emit(const EntRow *r, const EntityFilter *f, size_t *kept,
                int (*fn)(void *ctx, const StoredEntity *x), void *ctx);

/*
 * One identity across the store (entsum.c, "a name alone joins its full
 * name"): a one-word person key that is the last word (or, failing that, the
 * first word) of exactly one frequent full-name key is listed as part of
 * it, when that full name's own articles call it by the word alone.
 * Decided when read, from the stored counts and spellings, so the result
 * does not depend on the order articles came in.
 *
 * Likewise a place the tagger also called "other" (أوكرانيا as MISC) is
 * listed as the place when the place is at least as frequent and the
 * "other" row's most used spelling has a tenth of the place's mentions
 * (السورية, an adjective, does not; سورية does).
 *
 * Use: entsum_join_add every PER, LOC and MISC row (key, type, mentions, a handle the caller's get
 * understands), entsum_join_build, then hand each row in listing order to
 * entsum_join_row instead of entsum_emit and call entsum_join_finish at the end.
 * get fills *out with the stored row of (key, type) given its handle;
 * out's strings need only last until the next get; returns 0 if found.
 */
typedef struct EntJoin {
    Arena arena;         /* every key string */
    Buf keys;            /* JoinKey array (entsum.c) */
    IdMap map;           /* hash of a key → 1 + index in keys */
    Buf order;           /* uint32 indices of the joined full names, listing order */
    size_t next;         /* first of order not yet listed */
    int oom;
} EntJoin;
typedef int (*EntGet)(void *gctx, const char *key, const char *type, int64_t handle,
                      EntRow *out);
void entsum_join_init(EntJoin *j);
void entsum_join_free(EntJoin *j);
void entsum_join_add(EntJoin *j, const char *key, const char *type, int64_t mentions,
                 int64_t handle);
/* 1 when some key joins another (else entsum_emit alone will do), -1 oom.
   Reads the candidates' spellings through get. */
int entsum_join_build(EntJoin *j, EntGet get, void *gctx);
int entsum_join_row(EntJoin *j, const EntRow *r, const EntityFilter *f, size_t *kept,
                int (*fn)(void *ctx, const StoredEntity *x), void *ctx, EntGet get, void *gctx);
int entsum_join_finish(EntJoin *j, const EntityFilter *f, size_t *kept,
                   int (*fn)(void *ctx, const StoredEntity *x), void *ctx, EntGet get,
                   void *gctx);
/* The full-name key that key (one word, type PER) is listed under, or NULL. */
const char *entsum_join_target(const EntJoin *j, const char *key);

/* Migration 7 → 8 (sqlite.c): the table, filled from the stored mentions. */
extern const char entsum_migration_sql[];
/* Migration 12 → 13 (sqlite.c): the spellings rebuilt in their shown form
   with per-spelling article counts; needs entsum_register. */
extern const char entsum_spellings_migration_sql[];
/* Registers SQL function rasd_spelling(text) (the stored form of a
   spelling) on db; an SQLite result code. */
int entsum_register(struct sqlite3 *db);
/* Migration 11 → 12 (sqlite.c): the index of person keys by their last word. */
extern const char entsum_surname_migration_sql[];
/* SQLite: store_each_surname_key's query over table entities (?1 the last
   word, ?2 the limit; rows key, mentions), which that index serves. */
extern const char entsum_surname_sql[];

#endif
