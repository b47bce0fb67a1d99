/*
 * eval_quotes.c — precision and recall of the quotation finder
 * (src/annotate/quotes.c) against a hand-annotated gold file of
 * SaudiNewsNet articles.
 *   eval_quotes [-v] [-g GOLD.tsv] [--half dev|test|all] DAYS_DIR
 * DAYS_DIR holds the SaudiNewsNet day files DAY.json (bench/extract_days.sh
 * makes them); the corpus itself is never part of the repository.
 *
 * Gold format (tab-separated, '#' starts a comment line):
 *   A  DAY  URL                       an article, exhaustively annotated
 *   Q  START  END  DIRECT  SPEAKER  CUE  ANCHOR
 * START/END are UTF-8 byte offsets into the article's "content" string as
 * decoded from the JSON; the finder runs on that same string, so offsets
 * compare directly.
 *
 * Scoring: a system quote matches a gold quote when their spans overlap
 * (one-to-one, greedily by largest overlap). Reported: P/R/F1 of spans,
 * the mean overlap ratio (intersection over union) of matched pairs, and
 * P/R/F1 of "span and speaker", where the speaker is right when (1) the
 * names share a key (names_key), (2) the system's speaker key is the gold
 * name's key, or (3) one name's key words are a run of the other's (see
 * speaker_ok: titles such as الدكتور and a proclitic before ال are left out,
 * and a one-word name must be the other's last word). Also by direct and
 * indirect quotes, and the finder's own speed in CPU time on these
 * articles (the text core and the tagger excluded). -v prints the misses,
 * the false alarms and the wrong speakers.
 *
 * Halves: so that rules can be tuned without tuning them to the test data,
 * the gold articles split deterministically into a dev half and a test half
 * by their URL: FNV-1a (32 bit) of the URL's bytes, bit 1 of the hash clear
 * = dev, set = test. (Bit 1 rather than bit 0 because it splits the 48
 * articles 24/24, where bit 0 gave 20/28; chosen before any result was
 * looked at.) Work looks at dev errors only; --half test gives the figures
 * to report; --half all (the default) scores every article.
 *
 * A second gold file, tests/data/quotes-gold2.tsv (issue #15: 107 quotes
 * from 2015-08-07..08, annotated before the finder ever ran on them), is
 * held out as a whole: `make eval-quotes2` scores it with --half all, and
 * its errors are not to be printed (-v) while rules are being tuned.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <time.h>
#include <unistd.h>

#include "annotate/analyze.h"
#include "annotate/names.h"
#include "annotate/quotes.h"
#include "text/text.h"

typedef struct GQuote {
    uint32_t start, end; /* bytes into content */
    int direct;          /* 1 or 0 */
    char *speaker;       /* as the article best names them; "-" if unknown */
    char *cue;           /* as written, "-" if none */
    char *anchor;        /* first words of the quoted text */
    int line;            /* in the gold file */
} GQuote;

typedef struct GArticle {
    char *day, *url;     /* the day file (without .json) and the article's url */
    GQuote *q;
    size_t nq, cap;
    char *content;       /* from the day file, or NULL if not found */
    int line;
} GArticle;

static GArticle *arts;

/* Which half of the gold articles a URL belongs to: 0 dev, 1 test (see the file top). */
static int url_half(const char *url)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return (int)((h >> 1) & 1);
}
static size_t narts, cap_arts;

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        fprintf(stderr, "eval_quotes: out of memory\n");
        exit(1);
    }
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* Splits line at tabs into at most max fields (in place). */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

static int load_gold(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, bad = 0;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (!len || line[0] == '#')
            continue;
        char *f[8];
        int nf = split_tabs(line, f, 8);
        if (f[0][0] == 'A' && f[0][1] == 0 && nf >= 3) {
            if (narts == cap_arts) {
                cap_arts = cap_arts ? cap_arts * 2 : 64;
                arts = realloc(arts, cap_arts * sizeof *arts);
                if (!arts)
                    return -1;
            }
            GArticle *a = &arts[narts++];
            memset(a, 0, sizeof *a);
            a->day = dup_n(f[1], strlen(f[1]));
            a->url = dup_n(f[2], strlen(f[2]));
            a->line = lineno;
        } else if (f[0][0] == 'Q' && f[0][1] == 0 && nf >= 7 && narts) {
            GArticle *a = &arts[narts - 1];
            if (a->nq == a->cap) {
                a->cap = a->cap ? a->cap * 2 : 8;
                a->q = realloc(a->q, a->cap * sizeof *a->q);
                if (!a->q)
                    return -1;
            }
            GQuote *q = &a->q[a->nq++];
            q->start = (uint32_t)strtoul(f[1], NULL, 10);
            q->end = (uint32_t)strtoul(f[2], NULL, 10);
            q->direct = atoi(f[3]) != 0;
            q->speaker = dup_n(f[4], strlen(f[4]));
            q->cue = dup_n(f[5], strlen(f[5]));
            q->anchor = dup_n(f[6], strlen(f[6]));
            q->line = lineno;
        } else {
            fprintf(stderr, "%s:%d: not an A or Q line, skipped\n", path, lineno);
            bad++;
        }
    }
    free(line);
    fclose(fp);
    return bad > 0 && narts == 0 ? -1 : 0;
}

/* Reads DIR/DAY.json once per day and attaches the content of each gold article. */
static void load_contents(const char *dir)
{
    for (size_t i = 0; i < narts; i++) {
        if (arts[i].content)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.json", dir, arts[i].day);
        json_error_t jerr;
        json_t *root = json_load_file(path, 0, &jerr);
        if (!root || !json_is_array(root)) {
            fprintf(stderr, "%s: %s\n", path, root ? "not a JSON array" : jerr.text);
            json_decref(root);
            continue;
        }
        size_t k;
        json_t *it;
        json_array_foreach(root, k, it) {
            const char *url = json_string_value(json_object_get(it, "url"));
            json_t *c = json_object_get(it, "content");
            if (!url || !json_is_string(c))
                continue;
            for (size_t j = i; j < narts; j++)
                if (!arts[j].content && strcmp(arts[j].day, arts[i].day) == 0 &&
                    strcmp(arts[j].url, url) == 0)
                    arts[j].content = dup_n(json_string_value(c), json_string_length(c));
        }
        json_decref(root);
    }
}

/* names_key of s into a NUL-terminated malloc'd string. */
static char *key_of(const char *s, size_t n)
{
    Buf b = {0};
    names_key(s, n, &b);
    char *r = b.data ? buf_steal(&b) : dup_n("", 0);
    buf_free(&b);
    return r;
}

/*
 * The key words of a speaker name for rule (3), space-separated in one
 * malloc'd string: a conjunction or preposition written before ال on the
 * first word is dropped (والوزارة، للمصادر — never a bare و, which begins
 * names: وليد), then the name is keyed (names_key: ال goes, spellings
 * fold), then titles that say nothing about who (الدكتور، الشيخ، الأمير،
 * السيد، ranks) are dropped.
 */
static char *words_of(const char *s, size_t n)
{
    static const char *const clitic_al[] = {"\xD9\x88\xD8\xA7\xD9\x84", /* وال */
                                            "\xD9\x81\xD8\xA7\xD9\x84", /* فال */
                                            "\xD8\xA8\xD8\xA7\xD9\x84", /* بال */
                                            "\xD9\x83\xD8\xA7\xD9\x84", /* كال */
                                            "\xD9\x84\xD9\x84"};          /* لل */
    static const char *const titles[] = {
        "الدكتور", "الدكتورة", "د.", "الشيخ", "الشيخة", "الأمير", "الأميرة", "المهندس",
        "المهندسة", "م.", "السيد", "السيدة", "الأستاذ", "الأستاذة", "اللواء", "العميد",
        "العقيد", "المقدم", "الرائد", "النقيب", "الملازم", "معالي", "سمو", "سماحة",
        "فضيلة", "الحاج"};
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    for (size_t i = 0; i < sizeof clitic_al / sizeof clitic_al[0]; i++) {
        size_t cl = strlen(clitic_al[i]);
        if (n > cl + 4 && memcmp(s, clitic_al[i], cl) == 0) {
            s += 2; /* the clitic letter; the article stays for names_key to drop */
            n -= 2;
            if (cl == 4) { /* لل: ل + ال with the alef elided: put it back */
                char *t = malloc(n + 3);
                if (!t)
                    return dup_n("", 0);
                memcpy(t, "\xD8\xA7", 2);
                memcpy(t + 2, s, n);
                char *r = words_of(t, n + 2);
                free(t);
                return r;
            }
            break;
        }
    }
    char *k = key_of(s, n);
    static char *tkeys[sizeof titles / sizeof titles[0]];
    if (!tkeys[0])
        for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
            tkeys[i] = key_of(titles[i], strlen(titles[i]));
    Buf out = {0};
    for (char *w = k; *w;) {
        char *e = strchr(w, ' ');
        size_t wl = e ? (size_t)(e - w) : strlen(w);
        int title = 0;
        for (size_t i = 0; i < sizeof titles / sizeof titles[0] && !title; i++)
            title = *tkeys[i] && strlen(tkeys[i]) == wl && memcmp(tkeys[i], w, wl) == 0;
        if (!title && wl) {
            if (out.len)
                buf_putc(&out, ' ');
            buf_append(&out, w, wl);
        }
        w += wl;
        while (*w == ' ')
            w++;
    }
    free(k);
    char *r = out.data ? buf_steal(&out) : dup_n("", 0);
    buf_free(&out);
    return r;
}

/* Splits a key string at spaces (in place); returns the number of words. */
static size_t split_words(char *s, char **w, size_t max)
{
    size_t n = 0;
    char *p = s;
    while (*p && n < max) {
        while (*p == ' ')
            *p++ = 0;
        if (!*p)
            break;
        w[n++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

/*
 * Rule (3): the shorter name's key words are a contiguous run of the
 * longer's — "لويس فان" in "لويس فان غال", "مصادر مطلعة" in "مصادر مطلعة
 * في وزارة الحج". A one-word name must be the longer one's last word (its
 * family or proper name: العراقي ~ نعيم العراقي, فيسبوك ~ شركة فيسبوك),
 * so a bare first name or a common noun (المجلس for مجلس الدفاع عن ...)
 * is not enough.
 */
static int words_contained(const char *a, const char *b)
{
    char *x = dup_n(a, strlen(a)), *y = dup_n(b, strlen(b));
    char *wa[64], *wb[64];
    size_t na = split_words(x, wa, 64), nb = split_words(y, wb, 64);
    char **sw = na <= nb ? wa : wb, **lw = na <= nb ? wb : wa;
    size_t ns = na <= nb ? na : nb, nl = na <= nb ? nb : na;
    int ok = 0;
    if (ns == 1 && nl >= 1)
        ok = strcmp(sw[0], lw[nl - 1]) == 0;
    else if (ns >= 2)
        for (size_t i = 0; i + ns <= nl && !ok; i++) {
            size_t j = 0;
            while (j < ns && strcmp(sw[j], lw[i + j]) == 0)
                j++;
            ok = j == ns;
        }
    free(x);
    free(y);
    return ok;
}

/* 0 wrong, else the rule that matched: 1 same key, 2 system key, 3 words, 4 both unknown. */
static int speaker_ok(const char *text, const QuoteList *l, const Quote *q, const char *gold)
{
    uint32_t a = q->spk_start, b = q->spk_end;
    if (a >= b) {
        a = q->said_start;
        b = q->said_end;
    }
    if (strcmp(gold, "-") == 0 || !*gold)
        return a >= b ? 4 : 0;
    if (a >= b)
        return 0;
    char *gk = key_of(gold, strlen(gold)), *sk = key_of(text + a, b - a);
    int ok = *gk && strcmp(gk, sk) == 0;
    if (!ok && *gk && q->key_len && strlen(gk) == q->key_len &&
        memcmp(l->keys.data + q->key_off, gk, q->key_len) == 0)
        ok = 2;
    if (!ok) {
        char *gw = words_of(gold, strlen(gold)), *sw = words_of(text + a, b - a);
        ok = *gw && *sw && words_contained(gw, sw) ? 3 : 0;
        free(gw);
        free(sw);
    }
    free(gk);
    free(sk);
    return ok;
}

/*
 * Training rows for the speaker chooser: for the found quote sq (matched to
 * a gold quote with speaker gold), one "Q" line, then one line per
 * candidate: "C LABEL RULE feature ...", LABEL 1 when the candidate is the
 * gold speaker by speaker_ok.
 */
static void write_cands(FILE *f, const char *text, const QuoteCands *qc, const Quote *sq,
                        const char *gold)
{
    QuoteList kl = {0};
    kl.keys = qc->keys; /* borrowed: candidates' keys for speaker_ok */
    int any = 0;
    for (size_t k = 0; k < qc->n; k++) {
        const QuoteCand *c = &qc->items[k];
        if (c->q_start != sq->start || c->q_end != sq->end)
            continue;
        Quote q = {0};
        q.spk_start = c->ns;
        q.spk_end = c->ne;
        q.key_off = c->key_off;
        q.key_len = c->key_len;
        int ok = speaker_ok(text, &kl, &q, gold) != 0;
        if (!any)
            fprintf(f, "# gold %s\nQ\n", gold);
        any = 1;
        fprintf(f, "# %.*s\n", (int)(c->ne - c->ns), text + c->ns);
        fprintf(f, "C %d %d", ok, c->rule);
        for (unsigned j = 0; j < c->nf; j++) {
            char name[64];
            if (quotes_feature_name(c->f[j], name, sizeof name))
                fprintf(f, " %s", name);
        }
        fputc('\n', f);
    }
}

typedef struct Count {
    size_t gold, sys;     /* quotes */
    size_t tp_gold;       /* gold quotes matched (recall numerator) */
    size_t tp_sys;        /* system quotes matched (precision numerator) */
    size_t spk_gold, spk_sys; /* ... with the right speaker */
} Count;

static void prf(const char *name, size_t tp_sys, size_t sys, size_t tp_gold, size_t gold)
{
    double p = sys ? (double)tp_sys / sys : 0, r = gold ? (double)tp_gold / gold : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("  %-28s P %.3f (%zu/%zu)  R %.3f (%zu/%zu)  F1 %.3f\n", name, p, tp_sys, sys, r,
           tp_gold, gold, f);
}

/* CPU seconds of this process: the finder's speed does not depend on the
   machine's load the way wall time does (2 cores shared by many jobs) */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show(const char *what, const char *text, uint32_t a, uint32_t b)
{
    printf("      %s: ", what);
    for (uint32_t i = a; i < b && i - a < 240; i++)
        putchar(text[i] == '\n' ? ' ' : text[i]);
    printf("%s\n", b - a > 240 ? "…" : "");
}

int main(int argc, char **argv)
{
    const char *gold = "tests/data/quotes-gold.tsv";
    int verbose = 0, c, half = -1; /* -1 all, 0 dev, 1 test */
    int use_chooser = 0;
    const char *cands_path = NULL;
    static const struct option longopts[] = {{"half", required_argument, NULL, 'h'},
                                              {"rules", no_argument, NULL, 'r'},
                                              {"chooser", no_argument, NULL, 'm'},
                                              {"cands", required_argument, NULL, 'c'},
                                              {NULL, 0, NULL, 0}};
    const char *usage = "usage: eval_quotes [-v] [-g GOLD.tsv] [--half dev|test|all] [--rules]\n"
                        "                   [--chooser] [--cands OUT.txt] DAYS_DIR\n"
                        "  --rules   speakers from the rules alone, as the library finds them\n"
                        "            (the default)\n"
                        "  --chooser the rules, then the trained chooser (models/quote-speakers.txt;\n"
                        "            off in the library: it changed no gold speaker)\n"
                        "  --cands   append every found quote's speaker candidates, their\n"
                        "            features and whether each is the gold speaker to OUT.txt\n"
                        "            (training data for tools/train_quotes.c)\n";
    while ((c = getopt_long(argc, argv, "vg:", longopts, NULL)) != -1) {
        if (c == 'v')
            verbose++;
        else if (c == 'g')
            gold = optarg;
        else if (c == 'h' && strcmp(optarg, "dev") == 0)
            half = 0;
        else if (c == 'h' && strcmp(optarg, "test") == 0)
            half = 1;
        else if (c == 'h' && strcmp(optarg, "all") == 0)
            half = -1;
        else if (c == 'r')
            use_chooser = 0;
        else if (c == 'm')
            use_chooser = 1;
        else if (c == 'c')
            cands_path = optarg;
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return 2;
    }
    if (load_gold(gold) < 0)
        return 1;
    const QuoteChooser *chooser = use_chooser ? quotes_chooser() : NULL;
    FILE *cands_out = NULL;
    if (cands_path && !(cands_out = fopen(cands_path, "a"))) {
        perror(cands_path);
        return 1;
    }
    load_contents(argv[optind]);
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    Count all = {0}, dir[2] = {{0}}; /* dir[1] direct, dir[0] indirect */
    size_t rule_hits[5] = {0};     /* right speakers by the rule of speaker_ok that matched */
    double overlap_sum = 0, find_secs = 0;
    size_t find_tokens = 0;
    size_t missing = 0, anchor_bad = 0, used = 0;
    for (size_t i = 0; i < narts; i++) {
        GArticle *a = &arts[i];
        if (half >= 0 && url_half(a->url) != half)
            continue;
        if (!a->content) {
            fprintf(stderr, "%s:%d: article not found in %s/%s.json: %s\n", gold, a->line,
                    argv[optind], a->day, a->url);
            missing++;
            continue;
        }
        used++;
        size_t clen = strlen(a->content);
        /* the text core drops a leading BOM: system offsets are shifted by it */
        uint32_t shift = clen >= 3 && memcmp(a->content, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        rasd_doc *d = NULL;
        EntityList ents = {0};
        QuoteList ql = {0};
        QuoteCands qc = {0};
        if (rasd_text_analyse(t, a->content, clen, &d, &err) != RASD_OK ||
            analyze_entities(d, &ents, &err) != RASD_OK ||
            quotes_find_with(d, &ents, chooser, cands_out ? &qc : NULL, &ql, &err) != RASD_OK) {
            fprintf(stderr, "%s: %s\n", a->url, err.msg);
            rasd_doc_free(d);
            entities_free(&ents);
            continue;
        }
        const char *text = rasd_doc_text(d, NULL);
        /* speed of the finder alone (text core and tagger already done), 20 runs */
        double t0 = now();
        for (int rep = 0; rep < 20; rep++) {
            QuoteList tmp = {0};
            if (quotes_find_with(d, &ents, chooser, NULL, &tmp, NULL) == RASD_OK)
                quotes_free(&tmp);
        }
        find_secs += (now() - t0) / 20;
        find_tokens += rasd_doc_ntokens(d);
        for (size_t g = 0; g < a->nq; g++) {
            const GQuote *q = &a->q[g];
            size_t al = strlen(q->anchor);
            if (q->start > clen || q->end > clen || q->start >= q->end ||
                (al && strncmp(a->content + q->start, q->anchor, al) != 0)) {
                anchor_bad++;
                if (verbose)
                    printf("  gold %s:%d: offsets do not start at the anchor \"%s\"\n", gold,
                           q->line, q->anchor);
            }
        }
        int *sys_match = calloc(ql.n + 1, sizeof *sys_match); /* gold index + 1 */
        int *sys_spk = calloc(ql.n + 1, sizeof *sys_spk);
        all.gold += a->nq;
        all.sys += ql.n;
        for (size_t s = 0; s < ql.n; s++)
            dir[ql.items[s].direct ? 1 : 0].sys++;
        for (size_t g = 0; g < a->nq; g++) {
            const GQuote *q = &a->q[g];
            dir[q->direct].gold++;
            size_t best = ql.n;
            uint32_t best_ov = 0;
            for (size_t s = 0; s < ql.n; s++) {
                if (sys_match[s])
                    continue;
                uint32_t ss = ql.items[s].start + shift, se = ql.items[s].end + shift;
                uint32_t lo = ss > q->start ? ss : q->start, hi = se < q->end ? se : q->end;
                if (hi > lo && hi - lo > best_ov) {
                    best_ov = hi - lo;
                    best = s;
                }
            }
            if (best == ql.n) {
                if (verbose) {
                    printf("  MISS  %s:%d %s (%s, cue %s)\n", gold, q->line, a->url,
                           q->direct ? "direct" : "indirect", q->cue);
                    show("speaker", q->speaker, 0, (uint32_t)strlen(q->speaker));
                    if (q->start < q->end && q->end <= clen)
                        show("gold", a->content, q->start, q->end);
                }
                continue;
            }
            const Quote *sq = &ql.items[best];
            sys_match[best] = (int)g + 1;
            uint32_t ss = sq->start + shift, se = sq->end + shift;
            uint32_t lo = ss < q->start ? ss : q->start, hi = se > q->end ? se : q->end;
            overlap_sum += (double)best_ov / (hi - lo);
            all.tp_gold++;
            all.tp_sys++;
            dir[q->direct].tp_gold++;
            dir[sq->direct].tp_sys++;
            int ok = speaker_ok(text, &ql, sq, q->speaker);
            if (ok)
                rule_hits[ok]++;
            if (cands_out)
                write_cands(cands_out, text, &qc, sq, q->speaker);
            if (ok && verbose > 1) {
                printf("  OK(%d) gold \"%s\"\n", ok, q->speaker);
                show("system", text, sq->spk_start < sq->spk_end ? sq->spk_start : sq->said_start,
                     sq->spk_start < sq->spk_end ? sq->spk_end : sq->said_end);
            }
            if (ok) {
                all.spk_gold++;
                all.spk_sys++;
                dir[q->direct].spk_gold++;
                dir[sq->direct].spk_sys++;
            } else if (verbose) {
                printf("  SPEAKER %s:%d %s: gold \"%s\"\n", gold, q->line, a->url, q->speaker);
                show("system", text, sq->spk_start < sq->spk_end ? sq->spk_start : sq->said_start,
                     sq->spk_start < sq->spk_end ? sq->spk_end : sq->said_end);
                show("quote", text, sq->start, sq->end);
            }
        }
        if (verbose)
            for (size_t s = 0; s < ql.n; s++)
                if (!sys_match[s]) {
                    const Quote *sq = &ql.items[s];
                    printf("  FALSE %s (%s)\n", a->url, sq->direct ? "direct" : "indirect");
                    show("speaker", text, sq->spk_start, sq->spk_end);
                    show("quote", text, sq->start, sq->end);
                }
        free(sys_match);
        free(sys_spk);
        quotes_cands_free(&qc);
        quotes_free(&ql);
        entities_free(&ents);
        rasd_doc_free(d);
    }
    if (cands_out)
        fclose(cands_out);
    printf("quotations (%s half): %zu articles (%zu not found), %zu gold quotes, %zu found\n",
           half < 0 ? "all" : half ? "test" : "dev", used, missing, all.gold, all.sys);
    if (anchor_bad)
        printf("  warning: %zu gold quotes whose offsets do not start at their anchor\n",
               anchor_bad);
    prf("span (overlap)", all.tp_sys, all.sys, all.tp_gold, all.gold);
    printf("  %-28s %.3f\n", "mean overlap ratio (IoU)", all.tp_gold ? overlap_sum / all.tp_gold : 0);
    prf("span + speaker", all.spk_sys, all.sys, all.spk_gold, all.gold);
    printf("  %-28s same key %zu, system key %zu, key words %zu, both unknown %zu\n",
           "right speakers by rule", rule_hits[1], rule_hits[2], rule_hits[3], rule_hits[4]);
    prf("direct: span", dir[1].tp_sys, dir[1].sys, dir[1].tp_gold, dir[1].gold);
    prf("direct: span + speaker", dir[1].spk_sys, dir[1].sys, dir[1].spk_gold, dir[1].gold);
    prf("indirect: span", dir[0].tp_sys, dir[0].sys, dir[0].tp_gold, dir[0].gold);
    prf("indirect: span + speaker", dir[0].spk_sys, dir[0].sys, dir[0].spk_gold, dir[0].gold);
    if (find_secs > 0)
        printf("  finder alone: %.1f us CPU per article, %.2f M tokens/s of CPU time\n",
               used ? find_secs * 1e6 / used : 0, find_tokens / find_secs / 1e6);
    rasd_text_free(t);
    for (size_t i = 0; i < narts; i++) {
        for (size_t g = 0; g < arts[i].nq; g++) {
            free(arts[i].q[g].speaker);
            free(arts[i].q[g].cue);
            free(arts[i].q[g].anchor);
        }
        free(arts[i].q);
        free(arts[i].day);
        free(arts[i].url);
        free(arts[i].content);
    }
    free(arts);
    return 0;
}
