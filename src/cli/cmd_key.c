/*
 * cmd_key.c — `rasd key`: the identity key (src/annotate/names.h) of each
 * name read from stdin, one name a line in, one key a line out, so
 * spellings can be compared by eye or with sort | uniq. --skeleton skips
 * the alias table.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../annotate/names.h"

int cmd_key(int argc, char **argv)
{
    int skeleton = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--skeleton") == 0) {
            skeleton = 1;
        } else {
            fputs(strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0
                      ? ""
                      : "rasd key: unknown argument\n",
                  stderr);
            fputs("usage: rasd key [--skeleton] < names\n"
                  "  one name per line on stdin, its key per line on stdout\n"
                  "  --skeleton   the spelling skeleton only, without the alias table\n",
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
