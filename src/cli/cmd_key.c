/*
 * cmd_key.c — `rasd key`: the identity key (src/annotate/names.h) of each
 * name read from stdin, one name a line in, one key a line out, so
 * spellings can be compared by eye or with sort | uniq. --skeleton skips
 * the alias table; --form prints the matcher's form instead. `rasd key
 * --same A B` asks the matcher whether A and B are one name.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../annotate/names.h"

/* `rasd key --same A B`: prints "same" or "different" and the distance. */
static int key_same(const char *a, const char *b)
{
    Buf fa = {0}, fb = {0}, ka = {0}, kb = {0};
    int m = names_match(a, strlen(a), b, strlen(b));
    if (m < 0 || names_form(a, strlen(a), &fa) < 0 || names_form(b, strlen(b), &fb) < 0 ||
        names_key(a, strlen(a), &ka) < 0 || names_key(b, strlen(b), &kb) < 0) {
        cli_error("out of memory");
        return 1;
    }
    double d = names_form_distance(fa.data, fa.len, fb.data, fb.len);
    int same_key = ka.len == kb.len && (ka.len == 0 || memcmp(ka.data, kb.data, ka.len) == 0);
    if (d >= 1e8)
        printf("%s (words do not align; keys %s)\n", m ? "same" : "different",
               same_key ? "equal" : "differ");
    else
        printf("%s (distance %.2f; keys %s)\n", m ? "same" : "different", d,
               same_key ? "equal" : "differ");
    buf_free(&fa);
    buf_free(&fb);
    buf_free(&ka);
    buf_free(&kb);
    return fflush(stdout) == 0 ? 0 : 1;
}

int cmd_key(int argc, char **argv)
{
    int skeleton = 0, form = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--skeleton") == 0) {
            skeleton = 1;
        } else if (strcmp(argv[i], "--form") == 0) {
            form = 1;
        } else if (strcmp(argv[i], "--same") == 0 && i + 3 == argc) {
            return key_same(argv[i + 1], argv[i + 2]);
        } else {
            if (strcmp(argv[i], "--same") == 0)
                fputs("rasd key: --same takes two names\n", stderr);
            fputs(strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0
                      ? ""
                      : strcmp(argv[i], "--same") == 0 ? "" : "rasd key: unknown argument\n",
                  stderr);
            fputs("usage: rasd key [--skeleton|--form] < names\n"
                  "       rasd key --same NAME NAME\n"
                  "  one name per line on stdin, its key per line on stdout\n"
                  "  --skeleton   the spelling skeleton only, without the alias table\n"
                  "  --form       the matcher's form (vowels kept; * Arabic name)\n"
                  "  --same A B   are A and B one name to the matcher? (same/different)\n",
                  strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 ? stdout
                                                                                 : stderr);
            return strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 ? 0 : 2;
        }
    }
    Buf line = {0}, key = {0};
    int c, rc = 0;
    for (;;) {
        c = getchar();
        if (c != EOF && c != '\n') {
            buf_putc(&line, (char)c);
            continue;
        }
        if (c == EOF && line.len == 0)
            break;
        if (line.len && line.data[line.len - 1] == '\r')
            line.len--;
        buf_reset(&key);
        int r = skeleton ? names_skeleton(line.data ? line.data : "", line.len, &key)
                : form   ? names_form(line.data ? line.data : "", line.len, &key)
                         : names_key(line.data ? line.data : "", line.len, &key);
        if (r < 0 || line.oom) {
            cli_error("out of memory");
            rc = 1;
            break;
        }
        fwrite(key.data ? key.data : "", 1, key.len, stdout);
        putchar('\n');
        buf_reset(&line);
        if (c == EOF)
            break;
    }
    buf_free(&line);
    buf_free(&key);
    if (fflush(stdout) != 0) {
        cli_error("cannot write the keys");
        rc = 1;
    }
    return rc;
}
