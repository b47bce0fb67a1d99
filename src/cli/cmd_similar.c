/*
 * cmd_similar.c — `rasd similar A B`: how likely two articles report the
 * same event, from 0 to 1, with each component of the score (story/
 * similarity.h). A and B are article files (the first article of each) or
 * ids of stored articles. Weights use the embedded IDF prior plus the two
 * articles, so a pair scores the same whatever else is in the store.
 *
 * With --db, the archive's own co-occurrences (story/cooc.h) are counted
 * from the stored story vectors published up to the later of the two days,
 * and the words that link the two articles without being shared (a city
 * and its country, a raid and the mosque it hit) are shown: what the
 * archive says beyond the score, which does not use them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "annotate/analyze.h"
#include "ingest/walk.h"
#include "store/store.h"
#include "story/cooc.h"
#include "story/similarity.h"

static void help(FILE *to)
{
    fputs("usage: rasd similar [--db PATH] [--date-a D] [--date-b D] [--json] A B\n"
          "  A, B: article files (their first article) or stored article ids\n"
          "  prints the probability that A and B report the same event and its parts:\n"
          "  terms (stem TF-IDF cosine), title, ents (entity keys), cross (each headline\n"
          "  against the other's text), near (MinHash copy estimate), nums (numbers both\n"
          "  give), and the time gap; with --db, the words the store's archive links\n"
          "  between the two (co-occurrence over stored articles up to the later day)\n",
          to);
}

typedef struct Side {
    char *title, *body, *published, *label; /* owned */
} Side;

static void side_free(Side *s)
{
    free(s->title);
    free(s->body);
    free(s->published);
    free(s->label);
}

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

static int load_side(const char *arg, const char *db, const char *date, Side *out)
{
    memset(out, 0, sizeof *out);
    rasd_error err;
    struct stat sb;
    if (!strcmp(arg, "-") || stat(arg, &sb) == 0) {
        Batch b = {0};
        if (ingest_read_file(arg, 0, &b, &err) != RASD_OK) {
            cli_error("%s", err.msg);
            batch_free(&b);
            return -1;
        }
        if (b.n == 0) {
            if (b.nerrors)
                cli_error("%s", b.errors[0]);
            else
                cli_error("%s: no article in the input", arg);
            batch_free(&b);
            return -1;
        }
        Article *a = &b.items[0];
        out->title = dup0(a->title);
        out->body = dup0(a->body);
        out->published = dup0(a->published ? a->published : date);
        out->label = strdup(arg);
        batch_free(&b);
        return out->body ? 0 : -1;
    }
    Store *st = cli_open_store(db, 1);
    if (!st)
        return -1;
    StoredArticle sa;
    if (store_get_article(st, arg, &sa, &err) != RASD_OK) {
        cli_error("%s: not a file, and %s", arg, err.msg);
        store_close(st);
        return -1;
    }
    out->title = dup0(sa.title);
    out->body = dup0(sa.body);
    out->published = dup0(sa.published ? sa.published : date);
    out->label = strdup(sa.hash);
    store_article_free(&sa);
    store_close(st);
    return 0;
}

/* Words of the two articles by story-vector id, to name the archive's links. */
typedef struct Names {
    IdMap at;            /* id -> offset + 1 of its word in pool */
    rasd_buf pool;            /* the words, each NUL-terminated */
} Names;

static void names_put(Names *nm, uint64_t id, const char *p, size_t n)
{
    uint32_t *slot = idmap_slot(&nm->at, id);
    if (!slot || *slot || nm->pool.len >= UINT32_MAX - n - 1)
        return;
    size_t off = nm->pool.len;
    rasd_buf_append(&nm->pool, p, n);
    rasd_buf_append(&nm->pool, "", 1);
    if (!nm->pool.oom)
        *slot = (uint32_t)off + 1;
}

static void names_doc(Names *nm, const rasd_doc *d)
{
    const rasd_token *tk = rasd_doc_tokens(d);
    for (size_t i = 0; d && i < rasd_doc_ntokens(d); i++)
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
    rasd_buf_free(&nm->pool);
    idmap_free(&nm->at);
}

static int vector_of(rasd_text *t, const Side *s, StoryVec *v, Names *nm)
{
    rasd_error err;
    rasd_doc *d = NULL, *td = NULL;
    EntityList ents = {0};
    int rc = -1;
    if (rasd_text_analyse(t, s->body, strlen(s->body), &d, &err) == RASD_OK &&
        (!s->title || rasd_text_analyse(t, s->title, strlen(s->title), &td, &err) == RASD_OK) &&
        analyze_entities(d, &ents, &err) == RASD_OK &&
        sv_build(v, d, td, &ents, s->published, &err) == RASD_OK) {
        rc = 0;
        names_doc(nm, td);
        names_doc(nm, d);
        names_ents(nm, &ents);
    } else
        cli_error("%s: %s", s->label, err.msg);
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

static Cooc *archive_model(const char *db, int32_t day)
{
    Store *st = cli_open_store(db, 1);
    if (!st)
        return NULL;
    Archive ar = { cooc_new(0), day, 0 };
    rasd_error err;
    if (ar.c && store_each_vec_from(st, NULL, archive_add, &ar, &err) != RASD_OK) {
        cli_error("%s: %s", db, err.msg);
        cooc_free(ar.c);
        ar.c = NULL;
    } else if (!ar.c || ar.oom) {
        cli_error("out of memory counting the archive's co-occurrences");
        cooc_free(ar.c);
        ar.c = NULL;
    }
    store_close(st);
    return ar.c;
}

int cmd_similar(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"json", no_argument, 0, 'j'},
                                         {"date-a", required_argument, 0, 'a'},
                                         {"date-b", required_argument, 0, 'b'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *da = NULL, *dbd = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': json = 1; break;
        case 'a': da = optarg; break;
        case 'b': dbd = optarg; break;
        case 'h': help(stdout); return 0;
        default: help(stderr); return 2;
        }
    }
    if (argc - optind != 2) {
        help(stderr);
        return 2;
    }
    Side A, B;
    if (load_side(argv[optind], db, da, &A) < 0)
        return 1;
    if (load_side(argv[optind + 1], db, dbd, &B) < 0) {
        side_free(&A);
        return 1;
    }
    rasd_text *t = NULL;
    rasd_error err;
    StoryVec va = {0}, vb = {0};
    Names nm = {0};
    Cooc *arch = NULL;
    CoocWhy why = {0};
    double soft = 0;
    int rc = 1;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        goto out;
    }
    if (vector_of(t, &A, &va, &nm) < 0 || vector_of(t, &B, &vb, &nm) < 0)
        goto out;
    SvDf *df = sv_df_new();
    if (!df) {
        cli_error("out of memory");
        goto out;
    }
    sv_df_add(df, &va);
    sv_df_add(df, &vb);
    sv_weigh(&va, df);
    sv_weigh(&vb, df);
    sv_df_free(df);
    SimParts p;
    sim_features(&va, &vb, &p);
    const SimModel *m = sim_default();
    sim_score(m, &p);
    if (db) {
        int32_t last = va.day == SV_NO_DAY || vb.day == SV_NO_DAY ? SV_NO_DAY
                       : va.day > vb.day                         ? va.day
                                                                 : vb.day;
        if (!(arch = archive_model(db, last)))
            goto out;
        soft = cooc_soft(arch, &va, &vb, &why);
    }
    if (json) {
        printf("{\"score\":%.4f,\"content\":%.4f,\"time\":%.4f,\"gap_days\":", p.score, p.content,
               p.time);
        if (p.gap < 0)
            printf("null");
        else
            printf("%d", p.gap);
        printf(",\"same_event\":%s,\"components\":{", p.score >= m->event_threshold ? "true" : "false");
        for (int f = 0; f < SIM_NFEAT; f++)
            printf("%s\"%s\":%.4f", f ? "," : "", sim_feature_name(f), p.f[f]);
        printf("},\"signature\":%s,\"shape\":", p.signature ? "true" : "false");
        if (p.tmpl)
            printf("\"%s\"", sim_template_name(p.tmpl));
        else
            printf("null");
        printf(",\"slot_agrees\":%s", p.conflict ? "false" : "true");
        if (arch) {
            rasd_buf j = {0};
            rasd_buf_printf(&j, ",\"archive\":{\"articles\":%u,\"soft_overlap\":%.4f,"
                           "\"shared_overlap\":%.4f,\"links\":[",
                       cooc_docs(arch), soft, why.exact);
            for (size_t k = 0; k < why.n; k++) {
                const char *x = names_get(&nm, why.link[k].x), *y = names_get(&nm, why.link[k].y);
                rasd_buf_puts(&j, k ? ",{\"a\":" : "{\"a\":");
                rasd_buf_put_json_string(&j, x, strlen(x));
                rasd_buf_puts(&j, ",\"b\":");
                rasd_buf_put_json_string(&j, y, strlen(y));
                rasd_buf_printf(&j, ",\"npmi\":%.4f}", why.link[k].npmi);
            }
            rasd_buf_puts(&j, "]}");
            fwrite(j.data, 1, j.len, stdout);
            rasd_buf_free(&j);
        }
        printf("}\n");
    } else {
        printf("similarity %.3f (%s the event threshold %.2f)\n", p.score,
               p.score >= m->event_threshold ? "at or above" : "below", m->event_threshold);
        for (int f = 0; f < SIM_NFEAT; f++)
            printf("  %-6s %.3f  (weight %+.2f)\n", sim_feature_name(f), p.f[f], m->w[f]);
        if (p.gap < 0)
            printf("  gap    unknown (a date is missing): time factor 1\n");
        else
            printf("  gap    %d days: time factor %.3f\n", p.gap, p.time);
        if (p.signature)
            printf("  signature shared: entity keys %.2f >= %.2f and stems %.2f >= %.2f "
                   "(half the doubt goes; full weight over %d days)\n",
                   p.f[SIM_ENTS], SIM_SIG_ENTS, p.f[SIM_TERMS], SIM_SIG_TERMS, SIM_SIG_DAYS);
        if (p.tmpl)
            printf("  shape  both headlines are a %s: %s\n", sim_template_name(p.tmpl),
                   p.conflict == SIM_SLOT_NAME  ? "its name slot disagrees (score 0)"
                   : p.conflict == SIM_SLOT_DAY ? "its day slot disagrees (score 0)"
                                                : "its slot agrees");
        if (p.conflict == SIM_SLOT_ORD)
            printf("  ordinals  the headlines count different ones (the second, the third): "
                   "score 0\n");
        if (arch) {
            printf("  archive  %u stored articles up to the later day: soft overlap %.3f "
                   "(shared words %.3f; not part of the score)\n",
                   cooc_docs(arch), soft, why.exact);
            for (size_t k = 0; k < why.n; k++)
                printf("    %s ~ %s  (articles with both: npmi %.2f)\n", names_get(&nm, why.link[k].x),
                       names_get(&nm, why.link[k].y), why.link[k].npmi);
        }
    }
    rc = 0;
out:
    cooc_free(arch);
    names_free(&nm);
    sv_free(&va);
    sv_free(&vb);
    rasd_text_free(t);
    side_free(&A);
    side_free(&B);
    return rc;
}
