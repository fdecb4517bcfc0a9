// The analyst's page: sign in, pick a dyad, read its timeline, open a period, an event, a derivation; record.
// What is on screen is the query string (dyad, bucket, provenance, model, asOf, knownAt, period), so a view can be shared.
import { ApiProblem, credential, forget, get, keep } from './api.js';
import { $, el, fill, micros } from './dom.js';
import * as timeline from './timeline.js';
import * as drill from './drill.js';
import * as record from './record.js';
import * as compare from './compare.js';
import * as changes from './changes.js';
import * as live from './live.js';
import * as exporter from './export.js';

const imported = 'gdelt1,gdelt2,icews';
const recentKey = 'karabakh-ledger.recent-dyads';
const pinnedKey = 'karabakh-ledger.pinned-dyads';

const view = {
  dyad: '', bucket: 'year', provenance: 'curated', model: 'goldstein-gdelt@1', asOf: '', knownAt: '', period: '',
  query() {
    return { asOf: this.asOf, knownAt: this.knownAt, model: this.model, provenance: this.provenance === 'apart' ? 'all' : this.provenance };
  },
};
let caller = null;
let dyads = [];
let points = [];
let bucketAnswer = null;
let openPoint = null;
let shown = null;
let derivationAnswer = null;
let stopLive = null;
// Periods revised by live changes since the view was opened: label -> what revised it.
const revised = new Map();

const may = (policy) => caller?.policies.includes(policy);

function readUrl() {
  const p = new URLSearchParams(location.search);
  for (const k of ['dyad', 'bucket', 'provenance', 'model', 'asOf', 'knownAt', 'period']) if (p.has(k)) view[k] = p.get(k);
  $('#dyad-input').value = view.dyad;
  $('#bucket').value = view.bucket;
  $('#provenance').value = view.provenance;
  $('#model').value = view.model;
  $('#as-of').value = view.asOf;
  $('#known-at').value = view.knownAt;
}

function writeUrl() {
  const p = new URLSearchParams();
  for (const k of ['dyad', 'bucket', 'provenance', 'model', 'asOf', 'knownAt', 'period']) {
    if (view[k] && !(k === 'bucket' && view[k] === 'year') && !(k === 'provenance' && view[k] === 'curated')) p.set(k, view[k]);
  }
  const text = p.toString();
  history.replaceState(null, '', text ? `?${text}` : location.pathname);
}

function say(text) { $('#status').textContent = text; }

function problem(e) {
  if (!(e instanceof ApiProblem)) throw e;
  const fields = e.problem.errors ? Object.entries(e.problem.errors).map(([f, r]) => `${f}: ${r.join('; ')}`).join(' · ') : '';
  $('#problem').textContent = fields || e.message;
  if (e.status === 401) signOut('The server no longer accepts this key or token.');
}

// ---- sign in -----------------------------------------------------------------------------------------------------

async function signIn() {
  try {
    caller = await get('/api/me');
  } catch (e) {
    if (e instanceof ApiProblem && (e.status === 401 || e.status === 403)) {
      forget();
      $('#signin-error').textContent = e.status === 401 ? 'The server refused this key or token.' : 'This key or token may not use the ledger.';
      return;
    }
    throw e;
  }
  $('#view-controls').hidden = !may('read-projections');
  $('#record').hidden = !may('record');
  if (may('record')) await record.setUp(() => { if (view.dyad) showTimeline(); });
  if (may('read-projections')) {
    dyads = await get('/api/dyads');
    readUrl();
    showRecent();
    showPinned();
  } else {
    say('This key may record but not read timelines: the form below is all it can use.');
  }
  // Shown once ready, so nothing typed meanwhile is overwritten.
  $('#signin').hidden = true;
  $('#who').hidden = false;
  $('#who-text').textContent = `Signed in${caller.name ? ` as ${caller.name}` : ''} (${caller.roles.join(', ') || 'no role'})`;
  $('#workspace').hidden = false;
  if (view.dyad) await showTimeline();
}

function signOut(message) {
  forget();
  location.replace(location.pathname + (message ? `#${encodeURIComponent(message)}` : ''));
}

// ---- dyad picker -------------------------------------------------------------------------------------------------

let options = [];
let active = -1;
let searchTimer = 0;

function closeOptions() {
  $('#dyad-options').hidden = true;
  $('#dyad-input').setAttribute('aria-expanded', 'false');
  $('#dyad-input').removeAttribute('aria-activedescendant');
  active = -1;
}

function highlight(i) {
  active = i;
  const items = [...$('#dyad-options').children];
  items.forEach((li, k) => li.setAttribute('aria-selected', k === i ? 'true' : 'false'));
  if (items[i]) {
    $('#dyad-input').setAttribute('aria-activedescendant', items[i].id);
    items[i].scrollIntoView({ block: 'nearest' });
  }
}

function choose(dyad) {
  $('#dyad-input').value = dyad;
  closeOptions();
  view.dyad = dyad;
  view.period = '';
  showTimeline();
}

async function search(text) {
  const found = await get('/api/actors', { search: text, limit: 20 });
  const codes = new Map(found.map((a) => [a.code, a.name]));
  const upper = text.toUpperCase();
  options = dyads
    .filter((d) => codes.has(d.a) || codes.has(d.b) || d.dyad.includes(upper))
    .sort((x, y) => y.interactions - x.interactions)
    .slice(0, 12)
    .map((d) => {
      const [first, second] = codes.has(d.b) && !codes.has(d.a) ? [d.b, d.a] : [d.a, d.b];
      return { dyad: `${first}-${second}`, text: `${first}-${second}`, detail: `${codes.get(first) || first} and ${codes.get(second) || second}, ${d.interactions} interactions` };
    });
  const list = $('#dyad-options');
  fill(list, options.map((o, i) => el('li', {
    id: `dyad-option-${i}`, role: 'option', 'aria-selected': 'false', 'data-dyad': o.dyad,
    onmousedown: (e) => { e.preventDefault(); choose(o.dyad); },
  }, el('strong', {}, o.text), ` ${o.detail}`)));
  list.hidden = options.length === 0;
  $('#dyad-input').setAttribute('aria-expanded', options.length ? 'true' : 'false');
  active = -1;
}

function wirePicker() {
  const input = $('#dyad-input');
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    const text = input.value.trim();
    if (text.length < 2) { closeOptions(); return; }
    searchTimer = setTimeout(() => search(text).catch(problem), 150);
  });
  input.addEventListener('keydown', (e) => {
    const open = !$('#dyad-options').hidden;
    if (e.key === 'ArrowDown' && open) { e.preventDefault(); highlight(Math.min(active + 1, options.length - 1)); }
    else if (e.key === 'ArrowUp' && open) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (e.key === 'Escape') closeOptions();
    else if (e.key === 'Enter' && open && active >= 0) { e.preventDefault(); choose(options[active].dyad); }
  });
  input.addEventListener('blur', () => setTimeout(closeOptions, 100));
}

function showRecent() {
  const recent = JSON.parse(localStorage.getItem(recentKey) || '[]');
  fill($('#recent'), recent.length ? ['Recent: ', ...recent.map((d) => el('button', { type: 'button', class: 'chip', onclick: () => choose(d) }, d))] : []);
}

const pinned = () => JSON.parse(localStorage.getItem(pinnedKey) || '[]');

function showPinned() {
  const list = pinned();
  fill($('#pinned'), list.length ? ['Pinned: ', ...list.map((d) => el('button', { type: 'button', class: 'chip pinned', onclick: () => choose(d) }, d))] : []);
  const pin = $('#pin');
  const on = shown !== null && list.includes(shown.main.dyad);
  pin.textContent = on ? 'Unpin' : 'Pin';
  pin.setAttribute('aria-pressed', on ? 'true' : 'false');
  pin.setAttribute('aria-label', shown ? `${on ? 'Unpin' : 'Pin'} ${shown.main.dyad}` : 'Pin');
}

function togglePin() {
  const dyad = shown.main.dyad;
  const list = pinned();
  localStorage.setItem(pinnedKey, JSON.stringify(list.includes(dyad) ? list.filter((d) => d !== dyad) : [...list, dyad]));
  showPinned();
}

function remember(dyad) {
  const recent = [dyad, ...JSON.parse(localStorage.getItem(recentKey) || '[]').filter((d) => d !== dyad)].slice(0, 6);
  localStorage.setItem(recentKey, JSON.stringify(recent));
  showRecent();
}

// ---- timeline and drill-down -------------------------------------------------------------------------------------

/** The timeline(s) of the view: one, or curated and imported apart. */
async function fetchTimeline() {
  const path = `/api/dyads/${encodeURIComponent(view.dyad)}/timeline`;
  const query = { ...view.query(), bucket: view.bucket };
  const apart = view.provenance === 'apart';
  const [main, other] = await Promise.all([
    get(path, apart ? { ...query, provenance: 'curated' } : query),
    apart ? get(path, { ...query, provenance: imported }) : Promise.resolve(null),
  ]);
  return { main, other };
}

/** Draws the timeline and marks the periods live changes revised. */
function paint(answer) {
  shown = answer;
  const { main, other } = answer;
  points = main.points;
  $('#timeline').hidden = false;
  $('#timeline-title').textContent = `${main.dyad}: cooperation against conflict per ${main.bucket}`;
  const rolled = main.rolledUp.length ? ` · rolled up into it: ${main.rolledUp.map((r) => `${r.dyad} (${r.events})`).join(', ')}` : '';
  $('#timeline-meta').textContent =
    `As of ${main.asOf}, known at ${main.knownAt}, model ${main.model.id}@${main.model.version}, provenance ${other ? 'curated and imported apart' : main.provenance}${rolled}`;
  timeline.render(main, other, may('audit'), openBucket);
  for (const [label, cause] of revised) {
    const row = $(`#buckets tbody tr[data-period="${CSS.escape(label)}"]`);
    if (!row) continue;
    row.classList.add('revised');
    row.querySelector('th').append(el('span', { class: 'revised-note' }, ` revised: ${cause}`));
  }
  showPinned();
}

async function showTimeline() {
  $('#problem').textContent = '';
  writeUrl();
  say(`Loading ${view.dyad}…`);
  try {
    const answer = await fetchTimeline();
    revised.clear();
    fill($('#live-log'));
    paint(answer);
    const { main } = answer;
    $('#compare').hidden = false;
    $('#theatres').hidden = true;
    $('#diff').hidden = true;
    $('#changes').hidden = true;
    remember(main.dyad);
    followLive(main);
    say(`${main.dyad}: ${points.length} periods, ${points.reduce((n, p) => n + p.events, 0)} counted events.`);
    const again = points.find((p) => p.label === view.period);
    if (again && may('audit')) await openBucket(again);
    else { $('#bucket-view').hidden = true; $('#derivation').hidden = true; }
  } catch (e) {
    say('');
    problem(e);
  }
}

// ---- live ----------------------------------------------------------------------------------------------------------

let pendingChanges = [];
let refreshing = false;

/** Follows the shown dyad's score changes; a view known at a fixed time does not change, so it is not followed. */
function followLive(main) {
  if (stopLive) stopLive();
  stopLive = null;
  pendingChanges = [];
  const state = $('#live-status');
  if (!may('subscribe')) { state.textContent = ''; return; }
  if (view.knownAt) { state.textContent = 'Live updates off: the view is known at a fixed time.'; return; }
  state.textContent = 'Live: connecting…';
  const shownAt = micros(main.knownAt);
  stopLive = live.follow(main.dyad, `${main.model.id}@${main.model.version}`, (change) => {
    // The stream starts at the dyad's first event; what was recorded by the time the timeline was read is shown.
    if (change.dyad !== main.dyad || micros(change.knownAt) <= shownAt) return;
    pendingChanges.push(change);
    if (!refreshing) refreshLive();
  }, (s) => {
    state.textContent = { following: 'Live: following score changes.', reconnecting: 'Live: reconnecting…', refused: 'Live updates refused for this key.' }[s];
  });
}

/** Refetches the timeline after live changes and marks the periods whose numbers moved, with the changes' causes. */
async function refreshLive() {
  refreshing = true;
  try {
    while (pendingChanges.length) {
      const causes = pendingChanges.map((c) => `${c.eventType} (position ${c.position})`).join(', ');
      pendingChanges = [];
      const before = new Map(points.map((p) => [p.label, p]));
      const answer = await fetchTimeline();
      const moved = answer.main.points.filter((p) => { const b = before.get(p.label); return !b || b.events !== p.events || b.net !== p.net; });
      for (const p of moved) revised.set(p.label, causes);
      paint(answer);
      $('#live-log').append(el('li', {}, `${causes}: ${moved.length ? moved.map((p) => p.label).join(', ') : 'no period moved'}`));
    }
  } catch (e) {
    problem(e);
  } finally {
    refreshing = false;
  }
}

// ---- exports ---------------------------------------------------------------------------------------------------

function exportTimeline(format) {
  const { main, other } = shown;
  const name = exporter.fileName(main.dyad, 'timeline', main.bucket, main.asOf);
  if (format === 'json') exporter.download(`${name}.json`, 'application/json', exporter.json(other ? { curated: main, imported: other } : main));
  else if (format === 'csv') {
    const series = other ? [{ provenance: 'curated', answer: main }, { provenance: imported, answer: other }] : [{ provenance: main.provenance, answer: main }];
    exporter.download(`${name}.csv`, 'text/csv', exporter.timelineCsv(series));
  } else if (format === 'svg') exporter.download(`${name}.svg`, 'image/svg+xml', timeline.svg($('#timeline-title').textContent));
  else timeline.png().then((blob) => exporter.download(`${name}.png`, 'image/png', blob));
}

function exportDerivation(format) {
  const a = derivationAnswer;
  const name = exporter.fileName(a.dyad, 'derivation', a.from, a.to);
  if (format === 'json') exporter.download(`${name}.json`, 'application/json', exporter.json(a));
  else exporter.download(`${name}.csv`, 'text/csv', exporter.derivationCsv(a));
}

async function openBucket(point, offset = 0) {
  openPoint = point;
  view.period = point.label;
  writeUrl();
  try {
    bucketAnswer = await drill.showBucket(view, point, offset, openEvent);
    $('#event-view').hidden = true;
    if (offset === 0) $('#bucket-view').scrollIntoView({ block: 'start' });
  } catch (e) { problem(e); }
}

function openEvent(id) {
  drill.showEvent(id).catch(problem);
}

// ---- wiring ------------------------------------------------------------------------------------------------------

function wire() {
  $('#signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.target;
    $('#signin-error').textContent = '';
    keep(form.kind.value, form.secret.value.trim());
    signIn().catch(problem);
  });
  $('#sign-out').addEventListener('click', () => signOut(''));
  $('#controls').addEventListener('submit', (e) => {
    e.preventDefault();
    const dyad = $('#dyad-input').value.trim();
    if (!dyad) { $('#problem').textContent = 'dyad: choose one, e.g. TUR-RUS'; return; }
    if (dyad !== view.dyad) view.period = '';
    Object.assign(view, {
      dyad, bucket: $('#bucket').value, provenance: $('#provenance').value, model: $('#model').value.trim(),
      asOf: $('#as-of').value, knownAt: $('#known-at').value.trim(),
    });
    showTimeline();
  });
  $('#page-prev').addEventListener('click', () => openBucket(openPoint, drill.nextOffset(bucketAnswer, -1)));
  $('#page-next').addEventListener('click', () => openBucket(openPoint, drill.nextOffset(bucketAnswer, 1)));
  $('#show-theatres').addEventListener('click', () => compare.showTheatres(view, may('audit')).catch(problem));
  $('#show-diff').addEventListener('click', () => compare.showDiff(view, $('#against').value.trim()).catch(problem));
  $('#derive').addEventListener('click', () => drill.showDerivation(view, openPoint, problem).then((a) => { derivationAnswer = a; }).catch(problem));
  $('#pin').addEventListener('click', togglePin);
  for (const format of ['csv', 'json', 'png', 'svg']) $(`#export-${format}`).addEventListener('click', () => exportTimeline(format));
  for (const format of ['csv', 'json']) $(`#derivation-${format}`).addEventListener('click', () => exportDerivation(format));
  $('#changes-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const since = $('#since').value.trim();
    if (!since) { $('#problem').textContent = 'since: give an earlier known-at time, e.g. 2026-11-23T09:30:00Z'; return; }
    $('#problem').textContent = '';
    changes.show(view, since, may('audit'), openEvent).catch(problem);
  });
  window.addEventListener('resize', timeline.resize);
  wirePicker();
  if (location.hash.length > 1) $('#signin-error').textContent = decodeURIComponent(location.hash.slice(1));
}

wire();
if (credential()) signIn().catch(problem);
