/*
 * fault.c — the allocation wrappers and the failing SQLite VFS of fault.h.
 *
 * The linker sends the library's malloc/calloc/realloc/strdup/strndup/
 * aligned_alloc calls here (-Wl,--wrap=NAME in the Makefile's rasd-test
 * rules; __real_NAME is the C library's, or the sanitizer's). When no
 * fault is armed each wrapper is one relaxed atomic load and the real call.
 *
 * The VFS wraps the default one: every file it opens gets io methods that
 * pass through, except that the armed write or sync returns
 * SQLITE_IOERR_WRITE / SQLITE_IOERR_FSYNC — to SQLite a disk that failed,
 * so the store sees the error at the statement or COMMIT that needed it.
 */
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#include "fault.h"

/* ---- allocations ---- */

/* A countdown: calls counted, the nth fails (0: none), and whether it came. */
typedef struct Countdown {
    atomic_long n;
    long nth;
    atomic_int hit;
} Countdown;

static atomic_int alloc_on;   /* counting allocations */
static Countdown allocs, disk;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__real_aligned_alloc(size_t align, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void *__wrap_aligned_alloc(size_t align, size_t n);

/* RASD_FAULT_TRACE set: where each fault is injected, on stderr */
static void trace(void)
{
#if defined(__SANITIZE_ADDRESS__)
    if (getenv("RASD_FAULT_TRACE"))
        __sanitizer_print_stack_trace();
#endif
}

/* 1: this call is the armed one and fails */
static int counted_fails(Countdown *c)
{
    long k = atomic_fetch_add(&c->n, 1) + 1;
    if (c->nth && k == c->nth) {
        atomic_store(&c->hit, 1);
        trace();
        return 1;
    }
    return 0;
}

static int alloc_fails(void)
{
    return atomic_load_explicit(&alloc_on, memory_order_relaxed) && counted_fails(&allocs);
}

static void countdown_start(Countdown *c, long nth)
{
    c->nth = nth;
    atomic_store(&c->n, 0);
    atomic_store(&c->hit, 0);
}

void *__wrap_malloc(size_t n) { return alloc_fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return alloc_fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return alloc_fails() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return alloc_fails() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return alloc_fails() ? NULL : __real_strndup(s, n); }
void *__wrap_aligned_alloc(size_t align, size_t n)
{
    return alloc_fails() ? NULL : __real_aligned_alloc(align, n);
}

void fault_alloc_begin(long nth)
{
    countdown_start(&allocs, nth);
    atomic_store(&alloc_on, 1);
}

long fault_alloc_end(void)
{
    atomic_store(&alloc_on, 0);
    allocs.nth = 0;
    return atomic_load(&allocs.n);
}

int fault_alloc_hit(void) { return atomic_load(&allocs.hit); }

/* ---- the store's files ---- */

static sqlite3_vfs *base;     /* the default VFS being wrapped */
static sqlite3_vfs shim;      /* it, with our xOpen */

typedef struct ShimFile {
    sqlite3_file f;     /* pMethods = &shim_io */
    sqlite3_file *real; /* the base VFS's file, right after this struct */
} ShimFile;

#define REAL(p) (((ShimFile *)(p))->real)

static int disk_fails(void) { return counted_fails(&disk); }

static int s_close(sqlite3_file *p) { return REAL(p)->pMethods->xClose(REAL(p)); }
static int s_read(sqlite3_file *p, void *b, int n, sqlite3_int64 o)
{
    return REAL(p)->pMethods->xRead(REAL(p), b, n, o);
}
static int s_write(sqlite3_file *p, const void *b, int n, sqlite3_int64 o)
{
    return disk_fails() ? SQLITE_IOERR_WRITE : REAL(p)->pMethods->xWrite(REAL(p), b, n, o);
}
static int s_truncate(sqlite3_file *p, sqlite3_int64 n)
{
    return REAL(p)->pMethods->xTruncate(REAL(p), n);
}
static int s_sync(sqlite3_file *p, int flags)
{
    return disk_fails() ? SQLITE_IOERR_FSYNC : REAL(p)->pMethods->xSync(REAL(p), flags);
}
static int s_size(sqlite3_file *p, sqlite3_int64 *n) { return REAL(p)->pMethods->xFileSize(REAL(p), n); }
static int s_lock(sqlite3_file *p, int l) { return REAL(p)->pMethods->xLock(REAL(p), l); }
static int s_unlock(sqlite3_file *p, int l) { return REAL(p)->pMethods->xUnlock(REAL(p), l); }
static int s_reserved(sqlite3_file *p, int *r)
{
    return REAL(p)->pMethods->xCheckReservedLock(REAL(p), r);
}
static int s_control(sqlite3_file *p, int op, void *a)
{
    return REAL(p)->pMethods->xFileControl(REAL(p), op, a);
}
static int s_sector(sqlite3_file *p) { return REAL(p)->pMethods->xSectorSize(REAL(p)); }
static int s_device(sqlite3_file *p) { return REAL(p)->pMethods->xDeviceCharacteristics(REAL(p)); }
static int s_shm_map(sqlite3_file *p, int pg, int sz, int ext, void volatile **out)
{
    return REAL(p)->pMethods->xShmMap(REAL(p), pg, sz, ext, out);
}
static int s_shm_lock(sqlite3_file *p, int off, int n, int flags)
{
    return REAL(p)->pMethods->xShmLock(REAL(p), off, n, flags);
}
static void s_shm_barrier(sqlite3_file *p) { REAL(p)->pMethods->xShmBarrier(REAL(p)); }
static int s_shm_unmap(sqlite3_file *p, int del) { return REAL(p)->pMethods->xShmUnmap(REAL(p), del); }
static int s_fetch(sqlite3_file *p, sqlite3_int64 o, int n, void **out)
{
    return REAL(p)->pMethods->xFetch(REAL(p), o, n, out);
}
static int s_unfetch(sqlite3_file *p, sqlite3_int64 o, void *q)
{
    return REAL(p)->pMethods->xUnfetch(REAL(p), o, q);
}

static const sqlite3_io_methods shim_io = {
    3, s_close, s_read, s_write, s_truncate, s_sync, s_size, s_lock, s_unlock, s_reserved,
    s_control, s_sector, s_device, s_shm_map, s_shm_lock, s_shm_barrier, s_shm_unmap,
    s_fetch, s_unfetch};

static int s_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    ShimFile *sf = (ShimFile *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = base->xOpen(base, name, sf->real, flags, out);
    /* a file the base could not open has no methods, and neither has ours */
    sf->f.pMethods = sf->real->pMethods ? &shim_io : NULL;
    return rc;
}

void fault_disk_begin(long nth)
{
    if (!base) {
        base = sqlite3_vfs_find(NULL);
        shim = *base;
        shim.zName = "rasd-fault";
        shim.szOsFile = (int)sizeof(ShimFile) + base->szOsFile;
        shim.xOpen = s_open;
        shim.pAppData = NULL;
    }
    countdown_start(&disk, nth);
    sqlite3_vfs_register(&shim, 1);
}

long fault_disk_end(void)
{
    disk.nth = 0;
    sqlite3_vfs_unregister(&shim);
    return atomic_load(&disk.n);
}

int fault_disk_hit(void) { return atomic_load(&disk.hit); }

size_t fault_points(long total, long dense, long more, long *out, size_t cap)
{
    const char *scale = getenv("RASD_FAULT_SCALE"); /* percent of the points (default 100) */
    if (scale) {
        dense = dense * atol(scale) / 100;
        more = more * atol(scale) / 100;
    }
    if (getenv("RASD_FAULT_VERBOSE"))
        fprintf(stderr, "fault sweep: %ld calls, %ld dense + %ld spread points\n", total, dense, more);
    size_t n = 0;
    if (getenv("RASD_FAULT_ONLY")) { /* one point, to look at it */
        out[0] = atol(getenv("RASD_FAULT_ONLY"));
        return 1;
    }
    for (long k = 1; k <= total && k <= dense && n < cap; k++)
        out[n++] = k;
    if (total > dense && more > 0) {
        long step = (total - dense) / more;
        if (step < 1)
            step = 1;
        for (long k = dense + step; k <= total && n < cap; k += step)
            out[n++] = k;
    }
    return n;
}
