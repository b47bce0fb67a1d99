/*
 * fault.h — deterministic fault injection for the unit suite: the Nth
 * allocation the library makes fails, or the Nth write the store makes to
 * its files fails as a full disk would.
 *
 * Nothing of this is in the library. The test binaries (build/asan and
 * build/cov rasd-test) are linked with -Wl,--wrap for malloc, calloc,
 * realloc, strdup, strndup and aligned_alloc, so every call the library's
 * objects make goes through fault.c; and fault_disk_begin() installs an
 * SQLite VFS (the default one wrapped) whose xWrite and xSync can fail.
 * Counting is process-wide; the engine's ingest of one file of fewer than
 * 128 articles with one job, a refresh with one job and a read are
 * sequential, so "the Nth" names the same call on every run.
 */
#ifndef RASD_TEST_FAULT_H
#define RASD_TEST_FAULT_H

#include <stddef.h>

/* Counts allocations from now on and fails the nth (1-based; 0: none fails,
   only count). fault_alloc_end returns how many were counted and stops. */
void fault_alloc_begin(long nth);
long fault_alloc_end(void);
/* 1 when the armed allocation was reached (and failed). */
int fault_alloc_hit(void);

/* Installs the failing VFS as SQLite's default (for stores opened after
   this) and fails the nth file write or sync (0: only count);
   fault_disk_end returns the count and removes the VFS (close the stores
   opened on it first). */
void fault_disk_begin(long nth);
long fault_disk_end(void);
int fault_disk_hit(void);

/* The fault points of a sweep over total calls: every one of the first
   dense, then about `more` spread evenly over the rest. Fills at most cap
   points into out (ascending) and returns how many. The environment may
   change them when looking at a sweep: RASD_FAULT_SCALE=500 five times the
   points, RASD_FAULT_ONLY=N the one point N, RASD_FAULT_VERBOSE the counts
   on stderr, RASD_FAULT_TRACE the stack of each injected fault (ASan). */
size_t fault_points(long total, long dense, long more, long *out, size_t cap);

#endif
