/*
 * tokenise.c — one pass over cleaned UTF-8 that cuts tokens and builds
 * their matching keys, then segments and stems Arabic words.
 *
 * Tokens: Arabic words, words of other scripts (letters and digits), numbers
 * with decimal/thousands separators (3.5, ٣٫٥, 1,000) and ordinal suffixes
 * (31st), URLs, e-mail addresses, #hashtags, @mentions, and punctuation (a
 * run of . ! ? … is one token). Tashkeel, tatweel and bidi marks inside a
 * word do not break it. A word switches token at a change of script
 * (CNNالأمريكية → CNN | الأمريكية). A hyphen between two words is not a
 * token: the first word gets RASD_TF_HYPHEN_NEXT, so كيم جونغ-أون and
 * كيم جونغ أون give the same keys and the hyphen is still known.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

static Token *push(rasd_doc *d)
{
    if (d->ntokens == d->cap_tokens) {
        size_t c = d->cap_tokens ? d->cap_tokens * 2 : 256;
        Token *t = realloc(d->tokens, c * sizeof *t);
        if (!t)
            return NULL;
        d->tokens = t;
        d->cap_tokens = c;
    }
    Token *t = &d->tokens[d->ntokens++];
    memset(t, 0, sizeof *t);
    return t;
}

/*
 * utf8_next with the one- and two-byte cases inline: they are nearly every
 * character of Arabic and Latin news, and a call per character into utf8.c
 * was about a tenth of the analysis time. Same results as utf8_next.
 */
static inline uint32_t next_cp(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = *i;
    unsigned char c = p[k];
    if (c < 0x80) {
        *i = k + 1;
        return c;
    }
    if (c < 0xE0 && k + 1 < n) {
        *i = k + 2;
        return ((uint32_t)(c & 0x1F) << 6) | (p[k + 1] & 0x3F);
    }
    return utf8_next(s, n, i);
}

static inline uint32_t peek(const char *s, size_t n, size_t i, size_t *next)
{
    *next = i;
    if (i >= n)
        return 0;
    return next_cp(s, n, next);
}

static int is_ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_word_class(int cl) { return cl == CL_AR || cl == CL_LETTER || cl == CL_DIGIT; }

/* Length of an e-mail address starting at s[i], or 0. ASCII only. */
static size_t scan_email(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && (is_ascii_alnum((unsigned char)s[j]) || (s[j] && strchr("._%+-", s[j]))))
        j++;
    if (j == i || j >= n || s[j] != '@' || s[j - 1] == '.')
        return 0;
    size_t k = j + 1, dots = 0, last_dot = 0;
    while (k < n && (is_ascii_alnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '.')) {
        if (s[k] == '.') {
            if (k == last_dot + 1 && dots)
                break;
            dots++;
            last_dot = k;
        }
        k++;
    }
    while (k > j + 1 && s[k - 1] == '.') { /* a full stop after the address */
        k--;
        dots--;
    }
    if (!dots || k <= j + 1)
        return 0;
    return k - i;
}

static int starts_ci(const char *s, size_t n, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    if (n - i < l)
        return 0;
    for (size_t k = 0; k < l; k++) {
        char c = s[i + k];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lit[k])
            return 0;
    }
    return 1;
}

/* Length of a URL starting at s[i], or 0. Runs to white space or a quote/bracket. */
static size_t scan_url(const char *s, size_t n, size_t i)
{
    if (!(starts_ci(s, n, i, "http://") || starts_ci(s, n, i, "https://") ||
          starts_ci(s, n, i, "www.")))
        return 0;
    size_t j = i;
    while (j < n) {
        size_t k = j;
        uint32_t cp = utf8_next(s, n, &k);
        int cl = char_class(cp);
        if (cl == CL_SPACE || cl == CL_NEWLINE || cl == CL_QUOTE || cp == '<' || cp == '>' ||
            cp == 0x060C || cp == 0x061B)
            break;
        j = k;
    }
    /* trailing punctuation belongs to the sentence */
    while (j > i && s[j - 1] && strchr(".,;:!?)]}", s[j - 1]))
        j--;
    size_t min = starts_ci(s, n, i, "www.") ? 5 : 9;
    return j - i >= min ? j - i : 0;
}

/*
 * Appends the fold of s[from..to) to key. Returns 1 if the last letter was ة.
 * Writes into the Buf directly rather than a buf_append per character
 * (about a sixth of the analysis time): a fold is at most 60 bytes
 * (chars.c), so FOLD_ROOM free bytes before each character are always
 * enough. On out of memory key->oom is set and the rest is skipped, as
 * buf_append would.
 */
#define FOLD_ROOM 64
static int fold_into(Buf *key, const char *s, size_t from, size_t to)
{
    char tmp[64];
    int tm = 0;
    size_t i = from;
    if (buf_reserve(key, to - from + FOLD_ROOM) < 0)
        return 0;
    while (i < to) {
        if (key->cap - key->len < FOLD_ROOM + 1 && buf_reserve(key, FOLD_ROOM) < 0)
            break;
        uint32_t cp = next_cp(s, to, &i);
        if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            key->data[key->len++] = c;
            tm = 0;
            continue;
        }
        size_t fl;
        const char *f = char_fold(cp, &fl, tmp);
        if (fl) {
            char *o = key->data + key->len;
            if (fl == 2) { /* an Arabic letter: not worth a memcpy call */
                o[0] = f[0];
                o[1] = f[1];
            } else {
                memcpy(o, f, fl);
            }
            key->len += fl;
            tm = cp == 0x0629;
        }
    }
    key->data[key->len] = '\0'; /* Buf's invariant: NUL-terminated */
    return tm;
}

static int finish(rasd_text *t, rasd_doc *d, Token *tok, Buf *key, int ends_tm)
{
    if (key->oom)
        return -1;
    char *k = arena_strndup(&d->arena, key->data ? key->data : "", key->len);
    if (!k)
        return -1;
    tok->key = k;
    tok->key_len = (uint32_t)key->len;
    tok->stem = k;
    tok->stem_len = (uint32_t)key->len;
    if (tok->type == RASD_TOK_ARABIC && key->len) {
        WordInfo w;
        analyse_word(t->stemmer, k, key->len, ends_tm, &w);
        tok->pre_len = w.pre_len;
        tok->suf_len = w.suf_len;
        tok->flags |= w.flags;
        if (w.stem_len != key->len || memcmp(w.stem, k, key->len) != 0) {
            char *sc = arena_strndup(&d->arena, w.stem, w.stem_len);
            if (!sc)
                return -1;
            tok->stem = sc;
        }
        tok->stem_len = (uint32_t)w.stem_len;
    } else if (tok->type == RASD_TOK_LATIN && lex_is_stop(k, key->len)) {
        tok->flags |= RASD_TF_STOP;
    }
    return 0;
}

int tokenise(rasd_text *t, rasd_doc *d)
{
    const char *s = d->text;
    size_t n = d->text_len, i = 0;
    int newlines = 0; /* line breaks since the previous token */
    Buf key = {0};
    int rc = 0;
    while (i < n) {
        size_t start = i, next;
        uint32_t cp = peek(s, n, i, &next);
        int cl = char_class(cp);
        if (cl == CL_SPACE || cl == CL_IGNORE) {
            i = next;
            continue;
        }
        if (cl == CL_NEWLINE) {
            newlines++;
            i = next;
            continue;
        }
        Token *tok = push(d);
        if (!tok) {
            rc = -1;
            break;
        }
        if (newlines)
            tok->flags |= RASD_TF_NEWLINE;
        if (newlines >= 2)
            tok->flags |= RASD_TF_PARAGRAPH;
        newlines = 0;
        buf_reset(&key);
        int ends_tm = 0;
        size_t len;
        if ((cp == 'h' || cp == 'H' || cp == 'w' || cp == 'W') && (len = scan_url(s, n, i))) {
            tok->type = RASD_TOK_URL;
            i += len;
            buf_append(&key, s + start, len);
        } else if (cp < 0x80 && is_ascii_alnum((unsigned char)cp) && (len = scan_email(s, n, i))) {
            tok->type = RASD_TOK_EMAIL;
            i += len;
            fold_into(&key, s, start, i);
        } else if (cl == CL_AR || cl == CL_LETTER || cl == CL_MARK) {
            int want = cl == CL_AR ? CL_AR : CL_LETTER;
            tok->type = cl == CL_AR ? RASD_TOK_ARABIC : RASD_TOK_LATIN;
            i = next;
            while (i < n) {
                uint32_t c2 = peek(s, n, i, &next);
                int k2 = char_class(c2);
                if (k2 == want || k2 == CL_MARK || k2 == CL_IGNORE ||
                    (want == CL_LETTER && k2 == CL_DIGIT)) {
                    i = next;
                    continue;
                }
                if (want == CL_LETTER && (c2 == '\'' || c2 == 0x2019)) { /* O'Brien, don't */
                    size_t n2;
                    uint32_t c3 = peek(s, n, next, &n2);
                    if (char_class(c3) == CL_LETTER) {
                        i = n2;
                        continue;
                    }
                }
                break;
            }
            ends_tm = fold_into(&key, s, start, i);
        } else if (cl == CL_DIGIT) {
            tok->type = RASD_TOK_NUMBER;
            i = next;
            for (;;) {
                uint32_t c2 = peek(s, n, i, &next);
                int k2 = char_class(c2);
                if (k2 == CL_DIGIT) {
                    i = next;
                    continue;
                }
                if (k2 == CL_DECSEP || c2 == '.' || c2 == ',') {
                    size_t n2;
                    uint32_t c3 = peek(s, n, next, &n2);
                    if (char_class(c3) == CL_DIGIT) {
                        i = n2;
                        continue;
                    }
                }
                break;
            }
            /* 31st, 2nd, 3rd, 4th */
            if (n - i >= 2) {
                char a = (char)(s[i] | 0x20), b = (char)(s[i + 1] | 0x20);
                int ord = (a == 's' && b == 't') || (a == 'n' && b == 'd') ||
                          (a == 'r' && b == 'd') || (a == 't' && b == 'h');
                size_t n2;
                uint32_t c3 = peek(s, n, i + 2, &n2);
                if (ord && !is_word_class(char_class(c3))) {
                    fold_into(&key, s, start, i);
                    i += 2;
                    tok->flags |= RASD_TF_ORDINAL;
                    goto done;
                }
            }
            /* 4G, 3D: digits then Latin letters make one Latin word */
            {
                uint32_t c2 = peek(s, n, i, &next);
                if (char_class(c2) == CL_LETTER) {
                    tok->type = RASD_TOK_LATIN;
                    while (i < n) {
                        c2 = peek(s, n, i, &next);
                        int k2 = char_class(c2);
                        if (k2 != CL_LETTER && k2 != CL_DIGIT && k2 != CL_MARK)
                            break;
                        i = next;
                    }
                }
            }
            fold_into(&key, s, start, i);
        } else if ((cp == '#' || cp == '@') && i + 1 < n) {
            size_t j = next;
            int word = 0; /* a letter or digit seen: #\u200F alone is no tag */
            while (j < n) {
                size_t n2;
                uint32_t c2 = peek(s, n, j, &n2);
                int k2 = char_class(c2);
                if (!(is_word_class(k2) || k2 == CL_MARK || k2 == CL_IGNORE || c2 == '_') ||
                    (cp == '@' && c2 >= 0x80))
                    break;
                word |= is_word_class(k2);
                j = n2;
            }
            if (word) {
                tok->type = cp == '#' ? RASD_TOK_HASHTAG : RASD_TOK_MENTION;
                i = j;
            } else {
                tok->type = RASD_TOK_PUNCT;
                i = next;
            }
            fold_into(&key, s, start, i);
        } else {
            tok->type = RASD_TOK_PUNCT;
            i = next;
            if (cl == CL_SENT) {
                tok->flags |= RASD_TF_SENT_END;
                while (i < n) {
                    uint32_t c2 = peek(s, n, i, &next);
                    if (char_class(c2) != CL_SENT)
                        break;
                    i = next;
                }
            } else if (cl == CL_QUOTE) {
                switch (cp) {
                case 0x00AB: case 0x201C: case 0x201E: case 0x2039: case 0x2018:
                case 0x201A: case 0x300C: case 0x300E:
                    tok->flags |= RASD_TF_QUOTE_OPEN;
                    break;
                case 0x00BB: case 0x201D: case 0x203A: case 0x2019: case 0x300D:
                case 0x300F:
                    tok->flags |= RASD_TF_QUOTE_CLOSE;
                    break;
                default:
                    tok->flags |= RASD_TF_QUOTE_AMBIG;
                }
            }
            fold_into(&key, s, start, i);
        }
    done:
        tok->start = (uint32_t)start;
        tok->end = (uint32_t)i;
        /* a hyphen joining two words is recorded on the first, not a token */
        if (tok->type == RASD_TOK_ARABIC || tok->type == RASD_TOK_LATIN ||
            tok->type == RASD_TOK_NUMBER) {
            uint32_t c2 = peek(s, n, i, &next);
            if (char_class(c2) == CL_HYPHEN) {
                size_t n2 = next;
                uint32_t c3;
                int k3;
                do { /* a bidi mark after the hyphen does not break the join */
                    c3 = peek(s, n, n2, &n2);
                    k3 = char_class(c3);
                } while (k3 == CL_IGNORE && n2 < n);
                if (k3 == CL_AR || k3 == CL_LETTER ||
                    (k3 == CL_DIGIT && tok->type != RASD_TOK_NUMBER)) {
                    tok->flags |= RASD_TF_HYPHEN_NEXT;
                    i = next;
                }
            }
        }
        if (finish(t, d, tok, &key, ends_tm) < 0) {
            rc = -1;
            break;
        }
        if (tok->key_len == 0) { /* only marks: not a token; keep its line break */
            if (tok->flags & RASD_TF_NEWLINE)
                newlines = tok->flags & RASD_TF_PARAGRAPH ? 2 : 1;
            d->ntokens--;
        }
    }
    buf_free(&key);
    return rc;
}
