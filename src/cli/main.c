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
#include "store/store.h"

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
    {"brief", cmd_brief, "the cited brief of a story: summary, quotes, timeline, conflicts, names"},
    {"similar", cmd_similar, "same-event similarity of two articles (files or stored ids), 0 to 1"},
    {"entities", cmd_entities, "identities in the stored articles: spellings, outlets, counts"},
    {"tokens", cmd_tokens, "show what the text core sees: tokens, clitics, stems, sentences"},
    {"tag", cmd_tag, "named-entity tags (PERS, LOC, ORG, MISC) of a CoNLL file"},
    {"key", cmd_key, "identity key of each name on stdin, one a line (spellings of one name share it)"},
    {"dates", cmd_dates, "date expressions of a text and their values (--date D resolves أمس)"},
    {"quotes", cmd_quotes, "quotations of articles: speaker, cue, quoted words, channel"},
    {"compare", cmd_compare, "two articles side by side: aligned sentences, discrepancies, contradiction"},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("rasd: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_read_file(const char *path, Buf *out)
{
    rasd_error err;
    if (buf_read_file(out, path, &err) != RASD_OK) {
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

Store *cli_open_store(const char *db_opt, int readonly)
{
    rasd_error err;
    Store *st = NULL;
    if (store_open(cli_db_path(db_opt), readonly, &st, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return NULL;
    }
    return st;
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
