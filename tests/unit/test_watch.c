/*
 * test_watch.c — the parsers and the scheduler of `rasd watch`
 * (src/watch/): robots.txt, sources lists and OPML, section-page links,
 * JSON Feed, polling intervals and backoff. The network parts are tested
 * end to end against the fixture server (tests/e2e/watch.sh).
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "watch/fetch.h"
#include "watch/parse.h"
#include "watch/watch.h"

static int allowed(const char *txt, const char *path)
{
    return robots_allowed(txt, strlen(txt), "rasd", path);
}

TEST("robots.txt: a Disallow prefix forbids the paths under it, others are allowed")
{
    const char *r = "User-agent: *\nDisallow: /private/\n";
    CHECK(!allowed(r, "/private/feed.xml"));
    CHECK(allowed(r, "/feed.xml"));
    CHECK(allowed(r, "/privatex"));
}

TEST("robots.txt: a group naming rasd replaces the * group")
{
    const char *r = "User-agent: *\nDisallow: /\n\nUser-agent: Rasd/1.0\nDisallow: /admin\n";
    CHECK(allowed(r, "/news/1"));
    CHECK(!allowed(r, "/admin/x"));
    CHECK(!robots_allowed(r, strlen(r), "other", "/news/1"));
}

TEST("robots.txt: the longest match wins and Allow wins a tie")
{
    const char *r = "User-agent: *\nDisallow: /news\nAllow: /news/public\nAllow: /x\nDisallow: /x\n";
    CHECK(!allowed(r, "/news/secret"));
    CHECK(allowed(r, "/news/public/1"));
    CHECK(allowed(r, "/x"));
}

TEST("robots.txt: * and $ patterns, comments and an empty Disallow")
{
    const char *r = "# comment\nUser-agent: * # all\nDisallow: /*.pdf$\nDisallow: /tmp*/q\n";
    CHECK(!allowed(r, "/a/b.pdf"));
    CHECK(allowed(r, "/a/b.pdf?x=1"));
    CHECK(!allowed(r, "/tmp123/q"));
    CHECK(allowed("User-agent: *\nDisallow:\n", "/anything"));
    CHECK(allowed("", "/"));
}

TEST("robots.txt: two user-agent lines share one group")
{
    const char *r = "User-agent: a\nUser-agent: rasd\nDisallow: /b\n";
    CHECK(!allowed(r, "/b"));
}

TEST("sources list: URL and outlet a line, comments and bad lines reported by line")
{
    const char *s = "# mine\n\nhttps://a.example/rss  الجزيرة نت \nftp://x/y\n"
                    "http://b.example/feed\nhttps://a.example/rss\n";
    SourceList l = {0};
    rasd_error err;
    CHECK(sources_parse(s, strlen(s), "s.txt", &l, &err) == RASD_OK);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_STR(l.v[0].url, "https://a.example/rss");
        CHECK_STR(l.v[0].outlet, "الجزيرة نت");
        CHECK(l.v[1].outlet == NULL);
    }
    CHECK(l.nerrors == 1);
    if (l.nerrors)
        CHECK(strstr(l.errors[0], "s.txt:4:") != NULL);
    sources_free(&l);
}

TEST("OPML: nested outlines give feed URL and title; non-http URLs are errors")
{
    const char *s = "<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head/><body>"
                    "<outline text=\"أخبار\"><outline type=\"rss\" text=\"بي بي سي\" "
                    "xmlUrl=\"https://feeds.example/bbc.xml\"/>"
                    "<outline title=\"T\" text=\"X\" xmlUrl=\"file:///etc/passwd\"/></outline>"
                    "</body></opml>";
    SourceList l = {0};
    rasd_error err;
    CHECK(sources_parse(s, strlen(s), "f.opml", &l, &err) == RASD_OK);
    CHECK(l.n == 1);
    if (l.n)
        CHECK_STR(l.v[0].outlet, "بي بي سي");
    CHECK(l.nerrors == 1);
    sources_free(&l);
}

TEST("OPML: a file with <opml> but no opml root is refused by name")
{
    const char *s = "<html><!-- <opml> --></html>";
    SourceList l = {0};
    rasd_error err;
    CHECK(sources_parse(s, strlen(s), "f.opml", &l, &err) == RASD_EFORMAT);
    CHECK(strstr(err.msg, "f.opml") != NULL);
    sources_free(&l);
}

TEST("section page links: same-origin articles only, resolved and without fragments")
{
    const char *h = "<html><body><a href=\"/\">home</a><a href=\"/news\">self</a>"
                    "<a href=\"/news/1.html#top\">1</a><a href=\"2.html\">2</a>"
                    "<a href=\"/news/1.html\">dup</a><a href=\"/img/a.jpg\">img</a>"
                    "<a href=\"mailto:a@b\">m</a><a href=\"http://other.example/x\">o</a>"
                    "<a href=\"/feed\">rss</a></body></html>";
    LinkList l = {0};
    rasd_error err;
    CHECK(links_extract(h, strlen(h), "http://site.example/news", 10, &l, &err) == RASD_OK);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_STR(l.v[0], "http://site.example/news/1.html");
        CHECK_STR(l.v[1], "http://site.example/2.html");
    }
    links_free(&l);
}

TEST("section page links: at most max are kept")
{
    const char *h = "<a href=\"/a1\">1</a><a href=\"/a2\">2</a><a href=\"/a3\">3</a>";
    LinkList l = {0};
    rasd_error err;
    CHECK(links_extract(h, strlen(h), "https://s.example/", 2, &l, &err) == RASD_OK);
    CHECK(l.n == 2);
    links_free(&l);
}

TEST("JSON Feed: items become articles; one without text is an item error")
{
    const char *j = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":["
                    "{\"id\":\"1\",\"url\":\"https://s.example/1\",\"title\":\"عنوان\","
                    "\"content_html\":\"<p>نص الخبر الأول</p>\",\"date_published\":"
                    "\"2026-12-07T08:00:00Z\",\"authors\":[{\"name\":\"كاتب\"}]},"
                    "{\"id\":\"2\"}]}";
    CHECK(jsonfeed_detect(j, strlen(j)));
    CHECK(!jsonfeed_detect("{\"items\":[]}", 12));
    Batch b = {0};
    rasd_error err;
    CHECK(jsonfeed_read(j, strlen(j), "f.json", &b, &err) == RASD_OK);
    CHECK(b.n == 1 && b.nerrors == 1);
    if (b.n) {
        CHECK_STR(b.items[0].url, "https://s.example/1");
        CHECK_STR(b.items[0].author, "كاتب");
        CHECK(strstr(b.items[0].body, "نص الخبر") != NULL);
        CHECK(b.items[0].published && !strncmp(b.items[0].published, "2026-12-07", 10));
    }
    batch_free(&b);
}

TEST("schedule: new items halve the interval, none stretch it, within bounds")
{
    CHECK(schedule_interval(600, 3, 60, 3600) == 300);
    CHECK(schedule_interval(600, 0, 60, 3600) == 900);
    CHECK(schedule_interval(100, 5, 60, 3600) == 60);
    CHECK(schedule_interval(3000, 0, 60, 3600) == 3600);
    CHECK(schedule_interval(0, 0, 60, 3600) == 90);
}

TEST("schedule: backoff doubles per failure, honours Retry-After, and is capped")
{
    CHECK(schedule_backoff(1, -1, 60, 3600) == 60);
    CHECK(schedule_backoff(3, -1, 60, 3600) == 240);
    CHECK(schedule_backoff(30, -1, 60, 3600) == 3600);
    CHECK(schedule_backoff(2, 120, 60, 3600) == 120);
    CHECK(schedule_backoff(2, 999999999, 60, 3600) == 86400);
}

TEST("fetch_origin: scheme, host and port lowercased; other schemes refused")
{
    char o[64];
    CHECK(fetch_origin("HTTP://Site.Example:8080/a?b", o, sizeof o) == 0);
    CHECK_STR(o, "http://site.example:8080");
    CHECK(fetch_origin("file:///etc/passwd", o, sizeof o) < 0);
    CHECK(fetch_origin("https://", o, sizeof o) < 0);
}
