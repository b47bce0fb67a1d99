// story.js — one story: its cited brief (every citation opens the article
// with the sentence highlighted), the conflicts between outlets side by
// side, quotes grouped by speaker with the outlets carrying each, the
// timeline as a plot and a list, the names with their spellings, the events
// and their articles, and the analyst's corrections.
import { h, mount, clear, errorBox, external } from '../dom.js';
import { get, post, del, qs, outletMap } from '../api.js';
import { count, articlesFromOutlets, range, date, KIND, UPDATE, TYPE, outletName, others } from '../ar.js';
import uPlot from '../../vendor/uplot/uPlot.esm.js';

export async function storyPage(id, params, eventId) {
  mount(h('p', { class: 'muted' }, 'جارٍ إعداد الملخص… (قد يستغرق بضع ثوانٍ)'));
  const names = await outletMap();
  const [story, brief] = await Promise.all([
    id ? get('/api/stories/' + id) : null,
    get(eventId ? '/api/events/' + eventId + '/brief' : '/api/stories/' + id + '/brief'),
  ]);
  const on = (n) => outletName(n, Object.assign({}, names, brief.outlet_names || {}));
  const storyId = id || brief.story;
  mount(
    h('p', { class: 'meta' }, h('a', { href: '#/' }, 'القصص'), ' › ',
      // an event's page leads back to the story (thread) it belongs to
      eventId && storyId ? [h('a', { href: '#/story/' + storyId }, 'قصة ' + storyId), ' › حدث ' + eventId]
        : eventId ? 'حدث ' + eventId : 'قصة ' + storyId),
    h('h1', { dataset: { storyPage: storyId } }, brief.headline || 'قصة بلا عنوان'),
    h('p', { class: 'meta' },
      // named_outlets: the outlets the articles name, as the stories list counts them
      // (brief.outlets also lists an article without one by its agency, site or title)
      h('b', {}, articlesFromOutlets(brief.articles, brief.named_outlets || 0)),
      ' · ', range(brief.first, brief.last),
      storyId ? [' · تصدير المقالات: ',
        h('a', { href: exportHref(storyId, 'csv'), download: '' }, 'CSV'), ' | ',
        h('a', { href: exportHref(storyId, 'jsonl'), download: '' }, 'JSON Lines')] : null),
    summarySection(brief, on),
    conflictsSection(brief, storyId, on),
    timelineSection(brief, story, on),
    namesSection(brief, on),
    quotesSection(brief, on),
    story ? eventsSection(story, on) : null,
    story ? correctionsSection(story) : null,
  );
}

// The distinct display names of a list of outlets (two unnamed ones read
// once); with max, the first max and how many more.
function outletList(list, on, max) {
  const seen = [...new Set((list || []).map(on))];
  const shown = max && seen.length > max + 1 ? seen.slice(0, max) : seen;
  return [shown.map((n, i) => [i ? '، ' : '', n]),
    shown.length < seen.length ? ' و' + others(seen.length - shown.length, 'source') : ''];
}

function exportHref(id, format) {
  // a same-origin download; safeHref only admits "#/" and http(s), so build it absolute
  return new URL('/api/stories/' + id + '/export?format=' + format, location.href).href;
}

function articleLink(a, label, start, end, sentence) {
  const p = {};
  if (start !== undefined && end !== undefined && end > start) p.hl = start + '-' + end;
  else if (sentence) p.find = sentence;
  return h('a', { href: '#/article/' + a + qs(p), title: 'افتح المقالة مع إبراز الجملة' }, label);
}

// A claim's citation (brief.cite: article, outlet, URL, bytes — briefs since
// BRIEF_VERSION 12): a link to the article's own web page, titled with the
// outlet that published it; nothing when it has no web address.
function origin(c, on) {
  const a = c && external(c.url, '↗');
  if (!a) return null;
  a.className = 'origin';
  a.title = 'المقالة في موقع ' + (c.outlet ? on(c.outlet) : 'الناشر');
  return [' ', a];
}

// The link of a conflict value's i-th sentence: its citation (article and
// byte offsets: the sentence highlighted) when the brief has one (briefs
// since BRIEF_VERSION 8), else the value's article found by the sentence text.
function sentenceLink(v, i, s, on) {
  const c = v.cites && v.cites[i];
  if (c && c.article) return articleLink(c.article, '(' + (c.outlet ? on(c.outlet) : 'المقالة') + ')', c.start, c.end);
  const a = v.articles && v.articles[Math.min(i, v.articles.length - 1)];
  return a ? articleLink(a, '(المقالة)', undefined, undefined, s) : null;
}

function summarySection(brief, on) {
  const items = (brief.summary || []).map((s) => h('li', {},
    h('span', {}, s.text),
    h('span', { class: 'cite' },
      (s.sources || []).map((src) => articleLink(s.article, on(src), s.start, s.end)),
      (s.support || []).length ? [' ', h('span', { class: 'muted' }, 'وتؤكده ' + others(s.support.length, 'source'))] : null),
    origin(s.cite, on)));
  return [h('h2', {}, 'الملخص'),
    items.length ? h('ol', { class: 'summary' }, items) : h('p', { class: 'muted' }, 'لا ملخص لهذه القصة.')];
}

function conflictsSection(brief, storyId, on) {
  const list = brief.conflicts || [];
  const open = list.filter((c) => !c.dismissed).length;
  const box = h('div', {});
  for (const c of list) box.appendChild(conflictCard(c, storyId, on));
  return [h('h2', {}, 'التعارضات بين المنافذ', ' ', h('span', { class: 'muted small' },
    list.length ? '(' + count(open, 'conflict') + (list.length > open ? '، وتجاهل المحلل ' + count(list.length - open, 'conflict') : '') + ')' : '')),
    list.length ? box : h('p', { class: 'muted' }, 'لم يُعثر على تعارض بين المنافذ في هذه القصة.')];
}

function conflictCard(c, storyId, on) {
  const values = (c.values || []).map((v, k) => h('div', { class: 'value' },
    h('div', { class: 'v' }, v.value,
      c.update && v.published ? h('span', { class: 'muted small' }, (k ? ' ثم في ' : ' أولًا في ') + date(v.published)) : null),
    h('div', { class: 'meta' }, 'في: ', outletList(v.sources, on)),
    (v.sentences || []).map((s, i) => h('blockquote', {}, s, ' ', sentenceLink(v, i, s, on)))));
  const note = h('span', { class: 'muted small' });
  const btn = h('button', { class: c.dismissed ? 'secondary' : 'danger' }, c.dismissed ? 'إلغاء التجاهل' : 'تجاهل هذا التعارض');
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      if (c.dismissed) {
        if (c.dismissal) await del('/api/overrides/' + c.dismissal);
      } else {
        c.dismissal = (await post('/api/overrides', { kind: 'dismiss', story: storyId, conflict: c.id })).id;
      }
      c.dismissed = !c.dismissed;
      card.replaceWith(conflictCard(c, storyId, on));
    } catch (e) { note.textContent = e.message; btn.disabled = false; }
  });
  const card = h('div', { class: 'card conflict' + (c.dismissed ? ' dismissed' : ''), dataset: { conflict: c.id } },
    h('div', { class: 'row' },
      h('span', { class: 'pill' }, c.update ? 'تحديث' : 'تعارض'),
      h('h3', { class: 'grow' }, c.update ? UPDATE : (KIND[c.kind] || 'تعارض'), c.subject ? ': ' + c.subject : ''),
      c.dismissed ? h('span', { class: 'pill' }, 'تجاهله المحلل') : null, storyId ? btn : null),
    h('div', { class: 'values' }, values), note);
  return card;
}

function quotesSection(brief, on) {
  const groups = (brief.quotes || []).slice().sort((a, b) => (b.quotes || []).length - (a.quotes || []).length);
  const out = [h('h2', {}, 'التصريحات حسب القائل')];
  if (!groups.length) return out.concat(h('p', { class: 'muted' }, 'لا تصريحات منسوبة في هذه القصة.'));
  out[0].append(' ', h('span', { class: 'muted small' }, '(' + count(groups.length, 'speaker') + ')'));
  groups.forEach((g, gi) => {
    out.push(h('details', { class: 'card speaker-quotes', open: gi < 3, dataset: { quotes: (g.quotes || []).length } },
      h('summary', { class: 'row' },
        g.key ? h('a', { class: 'speaker', href: '#/entity/' + encodeURIComponent(g.key) }, g.speaker || 'قائل غير معروف')
          : h('span', { class: 'speaker' }, g.speaker || 'قائل غير معروف'),
        h('span', { class: 'muted small' }, count((g.quotes || []).length, 'quote'))),
      (g.quotes || []).map((q) => h('div', { class: 'quote' },
        h('div', {}, q.direct ? '«' + q.text + '»' : q.text),
        h('div', { class: 'meta' },
          q.cue ? 'بصيغة «' + q.cue + '»' : '', q.via ? ' · ' + q.via : '', ' · نقلته: ',
          (q.sources || []).map((s, i) => [i ? '، ' : '', articleLink(q.article, on(s), q.start, q.end)]),
          origin(q.cite, on))))));
  });
  return out;
}

function timelineSection(brief, story, on) {
  const items = brief.timeline || [];
  const out = [h('h2', {}, 'الخط الزمني')];
  const plotBox = h('div', { class: 'plot', id: 'timeline-plot' });
  const days = new Map(); // day → articles published that day
  if (story) for (const e of story.events) for (const a of e.articles)
    if (a.published) { const d = a.published.slice(0, 10); days.set(d, (days.get(d) || 0) + 1); }
  const happenings = new Map(); // day → sources of dated happenings
  for (const t of items) {
    const v = String(t.value || '').split('/')[0];
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(v);
    if (!m) continue;
    const d = `${m[1]}-${m[2] || '01'}-${m[3] || '01'}`;
    happenings.set(d, (happenings.get(d) || 0) + Math.max(1, (t.sources || []).length));
  }
  // the plot spans the story's reporting (with half a year before it);
  // older happenings (a war in the 1950s) stay in the list below
  const from = brief.first ? Date.parse(brief.first.slice(0, 10)) - 183 * 864e5 : -Infinity;
  const to = brief.last ? Date.parse(brief.last.slice(0, 10)) + 31 * 864e5 : Infinity;
  const inSpan = (d) => { const t = Date.parse(d); return t >= from && t <= to; };
  const allDays = [...new Set([...days.keys(), ...happenings.keys()])].filter(inSpan).sort();
  const older = [...happenings.keys()].filter((d) => !inSpan(d)).length;
  if (allDays.length) {
    out.push(plotBox);
    const xs = allDays.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
    const a = allDays.map((d) => days.get(d) ?? null);
    const b = allDays.map((d) => happenings.get(d) ?? null);
    requestAnimationFrame(() => drawPlot(plotBox, xs, a, b));
    out.push(h('p', { class: 'muted small' }, 'الأعمدة: مقالات القصة في كل يوم نشر. النقاط: وقائع تذكرها المقالات بتاريخها، وارتفاعها عدد المصادر.',
      older ? ' وتُذكر ' + count(older, 'event') + ' أقدم في القائمة أدناه.' : ''));
  }
  if (!items.length) return out.concat(h('p', { class: 'muted' }, 'لا تواريخ مذكورة في هذه القصة.'));
  out.push(h('ul', { class: 'timeline' }, items.map((t) => h('li', {},
    h('span', { class: 'when' }, date(t.value)),
    h('span', {}, t.sentence || t.text || ''), ' ',
    h('span', { class: 'cite' }, [...new Set((t.sources || []).map(on))].map((s) =>
      articleLink(t.article, s, t.cite ? t.cite.start : undefined, t.cite ? t.cite.end : undefined, t.sentence))),
    origin(t.cite, on)))));
  return out;
}

function drawPlot(box, xs, a, b) {
  if (!box.isConnected) return;
  const width = Math.max(320, box.clientWidth - 16);
  /* ticks fall between month starts: each month is named once */
  const fmt = (u, vals) => vals.map((v) => { const d = new Date(v * 1000); return d.getUTCFullYear() + '-' + String(d.getUTCMonth() + 1).padStart(2, '0'); })
    .map((m, i, all) => (i > 0 && all[i - 1] === m ? '' : m));
  const opts = {
    width, height: 220,
    scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(2, max + 1)] } },
    axes: [
      { values: fmt, font: '12px "Noto Naskh Arabic", sans-serif' },
      { font: '12px "Noto Naskh Arabic", sans-serif', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
    ],
    series: [
      { label: 'التاريخ', value: (u, v) => v == null ? '' : date(new Date(v * 1000).toISOString().slice(0, 10)) },
      { label: 'مقالات نُشرت', stroke: '#0b5f8a', fill: 'rgba(11,95,138,.15)', paths: uPlot.paths.bars({ size: [0.6, 40] }), points: { show: false } },
      { label: 'وقائع مؤرّخة (مصادر)', stroke: '#a4441b', width: 0, points: { show: true, size: 9, fill: '#a4441b' } },
    ],
    legend: { show: true, live: false }, /* the series' names only: no '--' values beside them */
  };
  new uPlot(opts, [xs, a, b], box);
}

function namesSection(brief, on) {
  const ents = (brief.entities || []).slice(0, 40);
  const out = [h('h2', {}, 'الأسماء وصيغها')];
  if (!ents.length) return out.concat(h('p', { class: 'muted' }, 'لا أسماء.'));
  out.push(h('table', {},
    h('thead', {}, h('tr', {}, h('th', {}, 'الاسم'), h('th', {}, 'النوع'), h('th', {}, 'الصيغ الواردة'), h('th', {}, 'ذُكر'), h('th', {}, 'المنافذ'))),
    h('tbody', {}, ents.map((e) => h('tr', {},
      h('td', {}, h('a', { href: '#/entity/' + encodeURIComponent(e.key) }, e.name)),
      h('td', {}, TYPE[e.type] || 'أخرى'),
      h('td', {}, spellings(e.variants).map((v) => h('span', { class: 'pill' }, v))),
      h('td', { class: 'nowrap' }, count(e.mentions, 'mention')),
      h('td', { class: 'small' }, outletList(e.outlets, on, 3)))))));
  return out;
}

// The spellings of a name without those that are another spelling with a
// conjunction or preposition stuck on (وموسكو, لكوريا): بوتين stays, as
// وتين is not among them.
export function spellings(list) {
  const set = new Set(list || []);
  return [...set].filter((v) => !(/^[وفبلك]/.test(v) && (set.has(v.slice(1)) || set.has('ال' + v.slice(1)) ||
    (v.startsWith('لل') && set.has('ال' + v.slice(2))))));
}

function eventsSection(story, on) {
  const out = [h('h2', {}, 'الأحداث والمقالات', ' ', h('span', { class: 'muted small' }, '(' + count(story.events.length, 'event') + ')'))];
  for (const e of story.events) {
    out.push(h('div', { class: 'card event' },
      h('div', { class: 'row' },
        h('h3', { class: 'grow' }, e.headline || 'حدث بلا عنوان'),
        h('span', { class: 'meta' }, articlesFromOutlets(e.article_count, e.outlet_count), ' · ', range(e.first, e.last)),
        e.article_count > 1 ? h('a', { class: 'small', href: '#/event/' + e.id }, 'ملخص هذا الحدث') : null),
      h('ul', {}, e.articles.map((a) => articleRow(a, e, on)))));
  }
  return out;
}

function articleRow(a, e, on) {
  const note = h('span', { class: 'muted small' });
  const btn = e.article_count > 1 && !a.moved_out
    ? h('button', { class: 'secondary small', title: 'المقالة لا تخص هذا الحدث' }, 'إخراج من الحدث') : null;
  const li = h('li', { class: a.moved_out ? 'moved' : '' },
    h('a', { href: '#/article/' + a.id }, a.title || 'مقالة بلا عنوان'), ' ',
    h('span', { class: 'meta' }, '— ', on(a.outlet), ' · ', date(a.published)),
    a.moved_out ? h('span', { class: 'pill' }, 'أخرجها المحلل') : null, ' ', btn, ' ', note);
  if (btn) btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      await post('/api/overrides', { kind: 'move', article: a.id, event: e.id });
      li.classList.add('moved');
      btn.replaceWith(h('span', { class: 'pill' }, 'أُخرجت من الحدث إلى قصة مستقلة'));
    } catch (err) { note.textContent = err.message; btn.disabled = false; }
  });
  return li;
}

function correctionsSection(story) {
  const input = h('input', { type: 'number', min: 1, size: 8, 'aria-label': 'رقم القصة' });
  const note = h('p', { class: 'muted small' });
  const btn = h('button', {}, 'دمج');
  btn.addEventListener('click', async () => {
    const into = Number(input.value);
    if (!into || into === story.id) { note.textContent = 'اكتب رقم قصة أخرى.'; return; }
    btn.disabled = true;
    try {
      await post('/api/overrides', { kind: 'merge', story: story.id, into });
      location.hash = '#/story/' + into; // this story is now part of that one
      return;
    } catch (e) { note.textContent = e.message; }
    btn.disabled = false;
  });
  const done = (story.overrides || []).filter((o) => o.kind !== 'dismiss').map((o) => h('p', { class: 'small', dataset: { correction: o.id } },
    o.kind === 'merge' ? 'دُمجت في هذه القصة قصةٌ كانت برقم ' + o.a
      : o.story_b === story.id ? 'أُخرجت مقالة من أحد أحداث هذه القصة إلى قصة مستقلة'
        : 'أخرج المحلل هذه المقالة من حدث في القصة ' + o.story_b,
    ' (', date(o.at && o.at.slice(0, 10)), ')', o.note ? ' — ' + o.note : ''));
  return [h('h2', {}, 'تصحيحات المحلل'),
    h('div', { class: 'card' },
      h('div', { class: 'row' }, h('span', {}, 'دمج هذه القصة في القصة رقم'), input, btn), note,
      h('p', { class: 'muted small' }, 'تُطبَّق التصحيحات فورًا وتبقى بعد كل إضافة للمقالات وبعد إعادة تجميع القصص.'),
      done)];
}
