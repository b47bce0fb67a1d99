/*
 * links.c — the article links of an HTML section page ("latest news"),
 * which `rasd watch` follows when a source is a page rather than a feed.
 *
 * Main idea: parse with libxml2's HTML parser (recover mode, no network),
 * take every <a href> in document order, resolve it against the page URL
 * (xmlBuildURI), drop the #fragment, and keep it when it stays on the
 * page's own origin and looks like an article: not the page itself or the
 * site root, not a parent section of the page, not a feed, image, style,
 * script or download, not mailto:/javascript:. Duplicates are dropped,
 * first-seen order is kept, and at most max links are returned, since
 * a section page lists the newest first.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "watch/fetch.h"
#include "watch/parse.h"

static int has_suffix(const char *path, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && !strncasecmp(path + n - k, suf, k);
}

static int skip_path(const char *path, size_t n)
{
    static const char *const bad[] = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".css",
                                      ".js", ".xml", ".rss", ".atom", ".pdf", ".zip", ".mp4",
                                      ".mp3", "/feed", "/rss", "/feed/"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (has_suffix(path, n, bad[i]))
            return 1;
    return 0;
}

static int list_has(const LinkList *l, const char *u)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], u))
            return 1;
    return 0;
}

typedef struct Walk {
    const char *base;      /* page URL */
    char origin[256];      /* its scheme://host:port */
    size_t base_path_len;  /* bytes of the page URL before '?' or '#' */
    size_t max;            /* links wanted */
    LinkList *out;         /* result */
    int oom;               /* allocation failed */
} Walk;

static void consider(Walk *w, const char *href)
{
    if (!strncasecmp(href, "mailto:", 7) || !strncasecmp(href, "javascript:", 11))
        return;
    xmlChar *abs = xmlBuildURI((const xmlChar *)href, (const xmlChar *)w->base);
    if (!abs)
        return;
    char *u = (char *)abs;
    char *hash = strchr(u, '#');
    if (hash)
        *hash = '\0';
    /* scheme and host are case-insensitive: keep them lower case, so that
       httPs://Site.example/a and https://site.example/a are one link */
    char *auth = strstr(u, "://");
    for (char *c = u; auth && c < auth + 3 + strcspn(auth + 3, "/?"); c++)
        *c = (char)tolower((unsigned char)*c);
    char origin[256];
    size_t ol;
    if (fetch_origin(u, origin, sizeof origin) < 0 || strcmp(origin, w->origin))
        goto done;
    ol = strlen(origin);
    const char *path = u + ol;
    size_t pn = strcspn(path, "?");
    if (pn <= 1 || skip_path(path, pn))
        goto done;
    /* the page itself or a section above it */
    if (strlen(u) <= w->base_path_len && !strncmp(u, w->base, strlen(u)))
        goto done;
    if (!strncmp(u, w->base, w->base_path_len) && strlen(u) == w->base_path_len)
        goto done;
    if (strpbrk(u, " \t\r\n") || list_has(w->out, u))
        goto done;
    if (w->out->n == w->out->cap) {
        size_t nc = w->out->cap ? w->out->cap * 2 : 16;
        char **nv = realloc(w->out->v, nc * sizeof *nv);
        if (!nv) {
            w->oom = 1;
            goto done;
        }
        w->out->v = nv;
        w->out->cap = nc;
    }
    w->out->v[w->out->n] = xstrndup(u, strlen(u));
    if (w->out->v[w->out->n])
        w->out->n++;
    else
        w->oom = 1;
done:
    xmlFree(abs);
}

static void walk(Walk *w, xmlNodePtr n)
{
    /* iterative pre-order walk: deep nesting cannot exhaust the stack */
    while (n && w->out->n < w->max && !w->oom) {
        if (n->type == XML_ELEMENT_NODE && n->name &&
            !xmlStrcasecmp(n->name, (const xmlChar *)"a")) {
            xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
            if (href) {
                consider(w, (const char *)href);
                xmlFree(href);
            }
        }
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
}

rasd_err links_extract(const char *html, size_t n, const char *base, size_t max, LinkList *out,
                       rasd_error *err)
{
    Walk w = {base, "", 0, max, out, 0};
    if (fetch_origin(base, w.origin, sizeof w.origin) < 0)
        return rasd_fail(err, RASD_EINVAL, "%s: not an http(s) URL", base);
    w.base_path_len = strcspn(base, "?#");
    if (n > (size_t)1 << 30)
        return rasd_fail(err, RASD_ETOOBIG, "%s: page over 1 GiB", base);
    htmlDocPtr doc = htmlReadMemory(html, (int)n, base, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
    if (!doc)
        return RASD_OK; /* nothing readable: no links */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root)
        walk(&w, root);
    xmlFreeDoc(doc);
    if (w.oom)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory collecting links", base);
    return RASD_OK;
}

void links_free(LinkList *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}
