/*
 * valid_date.c — the one test every `published` value passes before it is
 * kept (readers, manifests, and the CLI's --date): the ISO 8601 subset rasd
 * stores. Accepted, and nothing else:
 *   YYYY            YYYY-MM            YYYY-MM-DD
 *   YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM]
 * Fields are range-checked (month 1..12, day within its month with leap
 * years, hour 0..23, minute 0..59, second 0..60, zone hours 0..14), the
 * year is 1000..9999. No white space, no lower-case 't'/'z', no week or
 * ordinal dates: what readers normalise to (date.c) passes, junk does not.
 */
#include <stddef.h>

#include "ingest.h"

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int month_days(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int ingest_valid_date(const char *s)
{
    if (!s)
        return 0;
    int y = digits(s, 4);
    if (y < 1000)
        return 0;
    if (s[4] == '\0')
        return 1;
    if (s[4] != '-')
        return 0;
    int mo = digits(s + 5, 2);
    if (mo < 1 || mo > 12)
        return 0;
    if (s[7] == '\0')
        return 1;
    if (s[7] != '-')
        return 0;
    int d = digits(s + 8, 2);
    if (d < 1 || d > month_days(y, mo))
        return 0;
    if (s[10] == '\0')
        return 1;
    if (s[10] != 'T')
        return 0;
    const char *p = s + 11;
    int h = digits(p, 2);
    if (h < 0 || h > 23 || p[2] != ':')
        return 0;
    int mi = digits(p + 3, 2);
    if (mi < 0 || mi > 59)
        return 0;
    p += 5;
    if (*p == ':') {
        int sec = digits(p + 1, 2);
        if (sec < 0 || sec > 60)
            return 0;
        p += 3;
        if (*p == '.') {
            p++;
            int nd = 0;
            while (*p >= '0' && *p <= '9' && nd < 10) {
                p++;
                nd++;
            }
            if (nd == 0 || (*p >= '0' && *p <= '9'))
                return 0;
        }
    }
    if (*p == '\0')
        return 1;
    if (*p == 'Z')
        return p[1] == '\0';
    if (*p != '+' && *p != '-')
        return 0;
    int zh = digits(p + 1, 2);
    if (zh < 0 || zh > 14 || p[3] != ':')
        return 0;
    int zm = digits(p + 4, 2);
    return zm >= 0 && zm <= 59 && p[6] == '\0';
}
