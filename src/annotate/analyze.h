/*
 * analyze.h — one article to its annotations as one line of JSON (the
 * `rasd analyze` map stage of design.md §2–3): no database, so the same
 * bytes always give the same JSON, on any machine.
 */
#ifndef RASD_ANALYZE_H
#define RASD_ANALYZE_H

#include <stdint.h>

#include "rasd.h"
#include "annotate/roles.h"
#include "ingest/ingest.h"
#include "util/util.h"

/*
 * Appends {"id","file","title","outlet","published","text","entities",
 * "quotes","dates"} for a, without a trailing newline. Offsets are UTF-8 byte
 * offsets into "text" (the validated body).
 */
rasd_err analyze_article(rasd_text *t, const Article *a, Buf *out, rasd_error *err);


/* The named entities of an analysed text, each with its identity key. */
typedef struct Entity {
    uint8_t type;        /* NER_PERS ... NER_MISC (annotate/ner.h) */
    uint32_t start, end; /* byte offsets into rasd_doc_text(), [start,end) */
    uint32_t name_start; /* where the name begins after its proclitics (وروسيا → روسيا;
                            the article stays: بالرياض → الرياض), start..end */
    uint32_t key_off;    /* the key is keys.data[key_off .. key_off + key_len) */
    uint32_t key_len;    /* bytes */
    uint32_t role;       /* 1 + index into EntityList.roles of its role; 0 = none */
} Entity;
typedef struct EntityList {
    Entity *items;       /* owned */
    size_t n;            /* entities, in text order */
    Buf keys;            /* all keys, back to back */
    RoleList roles;      /* roles of the people (attached) and role-only mentions */
} EntityList;
/*
 * Tags d and keys every entity; a person named by one word takes the key
 * of the text's unique full name containing it. Roles are found too
 * (annotate/roles.h). Free with entities_free.
 */
rasd_err analyze_entities(const rasd_doc *d, EntityList *out, rasd_error *err);
void entities_free(EntityList *l);
/*
 * Appends to out the key of the name written by tokens [a, b) of d, as a
 * tagged entity's is made (punctuation skipped): a person's (person) by
 * names_person_key, the first word's one-letter proclitic off (وبوتين →
 * بوتين) but a ب that is part of a transliterated name kept (بولوني; ba:
 * 1 it is, 0 it is not, -1 find out — it scans the article); any other
 * name's by names_key, the first word's proclitics off but the article of
 * a short word kept (الجدة). One rule for the tagger's entities and the
 * quote speakers the tagger missed.
 */
void analyze_name_key(const rasd_doc *d, size_t a, size_t b, int person, int ba, Buf *out);
const char *entity_type_name(int type); /* "PER", "LOC", "ORG", "MISC" */

/* The same object from annotations already made (annotate_article, or
   loaded from the store): what views use, never re-analysing. */
struct QuoteList;
struct DateSpan;
void analyze_write_json(const Article *a, const rasd_doc *d, const EntityList *ents,
                        const struct QuoteList *quotes, const struct DateSpan *dates,
                        size_t ndates, const char *id, Buf *out);

#endif
