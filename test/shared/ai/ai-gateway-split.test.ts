import { describe, expect, it } from 'vitest';
import {
  type AiGatewayPorts,
  completeAiRequest,
  prepareAiRequest,
  reidentifyReply,
} from '../../../shared/ai/ai-gateway.ts';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import { RequestAudit } from '../../../shared/audit/request-audit.ts';
import type { Caller } from '../../../shared/identity/caller.ts';
import { findTokens } from '../../../shared/phi/vault-token.ts';
import type { ApprovedModel } from '../../../shared/policy/approved-model.ts';
import type { Consent } from '../../../shared/policy/consent.ts';
import type { ModelClient, ModelRequest } from '../../../shared/ports/model-client.ts';
import type { PhiDetector } from '../../../shared/ports/phi-detector.ts';
import type { PolicyStore } from '../../../shared/ports/policy-store.ts';
import { inMemoryTokenVault } from '../../support/in-memory-token-vault.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const physician: Caller = {
  userId: 'dr.ames',
  username: 'dr.ames',
  roles: ['physician'],
  clientId: undefined,
  sourceIp: undefined,
};

/** Capitalised words after "Mr." are names: enough to see what is tokenized. */
const detector: PhiDetector = {
  name: 'fake',
  async detect(text) {
    return [...text.matchAll(/(?<=Mr\. )[A-Z][a-z]+/g)].map((match) => ({
      begin: match.index,
      end: match.index + match[0].length,
      type: 'NAME' as const,
      score: 1,
    }));
  },
};

const model = {
  id: 'm1',
  modelId: 'model-1',
  client: 'bedrock',
  status: 'active',
  permittedUseCases: ['soap-note'],
  permittedDataCategories: ['notes', 'psychotherapy'],
  baa: { inPlace: true, executedOn: '2026-01-01' },
  nextReviewOn: '2027-01-01',
} as unknown as ApprovedModel;

const consent = {
  consentId: 'c1',
  patientScope: 'scope-0001',
  category: 'psychotherapy',
  useCases: ['soap-note'],
  grantedOn: '2026-01-01',
} as unknown as Consent;

function policy(state: { models: ApprovedModel[]; consents: Consent[] }): PolicyStore {
  return {
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
    listModels: async () => state.models,
    listConsents: async () => state.consents,
  } as unknown as PolicyStore;
}

function setup() {
  const state = { models: [model], consents: [consent] };
  const calls: ModelRequest[] = [];
  const recorded: AuditEntry[] = [];
  const client: ModelClient = {
    name: 'bedrock',
    isRealModel: true,
    async complete(request) {
      calls.push(request);
      const token = findTokens(request.messages[0]?.text ?? '')[0]?.token ?? '';
      return {
        text: `${token} improved.`,
        usage: { inputTokens: 1, outputTokens: 1 },
        latencyMs: 1,
        stopReason: 'end_turn',
        client: 'bedrock',
      };
    },
    async stream() {
      throw new Error('not used');
    },
  };
  const ports: AiGatewayPorts = {
    detector,
    vault: inMemoryTokenVault(),
    policy: policy(state),
    panels: {
      name: 'fake',
      isOnPanel: async () => true,
      list: async () => [],
      add: async () => undefined,
      remove: async () => false,
    },
    modelClients: { bedrock: client },
    clock: { now: () => NOW },
    ids: { next: () => 'id-0001' },
    audit: new RequestAudit(
      { name: 'capture', record: async (entry) => void recorded.push(entry) },
      { now: () => NOW },
      {
        action: 'draft.request',
        caller: physician,
        correlationId: 'corr-000001',
      },
    ),
  };
  const request = {
    useCase: 'soap-note' as const,
    caller: physician,
    purpose: 'treatment' as const,
    patientScope: 'scope-0001',
    draftId: 'draft-0001-0001',
    sources: [
      { sourceId: 'note-1', category: 'notes' as const, text: 'Mr. Alvarez reports cough.' },
      { sourceId: 'psy-1', category: 'psychotherapy' as const, text: 'Mr. Alvarez discussed grief.' },
    ],
  };
  return { state, calls, recorded, ports, request };
}

describe('prepareAiRequest and completeAiRequest', () => {
  it('prepares a serialisable request holding only tokenized text, audited with the draft id before the vault write', async () => {
    const { ports, request, calls, recorded } = setup();
    const prepared = await prepareAiRequest(request, ports);
    const serialised = JSON.stringify(prepared);
    expect(serialised).not.toContain('Alvarez');
    expect(JSON.parse(serialised)).toEqual(prepared);
    expect(prepared.sources.map((source) => source.sourceId)).toEqual(['note-1', 'psy-1']);
    expect(prepared.issuedTokens).toHaveLength(1);
    expect(prepared.model).toEqual({ id: 'm1', modelId: 'model-1', client: 'bedrock' });
    expect(calls).toHaveLength(0);
    expect(recorded).toMatchObject([
      { action: 'draft.request', outcome: 'allowed', resource: { draftId: 'draft-0001-0001' } },
    ]);
  });

  it('completes later with the tokenized reply, which re-identifies only in its scope', async () => {
    const { ports, request, recorded } = setup();
    const prepared = await prepareAiRequest(request, ports);
    const reply = await completeAiRequest(prepared, ports);
    expect(reply.text).toMatch(/^\[NAME_[A-Z0-9]+\] improved\.$/);
    expect(recorded.at(-1)).toMatchObject({
      action: 'ai.model-call',
      outcome: 'allowed',
      resource: { draftId: 'draft-0001-0001' },
    });
    expect(await reidentifyReply(reply.text, prepared, ports)).toBe('Alvarez improved.');
    expect(await reidentifyReply(reply.text, { ...prepared, patientScope: 'scope-other' }, ports)).toBe(reply.text);
    expect(await reidentifyReply(reply.text, { ...prepared, issuedTokens: [] }, ports)).toBe(reply.text);
  });

  it('re-checks the policy at completion: a model retired since preparation is never called', async () => {
    const { ports, request, state, calls } = setup();
    const prepared = await prepareAiRequest(request, ports);
    state.models = [];
    await expect(completeAiRequest(prepared, ports)).rejects.toMatchObject({ code: 'MODEL_NOT_APPROVED' });
    expect(calls).toHaveLength(0);
  });

  it('drops psychotherapy sources when the consent was revoked since preparation', async () => {
    const { ports, request, state, calls } = setup();
    const prepared = await prepareAiRequest(request, ports);
    expect(prepared.sources.map((source) => source.category)).toContain('psychotherapy');
    state.consents = [];
    await completeAiRequest(prepared, ports);
    expect(calls[0]?.messages[0]?.text).not.toContain('grief');
    expect(calls[0]?.messages[0]?.text).toContain('reports cough');
  });

  it("does not take a sectioned template's own headings for identifiers in the output check", async () => {
    const { ports, request } = setup();
    // A detector that reads the heading "Subjective" as a name, as rule-based detectors do with capitalised words.
    const confused: PhiDetector = {
      name: 'confused',
      async detect(text) {
        const spans = await detector.detect(text);
        for (const match of text.matchAll(/Subjective|Bradley/g)) {
          spans.push({ begin: match.index, end: match.index + match[0].length, type: 'NAME', score: 1 });
        }
        return spans;
      },
    };
    const prepared = await prepareAiRequest(request, ports);
    const replying = (text: string): AiGatewayPorts['modelClients'] => ({
      bedrock: {
        ...ports.modelClients.bedrock,
        complete: async () => ({
          text,
          usage: { inputTokens: 1, outputTokens: 1 },
          latencyMs: 1,
          stopReason: 'end_turn',
          client: 'bedrock',
        }),
      } as ModelClient,
    });
    const withHeading = { ...ports, detector: confused, modelClients: replying('{"heading": "Subjective"}') };
    await expect(completeAiRequest(prepared, withHeading)).resolves.toMatchObject({
      text: '{"heading": "Subjective"}',
    });
    const withName = {
      ...ports,
      detector: confused,
      modelClients: replying('{"heading": "Subjective", "text": "Bradley"}'),
    };
    await expect(completeAiRequest(prepared, withName)).rejects.toMatchObject({ code: 'OUTPUT_QUARANTINED' });
  });

  it('adds PHI-free extra sources and a correction note to the prompt', async () => {
    const { ports, request, calls } = setup();
    const prepared = await prepareAiRequest(request, ports);
    await completeAiRequest(prepared, ports, {
      extraSources: [{ sourceId: 'coding/findings', category: 'reference', text: 'E11.9 supported.' }],
      correction: 'Reply in the required format.',
    });
    const prompt = calls[0]?.messages[0]?.text ?? '';
    expect(prompt).toContain('<source id="s3" category="reference">\nE11.9 supported.');
    expect(prompt.endsWith('Reply in the required format.')).toBe(true);
  });

  it("gives the model server-made source ids and hands the reply back citing the caller's own ids", async () => {
    const { ports, request, calls } = setup();
    const prepared = await prepareAiRequest(request, ports);
    const reply = JSON.stringify({
      sections: [{ heading: 'Subjective', statements: [{ text: 'Cough.', evidence: ['s1', 'source: s3', 's9'] }] }],
    });
    const replying: ModelClient = {
      ...ports.modelClients.bedrock,
      complete: async (modelRequest) => {
        calls.push(modelRequest);
        return {
          text: reply,
          usage: { inputTokens: 1, outputTokens: 1 },
          latencyMs: 1,
          stopReason: 'end_turn',
          client: 'bedrock',
        };
      },
    } as ModelClient;
    const completed = await completeAiRequest(
      prepared,
      { ...ports, modelClients: { bedrock: replying } },
      { extraSources: [{ sourceId: 'coding/findings', category: 'reference', text: 'E11.9 supported.' }] },
    );
    const prompt = calls[0]?.messages[0]?.text ?? '';
    for (const sourceId of ['note-1', 'psy-1', 'coding/findings']) expect(prompt).not.toContain(sourceId);
    // s9 was never a source of this prompt: left as the model wrote it, and the draft parser drops it as unknown.
    expect(JSON.parse(completed.text).sections[0].statements[0].evidence).toEqual([
      'note-1',
      'source: coding/findings',
      's9',
    ]);
  });
});
