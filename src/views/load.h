/*
 * load.h — what every view reads from the store: an article's stored
 * annotations decoded back into the typed result annotate_article() gave
 * at ingest. Views never run the text core or an annotator.
 */
#ifndef RASD_VIEWS_LOAD_H
#define RASD_VIEWS_LOAD_H

#include "annotate/annotate.h"
#include "store/store.h"

/* Loads article (row id) into *out (annotated_free). RASD_ENOTFOUND when it
   has no stored annotations; RASD_EFORMAT when they are damaged. */
rasd_err annot_load(Store *st, int64_t article, Annotated *out, rasd_error *err);

#endif
