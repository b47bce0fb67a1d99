/*
 * quotes_view.c — an article's quotations through the public API
 * (include/rasd.h, `rasd quotes`): of a text analysed now (rasd_text_quotes)
 * or as stored at ingest (rasd_engine_quotes, never re-analysed), each
 * quotation as plain offsets into the article's text, rendered by the
 * quotation finder's own formatters (the golden lines, one JSON object);
 * a story's quotations grouped by speaker and statement as the brief
 * groups them (quotes_group).
 */
#include <stdlib.h>
#include <string.h>

#include "annotate/analyze.h"
#include "annotate/quotes.h"
#include "engine/api_int.h"
#include "views/load.h"

struct rasd_quotes {
    rasd_doc *doc;       /* the article's analysed text (owned) */
    EntityList ents;     /* its names (owned) */
    QuoteList ql;        /* its quotations (owned) */
};

RASD_API void rasd_quotes_free(rasd_quotes *q)
{
    if (!q)
        return;
    quotes_free(&q->ql);
    entities_free(&q->ents);
    rasd_doc_free(q->doc);
    free(q);
}

RASD_API rasd_err rasd_text_quotes(rasd_text *t, const char *bytes, size_t len,
                                   rasd_quotes **out, rasd_error *err)
{
    if (!t || !out || (!bytes && len))
        return rasd_fail(err, RASD_EINVAL, "rasd_text_quotes: bad argument");
    rasd_quotes *q = calloc(1, sizeof *q);
    if (!q)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err e = rasd_text_analyse(t, bytes ? bytes : "", len, &q->doc, err);
    if (e == RASD_OK)
        e = analyze_entities(q->doc, &q->ents, err);
    if (e == RASD_OK)
        e = quotes_find(q->doc, &q->ents, &q->ql, err);
    if (e != RASD_OK) {
        rasd_quotes_free(q);
        return e;
    }
    *out = q;
    return RASD_OK;
}

RASD_API rasd_err rasd_engine_quotes(rasd_engine *e, int64_t row, rasd_quotes **out,
                                     rasd_error *err)
{
    if (!e || !out)
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_quotes: bad argument");
    rasd_quotes *q = calloc(1, sizeof *q);
    if (!q)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    Annotated an = {0};
    rasd_err rc = annot_load(e->st, row, &an, err);
    if (rc != RASD_OK) {
        free(q);
        return rc;
    }
    q->doc = an.doc; /* moved out of an */
    q->ents = an.ents;
    q->ql = an.quotes;
    an.doc = NULL;
    memset(&an.ents, 0, sizeof an.ents);
    memset(&an.quotes, 0, sizeof an.quotes);
    annotated_free(&an);
    *out = q;
    return RASD_OK;
}

RASD_API const char *rasd_quotes_text(const rasd_quotes *q, size_t *len)
{
    return rasd_doc_text(q->doc, len);
}

RASD_API size_t rasd_quotes_count(const rasd_quotes *q) { return q ? q->ql.n : 0; }

RASD_API rasd_err rasd_quotes_get(const rasd_quotes *q, size_t i, rasd_quote *out)
{
    if (!q || !out || i >= q->ql.n)
        return RASD_EINVAL;
    const Quote *x = &q->ql.items[i];
    *out = (rasd_quote){x->start,      x->end,      x->cue_start, x->cue_end,
                        x->said_start, x->said_end, x->spk_start, x->spk_end,
                        x->via_start,  x->via_end,  NULL,         0,
                        x->direct != 0};
    if (x->key_len && q->ql.keys.data) {
        out->key = q->ql.keys.data + x->key_off;
        out->key_len = x->key_len;
    }
    return RASD_OK;
}

RASD_API rasd_err rasd_quotes_render(const rasd_quotes *q, int fmt, size_t i, char **out,
                                     size_t *len, rasd_error *err)
{
    if (!q || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON) ||
        (fmt == RASD_FMT_JSON && i >= q->ql.n))
        return rasd_fail(err, RASD_EINVAL, "rasd_quotes_render: bad argument");
    Buf b = {0};
    if (fmt == RASD_FMT_JSON)
        quotes_format_json_one(q->doc, &q->ql, &q->ql.items[i], &b);
    else
        quotes_format_lines(q->doc, &q->ql, &b);
    buf_putc(&b, '\0');
    if (b.oom) {
        buf_free(&b);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (len)
        *len = b.len - 1;
    *out = buf_steal(&b);
    return RASD_OK;
}

RASD_API rasd_err rasd_quotes_group(const rasd_quotes *const *quotes, size_t nquotes,
                                    rasd_quote_ref **refs, size_t *n, rasd_error *err)
{
    if ((!quotes && nquotes) || !refs || !n)
        return rasd_fail(err, RASD_EINVAL, "rasd_quotes_group: bad argument");
    *refs = NULL;
    *n = 0;
    QuoteDoc *docs = calloc(nquotes ? nquotes : 1, sizeof *docs);
    if (!docs)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t i = 0; i < nquotes; i++)
        if (quotes[i])
            docs[i] = (QuoteDoc){quotes[i]->doc, &quotes[i]->ql};
    QuoteGroups g;
    rasd_err rc = quotes_group(docs, nquotes, &g, err);
    free(docs);
    if (rc != RASD_OK)
        return rc;
    rasd_quote_ref *out = malloc((g.n ? g.n : 1) * sizeof *out);
    if (!out) {
        quotes_groups_free(&g);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < g.n; i++)
        out[i] = (rasd_quote_ref){g.refs[i].doc, g.refs[i].q, g.refs[i].speaker, g.refs[i].entry};
    *refs = out;
    *n = g.n;
    quotes_groups_free(&g);
    return RASD_OK;
}
