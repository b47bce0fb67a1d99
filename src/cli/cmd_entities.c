/*
 * cmd_entities.c — `rasd entities`: every identity found in the stored
 * articles, most mentioned first, with its spellings, outlets and roles.
 *
 * The whole store is one read of the entity summary that ingest keeps;
 * --story N groups the mentions of that story's articles instead (both
 * rasd_engine_entities).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Appends pre, then v in decimal: all 52,000 names of the 15 days write
   about 200,000 numbers, and printf's formatting was a tenth of the time. */
static void put_num(rasd_buf *o, const char *pre, long long v)
{
    char d[24], *p = d + sizeof d;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    rasd_buf_puts(o, pre);
    rasd_buf_append(o, p, (size_t)(d + sizeof d - p));
}

/* One name as JSON Lines or a text line, appended to o. */
static void print_entity(rasd_buf *o, const rasd_entity *x, int json, rasd_engine *en)
{
    if (json) {
        rasd_buf_puts(o, "{\"key\":");
        rasd_buf_put_json_string(o, x->key, strlen(x->key));
        rasd_buf_puts(o, ",\"type\":\"");
        rasd_buf_puts(o, x->type);
        rasd_buf_puts(o, "\",\"name\":");
        rasd_buf_put_json_string(o, x->name, strlen(x->name));
        put_num(o, ",\"mentions\":", (long long)x->mentions);
        put_num(o, ",\"articles\":", (long long)x->articles);
        rasd_buf_puts(o, ",\"variants\":[");
        for (size_t i = 0; i < x->nspellings; i++) {
            rasd_buf_puts(o, i ? "," : "");
            rasd_buf_put_json_string(o, x->spellings[i].text, strlen(x->spellings[i].text));
        }
        rasd_buf_puts(o, "],\"spellings\":{");
        for (size_t i = 0; i < x->nspellings; i++) {
            rasd_buf_puts(o, i ? "," : "");
            rasd_buf_put_json_string(o, x->spellings[i].text, strlen(x->spellings[i].text));
            put_num(o, ":", (long long)x->spellings[i].mentions);
        }
        rasd_buf_puts(o, "},\"outlets\":{");
        for (size_t i = 0; i < x->noutlets; i++) {
            const char *n = *x->outlets[i].text ? x->outlets[i].text : "-";
            rasd_buf_puts(o, i ? "," : "");
            rasd_buf_put_json_string(o, n, strlen(n));
            put_num(o, ":", (long long)x->outlets[i].mentions);
        }
        rasd_buf_puts(o, "},\"roles\":{");
        for (size_t i = 0; i < x->nroles; i++) {
            rasd_buf_puts(o, i ? "," : "");
            rasd_buf_put_json_string(o, x->roles[i].text, strlen(x->roles[i].text));
            put_num(o, ":", (long long)x->roles[i].mentions);
        }
        rasd_buf_puts(o, "}}\n");
        return;
    }
    rasd_buf_printf(o, "%-4s %5lld  ", x->type, (long long)x->mentions); /* spellings, not the key */
    for (size_t i = 0; i < x->nspellings; i++)
        rasd_buf_printf(o, "%s%s", i ? " / " : "", x->spellings[i].text);
    rasd_buf_puts(o, "   [");
    for (size_t i = 0; i < x->noutlets; i++)
        rasd_buf_printf(o, "%s%s: %lld", i ? ", " : "",
                   *x->outlets[i].text ? rasd_outlet_name(en, x->outlets[i].text) : "(no outlet)",
                   (long long)x->outlets[i].mentions);
    /* roles are stored as office keys (رييس|رسا), which no reader should see:
       they are in --json for programs; the web UI's name page shows the
       offices as the articles write them */
    rasd_buf_puts(o, "]\n");
}

typedef struct Out {
    rasd_buf line;            /* output being built, flushed to stdout in blocks */
    int json;
    rasd_engine *en;          /* names the outlets in text (rasd_outlet_name) */
} Out;

static int on_entity(void *ctx, const rasd_entity *x)
{
    Out *o = ctx;
    print_entity(&o->line, x, o->json, o->en);
    if (o->line.len > 1 << 16) {
        fwrite(o->line.data, 1, o->line.len, stdout);
        rasd_buf_reset(&o->line);
    }
    return 0;
}

int cmd_entities(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"min", required_argument, 0, 'm'},
                                         {"story", required_argument, 0, 's'},
                                         {"type", required_argument, 0, 't'},
                                         {"limit", required_argument, 0, 'l'},
                                         {"adjectives", no_argument, 0, 'a'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *story = NULL;
    rasd_entity_filter f = {0};
    f.min = 1;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'a': f.adjectives = 1; break;
        case 'm':
        case 'l': {
            long long v = strtoll(optarg, &end, 10);
            if (end == optarg || *end || v < 0) {
                cli_error("--%s takes a whole number >= 0, not '%s'", c == 'm' ? "min" : "limit",
                          optarg);
                return 2;
            }
            if (c == 'm')
                f.min = v;
            else
                f.limit = (size_t)v;
            break;
        }
        case 's': story = optarg; break;
        case 't':
            if (strcmp(optarg, "PER") && strcmp(optarg, "LOC") && strcmp(optarg, "ORG") &&
                strcmp(optarg, "MISC")) {
                cli_error("--type takes PER, LOC, ORG or MISC, not '%s'", optarg);
                return 2;
            }
            f.type = optarg;
            break;
        case 'h':
            fputs("usage: rasd entities [--db PATH] [--story N] [--type T] [--min N] [--limit N]"
                  " [--adjectives] [--json]\n"
                  "  every identity in the stored articles, most mentioned first: type,\n"
                  "  mentions, the spellings that share its key (most used first; --json:\n"
                  "  and the key), mentions per outlet and the offices the articles give it\n"
                  "  --adjectives  nationality adjectives (الروسي) too (also with --type)\n"
                  "  --min N   only identities mentioned at least N times\n"
                  "  --type T  only PER, LOC, ORG or MISC\n"
                  "  --limit N at most N identities\n"
                  "  --story N only the articles of story N (see rasd stories)\n",
                  stdout);
            return 0;
        default: return 2;
        }
    }
    if (optind != argc) {
        cli_error("entities takes no arguments (see rasd entities --help)");
        return 2;
    }
    rasd_error err;
    if (story) {
        char *end;
        long long v = strtoll(story, &end, 10);
        if (!*story || *end || v <= 0) {
            cli_error("--story: '%s' is not a story number (see `rasd stories`)", story);
            return 1;
        }
        f.story = v;
    }
    rasd_engine *en = cli_open_engine(db, 1);
    if (!en)
        return 1;
    Out o = {{0}, json, en};
    rasd_err e = rasd_engine_entities(en, &f, on_entity, &o, &err);
    if (o.line.len)
        fwrite(o.line.data, 1, o.line.len, stdout);
    rasd_buf_free(&o.line);
    rasd_engine_close(en);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}
