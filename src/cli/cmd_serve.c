/*
 * cmd_serve.c — `rasd serve`: the JSON API and the web UI on one address
 * (127.0.0.1:8080 by default) until SIGINT or SIGTERM. The write token
 * comes from a file (--token-file) or $RASD_TOKEN, never from the command
 * line where other users could read it; without one the API is read-only.
 * Prints the URL it listens on as its first line on stdout, so scripts
 * that pass --port 0 learn the port.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd serve [--db PATH] [--bind ADDR] [--port N] [--web DIR]\n"
          "                  [--token-file FILE] [--threads N] [--workers N] [--timeout S]\n"
          "                  [--max-body BYTES] [--cors ORIGIN] [--quiet]\n"
          "  the JSON API (docs/api.md) and the web UI\n"
          "  --db PATH         database (default $RASD_DB or ./rasd.db)\n"
          "  --bind ADDR       IPv4 address to listen on (default 127.0.0.1)\n"
          "  --port N          port (default 8080; 0 picks a free one)\n"
          "  --web DIR         folder of the web UI (default ./web when it exists)\n"
          "  --token-file FILE the write token (first line); else $RASD_TOKEN; without\n"
          "                    one, ingest and corrections are refused (read-only API)\n"
          "  --threads N       threads answering requests (default 8)\n"
          "  --workers N       threads for slow requests: briefs, ingest (default 4)\n"
          "  --timeout S       close connections idle or slow for S seconds (default 15)\n"
          "  --max-body BYTES  largest request body (default 16777216)\n"
          "  --cors ORIGIN     allow this origin to call the API from a browser\n"
          "  --quiet           do not log problems with requests\n",
          to);
}

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "rasd serve: %s\n", line);
}

/* The first line of path into out (malloc'd), or NULL after printing why. */
static char *read_token(const char *path)
{
    rasd_buf b = {0};
    if (cli_read_file(path, &b) < 0)
        return NULL;
    char *t = rasd_buf_steal(&b);
    if (!t) {
        cli_error("--token-file: %s is empty", path);
        return NULL;
    }
    t[strcspn(t, "\r\n")] = '\0';
    return t;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > max || *s == '-')
        return -1;
    *out = v;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},         {"bind", required_argument, 0, 'b'},
        {"port", required_argument, 0, 'p'},       {"web", required_argument, 0, 'w'},
        {"token-file", required_argument, 0, 't'}, {"threads", required_argument, 0, 'T'},
        {"workers", required_argument, 0, 'W'},
        {"timeout", required_argument, 0, 'o'},    {"max-body", required_argument, 0, 'm'},
        {"cors", required_argument, 0, 'c'},       {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
    const char *db = NULL, *token_file = NULL;
    rasd_serve_opts cfg = {0};
    cfg.bind = "127.0.0.1";
    cfg.port = 8080;
    cfg.log = log_line;
    int c;
    unsigned long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'b': cfg.bind = optarg; break;
        case 'p':
            if (parse_uint(optarg, 65535, &v) < 0) {
                cli_error("--port: '%s' is not a port number (0-65535)", optarg);
                return 2;
            }
            cfg.port = (unsigned)v;
            break;
        case 'w': cfg.web_root = optarg; break;
        case 't': token_file = optarg; break;
        case 'T':
            if (parse_uint(optarg, 256, &v) < 0 || v == 0) {
                cli_error("--threads: '%s' is not a number from 1 to 256", optarg);
                return 2;
            }
            cfg.threads = (unsigned)v;
            break;
        case 'W':
            if (parse_uint(optarg, 256, &v) < 0 || v == 0) {
                cli_error("--workers: '%s' is not a number from 1 to 256", optarg);
                return 2;
            }
            cfg.workers = (unsigned)v;
            break;
        case 'o':
            if (parse_uint(optarg, 3600, &v) < 0 || v == 0) {
                cli_error("--timeout: '%s' is not a number of seconds from 1 to 3600", optarg);
                return 2;
            }
            cfg.timeout = (unsigned)v;
            break;
        case 'm':
            if (parse_uint(optarg, 1UL << 30, &v) < 0 || v == 0) {
                cli_error("--max-body: '%s' is not a size in bytes up to 1 GiB", optarg);
                return 2;
            }
            cfg.max_body = v;
            break;
        case 'c': cfg.cors_origin = optarg; break;
        case 'q': cfg.log = NULL; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (optind != argc) {
        help(stderr);
        return 2;
    }
    struct stat sb;
    if (!cfg.web_root && stat("web/index.html", &sb) == 0)
        cfg.web_root = "web";
    char *token = NULL;
    if (token_file) {
        if (!(token = read_token(token_file)))
            return 1;
    } else if (getenv("RASD_TOKEN") && *getenv("RASD_TOKEN")) {
        token = strdup(getenv("RASD_TOKEN"));
    }
    if (token && strlen(token) < 16) {
        cli_error("the write token must be at least 16 characters");
        free(token);
        return 2;
    }
    cfg.token = token;
    /* SIGINT/SIGTERM are waited for; blocked before the threads start */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    rasd_error err;
    rasd_server *srv = NULL;
    if (rasd_serve_start(cli_db_path(db), &cfg, &srv, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        free(token);
        return 1;
    }
    printf("http://%s:%u/\n", cfg.bind, rasd_server_port(srv));
    fflush(stdout);
    fprintf(stderr, "rasd serve: %s on http://%s:%u/ (%s; %s)\n", cli_db_path(db), cfg.bind,
            rasd_server_port(srv), cfg.web_root ? "web UI and API" : "API only",
            token ? "writes need the token" : "read-only");
    int sig;
    sigwait(&set, &sig);
    fprintf(stderr, "rasd serve: stopping\n");
    rasd_serve_stop(srv);
    free(token);
    return 0;
}
