/*
 * analyze.c — an Article through the text core, the NER tagger and the
 * date recogniser, written as the JSON object of design.md §3.
 *
 * An entity's key is names_key() of its words with the first word's
 * proclitics removed (وبوتين → بوتين): the context-free identity of the
 * name, shared by its transliteration variants (شويغو / شويجو). A person
 * named by one word (بوتين، كيربي، توماس) takes the key of the one full name
 * of the article that has that word — last word first, then first word,
 * then any — and keeps its own key when two full names would fit.
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

/* Where word w (len bytes) stands in the space-separated key k: 1 last, 2 first, 3 inside, 0 not. */
static int word_place(const char *k, size_t n, const char *w, size_t len)
{
    int place = 0;
    for (size_t b = 0; b < n;) {
        size_t e = b;
        while (e < n && k[e] != ' ')
            e++;
        if (e - b == len && memcmp(k + b, w, len) == 0) {
            if (e == n)
                return 1;
            place = b == 0 ? 2 : (place ? place : 3);
        }
        b = e + 1;
    }
    return place;
}

/* The span whose key span i should use: a unique full name containing its one word, or i. */
static size_t full_name_of(const NerSpan *spans, size_t n, const char *keys, const size_t *koff,
                           size_t i)
{
    const char *w = keys + koff[i];
    size_t wl = koff[i + 1] - koff[i];
    if (wl == 0 || memchr(w, ' ', wl))
        return i; /* already more than one word */
    for (int want = 1; want <= 3; want++) {
        size_t found = i;
        int ambiguous = 0;
        for (size_t j = 0; j < n; j++) {
            const char *k = keys + koff[j];
            size_t kl = koff[j + 1] - koff[j];
            if (j == i || spans[j].type != NER_PERS || !memchr(k, ' ', kl) ||
                word_place(k, kl, w, wl) != want)
                continue;
            if (found != i && (koff[found + 1] - koff[found] != kl ||
                               memcmp(keys + koff[found], k, kl) != 0))
                ambiguous = 1;
            found = j;
        }
        if (found != i)
            return ambiguous ? i : found;
    }
    return i;
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
    /* keys of all spans first: short forms are resolved against full names */
    size_t *koff = malloc((nspans + 1) * sizeof *koff);
    if (!koff) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nspans; i++) {
        const NerSpan *s = &spans[i];
        buf_reset(&words);
        for (uint32_t k = s->first; k <= s->last; k++) {
            const rasd_token *w = &tok[k];
            uint32_t skip = k == s->first ? w->pre_len : 0;
            /* a person's name takes no article: a proclitic with ال in it is
               the splitter misreading a foreign name (فاليري is not ف + ال + يري) */
            if (s->type == NER_PERS && skip > 2)
                skip = 0;
            if (k > s->first)
                buf_putc(&words, ' ');
            buf_append(&words, w->key + skip, w->key_len - skip);
        }
        koff[i] = key.len;
        names_key(words.data ? words.data : "", words.len, &key);
    }
    koff[nspans] = key.len;
    buf_puts(out, ",\"entities\":[");
    for (size_t i = 0; i < nspans; i++) {
        const NerSpan *s = &spans[i];
        static const char *const type[] = {"", "PER", "LOC", "ORG", "MISC"};
        buf_puts(out, i ? ",{\"text\":" : "{\"text\":");
        buf_put_json_string(out, text + s->start, s->end - s->start);
        buf_printf(out, ",\"type\":\"%s\",\"key\":", s->type < 5 ? type[s->type] : "MISC");
        size_t full = s->type == NER_PERS ? full_name_of(spans, nspans, key.data, koff, i) : i;
        buf_put_json_string(out, key.data ? key.data + koff[full] : "", koff[full + 1] - koff[full]);
        buf_printf(out, ",\"start\":%u,\"end\":%u}", s->start, s->end);
    }
    free(koff);
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
