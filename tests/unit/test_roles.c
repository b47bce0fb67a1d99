/*
 * test_roles.c — behaviours of the role finder (src/annotate/roles.c) that
 * the golden files tests/golden/roles.txt and offices.txt cannot show: the
 * office-key predicates on raw keys, hostile keys, the quote extractor's
 * roles_holder, and the JSON of `rasd analyze`.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "annotate/analyze.h"
#include "annotate/names.h"
#include "annotate/ner.h"
#include "annotate/roles.h"
#include "text/text.h"

static int same(const char *a, const char *b)
{
    return roles_same_office(a, strlen(a), b, strlen(b));
}

static int compat(const char *a, const char *b)
{
    int x = roles_compatible(a, strlen(a), b, strlen(b));
    int y = roles_compatible(b, strlen(b), a, strlen(a));
    return x == y ? x : -1; /* -1: not symmetric */
}

TEST("one office in one known jurisdiction is the same office")
{
    CHECK(same("وزير دفاع|رسا", "وزير دفاع|رسا") == 1);
    CHECK(same("متحدث رياسه|رسا", "متحدث رياسه|رسا") == 1);
    CHECK(same("وزير دفاع|", "وزير دفاع|") == 0);      /* whose minister? */
    CHECK(same("وزير دفاع|رسا", "وزير دفاع|اكرنا") == 0);
    CHECK(same("وزير دفاع|رسا", "وزير خارجيه|رسا") == 0);
}

TEST("offices with many holders are never one office")
{
    CHECK(same("مستشار امن قومي|امركا", "مستشار امن قومي|امركا") == 0);
    CHECK(same("عضو مجلس شيوخ|امركا", "عضو مجلس شيوخ|امركا") == 0);
    CHECK(same("وزير|رسا", "وزير|رسا") == 0);          /* the Russian minister: which? */
    CHECK(same("سفير|رسا", "سفير|رسا") == 0);          /* one in every capital */
    CHECK(same("سفير لدي م متهدا|رسا", "سفير لدي م متهدا|رسا") == 1);
    CHECK(same("نايب رييس وزراء|ردن", "نايب رييس وزراء|ردن") == 0); /* deputies */
    CHECK(same("نايب رييس|امركا", "نايب رييس|امركا") == 1);         /* the vice-president */
}

TEST("a vaguer role is compatible with the office it may name, symmetrically")
{
    CHECK(compat("وزير|", "وزير دفاع|رسا") == 1);
    CHECK(compat("وزير دفاع|", "وزير دفاع|رسا") == 1);
    CHECK(compat("وزير|رسا", "وزير دفاع|رسا") == 1);
    CHECK(compat("وزير خارجيه|", "وزير دفاع|رسا") == 0);
    CHECK(compat("وزير|اكرنا", "وزير دفاع|رسا") == 0);
    CHECK(compat("رييس|امركا", "نايب رييس|امركا") == 0);   /* a rank prefix is another office */
    CHECK(compat("مسوول|امركا", "وزير خارجيه|امركا") == 1); /* المسؤول الأمريكي */
    CHECK(compat("مسوول|امركا", "وزير خارجيه|رسا") == 0);
    CHECK(compat("سفير|", "مندوب لدي م متهدا|امركا") == 1); /* heads one person is named by */
    CHECK(compat("سفير|", "سفير لدي م متهدا|امركا") == 1);
}

TEST("hostile or foreign keys are answered, not crashed on")
{
    CHECK(roles_same_office(NULL, 0, "x", 1) == 0);
    CHECK(roles_compatible("x", 1, NULL, 0) == 0);
    CHECK(compat("", "") == 0);
    CHECK(compat("|||", "|||") >= 0);
    CHECK(compat("no-such-head|x", "no-such-head|x") == 1); /* unknown heads compare as words */
    CHECK(same("\xff\xfe|\x01", "\xff\xfe|\x01") == 0);
    char big[5000];
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = 0;
    CHECK(compat(big, big) == 1);
}

/* The entity list of text s; the caller frees both. */
static rasd_doc *analyse(rasd_text *t, const char *s, EntityList *el)
{
    rasd_doc *d = NULL;
    memset(el, 0, sizeof *el);
    if (rasd_text_analyse(t, s, strlen(s), &d, NULL) != RASD_OK)
        return NULL;
    if (analyze_entities(d, el, NULL) != RASD_OK) {
        rasd_doc_free(d);
        return NULL;
    }
    return d;
}

/* Index of the first token whose text starts with w, or -1. */
static int token_at(const rasd_doc *d, const char *w)
{
    size_t n = rasd_doc_ntokens(d), tl;
    const rasd_token *tok = rasd_doc_tokens(d);
    const char *text = rasd_doc_text(d, &tl);
    for (size_t i = 0; i < n; i++)
        if (strncmp(text + tok[i].start, w, strlen(w)) == 0)
            return (int)i;
    return -1;
}

TEST("roles_holder gives the quote extractor the person a role noun stands for")
{
    rasd_text *t = NULL;
    CHECK(rasd_text_new(&t, NULL) == RASD_OK);
    EntityList el;
    rasd_doc *d = analyse(t, "وقال وزير الدفاع الأوكراني أوليكسي ريزنيكوف إن الهجوم بدأ. "
                             "وأضاف الوزير أن القوات تتقدم. وقال الرئيس إن الحرب طويلة.", &el);
    CHECK(d != NULL);
    if (d) {
        size_t tl;
        const char *text = rasd_doc_text(d, &tl);
        int minister = token_at(d, "الوزير"), head = token_at(d, "وزير");
        int president = token_at(d, "الرئيس");
        CHECK(minister > 0 && head > 0 && president > 0);
        int who = roles_holder(d, &el, (uint32_t)minister, (uint32_t)minister);
        CHECK(who >= 0 && (size_t)who < el.n);
        if (who >= 0)
            CHECK(strncmp(text + el.items[who].start, "أوليكسي", strlen("أوليكسي")) == 0);
        /* the attached role itself points at its person too */
        CHECK(roles_holder(d, &el, (uint32_t)head, (uint32_t)head + 2) == who);
        /* no president is named: nobody */
        CHECK(roles_holder(d, &el, (uint32_t)president, (uint32_t)president) == -1);
        /* spans out of range or reversed are refused */
        CHECK(roles_holder(d, &el, 100000, 100001) == -1);
        CHECK(roles_holder(d, &el, 5, 2) == -1);
        entities_free(&el);
        rasd_doc_free(d);
    }
    rasd_text_free(t);
}

TEST("rasd analyze JSON gives entities their role and lists role-only mentions")
{
    rasd_text *t = NULL;
    CHECK(rasd_text_new(&t, NULL) == RASD_OK);
    Article a;
    memset(&a, 0, sizeof a);
    a.body = (char *)"وقال الرئيس الفرنسي إيمانويل ماكرون إن أوروبا يجب أن تتحد. "
                     "وأضاف الرئيس أن باريس ستستضيف القمة.";
    Buf out = {0};
    CHECK(analyze_article(t, &a, &out, NULL) == RASD_OK);
    CHECK(out.data && strstr(out.data, "\"role\":{\"text\":\"الرئيس الفرنسي\",\"office\":\"رييس|"));
    CHECK(out.data && strstr(out.data, "\"roles\":[{\"text\":\"الرئيس\",\"office\":\"رييس|\""));
    /* entities: 0 الفرنسي (MISC), 1 إيمانويل ماكرون */
    CHECK(out.data && strstr(out.data, "\"entity\":1}]"));
    buf_free(&out);
    rasd_text_free(t);
}

TEST("a nationality adjective keys as adj: + its country, never as the country")
{
    rasd_text *t = NULL;
    CHECK(rasd_text_new(&t, NULL) == RASD_OK);
    rasd_doc *d = NULL;
    const char *s = "القيادة الكورية الشمالية والسعودية والقوات الأميركية وتشيلي";
    CHECK(rasd_text_analyse(t, s, strlen(s), &d, NULL) == RASD_OK);
    if (d) {
        Buf k = {0}, want = {0};
        int kor = token_at(d, "الكورية"), sa = token_at(d, "والسعودية");
        int us = token_at(d, "الأميركية"), cl = token_at(d, "وتشيلي");
        CHECK(kor > 0 && sa > 0 && us > 0 && cl > 0);
        buf_puts(&want, "adj:");
        names_key("كوريا الشمالية", strlen("كوريا الشمالية"), &want);
        CHECK(roles_adjective_key(d, (uint32_t)kor, (uint32_t)kor + 1, &k) == 1);
        CHECK_STR(k.data, want.data);
        buf_reset(&k);
        buf_reset(&want);
        buf_puts(&want, "adj:");
        names_key("الولايات المتحدة", strlen("الولايات المتحدة"), &want);
        CHECK(roles_adjective_key(d, (uint32_t)us, (uint32_t)us, &k) == 1);
        CHECK_STR(k.data, want.data);
        buf_reset(&k);
        /* a country spelled like its adjective stays the country */
        CHECK(roles_adjective_key(d, (uint32_t)sa, (uint32_t)sa, &k) == 0);
        CHECK(roles_adjective_key(d, (uint32_t)cl, (uint32_t)cl, &k) == 0);
        /* a span past the end or reversed is none, and out is untouched */
        CHECK(roles_adjective_key(d, 1000, 1001, &k) == 0);
        CHECK(roles_adjective_key(d, (uint32_t)kor + 1, (uint32_t)kor, &k) == 0);
        CHECK(k.len == 0);
        buf_free(&k);
        buf_free(&want);
        rasd_doc_free(d);
    }
    rasd_text_free(t);
}

TEST("a shortened name and a name with a clitic take the article's full name; spellings drop the clitic")
{
    rasd_text *t = NULL;
    CHECK(rasd_text_new(&t, NULL) == RASD_OK);
    EntityList el;
    rasd_doc *d = analyse(t, "التقى علي عبد الله صالح وفدا. وقال علي صالح إن الحرب مستمرة.", &el);
    CHECK(d != NULL);
    const char *text = rasd_doc_text(d, NULL);
    const char *full = NULL, *shortk = NULL;
    size_t fl = 0, sl = 0;
    for (size_t i = 0; d && i < el.n; i++) {
        const Entity *e = &el.items[i];
        if (e->type != NER_PERS)
            continue;
        CHECK(e->start <= e->name_start && e->name_start < e->end);
        if (!full)
            full = el.keys.data + e->key_off, fl = e->key_len;
        else
            shortk = el.keys.data + e->key_off, sl = e->key_len;
    }
    CHECK(full && shortk && fl == sl && memcmp(full, shortk, fl) == 0);
    entities_free(&el);
    rasd_doc_free(d);
    d = analyse(t, "وصل الوزير إلى موسكو، وتربط السعودية وروسيا علاقات قوية، واجتمع بالرياض مع الوفد.",
                &el);
    CHECK(d != NULL);
    text = d ? rasd_doc_text(d, NULL) : "";
    int seen = 0;
    for (size_t i = 0; d && i < el.n; i++) {
        const Entity *e = &el.items[i];
        if (strncmp(text + e->start, "وروسيا", strlen("وروسيا")) == 0)
            seen += strncmp(text + e->name_start, "روسيا", strlen("روسيا")) == 0;
        if (strncmp(text + e->start, "بالرياض", strlen("بالرياض")) == 0)
            seen += strncmp(text + e->name_start, "الرياض", strlen("الرياض")) == 0;
    }
    CHECK(seen == 2);
    entities_free(&el);
    rasd_doc_free(d);
    rasd_text_free(t);
}
