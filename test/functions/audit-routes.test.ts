import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRecorded } from '../../shared/audit/audit-entry.ts';
import { verifyAuditChains } from '../../shared/audit/verify-audit-chain.ts';
import { createEvent } from '../../shared/events/event-definition.ts';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

const NOTE = 'Mrs. Evelyn Hartley, DOB 02/09/1941, MRN 88412093, phone 503-555-0143.';
const PHI = ['Evelyn', 'Hartley', '02/09/1941', '88412093', '503-555-0143'];

describe('audit trail through the running system', () => {
  let system: RunningSystem;
  const range = () => ({
    from: new Date(Date.now() - 3_600_000).toISOString(),
    to: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const query = (params: Record<string, string>) => `/v1/audit?${new URLSearchParams(params).toString()}`;

  beforeAll(async () => {
    system = await startRunningSystem();
  });
  afterAll(async () => system?.stop());

  it('lets the privacy officer find every PHI call, with actor, scope and purpose, and no PHI value', async () => {
    const deid = await system.call('nurse', 'POST', '/v1/deidentify', { text: NOTE, purpose: 'treatment' });
    await system.call('admin', 'PUT', `/v1/panels/local-test.physician/patients/${String(deid.body.patientScope)}`);
    await system.call('physician', 'POST', '/v1/reidentify', {
      text: deid.body.text,
      patientScope: deid.body.patientScope,
      purpose: 'treatment',
    });

    const byScope = await system.call(
      'privacy-officer',
      'GET',
      query({ ...range(), patientScope: String(deid.body.patientScope) }),
    );
    const records = byScope.body.records as { action: string; actor: { userId: string }; purpose?: string }[];

    expect(byScope.status).toBe(200);
    expect(records.map((record) => record.action).sort()).toEqual(['panel.write', 'phi.deidentify', 'phi.reidentify']);
    expect(records.find((record) => record.action === 'phi.reidentify')).toMatchObject({
      actor: { userId: 'local-test.physician' },
      purpose: 'treatment',
    });
    const everything = await system.call('privacy-officer', 'GET', query({ ...range(), limit: '200' }));
    for (const value of PHI) expect(JSON.stringify(everything.body)).not.toContain(value);
  });

  it('filters by user, action and outcome', async () => {
    await system.call('billing', 'POST', '/v1/reidentify', {
      text: 'x',
      patientScope: 'patient-scope-77',
      purpose: 'payment',
    });
    const denied = await system.call(
      'privacy-officer',
      'GET',
      query({ ...range(), userId: 'local-test.billing', action: 'phi.reidentify', outcome: 'denied' }),
    );
    expect(denied.body.records).toEqual([
      expect.objectContaining({ action: 'phi.reidentify', outcome: 'denied', reason: 'FORBIDDEN_ROLE' }),
    ]);
  });

  it.each(['physician', 'nurse', 'billing', 'admin'] as const)('refuses the audit trail to %s', async (role) => {
    const response = await system.call(role, 'GET', query(range()));
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe('FORBIDDEN_ROLE');
  });

  it('offers no way to change or delete audit records', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const response = await system.call('privacy-officer', method, '/v1/audit', method === 'DELETE' ? undefined : {});
      expect(response.status).toBe(404);
    }
  });

  it.each([
    ['no time range', {}],
    ['a range over 31 days', { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }],
    ['a limit over 200', { ...range(), limit: '500' }],
    ['a forged page token', { ...range(), nextToken: 'eyJ2IjoxfQ' }],
  ])('answers a query with %s with 400', async (_, params) => {
    const response = await system.call('privacy-officer', 'GET', query(params as Record<string, string>));
    expect(response.status).toBe(400);
  });

  it('keeps every chain verifiable after 500 concurrent audit events, each recorded exactly once', async () => {
    const before = (await verifyAuditChains({ store: system.runtime.ports.auditStore })).records;
    const at = new Date().toISOString();
    await Promise.all(
      Array.from({ length: 500 }, (_, n) =>
        system.runtime.ports.events.publish([
          createEvent(AuditRecorded, {
            action: 'phi.scan',
            outcome: 'allowed',
            actor: { userId: `load-${n}`, roles: ['nurse'] },
            resource: {},
            correlationId: `load-test-${n}`,
            at,
          }),
        ]),
      ),
    );
    await system.runtime.bus.idle();

    const result = await verifyAuditChains({ store: system.runtime.ports.auditStore });
    expect(result.findings).toEqual([]);
    // Each of the 500 also triggers nothing else, so the trail grew by exactly 500.
    expect(result.records - before).toBe(500);
    expect(system.runtime.bus.deadLetters()).toEqual([]);
  }, 120_000);
});
