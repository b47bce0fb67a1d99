/*
 * eval_conflicts.c — recall of the conflict detector (story/conflicts.h) on
 * a planted set built from real SaudiNewsNet near-copies.
 *   eval_conflicts [-k PER_SLOT] [-t T] [-v [-v]] DAY.json...
 * -v lists every plant (found or MISSED, the text replaced, the new text);
 * -v -v also prints the two sentences of each missed one.
 *
 * Building the set (deterministic: same files, same set). Day by day, in
 * the order given, articles of different outlets whose MinHash similarity
 * is at least t (found through the LSH bands, as ingest finds
 * near-copies) are aligned (story/align.h). In every aligned sentence pair
 * of similarity >= 0.7 the B sentence is searched for one slot of each
 * kind that the A sentence states the same way:
 *   figure   a plain counted figure (quantities.h, exact, not a
 *            percentage) equal on both sides: the digits become 2v+3;
 *   date     an explicit date (dates.h) of equal value on both sides,
 *            written with digits: a year moves back one, a day by five;
 *   holder   a person named with a single-holder office, the same person
 *            with an office on the A side: the name becomes another
 *            person's (a donor name: the first two-word-or-longer person
 *            name met earlier that shares no word with it);
 *   speaker  the person named at the cue of a direct quotation, quoted on
 *            the A side too: the name becomes a donor name.
 * The B article is rewritten at that place only, analysed again, and
 * conflicts_find runs on (A, B') as two outlets of one story on one day.
 * A plant is found when a conflict of the expected kind (number, date,
 * role, attribution) has the planted text in one of its values. At most
 * k plants per slot (default 30), one per slot per article pair, and one
 * per slot per sentence text (wire copy repeats a sentence in many pairs).
 *
 * Also counted: the conflicts reported on the same article pairs before
 * planting (the detector's reports on unmodified near-copies; each is a
 * false alarm unless the copies really disagree).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "annotate/analyze.h"
#include "annotate/dates.h"
#include "annotate/ner.h"
#include "annotate/quantities.h"
#include "annotate/quotes.h"
#include "annotate/roles.h"
#include "ingest/walk.h"
#include "story/align.h"
#include "story/conflicts.h"
#include "story/fingerprint.h"
#include "text/text.h"

enum { S_FIGURE, S_DATE, S_HOLDER, S_SPEAKER, NSLOT };
static const char *const SLOT_NAME[NSLOT] = { "figure", "date", "holder", "speaker" };
static const char *const SLOT_KIND[NSLOT] = { "number", "date", "role", "attribution" };

typedef struct Doc {
    rasd_doc *d;              /* analysed body */
    const char *outlet;       /* borrowed from the batch */
    const char *published;    /* borrowed from the batch */
    uint32_t sig[FP_MINHASH]; /* MinHash */
    uint64_t keys[FP_BANDS];  /* LSH band keys */
    int annotated;            /* ents and quotes are filled */
    EntityList ents;
    QuoteList quotes;
} Doc;

typedef struct Plant {
    uint32_t start, end; /* bytes of B's text replaced */
    char with[160];      /* the new text */
    char probe[160];     /* what a found conflict's value must contain */
} Plant;

static rasd_text *g_text;
/* hashes of the B sentences already planted in, per slot: wire copy
   repeats one sentence in many pairs, and each should count once */
static uint64_t *g_seen;
static size_t g_nseen, g_capseen;

static int seen_before(int slot, const rasd_doc *d, const rasd_sentence *s)
{
    const char *t = rasd_doc_text(d, NULL);
    uint64_t h = rasd_hash(t + s->start, s->end - s->start) ^ (uint64_t)(slot + 1);
    for (size_t i = 0; i < g_nseen; i++)
        if (g_seen[i] == h)
            return 1;
    if (g_nseen == g_capseen) {
        g_capseen = g_capseen ? g_capseen * 2 : 256;
        uint64_t *x = realloc(g_seen, g_capseen * sizeof *x);
        if (!x)
            exit(1);
        g_seen = x;
    }
    g_seen[g_nseen++] = h;
    return 0;
}
static char **g_donors; /* person names met so far (malloc'd) */
static size_t g_ndonors, g_capdonors;

static void annotate(Doc *x)
{
    if (x->annotated)
        return;
    x->annotated = 1;
    if (analyze_entities(x->d, &x->ents, NULL) != RASD_OK)
        memset(&x->ents, 0, sizeof x->ents);
    else if (quotes_find(x->d, &x->ents, &x->quotes, NULL) != RASD_OK)
        memset(&x->quotes, 0, sizeof x->quotes);
}


static void add_donors(const Doc *x)
{
    const char *t = rasd_doc_text(x->d, NULL);
    for (size_t i = 0; i < x->ents.n && g_ndonors < 4000; i++) {
        const Entity *e = &x->ents.items[i];
        if (e->type != NER_PERS || e->end - e->start < 8 || e->end - e->start > 60 ||
            !memchr(t + e->start, ' ', e->end - e->start))
            continue;
        if (g_ndonors == g_capdonors) {
            g_capdonors = g_capdonors ? g_capdonors * 2 : 256;
            char **nd = realloc(g_donors, g_capdonors * sizeof *nd);
            if (!nd)
                exit(1);
            g_donors = nd;
        }
        char *s = malloc(e->end - e->start + 1);
        if (!s)
            exit(1);
        memcpy(s, t + e->start, e->end - e->start);
        s[e->end - e->start] = 0;
        g_donors[g_ndonors++] = s;
    }
}

/* Does any space-separated word of a (length an) occur in b? */
static int shares_word(const char *a, size_t an, const char *b)
{
    for (size_t i = 0; i < an;) {
        size_t l = 0;
        while (i + l < an && a[i + l] != ' ')
            l++;
        for (const char *p = b; *p;) {
            size_t m = strcspn(p, " ");
            if (m == l && l > 1 && !memcmp(p, a + i, l))
                return 1;
            p += m;
            p += *p == ' ';
        }
        i += l + 1;
    }
    return 0;
}

/* The k-th donor name sharing no word with the name [s, s+n). */
static const char *donor_for(const char *s, size_t n, size_t k)
{
    for (size_t i = 0; i < g_ndonors; i++) {
        if (shares_word(s, n, g_donors[i]))
            continue;
        if (k-- == 0)
            return g_donors[i];
    }
    return NULL;
}

static int in_sentence(uint32_t s, uint32_t e, const rasd_sentence *x)
{
    return s >= x->start && e <= x->end;
}

/* ---- finding a slot in an aligned pair ---- */

static int plant_figure(Doc *A, const rasd_sentence *sa, Doc *B, const rasd_sentence *sb,
                        Plant *p)
{
    Quantity *qa = NULL, *qb = NULL;
    size_t na = 0, nb = 0;
    int ok = 0;
    if (quantities_find(A->d, &qa, &na, NULL) != RASD_OK ||
        quantities_find(B->d, &qb, &nb, NULL) != RASD_OK)
        goto done;
    const rasd_token *tb = rasd_doc_tokens(B->d);
    for (size_t j = 0; j < nb && !ok; j++) {
        const Quantity *y = &qb[j];
        if (!in_sentence(y->start, y->end, sb) || y->noun == QUANT_NO_NOUN || y->percent ||
            y->kind != QUANT_EXACT || y->num_end != y->num_begin + 1 || y->value < 2 ||
            y->value > 1e7 || y->value != floor(y->value) || tb[y->num_begin].type != RASD_TOK_NUMBER)
            continue;
        const rasd_token *nt = &tb[y->num_begin];
        const char *txt = rasd_doc_text(B->d, NULL);
        int ascii = 1;
        for (uint32_t c = nt->start; c < nt->end; c++)
            ascii &= txt[c] >= '0' && txt[c] <= '9';
        if (!ascii)
            continue;
        for (size_t i = 0; i < na && !ok; i++)
            if (in_sentence(qa[i].start, qa[i].end, sa) && quant_same_thing(A->d, &qa[i], B->d, y) &&
                quant_compat(&qa[i], y) == QC_EQUAL) {
                long v = (long)y->value * 2 + 3;
                p->start = nt->start;
                p->end = nt->end;
                snprintf(p->with, sizeof p->with, "%ld", v);
                snprintf(p->probe, sizeof p->probe, "%ld", v);
                ok = 1;
            }
    }
done:
    free(qa);
    free(qb);
    return ok;
}

static int plant_date(Doc *A, const rasd_sentence *sa, Doc *B, const rasd_sentence *sb, Plant *p)
{
    DateSpan *da = NULL, *db = NULL;
    size_t na = 0, nb = 0;
    char day[11];
    snprintf(day, sizeof day, "%.10s", B->published ? B->published : "");
    int ok = 0;
    if (dates_find(A->d, day[0] ? day : NULL, 0, &da, &na, NULL) != RASD_OK ||
        dates_find(B->d, day[0] ? day : NULL, 0, &db, &nb, NULL) != RASD_OK)
        goto done;
    const rasd_token *tb = rasd_doc_tokens(B->d);
    const char *txt = rasd_doc_text(B->d, NULL);
    for (size_t j = 0; j < nb && !ok; j++) {
        const DateSpan *y = &db[j];
        if (!in_sentence(y->start, y->end, sb) || y->kind != DATE_KIND_DATE || y->relative ||
            y->value[0] == '?' || strchr(y->value, '/'))
            continue;
        int same = 0;
        for (size_t i = 0; i < na && !same; i++)
            same = in_sentence(da[i].start, da[i].end, sa) && !da[i].relative &&
                   !strcmp(da[i].value, y->value);
        if (!same)
            continue;
        for (size_t k = 0; k < rasd_doc_ntokens(B->d) && !ok; k++) {
            const rasd_token *t = &tb[k];
            if (t->start < y->start || t->end > y->end || t->type != RASD_TOK_NUMBER)
                continue;
            size_t len = t->end - t->start;
            int ascii = 1;
            for (uint32_t c = t->start; c < t->end; c++)
                ascii &= txt[c] >= '0' && txt[c] <= '9';
            if (!ascii || (len != 4 && len > 2))
                continue;
            long v = strtol(txt + t->start, NULL, 10);
            long nv = len == 4 ? v - 1 : (v <= 20 ? v + 5 : v - 5);
            if (len != 4 && (v < 1 || v > 31))
                continue;
            p->start = t->start;
            p->end = t->end;
            snprintf(p->with, sizeof p->with, "%ld", nv);
            snprintf(p->probe, sizeof p->probe, "%ld", nv);
            ok = 1;
        }
    }
done:
    free(da);
    free(db);
    return ok;
}

static const char *ent_key(const EntityList *l, const Entity *e)
{
    return l->keys.data ? l->keys.data + e->key_off : "";
}

static int plant_holder(Doc *A, const rasd_sentence *sa, Doc *B, const rasd_sentence *sb,
                        size_t nth, Plant *p)
{
    const char *txt = rasd_doc_text(B->d, NULL);
    for (size_t j = 0; j < B->ents.n; j++) {
        const Entity *y = &B->ents.items[j];
        if (y->type != NER_PERS || !y->role || !y->key_len || !in_sentence(y->start, y->end, sb))
            continue;
        const Role *r = &B->ents.roles.items[y->role - 1];
        if (r->flags & (ROLE_FORMER | ROLE_ELECT) || !r->noffices)
            continue;
        size_t ol;
        const char *ok = roles_key(&B->ents.roles, r, 0, &ol);
        if (!roles_same_office(ok, ol, ok, ol))
            continue;
        int same = 0;
        for (size_t i = 0; i < A->ents.n && !same; i++) {
            const Entity *x = &A->ents.items[i];
            same = x->type == NER_PERS && x->role && in_sentence(x->start, x->end, sa) &&
                   x->key_len == y->key_len &&
                   !memcmp(ent_key(&A->ents, x), ent_key(&B->ents, y), y->key_len);
        }
        if (!same)
            continue;
        const char *d = donor_for(txt + y->start, y->end - y->start, nth);
        if (!d)
            return 0;
        p->start = y->start;
        p->end = y->end;
        snprintf(p->with, sizeof p->with, "%s", d);
        snprintf(p->probe, sizeof p->probe, "%.*s", (int)strcspn(d, " "), d);
        return 1;
    }
    return 0;
}

static int plant_speaker(Doc *A, const rasd_sentence *sa, Doc *B, const rasd_sentence *sb,
                         size_t nth, Plant *p)
{
    const char *txt = rasd_doc_text(B->d, NULL);
    for (size_t j = 0; j < B->quotes.n; j++) {
        const Quote *y = &B->quotes.items[j];
        if (!y->direct || y->kind != QS_PERSON || !y->key_len || y->said_start >= y->said_end ||
            !in_sentence(y->said_start, y->said_end, sb))
            continue;
        int same = 0;
        for (size_t i = 0; i < A->quotes.n && !same; i++) {
            const Quote *x = &A->quotes.items[i];
            same = x->direct && x->kind == QS_PERSON && in_sentence(x->said_start, x->said_end, sa) &&
                   x->key_len == y->key_len &&
                   !memcmp(A->quotes.keys.data + x->key_off, B->quotes.keys.data + y->key_off,
                           y->key_len);
        }
        if (!same)
            continue;
        const char *d = donor_for(txt + y->said_start, y->said_end - y->said_start, nth);
        if (!d)
            return 0;
        p->start = y->said_start;
        p->end = y->said_end;
        snprintf(p->with, sizeof p->with, "%s", d);
        snprintf(p->probe, sizeof p->probe, "%.*s", (int)strcspn(d, " "), d);
        return 1;
    }
    return 0;
}

/* ---- running the detector ---- */

/* Conflicts of (A, b_doc) as a parsed JSON array (caller decrefs), NULL on error. */
static json_t *detect(Doc *A, rasd_doc *bd, EntityList *be, QuoteList *bq, const char *bout,
                      const char *bpub)
{
    ConflictDoc docs[2] = {
        { A->d, &A->ents, &A->quotes, A->published, A->outlet, "A", 1, NULL, 0, NULL, 0 },
        { bd, be, bq, bpub, bout, "B", 2, NULL, 0, NULL, 0 } };
    Buf out = {0};
    size_t n;
    json_t *j = NULL;
    if (conflicts_find(docs, 2, NULL, &out, &n, NULL) == RASD_OK)
        j = json_loadb(out.data ? out.data : "[]", out.data ? out.len : 2, 0, NULL);
    buf_free(&out);
    return j;
}

static int found_in(json_t *arr, const char *kind, const char *probe)
{
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *c = json_array_get(arr, i);
        if (strcmp(json_string_value(json_object_get(c, "kind")), kind))
            continue;
        json_t *vals = json_object_get(c, "values");
        for (size_t k = 0; k < json_array_size(vals); k++) {
            const char *v = json_string_value(json_object_get(json_array_get(vals, k), "value"));
            if (v && strstr(v, probe))
                return 1;
        }
    }
    return 0;
}

/* Rewrites B at the plant, runs the detector; 1 found, 0 missed, -1 error. */
static int try_plant(Doc *A, const rasd_sentence *sa, Doc *B, const rasd_sentence *sb,
                     const Plant *p, int slot, int verbose)
{
    size_t len;
    const char *t = rasd_doc_text(B->d, &len);
    Buf nb = {0};
    buf_append(&nb, t, p->start);
    buf_puts(&nb, p->with);
    buf_append(&nb, t + p->end, len - p->end);
    rasd_doc *d = NULL;
    EntityList e;
    QuoteList q;
    memset(&e, 0, sizeof e);
    memset(&q, 0, sizeof q);
    int r = -1;
    if (!nb.oom && rasd_text_analyse(g_text, nb.data, nb.len, &d, NULL) == RASD_OK &&
        analyze_entities(d, &e, NULL) == RASD_OK && quotes_find(d, &e, &q, NULL) == RASD_OK) {
        json_t *j = detect(A, d, &e, &q, B->outlet, B->published);
        if (j) {
            r = found_in(j, SLOT_KIND[slot], p->probe);
            if (verbose)
                printf("%s\t%s\t%.*s\t%s\n", r ? "found" : "MISSED", SLOT_NAME[slot],
                       (int)(p->end - p->start), t + p->start, p->with);
            if (verbose > 1 && !r)
                printf("\tA: %.*s\n\tB: %.*s\n", (int)(sa->end - sa->start),
                       rasd_doc_text(A->d, NULL) + sa->start, (int)(sb->end - sb->start),
                       t + sb->start);
            json_decref(j);
        }
    }
    quotes_free(&q);
    entities_free(&e);
    rasd_doc_free(d);
    buf_free(&nb);
    return r;
}

int main(int argc, char **argv)
{
    double thr = 0.3;
    size_t per = 30;
    int verbose = 0, c;
    while ((c = getopt(argc, argv, "t:k:v")) != -1) {
        if (c == 't') thr = atof(optarg);
        else if (c == 'k') per = (size_t)atol(optarg);
        else if (c == 'v') verbose++;
        else {
            fprintf(stderr, "usage: eval_conflicts [-k PER_SLOT] [-t T] [-v] DAY.json...\n");
            return 2;
        }
    }
    if (rasd_text_new(&g_text, NULL) != RASD_OK)
        return 1;
    size_t planted[NSLOT] = {0}, found[NSLOT] = {0}, pairs = 0, base_reports = 0, days = 0;
    for (int a = optind; a < argc; a++) {
        int full = 1;
        for (int s = 0; s < NSLOT; s++)
            full &= planted[s] >= per;
        if (full)
            break;
        days++;
        Batch b = {0};
        rasd_error err;
        if (ingest_read_file(argv[a], 0, &b, &err) != RASD_OK) {
            fprintf(stderr, "%s\n", err.msg);
            continue;
        }
        Doc *docs = calloc(b.n ? b.n : 1, sizeof *docs);
        size_t n = 0;
        for (size_t i = 0; i < b.n; i++) {
            Doc *x = &docs[n];
            if (!b.items[i].outlet || !b.items[i].published ||
                rasd_text_analyse(g_text, b.items[i].body, strlen(b.items[i].body), &x->d, NULL) !=
                    RASD_OK)
                continue;
            if (!fp_minhash(x->d, x->sig)) {
                rasd_doc_free(x->d);
                continue;
            }
            fp_lsh_keys(x->sig, x->keys);
            x->outlet = b.items[i].outlet;
            x->published = b.items[i].published;
            n++;
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                if (strcmp(docs[i].outlet, docs[j].outlet) == 0)
                    continue;
                int lsh = 0;
                for (int k = 0; k < FP_BANDS && !lsh; k++)
                    lsh = docs[i].keys[k] == docs[j].keys[k];
                if (!lsh || fp_similarity(docs[i].sig, docs[j].sig, FP_MINHASH) < thr)
                    continue;
                Doc *A = &docs[i], *B = &docs[j];
                int fresh_a = !A->annotated, fresh_b = !B->annotated;
                annotate(A);
                annotate(B);
                if (fresh_a)
                    add_donors(A);
                if (fresh_b)
                    add_donors(B);
                pairs++;
                json_t *base = detect(A, B->d, &B->ents, &B->quotes, B->outlet, B->published);
                base_reports += json_array_size(base);
                json_decref(base);
                Alignment al = {0};
                if (align_docs(A->d, B->d, 0, &al, NULL) == RASD_OK) {
                    int done[NSLOT] = {0};
                    const rasd_sentence *ssa = rasd_doc_sentences(A->d);
                    const rasd_sentence *ssb = rasd_doc_sentences(B->d);
                    for (size_t k = 0; k < al.n; k++) {
                        const AlignPair *ap = &al.pairs[k];
                        if (ap->sim < 0.7 || ap->sa == ALIGN_NONE || ap->sb == ALIGN_NONE)
                            continue;
                        for (int s = 0; s < NSLOT; s++) {
                            if (done[s] || planted[s] >= per)
                                continue;
                            Plant p;
                            int ok = s == S_FIGURE   ? plant_figure(A, &ssa[ap->sa], B, &ssb[ap->sb], &p)
                                     : s == S_DATE   ? plant_date(A, &ssa[ap->sa], B, &ssb[ap->sb], &p)
                                     : s == S_HOLDER ? plant_holder(A, &ssa[ap->sa], B, &ssb[ap->sb],
                                                                    planted[s], &p)
                                                     : plant_speaker(A, &ssa[ap->sa], B, &ssb[ap->sb],
                                                                     planted[s], &p);
                            if (!ok || seen_before(s, B->d, &ssb[ap->sb]))
                                continue;
                            done[s] = 1;
                            int r = try_plant(A, &ssa[ap->sa], B, &ssb[ap->sb], &p, s, verbose);
                            if (r < 0)
                                continue;
                            planted[s]++;
                            found[s] += (size_t)r;
                        }
                    }
                }
                align_free(&al);
            }
        for (size_t i = 0; i < n; i++) {
            if (docs[i].annotated) {
                quotes_free(&docs[i].quotes);
                entities_free(&docs[i].ents);
            }
            rasd_doc_free(docs[i].d);
        }
        free(docs);
        batch_free(&b);
    }
    size_t tp = 0, tf = 0;
    printf("planted conflicts in SaudiNewsNet near-copies (%zu days read, %zu article pairs of "
           "MinHash >= %.2f, different outlets):\n",
           days, pairs, thr);
    for (int s = 0; s < NSLOT; s++) {
        printf("  %-8s (%s) planted %3zu found %3zu recall %.2f\n", SLOT_NAME[s], SLOT_KIND[s],
               planted[s], found[s], planted[s] ? (double)found[s] / (double)planted[s] : 0.0);
        tp += planted[s];
        tf += found[s];
    }
    printf("  all      planted %3zu found %3zu recall %.2f\n", tp, tf,
           tp ? (double)tf / (double)tp : 0.0);
    printf("  conflicts reported on the same pairs before planting: %zu\n", base_reports);
    for (size_t i = 0; i < g_ndonors; i++)
        free(g_donors[i]);
    free(g_donors);
    free(g_seen);
    rasd_text_free(g_text);
    return 0;
}
