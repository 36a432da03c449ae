/**
 * The local realization of the topology: dynalite with the topology's tables, the in-process event bus with the
 * topology's rules, the local scheduler, the TTL sweeper and the HTTP gateway, all calling the same handlers.
 */
import type { InProcessEventBus } from '../../shared/adapters/local/in-process-event-bus.ts';
import { LocalConnectionPush } from '../../shared/adapters/local/local-connection-push.ts';
import { log } from '../../shared/observability/telemetry.ts';
import { type Clock, systemClock } from '../../shared/ports/clock.ts';
import { type Ids, randomIds } from '../../shared/ports/ids.ts';
import { LOCAL_REGION } from '../../shared/runtime/local-ports.ts';
import type { Ports } from '../../shared/runtime/ports.ts';
import type { Topology } from '../topology/types.ts';
import { loadDevSigningKey, verifyDevToken } from './dev-identity.ts';
import { HttpGateway } from './http-gateway.ts';
import type { LocalFunction } from './lambda-invoker.ts';
import { seedLocalKnowledge } from './local-knowledge-seed.ts';
import { startLocalMetricsSink } from './local-metrics-sink.ts';
import { seedLocalPolicy } from './local-policy-seed.ts';
import { LocalScheduler } from './local-scheduler.ts';
import { startLocalServices } from './local-services.ts';
import { TtlSweeper } from './ttl-sweeper.ts';
import { WebSocketGateway } from './websocket-gateway.ts';

export interface LocalRuntimeOptions {
  readonly topology: Topology;
  /** Repository root; handler entries are resolved from here. */
  readonly rootDir: string;
  /** Where dynalite keeps tables and the dev signing key lives (`.data/` by default). */
  readonly dataDir: string;
  /** Keep tables in memory only (a throw-away run). */
  readonly memory?: boolean;
  readonly port?: number;
  /** The encounter WebSocket API's port (default: the HTTP port + 1; 0 for an ephemeral one). */
  readonly socketPort?: number;
  readonly host?: string;
  readonly clock?: Clock;
  readonly ids?: Ids;
  /** Event delivery attempts before dead-lettering, and the first retry delay. */
  readonly eventMaxAttempts?: number;
  readonly eventRetryDelayMs?: number;
  readonly ttlSweepIntervalMs?: number;
  /** Seed a policy version and the offline model approved for every use case (default on). */
  readonly seedPolicy?: boolean;
  /** Ingest the sample handbook when the knowledge base is empty (default on). */
  readonly seedKnowledge?: boolean;
  /** Start the scheduler's timers (off in tests, which trigger schedules by name). */
  readonly runSchedules?: boolean;
}

export interface LocalRuntime {
  readonly url: string;
  readonly port: number;
  /** The encounter WebSocket API (`ws://host:port`); a second port, as AWS gives it a URL of its own. */
  readonly socketUrl: string;
  readonly sockets: WebSocketGateway;
  readonly ports: Ports;
  readonly bus: InProcessEventBus;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly scheduler: LocalScheduler;
  readonly sweeper: TtlSweeper;
  readonly signingKey: Uint8Array;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const services = await startLocalServices({ ...options, clock, ids });
  // EMF lines also go to <data dir>/metrics.jsonl for `cag ops summary`; a --memory run leaves nothing on disk.
  const metricsSink = options.memory ? undefined : startLocalMetricsSink(options.dataDir);
  const { ports, bus, functions } = services;
  if (options.seedPolicy ?? true) await seedLocalPolicy(ports);
  if (options.seedKnowledge ?? true) await seedLocalKnowledge(ports, options.rootDir);

  const signingKey = await loadDevSigningKey(options.dataDir);
  const scheduler = new LocalScheduler(clock);
  const gateway = new HttpGateway({
    verifyToken: (token) => verifyDevToken(signingKey, token),
    localRoutes: async (request, url) => {
      if (!url.pathname.startsWith('/__local/')) return undefined;
      if (request.method === 'GET' && url.pathname === '/__local/dead-letters') {
        return { status: 200, body: { deadLetters: bus.deadLetters() } };
      }
      const run = /^\/__local\/schedules\/([\w.-]+)$/.exec(url.pathname);
      if (request.method === 'POST' && run?.[1]) {
        const ran = await scheduler.runNow(run[1]);
        return ran ? { status: 202, body: { schedule: run[1] } } : { status: 404, body: { error: 'NO_SUCH_SCHEDULE' } };
      }
      return { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: 'No such local route' } } };
    },
  });

  if (!(ports.connections instanceof LocalConnectionPush)) {
    throw new Error('The local runtime needs LocalConnectionPush');
  }
  const sockets = new WebSocketGateway({
    verifyToken: (token) => verifyDevToken(signingKey, token),
    connections: ports.connections,
  });

  for (const [name, spec] of Object.entries(options.topology.functions)) {
    const fn = functions.get(name);
    if (!fn) continue;
    for (const route of spec.socketRoutes ?? []) {
      sockets.addRoute(route.routeKey, fn, { respond: route.respond === true });
    }
    for (const route of spec.routes ?? []) gateway.addRoute({ fn, route });
    for (const schedule of spec.schedules ?? []) {
      scheduler.add(schedule.name, schedule.expression, () =>
        fn.invoke({
          version: '0',
          id: ids.next(),
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          account: '000000000000',
          time: clock.now().toISOString(),
          region: LOCAL_REGION,
          resources: [`arn:aws:scheduler:${LOCAL_REGION}:000000000000:schedule/default/${schedule.name}`],
          detail: {},
        }),
      );
    }
  }

  const sweeper = new TtlSweeper(ports.tables.client, options.topology, ports.tables.nameOf, clock);
  sweeper.start(options.ttlSweepIntervalMs ?? 30_000);
  if (options.runSchedules) scheduler.start();

  const host = options.host ?? '127.0.0.1';
  const port = await gateway.listen(options.port ?? 3000, host);
  const socketPort = await sockets.listen(options.socketPort ?? (options.port === 0 ? 0 : port + 1), host);
  log.info('local runtime started', { port, functions: functions.size });

  return {
    url: `http://${host}:${port}`,
    port,
    socketUrl: `ws://${host}:${socketPort}`,
    sockets,
    ports,
    bus,
    functions,
    scheduler,
    sweeper,
    signingKey,
    async stop() {
      scheduler.stop();
      sweeper.stop();
      await sockets.close();
      await gateway.close();
      await services.close();
      await metricsSink?.close();
    },
  };
}
