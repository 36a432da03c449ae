import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology/index.ts';
import type { HttpContract } from '../../shared/api/http-handler.ts';
import { isPermitted } from '../../shared/identity/permissions.ts';
import { ROLES } from '../../shared/identity/roles.ts';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

const rootDir = resolve(import.meta.dirname, '../..');

/** Every authenticated route with the action its handler declares. */
async function protectedRoutes() {
  const routes = [];
  for (const spec of Object.values(topology.functions)) {
    for (const route of spec.routes ?? []) {
      if (route.auth !== 'user') continue;
      const module = (await import(pathToFileURL(resolve(rootDir, spec.entry)).href)) as {
        handler: { contract: HttpContract };
      };
      routes.push({ ...route, action: module.handler.contract.action });
    }
  }
  return routes;
}

describe('permission matrix: every role against every route', () => {
  let system: RunningSystem;
  let routes: Awaited<ReturnType<typeof protectedRoutes>>;

  beforeAll(async () => {
    system = await startRunningSystem();
    routes = await protectedRoutes();
  });
  afterAll(async () => system?.stop());

  it('covers every protected route of the topology', () => {
    expect(routes.length).toBeGreaterThanOrEqual(4);
  });

  for (const role of ROLES) {
    it(`gives ${role} exactly what the permission table allows, and audits every refusal`, async () => {
      for (const route of routes) {
        const path = route.path.replace(/\{[^}]+\}/g, 'sample-id');
        const before = system.audit.length;
        const response = await system.call(role, route.method, path, route.method === 'GET' ? undefined : {});
        const allowed = isPermitted(route.action, [role]);

        expect(
          response.status === 403 && response.body.error?.code === 'FORBIDDEN_ROLE',
          `${role} ${route.method} ${route.path}`,
        ).toBe(!allowed);
        if (!allowed) {
          expect(system.audit.slice(before)).toEqual([
            expect.objectContaining({
              action: route.action,
              outcome: 'denied',
              actor: expect.objectContaining({ roles: [role] }),
            }),
          ]);
        }
      }
    });
  }
});
