/*
 * cmd_compare.c — `rasd compare A B`: what two articles say differently,
 * with no database. Each file is read the way `rasd analyze` reads it (any
 * supported format; the first article of a file is used), the bodies are
 * aligned sentence by sentence (story/align.h), and the command prints the
 * aligned pairs with their similarity, the wording discrepancies and
 * differing figures in them, the quantities of the same thing that cannot
 * both hold, and whether the two headlines contradict each other (the
 * first sentences when an article has no headline).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ingest/walk.h"
#include "story/compare.h"

static void help(FILE *to)
{
    fputs("usage: rasd compare [--json] [--threshold T] A B\n"
          "  compares two articles (files in any format rasd reads; the first article of\n"
          "  each file): sentences aligned across the two with their similarity, wording\n"
          "  discrepancies and differing figures in aligned sentences, quantities of the\n"
          "  same thing that cannot both hold, and whether the headlines contradict.\n"
          "  --json          one JSON object; offsets are UTF-8 byte offsets into each\n"
          "                  article's body text\n"
          "  --threshold T   minimum similarity of an aligned pair (0..1, default 0.5)\n",
          to);
}

typedef struct Side {
    Batch batch;      /* what the file held */
    const Article *a; /* the article compared */
    rasd_doc *body;   /* its analysed body */
    rasd_doc *head;   /* its analysed headline, or NULL */
} Side;

static int load(rasd_text *t, const char *path, Side *s)
{
    rasd_error err;
    if (ingest_read_file(path, 0, &s->batch, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return -1;
    }
    if (s->batch.n == 0) {
        cli_error("%s: no article found", path);
        return -1;
    }
    if (s->batch.n > 1)
        cli_error("%s: %zu articles, comparing the first", path, s->batch.n);
    s->a = &s->batch.items[0];
    const char *body = s->a->body ? s->a->body : "";
    if (rasd_text_analyse(t, body, strlen(body), &s->body, &err) != RASD_OK ||
        (s->a->title && rasd_text_analyse(t, s->a->title, strlen(s->a->title), &s->head,
                                          &err) != RASD_OK)) {
        cli_error("%s: %s", path, err.msg);
        return -1;
    }
    return 0;
}

static void side_free(Side *s)
{
    rasd_doc_free(s->body);
    rasd_doc_free(s->head);
    batch_free(&s->batch);
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

int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, 0, 'j'},
                                         {"threshold", required_argument, 0, 't'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int json = 0, c;
    double threshold = ALIGN_THRESHOLD;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 't': {
            char *end = NULL;
            threshold = strtod(optarg, &end);
            if (!end || *end || !(threshold > 0 && threshold <= 1)) {
                cli_error("--threshold must be a number above 0 and at most 1, not '%s'", optarg);
                return 2;
            }
            break;
        }
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (argc - optind != 2) {
        help(stderr);
        return 2;
    }
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return 1;
    }
    Side A = {0}, B = {0};
    Alignment al = {0};
    Discrepancy *disc = NULL;
    QuantityMismatch *qm = NULL;
    size_t nd = 0, nq = 0;
    Contradiction con;
    int rc = 1;
    if (load(t, argv[optind], &A) || load(t, argv[optind + 1], &B))
        goto done;
    /* headlines, or the first sentences when one has none */
    const rasd_doc *ha = A.head, *hb = B.head;
    rasd_doc *fa = NULL, *fb = NULL;
    int on_titles = ha && hb;
    if (!on_titles) {
        const rasd_doc *d[2] = {A.body, B.body};
        rasd_doc **f[2] = {&fa, &fb};
        for (int k = 0; k < 2; k++) {
            size_t len;
            const char *text = rasd_doc_text(d[k], &len);
            const rasd_sentence *s = rasd_doc_sentences(d[k]);
            uint32_t b0 = rasd_doc_nsentences(d[k]) ? s[0].start : 0;
            uint32_t e0 = rasd_doc_nsentences(d[k]) ? s[0].end : 0;
            if (rasd_text_analyse(t, text + b0, e0 - b0, f[k], &err) != RASD_OK) {
                cli_error("%s", err.msg);
                goto done;
            }
        }
        ha = fa;
        hb = fb;
    }
    rasd_err e = align_docs(A.body, B.body, threshold, &al, &err);
    if (e == RASD_OK)
        e = compare_discrepancies(A.body, B.body, &al, &disc, &nd, &err);
    if (e == RASD_OK)
        e = compare_quantities(A.body, B.body, &al, &qm, &nq, &err);
    if (e == RASD_OK)
        e = compare_contradicts(ha, hb, &con, &err);
    rasd_doc_free(fa);
    rasd_doc_free(fb);
    if (e != RASD_OK) {
        cli_error("%s", err.msg);
        goto done;
    }

    Buf out = {0};
    const rasd_sentence *sa = rasd_doc_sentences(A.body), *sb = rasd_doc_sentences(B.body);
    if (json) {
        buf_puts(&out, "{\"a\":{\"file\":");
        buf_put_json_string(&out, argv[optind], strlen(argv[optind]));
        buf_puts(&out, ",\"title\":");
        if (A.a->title)
            buf_put_json_string(&out, A.a->title, strlen(A.a->title));
        else
            buf_puts(&out, "null");
        buf_printf(&out, ",\"sentences\":%zu},\"b\":{\"file\":", rasd_doc_nsentences(A.body));
        buf_put_json_string(&out, argv[optind + 1], strlen(argv[optind + 1]));
        buf_puts(&out, ",\"title\":");
        if (B.a->title)
            buf_put_json_string(&out, B.a->title, strlen(B.a->title));
        else
            buf_puts(&out, "null");
        buf_printf(&out, ",\"sentences\":%zu},\"pairs\":[", rasd_doc_nsentences(B.body));
        for (size_t i = 0; i < al.n; i++) {
            const AlignPair *p = &al.pairs[i];
            buf_printf(&out, "%s{\"sim\":%.3f,\"a\":", i ? "," : "", p->sim);
            put_json_span(&out, A.body, sa[p->sa].start, sa[p->sa].end);
            buf_puts(&out, ",\"b\":");
            put_json_span(&out, B.body, sb[p->sb].start, sb[p->sb].end);
            buf_printf(&out, ",\"a_sentence\":%u,\"b_sentence\":%u,\"discrepancies\":[", p->sa,
                       p->sb);
            int first = 1;
            for (size_t k = 0; k < nd; k++) {
                if (disc[k].pair != i)
                    continue;
                buf_printf(&out, "%s{\"kind\":\"%s\"", first ? "" : ",", kind_name(disc[k].kind));
                if (disc[k].kind == CMP_NUMBER)
                    buf_printf(&out, ",\"compat\":\"%s\"",
                               disc[k].qc ? quant_compat_name(disc[k].qc) : "figures");
                buf_puts(&out, ",\"a\":");
                put_json_span(&out, A.body, disc[k].a_start, disc[k].a_end);
                buf_puts(&out, ",\"b\":");
                put_json_span(&out, B.body, disc[k].b_start, disc[k].b_end);
                buf_putc(&out, '}');
                first = 0;
            }
            buf_puts(&out, "]}");
        }
        buf_puts(&out, "],\"quantities\":[");
        for (size_t k = 0; k < nq; k++) {
            buf_puts(&out, k ? ",{\"a\":" : "{\"a\":");
            put_json_span(&out, A.body, qm[k].a.start, qm[k].a.end);
            buf_puts(&out, ",\"a_value\":\"");
            quant_format_value(&qm[k].a, &out);
            buf_puts(&out, "\",\"b\":");
            put_json_span(&out, B.body, qm[k].b.start, qm[k].b.end);
            buf_puts(&out, ",\"b_value\":\"");
            quant_format_value(&qm[k].b, &out);
            buf_printf(&out, "\",\"compat\":\"%s\"}", quant_compat_name(qm[k].qc));
        }
        buf_printf(&out, "],\"contradiction\":{\"on\":\"%s\",\"score\":%.3f,\"contradicts\":%s,"
                         "\"reason\":",
                   on_titles ? "titles" : "first sentences", con.score,
                   con.contradicts ? "true" : "false");
        buf_put_json_string(&out, con.reason, strlen(con.reason));
        buf_puts(&out, "}}\n");
    } else {
        buf_printf(&out, "%zu aligned sentence pairs (A has %zu sentences, B %zu)\n", al.n,
                   rasd_doc_nsentences(A.body), rasd_doc_nsentences(B.body));
        for (size_t i = 0; i < al.n; i++) {
            const AlignPair *p = &al.pairs[i];
            buf_printf(&out, "\n[%zu] similarity %.2f  A#%u ~ B#%u\n  A: ", i + 1, p->sim,
                       p->sa + 1, p->sb + 1);
            put_plain(&out, A.body, sa[p->sa].start, sa[p->sa].end);
            buf_puts(&out, "\n  B: ");
            put_plain(&out, B.body, sb[p->sb].start, sb[p->sb].end);
            buf_putc(&out, '\n');
            for (size_t k = 0; k < nd; k++) {
                if (disc[k].pair != i)
                    continue;
                buf_printf(&out, "  %s: ", kind_name(disc[k].kind));
                put_plain(&out, A.body, disc[k].a_start, disc[k].a_end);
                buf_puts(&out, " | ");
                put_plain(&out, B.body, disc[k].b_start, disc[k].b_end);
                if (disc[k].kind == CMP_NUMBER && disc[k].qc)
                    buf_printf(&out, " (%s)", quant_compat_name(disc[k].qc));
                buf_putc(&out, '\n');
            }
        }
        buf_printf(&out, "\nquantity mismatches: %zu\n", nq);
        for (size_t k = 0; k < nq; k++) {
            buf_puts(&out, "  ");
            put_plain(&out, A.body, qm[k].a.start, qm[k].a.end);
            buf_puts(&out, " (");
            quant_format_value(&qm[k].a, &out);
            buf_puts(&out, ") | ");
            put_plain(&out, B.body, qm[k].b.start, qm[k].b.end);
            buf_puts(&out, " (");
            quant_format_value(&qm[k].b, &out);
            buf_puts(&out, ")\n");
        }
        buf_printf(&out, "\n%s: contradiction score %.2f (%s)%s%s\n",
                   on_titles ? "headlines" : "first sentences", con.score,
                   con.contradicts ? "contradict" : "no contradiction", con.reason[0] ? ": " : "",
                   con.reason);
    }
    if (out.oom) {
        cli_error("out of memory");
    } else {
        fwrite(out.data, 1, out.len, stdout);
        rc = 0;
    }
    buf_free(&out);
done:
    free(disc);
    free(qm);
    align_free(&al);
    side_free(&A);
    side_free(&B);
    rasd_text_free(t);
    return rc;
}
