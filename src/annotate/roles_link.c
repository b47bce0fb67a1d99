/*
 * roles_link.c — the role finder's entry points (roles.h): every office
 * phrase of a document parsed (roles.c), attached to the person it names
 * or linked, as a role-only mention, to the one holder it stands for; and
 * the roles as JSON. Split out of roles.c; see there for the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "roles_impl.h"
#include "names.h"
#include "ner.h"

/* ======================================================================
 * Finding, attaching, linking
 * ==================================================================== */

void roles_free(RoleList *l)
{
    free(l->items);
    buf_free(&l->keys);
    memset(l, 0, sizeof *l);
}

const char *roles_key(const RoleList *l, const Role *r, size_t i, size_t *len)
{
    if (!l->keys.data || i >= r->noffices) {
        *len = 0;
        return "";
    }
    *len = r->key_len[i];
    return l->keys.data + r->key_off[i];
}

/* Per token, the entity covering it (-1 none). */
static int32_t *map_entities(const rasd_doc *d, const EntityList *el)
{
    size_t n = rasd_doc_ntokens(d);
    const rasd_token *tok = rasd_doc_tokens(d);
    int32_t *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return NULL;
    size_t e = 0;
    for (size_t i = 0; i < n; i++) {
        while (e < el->n && el->items[e].end <= tok[i].start)
            e++;
        m[i] = e < el->n && el->items[e].start <= tok[i].start && tok[i].end <= el->items[e].end
                   ? (int32_t)e : -1;
    }
    return m;
}

/*
 * Bytes of text at the start of token t that are its proclitics other
 * than the article (ووزير → و, لوزير → ل), so a role's span starts at its
 * noun; 0 when the text does not spell them plainly (لل, tashkeel on them).
 */
static uint32_t clitic_bytes(const rasd_doc *d, const rasd_token *t)
{
    size_t n = t->pre_len;
    if (n >= 4 && memcmp(t->key + n - 4, AR_ALEF_LAM, 4) == 0)
        n -= 4; /* the article stays in the span */
    else if (n >= 4 && memcmp(t->key + n - 4, AR_LAM_LAM, 4) == 0)
        return 0; /* للوزير: ل + ال with the alef elided */
    size_t tl;
    const char *text = rasd_doc_text(d, &tl);
    if (!n || t->start + n >= t->end || t->end > tl || memcmp(text + t->start, t->key, n) != 0)
        return 0;
    return (uint32_t)n;
}

static int add_role(RoleList *l, size_t *cap, const Ctx *c, const Phrase *p, int from, int to,
                    int kind, int entity)
{
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        Role *ni = realloc(l->items, nc * sizeof *ni);
        if (!ni)
            return -1;
        l->items = ni;
        *cap = nc;
    }
    Role *r = &l->items[l->n];
    memset(r, 0, sizeof *r);
    r->first = p->off[from].first;
    r->last = p->off[to - 1].last;
    r->start = c->tok[r->first].start + clitic_bytes(c->d, &c->tok[r->first]);
    r->end = c->tok[r->last].end;
    r->kind = (uint8_t)kind;
    r->flags = p->flags;
    r->entity = entity;
    for (int i = from; i < to; i++) {
        size_t at = l->keys.len;
        roles_office_key(&p->off[i], &l->keys);
        size_t len = l->keys.len - at;
        buf_putc(&l->keys, 0);
        r->key_off[r->noffices] = (uint32_t)at;
        r->key_len[r->noffices] = (uint16_t)(len > 65535 ? 65535 : len);
        r->noffices++;
    }
    if (from > 0) /* a split chain: the first office's gender only */
        r->flags &= (uint8_t)~ROLE_FEM;
    r->flags = (uint8_t)((r->flags & ~ROLE_DEFINITE) | (p->off[from].definite ? ROLE_DEFINITE : 0));
    l->n++;
    return l->keys.oom ? -1 : 0;
}

/* Is the role phrase (ending at token last) closed by punctuation or the sentence end? */
static int closed_after(const Ctx *c, uint32_t last, uint32_t lim)
{
    return last + 1 >= lim || c->tok[last + 1].type == RASD_TOK_PUNCT;
}

/* The person a phrase is in apposition with: *kind and the entity, or -1. */
static int attach(const Ctx *c, const Phrase *p, uint32_t sbeg, uint32_t lim, int *kind)
{
    int n;
    uint32_t k = p->last + 1;
    if (k < lim && roles_is_comma(&c->tok[k]))
        k++;
    int comma = k > p->last + 1;
    for (int h = 0; h < 4 && k < lim && roles_ent_starts(c, k) < 0; h++) {
        if (!roles_match(c, RC_HON, k, lim, &n) || roles_has_conj(&c->tok[k]))
            break; /* وسمو الشيخ X: the next person of a list */
        k += (uint32_t)n;
    }
    int e = k < lim ? roles_ent_starts(c, k) : -1;
    if (comma && k < lim && roles_has_conj(&c->tok[k]))
        e = -1; /* X ولي عهد دبي، ومعالي Y: the role was X's */
    const rasd_token *ht = &c->tok[p->first];
    if (e >= 0 && c->ents[e].type == NER_PERS &&
        !(roles_has_conj(&c->tok[k]) && (roles_has_prep_l(ht) || roles_has_prep_b(ht)))) {
        *kind = ROLE_BEFORE; /* not مساعداً للمدرب وعبدالرحمن: "and X" is someone else
                                (a bare و on the name may be its first letter: ويليام) */
        return e;
    }
    /* after a name: a definite role, not coordinated, that ends the clause —
       or is in the construct state, as titles after names are (الأمير فيصل
       أمير منطقة الرياض في ...), where an object would more often be
       definite itself (التقى بايدن الرئيس الصيني); with a preposition on it
       the role is an object (ونقل كارتر لخادم الحرمين الشريفين) */
    if (!(p->flags & ROLE_DEFINITE) || p->conj || roles_has_prep_l(ht) || roles_has_prep_b(ht) ||
        !(closed_after(c, p->last, lim) || !roles_has_article(&c->tok[p->first])))
        return -1;
    uint32_t b = p->first;
    if (b > sbeg && (roles_is_comma(&c->tok[b - 1]) || roles_is_punct(&c->tok[b - 1], "-") ||
                     roles_is_punct(&c->tok[b - 1], "(")))
        b--;
    if (b == sbeg)
        return -1;
    e = roles_ent_at(c, b - 1);
    if (e >= 0 && c->ents[e].type == NER_PERS) {
        *kind = ROLE_AFTER;
        return e;
    }
    return -1;
}

/* Do role r (in list rl) and role h (in hl) have compatible offices and the same status? */
static int roles_fit(const RoleList *rl, const Role *r, const RoleList *hl, const Role *h,
                     int within)
{
    if ((r->flags ^ h->flags) & (ROLE_FORMER | ROLE_ELECT))
        return 0;
    for (size_t i = 0; i < r->noffices; i++)
        for (size_t j = 0; j < h->noffices; j++) {
            size_t an, bn;
            const char *a = roles_key(rl, r, i, &an), *b = roles_key(hl, h, j, &bn);
            if (within ? roles_key_within(a, an, b, bn) : roles_compatible(a, an, b, bn))
                return 1;
        }
    return 0;
}

/*
 * The holder a role-only mention r (in list rl) links to, among the roles
 * attached to people in hl: the one person (by key) with a compatible
 * role. A feminine role noun only fits a feminine role; a masculine one
 * prefers masculine roles (السفير / السفيرة) and takes any when none is
 * masculine, since outlets write الوزير of a woman too. The entity returned
 * is that person's mention with the role nearest before r (or the first).
 */
static int link_holder(const RoleList *rl, const Role *r, const RoleList *hl,
                       const EntityList *el)
{
    if (!(r->flags & ROLE_DEFINITE) || (r->flags & ROLE_NAMEGAP))
        return -1; /* قال مسؤول أمريكي: someone unnamed; الرئيس سلام: someone untagged */
    int found[2] = {-1, -1}, amb[2] = {0, 0}, near[2] = {-1, -1}; /* [0] same gender, [1] any */
    for (size_t i = 0; i < hl->n; i++) {
        const Role *h = &hl->items[i];
        if (h->kind == ROLE_ONLY || h->entity < 0 || (size_t)h->entity >= el->n ||
            !roles_fit(rl, r, hl, h, 1))
            continue;
        int same_g = ((h->flags ^ r->flags) & ROLE_FEM) == 0;
        if ((r->flags & ROLE_FEM) && !same_g)
            continue;
        const Entity *pe = &el->items[h->entity];
        for (int g = same_g ? 0 : 1; g < 2; g++) {
            if (found[g] >= 0) {
                const Entity *fe = &el->items[found[g]];
                if (!roles_span_eq(el->keys.data + fe->key_off, fe->key_len,
                             el->keys.data + pe->key_off, pe->key_len))
                    amb[g] = 1;
            } else {
                found[g] = h->entity;
            }
            if (near[g] < 0 || h->start <= r->start)
                near[g] = h->entity;
        }
    }
    int who = -1;
    for (int g = 0; g < 2 && who < 0; g++)
        if (found[g] >= 0) {
            if (amb[g])
                return -1;
            who = near[g];
        }
    if (who < 0)
        return -1;
    /* another definite role-only mention that fits r but names an office the
       holder does not have is someone else of the same kind: الوزير after
       وزير النقل (unnamed) and وزير الدفاع X is not clearly X */
    const Entity *w = &el->items[who];
    for (size_t i = 0; i < rl->n; i++) {
        const Role *o = &rl->items[i];
        if (o == r || o->kind != ROLE_ONLY || !(o->flags & ROLE_DEFINITE) ||
            !roles_fit(rl, r, rl, o, 0))
            continue;
        int held = 0;
        for (size_t j = 0; j < hl->n && !held; j++) {
            const Role *h = &hl->items[j];
            if (h->kind != ROLE_ONLY && h->entity >= 0 && (size_t)h->entity < el->n &&
                roles_span_eq(el->keys.data + el->items[h->entity].key_off,
                        el->items[h->entity].key_len, el->keys.data + w->key_off, w->key_len))
                held = roles_fit(rl, o, hl, h, 1);
        }
        if (!held)
            return -1;
    }
    return who;
}

/* A bare title before a name (الأمير محمد، الملك سلمان) is an honorific, not an office. */
static int bare_title(const Phrase *p)
{
    const Office *o = &p->off[0];
    return p->n == 1 && (o->hflags & RF_TITLE) && !o->pre.n && !o->comp.n && !o->host.n &&
           !o->jur.n;
}

/*
 * Is the word after a role-only phrase perhaps a name the tagger missed
 * (الرئيس الكيني أوهورو كينياتا with no PERS)? A bare word — no article, no
 * proclitic, no stopword or known verb — right after the phrase.
 */
static int name_gap(const Ctx *c, uint32_t k, uint32_t lim)
{
    if (k >= lim)
        return 0;
    const rasd_token *t = &c->tok[k];
    size_t fn;
    const char *f = roles_tform(t, &fn);
    return t->type == RASD_TOK_ARABIC && t->pre_len == 0 && !(t->flags & RASD_TF_STOP) &&
           !lex_is_verb(f, fn) && roles_ent_at(c, k) < 0;
}

/* Adds a phrase that names no one: each office of a chain on its own, if definite. */
static int add_role_only(RoleList *out, size_t *cap, const Ctx *c, const Phrase *p, uint32_t lim)
{
    for (int o = 0; o < p->n; o++) {
        if (!p->off[o].definite)
            continue;
        if (add_role(out, cap, c, p, o, o + 1, ROLE_ONLY, -1) < 0)
            return -1;
        if (o + 1 == p->n && name_gap(c, p->last + 1, lim))
            out->items[out->n - 1].flags |= ROLE_NAMEGAP;
    }
    return 0;
}

static rasd_err find_in(const rasd_doc *d, const EntityList *el, RoleList *out, Ctx *c)
{
    size_t cap = 0, ns = rasd_doc_nsentences(d);
    const rasd_sentence *sent = rasd_doc_sentences(d);
    Phrase p;
    for (size_t s = 0; s < ns; s++) {
        uint32_t lim = sent[s].tok_end;
        for (uint32_t i = sent[s].tok_begin; i < lim && i < c->ntok;) {
            int e = c->tok_ent[i];
            if (e >= 0 && el->items[e].type == NER_PERS) {
                uint32_t last = roles_ent_last_tok(c, e, i);
                c->self = e;
                /* a role inside the span: الرئيس بوتين tagged as one name */
                if (roles_parse_phrase(c, i, last, &p) && !bare_title(&p) &&
                    add_role(out, &cap, c, &p, 0, p.n, ROLE_BEFORE, e) < 0)
                    return RASD_ENOMEM;
                /* a role that begins with the span's last word: the tagger took
                   ولي of "محمد بن سلمان ولي العهد" into the name */
                if (last > i && roles_parse_phrase(c, last, lim, &p) && p.last > last &&
                    p.off[0].definite && add_role(out, &cap, c, &p, 0, p.n, ROLE_AFTER, e) < 0)
                    return RASD_ENOMEM;
                c->self = -1;
                i = (p.n && p.first == last && p.last > last) ? p.last + 1 : last + 1;
                memset(&p, 0, sizeof p);
                continue;
            }
            if (!roles_parse_phrase(c, i, lim, &p)) {
                i++;
                continue;
            }
            int kind = ROLE_ONLY, who = attach(c, &p, sent[s].tok_begin, lim, &kind);
            if (who >= 0 && !(kind == ROLE_BEFORE && bare_title(&p))) {
                if (add_role(out, &cap, c, &p, 0, p.n, kind, who) < 0)
                    return RASD_ENOMEM;
            } else if (who < 0 && add_role_only(out, &cap, c, &p, lim) < 0) {
                return RASD_ENOMEM;
            }
            i = p.last + 1;
        }
    }
    for (size_t i = 0; i < out->n; i++)
        if (out->items[i].kind == ROLE_ONLY)
            out->items[i].entity = link_holder(out, &out->items[i], out, el);
    return RASD_OK;
}

rasd_err roles_find(const rasd_doc *d, const EntityList *el, RoleList *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    if (!roles_lex_ready())
        return rasd_fail(err, RASD_ENOMEM, "roles: the office lexicon could not be built");
    Ctx c = {d, rasd_doc_tokens(d), rasd_doc_ntokens(d), el->items, el->n,
             el->keys.data ? el->keys.data : "", NULL, -1, NULL};
    int oom = 0;
    c.oom = &oom;
    c.tok_ent = map_entities(d, el);
    if (!c.tok_ent)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    rasd_err e = find_in(d, el, out, &c);
    free(c.tok_ent);
    if (e != RASD_OK || out->keys.oom || oom) {
        roles_free(out);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    return RASD_OK;
}

int roles_holder(const rasd_doc *d, const EntityList *el, uint32_t first, uint32_t last)
{
    const RoleList *l = &el->roles;
    size_t ntok = rasd_doc_ntokens(d);
    if (first > last || first >= ntok || !roles_lex_ready())
        return -1;
    if (last >= ntok)
        last = (uint32_t)ntok - 1;
    for (size_t i = 0; i < l->n; i++) /* a role found already */
        if (l->items[i].first <= last && l->items[i].last >= first)
            return l->items[i].entity;
    /* the caller's span is no role we found: read it as a role-only mention */
    Ctx c = {d, rasd_doc_tokens(d), ntok, el->items, el->n, el->keys.data ? el->keys.data : "",
             NULL, -1, NULL};
    c.tok_ent = map_entities(d, el);
    if (!c.tok_ent)
        return -1;
    int who = -1;
    Phrase p;
    for (uint32_t k = first; k <= last; k++) {
        if (!roles_parse_phrase(&c, k, last + 1, &p))
            continue;
        RoleList tmp = {0};
        size_t cap = 0;
        if (add_role(&tmp, &cap, &c, &p, 0, p.n, ROLE_ONLY, -1) == 0)
            who = link_holder(&tmp, &tmp.items[0], l, el);
        roles_free(&tmp);
        break;
    }
    free(c.tok_ent);
    return who;
}

int roles_adjective_key(const rasd_doc *d, uint32_t first, uint32_t last, Buf *out)
{
    size_t ntok = rasd_doc_ntokens(d);
    if (first > last || last >= ntok || !roles_lex_ready())
        return 0;
    Ctx c = {d, rasd_doc_tokens(d), ntok, NULL, 0, "", NULL, -1, NULL};
    int n = 0;
    const RLex *m = roles_match(&c, RC_ADJ, first, last + 1, &n);
    if (!m || (uint32_t)n != last - first + 1)
        return 0;
    int pn = 0; /* السعودية، تشيلي: a country spelled like its adjective is the country */
    if (roles_match(&c, RC_PLACE, first, last + 1, &pn) && (uint32_t)pn == last - first + 1)
        return 0;
    buf_puts(out, "adj:");
    buf_append(out, roles_lex.pool + m->jur_off, m->jur_len);
    return out->oom ? 0 : 1;
}

/* ======================================================================
 * JSON
 * ==================================================================== */

static void role_members(const RoleList *l, const Role *r, const char *text, Buf *out)
{
    size_t n;
    const char *k = roles_key(l, r, 0, &n);
    buf_puts(out, "{\"text\":");
    buf_put_json_string(out, text + r->start, r->end - r->start);
    buf_puts(out, ",\"office\":");
    buf_put_json_string(out, k, n);
    buf_printf(out, ",\"start\":%u,\"end\":%u", r->start, r->end);
    if (r->noffices > 1) {
        buf_puts(out, ",\"also\":[");
        for (size_t i = 1; i < r->noffices; i++) {
            k = roles_key(l, r, i, &n);
            if (i > 1)
                buf_putc(out, ',');
            buf_put_json_string(out, k, n);
        }
        buf_putc(out, ']');
    }
    if (r->flags & ROLE_FORMER)
        buf_puts(out, ",\"former\":true");
    if (r->flags & ROLE_ELECT)
        buf_puts(out, ",\"elect\":true");
}

void roles_entity_json(const RoleList *l, const Role *r, const char *text, Buf *out)
{
    buf_puts(out, ",\"role\":");
    role_members(l, r, text, out);
    buf_putc(out, '}');
}

void roles_only_json(const RoleList *l, const char *text, Buf *out)
{
    buf_putc(out, '[');
    int any = 0;
    for (size_t i = 0; i < l->n; i++) {
        const Role *r = &l->items[i];
        if (r->kind != ROLE_ONLY)
            continue;
        if (any++)
            buf_putc(out, ',');
        role_members(l, r, text, out);
        if (r->entity >= 0)
            buf_printf(out, ",\"entity\":%d}", (int)r->entity);
        else
            buf_puts(out, ",\"entity\":null}");
    }
    buf_putc(out, ']');
}
