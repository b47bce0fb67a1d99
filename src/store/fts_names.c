/*
 * fts_names.c — names in search queries (split from fts.c): a word sequence
 * whose name key is stored is a name, searched with its other spellings
 * (names_match over the stored mentions of its key), in the spelling most
 * articles use when the query's is rare, through a neighbouring key when
 * its own is rare, and spaced the way the articles space it. One lookup
 * for every store, over store ops: a key's spellings with their mentions
 * (store_each_spelling), a key's mentions (store_key_mentions) and a
 * phrase's articles (FTS5 itself on SQLite, store_phrase_docs elsewhere),
 * so a name query is the same expression on SQLite and PostgreSQL. Each
 * search remembers its lookups (Names).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "fts_int.h"
#include "store.h"
#include "annotate/names.h"
#include "text/text.h"

/* Normalised (RASD_NORM_KEY) form of n bytes into out; empty on failure. */
static void norm_key(const char *s, size_t n, Buf *out)
{
    char *k = NULL;
    size_t kn = 0;
    buf_reset(out);
    if (rasd_normalise(s, n, RASD_NORM_KEY, &k, &kn, NULL, NULL) == RASD_OK)
        buf_append(out, k, kn);
    free(k);
}

/*
 * The transliteration class of a normalised spelling, for short names: the
 * letters that render one foreign g (ج غ ق) become one and long vowels
 * after the first letter are dropped; the rest stays. So جوجل = غوغل = قوقل
 * and سوروج = سروج, but كينيا ≠ غينيا ≠ جنيه.
 */
static void translit_class(const char *s, size_t n, Buf *out)
{
    buf_reset(out);
    for (size_t i = 0; i < n;) {
        size_t k = i;
        uint32_t c = utf8_next(s, n, &k);
        if (c == 0x062C || c == 0x063A || c == 0x0642) /* ج غ ق */
            buf_putc(out, 'G');
        else if (i > 0 && (c == 0x0627 || c == 0x0648 || c == 0x064A)) /* ا و ي */
            ;
        else
            buf_append(out, s + i, k - i);
        i = k;
    }
}

static void spellings_free(Spellings *sp)
{
    buf_free(&sp->alts);
    buf_free(&sp->major);
}

/* Are the code points of a and b at most one insertion, deletion or
   substitution apart? (Both normalised; a fuzzy key's spellings must be.) */
static int one_edit(const char *a, size_t an, const char *b, size_t bn)
{
    uint32_t x[64], y[64];
    size_t nx = 0, ny = 0;
    for (size_t i = 0; i < an && nx < 64;)
        x[nx++] = utf8_next(a, an, &i);
    for (size_t i = 0; i < bn && ny < 64;)
        y[ny++] = utf8_next(b, bn, &i);
    if (nx == 64 || ny == 64 || (nx > ny ? nx - ny : ny - nx) > 1)
        return 0;
    size_t i = 0, j = 0;
    while (i < nx && j < ny && x[i] == y[j])
        i++, j++;
    if (i == nx && j == ny)
        return 1;
    /* the first difference: skip it on the longer side, or on both */
    size_t si = i + (nx >= ny), sj = j + (ny >= nx);
    while (si < nx && sj < ny && x[si] == y[sj])
        si++, sj++;
    return si == nx && sj == ny;
}


/*
 * Another name key the query's spelling may have missed, when its own key
 * is rare: the key of the text with one space removed or one added
 * (بوكوحرام / بوكو حرام) or, for a key of FUZZY_MIN_LETTERS or more that
 * some mention has, the key with one letter left out (مرنهو → مرنو:
 * مورينهو / مورينيو). Taken only when that key has FUZZY_RATIO times the
 * own key's mentions and at least FUZZY_MIN_MENTIONS, so a rare name is
 * never drawn to a frequent neighbour it merely resembles. Each candidate
 * is one indexed lookup. Writes the best key to out (empty: none).
 */
#define FUZZY_MIN_LETTERS 5
#define FUZZY_RATIO 4
#define FUZZY_MIN_MENTIONS 10
#define MAJOR_SHARE 4
static void fuzzy_key(Store *st, const char *text, size_t n, const Buf *key,
                      int64_t own, Buf *out)
{
    Buf cand = {0}, k = {0};
    int64_t best = own * FUZZY_RATIO > FUZZY_MIN_MENTIONS ? own * FUZZY_RATIO : FUZZY_MIN_MENTIONS;
    buf_reset(out);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x80 && text[i] != ' ')
            goto done; /* digits, Latin, punctuation: not a spelling question */
    /* one space removed, or one added between two letters */
    for (size_t i = 0; i <= n; i++) {
        if (i > 0 && i < n && (((unsigned char)text[i] & 0xC0) == 0x80))
            continue; /* not at a character boundary */
        buf_reset(&cand);
        if (i < n && text[i] == ' ') {
            buf_append(&cand, text, i);
            buf_append(&cand, text + i + 1, n - i - 1);
        } else if (i > 0 && i < n && text[i - 1] != ' ' && text[i] != ' ') {
            buf_append(&cand, text, i);
            buf_putc(&cand, ' ');
            buf_append(&cand, text + i, n - i);
        } else {
            continue;
        }
        if (cand.oom || names_key(cand.data, cand.len, &k) != 0 || !k.len ||
            (k.len == key->len && !memcmp(k.data, key->data, k.len)))
            continue;
        int64_t c = store_key_mentions(st, k.data, k.len);
        if (c >= best) {
            best = c;
            buf_reset(out);
            buf_append(out, k.data, k.len);
        }
    }
    /* one letter of a long, stored key left out */
    if (own > 0 && fts_nchars(key->data, key->len) - fts_count_spaces(key->data, key->len) >=
                       FUZZY_MIN_LETTERS)
        for (size_t i = 0; i < key->len;) {
            size_t j = i;
            utf8_next(key->data, key->len, &j);
            if (key->data[i] != ' ') {
                buf_reset(&cand);
                buf_append(&cand, key->data, i);
                buf_append(&cand, key->data + j, key->len - j);
                int64_t c = cand.oom ? 0 : store_key_mentions(st, cand.data, cand.len);
                if (c >= best) {
                    best = c;
                    buf_reset(out);
                    buf_append(out, cand.data, cand.len);
                }
            }
            i = j;
        }
done:
    buf_free(&cand);
    buf_free(&k);
}

/* Articles matching text as one phrase, counted up to cap: FTS5's count on
   an SQLite store (st: its statement), the store's otherwise. */
static int64_t phrase_docs(Store *store, sqlite3_stmt *st, const char *text, size_t n,
                           int64_t cap)
{
    Buf q = {0};
    fts_put_string(&q, "", text, n);
    int64_t c = 0;
    if (!q.oom && !st) {
        c = store_phrase_docs(store, q.data, cap);
    } else if (!q.oom) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, q.data, (int)q.len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, cap);
        if (sqlite3_step(st) == SQLITE_ROW)
            c = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    buf_free(&q);
    return c;
}

/*
 * A word written together that articles write apart (سنابشات: سناب شات,
 * بوكوحرام: بوكو حرام) or two words they write together (فيس بوك:
 * فيسبوك), found in the index itself, for the names and brands the tagger
 * rarely marks. Only for a rare form (fewer than SPACE_RARE articles): the
 * other form must be in FUZZY_RATIO times as many articles and at least
 * FUZZY_MIN_MENTIONS. Each candidate is one capped FTS5 count. Writes the
 * best form to out (empty: none); *own and *docs: the articles of each.
 */
#define SPACE_RARE 50
#define SPACE_MIN_PART 2 /* letters on each side of an added space */
static void space_variant(Store *store, const char *text, size_t n, Buf *out, int64_t *own,
                          int64_t *docs)
{
    sqlite3 *db = store_sqlite(store);
    sqlite3_stmt *st = NULL;
    Buf cand = {0};
    buf_reset(out);
    *own = *docs = 0;
    size_t spaces = fts_count_spaces(text, n);
    if (spaces > 1 || n > 64)
        return;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x80 && text[i] != ' ')
            return; /* digits, Latin, punctuation: not this question */
    if (db && sqlite3_prepare_v2(db,
                                 "SELECT count(*) FROM (SELECT 1 FROM article_fts"
                                 " WHERE article_fts MATCH ?1 LIMIT ?2)",
                                 -1, &st, NULL) != SQLITE_OK)
        goto done;
    *own = phrase_docs(store, st, text, n, SPACE_RARE);
    if (*own >= SPACE_RARE)
        goto done;
    int64_t best = *own * FUZZY_RATIO > FUZZY_MIN_MENTIONS ? *own * FUZZY_RATIO : FUZZY_MIN_MENTIONS;
    size_t letters = fts_nchars(text, n) - spaces;
    size_t at = 0; /* letters before i */
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
        buf_reset(&cand);
        if (spaces && text[i] == ' ') { /* two words written together */
            buf_append(&cand, text, i);
            buf_append(&cand, text + i + 1, n - i - 1);
        } else if (!spaces && at >= SPACE_MIN_PART && letters - at >= SPACE_MIN_PART) {
            buf_append(&cand, text, i); /* one word written apart */
            buf_putc(&cand, ' ');
            buf_append(&cand, text + i, n - i);
        }
        at += text[i] != ' ';
        if (!cand.len || cand.oom)
            continue;
        int64_t c = phrase_docs(store, st, cand.data, cand.len, best * 4);
        if (c >= best) {
            best = c;
            *docs = c;
            buf_reset(out);
            buf_append(out, cand.data, cand.len);
        }
    }
done:
    sqlite3_finalize(st);
    buf_free(&cand);
}

/*
 * Is text a name, and what are its other spellings? It is a name when a
 * stored mention has its name key and either, once normalised, its very
 * form, or the key has at least MIN_KEY_LETTERS letters (short keys such as
 * بنك, shared by بنك and بيونغ, collide too often to be trusted alone).
 * Spellings of a short-keyed name must moreover be the same letter for
 * letter up to the g letters (translit_class): names_match forgives too
 * much in three letters (it takes جنيه for كينيا).
 * Its other spellings are the stored mentions with that key that the
 * stricter matcher (names_match) accepts, most frequent first, appended to
 * sp->alts as " OR \"spelling\"". The key alone would be too lenient:
 * سوروج and the name سراج share one, so do غانا and كينيا. When the own
 * key is rare, the spellings of a much more frequent neighbouring key
 * (fuzzy_key) are the name's too. sp->major: the spellings most mentions
 * use, so that a rare spelling in the query (بوتن, نتانياهو) searches
 * first for the articles that write the name the usual way.
 */
/* A key's stored spellings with their mentions (store_each_spelling). */
#define KEY_SPELLINGS 64
typedef struct Stored {
    struct { char *v; size_t n; int64_t c; } s[KEY_SPELLINGS];
    size_t n;
} Stored;

static int on_spelling(void *ctx, const char *v, size_t vn, int64_t c)
{
    Stored *x = ctx;
    if (x->n == KEY_SPELLINGS || !(x->s[x->n].v = malloc(vn + 1)))
        return 1;
    memcpy(x->s[x->n].v, v, vn);
    x->s[x->n].v[vn] = 0;
    x->s[x->n].n = vn;
    x->s[x->n++].c = c;
    return 0;
}

static void stored_free(Stored *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->s[i].v);
    x->n = 0;
}

static void name_lookup(Store *store, const char *text, size_t n, Spellings *sp)
{
    memset(sp, 0, sizeof *sp);
    if (!store)
        return;
    Buf key = {0}, self = {0}, other = {0}, cs = {0}, co = {0}, fz = {0};
    Stored stored;
    stored.n = 0;
    int added = 0, short_key = 0;
    int64_t own_count = 0, key_total = 0, top = 0;
    struct { char *v; size_t n; int64_t c; } acc[MAX_SPELLINGS + 1];
    size_t nacc = 0;
    if (names_key(text, n, &key) != 0 || !key.len)
        goto out;
    norm_key(text, n, &self);
    short_key = fts_nchars(key.data, key.len) - fts_count_spaces(key.data, key.len) < MIN_KEY_LETTERS;
    if (short_key)
        translit_class(self.data ? self.data : "", self.len, &cs);
    for (int pass = 0; pass < 2; pass++) {
        const Buf *k = pass ? &fz : &key;
        if (pass) {
            fuzzy_key(store, text, n, &key, key_total, &fz);
            if (!fz.len)
                break;
        }
        stored_free(&stored);
        /* a failed read finds no spellings: the words are searched as written */
        store_each_spelling(store, k->data, k->len, KEY_SPELLINGS, on_spelling, &stored, NULL);
        for (size_t si = 0; si < stored.n; si++) {
            const char *v = stored.s[si].v;
            size_t vn = stored.s[si].n;
            int64_t c = stored.s[si].c;
            if (!pass)
                key_total += c;
            norm_key(v, vn, &other);
            if (other.len == self.len && self.len && !memcmp(other.data, self.data, self.len)) {
                sp->is_name = 1;
                own_count += c;
                continue;
            }
            int same = 1;
            if (short_key && !pass) {
                translit_class(other.data ? other.data : "", other.len, &co);
                same = co.len == cs.len && !memcmp(co.data ? co.data : "", cs.data ? cs.data : "",
                                                   cs.len);
            }
            /* a part of the name (هادي for عبدربه منصور هادي) names others too */
            if (fts_count_spaces(other.data ? other.data : "", other.len) <
                fts_count_spaces(self.data ? self.data : "", self.len))
                same = 0;
            /* a neighbouring key's spellings: one letter or space from the
               query's (names_match compares spellings of one key) */
            if (same && added < MAX_SPELLINGS && !memchr(v, '"', vn) &&
                (pass ? one_edit(self.data, self.len, other.data, other.len)
                      : names_match(text, n, v, vn) == 1)) {
                buf_puts(&sp->alts, " OR ");
                fts_put_string(&sp->alts, "", v, vn);
                added++;
                if (nacc < MAX_SPELLINGS && (acc[nacc].v = malloc(vn ? vn : 1))) {
                    memcpy(acc[nacc].v, v, vn);
                    acc[nacc].n = vn;
                    acc[nacc++].c = c;
                }
            }
        }
        if (pass && added)
            sp->is_name = 1; /* the neighbour's spellings make it a name */
    }
    /* a short key's spellings passed the letter-for-letter test above, so
       one of them makes the query a name (بوتن: بوتين) */
    if (!sp->is_name && added &&
        (short_key || fts_nchars(key.data, key.len) - fts_count_spaces(key.data, key.len) >=
                          MIN_KEY_LETTERS))
        sp->is_name = 1;
    /* not a tagged name: maybe a word the articles space differently */
    if (!sp->is_name && !memchr(text, '"', n)) {
        int64_t own_docs, docs;
        space_variant(store, text, n, &fz, &own_docs, &docs);
        if (fz.len) {
            sp->is_name = 1;
            fts_put_string(&sp->major, "", fz.data, fz.len);
            if (own_docs * MAJOR_SHARE >= docs) {
                buf_puts(&sp->major, " OR ");
                fts_put_string(&sp->major, "", text, n);
            }
            buf_puts(&sp->alts, " OR ");
            fts_put_string(&sp->alts, "", fz.data, fz.len);
        }
        goto out;
    }
    /* the major spellings: only when the own form is not the one most use */
    top = own_count;
    for (size_t i = 0; i < nacc; i++)
        if (acc[i].c > top)
            top = acc[i].c;
    /* a nationality adjective (key adj:…) is searched as written: its identity
       also holds the country's name, which means something else */
    if (sp->is_name && top > own_count && strncmp(key.data, "adj:", 4) != 0) {
        if (own_count * MAJOR_SHARE >= top)
            fts_put_string(&sp->major, "", text, n);
        for (size_t i = 0; i < nacc; i++)
            if (acc[i].c * MAJOR_SHARE >= top) {
                if (sp->major.len)
                    buf_puts(&sp->major, " OR ");
                fts_put_string(&sp->major, "", acc[i].v, acc[i].n);
            }
    }
out:
    for (size_t i = 0; i < nacc; i++)
        free(acc[i].v);
    stored_free(&stored);
    if (!sp->is_name)
        buf_reset(&sp->alts), buf_reset(&sp->major);
    buf_free(&key), buf_free(&self), buf_free(&other), buf_free(&fz);
    buf_free(&cs), buf_free(&co);
}

void fts_names_free(Names *nm)
{
    for (size_t i = 0; i < nm->n; i++)
        free(nm->v[i].text), spellings_free(&nm->v[i].sp);
    free(nm->v);
    memset(nm, 0, sizeof *nm);
}

/* name_lookup through the memo: the spellings of text, or NULL when nm has
   no store or memory runs out (then text is no name). */
const Spellings *fts_name_spellings(Names *nm, const char *text, size_t n)
{
    if (!nm || !nm->st)
        return NULL;
    for (size_t i = 0; i < nm->n; i++)
        if (nm->v[i].n == n && !memcmp(nm->v[i].text, text, n))
            return &nm->v[i].sp;
    if (nm->n == nm->cap) {
        size_t nc = nm->cap ? nm->cap * 2 : 8;
        NameMemo *v = realloc(nm->v, nc * sizeof *v);
        if (!v)
            return NULL;
        nm->v = v;
        nm->cap = nc;
    }
    char *t = malloc(n ? n : 1);
    if (!t)
        return NULL;
    memcpy(t, text, n);
    NameMemo *m = &nm->v[nm->n++];
    m->text = t;
    m->n = n;
    name_lookup(nm->st, text, n, &m->sp);
    if (m->sp.alts.oom || m->sp.major.oom) {
        spellings_free(&m->sp);
        m->sp.is_name = 0;
    }
    return &m->sp;
}

int fts_is_name(Names *nm, const char *text, size_t n)
{
    const Spellings *sp = fts_name_spellings(nm, text, n);
    return sp && sp->is_name;
}
