/**
 * The one way to write an HTTP Lambda: a per-invocation metrics scope (by route key), middy with tracer -> logger,
 * then size and media checks, zod validation of body, query and path, the caller's claims, one use case, and one
 * error mapper.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { Purpose } from '../audit/audit-entry.ts';
import { type AuditDetails, RequestAudit } from '../audit/request-audit.ts';
import {
  DomainError,
  Forbidden,
  PayloadTooLarge,
  ServiceUnavailable,
  Unauthenticated,
  UnsupportedMediaType,
  ValidationFailed,
} from '../errors/domain-errors.ts';
import { type Caller, readCaller } from '../identity/caller.ts';
import { type Action, isPermitted, PERMISSIONS } from '../identity/permissions.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log, logger, metricsScope, tracer } from '../observability/telemetry.ts';
import { getPorts, type Ports } from '../runtime/ports.ts';
import { errorResponse, jsonResponse } from './http-response.ts';

/** API Gateway's own payload limit is 10 MB; routes choose a smaller one. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export interface HttpRequest<Body, Query, Path, Auth extends 'none' | 'user'> {
  readonly body: Body;
  readonly query: Query;
  readonly path: Path;
  readonly caller: Auth extends 'user' ? Caller : Caller | undefined;
  /** Present for authenticated routes: record the allowed act (with its resource) before performing it. */
  readonly audit: Auth extends 'user' ? RequestAudit : undefined;
  readonly ports: Ports;
  readonly correlationId: string;
}

export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
}

export interface HttpHandlerOptions<
  BodySchema extends z.ZodType | undefined,
  QuerySchema extends z.ZodType | undefined,
  PathSchema extends z.ZodType | undefined,
  Auth extends 'none' | 'user',
> {
  /** Permission and audit key, e.g. `phi.deidentify`; its roles come from the permission table. */
  readonly action: Action;
  readonly auth: Auth;
  readonly body?: BodySchema;
  readonly query?: QuerySchema;
  readonly path?: PathSchema;
  readonly maxBodyBytes?: number;
  readonly run: (
    request: HttpRequest<Parsed<BodySchema>, Parsed<QuerySchema>, Parsed<PathSchema>, Auth>,
  ) => Promise<HttpResult>;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,128}$/;

function correlationIdOf(event: APIGatewayProxyEvent): string {
  const header = headerValue(event, 'x-correlation-id');
  return header && CORRELATION_ID.test(header) ? header : event.requestContext.requestId;
}

function headerValue(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name) return value ?? undefined;
  }
  return undefined;
}

/** Turns zod issues into paths and codes only: the client learns what is wrong, never sees its input echoed. */
function validationError(part: string, error: z.ZodError): ValidationFailed {
  const issues = error.issues.slice(0, 20).map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    code: issue.code,
  }));
  return new ValidationFailed('VALIDATION_FAILED', `The request ${part} is not valid`, { issues });
}

function parsePart<Schema extends z.ZodType | undefined>(part: string, schema: Schema, value: unknown): Parsed<Schema> {
  if (!schema) return undefined as Parsed<Schema>;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(part, result.error);
  return result.data as Parsed<Schema>;
}

function readJsonBody(event: APIGatewayProxyEvent, maxBytes: number): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    return undefined;
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) {
    throw new PayloadTooLarge('PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`, { maxBytes });
  }
  const contentType = headerValue(event, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new UnsupportedMediaType('UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json');
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new ValidationFailed('INVALID_JSON', 'The request body is not valid JSON');
  }
}

/** Resource ids a request names in its path, query or body, by the audit entry's own field names. */
const SUBJECT_FIELDS = ['patientScope', 'draftId', 'encounterId'] as const;
const AUDIT_IDENTIFIER = /^[A-Za-z0-9._:@/#+=-]{1,200}$/;

/** What a request is about, for its audit records: ids only (never free text), and a stated purpose. */
function subjectOf(...parts: unknown[]): AuditDetails {
  const resource: Record<string, string> = {};
  let purpose: Purpose | undefined;
  for (const part of parts) {
    if (part === null || typeof part !== 'object') continue;
    const fields = part as Record<string, unknown>;
    for (const field of SUBJECT_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string' && AUDIT_IDENTIFIER.test(value)) resource[field] ??= value;
    }
    const stated = Purpose.safeParse(fields.purpose);
    if (stated.success) purpose ??= stated.data;
  }
  return { resource, ...(purpose ? { purpose } : {}) };
}

const AUDIT_UNAVAILABLE = () =>
  new ServiceUnavailable('AUDIT_UNAVAILABLE', 'The request was not completed because it could not be audited');

async function recordOrRefuse(record: () => Promise<void>): Promise<void> {
  try {
    await record();
  } catch (error) {
    log.error('audit record failed', error);
    throw AUDIT_UNAVAILABLE();
  }
}

/** Records a refused or failed request; if even that cannot be recorded, the answer becomes AUDIT_UNAVAILABLE. */
async function auditFailure(audit: RequestAudit | undefined, error: unknown): Promise<unknown> {
  if (!audit || (error instanceof ServiceUnavailable && error.code === 'AUDIT_UNAVAILABLE')) return error;
  const reason = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
  const outcome = error instanceof Forbidden ? 'denied' : 'failed';
  try {
    await (outcome === 'denied' ? audit.denied(reason) : audit.failed(reason));
    return error;
  } catch (auditError) {
    log.error('audit record failed', auditError);
    return AUDIT_UNAVAILABLE();
  }
}

/** Refusals by their stable code: policy (403) and safeguards that could not complete (fail closed). */
function recordRefusal(failure: unknown): void {
  if (failure instanceof Forbidden) recordMetric('PolicyRefusals', 1, { code: failure.code });
  if (failure instanceof ServiceUnavailable && failure.code === 'AUDIT_UNAVAILABLE') {
    recordMetric('FailClosedRefusals', 1, { reason: failure.code });
  }
}

export function httpHandler<
  BodySchema extends z.ZodType | undefined = undefined,
  QuerySchema extends z.ZodType | undefined = undefined,
  PathSchema extends z.ZodType | undefined = undefined,
  Auth extends 'none' | 'user' = 'user',
>(options: HttpHandlerOptions<BodySchema, QuerySchema, PathSchema, Auth>) {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  if ((PERMISSIONS[options.action].roles === 'public') !== (options.auth === 'none')) {
    throw new Error(`Action ${options.action}: auth '${options.auth}' contradicts the permission table`);
  }

  const handle = async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    const correlationId = correlationIdOf(event);
    logger.appendKeys({ correlationId, action: options.action });
    let audit: RequestAudit | undefined;
    try {
      const ports = getPorts();
      const caller = readCaller(event, ports.integrationCallers);
      if (options.auth === 'user' && !caller) throw new Unauthenticated();
      if (options.auth === 'user' && caller) {
        audit = new RequestAudit(ports.audit, ports.clock, { action: options.action, caller, correlationId });
        audit.about(subjectOf(event.pathParameters, event.queryStringParameters));
        if (!isPermitted(options.action, caller.roles)) {
          throw new Forbidden('FORBIDDEN_ROLE', 'Your role does not permit this action');
        }
      }
      const request = {
        body: parsePart('body', options.body, readJsonBody(event, maxBodyBytes)),
        query: parsePart('query', options.query, event.queryStringParameters ?? {}),
        path: parsePart('path', options.path, event.pathParameters ?? {}),
        caller,
        audit,
        ports,
        correlationId,
      } as HttpRequest<Parsed<BodySchema>, Parsed<QuerySchema>, Parsed<PathSchema>, Auth>;
      audit?.about(subjectOf(request.path, request.query, request.body));
      const result = await options.run(request);
      // Every authenticated request leaves a record, even when the use case had no resource to name.
      if (audit && !audit.hasRecorded) await recordOrRefuse(() => audit?.allowed() ?? Promise.resolve());
      return jsonResponse(result.status, result.body, correlationId);
    } catch (error) {
      const failure = await auditFailure(audit, error);
      const response = errorResponse(failure, correlationId);
      recordRefusal(failure);
      if (failure instanceof DomainError) {
        log.info('request refused', { code: failure.code, status: failure.status });
      } else {
        log.error('request failed', failure);
      }
      return response;
    }
  };

  const lambda = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(handle);
  // Metrics are scoped to the invocation and keyed by the route template, never by a path value.
  const invoke = (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>
    metricsScope.run({ route: `${event.httpMethod} ${event.resource}` }, async () => {
      const started = performance.now();
      let status = 500;
      try {
        const response = await lambda(event, context);
        status = response.statusCode;
        return response;
      } finally {
        recordMetric('Requests', 1);
        recordMetric('Latency', performance.now() - started);
        recordMetric('ServerErrors', status >= 500 ? 1 : 0);
        recordMetric('ClientErrors', status >= 400 && status < 500 ? 1 : 0);
      }
    });
  const contract: HttpContract = {
    action: options.action,
    auth: options.auth,
    maxBodyBytes,
    ...(options.body ? { body: options.body } : {}),
    ...(options.query ? { query: options.query } : {}),
    ...(options.path ? { path: options.path } : {}),
  };
  return Object.assign(invoke, { contract });
}

/** What a route accepts, read by the OpenAPI generator from the handler itself so the two cannot drift. */
export interface HttpContract {
  readonly action: Action;
  readonly auth: 'none' | 'user';
  readonly maxBodyBytes: number;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly path?: z.ZodType;
}
