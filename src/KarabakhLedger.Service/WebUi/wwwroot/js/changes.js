// "What changed since": the dyad's timeline known at an earlier time against the view's (its known-at, or now), the
// periods that moved, and (audit policy) the events recorded, corrected or retracted in between.
import { get } from './api.js';
import { $, el, fill, dated, micros, number } from './dom.js';

const pageSize = 1000;

/** What a stored event did: a correction, a retraction, or a new record. */
const kind = (e) => (e.retracts ? 'retracted' : e.corrects ? 'corrected' : 'recorded');

/** The dyad's stored events recorded after `since` and up to `until` (both as the API resolved them), every page. */
async function eventsBetween(dyad, since, until) {
  const found = [];
  let after = 0;
  for (;;) {
    const page = await get('/api/events', { dyad, after, limit: pageSize });
    for (const e of page.events) {
      const at = micros(e.recordedAt);
      if (at > since && at <= until) found.push(e);
    }
    if (page.next === null || page.next === undefined) return found;
    after = page.next;
  }
}

/**
 * Compares the timeline known at `since` with the one known at the view's point and lists the periods that moved. With `canAudit`, lists the events recorded in between, each with what it did and the event it amends.
 */
export async function show(view, since, canAudit, openEvent) {
  const path = `/api/dyads/${encodeURIComponent(view.dyad)}/timeline`;
  const query = { ...view.query(), bucket: view.bucket };
  const load = (extra) => get(path, { ...query, ...extra });
  let [then, now] = await Promise.all([load({ knownAt: since }), load({})]);
  // The same periods for both: from the earlier of their first counted interactions (to is the shared as-of).
  const from = [then, now].map((t) => t.points[0]?.start).filter(Boolean).sort()[0];
  if (from && then.points[0]?.start !== from) then = await load({ knownAt: since, from });
  if (from && now.points[0]?.start !== from) now = await load({ from });
  const before = new Map(then.points.map((p) => [p.label, p]));
  const moved = now.points
    .map((p) => ({ after: p, before: before.get(p.label) ?? { events: 0, net: 0 } }))
    .filter(({ after, before: b }) => b.events !== after.events || b.net !== after.net);
  $('#changes').hidden = false;
  $('#changes-title').textContent = `${now.dyad}: what changed between ${then.knownAt} and ${now.knownAt}`;
  fill($('#moved-table tbody'), moved.map(({ before: b, after: a }) => el('tr', { 'data-period': a.label },
    el('th', { scope: 'row' }, a.label),
    el('td', { class: 'num before-events' }, number(b.events)), el('td', { class: 'num before-net' }, number(b.net)),
    el('td', { class: 'num after-events' }, number(a.events)), el('td', { class: 'num after-net' }, number(a.net)))));
  $('#moved-meta').textContent = moved.length ? `${moved.length} periods moved.` : 'No period moved.';
  if (!canAudit) {
    $('#changed-events').hidden = true;
    return;
  }
  const events = await eventsBetween(now.dyad, micros(then.knownAt), micros(now.knownAt));
  $('#changed-events').hidden = false;
  $('#changed-meta').textContent = events.length
    ? `${events.length} events recorded in between: ${['recorded', 'corrected', 'retracted'].map((k) => `${events.filter((e) => kind(e) === k).length} ${k}`).join(', ')}.`
    : 'Nothing was recorded in between.';
  fill($('#changed-table tbody'), events.map((e) => {
    const amended = e.corrects || e.retracts;
    return el('tr', { 'data-event': e.eventId, 'data-kind': kind(e) },
      el('td', {}, el('time', { datetime: e.recordedAt }, e.recordedAt)),
      el('td', { class: 'kind' }, kind(e)),
      el('td', {}, e.type),
      el('td', {}, e.occurredOn ? dated(e.occurredOn) : ''),
      el('td', { class: 'summary' }, e.summary || e.reason || ''),
      el('td', {}, amended ? el('button', { type: 'button', class: 'link', onclick: () => openEvent(amended) }, amended.slice(0, 8)) : ''),
      el('td', {}, el('button', { type: 'button', 'aria-label': `Full record of ${e.type} recorded ${e.recordedAt}`, onclick: () => openEvent(e.eventId) }, 'Full record')));
  }));
}
