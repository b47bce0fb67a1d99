/*
 * quotes_format.c — quotations as text lines (golden tests, `rasd quotes`)
 * and as JSON (`rasd analyze`, `rasd quotes --json`).
 */
#include <string.h>

#include "quotes_int.h"

/* ======================================================================
 * Output
 * ==================================================================== */

const char *quotes_kind_name(int kind)
{
    static const char *const names[] = {"unknown", "person", "role", "institution", "anonymous",
                                        "implicit"};
    return kind >= 0 && kind <= QS_IMPLICIT ? names[kind] : "unknown";
}

/* A span's bytes, or an empty span when it is not a proper one. */
static void json_span(Buf *out, const rasd_doc *d, uint32_t a, uint32_t b)
{
    size_t n;
    const char *text = rasd_doc_text(d, &n);
    if (a > b || b > n)
        a = b = 0;
    buf_put_json_string(out, text + a, b - a);
}

static void put_span(Buf *out, const char *text, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b; i++) /* one line: breaks inside a quote become spaces */
        buf_putc(out, text[i] == '\n' || text[i] == '\r' ? ' ' : text[i]);
}

/* The span's words, or "-" when it is empty. */
static void put_span_or_dash(Buf *out, const char *text, uint32_t a, uint32_t b)
{
    if (a < b)
        put_span(out, text, a, b);
    else
        buf_putc(out, '-');
}

void quotes_format_lines(const rasd_doc *d, const QuoteList *l, Buf *out)
{
    const char *text = rasd_doc_text(d, NULL);
    if (l->n == 0) {
        buf_puts(out, "(none)");
        return;
    }
    for (size_t i = 0; i < l->n; i++) {
        const Quote *q = &l->items[i];
        if (i)
            buf_putc(out, '\n');
        buf_puts(out, q->direct ? "direct | " : "indirect | ");
        int said = q->said_start < q->said_end;
        int name = q->spk_start < q->spk_end;
        if (said)
            put_span(out, text, q->said_start, q->said_end);
        if (name && (!said || q->spk_start != q->said_start || q->spk_end != q->said_end)) {
            buf_puts(out, said ? " → " : "→ ");
            put_span(out, text, q->spk_start, q->spk_end);
        }
        if (!said && !name)
            buf_puts(out, "?");
        buf_printf(out, " (%s) | ", quotes_kind_name(q->kind));
        put_span_or_dash(out, text, q->cue_start, q->cue_end);
        buf_puts(out, " | ");
        put_span(out, text, q->start, q->end);
        buf_puts(out, " | ");
        put_span_or_dash(out, text, q->via_start, q->via_end);
    }
}

void quotes_format_json_one(const rasd_doc *d, const QuoteList *l, const Quote *q, Buf *out)
{
    buf_puts(out, "{\"speaker\":");
    json_span(out, d, q->spk_start, q->spk_end);
    if (q->key_len && l->keys.data) {
        buf_puts(out, ",\"speaker_key\":");
        buf_put_json_string(out, l->keys.data + q->key_off, q->key_len);
    }
    buf_printf(out, ",\"kind\":\"%s\"", quotes_kind_name(q->kind));
    if (q->said_start < q->said_end &&
        (q->said_start != q->spk_start || q->said_end != q->spk_end)) {
        buf_puts(out, ",\"said\":");
        json_span(out, d, q->said_start, q->said_end);
    }
    buf_puts(out, ",\"cue\":");
    if (q->cue_start < q->cue_end)
        json_span(out, d, q->cue_start, q->cue_end);
    else
        buf_puts(out, "null");
    buf_puts(out, ",\"text\":");
    json_span(out, d, q->start, q->end);
    buf_printf(out, ",\"direct\":%s", q->direct ? "true" : "false");
    if (q->via_start < q->via_end) {
        buf_puts(out, ",\"via\":");
        json_span(out, d, q->via_start, q->via_end);
    }
    buf_printf(out, ",\"start\":%u,\"end\":%u}", q->start, q->end);
}

void quotes_format_json(const rasd_doc *d, const QuoteList *l, Buf *out)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            buf_putc(out, ',');
        quotes_format_json_one(d, l, &l->items[i], out);
    }
    buf_putc(out, ']');
}
