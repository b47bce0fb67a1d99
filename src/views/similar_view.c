/*
 * similar_view.c — `rasd similar A B` as a library call (include/rasd.h,
 * rasd_similarity_render): how likely two articles report the same event,
 * from 0 to 1, with each component of the score (story/similarity.h),
 * as text lines or one JSON object. Weights use the embedded IDF prior
 * plus the two articles, so a pair scores the same whatever else is stored.
 */
#include <stdlib.h>
#include <string.h>

#include "annotate/analyze.h"
#include "story/similarity.h"
#include "util/util.h"

/* err's message prefixed with label ("A: ..."); its code returned. */
static rasd_err prefix(rasd_error *err, const char *label)
{
    if (!err)
        return RASD_EFORMAT;
    rasd_error inner = *err;
    return rasd_fail(err, inner.code, "%s: %s", label ? label : "article", inner.msg);
}

static rasd_err vector_of(rasd_text *t, const rasd_article *s, StoryVec *v, rasd_error *err)
{
    rasd_doc *d = NULL, *td = NULL;
    EntityList ents = {0};
    rasd_err rc = RASD_OK;
    const char *body = s->text ? s->text : "";
    if (rasd_text_analyse(t, body, strlen(body), &d, err) == RASD_OK &&
        (!s->title || rasd_text_analyse(t, s->title, strlen(s->title), &td, err) == RASD_OK) &&
        analyze_entities(d, &ents, err) == RASD_OK &&
        sv_build(v, d, td, &ents, s->published, err) == RASD_OK)
        rc = RASD_OK;
    else
        rc = prefix(err, s->origin);
    entities_free(&ents);
    rasd_doc_free(d);
    rasd_doc_free(td);
    return rc;
}

/* The score of a pair with its parts, appended to b as text or JSON. */
static void put_score(Buf *b, int fmt, const SimParts *pp, const SimModel *m)
{
    const SimParts p = *pp;
    if (fmt == RASD_FMT_JSON) {
        buf_printf(b, "{\"score\":%.4f,\"content\":%.4f,\"time\":%.4f,\"gap_days\":", p.score,
                   p.content, p.time);
        if (p.gap < 0)
            buf_puts(b, "null");
        else
            buf_printf(b, "%d", p.gap);
        buf_printf(b, ",\"same_event\":%s,\"components\":{",
                   p.score >= m->event_threshold ? "true" : "false");
        for (int f = 0; f < SIM_NFEAT; f++)
            buf_printf(b, "%s\"%s\":%.4f", f ? "," : "", sim_feature_name(f), p.f[f]);
        buf_printf(b, "},\"signature\":%s,\"shape\":", p.signature ? "true" : "false");
        if (p.tmpl)
            buf_printf(b, "\"%s\"", sim_template_name(p.tmpl));
        else
            buf_puts(b, "null");
        buf_printf(b, ",\"slot_agrees\":%s}\n", p.conflict ? "false" : "true");
    } else {
        buf_printf(b, "similarity %.3f (%s the event threshold %.2f)\n", p.score,
                   p.score >= m->event_threshold ? "at or above" : "below", m->event_threshold);
        for (int f = 0; f < SIM_NFEAT; f++)
            buf_printf(b, "  %-6s %.3f  (weight %+.2f)\n", sim_feature_name(f), p.f[f],
                       m->w[f]);
        if (p.gap < 0)
            buf_printf(b, "  gap    unknown (a date is missing): time factor 1\n");
        else
            buf_printf(b, "  gap    %d days: time factor %.3f\n", p.gap, p.time);
        if (p.signature)
            buf_printf(b, "  signature shared: entity keys %.2f >= %.2f and stems %.2f >= %.2f "
                          "(half the doubt goes; full weight over %d days)\n",
                       p.f[SIM_ENTS], SIM_SIG_ENTS, p.f[SIM_TERMS], SIM_SIG_TERMS, SIM_SIG_DAYS);
        if (p.tmpl)
            buf_printf(b, "  shape  both headlines are a %s: %s\n", sim_template_name(p.tmpl),
                       p.conflict == SIM_SLOT_NAME  ? "its name slot disagrees (score 0)"
                       : p.conflict == SIM_SLOT_DAY ? "its day slot disagrees (score 0)"
                                                    : "its slot agrees");
        if (p.conflict == SIM_SLOT_ORD)
            buf_printf(b, "  ordinals  the headlines count different ones (the second, the third): "
                          "score 0\n");
    }
}

RASD_API rasd_err rasd_similarity_render(rasd_text *t, const rasd_article *a,
                                         const rasd_article *b, int fmt, char **out, size_t *len,
                                         rasd_error *err)
{
    if (!t || !a || !b || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON))
        return rasd_fail(err, RASD_EINVAL, "rasd_similarity_render: bad argument");
    StoryVec va = {0}, vb = {0};
    rasd_err e = vector_of(t, a, &va, err);
    if (e == RASD_OK)
        e = vector_of(t, b, &vb, err);
    SvDf *df = e == RASD_OK ? sv_df_new() : NULL;
    if (e == RASD_OK && !df)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    Buf o = {0};
    if (e == RASD_OK) {
        sv_df_add(df, &va);
        sv_df_add(df, &vb);
        sv_weigh(&va, df);
        sv_weigh(&vb, df);
        SimParts p;
        sim_features(&va, &vb, &p);
        const SimModel *m = sim_default();
        sim_score(m, &p);
        put_score(&o, fmt, &p, m);
        buf_putc(&o, '\0');
        if (o.oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    sv_df_free(df);
    sv_free(&va);
    sv_free(&vb);
    if (e != RASD_OK) {
        buf_free(&o);
        return e;
    }
    if (len)
        *len = o.len - 1;
    *out = buf_steal(&o);
    return RASD_OK;
}
