/*
 * similar_view.c — `rasd similar A B` as a library call (include/rasd.h,
 * rasd_similarity_render, rasd_engine_similarity_render): how likely two
 * articles report the same event, from 0 to 1, with each component of the
 * score (story/similarity.h), as text lines or one JSON object. Weights use
 * the embedded IDF prior plus the two articles, so a pair scores the same
 * whatever else is stored.
 *
 * With an engine, the archive's own co-occurrences (story/cooc.h) are
 * counted from the stored story vectors published up to the later of the
 * two days, and the words that link the two articles without being shared
 * (a city and its country, a raid and the mosque it hit) are shown: what
 * the archive says beyond the score, which does not use them.
 */
#include <stdlib.h>
#include <string.h>

#include "annotate/analyze.h"
#include "engine/api_int.h"
#include "story/cooc.h"
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

/* Words of the two articles by story-vector id, to name the archive's links. */
typedef struct Names {
    IdMap at;            /* id -> offset + 1 of its word in pool */
    Buf pool;            /* the words, each NUL-terminated */
} Names;

static void names_put(Names *nm, uint64_t id, const char *p, size_t n)
{
    uint32_t *slot = idmap_slot(&nm->at, id);
    if (!slot || *slot || nm->pool.len >= UINT32_MAX - n - 1)
        return;
    size_t off = nm->pool.len;
    buf_append(&nm->pool, p, n);
    buf_append(&nm->pool, "", 1);
    if (!nm->pool.oom)
        *slot = (uint32_t)off + 1;
}

static void names_doc(Names *nm, const rasd_doc *d)
{
    if (!d)
        return; /* an article without a title */
    const rasd_token *tk = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++)
        if (tk[i].stem_len >= 2)
            names_put(nm, rasd_hash(tk[i].stem, tk[i].stem_len), tk[i].stem, tk[i].stem_len);
}

/* Entity keys as vector.c hashes them (0x01 + key). */
static void names_ents(Names *nm, const EntityList *ents)
{
    for (size_t i = 0; i < ents->n; i++) {
        const Entity *e = &ents->items[i];
        char kb[256];
        size_t kl = e->key_len < sizeof kb - 1 ? e->key_len : sizeof kb - 1;
        if (!kl)
            continue;
        kb[0] = 1;
        memcpy(kb + 1, ents->keys.data + e->key_off, kl);
        names_put(nm, rasd_hash(kb, kl + 1), kb + 1, kl);
    }
}

static const char *names_get(const Names *nm, uint64_t id)
{
    uint32_t k = idmap_get(&nm->at, id ? id : 1);
    return k ? nm->pool.data + k - 1 : "?";
}

static void names_free(Names *nm)
{
    buf_free(&nm->pool);
    idmap_free(&nm->at);
}

/* The story vector of s; its words into nm when nm is not NULL. */
static rasd_err vector_of(rasd_text *t, const rasd_article *s, StoryVec *v, Names *nm,
                          rasd_error *err)
{
    rasd_doc *d = NULL, *td = NULL;
    EntityList ents = {0};
    rasd_err rc = RASD_OK;
    const char *body = s->text ? s->text : "";
    if (rasd_text_analyse(t, body, strlen(body), &d, err) == RASD_OK &&
        (!s->title || rasd_text_analyse(t, s->title, strlen(s->title), &td, err) == RASD_OK) &&
        analyze_entities(d, &ents, err) == RASD_OK &&
        sv_build(v, d, td, &ents, s->published, err) == RASD_OK) {
        rc = RASD_OK;
        if (nm) {
            names_doc(nm, td);
            names_doc(nm, d);
            names_ents(nm, &ents);
        }
    } else {
        rc = prefix(err, s->origin);
    }
    entities_free(&ents);
    rasd_doc_free(d);
    rasd_doc_free(td);
    return rc;
}

/* The archive's co-occurrence model from stored vectors published up to day. */
typedef struct Archive {
    Cooc *c;
    int32_t day;         /* last day counted, SV_NO_DAY: all */
    int oom;
} Archive;

static int archive_add(void *ctx, const StoredVec *sv)
{
    Archive *ar = ctx;
    StoryVec v;
    if (sv_decode(&v, sv->vec, sv->n, NULL) != RASD_OK)
        return 0; /* a damaged vector says nothing; stories skip it too */
    if (ar->day == SV_NO_DAY || v.day == SV_NO_DAY || v.day <= ar->day) {
        sv_weigh(&v, NULL);
        if (cooc_update(ar->c, &v) < 0)
            ar->oom = 1;
    }
    sv_free(&v);
    return ar->oom;
}

static rasd_err archive_model(Store *st, int32_t day, Cooc **out, rasd_error *err)
{
    Archive ar = {cooc_new(0), day, 0};
    rasd_err rc = ar.c ? store_each_vec_from(st, NULL, archive_add, &ar, err) : RASD_ENOMEM;
    if (rc == RASD_OK && ar.oom)
        rc = RASD_ENOMEM;
    if (rc == RASD_ENOMEM)
        rasd_fail(err, rc, "out of memory counting the archive's co-occurrences");
    if (rc != RASD_OK) {
        cooc_free(ar.c);
        ar.c = NULL;
    }
    *out = ar.c;
    return rc;
}

/* The score of a pair with its parts, appended to b as text or JSON (the
   JSON object left open for the archive's part). */
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
        buf_printf(b, ",\"slot_agrees\":%s", p.conflict ? "false" : "true");
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

/* The archive's part: its size, the soft overlap and the links it found. */
static void put_archive(Buf *b, int fmt, const Cooc *arch, double soft, const CoocWhy *why,
                        const Names *nm)
{
    if (fmt == RASD_FMT_JSON) {
        buf_printf(b, ",\"archive\":{\"articles\":%u,\"soft_overlap\":%.4f,"
                      "\"shared_overlap\":%.4f,\"links\":[",
                   cooc_docs(arch), soft, why->exact);
        for (size_t k = 0; k < why->n; k++) {
            const char *x = names_get(nm, why->link[k].x), *y = names_get(nm, why->link[k].y);
            buf_puts(b, k ? ",{\"a\":" : "{\"a\":");
            buf_put_json_string(b, x, strlen(x));
            buf_puts(b, ",\"b\":");
            buf_put_json_string(b, y, strlen(y));
            buf_printf(b, ",\"npmi\":%.4f}", why->link[k].npmi);
        }
        buf_puts(b, "]}");
        return;
    }
    buf_printf(b, "  archive  %u stored articles up to the later day: soft overlap %.3f "
                  "(shared words %.3f; not part of the score)\n",
               cooc_docs(arch), soft, why->exact);
    for (size_t k = 0; k < why->n; k++)
        buf_printf(b, "    %s ~ %s  (articles with both: npmi %.2f)\n",
                   names_get(nm, why->link[k].x), names_get(nm, why->link[k].y),
                   why->link[k].npmi);
}

/* The pair's score (and, with st, the archive's links) rendered into o. */
static rasd_err similarity(Store *st, rasd_text *t, const rasd_article *a, const rasd_article *b,
                           int fmt, Buf *o, rasd_error *err)
{
    StoryVec va = {0}, vb = {0};
    Names nm = {0};
    Cooc *arch = NULL;
    rasd_err e = vector_of(t, a, &va, st ? &nm : NULL, err);
    if (e == RASD_OK)
        e = vector_of(t, b, &vb, st ? &nm : NULL, err);
    SvDf *df = e == RASD_OK ? sv_df_new() : NULL;
    if (e == RASD_OK && !df)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    SimParts p;
    const SimModel *m = sim_default();
    if (e == RASD_OK) {
        sv_df_add(df, &va);
        sv_df_add(df, &vb);
        sv_weigh(&va, df);
        sv_weigh(&vb, df);
        sim_features(&va, &vb, &p);
        sim_score(m, &p);
    }
    if (e == RASD_OK && st) {
        int32_t last = va.day == SV_NO_DAY || vb.day == SV_NO_DAY ? SV_NO_DAY
                       : va.day > vb.day                         ? va.day
                                                                 : vb.day;
        e = archive_model(st, last, &arch, err);
    }
    if (e == RASD_OK) {
        CoocWhy why = {0};
        double soft = arch ? cooc_soft(arch, &va, &vb, &why) : 0;
        put_score(o, fmt, &p, m);
        if (arch)
            put_archive(o, fmt, arch, soft, &why, &nm);
        if (fmt == RASD_FMT_JSON)
            buf_puts(o, "}\n");
    }
    cooc_free(arch);
    names_free(&nm);
    sv_df_free(df);
    sv_free(&va);
    sv_free(&vb);
    return e;
}

static rasd_err render(Store *st, rasd_text *t, const rasd_article *a, const rasd_article *b,
                       int fmt, char **out, size_t *len, rasd_error *err)
{
    Buf o = {0};
    rasd_err e = similarity(st, t, a, b, fmt, &o, err);
    if (e == RASD_OK) {
        buf_putc(&o, '\0');
        if (o.oom)
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (e != RASD_OK) {
        buf_free(&o);
        return e;
    }
    if (len)
        *len = o.len - 1;
    *out = buf_steal(&o);
    return RASD_OK;
}

RASD_API rasd_err rasd_similarity_render(rasd_text *t, const rasd_article *a,
                                         const rasd_article *b, int fmt, char **out, size_t *len,
                                         rasd_error *err)
{
    if (!t || !a || !b || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON))
        return rasd_fail(err, RASD_EINVAL, "rasd_similarity_render: bad argument");
    return render(NULL, t, a, b, fmt, out, len, err);
}

RASD_API rasd_err rasd_engine_similarity_render(rasd_engine *e, rasd_text *t,
                                                const rasd_article *a, const rasd_article *b,
                                                int fmt, char **out, size_t *len,
                                                rasd_error *err)
{
    if (!e || !t || !a || !b || !out || (fmt != RASD_FMT_TEXT && fmt != RASD_FMT_JSON))
        return rasd_fail(err, RASD_EINVAL, "rasd_engine_similarity_render: bad argument");
    return render(e->st, t, a, b, fmt, out, len, err);
}
