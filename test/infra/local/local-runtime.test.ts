import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../../infra/local/dev-identity.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/local-runtime.ts';
import { createEvent } from '../../../shared/events/event-definition.ts';
import { fixtureTopology } from '../../fixtures/fixture-topology.ts';
import { attempts } from '../../fixtures/functions/always-fails.ts';
import { FixtureDoomed, FixturePinged } from '../../fixtures/functions/fixture-events.ts';
import { processed } from '../../fixtures/functions/record-ping.ts';
import { ticks } from '../../fixtures/functions/tick.ts';

const rootDir = resolve(import.meta.dirname, '../../..');

describe('local runtime', () => {
  let runtime: LocalRuntime;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cag-runtime-'));
    runtime = await startLocalRuntime({
      topology: fixtureTopology,
      rootDir,
      dataDir,
      memory: true,
      port: 0,
      eventMaxAttempts: 3,
      eventRetryDelayMs: 1,
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const token = (role: 'physician' | 'billing' = 'physician') =>
    signDevToken(runtime.signingKey, { userId: 'dr.lee', roles: [role] });

  describe('HTTP gateway', () => {
    it('serves /v1/health without a token, naming local adapters and the version', async () => {
      const response = await fetch(`${runtime.url}/v1/health`);
      const body = (await response.json()) as { status: string; runtime: string; version: string; adapters: object };

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(body).toMatchObject({ status: 'ok', runtime: 'local', version: runtime.ports.version });
      expect(body.adapters).toMatchObject({ events: { kind: 'local' }, tables: { kind: 'local' } });
    });

    it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
      const response = await fetch(`${runtime.url}/v1/nowhere`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'No such route' } });
    });

    it('rejects a protected route without a token, with a forged token and with an expired token', async () => {
      const url = `${runtime.url}/v1/fixture/item-1/whoami`;
      const forged = `${(await token()).slice(0, -4)}AAAA`;
      const expired = await signDevToken(runtime.signingKey, { userId: 'dr.lee', roles: ['nurse'], ttlSeconds: -60 });
      for (const authorization of [undefined, `Bearer ${forged}`, `Bearer ${expired}`, 'Basic abc']) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ note: 'hi' }),
        });
        expect(response.status).toBe(401);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      }
    });

    it('passes verified claims, path parameters and the validated body to the handler', async () => {
      const response = await fetch(`${runtime.url}/v1/fixture/item-1/whoami`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('billing')}` },
        body: JSON.stringify({ note: 'hello' }),
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        userId: 'local-dr.lee',
        roles: ['billing'],
        itemId: 'item-1',
        noteLength: 5,
      });
    });

    it.each([
      ['malformed JSON', 'application/json', '{"note":', 400, 'INVALID_JSON'],
      ['a schema violation', 'application/json', '{"note":""}', 400, 'VALIDATION_FAILED'],
      ['an unknown field', 'application/json', '{"note":"a","extra":1}', 400, 'VALIDATION_FAILED'],
      ['a missing body', 'application/json', '', 400, 'VALIDATION_FAILED'],
      ['a non-JSON media type', 'text/plain', 'hello', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [
        'a body over the route limit',
        'application/json',
        JSON.stringify({ note: 'x'.repeat(300) }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ])('answers %s with a stable 4xx code and no echo of the input', async (_, contentType, body, status, code) => {
      const response = await fetch(`${runtime.url}/v1/fixture/item-1/whoami`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${await token()}` },
        body,
      });
      const text = await response.text();

      expect(response.status).toBe(status);
      expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(code);
      if (body.length > 3) expect(text).not.toContain(body.slice(0, 12));
    });

    it('validates path parameters', async () => {
      const response = await fetch(`${runtime.url}/v1/fixture/NOT_VALID/whoami`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
        body: JSON.stringify({ note: 'a' }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { issues: { path: string }[] } };
      expect(body.error.issues[0]?.path).toBe('path.itemId');
    });
  });

  describe('event bus', () => {
    it('delivers an event to the handler whose rule matches, once even when redelivered', async () => {
      await runtime.ports.events.publish([createEvent(FixturePinged, { pingId: 'urgent-1', priority: 9 })]);
      await runtime.bus.idle();
      expect(processed).toContain('urgent-1');

      // Replaying the archive redelivers the same event id: idempotency keeps the use case from running twice.
      const replayed = runtime.bus.replay({ detail: { pingId: ['urgent-1'] } });
      await runtime.bus.idle();
      expect(replayed).toBe(1);
      expect(processed.filter((id) => id === 'urgent-1')).toHaveLength(1);
    });

    it('does not deliver an event that its content filter excludes', async () => {
      await runtime.ports.events.publish([createEvent(FixturePinged, { pingId: 'routine-1', priority: 2 })]);
      await runtime.bus.idle();
      expect(processed).not.toContain('routine-1');
    });

    it('dead-letters an event whose handler keeps failing, after every attempt', async () => {
      await runtime.ports.events.publish([createEvent(FixtureDoomed, { pingId: 'doomed-1' })]);
      await runtime.bus.idle();

      const dead = runtime.bus.deadLetters().filter((letter) => letter.event.detail.pingId === 'doomed-1');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ ruleName: 'doomed', attempts: 3, errorName: 'Error' });
      expect(attempts.filter((id) => id === dead[0]?.event.id)).toHaveLength(3);

      const listed = (await (await fetch(`${runtime.url}/__local/dead-letters`)).json()) as { deadLetters: unknown[] };
      expect(listed.deadLetters).toHaveLength(runtime.bus.deadLetters().length);
    });
  });

  describe('scheduler and TTL', () => {
    it('runs a schedule target by name with a Scheduler-shaped event', async () => {
      const response = await fetch(`${runtime.url}/__local/schedules/nightly-fixture`, { method: 'POST' });
      expect(response.status).toBe(202);
      expect(ticks.at(-1)?.source).toBe('aws.scheduler');
      expect(ticks.at(-1)?.resources[0]).toMatch(/schedule\/default\/nightly-fixture$/);
    });

    it('expires items whose TTL attribute has passed and keeps the others', async () => {
      const client = runtime.ports.tables.client;
      const TableName = runtime.ports.tables.nameOf('idempotency');
      const nowSeconds = Math.floor(Date.now() / 1000);
      await client.send(
        new PutItemCommand({ TableName, Item: { id: { S: 'old' }, expiration: { N: String(nowSeconds - 5) } } }),
      );
      await client.send(
        new PutItemCommand({ TableName, Item: { id: { S: 'new' }, expiration: { N: String(nowSeconds + 600) } } }),
      );

      const deleted = await runtime.sweeper.sweepOnce();

      expect(deleted.idempotency).toBeGreaterThanOrEqual(1);
      expect((await client.send(new GetItemCommand({ TableName, Key: { id: { S: 'old' } } }))).Item).toBeUndefined();
      expect((await client.send(new GetItemCommand({ TableName, Key: { id: { S: 'new' } } }))).Item).toBeDefined();
    });
  });
});
