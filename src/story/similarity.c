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
 * The model (tools/train_similarity.c) learns the weights from SemEval
 * pairs and from SaudiNewsNet pairs labelled by their headlines but
 * described by their bodies alone, which is why the headline cosine has
 * weight 0 there: it is shown, and headlines count through the terms and
 * the cross component instead.
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

extern const unsigned char sim_model_txt[];
extern const unsigned long sim_model_txt_len;

static const char *const names[SIM_NFEAT] = { "terms", "title", "ents", "cross", "near", "nums" };

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
    p->content = 1 / (1 + exp(-z));
    p->time = sim_time_factor(p->gap);
    p->score = p->content * p->time;
    return p->score;
}
