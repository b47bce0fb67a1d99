/*
 * embed.c — a program embedding rasd through include/rasd.h alone: opens an
 * engine on a store, ingests the articles given on the command line, lists
 * the stories, prints the first one's brief as JSON, then reads it as a
 * struct (rasd_brief) and prints its summary with each sentence's citation
 * and the brief rendered as Markdown.
 *   embed-example STORE PATH...
 * Built against an installed rasd with
 *   cc embed.c $(pkg-config --cflags --libs rasd)
 */
#include <stdio.h>

#include "rasd.h"

static int on_story(void *ctx, const rasd_story *s)
{
    int64_t *first = ctx;
    if (!*first)
        *first = s->id;
    printf("story %lld: %lld articles in %lld events: %s\n", (long long)s->id,
           (long long)s->articles, (long long)s->events, s->headline ? s->headline : "-");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: embed-example STORE PATH...\n");
        return 2;
    }
    rasd_engine *e = NULL;
    rasd_error err;
    rasd_ingest_stats st;
    int64_t first = 0;
    char *json = NULL;
    size_t len = 0;
    if (rasd_engine_open(argv[1], 0, &e, &err) != RASD_OK ||
        rasd_engine_ingest_paths(e, (const char *const *)argv + 2, (size_t)argc - 2, &st,
                                 &err) != RASD_OK ||
        rasd_engine_each_story(e, NULL, on_story, &first, &err) != RASD_OK ||
        rasd_engine_brief_json(e, first, 0, &json, &len, &err) != RASD_OK) {
        fprintf(stderr, "embed-example: %s\n", err.msg);
        rasd_engine_close(e);
        return 1;
    }
    printf("%zu articles read, %zu new\n%s\n", st.articles, st.added, json);
    rasd_free(json);
    rasd_brief *b = NULL;
    char *md = NULL;
    if (rasd_engine_brief(e, first, 0, &b, &err) != RASD_OK ||
        rasd_brief_render(b, RASD_FMT_MD, &md, NULL, &err) != RASD_OK) {
        fprintf(stderr, "embed-example: %s\n", err.msg);
        rasd_brief_free(b);
        rasd_engine_close(e);
        return 1;
    }
    printf("brief of story %lld: %zu summary sentences, %zu conflicts, %lld sources\n",
           (long long)b->story, b->nsummary, b->conflicts.n, (long long)b->sources);
    for (size_t i = 0; i < b->nsummary; i++)
        printf("  %s (article %s, bytes %u-%u, %lld sources)\n", b->summary[i].text,
               b->summary[i].article, b->summary[i].start, b->summary[i].end,
               (long long)b->summary[i].corroboration);
    fputs(md, stdout);
    rasd_free(md);
    rasd_brief_free(b);
    rasd_engine_close(e);
    return 0;
}
