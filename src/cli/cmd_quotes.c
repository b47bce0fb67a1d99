/*
 * cmd_quotes.c — `rasd quotes`: who said what in articles read from files
 * (plain text, HTML, feeds, JSON Lines: whatever `rasd analyze` reads), one
 * quotation a line: "speaker — cue — «text» [via]", or JSON Lines with
 * --json. --speaker keeps the quotes of one speaker, matched by identity
 * key (any spelling of the name) or by a part of the speaker's words.
 * Through the public API (rasd_read_file, rasd_text_quotes, rasd_engine_quotes).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd quotes [--speaker NAME] [--json] [--max-size N] FILE...|-\n"
          "       rasd quotes [--db PATH] --story N [--speaker NAME] [--json]\n"
          "  the quotations of each article: speaker, cue, quoted words, channel.\n"
          "  --speaker NAME  only quotes whose speaker has NAME's identity key, or\n"
          "                  whose speaker's words contain NAME\n"
          "  --json          JSON Lines, one quote a line: file, speaker, speaker_key,\n"
          "                  kind, cue, text, direct, via, start, end (UTF-8 byte\n"
          "                  offsets into the article's text, as in rasd analyze)\n"
          "  --story N       the stored articles of story N (see rasd stories)\n"
          "  --lines         the format of tests/golden/quotes*.txt, one article\n"
          "                  after another (\"(none)\" when it has no quotes)\n",
          to);
}

static int contains(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || m > n)
        return m == 0;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

static void put_plain(rasd_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rasd_buf_putc(b, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
}

/* What one run prints: the options and the state shared by every article. */
typedef struct Run {
    const char *speaker;  /* --speaker, or NULL */
    char *key;            /* its identity key */
    size_t key_len;
    char *norm;           /* its words, normalised */
    size_t norm_len;
    int json, lines;
    rasd_text *t;         /* for files: the text core */
    const char *file;     /* the file being read (a file's articles) */
    rasd_buf line;             /* one output line */
    int failed;
} Run;

/* Does quotation x's speaker match --speaker (key, or normalised words)? */
static int speaker_matches(const Run *r, const char *text, const rasd_quote *x)
{
    if (r->key_len && x->key && x->key_len == r->key_len &&
        memcmp(x->key, r->key, r->key_len) == 0)
        return 1;
    uint32_t spans[2][2] = {{x->spk_start, x->spk_end}, {x->said_start, x->said_end}};
    for (int i = 0; i < 2; i++) {
        if (spans[i][0] >= spans[i][1])
            continue;
        char *o = NULL;
        size_t ol = 0;
        if (rasd_normalise(text + spans[i][0], spans[i][1] - spans[i][0], RASD_NORM_KEY, &o, &ol,
                           NULL, NULL) != RASD_OK)
            continue;
        int hit = contains(o, ol, r->norm, r->norm_len);
        free(o);
        if (hit)
            return 1;
    }
    return 0;
}

/* "speaker — cue — «text» [via]" */
static void put_line(rasd_buf *line, const char *text, const rasd_quote *x)
{
    if (x->spk_start < x->spk_end)
        put_plain(line, text + x->spk_start, x->spk_end - x->spk_start);
    else
        rasd_buf_putc(line, '?');
    rasd_buf_puts(line, " — ");
    if (x->cue_start < x->cue_end)
        put_plain(line, text + x->cue_start, x->cue_end - x->cue_start);
    else
        rasd_buf_putc(line, '-');
    rasd_buf_puts(line, x->direct ? " — «" : " — ");
    put_plain(line, text + x->start, x->end - x->start);
    if (x->direct)
        rasd_buf_puts(line, "»");
    if (x->via_start < x->via_end) {
        rasd_buf_puts(line, " [");
        put_plain(line, text + x->via_start, x->via_end - x->via_start);
        rasd_buf_putc(line, ']');
    }
}

/* Prints the quotations of one article (origin names it). */
static void print_quotes(Run *r, const rasd_quotes *q, const char *origin)
{
    char *s = NULL;
    size_t n = 0;
    if (r->lines) {
        if (rasd_quotes_render(q, RASD_FMT_TEXT, 0, &s, &n, NULL) == RASD_OK) {
            fwrite(s, 1, n, stdout);
            putchar('\n');
        }
        rasd_free(s);
        return;
    }
    const char *text = rasd_quotes_text(q, NULL);
    for (size_t i = 0; i < rasd_quotes_count(q); i++) {
        rasd_quote x;
        rasd_quotes_get(q, i, &x);
        if (r->speaker && !speaker_matches(r, text, &x))
            continue;
        rasd_buf_reset(&r->line);
        if (r->json) {
            if (rasd_quotes_render(q, RASD_FMT_JSON, i, &s, &n, NULL) != RASD_OK) {
                r->line.oom = 1;
            } else { /* {"file":…, then the object without its own opening brace */
                rasd_buf_puts(&r->line, "{\"file\":");
                rasd_buf_put_json_string(&r->line, origin, strlen(origin));
                rasd_buf_putc(&r->line, ',');
                rasd_buf_append(&r->line, s + 1, n - 1);
            }
            rasd_free(s);
            s = NULL;
        } else {
            put_line(&r->line, text, &x);
        }
        rasd_buf_putc(&r->line, '\n');
        if (r->line.oom) {
            cli_error("out of memory");
            r->failed = 1;
            break;
        }
        fwrite(r->line.data, 1, r->line.len, stdout);
    }
}

static void on_item_error(void *ctx, const char *msg)
{
    Run *r = ctx;
    cli_error("%s", msg);
    r->failed = 1;
}

/* A file's article: analysed here. */
static int on_file_article(void *ctx, const rasd_article *a)
{
    Run *r = ctx;
    const char *origin = a->origin ? a->origin : r->file;
    const char *body = a->text ? a->text : "";
    rasd_quotes *q = NULL;
    rasd_error err;
    if (rasd_text_quotes(r->t, body, strlen(body), &q, &err) != RASD_OK) {
        cli_error("%s: %s", origin, err.msg);
        r->failed = 1;
    } else {
        print_quotes(r, q, origin);
    }
    rasd_quotes_free(q);
    return 0;
}

/* A story's articles: read with their stored annotations, never re-analysed. */
static void story_quotes(Run *r, const char *db, const char *story)
{
    rasd_engine *e = cli_open_engine(db, 1);
    int64_t *rows = NULL;
    size_t n = 0;
    if (!e || cli_story_rows(e, story, &rows, &n) < 0) {
        rasd_engine_close(e);
        r->failed = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char row[32];
        rasd_article *a = NULL;
        rasd_quotes *q = NULL;
        rasd_error err;
        snprintf(row, sizeof row, "%lld", (long long)rows[i]);
        if (rasd_engine_article(e, row, &a, &err) != RASD_OK)
            continue;
        if (rasd_engine_quotes(e, rows[i], &q, &err) != RASD_OK) {
            cli_error("%s: %s", a->id, err.msg);
            r->failed = 1;
        } else {
            print_quotes(r, q, a->id);
        }
        rasd_quotes_free(q);
        rasd_article_free(a);
    }
    rasd_free(rows);
    rasd_engine_close(e);
}

int cmd_quotes(int argc, char **argv)
{
    static const struct option opts[] = {{"speaker", required_argument, 0, 's'},
                                         {"json", no_argument, 0, 'j'},
                                         {"lines", no_argument, 0, 'l'},
                                         {"max-size", required_argument, 0, 'm'},
                                         {"story", required_argument, 0, 'S'},
                                         {"db", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *story = NULL, *db = NULL;
    Run r = {0};
    int c;
    size_t max = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's': r.speaker = optarg; break;
        case 'j': r.json = 1; break;
        case 'l': r.lines = 1; break;
        case 'm': max = (size_t)strtoull(optarg, NULL, 10); break;
        case 'S': story = optarg; break;
        case 'd': db = optarg; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if ((optind >= argc) == !story) {
        help(stderr);
        return 2;
    }
    if (r.speaker &&
        (rasd_name_key(r.speaker, strlen(r.speaker), RASD_NAME_KEY, &r.key, &r.key_len, NULL) !=
             RASD_OK ||
         rasd_normalise(r.speaker, strlen(r.speaker), RASD_NORM_KEY, &r.norm, &r.norm_len, NULL,
                        NULL) != RASD_OK)) {
        cli_error("--speaker %s: not valid text", r.speaker);
        rasd_free(r.key);
        return 2;
    }
    rasd_error err;
    if (story) {
        story_quotes(&r, db, story);
    } else if (rasd_text_new(&r.t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        r.failed = 1;
    } else {
        for (int i = optind; i < argc; i++) {
            r.file = argv[i];
            if (rasd_read_file(argv[i], max, on_file_article, on_item_error, &r, &err) !=
                RASD_OK) {
                cli_error("%s", err.msg);
                r.failed = 1;
            }
        }
    }
    rasd_buf_free(&r.line);
    rasd_free(r.key);
    free(r.norm);
    rasd_text_free(r.t);
    return r.failed;
}
