/*
 * split.c — news pages often carry other articles under a "اقرأ أيضا"
 * (read also) line: sometimes a whole second article, more often a list
 * of related headlines. Left in place, either one pollutes the story it
 * follows (wrong names, wrong dates, wrong quotes), so every reader passes
 * each article through ingest_split_appended().
 *
 * A marker is a line that is only a marker phrase ("إقرأ أيضاً:", "ذات
 * صلة", "Read more"), matched on folded text so hamza, tanween and
 * punctuation do not matter, or a marker phrase, a separator and a linked
 * headline on the same line.
 *
 * What follows a marker decides what happens:
 *   - one headline, then prose of 200+ characters: an appended article.
 *     It becomes an Article of its own (parent = the page, origin
 *     "ORIGIN#appendedN", its headline as title, its own credit and date
 *     lines, the page's outlet); the marker and everything after it leave
 *     the page's body;
 *   - only short headline lines (up to the next marker or the end): a
 *     related list, dropped;
 *   - two or more headlines, then prose: a related list in the middle of
 *     the story; the list goes, the story's own text stays;
 *   - a headline on the marker's own line: a link in the middle of the
 *     story; only that line goes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "readers.h"
#include "text/text.h"


/* An appended article needs at least this much prose (characters). */
#define MIN_APPENDED_PROSE 200

/* Marker phrases, folded (ا for أ إ آ, ه for ة, ي for ى, lower case). */
static const char *const markers[] = {
    "اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "اقرا ايضا علي", "ذات صله", "مواضيع ذات صله",
    "مقالات ذات صله", "اخبار ذات صله", "موضوعات ذات صله", "روابط ذات صله", "قد يهمك",
    "قد يهمك ايضا", "قد يعجبك ايضا", "شاهد ايضا", "شاهد كذلك", "طالع ايضا", "طالع كذلك",
    "اخبار متعلقه", "مواضيع متعلقه", "مواد ذات صله", "read more", "read also", "also read",
    "related", "related articles", "related news", "related stories", "related posts",
    "see also", "more stories", "you may also like",
};

/* Does cp separate a marker from the headline after it? */
static int is_separator(uint32_t cp)
{
    return cp == ':' || cp == 0xFF1A || cp == '-' || cp == 0x2013 || cp == 0x2014 ||
           cp == '|' || cp == '.' || cp == 0x2026 || cp == 0x00BB || cp == '>' || cp == 0x203A;
}

static int is_punct_class(int cl)
{
    return cl == CL_PUNCT || cl == CL_SENT || cl == CL_HYPHEN || cl == CL_SYMBOL ||
           cl == CL_QUOTE || cl == CL_OTHER;
}

int split_marker_at(const char *s, size_t n, size_t *rest)
{
    size_t b = 0, e = n;
    txt_trim(s, &b, &e);
    if (b >= e || e - b > 400)
        return 0;
    char key[256];
    uint32_t offs[256];
    size_t kl = txt_fold(s + b, e - b, key, sizeof key, offs);
    int whole = offs[kl] >= e - b; /* the key covers the whole line */
    /* leading bullets, quotes, arrows */
    size_t p = 0;
    while (p < kl) {
        size_t q = p;
        uint32_t cp = utf8_next(key, kl, &q);
        int cl = char_class(cp);
        if (!(cl == CL_SPACE || is_punct_class(cl)))
            break;
        p = q;
    }
    size_t best = 0;
    for (size_t m = 0; m < sizeof markers / sizeof *markers; m++) {
        size_t l = strlen(markers[m]);
        if (l > best && p + l <= kl && memcmp(key + p, markers[m], l) == 0) {
            /* whole words only */
            size_t q = p + l;
            int ok = 1;
            if (q < kl) {
                uint32_t cp = utf8_next(key, kl, &q);
                int cl = char_class(cp);
                ok = cl != CL_AR && cl != CL_LETTER && cl != CL_DIGIT && cl != CL_MARK;
            }
            if (ok)
                best = l;
        }
    }
    if (!best)
        return 0;
    size_t q = p + best;
    int sep = 0;
    while (q < kl) {
        size_t r = q;
        uint32_t cp = utf8_next(key, kl, &r);
        int cl = char_class(cp);
        if (cl == CL_SPACE) {
            q = r;
            continue;
        }
        if (!is_punct_class(cl))
            break;
        if (is_separator(cp))
            sep = 1;
        q = r;
    }
    if (q >= kl) {
        if (!whole)
            return 0;
        if (rest)
            *rest = n;
        return 1;
    }
    if (!sep)
        return 0; /* "Related to this, ..." is a sentence */
    if (rest)
        *rest = b + offs[q];
    return 1;
}

/* ---- the splitter ---- */

typedef struct Span {
    size_t b, e; /* trimmed line, [b,e) byte offsets in the body */
} Span;

/* Walks the non-blank lines of a body, lazily: a step only reads as far as it needs. */
typedef struct LineIt {
    const char *s; /* the body */
    size_t n;      /* its length in bytes */
    size_t i;      /* where the next line starts */
} LineIt;

static int next_line(LineIt *it, Span *out)
{
    while (it->i < it->n) {
        size_t st = it->i;
        const char *nl = memchr(it->s + st, '\n', it->n - st);
        size_t end = nl ? (size_t)(nl - it->s) : it->n;
        it->i = nl ? end + 1 : it->n;
        size_t b = st, e = end;
        txt_trim(it->s, &b, &e);
        if (b < e) {
            out->b = b;
            out->e = e;
            return 1;
        }
    }
    return 0;
}

/* A paragraph of running text rather than a headline. */
static int is_prose(const char *s, size_t n)
{
    size_t chars = txt_chars(s, n);
    if (chars >= 150)
        return 1;
    if (chars < 40 || txt_words(s, n) < 6)
        return 0;
    unsigned char last = (unsigned char)s[n - 1];
    if (last == '.' && !(n >= 2 && s[n - 2] == '.'))
        return 1;
    /* questions and exclamations are headlines too, unless long */
    int q = last == '?' || last == '!' ||
            (n >= 2 && (unsigned char)s[n - 2] == 0xD8 && last == 0x9F); /* ؟ */
    return q && chars >= 100;
}

/* Appends s[b,e) trimmed to o, a blank line apart from what o holds. */
static void put_piece(Buf *o, const char *s, size_t b, size_t e)
{
    txt_trim(s, &b, &e);
    if (b >= e)
        return;
    if (o->len)
        buf_puts(o, "\n\n");
    buf_append(o, s + b, e - b);
}

/*
 * Makes the appended article that starts at s[b] (its headline) and runs
 * to the end: a new Article of the Batch, hung from page. Returns its
 * index, or -1 when it could not be made (out of memory).
 */
static long add_appended(Batch *b, size_t page, const char *s, size_t from, int *count)
{
    Article *c = batch_add(b); /* may move b->items: nothing held across it */
    if (!c)
        return -1;
    size_t ci = b->n - 1;
    int ok = txt_parse(c, s + from, strlen(s + from), 1) == 0;
    const Article *pg = &b->items[page];
    const char *porg = pg->origin ? pg->origin : "input";
    char num[32];
    snprintf(num, sizeof num, "#appended%d", *count + 1);
    size_t ol = strlen(porg), nlen = strlen(num);
    if (ok) {
        c->origin = malloc(ol + nlen + 1);
        ok = c->origin != NULL;
    }
    if (ok) {
        memcpy(c->origin, porg, ol);
        memcpy(c->origin + ol, num, nlen + 1);
        c->parent = (int)page;
        if (!c->outlet && pg->outlet) {
            c->outlet = xstrndup(pg->outlet, strlen(pg->outlet));
            ok = c->outlet != NULL;
        }
    }
    if (!ok || !c->body || !c->body[0]) {
        article_free(c);
        b->n--;
        return -1;
    }
    (*count)++;
    return (long)ci;
}

/*
 * One pass over the body of b->items[t]: every marker is dealt with in
 * order and the kept text is copied once. Returns the index of an
 * appended article split off (whose own body may hold more markers), or -1.
 */
static long split_body(Batch *b, size_t t, size_t page, int *count)
{
    const char *s = b->items[t].body;
    size_t n = strlen(s);
    Buf o = {0};
    size_t pos = 0; /* s[pos..] is not yet copied to o */
    LineIt it = {s, n, 0};
    Span ln;
    int before = 0, changed = 0; /* a marker needs text of the page before it */
    long child = -1;
    while (next_line(&it, &ln)) {
        size_t rest = 0;
        if (!before || !split_marker_at(s + ln.b, ln.e - ln.b, &rest)) {
            before = 1;
            continue;
        }
        Span mk = ln;
        changed = 1;
        put_piece(&o, s, pos, mk.b);
        if (rest < mk.e - mk.b) {
            /* "اقرأ أيضا: headline" inside the story: a link, not content */
            pos = mk.e;
            it.i = pos;
            continue;
        }
        /* what the marker introduces, up to the next marker: headlines, then prose? */
        Span first = {0, 0}, f = {0, 0};
        int have_first = 0, have_f = 0;
        size_t heads = 0, prose = 0, stop = n;
        while (next_line(&it, &ln)) {
            const char *ls = s + ln.b;
            size_t len = ln.e - ln.b, rr;
            if (split_marker_at(ls, len, &rr)) {
                stop = ln.b;
                break;
            }
            if (!have_first) {
                first = ln;
                have_first = 1;
            }
            if (have_f)
                prose += txt_chars(ls, len);
            else if (is_prose(ls, len)) {
                have_f = 1;
                f = ln;
                prose = txt_chars(ls, len);
            } else if (!txt_is_meta_line(ls, len))
                heads++;
            if (have_f && (heads != 1 || prose >= MIN_APPENDED_PROSE))
                break; /* decided */
        }
        if (!have_f || (heads == 1 && prose < MIN_APPENDED_PROSE))
            pos = stop; /* a related list */
        else if (heads == 0)
            pos = mk.e; /* the story goes on after the marker */
        else if (heads >= 2)
            pos = f.b; /* a list inside the story */
        else {
            /* an appended article: from its headline to the end of the body */
            child = add_appended(b, page, s, first.b, count);
            pos = child >= 0 ? n : mk.b; /* could not split: keep the text */
            break;
        }
        it.i = pos;
    }
    if (!changed) {
        buf_free(&o);
        return -1;
    }
    if (pos < n)
        put_piece(&o, s, pos, n);
    buf_append(&o, "", 0);
    if (o.oom) {
        buf_free(&o);
        return child; /* the page keeps its whole text */
    }
    Article *a = &b->items[t]; /* re-fetched: add_appended may have moved items */
    free(a->body);
    a->body = buf_steal(&o);
    return child;
}

void ingest_split_appended(Batch *b, size_t index)
{
    if (!b || index >= b->n || !b->items[index].body)
        return;
    int count = 0;
    /* an appended article may itself carry further appended ones */
    for (long t = (long)index; t >= 0;)
        t = split_body(b, (size_t)t, index, &count);
}
