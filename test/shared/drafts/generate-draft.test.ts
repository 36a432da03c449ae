import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import { type GenerateDraftPorts, generateDraft } from '../../../shared/drafts/generate-draft.ts';
import type { DomainEvent } from '../../../shared/events/event-definition.ts';
import type { ApprovedModel } from '../../../shared/policy/approved-model.ts';
import type { ModelClient, ModelRequest } from '../../../shared/ports/model-client.ts';
import type { PolicyStore } from '../../../shared/ports/policy-store.ts';
import { newDraft } from './draft-fixtures.ts';
import { inMemoryDraftStore } from './in-memory-draft-store.ts';

const NOW = new Date('2026-03-10T09:00:00Z');

const model = {
  id: 'offline-extractive',
  modelId: 'offline-extractive-v1',
  client: 'offline',
  status: 'active',
  permittedUseCases: ['soap-note'],
  permittedDataCategories: ['notes'],
  baa: { inPlace: true, executedOn: '2026-01-01' },
  nextReviewOn: '2027-01-01',
} as unknown as ApprovedModel;

const policy = {
  name: 'fake',
  getCurrentPolicyVersion: async () => ({
    version: 'v1',
    effectiveOn: '2026-01-01',
    setBy: 'a',
    setAt: NOW.toISOString(),
  }),
  getAttestation: async (userId: string, policyVersion: string) => ({
    userId,
    policyVersion,
    attestedAt: NOW.toISOString(),
    expiresAt: 1_900_000_000,
  }),
  listModels: async () => [model],
  listConsents: async () => [],
} as unknown as PolicyStore;

/** A reply in the sectioned JSON shape the soap-note parser requires, citing the draft's one source. */
const GOOD_REPLY = JSON.stringify({
  sections: ['Subjective', 'Objective', 'Assessment', 'Plan'].map((heading) => ({
    heading,
    statements: heading === 'Subjective' ? [{ text: '[NAME_AB12CD] reports cough.', evidence: ['enc-1'] }] : [],
  })),
});

describe('generateDraft', () => {
  let store: ReturnType<typeof inMemoryDraftStore>;
  let published: DomainEvent[];
  let audit: AuditEntry[];
  let replies: Array<string | Error>;
  let calls: ModelRequest[];

  const client: ModelClient = {
    name: 'offline',
    isRealModel: false,
    async complete(request) {
      calls.push(request);
      const next = replies.shift() ?? GOOD_REPLY;
      if (next instanceof Error) throw next;
      return {
        text: next,
        usage: { inputTokens: 1, outputTokens: 1 },
        latencyMs: 1,
        stopReason: 'end_turn',
        client: 'offline',
      };
    },
    async stream() {
      throw new Error('not used');
    },
  };

  const ports = (): GenerateDraftPorts => ({
    drafts: store,
    events: { name: 'capture', publish: async (events) => void published.push(...events) },
    audit: { name: 'capture', record: async (entry) => void audit.push(entry) },
    gateway: {
      detector: { name: 'none', detect: async () => [] },
      policy,
      modelClients: { offline: client },
      clock: { now: () => NOW },
    },
  });

  beforeEach(async () => {
    store = inMemoryDraftStore();
    published = [];
    audit = [];
    replies = [];
    calls = [];
    await store.create(newDraft());
  });

  it('moves a requested draft to pending-review with its tokenized content, and says so on the bus', async () => {
    expect(await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, ports())).toEqual({
      outcome: 'pending-review',
    });
    const draft = store.drafts.get('draft-00000000-0001');
    expect(draft).toMatchObject({
      status: 'pending-review',
      version: 3,
      generation: { eventId: 'e-1', modelCalls: 1 },
    });
    expect(draft?.result?.text).toContain('[NAME_AB12CD] reports cough.');
    expect(published.map((event) => [event.detailType, event.detail])).toEqual([
      ['Draft.Ready', { draftId: 'draft-00000000-0001', useCase: 'soap-note', version: 3 }],
    ]);
    expect(audit.map((entry) => [entry.action, entry.outcome, entry.actor.userId])).toEqual([
      ['ai.model-call', 'allowed', 'dr.ames'],
      ['draft.generate', 'allowed', 'dr.ames'],
    ]);
  });

  it('does nothing for a draft another delivery already generated', async () => {
    await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, ports());
    calls = [];
    expect(await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-2' }, ports())).toEqual({
      outcome: 'skipped',
      status: 'pending-review',
    });
    expect(calls).toHaveLength(0);
    expect(await generateDraft({ draftId: 'draft-missing-0001', eventId: 'e-3' }, ports())).toEqual({
      outcome: 'skipped',
    });
  });

  it('lets an unexpected error propagate for the bus to retry, and resumes the draft on the same event', async () => {
    // A failure outside the AI gateway (here the bus, after the draft was stored) propagates for a retry.
    const broken = { ...ports(), events: { name: 'down', publish: async () => Promise.reject(new Error('bus down')) } };
    await expect(generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, broken)).rejects.toThrow('bus down');
    expect(store.drafts.get('draft-00000000-0001')?.status).toBe('pending-review');

    // The same event redelivered to a draft left in `generating` resumes it; another event does not.
    const stuck = { ...newDraft({ draftId: 'draft-00000000-0002' }), status: 'generating' as const, version: 2 };
    await store.create(stuck);
    const generating = {
      ...stuck,
      expiresAt: 1_900_000_000,
      generation: { eventId: 'e-9', startedAt: NOW.toISOString(), modelCalls: 0 },
    };
    await store.replace(generating, 2);
    expect(await generateDraft({ draftId: 'draft-00000000-0002', eventId: 'e-8' }, ports())).toEqual({
      outcome: 'skipped',
      status: 'generating',
    });
    expect(await generateDraft({ draftId: 'draft-00000000-0002', eventId: 'e-9' }, ports())).toEqual({
      outcome: 'pending-review',
    });
  });

  it('fails the draft with the refusal code when the policy no longer allows the model', async () => {
    const retired = {
      ...ports(),
      gateway: { ...ports().gateway, policy: { ...policy, listModels: async () => [] } as PolicyStore },
    };
    expect(await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, retired)).toEqual({
      outcome: 'failed',
      reason: 'MODEL_NOT_APPROVED',
    });
    expect(calls).toHaveLength(0);
    expect(store.drafts.get('draft-00000000-0001')).toMatchObject({
      status: 'failed',
      failure: { reason: 'MODEL_NOT_APPROVED' },
    });
    expect(published.map((event) => event.detail)).toEqual([
      { draftId: 'draft-00000000-0001', useCase: 'soap-note', reason: 'MODEL_NOT_APPROVED' },
    ]);
    expect(audit.at(-1)).toMatchObject({ action: 'draft.generate', outcome: 'failed', reason: 'MODEL_NOT_APPROVED' });
  });

  it('retries a malformed reply once with a format reminder, then fails with OUTPUT_SCHEMA_INVALID', async () => {
    replies = ['not json', '{"sections": []}'];
    expect(await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, ports())).toEqual({
      outcome: 'failed',
      reason: 'OUTPUT_SCHEMA_INVALID',
    });
    expect(calls).toHaveLength(2);
    expect(calls[1]?.messages[0]?.text).toContain('did not match the required format');
  });
});
