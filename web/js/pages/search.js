// search.js — full-text search with filters (dates, outlet, name, story),
// results with the matching words marked, paging, and export of every hit.
import { h, mount, clear } from '../dom.js';
import { get, qs, outletMap } from '../api.js';
import { count, date, outletName } from '../ar.js';

const PAGE = 20;

export async function searchPage(params) {
  const names = await outletMap();
  let outlets = [];
  try { outlets = (await get('/api/outlets')).outlets; } catch (e) { /* filters without outlets */ }
  const f = {
    q: h('input', { type: 'search', name: 'q', size: 40, placeholder: 'كلمات البحث، أو "عبارة"، أو -كلمة للاستبعاد', 'aria-label': 'كلمات البحث' }),
    // text, not type=date: a date field speaks the browser's language ("mm/dd/yyyy")
    since: h('input', { type: 'text', name: 'since', size: 11, dir: 'ltr', inputmode: 'numeric', placeholder: 'سنة-شهر-يوم', 'aria-label': 'من تاريخ' }),
    until: h('input', { type: 'text', name: 'until', size: 11, dir: 'ltr', inputmode: 'numeric', placeholder: 'سنة-شهر-يوم', 'aria-label': 'إلى تاريخ' }),
    outlet: h('select', { name: 'outlet', 'aria-label': 'المنفذ' }, h('option', { value: '' }, 'كل المنافذ'),
      outlets.filter((o) => o.name && !/^[0-9a-f]{16}$/.test(o.name)).map((o) => h('option', { value: o.name }, outletName(o.name, names)))),
    entity: h('input', { type: 'text', name: 'entity', size: 16, placeholder: 'اسم شخص أو جهة', 'aria-label': 'اسم' }),
  };
  for (const k of Object.keys(f)) f[k].value = params.get(k) || '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const results = h('div', { id: 'results' });
  const form = h('form', { class: 'card', role: 'search' },
    h('div', { class: 'row' }, f.q, h('button', { type: 'submit' }, 'ابحث')),
    h('div', { class: 'row small' },
      h('label', {}, 'من', f.since), h('label', {}, 'إلى', f.until),
      h('label', {}, 'المنفذ', f.outlet), h('label', {}, 'الاسم', f.entity)));
  const formNote = h('p', { class: 'error small', hidden: true });
  form.appendChild(formNote);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = {};
    for (const k of Object.keys(f)) p[k] = toLatinDigits(f[k].value.trim());
    for (const k of ['since', 'until'])
      if (p[k] && !/^\d{4}(-\d{1,2}(-\d{1,2})?)?$/.test(p[k])) {
        formNote.textContent = 'اكتب التاريخ بالسنة ثم الشهر ثم اليوم، مثل 2015-07-21.';
        formNote.hidden = false;
        f[k].focus();
        return;
      }
    location.hash = '#/search' + qs(p);
  });
  mount(h('h1', {}, 'البحث في المقالات'), form, results);
  const q = params.get('q');
  if (!q) { results.appendChild(h('p', { class: 'muted' }, 'اكتب كلمات للبحث. تُطابق الكلمة صيغها (بأل التعريف وحروف العطف واللواحق)، ويُطابق الاسم تهجئاته الأخرى.')); return; }
  const p = { q, since: params.get('since'), until: params.get('until'), outlet: params.get('outlet'), entity: params.get('entity') };
  let data;
  try {
    data = await get('/api/search' + qs({ ...p, limit: PAGE, offset }));
  } catch (e) {
    results.appendChild(h('div', { class: 'error' }, e.status === 503 ? 'البحث غير متاح بعد في هذا الخادم: فهرس البحث لم يُبنَ في هذه النسخة.' : e.message));
    return;
  }
  const abs = (fmt) => new URL('/api/search/export' + qs({ ...p, format: fmt }), location.href).href;
  results.appendChild(h('p', { class: 'meta' },
    data.hits.length ? count(data.hits.length + offset, 'result') + (data.hits.length === PAGE ? ' أو أكثر' : '') : 'لا نتائج.',
    ' · تصدير كل النتائج: ', h('a', { href: abs('csv'), download: '' }, 'CSV'), ' | ', h('a', { href: abs('jsonl'), download: '' }, 'JSON Lines')));
  for (const hit of data.hits) {
    results.appendChild(h('div', { class: 'card hit' },
      h('h3', {}, h('a', { href: '#/article/' + hit.id }, hit.title || hit.opening || 'مقالة بلا عنوان'),
        hit.title ? null : h('span', { class: 'pill untitled-tag' }, 'بلا عنوان')),
      h('div', { class: 'meta' }, outletName(hit.outlet, names), ' · ', date(hit.published),
        hit.story ? [' · القصة: ', h('a', { href: '#/story/' + hit.story, class: 'story-link' }, storyLabel(hit))] : null),
      h('p', {}, snippet(hit.snippet || ''))));
  }
  const pager = h('div', { class: 'pager' });
  const go = (o) => { location.hash = '#/search' + qs({ ...p, offset: o || '' }); };
  if (offset > 0) pager.appendChild(h('button', { class: 'secondary', onclick: () => go(Math.max(0, offset - PAGE)) }, 'السابق'));
  if (data.hits.length === PAGE) pager.appendChild(h('button', { class: 'secondary', onclick: () => go(offset + PAGE) }, 'التالي'));
  results.appendChild(pager);
}

// A story named by its headline (shortened), else by its number.
function storyLabel(hit) {
  const t = hit.story_headline || '';
  if (!t) return 'رقم ' + hit.story;
  const words = t.split(/\s+/);
  return words.length > 9 ? words.slice(0, 9).join(' ') + '…' : t;
}

// ٢٠١٥-٠٧-٢١ → 2015-07-21 (Arabic-Indic and Persian digits)
function toLatinDigits(s) {
  return s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (c) => String((c.charCodeAt(0) & 0xf) % 10));
}

// The server marks matches with \u0002 … \u0003; they become <mark>.
function snippet(s) {
  const out = [];
  const parts = s.split(/([\u0002\u0003])/);
  let inMark = false;
  for (const part of parts) {
    if (part === '\u0002') { inMark = true; continue; }
    if (part === '\u0003') { inMark = false; continue; }
    if (part) out.push(inMark ? h('mark', {}, part) : part);
  }
  return out;
}
