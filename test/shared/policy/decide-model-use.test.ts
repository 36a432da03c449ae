import { describe, expect, it } from 'vitest';
import { Forbidden } from '../../../shared/errors/domain-errors.ts';
import type { DataCategory } from '../../../shared/identity/minimum-necessary.ts';
import type { ApprovedModel } from '../../../shared/policy/approved-model.ts';
import type { Consent } from '../../../shared/policy/consent.ts';
import { decideModelUse, type ModelUseRequest } from '../../../shared/policy/decide-model-use.ts';
import { approvedModel, consent, InMemoryPolicyStore, policyVersion } from './policy-fakes.ts';

const NOW = new Date('2026-03-15T14:00:00Z');
const SCOPE = 'scope-0001';

function arrange(setup: { models?: ApprovedModel[]; consents?: Consent[]; attestedTo?: string | null } = {}) {
  const store = new InMemoryPolicyStore();
  store.current = policyVersion('2026-02');
  for (const model of setup.models ?? [approvedModel()]) store.models.set(model.id, model);
  for (const granted of setup.consents ?? []) store.consents.set(`${granted.patientScope}|${granted.id}`, granted);
  const attestedTo = setup.attestedTo === undefined ? '2026-02' : setup.attestedTo;
  if (attestedTo !== null) {
    store.attestations.set(`user-1|${attestedTo}`, {
      userId: 'user-1',
      policyVersion: attestedTo,
      attestedAt: '2026-02-02T08:00:00.000Z',
      expiresAt: 1_959_000_000,
    });
  }
  return { store };
}

const request = (overrides: Partial<ModelUseRequest> = {}): ModelUseRequest => ({
  useCase: 'record-summary',
  requestedCategories: ['clinical', 'medications'],
  userId: 'user-1',
  patientScope: SCOPE,
  now: NOW,
  ...overrides,
});

async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Forbidden);
  const { code, status } = error as Forbidden;
  return { code, status };
}

describe('decideModelUse', () => {
  describe('allows', () => {
    it('the active approved model with every requested category when nothing is specially protected', async () => {
      const decision = await decideModelUse(request(), arrange());

      expect(decision).toEqual({
        allowed: true,
        model: approvedModel(),
        categories: ['clinical', 'medications'],
        excluded: [],
      });
    });

    it('a request that carries no record data at all', async () => {
      const decision = await decideModelUse(request({ requestedCategories: [] }), arrange());
      expect(decision.categories).toEqual([]);
      expect(decision.model.id).toBe('claude-bedrock');
    });

    it('an offline model without a BAA, since it discloses nothing to a vendor', async () => {
      const offline = approvedModel({ id: 'local-llm', client: 'offline', baa: { inPlace: false } });
      const decision = await decideModelUse(request(), arrange({ models: [offline] }));
      expect(decision.model.id).toBe('local-llm');
    });

    it('a model whose review is due today (overdue only from tomorrow)', async () => {
      const dueToday = approvedModel({ nextReviewOn: '2026-03-15' });
      const decision = await decideModelUse(request(), arrange({ models: [dueToday] }));
      expect(decision.model.nextReviewOn).toBe('2026-03-15');
    });
  });

  describe('removes specially protected categories', () => {
    const permitsAll = approvedModel({
      permittedDataCategories: ['clinical', 'medications', 'notes', 'psychotherapy', 'substance-use'],
    });
    const protectedRequest = request({ requestedCategories: ['clinical', 'psychotherapy', 'substance-use'] });

    it('when no consent is on file, and reports them as excluded', async () => {
      const decision = await decideModelUse(protectedRequest, arrange({ models: [permitsAll] }));

      expect(decision.categories).toEqual(['clinical']);
      expect(decision.excluded).toEqual(['psychotherapy', 'substance-use']);
    });

    it('keeps the one a consent covers for this patient and use case, and removes the other', async () => {
      const decision = await decideModelUse(protectedRequest, arrange({ models: [permitsAll], consents: [consent()] }));

      expect(decision.categories).toEqual(['clinical', 'psychotherapy']);
      expect(decision.excluded).toEqual(['substance-use']);
    });

    it.each<[string, Partial<Consent>]>([
      ['covers another use case', { useCases: ['soap-note'] }],
      ['belongs to another patient', { patientScope: 'scope-0002' }],
      ['covers the other category', { category: 'substance-use' }],
      ['starts tomorrow', { grantedOn: '2026-03-16' }],
      ['expired yesterday', { expiresOn: '2026-03-14' }],
      ['was revoked today', { revokedOn: '2026-03-15', revokedBy: 'nurse-1', revokedAt: '2026-03-15T09:00:00Z' }],
    ])('when the only consent %s', async (_, overrides) => {
      const decision = await decideModelUse(
        request({ requestedCategories: ['clinical', 'psychotherapy'] }),
        arrange({ models: [permitsAll], consents: [consent(overrides)] }),
      );
      expect(decision.excluded).toEqual(['psychotherapy']);
    });

    it('keeps a consented category on its last day', async () => {
      const decision = await decideModelUse(
        request({ requestedCategories: ['psychotherapy'] }),
        arrange({ models: [permitsAll], consents: [consent({ expiresOn: '2026-03-15' })] }),
      );
      expect(decision.categories).toEqual(['psychotherapy']);
    });

    it('when the request names no patient scope, whatever consents exist', async () => {
      const { patientScope: _, ...withoutScope } = request({ requestedCategories: ['clinical', 'psychotherapy'] });
      const decision = await decideModelUse(withoutScope, arrange({ models: [permitsAll], consents: [consent()] }));
      expect(decision.excluded).toEqual(['psychotherapy']);
    });

    it('and refuses with CATEGORY_EXCLUDED when nothing else was requested', async () => {
      const refusal = await refusalOf(
        decideModelUse(request({ requestedCategories: ['psychotherapy', 'substance-use'] }), arrange()),
      );
      expect(refusal).toEqual({ code: 'CATEGORY_EXCLUDED', status: 403 });
    });
  });

  describe('chooses deterministically', () => {
    it('the model whose next review is furthest away, then the smallest id', async () => {
      const models = [
        approvedModel({ id: 'b-model', nextReviewOn: '2026-12-31' }),
        approvedModel({ id: 'a-model', nextReviewOn: '2026-12-31' }),
        approvedModel({ id: 'c-model', nextReviewOn: '2026-06-30' }),
      ];
      for (const order of [models, [...models].reverse()]) {
        const decision = await decideModelUse(request(), arrange({ models: order }));
        expect(decision.model.id).toBe('a-model');
      }
    });

    it('passing over models that lack a BAA, are overdue or do not permit a requested category', async () => {
      const models = [
        approvedModel({ id: 'no-baa', nextReviewOn: '2027-06-30', baa: { inPlace: false } }),
        approvedModel({ id: 'overdue', nextReviewOn: '2026-03-14' }),
        approvedModel({ id: 'narrow', nextReviewOn: '2027-03-31', permittedDataCategories: ['clinical'] }),
        approvedModel({ id: 'fits', nextReviewOn: '2026-09-30' }),
      ];
      const decision = await decideModelUse(request(), arrange({ models }));
      expect(decision.model.id).toBe('fits');
    });
  });

  describe('refuses', () => {
    it('with ATTESTATION_REQUIRED when the user attested only to an earlier policy version', async () => {
      const refusal = await refusalOf(decideModelUse(request(), arrange({ attestedTo: '2026-01' })));
      expect(refusal).toEqual({ code: 'ATTESTATION_REQUIRED', status: 403 });
    });

    it('with ATTESTATION_REQUIRED when no policy version is published (fail closed)', async () => {
      const ports = arrange();
      ports.store.current = undefined;
      expect((await refusalOf(decideModelUse(request(), ports))).code).toBe('ATTESTATION_REQUIRED');
    });

    it('with ATTESTATION_REQUIRED before looking at models or categories', async () => {
      const ports = arrange({ models: [], attestedTo: null });
      expect((await refusalOf(decideModelUse(request(), ports))).code).toBe('ATTESTATION_REQUIRED');
    });

    it('with MODEL_NOT_APPROVED when no active model permits the use case', async () => {
      const models = [
        approvedModel({ id: 'letters', permittedUseCases: ['appeal-letter'] }),
        approvedModel({ id: 'retired', status: 'retired' }),
      ];
      const refusal = await refusalOf(decideModelUse(request(), arrange({ models })));
      expect(refusal).toEqual({ code: 'MODEL_NOT_APPROVED', status: 403 });
    });

    it('with BAA_MISSING when the only candidate model lacks a BAA', async () => {
      const models = [approvedModel({ baa: { inPlace: false } })];
      const refusal = await refusalOf(decideModelUse(request(), arrange({ models })));
      expect(refusal).toEqual({ code: 'BAA_MISSING', status: 403 });
    });

    it.each([
      ['dated tomorrow', { inPlace: true, executedOn: '2026-03-16' }],
      ['dated far ahead', { inPlace: true, executedOn: '2099-01-01' }],
      ['recorded in place without a date (fail closed)', { inPlace: true }],
    ])('with BAA_MISSING when the BAA is %s', async (_, baa) => {
      const models = [approvedModel({ baa })];
      const refusal = await refusalOf(decideModelUse(request(), arrange({ models })));
      expect(refusal).toEqual({ code: 'BAA_MISSING', status: 403 });
    });

    it('with BAA_MISSING before the day the BAA was executed, and allows from that UTC day on', async () => {
      const ports = arrange({ models: [approvedModel({ baa: { inPlace: true, executedOn: '2026-03-16' } })] });
      const eve = new Date('2026-03-15T23:59:59.999Z');
      expect((await refusalOf(decideModelUse(request({ now: eve }), ports))).code).toBe('BAA_MISSING');

      const decision = await decideModelUse(request({ now: new Date('2026-03-16T00:00:00Z') }), ports);
      expect(decision.model.id).toBe('claude-bedrock');
    });

    it('with REVIEW_OVERDUE when the model was due for review yesterday', async () => {
      const models = [approvedModel({ nextReviewOn: '2026-03-14' })];
      const refusal = await refusalOf(decideModelUse(request(), arrange({ models })));
      expect(refusal).toEqual({ code: 'REVIEW_OVERDUE', status: 403 });
    });

    it.each<[DataCategory[], string]>([
      [['clinical', 'billing'], 'an ordinary category'],
      [['clinical', 'psychotherapy'], 'a consented, specially protected category'],
    ])('with CATEGORY_NOT_PERMITTED when %j includes %s the model is not permitted', async (categories) => {
      const error = await decideModelUse(
        request({ requestedCategories: categories }),
        arrange({ consents: [consent()] }),
      ).catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(Forbidden);
      expect(error).toMatchObject({ code: 'CATEGORY_NOT_PERMITTED', details: { categories: [categories[1]] } });
    });
  });

  it('never echoes the patient scope or user id in a refusal', async () => {
    const error = await decideModelUse(request(), arrange({ attestedTo: null })).catch((thrown: unknown) => thrown);
    expect(JSON.stringify({ message: (error as Error).message, details: (error as Forbidden).details })).not.toMatch(
      /scope-0001|user-1/,
    );
  });
});
