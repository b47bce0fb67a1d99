// api.js — calls to the rasd JSON API (same origin). Errors carry the
// server's sentence; writes send the token kept for this browser tab.

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

const MESSAGES = {
  401: 'هذه العملية تحتاج رمز الكتابة الصحيح (انظر الإعدادات).',
  403: 'الخادم يعمل للقراءة فقط: شغّله مع ‎--token-file‎ للسماح بالتعديل.',
  404: 'لم يُعثر على المطلوب.',
  503: 'هذه الخدمة غير متاحة بعد في هذا الخادم.',
};

async function call(method, path, body) {
  const headers = {};
  const token = sessionStorage.getItem('rasd-token');
  if (method !== 'GET' && token) headers['Authorization'] = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-cache' });
  } catch (e) {
    throw new ApiError(0, 'تعذّر الاتصال بالخادم.');
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* empty or not JSON */ }
  if (!res.ok) {
    const msg = MESSAGES[res.status] || 'حدث خطأ في الخادم.';
    throw new ApiError(res.status, msg + (data && data.error ? ' (' + data.error + ')' : ''));
  }
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}

let outletNames = null;
// {name: display} of renamed outlets, fetched once per page load (reset on rename).
export async function outletMap() {
  if (!outletNames) {
    try {
      const o = await get('/api/outlets');
      outletNames = {};
      for (const x of o.outlets) if (x.name && x.display) outletNames[x.name] = x.display;
    } catch (e) { outletNames = {}; }
  }
  return outletNames;
}
export function forgetOutletMap() { outletNames = null; }
