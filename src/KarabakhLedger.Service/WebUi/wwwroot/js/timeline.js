// The timeline: uPlot bars of cooperation and conflict with the net as a line, and the same numbers as a table whose
// buttons open a period. A period with no counted event is no data: a gap in the chart, "no data" in the table.
import { $, el, fill, number } from './dom.js';

// Okabe–Ito: blue and vermillion stay apart under every common colour blindness; the net is black.
const colours = { coop: '#0072B2', conflict: '#D55E00', net: '#000000', imported: '#E69F00' };
let chart = null;
let drawn = null;

/** Vermillion hatching: conflict differs from cooperation by texture as well as hue. */
function hatch() {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const g = tile.getContext('2d');
  g.fillStyle = '#f0b48a';
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = colours.conflict;
  g.lineWidth = 3;
  g.beginPath();
  g.moveTo(-2, 10); g.lineTo(10, -2);
  g.moveTo(6, 10); g.lineTo(10, 6);
  g.moveTo(-2, 2); g.lineTo(2, -2);
  g.stroke();
  return (u) => u.ctx.createPattern(tile, 'repeat');
}

const value = (p, key) => (p && p.events > 0 ? p[key] : null);

function series(apart) {
  const bars = uPlot.paths.bars({ size: [0.6, 48] });
  if (apart) {
    return [
      {},
      { label: 'Curated net', stroke: colours.net, width: 2, points: { show: true, size: 7 }, spanGaps: false },
      { label: 'Imported net', stroke: colours.imported, width: 2, dash: [6, 4], points: { show: true, size: 7, fill: colours.imported }, spanGaps: false },
    ];
  }
  return [
    {},
    { label: 'Cooperation', stroke: colours.coop, fill: colours.coop + 'cc', paths: bars, points: { show: false } },
    { label: 'Conflict', stroke: colours.conflict, fill: hatch(), paths: bars, points: { show: false } },
    { label: 'Net', stroke: colours.net, width: 2, points: { show: true, size: 7 }, spanGaps: false },
  ];
}

function draw(labels, data, apart, onPick) {
  drawn = { labels, data, apart };
  const host = $('#chart');
  if (chart) chart.destroy();
  host.replaceChildren();
  const width = Math.max(280, host.clientWidth || 800);
  chart = new uPlot({
    width,
    height: 280,
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
    axes: [
      { values: (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? labels[i] : '')), space: 40 },
      {},
    ],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    series: series(apart),
  }, [labels.map((_, i) => i), ...data], host);
  chart.over.addEventListener('click', () => {
    const i = chart.cursor.idx;
    if (i !== null && i !== undefined) onPick(i);
  });
}

/**
 * Draws one timeline (together) or two (apart: curated and imported), and the table of periods.
 * onPick(point) is called with the period's TimelinePoint when a bucket is chosen in the chart or the table.
 */
export function render(main, imported, canDrill, onPick) {
  const apart = imported !== null;
  const points = main.points;
  const labels = points.map((p) => p.label);
  const data = apart
    ? [points.map((p) => value(p, 'net')), imported.points.map((p) => value(p, 'net'))]
    : [points.map((p) => value(p, 'cooperation')), points.map((p) => value(p, 'conflict')), points.map((p) => value(p, 'net'))];
  const pick = (i) => { if (canDrill && points[i]) onPick(points[i]); };
  draw(labels, data, apart, pick);

  const head = apart
    ? el('tr', {}, el('th', { scope: 'col' }, 'Period'), el('th', { scope: 'col' }, 'Curated events'), el('th', { scope: 'col' }, 'Curated net'),
      el('th', { scope: 'col' }, 'Imported events'), el('th', { scope: 'col' }, 'Imported net'), el('th', { scope: 'col' }, 'Events'))
    : el('tr', {}, el('th', { scope: 'col' }, 'Period'), el('th', { scope: 'col' }, 'Events'), el('th', { scope: 'col' }, 'Cooperation'),
      el('th', { scope: 'col' }, 'Conflict'), el('th', { scope: 'col' }, 'Net'), el('th', { scope: 'col' }, 'Events'));
  fill($('#buckets thead'), head);
  const rows = points.map((p, i) => {
    const other = apart ? imported.points[i] : null;
    const empty = p.events === 0 && (!other || other.events === 0);
    const open = canDrill && !empty
      ? el('button', { type: 'button', 'data-period': p.label, 'aria-label': `Events in ${p.label}`, onclick: () => pick(i) }, 'Show events')
      : null;
    if (empty) {
      return el('tr', { class: 'no-data', 'data-period': p.label },
        el('th', { scope: 'row' }, p.label), el('td', { colspan: 4 }, 'no data'), el('td', {}, ''));
    }
    const cells = apart
      ? [number(p.events), p.events ? number(p.net) : 'no data', number(other.events), other.events ? number(other.net) : 'no data']
      : [number(p.events), number(p.cooperation), number(p.conflict), number(p.net)];
    return el('tr', { 'data-period': p.label },
      el('th', { scope: 'row' }, p.label), ...cells.map((c, k) => el('td', { class: `num c${k}` }, c)), el('td', {}, open));
  });
  fill($('#buckets tbody'), rows);
}

/** Keeps the chart as wide as its box when the window changes. */
export function resize() {
  if (chart) chart.setSize({ width: Math.max(280, $('#chart').clientWidth), height: 280 });
}

/** The chart as drawn, as a PNG (uPlot's canvas). */
export function png() {
  return new Promise((resolve) => chart.ctx.canvas.toBlob(resolve, 'image/png'));
}

const svgNs = 'http://www.w3.org/2000/svg';

function node(tag, attributes, text) {
  const n = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/**
 * The same chart as SVG, drawn from the same series as the canvas: bars of cooperation and (hatched) conflict and
 * the net as a line broken where there is no data; apart, the curated and the imported net. Each mark carries its
 * period and value (data-period, data-value) so the file can be read back.
 */
export function svg(title) {
  const { labels, data, apart } = drawn;
  const width = 900, height = 320, left = 60, right = 20, top = 30, bottom = 40;
  const values = data.flat().filter((v) => v !== null);
  let low = Math.min(0, ...values), high = Math.max(0, ...values);
  if (low === high) { low -= 1; high += 1; }
  const n = Math.max(1, labels.length);
  const band = (width - left - right) / n;
  const x = (i) => left + (i + 0.5) * band;
  const y = (v) => top + ((high - v) / (high - low)) * (height - top - bottom);
  const root = node('svg', { xmlns: svgNs, width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'font-family': 'sans-serif', 'font-size': 11 });
  root.append(node('title', {}, title));
  const defs = node('defs', {});
  const pattern = node('pattern', { id: 'conflict-hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pattern.append(node('rect', { width: 8, height: 8, fill: '#f0b48a' }), node('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: colours.conflict, 'stroke-width': 3 }));
  defs.append(pattern);
  root.append(defs, node('text', { x: left, y: 18, 'font-size': 13, 'font-weight': 'bold' }, title));
  for (let k = 0; k <= 4; k++) {
    const v = low + ((high - low) * k) / 4;
    root.append(node('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: '#ddd' }),
      node('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, Number(v.toFixed(2)).toString()));
  }
  root.append(node('line', { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: '#888' }));
  const step = Math.ceil(n / 24);
  labels.forEach((l, i) => { if (i % step === 0) root.append(node('text', { x: x(i), y: height - bottom + 16, 'text-anchor': 'middle' }, l)); });
  const bar = (cls, fill, i, v) => {
    if (v === null) return;
    const w = Math.min(48, band * 0.6);
    root.append(node('rect', { class: cls, 'data-period': labels[i], 'data-value': v, x: x(i) - w / 2, width: w,
      y: Math.min(y(0), y(v)), height: Math.abs(y(0) - y(v)), fill, stroke: cls === 'cooperation' ? colours.coop : colours.conflict }));
  };
  const line = (cls, values, stroke, dash) => {
    let segment = [];
    const flush = () => {
      if (segment.length) root.append(node('polyline', { class: cls, points: segment.join(' '), fill: 'none', stroke, 'stroke-width': 2, 'stroke-dasharray': dash || 'none' }));
      segment = [];
    };
    values.forEach((v, i) => {
      if (v === null) { flush(); return; }
      segment.push(`${x(i)},${y(v)}`);
      root.append(node('circle', { class: cls, 'data-period': labels[i], 'data-value': v, cx: x(i), cy: y(v), r: 3.5, fill: stroke }));
    });
    flush();
  };
  if (apart) {
    line('curated-net', data[0], colours.net);
    line('imported-net', data[1], colours.imported, '6 4');
  } else {
    data[0].forEach((v, i) => bar('cooperation', colours.coop, i, v));
    data[1].forEach((v, i) => bar('conflict', 'url(#conflict-hatch)', i, v));
    line('net', data[2], colours.net);
  }
  return new XMLSerializer().serializeToString(root);
}
