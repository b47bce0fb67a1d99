/*
 * eval_ner.c — evaluation tool: exact-span CoNLL precision, recall and F1
 * (micro and per type, as conlleval counts them) of the NER tagger on a
 * CoNLL file with gold tags (`make eval`).
 *
 *   eval-ner [--model FILE] [--split dev|train|all] [--errors] FILE
 *
 * Without --model it scores the model compiled into the library. --split
 * dev (the default) scores only the dev sentences (every 10th, ner_is_dev),
 * which the committed model was not trained on. --errors prints each
 * sentence whose spans differ: word, gold tag, predicted tag.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/ner.h"

static int read_file(const char *path, Buf *out)
{
    rasd_error err;
    if (buf_read_file(out, path, &err) == RASD_OK)
        return 0;
    fprintf(stderr, "eval-ner: %s\n", err.msg);
    return -1;
}

static void usage(FILE *to)
{
    fputs("usage: eval-ner [--model FILE] [--split dev|train|all] [--errors] FILE\n", to);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"model", required_argument, 0, 'm'},
                                         {"split", required_argument, 0, 's'},
                                         {"errors", no_argument, 0, 'E'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *model_path = NULL, *split = "dev";
    int errors = 0, ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'm': model_path = optarg; break;
        case 's': split = optarg; break;
        case 'E': errors = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1 ||
        (strcmp(split, "dev") && strcmp(split, "train") && strcmp(split, "all"))) {
        usage(stderr);
        return 2;
    }
    rasd_error err;
    const NerModel *m;
    NerModel *own = NULL;
    Buf mb = {0}, in = {0};
    if (model_path) {
        if (read_file(model_path, &mb) < 0)
            return 1;
        if (ner_model_load((const unsigned char *)mb.data, mb.len, &own, &err) != RASD_OK) {
            fprintf(stderr, "eval-ner: %s: %s\n", model_path, err.msg);
            return 1;
        }
        m = own;
    } else if (!(m = ner_default(&err))) {
        fprintf(stderr, "eval-ner: %s\n", err.msg);
        return 1;
    }
    if (!ner_model_current(m))
        fprintf(stderr, "eval-ner: warning: the text core changed since this model was "
                        "trained; retrain it (make model) before trusting these figures\n");
    if (read_file(argv[optind], &in) < 0)
        return 1;
    NerConll c;
    if (ner_conll_parse(in.data, in.len, 1, argv[optind], &c, &err) != RASD_OK) {
        fprintf(stderr, "eval-ner: %s\n", err.msg);
        return 1;
    }
    rasd_text *t;
    if (rasd_text_new(&t, &err) != RASD_OK) {
        fprintf(stderr, "eval-ner: %s\n", err.msg);
        return 1;
    }
    NerScore sc = {0};
    size_t nsent = 0;
    uint8_t *pred = malloc(c.nwords ? c.nwords : 1);
    for (size_t s = 0; s < c.nsent; s++) {
        int dev = ner_is_dev(s);
        if ((!strcmp(split, "dev") && !dev) || (!strcmp(split, "train") && dev))
            continue;
        size_t b = c.sent[s].word_begin, nw = c.sent[s].word_end - b;
        if (ner_conll_tag(m, t, &c, s, pred, &err) != RASD_OK) {
            fprintf(stderr, "eval-ner: sentence %zu: %s\n", s, err.msg);
            return 1;
        }
        NerScore one = {0};
        ner_score_add(&one, c.gold + b, pred, nw);
        for (int k = 0; k < NER_NTYPES; k++) {
            sc.tp[k] += one.tp[k];
            sc.fp[k] += one.fp[k];
            sc.fn[k] += one.fn[k];
        }
        nsent++;
        uint64_t wrong = 0;
        for (int k = 0; k < NER_NTYPES; k++)
            wrong += one.fp[k] + one.fn[k];
        if (errors && wrong) {
            printf("# sentence %zu\n", s);
            for (size_t w = 0; w < nw; w++)
                printf("%s\t%s\t%s%s\n", c.pool + c.woff[b + w], ner_tag_name(c.gold[b + w]),
                       ner_tag_name(pred[w]), c.gold[b + w] != pred[w] ? "\t<<" : "");
            printf("\n");
        }
    }
    double p, r, f = ner_score_f1(&sc, NER_NONE, &p, &r);
    printf("NER %s split of %s (%zu sentences; exact-span CoNLL scoring)\n", split,
           argv[optind], nsent);
    printf("  micro  P %.4f  R %.4f  F1 %.4f\n", p, r, f);
    for (unsigned ty = 1; ty < NER_NTYPES; ty++) {
        f = ner_score_f1(&sc, ty, &p, &r);
        printf("  %-5s  P %.4f  R %.4f  F1 %.4f  (gold %llu)\n", ner_type_name(ty), p, r, f,
               (unsigned long long)(sc.tp[ty] + sc.fn[ty]));
    }
    free(pred);
    rasd_text_free(t);
    ner_conll_free(&c);
    ner_model_free(own);
    buf_free(&mb);
    buf_free(&in);
    return 0;
}
