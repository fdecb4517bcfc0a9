// Export of what is on screen: the API's answers as JSON, the same numbers as CSV, the chart as PNG or SVG.
// Nothing is recomputed here: every number written is one the API answered.

/** Offers a file to the browser's download (no server round trip). */
export function download(name, type, content) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const cell = (v) => {
  const text = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** RFC 4180 text: a header row and one row per record, CRLF line ends. */
export function csv(header, rows) {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A file name from the parts of the view: TUR-RUS-timeline-year.csv. */
export const fileName = (...parts) => parts.filter(Boolean).join('-').replace(/[^A-Za-z0-9@._-]+/g, '_');

/** The timeline's periods as CSV: one row per provenance and period, "no data" where nothing was counted. */
export function timelineCsv(series) {
  const rows = series.flatMap(({ provenance, answer }) => answer.points.map((p) => [
    answer.dyad, provenance, p.label, p.start, p.end, p.events, p.cooperation, p.conflict, p.net,
    p.events === 0 ? 'no data' : '', answer.model.id + '@' + answer.model.version, answer.asOf, answer.knownAt]));
  return csv(['dyad', 'provenance', 'period', 'start', 'end', 'events', 'cooperation', 'conflict', 'net', 'status', 'model', 'asOf', 'knownAt'], rows);
}

/** The derivation's contributions as CSV, as the bucket endpoint answered them. */
export function derivationCsv(answer) {
  const rows = answer.entries.map(({ contribution: c }) => [
    answer.dyad, answer.from, answer.to, c.eventId, c.occurredOn, c.type, c.cameoCode, c.direction, c.theatre,
    c.weight, c.ageDays, c.decayFactor, c.value, c.hash]);
  return csv(['dyad', 'from', 'to', 'eventId', 'occurredOn', 'type', 'cameoCode', 'direction', 'theatre', 'weight', 'ageDays', 'decayFactor', 'value', 'hash'], rows);
}

export const json = (answer) => JSON.stringify(answer, null, 2) + '\n';
