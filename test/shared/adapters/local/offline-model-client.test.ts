import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OFFLINE_MODEL_LABEL, OfflineModelClient } from '../../../../shared/adapters/local/offline-model-client.ts';
import { SECTIONS_LINE_PREFIX } from '../../../../shared/ai/prompts/sectioned-prompt.ts';
import { PHI_TYPES } from '../../../../shared/phi/phi-types.ts';
import { findTokens, formatToken } from '../../../../shared/phi/vault-token.ts';
import type { ModelRequest } from '../../../../shared/ports/model-client.ts';

const SOAP_SYSTEM = [
  'You are a clinical documentation assistant drafting a SOAP note for a clinician to review.',
  'Identifiers in the sources were replaced by tokens such as [NAME_7Q2K9D] or [DATE_0M4C1T].',
  'Draft a SOAP note from the encounter transcript or notes.',
  'Respond with JSON with the keys: subjective, objective, assessment, plan',
].join('\n');

const ENCOUNTER = [
  'Sources:',
  '',
  '<source id="enc-1" category="notes">',
  '[NAME_3KD9QF] reports chest pain since [DATE_8ZQ4RT]. Denies fever.',
  'BP 150/90, pulse 88 on exam.',
  'Findings consistent with musculoskeletal strain, likely diagnosis costochondritis.',
  '- Start ibuprofen; follow up with [NAME_W2B7MX] and recheck in two weeks.',
  '</source>',
].join('\n');

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  modelId: 'offline',
  system: 'Summarise for the clinician.',
  messages: [{ role: 'user', text: ENCOUNTER }],
  maxOutputTokens: 500,
  ...overrides,
});

const tokensOf = (text: string) => findTokens(text).map((found) => found.token);
const sorted = (values: readonly string[]) => [...values].sort();
/** The reply without its label line: the part a caller parses. */
const bodyOf = (text: string) => text.slice(text.indexOf('\n') + 1);

// Crockford base32, as vault tokens use.
const tokenArbitrary = fc
  .tuple(fc.constantFrom(...PHI_TYPES), fc.stringMatching(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{6}$/))
  .map(([type, code]) => formatToken(type, code));
const wordArbitrary = fc.oneof(
  fc.constantFrom('pain', 'BP', 'mg', 'daily', 'plan', 'allergic', 'Denies', 'exam', 'follow up', 'a1c', '"quoted"'),
  fc.stringMatching(/^[a-z]{1,8}$/),
  tokenArbitrary,
);
const sentenceArbitrary = fc
  .tuple(fc.array(wordArbitrary, { minLength: 1, maxLength: 8 }), fc.constantFrom('.', '!', '?', ''))
  .map(([words, end]) => `${words.join(' ')}${end}`);
const noteArbitrary = fc
  .array(fc.tuple(sentenceArbitrary, fc.constantFrom(' ', '\n', '\n- ', '\n\n')), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.map(([sentence, gap]) => `${sentence}${gap}`).join(''));
const systemArbitrary = fc.constantFrom(
  'Summarise.',
  SOAP_SYSTEM,
  'Respond with JSON with the keys: problems, medications, allergies, recentResults, openItems',
);

describe('OfflineModelClient', () => {
  const client = new OfflineModelClient();

  it('is named offline and says it is not a real model', () => {
    expect(client.name).toBe('offline');
    expect(client.isRealModel).toBe(false);
  });

  it('gives the same reply for the same request', async () => {
    const first = await client.complete(request({ system: SOAP_SYSTEM }));
    const second = await new OfflineModelClient().complete(request({ system: SOAP_SYSTEM }));

    expect(second.text).toBe(first.text);
    expect(second.usage).toEqual(first.usage);
  });

  it('labels every reply on its first line and names itself as the client', async () => {
    for (const system of ['Summarise.', SOAP_SYSTEM]) {
      const reply = await client.complete(request({ system }));
      expect(reply.text.split('\n')[0]).toBe(OFFLINE_MODEL_LABEL);
      expect(reply).toMatchObject({ client: 'offline', stopReason: 'end_turn' });
    }
  });

  it('keeps every token of the last user message, as often as it appears, in text and JSON replies', async () => {
    await fc.assert(
      fc.asyncProperty(noteArbitrary, systemArbitrary, async (note, system) => {
        const reply = await client.complete(request({ system, messages: [{ role: 'user', text: note }] }));
        expect(sorted(tokensOf(reply.text))).toEqual(sorted(tokensOf(note)));
      }),
    );
  });

  it('invents no token: those in the system prompt and earlier turns are not copied', async () => {
    const reply = await client.complete(
      request({
        system: SOAP_SYSTEM,
        messages: [
          { role: 'user', text: 'Earlier note about [NAME_ZZZZZZ].' },
          { role: 'assistant', text: 'Noted [NAME_YYYYYY].' },
          { role: 'user', text: ENCOUNTER },
        ],
      }),
    );

    expect(sorted(tokensOf(reply.text))).toEqual(['[DATE_8ZQ4RT]', '[NAME_3KD9QF]', '[NAME_W2B7MX]']);
  });

  it('answers with a JSON object of exactly the requested keys when the system prompt asks for JSON', async () => {
    const reply = await client.complete(request({ system: SOAP_SYSTEM }));

    const parsed = JSON.parse(bodyOf(reply.text)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['subjective', 'objective', 'assessment', 'plan']);
    for (const value of Object.values(parsed)) {
      expect(Array.isArray(value)).toBe(true);
      for (const item of value as unknown[]) expect(typeof item).toBe('string');
    }
  });

  it('files each sentence under the key whose cue words it mentions most, citing its source', async () => {
    const reply = await client.complete(request({ system: SOAP_SYSTEM }));

    expect(JSON.parse(bodyOf(reply.text))).toEqual({
      subjective: [
        '[NAME_3KD9QF] reports chest pain since [DATE_8ZQ4RT]. (source: enc-1)',
        'Denies fever. (source: enc-1)',
      ],
      objective: ['BP 150/90, pulse 88 on exam. (source: enc-1)'],
      assessment: [
        'Findings consistent with musculoskeletal strain, likely diagnosis costochondritis. (source: enc-1)',
      ],
      plan: ['Start ibuprofen; follow up with [NAME_W2B7MX] and recheck in two weeks. (source: enc-1)'],
    });
  });

  it('reads camelCase keys by their words and gives every key a list, empty or not', async () => {
    const reply = await client.complete(
      request({
        system: 'Respond with JSON with the keys: problems, medications, allergies, recentResults, openItems.',
        messages: [{ role: 'user', text: 'Allergic to penicillin. Metformin 500 mg daily. A1c result 7.2 last week.' }],
      }),
    );

    expect(JSON.parse(bodyOf(reply.text))).toEqual({
      problems: [],
      medications: ['Metformin 500 mg daily.'],
      allergies: ['Allergic to penicillin.'],
      recentResults: ['A1c result 7.2 last week.'],
      openItems: [],
    });
  });

  it('answers with headed bullet lists of the sentences otherwise', async () => {
    const reply = await client.complete(request());

    expect(bodyOf(reply.text)).toBe(
      [
        '## History',
        '- [NAME_3KD9QF] reports chest pain since [DATE_8ZQ4RT]. (source: enc-1)',
        '- Denies fever. (source: enc-1)',
        '',
        '## Findings',
        '- BP 150/90, pulse 88 on exam. (source: enc-1)',
        '',
        '## Assessment',
        '- Findings consistent with musculoskeletal strain, likely diagnosis costochondritis. (source: enc-1)',
        '',
        '## Plan',
        '- Start ibuprofen; follow up with [NAME_W2B7MX] and recheck in two weeks. (source: enc-1)',
      ].join('\n'),
    );
  });

  it('counts usage at four characters a token and measures latency', async () => {
    let clock = 10;
    const timed = new OfflineModelClient({
      now: () => {
        clock += 3;
        return clock;
      },
    });
    const conversation = request({ system: 'abc', messages: [{ role: 'user', text: 'Denies fever.' }] });

    const reply = await timed.complete(conversation);

    expect(reply.usage).toEqual({ inputTokens: Math.ceil(16 / 4), outputTokens: Math.ceil(reply.text.length / 4) });
    expect(reply.latencyMs).toBe(3);
  });

  it('streams the same reply in a few chunks', async () => {
    const deltas: string[] = [];

    const reply = await client.stream(request({ system: SOAP_SYSTEM }), (text) => deltas.push(text));

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThanOrEqual(4);
    expect(deltas.join('')).toBe(reply.text);
    expect(reply.text).toBe((await client.complete(request({ system: SOAP_SYSTEM }))).text);
  });

  it('fails with TIMEOUT when the request is already aborted', async () => {
    const aborted = AbortSignal.abort();

    await expect(client.complete(request({ signal: aborted }))).rejects.toMatchObject({ reason: 'TIMEOUT' });
    await expect(client.stream(request({ signal: aborted }), () => {})).rejects.toMatchObject({ reason: 'TIMEOUT' });
  });
});

describe('OfflineModelClient on a sectioned draft prompt', () => {
  const client = new OfflineModelClient();
  const system = `Draft it.\n${SECTIONS_LINE_PREFIX} Problem list | Medications | Open items`;
  const sources = (...blocks: string[]) =>
    ["Clinician's instructions:", 'Keep it short for [NAME_3KD9QF].', 'Sources:', ...blocks].join('\n\n');

  it('answers with every heading in order, each sentence filed once and citing its own source', async () => {
    const reply = await client.complete(
      request({
        system,
        messages: [
          {
            role: 'user',
            text: sources(
              '<source id="Condition/c1" category="clinical">\nChronic hypertension.\n</source>',
              '<source id="MedicationRequest/m1" category="medications">\nLisinopril 10 mg.\n</source>',
              '<source id="ServiceRequest/s1" category="clinical">\nEcho ordered and pending.\n</source>',
            ),
          },
        ],
      }),
    );

    expect(JSON.parse(bodyOf(reply.text))).toEqual({
      sections: [
        { heading: 'Problem list', statements: [{ text: 'Chronic hypertension.', evidence: ['Condition/c1'] }] },
        { heading: 'Medications', statements: [{ text: 'Lisinopril 10 mg.', evidence: ['MedicationRequest/m1'] }] },
        { heading: 'Open items', statements: [{ text: 'Echo ordered and pending.', evidence: ['ServiceRequest/s1'] }] },
      ],
    });
    // The clinician's instructions steer a draft; they are not restated as its content.
    expect(reply.text).not.toContain('[NAME_3KD9QF]');
  });

  it('restates only sentences already labelled with a heading when the sources hold any', async () => {
    const reply = await client.complete(
      request({
        system,
        messages: [
          {
            role: 'user',
            text: sources(
              '<source id="coding/findings" category="billing">\nOpen items: confirm the E11.65 code.\nMedications: none claimed.\n</source>',
              '<source id="request/notes" category="notes">\nChronic hypertension.\n</source>',
            ),
          },
        ],
      }),
    );

    expect(JSON.parse(bodyOf(reply.text)).sections).toEqual([
      { heading: 'Problem list', statements: [] },
      { heading: 'Medications', statements: [{ text: 'none claimed.', evidence: ['coding/findings'] }] },
      { heading: 'Open items', statements: [{ text: 'confirm the E11.65 code.', evidence: ['coding/findings'] }] },
    ]);
  });
});
