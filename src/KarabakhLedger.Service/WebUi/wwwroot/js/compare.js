// One dyad across its theatres (small multiples and a table), and the same dyad under two scoring models.
import { get } from './api.js';
import { $, el, fill, number } from './dom.js';

const charts = [];

function mini(host, labels, points) {
  const bars = uPlot.paths.bars({ size: [0.6, 30] });
  const values = points.map((p) => (p.events > 0 ? p.net : null));
  charts.push(new uPlot({
    width: Math.max(260, host.clientWidth - 10), height: 140,
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (u, min, max) => [Math.min(0, min ?? 0) * 1.1, Math.max(0, max ?? 0) * 1.1 || 1] } },
    axes: [{ values: (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? labels[i] : '')), space: 36 }, { size: 36 }],
    legend: { show: false },
    series: [{}, { label: 'Net', stroke: '#000', fill: '#0072B2aa', paths: bars, points: { show: false } }],
  }, [labels.map((_, i) => i), values], host));
}

/** The days a partial date covers: 2020 is 2020-01-01..2020-12-31, 2020-02 is its month. */
function span(text) {
  const [y, m, d] = text.split('-').map(Number);
  const first = new Date(Date.UTC(y, (m || 1) - 1, d || 1));
  const last = d ? first : new Date(Date.UTC(m ? y : y + 1, m ? m : 0, 0));
  return [first, last];
}

const iso = (date) => date.toISOString().slice(0, 10);
const shift = (date, days) => new Date(date.getTime() + days * 86_400_000);

/**
 * Selects one event of the cross-theatre listing and highlights the events of the other theatres within ±days of
 * it: the bucket endpoint is asked for the window (the event's first day minus days to its last day plus days), so
 * which events are near is the server's answer, at the view's bitemporal point and model.
 */
async function select(view, entry, days) {
  const [first, last] = span(entry.occurredOn);
  const near = await get(`/api/dyads/${encodeURIComponent(view.dyad)}/bucket`, {
    ...view.query(), from: iso(shift(first, -days)), to: iso(shift(last, days)), limit: 1000,
  });
  const others = near.entries.map((e) => e.contribution).filter((c) => c.theatre !== entry.theatre);
  const ids = new Set(others.map((c) => c.eventId));
  for (const item of document.querySelectorAll('#theatre-events li[data-event]')) {
    item.classList.toggle('selected', item.dataset.event === entry.eventId);
    item.classList.toggle('near', ids.has(item.dataset.event));
  }
  $('#near-title').textContent = `${others.length} events in other theatres within ±${days} days of ${entry.occurredOn} ${entry.type} (${entry.theatre})`;
  fill($('#near-list'), others.map((c) => el('li', { 'data-event': c.eventId, 'data-theatre': c.theatre },
    el('time', { datetime: c.occurredOn }, c.occurredOn), ` ${c.type} (${c.theatre}): ${c.summary}`)));
}

/** One period's events, a column per theatre that has any; each event a button that selects it. */
async function listPeriod(view, point, theatres) {
  const answer = await get(`/api/dyads/${encodeURIComponent(view.dyad)}/bucket`, { ...view.query(), from: point.start, to: point.end, limit: 1000 });
  const days = () => Number($('#window').value) || 0;
  $('#theatre-events').hidden = false;
  $('#theatre-events-title').textContent = `Events in ${point.label} by theatre${answer.total > answer.entries.length ? ` (first ${answer.entries.length} of ${answer.total})` : ''}`;
  fill($('#near-title'));
  fill($('#near-list'));
  const counted = answer.entries.map((e) => e.contribution);
  fill($('#theatre-columns'), theatres.filter((t) => counted.some((c) => c.theatre === t)).map((t) => el('section', { 'data-theatre': t, 'aria-label': `${t} in ${point.label}` },
    el('h4', {}, t),
    el('ul', {}, counted.filter((c) => c.theatre === t).map((c) => el('li', { 'data-event': c.eventId },
      el('button', { type: 'button', class: 'link', onclick: () => select(view, c, days()) }, `${c.occurredOn} ${c.type}`),
      ` ${c.summary}`))))));
}

/** The dyad's timeline per theatre, same periods for each; with the audit policy, each period's events by theatre. */
export async function showTheatres(view, canAudit) {
  const answer = await get(`/api/dyads/${encodeURIComponent(view.dyad)}/theatres`, { ...view.query(), bucket: view.bucket });
  $('#theatres').hidden = false;
  $('#theatres-title').textContent = `${answer.dyad} across ${answer.theatres.length} theatres`;
  while (charts.length) charts.pop().destroy();
  const labels = answer.theatres[0]?.points.map((p) => p.label) || [];
  const figures = answer.theatres.map((t) => el('figure', { 'data-theatre': t.theatre }, el('figcaption', {}, `${t.theatre} (${t.events})`)));
  fill($('#theatre-charts'), figures);
  answer.theatres.forEach((t, i) => mini(figures[i], labels, t.points));
  const points = answer.theatres[0]?.points || [];
  const names = answer.theatres.map((t) => t.theatre);
  const heading = (p, i) => {
    const any = answer.theatres.some((t) => t.points[i].events > 0);
    return el('th', { scope: 'col' }, canAudit && any
      ? el('button', { type: 'button', class: 'link', 'aria-label': `Events in ${p.label} by theatre`, onclick: () => listPeriod(view, p, names) }, p.label)
      : p.label);
  };
  $('#theatre-events').hidden = true;
  fill($('#theatre-table thead'), el('tr', {}, el('th', { scope: 'col' }, 'Theatre'), points.map(heading)));
  fill($('#theatre-table tbody'), answer.theatres.map((t) => el('tr', { 'data-theatre': t.theatre },
    el('th', { scope: 'row' }, t.theatre),
    t.points.map((p) => el('td', { class: 'num', 'data-period': p.label }, p.events ? `${number(p.net)} (${p.events})` : '')))));
}

/** What-if: each period's net under the view's model and under another, and their difference. */
export async function showDiff(view, against) {
  const answer = await get(`/api/dyads/${encodeURIComponent(view.dyad)}/diff`, { ...view.query(), bucket: view.bucket, against });
  $('#diff').hidden = false;
  const a = `${answer.model.id}@${answer.model.version}`;
  const b = `${answer.against.id}@${answer.against.version}`;
  const moved = answer.points.filter((p) => Number(p.netDifference) !== 0).length;
  $('#diff-title').textContent = `What-if: ${a} against ${b}`;
  $('#diff-meta').textContent = moved ? `${moved} periods differ.` : 'No period differs: the two models weigh every counted interaction alike.';
  fill($('#diff-table thead'), el('tr', {}, el('th', { scope: 'col' }, 'Period'), el('th', { scope: 'col' }, 'Events'),
    el('th', { scope: 'col' }, `Net, ${a}`), el('th', { scope: 'col' }, `Net, ${b}`), el('th', { scope: 'col' }, 'Difference')));
  fill($('#diff-table tbody'), answer.points.map((p) => {
    const empty = p.model.events === 0 && p.against.events === 0;
    const differs = Number(p.netDifference) !== 0;
    return el('tr', { 'data-period': p.label, class: empty ? 'no-data' : null },
      el('th', { scope: 'row' }, p.label),
      empty ? el('td', { colspan: 4 }, 'no data') : [
        el('td', { class: 'num' }, number(p.model.events)), el('td', { class: 'num' }, number(p.model.net)),
        el('td', { class: 'num' }, number(p.against.net)),
        el('td', { class: `num difference${differs ? ' moved' : ''}` }, differs ? number(p.netDifference) : '0')]);
  }));
}
