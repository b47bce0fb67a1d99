/*
 * analyze.c — an Article through the text core, the NER tagger and the
 * date recogniser, written as the JSON object of design.md §3.
 *
 * An entity's key is names_key() of its words with the first word's
 * proclitics removed (وبوتين → بوتين; a place's short word keeps its
 * article, which the key then keeps: بالجدة → الجدة, not جدة): the context-free identity of the
 * name, shared by its transliteration variants (شويغو / شويجو). A person
 * named by one word (بوتين، كيربي، توماس) takes the key of the one full name
 * of the article that has that word — last word first, then first word,
 * then any, but never a father's name after بن (عبدالعزيز is not سلمان بن
 * عبدالعزيز, سلمان not محمد بن سلمان) — and keeps its own key when two full
 * names would fit. A
 * nationality adjective (MISC, or LOC when the tagger slips) is keyed
 * "adj:" + its country's key (roles_adjective_key): الروسية is not روسيا.
 * Quotations come from quotes_find (quotes.c), with the entities' keys.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "annotate.h"
#include "dates.h"
#include "names.h"
#include "ner.h"
#include "quotes.h"
#include "story/fingerprint.h"
#include "text/text.h"

/*
 * Is token t, as written, a bare preposition (على في من عن إلى)? A person's
 * name never ends in one: "الأمير مشاري بن سعود على لوحة" is the tagger
 * running one word too far. على is only the preposition with its final ى
 * (علي is a name).
 */
static int bare_preposition(const char *text, const rasd_token *t)
{
    static const char *const w[] = {"\xD8\xB9\xD9\x84\xD9\x89", "\xD9\x81\xD9\x8A",
                                    "\xD9\x85\xD9\x86", "\xD8\xB9\xD9\x86",
                                    "\xD8\xA5\xD9\x84\xD9\x89"};
    size_t n = t->end - t->start;
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (strlen(w[i]) == n && memcmp(text + t->start, w[i], n) == 0)
            return 1;
    return 0;
}

/*
 * Bytes of token t's text that are its proclitics, the article excepted
 * (وروسيا: 2, بالرياض: 2, للأمم: 0 — ل + ال with the alef elided cannot be
 * shown apart), when the text spells them as the key does; 0 otherwise.
 */
static uint32_t proclitic_bytes(const char *text, const rasd_token *t)
{
    size_t n = t->pre_len;
    if (n >= 4 && memcmp(t->key + n - 4, "ال", 4) == 0)
        n -= 4;
    else if (n >= 4 && memcmp(t->key + n - 4, "لل", 4) == 0)
        return 0;
    if (!n || t->start + n >= t->end || memcmp(text + t->start, t->key, n) != 0)
        return 0;
    return (uint32_t)n;
}

/* Is the ب or ك the text core split off token k part of a person's name:
   the article never writes the rest without it (text_clitic_in_word) and the
   rest is no Arabic word (بمحمد is ب + محمد)? */
static int ba_in_name(const rasd_doc *d, const rasd_token *tok, size_t k)
{
    return text_clitic_in_word(d, k) &&
           !names_arabic_word(tok[k].key + tok[k].pre_len, tok[k].key_len - tok[k].pre_len);
}

/* Do t's proclitics end in the article (ال, or لل: ل + ال) that the key of
   the word after them keeps (names_article_kept: a short word)? */
static int article_kept(const rasd_token *t)
{
    size_t n = t->pre_len;
    return n >= 4 && (memcmp(t->key + n - 4, "ال", 4) == 0 || memcmp(t->key + n - 4, "لل", 4) == 0) &&
           names_article_kept(t->key + n, t->key_len - n);
}

static void field(Buf *b, const char *k, const char *v)
{
    buf_printf(b, ",\"%s\":", k);
    if (v)
        buf_put_json_string(b, v, strlen(v));
    else
        buf_puts(b, "null");
}

/* Where word w (len bytes) stands in the space-separated key k: 1 last, 2 first, 3 inside, 0 not. */
static int word_place(const char *k, size_t n, const char *w, size_t len)
{
    int place = 0;
    for (size_t b = 0; b < n;) {
        size_t e = b;
        while (e < n && k[e] != ' ')
            e++;
        if (e - b == len && memcmp(k + b, w, len) == 0) {
            if (e == n)
                return 1;
            place = b == 0 ? 2 : (place ? place : 3);
        }
        b = e + 1;
    }
    return place;
}

/* Is word w (len bytes) of key k (n bytes) a father's name there: right
   after بن, ابن or بنت (سلمان of محمد بن سلمان, عبدالعزيز of سلمان بن
   عبدالعزيز)? A person named by that word alone is someone else. */
static int fathers_name(const char *k, size_t n, const char *w, size_t len)
{
    for (size_t b = 0; b < n;) {
        size_t e = b;
        while (e < n && k[e] != ' ')
            e++;
        if (b > 0 && e - b == len && memcmp(k + b, w, len) == 0 &&
            quotes_key_nasab_before(k, k + b - 1))
            return 1;
        b = e + 1;
    }
    return 0;
}

/*
 * Is key s (sn bytes, two or more words) a shortening of key l: the same
 * first and last word, its words found in l in order, l longer (علي صالح of
 * علي عبدالله صالح)?
 */
static int shortened_name(const char *s, size_t sn, const char *l, size_t ln)
{
    enum { MAXW = 16 };
    size_t sb[MAXW], se[MAXW], lb[MAXW], le[MAXW], ns = 0, nl = 0;
    for (size_t i = 0; i <= sn && ns < MAXW; i++) /* words of s */
        if (i == sn || s[i] == ' ') {
            sb[ns] = ns ? se[ns - 1] + 1 : 0;
            se[ns++] = i;
        }
    for (size_t i = 0; i <= ln && nl < MAXW; i++) /* words of l */
        if (i == ln || l[i] == ' ') {
            lb[nl] = nl ? le[nl - 1] + 1 : 0;
            le[nl++] = i;
        }
#define SAME(x, y) (se[x] - sb[x] == le[y] - lb[y] && !memcmp(s + sb[x], l + lb[y], se[x] - sb[x]))
    if (ns < 2 || nl <= ns || nl == MAXW || !SAME(0, 0) || !SAME(ns - 1, nl - 1))
        return 0;
    size_t j = 1;
    for (size_t x = 1; x + 1 < ns; x++) { /* the middle words, in order */
        while (j + 1 < nl && !SAME(x, j))
            j++;
        if (j + 1 >= nl)
            return 0;
        j++;
    }
#undef SAME
    return 1;
}

/* The unique longer person's name of the article that key i shortens, or i. */
static size_t longer_name_of(const NerSpan *spans, size_t n, const char *keys,
                             const size_t *koff, size_t i)
{
    size_t found = i;
    for (size_t j = 0; j < n; j++) {
        const char *k = keys + koff[j];
        size_t kl = koff[j + 1] - koff[j];
        if (j == i || spans[j].type != NER_PERS ||
            !shortened_name(keys + koff[i], koff[i + 1] - koff[i], k, kl))
            continue;
        if (found != i && (koff[found + 1] - koff[found] != kl ||
                           memcmp(keys + koff[found], k, kl) != 0))
            return i; /* two different longer names: keep its own */
        found = j;
    }
    return found;
}

/* The span whose key span i should use: a unique full name containing its one word, or i. */
static size_t full_name_of(const NerSpan *spans, size_t n, const char *keys, const size_t *koff,
                           size_t i)
{
    const char *w = keys + koff[i];
    size_t wl = koff[i + 1] - koff[i];
    if (wl && memchr(w, ' ', wl))
        return longer_name_of(spans, n, keys, koff, i); /* already more than one word */
    if (wl == 0)
        return i;
    for (int want = 1; want <= 3; want++) {
        size_t found = i;
        int ambiguous = 0;
        for (size_t j = 0; j < n; j++) {
            const char *k = keys + koff[j];
            size_t kl = koff[j + 1] - koff[j];
            if (j == i || spans[j].type != NER_PERS || !memchr(k, ' ', kl) ||
                word_place(k, kl, w, wl) != want || fathers_name(k, kl, w, wl))
                continue;
            if (found != i && (koff[found + 1] - koff[found] != kl ||
                               memcmp(keys + koff[found], k, kl) != 0))
                ambiguous = 1;
            found = j;
        }
        if (found != i)
            return ambiguous ? i : found;
    }
    return i;
}

const char *entity_type_name(int type)
{
    static const char *const names[] = {"", "PER", "LOC", "ORG", "MISC"};
    return type > 0 && type < 5 ? names[type] : "MISC";
}

void analyze_name_key(const rasd_doc *d, size_t a, size_t b, int person, int ba, Buf *out)
{
    size_t n = rasd_doc_ntokens(d);
    const rasd_token *tok = rasd_doc_tokens(d);
    Buf words = {0};
    if (b > n)
        b = n;
    if (person && ba < 0)
        ba = a < b && ba_in_name(d, tok, a);
    for (size_t k = a; k < b; k++) {
        const rasd_token *w = &tok[k];
        if (w->type == RASD_TOK_PUNCT)
            continue;
        size_t skip = k == a && w->pre_len <= w->key_len ? w->pre_len : 0;
        if (skip && person && ba > 0)
            skip -= 2; /* بولوني, not ب + ولوني */
        /* a person's name takes no article: a proclitic with ال in it is
           the splitter misreading a foreign name (فاليري is not ف + ال + يري) */
        if (person && skip > 2)
            skip = 0;
        if (words.len)
            buf_putc(&words, ' ');
        if (skip && !person && article_kept(w))
            buf_puts(&words, "ال"); /* الجدة is not جدة (names_article_kept) */
        buf_append(&words, w->key + skip, w->key_len - skip);
    }
    if (words.oom) /* a key cut short would be stored as another name's */
        out->oom = 1;
    else if (words.len)
        (person ? names_person_key : names_key)(words.data, words.len, out);
    buf_free(&words);
}

void entities_free(EntityList *l)
{
    free(l->items);
    buf_free(&l->keys);
    roles_free(&l->roles);
    memset(l, 0, sizeof *l);
}

rasd_err analyze_entities(const rasd_doc *d, EntityList *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = rasd_doc_ntokens(d);
    const rasd_token *tok = rasd_doc_tokens(d);
    uint8_t *tags = malloc(n ? n : 1);
    NerSpan *spans = malloc((n ? n : 1) * sizeof *spans);
    size_t *koff = malloc((n + 1) * sizeof *koff);
    uint8_t *ba = malloc(n ? n : 1); /* per span: its first word's ب is the name's (ba_in_name) */
    Buf keys = {0}; /* every entity's key */
    rasd_err e = RASD_OK;
    if (!tags || !spans || !koff || !ba) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    e = ner_tag(d, tags, err);
    if (e != RASD_OK)
        goto done;
    size_t nspans = ner_spans(tok, tags, n, spans, n);
    const char *text = rasd_doc_text(d, NULL);
    for (size_t i = 0; i < nspans; i++) /* a name cut after a link: سلمان بن عبدالعزيز آل | سعود */
        while (spans[i].type == NER_PERS && spans[i].last + 1 < n &&
               names_link_word(tok[spans[i].last].key, tok[spans[i].last].key_len) &&
               tok[spans[i].last + 1].type == RASD_TOK_ARABIC &&
               !(tok[spans[i].last + 1].flags & (RASD_TF_NEWLINE | RASD_TF_PARAGRAPH)) &&
               (i + 1 == nspans || spans[i + 1].first > spans[i].last + 1)) {
            spans[i].last++;
            spans[i].end = tok[spans[i].last].end;
        }
    nspans = ner_join_given(d, spans, nspans); /* العقيد تركي | المالكي */
    ner_extend_family(d, spans, nspans); /* الرائد عبدالعزيز | جزاء الحربي */
    for (size_t i = 0; i < nspans; i++) /* trailing prepositions and titles off a person's name */
        while (spans[i].type == NER_PERS && spans[i].last > spans[i].first &&
               (bare_preposition(text, &tok[spans[i].last]) ||
                names_trailing_word(tok[spans[i].last].key, tok[spans[i].last].key_len))) {
            spans[i].last--;
            spans[i].end = tok[spans[i].last].end;
        }
    for (size_t i = 0; i < nspans; i++) {
        const NerSpan *s = &spans[i];
        ba[i] = s->type == NER_PERS && ba_in_name(d, tok, s->first); /* scans the article: once */
        koff[i] = keys.len;
        if ((s->type != NER_MISC && s->type != NER_LOC) || /* LOC: a tagger's slip */
            !roles_adjective_key(d, s->first, s->last, &keys))
            analyze_name_key(d, s->first, (size_t)s->last + 1, s->type == NER_PERS, ba[i], &keys);
    }
    koff[nspans] = keys.len;
    out->items = malloc((nspans ? nspans : 1) * sizeof *out->items);
    if (!out->items || keys.oom) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nspans; i++) {
        size_t full = spans[i].type == NER_PERS
                          ? full_name_of(spans, nspans, keys.data, koff, i) : i;
        out->items[i] = (Entity){spans[i].type, spans[i].start, spans[i].end,
                                 spans[i].start + proclitic_bytes(text, &tok[spans[i].first]) -
                                     (ba[i] && proclitic_bytes(text, &tok[spans[i].first]) >= 2 ? 2u : 0u),
                                 (uint32_t)koff[full], (uint32_t)(koff[full + 1] - koff[full]), 0};
    }
    out->n = nspans;
    out->keys = keys;
    keys = (Buf){0};
    e = roles_find(d, out, &out->roles, err);
    for (size_t i = out->roles.n; e == RASD_OK && i-- > 0;) /* an entity's first role wins */
        if (out->roles.items[i].kind != ROLE_ONLY && out->roles.items[i].entity >= 0)
            out->items[out->roles.items[i].entity].role = (uint32_t)i + 1;
done:
    if (e != RASD_OK)
        entities_free(out);
    buf_free(&keys);
    free(tags);
    free(spans);
    free(koff);
    free(ba);
    return e;
}

void analyze_write_json(const Article *a, const rasd_doc *d, const EntityList *ents,
                        const QuoteList *quotes, const DateSpan *dates, size_t ndates,
                        const char *id, Buf *out)
{
    const char *text = rasd_doc_text(d, NULL);
    buf_printf(out, "{\"id\":\"%s\"", id);
    field(out, "file", a->origin);
    field(out, "title", a->title);
    field(out, "outlet", a->outlet);
    if (a->agency)
        field(out, "agency", a->agency);
    field(out, "published", a->published);
    field(out, "url", a->url);
    field(out, "text", text);
    buf_puts(out, ",\"entities\":[");
    for (size_t i = 0; i < ents->n; i++) {
        const Entity *x = &ents->items[i];
        buf_puts(out, i ? ",{\"text\":" : "{\"text\":");
        buf_put_json_string(out, text + x->start, x->end - x->start);
        buf_printf(out, ",\"type\":\"%s\",\"key\":", entity_type_name(x->type));
        buf_put_json_string(out, ents->keys.data ? ents->keys.data + x->key_off : "", x->key_len);
        buf_printf(out, ",\"start\":%u,\"end\":%u", x->start, x->end);
        if (x->role)
            roles_entity_json(&ents->roles, &ents->roles.items[x->role - 1], text, out);
        buf_putc(out, '}');
    }
    buf_puts(out, "],\"quotes\":");
    quotes_format_json(d, quotes, out);
    buf_puts(out, ",\"roles\":");
    roles_only_json(&ents->roles, text, out);
    buf_puts(out, ",\"dates\":");
    dates_format_json(d, dates, ndates, out);
    buf_putc(out, '}');
}

rasd_err analyze_article(rasd_text *t, const Article *a, Buf *out, rasd_error *err)
{
    Annotated an;
    rasd_err e = annotate_article(t, a, 0, &an, err);
    if (e != RASD_OK)
        return e;
    analyze_write_json(a, an.doc, &an.ents, &an.quotes, an.dates, an.ndates, an.id, out);
    if (out->oom)
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
    annotated_free(&an);
    return e;
}
