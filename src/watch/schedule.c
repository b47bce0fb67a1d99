/*
 * schedule.c — when to poll a source next.
 *
 * Adapting to how often it publishes: a poll that finds new items halves
 * the interval (a busy outlet is polled more), one that finds none
 * stretches it by half, both kept within [min, max]. After a failure the
 * wait doubles with each failure in a row (min, 2min, 4min ... up to max);
 * a Retry-After from the server (429/503) is honoured instead, capped at a
 * day so a hostile header cannot silence a source for ever.
 */
#include "watch/watch.h"

int64_t schedule_interval(int64_t interval, size_t fresh, int64_t min_s, int64_t max_s)
{
    if (interval <= 0)
        interval = min_s;
    int64_t next = fresh ? interval / 2 : interval + interval / 2;
    if (next < min_s)
        next = min_s;
    if (next > max_s)
        next = max_s;
    return next;
}

int64_t schedule_backoff(int64_t errors, long retry_after, int64_t min_s, int64_t max_s)
{
    if (retry_after >= 0)
        return retry_after < 1 ? 1 : retry_after > 86400 ? 86400 : retry_after;
    int64_t wait = min_s > 0 ? min_s : 1;
    for (int64_t i = 1; i < errors && wait < max_s; i++)
        wait *= 2;
    return wait > max_s ? max_s : wait;
}
