#!/usr/bin/python3
"""run.py RASD OUTDIR — browser tests of the rasd web UI in headless
Chromium (Debian's chromium, chromium-driver, python3-selenium).

Starts `rasd serve` on a free loopback port over a fresh store holding the
seed articles and hostile ones (tests/browser/hostile: <script>, onerror=,
javascript: links, </title><script>), loads every page, asserts on the DOM,
checks that the page is right-to-left Arabic in the bundled font, that no
injected script ran and that the browser reported no error (CSP violations
included), and saves a screenshot of each page into OUTDIR.
Prints "ok NAME" / "FAIL NAME: why" and "N passed, N failed"."""
import json
import re
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support import ui as _ui


def WebDriverWait(d, timeout):
    """Waits that also retry when the page re-rendered the element being
    read (a StaleElementReferenceException under load, 1 run in 3)."""
    return _ui.WebDriverWait(d, timeout, ignored_exceptions=(StaleElementReferenceException,))

RASD, OUT = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
os.makedirs(OUT, exist_ok=True)
passed = failed = 0


def result(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok " + name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why))
    sys.stdout.flush()


work = tempfile.mkdtemp(prefix="rasd-browser.")
db = os.path.join(work, "b.db")
env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
seeds = os.path.join(ROOT, "examples", "seeds")
subprocess.run([RASD, "ingest", "-q", "--db", db, "--manifest", os.path.join(seeds, "manifest.jsonl"), seeds],
               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
subprocess.run([RASD, "ingest", "-q", "--db", db, os.path.join(HERE, "hostile")], env=env,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# ingest strips markup from titles and bodies; a store written by another
# path might not, so the hostile articles get raw markup put back directly
HOSTILE = ("<script>window.__pwned='t1'</script></title><script>window.__pwned='t2'</script>"
           "<img src=x onerror=\"window.__pwned='t3'\">")
con = sqlite3.connect(db)
con.execute("UPDATE articles SET title = ?1 || coalesce(title, ''), outlet = '<img src=x onerror=\"window.__pwned=''o''\">' || coalesce(outlet, ''),"
            " body = body || char(10) || char(10) || ?1 || '<a href=\"javascript:window.__pwned=''a''\">رابط</a>'"
            " WHERE origin LIKE '%hostile%'", (HOSTILE,))
for table in ("threads", "events"):
    col = "e.thread" if table == "threads" else "e.id"
    con.execute("UPDATE %s SET headline = ?1 || coalesce(headline, '') WHERE id IN (SELECT %s FROM events e JOIN"
                " article_event ae ON ae.event = e.id JOIN articles a ON a.id = ae.article WHERE a.origin LIKE '%%hostile%%')"
                % (table, col), (HOSTILE,))
# the changed texts get their annotations and briefs made again, as a store
# upgraded from another writer would (rasd ingest --reannotate)
con.execute("DELETE FROM annotations WHERE article IN (SELECT id FROM articles WHERE origin LIKE '%hostile%')")
# the seeds have no web addresses: give them some, so citations can link out
con.execute("UPDATE articles SET url = 'https://news.example.org/a/' || id WHERE url IS NULL AND origin NOT LIKE '%hostile%'")
con.execute("DELETE FROM story_cache")
con.commit()
con.close()
subprocess.run([RASD, "ingest", "--db", db, "--reannotate"], env=env,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# the seeds have no name the tagger typed two ways often enough to be listed:
# the most mentioned person gets a few mentions typed as a place, so its page
# must say "(منها 3 ذكرات بوصف «مكان»)"
con = sqlite3.connect(db)
con.execute("INSERT OR IGNORE INTO entities (key, type, mentions, articles, spellings, outlets, roles)"
            " SELECT key, 'LOC', 3, 1, spellings, outlets, roles FROM entities WHERE type = 'PER'"
            " ORDER BY mentions DESC, key LIMIT 1")
con.commit()
con.close()
token = "browser-test-token-0123456789"
with open(os.path.join(work, "token"), "w") as f:
    f.write(token + "\n")
srv = subprocess.Popen([RASD, "serve", "--db", db, "--port", "0", "--web", os.path.join(ROOT, "web"),
                        "--token-file", os.path.join(work, "token")],
                       stdout=subprocess.PIPE, stderr=open(os.path.join(work, "serve.log"), "w"), env=env, text=True)
base = srv.stdout.readline().strip()


def api(path):
    with urllib.request.urlopen(base + path.lstrip("/"), timeout=120) as r:
        return json.load(r)


opts = Options()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1280,1600", "--lang=ar", "--disable-extensions"):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
driver.set_page_load_timeout(120)


def wait_for(css, timeout=120):
    WebDriverWait(driver, timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    return driver.find_elements(By.CSS_SELECTOR, css)


def texts(css, timeout=120):
    """The text of each element css finds, read again when the page
    re-rendered them between finding and reading (StaleElementReferenceException)."""
    for _ in range(50):
        try:
            return [x.text for x in wait_for(css, timeout)]
        except StaleElementReferenceException:
            time.sleep(0.1)
    return [x.text for x in wait_for(css, timeout)]


def errors():
    """Browser console entries at SEVERE level (script errors, CSP violations, failed loads)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def common_checks(name, allow=()):
    """RTL, Arabic font loaded, no injected script ran, no console error."""
    d = driver.execute_script("return document.documentElement.dir")
    lang = driver.execute_script("return document.documentElement.lang")
    result(name + ": the page is right-to-left Arabic", d == "rtl" and lang == "ar", "dir=%s lang=%s" % (d, lang))
    loaded = driver.execute_async_script(
        "const done = arguments[0]; document.fonts.ready.then(() => done("
        "[...document.fonts].filter(f => f.family.includes('Noto Naskh Arabic') && f.status === 'loaded').length))")
    family = driver.execute_script("return getComputedStyle(document.body).fontFamily")
    result(name + ": the bundled Noto Naskh Arabic font is loaded and used",
           loaded >= 1 and "Noto Naskh Arabic" in family, "loaded=%s family=%s" % (loaded, family))
    pwned = driver.execute_script("return window.__pwned || null")
    result(name + ": no injected script ran", pwned is None, "window.__pwned=%r" % pwned)
    bad = driver.execute_script(
        "return [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')"
        " || (a.value || '').trim().toLowerCase().startsWith('javascript:'))).map(e => e.outerHTML.slice(0, 120))"
        ".concat([...document.scripts].filter(s => !s.src.endsWith('/js/app.js')).map(s => s.outerHTML.slice(0, 120)))")
    result(name + ": no element carries an event handler, a javascript: link or a foreign script", not bad, repr(bad[:3]))
    errs = [e for e in errors() if not any(a in e for a in allow)]
    result(name + ": the browser reported no error (CSP included)", not errs, repr(errs[:3]))


def shot(name, parts=0):
    """The whole page into OUTDIR/NAME.png; with parts, also the first
    `parts` screens of 1280x1000 as NAME-1.png ... (readable at full size)."""
    path = os.path.join(OUT, name + ".png")
    h = driver.execute_script("return Math.min(6000, document.documentElement.scrollHeight)")
    driver.set_window_size(1280, max(900, h + 40))
    driver.save_screenshot(path)
    driver.set_window_size(1280, 1000)
    for i in range(parts):
        driver.execute_script("window.scrollTo(0, arguments[0])", i * 900)
        driver.save_screenshot(os.path.join(OUT, "%s-%d.png" % (name, i + 1)))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(1280, 1600)


def text():
    # the page may replace <main>'s contents between finding and reading it
    for _ in range(50):
        try:
            return driver.find_element(By.TAG_NAME, "main").text
        except StaleElementReferenceException:
            time.sleep(0.1)
    return driver.find_element(By.TAG_NAME, "main").text


try:
    # ---- stories
    driver.get(base)
    items = wait_for(".story-item")
    t = text()
    result("stories: the list shows the stories with Arabic counts", len(items) >= 2 and "مقال" in t and "منفذ" in t, t[:300])
    result("stories: no English labels or type codes", not any(w in t for w in ("LOC", "PER", "ORG", "role:", "null", "undefined")), t[:300])
    result("stories: the hostile headlines and outlets are shown as text", "<script>" in t and "</title>" in t and "onerror" in t, t[:400])
    common_checks("stories")
    shot("stories")
    # Arabic number agreement of the counts the pages show (web/js/ar.js)
    cases = [[[40, 11], "40 مقالة من 11 منفذًا"], [[1, 1], "مقالة واحدة من منفذ واحد"],
             [[2, 2], "مقالتان من منفذين"], [[5, 3], "5 مقالات من 3 منافذ"], [[10, 10], "10 مقالات من 10 منافذ"],
             [[100, 101], "100 مقالة من 101 منفذ"], [[111, 13], "111 مقالة من 13 منفذًا"], [[0, 0], "لا مقالات"]]
    got = driver.execute_async_script(
        "const done = arguments[1]; import('/js/ar.js').then(m => done(arguments[0].map(c => m.articlesFromOutlets(...c[0]))))",
        cases)
    result("counts agree in Arabic (1, 2, 3-10, 11-99, 100+)", got == [c[1] for c in cases],
           repr([(c[1], g) for c, g in zip(cases, got) if c[1] != g]))
    cases = [[1, "مصدر آخر"], [2, "مصدران آخران"], [3, "3 مصادر أخرى"], [11, "11 مصدرًا آخر"], [100, "100 مصدر آخر"]]
    got = driver.execute_async_script(
        "const done = arguments[1]; import('/js/ar.js').then(m => done(arguments[0].map(c => m.others(c[0], 'source'))))",
        cases)
    result("'other sources' agrees with its count (آخر / آخران / أخرى)", got == [c[1] for c in cases],
           repr([(c[1], g) for c, g in zip(cases, got) if c[1] != g]))

    stories = api("/api/stories")["stories"]
    big = max(stories, key=lambda s: s["articles"])
    # ---- story
    driver.get(base + "#/story/%d" % big["id"])
    wait_for("ol.summary li", timeout=180)
    wait_for("#timeline-plot canvas")
    t = text()
    # the header counts outlets as the stories list does: an article without an
    # outlet (listed by its title) is no outlet
    want = driver.execute_async_script(
        "const done = arguments[2]; import('/js/ar.js').then(m => done(m.articlesFromOutlets(arguments[0], arguments[1])))",
        big["articles"], big.get("outlet_count") or 0)
    heads = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "p.meta b")]
    result("story: the header counts articles and outlets as the stories list does", heads and heads[0] == want,
           repr((heads[:1], want)))
    cites = driver.find_elements(By.CSS_SELECTOR, "ol.summary .cite a")
    result("story: every summary sentence cites an article with a highlighted span",
           len(cites) >= len(driver.find_elements(By.CSS_SELECTOR, "ol.summary li")) and
           all("#/article/" in c.get_attribute("href") and "hl=" in c.get_attribute("href") for c in cites), str(len(cites)))
    # a conflict's sentences link to their own article with the sentence's bytes
    quotes_c = driver.find_elements(By.CSS_SELECTOR, ".conflict .value blockquote")
    clinks = [(q.find_element(By.CSS_SELECTOR, "a").get_attribute("href"), q.text)
              for q in quotes_c if q.find_elements(By.CSS_SELECTOR, "a")]
    result("story: every conflict sentence links to its article with its bytes (hl=)",
           clinks and len(clinks) == len(quotes_c) and all("hl=" in h for h, _ in clinks), repr(clinks[:2])[:200])
    result("story: conflicts side by side with their outlets", len(driver.find_elements(By.CSS_SELECTOR, ".conflict .value")) >= 2
           and "تعارض في صاحب المنصب" in t, t[:200])
    result("story: quotes grouped by speaker, the timeline plotted, names with their spellings",
           "التصريحات حسب القائل" in t and driver.find_elements(By.CSS_SELECTOR, ".quote")
           and driver.find_elements(By.CSS_SELECTOR, "#timeline-plot canvas") and "الصيغ الواردة" in t, t[:200])
    result("story: no English labels or type codes", not any(w in t for w in ("LOC", "PER", "ORG", "MISC", "role:", "null", "undefined", "NaN")), "")
    # every claim reaches its article's own web page, titled with the outlet (never an id)
    bj = api("/api/stories/%d/brief" % big["id"])
    want_o = [x["cite"]["url"] for x in bj.get("summary", [])
              if (x.get("cite") or {}).get("url", "") and x["cite"]["url"].startswith("http")]
    origins = driver.find_elements(By.CSS_SELECTOR, "ol.summary a.origin")
    otitles = [o.get_attribute("title") for o in origins]
    result("story: each summary sentence links to its article's web page, titled with its outlet",
           want_o and len(origins) == len(want_o) and
           all(o.get_attribute("href").split("#")[0].rstrip("/") == u.split("#")[0].rstrip("/") for o, u in zip(origins, want_o)) and
           all(t.startswith("المقالة في موقع ") and not re.search(r"[0-9a-f]{16}", t) for t in otitles),
           repr((len(origins), len(want_o), otitles[:2]))[:200])
    tlinks = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "ul.timeline .cite a")]
    result("story: every timeline date links to its article with the sentence's bytes (hl=)",
           tlinks and all("hl=" in x for x in tlinks), repr(tlinks[:2])[:200])
    summ = driver.find_element(By.CSS_SELECTOR, "ol.summary").text
    result("story: citations are links of their own, not wrapped in [ ]", "[" not in summ and "]" not in summ, summ[:200])
    pills = driver.execute_script(
        "return [...document.querySelectorAll('td')].filter(td => td.querySelector('.pill'))"
        ".map(td => [...td.querySelectorAll('.pill')].map(p => p.textContent))")
    stuck = [v for row in pills for v in row if v[:1] in "وفبلك" and v[1:] in row]
    result("story: spellings of a name do not repeat it with و/ب/ل stuck on", pills and not stuck, repr(stuck[:5]))
    wrapped = driver.execute_script(
        "return [...document.querySelectorAll('td.nowrap')].filter(td => { const r = document.createRange();"
        " r.selectNodeContents(td); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; })"
        ".map(td => td.textContent)")
    result("story: mention counts stay on one line", not wrapped, repr(wrapped[:5]))
    counts = [int(x.get_attribute("data-quotes")) for x in driver.find_elements(By.CSS_SELECTOR, "details.speaker-quotes")]
    marker = driver.execute_script(
        "const s = document.querySelector('details.speaker-quotes:not([open]) > summary');"
        " return s ? getComputedStyle(s, '::before').content : 'none'")
    result("story: speakers are ordered by number of quotes and a closed one shows it opens",
           counts == sorted(counts, reverse=True) and marker not in ("none", "normal", ""), repr((counts[:8], marker)))
    common_checks("story")
    shot("story", parts=7)
    # ---- a citation opens the article with the sentence highlighted
    href = cites[0].get_attribute("href")
    driver.get(href)
    hl = texts(".article-text .hl")
    frag = urllib.parse.parse_qs(href.split("?", 1)[1])["hl"][0]
    aid = href.split("#/article/")[1].split("?")[0]
    art = api("/api/articles/" + aid)
    s, e = map(int, frag.split("-"))
    want = art["text"].encode()[s:e].decode().strip()
    got = " ".join(hl).strip()
    flat = lambda x: "".join(x.split())
    result("article: the cited sentence is highlighted exactly", got and flat(got) == flat(want), "want=%r got=%r" % (want[:60], got[:60]))
    result("article: names, quotes and dates are highlighted",
           driver.find_elements(By.CSS_SELECTOR, ".article-text .e-PER") and driver.find_elements(By.CSS_SELECTOR, ".article-text .d"), "")
    common_checks("article")
    shot("article", parts=2)
    # ---- a conflict's sentence opens its article with that sentence highlighted
    chref, ctext = clinks[-1]
    driver.get(chref)
    hl = texts(".article-text .hl")
    got = " ".join(hl).strip()
    want = ctext.rsplit("(", 1)[0].strip()  # the blockquote without its link label
    result("article: a conflict's cited sentence is highlighted exactly", got and flat(got) == flat(want),
           "want=%r got=%r" % (want[:60], got[:60]))
    # ---- dismissing a conflict from the UI needs the token
    driver.get(base + "#/settings")
    wait_for("input[type=password]")[0].send_keys(token)
    driver.find_element(By.XPATH, "//button[text()='حفظ']").click()
    driver.get(base + "#/story/%d" % big["id"])
    btn = wait_for(".conflict button.danger", timeout=180)[0]
    btn.click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".conflict.dismissed"))
    dismissed = [c for c in api("/api/stories/%d/conflicts" % big["id"])["conflicts"] if c["dismissed"]]
    result("story: an analyst dismisses a conflict and it is stored", len(dismissed) == 1, repr(dismissed)[:200])
    driver.get(base + "#/story/%d" % big["id"])
    wait_for(".conflict.dismissed button", timeout=180)[0].click()
    WebDriverWait(driver, 30).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".conflict.dismissed"))
    left = [c for c in api("/api/stories/%d/conflicts" % big["id"])["conflicts"] if c["dismissed"]]
    result("story: the dismissal is undone from the page", not left, repr(left)[:200])
    common_checks("story after a correction")
    # ---- hostile articles
    for s in stories:
        if "<" in (s["headline"] or "") or any("<" in (o["name"] or "") for o in s["outlets"]):
            driver.get(base + "#/story/%d" % s["id"])
            wait_for('[data-story-page="%d"]' % s["id"], timeout=180)
            time.sleep(0.5)
            common_checks("hostile story %d" % s["id"])
    ids = subprocess.run([RASD, "articles", "--db", db, "--json"], env=env, capture_output=True, text=True).stdout
    for line in ids.splitlines():
        a = json.loads(line)
        if "<" in (a.get("title") or ""):
            driver.get(base + "#/article/" + a["id"])
            wait_for('.article-text[data-article="%s"]' % a["id"])
            t = text()
            result("hostile article %s: its markup is shown as text" % a["id"][:8], "<script>" in t and "onerror" in t and "javascript:" in t, t[:200])
            common_checks("hostile article %s" % a["id"][:8])
            shot("hostile-" + a["id"][:8])
    # ---- search, names, an entity, outlets
    driver.get(base + "#/search?q=" + urllib.parse.quote("كوريا"))
    wait_for("#results > *")
    t = text()
    result("search: results or a clear Arabic message", "نتيج" in t or "نتائج" in t or "غير متاح" in t, t[:200])
    links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results a.story-link")]
    result("search: each hit names its story by headline, not by number",
           links and all(t and not t.startswith("رقم") and not t.startswith("القصة") for t in links), repr(links[:3]))
    fields = driver.find_elements(By.CSS_SELECTOR, "form[role=search] input[name=since], form[role=search] input[name=until]")
    result("search: the date filters speak Arabic (no mm/dd/yyyy)",
           len(fields) == 2 and all(f.get_attribute("type") == "text" and "سنة" in f.get_attribute("placeholder") for f in fields), "")
    fields[0].send_keys("٢٠٢٣-٠١-٠١")
    driver.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: "since=2023-01-01" in d.current_url)
    wait_for("#results > *")
    result("search: a date in Arabic-Indic digits filters", "since=2023-01-01" in driver.current_url, driver.current_url)
    common_checks("search", allow=("/api/search?",))  # 503 while the search index is not built
    shot("search")
    driver.get(base + "#/entities")
    rows = wait_for("#names-table tbody tr")
    result("names: the list shows names with Arabic types", len(rows) >= 10 and "مكان" in text(), text()[:200])
    common_checks("names")
    shot("entities")
    per = api("/api/entities?type=PER&limit=1")["entities"][0]
    driver.get(base + "#/entity/" + urllib.parse.quote(per["key"]))
    wait_for("main h1")
    WebDriverWait(driver, 60).until(lambda d: "الصيغ الواردة" in text())
    result("entity: spellings, outlets, stories of one name", "الصيغ الواردة" in text() and "القصص" in text(), text()[:200])
    common_checks("entity")
    shot("entity")
    # a name some of whose mentions the tagger typed otherwise says how many
    mixed = None
    for x in api("/api/entities?limit=60")["entities"]:
        d = api("/api/entities/" + urllib.parse.quote(x["key"]))
        rest = [t for t in d.get("types", []) if t["type"] != d["type"] and t["mentions"] > 0]
        if rest:
            mixed = (d, rest)
            break
    if mixed:
        driver.get(base + "#/entity/" + urllib.parse.quote(mixed[0]["key"]))
        wait_for("main h1")
        WebDriverWait(driver, 60).until(lambda d: "الصيغ الواردة" in text())
        meta = driver.find_element(By.CSS_SELECTOR, "h1 + p.meta").text
        result("entity: a name's page says how many of its mentions were typed otherwise (منها N بوصف …)",
               "(منها " in meta and "بوصف «" in meta and ")" in meta, meta[:200])
    else:
        result("entity: the test store has a name typed otherwise (for the منها check)", False, "none in 60 names")
    driver.get(base + "#/entity/" + urllib.parse.quote(per["key"]))
    wait_for("main h1")
    WebDriverWait(driver, 60).until(lambda d: "الصيغ الواردة" in text())
    d0 = api("/api/entities/" + urllib.parse.quote(per["key"]))
    if not [t for t in d0.get("types", []) if t["type"] != d0["type"] and t["mentions"] > 0]:
        result("entity: a name typed one way only has no (منها …)", "(منها" not in text(), text()[:200])
    driver.get(base + "#/outlets")
    rows = wait_for("#outlets-table tbody tr")
    inp = rows[0].find_element(By.CSS_SELECTOR, "input")
    inp.clear()
    inp.send_keys("اسم معروض للاختبار")
    rows[0].find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, 30).until(lambda d: "حُفظ" in text())
    result("outlets: a display name is saved", any(o["display"] == "اسم معروض للاختبار" for o in api("/api/outlets")["outlets"]), "")
    common_checks("outlets")
    shot("outlets")
    # ---- corrections from the story page are applied at once
    driver.get(base + "#/story/%d" % big["id"])
    wait_for("ol.summary li", timeout=180)
    story = api("/api/stories/%d" % big["id"])
    ev = [e for e in story["events"] if e["article_count"] >= 3][0]
    moved = ev["articles"][0]["id"]
    li = [x for x in driver.find_elements(By.CSS_SELECTOR, ".event li") if x.find_elements(By.CSS_SELECTOR, 'a[href="#/article/%s"]' % moved)][0]
    li.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, 60).until(lambda d: "أُخرجت من الحدث" in text())
    now = api("/api/articles/" + moved)["story"]
    result("story: moving an article out of its event puts it in a story of its own at once",
           now and now["id"] != big["id"] and api("/api/stories/%d" % now["id"])["articles"] == 1, repr(now))
    other = [s for s in api("/api/stories?limit=50")["stories"] if s["id"] not in (big["id"], now["id"])][0]
    driver.get(base + "#/story/%d" % other["id"])
    wait_for('[data-story-page="%d"]' % other["id"], timeout=180)
    box = wait_for("input[aria-label='رقم القصة']")[0]
    box.send_keys(str(big["id"]))
    box.find_element(By.XPATH, "following-sibling::button").click()
    WebDriverWait(driver, 120).until(lambda d: d.current_url.endswith("#/story/%d" % big["id"]))
    wait_for("ol.summary li", timeout=180)
    merged = api("/api/stories/%d" % big["id"])
    result("story: merging a story from its page joins it to the other at once and opens that one",
           any(o["kind"] == "merge" for o in merged["overrides"]) and "دُمجت في هذه القصة" in text(),
           repr(merged.get("overrides"))[:200])
    common_checks("story after a merge")
    shot("story-merged", parts=1)
    driver.execute_script("[...document.querySelectorAll('h2')].pop().scrollIntoView()")
    driver.save_screenshot(os.path.join(OUT, "story-corrections.png"))
    # ---- live update: a POSTed article appears without reloading
    driver.get(base)
    wait_for(".story-item")
    before = len(driver.find_elements(By.CSS_SELECTOR, ".story-item"))
    body = json.dumps({"title": "خبر عاجل عن افتتاح مطار جديد في مدينة الرياض", "outlet": "وكالة الاختبار",
                       "published": "2026-12-01", "body": "افتتحت السلطات اليوم مطارًا جديدًا في مدينة الرياض بحضور عدد من المسؤولين. وقال المدير إن المطار يخدم عشرة ملايين مسافر سنويًا."}).encode()
    req = urllib.request.Request(base + "api/articles", data=body, method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=120).read()
    try:
        WebDriverWait(driver, 25).until(lambda d: "مطار جديد" in text())
        live = True
    except Exception:
        live = False
    result("stories: a new article appears within one poll, without reloading", live and driver.find_elements(By.ID, "live-banner")[0].is_displayed(), text()[:200])
    shot("stories-live")
except Exception as e:  # a page that never came is a failure, not a crash
    result("the browser run went through every page", False, repr(e)[:300])
finally:
    driver.quit()
    srv.terminate()
    srv.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
