/*
 * roles.h — roles and titles of the people an article names: "وزير الدفاع
 * الروسي سيرغي شويغو", "سيرغي لافروف، وزير الخارجية الروسي،", "الناطق باسم
 * الرئاسة الروسية دميتري بيسكوف", and role-only mentions ("الوزير",
 * "السفيرة", "المسؤول الأمريكي") linked to the one person of the article who
 * holds a compatible office.
 *
 * Office keys. Every office a role names gets a key "OFFICE|JURISDICTION":
 *   OFFICE        the office in matching-key form (ال taken off every word):
 *                 rank prefixes (نايب، مساعد), the head with synonyms folded
 *                 (ناطق = متحدث), then its complements — a department
 *                 (دفاع، خارجيه, also when written وزارة الدفاع or named by
 *                 its seat: الكرملين = رياسه of روسيا), a body (مجلس امن
 *                 قومي), and " لدي " + the host for envoys (سفير لدي <key of
 *                 الأمم المتحدة>).
 *   JURISDICTION  the names_key() of the country (from a nationality
 *                 adjective — الروسي → روسيا — or a country after the office:
 *                 خارجية فرنسا) or of an international body (الأمم المتحدة),
 *                 or empty when the text does not say.
 * So "المتحدث باسم الكرملين" and "الناطق باسم الرئاسة الروسية" both key as
 * "متحدث رياسه|" + key(روسيا). The vocabulary is data/lexicon/offices.txt.
 *
 * Memory: RoleList owns its items and keys (roles_free). Thread-safe: the
 * lexicon is built once (pthread_once) and read-only afterwards.
 */
#ifndef RASD_ROLES_H
#define RASD_ROLES_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "../util/util.h"

struct EntityList; /* annotate/analyze.h */

#define ROLES_MAX_OFFICES 3 /* offices one compound role names (ولي العهد نائب رئيس
                               مجلس الوزراء وزير الدفاع) */

/* How a role relates to its person. */
enum {
    ROLE_BEFORE = 1, /* apposition before the name: وزير الدفاع سيرغي شويغو */
    ROLE_AFTER,      /* apposition after the name: لافروف، وزير الخارجية، */
    ROLE_ONLY        /* no name: الوزير, linked (or not) to a holder */
};

/* Role flags (bit set). */
enum {
    ROLE_FEM = 1 << 0,      /* written in the feminine: السفيرة، الناطقة */
    ROLE_FORMER = 1 << 1,   /* السابق، الأسبق: not the current holder */
    ROLE_ELECT = 1 << 2,    /* المنتخب، المكلف: not yet the holder */
    ROLE_DEFINITE = 1 << 3, /* refers to one known holder (الوزير, وزير الخارجية),
                               not to someone unnamed (قال مسؤول أمريكي) */
    ROLE_NAMEGAP = 1 << 4   /* role-only, but followed by a bare word that may be a
                               name the tagger missed (الرئيس سلام): never linked */
};

typedef struct Role {
    uint32_t first, last;   /* token indexes of the role phrase, inclusive */
    uint32_t start, end;    /* byte offsets into rasd_doc_text(), [start,end) */
    uint32_t key_off[ROLES_MAX_OFFICES]; /* office keys: RoleList.keys.data + key_off[i] */
    uint16_t key_len[ROLES_MAX_OFFICES]; /* bytes of each key */
    uint8_t noffices;       /* offices named, 1 .. ROLES_MAX_OFFICES */
    uint8_t kind;           /* ROLE_BEFORE, ROLE_AFTER, ROLE_ONLY */
    uint8_t flags;          /* ROLE_FEM ... */
    int32_t entity;         /* index into the EntityList: the person named with the role,
                               or for ROLE_ONLY the holder it links to; -1 = none */
} Role;

typedef struct RoleList {
    Role *items;            /* owned; in text order */
    size_t n;               /* roles */
    Buf keys;               /* all office keys, back to back (NUL-separated) */
} RoleList;

/*
 * Finds the roles of analysed text d whose entities (with keys) are ents,
 * attaches each to the person it stands in apposition with and links each
 * role-only mention to the one person holding a compatible office (same
 * gender of the role noun when the text marks it, same former/current
 * status). Replaces *out (free with roles_free).
 */
rasd_err roles_find(const rasd_doc *d, const struct EntityList *ents, RoleList *out,
                    rasd_error *err);
void roles_free(RoleList *l);

/* The i-th office key of r (i < r->noffices): *len bytes, NUL-terminated, owned by l; "" if none. */
const char *roles_key(const RoleList *l, const Role *r, size_t i, size_t *len);

/*
 * For the quote extractor: the person a role noun phrase (tokens first ..
 * last, inclusive) stands for — the entity it is attached to, or the one
 * holder of a compatible office in the article — or -1. ents must carry
 * the roles found by analyze_entities (EntityList.roles).
 */
int roles_holder(const rasd_doc *d, const struct EntityList *ents, uint32_t first,
                 uint32_t last);

/*
 * Same office: a and b (office keys) name one office with one holder at a
 * time, in one known jurisdiction — so two different people named as its
 * holders at the same time contradict each other. False for offices with
 * many holders (مستشار، عضو، وزير with no portfolio, سفير with no host),
 * for unknown jurisdictions, and for two different offices even if one
 * person may hold both (منسق الاتصالات / متحدث).
 */
int roles_same_office(const char *a, size_t an, const char *b, size_t bn);

/*
 * Compatible: a and b may be two mentions of one office, one less
 * specific than the other — same rank prefix, same head (or one generic:
 * مسؤول, or heads one person is named by: مندوب / سفير), and portfolio,
 * host and jurisdiction each equal or missing on one side. الوزير is
 * compatible with وزير الدفاع الروسي; وزير الخارجية is not. Symmetric.
 * Role-only mentions link through it; the conflict detector can use it to
 * ask whether a vaguer role may name the office in question.
 */
int roles_compatible(const char *a, size_t an, const char *b, size_t bn);

/*
 * The identity key of a nationality adjective (MISC: الروسي، الكورية
 * الشمالية) at tokens first .. last of d: "adj:" + the names_key of its
 * country, appended to out; returns 1, or 0 (out untouched) when the span
 * is not one adjective of the table, or is also a place (السعودية، تشيلي).
 * Keeps الكورية الشمالية apart from كوريا الشمالية, which names_key alone
 * cannot (it drops ال and folds the final ة).
 */
int roles_adjective_key(const rasd_doc *d, uint32_t first, uint32_t last, Buf *out);

/*
 * JSON for `rasd analyze`: roles_entity_json appends the member
 * ,"role":{"text","office","start","end"[,"also":[...]][,"former":true]
 * [,"elect":true]} of an entity with role r; roles_only_json appends the
 * array of role-only mentions, each as that object plus "entity" (the
 * linked entity's index, or null). text is rasd_doc_text().
 */
void roles_entity_json(const RoleList *l, const Role *r, const char *text, Buf *out);
void roles_only_json(const RoleList *l, const char *text, Buf *out);

#endif
