/** The stateful half of the local runtime: dynalite with the topology's tables, the event bus and the ports. */
import { join } from 'node:path';
import { assertValidEventPattern } from '../../shared/adapters/local/event-pattern.ts';
import { InProcessEventBus } from '../../shared/adapters/local/in-process-event-bus.ts';
import { type Clock, systemClock } from '../../shared/ports/clock.ts';
import { type Ids, randomIds } from '../../shared/ports/ids.ts';
import { buildLocalPorts, LOCAL_REGION } from '../../shared/runtime/local-ports.ts';
import { type LocalTranscriberChoice, readLocalTranscriberChoice } from '../../shared/runtime/local-transcriber.ts';
import { type Ports, usePorts } from '../../shared/runtime/ports.ts';
import type { Topology } from '../topology/types.ts';
import { type LocalFunction, loadFunction } from './lambda-invoker.ts';
import { ensureTables, startLocalDynamoDb } from './local-dynamodb.ts';
import { LOCAL_INTEGRATION_CALLERS } from './local-integrations.ts';
import { demoTranscribeResponder } from './transcribe-streaming-demo-script.ts';
import { startTranscribeStreamingFake } from './transcribe-streaming-fake.ts';

export interface LocalServicesOptions {
  readonly topology: Topology;
  /** Repository root; handler entries are resolved from here. */
  readonly rootDir: string;
  readonly dataDir: string;
  readonly memory?: boolean;
  readonly clock?: Clock;
  readonly ids?: Ids;
  readonly eventMaxAttempts?: number;
  readonly eventRetryDelayMs?: number;
  /** The transcriber; `LOCAL_TRANSCRIBER` when absent, else the loopback Transcribe fake (placeholder text). */
  readonly transcriber?: LocalTranscriberChoice;
}

export interface LocalServices {
  readonly ports: Ports;
  readonly bus: InProcessEventBus;
  /** Every function of the topology, loaded; those with rules are subscribed to the bus. */
  readonly functions: ReadonlyMap<string, LocalFunction>;
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
  const transcriberChoice = options.transcriber ?? readLocalTranscriberChoice(process.env);
  const transcribeFake =
    transcriberChoice === 'transcribe-fake'
      ? await startTranscribeStreamingFake({ script: demoTranscribeResponder })
      : undefined;
  const ports = await buildLocalPorts({
    transcriber: {
      choice: transcriberChoice,
      ...(transcribeFake ? { transcribeEndpoint: transcribeFake.endpoint } : {}),
    },
    dynamoEndpoint: dynamo.endpoint,
    bus,
    clock,
    ids,
    dataDir: options.dataDir,
    integrationCallers: LOCAL_INTEGRATION_CALLERS,
  });
  const releasePorts = usePorts(ports);
  await ensureTables(ports.tables.client, options.topology, ports.tables.nameOf);

  // Event consumers run wherever events are published, so an audit event from the CLI is written like one from the API.
  const functions = new Map<string, LocalFunction>();
  for (const [name, spec] of Object.entries(options.topology.functions)) {
    const fn = await loadFunction(options.rootDir, name, spec);
    functions.set(name, fn);
    for (const rule of spec.rules ?? []) {
      assertValidEventPattern(rule.pattern);
      bus.subscribe({ ruleName: rule.name, pattern: rule.pattern, deliver: (event) => fn.invoke(event) });
    }
  }
  return {
    ports,
    bus,
    functions,
    async close() {
      await bus.idle();
      releasePorts();
      ports.tables.client.destroy();
      await dynamo.close();
      await transcribeFake?.close();
    },
  };
}
