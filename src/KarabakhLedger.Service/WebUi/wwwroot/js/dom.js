// Small DOM helpers: elements built from data, never from HTML strings.
export const $ = (selector) => document.querySelector(selector);

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null));
}

/** A partial date with its precision spelled out: 2022-02 (month). */
export function dated(text) {
  const precision = { 4: 'year', 7: 'month', 10: 'day' }[text.length] || '';
  return el('span', {}, el('time', { datetime: text }, text), precision ? ` (${precision})` : '');
}

export function number(value) {
  return typeof value === 'number' ? value.toString() : String(value);
}

/** A source as a link when it has a URL, else its document and passage. */
export function source(s) {
  const name = `${s.outlet}: ${s.title}`;
  const link = s.url ? el('a', { href: s.url, rel: 'noreferrer noopener', target: '_blank' }, name) : el('span', {}, name);
  const extra = [s.accessed ? `accessed ${s.accessed}` : null, s.document ? `document ${s.document}` : null].filter(Boolean).join(', ');
  return el('li', {}, link, extra ? ` (${extra})` : '', s.passage ? el('q', { class: 'passage' }, s.passage) : null);
}

/** An ISO-8601 instant in microseconds since 1970, so the API's recording times (finer than a millisecond) compare exactly. */
export function micros(text) {
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return Date.parse(text.replace(/\.\d+/, '')) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}
