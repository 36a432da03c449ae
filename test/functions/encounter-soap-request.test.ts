import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encounterDraftKey } from '../../shared/drafts/request-soap-for-encounter.ts';
import { TranscriptCipher } from '../../shared/transcription/transcript-cipher.ts';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

const SCOPE = 'patient-scope-soap-001';

describe('an ended encounter requests its SOAP note draft', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startRunningSystem();
  });
  afterAll(async () => system?.stop());

  const VISIT_LINES: readonly (readonly [string, string])[] = [
    ['clinician', 'The patient reports a cough since last week and a fever.'],
    ['clinician', 'Start amoxicillin and follow up in one week.'],
  ];

  /** Opens an encounter as a nurse and stores sealed finals, as the socket handler would after transcription. */
  async function encounterWithTranscript(
    on: RunningSystem = system,
    lines: readonly (readonly [string, string])[] = VISIT_LINES,
  ): Promise<string> {
    const opened = await on.call('nurse', 'POST', '/v1/encounters', {
      patientScope: SCOPE,
      specialty: 'PRIMARYCARE',
      encoding: 'text-frames',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const encounterId = String(opened.body.encounterId);
    const { encounters, encounterKeys } = on.runtime.ports;
    const encounter = await encounters.get(encounterId);
    if (!encounter) throw new Error('the encounter was not stored');
    const cipher = await TranscriptCipher.forEncounter(encounterKeys, encounterId, encounter.encryptedDataKey);
    const claim = { seq: 0, attempt: 'attempt-1', expiresAtMs: Date.now() + 60_000 };
    expect(await encounters.claimSegment(encounterId, claim, Date.now())).toBe('claimed');
    await encounters.putFinals(
      encounterId,
      claim,
      lines.map(([speaker, text], index) => {
        const segmentId = `${encounterId}.0.${index}`;
        return {
          segmentId,
          seq: 0,
          index,
          startMs: index * 1000,
          endMs: index * 1000 + 900,
          sealed: cipher.seal(segmentId, { speaker, text }),
        };
      }),
    );
    return encounterId;
  }

  it('leaves a soap-note draft citing the transcript segments in the clinician’s review queue, once', async () => {
    await system.call('nurse', 'POST', '/v1/attestations', { policyVersion: 'local-dev-1' });
    const encounterId = await encounterWithTranscript();

    const ended = await system.call('nurse', 'POST', `/v1/encounters/${encounterId}/end`);
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    // Ending again re-publishes Encounter.Ended: the idempotency key keeps it to one draft.
    await system.call('nurse', 'POST', `/v1/encounters/${encounterId}/end`);

    const queue = await system.call('nurse', 'GET', '/v1/drafts?status=pending-review');
    const soapDrafts = (queue.body.drafts as { draftId: string; useCase: string; patientScope?: string }[]).filter(
      (draft) => draft.useCase === 'soap-note',
    );
    expect(soapDrafts).toHaveLength(1);
    const draft = await system.call('nurse', 'GET', `/v1/drafts/${soapDrafts[0]?.draftId}`);
    expect(draft.body.status).toBe('pending-review');
    expect(String(draft.body.text)).toContain('amoxicillin');
    expect(String(draft.body.text)).toContain(`segment/${encounterId}.0.1`);
    const requested = system.audit.filter((entry) => entry.action === 'draft.request' && entry.outcome === 'allowed');
    expect(requested.at(-1)?.actor.userId).toBe('local-test.nurse');
    expect(encounterDraftKey(encounterId)).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });

  it('requests nothing, audits the refusal and dead-letters nothing when the clinician has not attested', async () => {
    const fresh = await startRunningSystem();
    try {
      const encounterId = await encounterWithTranscript(fresh);
      await fresh.call('nurse', 'POST', `/v1/encounters/${encounterId}/end`);

      const queue = await fresh.call('nurse', 'GET', '/v1/drafts?status=pending-review');
      expect(queue.body.drafts).toEqual([]);
      expect(fresh.audit.some((entry) => entry.action === 'draft.request' && entry.outcome === 'denied')).toBe(true);
      const deadLetters = await fetch(`${fresh.runtime.url}/__local/dead-letters`).then((response) => response.json());
      expect(deadLetters).toEqual(expect.objectContaining({ deadLetters: [] }));
    } finally {
      await fresh.stop();
    }
  });

  it('drafts from a final longer than the old 10,000-character input limit, as long as an encounter can record', async () => {
    // One long final (an uninterrupted monologue); the offline model restates each of its ~150 sentences.
    const sentences = Array.from(
      { length: 150 },
      (_, n) => `Point ${n + 1}: the cough is worse at night, dry and tiring for the whole family.`,
    );
    const long = `${sentences.join(' ')} Start amoxicillin.`;
    expect(long.length).toBeGreaterThan(10_000);
    const encounterId = await encounterWithTranscript(system, [['clinician', long]]);

    await system.call('nurse', 'POST', `/v1/encounters/${encounterId}/end`);

    const queue = await system.call('nurse', 'GET', '/v1/drafts?status=pending-review');
    const texts = await Promise.all(
      (queue.body.drafts as { draftId: string; useCase: string }[])
        .filter((draft) => draft.useCase === 'soap-note')
        .map(async (draft) => String((await system.call('nurse', 'GET', `/v1/drafts/${draft.draftId}`)).body.text)),
    );
    expect(texts.some((text) => text.includes(`segment/${encounterId}.0.0`))).toBe(true);
  });

  it('refuses by name, audited, an encounter whose transcript exceeds what one model request may carry', async () => {
    // 30 finals of 19,000 characters: each within an encounter's limit, 570,000 together (above 500,000).
    const finals = Array.from({ length: 30 }, () => ['clinician', 'Cough and fever reported. '.repeat(730)] as const);
    const encounterId = await encounterWithTranscript(system, finals);
    const draftsBefore = (await system.call('nurse', 'GET', '/v1/drafts?status=pending-review')).body.drafts;

    await system.call('nurse', 'POST', `/v1/encounters/${encounterId}/end`);

    expect((await system.call('nurse', 'GET', '/v1/drafts?status=pending-review')).body.drafts).toEqual(draftsBefore);
    const refusal = system.audit
      .filter((entry) => entry.action === 'draft.request' && entry.outcome === 'denied')
      .at(-1);
    expect(JSON.stringify(refusal)).toContain('TRANSCRIPT_TOO_LONG');
  });
});
