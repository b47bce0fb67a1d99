/*
 * render.c — a brief (struct rasd_brief, include/rasd.h) as text for a
 * terminal, Markdown, or one self-contained right-to-left HTML page; the
 * conflicts and timeline views as text lines (views.h).
 *
 * The HTML page carries its own font (Noto Naskh Arabic, web/fonts/,
 * embedded at build time and written as base64 data URLs) and no script or
 * outside reference, so it reads the same on any machine, offline. Every
 * string from the articles is escaped; citations link to the document list
 * at the bottom of the page.
 */
#include <string.h>

#include "views/views.h"

extern const unsigned char font_naskh_400[];
extern const unsigned long font_naskh_400_len;
extern const unsigned char font_naskh_700[];
extern const unsigned long font_naskh_700_len;

/* a field the store had no value for reads as "" */
static const char *str(const char *s) { return s ? s : ""; }

static void base64(Buf *b, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char q[4] = { tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                      i + 2 < n ? tab[v & 63] : '=' };
        buf_append(b, q, 4);
    }
}

/* Escapes for HTML text and attribute values; Markdown gets the same plus nothing. */
static void html(Buf *b, const char *s)
{
    for (s = str(s); *s; s++) {
        switch (*s) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_putc(b, *s);
        }
    }
}

/* Markdown: one line, characters with a meaning escaped. */
static void md(Buf *b, const char *s)
{
    for (s = str(s); *s; s++) {
        if (*s == '\n') {
            buf_putc(b, ' ');
            continue;
        }
        if (strchr("\\`*_[]<>#|", *s))
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
}

static void text(Buf *b, int fmt, const char *s)
{
    if (fmt == RASD_FMT_HTML)
        html(b, s);
    else if (fmt == RASD_FMT_MD)
        md(b, s);
    else
        buf_puts(b, str(s));
}

/* The URL a citation links to: its own, else its article's in the
   brief's document list (NULL when neither has one). */
static const char *cite_url(const rasd_brief *r, const rasd_citation *c)
{
    if (c->url)
        return c->url;
    size_t n = r ? views_brief_doc_number(r, c->article) : 0;
    return n ? r->documents[n - 1].url : NULL;
}

static int web_link(const char *url)
{
    return url && (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8));
}

/* Appends s[0,n) percent-encoded for a text fragment (all but ASCII letters,
   digits and . _ ~: "-", "," and "&" are its syntax). */
static void fragment_text(Buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        }
    }
}

/*
 * HTML: opens a link from a cited sentence to its article's page with a
 * text fragment (#:~:text=FIRST,LAST: its first and last four words, or
 * the whole sentence when short), so a browser that supports them scrolls
 * to the sentence and highlights it. 0, and nothing written, when the
 * format is not HTML or url is not a web link (never javascript: and the like).
 */
static int cite_open(Buf *b, int fmt, const char *url, const char *sentence)
{
    if (fmt != RASD_FMT_HTML || !sentence || !web_link(url))
        return 0;
    Buf u = {0};
    buf_puts(&u, url);
    buf_puts(&u, strchr(url, '#') ? ":~:text=" : "#:~:text=");
    /* word boundaries: the 4th space from the start and from the end */
    size_t n = strlen(sentence), head = n, tail = 0;
    int w = 0;
    for (size_t i = 0; i < n && w < 4; i++)
        if (sentence[i] == ' ' && ++w == 4)
            head = i;
    w = 0;
    for (size_t i = n; i > 0 && w < 4; i--)
        if (sentence[i - 1] == ' ' && ++w == 4)
            tail = i;
    if (head < n && tail > head) {
        fragment_text(&u, sentence, head);
        buf_putc(&u, ',');
        fragment_text(&u, sentence + tail, n - tail);
    } else {
        fragment_text(&u, sentence, n);
    }
    if (u.oom)
        b->oom = 1; /* a link cut short would point elsewhere: the render fails */
    buf_puts(b, "<a class=\"src\" rel=\"noopener\" href=\"");
    text(b, fmt, u.data ? u.data : url);
    buf_puts(b, "\">");
    buf_free(&u);
    return 1;
}

static void cite_close(Buf *b, int opened)
{
    if (opened)
        buf_puts(b, "</a>");
}

/* A URL as a Markdown link destination: <, >, (, ), spaces and controls
   percent-encoded, so an article's URL cannot end the link or start markup. */
static void md_url(Buf *b, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= ' ' || strchr("<>()[]\\`", *p)) {
            buf_putc(b, '%');
            buf_putc(b, hex[*p >> 4]);
            buf_putc(b, hex[*p & 15]);
        } else {
            buf_putc(b, (char)*p);
        }
    }
}

/*
 * Which article a claim is taken from: its number in the document list at
 * the end of the brief, where its outlet, title and URL are ("(3)"; in
 * Markdown a link to the article's web page, in HTML to the list's entry).
 * Nothing when the article is not listed.
 */
static void cite_ref(Buf *b, int fmt, const rasd_brief *r, const rasd_citation *c)
{
    size_t n = r ? views_brief_doc_number(r, c->article) : 0;
    if (!n)
        return;
    const char *url = cite_url(r, c);
    if (fmt == RASD_FMT_HTML) {
        buf_printf(b, " <sup><a href=\"#doc-%zu\">%zu</a></sup>", n, n);
    } else if (fmt == RASD_FMT_MD && web_link(url)) {
        buf_printf(b, " ([%zu](", n);
        md_url(b, url);
        buf_puts(b, "))");
    } else {
        buf_printf(b, " (%zu)", n);
    }
}

/* "[a، b]" from outlet names. */
static void cite(Buf *b, int fmt, const char *const *v, size_t n)
{
    if (!n)
        return;
    buf_puts(b, fmt == RASD_FMT_HTML ? " <span class=\"cite\">[" : " [");
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(b, "، ");
        text(b, fmt, v[i]);
    }
    buf_puts(b, fmt == RASD_FMT_HTML ? "]</span>" : "]");
}

/*
 * A count with its noun in Arabic agreement: forms are {one, two (nominative),
 * two (genitive), 3-10 (plural), 11-99 (singular accusative), hundreds
 * (singular genitive)}: "مقالتان", "5 مقالات", "40 مقالةً", "100 مقالة".
 */
static void ar_count(Buf *b, long long n, const char *const forms[6], int genitive)
{
    long long r = n % 100;
    if (n == 1)
        buf_puts(b, forms[0]);
    else if (n == 2)
        buf_puts(b, forms[genitive ? 2 : 1]);
    else if (r >= 3 && r <= 10)
        buf_printf(b, "%lld %s", n, forms[3]);
    else if (r >= 11)
        buf_printf(b, "%lld %s", n, forms[4]);
    else
        buf_printf(b, "%lld %s", n, forms[5]);
}

/* the reader sees an Arabic word for an entity type, never a tag like PER */
/* A conflict's kind as the analyst reads it (web/js/ar.js KIND); an unknown
   kind is shown as it is (escaped by the caller). */
static const char *kind_label(const char *k)
{
    static const char *const map[][2] = {{"role", "تعارض في صاحب المنصب"},
                                         {"number", "تعارض في الأرقام"},
                                         {"date", "تعارض في التاريخ"},
                                         {"attribution", "تعارض في نسبة القول"},
                                         {"wording", "اختلاف في الصياغة"}};
    for (size_t i = 0; k && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(k, map[i][0]))
            return map[i][1];
    return k;
}

/* What a conflict is called: an update (a later figure replacing an
   earlier one: web/js/ar.js UPDATE) is no contradiction. */
static const char *conflict_label(const rasd_conflict *c)
{
    return c->update ? "تحديث للرقم (الأحدث نشرًا يحل محل الأقدم)" : kind_label(c->kind);
}

static const char *type_label(const char *t)
{
    t = str(t);
    static const char *const map[][2] = {{"PER", "شخص"},   {"LOC", "مكان"}, {"GPE", "مكان"},
                                         {"ORG", "منظمة"}, {"MISC", "اسم"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(t, map[i][0]) == 0)
            return map[i][1];
    return t;
}

static void heading(Buf *b, int fmt, const char *h)
{
    if (fmt == RASD_FMT_HTML)
        buf_printf(b, "<h2>%s</h2>\n", h);
    else if (fmt == RASD_FMT_MD)
        buf_printf(b, "\n## %s\n\n", h);
    else
        buf_printf(b, "\n%s\n", h);
}

static void item_open(Buf *b, int fmt)
{
    buf_puts(b, fmt == RASD_FMT_HTML ? "<li>" : fmt == RASD_FMT_MD ? "- " : "  • ");
}

static void item_close(Buf *b, int fmt)
{
    buf_puts(b, fmt == RASD_FMT_HTML ? "</li>\n" : "\n");
}

static void list_open(Buf *b, int fmt, const char *cls)
{
    if (fmt == RASD_FMT_HTML)
        buf_printf(b, "<ul class=\"%s\">\n", cls);
}

static void list_close(Buf *b, int fmt)
{
    if (fmt == RASD_FMT_HTML)
        buf_puts(b, "</ul>\n");
}

static const char *CSS =
    "body{font-family:'Noto Naskh Arabic',serif;direction:rtl;max-width:60em;margin:2em auto;"
    "padding:0 1em;line-height:1.9;color:#1d1d1d;background:#fdfcf8}"
    "h1{font-weight:700;font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;"
    "margin-top:1.6em;font-size:1.2em}.meta{color:#555}.cite{color:#1a5e8a;font-size:.9em}a.src{color:inherit;text-decoration-color:#bbb}"
    ".conflict{border:1px solid #e0b4b4;background:#fff6f6;padding:.5em 1em;margin:.6em 0}"
    ".values{display:flex;gap:1em;flex-wrap:wrap}.value{flex:1;min-width:14em;"
    "border-inline-start:3px solid #c0392b;padding-inline-start:.6em}.value b{color:#c0392b}"
    "li{margin:.3em 0}.date{font-weight:700;font-family:monospace;direction:ltr;"
    "unicode-bidi:isolate}.docs{font-size:.9em;color:#444}";

static void page_head(Buf *b, int fmt, const rasd_brief *r)
{
    const char *head = str(r->headline);
    if (fmt == RASD_FMT_HTML) {
        buf_puts(b, "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>");
        html(b, *head ? head : "rasd brief");
        buf_puts(b, "</title><style>@font-face{font-family:'Noto Naskh Arabic';font-weight:400;"
                    "src:url(data:font/woff2;base64,");
        base64(b, font_naskh_400, font_naskh_400_len);
        buf_puts(b, ") format('woff2')}@font-face{font-family:'Noto Naskh Arabic';font-weight:700;"
                    "src:url(data:font/woff2;base64,");
        base64(b, font_naskh_700, font_naskh_700_len);
        buf_printf(b, ") format('woff2')}%s</style></head><body>\n<h1>", CSS);
        html(b, *head ? head : "(بلا عنوان)");
        buf_puts(b, "</h1>\n<p class=\"meta\">");
    } else if (fmt == RASD_FMT_MD) {
        buf_puts(b, "# ");
        md(b, *head ? head : "(بلا عنوان)");
        buf_puts(b, "\n\n");
    } else {
        buf_printf(b, "%s\n", *head ? head : "(بلا عنوان)");
    }
    text(b, fmt, r->first);
    buf_puts(b, " … ");
    text(b, fmt, r->last);
    buf_puts(b, " · ");
    static const char *const art[] = {"مقالة واحدة", "مقالتان", "مقالتين", "مقالات", "مقالةً",
                                      "مقالة"};
    static const char *const out[] = {"منفذ واحد", "منفذان", "منفذين", "منافذ", "منفذًا", "منفذ"};
    static const char *const src[] = {"مصدر مستقل واحد", "مصدران مستقلان", "مصدرين مستقلين",
                                      "مصادر مستقلة", "مصدرًا مستقلًا", "مصدر مستقل"};
    ar_count(b, r->articles, art, 0);
    /* the outlets the articles name (not the titles standing in for none);
       none named: the articles alone, as the web UI says it */
    int64_t outlets = r->named_outlets;
    if (outlets > 0) {
        buf_puts(b, " من ");
        ar_count(b, (long long)outlets, out, 1);
    }
    buf_puts(b, " (");
    ar_count(b, r->sources, src, 0);
    buf_puts(b, ")");
    buf_puts(b, fmt == RASD_FMT_HTML ? "</p>\n" : "\n");
}

static void summary(Buf *b, int fmt, const rasd_brief *r)
{
    if (!r->nsummary)
        return;
    heading(b, fmt, "الخلاصة");
    list_open(b, fmt, "summary");
    for (size_t i = 0; i < r->nsummary; i++) {
        const rasd_brief_sentence *s = &r->summary[i];
        item_open(b, fmt);
        int link = cite_open(b, fmt, cite_url(r, &s->cite), s->text);
        text(b, fmt, s->text);
        cite_close(b, link);
        cite(b, fmt, s->sources, s->nsources);
        cite_ref(b, fmt, r, &s->cite);
        item_close(b, fmt);
    }
    list_close(b, fmt);
}

static void quotes(Buf *b, int fmt, const rasd_brief *r)
{
    if (!r->nspeakers)
        return;
    heading(b, fmt, "التصريحات");
    list_open(b, fmt, "quotes");
    for (size_t i = 0; i < r->nspeakers; i++) {
        const rasd_brief_speaker *sp = &r->speakers[i];
        for (size_t k = 0; k < sp->nquotes; k++) {
            const rasd_brief_quote *q = &sp->quotes[k];
            item_open(b, fmt);
            if (fmt == RASD_FMT_HTML)
                buf_puts(b, "<b>");
            text(b, fmt, sp->speaker);
            buf_puts(b, fmt == RASD_FMT_HTML ? "</b>: «" : ": «");
            int link = cite_open(b, fmt, cite_url(r, &q->cite), q->text);
            text(b, fmt, q->text);
            cite_close(b, link);
            buf_puts(b, "»");
            if (*str(q->via)) {
                buf_puts(b, " (");
                text(b, fmt, q->via);
                buf_puts(b, ")");
            }
            cite(b, fmt, q->sources, q->nsources);
            cite_ref(b, fmt, r, &q->cite);
            item_close(b, fmt);
        }
        /* the brief shows a few statements per speaker: say how many more */
        if (sp->more > 0) {
            static const char *const st[] = {"تصريح آخر", "تصريحان آخران", "تصريحين آخرين",
                                             "تصريحات أخرى", "تصريحًا آخر", "تصريح آخر"};
            item_open(b, fmt);
            buf_puts(b, "ولـ");
            text(b, fmt, sp->speaker);
            buf_puts(b, " ");
            ar_count(b, sp->more, st, 0);
            buf_puts(b, " في المقالات");
            item_close(b, fmt);
        }
    }
    if (r->more_speakers > 0) {
        static const char *const sp[] = {"متحدث آخر", "متحدثان آخران", "متحدثين آخرين",
                                         "متحدثين آخرين", "متحدثًا آخر", "متحدث آخر"};
        item_open(b, fmt);
        buf_puts(b, "وتصريحات ");
        ar_count(b, r->more_speakers, sp, 1);
        buf_printf(b, " (rasd quotes --story %lld)", (long long)r->story);
        item_close(b, fmt);
    }
    list_close(b, fmt);
}

static void timeline(Buf *b, int fmt, const rasd_brief *r)
{
    if (!r->ntimeline)
        return;
    heading(b, fmt, "التسلسل الزمني");
    list_open(b, fmt, "timeline");
    for (size_t i = 0; i < r->ntimeline; i++) {
        const rasd_brief_date *t = &r->timeline[i];
        item_open(b, fmt);
        if (fmt == RASD_FMT_HTML)
            buf_puts(b, "<span class=\"date\">");
        text(b, fmt, t->value);
        buf_puts(b, fmt == RASD_FMT_HTML ? "</span> " : "  ");
        int link = cite_open(b, fmt, cite_url(r, &t->cite), t->sentence);
        text(b, fmt, t->sentence);
        cite_close(b, link);
        cite(b, fmt, t->sources, t->nsources);
        cite_ref(b, fmt, r, &t->cite);
        item_close(b, fmt);
    }
    list_close(b, fmt);
}

static void conflicts(Buf *b, int fmt, const rasd_conflict_set *cs, const rasd_brief *r)
{
    if (!cs->n)
        return;
    heading(b, fmt, "تعارضات بين المنافذ");
    for (size_t i = 0; i < cs->n; i++) {
        const rasd_conflict *c = &cs->items[i];
        if (fmt == RASD_FMT_HTML)
            buf_puts(b, "<div class=\"conflict\"><p>");
        else
            buf_puts(b, fmt == RASD_FMT_MD ? "- **" : "  ! ");
        text(b, fmt, conflict_label(c));
        buf_puts(b, ": ");
        text(b, fmt, c->subject);
        buf_puts(b, fmt == RASD_FMT_HTML ? "</p><div class=\"values\">"
                    : fmt == RASD_FMT_MD ? "**\n" : "\n");
        for (size_t k = 0; k < c->nvalues; k++) {
            const rasd_conflict_value *v = &c->values[k];
            if (fmt == RASD_FMT_HTML)
                buf_puts(b, "<div class=\"value\"><b>");
            else
                buf_puts(b, fmt == RASD_FMT_MD ? "  - *" : "      ");
            text(b, fmt, v->value);
            buf_puts(b, fmt == RASD_FMT_HTML ? "</b>" : fmt == RASD_FMT_MD ? "*" : "");
            if (c->update && v->published) { /* the order is the point of an update */
                buf_puts(b, k ? " (ثم، " : " (أولًا، ");
                text(b, fmt, v->published);
                buf_puts(b, ")");
            }
            cite(b, fmt, v->sources, v->nsources);
            for (size_t q = 0; q < v->nsentences; q++) {
                buf_puts(b, fmt == RASD_FMT_HTML ? "<p>«"
                            : fmt == RASD_FMT_MD ? "\n    > " : "\n        «");
                const rasd_citation *ct = q < v->ncites ? &v->cites[q] : NULL;
                int link = cite_open(b, fmt, ct ? cite_url(r, ct) : NULL, v->sentences[q]);
                text(b, fmt, v->sentences[q]);
                cite_close(b, link);
                buf_puts(b, fmt == RASD_FMT_HTML ? "»" : fmt == RASD_FMT_MD ? "" : "»");
                if (ct)
                    cite_ref(b, fmt, r, ct);
                buf_puts(b, fmt == RASD_FMT_HTML ? "</p>" : "");
            }
            buf_puts(b, fmt == RASD_FMT_HTML ? "</div>" : "\n");
        }
        buf_puts(b, fmt == RASD_FMT_HTML ? "</div></div>\n" : "");
    }
}

static void entities(Buf *b, int fmt, const rasd_brief *r)
{
    if (!r->nentities)
        return;
    heading(b, fmt, "الأسماء وتهجئاتها");
    list_open(b, fmt, "entities");
    for (size_t i = 0; i < r->nentities && i < 15; i++) {
        const rasd_brief_name *e = &r->entities[i];
        item_open(b, fmt);
        text(b, fmt, e->name);
        buf_puts(b, " (");
        text(b, fmt, type_label(e->type)); /* Arabic label; anything else escaped */
        for (size_t k = 0; k < e->nvariants; k++) {
            const char *s = e->variants[k];
            if (!s || !strcmp(s, str(e->name)))
                continue;
            buf_puts(b, " / ");
            text(b, fmt, s);
        }
        buf_puts(b, ")");
        cite(b, fmt, e->outlets, e->noutlets);
        item_close(b, fmt);
    }
    list_close(b, fmt);
}

static void documents(Buf *b, int fmt, const rasd_brief *r)
{
    if (!r->ndocuments)
        return;
    heading(b, fmt, "المقالات");
    list_open(b, fmt, "docs");
    for (size_t i = 0; i < r->ndocuments; i++) {
        const rasd_brief_document *d = &r->documents[i];
        /* numbered: the claims above cite an article by its number (cite_ref) */
        if (fmt == RASD_FMT_HTML)
            buf_printf(b, "<li id=\"doc-%zu\">(%zu) ", i + 1, i + 1);
        else
            buf_printf(b, fmt == RASD_FMT_MD ? "- (%zu) " : "  (%zu) ", i + 1);
        text(b, fmt, d->published);
        buf_puts(b, "  ");
        /* an article without an outlet is named by its agency, site or title */
        text(b, fmt, *str(d->outlet) ? d->outlet : *str(d->name) ? d->name : "-");
        buf_puts(b, "  ");
        const char *label = *str(d->title) ? d->title : *str(d->name) ? d->name : str(d->id);
        const char *url = str(d->url);
        int linkable = web_link(url);
        if (fmt == RASD_FMT_HTML && linkable) { /* only web links: never javascript: */
            buf_puts(b, "<a href=\"");
            text(b, fmt, url);
            buf_puts(b, "\" rel=\"noopener\">");
            text(b, fmt, label);
            buf_puts(b, "</a>");
        } else {
            text(b, fmt, label);
            if (linkable) {
                buf_puts(b, "  ");
                if (fmt == RASD_FMT_MD)
                    md_url(b, url);
                else
                    text(b, fmt, url);
            }
        }
        item_close(b, fmt);
    }
    list_close(b, fmt);
}

rasd_err views_brief_render(const rasd_brief *r, int fmt, Buf *b, rasd_error *err)
{
    if (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_MD && fmt != RASD_FMT_HTML)
        return rasd_fail(err, RASD_EINVAL, "brief: format %d is not text, Markdown or HTML", fmt);
    page_head(b, fmt, r);
    summary(b, fmt, r);
    quotes(b, fmt, r);
    timeline(b, fmt, r);
    conflicts(b, fmt, &r->conflicts, r);
    entities(b, fmt, r);
    documents(b, fmt, r);
    if (fmt == RASD_FMT_HTML)
        buf_puts(b, "</body></html>\n");
    return b->oom ? rasd_fail(err, RASD_ENOMEM, "out of memory") : RASD_OK;
}

/* A JSON brief rendered (the fuzz targets' and old callers' entry). */
rasd_err brief_render(const char *json, size_t n, int fmt, Buf *b, rasd_error *err)
{
    rasd_brief *r = NULL;
    rasd_err e = views_brief_decode(json, n, &r, err);
    if (e == RASD_OK)
        e = views_brief_render(r, fmt, b, err);
    rasd_brief_free(r);
    return e;
}

/* "a، b" of outlet names, as the terminal shows them */
static void names(Buf *b, const char *const *v, size_t n)
{
    for (size_t q = 0; q < n; q++) {
        if (q)
            buf_puts(b, "، ");
        buf_puts(b, str(v[q]));
    }
}

void views_conflicts_text(const rasd_conflict_set *cs, Buf *b)
{
    for (size_t i = 0; i < cs->n; i++) {
        const rasd_conflict *c = &cs->items[i];
        buf_printf(b, "%s %lld  %s: %s\n", cs->event ? "حدث" : "قصة",
                   (long long)(cs->event ? cs->event : cs->story), str(conflict_label(c)),
                   str(c->subject));
        for (size_t k = 0; k < c->nvalues; k++) {
            const rasd_conflict_value *v = &c->values[k];
            buf_printf(b, "   %s  [", str(v->value));
            if (c->update && v->published)
                buf_printf(b, "%s %s: ", k ? "ثم" : "أولًا", v->published);
            names(b, v->sources, v->nsources);
            buf_puts(b, "]\n");
            for (size_t q = 0; q < v->nsentences; q++) {
                buf_printf(b, "      «%s»", str(v->sentences[q]));
                const rasd_citation *ct = q < v->ncites ? &v->cites[q] : NULL;
                if (ct && (ct->outlet || ct->url)) /* where the sentence is */
                    buf_printf(b, "  — %s%s%s", str(ct->outlet), ct->outlet && ct->url ? " " : "",
                               str(ct->url));
                buf_putc(b, '\n');
            }
        }
    }
}

void views_timeline_text(const rasd_brief *r, Buf *b)
{
    for (size_t i = 0; i < r->ntimeline; i++) {
        const rasd_brief_date *t = &r->timeline[i];
        buf_printf(b, "%-23s %s  [", str(t->value), str(t->sentence));
        names(b, t->sources, t->nsources);
        buf_putc(b, ']');
        if (t->cite.url) /* the article the sentence is taken from */
            buf_printf(b, "  %s", t->cite.url);
        buf_putc(b, '\n');
    }
}
