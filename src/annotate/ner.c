/*
 * ner.c — the named-entity tagger at run time: the lexicons, the features
 * of a token, the document features, tagging (loading the model and Viterbi
 * decoding are in ner_model.c, entity spans and their repairs in ner_spans.c).
 *
 * Main idea: a linear model scores each of the 9 BIO tags of a token as the
 * sum of the weights of the token's features; a first-order transition
 * table scores tag pairs; Viterbi picks the best sequence, with I-X allowed
 * only after B-X or I-X. Features are hashed into 2^bits buckets, each a
 * row of 9 int16 weights (one row per feature, so a feature costs one
 * memory read, usually one cache line). Strings are hashed once per
 * token (XXH3 of key, stem and clitic-free remainder; short affixes are
 * packed, not hashed) and features mix those per-token values with a
 * template number, so the dozens of features of a token cost integer
 * multiplies, not string hashing.
 *
 * Two stages (a model with a NER_SEC_STAGE1 section, as shipped): a name
 * is often clear in one sentence of an article (الرئيس الكيني أوهورو
 * كينياتا) and unclear in the next (وأضاف كينياتا). The first stage tags
 * every sentence of the document; ner_doc_fill then tells each token what
 * the first stage made of the same word, and of the same word pair,
 * elsewhere in the document; the second stage, with those features too,
 * tags again. The first stage's model is a whole model file stored as a
 * section of the second's; both use the outer model's lexicons. At load
 * the two stages' weights are laid side by side in one joint table, so a
 * token's features are computed and its rows read once for both stages
 * (tag_joint); tagging costs about 1.4 times a one-stage model's time.
 *
 * The model file (little-endian; written by ner_train.c):
 *   "RASDNER\0", u32 format, u32 feature-set version, u32 tags (9), u32 bits,
 *   u64 fingerprint of the text core at training (NerLex.fingerprint: a
 *   retrained text core shows up as a stale model, ner_model_current),
 *   u32 sections, then each section: u8 kind, u16 name length, name,
 *   u32 text length, text (the cue list and gazetteers the model was
 *   trained with, re-analysed at load so lexicon lookups see exactly what
 *   the text core makes of the running text; a two-stage model's first
 *   stage, a model file itself);
 *   i16 transitions[10][9] (row 9 = start);
 *   u32 rows, then each nonzero row: varint gap from the previous row,
 *   u16 mask of the tags present, i16 weight per present tag;
 *   u64 XXH3 of everything before it.
 * Most buckets are never used (a seventh of 2^20 hold a row after
 * training), so neither the file nor memory holds the empty ones: the
 * loader keeps the nonzero rows in bucket order and a bitmap with running
 * counts (NerRank) that turns a bucket into its row, and an empty bucket
 * costs no row read. That is what keeps tagging fast: rows are the only
 * scattered memory reads, and there are a seventh as many megabytes of
 * them as in a dense table.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ner_impl.h"
#include "../text/text.h"

/* ---- tags -------------------------------------------------------------- */

static const char *const tag_names[NER_NTAGS] = {
    "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"};
static const char *const type_names[NER_NTYPES] = {"", "PERS", "LOC", "ORG", "MISC"};

const char *ner_tag_name(unsigned tag) { return tag < NER_NTAGS ? tag_names[tag] : "?"; }
const char *ner_type_name(unsigned type) { return type < NER_NTYPES ? type_names[type] : ""; }

int ner_tag_parse(const char *s, size_t n)
{
    if (n == 1 && s[0] == 'O')
        return NER_O;
    if (n < 3 || (s[0] != 'B' && s[0] != 'I') || s[1] != '-')
        return -1;
    const char *ty = s + 2;
    size_t tn = n - 2;
    int type = NER_NONE;
    if ((tn == 4 && memcmp(ty, "PERS", 4) == 0) || (tn == 3 && memcmp(ty, "PER", 3) == 0))
        type = NER_PERS;
    else if (tn == 3 && memcmp(ty, "LOC", 3) == 0)
        type = NER_LOC;
    else if (tn == 3 && memcmp(ty, "ORG", 3) == 0)
        type = NER_ORG;
    else if (tn == 4 && memcmp(ty, "MISC", 4) == 0)
        type = NER_MISC;
    else
        return -1;
    return s[0] == 'B' ? NER_B(type) : NER_I(type);
}

/* ---- hashing helpers ---------------------------------------------------- */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}

static inline uint64_t nonzero(uint64_t h) { return h ? h : 1; }

/* Hash of a token sequence extended by one token (gazetteer entries). */
static inline uint64_t seq_next(uint64_t h, uint64_t tok)
{
    return nonzero(mix64((h ^ 0x2545F4914F6CDD1DULL) * 0x9E3779B97F4A7C15ULL + tok));
}

/* Short byte strings (clitics, affixes) packed into a value, byte order fixed. */
static uint64_t pack(const char *p, size_t n)
{
    if (n > 7)
        return rasd_hash(p, n) | (1ULL << 63);
    uint64_t v = (uint64_t)n << 56;
    for (size_t k = 0; k < n; k++)
        v |= (uint64_t)(unsigned char)p[k] << (8 * k);
    return v;
}

/* The key without its clitics, as the text core segmented it. */
static const char *tok_remainder(const rasd_token *t, size_t *len)
{
    size_t cut = (size_t)t->pre_len + t->suf_len;
    if (cut > t->key_len) { /* never from the text core; stay in bounds anyway */
        *len = t->key_len;
        return t->key;
    }
    *len = t->key_len - cut;
    return t->key + t->pre_len;
}

/* ---- NerMap -------------------------------------------------------------- */

uint32_t ner_map_get(const NerMap *m, uint64_t key)
{
    if (!m->keys)
        return 0;
    for (size_t i = (size_t)mix64(key) & m->mask;; i = (i + 1) & m->mask) {
        if (m->keys[i] == key)
            return m->vals[i];
        if (m->keys[i] == 0)
            return 0;
    }
}

/* ORs bits into key's value. 0 ok, -1 out of memory. */
static int map_or(NerMap *m, uint64_t key, uint32_t bits)
{
    if ((m->n + 1) * 2 > m->mask + 1 || !m->keys) {
        size_t cap = m->keys ? (m->mask + 1) * 2 : 256;
        uint64_t *keys = calloc(cap, sizeof *keys);
        uint32_t *vals = calloc(cap, sizeof *vals);
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return -1;
        }
        if (m->keys)
            for (size_t i = 0; i <= m->mask; i++) {
                if (!m->keys[i])
                    continue;
                size_t j = (size_t)mix64(m->keys[i]) & (cap - 1);
                while (keys[j])
                    j = (j + 1) & (cap - 1);
                keys[j] = m->keys[i];
                vals[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->mask = cap - 1;
    }
    size_t i = (size_t)mix64(key) & m->mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & m->mask;
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] |= bits;
    return 0;
}

static void map_free(NerMap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- lexicons ------------------------------------------------------------ */

static uint64_t rem_hash(const rasd_token *t)
{
    size_t n;
    const char *r = tok_remainder(t, &n);
    return nonzero(rasd_hash(r, n));
}

/* Next line of text[*pos..len), trimmed; returns 0 at the end. */
static int next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return 0;
    size_t b = *pos, e = b;
    while (e < len && text[e] != '\n')
        e++;
    *pos = e < len ? e + 1 : e;
    while (b < e && (text[b] == ' ' || text[b] == '\t'))
        b++;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
        e--;
    *line = text + b;
    *n = e - b;
    return 1;
}

static int cue_class(const char *s, size_t n)
{
    static const char *const names[] = {"PERS", "LOC", "ORG", "MISC"};
    for (int k = 0; k < 4; k++)
        if (strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
            return k + 1;
    return 0;
}

/* Folds the text core's analysis of every token of d into *fp. */
static void fingerprint(uint64_t *fp, const rasd_doc *d)
{
    const rasd_token *toks = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++) {
        uint64_t h = rasd_hash(toks[i].key, toks[i].key_len) ^
                     mix64(rasd_hash(toks[i].stem, toks[i].stem_len)) ^
                     ((uint64_t)toks[i].pre_len << 8 | toks[i].suf_len | (uint64_t)toks[i].type << 16);
        *fp = mix64(*fp ^ h) + 0x9E3779B97F4A7C15ULL;
    }
}

/* Typical news text, for the fingerprint: clitics, article, plurals, names, numbers. */
static const char probe_text[] =
    "قال الرئيس الفرنسي إيمانويل ماكرون في باريس إن الحكومة والوزارات ستبحث مع المسؤولين "
    "الأمريكيين والروس خطة بقيمة 3.5 مليار دولار، وأضاف: «سنعمل معكم ومع حلفائنا». وأكدت "
    "وزارة الخارجية لصحيفة نيويورك تايمز أن المفاوضات بين واشنطن وموسكو وبيونغ يانغ مستمرة "
    "منذ 31 أغسطس/آب 2023، بحسب وكالة رويترز والمتحدثة باسمها. فالمعلمون بالمدارس وللطلاب "
    "كتبهم، وسيقولون لكم: لن نستسلم! المفاوضات والمفاوضين ومفاوضاتهم.";

/* Adds one gazetteer entry (the tokens of line) to list l. 0 ok, -1 oom. */
static int add_entry(NerLex *lex, rasd_text *t, const char *line, size_t n, int l, int surnames)
{
    rasd_doc *d = NULL;
    if (rasd_text_analyse(t, line, n, &d, NULL) != RASD_OK)
        return -1;
    fingerprint(&lex->fingerprint, d);
    const rasd_token *toks = rasd_doc_tokens(d);
    uint64_t h = 0;
    int len = 0, rc = 0;
    uint64_t last = 0;
    for (size_t i = 0; i < rasd_doc_ntokens(d) && len < 16; i++) {
        if (toks[i].type == RASD_TOK_PUNCT)
            continue; /* "كيم جونغ-أون": running text may or may not have the hyphen token */
        uint64_t r = rem_hash(&toks[i]);
        if (len > 0 && map_or(&lex->seqs, h, NER_SEQ_MORE) < 0)
            rc = -1;
        h = len == 0 ? r : seq_next(h, r);
        last = r;
        len++;
    }
    if (len > 0 && map_or(&lex->seqs, h, 1u << l) < 0)
        rc = -1;
    if (surnames && len > 1 && map_or(&lex->seqs, last, 1u << l) < 0)
        rc = -1;
    if (len > lex->maxlen)
        lex->maxlen = len;
    rasd_doc_free(d);
    return rc;
}

/*
 * Adds a cluster section: lines "WORD FINE COARSE", WORD a remainder as the
 * text core writes it (the tool that made the list analysed its text with
 * this text core), FINE and COARSE cluster numbers below 65535. Lines that
 * do not parse are skipped, as comments are. 0, or -1 if memory ran out.
 */
static int clusters_add(NerLex *lex, const NerSection *sec)
{
    const char *line;
    size_t n, pos = 0;
    while (next_line(sec->text, sec->len, &pos, &line, &n)) {
        if (n == 0 || line[0] == '#')
            continue;
        size_t w = 0;
        while (w < n && line[w] != ' ' && line[w] != '\t')
            w++;
        unsigned long v[2] = {0, 0};
        size_t p = w;
        int ok = w > 0;
        for (int k = 0; k < 2 && ok; k++) {
            while (p < n && (line[p] == ' ' || line[p] == '\t'))
                p++;
            size_t b = p;
            while (p < n && line[p] >= '0' && line[p] <= '9' && v[k] < 65535)
                v[k] = v[k] * 10 + (unsigned long)(line[p++] - '0');
            ok = p > b && v[k] < 65535;
        }
        if (ok && map_or(&lex->clusters, nonzero(rasd_hash(line, w)),
                         (uint32_t)(v[0] + 1) | (uint32_t)(v[1] + 1) << 16) < 0)
            return -1;
    }
    return 0;
}

int ner_lex_build(NerLex *lex, rasd_text *t, const NerSection *secs, size_t nsecs)
{
    memset(lex, 0, sizeof *lex);
    for (size_t s = 0; s < nsecs; s++) {
        const NerSection *sec = &secs[s];
        const char *line;
        size_t n, pos = 0;
        if (sec->kind == NER_SEC_CUES) {
            while (next_line(sec->text, sec->len, &pos, &line, &n)) {
                if (n == 0 || line[0] == '#')
                    continue;
                size_t sp = 0;
                while (sp < n && line[sp] != ' ' && line[sp] != '\t')
                    sp++;
                int cls = cue_class(line, sp);
                while (sp < n && (line[sp] == ' ' || line[sp] == '\t'))
                    sp++;
                if (!cls || sp == n)
                    continue; /* not a cue line: ignored, the file's comment says the format */
                rasd_doc *d = NULL;
                if (rasd_text_analyse(t, line + sp, n - sp, &d, NULL) != RASD_OK)
                    return -1;
                fingerprint(&lex->fingerprint, d);
                int rc = 0;
                if (rasd_doc_ntokens(d) > 0)
                    rc = map_or(&lex->cues, rem_hash(rasd_doc_tokens(d)), 1u << cls);
                rasd_doc_free(d);
                if (rc < 0)
                    return -1;
            }
        } else if (sec->kind == NER_SEC_CLUSTERS) {
            if (clusters_add(lex, sec) < 0)
                return -1;
        } else if (sec->kind == NER_SEC_GAZ) {
            if (lex->nlists >= NER_MAX_LISTS)
                continue;
            int l = (int)lex->nlists++;
            lex->list_id[l] = (uint32_t)rasd_hash(sec->name, strlen(sec->name));
            int surnames = 0;
            while (next_line(sec->text, sec->len, &pos, &line, &n)) {
                if (n >= 2 && line[0] == '#' && line[1] == '!') {
                    /* "#! surnames": also match the last word of each name alone */
                    size_t k = 2;
                    while (k < n && line[k] == ' ')
                        k++;
                    if (n - k == 8 && memcmp(line + k, "surnames", 8) == 0)
                        surnames = 1;
                    continue;
                }
                if (n == 0 || line[0] == '#')
                    continue;
                if (add_entry(lex, t, line, n, l, surnames) < 0)
                    return -1;
            }
        }
    }
    /* time adverbs: a second stage that trusts a name's context can carry a
       person's span over them (محمد أمس الحربي) */
    static const char *const timewords[] = {"أمس", "غدا", "الآن", "حاليا", "اليوم", NULL};
    for (int k = 0; timewords[k]; k++) {
        rasd_doc *d = NULL;
        if (rasd_text_analyse(t, timewords[k], strlen(timewords[k]), &d, NULL) != RASD_OK)
            return -1;
        int rc = rasd_doc_ntokens(d) ? map_or(&lex->timewords, rem_hash(rasd_doc_tokens(d)), 1)
                                     : 0;
        rasd_doc_free(d);
        if (rc < 0)
            return -1;
    }
    rasd_doc *d = NULL;
    if (rasd_text_analyse(t, probe_text, sizeof probe_text - 1, &d, NULL) != RASD_OK)
        return -1;
    fingerprint(&lex->fingerprint, d);
    rasd_doc_free(d);
    return 0;
}

void ner_lex_free(NerLex *lex)
{
    map_free(&lex->cues);
    map_free(&lex->seqs);
    map_free(&lex->clusters);
    map_free(&lex->timewords);
}

/* ---- token info and features ---------------------------------------------- */

/* Bytes of the first k letters of s[0..n). */
static size_t first_letters(const char *s, size_t n, int k)
{
    size_t i = 0;
    while (i < n && k > 0) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

/* Bytes of the last k letters of s[0..n). */
static size_t last_letters(const char *s, size_t n, int k)
{
    size_t i = n;
    while (i > 0 && k > 0) {
        i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        k--;
    }
    return n - i;
}

static size_t count_letters(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

void ner_tok_info(const NerLex *lex, const rasd_token *toks, size_t n, NerTok *info)
{
    static const uint8_t len_bucket[10] = {0, 1, 2, 3, 4, 5, 6, 6, 7, 7};
    for (size_t i = 0; i < n; i++) {
        const rasd_token *t = &toks[i];
        NerTok *o = &info[i];
        o->key = rasd_hash(t->key, t->key_len);
        o->stem = rasd_hash(t->stem, t->stem_len);
        size_t rn;
        const char *r = tok_remainder(t, &rn);
        o->rem = (t->pre_len || t->suf_len) ? nonzero(rasd_hash(r, rn)) : nonzero(o->key);
        o->pre = pack(t->key, t->pre_len <= t->key_len ? t->pre_len : 0);
        o->suf = pack(r + rn, t->key_len - rn - (size_t)(r - t->key));
        for (int k = 0; k < 4; k++) {
            o->px[k] = pack(r, first_letters(r, rn, k + 1));
            size_t sl = last_letters(r, rn, k + 1);
            o->sx[k] = pack(r + rn - sl, sl);
        }
        size_t letters = count_letters(t->key, t->key_len);
        o->shape = (uint8_t)((t->type & 15) * 8 + len_bucket[letters < 10 ? letters : 9]);
        o->flags = (uint8_t)(((t->flags & RASD_TF_QUOTE_OPEN) ? 1 : 0) |
                             ((t->flags & RASD_TF_QUOTE_CLOSE) ? 2 : 0) |
                             ((t->flags & RASD_TF_QUOTE_AMBIG) ? 4 : 0) |
                             ((t->flags & RASD_TF_HYPHEN_NEXT) ? 8 : 0) |
                             ((i > 0 && (toks[i - 1].flags & RASD_TF_HYPHEN_NEXT)) ? 16 : 0) |
                             ((t->flags & RASD_TF_NEWLINE) ? 32 : 0));
        o->cue = (uint8_t)ner_map_get(&lex->cues, o->rem);
        o->clu = lex->clusters.n ? ner_map_get(&lex->clusters, o->rem) : 0;
        o->gaz = 0;
        o->dtag = o->dother = o->dbi = 0; /* no document features until ner_doc_fill */
    }
    /* Gazetteer matches: from each token, extend while the sequence is a
       prefix of some entry; mark every list whose entry ends there. */
    for (size_t i = 0; i < n; i++) {
        uint64_t h = info[i].rem;
        for (size_t j = i; j < n && (int)(j - i) < lex->maxlen; j++) {
            if (j > i)
                h = seq_next(h, info[j].rem);
            uint32_t v = ner_map_get(&lex->seqs, h);
            if (!v)
                break;
            uint32_t lists = v & ~NER_SEQ_MORE;
            for (size_t l = 0; lists && l < lex->nlists; l++, lists >>= 1) {
                if (!(lists & 1))
                    continue;
                info[i].gaz |= 1ULL << (2 * l);
                for (size_t k = i + 1; k <= j; k++)
                    info[k].gaz |= 2ULL << (2 * l);
            }
            if (!(v & NER_SEQ_MORE))
                break;
        }
    }
}

/*
 * Feature templates; the number is mixed into every feature's hash. _M1,
 * _M2, _P1, _P2: the token 1 or 2 before or after; PX/SX: first/last 1..4
 * letters of the clitic-free remainder; PRE/SUF: the proclitic and enclitic
 * strings; SHAPE: token type and length; BI: key bigrams with the previous
 * and next token; CUE: cue classes (titles, organisation heads ...);
 * GAZ: gazetteer list and B/I position; FLAGS: quote marks and hyphens;
 * CLU/CLUC: the fine and coarse word cluster of the word and its
 * neighbours, CLU_BI the previous coarse with the current fine one (only
 * when the model carries a cluster section); DOC_*: in a two-stage model's
 * second stage, the first stage's tag of the token (alone and with its
 * neighbours') and what it made of the word's other occurrences in the
 * document (ner_doc_fill).
 * Window stems and remainders further out were tried and dropped: they
 * did not change cross-validated F1 and cost time.
 */
enum {
    F_BIAS = 1, F_KEY, F_STEM, F_REM, F_PRE, F_SUF, F_PX1, F_PX2, F_PX3, F_PX4, F_SX1, F_SX2,
    F_SX3, F_SX4, F_SHAPE, F_KEY_M1, F_KEY_P1, F_KEY_M2, F_KEY_P2, F_STEM_M1, F_STEM_P1,
    F_BI_M, F_BI_P, F_CUE_M1, F_CUE_M2, F_CUE_0, F_CUE_P1, F_GAZ_0, F_GAZ_M1, F_GAZ_P1,
    F_SHAPE3, F_FLAGS, F_SUF_M1, F_CLU_0, F_CLU_M1, F_CLU_P1, F_CLUC_0, F_CLUC_M1, F_CLUC_P1,
    F_CLU_BI, F_DOC_TAG, F_DOC_OTHER, F_DOC_OTHER_M1, F_DOC_OTHER_P1, F_DOC_TAG3, F_DOC_BI,
    F_DOC_BI_M1
};

static inline uint32_t bucket(uint64_t tmpl, uint64_t v, uint64_t mask)
{
    return (uint32_t)(mix64(v ^ (tmpl * 0x9E3779B97F4A7C15ULL)) & mask);
}

uint32_t ner_bias_bucket(unsigned bits) { return bucket(F_BIAS, 0, (1ULL << bits) - 1); }

/* Stand-ins for the tokens before the first and after the last. */
static const NerTok pad_bos = {.key = 0xB0B0B0B0B0B0B0B1ULL, .stem = 0xB0B0B0B0B0B0B0B2ULL,
                               .rem = 0xB0B0B0B0B0B0B0B3ULL, .shape = 254};
static const NerTok pad_eos = {.key = 0xE0E0E0E0E0E0E0E1ULL, .stem = 0xE0E0E0E0E0E0E0E2ULL,
                               .rem = 0xE0E0E0E0E0E0E0E3ULL, .shape = 255};

static size_t gaz_feats(const NerLex *lex, uint64_t tmpl, uint64_t gaz, uint64_t mask,
                        uint32_t *out, size_t k, size_t max)
{
    for (size_t l = 0; gaz && l < lex->nlists && k < max; l++, gaz >>= 2)
        if (gaz & 3)
            out[k++] = bucket(tmpl, ((uint64_t)lex->list_id[l] << 2) | (gaz & 3), mask);
    return k;
}

/* The NER_DOC_FEATS document features of token c (a second stage's), at out[k...). */
static size_t doc_feats(const NerTok *c, const NerTok *m1, const NerTok *p1, uint64_t mask,
                        uint32_t *out, size_t k)
{
    out[k++] = bucket(F_DOC_TAG, c->dtag, mask);
    out[k++] = bucket(F_DOC_OTHER, c->dother, mask);
    out[k++] = bucket(F_DOC_OTHER_M1, m1->dother, mask);
    out[k++] = bucket(F_DOC_OTHER_P1, p1->dother, mask);
    out[k++] = bucket(F_DOC_TAG3, ((uint64_t)m1->dtag << 16) | ((uint64_t)c->dtag << 8) | p1->dtag,
                      mask);
    out[k++] = bucket(F_DOC_BI, c->dbi, mask);
    out[k++] = bucket(F_DOC_BI_M1, m1->dbi, mask);
    return k;
}

size_t ner_feats(const NerLex *lex, unsigned bits, const NerTok *info, size_t n, size_t i,
                 uint32_t *out)
{
    const uint64_t mask = (1ULL << bits) - 1;
    const NerTok *c = &info[i];
    const NerTok *m1 = i >= 1 ? &info[i - 1] : &pad_bos;
    const NerTok *m2 = i >= 2 ? &info[i - 2] : &pad_bos;
    const NerTok *p1 = i + 1 < n ? &info[i + 1] : &pad_eos;
    const NerTok *p2 = i + 2 < n ? &info[i + 2] : &pad_eos;
    size_t k = 0;
    out[k++] = bucket(F_BIAS, 0, mask);
    out[k++] = bucket(F_KEY, c->key, mask);
    out[k++] = bucket(F_STEM, c->stem, mask);
    out[k++] = bucket(F_REM, c->rem, mask);
    out[k++] = bucket(F_PRE, c->pre, mask);
    out[k++] = bucket(F_SUF, c->suf, mask);
    out[k++] = bucket(F_PX1, c->px[0], mask);
    out[k++] = bucket(F_PX2, c->px[1], mask);
    out[k++] = bucket(F_PX3, c->px[2], mask);
    out[k++] = bucket(F_PX4, c->px[3], mask);
    out[k++] = bucket(F_SX1, c->sx[0], mask);
    out[k++] = bucket(F_SX2, c->sx[1], mask);
    out[k++] = bucket(F_SX3, c->sx[2], mask);
    out[k++] = bucket(F_SX4, c->sx[3], mask);
    out[k++] = bucket(F_SHAPE, c->shape, mask);
    out[k++] = bucket(F_KEY_M1, m1->key, mask);
    out[k++] = bucket(F_KEY_P1, p1->key, mask);
    out[k++] = bucket(F_KEY_M2, m2->key, mask);
    out[k++] = bucket(F_KEY_P2, p2->key, mask);
    out[k++] = bucket(F_STEM_M1, m1->stem, mask);
    out[k++] = bucket(F_STEM_P1, p1->stem, mask);
    out[k++] = bucket(F_BI_M, mix64(m1->key) ^ c->key, mask);
    out[k++] = bucket(F_BI_P, mix64(c->key) ^ p1->key, mask);
    out[k++] = bucket(F_SHAPE3, ((uint64_t)m1->shape << 16) | ((uint64_t)c->shape << 8) | p1->shape,
                      mask);
    out[k++] = bucket(F_SUF_M1, m1->sx[1], mask);
    if (m1->cue)
        out[k++] = bucket(F_CUE_M1, m1->cue, mask);
    if (m2->cue)
        out[k++] = bucket(F_CUE_M2, m2->cue, mask);
    if (c->cue)
        out[k++] = bucket(F_CUE_0, c->cue, mask);
    if (p1->cue)
        out[k++] = bucket(F_CUE_P1, p1->cue, mask);
    if (c->flags)
        out[k++] = bucket(F_FLAGS, c->flags, mask);
    if (c->dtag) /* second stage: the first stage's tags of the word here and elsewhere */
        k = doc_feats(c, m1, p1, mask, out, k);
    if (lex->clusters.n) { /* word clusters: the word and its neighbours, fine and coarse */
        out[k++] = bucket(F_CLU_0, c->clu & 0xFFFF, mask);
        out[k++] = bucket(F_CLU_M1, m1->clu & 0xFFFF, mask);
        out[k++] = bucket(F_CLU_P1, p1->clu & 0xFFFF, mask);
        out[k++] = bucket(F_CLUC_0, c->clu >> 16, mask);
        out[k++] = bucket(F_CLUC_M1, m1->clu >> 16, mask);
        out[k++] = bucket(F_CLUC_P1, p1->clu >> 16, mask);
        out[k++] = bucket(F_CLU_BI, ((uint64_t)(m1->clu >> 16) << 32) | (c->clu & 0xFFFF), mask);
    }
    k = gaz_feats(lex, F_GAZ_0, c->gaz, mask, out, k, NER_MAX_FEATS);
    k = gaz_feats(lex, F_GAZ_M1, m1->gaz, mask, out, k, NER_MAX_FEATS);
    k = gaz_feats(lex, F_GAZ_P1, p1->gaz, mask, out, k, NER_MAX_FEATS);
    return k;
}

size_t ner_doc_feats(unsigned bits, const NerTok *info, size_t n, size_t i, uint32_t *out)
{
    const NerTok *c = &info[i];
    const NerTok *m1 = i >= 1 ? &info[i - 1] : &pad_bos;
    const NerTok *p1 = i + 1 < n ? &info[i + 1] : &pad_eos;
    return c->dtag ? doc_feats(c, m1, p1, (1ULL << bits) - 1, out, 0) : 0;
}

/* ---- document features ----------------------------------------------------------- */

/* First-stage tags of one word (clitic-free remainder) over a document. */
typedef struct DocCount {
    uint64_t key;                  /* NerTok.rem; 0 = empty slot */
    uint32_t n;                    /* occurrences */
    uint32_t ent[NER_NTYPES];      /* occurrences tagged B-X or I-X, by type X */
    uint32_t b[NER_NTYPES];        /* of those, tagged B-X */
} DocCount;

/* The entity type given most often (ties: the first), or 0 when none was. */
static unsigned best_type(const uint32_t ent[NER_NTYPES])
{
    unsigned best = 0;
    for (unsigned t = 1; t < NER_NTYPES; t++)
        if (ent[t] > (best ? ent[best] : 0))
            best = t;
    return best;
}

/*
 * What the first stage made of the other occurrences of a word (all but the
 * token self_tag belongs to): 1 = none elsewhere; 2 = elsewhere, never in an
 * entity; else the type most often given elsewhere, whether it was given every
 * time, at least half the time or less, and whether mostly as a span's first
 * token: 3 + 2·(3·(type − 1) + share) + first.
 */
static uint8_t doc_other(const DocCount *e, unsigned self_tag)
{
    uint32_t n = e->n - 1, ent[NER_NTYPES], b[NER_NTYPES];
    memcpy(ent, e->ent, sizeof ent);
    memcpy(b, e->b, sizeof b);
    if (self_tag != NER_O && self_tag < NER_NTAGS) {
        ent[NER_TAG_TYPE(self_tag)]--;
        if (NER_TAG_IS_B(self_tag))
            b[NER_TAG_TYPE(self_tag)]--;
    }
    if (n == 0)
        return 1;
    unsigned best = best_type(ent);
    if (!best)
        return 2;
    uint32_t cnt = ent[best];
    unsigned share = cnt == n ? 0 : 2 * cnt >= n ? 1 : 2;
    unsigned first = 2 * b[best] >= cnt;
    return (uint8_t)(3 + 2 * (3 * (best - 1) + share) + first);
}

/* The entry of key in tab (cap a power of two, never full). */
static DocCount *doc_slot(DocCount *tab, size_t cap, uint64_t key)
{
    size_t j = (size_t)mix64(key) & (cap - 1);
    while (tab[j].key && tab[j].key != key)
        j = (j + 1) & (cap - 1);
    tab[j].key = key;
    return &tab[j];
}

/* Key of the word pair at i, i+1 (0 when either is outside every sentence). */
static uint64_t pair_key(const NerTok *info, size_t n, size_t i)
{
    if (i + 1 >= n || !info[i].rem || !info[i + 1].rem)
        return 0;
    return nonzero(mix64(info[i].rem * 0x9E3779B97F4A7C15ULL) ^ info[i + 1].rem);
}

/* Type of the entity that tags a, b (tokens i, i+1) put both tokens in, else NER_NONE. */
static unsigned joined(unsigned a, unsigned b)
{
    if (a == NER_O || a >= NER_NTAGS || b >= NER_NTAGS || b != NER_I(NER_TAG_TYPE(a)))
        return NER_NONE;
    return NER_TAG_TYPE(a);
}

/*
 * What the first stage made of the pair's other occurrences: 1 = none
 * elsewhere; 2 = never one entity; else 3 + 2·(type − 1) + (not every time).
 */
static uint8_t pair_other(const DocCount *e, unsigned self)
{
    uint32_t n = e->n - 1, ent[NER_NTYPES];
    memcpy(ent, e->ent, sizeof ent);
    ent[self]--;
    if (n == 0)
        return 1;
    unsigned best = best_type(ent);
    if (!best)
        return 2;
    return (uint8_t)(3 + 2 * (best - 1) + (ent[best] != n));
}

int ner_doc_fill(NerTok *info, size_t n, const uint8_t *tags1)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    DocCount *tab = calloc(cap, sizeof *tab), *pairs = calloc(cap, sizeof *pairs);
    if (!tab || !pairs) {
        free(tab);
        free(pairs);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!info[i].rem)
            continue; /* a token outside every sentence: never given features */
        DocCount *e = doc_slot(tab, cap, info[i].rem);
        e->n++;
        unsigned tg = tags1[i];
        if (tg != NER_O && tg < NER_NTAGS) {
            e->ent[NER_TAG_TYPE(tg)]++;
            e->b[NER_TAG_TYPE(tg)] += NER_TAG_IS_B(tg);
        }
        uint64_t pk = pair_key(info, n, i);
        if (pk) {
            DocCount *q = doc_slot(pairs, cap, pk);
            q->n++;
            q->ent[joined(tg, tags1[i + 1])]++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!info[i].rem)
            continue;
        unsigned tg = tags1[i] < NER_NTAGS ? tags1[i] : NER_O;
        info[i].dtag = (uint8_t)(1 + tg);
        info[i].dother = doc_other(doc_slot(tab, cap, info[i].rem), tg);
        uint64_t pk = pair_key(info, n, i);
        info[i].dbi = pk ? pair_other(doc_slot(pairs, cap, pk), joined(tg, tags1[i + 1])) : 0;
    }
    free(tab);
    free(pairs);
    return 0;
}

/* ---- tagging ------------------------------------------------------------------------ */

/* Per-call working memory, sized for the longest sequence. */
typedef struct Work {
    NerTok *info;  /* token info of the current piece */
    int32_t *emit; /* emission scores, NER_NTAGS per token */
    uint8_t *bp;   /* Viterbi back-pointers, NER_NTAGS per token */
    uint32_t *feats; /* two-stage models: NER_MAX_FEATS feature buckets per token */
    uint8_t *nfeat;  /* and how many each token has */
} Work;

static int work_init(Work *w, size_t n)
{
    if (n > NER_MAX_SEQ)
        n = NER_MAX_SEQ;
    if (n == 0)
        n = 1;
    w->info = malloc(n * sizeof *w->info);
    w->emit = malloc(n * NER_NTAGS * sizeof *w->emit);
    w->bp = malloc(n * NER_NTAGS);
    w->feats = malloc(n * NER_MAX_FEATS * sizeof *w->feats);
    w->nfeat = malloc(n);
    return w->info && w->emit && w->bp && w->feats && w->nfeat ? 0 : -1;
}

static void work_free(Work *w)
{
    free(w->info);
    free(w->emit);
    free(w->bp);
    free(w->feats);
    free(w->nfeat);
}

/*
 * Emission scores of one token: the sum of its features' weight rows.
 * This is most of the tagger's time, spent waiting for rows scattered over
 * megabytes, so the rows of all features are located (rank lookups, which
 * stay in cache) and prefetched first, then summed: with SSE2 the first 8
 * tags as two vectors of int32, the 9th alone. Features whose bucket has
 * no row (unseen in training) cost no row read at all.
 */
static void emission(const NerModel *m, const uint32_t *f, size_t nf, int32_t *e)
{
    _Static_assert(NER_NTAGS == 9, "emission() sums 8 tags as vectors and the 9th alone");
    const int16_t *rows[NER_MAX_FEATS];
    size_t nr = 0;
    for (size_t j = 0; j < nf; j++) {
        const NerRank *rk = &m->rank[f[j] >> 6];
        uint64_t bit = 1ULL << (f[j] & 63);
        if (!(rk->bits & bit))
            continue;
        const int16_t *row =
            m->rows + (size_t)(rk->before + popcount64(rk->bits & (bit - 1))) * NER_NTAGS;
        __builtin_prefetch(row);
        rows[nr++] = row;
    }
#ifdef __SSE2__
    __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
    int32_t last = 0;
    for (size_t j = 0; j < nr; j++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)rows[j]);
        lo = _mm_add_epi32(lo, _mm_srai_epi32(_mm_unpacklo_epi16(v, v), 16));
        hi = _mm_add_epi32(hi, _mm_srai_epi32(_mm_unpackhi_epi16(v, v), 16));
        last += rows[j][8];
    }
    _mm_storeu_si128((__m128i *)(void *)e, lo);
    _mm_storeu_si128((__m128i *)(void *)(e + 4), hi);
    e[8] = last;
#else
    int32_t acc[NER_NTAGS] = {0};
    for (size_t j = 0; j < nr; j++)
        for (int t = 0; t < NER_NTAGS; t++)
            acc[t] += rows[j][t];
    memcpy(e, acc, sizeof acc);
#endif
}

void ner_emission(const NerModel *m, const uint32_t *f, size_t nf, int32_t *e)
{
    emission(m, f, nf, e);
}

/* ner_emission_joint; as emission(), one read per feature. */
static void emission_joint(const NerModel *m, const uint32_t *f, size_t nf, int32_t *e1,
                           int32_t *e2)
{
    /* ner_feats keeps at most NER_MAX_FEATS features, and a second-stage
       token spends NER_DOC_FEATS of them on document features, so it keeps
       fewer of the gazetteer features at the end */
    size_t n2 = nf < NER_MAX_FEATS - NER_DOC_FEATS ? nf : NER_MAX_FEATS - NER_DOC_FEATS;
    const int16_t *rows[NER_MAX_FEATS];
    size_t nr = 0, nr2 = 0;
    for (size_t j = 0; j < nf; j++) {
        const int16_t *row = row_of(m->jrank, m->jrows, NER_JROW, f[j]);
        if (!row)
            continue;
        __builtin_prefetch(row);
        __builtin_prefetch(row + NER_JROW - 1);
        rows[nr++] = row;
        nr2 += j < n2;
    }
#ifdef __SSE2__
    __m128i lo1 = _mm_setzero_si128(), hi1 = _mm_setzero_si128();
    __m128i lo2 = _mm_setzero_si128(), hi2 = _mm_setzero_si128();
    int32_t last1 = 0, last2 = 0;
    for (size_t j = 0; j < nr; j++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)rows[j]);
        lo1 = _mm_add_epi32(lo1, _mm_srai_epi32(_mm_unpacklo_epi16(v, v), 16));
        hi1 = _mm_add_epi32(hi1, _mm_srai_epi32(_mm_unpackhi_epi16(v, v), 16));
        last1 += rows[j][16];
        if (j < nr2) {
            __m128i u = _mm_loadu_si128((const __m128i *)(const void *)(rows[j] + 8));
            lo2 = _mm_add_epi32(lo2, _mm_srai_epi32(_mm_unpacklo_epi16(u, u), 16));
            hi2 = _mm_add_epi32(hi2, _mm_srai_epi32(_mm_unpackhi_epi16(u, u), 16));
            last2 += rows[j][17];
        }
    }
    _mm_storeu_si128((__m128i *)(void *)e1, lo1);
    _mm_storeu_si128((__m128i *)(void *)(e1 + 4), hi1);
    e1[8] = last1;
    _mm_storeu_si128((__m128i *)(void *)e2, lo2);
    _mm_storeu_si128((__m128i *)(void *)(e2 + 4), hi2);
    e2[8] = last2;
#else
    int32_t a1[NER_NTAGS] = {0}, a2[NER_NTAGS] = {0};
    for (size_t j = 0; j < nr; j++)
        for (int t = 0; t < NER_NTAGS; t++) {
            a1[t] += rows[j][t < 8 ? t : 16];
            if (j < nr2)
                a2[t] += rows[j][t < 8 ? 8 + t : 17];
        }
    memcpy(e1, a1, sizeof a1);
    memcpy(e2, a2, sizeof a2);
#endif
}

void ner_emission_joint(const NerModel *m, const uint32_t *f, size_t nf, int32_t *e1,
                        int32_t *e2)
{
    emission_joint(m, f, nf, e1, e2);
}

static void decode_scored(const NerModel *m, const NerLex *lex, const NerTok *info, size_t k,
                          uint8_t *tags, Work *w, int last);

/*
 * Decodes one piece (at most NER_MAX_SEQ tokens) whose token info is
 * computed. The last stage's output never has a time adverb in a person's
 * span: the adverb becomes O and a person's word after it starts a span.
 */
static void decode_piece(const NerModel *m, const NerLex *lex, const NerTok *info, size_t k,
                         uint8_t *tags, Work *w, int last)
{
    uint32_t f[NER_MAX_FEATS];
    for (size_t i = 0; i < k; i++) {
        size_t nf = ner_feats(lex, m->bits, info, k, i, f);
        emission(m, f, nf, w->emit + i * NER_NTAGS);
    }
    decode_scored(m, lex, info, k, tags, w, last);
}

/* Viterbi over the piece's emission scores in w->emit, then (last stage) the
   time-adverb repair of decode_piece. */
static void decode_scored(const NerModel *m, const NerLex *lex, const NerTok *info, size_t k,
                          uint8_t *tags, Work *w, int last)
{
    ner_viterbi_bio(w->emit, m->trans, k, w->bp, tags);
    for (size_t i = 0; last && i < k; i++)
        if (NER_TAG_TYPE(tags[i]) == NER_PERS && ner_map_get(&lex->timewords, info[i].rem)) {
            tags[i] = NER_O;
            if (i + 1 < k && tags[i + 1] == NER_I(NER_PERS))
                tags[i + 1] = NER_B(NER_PERS);
        }
}

/* One-stage models: each sentence on its own, in pieces of NER_MAX_SEQ tokens. */
static void tag_seq(const NerModel *m, const rasd_token *toks, size_t n, uint8_t *tags, Work *w)
{
    for (size_t off = 0; off < n; off += NER_MAX_SEQ) {
        size_t k = n - off < NER_MAX_SEQ ? n - off : NER_MAX_SEQ;
        ner_tok_info(&m->lex, toks + off, k, w->info);
        decode_piece(m, &m->lex, w->info, k, tags + off, w, 1);
    }
}

/*
 * Two-stage models: the first stage tags every sentence, ner_doc_fill turns
 * its tags into the document features, the second stage tags again. Token
 * info is computed once for the whole document (info holds n entries, zeroed
 * by the caller: tokens outside the sentences keep rem 0).
 */
static int tag_stacked(const NerModel *m, const rasd_token *toks, size_t n, const uint32_t *se,
                       size_t nsent, uint8_t *tags, uint8_t *tags1, NerTok *info, Work *w)
{
    for (int pass = 0; pass < 2; pass++) {
        const NerModel *mm = pass ? m : m->first;
        uint8_t *out = pass ? tags : tags1;
        for (size_t s = 0; s < nsent; s++) {
            size_t b = se[2 * s], e = se[2 * s + 1] < n ? se[2 * s + 1] : n;
            for (size_t off = b; off < e; off += NER_MAX_SEQ) {
                size_t k = e - off < NER_MAX_SEQ ? e - off : NER_MAX_SEQ;
                if (!pass)
                    ner_tok_info(&m->lex, toks + off, k, info + off);
                decode_piece(mm, &m->lex, info + off, k, out + off, w, pass);
            }
        }
        if (!pass && ner_doc_fill(info, n, tags1) < 0)
            return -1;
    }
    return 0;
}

/*
 * tag_stacked for a model with a joint table (the shipped one): the first
 * pass computes each token's features once and sums both stages' weights
 * (emission_joint), keeping the second stage's partial scores in part
 * (NER_NTAGS per token of the document); the second pass adds the document
 * features' rows only. Same tags as tag_stacked.
 */
static int tag_joint(const NerModel *m, const rasd_token *toks, size_t n, const uint32_t *se,
                     size_t nsent, uint8_t *tags, uint8_t *tags1, NerTok *info, int32_t *part,
                     Work *w)
{
    uint32_t f[NER_MAX_FEATS];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t s = 0; s < nsent; s++) {
            size_t b = se[2 * s], e = se[2 * s + 1] < n ? se[2 * s + 1] : n;
            for (size_t off = b; off < e; off += NER_MAX_SEQ) {
                size_t k = e - off < NER_MAX_SEQ ? e - off : NER_MAX_SEQ;
                NerTok *in = info + off;
                int32_t *pt = part + off * NER_NTAGS;
                if (!pass) {
                    /* every token's features first, so that the rank entries of
                       the next token's can be fetched while this one is summed */
                    ner_tok_info(&m->lex, toks + off, k, in);
                    for (size_t i = 0; i < k; i++)
                        w->nfeat[i] = (uint8_t)ner_feats(&m->lex, m->bits, in, k, i,
                                                         w->feats + i * NER_MAX_FEATS);
                    for (size_t i = 0; i < k; i++) {
                        const uint32_t *fi = w->feats + i * NER_MAX_FEATS;
                        if (i + 1 < k)
                            for (size_t j = 0; j < w->nfeat[i + 1]; j++)
                                __builtin_prefetch(&m->jrank[fi[NER_MAX_FEATS + j] >> 6]);
                        emission_joint(m, fi, w->nfeat[i], w->emit + i * NER_NTAGS,
                                       pt + i * NER_NTAGS);
                    }
                    decode_scored(m->first, &m->lex, in, k, tags1 + off, w, 0);
                    continue;
                }
                for (size_t i = 0; i < k; i++) {
                    int32_t *em = w->emit + i * NER_NTAGS;
                    emission(m, f, ner_doc_feats(m->bits, in, k, i, f), em);
                    for (int t = 0; t < NER_NTAGS; t++)
                        em[t] += pt[i * NER_NTAGS + t];
                }
                decode_scored(m, &m->lex, in, k, tags + off, w, 1);
            }
        }
        if (!pass && ner_doc_fill(info, n, tags1) < 0)
            return -1;
    }
    return 0;
}

rasd_err ner_tag_sentences(const NerModel *m, const rasd_token *toks, size_t n,
                           const uint32_t *se, size_t nsent, uint8_t *tags, rasd_error *err)
{
    if (!m || (n && (!toks || !tags)) || (nsent && !se))
        return rasd_fail(err, RASD_EINVAL, "ner_tag_sentences: bad argument");
    if (n == 0)
        return RASD_OK;
    memset(tags, NER_O, n);
    size_t longest = 0;
    for (size_t s = 0; s < nsent; s++) {
        size_t b = se[2 * s], e = se[2 * s + 1] < n ? se[2 * s + 1] : n;
        if (b < e && e - b > longest)
            longest = e - b;
    }
    Work w;
    if (work_init(&w, longest) < 0) {
        work_free(&w);
        return rasd_fail(err, RASD_ENOMEM, "out of memory tagging %zu tokens", n);
    }
    int bad = 0;
    if (!m->first) {
        for (size_t s = 0; s < nsent; s++) {
            size_t b = se[2 * s], e = se[2 * s + 1] < n ? se[2 * s + 1] : n;
            if (b < e)
                tag_seq(m, toks + b, e - b, tags + b, &w);
        }
    } else {
        NerTok *info = calloc(n, sizeof *info);
        uint8_t *tags1 = calloc(n, 1);
        int32_t *part = m->jrows ? malloc(n * NER_NTAGS * sizeof *part) : NULL;
        bad = !info || !tags1 || (m->jrows && !part);
        if (!bad && m->jrows)
            bad = tag_joint(m, toks, n, se, nsent, tags, tags1, info, part, &w) < 0;
        else if (!bad)
            bad = tag_stacked(m, toks, n, se, nsent, tags, tags1, info, &w) < 0;
        free(info);
        free(tags1);
        free(part);
    }
    work_free(&w);
    return bad ? rasd_fail(err, RASD_ENOMEM, "out of memory tagging %zu tokens", n) : RASD_OK;
}

rasd_err ner_tag_tokens(const NerModel *m, const rasd_token *toks, size_t n, uint8_t *tags,
                        rasd_error *err)
{
    if (!m || (n && (!toks || !tags)))
        return rasd_fail(err, RASD_EINVAL, "ner_tag_tokens: bad argument");
    uint32_t se[2] = {0, (uint32_t)n};
    return ner_tag_sentences(m, toks, n, se, 1, tags, err);
}

rasd_err ner_tag_doc(const NerModel *m, const rasd_doc *d, uint8_t *tags, rasd_error *err)
{
    if (!m || !d || (rasd_doc_ntokens(d) && !tags))
        return rasd_fail(err, RASD_EINVAL, "ner_tag_doc: bad argument");
    size_t nt = rasd_doc_ntokens(d), ns = rasd_doc_nsentences(d);
    const rasd_sentence *ss = rasd_doc_sentences(d);
    if (nt == 0)
        return RASD_OK;
    uint32_t *se = malloc((ns ? ns : 1) * 2 * sizeof *se);
    if (!se)
        return rasd_fail(err, RASD_ENOMEM, "out of memory tagging %zu tokens", nt);
    for (size_t s = 0; s < ns; s++) {
        se[2 * s] = ss[s].tok_begin;
        se[2 * s + 1] = ss[s].tok_end;
    }
    rasd_err rc = ner_tag_sentences(m, rasd_doc_tokens(d), nt, se, ns, tags, err);
    free(se);
    return rc;
}

rasd_err ner_tag(const rasd_doc *d, uint8_t *tags, rasd_error *err)
{
    const NerModel *m = ner_default(err);
    if (!m)
        return err ? err->code : RASD_ENOTFOUND;
    return ner_tag_doc(m, d, tags, err);
}
