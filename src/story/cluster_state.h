/*
 * cluster_state.h — the assigner's whole state as bytes (cluster_state.c):
 * what a grouping stores at the start of the newest day so that the next
 * grouping restores it and replays only from that day (stories.c).
 * Private to src/story.
 */
#ifndef RASD_STORY_CLUSTER_STATE_H
#define RASD_STORY_CLUSTER_STATE_H

#include "story/cluster.h"
#include "util/util.h"

/* Bumped whenever the encoding or the assigner's fields change: a state of
   another version is ignored (the caller replays from scratch). */
#define CL_STATE_VERSION 5

/* Where encoded bytes go: kept in b, or handed on in pieces. */
typedef struct ClSink {
    Buf b;               /* bytes not handed on yet (all of them when put is NULL) */
    uint64_t done;       /* bytes handed on before b's */
    /* gets each piece: bytes [at, at+n) of the whole encoding; nonzero = failed.
       NULL: b keeps everything */
    int (*put)(void *ctx, uint64_t at, const void *p, size_t n);
    void *ctx;
    int failed;          /* a put failed (later pieces are counted, not handed on) */
    size_t piece;        /* hand on when b holds this many bytes (0: a mebibyte) */
} ClSink;
/* Hands b on when it holds a piece's worth (with put); cl_sink_flush
   hands on whatever it holds. */
void cl_sink_room(ClSink *s);
void cl_sink_flush(ClSink *s);

/* Writes a's state to s, flushed at the end (s->b.oom on out of memory).
   -1 when a ran out of memory itself (its state is then not worth keeping),
   else 0. */
int cl_state_write(const Assigner *a, ClSink *s);
/* The same appended to out. */
int cl_state_save(const Assigner *a, Buf *out);
/*
 * Loads a state saved by cl_state_save into a, which must be fresh from
 * assign_new with the options and model the state was saved with.
 * 0 ok; -1 when the bytes are damaged, of another version, or of other
 * options or another model (a is then as assign_new left it); -2 on out
 * of memory (a likewise).
 */
int cl_state_load(Assigner *a, const void *p, size_t n);
/* Whether article art may still change event: it waits for its day, or its
   event has not closed. Reads a without changing it (cl_state_save's bytes
   stay the same). */
int cl_state_article_open(const Assigner *a, size_t art);

/* A bounds-checked little-endian reader and the matching writers, shared
   with the checkpoint around the state (stories.c, "checkpoints"). */
typedef struct ClReader {
    const unsigned char *p;
    size_t n, at;
    int bad;             /* a read went past the end */
} ClReader;
void cl_put_u32(Buf *b, uint32_t x);
void cl_put_u64(Buf *b, uint64_t x);
uint32_t cl_get_u32(ClReader *r);
uint64_t cl_get_u64(ClReader *r);
/* The next n bytes (NULL and r->bad when fewer are left). */
const unsigned char *cl_get_bytes(ClReader *r, size_t n);

#endif
