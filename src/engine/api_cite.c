/*
 * api_cite.c — the name a reader is shown for an article (include/rasd.h:
 * rasd_cite_name), one rule for the brief's citations and documents
 * (story/brief.c) and the CLI's search hits (cli/cmd_search.c): the outlet,
 * else the agency credited, else the site of the URL, else the start of the
 * title — never the hex id, which means nothing to a reader.
 */
#include <string.h>

#include "util/util.h"

/* the site of url: after "scheme://" and "www.", up to a '/', ':', '?' or
   '#'; its length in *n (0: none, or too long to be a site's name) */
static const char *url_site(const char *url, size_t *n)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    if (strncmp(h, "www.", 4) == 0)
        h += 4;
    *n = strcspn(h, "/:?#");
    if (*n >= 80)
        *n = 0;
    return h;
}

RASD_API int rasd_cite_name(rasd_buf *out, const char *outlet, const char *agency,
                            const char *url, const char *title)
{
    if (outlet && *outlet) {
        buf_puts(out, outlet);
        return 1;
    }
    if (agency && *agency) {
        buf_puts(out, agency);
        return 1;
    }
    size_t n = 0;
    const char *site = url ? url_site(url, &n) : NULL;
    if (n) {
        buf_append(out, site, n);
        return 1;
    }
    if (title && *title) {
        n = 0; /* about 40 characters, cut at a character boundary */
        for (int chars = 0; title[n] && chars < 40; chars++)
            for (n++; ((unsigned char)title[n] & 0xC0) == 0x80; n++)
                ;
        buf_append(out, title, n);
        if (title[n])
            buf_puts(out, "…");
        return 1;
    }
    return 0;
}
