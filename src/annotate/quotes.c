/*
 * quotes.c — quotations in Arabic news text: direct quotes, indirect
 * speech, their cues, speakers and channels (see quotes.h for the output).
 *
 * Main idea: reported speech in news copy follows a few fixed frames, so
 * this is a hand-written matcher over the text core's tokens, not a model:
 *
 *   CUE  [SPEAKER] [CHANNEL / VENUE]  CONTENT
 *   وقال  وزير الخارجية جون كيري  في مؤتمر صحفي  إن ...      (indirect)
 *   وأضاف                     لوكالة رويترز  : «...»         (direct)
 *   «...»، قال مسؤول أمريكي                                  (inverted)
 *   ونقلت وكالة تاس عن بيسكوف قوله: «...»                     (relayed)
 *   وبحسب المصدر، فإن ...                                    (attributed)
 *
 * Four passes and a last one over the quotes, each linear in the tokens:
 *   1. Every token is looked up once in the cue lexicon
 *      (data/lexicon/quote-cues.txt, compiled in) as written and with its
 *      clitics stripped (وقال → قال، والوزير → وزير), and tagged with its
 *      categories: cue (with gender, number and participle flags),
 *      complementiser, role, institution, anonymous source, channel ...
 *   2. Quote marks are paired with a stack of bounded depth. Whether a mark
 *      opens or closes comes from the spaces around it first and its glyph
 *      second, because real copy uses » as an opener, “ as a closer, and
 *      leaves quotes unclosed. An unclosed quote ends at the last sentence
 *      end before the next opener or the end of its paragraph; a quote may
 *      run on into the next paragraph (closed there), and a paragraph that
 *      reopens a quote left open continues it.
 *   3. Left to right, every cue looks at most QUOTE_WINDOW tokens ahead,
 *      inside its sentence, for its content: a complementiser (إن / أن /
 *      بأن, not after قبل / بعد / يجب ...), a colon, or a quote mark that
 *      opens speech rather than a name (صحيفة «الحياة» is a name: it is
 *      short, follows a channel word or ل, or is followed by the colon or
 *      complementiser). The words between cue and content hold the speaker
 *      (a named entity, else a noun phrase whose head says role,
 *      institution or anonymous source) and the channel phrases (ل + a
 *      channel word or an outlet, في مؤتمر صحفي، عبر البريد الإلكتروني).
 *      An indirect clause ends at its sentence end, or before a new cue
 *      (، مضيفا / وأضاف) or a trailing attribution (، بحسب ...).
 *   4. Speakers are named as the article best names them (the fullest
 *      mention of the same entity):
 *      - a role noun: the person the roles module (roles.h) attached it
 *        to or linked it with, else the nearest earlier person whose
 *        apposition holds that role (role_holder, role_resolve);
 *      - a title followed by words the tagger did not take for a name
 *        (خبير الطب النفسي نعيم العراقي، الشيخ تركي الشليل): those words,
 *        up to the content and ending at their ال-word (name_after_title);
 *      - a bare definite institution or source noun (الصحيفة، الشركة،
 *        المصادر): the phrase it last headed without ال (صحيفة «الغد»
 *        الأردنية، مصادر مطلعة) — a small table by head word filled as
 *        the scan passes — else the last speaker if that one was an
 *        institution called by a proper name (generic_antecedent);
 *      - a bare definite noun no list knows (وأضاف الخطباء): the group
 *        the article introduced with it without ال (خطباء الجوامع ...);
 *      - a verb with no subject (وأضاف، وتابعت) or a participle (مشيرا،
 *        مؤكدة): the subject of the sentence's own verb when no one has
 *        spoken since (وألقى المدير سعد الحربي كلمة، أوضح فيها أن; read
 *        once per sentence, sentence_subject; also behind a run of titles,
 *        رفع صاحب السمو الأمير ...), else the latest speaker of the same
 *        gender and number — never a person after a preposition or in a
 *        relative clause (لسمو الأمير فلان، الذي بناه فلان), a byline's
 *        writer, or, for a plural cue, one person;
 *      - frames with the speaker elsewhere: علمت «الوطن» من مصادر أن
 *        (after من), سبق لـX أن ذكر، «X» تكهنت، X الذي غادر ... أكد،
 *        دراسة صادرة عن X.
 *      - an honorific pronoun (وقال سموه، معاليه، فخامته): the latest person
 *        whose mention carries that title (صاحب السمو الأمير ...);
 *      - وكان X (قد) قال: X, tagged or not;
 *      - never the paper spoken to (لـ«عكاظ»، لـ(عكاظ)، وأبلغت (عكاظ) مصادر،
 *        أبلغ "الاقتصادية" مسؤول),
 *        a time word (يوم أمس), a name inside a place name (جامعة الملك
 *        عبدالعزيز) or a name after a topic phrase (وعن ...، وحول ...).
 *      A speaker phrase ends where Arabic grammar says a new phrase
 *      begins: an indefinite word after a definite one, a definite word
 *      after a sound plural, another word after a nisba adjective.
 *   5. Names as the article gives them (issue #15): a mention the tagger
 *      cut is widened (تركي + بن سعود، عبدالله بن + مساعد، a lone first name
 *      or a بن chain + the family name before the content); a و or ب left on
 *      a name is not shown; finally one key per speaker in an article: a
 *      one-word name at the cue takes the one fuller speaker it ends or
 *      begins (المالكي → نوري المالكي), unify_surnames.
 * Quote marks that open no speech (titles, names, slogans) make no quote
 * unless a cue frames them or they stand as a long sentence of their own
 * right after someone has spoken.
 *
 * Files: this one holds passes 3 and 5 (the scan, the entry point);
 * quotes_content.c where pass 3's content starts and ends; quotes_lex.c
 * pass 1 (lexicon, token classes); quotes_marks.c pass 2 (quote marks);
 * quotes_speakers.c, quotes_phrases.c and quotes_subjects.c pass 4
 * (speakers, the phrases between cue and content, subjects before the cue
 * and of the sentence); quotes_names.c the name repair of pass 5;
 * quotes_group.c a story's grouping; quotes_format.c the output;
 * quotes_int.h what they share.
 */
#include <stdlib.h>
#include <string.h>

#include "quotes_int.h"




/* ======================================================================
 * Emitting
 * ==================================================================== */

/*
 * Are the tokens [a,b) a list of short items (الرياضيات، الفيزياء،
 * الكيمياء / هندسة مدنية – هندسة مساحة): at least four words, one or two
 * words an item, no complementiser, verb or pronoun? A list in marks or
 * after a colon is no one's words.
 */
static int word_list(const QCtx *x, size_t a, size_t b)
{
    size_t words = 0, seps = 0;
    for (size_t k = a; k < b; k++) {
        if (is_word(x, k)) {
            /* (a word with ال carries no pronoun and is no verb: الكركم) */
            uint16_t vp = has(x, k, T_DEF) ? 0 : T_VERB | T_PRON;
            if (has(x, k, T_COMP | T_COMPF | T_COMPW | T_REL | vp) || is_cue(x, k))
                return 0;
            words++;
        } else if (has(x, k, T_COMMA) || keq(&x->tok[k], "-") || keq(&x->tok[k], "–") ||
                   keq(&x->tok[k], "/")) {
            seps++;
        } else if (has(x, k, T_SENT | T_COLON)) {
            return 0;
        }
    }
    return seps >= 1 && words >= 4 && words <= 2 * (seps + 1);
}

static int emit(QCtx *x, size_t a, size_t b, int direct, int64_t cue, const Spk *s,
                uint32_t va, uint32_t vb, int marked)
{
    /* trim: spaces for marked quotes, trailing punctuation for the others */
    while (b > a && !marked && has(x, b - 1, T_COMMA | T_SEMI | T_COLON | T_SENT))
        b--;
    while (a < b && !marked && has(x, a, T_COMMA | T_COLON))
        a++;
    if (a >= b || (direct && b - a < 64 && word_list(x, a, b)))
        return 0;
    QuoteList *l = x->out;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        Quote *ni = realloc(l->items, nc * sizeof *ni);
        if (!ni)
            return -1;
        l->items = ni;
        l->cap = nc;
    }
    Quote *q = &l->items[l->n++];
    memset(q, 0, sizeof *q);
    q->start = x->tok[a].start;
    q->end = x->tok[b - 1].end;
    if (marked) { /* the words between the marks, exactly */
        q->start = a > 0 ? x->tok[a - 1].end : 0;
        q->end = b < x->n ? x->tok[b].start : (uint32_t)x->d->text_len;
        if (!(x->qst[a - 1] & Q_OPEN) || b >= x->n || !(x->qst[b] & Q_CLOSER))
            q->end = x->tok[b - 1].end; /* unclosed: the last word */
        while (q->start < q->end && (x->text[q->start] == ' ' || x->text[q->start] == '\n' ||
                                     x->text[q->start] == '\t' || x->text[q->start] == '\r'))
            q->start++;
        while (q->end > q->start && (x->text[q->end - 1] == ' ' || x->text[q->end - 1] == '\n' ||
                                     x->text[q->end - 1] == '\t' || x->text[q->end - 1] == '\r'))
            q->end--;
        if (q->start >= q->end) {
            l->n--;
            return 0;
        }
    }
    if (cue >= 0) {
        q->cue_start = x->tok[cue].start;
        q->cue_end = x->tok[cue].end;
    }
    if (s->sa < s->sb) {
        q->said_start = x->tok[s->sa].start;
        q->said_end = x->tok[s->sb - 1].end;
    }
    q->spk_start = s->ns;
    q->spk_end = s->ne;
    q->key_off = s->key_off;
    q->key_len = s->key_len;
    q->kind = s->kind;
    q->resolved = s->resolved;
    q->direct = (uint8_t)direct;
    if (va == vb && x->pv_a < x->pv_b && x->pv_sent == x->sb[a])
        va = x->pv_a, vb = x->pv_b; /* "وبحسب رويترز، ..." earlier in the sentence */
    if (va < vb) {
        q->via_start = x->tok[va].start;
        q->via_end = x->tok[vb - 1].end;
    }
    x->last_qend = (uint32_t)b;
    return 1;
}

/* Emits the marked quote opened at o (following its continuations); returns the token after it. */
static size_t emit_marked(QCtx *x, size_t o, int64_t cue, const Spk *s, uint32_t va, uint32_t vb,
                          int *rc)
{
    size_t last = o;
    x->qst[o] |= Q_USED;
    for (int hops = 0; x->chain[last] >= 0 && hops < CHAIN_MAX; hops++) {
        last = (size_t)x->chain[last];
        x->qst[last] |= Q_USED;
    }
    size_t end = (size_t)x->qend[last];
    size_t after = quote_after(x, last);
    /* a channel right after the closing mark: «...»، بحسب وكالة رويترز */
    size_t t = after + (has(x, after, T_COMMA) ? 1 : 0);
    if (va == vb && t < x->n && cat(x, t, C_VIA) && (cue < 0 || (size_t)cue != t)) {
        size_t v = via_phrase(x, t, x->n);
        if (v > t) {
            va = (uint32_t)t;
            vb = (uint32_t)v;
        }
    }
    if (emit(x, o + 1, end, 1, cue, s, va, vb, 1) < 0)
        *rc = -1;
    return after;
}

/* ======================================================================
 * Pass 3: the scan
 * ==================================================================== */

/* Is token k a title word (الأمير، الدكتور، صاحب، السمو، الملكي, or a role
   noun) with no proclitic other than ال? */
static int title_word(const QCtx *x, size_t k)
{
    static const char *const w[] = {"صاحب", "سمو", "ملكي", "معالي", "فخام", "دول", "سعاد",
                                    "سماح", "فضيل"};
    return is_word(x, k) && (cat(x, k, C_ROLE) || bare_in(x, k, w, sizeof w / sizeof w[0])) &&
           x->tok[k].pre_len <= 4 && (!x->tok[k].pre_len || has(x, k, T_DEF));
}

/*
 * Are the tokens (v, i) all titles (صاحب السمو الملكي الأمير الدكتور)?
 * Then the person at i is the subject of the verb at v however long the
 * titles are: رفع صاحب السمو الأمير الدكتور نايف بن ثنيان ... التعازي.
 */
static int titles_between(const QCtx *x, size_t v, size_t i)
{
    if (i <= v + 1 || i - v > NP_MAX)
        return 0;
    for (size_t k = v + 1; k < i; k++)
        if (!title_word(x, k))
            return 0;
    return 1;
}

/*
 * Is the person whose mention starts at i, with the titles before it, the
 * object of a preposition (لسمو الأمير متعب، على الوزير فلان، مع فلان) or
 * the subject of a relative clause (الذي بناه فلان)? Such a person is
 * spoken of, not speaking.
 */
static int after_preposition(const QCtx *x, size_t i)
{
    size_t j = i;
    while (j > 0 && i - j < NP_MAX && x->sb[j] < j && is_word(x, j - 1) && !has(x, j - 1, T_WAW) &&
           (title_word(x, j - 1) ||
            (cat(x, j - 1, C_ROLE) && (has(x, j - 1, T_LPREP) || x->tok[j - 1].pre_len == 2))))
        j--;
    const rasd_token *t = &x->tok[j];
    if (has(x, j, T_LPREP) ||
        (t->pre_len >= 2 && t->pre_len <= 6 && (memcmp(t->key, "ب", 2) == 0 ||
                                                 memcmp(t->key, "ل", 2) == 0)))
        return 1;
    if (j >= x->sb[j] + 2 && has(x, j - 1, T_PRON) && has(x, j - 2, T_REL))
        return 1; /* الذي بناه طسم بن لاوذ: the subject of a relative clause */
    return j > x->sb[j] && has(x, j - 1, T_PREPW) && !(x->ti[j - 1].more & M_PREPPRON);
}

static int cue_gender(uint8_t f) { return (f & F_PLUR) ? G_P : (f & F_FEM) ? G_F : G_M; }

/*
 * The speaker of a participle or intro word: the subject of the clause it
 * hangs on — a person named in the sentence after the latest speaker (وفجرت
 * الوكيلة ويندي شيرمان مفاجأة ... بتأكيدها أن), else the latest speaker of
 * this sentence or of the quote just before, else the implicit speaker.
 */
/*
 * The sentence's verb, a definite noun no list knows and an untagged name
 * right before the cue (وختم المشجع عبدالإله بالقول، وعلق الطالب أحمد
 * مؤكدا): the name is the verb's subject and the speaker. Only when
 * nothing else stands between the verb and the cue; a noun alone there is
 * as often the verb's object (واختتم الحفل بالقول).
 */
static int noun_and_name_subject(QCtx *x, size_t sent, size_t c, int g, Spk *s)
{
    size_t k = sent;
    while (k < c && k < sent + 3 && opener_particle(x, k))
        k++;
    if (k + 3 > c || c - k > 4 || !is_word(x, k) || (x->ti[k].cats & ~C_CUE) || x->ent_of[k] >= 0 ||
        has(x, k, T_DEF | T_PRON | T_PREPW | T_LPREP | T_COMP | T_COMPF | T_COMPW | T_REL) ||
        x->tok[k].type != RASD_TOK_ARABIC || (x->tok[k].flags & RASD_TF_STOP))
        return 0;
    size_t n = k + 1;
    if (!has(x, n, T_DEF) || x->tok[n].pre_len != 4 || x->ent_of[n] >= 0 || has(x, n, T_PRON) ||
        x->tok[n].type != RASD_TOK_ARABIC || time_word(x, n))
        return 0;
    for (size_t j = n + 1; j < c; j++) {
        /* (عبدالإله is split as عبدالال + ه: a compound name with عبد) */
        const rasd_token *t = &x->tok[j];
        int abd = j == n + 1 && t->pre_len == 0 && t->end - t->start >= 10 &&
                  memcmp(x->text + t->start, "عبد", strlen("عبد")) == 0 && !x->ti[j].cats;
        if (!(name_word(x, j, j == n + 1) || abd) || (j == n + 1 && has(x, j, T_DEF)))
            return 0;
    }
    if (fem_to_man(g, name_gender(x, n + 1, c)))
        return 0;
    memset(s, 0, sizeof *s);
    s->ent = -1;
    spk_from_name(x, s, n + 1, c, g);
    return 1;
}

static void governing_speaker(QCtx *x, size_t c, int g, Spk *s)
{
    size_t sent = x->sb[c];
    const Event *ev = NULL;
    for (size_t k = 0; k < EVENTS && k < x->nev; k++) {
        const Event *e = &x->ev[(x->nev - 1 - k) % EVENTS];
        if (e->tok < sent && e->end + 3 < c)
            break;
        if (g == G_ANY || g == G_P || e->s.gender == g || e->s.gender == G_ANY) {
            ev = e;
            break;
        }
    }
    /* no one spoke in this sentence: the subject of its verb (هدد عدد من
       المؤسسات الوزارة بالانسحاب، مؤكدين أن) */
    if ((!ev || ev->tok < sent) && sentence_subject_of(x, c, NULL, g, s))
        return;
    if ((!ev || ev->tok < sent) && noun_and_name_subject(x, sent, c, g, s))
        return;
    /* a named subject later in the sentence than that speaker, outside any quote */
    size_t from = sent > x->last_qend ? sent : x->last_qend;
    if (ev && ev->end > from)
        from = ev->end;
    if (c > 64 && from < c - 64)
        from = c - 64; /* bounded: a sentence can be a whole document */
    for (size_t k = from; k < c; k++) {
        x->out->work++;
        int32_t en = x->ent_of[k];
        if (en >= 0 && x->ent_first[en] == k && entity_kind(x, en) == QS_PERSON &&
            !(ev && ev->s.ent == en) && !after_preposition(x, k) && g != G_P &&
            !byline(x, en) && !fem_to_man(g, ent_name_gender(x, en))) {
            memset(s, 0, sizeof *s);
            s->gender = (uint8_t)g;
            spk_from_entity(x, s, en, QS_IMPLICIT);
            s->resolved = 1;
            s->sa = s->sb = 0;
            return;
        }
    }
    if (ev) {
        spk_as_implicit(s, &ev->s);
        return;
    }
    implicit_speaker(x, g, c, s);
}

/* Content after a colon, an intro word or a complementiser at j; returns the token after it. */
static size_t emit_content(QCtx *x, Content ct, int64_t cue, const Spk *s, uint32_t va,
                           uint32_t vb, int *rc)
{
    size_t j = ct.at;
    if (ct.type == CT_QUOTE)
        return emit_marked(x, j, cue, s, va, vb, rc);
    size_t k = j + 1;
    int direct = ct.type != CT_COMP;
    if (ct.type == CT_INTRO && has(x, k, T_COLON))
        k++;
    if (ct.type != CT_COMP && has(x, k, T_COMP) && !blocked(x, k)) {
        k++; /* وقال: إن ... */
        direct = 0;
    }
    if (is_opener(x, k) && !(x->qst[k] & Q_USED) && quote_after(x, k) > k + 1 &&
        !is_word(x, quote_after(x, k)))
        return emit_marked(x, k, cue, s, va, vb, rc); /* أن «...». : the words themselves */
    /* أن "وحدات فرعية" من ... شاركت: a quoted phrase inside a reported clause */
    size_t end = direct ? sentence_end(x, k) : clause_end(x, k, &va, &vb);
    if (direct) {
        /* unmarked words after a colon run to the sentence end or the next cue */
        for (size_t m = k + 1; m < end; m++)
            if (is_strong_cue(x, m) && (has(x, m - 1, T_COMMA) || (x->ti[m].cue & F_PART))) {
                end = m;
                break;
            }
    }
    if (emit(x, k, end, direct, cue, s, va, vb, 0) < 0)
        *rc = -1;
    /* قال إن ...، وإنه «...»: the same speaker's own words follow */
    if (!direct && end + 1 < x->n && has(x, end, T_COMPW) && is_opener(x, end + 1) &&
        (x->qst[end + 1] & Q_CLOSED) && !(x->qst[end + 1] & Q_USED))
        return emit_marked(x, end + 1, cue, s, va, vb, rc);
    return end;
}

/*
 * نقلت وكالة X عن Y قوله ... / ونقلت عنه وكالة X ... — and, for a verb of
 * learning, علمت «الوطن» من مصادر مطلعة أن ...: the subject is the
 * channel, the speaker comes after عن (من for learning).
 */
static size_t handle_relay(QCtx *x, size_t c, int *rc)
{
    size_t limit = c + 1 + QUOTE_WINDOW < x->n ? c + 1 + QUOTE_WINDOW : x->n;
    int learn = cat(x, c, C_LEARN) && !cat(x, c, C_RELAY);
    /* عن، or من (bare) after a verb of learning */
    const char *prep = learn ? "\xD9\x85\xD9\x86" : "\xD8\xB9\xD9\x86";
    size_t an = c + 1; /* the عن / من token */
    while (an < limit && !breaks_before(x, an) && an - c < NP_MAX + 2) {
        const rasd_token *w = &x->tok[an];
        if (w->key_len >= 4 && memcmp(w->key, prep, 4) == 0 &&
            (w->key_len == 4 || (!learn && is_pronoun(w->key + 4, w->key_len - 4))))
            break;
        if (is_opener(x, an) && quote_after(x, an) - an <= NP_MAX) {
            an = quote_after(x, an); /* علمت «الوطن» */
            continue;
        }
        an++;
    }
    if (an >= limit || breaks_before(x, an) || an - c >= NP_MAX + 2)
        return c + 1;
    Content ct = find_content(x, an + 1, limit);
    if (ct.type == CT_NONE)
        return c + 1;
    Spk s = {.ent = -1};
    uint32_t va = 0, vb = 0;
    if (x->tok[an].suf_len || x->tok[an].key_len > 4) {
        /* عنه: the speaker is the one just quoted; the channel follows */
        implicit_speaker(x, G_ANY, c, &s);
        size_t e = an + 1;
        while (e < ct.at && is_word(x, e) && e - an <= NP_MAX)
            e++;
        if (e > an + 1) {
            va = (uint32_t)an + 1;
            vb = (uint32_t)e;
        }
    } else {
        if (an > c + 1) {
            va = (uint32_t)c + 1;
            vb = (uint32_t)an;
        }
        uint32_t va2 = 0, vb2 = 0;
        int named = read_segment(x, an + 1, ct.at, G_ANY, &s, &va2, &vb2, NULL);
        /* learning needs a source after من (علم من أجل ... is no report) */
        if (learn && (!named || (s.ent < 0 && !cat(x, s.sa, C_ROLE | C_INST | C_ANON | C_CHANNEL))))
            return c + 1;
        if (!named)
            implicit_speaker(x, G_ANY, c, &s);
        s.gender = G_ANY;
    }
    size_t end = emit_content(x, ct, (int64_t)c, &s, va, vb, rc);
    push_event(x, &s, c, end);
    return end;
}


/* Is the clause after [a,b) a prayer: is God addressed between the cue and
   its أن (سائلا الله تعالى أن، ودعا الأمير - الله عز وجل - أن)? [a,b) is at
   most QUOTE_WINDOW tokens. */
static int prayer(const QCtx *x, size_t a, size_t b)
{
    static const char *const god[] = {"الله", "اللهَ", "المولى", "المولي", "ربه", "ربنا", "ربي",
                                      "الباري"};
    for (size_t k = a; k < b; k++) {
        const rasd_token *t = &x->tok[k];
        if (k > 0 && x->tok[k - 1].end - x->tok[k - 1].start >= 6 &&
            memcmp(x->text + x->tok[k - 1].end - 6, "عبد", 6) == 0)
            continue; /* عبد الله البرقان is a name */
        for (size_t g = 0; g < sizeof god / sizeof god[0]; g++)
            if (t->end - t->start == strlen(god[g]) &&
                memcmp(x->text + t->start, god[g], t->end - t->start) == 0)
                return 1;
    }
    return 0;
}

/* Is the imperfect cue at c one no passive reading makes impersonal, after
   و in the middle of a sentence (…، ويرى أن، ويؤكد أن: "and he holds that")
   or right after a person's name?
   يذكر أن، يعتقد أن، يتوقع أن read as passives ("it is said ...") stay
   impersonal. */
static int personal_impf(const QCtx *x, size_t c)
{
    /* (not the ت forms: ترى أن is as often "you see that" in a column) */
    static const char *const w[] = {"يري", "يوكد", "يقول", "يضيف", "يوضح", "يشدد"};
    /* (or right after its subject: فإن الشاعر فلان يؤكد أنه) */
    int after_name = c > 0 && x->ent_of[c - 1] >= 0 && !breaks_before(x, c) &&
                     x->ents->items[x->ent_of[c - 1]].type == NER_PERS;
    if ((!has(x, c, T_WAW) && !after_name) || breaks_before(x, c) || c == x->sb[c])
        return 0;
    const char *b;
    size_t bn = bare(x, c, &b);
    for (size_t j = 0; j < sizeof w / sizeof w[0]; j++)
        if (bn == strlen(w[j]) && memcmp(b, w[j], bn) == 0)
            return 1;
    return 0;
}

/* In a contrast sentence (وفيما يوضح X أن ...، فإن القاص Y يؤيد ...، ويرى
   أن), a cue with no subject after the main clause's "، فإن" speaks for the
   person that clause opens with, not for the sentence's first subject. */
static int main_clause_subject(QCtx *x, size_t c, int g, Spk *s)
{
    size_t sb = x->sb[c];
    for (size_t k = c; k-- > sb + 1 && c - k < 2 * QUOTE_WINDOW;) {
        x->out->work++;
        if (!has(x, k, T_COMPF) || !has(x, k - 1, T_COMMA) || !contrast_clause(x, k))
            continue;
        for (size_t j = k + 1; j < c && j <= k + 4; j++) {
            int32_t e = x->ent_of[j];
            if (e >= 0 && x->ents->items[e].type == NER_PERS && x->ent_first[e] == j) {
                spk_from_entity(x, s, e, QS_IMPLICIT);
                s->gender = (uint8_t)g;
                s->resolved = 1;
                return 1;
            }
            if (!is_word(x, j) || is_cue(x, j) || has(x, j, T_COMP | T_PREPW | T_VERB))
                break;
        }
        return 0;
    }
    return 0;
}

/* ويضيف مقدم البرنامج «...» right after سلطان القحطاني's quote: "added"
   with a title no name holds continues the last speaker, when that speaker
   is a person named in the same or the previous paragraph and spoke last. */
static void title_adds_on(QCtx *x, size_t c, int g, Spk *s)
{
    static const char *const adds[] = {"اضاف", "يضيف", "تابع", "يتابع", "استطرد", "استدرك"};
    if (s->ent >= 0 || s->resolved || (s->kind != QS_ROLE && s->kind != QS_PERSON) ||
        s->sb < s->sa + 2 || !bare_in(x, c, adds, sizeof adds / sizeof adds[0]) ||
        !(cat(x, s->sa, C_ROLE) || (!has(x, s->sa, T_DEF) && has(x, s->sa + 1, T_DEF))) ||
        names_given_name(x->tok[s->sa].key, x->tok[s->sa].key_len))
        return;
    const Event *ev = recent(x, G_ANY, c > 2 * QUOTE_WINDOW ? c - 2 * QUOTE_WINDOW : 0);
    if (!ev || ev->s.ent < 0 || x->ents->items[ev->s.ent].type != NER_PERS ||
        (g != G_ANY && ev->s.gender != G_ANY && ev->s.gender != g))
        return;
    s->ent = ev->s.ent;
    s->kind = QS_ROLE;
    s->resolved = 1;
    spk_key(x, s, s->sa, s->sb);
    spk_name(x, s);
}

/* A plural cue right after two or more person names joined by و (محمد بن
   مسفر حفيان وبخيت بن شوردي وعبدالله الزهراني أوضحوا): they speak
   together, named as written. */
static int names_before(QCtx *x, size_t c, Spk *s)
{
    size_t a = c, names = 0;
    int32_t e;
    while (a > 0 && c - a < 24 && (e = x->ent_of[a - 1]) >= 0 && x->ent_last[e] == a - 1 &&
           x->ents->items[e].type == NER_PERS && !breaks_before(x, a)) {
        names++;
        a = x->ent_first[e];
        if (memcmp(x->text + x->tok[a].start, "و", strlen("و")) != 0)
            break; /* the first name */
    }
    if (names < 2 || memcmp(x->text + x->tok[a].start, "و", strlen("و")) == 0)
        return 0;
    memset(s, 0, sizeof *s);
    s->ent = -1;
    s->kind = QS_PERSON;
    s->gender = G_P;
    s->sa = (uint32_t)a;
    s->sb = (uint32_t)c;
    spk_key(x, s, a, c);
    spk_name(x, s);
    return 1;
}

/* One cue at c; returns the token the scan resumes at. */
static size_t handle_cue(QCtx *x, size_t c, int *rc)
{
    const TInfo *t = &x->ti[c];
    if ((t->cats & (C_RELAY | C_LEARN)) && !(t->cats & C_CUE))
        return handle_relay(x, c, rc);
    uint8_t f = t->cue;
    int g = cue_gender(f);
    if ((f & F_INTRO) && c > 0 && keq(&x->tok[c - 1], "\xD8\xAD\xD8\xAF"))
        return c + 1; /* على حد قوله: an aside, not an introduction */
    size_t limit = c + 1 + QUOTE_WINDOW < x->n ? c + 1 + QUOTE_WINDOW : x->n;
    Content ct = find_content(x, c + 1, limit);
    int governed = (f & (F_PART | F_INTRO)) != 0;
    if (ct.type == CT_NONE && (f & F_INTRO) && is_word(x, c + 1) &&
        !has(x, c + 1, T_PREPW))
        ct = (Content){CT_INTRO, c, c + 1}; /* قائلا الوضع خطير ... */
    if (ct.type == CT_NONE) {
        /* no content: still a speaker for the participles and verbs after it
           (but an everyday word inside a clause is no verb: الحوار بين
           الأديان is "between", and no one spoke) */
        if (!(f & (F_PART | F_INTRO)) &&
            !((f & F_AMBIG) && !has(x, c, T_WAW) && !breaks_before(x, c) &&
              !has(x, c - 1, T_COMMA | T_COLON | T_SEMI))) {
            Spk s = {.ent = -1};
            uint32_t va = 0, vb = 0;
            size_t e = ct.end < c + 1 + 2 * NP_MAX ? ct.end : c + 1 + 2 * NP_MAX;
            /* أوضح ذلك رئيس اللجنة ...: the demonstrative is the object, the
               subject follows it */
            size_t from = c + 1 < e && (keq(&x->tok[c + 1], "ذلك") || keq(&x->tok[c + 1], "هذا"))
                              ? c + 2 : c + 1;
            int named = read_segment(x, from, e, g, &s, &va, &vb, NULL);
            /* with nothing quoted, only a known kind of speaker is kept for the
               cues after it: a bare noun there is as often the object or a
               time (ذكرها في مؤتمره يوم الجمعة) as an untagged name */
            /* (but an indefinite sound plural right after the verb is its
               subject: وأكد متعاملون في السوق ...، مشيرين إلى أن) */
            int plural = named && s.ent < 0 && s.sa == from && sound_plural(x, s.sa) &&
                         !has(x, s.sa, T_DEF) && x->tok[s.sa].pre_len == 0;
            if (named && s.ent < 0 && !cat(x, s.sa, C_ROLE | C_INST | C_ANON | C_CHANNEL) &&
                !plural)
                named = 0;
            if (named || (!(f & F_AMBIG) && subject_before(x, c, g, &s))) {
                /* (وكشفت أوساط ...: a feminine speaker for وأوضحت) */
                s.gender = (uint8_t)(plural ? G_P : g);
                if (plural)
                    s.kind = QS_ANONYMOUS;
                push_event(x, &s, c, c);
            }
        }
        return c + 1;
    }
    if ((f & F_IMPF) && ct.type == CT_COMP && ct.at == c + 1 && !personal_impf(x, c))
        return c + 1; /* يذكر أن، يبدو أن: impersonal */
    if (c + 1 < x->n && (keq(&x->tok[c + 1], "نظري") || keq(&x->tok[c + 1], "نظرنا") ||
                         keq(&x->tok[c + 1], "انتباهي") || keq(&x->tok[c + 1], "انتباهنا")))
        return c + 1; /* لفت نظري أن: something caught the writer's eye, no one spoke */
    if (c > 0 && (keq(&x->tok[c - 1], "الجدير") || keq(&x->tok[c - 1], "جدير") ||
                  keq(&x->tok[c - 1], "والجدير")))
        return c + 1; /* ومن الجدير ذكره أن: "it is worth noting", the writer's aside */
    if (ct.type == CT_COMP && prayer(x, c + 1, ct.at))
        return c + 1; /* سائلا الله أن يحفظ: a prayer, not a statement */
    if ((f & F_IMPF) && c > 0) {
        /* ما يشير إلى أن، مما يؤكد أن: a fact, not a speaker (but وهو ما أكده الوزير is one) */
        const rasd_token *p = &x->tok[c - 1];
        size_t pn = p->key_len;
        if (pn >= 4 && pn <= 8 && memcmp(p->key + pn - 4, "\xD9\x85\xD8\xA7", 4) == 0 &&
            !keq(p, "\xD9\x83\xD9\x85\xD8\xA7") && !keq(p, "\xD9\x81\xD9\x8A\xD9\x85\xD8\xA7"))
            return c + 1;
    }
    /* على طريق سريع بين مدينتي، من بين القتلى: an everyday word in the
       middle of a clause is no verb (a verb opens its clause: وبين، كما بين) */
    if ((f & F_AMBIG) && !(f & (F_PART | F_INTRO)) && !has(x, c, T_WAW) && c > x->sb[c] &&
        !breaks_before(x, c) && !has(x, c - 1, T_COMMA | T_COLON | T_SEMI) &&
        !opener_particle(x, c - 1) && is_word(x, c - 1) && !keq(&x->tok[c - 1], "حيث") &&
        !keq(&x->tok[c - 1], "وحيث") && !cat(x, c - 1, C_ROLE | C_INST | C_ANON) &&
        !(x->ent_of[c - 1] >= 0 && entity_kind(x, x->ent_of[c - 1]) != QS_UNKNOWN))
        return c + 1;
    if (f & F_AMBIG)
        for (size_t k = c + 1; k < ct.at; k++)
            if (x->tok[k].type == RASD_TOK_NUMBER || has(x, k, T_WAW) ||
                (has(x, k, T_COMMA) && !(k + 1 == ct.at && ct.type == CT_COMP)))
                return c + 1; /* بين 45 و73، بين إيران والدول الست: "between"
                                 (but وبيَّن المدير، بأنه: the comma before the content) */
    if ((f & F_AMBIG) && ct.at > c + NP_MAX)
        return c + 1;
    Spk s = {.ent = -1};
    uint32_t va = 0, vb = 0;
    size_t stray = 0;
    int named = 0;
    int hon = c + 1 < ct.at ? honorific_pronoun(x, c + 1) : 0;
    int32_t holder = hon ? honorific_holder(x, hon, c) : -1;
    if (holder >= 0) {
        /* وقال سموه: the holder of the title */
        Spk ignore = {.ent = -1};
        read_segment(x, c + 2, ct.at, g, &ignore, &va, &vb, &stray);
        spk_from_entity(x, &s, holder, QS_ROLE);
        s.sa = (uint32_t)c + 1;
        s.sb = (uint32_t)c + 2;
        s.resolved = 1;
        named = 1;
    } else if (governed) {
        Spk ignore = {.ent = -1};
        read_segment(x, c + 1, ct.at, g, &ignore, &va, &vb, &stray);
        governing_speaker(x, c, g, &s);
    } else {
        /* وأكد حرص سموه على أن: a noun the honorific pronoun hangs on is the
           cue's object, and the title holder is not who spoke (the speaker
           is the one before) */
        int object_hon = c + 2 < ct.at && is_word(x, c + 1) && honorific_pronoun(x, c + 2) &&
                         !has(x, c + 1, T_PRON | T_WAW) && x->ent_of[c + 1] < 0 &&
                         !cat(x, c + 1, C_ROLE | C_INST | C_ANON | C_CHANNEL);
        if (object_hon) {
            Spk ignore = {.ent = -1};
            read_segment(x, c + 1, ct.at, g, &ignore, &va, &vb, &stray);
        } else
            named = read_segment(x, c + 1, ct.at, g, &s, &va, &vb, &stray);
        if (!named && !subject_before(x, c, g, &s) && !main_clause_subject(x, c, g, &s) &&
            !(g == G_P && names_before(x, c, &s)))
            implicit_speaker(x, g, c, &s);
        if (named)
            title_adds_on(x, c, g, &s);
    }
    /* كشفت مصادر عن موافقة الصندوق على ... أو أن: too many other words
       between the speaker and this أن for it to be the cue's */
    if (stray > 5 && ct.type == CT_COMP) {
        if (named && !(f & F_AMBIG))
            push_event(x, &s, c, c);
        return c + 1;
    }
    /* an everyday word (بين، أوصى) is a cue only with a plain subject */
    if ((f & F_AMBIG) && named && s.ent < 0 && !cat(x, s.sa, C_ROLE | C_INST | C_ANON | C_CHANNEL))
        return c + 1;
    /* ... and with no subject, not when someone it was made clear to follows:
       تبين للمستشفى أن is "it became clear to the hospital" */
    if ((f & F_AMBIG) && !named && has(x, c + 1, T_LPREP))
        return c + 1;
    s.gender = (uint8_t)g;
    size_t end = emit_content(x, ct, (int64_t)c, &s, va, vb, rc);
    push_event(x, &s, c, end);
    return end > c ? end : c + 1;
}

/* A quote mark no cue has claimed: inverted attribution, or a continuation. */
static size_t handle_free_quote(QCtx *x, size_t o, int *rc)
{
    size_t e = (size_t)x->qend[o], after = quote_after(x, o);
    size_t words = 0;
    for (size_t k = o + 1; k < e && words < 6; k++)
        words += is_word(x, k);
    size_t t = after + (has(x, after, T_COMMA) ? 1 : 0);
    /* a quote that opens its clause; one inside a noun phrase is a name
       (هيئة الإذاعة البريطانية "بي بي سي"، قال ...) */
    int opens_clause = o == 0 || breaks_before(x, o) || has(x, o - 1, T_COLON | T_COMMA | T_SEMI);
    if (words >= 3 && opens_clause && t < x->n && is_strong_cue(x, t) &&
        !(x->ti[t].cue & (F_PART | F_INTRO)) && !(x->ti[t].cats & (C_RELAY | C_LEARN))) {
        /* «...»، قال الوزير */
        int g = cue_gender(x->ti[t].cue);
        size_t lim = t + 1 + NP_MAX < x->n ? t + 1 + NP_MAX : x->n;
        size_t stop = t + 1;
        while (stop < lim && !breaks_before(x, stop) && !has(x, stop, T_COMP | T_COLON) &&
               !is_opener(x, stop))
            stop++;
        Spk s = {.ent = -1};
        uint32_t va = 0, vb = 0;
        if (!read_segment(x, t + 1, stop, g, &s, &va, &vb, NULL))
            implicit_speaker(x, g, t, &s);
        s.gender = (uint8_t)g;
        emit_marked(x, o, (int64_t)t, &s, va, vb, rc);
        push_event(x, &s, t, after);
        return stop;
    }
    if (words >= 3 && opens_clause && t < x->n && cat(x, t, C_VIA) && !has(x, t, T_LPREP)) {
        /* «...»، بحسب المصدر */
        size_t v = via_phrase(x, t, x->n);
        Spk s = {.ent = -1};
        uint32_t va = 0, vb = 0;
        size_t h = t + 1 + (has(x, t + 1, T_LPREP) && x->tok[t + 1].key_len == 2);
        if (h < v && !cat(x, h, C_CHANNEL) &&
            !(x->ent_of[h] >= 0 && x->ents->items[x->ent_of[h]].type == NER_ORG)) {
            read_segment(x, h, v, G_ANY, &s, &va, &vb, NULL);
            if (s.kind == QS_UNKNOWN)
                implicit_speaker(x, G_ANY, t, &s);
            va = vb = 0; /* the attribution named the speaker, not a channel */
        } else {
            implicit_speaker(x, G_ANY, t, &s);
            va = (uint32_t)t;
            vb = (uint32_t)v;
        }
        emit_marked(x, o, (int64_t)t, &s, va, vb, rc);
        push_event(x, &s, t, after);
        return v;
    }
    /* a long quote standing as a sentence of its own, right after someone spoke */
    const Event *ev = recent(x, G_ANY, 0);
    if (words >= 6 && ev && ev->end + 200 > o &&
        (o == 0 || breaks_before(x, o) || has(x, o - 1, T_COLON))) {
        Spk s;
        /* after a colon, the subject of the quote's own sentence if it has
           one and no one spoke in it since (مدير النادي «فلان» عبر عن رغبته: «...») */
        if (!(o > 0 && has(x, o - 1, T_COLON) && sentence_subject_of(x, o, ev, G_ANY, &s)))
            spk_as_implicit(&s, &ev->s);
        size_t had = x->out->n;
        size_t end = emit_marked(x, o, -1, &s, 0, 0, rc);
        if (x->out->n > had) /* (a list in marks is no one's words: no one spoke) */
            push_event(x, &s, o, end);
        return end;
    }
    return o + 1;
}

/* بحسب X، فإن ... (X is the speaker); else a channel for the sentence's quote. */
static size_t handle_via_intro(QCtx *x, size_t k, int *rc)
{
    size_t limit = k + 1 + NP_MAX + 2 < x->n ? k + 1 + NP_MAX + 2 : x->n;
    size_t j = k + 1;
    while (j < limit && !breaks_before(x, j) && !has(x, j, T_COMPF | T_COMP) &&
           !is_strong_cue(x, j))
        j++;
    size_t v = via_phrase(x, k, x->n);
    if (j < limit && has(x, j, T_COMPF | T_COMP) && j > k + 1) {
        Spk s = {.ent = -1};
        uint32_t va = 0, vb = 0;
        size_t h = k + 1 + (has(x, k + 1, T_LPREP) && x->tok[k + 1].key_len == 2);
        size_t e = j;
        while (e > h && has(x, e - 1, T_COMMA))
            e--;
        memset(&s, 0, sizeof s);
        s.ent = -1;
        if (h < e) {
            if (!read_segment(x, h, e, G_ANY, &s, &va, &vb, NULL) && va < vb) {
                /* بحسب وكالة رويترز: the outlet itself is the source */
                spk_from_np(x, &s, va, vb, G_ANY);
                va = vb = 0;
            }
        }
        if (s.kind == QS_UNKNOWN)
            return k + 1;
        Content ct = {CT_COMP, j, j};
        size_t end = emit_content(x, ct, (int64_t)k, &s, 0, 0, rc);
        push_event(x, &s, k, end);
        return end;
    }
    if (v > k + 1) {
        x->pv_a = (uint32_t)k;
        x->pv_b = (uint32_t)v;
        x->pv_sent = x->sb[k];
    }
    return k + 1;
}

/* ======================================================================
 * Entry point
 * ==================================================================== */

static int cmp_quote(const void *a, const void *b)
{
    const Quote *p = a, *q = b;
    if (p->start != q->start)
        return p->start < q->start ? -1 : 1;
    return p->end < q->end ? -1 : p->end > q->end;
}

/*
 * Punctuation that only looks like a boundary: the full stop of an
 * abbreviation (د. م. أ.) or inside a word (بي.بي.سي), and the colon of a
 * time (23:59). Called on token i once i-1 is classified; looks at i+1's
 * offsets only.
 */
static void fix_punct(QCtx *x, size_t i)
{
    TInfo *t = &x->ti[i];
    const rasd_token *tk = x->tok;
    int next_att = i + 1 < x->n && tk[i + 1].start == tk[i].end &&
                   tk[i + 1].type != RASD_TOK_PUNCT;
    /* a full stop glued between two short pieces (بي.بي.سي، U.S.) is inside
       a word; glued between long words (الحالية.وأنفق) it still ends one */
    if ((t->bits & T_SENT) && keq(&tk[i], ".") && i > 0 && tk[i - 1].end == tk[i].start &&
        ((tk[i - 1].type == RASD_TOK_ARABIC && tk[i - 1].key_len == 2) ||
         (next_att && tk[i - 1].key_len <= 6 && tk[i + 1].key_len <= 6)))
        t->bits &= (uint16_t)~T_SENT;
    if ((t->bits & T_COLON) && i > 0 && next_att && tk[i - 1].type == RASD_TOK_NUMBER &&
        tk[i + 1].type == RASD_TOK_NUMBER)
        t->bits &= (uint16_t)~T_COLON;
    /* هنا / هناك "here / there" after a title is no part of it (وقال الوزير
       هنا إن): an adverb. By the written form: هنا is also the key of the
       woman's name هناء, which keeps its ء */
    if ((t->bits & T_WORD) && tk[i].type == RASD_TOK_ARABIC && tk[i].pre_len <= 2 &&
        !tk[i].suf_len) {
        const char *w = x->text + tk[i].start + tk[i].pre_len;
        size_t wn = tk[i].end - tk[i].start - tk[i].pre_len;
        if ((wn == strlen("هنا") && memcmp(w, "هنا", wn) == 0) ||
            (wn == strlen("هناك") && memcmp(w, "هناك", wn) == 0) ||
            (wn == strlen("هنالك") && memcmp(w, "هنالك", wn) == 0))
            t->cats |= C_ADV;
    }
    /* طلب عدم كشف هويته، بعدم ذكر اسمه: a verbal noun after عدم "not" says
       nothing was said */
    if (i > 0 && (t->cats & (C_CUE | C_RELAY | C_LEARN)) &&
        (keq(&tk[i - 1], "عدم") || keq(&tk[i - 1], "وعدم") || keq(&tk[i - 1], "بعدم")))
        t->cats &= (uint16_t)~(C_CUE | C_RELAY | C_LEARN);
}

/* Is mention a a fuller name than mention b: more words, then no proclitic
   (روسيا, not لروسيا), then more bytes? */
static int mention_better(const QCtx *x, size_t a, size_t b)
{
    size_t wa = x->ent_last[a] - x->ent_first[a], wb = x->ent_last[b] - x->ent_first[b];
    if (wa != wb)
        return wa > wb;
    int pa = x->tok[x->ent_first[a]].pre_len != 0, pb = x->tok[x->ent_first[b]].pre_len != 0;
    if (pa != pb)
        return pa < pb;
    const Entity *ea = &x->ents->items[a], *eb = &x->ents->items[b];
    return ea->end - ea->start > eb->end - eb->start;
}

/*
 * Is the person starting at i the subject of its sentence's first verb?
 * Only a title between them may say no: a feminine verb with a masculine
 * title (واتهمت وزير الدفاع سيرغي لافروف) or the reverse is an object.
 */
static int opens_as_subject(const QCtx *x, size_t i)
{
    size_t v = x->sb[i];
    if (v >= i)
        return 1;
    const rasd_token *t = &x->tok[v];
    const char *r = t->key + (t->pre_len <= t->key_len ? t->pre_len : 0);
    size_t rn = t->key_len - (t->pre_len <= t->key_len ? t->pre_len : 0);
    int verb_fem = rn >= 6 && memcmp(r + rn - 2, "\xD8\xAA", 2) == 0; /* ends in ت */
    for (size_t k = v + 1; k < i; k++)
        if (cat(x, k, C_ROLE) && ends_ta_marbuta(x, k) != verb_fem)
            return 0;
    return 1;
}

/* For each entity, the index of the fullest mention with the same key. */
static int fullest_mentions(QCtx *x)
{
    const EntityList *l = x->ents;
    size_t cap = 16;
    while (cap < l->n * 2)
        cap *= 2;
    int32_t *slot = malloc(cap * sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < cap; i++)
        slot[i] = -1;
    const char *keys = l->keys.data ? l->keys.data : "";
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < l->n; i++) {
            const Entity *e = &l->items[i];
            size_t h = (size_t)rasd_hash(keys + e->key_off, e->key_len) & (cap - 1);
            for (;; h = (h + 1) & (cap - 1)) {
                x->out->work++;
                int32_t s = slot[h];
                if (s < 0) {
                    slot[h] = (int32_t)i;
                    x->best[i] = (int32_t)i;
                    break;
                }
                const Entity *o = &l->items[s];
                if (o->key_len == e->key_len && o->type == e->type &&
                    memcmp(keys + o->key_off, keys + e->key_off, e->key_len) == 0) {
                    if (pass == 0 && mention_better(x, i, (size_t)s))
                        slot[h] = (int32_t)i;
                    x->best[i] = slot[h];
                    break;
                }
            }
        }
    }
    free(slot);
    return 0;
}

/*
 * One identity per speaker within an article: a person named by one word
 * (المالكي، الصوينع، جوش) whose key is the last or the first word of
 * exactly one fuller speaker's key (نوري المالكي، جوش إرنست) is that
 * speaker: same key, same name. At
 * most 64 distinct fuller keys are compared, so the work stays linear.
 */
static void unify_surnames(const char *text, QuoteList *l)
{
    enum { FULL_MAX = 64 };
    size_t full[FULL_MAX], nf = 0;
    const char *keys = l->keys.data;
    if (!keys)
        return;
    for (size_t i = 0; i < l->n && nf < FULL_MAX; i++) {
        const Quote *q = &l->items[i];
        l->work++;
        if (!q->key_len || q->kind == QS_INSTITUTION || q->kind == QS_ANONYMOUS ||
            !memchr(keys + q->key_off, ' ', q->key_len))
            continue;
        size_t j = 0;
        while (j < nf && !(l->items[full[j]].key_len == q->key_len &&
                           memcmp(keys + l->items[full[j]].key_off, keys + q->key_off, q->key_len) == 0))
            j++;
        if (j == nf)
            full[nf++] = i;
    }
    Buf said = {0};
    for (size_t i = 0; i < l->n; i++) {
        Quote *q = &l->items[i];
        if (q->kind == QS_INSTITUTION || q->kind == QS_ANONYMOUS)
            continue;
        /* the one word at the cue (وأضاف الصوينع), else the one-word key */
        const char *w = NULL;
        size_t wn = 0;
        said.len = 0;
        if (q->said_start < q->said_end && q->kind != QS_IMPLICIT &&
            !memchr(text + q->said_start, ' ', q->said_end - q->said_start) &&
            names_key(text + q->said_start, q->said_end - q->said_start, &said) == 0 && said.len &&
            !memchr(said.data, ' ', said.len)) {
            w = said.data;
            wn = said.len;
        } else if (q->key_len && !memchr(keys + q->key_off, ' ', q->key_len)) {
            w = keys + q->key_off;
            wn = q->key_len;
        }
        if (!wn)
            continue;
        int64_t hit = -1;
        for (size_t j = 0; j < nf; j++) {
            l->work++;
            const Quote *f = &l->items[full[j]];
            const char *fk = keys + f->key_off;
            if (full[j] == i || f->key_len <= wn + 1)
                continue;
            /* the family name (المالكي), or a first name alone (جوش for جوش إرنست) */
            int last = fk[f->key_len - wn - 1] == ' ' && memcmp(fk + f->key_len - wn, w, wn) == 0;
            int first = fk[wn] == ' ' && memcmp(fk, w, wn) == 0;
            if (!last && !first)
                continue;
            if (hit >= 0) {
                hit = -2; /* two people of that surname: leave it */
                break;
            }
            hit = (int64_t)full[j];
        }
        if (hit < 0)
            continue;
        const Quote *f = &l->items[hit];
        quote_take_name(q, f->key_off, f->key_len, f->spk_start, f->spk_end);
    }
    buf_free(&said);
}

void quotes_free(QuoteList *l)
{
    free(l->items);
    buf_free(&l->keys);
    memset(l, 0, sizeof *l);
}

rasd_err quotes_find(const rasd_doc *d, const EntityList *ents, QuoteList *out, rasd_error *err)
{
    return quotes_find_with(d, ents, NULL, NULL, out, err); /* the rules (see quotes.h) */
}

rasd_err quotes_find_with(const rasd_doc *d, const EntityList *ents, const QuoteChooser *ch,
                          QuoteCands *cands, QuoteList *out, rasd_error *err)
{
    memset(out, 0, sizeof *out);
    if (!qlex_ready())
        return rasd_fail(err, RASD_ENOMEM, "quotes: the cue lexicon could not be built");
    if (lex_init() < 0)
        return rasd_fail(err, RASD_ENOMEM, "out of memory");
    QCtx x = {0};
    x.d = d;
    x.text = rasd_doc_text(d, NULL);
    x.tok = rasd_doc_tokens(d);
    x.n = rasd_doc_ntokens(d);
    x.ents = ents && ents->n ? ents : NULL;
    x.out = out;
    x.last_pers = -1;
    x.last_subj = -1;
    size_t n = x.n ? x.n : 1, ne = x.ents ? x.ents->n : 1;
    x.ti = calloc(n, sizeof *x.ti);
    x.ent_of = malloc(n * sizeof *x.ent_of);
    x.qst = calloc(n, 1);
    x.qend = malloc(n * sizeof *x.qend);
    x.chain = malloc(n * sizeof *x.chain);
    x.sb = malloc(n * sizeof *x.sb);
    x.ent_first = malloc(ne * sizeof *x.ent_first);
    x.ent_last = malloc(ne * sizeof *x.ent_last);
    x.best = malloc(ne * sizeof *x.best);
    x.role_of = malloc(n * sizeof *x.role_of);
    rasd_err e = RASD_OK;
    if (!x.ti || !x.ent_of || !x.qst || !x.qend || !x.chain || !x.sb || !x.ent_first ||
        !x.ent_last || !x.best || !x.role_of) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    /* pass 1: token classes, sentence starts, the tokens of each entity */
    for (size_t i = 0; i < x.n; i++) {
        out->work++;
        classify_token(&x.tok[i], &x.ti[i]);
        fix_punct(&x, i);
        x.qend[i] = -1;
        x.chain[i] = -1;
        x.sb[i] = (uint32_t)(breaks_before(&x, i) ? i : x.sb[i - 1]);
        x.ent_of[i] = -1;
        x.role_of[i] = -1;
    }
    if (x.ents) /* roles are in text order and do not overlap much: linear */
        for (size_t r = 0; r < x.ents->roles.n; r++) {
            const Role *ro = &x.ents->roles.items[r];
            for (size_t k = ro->first; k <= ro->last && k < x.n; k++) {
                out->work++;
                if (x.role_of[k] < 0)
                    x.role_of[k] = (int32_t)r;
            }
        }
    if (x.ents) {
        /* entities and tokens are both in text order: one merge */
        size_t i = 0;
        for (size_t k = 0; k < x.ents->n; k++) {
            const Entity *en = &x.ents->items[k];
            while (i < x.n && x.tok[i].start < en->start) {
                out->work++;
                i++;
            }
            size_t first = i < x.n ? i : (x.n ? x.n - 1 : 0), last = first;
            for (size_t j = i; j < x.n && x.tok[j].end <= en->end; j++) {
                out->work++;
                if (x.ent_of[j] < 0)
                    x.ent_of[j] = (int32_t)k;
                x.ti[j].bits &= (uint16_t)~T_VERB; /* نجران is a place, not a verb */
                if (x.ents->items[k].type == NER_PERS) /* فان جال is a name, not فإن */
                    x.ti[j].bits &= (uint16_t)~(T_COMP | T_COMPF | T_COMPW | T_PREPW | T_WAW);
                last = j;
            }
            x.ent_first[k] = (uint32_t)first;
            x.ent_last[k] = (uint32_t)last;
        }
        if (fullest_mentions(&x) < 0) {
            e = rasd_fail(err, RASD_ENOMEM, "out of memory");
            goto done;
        }
    }
    /* سي إن إن (CNN) is a name: its إن are no complementisers */
    for (size_t i = 0; i + 1 < x.n; i++)
        if (keq(&x.tok[i], "\xD8\xB3\xD9\x8A") && has(&x, i + 1, T_COMP) &&
            x.tok[i + 1].key_len == 4) {
            x.ti[i + 1].bits &= (uint16_t)~T_COMP;
            if (has(&x, i + 2, T_COMP) && x.tok[i + 2].key_len == 4)
                x.ti[i + 2].bits &= (uint16_t)~T_COMP;
        }
    /* pass 2: quote marks */
    pair_quotes(&x);
    /* pass 3: cues, free quotes and attributions, left to right */
    int rc = 0;
    size_t resume = 0;
    for (size_t i = 0; i < x.n && rc == 0; i++) {
        out->work++;
        if (x.ent_of[i] >= 0 && x.ents->items[x.ent_of[i]].type == NER_PERS &&
            !named_after(&x, x.ent_of[i]) && !byline(&x, x.ent_of[i]))
            x.last_pers = x.ent_of[i];
        note_head(&x, i);
        if (i < resume)
            continue;
        if (i == x.sb[i])
            sentence_subject(&x, i);
        /* (a verb the tagger took for a name is none; the person after the
           title it governs is the subject: دان مفتي ... عبد اللطيف دريان) */
        if (x.last_pers >= 0 && x.ent_first[x.last_pers] == i && !misread_verb(&x, i) &&
            (i - x.sb[i] <= 4 || (misread_verb(&x, x.sb[i]) && i - x.sb[i] <= NP_MAX) ||
             titles_between(&x, x.sb[i], i)) &&
            opens_as_subject(&x, i) && !topic_before(&x, i)) {
            x.last_subj = x.last_pers;
            x.last_subj_tok = (uint32_t)i;
        }
        size_t r = i;
        if (is_opener(&x, i) && !(x.qst[i] & Q_USED))
            r = handle_free_quote(&x, i, &rc);
        else if (cat(&x, i, C_VIA) && !has(&x, i, T_LPREP) &&
                 (breaks_before(&x, i) || has(&x, i - 1, T_COMMA) || has(&x, i, T_WAW)))
            r = handle_via_intro(&x, i, &rc);
        else if (is_cue(&x, i))
            r = handle_cue(&x, i, &rc);
        if (r > i + 1)
            resume = r;
    }
    if (rc < 0 || out->keys.oom) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    complete_names(&x);
    quotes_choose(&x, ch, cands);
    if (out->keys.oom || (cands && cands->keys.oom)) {
        e = rasd_fail(err, RASD_ENOMEM, "out of memory");
        goto done;
    }
    unify_surnames(x.text, out);
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, cmp_quote);
done:
    if (e != RASD_OK)
        quotes_free(out);
    free(x.ti);
    free(x.ent_of);
    free(x.qst);
    free(x.qend);
    free(x.chain);
    free(x.sb);
    free(x.ent_first);
    free(x.ent_last);
    free(x.best);
    free(x.role_of);
    return e;
}

