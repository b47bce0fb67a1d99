/*
 * bench_ner.c — speed of the NER tagger alone: tokens tagged per second on
 * one core, on text the text core has already analysed (`make bench-ner`).
 *
 *   bench-ner [--model FILE] [--split dev|all] [--seconds S] CONLL-FILE
 *
 * Analyses the chosen sentences of the CoNLL file once (dev by default:
 * every 10th sentence), then tags them over and over, one sentence per
 * ner_tag_tokens call as `rasd tag` does, for at least S seconds (default
 * 3), and prints tokens/s. Analysis time is not counted.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "annotate/ner.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process: a speed figure that holds on a loaded machine */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path, Buf *out)
{
    rasd_error err;
    if (buf_read_file(out, path, &err) == RASD_OK)
        return 0;
    fprintf(stderr, "bench-ner: %s\n", err.msg);
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, 0, 'm'},
                                         {"split", required_argument, 0, 's'},
                                         {"seconds", required_argument, 0, 'S'},
                                         {0, 0, 0, 0}};
    const char *model_path = NULL, *split = "dev";
    double seconds = 3;
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'm': model_path = optarg; break;
        case 's': split = optarg; break;
        case 'S': seconds = atof(optarg); break;
        default:
            fprintf(stderr, "usage: bench-ner [--model FILE] [--split dev|all] [--seconds S] "
                            "CONLL-FILE\n");
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: bench-ner [--model FILE] [--split dev|all] [--seconds S] "
                        "CONLL-FILE\n");
        return 2;
    }
    rasd_error err;
    Buf in = {0}, mb = {0};
    NerModel *own = NULL;
    const NerModel *m;
    if (model_path) {
        if (read_file(model_path, &mb) < 0 ||
            ner_model_load((const unsigned char *)mb.data, mb.len, &own, &err) != RASD_OK) {
            fprintf(stderr, "bench-ner: cannot load %s\n", model_path);
            return 1;
        }
        m = own;
    } else if (!(m = ner_default(&err))) {
        fprintf(stderr, "bench-ner: %s\n", err.msg);
        return 1;
    }
    NerConll c;
    rasd_text *t;
    if (read_file(argv[optind], &in) < 0 ||
        ner_conll_parse(in.data, in.len, 0, argv[optind], &c, &err) != RASD_OK ||
        rasd_text_new(&t, &err) != RASD_OK) {
        fprintf(stderr, "bench-ner: cannot read %s\n", argv[optind]);
        return 1;
    }
    rasd_doc **docs = calloc(c.nsent ? c.nsent : 1, sizeof *docs);
    size_t ndocs = 0, ntok = 0, maxtok = 1;
    for (size_t s = 0; s < c.nsent; s++) {
        if (strcmp(split, "all") != 0 && !ner_is_dev(s))
            continue;
        uint32_t *tw;
        if (ner_conll_analyse(t, &c, s, &docs[ndocs], &tw, &err) != RASD_OK) {
            fprintf(stderr, "bench-ner: %s\n", err.msg);
            return 1;
        }
        free(tw);
        size_t n = rasd_doc_ntokens(docs[ndocs]);
        ntok += n;
        if (n > maxtok)
            maxtok = n;
        ndocs++;
    }
    uint8_t *tags = malloc(maxtok);
    uint64_t sink = 0, tagged = 0;
    int rounds = 0;
    /* one untimed round warms the caches and loads the model */
    for (size_t d = 0; d < ndocs; d++)
        ner_tag_tokens(m, rasd_doc_tokens(docs[d]), rasd_doc_ntokens(docs[d]), tags, &err);
    double t0 = now(), c0 = cpu_now(), el;
    do {
        for (size_t d = 0; d < ndocs; d++) {
            size_t n = rasd_doc_ntokens(docs[d]);
            if (ner_tag_tokens(m, rasd_doc_tokens(docs[d]), n, tags, &err) != RASD_OK) {
                fprintf(stderr, "bench-ner: %s\n", err.msg);
                return 1;
            }
            sink += n ? tags[n - 1] : 0;
        }
        tagged += ntok;
        rounds++;
        el = now() - t0;
    } while (el < seconds);
    double cpu = cpu_now() - c0;
    printf("ner: %zu sentences, %zu tokens (%s split), %d rounds in %.2f s: %.0f tokens/s "
           "(%.2f us/sentence); %.0f tokens per CPU second%s\n",
           ndocs, ntok, split, rounds, el, (double)tagged / el,
           el * 1e6 / ((double)ndocs * rounds), (double)tagged / (cpu > 0 ? cpu : el),
           sink == (uint64_t)-1 ? " " : "");
    for (size_t d = 0; d < ndocs; d++)
        rasd_doc_free(docs[d]);
    free(docs);
    free(tags);
    rasd_text_free(t);
    ner_conll_free(&c);
    ner_model_free(own);
    buf_free(&in);
    buf_free(&mb);
    return 0;
}
