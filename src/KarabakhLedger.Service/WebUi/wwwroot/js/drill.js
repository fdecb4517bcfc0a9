// From a bucket to its events (paged), to one event's full record, and to the derivation of the bucket's numbers.
import { get } from './api.js';
import { $, el, fill, dated, number, source } from './dom.js';
import * as proof from './proof.js';

const pageSize = 25;

function cameo(entry) {
  const c = entry.contribution;
  return el('span', {}, el('code', {}, c.cameoCode), entry.cameoLabel ? ` ${entry.cameoLabel}` : '');
}

function amendments(c, openEvent) {
  if (!c.correctedBy) return 'none';
  return el('span', {}, 'corrected by ',
    el('button', { type: 'button', class: 'link', onclick: () => openEvent(c.correctedBy) }, c.correctedBy.slice(0, 8)));
}

/** Shows the events of one bucket, a page at a time; returns the bucket answer. */
export async function showBucket(view, point, offset, openEvent) {
  const answer = await get(`/api/dyads/${encodeURIComponent(view.dyad)}/bucket`, {
    ...view.query(), from: point.start, to: point.end, offset, limit: pageSize,
  });
  $('#bucket-view').hidden = false;
  $('#bucket-title').textContent = `Events in ${point.label}`;
  $('#bucket-meta').textContent =
    `${answer.total} counted · cooperation ${answer.cooperation} · conflict ${answer.conflict} · net ${answer.net} · as of ${answer.asOf}, known at ${answer.knownAt}, ${answer.model.id}@${answer.model.version}, ${answer.provenance}`;
  fill($('#events tbody'), answer.entries.map((entry) => {
    const c = entry.contribution;
    return el('tr', { 'data-event': c.eventId },
      el('td', {}, dated(c.occurredOn)),
      el('td', {}, c.type),
      el('td', {}, cameo(entry)),
      el('td', {}, c.direction),
      el('td', {}, c.theatre),
      el('td', { class: 'summary' }, c.summary),
      el('td', {}, el('ul', { class: 'sources' }, c.sources.map(source))),
      el('td', {}, amendments(c, openEvent)),
      el('td', {}, el('button', { type: 'button', 'aria-label': `Full record of ${c.type} on ${c.occurredOn}`, onclick: () => openEvent(c.eventId) }, 'Full record')));
  }));
  const last = Math.min(answer.offset + answer.entries.length, answer.total);
  $('#page-text').textContent = answer.total ? `${answer.offset + 1}–${last} of ${answer.total}` : 'none';
  $('#page-prev').disabled = answer.offset === 0;
  $('#page-next').disabled = last >= answer.total;
  $('#derivation').hidden = true;
  return answer;
}

export const nextOffset = (answer, step) => Math.max(0, answer.offset + step * pageSize);

/**
 * The derivation of a bucket: every counted interaction's weight, decay and value (the weights add up to the net),
 * each with a button for its inclusion proof; returns the bucket answer (what the derivation exports write).
 */
export async function showDerivation(view, point, onProblem) {
  const answer = await get(`/api/dyads/${encodeURIComponent(view.dyad)}/bucket`, {
    ...view.query(), from: point.start, to: point.end, limit: 1000,
  });
  const section = $('#derivation');
  section.hidden = false;
  $('#derivation-title').textContent = `How ${point.label} was derived`;
  const facts = [
    ['Dyad', answer.dyad], ['Period', `${answer.from} to ${answer.to}`],
    ['Model', `${answer.model.id}@${answer.model.version}`],
    ['Model parameters', Object.entries(answer.model.parameters).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['As of', answer.asOf], ['Known at', answer.knownAt], ['Provenance', answer.provenance],
    ['Digest of the dyad\'s whole derivation', el('code', { class: 'hash' }, answer.digest)],
    ['Score of the dyad at as-of (decayed)', number(answer.score)],
  ];
  fill($('#derivation-meta'), facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  fill($('#contributions tbody'), answer.entries.map((entry) => {
    const c = entry.contribution;
    return el('tr', {},
      el('td', {}, dated(c.occurredOn)), el('td', {}, c.type), el('td', {}, el('code', {}, c.cameoCode)),
      el('td', { class: 'num weight' }, number(c.weight)), el('td', { class: 'num' }, number(c.ageDays)),
      el('td', { class: 'num' }, number(c.decayFactor)), el('td', { class: 'num value' }, number(c.value)),
      el('td', {}, el('code', { class: 'hash' }, c.hash.slice(0, 16))),
      el('td', {}, el('button', { type: 'button', 'aria-label': `Inclusion proof of ${c.type} on ${c.occurredOn}`, onclick: () => proof.show(c).catch(onProblem) }, 'Proof')));
  }));
  fill($('#contributions tfoot'),
    el('tr', {}, el('th', { scope: 'row', colspan: 3 }, 'Sum: the bucket\'s net'), el('td', { class: 'num', id: 'sum-weight' }, number(answer.net)),
      el('td', {}, ''), el('td', {}, ''), el('td', { class: 'num', id: 'sum-value' }, number(answer.value)), el('td', {}, ''), el('td', {}, '')));
  $('#proof').hidden = true;
  section.scrollIntoView({ block: 'start' });
  return answer;
}

/** One stored event, every field the API gives, sources as links. */
export async function showEvent(eventId) {
  const e = await get(`/api/events/${encodeURIComponent(eventId)}`);
  const section = $('#event-view');
  section.hidden = false;
  $('#event-title').textContent = `Event ${e.type}${e.occurredOn ? ` on ${e.occurredOn}` : ''}`;
  const rows = [];
  for (const [k, v] of Object.entries(e)) {
    if (k === 'sources') rows.push(['sources', el('ul', { class: 'sources' }, v.map(source))]);
    else if (k === 'occurredOn') rows.push([k, dated(v)]);
    else if (typeof v === 'object') rows.push([k, el('pre', {}, JSON.stringify(v, null, 2))]);
    else rows.push([k, String(v)]);
  }
  fill($('#event-record'), rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  section.scrollIntoView({ block: 'start' });
}
