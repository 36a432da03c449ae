import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpHandler } from '../../../shared/api/http-handler.ts';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import { Conflict, Forbidden } from '../../../shared/errors/domain-errors.ts';
import type { AuditSink } from '../../../shared/ports/audit-sink.ts';
import { systemClock } from '../../../shared/ports/clock.ts';
import type { Ports } from '../../../shared/runtime/ports.ts';
import { usePorts } from '../../../shared/runtime/ports.ts';

const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as Context;

function proxyEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    body: null,
    headers: {},
    multiValueHeaders: {},
    httpMethod: 'POST',
    isBase64Encoded: false,
    path: '/v1/things',
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    resource: '/v1/things',
    requestContext: { requestId: 'request-0001', authorizer: null, identity: { sourceIp: '127.0.0.1' } },
    ...overrides,
  } as APIGatewayProxyEvent;
}

const signedIn = { authorizer: { claims: { sub: 'u-1', 'cognito:groups': 'nurse' } } };

describe('httpHandler', () => {
  let release: () => void;
  let recorded: AuditEntry[];
  let auditDown: boolean;
  beforeEach(() => {
    recorded = [];
    auditDown = false;
    const audit: AuditSink = {
      name: 'capture',
      record: async (entry) => {
        if (auditDown) throw new Error('bus unavailable');
        recorded.push(entry);
      },
    };
    release = usePorts({
      runtime: 'local',
      version: 'test',
      adapters: {},
      audit,
      clock: systemClock,
    } as unknown as Ports);
  });
  afterEach(() => release());

  const handler = httpHandler({
    action: 'phi.deidentify',
    auth: 'user',
    body: z.object({ name: z.string() }),
    run: async ({ body }) => {
      if (body.name === 'taken') throw new Conflict('THING_EXISTS', 'A thing with that name exists');
      if (body.name === 'boom') throw new Error('secret detail Jane Roe');
      return { status: 201, body: { created: body.name } };
    },
  });

  const call = (body: unknown, withClaims = true, headers: Record<string, string> = {}) =>
    handler(
      proxyEvent({
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
        requestContext: { ...proxyEvent().requestContext, ...(withClaims ? signedIn : {}) },
      }),
      context,
    );

  it('answers 401 UNAUTHENTICATED when a user route is invoked without claims (defence in depth)', async () => {
    const response = await call({ name: 'a' }, false);
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body).error.code).toBe('UNAUTHENTICATED');
  });

  it('runs the use case and returns its status and body', async () => {
    const response = await call({ name: 'a' });
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toEqual({ created: 'a' });
  });

  it('maps a domain error to its status and stable code', async () => {
    const response = await call({ name: 'taken' });
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'THING_EXISTS', correlationId: 'request-0001' });
  });

  it('turns an unexpected error into a 500 that reveals nothing of it', async () => {
    const response = await call({ name: 'boom' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Jane');
    expect(JSON.parse(response.body).error.code).toBe('INTERNAL_ERROR');
  });

  it('echoes a well-formed client correlation id and ignores a malformed one', async () => {
    const good = await call({ name: 'a' }, true, { 'X-Correlation-Id': 'ehr-trace-12345' });
    const bad = await call({ name: 'a' }, true, { 'X-Correlation-Id': '<script>' });
    expect(good.headers?.['x-correlation-id']).toBe('ehr-trace-12345');
    expect(bad.headers?.['x-correlation-id']).toBe('request-0001');
  });

  it('refuses a role the permission table does not allow, and audits the denial', async () => {
    const response = await handler(
      proxyEvent({
        body: JSON.stringify({ name: 'a' }),
        headers: { 'content-type': 'application/json' },
        requestContext: {
          ...proxyEvent().requestContext,
          authorizer: { claims: { sub: 'u-9', 'cognito:groups': 'superuser' } },
        },
      }),
      context,
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).error.code).toBe('FORBIDDEN_ROLE');
    expect(recorded).toMatchObject([
      { action: 'phi.deidentify', outcome: 'denied', actor: { userId: 'u-9', roles: [] } },
    ]);
  });

  it('names the patient scope, ids and purpose a request carries in the audit of a refusal, never free text', async () => {
    const scoped = httpHandler({
      action: 'phi.reidentify',
      auth: 'user',
      path: z.object({ draftId: z.string() }),
      body: z.object({ patientScope: z.string(), purpose: z.string(), note: z.string() }),
      run: async () => {
        throw new Forbidden('NOT_ON_PANEL', 'Not on the panel');
      },
    });
    const response = await scoped(
      proxyEvent({
        pathParameters: { draftId: 'draft-0042' },
        body: JSON.stringify({ patientScope: 'scope-0042', purpose: 'treatment', note: 'Jane Roe, 555-0100' }),
        headers: { 'content-type': 'application/json' },
        requestContext: { ...proxyEvent().requestContext, ...signedIn },
      }),
      context,
    );
    expect(response.statusCode).toBe(403);
    expect(recorded).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        reason: 'NOT_ON_PANEL',
        resource: { patientScope: 'scope-0042', draftId: 'draft-0042' },
        purpose: 'treatment',
      }),
    ]);
    expect(JSON.stringify(recorded)).not.toContain('Jane');
  });

  it('records an allowed request even when the use case recorded nothing itself', async () => {
    await call({ name: 'a' });
    expect(recorded).toMatchObject([{ action: 'phi.deidentify', outcome: 'allowed', correlationId: 'request-0001' }]);
  });

  it('withholds the result with 503 AUDIT_UNAVAILABLE when the audit cannot be recorded', async () => {
    auditDown = true;
    const response = await call({ name: 'a' });
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).error.code).toBe('AUDIT_UNAVAILABLE');
    expect(response.body).not.toContain('created');
  });

  it('records failures with their code', async () => {
    await call({ name: 'taken' });
    expect(recorded).toMatchObject([{ outcome: 'failed', reason: 'THING_EXISTS' }]);
  });
});
