import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import { type GenerateDraftPorts, generateDraft } from '../../../shared/drafts/generate-draft.ts';
import type { DomainEvent } from '../../../shared/events/event-definition.ts';
import type { ApprovedModel } from '../../../shared/policy/approved-model.ts';
import { ModelCallFailed, type ModelClient, type ModelRequest } from '../../../shared/ports/model-client.ts';
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

  it('fails the draft with MODEL_UNAVAILABLE when its deadline passes during the model call', async () => {
    const deadline = new AbortController();
    const slow: ModelClient = {
      ...client,
      async complete(request) {
        calls.push(request);
        // A model that answers only after the deadline: it gives up when the signal aborts, as the real clients do.
        if (!request.signal) throw new Error('the model call carries no deadline');
        const aborted = new Promise<never>((_, reject) =>
          request.signal?.addEventListener('abort', () => reject(new ModelCallFailed('TIMEOUT', 'AbortError'))),
        );
        deadline.abort();
        return aborted;
      },
    };
    const withSlowModel = { ...ports(), gateway: { ...ports().gateway, modelClients: { offline: slow } } };
    expect(
      await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, withSlowModel, {
        signal: deadline.signal,
      }),
    ).toEqual({ outcome: 'failed', reason: 'MODEL_UNAVAILABLE' });
    expect(store.drafts.get('draft-00000000-0001')).toMatchObject({
      status: 'failed',
      failure: { reason: 'MODEL_UNAVAILABLE' },
    });
    expect(published.map((event) => event.detailType)).toEqual(['Draft.Failed']);
  });

  it('publishes an event still owed when a redelivery finds the draft already generated (at-least-once)', async () => {
    // The first delivery stored the ready draft, then the bus failed: Draft.Ready was never sent.
    const broken = { ...ports(), events: { name: 'down', publish: async () => Promise.reject(new Error('bus down')) } };
    await expect(generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, broken)).rejects.toThrow('bus down');
    expect(published).toEqual([]);

    // EventBridge retries: the draft is not generated again, but its event goes out.
    expect(await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, ports())).toEqual({
      outcome: 'skipped',
      status: 'pending-review',
    });
    expect(calls).toHaveLength(1);
    expect(published.map((event) => [event.detailType, event.detail])).toEqual([
      ['Draft.Ready', { draftId: 'draft-00000000-0001', useCase: 'soap-note', version: 3 }],
    ]);
    expect(store.drafts.get('draft-00000000-0001')?.publishedVersion).toBe(3);

    // Once sent, a further redelivery sends nothing.
    await generateDraft({ draftId: 'draft-00000000-0001', eventId: 'e-1' }, ports());
    expect(published).toHaveLength(1);
  });

  it('checks the policy before a coding review sends its text to code inference', async () => {
    const base = newDraft();
    await store.create({
      ...base,
      draftId: 'draft-coding-00000001',
      useCase: 'coding-review',
      purpose: 'payment',
      requestedBy: { userId: 'coder.ng', roles: ['billing'] },
      prepared: {
        ...base.prepared,
        useCase: 'coding-review',
        purpose: 'payment',
        requester: { userId: 'coder.ng', roles: ['billing'] },
        draftId: 'draft-coding-00000001',
        sources: [
          { sourceId: 'request/documentation', category: 'notes', text: '[NAME_AB12CD] has type 2 diabetes.' },
          { sourceId: 'request/claimed-codes', category: 'billing', text: 'ICD-10-CM: E11.9' },
        ],
      },
    });
    const inferred: string[] = [];
    const retired = {
      ...ports(),
      gateway: { ...ports().gateway, policy: { ...policy, listModels: async () => [] } as PolicyStore },
      codeInference: {
        name: 'spy',
        isStandIn: true,
        inferIcd10Cm: async (text: string) => {
          inferred.push(text);
          return [];
        },
      },
    };
    expect(await generateDraft({ draftId: 'draft-coding-00000001', eventId: 'e-1' }, retired)).toEqual({
      outcome: 'failed',
      reason: 'MODEL_NOT_APPROVED',
    });
    expect(inferred).toEqual([]);
    expect(calls).toHaveLength(0);
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
