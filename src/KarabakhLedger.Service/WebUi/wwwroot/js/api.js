// Calls to the ledger's HTTP API with the credential of this tab's session (sessionStorage only).
const storageKey = 'karabakh-ledger.credential';

export function credential() {
  const text = sessionStorage.getItem(storageKey);
  return text ? JSON.parse(text) : null;
}

export function keep(kind, secret) {
  sessionStorage.setItem(storageKey, JSON.stringify({ kind, secret }));
}

export function forget() {
  sessionStorage.removeItem(storageKey);
}

/** The credential as request headers. */
export function headers() {
  const c = credential();
  if (!c) return {};
  return c.kind === 'jwt' ? { Authorization: `Bearer ${c.secret}` } : { 'X-Api-Key': c.secret };
}

/** An answer that is not 2xx: its status and the problem details the API sent. */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function answer(response) {
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiProblem(response.status, typeof body === 'object' ? body : { detail: body });
  return body;
}

export async function get(path, query = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
  const text = params.toString();
  return answer(await fetch(text ? `${path}?${text}` : path, { headers: headers() }));
}

export async function post(path, body) {
  return answer(await fetch(path, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  }));
}
