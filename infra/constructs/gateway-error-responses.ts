/** API Gateway's own errors (no route, no token, throttled, too large) in the project's `{ error }` envelope. */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { pascalCase } from './pascal-case.ts';

export interface GatewayErrorResponse {
  readonly type: apigw.ResponseType;
  /** Undefined keeps the status API Gateway chose (the DEFAULT_4XX/5XX catch-alls). */
  readonly status: string | undefined;
  readonly code: string;
  readonly message: string;
}

/** The same codes the handlers' error mapper uses (shared/api/http-response.ts), so clients parse one shape. */
export const GATEWAY_ERROR_RESPONSES: readonly GatewayErrorResponse[] = [
  // API Gateway answers an unknown path or method with "Missing Authentication Token" (403); it is a 404.
  {
    type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: '404',
    code: 'ROUTE_NOT_FOUND',
    message: 'No route matches this method and path',
  },
  {
    type: apigw.ResponseType.RESOURCE_NOT_FOUND,
    status: '404',
    code: 'ROUTE_NOT_FOUND',
    message: 'No route matches this method and path',
  },
  {
    type: apigw.ResponseType.UNAUTHORIZED,
    status: '401',
    code: 'UNAUTHENTICATED',
    message: 'A valid bearer token is required',
  },
  {
    type: apigw.ResponseType.EXPIRED_TOKEN,
    status: '401',
    code: 'UNAUTHENTICATED',
    message: 'A valid bearer token is required',
  },
  {
    type: apigw.ResponseType.ACCESS_DENIED,
    status: '403',
    code: 'FORBIDDEN',
    message: 'The caller may not perform this request',
  },
  {
    type: apigw.ResponseType.WAF_FILTERED,
    status: '403',
    code: 'REQUEST_BLOCKED',
    message: 'The request was blocked by the firewall',
  },
  {
    type: apigw.ResponseType.THROTTLED,
    status: '429',
    code: 'TOO_MANY_REQUESTS',
    message: 'Too many requests; retry later',
  },
  {
    type: apigw.ResponseType.QUOTA_EXCEEDED,
    status: '429',
    code: 'TOO_MANY_REQUESTS',
    message: 'Too many requests; retry later',
  },
  {
    type: apigw.ResponseType.REQUEST_TOO_LARGE,
    status: '413',
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is too large',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_BODY,
    status: '400',
    code: 'VALIDATION_FAILED',
    message: 'The request body is invalid',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    status: '400',
    code: 'VALIDATION_FAILED',
    message: 'A required request parameter is missing',
  },
  {
    type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    status: '415',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'The content type is not supported',
  },
  {
    type: apigw.ResponseType.INTEGRATION_TIMEOUT,
    status: '504',
    code: 'UPSTREAM_TIMEOUT',
    message: 'The request took too long to complete',
  },
  { type: apigw.ResponseType.DEFAULT_4XX, status: undefined, code: 'BAD_REQUEST', message: 'The request was rejected' },
  {
    type: apigw.ResponseType.DEFAULT_5XX,
    status: undefined,
    code: 'INTERNAL_ERROR',
    message: 'The request could not be completed',
  },
];

/** The headers every handler response carries (shared/api/http-response.ts), as gateway-response literals. */
const RESPONSE_HEADERS = {
  'Content-Type': "'application/json'",
  'Cache-Control': "'no-store'",
  'X-Content-Type-Options': "'nosniff'",
  'Strict-Transport-Security': "'max-age=63072000; includeSubDomains'",
};

/** The mapping template body; `$context.requestId` is the correlation id a handler would have returned. */
export function gatewayErrorBody(response: GatewayErrorResponse): string {
  return JSON.stringify({
    error: { code: response.code, message: response.message, correlationId: '$context.requestId' },
  });
}

export function addGatewayErrorResponses(api: apigw.RestApi): void {
  for (const response of GATEWAY_ERROR_RESPONSES) {
    api.addGatewayResponse(pascalCase(response.type.responseType.toLowerCase()), {
      type: response.type,
      statusCode: response.status,
      responseHeaders: RESPONSE_HEADERS,
      templates: { 'application/json': gatewayErrorBody(response) },
    });
  }
}
