/*
 * quotes_choose.c — the trained speaker chooser (quotes.h): after the rules
 * of quotes.c have named a speaker, each quote's candidates are scored by a
 * linear model and the best one is kept. Without a model (quotes_find:
 * the chooser is off by default, see quotes.h) only this pass's rules run:
 * Quran citations, a one-word body's fuller organisation name and a
 * speaker of the other gender than the cue (gender_agreeing); the
 * candidates are still gathered (they bound the fuller-name search) but
 * get no features.
 *
 * Candidates: the rules' own choice (always; also when it is no entity: a
 * role, an unnamed source, nobody) and every distinct entity (person,
 * organisation, place, other) with a mention in the cue's sentence, the two
 * sentences before it, or the few words after the cue — never inside the
 * quote itself. An entity the rules chose, or whose key is the rules'
 * speaker key, is the rules' candidate.
 *
 * Features (binary, ids laid out by the templates below): where the mention
 * is relative to the cue (between cue and content, before the cue in its
 * sentence, one or two sentences back, after the quote, the words the
 * rules read at the cue), the distance in tokens, the entity type, a
 * preposition or a relative pronoun right before it, a byline, a quote
 * mark or a title before it, whether it opens its sentence, whether it was
 * the previous quote's speaker, how often the article names it; and the
 * rules' kind of speaker (person, role, implicit ...) crossed with those.
 *
 * Work: at most CH_CANDS candidates per quote, found in a window of at most
 * CH_WINDOW + CH_AFTER tokens, and fuller names of the words at the cue among
 * the CH_HEADS entities within NAME_LOOKBACK tokens before it: the pass is
 * linear in the number of quotes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"

extern const unsigned char quote_model_txt[];
extern const unsigned long quote_model_txt_len;

#define CH_CANDS 24    /* candidates of one quote */
#define CH_WINDOW 160  /* tokens looked at before the cue */
#define CH_AFTER 12    /* ... and after it */
#define CH_HEADS 64    /* entities looked back over for a fuller name of the words at the cue */

/* ---- feature templates ---- */

enum { P_SAID, P_CUE_AFTER, P_SAME_BEFORE, P_PREV1, P_PREV2, P_AFTER_QUOTE, P_FAR, NPOS };
enum { TY_PER, TY_ORG, TY_LOC, TY_MISC, TY_NONE, NTY };
enum { NDIST = 6 };
enum {
    FL_PREP, FL_REL, FL_BYLINE, FL_QMARK, FL_TITLE, FL_SUBJ, FL_PREVSPK, FL_MENT2, FL_MENT4,
    FL_EMPTY, FL_HEAD, NFL
};
enum { NKIND = 6 }; /* QS_UNKNOWN .. QS_IMPLICIT */
enum { NCUEG = 4 }; /* G_ANY, G_M, G_F, G_P */

static const char *const pos_name[NPOS] = {"said", "cue_after", "same_before", "prev1",
                                           "prev2", "after_quote", "far"};
static const char *const ty_name[NTY] = {"PER", "ORG", "LOC", "MISC", "none"};
static const char *const fl_name[NFL] = {"prep", "rel", "byline", "qmark", "title", "subj",
                                         "prevspk", "ment2", "ment4", "empty", "head"};
static const char *const kind_name[NKIND] = {"unknown", "person", "role",
                                             "institution", "anonymous", "implicit"};
static const char *const cueg_name[NCUEG] = {"any", "m", "f", "p"};
static const char *const dist_name[NDIST] = {"1", "3", "6", "12", "24", "far"};

/* Templates: a name and one or two value sets. */
typedef struct Tmpl {
    const char *name;
    const char *const *a;
    unsigned na;
    const char *const *b;
    unsigned nb;
} Tmpl;

static const char *const one[1] = {""};

enum {
    T_RULE, T_RULEK, T_TYPE, T_POS, T_DIST, T_FLAG, T_POSTYPE, T_POSDIST, T_KPOS, T_CUEGTYPE,
    T_KFLAG, T_KTYPE, T_RULEFLAG, T_RULEPOS, NTMPL
};

static const Tmpl tmpl[NTMPL] = {
    {"rule", one, 1, NULL, 0},
    {"rulek", kind_name, NKIND, NULL, 0},
    {"type", ty_name, NTY, NULL, 0},
    {"pos", pos_name, NPOS, NULL, 0},
    {"d", dist_name, NDIST, NULL, 0},
    {"f", fl_name, NFL, NULL, 0},
    {"pos&type", pos_name, NPOS, ty_name, NTY},
    {"pos&d", pos_name, NPOS, dist_name, NDIST},
    {"k&pos", kind_name, NKIND, pos_name, NPOS},
    {"cue&type", cueg_name, NCUEG, ty_name, NTY},
    {"k&f", kind_name, NKIND, fl_name, NFL},
    {"k&type", kind_name, NKIND, ty_name, NTY},
    {"rule&f", fl_name, NFL, NULL, 0},
    {"rule&pos", pos_name, NPOS, NULL, 0},
};

static unsigned tmpl_size(int t) { return tmpl[t].na * (tmpl[t].b ? tmpl[t].nb : 1); }

static unsigned tmpl_base(int t)
{
    unsigned b = 0;
    for (int i = 0; i < t; i++)
        b += tmpl_size(i);
    return b;
}

static unsigned base[NTMPL];
static pthread_once_t base_once = PTHREAD_ONCE_INIT;

static void base_init(void)
{
    for (int t = 0; t < NTMPL; t++)
        base[t] = tmpl_base(t);
}

int quotes_feature_name(unsigned f, char *buf, size_t n)
{
    pthread_once(&base_once, base_init);
    if (!n)
        return 0;
    buf[0] = 0;
    for (int t = 0; t < NTMPL; t++) {
        if (f < base[t] || f >= base[t] + tmpl_size(t))
            continue;
        unsigned v = f - base[t], nb = tmpl[t].b ? tmpl[t].nb : 1;
        unsigned va = v / nb, vb = v % nb;
        if (tmpl[t].b)
            snprintf(buf, n, "%s=%s/%s", tmpl[t].name, tmpl[t].a[va], tmpl[t].b[vb]);
        else if (tmpl[t].na == 1)
            snprintf(buf, n, "%s", tmpl[t].name);
        else
            snprintf(buf, n, "%s=%s", tmpl[t].name, tmpl[t].a[va]);
        return 1;
    }
    return 0;
}

/* The id of a feature name, or -1. */
static int feature_id(const char *name)
{
    char b[64];
    for (unsigned f = 0; f < QC_NFEAT && quotes_feature_name(f, b, sizeof b); f++)
        if (strcmp(b, name) == 0)
            return (int)f;
    return -1;
}

int quotes_chooser_parse(QuoteChooser *m, const char *text, size_t n, size_t *err_line)
{
    memset(m, 0, sizeof *m);
    const char *p = text, *end = text + n;
    size_t line_no = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        line_no++;
        if (len && *p != '#') {
            char line[128], name[64];
            double v;
            if (len >= sizeof line)
                goto bad;
            memcpy(line, p, len);
            line[len] = 0;
            if (sscanf(line, "%63s %lf", name, &v) != 2 || !(v > -1e6 && v < 1e6))
                goto bad;
            if (strcmp(name, "margin") == 0) {
                if (v < 0)
                    goto bad;
                m->margin = (float)v;
            } else {
                int f = feature_id(name);
                if (f < 0)
                    goto bad;
                m->w[f] = (float)v;
            }
        }
        p = le + 1;
    }
    return 0;
bad:
    if (err_line)
        *err_line = line_no;
    return -1;
}

static QuoteChooser embedded;
static int embedded_ok;
static pthread_once_t embedded_once = PTHREAD_ONCE_INIT;

static void embedded_load(void)
{
    embedded_ok = quotes_chooser_parse(&embedded, (const char *)quote_model_txt,
                                       (size_t)quote_model_txt_len, NULL) == 0;
}

const QuoteChooser *quotes_chooser(void)
{
    pthread_once(&embedded_once, embedded_load);
    return embedded_ok ? &embedded : NULL;
}

void quotes_cands_free(QuoteCands *c)
{
    free(c->items);
    buf_free(&c->keys);
    memset(c, 0, sizeof *c);
}

/* ---- candidates ---- */

typedef struct Cand {
    int32_t ent;        /* entity, or -1 for the rules' non-entity choice */
    uint32_t f, l;      /* its mention's tokens [f,l] (the one nearest the cue) */
    uint8_t rule;
    uint8_t head;       /* a fuller name of the words at the cue (الاتحاد → الاتحاد الجزائري ...) */
    uint8_t nf;
    uint16_t feat[QC_MAXF];
} Cand;

static void add_feat(Cand *c, int t, unsigned a, unsigned b)
{
    unsigned nb = tmpl[t].b ? tmpl[t].nb : 1;
    if (c->nf < QC_MAXF)
        c->feat[c->nf++] = (uint16_t)(base[t] + a * nb + b);
}

static int ent_type(const QCtx *x, int32_t e)
{
    switch (x->ents->items[e].type) {
    case NER_PERS: return TY_PER;
    case NER_ORG: return TY_ORG;
    case NER_LOC: return TY_LOC;
    default: return TY_MISC;
    }
}

static int same_key(const QCtx *x, int32_t e, const char *k, size_t kn)
{
    const Entity *en = &x->ents->items[e];
    return kn && en->key_len == kn && memcmp(x->ents->keys.data + en->key_off, k, kn) == 0;
}

static unsigned dist_bucket(size_t d)
{
    return d <= 1 ? 0 : d <= 3 ? 1 : d <= 6 ? 2 : d <= 12 ? 3 : d <= 24 ? 4 : 5;
}

/* First token of the sentence before the one starting at s (s itself at 0). */
static size_t prev_sentence(const QCtx *x, size_t s) { return s ? x->sb[s - 1] : 0; }

typedef struct QInfo {
    size_t c;            /* the anchor: the cue token, else the quote's first token */
    int has_cue;
    size_t a, b;         /* the quote's tokens [a,b) */
    size_t sa, sb;       /* the words the rules read at the cue [sa,sb) */
    size_t s0, s1, s2;   /* starts of the anchor's sentence and the two before */
    int kind, cueg;
    const char *pk;      /* the previous quote's key */
    size_t pkn;
} QInfo;

/* Can entity e be another candidate than the rules' own? Never a nationality
   adjective (يمنية of قيادات يمنية), a byline's writer, or one person for a
   plural cue (سامي الحربي- سبق- جدة: هم ...، ووصفوا) — as the rules decide. */
static int may_speak(const QCtx *x, const QInfo *qi, int32_t e)
{
    return !nationality_adj(x, x->ent_first[e]) && !byline(x, e) &&
           !(qi->cueg == G_P && x->ents->items[e].type == NER_PERS);
}

static int position(const QCtx *x, const QInfo *qi, size_t f)
{
    if (qi->sa < qi->sb && f >= qi->sa && f < qi->sb)
        return P_SAID;
    if (f > qi->c) /* قال X إن ...، or «...» قال X */
        return f < qi->a || qi->c >= qi->b ? P_CUE_AFTER : P_AFTER_QUOTE;
    if (f >= qi->s0)
        return f >= qi->b && qi->b <= qi->c ? P_AFTER_QUOTE : P_SAME_BEFORE;
    if (f >= qi->s1)
        return P_PREV1;
    if (f >= qi->s2)
        return P_PREV2;
    (void)x;
    return P_FAR;
}

static void features(const QCtx *x, const QInfo *qi, Cand *c, const uint16_t *ment,
                     const char *key, size_t kn)
{
    c->nf = 0;
    int ty = c->ent >= 0 ? ent_type(x, c->ent) : TY_NONE;
    int empty = c->ent < 0 && c->f > c->l;
    int pos = empty ? P_FAR : position(x, qi, c->f);
    size_t f = c->f;
    size_t d = empty ? 1000 : f > qi->c ? f - qi->c : qi->c - f;
    unsigned db = dist_bucket(d);
    int fl[NFL] = {0};
    if (!empty) {
        fl[FL_PREP] = has(x, f, T_LPREP) || (f > 0 && has(x, f - 1, T_PREPW)) ||
                      (c->ent >= 0 && x->ents->items[c->ent].name_start > x->tok[f].start &&
                       !has(x, f, T_WAW));
        for (size_t k = f; k > 0 && k + 4 > f && k > x->sb[f]; k--)
            if (has(x, k - 1, T_REL))
                fl[FL_REL] = 1;
        fl[FL_BYLINE] = c->ent >= 0 && byline(x, c->ent);
        fl[FL_QMARK] = f > 0 && has(x, f - 1, T_QMARK);
        fl[FL_TITLE] = f > 0 && (x->role_of[f - 1] >= 0 || cat(x, f - 1, C_ROLE));
        fl[FL_SUBJ] = f - x->sb[f] <= 3;
        fl[FL_PREVSPK] = qi->pkn && kn == qi->pkn && memcmp(key, qi->pk, kn) == 0;
        if (c->ent >= 0) {
            uint16_t m = ment[x->best[c->ent] >= 0 ? x->best[c->ent] : c->ent];
            fl[FL_MENT2] = m >= 2;
            fl[FL_MENT4] = m >= 4;
        }
    }
    fl[FL_EMPTY] = empty;
    fl[FL_HEAD] = c->head;
    if (c->rule) {
        add_feat(c, T_RULE, 0, 0);
        add_feat(c, T_RULEK, (unsigned)qi->kind, 0);
        add_feat(c, T_RULEPOS, (unsigned)pos, 0);
    }
    add_feat(c, T_TYPE, (unsigned)ty, 0);
    add_feat(c, T_POS, (unsigned)pos, 0);
    add_feat(c, T_DIST, db, 0);
    add_feat(c, T_POSTYPE, (unsigned)pos, (unsigned)ty);
    add_feat(c, T_POSDIST, (unsigned)pos, db);
    add_feat(c, T_KPOS, (unsigned)qi->kind, (unsigned)pos);
    add_feat(c, T_CUEGTYPE, (unsigned)qi->cueg, (unsigned)ty);
    add_feat(c, T_KTYPE, (unsigned)qi->kind, (unsigned)ty);
    for (int k = 0; k < NFL; k++)
        if (fl[k]) {
            add_feat(c, T_FLAG, (unsigned)k, 0);
            add_feat(c, T_KFLAG, (unsigned)qi->kind, (unsigned)k);
            if (c->rule)
                add_feat(c, T_RULEFLAG, (unsigned)k, 0);
        }
}

static double score(const QuoteChooser *m, const Cand *c)
{
    double s = 0;
    for (unsigned k = 0; k < c->nf; k++)
        s += m->w[c->feat[k]];
    return s;
}

/* The key of entity e (NULL, 0 if none). */
static const char *ent_key(const QCtx *x, int32_t e, size_t *kn)
{
    const Entity *en = &x->ents->items[e];
    *kn = en->key_len;
    return en->key_len ? x->ents->keys.data + en->key_off : NULL;
}

/* A Quran citation (قال تعالى، قال سبحانه وتعالى، قال عز وجل): the speaker is
   the word الله before the cue in its sentence, else nobody (never تعالى).
   عز alone begins names (عز الدين): only عز وجل counts. */
static int word_is(const QCtx *x, size_t i, const char *w)
{
    if (i >= x->n)
        return 0;
    const rasd_token *t = &x->tok[i];
    size_t n = strlen(w);
    return t->end - t->start == n && memcmp(x->text + t->start, w, n) == 0;
}

static int divine_epithet(const QCtx *x, size_t i)
{
    return word_is(x, i, "تعالى") || word_is(x, i, "سبحانه") ||
           (word_is(x, i, "عز") && word_is(x, i + 1, "وجل"));
}

static void divine_speaker(QCtx *x, Quote *q, size_t c)
{
    static const char allah[] = "الله";
    q->spk_start = q->spk_end = 0;
    q->key_len = 0;
    q->kind = QS_UNKNOWN;
    q->resolved = 0;
    for (size_t k = c; k > 0 && k + 12 > c && k > x->sb[c]; k--) {
        const rasd_token *t = &x->tok[k - 1];
        size_t n = t->end - t->start;
        if (n >= sizeof allah - 1 &&
            memcmp(x->text + t->end - (sizeof allah - 1), allah, sizeof allah - 1) == 0 &&
            n <= sizeof allah) { /* الله، والله */
            q->spk_start = t->end - (uint32_t)(sizeof allah - 1);
            q->spk_end = t->end;
            q->key_off = (uint32_t)x->out->keys.len;
            buf_append(&x->out->keys, allah, sizeof allah - 1);
            q->key_len = (uint32_t)(sizeof allah - 1);
            q->kind = QS_PERSON;
            q->resolved = 1;
            return;
        }
    }
}

/* Does entity e's key begin (institution) or end (person) with the key word
   of token w, and is it longer? (الاتحاد → الاتحاد الجزائري لكرة القدم) */
static int fuller_name(const QCtx *x, int32_t e, size_t w)
{
    const char *b;
    size_t bn = bare(x, w, &b);
    size_t kn;
    const char *k = ent_key(x, e, &kn);
    if (!k || bn < 4 || kn <= bn + 1)
        return 0;
    return (memcmp(k, b, bn) == 0 && k[bn] == ' ') ||
           (x->ents->items[e].type == NER_PERS && memcmp(k + kn - bn, b, bn) == 0 &&
            k[kn - bn - 1] == ' ');
}

static size_t tok_at(const QCtx *x, uint32_t byte) { return token_ending_after(x->tok, x->n, byte); }

/* The quote's tokens, cue, sentences and the rules' kind; 0 if it has none to read. */
static int quote_info(const QCtx *x, const Quote *q, const Buf *pkey, QInfo *qi)
{
    memset(qi, 0, sizeof *qi);
    qi->a = tok_at(x, q->start);
    qi->b = tok_at(x, q->end ? q->end - 1 : 0) + 1;
    qi->has_cue = q->cue_start < q->cue_end;
    qi->c = qi->has_cue ? tok_at(x, q->cue_start) : qi->a;
    if (qi->c >= x->n || qi->a >= x->n)
        return 0;
    if (q->said_start < q->said_end) {
        qi->sa = tok_at(x, q->said_start);
        qi->sb = tok_at(x, q->said_end - 1) + 1;
    }
    qi->s0 = x->sb[qi->c];
    qi->s1 = prev_sentence(x, qi->s0);
    qi->s2 = prev_sentence(x, qi->s1);
    qi->kind = q->kind < NKIND ? q->kind : 0;
    if (qi->has_cue) {
        uint8_t f = x->ti[qi->c].cue;
        qi->cueg = (f & F_PLUR) ? G_P : (f & F_FEM) ? G_F : G_M;
    } else {
        qi->cueg = G_ANY;
    }
    qi->pk = pkey->data;
    qi->pkn = pkey->len;
    return 1;
}

/* The candidates of one quote: the rules' choice first. */
typedef struct CandSet {
    Cand c[CH_CANDS];
    size_t n;
    const char *qkey;   /* the rules' speaker key (NULL: none) */
    size_t qkn;
    size_t head_word;   /* the word whose fuller names were looked for (x->n: none) */
} CandSet;

static void add_cand(const QCtx *x, CandSet *cs, int32_t e)
{
    Cand *c = &cs->c[cs->n++];
    memset(c, 0, sizeof *c);
    c->ent = e;
    c->f = x->ent_first[e];
    c->l = x->ent_last[e];
}

static int32_t ident(const QCtx *x, int32_t e) { return x->best[e] >= 0 ? x->best[e] : e; }

static void rule_cand(const QCtx *x, const Quote *q, CandSet *cs)
{
    Cand *c = &cs->c[0];
    memset(c, 0, sizeof *c);
    cs->n = 1;
    c->ent = -1;
    c->rule = 1;
    cs->qkey = q->key_len ? x->out->keys.data + q->key_off : NULL;
    cs->qkn = q->key_len;
    if (q->spk_start < q->spk_end || q->said_start < q->said_end) {
        uint32_t s = q->said_start < q->said_end ? q->said_start : q->spk_start;
        uint32_t e = q->said_start < q->said_end ? q->said_end : q->spk_end;
        c->f = (uint32_t)tok_at(x, s);
        c->l = (uint32_t)tok_at(x, e - 1);
    } else {
        c->f = 1; /* f > l: nobody */
        c->l = 0;
    }
}

/* Is entity e the rules' own choice: its key, or the mention it named? */
static int rules_choice(const QCtx *x, const QInfo *qi, const Quote *q, const CandSet *cs,
                        int32_t e)
{
    size_t ekn;
    const char *ek = ent_key(x, e, &ekn);
    const Entity *en = &x->ents->items[e];
    return (cs->qkey && ek && ekn == cs->qkn && memcmp(ek, cs->qkey, ekn) == 0) ||
           (en->start < q->spk_end && en->end > q->spk_start) ||
           (qi->sa < qi->sb && x->ent_first[e] < qi->sb && x->ent_last[e] >= qi->sa);
}

/* The entities mentioned in the cue's sentence, the two before it and right
   after the cue, one candidate per identity (its mention nearest the cue). */
static void window_cands(const QCtx *x, const QInfo *qi, const Quote *q, CandSet *cs)
{
    size_t lo = qi->s2, hi = qi->c + CH_AFTER;
    if (qi->c > CH_WINDOW && lo < qi->c - CH_WINDOW)
        lo = qi->c - CH_WINDOW;
    if (hi > x->n)
        hi = x->n;
    for (size_t i = hi; i > lo && cs->n < CH_CANDS; i--) {
        size_t t = i - 1;
        int32_t e = x->ent_of[t];
        if (e < 0 || (t >= qi->a && t < qi->b) || (i < hi && x->ent_of[t + 1] == e) ||
            !may_speak(x, qi, e))
            continue; /* not an entity's last token in the window, inside the quote,
                         or one that cannot speak here */
        if (rules_choice(x, qi, q, cs, e)) {
            if (cs->c[0].ent < 0) {
                cs->c[0].ent = e;
                cs->c[0].f = x->ent_first[e];
                cs->c[0].l = x->ent_last[e];
            }
            continue;
        }
        size_t ekn;
        const char *ek = ent_key(x, e, &ekn);
        size_t k = 1;
        while (k < cs->n && ident(x, cs->c[k].ent) != ident(x, e) &&
               !(ek && same_key(x, cs->c[k].ent, ek, ekn)))
            k++;
        if (k == cs->n) {
            add_cand(x, cs, e);
            continue;
        }
        size_t f = x->ent_first[e], d = f > qi->c ? f - qi->c : qi->c - f;
        size_t f0 = cs->c[k].f, d0 = f0 > qi->c ? f0 - qi->c : qi->c - f0;
        if (d < d0) {
            cs->c[k].f = x->ent_first[e];
            cs->c[k].l = x->ent_last[e];
            cs->c[k].ent = e;
        }
    }
}

/* Fuller names, earlier in the article, of the words the rules read at the
   cue (or of the one word they resolved an implicit speaker to). */
static void head_cands(const QCtx *x, const QInfo *qi, CandSet *cs)
{
    size_t w = x->n, from = 0;
    if (qi->sa < qi->sb) {
        w = qi->sa;
        while (w + 1 < qi->sb && !is_word(x, w))
            w++;
        from = qi->sa;
    } else if (cs->c[0].f == cs->c[0].l && cs->c[0].f < x->n) {
        w = from = cs->c[0].f;
    }
    cs->head_word = w;
    if (w >= x->n)
        return;
    size_t seen = 0;
    for (size_t i = from; i > 0 && from - i < NAME_LOOKBACK && seen < CH_HEADS && cs->n < CH_CANDS;
         i--) {
        int32_t e = x->ent_of[i - 1];
        if (e < 0 || x->ent_first[e] != i - 1)
            continue;
        seen++;
        if (!fuller_name(x, e, w) || !may_speak(x, qi, e) ||
            (cs->c[0].ent >= 0 && ident(x, cs->c[0].ent) == ident(x, e)))
            continue;
        size_t k = 1;
        while (k < cs->n && ident(x, cs->c[k].ent) != ident(x, e))
            k++;
        if (k == cs->n)
            add_cand(x, cs, e);
        cs->c[k].head = 1;
    }
}

/* Features of every candidate; the model's pick (0, the rules', without a model). */
static size_t score_cands(const QCtx *x, const QInfo *qi, CandSet *cs, const uint16_t *ment,
                          const QuoteChooser *m)
{
    size_t best = 0;
    double bs = 0;
    for (size_t k = 0; k < cs->n; k++) {
        size_t kn = cs->qkn;
        const char *kk = cs->qkey;
        if (!cs->c[k].rule)
            kk = ent_key(x, cs->c[k].ent, &kn);
        features(x, qi, &cs->c[k], ment, kk, kn);
        if (m) {
            double s = score(m, &cs->c[k]);
            if (k == 0 || s > bs + (best == 0 ? m->margin : 0) + 1e-9) {
                bs = s;
                best = k;
            }
        }
    }
    return best;
}

/* Appends the candidates, their names, keys and features to out (training data). */
static void emit_cands(QCtx *x, const Quote *q, const CandSet *cs, QuoteCands *out)
{
    Buf *keys = &x->out->keys;
    for (size_t k = 0; k < cs->n; k++) {
        if (out->n == out->cap) {
            size_t ncap = out->cap ? out->cap * 2 : 64;
            QuoteCand *ni = realloc(out->items, ncap * sizeof *ni);
            if (!ni) {
                out->keys.oom = 1; /* reported by quotes_find_with */
                return;
            }
            out->items = ni;
            out->cap = ncap;
        }
        QuoteCand *oc = &out->items[out->n++];
        memset(oc, 0, sizeof *oc);
        oc->q_start = q->start;
        oc->q_end = q->end;
        oc->rule = cs->c[k].rule;
        oc->nf = cs->c[k].nf;
        memcpy(oc->f, cs->c[k].feat, sizeof oc->f);
        oc->key_off = (uint32_t)out->keys.len;
        if (cs->c[k].rule) {
            oc->ns = q->spk_start < q->spk_end ? q->spk_start : q->said_start;
            oc->ne = q->spk_start < q->spk_end ? q->spk_end : q->said_end;
            if (cs->qkn)
                buf_append(&out->keys, cs->qkey, cs->qkn);
        } else {
            Spk s = {0};
            s.ent = -1;
            size_t keep = keys->len;
            spk_from_entity(x, &s, cs->c[k].ent, QS_PERSON);
            oc->ns = s.ns;
            oc->ne = s.ne;
            if (s.key_len)
                buf_append(&out->keys, keys->data + s.key_off, s.key_len);
            if (keys->data) { /* only a look: drop the keys again */
                keys->len = keep;
                keys->data[keep] = 0;
            }
        }
        oc->key_len = (uint32_t)(out->keys.len - oc->key_off);
    }
}

/* A rule: the rules' speaker is one definite word (الاتحاد، الوزارة) and the
   article names one organisation in full with it (الاتحاد الجزائري لكرة
   القدم): that one's index, else 0. */
static size_t fuller_organisation(const QCtx *x, size_t qn, const CandSet *cs)
{
    const Quote *q = &x->out->items[qn];
    const Cand *r = &cs->c[0];
    if (cs->head_word >= x->n || r->f != r->l || !has(x, r->f, T_DEF) ||
        (q->kind != QS_INSTITUTION && q->kind != QS_IMPLICIT))
        return 0;
    size_t hk = 0, nh = 0, sk = 0, ns = 0;
    for (size_t k = 1; k < cs->n; k++)
        if (cs->c[k].head && ent_type(x, cs->c[k].ent) == TY_ORG) {
            hk = k;
            nh++;
            /* (of several, the one an earlier quote of the article named:
               الاتحاد الجزائري لكرة القدم, not the tagger's الاتحاد الجزائري الحفاظ;
               the last EVENTS quotes) */
            size_t kn;
            const char *kk = ent_key(x, cs->c[k].ent, &kn);
            for (size_t p = qn > EVENTS ? qn - EVENTS : 0; kk && p < qn; p++) {
                const Quote *o = &x->out->items[p];
                if (o->key_len == kn && !memcmp(x->out->keys.data + o->key_off, kk, kn)) {
                    sk = k;
                    ns++;
                    break;
                }
            }
        }
    return nh == 1 ? hk : ns == 1 ? sk : 0;
}

/* A rule: the gender of a singular cue clashes with the one the rules'
   speaker's listed first name tells (وقالت ... محمد، وأضاف ... فاطمة): the
   nearest candidate person whose listed first name agrees, else 0 (the
   rules' choice stands: an unlisted name tells nothing). When a given name
   of the cue's gender stands right before the speaker's words, or inside
   them further on, *cut is set to it instead (the name starts there). */
static size_t gender_agreeing(const QCtx *x, const QInfo *qi, const Quote *q, const CandSet *cs,
                              size_t *cut)
{
    *cut = 0;
    if ((qi->cueg != G_M && qi->cueg != G_F) || q->spk_start >= q->spk_end)
        return 0;
    /* (a verbal noun with no pronoun marks no gender: بالقول) */
    uint8_t f = x->ti[qi->c].cue;
    if (qi->cueg == G_M && (f & F_INTRO) && !(f & F_PART) && !has(x, qi->c, T_PRON))
        return 0;
    size_t a = tok_at(x, q->spk_start), b = tok_at(x, q->spk_end - 1) + 1;
    int ng = name_gender(x, a, b);
    if (!(qi->cueg == G_M ? ng == G_F : ng == G_M))
        return 0;
    if (qi->cueg == G_F && a >= 1) {
        /* a woman's given name (and بنت) right before a man's name: the
           tagger cut her name to her father's (نورة بنت عبدالله الحزيمي) */
        size_t w = a - 1;
        static const char *const bint[] = {"بنت", "ابنه"};
        if (w >= 1 && x->ent_of[w] < 0 && bare_in(x, w, bint, 2))
            w--;
        if (x->ent_of[w] < 0 && given_gender(x, w) == G_F) {
            *cut = w;
            return 0;
        }
    }
    if (b - a >= 4) {
        /* two names the tagger ran together (شركة سعد خالد العمر هالة
           الشمري): the one from the given name of the cue's gender on */
        for (size_t j = a + 2; j + 1 < b; j++)
            if (given_gender(x, j) == qi->cueg) {
                *cut = j;
                return 0;
            }
    }
    for (size_t k = 1; k < cs->n; k++) {
        int32_t e = cs->c[k].ent;
        if (e >= 0 && ent_type(x, e) == TY_PER &&
            name_gender(x, x->ent_first[e], x->ent_last[e] + 1) == qi->cueg)
            return k;
    }
    return 0;
}

/* Gives quote qn the speaker entity e. */
static void take_entity(QCtx *x, size_t qn, int32_t e)
{
    int kind = ent_type(x, e) == TY_PER ? QS_PERSON : QS_INSTITUTION;
    Spk s = {0};
    s.ent = -1;
    spk_from_entity(x, &s, e, kind);
    Quote *q = &x->out->items[qn];
    q->spk_start = s.ns;
    q->spk_end = s.ne;
    q->key_off = s.key_off;
    q->key_len = s.key_len;
    q->resolved = 1;
    if (q->kind != QS_IMPLICIT)
        q->kind = (uint8_t)kind;
}

/* Gives quote qn the speaker named by the words [a,b). */
static void take_words(QCtx *x, size_t qn, size_t a, size_t b, int g)
{
    Spk s;
    spk_from_name(x, &s, a, b, g);
    Quote *q = &x->out->items[qn];
    q->spk_start = s.ns;
    q->spk_end = s.ne;
    q->key_off = s.key_off;
    q->key_len = s.key_len;
    if (q->kind != QS_IMPLICIT)
        q->kind = QS_PERSON;
}

void quotes_choose(QCtx *x, const QuoteChooser *m, QuoteCands *out)
{
    pthread_once(&base_once, base_init);
    QuoteList *l = x->out;
    if (!l->n)
        return;
    /* without a model and without training output only the rules of this
       pass run (Quran citations, fuller organisations): no features, no
       scores */
    int scan = m || out;
    uint16_t *ment = NULL;
    if (x->ents && scan) {
        ment = calloc(x->ents->n, sizeof *ment);
        if (!ment)
            return; /* the rules' choices stand */
        for (size_t e = 0; e < x->ents->n; e++) {
            size_t b = (size_t)ident(x, (int32_t)e);
            if (ment[b] < UINT16_MAX)
                ment[b]++;
        }
    }
    CandSet cs;
    Buf pkey = {0};
    for (size_t qn = 0; qn < l->n; qn++) {
        Quote *q = &l->items[qn];
        QInfo qi;
        if (!quote_info(x, q, &pkey, &qi))
            continue;
        if (qi.has_cue && qi.sa < qi.sb && divine_epithet(x, qi.sa)) {
            divine_speaker(x, q, qi.c);
            continue;
        }
        rule_cand(x, q, &cs);
        cs.head_word = x->n;
        if (x->ents) {
            window_cands(x, &qi, q, &cs); /* (they bound head_cands: CH_CANDS) */
            head_cands(x, &qi, &cs);
        }
        size_t best = scan ? score_cands(x, &qi, &cs, ment, m) : 0;
        if (out)
            emit_cands(x, q, &cs, out);
        if (best == 0)
            best = fuller_organisation(x, qn, &cs);
        size_t cut = 0;
        if (best == 0)
            best = gender_agreeing(x, &qi, q, &cs, &cut);
        if (cut)
            take_words(x, qn, cut, tok_at(x, l->items[qn].spk_end - 1) + 1, qi.cueg);
        if (best != 0)
            take_entity(x, qn, cs.c[best].ent);
        q = &l->items[qn];
        buf_reset(&pkey);
        if (q->key_len)
            buf_append(&pkey, l->keys.data + q->key_off, q->key_len);
    }
    buf_free(&pkey);
    free(ment);
}
