/*
 * cli.h — what the `rasd` command's files share: one function per
 * subcommand and the helpers for reading input and reporting errors.
 * Only the CLI prints; the library returns errors.
 */
#ifndef RASD_CLI_H
#define RASD_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"


int cmd_tokens(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_articles(int argc, char **argv);
int cmd_entities(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_tag(int argc, char **argv);
int cmd_dates(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_stories(int argc, char **argv);
int cmd_brief(int argc, char **argv);
int cmd_conflicts(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_quotes(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_sources(int argc, char **argv);
int cmd_alert(int argc, char **argv);
int cmd_feed(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_overrides(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_migrate(int argc, char **argv);

/* --db, else $RASD_DB, else ./rasd.db */
const char *cli_db_path(const char *opt);

/* The engine on the store named by --db (or the default); NULL after printing why. */
rasd_engine *cli_open_engine(const char *db_opt, int readonly);
/* Writes len bytes (and a newline when newline) to path, or stdout when path
   is NULL. 0 ok, -1 after printing why. */
int cli_write_out(const char *path, const char *data, size_t len, int newline);

/* Row ids of the articles of story (a thread number as text), sorted; malloc'd.
   0 ok, -1 after printing why (not a number, no such story). */
int cli_story_rows(rasd_engine *e, const char *story, int64_t **ids, size_t *n);
/* Adds the sources of a list or OPML file (`rasd sources import`, `rasd
   watch --sources`), saying how many on stderr. 0 ok, -1 after printing why. */
int cli_add_sources(rasd_engine *e, const char *path, int64_t interval);
int cli_has_id(const int64_t *ids, size_t n, int64_t id); /* binary search */

/* s as a JSON string, null for NULL, appended to b. */
void cli_put_json_str(rasd_buf *b, const char *s);
/* Reads a whole file ("-" = stdin) into out. 0 ok, -1 with a message on stderr. */
int cli_read_file(const char *path, rasd_buf *out);
/* s as it may reach a terminal (term.c): control characters (C0 but tab
   and newline, DEL, C1) and bytes that are not UTF-8 shown as \xNN. Returns
   s itself when nothing needed escaping, else scratch's text; NULL for NULL. */
const char *cli_term_safe(const char *s, rasd_buf *scratch);
/* Prints "rasd: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
