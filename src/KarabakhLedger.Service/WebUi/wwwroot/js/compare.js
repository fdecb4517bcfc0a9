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

/** The dyad's timeline per theatre, same periods for each. */
export async function showTheatres(view) {
  const answer = await get(`/api/dyads/${encodeURIComponent(view.dyad)}/theatres`, { ...view.query(), bucket: view.bucket });
  $('#theatres').hidden = false;
  $('#theatres-title').textContent = `${answer.dyad} across ${answer.theatres.length} theatres`;
  while (charts.length) charts.pop().destroy();
  const labels = answer.theatres[0]?.points.map((p) => p.label) || [];
  const figures = answer.theatres.map((t) => el('figure', { 'data-theatre': t.theatre }, el('figcaption', {}, `${t.theatre} (${t.events})`)));
  fill($('#theatre-charts'), figures);
  answer.theatres.forEach((t, i) => mini(figures[i], labels, t.points));
  fill($('#theatre-table thead'), el('tr', {}, el('th', { scope: 'col' }, 'Theatre'), labels.map((l) => el('th', { scope: 'col' }, l))));
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
