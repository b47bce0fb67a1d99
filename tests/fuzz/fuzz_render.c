/*
 * fuzz_render.c — libFuzzer target for the brief renderer
 * (src/story/render.c) with hostile values in every field: the input is cut
 * at NUL bytes into strings, and every string field of a complete brief
 * (headline, summary, conflicts, quotes, timeline, names, documents, URLs)
 * gets one of them; every number field gets a value read from the input.
 * The text, Markdown and HTML renderings must succeed, and the HTML, parsed
 * by libxml2's HTML parser, may hold only the renderer's own elements, no
 * event-handler attribute, and links only to http(s) addresses or "#" —
 * whatever the input, no markup or script of its own gets through.
 */
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "story/brief.h"

static const char *const template_json =
    "{\"story\":1,\"event\":2,\"articles\":3,\"read\":3,\"sources\":2,"
    "\"headline\":\"h\",\"first\":\"2020-01-01\",\"last\":\"2020-01-02\","
    "\"outlets\":[\"o\"],"
    "\"summary\":[{\"text\":\"t\",\"sources\":[\"s\"],\"article\":\"a\","
    "\"start\":0,\"end\":1,"
    "\"corroboration\":2,\"score\":0.5}],"
    "\"conflicts\":[{\"id\":\"c\",\"kind\":\"role\",\"rule\":\"r\",\"slot\":"
    "\"s\",\"subject\":\"x\","
    "\"values\":[{\"value\":\"v\",\"sources\":[\"s\"],\"sentences\":[\"n\"],"
    "\"articles\":[\"a\"]},"
    "{\"value\":\"w\",\"sources\":[\"s\"],\"sentences\":[\"n\"],\"articles\":["
    "\"a\"]}]}],"
    "\"entities\":[{\"key\":\"k\",\"name\":\"n\",\"type\":\"PER\",\"mentions\":"
    "2,"
    "\"outlets\":[\"o\"],\"variants\":[\"v\"]}],"
    "\"timeline\":[{\"value\":\"2020-01-01\",\"text\":\"t\",\"sentence\":\"s\","
    "\"article\":\"a\","
    "\"start\":0,\"end\":1,\"sources\":[\"s\"]}],"
    "\"quotes\":[{\"speaker\":\"p\",\"key\":\"k\",\"quotes\":[{\"text\":\"q\","
    "\"cue\":\"c\","
    "\"direct\":true,\"via\":\"v\",\"article\":\"a\",\"start\":0,\"end\":1,"
    "\"sources\":[\"s\"]}],\"statements\":3,\"more\":2}],\"quote_speakers\":4,"
    "\"more_speakers\":3,"
    "\"documents\":[{\"id\":\"a\",\"name\":\"n\",\"outlet\":\"o\",\"title\":"
    "\"t\",\"url\":\"u\","
    "\"published\":\"p\",\"event\":2,\"source\":1}]}";

typedef struct Feed {
    const char *p;
    size_t n, at;
    unsigned k;
} Feed;

/* the next NUL-separated piece of the input (cycling when it runs out) */
static json_t *next_string(Feed *f)
{
    if (f->n == 0)
        return json_stringn("", 0);
    if (f->at >= f->n)
        f->at = 0;
    const char *s = f->p + f->at;
    const char *z = memchr(s, 0, f->n - f->at);
    size_t len = z ? (size_t)(z - s) : f->n - f->at;
    f->at += len + 1;
    /* jansson keeps only valid UTF-8: invalid pieces become a fixed hostile value */
    json_t *j = json_stringn(s, len);
    return j ? j : json_string("<img src=x onerror=alert(1)>'\"");
}

static json_t *next_number(Feed *f, int real)
{
    unsigned char c = f->n ? (unsigned char)f->p[f->k++ % f->n] : 0;
    long long v = c == 0xff ? -1 : c == 0xfe ? 1LL << 40 : (long long)c;
    return real ? json_real((double)v / 7.0) : json_integer(v);
}

static void fill(json_t *o, Feed *f)
{
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_object(o)) {
        json_object_foreach(o, k, v)
        {
            if (json_is_string(v))
                json_object_set_new(o, k, next_string(f));
            else if (json_is_integer(v))
                json_object_set_new(o, k, next_number(f, 0));
            else if (json_is_real(v))
                json_object_set_new(o, k, next_number(f, 1));
            else
                fill(v, f);
        }
    } else if (json_is_array(o)) {
        json_array_foreach(o, i, v)
        {
            if (json_is_string(v))
                json_array_set_new(o, i, next_string(f));
            else
                fill(v, f);
        }
    }
}

static const char *const allowed[] = {"html", "head", "meta", "title", "style",   "body",
                                      "h1",   "h2",   "p",    "div",   "span",    "b",
                                      "ul",   "li",   "a",    "mark",  "section", "sup", NULL};

static int is_allowed(const char *name)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(name, allowed[i]) == 0)
            return 1;
    return 0;
}

/* 1 when every element, attribute and link under n is the renderer's own */
static int check(xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!is_allowed((const char *)n->name)) {
            fprintf(stderr, "element <%s> came from the input\n", (const char *)n->name);
            return 0; /* an element the renderer never writes came from the input */
        }
        for (xmlAttr *a = n->properties; a; a = a->next) {
            const char *an = (const char *)a->name;
            if (strncasecmp(an, "on", 2) == 0) {
                fprintf(stderr, "attribute %s came from the input\n", an);
                return 0;
            }
            if (strcasecmp(an, "href") == 0 || strcasecmp(an, "src") == 0) {
                xmlChar *val = xmlNodeGetContent((xmlNode *)a);
                const char *s = (const char *)val;
                int ok = s && (s[0] == '#' || strncasecmp(s, "http://", 7) == 0 ||
                               strncasecmp(s, "https://", 8) == 0 ||
                               strncasecmp(s, "data:font/woff2;base64,", 23) == 0);
                xmlFree(val);
                if (!ok) {
                    fprintf(stderr, "a link that is not http(s) came from the input\n");
                    return 0;
                }
            }
        }
        if (!check(n->children))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    json_t *t = json_loads(template_json, 0, NULL);
    if (!t)
        abort();
    Feed f = {(const char *)data, size, 0, 0};
    fill(t, &f);
    char *js = json_dumps(t, JSON_COMPACT);
    json_decref(t);
    if (!js)
        return 0;
    Buf r = {0};
    rasd_error err;
    for (int fmt = BRIEF_TEXT; fmt <= BRIEF_HTML; fmt++) {
        buf_reset(&r);
        if (brief_render(js, strlen(js), fmt, &r, &err) != RASD_OK)
            abort(); /* a well-formed brief always renders */
    }
    /* the head is the renderer's own (title escaped like the h1, fonts):
       parse the body only, which keeps the target fast */
    const char *body = r.data ? strstr(r.data, "<body>") : NULL;
    if (!body)
        abort();
    htmlDocPtr doc = htmlReadMemory(body, (int)(r.len - (size_t)(body - r.data)), NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (doc) {
        if (!check(xmlDocGetRootElement(doc))) {
            fprintf(stderr, "%s\n", js); /* the brief and its HTML, for the report */
            fwrite(r.data, 1, r.len > 200000 ? 200000 : r.len, stderr);
            abort();
        }
        xmlFreeDoc(doc);
    }
    buf_free(&r);
    free(js);
    return 0;
}
