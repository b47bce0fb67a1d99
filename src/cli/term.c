/*
 * term.c — text from articles and file names made safe for a terminal.
 *
 * Titles, outlets, origins and file names come from the inputs, and an
 * input can carry ESC sequences that recolour, retitle or rewrite the
 * user's terminal ("terminal escape injection"). Before such text reaches
 * stdout or stderr it goes through cli_term_safe: C0 controls other than
 * tab and newline, DEL, C1 controls (U+0080..U+009F) and bytes that are not
 * UTF-8 are shown escaped as \xNN (a C1 control by its UTF-8 bytes,
 * \xc2\x9b). Everything else passes, bidi marks and overrides included:
 * they are how Arabic text is written, and a terminal does not execute
 * them.
 */
#include <string.h>

#include "cli.h"

/* Length of the well-formed UTF-8 sequence at s (2..4), or 0. */
static int seq_len(const unsigned char *s)
{
    unsigned char c = s[0];
    int len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0; /* also stops at the terminating NUL */
    for (int k = 2; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xBF)
            return 0;
    return len;
}

static int unsafe_at(const unsigned char *s, int *len)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *len = 1;
        return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
    }
    int n = seq_len(s);
    if (!n) {
        *len = 1;
        return 1;
    }
    *len = n;
    return n == 2 && c == 0xC2 && s[1] <= 0x9F; /* C1 control */
}

const char *cli_term_safe(const char *s, rasd_buf *scratch)
{
    if (!s)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    int len;
    size_t i = 0;
    while (p[i] && !unsafe_at(p + i, &len))
        i += (size_t)len;
    if (!p[i])
        return s; /* nothing to escape: the common case costs one scan */
    rasd_buf_reset(scratch);
    rasd_buf_append(scratch, s, i);
    while (p[i]) {
        if (unsafe_at(p + i, &len)) {
            for (int k = 0; k < len; k++)
                rasd_buf_printf(scratch, "\\x%02x", p[i + (size_t)k]);
        } else {
            rasd_buf_append(scratch, p + i, (size_t)len);
        }
        i += (size_t)len;
    }
    rasd_buf_append(scratch, "", 0);
    return scratch->oom ? "(out of memory)" : scratch->data;
}
