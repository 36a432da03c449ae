import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

/** The approved-model inventory through the running system: its version history and the audit of each change. */
describe('approved-model registry routes', () => {
  let system: RunningSystem;
  const MODEL = '/v1/policy/models/offline-extractive';

  /** The seeded offline model as a PUT body: the stored record without its audit fields, at its current version. */
  const currentBody = async () => {
    const listed = await system.call('admin', 'GET', '/v1/policy/models');
    const stored = (listed.body.models as Record<string, unknown>[]).find((model) => model.id === 'offline-extractive');
    const { version, updatedBy: _, updatedAt: __, ...fields } = stored as Record<string, unknown>;
    return { fields, expectedVersion: Number(version) };
  };

  beforeAll(async () => {
    system = await startRunningSystem();
  });
  afterAll(async () => system?.stop());

  it('keeps both versions of two PUTs readable through ?historyOf, and names the model in their audit records', async () => {
    const seeded = await currentBody();
    const before = system.audit.length;
    const first = await system.call('admin', 'PUT', MODEL, {
      ...seeded.fields,
      baa: { inPlace: true, executedOn: '2026-01-01' },
      expectedVersion: seeded.expectedVersion,
    });
    expect(first.status).toBe(200);
    const second = await system.call('privacy-officer', 'PUT', MODEL, {
      ...seeded.fields,
      expectedVersion: first.body.version,
    });
    expect(second.status).toBe(200);

    const history = await system.call('nurse', 'GET', '/v1/policy/models?historyOf=offline-extractive');
    expect(history.status).toBe(200);
    const versions = history.body.versions as { version: number; baa: { inPlace: boolean }; updatedBy: string }[];
    expect(versions.map(({ version, baa, updatedBy }) => [version, baa.inPlace, updatedBy])).toEqual([
      [seeded.expectedVersion, false, 'local-runtime-seed'],
      [seeded.expectedVersion + 1, true, 'local-test.admin'],
      [seeded.expectedVersion + 2, false, 'local-test.privacy-officer'],
    ]);

    const changes = system.audit.slice(before).filter((entry) => entry.action === 'policy.manage');
    expect(changes.map((entry) => [entry.actor.userId, entry.outcome, entry.resource.approvedModelId])).toEqual([
      ['local-test.admin', 'allowed', 'offline-extractive'],
      ['local-test.privacy-officer', 'allowed', 'offline-extractive'],
    ]);
  });

  it('names the model in the audit record of a retirement, which a later PUT without status does not undo', async () => {
    const current = await currentBody();
    const before = system.audit.length;
    const retired = await system.call('admin', 'POST', `${MODEL}/retire`, {
      expectedVersion: current.expectedVersion,
    });
    expect(retired.status).toBe(200);
    expect(system.audit.slice(before)).toEqual([
      expect.objectContaining({
        action: 'policy.manage',
        outcome: 'allowed',
        resource: { approvedModelId: 'offline-extractive' },
      }),
    ]);

    const { status: _, ...withoutStatus } = current.fields;
    const edited = await system.call('admin', 'PUT', MODEL, {
      ...withoutStatus,
      vetting: { ...(withoutStatus.vetting as object), notes: 'Kept for the record' },
      expectedVersion: retired.body.version,
    });
    expect(edited.body).toMatchObject({ status: 'retired', version: Number(retired.body.version) + 1 });
  });

  it('refuses ?historyOf for an unknown model with 404 and combined with ?status with 400', async () => {
    const unknown = await system.call('nurse', 'GET', '/v1/policy/models?historyOf=no-such-model');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('MODEL_NOT_FOUND');
    const combined = await system.call('nurse', 'GET', '/v1/policy/models?historyOf=offline-extractive&status=active');
    expect(combined.status).toBe(400);
  });

  it('answers 409 to a policy version label published before', async () => {
    expect(
      (await system.call('admin', 'PUT', '/v1/policy/version', { version: 'r-2', effectiveOn: '2026-01-01' })).status,
    ).toBe(200);
    expect(
      (await system.call('admin', 'PUT', '/v1/policy/version', { version: 'r-3', effectiveOn: '2026-01-01' })).status,
    ).toBe(200);
    const again = await system.call('admin', 'PUT', '/v1/policy/version', {
      version: 'r-2',
      effectiveOn: '2026-01-01',
    });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('POLICY_VERSION_EXISTS');
  });
});
