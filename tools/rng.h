/*
 * rng.h — the build and benchmark tools' one pseudo-random generator
 * (header-only): xorshift64, deterministic from its seed, so that tools that
 * sample or initialise at random give the same bytes run to run.
 */
#ifndef RASD_TOOLS_RNG_H
#define RASD_TOOLS_RNG_H

#include <stdint.h>

/* The next value of the generator whose state is *s (never 0). */
static inline uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#endif
