import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventBridgeEnvelope } from '../../shared/adapters/local/in-process-event-bus.ts';
import type { OfflineModelClient } from '../../shared/adapters/local/offline-model-client.ts';
import { DraftRequested } from '../../shared/drafts/draft-events.ts';
import { patternFor } from '../../shared/events/event-definition.ts';
import type { Role } from '../../shared/identity/roles.ts';
import { StaleDraftVersion } from '../../shared/ports/draft-store.ts';
import type { ModelReply } from '../../shared/ports/model-client.ts';
import { offlineModelWith, type RunningSystem, startRunningSystem } from '../support/running-system.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/fhir/${name}.json`, import.meta.url), 'utf8'));

const PATIENT = 'Tobias Renner';
const NOTES = `${PATIENT} reports three days of productive cough and fever. Lungs have crackles at the right base on exam. Likely community-acquired pneumonia. Start amoxicillin and follow up in one week.`;
const SCOPE = 'patient-scope-draft1';
/** The SOAP note request most review tests start from. */
const SOAP_REQUEST = {
  useCase: 'soap-note',
  input: { notes: NOTES },
  patientScope: SCOPE,
  purpose: 'treatment',
} as const;
const PHYSICIAN_ID = 'local-test.physician';

type Body = Record<string, unknown> & { error?: { code: string } };

/** A request per use case, the role that asks and the role that reviews. */
const USE_CASES: ReadonlyArray<{ useCase: string; requester: Role; reviewer: Role; body: Record<string, unknown> }> = [
  {
    useCase: 'soap-note',
    requester: 'physician',
    reviewer: 'physician',
    body: { input: { notes: NOTES }, patientScope: SCOPE, purpose: 'treatment' },
  },
  {
    useCase: 'record-summary',
    requester: 'nurse',
    reviewer: 'nurse',
    body: { input: { bundle: fixture('adult-hypertension-diabetes') }, patientScope: SCOPE, purpose: 'treatment' },
  },
  {
    useCase: 'prior-auth-letter',
    requester: 'physician',
    reviewer: 'physician',
    body: {
      input: {
        keyDetails: `${PATIENT} needs an MRI of the lumbar spine after six weeks of failed physical therapy.`,
        payer: 'Acme Health',
      },
      patientScope: SCOPE,
      purpose: 'payment',
    },
  },
  {
    useCase: 'appeal-letter',
    requester: 'physician',
    reviewer: 'physician',
    body: {
      input: {
        keyDetails: `The MRI for ${PATIENT} was denied as not medically necessary; symptoms persist despite therapy.`,
      },
      patientScope: SCOPE,
      purpose: 'payment',
    },
  },
  {
    useCase: 'referral-summary',
    requester: 'physician',
    reviewer: 'physician',
    body: {
      input: { keyDetails: `${PATIENT} has uncontrolled hypertension on three agents.`, specialty: 'Cardiology' },
      patientScope: SCOPE,
      purpose: 'treatment',
    },
  },
  {
    useCase: 'patient-instructions',
    requester: 'front-desk',
    reviewer: 'nurse',
    body: { input: { topic: 'preparing for your visit' }, purpose: 'operations' },
  },
  {
    useCase: 'coding-review',
    requester: 'billing',
    reviewer: 'billing',
    body: {
      input: {
        documentation: `${PATIENT} seen for type 2 diabetes with hyperglycemia and essential hypertension. A1c 8.1. Metformin increased.`,
        claimedCodes: { icd10cm: ['E11.9', 'I10'], cpt: ['99213'] },
      },
      patientScope: SCOPE,
      purpose: 'payment',
    },
  },
];

describe('drafts through the running system', () => {
  let system: RunningSystem;
  const events: EventBridgeEnvelope[] = [];
  const offline = () => system.runtime.ports.modelClients.offline as OfflineModelClient;
  const eventsOf = (draftId: string) =>
    events.filter((event) => event.detail.draftId === draftId).map((event) => event['detail-type']);
  const get = (role: Role, draftId: string) => system.call(role, 'GET', `/v1/drafts/${draftId}`);

  /** The bus refuses the first publish carrying `detailType` (and only that one), as an outage between two writes. */
  function failPublishOnce(detailType: string) {
    const bus = system.runtime.ports.events;
    const publish = bus.publish.bind(bus);
    let failed = false;
    return vi.spyOn(bus, 'publish').mockImplementation(async (batch) => {
      if (!failed && batch.some((event) => event.detailType === detailType)) {
        failed = true;
        throw new Error('bus down');
      }
      return publish(batch);
    });
  }

  async function request(role: Role, body: Record<string, unknown>): Promise<{ status: number; body: Body }> {
    return system.call(role, 'POST', '/v1/drafts', body);
  }

  /** Requests a draft and returns it once the generator has run (the test client waits for the bus to settle). */
  async function generated(role: Role, body: Record<string, unknown>): Promise<Body> {
    const accepted = await request(role, body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    return (await get(role, String(accepted.body.draftId))).body;
  }

  beforeAll(async () => {
    system = await startRunningSystem();
    system.runtime.bus.subscribe({
      ruleName: 'test-draft-events',
      pattern: { source: ['clinical-ai-gateway.drafts'] },
      deliver: async (event) => void events.push(event),
    });
    for (const role of ['physician', 'nurse', 'medical-assistant', 'billing', 'front-desk'] as const) {
      expect((await system.call(role, 'POST', '/v1/attestations', { policyVersion: 'local-dev-1' })).status).toBe(201);
    }
    await system.call('admin', 'PUT', `/v1/panels/${PHYSICIAN_ID}/patients/${SCOPE}`);
  });
  afterAll(async () => system?.stop());
  afterEach(() => vi.restoreAllMocks());

  describe('each use case from request to approved draft', () => {
    it.each(USE_CASES)('$useCase: requested by $requester, approved by $reviewer', async (testCase) => {
      // Prepare
      const auditBefore = system.audit.length;

      // Act: request, read when ready, approve.
      const accepted = await request(testCase.requester, { useCase: testCase.useCase, ...testCase.body });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
      expect(accepted.body).toMatchObject({ status: 'requested', version: 1 });
      const draftId = String(accepted.body.draftId);
      const ready = (await get(testCase.reviewer, draftId)).body;
      const review = await system.call(testCase.reviewer, 'POST', `/v1/drafts/${draftId}/review`, {
        decision: 'approve',
        expectedVersion: ready.version,
      });

      // Assess
      expect(ready, JSON.stringify(ready)).toMatchObject({
        draftId,
        useCase: testCase.useCase,
        status: 'pending-review',
        version: 3,
      });
      expect(String(ready.text).length).toBeGreaterThan(0);
      const sources = (ready.evidence as { sources: { sourceId: string }[] }).sources.map((source) => source.sourceId);
      const derived = (ready.evidence as { derivedSourceIds: string[] }).derivedSourceIds;
      const cited = (ready.content as { sections: { statements: { evidence: string[] }[] }[] }).sections.flatMap(
        (section) => section.statements.flatMap((statement) => statement.evidence),
      );
      expect(cited.length).toBeGreaterThan(0);
      for (const id of cited) expect([...sources, ...derived]).toContain(id);
      expect(review.status, JSON.stringify(review.body)).toBe(200);
      expect(review.body).toMatchObject({ status: 'approved', version: 4, decision: 'approve', edited: false });
      expect(eventsOf(draftId)).toEqual(['Draft.Requested', 'Draft.Ready', 'Draft.Approved']);

      const audit = system.audit.slice(auditBefore).filter((entry) => entry.resource.draftId === draftId);
      expect(audit.map((entry) => [entry.action, entry.outcome])).toEqual([
        ['draft.request', 'allowed'],
        ['ai.model-call', 'allowed'],
        ['draft.generate', 'allowed'],
        ['draft.read', 'allowed'],
        ['draft.review', 'allowed'],
      ]);
      expect(audit.find((entry) => entry.action === 'ai.model-call')?.modelCall).toMatchObject({
        useCase: testCase.useCase,
        client: 'offline',
      });
      expect(JSON.stringify([audit, events])).not.toContain('Renner');
      expect(JSON.stringify(await system.runtime.ports.drafts.get(draftId))).not.toContain('Renner');
    });
  });

  it('refuses an edit that carries a vault token from another document of the patient (FOREIGN_TOKENS)', async () => {
    const ready = await generated('physician', SOAP_REQUEST);
    // A nurse (no panel limit) tokenizes another identifier into the same scope and pastes its token into an edit.
    const other = await system.call('nurse', 'POST', '/v1/deidentify', {
      text: 'Seen with Margarethe Kowalczyk at the visit.',
      patientScope: SCOPE,
    });
    const [foreign] = String(other.body.text).match(/\[NAME_[A-Z0-9]+\]/) ?? [];
    expect(foreign).toBeDefined();

    const review = await system.call('physician', 'POST', `/v1/drafts/${String(ready.draftId)}/review`, {
      decision: 'approve',
      expectedVersion: ready.version,
      editedText: `${String(ready.text)}\nAlso discussed with ${foreign}.`,
    });

    expect(review.status).toBe(403);
    expect(review.body.error?.code).toBe('FOREIGN_TOKENS');
    expect((await get('physician', String(ready.draftId))).body.status).toBe('pending-review');
  });

  it('shows the requesting physician the note re-identified, and an edited approval keeps a tokenized diff', async () => {
    const ready = await generated('physician', SOAP_REQUEST);
    const draftId = String(ready.draftId);
    expect(String(ready.text)).toContain(PATIENT);

    const editedText = `${String(ready.text)}\nAddendum: ${PATIENT} to return sooner if short of breath.`;
    const review = await system.call('physician', 'POST', `/v1/drafts/${draftId}/review`, {
      decision: 'approve',
      expectedVersion: ready.version,
      editedText,
    });
    expect(review.body).toMatchObject({ status: 'approved', edited: true, reviewerId: PHYSICIAN_ID });

    const approved = (await get('physician', draftId)).body;
    const shown = approved.review as { approvedText: string; diff: string; reviewerId: string; reviewedAt: string };
    expect(shown.approvedText).toBe(editedText);
    expect(shown.diff).toContain(`+Addendum: ${PATIENT} to return sooner if short of breath.`);
    const stored = await system.runtime.ports.drafts.get(draftId);
    expect(stored?.review?.diff).toMatch(/\+Addendum: \[NAME_[A-Z0-9]+\]/);
    expect(JSON.stringify(stored)).not.toContain('Renner');
  });

  describe('review rules', () => {
    it('lets only the use case reviewers decide, and hides the draft from everyone else', async () => {
      const coding = await generated('billing', { useCase: 'coding-review', ...USE_CASES[6]?.body });
      const draftId = String(coding.draftId);
      const approve = { decision: 'approve', expectedVersion: coding.version };

      const nurse = await system.call('nurse', 'POST', `/v1/drafts/${draftId}/review`, approve);
      expect([nurse.status, nurse.body.error?.code]).toEqual([404, 'DRAFT_NOT_FOUND']);
      expect((await get('nurse', draftId)).status).toBe(404);
      const assistant = await system.call('medical-assistant', 'POST', `/v1/drafts/${draftId}/review`, approve);
      expect([assistant.status, assistant.body.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
      expect((await get('billing', draftId)).body.status).toBe('pending-review');
    });

    it('lets a requester who is no reviewer read their draft but not decide it', async () => {
      const summary = await generated('medical-assistant', {
        useCase: 'record-summary',
        input: { bundle: fixture('adult-hypertension-diabetes') },
        patientScope: SCOPE,
        purpose: 'treatment',
      });
      expect(summary.status).toBe('pending-review');
      const decision = await system.call('medical-assistant', 'POST', `/v1/drafts/${String(summary.draftId)}/review`, {
        decision: 'approve',
        expectedVersion: summary.version,
      });
      expect(decision.status).toBe(403);
    });

    it('keeps the text from a reviewer whose role may not see every category the draft was built from', async () => {
      await system.call('admin', 'PUT', `/v1/panels/${PHYSICIAN_ID}/patients/patient-scope-billing1`);
      const summary = await generated('physician', {
        useCase: 'record-summary',
        input: { bundle: fixture('pediatric-immunizations-billing') },
        patientScope: 'patient-scope-billing1',
        purpose: 'treatment',
      });
      const categories = (summary.evidence as { sources: { category: string }[] }).sources.map((s) => s.category);
      expect(categories).toContain('billing');
      expect(summary.text).toBeDefined();

      const asNurse = (await get('nurse', String(summary.draftId))).body;
      expect(asNurse).toMatchObject({ status: 'pending-review', textWithheld: 'CATEGORIES_BEYOND_ROLE' });
      expect(asNurse.text).toBeUndefined();
      expect(asNurse.content).toBeUndefined();
      const decision = await system.call('nurse', 'POST', `/v1/drafts/${String(summary.draftId)}/review`, {
        decision: 'approve',
        expectedVersion: summary.version,
      });
      expect([decision.status, decision.body.error?.code]).toEqual([403, 'DRAFT_BEYOND_ROLE']);
      const queue = await system.call('nurse', 'GET', '/v1/drafts?status=pending-review');
      expect((queue.body.drafts as { draftId: string }[]).map((d) => d.draftId)).not.toContain(summary.draftId);
    });

    it('answers a stale version with 409, and a repeated identical approval once, without a second event', async () => {
      const ready = await generated('nurse', SOAP_REQUEST);
      const draftId = String(ready.draftId);
      const path = `/v1/drafts/${draftId}/review`;

      const stale = await system.call('nurse', 'POST', path, {
        decision: 'approve',
        expectedVersion: Number(ready.version) - 1,
      });
      expect([stale.status, stale.body.error?.code]).toEqual([409, 'STALE_DRAFT_VERSION']);

      const approve = { decision: 'approve', expectedVersion: ready.version };
      const first = await system.call('nurse', 'POST', path, approve);
      const second = await system.call('nurse', 'POST', path, approve);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ ...first.body, replayed: true });
      expect(eventsOf(draftId).filter((type) => type === 'Draft.Approved')).toHaveLength(1);

      const other = await system.call('physician', 'POST', path, approve);
      expect([other.status, other.body.error?.code]).toEqual([409, 'STALE_DRAFT_VERSION']);
      const late = await system.call('physician', 'POST', path, {
        decision: 'reject',
        reason: 'x',
        expectedVersion: first.body.version,
      });
      expect([late.status, late.body.error?.code]).toEqual([409, 'DRAFT_NOT_REVIEWABLE']);
    });

    it('de-identifies a reviewer’s text only for a review it accepts', async () => {
      const ready = await generated('physician', SOAP_REQUEST);
      const path = `/v1/drafts/${String(ready.draftId)}/review`;
      const detect = vi.spyOn(system.runtime.ports.phiDetector, 'detect');
      const edited = { decision: 'approve', editedText: `${PATIENT} is better.` };
      const stale = await system.call('physician', 'POST', path, {
        ...edited,
        expectedVersion: Number(ready.version) - 1,
      });
      expect([stale.status, stale.body.error?.code]).toEqual([409, 'STALE_DRAFT_VERSION']);
      expect(detect).not.toHaveBeenCalled();

      const approved = await system.call('physician', 'POST', path, { ...edited, expectedVersion: ready.version });
      expect(approved.status).toBe(200);
      expect(detect).toHaveBeenCalled();
      detect.mockClear();
      const late = await system.call('nurse', 'POST', path, { ...edited, expectedVersion: approved.body.version });
      expect([late.status, late.body.error?.code]).toEqual([409, 'DRAFT_NOT_REVIEWABLE']);
      expect(detect).not.toHaveBeenCalled();
    });

    it('publishes Draft.Approved on a repeated approval when the first call stored it but the bus failed', async () => {
      const ready = await generated('physician', SOAP_REQUEST);
      const draftId = String(ready.draftId);
      const approve = { decision: 'approve', expectedVersion: ready.version };
      failPublishOnce('Draft.Approved');
      const first = await system.call('physician', 'POST', `/v1/drafts/${draftId}/review`, approve);
      expect(first.status).toBe(500);
      expect(eventsOf(draftId)).not.toContain('Draft.Approved');

      const repeat = await system.call('physician', 'POST', `/v1/drafts/${draftId}/review`, approve);
      expect(repeat.status).toBe(200);
      expect(repeat.body).toMatchObject({ status: 'approved', replayed: true });
      expect(eventsOf(draftId).filter((type) => type === 'Draft.Approved')).toHaveLength(1);
      await system.call('physician', 'POST', `/v1/drafts/${draftId}/review`, approve);
      expect(eventsOf(draftId).filter((type) => type === 'Draft.Approved')).toHaveLength(1);
    });

    it('keeps the reason of a rejection (tokenized at rest, re-identified for the reader), and needs one', async () => {
      const ready = await generated('physician', SOAP_REQUEST);
      const path = `/v1/drafts/${String(ready.draftId)}/review`;
      const missing = await system.call('physician', 'POST', path, {
        decision: 'reject',
        expectedVersion: ready.version,
      });
      expect([missing.status, missing.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);

      const reason = `The exam for ${PATIENT} is missing the oxygen saturation.`;
      const rejected = await system.call('physician', 'POST', path, {
        decision: 'reject',
        reason,
        expectedVersion: ready.version,
      });
      expect(rejected.body).toMatchObject({ status: 'rejected', decision: 'reject' });
      expect(((await get('physician', String(ready.draftId))).body.review as { reason: string }).reason).toBe(reason);
      expect(JSON.stringify(await system.runtime.ports.drafts.get(String(ready.draftId)))).not.toContain('Renner');
      expect(eventsOf(String(ready.draftId)).at(-1)).toBe('Draft.Rejected');
    });
  });

  describe('the review queue', () => {
    it("lists the caller's reviewable drafts without text; a physician sees only panel patients", async () => {
      const offPanel = await generated('nurse', {
        useCase: 'soap-note',
        input: { notes: NOTES },
        patientScope: 'patient-scope-offpanel',
        purpose: 'treatment',
      });
      const onPanel = await generated('nurse', SOAP_REQUEST);
      const coding = await generated('billing', { useCase: 'coding-review', ...USE_CASES[6]?.body });

      const queue = async (role: Role) => {
        const response = await system.call(role, 'GET', '/v1/drafts?status=pending-review');
        expect(response.status).toBe(200);
        expect(JSON.stringify(response.body)).not.toContain('Renner');
        return (response.body.drafts as { draftId: string }[]).map((draft) => draft.draftId);
      };
      const nurse = await queue('nurse');
      expect(nurse).toEqual(expect.arrayContaining([offPanel.draftId, onPanel.draftId]));
      expect(nurse).not.toContain(coding.draftId);
      const physician = await queue('physician');
      expect(physician).toContain(onPanel.draftId);
      expect(physician).not.toContain(offPanel.draftId);
      const billing = await queue('billing');
      expect(billing).toContain(coding.draftId);
      expect(billing).not.toContain(onPanel.draftId);
      expect(await queue('front-desk')).toEqual([]);

      // A page at a time: the token continues after the last draft of the page, and only a token it issued is taken.
      const ids = async (path: string) => {
        const response = await system.call('nurse', 'GET', path);
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        return response.body as { drafts: { draftId: string }[]; nextToken?: string };
      };
      const first = await ids('/v1/drafts?status=pending-review&limit=1');
      expect(first.drafts).toHaveLength(1);
      const second = await ids(`/v1/drafts?status=pending-review&limit=1&nextToken=${first.nextToken}`);
      expect(second.drafts).toHaveLength(1);
      expect(second.drafts[0]?.draftId).not.toBe(first.drafts[0]?.draftId);
      const forged = await system.call(
        'nurse',
        'GET',
        `/v1/drafts?nextToken=${Buffer.from('x').toString('base64url')}`,
      );
      expect([forged.status, forged.body.error?.code]).toEqual([400, 'INVALID_NEXT_TOKEN']);
    });
  });

  describe('psychotherapy notes and Part 2 records', () => {
    const protectedSummary = {
      useCase: 'record-summary',
      input: { bundle: fixture('behavioral-health-protected') },
      patientScope: 'patient-scope-protected1',
      purpose: 'treatment',
    };
    const promptsOf = (spy: { mock: { calls: unknown[][] } }) => JSON.stringify(spy.mock.calls);

    it('never reach the model without consent, and do once consent covers the use case', async () => {
      await system.call('admin', 'PUT', `/v1/panels/${PHYSICIAN_ID}/patients/patient-scope-protected1`);
      const complete = vi.spyOn(offline(), 'complete');
      const withheld = await generated('physician', protectedSummary);
      expect(withheld.status).toBe('pending-review');
      expect((withheld.evidence as { withheld: { byPolicy: string[] } }).withheld.byPolicy.sort()).toEqual([
        'psychotherapy',
        'substance-use',
      ]);
      expect(complete).toHaveBeenCalled();
      for (const phrase of ['transference', 'grief and family conflict', 'buprenorphine', 'opioid']) {
        expect(promptsOf(complete)).not.toContain(phrase);
      }

      complete.mockClear();
      await system.call(
        'admin',
        'PUT',
        '/v1/policy/models/offline-extractive',
        await offlineModelWith(system, ['psychotherapy', 'substance-use']),
      );
      for (const category of ['psychotherapy', 'substance-use']) {
        const consent = await system.call('physician', 'POST', '/v1/consents', {
          patientScope: 'patient-scope-protected1',
          category,
          useCases: ['record-summary'],
          grantedOn: '2026-01-01',
        });
        expect(consent.status).toBe(201);
      }
      const included = await generated('physician', protectedSummary);
      expect(included.status).toBe('pending-review');
      expect((included.evidence as { withheld: { byPolicy: string[] } }).withheld.byPolicy).toEqual([]);
      expect(promptsOf(complete)).toContain('transference');
      expect(promptsOf(complete)).toContain('buprenorphine');
    });
  });

  describe('generation failures', () => {
    const junk: ModelReply = {
      text: 'Here is your note: it went fine.',
      usage: { inputTokens: 10, outputTokens: 5 },
      latencyMs: 1,
      stopReason: 'end_turn',
      client: 'offline',
    };
    const soap = { useCase: 'soap-note', input: { notes: NOTES }, patientScope: SCOPE, purpose: 'treatment' };

    it('retries a reply that fails the output schema once, then fails the draft with OUTPUT_SCHEMA_INVALID', async () => {
      const complete = vi.spyOn(offline(), 'complete').mockResolvedValue(junk);
      const failed = await generated('physician', soap);
      expect(complete).toHaveBeenCalledTimes(2);
      expect(failed).toMatchObject({ status: 'failed', failureReason: 'OUTPUT_SCHEMA_INVALID' });
      expect(failed.text).toBeUndefined();
      const draftId = String(failed.draftId);
      expect(eventsOf(draftId)).toEqual(['Draft.Requested', 'Draft.Failed']);
      expect(
        events.find((event) => event.detail.draftId === draftId && event['detail-type'] === 'Draft.Failed')?.detail,
      ).toEqual({
        draftId,
        useCase: 'soap-note',
        reason: 'OUTPUT_SCHEMA_INVALID',
      });
    });

    it('accepts a good second reply after a bad first one', async () => {
      vi.spyOn(offline(), 'complete').mockResolvedValueOnce(junk);
      const ready = await generated('physician', soap);
      expect(ready.status).toBe('pending-review');
    });

    it('quarantines a reply carrying an identifier that is not a token', async () => {
      vi.spyOn(offline(), 'complete').mockResolvedValue({
        ...junk,
        text: 'Call Mr. Bradley Hofstetter at 617-555-0123.',
      });
      const quarantined = await generated('physician', soap);
      expect(quarantined).toMatchObject({ status: 'quarantined', failureReason: 'OUTPUT_QUARANTINED' });
      expect(JSON.stringify(quarantined)).not.toContain('Hofstetter');
    });

    it('fails the draft with MODEL_UNAVAILABLE when the model cannot be reached', async () => {
      vi.spyOn(offline(), 'complete').mockRejectedValue(new Error('connection reset'));
      const failed = await generated('physician', soap);
      expect(failed).toMatchObject({ status: 'failed', failureReason: 'MODEL_UNAVAILABLE' });
    });
  });

  describe('requests', () => {
    const storedDrafts = async () =>
      (await system.runtime.ports.tables.client.send(new ScanCommand({ TableName: 'drafts', Select: 'COUNT' }))).Count;

    it('rejects bad requests with a clear code and stores nothing', async () => {
      const before = events.length;
      const draftsBefore = await storedDrafts();
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ useCase: 'knowledge-answer', input: {}, purpose: 'treatment' }, 400, 'VALIDATION_FAILED'],
        [
          {
            useCase: 'record-summary',
            input: { bundle: fixture('adult-hypertension-diabetes') },
            purpose: 'treatment',
          },
          400,
          'VALIDATION_FAILED',
        ],
        [
          {
            useCase: 'record-summary',
            input: { bundle: { resourceType: 'Bundle', type: 'nonsense' } },
            patientScope: SCOPE,
            purpose: 'treatment',
          },
          400,
          'INVALID_FHIR_BUNDLE',
        ],
        [
          {
            useCase: 'soap-note',
            input: { notes: NOTES },
            patientScope: 'patient-scope-notmine',
            purpose: 'treatment',
          },
          403,
          'NOT_ON_PANEL',
        ],
      ];
      for (const [body, status, code] of cases) {
        const response = await request('physician', body);
        expect([response.status, response.body.error?.code], JSON.stringify(body).slice(0, 80)).toEqual([status, code]);
        expect(JSON.stringify(response.body)).not.toContain('Renner');
      }
      const denied = await request('front-desk', SOAP_REQUEST);
      expect([denied.status, denied.body.error?.code]).toEqual([403, 'USE_CASE_NOT_PERMITTED']);
      expect(events.length).toBe(before);
      expect(await storedDrafts()).toBe(draftsBefore);
    });

    it('generates once per event: a replayed Draft.Requested neither calls the model nor emits again', async () => {
      const ready = await generated('physician', SOAP_REQUEST);
      const complete = vi.spyOn(offline(), 'complete');
      const readyEvents = events.filter((event) => event['detail-type'] === 'Draft.Ready').length;
      expect(system.runtime.bus.replay(patternFor(DraftRequested))).toBeGreaterThan(0);
      await system.runtime.bus.idle();
      expect(complete).not.toHaveBeenCalled();
      expect(events.filter((event) => event['detail-type'] === 'Draft.Ready')).toHaveLength(readyEvents);
      expect((await get('physician', String(ready.draftId))).body).toMatchObject({
        status: 'pending-review',
        version: 3,
      });
    });

    it('returns the same draft for a retried request with the same idempotency key', async () => {
      const body = {
        useCase: 'soap-note',
        input: { notes: NOTES },
        patientScope: SCOPE,
        purpose: 'treatment',
        idempotencyKey: 'retry-key-0001',
      };
      const first = await request('physician', body);
      const retry = await request('physician', body);
      expect(first.status).toBe(202);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ draftId: first.body.draftId, replayed: true });
      expect(eventsOf(String(first.body.draftId)).filter((type) => type === 'Draft.Requested')).toHaveLength(1);
      const reused = await request('physician', { ...body, useCase: 'referral-summary', input: { keyDetails: 'x' } });
      expect([reused.status, reused.body.error?.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      // The same use case with another input (or patient) is another request too.
      for (const changed of [
        { ...body, input: { notes: `${NOTES} Also a rash.` } },
        { ...body, patientScope: 'patient-scope-other1' },
      ]) {
        const mismatch = await request('physician', changed);
        expect([mismatch.status, mismatch.body.error?.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
      }
    });

    it('starts a new attempt for a key whose draft failed for a transient cause, not the dead draft', async () => {
      const body = {
        useCase: 'soap-note',
        input: { notes: NOTES },
        patientScope: SCOPE,
        purpose: 'treatment',
        idempotencyKey: 'retry-key-0002',
      };
      failPublishOnce('Draft.Requested');
      const first = await request('physician', body);
      expect(first.status).toBe(500);
      vi.restoreAllMocks();
      const [dead] =
        (await system.runtime.ports.tables.client.send(new ScanCommand({ TableName: 'drafts' }))).Items?.map(
          (item) => JSON.parse(gunzipSync(item.record?.B as Uint8Array).toString('utf8')) as Record<string, unknown>,
        ).filter((draft) => draft.idempotencyKey === 'retry-key-0002') ?? [];
      expect(dead).toMatchObject({ status: 'failed', failure: { reason: 'EVENT_PUBLISH_FAILED' }, attempt: 0 });

      const retry = await request('physician', body);
      expect(retry.status, JSON.stringify(retry.body)).toBe(202);
      expect(retry.body).toMatchObject({ replayed: false, status: 'requested' });
      expect(retry.body.draftId).not.toBe(dead?.draftId);
      expect((await get('physician', String(retry.body.draftId))).body).toMatchObject({ status: 'pending-review' });
      // And from then on the key answers with the new draft.
      const again = await request('physician', body);
      expect(again.body).toMatchObject({ draftId: retry.body.draftId, replayed: true });
    });

    it('starts a new attempt for a key whose draft failed because the reply could not be scanned', async () => {
      const body = {
        useCase: 'soap-note',
        input: { notes: NOTES },
        patientScope: SCOPE,
        purpose: 'treatment',
        idempotencyKey: 'retry-key-deid-0001',
      };
      const detector = system.runtime.ports.phiDetector;
      const detect = detector.detect.bind(detector);
      // Only the model's reply is a JSON object of sections: the detector is down exactly for the output check.
      const outage = vi.spyOn(detector, 'detect').mockImplementation(async (text, signal) => {
        if (text.includes('"sections"')) throw new Error('detector unavailable');
        return detect(text, signal);
      });
      const first = await request('physician', body);
      expect((await get('physician', String(first.body.draftId))).body).toMatchObject({
        status: 'failed',
        failureReason: 'DEID_FAILED',
      });
      outage.mockRestore();

      const retry = await request('physician', body);
      expect(retry.body).toMatchObject({ replayed: false });
      expect(retry.body.draftId).not.toBe(first.body.draftId);
      expect((await get('physician', String(retry.body.draftId))).body).toMatchObject({ status: 'pending-review' });
    });

    it('answers a failed publish with its own error even when closing the draft loses a race', async () => {
      failPublishOnce('Draft.Requested');
      const drafts = system.runtime.ports.drafts;
      vi.spyOn(drafts, 'replace').mockRejectedValueOnce(new StaleDraftVersion());
      const response = await request('physician', {
        useCase: 'soap-note',
        input: { notes: NOTES },
        patientScope: SCOPE,
        purpose: 'treatment',
        idempotencyKey: 'retry-key-0003',
      });
      expect([response.status, response.body.error?.code]).not.toEqual([409, 'STALE_DRAFT_VERSION']);
      expect(response.status).toBe(500);
    });

    it('fails a draft stuck in generating when the sweeper schedule runs, and tells the bus', async () => {
      const accepted = await request('physician', SOAP_REQUEST);
      const draftId = String(accepted.body.draftId);
      const { drafts } = system.runtime.ports;
      const ready = await drafts.get(draftId);
      if (!ready) throw new Error('the draft was not stored');
      // As a generation that died an hour ago would have left it (the in-process bus cannot be made to do that).
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const stuck = { ...ready, status: 'generating' as const, version: ready.version + 1, updatedAt: hourAgo };
      await drafts.replace(stuck, ready.version);

      await system.runtime.scheduler.runNow('draft-sweeper');
      await system.runtime.bus.idle();
      expect(await drafts.get(draftId)).toMatchObject({
        status: 'failed',
        failure: { reason: 'GENERATION_TIMED_OUT' },
      });
      expect(eventsOf(draftId).at(-1)).toBe('Draft.Failed');
    });

    it('stores no PHI: the gunzipped item of a real request holds tokens where the name was', async () => {
      const accepted = await request('physician', SOAP_REQUEST);
      expect(accepted.status).toBe(202);
      const { Item } = await system.runtime.ports.tables.client.send(
        new GetItemCommand({ TableName: 'drafts', Key: { draftId: { S: String(accepted.body.draftId) } } }),
      );
      const stored = gunzipSync(Item?.record?.B as Uint8Array).toString('utf8');
      expect(stored).toContain('productive cough');
      expect(stored).not.toContain('Renner');
      expect(stored).not.toContain('Tobias');
      expect(stored).toMatch(/\[NAME_[A-Z0-9]+\]/);
    });
  });
});
