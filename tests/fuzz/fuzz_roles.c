/*
 * fuzz_roles.c — libFuzzer target for the role finder (src/annotate/roles.c):
 * any bytes as an article through the text core, the tagger and the roles,
 * then the quote extractor's entry point and the office-key predicates.
 *
 *   make build/fuzz/fuzz_roles
 *   build/fuzz/fuzz_roles -max_total_time=60 build/fuzz/corpus-fuzz_roles
 *
 * Invariants checked:
 *   - every role lies inside the text and its tokens, names 1..3 offices,
 *     each key holding one '|'; an attached role points at a PERS entity,
 *     a role-only one at an entity or at none;
 *   - roles_holder never fails on any span (reversed, out of range);
 *   - roles_compatible is symmetric and reflexive on the keys found, and
 *     the same office is always compatible with itself;
 *   - the `rasd analyze` JSON of the text parses.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotate/analyze.h"
#include "annotate/ner.h"
#include "annotate/roles.h"
#include "text/text.h"

#define REQUIRE(cond, ...)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_roles: invariant failed: %s: ", #cond);    \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

static rasd_text *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx && rasd_text_new(&ctx, NULL) != RASD_OK)
        abort();
    rasd_doc *d = NULL;
    if (rasd_text_analyse(ctx, (const char *)data, size, &d, NULL) != RASD_OK)
        return 0;
    EntityList el = {0};
    REQUIRE(analyze_entities(d, &el, NULL) == RASD_OK, "analyze_entities failed");
    size_t tl, ntok = rasd_doc_ntokens(d);
    rasd_doc_text(d, &tl);
    const RoleList *rl = &el.roles;
    for (size_t i = 0; i < rl->n; i++) {
        const Role *r = &rl->items[i];
        REQUIRE(r->first <= r->last && r->last < ntok, "role %zu tokens %u..%u", i, r->first, r->last);
        REQUIRE(r->start < r->end && r->end <= tl, "role %zu bytes %u..%u", i, r->start, r->end);
        REQUIRE(r->noffices >= 1 && r->noffices <= ROLES_MAX_OFFICES, "role %zu offices", i);
        REQUIRE(r->kind >= ROLE_BEFORE && r->kind <= ROLE_ONLY, "role %zu kind", i);
        REQUIRE(r->entity >= -1 && r->entity < (int32_t)el.n, "role %zu entity", i);
        if (r->kind != ROLE_ONLY)
            REQUIRE(r->entity >= 0 && el.items[r->entity].type == NER_PERS, "role %zu not on a person", i);
        for (size_t k = 0; k < r->noffices; k++) {
            size_t n;
            const char *key = roles_key(rl, r, k, &n);
            size_t bars = 0;
            for (size_t b = 0; b < n; b++)
                bars += key[b] == '|';
            REQUIRE(bars == 1, "role %zu key %zu has %zu '|'", i, k, bars);
            REQUIRE(roles_compatible(key, n, key, n), "role %zu key not compatible with itself", i);
        }
        for (size_t j = 0; j < rl->n && j < 16; j++) {
            size_t an, bn;
            const char *a = roles_key(rl, r, 0, &an), *b = roles_key(rl, &rl->items[j], 0, &bn);
            REQUIRE(roles_compatible(a, an, b, bn) == roles_compatible(b, bn, a, an),
                    "compatible not symmetric");
            if (roles_same_office(a, an, b, bn))
                REQUIRE(roles_compatible(a, an, b, bn), "same office but not compatible");
        }
    }
    for (size_t i = 0; i + 1 < size && i < 8; i += 2) {
        int who = roles_holder(d, &el, data[i] % (ntok + 2), data[i + 1] % (ntok + 2));
        REQUIRE(who >= -1 && who < (int)el.n, "roles_holder gave %d", who);
    }
    entities_free(&el);
    rasd_doc_free(d);
    /* the JSON line parses */
    Article a;
    memset(&a, 0, sizeof a);
    char *body = malloc(size + 1);
    if (!body)
        return 0;
    memcpy(body, data, size);
    body[size] = 0;
    a.body = body;
    Buf out = {0};
    if (analyze_article(ctx, &a, &out, NULL) == RASD_OK) {
        json_error_t jerr;
        json_t *j = json_loadb(out.data, out.len, 0, &jerr);
        REQUIRE(j != NULL, "analyze JSON does not parse: %s", jerr.text);
        json_decref(j);
    }
    buf_free(&out);
    free(body);
    return 0;
}
