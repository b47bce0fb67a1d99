/*
 * test_fingerprint.c — near-copy fingerprints (src/story/fingerprint.c):
 * the distinct word shingles of a text, and the MinHash estimate of two
 * texts' overlap against the exact one.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "story/fingerprint.h"

static rasd_doc *doc(const char *s)
{
    static rasd_text *t;
    rasd_error err;
    rasd_doc *d = NULL;
    if (!t && rasd_text_new(&t, &err) != RASD_OK)
        return NULL;
    CHECK(rasd_text_analyse(t, s, strlen(s), &d, &err) == RASD_OK);
    return d;
}

static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, same = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            same++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return na + nb - same ? (double)same / (double)(na + nb - same) : 0;
}

TEST("fingerprint: distinct shingles come sorted, and MinHash estimates their overlap")
{
    const char *a = "أعلنت وزارة الصحة اليوم تسجيل خمس حالات جديدة في المنطقة الشرقية وأكدت أن "
                    "الحالات تتلقى العلاج في المستشفيات وأن الوضع تحت السيطرة التامة";
    const char *b = "أعلنت وزارة الصحة اليوم تسجيل ست حالات جديدة في المنطقة الشرقية وأكدت أن "
                    "الحالات تتلقى العلاج في المستشفيات وأن الوضع تحت السيطرة التامة";
    rasd_doc *da = doc(a), *db = doc(b), *de = doc("");
    if (!da || !db || !de)
        return;
    size_t na = 0, nb = 0, ne = 5;
    uint64_t *sa = fp_shingles(da, &na), *sb = fp_shingles(db, &nb), *se = fp_shingles(de, &ne);
    CHECK(na > 10 && nb > 10 && ne == 0);
    int sorted = 1;
    for (size_t i = 1; i < na; i++)
        sorted &= sa[i - 1] < sa[i];
    CHECK(sorted);
    uint32_t ga[FP_MINHASH], gb[FP_MINHASH];
    CHECK(fp_minhash(da, ga) > 0 && fp_minhash(db, gb) > 0);
    double exact = jaccard(sa, na, sb, nb), est = fp_similarity(ga, gb, FP_MINHASH);
    CHECK(exact > 0.3 && exact < 1 && est > exact - 0.2 && est < exact + 0.2);
    CHECK(fp_similarity(ga, ga, FP_MINHASH) == 1 && fp_similarity(ga, gb, 0) == 0);
    free(sa);
    free(sb);
    free(se);
    rasd_doc_free(da);
    rasd_doc_free(db);
    rasd_doc_free(de);
}
