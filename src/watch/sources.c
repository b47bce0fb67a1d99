/*
 * sources.c — what `rasd watch --sources FILE` reads: either a plain list,
 * one source a line as "URL [outlet name]" (blank lines and # comments
 * skipped), or an OPML file exported from a feed reader, whose <outline>
 * elements carry xmlUrl (the feed) and title/text (the outlet).
 *
 * The choice is made from the content: bytes that start (after a BOM and
 * whitespace) with '<' and hold "<opml" are OPML. The OPML parse uses
 * libxml2 with no network, no DTD and no entity substitution, as feed.c
 * does, so an OPML file cannot make us read a local file or expand entities.
 * Only http and https URLs are accepted; anything else is a named line error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "watch/parse.h"

static void list_error(SourceList *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void list_error(SourceList *l, const char *fmt, ...)
{
    if (l->nerrors == l->caperrors) {
        size_t nc = l->caperrors ? l->caperrors * 2 : 8;
        char **nv = realloc(l->errors, nc * sizeof *nv);
        if (!nv)
            return;
        l->errors = nv;
        l->caperrors = nc;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *m = xstrndup(msg, strlen(msg));
    if (m)
        l->errors[l->nerrors++] = m;
}

static int is_http(const char *u, size_t n)
{
    return (n > 7 && !strncasecmp(u, "http://", 7)) || (n > 8 && !strncasecmp(u, "https://", 8));
}

static int has_space_or_ctl(const char *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] <= ' ' || u[i] == 0x7f)
            return 1;
    return 0;
}

/* 0 added (or a duplicate skipped), -1 out of memory */
static int list_add(SourceList *l, const char *url, size_t un, const char *outlet, size_t on)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i].url) == un && !memcmp(l->v[i].url, url, un))
            return 0;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        SourceSpec *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    SourceSpec *s = &l->v[l->n];
    s->url = xstrndup(url, un);
    s->outlet = on ? xstrndup(outlet, on) : NULL;
    if (!s->url || (on && !s->outlet)) {
        free(s->url);
        free(s->outlet);
        return -1;
    }
    l->n++;
    return 0;
}

static rasd_err parse_lines(const char *p, size_t n, const char *origin, SourceList *out,
                            rasd_error *err)
{
    size_t line = 0, i = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && p[i] != '\n')
            i++;
        size_t e = i++;
        line++;
        while (s < e && (p[s] == ' ' || p[s] == '\t' || p[s] == '\r'))
            s++;
        while (e > s && (p[e - 1] == ' ' || p[e - 1] == '\t' || p[e - 1] == '\r'))
            e--;
        if (s == e || p[s] == '#')
            continue;
        size_t u = s;
        while (u < e && p[u] != ' ' && p[u] != '\t')
            u++;
        size_t o = u;
        while (o < e && (p[o] == ' ' || p[o] == '\t'))
            o++;
        if (!is_http(p + s, u - s) || has_space_or_ctl(p + s, u - s)) {
            list_error(out, "%s:%zu: '%.*s' is not an http:// or https:// URL", origin, line,
                       (int)(u - s > 80 ? 80 : u - s), p + s);
            continue;
        }
        if (u - s > 2000) {
            list_error(out, "%s:%zu: URL longer than 2000 bytes", origin, line);
            continue;
        }
        if (memchr(p + o, '\0', e - o))
            o = e;
        if (list_add(out, p + s, u - s, p + o, e - o) < 0)
            return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", origin);
    }
    return RASD_OK;
}

static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = xstrndup((const char *)v, strlen((const char *)v));
    xmlFree(v);
    return s;
}

static int walk_outlines(xmlNodePtr n, const char *origin, SourceList *out, int depth)
{
    if (depth > 64)
        return 0;
    for (xmlNodePtr c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcasecmp(c->name, (const xmlChar *)"outline")) {
            char *url = prop(c, "xmlUrl");
            if (!url)
                url = prop(c, "url");
            if (url) {
                char *name = prop(c, "title");
                if (!name || !*name) {
                    free(name);
                    name = prop(c, "text");
                }
                size_t un = strlen(url);
                int rc = 0;
                if (!is_http(url, un) || has_space_or_ctl(url, un))
                    list_error(out, "%s:%ld: outline xmlUrl '%.80s' is not an http(s) URL",
                               origin, (long)xmlGetLineNo(c), url);
                else
                    rc = list_add(out, url, un, name, name ? strlen(name) : 0);
                free(url);
                free(name);
                if (rc < 0)
                    return -1;
            }
        }
        if (walk_outlines(c->children, origin, out, depth + 1) < 0)
            return -1;
    }
    return 0;
}

static int looks_opml(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i >= n || p[i] != '<')
        return 0;
    size_t lim = n - i < 4096 ? n - i : 4096;
    for (size_t k = i; k + 5 <= i + lim; k++)
        if (!strncasecmp(p + k, "<opml", 5))
            return 1;
    return 0;
}

rasd_err sources_parse(const char *bytes, size_t n, const char *origin, SourceList *out,
                       rasd_error *err)
{
    if (!origin)
        origin = "sources";
    if (!looks_opml(bytes, n))
        return parse_lines(bytes, n, origin, out, err);
    if (n > (size_t)1 << 30)
        return rasd_fail(err, RASD_ETOOBIG, "%s: OPML file over 1 GiB", origin);
    int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_COMPACT;
    xmlDocPtr doc = xmlReadMemory(bytes, (int)n, NULL, NULL, opts);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || xmlStrcasecmp(root->name, (const xmlChar *)"opml")) {
        xmlFreeDoc(doc);
        return rasd_fail(err, RASD_EFORMAT, "%s: not an OPML file (no <opml> root element)",
                         origin);
    }
    int rc = walk_outlines(root->children, origin, out, 0);
    xmlFreeDoc(doc);
    if (rc < 0)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", origin);
    return RASD_OK;
}

void sources_free(SourceList *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].url);
        free(l->v[i].outlet);
    }
    for (size_t i = 0; i < l->nerrors; i++)
        free(l->errors[i]);
    free(l->v);
    free(l->errors);
    memset(l, 0, sizeof *l);
}
