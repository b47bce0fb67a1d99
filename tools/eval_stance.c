/*
 * eval_stance.c — precision and recall of "contradicts" (ANS disagree
 * against agree + other) of the headline contradiction detector
 * (story/contradict.c) on an ANS stance file, next to its baselines:
 *   eval_stance ../shared/data/stance/ans-stance.dev.csv
 * Baselines: every pair flagged (the base rate), negation on one side only,
 * and the hand rules (negation, antonyms or incompatible quantities).
 */
#include <time.h>

#include "stance_data.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: eval_stance ANS-STANCE.csv\n");
        return 2;
    }
    StanceSet s;
    clock_t t0 = clock();
    if (stance_load(argv[1], &s) != 0)
        return 1;
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    size_t pos = 0;
    for (size_t i = 0; i < s.n; i++)
        pos += s.y[i];
    const StanceModel *m = compare_default_model();
    printf("contradiction on %s: %zu pairs, %zu disagree (%zu lines skipped), "
           "features %.2f ms a pair\n",
           argv[1], s.n, pos, s.skipped, s.n ? 1000 * secs / (double)s.n : 0);
    unsigned char *pred = calloc(s.n ? s.n : 1, 1);
    if (!pred)
        return 1;
    for (size_t i = 0; i < s.n; i++)
        pred[i] = 1;
    stance_report("baseline: every pair", &s, pred);
    for (size_t i = 0; i < s.n; i++)
        pred[i] = s.X[i * CF_COUNT + CF_NEGATION] > 0;
    stance_report("baseline: negation on one side", &s, pred);
    for (size_t i = 0; i < s.n; i++)
        pred[i] = (unsigned char)compare_rules_contradict(s.X + i * CF_COUNT);
    stance_report("hand rules (neg|antonym|quantity)", &s, pred);
    for (size_t i = 0; i < s.n; i++)
        pred[i] = compare_model_score(m, s.X + i * CF_COUNT) >= m->threshold;
    char name[64];
    snprintf(name, sizeof name, "model (threshold %.2f)", m->threshold);
    stance_report(name, &s, pred);
    free(pred);
    stance_free(&s);
    return 0;
}
