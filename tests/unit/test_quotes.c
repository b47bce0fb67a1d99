/*
 * test_quotes.c — behaviours of the quotation finder that the golden file
 * (tests/golden/quotes.txt) cannot express: byte offsets, speaker keys
 * shared with the entities, running without entities, the JSON shape, and
 * linear work on a 1 MB article with 10,000 quote marks.
 */
#include <stdlib.h>

#include "harness.h"
#include "annotate/analyze.h"
#include "annotate/names.h"
#include "annotate/quotes.h"
#include "text/text.h"

static rasd_text *ctx;

/* Analyses s, tags entities (unless no_ents) and finds quotes. */
static int run(const char *s, size_t n, int no_ents, rasd_doc **d, EntityList *ents, QuoteList *q)
{
    memset(ents, 0, sizeof *ents);
    memset(q, 0, sizeof *q);
    *d = NULL;
    if (!ctx && rasd_text_new(&ctx, NULL) != RASD_OK)
        return -1;
    if (rasd_text_analyse(ctx, s, n, d, NULL) != RASD_OK)
        return -1;
    if (!no_ents && analyze_entities(*d, ents, NULL) != RASD_OK)
        return -1;
    return quotes_find(*d, no_ents ? NULL : ents, q, NULL) == RASD_OK ? 0 : -1;
}

static void done(rasd_doc *d, EntityList *ents, QuoteList *q)
{
    quotes_free(q);
    entities_free(ents);
    rasd_doc_free(d);
}

static int span_is(const rasd_doc *d, uint32_t a, uint32_t b, const char *want)
{
    const char *t = rasd_doc_text(d, NULL);
    return b - a == strlen(want) && memcmp(t + a, want, b - a) == 0;
}

TEST("quotes: a direct quote's offsets cover the words between the marks, not the marks")
{
    const char *s = "وقال الوزير: «الوضع تحت السيطرة».";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 0, &d, &e, &q) == 0);
    CHECK(q.n == 1);
    if (q.n == 1) {
        CHECK(span_is(d, q.items[0].start, q.items[0].end, "الوضع تحت السيطرة"));
        CHECK(span_is(d, q.items[0].cue_start, q.items[0].cue_end, "وقال"));
        CHECK(span_is(d, q.items[0].said_start, q.items[0].said_end, "الوزير"));
        CHECK(q.items[0].direct == 1);
        CHECK(q.items[0].kind == QS_ROLE);
    }
    done(d, &e, &q);
}

TEST("quotes: an indirect quote starts after إن and ends before the full stop")
{
    const char *s = "وقال مسؤول أمريكي لوكالة رويترز إن العقوبات ستبقى.";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 0, &d, &e, &q) == 0);
    CHECK(q.n == 1);
    if (q.n == 1) {
        CHECK(span_is(d, q.items[0].start, q.items[0].end, "العقوبات ستبقى"));
        CHECK(span_is(d, q.items[0].via_start, q.items[0].via_end, "لوكالة رويترز"));
        CHECK(q.items[0].direct == 0);
        CHECK(q.items[0].kind == QS_ANONYMOUS);
        CHECK(q.items[0].key_len == 0); /* an anonymous source has no identity */
    }
    done(d, &e, &q);
}

TEST("quotes: a speaker's key is the key of the entity it resolves to")
{
    const char *s = "التقى وزير الخارجية عادل الجبير نظيره الفرنسي. وقال الجبير إن المحادثات "
                    "ناجحة. وأضاف أن الزيارة مهمة.";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 0, &d, &e, &q) == 0);
    Buf want = {0};
    names_key("عادل الجبير", strlen("عادل الجبير"), &want);
    CHECK(q.n == 2);
    for (size_t i = 0; i < q.n; i++) {
        CHECK(q.items[i].key_len == want.len);
        CHECK(q.items[i].key_len && memcmp(q.keys.data + q.items[i].key_off, want.data,
                                           want.len) == 0);
        CHECK(span_is(d, q.items[i].spk_start, q.items[i].spk_end, "عادل الجبير"));
    }
    if (q.n == 2)
        CHECK(q.items[1].kind == QS_IMPLICIT && q.items[1].resolved);
    buf_free(&want);
    done(d, &e, &q);
}

TEST("quotes: one identity per speaker: a surname alone, cut names and honorifics share a key")
{
    /* issue #15: the one-word surname at the cue takes the full name given
       earlier (the tagger did not take الصوينع for part of a name), and
       the name carries no conjunction */
    const char *s = "وكشف مدير عام الزراعة بمنطقة حائل سلمان الصوينع أن الموسم ناجح. "
                    "وأضاف الصوينع أن الإنتاج زاد. وقال نائب الرئيس وأسامة النجيفي إن "
                    "القرار غير دستوري.";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 0, &d, &e, &q) == 0);
    CHECK(q.n == 3);
    if (q.n == 3) {
        CHECK(q.items[0].key_len && q.items[0].key_len == q.items[1].key_len &&
              memcmp(q.keys.data + q.items[0].key_off, q.keys.data + q.items[1].key_off,
                     q.items[0].key_len) == 0);
        CHECK(span_is(d, q.items[0].spk_start, q.items[0].spk_end, "سلمان الصوينع"));
        CHECK(span_is(d, q.items[1].spk_start, q.items[1].spk_end, "سلمان الصوينع"));
        CHECK(span_is(d, q.items[2].spk_start, q.items[2].spk_end, "أسامة النجيفي"));
    }
    done(d, &e, &q);
}

TEST("quotes: an honorific pronoun speaks for the title holder, a paper spoken to never speaks")
{
    const char *s = "رأس صاحب السمو الملكي الأمير محمد بن نايف، نيابة عن خادم الحرمين "
                    "الشريفين الملك سلمان بن عبدالعزيز، جلسة مجلس الوزراء. وقال سموه إن "
                    "المملكة ماضية في حربها. وأضاف في تصريحات لـ(عكاظ) بأن الاستعدادات اكتملت.";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 0, &d, &e, &q) == 0);
    CHECK(q.n == 2);
    if (q.n == 2) {
        CHECK(span_is(d, q.items[0].spk_start, q.items[0].spk_end, "محمد بن نايف"));
        CHECK(span_is(d, q.items[0].said_start, q.items[0].said_end, "سموه"));
        CHECK(q.items[0].resolved);
        CHECK(!span_is(d, q.items[1].spk_start, q.items[1].spk_end, "عكاظ"));
        CHECK(span_is(d, q.items[1].via_start, q.items[1].via_end, "في تصريحات لـ(عكاظ)"));
    }
    done(d, &e, &q);
}

TEST("quotes: without entities the speaker is still the words at the cue")
{
    const char *s = "وقالت وزارة الدفاع في بيان إن الطائرات عادت. وأضافت أن المهمة نجحت.";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 1, &d, &e, &q) == 0);
    CHECK(q.n == 2);
    if (q.n == 2) {
        CHECK(span_is(d, q.items[0].said_start, q.items[0].said_end, "وزارة الدفاع"));
        CHECK(q.items[0].kind == QS_INSTITUTION);
        CHECK(span_is(d, q.items[0].via_start, q.items[0].via_end, "في بيان"));
        CHECK(q.items[1].kind == QS_IMPLICIT);
        CHECK(span_is(d, q.items[1].spk_start, q.items[1].spk_end, "وزارة الدفاع"));
    }
    done(d, &e, &q);
}

TEST("quotes: empty text, marks only and unbalanced marks give no quote and no error")
{
    const char *cases[] = {"", "«", "»»»«««", "\"\"\"\"", "قال", "قال: «", "قال إن",
                           "«»، قال", "وقال: «\n\n«\n«"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rasd_doc *d;
        EntityList e;
        QuoteList q;
        CHECK(run(cases[i], strlen(cases[i]), 0, &d, &e, &q) == 0);
        for (size_t k = 0; k < q.n; k++)
            CHECK(q.items[k].start < q.items[k].end && q.items[k].end <= d->text_len);
        done(d, &e, &q);
    }
}

TEST("quotes: the JSON array has the fields of rasd analyze")
{
    const char *s = "وقال الرئيس الفرنسي فرانسوا هولاند في مؤتمر صحفي: «فرنسا ستشارك».";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 0, &d, &e, &q) == 0);
    Buf out = {0};
    quotes_format_json(d, &q, &out);
    CHECK(out.data && out.data[0] == '[');
    CHECK(out.data && strstr(out.data, "\"speaker\":\"فرانسوا هولاند\""));
    CHECK(out.data && strstr(out.data, "\"speaker_key\":"));
    CHECK(out.data && strstr(out.data, "\"cue\":\"وقال\""));
    CHECK(out.data && strstr(out.data, "\"text\":\"فرنسا ستشارك\""));
    CHECK(out.data && strstr(out.data, "\"direct\":true"));
    CHECK(out.data && strstr(out.data, "\"via\":\"في مؤتمر صحفي\""));
    CHECK(out.data && strstr(out.data, "\"start\":"));
    buf_free(&out);
    done(d, &e, &q);
}

/* n bytes of piece repeated (cut at a space so UTF-8 stays whole). */
static char *repeat(const char *piece, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    size_t pl = strlen(piece), i = 0;
    while (i + pl <= n) {
        memcpy(s + i, piece, pl);
        i += pl;
    }
    memset(s + i, ' ', n - i);
    s[n] = 0;
    return s;
}

static size_t count_marks(const rasd_doc *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->ntokens; i++)
        k += d->tokens[i].key_len == 1 && d->tokens[i].key[0] == '"';
    return k;
}

TEST("quotes: work on a 1 MB article with 10,000 quote marks grows linearly")
{
    const char *pieces[] = {
        /* ordinary copy: direct and indirect quotes, participles, channels */
        ("وقال الوزير لوكالة رويترز: «الوضع مستقر». وأضاف أن الخطة جاهزة، مشيرا إلى أن "
         "التنفيذ قريب، بحسب المصدر. «لن نتراجع»، قال المتحدث. "),
        /* one endless sentence of cues, participles and unclosed marks */
        "وقال إن الأمر «مهم، مؤكدا أن \"الحل قريب، مضيفا أن «الوضع ",
        /* marks and nothing else */
        "« » « \" \" » » « “ ” „ “ "};
    for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
        uint64_t work[2] = {0, 0};
        size_t tokens[2] = {0, 0}, marks = 0;
        size_t sizes[2] = {1 << 17, 1 << 20};
        for (int k = 0; k < 2; k++) {
            char *s = repeat(pieces[p], sizes[k]);
            rasd_doc *d = NULL;
            EntityList e = {0};
            QuoteList q = {0};
            CHECK(s && run(s, sizes[k], 1, &d, &e, &q) == 0);
            work[k] = q.work;
            tokens[k] = d ? d->ntokens : 0;
            if (k == 1 && d)
                marks = count_marks(d);
            done(d, &e, &q);
            free(s);
        }
        CHECK(marks >= 10000);
        /* a bounded number of visits per token, and 8 times the text costs
           about 8 times the work (quadratic would be 64 times) */
        CHECK(tokens[1] > 0 && work[1] < 64 * (uint64_t)tokens[1]);
        CHECK(work[1] < 10 * work[0] + 1000);
    }
}

TEST("quotes: a story's quotes group by speaker across articles, one entry per statement")
{
    /* issue #15: the surname alone in one outlet is the full name of
       another; the same statement, trimmed and reworded at its start by a
       second outlet, is one entry with both articles */
    const char *s1 = "وقال رئيس الوزراء العراقي حيدر العبادي إن الإصلاحات ستشمل جميع "
                     "الوزارات دون استثناء وإن الحكومة ماضية فيها.";
    const char *s2 = "وأكد العبادي أن الإصلاحات ستشمل جميع الوزارات دون استثناء. "
                     "وقال المتحدث باسم الوزارة إن الوزير سيزور بغداد غدا.";
    rasd_doc *d1, *d2;
    EntityList e1, e2;
    QuoteList q1, q2;
    CHECK(run(s1, strlen(s1), 0, &d1, &e1, &q1) == 0);
    CHECK(run(s2, strlen(s2), 0, &d2, &e2, &q2) == 0);
    CHECK(q1.n == 1 && q2.n == 2);
    QuoteDoc docs[2] = {{d1, &q1}, {d2, &q2}};
    QuoteGroups g;
    CHECK(quotes_group(docs, 2, &g, NULL) == RASD_OK);
    CHECK(g.n == 3);
    if (g.n == 3 && q1.n == 1 && q2.n == 2) {
        CHECK(g.refs[1].speaker == 0); /* العبادي → حيدر العبادي */
        CHECK(g.refs[1].entry == 0);   /* the same statement */
        CHECK(g.refs[2].speaker == 2 && g.refs[2].entry == 2); /* someone else */
    }
    quotes_groups_free(&g);
    done(d1, &e1, &q1);
    done(d2, &e2, &q2);
}

/* A story of n quotes in one made-up article: sentence i is quote i. Speakers:
   every 4th quote is one prolific speaker ("big"), the rest cycle through
   n/16 people keyed "gN fN", a third of whose quotes use the surname alone
   ("fN"); every 3rd quote repeats the statement of the quote before it of
   the same speaker, the others are new words. Returns the work of
   quotes_group and checks the grouping. */
static uint64_t group_story(size_t n, int *ok)
{
    Buf text = {0}, keys = {0};
    Quote *items = calloc(n, sizeof *items);
    size_t people = n / 16 ? n / 16 : 1;
    uint32_t *stmt = calloc(n, sizeof *stmt), *last = calloc(people + 1, sizeof *last);
    *ok = 0;
    if (!items || !stmt || !last) {
        free(items), free(stmt), free(last);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        size_t who = i % 4 == 0 ? people : (i * 7) % people; /* people: "big" */
        int repeat = i % 3 == 2 && last[who];
        stmt[i] = repeat ? stmt[last[who] - 1] : (uint32_t)i;
        last[who] = (uint32_t)i + 1;
        items[i].start = (uint32_t)text.len;
        for (int w = 0; w < 6; w++) { /* a word of letters alone: one token */
            buf_puts(&text, w ? " w" : "w");
            for (uint32_t v = stmt[i]; v; v /= 26)
                buf_putc(&text, (char)('a' + v % 26));
            buf_putc(&text, 'z');
            buf_putc(&text, (char)('a' + w));
        }
        items[i].end = (uint32_t)text.len;
        buf_puts(&text, ". ");
        items[i].key_off = (uint32_t)keys.len;
        if (who == people)
            buf_puts(&keys, "big");
        else if (i % 3 == 1)
            buf_printf(&keys, "f%zu", who);
        else
            buf_printf(&keys, "g%zu f%zu", who, who);
        items[i].key_len = (uint32_t)(keys.len - items[i].key_off);
    }
    rasd_doc *d = NULL;
    QuoteList q = {items, n, n, keys, 0};
    QuoteDoc doc = {NULL, &q};
    QuoteGroups g = {0};
    uint64_t work = 0;
    if (!ctx)
        CHECK(rasd_text_new(&ctx, NULL) == RASD_OK);
    if (ctx && !text.oom && !keys.oom &&
        rasd_text_analyse(ctx, text.data, text.len, &d, NULL) == RASD_OK) {
        doc.doc = d;
        if (quotes_group(&doc, 1, &g, NULL) == RASD_OK && g.n == n) {
            *ok = 1;
            for (size_t i = 0; i < n && *ok; i++) {
                const QuoteRef *r = &g.refs[i];
                size_t who = i % 4 == 0 ? people : (i * 7) % people;
                const Quote *h = &items[r->speaker], *e = &items[r->entry];
                /* one group per person, headed by the full key (or "big") */
                char want[48];
                if (who == people)
                    snprintf(want, sizeof want, "big");
                else
                    snprintf(want, sizeof want, "g%zu f%zu", who, who);
                *ok = h->key_len == strlen(want) && !memcmp(keys.data + h->key_off, want, h->key_len);
                /* the same statement is one entry, a new one its own */
                *ok = *ok && g.refs[r->entry].speaker == r->speaker && stmt[r->entry] == stmt[i] &&
                      (r->entry == i) == (stmt[i] == i) && e->start <= items[i].start;
            }
            work = g.work;
        }
    }
    quotes_groups_free(&g);
    rasd_doc_free(d);
    buf_free(&text);
    buf_free(&keys);
    free(items), free(stmt), free(last);
    return work;
}

TEST("quotes: a given name and surname join the one longer key; a father's name is no surname")
{
    /* keys as analyze_name_key writes them: عادل الجبير / عادل بن أحمد الجبير
       are one speaker; عبدالعزيز alone is not سلمان بن عبدالعزيز (after بن
       comes the father's name), nor is خالد الفيصل one of two خالد … الفيصل */
    static const char *const key[] = {"عادل بن احمد كبر", "عادل كبر", "سلمان بن عبدالعزيز",
                                      "عبدالعزيز", "خالد بن فيصل فيصل", "خالد بن سعود فيصل",
                                      "خالد فيصل"};
    enum { N = sizeof key / sizeof key[0] };
    Buf text = {0}, keys = {0};
    Quote items[N];
    memset(items, 0, sizeof items);
    for (size_t i = 0; i < N; i++) { /* a different statement each */
        items[i].start = (uint32_t)text.len;
        for (int w = 0; w < 5; w++)
            buf_printf(&text, "%sw%c%c", w ? " " : "", (char)('a' + i), (char)('a' + w));
        items[i].end = (uint32_t)text.len;
        buf_puts(&text, ". ");
        items[i].key_off = (uint32_t)keys.len;
        buf_puts(&keys, key[i]);
        items[i].key_len = (uint32_t)(keys.len - items[i].key_off);
    }
    rasd_doc *d = NULL;
    QuoteList q = {items, N, N, keys, 0};
    QuoteDoc doc = {NULL, &q};
    QuoteGroups g = {0};
    if (!ctx)
        CHECK(rasd_text_new(&ctx, NULL) == RASD_OK);
    CHECK(ctx && !text.oom && !keys.oom &&
          rasd_text_analyse(ctx, text.data, text.len, &d, NULL) == RASD_OK);
    doc.doc = d;
    CHECK(d && quotes_group(&doc, 1, &g, NULL) == RASD_OK && g.n == N);
    if (g.n == N) {
        CHECK(g.refs[1].speaker == 0); /* عادل الجبير → عادل بن أحمد الجبير */
        CHECK(g.refs[3].speaker == 3); /* عبدالعزيز stays apart */
        CHECK(g.refs[6].speaker == 6); /* two خالد … الفيصل: left alone */
    }
    quotes_groups_free(&g);
    rasd_doc_free(d);
    buf_free(&text);
    buf_free(&keys);
}

TEST("quotes: a story of thousands of quotes groups in near-linear work")
{
    /* issue #15: quotes_group compared every quote with every earlier one;
       a long-running story carries thousands. 8 times the quotes must cost
       about 8 times the work (quadratic would be 64 times). */
    int ok0 = 0, ok1 = 0;
    uint64_t w0 = group_story(500, &ok0), w1 = group_story(4000, &ok1);
    CHECK(ok0 && ok1);
    CHECK(w0 > 0 && w1 < 12 * w0);
}

TEST("quotes: the chooser's model parses names and weights, rejects unknown names and bad lines")
{
    QuoteChooser m;
    const char *ok = "# comment\nmargin 0.5\nrule 1.25\npos=cue_after -0.5\nk&pos=implicit/prev1 2\n";
    size_t line = 0;
    CHECK(quotes_chooser_parse(&m, ok, strlen(ok), &line) == 0);
    CHECK(m.margin > 0.49f && m.margin < 0.51f);
    char name[64];
    int found = 0;
    for (unsigned f = 0; f < QC_NFEAT && quotes_feature_name(f, name, sizeof name); f++)
        if (strcmp(name, "rule") == 0)
            found = m.w[f] > 1.24f && m.w[f] < 1.26f;
    CHECK(found);
    CHECK(!quotes_feature_name(QC_NFEAT + 7, name, sizeof name));
    const char *bad[] = {"rule 1\nno_such_feature 2\n", "rule\n", "rule nan\n", "margin -1\n",
                         "rule 1e300\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        line = 0;
        CHECK(quotes_chooser_parse(&m, bad[i], strlen(bad[i]), &line) == -1);
        CHECK(line >= 1);
    }
    CHECK(quotes_chooser() != NULL); /* the model built into the library parses */
}

TEST("quotes: with no model the rules' speakers stand; candidates list the rules' choice first")
{
    const char *s = "وقال وزير الخارجية سامح شكري في القاهرة إن المحادثات مستمرة.";
    rasd_doc *d;
    EntityList e;
    QuoteList q;
    CHECK(run(s, strlen(s), 0, &d, &e, &q) == 0);
    QuoteList r = {0};
    QuoteCands c = {0};
    CHECK(quotes_find_with(d, &e, NULL, &c, &r, NULL) == RASD_OK);
    CHECK(r.n == 1 && q.n == 1);
    CHECK(c.n >= 1 && c.items[0].rule == 1 && c.items[0].nf > 0);
    if (r.n == 1 && q.n == 1) {
        CHECK(span_is(d, r.items[0].spk_start, r.items[0].spk_end, "سامح شكري"));
        CHECK(span_is(d, q.items[0].spk_start, q.items[0].spk_end, "سامح شكري"));
    }
    for (size_t i = 0; i < c.n; i++)
        CHECK(c.items[i].q_start == r.items[0].start && c.items[i].nf <= QC_MAXF);
    /* a model that prefers any other candidate changes the speaker, never the quote */
    QuoteChooser m;
    const char *other = "rule -5\n";
    CHECK(quotes_chooser_parse(&m, other, strlen(other), NULL) == 0);
    QuoteList o = {0};
    CHECK(quotes_find_with(d, &e, &m, NULL, &o, NULL) == RASD_OK);
    CHECK(o.n == 1);
    if (o.n == 1 && r.n == 1) {
        CHECK(o.items[0].start == r.items[0].start && o.items[0].end == r.items[0].end);
        if (c.n > 1)
            CHECK(!span_is(d, o.items[0].spk_start, o.items[0].spk_end, "سامح شكري"));
    }
    quotes_free(&o);
    quotes_cands_free(&c);
    quotes_free(&r);
    done(d, &e, &q);
}
