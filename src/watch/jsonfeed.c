/*
 * jsonfeed.c — JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1) items
 * to Articles. The generic JSON reader (ingest/json.c) finds the "items"
 * array but not JSON Feed's field names (content_html, content_text,
 * date_published, authors[].name), so feeds in that format are read here.
 *
 * Per item: body from content_text, else content_html (markup removed by
 * the HTML reader's fragment cleaner), else summary; title, url (else
 * external_url, else an http(s) id), date_published (else date_modified)
 * normalised by ingest_parse_date, author from authors[0].name (1.1) or
 * author.name (1.0). An item with no text is an item error, not the feed's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "watch/parse.h"

int jsonfeed_detect(const char *bytes, size_t n)
{
    size_t lim = n < 4096 ? n : 4096;
    static const char key[] = "jsonfeed.org/version";
    if (lim < sizeof key)
        return 0;
    size_t i = 0;
    while (i < lim && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t'))
        i++;
    if (i >= lim || bytes[i] != '{')
        return 0;
    for (size_t k = i; k + sizeof key - 1 <= lim; k++)
        if (!memcmp(bytes + k, key, sizeof key - 1))
            return 1;
    return 0;
}

static const char *str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    return s && *s ? s : NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

static int is_http(const char *s)
{
    return s && (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8));
}

static char *item_author(json_t *it)
{
    json_t *as = json_object_get(it, "authors");
    json_t *a = json_is_array(as) ? json_array_get(as, 0) : json_object_get(it, "author");
    return json_is_object(a) ? dup_or_null(str(a, "name")) : NULL;
}

rasd_err jsonfeed_read(const char *bytes, size_t n, const char *origin, Batch *out,
                       rasd_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(bytes, n, 0, &je);
    if (!root)
        return rasd_fail(err, RASD_EFORMAT, "%s:%d: not JSON: %s", origin, je.line, je.text);
    json_t *items = json_object_get(root, "items");
    if (!json_is_object(root) || !json_is_array(items)) {
        json_decref(root);
        return rasd_fail(err, RASD_EFORMAT, "%s: JSON Feed without an \"items\" array", origin);
    }
    size_t i;
    json_t *it;
    rasd_err e = RASD_OK;
    json_array_foreach(items, i, it)
    {
        if (!json_is_object(it)) {
            batch_error(out, "%s#item%zu: not an object", origin, i + 1);
            continue;
        }
        char *body = NULL;
        const char *t = str(it, "content_text"), *h = str(it, "content_html");
        if (t)
            body = ingest_html_fragment_text(t, strlen(t));
        else if (h)
            body = ingest_html_fragment_text(h, strlen(h));
        else if ((t = str(it, "summary")))
            body = ingest_html_fragment_text(t, strlen(t));
        if (!body || !*body) {
            free(body);
            batch_error(out, "%s#item%zu: no content_text, content_html or summary", origin,
                        i + 1);
            continue;
        }
        Article *a = batch_add(out);
        if (!a) {
            free(body);
            e = rasd_fail(err, RASD_ENOMEM, "%s: out of memory", origin);
            break;
        }
        a->body = body;
        a->title = dup_or_null(str(it, "title"));
        const char *u = str(it, "url");
        if (!is_http(u))
            u = str(it, "external_url");
        if (!is_http(u))
            u = str(it, "id");
        a->url = is_http(u) ? dup_or_null(u) : NULL;
        const char *d = str(it, "date_published");
        if (!d)
            d = str(it, "date_modified");
        a->published = d ? ingest_parse_date(d, strlen(d)) : NULL;
        a->author = item_author(it);
        size_t on = strlen(origin) + 32;
        a->origin = malloc(on);
        if (a->origin)
            snprintf(a->origin, on, "%s#item%zu", origin, i + 1);
        ingest_split_appended(out, out->n - 1);
    }
    json_decref(root);
    return e;
}
