/*
 * analyze.c — an Article through the text core, the NER tagger and the
 * date recogniser, written as the JSON object of design.md §3.
 *
 * An entity's key is names_key() of its words with the first word's
 * proclitics removed (وبوتين → بوتين): the context-free identity of the
 * name, shared by its transliteration variants (شويغو / شويجو). Short
 * forms (بوتين → فلاديمير بوتين) are not yet resolved within an article.
 * Quotations are not produced yet, so the "quotes" field is left out rather
 * than given as an empty list that would claim there are none.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "dates.h"
#include "names.h"
#include "ner.h"
#include "story/fingerprint.h"
#include "text/text.h"

static void field(Buf *b, const char *k, const char *v)
{
    buf_printf(b, ",\"%s\":", k);
    if (v)
        buf_put_json_string(b, v, strlen(v));
    else
        buf_puts(b, "null");
}

/* "YYYY-MM-DD" prefix of a published value, or NULL. */
static const char *pub_date(const char *p, char out[11])
{
    if (!p || strlen(p) < 10 || p[4] != '-' || p[7] != '-')
        return NULL;
    memcpy(out, p, 10);
    out[10] = '\0';
    return out;
}

rasd_err analyze_article(rasd_text *t, const Article *a, Buf *out, rasd_error *err)
{
    rasd_doc *d = NULL;
    const char *body = a->body ? a->body : "";
    rasd_err e = rasd_text_analyse(t, body, strlen(body), &d, err);
    if (e != RASD_OK)
        return e;
    size_t n = rasd_doc_ntokens(d), tlen;
    const rasd_token *tok = rasd_doc_tokens(d);
    const char *text = rasd_doc_text(d, &tlen);
    uint8_t *tags = malloc(n ? n : 1);
    NerSpan *spans = malloc((n ? n : 1) * sizeof *spans);
    DateSpan *dates = NULL;
    size_t ndates = 0;
    Buf words = {0}, key = {0}; /* an entity's words, and its key */
    if (!tags || !spans) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    e = ner_tag(d, tags, err);
    if (e != RASD_OK)
        goto done;
    size_t nspans = ner_spans(tok, tags, n, spans, n);
    char day[11];
    e = dates_find(d, pub_date(a->published, day), 0, &dates, &ndates, err);
    if (e != RASD_OK)
        goto done;

    char hex[17];
    fp_identity(d, hex);
    buf_printf(out, "{\"id\":\"%s\"", hex);
    field(out, "file", a->origin);
    field(out, "title", a->title);
    field(out, "outlet", a->outlet);
    if (a->agency)
        field(out, "agency", a->agency);
    field(out, "published", a->published);
    field(out, "url", a->url);
    field(out, "text", text);
    buf_puts(out, ",\"entities\":[");
    for (size_t i = 0; i < nspans; i++) {
        const NerSpan *s = &spans[i];
        static const char *const type[] = {"", "PER", "LOC", "ORG", "MISC"};
        buf_puts(out, i ? ",{\"text\":" : "{\"text\":");
        buf_put_json_string(out, text + s->start, s->end - s->start);
        buf_printf(out, ",\"type\":\"%s\",\"key\":", s->type < 5 ? type[s->type] : "MISC");
        buf_reset(&words);
        for (uint32_t k = s->first; k <= s->last; k++) {
            const rasd_token *w = &tok[k];
            uint32_t skip = k == s->first ? w->pre_len : 0;
            if (k > s->first)
                buf_putc(&words, ' ');
            buf_append(&words, w->key + skip, w->key_len - skip);
        }
        buf_reset(&key);
        names_key(words.data ? words.data : "", words.len, &key);
        buf_put_json_string(out, key.data ? key.data : "", key.len);
        buf_printf(out, ",\"start\":%u,\"end\":%u}", s->start, s->end);
    }
    buf_puts(out, "],\"dates\":");
    dates_format_json(d, dates, ndates, out);
    buf_putc(out, '}');
    if (out->oom || words.oom || key.oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
done:
    buf_free(&words);
    buf_free(&key);
    free(tags);
    free(spans);
    free(dates);
    rasd_doc_free(d);
    return e;
}
