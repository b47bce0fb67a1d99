/*
 * text.c — the text core's public entry points (rasd_text_*, rasd_doc_*)
 * and the debug renderings used by `rasd tokens` and the golden tests.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

rasd_err rasd_text_new(rasd_text **out, rasd_error *err)
{
    if (!out)
        return rasd_fail(err, RASD_EINVAL, "rasd_text_new: out is NULL");
    chars_init();
    if (lex_init() < 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory loading the lexicons");
    rasd_text *t = calloc(1, sizeof *t);
    if (!t)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    t->stemmer = stemmer_new();
    if (!t->stemmer) {
        free(t);
        return rasd_fail(err, RASD_ENOMEM, "cannot create the Snowball Arabic stemmer");
    }
    *out = t;
    return RASD_OK;
}

void rasd_text_free(rasd_text *t)
{
    if (!t)
        return;
    stemmer_free(t->stemmer);
    free(t);
}

void rasd_doc_free(rasd_doc *d)
{
    if (!d)
        return;
    free(d->text);
    free(d->tokens);
    free(d->sentences);
    arena_free(&d->arena);
    free(d);
}

static atomic_uint_fast64_t analyse_calls;

uint64_t text_analyse_calls(void) { return (uint64_t)atomic_load(&analyse_calls); }

rasd_err rasd_text_analyse(rasd_text *t, const char *bytes, size_t len, rasd_doc **out,
                           rasd_error *err)
{
    atomic_fetch_add(&analyse_calls, 1);
    if (!t || !out || (!bytes && len))
        return rasd_fail(err, RASD_EINVAL, "rasd_text_analyse: bad argument");
    /* offsets are 32-bit; U+FFFD can triple the size of bad input */
    if (len > (UINT32_MAX - 16) / 3)
        return rasd_fail(err, RASD_ETOOBIG, "text of %zu bytes is over the 1 GiB limit", len);
    rasd_doc *d = calloc(1, sizeof *d);
    if (!d)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    arena_init(&d->arena, len < 4096 ? 4096 : len + len / 2);
    Buf clean = {0};
    d->invalid = utf8_clean(bytes ? bytes : "", len, &clean);
    buf_append(&clean, "", 0);
    if (clean.oom) {
        buf_free(&clean);
        rasd_doc_free(d);
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    }
    d->text_len = clean.len;
    d->text = buf_steal(&clean);
    if (tokenise(t, d) < 0 || d->arena.oom || split_sentences(d) < 0) {
        rasd_doc_free(d);
        return rasd_fail(err, RASD_ENOMEM, "out of memory analysing %zu bytes", len);
    }
    *out = d;
    return RASD_OK;
}

const char *rasd_doc_text(const rasd_doc *d, size_t *len)
{
    if (len)
        *len = d->text_len;
    return d->text;
}

size_t rasd_doc_invalid(const rasd_doc *d) { return d->invalid; }
size_t rasd_doc_ntokens(const rasd_doc *d) { return d->ntokens; }
const rasd_token *rasd_doc_tokens(const rasd_doc *d) { return d->tokens; }
size_t rasd_doc_nsentences(const rasd_doc *d) { return d->nsentences; }
const rasd_sentence *rasd_doc_sentences(const rasd_doc *d) { return d->sentences; }

/* The letter a foreign name can start with that the clitic rule takes for a
   preposition: ب (D8 A8, "with") or ك (D9 83, "like"). Returns its second
   byte when t's proclitics end in one, else 0. */
static unsigned char name_letter_before(const Token *t)
{
    size_t n = t->pre_len;
    if (n < 2 || n > 6)
        return 0;
    unsigned char a = (unsigned char)t->key[n - 2], b = (unsigned char)t->key[n - 1];
    return (a == 0xD8 && b == 0xA8) || (a == 0xD9 && b == 0x83) ? b : 0;
}

int text_clitic_in_word(const rasd_doc *d, size_t i)
{
    if (!d || i >= d->ntokens || d->tokens[i].type != RASD_TOK_ARABIC)
        return 0;
    const Token *t = &d->tokens[i];
    unsigned char lb = name_letter_before(t);
    if (!lb)
        return 0;
    unsigned char la = t->key[t->pre_len - 2];
    const char *rest = t->key + t->pre_len;
    size_t rn = t->key_len - t->pre_len; /* the rest with its enclitics: a name has none */
    size_t letters = 0;
    for (size_t k = 0; k < rn; k++)
        letters += ((unsigned char)rest[k] & 0xC0) != 0x80;
    if (letters < 3 || ((unsigned char)rest[0] == la && (unsigned char)rest[1] == lb) ||
        lex_is_protected(rest, rn, 0))
        return 0;
    for (size_t j = 0; j < d->ntokens; j++) {
        const Token *u = &d->tokens[j];
        if (j == i || u->type != RASD_TOK_ARABIC || u->key_len < rn ||
            u->key_len - rn > 8 || memcmp(u->key + u->key_len - rn, rest, rn) != 0)
            continue;
        size_t before = u->key_len - rn; /* at most four letters before the rest (وبال) */
        if (before < 2 || (unsigned char)u->key[before - 2] != la ||
            (unsigned char)u->key[before - 1] != lb)
            return 0; /* the rest written without that letter before it */
    }
    return 1;
}

/* ---- debug renderings ---- */

const char *text_type_name(int type)
{
    switch (type) {
    case RASD_TOK_ARABIC: return "AR";
    case RASD_TOK_LATIN: return "LAT";
    case RASD_TOK_NUMBER: return "NUM";
    case RASD_TOK_PUNCT: return "P";
    case RASD_TOK_URL: return "URL";
    case RASD_TOK_EMAIL: return "EMAIL";
    case RASD_TOK_HASHTAG: return "TAG";
    case RASD_TOK_MENTION: return "AT";
    }
    return "?";
}

/* key/TYPE tokens separated by spaces; "-" after a token joined by a hyphen. */
void text_format_tokens(const rasd_doc *d, Buf *out)
{
    for (size_t i = 0; i < d->ntokens; i++) {
        const Token *t = &d->tokens[i];
        if (i)
            buf_putc(out, ' ');
        buf_append(out, t->key, t->key_len);
        buf_putc(out, '/');
        buf_puts(out, text_type_name(t->type));
        if (t->flags & RASD_TF_HYPHEN_NEXT)
            buf_putc(out, '-');
    }
}

/* For each word: pre+rem+suf=stem (empty parts omitted with their +). */
void text_format_segments(const rasd_doc *d, Buf *out)
{
    int first = 1;
    for (size_t i = 0; i < d->ntokens; i++) {
        const Token *t = &d->tokens[i];
        if (t->type != RASD_TOK_ARABIC && t->type != RASD_TOK_LATIN)
            continue;
        if (!first)
            buf_putc(out, ' ');
        first = 0;
        if (t->pre_len) {
            buf_append(out, t->key, t->pre_len);
            buf_putc(out, '+');
        }
        buf_append(out, t->key + t->pre_len, t->key_len - t->pre_len - t->suf_len);
        if (t->suf_len) {
            buf_putc(out, '+');
            buf_append(out, t->key + t->key_len - t->suf_len, t->suf_len);
        }
        buf_putc(out, '=');
        buf_append(out, t->stem, t->stem_len);
    }
}

void text_format_sentences(const rasd_doc *d, Buf *out)
{
    for (size_t i = 0; i < d->nsentences; i++) {
        const Sentence *s = &d->sentences[i];
        if (i)
            buf_putc(out, '\n');
        buf_append(out, d->text + s->start, s->end - s->start);
    }
}

void text_format_json(const rasd_doc *d, Buf *out)
{
    static const struct { int bit; const char *name; } flags[] = {
        {RASD_TF_STOP, "stop"}, {RASD_TF_HYPHEN_NEXT, "hyphen_next"},
        {RASD_TF_QUOTE_OPEN, "quote_open"}, {RASD_TF_QUOTE_CLOSE, "quote_close"},
        {RASD_TF_QUOTE_AMBIG, "quote"}, {RASD_TF_SENT_END, "sent_end"},
        {RASD_TF_NEWLINE, "newline"}, {RASD_TF_PARAGRAPH, "paragraph"},
        {RASD_TF_ORDINAL, "ordinal"}, {RASD_TF_LEX, "lexicon"}};
    buf_printf(out, "{\"invalid\":%zu,\"tokens\":[", d->invalid);
    for (size_t i = 0; i < d->ntokens; i++) {
        const Token *t = &d->tokens[i];
        buf_puts(out, i ? ",{\"text\":" : "{\"text\":");
        buf_put_json_string(out, d->text + t->start, t->end - t->start);
        buf_printf(out, ",\"type\":\"%s\",\"start\":%u,\"end\":%u,\"key\":",
                   text_type_name(t->type), t->start, t->end);
        buf_put_json_string(out, t->key, t->key_len);
        buf_puts(out, ",\"stem\":");
        buf_put_json_string(out, t->stem, t->stem_len);
        if (t->pre_len) {
            buf_puts(out, ",\"proclitic\":");
            buf_put_json_string(out, t->key, t->pre_len);
        }
        if (t->suf_len) {
            buf_puts(out, ",\"enclitic\":");
            buf_put_json_string(out, t->key + t->key_len - t->suf_len, t->suf_len);
        }
        int any = 0;
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++)
            if (t->flags & flags[f].bit) {
                buf_puts(out, any ? ",\"" : ",\"flags\":[\"");
                buf_puts(out, flags[f].name);
                buf_putc(out, '"');
                any = 1;
            }
        if (any)
            buf_putc(out, ']');
        buf_putc(out, '}');
    }
    buf_puts(out, "],\"sentences\":[");
    for (size_t i = 0; i < d->nsentences; i++) {
        const Sentence *s = &d->sentences[i];
        buf_printf(out, "%s{\"start\":%u,\"end\":%u,\"tokens\":[%u,%u],\"text\":", i ? "," : "",
                   s->start, s->end, s->tok_begin, s->tok_end);
        buf_put_json_string(out, d->text + s->start, s->end - s->start);
        buf_putc(out, '}');
    }
    buf_puts(out, "]}");
}
