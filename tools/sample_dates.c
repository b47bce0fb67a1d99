/*
 * sample_dates.c — draws a fixed sample of the date expressions the
 * recogniser (src/annotate/dates.c) finds in SaudiNewsNet day files, for
 * checking by hand, and scores a checked sample:
 *
 *   build/sample-dates [-n 100] DAY.json...            > sample.tsv
 *   build/sample-dates --score CHECKED.tsv DAY.json...
 *   build/sample-dates -n 100 --blind LABELLED.tsv DAY.json...  (a sample drawn
 *       without the recogniser, tools/sample_dates_blind.py; see score_blind)
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


/* A labelled value in rasd's form: "HYYYY[-MM[-DD]]" (a Hijri year, month or
   day, Umm al-Qura) becomes the Gregorian day or range of days; either side
   of an "A/B" range may be one. Other values are copied. */
static void hijri_side(const char *h, char *out, size_t cap, int last)
{
    int hy = 0, hm = 0, hd = 0, y, m, d;
    int k = sscanf(h + 1, "%d-%d-%d", &hy, &hm, &hd);
    if (k < 2)
        hm = last ? 12 : 1;
    if (k < 3) {
        hd = 1;
        if (last) { /* the day before the next month's first */
            int ny = hy + (hm == 12), nm = hm == 12 ? 1 : hm + 1;
            dates_hijri_to_greg(ny, nm, 1, &y, &m, &d);
            long z = dates_days_from_civil(y, m, d) - 1;
            dates_civil_from_days(z, &y, &m, &d);
            snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
            return;
        }
    }
    dates_hijri_to_greg(hy, hm, hd, &y, &m, &d);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

static void expect_value(const char *lab, char *out, size_t cap)
{
    const char *slash = strchr(lab, '/');
    char a[128], b[128], x[64], y[64];
    if (lab[0] != 'H') {
        snprintf(out, cap, "%s", lab);
        return;
    }
    if (slash) {
        snprintf(a, sizeof a, "%.*s", (int)(slash - lab), lab);
        snprintf(b, sizeof b, "%s", slash + 1);
    } else {
        snprintf(a, sizeof a, "%s", lab);
        snprintf(b, sizeof b, "%s", lab);
    }
    hijri_side(a, x, sizeof x, 0);
    if (b[0] == 'H')
        hijri_side(b, y, sizeof y, 1);
    else
        snprintf(y, sizeof y, "%.40s", b);
    if (strcmp(x, y) == 0)
        snprintf(out, cap, "%.40s", x);
    else
        snprintf(out, cap, "%.40s/%.40s", x, y);
}

/*
 * --blind: scores a sample drawn without the recogniser
 * (tools/sample_dates_blind.py) and labelled by hand: a row labelled with a
 * value is right when a span of the default output overlapping its cue has
 * that value; a row labelled "none" is right when no span overlaps the cue.
 * The first n rows labelled with a value are the figure.
 */
static int score_blind(const char *path, rasd_text *tc, SnnArticle *arts, size_t na, size_t n)
{
    Buf f = {0};
    rasd_error err;
    if (buf_read_file(&f, path, &err) != RASD_OK) {
        fprintf(stderr, "sample-dates: %s\n", err.msg);
        return 1;
    }
    size_t dated = 0, dated_ok = 0, none = 0, none_ok = 0, lineno = 0;
    for (char *line = f.data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        if (line[0] == '#' || !line[0])
            continue;
        char url[2048], offs[32], cue[256], lab[96], want[96];
        field(line, 3, url, sizeof url);
        field(line, 4, offs, sizeof offs);
        field(line, 5, cue, sizeof cue);
        field(line, 8, lab, sizeof lab);
        if (!lab[0]) {
            fprintf(stderr, "%s:%zu: no value labelled (field 9)\n", path, lineno);
            buf_free(&f);
            return 1;
        }
        int is_none = strcmp(lab, "none") == 0;
        if (!is_none && dated >= n)
            continue;
        expect_value(lab, want, sizeof want);
        const SnnArticle *a = NULL;
        for (size_t i = 0; i < na && !a; i++)
            if (strcmp(arts[i].url, url) == 0)
                a = &arts[i];
        if (!a) {
            fprintf(stderr, "%s:%zu: article not in the day files: %s\n", path, lineno, url);
            buf_free(&f);
            return 1;
        }
        uint32_t c0 = (uint32_t)strtoul(offs, NULL, 10), c1 = c0 + (uint32_t)strlen(cue);
        rasd_doc *d = NULL;
        DateSpan *ds = NULL;
        size_t nd = 0, tl = 0;
        char day[11] = "";
        if (strlen(a->date) >= 10)
            memcpy(day, a->date, 10);
        if (rasd_text_analyse(tc, a->content, strlen(a->content), &d, &err) != RASD_OK ||
            dates_find(d, day, 0, &ds, &nd, &err) != RASD_OK) {
            fprintf(stderr, "sample-dates: %s: %s\n", url, err.msg);
            rasd_doc_free(d);
            buf_free(&f);
            return 1;
        }
        const char *text = rasd_doc_text(d, &tl);
        if (c1 > tl || memcmp(text + c0, cue, c1 - c0) != 0)
            fprintf(stderr, "%s:%zu: the cue is not at offset %u\n", path, lineno, c0);
        int right = is_none, got = 0;
        Buf seen = {0};
        for (size_t i = 0; i < nd; i++) {
            if (ds[i].end <= c0 || ds[i].start >= c1)
                continue;
            got = 1;
            if (seen.len)
                buf_puts(&seen, " | ");
            buf_append(&seen, text + ds[i].start, ds[i].end - ds[i].start);
            buf_printf(&seen, " => %s", ds[i].value);
            right = is_none ? 0 : (right || strcmp(ds[i].value, want) == 0);
        }
        if (is_none) {
            none++;
            none_ok += right;
        } else {
            dated++;
            dated_ok += right;
        }
        printf("%s\t%s\t%s\t%s\n", right ? "ok" : "WRONG", want, got ? seen.data : "(no span)",
               cue);
        buf_free(&seen);
        free(ds);
        rasd_doc_free(d);
    }
    printf("%s: %zu dated expressions, %zu right; %zu cues that name no date, %zu left undated\n",
           path, dated, dated_ok, none, none_ok);
    buf_free(&f);
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = 100;
    const char *score_path = NULL, *blind_path = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--score") == 0 && i + 1 < argc)
            score_path = argv[++i];
        else if (strcmp(argv[i], "--blind") == 0 && i + 1 < argc)
            blind_path = argv[++i];
        else
            break;
    }
    if (i >= argc || n == 0) {
        fprintf(stderr, "usage: sample-dates [-n N] [--score CHECKED.tsv | --blind LABELLED.tsv] DAY.json...\n");
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
    if (blind_path) {
        int brc = score_blind(blind_path, tc, arts, na, n);
        rasd_text_free(tc);
        snn_free(arts, na);
        return brc;
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
