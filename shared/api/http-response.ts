/** Builds API Gateway proxy responses: JSON, never cached, with the correlation id; errors in one envelope. */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { DomainError } from '../errors/domain-errors.ts';

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
} as const;

export function jsonResponse(status: number, body: unknown, correlationId: string): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...BASE_HEADERS, 'x-correlation-id': correlationId },
    body: JSON.stringify(body),
  };
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly correlationId: string } & Readonly<
    Record<string, unknown>
  >;
}

/** Maps a thrown value to the error envelope; anything not a DomainError is a 500 with no detail. */
export function errorResponse(error: unknown, correlationId: string): APIGatewayProxyResult {
  if (error instanceof DomainError) {
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, correlationId, ...(error.details ?? {}) },
    };
    return jsonResponse(error.status, body, correlationId);
  }
  const body: ErrorBody = {
    error: { code: 'INTERNAL_ERROR', message: 'The request could not be completed', correlationId },
  };
  return jsonResponse(500, body, correlationId);
}
