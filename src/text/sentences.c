/*
 * sentences.c — splits a tokenised text into sentences.
 *
 * A line break always ends a sentence. Otherwise a sentence ends after
 * . ! ? ؟ … unless
 *   - the full stop closes an abbreviation: a single letter just before it
 *     (د. م. أ. J.) or a known Latin abbreviation (Mr. Dr. Inc.);
 *   - it stands inside a quotation or brackets closed on the same line
 *     («... انتهى. ثم ...», (... .)) — quotes and brackets are matched per
 *     line first, so an unclosed mark never swallows the rest of the text.
 * Closing quote marks and brackets right after the end belong to it.
 * Numbers such as 3.5 never reach here as separate tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const latin_abbrev[] = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp",
    "vs", "etc", "no", "gen", "col", "lt", "sgt", "rep", "sen", "gov", "u.s", "e.g", "i.e",
    NULL};

static int is_abbrev(const rasd_doc *d, size_t k)
{
    if (k == 0)
        return 0;
    const Token *dot = &d->tokens[k], *prev = &d->tokens[k - 1];
    if (dot->end - dot->start != 1 || d->text[dot->start] != '.' || prev->end != dot->start)
        return 0;
    if (prev->type != RASD_TOK_ARABIC && prev->type != RASD_TOK_LATIN)
        return 0;
    /* one letter: Arabic letters are 2 bytes, Latin 1 */
    size_t chars = 0;
    for (uint32_t i = 0; i < prev->key_len; i++)
        chars += ((unsigned char)prev->key[i] & 0xC0) != 0x80;
    if (chars == 1)
        return 1;
    if (prev->type == RASD_TOK_LATIN)
        for (int i = 0; latin_abbrev[i]; i++)
            if (strlen(latin_abbrev[i]) == prev->key_len &&
                memcmp(latin_abbrev[i], prev->key, prev->key_len) == 0)
                return 1;
    return 0;
}

static int push_sentence(rasd_doc *d, size_t b, size_t e)
{
    if (e <= b)
        return 0;
    if (d->nsentences == d->cap_sentences) {
        size_t c = d->cap_sentences ? d->cap_sentences * 2 : 32;
        Sentence *s = realloc(d->sentences, c * sizeof *s);
        if (!s)
            return -1;
        d->sentences = s;
        d->cap_sentences = c;
    }
    Sentence *s = &d->sentences[d->nsentences++];
    s->tok_begin = (uint32_t)b;
    s->tok_end = (uint32_t)e;
    s->start = d->tokens[b].start;
    s->end = d->tokens[e - 1].end;
    return 0;
}

/*
 * depth[k] > 0 when token k lies strictly inside a quotation closed on the
 * same line. Quotes are matched with a stack per line: a typed closer pops
 * to its opener, an ambiguous mark closes an open ambiguous mark or opens.
 */
static void match_quotes(const rasd_doc *d, int *depth)
{
    size_t n = d->ntokens, line = 0;
    size_t *stack = malloc((n + 1) * sizeof *stack);
    if (!stack)
        return; /* no quote awareness rather than failure */
    while (line < n) {
        size_t end = line + 1;
        while (end < n && !(d->tokens[end].flags & RASD_TF_NEWLINE))
            end++;
        size_t sp = 0, bp = 0; /* quote stack, bracket stack (from the top of stack) */
        for (size_t k = line; k < end; k++) {
            uint16_t f = d->tokens[k].flags;
            const Token *t = &d->tokens[k];
            char br = t->key_len == 1 ? t->key[0] : 0;
            if (br == '(' || br == '[') { /* brackets nest on their own stack */
                stack[n - bp++] = k;
            } else if ((br == ')' || br == ']') && bp > 0) {
                size_t o = stack[n - --bp];
                depth[o + 1]++;
                depth[k]--;
            } else if (f & RASD_TF_QUOTE_OPEN) {
                stack[sp++] = k;
            } else if (f & RASD_TF_QUOTE_CLOSE) {
                /* pop to the nearest typed opener */
                size_t j = sp;
                while (j > 0 && !(d->tokens[stack[j - 1]].flags & RASD_TF_QUOTE_OPEN))
                    j--;
                if (j > 0) {
                    depth[stack[j - 1] + 1]++;
                    depth[k]--;
                    sp = j - 1;
                }
            } else if (f & RASD_TF_QUOTE_AMBIG) {
                if (sp > 0 && (d->tokens[stack[sp - 1]].flags & RASD_TF_QUOTE_AMBIG) &&
                    d->tokens[stack[sp - 1]].key[0] == d->tokens[k].key[0]) {
                    depth[stack[sp - 1] + 1]++;
                    depth[k]--;
                    sp--;
                } else {
                    stack[sp++] = k;
                }
            }
        }
        line = end;
    }
    free(stack);
    for (size_t k = 1; k < n; k++)
        depth[k] += depth[k - 1];
}

int split_sentences(rasd_doc *d)
{
    size_t n = d->ntokens;
    if (n == 0)
        return 0;
    int *depth = calloc(n + 1, sizeof *depth);
    if (!depth)
        return -1;
    match_quotes(d, depth);
    size_t b = 0;
    for (size_t k = 0; k < n; k++) {
        const Token *t = &d->tokens[k];
        if (k > b && (t->flags & RASD_TF_NEWLINE)) {
            if (push_sentence(d, b, k) < 0)
                goto oom;
            b = k;
        }
        /* "(التفاصيل لاحقا.)": a bracket closed right after a sentence end
           ends the sentence with it */
        int bracket_end = k > 0 && t->key_len == 1 && (t->key[0] == ')' || t->key[0] == ']') &&
                          (d->tokens[k - 1].flags & RASD_TF_SENT_END) && !is_abbrev(d, k - 1) &&
                          depth[k] == 0;
        if (bracket_end) {
            if (push_sentence(d, b, k + 1) < 0)
                goto oom;
            b = k + 1;
            continue;
        }
        if (!(t->flags & RASD_TF_SENT_END) || depth[k] > 0 || is_abbrev(d, k))
            continue;
        size_t e = k + 1;
        while (e < n && !(d->tokens[e].flags & RASD_TF_NEWLINE)) {
            const Token *c = &d->tokens[e];
            int closes = (c->flags & RASD_TF_QUOTE_CLOSE) ||
                         ((c->flags & RASD_TF_QUOTE_AMBIG) && depth[e] < depth[e - 1]) ||
                         (c->key_len == 1 && strchr(")]}", c->key[0]));
            if (!closes)
                break;
            e++;
        }
        if (push_sentence(d, b, e) < 0)
            goto oom;
        b = e;
        k = e - 1;
    }
    if (push_sentence(d, b, n) < 0)
        goto oom;
    free(depth);
    return 0;
oom:
    free(depth);
    return -1;
}
