// Live: the score-change stream (GET /api/subscriptions/scores, Server-Sent Events) read with fetch, so the
// credential goes in a header as on every other call (EventSource cannot send one). Reconnects with lastEventId.
import { headers } from './api.js';

export const eventName = 'relationship-score-changed';

/** Splits SSE text into messages: { id, event, data } or { comment }. */
function* messages(block) {
  const message = { data: [] };
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) { yield { comment: line.slice(1).trim() }; continue; }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') message.data.push(value);
    else if (field === 'id' || field === 'event') message[field] = value;
  }
  if (message.data.length) yield { id: message.id, event: message.event, data: message.data.join('\n') };
}

/**
 * Follows the score changes of one dyad under one model until stop() is called. onChange gets each change
 * (RelationshipScoreChanged); onState gets 'following' once the server has answered, 'reconnecting' when the
 * connection dropped (it retries after a pause, from the last id it saw), 'refused' when the key may not subscribe.
 */
export function follow(dyad, model, onChange, onState) {
  const abort = new AbortController();
  let last = null;
  let retry = 0;

  async function connect() {
    const query = new URLSearchParams({ dyad, model });
    if (last !== null) query.set('lastEventId', last);
    const response = await fetch(`/api/subscriptions/scores?${query}`, { headers: headers(), signal: abort.signal });
    if (response.status === 401 || response.status === 403) return false;
    if (!response.ok) return true;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buffer += value;
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        for (const m of messages(block)) {
          if (m.comment !== undefined) { onState('following'); continue; }
          if (m.id !== undefined) last = m.id;
          if (m.event === eventName) onChange(JSON.parse(m.data));
        }
      }
    }
  }

  async function run() {
    while (!abort.signal.aborted) {
      let again = true;
      try {
        again = await connect();
      } catch {
        // The connection failed or dropped: try again below, unless stopped.
      }
      if (abort.signal.aborted) return;
      if (!again) { onState('refused'); return; }
      onState('reconnecting');
      await new Promise((resolve) => { retry = setTimeout(resolve, 2000); });
    }
  }

  run();
  return () => { abort.abort(); clearTimeout(retry); };
}
