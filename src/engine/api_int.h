/*
 * api_int.h — what the files implementing include/rasd.h's engine API
 * share (api.c: open, ingest, briefs and conflicts; api_read.c: articles,
 * stories, search and export).
 */
#ifndef RASD_ENGINE_API_INT_H
#define RASD_ENGINE_API_INT_H

#include "rasd.h"
#include "store/store.h"

struct rasd_engine {
    Store *st;           /* the store this engine works on */
    int readonly;        /* opened read-only: ingest refused */
};

#endif
