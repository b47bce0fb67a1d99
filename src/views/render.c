/*
 * render.c — a brief (brief.h JSON) as text for a terminal, Markdown, or
 * one self-contained right-to-left HTML page.
 *
 * The HTML page carries its own font (Noto Naskh Arabic, web/fonts/,
 * embedded at build time and written as base64 data URLs) and no script or
 * outside reference, so it reads the same on any machine, offline. Every
 * string from the articles is escaped; citations link to the document list
 * at the bottom of the page.
 */
#include <jansson.h>
#include <string.h>

#include "story/brief.h"

extern const unsigned char font_naskh_400[];
extern const unsigned long font_naskh_400_len;
extern const unsigned char font_naskh_700[];
extern const unsigned long font_naskh_700_len;

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

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
    for (; *s; s++) {
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
    for (; *s; s++) {
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
    if (fmt == BRIEF_HTML)
        html(b, s);
    else if (fmt == BRIEF_MD)
        md(b, s);
    else
        buf_puts(b, s);
}

/* "[a، b]" from a JSON array of outlet names. */
static void cite(Buf *b, int fmt, json_t *arr)
{
    size_t n = json_array_size(arr);
    if (!n)
        return;
    buf_puts(b, fmt == BRIEF_HTML ? " <span class=\"cite\">[" : " [");
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(b, "، ");
        text(b, fmt, json_string_value(json_array_get(arr, i)) ? json_string_value(json_array_get(arr, i)) : "");
    }
    buf_puts(b, fmt == BRIEF_HTML ? "]</span>" : "]");
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
static const char *type_label(const char *t)
{
    static const char *const map[][2] = {{"PER", "شخص"},   {"LOC", "مكان"}, {"GPE", "مكان"},
                                         {"ORG", "منظمة"}, {"MISC", "اسم"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(t, map[i][0]) == 0)
            return map[i][1];
    return t;
}

static void heading(Buf *b, int fmt, const char *h)
{
    if (fmt == BRIEF_HTML)
        buf_printf(b, "<h2>%s</h2>\n", h);
    else if (fmt == BRIEF_MD)
        buf_printf(b, "\n## %s\n\n", h);
    else
        buf_printf(b, "\n%s\n", h);
}

static void item_open(Buf *b, int fmt)
{
    buf_puts(b, fmt == BRIEF_HTML ? "<li>" : fmt == BRIEF_MD ? "- " : "  • ");
}

static void item_close(Buf *b, int fmt)
{
    buf_puts(b, fmt == BRIEF_HTML ? "</li>\n" : "\n");
}

static void list_open(Buf *b, int fmt, const char *cls)
{
    if (fmt == BRIEF_HTML)
        buf_printf(b, "<ul class=\"%s\">\n", cls);
}

static void list_close(Buf *b, int fmt)
{
    if (fmt == BRIEF_HTML)
        buf_puts(b, "</ul>\n");
}

static const char *CSS =
    "body{font-family:'Noto Naskh Arabic',serif;direction:rtl;max-width:60em;margin:2em auto;"
    "padding:0 1em;line-height:1.9;color:#1d1d1d;background:#fdfcf8}"
    "h1{font-weight:700;font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;"
    "margin-top:1.6em;font-size:1.2em}.meta{color:#555}.cite{color:#1a5e8a;font-size:.9em}"
    ".conflict{border:1px solid #e0b4b4;background:#fff6f6;padding:.5em 1em;margin:.6em 0}"
    ".values{display:flex;gap:1em;flex-wrap:wrap}.value{flex:1;min-width:14em;"
    "border-inline-start:3px solid #c0392b;padding-inline-start:.6em}.value b{color:#c0392b}"
    "li{margin:.3em 0}.date{font-weight:700;font-family:monospace;direction:ltr;"
    "unicode-bidi:isolate}.docs{font-size:.9em;color:#444}";

rasd_err brief_render(const char *json, size_t n, int fmt, Buf *b, rasd_error *err)
{
    json_error_t je;
    json_t *r = json_loadb(json, n, 0, &je);
    if (!r || !json_is_object(r)) {
        json_decref(r);
        return rasd_fail(err, RASD_EFORMAT, "brief JSON, line %d: %s", je.line, je.text);
    }
    const char *head = str(r, "headline");
    json_int_t narts = json_integer_value(json_object_get(r, "articles"));
    json_int_t nsrc = json_integer_value(json_object_get(r, "sources"));
    size_t nout = json_array_size(json_object_get(r, "outlets"));
    if (fmt == BRIEF_HTML) {
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
    } else if (fmt == BRIEF_MD) {
        buf_puts(b, "# ");
        md(b, *head ? head : "(بلا عنوان)");
        buf_puts(b, "\n\n");
    } else {
        buf_printf(b, "%s\n", *head ? head : "(بلا عنوان)");
    }
    text(b, fmt, str(r, "first"));
    buf_puts(b, " … ");
    text(b, fmt, str(r, "last"));
    buf_puts(b, " · ");
    static const char *const art[] = {"مقالة واحدة", "مقالتان", "مقالتين", "مقالات", "مقالةً",
                                      "مقالة"};
    static const char *const out[] = {"منفذ واحد", "منفذان", "منفذين", "منافذ", "منفذًا", "منفذ"};
    static const char *const src[] = {"مصدر مستقل واحد", "مصدران مستقلان", "مصدرين مستقلين",
                                      "مصادر مستقلة", "مصدرًا مستقلًا", "مصدر مستقل"};
    ar_count(b, narts, art, 0);
    buf_puts(b, " من ");
    ar_count(b, (long long)nout, out, 1);
    buf_puts(b, " (");
    ar_count(b, nsrc, src, 0);
    buf_puts(b, ")");
    buf_puts(b, fmt == BRIEF_HTML ? "</p>\n" : "\n");

    json_t *arr = json_object_get(r, "summary");
    if (json_array_size(arr)) {
        heading(b, fmt, "الخلاصة");
        list_open(b, fmt, "summary");
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *s = json_array_get(arr, i);
            item_open(b, fmt);
            text(b, fmt, str(s, "text"));
            cite(b, fmt, json_object_get(s, "sources"));
            item_close(b, fmt);
        }
        list_close(b, fmt);
    }
    arr = json_object_get(r, "quotes");
    if (json_array_size(arr)) {
        heading(b, fmt, "التصريحات");
        list_open(b, fmt, "quotes");
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *sp = json_array_get(arr, i);
            json_t *qs = json_object_get(sp, "quotes");
            for (size_t k = 0; k < json_array_size(qs); k++) {
                json_t *q = json_array_get(qs, k);
                item_open(b, fmt);
                if (fmt == BRIEF_HTML)
                    buf_puts(b, "<b>");
                text(b, fmt, str(sp, "speaker"));
                buf_puts(b, fmt == BRIEF_HTML ? "</b>: «" : ": «");
                text(b, fmt, str(q, "text"));
                buf_puts(b, "»");
                if (*str(q, "via")) {
                    buf_puts(b, " (");
                    text(b, fmt, str(q, "via"));
                    buf_puts(b, ")");
                }
                cite(b, fmt, json_object_get(q, "sources"));
                item_close(b, fmt);
            }
            /* the brief shows a few statements per speaker: say how many more */
            json_int_t more = json_integer_value(json_object_get(sp, "more"));
            if (more > 0) {
                static const char *const st[] = {"تصريح آخر", "تصريحان آخران", "تصريحين آخرين",
                                                 "تصريحات أخرى", "تصريحًا آخر", "تصريح آخر"};
                item_open(b, fmt);
                buf_puts(b, "ولـ");
                text(b, fmt, str(sp, "speaker"));
                buf_puts(b, " ");
                ar_count(b, more, st, 0);
                buf_puts(b, " في المقالات");
                item_close(b, fmt);
            }
        }
        json_int_t more_sp = json_integer_value(json_object_get(r, "more_speakers"));
        if (more_sp > 0) {
            static const char *const sp[] = {"متحدث آخر", "متحدثان آخران", "متحدثين آخرين",
                                             "متحدثين آخرين", "متحدثًا آخر", "متحدث آخر"};
            item_open(b, fmt);
            buf_puts(b, "وتصريحات ");
            ar_count(b, more_sp, sp, 1);
            buf_printf(b, " (rasd quotes --story %lld)",
                       (long long)json_integer_value(json_object_get(r, "story")));
            item_close(b, fmt);
        }
        list_close(b, fmt);
    }
    arr = json_object_get(r, "timeline");
    if (json_array_size(arr)) {
        heading(b, fmt, "التسلسل الزمني");
        list_open(b, fmt, "timeline");
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *t = json_array_get(arr, i);
            item_open(b, fmt);
            if (fmt == BRIEF_HTML)
                buf_puts(b, "<span class=\"date\">");
            text(b, fmt, str(t, "value"));
            buf_puts(b, fmt == BRIEF_HTML ? "</span> " : "  ");
            text(b, fmt, str(t, "sentence"));
            cite(b, fmt, json_object_get(t, "sources"));
            item_close(b, fmt);
        }
        list_close(b, fmt);
    }
    arr = json_object_get(r, "conflicts");
    if (json_array_size(arr)) {
        heading(b, fmt, "تعارضات بين المنافذ");
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *c = json_array_get(arr, i);
            if (fmt == BRIEF_HTML)
                buf_puts(b, "<div class=\"conflict\"><p>");
            else
                buf_puts(b, fmt == BRIEF_MD ? "- **" : "  ! ");
            text(b, fmt, str(c, "kind"));
            buf_puts(b, ": ");
            text(b, fmt, str(c, "subject"));
            buf_puts(b, fmt == BRIEF_HTML ? "</p><div class=\"values\">" : fmt == BRIEF_MD ? "**\n" : "\n");
            json_t *vals = json_object_get(c, "values");
            for (size_t k = 0; k < json_array_size(vals); k++) {
                json_t *v = json_array_get(vals, k);
                if (fmt == BRIEF_HTML)
                    buf_puts(b, "<div class=\"value\"><b>");
                else
                    buf_puts(b, fmt == BRIEF_MD ? "  - *" : "      ");
                text(b, fmt, str(v, "value"));
                buf_puts(b, fmt == BRIEF_HTML ? "</b>" : fmt == BRIEF_MD ? "*" : "");
                cite(b, fmt, json_object_get(v, "sources"));
                json_t *sents = json_object_get(v, "sentences");
                for (size_t q = 0; q < json_array_size(sents); q++) {
                    const char *s = json_string_value(json_array_get(sents, q));
                    buf_puts(b, fmt == BRIEF_HTML ? "<p>«" : fmt == BRIEF_MD ? "\n    > " : "\n        «");
                    text(b, fmt, s ? s : "");
                    buf_puts(b, fmt == BRIEF_HTML ? "»</p>" : fmt == BRIEF_MD ? "" : "»");
                }
                buf_puts(b, fmt == BRIEF_HTML ? "</div>" : "\n");
            }
            buf_puts(b, fmt == BRIEF_HTML ? "</div></div>\n" : "");
        }
    }
    arr = json_object_get(r, "entities");
    if (json_array_size(arr)) {
        heading(b, fmt, "الأسماء وتهجئاتها");
        list_open(b, fmt, "entities");
        for (size_t i = 0; i < json_array_size(arr) && i < 15; i++) {
            json_t *e = json_array_get(arr, i);
            item_open(b, fmt);
            text(b, fmt, str(e, "name"));
            buf_puts(b, " (");
            text(b, fmt, type_label(str(e, "type"))); /* Arabic label; anything else escaped */
            json_t *v = json_object_get(e, "variants");
            for (size_t k = 0; k < json_array_size(v); k++) {
                const char *s = json_string_value(json_array_get(v, k));
                if (!s || !strcmp(s, str(e, "name")))
                    continue;
                buf_puts(b, " / ");
                text(b, fmt, s);
            }
            buf_puts(b, ")");
            cite(b, fmt, json_object_get(e, "outlets"));
            item_close(b, fmt);
        }
        list_close(b, fmt);
    }
    arr = json_object_get(r, "documents");
    if (json_array_size(arr)) {
        heading(b, fmt, "المقالات");
        list_open(b, fmt, "docs");
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *d = json_array_get(arr, i);
            item_open(b, fmt);
            text(b, fmt, str(d, "published"));
            buf_puts(b, "  ");
            text(b, fmt, *str(d, "outlet") ? str(d, "outlet") : "-");
            buf_puts(b, "  ");
            const char *label = *str(d, "title") ? str(d, "title")
                                : *str(d, "name") ? str(d, "name") : str(d, "id");
            const char *url = str(d, "url");
            int linkable = strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
            if (fmt == BRIEF_HTML && linkable) { /* only web links: never javascript: */
                buf_puts(b, "<a href=\"");
                text(b, fmt, url);
                buf_puts(b, "\" rel=\"noopener\">");
                text(b, fmt, label);
                buf_puts(b, "</a>");
            } else {
                text(b, fmt, label);
                if (linkable) {
                    buf_puts(b, "  ");
                    text(b, fmt, url);
                }
            }
            item_close(b, fmt);
        }
        list_close(b, fmt);
    }
    if (fmt == BRIEF_HTML)
        buf_puts(b, "</body></html>\n");
    json_decref(r);
    return b->oom ? rasd_fail(err, RASD_ENOMEM, "out of memory") : RASD_OK;
}
