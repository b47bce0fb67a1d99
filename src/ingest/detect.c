/*
 * detect.c — which reader should read these bytes: plain text, HTML, a
 * feed or JSON. The content decides; the file name's extension only
 * breaks ties, because downloaded pages are often named .txt or have no
 * extension at all, and ".xml" may be a feed or anything else.
 *
 * We look at the first element after any BOM, white space, XML
 * declaration, comments and doctype: rss / feed / rdf:RDF is a feed, any
 * HTML-looking tag is a page. A leading '{' counts as JSON only when it
 * really parses (the first line for JSON Lines, else the whole input for
 * a pretty-printed object), since plain text can start with a brace too.
 * But a .json/.jsonl/.ndjson name, or content that opens like JSON ({" or
 * [{), is JSON whether it parses or not: the JSON reader then reports what
 * is broken instead of the text reader storing braces as an article.
 */
#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "ingest.h"

/* How much of the input the tag sniffing looks at. */
#define SNIFF_BYTES 8192

static int prefix_ci(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && strncasecmp(s, lit, k) == 0;
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            i++;
        else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBB &&
                 (unsigned char)s[i + 2] == 0xBF)
            i += 3; /* BOM, possibly repeated by careless concatenation */
        else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
            i += 2; /* no-break space */
        else
            break;
    }
    return i;
}

/* Returns the index just past `close` at or after i, or n. */
static size_t skip_past(const char *s, size_t n, size_t i, const char *close)
{
    size_t k = strlen(close);
    for (; i + k <= n; i++)
        if (memcmp(s + i, close, k) == 0)
            return i + k;
    return n;
}

static const char *extension(const char *name)
{
    if (!name)
        return "";
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    return dot ? dot + 1 : "";
}

static IngestFormat from_extension(const char *name)
{
    const char *e = extension(name);
    if (!strcasecmp(e, "html") || !strcasecmp(e, "htm") || !strcasecmp(e, "xhtml"))
        return FMT_HTML;
    if (!strcasecmp(e, "xml") || !strcasecmp(e, "rss") || !strcasecmp(e, "atom"))
        return FMT_FEED;
    if (!strcasecmp(e, "json") || !strcasecmp(e, "jsonl") || !strcasecmp(e, "ndjson"))
        return FMT_JSON;
    if (!strcasecmp(e, "txt") || !strcasecmp(e, "text"))
        return FMT_TEXT;
    return FMT_UNKNOWN;
}

/* Tags that only occur in HTML (a tag name followed by space, '>' or '/'). */
static const char *const html_tags[] = {
    "html", "head", "body", "div", "p", "meta", "title", "article", "section", "span",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "script", "style", "link", "br", "a",
    "img", "ul", "ol", "li", "header", "footer", "nav", "main", "figure", "form", "iframe",
    "b", "i", "strong", "em", "font", "center", "blockquote", "noscript", "base",
};

static int is_html_tag(const char *s, size_t n)
{
    /* s points just after '<' */
    for (size_t t = 0; t < sizeof html_tags / sizeof *html_tags; t++) {
        size_t k = strlen(html_tags[t]);
        if (n > k && strncasecmp(s, html_tags[t], k) == 0) {
            char c = s[k];
            if (c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r')
                return 1;
        }
    }
    return 0;
}

/* Classifies markup starting at s[i] == '<'. */
static IngestFormat sniff_markup(const char *s, size_t n, size_t i, const char *name)
{
    int xml_decl = 0;
    for (int guard = 0; guard < 64 && i < n && s[i] == '<'; guard++) {
        const char *t = s + i + 1;
        size_t rest = n - i - 1;
        if (prefix_ci(t, rest, "?xml")) {
            xml_decl = 1;
            i = skip_space(s, n, skip_past(s, n, i, "?>"));
        } else if (rest && t[0] == '?') {
            i = skip_space(s, n, skip_past(s, n, i, "?>")); /* stylesheet instructions */
        } else if (prefix_ci(t, rest, "!--")) {
            i = skip_space(s, n, skip_past(s, n, i + 4, "-->"));
        } else if (prefix_ci(t, rest, "!doctype")) {
            size_t d = skip_space(s, n, i + 9);
            if (prefix_ci(s + d, n - d, "html"))
                return FMT_HTML;
            if (prefix_ci(s + d, n - d, "rss") || prefix_ci(s + d, n - d, "feed"))
                return FMT_FEED;
            i = skip_space(s, n, skip_past(s, n, i, ">"));
        } else if (prefix_ci(t, rest, "rss") || prefix_ci(t, rest, "feed") ||
                   prefix_ci(t, rest, "rdf:rdf")) {
            return FMT_FEED;
        } else if (is_html_tag(t, rest)) {
            return FMT_HTML;
        } else if (rest && (isalpha((unsigned char)t[0]))) {
            /* some other XML vocabulary (or a namespaced feed root) */
            size_t e = 0;
            while (e < rest && e < 64 && t[e] != '>' && t[e] != ' ' && t[e] != '\n')
                e++;
            for (size_t c = 0; c + 3 <= e; c++)
                if (!strncasecmp(t + c, ":rdf", 4) || !strncasecmp(t + c, ":feed", 5) ||
                    !strncasecmp(t + c, ":rss", 4))
                    return FMT_FEED;
            IngestFormat ext = from_extension(name);
            if (ext == FMT_FEED || ext == FMT_HTML)
                return ext;
            /* unknown markup reads best through the forgiving HTML parser */
            return FMT_HTML;
        } else {
            break;
        }
    }
    if (xml_decl) {
        IngestFormat ext = from_extension(name);
        return ext == FMT_HTML ? FMT_HTML : FMT_FEED;
    }
    return FMT_UNKNOWN;
}

/* Does s[0..n) hold a JSON object (or array of them) at the start? */
static int sniff_json(const char *s, size_t n, size_t i)
{
    json_error_t e;
    if (s[i] == '[') {
        size_t j = skip_space(s, n, i + 1);
        if (j >= n)
            return 0;
        if (s[j] == ']')
            return skip_space(s, n, j + 1) == n;
        if (s[j] != '{')
            return 0;
        j = skip_space(s, n, j + 1);
        /* "[{" then a key or an empty object */
        return j < n && (s[j] == '"' || s[j] == '}');
    }
    /* JSON Lines: the first line alone is an object */
    size_t eol = i;
    while (eol < n && s[eol] != '\n')
        eol++;
    json_t *v = json_loadb(s + i, eol - i, 0, &e);
    if (v) {
        int ok = json_is_object(v);
        json_decref(v);
        return ok;
    }
    /* a pretty-printed object spans lines */
    v = json_loadb(s + i, n - i, 0, &e);
    if (v) {
        int ok = json_is_object(v) || json_is_array(v);
        json_decref(v);
        return ok;
    }
    return 0;
}

/* Does s[i..] open like a JSON document: '{' then '"' or '}', or '[' then
   '{', '[', '"' or ']' (white space between)? Plain text hardly does. */
static int starts_like_json(const char *s, size_t n, size_t i)
{
    if (s[i] != '{' && s[i] != '[')
        return 0;
    size_t j = skip_space(s, n, i + 1);
    if (j >= n)
        return 0;
    if (s[i] == '{')
        return s[j] == '"' || s[j] == '}';
    return s[j] == '{' || s[j] == '[' || s[j] == '"' || s[j] == ']';
}

/* Does the start of the text contain an HTML tag somewhere? */
static int has_tag(const char *s, size_t n)
{
    size_t lim = n < SNIFF_BYTES ? n : SNIFF_BYTES;
    for (size_t i = 0; i + 1 < lim; i++)
        if (s[i] == '<') {
            size_t j = i + 1 + (s[i + 1] == '/');
            if (j < lim && is_html_tag(s + j, lim - j))
                return 1;
        }
    return 0;
}

IngestFormat ingest_detect(const char *bytes, size_t n, const char *name)
{
    if (!bytes || n == 0) {
        IngestFormat e = from_extension(name);
        return e == FMT_UNKNOWN ? FMT_TEXT : e;
    }
    const char *s = bytes;
    char narrow[SNIFF_BYTES] = {0};
    /* UTF-16 input not yet converted: sniff its ASCII by dropping the zero bytes */
    if (n >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                   ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF))) {
        int big = (unsigned char)s[0] == 0xFE;
        size_t k = 0;
        for (size_t i = 2; i + 1 < n && k < sizeof narrow; i += 2) {
            unsigned char hi = (unsigned char)(big ? s[i] : s[i + 1]);
            unsigned char lo = (unsigned char)(big ? s[i + 1] : s[i]);
            narrow[k++] = hi == 0 && lo < 0x80 ? (char)lo : 'x';
        }
        s = narrow;
        n = k;
    }
    size_t i = skip_space(s, n, 0);
    if (i >= n) {
        IngestFormat e = from_extension(name);
        return e == FMT_UNKNOWN ? FMT_TEXT : e;
    }
    IngestFormat ext = from_extension(name);
    /* a .json/.jsonl file is JSON or an error, never text; so is content
       that starts like JSON ({" or [{ ...), even when it does not parse */
    if (ext == FMT_JSON || starts_like_json(s, n, i))
        return FMT_JSON;
    if (s[i] == '<') {
        IngestFormat f = sniff_markup(s, n, i, name);
        if (f != FMT_UNKNOWN)
            return f;
    } else if (s[i] == '{' || s[i] == '[') {
        if (sniff_json(s, n, i))
            return FMT_JSON;
    }
    /* Plain text by content; an .html name wins only if there is markup. */
    if (ext == FMT_HTML && has_tag(s + i, n - i))
        return FMT_HTML;
    return FMT_TEXT;
}
