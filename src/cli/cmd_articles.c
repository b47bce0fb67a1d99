/*
 * cmd_articles.c — `rasd articles` lists what is stored, `rasd show ID`
 * prints one article (id: the 16-hex public id, a unique prefix, or a row number),
 * through the public API (rasd_engine_each_article, rasd_engine_article).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int parse(int argc, char **argv, const char **db, int *json, const char *usage)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        switch (c) {
        case 'd': *db = optarg; break;
        case 'j': *json = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    return -1;
}

static void json_field(rasd_buf *b, const char *k, const char *v, int comma)
{
    if (comma)
        rasd_buf_putc(b, ',');
    rasd_buf_put_json_string(b, k, strlen(k));
    rasd_buf_putc(b, ':');
    if (v)
        rasd_buf_put_json_string(b, v, strlen(v));
    else
        rasd_buf_puts(b, "null");
}

static void article_json(rasd_buf *b, const rasd_article *a, int with_body)
{
    rasd_buf_putc(b, '{');
    json_field(b, "id", a->id, 0);
    json_field(b, "title", a->title, 1);
    json_field(b, "outlet", a->outlet, 1);
    json_field(b, "agency", a->agency, 1);
    json_field(b, "published", a->published, 1);
    json_field(b, "url", a->url, 1);
    json_field(b, "author", a->author, 1);
    json_field(b, "origin", a->origin, 1);
    rasd_buf_printf(b, ",\"row\":%lld", (long long)a->row);
    if (a->split_from)
        rasd_buf_printf(b, ",\"split_from_row\":%lld", (long long)a->split_from);
    if (a->copy_of)
        rasd_buf_printf(b, ",\"copy_of_row\":%lld,\"copy_similarity\":%.3f", (long long)a->copy_of,
                   a->copy_similarity);
    if (with_body)
        json_field(b, "text", a->text, 1);
    rasd_buf_putc(b, '}');
}

/* Appends s cut or padded to width characters (code points, not bytes). */
static void put_padded(rasd_buf *b, const char *s, size_t width)
{
    size_t chars = 0, i = 0;
    while (s[i] && chars < width) {
        size_t k = i + 1;
        while (((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
        rasd_buf_append(b, s + i, k - i);
        i = k;
        chars++;
    }
    for (; chars < width; chars++)
        rasd_buf_putc(b, ' ');
}

typedef struct ListCtx {
    int json; /* JSON Lines instead of a table */
    rasd_buf out;  /* reused line buffer */
    rasd_engine *en; /* names the outlets in the table (rasd_outlet_name) */
} ListCtx;

static int list_one(void *ctx, const rasd_article *a)
{
    ListCtx *l = ctx;
    rasd_buf_reset(&l->out);
    if (l->json) {
        article_json(&l->out, a, 0);
    } else {
        rasd_buf t1 = {0}, t2 = {0}, t3 = {0}; /* terminal-safe copies (term.c) */
        rasd_buf_printf(&l->out, "%s  %-10.10s  ", a->id,
                   a->published ? cli_term_safe(a->published, &t3) : "-");
        put_padded(&l->out, a->outlet ? cli_term_safe(rasd_outlet_name(l->en, a->outlet), &t1)
                                      : "-",
                   20);
        rasd_buf_printf(&l->out, "  %s", a->title ? cli_term_safe(a->title, &t2) : "(no title)");
        rasd_buf_free(&t1);
        rasd_buf_free(&t2);
        rasd_buf_free(&t3);
        if (a->copy_of)
            rasd_buf_printf(&l->out, "  [copy of #%lld, %.2f]", (long long)a->copy_of,
                       a->copy_similarity);
        if (a->split_from)
            rasd_buf_printf(&l->out, "  [split from #%lld]", (long long)a->split_from);
    }
    rasd_buf_putc(&l->out, '\n');
    fwrite(l->out.data, 1, l->out.len, stdout);
    return 0;
}

int cmd_articles(int argc, char **argv)
{
    const char *db = NULL;
    int json = 0;
    int r = parse(argc, argv, &db, &json,
                  "usage: rasd articles [--db PATH] [--json]\n"
                  "  lists stored articles in publication order: id, date, outlet, title\n");
    if (r >= 0)
        return r;
    if (optind != argc) {
        cli_error("articles takes no arguments (see rasd articles --help)");
        return 2;
    }
    rasd_error err;
    rasd_engine *en = cli_open_engine(db, 1);
    if (!en)
        return 1;
    ListCtx l = {json, {0}, en};
    rasd_err e = rasd_engine_each_article(en, list_one, &l, &err);
    rasd_buf_free(&l.out);
    rasd_engine_close(en);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}

int cmd_show(int argc, char **argv)
{
    const char *db = NULL;
    int json = 0;
    int r = parse(argc, argv, &db, &json,
                  "usage: rasd show [--db PATH] [--json] ID\n"
                  "  prints one stored article; ID is its id, a unique prefix, or row number\n");
    if (r >= 0)
        return r;
    if (optind != argc - 1) {
        cli_error("show takes one article id (see rasd show --help)");
        return 2;
    }
    rasd_error err;
    rasd_engine *en = cli_open_engine(db, 1);
    if (!en)
        return 1;
    rasd_article *ap = NULL;
    rasd_err e = rasd_engine_article(en, argv[optind], &ap, &err);
    if (e != RASD_OK) {
        rasd_engine_close(en);
        cli_error("%s", err.msg);
        return 1;
    }
    const rasd_article a = *ap;
    rasd_buf b = {0};
    if (json) {
        article_json(&b, &a, 1);
        rasd_buf_putc(&b, '\n');
    } else {
        rasd_buf t1 = {0}, t2 = {0}; /* terminal-safe copies (term.c) */
        rasd_buf_printf(&b, "%s\n", a.title ? cli_term_safe(a.title, &t1) : "(no title)");
        rasd_buf_printf(&b, "id: %s   published: %s   outlet: %s", a.id,
                   a.published ? cli_term_safe(a.published, &t1) : "-",
                   a.outlet ? cli_term_safe(rasd_outlet_name(en, a.outlet), &t2) : "-");
        if (a.agency)
            rasd_buf_printf(&b, "   via: %s", cli_term_safe(a.agency, &t1));
        rasd_buf_printf(&b, "\norigin: %s\n", a.origin ? cli_term_safe(a.origin, &t1) : "-");
        if (a.url)
            rasd_buf_printf(&b, "url: %s\n", cli_term_safe(a.url, &t1));
        if (a.copy_of)
            rasd_buf_printf(&b, "near-copy of article #%lld (similarity %.2f)\n", (long long)a.copy_of,
                       a.copy_similarity);
        rasd_buf_printf(&b, "\n%s\n", a.text ? cli_term_safe(a.text, &t1) : "");
        rasd_buf_free(&t1);
        rasd_buf_free(&t2);
    }
    fwrite(b.data, 1, b.len, stdout);
    rasd_buf_free(&b);
    rasd_article_free(ap);
    rasd_engine_close(en);
    return 0;
}
