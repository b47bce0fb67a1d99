/*
 * harness.h — a tiny test harness: TEST("behaviour") { ... } registers a
 * test; CHECK(cond) and CHECK_STR(a, b) record failures with file:line.
 * main.c runs them all (or those whose name contains argv[1]) and prints
 * "N passed, N failed".
 */
#ifndef RASD_HARNESS_H
#define RASD_HARNESS_H

#include <stdio.h>
#include <string.h>

typedef struct TestCase {
    const char *name; /* the behaviour, as a sentence */
    void (*fn)(void);
    struct TestCase *next;
} TestCase;

void harness_register(TestCase *t);
void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int harness_failed_now(void); /* failures recorded in the current test */
/* Whole file into a malloc'd buffer (caller frees), *n bytes; NULL if unreadable. */
char *harness_slurp(const char *path, size_t *n);
/* Golden cases report themselves as individual tests. */
void harness_result(const char *name, int ok);

#define TEST_CAT2(a, b) a##b
#define TEST_CAT(a, b) TEST_CAT2(a, b)
#define TEST(desc)                                                                     \
    static void TEST_CAT(test_fn_, __LINE__)(void);                                    \
    static TestCase TEST_CAT(test_case_, __LINE__) = {desc, TEST_CAT(test_fn_, __LINE__), 0}; \
    __attribute__((constructor)) static void TEST_CAT(test_reg_, __LINE__)(void)       \
    {                                                                                  \
        harness_register(&TEST_CAT(test_case_, __LINE__));                             \
    }                                                                                  \
    static void TEST_CAT(test_fn_, __LINE__)(void)

#define CHECK(cond)                                                  \
    do {                                                             \
        if (!(cond))                                                 \
            harness_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);    \
    } while (0)

#define CHECK_STR(a, b)                                                              \
    do {                                                                             \
        const char *ca_ = (a), *cb_ = (b);                                           \
        if (!ca_ || !cb_ || strcmp(ca_, cb_) != 0)                                   \
            harness_fail(__FILE__, __LINE__, "%s\n    expected: %s\n    actual:   %s", \
                         #a, cb_ ? cb_ : "(null)", ca_ ? ca_ : "(null)");            \
    } while (0)

#endif
