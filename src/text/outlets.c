/*
 * outlets.c — the display names rasd knows for news outlets
 * (data/lexicon/outlets.txt, embedded at build time): "aawsat" and
 * "aawsat.com" are shown as الشرق الأوسط until an analyst names the outlet
 * otherwise. Identifiers are matched lower-cased, with a leading "www."
 * dropped, so a web host names its outlet whatever case the source used.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

extern const unsigned char lex_outlets[];
extern const unsigned long lex_outlets_len;

typedef struct Known {
    char *id, *name;
} Known;

static Known *known;
static size_t nknown;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const Known *)a)->id, ((const Known *)b)->id);
}

/* Lower-cases ASCII letters of s[0..n) into out (size cap) and drops a
   leading "www."; 0 when it does not fit. */
static int norm_id(const char *s, size_t n, char *out, size_t cap)
{
    if (n >= 4 && strncasecmp(s, "www.", 4) == 0) { /* WWW.Example.com too */
        s += 4;
        n -= 4;
    }
    if (n + 1 > cap)
        return 0;
    for (size_t i = 0; i < n; i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    out[n] = '\0';
    return 1;
}

static void load(void)
{
    const char *s = (const char *)lex_outlets;
    size_t n = lex_outlets_len, lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    known = calloc(lines + 1, sizeof *known);
    if (!known)
        return; /* no names known: outlets are shown as stored */
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        const char *tab = memchr(s + i, '\t', e - i);
        char id[128];
        if (s[i] != '#' && tab && tab > s + i && norm_id(s + i, (size_t)(tab - (s + i)), id, sizeof id)) {
            size_t nl = (size_t)(s + e - (tab + 1));
            Known *k = &known[nknown];
            k->id = strdup(id);
            k->name = malloc(nl + 1);
            if (k->id && k->name) {
                memcpy(k->name, tab + 1, nl);
                k->name[nl] = '\0';
                nknown++;
            } else {
                free(k->id);
                free(k->name);
            }
        }
        i = e + 1;
    }
    qsort(known, nknown, sizeof *known, by_id);
}

const char *outlet_known_name(const char *outlet)
{
    char id[128];
    if (!outlet || !norm_id(outlet, strlen(outlet), id, sizeof id))
        return NULL;
    pthread_once(&once, load);
    Known key = {id, NULL};
    const Known *k = nknown ? bsearch(&key, known, nknown, sizeof *known, by_id) : NULL;
    return k ? k->name : NULL;
}

int outlet_each_known(int (*fn)(void *ctx, const char *outlet, const char *name), void *ctx)
{
    pthread_once(&once, load);
    for (size_t i = 0; i < nknown; i++)
        if (fn(ctx, known[i].id, known[i].name))
            return 1;
    return 0;
}
