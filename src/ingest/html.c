/*
 * html.c — web pages to Articles: metadata from <meta>, <link>, <time> and
 * JSON-LD, and the article's text without the page's furniture.
 *
 * Main idea (a small cousin of Readability):
 *   1. Parse with libxml2's HTML parser in recover mode, no network, input
 *      forced to UTF-8 (a <meta charset> is ignored: ingest_to_utf8 already
 *      converted the bytes). Every walk over the tree is iterative, so
 *      10,000 nested tags cost time linear in their number and no stack.
 *   2. Collect metadata from the whole page, each field from the most
 *      trusted source present (JSON-LD > Open Graph > <title> and friends).
 *   3. Delete furniture: scripts, nav/header/footer/aside, and elements
 *      whose class/id/role names boilerplate ("share", "related",
 *      "comments", "sidebar", "newsletter", "ad" ...). An element that
 *      holds the article body (itemprop=articleBody, class "article-body",
 *      or most of the page's text) is never deleted, so an ASP.NET page
 *      wrapped in one <form>, or a WordPress <article class="tag-...">,
 *      survives.
 *   4. Score what is left: every block with real prose (non-link text)
 *      credits its container and, at half weight, the container's parent;
 *      scores are scaled by (1 - link density) and by body hints. The best
 *      container, plus siblings that score nearly as well, is the body.
 *   5. Render it as paragraphs: block elements end a paragraph, <br> ends a
 *      line (two in a row end a paragraph), white space collapses, and a
 *      paragraph that is almost all link text ("اقرأ أيضا: <a>...") drops.
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
/* Iterative depth-first walk with enter and leave events.              */

xmlNodePtr html_walk_start(Walk *w, xmlNodePtr root)
{
    w->root = root;
    w->cur = root;
    w->leaving = 0;
    w->skip = 0;
    return root;
}

/* Next event: an element comes twice (leaving 0, then 1), other nodes once. */
xmlNodePtr html_walk_next(Walk *w)
{
    xmlNodePtr n = w->cur;
    if (!n)
        return NULL;
    if (!w->leaving && n->type == XML_ELEMENT_NODE) {
        if (n->children && !w->skip) {
            w->cur = n->children;
            return w->cur;
        }
        w->skip = 0;
        w->leaving = 1;
        return n;
    }
    w->skip = 0;
    if (n == w->root) {
        w->cur = NULL;
        return NULL;
    }
    if (n->next) {
        w->cur = n->next;
        w->leaving = 0;
        return w->cur;
    }
    w->cur = n->parent;
    w->leaving = 1;
    if (!w->cur || w->cur->type != XML_ELEMENT_NODE) { /* walked out of the tree */
        w->cur = NULL;
        return NULL;
    }
    return w->cur;
}

int html_name_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

static int name_in(xmlNodePtr n, const char *const *names)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    for (; *names; names++)
        if (xmlStrcasecmp(n->name, (const xmlChar *)*names) == 0)
            return 1;
    return 0;
}

/* Attribute value, malloc'd by libxml2 (xmlFree), or NULL. Names are matched case-insensitively. */
char *html_attr(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->name && xmlStrcasecmp(a->name, (const xmlChar *)name) == 0) {
            xmlChar *v = NULL;
            /* attribute values are a flat list of text nodes (entity refs are skipped) */
            Buf b = {0};
            for (xmlNodePtr c = a->children; c; c = c->next)
                if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
                    buf_puts(&b, (const char *)c->content);
            if (b.oom) {
                buf_free(&b);
                return NULL;
            }
            v = xmlStrdup((const xmlChar *)(b.data ? b.data : ""));
            buf_free(&b);
            return (char *)v;
        }
    }
    return NULL;
}

int html_attr_eq(xmlNodePtr n, const char *name, const char *value)
{
    char *v = html_attr(n, name);
    int r = v && strcasecmp(v, value) == 0;
    xmlFree(v);
    return r;
}

/* ------------------------------------------------------------------ */
/* Text rendering: paragraphs with collapsed white space.               */

/* Code point at s[*i] (valid UTF-8 assumed, bounded by n). */
static uint32_t cp_at(const char *s, size_t n, size_t *i)
{
    return utf8_next(s, n, i);
}

static int is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
           c == 0x3000 || c == 0xFEFF || c == 0x2028 || c == 0x2029 || c == 0x85;
}

static void tx_text(TextOut *t, const char *s, size_t n, int in_link)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        uint32_t c = cp_at(s, n, &i);
        if (i == start)
            i++;
        if (is_space_cp(c)) {
            t->space = 1;
            continue;
        }
        if (t->space && t->para.len && t->para.data[t->para.len - 1] != '\n')
            buf_putc(&t->para, ' ');
        t->space = 0;
        buf_append(&t->para, s + start, i - start);
        t->para_text += i - start;
        if (in_link)
            t->para_link += i - start;
    }
}

/* A paragraph with no letter or digit ("|", "•", "-") is furniture. */
static int has_word_char(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))
            return 1;
    }
    return 0;
}

static void tx_flush(TextOut *t)
{
    Buf *p = &t->para;
    while (p->len && (p->data[p->len - 1] == ' ' || p->data[p->len - 1] == '\n'))
        p->len--;
    if (p->data)
        p->data[p->len] = '\0';
    int keep = p->len && has_word_char(p->data, p->len);
    if (keep && t->drop_links && t->para_link > 0 && t->para_link * 10 >= t->para_text * 8)
        keep = 0;
    if (keep) {
        if (t->out.len)
            buf_append(&t->out, "\n\n", 2);
        buf_append(&t->out, p->data, p->len);
    }
    buf_reset(p);
    t->para_text = t->para_link = 0;
    t->space = 0;
}

static void tx_br(TextOut *t)
{
    Buf *p = &t->para;
    while (p->len && p->data[p->len - 1] == ' ')
        p->len--;
    if (p->len == 0)
        return;
    if (p->data[p->len - 1] == '\n') { /* <br><br>: a paragraph break */
        tx_flush(t);
        return;
    }
    buf_putc(p, '\n');
    t->space = 0;
}

static const char *const block_tags[] = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2",
    "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "form", "hr", "address",
    "center", "details", "summary", "caption", "body", "html", "fieldset", "legend", "option",
    "hgroup", NULL};

/* never text, anywhere */
static const char *const hard_tags[] = {
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "button",
    "select", "textarea", "input", "canvas", "video", "audio", "map", "math", "head", "title",
    "link", "meta", "frameset", "frame", "applet", "dialog", NULL};

static int is_block(xmlNodePtr n) { return name_in(n, block_tags); }

/* Renders root's subtree; skip_h1 leaves out <h1> (the headline is metadata). */
void html_render(TextOut *t, xmlNodePtr root, int skip_h1)
{
    Walk w;
    int in_link = 0; /* depth of <a> (and <time>: a date line alone is furniture too) */
    for (xmlNodePtr n = html_walk_start(&w, root); n; n = html_walk_next(&w)) {
        if (n->type == XML_ELEMENT_NODE) {
            if (n == root && !is_block(n))
                continue; /* <title>, a lone <span>: render its text */
            if (!w.leaving) {
                if (name_in(n, hard_tags) || (skip_h1 && html_name_is(n, "h1"))) {
                    w.skip = 1;
                    continue;
                }
                if (is_block(n))
                    tx_flush(t);
                else if (html_name_is(n, "br"))
                    tx_br(t);
                else if (html_name_is(n, "a") || html_name_is(n, "time"))
                    in_link++;
            } else {
                if (name_in(n, hard_tags) || (skip_h1 && html_name_is(n, "h1")))
                    continue;
                if (is_block(n))
                    tx_flush(t);
                else if ((html_name_is(n, "a") || html_name_is(n, "time")) && in_link > 0)
                    in_link--;
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            tx_text(t, (const char *)n->content, strlen((const char *)n->content), in_link > 0);
        }
    }
    tx_flush(t);
}

/* The rendered text (malloc'd, "" when empty), or NULL when memory ran out. */
static char *text_out_finish(TextOut *t)
{
    buf_free(&t->para);
    if (t->out.oom) {
        buf_free(&t->out);
        return NULL;
    }
    if (!t->out.data)
        return xstrndup("", 0);
    return buf_steal(&t->out);
}

char *html_node_text(xmlNodePtr root, int drop_link_paras)
{
    TextOut t = {0};
    t.drop_links = drop_link_paras;
    if (root)
        html_render(&t, root, 0);
    return text_out_finish(&t);
}

/* One line of text from a subtree (titles, bylines): white space collapsed; NULL if empty. */
char *html_node_line(xmlNodePtr root)
{
    char *s = html_node_text(root, 0);
    if (!s)
        return NULL;
    for (char *p = s; *p; p++)
        if (*p == '\n')
            *p = ' ';
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

/* Collapses white space in a plain string; malloc'd, NULL if empty. */
static char *clean_line(const char *s, size_t n)
{
    TextOut t = {0};
    tx_text(&t, s, n, 0);
    tx_flush(&t);
    buf_free(&t.para);
    if (t.out.oom || !t.out.len) {
        buf_free(&t.out);
        return NULL;
    }
    return buf_steal(&t.out);
}

/* Plain text (JSON-LD articleBody): every line break ends a paragraph. */
char *html_plain_paragraphs(const char *s)
{
    TextOut t = {0};
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        tx_text(&t, p, len, 0);
        tx_flush(&t);
        p += len;
        if (*p)
            p++;
    }
    buf_free(&t.para);
    if (t.out.oom) {
        buf_free(&t.out);
        return NULL;
    }
    return t.out.data ? buf_steal(&t.out) : xstrndup("", 0);
}

/* ------------------------------------------------------------------ */
/* Parsing: input made valid UTF-8 first so libxml2 never switches encoding. */

static htmlDocPtr parse_html(const char *bytes, size_t n)
{
    Buf clean = {0};
    if (ingest_clean(bytes, n, &clean) < 0)
        return NULL;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
               HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT;
    XmlErrs xe; /* libxml2 never prints: its messages are caught (and unused) */
    xml_errs_begin(&xe);
    htmlDocPtr doc = htmlReadMemory(clean.data ? clean.data : "", (int)clean.len, NULL, "UTF-8",
                                    opts);
    xml_errs_end(&xe);
    buf_free(&clean);
    return doc;
}

static xmlNodePtr find_body(htmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root)
        return NULL;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (html_name_is(c, "body"))
            return c;
    return root;
}

/* ingest_html_fragment_text, optionally dropping link-only paragraphs (feed bodies). */
char *html_fragment_text(const char *html, size_t n, int drop_link_paras)
{
    if (!html)
        return NULL;
    if (n == 0)
        return xstrndup("", 0);
    htmlDocPtr doc = parse_html(html, n);
    if (!doc)
        return xstrndup("", 0);
    char *s = html_node_text(find_body(doc), drop_link_paras);
    xmlFreeDoc(doc);
    return s;
}

char *ingest_html_fragment_text(const char *html, size_t n)
{
    return html_fragment_text(html, n, 0);
}

/* Decodes entities/markup some sites leave inside metadata values. */
char *html_clean_meta_value(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (memchr(s, '&', n) || memchr(s, '<', n)) {
        char *t = ingest_html_fragment_text(s, n);
        if (!t)
            return NULL;
        char *r = clean_line(t, strlen(t));
        free(t);
        return r;
    }
    return clean_line(s, n);
}

/* ------------------------------------------------------------------ */
/* Boilerplate removal and content scoring.                             */

typedef struct Stat {
    xmlNodePtr node;    /* the element */
    int parent;         /* index of the parent element's Stat, or -1 */
    int blk;            /* index of the nearest block element (itself if block) */
    size_t text, link;  /* non-space bytes in the subtree, outside / inside links */
    size_t itext, ilink;/* same, but only text not inside a nested block */
    double score;       /* content score */
    int hint;           /* body hint: 0 none, 1 <article>, 2 class names, 3 itemprop=articleBody */
    int has_primary;    /* the subtree contains the primary body hint */
} Stat;

typedef struct Stats {
    Stat *s;        /* one per element in document order */
    size_t n, cap;  /* used and allocated */
    int oom;        /* an allocation failed */
} Stats;

static int stat_of(xmlNodePtr n)
{
    return (int)(intptr_t)n->_private - 1;
}

/* Lower-case words of a class/id token: split at - _ : digits and camelCase. */
typedef struct Words {
    char w[8][24]; /* words, NUL-terminated, truncated at 23 bytes */
    int n;         /* words stored */
    char whole[64];/* the token in lower case without separators */
} Words;

static void split_token(const char *s, size_t n, Words *out)
{
    out->n = 0;
    size_t wl = 0, hl = 0;
    char prev = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? s[i] : 0;
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int boundary = !alpha || (c >= 'A' && c <= 'Z' && prev >= 'a' && prev <= 'z');
        if (boundary && wl) {
            if (out->n < 8) {
                out->w[out->n][wl < 23 ? wl : 23] = 0;
                out->n++;
            }
            wl = 0;
        }
        if (alpha) {
            char l = (char)(c | 32);
            if (out->n < 8 && wl < 23)
                out->w[out->n][wl] = l;
            wl++;
            if (hl < sizeof out->whole - 1)
                out->whole[hl++] = l;
        }
        prev = c;
    }
    out->whole[hl] = 0;
}

static int word_in(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(w, *list))
            return 1;
    return 0;
}

/* Whole words that name furniture (English and transliterated Arabic). */
static const char *const neg_words[] = {
    "nav", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "breadcrumb",
    "breadcrumbs", "share", "shares", "sharing", "sharer", "social", "socials", "related",
    "comment", "comments", "disqus", "footer", "header", "masthead", "sidebar", "aside",
    "widget", "widgets", "tag", "tags", "keywords", "newsletter", "subscribe", "subscription",
    "advert", "advertisement", "adverts", "ad", "ads", "adv", "advertising", "adslot", "dfp",
    "sponsor", "sponsored", "promo", "promoted", "banner", "popup", "modal", "cookie",
    "cookies", "gdpr", "outbrain", "taboola", "recommended", "recommendations", "trending",
    "popular", "mostread", "most", "readmore", "more", "also", "see", "print", "tools",
    "toolbar", "font", "fontsize", "zoom", "rss", "meta", "byline", "author", "authors",
    "date", "time", "timestamp", "hidden", "hide", "pagination", "pager", "caption", "credit",
    "copyright", "logo", "search", "login", "signin", "signup", "skip", "gallery", "slider",
    "carousel", "ticker", "breaking", "urgent", "bottom", "topbar", "top", "follow",
    "whatsapp", "facebook", "twitter", "telegram", "eqraa", "iqraa", "aqraa", "ektab", "aydan",
    "ayda", "mazeed", "mazid", "almazid", "almazeed", "akhbar", "roabet", "rawabet", "wasom",
    "wosom", "tawasol", "download", "app", "apps", "banners", "sticky", "overlay", "newsbar",
    "livebar", "weather", "prayer", "currency", NULL};

/* Substrings that name furniture inside run-together tokens ("relatedNews"). */
static const char *const neg_subs[] = {
    "related", "comment", "share", "social", "sidebar", "breadcrumb", "newsletter", "advert",
    "footer", "navbar", "navigation", "sponsor", "outbrain", "taboola", "readmore", "mostread",
    "alsoread", "readalso", "seealso", "moreNews", "morenews", "subscribe", "trending",
    "recommend", "popup", "ticker", "cookie", "banner", NULL};

/* Words that name the body; a token with one of them (and no furniture) protects. */
static const char *const pos_words[] = {
    "article", "articles", "articlebody", "content", "contents", "entry", "main", "post",
    "story", "text", "body", "detail", "details", "single", "paragraph", "matn", "nass",
    "khabar", "maqal", NULL};

/* Class tokens that name the article's text container. */
static const char *const body_wholes[] = {
    "articlebody", "articlecontent", "articletext", "articledetails", "articledetail",
    "entrycontent", "postcontent", "postbody", "posttext", "storybody", "storycontent",
    "storytext", "newscontent", "newsbody", "newstext", "newsdetails", "newsdetail",
    "detailsbody", "detailbody", "bodytext", "textbody", "contentbody", "maincontent",
    "articlebodycontent", "singlecontent", "itemfulltext", "fulltext", "wysiwyg", "richtext",
    "paragraphs", "contenttext", NULL};

enum { CLS_NONE = 0, CLS_NEG = 1, CLS_POS = 2, CLS_BODY = 4 };

static int classify_token(const char *s, size_t n)
{
    Words w;
    split_token(s, n, &w);
    if (!w.whole[0])
        return CLS_NONE;
    int neg = 0, pos = 0;
    for (int i = 0; i < w.n; i++) {
        if (word_in(w.w[i], neg_words))
            neg = 1;
        if (word_in(w.w[i], pos_words))
            pos = 1;
    }
    for (const char *const *p = neg_subs; *p && !neg; p++)
        if (strstr(w.whole, *p))
            neg = 1;
    int r = 0;
    if (neg)
        r |= CLS_NEG;
    else if (pos)
        r |= CLS_POS;
    if (!neg && word_in(w.whole, body_wholes))
        r |= CLS_BODY;
    return r;
}

/* CLS_* bits for an element's class and id. */
static int classify(xmlNodePtr n)
{
    int r = 0;
    static const char *const keys[] = {"class", "id", NULL};
    for (const char *const *k = keys; *k; k++) {
        char *v = html_attr(n, *k);
        if (!v)
            continue;
        const char *p = v;
        while (*p) {
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                p++;
            const char *e = p;
            while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
                e++;
            if (e > p)
                r |= classify_token(p, (size_t)(e - p));
            p = e;
        }
        xmlFree(v);
    }
    return r;
}

static int body_hint(xmlNodePtr n)
{
    if (html_attr_eq(n, "itemprop", "articleBody"))
        return 3;
    int c = classify(n);
    if (c & CLS_BODY)
        return 2;
    if (html_name_is(n, "article"))
        return 1;
    return 0;
}

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Non-space bytes in a text node (NBSP counts as space). */
static size_t text_weight(const char *s)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (is_space_byte(*p))
            continue;
        if (p[0] == 0xC2 && p[1] == 0xA0) {
            p++;
            continue;
        }
        k++;
    }
    return k;
}

/* Fills st with one Stat per element under root (document order). */
static int gather_stats(xmlNodePtr root, Stats *st)
{
    st->n = 0;
    Walk w;
    int cur = -1, in_link = 0;
    for (xmlNodePtr n = html_walk_start(&w, root); n; n = html_walk_next(&w)) {
        if (n->type == XML_ELEMENT_NODE) {
            if (!w.leaving) {
                if (name_in(n, hard_tags)) {
                    n->_private = NULL;
                    w.skip = 1;
                    continue;
                }
                if (st->n == st->cap) {
                    size_t c = st->cap ? st->cap * 2 : 256;
                    Stat *p = realloc(st->s, c * sizeof *p);
                    if (!p) {
                        st->oom = 1;
                        return -1;
                    }
                    st->s = p;
                    st->cap = c;
                }
                int idx = (int)st->n++;
                Stat *s = &st->s[idx];
                memset(s, 0, sizeof *s);
                s->node = n;
                s->parent = cur;
                s->blk = (is_block(n) || cur < 0) ? idx : st->s[cur].blk;
                n->_private = (void *)(intptr_t)(idx + 1);
                cur = idx;
                if (html_name_is(n, "a"))
                    in_link++;
            } else {
                if (name_in(n, hard_tags))
                    continue;
                Stat *s = &st->s[cur];
                if (html_name_is(n, "a") && in_link > 0)
                    in_link--;
                if (s->parent >= 0) {
                    st->s[s->parent].text += s->text;
                    st->s[s->parent].link += s->link;
                }
                cur = s->parent;
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content &&
                   cur >= 0) {
            size_t k = text_weight((const char *)n->content);
            Stat *b = &st->s[st->s[cur].blk];
            if (in_link) {
                st->s[cur].link += k;
                b->ilink += k;
            } else {
                st->s[cur].text += k;
                b->itext += k;
            }
        }
    }
    return 0;
}

static const char *const soft_tags[] = {"nav", "header", "footer", "aside", "form", "figure",
                                        "figcaption", "menu", NULL};
static const char *const bad_roles[] = {"navigation", "banner", "contentinfo", "complementary",
                                        "search", "menu", "menubar", "dialog", "alertdialog",
                                        "toolbar", "tablist", NULL};

static int is_hidden(xmlNodePtr n)
{
    if (xmlHasProp(n, (const xmlChar *)"hidden") || html_attr_eq(n, "aria-hidden", "true"))
        return 1;
    char *style = html_attr(n, "style");
    int r = 0;
    if (style) {
        char buf[256];
        size_t k = 0;
        for (const char *p = style; *p && k + 1 < sizeof buf; p++)
            if (*p != ' ' && *p != '\t')
                buf[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        buf[k] = 0;
        r = strstr(buf, "display:none") || strstr(buf, "visibility:hidden");
        xmlFree(style);
    }
    return r;
}

/* Is element n furniture (to delete)? st holds the pass-one stats. */
static int is_furniture(xmlNodePtr n, const Stats *st, size_t total, int have_primary)
{
    if (html_name_is(n, "body") || html_name_is(n, "html") || html_name_is(n, "main") || html_name_is(n, "article"))
        return 0;
    int idx = stat_of(n);
    const Stat *s = idx >= 0 ? &st->s[idx] : NULL;
    if (s && (s->has_primary || s->hint >= 2))
        return 0;
    /* without a body hint, an element holding most of the page's prose stays */
    if (s && !have_primary && total > 0 && s->text * 10 >= total * 6)
        return 0;
    if (name_in(n, soft_tags))
        return 1;
    if (is_hidden(n))
        return 1;
    char *role = html_attr(n, "role");
    int bad = role && word_in(role, bad_roles);
    xmlFree(role);
    if (bad)
        return 1;
    int c = classify(n);
    return (c & CLS_NEG) && !(c & CLS_POS);
}

/* Deletes furniture under body. */
static int remove_furniture(xmlNodePtr body)
{
    Stats st = {0};
    if (gather_stats(body, &st) < 0) {
        free(st.s);
        return -1;
    }
    size_t total = st.n ? st.s[0].text : 0;
    /* the primary hint: the strongest body hint holding the most prose */
    int primary = -1;
    double primary_v = 0;
    for (size_t i = 0; i < st.n; i++) {
        Stat *s = &st.s[i];
        s->hint = body_hint(s->node);
        double v = (double)s->text * (s->hint == 3 ? 2.0 : s->hint == 2 ? 1.5 : 1.0);
        if (s->hint && v > primary_v) {
            primary_v = v;
            primary = (int)i;
        }
    }
    /* a hinted element with little of the page's prose is a teaser card */
    if (primary >= 0 && st.s[primary].text * (st.s[primary].hint == 1 ? 4 : 7) < total)
        primary = -1;
    for (int i = primary; i >= 0; i = st.s[i].parent)
        st.s[i].has_primary = 1;

    xmlNodePtr *doomed = NULL;
    size_t nd = 0, cd = 0;
    Walk w;
    int rc = 0;
    for (xmlNodePtr n = html_walk_start(&w, body); n; n = html_walk_next(&w)) {
        if (n->type != XML_ELEMENT_NODE || w.leaving)
            continue;
        int hard = name_in(n, hard_tags);
        if (!hard && !is_furniture(n, &st, total, primary >= 0))
            continue;
        w.skip = 1;
        if (n == body)
            continue;
        if (nd == cd) {
            size_t c = cd ? cd * 2 : 64;
            xmlNodePtr *p = realloc(doomed, c * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            doomed = p;
            cd = c;
        }
        doomed[nd++] = n;
    }
    for (size_t i = 0; i < nd; i++) {
        xmlUnlinkNode(doomed[i]);
        xmlFreeNode(doomed[i]);
    }
    free(doomed);
    free(st.s);
    return rc;
}

static const char *const para_tags[] = {"p", "pre", "li", "blockquote", "h2", "h3", "h4",
                                        "dd", "td", NULL};

/* Picks the content container; returns its Stat index or -1. */
static int choose_container(Stats *st)
{
    for (size_t i = 0; i < st->n; i++) {
        Stat *s = &st->s[i];
        if (s->blk != (int)i)
            continue;
        size_t t = s->itext;
        if (t < 20 || s->ilink * 2 > t)
            continue; /* too short, or mostly links */
        double v = (double)t;
        int target = (int)i;
        if (name_in(s->node, para_tags) && s->parent >= 0)
            target = s->parent; /* a paragraph credits its container */
        st->s[target].score += v;
        if (st->s[target].parent >= 0)
            st->s[st->s[target].parent].score += v / 2;
    }
    int best = -1;
    double best_v = 0;
    for (size_t i = 0; i < st->n; i++) {
        Stat *s = &st->s[i];
        if (s->score <= 0)
            continue;
        double all = (double)(s->text + s->link);
        double ld = all > 0 ? (double)s->link / all : 0;
        double v = s->score * (1.0 - ld);
        int h = body_hint(s->node);
        if (h == 3)
            v *= 1.6;
        else if (h == 2)
            v *= 1.4;
        else if (h == 1)
            v *= 1.2;
        s->score = v;
        if (v > best_v) {
            best_v = v;
            best = (int)i;
        }
    }
    return best;
}

/* Renders the container and its siblings that carry similar prose. */
static char *render_body(Stats *st, int best)
{
    TextOut t = {0};
    t.drop_links = 1;
    Stat *b = &st->s[best];
    xmlNodePtr parent = b->node->parent;
    int with_siblings = parent && parent->type == XML_ELEMENT_NODE && !html_name_is(b->node, "body");
    if (!with_siblings) {
        html_render(&t, b->node, 1);
    } else {
        double thresh = b->score * 0.2 > 10 ? b->score * 0.2 : 10;
        for (xmlNodePtr c = parent->children; c; c = c->next) {
            if (c == b->node) {
                html_render(&t, c, 1);
                continue;
            }
            if (c->type != XML_ELEMENT_NODE || !c->_private)
                continue;
            Stat *s = &st->s[stat_of(c)];
            double all = (double)(s->text + s->link);
            double ld = all > 0 ? (double)s->link / all : 1;
            int ok = (s->score >= thresh && ld < 0.25) ||
                     (html_name_is(c, "p") && s->text >= 80 && ld < 0.25);
            if (ok)
                html_render(&t, c, 1);
        }
    }
    return text_out_finish(&t);
}

/* Drops a first paragraph that repeats the headline. */
static void drop_repeated_title(char *body, const char *title)
{
    if (!body || !title)
        return;
    size_t tn = strlen(title);
    if (strncmp(body, title, tn) == 0 && (body[tn] == '\0' || body[tn] == '\n')) {
        const char *rest = body + tn;
        while (*rest == '\n')
            rest++;
        memmove(body, rest, strlen(rest) + 1);
    }
}

static char *extract_body(htmlDocPtr doc, int *oom)
{
    xmlNodePtr body = find_body(doc);
    if (!body)
        return NULL;
    if (remove_furniture(body) < 0) {
        *oom = 1;
        return NULL;
    }
    Stats st = {0};
    if (gather_stats(body, &st) < 0) {
        free(st.s);
        *oom = 1;
        return NULL;
    }
    char *text = NULL;
    int best = choose_container(&st);
    if (best >= 0)
        text = render_body(&st, best);
    free(st.s);
    if (best >= 0 && !text)
        *oom = 1;
    return text;
}

rasd_err ingest_html(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err)
{
    if (!bytes && n)
        return rasd_fail(err, RASD_EINVAL, "%s: no input bytes", origin ? origin : "html");
    if (!origin)
        origin = "html";
    htmlDocPtr doc = parse_html(bytes ? bytes : "", n);
    if (!doc)
        return rasd_fail(err, RASD_EFORMAT, "%s: could not be parsed as HTML", origin);
    Meta m = {0};
    html_collect_meta(doc, &m);
    html_finish_title(&m);
    int oom = 0;
    char *body = extract_body(doc, &oom);
    xmlFreeDoc(doc);
    if (oom) {
        free(body);
        html_meta_free(&m);
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory while reading HTML", origin);
    }
    drop_repeated_title(body, m.title.v);
    if ((!body || !*body) && m.ld_body && *m.ld_body) {
        free(body);
        body = m.ld_body;
        m.ld_body = NULL;
    }
    if (!body || !*body) {
        free(body);
        html_meta_free(&m);
        return rasd_fail(err, RASD_EFORMAT, "%s: no article text found in the HTML page", origin);
    }
    Article *a = batch_add(out);
    char *org = xstrndup(origin, strlen(origin));
    if (!a || !org) {
        free(org);
        free(body);
        html_meta_free(&m);
        if (a)
            out->n--;
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", origin);
    }
    a->body = body;
    a->origin = org;
    a->title = m.title.v;
    a->outlet = m.outlet.v;
    a->published = m.published.v;
    a->url = m.url.v;
    a->author = m.author.v;
    m.title.v = m.outlet.v = m.published.v = m.url.v = m.author.v = NULL;
    html_meta_free(&m);
    ingest_split_appended(out, out->n - 1);
    return RASD_OK;
}
