/*
 * golden_compare.c — the golden modes of the comparison (called from
 * golden.c's run_case):
 *   quantities*.txt  one text, then "text => value [noun]" lines (or
 *                    "(none)"); or "A || B", then how the first quantity
 *                    of A and the first of B relate: equal, rounding,
 *                    bounds, update, incompatible, or "different things"
 *   align*.txt       "A || B", then for each aligned sentence pair
 *                    "pair I-J" (sentence numbers from 1) followed by its
 *                    discrepancies "wording: A phrase | B phrase" and
 *                    "number: A quantity | B quantity"; "not aligned" if
 *                    no pair reaches the threshold
 *   contradict*.txt  "A || B" (two headlines), then "contradicts" or
 *                    "compatible"
 */
#include <stdlib.h>
#include <string.h>

#include "annotate/quantities.h"
#include "story/compare.h"
#include "text/text.h"

static int split2(const Buf *in, const char **a, size_t *na, const char **b, size_t *nb)
{
    const char *s = in->data ? in->data : "";
    const char *bar = strstr(s, " || ");
    if (!bar)
        return -1;
    *a = s;
    *na = (size_t)(bar - s);
    *b = bar + 4;
    *nb = in->len - (size_t)(*b - s);
    return 0;
}

static void put_range(Buf *out, const rasd_doc *d, uint32_t start, uint32_t end)
{
    size_t len;
    const char *text = rasd_doc_text(d, &len);
    if (start <= end && end <= len)
        buf_append(out, text + start, end - start);
}

static void quantities_case(rasd_text *ctx, const Buf *in, Buf *actual)
{
    const char *a, *b;
    size_t na, nb;
    rasd_doc *da = NULL, *db = NULL;
    Quantity *qa = NULL, *qb = NULL;
    size_t nqa = 0, nqb = 0;
    if (split2(in, &a, &na, &b, &nb) != 0) {
        if (rasd_text_analyse(ctx, in->data ? in->data : "", in->len, &da, NULL) != RASD_OK ||
            quantities_find(da, &qa, &nqa, NULL) != RASD_OK)
            buf_puts(actual, "(error)");
        else if (nqa == 0)
            buf_puts(actual, "(none)");
        else
            quantities_format_lines(da, qa, nqa, actual);
    } else if (rasd_text_analyse(ctx, a, na, &da, NULL) != RASD_OK ||
               rasd_text_analyse(ctx, b, nb, &db, NULL) != RASD_OK ||
               quantities_find(da, &qa, &nqa, NULL) != RASD_OK ||
               quantities_find(db, &qb, &nqb, NULL) != RASD_OK) {
        buf_puts(actual, "(error)");
    } else if (nqa == 0 || nqb == 0) {
        buf_puts(actual, "(no quantity)");
    } else if (!quant_same_thing(da, &qa[0], db, &qb[0])) {
        buf_puts(actual, "different things");
    } else {
        buf_puts(actual, quant_compat_name(quant_compat(&qa[0], &qb[0])));
    }
    free(qa);
    free(qb);
    rasd_doc_free(da);
    rasd_doc_free(db);
}

static void align_case(rasd_text *ctx, const Buf *in, Buf *actual)
{
    const char *a, *b;
    size_t na, nb;
    rasd_doc *da = NULL, *db = NULL;
    Alignment al = {0};
    Discrepancy *ds = NULL;
    size_t nd = 0;
    if (split2(in, &a, &na, &b, &nb) != 0 || rasd_text_analyse(ctx, a, na, &da, NULL) != RASD_OK ||
        rasd_text_analyse(ctx, b, nb, &db, NULL) != RASD_OK ||
        align_docs(da, db, 0, &al, NULL) != RASD_OK ||
        compare_discrepancies(da, db, &al, &ds, &nd, NULL) != RASD_OK) {
        buf_puts(actual, "(error)");
    } else if (al.n == 0) {
        buf_puts(actual, "not aligned");
    } else {
        for (size_t i = 0; i < al.n; i++) {
            buf_printf(actual, "%spair %u-%u", i ? "\n" : "", al.pairs[i].sa + 1,
                       al.pairs[i].sb + 1);
            for (size_t k = 0; k < nd; k++) {
                if (ds[k].pair != i)
                    continue;
                buf_puts(actual, ds[k].kind == CMP_WORDING ? "\nwording: " : "\nnumber: ");
                put_range(actual, da, ds[k].a_start, ds[k].a_end);
                buf_puts(actual, " | ");
                put_range(actual, db, ds[k].b_start, ds[k].b_end);
            }
        }
    }
    free(ds);
    align_free(&al);
    rasd_doc_free(da);
    rasd_doc_free(db);
}

static void contradict_case(rasd_text *ctx, const Buf *in, Buf *actual)
{
    const char *a, *b;
    size_t na, nb;
    rasd_doc *da = NULL, *db = NULL;
    Contradiction c;
    if (split2(in, &a, &na, &b, &nb) != 0 || rasd_text_analyse(ctx, a, na, &da, NULL) != RASD_OK ||
        rasd_text_analyse(ctx, b, nb, &db, NULL) != RASD_OK ||
        compare_contradicts(da, db, &c, NULL) != RASD_OK)
        buf_puts(actual, "(error)");
    else
        buf_puts(actual, c.contradicts ? "contradicts" : "compatible");
    rasd_doc_free(da);
    rasd_doc_free(db);
}

/* Runs mode on in if it is one of the comparison's modes; 1 if it was. */
int golden_compare_case(rasd_text *ctx, const char *mode, const Buf *in, Buf *actual)
{
    if (strcmp(mode, "quantities") == 0)
        quantities_case(ctx, in, actual);
    else if (strcmp(mode, "align") == 0)
        align_case(ctx, in, actual);
    else if (strcmp(mode, "contradict") == 0)
        contradict_case(ctx, in, actual);
    else
        return 0;
    return 1;
}
