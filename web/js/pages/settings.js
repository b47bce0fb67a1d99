// settings.js — the write token for corrections and outlet names, kept in
// this tab's sessionStorage only (never in a cookie or on disk).
import { h, mount } from '../dom.js';

export function settingsPage() {
  const input = h('input', { type: 'password', size: 40, autocomplete: 'off', 'aria-label': 'رمز الكتابة' });
  input.value = sessionStorage.getItem('rasd-token') || '';
  const note = h('p', { class: 'muted' });
  const save = h('button', {
    onclick: () => {
      if (input.value) sessionStorage.setItem('rasd-token', input.value);
      else sessionStorage.removeItem('rasd-token');
      note.textContent = input.value ? 'حُفظ الرمز لهذه النافذة.' : 'حُذف الرمز.';
    },
  }, 'حفظ');
  mount(
    h('h1', {}, 'الإعدادات'),
    h('div', { class: 'card' },
      h('h3', {}, 'رمز الكتابة'),
      h('p', {}, 'يلزم لتصحيحات المحلل (دمج القصص، إخراج مقالة من حدث، تجاهل تعارض) ولتسمية المنافذ. هو الرمز الذي شُغّل به الخادم، ويُحفظ في هذه النافذة فقط.'),
      h('div', { class: 'row' }, input, save),
      note),
  );
}
