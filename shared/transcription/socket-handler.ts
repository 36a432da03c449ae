/**
 * The one way to write a WebSocket route Lambda: a per-invocation metrics scope (Requests, Latency, ServerErrors per
 * function, like the event handlers), middy with tracer -> logger, the caller from the `$connect` authorizer
 * context, and errors mapped to a status (refusing the handshake) or logged, never echoed.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { RequestAudit } from '../audit/request-audit.ts';
import { DomainError, Forbidden } from '../errors/domain-errors.ts';
import { type Caller, readCaller } from '../identity/caller.ts';
import { type Action, isPermitted } from '../identity/permissions.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log, logger, metricsScope, tracer } from '../observability/telemetry.ts';
import { getPorts, type Ports } from '../runtime/ports.ts';
import { SOCKET_PROTOCOL } from './socket-protocol.ts';

/** The parts of an API Gateway WebSocket proxy event the handlers read. */
export interface SocketEvent {
  readonly requestContext: {
    readonly routeKey: string;
    readonly connectionId: string;
    readonly requestId: string;
    readonly requestTimeEpoch?: number;
    readonly eventType?: string;
    /** On `$connect` only: the Lambda authorizer's context (string claims). */
    readonly authorizer?: Readonly<Record<string, unknown>> | null;
    readonly identity?: { readonly sourceIp?: string };
  };
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

export interface SocketResult {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The authorizer context carries the verified token's claims flat; the same reader as the REST API turns them into a caller. */
export function readSocketCaller(event: SocketEvent): Caller | undefined {
  const claims = event.requestContext.authorizer;
  if (!claims) return undefined;
  return readCaller({
    requestContext: {
      authorizer: { claims },
      identity: { sourceIp: event.requestContext.identity?.sourceIp ?? null },
    },
  } as unknown as Parameters<typeof readCaller>[0]);
}

function headerValue(event: SocketEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

export interface ConnectRequest {
  readonly event: SocketEvent;
  readonly caller: Caller;
  readonly audit: RequestAudit;
  readonly ports: Ports;
}

type SocketLambda = (event: SocketEvent, context: Context) => Promise<SocketResult>;
/** `serverError`: a two-way route answered, but with a reply that reports a failure of ours (counted, not sent). */
type HandledResult = SocketResult & { readonly serverError?: boolean };

function wrap(handle: (event: SocketEvent, context: Context) => Promise<HandledResult>): SocketLambda {
  const chain = middy<SocketEvent, SocketResult>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event: SocketEvent, context: Context) => handle(event, context)) as unknown as (
    event: SocketEvent,
    context: Context,
  ) => Promise<HandledResult>;
  return (event, context) =>
    metricsScope.run({ function: context.functionName }, async () => {
      const started = performance.now();
      let failed = true;
      try {
        const { serverError, ...result } = await chain(event, context);
        failed = serverError === true || result.statusCode >= 500;
        return result;
      } finally {
        recordMetric('Requests', 1);
        recordMetric('Latency', performance.now() - started);
        recordMetric('ServerErrors', failed ? 1 : 0);
      }
    });
}

/**
 * `$connect`: refuses the handshake (401/403/404/409) unless the authorizer verified a caller whose role permits
 * `action` and `run` admits the connection. Selects the `cag.v1` subprotocol the client offered.
 */
export function connectHandler(options: { action: Action; run: (request: ConnectRequest) => Promise<void> }) {
  return wrap(async (event) => {
    const correlationId = event.requestContext.requestId;
    logger.appendKeys({ correlationId, action: options.action });
    const caller = readSocketCaller(event);
    if (!caller) {
      recordMetric('ClientErrors', 1);
      return { statusCode: 401 };
    }
    const ports = getPorts();
    const audit = new RequestAudit(ports.audit, ports.clock, { action: options.action, caller, correlationId });
    try {
      if (!isPermitted(options.action, caller.roles)) {
        throw new Forbidden('FORBIDDEN_ROLE', 'Your role does not permit this action');
      }
      await options.run({ event, caller, audit, ports });
    } catch (error) {
      const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
      try {
        await (error instanceof Forbidden ? audit.denied(code) : audit.failed(code));
      } catch (auditError) {
        log.error('audit record failed', auditError);
        // The refusal stands either way; what could not complete is the audit of it.
        recordMetric('FailClosedRefusals', 1, { reason: 'AUDIT_UNAVAILABLE' });
      }
      if (error instanceof Forbidden) recordMetric('PolicyRefusals', 1, { code: error.code });
      if (error instanceof DomainError) {
        log.info('connection refused', { code: error.code, status: error.status });
        if (error.code === 'AUDIT_UNAVAILABLE') recordMetric('FailClosedRefusals', 1, { reason: error.code });
        if (error.status < 500) recordMetric('ClientErrors', 1);
        return { statusCode: error.status };
      }
      log.error('connection failed', error);
      return { statusCode: 500 };
    }
    const offered = (headerValue(event, 'sec-websocket-protocol') ?? '').split(',').map((value) => value.trim());
    return {
      statusCode: 200,
      ...(offered.includes(SOCKET_PROTOCOL) ? { headers: { 'Sec-WebSocket-Protocol': SOCKET_PROTOCOL } } : {}),
    };
  });
}

/**
 * `$disconnect` and message routes. A one-way route answers a bare 200 (API Gateway ignores it). A two-way route
 * (a route response in AWS) returns the reply `run` gives as the body, which API Gateway sends to the client as a
 * message; when `run` throws, the client gets `failureReply` instead, never the error. Failures are logged without
 * content.
 */
export function routeHandler(options: {
  action: string;
  /** `remainingMs`: the time left before the function times out, for a deadline below it. */
  run: (
    event: SocketEvent,
    ports: Ports,
    remainingMs: () => number,
  ) => Promise<Readonly<Record<string, unknown>> | undefined>;
  failureReply?: Readonly<Record<string, unknown>>;
  /** Whether a reply reports a failure of ours (e.g. an INTERNAL_ERROR error message): counted in ServerErrors. */
  isServerError?: (reply: Readonly<Record<string, unknown>>) => boolean;
}) {
  return wrap(async (event, context) => {
    logger.appendKeys({ correlationId: event.requestContext.requestId, action: options.action });
    let reply: Readonly<Record<string, unknown>> | undefined;
    try {
      reply = await options.run(event, getPorts(), () => context.getRemainingTimeInMillis());
    } catch (error) {
      log.error('socket route failed', error);
      return {
        statusCode: 500,
        ...(options.failureReply ? { body: JSON.stringify(options.failureReply) } : {}),
      };
    }
    if (!reply) return { statusCode: 200 };
    return { statusCode: 200, body: JSON.stringify(reply), serverError: options.isServerError?.(reply) ?? false };
  });
}
