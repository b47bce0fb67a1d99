/*
 * robots.c — does robots.txt let us fetch a path? (RFC 9309)
 *
 * A robots.txt is a list of groups; a group starts with one or more
 * "User-agent:" lines and holds "Allow:"/"Disallow:" rules. The rules that
 * apply are those of every group naming our product token (matched
 * case-insensitively), or, when no group names it, of the "*" groups.
 * Among those, the rule with the longest pattern matching the path wins;
 * on a tie Allow wins; no matching rule means allowed. Patterns may use
 * '*' (any run of bytes) and a final '$' (end of path). An empty Disallow
 * allows everything. Lines are "key: value" with '#' comments; unknown keys
 * (Sitemap, Crawl-delay) neither start nor end a group.
 *
 * The file is read twice without allocating: pass 1 learns whether any
 * group names the agent, pass 2 evaluates the rules of the chosen groups.
 */
#include <string.h>
#include <strings.h>

#include "watch/parse.h"

typedef struct Line {
    const char *key, *val; /* field name and value (trimmed) */
    size_t klen, vlen;     /* their lengths in bytes */
} Line;

/* Next line from *p; 0 at the end. Comments and surrounding spaces removed. */
static int next_line(const char **p, const char *end, Line *l)
{
    while (*p < end) {
        const char *s = *p, *e = s;
        while (e < end && *e != '\n' && *e != '\r')
            e++;
        *p = e < end ? e + 1 : e;
        const char *hash = memchr(s, '#', (size_t)(e - s));
        if (hash)
            e = hash;
        const char *colon = memchr(s, ':', (size_t)(e - s));
        if (!colon)
            continue;
        const char *k = s, *ke = colon, *v = colon + 1, *ve = e;
        while (k < ke && (*k == ' ' || *k == '\t'))
            k++;
        while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        while (v < ve && (*v == ' ' || *v == '\t'))
            v++;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        l->key = k;
        l->klen = (size_t)(ke - k);
        l->val = v;
        l->vlen = (size_t)(ve - v);
        return 1;
    }
    return 0;
}

static int key_is(const Line *l, const char *k)
{
    return l->klen == strlen(k) && !strncasecmp(l->key, k, l->klen);
}

/* The group's user-agent value names agent: its product token equals agent's. */
static int names_agent(const Line *l, const char *agent)
{
    size_t n = 0;
    while (n < l->vlen && l->val[n] != '/' && l->val[n] != ' ')
        n++;
    return n && n == strlen(agent) && !strncasecmp(l->val, agent, n);
}

/* Pattern pat[0,pn) matches a prefix of path (or all of it, with '$'). Iterative
   wildcard matching with one backtrack point: linear in practice, never exponential. */
static int pattern_matches(const char *pat, size_t pn, const char *path, size_t n)
{
    int anchored = pn && pat[pn - 1] == '$';
    if (anchored)
        pn--;
    size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
    for (;;) {
        if (i == pn) {
            if (!anchored || j == n)
                return 1;
        } else if (pat[i] == '*') {
            star = i++;
            mark = j;
            continue;
        } else if (j < n && pat[i] == path[j]) {
            i++;
            j++;
            continue;
        }
        if (star == (size_t)-1 || mark >= n)
            return 0;
        i = star + 1;
        j = ++mark;
    }
}

int robots_allowed(const char *txt, size_t n, const char *agent, const char *path)
{
    if (!txt || !n)
        return 1;
    const char *end = txt + n, *p = txt;
    Line l;
    int named = 0;
    while (next_line(&p, end, &l))
        if (key_is(&l, "user-agent") && names_agent(&l, agent))
            named = 1;
    size_t plen = strlen(path);
    size_t best = 0;
    int found = 0, allow = 1;
    int in_group = 0, applies = 0, after_rule = 1;
    p = txt;
    while (next_line(&p, end, &l)) {
        if (key_is(&l, "user-agent")) {
            if (after_rule) { /* a new group starts */
                applies = 0;
                after_rule = 0;
            }
            in_group = 1;
            if (named ? names_agent(&l, agent) : (l.vlen == 1 && l.val[0] == '*'))
                applies = 1;
            continue;
        }
        int is_allow = key_is(&l, "allow"), is_dis = key_is(&l, "disallow");
        if (!is_allow && !is_dis)
            continue;
        after_rule = 1;
        if (!in_group || !applies || !l.vlen)
            continue;
        if (!pattern_matches(l.val, l.vlen, path, plen))
            continue;
        if (!found || l.vlen > best || (l.vlen == best && is_allow)) {
            found = 1;
            best = l.vlen;
            allow = is_allow;
        }
    }
    return allow;
}
