import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type AiGatewayPorts, type AiRequest, invokeAi, reidentifyReply } from '../../../shared/ai/ai-gateway.ts';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import { RequestAudit } from '../../../shared/audit/request-audit.ts';
import type { Caller } from '../../../shared/identity/caller.ts';
import type { PhiSpan } from '../../../shared/phi/phi-types.ts';
import { findTokens } from '../../../shared/phi/vault-token.ts';
import type { ApprovedModel } from '../../../shared/policy/approved-model.ts';
import type { ModelClient, ModelRequest } from '../../../shared/ports/model-client.ts';
import type { PanelDirectory } from '../../../shared/ports/panel-directory.ts';
import type { PhiDetector } from '../../../shared/ports/phi-detector.ts';
import type { PolicyStore } from '../../../shared/ports/policy-store.ts';
import { inMemoryTokenVault } from '../../support/in-memory-token-vault.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

/** Names after "Mr.", SSNs and phone-like numbers: enough for the pipeline's invariants. */
const detector: PhiDetector = {
  name: 'fake',
  async detect(text) {
    const spans: PhiSpan[] = [];
    for (const match of text.matchAll(/(?<=Mr\. )[A-Z][a-z]+|\d{3}-\d{2}-\d{4}|\d{3}-\d{4}/g)) {
      spans.push({
        begin: match.index,
        end: match.index + match[0].length,
        type: /^\d{3}-\d{2}-/.test(match[0]) ? 'SSN' : /\d/.test(match[0]) ? 'PHONE' : 'NAME',
        score: 1,
      });
    }
    return spans;
  },
};

const model: ApprovedModel = {
  id: 'claude-bedrock',
  vendor: 'Anthropic via Amazon Bedrock',
  modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  client: 'bedrock',
  baa: { inPlace: true, executedOn: '2026-01-05' },
  permittedUseCases: ['soap-note', 'patient-instructions'],
  permittedDataCategories: ['demographics', 'clinical', 'notes'],
  vetting: {
    signsBaa: true,
    trainsOnCustomerData: false,
    trainingOptOut: true,
    retainsInputsDays: 0,
    humanReviewOfData: false,
    subprocessorsCovered: true,
    soc2OrEquivalentSeen: true,
  },
  reviewer: 'privacy.officer',
  nextReviewOn: '2026-12-01',
  status: 'active',
  version: 1,
  updatedBy: 'admin',
  updatedAt: '2026-01-05T00:00:00.000Z',
};

/** A typed fake of the policy store holding one model, one policy version and (optionally) an attestation. */
function policyStore(options: { attested?: boolean; models?: ApprovedModel[] } = {}): PolicyStore {
  const version = { version: '2026-01', effectiveOn: '2026-01-01', setBy: 'admin', setAt: '2026-01-01T00:00:00.000Z' };
  const fake: Partial<PolicyStore> = {
    name: 'fake',
    getCurrentPolicyVersion: async () => version,
    getAttestation: async (userId: string, policyVersion: string) =>
      options.attested === false
        ? undefined
        : { userId, policyVersion, attestedAt: '2026-01-02T00:00:00.000Z', expiresAt: 1_900_000_000 },
    listModels: async () => options.models ?? [model],
    listConsents: async () => [],
  };
  return fake as PolicyStore;
}

const panels: PanelDirectory = {
  name: 'fake',
  isOnPanel: async () => true,
  list: async () => [],
  add: async () => undefined,
  remove: async () => false,
};

const nurse: Caller = {
  userId: 'rn.kim',
  username: 'rn.kim',
  roles: ['nurse'],
  clientId: undefined,
  sourceIp: undefined,
};

describe('invokeAi', () => {
  let recorded: AuditEntry[];
  let calls: ModelRequest[];
  let replyText: (request: ModelRequest) => string;

  const modelClient: ModelClient = {
    name: 'bedrock',
    isRealModel: true,
    async complete(request) {
      calls.push(request);
      return {
        text: replyText(request),
        usage: { inputTokens: 120, outputTokens: 40 },
        latencyMs: 850,
        stopReason: 'end_turn',
        client: 'bedrock',
      };
    },
    async stream(request, onDelta) {
      const reply = await this.complete(request);
      onDelta(reply.text);
      return reply;
    },
  };

  const ports = (overrides: Partial<AiGatewayPorts> = {}): AiGatewayPorts => ({
    detector,
    vault: inMemoryTokenVault(),
    policy: policyStore(),
    panels,
    modelClients: { bedrock: modelClient },
    clock: { now: () => NOW },
    ids: { next: () => 'id-0001' },
    audit: new RequestAudit(
      { name: 'capture', record: async (entry) => void recorded.push(entry) },
      { now: () => NOW },
      { action: 'ai.invoke', caller: nurse, correlationId: 'corr-000001' },
    ),
    ...overrides,
  });

  const request = (overrides: Partial<AiRequest> = {}): AiRequest => ({
    useCase: 'soap-note',
    caller: nurse,
    purpose: 'treatment',
    patientScope: 'patient-scope-1',
    sources: [
      { sourceId: 'note-1', category: 'notes', text: 'Mr. Alvarez reports chest pain since Monday. Call 555-0199.' },
      { sourceId: 'bill-1', category: 'billing', text: 'Balance due for Mr. Alvarez.' },
    ],
    ...overrides,
  });

  beforeEach(() => {
    recorded = [];
    calls = [];
    // Echoes the first token it was given: a well-behaved model.
    replyText = (req) => `Assessment: ${findTokens(req.messages[0]?.text ?? '')[0]?.token ?? ''} has chest pain.`;
  });

  it('sends the model only de-identified text of permitted categories, and re-identifies the reply', async () => {
    const result = await invokeAi(request(), ports());
    const prompt = calls[0]?.messages[0]?.text ?? '';

    expect(calls).toHaveLength(1);
    expect(prompt).not.toContain('Alvarez');
    expect(prompt).not.toContain('555-0199');
    expect(prompt).not.toContain('Balance due');
    expect(calls[0]?.modelId).toBe(model.modelId);
    expect(result.text).toBe('Assessment: Alvarez has chest pain.');
    expect(result.withheld.byRole).toEqual(['billing']);
    expect(result.model).toMatchObject({ id: 'claude-bedrock', isRealModel: true });
    expect(result.costUsd).toBeCloseTo((120 / 1000) * 0.0008 + (40 / 1000) * 0.004, 6);
  });

  it('treats a physician who also works in billing as billing only for an off-panel patient', async () => {
    const dual: Caller = { ...nurse, userId: 'dr.bill', username: 'dr.bill', roles: ['physician', 'billing'] };
    const offPanel = { ...panels, isOnPanel: async () => false };

    const refused = invokeAi(request({ caller: dual }), ports({ panels: offPanel }));

    await expect(refused).rejects.toMatchObject({ code: 'NOT_ON_PANEL' });
    expect(calls).toHaveLength(0);
    const notesOnly = request({ caller: dual }).sources.filter((source) => source.category === 'notes');
    await invokeAi(request({ caller: dual, sources: notesOnly }), ports());
    expect(calls).toHaveLength(1);
  });

  it('audits the decision before the call and the call with model, use case, tokens, latency and cost', async () => {
    await invokeAi(request(), ports());
    expect(recorded.map((entry) => [entry.action, entry.outcome])).toEqual([
      ['ai.invoke', 'allowed'],
      ['ai.model-call', 'allowed'],
      ['phi.reidentify', 'allowed'],
    ]);
    expect(recorded[1]?.modelCall).toEqual({
      useCase: 'soap-note',
      modelId: model.modelId,
      client: 'bedrock',
      inputTokens: 120,
      outputTokens: 40,
      latencyMs: 850,
      costUsd: expect.any(Number),
    });
    expect(JSON.stringify(recorded)).not.toContain('Alvarez');
  });

  it('audits the re-identification of the reply as POST /v1/reidentify does: scope, count and purpose', async () => {
    await invokeAi(request(), ports());
    expect(recorded.at(-1)).toMatchObject({
      action: 'phi.reidentify',
      outcome: 'allowed',
      actor: { userId: 'rn.kim', roles: ['nurse'] },
      resource: { patientScope: 'patient-scope-1', tokenCount: 1 },
      purpose: 'treatment',
    });
  });

  it('writes no re-identification record for a reply without tokens', async () => {
    replyText = () => 'Rest and fluids.';
    await invokeAi(request(), ports());
    expect(recorded.map((entry) => entry.action)).not.toContain('phi.reidentify');
  });

  it('refuses a token pasted from another document of the scope: never sent, never re-identified', async () => {
    const vault = inMemoryTokenVault();
    const [foreign] = await vault.tokenize('patient-scope-1', [{ type: 'NAME', value: 'Carter' }]);
    const frontDesk: Caller = { ...nurse, roles: ['front-desk'] };
    const pasted = request({
      caller: frontDesk,
      useCase: 'patient-instructions',
      purpose: 'operations',
      sources: [{ sourceId: 'doc-1', category: 'demographics', text: `What to do: ${foreign} has asthma.` }],
    });
    replyText = (req) => req.messages[0]?.text ?? '';

    await expect(invokeAi(pasted, ports({ vault }))).rejects.toMatchObject({ code: 'FOREIGN_TOKENS', status: 403 });
    expect(calls).toHaveLength(0);
    expect(recorded).toEqual([]);
  });

  it('re-identifies only the tokens the request issued: any other token in the reply stays a token', async () => {
    const vault = inMemoryTokenVault();
    const [issued, foreign] = await vault.tokenize('patient-scope-1', [
      { type: 'NAME', value: 'Alvarez' },
      { type: 'NAME', value: 'Carter' },
    ]);
    const audit = ports().audit;
    const text = await reidentifyReply(
      `${issued} and ${foreign} were seen.`,
      { patientScope: 'patient-scope-1', issuedTokens: [issued ?? ''], purpose: 'payment' },
      { vault, audit },
    );
    expect(text).toBe(`Alvarez and ${foreign} were seen.`);
    expect(recorded).toMatchObject([
      { action: 'phi.reidentify', outcome: 'allowed', resource: { tokenCount: 1 }, purpose: 'payment' },
    ]);
  });

  it('counts as issued only the tokens the vault issued for this request, even for a disguised pasted token', async () => {
    const vault = inMemoryTokenVault();
    const [foreign] = await vault.tokenize('patient-scope-1', [{ type: 'NAME', value: 'Carter' }]);
    // Lower-cased, the copy is not a token to the gateway; a model that "corrects" it must not get it re-identified.
    const disguised = (foreign ?? '').toLowerCase();
    replyText = () => `${foreign} has chest pain.`;
    const sources = [{ sourceId: 'note-1', category: 'notes' as const, text: `Mr. Alvarez and ${disguised}.` }];
    await expect(invokeAi(request({ sources }), ports({ vault }))).rejects.toMatchObject({
      code: 'OUTPUT_QUARANTINED',
    });
    expect(recorded.map((entry) => entry.action)).not.toContain('phi.reidentify');
  });

  it('a sourceId holding PHI never reaches the model, and the caller still sees it in the citations', async () => {
    const sourceId = 'carter.john.1961-04-12.ssn-123-45-6789';
    replyText = (req) => {
      const seen = /<source id="([^"]+)"/.exec(req.messages[0]?.text ?? '')?.[1] ?? '';
      return `Cough improving (source: ${seen}).`;
    };
    const result = await invokeAi(
      request({ sources: [{ sourceId, category: 'notes', text: 'He reports cough since Monday.' }] }),
      ports(),
    );
    const sent = JSON.stringify(calls);
    for (const part of [sourceId, 'carter', '1961', '123-45-6789']) expect(sent).not.toContain(part);
    expect(calls[0]?.messages[0]?.text).toContain('<source id="s1" category="notes">');
    expect(result.text).toBe(`Cough improving (source: ${sourceId}).`);
  });

  it.each([
    ['a phone number', 'Call back at 617-555-0199.'],
    ['an SSN', 'SSN 123-45-6789 is on file.'],
  ])('sources numbered 1..3 do not hide %s from the output check', async (_, identifier) => {
    const sources = ['1', '2', '3'].map((sourceId) => ({ sourceId, category: 'notes' as const, text: 'Cough.' }));
    replyText = () => `${identifier} (source: s1) (sources: s2, s3)`;
    await expect(invokeAi(request({ sources }), ports())).rejects.toMatchObject({ code: 'OUTPUT_QUARANTINED' });
    expect(recorded.at(-1)).toMatchObject({ action: 'ai.model-call', outcome: 'failed', reason: 'OUTPUT_QUARANTINED' });
  });

  it('audits the model call when the output check cannot run, and fails closed with 503 DEID_FAILED', async () => {
    let detections = 0;
    // The input is de-identified; the detector is throttled by the time the reply is checked.
    const throttled: PhiDetector = {
      name: 'throttled',
      detect: (text) => (++detections === 1 ? detector.detect(text) : Promise.reject(new Error('ThrottlingException'))),
    };
    await expect(invokeAi(request(), ports({ detector: throttled }))).rejects.toMatchObject({
      code: 'DEID_FAILED',
      status: 503,
    });
    expect(calls).toHaveLength(1);
    expect(recorded.map((entry) => [entry.action, entry.outcome, entry.reason])).toEqual([
      ['ai.invoke', 'allowed', undefined],
      ['ai.model-call', 'failed', 'OUTPUT_CHECK_FAILED'],
    ]);
    expect(recorded[1]?.modelCall).toMatchObject({ inputTokens: 120, outputTokens: 40, latencyMs: 850 });
  });

  it.each([
    ['ATTESTATION_REQUIRED', { policy: policyStore({ attested: false }) }, {}],
    [
      'MODEL_NOT_APPROVED',
      {},
      { useCase: 'coding-review' as const, caller: { ...nurse, roles: ['billing' as const] } },
    ],
    ['BAA_MISSING', { policy: policyStore({ models: [{ ...model, baa: { inPlace: false } }] }) }, {}],
    ['REVIEW_OVERDUE', { policy: policyStore({ models: [{ ...model, nextReviewOn: '2026-05-01' }] }) }, {}],
    ['USE_CASE_NOT_PERMITTED', {}, { caller: { ...nurse, roles: ['front-desk' as const] } }],
  ])('refuses with %s and never calls the model', async (code, portOverrides, requestOverrides) => {
    await expect(invokeAi(request(requestOverrides), ports(portOverrides))).rejects.toMatchObject({
      code,
      status: 403,
    });
    expect(calls).toHaveLength(0);
  });

  it('removes psychotherapy notes without consent, and refuses when nothing else is left', async () => {
    const psychotherapy = { sourceId: 'psy-1', category: 'psychotherapy' as const, text: 'Session content.' };
    const physician: Caller = { ...nurse, roles: ['physician'] };
    await expect(invokeAi(request({ caller: physician, sources: [psychotherapy] }), ports())).rejects.toMatchObject({
      code: 'CATEGORY_EXCLUDED',
    });
    expect(calls).toHaveLength(0);
  });

  it('refuses when the role filter leaves no source, rather than calling the model with nothing', async () => {
    const frontDesk: Caller = { ...nurse, roles: ['front-desk'] };
    const onlyNotes = [{ sourceId: 'n-1', category: 'notes' as const, text: 'Mr. Alvarez is better.' }];
    await expect(
      invokeAi(request({ caller: frontDesk, useCase: 'patient-instructions', sources: onlyNotes }), ports()),
    ).rejects.toMatchObject({ code: 'NO_PERMITTED_SOURCES' });
    expect(calls).toHaveLength(0);
  });

  it('fails closed when the detector throws: the model client is never called', async () => {
    const broken: PhiDetector = { name: 'broken', detect: () => Promise.reject(new Error('down')) };
    const complete = vi.spyOn(modelClient, 'complete');
    await expect(invokeAi(request(), ports({ detector: broken }))).rejects.toMatchObject({ code: 'DEID_FAILED' });
    expect(complete).not.toHaveBeenCalled();
    complete.mockRestore();
  });

  it.each([
    ['invents a name', () => 'Mr. Bradley should follow up.'],
    ['invents a phone number', () => 'Call 555-0123 tomorrow.'],
    ['invents a token', () => 'Assessment: [NAME_ZZZZZZ] improved.'],
  ])('quarantines a reply that %s: never delivered, audited as failed', async (_, reply) => {
    replyText = reply;
    await expect(invokeAi(request(), ports())).rejects.toMatchObject({ code: 'OUTPUT_QUARANTINED', status: 422 });
    expect(recorded.at(-1)).toMatchObject({ action: 'ai.model-call', outcome: 'failed', reason: 'OUTPUT_QUARANTINED' });
  });

  it("fails with 503 when the approved model's client is not configured here", async () => {
    await expect(invokeAi(request(), ports({ modelClients: {} }))).rejects.toMatchObject({
      code: 'MODEL_CLIENT_UNAVAILABLE',
      status: 503,
    });
  });
});
