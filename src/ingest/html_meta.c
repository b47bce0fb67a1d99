/*
 * html_meta.c — the metadata of a web page (split from html.c): headline,
 * outlet, date, canonical URL and byline, each offered by its sources with a
 * priority (JSON-LD article objects first, then <meta>/<link>/<time>, then
 * <title> and <h1>), and the site name cut from a "headline - site" title.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "ingest.h"
#include "readers.h"
#include "text/text.h"
#include "html_int.h"

/* ------------------------------------------------------------------ */
/* Metadata.                                                            */

/* Offers a value (copied, cleaned) for a field at a priority. */
static void offer(Field *f, const char *v, int prio)
{
    if (!v || prio <= f->prio)
        return;
    char *c = html_clean_meta_value(v);
    if (!c)
        return;
    free(f->v);
    f->v = c;
    f->prio = prio;
}

static void offer_date(Field *f, const char *v, int prio)
{
    if (!v || prio <= f->prio)
        return;
    char *d = ingest_parse_date(v, strlen(v));
    if (!d)
        return;
    free(f->v);
    f->v = d;
    f->prio = prio;
}

static int looks_like_url(const char *s)
{
    return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
                 strncmp(s, "//", 2) == 0);
}

void html_meta_free(Meta *m)
{
    free(m->title.v);
    free(m->outlet.v);
    free(m->published.v);
    free(m->url.v);
    free(m->author.v);
    free(m->title_tag);
    free(m->ld_body);
}

/* ---- JSON-LD ---- */

static const char *const ld_article_types[] = {
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting",
    "LiveBlogPosting", "Report", "ScholarlyArticle", "TechArticle", NULL};

static int ld_is_type(json_t *o, const char *const *types)
{
    json_t *t = json_object_get(o, "@type");
    if (json_is_string(t)) {
        for (const char *const *p = types; *p; p++)
            if (strcmp(json_string_value(t), *p) == 0)
                return 1;
    } else if (json_is_array(t)) {
        size_t i;
        json_t *e;
        json_array_foreach(t, i, e)
        {
            if (!json_is_string(e))
                continue;
            for (const char *const *p = types; *p; p++)
                if (strcmp(json_string_value(e), *p) == 0)
                    return 1;
        }
    }
    return 0;
}

/* The object a {"@id": ...} reference points to within the page's graph. */
static json_t *ld_resolve(json_t *v, json_t *graph)
{
    if (!json_is_object(v) || json_object_get(v, "name") || !json_is_array(graph))
        return v;
    json_t *id = json_object_get(v, "@id");
    if (!json_is_string(id))
        return v;
    size_t i;
    json_t *e;
    json_array_foreach(graph, i, e)
    {
        if (i >= 256)
            break;
        json_t *eid = json_object_get(e, "@id");
        if (e != v && json_is_string(eid) && strcmp(json_string_value(eid), json_string_value(id)) == 0)
            return e;
    }
    return v;
}

/* Name of a person/organisation value: string, object with name, or array of those. */
static void ld_names(json_t *v, json_t *graph, Buf *out)
{
    if (json_is_string(v)) {
        if (out->len)
            buf_puts(out, "، ");
        buf_puts(out, json_string_value(v));
    } else if (json_is_object(v)) {
        json_t *n = json_object_get(ld_resolve(v, graph), "name");
        if (json_is_string(n) && json_string_length(n)) {
            if (out->len)
                buf_puts(out, "، ");
            buf_puts(out, json_string_value(n));
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (i >= 4 || json_is_array(e))
                break;
            ld_names(e, graph, out);
        }
    }
}

static const char *ld_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void ld_article(json_t *o, json_t *graph, Meta *m)
{
    const char *h = ld_str(o, "headline");
    offer(&m->title, h ? h : ld_str(o, "name"), 50);
    offer_date(&m->published, ld_str(o, "datePublished"), 50);
    offer_date(&m->published, ld_str(o, "dateCreated"), 25);
    Buf b = {0};
    ld_names(json_object_get(o, "publisher"), graph, &b);
    if (b.len && !looks_like_url(b.data))
        offer(&m->outlet, b.data, 50);
    buf_reset(&b);
    ld_names(json_object_get(o, "author"), graph, &b);
    if (b.len && !looks_like_url(b.data))
        offer(&m->author, b.data, 50);
    buf_free(&b);
    const char *u = ld_str(o, "url");
    if (!u) {
        json_t *me = json_object_get(o, "mainEntityOfPage");
        u = json_is_string(me) ? json_string_value(me) : ld_str(me, "@id");
    }
    if (looks_like_url(u))
        offer(&m->url, u, 30);
    const char *body = ld_str(o, "articleBody");
    if (body && !m->ld_body)
        m->ld_body = strchr(body, '<') ? ingest_html_fragment_text(body, strlen(body))
                                       : html_plain_paragraphs(body);
}

static void ld_visit(json_t *v, json_t *graph, Meta *m, int depth)
{
    if (depth > 6)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (i >= 64)
                break;
            ld_visit(e, json_is_array(graph) ? graph : v, m, depth + 1);
        }
        return;
    }
    if (!json_is_object(v) || ++m->ld_objects > 256)
        return;
    json_t *g = json_object_get(v, "@graph");
    if (json_is_array(g))
        ld_visit(g, g, m, depth + 1);
    if (ld_is_type(v, ld_article_types)) {
        ld_article(v, graph, m);
    } else {
        static const char *const orgs[] = {"NewsMediaOrganization", "Organization", "WebSite", NULL};
        if (ld_is_type(v, orgs) && depth <= 2)
            offer(&m->outlet, ld_str(v, "name"), 15);
        json_t *me = json_object_get(v, "mainEntity");
        if (me)
            ld_visit(me, graph, m, depth + 1);
    }
}

static void ld_parse(const char *text, Meta *m)
{
    if (!text)
        return;
    /* raw control characters inside strings are common and invalid JSON */
    size_t n = strlen(text);
    char *copy = xstrndup(text, n);
    if (!copy)
        return;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)copy[i] < 0x20)
            copy[i] = ' ';
    char *p = copy;
    while (*p == ' ')
        p++;
    if (strncmp(p, "<!--", 4) == 0)
        p += 4;
    json_error_t jerr;
    json_t *root = json_loadb(p, strlen(p), JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &jerr);
    if (root) {
        ld_visit(root, json_is_array(root) ? root : NULL, m, 0);
        json_decref(root);
    }
    free(copy);
}

/* ---- <meta>, <link>, <time>, <title>, JSON-LD ---- */

/* A visible byline ("كتب: فلان", "بقلم فلان", "By X"), prefix words dropped. */
static void offer_byline(Field *f, xmlNodePtr n)
{
    char *line = html_node_line(n);
    if (!line)
        return;
    static const char *const lead[] = {"كتب:", "كتبت:", "كتب", "كتبت", "بقلم:", "بقلم",
                                       "بواسطة:", "بواسطة", "By", "by", NULL};
    const char *p = line;
    for (const char *const *l = lead; *l; l++) {
        size_t k = strlen(*l);
        if (!strncmp(p, *l, k) && (p[k] == ' ' || p[k] == ':')) {
            p += k;
            while (*p == ' ' || *p == ':')
                p++;
            break;
        }
    }
    if (*p && strlen(p) < 80 && html_count_words(p, strlen(p)) <= 6)
        offer(f, p, 8);
    free(line);
}

/* Has n at most limit nodes below it? Keeps per-element peeks linear overall. */
static int small_subtree(xmlNodePtr n, int limit)
{
    Walk w;
    int k = 0;
    for (xmlNodePtr c = html_walk_start(&w, n); c; c = html_walk_next(&w))
        if (!w.leaving && ++k > limit)
            return 0;
    return 1;
}

static void meta_element(xmlNodePtr n, Meta *m, int *seen_title, int *seen_h1)
{
    if (html_name_is(n, "meta")) {
        char *key = html_attr(n, "property");
        if (!key)
            key = html_attr(n, "name");
        if (!key)
            key = html_attr(n, "itemprop");
        char *content = html_attr(n, "content");
        if (key && content) {
            const char *k = key;
            if (!strcasecmp(k, "og:title"))
                offer(&m->title, content, 40);
            else if (!strcasecmp(k, "twitter:title"))
                offer(&m->title, content, 30);
            else if (!strcasecmp(k, "og:site_name"))
                offer(&m->outlet, content, 40);
            else if (!strcasecmp(k, "application-name") || !strcasecmp(k, "publisher") ||
                     !strcasecmp(k, "dc.publisher"))
                offer(&m->outlet, content, 20);
            else if (!strcasecmp(k, "article:published_time") ||
                     !strcasecmp(k, "og:published_time") || !strcasecmp(k, "article:published"))
                offer_date(&m->published, content, 45);
            else if (!strcasecmp(k, "datePublished"))
                offer_date(&m->published, content, 40);
            else if (!strcasecmp(k, "pubdate") || !strcasecmp(k, "publishdate") ||
                     !strcasecmp(k, "publish-date") || !strcasecmp(k, "publish_date") ||
                     !strcasecmp(k, "date") || !strcasecmp(k, "dc.date") ||
                     !strcasecmp(k, "dc.date.issued") || !strcasecmp(k, "dcterms.created") ||
                     !strcasecmp(k, "article.published") || !strcasecmp(k, "parsely-pub-date") ||
                     !strcasecmp(k, "sailthru.date") || !strcasecmp(k, "originalpublicationdate"))
                offer_date(&m->published, content, 30);
            else if (!strcasecmp(k, "og:url"))
                offer(&m->url, content, 40);
            else if (!strcasecmp(k, "author") || !strcasecmp(k, "dc.creator") ||
                     !strcasecmp(k, "byl")) {
                if (!looks_like_url(content))
                    offer(&m->author, content, 40);
            } else if (!strcasecmp(k, "article:author")) {
                if (!looks_like_url(content))
                    offer(&m->author, content, 35);
            }
        }
        xmlFree(key);
        xmlFree(content);
    } else if (html_name_is(n, "link")) {
        char *rel = html_attr(n, "rel");
        if (rel && !strcasecmp(rel, "canonical")) {
            char *href = html_attr(n, "href");
            offer(&m->url, href, 50);
            xmlFree(href);
        }
        xmlFree(rel);
    } else if (html_name_is(n, "title")) {
        if (!*seen_title && n->parent && !html_name_is(n->parent, "svg")) {
            *seen_title = 1;
            m->title_tag = html_node_line(n);
            offer(&m->title, m->title_tag, 20);
        }
    } else if (html_name_is(n, "h1")) {
        if (!*seen_h1) {
            *seen_h1 = 1;
            char *h = html_node_line(n);
            offer(&m->title, h, 10);
            free(h);
        }
    } else if (html_name_is(n, "time")) {
        char *dt = html_attr(n, "datetime");
        int strong = html_attr_eq(n, "itemprop", "datePublished") || html_attr_eq(n, "pubdate", "pubdate");
        if (dt)
            offer_date(&m->published, dt, strong ? 38 : 20);
        xmlFree(dt);
    } else if (html_name_is(n, "script")) {
        if (html_attr_eq(n, "type", "application/ld+json")) {
            Buf b = {0}; /* raw text: html_render() skips scripts */
            for (xmlNodePtr c = n->children; c; c = c->next)
                if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
                    buf_puts(&b, (const char *)c->content);
            if (!b.oom && b.data)
                ld_parse(b.data, m);
            buf_free(&b);
        }
    } else {
        if (m->published.prio < 12 && !html_name_is(n, "body") && !html_name_is(n, "html")) {
            /* a visible date line: <span class="newsStoryDate">الخميس، 31 أغسطس 2023</span> */
            char *cls = html_attr(n, "class");
            if (cls) {
                for (char *p = cls; *p; p++)
                    *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
                if ((strstr(cls, "date") || strstr(cls, "time") || strstr(cls, "publish")) &&
                    small_subtree(n, 40)) {
                    char *line = html_node_line(n);
                    if (line && strlen(line) < 160)
                        offer_date(&m->published, line, 12);
                    free(line);
                }
                if (m->author.prio < 8 &&
                    (strstr(cls, "author") || strstr(cls, "byline") || strstr(cls, "writer") ||
                     strstr(cls, "writeby")) &&
                    small_subtree(n, 20))
                    offer_byline(&m->author, n);
                xmlFree(cls);
            }
        }
        char *ip = html_attr(n, "itemprop");
        if (ip) {
            if (!strcasecmp(ip, "datePublished")) {
                char *c = html_attr(n, "content");
                if (!c)
                    c = html_attr(n, "datetime");
                offer_date(&m->published, c, 38);
                xmlFree(c);
            } else if (!strcasecmp(ip, "author") && small_subtree(n, 40)) {
                char *line = html_node_line(n);
                if (line && strlen(line) < 120)
                    offer(&m->author, line, 30);
                free(line);
            }
            xmlFree(ip);
        }
    }
}

void html_collect_meta(htmlDocPtr doc, Meta *m)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
        return;
    Walk w;
    int seen_title = 0, seen_h1 = 0;
    for (xmlNodePtr n = html_walk_start(&w, root); n; n = html_walk_next(&w))
        if (n->type == XML_ELEMENT_NODE && !w.leaving)
            meta_element(n, m, &seen_title, &seen_h1);
}

/* ---- title suffixes: "العنوان - اسم الموقع" ---- */

static const char *const title_seps[] = {" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", NULL};

size_t html_count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ')
            in = 0;
        else if (!in) {
            in = 1;
            w++;
        }
    }
    return w;
}

/* If t ends with sep+site or starts with site+sep, returns the length to keep and where. */
static char *strip_site(const char *t, const char *site)
{
    size_t tn = strlen(t), sn = strlen(site);
    for (const char *const *sp = title_seps; *sp; sp++) {
        size_t pn = strlen(*sp);
        if (tn > sn + pn && memcmp(t + tn - sn, site, sn) == 0 &&
            memcmp(t + tn - sn - pn, *sp, pn) == 0)
            return xstrndup(t, tn - sn - pn);
        if (tn > sn + pn && memcmp(t, site, sn) == 0 && memcmp(t + sn, *sp, pn) == 0)
            return xstrndup(t + sn + pn, tn - sn - pn);
    }
    return NULL;
}

/* A short last segment of a <title> ("... | الشرق الأوسط"), or NULL. */
static char *title_suffix(const char *t, size_t *head_len)
{
    size_t tn = strlen(t);
    const char *best = NULL;
    size_t best_pn = 0;
    for (const char *const *sp = title_seps; *sp; sp++) {
        size_t pn = strlen(*sp);
        const char *p = t, *last = NULL;
        while ((p = strstr(p, *sp)) != NULL) {
            last = p;
            p += pn;
        }
        if (last && (!best || last > best)) {
            best = last;
            best_pn = pn;
        }
    }
    if (!best)
        return NULL;
    const char *suf = best + best_pn;
    if (html_count_words(suf, strlen(suf)) > 4) {
        /* "اسم الجريدة | العنوان": the site first, only with a bar */
        const char *bar = strstr(t, " | ");
        if (bar && html_count_words(t, (size_t)(bar - t)) <= 4 && html_count_words(bar + 3, strlen(bar + 3)) >= 2) {
            *head_len = 0;
            return xstrndup(t, (size_t)(bar - t));
        }
        return NULL;
    }
    size_t sn = tn - (size_t)(suf - t);
    size_t hn = (size_t)(best - t);
    if (sn == 0 || sn > 60 || html_count_words(suf, sn) > 4 || html_count_words(t, hn) < 2)
        return NULL;
    *head_len = hn;
    return xstrndup(suf, sn);
}

void html_finish_title(Meta *m)
{
    /* the outlet named in <title> after the page's own headline */
    if (m->title_tag) {
        size_t hn;
        char *suf = title_suffix(m->title_tag, &hn);
        if (suf) {
            int headline_first = hn > 0 && m->title.v && m->title.prio > 20 &&
                                 strncmp(m->title_tag, m->title.v, hn) == 0;
            offer(&m->outlet, suf, headline_first ? 12 : 10);
            free(suf);
        }
    }
    if (m->title.v && m->outlet.v) {
        char *s = strip_site(m->title.v, m->outlet.v);
        if (s && *s) {
            free(m->title.v);
            m->title.v = s;
        } else {
            free(s);
        }
    }
}
