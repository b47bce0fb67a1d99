/*
 * train_ner.c — build tool: trains the NER tagger from a CoNLL file and
 * writes models/ner.bin (`make model`).
 *
 *   train-ner [--epochs N] [--seed S] [--bits B] [--split train|all]
 *             [--cues FILE] [--gazetteers DIR] [--clusters FILE] [--folds K]
 *             [--extra WOJOOD] [--stacked] [-o OUT] FILE
 *
 * --split train (the default) holds out the dev split (every 10th sentence,
 * ner_is_dev) and reports exact-span F1 on it with the model as written,
 * i.e. after int16 quantisation; --split all trains on every sentence.
 * --folds K instead runs K-fold cross-validation over the non-dev sentences
 * and writes nothing: a second opinion on a setting that does not rest on
 * one split. Folds are contiguous blocks of sentences, so a fold's
 * documents are (nearly) unseen in training, unlike the dev split, whose
 * sentences share documents with the training ones.
 * The cue list and every *.txt in the gazetteer folder (sorted by name) are
 * stored in the model, and so is the word-cluster list given by --clusters
 * (data/lexicon/ner-clusters.txt, made by tools/make_ner_clusters.c; none
 * by default, so the cluster features are off). Training is deterministic:
 * same inputs, same bytes.
 * --stacked trains a two-stage model (NerTrainOpts.stacked): a first stage
 * tags the whole document and the second sees what it made of each word
 * elsewhere in the document. Training and evaluation take runs of
 * NER_CONLL_DOC consecutive sentences as documents.
 * --extra adds the sentences of a Wojood CoNLL file (MIT; its first,
 * outermost tag column) to every training set, never to dev or a test
 * fold, with its types mapped to ANERcorp's: PERS, ORG, GPE and LOC as LOC,
 * every other type O (Wojood's NORP, OCC, EVENT are not ANERcorp's MISC).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "annotate/ner.h"

static int read_file(const char *path, Buf *out)
{
    rasd_error err;
    if (buf_read_file(out, path, &err) == RASD_OK)
        return 0;
    fprintf(stderr, "train-ner: %s\n", err.msg);
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *what, const NerScore *s)
{
    double p, r, f = ner_score_f1(s, NER_NONE, &p, &r);
    printf("%s: micro P %.4f R %.4f F1 %.4f\n", what, p, r, f);
    for (unsigned t = 1; t < NER_NTYPES; t++) {
        f = ner_score_f1(s, t, &p, &r);
        printf("  %-5s P %.4f R %.4f F1 %.4f  (gold %llu)\n", ner_type_name(t), p, r, f,
               (unsigned long long)(s->tp[t] + s->fn[t]));
    }
}

/* Appends Wojood CoNLL text as "word TAG" lines with ANERcorp's types (see the top). */
static void wojood_mapped(const char *s, size_t n, Buf *out)
{
    size_t pos = 0;
    while (pos < n) {
        const char *line = s + pos, *eol = memchr(line, '\n', n - pos);
        size_t len = eol ? (size_t)(eol - line) : n - pos;
        pos += len + 1;
        size_t w = 0;
        while (w < len && line[w] != ' ' && line[w] != '\t' && line[w] != '\r')
            w++;
        if (w == 0) {
            buf_putc(out, '\n');
            continue;
        }
        size_t t = w;
        while (t < len && (line[t] == ' ' || line[t] == '\t'))
            t++;
        size_t te = t;
        while (te < len && line[te] != ' ' && line[te] != '\t' && line[te] != '\r')
            te++;
        const char *tag = line + t, *type = tag + 2;
        size_t tl = te - t, yl = tl > 2 ? tl - 2 : 0;
        const char *mapped = NULL;
        if (tl > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-') {
            if (yl == 4 && memcmp(type, "PERS", 4) == 0)
                mapped = "PERS";
            else if (yl == 3 && memcmp(type, "ORG", 3) == 0)
                mapped = "ORG";
            else if ((yl == 3 && memcmp(type, "GPE", 3) == 0) ||
                     (yl == 3 && memcmp(type, "LOC", 3) == 0))
                mapped = "LOC";
        }
        buf_append(out, line, w);
        if (mapped)
            buf_printf(out, " %c-%s\n", tag[0], mapped);
        else
            buf_puts(out, " O\n");
    }
    buf_putc(out, '\n');
}

static void usage(FILE *to)
{
    fputs("usage: train-ner [--epochs N] [--seed S] [--bits B] [--split train|all]\n"
          "                 [--cues FILE] [--gazetteers DIR] [--clusters FILE] [--folds K]\n"
          "                 [--extra WOJOOD] [--stacked] [-o OUT] FILE\n",
          to);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"epochs", required_argument, 0, 'e'}, {"seed", required_argument, 0, 's'},
        {"bits", required_argument, 0, 'b'},   {"split", required_argument, 0, 'S'},
        {"cues", required_argument, 0, 'c'},   {"gazetteers", required_argument, 0, 'g'},
        {"folds", required_argument, 0, 'k'},  {"margin", required_argument, 0, 'M'},
        {"o-penalty", required_argument, 0, 'P'}, {"clusters", required_argument, 0, 'C'},
        {"extra", required_argument, 0, 'X'}, {"stacked", no_argument, 0, 'D'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    NerTrainOpts o = {.epochs = 15, .seed = 20240601, .bits = 20, .margin = 40};
    const char *out_path = "models/ner.bin", *cues = "data/lexicon/ner-cues.txt";
    const char *gaz_dir = "data/gazetteer", *clusters = NULL, *extra = NULL;
    int all = 0, folds = 0, ch;
    while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'e': o.epochs = atoi(optarg); break;
        case 's': o.seed = strtoull(optarg, NULL, 10); break;
        case 'b': o.bits = (unsigned)atoi(optarg); break;
        case 'S':
            if (strcmp(optarg, "all") && strcmp(optarg, "train")) {
                usage(stderr);
                return 2;
            }
            all = strcmp(optarg, "all") == 0;
            break;
        case 'c': cues = optarg; break;
        case 'g': gaz_dir = optarg; break;
        case 'C': clusters = optarg; break;
        case 'X': extra = optarg; break;
        case 'D': o.stacked = 1; break;
        case 'k': folds = atoi(optarg); break;
        case 'M': o.margin = atoi(optarg); break;
        case 'P': o.o_penalty = atoi(optarg); break;
        case 'o': out_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }

    /* lexicon sections: the cue list, then the gazetteers sorted by name */
    NerSection secs[64];
    Buf texts[64];
    char *names[64];
    size_t nsecs = 0;
    memset(texts, 0, sizeof texts);
    if (read_file(cues, &texts[0]) < 0)
        return 1;
    secs[nsecs++] = (NerSection){NER_SEC_CUES, "ner-cues.txt", texts[0].data, texts[0].len};
    DIR *dir = opendir(gaz_dir);
    if (!dir) {
        fprintf(stderr, "train-ner: %s: %s\n", gaz_dir, strerror(errno));
        return 1;
    }
    size_t nnames = 0;
    struct dirent *de;
    while ((de = readdir(dir)) && nnames < 62) { /* room for the cues and the clusters */
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".txt") == 0)
            names[nnames++] = strdup(de->d_name);
    }
    closedir(dir);
    qsort(names, nnames, sizeof *names, cmp_str);
    for (size_t k = 0; k < nnames; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", gaz_dir, names[k]);
        if (read_file(path, &texts[nsecs]) < 0)
            return 1;
        secs[nsecs] = (NerSection){NER_SEC_GAZ, names[k], texts[nsecs].data, texts[nsecs].len};
        nsecs++;
    }
    if (clusters) { /* after the gazetteers, so their feature names stay as they were */
        if (read_file(clusters, &texts[nsecs]) < 0)
            return 1;
        secs[nsecs] = (NerSection){NER_SEC_CLUSTERS, "ner-clusters.txt", texts[nsecs].data,
                                   texts[nsecs].len};
        nsecs++;
    }

    Buf in = {0};
    if (read_file(argv[optind], &in) < 0)
        return 1;
    NerConll c;
    rasd_error err;
    if (ner_conll_parse(in.data, in.len, 1, argv[optind], &c, &err) != RASD_OK) {
        fprintf(stderr, "train-ner: %s\n", err.msg);
        return 1;
    }
    size_t nmain = c.nsent; /* sentences of FILE; the --extra ones follow */
    if (extra) {
        Buf ex = {0};
        if (read_file(extra, &ex) < 0)
            return 1;
        buf_putc(&in, '\n');
        wojood_mapped(ex.data ? ex.data : "", ex.len, &in);
        buf_free(&ex);
        ner_conll_free(&c);
        if (ner_conll_parse(in.data, in.len, 1, extra, &c, &err) != RASD_OK) {
            fprintf(stderr, "train-ner: %s\n", err.msg);
            return 1;
        }
    }
    size_t *train = malloc(c.nsent * sizeof *train), *dev = malloc(c.nsent * sizeof *dev);
    size_t ntrain = 0, ndev = 0, ntok = 0;
    for (size_t s = 0; s < nmain; s++) {
        if (!all && ner_is_dev(s))
            dev[ndev++] = s;
        else {
            train[ntrain++] = s;
            ntok += c.sent[s].word_end - c.sent[s].word_begin;
        }
    }
    printf("data: %zu sentences, %zu words; training on %zu sentences (%zu words), dev %zu\n",
           c.nsent, c.nwords, ntrain, ntok, ndev);
    printf("options: epochs %d, seed %llu, bits %u, %zu lexicon sections\n", o.epochs,
           (unsigned long long)o.seed, o.bits, nsecs);

    int rc = 0;
    if (folds > 1) {
        double sum = 0;
        NerScore total = {0};
        size_t *ftr = malloc((ntrain + c.nsent - nmain) * sizeof *ftr),
               *fte = malloc(ntrain * sizeof *fte);
        for (int k = 0; k < folds; k++) {
            size_t a = 0, b = 0;
            size_t lo = ntrain * (size_t)k / (size_t)folds;
            size_t hi = ntrain * (size_t)(k + 1) / (size_t)folds;
            for (size_t j = 0; j < ntrain; j++) {
                if (j >= lo && j < hi)
                    fte[b++] = train[j];
                else
                    ftr[a++] = train[j];
            }
            for (size_t s = nmain; s < c.nsent; s++)
                ftr[a++] = s; /* --extra sentences train every fold */
            Buf model = {0};
            NerModel *m = NULL;
            NerScore sc = {0};
            if (ner_train(&c, ftr, a, secs, nsecs, &o, &model, &err) != RASD_OK ||
                ner_model_load((const unsigned char *)model.data, model.len, &m, &err) !=
                    RASD_OK ||
                ner_conll_eval(m, &c, fte, b, &sc, &err) != RASD_OK) {
                fprintf(stderr, "train-ner: fold %d: %s\n", k, err.msg);
                return 1;
            }
            double f = ner_score_f1(&sc, NER_NONE, NULL, NULL);
            printf("fold %d: micro F1 %.4f\n", k, f);
            fflush(stdout);
            sum += f;
            for (int t = 0; t < NER_NTYPES; t++) {
                total.tp[t] += sc.tp[t];
                total.fp[t] += sc.fp[t];
                total.fn[t] += sc.fn[t];
            }
            ner_model_free(m);
            buf_free(&model);
        }
        printf("cross-validation: mean micro F1 over %d folds %.4f\n", folds, sum / folds);
        report("cross-validation (pooled)", &total);
        free(ftr);
        free(fte);
    } else {
        double t0 = now();
        Buf model = {0};
        if (ner_train(&c, train, ntrain, secs, nsecs, &o, &model, &err) != RASD_OK) {
            fprintf(stderr, "train-ner: %s\n", err.msg);
            return 1;
        }
        double t1 = now();
        FILE *f = fopen(out_path, "wb");
        if (!f || fwrite(model.data, 1, model.len, f) != model.len || fclose(f) != 0) {
            fprintf(stderr, "train-ner: %s: %s\n", out_path, strerror(errno));
            return 1;
        }
        printf("wrote %s: %zu bytes; training took %.1f s\n", out_path, model.len, t1 - t0);
        if (ndev) {
            NerModel *m = NULL;
            NerScore sc = {0};
            if (ner_model_load((const unsigned char *)model.data, model.len, &m, &err) !=
                    RASD_OK ||
                ner_conll_eval(m, &c, dev, ndev, &sc, &err) != RASD_OK) {
                fprintf(stderr, "train-ner: %s\n", err.msg);
                return 1;
            }
            report("dev (every 10th sentence, exact spans)", &sc);
            ner_model_free(m);
        }
        buf_free(&model);
    }
    free(train);
    free(dev);
    ner_conll_free(&c);
    buf_free(&in);
    for (size_t k = 0; k < nsecs; k++)
        buf_free(&texts[k]);
    for (size_t k = 0; k < nnames; k++)
        free(names[k]);
    return rc;
}
