/*
 * brief_parts.c — the parts of a brief after its summary (brief.h): the
 * timeline of dated happenings, the names with their spellings, and the
 * quotes by speaker. Each reads the story's stored annotations (Ctx,
 * brief_int.h); none runs the text core or an annotator.
 */
#include <stdlib.h>
#include <string.h>

#include "story/brief_int.h"
#include "annotate/dates.h"
#include "annotate/quotes.h"

/* ---- timeline ---- */

typedef struct TEntry {
    char value[48];
    size_t art;          /* first article giving it */
    uint32_t s_start, s_end; /* its sentence */
    uint32_t d_start, d_end; /* the date expression */
    uint8_t *mark;       /* articles giving it */
} TEntry;

static int tentry_cmp(const void *x, const void *y)
{
    return strcmp(((const TEntry *)x)->value, ((const TEntry *)y)->value);
}

void brief_timeline(Ctx *c, Buf *b)
{
    TEntry *e = NULL;
    size_t n = 0, cap = 0;
    for (size_t a = 0; a < c->narts; a++) {
        const rasd_doc *d = c->arts[a].doc;
        if (!d)
            continue;
        const DateSpan *ds = c->arts[a].an.dates; /* stored at ingest */
        size_t nd = c->arts[a].an.ndates;
        const rasd_sentence *ss = rasd_doc_sentences(d);
        size_t ns = rasd_doc_nsentences(d);
        for (size_t k = 0; k < nd; k++) {
            /* a dateline dates the article, not a happening of the story */
            if (ds[k].kind != DATE_KIND_DATE || ds[k].value[0] == '?' || ds[k].dateline)
                continue;
            size_t j = 0;
            while (j < n && strcmp(e[j].value, ds[k].value))
                j++;
            if (j == n) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 16;
                    TEntry *ne = realloc(e, cap * sizeof *ne);
                    if (!ne)
                        break;
                    e = ne;
                }
                memset(&e[n], 0, sizeof e[n]);
                memcpy(e[n].value, ds[k].value, sizeof e[n].value);
                e[n].art = a;
                e[n].d_start = ds[k].start;
                e[n].d_end = ds[k].end;
                e[n].s_start = ds[k].start;
                e[n].s_end = ds[k].end;
                for (size_t q = 0; q < ns; q++)
                    if (ss[q].start <= ds[k].start && ds[k].end <= ss[q].end) {
                        e[n].s_start = ss[q].start;
                        e[n].s_end = ss[q].end;
                        break;
                    }
                e[n].mark = calloc(c->narts, 1);
                if (!e[n].mark)
                    break;
                n++;
            }
            e[j].mark[a] = 1;
        }
    }
    if (n > 1)
        qsort(e, n, sizeof *e, tentry_cmp);
    buf_puts(b, ",\"timeline\":[");
    for (size_t j = 0; j < n; j++) {
        const BArt *ar = &c->arts[e[j].art];
        buf_puts(b, j ? ",{\"value\":" : "{\"value\":");
        brief_put_str(b, e[j].value);
        buf_puts(b, ",\"text\":");
        buf_put_json_trimmed(b, brief_art_text(ar), e[j].d_start, e[j].d_end);
        buf_puts(b, ",\"sentence\":");
        buf_put_json_trimmed(b, brief_art_text(ar), e[j].s_start, e[j].s_end);
        buf_puts(b, ",\"article\":");
        brief_put_str(b, ar->hash);
        buf_printf(b, ",\"start\":%u,\"end\":%u,\"sources\":", e[j].s_start, e[j].s_end);
        brief_put_outlets(b, c, e[j].mark);
        buf_putc(b, '}');
        free(e[j].mark);
    }
    buf_putc(b, ']');
    free(e);
}

/* ---- entities ---- */

typedef struct Ent {
    char *key, *type;
    char **var;          /* distinct spellings */
    size_t *varn;        /* mentions per spelling */
    size_t nvar;
    uint8_t *mark;       /* articles mentioning it */
    size_t mentions;
} Ent;

typedef struct EntCtx {
    Ctx *c;
    size_t art;
    Ent *e;
    size_t n, cap;
    IdMap idx;
} EntCtx;

static int on_mention(void *p, const StoredMention *m)
{
    EntCtx *x = p;
    if (!m->key || !*m->key)
        return 0;
    uint64_t h = rasd_hash(m->key, strlen(m->key));
    uint32_t *slot = idmap_slot(&x->idx, h);
    if (!slot)
        return 1;
    if (!*slot) {
        if (x->n == x->cap) {
            size_t nc = x->cap ? x->cap * 2 : 32;
            Ent *ne = realloc(x->e, nc * sizeof *ne);
            if (!ne)
                return 1;
            x->e = ne;
            x->cap = nc;
        }
        Ent *e = &x->e[x->n];
        memset(e, 0, sizeof *e);
        e->key = strdup(m->key);
        e->type = strdup(m->type ? m->type : "");
        e->mark = calloc(x->c->narts, 1);
        if (!e->key || !e->type || !e->mark)
            return 1;
        *slot = (uint32_t)++x->n;
    }
    Ent *e = &x->e[*slot - 1];
    e->mentions++;
    e->mark[x->art] = 1;
    const char *t = m->text ? m->text : "";
    size_t j = 0;
    while (j < e->nvar && strcmp(e->var[j], t))
        j++;
    if (j == e->nvar && e->nvar < 12) {
        char **nv = realloc(e->var, (e->nvar + 1) * sizeof *nv);
        size_t *nn = realloc(e->varn, (e->nvar + 1) * sizeof *nn);
        if (nv)
            e->var = nv;
        if (nn)
            e->varn = nn;
        if (!nv || !nn || !(e->var[e->nvar] = strdup(t)))
            return 1;
        e->varn[e->nvar++] = 0;
    }
    if (j < e->nvar)
        e->varn[j]++;
    return 0;
}

static int ent_cmp(const void *x, const void *y)
{
    const Ent *a = x, *b = y;
    if (a->mentions != b->mentions)
        return a->mentions < b->mentions ? 1 : -1;
    return strcmp(a->key, b->key);
}

void brief_entities(Ctx *c, Buf *b)
{
    EntCtx x = { c, 0, NULL, 0, 0, { 0 } };
    rasd_error err;
    for (x.art = 0; x.art < c->narts; x.art++)
        store_each_article_mention(c->st, c->arts[x.art].id, on_mention, &x, &err);
    if (x.n > 1)
        qsort(x.e, x.n, sizeof *x.e, ent_cmp);
    buf_puts(b, ",\"entities\":[");
    for (size_t i = 0; i < x.n; i++) {
        Ent *e = &x.e[i];
        if (i < 30) {
            size_t name = 0;
            for (size_t j = 1; j < e->nvar; j++)
                if (e->varn[j] > e->varn[name] ||
                    (e->varn[j] == e->varn[name] && strlen(e->var[j]) > strlen(e->var[name])))
                    name = j;
            buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
            brief_put_str(b, e->nvar ? e->var[name] : e->key);
            buf_puts(b, ",\"key\":");
            brief_put_str(b, e->key);
            buf_puts(b, ",\"type\":");
            brief_put_str(b, e->type);
            buf_puts(b, ",\"variants\":[");
            for (size_t j = 0; j < e->nvar; j++) {
                if (j)
                    buf_putc(b, ',');
                brief_put_str(b, e->var[j]);
            }
            buf_printf(b, "],\"mentions\":%zu,\"outlets\":", e->mentions);
            brief_put_outlets(b, c, e->mark);
            buf_putc(b, '}');
        }
        for (size_t j = 0; j < e->nvar; j++)
            free(e->var[j]);
        free(e->var);
        free(e->varn);
        free(e->key);
        free(e->type);
        free(e->mark);
    }
    buf_putc(b, ']');
    free(x.e);
    idmap_free(&x.idx);
}

/* ---- quotes by speaker ---- */
/* The grouping is quotes_group's (annotate/quotes_group.c): one speaker per
   person across the story, one entry per statement with every outlet that
   carried it. Most-quoted speakers first; at most BRIEF_SPEAKERS speakers
   and BRIEF_STATEMENTS statements each, with counts of the rest ("more",
   "more_speakers": `rasd quotes --story N --speaker KEY` lists them all). */

#define BRIEF_SPEAKERS 12
#define BRIEF_STATEMENTS 6

typedef struct SpkRank {
    size_t head;       /* the group's head (index into QuoteGroups.refs) */
    size_t statements; /* distinct statements */
} SpkRank;

static int cmp_rank(const void *a, const void *b)
{
    const SpkRank *x = a, *y = b;
    if (x->statements != y->statements)
        return x->statements > y->statements ? -1 : 1;
    return x->head < y->head ? -1 : x->head > y->head;
}

void brief_quotes(Ctx *c, Buf *b)
{
    QuoteDoc *docs = malloc((c->narts ? c->narts : 1) * sizeof *docs);
    uint8_t *mark = calloc(c->narts ? c->narts : 1, 1);
    QuoteGroups g = {0};
    SpkRank *rank = NULL;
    size_t nrank = 0;
    buf_puts(b, ",\"quotes\":[");
    if (!docs || !mark)
        goto out;
    for (size_t a = 0; a < c->narts; a++)
        docs[a] = (QuoteDoc){c->arts[a].doc, &c->arts[a].quotes};
    if (quotes_group(docs, c->narts, &g, NULL) != RASD_OK)
        goto out;
    rank = malloc((g.n ? g.n : 1) * sizeof *rank);
    if (!rank)
        goto out;
    for (size_t i = 0; i < g.n; i++) {
        const QuoteRef *ri = &g.refs[i];
        if (ri->speaker != i || !docs[ri->doc].quotes->items[ri->q].key_len)
            continue; /* unknown speakers are left out of the brief */
        size_t st = 0;
        for (size_t j = 0; j < g.n; j++)
            st += g.refs[j].speaker == i && g.refs[j].entry == j;
        rank[nrank++] = (SpkRank){i, st};
    }
    qsort(rank, nrank, sizeof *rank, cmp_rank);
    for (size_t s = 0; s < nrank && s < BRIEF_SPEAKERS; s++) {
        size_t h = rank[s].head;
        /* the speaker as the fullest of its quotes names it */
        size_t best = h;
        uint32_t bestlen = 0;
        for (size_t j = 0; j < g.n; j++) {
            if (g.refs[j].speaker != h)
                continue;
            const Quote *q = &docs[g.refs[j].doc].quotes->items[g.refs[j].q];
            uint32_t len = q->spk_start < q->spk_end ? q->spk_end - q->spk_start
                                                     : q->said_end - q->said_start;
            if (len > bestlen) {
                bestlen = len;
                best = j;
            }
        }
        const BArt *ba = &c->arts[g.refs[best].doc];
        const Quote *bq = &ba->quotes.items[g.refs[best].q];
        const BArt *ha = &c->arts[g.refs[h].doc];
        const Quote *hq = &ha->quotes.items[g.refs[h].q];
        const char *bt = rasd_doc_text(ba->doc, NULL);
        uint32_t ss = bq->spk_start < bq->spk_end ? bq->spk_start : bq->said_start;
        uint32_t se = bq->spk_start < bq->spk_end ? bq->spk_end : bq->said_end;
        buf_puts(b, s ? ",{\"speaker\":" : "{\"speaker\":");
        buf_put_json_string(b, bt + ss, se - ss);
        buf_puts(b, ",\"key\":");
        buf_put_json_string(b, ha->quotes.keys.data + hq->key_off, hq->key_len);
        buf_puts(b, ",\"quotes\":[");
        size_t shown = 0;
        for (size_t i = 0; i < g.n && shown < BRIEF_STATEMENTS; i++) {
            if (g.refs[i].speaker != h || g.refs[i].entry != i)
                continue;
            const BArt *ar = &c->arts[g.refs[i].doc];
            const Quote *q = &ar->quotes.items[g.refs[i].q];
            const char *t = rasd_doc_text(ar->doc, NULL);
            memset(mark, 0, c->narts);
            for (size_t j = i; j < g.n; j++)
                if (g.refs[j].entry == i)
                    mark[g.refs[j].doc] = 1;
            buf_puts(b, shown ? ",{\"text\":" : "{\"text\":");
            shown++;
            buf_put_json_trimmed(b, t, q->start, q->end);
            buf_puts(b, ",\"cue\":");
            buf_put_json_string(b, t + q->cue_start, q->cue_end - q->cue_start);
            buf_puts(b, ",\"via\":");
            if (q->via_end > q->via_start)
                buf_put_json_string(b, t + q->via_start, q->via_end - q->via_start);
            else
                buf_puts(b, "null");
            buf_printf(b, ",\"direct\":%s,\"article\":", q->direct ? "true" : "false");
            brief_put_str(b, ar->hash);
            buf_printf(b, ",\"start\":%u,\"end\":%u,\"sources\":", q->start, q->end);
            brief_put_outlets(b, c, mark);
            buf_putc(b, '}');
        }
        buf_printf(b, "],\"statements\":%zu,\"more\":%zu}", rank[s].statements,
                   rank[s].statements - shown);
    }
out:
    buf_printf(b, "],\"quote_speakers\":%zu,\"more_speakers\":%zu", nrank,
               nrank > BRIEF_SPEAKERS ? nrank - BRIEF_SPEAKERS : 0);
    quotes_groups_free(&g);
    free(rank);
    free(docs);
    free(mark);
}
