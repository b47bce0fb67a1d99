/*
 * data_export.c — bulk export (data.h): every article of a story or of a
 * search as JSON Lines or CSV, one article per call so any size streams.
 */
#include "server/data_impl.h"

/* ---- export ----------------------------------------------------------------------- */

struct DataExport {
    Data *d;
    Conn *c;          /* held until the export is freed */
    int64_t *ids;     /* article row ids, in story (or hit) order */
    size_t n, cap;    /* ids, and room */
    size_t next;      /* index of the next article to write */
    int oom;          /* an id could not be kept: the list is short */
    int format;       /* EXPORT_JSONL or EXPORT_CSV */
    int header_done;  /* CSV header written */
};

static int push_id(DataExport *x, int64_t id)
{
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 256;
        int64_t *v = realloc(x->ids, nc * sizeof *v);
        if (!v) {
            x->oom = 1;
            return -1;
        }
        x->ids = v;
        x->cap = nc;
    }
    x->ids[x->n++] = id;
    return 0;
}

static int on_export_row(void *ctx, const StoryArticle *a)
{
    return push_id(ctx, a->article) < 0;
}

static DataExport *export_new(Data *d, int format, DataReply *r)
{
    DataExport *x = calloc(1, sizeof *x);
    if (!x) {
        fail(r, 500, "out of memory");
        return NULL;
    }
    x->d = d;
    x->format = format;
    if (!(x->c = conn_get(d, r))) {
        free(x);
        return NULL;
    }
    return x;
}

DataExport *data_export_story(Data *d, int64_t thread, int format, DataReply *r)
{
    DataExport *x = export_new(d, format, r);
    if (!x)
        return NULL;
    rasd_error err;
    rasd_err e = store_each_story_article(x->c->st, NULL, thread, on_export_row, x, &err);
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
    } else if (x->oom) {
        fail(r, 500, "out of memory");
    } else if (!x->n) {
        fail(r, 404, "there is no story %lld", (long long)thread);
    } else {
        r->status = 200;
        return x;
    }
    data_export_free(x);
    return NULL;
}

DataExport *data_export_search(Data *d, const DataSearchQuery *sq, int format, DataReply *r)
{
#ifdef DATA_HAVE_FTS
    DataExport *x = export_new(d, format, r);
    if (!x)
        return NULL;
    FtsQuery fq;
    rasd_error err;
    rasd_err e = fts_parse_query(sq->q, strlen(sq->q), &fq, &err);
    if (e == RASD_OK) {
        FtsOptions o = {0};
        o.since = sq->since;
        o.until = sq->until;
        o.outlet = sq->outlet;
        o.entity = sq->entity;
        o.story = sq->story;
        o.all_terms = 1;
        for (size_t page = 0; e == RASD_OK; page++) {
            FtsHits h = {0};
            o.limit = 1000;
            o.offset = page * 1000;
            e = fts_search(x->c->st, &fq, &o, &h, &err);
            for (size_t i = 0; e == RASD_OK && i < h.n; i++)
                if (push_id(x, h.v[i].id) < 0)
                    e = rasd_fail(&err, RASD_ENOMEM, "out of memory");
            size_t got = h.n;
            fts_hits_free(&h);
            if (got < 1000)
                break;
        }
        fts_query_free(&fq);
    }
    if (e != RASD_OK) {
        fail(r, status_of(e), "%s", err.msg);
        data_export_free(x);
        return NULL;
    }
    r->status = 200;
    return x;
#else
    (void)d;
    (void)sq;
    (void)format;
    fail(r, 503, "search is not built yet: this rasd has no search index");
    return NULL;
#endif
}

/* One CSV cell: quoted, quotes doubled; a cell a spreadsheet would read as a
   formula (= + - @ at the start) gets a leading apostrophe. */
static void csv_cell(Buf *out, const char *s, int last)
{
    buf_putc(out, '"');
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        buf_putc(out, '\'');
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
    buf_puts(out, last ? "\r\n" : ",");
}

int data_export_next(DataExport *x, Buf *out)
{
    if (x->format == EXPORT_CSV && !x->header_done) {
        buf_puts(out, "id,published,outlet,title,url,author,agency,text\r\n");
        x->header_done = 1;
    }
    if (x->next >= x->n)
        return 0;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)x->ids[x->next++]);
    StoredArticle a;
    rasd_error err;
    if (store_get_article(x->c->st, id, &a, &err) != RASD_OK)
        return err.code == RASD_ENOTFOUND ? 1 : -1; /* removed meanwhile: skip it */
    if (x->format == EXPORT_CSV) {
        csv_cell(out, a.hash, 0);
        csv_cell(out, a.published, 0);
        csv_cell(out, a.outlet, 0);
        csv_cell(out, a.title, 0);
        csv_cell(out, a.url, 0);
        csv_cell(out, a.author, 0);
        csv_cell(out, a.agency, 0);
        csv_cell(out, a.body, 1);
    } else {
        json_t *j = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", a.hash,
                              "published", jstr(a.published), "outlet", jstr(a.outlet), "title",
                              jstr(a.title), "url", jstr(a.url), "author", jstr(a.author),
                              "agency", jstr(a.agency), "text", jstr(a.body));
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (s) {
            buf_puts(out, s);
            buf_putc(out, '\n');
        }
        free(s);
        json_decref(j);
    }
    store_article_free(&a);
    return out->oom ? -1 : 1;
}

void data_export_free(DataExport *x)
{
    if (!x)
        return;
    conn_put(x->d, x->c);
    free(x->ids);
    free(x);
}
