/*
 * fuzz_pg_search.c — libFuzzer target for the PostgreSQL search's two
 * readers (src/store/pg_search.c), without a database: any bytes read as a
 * stored token blob (article_terms.toks) and as an FTS5 match expression,
 * then the expression evaluated against the blob when both read, and
 * against term frequencies (the first 8 bytes as every phrase's tf bytes).
 *
 *   make build/fuzz/fuzz_pg_search
 *   build/fuzz/fuzz_pg_search -max_total_time=60 build/fuzz/corpus-fuzz_pg_search
 *
 * Invariants checked: no crash or sanitizer report on any input; every node
 * of a parsed expression points at existing nodes and phrases; every phrase
 * instance found lies inside its column.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/pg_impl.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
    static rasd_text *tx;
    if (!tx && rasd_text_new(&tx, NULL) != RASD_OK)
        abort();
    if (pg_search_fuzz(tx, data, n) != 0) {
        fprintf(stderr, "fuzz_pg_search: invariant failed\n");
        abort();
    }
    return 0;
}
