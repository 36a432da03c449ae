import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsScope } from '../../../shared/observability/telemetry.ts';
import type { AuditSink } from '../../../shared/ports/audit-sink.ts';
import type { Ports } from '../../../shared/runtime/ports.ts';
import { usePorts } from '../../../shared/runtime/ports.ts';
import { connectHandler, routeHandler, type SocketEvent } from '../../../shared/transcription/socket-handler.ts';

type Document = Record<string, unknown>;

const context = (functionName: string) =>
  ({ functionName, awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;

const event = (authorizer?: Record<string, string>): SocketEvent => ({
  requestContext: { routeKey: '$default', connectionId: 'conn-1', requestId: 'req-1', authorizer: authorizer ?? null },
});

describe('socket route metrics', () => {
  const written: Document[] = [];
  let removeSink: () => void;
  let restorePorts: () => void;

  beforeAll(() => {
    removeSink = metricsScope.addSink((_line, emf) => written.push(emf as unknown as Document));
    const failingAudit: AuditSink = {
      name: 'down',
      record: async () => {
        throw new Error('audit down');
      },
    } as AuditSink;
    restorePorts = usePorts({ audit: failingAudit, clock: { now: () => new Date() } } as unknown as Ports);
  });
  afterAll(() => {
    removeSink();
    restorePorts();
  });

  it('counts each invocation per function, with its latency, and a thrown route or an INTERNAL_ERROR reply as a server error', async () => {
    const failing = routeHandler({
      action: 'encounter.stream',
      run: async () => {
        throw new Error('boom');
      },
    });
    const internal = routeHandler({
      action: 'encounter.stream',
      run: async () => ({ type: 'error', code: 'INTERNAL_ERROR' }),
      isServerError: (reply) => reply.code === 'INTERNAL_ERROR',
    });
    const fine = routeHandler({ action: 'encounter.stream', run: async () => ({ type: 'status' }) });

    expect((await failing(event(), context('fn-failing'))).statusCode).toBe(500);
    expect((await internal(event(), context('fn-internal'))).statusCode).toBe(200);
    expect((await fine(event(), context('fn-fine'))).statusCode).toBe(200);

    const of = (fn: string) => written.find((document) => document.function === fn && 'Requests' in document);
    expect(of('fn-failing')).toMatchObject({ Requests: 1, ServerErrors: 1 });
    expect(of('fn-internal')).toMatchObject({ Requests: 1, ServerErrors: 1 });
    expect(of('fn-fine')).toMatchObject({ Requests: 1, ServerErrors: 0 });
    expect(typeof of('fn-fine')?.Latency).toBe('number');
    expect(JSON.stringify(written)).not.toContain('"action"');
  });

  it('counts a refused handshake whose refusal could not be audited as a fail-closed refusal', async () => {
    const connect = connectHandler({ action: 'encounter.stream', run: async () => undefined });
    // A caller whose role does not permit streaming: refused, and the audit of the refusal fails.
    const result = await connect(
      event({ sub: 'u-1', username: 'front.desk', 'cognito:groups': 'front-desk' }),
      context('fn-connect'),
    );
    expect(result.statusCode).toBe(403);
    expect(written).toContainEqual(expect.objectContaining({ FailClosedRefusals: 1, reason: 'AUDIT_UNAVAILABLE' }));
    expect(written).toContainEqual(expect.objectContaining({ function: 'fn-connect', Requests: 1, ServerErrors: 0 }));
  });
});
