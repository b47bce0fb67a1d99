// stories.js — the story list: newest (or largest) first, each with its
// article and outlet counts, refreshed every 10 seconds while it is open
// (a cheap /api/status poll; the list is fetched again only when the
// number of stored articles changed).
import { h, mount, clear } from '../dom.js';
import { get, qs, outletMap } from '../api.js';
import { count, articlesFromOutlets, range, outletName, others } from '../ar.js';

const PAGE = 20;

export async function storiesPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const state = {
    sort: params.get('sort') === 'largest' ? 'largest' : 'newest',
    offset: Math.max(0, Number(params.get('offset')) || 0),
    outlet: params.get('outlet') || '',
  };
  const names = await outletMap();
  const list = h('div', { id: 'story-list' });
  const banner = h('div', { class: 'banner', hidden: true, id: 'live-banner' });
  const total = h('p', { class: 'meta', id: 'story-total' });
  const sortSel = h('select', { 'aria-label': 'الترتيب', onchange: () => go({ sort: sortSel.value, offset: 0 }) },
    h('option', { value: 'newest' }, 'الأحدث أولًا'),
    h('option', { value: 'largest' }, 'الأكبر أولًا'));
  sortSel.value = state.sort;
  const pager = h('div', { class: 'pager' });
  mount(
    h('div', { class: 'row' }, h('h1', { class: 'grow' }, 'القصص'), h('label', {}, 'الترتيب:', sortSel)),
    state.outlet ? h('p', {}, 'قصص المنفذ: ', h('b', {}, outletName(state.outlet, names)), ' — ',
      h('a', { href: '#/' }, 'كل المنافذ')) : null,
    banner, total, list, pager);

  function go(change) {
    const p = { ...state, ...change };
    location.hash = '#/' + qs({ sort: p.sort === 'largest' ? 'largest' : '', offset: p.offset || '', outlet: p.outlet });
  }

  let known = null;
  async function load() {
    const data = await get('/api/stories' + qs({ limit: PAGE, offset: state.offset, sort: state.sort, outlet: state.outlet }));
    clear(list);
    total.textContent = data.total ? 'في المخزن ' + count(data.total, 'story') + '.' : '';
    if (!data.stories.length)
      list.appendChild(h('p', { class: 'muted' }, data.total ? 'لا قصص في هذه الصفحة.' : 'لا قصص بعد: أضف مقالات بالأمر rasd ingest.'));
    for (const s of data.stories) list.appendChild(storyItem(s, names));
    clear(pager);
    if (state.offset > 0)
      pager.appendChild(h('button', { class: 'secondary', onclick: () => go({ offset: Math.max(0, state.offset - PAGE) }) }, 'السابق'));
    if (data.total > PAGE)
      pager.appendChild(h('span', { class: 'muted' }, `الصفحة ${Math.floor(state.offset / PAGE) + 1} من ${Math.ceil(data.total / PAGE)}`));
    if (state.offset + PAGE < data.total)
      pager.appendChild(h('button', { class: 'secondary', onclick: () => go({ offset: state.offset + PAGE }) }, 'التالي'));
  }
  await load();
  known = (await get('/api/status')).articles;

  const timer = setInterval(async () => {
    try {
      const st = await get('/api/status');
      if (st.articles !== known) {
        const added = st.articles - known;
        known = st.articles;
        await load();
        banner.hidden = false;
        banner.textContent = added > 0 ? 'وصل جديد: ' + count(added, 'article') + '، وحُدّثت القائمة.' : 'حُدّثت القائمة.';
      }
    } catch (e) { /* the next poll tries again */ }
  }, 10000);
  window.addEventListener('rasd-leave', () => clearInterval(timer), { once: true });
}

function storyItem(s, names) {
  const outlets = s.outlets.slice(0, 8).map((o) =>
    h('a', { class: 'pill', href: '#/' + qs({ outlet: o.name || '' }), title: 'قصص هذا المنفذ' },
      outletName(o.name, names), ' ', h('b', {}, String(o.articles))));
  if (s.outlets.length > 8) outlets.push(h('span', { class: 'pill' }, 'و' + others(s.outlets.length - 8, 'outlet')));
  return h('div', { class: 'card story-item', dataset: { story: s.id } },
    h('h3', {}, h('a', { href: '#/story/' + s.id }, s.headline || 'قصة بلا عنوان')),
    h('div', { class: 'meta' },
      h('span', { class: 'counts' }, articlesFromOutlets(s.articles, s.outlet_count)),
      ' · ', count(s.events, 'event'), ' · ', range(s.first, s.last)),
    h('div', {}, outlets));
}
