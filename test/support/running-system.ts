/** Starts the whole system in-process on an ephemeral port, with the audit stream captured for assertions. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signDevToken } from '../../infra/local/dev-identity.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/local-runtime.ts';
import { topology } from '../../infra/topology/index.ts';
import type { Topology } from '../../infra/topology/types.ts';
import { type AuditEntry, AuditRecorded } from '../../shared/audit/audit-entry.ts';
import { patternFor } from '../../shared/events/event-definition.ts';
import type { Role } from '../../shared/identity/roles.ts';

export interface RunningSystem {
  readonly runtime: LocalRuntime;
  readonly audit: AuditEntry[];
  /** Calls the API as a user with one role; JSON in and out. */
  call(
    role: Role | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> & { error?: { code: string } } }>;
  stop(): Promise<void>;
}

export async function startRunningSystem(options: { topology?: Topology } = {}): Promise<RunningSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cag-system-'));
  const runtime = await startLocalRuntime({
    topology: options.topology ?? topology,
    rootDir: resolve(import.meta.dirname, '../..'),
    dataDir,
    memory: true,
    port: 0,
  });
  const audit: AuditEntry[] = [];
  runtime.bus.subscribe({
    ruleName: 'test-audit-capture',
    pattern: patternFor(AuditRecorded),
    deliver: async (event) => {
      audit.push(AuditRecorded.detail.parse(event.detail));
    },
  });
  const tokens = new Map<Role, string>();
  return {
    runtime,
    audit,
    async call(role, method, path, body) {
      let token = role ? tokens.get(role) : undefined;
      if (role && !token) {
        token = await signDevToken(runtime.signingKey, { userId: `test.${role}`, roles: [role] });
        tokens.set(role, token);
      }
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      await runtime.bus.idle();
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async stop() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The seeded offline model, re-approved with extra categories (as an admin would after review): a PUT body. */
export async function offlineModelWith(system: RunningSystem, extra: string[]) {
  const models = await system.call('admin', 'GET', '/v1/policy/models');
  const current =
    (models.body.models as Record<string, unknown>[]).find((model) => model.id === 'offline-extractive') ?? {};
  const {
    version,
    updatedBy: _,
    updatedAt: __,
    ...fields
  } = current as { version: number; updatedBy: string; updatedAt: string };
  return {
    ...fields,
    permittedDataCategories: [...(fields as { permittedDataCategories: string[] }).permittedDataCategories, ...extra],
    expectedVersion: version,
  };
}
