/*
 * fuzz_storyvec.c — libFuzzer target for stored story vectors
 * (src/story/vector.c sv_decode): the store hands these bytes back, and a
 * damaged database must give an error, never a crash. Vectors that decode
 * are compared with each other and assigned (each twice, the copies a day
 * later, so events of two articles are scored by their profiles and the
 * daily consolidation runs), checking that scores stay in [0, 1] and
 * assignment accepts them.
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
    StoryVec a2, b2;
    int okA2 = okA && sv_copy(&a2, &a) == 0, okB2 = okB && sv_copy(&b2, &b) == 0;
    if (okA2 && a2.day != SV_NO_DAY && a2.day < INT32_MAX)
        a2.day++;
    if (okB2 && b2.day != SV_NO_DAY && b2.day < INT32_MAX)
        b2.day++;
    Assigner *as = assign_new(NULL, NULL);
    if (okA)
        assign_add(as, &a);
    if (okB)
        assign_add(as, &b);
    if (okA2)
        assign_add(as, &a2);
    if (okB2)
        assign_add(as, &b2);
    assign_finish(as);
    assign_free(as);
    return 0;
}
