// An event's inclusion proof in the Merkle log (GET /api/events/{id}/proof) beside the latest signed checkpoint
// (GET /api/checkpoints/latest), and the path checked in this browser against the checkpoint's root (RFC 9162
// §2.1.3.2, SHA-256 through WebCrypto). The checkpoint's signature is not checked here: `ledger verify --checkpoint`
// and POST /api/verify do that with the public key.
import { ApiProblem, get } from './api.js';
import { $, el, fill } from './dom.js';

const bytes = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function node(left, right) {
  const data = new Uint8Array(65);
  data[0] = 1;
  data.set(left, 1);
  data.set(right, 33);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

/** The root the path leads to from the leaf hash, or null when the path does not fit the tree's size. */
export async function rootOf(leafIndex, treeSize, leafHash, path) {
  if (leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = bytes(leafHash);
  for (const p of path.map(bytes)) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await node(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = await node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? hex(r) : null;
}

/** The checkpoint's six lines as fields (docs/checkpoints.md), or null when the service signs none (404). */
async function latestCheckpoint() {
  try {
    const text = await get('/api/checkpoints/latest');
    const fields = Object.fromEntries(text.split(/\r?\n/).slice(1).filter(Boolean).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
    return { text, size: Number(fields.size), root: fields.root, time: fields.time, key: fields.key };
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 404) return null;
    throw e;
  }
}

/** Shows the proof of one counted interaction under the derivation. */
export async function show(contribution) {
  const checkpoint = await latestCheckpoint();
  $('#proof').hidden = false;
  $('#proof-title').textContent = `Inclusion proof of ${contribution.type} on ${contribution.occurredOn}`;
  let proof;
  try {
    proof = await get(`/api/events/${encodeURIComponent(contribution.eventId)}/proof`, checkpoint ? { size: checkpoint.size } : {});
  } catch (e) {
    if (!(e instanceof ApiProblem) || e.status !== 400 || !checkpoint) throw e;
    fill($('#proof-facts'));
    $('#proof-result').textContent = `Not in the latest checkpoint (size ${checkpoint.size}): recorded after it was signed. ${e.message}`;
    $('#proof-result').className = 'meta';
    return;
  }
  const root = await rootOf(proof.leafIndex, proof.treeSize, proof.leafHash, proof.path);
  const facts = [
    ['Event', proof.eventId], ['Leaf index', proof.leafIndex], ['Tree size', proof.treeSize],
    ['Leaf hash', el('code', { class: 'hash' }, proof.leafHash)],
    ['Path (leaf level first)', el('ol', { class: 'path' }, proof.path.map((p) => el('li', {}, el('code', { class: 'hash' }, p))))],
    ['Root the path gives', el('code', { class: 'hash', id: 'proof-root' }, root ?? 'none: the path does not fit the tree')],
  ];
  if (checkpoint) {
    facts.push(['Checkpoint', el('pre', { id: 'checkpoint-text' }, checkpoint.text)]);
  }
  fill($('#proof-facts'), facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  const result = $('#proof-result');
  if (!checkpoint) {
    result.textContent = 'This service signs no checkpoints (Ledger:Checkpoints:SigningKey): the path is checked against the server\'s root only, '
      + (root === proof.root ? 'and leads to it.' : 'and does not lead to it.');
    result.className = root === proof.root ? 'meta' : 'error';
  } else if (root === checkpoint.root) {
    result.textContent = `Verified: the path leads to the root of the checkpoint of ${checkpoint.time} (size ${checkpoint.size}, key ${checkpoint.key}). Its signature is checked by ledger verify --checkpoint.`;
    result.className = 'ok';
  } else {
    result.textContent = `Does not match: the path leads to ${root ?? 'no root'}, the checkpoint's root is ${checkpoint.root}.`;
    result.className = 'error';
  }
  $('#proof').scrollIntoView({ block: 'start' });
}
