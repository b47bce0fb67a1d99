/*
 * main.c — the `rasd` command: dispatches to one function per subcommand
 * (src/cli/cmd_*.c). Exit codes: 0 ok, 1 error, 2 usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *help;
} commands[] = {
    {"analyze", cmd_analyze, "articles to JSON Lines with entities and dates (no database)"},
    {"ingest", cmd_ingest, "store articles from files, folders, feeds, JSON Lines"},
    {"articles", cmd_articles, "list stored articles"},
    {"show", cmd_show, "print one stored article"},
    {"stories", cmd_stories, "threads and events: which stored articles report the same story"},
    {"conflicts", cmd_conflicts, "where outlets contradict each other: roles, numbers, dates, quotes, wording"},
    {"timeline", cmd_timeline, "the dated happenings of a story in calendar order, with their outlets"},
    {"brief", cmd_brief, "the cited brief of a story: summary, quotes, timeline, conflicts, names"},
    {"similar", cmd_similar, "same-event similarity of two articles (files or stored ids), 0 to 1"},
    {"entities", cmd_entities, "identities in the stored articles: spellings, outlets, counts"},
    {"tokens", cmd_tokens, "show what the text core sees: tokens, clitics, stems, sentences"},
    {"tag", cmd_tag, "named-entity tags (PERS, LOC, ORG, MISC) of a CoNLL file"},
    {"key", cmd_key, "identity key of each name on stdin, one a line (spellings of one name share it)"},
    {"dates", cmd_dates, "date expressions of a text and their values (--date D resolves أمس)"},
    {"quotes", cmd_quotes, "quotations of articles: speaker, cue, quoted words, channel"},
    {"serve", cmd_serve, "the JSON API and the right-to-left web UI (127.0.0.1:8080)"},
    {"overrides", cmd_overrides, "analyst corrections: merge stories, move an article, dismiss a conflict"},
    {"compare", cmd_compare, "two articles side by side: aligned sentences, discrepancies, contradiction"},
    {"watch", cmd_watch, "poll news feeds and sites, store what is new, update stories, send alerts"},
    {"sources", cmd_sources, "the sources `rasd watch` polls: add, rm, import, state and errors"},
    {"alert", cmd_alert, "watch rules: words, a name, a story reaching N outlets, a new conflict"},
    {"feed", cmd_feed, "Atom feeds of stories: all, one story, or the stories naming an entity"},
    {"search", cmd_search, "full-text search of the stored articles: any spelling, ranked, with snippets"},
    {"export", cmd_export, "every article of a search or a story as CSV or JSON Lines"},
    {"migrate", cmd_migrate, "copy a whole archive to another store (SQLite <-> postgresql://...), verified"},
};

int cli_story_rows(rasd_engine *e, const char *story, int64_t **ids, size_t *n)
{
    char *end;
    long long t = strtoll(story, &end, 10);
    if (!*story || *end || t <= 0) {
        cli_error("--story: '%s' is not a story number (see `rasd stories`)", story);
        return -1;
    }
    rasd_error err;
    if (rasd_engine_story_rows(e, t, ids, n, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return -1;
    }
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int cli_has_id(const int64_t *ids, size_t n, int64_t id)
{
    return bsearch(&id, ids, n, sizeof *ids, cmp_i64) != NULL;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rasd_buf m = {0}, t = {0}; /* messages name files and titles: terminal-safe (term.c) */
    rasd_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    fputs("rasd: ", stderr);
    fputs(m.data ? cli_term_safe(m.data, &t) : "", stderr);
    fputc('\n', stderr);
    rasd_buf_free(&m);
    rasd_buf_free(&t);
}

int cli_read_file(const char *path, rasd_buf *out)
{
    rasd_error err;
    if (rasd_buf_read_file(out, path, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return -1;
    }
    return 0;
}

const char *cli_db_path(const char *opt)
{
    if (opt)
        return opt;
    const char *env = getenv("RASD_DB");
    return env && *env ? env : "rasd.db";
}

rasd_engine *cli_open_engine(const char *db_opt, int readonly)
{
    rasd_error err;
    rasd_engine *e = NULL;
    if (rasd_engine_open(cli_db_path(db_opt), readonly, &e, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return NULL;
    }
    return e;
}

void cli_put_json_str(rasd_buf *b, const char *s)
{
    if (s)
        rasd_buf_put_json_string(b, s, strlen(s));
    else
        rasd_buf_puts(b, "null");
}

int cli_write_out(const char *path, const char *data, size_t len, int newline)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    int bad = !f || fwrite(data, 1, len, f) != len || (newline && fputc('\n', f) == EOF);
    if (path && f && fclose(f) != 0)
        bad = 1;
    if (bad) {
        cli_error("%s: cannot write", path ? path : "stdout");
        return -1;
    }
    return 0;
}

static void usage(FILE *to)
{
    fprintf(to, "usage: rasd COMMAND [OPTIONS] ...\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(to, "\nrasd COMMAND --help shows a command's options. rasd %s\n", RASD_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("rasd %s\n", RASD_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s' (rasd --help lists them)", argv[1]);
    return 2;
}
