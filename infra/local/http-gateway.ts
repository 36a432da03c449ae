/**
 * The local API Gateway: turns HTTP requests into REST API (v1) proxy events, with the authorizer claims of a
 * verified bearer token, calls the same handlers as Lambda, and answers its own errors in the project's envelope.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { RouteSpec } from '../topology/types.ts';
import { ApiRouteMatcher } from './api-route-matcher.ts';
import { DEV_INTEGRATION_CLAIM } from './dev-identity.ts';
import type { LocalFunction } from './lambda-invoker.ts';
import { localIntegrationSessionArn } from './local-integrations.ts';

/** API Gateway REST APIs reject payloads over 10 MB before any Lambda runs. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface GatewayTarget {
  readonly fn: LocalFunction;
  readonly route: RouteSpec;
}

export interface HttpGatewayOptions {
  readonly verifyToken: (token: string) => Promise<Record<string, string> | undefined>;
  /** Extra local-only routes (`/__local/...`), answered before the API routes. */
  readonly localRoutes?: (request: IncomingMessage, url: URL) => Promise<{ status: number; body: unknown } | undefined>;
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(body);
}

function gatewayError(response: ServerResponse, status: number, code: string, message: string): void {
  send(response, status, JSON.stringify({ error: { code, message } }));
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function isTextual(contentType: string | undefined): boolean {
  return !contentType || /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i.test(contentType);
}

/** A token bucket per throttled route, as API Gateway's method throttling keeps one per method. */
class RouteThrottle {
  private tokens: number;
  private refilledAt = Date.now();

  constructor(private readonly limit: { rateLimit: number; burstLimit: number }) {
    this.tokens = limit.burstLimit;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(
      this.limit.burstLimit,
      this.tokens + ((now - this.refilledAt) / 1000) * this.limit.rateLimit,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class HttpGateway {
  private readonly matcher = new ApiRouteMatcher<GatewayTarget>();
  private readonly throttles = new Map<GatewayTarget, RouteThrottle>();
  private server: Server | undefined;

  constructor(private readonly options: HttpGatewayOptions) {}

  addRoute(target: GatewayTarget): void {
    this.matcher.add(target.route.method, target.route.path, target);
    if (target.route.throttle) this.throttles.set(target, new RouteThrottle(target.route.throttle));
  }

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        if (!response.headersSent) gatewayError(response, 500, 'INTERNAL_ERROR', 'The local gateway failed');
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const local = await this.options.localRoutes?.(request, url);
    if (local) {
      send(response, local.status, JSON.stringify(local.body));
      return;
    }
    const match = this.matcher.match(request.method ?? 'GET', url.pathname);
    if (!match || match === 'method-not-allowed') {
      gatewayError(response, 404, 'ROUTE_NOT_FOUND', 'No such route');
      return;
    }
    if (this.throttles.get(match.target)?.take() === false) {
      gatewayError(response, 429, 'TOO_MANY_REQUESTS', 'Too many requests; try again shortly');
      return;
    }
    let claims: Record<string, string> | undefined;
    if (match.target.route.auth === 'user') {
      const header = request.headers.authorization ?? '';
      const token = /^Bearer (.+)$/i.exec(header)?.[1];
      claims = token ? await this.options.verifyToken(token) : undefined;
      if (!claims) {
        gatewayError(response, 401, 'UNAUTHENTICATED', 'A valid bearer token is required');
        return;
      }
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      gatewayError(response, 413, 'PAYLOAD_TOO_LARGE', 'The request body exceeds 10 MB');
      return;
    }
    const event = this.toProxyEvent(request, url, match.resource, match.pathParameters, body, claims);
    const result = (await match.target.fn.invoke(event).catch((error: unknown) => {
      const timedOut = error instanceof Error && error.name === 'LambdaTimeout';
      return {
        statusCode: timedOut ? 504 : 502,
        body: JSON.stringify({
          error: timedOut
            ? { code: 'GATEWAY_TIMEOUT', message: 'The function did not answer in time' }
            : { code: 'BAD_GATEWAY', message: 'The function failed' },
        }),
      };
    })) as APIGatewayProxyResult;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
    const payload = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    response.writeHead(result.statusCode, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(payload);
  }

  private toProxyEvent(
    request: IncomingMessage,
    url: URL,
    resource: string,
    pathParameters: Record<string, string> | null,
    body: Buffer,
    claims: Record<string, string> | undefined,
  ): APIGatewayProxyEvent {
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      const name = request.rawHeaders[i] ?? '';
      const value = request.rawHeaders[i + 1] ?? '';
      headers[name] = value;
      multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
    }
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) {
      query[name] = value;
      multiQuery[name] = [...(multiQuery[name] ?? []), value];
    }
    const hasQuery = Object.keys(query).length > 0;
    const textual = isTextual(request.headers['content-type']);
    const method = request.method ?? 'GET';
    const now = Date.now();
    const integration = claims?.[DEV_INTEGRATION_CLAIM];
    return {
      resource,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: hasQuery ? query : null,
      multiValueQueryStringParameters: hasQuery ? multiQuery : null,
      pathParameters,
      stageVariables: null,
      body: body.length === 0 ? null : textual ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: body.length > 0 && !textual,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        // An integration token stands in for SigV4: API Gateway passes the verified IAM principal, not claims.
        authorizer: claims && !integration ? { claims } : null,
        protocol: `HTTP/${request.httpVersion}`,
        httpMethod: method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: null,
          apiKeyId: null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          user: null,
          userAgent: request.headers['user-agent'] ?? null,
          userArn: integration ? localIntegrationSessionArn(integration) : null,
        },
        path: url.pathname,
        stage: 'local',
        requestId: randomUUID(),
        requestTimeEpoch: now,
        resourceId: 'local',
        resourcePath: resource,
      },
    };
  }
}
