#!/bin/sh
# serve_browser.sh — the web UI in headless Chromium (tests/browser/run.py):
# every page loads right-to-left in the bundled Arabic font, the brief's
# citations open the article with the sentence highlighted, corrections
# work from the page, hostile articles run no script, new articles appear
# live; screenshots go to build/browser/. Skipped (0 passed, 0 failed) when
# chromium, chromium-driver or python3-selenium is not installed.
RASD=${1:-build/asan/rasd}
if ! command -v chromium > /dev/null 2>&1 || [ ! -x /usr/bin/chromedriver ] ||
   ! /usr/bin/python3 -c 'import selenium' > /dev/null 2>&1; then
  echo "skipped: chromium, chromium-driver or python3-selenium is missing (sh scripts/deps.sh)"
  echo "0 passed, 0 failed"
  exit 0
fi
/usr/bin/python3 tests/browser/run.py "$RASD" build/browser
rc=$?
# run.py printed "N passed, N failed"; tests/run.sh picks suites by this line:
summary() { return $rc; }
summary
