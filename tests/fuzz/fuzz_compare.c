/*
 * fuzz_compare.c — libFuzzer target for the comparison: two texts split
 * from the input through alignment (story/align.c), discrepancies and
 * quantity mismatches (story/compare.c), quantities (annotate/quantities.c)
 * and the headline contradiction (story/contradict.c).
 *
 *   make build/fuzz/fuzz_compare
 *   build/fuzz/fuzz_compare -max_total_time=60 -max_len=65536 -timeout=10 \
 *       build/fuzz/corpus-fuzz_compare
 *
 * Input: A is everything before the first NUL byte (or the first half when
 * there is none), B the rest. Invariants checked:
 *   pairs          sentence indexes in range, one-to-one, 0 <= sim <= 1,
 *                  op ranges inside the ops array
 *   ops            token indexes inside each pair's range and words; SAME
 *                  ops are the pair's common count
 *   discrepancies  offsets inside each text, start < end, pair in range
 *   quantities     token and byte ranges inside the text, lo <= hi,
 *                  kind known; a quantity is compatible with itself
 *   contradiction  0 <= score <= 1, reason NUL-terminated valid UTF-8
 * (Alignment is not symmetric: candidates come from an index of B, so
 * aligning B with A may pair differently; that is not checked.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "annotate/quantities.h"
#include "story/compare.h"
#include "text/text.h"

#define REQUIRE(cond, ...)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_compare: invariant failed: %s: ", #cond);  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

static rasd_text *ctx;

static void check_quantities(const rasd_doc *d)
{
    Quantity *q = NULL;
    size_t n = 0, len;
    rasd_doc_text(d, &len);
    REQUIRE(quantities_find(d, &q, &n, NULL) == RASD_OK, "quantities_find failed");
    for (size_t i = 0; i < n; i++) {
        REQUIRE(q[i].tok_begin < q[i].tok_end && q[i].tok_end <= rasd_doc_ntokens(d),
                "quantity %zu tokens %u..%u", i, q[i].tok_begin, q[i].tok_end);
        REQUIRE(q[i].num_begin >= q[i].tok_begin && q[i].num_end <= q[i].tok_end &&
                    q[i].num_begin < q[i].num_end,
                "quantity %zu figure tokens", i);
        REQUIRE(q[i].start < q[i].end && q[i].end <= len, "quantity %zu bytes", i);
        REQUIRE(q[i].lo <= q[i].hi, "quantity %zu lo %g > hi %g", i, q[i].lo, q[i].hi);
        REQUIRE(q[i].kind >= QUANT_EXACT && q[i].kind <= QUANT_RANGE, "quantity %zu kind", i);
        REQUIRE(quant_compat(&q[i], &q[i]) == QC_EQUAL, "quantity %zu not equal to itself", i);
        REQUIRE(i == 0 || q[i].tok_begin >= q[i - 1].tok_end, "quantities overlap at %zu", i);
    }
    Buf b = {0};
    quantities_format_lines(d, q, n, &b);
    buf_free(&b);
    free(q);
}

static void check(const rasd_doc *a, const rasd_doc *b)
{
    Alignment al = {0};
    REQUIRE(align_docs(a, b, 0, &al, NULL) == RASD_OK, "align_docs failed");
    size_t nsa = rasd_doc_nsentences(a), nsb = rasd_doc_nsentences(b);
    uint8_t *ua = calloc(nsa + 1, 1), *ub = calloc(nsb + 1, 1);
    for (size_t i = 0; i < al.n; i++) {
        const AlignPair *p = &al.pairs[i];
        REQUIRE(p->sa < nsa && p->sb < nsb, "pair %zu sentences %u %u", i, p->sa, p->sb);
        REQUIRE(!ua[p->sa] && !ub[p->sb], "pair %zu not one-to-one", i);
        ua[p->sa] = ub[p->sb] = 1;
        REQUIRE(p->sim >= 0 && p->sim <= 1, "pair %zu sim %g", i, p->sim);
        REQUIRE(p->op_begin <= p->op_end && p->op_end <= al.nops, "pair %zu ops", i);
        uint32_t same = 0;
        for (size_t o = p->op_begin; o < p->op_end; o++) {
            const AlignOp *op = &al.ops[o];
            REQUIRE(op->kind <= ALIGN_SUB, "op kind %u", op->kind);
            if (op->a != ALIGN_NONE)
                REQUIRE(op->a >= p->a_begin && op->a < p->a_end &&
                            align_is_word(&rasd_doc_tokens(a)[op->a]),
                        "op a %u outside pair", op->a);
            if (op->b != ALIGN_NONE)
                REQUIRE(op->b >= p->b_begin && op->b < p->b_end &&
                            align_is_word(&rasd_doc_tokens(b)[op->b]),
                        "op b %u outside pair", op->b);
            same += op->kind == ALIGN_SAME;
        }
        REQUIRE(same == p->common, "pair %zu: %u same ops, common %u", i, same, p->common);
    }
    free(ua);
    free(ub);

    size_t la, lb;
    rasd_doc_text(a, &la);
    rasd_doc_text(b, &lb);
    Discrepancy *ds = NULL;
    size_t nd = 0;
    REQUIRE(compare_discrepancies(a, b, &al, &ds, &nd, NULL) == RASD_OK, "discrepancies failed");
    for (size_t i = 0; i < nd; i++) {
        REQUIRE(ds[i].pair < al.n, "discrepancy %zu pair", i);
        REQUIRE(ds[i].a_start < ds[i].a_end && ds[i].a_end <= la, "discrepancy %zu A bytes", i);
        REQUIRE(ds[i].b_start < ds[i].b_end && ds[i].b_end <= lb, "discrepancy %zu B bytes", i);
    }
    free(ds);
    QuantityMismatch *qm = NULL;
    size_t nq = 0;
    REQUIRE(compare_quantities(a, b, &al, &qm, &nq, NULL) == RASD_OK, "quantities failed");
    free(qm);
    REQUIRE(compare_quantities(a, b, NULL, &qm, &nq, NULL) == RASD_OK, "quantities failed");
    for (size_t i = 0; i < nq; i++)
        REQUIRE(qm[i].qc == QC_INCOMPATIBLE, "mismatch %zu compat %d", i, qm[i].qc);
    free(qm);

    align_free(&al);

    Contradiction c;
    REQUIRE(compare_contradicts(a, b, &c, NULL) == RASD_OK, "compare_contradicts failed");
    REQUIRE(c.score >= 0 && c.score <= 1, "score %g", c.score);
    size_t rl = strnlen(c.reason, sizeof c.reason);
    REQUIRE(rl < sizeof c.reason, "reason not terminated");
    Buf clean = {0};
    REQUIRE(utf8_clean(c.reason, rl, &clean) == 0, "reason not valid UTF-8");
    buf_free(&clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx && rasd_text_new(&ctx, NULL) != RASD_OK)
        abort();
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', size);
    size_t na = nul ? (size_t)(nul - s) : size / 2;
    size_t off = nul ? na + 1 : na;
    rasd_doc *a = NULL, *b = NULL;
    REQUIRE(rasd_text_analyse(ctx, s, na, &a, NULL) == RASD_OK, "analyse A");
    REQUIRE(rasd_text_analyse(ctx, s + off, size - off, &b, NULL) == RASD_OK, "analyse B");
    check_quantities(a);
    check(a, b);
    rasd_doc_free(a);
    rasd_doc_free(b);
    return 0;
}
