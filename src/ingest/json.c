/*
 * json.c — articles given as JSON: JSON Lines (one object a line), a JSON
 * array of objects (SaudiNewsNet's daily files), a single object, or an
 * API answer that wraps the array ({"articles": [...]}).
 *
 * Field names differ from one exporter to the next, so each Article field
 * has a list of names, matched case-insensitively; the first name in the
 * list that holds a usable value wins (title before headline, text before
 * content ...). Values may be strings, {"name": ...} objects (NewsAPI's
 * source), arrays (authors, paragraphs) or epoch numbers (dates).
 *
 * A bad line or an object with no text is one item lost, not the file: it
 * is recorded with batch_error naming its line (JSON Lines) or position
 * (arrays) and the rest is read. Bodies that carry markup go through the
 * HTML reader's fragment cleaner; bare entities (&amp;) are decoded here so
 * the paragraph breaks of plain bodies survive.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ingest.h"
#include "readers.h"
#include "text/text.h"


static const char *const f_title[] = {"title", "headline"};
static const char *const f_body[] = {"text", "content", "body", "article", "description"};
static const char *const f_url[] = {"url", "link"};
static const char *const f_outlet[] = {"source", "outlet", "publisher", "site"};
static const char *const f_date[] = {"published", "date", "date_published", "datePublished",
                                     "pubDate", "date_extracted", "time"};
static const char *const f_author[] = {"author"};
/* Keys under which an API answer keeps its list of articles. */
static const char *const f_list[] = {"articles", "items", "data", "results", "entries",
                                     "docs", "posts", "news"};
#define NAMES(l) (l), sizeof(l) / sizeof *(l)

/* ---- values ---- */

/* The object's value for the first of names present (case-insensitive) that passes ok(). */
static json_t *field(json_t *obj, const char *const *names, size_t nn, int (*ok)(json_t *))
{
    for (size_t i = 0; i < nn; i++) {
        const char *k;
        json_t *v;
        json_object_foreach(obj, k, v)
        {
            if (strcasecmp(k, names[i]) == 0 && ok(v))
                return v;
        }
    }
    return NULL;
}

static int nonblank(const char *s, size_t n)
{
    size_t b = 0, e = n;
    txt_trim(s, &b, &e);
    return b < e;
}

static json_t *name_of(json_t *v)
{
    if (!json_is_object(v))
        return NULL;
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        if (strcasecmp(k, "name") == 0 && json_is_string(x))
            return x;
    }
    return NULL;
}

static int ok_string(json_t *v)
{
    return json_is_string(v) && nonblank(json_string_value(v), json_string_length(v));
}

/* A string, a {"name": ...} object, or an array with at least one of those. */
static int ok_named(json_t *v)
{
    if (ok_string(v))
        return 1;
    json_t *nm = name_of(v);
    if (nm && ok_string(nm))
        return 1;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (ok_string(x) || (name_of(x) && ok_string(name_of(x))))
                return 1;
        }
    }
    return 0;
}

/* A string, or an array of strings (paragraphs). */
static int ok_text(json_t *v)
{
    if (ok_string(v))
        return 1;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (ok_string(x))
                return 1;
        }
    }
    return 0;
}

static int ok_date(json_t *v)
{
    if (ok_string(v) || json_is_number(v))
        return 1;
    if (json_is_object(v)) { /* {"$date": "..."} from MongoDB exports */
        json_t *d = json_object_get(v, "$date");
        return d && (ok_string(d) || json_is_number(d));
    }
    return 0;
}

/* Appends the text of v (string, {"name"}, array of those joined by sep). */
static void put_value(Buf *o, json_t *v, const char *sep)
{
    if (json_is_string(v)) {
        buf_append(o, json_string_value(v), json_string_length(v));
        return;
    }
    json_t *nm = name_of(v);
    if (nm) {
        buf_append(o, json_string_value(nm), json_string_length(nm));
        return;
    }
    if (json_is_array(v)) {
        size_t i, start = o->len;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            json_t *y = json_is_string(x) ? x : name_of(x);
            if (!y || !nonblank(json_string_value(y), json_string_length(y)))
                continue;
            if (o->len > start)
                buf_puts(o, sep);
            buf_append(o, json_string_value(y), json_string_length(y));
        }
    }
}

/* ---- cleaning text values ---- */

static const char *const html_tags[] = {
    "p", "br", "div", "span", "a", "img", "strong", "b", "i", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "ul", "ol", "li", "table", "tr", "td", "figure", "figcaption", "iframe",
    "script", "style", "blockquote", "section", "article", "font", "u", "sup", "sub", "hr",
    "center", "html", "body",
};

static int looks_like_html(const char *s, size_t n)
{
    for (const char *p = memchr(s, '<', n); p; p = memchr(p + 1, '<', n - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s) + 1;
        if (i < n && s[i] == '/')
            i++;
        for (size_t t = 0; t < sizeof html_tags / sizeof *html_tags; t++) {
            size_t k = strlen(html_tags[t]);
            if (i + k < n && strncasecmp(s + i, html_tags[t], k) == 0) {
                char c = s[i + k];
                if (c == '>' || c == ' ' || c == '/' || c == '\t' || c == '\n' || c == '\r')
                    return 1;
            }
        }
        if (p + 1 >= s + n)
            break;
    }
    return 0;
}

static void put_cp(Buf *o, uint32_t cp)
{
    char tmp[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    buf_append(o, tmp, (size_t)utf8_put(cp, tmp));
}

/* Decodes the entities plain bodies still carry (&amp; &quot; &#1575; ...). */
static void decode_entities(const char *s, size_t n, Buf *o)
{
    static const struct {
        const char *name; /* entity name without & and ; */
        uint32_t cp;      /* the character it stands for */
    } ents[] = {{"amp", '&'},     {"lt", '<'},       {"gt", '>'},      {"quot", '"'},
                {"apos", '\''},   {"nbsp", 0xA0},    {"laquo", 0xAB},  {"raquo", 0xBB},
                {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"rsquo", 0x2019},
                {"lsquo", 0x2018}, {"rdquo", 0x201D}, {"ldquo", 0x201C}, {"zwnj", 0x200C}};
    size_t i = 0;
    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        if (!amp) {
            buf_append(o, s + i, n - i);
            return;
        }
        size_t a = (size_t)(amp - s);
        buf_append(o, s + i, a - i);
        const char *semi = memchr(amp, ';', n - a < 12 ? n - a : 12);
        int done = 0;
        if (semi) {
            size_t len = (size_t)(semi - amp) - 1; /* between & and ; */
            const char *nm = amp + 1;
            if (len >= 2 && nm[0] == '#') {
                uint32_t cp = 0;
                int hex = nm[1] == 'x' || nm[1] == 'X';
                size_t k = hex ? 2 : 1;
                int digits = 0;
                for (; k < len; k++) {
                    char c = nm[k];
                    int d = c >= '0' && c <= '9' ? c - '0'
                            : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                            : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                          : -1;
                    if (d < 0 || cp > 0x10FFFF)
                        break;
                    cp = cp * (hex ? 16u : 10u) + (uint32_t)d;
                    digits++;
                }
                if (k == len && digits) {
                    put_cp(o, cp);
                    done = 1;
                }
            } else {
                for (size_t e = 0; e < sizeof ents / sizeof *ents; e++)
                    if (strlen(ents[e].name) == len && memcmp(ents[e].name, nm, len) == 0) {
                        put_cp(o, ents[e].cp);
                        done = 1;
                        break;
                    }
            }
        }
        if (done) {
            i = (size_t)(semi - s) + 1;
        } else {
            buf_putc(o, '&');
            i = a + 1;
        }
    }
}

/* Markup to text (HTML reader), else entities decoded. malloc'd, or NULL on OOM. */
static char *plain_of(const char *s, size_t n)
{
    if (looks_like_html(s, n))
        return ingest_html_fragment_text(s, n);
    Buf o = {0};
    decode_entities(s, n, &o);
    buf_append(&o, "", 0);
    if (o.oom) {
        buf_free(&o);
        return NULL;
    }
    return buf_steal(&o);
}

/* One line: white space runs → one space. */
static char *one_line(const char *s, size_t n)
{
    char *p = plain_of(s, n);
    if (!p)
        return NULL;
    size_t k = 0;
    int sp = 1;
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
            if (!sp)
                p[k++] = ' ';
            sp = 1;
        } else {
            p[k++] = c;
            sp = 0;
        }
    }
    while (k && p[k - 1] == ' ')
        k--;
    p[k] = '\0';
    size_t b = 0, e = k;
    txt_trim(p, &b, &e);
    if (b >= e) {
        free(p);
        return xstrndup("", 0);
    }
    memmove(p, p + b, e - b);
    p[e - b] = '\0';
    return p;
}

/* Paragraphs: every non-blank line trimmed, joined by a blank line. */
static char *paragraphs(const char *s, size_t n)
{
    char *p = plain_of(s, n);
    if (!p)
        return NULL;
    Buf o = {0};
    size_t len = strlen(p), i = 0;
    while (i < len) {
        size_t st = i;
        while (i < len && p[i] != '\n' && p[i] != '\r')
            i++;
        size_t b = st, e = i;
        if (i < len)
            i++;
        txt_trim(p, &b, &e);
        if (b >= e)
            continue;
        if (o.len)
            buf_puts(&o, "\n\n");
        buf_append(&o, p + b, e - b);
    }
    buf_append(&o, "", 0);
    free(p);
    if (o.oom) {
        buf_free(&o);
        return NULL;
    }
    return buf_steal(&o);
}

/* Epoch seconds (or milliseconds) → "YYYY-MM-DDTHH:MM:SSZ". */
static char *epoch_date(double t)
{
    if (t > 1e11)
        t /= 1000.0;
    if (!(t >= 1e8 && t <= 1e10))
        return NULL;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return NULL;
    char b[80]; /* room for any int the compiler imagines in each field */
    snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return xstrndup(b, strlen(b));
}

static char *date_of(json_t *v)
{
    if (json_is_object(v))
        v = json_object_get(v, "$date");
    if (json_is_number(v))
        return epoch_date(json_number_value(v));
    if (json_is_string(v))
        return txt_date(json_string_value(v), json_string_length(v));
    return NULL;
}

/* ---- articles ---- */

static const char *type_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true or false";
    default: return "null";
    }
}

/* A text field of the wrong kind: not a string, null, or an array of strings. */
static int wrong_text_type(json_t *v)
{
    if (json_is_string(v) || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return 1;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x) && !json_is_null(x))
            return 1;
    }
    return 0;
}

/*
 * No usable text in obj: 1 if a text field is there but empty (the item is
 * skipped and counted), else records why (no such field, or one of the
 * wrong type) and returns 0.
 */
static int no_text(Batch *out, json_t *obj, const char *origin)
{
    const char *bad_key = NULL, *empty_key = NULL;
    json_t *bad = NULL;
    for (size_t i = 0; i < sizeof f_body / sizeof *f_body; i++) {
        const char *k;
        json_t *v;
        json_object_foreach(obj, k, v)
        {
            if (strcasecmp(k, f_body[i]) != 0)
                continue;
            if (wrong_text_type(v)) {
                if (!bad_key) {
                    bad_key = k;
                    bad = v;
                }
            } else if (!empty_key) {
                empty_key = k;
            }
        }
    }
    if (empty_key && !bad_key)
        return 1;
    if (bad_key)
        batch_error(out, "%s: \"%.60s\" must be a string (or an array of strings), not %s",
                    origin, bad_key, type_name(bad));
    else
        batch_error(out, "%s: no article text (no text, content, body, article or description field)",
                    origin);
    return 0;
}

/* Adds the article in obj, or records why not (an item with empty text is
   counted in out->skipped). Returns -1 only when out of memory. */
static int add_object(Batch *out, json_t *obj, const char *origin)
{
    json_t *bv = field(obj, NAMES(f_body), ok_text);
    if (!bv) {
        if (no_text(out, obj, origin))
            out->skipped++;
        return 0;
    }
    Buf raw = {0};
    put_value(&raw, bv, "\n\n");
    buf_append(&raw, "", 0);
    if (raw.oom)
        return -1;
    char *body = paragraphs(raw.data, raw.len);
    buf_free(&raw);
    if (!body)
        return -1;
    if (!body[0]) { /* only markup (an image, an embedded video): nothing to read */
        free(body);
        out->skipped++;
        return 0;
    }
    size_t idx = out->n;
    Article *a = batch_add(out);
    if (!a) {
        free(body);
        return -1;
    }
    a->body = body;
    a->origin = xstrndup(origin, strlen(origin));
    int oom = !a->origin;

    json_t *v;
    Buf tmp = {0};
    if ((v = field(obj, NAMES(f_title), ok_string))) {
        a->title = one_line(json_string_value(v), json_string_length(v));
        oom |= !a->title;
    }
    if ((v = field(obj, NAMES(f_url), ok_string))) {
        size_t b = 0, e = json_string_length(v);
        txt_trim(json_string_value(v), &b, &e);
        a->url = xstrndup(json_string_value(v) + b, e - b);
        oom |= !a->url;
    }
    if ((v = field(obj, NAMES(f_outlet), ok_named))) {
        buf_reset(&tmp);
        put_value(&tmp, v, "، ");
        a->outlet = one_line(tmp.data ? tmp.data : "", tmp.len);
        oom |= !a->outlet;
    }
    if ((v = field(obj, NAMES(f_author), ok_named))) {
        buf_reset(&tmp);
        put_value(&tmp, v, "، ");
        a->author = one_line(tmp.data ? tmp.data : "", tmp.len);
        oom |= !a->author;
    }
    /* the first date field that parses: "date" may hold junk while "pubDate" is fine */
    json_t *bad_date = NULL;
    const char *bad_key = NULL;
    for (size_t i = 0; i < sizeof f_date / sizeof *f_date && !a->published; i++) {
        const char *one[1] = {f_date[i]};
        if ((v = field(obj, one, 1, ok_date))) {
            a->published = date_of(v);
            if (!a->published && !bad_date) {
                bad_date = v;
                bad_key = f_date[i];
            }
        }
    }
    if (!a->published && bad_date) {
        json_t *shown = json_is_object(bad_date) ? json_object_get(bad_date, "$date") : bad_date;
        char val[80];
        if (json_is_string(shown))
            snprintf(val, sizeof val, "\"%.60s\"", json_string_value(shown));
        else
            snprintf(val, sizeof val, "%.0f", json_number_value(shown));
        batch_error(out, "%s: %s: %s is not a date; dropped, the article kept", origin, bad_key,
                    val);
    }
    oom |= tmp.oom;
    buf_free(&tmp);
    /* empty strings (a title that was only markup) are no value */
    char **opt[] = {&a->title, &a->outlet, &a->author, &a->url};
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        if (*opt[i] && !**opt[i]) {
            free(*opt[i]);
            *opt[i] = NULL;
        }
    if (oom) {
        article_free(a);
        out->n--;
        return -1;
    }
    ingest_split_appended(out, idx);
    return 0;
}

static int add_array(Batch *out, json_t *arr, const char *org)
{
    size_t i;
    json_t *x;
    Buf origin = {0}; /* "path#N", rebuilt per item */
    int rc = 0;
    json_array_foreach(arr, i, x)
    {
        buf_reset(&origin);
        buf_printf(&origin, "%s#%zu", org, i + 1);
        if (origin.oom) {
            rc = -1;
            break;
        }
        if (!json_is_object(x)) {
            batch_error(out, "%s: not a JSON object", origin.data);
            continue;
        }
        if (add_object(out, x, origin.data) < 0) {
            rc = -1;
            break;
        }
    }
    buf_free(&origin);
    return rc;
}

static int ok_array(json_t *v) { return json_is_array(v); }

/* A lone object: an article, or an API answer wrapping the list. */
static int add_single(Batch *out, json_t *obj, const char *org)
{
    if (!field(obj, NAMES(f_body), ok_text)) {
        json_t *list = field(obj, NAMES(f_list), ok_array);
        if (list)
            return add_array(out, list, org);
    }
    return add_object(out, obj, org);
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* 1-based line number of byte offset `at`. */
static size_t line_of(const char *s, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at; i++)
        line += s[i] == '\n';
    return line;
}

/* JSON Lines: each non-blank line is one object. */
static int add_lines(Batch *out, const char *s, size_t n, const char *org)
{
    Buf origin = {0}; /* "path:LINE", rebuilt per line */
    size_t i = 0, line = 0;
    int rc = 0;
    while (i < n && rc == 0) {
        size_t st = i;
        while (i < n && s[i] != '\n')
            i++;
        size_t e = i;
        if (i < n)
            i++;
        line++;
        size_t b = skip_ws(s, e, st);
        while (e > b && (s[e - 1] == '\r' || s[e - 1] == ' ' || s[e - 1] == '\t'))
            e--;
        if (b >= e)
            continue;
        buf_reset(&origin);
        buf_printf(&origin, "%s:%zu", org, line);
        if (origin.oom) {
            rc = -1;
            break;
        }
        json_error_t je;
        json_t *v = json_loadb(s + b, e - b, 0, &je);
        if (!v) {
            batch_error(out, "%s: not JSON: %s", origin.data, je.text);
            continue;
        }
        if (json_is_object(v))
            rc = add_object(out, v, origin.data);
        else if (json_is_array(v)) /* a line holding a whole array: "path:LINE#N" */
            rc = add_array(out, v, origin.data);
        else
            batch_error(out, "%s: not a JSON object", origin.data);
        json_decref(v);
    }
    buf_free(&origin);
    return rc;
}

/*
 * Escapes jansson refuses that must not lose an item, rewritten in place to
 * the same length (positions and line numbers stay true): \u0000 becomes a
 * space (\u0020), a lone surrogate (\ud800 with no low half) U+FFFD.
 */
static void soften_escapes(char *s, size_t n)
{
    int in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!in_str) {
            if (c == '"')
                in_str = 1;
            continue;
        }
        if (c == '"') {
            in_str = 0;
            continue;
        }
        if (c == '\n') { /* a string never spans lines: resync at each line */
            in_str = 0;
            continue;
        }
        if (c != '\\' || i + 1 >= n)
            continue;
        if (s[i + 1] != 'u' || i + 6 > n) {
            i++; /* \" \\ \n ...: skip the escaped char */
            continue;
        }
        unsigned v = 0;
        int okhex = 1;
        for (size_t k = i + 2; k < i + 6; k++) {
            char h = s[k];
            int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (d < 0) {
                okhex = 0;
                break;
            }
            v = v * 16 + (unsigned)d;
        }
        if (!okhex) {
            i++;
            continue;
        }
        if (v == 0) {
            memcpy(s + i + 2, "0020", 4);
        } else if (v >= 0xD800 && v <= 0xDBFF) {
            /* a high half must be followed by \uDC00..\uDFFF */
            int paired = 0;
            if (i + 12 <= n && s[i + 6] == '\\' && s[i + 7] == 'u') {
                char *lo = s + i + 8;
                paired = (lo[0] == 'd' || lo[0] == 'D') &&
                         ((lo[1] >= 'c' && lo[1] <= 'f') || (lo[1] >= 'C' && lo[1] <= 'F'));
            }
            if (!paired)
                memcpy(s + i + 2, "FFFD", 4);
            else
                i += 6; /* the pair stays */
        } else if (v >= 0xDC00 && v <= 0xDFFF) {
            memcpy(s + i + 2, "FFFD", 4);
        }
        i += 5;
    }
}

/* Where reading may resume after damage at `from`: the '{' of the next
   "}, {" (an element boundary, white space and newlines allowed), or n. */
static size_t next_element(const char *s, size_t n, size_t from)
{
    for (size_t q = from; q < n; q++) {
        if (s[q] != '}')
            continue;
        size_t c = skip_ws(s, n, q + 1);
        if (c < n && s[c] == ',') {
            size_t o = skip_ws(s, n, c + 1);
            if (o < n && s[o] == '{')
                return o;
        }
    }
    return n;
}

/*
 * A JSON array that does not parse as a whole (cut short, one broken
 * element, text after it): its elements one by one, so those before the
 * damage are kept; the damage is one item error, and reading resumes at
 * the next element boundary ("}, {") after it when there is one.
 */
static int add_array_salvage(Batch *out, const char *s, size_t n, size_t i, const char *org)
{
    Buf origin = {0};
    size_t idx = 0;
    int rc = 0;
    i = skip_ws(s, n, i + 1); /* past '[' */
    while (i < n && rc == 0) {
        if (s[i] == ']') {
            size_t after = skip_ws(s, n, i + 1);
            if (after >= n)
                break; /* the end */
            size_t next = next_element(s, n, after);
            batch_error(out, "%s: not JSON (line %zu: text after the end of the array)%s", org,
                        line_of(s, after), next < n ? "" : "; ignored");
            i = next;
            continue;
        }
        idx++;
        buf_reset(&origin);
        buf_printf(&origin, "%s#%zu", org, idx);
        if (origin.oom) {
            rc = -1;
            break;
        }
        json_error_t je;
        json_t *v = json_loadb(s + i, n - i, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
        if (!v) {
            size_t line = line_of(s, i) + (je.line > 0 ? (size_t)je.line - 1 : 0);
            size_t errpos = i + (je.position > 0 ? (size_t)je.position : 1);
            /* the damage may sit before the point jansson noticed it: look
               for the boundary from the element's own start */
            size_t next = next_element(s, n, i + 1);
            if (next < n && next < errpos && errpos <= n) {
                /* a boundary inside the part jansson accepted is a nested
                   object, not the next element: search past the damage */
                next = next_element(s, n, errpos - 1);
            }
            batch_error(out, "%s: not JSON (line %zu: %s)%s", origin.data, line, je.text,
                        next < n ? "" : "; the rest of the file is lost");
            i = next;
            continue;
        }
        if (json_is_object(v))
            rc = add_object(out, v, origin.data);
        else
            batch_error(out, "%s: not a JSON object", origin.data);
        json_decref(v);
        i = skip_ws(s, n, i + (je.position > 0 ? (size_t)je.position : 1));
        if (i < n && s[i] == ',')
            i = skip_ws(s, n, i + 1);
    }
    buf_free(&origin);
    return rc;
}

static int ext_is(const char *name, const char *e)
{
    const char *dot = strrchr(name, '.');
    return dot && strcasecmp(dot + 1, e) == 0;
}

rasd_err ingest_json(const char *bytes, size_t n, const char *origin, Batch *out,
                     rasd_error *err)
{
    if (!out || (!bytes && n))
        return rasd_fail(err, RASD_EINVAL, "ingest_json: bad argument");
    const char *org = origin ? origin : "input";
    /* jansson refuses invalid UTF-8 anywhere; one bad byte must not lose the file */
    Buf clean = {0};
    if (ingest_clean(bytes, n, &clean) < 0)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", org);
    soften_escapes(clean.data, clean.len);
    const char *s = clean.data;
    size_t len = clean.len;
    size_t i = skip_ws(s, len, 0);
    if (i >= len) {
        buf_free(&clean);
        return rasd_fail(err, RASD_EFORMAT, "%s: no JSON (the file is empty)", org);
    }
    size_t had_n = out->n, had_err = out->nerrors, had_skip = out->skipped;
    int rc = 0;
    json_error_t je;
    json_t *v = json_loadb(s + i, len - i, 0, &je);
    if (v) {
        if (json_is_array(v))
            rc = add_array(out, v, org);
        else if (json_is_object(v))
            rc = add_single(out, v, org);
        json_decref(v);
    } else {
        /* not one JSON text: JSON Lines if the first line (or several) holds an object */
        size_t eol = i;
        while (eol < len && s[eol] != '\n')
            eol++;
        json_error_t le;
        json_t *first = s[i] == '{' ? json_loadb(s + i, eol - i, 0, &le) : NULL;
        size_t objs = 0; /* lines that open with '{' */
        for (size_t k = i; k < len && objs < 2;) {
            while (k < len && (s[k] == ' ' || s[k] == '\t'))
                k++;
            if (k < len && s[k] == '{')
                objs++;
            while (k < len && s[k] != '\n')
                k++;
            k++;
        }
        int lines_ext = ext_is(org, "jsonl") || ext_is(org, "ndjson");
        /* a first line that is a whole JSON value and more lines after it */
        int more = 0;
        if (!first && eol < len) {
            json_t *any = json_loadb(s + i, eol - i, JSON_DECODE_ANY, &le);
            more = any != NULL && skip_ws(s, len, eol) < len;
            json_decref(any);
        }
        if (lines_ext || (s[i] != '[' && (first || objs >= 2)) || more) {
            json_decref(first);
            first = NULL;
            rc = add_lines(out, s, len, org);
        } else if (s[i] == '[') {
            rc = add_array_salvage(out, s, len, i, org);
        } else {
            json_decref(first);
            size_t line = line_of(s, i) + (je.line > 0 ? (size_t)je.line - 1 : 0);
            rasd_err r = rasd_fail(err, RASD_EFORMAT, "%s:%zu: not JSON: %s", org, line, je.text);
            buf_free(&clean);
            return r;
        }
    }
    buf_free(&clean);
    if (rc < 0)
        return rasd_fail(err, RASD_ENOMEM, "%s: out of memory", org);
    if (out->n == had_n && out->nerrors == had_err + 1 && out->skipped == had_skip) {
        /* one problem and nothing read: that problem is the file's error, said once */
        rasd_err r = rasd_fail(err, RASD_EFORMAT, "%s", out->errors[had_err]);
        free(out->errors[had_err]);
        out->nerrors--;
        return r;
    }
    if (out->n == had_n && out->nerrors > had_err && out->skipped == had_skip)
        return rasd_fail(err, RASD_EFORMAT, "%s: no article could be read (%zu problems, the first: %s)",
                         org, out->nerrors - had_err, out->errors[had_err]);
    return RASD_OK;
}
