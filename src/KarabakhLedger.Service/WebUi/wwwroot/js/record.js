// The recording form (record policy only): one bilateral interaction with one source, sent to POST /api/interactions.
// The API's answer is shown field by field: each rule beside the field it names, the rest above the button.
import { ApiProblem, get, post } from './api.js';
import { $, el, fill } from './dom.js';

async function choices() {
  const doc = await get('/openapi/v1.json');
  const props = doc.components.schemas.InteractionBody.properties;
  const enumOf = (p) => p.enum || (p.$ref ? doc.components.schemas[p.$ref.split('/').pop()].enum : []) || [];
  return { types: enumOf(props.type), theatres: enumOf(props.theatre) };
}

function body(form) {
  const value = (field) => form.querySelector(`[data-field="${field}"]`).value.trim();
  const source = { outlet: value('sources[0].outlet'), title: value('sources[0].title') };
  if (value('sources[0].url')) source.url = value('sources[0].url');
  if (value('sources[0].accessed')) source.accessed = value('sources[0].accessed');
  const result = {
    type: value('type'), cameoCode: value('cameoCode'), initiator: value('initiator'), target: value('target'),
    occurredOn: value('occurredOn'), theatre: value('theatre'), summary: value('summary'), sources: [source],
  };
  if (value('note')) result.note = value('note');
  return result;
}

function clear(form) {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

function showErrors(form, errors) {
  const general = [];
  let first = null;
  for (const [field, rules] of Object.entries(errors)) {
    const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
    if (!input) {
      general.push(...rules.map((r) => `${field}: ${r}`));
      continue;
    }
    const id = `error-${input.id}`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.after(el('p', { class: 'field-error', id }, rules.join('; ')));
    first ??= input;
  }
  first?.focus();
  return general;
}

/** Fills the form's choices from the API's own schema and wires submission; onRecorded runs after an append. */
export async function setUp(onRecorded) {
  const form = $('#record-form');
  const { types, theatres } = await choices();
  fill($('#r-type'), types.map((t) => el('option', { value: t }, t)));
  fill($('#r-theatre'), theatres.map((t) => el('option', { value: t }, t)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(form);
    const result = $('#record-result');
    fill(result);
    try {
      const answer = await post('/api/interactions', body(form));
      fill(result, el('p', { class: 'ok' },
        answer.created ? `Recorded: ${answer.events.map((e) => `${e.dyad} event ${e.eventId}`).join(', ')}` : 'Already recorded: nothing appended.'));
      onRecorded(answer);
    } catch (e) {
      if (!(e instanceof ApiProblem)) throw e;
      const general = e.problem.errors ? showErrors(form, e.problem.errors) : [e.message];
      fill(result, el('p', { class: 'error' }, `Refused, nothing was written: ${e.problem.title || e.message}`),
        general.length ? el('ul', { class: 'error' }, general.map((g) => el('li', {}, g))) : null);
    }
  });
}
