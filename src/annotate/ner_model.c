/*
 * ner_model.c — the named-entity tagger's model: Viterbi decoding with the
 * BIO constraint, loading a model file (its layout is described in ner.c),
 * the joint weight table of a two-stage model, and the default model
 * compiled into the library. Moved out of ner.c unchanged.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ner_impl.h"
#include "../text/text.h"

/* The model compiled in from models/ner.bin (build/gen/ner_model.c). */
extern const unsigned char ner_model_bin[];
extern const unsigned long ner_model_bin_len;

/* ---- decoding ---------------------------------------------------------------- */

void ner_trans_forbid(int32_t *trans)
{
    for (int p = 0; p <= NER_NTAGS; p++)
        for (int t = 0; t < NER_NTAGS; t++) {
            if (t == NER_O || NER_TAG_IS_B(t))
                continue;
            int ok = p < NER_NTAGS && p != NER_O && NER_TAG_TYPE(p) == NER_TAG_TYPE(t);
            if (!ok)
                trans[p * NER_NTAGS + t] = NER_ILLEGAL;
        }
}

/*
 * ner_viterbi, or with bio set ner_viterbi_bio: I-X scored only after B-X
 * and I-X. The moves that skips hold NER_ILLEGAL (ner_trans_forbid), and a
 * loaded model's scores are bounded (int16 weights, at most NER_MAX_FEATS a
 * token, so a legal move scores above -2^23 once the scores are rebased to
 * a top of 0), so a skipped move never wins or ties a legal one: the same
 * tags, with 53 of the 81 additions a token. The trainer's weights are not
 * bounded that way; it scores every move.
 */
static void viterbi(const int32_t *emit, const int32_t *trans, size_t n, uint8_t *bp,
                    uint8_t *out, int bio)
{
    if (n == 0)
        return;
    int32_t d[NER_NTAGS], nd[NER_NTAGS];
    for (int t = 0; t < NER_NTAGS; t++)
        d[t] = trans[NER_START * NER_NTAGS + t] + emit[t];
    for (size_t i = 1; i < n; i++) {
        const int32_t *e = emit + i * NER_NTAGS;
        uint8_t *b = bp + i * NER_NTAGS;
        int32_t top = INT32_MIN;
        for (int t = 0; t < NER_NTAGS; t++) {
            int32_t best;
            int arg;
            if (!bio || t == NER_O || NER_TAG_IS_B(t)) {
                best = d[0] + trans[t];
                arg = 0;
                for (int p = 1; p < NER_NTAGS; p++) {
                    int32_t s = d[p] + trans[p * NER_NTAGS + t];
                    if (s > best) {
                        best = s;
                        arg = p;
                    }
                }
            } else { /* I-X follows B-X (t - 1) or I-X (t) */
                best = d[t - 1] + trans[(t - 1) * NER_NTAGS + t];
                arg = t - 1;
                if (d[t] + trans[t * NER_NTAGS + t] > best) {
                    best = d[t] + trans[t * NER_NTAGS + t];
                    arg = t;
                }
            }
            nd[t] = best + e[t];
            b[t] = (uint8_t)arg;
            if (nd[t] > top)
                top = nd[t];
        }
        /* keep scores near 0 so long sequences cannot overflow */
        for (int t = 0; t < NER_NTAGS; t++)
            d[t] = nd[t] - top;
    }
    int best = 0;
    for (int t = 1; t < NER_NTAGS; t++)
        if (d[t] > d[best])
            best = t;
    for (size_t i = n; i-- > 0;) {
        out[i] = (uint8_t)best;
        if (i > 0)
            best = bp[i * NER_NTAGS + best];
    }
}

void ner_viterbi(const int32_t *emit, const int32_t *trans, size_t n, uint8_t *bp,
                 uint8_t *out)
{
    viterbi(emit, trans, n, bp, out, 0);
}

void ner_viterbi_bio(const int32_t *emit, const int32_t *trans, size_t n, uint8_t *bp,
                     uint8_t *out)
{
    viterbi(emit, trans, n, bp, out, 1);
}

/* ---- model file ---------------------------------------------------------------- */

typedef struct Reader {
    const unsigned char *p; /* the model bytes */
    size_t len, pos;        /* bytes in p and read so far */
    int bad;                /* set once a read ran past the end */
} Reader;

static const unsigned char *rd_bytes(Reader *r, size_t n)
{
    if (r->bad || n > r->len - r->pos) {
        r->bad = 1;
        return NULL;
    }
    const unsigned char *p = r->p + r->pos;
    r->pos += n;
    return p;
}

static uint64_t rd_le(Reader *r, int n)
{
    const unsigned char *p = rd_bytes(r, (size_t)n);
    uint64_t v = 0;
    for (int k = 0; p && k < n; k++)
        v |= (uint64_t)p[k] << (8 * k);
    return v;
}

static uint64_t rd_varint(Reader *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        const unsigned char *p = rd_bytes(r, 1);
        if (!p)
            return 0;
        v |= (uint64_t)(*p & 0x7F) << shift;
        if (!(*p & 0x80))
            return v;
    }
    r->bad = 1;
    return 0;
}

void ner_model_free(NerModel *m)
{
    if (!m)
        return;
    ner_lex_free(&m->lex);
    ner_model_free(m->first);
    free(m->rank);
    free(m->rows);
    free(m->jrank);
    free(m->jrows);
    free(m);
}

/*
 * The joint table of a two-stage model whose stages hash into the same
 * buckets: a row for every bucket either stage has one for, holding both
 * stages' weights side by side (layout at NerModel.jrows). A token's
 * features other than the document ones are the same in both stages, so
 * the first pass sums both stages' weights from one read per feature and
 * the second pass adds only the document features' rows, which are few and
 * stay in cache. The sums are the same integers as two separate lookups,
 * so the tags are identical. 0 ok (or nothing to build), -1 out of memory.
 */
static int joint_build(NerModel *m)
{
    const NerModel *f = m->first;
    if (!f || f->bits != m->bits)
        return 0;
    size_t words = ((size_t)1 << m->bits) / 64;
    m->jrank = calloc(words, sizeof *m->jrank);
    if (!m->jrank)
        return -1;
    uint32_t before = 0;
    for (size_t i = 0; i < words; i++) {
        m->jrank[i].bits = m->rank[i].bits | f->rank[i].bits;
        m->jrank[i].before = before;
        before += (uint32_t)popcount64(m->jrank[i].bits);
    }
    m->jrows = calloc(((size_t)before + 1) * NER_JROW, sizeof *m->jrows);
    if (!m->jrows)
        return -1;
    for (size_t i = 0; i < words; i++)
        for (uint64_t w = m->jrank[i].bits; w; w &= w - 1) {
            uint32_t b = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(w));
            int16_t *j = (int16_t *)row_of(m->jrank, m->jrows, NER_JROW, b);
            const int16_t *r1 = row_of(f->rank, f->rows, NER_NTAGS, b);
            const int16_t *r2 = row_of(m->rank, m->rows, NER_NTAGS, b);
            if (r1) {
                memcpy(j, r1, 8 * sizeof *j);
                j[16] = r1[8];
            }
            if (r2) {
                memcpy(j + 8, r2, 8 * sizeof *j);
                j[17] = r2[8];
            }
        }
    return 0;
}

#define MAX_SECTIONS 64

static rasd_err load_model(const unsigned char *bytes, size_t len, NerModel **out,
                           rasd_error *err, int nested);

rasd_err ner_model_load(const unsigned char *bytes, size_t len, NerModel **out,
                        rasd_error *err)
{
    return load_model(bytes, len, out, err, 0);
}

int ner_model_stages(const NerModel *m) { return m && m->first ? 2 : 1; }

/* nested: loading a first stage, which cannot have one itself */
static rasd_err load_model(const unsigned char *bytes, size_t len, NerModel **out,
                           rasd_error *err, int nested)
{
    *out = NULL;
    if (!bytes || len == 0)
        return rasd_fail(err, RASD_ENOTFOUND,
                         "no NER model: the library was built without models/ner.bin "
                         "(run make model, then rebuild)");
    if (len < 8 + 28 + 8 || memcmp(bytes, NER_MAGIC, 8) != 0)
        return rasd_fail(err, RASD_EFORMAT, "NER model: not a rasd NER model file");
    Reader r = {bytes, len - 8, 8, 0};
    Reader tail = {bytes, len, len - 8, 0};
    if (rasd_hash(bytes, len - 8) != rd_le(&tail, 8))
        return rasd_fail(err, RASD_EFORMAT, "NER model: checksum mismatch (file damaged)");
    uint32_t format = (uint32_t)rd_le(&r, 4), feats = (uint32_t)rd_le(&r, 4);
    uint32_t ntags = (uint32_t)rd_le(&r, 4), bits = (uint32_t)rd_le(&r, 4);
    uint64_t trained_fp = rd_le(&r, 8);
    uint32_t nsecs = (uint32_t)rd_le(&r, 4);
    if (format != NER_FORMAT || feats != NER_FEATURES)
        return rasd_fail(err, RASD_EFORMAT,
                         "NER model: format %u, features %u; this build reads format %d, "
                         "features %d (retrain with make model)",
                         format, feats, NER_FORMAT, NER_FEATURES);
    if (ntags != NER_NTAGS || bits < NER_MIN_BITS || bits > 26 || nsecs > MAX_SECTIONS)
        return rasd_fail(err, RASD_EFORMAT, "NER model: bad header");
    NerSection secs[MAX_SECTIONS];
    char names[MAX_SECTIONS][256];
    for (uint32_t s = 0; s < nsecs; s++) {
        secs[s].kind = (int)rd_le(&r, 1);
        size_t nl = (size_t)rd_le(&r, 2);
        const unsigned char *name = rd_bytes(&r, nl);
        size_t tl = (size_t)rd_le(&r, 4);
        const unsigned char *text = rd_bytes(&r, tl);
        if (r.bad || nl >= sizeof names[s])
            return rasd_fail(err, RASD_EFORMAT, "NER model: section %u is truncated", s);
        memcpy(names[s], name, nl);
        names[s][nl] = 0;
        secs[s].name = names[s];
        secs[s].text = (const char *)text;
        secs[s].len = tl;
    }
    NerModel *m = calloc(1, sizeof *m);
    if (!m)
        return rasd_fail(err, RASD_ENOMEM, "out of memory loading the NER model");
    m->bits = bits;
    for (int k = 0; k < (NER_NTAGS + 1) * NER_NTAGS; k++)
        m->trans[k] = (int16_t)(uint16_t)rd_le(&r, 2);
    ner_trans_forbid(m->trans);
    size_t buckets = (size_t)1 << bits;
    uint32_t rows = (uint32_t)rd_le(&r, 4);
    m->rank = calloc(buckets / 64, sizeof *m->rank);
    /* a row takes at least 3 bytes of the file: no allocation for rows that cannot be there */
    int bad_rows = rows > buckets || rows > (r.len - r.pos) / 3;
    m->rows = bad_rows ? NULL : calloc(((size_t)rows + 1) * NER_NTAGS, sizeof *m->rows);
    if (!m->rank || !m->rows) {
        ner_model_free(m);
        return bad_rows ? rasd_fail(err, RASD_EFORMAT, "NER model: bad row count")
                        : rasd_fail(err, RASD_ENOMEM, "out of memory loading the NER model");
    }
    uint64_t b = 0;
    for (uint32_t k = 0; k < rows && !r.bad; k++) {
        uint64_t gap = rd_varint(&r);
        b = k == 0 ? gap : b + 1 + gap;
        unsigned mask = (unsigned)rd_le(&r, 2);
        if (b >= buckets || gap >= buckets || mask >> NER_NTAGS) {
            r.bad = 1;
            break;
        }
        m->rank[b / 64].bits |= 1ULL << (b % 64);
        for (int t = 0; t < NER_NTAGS; t++)
            if (mask & (1u << t))
                m->rows[(size_t)k * NER_NTAGS + t] = (int16_t)(uint16_t)rd_le(&r, 2);
    }
    m->nrows = rows;
    uint32_t before = 0;
    for (size_t i = 0; i < buckets / 64; i++) {
        m->rank[i].before = before;
        before += (uint32_t)popcount64(m->rank[i].bits);
    }
    if (r.bad || r.pos != r.len) {
        ner_model_free(m);
        return rasd_fail(err, RASD_EFORMAT, "NER model: weight table is damaged");
    }
    rasd_text *t = NULL;
    if (rasd_text_new(&t, err) != RASD_OK) {
        ner_model_free(m);
        return err ? err->code : RASD_ENOMEM;
    }
    int rc = ner_lex_build(&m->lex, t, secs, nsecs);
    rasd_text_free(t);
    if (rc < 0) {
        ner_model_free(m);
        return rasd_fail(err, RASD_ENOMEM, "out of memory loading the NER lexicons");
    }
    m->stale = m->lex.fingerprint != trained_fp;
    for (uint32_t s = 0; s < nsecs; s++) {
        if (secs[s].kind != NER_SEC_STAGE1)
            continue;
        if (nested || m->first) {
            ner_model_free(m);
            return rasd_fail(err, RASD_EFORMAT, "NER model: more than two stages");
        }
        rasd_err rc1 = load_model((const unsigned char *)secs[s].text, secs[s].len, &m->first,
                                  err, 1);
        if (rc1 != RASD_OK) {
            ner_model_free(m);
            return rc1;
        }
        m->stale |= m->first->stale;
    }
    if (joint_build(m) < 0) {
        ner_model_free(m);
        return rasd_fail(err, RASD_ENOMEM, "out of memory loading the NER model");
    }
    *out = m;
    return RASD_OK;
}

int ner_model_current(const NerModel *m) { return m && !m->stale; }

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static NerModel *default_model;   /* NULL if loading failed */
static rasd_error default_err;    /* why loading failed */

static void load_default(void)
{
    if (ner_model_load(ner_model_bin, (size_t)ner_model_bin_len, &default_model,
                       &default_err) != RASD_OK)
        default_model = NULL;
}

const NerModel *ner_default(rasd_error *err)
{
    pthread_once(&default_once, load_default);
    if (!default_model && err)
        *err = default_err;
    return default_model;
}
