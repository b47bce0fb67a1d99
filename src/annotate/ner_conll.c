/*
 * ner_conll.c — CoNLL files for the NER tagger: reading them, mapping their
 * words to the text core's tokens and back, the dev split, and exact-span
 * scoring (as conlleval).
 *
 * A CoNLL word is not always one token of the text core ("(د" is two) and
 * the tagger must see at training time what it sees at run time, so each
 * sentence's words are joined by single spaces and analysed as running
 * text; every token remembers the word it starts in. Word tags are made
 * from token tags through entity spans, so an entity keeps one B- however
 * its words were cut into tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "ner_impl.h"
#include "../text/text.h"

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

static int add_word(NerConll *c, const char *w, size_t n, uint8_t tag)
{
    if (c->nwords == c->cap_words) {
        size_t cap = c->cap_words ? c->cap_words * 2 : 4096;
        uint32_t *woff = realloc(c->woff, cap * sizeof *woff);
        if (woff)
            c->woff = woff;
        uint32_t *wlen = realloc(c->wlen, cap * sizeof *wlen);
        if (wlen)
            c->wlen = wlen;
        uint8_t *gold = realloc(c->gold, cap);
        if (gold)
            c->gold = gold;
        if (!woff || !wlen || !gold)
            return -1;
        c->cap_words = cap;
    }
    if (n + 1 > c->pool_cap - c->pool_len) {
        size_t cap = c->pool_cap ? c->pool_cap : 65536;
        while (n + 1 > cap - c->pool_len)
            cap *= 2;
        if (cap > UINT32_MAX)
            return -1;
        char *pool = realloc(c->pool, cap);
        if (!pool)
            return -1;
        c->pool = pool;
        c->pool_cap = cap;
    }
    c->woff[c->nwords] = (uint32_t)c->pool_len;
    c->wlen[c->nwords] = (uint32_t)n;
    c->gold[c->nwords] = tag;
    memcpy(c->pool + c->pool_len, w, n);
    c->pool[c->pool_len + n] = 0;
    c->pool_len += n + 1;
    c->nwords++;
    return 0;
}

static int end_sentence(NerConll *c, size_t *begin)
{
    if (c->nwords == *begin)
        return 0;
    if (c->nsent == c->cap_sent) {
        size_t cap = c->cap_sent ? c->cap_sent * 2 : 1024;
        NerConllSent *s = realloc(c->sent, cap * sizeof *s);
        if (!s)
            return -1;
        c->sent = s;
        c->cap_sent = cap;
    }
    c->sent[c->nsent].word_begin = (uint32_t)*begin;
    c->sent[c->nsent].word_end = (uint32_t)c->nwords;
    c->nsent++;
    *begin = c->nwords;
    return 0;
}

rasd_err ner_conll_parse(const char *s, size_t n, int want_gold, const char *name,
                         NerConll *c, rasd_error *err)
{
    memset(c, 0, sizeof *c);
    c->has_gold = 1;
    if (!name)
        name = "input";
    if (n >= UINT32_MAX / 2)
        return rasd_fail(err, RASD_ETOOBIG, "%s: CoNLL input over 2 GiB", name);
    size_t pos = 0, line = 0, begin = 0;
    while (pos < n) {
        size_t b = pos, e = pos;
        while (e < n && s[e] != '\n')
            e++;
        pos = e < n ? e + 1 : e;
        line++;
        while (b < e && is_blank(s[b]))
            b++;
        while (e > b && is_blank(s[e - 1]))
            e--;
        if (b == e) {
            if (end_sentence(c, &begin) < 0)
                goto oom;
            continue;
        }
        size_t we = b;
        while (we < e && !is_blank(s[we]))
            we++;
        if (we - b == 10 && memcmp(s + b, "-DOCSTART-", 10) == 0) {
            if (end_sentence(c, &begin) < 0)
                goto oom;
            continue;
        }
        size_t tb = e;
        while (tb > we && !is_blank(s[tb - 1]))
            tb--;
        int tag = NER_O;
        if (tb == we) { /* one column: no tag */
            c->has_gold = 0;
            if (want_gold) {
                ner_conll_free(c);
                return rasd_fail(err, RASD_EFORMAT, "%s:%zu: no tag column after the word",
                                 name, line);
            }
        } else {
            tag = ner_tag_parse(s + tb, e - tb);
            if (tag < 0) {
                if (want_gold) {
                    int shown = e - tb > 40 ? 40 : (int)(e - tb);
                    ner_conll_free(c);
                    return rasd_fail(err, RASD_EFORMAT,
                                     "%s:%zu: unknown tag '%.*s' (expected O, B-X or I-X with "
                                     "X one of PERS, LOC, ORG, MISC)",
                                     name, line, shown, s + tb);
                }
                tag = NER_O;
            }
        }
        if (add_word(c, s + b, we - b, (uint8_t)tag) < 0)
            goto oom;
    }
    if (end_sentence(c, &begin) < 0)
        goto oom;
    if (c->nwords == 0)
        c->has_gold = 0;
    return RASD_OK;
oom:
    ner_conll_free(c);
    return rasd_fail(err, RASD_ENOMEM, "%s: out of memory reading CoNLL", name);
}

void ner_conll_free(NerConll *c)
{
    free(c->pool);
    free(c->woff);
    free(c->wlen);
    free(c->gold);
    free(c->sent);
    memset(c, 0, sizeof *c);
}

rasd_err ner_conll_analyse(rasd_text *t, const NerConll *c, size_t s, rasd_doc **doc,
                           uint32_t **tok_word, rasd_error *err)
{
    *doc = NULL;
    *tok_word = NULL;
    if (s >= c->nsent)
        return rasd_fail(err, RASD_EINVAL, "ner_conll_analyse: no sentence %zu", s);
    size_t b = c->sent[s].word_begin, nw = c->sent[s].word_end - b;
    uint32_t *wstart = malloc((nw ? nw : 1) * sizeof *wstart);
    Buf joined = {0};
    if (!wstart)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    for (size_t w = 0; w < nw; w++) {
        /* a space before every word, the first too: a byte-order mark at the
           very start of the text would be dropped by the analysis and shift
           every offset after it */
        buf_putc(&joined, ' ');
        wstart[w] = (uint32_t)joined.len;
        utf8_clean(c->pool + c->woff[b + w], c->wlen[b + w], &joined);
    }
    buf_append(&joined, "", 0);
    rasd_err rc = joined.oom ? rasd_fail(err, RASD_ENOMEM, "out of memory")
                             : rasd_text_analyse(t, joined.data, joined.len, doc, err);
    buf_free(&joined);
    if (rc != RASD_OK) {
        free(wstart);
        return rc;
    }
    size_t nt = rasd_doc_ntokens(*doc);
    const rasd_token *toks = rasd_doc_tokens(*doc);
    uint32_t *tw = malloc((nt ? nt : 1) * sizeof *tw);
    if (!tw) {
        free(wstart);
        rasd_doc_free(*doc);
        *doc = NULL;
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    size_t w = 0;
    for (size_t i = 0; i < nt; i++) {
        while (w + 1 < nw && wstart[w + 1] <= toks[i].start)
            w++;
        tw[i] = (uint32_t)(b + w);
    }
    free(wstart);
    *tok_word = tw;
    return RASD_OK;
}

void ner_conll_words_from_tokens(const NerConll *c, size_t s, const rasd_doc *doc,
                                 const uint32_t *tok_word, const uint8_t *tok_tags,
                                 uint8_t *words)
{
    size_t b = c->sent[s].word_begin, nw = c->sent[s].word_end - b;
    size_t nt = rasd_doc_ntokens(doc);
    memset(words, NER_O, nw);
    for (size_t i = 0; i < nt;) {
        unsigned tag = tok_tags[i];
        if (tag == NER_O || tag >= NER_NTAGS) {
            i++;
            continue;
        }
        unsigned type = NER_TAG_TYPE(tag);
        size_t j = i + 1;
        while (j < nt && tok_tags[j] == NER_I(type))
            j++;
        size_t wf = tok_word[i] - b, wl = tok_word[j - 1] - b;
        for (size_t w = wf; w <= wl && w < nw; w++)
            if (words[w] == NER_O) /* two entities in one word: the first keeps it */
                words[w] = w == wf ? NER_B(type) : NER_I(type);
        i = j;
    }
}

rasd_err ner_conll_tag(const NerModel *m, rasd_text *t, const NerConll *c, size_t s,
                       uint8_t *words, rasd_error *err)
{
    rasd_doc *d;
    uint32_t *tw;
    rasd_err rc = ner_conll_analyse(t, c, s, &d, &tw, err);
    if (rc != RASD_OK)
        return rc;
    size_t nt = rasd_doc_ntokens(d);
    uint8_t *tags = malloc(nt ? nt : 1);
    if (!tags)
        rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
    else
        rc = ner_tag_tokens(m, rasd_doc_tokens(d), nt, tags, err);
    if (rc == RASD_OK)
        ner_conll_words_from_tokens(c, s, d, tw, tags, words);
    free(tags);
    free(tw);
    rasd_doc_free(d);
    return rc;
}

int ner_is_dev(size_t sentence_index) { return sentence_index % NER_DEV_EVERY == NER_DEV_EVERY - 1; }

/* ---- scoring ---- */

/* Next entity span of tags at or after *pos (CoNLL chunking); 0 at the end. */
static int next_span(const uint8_t *tags, size_t n, size_t *pos, NerSpan *sp)
{
    size_t i = *pos;
    while (i < n && (tags[i] == NER_O || tags[i] >= NER_NTAGS))
        i++;
    if (i >= n)
        return 0;
    unsigned type = NER_TAG_TYPE(tags[i]);
    size_t j = i + 1;
    while (j < n && tags[j] == NER_I(type))
        j++;
    sp->type = (uint8_t)type;
    sp->first = (uint32_t)i;
    sp->last = (uint32_t)(j - 1);
    *pos = j;
    return 1;
}

void ner_score_add(NerScore *s, const uint8_t *gold, const uint8_t *pred, size_t n)
{
    size_t gp = 0, pp = 0;
    NerSpan g, p;
    int hg = next_span(gold, n, &gp, &g), hp = next_span(pred, n, &pp, &p);
    while (hg || hp) {
        if (hg && hp && g.first == p.first) {
            if (g.last == p.last && g.type == p.type) {
                s->tp[g.type]++;
            } else {
                s->fn[g.type]++;
                s->fp[p.type]++;
            }
            hg = next_span(gold, n, &gp, &g);
            hp = next_span(pred, n, &pp, &p);
        } else if (hg && (!hp || g.first < p.first)) {
            s->fn[g.type]++;
            hg = next_span(gold, n, &gp, &g);
        } else {
            s->fp[p.type]++;
            hp = next_span(pred, n, &pp, &p);
        }
    }
}

double ner_score_f1(const NerScore *s, unsigned type, double *precision, double *recall)
{
    uint64_t tp = 0, fp = 0, fn = 0;
    for (unsigned t = 1; t < NER_NTYPES; t++)
        if (type == NER_NONE || type == t) {
            tp += s->tp[t];
            fp += s->fp[t];
            fn += s->fn[t];
        }
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    double r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    if (precision)
        *precision = p;
    if (recall)
        *recall = r;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* Tags and scores sentences sents[0..n) as one document (see NER_CONLL_DOC). */
static rasd_err eval_group(const NerModel *m, rasd_text *t, const NerConll *c,
                           const size_t *sents, size_t n, NerScore *score, rasd_error *err)
{
    rasd_doc *docs[NER_CONLL_DOC] = {0};
    uint32_t *tw[NER_CONLL_DOC] = {0}, se[2 * NER_CONLL_DOC];
    rasd_token *toks = NULL;
    uint8_t *tags = NULL, *words = NULL;
    size_t nt = 0, maxw = 1;
    rasd_err rc = RASD_OK;
    for (size_t k = 0; k < n && rc == RASD_OK; k++) {
        if (sents[k] >= c->nsent) {
            rc = rasd_fail(err, RASD_EINVAL, "ner_conll_eval: no sentence %zu", sents[k]);
            break;
        }
        rc = ner_conll_analyse(t, c, sents[k], &docs[k], &tw[k], err);
        if (rc != RASD_OK)
            break;
        se[2 * k] = (uint32_t)nt;
        nt += rasd_doc_ntokens(docs[k]);
        se[2 * k + 1] = (uint32_t)nt;
        size_t nw = c->sent[sents[k]].word_end - c->sent[sents[k]].word_begin;
        if (nw > maxw)
            maxw = nw;
    }
    if (rc == RASD_OK) {
        toks = malloc((nt ? nt : 1) * sizeof *toks);
        tags = malloc(nt ? nt : 1);
        words = malloc(maxw);
        if (!toks || !tags || !words)
            rc = rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    if (rc == RASD_OK) {
        for (size_t k = 0; k < n; k++)
            memcpy(toks + se[2 * k], rasd_doc_tokens(docs[k]),
                   (se[2 * k + 1] - se[2 * k]) * sizeof *toks);
        rc = ner_tag_sentences(m, toks, nt, se, n, tags, err);
    }
    for (size_t k = 0; k < n && rc == RASD_OK; k++) {
        const NerConllSent *s = &c->sent[sents[k]];
        ner_conll_words_from_tokens(c, sents[k], docs[k], tw[k], tags + se[2 * k], words);
        ner_score_add(score, c->gold + s->word_begin, words, s->word_end - s->word_begin);
    }
    for (size_t k = 0; k < n; k++) {
        rasd_doc_free(docs[k]);
        free(tw[k]);
    }
    free(toks);
    free(tags);
    free(words);
    return rc;
}

rasd_err ner_conll_eval(const NerModel *m, const NerConll *c, const size_t *sents, size_t n,
                        NerScore *score, rasd_error *err)
{
    rasd_text *t;
    rasd_err rc = rasd_text_new(&t, err);
    if (rc != RASD_OK)
        return rc;
    for (size_t k = 0; k < n && rc == RASD_OK; k += NER_CONLL_DOC)
        rc = eval_group(m, t, c, sents + k, n - k < NER_CONLL_DOC ? n - k : NER_CONLL_DOC, score,
                        err);
    rasd_text_free(t);
    return rc;
}
