import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFunction } from '../../../infra/local/lambda-invoker.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/local-runtime.ts';
import { parseScheduleExpression } from '../../../infra/local/schedule-expression.ts';
import { topology } from '../../../infra/topology/index.ts';
import { assertValidEventPattern } from '../../../shared/adapters/local/event-pattern.ts';

const rootDir = resolve(import.meta.dirname, '../../..');
const functions = Object.entries(topology.functions);
const routes = functions.flatMap(([name, spec]) => (spec.routes ?? []).map((route) => ({ name, ...route })));

describe('topology', () => {
  it.each(functions)('function %s has an entry module exporting a handler', async (name, spec) => {
    const fn = await loadFunction(rootDir, name, spec);
    expect(fn.name).toBe(name);
  });

  it('declares every route under /v1 once; only the health check and throttled /v1/public/ routes without login', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of routes) {
      expect(route.path).toMatch(/^\/v1(\/[a-z0-9-]+|\/\{[a-zA-Z]+\+?\})+$/);
      const open =
        route.path === '/v1/health' || (route.path.startsWith('/v1/public/') && route.throttle !== undefined);
      expect(route.auth === 'none').toBe(open);
    }
  });

  it('declares valid event patterns and schedule expressions with unique names', () => {
    const rules = functions.flatMap(([, spec]) => spec.rules ?? []);
    const schedules = functions.flatMap(([, spec]) => spec.schedules ?? []);
    for (const rule of rules) assertValidEventPattern(rule.pattern);
    for (const schedule of schedules) parseScheduleExpression(schedule.expression);
    const names = [...rules, ...schedules].map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('grants only tables it declares, with a TTL attribute that is not a key', () => {
    for (const [, spec] of functions) {
      for (const table of Object.keys(spec.tables ?? {})) expect(Object.keys(topology.tables)).toContain(table);
    }
    for (const table of Object.values(topology.tables)) {
      if (table.ttlAttribute) expect([table.partitionKey.name, table.sortKey?.name]).not.toContain(table.ttlAttribute);
    }
  });
});

describe('the local runtime realizes the topology', () => {
  let runtime: LocalRuntime;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cag-topology-'));
    runtime = await startLocalRuntime({ topology, rootDir, dataDir, memory: true, port: 0 });
  });

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(routes)('serves $method $path', async (route) => {
    const path = route.path.replace(/\{[^}]+\}/g, 'sample-id');
    const response = await fetch(`${runtime.url}${path}`, { method: route.method });
    const body = (await response.json()) as { error?: { code: string } };
    expect(body.error?.code).not.toBe('ROUTE_NOT_FOUND');
    if (route.auth === 'user') expect(response.status).toBe(401);
  });

  it('loads every function of the topology', () => {
    expect([...runtime.functions.keys()].sort()).toEqual(Object.keys(topology.functions).sort());
  });
});
