import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

describe('panel routes', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startRunningSystem();
  });
  afterAll(async () => system?.stop());

  it('lets an admin add, list and remove panel members, idempotently, with an audit record each', async () => {
    const path = '/v1/panels/dr.osei/patients/patient-scope-901';
    expect((await system.call('admin', 'PUT', path)).status).toBe(200);
    expect((await system.call('admin', 'PUT', path)).status).toBe(200);
    expect((await system.call('admin', 'GET', '/v1/panels/dr.osei')).body.patientScopes).toEqual(['patient-scope-901']);

    expect((await system.call('admin', 'DELETE', path)).status).toBe(200);
    const again = await system.call('admin', 'DELETE', path);
    expect(again.status).toBe(404);
    expect(again.body.error?.code).toBe('NOT_ON_PANEL');
    expect((await system.call('admin', 'GET', '/v1/panels/dr.osei')).body.patientScopes).toEqual([]);

    const changes = system.audit.filter((entry) => entry.action === 'panel.write');
    expect(changes.map((entry) => [entry.outcome, entry.resource.patientScope])).toEqual([
      ['allowed', 'patient-scope-901'],
      ['allowed', 'patient-scope-901'],
      ['allowed', 'patient-scope-901'],
      ['allowed', 'patient-scope-901'],
      // The second removal was decided, then found nothing to remove: the failure names the same patient scope.
      ['failed', 'patient-scope-901'],
    ]);
  });

  it('refuses panel changes to everyone but admins', async () => {
    for (const role of ['physician', 'privacy-officer', 'front-desk'] as const) {
      const response = await system.call(role, 'PUT', '/v1/panels/dr.osei/patients/patient-scope-902');
      expect(response.status).toBe(403);
    }
  });

  it('validates the patient scope in the path', async () => {
    const response = await system.call('admin', 'PUT', '/v1/panels/dr.osei/patients/short');
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('VALIDATION_FAILED');
  });
});
