/*
 * bench_stories.c — story assignment on SaudiNewsNet (make bench-stories).
 *
 *   bench-stories [--replay K] [--dump FILE] [--seed S] DAY.json ...
 *
 * Loads the days, sorts articles by date_extracted, builds their story
 * vectors (text core, NER keys; not timed: that is ingest's cost), then
 * times the assignment stage alone, one core:
 *   - throughput and time per article at 5k, 10k, ... articles;
 *   - the same articles replayed K times (default 10) with dates shifted
 *     by 31 days a round, to show time per article stays flat and memory
 *     follows the window, not the archive;
 *   - order sensitivity: the articles of each day shuffled (seeded) and
 *     assigned again; the pairwise F1 between the two groupings;
 *   - --dump FILE writes every event of 3+ articles (titles, outlets) and
 *     near-miss event pairs (an article that opened an event with a link
 *     score within 0.2 below the threshold) for hand checking;
 *   - --pairs TSV (up to four times): how the grouping treats hand-labelled pairs;
 *   - --cpu: the assignment times are the process's CPU time, not wall time (a
 *     loaded machine's figure that can be compared across binaries);
 *   - --threshold, --merge, --profile, --window: assignment options; --model FILE:
 *     a pair model (models/similarity.txt format) instead of the embedded one;
 *   - --df day|run|article: document frequencies the weights use — day (default,
 *     as the store's assignment, stories.c): each day's articles with the counts of
 *     that day and the days before; run: every article of the run (the store's
 *     full replays up to session 4); article: the articles up to this one;
 *   - --threads FILE: threads of 3+ events whose articles all come from one outlet
 *     (counted, and written with their titles);
 *   - --no-own: with --df day, keep each outlet's own words (vector.h sv_df_own: its
 *     name and boilerplate lines, learnt from the run) that the store leaves out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snn.h"
#include "story/cluster.h"

static clockid_t clock_id = CLOCK_MONOTONIC; /* --cpu: the process's CPU time instead */

static double now(void)
{
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static int copy_vec(StoryVec *dst, const StoryVec *src, int shift)
{
    if (sv_copy(dst, src) < 0)
        return -1;
    if (dst->day != SV_NO_DAY)
        dst->day += shift;
    return 0;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Pairwise F1 between two labelings of n items. */
static double pair_f1(const uint32_t *a, const uint32_t *b, size_t n)
{
    IdMap ab = { 0 }, ma = { 0 }, mb = { 0 };
    for (size_t i = 0; i < n; i++) {
        (*idmap_slot(&ab, ((uint64_t)a[i] << 32 | b[i]) + 1))++;
        (*idmap_slot(&ma, (uint64_t)a[i] + 1))++;
        (*idmap_slot(&mb, (uint64_t)b[i] + 1))++;
    }
    double tp = 0, pa = 0, pb = 0;
    for (size_t s = 0; s < ab.cap; s++)
        if (ab.ids[s])
            tp += (double)ab.vals[s] * (ab.vals[s] - 1) / 2;
    for (size_t s = 0; s < ma.cap; s++)
        if (ma.ids[s])
            pa += (double)ma.vals[s] * (ma.vals[s] - 1) / 2;
    for (size_t s = 0; s < mb.cap; s++)
        if (mb.ids[s])
            pb += (double)mb.vals[s] * (mb.vals[s] - 1) / 2;
    idmap_free(&ab);
    idmap_free(&ma);
    idmap_free(&mb);
    return pa + pb > 0 ? 2 * tp / (pa + pb) : 1;
}

/*
 * --pairs TSV: hand-labelled pairs "url_a<TAB>url_b<TAB>label" (1 same
 * event, 0 not; other labels skipped): how often the grouping puts a
 * same-event pair together (recall) and how often the pairs it puts
 * together are same-event ones (precision). A file whose different-event
 * pairs say "story" in a later column (event-pairs.xday.tsv) also gets how
 * many of those share an event (wrong) or a thread (right). The pairs were sampled among
 * textually close articles, so these are the hard decisions.
 */
static int pairs_errors; /* --pairs-errors: list the pairs the grouping gets wrong */

static void labelled_pairs(const char *path, const SnnArticle *arr, size_t n, const uint32_t *lab,
                           const uint32_t *thr, const StoryVec *vecs)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char line[8192];
    size_t tp = 0, fp = 0, fn = 0, tn = 0, missing = 0;
    size_t nstory = 0, story_ev = 0, story_th = 0, ev_th = 0; /* fifth column "story" */
    while (fgets(line, sizeof line, f)) {
        size_t ia, ib;
        int story = strstr(line, "\tstory") != NULL;
        int gold, got = snn_pair_line(line, arr, n, &ia, &ib, &gold);
        missing += got < 0;
        if (got <= 0)
            continue;
        int same = lab[ia] == lab[ib];
        int one_thread = thr[lab[ia]] == thr[lab[ib]];
        if (story && !gold) {
            nstory++;
            story_ev += same;
            story_th += one_thread;
        }
        ev_th += gold && one_thread;
        if (pairs_errors == 2) {
            SimParts sp;
            sim_features(&vecs[ia], &vecs[ib], &sp);
            printf("PAIR\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%.3f\n", gold, same,
                   sp.f[SIM_TERMS], sp.f[SIM_TITLE], sp.f[SIM_ENTS], sp.f[SIM_CROSS],
                   sp.f[SIM_NEAR], sp.f[SIM_NUMS], sp.gap, sim_score(sim_default(), &sp));
        }
        if (pairs_errors == 1 && same != gold) {
            SimParts sp;
            sim_features(&vecs[ia], &vecs[ib], &sp);
            double sc = sim_score(sim_default(), &sp);
            printf("  %s (pair %.2f; terms %.2f cross %.2f ents %.2f nums %.2f, gap %d%s%s%s): "
                   "%s | %s\n",
                   gold ? "apart, same event" : "together, not one event", sc, sp.f[SIM_TERMS],
                   sp.f[SIM_CROSS], sp.f[SIM_ENTS], sp.f[SIM_NUMS], sp.gap,
                   sp.tmpl ? ", shape " : "", sim_template_name(sp.tmpl),
                   sp.conflict ? " (slot disagrees)" : "", arr[ia].title, arr[ib].title);
        }
        tp += same && gold;
        fp += same && !gold;
        fn += !same && gold;
        tn += !same && !gold;
    }
    fclose(f);
    printf("labelled pairs (%zu, %zu not in these days): same event together %zu of %zu "
           "(recall %.3f), different events together %zu of %zu (precision %.3f)\n",
           tp + fp + fn + tn, missing, tp, tp + fn, tp + fn ? (double)tp / (tp + fn) : 0, fp,
           fp + tn, tp + fp ? (double)tp / (tp + fp) : 0);
    if (nstory) /* a file that says which different-event pairs share a story */
        printf("  same story, another event (%zu): together in one event %zu (wrong), in one "
               "thread %zu; same-event pairs in one thread %zu of %zu\n",
               nstory, story_ev, story_th, ev_th, tp + fn);
}

/* Assigns vecs[order[i]] for i < n (copies), returns labels by article. */
static AssignOpts opts;
static SimModel model; /* --model FILE */
static int model_set;

static double run(const StoryVec *vecs, const size_t *order, size_t n, int rounds,
                  uint32_t *labels, Assigner **keep, int verbose)
{
    Assigner *a = assign_new(&opts, model_set ? &model : NULL);
    double spent = 0, last = 0;
    size_t mark = 5000, prev = 0;
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            StoryVec v;
            if (copy_vec(&v, &vecs[order[i]], 31 * r) < 0) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
            double s = now();
            if (assign_add(a, &v) < 0) {
                fprintf(stderr, "assign: out of memory\n");
                exit(1);
            }
            spent += now() - s;
            size_t done = (size_t)r * n + i + 1;
            if (verbose && (done == mark || done == (size_t)rounds * n)) {
                size_t open, terms, scored;
                assign_stats(a, &open, &terms, &scored);
                printf("  %7zu articles: %6.1f us/article over the last stretch, "
                       "%.0f articles/s overall, window %zu articles, index %zu keys, RSS %ld MB\n",
                       done, (spent - last) * 1e6 / (double)(done - prev),
                       done / spent, open, terms, rss_kb() / 1024);
                last = spent;
                prev = done;
                mark *= 2;
            }
        }
    }
    double s = now();
    assign_finish(a);
    spent += now() - s;
    if (labels)
        for (size_t i = 0; i < n; i++)
            labels[order[i]] = assign_event(a, i);
    if (keep)
        *keep = a;
    else
        assign_free(a);
    return spent;
}

/*
 * Threads of 3+ events whose articles all come from one outlet: what an
 * outlet's own words (its name, boilerplate) can carry when they count.
 * Prints their number and articles; writes each (events, titles) to path.
 */
static int one_outlet_threads(const char *path, Assigner *a, const SnnArticle *arr, size_t n,
                              const uint32_t *lab, const uint32_t *size, size_t nev)
{
    size_t nth = assign_nthreads(a);
    uint32_t *nevs = calloc(nth + 1, sizeof *nevs);
    const char **src = calloc(nth + 1, sizeof *src);
    uint8_t *mixed = calloc(nth + 1, 1);
    FILE *f = fopen(path, "w");
    if (!nevs || !src || !mixed || !f) {
        perror(path);
        free(nevs);
        free(src);
        free(mixed);
        if (f)
            fclose(f);
        return -1;
    }
    for (size_t e = 0; e < nev; e++) {
        uint32_t t = assign_thread(a, (uint32_t)e);
        if (size[e] && t < nth)
            nevs[t]++;
    }
    for (size_t k = 0; k < n; k++) {
        uint32_t t = assign_thread(a, lab[k]);
        if (t >= nth)
            continue;
        if (!src[t])
            src[t] = arr[k].source;
        else if (strcmp(src[t], arr[k].source))
            mixed[t] = 1;
    }
    size_t count = 0, arts = 0;
    for (size_t t = 0; t < nth; t++) {
        if (nevs[t] < 3 || mixed[t] || !src[t])
            continue;
        count++;
        fprintf(f, "== thread %zu (%u events, %s)\n", t, nevs[t], src[t]);
        for (size_t k = 0; k < n; k++)
            if (assign_thread(a, lab[k]) == t) {
                arts++;
                fprintf(f, "  %s  e%-6u %s\n", arr[k].date, lab[k], arr[k].title);
            }
    }
    fclose(f);
    printf("threads of 3+ events from one outlet: %zu holding %zu articles (written to %s)\n",
           count, arts, path);
    free(nevs);
    free(src);
    free(mixed);
    return 0;
}

int main(int argc, char **argv)
{
    int replay = 10;
    const char *dfmode = "day";
    const char *threads_out = NULL; /* --threads FILE: one outlet's threads of 3+ events */
    int own = 1; /* --no-own: keep each outlet's own words (its name, its boilerplate) */
    assign_opts_default(&opts);
    const char *dump = NULL, *pairs[4] = { NULL };
    int npairs = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--replay") && i + 1 < argc)
            replay = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(argv[i], "--pairs") && i + 1 < argc && npairs < 4)
            pairs[npairs++] = argv[++i];
        else if (!strcmp(argv[i], "--cpu"))
            clock_id = CLOCK_PROCESS_CPUTIME_ID;
        else if (!strcmp(argv[i], "--pairs-errors"))
            pairs_errors = 1;
        else if (!strcmp(argv[i], "--pairs-all")) /* every pair's components, tab-separated */
            pairs_errors = 2;
        else if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
            opts.event_threshold = atof(argv[++i]);
        else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
            opts.profile_weight = atof(argv[++i]);
        else if (!strcmp(argv[i], "--merge") && i + 1 < argc)
            opts.merge_threshold = atof(argv[++i]);
        else if (!strcmp(argv[i], "--window") && i + 1 < argc)
            opts.window_days = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads_out = argv[++i];
        else if (!strcmp(argv[i], "--no-own"))
            own = 0;
        else if (!strcmp(argv[i], "--df") && i + 1 < argc)
            dfmode = argv[++i];
        else if (!strcmp(argv[i], "--model") && i + 1 < argc) {
            /* a pair model file (models/similarity.txt's format) instead of the embedded one */
            FILE *mf = fopen(argv[++i], "rb");
            char text[8192];
            size_t got = mf ? fread(text, 1, sizeof text, mf) : 0;
            if (mf)
                fclose(mf);
            if (!mf || sim_model_parse(&model, text, got) < 0) {
                fprintf(stderr, "bench-stories: %s: %s\n", argv[i], mf ? "not a pair model" : "cannot open");
                return 2;
            }
            model_set = 1;
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            rng = strtoull(argv[++i], NULL, 10) | 1;
        else {
            fprintf(stderr, "usage: bench-stories [--replay K] [--dump FILE] [--pairs TSV] [--seed S]\n"
                            "       [--threshold T] [--merge M] [--profile W] [--window D] [--model FILE] [--cpu]\n"
                            "       [--df day|run|article] [--no-own] [--threads FILE]\n"
                            "       DAY.json ...\n");
            return 2;
        }
    }
    SnnArticle *arr = NULL;
    size_t n = 0;
    for (; i < argc; i++)
        if (snn_load(argv[i], &arr, &n) < 0)
            return 1;
    qsort(arr, n, sizeof *arr, snn_by_date);
    rasd_text *t;
    rasd_error err;
    if (rasd_text_new(&t, &err) != RASD_OK)
        return 1;
    SvDf *df = sv_df_new();
    StoryVec *vecs = calloc(n ? n : 1, sizeof *vecs);
    double t0 = now();
    for (size_t k = 0; k < n; k++)
        if (snn_vector(t, arr[k].title, arr[k].content, arr[k].date, 1, &vecs[k]))
            return 1;
    if (!strcmp(dfmode, "article")) {
        for (size_t k = 0; k < n; k++) {
            sv_df_add(df, &vecs[k]);
            sv_weigh(&vecs[k], df);
        }
    } else if (!strcmp(dfmode, "run")) {
        for (size_t k = 0; k < n; k++)
            sv_df_add(df, &vecs[k]);
        for (size_t k = 0; k < n; k++)
            sv_weigh(&vecs[k], df);
    } else { /* day: the counts at the end of each article's day (sorted by date) and each
                outlet's own words left out (as the store's assignment) unless --no-own */
        for (size_t lo = 0, hi; lo < n; lo = hi) {
            for (hi = lo; hi < n && vecs[hi].day == vecs[lo].day; hi++) {
                sv_df_add(df, &vecs[hi]);
                if (own && sv_df_add_outlet(df, &vecs[hi], sv_outlet_id(arr[hi].source)) < 0)
                    return 1;
            }
            if (own && sv_df_day_end(df) < 0)
                return 1;
            for (size_t k = lo; k < hi; k++)
                sv_weigh_outlet(&vecs[k], df, own ? sv_outlet_id(arr[k].source) : 0);
        }
    }
    printf("document frequencies: %s\n", dfmode);
    printf("story vectors for %zu articles (text core + NER + vector): %.1f s (not part of the "
           "assignment figures)\n", n, now() - t0);

    size_t *order = malloc(n * sizeof *order);
    for (size_t k = 0; k < n; k++)
        order[k] = k;
    uint32_t *lab1 = malloc(n * sizeof *lab1), *lab2 = malloc(n * sizeof *lab2);
    Assigner *a1;
    printf("assignment, publication order, %d round(s) of %zu articles:\n", replay, n);
    double spent = run(vecs, order, n, replay, NULL, NULL, 1);
    printf("  total %.2f s: %.0f articles/s\n", spent, (double)n * replay / spent);
    spent = run(vecs, order, n, 1, lab1, &a1, 0);
    printf("one pass: %.2f s, %.0f articles/s\n", spent, n / spent);

    /* events and threads */
    size_t nev = assign_nevents(a1);
    uint32_t *size = calloc(nev, sizeof *size);
    for (size_t k = 0; k < n; k++)
        size[lab1[k]]++;
    size_t events = 0, big = 0, in_big = 0, single = 0;
    for (size_t e = 0; e < nev; e++) {
        if (!size[e])
            continue;
        events++;
        single += size[e] == 1;
        if (size[e] >= 3) {
            big++;
            in_big += size[e];
        }
    }
    IdMap th = { 0 };
    for (size_t e = 0; e < nev; e++)
        if (size[e])
            (*idmap_slot(&th, (uint64_t)assign_thread(a1, (uint32_t)e) + 1))++;
    printf("events: %zu (%zu single-article, %zu with 3+ articles holding %zu articles); "
           "threads: %zu\n", events, single, big, in_big, th.n);
    idmap_free(&th);

    /* order sensitivity: shuffle within each day */
    size_t lo = 0;
    while (lo < n) {
        size_t hi = lo;
        while (hi < n && vecs[hi].day == vecs[lo].day)
            hi++;
        for (size_t k = hi; k-- > lo + 1;) {
            size_t j = lo + next_rand() % (k - lo + 1);
            size_t x = order[k];
            order[k] = order[j];
            order[j] = x;
        }
        lo = hi;
    }
    run(vecs, order, n, 1, lab2, NULL, 0);
    printf("order sensitivity: pairwise F1 between publication order and a within-day "
           "shuffle: %.3f\n", pair_f1(lab1, lab2, n));

    uint32_t *thr = malloc(nev * sizeof *thr); /* thread of each event */
    for (size_t e = 0; e < nev; e++)
        thr[e] = assign_thread(a1, (uint32_t)e);
    for (int p = 0; p < npairs; p++)
        labelled_pairs(pairs[p], arr, n, lab1, thr, vecs);
    free(thr);

    if (threads_out && one_outlet_threads(threads_out, a1, arr, n, lab1, size, nev) < 0)
        return 1;
    if (dump) {
        FILE *f = fopen(dump, "w");
        if (!f) {
            perror(dump);
            return 1;
        }
        for (size_t e = 0; e < nev; e++) {
            if (size[e] < 3)
                continue;
            fprintf(f, "== event %zu (%u articles, thread %u)\n", e, size[e],
                    assign_thread(a1, (uint32_t)e));
            for (size_t k = 0; k < n; k++)
                if (lab1[k] == e)
                    fprintf(f, "  %s  %-10s %.2f  %s\n", arr[k].date, arr[k].source,
                            assign_best_score(a1, k), arr[k].title);
        }
        /* near misses: an article that opened an event just below the threshold */
        double floor_s =
            (opts.event_threshold >= 0 ? opts.event_threshold : sim_default()->event_threshold) - 0.2;
        fprintf(f, "\n#### near misses (score %.2f to the threshold)\n", floor_s);
        for (size_t k = 0; k < n; k++) {
            double sc;
            uint32_t e = assign_nearest(a1, k, &sc);
            if (e == UINT32_MAX || sc < floor_s)
                continue;
            /* the event's articles before A (at most three), which A was compared with */
            size_t shown = 0;
            for (size_t q = 0; q < k && shown < 3; q++) {
                if (lab1[q] != e)
                    continue;
                if (!shown++)
                    fprintf(f, "-- near miss %.2f (event %u, %u articles)\n  A %s %-10s %s\n", sc, e,
                            size[e], arr[k].date, arr[k].source, arr[k].title);
                fprintf(f, "  B %s %-10s %s\n", arr[q].date, arr[q].source, arr[q].title);
            }
        }
        fclose(f);
        printf("events of 3+ articles and near misses written to %s\n", dump);
    }
    free(size);
    assign_free(a1);
    for (size_t k = 0; k < n; k++)
        sv_free(&vecs[k]);
    free(vecs);
    free(order);
    free(lab1);
    free(lab2);
    sv_df_free(df);
    snn_free(arr, n);
    rasd_text_free(t);
    return 0;
}
