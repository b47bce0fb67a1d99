/*
 * cmd_overrides.c — `rasd overrides`: the analyst's corrections from the
 * command line, the same ones the API and the web UI make (merge two
 * stories, move an article out of an event, dismiss a conflict), through
 * the server's data adapter so both paths check and store them alike.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server/data.h"

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

/* Prints r (JSON or one line per correction); 0 ok, 1 after printing why. */
static int show(DataReply *r, int json)
{
    if (r->status >= 300) {
        cli_error("%s", r->msg);
        return 1;
    }
    json_t *list = json_object_get(r->json, "overrides");
    if (json) {
        char *s = json_dumps(r->json, JSON_COMPACT);
        if (s)
            puts(s);
        free(s);
    } else if (list) {
        size_t i;
        json_t *o;
        json_array_foreach(list, i, o) {
            const char *note = json_string_value(json_object_get(o, "note"));
            printf("%lld  %-8s %s %s  %s%s%s\n", (long long)json_integer_value(json_object_get(o, "id")),
                   json_string_value(json_object_get(o, "kind")),
                   json_string_value(json_object_get(o, "a")),
                   json_string_value(json_object_get(o, "b")),
                   json_string_value(json_object_get(o, "at")), note ? "  " : "", note ? note : "");
        }
    } else {
        printf("ok: correction %lld\n", (long long)json_integer_value(json_object_get(r->json, "id")));
    }
    json_decref(r->json);
    return 0;
}

/* A JSON number for a numeric argument, else a string (article ids, conflict ids). */
static json_t *arg_value(const char *s)
{
    size_t n = strlen(s);
    if (n && n < 16 && strspn(s, "0123456789") == n)
        return json_integer(strtoll(s, NULL, 10));
    return json_string(s);
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
    Data *d = NULL;
    if (data_open(cli_db_path(db), &d, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    DataReply r = {0};
    if (v == 0) {
        data_overrides(d, &r);
    } else if (v == 4) {
        char *end;
        long long id = strtoll(argv[optind + 1], &end, 10);
        if (*end || id <= 0) {
            cli_error("rm: '%s' is not a correction number (see rasd overrides)", argv[optind + 1]);
            data_close(d);
            return 2;
        }
        data_delete_override(d, id, &r);
    } else {
        json_t *body = json_pack("{s:s, s:o, s:o}", "kind", verb, verbs[v].a,
                                 arg_value(argv[optind + 1]), verbs[v].b,
                                 arg_value(argv[optind + 2]));
        if (body && note)
            json_object_set_new(body, "note", json_string(note));
        char *s = body ? json_dumps(body, JSON_COMPACT) : NULL;
        if (s)
            data_add_override(d, s, strlen(s), &r);
        else
            r.status = 500, snprintf(r.msg, sizeof r.msg, "out of memory");
        free(s);
        json_decref(body);
    }
    int rc = show(&r, json);
    data_close(d);
    return rc;
}
