/*
 * annotate.c — every annotator on one article (annotate.h), and the stored
 * form of the result.
 *
 * Order: the text core (tokens, sentences), the tagger with identity keys
 * and roles (analyze_entities), quotations with the entities' keys, dates
 * against the publication date, quantities; then the identity hash and the
 * MinHash signature the engine needs for duplicates and near-copies.
 *
 * The blob. Little-endian, versioned ("RSA" + version byte), sections in a
 * fixed order, each a count followed by fixed-size records:
 *   header   magic[3] version u8, text_len u32
 *   strings  n u32, then n × (len u16, bytes): distinct token keys and stems
 *   tokens   n u32, then n × (start, end, key, stem u32; type, flags u16; pre, suf u8)
 *   sents    n u32, then n × (start, end, tok_begin, tok_end u32)
 *   entities n u32, records; key bytes (len u32, bytes)
 *   roles    n u32, records; key bytes
 *   quotes   n u32, records; key bytes
 *   dates    n u32, records
 *   quants   n u32, records
 * Every record is written field by field (the writer and the reader below
 * list the same fields in the same order), so the blob does not depend on
 * struct padding; a struct that gains a field bumps ANNOT_VERSION. The
 * reader checks every offset against the text and every index against its
 * array before anything uses it: a damaged row is an error, never a crash
 * (fuzz_annot).
 */
#include "annotate/annotate.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

#define ANNOT_VERSION 8 /* 2: dates carry their dateline flag and range; 3: dates read weekday
                            ranges and restated range sides, and quote speakers were re-found
                            (issue #15, session 5): stored dates and quotes are stale; 4
                            (session 6): quote speakers (Quran citations, fuller organisation
                            names), dates (ordinal day ranges, year lists, "nowadays") and name
                            keys and spans; 5 (session 7): a given name tagged as an
                            adjective starts the person's span (العقيد تركي المالكي),
                            month ranges, quote speakers (cut names, roles named later,
                            contrast clauses, ذهب إلى أن), a number inside one of the
                            article's dates (found with its publication date) is no quantity;
                            6 (session 8): the two-stage NER tagger (document features);
                            quote speakers agree with the gender of the cue where a listed
                            given name tells it (نورة بنت عبدالله ...); dates — a begun range
                            under a future cue, the current month called "next", month names
                            restated across a dash, "nowadays" after a pronoun; name keys — a
                            place's short word keeps its article (الجدة ≠ جدة, الخبر ≠ خيبر),
                            a person's family name after the father's name, a foreign name's
                            ب; 7 (session 9): an untagged quote speaker keyed as a tagged
                            name is (analyze_name_key: الجيش keeps its article), and a
                            name's punctuation left out of its key; a foreign name's ك
                            (كيربي); quote speakers — titles resolved to the name
                            after a title's body (الأمين العام لـ«أوبك» عبد الله البدري), a
                            rank (اللواء رفعت قمصان مستشار ...), a comma and an untagged
                            first name; a title and a family name to the one named before
                            (المقدم القحطاني); سموه not across a comma; حرص سموه an object;
                            8 (session 10): a person named by one word never takes a
                            full name's key by a father's name after بن (سلمان of
                            محمد بن سلمان); quote speakers — هنا after a title, a place
                            read as سـ + verb after a construct plural (أهالي سياتل), no
                            title held by a body's namesake (مركز الملك عبدالله); dates —
                            لـ"اليوم" the newspaper, 30 أو 31 يوليو, بين الخامس وال13,
                            الجمعة يوم 26 يونيو, أقوى من المتوقع */

static atomic_uint_fast64_t calls;

uint64_t annotate_calls(void) { return (uint64_t)atomic_load(&calls); }

/* "YYYY-MM-DD" prefix of a published value, or NULL. */
static const char *pub_day(const char *p, char out[11])
{
    if (!p || strlen(p) < 10 || p[4] != '-' || p[7] != '-')
        return NULL;
    memcpy(out, p, 10);
    out[10] = '\0';
    return out;
}

rasd_err annotate_article(rasd_text *t, const Article *a, unsigned flags, Annotated *out,
                          rasd_error *err)
{
    memset(out, 0, sizeof *out);
    atomic_fetch_add(&calls, 1);
    const char *body = a->body ? a->body : "";
    rasd_err e = rasd_text_analyse(t, body, strlen(body), &out->doc, err);
    if (e == RASD_OK && !(flags & ANNOT_NO_ENTITIES))
        e = analyze_entities(out->doc, &out->ents, err);
    if (e == RASD_OK)
        e = quotes_find(out->doc, (flags & ANNOT_NO_ENTITIES) ? NULL : &out->ents, &out->quotes,
                        err);
    char day[11];
    if (e == RASD_OK)
        e = dates_find(out->doc, pub_day(a->published, day), 0, &out->dates, &out->ndates, err);
    if (e == RASD_OK)
        e = quantities_find_dates(out->doc, out->dates, out->ndates, &out->quants,
                                  &out->nquants, err); /* the dates just found, not a
                                  second run without the publication date */
    if (e != RASD_OK) {
        annotated_free(out);
        return e;
    }
    fp_identity(out->doc, out->id);
    out->nminhash = fp_minhash(out->doc, out->minhash) ? FP_MINHASH : 0;
    return RASD_OK;
}

void annotated_free(Annotated *a)
{
    rasd_doc_free(a->doc);
    entities_free(&a->ents);
    quotes_free(&a->quotes);
    free(a->dates);
    free(a->quants);
    memset(a, 0, sizeof *a);
}

/* ---- writing ---- */

static void put_u8(Buf *b, uint8_t v) { buf_append(b, &v, 1); }
static void put_u32(Buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    buf_append(b, x, 4);
}
/* LEB128: 7 bits a byte, low first; most offsets and indexes take 1-2 bytes */
static void put_vu(Buf *b, uint32_t v)
{
    uint8_t x[5];
    int n = 0;
    do {
        x[n] = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v)
            x[n] |= 0x80;
        n++;
    } while (v);
    buf_append(b, x, (size_t)n);
}
static void put_f64(Buf *b, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}
static void put_bytes(Buf *b, const Buf *src)
{
    put_vu(b, (uint32_t)src->len);
    if (src->len)
        buf_append(b, src->data, src->len);
}

/* Interns the distinct token strings: index of s in the pool. */
typedef struct Pool {
    IdMap ids;        /* hash of the string → 1 + index */
    Buf out;          /* len u16 + bytes, back to back */
    uint32_t n;       /* strings */
} Pool;

static uint32_t pool_add(Pool *p, const char *s, size_t n)
{
    if (n > UINT16_MAX)
        n = UINT16_MAX;
    uint64_t h = rasd_hash(s, n) | 1; /* never 0: IdMap keys */
    uint32_t *slot = idmap_slot(&p->ids, h);
    if (slot && *slot)
        return *slot - 1;
    put_vu(&p->out, (uint16_t)n);
    buf_append(&p->out, s, n);
    if (slot)
        *slot = p->n + 1;
    return p->n++;
}

void annot_encode(const Annotated *a, Buf *b)
{
    const rasd_doc *d = a->doc;
    buf_append(b, "RSA", 3);
    put_u8(b, ANNOT_VERSION);
    put_vu(b, (uint32_t)d->text_len);
    Pool pool = {0};
    uint32_t *idx = malloc((d->ntokens ? d->ntokens : 1) * 2 * sizeof *idx);
    if (!idx) {
        b->oom = 1;
        return;
    }
    for (size_t i = 0; i < d->ntokens; i++) {
        idx[2 * i] = pool_add(&pool, d->tokens[i].key, d->tokens[i].key_len);
        idx[2 * i + 1] = pool_add(&pool, d->tokens[i].stem, d->tokens[i].stem_len);
    }
    put_vu(b, pool.n);
    buf_append(b, pool.out.data ? pool.out.data : "", pool.out.len);
    if (pool.out.oom)
        b->oom = 1;
    buf_free(&pool.out);
    idmap_free(&pool.ids);
    put_vu(b, (uint32_t)d->ntokens);
    uint32_t prev = 0; /* tokens are in text order and never overlap: deltas */
    for (size_t i = 0; i < d->ntokens; i++) {
        const rasd_token *t = &d->tokens[i];
        put_vu(b, t->start - prev);
        put_vu(b, t->end - t->start);
        prev = t->end;
        put_vu(b, idx[2 * i]);
        put_vu(b, idx[2 * i + 1]);
        put_vu(b, t->type);
        put_vu(b, t->flags);
        put_u8(b, t->pre_len);
        put_u8(b, t->suf_len);
    }
    free(idx);
    put_vu(b, (uint32_t)d->nsentences);
    for (size_t i = 0; i < d->nsentences; i++) {
        const rasd_sentence *s = &d->sentences[i];
        put_vu(b, s->start);
        put_vu(b, s->end);
        put_vu(b, s->tok_begin);
        put_vu(b, s->tok_end);
    }
    put_vu(b, (uint32_t)a->ents.n);
    for (size_t i = 0; i < a->ents.n; i++) {
        const Entity *x = &a->ents.items[i];
        put_u8(b, x->type);
        put_vu(b, x->start);
        put_vu(b, x->end);
        put_vu(b, x->key_off);
        put_vu(b, x->key_len);
        put_vu(b, x->role);
    }
    put_bytes(b, &a->ents.keys);
    put_vu(b, (uint32_t)a->ents.roles.n);
    for (size_t i = 0; i < a->ents.roles.n; i++) {
        const Role *r = &a->ents.roles.items[i];
        put_vu(b, r->first);
        put_vu(b, r->last);
        put_vu(b, r->start);
        put_vu(b, r->end);
        for (int k = 0; k < ROLES_MAX_OFFICES; k++) {
            put_vu(b, r->key_off[k]);
            put_vu(b, r->key_len[k]);
        }
        put_u8(b, r->noffices);
        put_u8(b, r->kind);
        put_u8(b, r->flags);
        put_vu(b, (uint32_t)r->entity);
    }
    put_bytes(b, &a->ents.roles.keys);
    put_vu(b, (uint32_t)a->quotes.n);
    for (size_t i = 0; i < a->quotes.n; i++) {
        const Quote *q = &a->quotes.items[i];
        uint32_t f[] = {q->start, q->end, q->cue_start, q->cue_end, q->said_start, q->said_end,
                        q->spk_start, q->spk_end, q->via_start, q->via_end, q->key_off,
                        q->key_len};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            put_vu(b, f[k]);
        put_u8(b, q->direct);
        put_u8(b, q->kind);
        put_u8(b, q->resolved);
    }
    put_bytes(b, &a->quotes.keys);
    put_vu(b, (uint32_t)a->ndates);
    for (size_t i = 0; i < a->ndates; i++) {
        const DateSpan *s = &a->dates[i];
        put_vu(b, s->start);
        put_vu(b, s->end);
        buf_append(b, s->value, sizeof s->value);
        put_u8(b, s->kind);
        put_u8(b, s->mod);
        put_u8(b, s->part);
        put_u8(b, s->hijri);
        put_u8(b, s->relative);
        put_u8(b, s->dateline);
        put_vu(b, s->dateline_start);
        put_vu(b, s->dateline_end);
    }
    put_vu(b, (uint32_t)a->nquants);
    for (size_t i = 0; i < a->nquants; i++) {
        const Quantity *q = &a->quants[i];
        uint32_t f[] = {q->start, q->end, q->tok_begin, q->tok_end, q->num_begin, q->num_end,
                        q->noun};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            put_vu(b, f[k]);
        double v[] = {q->value, q->lo, q->hi, q->precision, q->alt};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            put_f64(b, v[k]);
        put_u8(b, q->kind);
        put_u8(b, q->strict);
        put_u8(b, q->vague);
        put_u8(b, q->percent);
        put_u8(b, q->update);
    }
}

/* ---- reading ---- */

typedef struct Rd {
    const uint8_t *p, *end; /* unread bytes */
    int bad;                /* ran past the end or read a value out of range */
} Rd;

static int have(Rd *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return 0;
    }
    return 1;
}
static uint8_t get_u8(Rd *r) { return have(r, 1) ? *r->p++ : 0; }
static uint32_t get_u32(Rd *r)
{
    if (!have(r, 4))
        return 0;
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}
static uint32_t get_vu(Rd *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (!have(r, 1))
            return 0;
        uint8_t c = *r->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            if (v > UINT32_MAX)
                break;
            return (uint32_t)v;
        }
    }
    r->bad = 1;
    return 0;
}
static double get_f64(Rd *r)
{
    uint64_t lo = get_u32(r), hi = get_u32(r);
    uint64_t v = lo | hi << 32;
    double d;
    memcpy(&d, &v, 8);
    return d;
}
/* A count of records of at least min_size bytes each: never more than the blob holds. */
static size_t get_count(Rd *r, size_t min_size)
{
    uint32_t n = get_vu(r);
    if (r->bad || (size_t)(r->end - r->p) / min_size < n) {
        r->bad = 1;
        return 0;
    }
    return n;
}
static void get_bytes(Rd *r, Buf *out)
{
    uint32_t n = get_vu(r);
    if (!have(r, n))
        return;
    if (n) {
        buf_append(out, r->p, n);
        buf_append(out, "", 0); /* keys are read as NUL-terminated by some callers */
        out->len = n;
    }
    r->p += n;
}

static int span_ok(uint32_t s, uint32_t e, size_t len) { return s <= e && e <= len; }
static int key_ok(uint32_t off, uint32_t n, const Buf *keys)
{
    return n == 0 || ((size_t)off <= keys->len && n <= keys->len - off);
}

static void *calloc_n(size_t n, size_t size) { return calloc(n ? n : 1, size); }

static int read_doc(Rd *r, rasd_doc *d)
{
    size_t nstr = get_count(r, 2);
    const char **str = calloc_n(nstr, sizeof *str);
    uint16_t *slen = calloc_n(nstr, sizeof *slen);
    if (!str || !slen) {
        free(str);
        free(slen);
        return -1;
    }
    for (size_t i = 0; i < nstr && !r->bad; i++) {
        uint16_t n = get_vu(r);
        if (!have(r, n))
            break;
        char *s = arena_strndup(&d->arena, (const char *)r->p, n);
        r->p += n;
        str[i] = s;
        slen[i] = n;
    }
    size_t nt = get_count(r, 8);
    d->tokens = calloc_n(nt, sizeof *d->tokens);
    d->cap_tokens = nt;
    uint64_t prev = 0;
    for (size_t i = 0; d->tokens && i < nt && !r->bad; i++) {
        rasd_token *t = &d->tokens[i];
        uint64_t start = prev + get_vu(r), end = start + get_vu(r);
        if (end > d->text_len) {
            r->bad = 1;
            break;
        }
        t->start = (uint32_t)start;
        t->end = (uint32_t)end;
        prev = end;
        uint32_t k = get_vu(r), s = get_vu(r);
        t->type = get_vu(r);
        t->flags = get_vu(r);
        t->pre_len = get_u8(r);
        t->suf_len = get_u8(r);
        if (!span_ok(t->start, t->end, d->text_len) || k >= nstr || s >= nstr || !str[k] ||
            !str[s] || t->pre_len + t->suf_len > slen[k]) {
            r->bad = 1;
            break;
        }
        t->key = str[k];
        t->key_len = slen[k];
        t->stem = str[s];
        t->stem_len = slen[s];
        d->ntokens++;
    }
    free(str);
    free(slen);
    size_t ns = get_count(r, 4);
    d->sentences = calloc_n(ns, sizeof *d->sentences);
    d->cap_sentences = ns;
    for (size_t i = 0; d->sentences && i < ns && !r->bad; i++) {
        rasd_sentence *s = &d->sentences[i];
        s->start = get_vu(r);
        s->end = get_vu(r);
        s->tok_begin = get_vu(r);
        s->tok_end = get_vu(r);
        if (!span_ok(s->start, s->end, d->text_len) || !span_ok(s->tok_begin, s->tok_end, nt)) {
            r->bad = 1;
            break;
        }
        d->nsentences++;
    }
    return (!d->tokens || !d->sentences || d->arena.oom) ? -1 : 0;
}

static int read_entities(Rd *r, EntityList *l, size_t len, size_t ntok)
{
    size_t n = get_count(r, 6);
    l->items = calloc_n(n, sizeof *l->items);
    if (!l->items)
        return -1;
    for (size_t i = 0; i < n && !r->bad; i++) {
        Entity *x = &l->items[i];
        x->type = get_u8(r);
        x->start = get_vu(r);
        x->end = get_vu(r);
        x->key_off = get_vu(r);
        x->key_len = get_vu(r);
        x->role = get_vu(r);
        l->n++;
    }
    get_bytes(r, &l->keys);
    size_t nr = get_count(r, 14);
    l->roles.items = calloc_n(nr, sizeof *l->roles.items);
    if (!l->roles.items)
        return -1;
    for (size_t i = 0; i < nr && !r->bad; i++) {
        Role *x = &l->roles.items[i];
        x->first = get_vu(r);
        x->last = get_vu(r);
        x->start = get_vu(r);
        x->end = get_vu(r);
        for (int k = 0; k < ROLES_MAX_OFFICES; k++) {
            x->key_off[k] = get_vu(r);
            x->key_len[k] = get_vu(r);
        }
        x->noffices = get_u8(r);
        x->kind = get_u8(r);
        x->flags = get_u8(r);
        x->entity = (int32_t)get_vu(r);
        l->roles.n++;
    }
    get_bytes(r, &l->roles.keys);
    if (r->bad || l->keys.oom || l->roles.keys.oom)
        return r->bad ? 0 : -1;
    for (size_t i = 0; i < l->n; i++) {
        const Entity *x = &l->items[i];
        if (!span_ok(x->start, x->end, len) || !key_ok(x->key_off, x->key_len, &l->keys) ||
            x->role > nr)
            r->bad = 1;
    }
    for (size_t i = 0; i < nr; i++) {
        const Role *x = &l->roles.items[i];
        if (!span_ok(x->start, x->end, len) || x->first > x->last || x->last >= ntok ||
            x->noffices > ROLES_MAX_OFFICES || x->entity < -1 || x->entity >= (int32_t)l->n) {
            r->bad = 1;
            break;
        }
        for (int k = 0; k < x->noffices; k++)
            if (!key_ok(x->key_off[k], x->key_len[k], &l->roles.keys))
                r->bad = 1;
    }
    return 0;
}

static int read_quotes(Rd *r, QuoteList *l, size_t len)
{
    size_t n = get_count(r, 15);
    l->items = calloc_n(n, sizeof *l->items);
    if (!l->items)
        return -1;
    l->cap = n;
    for (size_t i = 0; i < n && !r->bad; i++) {
        Quote *q = &l->items[i];
        uint32_t *f[] = {&q->start, &q->end, &q->cue_start, &q->cue_end, &q->said_start,
                         &q->said_end, &q->spk_start, &q->spk_end, &q->via_start, &q->via_end,
                         &q->key_off, &q->key_len};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            *f[k] = get_vu(r);
        q->direct = get_u8(r);
        q->kind = get_u8(r);
        q->resolved = get_u8(r);
        l->n++;
    }
    get_bytes(r, &l->keys);
    if (l->keys.oom)
        return -1;
    for (size_t i = 0; i < l->n && !r->bad; i++) {
        const Quote *q = &l->items[i];
        if (!span_ok(q->start, q->end, len) || !span_ok(q->cue_start, q->cue_end, len) ||
            !span_ok(q->said_start, q->said_end, len) || !span_ok(q->spk_start, q->spk_end, len) ||
            !span_ok(q->via_start, q->via_end, len) || !key_ok(q->key_off, q->key_len, &l->keys))
            r->bad = 1;
    }
    return 0;
}

static int read_dates(Rd *r, Annotated *a, size_t len)
{
    size_t n = get_count(r, 2 + 48 + 8);
    a->dates = calloc_n(n, sizeof *a->dates);
    if (!a->dates)
        return -1;
    for (size_t i = 0; i < n && !r->bad; i++) {
        DateSpan *s = &a->dates[i];
        s->start = get_vu(r);
        s->end = get_vu(r);
        if (have(r, sizeof s->value)) {
            memcpy(s->value, r->p, sizeof s->value);
            r->p += sizeof s->value;
        }
        s->value[sizeof s->value - 1] = '\0';
        s->kind = get_u8(r);
        s->mod = get_u8(r);
        s->part = get_u8(r);
        s->hijri = get_u8(r);
        s->relative = get_u8(r);
        s->dateline = get_u8(r);
        s->dateline_start = get_vu(r);
        s->dateline_end = get_vu(r);
        if (!span_ok(s->start, s->end, len) ||
            (s->dateline && !span_ok(s->dateline_start, s->dateline_end, len)))
            r->bad = 1;
        a->ndates++;
    }
    return 0;
}

static int read_quants(Rd *r, Annotated *a, size_t len, size_t ntok)
{
    size_t n = get_count(r, 7 + 40 + 5);
    a->quants = calloc_n(n, sizeof *a->quants);
    if (!a->quants)
        return -1;
    for (size_t i = 0; i < n && !r->bad; i++) {
        Quantity *q = &a->quants[i];
        uint32_t *f[] = {&q->start, &q->end, &q->tok_begin, &q->tok_end, &q->num_begin,
                         &q->num_end, &q->noun};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            *f[k] = get_vu(r);
        double *v[] = {&q->value, &q->lo, &q->hi, &q->precision, &q->alt};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            *v[k] = get_f64(r);
        q->kind = get_u8(r);
        q->strict = get_u8(r);
        q->vague = get_u8(r);
        q->percent = get_u8(r);
        q->update = get_u8(r);
        if (!span_ok(q->start, q->end, len) || !span_ok(q->tok_begin, q->tok_end, ntok) ||
            !span_ok(q->num_begin, q->num_end, ntok) ||
            (q->noun != QUANT_NO_NOUN && q->noun >= ntok))
            r->bad = 1;
        a->nquants++;
    }
    return 0;
}

rasd_err annot_decode(const char *text, size_t len, const void *blob, size_t n, Annotated *out,
                      rasd_error *err)
{
    memset(out, 0, sizeof *out);
    Rd r = {blob, (const uint8_t *)blob + n, 0};
    if (n < 8 || memcmp(blob, "RSA", 3) != 0)
        return rasd_fail(err, RASD_EFORMAT, "stored annotations are not in rasd's format");
    r.p += 3;
    if (get_u8(&r) != ANNOT_VERSION)
        return rasd_fail(err, RASD_EFORMAT,
                         "stored annotations were made by another version of rasd "
                         "(run `rasd ingest --reannotate`)");
    if (get_vu(&r) != len)
        return rasd_fail(err, RASD_EFORMAT, "stored annotations do not match the article's text");
    rasd_doc *d = calloc(1, sizeof *d);
    char *copy = malloc(len + 1);
    if (!d || !copy) {
        free(d);
        free(copy);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    d->text = copy;
    d->text_len = len;
    arena_init(&d->arena, n < 4096 ? 4096 : n);
    out->doc = d;
    int oom = read_doc(&r, d) < 0;
    size_t ntok = d->ntokens;
    if (!oom && !r.bad)
        oom = read_entities(&r, &out->ents, len, ntok) < 0;
    if (!oom && !r.bad)
        oom = read_quotes(&r, &out->quotes, len) < 0;
    if (!oom && !r.bad)
        oom = read_dates(&r, out, len) < 0;
    if (!oom && !r.bad)
        oom = read_quants(&r, out, len, ntok) < 0;
    if (!oom && !r.bad && r.p != r.end)
        r.bad = 1;
    if (oom || r.bad) {
        annotated_free(out);
        return oom ? rasd_fail(err, RASD_ENOMEM, "out of memory")
                   : rasd_fail(err, RASD_EFORMAT, "stored annotations are damaged");
    }
    fp_identity(d, out->id);
    return RASD_OK;
}
