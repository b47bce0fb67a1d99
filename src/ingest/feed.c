/*
 * feed.c — RSS 2.0, RSS 1.0 (RDF) and Atom feeds to Articles, one per
 * item/entry, with origin "path#itemN" (N counts from 1 in feed order).
 *
 * Main idea: parse with libxml2's XML parser in recover mode (a truncated
 * feed still yields the items before the cut), with no network, no DTD
 * loading and no entity substitution. Entity references therefore stay in
 * the tree as reference nodes, and every text walk here skips them: a
 * "billion laughs" feed neither expands nor hangs, and an external entity
 * (file:///etc/passwd) is never read. Element names are matched by local
 * name, so prefixes (content:encoded, dc:creator, atom:link) may be any.
 *
 * Bodies are HTML fragments (content:encoded, description, Atom content of
 * type html) rendered to paragraphs by html.c; Atom type="xhtml" content is
 * rendered straight from the XML tree; type="text" is kept as plain text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ingest.h"
#include "readers.h"
#include "text/text.h"

/* rasd's own limit on one item's text (libxml2's 10 MB text-node limit is
   lifted with XML_PARSE_HUGE; the whole file is bounded by --max-size). */
#define FEED_MAX_ITEM_BYTES (8u << 20)

static int any_lname(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

/* Media RSS (media:content, media:title) describes attachments, not the item. */
static int is_media(xmlNodePtr n)
{
    return n->ns && n->ns->href && strstr((const char *)n->ns->href, "search.yahoo.com/mrss");
}

static int lname(xmlNodePtr n, const char *name)
{
    return any_lname(n, name) && !is_media(n);
}

static xmlNodePtr media_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (any_lname(c, name) && is_media(c))
            return c;
    return NULL;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (lname(c, name))
            return c;
    return NULL;
}

static int has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

/* Text and CDATA of n's subtree, iteratively; entity references are skipped. */
static void raw_text(xmlNodePtr n, Buf *out)
{
    xmlNodePtr cur = n->children;
    while (cur) {
        if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) && cur->content)
            buf_puts(out, (const char *)cur->content);
        if (cur->type == XML_ELEMENT_NODE && cur->children) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != n && !cur->next)
            cur = cur->parent;
        if (!cur || cur == n)
            break;
        cur = cur->next;
    }
}

static char *attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->name && xmlStrcasecmp(a->name, (const xmlChar *)name) == 0) {
            Buf b = {0};
            for (xmlNodePtr c = a->children; c; c = c->next)
                if (c->type == XML_TEXT_NODE && c->content)
                    buf_puts(&b, (const char *)c->content);
            if (b.oom) {
                buf_free(&b);
                return NULL;
            }
            return b.data ? buf_steal(&b) : xstrndup("", 0);
        }
    }
    return NULL;
}

/* Collapses white space to single spaces and trims; NULL when nothing is left. */
static char *one_line(const char *s)
{
    if (!s)
        return NULL;
    Buf b = {0};
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
            space = 1;
            continue;
        }
        if (p[0] == 0xC2 && p[1] == 0xA0) {
            space = 1;
            p++;
            continue;
        }
        if (space && b.len)
            buf_putc(&b, ' ');
        space = 0;
        buf_putc(&b, (char)*p);
    }
    if (b.oom || !b.len) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

/* Plain text: paragraphs at blank lines, lines kept, spaces collapsed. */
static char *plain_paragraphs(const char *s)
{
    Buf b = {0};
    int nl = 0, space = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n') {
            nl++;
            space = 0;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\v') {
            space = 1;
            continue;
        }
        if (b.len) {
            if (nl >= 2)
                buf_append(&b, "\n\n", 2);
            else if (nl == 1)
                buf_putc(&b, '\n');
            else if (space)
                buf_putc(&b, ' ');
        }
        nl = 0;
        space = 0;
        buf_putc(&b, (char)*p);
    }
    if (b.oom) {
        buf_free(&b);
        return NULL;
    }
    return b.data ? buf_steal(&b) : xstrndup("", 0);
}

/*
 * Text of a body/title element: xhtml rendered from the tree, text kept
 * plain, anything else treated as an HTML fragment. malloc'd; "" if empty.
 */
static char *element_text(xmlNodePtr n)
{
    char *type = attr(n, "type");
    char *r = NULL;
    if (has_element_child(n) || (type && !strcasecmp(type, "xhtml"))) {
        r = html_node_text(n, 1);
    } else {
        Buf b = {0};
        raw_text(n, &b);
        if (!b.oom) {
            const char *s = b.data ? b.data : "";
            if (type && (!strcasecmp(type, "text") || !strcasecmp(type, "text/plain")))
                r = plain_paragraphs(s);
            else if (strchr(s, '<') || strchr(s, '&'))
                r = html_fragment_text(s, b.len, 1);
            else
                r = plain_paragraphs(s);
        }
        buf_free(&b);
    }
    free(type);
    return r;
}

/* Title-like field: element_text on one line. */
static char *element_line(xmlNodePtr n)
{
    if (!n)
        return NULL;
    char *t = element_text(n);
    char *l = one_line(t);
    free(t);
    return l;
}

/* Raw text on one line (links, dates, names), no markup handling. */
static char *element_raw_line(xmlNodePtr n)
{
    if (!n)
        return NULL;
    Buf b = {0};
    raw_text(n, &b);
    char *l = b.oom ? NULL : one_line(b.data ? b.data : "");
    buf_free(&b);
    return l;
}

/* RSS <author> is often "mail@example.com (الاسم)": keep the name. */
static char *author_name(char *s)
{
    if (!s)
        return NULL;
    char *open = strchr(s, '(');
    char *close = open ? strrchr(open, ')') : NULL;
    if (open && close && close > open + 1 && memchr(s, '@', (size_t)(open - s))) {
        char *name = xstrndup(open + 1, (size_t)(close - open - 1));
        char *l = one_line(name);
        free(name);
        free(s);
        return l;
    }
    if (strchr(s, '@') && !strchr(s, ' ')) { /* a bare e-mail address is not a byline */
        free(s);
        return NULL;
    }
    return s;
}

static char *atom_link(xmlNodePtr entry)
{
    char *fallback = NULL;
    for (xmlNodePtr c = entry->children; c; c = c->next) {
        if (!lname(c, "link"))
            continue;
        char *href = attr(c, "href");
        if (!href) { /* RSS-style <link>text</link> */
            char *t = element_raw_line(c);
            if (t && !fallback)
                fallback = t;
            else
                free(t);
            continue;
        }
        char *rel = attr(c, "rel");
        int alt = !rel || !strcasecmp(rel, "alternate");
        free(rel);
        if (alt) {
            free(fallback);
            char *l = one_line(href);
            free(href);
            return l;
        }
        free(href);
    }
    return fallback;
}

/* First date among the named children that parses. When some are there
   but none parses, *bad names the first (element name and text, malloc'd). */
static char *item_date(xmlNodePtr item, char **bad)
{
    static const char *const names[] = {"pubDate", "published", "issued", "date", "created",
                                        "updated", "modified", NULL};
    *bad = NULL;
    for (const char *const *nm = names; *nm; nm++) {
        for (xmlNodePtr c = item->children; c; c = c->next) {
            if (!lname(c, *nm))
                continue;
            char *raw = element_raw_line(c);
            char *d = raw ? ingest_parse_date(raw, strlen(raw)) : NULL;
            if (d) {
                free(raw);
                free(*bad);
                *bad = NULL;
                return d;
            }
            if (raw && *raw && !*bad) {
                Buf b = {0};
                buf_printf(&b, "<%s> \"%.60s\"", *nm, raw);
                *bad = b.oom ? NULL : buf_steal(&b);
                buf_free(&b);
            }
            free(raw);
        }
    }
    return NULL;
}

static char *item_author(xmlNodePtr item)
{
    xmlNodePtr c = child(item, "creator");
    if (c) {
        char *a = element_raw_line(c);
        if (a)
            return a;
    }
    c = child(item, "author");
    if (!c)
        return NULL;
    xmlNodePtr name = child(c, "name"); /* Atom */
    return author_name(element_raw_line(name ? name : c));
}

/* The body: the fullest of the candidates in order of trust. */
static char *item_body(xmlNodePtr item)
{
    static const char *const names[] = {"encoded", "content", "description", "summary",
                                        "abstract", NULL};
    for (const char *const *nm = names; *nm; nm++) {
        for (xmlNodePtr c = item->children; c; c = c->next) {
            if (!lname(c, *nm))
                continue;
            char *t = element_text(c);
            if (!t)
                return NULL; /* out of memory */
            if (*t)
                return t;
            free(t);
        }
    }
    /* Media RSS keeps its description one level down */
    xmlNodePtr g = media_child(item, "group");
    xmlNodePtr md = media_child(g ? g : item, "description");
    if (md) {
        char *t = element_text(md);
        if (t && *t)
            return t;
        free(t);
    }
    return xstrndup("", 0);
}

/* Bytes of text and CDATA in n's subtree, iteratively, stopping past cap. */
static size_t subtree_bytes(xmlNodePtr n, size_t cap)
{
    size_t total = 0;
    xmlNodePtr cur = n->children;
    while (cur && total <= cap) {
        if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) && cur->content)
            total += strlen((const char *)cur->content);
        if (cur->type == XML_ELEMENT_NODE && cur->children) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != n && !cur->next)
            cur = cur->parent;
        if (!cur || cur == n)
            break;
        cur = cur->next;
    }
    return total;
}

/* Fills one Article from an item/entry; 0 ok, 1 skipped (no body: counted;
   over the size limit: an item error), -1 out of memory. */
static int read_item(xmlNodePtr item, size_t index, const char *origin, const char *outlet,
                     Batch *out)
{
    size_t size = subtree_bytes(item, FEED_MAX_ITEM_BYTES);
    if (size > FEED_MAX_ITEM_BYTES) {
        batch_error(out, "%s#item%zu: over rasd's limit of %u bytes of text per feed item; "
                         "skipped (the items around it are read)",
                    origin, index, (unsigned)FEED_MAX_ITEM_BYTES);
        return 1;
    }
    char *body = item_body(item);
    if (!body)
        return -1;
    if (!*body) { /* a title-only item (a picture, a cartoon): nothing to read */
        free(body);
        out->skipped++;
        return 1;
    }
    Article *a = batch_add(out);
    if (!a) {
        free(body);
        return -1;
    }
    a->body = body;
    size_t on = strlen(origin) + 32;
    a->origin = malloc(on);
    if (a->origin)
        snprintf(a->origin, on, "%s#item%zu", origin, index);
    a->title = element_line(child(item, "title"));
    a->url = atom_link(item);
    if (!a->url) {
        xmlNodePtr g = child(item, "guid");
        char *perma = g ? attr(g, "isPermaLink") : NULL;
        if (g && !(perma && !strcasecmp(perma, "false"))) {
            char *u = element_raw_line(g);
            if (u && (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8)))
                a->url = u;
            else
                free(u);
        }
        free(perma);
    }
    char *bad_date = NULL;
    a->published = item_date(item, &bad_date);
    if (bad_date) {
        batch_error(out, "%s#item%zu: %s is not a date; dropped, the item kept", origin, index,
                    bad_date);
        free(bad_date);
    }
    a->author = item_author(item);
    xmlNodePtr src = child(item, "source");
    char *s = src ? element_line(child(src, "title") ? child(src, "title") : src) : NULL;
    if (s)
        a->outlet = s;
    else if (outlet)
        a->outlet = xstrndup(outlet, strlen(outlet));
    if (!a->origin) {
        article_free(a);
        out->n--;
        return -1;
    }
    ingest_split_appended(out, out->n - 1);
    return 0;
}

rasd_err ingest_feed(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err)
{
    if (!origin)
        origin = "feed";
    if (!bytes && n)
        return rasd_fail(err, RASD_EINVAL, "%s: no input bytes", origin);
    Buf clean = {0};
    if (ingest_clean(bytes, n, &clean) < 0)
        return rasd_fail(err, RASD_ENOMEM, "%s: feed too large for memory", origin);
    XmlErrs xe;
    xml_errs_begin(&xe);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        xml_errs_end(&xe);
        buf_free(&clean);
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", origin);
    }
    /* no XML_PARSE_NOENT, no XML_PARSE_DTDLOAD: see the file comment */
    int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
               XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, clean.data ? clean.data : "", (int)clean.len, NULL,
                                      "UTF-8", opts);
    if (ctxt->lastError.code == XML_ERR_NO_MEMORY || xe.code == XML_ERR_NO_MEMORY) {
        /* libxml2 stops at a text node over 10 MB ("huge text node") as if
           the feed ended there: read again with that limit lifted, and let
           rasd's own per-item limit (FEED_MAX_ITEM_BYTES) decide. Only then:
           XML_PARSE_HUGE also lifts libxml2's entity amplification checks. */
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        xml_errs_end(&xe);
        xml_errs_begin(&xe);
        ctxt = xmlNewParserCtxt();
        if (!ctxt) {
            xml_errs_end(&xe);
            buf_free(&clean);
            return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", origin);
        }
        doc = xmlCtxtReadMemory(ctxt, clean.data ? clean.data : "", (int)clean.len, NULL,
                                "UTF-8", opts | XML_PARSE_HUGE);
    }
    xml_errs_end(&xe);
    buf_free(&clean);
    int well_formed = ctxt->wellFormed;
    int err_line = ctxt->lastError.line ? ctxt->lastError.line : xe.line;
    int err_code = ctxt->lastError.code ? ctxt->lastError.code : xe.code;
    char err_msg[200]; /* libxml2's message, one line */
    snprintf(err_msg, sizeof err_msg, "%s",
             ctxt->lastError.message ? ctxt->lastError.message
             : xe.first[0]           ? xe.first
                                     : "syntax error");
    for (char *p = err_msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = *(p + 1) ? ' ' : '\0';
    if (strstr(err_msg, "Excessive depth"))
        snprintf(err_msg, sizeof err_msg, "%s", "elements nested more than 256 deep");
    if (err_code == XML_ERR_ENTITY_LOOP)
        snprintf(err_msg, sizeof err_msg, "%s",
                 "entities that expand without bound (a \"billion laughs\" feed), refused");
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        xmlFreeParserCtxt(ctxt);
        xmlFreeDoc(doc);
        return rasd_fail(err, RASD_EFORMAT, "%s: not a well-formed XML feed (line %d: %s)",
                         origin, err_line, err_msg);
    }
    xmlNodePtr channel = NULL, items = NULL;
    const char *item_name = "item";
    if (lname(root, "rss")) {
        channel = child(root, "channel");
        items = channel ? channel : root;
    } else if (lname(root, "RDF")) {
        channel = child(root, "channel");
        items = root;
    } else if (lname(root, "feed")) {
        channel = root;
        items = root;
        item_name = "entry";
    } else {
        rasd_fail(err, RASD_EFORMAT, "%s: not an RSS or Atom feed (root element <%s>)", origin,
                  root->name ? (const char *)root->name : "?");
        xmlFreeParserCtxt(ctxt);
        xmlFreeDoc(doc);
        return RASD_EFORMAT;
    }
    char *outlet = channel ? element_line(child(channel, "title")) : NULL;
    size_t index = 0, loaded = 0;
    rasd_err rc = RASD_OK;
    for (xmlNodePtr c = items->children; c; c = c->next) {
        if (!lname(c, item_name))
            continue;
        index++;
        int r = read_item(c, index, origin, outlet, out);
        if (r < 0) {
            rc = rasd_fail(err, RASD_ENOMEM, "%s#item%zu: out of memory", origin, index);
            break;
        }
        if (r == 0)
            loaded++;
    }
    /* RSS with items beside <channel> instead of inside it */
    if (rc == RASD_OK && index == 0 && channel && items == channel) {
        for (xmlNodePtr c = root->children; c; c = c->next) {
            if (!lname(c, "item"))
                continue;
            index++;
            int r = read_item(c, index, origin, outlet, out);
            if (r < 0) {
                rc = rasd_fail(err, RASD_ENOMEM, "%s#item%zu: out of memory", origin, index);
                break;
            }
            if (r == 0)
                loaded++;
        }
    }
    if (rc == RASD_OK && !well_formed) {
        if (loaded == 0)
            rc = rasd_fail(err, RASD_EFORMAT, "%s: not a well-formed feed (line %d: %s)", origin,
                           err_line, err_msg);
        else
            batch_error(out, "%s: feed is truncated or not well-formed (line %d: %s); kept %zu items",
                        origin, err_line, err_msg, loaded);
    }
    free(outlet);
    xmlFreeParserCtxt(ctxt);
    xmlFreeDoc(doc);
    return rc;
}
