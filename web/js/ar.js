// ar.js — Arabic wording: counted nouns with the right agreement, dates with
// Arabic month names, labels for the API's codes (never "LOC" or "role:").
//   1: noun + واحد/واحدة   2: the dual   3-10: plural   11-99: singular
//   accusative (منفذًا; مقالة: the tanween on ة is not written)   100, 1000
//   ...: singular genitive;
//   above 100 the last two digits decide.

const NOUNS = {
  article: { one: 'مقالة واحدة', two: ['مقالتان', 'مقالتين'], few: 'مقالات', many: 'مقالة', hundred: 'مقالة' },
  outlet: { one: 'منفذ واحد', two: ['منفذان', 'منفذين'], few: 'منافذ', many: 'منفذًا', hundred: 'منفذ' },
  story: { one: 'قصة واحدة', two: ['قصتان', 'قصتين'], few: 'قصص', many: 'قصة', hundred: 'قصة' },
  event: { one: 'حدث واحد', two: ['حدثان', 'حدثين'], few: 'أحداث', many: 'حدثًا', hundred: 'حدث' },
  mention: { one: 'مرة واحدة', two: ['مرتان', 'مرتين'], few: 'مرات', many: 'مرة', hundred: 'مرة' },
  quote: { one: 'تصريح واحد', two: ['تصريحان', 'تصريحين'], few: 'تصريحات', many: 'تصريحًا', hundred: 'تصريح' },
  conflict: { one: 'تعارض واحد', two: ['تعارضان', 'تعارضين'], few: 'تعارضات', many: 'تعارضًا', hundred: 'تعارض' },
  name: { one: 'اسم واحد', two: ['اسمان', 'اسمين'], few: 'أسماء', many: 'اسمًا', hundred: 'اسم' },
  spelling: { one: 'صيغة واحدة', two: ['صيغتان', 'صيغتين'], few: 'صيغ', many: 'صيغة', hundred: 'صيغة' },
  result: { one: 'نتيجة واحدة', two: ['نتيجتان', 'نتيجتين'], few: 'نتائج', many: 'نتيجة', hundred: 'نتيجة' },
  speaker: { one: 'قائل واحد', two: ['قائلان', 'قائلين'], few: 'قائلين', many: 'قائلًا', hundred: 'قائل' },
  source: { one: 'مصدر واحد', two: ['مصدران', 'مصدرين'], few: 'مصادر', many: 'مصدرًا', hundred: 'مصدر' },
};

// count(40, 'article') → "40 مقالة"; count(2, 'outlet', 'gen') → "منفذين"
export function count(n, noun, grammaticalCase) {
  const f = NOUNS[noun];
  n = Number(n) || 0;
  const gen = grammaticalCase === 'gen' ? 1 : 0;
  if (n === 0) return 'لا ' + f.few;
  if (n === 1) return f.one;
  if (n === 2) return f.two[gen];
  const r = n % 100;
  if (n < 100 || r >= 3) {
    if (r >= 3 && r <= 10) return n + ' ' + f.few;
    if (r >= 11) return n + ' ' + f.many;
  }
  return n + ' ' + f.hundred; // 100, 101, 102, 200 ...
}

// "مصدر آخر", "مصدران آخران", "3 مصادر أخرى", "11 مصدرًا آخر", "100 مصدر آخر"
// (noun: 'source' or 'outlet', both masculine): the adjective agrees with the
// counted noun — a plural of things takes the feminine singular, the tamyiz
// of 11 and more is a masculine singular.
const OTHER = { source: ['مصدر آخر', 'مصدران آخران'], outlet: ['منفذ آخر', 'منفذان آخران'] };
export function others(n, noun) {
  n = Number(n) || 0;
  if (n === 1) return OTHER[noun][0];
  if (n === 2) return OTHER[noun][1];
  const r = n % 100;
  return count(n, noun) + (r >= 3 && r <= 10 ? ' أخرى' : ' آخر');
}

// "40 مقالة من 11 منفذًا"
export function articlesFromOutlets(articles, outlets) {
  const a = count(articles, 'article');
  if (!outlets) return a;
  return a + ' من ' + count(outlets, 'outlet', 'gen');
}

const MONTHS = ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس',
  'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'];

// "2023-09-05" → "5 سبتمبر 2023"; "2023-09" → "سبتمبر 2023"; "1950/1959" → "1950–1959"
export function date(v) {
  if (!v) return 'تاريخ غير معروف';
  const s = String(v);
  if (s.includes('/')) return s.split('/').map(date).join(' – ');
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(s);
  if (!m) return s;
  const [, y, mo, d] = m;
  if (!mo) return y;
  const month = MONTHS[Number(mo) - 1] || mo;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

export function range(first, last) {
  if (!first && !last) return 'بلا تاريخ';
  if (!first || first === last) return date(first || last);
  return date(first) + ' – ' + date(last);
}

export const TYPE = { PER: 'شخص', LOC: 'مكان', ORG: 'جهة', MISC: 'أخرى' };
export const KIND = {
  role: 'تعارض في صاحب المنصب',
  number: 'تعارض في الأرقام',
  date: 'تعارض في التاريخ',
  attribution: 'تعارض في نسبة القول',
  wording: 'اختلاف في الصياغة',
};
// A figure that changed as the news came in (conflict.update): not outlets
// contradicting each other; its values come in publication order.
export const UPDATE = 'تحديث للرقم (الأحدث نشرًا يحل محل الأقدم)';
export const RELATION = { self: 'هذه المقالة', original: 'الأصل المنقول عنه', copy: 'نسخة منقولة' };

// The display name of an outlet; an article without one says so.
export function outletName(name, names) {
  if (!name) return 'منفذ غير معروف';
  if (/^[0-9a-f]{16}$/.test(name)) return 'منفذ غير معروف';
  return (names && names[name]) || name;
}

// A heading for an article without a title: its opening words (the same
// words a brief names it by), cut at about n words.
export function openingWords(text, n = 12) {
  const w = (text || '').trim().split(/\s+/).filter(Boolean);
  return w.length ? w.slice(0, n).join(' ') + (w.length > n ? '…' : '') : '';
}
