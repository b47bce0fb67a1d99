/*
 * conflicts_ids.c — `rasd conflicts --json` for many stories in one
 * process: the story ids are read from stdin (one a line), each story's
 * conflicts printed as one JSON line {"story":N,"conflicts":[...]} when it
 * has any (the lines `rasd conflicts --db DB --json` prints for the same
 * stories). One process per list saves the per-call start-up (store, NER
 * model) when the 15 SaudiNewsNet days are listed by two workers:
 *   build/conflicts-ids DB < IDS > OUT
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"
#include "story/brief.h"

int main(int argc, char **argv)
{
    Store *st;
    rasd_error err;
    if (argc != 2) {
        fprintf(stderr, "usage: conflicts-ids DB < STORY_IDS\n");
        return 2;
    }
    if (store_open(argv[1], 1, &st, &err) != RASD_OK) {
        fprintf(stderr, "conflicts-ids: %s\n", err.msg);
        return 1;
    }
    long long id;
    int rc = 0;
    while (scanf("%lld", &id) == 1) {
        Buf b = {0};
        size_t n = 0;
        if (story_conflicts(st, id, 0, &b, &n, &err) != RASD_OK) {
            fprintf(stderr, "conflicts-ids: story %lld: %s\n", id, err.msg);
            rc = 1;
        } else if (n) {
            printf("{\"story\":%lld,\"conflicts\":%.*s}\n", id, (int)b.len, b.data);
            fflush(stdout);
        }
        buf_free(&b);
    }
    store_close(st);
    return rc;
}
