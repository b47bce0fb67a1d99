/*
 * cmd_quotes.c — `rasd quotes`: who said what in articles read from files
 * (plain text, HTML, feeds, JSON Lines: whatever `rasd analyze` reads), one
 * quotation a line: "speaker — cue — «text» [via]", or JSON Lines with
 * --json. --speaker keeps the quotes of one speaker, matched by identity
 * key (any spelling of the name) or by a part of the speaker's words.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"
#include "annotate/analyze.h"
#include "annotate/names.h"
#include "annotate/quotes.h"
#include "ingest/walk.h"

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

/* Does q's speaker match --speaker (key, or normalised words)? */
static int speaker_matches(const char *text, const QuoteList *l, const Quote *q, const Buf *key,
                           const char *norm, size_t norm_len)
{
    if (key->len && q->key_len == key->len && l->keys.data &&
        memcmp(l->keys.data + q->key_off, key->data, key->len) == 0)
        return 1;
    uint32_t spans[2][2] = {{q->spk_start, q->spk_end}, {q->said_start, q->said_end}};
    for (int i = 0; i < 2; i++) {
        if (spans[i][0] >= spans[i][1])
            continue;
        char *o = NULL;
        size_t ol = 0;
        if (rasd_normalise(text + spans[i][0], spans[i][1] - spans[i][0], RASD_NORM_KEY, &o, &ol,
                           NULL, NULL) != RASD_OK)
            continue;
        int hit = contains(o, ol, norm, norm_len);
        free(o);
        if (hit)
            return 1;
    }
    return 0;
}

static void put_plain(Buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(b, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
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
    const char *speaker = NULL, *story = NULL, *db = NULL;
    int json = 0, lines = 0, c;
    size_t max = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's': speaker = optarg; break;
        case 'j': json = 1; break;
        case 'l': lines = 1; break;
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
    /* a story's stored articles become one batch, read like a file */
    Batch stored = {0};
    if (story) {
        Store *st = cli_open_store(db, 1);
        int64_t *ids = NULL;
        size_t nids = 0;
        if (!st || cli_story_articles(st, story, &ids, &nids) < 0) {
            if (st)
                store_close(st);
            return 1;
        }
        rasd_error e0;
        for (size_t i = 0; i < nids; i++) {
            char id[32];
            StoredArticle sa;
            snprintf(id, sizeof id, "%lld", (long long)ids[i]);
            if (store_get_article(st, id, &sa, &e0) != RASD_OK)
                continue;
            Article *a = batch_add(&stored);
            if (a) {
                a->body = strdup(sa.body);
                a->title = sa.title ? strdup(sa.title) : NULL;
                a->outlet = sa.outlet ? strdup(sa.outlet) : NULL;
                a->origin = strdup(sa.hash);
            }
            store_article_free(&sa);
        }
        free(ids);
        store_close(st);
    }
    Buf key = {0};
    char *norm = NULL;
    size_t norm_len = 0;
    if (speaker) {
        if (names_key(speaker, strlen(speaker), &key) < 0 ||
            rasd_normalise(speaker, strlen(speaker), RASD_NORM_KEY, &norm, &norm_len, NULL,
                           NULL) != RASD_OK) {
            cli_error("--speaker %s: not valid text", speaker);
            buf_free(&key);
            return 2;
        }
    }
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        buf_free(&key);
        free(norm);
        return 1;
    }
    int failed = 0;
    Buf line = {0};
    for (int i = story ? argc - 1 : optind; i < argc; i++) {
        Batch b = {0};
        if (story) {
            b = stored;
            memset(&stored, 0, sizeof stored);
        } else if (ingest_read_file(argv[i], max, &b, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            failed = 1;
        }
        for (size_t k = 0; k < b.nerrors; k++) {
            cli_error("%s", b.errors[k]);
            failed = 1;
        }
        for (size_t k = 0; k < b.n; k++) {
            const Article *a = &b.items[k];
            const char *origin = a->origin ? a->origin : story ? "" : argv[i];
            const char *body = a->body ? a->body : "";
            rasd_doc *d = NULL;
            EntityList ents = {0};
            QuoteList ql = {0};
            if (rasd_text_analyse(t, body, strlen(body), &d, &err) != RASD_OK ||
                analyze_entities(d, &ents, &err) != RASD_OK ||
                quotes_find(d, &ents, &ql, &err) != RASD_OK) {
                cli_error("%s: %s", origin, err.msg);
                failed = 1;
            } else if (lines) {
                buf_reset(&line);
                quotes_format_lines(d, &ql, &line);
                buf_putc(&line, '\n');
                fwrite(line.data, 1, line.len, stdout);
            } else {
                const char *text = rasd_doc_text(d, NULL);
                for (size_t q = 0; q < ql.n; q++) {
                    const Quote *x = &ql.items[q];
                    if (speaker && !speaker_matches(text, &ql, x, &key, norm, norm_len))
                        continue;
                    buf_reset(&line);
                    if (json) {
                        buf_puts(&line, "{\"file\":");
                        buf_put_json_string(&line, origin, strlen(origin));
                        buf_putc(&line, ',');
                        size_t mark = line.len;
                        quotes_format_json_one(d, &ql, x, &line);
                        /* splice: drop the object's own opening brace */
                        memmove(line.data + mark, line.data + mark + 1, line.len - mark - 1);
                        line.len--;
                        line.data[line.len] = '\0';
                    } else {
                        if (x->spk_start < x->spk_end)
                            put_plain(&line, text + x->spk_start, x->spk_end - x->spk_start);
                        else
                            buf_putc(&line, '?');
                        buf_puts(&line, " — ");
                        if (x->cue_start < x->cue_end)
                            put_plain(&line, text + x->cue_start, x->cue_end - x->cue_start);
                        else
                            buf_putc(&line, '-');
                        buf_puts(&line, x->direct ? " — «" : " — ");
                        put_plain(&line, text + x->start, x->end - x->start);
                        if (x->direct)
                            buf_puts(&line, "»");
                        if (x->via_start < x->via_end) {
                            buf_puts(&line, " [");
                            put_plain(&line, text + x->via_start, x->via_end - x->via_start);
                            buf_putc(&line, ']');
                        }
                    }
                    buf_putc(&line, '\n');
                    if (line.oom) {
                        cli_error("out of memory");
                        failed = 1;
                        break;
                    }
                    fwrite(line.data, 1, line.len, stdout);
                }
            }
            quotes_free(&ql);
            entities_free(&ents);
            rasd_doc_free(d);
        }
        batch_free(&b);
    }
    buf_free(&line);
    buf_free(&key);
    free(norm);
    rasd_text_free(t);
    return failed;
}
