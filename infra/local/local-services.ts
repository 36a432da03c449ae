/** The stateful half of the local runtime: dynalite with the topology's tables, the event bus and the ports. */
import { join } from 'node:path';
import { InProcessEventBus } from '../../shared/adapters/local/in-process-event-bus.ts';
import { type Clock, systemClock } from '../../shared/ports/clock.ts';
import { type Ids, randomIds } from '../../shared/ports/ids.ts';
import { buildLocalPorts, LOCAL_REGION } from '../../shared/runtime/local-ports.ts';
import type { Ports } from '../../shared/runtime/ports.ts';
import type { Topology } from '../topology/types.ts';
import { ensureTables, startLocalDynamoDb } from './local-dynamodb.ts';

export interface LocalServicesOptions {
  readonly topology: Topology;
  readonly dataDir: string;
  readonly memory?: boolean;
  readonly clock?: Clock;
  readonly ids?: Ids;
  readonly eventMaxAttempts?: number;
  readonly eventRetryDelayMs?: number;
}

export interface LocalServices {
  readonly ports: Ports;
  readonly bus: InProcessEventBus;
  close(): Promise<void>;
}

export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const dynamoDir = options.memory ? undefined : join(options.dataDir, 'dynamodb');
  const dynamo = await startLocalDynamoDb({ ...(dynamoDir ? { dataDir: dynamoDir } : {}) }).catch((error: unknown) => {
    // dynalite keeps its files locked: a second process on the same folder cannot open them.
    throw new Error(`Cannot open the local database in ${dynamoDir} (is npm start running? try --memory)`, {
      cause: error,
    });
  });
  const bus = new InProcessEventBus({
    clock,
    ids,
    region: LOCAL_REGION,
    ...(options.eventMaxAttempts ? { maxAttempts: options.eventMaxAttempts } : {}),
    ...(options.eventRetryDelayMs !== undefined ? { retryDelayMs: options.eventRetryDelayMs } : {}),
  });
  const ports = await buildLocalPorts({ dynamoEndpoint: dynamo.endpoint, bus, clock, ids, dataDir: options.dataDir });
  await ensureTables(ports.tables.client, options.topology, ports.tables.nameOf);
  return {
    ports,
    bus,
    async close() {
      await bus.idle();
      ports.tables.client.destroy();
      await dynamo.close();
    },
  };
}
