/*
 * cmd_migrate.c — `rasd migrate --from SRC --to DST`: copies a whole archive
 * from one store to another (SQLite → PostgreSQL, or back) with
 * rasd_engine_migrate (one transaction on the target, which must hold no
 * articles; src/engine/api_migrate.c says what is copied), then verifies
 * that both stores hold the same number of articles with the same hashes
 * (rasd_engine_checksum); exit 1 if not.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd migrate --from SRC --to DST [--quiet]\n"
          "  SRC, DST      an SQLite file or postgresql://… (DST must hold no articles)\n"
          "  Copies articles, annotations, names, near-copy links, stories and\n"
          "  sightings in one transaction, then checks that both stores hold the same\n"
          "  number of articles with the same hashes.\n",
          to);
}

/* Article count and hash checksum of a store; -1 after printing why. */
static int checksum(rasd_engine *e, const char *name, size_t *n, uint64_t *sum)
{
    rasd_error err;
    if (rasd_engine_checksum(e, n, sum, &err) != RASD_OK) {
        cli_error("%s: %s", name, err.msg);
        return -1;
    }
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL, *to = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'q': break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (!from || !to || optind != argc) {
        help(stderr);
        return 2;
    }
    if (strcmp(from, to) == 0) {
        cli_error("--from and --to name the same store");
        return 2;
    }
    rasd_engine *src = cli_open_engine(from, 1);
    if (!src)
        return 1;
    rasd_engine *dst = cli_open_engine(to, 0);
    if (!dst) {
        rasd_engine_close(src);
        return 1;
    }
    int rc = 1;
    size_t held = rasd_engine_article_count(dst);
    rasd_error err;
    rasd_migrate_report m = {0};
    if (held) {
        cli_error("%s already holds %zu articles; migrate into an empty store", to, held);
        goto done;
    }
    if (rasd_engine_migrate(src, dst, &m, &err) != RASD_OK) {
        cli_error("migrate %s -> %s: %s (nothing was written)", from, to, err.msg);
        goto done;
    }
    size_t na = 0, nb = 0;
    uint64_t sa = 0, sb = 0;
    if (checksum(src, from, &na, &sa) != 0 || checksum(dst, to, &nb, &sb) != 0)
        goto done;
    printf("migrated %zu articles (%zu mentions, %zu without annotations), %zu near-copy "
           "links, %zu story vectors, %zu threads, %zu events, %zu document frequencies, "
           "%zu sightings\n",
           m.articles, m.mentions, m.unannotated, m.links, m.vecs, m.threads, m.events, m.dfs,
           m.sightings);
    if (na != nb || sa != sb) {
        cli_error("verification FAILED: %s has %zu articles (hash checksum %016llx), %s has "
                  "%zu (%016llx)",
                  from, na, (unsigned long long)sa, to, nb, (unsigned long long)sb);
        goto done;
    }
    printf("verified: %zu articles on both, hash checksum %016llx\n", na, (unsigned long long)sa);
    rc = 0;
done:
    rasd_engine_close(dst);
    rasd_engine_close(src);
    return rc;
}
