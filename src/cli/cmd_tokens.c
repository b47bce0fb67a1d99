/*
 * cmd_tokens.c — `rasd tokens`: prints what the text core sees in a file,
 * for debugging and for the golden tests' eyes (rasd_doc_render).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *to)
{
    fputs("usage: rasd tokens [--json | --segments | --sentences | --normalise] FILE|-\n"
          "  (default)     one line per sentence: key/TYPE tokens\n"
          "  --segments    clitic segmentation and stem: pre+word+suf=stem\n"
          "  --sentences   one sentence per line, as in the text\n"
          "  --normalise   the text in matching-key form\n"
          "  --json        tokens with offsets, keys, stems, flags, and sentences\n",
          to);
}

/* Appends the view of d's tokens [b, e) to out; -1 after printing why. */
static int render(const rasd_doc *d, int view, size_t b, size_t e, rasd_buf *out)
{
    char *s = NULL;
    size_t n = 0;
    rasd_error err;
    if (rasd_doc_render(d, view, b, e, &s, &n, &err) != RASD_OK) {
        cli_error("%s", err.msg);
        return -1;
    }
    rasd_buf_append(out, s, n);
    rasd_free(s);
    return 0;
}

int cmd_tokens(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'},      {"segments", no_argument, 0, 's'},
        {"sentences", no_argument, 0, 'S'}, {"normalise", no_argument, 0, 'n'},
        {"normalize", no_argument, 0, 'n'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int mode = 't', c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': case 's': case 'S': case 'n':
            mode = c;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            help(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        help(stderr);
        return 2;
    }
    const char *path = argv[optind];
    rasd_buf in = {0}, out = {0};
    if (cli_read_file(path, &in) < 0) {
        rasd_buf_free(&in);
        return 1;
    }
    rasd_error err;
    int rc = 0;
    if (mode == 'n') {
        char *norm;
        size_t nl;
        if (rasd_normalise(in.data ? in.data : "", in.len, RASD_NORM_KEY, &norm, &nl, NULL,
                           &err) != RASD_OK) {
            cli_error("%s: %s", path, err.msg);
            rasd_buf_free(&in);
            return 1;
        }
        fwrite(norm, 1, nl, stdout);
        free(norm);
        rasd_buf_free(&in);
        return 0;
    }
    rasd_text *t = NULL;
    rasd_doc *d = NULL;
    if (rasd_text_new(&t, &err) != RASD_OK ||
        rasd_text_analyse(t, in.data, in.len, &d, &err) != RASD_OK) {
        cli_error("%s: %s", path, err.msg);
        rc = 1;
        goto out;
    }
    if (rasd_doc_invalid(d))
        cli_error("%s: %zu invalid UTF-8 sequences replaced by U+FFFD", path, rasd_doc_invalid(d));
    if (mode == 'j' || mode == 'S') {
        if (render(d, mode == 'j' ? RASD_VIEW_JSON : RASD_VIEW_SENTENCES, 0, 0, &out) < 0)
            rc = 1;
    } else {
        /* per sentence, so long texts stay readable */
        const rasd_sentence *ss = rasd_doc_sentences(d);
        for (size_t i = 0; rc == 0 && i < rasd_doc_nsentences(d); i++) {
            /* an empty sentence renders as no tokens, not as all of them */
            if (ss[i].tok_end > ss[i].tok_begin &&
                render(d, mode == 's' ? RASD_VIEW_SEGMENTS : RASD_VIEW_TOKENS, ss[i].tok_begin,
                       ss[i].tok_end, &out) < 0)
                rc = 1;
            rasd_buf_putc(&out, '\n');
        }
    }
    if (mode == 'j' || mode == 'S')
        rasd_buf_putc(&out, '\n');
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
out:
    rasd_doc_free(d);
    rasd_text_free(t);
    rasd_buf_free(&in);
    rasd_buf_free(&out);
    return rc;
}
