/*
 * make_idf.c — builds data/lexicon/idf.txt, the document-frequency prior
 * of story vectors (src/story/vector.c), from openly licensed Arabic news
 * text in ../shared/data:
 *   - every text cell of CSV files (ANS headlines and claims, Apache-2.0;
 *     SemEval-2022 Task 8 article texts, Apache-2.0): one document each;
 *   - CoNLL files (CLEANANERCorp, GPL-3.0): five sentences per document.
 * Stems come from the text core, so the table must be rebuilt
 * (`make idf`) when stemming changes. Only stems in at least two
 * documents are written, sorted, so the output is deterministic.
 *
 *   make-idf FILE.csv|FILE.txt ... > data/lexicon/idf.txt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "rasd.h"
#include "util/util.h"

typedef struct Entry {
    char *stem;
    unsigned df;
} Entry;

static Entry *tab;
static size_t ntab, captab;
static IdMap where;      /* stem hash -> index + 1 */
static unsigned long ndocs;

static void count_doc(rasd_text *t, const char *text, size_t len)
{
    rasd_doc *d;
    rasd_error err;
    if (!len || rasd_text_analyse(t, text, len, &d, &err) != RASD_OK)
        return;
    IdMap seen = { 0 };
    const rasd_token *tk = rasd_doc_tokens(d);
    for (size_t i = 0; i < rasd_doc_ntokens(d); i++) {
        const rasd_token *x = &tk[i];
        if ((x->type != RASD_TOK_ARABIC && x->type != RASD_TOK_LATIN) ||
            (x->flags & RASD_TF_STOP) || x->stem_len < 2)
            continue;
        uint64_t h = rasd_hash(x->stem, x->stem_len);
        uint32_t *s = idmap_slot(&seen, h);
        if (!s || *s)
            continue;
        *s = 1;
        uint32_t *w = idmap_slot(&where, h);
        if (!w)
            exit(1);
        if (!*w) {
            if (ntab == captab) {
                captab = captab ? captab * 2 : 4096;
                tab = realloc(tab, captab * sizeof *tab);
                if (!tab)
                    exit(1);
            }
            tab[ntab].stem = strndup(x->stem, x->stem_len);
            tab[ntab].df = 0;
            *w = (uint32_t)++ntab;
        }
        tab[*w - 1].df++;
    }
    idmap_free(&seen);
    rasd_doc_free(d);
    ndocs++;
}

static int by_stem(const void *a, const void *b)
{
    return strcmp(((const Entry *)a)->stem, ((const Entry *)b)->stem);
}

int main(int argc, char **argv)
{
    rasd_text *t;
    rasd_error err;
    if (argc < 2 || rasd_text_new(&t, &err) != RASD_OK) {
        fprintf(stderr, "usage: make-idf FILE.csv|FILE.txt ...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        Buf b = { 0 };
        if (buf_read_file(&b, argv[i], &err) != RASD_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        size_t len = strlen(argv[i]);
        if (len > 4 && !strcmp(argv[i] + len - 4, ".csv")) {
            const char *p = b.data, *end = b.data + b.len;
            CsvRow row;
            int header = 1;
            while (csv_next(&p, end, &row) > 0) {
                for (size_t c = 0; c < row.n && !header; c++) {
                    size_t fl = strlen(row.f[c]);
                    /* text cells only: labels and ids are short or ASCII */
                    if (fl > 20)
                        count_doc(t, row.f[c], fl);
                }
                header = 0;
                csv_free(&row);
            }
        } else {
            /* CoNLL: token in the first column, blank line between sentences */
            Buf doc = { 0 };
            int sentences = 0;
            const char *p = b.data, *end = b.data + b.len;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *le = nl ? nl : end;
                const char *sp = p;
                while (sp < le && *sp != ' ' && *sp != '\t')
                    sp++;
                if (sp == p) {
                    if (++sentences == 5) {
                        count_doc(t, doc.data, doc.len);
                        buf_reset(&doc);
                        sentences = 0;
                    }
                } else {
                    buf_append(&doc, p, (size_t)(sp - p));
                    buf_putc(&doc, ' ');
                }
                p = le + 1;
            }
            count_doc(t, doc.data, doc.len);
            buf_free(&doc);
        }
        buf_free(&b);
    }
    qsort(tab, ntab, sizeof *tab, by_stem);
    printf("# idf.txt — document frequencies of stems for story vectors (src/story/vector.c),\n"
           "# made by tools/make_idf.c (`make idf`) from ANS (Apache-2.0), SemEval-2022 Task 8\n"
           "# Arabic texts (Apache-2.0) and CLEANANERCorp (GPL-3.0, five sentences a document).\n"
           "# Stems in at least two documents. N = documents.\n");
    printf("N\t%lu\n", ndocs);
    for (size_t i = 0; i < ntab; i++)
        if (tab[i].df >= 2)
            printf("%s\t%u\n", tab[i].stem, tab[i].df);
    rasd_text_free(t);
    return 0;
}
