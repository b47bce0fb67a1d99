/*
 * dates_try.c — the date recogniser's ranges and its entry point
 * (dates_try_at): at a token, try every parser of dates_grammar.c and the
 * ranges built from them, and keep the longest.
 */
#include <stdlib.h>
#include <string.h>

#include "dates_impl.h"

/* ======================================================================
 * Ranges
 * ==================================================================== */

/* One side of a range: a date, a month, a year, a bare year or a bare day.
   cued: the range opened with من or بين, which anchors a bare month name. */
static size_t p_side(const Ctx *c, size_t j, int cued, DX *x, int *bare_day, int *bare_year)
{
    size_t best = 0, e;
    Res t;
    *bare_day = *bare_year = 0;
    dates_res_init(&t, j);
    if ((e = dates_p_daymonth(c, j, cued ? CUE_MOD : 0, &t)) > best)
        best = e, *x = t.x;
    DX nx;
    if ((e = dates_p_numeric(c, j, 0, &nx)) > best)
        best = e, *x = nx;
    dates_res_init(&t, j);
    if ((e = dates_p_year(c, j, CUE_MOD, &t)) > best)
        best = e, *x = t.x;
    if (best) {
        /* a lone four-digit number, whichever parser read it */
        *bare_year = best == j + 1 && dates_num_at(c, j, 4, 4, 1000, 2199);
        return best;
    }
    /* a part of a month (بين مطلع نيسان حتى نهاية حزيران): the month, as a
       part of a month alone is read */
    if (dates_lx(c, j, LX_PART, 0)) {
        dates_res_init(&t, j);
        if ((e = dates_p_part(c, j, cued ? CUE_MOD : 0, &t)) && t.x.m && !t.x.d && !t.x.relu) {
            *x = t.x;
            return e;
        }
    }
    if (dates_num_at(c, j, 4, 4, 1000, 2199)) {
        dates_dx_init(x);
        x->y = (int)c->t[j].num;
        *bare_year = 1;
        return j + 1;
    }
    if (dates_day_at(c, j)) {
        dates_dx_init(x);
        x->d = (int)c->t[j].num;
        *bare_day = 1;
        return j + 1;
    }
    /* an ordinal day (من التاسع وحتى الثاني عشر من تموز) */
    const Match *o = dates_lx(c, j, LX_ORD, LX_ART);
    if (o && o->val >= 1 && o->val <= 31 &&
        (o->art || dates_starts(c->t[j].key, c->t[j].klen, "ال") ||
         dates_starts(c->t[j].key, c->t[j].klen, "وال"))) {
        dates_dx_init(x);
        x->d = o->val;
        *bare_day = 1;
        return j + o->ntok;
    }
    return 0;
}

/*
 * A side written in two calendars: "السبت 1 - 5 - 1433هـ الموافق 24 - 3 -
 * 2012م". A weekday before the date is read with it; a full date after
 * الموافق restates the side, and that restatement is the side's value
 * (the writer's own equivalent wins, as for a single date).
 */
static size_t p_side_restated(const Ctx *c, size_t j, int cued, DX *x, int *bare_day, int *bare_year)
{
    const Match *w = dates_lx(c, j, LX_WEEKDAY, LX_ART);
    size_t e = 0;
    if (w && w->art && cued) {
        e = dates_p_restated(c, j + w->ntok, x, w->val);
        *bare_day = *bare_year = 0;
    }
    if (!e)
        e = p_side(c, j, cued, x, bare_day, bare_year);
    if (!e || *bare_day || *bare_year || !x->d || !x->m || !x->y)
        return e;
    size_t a = e;
    if (dates_is_comma(c, a))
        a++;
    const Match *ag = dates_lx(c, a, LX_AGREE, 0);
    if (!ag)
        return e;
    a += ag->ntok;
    int paren = dates_punct(c, a, "(");
    a += paren;
    DX g;
    size_t ge = dates_p_numeric(c, a, CUE_DAY, &g);
    if (!ge || !g.d || !g.m || !g.y || g.cal == x->cal) {
        Res t;
        dates_res_init(&t, a);
        ge = dates_p_daymonth(c, a, CUE_DAY, &t);
        g = t.x;
    }
    if (!ge || !g.d || !g.m || !g.y || g.cal == x->cal || (paren && !dates_punct(c, ge, ")")))
        return e;
    *x = g;
    return ge + (paren ? 1 : 0);
}

/* Fills what one side of a range leaves out from the other side. */
static int complete_side(DX *a, const DX *b)
{
    if (!a->relu && b->relu && a->d && !a->m && !a->y && b->d) {
        /* "من التاسع وحتى الثاني عشر من الشهر الجاري": the day of the
           other side's month */
        int d = a->d;
        *a = *b;
        a->d = d;
        return 1;
    }
    if (a->relu || b->relu)
        return a->d || a->m || a->y;
    if (a->d && !a->m) {
        if (!b->m)
            return 0;
        a->m = b->m, a->cal = b->cal;
    }
    if (a->m && !a->y && b->y) {
        a->y = b->y;
        if (!a->cal)
            a->cal = b->cal;
    }
    return 1;
}

static long dx_sort_key(const DX *x)
{
    return (long)x->y * 10000 + x->m * 100 + x->d;
}

/*
 * من X إلى Y، بين X و Y، X - Y: "من 10 أيلول الى 13 منه"، "بين 2010 و2015"،
 * "10-13 أغسطس"، "من 13 وحتى 15 تشرين الثاني 2016"، "بين يناير ومارس"،
 * "25 يوليو/16 أغسطس 2015".
 */
static size_t p_range(const Ctx *c, size_t j, Res *r)
{
    const Match *f = dates_lx(c, j, LX_FROM, 0);
    const Match *b = f ? NULL : dates_lx(c, j, LX_BETWEEN, 0);
    /* شهري نيسان وأيار: the dual "two months" opens a range of two months
       joined by و, like بين */
    const Match *mc = f || b ? NULL : dates_lx(c, j, LX_MONTHCUE, LX_BARE);
    int dual = mc && mc->val == 2;
    size_t k = j;
    if (f)
        k += f->ntok;
    else if (b)
        k += b->ntok;
    else if (dual)
        k++;
    /* two month names joined by a dash (سبتمبر-نوفمبر) anchor each other
       as a cue would */
    int glued = 0; /* the dash is no token of its own: سبتمبر-نوفمبر */
    if (!f && !b && !dual && k + 1 < c->lim && c->t[k + 1].start == c->t[k].end + 1)
        glued = rasd_doc_text(c->d, NULL)[c->t[k].end] == '-';
    int dashed = !f && !b && !dual && dates_lx(c, k, LX_GMONTH, 0) &&
                 ((dates_is_dash(c, k + 1) && dates_lx(c, k + 2, LX_GMONTH, 0)) ||
                  (glued && dates_lx(c, k + 1, LX_GMONTH, 0)));
    DX L, R;
    int bdl, byl, bdr, byr, slash = 0;
    size_t le = p_side_restated(c, k, f || b || dual || dashed, &L, &bdl, &byl);
    if (!le || (dual && (L.d || !L.m)))
        return 0;
    if (b && L.y2 && dates_lx(c, k, LX_YEARCUE2, 0)) {
        /* بين عامي 2010 و2015: the year words already made the range */
        r->x = L;
        return le;
    }
    size_t a = le;
    if (f || b || dual) {
        /* من X إلى Y, and بين X حتى Y as it is also written */
        const Match *t = f || b ? dates_lx(c, a, LX_TO, 0) : NULL;
        if ((f || b) && t)
            a += t->ntok;
        else if ((b || dual) && dates_keyis(c, a, "\xd9\x88") /* و */)
            a++;
        else if (dual && dates_is_dash(c, a))
            a++; /* خلال شهري يونيو - يوليو 2015 */
        else if (b && dates_is_comma(c, a) && dates_keyis(c, a + 1, "\xd9\x88"))
            a += 2; /* "بين 25 يونيو الماضي، و 20 أغسطس المقبل" */
        else if ((b || dual) && dates_keyis(c, a, "\xd9\x88\xd8\xa7\xd9\x84") /* وال */ &&
                 a + 1 < c->lim && c->t[a + 1].num >= 0)
            a++; /* "بين الخامس وال13 أكتوبر": the article written before a digit */
        else if (!((b || dual) && a < c->lim && c->t[a].type == RASD_TOK_ARABIC &&
                   dates_starts(c->t[a].key, c->t[a].klen, "\xd9\x88")))
            return 0;
    } else if (bdl && dates_keyis(c, a, "\xd8\xa7\xd9\x88") /* او */ && dates_day_at(c, a + 1)) {
        /* "في 30 أو 31 يوليو": one of two days next to each other, told
           as the range of both (two days apart are two dates) */
        int bd, by;
        DX n;
        size_t ne = p_side(c, a + 1, 0, &n, &bd, &by);
        if (!ne || bd || by || !n.d || !n.m || n.d != L.d + 1)
            return 0;
        a++;
    } else if (bdl && a < c->lim && c->t[a].type == RASD_TOK_ARABIC && c->t[a].pre_len &&
               dates_starts(c->t[a].key, c->t[a].klen, "\xd9\x88") /* و */) {
        /* "السابع والثامن من تموز": a day, و, the next day and its month
           (two days apart are two dates, not a range) */
        int bd, by;
        DX n;
        size_t ne = p_side(c, a, 0, &n, &bd, &by);
        if (!ne || bd || by || !n.d || !n.m || n.d != L.d + 1)
            return 0;
    } else {
        /* "25 يوليو/16 أغسطس 2015": a slash joins two full day-months */
        slash = dates_is_slash(c, a) && L.d && L.m && !bdl;
        if (glued && dashed && a == k + 1) {
            /* the next month is the next token */
        } else {
            if ((!dates_is_dash(c, a) && !slash) || (!bdl && !byl && !L.m))
                return 0;
            a++;
        }
    }
    size_t re = p_side_restated(c, a, f || b || dual || dashed, &R, &bdr, &byr);
    /* the dual names two months: a range only when they are adjacent
       (شهري إبريل وأكتوبر are two months, not the half-year between) */
    if (!re || (slash && (!R.d || !R.m || bdr)) ||
        (dual && (R.d || !R.m || R.cal != L.cal || (R.m != L.m + 1 && !(L.m == 12 && R.m == 1)))))
        return 0;
    if (bdr) {
        /* 13 منه، 13 من الشهر نفسه / ذاته */
        if (dates_lx(c, re, LX_SAME, LX_BARE)) {
            re++;
        } else if (dates_lx(c, re, LX_OF, LX_BARE) && dates_lx(c, re + 1, LX_UNIT1, LX_ART) &&
                   dates_lx(c, re + 1, LX_UNIT1, LX_ART)->val == U_MONTH &&
                   dates_lx(c, re + 2, LX_NOTDAY, LX_BARE)) {
            re += 3;
        } else if (!bdl) {
            return 0;
        }
    }
    if ((bdl && bdr) || (byl != byr && (byl || byr) && (L.m || R.m)))
        return 0;
    if ((byl && (L.y < 1800 || L.y > 2100)) || (byr && (R.y < 1800 || R.y > 2100)))
        return 0; /* "بين 1500 و2000": more likely counts than years */
    if (!complete_side(&L, &R) || !complete_side(&R, &L))
        return 0;
    if (!L.relu && !R.relu) {
        if (L.m && !L.d && R.d && !R.m)
            return 0;
        /* من ديسمبر إلى فبراير 2024: the earlier side is in the year before
           (a later month only: "17-11 رمضان" is a typo, not a year apart) */
        if (L.y && R.y && L.y == R.y && L.m && R.m && L.m > R.m && !R.relu)
            L.y--;
        if (L.y && R.y && dx_sort_key(&L) >= dx_sort_key(&R) && !(L.y < R.y))
            return 0;
        /* بين سبتمبر ويناير الماضيين: two months without a year, the later
           one earlier in the calendar, cross into the next year (the
           resolver puts the first side in the year before the second's) */
        if (!L.y && !R.y && L.m && R.m && L.m * 100 + L.d >= R.m * 100 + R.d &&
            (L.d || R.d || L.m == R.m || L.cal != R.cal))
            return 0;
        if (L.d && L.m && !valid_greg(L.y ? L.y : 2000, L.m, L.d) && !L.cal)
            return 0;
    }
    r->x = L;
    r->x2 = R;
    r->range = 1;
    return re;
}

/*
 * Two adjacent weekdays: "ليل الجمعة - السبت"، "يومي السبت والأحد المقبلين":
 * a range of two days, each side placed as a lone weekday would be, the
 * second the day after the first.
 */
static size_t p_weekday_range(const Ctx *c, size_t j, Res *r)
{
    const Match *w1 = dates_lx(c, j, LX_WEEKDAY, LX_ART), *w2 = NULL;
    if (!w1 || !w1->art || w1->pre)
        return 0;
    size_t k = j + w1->ntok;
    if (dates_is_dash(c, k)) {
        w2 = dates_lx(c, k + 1, LX_WEEKDAY, LX_ART);
        k++;
    } else if (k < c->lim && c->t[k].type == RASD_TOK_ARABIC &&
               dates_starts(c->t[k].key, c->t[k].klen, "و")) {
        w2 = dates_lx(c, k, LX_WEEKDAY, LX_ART);
        if (w2 && !w2->pre)
            w2 = NULL; /* والأحد: the weekday after the conjunction */
    }
    if (!w2 || !w2->art || w2->val != (w1->val + 1) % 7)
        return 0;
    size_t e = k + w2->ntok;
    int dir = DIR_PAST;
    const Match *s;
    if ((s = dates_lx(c, e, LX_PAST, LX_BARE))) {
        dir = DIR_BEFORE;
        e += s->ntok;
    } else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE))) {
        dir = DIR_AFTER;
        e += s->ntok;
    } else if (dates_future_before(c, j)) {
        dir = DIR_FUT;
    }
    dates_dx_init(&r->x);
    dates_dx_init(&r->x2);
    r->x.wd = w1->val;
    r->x2.wd = w2->val;
    r->x.dir = r->x2.dir = dir;
    /* each side alone could fall in different weeks (a past Friday and
       Saturday read on a Friday): keep the second the day after the first */
    if (c->have_pub) {
        long pw = ((c->pdays + 4) % 7 + 7) % 7; /* 0 = Sunday */
        if (dir == DIR_PAST || dir == DIR_BEFORE) {
            long b1 = (pw - w1->val + 7) % 7, b2 = (pw - w2->val + 7) % 7;
            if (dir == DIR_BEFORE)
                b1 = b1 ? b1 : 7, b2 = b2 ? b2 : 7;
            if (b1 < b2)
                r->x.relo = -1;
        } else {
            long f1 = (w1->val - pw + 7) % 7, f2 = (w2->val - pw + 7) % 7;
            if (dir == DIR_AFTER)
                f1 = f1 ? f1 : 7, f2 = f2 ? f2 : 7;
            if (f2 < f1)
                r->x2.relo = 1;
        }
    }
    r->range = 1;
    r->day_like = 1;
    return e;
}

/* ======================================================================
 * Trying everything at a token
 * ==================================================================== */

static void consider(Res *best, int *found, const Res *r, size_t e)
{
    if (!e)
        return;
    if (!*found || e > best->e) {
        *best = *r;
        best->e = e;
        *found = 1;
    }
}

/* The cores: expressions that can stand without a cue. */
static int try_core(const Ctx *c, size_t i, int flags, Res *best)
{
    int found = 0;
    Res r;
    size_t e;
    if (i >= c->n || !dates_may_open(c, i))
        return 0;
#define TRY(call)                                                                              \
    do {                                                                                       \
        dates_res_init(&r, i);                                                                       \
        e = (call);                                                                            \
        consider(best, &found, &r, e);                                                         \
    } while (0)
    TRY(p_range(c, i, &r));
    TRY(dates_p_daymonth(c, i, flags, &r));
    TRY(dates_p_numeric_res(c, i, flags, &r));
    TRY(dates_p_year(c, i, flags, &r));
    TRY(dates_p_decade(c, i, &r));
    TRY(dates_p_relday(c, i, flags, &r));
    TRY(dates_p_weekday(c, i, flags, &r));
    TRY(p_weekday_range(c, i, &r));
    TRY(dates_p_relunit(c, i, &r));
    TRY(dates_p_day_of_rel(c, i, &r));
    TRY(dates_p_part(c, i, flags, &r));
    TRY(dates_p_duration(c, i, flags, &r));
    TRY(dates_p_set(c, i, &r));
    TRY(dates_p_period(c, i, &r));
#undef TRY
    return found;
}


/* What follows a cue word: an expression, or one in parentheses
   ("بتاريخ ( 3 / 4 / 1956 )"، "قبل ( 1948 )"), whose parentheses then
   belong to the span. */
static int try_after_cue(const Ctx *c, size_t k, int flags, int depth, Res *r)
{
    int found = dates_try_at(c, k, flags, depth, r);
    Res p;
    if (dates_punct(c, k, "(") && dates_try_at(c, k + 1, flags, depth, &p) && dates_punct(c, p.e, ")") &&
        (!found || p.e + 1 > r->e)) {
        *r = p;
        r->e = p.e + 1;
        found = 1;
    }
    return found;
}

/* Cue words that belong to the span, then a core. depth bounds the cues. */
int dates_try_at(const Ctx *c, size_t i, int flags, int depth, Res *best)
{
    int found = try_core(c, i, flags, best);
    if (depth >= 3 || i >= c->lim)
        return found;
    Res r;
    const Match *m;
    if ((m = dates_lx(c, i, LX_DATECUE, 0))) {
        size_t k = i + m->ntok;
        if (dates_punct(c, k, ":"))
            k++;
        if (try_after_cue(c, k, flags | CUE_DATE, depth + 1, &r) && r.kind == DATE_KIND_DATE) {
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    if ((m = dates_lx(c, i, LX_DAYCUE, 0)) || (m = dates_lx(c, i, LX_TOD, 0))) {
        if (dates_try_at(c, i + m->ntok, flags | CUE_DAY, depth + 1, &r) && r.kind == DATE_KIND_DATE &&
            r.day_like) {
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    if ((m = dates_lx(c, i, LX_MOD, 0))) {
        if (try_after_cue(c, i + m->ntok, flags | CUE_MOD, depth + 1, &r) && !r.mod) {
            int mod = m->val == 1   ? DATE_MOD_SINCE
                      : m->val == 2 ? DATE_MOD_BEFORE
                      : m->val == 3 ? DATE_MOD_AFTER
                                    : DATE_MOD_DURING;
            /* "منذ آذار/مارس": what something has lasted since is past */
            if (mod == DATE_MOD_SINCE && r.kind == DATE_KIND_DATE && !r.range && r.x.m &&
                !r.x.y && !r.x.relu && (r.x.dir == DIR_NEAR || r.x.dir == DIR_FUT))
                r.x.dir = DIR_PAST;
            /* "قبل يوم من الحصاد"، "بعد أسبوع على بدايته" count from the
               event, not from publication; "يوماً بعد يوم" is "day after day" */
            const Match *pu = i > 0 && !(c->t[i].flags & RASD_TF_NEWLINE)
                                  ? dates_lx(c, i - 1, LX_UNIT1, 0) : NULL;
            int from_event = dates_lx(c, r.e, LX_OF, LX_BARE) != NULL ||
                             dates_lx(c, r.e, LX_EVFROM, LX_BARE) != NULL ||
                             (pu && r.kind == DATE_KIND_DURATION && pu->val == r.dur_u);
            if (r.kind == DATE_KIND_DURATION && mod != DATE_MOD_DURING && !from_event) {
                /* قبل ثلاثة أيام، منذ عامين، بعد أسبوع: a date counted from
                   publication; the sign of the offset already says before/after */
                int sign = mod == DATE_MOD_AFTER ? 1 : -1;
                int n = r.dur_n, u = r.dur_u;
                if (mod != DATE_MOD_SINCE)
                    mod = DATE_MOD_NONE;
                if (n == 0) {
                    r.kind = DATE_KIND_VAGUE;
                    r.vague_dir = sign;
                } else {
                    dates_dx_init(&r.x);
                    r.kind = DATE_KIND_DATE;
                    if (u == U_WEEK)
                        u = U_DAY, n *= 7;
                    else if (u == U_DECADE)
                        u = U_YEAR, n *= 10;
                    else if (u == U_CENTURY)
                        u = U_YEAR, n *= 100;
                    r.x.relu = u;
                    r.x.relo = sign * n;
                    r.day_like = u == U_DAY;
                }
            }
            r.mod = mod;
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    if ((m = dates_lx(c, i, LX_DURCUE, 0))) {
        if (dates_try_at(c, i + m->ntok, flags | CUE_DUR, depth + 1, &r) &&
            r.kind == DATE_KIND_DURATION) {
            r.s = i;
            consider(best, &found, &r, r.e);
        }
    }
    return found;
}

