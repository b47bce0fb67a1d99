/*
 * bench_text.c — throughput of the text core (rasd_text_analyse: UTF-8
 * cleaning, normalisation, tokenising, clitics, stemming, sentences) on one
 * core, for `make bench` (bench/run.sh) and BENCHMARKS.md.
 *
 *   build/bench-text [-r REPS] [-l LABEL] CORPUS
 *
 * CORPUS holds one article per line with "\\" "\n" "\r" escaped as \\ \n \r
 * (bench/run.sh writes it; bench/peer_text.py reads the same file), so the
 * Python peer and this program see exactly the same bytes. The file is read
 * and unescaped before timing: only analysis is timed, not I/O, and each
 * document is freed inside the timed loop because a real consumer must too.
 *
 * Prints one JSON line and one human line:
 *   {"impl":"rasd","articles":...,"bytes":...,"tokens":...,"sentences":...,
 *    "reps":...,"best_s":...,"mb_per_s":...,"tokens_per_s":...,
 *    "first_s":...,"first_mb_per_s":...}
 * MB is 10^6 bytes of input UTF-8. The headline is the best repetition,
 * because on a shared, noisy machine the minimum is the least disturbed.
 * The first repetition is reported too: it starts with empty caches, like
 * a monitor meeting new text, while later ones find the stems cached.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rasd.h"

typedef struct Article {
    size_t off, len; /* bytes of the article in the corpus buffer */
} Article;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads the whole file; returns NULL (and says why) on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench-text: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        fprintf(stderr, "bench-text: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/*
 * Splits buf into lines and unescapes each in place (the unescaped text is
 * never longer). Empty lines are skipped: an empty article measures nothing.
 */
static Article *split_articles(char *buf, size_t n, size_t *count)
{
    size_t cap = 1024, m = 0;
    Article *a = malloc(cap * sizeof *a);
    size_t i = 0;
    while (a && i < n) {
        size_t e = i;
        while (e < n && buf[e] != '\n')
            e++;
        size_t w = i;
        for (size_t r = i; r < e; r++) {
            char c = buf[r];
            if (c == '\\' && r + 1 < e) {
                char x = buf[++r];
                c = x == 'n' ? '\n' : x == 'r' ? '\r' : x;
            }
            buf[w++] = c;
        }
        if (w > i) {
            if (m == cap) {
                Article *p = realloc(a, cap * 2 * sizeof *a);
                if (!p) {
                    free(a);
                    return NULL;
                }
                a = p;
                cap *= 2;
            }
            a[m].off = i;
            a[m].len = w - i;
            m++;
        }
        i = e + 1;
    }
    *count = m;
    return a;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench-text [-r REPS] [-l LABEL] CORPUS\n");
}

int main(int argc, char **argv)
{
    int reps = 5;
    const char *label = "rasd";
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc) {
            label = argv[++i];
        } else if (argv[i][0] == '-') {
            usage();
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path || reps < 1) {
        usage();
        return 2;
    }
    size_t n = 0, count = 0;
    char *buf = read_file(path, &n);
    if (!buf)
        return 1;
    Article *arts = split_articles(buf, n, &count);
    if (!arts) {
        fprintf(stderr, "bench-text: out of memory\n");
        free(buf);
        return 1;
    }
    size_t bytes = 0;
    for (size_t k = 0; k < count; k++)
        bytes += arts[k].len;

    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        fprintf(stderr, "bench-text: %s\n", err.msg);
        return 1;
    }
    double best = 1e300, first = 0;
    size_t tokens = 0, sentences = 0;
    for (int r = 0; r < reps; r++) {
        size_t tk = 0, st = 0;
        double t0 = now_s();
        for (size_t k = 0; k < count; k++) {
            rasd_doc *d = NULL;
            if (rasd_text_analyse(t, buf + arts[k].off, arts[k].len, &d, &err) != RASD_OK) {
                fprintf(stderr, "bench-text: article %zu: %s\n", k + 1, err.msg);
                return 1;
            }
            tk += rasd_doc_ntokens(d);
            st += rasd_doc_nsentences(d);
            rasd_doc_free(d);
        }
        double el = now_s() - t0;
        if (r == 0)
            first = el;
        if (el < best)
            best = el;
        tokens = tk; /* the same every repetition: the work is deterministic */
        sentences = st;
    }
    rasd_text_free(t);
    double mbs = (double)bytes / 1e6 / best, tps = (double)tokens / best;
    printf("{\"impl\":\"%s\",\"articles\":%zu,\"bytes\":%zu,\"tokens\":%zu,\"sentences\":%zu,"
           "\"reps\":%d,\"best_s\":%.4f,\"mb_per_s\":%.2f,\"tokens_per_s\":%.0f,"
           "\"first_s\":%.4f,\"first_mb_per_s\":%.2f}\n",
           label, count, bytes, tokens, sentences, reps, best, mbs, tps, first,
           (double)bytes / 1e6 / first);
    printf("%s: %zu articles, %.1f MB, %zu tokens, %zu sentences; best of %d: %.3f s = "
           "%.1f MB/s, %.2f M tokens/s; first (cold) %.1f MB/s\n",
           label, count, (double)bytes / 1e6, tokens, sentences, reps, best, mbs, tps / 1e6,
           (double)bytes / 1e6 / first);
    free(arts);
    free(buf);
    return 0;
}
