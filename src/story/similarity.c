/*
 * similarity.c — pair similarity of two story vectors (similarity.h).
 *
 * Components are cosines of sorted sparse vectors, so a comparison costs a
 * merge of a few hundred entries: the whole texts' stems, the headlines,
 * the entity keys, each headline against the other text, and the numbers
 * both give. The near-copy component is the share of equal MinHash values
 * among the 32 kept per article: wire copies score near 1, independent
 * reports near 0.
 *
 * What happened and when (session 7): the days both texts name (the dates
 * annotator's single days, datelines left out: "Tuesday's attack" and
 * "Thursday's attack" are two events whatever their words share), the
 * place keys, and the headlines' words outside names (انفجار، يستقبل،
 * اتفاق: the event noun or verb). An event's profile sums them too.
 *
 * The model (tools/train_similarity.c) learns the weights from SemEval
 * pairs, from SaudiNewsNet pairs labelled by their headlines but
 * described by their bodies alone, and from the hand-labelled pairs of
 * the tuning days (07-26/27), the only ones with real headlines: the
 * headline event words are learned from those alone. The headline cosine
 * keeps weight 0: it is shown, and headlines count through the terms, the
 * cross component and the event words instead.
 *
 * Routine shapes (data/lexicon/templates.txt): a congratulation cable to
 * one country reads like one to another, one day's market close like the
 * next, and every component above says "same". When both headlines have
 * one shape, the shape's slot must agree (the headline words outside the
 * shape share one: the country, the market; the day, a day apart only
 * with shared figures or copied text, and never when both texts name their
 * days), else the score is 0. Routine incidents (a shell across the border,
 * a soldier's death, a fire, a drowning, an execution) are shapes too: their
 * slot is who and where (the town, the victims, the name in the headline)
 * and the day the text tells. A slot keeps the headline's strongest words
 * outside the shape (SIM_SLOT_MAX). A copied body
 * does not excuse another name (cables to two countries copy one text);
 * a body copied at 0.8 or more excuses another day (a late republication).
 * Shapes are found once per vector (sv_weigh), so this costs nothing for
 * most pairs.
 *
 * Signature. Who (entity keys: people, places, organisations) and what
 * (stems) together: a pair that shares both strongly (entity cosine at
 * least SIM_SIG_ENTS and stem cosine at least SIM_SIG_TERMS) was one
 * event in every such hand-labelled tuning pair (39 of 39, 07-26/27), far
 * more often than the logistic model says, so half its remaining doubt
 * goes, and it keeps full weight over a week (one negotiation reported
 * over four days).
 *
 * The time factor is 1 within three days and halves every further week:
 * the assigner's window already bounds how far apart an event's articles
 * can be; this only lets a strong match survive a longer gap. It is set by
 * hand because the SemEval pairs carry no dates and the silver pairs are
 * all from days next to each other.
 */
#include "story/similarity.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"

extern const unsigned char sim_model_txt[];
extern const unsigned long sim_model_txt_len;

static const char *const names[SIM_NFEAT] = { "terms", "title", "ents",  "cross", "near",
                                               "nums",  "when",  "place", "what" };

const char *sim_feature_name(int f)
{
    return f >= 0 && f < SIM_NFEAT ? names[f] : "?";
}

int sim_model_parse(SimModel *m, const char *text, size_t n)
{
    memset(m, 0, sizeof *m);
    m->event_threshold = 0.5;
    int seen = 0;
    const char *p = text, *end = text + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        char line[128];
        size_t len = (size_t)(le - p);
        if (len && *p != '#' && len < sizeof line) {
            memcpy(line, p, len);
            line[len] = 0;
            char name[32];
            double v;
            if (sscanf(line, "%31s %lf", name, &v) != 2)
                return -1;
            if (!strcmp(name, "bias")) {
                m->bias = v;
                seen |= 1;
            } else if (!strcmp(name, "event_threshold")) {
                m->event_threshold = v;
            } else {
                int f = 0;
                while (f < SIM_NFEAT && strcmp(name, names[f]))
                    f++;
                if (f == SIM_NFEAT)
                    return -1;
                m->w[f] = v;
                seen |= 2 << f;
            }
        }
        p = le + 1;
    }
    return seen == (1 | ((2 << SIM_NFEAT) - 2)) ? 0 : -1;
}

void sim_model_format(const SimModel *m, Buf *out)
{
    buf_printf(out, "bias %.6f\n", m->bias);
    for (int f = 0; f < SIM_NFEAT; f++)
        buf_printf(out, "%s %.6f\n", names[f], m->w[f]);
    buf_printf(out, "event_threshold %.4f\n", m->event_threshold);
}

static SimModel embedded;
static pthread_once_t embedded_once = PTHREAD_ONCE_INIT;

static void embedded_load(void)
{
    if (sim_model_parse(&embedded, (const char *)sim_model_txt, sim_model_txt_len) < 0) {
        /* a broken build-time file: fall back to plain stem cosine */
        memset(&embedded, 0, sizeof embedded);
        embedded.w[SIM_TERMS] = 8;
        embedded.bias = -4;
        embedded.event_threshold = 0.5;
    }
}

const SimModel *sim_default(void)
{
    pthread_once(&embedded_once, embedded_load);
    return &embedded;
}

double sim_when(const SvTerm *a, size_t na, const SvTerm *b, size_t nb)
{
    if (!na || !nb)
        return 0.5;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (a[i].id == b[j].id)
            return 1;
        if (a[i].id < b[j].id)
            i++;
        else
            j++;
    }
    return 0;
}

void sim_features(const StoryVec *a, const StoryVec *b, SimParts *out)
{
    memset(out, 0, sizeof *out);
    out->f[SIM_TERMS] = sv_cosine(a->terms, a->nterms, b->terms, b->nterms);
    out->f[SIM_TITLE] = sv_cosine(a->title, a->ntitle, b->title, b->ntitle);
    out->f[SIM_ENTS] = sv_cosine(a->ents, a->nents, b->ents, b->nents);
    double c1 = sv_cosine(a->title, a->ntitle, b->terms, b->nterms);
    double c2 = sv_cosine(b->title, b->ntitle, a->terms, a->nterms);
    out->f[SIM_CROSS] = c1 > c2 ? c1 : c2;
    if (a->has_sig && b->has_sig) {
        int eq = 0;
        for (int i = 0; i < 32; i++)
            eq += a->sig[i] == b->sig[i];
        out->f[SIM_NEAR] = eq / 32.0;
    }
    out->f[SIM_NUMS] = sv_cosine(a->nums, a->nnums, b->nums, b->nnums);
    out->f[SIM_WHEN] = sim_when(a->when, a->nwhen, b->when, b->nwhen);
    out->f[SIM_PLACE] = sv_cosine(a->places, a->nplaces, b->places, b->nplaces);
    out->f[SIM_WHAT] = sv_cosine(a->what, a->nwhat, b->what, b->nwhat);
    for (int f = 0; f < SIM_NFEAT; f++)
        if (out->f[f] > 1)
            out->f[f] = 1;
    if (a->day == SV_NO_DAY || b->day == SV_NO_DAY)
        out->gap = -1;
    else {
        int64_t g = (int64_t)a->day - b->day; /* days from damaged vectors can be extreme */
        if (g < 0)
            g = -g;
        out->gap = g > INT32_MAX ? INT32_MAX : (int)g;
    }
    if (a->tmpl && a->tmpl == b->tmpl) {
        out->tmpl = a->tmpl;
        out->conflict = sim_slot_conflict(a, b, out->f[SIM_NUMS], out->f[SIM_NEAR], out->gap);
    }
    if (!out->conflict && out->f[SIM_NEAR] < 0.8 && sim_ordinals_disagree(a, b))
        out->conflict = SIM_SLOT_ORD; /* the second and the third of one kind */
}

/* ---- routine shapes (data/lexicon/templates.txt) ---- */

extern const unsigned char lex_templates[];
extern const unsigned long lex_templates_len;

#define TMPL_MAX 16
typedef struct Shape {
    char name[16];
    IdMap any, also, filler; /* stem hashes (value 1) */
    IdMap occasion;          /* words of an occasion that is the slot instead of the name
                                (condolences: callers differ, the bereavement is one) */
    int has_also;
    int slots;               /* SIM_SLOT_NAME | SIM_SLOT_DAY */
} Shape;
static Shape shapes[TMPL_MAX];
static int nshapes;
static pthread_once_t shapes_once = PTHREAD_ONCE_INIT;

/* Adds the stems of the words in [p, end) to map, as vector.c hashes headline stems. */
static void add_stems(rasd_text *t, IdMap *map, const char *p, size_t n)
{
    rasd_doc *d = NULL;
    rasd_error err;
    if (rasd_text_analyse(t, p, n, &d, &err) != RASD_OK)
        return;
    size_t nt = rasd_doc_ntokens(d);
    const rasd_token *tk = rasd_doc_tokens(d);
    for (size_t i = 0; i < nt; i++) {
        if ((tk[i].type != RASD_TOK_ARABIC && tk[i].type != RASD_TOK_LATIN) || tk[i].stem_len < 2)
            continue;
        uint64_t id = rasd_hash(tk[i].stem, tk[i].stem_len);
        uint32_t *v = idmap_slot(map, id ? id : 1);
        if (v)
            *v = 1;
    }
    rasd_doc_free(d);
}

static void shapes_load(void)
{
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK)
        return;
    const char *p = (const char *)lex_templates, *end = p + lex_templates_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *t1 = memchr(p, '\t', (size_t)(le - p));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
        if (*p != '#' && t2 && (size_t)(t1 - p) < sizeof shapes[0].name) {
            int c = 0;
            while (c < nshapes && (strlen(shapes[c].name) != (size_t)(t1 - p) ||
                                   memcmp(shapes[c].name, p, (size_t)(t1 - p))))
                c++;
            if (c == nshapes && nshapes < TMPL_MAX) {
                memcpy(shapes[c].name, p, (size_t)(t1 - p));
                nshapes++;
            }
            if (c < nshapes) {
                Shape *S = &shapes[c];
                size_t rl = (size_t)(t2 - t1 - 1);
                const char *w = t2 + 1;
                size_t wl = (size_t)(le - w);
                if (rl == 3 && !memcmp(t1 + 1, "any", 3)) {
                    add_stems(t, &S->any, w, wl);
                    add_stems(t, &S->filler, w, wl);
                } else if (rl == 4 && !memcmp(t1 + 1, "also", 4)) {
                    add_stems(t, &S->also, w, wl);
                    add_stems(t, &S->filler, w, wl);
                    S->has_also = 1;
                } else if (rl == 8 && !memcmp(t1 + 1, "occasion", 8)) {
                    add_stems(t, &S->occasion, w, wl);
                } else if (rl == 6 && !memcmp(t1 + 1, "filler", 6)) {
                    add_stems(t, &S->filler, w, wl);
                } else if (rl == 5 && !memcmp(t1 + 1, "slots", 5)) {
                    for (size_t k = 0; k + 3 <= wl; k++) {
                        if (k + 4 <= wl && !memcmp(w + k, "name", 4))
                            S->slots |= SIM_SLOT_NAME;
                        if (!memcmp(w + k, "day", 3))
                            S->slots |= SIM_SLOT_DAY;
                    }
                }
            }
        }
        p = le + 1;
    }
    rasd_text_free(t);
}

/*
 * Ordinals in a headline: "the third relief plane lands in Aden" and "the
 * second relief plane lands in Aden" read alike in every component, yet
 * they are two arrivals, two rounds, two batches. Two headlines that both
 * count and share no ordinal are two events (SIM_SLOT_ORD).
 */
static const char *const ordinals[] = {
    "الأول الأولى أول أولى",   "الثاني الثانية ثاني ثانية", "الثالث الثالثة ثالث ثالثة",
    "الرابع الرابعة رابع رابعة", "الخامس الخامسة خامس خامسة", "السادس السادسة سادس سادسة",
    "السابع السابعة سابع سابعة", "الثامن الثامنة ثامن ثامنة", "التاسع التاسعة تاسع تاسعة",
    "العاشر العاشرة عاشر عاشرة",
};
static IdMap ordmap; /* headline stem hash -> bit of its rank (1 << rank) */
static pthread_once_t ord_once = PTHREAD_ONCE_INIT;

static void ord_load(void)
{
    rasd_text *t = NULL;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK)
        return;
    for (size_t r = 0; r < sizeof ordinals / sizeof *ordinals; r++) {
        IdMap one = { 0 };
        add_stems(t, &one, ordinals[r], strlen(ordinals[r]));
        for (size_t s = 0; s < one.cap; s++) {
            if (!one.ids[s])
                continue;
            uint32_t *v = idmap_slot(&ordmap, one.ids[s]);
            if (v)
                *v |= 1u << r; /* a stem two ranks share (none today) counts as both */
        }
        idmap_free(&one);
    }
    rasd_text_free(t);
}

/* The ranks a headline's stems count (bit r: ordinal r + 1), 0 for none. */
static uint32_t ord_mask(const SvTerm *title, size_t n)
{
    pthread_once(&ord_once, ord_load);
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= idmap_get(&ordmap, title[i].id);
    return m;
}

uint32_t sim_ordinals(const StoryVec *v)
{
    return ord_mask(v->title, v->ntitle);
}

int sim_ordinals_disagree(const StoryVec *a, const StoryVec *b)
{
    if (!a->ntitle || !b->ntitle)
        return 0;
    uint32_t x = ord_mask(a->title, a->ntitle);
    if (!x)
        return 0;
    uint32_t y = ord_mask(b->title, b->ntitle);
    return y && !(x & y);
}

int sim_template(const SvTerm *title, size_t n)
{
    pthread_once(&shapes_once, shapes_load);
    for (int c = 0; c < nshapes; c++) {
        int any = 0, also = !shapes[c].has_also;
        for (size_t i = 0; i < n && !(any && also); i++) {
            any |= idmap_get(&shapes[c].any, title[i].id) != 0;
            also |= idmap_get(&shapes[c].also, title[i].id) != 0;
        }
        if (any && also)
            return c + 1;
    }
    return 0;
}

const char *sim_template_name(int t)
{
    pthread_once(&shapes_once, shapes_load);
    return t >= 1 && t <= nshapes ? shapes[t - 1].name : "";
}

/*
 * The day a report of a day-slot shape tells: its publication day when its
 * text names that day or no day from six days before to the day after;
 * else the latest day it names before publication (a close "اليوم
 * الثلاثاء" published on Thursday is Tuesday's session); else the day after
 * (a forecast for tomorrow). A report of today that also names tomorrow
 * (rain today, a warning until tomorrow) stays today's. One publication day
 * can hold two sessions' reports. *told is 1 when the day is one the text
 * names, 0 when it is only the publication day.
 */
static int32_t session_day(const StoryVec *v, uint8_t *told)
{
    *told = 0;
    if (v->day == SV_NO_DAY)
        return v->day;
    int64_t before = INT64_MIN, pub = v->day;
    int after = 0;
    for (size_t i = 0; i < v->nwhen; i++) {
        int64_t d = (int32_t)(uint32_t)v->when[i].id;
        if (d == pub) {
            *told = 1;
            return v->day;
        }
        if (d >= pub - 6 && d < pub && d > before)
            before = d;
        after |= d == pub + 1;
    }
    *told = before != INT64_MIN || after;
    if (before != INT64_MIN)
        return (int32_t)before;
    return after ? (int32_t)(pub + 1) : v->day;
}

void sim_slot_of(const StoryVec *v, SimSlot *s)
{
    memset(s, 0, sizeof *s);
    s->day = v->day;
    s->tmpl = v->tmpl;
    if (!v->tmpl || v->tmpl > nshapes)
        return;
    const Shape *S = &shapes[v->tmpl - 1];
    if (S->slots & SIM_SLOT_DAY)
        s->day = session_day(v, &s->told);
    /* the SIM_SLOT_MAX strongest words outside the shape (a long headline's rare
       words: the town, the name), kept sorted by id */
    float w[SIM_SLOT_MAX];
    for (size_t i = 0; i < v->ntitle; i++) {
        if (idmap_get(&S->filler, v->title[i].id))
            continue;
        float wi = v->title[i].w;
        size_t k = s->n;
        if (k == SIM_SLOT_MAX) { /* drop the weakest (the largest id among equals) */
            size_t lo = 0;
            for (size_t j = 1; j < k; j++)
                if (w[j] <= w[lo])
                    lo = j;
            if (!(wi > w[lo]))
                continue;
            for (size_t j = lo; j + 1 < k; j++) {
                s->id[j] = s->id[j + 1];
                w[j] = w[j + 1];
            }
            k--;
        }
        s->id[k] = v->title[i].id; /* title ids are sorted, so these stay sorted */
        w[k] = wi;
        s->n = (uint8_t)(k + 1);
    }
    for (size_t i = 0; S->occasion.n && i < v->nterms && !s->occ; i++)
        s->occ = idmap_get(&S->occasion, v->terms[i].id) != 0;
}

/* Do two sorted id lists share one? */
static int share(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            return 1;
        if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return 0;
}

static int slots_test(const SimSlot *a, const SimSlot *b, double nums, double near, int gap)
{
    if (!a->tmpl || a->tmpl != b->tmpl || a->tmpl > nshapes)
        return 0;
    int slots = shapes[a->tmpl - 1].slots;
    /* cables to two countries copy one text: a copied body proves nothing here */
    /* both texts name the shape's occasion (condolences): that is the slot, and
       two callers' condolences on one bereavement are one event */
    if ((slots & SIM_SLOT_NAME) && a->n && b->n && !(a->occ && b->occ) &&
        !share(a->id, a->n, b->id, b->n))
        return SIM_SLOT_NAME;
    if (near >= 0.8)
        return 0; /* the same report republished a few days later */
    if ((slots & SIM_SLOT_DAY) && gap > 1)
        return SIM_SLOT_DAY;
    if ((slots & SIM_SLOT_DAY) && gap == 1 && a->told && b->told)
        return SIM_SLOT_DAY; /* both texts name their day, and the days differ: two
                                sessions, two days' weather, two incidents */
    if ((slots & SIM_SLOT_DAY) && gap == 1 && nums < 0.3 && near < 0.3)
        return SIM_SLOT_DAY;
    return 0;
}

int sim_slot_conflict(const StoryVec *a, const StoryVec *b, double nums, double near, int gap)
{
    if (!a->tmpl || a->tmpl != b->tmpl)
        return 0;
    SimSlot sa, sb;
    sim_slot_of(a, &sa);
    sim_slot_of(b, &sb);
    if (sa.day != SV_NO_DAY && sb.day != SV_NO_DAY) { /* the days the reports tell */
        int64_t g = (int64_t)sa.day - sb.day;
        g = g < 0 ? -g : g;
        gap = g > INT32_MAX ? INT32_MAX : (int)g;
    }
    return slots_test(&sa, &sb, nums, near, gap);
}

int sim_slots_disagree(const SimSlot *a, const SimSlot *b)
{
    int gap = -1;
    if (a->day != SV_NO_DAY && b->day != SV_NO_DAY) {
        int64_t g = (int64_t)a->day - b->day;
        g = g < 0 ? -g : g;
        gap = g > INT32_MAX ? INT32_MAX : (int)g;
    }
    return slots_test(a, b, 1, 0, gap);
}

int sim_slot_by_day(const SimSlot *s)
{
    return s->tmpl && s->tmpl <= nshapes && (shapes[s->tmpl - 1].slots & SIM_SLOT_DAY);
}

int sim_slot_other_day(const SimSlot *s, int32_t day)
{
    if (!s->tmpl || s->tmpl > nshapes || !(shapes[s->tmpl - 1].slots & SIM_SLOT_DAY) ||
        s->day == SV_NO_DAY || day == SV_NO_DAY)
        return 0;
    int64_t g = (int64_t)day - s->day;
    return g > 1 || g < -1;
}

double sim_time_factor(int gap)
{
    if (gap <= 3)
        return 1;
    return pow(0.5, (gap - 3) / 7.0);
}

double sim_score(const SimModel *m, SimParts *p)
{
    double z = m->bias;
    for (int f = 0; f < SIM_NFEAT; f++)
        z += m->w[f] * p->f[f];
    p->content = p->conflict ? 0 : 1 / (1 + exp(-z));
    p->signature = !p->conflict && p->f[SIM_ENTS] >= SIM_SIG_ENTS && p->f[SIM_TERMS] >= SIM_SIG_TERMS;
    int boost = p->signature;
    if (boost) /* half the remaining doubt */
        p->content = 1 - (1 - p->content) / 2;
    p->time = boost && p->gap <= SIM_SIG_DAYS ? 1 : sim_time_factor(p->gap);
    p->score = p->content * p->time;
    return p->score;
}
