/*
 * quotes_marks.c — pass 2 of the quotation finder (quotes.c): pairing the
 * quote marks of an analysed text with a stack of bounded depth. Whether a
 * mark opens or closes comes from the spaces around it first and its glyph
 * second; an unclosed quote ends at the last sentence end before the next
 * opener or the end of its paragraph (see quotes.c, pass 2).
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

/* ======================================================================
 * Pass 2: quote marks
 * ==================================================================== */

typedef struct Open {
    uint32_t tok;     /* the opening mark */
    uint8_t straight; /* written " (no direction of its own) */
    uint8_t nl;       /* line breaks crossed while open */
    uint32_t end1;    /* where its words end if it turns out unclosed at the first line break */
} Open;

static int is_straight(const QCtx *x, size_t i) { return x->text[x->tok[i].start] == '"'; }

/* 1 if the mark at i opens a quote, 0 if it closes one. */
static int mark_opens(const QCtx *x, size_t i, int top_straight_open)
{
    const rasd_token *t = x->tok;
    int prev_att = i > 0 && t[i - 1].end == t[i].start;
    int next_att = i + 1 < x->n && t[i + 1].start == t[i].end;
    int prev_word = prev_att && (is_word(x, i - 1) || has(x, i - 1, T_SENT | T_COMMA) ||
                                 keq(&t[i - 1], ")") || keq(&t[i - 1], "]"));
    int next_word = next_att && (is_word(x, i + 1) || has(x, i + 1, T_QMARK) ||
                                 keq(&t[i + 1], "("));
    if (next_word && !prev_word)
        return 1;
    if (prev_word && !next_word)
        return 0;
    if (i > 0 && has(x, i - 1, T_COLON) && !top_straight_open)
        return 1; /* وقال :” إنه ...: after a colon a mark opens, whatever its glyph */
    if (t[i].flags & RASD_TF_QUOTE_OPEN)
        return 1;
    if (t[i].flags & RASD_TF_QUOTE_CLOSE)
        return 0;
    return !top_straight_open;
}

static void finish_open(QCtx *x, const Open *o, uint32_t end)
{
    x->qst[o->tok] |= Q_OPEN;
    x->qend[o->tok] = (int32_t)(end > o->tok + 1 ? end : o->tok + 1);
}

void pair_quotes(QCtx *x)
{
    Open st[STACK_MAX];
    size_t depth = 0;
    int64_t last_sent = -1; /* the latest sentence-final mark */
    for (size_t i = 0; i < x->n; i++) {
        x->out->work++;
        if (depth && i > 0 && newline_before(x, i)) {
            for (size_t s = 0; s < depth; s++)
                if (++st[s].nl == 1)
                    st[s].end1 = last_sent > (int64_t)st[s].tok ? (uint32_t)last_sent + 1
                                                                : (uint32_t)i;
            /* a quote still open at its second line break was never closed */
            size_t keep = 0;
            for (size_t s = 0; s < depth; s++) {
                if (st[s].nl >= 2)
                    finish_open(x, &st[s], st[s].end1);
                else
                    st[keep++] = st[s];
            }
            depth = keep;
            /* a paragraph that reopens a quote left open continues it */
            if (depth && has(x, i, T_QMARK) &&
                mark_opens(x, i, st[depth - 1].straight)) {
                Open *top = &st[--depth];
                finish_open(x, top, top->end1);
                x->chain[top->tok] = (int32_t)i;
            }
        }
        if (has(x, i, T_SENT))
            last_sent = (int64_t)i;
        if (!has(x, i, T_QMARK))
            continue;
        int top_straight = depth && st[depth - 1].straight;
        if (mark_opens(x, i, top_straight)) {
            if (depth && top_straight && is_straight(x, i)) {
                /* straight quotes do not nest: the open one was left unclosed */
                Open *top = &st[--depth];
                finish_open(x, top, last_sent > (int64_t)top->tok ? (uint32_t)last_sent + 1
                                                                 : (uint32_t)i);
            }
            if (depth == STACK_MAX) {
                finish_open(x, &st[0], (uint32_t)i);
                memmove(st, st + 1, (STACK_MAX - 1) * sizeof st[0]);
                depth--;
            }
            st[depth++] = (Open){(uint32_t)i, (uint8_t)is_straight(x, i), 0, 0};
        } else if (depth) {
            Open *top = &st[--depth];
            x->qst[top->tok] |= Q_OPEN | Q_CLOSED;
            x->qend[top->tok] = (int32_t)i;
            x->qst[i] |= Q_CLOSER;
        }
    }
    while (depth) {
        Open *o = &st[--depth];
        finish_open(x, o, o->nl ? o->end1
                                : last_sent > (int64_t)o->tok ? (uint32_t)last_sent + 1
                                                              : (uint32_t)x->n);
    }
}
