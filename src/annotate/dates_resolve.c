/*
 * dates_resolve.c — layers 3 and 4 of dates.c's comment: a parse (DX)
 * becomes an interval of days against the publication date and then a
 * value string; a restatement in the other calendar joins the span and
 * gives the value; day-months inside names are dropped; datelines are
 * marked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates_impl.h"

/* ======================================================================
 * Resolution: DX → interval of days → value string
 * ==================================================================== */

/* Granularity of a value's endpoints. */
enum { G_DAY = 1, G_MONTH, G_YEAR };

typedef struct Iv {
    long a, b; /* first and last day, days since 1970-01-01, inclusive */
    int g;     /* G_*: the granularity to print the endpoints at */
} Iv;

static void iv_month(int y, int m, Iv *iv)
{
    iv->a = dates_days_from_civil(y, m, 1);
    iv->b = dates_days_from_civil(y, m, days_in_month(y, m));
    iv->g = G_MONTH;
}

static void iv_years(int y, int y2, Iv *iv)
{
    iv->a = dates_days_from_civil(y, 1, 1);
    iv->b = dates_days_from_civil(y2, 12, 31);
    iv->g = G_YEAR;
}

/* Picks the year of a month (and day) without one, by x->dir. */
int dates_pick_year(const Ctx *c, const DX *x, int *year)
{
    int base = x->cal ? c->phy : c->py;
    long pub = x->cal ? (long)c->phy * 10000 + c->phm * 100 + c->phd
                      : (long)c->py * 10000 + c->pm * 100 + c->pd;
    long best_d = 0;
    int best = 0;
    for (int y = base - 1; y <= base + 1; y++) {
        if (x->d && !x->cal && !valid_greg(y, x->m, x->d))
            continue;
        long k = (long)y * 10000 + x->m * 100 + (x->d ? x->d : 0);
        long p = x->d ? pub : pub / 100 * 100;
        int cmp = k < p ? -1 : k > p;
        long dist;
        if (x->d && !x->cal)
            dist = dates_days_from_civil(y, x->m, x->d) - c->pdays;
        else
            dist = (long)(y - base) * 12 + x->m - (x->cal ? c->phm : c->pm);
        int ok;
        switch (x->dir) {
        case DIR_PAST: ok = cmp <= 0; break;
        case DIR_BEFORE: ok = cmp < 0; break;
        case DIR_FUT: ok = cmp >= 0; break;
        /* "أغسطس المقبل"، "16 آب المقبل" on an August page: the month the
           writer still had ahead (the text is often written days before
           the page is dated), not the same month a year on — a writer who
           means that says "أغسطس من العام المقبل" */
        case DIR_AFTER: ok = cmp > 0 || (y == base && x->m == (x->cal ? c->phm : c->pm)); break;
        default: ok = 1;
        }
        if (!ok)
            continue;
        long ad = dist < 0 ? -dist : dist;
        int better;
        if (!best)
            better = 1;
        else if (x->dir == DIR_PAST || x->dir == DIR_BEFORE)
            better = 1; /* later years come later in the loop: the latest wins */
        else if (x->dir == DIR_FUT || x->dir == DIR_AFTER)
            better = 0; /* the earliest wins */
        else /* news tells of the past more than of the future: a future
                reading must be clearly nearer (1.5 times) to win */
            better = (dist > 0 ? ad * 3 : ad * 2) < (best_d > 0 ? best_d * 3 : (best_d < 0 ? -best_d : best_d) * 2);
        if (better) {
            best = y;
            best_d = dist;
        }
    }
    if (!best)
        return -1;
    *year = best;
    return 0;
}

/* 1 resolved, 0 needs a publication date that is missing, -1 invalid. */
static int resolve(const Ctx *c, const DX *x0, Iv *iv)
{
    DX x = *x0;
    if (x.relu) {
        if (!c->have_pub)
            return 0;
        switch (x.relu) {
        case U_DAY:
            iv->a = iv->b = c->pdays + x.relo;
            iv->g = G_DAY;
            return 1;
        case U_WEEK: {
            long wd = ((c->pdays + 3) % 7 + 7) % 7; /* 0 = Monday; 1970-01-01 was a Thursday */
            iv->a = c->pdays - wd + 7L * x.relo;
            iv->b = iv->a + 6;
            iv->g = G_DAY;
            return 1;
        }
        case U_MONTH: {
            long mm = (long)c->py * 12 + (c->pm - 1) + x.relo;
            int y = (int)(mm / 12), m = (int)(mm % 12) + 1;
            if (x.d) {
                if (!valid_greg(y, m, x.d))
                    return -1;
                iv->a = iv->b = dates_days_from_civil(y, m, x.d);
                iv->g = G_DAY;
            } else {
                iv_month(y, m, iv);
            }
            return 1;
        }
        case U_YEAR: {
            int y = c->py + x.relo;
            if (y < 1 || y > 9999)
                return -1;
            if (x.m && !x.cal) {
                if (x.d) {
                    if (!valid_greg(y, x.m, x.d))
                        return -1;
                    iv->a = iv->b = dates_days_from_civil(y, x.m, x.d);
                    iv->g = G_DAY;
                } else {
                    iv_month(y, x.m, iv);
                }
            } else if (x.m) {
                int hy = c->phy + x.relo;
                x.relu = 0;
                x.y = hy;
                return resolve(c, &x, iv);
            } else {
                iv_years(y, y, iv);
            }
            return 1;
        }
        case U_DECADE: {
            int y = c->py / 10 * 10 + 10 * x.relo;
            iv_years(y, y + 9, iv);
            return 1;
        }
        case U_CENTURY: {
            int y = c->py / 100 * 100 + 100 * x.relo;
            iv_years(y, y + 99, iv);
            return 1;
        }
        }
        return -1;
    }
    if (x.wd >= 0) {
        if (!c->have_pub)
            return 0;
        long pw = ((c->pdays + 4) % 7 + 7) % 7; /* 0 = Sunday */
        long back = (pw - x.wd + 7) % 7, fwd = (x.wd - pw + 7) % 7;
        long day;
        switch (x.dir) {
        case DIR_BEFORE: day = c->pdays - (back ? back : 7); break;
        case DIR_FUT: day = c->pdays + fwd; break;
        case DIR_AFTER: day = c->pdays + (fwd ? fwd : 7); break;
        default: day = c->pdays - back;
        }
        day += 7L * x.relo; /* السبت قبل الماضي: weeks further back */
        iv->a = iv->b = day;
        iv->g = G_DAY;
        return 1;
    }
    if (x.dec || x.cent) {
        int cent; /* the century's first year, e.g. 1900 */
        if (x.centrel) {
            if (!c->have_pub)
                return 0;
            cent = c->py / 100 * 100 + 100 * x.cent;
        } else if (x.cent) {
            cent = (x.cent - 1) * 100;
        } else if (c->have_pub) {
            /* the latest such decade that had ended by publication */
            cent = c->py / 100 * 100;
            if (cent + x.dec + 9 >= c->py)
                cent -= 100;
        } else {
            cent = 1900;
        }
        if (cent < 0 || cent > 9800)
            return -1;
        if (x.dec)
            iv_years(cent + x.dec, cent + x.dec + 9, iv);
        else
            iv_years(cent, cent + 99, iv);
        return 1;
    }
    if (!x.y && x.m) {
        if (!c->have_pub)
            return 0;
        if (dates_pick_year(c, &x, &x.y) < 0)
            return -1;
    }
    if (!x.y)
        return -1;
    if (x.cal && x.gyear) {
        /* the Hijri year whose month x.m begins in Gregorian year x.y */
        int hy, hm, hd, gy, gm, gd, found = 0;
        dates_greg_to_hijri(x.y, 1, 1, &hy, &hm, &hd);
        for (int k = hy - 1; k <= hy + 1 && !found; k++)
            if (dates_hijri_to_greg(k, x.m, 1, &gy, &gm, &gd) == 0 && gy == x.y)
                x.y = k, found = 1;
        if (!found)
            return -1;
        x.gyear = 0;
    }
    if (x.cal) {
        int gy, gm, gd, gy2, gm2, gd2;
        int hm1 = x.m ? x.m : 1, hm2 = x.m ? x.m : 12;
        int hd1 = x.d ? x.d : 1;
        int hd2 = x.d2 ? x.d2 : x.d ? x.d : hijri_month_len(x.y2 ? x.y2 : x.y, hm2);
        if (dates_hijri_to_greg(x.y, hm1, hd1, &gy, &gm, &gd) < 0 ||
            dates_hijri_to_greg(x.y2 ? x.y2 : x.y, hm2, hd2, &gy2, &gm2, &gd2) < 0)
            return -1;
        iv->a = dates_days_from_civil(gy, gm, gd);
        iv->b = dates_days_from_civil(gy2, gm2, gd2);
        iv->g = G_DAY;
        return 1;
    }
    if (x.y < 1 || x.y > 9999)
        return -1;
    if (x.d) {
        if (!valid_greg(x.y, x.m, x.d) || (x.d2 && !valid_greg(x.y, x.m, x.d2)))
            return -1;
        iv->a = dates_days_from_civil(x.y, x.m, x.d);
        iv->b = dates_days_from_civil(x.y, x.m, x.d2 ? x.d2 : x.d);
        iv->g = G_DAY;
    } else if (x.m) {
        iv_month(x.y, x.m, iv);
    } else {
        iv_years(x.y, x.y2 ? x.y2 : x.y, iv);
    }
    return 1;
}

static void fmt_point(long days, int g, char *out, size_t n)
{
    int y, m, d;
    dates_civil_from_days(days, &y, &m, &d);
    if (g == G_YEAR)
        snprintf(out, n, "%04d", y);
    else if (g == G_MONTH)
        snprintf(out, n, "%04d-%02d", y, m);
    else
        snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* The value of [a of iv1, b of iv2]: one value when both ends print the same. */
static void fmt_range(const Iv *l, const Iv *r, char *out, size_t n)
{
    char a[16], b[16];
    fmt_point(l->a, l->g, a, sizeof a);
    fmt_point(r->b, r->g, b, sizeof b);
    if (strcmp(a, b) == 0)
        snprintf(out, n, "%s", a);
    else
        snprintf(out, n, "%s/%s", a, b);
}

/* The value of a parse into s->value; 0 to drop the parse (an impossible date). */
int dates_value_of(const Ctx *c, const Res *r, DateSpan *s)
{
    static const char units[] = " DWMY";
    s->kind = (uint8_t)r->kind;
    s->mod = (uint8_t)r->mod;
    s->part = (uint8_t)r->part;
    if (r->kind == DATE_KIND_DURATION || r->kind == DATE_KIND_SET) {
        int n = r->dur_n, u = r->dur_u;
        if (u == U_DECADE)
            n *= 10, u = U_YEAR;
        else if (u == U_CENTURY)
            n *= 100, u = U_YEAR;
        if (u < U_DAY || u > U_YEAR)
            return 0;
        if (r->dur_n == 0)
            snprintf(s->value, sizeof s->value, "PX%c", units[u]);
        else
            snprintf(s->value, sizeof s->value, "P%d%c", n, units[u]);
        return 1;
    }
    if (r->kind == DATE_KIND_VAGUE) {
        snprintf(s->value, sizeof s->value, "%s", r->vague_dir > 0 ? "FUTURE_REF" : "PAST_REF");
        return 1;
    }
    s->hijri = (uint8_t)(r->x.cal || (r->range && r->x2.cal));
    s->relative = (uint8_t)(r->x.relu || r->x.wd >= 0 || (r->x.m && !r->x.y) ||
                            (r->x.centrel) || (r->range && (r->x2.relu || (r->x2.m && !r->x2.y))));
    Iv l, rr;
    int ok = resolve(c, &r->x, &l);
    if (ok > 0 && r->range)
        ok = resolve(c, &r->x2, &rr);
    if (ok > 0 && r->range && !r->x.y && !r->x2.y && !r->x.d && !r->x2.d && r->x.m > r->x2.m &&
        !r->x.relu && !r->x2.relu && !r->x.cal && !r->x2.cal) {
        /* months across the turn of a year (بين سبتمبر ويناير): the first
           in the year before the second's */
        int y, m, d;
        dates_civil_from_days(rr.a, &y, &m, &d);
        DX first = r->x;
        first.y = y - 1;
        ok = resolve(c, &first, &l);
    }
    if (ok < 0)
        return 0;
    if (ok == 0) {
        snprintf(s->value, sizeof s->value, "?");
        s->relative = 1;
        return 1;
    }
    if (r->range && rr.b < l.a && !r->x.y && r->x.m && !r->x.relu && !r->x.cal) {
        /* "من المقرر أن تجرى الجلسات من 20 يوليو إلى 22 أكتوبر المقبل" on a
           07-21 page: the future reading pushed the first side a year on;
           a range that has begun is read with its first side in the year
           of the second (or the one before it) */
        int y, m, d;
        dates_civil_from_days(rr.a, &y, &m, &d);
        for (int k = 0; k < 2; k++) {
            DX first = r->x;
            first.y = y - k;
            if (resolve(c, &first, &l) > 0 && l.a <= rr.b)
                break;
        }
    }
    if (!r->range)
        rr = l;
    else if (rr.b < l.a)
        return 0;
    fmt_range(&l, &rr, s->value, sizeof s->value);
    return 1;
}

/* ======================================================================
 * One date in two calendars, names, datelines
 * ==================================================================== */

static int res_hijri(const Res *r) { return r->x.cal || (r->range && r->x2.cal); }

/* The days r names, [a of its start, b of its end]: 1 ok, else 0. */
static int res_iv(const Ctx *c, const Res *r, Iv *iv)
{
    Iv e;
    if (resolve(c, &r->x, iv) != 1)
        return 0;
    if (r->range) {
        if (resolve(c, &r->x2, &e) != 1)
            return 0;
        iv->b = e.b;
    }
    return 1;
}

/*
 * The same date restated in the other calendar right after the one read
 * (r, ending at token e): "26 شوال 1436 هـ الموافق 11 أغسطس 2015م"،
 * "18/9/1436هـ (5/7/2015م)"، "(10 شوال 1436هـ ) الموافق ( 26 يوليو 2015م )".
 * Returns the end of the restatement (0 if none) and its parse in *g.
 */
size_t dates_p_equivalent(const Ctx *c, const Res *r, Res *g)
{
    if (r->kind != DATE_KIND_DATE || r->x.relu || r->x.wd >= 0)
        return 0;
    size_t k = r->e;
    if (dates_is_comma(c, k))
        k++;
    const Match *ag = dates_lx(c, k, LX_AGREE, 0);
    if (ag)
        k += ag->ntok;
    if (ag && dates_punct(c, k, ":"))
        k++;
    int paren = dates_punct(c, k, "(");
    if (paren)
        k++;
    if (!ag && !paren)
        return 0;
    if (!dates_try_at(c, k, CUE_DATE, 0, g) || g->kind != DATE_KIND_DATE || g->s != k ||
        res_hijri(g) == res_hijri(r) || g->x.relu || g->x.wd >= 0)
        return 0;
    size_t e = g->e;
    if (paren) {
        if (!dates_punct(c, e, ")"))
            return 0;
        e++;
    }
    return e;
}

/* Gives a Gregorian month or day without a year (x) the year that puts it
   nearest day h, the Hijri date it restates. */
static void year_near(DX *x, long h)
{
    if (!x->m || x->y || x->relu || x->wd >= 0)
        return;
    int hy, hm, hd, best = 0;
    long best_d = 0;
    cal_civil_from_days(h, &hy, &hm, &hd);
    for (int y = hy - 1; y <= hy + 1; y++) {
        if (x->d && !cal_valid_ymd(y, x->m, x->d))
            continue;
        long dist = cal_days_from_civil(y, x->m, x->d ? x->d : 1) - h;
        if (dist < 0)
            dist = -dist;
        if (!best || dist < best_d)
            best = y, best_d = dist;
    }
    x->y = best;
}

/*
 * The value of a date written in both calendars: the Gregorian one, which
 * the writer states outright, wins over our conversion of the Hijri one,
 * which can be a day off from the calendar the writer used. The two must
 * name days within three days of each other, else they are two dates and
 * 0 is returned.
 */
int dates_value_equivalent(const Ctx *c, const Res *r, Res *g, DateSpan *s)
{
    Res *greg = res_hijri(r) ? g : (Res *)r;
    const Res *hij = res_hijri(r) ? r : g;
    Iv hi, gi;
    if (!res_iv(c, hij, &hi))
        return 0;
    year_near(&greg->x, hi.a);
    if (greg->range)
        year_near(&greg->x2, hi.b);
    if (!res_iv(c, greg, &gi) || gi.a > hi.b + 3 || gi.b < hi.a - 3)
        return 0;
    if (!dates_value_of(c, greg, s))
        return 0;
    s->hijri = 1;
    s->relative = 0;
    s->mod = (uint8_t)r->mod;
    s->part = (uint8_t)r->part;
    return 1;
}

/* Is the day-and-month r (no year written) part of a name: "حي واحد
   حزيران"، "شارع 26 يوليو"، "قوى 14 آذار"? */
int dates_in_name(const Ctx *c, const Res *r)
{
    if (r->kind != DATE_KIND_DATE || r->x.y || r->x.relu || !r->x.m || r->range || r->s == 0)
        return 0;
    size_t p = r->s - 1;
    if (c->t[r->s].flags & RASD_TF_NEWLINE)
        return 0;
    if (p > 0 && (dates_lx(c, p, LX_NUM, 0) || c->t[p].num >= 0) && !(c->t[p].flags & RASD_TF_NEWLINE))
        p--; /* "حي واحد حزيران": the number is the name's */
    return dates_lx(c, p, LX_NAMEHEAD, LX_ART) != NULL;
}

/* The first token of the line holding token i, if at most 8 tokens
   back; else (size_t)-1 (no dateline reaches that far). */
static size_t line_first(const Ctx *c, size_t i)
{
    for (size_t k = 0; k <= 8; k++, i--) {
        if (i == 0 || (c->t[i].flags & RASD_TF_NEWLINE))
            return i;
    }
    return (size_t)-1;
}

/* Tokens [a,b) are a place before a dateline: at most five words or
   dashes and commas, none of them a cue that makes the date part of a
   sentence (في، منذ، بتاريخ …). */
static int dateline_place(const Ctx *c, size_t a, size_t b)
{
    if (b - a > 5)
        return 0;
    for (size_t k = a; k < b; k++) {
        const Tk *t = &c->t[k];
        if (t->type == RASD_TOK_PUNCT) {
            if (!dates_is_dash(c, k) && !dates_is_comma(c, k) && !dates_punct(c, k, ":"))
                return 0;
            continue;
        }
        if (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN)
            return 0;
        static const int cats[] = {LX_PREP, LX_MOD, LX_DATECUE, LX_DAYCUE, LX_FROM, LX_TO,
                                   LX_BETWEEN, LX_OF, LX_PART, LX_TOD};
        for (size_t q = 0; q < sizeof cats / sizeof cats[0]; q++)
            if (dates_lx(c, k, cats[q], LX_ART))
                return 0;
    }
    return 1;
}

/* What closes a dateline after its date at token k: a dash or colon, an
   agency (واس، (واس)، «رويترز»), or the end of the line. Returns the end of
   the dateline (a token index) or 0 if the date goes on as a sentence. */
static size_t dateline_close(const Ctx *c, size_t k, int eol)
{
    int sep = 0; /* (a comma does not close a dateline: the sentence goes on) */
    while (k < c->lim && (dates_is_dash(c, k) || dates_punct(c, k, ":")))
        k++, sep = 1;
    if (k >= c->lim) /* a line of its own, with more text after it */
        return eol && (sep || c->lim < c->n) ? k : 0;
    size_t a = k;
    int open = dates_punct(c, a, "(") || dates_punct(c, a, "«") || dates_punct(c, a, "\"");
    if (open)
        a++;
    const Match *ag = dates_lx(c, a, LX_AGENCY, LX_ART);
    if (ag) {
        a += ag->ntok;
        if (open) {
            if (!(dates_punct(c, a, ")") || dates_punct(c, a, "»") || dates_punct(c, a, "\"")))
                return sep ? k : 0;
            a++;
        }
        while (a < c->lim && (dates_is_dash(c, a) || dates_punct(c, a, ":")))
            a++;
        return a;
    }
    return sep ? k : 0;
}

/*
 * Is span sp (tokens [s,e)) a dateline, the article's own place and date
 * ("الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس"، "تاريخ النشر: 31
 * أغسطس 2023")? If so sets the dateline fields of sp. Datelines are
 * metadata: a brief or timeline should not report them as events.
 */
void dates_mark_dateline(Ctx *c, size_t s, size_t e, DateSpan *sp)
{
    size_t ls = line_first(c, s);
    if (ls == (size_t)-1)
        return;
    /* the line's end if within 8 tokens of the date (eol), else that far:
       a dateline never needs more, and a long line costs no more */
    c->lim = e;
    while (c->lim < c->n && c->lim < e + 8 && !(c->t[c->lim].flags & RASD_TF_NEWLINE))
        c->lim++;
    int eol = c->lim == c->n || (c->t[c->lim].flags & RASD_TF_NEWLINE);
    size_t end = 0;
    const Match *lab = dates_lx(c, ls, LX_PUBLABEL, LX_ART);
    if (lab && ls + lab->ntok + (dates_punct(c, ls + lab->ntok, ":") ? 1 : 0) == s) {
        /* a publication-date line: the date and what follows on the line
           when that is short (a clock time) */
        end = eol && c->lim - e <= 4 ? c->lim : e;
    } else if (ls == 0 && sp->kind == DATE_KIND_DATE && !sp->relative &&
               strlen(sp->value) == 10 && dateline_place(c, ls, s) &&
               (c->t[s].num >= 0 || dates_lx(c, s, LX_GMONTH, 0) || dates_lx(c, s, LX_HMONTH, 0) ||
                dates_lx(c, s, LX_WEEKDAY, LX_ART))) {
        /* (the span opens on the date itself, not يوم or بتاريخ) */
        end = dateline_close(c, e, eol);
        if (end == e && s == ls)
            end = 0; /* a date alone on the first line, no place and no agency */
    }
    if (!end)
        return;
    sp->dateline = 1;
    sp->dateline_start = c->t[ls].start;
    sp->dateline_end = c->t[end - 1].end;
}

