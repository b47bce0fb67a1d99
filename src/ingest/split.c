/*
 * split.c — articles appended under "اقرأ أيضا" (stub; being written).
 */
#include "ingest.h"

void ingest_split_appended(Batch *b, size_t index)
{
    (void)b;
    (void)index;
}
