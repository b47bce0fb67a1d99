/*
 * quotes.h — who said what, through which channel: direct quotations
 * (between quote marks, or after قائلا / بقوله) and indirect speech (a cue
 * verb with إن / أن / بأن and the clause it governs) in analysed Arabic news
 * text, each with its cue, its speaker and the channel it came through.
 *
 * Speakers are named at the cue in one of five ways (Quote.kind):
 *   QS_PERSON       a name: "وقال كيربي إن", also one the tagger missed after
 *                   a title ("خبير الاقتصاد يزيد الحمود")
 *   QS_ROLE         a role noun: "وقال الوزير"; resolved to the person of the
 *                   article who holds that role when one can be found (the
 *                   roles module first, annotate/roles.h)
 *   QS_INSTITUTION  "وقالت وزارة الدفاع"، "الكرملين"، "البيت الأبيض"; a bare
 *                   "الصحيفة"، "الشركة" resolves to its fuller mention
 *   QS_ANONYMOUS    "مسؤول أمريكي"، "مصادر مطلعة": kept as such ("المصادر"
 *                   takes the words of the earlier "مصادر مطلعة")
 *   QS_IMPLICIT     no subject at the cue (وأضاف، وتابع، مشيرا): the subject
 *                   of the sentence's own verb if no one spoke since, else
 *                   the previous speaker of the same grammatical gender and
 *                   number
 * The speaker's key is the identity key of the entity the speaker resolves
 * to (design.md §3 `key`), so quotes of one person group across spellings.
 *
 * Work is linear in the number of tokens: quote marks are paired in one
 * pass with a bounded stack, and every cue looks a bounded number of
 * tokens ahead (see quotes.c).
 */
#ifndef RASD_QUOTES_H
#define RASD_QUOTES_H

#include <stddef.h>
#include <stdint.h>

#include "rasd.h"
#include "analyze.h"
#include "../util/util.h"

/* How the speaker is named at the cue. */
enum {
    QS_UNKNOWN = 0,  /* no speaker could be found */
    QS_PERSON,       /* a person's name */
    QS_ROLE,         /* a role noun: الوزير، الناطقة */
    QS_INSTITUTION,  /* an institution, a document or a country */
    QS_ANONYMOUS,    /* an unnamed source: مسؤول أمريكي */
    QS_IMPLICIT      /* no subject: the previous speaker */
};

typedef struct Quote {
    uint32_t start, end;           /* the quoted words (no quote marks), byte offsets
                                      into rasd_doc_text(), [start,end) */
    uint32_t cue_start, cue_end;   /* the cue word as written (وأضاف، مشيرا); empty
                                      (start == end) when there is none */
    uint32_t said_start, said_end; /* the speaker as named at the cue (الوزير، مسؤول
                                      أمريكي); empty when implicit */
    uint32_t spk_start, spk_end;   /* the speaker as best named in the article: the
                                      fullest mention of the entity it resolves to,
                                      else the words at the cue; empty if unknown */
    uint32_t via_start, via_end;   /* the channel (لوكالة رويترز، في مؤتمر صحفي);
                                      empty when none is given */
    uint32_t key_off, key_len;     /* speaker key in QuoteList.keys; key_len 0 when
                                      the speaker is not a known entity */
    uint8_t direct;                /* 1: the speaker's own words (quote marks,
                                      قائلا، a colon); 0: reported clause */
    uint8_t kind;                  /* QS_*: how the speaker was named at the cue */
    uint8_t resolved;              /* 1 if a role or implicit speaker was resolved
                                      to a named entity */
} Quote;

typedef struct QuoteList {
    Quote *items;     /* owned, in text order of the quoted words */
    size_t n, cap;    /* quotes, and room in items */
    Buf keys;         /* speaker keys, back to back */
    uint64_t work;    /* tokens visited by quotes_find (all passes): lets tests
                         check that the work grows linearly with the text */
} QuoteList;

/*
 * Finds the quotations of d. ents (may be NULL) are the entities of d
 * (analyze_entities): they name people and institutions and give speakers
 * their keys. *out is owned by the caller: quotes_free.
 */
rasd_err quotes_find(const rasd_doc *d, const EntityList *ents, QuoteList *out,
                     rasd_error *err);
void quotes_free(QuoteList *l);

/*
 * One line per quote, for golden tests and `rasd quotes`:
 *   direct|indirect | SPEAKER (kind) | CUE | TEXT | VIA
 * with "-" for a missing cue or channel; "(none)" when there are none.
 */
void quotes_format_lines(const rasd_doc *d, const QuoteList *l, Buf *out);
/* A JSON array [{"speaker","speaker_key"?,"kind","cue","text","direct",
   "via"?,"start","end"}], the `quotes` field of `rasd analyze`. */
void quotes_format_json(const rasd_doc *d, const QuoteList *l, Buf *out);
/* One quote as a JSON object (the same fields), for `rasd quotes --json`. */
void quotes_format_json_one(const rasd_doc *d, const QuoteList *l, const Quote *q, Buf *out);

const char *quotes_kind_name(int kind); /* "person", "role", ... "unknown" */

/* One article of a story, for quotes_group. */
typedef struct QuoteDoc {
    const rasd_doc *doc;      /* the analysed article */
    const QuoteList *quotes;  /* its quotations (may be NULL) */
} QuoteDoc;

typedef struct QuoteRef {
    uint32_t doc, q;   /* index into the QuoteDoc array, and into its quotes */
    uint32_t speaker;  /* index (into QuoteGroups.refs) of its speaker group's head:
                          the first quote with the group's fullest key (which may
                          come after it); itself when it has no key */
    uint32_t entry;    /* index of the first quote of the same statement (the
                          same words carried by another outlet); itself if new */
} QuoteRef;

typedef struct QuoteGroups {
    QuoteRef *refs;    /* owned: every quote of the story, in article then text order */
    size_t n;
    uint64_t work;     /* hash probes and postings visited: lets tests check that
                          the work grows about linearly with the quotes */
} QuoteGroups;

/*
 * Groups a story's quotations by speaker (one identity per speaker: a
 * surname alone joins the one fuller name of the story) and by statement
 * (one entry per statement, whichever outlets carried it). Free with
 * quotes_groups_free. See quotes_group.c.
 */
rasd_err quotes_group(const QuoteDoc *docs, size_t ndocs, QuoteGroups *out, rasd_error *err);
void quotes_groups_free(QuoteGroups *g);

/* Whether the word of a person's key that ends at lsp (a space in key) is
   بن, ابن or بنت, so the word after it is a father's name, not a family name
   that the person may be named by alone (the story's names list and
   quotes_group share this rule). */
int quotes_key_nasab_before(const char *key, const char *lsp);

/* ======================================================================
 * The trained speaker chooser (quotes_choose.c)
 *
 * After the rules have named a speaker, each quote's candidates — the
 * rules' own choice and the people, organisations and places mentioned in
 * the cue's sentence and the two before it (and right after the cue) —
 * are scored by a linear model over binary features (position relative to
 * the cue, distance, entity type, a preposition or relative pronoun
 * before, byline, title before, previous speaker, the rules' kind ...);
 * the best one wins if it beats the rules' choice by more than the model's
 * margin (chosen by cross-validation on the training quotes). The model is a text file,
 * models/quote-speakers.txt ("feature weight" lines), made by
 * tools/train_quotes.c (`make quotes-model`) and built into the library.
 * quotes_find does not run it (session 7): trained on the 284 found quotes
 * of the tuning halves it kept the rules' speaker on every one (only 9
 * have a right candidate the rules did not pick) and cost 6-8 % of the
 * finder's CPU time. quotes_find_with(..., quotes_chooser(), ...) runs it;
 * `eval-quotes --chooser` scores it.
 * ==================================================================== */

#define QC_NFEAT 320 /* feature ids */
#define QC_MAXF 24   /* features of one candidate */

typedef struct QuoteChooser {
    float w[QC_NFEAT]; /* weight per feature id */
    float margin;      /* another candidate wins only by more than this ("margin" line) */
} QuoteChooser;

/* One candidate speaker of one quote, for training (quotes_find_with). */
typedef struct QuoteCand {
    uint32_t q_start, q_end;  /* the quote's words (Quote.start/end) */
    uint32_t ns, ne;          /* the candidate's name, bytes; ns == ne: no speaker */
    uint32_t key_off, key_len;/* its key in QuoteCands.keys (key_len 0: none) */
    uint8_t rule;             /* 1: the rules' own choice */
    uint8_t nf;               /* features in f */
    uint16_t f[QC_MAXF];      /* feature ids (quotes_feature_name) */
} QuoteCand;

typedef struct QuoteCands {
    QuoteCand *items; /* owned, quote by quote */
    size_t n, cap;
    Buf keys;
} QuoteCands;

/* The model built into the library (NULL if it failed to parse). */
const QuoteChooser *quotes_chooser(void);
/* Parses "name weight" lines ('#' comments); unknown names are an error.
   0 on success, -1 with *err_line the 1-based line of the first error. */
int quotes_chooser_parse(QuoteChooser *m, const char *text, size_t n, size_t *err_line);
/* Writes the name of feature f into buf (NUL-terminated); 0 if f is no feature id. */
int quotes_feature_name(unsigned f, char *buf, size_t n);

/*
 * quotes_find with an explicit chooser (NULL: the rules alone, as
 * quotes_find) and, when
 * cands is not NULL, every quote's candidates with their features appended
 * to it (cands must be zeroed or kept from an earlier call; free with
 * quotes_cands_free).
 */
rasd_err quotes_find_with(const rasd_doc *d, const EntityList *ents, const QuoteChooser *ch,
                          QuoteCands *cands, QuoteList *out, rasd_error *err);
void quotes_cands_free(QuoteCands *c);

#endif
