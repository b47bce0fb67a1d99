/*
 * vector.c — an article's story vectors (vector.h).
 *
 * Terms are the text core's stems (clitics already stripped, so المفاوضات
 * and والمفاوضات count as one term) of content words: Arabic or Latin,
 * not stopwords, at least two bytes. A term's weight is (1 + log tf) × idf
 * (sublinear: a word said ten times is not ten times the evidence), the
 * headline's words counting twice. The raw vector keeps the SV_RAW_TERMS
 * terms with the most count × prior idf, which bounds what the store keeps;
 * all of them are weighted and compared, because two independent reports
 * of one event share many rare words that are each said only once, and a
 * cut to the few strongest terms loses exactly those.
 *
 * Beside the whole text: the headline, entity keys (weighted by type: a
 * shared person says more than a shared country) and the numbers written
 * in the body (counts, sums, dates: independent reports of one event
 * repeat them, reports of another event rarely do). What happened and
 * when: the days the text names (the dates annotator's values; ingest
 * passes the dates it annotated, sv_build finds them the same way), the
 * headline's stems that are no part of a name of the body (the event noun
 * or verb) and the body's place keys.
 *
 * IDF = log((N + 1) / (df + 1)) + 1 over the embedded prior counts plus the
 * articles seen so far. The prior (data/lexicon/idf.txt, tools/make_idf.c)
 * keeps `rasd similar` on two lone files meaningful; the online counts make
 * a long run adapt to its own archive.
 */
#include "story/vector.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/dates.h"
#include "annotate/ner.h"
#include "story/cluster_int.h" /* cl_grow */
#include "story/fingerprint.h"
#include "story/similarity.h"

/* ---- document frequencies ---- */

extern const unsigned char lex_idf[];
extern const unsigned long lex_idf_len;

static IdMap prior;          /* stem hash -> df in the prior corpus */
static uint32_t prior_n;     /* documents in the prior corpus */
static int prior_ok;
static pthread_once_t prior_once = PTHREAD_ONCE_INIT;

/* data/lexicon/idf.txt: "# ..." comments, "N<TAB>docs", then "stem<TAB>df". */
static void prior_load(void)
{
    const char *p = (const char *)lex_idf, *end = p + lex_idf_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *tab = memchr(p, '\t', (size_t)(le - p));
        if (*p != '#' && tab) {
            unsigned long v = strtoul(tab + 1, NULL, 10);
            if (tab - p == 1 && *p == 'N') {
                prior_n = (uint32_t)v;
            } else {
                uint32_t *s = idmap_slot(&prior, rasd_hash(p, (size_t)(tab - p)));
                if (!s)
                    return;
                *s = (uint32_t)v;
            }
        }
        p = le + 1;
    }
    prior_ok = 1;
}

/* One outlet's counts (lossy counting, vector.h). */
typedef struct SvOutEntry {
    uint64_t id;
    uint32_t cnt;        /* articles that contain it since it was counted */
    uint32_t dlt;        /* the outlet's bucket when it was first counted */
} SvOutEntry;

typedef struct SvOutlet {
    uint64_t id;         /* sv_outlet_id */
    uint32_t docs;       /* its articles */
    uint32_t bucket;     /* docs / SV_OUT_W at the last day end */
    IdMap at;            /* id -> entry + 1 */
    SvOutEntry *e;
    size_t n, cap;
} SvOutlet;

struct SvDf {
    IdMap seen;          /* id -> articles added that contain it */
    uint32_t n;          /* articles added */
    SvOutlet *out;       /* per outlet counts */
    size_t nout, cap_out;
    IdMap oix;           /* outlet id -> index + 1 in out */
};

SvDf *sv_df_new(void)
{
    pthread_once(&prior_once, prior_load);
    return calloc(1, sizeof(SvDf));
}

void sv_df_free(SvDf *df)
{
    if (!df)
        return;
    for (size_t i = 0; i < df->nout; i++) {
        idmap_free(&df->out[i].at);
        free(df->out[i].e);
    }
    free(df->out);
    idmap_free(&df->oix);
    idmap_free(&df->seen);
    free(df);
}

void sv_df_add(SvDf *df, const StoryVec *v)
{
    df->n++;
    for (size_t i = 0; i < v->nterms; i++) {
        uint32_t *s = idmap_slot(&df->seen, v->terms[i].id);
        if (s)
            (*s)++;
    }
    for (size_t i = 0; i < v->nents; i++) {
        uint32_t *s = idmap_slot(&df->seen, v->ents[i].id);
        if (s)
            (*s)++;
    }
    for (size_t i = 0; i < v->nnums; i++) {
        uint32_t *s = idmap_slot(&df->seen, v->nums[i].id);
        if (s)
            (*s)++;
    }
}

int sv_df_set(SvDf *df, uint64_t id, uint32_t count)
{
    uint32_t *s = idmap_slot(&df->seen, id);
    if (!s)
        return -1;
    *s = count;
    return 0;
}

void sv_df_set_docs(SvDf *df, uint32_t n) { df->n = n; }
uint32_t sv_df_docs(const SvDf *df) { return df->n; }

int sv_df_each(const SvDf *df, int (*fn)(void *ctx, uint64_t id, uint32_t count), void *ctx)
{
    for (size_t i = 0; i < df->seen.cap; i++)
        if (df->seen.ids[i] && fn(ctx, df->seen.ids[i], df->seen.vals[i]))
            return 1;
    return 0;
}

double sv_df_idf(const SvDf *df, uint64_t id)
{
    double n = 1, d = 0;
    if (prior_ok) {
        n += prior_n;
        d += idmap_get(&prior, id);
    }
    if (df) {
        n += df->n;
        d += idmap_get(&df->seen, id);
    }
    return log(n / (d + 1)) + 1;
}

/* ---- an outlet's own words ---- */

#define SV_OUT_W 50          /* an id stays counted while in 1/50 of the outlet's articles */
#define SV_OUT_DOCS 30       /* articles of an outlet before anything is its own */
#define SV_OUT_MIN 10        /* and articles that contain the id */
#define SV_OUT_SHARE 0.08    /* share of the outlet's articles (since it was counted) */
#define SV_OUT_RATIO 10.0    /* times its share among other outlets' articles */

uint64_t sv_outlet_id(const char *outlet)
{
    if (!outlet || !*outlet)
        return 0;
    uint64_t h = rasd_hash(outlet, strlen(outlet));
    return h ? h : 1;
}

/* The outlet's counts (created when create), NULL if absent or on OOM. */
static SvOutlet *outlet_of(SvDf *df, uint64_t outlet, int create)
{
    uint32_t k = idmap_get(&df->oix, outlet);
    if (k)
        return &df->out[k - 1];
    if (!create)
        return NULL;
    uint32_t *slot = cl_grow((void **)&df->out, &df->cap_out, df->nout + 1, sizeof *df->out) < 0
                         ? NULL
                         : idmap_slot(&df->oix, outlet);
    if (!slot)
        return NULL;
    *slot = (uint32_t)++df->nout;
    SvOutlet *o = &df->out[df->nout - 1];
    memset(o, 0, sizeof *o);
    o->id = outlet;
    return o;
}

/* The entry of id (inserted with count 0 and the outlet's bucket), NULL on OOM. */
static SvOutEntry *out_entry(SvOutlet *o, uint64_t id)
{
    /* room first: a slot once made must name an entry */
    uint32_t *slot = cl_grow((void **)&o->e, &o->cap, o->n + 1, sizeof *o->e) < 0
                         ? NULL
                         : idmap_slot(&o->at, id);
    if (!slot)
        return NULL;
    if (!*slot) {
        o->e[o->n] = (SvOutEntry){ id ? id : 1, 0, o->bucket };
        *slot = (uint32_t)++o->n;
    }
    return &o->e[*slot - 1];
}

static int out_count(SvOutlet *o, const SvTerm *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        SvOutEntry *e = out_entry(o, t[i].id);
        if (!e)
            return -1;
        e->cnt++;
    }
    return 0;
}

int sv_df_add_outlet(SvDf *df, const StoryVec *v, uint64_t outlet)
{
    if (!outlet)
        return 0;
    SvOutlet *o = outlet_of(df, outlet, 1);
    if (!o)
        return -1;
    o->docs++;
    return out_count(o, v->terms, v->nterms) < 0 || out_count(o, v->ents, v->nents) < 0 ? -1
                                                                                          : 0;
}

/* Keeps the entries still in 1/SV_OUT_W of the articles since they were counted. */
static int out_prune(SvOutlet *o)
{
    uint32_t b = o->docs / SV_OUT_W;
    if (b <= o->bucket)
        return 0;
    o->bucket = b;
    IdMap at = { 0 };
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++) {
        if ((uint64_t)o->e[i].cnt + o->e[i].dlt <= b)
            continue;
        uint32_t *slot = idmap_slot(&at, o->e[i].id);
        if (!slot) {
            idmap_free(&at);
            return -1;
        }
        o->e[k] = o->e[i];
        *slot = (uint32_t)++k;
    }
    idmap_free(&o->at);
    o->at = at;
    o->n = k;
    return 0;
}

int sv_df_day_end(SvDf *df)
{
    for (size_t i = 0; i < df->nout; i++)
        if (out_prune(&df->out[i]) < 0)
            return -1;
    return 0;
}

int sv_df_own(const SvDf *df, uint64_t outlet, uint64_t id)
{
    if (!df || !outlet)
        return 0;
    uint32_t k = idmap_get(&df->oix, outlet);
    if (!k)
        return 0;
    const SvOutlet *o = &df->out[k - 1];
    uint32_t j = o->docs >= SV_OUT_DOCS ? idmap_get(&o->at, id) : 0;
    if (!j)
        return 0;
    const SvOutEntry *e = &o->e[j - 1];
    /* its share among the outlet's articles since it was first counted */
    uint64_t since = (uint64_t)e->dlt * SV_OUT_W;
    double span = o->docs > since ? (double)(o->docs - since) : 1;
    double share = e->cnt / span;
    if (e->cnt < SV_OUT_MIN || share < SV_OUT_SHARE)
        return 0;
    double all = idmap_get(&df->seen, id), other_docs = df->n > o->docs ? df->n - o->docs : 0;
    double other = all > e->cnt && other_docs > 0 ? (all - e->cnt) / other_docs : 0;
    return share >= SV_OUT_RATIO * other;
}

int sv_df_each_outlet(const SvDf *df, const SvOutletEach *each)
{
    for (size_t i = 0; i < df->nout; i++) {
        const SvOutlet *o = &df->out[i];
        if (each->outlet(each->ctx, o->id, o->docs, o->bucket, (uint32_t)o->n))
            return 1;
        for (size_t k = 0; k < o->n; k++)
            if (each->entry(each->ctx, o->e[k].id, o->e[k].cnt, o->e[k].dlt))
                return 1;
    }
    return 0;
}

int sv_df_set_outlet(SvDf *df, uint64_t outlet, uint32_t docs, uint32_t bucket)
{
    SvOutlet *o = outlet ? outlet_of(df, outlet, 1) : NULL;
    if (!o)
        return -1;
    o->docs = docs;
    o->bucket = bucket;
    return 0;
}

int sv_df_set_outlet_entry(SvDf *df, uint64_t outlet, uint64_t id, uint32_t count,
                           uint32_t delta)
{
    SvOutlet *o = outlet ? outlet_of(df, outlet, 0) : NULL;
    size_t had = o ? o->n : 0;
    SvOutEntry *e = o ? out_entry(o, id) : NULL;
    if (!e || o->n == had) /* absent outlet, OOM, or an id given twice */
        return -1;
    e->cnt = count;
    e->dlt = delta;
    return 0;
}

/* ---- building ---- */

int32_t sv_day(const char *s)
{
    if (!s)
        return SV_NO_DAY;
    int y, m, d;
    char c1, c2;
    if (sscanf(s, "%4d%c%2d%c%2d", &y, &c1, &m, &c2, &d) != 5 || c1 != '-' || c2 != '-' ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return SV_NO_DAY;
    return (int32_t)dates_days_from_civil(y, m, d);
}

static int by_weight_desc(const void *a, const void *b)
{
    const SvTerm *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id; /* deterministic ties */
}

static int by_id(const void *a, const void *b)
{
    const SvTerm *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Keeps the top max of items[0..n) by weight, L2-normalises, sorts by id. */
static size_t finish(SvTerm *items, size_t n, size_t max)
{
    if (n < 1)
        return 0;
    qsort(items, n, sizeof *items, by_weight_desc);
    if (n > max)
        n = max;
    double norm = 0;
    for (size_t i = 0; i < n; i++)
        norm += (double)items[i].w * items[i].w;
    norm = sqrt(norm);
    for (size_t i = 0; i < n; i++)
        items[i].w = norm > 0 ? (float)(items[i].w / norm) : 0;
    qsort(items, n, sizeof *items, by_id);
    return n;
}

static int content_token(const rasd_token *t)
{
    return (t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN) &&
           !(t->flags & RASD_TF_STOP) && t->stem_len >= 2;
}

/* Term counts: a growable array with a map from id to its index. */
typedef struct Counts {
    IdMap index;         /* id -> position + 1 */
    SvTerm *items;       /* w holds the raw count until weighting */
    size_t n, cap;
} Counts;

/* A raw count stops here: sv_decode refuses weights over 1e6, a float stops
   counting at 2^24, and (1 + log tf) hardly moves past it — an article
   repeating one word a million times still stores a vector it can read. */
#define SV_MAX_COUNT 65535.0f

static int counts_add(Counts *c, uint64_t id, float by)
{
    id = id ? id : 1; /* as IdMap stores it */
    uint32_t *slot = idmap_slot(&c->index, id);
    if (!slot)
        return -1;
    if (!*slot) {
        if (c->n == c->cap) {
            size_t ncap = c->cap ? c->cap * 2 : 64;
            SvTerm *ni = realloc(c->items, ncap * sizeof *ni);
            if (!ni)
                return -1;
            c->items = ni;
            c->cap = ncap;
        }
        c->items[c->n] = (SvTerm){ id, 0 };
        *slot = (uint32_t)++c->n;
    }
    float *w = &c->items[*slot - 1].w;
    *w = *w + by < SV_MAX_COUNT ? *w + by : SV_MAX_COUNT;
    return 0;
}

static void counts_free(Counts *c)
{
    idmap_free(&c->index);
    free(c->items);
}

/* The raw list: counts, at most max entries (by count × prior idf), sorted by id. */
typedef struct Ranked {
    SvTerm t;
    double r;            /* count × prior idf */
} Ranked;

static int by_rank_desc(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->r != y->r)
        return x->r < y->r ? 1 : -1;
    return x->t.id < y->t.id ? -1 : x->t.id > y->t.id;
}

static SvTerm *take_raw(Counts *c, size_t max, uint16_t *n)
{
    if (c->n > max) {
        Ranked *r = malloc(c->n * sizeof *r);
        if (!r)
            return NULL;
        for (size_t i = 0; i < c->n; i++) {
            r[i].t = c->items[i];
            r[i].r = c->items[i].w * sv_df_idf(NULL, c->items[i].id);
        }
        qsort(r, c->n, sizeof *r, by_rank_desc);
        c->n = max;
        for (size_t i = 0; i < c->n; i++)
            c->items[i] = r[i].t;
        free(r);
    }
    if (c->n > 1)
        qsort(c->items, c->n, sizeof *c->items, by_id);
    *n = (uint16_t)c->n;
    SvTerm *out = malloc((c->n ? c->n : 1) * sizeof *out);
    if (out && c->n)
        memcpy(out, c->items, c->n * sizeof *out);
    return out;
}

static float type_weight(int type)
{
    switch (type) {
    case NER_PERS: return 1.0f;
    case NER_ORG: return 0.8f;
    case NER_LOC: return 0.6f;
    default: return 0.4f;
    }
}

/* A number's id: its digits (the text core's key), without separators and
   leading zeros, so 1,500 and 1500 and ١٥٠٠ are one number. 0 for none
   and for a year. */
static uint64_t number_id(const rasd_token *t)
{
    char b[40];
    size_t n = 1;
    b[0] = 2;
    for (uint32_t i = 0; i < t->key_len && n < sizeof b; i++) {
        char c = t->key[i];
        if (c >= '0' && c <= '9' && (n > 1 || c != '0'))
            b[n++] = c;
        else if (c == '.' || c == ',')
            continue;
        else if (c < '0' || c > '9')
            break;
    }
    /* a year (Hijri 1380-1460, Gregorian 1950-2050) dates the report, not
       the happening: two reports of one year share it whatever they tell */
    if (n == 5) {
        int y = (b[1] - '0') * 1000 + (b[2] - '0') * 100 + (b[3] - '0') * 10 + (b[4] - '0');
        if ((y >= 1380 && y <= 1460) || (y >= 1950 && y <= 2050))
            return 0;
    }
    return n > 1 ? rasd_hash(b, n) : 0;
}

rasd_err sv_build(StoryVec *v, const rasd_doc *body, const rasd_doc *title,
                  const EntityList *ents, const char *published, rasd_error *err)
{
    DateSpan *ds = NULL;
    size_t nd = 0;
    char pub[11] = "";
    if (published && strlen(published) >= 10) {
        memcpy(pub, published, 10); /* annotation reads the day alone too */
        pub[10] = 0;
    }
    rasd_err e = dates_find(body, *pub ? pub : NULL, 0, &ds, &nd, err);
    if (e == RASD_OK)
        e = sv_build_sig(v, body, title, ents, ds, nd, published, NULL, err);
    else
        memset(v, 0, sizeof *v);
    free(ds);
    return e;
}

/* The days the text names: single-day calendar values, not the dateline's
   (it dates the article, not what happened). */
static int when_add(Counts *c, const DateSpan *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int y, m, dd;
        char tail;
        if (d[i].kind != DATE_KIND_DATE || d[i].dateline ||
            sscanf(d[i].value, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || m < 1 || m > 12 ||
            dd < 1 || dd > 31)
            continue;
        if (counts_add(c, sv_when_id(dates_days_from_civil(y, m, dd)), 1) < 0)
            return -1;
    }
    return 0;
}

/* Stems of the body's words inside a name (entity span), value 1: the
   headline's other words say what happened. */
static int name_stems(const rasd_doc *body, const EntityList *ents, IdMap *out)
{
    size_t nt = rasd_doc_ntokens(body);
    const rasd_token *tk = rasd_doc_tokens(body);
    size_t i = 0;
    for (size_t e = 0; ents && e < ents->n; e++) {
        const Entity *en = &ents->items[e];
        while (i < nt && tk[i].end <= en->start)
            i++;
        for (size_t k = i; k < nt && tk[k].start < en->end; k++) {
            if (!content_token(&tk[k]))
                continue;
            uint64_t id = rasd_hash(tk[k].stem, tk[k].stem_len);
            uint32_t *s = idmap_slot(out, id ? id : 1);
            if (!s)
                return -1;
            *s = 1;
        }
    }
    return 0;
}

rasd_err sv_build_sig(StoryVec *v, const rasd_doc *body, const rasd_doc *title,
                      const EntityList *ents, const DateSpan *dates, size_t ndates,
                      const char *published, const uint32_t *sig_in, rasd_error *err)
{
    memset(v, 0, sizeof *v);
    v->day = sv_day(published);
    Counts all = { 0 }, head = { 0 }, ek = { 0 }, num = { 0 }, when = { 0 }, what = { 0 },
           place = { 0 };
    IdMap named = { 0 };
    int oom = when_add(&when, dates, ndates) < 0 || name_stems(body, ents, &named) < 0;
    size_t nt = rasd_doc_ntokens(body);
    const rasd_token *tk = rasd_doc_tokens(body);
    for (size_t i = 0; i < nt && !oom; i++) {
        if (content_token(&tk[i])) {
            oom |= counts_add(&all, rasd_hash(tk[i].stem, tk[i].stem_len), 1) < 0;
        } else if (tk[i].type == RASD_TOK_NUMBER) {
            uint64_t id = number_id(&tk[i]);
            if (id)
                oom |= counts_add(&num, id, 1) < 0;
        }
    }
    size_t nh = title ? rasd_doc_ntokens(title) : 0, content = 0;
    const rasd_token *th = title ? rasd_doc_tokens(title) : NULL;
    for (size_t i = 0; i < nh; i++)
        content += content_token(&th[i]);
    if (content >= 2) {
        for (size_t i = 0; i < nh && !oom; i++) {
            if (!content_token(&th[i]))
                continue;
            uint64_t id = rasd_hash(th[i].stem, th[i].stem_len);
            oom |= counts_add(&all, id, 2) < 0 || counts_add(&head, id, 1) < 0;
            if (!idmap_get(&named, id ? id : 1))
                oom |= counts_add(&what, id, 1) < 0;
        }
    } else {
        /* no usable headline: the lead's first content words stand in */
        for (size_t i = 0, k = 0; i < nt && k < 12 && !oom; i++) {
            if (!content_token(&tk[i]))
                continue;
            oom |= counts_add(&head, rasd_hash(tk[i].stem, tk[i].stem_len), 1) < 0;
            k++;
        }
    }
    if (ents) {
        for (size_t i = 0; i < ents->n && !oom; i++) {
            const Entity *e = &ents->items[i];
            if (!e->key_len)
                continue;
            char kb[256];
            size_t kl = e->key_len < sizeof kb - 1 ? e->key_len : sizeof kb - 1;
            kb[0] = 1;
            memcpy(kb + 1, ents->keys.data + e->key_off, kl);
            /* counts in tenths keep the type weight in an integer count */
            uint64_t id = rasd_hash(kb, kl + 1);
            oom |= counts_add(&ek, id, 10 * type_weight(e->type)) < 0;
            if (e->type == NER_LOC)
                oom |= counts_add(&place, id, 1) < 0;
        }
    }
    if (!oom) {
        v->terms = take_raw(&all, SV_RAW_TERMS, &v->nterms);
        v->title = take_raw(&head, SV_MAX_TITLE, &v->ntitle);
        v->ents = take_raw(&ek, SV_MAX_ENTS, &v->nents);
        v->nums = take_raw(&num, SV_MAX_NUMS, &v->nnums);
        v->when = take_raw(&when, SV_MAX_WHEN, &v->nwhen);
        v->what = take_raw(&what, SV_MAX_TITLE, &v->nwhat);
        v->places = take_raw(&place, SV_MAX_PLACES, &v->nplaces);
        oom = !v->terms || !v->title || !v->ents || !v->nums || !v->when || !v->what ||
              !v->places;
    }
    counts_free(&all);
    counts_free(&head);
    counts_free(&ek);
    counts_free(&num);
    counts_free(&when);
    counts_free(&what);
    counts_free(&place);
    idmap_free(&named);
    if (oom) {
        sv_free(v);
        return rasd_fail(err, RASD_ENOMEM, "out of memory building a story vector");
    }
    uint32_t sig[FP_MINHASH];
    if (sig_in) { /* the caller (ingest) already has the body's signature */
        memcpy(v->sig, sig_in, sizeof v->sig);
        v->has_sig = 1;
    } else if (fp_minhash(body, sig) > 0) {
        memcpy(v->sig, sig, sizeof v->sig);
        v->has_sig = 1;
    }
    return RASD_OK;
}

/* Weighs one raw list in place and keeps the strongest max. */
static uint16_t weigh_list(SvTerm *t, size_t n, size_t max, double scale, const SvDf *df)
{
    for (size_t i = 0; i < n; i++)
        t[i].w = (float)((1 + log(t[i].w * scale)) * sv_df_idf(df, t[i].id));
    return (uint16_t)finish(t, n, max);
}

/* Leaves the outlet's own ids out of a list (still sorted by id). */
static uint16_t drop_own(SvTerm *t, uint16_t n, const SvDf *df, uint64_t outlet)
{
    uint16_t k = 0;
    for (uint16_t i = 0; i < n; i++)
        if (!sv_df_own(df, outlet, t[i].id))
            t[k++] = t[i];
    return k;
}

int sv_weigh_outlet(StoryVec *v, const SvDf *df, uint64_t outlet)
{
    if (outlet && df) {
        v->nterms = drop_own(v->terms, v->nterms, df, outlet);
        v->ntitle = drop_own(v->title, v->ntitle, df, outlet);
        v->nents = drop_own(v->ents, v->nents, df, outlet);
        v->nwhat = drop_own(v->what, v->nwhat, df, outlet);
        v->nplaces = drop_own(v->places, v->nplaces, df, outlet);
    }
    return sv_weigh(v, df);
}

int sv_weigh(StoryVec *v, const SvDf *df)
{
    v->nterms = weigh_list(v->terms, v->nterms, SV_RAW_TERMS, 1, df);
    v->ntitle = weigh_list(v->title, v->ntitle, SV_MAX_TITLE, 1, df);
    v->nnums = weigh_list(v->nums, v->nnums, SV_MAX_NUMS, 1, df);
    /* entity counts are in tenths: 1 + count keeps a lone mention positive */
    for (size_t i = 0; i < v->nents; i++)
        v->ents[i].w += 10;
    v->nents = weigh_list(v->ents, v->nents, SV_MAX_ENTS, 0.1, df);
    v->nwhat = weigh_list(v->what, v->nwhat, SV_MAX_TITLE, 1, df);
    v->nplaces = weigh_list(v->places, v->nplaces, SV_MAX_PLACES, 1, df);
    /* a day counts once however often it is named */
    for (size_t i = 0; i < v->nwhen; i++)
        v->when[i].w = 1;
    v->tmpl = (uint8_t)sim_template(v->title, v->ntitle);
    return 0;
}

void sv_lists(StoryVec *v, SvTerm **lists[SV_NLISTS], uint16_t *counts[SV_NLISTS])
{
    SvTerm **l[SV_NLISTS] = { &v->terms, &v->title, &v->ents, &v->nums,
                              &v->when, &v->what, &v->places };
    uint16_t *c[SV_NLISTS] = { &v->nterms, &v->ntitle, &v->nents, &v->nnums,
                               &v->nwhen, &v->nwhat, &v->nplaces };
    memcpy(lists, l, sizeof l);
    memcpy(counts, c, sizeof c);
}

void sv_free(StoryVec *v)
{
    if (!v)
        return;
    SvTerm **l[SV_NLISTS];
    uint16_t *c[SV_NLISTS];
    sv_lists(v, l, c);
    for (int i = 0; i < SV_NLISTS; i++) {
        free(*l[i]);
        *l[i] = NULL;
        *c[i] = 0;
    }
}

static SvTerm *dup_terms(const SvTerm *t, size_t n)
{
    SvTerm *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n)
        memcpy(d, t, n * sizeof *d);
    return d;
}

int sv_copy(StoryVec *dst, const StoryVec *src)
{
    *dst = *src;
    SvTerm **l[SV_NLISTS];
    uint16_t *c[SV_NLISTS];
    sv_lists(dst, l, c);
    int oom = 0;
    for (int i = 0; i < SV_NLISTS; i++) /* each still points at src's list */
        oom |= !(*l[i] = dup_terms(*l[i], *c[i]));
    if (oom) {
        sv_free(dst);
        memset(dst, 0, sizeof *dst);
        return -1;
    }
    return 0;
}

double sv_cosine(const SvTerm *a, size_t na, const SvTerm *b, size_t nb)
{
    /* a branch-free merge: which list advances is data, not a jump the CPU
       must guess, and this loop is most of the assigner's time */
    double s = 0;
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        uint64_t x = a[i].id, y = b[j].id;
        double p = (double)a[i].w * b[j].w;
        s += x == y ? p : 0.0;
        i += x <= y;
        j += y <= x;
    }
    return s;
}

/* ---- serialisation ---- */

void sv_put_u32(Buf *b, uint32_t x)
{
    unsigned char c[4] = { (unsigned char)x, (unsigned char)(x >> 8), (unsigned char)(x >> 16),
                           (unsigned char)(x >> 24) };
    buf_append(b, c, 4);
}

uint32_t sv_get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_terms(Buf *b, const SvTerm *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sv_put_u32(b, (uint32_t)t[i].id);
        sv_put_u32(b, (uint32_t)(t[i].id >> 32));
        uint32_t w;
        memcpy(&w, &t[i].w, 4);
        sv_put_u32(b, w);
    }
}

/*
 * Layout (little-endian): magic, counts, day, the lists of 12-byte
 * entries (id, weight), then the MinHash values. "RSV1" vectors (before
 * numbers) and "RSV2" (before days, headline event words and places)
 * still decode, without what they lack: such an article compares on the
 * older components (its days unknown: SIM_WHEN 0.5; no places, no event
 * words). `rasd ingest --reannotate` rewrites them in the current format
 * (and `rasd stories --rebuild` regroups on them).
 */
#define SV_MAGIC1 0x31565352u /* "RSV1" */
#define SV_MAGIC2 0x32565352u /* "RSV2" */
#define SV_MAGIC 0x33565352u  /* "RSV3": the story vector version */

void sv_encode(const StoryVec *v, Buf *out)
{
    sv_put_u32(out, SV_MAGIC);
    sv_put_u32(out, (uint32_t)v->nterms | (uint32_t)v->ntitle << 16);
    sv_put_u32(out, (uint32_t)v->nents | (uint32_t)v->has_sig << 16);
    sv_put_u32(out, (uint32_t)v->day);
    sv_put_u32(out, (uint32_t)v->nnums);
    sv_put_u32(out, (uint32_t)v->nwhen | (uint32_t)v->nwhat << 16);
    sv_put_u32(out, (uint32_t)v->nplaces);
    SvTerm **l[SV_NLISTS];
    uint16_t *c[SV_NLISTS];
    sv_lists((StoryVec *)v, l, c); /* read only */
    for (int i = 0; i < SV_NLISTS; i++)
        put_terms(out, *l[i], *c[i]);
    if (v->has_sig)
        for (size_t i = 0; i < 32; i++)
            sv_put_u32(out, v->sig[i]);
}

static SvTerm *get_terms(const unsigned char **p, size_t n)
{
    SvTerm *t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++, *p += 12) {
        t[i].id = (uint64_t)sv_get_u32(*p) | (uint64_t)sv_get_u32(*p + 4) << 32;
        uint32_t w = sv_get_u32(*p + 8);
        memcpy(&t[i].w, &w, 4);
    }
    return t;
}

rasd_err sv_decode(StoryVec *v, const void *data, size_t n, rasd_error *err)
{
    memset(v, 0, sizeof *v);
    const unsigned char *p = data;
    uint32_t magic = n >= 16 ? sv_get_u32(p) : 0;
    size_t head = magic == SV_MAGIC ? 28 : magic == SV_MAGIC2 ? 20 : 16;
    if (n < head || (magic != SV_MAGIC && magic != SV_MAGIC2 && magic != SV_MAGIC1))
        return rasd_fail(err, RASD_EFORMAT, "story vector: bad header");
    uint32_t a = sv_get_u32(p + 4), b = sv_get_u32(p + 8);
    v->nterms = (uint16_t)(a & 0xffff);
    v->ntitle = (uint16_t)(a >> 16);
    v->nents = (uint16_t)(b & 0xffff);
    v->has_sig = (b >> 16) & 1;
    v->day = (int32_t)sv_get_u32(p + 12);
    if (magic != SV_MAGIC1) {
        uint32_t c = sv_get_u32(p + 16);
        if (c > SV_MAX_NUMS)
            return rasd_fail(err, RASD_EFORMAT, "story vector: %u numbers", c);
        v->nnums = (uint16_t)c;
    }
    if (magic == SV_MAGIC) {
        uint32_t c = sv_get_u32(p + 20), d = sv_get_u32(p + 24);
        v->nwhen = (uint16_t)(c & 0xffff);
        v->nwhat = (uint16_t)(c >> 16);
        if (v->nwhen > SV_MAX_WHEN || v->nwhat > SV_MAX_TITLE || d > SV_MAX_PLACES) {
            memset(v, 0, sizeof *v);
            return rasd_fail(err, RASD_EFORMAT, "story vector: bad list counts");
        }
        v->nplaces = (uint16_t)d;
    }
    size_t need = head + 12 * ((size_t)v->nterms + v->ntitle + v->nents + v->nnums + v->nwhen +
                               v->nwhat + v->nplaces) +
                  (v->has_sig ? 128 : 0);
    if (n != need || v->nterms > SV_RAW_TERMS || v->ntitle > SV_MAX_TITLE ||
        v->nents > SV_MAX_ENTS) {
        memset(v, 0, sizeof *v);
        return rasd_fail(err, RASD_EFORMAT, "story vector: %zu bytes, expected %zu", n, need);
    }
    p += head;
    SvTerm **l[SV_NLISTS];
    uint16_t *c[SV_NLISTS];
    sv_lists(v, l, c);
    int oom = 0;
    for (int i = 0; i < SV_NLISTS; i++)
        oom |= !(*l[i] = get_terms(&p, *c[i]));
    if (oom) {
        sv_free(v);
        return rasd_fail(err, RASD_ENOMEM, "out of memory reading a story vector");
    }
    if (v->has_sig)
        for (size_t i = 0; i < 32; i++, p += 4)
            v->sig[i] = sv_get_u32(p);
    /* weights feed logs and cosines: only finite, non-negative ones; ids
       sorted without repeats, as every merge of two lists assumes */
    for (int k = 0; k < SV_NLISTS; k++)
        for (size_t i = 0; i < *c[k]; i++)
            if (!isfinite((*l[k])[i].w) || (*l[k])[i].w < 0 || (*l[k])[i].w > 1e6 ||
                (i && (*l[k])[i].id <= (*l[k])[i - 1].id)) {
                sv_free(v);
                return rasd_fail(err, RASD_EFORMAT, "story vector: bad weight or order");
            }
    return RASD_OK;
}
