/*
 * cmd_ingest.c — `rasd ingest`: stores files, folders and feeds; prints a
 * progress bar on stderr when it is a terminal and a summary at the end.
 * Exit 1 if any file or item failed, 0 otherwise; re-running is safe.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd ingest [--db PATH] [--manifest M] [--date D] [--outlet O]\n"
          "                   [--max-size BYTES] [-j N] PATH...\n"
          "       rasd ingest [--db PATH] --reannotate\n"
          "  PATH          a file (text, HTML, RSS/Atom, JSON Lines/array), a folder\n"
          "                (recursively; its manifest.jsonl supplies metadata) or - for stdin\n"
          "  --db PATH     database (default $RASD_DB or ./rasd.db)\n"
          "  --manifest M  JSON Lines {\"file\",\"published\",\"outlet\",\"url\"} for files\n"
          "                that lack them\n"
          "  --date D      publication date for articles that have none (YYYY-MM-DD)\n"
          "  --outlet O    outlet for articles that have none\n"
          "  --max-size N  refuse files over N bytes (default 64 MiB; k/M/G suffixes)\n"
          "  --no-entities do not tag and store names (faster; `rasd entities` will\n"
          "                not see these articles)\n"
          "  --no-stories  do not regroup the store into events and threads afterwards\n"
          "  --window D    days an event stays open after its last article (default 7)\n"
          "  -j, --jobs N  annotate on N threads (default: every core); the stored\n"
          "                result is the same for any N\n"
          "  --reannotate  (with no PATH) annotate the stored articles an older rasd\n"
          "                kept without annotations or with an older annotation format,\n"
          "                and rewrite story vectors in an older format (then regroup\n"
          "                on them: rasd stories --rebuild)\n"
          "  --times       print where the time went (read, annotate, store, group)\n"
          "  --no-refresh  do not rebuild the stored briefs and conflicts of the stories\n"
          "                that changed (views then compute them when read)\n"
          "  --quiet       only the summary and errors\n"
          "  -v, --verbose say each stage as it starts (reading, annotating, storing a\n"
          "                file; grouping; refreshing briefs)\n",
          to);
}

typedef struct Ui {
    int tty;        /* stderr is a terminal: draw a progress bar */
    int bar_shown;  /* a bar is on the current line */
    int quiet;      /* no per-article notes */
    int verbose;    /* say each stage as it starts */
} Ui;

static void clear_bar(Ui *ui);

/* --verbose: one line per stage, flushed at once (a watcher can act on it) */
static void say_stage(Ui *ui, const char *stage, const char *where)
{
    if (!ui->verbose)
        return;
    clear_bar(ui);
    rasd_buf t = {0};
    fprintf(stderr, "rasd: stage %s%s%s\n", stage, where ? " " : "",
            where ? cli_term_safe(where, &t) : "");
    fflush(stderr);
    rasd_buf_free(&t);
    /* for the kill test (tests/e2e/crash.sh): RASD_TEST_STAGE_DELAY=STAGE:MS
       holds the first start of STAGE for MS milliseconds, so a kill can be aimed */
    static int held;
    const char *d = getenv("RASD_TEST_STAGE_DELAY");
    size_t sl = strlen(stage);
    if (d && !held && strncmp(d, stage, sl) == 0 && d[sl] == ':') {
        held = 1;
        long ms = strtol(d + sl + 1, NULL, 10);
        if (ms > 0 && ms < 10000) {
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
}

static void on_stage(void *ctx, const char *stage, const char *where)
{
    say_stage(ctx, stage, where);
}

static void clear_bar(Ui *ui)
{
    if (ui->bar_shown) {
        fputs("\r\033[K", stderr);
        ui->bar_shown = 0;
    }
}

static void on_message(void *ctx, const char *m)
{
    Ui *ui = ctx;
    if (ui->quiet && strstr(m, "already stored"))
        return;
    clear_bar(ui);
    rasd_buf t = {0}; /* file names and titles from the inputs: terminal-safe (term.c) */
    fprintf(stderr, "rasd: %s\n", cli_term_safe(m, &t));
    rasd_buf_free(&t);
}

static void on_progress(void *ctx, size_t done, size_t total, const char *path)
{
    Ui *ui = ctx;
    if (!ui->tty || total == 0)
        return;
    int width = 30, fill = (int)(done * (size_t)width / total);
    rasd_buf safe = {0};
    fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu files %s", fill, "##############################",
            width - fill, "", done, total, path ? cli_term_safe(path, &safe) : "done");
    rasd_buf_free(&safe);
    ui->bar_shown = path != NULL;
    if (!path)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void on_refresh(void *ctx, size_t done, size_t total)
{
    Ui *ui = ctx;
    if (!ui->tty || total == 0)
        return;
    int width = 30, fill = (int)(done * (size_t)width / total);
    fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu stories: briefs", fill,
            "##############################", width - fill, "", done, total);
    ui->bar_shown = 1;
    fflush(stderr);
}

static volatile int interrupted;
static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static size_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v <= 0)
        return 0;
    switch (*end) {
    case 'k': case 'K': v *= 1024; break;
    case 'm': case 'M': v *= 1024 * 1024; break;
    case 'g': case 'G': v *= 1024.0 * 1024 * 1024; break;
    case '\0': break;
    default: return 0;
    }
    return (size_t)v;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},       {"manifest", required_argument, 0, 'm'},
        {"date", required_argument, 0, 'D'},     {"outlet", required_argument, 0, 'o'},
        {"max-size", required_argument, 0, 's'}, {"quiet", no_argument, 0, 'q'},
        {"no-entities", no_argument, 0, 'E'},    {"no-stories", no_argument, 0, 'S'},
        {"window", required_argument, 0, 'w'},   {"no-refresh", no_argument, 0, 'R'},
        {"jobs", required_argument, 0, 'j'},     {"reannotate", no_argument, 0, 'A'},     {"times", no_argument, 0, 'T'},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    const char *db = NULL;
    rasd_ingest_opts io = {0};
    Ui ui = {isatty(2), 0, 0, 0};
    int c, no_stories = 0, no_refresh = 0, show_times = 0, reannotate = 0, window_days = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hqvj:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'm': io.manifest = optarg; break;
        case 'D': io.date = optarg; break;
        case 'o': io.outlet = optarg; break;
        case 'q': ui.quiet = 1; break;
        case 'v': ui.verbose = 1; break;
        case 'E': io.no_entities = 1; break;
        case 'S': no_stories = 1; break;
        case 'R': no_refresh = 1; break;
        case 'T': show_times = 1; break;
        case 'A': reannotate = 1; break;
        case 'j':
            io.jobs = atoi(optarg);
            if (io.jobs < 1 || io.jobs > 64) {
                cli_error("--jobs: '%s' is not a number of threads from 1 to 64", optarg);
                return 2;
            }
            break;
        case 'w':
            window_days = atoi(optarg);
            if (window_days < 1 || window_days > 365) {
                cli_error("--window: '%s' is not a number of days from 1 to 365", optarg);
                return 2;
            }
            break;
        case 's':
            io.max_bytes = parse_size(optarg);
            if (!io.max_bytes) {
                cli_error("--max-size: '%s' is not a size (e.g. 50M)", optarg);
                return 2;
            }
            break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (reannotate && optind >= argc) { /* only the stored articles that lack annotations */
        rasd_error rerr;
        rasd_engine *ren = cli_open_engine(db, 0);
        if (!ren)
            return 1;
        size_t done = 0, nref = 0;
        rasd_err re = rasd_engine_reannotate(ren, &io, &done, &nref, &rerr);
        rasd_engine_close(ren);
        if (re != RASD_OK) {
            cli_error("%s", rerr.msg);
            return 1;
        }
        printf("%zu articles annotated, %zu stories refreshed\n", done, nref);
        return 0;
    }
    if (optind >= argc) {
        help(stderr);
        return 2;
    }
    if (io.date && !rasd_valid_date(io.date)) {
        cli_error("--date: '%s' is not a date (YYYY-MM-DD, or an ISO 8601 time)", io.date);
        return 2;
    }
    /* nothing to read: say so without creating an empty database */
    int readable = 0;
    for (int i = optind; i < argc && !readable; i++)
        readable = strcmp(argv[i], "-") == 0 || access(argv[i], F_OK) == 0;
    if (!readable) {
        for (int i = optind; i < argc; i++)
            cli_error("%s: no such file or folder", argv[i]);
        return 1;
    }
    /* Ctrl-C / SIGTERM: finish the file being stored, group what was stored, exit 130 */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    io.cancel = &interrupted;
    io.on_message = on_message;
    io.on_progress = on_progress;
    io.on_stage = on_stage;
    io.ctx = &ui;
    rasd_error err;
    rasd_engine *en = cli_open_engine(db, 0);
    if (!en)
        return 1;
    rasd_ingest_report s;
    rasd_err e = rasd_engine_ingest(en, &io, (const char *const *)(argv + optind),
                                    (size_t)(argc - optind), &s, &err);
    clear_bar(&ui);
    if (e != RASD_OK)
        cli_error("%s", err.msg);
    printf("%zu files: %zu articles read, %zu new, %zu duplicates, %zu near-copies, "
           "%zu split off; %zu files failed, %zu items failed, %zu empty items skipped\n",
           s.files, s.articles, s.added, s.duplicates, s.near_copies, s.split_off,
           s.files_failed, s.item_errors, s.skipped);
    if (show_times) {
        printf("time: read %.2f s, annotate %.2f s (%d threads; 0 = every core), store %.2f s; %.1f MB of text\n",
               s.read_s, s.annotate_s, io.jobs, s.store_s, s.bytes / 1e6);
        printf("cpu: read %.2f s, annotate %.2f s, store %.2f s\n", s.read_cpu, s.annotate_cpu,
               s.store_cpu);
    }
    if (interrupted)
        cli_error("interrupted: %zu new articles were stored; grouping them before exiting",
                  s.added);
    /* stories follow the new articles (the whole store, in publication order) */
    /* also completes a grouping an earlier run left unfinished (killed, disk full) */
    /* one writer of stories at a time when several workers share a store */
    int assign_locked = !no_stories && e == RASD_OK;
    if (assign_locked && (e = rasd_engine_lock_stories(en, &err)) != RASD_OK) {
        cli_error("stories: %s", err.msg);
        assign_locked = 0;
    }
    if (!no_stories && e == RASD_OK) {
        rasd_assign_report ss;
        struct timespec g0, g1;
        double c0 = rasd_cpu_seconds();
        clock_gettime(CLOCK_MONOTONIC, &g0);
        say_stage(&ui, "group", NULL);
        rasd_err se = rasd_engine_assign(en, window_days, &ss, &err);
        int ran = ss.ran;
        clock_gettime(CLOCK_MONOTONIC, &g1);
        if (show_times && ran) {
            printf("time: group %.2f s (cpu %.2f s)",
                   (double)(g1.tv_sec - g0.tv_sec) + (g1.tv_nsec - g0.tv_nsec) / 1e9,
                   rasd_cpu_seconds() - c0);
            if (ss.from_checkpoint) /* the days before the newest were restored */
                printf(", %zu articles from the checkpoint", ss.restored);
            printf("\n");
        }
        if (se != RASD_OK) {
            cli_error("stories: %s", err.msg);
            e = se;
        } else if (ran) {
            if (ss.bad_vectors)
                cli_error("stories: %zu stored story vectors could not be read and were left "
                          "out (`rasd stories --rebuild` after re-ingesting those articles)",
                          ss.bad_vectors);
            printf("stories: %zu articles in %zu events (%zu with 2+ articles), %zu thread%s\n",
                   ss.articles, ss.events, ss.multi, ss.threads, ss.threads == 1 ? "" : "s");
        }
        fflush(stdout);
        /* after a grouping, the stories whose members changed (in this run or
           an unfinished earlier one: the store recorded them) get their briefs
           rebuilt, not a scan of every story; a run that placed nothing
           skips it, and a story left stale is built from stored annotations
           when read. */
        /* a run killed while refreshing left the marker: this run finishes it */
        if (se == RASD_OK && (ran || rasd_engine_refresh_pending(en)) && !no_refresh) {
            size_t nref = 0;
            say_stage(&ui, "refresh", NULL);
            c0 = rasd_cpu_seconds();
            clock_gettime(CLOCK_MONOTONIC, &g0);
            rasd_err re = rasd_engine_refresh_changed(en, io.jobs, on_refresh, &ui, &nref, &err);
            clock_gettime(CLOCK_MONOTONIC, &g1);
            if (show_times)
                printf("time: refresh %.2f s (cpu %.2f s)\n",
                       (double)(g1.tv_sec - g0.tv_sec) + (g1.tv_nsec - g0.tv_nsec) / 1e9,
                       rasd_cpu_seconds() - c0);
            clear_bar(&ui);
            if (re != RASD_OK) {
                cli_error("refreshing stored briefs: %s", err.msg);
                e = re;
            } else if (nref) {
                printf("briefs: %zu stories refreshed\n", nref);
            }
        }
    }
    if (assign_locked)
        rasd_engine_unlock_stories(en);
    rasd_engine_close(en);
    if (interrupted)
        return 130;
    return (e != RASD_OK || s.files_failed || s.item_errors) ? 1 : 0;
}
