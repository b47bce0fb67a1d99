/*
 * fuzz_ckpt.c — libFuzzer target for the assigner's saved state
 * (src/story/cluster_state.c cl_state_load): the store hands these bytes
 * back (inside a checksummed checkpoint, stories.c), and damaged bytes must
 * be refused or loaded, never crash. A state that loads saves back to the
 * very same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "story/cluster_state.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    Assigner *a = assign_new(NULL, NULL);
    if (!a)
        return 0;
    /* the seed corpus holds states of the default options; a fuzzed one
       that keeps the header loads as far as its bytes allow */
    if (cl_state_load(a, data, size) == 0) {
        Buf b = { 0 };
        if (cl_state_save(a, &b) == 0 && !b.oom && (b.len != size || memcmp(b.data, data, size)))
            abort();
        buf_free(&b);
    }
    assign_free(a);
    return 0;
}
