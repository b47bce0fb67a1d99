/*
 * fuzz_storyvec.c — libFuzzer target for stored story vectors
 * (src/story/vector.c sv_decode): the store hands these bytes back, and a
 * damaged database must give an error, never a crash. Vectors that decode
 * are compared with each other and assigned, checking that scores stay in
 * [0, 1] and assignment accepts them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "story/cluster.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    StoryVec a, b;
    rasd_error err;
    size_t half = size / 2;
    int okA = sv_decode(&a, data, half, &err) == RASD_OK;
    int okB = sv_decode(&b, data + half, size - half, &err) == RASD_OK;
    if (okA && okB) {
        SimParts p;
        sim_features(&a, &b, &p);
        double s = sim_score(sim_default(), &p);
        if (!(s >= 0 && s <= 1))
            abort();
    }
    Assigner *as = assign_new(NULL, NULL);
    if (okA)
        assign_add(as, &a);
    if (okB)
        assign_add(as, &b);
    assign_finish(as);
    assign_free(as);
    return 0;
}
