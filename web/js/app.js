// app.js — the router of the rasd web UI: one page per "#/..." address,
// each a module under pages/ that renders into <main id="view">.
import { mount, errorBox, h } from './dom.js';
import { storiesPage } from './pages/stories.js';
import { storyPage } from './pages/story.js';
import { articlePage } from './pages/article.js';
import { searchPage } from './pages/search.js';
import { entityPage, entitiesPage } from './pages/entity.js';
import { outletsPage } from './pages/outlets.js';
import { settingsPage } from './pages/settings.js';

const routes = [
  [/^\/?$/, 'stories', () => storiesPage()],
  [/^\/story\/(\d+)$/, 'stories', (m, q) => storyPage(Number(m[1]), q)],
  [/^\/event\/(\d+)$/, 'stories', (m, q) => storyPage(0, q, Number(m[1]))],
  [/^\/article\/([0-9a-f]{4,16})$/, 'stories', (m, q) => articlePage(m[1], q)],
  [/^\/search$/, 'search', (m, q) => searchPage(q)],
  [/^\/entities$/, 'entities', (m, q) => entitiesPage(q)],
  [/^\/entity\/(.+)$/, 'entities', (m) => entityPage(decodeURIComponent(m[1]))],
  [/^\/outlets$/, 'outlets', () => outletsPage()],
  [/^\/settings$/, 'settings', () => settingsPage()],
];

let current = 0; // a newer navigation makes older renders stale
export function isCurrent(token) { return token === current; }

async function route() {
  const token = ++current;
  window.dispatchEvent(new Event('rasd-leave'));
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query] = raw.split('?');
  const params = new URLSearchParams(query || '');
  for (const [re, nav, page] of routes) {
    const m = re.exec(path);
    if (!m) continue;
    for (const a of document.querySelectorAll('header nav a'))
      a.classList.toggle('current', a.dataset.nav === nav);
    try {
      await page(m, params, token);
    } catch (e) {
      if (isCurrent(token)) mount(errorBox(e));
    }
    return;
  }
  mount(h('h1', {}, 'الصفحة غير موجودة'), h('p', {}, h('a', { href: '#/' }, 'العودة إلى القصص')));
}

window.addEventListener('hashchange', route);
route();
