/*
 * cmd_watch.c — `rasd watch`: polls the stored sources (added with
 * --sources FILE or `rasd sources add`), stores what is new through the
 * engine and updates the stories at once; `--once` polls the due sources
 * one time and exits (for cron), otherwise it runs until SIGINT/SIGTERM,
 * sleeping until the next source is due. Alert rules (`rasd alert`) are
 * checked after every round that stored something; alerts go to stdout as
 * JSON Lines (or --alerts FILE) and optionally to a webhook.
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
    fputs("usage: rasd watch [--db PATH] [--sources FILE] [--once] [OPTIONS]\n"
          "  --sources FILE   add the sources of FILE (one \"URL [outlet]\" a line, or an\n"
          "                   OPML export) before polling; they are remembered\n"
          "  --once           poll the due sources once and exit (for cron)\n"
          "  --all            poll every source now, due or not\n"
          "  --interval S     shortest polling interval in seconds (default 300)\n"
          "  --max-interval S longest interval and backoff in seconds (default 21600)\n"
          "  --timeout S      total time per request (default 30)\n"
          "  --stall S        cut a response under 64 bytes/s for S seconds (default 10)\n"
          "  --max-size N     largest response after decoding (default 8M; k/M suffixes)\n"
          "  --per-host N     requests in flight to one host (default 2)\n"
          "  --host-delay MS  least time between two requests to one host (default 0)\n"
          "  --max-links N    article links followed per section page (default 20)\n"
          "  --no-pages       keep feed text; do not fetch article pages\n"
          "  --rounds N       stop after N polling rounds\n"
          "  --duration S     stop after S seconds\n"
          "  --alerts FILE    append alerts (JSON Lines) to FILE instead of stdout\n"
          "  --webhook URL    also POST each alert to URL (http/https)\n"
          "  --base-url URL   links in alerts: URL/stories/N/brief (default: a command)\n"
          "  --stats FILE     append one JSON line per round (timings, counts)\n"
          "  --quiet          only errors and round summaries\n",
          to);
}

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct Ui {
    int quiet;  /* no per-source lines */
} Ui;

static void on_msg(void *ctx, int is_error, const char *m)
{
    Ui *ui = ctx;
    if (!is_error && ui->quiet)
        return;
    fprintf(stderr, "rasd: %s\n", m);
}

static void on_engine_msg(void *ctx, const char *m)
{
    Ui *ui = ctx;
    if (ui->quiet || strstr(m, "already stored"))
        return;
    fprintf(stderr, "rasd: %s\n", m);
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
    case '\0': break;
    default: return 0;
    }
    return (size_t)v;
}

static int parse_num(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        cli_error("--%s: '%s' is not a number from %ld to %ld", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

typedef struct Sink {
    FILE *out;            /* alerts destination */
    const char *webhook;  /* or NULL */
    rasd_watch *w;        /* posts to the webhook within its limits */
} Sink;

static void emit_alert(void *ctx, const char *json, size_t n)
{
    Sink *s = ctx;
    fwrite(json, 1, n, s->out);
    fputc('\n', s->out);
    fflush(s->out);
    if (s->webhook) {
        rasd_error err;
        long status = 0;
        if (rasd_watch_post_json(s->w, s->webhook, json, n, &status, &err) != RASD_OK)
            cli_error("%s", err.msg);
        else if (status < 200 || status >= 300)
            cli_error("webhook %s: HTTP %ld", s->webhook, status);
    }
}

static void write_stats(FILE *f, int64_t now, const rasd_watch_round *r)
{
    fprintf(f,
            "{\"at\":%lld,\"sources\":%zu,\"unchanged\":%zu,\"failed\":%zu,\"items\":%zu,"
            "\"fresh\":%zu,\"pages\":%zu,\"pages_failed\":%zu,\"added\":%zu,\"duplicates\":%zu,"
            "\"near_copies\":%zu,\"assigned\":%d,\"fetch_s\":%.4f,\"store_s\":%.4f,"
            "\"assign_s\":%.4f,\"total_s\":%.4f,\"latency_s\":%.4f}\n",
            (long long)now, r->sources, r->unchanged, r->failed, r->items, r->fresh, r->pages,
            r->pages_failed, r->added, r->duplicates, r->near_copies, r->assigned, r->fetch_s,
            r->store_s, r->assign_s, r->total_s, r->latency_s);
    fflush(f);
}

static void sleep_until(int64_t when, double max_s)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    double waited = 0;
    while (!stop && time(NULL) < when && waited < max_s) {
        nanosleep(&ts, NULL);
        waited += 0.1;
    }
}

int cmd_watch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},         {"sources", required_argument, 0, 's'},
        {"once", no_argument, 0, '1'},             {"all", no_argument, 0, 'A'},
        {"interval", required_argument, 0, 'i'},   {"max-interval", required_argument, 0, 'I'},
        {"timeout", required_argument, 0, 't'},    {"stall", required_argument, 0, 'S'},
        {"max-size", required_argument, 0, 'm'},   {"per-host", required_argument, 0, 'p'},
        {"host-delay", required_argument, 0, 'D'}, {"max-links", required_argument, 0, 'L'},
        {"no-pages", no_argument, 0, 'P'},         {"rounds", required_argument, 0, 'r'},
        {"duration", required_argument, 0, 'u'},   {"alerts", required_argument, 0, 'a'},
        {"webhook", required_argument, 0, 'w'},    {"base-url", required_argument, 0, 'b'},
        {"stats", required_argument, 0, 'T'},      {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
    const char *db = NULL, *sources = NULL, *alerts_path = NULL, *stats_path = NULL;
    const char *base_url = NULL;
    rasd_watch_opts wo;
    memset(&wo, 0, sizeof wo);
    Ui ui = {0};
    Sink sink = {stdout, NULL, NULL};
    int once = 0;
    long v, rounds = 0, duration = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': sources = optarg; break;
        case '1': once = 1; break;
        case 'A': wo.force = 1; break;
        case 'i':
            if (parse_num("interval", optarg, 1, 86400, &v) < 0)
                return 2;
            wo.min_interval = v;
            break;
        case 'I':
            if (parse_num("max-interval", optarg, 1, 7 * 86400, &v) < 0)
                return 2;
            wo.max_interval = v;
            break;
        case 't':
            if (parse_num("timeout", optarg, 1, 3600, &v) < 0)
                return 2;
            wo.timeout_s = v;
            break;
        case 'S':
            if (parse_num("stall", optarg, 1, 3600, &v) < 0)
                return 2;
            wo.low_speed_s = v;
            break;
        case 'm':
            wo.max_bytes = parse_size(optarg);
            if (!wo.max_bytes) {
                cli_error("--max-size: '%s' is not a size (e.g. 8M)", optarg);
                return 2;
            }
            break;
        case 'p':
            if (parse_num("per-host", optarg, 1, 64, &v) < 0)
                return 2;
            wo.per_host = (int)v;
            break;
        case 'D':
            if (parse_num("host-delay", optarg, 0, 600000, &v) < 0)
                return 2;
            wo.host_delay_ms = v;
            break;
        case 'L':
            if (parse_num("max-links", optarg, 1, 1000, &v) < 0)
                return 2;
            wo.max_links = (size_t)v;
            break;
        case 'P': wo.no_pages = 1; break;
        case 'r':
            if (parse_num("rounds", optarg, 1, 1L << 30, &rounds) < 0)
                return 2;
            break;
        case 'u':
            if (parse_num("duration", optarg, 1, 1L << 30, &duration) < 0)
                return 2;
            break;
        case 'a': alerts_path = optarg; break;
        case 'w': sink.webhook = optarg; break;
        case 'b': base_url = optarg; break;
        case 'T': stats_path = optarg; break;
        case 'q': ui.quiet = 1; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind < argc) {
        cli_error("watch: unexpected argument '%s'", argv[optind]);
        return 2;
    }
    rasd_error err;
    FILE *stats = NULL;
    if (alerts_path && !(sink.out = fopen(alerts_path, "a"))) {
        cli_error("--alerts %s: cannot open for writing", alerts_path);
        return 1;
    }
    if (stats_path && !(stats = fopen(stats_path, "a"))) {
        cli_error("--stats %s: cannot open for writing", stats_path);
        if (alerts_path)
            fclose(sink.out);
        return 1;
    }
    int rc = 0;
    rasd_engine *en = cli_open_engine(db, 0);
    rasd_watch *w = NULL;
    if (!en) {
        rc = 1;
        goto out;
    }
    if (sources && cli_add_sources(en, sources, 0) < 0) {
        rc = 1;
        goto out;
    }
    wo.on_ingest_message = on_engine_msg;
    wo.on_message = on_msg;
    wo.ctx = &ui;
    if (rasd_watch_open(en, &wo, &w, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        rc = 1;
        goto out;
    }
    sink.w = w;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    time_t start = time(NULL);
    long done = 0;
    while (!stop) {
        int64_t now = (int64_t)time(NULL);
        rasd_watch_round r;
        if (rasd_watch_poll(w, now, &r, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
            break;
        }
        if (r.sources) {
            fprintf(stderr,
                    "rasd: watch: %zu sources polled (%zu unchanged, %zu failed): %zu new items, "
                    "%zu articles stored, %zu duplicates; %zu pages fetched; stories %s after "
                    "%.2f s (round %.2f s)\n",
                    r.sources, r.unchanged, r.failed, r.fresh, r.added, r.duplicates, r.pages,
                    r.assigned ? "updated" : "unchanged", r.latency_s, r.total_s);
            if (stats)
                write_stats(stats, now, &r);
            size_t sent = 0;
            if (rasd_watch_alerts(w, now, base_url, cli_db_path(db), emit_alert, &sink, &sent,
                                  &err) != RASD_OK)
                cli_error("alerts: %s", err.msg);
        }
        if (!r.sources && once) {
            int64_t next = 0;
            int found = 0;
            if (rasd_watch_next_due(w, &next, &found, &err) == RASD_OK)
                fprintf(stderr, found ? "rasd: watch: no source is due; the next in %lld s "
                                        "(--all polls every source now)\n"
                                      : "rasd: watch: no sources (add some with --sources FILE "
                                        "or `rasd sources add URL`)\n",
                        (long long)(next - now));
        }
        done++;
        if (once || (rounds && done >= rounds) ||
            (duration && time(NULL) - start >= duration))
            break;
        int64_t next = now + 60;
        int found = 0;
        if (rasd_watch_next_due(w, &next, &found, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            rc = 1;
            break;
        }
        if (!found)
            next = now + 60;
        if (wo.force)
            next = now + (wo.min_interval ? wo.min_interval : 300);
        double left = duration ? (double)(duration - (time(NULL) - start)) : 1e9;
        sleep_until(next, left);
        if (duration && time(NULL) - start >= duration)
            break;
    }
out:
    rasd_watch_close(w);
    rasd_engine_close(en);
    if (alerts_path)
        fclose(sink.out);
    if (stats)
        fclose(stats);
    return rc;
}
