// outlets.js — every outlet with its article count and its display name
// (e.g. "الشرق الأوسط" for the stored name "aawsat"), editable with the token.
import { h, mount } from '../dom.js';
import { get, put, forgetOutletMap } from '../api.js';
import { count } from '../ar.js';

export async function outletsPage() {
  const data = await get('/api/outlets');
  const rows = data.outlets.filter((o) => o.name).map((o) => {
    const input = h('input', { type: 'text', size: 28, 'aria-label': 'الاسم المعروض' });
    input.value = o.renamed ? o.display : '';
    input.placeholder = o.name;
    const note = h('span', { class: 'muted small' });
    const save = h('button', { class: 'secondary' }, 'حفظ');
    save.addEventListener('click', async () => {
      save.disabled = true;
      try {
        await put('/api/outlets/' + encodeURIComponent(o.name), { display: input.value.trim() });
        forgetOutletMap();
        note.textContent = 'حُفظ.';
      } catch (e) { note.textContent = e.message; }
      save.disabled = false;
    });
    return h('tr', {}, h('td', {}, h('a', { href: '#/?outlet=' + encodeURIComponent(o.name) }, o.name)),
      h('td', {}, count(o.articles, 'article')), h('td', {}, h('div', { class: 'row' }, input, save, note)));
  });
  const unnamed = data.outlets.filter((o) => !o.name).reduce((n, o) => n + o.articles, 0);
  mount(h('h1', {}, 'المنافذ'),
    h('p', { class: 'muted' }, 'الاسم المعروض يحل محل الاسم المخزن في كل الصفحات. تركه فارغًا يعيد الاسم الذي يعرفه رصد للمنفذ، أو الاسم المخزن. يلزم رمز الكتابة (الإعدادات).'),
    h('table', { id: 'outlets-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'الاسم المخزن'), h('th', {}, 'المقالات'), h('th', {}, 'الاسم المعروض'))), h('tbody', {}, rows)),
    unnamed ? h('p', { class: 'muted' }, 'ومقالات بلا منفذ معروف: ' + count(unnamed, 'article') + '.') : null);
}
