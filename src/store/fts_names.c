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
   an SQLite store (a statement kept prepared on the connection), the
   store's (store_phrase_docs) otherwise; 0 on failure. */
static int64_t phrase_docs(Store *store, const char *text, size_t n, int64_t cap)
{
    Buf q = {0};
    fts_put_string(&q, "", text, n);
    int64_t c = 0;
    sqlite3_stmt *st = NULL;
    if (q.oom) {
        c = 0;
    } else if (!store_sqlite(store)) {
        c = store_phrase_docs(store, q.data, cap);
    } else if (store_sqlite_prep(store,
                                 "SELECT count(*) FROM (SELECT 1 FROM article_fts"
                                 " WHERE article_fts MATCH ?1 LIMIT ?2)",
                                 &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, q.data, (int)q.len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, cap);
        if (sqlite3_step(st) == SQLITE_ROW)
            c = sqlite3_column_int64(st, 0);
        store_sqlite_finish(store, st);
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
    Buf cand = {0};
    buf_reset(out);
    *own = *docs = 0;
    size_t spaces = fts_count_spaces(text, n);
    if (spaces > 1 || n > 64)
        return;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x80 && text[i] != ' ')
            return; /* digits, Latin, punctuation: not this question */
    *own = phrase_docs(store, text, n, SPACE_RARE);
    if (*own >= SPACE_RARE)
        return;
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
        int64_t c = phrase_docs(store, cand.data, cand.len, best * 4);
        if (c >= best) {
            best = c;
            *docs = c;
            buf_reset(out);
            buf_append(out, cand.data, cand.len);
        }
    }
    buf_free(&cand);
}

int fts_alias_given(const char *text, size_t n)
{
    Buf k = {0}, s = {0};
    int r = names_key(text, n, &k) == 0 && names_skeleton(text, n, &s) == 0 && k.len &&
            (k.len != s.len || memcmp(k.data, s.data, k.len) != 0);
    buf_free(&k);
    buf_free(&s);
    return r;
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
 * (fuzzy_key) are the name's too.
 * A key the alias table gave (خامنه اي → the key of خامنئي) is the
 * identity by itself, however short and whatever the words: its spellings
 * are those the matcher takes for the key's most used spelling (the
 * anchor), since the alias makes names_match accept the whole key (الخميني,
 * Khomeini, shares it).
 * sp->major: the spellings most articles use (major_spellings), so that a
 * rare spelling in the query (بوتن, نتانياهو) searches first for the
 * articles that write the name the usual way.
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

/* One name lookup: the query's text, key and forms, and what it accepted. */
typedef struct Lookup {
    const char *text;   /* the query's words (n bytes) */
    size_t n;
    Buf key;            /* its name key */
    Buf self;           /* its normalised (RASD_NORM_KEY) form */
    Buf cs;             /* self's transliteration class */
    int short_key;      /* the key has fewer than MIN_KEY_LETTERS letters */
    int alias;          /* the alias table gave the key */
    const char *anchor; /* alias key: the most used spelling the matcher takes, or NULL */
    size_t anchor_n;
    Buf anchor_norm;    /* the anchor, normalised */
    struct { char *v; size_t n; } acc[MAX_SPELLINGS]; /* accepted other spellings */
    Buf seen;           /* the accepted spellings normalised, each followed by '\n' */
    size_t nacc;
} Lookup;

/* Bytes of a leading definite article ال in a normalised spelling of at
   least two more letters (الخامنئي), else 0. */
static size_t def_article(const char *s, size_t n)
{
    return s && n >= 8 && !memcmp(s, "ال", 4) ? 4 : 0;
}

/* Whose spellings read_spellings reads: the query's own key's, a
   neighbouring key's (fuzzy_key), or the last words of the spellings of a
   full name whose last word the query's key is (store_each_surname_key). */
enum { SP_OWN, SP_NEIGHBOUR, SP_SURNAME };

/* Is stored spelling v (vn bytes, normalised: other) another spelling of
   the query? A neighbouring key's spelling (mode SP_NEIGHBOUR) must be one
   edit from the query's. co: scratch. */
static int accept_spelling(Lookup *L, int mode, const char *v, size_t vn, const Buf *other,
                           Buf *co)
{
    const char *od = other->data ? other->data : "";
    if (mode == SP_NEIGHBOUR)
        return one_edit(L->self.data, L->self.len, od, other->len);
    if (L->alias) {
        if (!L->anchor && names_match(L->text, L->n, v, vn) == 1) {
            L->anchor = v, L->anchor_n = vn;
            buf_reset(&L->anchor_norm);
            buf_append(&L->anchor_norm, od, other->len);
            return 1;
        }
        /* one letter from the anchor, its article aside: the matcher takes
           الخميني (Khomeini) for خامنئي, their skeletons are one */
        if (!L->anchor)
            return 0;
        size_t a0 = def_article(L->anchor_norm.data, L->anchor_norm.len);
        size_t o0 = def_article(od, other->len);
        return one_edit(L->anchor_norm.data + a0, L->anchor_norm.len - a0, od + o0,
                        other->len - o0);
    }
    /* a short key's spelling, or a full name's surname (reached beyond the
       query's own key: محمد بالطيور ends in the key of بلاتير), must be the
       query letter for letter up to the g letters and long vowels */
    if (L->short_key || mode == SP_SURNAME) {
        translit_class(od, other->len, co);
        if (co->len != L->cs.len || memcmp(co->data ? co->data : "",
                                           L->cs.data ? L->cs.data : "", L->cs.len) != 0)
            return 0;
    }
    /* a part of the name (هادي for عبدربه منصور هادي) names others too */
    if (fts_count_spaces(od, other->len) < fts_count_spaces(L->self.data ? L->self.data : "",
                                                            L->self.len))
        return 0;
    return names_match(L->text, L->n, v, vn) == 1;
}

/* Is normalised form f one of seen's lines? */
static int seen_form(const Buf *seen, const Buf *f)
{
    for (size_t i = 0; i < seen->len;) {
        const char *e = memchr(seen->data + i, '\n', seen->len - i);
        size_t l = (size_t)(e - (seen->data + i));
        if (l == f->len && !memcmp(seen->data + i, f->data ? f->data : "", l))
            return 1;
        i += l + 1;
    }
    return 0;
}

/* Reads the spellings of key k (mode: whose, SP_*) into sp and L;
   *key_total: the own key's mentions (SP_OWN). */
static void read_spellings(Store *store, Lookup *L, int mode, const char *k, size_t kn,
                           Spellings *sp, int64_t *key_total)
{
    Stored stored;
    stored.n = 0;
    Buf other = {0}, co = {0};
    /* a failed read finds no spellings: the words are searched as written */
    store_each_spelling(store, k, kn, KEY_SPELLINGS, on_spelling, &stored, NULL);
    if (mode == SP_SURNAME) {
        /* سيرجي شويجو → شويجو; the full name is the query's only when one of
           its spellings ends in the query as written (حسن الراهب is no
           name of الإرهاب, whose key it ends in) */
        int own = 0;
        for (size_t si = 0; si < stored.n; si++) {
            char *v = stored.s[si].v;
            size_t w = stored.s[si].n;
            while (w > 0 && v[w - 1] != ' ')
                w--;
            stored.s[si].n -= w;
            memmove(v, v + w, stored.s[si].n);
            v[stored.s[si].n] = 0;
            norm_key(v, stored.s[si].n, &other);
            own |= other.len == L->self.len && L->self.len &&
                   !memcmp(other.data, L->self.data, L->self.len);
        }
        if (!own)
            stored_free(&stored);
    }
    for (size_t si = 0; si < stored.n; si++) {
        char *v = stored.s[si].v;
        size_t vn = stored.s[si].n;
        if (mode == SP_OWN)
            *key_total += stored.s[si].c;
        norm_key(v, vn, &other);
        if (other.len == L->self.len && L->self.len &&
            !memcmp(other.data, L->self.data, L->self.len)) {
            /* a full name's surname written as the query says nothing more:
               a word that ends some person's key is not thereby a name */
            if (mode != SP_SURNAME)
                sp->is_name = 1;
            continue;
        }
        if (L->nacc < MAX_SPELLINGS && !memchr(v, '"', vn) && !seen_form(&L->seen, &other) &&
            accept_spelling(L, mode, v, vn, &other, &co)) {
            /* one form once: أردوغان and اردوغان are one index term, and
               BM25 would count a term OR-ed twice twice */
            buf_append(&L->seen, other.data ? other.data : "", other.len);
            buf_putc(&L->seen, '\n');
            buf_puts(&sp->alts, " OR ");
            fts_put_string(&sp->alts, "", v, vn);
            /* kept (the anchor may point at it): stored no longer owns it */
            stored.s[si].v = NULL;
            L->acc[L->nacc].v = (char *)v;
            L->acc[L->nacc++].n = vn;
        }
    }
    stored_free(&stored);
    buf_free(&other);
    buf_free(&co);
}

/*
 * sp->major: the spellings of the name most articles use — each in at least
 * 1/MAJOR_SHARE as many articles as the most used, the query's own form
 * among them when it is one — or empty when the own form is the most used.
 * Counted in articles (capped FTS5 phrase counts), not in mentions of the
 * key: an article that names the full name files its surname's mentions
 * under the full name's key (مورينيو under جوزيه مورينيو's), so the key's
 * own mentions say little about how a surname is usually spelt.
 */
#define MAJOR_CAP 2000 /* articles counted per spelling */
static void major_spellings(Store *store, const Lookup *L, Spellings *sp)
{
    int64_t docs[MAX_SPELLINGS];
    int64_t own = phrase_docs(store, L->text, L->n, MAJOR_CAP), top = own;
    for (size_t i = 0; i < L->nacc; i++) {
        docs[i] = phrase_docs(store, L->acc[i].v, L->acc[i].n, MAJOR_CAP);
        if (docs[i] > top)
            top = docs[i];
    }
    /* a form SPACE_RARE articles write is no rare spelling: searched as
       written first (الإفريقي is not الفريق, whose key it shares) */
    if (top <= own || own >= SPACE_RARE)
        return;
    if (own * MAJOR_SHARE >= top)
        fts_put_string(&sp->major, "", L->text, L->n);
    for (size_t i = 0; i < L->nacc; i++)
        if (docs[i] * MAJOR_SHARE >= top) {
            if (sp->major.len)
                buf_puts(&sp->major, " OR ");
            fts_put_string(&sp->major, "", L->acc[i].v, L->acc[i].n);
        }
}

/*
 * A surname searched alone (شويغو): an article that names the full name
 * files the surname's mentions under the full name's key (سرك شكو), so the
 * query's own key (شكو) may have none, and another article's spelling of
 * the surname (شويجو in سيرجي شويجو) is found only through the full name.
 * The spellings' last words of the SURNAME_KEYS most mentioned person keys
 * ending in the query's key (one indexed read), of those full names that
 * are written with the query's form somewhere, are taken as the query's
 * own key's would be, but more strictly, since they come from beyond its
 * key: another form must pass the matcher and be the query letter for
 * letter up to the g letters and long vowels (translit_class). Only the
 * query's spelling variants are added, never the full names: two people
 * sharing a surname add nothing the query does not say.
 */
#define SURNAME_KEYS 8
typedef struct SurnameKeys {
    char *k[SURNAME_KEYS];
    size_t n[SURNAME_KEYS], count;
} SurnameKeys;

static int on_surname_key(void *ctx, const char *full, size_t n, int64_t mentions)
{
    SurnameKeys *x = ctx;
    (void)mentions;
    if (x->count == SURNAME_KEYS || !(x->k[x->count] = malloc(n + 1)))
        return 1;
    memcpy(x->k[x->count], full, n);
    x->k[x->count][n] = 0;
    x->n[x->count++] = n;
    return 0;
}

static void surname_spellings(Store *store, Lookup *L, Spellings *sp, int64_t *key_total)
{
    SurnameKeys x;
    x.count = 0;
    /* a failed read finds no full names: the query is searched without them */
    store_each_surname_key(store, L->key.data, L->key.len, SURNAME_KEYS, on_surname_key, &x,
                           NULL);
    for (size_t i = 0; i < x.count; i++) {
        read_spellings(store, L, SP_SURNAME, x.k[i], x.n[i], sp, key_total);
        free(x.k[i]);
    }
}

static void name_lookup(Store *store, const char *text, size_t n, Spellings *sp)
{
    memset(sp, 0, sizeof *sp);
    if (!store)
        return;
    Lookup L;
    memset(&L, 0, sizeof L);
    L.text = text;
    L.n = n;
    Buf fz = {0}, skel = {0};
    int64_t key_total = 0;
    if (names_key(text, n, &L.key) != 0 || !L.key.len || names_skeleton(text, n, &skel) != 0)
        goto out;
    L.alias = skel.len != L.key.len || memcmp(skel.data, L.key.data, L.key.len) != 0;
    norm_key(text, n, &L.self);
    L.short_key = fts_nchars(L.key.data, L.key.len) - fts_count_spaces(L.key.data, L.key.len) <
                  MIN_KEY_LETTERS;
    translit_class(L.self.data ? L.self.data : "", L.self.len, &L.cs);
    read_spellings(store, &L, SP_OWN, L.key.data, L.key.len, sp, &key_total);
    if (!L.alias && !memchr(L.key.data, ' ', L.key.len) && strncmp(L.key.data, "adj:", 4) != 0)
        surname_spellings(store, &L, sp, &key_total);
    if (!L.alias) {
        fuzzy_key(store, text, n, &L.key, key_total, &fz);
        size_t before = L.nacc;
        if (fz.len)
            read_spellings(store, &L, SP_NEIGHBOUR, fz.data, fz.len, sp, &key_total);
        if (L.nacc > before)
            sp->is_name = 1; /* the neighbour's spellings make it a name */
    }
    /* an accepted spelling makes the query a name: a short key's passed the
       letter-for-letter test (بوتن: بوتين), an alias key is the identity */
    if (L.nacc)
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
    /* a nationality adjective (key adj:…) is searched as written: its identity
       also holds the country's name, which means something else */
    if (sp->is_name && L.nacc && strncmp(L.key.data, "adj:", 4) != 0)
        major_spellings(store, &L, sp);
out:
    for (size_t i = 0; i < L.nacc; i++)
        free(L.acc[i].v);
    if (!sp->is_name)
        buf_reset(&sp->alts), buf_reset(&sp->major);
    buf_free(&L.key), buf_free(&L.self), buf_free(&L.cs), buf_free(&fz), buf_free(&skel);
    buf_free(&L.anchor_norm), buf_free(&L.seen);
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
