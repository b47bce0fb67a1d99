/*
 * main.c — runs every registered TEST and the golden files, then prints
 * "N passed, N failed". Usage: rasd-test [NAME-SUBSTRING] (run from the
 * project root; RASD_GOLDEN_DIR overrides tests/golden).
 */
#include <stdarg.h>
#include <stdlib.h>

#include "harness.h"

static TestCase *head, **tail = &head;
static int passed, failed, cur_failures;
static const char *cur_name;

void harness_register(TestCase *t)
{
    *tail = t; /* keep file order */
    tail = &t->next;
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
    if (cur_failures == 0)
        printf("FAIL %s\n", cur_name);
    cur_failures++;
    va_list ap;
    va_start(ap, fmt);
    printf("  %s:%d: ", file, line);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

int harness_failed_now(void) { return cur_failures; }

void harness_result(const char *name, int ok)
{
    if (ok)
        passed++;
    else
        failed++;
    (void)name;
}

char *harness_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, cap + 1);
            if (!p)
                break;
            buf = p;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        if (r == 0)
            break;
        len += r;
    }
    fclose(f);
    if (buf)
        buf[len] = '\0'; /* room was kept: callers may treat it as a string */
    *n = len;
    return buf;
}

int golden_run_all(const char *dir, const char *filter);

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    for (TestCase *t = head; t; t = t->next) {
        if (filter && !strstr(t->name, filter))
            continue;
        cur_name = t->name;
        cur_failures = 0;
        t->fn();
        if (cur_failures)
            failed++;
        else
            passed++;
    }
    const char *dir = getenv("RASD_GOLDEN_DIR");
    golden_run_all(dir ? dir : "tests/golden", filter);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
