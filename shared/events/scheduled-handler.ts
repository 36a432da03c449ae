/** The one way to write a scheduled Lambda: a per-invocation metrics scope, middy with tracer -> logger, one use case. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { recordMetric } from '../observability/record-metric.ts';
import { logger, metricsScope, tracer } from '../observability/telemetry.ts';
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
    return options.run({ time: new Date(parsed.time), ports: getPorts() });
  };
  const lambda = middy<unknown, Readonly<Record<string, unknown>>, Error, Context>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(handle);
  // Metrics are scoped to the invocation (see shared/observability/invocation-metrics.ts) and keyed by function.
  return (event: unknown, context: Context): Promise<Readonly<Record<string, unknown>>> =>
    metricsScope.run({ function: context.functionName }, async () => {
      const started = performance.now();
      let failed = true;
      try {
        const result = await lambda(event, context);
        failed = false;
        return result;
      } finally {
        recordMetric('Requests', 1);
        recordMetric('Latency', performance.now() - started);
        recordMetric('ServerErrors', failed ? 1 : 0);
      }
    });
}
