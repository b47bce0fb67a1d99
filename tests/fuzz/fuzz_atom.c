/*
 * fuzz_atom.c — libFuzzer target for the Atom writer (src/watch/atom.c,
 * `rasd feed`): the input is cut at NUL bytes into an article's title,
 * outlet, agency, published date, URL and body; the article goes through
 * the engine (ingest, assign) into a scratch store, and the feed of the
 * store's stories must be well-formed XML whose root is an Atom <feed>, with
 * every element in the Atom namespace — whatever the stored texts hold.
 * The store starts afresh every 256 inputs.
 */
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "watch/atom.h"

static Store *st;
static char path[64];
static unsigned runs;

static void quiet(void *ctx, const char *msg, ...)
{
}

static int atom_only(xmlNode *n)
{
    static const char atom_ns[] = "http://www.w3.org/2005/Atom";
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!n->ns || strcmp((const char *)n->ns->href, atom_ns) != 0)
            return 0;
        if (!atom_only(n->children))
            return 0;
    }
    return 1;
}

static char *piece(const char **p, const char *end)
{
    if (*p >= end)
        return NULL;
    const char *z = memchr(*p, 0, (size_t)(end - *p));
    size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
    char *s = xstrndup(*p, n);
    *p += n + 1;
    return s;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    rasd_error err;
    xmlSetGenericErrorFunc(NULL, quiet);
    if (st && runs++ % 256 == 0) {
        store_close(st);
        st = NULL;
        unlink(path);
    }
    if (!st) {
        snprintf(path, sizeof path, "/tmp/fuzz-atom-%d.db", (int)getpid());
        unlink(path);
        if (store_open(path, 0, &st, &err) != RASD_OK)
            abort();
    }
    const char *p = (const char *)data, *end = p + size;
    Batch b = {0};
    Article *a = batch_add(&b);
    if (!a)
        abort();
    a->title = piece(&p, end);
    a->outlet = piece(&p, end);
    a->agency = piece(&p, end);
    a->published = piece(&p, end);
    a->url = piece(&p, end);
    a->body = piece(&p, end);
    if (!a->body)
        a->body = xstrndup("نص", strlen("نص"));
    a->origin = xstrndup("fuzz", 4);
    IngestOptions io = {0};
    io.jobs = 1;
    IngestStats s;
    if (engine_ingest_batch(st, &io, &b, "fuzz", &s, &err) == RASD_OK) {
        AssignOpts ao;
        StoriesStats ss;
        int ran = 0;
        assign_opts_default(&ao);
        engine_assign(st, &ao, &ss, &ran, &err);
    }
    batch_free(&b);
    AtomOpts o = {0};
    o.base_url = "http://127.0.0.1:8080";
    o.now = 1700000000;
    o.max_entries = 8;
    Buf out = {0};
    if (atom_write(st, &o, NULL, NULL, &out, &err) == RASD_OK) {
        xmlDocPtr doc = xmlReadMemory(out.data, (int)out.len, "feed.xml", NULL, XML_PARSE_NONET);
        if (!doc) {
            fwrite(out.data, 1, out.len, stderr);
            abort(); /* not well-formed XML */
        }
        xmlNode *root = xmlDocGetRootElement(doc);
        if (!root || strcmp((const char *)root->name, "feed") != 0 || !atom_only(root))
            abort();
        xmlFreeDoc(doc);
    }
    buf_free(&out);
    return 0;
}
