/*
 * sample_dates.c — draws a fixed sample of the date expressions the
 * recogniser (src/annotate/dates.c) finds in SaudiNewsNet day files, for
 * checking by hand, and scores a checked sample:
 *
 *   build/sample-dates [-n 100] DAY.json...            > sample.tsv
 *   build/sample-dates --score CHECKED.tsv DAY.json...
 *
 * Every article's body is analysed with its crawl day (date_extracted) as
 * the publication date; every span of the default output (calendar dates)
 * is a candidate. A candidate's key is the 64-bit hash of its URL, byte
 * offset, text and value, and the sample is the n candidates with the
 * smallest keys: the same files and the same recogniser always give the
 * same sample, and no one chooses which expressions are looked at. The
 * same sentence carried by two outlets is drawn at most once (the hash of
 * the 80 bytes around the span is remembered).
 *
 * Output, one line per expression, tab-separated:
 *   key  day  source  value  flags  text  context  verdict  note
 * flags: h (Hijri), r (relative to the publication date), d (dateline).
 * context is the span in ⟦ ⟧ with up to 120 bytes either side (tabs and
 * newlines as spaces). verdict and note are empty, for the checker: "ok"
 * when the span is a date expression and its value is the day, month,
 * year or range it names (given the publication date), "wrong" otherwise.
 *
 * --score redraws the sample, checks that every row of CHECKED.tsv still
 * has the key, text and value the recogniser gives now (a changed row is
 * reported and counted as unchecked), and prints the number right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rasd.h"
#include "annotate/dates.h"
#include "util/util.h"
#include "snn.h" /* the SaudiNewsNet day loader the other tools use */

typedef struct Cand {
    uint64_t key;   /* sampling key */
    uint64_t ctx;   /* hash of the surrounding bytes, to skip repeats */
    char *line;     /* the TSV line without verdict and note (malloc'd) */
    char *text;     /* span text (malloc'd) */
    char value[48]; /* DateSpan.value */
} Cand;

typedef struct Cands {
    Cand *v;
    size_t n, cap;
} Cands;

static int by_key(const void *a, const void *b)
{
    const Cand *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Appends text[a,b) with tabs and newlines as spaces. */
static void put_flat(Buf *o, const char *text, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        char ch = text[i];
        buf_putc(o, ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch);
    }
}

/* Moves i back (dir < 0) or forward to a UTF-8 character boundary. */
static size_t boundary(const char *t, size_t n, size_t i, int dir)
{
    while (i > 0 && i < n && ((unsigned char)t[i] & 0xC0) == 0x80)
        i += dir < 0 ? (size_t)-1 : 1;
    return i;
}

static void add_article(rasd_text *tc, const SnnArticle *a, Cands *cs)
{
    rasd_doc *d = NULL;
    rasd_error err;
    if (rasd_text_analyse(tc, a->content, strlen(a->content), &d, &err) != RASD_OK) {
        fprintf(stderr, "sample-dates: %s: %s\n", a->url, err.msg);
        return;
    }
    char day[11] = "";
    if (strlen(a->date) >= 10)
        memcpy(day, a->date, 10);
    DateSpan *ds = NULL;
    size_t nd = 0;
    if (dates_find(d, day, 0, &ds, &nd, &err) != RASD_OK) {
        fprintf(stderr, "sample-dates: %s: %s\n", a->url, err.msg);
        rasd_doc_free(d);
        return;
    }
    size_t tl;
    const char *text = rasd_doc_text(d, &tl);
    for (size_t i = 0; i < nd; i++) {
        const DateSpan *s = &ds[i];
        if (s->end > tl || s->start >= s->end)
            continue;
        Buf k = {0}, o = {0};
        buf_printf(&k, "%s\t%u\t", a->url, s->start);
        buf_append(&k, text + s->start, s->end - s->start);
        buf_printf(&k, "\t%s", s->value);
        size_t c0 = boundary(text, tl, s->start > 40 ? s->start - 40 : 0, -1);
        size_t c1 = boundary(text, tl, s->end + 40 < tl ? s->end + 40 : tl, 1);
        Cand c = {0};
        c.key = rasd_hash(k.data, k.len);
        c.ctx = rasd_hash(text + c0, c1 - c0) ^ rasd_hash(s->value, strlen(s->value));
        snprintf(c.value, sizeof c.value, "%s", s->value);
        size_t w0 = boundary(text, tl, s->start > 120 ? s->start - 120 : 0, -1);
        size_t w1 = boundary(text, tl, s->end + 120 < tl ? s->end + 120 : tl, 1);
        buf_printf(&o, "%016llx\t%s\t%s\t%s\t%s%s%s\t", (unsigned long long)c.key, day, a->source,
                   s->value, s->hijri ? "h" : "", s->relative ? "r" : "",
                   s->dateline ? "d" : "");
        put_flat(&o, text, s->start, s->end);
        buf_putc(&o, '\t');
        put_flat(&o, text, w0, s->start);
        buf_puts(&o, "⟦");
        put_flat(&o, text, s->start, s->end);
        buf_puts(&o, "⟧");
        put_flat(&o, text, s->end, w1);
        Buf tx = {0};
        put_flat(&tx, text, s->start, s->end);
        c.text = buf_steal(&tx);
        c.line = buf_steal(&o);
        buf_free(&k);
        if (cs->n == cs->cap) {
            cs->cap = cs->cap ? cs->cap * 2 : 1024;
            cs->v = realloc(cs->v, cs->cap * sizeof *cs->v);
            if (!cs->v) {
                fprintf(stderr, "sample-dates: out of memory\n");
                exit(1);
            }
        }
        if (!c.line || !c.text) {
            fprintf(stderr, "sample-dates: out of memory\n");
            exit(1);
        }
        cs->v[cs->n++] = c;
    }
    free(ds);
    rasd_doc_free(d);
}

/* The first n candidates by key, skipping repeated contexts: indexes into cs->v. */
static size_t draw(Cands *cs, size_t n, size_t *pick)
{
    qsort(cs->v, cs->n, sizeof *cs->v, by_key);
    size_t k = 0;
    for (size_t i = 0; i < cs->n && k < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < k && !seen; j++)
            seen = cs->v[pick[j]].ctx == cs->v[i].ctx;
        if (!seen)
            pick[k++] = i;
    }
    return k;
}

/* Field f (0-based) of a tab-separated line, copied into out. */
static void field(const char *line, int f, char *out, size_t cap)
{
    const char *p = line;
    for (int i = 0; i < f && p; i++) {
        p = strchr(p, '\t');
        if (p)
            p++;
    }
    size_t n = 0;
    if (p)
        while (p[n] && p[n] != '\t' && p[n] != '\n' && p[n] != '\r')
            n++;
    if (n >= cap)
        n = cap - 1;
    if (p)
        memcpy(out, p, n);
    out[n] = 0;
}

static int score(const char *path, Cands *cs, size_t *pick, size_t k)
{
    Buf f = {0};
    rasd_error err;
    if (buf_read_file(&f, path, &err) != RASD_OK) {
        fprintf(stderr, "sample-dates: %s\n", err.msg);
        return 1;
    }
    size_t rows = 0, ok = 0, wrong = 0, unchecked = 0, changed = 0;
    for (char *line = f.data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        if (line[0] == '#' || !line[0])
            continue;
        char key[32], value[64], text[512], verdict[16];
        field(line, 0, key, sizeof key);
        field(line, 3, value, sizeof value);
        field(line, 5, text, sizeof text);
        field(line, 7, verdict, sizeof verdict);
        rows++;
        int found = 0;
        for (size_t j = 0; j < k && !found; j++) {
            const Cand *c = &cs->v[pick[j]];
            char ck[32];
            snprintf(ck, sizeof ck, "%016llx", (unsigned long long)c->key);
            found = strcmp(ck, key) == 0 && strcmp(c->value, value) == 0 &&
                    strcmp(c->text, text) == 0;
        }
        if (!found) {
            changed++;
            printf("changed or no longer drawn: %s %s => %s\n", key, text, value);
            continue;
        }
        if (strcmp(verdict, "ok") == 0)
            ok++;
        else if (strcmp(verdict, "wrong") == 0)
            wrong++;
        else
            unchecked++;
    }
    printf("%s: %zu rows, %zu right, %zu wrong, %zu unchecked, %zu changed since checked\n",
           path, rows, ok, wrong, unchecked, changed);
    buf_free(&f);
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = 100;
    const char *score_path = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--score") == 0 && i + 1 < argc)
            score_path = argv[++i];
        else
            break;
    }
    if (i >= argc || n == 0) {
        fprintf(stderr, "usage: sample-dates [-n N] [--score CHECKED.tsv] DAY.json...\n");
        return 2;
    }
    SnnArticle *arts = NULL;
    size_t na = 0;
    for (; i < argc; i++)
        if (snn_load(argv[i], &arts, &na) < 0)
            return 1;
    rasd_text *tc = NULL;
    rasd_error err;
    if (rasd_text_new(&tc, &err) != RASD_OK) {
        fprintf(stderr, "sample-dates: %s\n", err.msg);
        return 1;
    }
    Cands cs = {0};
    for (size_t a = 0; a < na; a++)
        add_article(tc, &arts[a], &cs);
    size_t *pick = malloc((n ? n : 1) * sizeof *pick);
    if (!pick)
        return 1;
    size_t k = draw(&cs, n, pick);
    int rc = 0;
    if (score_path) {
        rc = score(score_path, &cs, pick, k);
    } else {
        printf("# key\tday\tsource\tvalue\tflags\ttext\tcontext\tverdict\tnote\n");
        for (size_t j = 0; j < k; j++)
            printf("%s\t\t\n", cs.v[pick[j]].line);
        fprintf(stderr, "sample-dates: %zu articles, %zu expressions, %zu drawn\n", na, cs.n, k);
    }
    for (size_t j = 0; j < cs.n; j++) {
        free(cs.v[j].line);
        free(cs.v[j].text);
    }
    free(cs.v);
    free(pick);
    rasd_text_free(tc);
    snn_free(arts, na);
    return rc;
}
