/*
 * ner_train.c — trains the NER tagger: an averaged structured perceptron.
 *
 * Each training sentence is analysed by the text core exactly as `rasd tag`
 * analyses it, its gold word tags become token tags (first token of a B-
 * word B-, the rest I-), and its feature indexes are computed once. Then,
 * for each epoch, the sentences are visited in an order shuffled by a
 * fixed-seed generator; each is decoded with the current weights and, where
 * the best sequence differs from the gold one, the gold tags' features and
 * transitions gain 1 and the predicted ones lose 1.
 *
 * Averaging (the mean of the weights over all updates, which generalises
 * far better than the last weights) uses the usual trick: alongside each
 * weight w keep u += c·delta, where c counts the sentences seen; the
 * average is then w − u/c. All updates are integers, so the same data and
 * options give the same model bytes on every run.
 *
 * The averaged weights are scaled so that the largest fits int16 and
 * written sparsely (see ner.c for the file layout).
 *
 * A two-stage model (NerTrainOpts.stacked, train_stacked) trains the first
 * stage on every sentence, then NER_STACK_FOLDS more first stages each
 * without one contiguous block, whose tags of that block stand in for
 * tags of unseen text; with the document features those tags give, the
 * second stage is trained on every sentence. Documents are runs of
 * NER_CONLL_DOC sentences. Ten blocks instead of five were tried: no better
 * on the two folds measured.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ner_impl.h"
#include "../text/text.h"

/* A training sentence, as a slice of the flat token arrays. */
typedef struct TSent {
    uint32_t tok;  /* first token in the flat arrays */
    uint32_t n;    /* tokens */
} TSent;

typedef struct Data {
    TSent *sent;      /* training sentences */
    size_t nsent;
    uint8_t *gold;    /* gold tag of every token */
    NerTok *info;     /* what the features need of every token */
    size_t ntok, cap_tok;     /* tokens stored and room in gold/info */
} Data;

/* Feature bucket indexes of every token: token k has feats[foff[k] .. foff[k+1]). */
typedef struct Feats {
    uint32_t *foff;
    uint32_t *feats;
    size_t nfeat, cap_feat;   /* indexes stored and room in feats */
} Feats;

static void data_free(Data *d)
{
    free(d->sent);
    free(d->gold);
    free(d->info);
}

static void feats_free(Feats *f)
{
    free(f->foff);
    free(f->feats);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Gold token tags of sentence s from its word tags. */
static void gold_tokens(const NerConll *c, const uint32_t *tok_word, size_t nt, uint8_t *out)
{
    uint32_t prev = UINT32_MAX;
    for (size_t i = 0; i < nt; i++) {
        uint32_t w = tok_word[i];
        uint8_t g = c->gold[w];
        if (g == NER_O)
            out[i] = NER_O;
        else
            out[i] = w != prev ? g : NER_I(NER_TAG_TYPE(g));
        prev = w;
    }
}

/* Analyses every training sentence and stores its gold tags and token info. */
static rasd_err prepare(const NerConll *c, const size_t *sents, size_t nsents, rasd_text *t,
                        const NerLex *lex, Data *d, rasd_error *err)
{
    d->sent = calloc(nsents ? nsents : 1, sizeof *d->sent);
    if (!d->sent)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t k = 0; k < nsents; k++) {
        if (sents[k] >= c->nsent)
            return rasd_fail(err, RASD_EINVAL, "ner_train: no sentence %zu", sents[k]);
        rasd_doc *doc;
        uint32_t *tw;
        rasd_err rc = ner_conll_analyse(t, c, sents[k], &doc, &tw, err);
        if (rc != RASD_OK)
            return rc;
        size_t nt = rasd_doc_ntokens(doc);
        if (nt > NER_MAX_SEQ)
            nt = NER_MAX_SEQ; /* the tagger decodes no longer pieces either */
        size_t cap = d->cap_tok;
        int bad = grow((void **)&d->gold, &cap, d->ntok + nt + 1, 1) < 0;
        if (!bad && cap != d->cap_tok) {
            NerTok *ni = realloc(d->info, cap * sizeof *ni);
            bad = !ni;
            if (ni) {
                d->info = ni;
                d->cap_tok = cap;
            }
        }
        if (bad) {
            free(tw);
            rasd_doc_free(doc);
            return rasd_fail(err, RASD_ENOMEM, "out of memory preparing training data");
        }
        d->sent[d->nsent].tok = (uint32_t)d->ntok;
        d->sent[d->nsent].n = (uint32_t)nt;
        d->nsent++;
        gold_tokens(c, tw, nt, d->gold + d->ntok);
        ner_tok_info(lex, rasd_doc_tokens(doc), nt, d->info + d->ntok);
        d->ntok += nt;
        free(tw);
        rasd_doc_free(doc);
    }
    return RASD_OK;
}

/* The features of every token of d (document features too when its info has them). */
static rasd_err featurise(const Data *d, const NerLex *lex, unsigned bits, Feats *f,
                          rasd_error *err)
{
    f->foff = malloc((d->ntok + 1) * sizeof *f->foff);
    if (!f->foff)
        return rasd_fail(err, RASD_ENOMEM, "out of memory preparing training data");
    for (size_t k = 0; k < d->nsent; k++) {
        const TSent *s = &d->sent[k];
        if (f->nfeat + (size_t)s->n * NER_MAX_FEATS > UINT32_MAX) /* offsets are 32-bit */
            return rasd_fail(err, RASD_ETOOBIG, "ner_train: training data too large");
        if (grow((void **)&f->feats, &f->cap_feat, f->nfeat + (size_t)s->n * NER_MAX_FEATS, 4) <
            0)
            return rasd_fail(err, RASD_ENOMEM, "out of memory preparing training data");
        for (size_t i = 0; i < s->n; i++) {
            f->foff[s->tok + i] = (uint32_t)f->nfeat;
            f->nfeat += ner_feats(lex, bits, d->info + s->tok, s->n, i, f->feats + f->nfeat);
        }
    }
    f->foff[d->ntok] = (uint32_t)f->nfeat;
    return RASD_OK;
}

/* splitmix64: a small, well-mixed generator; its output depends only on the seed. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void put_le(Buf *b, uint64_t v, int n)
{
    unsigned char tmp[8];
    for (int k = 0; k < n; k++)
        tmp[k] = (unsigned char)(v >> (8 * k));
    buf_append(b, tmp, (size_t)n);
}

static void put_varint(Buf *b, uint64_t v)
{
    while (v >= 0x80) {
        buf_putc(b, (char)(unsigned char)((v & 0x7F) | 0x80));
        v >>= 7;
    }
    buf_putc(b, (char)(unsigned char)v);
}

static int16_t quantise(double v, double scale)
{
    double q = nearbyint(v * scale);
    if (q > 32767)
        q = 32767;
    if (q < -32767)
        q = -32767;
    return (int16_t)q;
}

/*
 * The averaged perceptron over sentences which[0..nwhich) of d with features
 * F; appends the model file (header, sections secs, weights) to out.
 */
static rasd_err perceptron(const Data *d, const Feats *F, const size_t *which, size_t nwhich,
                           const NerTrainOpts *opts, uint64_t fingerprint,
                           const NerSection *secs, size_t nsecs, Buf *out, rasd_error *err)
{
    rasd_err rc = RASD_OK;
    int32_t *w = NULL;
    int64_t *u = NULL;
    size_t *order = NULL;
    uint8_t *pred = NULL, *bp = NULL;
    int32_t *emit = NULL;
    size_t buckets = (size_t)1 << opts->bits, nw = buckets * NER_NTAGS;
    w = calloc(nw, sizeof *w);
    u = calloc(nw, sizeof *u);
    order = malloc((nwhich ? nwhich : 1) * sizeof *order);
    pred = malloc(NER_MAX_SEQ);
    bp = malloc(NER_MAX_SEQ * NER_NTAGS);
    emit = malloc(NER_MAX_SEQ * NER_NTAGS * sizeof *emit);
    if (!w || !u || !order || !pred || !bp || !emit) {
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory: %zu weights", nw);
        goto done;
    }
    int32_t tw[(NER_NTAGS + 1) * NER_NTAGS] = {0}, tdec[(NER_NTAGS + 1) * NER_NTAGS];
    int64_t tu[(NER_NTAGS + 1) * NER_NTAGS] = {0};
    int64_t cnt = 1; /* sentences seen + 1: the averaging clock */
    for (size_t k = 0; k < nwhich; k++)
        order[k] = which[k];
    uint64_t rng = opts->seed;
    for (int ep = 0; ep < opts->epochs; ep++) {
        for (size_t k = nwhich; k > 1; k--) { /* Fisher-Yates */
            size_t j = (size_t)(next_rand(&rng) % k);
            size_t tmp = order[k - 1];
            order[k - 1] = order[j];
            order[j] = tmp;
        }
        for (size_t k = 0; k < nwhich; k++, cnt++) {
            const TSent *s = &d->sent[order[k]];
            size_t n = s->n;
            if (n == 0)
                continue;
            const uint8_t *gold = d->gold + s->tok;
            for (size_t i = 0; i < n; i++) {
                int32_t *e = emit + i * NER_NTAGS;
                memset(e, 0, NER_NTAGS * sizeof *e);
                for (uint32_t j = F->foff[s->tok + i]; j < F->foff[s->tok + i + 1]; j++) {
                    const int32_t *row = w + (size_t)F->feats[j] * NER_NTAGS;
                    for (int tg = 0; tg < NER_NTAGS; tg++)
                        e[tg] += row[tg];
                }
            }
            if (opts->margin)
                for (size_t i = 0; i < n; i++)
                    for (int tg = 0; tg < NER_NTAGS; tg++)
                        if (tg != gold[i])
                            emit[i * NER_NTAGS + tg] += opts->margin;
            memcpy(tdec, tw, sizeof tdec);
            ner_trans_forbid(tdec);
            ner_viterbi(emit, tdec, n, bp, pred);
            for (size_t i = 0; i < n; i++) {
                unsigned g = gold[i], p = pred[i];
                unsigned gp = i ? gold[i - 1] : NER_START, pp = i ? pred[i - 1] : NER_START;
                if (g != p) {
                    for (uint32_t j = F->foff[s->tok + i]; j < F->foff[s->tok + i + 1]; j++) {
                        size_t base = (size_t)F->feats[j] * NER_NTAGS;
                        w[base + g]++;
                        u[base + g] += cnt;
                        w[base + p]--;
                        u[base + p] -= cnt;
                    }
                }
                if (g != p || gp != pp) {
                    tw[gp * NER_NTAGS + g]++;
                    tu[gp * NER_NTAGS + g] += cnt;
                    tw[pp * NER_NTAGS + p]--;
                    tu[pp * NER_NTAGS + p] -= cnt;
                }
            }
        }
    }

    /* The O penalty is folded into the bias feature's O weight (in averaged
       units: w - u/c moves by o_penalty when u moves by -o_penalty*c). */
    {
        size_t k = (size_t)ner_bias_bucket(opts->bits) * NER_NTAGS + NER_O;
        u[k] += (int64_t)opts->o_penalty * cnt;
    }
    /* Average, then scale the largest weight to the int16 range. */
    double maxabs = 1e-9;
    for (size_t k = 0; k < nw; k++) {
        double a = fabs((double)w[k] - (double)u[k] / (double)cnt);
        if (a > maxabs)
            maxabs = a;
    }
    double tavg[(NER_NTAGS + 1) * NER_NTAGS];
    for (int k = 0; k < (NER_NTAGS + 1) * NER_NTAGS; k++) {
        tavg[k] = (double)tw[k] - (double)tu[k] / (double)cnt;
        if (fabs(tavg[k]) > maxabs)
            maxabs = fabs(tavg[k]);
    }
    double scale = 32000.0 / maxabs;

    size_t start = out->len;
    buf_append(out, NER_MAGIC, 8);
    put_le(out, NER_FORMAT, 4);
    put_le(out, NER_FEATURES, 4);
    put_le(out, NER_NTAGS, 4);
    put_le(out, opts->bits, 4);
    put_le(out, fingerprint, 8);
    put_le(out, nsecs, 4);
    for (size_t s = 0; s < nsecs; s++) {
        size_t nl = strlen(secs[s].name);
        put_le(out, (uint64_t)secs[s].kind, 1);
        put_le(out, nl, 2);
        buf_append(out, secs[s].name, nl);
        put_le(out, secs[s].len, 4);
        buf_append(out, secs[s].text, secs[s].len);
    }
    for (int k = 0; k < (NER_NTAGS + 1) * NER_NTAGS; k++)
        put_le(out, (uint16_t)quantise(tavg[k], scale), 2);
    /* quantise in place (w is no longer needed as raw counts), count rows */
    uint32_t rows = 0;
    for (size_t b = 0; b < buckets; b++) {
        int any = 0;
        for (int tg = 0; tg < NER_NTAGS; tg++) {
            size_t k = b * NER_NTAGS + tg;
            w[k] = quantise((double)w[k] - (double)u[k] / (double)cnt, scale);
            any |= w[k] != 0;
        }
        rows += any;
    }
    put_le(out, rows, 4);
    size_t prev = 0;
    int first = 1;
    for (size_t b = 0; b < buckets; b++) {
        unsigned mask = 0;
        for (int tg = 0; tg < NER_NTAGS; tg++)
            if (w[b * NER_NTAGS + tg])
                mask |= 1u << tg;
        if (!mask)
            continue;
        put_varint(out, first ? b : b - prev - 1);
        first = 0;
        prev = b;
        put_le(out, mask, 2);
        for (int tg = 0; tg < NER_NTAGS; tg++)
            if (mask & (1u << tg))
                put_le(out, (uint16_t)w[b * NER_NTAGS + tg], 2);
    }
    if (!out->oom)
        put_le(out, rasd_hash(out->data + start, out->len - start), 8);
    if (out->oom)
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory writing the NER model");
done:
    free(w);
    free(u);
    free(order);
    free(pred);
    free(bp);
    free(emit);
    return rc;
}

/* First-stage tags of sentences which[0..nw) of d by the model in bytes mb. */
static rasd_err stage1_tags(const Data *d, const Feats *F, const Buf *mb, const size_t *which,
                            size_t nw, uint8_t *tags1, rasd_error *err)
{
    NerModel *m = NULL;
    rasd_err rc = ner_model_load((const unsigned char *)mb->data, mb->len, &m, err);
    if (rc != RASD_OK)
        return rc;
    int32_t *emit = malloc(NER_MAX_SEQ * NER_NTAGS * sizeof *emit);
    uint8_t *bp = malloc(NER_MAX_SEQ * NER_NTAGS);
    if (!emit || !bp)
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t k = 0; k < nw && rc == RASD_OK; k++) {
        const TSent *s = &d->sent[which[k]];
        for (size_t i = 0; i < s->n; i++) {
            uint32_t a = F->foff[s->tok + i], b = F->foff[s->tok + i + 1];
            ner_emission(m, F->feats + a, b - a, emit + i * NER_NTAGS);
        }
        if (s->n)
            ner_viterbi(emit, m->trans, s->n, bp, tags1 + s->tok);
    }
    free(emit);
    free(bp);
    ner_model_free(m);
    return rc;
}

/*
 * A two-stage model: the first stage on every sentence (shipped inside the
 * model as a NER_SEC_STAGE1 section); its tags of each training sentence come
 * from a model trained without that sentence's block (NER_STACK_FOLDS
 * contiguous blocks), so the second stage learns how far to trust tags on
 * unseen text; documents are runs of NER_CONLL_DOC sentences.
 */
static rasd_err train_stacked(Data *d, const Feats *F1, const NerLex *lex,
                              const NerTrainOpts *opts, const NerSection *secs, size_t nsecs,
                              Buf *out, rasd_error *err)
{
    size_t n = d->nsent;
    size_t *all = malloc((n ? n : 1) * sizeof *all), *rest = malloc((n ? n : 1) * sizeof *rest);
    uint8_t *tags1 = calloc(d->ntok ? d->ntok : 1, 1);
    NerSection *s2 = malloc((nsecs + 1) * sizeof *s2);
    Buf first = {0};
    Feats F2 = {0};
    rasd_err rc = RASD_OK;
    if (!all || !rest || !tags1 || !s2) {
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        all[k] = k;
    rc = perceptron(d, F1, all, n, opts, lex->fingerprint, secs, nsecs, &first, err);
    for (int j = 0; j < NER_STACK_FOLDS && rc == RASD_OK; j++) {
        size_t lo = n * (size_t)j / NER_STACK_FOLDS, hi = n * (size_t)(j + 1) / NER_STACK_FOLDS;
        size_t nr = 0;
        for (size_t k = 0; k < n; k++)
            if (k < lo || k >= hi)
                rest[nr++] = k;
        Buf mb = {0};
        rc = perceptron(d, F1, rest, nr, opts, lex->fingerprint, secs, nsecs, &mb, err);
        if (rc == RASD_OK)
            rc = stage1_tags(d, F1, &mb, all + lo, hi - lo, tags1, err);
        buf_free(&mb);
    }
    for (size_t k = 0; k < n && rc == RASD_OK; k += NER_CONLL_DOC) {
        size_t e = k + NER_CONLL_DOC < n ? k + NER_CONLL_DOC : n;
        size_t b = d->sent[k].tok, end = d->sent[e - 1].tok + d->sent[e - 1].n;
        if (ner_doc_fill(d->info + b, end - b, tags1 + b) < 0)
            rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (rc == RASD_OK)
        rc = featurise(d, lex, opts->bits, &F2, err);
    if (rc == RASD_OK) {
        memcpy(s2, secs, nsecs * sizeof *s2);
        s2[nsecs] = (NerSection){NER_SEC_STAGE1, "stage1.bin", first.data, first.len};
        rc = perceptron(d, &F2, all, n, opts, lex->fingerprint, s2, nsecs + 1, out, err);
    }
done:
    free(all);
    free(rest);
    free(tags1);
    free(s2);
    buf_free(&first);
    feats_free(&F2);
    return rc;
}

rasd_err ner_train(const NerConll *c, const size_t *sents, size_t nsents,
                   const NerSection *secs, size_t nsecs, const NerTrainOpts *opts, Buf *out,
                   rasd_error *err)
{
    if (!c || !opts || !out || (nsents && !sents) || (nsecs && !secs))
        return rasd_fail(err, RASD_EINVAL, "ner_train: bad argument");
    if (!c->has_gold)
        return rasd_fail(err, RASD_EINVAL, "ner_train: the training data has no tags");
    if (opts->bits < 8 || opts->bits > 26 || opts->epochs < 1 || opts->epochs > 1000)
        return rasd_fail(err, RASD_EINVAL, "ner_train: bits must be 8..26, epochs 1..1000");
    if (nsecs > 64)
        return rasd_fail(err, RASD_EINVAL, "ner_train: at most 64 lexicon sections");
    for (size_t s = 0; s < nsecs; s++)
        if (!secs[s].name || strlen(secs[s].name) > 255 || secs[s].len > UINT32_MAX)
            return rasd_fail(err, RASD_EINVAL, "ner_train: section %zu: bad name or size", s);

    rasd_text *t = NULL;
    NerLex lex;
    Data d = {0};
    Feats F = {0};
    size_t *all = NULL;
    rasd_err rc = rasd_text_new(&t, err);
    if (rc != RASD_OK)
        return rc;
    memset(&lex, 0, sizeof lex);
    if (ner_lex_build(&lex, t, secs, nsecs) < 0) {
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory building the NER lexicons");
        goto done;
    }
    rc = prepare(c, sents, nsents, t, &lex, &d, err);
    if (rc == RASD_OK)
        rc = featurise(&d, &lex, opts->bits, &F, err);
    if (rc != RASD_OK)
        goto done;
    if (opts->stacked) {
        rc = train_stacked(&d, &F, &lex, opts, secs, nsecs, out, err);
        goto done;
    }
    all = malloc((d.nsent ? d.nsent : 1) * sizeof *all);
    if (!all) {
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < d.nsent; k++)
        all[k] = k;
    rc = perceptron(&d, &F, all, d.nsent, opts, lex.fingerprint, secs, nsecs, out, err);

done:
    free(all);
    data_free(&d);
    feats_free(&F);
    ner_lex_free(&lex);
    rasd_text_free(t);
    return rc;
}
