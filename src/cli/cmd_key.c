/*
 * cmd_key.c — `rasd key`: the identity key (rasd_name_key) of each
 * name read from stdin, one name a line in, one key a line out, so
 * spellings can be compared by eye or with sort | uniq. --skeleton skips
 * the alias table; --form prints the matcher's form instead. `rasd key
 * --same A B` asks the matcher whether A and B are one name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* `rasd key --same A B`: prints "same" or "different" and the distance. */
static int key_same(const char *a, const char *b)
{
    double d = 0;
    char *ka = NULL, *kb = NULL;
    size_t la = 0, lb = 0;
    int m = rasd_name_same(a, strlen(a), b, strlen(b), &d);
    if (m < 0 || rasd_name_key(a, strlen(a), RASD_NAME_KEY, &ka, &la, NULL) != RASD_OK ||
        rasd_name_key(b, strlen(b), RASD_NAME_KEY, &kb, &lb, NULL) != RASD_OK) {
        rasd_free(ka);
        cli_error("out of memory");
        return 1;
    }
    int same_key = la == lb && memcmp(ka, kb, la) == 0;
    if (d >= 1e8)
        printf("%s (words do not align; keys %s)\n", m ? "same" : "different",
               same_key ? "equal" : "differ");
    else
        printf("%s (distance %.2f; keys %s)\n", m ? "same" : "different", d,
               same_key ? "equal" : "differ");
    rasd_free(ka);
    rasd_free(kb);
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
    rasd_buf line = {0};
    int c, rc = 0;
    for (;;) {
        c = getchar();
        if (c != EOF && c != '\n') {
            rasd_buf_putc(&line, (char)c);
            continue;
        }
        if (c == EOF && line.len == 0)
            break;
        if (line.len && line.data[line.len - 1] == '\r')
            line.len--;
        char *key = NULL;
        size_t kl = 0;
        if (line.oom || rasd_name_key(line.data ? line.data : "", line.len,
                                      skeleton ? RASD_NAME_SKELETON
                                      : form   ? RASD_NAME_FORM
                                               : RASD_NAME_KEY,
                                      &key, &kl, NULL) != RASD_OK) {
            cli_error("out of memory");
            rc = 1;
            break;
        }
        fwrite(key, 1, kl, stdout);
        putchar('\n');
        rasd_free(key);
        rasd_buf_reset(&line);
        if (c == EOF)
            break;
    }
    rasd_buf_free(&line);
    if (fflush(stdout) != 0) {
        cli_error("cannot write the keys");
        rc = 1;
    }
    return rc;
}
