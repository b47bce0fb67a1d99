// article.js — one article: its text with names (by type), quotations and
// dates highlighted, and the sentence a citation points at (?hl=START-END
// in UTF-8 bytes, or ?find=SENTENCE) marked and scrolled into view; its
// story, its sightings (copies in other outlets) and its quotes.
import { h, mount, byteIndex, external } from '../dom.js';
import { get, outletMap } from '../api.js';
import { date, TYPE, RELATION, outletName, openingWords } from '../ar.js';

export async function articlePage(id, params) {
  const [a, names] = await Promise.all([get('/api/articles/' + id), outletMap()]);
  const on = (n) => outletName(n, names);
  const text = a.text || '';
  const at = byteIndex(text);
  const spans = [];
  for (const e of a.entities || []) spans.push({ s: at(e.start), e: at(e.end), cls: 'e-' + (TYPE[e.type] ? e.type : 'MISC'), title: TYPE[e.type] || 'اسم' });
  for (const q of a.quotes || []) spans.push({ s: at(q.start), e: at(q.end), cls: 'q', title: 'تصريح' + (q.speaker ? ' منسوب إلى ' + q.speaker : '') });
  for (const d of a.dates || []) spans.push({ s: at(d.start), e: at(d.end), cls: 'd', title: 'تاريخ: ' + date(d.value) });
  let hl = null;
  const m = /^(\d+)-(\d+)$/.exec(params.get('hl') || '');
  if (m) hl = { s: at(Number(m[1])), e: at(Number(m[2])) };
  else if (params.get('find')) {
    const find = params.get('find').trim();
    const i = text.indexOf(find);
    if (i >= 0) hl = { s: i, e: i + find.length };
  }
  if (hl && hl.e > hl.s) spans.push({ ...hl, cls: 'hl', title: 'الجملة المستشهد بها', hl: true });

  const body = h('div', { class: 'article-text', id: 'article-text', dataset: { article: a.id } }, segments(text, spans));
  const original = external(a.url, 'المصدر الأصلي');
  mount(
    h('p', { class: 'meta' }, h('a', { href: '#/' }, 'القصص'),
      a.story ? [' › ', h('a', { href: '#/story/' + a.story.id }, a.story.headline || 'القصة ' + a.story.id)] : null,
      ' › مقالة'),
    a.title ? h('h1', {}, a.title)
      : h('h1', { class: 'untitled' }, openingWords(text) || 'مقالة بلا عنوان', h('span', { class: 'pill untitled-tag', title: 'لا عنوان لهذه المقالة؛ هذه أولى كلماتها' }, 'بلا عنوان')),
    h('p', { class: 'meta' }, on(a.outlet), ' · ', date(a.published),
      a.author ? ' · ' + a.author : '', a.agency ? ' · نقلًا عن ' + a.agency : '',
      original ? [' · ', original] : null),
    h('p', { class: 'legend small' }, 'الإبراز: ',
      h('span', { class: 'e-PER' }, 'شخص'), h('span', { class: 'e-LOC' }, 'مكان'),
      h('span', { class: 'e-ORG' }, 'جهة'), h('span', { class: 'e-MISC' }, 'أخرى'),
      h('span', { class: 'q' }, 'تصريح'), h('span', { class: 'd' }, 'تاريخ'),
      hl ? h('span', { class: 'hl' }, 'الجملة المستشهد بها') : null),
    body,
    sightings(a, on),
    quotes(a));
  const mark = body.querySelector('.hl');
  if (mark) mark.scrollIntoView({ block: 'center' });
}

// Splits text at every span boundary; each piece carries the classes of the
// spans covering it (a name inside a quotation gets both).
function segments(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const sp of spans) if (sp.e > sp.s) { cuts.add(sp.s); cuts.add(sp.e); }
  const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i], e = points[i + 1];
    const cover = spans.filter((sp) => sp.s <= s && sp.e >= e && sp.e > sp.s);
    const piece = text.slice(s, e);
    if (!cover.length) { out.push(piece); continue; }
    out.push(h('span', { class: cover.map((c) => c.cls).join(' '), title: cover.map((c) => c.title).join('، ') }, piece));
  }
  return out;
}

function sightings(a, on) {
  const list = a.sightings || [];
  if (list.length <= 1) return [h('h2', {}, 'أين نُشرت'), h('p', { class: 'muted' }, 'لم يُعثر على نسخ منقولة من هذا النص في منافذ أخرى.')];
  return [h('h2', {}, 'أين نُشرت'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'المنفذ'), h('th', {}, 'التاريخ'), h('th', {}, 'العلاقة'), h('th', {}, 'العنوان'))),
      h('tbody', {}, list.map((s) => h('tr', {},
        h('td', {}, on(s.outlet)), h('td', {}, date(s.published)), h('td', {}, RELATION[s.relation] || ''),
        h('td', {}, s.relation === 'self' ? (s.title || '') : h('a', { href: '#/article/' + s.id }, s.title || 'مقالة بلا عنوان'),
          external(s.url, ' ↗'))))))];
}

function quotes(a) {
  const list = a.quotes || [];
  if (!list.length) return null;
  return [h('h2', {}, 'التصريحات في هذه المقالة'),
    list.map((q) => h('div', { class: 'quote' },
      h('div', {}, q.direct ? '«' + q.text + '»' : q.text),
      h('div', { class: 'meta' },
        q.speaker_key ? h('a', { href: '#/entity/' + encodeURIComponent(q.speaker_key) }, q.speaker || 'قائل') : (q.speaker || 'قائل غير معروف'),
        q.cue ? ' · بصيغة «' + q.cue + '»' : '', q.via ? ' · ' + q.via : '')))];
}
