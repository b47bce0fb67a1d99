// dom.js — building the page from untrusted data. Every text goes in with
// textContent (never innerHTML); links are only our own "#/..." routes or
// http(s) addresses, so a "javascript:" URL in an article never becomes a link.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'href') { const safe = safeHref(v); if (safe) el.setAttribute('href', safe); }
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// Our routes ("#/..."), or an absolute http(s) URL; anything else: no link.
export function safeHref(v) {
  const s = String(v);
  if (s.startsWith('#/') || s === '#') return s;
  try {
    const u = new URL(s);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch (e) { /* not a URL */ }
  return null;
}

export function external(url, label) {
  const safe = url ? safeHref(url) : null;
  if (!safe || safe.startsWith('#')) return null;
  return h('a', { href: safe, rel: 'noopener noreferrer nofollow', target: '_blank' }, label);
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

export function mount(...children) {
  const view = document.getElementById('view');
  clear(view);
  append(view, children);
  return view;
}

export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' }, err && err.message ? err.message : String(err));
}

// UTF-8 byte offsets (the API's) to positions in a JavaScript string.
export function byteIndex(text) {
  const map = new Map();
  let bytes = 0, i = 0;
  for (const ch of text) {
    map.set(bytes, i);
    const cp = ch.codePointAt(0);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  map.set(bytes, i);
  return (b) => {
    while (b > 0 && !map.has(b)) b--; // a byte offset inside a character
    return map.get(b) || 0;
  };
}
