/*
 * brief_json.c — a brief and a conflict set (include/rasd.h) written as
 * JSON (design.md §3, `rasd brief --json`). A brief has two JSON forms:
 * the output one (CLI, HTTP API, rasd_brief_render), where every summary
 * sentence, timeline date and quote carries its "cite" (article, outlet
 * name, URL, bytes), and the stored one (the brief cache, views.h), which
 * leaves those cites out: they repeat what the brief's document list says,
 * and the reader (views_brief_decode -> views_brief_cite) fills them from it
 * anyway, so storing them only cost a quarter of the brief's bytes. A stored
 * brief read back and written in the output form is the built brief's
 * output form, byte for byte. Field order, number formats (scores with
 * three decimals) and escaping are the writer's of briefs before they were
 * structs; a conflict value's "cites" stay in both forms (the conflicts
 * view reads them without a document list).
 */
#include <string.h>

#include "views/views.h"

static void put_str(Buf *b, const char *s)
{
    if (s)
        buf_put_json_string(b, s, strlen(s));
    else
        buf_puts(b, "null");
}

static void put_strs(Buf *b, const char *const *v, size_t n)
{
    buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        put_str(b, v[i]);
    }
    buf_putc(b, ']');
}

/* {"article","outlet","url","start","end"}: one citation, as a claim's
   "cite" and each entry of a conflict value's "cites". */
static void put_citation(Buf *b, const rasd_citation *c)
{
    buf_puts(b, "{\"article\":");
    put_str(b, c->article);
    buf_puts(b, ",\"outlet\":");
    put_str(b, c->outlet);
    buf_puts(b, ",\"url\":");
    put_str(b, c->url);
    buf_printf(b, ",\"start\":%u,\"end\":%u}", c->start, c->end);
}

/* ,"cite":{...} when the claim has one and the form is the output one
   (cite: 1); the stored form leaves it out (since BRIEF_VERSION 13). */
static void put_cite(Buf *b, const rasd_citation *c, int cite)
{
    if (!cite || !c->article)
        return;
    buf_puts(b, ",\"cite\":");
    put_citation(b, c);
}

static void put_summary(Buf *b, const rasd_brief *r, int cite)
{
    buf_puts(b, ",\"summary\":[");
    for (size_t i = 0; i < r->nsummary; i++) {
        const rasd_brief_sentence *s = &r->summary[i];
        buf_puts(b, i ? ",{\"text\":" : "{\"text\":");
        put_str(b, s->text);
        buf_puts(b, ",\"article\":");
        put_str(b, s->article);
        buf_printf(b, ",\"start\":%u,\"end\":%u,\"sources\":", s->start, s->end);
        put_strs(b, s->sources, s->nsources);
        buf_printf(b, ",\"corroboration\":%lld,\"score\":%.3f,\"support\":[",
                   (long long)s->corroboration, s->score);
        for (size_t k = 0; k < s->nsupport; k++) {
            const rasd_brief_support *x = &s->support[k];
            buf_puts(b, k ? ",{\"article\":" : "{\"article\":");
            put_str(b, x->article);
            buf_puts(b, ",\"outlet\":");
            put_str(b, x->outlet);
            buf_printf(b, ",\"similarity\":%.3f,\"text\":", x->similarity);
            put_str(b, x->text);
            buf_putc(b, '}');
        }
        buf_putc(b, ']');
        put_cite(b, &s->cite, cite);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

static void put_timeline(Buf *b, const rasd_brief *r, int cite)
{
    buf_putc(b, '[');
    for (size_t j = 0; j < r->ntimeline; j++) {
        const rasd_brief_date *t = &r->timeline[j];
        buf_puts(b, j ? ",{\"value\":" : "{\"value\":");
        put_str(b, t->value);
        buf_puts(b, ",\"text\":");
        put_str(b, t->text);
        buf_puts(b, ",\"sentence\":");
        put_str(b, t->sentence);
        buf_puts(b, ",\"article\":");
        put_str(b, t->article);
        buf_printf(b, ",\"start\":%u,\"end\":%u,\"sources\":", t->start, t->end);
        put_strs(b, t->sources, t->nsources);
        put_cite(b, &t->cite, cite);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

void views_timeline_json(const rasd_brief *r, Buf *b) { put_timeline(b, r, 1); }

static void put_entities(Buf *b, const rasd_brief *r)
{
    buf_puts(b, ",\"entities\":[");
    for (size_t i = 0; i < r->nentities; i++) {
        const rasd_brief_name *e = &r->entities[i];
        buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        put_str(b, e->name);
        buf_puts(b, ",\"key\":");
        put_str(b, e->key);
        buf_puts(b, ",\"type\":");
        put_str(b, e->type);
        buf_puts(b, ",\"variants\":");
        put_strs(b, e->variants, e->nvariants);
        buf_printf(b, ",\"mentions\":%lld,\"outlets\":", (long long)e->mentions);
        put_strs(b, e->outlets, e->noutlets);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

static void put_quotes(Buf *b, const rasd_brief *r, int cite)
{
    buf_puts(b, ",\"quotes\":[");
    for (size_t s = 0; s < r->nspeakers; s++) {
        const rasd_brief_speaker *sp = &r->speakers[s];
        buf_puts(b, s ? ",{\"speaker\":" : "{\"speaker\":");
        put_str(b, sp->speaker);
        buf_puts(b, ",\"key\":");
        put_str(b, sp->key);
        buf_puts(b, ",\"quotes\":[");
        for (size_t i = 0; i < sp->nquotes; i++) {
            const rasd_brief_quote *q = &sp->quotes[i];
            buf_puts(b, i ? ",{\"text\":" : "{\"text\":");
            put_str(b, q->text);
            buf_puts(b, ",\"cue\":");
            put_str(b, q->cue);
            buf_puts(b, ",\"via\":");
            put_str(b, q->via);
            buf_printf(b, ",\"direct\":%s,\"article\":", q->direct ? "true" : "false");
            put_str(b, q->article);
            buf_printf(b, ",\"start\":%u,\"end\":%u,\"sources\":", q->start, q->end);
            put_strs(b, q->sources, q->nsources);
            put_cite(b, &q->cite, cite);
            buf_putc(b, '}');
        }
        buf_printf(b, "],\"statements\":%lld,\"more\":%lld}", (long long)sp->statements,
                   (long long)sp->more);
    }
    buf_printf(b, "],\"quote_speakers\":%lld,\"more_speakers\":%lld", (long long)r->quote_speakers,
               (long long)r->more_speakers);
}

void views_conflicts_json(const rasd_conflict_set *c, Buf *b)
{
    views_conflicts_json_with(c, NULL, b);
}

void views_conflicts_json_with(const rasd_conflict_set *c, const ViewsJsonHooks *h, Buf *b)
{
    Buf tail = {0}; /* the caller's fields of one conflict */
    buf_putc(b, '[');
    for (size_t i = 0; i < c->n; i++) {
        const rasd_conflict *x = &c->items[i];
        const char *id = x->id;
        buf_reset(&tail);
        if (h && h->conflict)
            h->conflict(h->ctx, x, &id, &tail);
        buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        put_str(b, id);
        buf_puts(b, ",\"kind\":");
        put_str(b, x->kind);
        buf_puts(b, ",\"rule\":");
        put_str(b, x->rule);
        buf_puts(b, ",\"slot\":");
        put_str(b, x->slot);
        buf_puts(b, ",\"subject\":");
        put_str(b, x->subject);
        buf_puts(b, x->update ? ",\"update\":true" : ",\"update\":false");
        buf_puts(b, ",\"values\":[");
        for (size_t k = 0; k < x->nvalues; k++) {
            const rasd_conflict_value *v = &x->values[k];
            buf_puts(b, k ? ",{\"value\":" : "{\"value\":");
            put_str(b, v->value);
            buf_puts(b, ",\"sources\":");
            put_strs(b, v->sources, v->nsources);
            buf_puts(b, ",\"articles\":");
            put_strs(b, v->articles, v->narticles);
            buf_puts(b, ",\"sentences\":");
            put_strs(b, v->sentences, v->nsentences);
            if (v->published) { /* absent from conflicts stored before BRIEF_VERSION 11 */
                buf_puts(b, ",\"published\":");
                put_str(b, v->published);
            }
            if (v->ncites) { /* absent from conflicts stored before BRIEF_VERSION 8 */
                buf_puts(b, ",\"cites\":[");
                for (size_t j = 0; j < v->ncites; j++) {
                    if (j)
                        buf_putc(b, ',');
                    put_citation(b, &v->cites[j]);
                }
                buf_putc(b, ']');
            }
            buf_putc(b, '}');
        }
        buf_putc(b, ']');
        if (tail.len)
            buf_append(b, tail.data, tail.len);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
    if (tail.oom)
        b->oom = 1;
    buf_free(&tail);
}

static void put_documents(Buf *b, const rasd_brief *r)
{
    buf_puts(b, ",\"documents\":[");
    for (size_t a = 0; a < r->ndocuments; a++) {
        const rasd_brief_document *d = &r->documents[a];
        buf_puts(b, a ? ",{\"id\":" : "{\"id\":");
        put_str(b, d->id);
        buf_puts(b, ",\"outlet\":");
        put_str(b, d->outlet);
        buf_puts(b, ",\"name\":");
        put_str(b, d->name);
        buf_puts(b, ",\"url\":");
        put_str(b, d->url);
        buf_puts(b, ",\"title\":");
        put_str(b, d->title);
        buf_puts(b, ",\"published\":");
        put_str(b, d->published);
        buf_printf(b, ",\"event\":%lld,\"source\":%lld}", (long long)d->event,
                   (long long)d->source);
    }
    buf_putc(b, ']');
}

/* The brief in the output form (cite 1) or the stored one (cite 0). */
static void brief_json(const rasd_brief *r, const ViewsJsonHooks *h, int cite, Buf *b)
{
    buf_printf(b, "{\"story\":%lld,\"event\":", (long long)r->story);
    if (r->event)
        buf_printf(b, "%lld", (long long)r->event);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"headline\":");
    put_str(b, r->headline);
    buf_puts(b, ",\"first\":");
    put_str(b, r->first);
    buf_puts(b, ",\"last\":");
    put_str(b, r->last);
    buf_printf(b, ",\"articles\":%lld,\"read\":%lld,\"sources\":%lld,\"outlets\":",
               (long long)r->articles, (long long)r->read, (long long)r->sources);
    put_strs(b, r->outlets, r->noutlets);
    buf_printf(b, ",\"named_outlets\":%lld", (long long)r->named_outlets);
    put_summary(b, r, cite);
    buf_puts(b, ",\"timeline\":");
    put_timeline(b, r, cite);
    put_entities(b, r);
    put_quotes(b, r, cite);
    buf_puts(b, ",\"conflicts\":");
    views_conflicts_json_with(&r->conflicts, h, b);
    put_documents(b, r);
    if (h && h->brief)
        h->brief(h->ctx, r, b);
    buf_putc(b, '}');
}

void views_brief_json(const rasd_brief *r, Buf *b) { brief_json(r, NULL, 1, b); }

void views_brief_json_stored(const rasd_brief *r, Buf *b) { brief_json(r, NULL, 0, b); }

void views_brief_json_with(const rasd_brief *r, const ViewsJsonHooks *h, Buf *b)
{
    brief_json(r, h, 1, b);
}
