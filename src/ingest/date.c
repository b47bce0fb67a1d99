/*
 * date.c — publication dates in the forms feeds and pages use (stub; being written).
 */
#include "ingest.h"

char *ingest_parse_date(const char *s, size_t n)
{
    (void)s;
    (void)n;
    return NULL;
}
