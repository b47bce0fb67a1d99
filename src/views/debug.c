/*
 * debug.c — the debugging views of include/rasd.h: what the text core, the
 * date recogniser, the name matcher and the tagger see (`rasd tokens`,
 * `rasd dates`, `rasd key`, `rasd tag`), for a program that wants to show
 * them as the CLI does.
 * Thin: each formats with the module's own golden-test formatter.
 */
#include <stdlib.h>
#include <string.h>

#include "annotate/dates.h"
#include "annotate/names.h"
#include "annotate/ner.h"
#include "text/text.h"
#include "util/util.h"

static rasd_err hand(Buf *b, char **out, size_t *len, rasd_error *err)
{
    buf_putc(b, '\0');
    if (b->oom) {
        buf_free(b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (len)
        *len = b->len - 1;
    *out = buf_steal(b);
    return RASD_OK;
}

RASD_API rasd_err rasd_doc_render(const rasd_doc *d, int view, size_t tok_begin, size_t tok_end,
                                  char **out, size_t *len, rasd_error *err)
{
    if (!d || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_doc_render: bad argument");
    if (!tok_end || tok_end > d->ntokens)
        tok_end = d->ntokens;
    if (tok_begin > tok_end)
        tok_begin = tok_end;
    Buf b = {0};
    rasd_doc part = *d; /* a view of some tokens, borrowed from d */
    part.tokens = d->tokens + tok_begin;
    part.ntokens = tok_end - tok_begin;
    switch (view) {
    case RASD_VIEW_TOKENS: text_format_tokens(&part, &b); break;
    case RASD_VIEW_SEGMENTS: text_format_segments(&part, &b); break;
    case RASD_VIEW_SENTENCES: text_format_sentences(d, &b); break;
    case RASD_VIEW_JSON: text_format_json(d, &b); break;
    default: return rasd_fail(err, RASD_EINVAL, "rasd_doc_render: unknown view %d", view);
    }
    return hand(&b, out, len, err);
}

RASD_API rasd_err rasd_dates_render(const rasd_doc *d, const char *pubdate, unsigned flags,
                                    int fmt, char **out, size_t *len, rasd_error *err)
{
    if (!d || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON))
        return rasd_fail(err, RASD_EINVAL, "rasd_dates_render: bad argument");
    DateSpan *spans = NULL;
    size_t n = 0;
    rasd_err e = dates_find(d, pubdate, flags & RASD_DATES_TIMEX ? DATES_TIMEX : 0, &spans, &n,
                            err);
    if (e != RASD_OK)
        return e;
    Buf b = {0};
    if (fmt == RASD_FMT_JSON)
        dates_format_json(d, spans, n, &b);
    else
        dates_format_lines(d, spans, n, &b);
    free(spans);
    return hand(&b, out, len, err);
}

RASD_API rasd_err rasd_name_key(const char *name, size_t len, int kind, char **out,
                                size_t *out_len, rasd_error *err)
{
    if (!name || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_name_key: bad argument");
    Buf b = {0};
    int r = kind == RASD_NAME_SKELETON ? names_skeleton(name, len, &b)
            : kind == RASD_NAME_FORM   ? names_form(name, len, &b)
                                       : names_key(name, len, &b);
    if (r < 0) {
        buf_free(&b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    return hand(&b, out, out_len, err);
}

RASD_API int rasd_name_same(const char *a, size_t na, const char *b, size_t nb,
                            double *distance)
{
    Buf fa = {0}, fb = {0};
    int m = names_match(a, na, b, nb);
    if (m >= 0 && (names_form(a, na, &fa) < 0 || names_form(b, nb, &fb) < 0))
        m = -1;
    if (m >= 0 && distance)
        *distance = names_form_distance(fa.data, fa.len, fb.data, fb.len);
    buf_free(&fa);
    buf_free(&fb);
    return m < 0 ? -1 : m != 0;
}

/* Tags sentence s of c into out as "word TAG" lines and a blank line. */
static rasd_err tag_sentence(const NerModel *m, rasd_text *t, NerConll *c, size_t s,
                             uint8_t *tags, Buf *out, rasd_error *err)
{
    if (ner_conll_tag(m, t, c, s, tags, err) != RASD_OK) {
        rasd_error inner = *err;
        return rasd_fail(err, inner.code, "sentence %zu: %s", s + 1, inner.msg);
    }
    for (uint32_t w = c->sent[s].word_begin; w < c->sent[s].word_end; w++) {
        buf_append(out, c->pool + c->woff[w], c->wlen[w]);
        buf_putc(out, ' ');
        buf_puts(out, ner_tag_name(tags[w - c->sent[s].word_begin]));
        buf_putc(out, '\n');
    }
    buf_putc(out, '\n');
    return RASD_OK;
}

RASD_API rasd_err rasd_conll_tag(const char *bytes, size_t len, const char *name, char **out,
                                 size_t *out_len, rasd_error *err)
{
    if (!out || (!bytes && len))
        return rasd_fail(err, RASD_EINVAL, "rasd_conll_tag: bad argument");
    const NerModel *m = ner_default(err);
    if (!m)
        return err ? err->code : RASD_EFORMAT;
    NerConll c;
    rasd_err e = ner_conll_parse(bytes ? bytes : "", len, 0, name ? name : "input", &c, err);
    if (e != RASD_OK)
        return e;
    size_t longest = 1;
    for (size_t s = 0; s < c.nsent; s++)
        if (c.sent[s].word_end - c.sent[s].word_begin > longest)
            longest = c.sent[s].word_end - c.sent[s].word_begin;
    rasd_text *t = NULL;
    uint8_t *tags = malloc(longest);
    Buf b = {0};
    e = tags ? rasd_text_new(&t, err) : rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t s = 0; e == RASD_OK && s < c.nsent; s++)
        e = tag_sentence(m, t, &c, s, tags, &b, err);
    free(tags);
    rasd_text_free(t);
    ner_conll_free(&c);
    if (e != RASD_OK) {
        buf_free(&b);
        return e;
    }
    return hand(&b, out, out_len, err);
}
