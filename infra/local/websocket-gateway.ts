/**
 * The local API Gateway WebSocket API: verifies the bearer token offered as a subprotocol (what the Lambda
 * authorizer does in AWS), turns the handshake, each message and the close into WebSocket proxy events for the
 * topology's `$connect` / `$default` / `$disconnect` handlers, sends a two-way route's returned body back to the
 * socket (the route response), and lets the local push write progress to the socket.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { LocalConnectionPush } from '../../shared/adapters/local/local-connection-push.ts';
import { log } from '../../shared/observability/telemetry.ts';
import { MAX_SOCKET_FRAME_BYTES, MAX_SOCKET_MESSAGE_BYTES } from '../../shared/transcription/encounter-requests.ts';
import type { SocketEvent, SocketResult } from '../../shared/transcription/socket-handler.ts';
import { bearerFromProtocols, SOCKET_PROTOCOL } from '../../shared/transcription/socket-protocol.ts';
import { FrameSizeWatch } from './frame-size-watch.ts';
import type { LocalFunction } from './lambda-invoker.ts';

export interface WebSocketGatewayOptions {
  readonly verifyToken: (token: string) => Promise<Record<string, string> | undefined>;
  readonly connections: LocalConnectionPush;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
};

/** API Gateway closes a connection with 1009 when a message exceeds 128 KB or a frame exceeds 32 KB. */
const MESSAGE_TOO_BIG = 1009;

function refuse(socket: Duplex, status: number): void {
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
  socket.destroy();
}

function sizeOf(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function bufferOf(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

/** The `action` of a JSON message, for the route selection expression `$request.body.action`. */
function actionOf(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    const action = (value as { action?: unknown } | null)?.action;
    return typeof action === 'string' ? action : undefined;
  } catch {
    return undefined;
  }
}

/** How API Gateway answers on a two-way route when the integration itself fails (the function threw). */
const INTEGRATION_FAILURE = 'Internal server error';

export interface SocketRouteOptions {
  /** A two-way route: the function's returned `body` is sent to the client as a message, as API Gateway does. */
  readonly respond?: boolean;
}

interface SocketRoute {
  readonly fn: LocalFunction;
  readonly respond: boolean;
}

export class WebSocketGateway {
  private readonly routes = new Map<string, SocketRoute>();
  private readonly sockets = new WebSocketServer({
    noServer: true,
    // Larger than the quota so that an oversized message reaches our check and gets an error frame first.
    maxPayload: 4 * MAX_SOCKET_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false),
  });
  private readonly inFlight = new Set<Promise<unknown>>();
  private server: Server | undefined;
  private host = '127.0.0.1';

  constructor(private readonly options: WebSocketGatewayOptions) {}

  addRoute(routeKey: string, fn: LocalFunction, options: SocketRouteOptions = {}): void {
    if (this.routes.has(routeKey)) throw new Error(`Socket route ${routeKey} is declared twice`);
    if (options.respond && (routeKey === '$connect' || routeKey === '$disconnect')) {
      throw new Error(`Socket route ${routeKey} cannot respond: only message routes have route responses`);
    }
    this.routes.set(routeKey, { fn, respond: options.respond ?? false });
  }

  async listen(port: number, host: string): Promise<number> {
    this.host = host;
    const server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'UPGRADE_REQUIRED', message: 'Open a WebSocket here' } }));
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(request, socket, head).catch((error: unknown) => {
        log.error('local socket handshake failed', error);
        refuse(socket, 500);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    this.options.connections.listeningAt(`ws://${host}:${bound}`);
    return bound;
  }

  /** Resolves when every message handler started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    await this.idle();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  private baseContext(routeKey: string, eventType: string, connectionId: string, sourceIp: string) {
    return {
      routeKey,
      eventType,
      connectionId,
      requestId: randomUUID(),
      messageId: randomBytes(9).toString('base64url'),
      requestTimeEpoch: Date.now(),
      stage: 'local',
      apiId: 'local',
      domainName: this.host,
      identity: { sourceIp },
    };
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const connect = this.routes.get('$connect')?.fn;
    if (!connect) {
      refuse(socket, 404);
      return;
    }
    const token = bearerFromProtocols(request.headers['sec-websocket-protocol']);
    const claims = token ? await this.options.verifyToken(token) : undefined;
    if (!claims) {
      // What API Gateway answers when the authorizer denies: the function never runs.
      refuse(socket, 401);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const connectionId = randomBytes(12).toString('base64url');
    const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
    const headers: Record<string, string> = {};
    for (let i = 0; i < request.rawHeaders.length; i += 2)
      headers[request.rawHeaders[i] ?? ''] = request.rawHeaders[i + 1] ?? '';
    const query = Object.fromEntries(url.searchParams);
    const event: SocketEvent = {
      requestContext: {
        ...this.baseContext('$connect', 'CONNECT', connectionId, sourceIp),
        authorizer: { principalId: claims.sub ?? '', ...claims },
      },
      headers,
      queryStringParameters: Object.keys(query).length > 0 ? query : null,
      isBase64Encoded: false,
    };
    const result = (await connect.invoke(event).catch(() => ({ statusCode: 500 }))) as SocketResult;
    if (result.statusCode < 200 || result.statusCode >= 300) {
      refuse(socket, result.statusCode);
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (client) => {
      // ws has attached its own reader by now; ours runs first on every chunk, so an oversized frame closes the
      // connection before ws can hand its message on.
      let oversized = false;
      const watch = new FrameSizeWatch(MAX_SOCKET_FRAME_BYTES, () => {
        oversized = true;
        // API Gateway only closes with 1009; the error frame first is a local courtesy that says why.
        this.reply(
          client,
          JSON.stringify({
            type: 'error',
            code: 'FRAME_TOO_LARGE',
            message: `A frame may be at most ${MAX_SOCKET_FRAME_BYTES} bytes: send larger messages fragmented`,
          }),
        );
        client.close(MESSAGE_TOO_BIG, 'Frame too big');
      });
      watch.push(head);
      socket.prependListener('data', (chunk: Buffer) => watch.push(chunk));
      this.accept(client, connectionId, sourceIp, () => oversized);
    });
  }

  private accept(client: WebSocket, connectionId: string, sourceIp: string, refused: () => boolean): void {
    this.options.connections.attach(connectionId, client);
    client.on('message', (data, isBinary) => {
      if (refused()) return;
      void this.track(this.deliver(client, connectionId, sourceIp, data, isBinary));
    });
    client.on('close', () => {
      this.options.connections.detach(connectionId);
      const disconnect = this.routes.get('$disconnect')?.fn;
      if (!disconnect) return;
      const event: SocketEvent = {
        requestContext: this.baseContext('$disconnect', 'DISCONNECT', connectionId, sourceIp),
        isBase64Encoded: false,
      };
      void this.track(disconnect.invoke(event).catch((error: unknown) => log.error('local $disconnect failed', error)));
    });
  }

  private async deliver(
    client: WebSocket,
    connectionId: string,
    sourceIp: string,
    data: RawData,
    isBinary: boolean,
  ): Promise<void> {
    if (sizeOf(data) > MAX_SOCKET_MESSAGE_BYTES) {
      // API Gateway only closes with 1009; the error frame first is a local courtesy that says why.
      client.send(
        JSON.stringify({
          type: 'error',
          code: 'MESSAGE_TOO_LARGE',
          message: `A message may be at most ${MAX_SOCKET_MESSAGE_BYTES} bytes`,
        }),
      );
      client.close(MESSAGE_TOO_BIG, 'Message too big');
      return;
    }
    const bytes = bufferOf(data);
    const body = isBinary ? bytes.toString('base64') : bytes.toString('utf8');
    const action = isBinary ? undefined : actionOf(body);
    const route = (action !== undefined ? this.routes.get(action) : undefined) ?? this.routes.get('$default');
    if (!route) return;
    const event: SocketEvent = {
      requestContext: this.baseContext(
        action && this.routes.has(action) ? action : '$default',
        'MESSAGE',
        connectionId,
        sourceIp,
      ),
      body,
      isBase64Encoded: isBinary,
    };
    let result: SocketResult | undefined;
    try {
      result = (await route.fn.invoke(event)) as SocketResult | undefined;
    } catch (error) {
      log.error('local socket route failed', error);
      if (route.respond) {
        this.reply(
          client,
          JSON.stringify({ message: INTEGRATION_FAILURE, connectionId, requestId: event.requestContext.requestId }),
        );
      }
      return;
    }
    // A one-way route's result is dropped, as API Gateway drops it without a route response.
    if (route.respond && typeof result?.body === 'string') this.reply(client, result.body);
  }

  private reply(client: WebSocket, body: string): void {
    if (client.readyState === client.OPEN) client.send(body);
  }
}
