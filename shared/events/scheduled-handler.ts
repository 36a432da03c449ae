/** The one way to write a scheduled Lambda: middy with tracer -> logger -> metrics, then one use case. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { logger, metrics, tracer } from '../observability/telemetry.ts';
import { getPorts, type Ports } from '../runtime/ports.ts';

/** What EventBridge Scheduler (and the local scheduler) deliver to the target: the firing time matters. */
const ScheduledEvent = z.object({ id: z.string(), time: z.iso.datetime() }).loose();

export interface ScheduledHandlerOptions {
  readonly action: string;
  /** The result is logged: ids and counts only. */
  readonly run: (request: { readonly time: Date; readonly ports: Ports }) => Promise<Readonly<Record<string, unknown>>>;
}

export function scheduledHandler(options: ScheduledHandlerOptions) {
  const handle = async (event: unknown): Promise<Readonly<Record<string, unknown>>> => {
    const parsed = ScheduledEvent.parse(event);
    logger.appendKeys({ action: options.action, scheduleEventId: parsed.id });
    metrics.addDimension('action', options.action);
    return options.run({ time: new Date(parsed.time), ports: getPorts() });
  };
  return middy<unknown, Readonly<Record<string, unknown>>, Error, Context>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(handle);
}
