/*
 * test_encoding.c — "what are these bytes": ingest_to_utf8 (UTF-8 with or
 * without BOM, damaged UTF-8, UTF-16 with BOM, windows-1256, ISO-8859-6,
 * refusal of binary and other encodings) and ingest_detect (which reader).
 * The single-byte and UTF-16 files in tests/data/text/ were made from the
 * UTF-8 files beside them with iconv.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"


/* Converts path and compares with the UTF-8 file it was made from. */
static int converts_to(const char *path, const char *utf8_path)
{
    size_t n = 0, m = 0, ol = 0;
    char *raw = harness_slurp(path, &n), *want = harness_slurp(utf8_path, &m), *out = NULL;
    rasd_error e;
    int ok = raw && want && ingest_to_utf8(raw, n, path, &out, &ol, &e) == RASD_OK && ol == m &&
             memcmp(out, want, m) == 0;
    free(raw);
    free(want);
    free(out);
    return ok;
}

static rasd_err conv(const char *s, size_t n, char **out, size_t *ol, rasd_error *e)
{
    return ingest_to_utf8(s, n, "in.txt", out, ol, e);
}

/* ---- UTF-8 ---- */

TEST("ingest encoding: UTF-8 passes through unchanged and a BOM is removed")
{
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    const char *s = "\xEF\xBB\xBFمرحبا hello";
    CHECK(conv(s, strlen(s), &o, &ol, &e) == RASD_OK);
    CHECK(o && ol == strlen(s) - 3 && !memcmp(o, s + 3, ol));
    free(o);
}

TEST("ingest encoding: empty input is empty UTF-8, not an error")
{
    char *o = NULL;
    size_t ol = 5;
    rasd_error e;
    CHECK(conv("", 0, &o, &ol, &e) == RASD_OK);
    CHECK(o && ol == 0 && o[0] == '\0');
    free(o);
}

TEST("ingest encoding: UTF-8 truncated in the middle of a letter is still UTF-8")
{
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    const char s[] = "كوريا الشمالية \xD8";
    CHECK(conv(s, sizeof s - 1, &o, &ol, &e) == RASD_OK);
    CHECK(o && ol == sizeof s - 1); /* bytes kept: the text core replaces the bad one */
    free(o);
}

TEST("ingest encoding: a long UTF-8 text with a few stray bad bytes is still UTF-8")
{
    size_t n = 0;
    char *raw = harness_slurp("examples/seeds/002_a284983e4bd276d4.txt", &n);
    CHECK(raw && n > 1000);
    if (raw) {
        raw[100] = (char)0xFF;
        raw[2000] = (char)0xC0;
        char *o = NULL;
        size_t ol = 0;
        rasd_error e;
        CHECK(conv(raw, n, &o, &ol, &e) == RASD_OK && ol == n);
        free(o);
    }
    free(raw);
}

TEST("ingest encoding: a few NUL bytes in text are kept for the text core to blank")
{
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    const char s[] = "خبر عاجل\0 عن الطقس في المدينة اليوم وغدا";
    CHECK(conv(s, sizeof s - 1, &o, &ol, &e) == RASD_OK);
    CHECK(ol == sizeof s - 1);
    free(o);
}

/* ---- UTF-16 ---- */

TEST("ingest encoding: UTF-16LE and UTF-16BE with a BOM are converted")
{
    CHECK(converts_to("tests/data/text/enc_utf16le.txt", "tests/data/text/dateline_afp.txt"));
    CHECK(converts_to("tests/data/text/enc_utf16be.txt", "tests/data/text/dateline_afp.txt"));
}

TEST("ingest encoding: UTF-16 surrogate pairs join; lone surrogates and an odd byte become U+FFFD")
{
    /* LE: BOM, 'a', U+1F600 as D83D DE00, lone DC00, 'b', then half a unit */
    const char s[] = "\xFF\xFE" "a\0" "\x3D\xD8\x00\xDE" "\x00\xDC" "b\0" "c";
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    CHECK(conv(s, sizeof s - 1, &o, &ol, &e) == RASD_OK);
    CHECK_STR(o, "a\xF0\x9F\x98\x80\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    free(o);
    /* BE: a high surrogate at the very end */
    const char t[] = "\xFE\xFF" "\x06\x27" "\xD8\x3D";
    CHECK(conv(t, sizeof t - 1, &o, &ol, &e) == RASD_OK);
    CHECK_STR(o, "\xD8\xA7\xEF\xBF\xBD");
    free(o);
}

/* ---- single-byte Arabic ---- */

TEST("ingest encoding: windows-1256 Arabic is recognised and converted")
{
    CHECK(converts_to("tests/data/text/enc_cp1256.txt", "tests/data/text/byline_source.txt"));
}

TEST("ingest encoding: ISO-8859-6 Arabic is recognised and converted")
{
    CHECK(converts_to("tests/data/text/enc_iso8859-6.txt", "tests/data/text/generic_source.txt"));
}

TEST("ingest encoding: one short windows-1256 line is enough to tell the encodings apart")
{
    /* "وزير الطاقة يعلن" in windows-1256 (ي is 0xED, ل 0xE1, ق 0xDE) */
    const char s[] = "\xE6\xD2\xED\xD1 \xC7\xE1\xD8\xC7\xDE\xC9 \xED\xDA\xE1\xE4";
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    CHECK(conv(s, sizeof s - 1, &o, &ol, &e) == RASD_OK);
    CHECK_STR(o, "وزير الطاقة يعلن");
    free(o);
}

/* ---- refusals ---- */

TEST("ingest encoding: binary bytes are refused with \"not text\" naming the input")
{
    unsigned char bin[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof bin; i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (unsigned char)(x >> 16);
    }
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    CHECK(ingest_to_utf8((const char *)bin, sizeof bin, "blob.bin", &o, &ol, &e) == RASD_EFORMAT);
    CHECK(o == NULL);
    CHECK(strstr(e.msg, "blob.bin") && strstr(e.msg, "not text"));
}

TEST("ingest encoding: mostly-NUL input is binary")
{
    char z[256] = "PK";
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    CHECK(conv(z, sizeof z, &o, &ol, &e) == RASD_EFORMAT);
    CHECK(strstr(e.msg, "not text") != NULL);
}

TEST("ingest encoding: UTF-32 is refused by name")
{
    const char s[] = "\xFF\xFE\0\0" "a\0\0\0";
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    CHECK(conv(s, sizeof s - 1, &o, &ol, &e) == RASD_EFORMAT);
    CHECK(strstr(e.msg, "UTF-32") != NULL);
}

TEST("ingest encoding: Latin-1 French and Shift-JIS Japanese are not mistaken for Arabic")
{
    const char fr[] = "Le ministre a d\xE9" "clar\xE9 que la r\xE9union \xE9tait tr\xE8s importante "
                      "pour l'\xE9" "conomie fran\xE7" "aise et europ\xE9" "enne.";
    const char jp[] = "\x93\xFA\x96\x7B\x8C\xEA\x82\xCC\x83\x65\x83\x4C\x83\x58\x83\x67\x82\xC5"
                      "\x82\xB7\x81\x42\x93\x8C\x8B\x9E\x82\xC5\x89\xEF\x8B\x63\x82\xAA";
    char *o = NULL;
    size_t ol = 0;
    rasd_error e;
    CHECK(conv(fr, sizeof fr - 1, &o, &ol, &e) == RASD_EFORMAT);
    CHECK(conv(jp, sizeof jp - 1, &o, &ol, &e) == RASD_EFORMAT);
    CHECK(strstr(e.msg, "not text") != NULL);
}

/* ---- detection ---- */

TEST("ingest detect: feeds by their root element, after an XML declaration and comments")
{
    const char *rss = "<?xml version=\"1.0\"?>\n<!-- generator -->\n<rss version=\"2.0\"><channel>";
    const char *atom = "\xEF\xBB\xBF  <feed xmlns=\"http://www.w3.org/2005/Atom\">";
    const char *rdf = "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"x\">";
    CHECK(ingest_detect(rss, strlen(rss), "news.txt") == FMT_FEED);
    CHECK(ingest_detect(atom, strlen(atom), NULL) == FMT_FEED);
    CHECK(ingest_detect(rdf, strlen(rdf), "x") == FMT_FEED);
}

TEST("ingest detect: HTML by doctype or its first tag, whatever the name")
{
    const char *a = "<!DOCTYPE html><html><body><p>x</p></body></html>";
    const char *b = "  <div class=\"story\"><p>نص</p></div>";
    const char *c = "<p>فقرة</p>";
    const char *d = "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">";
    CHECK(ingest_detect(a, strlen(a), "page.txt") == FMT_HTML);
    CHECK(ingest_detect(b, strlen(b), NULL) == FMT_HTML);
    CHECK(ingest_detect(c, strlen(c), "a.htm") == FMT_HTML);
    CHECK(ingest_detect(c, strlen(c), "a.json") == FMT_JSON); /* a .json name: JSON or reported */
    CHECK(ingest_detect(d, strlen(d), "a.xml") == FMT_HTML);
}

TEST("ingest detect: JSON Lines, arrays and pretty-printed objects are JSON")
{
    const char *jl = "{\"title\": \"a\", \"text\": \"b\"}\n{\"title\": \"c\"}\n";
    const char *arr = "[\n  {\n    \"source\": \"sabq\"";
    const char *pretty = "{\n  \"title\": \"x\",\n  \"text\": \"y\"\n}\n";
    CHECK(ingest_detect(jl, strlen(jl), "x.txt") == FMT_JSON);
    CHECK(ingest_detect(arr, strlen(arr), NULL) == FMT_JSON); /* cut short: still JSON */
    CHECK(ingest_detect(pretty, strlen(pretty), NULL) == FMT_JSON);
}

TEST("ingest detect: content that opens like JSON is JSON even when it does not parse")
{
    const char *a = "{\"title\":\"a\",\"content\":\"نص\"\n{\"title\":\"b\"}\n";
    const char *b = "[[[[[[[[[[[[[[[[";
    const char *c = "[\n  {\"title\": \"x\", \"con";
    CHECK(ingest_detect(a, strlen(a), "f.txt") == FMT_JSON);
    CHECK(ingest_detect(b, strlen(b), NULL) == FMT_JSON);
    CHECK(ingest_detect(c, strlen(c), NULL) == FMT_JSON);
}

TEST("ingest detect: text that merely starts with a brace or bracket is text")
{
    const char *a = "{تنويه} هذا الخبر منقول عن وكالة الأنباء الرسمية.\nوفيه تفاصيل.";
    const char *b = "[1] المرجع الأول للخبر";
    const char *c = "< عاجل > انفجار في الميناء";
    CHECK(ingest_detect(a, strlen(a), "x.txt") == FMT_TEXT);
    CHECK(ingest_detect(a, strlen(a), "x.json") == FMT_JSON); /* the name says JSON: reported */
    CHECK(ingest_detect(b, strlen(b), NULL) == FMT_TEXT);
    CHECK(ingest_detect(c, strlen(c), NULL) == FMT_TEXT);
}

TEST("ingest detect: plain text is text; the extension only breaks ties")
{
    const char *t = "عنوان الخبر\nنص الخبر";
    CHECK(ingest_detect(t, strlen(t), "a.txt") == FMT_TEXT);
    CHECK(ingest_detect(t, strlen(t), "a.html") == FMT_TEXT); /* no markup at all */
    const char *frag = "نص قبل الوسوم <p>فقرة</p>";
    CHECK(ingest_detect(frag, strlen(frag), "a.html") == FMT_HTML);
    CHECK(ingest_detect(frag, strlen(frag), "a.txt") == FMT_TEXT);
    CHECK(ingest_detect("", 0, "feed.rss") == FMT_FEED);
    CHECK(ingest_detect("", 0, NULL) == FMT_TEXT);
    const char *x = "<?xml version=\"1.0\"?><catalog><book/></catalog>";
    CHECK(ingest_detect(x, strlen(x), "a.xml") == FMT_FEED); /* let the feed reader say what it is */
}

TEST("ingest detect: a UTF-16 file not yet converted is still recognised")
{
    const char s[] = "\xFF\xFE<\0r\0s\0s\0 \0v\0";
    CHECK(ingest_detect(s, sizeof s - 1, NULL) == FMT_FEED);
}

TEST("ingest detect: the seeds and the sample files are detected as what they are")
{
    const char *files[] = {"examples/seeds/000_28de61d1b7358e70.txt",
                           "examples/seeds/003_512641a6fdf04b61.txt",
                           "tests/data/json/saudinewsnet_sample.json",
                           "tests/data/json/lines_bad.jsonl"};
    const IngestFormat want[] = {FMT_TEXT, FMT_TEXT, FMT_JSON, FMT_JSON};
    for (size_t i = 0; i < 4; i++) {
        size_t n = 0;
        char *s = harness_slurp(files[i], &n);
        CHECK(s && ingest_detect(s, n, files[i]) == want[i]);
        free(s);
    }
}

TEST("ingest encoding: a UTF-8 paragraph then a windows-1256 one is decoded per line, no mojibake")
{
    /* "أعلنت الوزارة اليوم" in UTF-8, then "وقال الوزير" in windows-1256 */
    const char *u8 = "\xd8\xa3\xd8\xb9\xd9\x84\xd9\x86\xd8\xaa \xd8\xa7\xd9\x84\xd9\x88\xd8\xb2\xd8\xa7\xd8\xb1\xd8\xa9";
    const char *w = "\xe6\xde\xc7\xe1 \xc7\xe1\xe6\xd2\xed\xd1";
    char in[256];
    snprintf(in, sizeof in, "%s\n\n%s\n", u8, w);
    char *out = NULL;
    size_t ol = 0;
    rasd_error e;
    CHECK(conv(in, strlen(in), &out, &ol, &e) == RASD_OK);
    char want[256];
    snprintf(want, sizeof want, "%s\n\n%s\n", u8, "وقال الوزير");
    CHECK_STR(out, want);
    free(out);
}
