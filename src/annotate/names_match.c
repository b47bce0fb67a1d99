/*
 * names_match.c — "are these two spellings one name?", the lenient second
 * judgement beside key equality (names.h), for linking the mentions of a
 * story: سيرجي شويجو = سيرغي شويغو, فاغنر = واجنر, ليندا غرينفيلد = ليندا
 * توماس غرينفيلد, شويغو = سيرغي شويغو; but سيرغي شويغو ≠ سيرغي لافروف,
 * جورج بوش ≠ جيب بوش, ماريا ≠ ماريو.
 *
 * Idea: a weighted edit distance on a syllable-like view of each word.
 * A word's form (names_form: letter classes folded, vowel letters kept) is
 * read as an onset (vowel letters before the first consonant) and a list
 * of tokens, each a consonant with the vowel letters written after it —
 * the "slot" where a transliterator may write a long vowel or not. Two
 * words are aligned token by token (dynamic programming); the costs say how
 * often each difference separates spellings of one name rather than two
 * names, and were set by hand from the linguistics of transliteration and
 * checked against counts on half A of the names data (tools/eval_names.c):
 *
 *   - a vowel letter in a slot where the other spelling has none is nearly
 *     free (هيلاري/هلاري): ي 0.1, ا 0.15, و 0.2; in an Arabic name (see
 *     names.c: ح ع ص ض ظ or listed) long vowels are part of the name: و ي
 *     cost 1 (محمد/محمود, سعد/سعيد), ا 0.6 (it is left out in old spellings,
 *     الرحمن/الرحمان, but حسن/حسان are two names);
 *   - a different vowel in the same slot is the commonest difference between
 *     two names (بيتر/بوتر, كان/كون) and costs 0.6 (a/i), 0.7 (a/u), 1 (u/i),
 *     half as much again in an Arabic name; but -ov/-ev before a final ف
 *     (غورباتشوف/غورباتشيف) costs 0.2;
 *   - the final vowel: -a written ا or ة/ه is one (0), -e ه or ي nearly
 *     (0.1), -i/-e/-y written or not 0.5 (1 in an Arabic name, where it is
 *     the nisba: محمد/محمدي), an added -o or -a (ماري/ماريا) 1;
 *   - consonants: one class as in the key 0; pairs transliterators confuse
 *     0.2–0.8: س/ش (Portuguese s, Polish sz), ش/ك (Italian c, German ch),
 *     و/ف at the start (w = v), ي/ج at the start (j = y), خ/ك and خ/ه, ي/ل
 *     (Spanish ll), ت/د, ث/ت and ث/س; any other pair 1.5;
 *   - a consonant written or not: silent h (ه) 0.3, ع 0.3–0.4, ت before س
 *     (tz, ts) and before ش, د before ج (dj) 0.3–0.4, French silent final
 *     ت د س 0.7–0.8, any other 1.2 inside the word and 1.5 at its edges.
 *
 * A word pair is the same name when its cost is at most 0.3 for words of up
 * to three consonants and 0.4 more for each consonant beyond: long names
 * have room for more variation and few look-alikes, short ones the reverse.
 * The article ال may be read as part of the word or not, and in a foreign
 * word a و after a consonant and before a vowel letter as the consonant w
 * (= ف, v: هالبواكس/هالبفاكس, شوارتز/شفارتز) or as a vowel: the cheaper wins.
 * That threshold (0.3 + 0.4 a consonant) was chosen on half A to keep the
 * hard negatives under 2 % false matches; half B gives the same figures.
 *
 * Names of several words are aligned word by word in order (every word of
 * the shorter name against a word of the longer): the longer may have
 * extra words (a middle name, a given name the other leaves out), but not
 * at its end (the surname, or a جونيور/الابن that tells a son from his
 * father), and when both have two words or more their first words must
 * match (جورج بوش ≠ جيب بوش). The distance of a name is that of its worst
 * aligned word pair. Latin words must be equal (after casefolding).
 *
 * No allocation, no shared state: all work is on the stack, with words cut
 * at NM_MAX_TOK tokens and names at NM_MAX_WORDS words.
 */
#include <string.h>

#include "names.h"
#include "../text/text.h"

#define NM_MAX_TOK 32   /* tokens (consonants) kept of one word */
#define NM_MAX_VOW 3    /* vowel letters kept in one slot */
#define NM_MAX_WORDS 16 /* words kept of one name */
#define NM_MAX_SYM 96   /* code points kept of one word's form */
#define NM_INF 1e9

/* vowel ids in slots; 0 = none */
enum { V_A = 1, V_W, V_Y, V_H };

/* a few consonant class letters the costs name */
enum {
    C_T = 0x062A, C_TH = 0x062B, C_KH = 0x062E, C_D = 0x062F, C_S = 0x0633, C_SH = 0x0634,
    C_AIN = 0x0639, C_F = 0x0641, C_K = 0x0643, C_L = 0x0644, C_H = 0x0647,
    C_W = 0x0648, C_Y = 0x064A /* و ي as consonants: only at a word's start */
};

typedef struct NmTok {
    uint32_t c;             /* consonant: class letter of names_form */
    uint8_t v[NM_MAX_VOW];  /* vowel ids written after it, repeats merged */
    uint8_t nv;             /* entries in v */
} NmTok;

typedef struct NmVar {
    uint8_t onset[NM_MAX_VOW]; /* vowel ids before the first consonant */
    uint8_t nonset;            /* entries in onset */
    NmTok tok[NM_MAX_TOK];     /* the consonants with their slots */
    int ntok;                  /* entries in tok */
} NmVar;

typedef struct NmWord {
    const char *s;          /* the word's form text after its flags, not NUL-terminated */
    size_t n;               /* bytes in s */
    int native;             /* "*": an Arabic name, long vowels fixed */
    int generation;         /* "!" or a Latin jr/sr/ii...: never skipped */
    int latin;              /* not Arabic script: compared by equality */
    NmVar var[3];           /* as written, without the article ال, with و read w */
    int nvar;               /* 1 to 3 */
} NmWord;

/* ---- reading a form ---- */

static int vowel_id(uint32_t cp)
{
    switch (cp) {
    case 0x0627: return V_A;
    case 0x0648: return V_W;
    case 0x064A: return V_Y;
    case 0x0629: return V_H;
    default: return 0;
    }
}

static void slot_add(uint8_t *v, uint8_t *nv, int id)
{
    if (*nv > 0 && v[*nv - 1] == id)
        return; /* يي = ي */
    if (*nv < NM_MAX_VOW)
        v[(*nv)++] = (uint8_t)id;
}

/* Is sym[k] a و that can be read as the consonant w: after a consonant,
   before a vowel letter (هالبواكس, هارتويغ)? */
static int w_consonant(const uint32_t *sym, size_t n, size_t k)
{
    return sym[k] == C_W && k > 0 && !vowel_id(sym[k - 1]) && k + 1 < n &&
           (sym[k + 1] == 0x0627 || sym[k + 1] == 0x064A || sym[k + 1] == C_W);
}

/* Tokens of the symbols sym[0..n): the word as written from there; with
   wcons, a و that can be w is read as the consonant. */
static void var_build(const uint32_t *sym, size_t n, NmVar *v, int wcons)
{
    memset(v, 0, sizeof *v);
    for (size_t k = 0; k < n; k++) {
        uint32_t c = sym[k];
        int id = vowel_id(c);
        if ((k == 0 && (c == C_W || c == C_Y)) || (wcons && w_consonant(sym, n, k)))
            id = 0; /* the onset: و ي are consonants */
        if (id) {
            if (v->ntok == 0)
                slot_add(v->onset, &v->nonset, id);
            else
                slot_add(v->tok[v->ntok - 1].v, &v->tok[v->ntok - 1].nv, id);
            continue;
        }
        if (v->ntok > 0 && v->tok[v->ntok - 1].c == c && v->tok[v->ntok - 1].nv == 0)
            continue; /* doubled letter */
        if (v->ntok == NM_MAX_TOK)
            break;
        v->tok[v->ntok++].c = c;
    }
}

static int is_latin_generation(const char *s, size_t n)
{
    static const char *const words[] = {"jr", "sr", "junior", "senior", "ii", "iii", "iv", NULL};
    for (int i = 0; words[i]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return 1;
    return 0;
}

/* Reads one word s[0..n) of a form (no spaces inside) into w. */
static void word_read(const char *s, size_t n, NmWord *w)
{
    memset(w, 0, sizeof *w);
    while (n > 0 && (*s == '*' || *s == '!')) {
        if (*s == '*')
            w->native = 1;
        else
            w->generation = 1;
        s++, n--;
    }
    w->s = s;
    w->n = n;
    uint32_t sym[NM_MAX_SYM] = {0};
    size_t ns = 0, i = 0;
    while (i < n && ns < NM_MAX_SYM) {
        uint32_t cp = utf8_next(s, n, &i);
        if (ns == 0)
            w->latin = !(cp >= 0x0600 && cp <= 0x06FF);
        sym[ns++] = cp;
    }
    if (w->latin) {
        w->generation |= is_latin_generation(s, n);
        return;
    }
    var_build(sym, ns, &w->var[0], 0);
    w->nvar = 1;
    if (ns >= 5 && sym[0] == 0x0627 && sym[1] == C_L) {
        var_build(sym + 2, ns - 2, &w->var[1], 0);
        w->nvar = 2;
    }
    int any_w = 0;
    for (size_t k = 0; k < ns && !any_w; k++)
        any_w = w_consonant(sym, ns, k);
    if (any_w && !w->native)
        var_build(sym, ns, &w->var[w->nvar++], 1);
}

/* ---- costs ---- */

static double omit_cost(int id, int native)
{
    /* [vowel id]: -, ا, و, ي, ة. In an Arabic name only ا is ever left out
     * (the old spelling الرحمن, إسحق); و ي make another name (محمد/محمود) */
    static const double foreign[] = {0, 0.15, 0.2, 0.1, 0.2}, arabic[] = {0, 0.6, 1.0, 1.0, 0.5};
    return (native ? arabic : foreign)[id];
}

static int pair_is(int x, int y, int a, int b)
{
    return (x == a && y == b) || (x == b && y == a);
}

/* A different vowel in one slot (x != y, neither 0). */
static double quality_cost(int x, int y, int native)
{
    double c = pair_is(x, y, V_A, V_Y) ? 0.6 : pair_is(x, y, V_A, V_W) ? 0.7 : 1.0;
    return native ? c * 1.5 : c;
}

/* Is x[0..nx) a subsequence of y[0..ny)? */
static int subseq(const uint8_t *x, int nx, const uint8_t *y, int ny)
{
    int j = 0;
    for (int i = 0; i < nx; i++) {
        while (j < ny && y[j] != x[i])
            j++;
        if (j == ny)
            return 0;
        j++;
    }
    return 1;
}

/*
 * Cost of slot x against slot y inside a word; *quality is set when they
 * differ in a vowel rather than by vowels written in one only.
 */
static double slot_cost(const uint8_t *x, int nx, const uint8_t *y, int ny, int native,
                        int *quality)
{
    *quality = 0;
    if (nx == ny && memcmp(x, y, (size_t)nx) == 0)
        return 0;
    if (nx != ny && (subseq(x, nx, y, ny) || subseq(y, ny, x, nx))) {
        int cnt[5] = {0};
        for (int i = 0; i < nx; i++)
            cnt[x[i]]++;
        for (int i = 0; i < ny; i++)
            cnt[y[i]]--;
        double c = 0;
        for (int id = 1; id <= 4; id++)
            c += omit_cost(id, native) * (cnt[id] < 0 ? -cnt[id] : cnt[id]);
        return c;
    }
    *quality = 1;
    return quality_cost(x[nx - 1], y[ny - 1], native);
}

/*
 * The final vowel: X, Y the last vowel ids of two word-final slots (0 =
 * none). In an Arabic name a final ي is the nisba, another name
 * (محمد/محمدي, هاشم/هاشمي).
 */
static double final_cost(int x, int y, int native)
{
    if (x == y)
        return 0;
    if (native && pair_is(x, y, 0, V_Y))
        return 1.0;
    if (pair_is(x, y, V_A, V_H))
        return 0;   /* -a: ا, ة or ه */
    if (pair_is(x, y, V_H, V_Y))
        return 0.1; /* -e: ه or ي */
    if (pair_is(x, y, 0, V_H))
        return 0.2;
    if (pair_is(x, y, 0, V_Y))
        return 0.5; /* -i, -e, -y written or not */
    if (pair_is(x, y, 0, V_W))
        return 0.9;
    return 1.0;     /* an added -a, or -a/-o/-i against each other */
}

/* Cost of two word-final slots. */
static double final_slot_cost(const uint8_t *x, int nx, const uint8_t *y, int ny, int native)
{
    if (nx == ny && memcmp(x, y, (size_t)nx) == 0)
        return 0;
    int q;
    double c = final_cost(nx ? x[nx - 1] : 0, ny ? y[ny - 1] : 0, native);
    return c + slot_cost(x, nx ? nx - 1 : 0, y, ny ? ny - 1 : 0, native, &q);
}

static double onset_cost(const NmVar *a, const NmVar *b)
{
    if (a->nonset == b->nonset && memcmp(a->onset, b->onset, a->nonset) == 0)
        return 0;
    const NmVar *s = a->nonset <= b->nonset ? a : b, *l = s == a ? b : a;
    if (s->nonset == 0 && l->nonset == 1 && l->onset[0] == V_A)
        return 0.25; /* an initial ا written or not */
    if (s->nonset == 1 && s->onset[0] == V_A && l->nonset == 2 && l->onset[0] == V_A &&
        l->onset[1] == V_Y)
        return 0.3;  /* اي/ا: e, i */
    return 0.5;
}

static double subst_cost(uint32_t a, uint32_t b)
{
    static const struct {
        uint32_t a, b;
        double c;
    } near[] = {
        {C_T, C_TH, 0.0}, {C_W, C_F, 0.2},  {C_S, C_SH, 0.3}, {C_SH, C_K, 0.3},
        {C_Y, C_K, 0.3},  {C_KH, C_K, 0.3}, {C_KH, C_H, 0.3}, {C_S, C_TH, 0.3},
        {C_W, C_L, 0.6},  {C_Y, C_L, 0.6},  {C_T, C_D, 0.8},
    };
    if (a == b)
        return 0;
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++)
        if ((near[i].a == a && near[i].b == b) || (near[i].a == b && near[i].b == a))
            return near[i].c;
    return 1.5;
}

/* Cost of dropping token k (1-based) of v, with its slot. */
static double drop_cost(const NmVar *v, int k, int native)
{
    const NmTok *t = &v->tok[k - 1];
    uint32_t c = t->c, next = k < v->ntok ? v->tok[k].c : 0;
    int end = k == v->ntok, start = k == 1;
    double cost;
    if (c == C_T && next == C_S)
        cost = 0.3; /* tz, ts */
    else if (c == C_T && next == C_SH)
        cost = 0.3;
    else if (c == C_D && next == C_K)
        cost = 0.4; /* dj */
    else if ((c == C_T || c == C_D) && (next == C_S || next == C_K || next == C_SH))
        cost = 1.0;
    else if (c == C_H && (end || !start))
        cost = 0.3; /* silent h */
    else if (c == C_AIN)
        cost = start || end ? 0.3 : 0.4;
    else if (end && (c == C_T || c == C_D))
        cost = 0.7; /* French silent final consonants */
    else if (end && c == C_S)
        cost = 0.8;
    else
        cost = start || end ? 1.5 : 1.2;
    if (t->nv) {
        static const uint8_t none[1] = {0};
        int q;
        cost += end ? final_slot_cost(t->v, t->nv, none, 0, native)
                    : slot_cost(t->v, t->nv, none, 0, native, &q);
    }
    return cost;
}

/* Weighted edit distance of two word variants. */
static double var_cost(const NmVar *a, const NmVar *b, int native)
{
    double D[NM_MAX_TOK + 1][NM_MAX_TOK + 1];
    int n = a->ntok, m = b->ntok;
    D[0][0] = onset_cost(a, b);
    for (int i = 0; i <= n; i++)
        for (int j = 0; j <= m; j++) {
            if (i == 0 && j == 0)
                continue;
            double best = NM_INF;
            if (i > 0 && j > 0) {
                const NmTok *x = &a->tok[i - 1], *y = &b->tok[j - 1];
                double vc;
                if (i == n && j == m) {
                    vc = final_slot_cost(x->v, x->nv, y->v, y->nv, native);
                } else {
                    int q;
                    vc = slot_cost(x->v, x->nv, y->v, y->nv, native, &q);
                    /* -ov/-ev: the vowel before a word-final ف */
                    if (q && i == n - 1 && j == m - 1 && a->tok[i].c == C_F &&
                        b->tok[j].c == C_F && a->tok[i].nv == 0 && b->tok[j].nv == 0)
                        vc = 0.2;
                }
                best = D[i - 1][j - 1] + subst_cost(x->c, y->c) + vc;
            }
            if (i > 0) {
                double d = D[i - 1][j] + drop_cost(a, i, native);
                if (d < best)
                    best = d;
            }
            if (j > 0) {
                double d = D[i][j - 1] + drop_cost(b, j, native);
                if (d < best)
                    best = d;
            }
            D[i][j] = best;
        }
    return D[n][m];
}

/* Distance of two words as a multiple of what their length allows. */
static double word_distance(const NmWord *a, const NmWord *b)
{
    if (a->latin || b->latin)
        return a->latin && b->latin && a->n == b->n && memcmp(a->s, b->s, a->n) == 0 ? 0 : NM_INF;
    int native = a->native && b->native;
    double best = NM_INF;
    for (int i = 0; i < a->nvar; i++)
        for (int j = 0; j < b->nvar; j++) {
            int len = a->var[i].ntok > b->var[j].ntok ? a->var[i].ntok : b->var[j].ntok;
            double allow = 0.3 + 0.4 * (len > 3 ? len - 3 : 0);
            double d = var_cost(&a->var[i], &b->var[j], native) / allow;
            if (d < best)
                best = d;
        }
    return best;
}

/* ---- whole names ---- */

/* Splits a form into words (at spaces); returns how many (at most max). */
static int words_read(const char *s, size_t n, NmWord *w, int max)
{
    int nw = 0;
    size_t i = 0;
    while (i < n && nw < max) {
        while (i < n && s[i] == ' ')
            i++;
        size_t st = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i > st)
            word_read(s + st, i - st, &w[nw++]);
    }
    return nw;
}

double names_form_distance(const char *a, size_t na, const char *b, size_t nb)
{
    NmWord wa[NM_MAX_WORDS], wb[NM_MAX_WORDS];
    int p = words_read(a ? a : "", a ? na : 0, wa, NM_MAX_WORDS);
    int q = words_read(b ? b : "", b ? nb : 0, wb, NM_MAX_WORDS);
    const NmWord *s = wa, *l = wb; /* s: the name with fewer words */
    if (p > q) {
        int t = p;
        p = q;
        q = t;
        s = wb;
        l = wa;
    }
    if (p == 0)
        return NM_INF;
    /* g[i][j]: the worst word distance of the best alignment of s[0..i) in l[0..j) */
    double g[NM_MAX_WORDS + 1][NM_MAX_WORDS + 1];
    for (int i = 0; i <= p; i++)
        for (int j = 0; j <= q; j++) {
            if (i == 0 && j == 0) {
                g[i][j] = 0;
                continue;
            }
            double best = NM_INF;
            int k = j - 1; /* the word of l this step consumes */
            if (j > 0 && !l[k].generation && k != q - 1 && !(p >= 2 && k == 0) &&
                g[i][j - 1] < best)
                best = g[i][j - 1]; /* l[k] left out */
            if (i > 0 && j > 0 && g[i - 1][j - 1] < NM_INF) {
                double d = word_distance(&s[i - 1], &l[k]);
                if (d < g[i - 1][j - 1])
                    d = g[i - 1][j - 1];
                if (d < best)
                    best = d;
            }
            g[i][j] = best;
        }
    return g[p][q];
}

int names_match(const char *a, size_t na, const char *b, size_t nb)
{
    Buf fa = {0}, fb = {0}, ka = {0}, kb = {0}, sa = {0}, sb = {0};
    int rc = -1;
    if (names_form(a, na, &fa) == 0 && names_form(b, nb, &fb) == 0 &&
        names_key(a, na, &ka) == 0 && names_key(b, nb, &kb) == 0 &&
        names_skeleton(a, na, &sa) == 0 && names_skeleton(b, nb, &sb) == 0) {
        int same_key = ka.len == kb.len && ka.len && memcmp(ka.data, kb.data, ka.len) == 0;
        int alias = (ka.len != sa.len || memcmp(ka.data, sa.data, ka.len) != 0) ||
                    (kb.len != sb.len || memcmp(kb.data, sb.data, kb.len) != 0);
        rc = (same_key && alias) ||
             names_form_distance(fa.data, fa.len, fb.data, fb.len) <= 1.0 + 1e-9;
    }
    buf_free(&fa);
    buf_free(&fb);
    buf_free(&ka);
    buf_free(&kb);
    buf_free(&sa);
    buf_free(&sb);
    return rc;
}
