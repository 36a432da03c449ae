/**
 * The one way to write an event-consuming Lambda: a per-invocation metrics scope, middy with tracer -> logger, the
 * detail validated against the event's own schema, and Powertools idempotency keyed on the EventBridge event id, so
 * a redelivered event runs its use case once.
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type { z } from 'zod';
import { recordMetric } from '../observability/record-metric.ts';
import { log, logger, metricsScope, tracer } from '../observability/telemetry.ts';
import { getPorts, type Ports } from '../runtime/ports.ts';
import type { EventDefinition } from './event-definition.ts';

export const IDEMPOTENCY_TABLE = 'idempotency';

/** Thrown for an event whose detail does not satisfy its schema; the event ends in the dead-letter queue. */
export class MalformedEvent extends Error {
  constructor(detailType: string) {
    super(`Event ${detailType} does not match its schema`);
    this.name = 'MalformedEvent';
  }
}

export interface EventRequest<Detail> {
  readonly detail: Detail;
  readonly eventId: string;
  readonly time: string;
  readonly ports: Ports;
  /** Milliseconds left before the function times out: a use case sets its own deadline below it. */
  readonly remainingMs: () => number;
}

export interface EventHandlerOptions<Detail extends z.ZodType> {
  readonly event: EventDefinition<Detail>;
  /** Audit and metrics key, e.g. `audit.write`. */
  readonly action: string;
  /** The result is stored in the idempotency record: ids and counts only, never PHI. */
  readonly run: (request: EventRequest<z.output<Detail>>) => Promise<Readonly<Record<string, unknown>> | undefined>;
  /** How long a processed event id is remembered (EventBridge may redeliver for up to 24 h). */
  readonly idempotencySeconds?: number;
}

type Handler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<unknown>;

export function eventHandler<Detail extends z.ZodType>(options: EventHandlerOptions<Detail>): Handler {
  const handle = async (
    event: EventBridgeEvent<string, unknown>,
    context: Context,
  ): Promise<Record<string, unknown>> => {
    logger.appendKeys({ eventId: event.id, action: options.action });
    recordMetric('EventAge', Math.max(0, Date.now() - Date.parse(event.time)));
    const parsed = options.event.detail.safeParse(event.detail);
    if (event['detail-type'] !== options.event.detailType || !parsed.success) {
      log.warn('malformed event', { detailType: event['detail-type'] });
      throw new MalformedEvent(options.event.detailType);
    }
    const result = await options.run({
      detail: parsed.data,
      eventId: event.id,
      time: event.time,
      ports: getPorts(),
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    return { eventId: event.id, ...(result ?? {}) };
  };

  // Built on first use: the table name comes from the ports, which the local runtime installs after import.
  let chain: Handler | undefined;
  return (event, context) =>
    metricsScope.run({ function: context.functionName }, async () => {
      const started = performance.now();
      let failed = true;
      try {
        chain ??= build();
        const result = await chain(event, context);
        failed = false;
        return result;
      } finally {
        recordMetric('Requests', 1);
        recordMetric('Latency', performance.now() - started);
        recordMetric('ServerErrors', failed ? 1 : 0);
      }
    });

  function build(): Handler {
    const ports = getPorts();
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: ports.tables.nameOf(IDEMPOTENCY_TABLE),
      awsSdkV3Client: ports.tables.client,
    });
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'id',
      expiresAfterSeconds: options.idempotencySeconds ?? 48 * 3600,
    });
    return middy<EventBridgeEvent<string, unknown>, unknown>()
      .use(captureLambdaHandler(tracer))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(makeHandlerIdempotent({ persistenceStore, config }))
      .handler(handle) as Handler;
  }
}
