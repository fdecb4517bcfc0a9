// The timeline: uPlot bars of cooperation and conflict with the net as a line, and the same numbers as a table whose
// buttons open a period. A period with no counted event is no data: a gap in the chart, "no data" in the table.
import { $, el, fill, number } from './dom.js';

// Okabe–Ito: blue and vermillion stay apart under every common colour blindness; the net is black.
const colours = { coop: '#0072B2', conflict: '#D55E00', net: '#000000', imported: '#E69F00' };
let chart = null;

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
