import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LocalFunction } from '../../../infra/local/lambda-invoker.ts';
import { WebSocketGateway } from '../../../infra/local/websocket-gateway.ts';
import { LocalConnectionPush } from '../../../shared/adapters/local/local-connection-push.ts';
import type { SocketEvent } from '../../../shared/transcription/socket-handler.ts';

/** A stand-in Lambda that records its events and answers what it is told. */
function recorder(answer: (event: SocketEvent) => { statusCode: number; body?: string } = () => ({ statusCode: 200 })) {
  const events: SocketEvent[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const fn: LocalFunction = {
    name: 'recorder',
    spec: { description: 'test', area: 'clinical', entry: 'none' },
    invoke: async (event) => {
      events.push(event as SocketEvent);
      for (const waiter of waiting.filter((w) => events.length >= w.count)) waiter.resolve();
      return answer(event as SocketEvent);
    },
  };
  /** Resolves once `count` events have arrived. */
  const received = (count: number) =>
    events.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve }));
  return { fn, events, received };
}

const verifyToken = async (token: string) =>
  token === 'good-token' ? { sub: 'local-dr.lee', 'cognito:groups': 'physician' } : undefined;

function open(url: string, protocols: string[]): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (!error.message.includes('Unexpected server response')) reject(error);
    });
  });
}

describe('WebSocketGateway', () => {
  let gateway: WebSocketGateway | undefined;
  afterEach(async () => gateway?.close());

  const start = async (routes: Record<string, LocalFunction>, twoWay: readonly string[] = []) => {
    const connections = new LocalConnectionPush();
    gateway = new WebSocketGateway({ verifyToken, connections });
    for (const [key, fn] of Object.entries(routes)) gateway.addRoute(key, fn, { respond: twoWay.includes(key) });
    await gateway.listen(0, '127.0.0.1');
    return { url: connections.socketUrl, connections };
  };

  it('refuses a handshake without a valid token before any function runs, as the authorizer does', async () => {
    const connect = recorder();
    const { url } = await start({ $connect: connect.fn });
    expect(await open(`${url}/?encounterId=e-1`, ['cag.v1'])).toBe(401);
    expect(await open(`${url}/?encounterId=e-1`, ['cag.v1', 'bearer.forged'])).toBe(401);
    expect(connect.events).toEqual([]);
  });

  it('answers the handshake with the status $connect returns', async () => {
    const connect = recorder(() => ({ statusCode: 403 }));
    const { url } = await start({ $connect: connect.fn });
    expect(await open(`${url}/?encounterId=e-1`, ['cag.v1', 'bearer.good-token'])).toBe(403);
    expect(connect.events[0]?.requestContext.authorizer).toMatchObject({
      sub: 'local-dr.lee',
      principalId: 'local-dr.lee',
    });
    expect(connect.events[0]?.queryStringParameters).toEqual({ encounterId: 'e-1' });
  });

  it('selects cag.v1, delivers messages as proxy events, routes by action, pushes back and reports the close', async () => {
    const connect = recorder();
    const fallback = recorder();
    const status = recorder();
    const disconnect = recorder();
    const { url, connections } = await start({
      $connect: connect.fn,
      $default: fallback.fn,
      status: status.fn,
      $disconnect: disconnect.fn,
    });
    const socket = await open(`${url}/?encounterId=e-2`, ['cag.v1', 'bearer.good-token']);
    if (typeof socket === 'number') throw new Error(`refused ${socket}`);
    expect(socket.protocol).toBe('cag.v1');
    const connectionId = connect.events[0]?.requestContext.connectionId ?? '';

    const received = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
    socket.send(JSON.stringify({ action: 'segment', seq: 0 }));
    socket.send(JSON.stringify({ action: 'status' }));
    socket.send('not json');
    await Promise.all([fallback.received(2), status.received(1)]);
    expect(fallback.events.map((event) => event.body)).toEqual([
      JSON.stringify({ action: 'segment', seq: 0 }),
      'not json',
    ]);
    expect(fallback.events.every((event) => event.requestContext.connectionId === connectionId)).toBe(true);
    expect(status.events).toHaveLength(1);
    expect(status.events[0]?.requestContext.routeKey).toBe('status');

    expect(await connections.push(connectionId, { type: 'accepted', seq: 0 })).toBe('delivered');
    expect(JSON.parse(await received)).toEqual({ type: 'accepted', seq: 0 });

    socket.close();
    await disconnect.received(1);
    expect(disconnect.events.map((event) => event.requestContext.connectionId)).toEqual([connectionId]);
    expect(await connections.push(connectionId, { type: 'accepted', seq: 1 })).toBe('gone');
  });

  it("sends a two-way route's returned body back as a message (the route response), and nothing for a one-way route", async () => {
    const replying = recorder((event) => ({ statusCode: 200, body: JSON.stringify({ echoed: event.body }) }));
    const silent = recorder(() => ({ statusCode: 200, body: JSON.stringify({ never: 'sent' }) }));
    const failing: LocalFunction = {
      name: 'failing',
      spec: { description: 'test', area: 'clinical', entry: 'none' },
      invoke: async () => {
        throw new Error('boom: patient Jane Roe');
      },
    };
    const { url } = await start(
      { $connect: recorder().fn, $default: replying.fn, quiet: silent.fn, explode: failing },
      ['$default', 'explode'],
    );
    const socket = await open(`${url}/?encounterId=e-4`, ['cag.v1', 'bearer.good-token']);
    if (typeof socket === 'number') throw new Error(`refused ${socket}`);
    const messages: string[] = [];
    const waiting: { count: number; resolve: () => void }[] = [];
    socket.on('message', (data) => {
      messages.push(data.toString());
      for (const waiter of waiting.filter((w) => messages.length >= w.count)) waiter.resolve();
    });
    const arrived = (count: number) =>
      messages.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve }));
    // The one-way route is invoked first: had it replied, its body would arrive before the two-way route's.
    socket.send(JSON.stringify({ action: 'quiet' }));
    await silent.received(1);
    socket.send(JSON.stringify({ action: 'segment', seq: 5 }));
    await arrived(1);
    socket.send(JSON.stringify({ action: 'explode' }));
    await arrived(2);
    await gateway?.idle();
    expect(JSON.parse(messages[0] ?? '{}')).toEqual({ echoed: JSON.stringify({ action: 'segment', seq: 5 }) });
    // What API Gateway sends when the integration itself fails: a fixed message, never the error.
    expect(JSON.parse(messages[1] ?? '{}')).toMatchObject({ message: 'Internal server error' });
    expect(messages.join('\n')).not.toContain('Jane');
    expect(messages.join('\n')).not.toContain('never');
    expect(messages).toHaveLength(2);
  });

  it('refuses to make $connect or $disconnect two-way', () => {
    const local = new WebSocketGateway({ verifyToken, connections: new LocalConnectionPush() });
    expect(() => local.addRoute('$connect', recorder().fn, { respond: true })).toThrow(/cannot respond/);
    expect(() => local.addRoute('$disconnect', recorder().fn, { respond: true })).toThrow(/cannot respond/);
  });

  it('answers a message over 128 KB with MESSAGE_TOO_LARGE and closes with 1009, without invoking a function', async () => {
    const fallback = recorder();
    const { url } = await start({ $connect: recorder().fn, $default: fallback.fn });
    const socket = await open(`${url}/?encounterId=e-3`, ['cag.v1', 'bearer.good-token']);
    if (typeof socket === 'number') throw new Error(`refused ${socket}`);
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(data.toString()));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    // In frames of at most 32 KB, as API Gateway requires: only the message is too large.
    const message = 'x'.repeat(129 * 1024);
    const frame = 32 * 1024;
    for (let offset = 0; offset < message.length; offset += frame) {
      socket.send(message.slice(offset, offset + frame), { fin: offset + frame >= message.length });
    }
    expect(await closed).toBe(1009);
    expect(JSON.parse(messages[0] ?? '{}')).toMatchObject({ type: 'error', code: 'MESSAGE_TOO_LARGE' });
    expect(fallback.events).toEqual([]);
  });

  it('closes with 1009 on a frame over 32 KB even when its message is under 128 KB, as API Gateway does', async () => {
    const fallback = recorder(() => ({ statusCode: 200, body: '{"type":"ok"}' }));
    const { url } = await start({ $connect: recorder().fn, $default: fallback.fn }, ['$default']);
    const socket = await open(`${url}/?encounterId=e-4`, ['cag.v1', 'bearer.good-token']);
    if (typeof socket === 'number') throw new Error(`refused ${socket}`);
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(data.toString()));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ action: 'segment', seq: 0, audio: 'A'.repeat(40 * 1024) }));
    expect(await closed).toBe(1009);
    expect(JSON.parse(messages[0] ?? '{}')).toMatchObject({ type: 'error', code: 'FRAME_TOO_LARGE' });
    expect(fallback.events).toEqual([]);
  });

  it('delivers a message over 32 KB sent in frames of at most 32 KB', async () => {
    const fallback = recorder(() => ({ statusCode: 200, body: '{"type":"ok"}' }));
    const { url } = await start({ $connect: recorder().fn, $default: fallback.fn }, ['$default']);
    const socket = await open(`${url}/?encounterId=e-5`, ['cag.v1', 'bearer.good-token']);
    if (typeof socket === 'number') throw new Error(`refused ${socket}`);
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
    const message = JSON.stringify({ action: 'segment', seq: 0, audio: 'A'.repeat(90 * 1024) });
    const frame = 32 * 1024;
    for (let offset = 0; offset < message.length; offset += frame) {
      socket.send(message.slice(offset, offset + frame), { fin: offset + frame >= message.length });
    }
    expect(await reply).toBe('{"type":"ok"}');
    expect(fallback.events[0]?.body).toBe(message);
    socket.close();
  });
});
