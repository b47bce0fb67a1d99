/*
 * compare_view.c — `rasd compare A B` as a library call (include/rasd.h,
 * rasd_compare_render): what two articles say differently. The bodies are
 * aligned sentence by sentence (story/align.h); the view gives the aligned
 * pairs with their similarity, the wording discrepancies and differing
 * figures in them, the quantities of the same thing that cannot both hold,
 * and whether the two headlines contradict each other (the first sentences
 * when an article has no headline), as text or one JSON object.
 */
#include <stdlib.h>
#include <string.h>

#include "story/align.h"
#include "story/compare.h"
#include "util/util.h"

/* One article analysed: its body and headline. */
typedef struct Side {
    const char *label;   /* its name in the output (the file) */
    const char *title;   /* or NULL */
    rasd_doc *body;      /* its analysed body */
    rasd_doc *head;      /* its analysed headline, or NULL */
} Side;

/* What the view shows, found from the two sides. */
typedef struct Found {
    Alignment al;
    Discrepancy *disc;
    size_t nd;
    QuantityMismatch *qm;
    size_t nq;
    Contradiction con;
    int on_titles;       /* 1: headlines compared; 0: first sentences */
} Found;

static rasd_err load(rasd_text *t, const rasd_article *a, Side *s, rasd_error *err)
{
    s->label = a->origin ? a->origin : "article";
    s->title = a->title;
    const char *body = a->text ? a->text : "";
    if (rasd_text_analyse(t, body, strlen(body), &s->body, err) != RASD_OK ||
        (a->title && rasd_text_analyse(t, a->title, strlen(a->title), &s->head, err) != RASD_OK)) {
        rasd_error inner = *err;
        return rasd_fail(err, inner.code, "%s: %s", s->label, inner.msg);
    }
    return RASD_OK;
}

/* The text of [start,end) of d with line breaks as spaces. */
static void put_plain(Buf *out, const rasd_doc *d, uint32_t start, uint32_t end)
{
    size_t len;
    const char *text = rasd_doc_text(d, &len);
    if (end > len || start > end)
        return;
    for (uint32_t i = start; i < end; i++)
        buf_putc(out, text[i] == '\n' || text[i] == '\r' || text[i] == '\t' ? ' ' : text[i]);
}

static void put_json_span(Buf *out, const rasd_doc *d, uint32_t start, uint32_t end)
{
    size_t len;
    const char *text = rasd_doc_text(d, &len);
    buf_puts(out, "{\"text\":");
    buf_put_json_string(out, text + start, end - start);
    buf_printf(out, ",\"start\":%u,\"end\":%u}", start, end);
}

static const char *kind_name(uint32_t k)
{
    return k == CMP_WORDING ? "wording" : "number";
}

/* Headlines, or the first sentences when one has none: the contradiction. */
static rasd_err contradiction(rasd_text *t, const Side *A, const Side *B, Found *f,
                              rasd_error *err)
{
    const rasd_doc *ha = A->head, *hb = B->head;
    rasd_doc *first[2] = {NULL, NULL};
    f->on_titles = ha && hb;
    rasd_err e = RASD_OK;
    if (!f->on_titles) {
        const rasd_doc *d[2] = {A->body, B->body};
        for (int k = 0; k < 2 && e == RASD_OK; k++) {
            size_t len;
            const char *text = rasd_doc_text(d[k], &len);
            const rasd_sentence *s = rasd_doc_sentences(d[k]);
            uint32_t b0 = rasd_doc_nsentences(d[k]) ? s[0].start : 0;
            uint32_t e0 = rasd_doc_nsentences(d[k]) ? s[0].end : 0;
            e = rasd_text_analyse(t, text + b0, e0 - b0, &first[k], err);
        }
        ha = first[0];
        hb = first[1];
    }
    if (e == RASD_OK)
        e = compare_contradicts(ha, hb, &f->con, err);
    rasd_doc_free(first[0]);
    rasd_doc_free(first[1]);
    return e;
}

static void put_found(Buf *b, int fmt, const Side *a, const Side *bs, const Found *f);

RASD_API rasd_err rasd_compare_render(rasd_text *t, const rasd_article *a, const rasd_article *b,
                                      double threshold, int fmt, char **out, size_t *len,
                                      rasd_error *err)
{
    if (!t || !a || !b || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON))
        return rasd_fail(err, RASD_EINVAL, "rasd_compare_render: bad argument");
    Side A = {0}, B = {0};
    Found f = {0};
    rasd_err e = load(t, a, &A, err);
    if (e == RASD_OK)
        e = load(t, b, &B, err);
    if (e == RASD_OK)
        e = contradiction(t, &A, &B, &f, err);
    if (e == RASD_OK)
        e = align_docs(A.body, B.body, threshold > 0 ? threshold : ALIGN_THRESHOLD, &f.al, err);
    if (e == RASD_OK)
        e = compare_discrepancies(A.body, B.body, &f.al, &f.disc, &f.nd, err);
    if (e == RASD_OK)
        e = compare_quantities(A.body, B.body, &f.al, &f.qm, &f.nq, err);
    Buf o = {0};
    if (e == RASD_OK) {
        put_found(&o, fmt, &A, &B, &f);
        buf_putc(&o, '\0');
        if (o.oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    free(f.disc);
    free(f.qm);
    align_free(&f.al);
    rasd_doc_free(A.body);
    rasd_doc_free(A.head);
    rasd_doc_free(B.body);
    rasd_doc_free(B.head);
    if (e != RASD_OK) {
        buf_free(&o);
        return e;
    }
    if (len)
        *len = o.len - 1;
    *out = buf_steal(&o);
    return RASD_OK;
}

/* The view of what was found, as text or JSON. */
static void put_found(Buf *b, int fmt, const Side *a, const Side *bs, const Found *f)
{
    const Side A = *a, B = *bs;
    const Alignment al = f->al;
    const Discrepancy *disc = f->disc;
    const QuantityMismatch *qm = f->qm;
    size_t nd = f->nd, nq = f->nq;
    const Contradiction con = f->con;
    int on_titles = f->on_titles;
    const rasd_sentence *sa = rasd_doc_sentences(A.body), *sb = rasd_doc_sentences(B.body);
    if (fmt == RASD_FMT_JSON) {
        buf_puts(b, "{\"a\":{\"file\":");
        buf_put_json_string(b, A.label, strlen(A.label));
        buf_puts(b, ",\"title\":");
        if (A.title)
            buf_put_json_string(b, A.title, strlen(A.title));
        else
            buf_puts(b, "null");
        buf_printf(b, ",\"sentences\":%zu},\"b\":{\"file\":", rasd_doc_nsentences(A.body));
        buf_put_json_string(b, B.label, strlen(B.label));
        buf_puts(b, ",\"title\":");
        if (B.title)
            buf_put_json_string(b, B.title, strlen(B.title));
        else
            buf_puts(b, "null");
        buf_printf(b, ",\"sentences\":%zu},\"pairs\":[", rasd_doc_nsentences(B.body));
        for (size_t i = 0; i < al.n; i++) {
            const AlignPair *p = &al.pairs[i];
            buf_printf(b, "%s{\"sim\":%.3f,\"a\":", i ? "," : "", p->sim);
            put_json_span(b, A.body, sa[p->sa].start, sa[p->sa].end);
            buf_puts(b, ",\"b\":");
            put_json_span(b, B.body, sb[p->sb].start, sb[p->sb].end);
            buf_printf(b, ",\"a_sentence\":%u,\"b_sentence\":%u,\"discrepancies\":[", p->sa,
                       p->sb);
            int first = 1;
            for (size_t k = 0; k < nd; k++) {
                if (disc[k].pair != i)
                    continue;
                buf_printf(b, "%s{\"kind\":\"%s\"", first ? "" : ",", kind_name(disc[k].kind));
                if (disc[k].kind == CMP_NUMBER)
                    buf_printf(b, ",\"compat\":\"%s\"",
                               disc[k].qc ? quant_compat_name(disc[k].qc) : "figures");
                buf_puts(b, ",\"a\":");
                put_json_span(b, A.body, disc[k].a_start, disc[k].a_end);
                buf_puts(b, ",\"b\":");
                put_json_span(b, B.body, disc[k].b_start, disc[k].b_end);
                buf_putc(b, '}');
                first = 0;
            }
            buf_puts(b, "]}");
        }
        buf_puts(b, "],\"quantities\":[");
        for (size_t k = 0; k < nq; k++) {
            buf_puts(b, k ? ",{\"a\":" : "{\"a\":");
            put_json_span(b, A.body, qm[k].a.start, qm[k].a.end);
            buf_puts(b, ",\"a_value\":\"");
            quant_format_value(&qm[k].a, b);
            buf_puts(b, "\",\"b\":");
            put_json_span(b, B.body, qm[k].b.start, qm[k].b.end);
            buf_puts(b, ",\"b_value\":\"");
            quant_format_value(&qm[k].b, b);
            buf_printf(b, "\",\"compat\":\"%s\"}", quant_compat_name(qm[k].qc));
        }
        buf_printf(b, "],\"contradiction\":{\"on\":\"%s\",\"score\":%.3f,\"contradicts\":%s,"
                         "\"reason\":",
                   on_titles ? "titles" : "first sentences", con.score,
                   con.contradicts ? "true" : "false");
        buf_put_json_string(b, con.reason, strlen(con.reason));
        buf_puts(b, "}}\n");
    } else {
        buf_printf(b, "%zu aligned sentence pairs (A has %zu sentences, B %zu)\n", al.n,
                   rasd_doc_nsentences(A.body), rasd_doc_nsentences(B.body));
        for (size_t i = 0; i < al.n; i++) {
            const AlignPair *p = &al.pairs[i];
            buf_printf(b, "\n[%zu] similarity %.2f  A#%u ~ B#%u\n  A: ", i + 1, p->sim,
                       p->sa + 1, p->sb + 1);
            put_plain(b, A.body, sa[p->sa].start, sa[p->sa].end);
            buf_puts(b, "\n  B: ");
            put_plain(b, B.body, sb[p->sb].start, sb[p->sb].end);
            buf_putc(b, '\n');
            for (size_t k = 0; k < nd; k++) {
                if (disc[k].pair != i)
                    continue;
                buf_printf(b, "  %s: ", kind_name(disc[k].kind));
                put_plain(b, A.body, disc[k].a_start, disc[k].a_end);
                buf_puts(b, " | ");
                put_plain(b, B.body, disc[k].b_start, disc[k].b_end);
                if (disc[k].kind == CMP_NUMBER && disc[k].qc)
                    buf_printf(b, " (%s)", quant_compat_name(disc[k].qc));
                buf_putc(b, '\n');
            }
        }
        buf_printf(b, "\nquantity mismatches: %zu\n", nq);
        for (size_t k = 0; k < nq; k++) {
            buf_puts(b, "  ");
            put_plain(b, A.body, qm[k].a.start, qm[k].a.end);
            buf_puts(b, " (");
            quant_format_value(&qm[k].a, b);
            buf_puts(b, ") | ");
            put_plain(b, B.body, qm[k].b.start, qm[k].b.end);
            buf_puts(b, " (");
            quant_format_value(&qm[k].b, b);
            buf_puts(b, ")\n");
        }
        buf_printf(b, "\n%s: contradiction score %.2f (%s)%s%s\n",
                   on_titles ? "headlines" : "first sentences", con.score,
                   con.contradicts ? "contradict" : "no contradiction", con.reason[0] ? ": " : "",
                   con.reason);
    }
}
