/*
 * cmd_feed.c — `rasd feed`: Atom XML of the stories (all, one, or those
 * naming an entity) on stdout or -o FILE, for any feed reader.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd feed [--db PATH] (--stories | --story N | --entity NAME) [OPTIONS]\n"
          "  --stories       every story, newest change first\n"
          "  --story N       one story\n"
          "  --entity NAME   stories with an article naming NAME (any spelling; a key\n"
          "                  from `rasd key` works too)\n"
          "  --max N         at most N entries (default 50)\n"
          "  --base-url URL  link each entry to URL/stories/N/brief\n"
          "  -o FILE         write to FILE instead of stdout\n",
          to);
}

int cmd_feed(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},     {"stories", no_argument, 0, 'S'},
        {"story", required_argument, 0, 's'},  {"entity", required_argument, 0, 'e'},
        {"max", required_argument, 0, 'm'},    {"base-url", required_argument, 0, 'b'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    const char *db = NULL, *entity = NULL, *outp = NULL;
    rasd_feed_opts ao;
    memset(&ao, 0, sizeof ao);
    int modes = 0, c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'S': modes++; break;
        case 's':
            modes++;
            ao.story = strtoll(optarg, &end, 10);
            if (!*optarg || *end || ao.story <= 0) {
                cli_error("--story: '%s' is not a story number (see `rasd stories`)", optarg);
                return 2;
            }
            break;
        case 'e': modes++; entity = optarg; break;
        case 'm': {
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 10000) {
                cli_error("--max: '%s' is not a number from 1 to 10000", optarg);
                return 2;
            }
            ao.max_entries = (size_t)v;
            break;
        }
        case 'b': ao.base_url = optarg; break;
        case 'o': outp = optarg; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (modes != 1 || optind < argc) {
        cli_error("feed: give exactly one of --stories, --story N, --entity NAME");
        return 2;
    }
    char *key = NULL;
    size_t kl = 0;
    if (entity) {
        if (rasd_name_key(entity, strlen(entity), RASD_NAME_KEY, &key, &kl, NULL) != RASD_OK ||
            !kl) {
            cli_error("--entity: '%s' has no letters to match", entity);
            rasd_free(key);
            return 2;
        }
        ao.entity_key = key;
    }
    rasd_engine *en = cli_open_engine(db, 0);
    if (!en) {
        rasd_free(key);
        return 1;
    }
    ao.db_path = cli_db_path(db);
    ao.now = (int64_t)time(NULL);
    rasd_buf out = {0};
    rasd_error err;
    int rc = 0;
    if (rasd_engine_feed(en, &ao, &out, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        rc = 1;
    } else {
        FILE *f = outp ? fopen(outp, "w") : stdout;
        if (!f) {
            cli_error("-o %s: cannot open for writing", outp);
            rc = 1;
        } else {
            fwrite(out.data, 1, out.len, f);
            if (outp && fclose(f) != 0) {
                cli_error("-o %s: write failed", outp);
                rc = 1;
            }
        }
    }
    rasd_buf_free(&out);
    rasd_free(key);
    rasd_engine_close(en);
    return rc;
}
