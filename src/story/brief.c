/*
 * brief.c — builds the brief of a story as JSON (brief.h).
 *
 * Sources. Outlets are not independent: a near-copy (ingest's copy_of)
 * and articles crediting the same agency are one source. Corroboration
 * counts sources, never articles.
 *
 * Summary. Every sentence of every article becomes a stem vector (content
 * words, weighted by how rare the stem is among the story's sentences).
 * A sentence is supported by another article when that article has a
 * sentence with cosine >= support (0.6: below it, hand checks found
 * related sentences that do not say the same thing). Its score is its centrality — for each
 * other source, its best cosine with that source's sentences, summed — plus
 * a small bonus for leads. Sentences are then chosen by maximal marginal
 * relevance (λ = 0.7): each pick trades score against its closest cosine
 * with what was already picked, so one wire paragraph is not told three
 * times. Each chosen sentence lists its own outlet and its supporters'.
 *
 * Timeline. The date recogniser (annotate/dates.h) on every article,
 * resolved against its publication date; one entry per value with the
 * first sentence that gives it and every outlet that does.
 *
 * Entities. The stored mentions of the story's articles grouped by key:
 * the commonest spelling names the entity, all spellings listed.
 */
#include "story/brief_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/annotate.h"
#include "views/load.h"
#include "annotate/dates.h"
#include "annotate/quotes.h"
#include "story/conflicts.h"
#include "story/vector.h"

void brief_opts_default(BriefOpts *o)
{
    o->max_sentences = 8;
    o->min_sentences = 5;
    o->support = 0.6;
}


typedef struct Sent {
    size_t art;          /* index into arts */
    uint32_t start, end; /* bytes in the article's text */
    uint32_t pos;        /* sentence number in its article */
    SvTerm *t;           /* weighted stems, sorted by id, normalised */
    uint32_t n;
    double score;
    uint8_t eligible;    /* may be a summary sentence */
} Sent;


static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

/*
 * The name a citation shows: the outlet, else the agency credited, else the
 * site of its URL, else the start of its title — never the hex id, which
 * means nothing to a reader. malloc'd.
 */
static char *citation_name(const char *outlet, const char *agency, const char *url,
                           const char *title)
{
    Buf b = {0};
    if (rasd_cite_name(&b, outlet, agency, url, title) && !b.oom)
        return buf_steal(&b);
    buf_free(&b);
    return NULL; /* named from its text once loaded (story_annotations) */
}

static int on_article(void *p, const StoryArticle *r)
{
    Ctx *c = p;
    if (c->event && r->event.id != c->event)
        return 0;
    if (c->narts == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        BArt *na = realloc(c->arts, nc * sizeof *na);
        if (!na) {
            c->oom = 1;
            return 1;
        }
        c->arts = na;
        c->cap = nc;
    }
    if (!c->thread) { /* the first row (a story may have no headline) */
        const StoredStory *s = c->event ? &r->event : &r->thread;
        c->thread = r->thread.id;
        c->headline = dup0(s->headline);
        c->first = dup0(s->first);
        c->last = dup0(s->last);
    }
    BArt *a = &c->arts[c->narts++];
    memset(a, 0, sizeof *a);
    a->id = r->article;
    a->copy_of = r->copy_of;
    a->event = r->event.id;
    a->hash = dup0(r->hash);
    a->outlet = dup0(r->outlet);
    a->title = dup0(r->title);
    a->published = dup0(r->published);
    a->agency = dup0(r->agency);
    a->url = dup0(r->url);
    a->name = citation_name(r->outlet, r->agency, r->url, r->title);
    return 0;
}

static int find_root(int *parent, int x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

/* Copies and same-agency articles are one source. */
static void sources(Ctx *c)
{
    int *parent = malloc((c->narts + 1) * sizeof *parent);
    if (!parent) {
        for (size_t i = 0; i < c->narts; i++)
            c->arts[i].source = (int)i;
        return;
    }
    for (size_t i = 0; i < c->narts; i++)
        parent[i] = (int)i;
    for (size_t i = 0; i < c->narts; i++)
        for (size_t j = 0; j < i; j++) {
            const BArt *a = &c->arts[i], *b = &c->arts[j];
            int same = (a->copy_of && a->copy_of == b->id) || (b->copy_of && b->copy_of == a->id) ||
                       (a->agency && b->agency && !strcmp(a->agency, b->agency));
            if (same)
                parent[find_root(parent, (int)i)] = find_root(parent, (int)j);
        }
    for (size_t i = 0; i < c->narts; i++)
        c->arts[i].source = find_root(parent, (int)i);
    free(parent);
}

const char *brief_art_text(const BArt *a)
{
    return a->doc ? rasd_doc_text(a->doc, NULL) : "";
}

static int content(const rasd_token *t)
{
    return (t->type == RASD_TOK_ARABIC || t->type == RASD_TOK_LATIN) &&
           !(t->flags & RASD_TF_STOP) && t->stem_len >= 2;
}

static int by_id(const void *x, const void *y)
{
    const SvTerm *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Does [p, p+n) contain the NUL-terminated k? */
static int has_bytes(const char *p, size_t n, const char *k)
{
    size_t kl = strlen(k);
    for (size_t i = 0; kl <= n && i <= n - kl; i++)
        if (p[i] == k[0] && !memcmp(p + i, k, kl))
            return 1;
    return 0;
}

/*
 * The end of a byline opening [s,e): at most five words, a dash among
 * them, then a colon, within the first 60 bytes ("سبق- متابعة:"، "واس-
 * نجران:"، "عبدالله البرقاوي- سبق-الرياض:"); the offset after the colon
 * and its spaces, or 0.
 */
static uint32_t byline_end(const char *t, uint32_t s, uint32_t e)
{
    int dash = 0, words = 1;
    for (uint32_t i = s; i < e && i < s + 60; i++) {
        if (t[i] == '-' || (i + 3 <= e && !memcmp(t + i, "–", 3)))
            dash = 1;
        else if (t[i] == ' ' && i > s && t[i - 1] != ' ' && t[i - 1] != '-')
            words++;
        else if (t[i] == '\n' || t[i] == '.' || (i + 2 <= e && !memcmp(t + i, "،", 2)))
            return 0;
        else if (t[i] == ':') {
            if (!dash || words > 5)
                return 0;
            i++;
            while (i < e && (t[i] == ' ' || t[i] == '\n'))
                i++;
            return i;
        }
    }
    return 0;
}

/* Sentence vectors; df counted over the story's sentences. */
static int build_sentences(Ctx *c, Sent **out, size_t *nout)
{
    size_t cap = 0, n = 0;
    Sent *s = NULL;
    IdMap df = { 0 };
    for (size_t a = 0; a < c->narts; a++) {
        const rasd_doc *d = c->arts[a].doc;
        if (!d)
            continue;
        const rasd_token *tk = rasd_doc_tokens(d);
        const rasd_sentence *ss = rasd_doc_sentences(d);
        for (size_t k = 0; k < rasd_doc_nsentences(d); k++) {
            size_t words = 0, function = 0;
            for (uint32_t i = ss[k].tok_begin; i < ss[k].tok_end; i++) {
                words += content(&tk[i]);
                function += (tk[i].flags & RASD_TF_STOP) != 0;
            }
            if (!words)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                Sent *ns = realloc(s, cap * sizeof *ns);
                if (!ns)
                    goto oom;
                s = ns;
            }
            Sent *x = &s[n++];
            memset(x, 0, sizeof *x);
            x->art = a;
            x->start = ss[k].start;
            x->end = ss[k].end;
            x->pos = (uint32_t)k;
            x->t = malloc(words * sizeof *x->t);
            if (!x->t)
                goto oom;
            /* distinct stems with counts */
            for (uint32_t i = ss[k].tok_begin; i < ss[k].tok_end; i++) {
                if (!content(&tk[i]))
                    continue;
                uint64_t id = rasd_hash(tk[i].stem, tk[i].stem_len);
                uint32_t j = 0;
                while (j < x->n && x->t[j].id != id)
                    j++;
                if (j == x->n)
                    x->t[x->n++] = (SvTerm){ id, 0 };
                x->t[j].w += 1;
            }
            for (uint32_t j = 0; j < x->n; j++) {
                uint32_t *slot = idmap_slot(&df, x->t[j].id);
                if (!slot)
                    goto oom;
                (*slot)++;
            }
            /* 6 to 80 content words, not a heading ending in a colon */
            const char *txt = brief_art_text(&c->arts[a]);
            uint32_t e = x->end;
            while (e > x->start && (txt[e - 1] == ' ' || txt[e - 1] == '\n'))
                e--;
            /* a sentence has function words: a line of tags or keywords has none */
            x->eligible = words >= 6 && words <= 80 && function >= 2 &&
                          !(e > x->start && txt[e - 1] == ':');
            /* a site's own link line ("رابط الخبر بصحيفة الوئام: ...") is
               never a summary; a byline ("واس- نجران:"، "فلان- سبق-الرياض:")
               is cut from the sentence it opens */
            if (has_bytes(txt + x->start, x->end - x->start, "رابط الخبر"))
                x->eligible = 0;
            uint32_t by = byline_end(txt, x->start, x->end);
            if (by && by + 40 < x->end)
                x->start = by;
            /* a dateline ("الرياض 26 شوال 1436 هـ ... واس") is article
               metadata: cut from the sentence it opens, never a summary */
            uint32_t dl_s, dl_e;
            if (dates_dateline_of(c->arts[a].an.dates, c->arts[a].an.ndates, &dl_s, &dl_e) &&
                dl_e > x->start && dl_s < x->end) {
                uint32_t st = dl_e;
                while (st < x->end && txt[st] && strchr(" \n\t-:()", txt[st]))
                    st++;
                if (st + 40 < x->end)
                    x->start = st;
                else
                    x->eligible = 0;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        double norm = 0;
        for (uint32_t j = 0; j < s[i].n; j++) {
            double idf = log((n + 1.0) / (idmap_get(&df, s[i].t[j].id) + 1.0)) + 1;
            s[i].t[j].w = (float)((1 + log(s[i].t[j].w)) * idf);
            norm += (double)s[i].t[j].w * s[i].t[j].w;
        }
        norm = sqrt(norm);
        for (uint32_t j = 0; j < s[i].n; j++)
            s[i].t[j].w = norm > 0 ? (float)(s[i].t[j].w / norm) : 0;
        if (s[i].n > 1)
            qsort(s[i].t, s[i].n, sizeof *s[i].t, by_id);
    }
    idmap_free(&df);
    *out = s;
    *nout = n;
    return 0;
oom:
    idmap_free(&df);
    for (size_t i = 0; i < n; i++)
        free(s[i].t);
    free(s);
    return -1;
}

static double cosine(const Sent *a, const Sent *b)
{
    return sv_cosine(a->t, a->n, b->t, b->n);
}

/* Is s the first of its string among those seen (then added to seen)? Out
   of memory it answers yes: a name listed twice is the lesser harm. A set,
   not a scan of the earlier articles: a story can have thousands. */
static int first_seen(StrSet *seen, const char *s)
{
    size_t n = strlen(s);
    return !strset_has(seen, s, n) && (strset_add(seen, s, n), 1);
}

/* The distinct names of the articles flagged in mark, in article order. */
void brief_outlets(const Ctx *c, const uint8_t *mark, const char ***v, size_t *n)
{
    const char **o = views_calloc(c->ar, c->narts, sizeof *o);
    *v = o;
    *n = 0;
    StrSet seen = {0};
    for (size_t a = 0; o && a < c->narts; a++)
        if (mark[a] && c->arts[a].name && first_seen(&seen, c->arts[a].name))
            o[(*n)++] = c->arts[a].r_name;
    strset_free(&seen);
}

/* The distinct outlets the articles flagged in mark name (brief_outlets
   also lists an article without one, by its agency, site or title). */
static size_t count_named_outlets(const Ctx *c, const uint8_t *mark)
{
    size_t n = 0;
    StrSet seen = {0};
    for (size_t a = 0; a < c->narts; a++) {
        const char *o = c->arts[a].outlet;
        n += mark[a] && o && *o && first_seen(&seen, o);
    }
    strset_free(&seen);
    return n;
}

static size_t count_sources(const Ctx *c, const uint8_t *mark)
{
    size_t n = 0;
    for (size_t a = 0; a < c->narts; a++) {
        if (!mark[a])
            continue;
        int dup = 0;
        for (size_t k = 0; k < a && !dup; k++)
            dup = mark[k] && c->arts[k].source == c->arts[a].source;
        n += !dup;
    }
    return n;
}

/* Does sentence x have the term id? (terms sorted by id) */
static int has_term(const Sent *x, uint64_t id)
{
    uint32_t lo = 0, hi = x->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (x->t[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->n && x->t[lo].id == id;
}

/*
 * How much of sentence x the chosen sentences already say: the share of
 * its vector's weight (sum of squared TF-IDF weights, 1 in all) on stems
 * that some chosen sentence has. A paraphrase from another outlet has a
 * low cosine with each chosen sentence but its facts are all there.
 */
static double covered(const Sent *s, const Sent *x, const size_t *chosen, size_t nc)
{
    double c = 0;
    for (uint32_t j = 0; j < x->n; j++)
        for (size_t k = 0; k < nc; k++)
            if (has_term(&s[chosen[k]], x->t[j].id)) {
                c += (double)x->t[j].w * x->t[j].w;
                break;
            }
    return c;
}

/* Summary sentence pick of s, with its outlets (mark) and supporting
   sentences (support: best cosine per article; support_at: which sentence). */
static void put_sentence(Ctx *c, const BriefOpts *o, const Sent *s, size_t pick,
                         const double *support, const size_t *support_at, const uint8_t *mark,
                         rasd_brief_sentence *out)
{
    const BArt *ar = &c->arts[s[pick].art];
    out->text = views_trimmed(c->ar, brief_art_text(ar), s[pick].start, s[pick].end);
    out->article = ar->r_id;
    out->start = s[pick].start;
    out->end = s[pick].end;
    brief_outlets(c, mark, &out->sources, &out->nsources);
    out->corroboration = (int64_t)count_sources(c, mark);
    out->score = s[pick].score;
    /* the sentence each supporting article gives: the citation's evidence */
    size_t ns = 0;
    for (size_t a = 0; a < c->narts; a++)
        ns += a != s[pick].art && support[a] >= o->support;
    rasd_brief_support *sp = views_calloc(c->ar, ns, sizeof *sp);
    for (size_t a = 0; sp && a < c->narts; a++) {
        if (a == s[pick].art || support[a] < o->support)
            continue;
        const Sent *x = &s[support_at[a]];
        rasd_brief_support *y = &sp[out->nsupport++];
        y->article = c->arts[a].r_id;
        y->outlet = c->arts[a].r_outlet;
        y->similarity = support[a];
        y->text = views_trimmed(c->ar, brief_art_text(&c->arts[a]), x->start, x->end);
    }
    out->support = sp;
}

static void summary(Ctx *c, const BriefOpts *o, Sent *s, size_t n)
{
    /* best cosine of each sentence with each other article */
    double *best = calloc(c->narts ? c->narts : 1, sizeof *best);
    double **support = calloc(n ? n : 1, sizeof *support);
    size_t **support_at = calloc(n ? n : 1, sizeof *support_at); /* its best sentence there */
    size_t *best_at = calloc(c->narts ? c->narts : 1, sizeof *best_at);
    IdMap post = { 0 }; /* stem -> posting list index + 1 */
    size_t **lists = NULL, *lens = NULL, *caps = NULL, nl = 0, capl = 0;
    float **wts = NULL; /* per posting: the stem's weight in that sentence */
    double *acc = calloc(n ? n : 1, sizeof *acc);
    double *dot = calloc(n ? n : 1, sizeof *dot); /* sentence i's cosine with each touched one */
    size_t *touched = malloc((n ? n : 1) * sizeof *touched);
    if (!best || !support || !support_at || !best_at || !acc || !dot || !touched)
        goto done;
    for (size_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < s[i].n; j++) {
            uint32_t *slot = idmap_slot(&post, s[i].t[j].id);
            if (!slot)
                goto done;
            if (!*slot) {
                if (nl == capl) { /* doubling: one stem at a time was 5 % of the refresh */
                    size_t nc = capl ? capl * 2 : 256;
                    size_t **nlst = realloc(lists, nc * sizeof *nlst);
                    size_t *nlen = realloc(lens, nc * sizeof *nlen);
                    size_t *ncap = realloc(caps, nc * sizeof *ncap);
                    float **nw = realloc(wts, nc * sizeof *nw);
                    if (nlst)
                        lists = nlst;
                    if (nlen)
                        lens = nlen;
                    if (ncap)
                        caps = ncap;
                    if (nw)
                        wts = nw;
                    if (!nlst || !nlen || !ncap || !nw)
                        goto done;
                    capl = nc;
                }
                lists[nl] = NULL;
                wts[nl] = NULL;
                lens[nl] = caps[nl] = 0;
                *slot = (uint32_t)++nl;
            }
            size_t L = *slot - 1;
            if (lens[L] == caps[L]) {
                size_t nc = caps[L] ? caps[L] * 2 : 4;
                size_t *nv = realloc(lists[L], nc * sizeof *nv);
                if (nv)
                    lists[L] = nv;
                float *nwl = realloc(wts[L], nc * sizeof *nwl);
                if (nwl)
                    wts[L] = nwl;
                if (!nv || !nwl)
                    goto done;
                caps[L] = nc;
            }
            wts[L][lens[L]] = s[i].t[j].w;
            lists[L][lens[L]++] = i;
        }
    for (size_t i = 0; i < n; i++) {
        size_t nt = 0;
        /* the cosines summed along the postings: per touched sentence, the
           products of the stems both have, added in stem order as
           sv_cosine's merge adds them, so the same number to the bit */
        for (uint32_t j = 0; j < s[i].n; j++) {
            size_t L = idmap_get(&post, s[i].t[j].id) - 1;
            double wi = s[i].t[j].w;
            for (size_t k = 0; k < lens[L]; k++) {
                size_t x = lists[L][k];
                if (s[x].art == s[i].art)
                    continue;
                if (acc[x] == 0) { /* first shared stem: a candidate */
                    acc[x] = 1;
                    dot[x] = 0;
                    touched[nt++] = x;
                }
                dot[x] += wi * wts[L][k];
            }
        }
        for (size_t a = 0; a < c->narts; a++)
            best[a] = 0;
        for (size_t k = 0; k < nt; k++) {
            size_t x = touched[k];
            double cs = dot[x];
            if (cs > best[s[x].art]) {
                best[s[x].art] = cs;
                best_at[s[x].art] = x;
            }
            acc[x] = 0;
        }
        support[i] = malloc((c->narts ? c->narts : 1) * sizeof **support);
        if (!support[i])
            goto done;
        memcpy(support[i], best, c->narts * sizeof *best);
        support_at[i] = malloc((c->narts ? c->narts : 1) * sizeof **support_at);
        if (!support_at[i])
            goto done;
        memcpy(support_at[i], best_at, c->narts * sizeof *best_at);
        /* centrality: best match per other independent source */
        double cen = 0;
        for (size_t a = 0; a < c->narts; a++) {
            if (c->arts[a].source == c->arts[s[i].art].source || best[a] <= 0)
                continue;
            int seen = 0; /* one value per source: its best article */
            for (size_t k = 0; k < a && !seen; k++)
                seen = c->arts[k].source == c->arts[a].source && best[k] >= best[a];
            if (!seen)
                cen += best[a];
        }
        s[i].score = cen + 0.3 / (1 + s[i].pos);
    }
    /* maximal marginal relevance */
    double top = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].eligible && s[i].score > top)
            top = s[i].score;
    size_t want = (size_t)o->max_sentences, chosen[64], nc = 0;
    if (want > 64)
        want = 64;
    uint8_t *mark = calloc(c->narts ? c->narts : 1, 1);
    rasd_brief_sentence *sum = views_calloc(c->ar, want, sizeof *sum);
    c->out->summary = sum;
    while (mark && sum && nc < want && top > 0) {
        size_t pick = n;
        double pv = -1e9;
        for (size_t i = 0; i < n; i++) {
            if (!s[i].eligible)
                continue;
            double red = 0;
            int taken = 0;
            for (size_t k = 0; k < nc; k++) {
                if (chosen[k] == i)
                    taken = 1;
                double cs = cosine(&s[i], &s[chosen[k]]);
                if (cs > red)
                    red = cs;
            }
            /* a near repeat of a chosen sentence, or a sentence whose
               stems the chosen ones already carry (another outlet's
               wording of facts given: hand check, tests/data/brief-labels.tsv) */
            double cov = taken ? 1 : covered(s, &s[i], chosen, nc);
            if (taken || red >= 0.6 || cov > 0.5)
                continue;
            /* an article's opening sentence restates the event (each
               outlet's lead tells what happened): once the summary has
               told it, a lead whose stems the summary partly carries is
               another telling of the same happening */
            if (nc >= 1 && s[i].pos <= 1 && cov > 0.3)
                continue;
            double v = 0.7 * s[i].score / top - 0.3 * red;
            if (v > pv || (v == pv && i < pick)) {
                pv = v;
                pick = i;
            }
        }
        /* past three sentences, one less than 0.3 of the most central is
           mostly another event's paragraph (a roundup's) or a side detail */
        if (pick == n || (nc >= (size_t)o->min_sentences && s[pick].score < 0.15 * top) ||
            (nc >= 3 && s[pick].score < 0.3 * top))
            break;
        chosen[nc++] = pick;
        memset(mark, 0, c->narts);
        mark[s[pick].art] = 1;
        for (size_t a = 0; a < c->narts; a++)
            if (support[pick][a] >= o->support)
                mark[a] = 1;
        put_sentence(c, o, s, pick, support[pick], support_at[pick], mark, &sum[nc - 1]);
        c->out->nsummary = nc;
    }
    free(mark);
done:
    if (support)
        for (size_t i = 0; i < n; i++)
            free(support[i]);
    if (support_at)
        for (size_t i = 0; i < n; i++)
            free(support_at[i]);
    free(support);
    free(support_at);
    free(best_at);
    free(best);
    free(acc);
    free(dot);
    free(touched);
    for (size_t i = 0; i < nl; i++) {
        free(lists[i]);
        free(wts[i]);
    }
    free(lists);
    free(wts);
    free(lens);
    free(caps);
    idmap_free(&post);
}

/* Loads and analyses the story's articles (text, entities with roles, quotes). */
/* The story's articles and metadata, no annotations yet. */
rasd_err brief_story_list(Store *st, int64_t thread, int64_t event, Ctx *c, rasd_error *err)
{
    memset(c, 0, sizeof *c);
    c->st = st;
    c->event = event;
    rasd_err e = store_each_story_article(st, NULL, event ? -event : thread, on_article, c, err);
    if (e == RASD_OK && c->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK && !c->narts)
        e = event ? rasd_fail(err, RASD_ENOTFOUND, "no event %lld", (long long)event)
                  : rasd_fail(err, RASD_ENOTFOUND, "no story %lld (see `rasd stories`)",
                              (long long)thread);
    c->total = c->narts;
    return e;
}

/* Articles a brief reads at most: the summary and the conflicts compare
   every pair, and a 3,000-article story must still be briefed in bounded
   time. Beyond it, originals before near-copies, evenly over time. */
#define BRIEF_MAX_ARTICLES 60

static void art_free(BArt *x);

static void story_sample(Ctx *c)
{
    if (c->narts <= BRIEF_MAX_ARTICLES)
        return;
    uint8_t *keep = calloc(c->narts, 1);
    if (!keep)
        return;
    size_t originals = 0, kept = 0;
    for (size_t a = 0; a < c->narts; a++)
        originals += c->arts[a].copy_of == 0;
    /* every k-th original, then copies the same way if room is left */
    for (int pass = 0; pass < 2 && kept < BRIEF_MAX_ARTICLES; pass++) {
        size_t pool = pass ? c->narts - originals : originals;
        size_t room = BRIEF_MAX_ARTICLES - kept, seen = 0;
        for (size_t a = 0; a < c->narts && pool; a++) {
            if ((c->arts[a].copy_of == 0) != (pass == 0))
                continue;
            /* take item seen when it crosses the next multiple of pool/room */
            if ((seen * room) / pool != ((seen + 1) * room) / pool && kept < BRIEF_MAX_ARTICLES) {
                keep[a] = 1;
                kept++;
            }
            seen++;
        }
    }
    size_t w = 0;
    for (size_t a = 0; a < c->narts; a++) {
        if (keep[a])
            c->arts[w++] = c->arts[a];
        else
            art_free(&c->arts[a]);
    }
    c->narts = w;
    free(keep);
}

/* Each article's stored annotations (never re-analysed), then its source. */
static rasd_err story_annotations(Ctx *c, rasd_error *err)
{
    rasd_err e = RASD_OK;
    story_sample(c);
    for (size_t a = 0; e == RASD_OK && a < c->narts; a++) {
        BArt *x = &c->arts[a];
        e = annot_load(c->st, x->id, &x->an, err);
        if (e != RASD_OK)
            break;
        x->doc = x->an.doc;
        if (!x->name) /* no outlet, agency, URL or title: the start of its text */
            x->name = citation_name(NULL, NULL, NULL, rasd_doc_text(x->doc, NULL));
        x->ents = x->an.ents;
        x->quotes = x->an.quotes;
        memset(&x->an.ents, 0, sizeof x->an.ents);
        memset(&x->an.quotes, 0, sizeof x->an.quotes);
    }
    if (e == RASD_OK)
        sources(c);
    return e;
}

/*
 * The signature of what a stored brief or conflict list was built from:
 * the story's articles (ids, in listing order) and this file's output
 * version. A story that gains or loses an article gets a new one, so a
 * stored result is never served for other members.
 */
#define BRIEF_VERSION 15 /* 7: nationality adjectives left out of the names (session 5);
                            8: conflict values cite each sentence (article, outlet, URL,
                            byte offsets) and the HTML brief links cited sentences; 9: a
                            name is shown by the names list's rule; 10: one-word nisba
                            adjectives are no names either (session 6); 11: a name's
                            spellings clitic-free, most used first, its name by
                            store_display_spelling; a conflict says whether it is an
                            update and when each value was first published (session 7);
                            12 (session 8): an article's lead that partly restates the
                            summary is left out; every summary sentence, timeline date and
                            quote carries a "cite" (article, outlet name, URL, bytes);
                            13 (session 9): a name's spellings that differ only by marks,
                            tatweel, invisible characters or letter forms are one; 14
                            (session 9): the stored form leaves those cites out (the
                            reader fills them from the document list); named_outlets;
                            15 (session 10): a surname alone (or a given name and
                            surname) joins the story's one person of that name; a
                            speaker is shown by its name in the names list */
int64_t brief_story_sig(const Ctx *c)
{
    uint64_t h = rasd_hash("brief", 5) ^ BRIEF_VERSION;
    h ^= (uint64_t)CONFLICTS_VERSION << 32;
    for (size_t a = 0; a < c->narts; a++) {
        int64_t v[2] = {c->arts[a].id, c->arts[a].event};
        h = rasd_hash(v, sizeof v) ^ (h * 0x9E3779B97F4A7C15ull);
    }
    return (int64_t)(h >> 1);
}

static int64_t cache_id(const Ctx *c) { return c->event ? -c->event : c->thread; }

static void art_free(BArt *x)
{
    quotes_free(&x->quotes);
    entities_free(&x->ents);
    annotated_free(&x->an);
    free(x->hash);
    free(x->outlet);
    free(x->title);
    free(x->published);
    free(x->agency);
    free(x->url);
    free(x->name);
}

void brief_story_free(Ctx *c)
{
    for (size_t a = 0; a < c->narts; a++)
        art_free(&c->arts[a]);
    free(c->arts);
    free(c->headline);
    free(c->first);
    free(c->last);
}

/* The story's conflicts into set, allocated in a. */
static rasd_err collect_conflicts(Ctx *c, Arena *a, rasd_conflict_set *set, rasd_error *err)
{
    ConflictDoc *d = calloc(c->narts ? c->narts : 1, sizeof *d);
    if (!d)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->narts; i++)
        d[i] = (ConflictDoc){ c->arts[i].doc, &c->arts[i].ents, &c->arts[i].quotes,
                              c->arts[i].published, c->arts[i].name, c->arts[i].hash,
                              c->arts[i].source, c->arts[i].an.dates, c->arts[i].an.ndates,
                              c->arts[i].an.quants, c->arts[i].an.nquants };
    set->story = c->event ? 0 : c->thread;
    set->event = c->event;
    rasd_err e = conflicts_collect(d, c->narts, NULL, a, set, err);
    free(d);
    /* each cited sentence's URL, from the story's articles */
    for (size_t i = 0; e == RASD_OK && i < set->n; i++)
        for (size_t k = 0; k < set->items[i].nvalues; k++) {
            const rasd_conflict_value *v = &set->items[i].values[k];
            rasd_citation *ct = (rasd_citation *)v->cites; /* in arena a: ours to fill */
            for (size_t j = 0; j < v->ncites; j++)
                for (size_t x = 0; x < c->narts && !ct[j].url; x++)
                    if (c->arts[x].hash && ct[j].article && !strcmp(c->arts[x].hash, ct[j].article))
                        ct[j].url = views_str(a, c->arts[x].url);
        }
    return e;
}

/* Appends a stored result if it is current: *found. "N <json>" for conflicts. */
rasd_err brief_cache_get(Ctx *c, const char *kind, int64_t sig, Buf *out, int *found,
                          rasd_error *err)
{
    return store_get_cache(c->st, kind, cache_id(c), sig, out, found, err);
}

/* Stores a result; a read-only store or a failure only costs the next reader time. */
static void cache_put(Ctx *c, const char *kind, int64_t sig, const char *body, size_t n)
{
    store_put_cache(c->st, kind, cache_id(c), sig, body, n, NULL);
}

/* The conflicts view's stored form: "N <JSON array>". */
static void put_conflicts(Ctx *c, int64_t sig, const rasd_conflict_set *set)
{
    Buf cf = {0};
    buf_printf(&cf, "%zu ", set->n);
    views_conflicts_json(set, &cf);
    if (!cf.oom)
        cache_put(c, "conflicts", sig, cf.data, cf.len);
    buf_free(&cf);
}

/*
 * The conflicts of a story: the stored result when it is current, else
 * found now and stored. Into json (the array, *count of them) and/or *out.
 */
static rasd_err conflicts_view(Store *st, int64_t thread, int64_t event, Buf *json,
                               size_t *count, rasd_conflict_set **out, rasd_error *err)
{
    Ctx c;
    rasd_err e = brief_story_list(st, thread, event, &c, err);
    int64_t sig = e == RASD_OK ? brief_story_sig(&c) : 0;
    int found = 0;
    Buf stored = {0};
    if (e == RASD_OK)
        e = brief_cache_get(&c, "conflicts", sig, &stored, &found, err);
    char *sp = found && stored.data ? memchr(stored.data, ' ', stored.len) : NULL;
    if (e == RASD_OK && sp) {
        size_t n = stored.len - (size_t)(sp + 1 - stored.data);
        if (count)
            *count = (size_t)strtoull(stored.data, NULL, 10);
        if (json)
            buf_append(json, sp + 1, n);
        if (out)
            e = views_conflicts_decode(sp + 1, n, c.event ? 0 : c.thread, c.event, out, err);
    } else if (e == RASD_OK) {
        Arena *a = NULL;
        rasd_conflict_set *set = views_conflicts_new(&a);
        e = set ? story_annotations(&c, err) : rasd_fail(err, RASD_ENOMEM, "out of memory");
        if (e == RASD_OK)
            e = collect_conflicts(&c, a, set, err);
        if (e == RASD_OK) {
            put_conflicts(&c, sig, set);
            if (count)
                *count = set->n;
            if (json)
                views_conflicts_json(set, json);
        }
        if (e == RASD_OK && out)
            *out = set;
        else
            rasd_conflict_set_free(set);
    }
    buf_free(&stored);
    brief_story_free(&c);
    return e;
}

rasd_err story_conflicts(Store *st, int64_t thread, int64_t event, Buf *json, size_t *count,
                         rasd_error *err)
{
    return conflicts_view(st, thread, event, json, count, NULL, err);
}

rasd_err story_conflict_set(Store *st, int64_t thread, int64_t event, rasd_conflict_set **out,
                            rasd_error *err)
{
    return conflicts_view(st, thread, event, NULL, NULL, out, err);
}

/* The documents a brief cites. */
static void documents(Ctx *c)
{
    rasd_brief_document *d = views_calloc(c->ar, c->narts, sizeof *d);
    c->out->documents = d;
    c->out->ndocuments = d ? c->narts : 0;
    for (size_t a = 0; d && a < c->narts; a++) {
        const BArt *x = &c->arts[a];
        d[a] = (rasd_brief_document){x->r_id, x->r_outlet, x->r_name,
                                     views_str(c->ar, x->url), views_str(c->ar, x->title),
                                     views_str(c->ar, x->published), x->event, x->source};
    }
}

/* Builds the brief of the listed story from its stored annotations. */
static rasd_err brief_make(Ctx *c, int64_t event, const BriefOpts *o, rasd_error *err)
{
    rasd_err e = story_annotations(c, err);
    Sent *s = NULL;
    size_t ns = 0;
    if (e == RASD_OK && build_sentences(c, &s, &ns) < 0)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK && !(c->out = views_brief_new(&c->ar)))
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    if (e == RASD_OK) {
        rasd_brief *b = c->out;
        for (size_t a = 0; a < c->narts; a++) {
            c->arts[a].r_id = views_str(c->ar, c->arts[a].hash);
            c->arts[a].r_outlet = views_str(c->ar, c->arts[a].outlet);
            c->arts[a].r_name = views_str(c->ar, c->arts[a].name);
        }
        b->story = c->thread;
        b->event = event;
        b->headline = views_str(c->ar, c->headline);
        b->first = views_str(c->ar, c->first);
        b->last = views_str(c->ar, c->last);
        b->articles = (int64_t)c->total;
        b->read = (int64_t)c->narts;
        uint8_t *all = calloc(c->narts ? c->narts : 1, 1);
        if (all) {
            memset(all, 1, c->narts);
            b->sources = (int64_t)count_sources(c, all);
            brief_outlets(c, all, &b->outlets, &b->noutlets);
            b->named_outlets = (int64_t)count_named_outlets(c, all);
        }
        free(all);
        summary(c, o, s, ns);
        brief_timeline(c);
        brief_entities(c);
        brief_quotes(c);
        e = collect_conflicts(c, c->ar, &b->conflicts, err);
        documents(c);
        views_brief_cite(b); /* every claim's outlet name and URL, from the documents */
        if (e == RASD_OK && (c->ar->oom || c->oom))
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ns; i++)
        free(s[i].t);
    free(s);
    return e;
}

/*
 * The brief of a story: the stored one when it is current, else built now
 * and stored (with its conflicts, for the conflicts view). Into json (its
 * JSON form) and/or *out.
 */
static rasd_err brief_view(Store *st, int64_t thread, int64_t event, const BriefOpts *o,
                           Buf *json, rasd_brief **out, rasd_error *err)
{
    BriefOpts def;
    if (!o) {
        brief_opts_default(&def);
        o = &def;
    }
    Ctx c;
    rasd_err e = brief_story_list(st, thread, event, &c, err);
    int64_t sig = e == RASD_OK ? brief_story_sig(&c) : 0;
    int found = 0;
    Buf stored = {0};
    if (e == RASD_OK)
        e = brief_cache_get(&c, "brief", sig, &stored, &found, err);
    if (e == RASD_OK && found) {
        rasd_brief *b = NULL; /* the stored form has no cites: decoded, written with them */
        if (json || out)
            e = views_brief_decode(stored.data, stored.len, &b, err);
        if (e == RASD_OK && json)
            views_brief_json(b, json);
        if (e == RASD_OK && out)
            *out = b;
        else
            rasd_brief_free(b);
    } else if (e == RASD_OK) {
        e = brief_make(&c, event, o, err);
        if (e == RASD_OK) {
            buf_reset(&stored);
            views_brief_json_stored(c.out, &stored);
            if (stored.oom) {
                e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            } else {
                put_conflicts(&c, sig, &c.out->conflicts);
                cache_put(&c, "brief", sig, stored.data, stored.len);
                if (json)
                    views_brief_json(c.out, json);
            }
        }
        if (e == RASD_OK && out)
            *out = c.out;
        else
            rasd_brief_free(c.out);
    }
    buf_free(&stored);
    brief_story_free(&c);
    return e;
}

rasd_err brief_build(Store *st, int64_t thread, int64_t event, const BriefOpts *o, Buf *json,
                     rasd_error *err)
{
    rasd_err e = brief_view(st, thread, event, o, json, NULL, err);
    return e == RASD_OK && json && json->oom ? rasd_fail(err, RASD_ENOMEM, "out of memory") : e;
}

rasd_err brief_get(Store *st, int64_t thread, int64_t event, const BriefOpts *o,
                   rasd_brief **out, rasd_error *err)
{
    return brief_view(st, thread, event, o, NULL, out, err);
}
