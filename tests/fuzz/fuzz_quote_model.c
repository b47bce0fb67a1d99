/*
 * fuzz_quote_model.c — libFuzzer target for the quote speaker chooser's
 * model file (src/annotate/quotes_choose.c quotes_chooser_parse): any bytes
 * give a model or an error with a line number, never a crash; a model that
 * parses has finite weights and a non-negative margin, and finding quotes
 * with it in a fixed text keeps every quote's span inside the text.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/analyze.h"
#include "annotate/quotes.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static rasd_text *ctx;
    static rasd_doc *d;
    static EntityList ents;
    if (!ctx) {
        static const char s[] = "وقال وزير الخارجية سامح شكري في القاهرة إن المحادثات مستمرة، "
                                "مشيرا إلى أن الوفد المصري «سيعود غدا». وأضافت الوزارة أن الاجتماع انتهى.";
        if (rasd_text_new(&ctx, NULL) != RASD_OK ||
            rasd_text_analyse(ctx, s, sizeof s - 1, &d, NULL) != RASD_OK ||
            analyze_entities(d, &ents, NULL) != RASD_OK)
            abort();
    }
    QuoteChooser m;
    size_t line = 0;
    if (quotes_chooser_parse(&m, (const char *)data, size, &line) != 0) {
        if (line == 0)
            abort();
        return 0;
    }
    if (!(m.margin >= 0) || !isfinite(m.margin))
        abort();
    for (unsigned f = 0; f < QC_NFEAT; f++)
        if (!isfinite(m.w[f]))
            abort();
    QuoteList q = {0};
    QuoteCands c = {0};
    size_t len = 0;
    rasd_doc_text(d, &len);
    if (quotes_find_with(d, &ents, &m, &c, &q, NULL) == RASD_OK)
        for (size_t i = 0; i < q.n; i++)
            if (q.items[i].end > len || q.items[i].spk_end > len || q.items[i].start > q.items[i].end)
                abort();
    quotes_cands_free(&c);
    quotes_free(&q);
    return 0;
}
