// entity.js — the list of names (most mentioned first, filter by spelling
// and type) and one name: its spellings, roles, outlets, stories, quotes.
import { h, mount, clear } from '../dom.js';
import { get, qs, outletMap } from '../api.js';
import { count, date, TYPE, outletName } from '../ar.js';

const PAGE = 50;

export async function entitiesPage(params) {
  const q = h('input', { type: 'search', size: 30, placeholder: 'جزء من الاسم', 'aria-label': 'جزء من الاسم' });
  q.value = params.get('q') || '';
  const type = h('select', { 'aria-label': 'النوع' }, h('option', { value: '' }, 'كل الأنواع'),
    Object.entries(TYPE).map(([k, v]) => h('option', { value: k }, v)));
  type.value = params.get('type') || '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const form = h('form', { class: 'row card' }, q, type, h('button', { type: 'submit' }, 'اعرض'));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = '#/entities' + qs({ q: q.value.trim(), type: type.value }); });
  const body = h('div', {});
  mount(h('h1', {}, 'الأسماء'), h('p', { class: 'muted' }, 'كل اسم يجمع تهجئاته المختلفة عبر المنافذ.'), form, body);
  const data = await get('/api/entities' + qs({ q: params.get('q'), type: params.get('type'), limit: PAGE, offset }));
  if (!data.entities.length) { body.appendChild(h('p', { class: 'muted' }, 'لا أسماء.')); return; }
  body.appendChild(h('table', { id: 'names-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'الاسم'), h('th', {}, 'النوع'), h('th', {}, 'ذُكر'), h('th', {}, 'في'))),
    h('tbody', {}, data.entities.map((e) => h('tr', {},
      h('td', {}, h('a', { href: '#/entity/' + encodeURIComponent(e.key) }, e.name || e.key)),
      h('td', {}, TYPE[e.type] || 'أخرى'), h('td', {}, count(e.mentions, 'mention')),
      h('td', {}, count(e.articles, 'article')))))));
  const pager = h('div', { class: 'pager' });
  const go = (o) => { location.hash = '#/entities' + qs({ q: params.get('q'), type: params.get('type'), offset: o || '' }); };
  if (offset > 0) pager.appendChild(h('button', { class: 'secondary', onclick: () => go(Math.max(0, offset - PAGE)) }, 'السابق'));
  if (data.entities.length === PAGE) pager.appendChild(h('button', { class: 'secondary', onclick: () => go(offset + PAGE) }, 'التالي'));
  body.appendChild(pager);
}

// the mentions the tagger gave another type: the names list counts only the
// name's main type, so the page says where the difference comes from
function otherTypes(e) {
  const rest = (e.types || []).filter((t) => t.type !== e.type && t.mentions > 0);
  if (!rest.length) return '';
  const parts = [];
  rest.forEach((t, i) => { if (i) parts.push('، '); parts.push(count(t.mentions, 'mention'), ' بوصف «', TYPE[t.type] || 'أخرى', '»'); });
  return h('span', { class: 'types' }, ' (منها ', parts, ')');
}

export async function entityPage(key) {
  const [e, names] = await Promise.all([get('/api/entities/' + encodeURIComponent(key)), outletMap()]);
  const on = (n) => outletName(n, names);
  mount(
    h('p', { class: 'meta' }, h('a', { href: '#/entities' }, 'الأسماء'), ' › ', TYPE[e.type] || 'اسم'),
    h('h1', {}, e.name),
    h('p', { class: 'meta' }, TYPE[e.type] || 'اسم', ' · ذُكر ', count(e.mentions, 'mention'), otherTypes(e),
      ' · ', count(e.variants.length, 'spelling'),
      ' · ', h('a', { href: '#/search' + qs({ q: e.name }) }, 'ابحث عن مقالاته')),
    h('h2', {}, 'الصيغ الواردة'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'الصيغة'), h('th', {}, 'ذُكرت'))),
      h('tbody', {}, e.variants.map((v) => h('tr', {}, h('td', {}, v.text), h('td', {}, count(v.mentions, 'mention')))))),
    h('h2', {}, 'المناصب والصفات'),
    e.roles.length ? h('ul', {}, e.roles.map((r) => h('li', {}, r.text, ' — ', h('a', { href: '#/article/' + r.article }, on(r.outlet)))))
      : h('p', { class: 'muted' }, 'لم يُذكر بمنصب في المقالات الأخيرة.'),
    h('h2', {}, 'المنافذ'),
    h('div', {}, e.outlets.map((o) => h('span', { class: 'pill' }, on(o.name), ' ', h('b', {}, String(o.articles))))),
    h('h2', {}, 'القصص'),
    e.stories.length ? h('ul', {}, e.stories.map((s) => h('li', {}, h('a', { href: '#/story/' + s.id }, s.headline || 'القصة ' + s.id),
      ' ', h('span', { class: 'meta' }, '— ', count(s.articles, 'article'), ' · ', date(s.last)))))
      : h('p', { class: 'muted' }, 'لا قصص بعد.'),
    h('h2', {}, 'تصريحاته'),
    e.quotes.length ? e.quotes.map((q) => h('div', { class: 'quote' },
      h('div', {}, q.direct ? '«' + q.text + '»' : q.text),
      h('div', { class: 'meta' }, on(q.outlet), ' · ', date(q.published), ' · ',
        h('a', { href: '#/article/' + q.article + qs({ hl: q.start + '-' + q.end }) }, 'في المقالة'))))
      : h('p', { class: 'muted' }, 'لا تصريحات منسوبة إليه في المقالات الأخيرة.'));
}
