/*
 * dates_impl.h — what the parts of the date recogniser share and nobody
 * else needs: the lexicon categories, the token and parse structures, and
 * the helpers each part calls in another (dates.c: lexicon, tokens, API;
 * dates_grammar.c: the parsers; dates_try.c: ranges and trying them all;
 * dates_resolve.c: values, the other calendar, datelines).
 */
#ifndef RASD_DATES_IMPL_H
#define RASD_DATES_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "dates.h"
#include "../text/text.h"
#include "../util/calendar.h"

static inline int days_in_month(int y, int m) { return cal_days_in_month(y, m); }

static inline int valid_greg(int y, int m, int d) { return cal_valid_ymd(y, m, d); }

static inline int hijri_month_len(long hy, int hm) { return cal_hijri_month_len((int)hy, hm); }

enum {
    LX_NONE = 0,
    LX_GMONTH, LX_HMONTH, LX_WEEKDAY, LX_RELDAY, LX_UNIT1, LX_UNIT2, LX_UNITN,
    LX_PAST, LX_FUTURE, LX_CURRENT, LX_THIS, LX_RECENT, LX_NOTDAY, LX_PART,
    LX_DATECUE, LX_DAYCUE, LX_TOD, LX_MONTHCUE, LX_YEARCUE, LX_YEARCUE2, LX_MOD,
    LX_DURCUE, LX_AGREE, LX_EPITHET, LX_PREP, LX_FROM, LX_TO, LX_BETWEEN, LX_AND,
    LX_OF, LX_SAME, LX_ERA_H, LX_ERA_G, LX_DECADE, LX_CENTURY, LX_ORD, LX_NUM,
    LX_SET, LX_FUTCUE, LX_PERIODWORD, LX_PERIODADJ, LX_EVENT, LX_QTY, LX_WDBLOCK,
    LX_WDNEXT, LX_RELPRO, LX_NAMEHEAD, LX_AGENCY, LX_PUBLABEL, LX_RELBLOCK,
    LX_RELNEXT, LX_AGE, LX_NOTYEAR, LX_EVFROM, LX_NCATS
};

/* Units, as the lexicon numbers them; also the granularities of values. */
enum { U_DAY = 1, U_WEEK, U_MONTH, U_YEAR, U_DECADE, U_CENTURY };

typedef struct Match {
    int16_t val;     /* LexEntry.val */
    uint8_t cat;     /* LX_* */
    uint8_t anchor;  /* LexEntry.anchor */
    uint8_t ntok;    /* tokens the phrase covers, from this one */
    uint8_t pre;     /* 1 if proclitics were stripped from this token to match */
    uint8_t art;     /* 1 if the article ال was stripped to match */
} Match;

typedef struct Tk {
    const char *key;  /* matching key (the text core's), NUL-terminated */
    uint32_t klen;    /* bytes in key */
    uint32_t start, end; /* byte offsets in the document text, [start,end) */
    uint16_t type;    /* RASD_TOK_* */
    uint16_t flags;   /* RASD_TF_* */
    uint8_t pre_len;  /* proclitic bytes the text core found (for the future prefix سـ) */
    uint8_t ndig;     /* digits in num, 0 if the token is not a plain number */
    uint8_t ordsuf;   /* number written with st/nd/rd/th */
    long num;         /* value of a plain number (<= 9 digits), else -1 */
    uint32_t m0, m1;  /* this token's matches: Ctx.m[m0..m1) */
} Tk;

/* Resolution direction for a month or weekday without a year or date. */
enum { DIR_NEAR = 0, DIR_PAST, DIR_BEFORE, DIR_FUT, DIR_AFTER };

/* What a parser read: written calendar fields, or an offset from the
   publication date, at some granularity. */
typedef struct DX {
    int cal;      /* 0 Gregorian, 1 Hijri: the calendar y/m/d are written in */
    int y, m, d;  /* written fields; 0 = not written */
    int d2;       /* last day of a written day range (21-24/4/1942), 0 none */
    int y2;       /* last year of a written year range (1931/1932), 0 none */
    int wd;       /* weekday 0..6 (Sunday 0) when only a weekday is known, else -1 */
    int dir;      /* DIR_*: how to pick a missing year or the weekday's date */
    int relu;     /* 0 absolute, else U_*: the value is pub + relo units */
    int relo;     /* offset in relu units (negative = past); with a weekday and
                     relu 0, weeks more (السبت قبل الماضي: -1) */
    int dec;      /* decade within its century (20 for the 1920s), 0 none */
    int cent;     /* century by ordinal (20 = the 1900s), 0 none */
    int centrel;  /* 1: the century is relative to pub (cent holds the offset) */
    int gyear;    /* 1: a Hijri month with a Gregorian year (رمضان عام 1992) */
} DX;

/* A parse: tokens [s,e), what they name. */
typedef struct Res {
    size_t s, e;   /* token range, [s,e) */
    DX x, x2;      /* the value; x2 is the end when range is set */
    int range;     /* 1: x..x2 */
    int kind;      /* DATE_KIND_* */
    int mod;       /* DATE_MOD_* */
    int part;      /* DATE_PART_* */
    int dur_n;     /* durations: how many units, 0 = unstated ("عدة أيام") */
    int dur_u;     /* durations and sets: U_* */
    int vague_dir; /* vague references: -1 past, +1 future */
    int day_like;  /* the value is one day (for يوم / صباح prefixes) */
} Res;

typedef struct Ctx {
    const rasd_doc *d;   /* the document */
    Tk *t;               /* tokens, as many as the document's */
    size_t n;            /* tokens */
    Match *m;            /* matches of all tokens */
    size_t nm, cap_m;    /* matches used and allocated */
    size_t lim;          /* end of the current line: parsers never read t[lim] on */
    int have_pub;        /* a publication date was given */
    int py, pm, pd;      /* publication date (Gregorian) */
    long pdays;          /* publication date in days since 1970-01-01 */
    int phy, phm, phd;   /* publication date in the Umm al-Qura calendar */
    int oom;             /* allocation failed */
} Ctx;

/* Parser context flags: what cue words came before the core. */
enum {
    CUE_DATE = 1 << 0, /* بتاريخ */
    CUE_DAY = 1 << 1,  /* يوم، صباح، مساء */
    CUE_MOD = 1 << 2,  /* منذ، قبل، بعد، خلال */
    CUE_DUR = 1 << 3   /* لمدة */
};


/* Options for dates_lx(). */
enum { LX_ART = 1, LX_BARE = 2 };

int dates_starts(const char *k, size_t n, const char *p);
int dates_may_open(const Ctx *c, size_t j);
int dates_ends(const char *k, size_t n, const char *p);
const Match *dates_lx(const Ctx *c, size_t j, int cat, int how);
int dates_keyis(const Ctx *c, size_t j, const char *k);
int dates_punct(const Ctx *c, size_t j, const char *k);
int dates_is_slash(const Ctx *c, size_t j);
int dates_is_dash(const Ctx *c, size_t j);
int dates_is_comma(const Ctx *c, size_t j);
int dates_num_at(const Ctx *c, size_t j, int mind, int maxd, long lo, long hi);
int dates_day_at(const Ctx *c, size_t j);
int dates_cue_before(const Ctx *c, size_t j);
int dates_future_before(const Ctx *c, size_t s);
void dates_dx_init(DX *x);
void dates_res_init(Res *r, size_t s);
/* The parsers dates_try.c combines (dates_grammar.c): each returns the end
   of what it read (0 if nothing) and fills *r or *x. */
size_t dates_p_numeric(const Ctx *c, size_t j, int flags, DX *x);
size_t dates_p_numeric_res(const Ctx *c, size_t j, int flags, Res *r);
size_t dates_p_daymonth(const Ctx *c, size_t j, int flags, Res *r);
size_t dates_p_day_of_rel(const Ctx *c, size_t j, Res *r);
size_t dates_p_year(const Ctx *c, size_t j, int flags, Res *r);
size_t dates_p_decade(const Ctx *c, size_t j, Res *r);
size_t dates_p_relday(const Ctx *c, size_t j, int flags, Res *r);
size_t dates_p_weekday(const Ctx *c, size_t j, int flags, Res *r);
size_t dates_p_relunit(const Ctx *c, size_t j, Res *r);
size_t dates_p_duration(const Ctx *c, size_t j, int flags, Res *r);
size_t dates_p_set(const Ctx *c, size_t j, Res *r);
size_t dates_p_period(const Ctx *c, size_t j, Res *r);
size_t dates_p_part(const Ctx *c, size_t j, int flags, Res *r);
/* A full date restating the weekday wd that ends at e ("الخميس 31 آب"). */
size_t dates_p_restated(const Ctx *c, size_t e, DX *x, int wd);
int dates_try_at(const Ctx *c, size_t i, int flags, int depth, Res *best);
int dates_pick_year(const Ctx *c, const DX *x, int *year);
int dates_value_of(const Ctx *c, const Res *r, DateSpan *s);
size_t dates_p_equivalent(const Ctx *c, const Res *r, Res *g);
int dates_value_equivalent(const Ctx *c, const Res *r, Res *g, DateSpan *s);
int dates_in_name(const Ctx *c, const Res *r);
void dates_mark_dateline(Ctx *c, size_t s, size_t e, DateSpan *sp);

#endif
