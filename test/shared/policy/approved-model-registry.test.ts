import { describe, expect, it } from 'vitest';
import { Conflict, NotFound, ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { ApprovedModelInput } from '../../../shared/policy/approved-model.ts';
import {
  getApprovedModel,
  listApprovedModels,
  listApprovedModelVersions,
  retireApprovedModel,
  upsertApprovedModel,
} from '../../../shared/policy/approved-model-registry.ts';
import { approvedModel, fixedClock, InMemoryPolicyStore } from './policy-fakes.ts';

function arrange() {
  return { store: new InMemoryPolicyStore(), clock: fixedClock('2026-02-01T10:00:00Z') };
}

/** The upsert body for a model: the record without its audit fields. */
function input(overrides: Partial<ApprovedModelInput> = {}): ApprovedModelInput {
  const { version: _v, updatedAt: _a, updatedBy: _b, ...fields } = approvedModel();
  return { ...fields, ...overrides };
}

describe('approved model registry', () => {
  describe('upsertApprovedModel', () => {
    it('creates version 1 with the audit fields and no expected version', async () => {
      const ports = arrange();
      const created = await upsertApprovedModel(input(), 'admin-2', ports);

      expect(created).toMatchObject({ version: 1, status: 'active', updatedBy: 'admin-2' });
      expect(created.updatedAt).toBe('2026-02-01T10:00:00.000Z');
      expect(await getApprovedModel('claude-bedrock', ports)).toEqual(created);
    });

    it('replaces the model when given the current version, and counts up', async () => {
      const ports = arrange();
      await upsertApprovedModel(input(), 'admin-1', ports);
      const updated = await upsertApprovedModel(input({ nextReviewOn: '2027-01-31', expectedVersion: 1 }), 'a', ports);

      expect(updated).toMatchObject({ version: 2, nextReviewOn: '2027-01-31' });
    });

    it.each([
      ['no expected version for a stored model', undefined],
      ['a stale expected version', 1],
      ['a version from the future', 7],
    ])('refuses with 409 VERSION_CONFLICT given %s', async (_, expectedVersion) => {
      const ports = arrange();
      await upsertApprovedModel(input(), 'admin-1', ports);
      await upsertApprovedModel(input({ expectedVersion: 1 }), 'admin-1', ports);

      const error = await upsertApprovedModel(input({ expectedVersion }), 'admin-1', ports).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ code: 'VERSION_CONFLICT', status: 409 });
      expect((await getApprovedModel('claude-bedrock', ports)).version).toBe(2);
    });

    it('refuses with VERSION_CONFLICT when a concurrent writer wins between the read and the write', async () => {
      const ports = arrange();
      await upsertApprovedModel(input(), 'admin-1', ports);
      const racing = { ...ports, store: Object.create(ports.store) as InMemoryPolicyStore };
      racing.store.putModel = async (model, expected) => {
        await ports.store.putModel({ ...model, reviewer: 'someone-else' }, expected);
        return ports.store.putModel(model, expected);
      };

      await expect(upsertApprovedModel(input({ expectedVersion: 1 }), 'a', racing)).rejects.toMatchObject({
        code: 'VERSION_CONFLICT',
      });
    });

    it('keeps a retired model retired when an update gives no status, and re-activates it only when told', async () => {
      const ports = arrange();
      await upsertApprovedModel(input({ status: undefined }), 'admin-1', ports);
      await retireApprovedModel('claude-bedrock', 1, 'privacy-officer-1', ports);
      const notes = { ...input().vetting, notes: 'BAA terminated 2026-01-30' };

      const edited = await upsertApprovedModel(
        ApprovedModelInput.parse(input({ status: undefined, vetting: notes, expectedVersion: 2 })),
        'admin-1',
        ports,
      );
      expect(edited).toMatchObject({ status: 'retired', version: 3, vetting: { notes: 'BAA terminated 2026-01-30' } });

      const reactivated = await upsertApprovedModel(input({ status: 'active', expectedVersion: 3 }), 'admin-1', ports);
      expect(reactivated).toMatchObject({ status: 'active', version: 4 });
    });

    it('refuses a BAA recorded as in place without its execution date', async () => {
      const error = await upsertApprovedModel(input({ baa: { inPlace: true } }), 'admin-1', arrange()).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error).toMatchObject({ code: 'BAA_DATE_REQUIRED' });
    });

    it('records a model without a BAA, so the inventory stays truthful (the decision refuses it)', async () => {
      const created = await upsertApprovedModel(input({ baa: { inPlace: false } }), 'admin-1', arrange());
      expect(created.baa.inPlace).toBe(false);
    });

    it('stores each permitted use case and category once', async () => {
      const created = await upsertApprovedModel(
        input({ permittedUseCases: ['soap-note', 'soap-note'], permittedDataCategories: ['labs', 'labs', 'notes'] }),
        'admin-1',
        arrange(),
      );
      expect(created.permittedUseCases).toEqual(['soap-note']);
      expect(created.permittedDataCategories).toEqual(['labs', 'notes']);
    });
  });

  describe('the input schema', () => {
    it('leaves an absent status absent (the upsert decides) and rejects unknown fields and bad slugs', () => {
      expect(ApprovedModelInput.parse(input({ status: undefined })).status).toBeUndefined();
      expect(ApprovedModelInput.safeParse({ ...input(), surprise: true }).success).toBe(false);
      expect(ApprovedModelInput.safeParse(input({ id: 'Not A Slug' })).success).toBe(false);
      expect(ApprovedModelInput.safeParse(input({ permittedUseCases: [] })).success).toBe(false);
    });
  });

  describe('getApprovedModel', () => {
    it('refuses an unknown id with 404 MODEL_NOT_FOUND', async () => {
      const error = await getApprovedModel('nope', arrange()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFound);
      expect(error).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    });
  });

  describe('listApprovedModels', () => {
    it('lists every model by id, or only those with a status', async () => {
      const ports = arrange();
      await upsertApprovedModel(input({ id: 'zeta' }), 'admin-1', ports);
      await upsertApprovedModel(input({ id: 'alpha', status: 'retired' }), 'admin-1', ports);

      expect((await listApprovedModels({}, ports)).map((model) => model.id)).toEqual(['alpha', 'zeta']);
      expect((await listApprovedModels({ status: 'active' }, ports)).map((model) => model.id)).toEqual(['zeta']);
    });
  });

  describe('listApprovedModelVersions', () => {
    it('keeps every version readable, oldest first, through updates and a retirement', async () => {
      const ports = arrange();
      await upsertApprovedModel(input({ baa: { inPlace: false } }), 'admin-1', ports);
      ports.clock.set('2026-02-02T10:00:00Z');
      await upsertApprovedModel(input({ expectedVersion: 1 }), 'admin-2', ports);
      ports.clock.set('2026-02-03T10:00:00Z');
      await retireApprovedModel('claude-bedrock', 2, 'privacy-officer-1', ports);

      const versions = await listApprovedModelVersions('claude-bedrock', ports);
      expect(versions.map(({ version, status, baa, updatedBy }) => [version, status, baa.inPlace, updatedBy])).toEqual([
        [1, 'active', false, 'admin-1'],
        [2, 'active', true, 'admin-2'],
        [3, 'retired', true, 'privacy-officer-1'],
      ]);
      expect(versions.at(-1)).toEqual(await getApprovedModel('claude-bedrock', ports));
    });

    it('lists only the other versions of the store, never the one of another model', async () => {
      const ports = arrange();
      await upsertApprovedModel(input({ id: 'alpha' }), 'admin-1', ports);
      await upsertApprovedModel(input({ id: 'alpha', expectedVersion: 1 }), 'admin-1', ports);
      await upsertApprovedModel(input({ id: 'alphabet' }), 'admin-1', ports);

      expect((await listApprovedModelVersions('alphabet', ports)).map((model) => model.version)).toEqual([1]);
    });

    it('refuses an unknown id with 404 MODEL_NOT_FOUND', async () => {
      await expect(listApprovedModelVersions('nope', arrange())).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    });
  });

  describe('retireApprovedModel', () => {
    it('retires at the current version and counts up', async () => {
      const ports = arrange();
      await upsertApprovedModel(input(), 'admin-1', ports);
      const retired = await retireApprovedModel('claude-bedrock', 1, 'admin-2', ports);

      expect(retired).toMatchObject({ status: 'retired', version: 2, updatedBy: 'admin-2' });
      expect((await getApprovedModel('claude-bedrock', ports)).status).toBe('retired');
    });

    it('changes nothing when the model is already retired at that version', async () => {
      const ports = arrange();
      await upsertApprovedModel(input({ status: 'retired' }), 'admin-1', ports);
      expect(await retireApprovedModel('claude-bedrock', 1, 'admin-2', ports)).toMatchObject({ version: 1 });
    });

    it('refuses a stale version with VERSION_CONFLICT and an unknown model with MODEL_NOT_FOUND', async () => {
      const ports = arrange();
      await upsertApprovedModel(input(), 'admin-1', ports);
      await expect(retireApprovedModel('claude-bedrock', 2, 'a', ports)).rejects.toMatchObject({
        code: 'VERSION_CONFLICT',
      });
      await expect(retireApprovedModel('other', 1, 'a', ports)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    });
  });
});
