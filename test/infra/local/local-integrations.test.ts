import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevIntegrationToken } from '../../../infra/local/dev-identity.ts';
import { type RunningSystem, startRunningSystem } from '../../support/running-system.ts';

describe('a server-to-server integration through the local runtime', () => {
  let system: RunningSystem;
  let token: string;

  beforeAll(async () => {
    system = await startRunningSystem();
    token = await signDevIntegrationToken(system.runtime.signingKey, { integration: 'local-ehr' });
  });
  afterAll(async () => system?.stop());

  const callAsIntegration = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    await system.runtime.bus.idle();
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('acts with its configured role, and the audit trail names the integration', async () => {
    const response = await callAsIntegration('POST', '/v1/phi/scan', { text: 'Seen on 03/04/2026 by the nurse.' });

    expect(response.status).toBe(200);
    const records = system.audit.filter((entry) => entry.action === 'phi.scan');
    expect(records.at(-1)).toMatchObject({
      actor: { userId: 'integration:local-ehr', roles: ['nurse'] },
      outcome: 'allowed',
    });
  });

  it('is refused what its role may not do, with the refusal audited', async () => {
    const response = await callAsIntegration('GET', '/v1/audit');

    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(system.audit.at(-1)).toMatchObject({ actor: { userId: 'integration:local-ehr' }, outcome: 'denied' });
  });
});
