/*
 * csv.h — a small RFC 4180 reader for the evaluation tools (header-only):
 * quoted fields, doubled quotes, newlines inside quotes. Not for the
 * library: user input never comes as CSV.
 */
#ifndef RASD_TOOLS_CSV_H
#define RASD_TOOLS_CSV_H

#include <stdlib.h>
#include <string.h>

typedef struct CsvRow {
    char **f;            /* fields, NUL-terminated, owned */
    size_t n;
} CsvRow;

/* Reads the next row from *p (advanced); 0 at end of input, -1 on OOM. */
static int csv_next(const char **p, const char *end, CsvRow *row)
{
    row->f = NULL;
    row->n = 0;
    if (*p >= end)
        return 0;
    size_t cap = 0;
    for (;;) {
        size_t blen = 0, bcap = 64;
        char *b = malloc(bcap);
        if (!b)
            return -1;
        int quoted = *p < end && **p == '"';
        if (quoted)
            (*p)++;
        while (*p < end) {
            char c = **p;
            if (quoted) {
                if (c == '"') {
                    if (*p + 1 < end && (*p)[1] == '"') {
                        (*p)++;
                    } else {
                        (*p)++;
                        quoted = 0;
                        continue;
                    }
                }
            } else if (c == ',' || c == '\n' || c == '\r') {
                break;
            }
            if (blen + 2 > bcap) {
                char *nb = realloc(b, bcap *= 2);
                if (!nb) {
                    free(b);
                    return -1;
                }
                b = nb;
            }
            b[blen++] = c;
            (*p)++;
        }
        b[blen] = 0;
        if (row->n == cap) {
            cap = cap ? cap * 2 : 8;
            char **nf = realloc(row->f, cap * sizeof *nf);
            if (!nf) {
                free(b);
                return -1;
            }
            row->f = nf;
        }
        row->f[row->n++] = b;
        if (*p < end && **p == ',') {
            (*p)++;
            continue;
        }
        while (*p < end && (**p == '\r' || **p == '\n')) {
            int nl = **p == '\n';
            (*p)++;
            if (nl)
                break;
        }
        return 1;
    }
}

static void csv_free(CsvRow *row)
{
    for (size_t i = 0; i < row->n; i++)
        free(row->f[i]);
    free(row->f);
    row->f = NULL;
    row->n = 0;
}

#endif
