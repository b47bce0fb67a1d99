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

void brief_timeline(Ctx *c)
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
    rasd_brief_date *out = views_calloc(c->ar, n, sizeof *out);
    c->out->timeline = out;
    c->out->ntimeline = out ? n : 0;
    for (size_t j = 0; j < n; j++) {
        const BArt *ar = &c->arts[e[j].art];
        if (out) {
            rasd_brief_date *t = &out[j];
            t->value = views_str(c->ar, e[j].value);
            t->text = views_trimmed(c->ar, brief_art_text(ar), e[j].d_start, e[j].d_end);
            t->sentence = views_trimmed(c->ar, brief_art_text(ar), e[j].s_start, e[j].s_end);
            t->article = ar->r_id;
            t->start = e[j].s_start;
            t->end = e[j].s_end;
            brief_outlets(c, e[j].mark, &t->sources, &t->nsources);
        }
        free(e[j].mark);
    }
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

/* The index of spelling t among e's, added if new while e has room for it
   (a copy of t, or *take itself when take is given: e then owns it and *take
   is set to NULL); e->nvar when e is full, -1 when out of memory. */
static long ent_spelling(Ent *e, const char *t, char **take)
{
    size_t j = 0;
    while (j < e->nvar && strcmp(e->var[j], t))
        j++;
    if (j < e->nvar || e->nvar >= 12)
        return (long)j;
    char **nv = realloc(e->var, (e->nvar + 1) * sizeof *nv);
    if (nv)
        e->var = nv;
    size_t *nn = realloc(e->varn, (e->nvar + 1) * sizeof *nn);
    if (nn)
        e->varn = nn;
    char *c = !nv || !nn ? NULL : take ? *take : strdup(t);
    if (!c)
        return -1;
    if (take)
        *take = NULL;
    e->var[e->nvar] = c;
    e->varn[e->nvar] = 0;
    return (long)e->nvar++;
}

static int on_mention(void *p, const StoredMention *m)
{
    EntCtx *x = p;
    /* the rule of rasd entities: nationality adjectives (الروسي) are no names */
    if (!m->key || !*m->key || !store_entity_listed(NULL, m->key, m->type ? m->type : "", 0))
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
        if (!e->key || !e->type || !e->mark) { /* not counted in x->n: freed here */
            free(e->key);
            free(e->type);
            free(e->mark);
            return 1;
        }
        *slot = (uint32_t)++x->n;
    }
    Ent *e = &x->e[*slot - 1];
    e->mentions++;
    e->mark[x->art] = 1;
    long j = ent_spelling(e, m->text ? m->text : "", NULL);
    if (j < 0)
        return 1;
    if ((size_t)j < e->nvar)
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

/* The hash of a person's key's first word (part 0), last word (1: a family
   name, so not after بن, ابن or بنت), or first and last words together (2:
   "عادل … الجبير"); 0 when the key is one word (parts 0, 1) or under three
   words (part 2). */
static uint64_t key_part_hash(const char *key, int part)
{
    const char *sp = strchr(key, ' '), *lsp = strrchr(key, ' ');
    if (!sp || sp == key || !lsp[1])
        return 0;
    if (part == 0)
        return rasd_hash(key, (size_t)(sp - key));
    if (part == 1) /* after بن/ابن/بنت the last word is the father's name */
        return quotes_key_nasab_before(key, lsp) ? 0 : rasd_hash(lsp + 1, strlen(lsp + 1));
    if (sp == lsp)
        return 0;
    return rasd_hash(key, (size_t)(sp - key)) * 0x9E3779B97F4A7C15ull ^
           rasd_hash(lsp + 1, strlen(lsp + 1));
}

/* Folds a's mentions, articles and spellings into e (a is left empty). */
static int ent_absorb(Ent *e, Ent *a, size_t narts)
{
    e->mentions += a->mentions;
    a->mentions = 0;
    for (size_t i = 0; i < narts; i++)
        e->mark[i] |= a->mark[i];
    for (size_t j = 0; j < a->nvar; j++) {
        long k = ent_spelling(e, a->var[j], &a->var[j]);
        if (k < 0)
            return -1;
        if ((size_t)k < e->nvar)
            e->varn[k] += a->varn[j];
    }
    return 0;
}

/* One identity per person across the story, by the rule quotes_group gives
   speakers: each article keys its own mentions, so one article may name a
   person by the surname alone (بوتين) while another gives the full name
   (فلاديمير بوتين). A one-word person key that is the first or the family
   name of exactly one longer person key of the story is that person (never
   the father's name after بن: عبدالعزيز is not سلمان بن عبدالعزيز); so is a
   two-word key (عادل الجبير) whose words begin and end exactly one longer key
   with a nasab between them (عادل بن أحمد الجبير). With two such people (two
   ministers named الفيصل) it stays apart. Linear in the story's names. */
static void join_surnames(EntCtx *x)
{
    IdMap own[3] = { { 0 } }; /* part hash → 1 + the fuller key's entry; UINT32_MAX: several */
    for (size_t i = 0; i < x->n; i++) {
        if (strcmp(x->e[i].type, "PER") != 0)
            continue;
        for (int part = 0; part < 3; part++) {
            uint64_t h = key_part_hash(x->e[i].key, part);
            uint32_t *v = h ? idmap_slot(&own[part], h) : NULL;
            if (!v) {
                if (h) {
                    x->c->oom = 1; /* out of memory: the brief fails */
                    goto done;
                }
                continue;
            }
            *v = (*v == 0 || *v == i + 1) ? (uint32_t)(i + 1) : UINT32_MAX;
        }
    }
    for (size_t i = 0; i < x->n; i++) {
        Ent *a = &x->e[i];
        if (strcmp(a->type, "PER") != 0)
            continue;
        const char *sp = strchr(a->key, ' ');
        uint32_t v = 0;
        if (!sp) {
            uint64_t h = rasd_hash(a->key, strlen(a->key));
            uint32_t v0 = idmap_get(&own[0], h), v1 = idmap_get(&own[1], h);
            v = !v0 ? v1 : !v1 || v1 == v0 ? v0 : UINT32_MAX;
        } else if (sp == strrchr(a->key, ' ') && sp > a->key && sp[1]) {
            v = idmap_get(&own[2], rasd_hash(a->key, (size_t)(sp - a->key)) *
                                       0x9E3779B97F4A7C15ull ^
                                   rasd_hash(sp + 1, strlen(sp + 1)));
        }
        if (v && v != UINT32_MAX && v != i + 1 &&
            ent_absorb(&x->e[v - 1], a, x->c->narts) != 0) {
            x->c->oom = 1;
            break;
        }
    }
done:
    for (int part = 0; part < 3; part++)
        idmap_free(&own[part]);
}

void brief_entities(Ctx *c)
{
    EntCtx x = { c, 0, NULL, 0, 0, { 0 } };
    rasd_error err;
    for (x.art = 0; x.art < c->narts; x.art++)
        store_each_article_mention(c->st, c->arts[x.art].id, on_mention, &x, &err);
    join_surnames(&x);
    if (x.n > 1)
        qsort(x.e, x.n, sizeof *x.e, ent_cmp);
    size_t shown = x.n < 30 ? x.n : 30, nout = 0;
    rasd_brief_name *out = views_calloc(c->ar, shown, sizeof *out);
    c->out->entities = out;
    for (size_t i = 0; i < x.n; i++) {
        Ent *e = &x.e[i];
        /* the names list's rules (store.h): spellings with a proclitic left
           on counted under the clitic-free one, the name shown by
           store_display_spelling, one-word nisba adjectives no names */
        EntityCount *sp = e->nvar && e->mentions ? calloc(e->nvar, sizeof *sp) : NULL;
        size_t nsp = 0;
        for (size_t j = 0; sp && j < e->nvar; j++)
            sp[nsp++] = (EntityCount){e->var[j], (int64_t)e->varn[j], 0};
        Buf clean = {0};
        nsp = store_fold_spellings(sp, nsp, &clean);
        if (nout < shown && out && nsp && e->mentions &&
            !store_nisba_adjective(e->type, sp[0].text)) {
            rasd_brief_name *y = &out[nout++];
            y->name = views_str(c->ar, sp[store_display_spelling(sp, nsp)].text);
            y->key = views_str(c->ar, e->key);
            y->type = views_str(c->ar, e->type);
            const char **var = views_calloc(c->ar, nsp, sizeof *var);
            for (size_t j = 0; var && j < nsp; j++)
                var[y->nvariants++] = views_str(c->ar, sp[j].text);
            y->variants = var;
            y->mentions = (int64_t)e->mentions;
            brief_outlets(c, e->mark, &y->outlets, &y->noutlets);
        }
        free(sp);
        buf_free(&clean);
        for (size_t j = 0; j < e->nvar; j++)
            free(e->var[j]);
        free(e->var);
        free(e->varn);
        free(e->key);
        free(e->type);
        free(e->mark);
    }
    c->out->nentities = nout;
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

/* The statements of speaker h (group head), at most BRIEF_STATEMENTS, each
   with the outlets that carried it; the number shown. */
static size_t statements(Ctx *c, const QuoteGroups *g, size_t h, uint8_t *mark,
                         rasd_brief_quote *out)
{
    size_t shown = 0;
    for (size_t i = 0; i < g->n && shown < BRIEF_STATEMENTS; i++) {
        if (g->refs[i].speaker != h || g->refs[i].entry != i)
            continue;
        const BArt *ar = &c->arts[g->refs[i].doc];
        const Quote *q = &ar->quotes.items[g->refs[i].q];
        const char *t = rasd_doc_text(ar->doc, NULL);
        memset(mark, 0, c->narts);
        for (size_t j = i; j < g->n; j++)
            if (g->refs[j].entry == i)
                mark[g->refs[j].doc] = 1;
        rasd_brief_quote *y = &out[shown++];
        y->text = views_trimmed(c->ar, t, q->start, q->end);
        y->cue = arena_strndup(c->ar, t + q->cue_start, q->cue_end - q->cue_start);
        y->via = q->via_end > q->via_start
                     ? arena_strndup(c->ar, t + q->via_start, q->via_end - q->via_start)
                     : NULL;
        y->direct = q->direct != 0;
        y->article = ar->r_id;
        y->start = q->start;
        y->end = q->end;
        brief_outlets(c, mark, &y->sources, &y->nsources);
    }
    return shown;
}

/* Speaker h as the fullest of its quotes names it, and its key. */
static void speaker_of(Ctx *c, const QuoteGroups *g, size_t h, rasd_brief_speaker *out)
{
    size_t best = h;
    uint32_t bestlen = 0;
    for (size_t j = 0; j < g->n; j++) {
        if (g->refs[j].speaker != h)
            continue;
        const Quote *q = &c->arts[g->refs[j].doc].quotes.items[g->refs[j].q];
        uint32_t len = q->spk_start < q->spk_end ? q->spk_end - q->spk_start
                                                 : q->said_end - q->said_start;
        if (len > bestlen) {
            bestlen = len;
            best = j;
        }
    }
    const BArt *ba = &c->arts[g->refs[best].doc];
    const Quote *bq = &ba->quotes.items[g->refs[best].q];
    const BArt *ha = &c->arts[g->refs[h].doc];
    const Quote *hq = &ha->quotes.items[g->refs[h].q];
    const char *bt = rasd_doc_text(ba->doc, NULL);
    uint32_t ss = bq->spk_start < bq->spk_end ? bq->spk_start : bq->said_start;
    uint32_t se = bq->spk_start < bq->spk_end ? bq->spk_end : bq->said_end;
    out->speaker = arena_strndup(c->ar, bt + ss, se - ss);
    out->key = arena_strndup(c->ar, ha->quotes.keys.data + hq->key_off, hq->key_len);
    /* a speaker the names list shows (brief_entities ran first) is shown by
       its name there, so one person reads the same in both lists
       (عبد الفتاح السيسى as a speaker, عبدالفتاح السيسي as a name) */
    for (size_t i = 0; out->key && i < c->out->nentities; i++)
        if (c->out->entities[i].key && strcmp(c->out->entities[i].key, out->key) == 0 &&
            (strcmp(c->out->entities[i].type, "PER") == 0 ||
             strcmp(c->out->entities[i].type, "ORG") == 0)) {
            out->speaker = c->out->entities[i].name;
            break;
        }
}

void brief_quotes(Ctx *c)
{
    QuoteDoc *docs = malloc((c->narts ? c->narts : 1) * sizeof *docs);
    uint8_t *mark = calloc(c->narts ? c->narts : 1, 1);
    QuoteGroups g = {0};
    SpkRank *rank = NULL;
    size_t nrank = 0;
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
    size_t nsp = nrank < BRIEF_SPEAKERS ? nrank : BRIEF_SPEAKERS;
    rasd_brief_speaker *sp = views_calloc(c->ar, nsp, sizeof *sp);
    c->out->speakers = sp;
    for (size_t s = 0; sp && s < nsp; s++) {
        speaker_of(c, &g, rank[s].head, &sp[s]);
        rasd_brief_quote *q = views_calloc(c->ar, BRIEF_STATEMENTS, sizeof *q);
        if (q)
            sp[s].nquotes = statements(c, &g, rank[s].head, mark, q);
        sp[s].quotes = q;
        sp[s].statements = (int64_t)rank[s].statements;
        sp[s].more = (int64_t)(rank[s].statements - sp[s].nquotes);
        c->out->nspeakers = s + 1;
    }
out:
    c->out->quote_speakers = (int64_t)nrank;
    c->out->more_speakers = nrank > BRIEF_SPEAKERS ? (int64_t)(nrank - BRIEF_SPEAKERS) : 0;
    quotes_groups_free(&g);
    free(rank);
    free(docs);
    free(mark);
}
