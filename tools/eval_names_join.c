/*
 * eval_names_join.c — every join the entity summary's store-wide identity
 * rule makes (src/store/entsum.h, EntJoin: a one-word person key listed with
 * the full-name key whose last or first word it is), for judging by hand:
 *
 *   build/eval-names-join STORE.db [JUDGED.tsv]
 *
 * Prints one line per joining key: its mentions, its most used spellings,
 * then the full name it joins with its mentions and spellings. With
 * JUDGED.tsv ("key TAB target TAB y|n TAB note", # comments; y = the same
 * person), counts the joins judged right, wrong and not judged yet.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/entsum.h"

/* The first three spellings of (key, PER) as one line, into out. */
static void spellings(sqlite3_stmt *q, const char *key, char *out, size_t cap)
{
    out[0] = '\0';
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) != SQLITE_ROW)
        return;
    const char *s = (const char *)sqlite3_column_text(q, 0);
    size_t n = 0;
    for (int lines = 0; s && *s && lines < 3 && n + 2 < cap; s++) {
        if (*s == '\n') {
            lines++;
            if (lines < 3)
                out[n++] = ' ', out[n++] = '/';
            continue;
        }
        out[n++] = *s == '\t' ? ':' : *s;
    }
    out[n < cap ? n : cap - 1] = '\0';
}

/* EntGet over table entities (gctx: the prepared read of one row). */
static int get_row(void *gctx, const char *key, const char *type, int64_t handle, EntRow *out)
{
    sqlite3_stmt *q = gctx;
    (void)handle;
    if (strcmp(type, "PER") != 0)
        return -1; /* the tool asks about persons only */
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) != SQLITE_ROW)
        return -1;
    EntRow r = {key, type, 0, 0, (const char *)sqlite3_column_text(q, 0), NULL, NULL, NULL};
    *out = r;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: eval-names-join STORE.db [JUDGED.tsv]\n");
        return 2;
    }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_stmt *all, *sp;
    if (sqlite3_prepare_v2(db, "SELECT key, mentions FROM entities WHERE type = 'PER'", -1, &all,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT spellings FROM entities WHERE type = 'PER' AND key = ?1",
                           -1, &sp, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    EntJoin j;
    entsum_join_init(&j);
    Buf keys = {0}; /* the one-word keys, NUL after each */
    Buf ments = {0}; /* int64_t mentions of each */
    size_t nkeys = 0;
    while (sqlite3_step(all) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(all, 0);
        int64_t m = sqlite3_column_int64(all, 1);
        if (!k)
            continue;
        entsum_join_add(&j, k, "PER", m, 0);
        if (!strchr(k, ' ')) {
            buf_append(&keys, k, strlen(k) + 1);
            buf_append(&ments, &m, sizeof m);
            nkeys++;
        }
    }
    if (entsum_join_build(&j, get_row, sp) < 0 || keys.oom || ments.oom) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    /* the judgements */
    char *judged = NULL;
    size_t jlen = 0;
    if (argc > 2) {
        FILE *f = fopen(argv[2], "r");
        if (!f) {
            fprintf(stderr, "%s: cannot open\n", argv[2]);
            return 1;
        }
        Buf b = {0};
        char line[4096];
        while (fgets(line, sizeof line, f))
            buf_puts(&b, line);
        fclose(f);
        judged = b.data;
        jlen = b.len;
    }
    int joins = 0, right = 0, wrong = 0, unjudged = 0;
    int64_t moved = 0;
    const char *k = keys.data;
    const int64_t *m = (const int64_t *)ments.data;
    for (size_t i = 0; i < nkeys; i++, k += strlen(k) + 1) {
        const char *t = entsum_join_target(&j, k);
        if (!t)
            continue;
        char a[512], b[512], pat[1024];
        spellings(sp, k, a, sizeof a);
        spellings(sp, t, b, sizeof b);
        joins++;
        moved += m[i];
        char verdict = '?';
        snprintf(pat, sizeof pat, "\n%s\t%s\t", k, t);
        const char *hit = judged ? strstr(judged, pat) : NULL;
        size_t pl = strlen(pat) - 1; /* the judged file's first line has no \n before it */
        if (hit)
            verdict = hit[pl + 1];
        else if (judged && jlen > pl && strncmp(judged, pat + 1, pl) == 0)
            verdict = judged[pl];
        right += verdict == 'y';
        wrong += verdict == 'n';
        unjudged += verdict != 'y' && verdict != 'n';
        printf("%c\t%s\t%lld\t%s\t=>\t%s\t%s\n", verdict, k, (long long)m[i], a, t, b);
    }
    printf("# %d one-word person keys join a full name (%lld mentions); judged right %d, "
           "wrong %d, not judged %d\n",
           joins, (long long)moved, right, wrong, unjudged);
    free(judged);
    buf_free(&keys);
    buf_free(&ments);
    entsum_join_free(&j);
    sqlite3_finalize(all);
    sqlite3_finalize(sp);
    sqlite3_close(db);
    return 0;
}
