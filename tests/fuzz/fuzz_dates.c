/*
 * fuzz_dates.c — libFuzzer target for the date recogniser: any bytes
 * through rasd_text_analyse and dates_find, with a publication date taken
 * from the input too, checking the invariants consumers rely on.
 *
 *   make build/fuzz/fuzz_dates
 *   build/fuzz/fuzz_dates -max_total_time=180 -max_len=65536 -timeout=10 \
 *       build/fuzz/corpus-fuzz_dates
 *
 * Input: the first byte picks the publication date (a fixed valid one, none,
 * or the next 10 input bytes as an untrusted string); the rest is the text.
 * Invariants checked:
 *   spans    start < end <= text length, on UTF-8 character boundaries, in
 *            order and not overlapping
 *   values   NUL-terminated, and of the documented shapes: "?", YYYY,
 *            YYYY-MM, YYYY-MM-DD, A/B of two such (A <= B), or, for the
 *            TIMEX kinds, P<n|X><D|W|M|Y>, PAST_REF, FUTURE_REF
 *   kinds    the default output equals the DATES_TIMEX output without the
 *            non-calendar kinds
 *   json     dates_format_json is valid JSON (jansson) with one object a span
 *   dateline a dateline's range holds its date, lies in the text on
 *            character boundaries, and dates_dateline_of finds the first one
 *   calendar the input's first 12 bytes as a string: whatever
 *            ingest_parse_date makes of it passes cal_valid_iso_date, and
 *            cal_valid_iso_date never reads past the NUL (ASan); three
 *            numbers from the input as a Hijri date convert to Gregorian
 *            and back to themselves when valid
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rasd.h"
#include "annotate/dates.h"
#include "ingest/ingest.h"
#include "util/calendar.h"

#define REQUIRE(cond, ...)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_dates: invariant failed: %s: ", #cond);    \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

static rasd_text *ctx;

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Length of a YYYY, YYYY-MM or YYYY-MM-DD at s, 0 if none. */
static int point(const char *s)
{
    if (!digits(s, 4))
        return 0;
    if (s[4] != '-')
        return 4;
    if (!digits(s + 5, 2) || s[5] > '1')
        return 0;
    if (s[7] != '-')
        return 7;
    if (!digits(s + 8, 2) || s[8] > '3')
        return 0;
    return 10;
}

static int valid_value(const char *v, int kind)
{
    size_t n = strlen(v);
    if (kind != DATE_KIND_DATE) {
        if (!strcmp(v, "PAST_REF") || !strcmp(v, "FUTURE_REF"))
            return kind == DATE_KIND_VAGUE;
        if (v[0] != 'P' || n < 3)
            return 0;
        const char *p = v + 1;
        if (*p == 'X')
            p++;
        else if (!digits(p, 1))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
        return (p[0] == 'D' || p[0] == 'W' || p[0] == 'M' || p[0] == 'Y') && p[1] == 0;
    }
    if (!strcmp(v, "?"))
        return 1;
    int a = point(v);
    if (!a)
        return 0;
    if (v[a] == 0)
        return 1;
    if (v[a] != '/')
        return 0;
    int b = point(v + a + 1);
    if (!b || v[a + 1 + b] != 0)
        return 0;
    return strncmp(v, v + a + 1, 4) <= 0; /* the range does not run backwards */
}

static void check_spans(const char *text, size_t tlen, const DateSpan *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        REQUIRE(s[i].start < s[i].end && s[i].end <= tlen, "span %zu [%u,%u) of %zu", i,
                s[i].start, s[i].end, tlen);
        REQUIRE(i == 0 || s[i - 1].end <= s[i].start, "span %zu overlaps the one before", i);
        REQUIRE(((unsigned char)text[s[i].start] & 0xC0) != 0x80 &&
                    (s[i].end == tlen || ((unsigned char)text[s[i].end] & 0xC0) != 0x80),
                "span %zu [%u,%u) cuts a character", i, s[i].start, s[i].end);
        REQUIRE(memchr(s[i].value, 0, sizeof s[i].value) != NULL, "value %zu not terminated", i);
        REQUIRE(valid_value(s[i].value, s[i].kind), "span %zu value '%s' kind %d", i,
                s[i].value, s[i].kind);
        REQUIRE(s[i].mod <= DATE_MOD_DURING && s[i].part <= DATE_PART_LATE, "span %zu mod/part",
                i);
        if (s[i].dateline) {
            uint32_t a = s[i].dateline_start, b = s[i].dateline_end;
            REQUIRE(a <= s[i].start && s[i].end <= b && b <= tlen, "dateline %zu [%u,%u)", i, a,
                    b);
            REQUIRE(((unsigned char)text[a] & 0xC0) != 0x80 &&
                        (b == tlen || ((unsigned char)text[b] & 0xC0) != 0x80),
                    "dateline %zu [%u,%u) cuts a character", i, a, b);
        }
    }
    uint32_t a = 0, b = 0;
    int found = dates_dateline_of(s, n, &a, &b);
    size_t first = 0;
    while (first < n && !s[first].dateline)
        first++;
    REQUIRE(found == (first < n) && (!found || (a == s[first].dateline_start &&
                                                b == s[first].dateline_end)),
            "dates_dateline_of disagrees with the spans");
}

/* Calendar functions on raw input bytes. */
static void check_calendar(const uint8_t *data, size_t size)
{
    char s[13];
    size_t n = size < 12 ? size : 12;
    memcpy(s, data, n);
    s[n] = 0;
    (void)cal_valid_iso_date(s);
    char *iso = ingest_parse_date(s, strlen(s));
    REQUIRE(!iso || cal_valid_iso_date(iso), "ingest_parse_date(\"%s\") = \"%s\" is not ISO",
            s, iso ? iso : "");
    free(iso);
    if (size >= 4) {
        int hy = (data[0] | data[1] << 8) % 2000, hm = data[2] % 14, hd = data[3] % 32;
        int y, m, d, hy2, hm2, hd2;
        if (cal_hijri_to_greg(hy, hm, hd, &y, &m, &d) == 0) {
            REQUIRE(cal_valid_ymd(y, m, d), "Hijri %d-%d-%d gave %d-%d-%d", hy, hm, hd, y, m, d);
            cal_greg_to_hijri(y, m, d, &hy2, &hm2, &hd2);
            REQUIRE(hy2 == hy && hm2 == hm && hd2 == hd, "Hijri %d-%d-%d came back %d-%d-%d", hy,
                    hm, hd, hy2, hm2, hd2);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx && rasd_text_new(&ctx, NULL) != RASD_OK)
        abort();
    check_calendar(data, size);
    char pub[11] = "";
    const char *pubp = NULL;
    if (size > 0) {
        switch (data[0] % 4) {
        case 0: pubp = "2023-09-05"; break;
        case 1: pubp = "1999-02-28"; break;
        case 2: pubp = NULL; break;
        default:
            if (size >= 11) {
                memcpy(pub, data + 1, 10);
                pub[10] = 0;
                pubp = pub;
                data += 10;
                size -= 10;
            }
        }
        data++;
        size--;
    }
    rasd_doc *d = NULL;
    rasd_error err;
    REQUIRE(rasd_text_analyse(ctx, (const char *)data, size, &d, &err) == RASD_OK, "%s",
            err.msg);
    size_t tlen;
    const char *text = rasd_doc_text(d, &tlen);
    DateSpan *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    REQUIRE(dates_find(d, pubp, 0, &a, &na, &err) == RASD_OK, "%s", err.msg);
    REQUIRE(dates_find(d, pubp, DATES_TIMEX, &b, &nb, &err) == RASD_OK, "%s", err.msg);
    check_spans(text, tlen, a, na);
    check_spans(text, tlen, b, nb);
    size_t k = 0;
    for (size_t i = 0; i < nb; i++) {
        if (b[i].kind != DATE_KIND_DATE)
            continue;
        REQUIRE(k < na && a[k].start == b[i].start && a[k].end == b[i].end &&
                    strcmp(a[k].value, b[i].value) == 0,
                "default span %zu differs from TIMEX span %zu", k, i);
        k++;
    }
    REQUIRE(k == na, "default has %zu spans, TIMEX has %zu dates", na, k);
    for (size_t i = 0; i < na; i++)
        REQUIRE(a[i].kind == DATE_KIND_DATE, "default span %zu has kind %d", i, a[i].kind);

    Buf out = {0};
    dates_format_json(d, b, nb, &out);
    json_error_t jerr;
    json_t *j = json_loadb(out.data ? out.data : "", out.len, 0, &jerr);
    REQUIRE(j && json_is_array(j) && json_array_size(j) == nb, "JSON: %s", jerr.text);
    json_decref(j);
    buf_free(&out);
    free(a);
    free(b);
    rasd_doc_free(d);
    return 0;
}
