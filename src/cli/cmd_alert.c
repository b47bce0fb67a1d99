/*
 * cmd_alert.c — `rasd alert add|list|rm`: the watch rules `rasd watch`
 * checks after every round (src/watch/alerts.c). A rule only sees articles
 * stored after it was added.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd alert [--db PATH] add --query WORDS     articles with these words\n"
          "       rasd alert [--db PATH] add --entity NAME     articles naming this person,\n"
          "                                                    place or body (any spelling)\n"
          "       rasd alert [--db PATH] add --sources N       a story reaches N outlets\n"
          "       rasd alert [--db PATH] add --conflict STORY  a conflict appears in STORY\n"
          "       rasd alert [--db PATH] list [--json]\n"
          "       rasd alert [--db PATH] rm ID\n"
          "Alerts are JSON Lines written by `rasd watch` (stdout or --alerts FILE).\n",
          to);
}

static int add(rasd_engine *en, int argc, char **argv)
{
    static const struct option opts[] = {{"query", required_argument, 0, 'q'},
                                         {"entity", required_argument, 0, 'e'},
                                         {"sources", required_argument, 0, 's'},
                                         {"conflict", required_argument, 0, 'c'},
                                         {0, 0, 0, 0}};
    const char *kind = NULL, *arg = NULL;
    int64_t n = 0;
    int c, count = 0;
    char *end, *key = NULL;
    size_t kl = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        count++;
        switch (c) {
        case 'q': kind = "query"; arg = optarg; break;
        case 'e': kind = "entity"; arg = optarg; break;
        case 's':
            kind = "sources";
            n = strtoll(optarg, &end, 10);
            if (!*optarg || *end || n < 2 || n > 1000) {
                cli_error("alert add --sources: '%s' is not a number of outlets from 2 to 1000",
                          optarg);
                return 2;
            }
            arg = optarg;
            break;
        case 'c':
            kind = "conflict";
            n = strtoll(optarg, &end, 10);
            if (!*optarg || *end || n < 1) {
                cli_error("alert add --conflict: '%s' is not a story number (see `rasd "
                          "stories`)", optarg);
                return 2;
            }
            arg = optarg;
            n = 0;
            break;
        default: help(stderr); return 2;
        }
    }
    if (count != 1 || !arg || !*arg) {
        cli_error("alert add: give exactly one of --query, --entity, --sources, --conflict");
        return 2;
    }
    if (!strcmp(kind, "entity")) {
        if (rasd_name_key(arg, strlen(arg), RASD_NAME_KEY, &key, &kl, NULL) != RASD_OK || !kl) {
            cli_error("alert add --entity: '%s' has no letters to match", arg);
            rasd_free(key);
            return 2;
        }
        arg = key;
    }
    rasd_error err;
    int64_t id = 0;
    rasd_err e = rasd_engine_add_alert(en, kind, arg, n, &id, &err);
    if (e != RASD_OK)
        cli_error("%s", err.msg);
    else
        printf("rule %lld: %s %s\n", (long long)id, kind, arg);
    rasd_free(key);
    return e != RASD_OK;
}

typedef struct Lister {
    rasd_buf b;               /* one line */
    int json;
} Lister;

static int on_rule(void *ctx, const rasd_alert_rule *r)
{
    Lister *l = ctx;
    rasd_buf *b = &l->b;
    rasd_buf_reset(b);
    if (l->json) {
        rasd_buf_printf(b, "{\"id\":%lld,\"kind\":", (long long)r->id);
        rasd_buf_put_json_string(b, r->kind, strlen(r->kind));
        rasd_buf_puts(b, ",\"arg\":");
        rasd_buf_put_json_string(b, r->arg, strlen(r->arg));
        rasd_buf_printf(b, ",\"since_article\":%lld}\n", (long long)r->since_article);
    } else {
        rasd_buf_printf(b, "%lld\t%s\t%s\n", (long long)r->id, r->kind, r->arg);
    }
    fwrite(b->data, 1, b->len, stdout);
    return 0;
}

int cmd_alert(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind >= argc) {
        help(stderr);
        return 2;
    }
    const char *verb = argv[optind];
    if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "rm")) {
        cli_error("alert: unknown action '%s' (add, list, rm)", verb);
        return 2;
    }
    rasd_engine *en = cli_open_engine(db, 0);
    if (!en)
        return 1;
    rasd_error err;
    int rc = 0;
    if (!strcmp(verb, "add")) {
        rc = add(en, argc - optind, argv + optind);
    } else if (!strcmp(verb, "list")) {
        if (optind + 1 < argc && !strcmp(argv[optind + 1], "--json"))
            json = 1;
        Lister l = {{0}, json};
        if (rasd_engine_each_alert(en, on_rule, &l, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
        }
        rasd_buf_free(&l.b);
    } else {
        char *end;
        long long id = optind + 1 < argc ? strtoll(argv[optind + 1], &end, 10) : 0;
        int removed = 0;
        if (optind + 1 >= argc || !*argv[optind + 1] || *end || id <= 0) {
            cli_error("alert rm: give a rule number (see `rasd alert list`)");
            rc = 2;
        } else if (rasd_engine_remove_alert(en, id, &removed, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
        } else if (!removed) {
            cli_error("alert rm: no rule %lld (see `rasd alert list`)", id);
            rc = 1;
        } else {
            printf("removed rule %lld\n", id);
        }
    }
    rasd_engine_close(en);
    return rc;
}
