/*
 * golden.c — data-driven tests (jq style): each file in tests/golden is a
 * list of cases, "input line, expected line(s), blank line". Lines starting
 * with # between cases are comments. Both sides take escapes: \n \t \\
 * \xNN (a raw byte, so invalid UTF-8 can be written) and \uXXXX (a code
 * point, for invisible characters).
 *
 * The file name says what is tested:
 *   normalise*.txt  rasd_normalise(KEY)      display*.txt  rasd_normalise(DISPLAY)
 *   tokens*.txt     key/TYPE of each token   segments*.txt pre+word+suf=stem
 *   sentences*.txt  one sentence per expected line
 *   conflation*.txt "= a b c" forms that must share a stem, "! a b" forms that
 *                   must not; one test that passes at "# threshold: R".
 *   dates*.txt      "REFDATE<TAB>text" (REFDATE YYYY-MM-DD or - for unknown), then
 *                   one "text => value" line per date found, or "(none)"
 *   keys*.txt       "name | name | ...", then "same" (one names_key) or
 *                   "different" (all keys distinct); else "keys: k1 | k2 ..."
 *                   "name ~ name ~ ...": the matcher, "same" (every pair
 *                   matches), "different" (none does), else "mixed: 1~2 ..."
 *   quotes*.txt     an article (\n between paragraphs), then one line per
 *                   quotation as quotes_format_lines writes it, or "(none)"
 *   roles*.txt      a text, then one line per role: "ROLE => OFFICE :: PERSON" when
 *                   attached, "ROLE => OFFICE ~> PERSON" (or "~> -") for role-only
 *                   mentions; "+ OFFICE" for each further office of a chain, " (former)";
 *                   or "(none)". In expected lines {NAME} stands for names_key(NAME).
 *   offices*.txt    "phrase | phrase": the first office key of each, then "same"
 *                   (roles_same_office), "compatible" or "different"
 *   quantities*.txt, align*.txt, contradict*.txt: see golden_compare.c
 * A failing case prints the input, the expected and the actual output.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "text/text.h"
#include "annotate/analyze.h"
#include "annotate/dates.h"
#include "annotate/names.h"
#include "annotate/quotes.h"
#include "annotate/roles.h"

static rasd_text *ctx;
int golden_compare_case(rasd_text *tctx, const char *mode, const Buf *in, Buf *actual);

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void unescape(const char *s, size_t n, Buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            buf_putc(out, s[i]);
            continue;
        }
        char c = s[++i];
        if (c == 'n') buf_putc(out, '\n');
        else if (c == 't') buf_putc(out, '\t');
        else if (c == 'r') buf_putc(out, '\r');
        else if (c == '0') buf_putc(out, '\0');
        else if (c == '\\') buf_putc(out, '\\');
        else if (c == 'x' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            buf_putc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else if (c == 'u' && i + 4 < n) {
            uint32_t cp = 0;
            for (int k = 1; k <= 4; k++)
                cp = cp * 16 + (uint32_t)(hexval(s[i + k]) < 0 ? 0 : hexval(s[i + k]));
            char tmp[4];
            buf_append(out, tmp, (size_t)utf8_put(cp, tmp));
            i += 4;
        } else {
            buf_putc(out, '\\');
            buf_putc(out, c);
        }
    }
}

/* The roles of text s (n bytes) as golden lines (see the top of the file). */
static void roles_lines(const char *s, size_t n, Buf *out, Buf *first_key)
{
    rasd_doc *d = NULL;
    EntityList el = {0};
    if (rasd_text_analyse(ctx, s, n, &d, NULL) != RASD_OK || analyze_entities(d, &el, NULL) != RASD_OK) {
        buf_puts(out, "(error)");
        rasd_doc_free(d);
        return;
    }
    size_t tl;
    const char *text = rasd_doc_text(d, &tl);
    for (size_t i = 0; i < el.roles.n; i++) {
        const Role *r = &el.roles.items[i];
        if (out->len)
            buf_putc(out, '\n');
        buf_append(out, text + r->start, r->end - r->start);
        for (size_t k = 0; k < r->noffices; k++) {
            size_t kl;
            const char *key = roles_key(&el.roles, r, k, &kl);
            buf_puts(out, k ? " + " : " => ");
            buf_append(out, key, kl);
            if (first_key && !first_key->len && k == 0)
                buf_append(first_key, key, kl);
        }
        if (r->flags & ROLE_FORMER)
            buf_puts(out, " (former)");
        buf_puts(out, r->kind == ROLE_ONLY ? " ~> " : " :: ");
        if (r->entity >= 0)
            buf_append(out, text + el.items[r->entity].start,
                       el.items[r->entity].end - el.items[r->entity].start);
        else
            buf_putc(out, '-');
    }
    if (!out->len)
        buf_puts(out, "(none)");
    entities_free(&el);
    rasd_doc_free(d);
}

static void run_roles(const char *mode, const Buf *in, Buf *actual)
{
    const char *s = in->data ? in->data : "";
    if (mode[0] == 'r') {
        roles_lines(s, in->len, actual, NULL);
        return;
    }
    const char *bar = strstr(s, " | ");
    if (!bar) {
        buf_puts(actual, "(input needs two phrases: A | B)");
        return;
    }
    Buf ka = {0}, kb = {0}, junk = {0};
    roles_lines(s, (size_t)(bar - s), &junk, &ka);
    buf_reset(&junk);
    roles_lines(bar + 3, in->len - (size_t)(bar + 3 - s), &junk, &kb);
    if (!ka.len || !kb.len)
        buf_printf(actual, "no role in %s", !ka.len ? "the first phrase" : "the second phrase");
    else if (roles_same_office(ka.data, ka.len, kb.data, kb.len))
        buf_puts(actual, "same");
    else if (roles_compatible(ka.data, ka.len, kb.data, kb.len))
        buf_puts(actual, "compatible");
    else
        buf_puts(actual, "different");
    buf_free(&ka);
    buf_free(&kb);
    buf_free(&junk);
}

/* {NAME} in an expected line is names_key(NAME): role keys carry keys of places. */
static void expand_keys(Buf *want)
{
    if (!want->data || !strchr(want->data, '{'))
        return;
    Buf o = {0};
    const char *p = want->data, *e = want->data + want->len;
    while (p < e) {
        const char *open = memchr(p, '{', (size_t)(e - p));
        const char *close = open ? memchr(open, '}', (size_t)(e - open)) : NULL;
        if (!close) {
            buf_append(&o, p, (size_t)(e - p));
            break;
        }
        buf_append(&o, p, (size_t)(open - p));
        names_key(open + 1, (size_t)(close - open - 1), &o);
        p = close + 1;
    }
    buf_reset(want);
    buf_append(want, o.data ? o.data : "", o.len);
    buf_free(&o);
}

static void run_case(const char *mode, const Buf *in, Buf *actual)
{
    buf_reset(actual);
    if (golden_compare_case(ctx, mode, in, actual)) /* quantities, align, contradict */
        return;
    if (strcmp(mode, "normalise") == 0 || strcmp(mode, "display") == 0) {
        char *o = NULL;
        size_t ol = 0;
        if (rasd_normalise(in->data ? in->data : "", in->len,
                           mode[0] == 'n' ? RASD_NORM_KEY : RASD_NORM_DISPLAY, &o, &ol, NULL,
                           NULL) == RASD_OK)
            buf_append(actual, o, ol);
        free(o);
        return;
    }
    if (strcmp(mode, "keys") == 0 && in->data && strstr(in->data, " ~ ")) {
        /* names split at " ~ ": the matcher (names_match) on every pair */
        const char *nm[16], *s = in->data, *e = s + in->len;
        size_t nl[16];
        int n = 0, all = 1, none = 1;
        while (n < 16) {
            const char *bar = strstr(s, " ~ ");
            nm[n] = s;
            nl[n++] = (size_t)((bar ? bar : e) - s);
            if (!bar)
                break;
            s = bar + 3;
        }
        Buf pairs = {0};
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                int m = names_match(nm[i], nl[i], nm[j], nl[j]);
                all &= m == 1;
                none &= m == 0;
                buf_printf(&pairs, " %d~%d %s", i + 1, j + 1, m == 1 ? "same" : "different");
            }
        buf_puts(actual, all ? "same" : none ? "different" : "mixed:");
        if (!all && !none)
            buf_append(actual, pairs.data, pairs.len);
        buf_free(&pairs);
        return;
    }
    if (strcmp(mode, "keys") == 0) { /* names split at " | " */
        Buf k[16] = {{0}};
        int nk = 0, same = 1, distinct = 1;
        const char *s = in->data ? in->data : "", *e = s + in->len;
        while (nk < 16) {
            const char *bar = strstr(s, " | ");
            names_key(s, (size_t)((bar ? bar : e) - s), &k[nk++]);
            if (!bar)
                break;
            s = bar + 3;
        }
        for (int i = 0; i < nk; i++)
            for (int j = i + 1; j < nk; j++) {
                int eq = k[i].len == k[j].len && memcmp(k[i].data, k[j].data, k[i].len) == 0;
                same &= eq;
                distinct &= !eq;
            }
        buf_puts(actual, same ? "same" : distinct ? "different" : "keys:");
        for (int i = 0; i < nk; i++) {
            if (!same && !distinct)
                buf_printf(actual, "%s%s", i ? " | " : " ", k[i].data ? k[i].data : "");
            buf_free(&k[i]);
        }
        return;
    }
    rasd_doc *d = NULL;
    if (strcmp(mode, "roles") == 0 || strcmp(mode, "offices") == 0) {
        run_roles(mode, in, actual);
        return;
    }
    if (strcmp(mode, "dates") == 0) {
        const char *s = in->data ? in->data : "", *tab = memchr(s, '\t', in->len);
        char ref[16] = "";
        DateSpan *ds = NULL;
        size_t nd = 0;
        if (tab && (size_t)(tab - s) < sizeof ref)
            memcpy(ref, s, (size_t)(tab - s));
        const char *txt = tab ? tab + 1 : s;
        if (rasd_text_analyse(ctx, txt, in->len - (size_t)(txt - s), &d, NULL) != RASD_OK ||
            dates_find(d, ref, 0, &ds, &nd, NULL) != RASD_OK)
            buf_puts(actual, "(error)");
        else if (nd == 0)
            buf_puts(actual, "(none)");
        else
            dates_format_lines(d, ds, nd, actual);
        free(ds);
        rasd_doc_free(d);
        return;
    }
    if (rasd_text_analyse(ctx, in->data, in->len, &d, NULL) != RASD_OK) {
        buf_puts(actual, "(error)");
        return;
    }
    if (strcmp(mode, "quotes") == 0) {
        EntityList ents = {0};
        QuoteList ql = {0};
        if (analyze_entities(d, &ents, NULL) != RASD_OK || quotes_find(d, &ents, &ql, NULL) != RASD_OK)
            buf_puts(actual, "(error)");
        else
            quotes_format_lines(d, &ql, actual);
        quotes_free(&ql);
        entities_free(&ents);
        rasd_doc_free(d);
        return;
    }
    if (strcmp(mode, "tokens") == 0)
        text_format_tokens(d, actual);
    else if (strcmp(mode, "segments") == 0)
        text_format_segments(d, actual);
    else
        text_format_sentences(d, actual);
    rasd_doc_free(d);
}

/* Stem key of a single word, into out. */
static void stem_of(const char *w, size_t n, Buf *out)
{
    buf_reset(out);
    rasd_doc *d = NULL;
    if (rasd_text_analyse(ctx, w, n, &d, NULL) != RASD_OK)
        return;
    for (size_t i = 0; i < d->ntokens; i++) { /* a multi-token form: join stems */
        if (i)
            buf_putc(out, ' ');
        buf_append(out, d->tokens[i].stem, d->tokens[i].stem_len);
    }
    rasd_doc_free(d);
}

static void run_conflation(const char *path, char *text, const char *filter)
{
    double threshold = 1.0;
    int groups = 0, groups_ok = 0, misses = 0, misses_ok = 0;
    Buf a = {0}, b = {0};
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "# threshold:", 12) == 0)
            threshold = atof(line + 12);
        if (line[0] != '=' && line[0] != '!')
            continue;
        char *words[64];
        int nw = 0;
        char *s2 = NULL;
        for (char *w = strtok_r(line + 1, " \t", &s2); w && nw < 64; w = strtok_r(NULL, " \t", &s2))
            words[nw++] = w;
        if (nw < 2)
            continue;
        int ok = 1;
        if (line[0] == '=') {
            groups++;
            stem_of(words[0], strlen(words[0]), &a);
            for (int i = 1; i < nw; i++) {
                stem_of(words[i], strlen(words[i]), &b);
                if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
                    printf("  conflation: %s=%s but %s=%s\n", words[0], a.data, words[i], b.data);
                    ok = 0;
                }
            }
            groups_ok += ok;
        } else {
            misses++;
            for (int i = 0; i < nw && ok; i++)
                for (int j = i + 1; j < nw; j++) {
                    stem_of(words[i], strlen(words[i]), &a);
                    stem_of(words[j], strlen(words[j]), &b);
                    if (a.len == b.len && memcmp(a.data, b.data, a.len) == 0) {
                        printf("  near-miss conflated: %s and %s both %s\n", words[i], words[j],
                               a.data);
                        ok = 0;
                        break;
                    }
                }
            misses_ok += ok;
        }
    }
    double rate = (groups + misses) ? (double)(groups_ok + misses_ok) / (groups + misses) : 1;
    printf("conflation %s: %d/%d groups share a stem, %d/%d near-misses kept apart, rate %.3f "
           "(threshold %.3f)\n",
           path, groups_ok, groups, misses_ok, misses, rate, threshold);
    int pass = rate + 1e-9 >= threshold;
    if (!pass)
        printf("FAIL %s: rate below threshold\n", path);
    if (!filter || strstr(path, filter))
        harness_result(path, pass);
    buf_free(&a);
    buf_free(&b);
}

static void run_file(const char *path, const char *mode, char *text, const char *filter)
{
    Buf in = {0}, want = {0}, got = {0};
    char *p = text;
    int lineno = 0;
    while (*p) {
        /* skip blank lines and comments between cases */
        char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        lineno++;
        if (len == 0 || p[0] == '#') {
            p = eol ? eol + 1 : p + len;
            continue;
        }
        int case_line = lineno;
        buf_reset(&in);
        unescape(p, len, &in);
        p = eol ? eol + 1 : p + len;
        buf_reset(&want);
        int first = 1;
        while (*p) {
            eol = strchr(p, '\n');
            len = eol ? (size_t)(eol - p) : strlen(p);
            lineno++;
            if (len == 0)
                break;
            if (!first)
                buf_putc(&want, '\n');
            unescape(p, len, &want);
            first = 0;
            p = eol ? eol + 1 : p + len;
        }
        if (*p)
            p++;
        char name[1100];
        snprintf(name, sizeof name, "%s:%d", path, case_line);
        if (filter && !strstr(name, filter) && !strstr(mode, filter))
            continue;
        if (strcmp(mode, "roles") == 0)
            expand_keys(&want);
        run_case(mode, &in, &got);
        int ok = want.len == got.len && (want.len == 0 || memcmp(want.data, got.data, want.len) == 0);
        if (!ok)
            printf("FAIL %s\n  input:    %s\n  expected: %s\n  actual:   %s\n", name,
                   in.data ? in.data : "", want.data ? want.data : "", got.data ? got.data : "");
        harness_result(name, ok);
    }
    buf_free(&in);
    buf_free(&want);
    buf_free(&got);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int golden_run_all(const char *dir, const char *filter)
{
    if (rasd_text_new(&ctx, NULL) != RASD_OK) {
        harness_result("golden: text context", 0);
        return -1;
    }
    DIR *dh = opendir(dir);
    if (!dh) {
        printf("FAIL golden: cannot open %s\n", dir);
        harness_result("golden dir", 0);
        rasd_text_free(ctx);
        return -1;
    }
    char *names[512];
    int nn = 0;
    struct dirent *e;
    while ((e = readdir(dh)) && nn < 512)
        if (strstr(e->d_name, ".txt"))
            names[nn++] = strdup(e->d_name);
    closedir(dh);
    qsort(names, (size_t)nn, sizeof names[0], cmp);
    static const char *const modes[] = {"normalise", "display", "tokens", "segments",
                                        "sentences", "conflation", "dates", "keys",
                                        "quotes", "roles", "offices", "quantities", "align",
                                        "contradict", NULL};
    for (int i = 0; i < nn; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        const char *mode = NULL;
        for (int m = 0; modes[m]; m++)
            if (strncmp(names[i], modes[m], strlen(modes[m])) == 0)
                mode = modes[m];
        Buf text = {0};
        FILE *f = fopen(path, "rb");
        if (f) {
            char chunk[8192];
            size_t k;
            while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
                buf_append(&text, chunk, k);
            fclose(f);
        }
        if (!mode || !text.data) {
            printf("FAIL golden: %s: unknown mode or unreadable\n", path);
            harness_result(path, 0);
        } else if (strcmp(mode, "conflation") == 0) {
            run_conflation(path, text.data, filter);
        } else {
            run_file(path, mode, text.data, filter);
        }
        buf_free(&text);
        free(names[i]);
    }
    rasd_text_free(ctx);
    return 0;
}
