/*
 * eval_dates.c — scores the date recogniser (src/annotate/dates.c) on a
 * CoNLL-style file with DATE spans, such as the Wojood sample in
 * ../shared/data/dates/:
 *
 *   build/eval-dates [--outer] [--errors] FILE
 *
 * FILE has one token per line, "word TAG [TAG ...]" (the first tag column
 * is the outermost entity, the others are nested in it), and a blank line
 * between sentences. Each sentence is rebuilt as its words joined by single
 * spaces and analysed with no publication date (a relative date is still a
 * span; its value is "?"). A predicted span covers the tokens it touches.
 *
 * Gold spans are the DATE runs of every tag column (a date nested inside an
 * event, "انتفاضة 1987", is still a date) or, with --outer, of the first
 * column only. Two configurations are scored: the default output (calendar
 * dates) and DATES_TIMEX (also durations, repeated periods and vague
 * references, which Wojood also tags DATE). Exact: same first and last
 * token. Overlap: a predicted span counts if it shares a token with a gold
 * span, a gold span is found if a prediction shares a token with it.
 * --errors lists the misses and false alarms of the TIMEX configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "annotate/dates.h"
#include "util/util.h"

typedef struct Span {
    int sent;  /* sentence number */
    int a, b;  /* first and last token, inclusive */
    int hit;   /* matched (exact) */
    int touch; /* overlaps one from the other side */
} Span;

typedef struct Spans {
    Span *v;
    size_t n, cap;
} Spans;

static void push(Spans *s, int sent, int a, int b)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v) {
            fprintf(stderr, "eval-dates: out of memory\n");
            exit(1);
        }
    }
    s->v[s->n++] = (Span){sent, a, b, 0, 0};
}

#define MAX_TOK 4096
#define MAX_COL 8

typedef struct Sent {
    char *words[MAX_TOK];           /* token text (points into the line copy) */
    char tags[MAX_TOK][MAX_COL][2]; /* 'B'/'I'/'O' of DATE per column */
    int ntok;                       /* tokens in the sentence */
} Sent;

typedef struct Score {
    Spans pred;  /* predicted spans */
    int sents;   /* sentences seen */
} Score;

static void gold_spans(const Sent *s, int sent, int outer, Spans *gold)
{
    for (int c = 0; c < (outer ? 1 : MAX_COL); c++) {
        int open = -1;
        for (int i = 0; i <= s->ntok; i++) {
            char t = i < s->ntok ? s->tags[i][c][0] : 'O';
            if (open >= 0 && t != 'I') {
                push(gold, sent, open, i - 1);
                open = -1;
            }
            if (t == 'B' || (t == 'I' && open < 0))
                open = i;
        }
    }
}

static void predict(rasd_text *ctx, const Sent *s, int sent, unsigned flags, Spans *pred,
                    Buf *text, uint32_t *starts, uint32_t *ends)
{
    buf_reset(text);
    for (int i = 0; i < s->ntok; i++) {
        if (i)
            buf_putc(text, ' ');
        starts[i] = (uint32_t)text->len;
        buf_puts(text, s->words[i]);
        ends[i] = (uint32_t)text->len;
    }
    rasd_doc *d = NULL;
    DateSpan *ds = NULL;
    size_t n = 0;
    if (rasd_text_analyse(ctx, text->data ? text->data : "", text->len, &d, NULL) != RASD_OK)
        return;
    if (dates_find(d, NULL, flags, &ds, &n, NULL) == RASD_OK) {
        /* the analysed text equals the input here: the words are valid UTF-8 */
        for (size_t k = 0; k < n; k++) {
            int a = -1, b = -1;
            for (int i = 0; i < s->ntok; i++) {
                if (a < 0 && ends[i] > ds[k].start)
                    a = i;
                if (starts[i] < ds[k].end)
                    b = i;
            }
            if (a >= 0 && b >= a)
                push(pred, sent, a, b);
        }
    }
    free(ds);
    rasd_doc_free(d);
}

static void score(const char *label, Spans *gold, Spans *pred)
{
    int exact = 0, pt = 0, gt = 0;
    for (size_t g = 0; g < gold->n; g++)
        gold->v[g].hit = gold->v[g].touch = 0;
    for (size_t p = 0; p < pred->n; p++) {
        Span *ps = &pred->v[p];
        ps->hit = ps->touch = 0;
        for (size_t g = 0; g < gold->n; g++) {
            Span *gs = &gold->v[g];
            if (gs->sent != ps->sent || gs->b < ps->a || ps->b < gs->a)
                continue;
            ps->touch = gs->touch = 1;
            if (gs->a == ps->a && gs->b == ps->b && !gs->hit)
                gs->hit = ps->hit = 1;
        }
    }
    for (size_t p = 0; p < pred->n; p++)
        exact += pred->v[p].hit, pt += pred->v[p].touch;
    for (size_t g = 0; g < gold->n; g++)
        gt += gold->v[g].touch;
    double P = pred->n ? (double)exact / pred->n : 0, R = gold->n ? (double)exact / gold->n : 0;
    double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
    double oP = pred->n ? (double)pt / pred->n : 0, oR = gold->n ? (double)gt / gold->n : 0;
    double oF = oP + oR > 0 ? 2 * oP * oR / (oP + oR) : 0;
    printf("%-18s %5zu  %5.3f %5.3f %5.3f   %5.3f %5.3f %5.3f\n", label, pred->n, P, R, F, oP,
           oR, oF);
}

static void show(const char *what, const Span *sp, char ***sents, int *ntoks)
{
    printf("%s:", what);
    char **w = sents[sp->sent];
    int lo = sp->a > 4 ? sp->a - 4 : 0, hi = sp->b + 4 < ntoks[sp->sent] ? sp->b + 4 : ntoks[sp->sent] - 1;
    for (int i = lo; i <= hi; i++)
        printf("%s%s%s", i == sp->a ? " [[" : " ", w[i], i == sp->b ? " ]]" : "");
    printf("\n");
}

int main(int argc, char **argv)
{
    int outer = 0, errors = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--outer") == 0)
            outer = 1;
        else if (strcmp(argv[i], "--errors") == 0)
            errors = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "usage: eval-dates [--outer] [--errors] FILE\n");
            return 2;
        } else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: eval-dates [--outer] [--errors] FILE\n");
        return 2;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    rasd_text *ctx = NULL;
    if (rasd_text_new(&ctx, NULL) != RASD_OK)
        return 1;
    static Sent s;
    static uint32_t starts[MAX_TOK], ends[MAX_TOK];
    Spans gold = {0}, pred_d = {0}, pred_t = {0};
    Buf text = {0};
    /* every sentence's words are kept for --errors */
    char ***all = NULL;
    int *ntoks = NULL, nsent = 0, capsent = 0;
    char line[8192];
    int eof = 0;
    s.ntok = 0;
    while (!eof) {
        char *l = fgets(line, sizeof line, f);
        if (!l)
            eof = 1;
        size_t len = l ? strlen(l) : 0;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (l && len) {
            if (s.ntok >= MAX_TOK)
                continue;
            char *save = NULL, *w = strtok_r(line, " \t", &save);
            if (!w)
                continue;
            s.words[s.ntok] = strdup(w);
            for (int c = 0; c < MAX_COL; c++)
                s.tags[s.ntok][c][0] = 'O';
            int c = 0;
            for (char *t = strtok_r(NULL, " \t", &save); t && c < MAX_COL;
                 t = strtok_r(NULL, " \t", &save), c++)
                if (strcmp(t + (t[0] && t[1] == '-' ? 2 : 0), "DATE") == 0 &&
                    (t[0] == 'B' || t[0] == 'I'))
                    s.tags[s.ntok][c][0] = t[0];
            s.ntok++;
            continue;
        }
        if (!s.ntok)
            continue;
        gold_spans(&s, nsent, outer, &gold);
        predict(ctx, &s, nsent, 0, &pred_d, &text, starts, ends);
        predict(ctx, &s, nsent, DATES_TIMEX, &pred_t, &text, starts, ends);
        if (nsent == capsent) {
            capsent = capsent ? capsent * 2 : 256;
            all = realloc(all, (size_t)capsent * sizeof *all);
            ntoks = realloc(ntoks, (size_t)capsent * sizeof *ntoks);
            if (!all || !ntoks)
                return 1;
        }
        all[nsent] = malloc((size_t)s.ntok * sizeof(char *));
        if (!all[nsent])
            return 1;
        memcpy(all[nsent], s.words, (size_t)s.ntok * sizeof(char *));
        ntoks[nsent] = s.ntok;
        nsent++;
        s.ntok = 0;
    }
    fclose(f);
    printf("%s: %d sentences, %zu gold DATE spans (%s)\n", path, nsent, gold.n,
           outer ? "outermost only" : "all nesting levels");
    printf("%-18s %5s  %-17s   %s\n", "", "pred", "exact P R F1", "overlap P R F1");
    score("dates (default)", &gold, &pred_d);
    score("dates + timex", &gold, &pred_t);
    if (errors) {
        score("dates + timex", &gold, &pred_t); /* recomputes the hit flags for the lists */
        for (size_t g = 0; g < gold.n; g++)
            if (!gold.v[g].hit)
                show(gold.v[g].touch ? "BOUNDARY gold" : "MISS", &gold.v[g], all, ntoks);
        for (size_t p = 0; p < pred_t.n; p++)
            if (!pred_t.v[p].hit)
                show(pred_t.v[p].touch ? "BOUNDARY pred" : "FALSE", &pred_t.v[p], all, ntoks);
    }
    for (int i = 0; i < nsent; i++) {
        for (int k = 0; k < ntoks[i]; k++)
            free(all[i][k]);
        free(all[i]);
    }
    free(all);
    free(ntoks);
    free(gold.v);
    free(pred_d.v);
    free(pred_t.v);
    buf_free(&text);
    rasd_text_free(ctx);
    return 0;
}
