/*
 * cmd_overrides.c — `rasd overrides`: the analyst's corrections from the
 * command line, the same ones the API and the web UI make (merge two
 * stories, move an article out of an event, dismiss a conflict), through
 * the public calls the server's API uses too, so both paths check and
 * store them alike (src/engine/api_overrides.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd overrides [--db PATH] [--json]            list the corrections\n"
          "       rasd overrides [--db PATH] merge STORY INTO [--note TEXT]\n"
          "       rasd overrides [--db PATH] move ARTICLE EVENT [--note TEXT]\n"
          "       rasd overrides [--db PATH] dismiss STORY CONFLICT [--note TEXT]\n"
          "       rasd overrides [--db PATH] rm ID\n"
          "  merge: STORY is the same story as INTO; move: ARTICLE does not belong to\n"
          "  EVENT; dismiss: conflict CONFLICT (its id in `rasd serve`'s conflicts and\n"
          "  briefs) of STORY is not a real conflict. Story assignment applies merges and\n"
          "  moves; they survive later ingests and `rasd stories --rebuild`.\n",
          to);
}

/* A correction as the API writes it. */
static void override_json(rasd_buf *b, const rasd_override *o)
{
    rasd_buf_printf(b, "{\"id\":%lld,\"kind\":", (long long)o->id);
    cli_put_json_str(b, o->kind);
    rasd_buf_puts(b, ",\"a\":");
    cli_put_json_str(b, o->a);
    rasd_buf_puts(b, ",\"b\":");
    cli_put_json_str(b, o->b);
    rasd_buf_puts(b, ",\"note\":");
    cli_put_json_str(b, o->note);
    rasd_buf_puts(b, ",\"at\":");
    cli_put_json_str(b, o->at);
    rasd_buf_putc(b, '}');
}

typedef struct Out {
    int json;
    rasd_buf b;      /* --json: the answer being built */
    size_t n;        /* corrections listed */
} Out;

/* One line per correction, or an element of the JSON list. */
static int on_listed(void *ctx, const rasd_override *o)
{
    Out *x = ctx;
    if (x->json) {
        if (x->n)
            rasd_buf_putc(&x->b, ',');
        override_json(&x->b, o);
    } else {
        printf("%lld  %-8s %s %s  %s%s%s\n", (long long)o->id, o->kind, o->a, o->b, o->at,
               o->note ? "  " : "", o->note ? o->note : "");
    }
    x->n++;
    return 0;
}

static int on_added(void *ctx, const rasd_override *o)
{
    Out *x = ctx;
    if (x->json)
        override_json(&x->b, o);
    else
        rasd_buf_printf(&x->b, "ok: correction %lld", (long long)o->id);
    return 0;
}

/* A JSON number for a numeric argument, else a string (article ids, conflict ids). */
static void arg_value(rasd_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n && n < 16 && strspn(s, "0123456789") == n)
        rasd_buf_printf(b, "%lld", strtoll(s, NULL, 10));
    else
        rasd_buf_put_json_string(b, s, n);
}

int cmd_overrides(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"note", required_argument, 0, 'n'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *note = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'n': note = optarg; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    int nargs = argc - optind;
    const char *verb = nargs ? argv[optind] : "list";
    static const struct { const char *verb, *a, *b; int args; } verbs[] = {
        {"list", NULL, NULL, 0},          {"merge", "story", "into", 2},
        {"move", "article", "event", 2},  {"dismiss", "story", "conflict", 2},
        {"rm", NULL, NULL, 1},
    };
    int v = -1;
    for (int i = 0; i < 5; i++)
        if (strcmp(verb, verbs[i].verb) == 0)
            v = i;
    if (v < 0 || (nargs && nargs - 1 != verbs[v].args)) {
        help(stderr);
        return 2;
    }
    rasd_error err;
    rasd_engine *en = cli_open_engine(db, v == 0);
    if (!en)
        return 1;
    Out o = {json, {0}, 0};
    rasd_err e = RASD_OK;
    if (v == 0) {
        rasd_buf_puts(&o.b, "{\"overrides\":[");
        e = rasd_engine_each_override(en, on_listed, &o, &err);
        rasd_buf_puts(&o.b, "]}");
    } else if (v == 4) {
        char *end;
        long long id = strtoll(argv[optind + 1], &end, 10);
        if (*end || id <= 0) {
            cli_error("rm: '%s' is not a correction number (see rasd overrides)", argv[optind + 1]);
            rasd_engine_close(en);
            rasd_buf_free(&o.b);
            return 2;
        }
        int undone = 0;
        e = rasd_engine_remove_override(en, id, &undone, &err);
        if (json)
            rasd_buf_printf(&o.b, "{\"id\":%lld,\"deleted\":true,\"undone\":%s}", id,
                            undone ? "true" : "false");
        else
            rasd_buf_printf(&o.b, "ok: correction %lld", id);
    } else {
        rasd_buf body = {0};
        rasd_buf_puts(&body, "{\"kind\":");
        rasd_buf_put_json_string(&body, verb, strlen(verb));
        rasd_buf_printf(&body, ",\"%s\":", verbs[v].a);
        arg_value(&body, argv[optind + 1]);
        rasd_buf_printf(&body, ",\"%s\":", verbs[v].b);
        arg_value(&body, argv[optind + 2]);
        if (note) {
            rasd_buf_puts(&body, ",\"note\":");
            rasd_buf_put_json_string(&body, note, strlen(note));
        }
        rasd_buf_putc(&body, '}');
        e = body.oom ? RASD_ENOMEM
                     : rasd_engine_add_override(en, body.data, body.len, on_added, &o, &err);
        if (body.oom)
            snprintf(err.msg, sizeof err.msg, "out of memory");
        rasd_buf_free(&body);
    }
    int rc = 0;
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        rc = 1;
    } else if (o.b.len && (json || v != 0)) {
        fwrite(o.b.data, 1, o.b.len, stdout);
        putchar('\n');
    }
    rasd_buf_free(&o.b);
    rasd_engine_close(en);
    return rc;
}
