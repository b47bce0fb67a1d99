/*
 * store_glue.c — the CLI's last bridge to the internal store, for the
 * commands not yet on the public API (tests/cli-internal-includes.txt lists
 * them): the store named by --db, and a story's article rows. Every other
 * file of the tool goes through include/rasd.h.
 */
#include <stdlib.h>

#include "cli.h"
#include "engine/api_int.h"

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

int cli_story_articles(struct Store *st, const char *story, int64_t **ids, size_t *n)
{
    struct rasd_engine on = {st, 1}; /* the public call on a store already open */
    return cli_story_rows(&on, story, ids, n);
}

int cli_add_sources_store(struct Store *st, const char *path, int64_t interval)
{
    struct rasd_engine on = {st, 0}; /* the public call on a store already open */
    return cli_add_sources(&on, path, interval);
}
