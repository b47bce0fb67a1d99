/*
 * dates_grammar.c — the date recogniser's parsers (layer 2 of dates.c's
 * comment): at a token, each reads a bounded number of tokens ahead and
 * describes what it read as a DX; dates_try_at (dates_try.c) tries them all
 * and keeps the longest.
 */
#include <stdlib.h>
#include <string.h>

#include "dates_impl.h"

/* ======================================================================
 * Grammar: the pieces
 * ==================================================================== */

/* Era after a year (هـ، هجري، م، ميلادي): tokens consumed; *hijri 1 or 0.
   bare: the number before has no year word, so the letter م, which is also
   "metre" ("1000 م مربع"), counts only at the end of a phrase. */
static size_t p_era_cued(const Ctx *c, size_t j, int *hijri, int bare)
{
    const Match *m = dates_lx(c, j, LX_ERA_H, LX_BARE);
    if (m) {
        *hijri = 1;
        return m->ntok;
    }
    m = dates_lx(c, j, LX_ERA_G, LX_BARE);
    if (m) {
        if (bare && c->t[j].klen <= 2 && j + 1 < c->lim && c->t[j + 1].type == RASD_TOK_ARABIC)
            return 0;
        *hijri = 0;
        return m->ntok;
    }
    return 0;
}

static size_t p_era(const Ctx *c, size_t j, int *hijri) { return p_era_cued(c, j, hijri, 0); }

/*
 * A year number, optionally in parentheses, optionally a range of years
 * (1931/1932, 2010-2015, 2015/16): returns the end or 0. The year has
 * mind..4 digits and lies in [lo, hi].
 */
static size_t p_yearnum(const Ctx *c, size_t j, int mind, long lo, long hi, int *y, int *y2)
{
    size_t k = j;
    int paren = dates_punct(c, k, "(");
    if (paren)
        k++;
    if (!dates_num_at(c, k, mind, 4, lo, hi))
        return 0;
    *y = (int)c->t[k].num;
    *y2 = 0;
    k++;
    /* a second year after / or - makes a range, unless the chain goes on
       (then it is a numeric date or something else) */
    if ((dates_is_slash(c, k) || dates_is_dash(c, k)) && k + 1 < c->lim && c->t[k + 1].num >= 0 &&
        !((dates_is_slash(c, k + 2) || dates_is_dash(c, k + 2)) && dates_num_at(c, k + 3, 1, 9, 0, 999999999))) {
        const Tk *b = &c->t[k + 1];
        int second = -1;
        if (b->ndig == 4)
            second = (int)b->num;
        else if (b->ndig == 2)
            second = *y / 100 * 100 + (int)b->num;
        if (second > *y && second - *y <= 100) {
            *y2 = second;
            k += 2;
        }
    }
    if (paren) {
        if (!dates_punct(c, k, ")"))
            return 0;
        k++;
    }
    return k;
}

/*
 * A month name, with an optional شهر before it and an optional second
 * name of the same month after a slash or in parentheses (يوليو/تموز،
 * تموز (يوليو)). Returns the end or 0; *strong says the name is anchored on
 * its own (unambiguous word, شهر, or a pair).
 */
static size_t p_month(const Ctx *c, size_t j, int *mon, int *cal, int *strong)
{
    size_t k = j;
    int cue = 0;
    const Match *mc = dates_lx(c, j, LX_MONTHCUE, LX_ART);
    if (mc) {
        k = j + mc->ntok;
        cue = 1;
    }
    const Match *g = dates_lx(c, k, LX_GMONTH, cue ? LX_BARE : 0);
    const Match *h = dates_lx(c, k, LX_HMONTH, cue ? LX_BARE : 0);
    const Match *m = g;
    if (!m || (h && h->ntok > m->ntok))
        m = h;
    if (!m)
        return 0;
    *mon = m->val;
    *cal = m == h;
    size_t e = k + m->ntok;
    if (c->t[k].type == RASD_TOK_LATIN && c->t[k].klen <= 4 && dates_punct(c, e, "."))
        e++; /* Sept. 11 */
    int paired = 0;
    /* "يوليو/تموز", and "3 يوليو - تموز الجاري": the same month named twice
       (two different months across a dash are a range, read elsewhere) */
    if (dates_is_slash(c, e) || dates_is_dash(c, e)) {
        const Match *m2 = dates_lx(c, e + 1, m == h ? LX_HMONTH : LX_GMONTH, LX_BARE);
        const Tk *t1 = &c->t[k], *t2 = e + 1 < c->lim ? &c->t[e + 1] : NULL;
        /* … but one word twice across a dash is a score (صفر - صفر) */
        if (m2 && dates_is_dash(c, e) && t2 && t1->klen == t2->klen &&
            memcmp(t1->key, t2->key, t1->klen) == 0)
            m2 = NULL;
        if (m2 && m2->val == m->val) {
            e = e + 1 + m2->ntok;
            paired = 1;
        }
    } else if (dates_punct(c, e, "(")) {
        const Match *m2 = dates_lx(c, e + 1, m == h ? LX_HMONTH : LX_GMONTH, LX_BARE);
        if (m2 && m2->val == m->val && dates_punct(c, e + 1 + m2->ntok, ")")) {
            e = e + 2 + m2->ntok;
            paired = 1;
        }
    } else if (m == g) {
        /* "يونيو حزيران" (wire style): the second name with no mark between */
        const Match *m2 = dates_lx(c, e, LX_GMONTH, LX_BARE);
        if (m2 && m2->val == m->val && m2->ntok + e <= c->lim) {
            e += m2->ntok;
            paired = 1;
        }
    }
    *strong = cue || paired || !m->anchor;
    return e;
}

/*
 * A numeric date: D/M/Y, Y-M-D, M/D/Y when the middle number cannot be a
 * month, D/MonthName/Y, D1/D2/M/Y (a range of days), the year possibly in
 * parentheses, or one token such as 31.8.2023. D/M without a year only
 * after بتاريخ or يوم. Returns the end or 0; fills x (and x->d2).
 */
size_t dates_p_numeric(const Ctx *c, size_t j, int flags, DX *x)
{
    if (j >= c->lim)
        return 0;
    long part[4];
    int nd[4], np = 0, name_mon = 0, name_cal = 0;
    size_t e;
    const Tk *t = &c->t[j];
    if (t->type == RASD_TOK_NUMBER && t->num < 0 && !t->ordsuf) {
        /* one token: 31.8.2023, 2023.08.31 */
        char sep = 0;
        size_t i = 0;
        while (i < t->klen && np < 4) {
            long v = 0;
            int dg = 0;
            while (i < t->klen && t->key[i] >= '0' && t->key[i] <= '9' && dg < 5)
                v = v * 10 + (t->key[i++] - '0'), dg++;
            if (!dg)
                return 0;
            part[np] = v, nd[np++] = dg;
            if (i == t->klen)
                break;
            char s = t->key[i];
            if ((s != '.' && s != '/' && s != '-') || (sep && s != sep))
                return 0;
            sep = s;
            i++;
        }
        if (i != t->klen || np != 3)
            return 0;
        e = j + 1;
    } else {
        if (!dates_num_at(c, j, 1, 4, 0, 9999))
            return 0;
        part[0] = t->num, nd[0] = t->ndig, np = 1;
        size_t k = j + 1;
        int slash = dates_is_slash(c, k), dash = dates_is_dash(c, k);
        if (!slash && !dash)
            return 0;
        /* not the middle of a longer chain with the same separator ("20 –
           30/10/1436" is a day and a date, a range) */
        if (j >= 2 && (slash ? dates_is_slash(c, j - 1) : dates_is_dash(c, j - 1)) && c->t[j - 2].num >= 0 &&
            !(c->t[j - 1].flags & RASD_TF_NEWLINE))
            return 0;
        while (np < 4 && (slash ? dates_is_slash(c, k) : dates_is_dash(c, k))) {
            size_t q = k + 1;
            int mon, cal, strong;
            size_t me;
            if (np == 1 && (me = p_month(c, q, &mon, &cal, &strong)) != 0 && me > q &&
                (slash ? dates_is_slash(c, me) : dates_is_dash(c, me))) {
                name_mon = mon, name_cal = cal;
                part[np] = mon, nd[np++] = 2;
                k = me;
                continue;
            }
            if (dates_punct(c, q, "(") && dates_num_at(c, q + 1, 3, 4, 0, 9999) && dates_punct(c, q + 2, ")")) {
                part[np] = c->t[q + 1].num, nd[np++] = c->t[q + 1].ndig;
                k = q + 3;
                break; /* 4 / 5 / ( 1946 ): the year closes the chain */
            }
            if (!dates_num_at(c, q, 1, 4, 0, 9999))
                break;
            part[np] = c->t[q].num, nd[np++] = c->t[q].ndig;
            k = q + 1;
        }
        if (np < 2)
            return 0;
        /* a chain that goes on with more numbers is not a date we read */
        if ((slash ? dates_is_slash(c, k) : dates_is_dash(c, k)) && dates_num_at(c, k + 1, 1, 9, 0, 999999999))
            return 0;
        e = k;
    }
    int y = 0, m = 0, d = 0, d2 = 0;
    if (np == 3 && nd[0] == 4 && !name_mon) {
        y = (int)part[0], m = (int)part[1], d = (int)part[2];
    } else if (np == 3 && (nd[2] == 4 || (nd[2] == 3 && name_mon))) {
        d = (int)part[0], m = (int)part[1], y = (int)part[2];
        if (m > 12 && d <= 12 && !name_mon) {
            int tmp = d;
            d = m;
            m = tmp;
        }
    } else if (np == 4 && nd[3] == 4 && !name_mon) {
        d = (int)part[0], d2 = (int)part[1], m = (int)part[2], y = (int)part[3];
        if (d2 <= d)
            return 0;
    } else if (np == 2 && !name_mon && (flags & (CUE_DATE | CUE_DAY)) && nd[0] <= 2 &&
               nd[1] <= 2 && dates_is_slash(c, j + 1)) {
        d = (int)part[0], m = (int)part[1];
    } else {
        return 0;
    }
    if (m < 1 || m > 12 || d < 1 || d > 31 || d2 > 31)
        return 0;
    int hijri = name_mon ? name_cal : 0, eh = 0;
    size_t ee = y ? p_era(c, e, &eh) : 0;
    if (ee) {
        hijri = eh;
        e += ee;
    } else if (y >= 1300 && y <= 1500 && !name_mon) {
        hijri = 1; /* a day/month/year in the 14th–15th century is a Hijri date */
    }
    if (hijri) {
        if (d > 30 || (y && y > 9000))
            return 0;
    } else if (y && !valid_greg(y, m, d)) {
        return 0;
    } else if (!y && d > days_in_month(2000, m)) {
        return 0;
    }
    dates_dx_init(x);
    x->cal = hijri;
    x->y = y, x->m = m, x->d = d, x->d2 = d2;
    return e;
}

size_t dates_p_numeric_res(const Ctx *c, size_t j, int flags, Res *r)
{
    r->day_like = 1;
    return dates_p_numeric(c, j, flags, &r->x);
}

/* "من العام الماضي"، "من عام 2020"، "من هذا العام" after a month: the year. */
static size_t p_of_year(const Ctx *c, size_t j, DX *x)
{
    if (!dates_lx(c, j, LX_OF, LX_BARE)) {
        /* "مارس العام الماضي": the relative year right after the month */
        const Match *yc0 = dates_lx(c, j, LX_YEARCUE, LX_BARE), *r0;
        if (!yc0 || j >= c->lim || !dates_starts(c->t[j].key, c->t[j].klen, "ال"))
            return 0;
        size_t a0 = j + yc0->ntok;
        if ((r0 = dates_lx(c, a0, LX_PAST, LX_BARE)))
            x->relu = U_YEAR, x->relo = -1;
        else if ((r0 = dates_lx(c, a0, LX_FUTURE, LX_BARE)))
            x->relu = U_YEAR, x->relo = 1;
        else
            return 0;
        return a0 + r0->ntok;
    }
    size_t k = j + 1;
    const Match *th = dates_lx(c, k, LX_THIS, LX_BARE);
    if (th)
        k += th->ntok;
    const Match *yc = dates_lx(c, k, LX_YEARCUE, LX_BARE);
    if (!yc)
        return 0;
    size_t a = k + yc->ntok;
    if (th) {
        x->relu = U_YEAR, x->relo = 0;
        return a;
    }
    int y, y2;
    size_t ye = p_yearnum(c, a, 3, 100, 2199, &y, &y2);
    if (ye && !y2) {
        x->y = y;
        int h = 0;
        size_t ee = p_era(c, ye, &h);
        if (ee && h)
            x->cal = 1;
        return ye + ee;
    }
    const Match *r;
    if ((r = dates_lx(c, a, LX_PAST, LX_BARE)))
        x->relu = U_YEAR, x->relo = -1;
    else if ((r = dates_lx(c, a, LX_FUTURE, LX_BARE)))
        x->relu = U_YEAR, x->relo = 1;
    else if ((r = dates_lx(c, a, LX_CURRENT, LX_BARE)))
        x->relu = U_YEAR, x->relo = 0;
    else
        return 0;
    return a + r->ntok;
}

/*
 * [day] month [year]: "10 أيلول"، "31st, August 2023"، "August 31, 2023"،
 * "الخامس من يوليو"، "فبراير 2022"، "يوليو الماضي"، "شباط ( 28 / 2 / 1945 )"،
 * "20 رمضان 1444 هـ". Returns the end or 0.
 */
size_t dates_p_daymonth(const Ctx *c, size_t j, int flags, Res *r)
{
    DX *x = &r->x;
    dates_dx_init(x);
    size_t k = j;
    int day = 0;
    const Match *o = dates_lx(c, j, LX_ORD, 0);
    /* الأسبوع الرابع من أغسطس: the fourth week, not the fourth day */
    const Match *u = o && j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) ? dates_lx(c, j - 1, LX_UNIT1, LX_ART) : NULL;
    if (o && u && u->val == U_WEEK)
        return 0;
    /* النصف الثاني من رمضان: the second half of the month, not its second day */
    if (o && j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) &&
        (dates_keyis(c, j - 1, "النصف") || dates_keyis(c, j - 1, "الشطر") ||
         dates_keyis(c, j - 1, "الربع") || dates_keyis(c, j - 1, "الثلث")))
        return 0;
    if (o && o->val <= 31 && dates_lx(c, j + o->ntok, LX_OF, LX_BARE)) {
        day = o->val;
        k = j + o->ntok + 1;
    } else if (o && o->val == 1 && !o->art) {
        day = 1; /* أول يوليو */
        k = j + o->ntok;
    } else if (dates_keyis(c, j, "ال") && dates_day_at(c, j + 1) && dates_lx(c, j + 2, LX_OF, LX_BARE) &&
               !(c->t[j + 1].flags & RASD_TF_NEWLINE)) {
        day = (int)c->t[j + 1].num; /* الـ15 من أغسطس */
        k = j + 3;
    } else if (dates_day_at(c, j) && !(c->t[j].flags & RASD_TF_HYPHEN_NEXT)) {
        /* (a hyphen joins "1-صفر", a score, not a day and its month) */
        day = (int)c->t[j].num;
        k = j + 1;
        /* 31st, August / 31st of August */
        if (c->t[j].ordsuf && (dates_is_comma(c, k) || dates_lx(c, k, LX_OF, LX_BARE)))
            k++;
        /* 3 من ذي القعدة */
        int mm_, mc_, ms_;
        if (!c->t[j].ordsuf && dates_lx(c, k, LX_OF, LX_BARE) && p_month(c, k + 1, &mm_, &mc_, &ms_))
            k++;
    }
    int mon, cal, strong;
    size_t e = p_month(c, k, &mon, &cal, &strong);
    if (!e)
        return 0;
    if (day && k > j && c->t[k].type == RASD_TOK_ARABIC && dates_lx(c, k, LX_GMONTH, 0) &&
        dates_lx(c, k, LX_GMONTH, 0)->pre && !dates_lx(c, k, LX_MONTHCUE, LX_ART))
        return 0; /* "10 وأيلول": a clitic does not sit between a day and its month */
    int y = 0, y2 = 0, anchored = strong || day;
    /* English order: August 31, 2023 */
    if (!day && c->t[k].type == RASD_TOK_LATIN && dates_day_at(c, e)) {
        size_t a = e + 1 + (dates_is_comma(c, e + 1) ? 1 : 0);
        if (dates_num_at(c, a, 4, 4, 1000, 2199)) {
            day = (int)c->t[e].num;
            e = a;
        }
    }
    size_t a = e + ((dates_is_comma(c, e) || dates_is_slash(c, e)) ? 1 : 0);
    const Match *yc = dates_lx(c, a, LX_YEARCUE, 0);
    size_t ye = p_yearnum(c, a, 4, 1000, 2199, &y, &y2);
    if (!ye && yc && !yc->pre) /* رمضان عام 1992، يوليو سنة 2020 */
        ye = p_yearnum(c, a + yc->ntok, 3, 100, 2199, &y, &y2);
    int h = 0;
    if (ye && !y2) {
        e = ye;
        anchored = 1;
    } else if (!day && dates_punct(c, e, "(")) {
        /* شباط ( 28 / 2 / 1945 ): the numeric date restates the month */
        DX nx;
        size_t ne = dates_p_numeric(c, e + 1, 0, &nx);
        if (ne && dates_punct(c, ne, ")") && nx.m == mon && nx.y && !nx.d2) {
            *x = nx;
            return ne + 1;
        }
        y = 0;
    } else {
        y = 0;
        /* three-digit years only with an era: بداية 919 هـ */
        size_t y3 = p_yearnum(c, a, 3, 100, 999, &y, &y2);
        if (y3 && !y2 && p_era(c, y3, &h)) {
            e = y3;
            anchored = 1;
        } else {
            y = 0;
        }
    }
    x->cal = cal;
    x->m = mon;
    x->d = day;
    if (y) {
        x->y = y;
        size_t ee = p_era(c, e, &h);
        if (ee) {
            e += ee;
            if (h && !cal)
                return 0; /* a Gregorian month in a Hijri year: not a date we read */
        }
        /* رمضان عام 1992: a Hijri month in a Gregorian year */
        if (cal && (!ee || !h) && y > 1600)
            x->gyear = 1;
    } else {
        size_t oe = p_of_year(c, e, x);
        const Match *s;
        if (oe) {
            e = oe;
            anchored = 1;
        } else if ((s = dates_lx(c, e, LX_PAST, LX_BARE))) {
            x->dir = DIR_BEFORE;
            e += s->ntok;
            anchored = 1;
        } else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE))) {
            x->dir = DIR_AFTER;
            e += s->ntok;
            anchored = 1;
        } else if ((s = dates_lx(c, e, LX_CURRENT, LX_BARE))) {
            x->relu = U_YEAR, x->relo = 0;
            e += s->ntok;
            anchored = 1;
        }
    }
    if (cal) {
        const Match *ep = dates_lx(c, e, LX_EPITHET, LX_BARE);
        if (ep)
            e += ep->ntok;
    }
    if (!anchored && !flags && !dates_cue_before(c, j))
        return 0;
    if (day) {
        if (day > (cal ? 30 : days_in_month(y && !cal ? y : 2000, mon)))
            return 0;
    }
    if (!y && !x->relu && x->dir == DIR_NEAR && dates_future_before(c, j))
        x->dir = DIR_FUT;
    r->day_like = day != 0;
    return e;
}

/* "الخامس من الشهر الجاري"، "10 من الشهر الماضي": a day of a relative month. */
size_t dates_p_day_of_rel(const Ctx *c, size_t j, Res *r)
{
    int day = 0;
    size_t k;
    const Match *o = dates_lx(c, j, LX_ORD, 0);
    if (o && o->val <= 31) {
        day = o->val;
        k = j + o->ntok;
    } else if (dates_day_at(c, j)) {
        day = (int)c->t[j].num;
        k = j + 1;
    } else {
        return 0;
    }
    if (!dates_lx(c, k, LX_OF, LX_BARE))
        return 0;
    Res t;
    dates_res_init(&t, k + 1);
    size_t e = dates_p_relunit(c, k + 1, &t);
    if (!e || t.range || t.kind != DATE_KIND_DATE || t.x.relu != U_MONTH)
        return 0;
    r->x = t.x;
    r->x.d = day;
    r->day_like = 1;
    return e;
}

/* Is there a category-cat word at one of the two tokens before j (on j's line)? */
static int cat_before(const Ctx *c, size_t j, int cat, int two)
{
    for (size_t k = 1; k <= (two ? 2u : 1u) && k <= j; k++) {
        if (c->t[j - k + 1].flags & RASD_TF_NEWLINE)
            break;
        const Tk *t = &c->t[j - k];
        if (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN)
            break;
        if (dates_lx(c, j - k, cat, LX_ART))
            return 1;
    }
    return 0;
}

/* Does the clause end at token k (punctuation that closes a phrase, or the line)? */
static int clause_end(const Ctx *c, size_t k)
{
    if (k >= c->lim)
        return 1;
    static const char *const p[] = {".", ",", "\xd8\x8c", ")", "\xd8\x9f", "?", "!", ":",
                                    "\xd8\x9b", ";", "\"", "\xc2\xbb", "\xe2\x80\x9d"};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (dates_punct(c, k, p[i]))
            return 1;
    return 0;
}

/*
 * A year: after a year word (عام 2019، سنة ( 1935 ) م), with an era (1428 هـ),
 * or a bare four-digit number that reads as a year because of what is
 * around it: a cue before it (في 2015، منذ 2014), parentheses ((1948)), an
 * event it names (حرب 1967، الانتفاضة الأولى 1987), or nothing after it in
 * its clause ("مدينة القدس 1996.") unless a word of quantity comes before.
 */
/* "خدمة (1569) قرية": an indefinite noun ending in ة or tanween alif right
   after the closing parenthesis is what the number counts, not a year. */
static int counted_after(const Ctx *c, size_t k)
{
    if (k >= c->lim || c->t[k].type != RASD_TOK_ARABIC || (c->t[k].flags & RASD_TF_NEWLINE))
        return 0;
    const Tk *t = &c->t[k];
    return !dates_starts(t->key, t->klen, "ال") && t->klen >= 6 &&
           (dates_ends(t->key, t->klen, "ه") || dates_ends(t->key, t->klen, "ا"));
}

/* Is the bare number at j (ending at k) the next year of a list (في 2003 و
   2012، 1979، 1981، 1985): a year after و or a comma, itself after a year,
   and the list ending or going on after it (not "و2000 دولار")? */
static int year_in_list(const Ctx *c, size_t j, size_t k)
{
    if (j < 2 || (c->t[j].flags & RASD_TF_NEWLINE) || (c->t[j - 1].flags & RASD_TF_NEWLINE))
        return 0;
    if (!dates_keyis(c, j - 1, "\xd9\x88") /* و */ && !dates_is_comma(c, j - 1))
        return 0;
    /* every number of the list a year, the first after a cue (في، أعوام،
       كأس العالم …): "القرارات 1696 و1737 … و1929" are numbers */
    size_t f = j - 2;
    for (;;) {
        if (!dates_num_at(c, f, 4, 4, 1800, 2100))
            return 0;
        if (f < 2 || (c->t[f].flags & RASD_TF_NEWLINE) || (c->t[f - 1].flags & RASD_TF_NEWLINE) ||
            !(dates_keyis(c, f - 1, "\xd9\x88") || dates_is_comma(c, f - 1)) || c->t[f - 2].num < 0)
            break;
        f -= 2;
    }
    if (!dates_cue_before(c, f) && !cat_before(c, f, LX_EVENT, 1) && !dates_lx(c, f - 1, LX_YEARCUE, 0) &&
        !dates_lx(c, f - 1, LX_YEARCUE2, 0) && !(f > 0 && dates_punct(c, f - 1, "(")))
        return 0;
    return clause_end(c, k) || dates_keyis(c, k, "\xd9\x88") ||
           (k < c->lim && c->t[k].type == RASD_TOK_ARABIC && c->t[k].pre_len &&
            dates_starts(c->t[k].key, c->t[k].klen, "\xd9\x88"));
}

size_t dates_p_year(const Ctx *c, size_t j, int flags, Res *r)
{
    DX *x = &r->x;
    dates_dx_init(x);
    int y = 0, y2 = 0, h = 0;
    size_t e = 0;
    const Match *yc = dates_lx(c, j, LX_YEARCUE, 0);
    const Match *y2c = dates_lx(c, j, LX_YEARCUE2, 0);
    if (yc) {
        e = p_yearnum(c, j + yc->ntok, 3, 100, 2199, &y, &y2);
    } else if (y2c) {
        /* عامي 2010 و2011: a range of two years */
        size_t k = j + y2c->ntok;
        if (dates_num_at(c, k, 4, 4, 1000, 2199) && dates_keyis(c, k + 1, "\xd9\x88") /* و */ &&
            dates_num_at(c, k + 2, 4, 4, 1000, 2199) && c->t[k + 2].num > c->t[k].num) {
            y = (int)c->t[k].num, y2 = (int)c->t[k + 2].num;
            e = k + 3;
        }
    } else if (dates_punct(c, j, "(")) {
        /* ( 1948 ) م: the parentheses belong to the span only with an era */
        size_t k = p_yearnum(c, j, 3, 100, 2199, &y, &y2);
        if (k && p_era_cued(c, k, &h, 1))
            e = k;
    } else if (j < c->lim && c->t[j].num >= 0) {
        size_t k = p_yearnum(c, j, 3, 100, 2199, &y, &y2);
        if (k && p_era_cued(c, k, &h, 1))
            e = k;
        else if (k && c->t[j].ndig == 4 && y >= 1000 &&
                 ((j > 0 && dates_punct(c, j - 1, "(") && dates_punct(c, k, ")") &&
                   !counted_after(c, k + 1)) ||
                  ((flags & (CUE_MOD | CUE_DATE)) && y <= 2199) ||
                  (y >= 1800 && y <= 2100 &&
                   (dates_cue_before(c, j) || cat_before(c, j, LX_EVENT, 1) || year_in_list(c, j, k) ||
                    ((cat_before(c, j, LX_EVENT, 2) || clause_end(c, k)) && j > 0 &&
                     (c->t[j - 1].type == RASD_TOK_ARABIC) && !cat_before(c, j, LX_QTY, 1) &&
                     !cat_before(c, j, LX_QTY, 2))))))
            e = k;
    }
    if (!e)
        return 0;
    size_t ee = p_era_cued(c, e, &h, !yc && !y2c);
    if (ee) {
        e += ee;
        x->cal = h;
    } else if (yc && y >= 1350 && y <= 1450 && !y2) {
        x->cal = 1; /* "عام 1428" with no era: a Gregorian 1428 is medieval; a
                       Saudi paper's 14xx after عام is the Hijri year */
    }
    if (x->cal && (y > 1600 || y2 > 1600))
        return 0;
    x->y = y;
    x->y2 = y2;
    return e;
}

/* A decade (الخمسينيات، عقد الثمانينات، ستينيات القرن الماضي) or a century
   (القرن التاسع عشر، القرن الماضي، القرن الـ20). */
static size_t p_century_tail(const Ctx *c, size_t j, DX *x)
{
    const Match *cm = dates_lx(c, j, LX_CENTURY, 0);
    if (!cm)
        return 0;
    size_t k = j + cm->ntok;
    const Match *m;
    if ((m = dates_lx(c, k, LX_ORD, 0)) && m->val >= 1 && m->val <= 30) {
        x->cent = m->val;
        return k + m->ntok;
    }
    if (dates_keyis(c, k, "\xd8\xa7\xd9\x84") /* ال */ && dates_num_at(c, k + 1, 1, 2, 1, 30)) {
        x->cent = (int)c->t[k + 1].num;
        return k + 2;
    }
    if (dates_num_at(c, k, 1, 2, 1, 30)) {
        x->cent = (int)c->t[k].num;
        return k + 1;
    }
    if ((m = dates_lx(c, k, LX_PAST, LX_BARE))) {
        x->cent = -1, x->centrel = 1;
        return k + m->ntok;
    }
    if ((m = dates_lx(c, k, LX_CURRENT, LX_BARE))) {
        x->cent = 0, x->centrel = 1;
        return k + m->ntok;
    }
    return 0;
}

size_t dates_p_decade(const Ctx *c, size_t j, Res *r)
{
    DX *x = &r->x;
    dates_dx_init(x);
    size_t k = j;
    const Match *u = dates_lx(c, j, LX_UNIT1, LX_ART);
    if (u && u->val == U_DECADE && dates_lx(c, j + u->ntok, LX_DECADE, LX_ART))
        k = j + u->ntok;
    const Match *dm = dates_lx(c, k, LX_DECADE, LX_ART);
    if (dm) {
        x->dec = dm->val;
        size_t e = k + dm->ntok;
        /* "في العشرينات من العمر": an age, not a decade */
        if (dates_lx(c, e + (dates_lx(c, e, LX_OF, LX_BARE) ? 1 : 0), LX_AGE, LX_ART))
            return 0;
        size_t a = e + (dates_lx(c, e, LX_OF, LX_BARE) ? 1 : 0);
        size_t ce = p_century_tail(c, a, x);
        return ce ? ce : e;
    }
    return p_century_tail(c, j, x);
}

/*
 * A full date that restates the day named just before e: "الخميس 31 آب"،
 * "يوم الثلاثاء الموافق 5/8/2008"، "غدا الاثنين الموافق 20 يوليو"، "الخميس
 * (31 آب)". Returns the end (0 if none) and the date in *x: the written
 * date wins over the weekday or relative day, as the writer meant both.
 */

/*
 * "يوم الأربعاء 20/10" in a Saudi paper is 20 Shawwal, not 20 October: a
 * day/month without a year after weekday wd is read in the Hijri calendar
 * when that, and not the Gregorian reading, falls on wd (both taken in the
 * year nearest publication).
 */
static void weekday_calendar(const Ctx *c, DX *x, int wd)
{
    if (wd < 0 || !c->have_pub || x->y || x->cal || !x->m || !x->d || x->d2 || x->d > 30)
        return;
    DX g = *x, h = *x;
    h.cal = 1;
    int gy, hy;
    long gd, hd;
    if (dates_pick_year(c, &g, &gy) < 0 || !cal_valid_ymd(gy, g.m, g.d))
        return;
    gd = cal_days_from_civil(gy, g.m, g.d);
    if (dates_pick_year(c, &h, &hy) < 0 || cal_hijri_to_days(hy, h.m, h.d, &hd) < 0)
        return;
    if (cal_weekday(gd) != wd && cal_weekday(hd) == wd)
        x->cal = 1;
}

size_t dates_p_restated(const Ctx *c, size_t e, DX *x, int wd)
{
    size_t a = e;
    if (dates_is_comma(c, a))
        a++;
    const Match *ag = dates_lx(c, a, LX_AGREE, 0);
    if (ag)
        a += ag->ntok;
    int paren = dates_punct(c, a, "(");
    if (paren)
        a++;
    /* "صلاة الجمعة يوم 26 يونيو": the date after يوم restates the weekday */
    if (!ag && !paren && dates_keyis(c, a, "\xd9\x8a\xd9\x88\xd9\x85") /* يوم */ && dates_day_at(c, a + 1))
        a++;
    Res d;
    dates_res_init(&d, a);
    size_t de = dates_p_daymonth(c, a, CUE_DAY, &d);
    if (!de || !d.x.d) {
        de = dates_p_numeric(c, a, CUE_DAY, &d.x);
        if (de && !d.x.d)
            de = 0;
        if (de)
            weekday_calendar(c, &d.x, wd);
    }
    if (!de || (paren && !dates_punct(c, de, ")")))
        return 0;
    *x = d.x;
    return de + (paren ? 1 : 0);
}

/* أمس، اليوم، غدا، أمس الأول … with an optional weekday after (أمس الخميس). */
/* A bracket or quotation mark around a name: ( ) " « » “ ” */
static int name_mark(const Ctx *c, size_t j)
{
    static const char *const mk[] = { "(", ")", "\"", "\xc2\xab", "\xc2\xbb", "\xe2\x80\x9c",
                                      "\xe2\x80\x9d" };
    for (size_t i = 0; i < sizeof mk / sizeof *mk; i++)
        if (dates_punct(c, j, mk[i]))
            return 1;
    return 0;
}

size_t dates_p_relday(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *m = dates_lx(c, j, LX_RELDAY, 0);
    if (!m || (m->anchor && !(flags & CUE_DAY)))
        return 0;
    size_t e = j + m->ntok;
    /* "ساعتين في اليوم"، "100 دولار في الليلة": per day, not today */
    if (m->ntok == 1 && !m->pre && j > 0 && dates_starts(c->t[j].key, c->t[j].klen, "ال") &&
        !(c->t[j].flags & RASD_TF_NEWLINE) && dates_keyis(c, j - 1, "في"))
        return 0;
    /* اليوم الثاني، اليوم الوطني: "the Nth/national day", not "today" */
    if (m->ntok == 1 && e < c->lim) {
        const Tk *nx = &c->t[e];
        if (dates_lx(c, e, LX_NOTDAY, LX_BARE) ||
            (nx->type == RASD_TOK_ARABIC && dates_starts(nx->key, nx->klen, "ال") &&
             dates_ends(nx->key, nx->klen, "ي") && nx->klen >= 10 && !dates_lx(c, e, LX_WEEKDAY, LX_ART)))
            return 0;
    }
    /* عين اليوم، دار اليوم (names), ذلك اليوم، نفس اليوم (a day of the story) */
    if (m->ntok == 1 && j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) &&
        dates_lx(c, j - 1, LX_RELBLOCK, 0))
        return 0;
    /* a ball game after بكرة is "football" (بكرة القدم = ب + كرة); after
       أمس or اليوم it is the next word of the sentence (وصلت أمس الطائرة) */
    if (dates_lx(c, e, LX_RELNEXT, 0) &&
        !(m->val != 1 && (dates_keyis(c, e, "القدم") || dates_keyis(c, e, "السله") ||
                          dates_keyis(c, e, "اليد") || dates_keyis(c, e, "الطايره"))))
        return 0;
    /* "الليلة التي أعقبت المهرجان"، "اليوم الذي": a day of the story */
    if (m->ntok == 1 && dates_lx(c, e, LX_RELPRO, 0))
        return 0;
    /* "في تصريح لـ(اليوم)"، لـ"اليوم"، لـ«اليوم»: a newspaper named in
       parentheses or quotation marks after لـ */
    if (m->ntok == 1 && j >= 2 && name_mark(c, j - 1) && name_mark(c, e) &&
        dates_keyis(c, j - 2, "ل") && !(c->t[j - 1].flags & RASD_TF_NEWLINE))
        return 0;
    /* أمسّ (with shadda) is the superlative "most" (في أمسّ الحاجة) */
    if (m->ntok == 1) {
        size_t tl;
        const char *text = rasd_doc_text(c->d, &tl);
        for (uint32_t b = c->t[j].start; b + 1 < c->t[j].end; b++)
            if ((unsigned char)text[b] == 0xD9 && (unsigned char)text[b + 1] == 0x91)
                return 0;
    }
    dates_dx_init(&r->x);
    r->x.relu = U_DAY;
    r->x.relo = m->val;
    /* "ليل أمس (الأول)": the day before yesterday */
    if (m->val == -1 && m->ntok == 1 && dates_punct(c, e, "(") && dates_keyis(c, e + 1, "الاول") &&
        dates_punct(c, e + 2, ")")) {
        r->x.relo = -2;
        e += 3;
    }
    /* "صباح اليوم (أمس)": the outlet restates the agency's day in
       parentheses, and its word is the one for its own publication day */
    if (m->ntok == 1 && dates_punct(c, e, "(")) {
        const Match *m2 = dates_lx(c, e + 1, LX_RELDAY, 0);
        if (m2 && m2->val != r->x.relo && dates_punct(c, e + 1 + m2->ntok, ")")) {
            r->x.relo = m2->val;
            e += 2 + m2->ntok;
        }
    }
    /* a weekday after it: أمس الخميس، اليوم (الثلاثاء) */
    const Match *w = dates_lx(c, e, LX_WEEKDAY, LX_ART);
    size_t we = 0;
    if (w && (w->art || c->t[e].type == RASD_TOK_LATIN)) {
        we = e + w->ntok;
    } else if (dates_punct(c, e, "(") && (w = dates_lx(c, e + 1, LX_WEEKDAY, LX_ART)) != NULL &&
               (w->art || c->t[e + 1].type == RASD_TOK_LATIN) && dates_punct(c, e + 1 + w->ntok, ")")) {
        we = e + 2 + w->ntok;
    }
    if (we) {
        int paren = we != e + w->ntok;
        e = we;
        /* the written weekday wins over the publication date we were given,
           which is often the day a crawler saw the page: "اليوم الأربعاء"
           in a page dated Thursday is the Wednesday */
        if (c->have_pub) {
            int delta = ((w->val - cal_weekday(c->pdays + r->x.relo)) % 7 + 7) % 7;
            r->x.relo += delta > 3 ? delta - 7 : delta;
        }
        size_t de = paren ? 0 : dates_p_restated(c, e, &r->x, w->val);
        if (de && dates_lx(c, e, LX_AGREE, 0))
            e = de; /* only with الموافق: "أمس الخميس 31 آب" is rare, "اليوم 5 أيار" a list */
    }
    r->day_like = 1;
    return e;
}

/* A weekday: الثلاثاء، يوم الخميس، الخميس الماضي، الخميس 31 آب. */
/*
 * "يوم الأربعاء 27 تنظم …"، "يوم الثلاثاء 26 الشهر الجاري": a bare day number
 * right after the weekday is that day of the current month, in whichever
 * calendar (the publication's Gregorian or Umm al-Qura month) puts it on the
 * weekday; Saudi papers write the Hijri day. Only when the number is
 * followed by الشهر الجاري, punctuation, the end of the line or an
 * imperfective verb (ت/ي…), so "الأربعاء 27 قتيلا" is not read, and only
 * when exactly one calendar fits. Returns the end (0 if none).
 */
static size_t p_weekday_daynum(const Ctx *c, size_t e, int wd, DX *x)
{
    if (!c->have_pub || e >= c->lim || !dates_num_at(c, e, 1, 2, 1, 30))
        return 0;
    int d = (int)c->t[e].num;
    size_t k = e + 1, end = k;
    const Match *cur;
    if (k < c->lim && dates_keyis(c, k, "من"))
        k++;
    if (k + 1 < c->lim && dates_keyis(c, k, "الشهر") && (cur = dates_lx(c, k + 1, LX_CURRENT, 0)))
        end = k + 1 + cur->ntok;
    else if (k >= c->lim || (c->t[e + 1].flags & RASD_TF_NEWLINE))
        end = e + 1;
    else if (c->t[e + 1].type == RASD_TOK_PUNCT && !dates_is_slash(c, e + 1) &&
             !dates_is_dash(c, e + 1) && !dates_punct(c, e + 1, "."))
        end = e + 1;
    else if (c->t[e + 1].type == RASD_TOK_ARABIC && c->t[e + 1].klen >= 6 &&
             (dates_starts(c->t[e + 1].key, c->t[e + 1].klen, "ت") ||
              dates_starts(c->t[e + 1].key, c->t[e + 1].klen, "ي")))
        end = e + 1;
    else
        return 0;
    long gd = 0, hd = 0;
    int gfit = cal_valid_ymd(c->py, c->pm, d) &&
               cal_weekday(gd = cal_days_from_civil(c->py, c->pm, d)) == wd;
    int hfit = cal_hijri_to_days(c->phy, c->phm, d, &hd) == 0 && cal_weekday(hd) == wd;
    if (gfit == hfit)
        return 0;
    dates_dx_init(x);
    x->cal = hfit;
    x->y = hfit ? c->phy : c->py;
    x->m = hfit ? c->phm : c->pm;
    x->d = d;
    return end;
}

size_t dates_p_weekday(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *w = dates_lx(c, j, LX_WEEKDAY, LX_ART);
    if (!w)
        return 0;
    if (!w->art && c->t[j].type != RASD_TOK_LATIN && (!(flags & CUE_DAY) || w->pre))
        return 0; /* أحد، اثنين bare are numbers; واحد is not و + أحد */
    if (j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) && dates_lx(c, j - 1, LX_WDBLOCK, LX_ART))
        return 0; /* سوق الخميس: a place; كلا الاثنين: both */
    if (dates_lx(c, j + w->ntok, LX_WDNEXT, 0))
        return 0; /* الاثنين معا: the two together */
    /* "ببلدينا الاثنين"، "الطرفين الاثنين": "the two", after a dual or plural */
    if (w->val == 1 && j > 0 && !(c->t[j].flags & RASD_TF_NEWLINE) &&
        c->t[j - 1].type == RASD_TOK_ARABIC &&
        (dates_ends(c->t[j - 1].key, c->t[j - 1].klen, "ين") ||
         dates_ends(c->t[j - 1].key, c->t[j - 1].klen, "ينا")))
        return 0;
    size_t e = j + w->ntok;
    size_t de = dates_p_restated(c, e, &r->x, w->val);
    if (!de)
        de = p_weekday_daynum(c, e, w->val, &r->x);
    if (de) {
        r->day_like = 1;
        return de;
    }
    if (!w->art && c->t[j].type != RASD_TOK_LATIN)
        return 0; /* "في يوم أحد": on a Sunday, any Sunday (or "one day") */
    dates_dx_init(&r->x);
    r->x.wd = w->val;
    r->x.dir = DIR_PAST;
    const Match *s;
    if (e + 1 < c->lim && dates_keyis(c, e, "قبل") && (s = dates_lx(c, e + 1, LX_PAST, LX_BARE))) {
        r->x.dir = DIR_BEFORE; /* "السبت قبل الماضي": the one before last */
        r->x.relo = -1;
        e += 1 + s->ntok;
    } else if ((s = dates_lx(c, e, LX_PAST, LX_BARE))) {
        r->x.dir = DIR_BEFORE;
        e += s->ntok;
    } else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE))) {
        r->x.dir = DIR_AFTER;
        e += s->ntok;
    } else if (dates_future_before(c, j)) {
        r->x.dir = DIR_FUT;
    }
    r->day_like = 1;
    if (s) {
        /* "يوم السبت القادم 16 شوال 1436هـ": the written date restates it */
        DX rx;
        size_t de2 = dates_p_restated(c, e, &rx, w->val);
        if (de2) {
            r->x = rx;
            return de2;
        }
    }
    return e;
}

/* The unit of an article-bearing unit word at j (الشهر، العام، الأسبوع; اليوم
   too when day is set), or 0. */
static int art_unit_any(const Ctx *c, size_t j, size_t *e, int day);

/* As art_unit_any, but not a year of another reckoning: العام الدراسي،
   العام المالي، العام الهجري (school, fiscal, Hijri years). */
static int art_unit(const Ctx *c, size_t j, size_t *e, int day)
{
    int u = art_unit_any(c, j, e, day);
    if (u == U_YEAR && dates_lx(c, *e, LX_NOTYEAR, 0))
        return 0;
    return u;
}

static int art_unit_any(const Ctx *c, size_t j, size_t *e, int day)
{
    const Match *u = dates_lx(c, j, LX_UNIT1, LX_ART);
    if (u && u->art && u->val >= (day ? U_DAY : U_WEEK) && u->val <= U_CENTURY) {
        *e = j + u->ntok;
        return u->val;
    }
    const Match *y = dates_lx(c, j, LX_YEARCUE, 0);
    if (y && dates_starts(c->t[j].key + 0, c->t[j].klen, "ال")) {
        *e = j + y->ntok;
        return U_YEAR;
    }
    /* للعام: the article hides behind the proclitic */
    if (u && u->val >= U_WEEK && u->val <= U_CENTURY && u->pre &&
        dates_starts(c->t[j].key, c->t[j].klen, "لل")) {
        *e = j + u->ntok;
        return u->val;
    }
    return 0;
}

/*
 * Units placed relative to publication: الشهر الماضي، العام المقبل، هذا العام،
 * الأسبوع الجاري، and plurals الأيام الخمسة الماضية (a range) or السنوات
 * الأخيرة (vague).
 */
size_t dates_p_relunit(const Ctx *c, size_t j, Res *r)
{
    dates_dx_init(&r->x);
    size_t e;
    const Match *th = dates_lx(c, j, LX_THIS, 0);
    if (th) {
        int u = art_unit(c, j + th->ntok, &e, 1);
        if (u) {
            r->x.relu = u, r->x.relo = 0;
            r->day_like = u == U_DAY;
            return e;
        }
        return 0;
    }
    int u = art_unit(c, j, &e, 0);
    if (u) {
        const Match *s;
        int off;
        if ((s = dates_lx(c, e, LX_PAST, LX_BARE)))
            off = -1;
        else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE)))
            off = 1;
        else if ((s = dates_lx(c, e, LX_CURRENT, LX_BARE)) || (s = dates_lx(c, e, LX_THIS, LX_BARE)))
            off = 0;
        else
            return 0;
        r->x.relu = u, r->x.relo = off;
        e += s->ntok;
        /* العام الحالي 2015، العام الماضي 2014م: the written year is the value */
        int y, y2, h;
        size_t ye;
        if (u == U_YEAR && (ye = p_yearnum(c, e, 4, 1000, 2199, &y, &y2)) != 0 && !y2) {
            dates_dx_init(&r->x);
            r->x.y = y;
            e = ye + p_era(c, ye, &h);
        }
        return e;
    }
    /* plural or dual with the article, a count, then past/future/recent */
    const Match *pl = dates_lx(c, j, LX_UNITN, LX_ART);
    const Match *du = dates_lx(c, j, LX_UNIT2, LX_ART);
    const Match *um = pl && pl->art ? pl : du && du->art ? du : NULL;
    if (!um)
        return 0;
    int unit = um->val, n = um == du ? 2 : 0;
    e = j + um->ntok;
    const Match *nm = dates_lx(c, e, LX_NUM, LX_ART);
    if (!n && nm && nm->val >= 2) {
        n = nm->val;
        e += nm->ntok;
    } else if (!n && dates_num_at(c, e, 1, 3, 2, 999)) {
        n = (int)c->t[e].num;
        e++;
    }
    const Match *s;
    int dir;
    if ((s = dates_lx(c, e, LX_PAST, LX_BARE)) || (s = dates_lx(c, e, LX_RECENT, LX_BARE)))
        dir = -1;
    else if ((s = dates_lx(c, e, LX_FUTURE, LX_BARE)))
        dir = 1;
    else
        return 0;
    e += s->ntok;
    if (unit == U_DAY && !n)
        n = 0;
    if (!n || unit > U_YEAR) {
        r->kind = DATE_KIND_VAGUE;
        r->vague_dir = dir;
        return e;
    }
    /* the n units before (or after) the publication date */
    int mul = unit == U_WEEK ? 7 : 1;
    int ru = unit == U_WEEK ? U_DAY : unit;
    r->range = 1;
    dates_dx_init(&r->x2);
    r->x.relu = r->x2.relu = ru;
    if (dir < 0)
        r->x.relo = -n * mul, r->x2.relo = -1;
    else
        r->x.relo = 1, r->x2.relo = n * mul;
    return e;
}

/* A length of time: 3 أيام، ثلاثة أشهر، عامين، (after a cue) شهر، سنوات. */
size_t dates_p_duration(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *u;
    size_t e = 0;
    int n = -1, unit = 0;
    const Match *nm = dates_lx(c, j, LX_NUM, 0);
    if (dates_num_at(c, j, 1, 4, 1, 9999) && !c->t[j].ordsuf &&
        ((u = dates_lx(c, j + 1, LX_UNIT1, LX_BARE)) || (u = dates_lx(c, j + 1, LX_UNITN, LX_BARE)))) {
        n = (int)c->t[j].num, unit = u->val, e = j + 1 + u->ntok;
    } else if (nm && ((u = dates_lx(c, j + nm->ntok, LX_UNITN, LX_BARE)) ||
                      (u = dates_lx(c, j + nm->ntok, LX_UNIT1, LX_BARE)))) {
        n = nm->val, unit = u->val, e = j + nm->ntok + u->ntok;
    } else if ((u = dates_lx(c, j, LX_UNIT2, 0))) {
        n = 2, unit = u->val, e = j + u->ntok;
    } else if ((u = dates_lx(c, j, LX_UNIT1, 0)) && (nm = dates_lx(c, j + u->ntok, LX_NUM, LX_BARE)) &&
               nm->val == 1) {
        n = 1, unit = u->val, e = j + u->ntok + nm->ntok; /* يوم واحد */
    } else if ((flags & (CUE_MOD | CUE_DUR)) && (u = dates_lx(c, j, LX_UNIT1, 0))) {
        n = 1, unit = u->val, e = j + u->ntok;
    } else if ((flags & (CUE_MOD | CUE_DUR)) && (u = dates_lx(c, j, LX_UNITN, 0))) {
        n = 0, unit = u->val, e = j + u->ntok;
    }
    if (!e)
        return 0;
    /* عقد / قرن alone are also "holding (a meeting)" and "horn": only as
       "قبل عقد" at the end of a phrase or "قبل عقد من الزمن" */
    if (n == 1 && unit >= U_DECADE && !clause_end(c, e) && !dates_lx(c, e, LX_OF, LX_BARE))
        return 0;
    /* "رقم 9 عام ( 1921 )": the unit word is the year's cue */
    if (unit == U_YEAR && (dates_num_at(c, e, 3, 4, 100, 2199) || dates_punct(c, e, "(")))
        return 0;
    r->kind = DATE_KIND_DURATION;
    r->dur_n = n;
    r->dur_u = unit;
    return e;
}

/* Repeated periods: يومياً، أسبوعياً، سنوياً. */
size_t dates_p_set(const Ctx *c, size_t j, Res *r)
{
    const Match *s = dates_lx(c, j, LX_SET, 0);
    if (!s)
        return 0;
    r->kind = DATE_KIND_SET;
    r->dur_n = 1, r->dur_u = s->val;
    return j + s->ntok;
}

/* Historical periods: الفترة العثمانية، فترة الحكم العثماني، العهد المملوكي. */
size_t dates_p_period(const Ctx *c, size_t j, Res *r)
{
    const Match *w = dates_lx(c, j, LX_PERIODWORD, 0);
    if (!w)
        return 0;
    size_t k = j + w->ntok;
    const Match *w2 = dates_lx(c, k, LX_PERIODWORD, LX_BARE);
    if (w2)
        k += w2->ntok;
    const Match *a = dates_lx(c, k, LX_PERIODADJ, LX_BARE);
    if (!a)
        return 0;
    r->kind = DATE_KIND_VAGUE;
    r->vague_dir = -1;
    return k + a->ntok;
}

/* مطلع / منتصف / نهاية + a month, a year, a relative unit, a decade. */
size_t dates_p_part(const Ctx *c, size_t j, int flags, Res *r)
{
    const Match *p = dates_lx(c, j, LX_PART, 0);
    if (!p)
        return 0;
    size_t k = j + p->ntok, e, best = 0;
    Res t, bt;
    dates_res_init(&bt, j);
    dates_res_init(&t, k);
    if ((e = dates_p_daymonth(c, k, flags | CUE_MOD, &t)) && !t.x.d && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    if ((e = dates_p_year(c, k, flags | CUE_MOD, &t)) && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    if ((e = dates_p_relunit(c, k, &t)) && t.kind == DATE_KIND_DATE && !t.range && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    if ((e = dates_p_decade(c, k, &t)) && e > best)
        best = e, bt = t;
    dates_res_init(&t, k);
    int u = art_unit(c, k, &e, 0);
    if (u && e > best) {
        /* مطلع العام، منتصف الشهر: the current one */
        bt.x.relu = u, bt.x.relo = 0;
        best = e;
    }
    if (!best)
        return 0;
    r->x = bt.x;
    r->part = p->val == 1 ? DATE_PART_EARLY : p->val == 2 ? DATE_PART_MID : DATE_PART_LATE;
    return best;
}
